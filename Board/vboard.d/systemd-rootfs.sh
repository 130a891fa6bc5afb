#!/usr/bin/env bash
# systemd-rootfs.sh TREE: settle a debootstrapped bookworm for the virtual board (run on the host
# by Board/vboard test --systemd, before the tree becomes rootfs.img). A board on a serial
# console with no network and no one to answer prompts: a fixed machine-id (no first-boot
# wizard), no gettys (the test unit owns the console; the shell mode adds an autologin), no
# periodic jobs, the root file system mounted by the first stage.
set -euo pipefail
T=$1
[ -x "$T/lib/systemd/systemd" ] || {
	echo "$T has no systemd" >&2
	exit 1
}
echo vboard > "$T/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tvboard\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$T/etc/hosts"
echo 5a4d7462c0ff4ee0b0a2d5a1c0de0001 > "$T/etc/machine-id"
: > "$T/etc/fstab"
for u in getty@tty1.service serial-getty@ttyS0.service apt-daily.timer apt-daily-upgrade.timer \
	dpkg-db-backup.timer e2scrub_all.timer e2scrub_reap.service fstrim.timer; do
	ln -sfn /dev/null "$T/etc/systemd/system/$u"
done
# No root password: the shell mode logs in on the console by itself.
chroot "$T" passwd -d root > /dev/null
# Less to wait for on the console: no status lines, quicker stop of anything hanging.
mkdir -p "$T/etc/systemd/system.conf.d"
printf '[Manager]\nShowStatus=no\nDefaultTimeoutStopSec=15s\n' > "$T/etc/systemd/system.conf.d/vboard.conf"
# Keep the apt caches out of the image (the package lists too, unless VBOARD_KEEP_APT_LISTS=1:
# a --deb board has them, as a freshly installed Debian does).
rm -rf "$T"/var/cache/apt/archives/*.deb
[ "${VBOARD_KEEP_APT_LISTS:-}" = 1 ] || rm -rf "$T"/var/lib/apt/lists/*_Packages
