# guest-lib.sh: helpers for the virtual board's guest side (busybox ash), sourced by /init.
#
# The board: one gpio-sim chip, bank label "samtale-sim", lines at offsets 0..7 named as in
# LINE_NAMES. Inputs (the buttons) are active-low with a pull-up: released = pull-up,
# pressed = pull-down. Outputs are read back through the simulator's `value` attribute.
#
# Helpers for test cases (see guest-tests.sh):
#   press NAME / release NAME     drive a button line (pull-down / pull-up)
#   bounce NAME N MS              the contact changes N times within about MS ms, then rests
#                                 in the opposite of where it started (a bouncing press or
#                                 release); with N even one more change lands it there.
#                                 BOUNCE_INFO is `bounce changes=N writes=W policy=P span_us=S`: the
#                                 time it really took (gpio-floor --bounce)
#   value NAME                    print what is driven on a line (0/1, physical level)
#   is NAME 0|1                   true if `value NAME` is that (sets SEEN for messages)
#   wait_for 'CMD' TIMEOUT        poll CMD (eval'd) every 10 ms until it is true; TIMEOUT is
#                                 500ms, 2s, or a plain number of seconds; false on time-out
#   expect 'WHAT' CMD [ARGS...]   run CMD; if false the case ends as `not ok - name: WHAT`
#   not CMD [ARGS...]             true if CMD is false (`expect 'no error' not grep -q error log`)
#   spawn LOG CMD [ARGS...]       start CMD in the background, stdout+stderr to LOG (in the
#                                 case's own directory); sets SPAWNED to its pid; everything
#                                 spawned is stopped when the case ends
#   stop_spawned PID              SIGTERM it and wait for it
#   settle MS                     sleep MS milliseconds
#   note TEXT                     a `# TEXT` diagnostic line under the case's result
#   line_info NAME                `gpio-floor --info NAME` (chip, offset, direction, consumer)
#   mono_ns                       set NOW_NS to CLOCK_MONOTONIC in ns (the clock of the kernel's
#                                 edge timestamps), read from /proc/timer_list without a fork

LINE_NAMES="BUTTON TEACHER_BUTTON RED AMBER GREEN TEACHER_LIGHT SPARE1 SPARE2"
INPUT_LINES="BUTTON TEACHER_BUTTON"
BANK_LABEL="samtale-sim"

# --- the board ------------------------------------------------------------------------

# sim_dir NAME: print the sysfs directory of the simulator side of line NAME.
sim_dir() {
	local n i=0
	for n in $LINE_NAMES; do
		if [ "$n" = "$1" ]; then
			echo "$SIM_SYSFS/sim_gpio$i"
			return 0
		fi
		i=$((i + 1))
	done
	echo "vboard: no line named '$1' (lines: $LINE_NAMES)" >&2
	return 1
}

press() {
	local d
	d=$(sim_dir "$1") || return 1
	echo pull-down > "$d/pull"
}

release() {
	local d
	d=$(sim_dir "$1") || return 1
	echo pull-up > "$d/pull"
}

bounce() {
	local d
	d=$(sim_dir "$1") || return 1
	# gpio-floor writes the simulator's pull attribute from C on one open descriptor: under
	# emulation a shell `echo >` per change takes 1-2 ms, which would stretch ten changes past a
	# 5 ms window (and past a 30 ms debounce on a busy host).
	BOUNCE_INFO=$(gpio-floor --bounce "$d/pull" "$2" "$(($3 * 1000))") || return 1
}

# bounce_policy: the scheduling the last bounce's writer had (fifo99, or other if refused).
bounce_policy() {
	local p=${BOUNCE_INFO#*policy=}
	echo "${p%% *}"
}

value() {
	local d v
	d=$(sim_dir "$1") || return 1
	read v < "$d/value"
	echo "$v"
}

is() {
	local v
	v=$(value "$1") || return 1
	SEEN="$1=$v"
	[ "$v" = "$2" ]
}

line_info() {
	gpio-floor --info "$1"
}

# reset_board: buttons released (pull-up), outputs pulled down (as when nobody drives them).
reset_board() {
	local n
	for n in $LINE_NAMES; do
		case " $INPUT_LINES " in
		*" $n "*) release "$n" ;;
		*) echo pull-down > "$(sim_dir "$n")/pull" ;;
		esac
	done
}

# --- time -----------------------------------------------------------------------------

# irq_numbers ERE: the numbers of the interrupts whose line in /proc/interrupts matches ERE (the
# line ends with the actions' names, a GPIO line's being its request's consumer label).
irq_numbers() {
	awk -F: -v re="$1" '$0 ~ re { gsub(/ /, "", $1); print $1 }' /proc/interrupts
}

# irq_thread_pids IRQ: the pids of the kernel's threads for interrupt IRQ (named irq/IRQ-...).
irq_thread_pids() {
	local d
	for d in /proc/[0-9]*; do
		case "$(cat "$d/comm" 2> /dev/null)" in "irq/$1-"*) echo "${d#/proc/}" ;; esac
	done
}

# uptime_ms: milliseconds since boot (10 ms resolution), from /proc/uptime.
uptime_ms() {
	local up rest
	read up rest < /proc/uptime
	echo $((${up%.*} * 1000 + 1${up#*.} * 10 - 1000))
}

# to_ms 500ms|2s|3 -> milliseconds
to_ms() {
	case "$1" in
	*ms) echo "${1%ms}" ;;
	*s) echo $((${1%s} * 1000)) ;;
	*) echo $(($1 * 1000)) ;;
	esac
}

