# guest-bench.sh: press-to-light latency, measured inside the guest (busybox ash).
#
# A *subject* is a program that holds BUTTON and a light and writes, per edge it handles,
# one line `edge <kernel edge timestamp ns> set <CLOCK_MONOTONIC just after the light was set ns>`
# to a log file. Register one with
#     bench_subject NAME LIGHT FOLLOWS START_FUNCTION [GAP_MS [LOGS]]
# where START_FUNCTION LOG starts it in the background (with `spawn`) writing its edge lines
# to LOG, and FOLLOWS is `mirror` when LIGHT follows the button (the driver then waits for the
# light after each press and release) or `none` (the driver only paces the presses, GAP_MS
# after each press and each release; default BENCH_GAP_MS, 15). LOGS is `both` when the
# subject logs press and release edges (the default), `press` when it logs presses only: then
# it must log exactly one line per press.
# Subjects run one after the other in the same boot (only one program can hold BUTTON), with
# the same presses; each edge line comes out on the console as `BENCH NAME edge ... set ...`
# for the host to compute percentiles.

BENCH_SUBJECTS=""

bench_subject() {
	BENCH_SUBJECTS="$BENCH_SUBJECTS$1|$2|$3|$4|${5:-}|${6:-both}
"
}

bench_start_floor() {
	spawn floor.out gpio-floor
	# gpio-floor writes its edge lines on stdout, next to its `ready` line.
	ln -sf floor.out "$1"
}
bench_subject floor RED mirror bench_start_floor

# The floor again, SCHED_FIFO 10 as Samtale's button thread asks: what realtime scheduling
# itself does to the latency on this (emulated) board.
bench_start_floor_fifo() {
	spawn floor-fifo.out gpio-floor --fifo 10
	ln -sf floor-fifo.out "$1"
}
bench_subject floor-fifo RED mirror bench_start_floor_fifo

# Samtale: `samtale run` with the board's configuration, whose gpio.latencyLog gets one line per
# press, written when the acknowledgement flash has set every light (releases set nothing).
# Presses and releases are 50 ms apart: its debounce ignores edges within 30 ms of the last one
# it accepted (and a press it only sees when the debounce time ends is timed from then).
# bench_run_samtale LOG CONFIG [COMMAND PREFIX...]: a fresh schedule, the clock in its open
# conference, and `samtale run` (after the prefix, e.g. `taskset 1`).
bench_run_samtale() {
	local log=$1 config=$2
	shift 2
	rm -rf /var/lib/samtale-test /tmp/samtale-latency.log
	mkdir -p /var/lib/samtale-test
	printf 'Dato;Fra;Til;Rom;Elev\n24.11.2026;14:00;14:20;204;Pupil 1\n' > /var/lib/samtale-test/s.csv
	date -s "2026-11-24 13:50:00" > /dev/null # the conference is open for check-in
	spawn samtale.out "$@" samtale run --config "$config"
	ln -sf /tmp/samtale-latency.log "$log"
}
bench_start_samtale() { bench_run_samtale "$1" /etc/samtale/board.json; }
[ -x /bin/samtale ] && bench_subject samtale GREEN none bench_start_samtale 50 press

# The same at normal priority (gpio.realtimePriority 0): what the button thread's SCHED_FIFO buys.
bench_start_samtale_normal() {
	sed 's/"chip": "samtale-sim",/"chip": "samtale-sim", "realtimePriority": 0,/' /etc/samtale/board.json > /tmp/board-normal.json
	grep -q '"realtimePriority": 0' /tmp/board-normal.json || echo "bench: could not write /tmp/board-normal.json" >&2
	bench_run_samtale "$1" /tmp/board-normal.json
}
[ -x /bin/samtale ] && bench_subject samtale-normal-priority GREEN none bench_start_samtale_normal 50 press

