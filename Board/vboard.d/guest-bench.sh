# guest-bench.sh: press-to-light latency, measured inside the guest (busybox ash).
#
# A *subject* is a program that holds BUTTON and a light and writes, per edge it handles,
# one line `edge <kernel edge timestamp ns> set <CLOCK_MONOTONIC just after the light was set ns>`
# to a log file. Register one with
#     bench_subject NAME LIGHT FOLLOWS START_FUNCTION
# where START_FUNCTION LOG starts it in the background (with `spawn`) writing its edge lines
# to LOG, and FOLLOWS is `mirror` when LIGHT follows the button (the driver then waits for the
# light after each press and release) or `none` (the driver only paces the presses).
# Subjects run one after the other in the same boot (only one program can hold BUTTON), with
# the same presses; each edge line comes out on the console as `BENCH NAME edge ... set ...`
# for the host to compute percentiles.

BENCH_SUBJECTS=""

bench_subject() {
	BENCH_SUBJECTS="$BENCH_SUBJECTS$1|$2|$3|$4
"
}

bench_start_floor() {
	spawn floor.out gpio-floor
	# gpio-floor writes its edge lines on stdout, next to its `ready` line.
	ln -sf floor.out "$1"
}
bench_subject floor RED mirror bench_start_floor

# Samtale, once it can log its edges (example):
# bench_start_samtale() { spawn samtale.out samtale run --config /etc/samtale/bench.json --edge-log "$1"; }
# [ -x /bin/samtale ] && bench_subject samtale GREEN none bench_start_samtale

# bench_wait_light LIGHT VALUE: after a transition, let the subject work undisturbed for GAP ms,
# then check (polling every 5 ms, up to 2 s) that the light shows VALUE.
bench_wait_light() {
	settle "$BENCH_GAP_MS"
	is "$1" "$2" && return 0
	wait_for "is $1 $2" 2s
}

# run_bench PRESSES: every subject gets PRESSES presses (press + release = 2 edges each).
run_bench() {
	local presses=${1:-200} name light follows start i missed ok=0 fail=0 n
	BENCH_GAP_MS=${BENCH_GAP_MS:-15}
	echo "$BENCH_SUBJECTS" > /tmp/bench-subjects
	while IFS='|' read -r name light follows start; do
		[ -n "$name" ] || continue
		CASE_DIR=/tmp/bench/$name
		rm -rf "$CASE_DIR"
		mkdir -p "$CASE_DIR"
		cd "$CASE_DIR" || return 1
		reset_board
		"$start" "$CASE_DIR/edges.log"
		if ! wait_for "line_info BUTTON 2> /dev/null | grep -q used=yes && line_info $light 2> /dev/null | grep -q used=yes" 20s; then
			echo "not ok - bench $name: it did not request BUTTON and $light within 20 s"
			print_indented "$CASE_DIR"/*
			fail=$((fail + 1))
			kill_case_pids
			continue
		fi
		settle 200
		missed=0
		i=0
		while [ "$i" -lt "$presses" ]; do
			press BUTTON
			if [ "$follows" = mirror ]; then bench_wait_light "$light" 1 || missed=$((missed + 1)); else settle "$BENCH_GAP_MS"; fi
			release BUTTON
			if [ "$follows" = mirror ]; then bench_wait_light "$light" 0 || missed=$((missed + 1)); else settle "$BENCH_GAP_MS"; fi
			i=$((i + 1))
		done
		settle 500
		kill_case_pids
		n=$(grep -c '^edge ' "$CASE_DIR/edges.log")
		grep '^edge ' "$CASE_DIR/edges.log" | sed "s/^/BENCH $name /"
		echo "BENCHINFO $name presses=$presses edges=$n missed=$missed light=$light"
		if [ "$missed" = 0 ] && [ "$n" -ge "$presses" ]; then
			echo "ok - bench $name: $presses presses, $n edges logged"
			ok=$((ok + 1))
		else
			echo "not ok - bench $name: $n edges logged for $presses presses, the light missed $missed transitions"
			fail=$((fail + 1))
		fi
		cd /
	done < /tmp/bench-subjects
	echo "$ok passed, $fail failed"
}