mono_ns() {
	local _a _b _c
	{
		read -r _a
		read -r _b
		read -r _c
	} < /proc/timer_list
	NOW_NS=${_c#now at }
	NOW_NS=${NOW_NS% nsecs}
}

settle() {
	usleep $(($1 * 1000))
}

wait_for() {
	local cmd=$1 deadline
	deadline=$(($(uptime_ms) + $(to_ms "${2:-5s}")))
	while :; do
		eval "$cmd" && return 0
		[ "$(uptime_ms)" -ge "$deadline" ] && return 1
		usleep 10000
	done
}

# --- cases ----------------------------------------------------------------------------

# Registered cases, one per line: FUNCTION|NEEDS|NAME
CASES=""

# tcase FUNCTION "NAME" [NEEDS]: register a case. NEEDS: "samtale" (only when /bin/samtale
# is in the guest) or empty.
tcase() {
	CASES="$CASES$1|${3:-}|$2
"
}

expect() {
	local what=$1
	shift
	SEEN=""
	if "$@"; then
		return 0
	fi
	if [ -n "$SEEN" ]; then
		echo "$what (saw $SEEN)" > "$CASE_DIR/.why"
	else
		echo "$what" > "$CASE_DIR/.why"
	fi
	exit 1
}

not() {
	! "$@"
}

# load_cases: source guest-tests.sh, then every other guest-tests-*.sh in name order.
load_cases() {
	local f
	. /vboard/guest-tests.sh
	for f in /vboard/guest-tests-*.sh; do
		[ -f "$f" ] && . "$f"
	done
}

note() {
	echo "$*" >> "$CASE_DIR/.notes"
}

spawn() {
	local log=$1
	shift
	"$@" > "$log" 2>&1 &
	SPAWNED=$!
	echo "$SPAWNED" >> "$CASE_DIR/.pids"
}

stop_spawned() {
	kill -TERM "$1" 2> /dev/null
	wait "$1" 2> /dev/null
	return 0
}

# kill_case_pids: SIGTERM, then SIGKILL, everything a case spawned.
kill_case_pids() {
	local p alive
	[ -f "$CASE_DIR/.pids" ] || return 0
	for p in $(cat "$CASE_DIR/.pids"); do kill -TERM "$p" 2> /dev/null; done
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		alive=""
		for p in $(cat "$CASE_DIR/.pids"); do kill -0 "$p" 2> /dev/null && alive=1; done
		[ -z "$alive" ] && return 0
		usleep 100000
	done
	for p in $(cat "$CASE_DIR/.pids"); do kill -KILL "$p" 2> /dev/null; done
	return 0
}

# kill_strays: SIGKILL every user process but this shell and its ancestors (PID 1): whatever a
# case left running (started without spawn, or a case killed by its time-out) goes too.
kill_strays() {
	local keep=" 1 $$ " p=$$ pp rest d
	while [ "$p" -gt 1 ]; do
		read -r _ _ _ pp rest < "/proc/$p/stat" || break
		keep="$keep$pp "
		p=$pp
	done
	for d in /proc/[0-9]*; do
		p=${d#/proc/}
		case "$keep" in *" $p "*) continue ;; esac
		[ -e "$d/exe" ] || continue # a kernel thread
		kill -KILL "$p" 2> /dev/null
	done
	return 0
}

# print_indented FILE...: the files as `#   ` diagnostics (each headed by its name).
print_indented() {
	local f
	for f in "$@"; do
		[ -s "$f" ] || continue
		echo "#   --- ${f##*/}"
		tail -n 40 "$f" | sed 's/^/#   /'
	done
}

# run_cases [GLOB]: run every registered case (whose function name matches GLOB), print
# `ok - NAME` / `not ok - NAME: WHY` per case and the closing `N passed, M failed`.
run_cases() {
	local glob=${1:-*} passed=0 failed=0 fn needs name pid rc wd
	CASE_TIMEOUT=${CASE_TIMEOUT:-120}
	mkdir -p /tmp/cases
	echo "$CASES" > /tmp/cases/.list
	while IFS='|' read -r fn needs name; do
		[ -n "$fn" ] || continue
		case "$fn" in $glob) ;; *) continue ;; esac
		if [ "$needs" = samtale ] && [ ! -x /bin/samtale ]; then continue; fi
		CASE_DIR=/tmp/cases/$fn
		rm -rf "$CASE_DIR"
		mkdir -p "$CASE_DIR"
		reset_board
		(cd "$CASE_DIR" && "$fn") > "$CASE_DIR/.out" 2>&1 < /dev/null &
		pid=$!
		(
			trap 'kill $s 2> /dev/null; exit 0' TERM
			sleep "$CASE_TIMEOUT" &
			s=$!
			wait $s
			kill -KILL "$pid" 2> /dev/null && echo "timed out after ${CASE_TIMEOUT}s" > "$CASE_DIR/.why"
		) > /dev/null 2>&1 &
		wd=$!
		wait "$pid" 2> /dev/null
		rc=$?
		kill "$wd" 2> /dev/null
		wait "$wd" 2> /dev/null
		kill_case_pids
		kill_strays
		if [ "$rc" = 0 ] && [ ! -s "$CASE_DIR/.why" ]; then
			echo "ok - $name"
			passed=$((passed + 1))
		else
			[ -s "$CASE_DIR/.why" ] || echo "the case ended with status $rc" > "$CASE_DIR/.why"
			echo "not ok - $name: $(cat "$CASE_DIR/.why")"
			print_indented "$CASE_DIR/.out" $(ls "$CASE_DIR"/* 2> /dev/null)
			failed=$((failed + 1))
		fi
		[ -s "$CASE_DIR/.notes" ] && sed 's/^/# /' "$CASE_DIR/.notes"
	done < /tmp/cases/.list
	if [ $((passed + failed)) = 0 ]; then
		echo "not ok - no case matched '$glob'"
		failed=1
	fi
	echo "$passed passed, $failed failed"
}