# The same button thread and flash without the kiosk (`samtale gpio test`: no HTTP server, no
# schedule, no check-in): what the rest of the running kiosk costs a press.
bench_start_samtale_gpio_test() {
	rm -f /tmp/samtale-latency.log
	spawn samtale-gpio.out samtale gpio test --config /etc/samtale/board.json --step 0 --listen 120
	ln -sf /tmp/samtale-latency.log "$1"
}
[ -x /bin/samtale ] && bench_subject samtale-gpio-test GREEN none bench_start_samtale_gpio_test 50 press

# vboard.pin=1 (VBOARD_APPEND=vboard.pin=1): where the woken program runs. The driver (this shell,
# whose write to the simulator raises the edge) is pinned to CPU 0, and the floor and Samtale run
# once pinned to CPU 0 (woken where the edge was raised) and once to CPU 1 (woken by a cross-CPU
# interrupt to a virtual CPU that may be halted).
if [ "${BENCH_PIN:-}" = 1 ]; then
	bench_start_floor_cpu0() {
		spawn floor-cpu0.out taskset 1 gpio-floor
		ln -sf floor-cpu0.out "$1"
	}
	bench_subject floor-cpu0 RED mirror bench_start_floor_cpu0
	bench_start_floor_cpu1() {
		spawn floor-cpu1.out taskset 2 gpio-floor
		ln -sf floor-cpu1.out "$1"
	}
	bench_subject floor-cpu1 RED mirror bench_start_floor_cpu1
	bench_start_samtale_cpu0() { bench_run_samtale "$1" /etc/samtale/board.json taskset 1; }
	bench_start_samtale_cpu1() { bench_run_samtale "$1" /etc/samtale/board.json taskset 2; }
	[ -x /bin/samtale ] && bench_subject samtale-cpu0 GREEN none bench_start_samtale_cpu0 50 press
	[ -x /bin/samtale ] && bench_subject samtale-cpu1 GREEN none bench_start_samtale_cpu1 50 press
fi

# vboard.trace=1 (VBOARD_APPEND=vboard.trace=1): the kernel's scheduler, interrupt and system-call
# events of every subject's presses go to the console, each line `TRACE NAME <ftrace line>`, for
# finding where a press waits (between the edge and the light: which thread was woken where, and
# when it ran). Use it with few presses (--presses 30): it is many lines per press.
T=/sys/kernel/tracing
# The consumer labels of the subjects' line requests, as /proc/interrupts names their interrupts.
BENCH_IRQ_LABELS='samtale|gpio-floor'
bench_trace_start() {
	local irq t
	[ "${BENCH_TRACE:-}" = 1 ] || return 0
	[ -d "$T/events" ] || mount -t tracefs nodev "$T" || { echo "bench: cannot mount tracefs" >&2; return 0; }
	# The lines' interrupts, where they may run, and their threads' CPUs.
	for irq in $(irq_numbers "$BENCH_IRQ_LABELS"); do
		echo "TRACEINFO $1 irq $irq: $(grep "^ *$irq:" /proc/interrupts | tr -s ' ') affinity $(cat /proc/irq/$irq/smp_affinity_list) effective '$(cat /proc/irq/$irq/effective_affinity_list 2>&1)'"
		for t in $(irq_thread_pids "$irq"); do
			echo "TRACEINFO $1 $(cat /proc/$t/comm): $(grep Cpus_allowed_list /proc/$t/status)"
		done
	done
	echo 0 > "$T/tracing_on"
	# One clock for all CPUs (the default, `local`, is per CPU, and the guest's TSC is unstable):
	# a wake-up on one CPU and its target running on another are compared.
	echo mono > "$T/trace_clock"
	echo 8192 > "$T/buffer_size_kb"
	echo > "$T/trace"
	echo > "$T/set_event"
	for e in sched:sched_waking sched:sched_wakeup sched:sched_switch sched:sched_migrate_task \
		irq:irq_handler_entry irq:irq_handler_exit irq_vectors:reschedule_entry \
		irq_vectors:call_function_single_entry irq_vectors:local_timer_entry \
		raw_syscalls:sys_enter raw_syscalls:sys_exit power:cpu_idle \
		exceptions:page_fault_user exceptions:page_fault_kernel; do
		echo "$e" >> "$T/set_event" 2> /dev/null || echo "bench: no trace event $e" >&2
	done
	echo 1 > "$T/tracing_on"
}
bench_trace_stop() {
	[ "${BENCH_TRACE:-}" = 1 ] || return 0
	echo 0 > "$T/tracing_on"
	grep -v '^#' "$T/trace" | sed "s/^/TRACE $1 /"
	echo > "$T/trace"
}

