#!/usr/bin/env bash
# systemd-gpio-sim.sh: make the board's gpio-sim chip in the systemd guest (run by
# vboard-gpio-sim.service), as the busybox /init (guest-init.sh) does: one bank labelled
# samtale-sim with the lines of guest-lib.sh, buttons released. Writes SIM_DEV, SIM_CHIP and
# SIM_SYSFS to /run/vboard/sim.env for the cases.
set -euo pipefail
. /vboard/guest-lib.sh
modprobe gpio-sim
mountpoint -q /sys/kernel/config || mount -t configfs configfs /sys/kernel/config
G=/sys/kernel/config/gpio-sim/samtale
mkdir "$G" "$G/gpio-bank0"
echo 8 > "$G/gpio-bank0/num_lines"
echo "$BANK_LABEL" > "$G/gpio-bank0/label"
i=0
for n in $LINE_NAMES; do
	mkdir "$G/gpio-bank0/line$i"
	echo "$n" > "$G/gpio-bank0/line$i/name"
	i=$((i + 1))
done
echo 1 > "$G/live"
read -r SIM_DEV < "$G/dev_name"
read -r SIM_CHIP < "$G/gpio-bank0/chip_name"
SIM_SYSFS=/sys/devices/platform/$SIM_DEV/$SIM_CHIP
for i in $(seq 50); do [ -c "/dev/$SIM_CHIP" ] && break; sleep 0.1; done
[ -c "/dev/$SIM_CHIP" ] || { echo "vboard: no /dev/$SIM_CHIP" >&2; exit 1; }
mkdir -p /run/vboard
printf 'SIM_DEV=%s\nSIM_CHIP=%s\nSIM_SYSFS=%s\n' "$SIM_DEV" "$SIM_CHIP" "$SIM_SYSFS" > /run/vboard/sim.env
export SIM_SYSFS
reset_board
echo "vboard: gpio-sim chip $SIM_DEV/$SIM_CHIP '$BANK_LABEL' ready after $(cut -d' ' -f1 /proc/uptime) s: lines $LINE_NAMES"
