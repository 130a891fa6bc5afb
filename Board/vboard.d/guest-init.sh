#!/bin/sh
# /init of the virtual board (busybox ash, PID 1 in the initramfs).
#
# Mounts the basics, loads configfs and gpio-sim, creates the board's one simulated chip
# through configfs, then runs what the kernel command line asks for:
#   vboard.mode=test   the cases of /vboard/guest-tests*.sh (vboard.only=GLOB picks some)
#   vboard.mode=bench  the latency benchmark of /vboard/guest-bench.sh (vboard.presses=N in
#                      vboard.rounds=R rounds, each subject started afresh every round; vboard.pin=1
#                      adds the subjects pinned to one CPU; vboard.only=GLOB runs only the subjects
#                      it matches; vboard.trace=1 puts each subject's kernel events on the console;
#                      vboard.irqcpu=rounds|kernel|N says where the button's interrupt thread runs:
#                      see guest-bench.sh)
#   vboard.mode=shell  an interactive shell on the console
# and powers off. Any failure to set the board up is reported as a failing case, so the host
# always gets its closing `N passed, M failed` line unless the guest dies.

export PATH=/bin:/sbin
export HOME=/tmp

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
# Loopback only (qemu runs with -nic none): Samtale serves its door on 127.0.0.1.
ip link set lo up 2> /dev/null || ifconfig lo 127.0.0.1 up

. /vboard/guest-lib.sh
. /etc/vboard.conf

power_off() {
	sync
	poweroff -f
	sleep 2
	reboot -f
}

setup_fail() {
	echo "not ok - board setup: $*"
	echo "0 passed, 1 failed"
	power_off
}

MODE=test
ONLY='*'
PRESSES=200
for word in $(cat /proc/cmdline); do
	case "$word" in
	vboard.mode=*) MODE=${word#*=} ;;
	vboard.only=*) ONLY=${word#*=} BENCH_ONLY=${word#*=} ;;
	vboard.presses=*) PRESSES=${word#*=} ;;
	vboard.rounds=*) ROUNDS=${word#*=} ;;
	vboard.pin=*) BENCH_PIN=${word#*=} ;;
	vboard.irqcpu=*) BENCH_IRQ_CPU=${word#*=} ;;
	vboard.trace=*) BENCH_TRACE=${word#*=} ;;
	vboard.case_timeout=*) CASE_TIMEOUT=${word#*=} ;;
	esac
done

echo "vboard: guest up after $(cut -d' ' -f1 /proc/uptime) s: kernel $(uname -r), libgpiod $VBOARD_LIBGPIOD, mode $MODE"

# Modules, in dependency order as modprobe on the host computed them.
for m in $(cat /etc/vboard/modules); do
	out=$(insmod "/lib/modules/$m" 2>&1) || setup_fail "insmod $m: $out"
done
mount -t configfs configfs /sys/kernel/config || setup_fail "cannot mount configfs"

# The chip: one bank, 8 named lines.
G=/sys/kernel/config/gpio-sim/samtale
{
	mkdir "$G" &&
	mkdir "$G/gpio-bank0" &&
	echo 8 > "$G/gpio-bank0/num_lines" &&
	echo "$BANK_LABEL" > "$G/gpio-bank0/label"
} || setup_fail "cannot create the gpio-sim device in configfs ($G)"
i=0
for n in $LINE_NAMES; do
	{ mkdir "$G/gpio-bank0/line$i" && echo "$n" > "$G/gpio-bank0/line$i/name"; } ||
		setup_fail "cannot name line $i $n"
	i=$((i + 1))
done
echo 1 > "$G/live" || setup_fail "cannot bring the gpio-sim device live"
read SIM_DEV < "$G/dev_name" || setup_fail "no dev_name"
read SIM_CHIP < "$G/gpio-bank0/chip_name" || setup_fail "no chip_name"
SIM_SYSFS=/sys/devices/platform/$SIM_DEV/$SIM_CHIP
[ -w "$SIM_SYSFS/sim_gpio0/pull" ] || setup_fail "no simulator attributes at $SIM_SYSFS"
wait_for "[ -c /dev/$SIM_CHIP ]" 5s || setup_fail "no /dev/$SIM_CHIP"
export SIM_DEV SIM_CHIP SIM_SYSFS
reset_board
echo "vboard: board ready after $(cut -d' ' -f1 /proc/uptime) s: $SIM_DEV/$SIM_CHIP '$BANK_LABEL' lines $LINE_NAMES"

case "$MODE" in
test)
	load_cases
	run_cases "$ONLY"
	;;
bench)
	. /vboard/guest-bench.sh
	run_bench "$PRESSES" "${ROUNDS:-1}"
	;;
shell)
	echo ". /vboard/guest-lib.sh; load_cases" > /tmp/shellrc
	echo "vboard: shell; the helpers of guest-lib.sh are loaded (press BUTTON, value RED, run_cases ...); exit powers off"
	ENV=/tmp/shellrc setsid cttyhack sh
	;;
*)
	setup_fail "unknown vboard.mode=$MODE"
	;;
esac
power_off