# bench_wait_light LIGHT VALUE: after a transition, let the subject work undisturbed for GAP ms,
# then check (polling every 5 ms, up to 2 s) that the light shows VALUE.
bench_wait_light() {
	settle "$BENCH_GAP_MS"
	is "$1" "$2" && return 0
	wait_for "is $1 $2" 2s
}

# bench_press FOLLOWS LIGHT: one press and release of BUTTON, paced as the subject needs; a
# transition of LIGHT that did not come adds to BENCH_MISSED.
bench_press() {
	press BUTTON
	if [ "$1" = mirror ]; then bench_wait_light "$2" 1 || BENCH_MISSED=$((BENCH_MISSED + 1)); else settle "$BENCH_GAP_MS"; fi
	release BUTTON
	if [ "$1" = mirror ]; then bench_wait_light "$2" 0 || BENCH_MISSED=$((BENCH_MISSED + 1)); else settle "$BENCH_GAP_MS"; fi
}

# bench_irq_cpu ROUND: the CPU the button's interrupt thread is put on for this round (see
# run_bench), or `kernel` when it is left where the kernel made it.
bench_irq_cpu() {
	local n
	case "${BENCH_IRQ_CPU:-rounds}" in
	kernel) echo kernel ;;
	rounds)
		n=$(grep -c '^processor' /proc/cpuinfo)
		echo $((($1 - 1) % n))
		;;
	*) echo "$BENCH_IRQ_CPU" ;;
	esac
}

# bench_move_irq CPU: the kernel threads of the button's interrupt (the subject's request) moved
# to CPU; fails when one would not move.
bench_move_irq() {
	local irq t moved=0
	for irq in $(irq_numbers "$BENCH_IRQ_LABELS"); do
		for t in $(irq_thread_pids "$irq"); do
			taskset -p "$((1 << $1))" "$t" > /dev/null || return 1
			moved=1
		done
	done
	[ "$moved" = 1 ]
}

