#!/bin/sh
# /init of the systemd board's first stage (busybox ash): load virtio and ext4, mount the root
# disk (/dev/vda, a snapshot of rootfs.img) and this run's disk (/dev/vdb, read-only at /vboard),
# put the run's pieces in place, and hand over to systemd:
#   - the gpio-sim module (and configfs) under /lib/modules, where modprobe finds them
#   - the libraries Samtale's build needs that Debian does not ship (the Swift runtime of a
#     debug build), in /usr/lib/x86_64-linux-gnu; a --static-swift-stdlib build needs none
#   - the guest's units (vboard-gpio-sim, vboard-http-probe, vboard-test), enabled
# vboard.mode=shell enables a root shell on the console instead of the test unit.
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

fail() {
	echo "not ok - board setup (first stage): $*"
	echo "0 passed, 1 failed"
	sync
	poweroff -f
	sleep 5
}

MODE=test
for word in $(cat /proc/cmdline); do
	case "$word" in vboard.mode=*) MODE=${word#*=} ;; esac
done
for m in $(cat /etc/vboard/modules); do
	# crc32c-intel needs SSE 4.2, which the emulated CPU may lack: crc32c_generic stands in.
	insmod "/lib/modules/$m" 2> /dev/null || true
done
i=0
while [ ! -b /dev/vda ] || [ ! -b /dev/vdb ]; do
	i=$((i + 1))
	[ "$i" -gt 100 ] && fail "no /dev/vda and /dev/vdb after 10 s (virtio_blk: $(grep -c virtio /proc/modules) virtio modules loaded)"
	usleep 100000
done
mount -t ext4 -o rw /dev/vda /newroot || fail "cannot mount the root disk /dev/vda"
mkdir -p /newroot/vboard
mount -t ext4 -o ro /dev/vdb /newroot/vboard || fail "cannot mount the run disk /dev/vdb"
R=/newroot
cp -a "$R/vboard/modules/lib/modules/." "$R/lib/modules/" || fail "cannot copy the modules"
cp "$R"/vboard/lib/* "$R/usr/lib/x86_64-linux-gnu/" 2> /dev/null || true
cp "$R"/vboard/units/*.service "$R/etc/systemd/system/" || fail "cannot copy the guest's units"
mkdir -p "$R/etc/systemd/system/multi-user.target.wants"
for u in vboard-gpio-sim.service vboard-http-probe.service; do
	ln -sfn "/etc/systemd/system/$u" "$R/etc/systemd/system/multi-user.target.wants/$u"
done
if [ "$MODE" = shell ]; then
	rm -f "$R/etc/systemd/system/serial-getty@ttyS0.service"
	mkdir -p "$R/etc/systemd/system/serial-getty@ttyS0.service.d"
	printf '[Service]\nExecStart=\nExecStart=-/sbin/agetty --autologin root --keep-baud 115200 %%I $TERM\n' \
		> "$R/etc/systemd/system/serial-getty@ttyS0.service.d/autologin.conf"
	mkdir -p "$R/etc/systemd/system/getty.target.wants"
	ln -sfn /lib/systemd/system/serial-getty@.service "$R/etc/systemd/system/getty.target.wants/serial-getty@ttyS0.service"
	echo "vboard: shell on the console (the test is not run: bash /vboard/systemd-tests.sh runs it; poweroff leaves)"
else
	ln -sfn /etc/systemd/system/vboard-test.service "$R/etc/systemd/system/multi-user.target.wants/vboard-test.service"
fi
echo "vboard: first stage done after $(cut -d' ' -f1 /proc/uptime) s; switching to systemd"
umount /proc /sys
umount /dev 2> /dev/null || true
exec switch_root /newroot /lib/systemd/systemd