# bench_one NAME LIGHT FOLLOWS START GAP LOGS PRESSES ROUND: one subject, started afresh, gets
# PRESSES presses; its edge lines go to the console tagged round=ROUND. Sets BENCH_OK (1 or empty).
bench_one() {
	local name=$1 light=$2 follows=$3 start=$4 gap=$5 logs=$6 presses=$7 round=$8 i n good cpu skip=0
	BENCH_OK=""
	BENCH_GAP_MS=${gap:-${BENCH_DEFAULT_GAP:-15}}
	CASE_DIR=/tmp/bench/$name
	rm -rf "$CASE_DIR"
	mkdir -p "$CASE_DIR"
	cd "$CASE_DIR" || return 1
	reset_board
	"$start" "$CASE_DIR/edges.log"
	if ! wait_for "line_info BUTTON 2> /dev/null | grep -q used=yes && line_info $light 2> /dev/null | grep -q used=yes" 30s; then
		echo "not ok - bench $name (round $round): it did not request BUTTON and $light within 30 s"
		print_indented "$CASE_DIR"/*
		kill_case_pids
		cd /
		return 0
	fi
	BENCH_MISSED=0
	# The interrupt's thread on this round's CPU, the same for every subject (the kernel makes it
	# anew at each start, on a CPU of its choosing, and its place decides much of the figures: see
	# run_bench). A program that follows the thread (Samtale) finds it there after one press: one
	# press and release before the measured ones, not counted.
	cpu=$(bench_irq_cpu "$round")
	if [ "$cpu" != kernel ]; then
		if ! bench_move_irq "$cpu"; then
			echo "not ok - bench $name (round $round): its interrupt thread could not be moved to CPU $cpu"
			kill_case_pids
			cd /
			return 0
		fi
		settle 200
		bench_press "$follows" "$light"
		settle 200
		skip=$(grep -c '^edge ' "$CASE_DIR/edges.log")
	fi
	settle 1000
	i=0
	# vboard.pin=1: the presses from CPU 0 (the subjects were started before, unpinned unless
	# they pin themselves).
	[ "${BENCH_PIN:-}" = 1 ] && taskset -p 1 $$ > /dev/null
	bench_trace_start "$name"
	while [ "$i" -lt "$presses" ]; do
		bench_press "$follows" "$light"
		i=$((i + 1))
	done
	bench_trace_stop "$name"
	[ "${BENCH_PIN:-}" = 1 ] && taskset -p 3 $$ > /dev/null
	settle 500
	kill_case_pids
	grep '^edge ' "$CASE_DIR/edges.log" | tail -n +$((skip + 1)) > "$CASE_DIR/measured.log"
	n=$(grep -c '^edge ' "$CASE_DIR/measured.log")
	sed "s/^/BENCH $name /; s/\$/ round=$round/" "$CASE_DIR/measured.log"
	echo "BENCHINFO $name presses=$presses edges=$n missed=$BENCH_MISSED light=$light logs=$logs gap_ms=$BENCH_GAP_MS round=$round irqcpu=$cpu warmup_edges=$skip"
	if [ "$logs" = press ]; then good=$([ "$n" = "$presses" ] && echo 1); else good=$([ "$n" -ge "$presses" ] && echo 1); fi
	if [ "$BENCH_MISSED" = 0 ] && [ -n "$good" ]; then
		echo "ok - bench $name (round $round, interrupt thread on CPU $cpu): $presses presses, $n edges logged ($logs)"
		BENCH_OK=1
	else
		echo "not ok - bench $name (round $round): $n edges logged for $presses presses, the light missed $BENCH_MISSED transitions"
	fi
	cd /
}

# run_bench PRESSES [ROUNDS]: every subject gets PRESSES presses (press + release = 2 edges each)
# in ROUNDS rounds (default 1), the subjects taking turns and each started afresh every round.
# A fresh start requests the lines again, and with them the kernel makes the interrupt's thread
# anew, on a CPU of its choosing: where that thread lands decides much of a run's figures, the
# p99 above all (issue 12: with the thread put on CPU 0 the floor's p99 was 6.7 ms, on CPU 1
# 4.9 ms, in runs of the same hour), for every subject alike. Left to the kernel, one start per
# subject is a coin toss per subject. So each round puts the thread of every subject on the same
# CPU, round R on CPU (R - 1) mod the CPUs (vboard.irqcpu=rounds, the default; an even number of
# rounds gives every subject as many presses on each CPU of two); vboard.irqcpu=N puts it on CPU N
# in every round, vboard.irqcpu=kernel leaves it where the kernel made it.
run_bench() {
	local presses=${1:-200} rounds=${2:-1} round name light follows start gap logs ok=0 fail=0 per
	BENCH_DEFAULT_GAP=${BENCH_GAP_MS:-15}
	per=$((presses / rounds))
	[ "$per" -gt 0 ] || per=1
	echo "$BENCH_SUBJECTS" > /tmp/bench-subjects
	echo "vboard: clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2> /dev/null) (available: $(cat /sys/devices/system/clocksource/clocksource0/available_clocksource 2> /dev/null))"
	echo "vboard: $rounds rounds of $per presses per subject"
	round=1
	while [ "$round" -le "$rounds" ]; do
		while IFS='|' read -r name light follows start gap logs; do
			[ -n "$name" ] || continue
			# vboard.only=GLOB: only the subjects whose name matches.
			case "$name" in ${BENCH_ONLY:-*}) ;; *) continue ;; esac
			bench_one "$name" "$light" "$follows" "$start" "$gap" "$logs" "$per" "$round"
			if [ -n "$BENCH_OK" ]; then ok=$((ok + 1)); else fail=$((fail + 1)); fi
		done < /tmp/bench-subjects
		round=$((round + 1))
	done
	echo "$ok passed, $fail failed"
}
