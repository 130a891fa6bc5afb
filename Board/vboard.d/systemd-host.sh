# systemd-host.sh: the host side of `Board/vboard test --systemd` (sourced by Board/vboard).
#
# The board boots a debootstrapped Debian bookworm with systemd as PID 1 instead of the busybox
# initramfs: the same kernel and gpio-sim module, a small busybox first stage
# (systemd-stage1.sh) that loads virtio and ext4, mounts the root and switch_roots, and two
# virtio disks:
#   rootfs.img  Debian bookworm minbase + systemd, udev, dbus, libgpiod2, curl, timesyncd
#               (debootstrap once, cached in $CACHE/systemd/); booted as a snapshot, so every
#               run starts from the same fresh system
#   run.img     this run's files, mounted read-only at /vboard: the Samtale binary and the
#               libraries it needs, the installer bundle (Board/install/install.sh --bundle),
#               the gpio-sim module, the guest's units and test scripts
# The guest's clock starts at 2024-01-01 (qemu -rtc): a board without a real-time clock.
# The figures (exposure, boot to READY ...) are printed; VBOARD_RECORD=1 appends them to
# Board/bench/results.md when every case passed.
# The cases (systemd-tests.sh) install Samtale with the installer, then check it under systemd;
# the guest prints `ok`/`not ok` lines and the closing `N passed, M failed` on the console.

# With --deb FILE the board is a fresh Debian of --debian's release (bookworm or trixie) without
# libgpiod (the package carries its own) and with the release's package lists, as a newly
# installed board has them: apt installs the package and resolves its dependencies from them.
SD_RELEASE=$DEBIAN_RELEASE
if [ -n "$DEB" ]; then
	SD=$CACHE/systemd-deb-$SD_RELEASE
	SD_PACKAGES=systemd,systemd-sysv,udev,kmod,dbus,curl,systemd-timesyncd,procps
else
	SD=$CACHE/systemd
	SD_PACKAGES=systemd,systemd-sysv,udev,kmod,dbus,libgpiod2,curl,systemd-timesyncd,procps
fi
# The guest's wall clock at power-on.
SD_RTC=2024-01-01T12:00:00

# The Debian archive apt uses here for bookworm (VBOARD_DEBIAN_MIRROR overrides).
debian_mirror() {
	local mirror=${VBOARD_DEBIAN_MIRROR:-}
	[ -n "$mirror" ] || mirror=$(apt-get indextargets --format '$(RELEASE) $(REPO_URI)' 2> /dev/null | awk '$1 == "bookworm" { print $2; exit }')
	[ -n "$mirror" ] || die "cannot tell which Debian mirror apt uses for bookworm; set VBOARD_DEBIAN_MIRROR=<the URI of a Debian archive>"
	echo "${mirror%/}"
}

ensure_sd_host_packages() {
	local p missing=()
	for p in debootstrap e2fsprogs; do installed "$p" || missing+=("$p"); done
	[ ${#missing[@]} -eq 0 ] && return
	apt_update_once
	say "installing ${missing[*]} (apt-get)"
	step apt-install-systemd $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# The root file system: debootstrap (about 1 minute, once), a few settings for a board on a
# serial console, then an ext4 image made from the tree with mkfs.ext4 -d (no loop mount).
ensure_sd_rootfs() {
	local tree=$SD/tree stamp size
	SD_ROOTFS=$SD/rootfs.img
	stamp="$SD_RELEASE minbase $SD_PACKAGES ${DEB:+apt-lists }$(sha256sum "$D/systemd-rootfs.sh" | cut -c1-16)"
	[ -f "$SD_ROOTFS" ] && [ "$(cat "$SD_ROOTFS.stamp" 2> /dev/null)" = "$stamp" ] && return
	mkdir -p "$SD/debs"
	if [ "$(cat "$tree.ok" 2> /dev/null)" != "$SD_RELEASE minbase $SD_PACKAGES" ]; then
		say "debootstrap: Debian $SD_RELEASE minbase with $SD_PACKAGES (about 2 minutes, once)"
		rm -rf "$tree" "$tree.tmp"
		step "debootstrap-$SD_RELEASE" nice -n 10 debootstrap --variant=minbase --cache-dir="$SD/debs" --include="$SD_PACKAGES" \
			"$SD_RELEASE" "$tree.tmp" "$(debian_mirror)"
		mv "$tree.tmp" "$tree"
		echo "$SD_RELEASE minbase $SD_PACKAGES" > "$tree.ok"
	fi
	say "configuring the guest's root file system"
	step sd-rootfs env VBOARD_KEEP_APT_LISTS="${DEB:+1}" bash "$D/systemd-rootfs.sh" "$tree"
	if [ -n "$DEB" ]; then
		say "the release's package lists in the guest (apt-get update in the tree)"
		step sd-apt-update sd_chroot_apt update
	fi
	# The libraries the guest has, so that only the others are copied in (by file name).
	(cd "$tree/usr/lib/$ARCH_TRIPLET" && ls) > "$SD/rootfs-libs.txt"
	size=$(($(du -sm "$tree" | cut -f1) + 512))
	say "making the root file system image (${size} MB, mkfs.ext4 -d)"
	rm -f "$SD_ROOTFS.tmp"
	step mkfs-rootfs mkfs.ext4 -q -F -L vboard-root -E root_owner=0:0 -d "$tree" "$SD_ROOTFS.tmp" "${size}M"
	mv "$SD_ROOTFS.tmp" "$SD_ROOTFS"
	echo "$stamp" > "$SD_ROOTFS.stamp"
}

# The first stage: busybox and the modules that reach the root disk (virtio PCI, virtio block,
# ext4), with systemd-stage1.sh as /init.
ensure_sd_initrd() {
	local stage=$SD/stage1 out=$SD/stage1.cpio fp m name modules
	SD_INITRD=$out
	fp=$({
		echo "$KVER"
		sha256sum "$D/systemd-stage1.sh" "$(command -v busybox)"
	} | sha256sum | cut -c1-16)
	[ -f "$out" ] && [ "$(cat "$out.fingerprint" 2> /dev/null)" = "$fp" ] && return
	say "building the first stage ($(basename "$out"))"
	rm -rf "$stage"
	mkdir -p "$stage"/{bin,dev,proc,sys,newroot,etc/vboard,lib/modules}
	install -m 0755 "$(command -v busybox)" "$stage/bin/busybox"
	for name in $(busybox --list); do
		[ "$name" = busybox ] || ln -s busybox "$stage/bin/$name"
	done
	: > "$stage/etc/vboard/modules"
	for name in virtio_pci virtio_blk ext4; do
		modules=$(modprobe -d "$KROOT" -S "$KVER" --show-depends "$name" 2> "$CACHE/logs/modprobe.log" | awk '$1 == "insmod" { print $2 }') ||
			die "modprobe --show-depends $name failed: $(cat "$CACHE/logs/modprobe.log")"
		for m in $modules; do
			grep -qx "${m##*/}" "$stage/etc/vboard/modules" && continue
			cp "$m" "$stage/lib/modules/"
			echo "${m##*/}" >> "$stage/etc/vboard/modules"
		done
	done
	install -m 0755 "$D/systemd-stage1.sh" "$stage/init"
	(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) > "$out.tmp"
	mv "$out.tmp" "$out"
	echo "$fp" > "$out.fingerprint"
	rm -rf "$stage"
}

# copy_libs_missing FILE DIR: the shared libraries of FILE that the guest's root lacks, to DIR.
copy_libs_missing() {
	local lib name
	ldd "$1" 2> /dev/null | awk '/=> \// { print $3 }' | while read -r lib; do
		name=${lib##*/}
		grep -qxF "$name" "$SD/rootfs-libs.txt" && continue
		install -D -m 0644 "$(readlink -f "$lib")" "$2/$name"
	done
	if ldd "$1" 2>&1 | grep -q 'not found'; then
		die "$1 needs libraries this host does not have: $(ldd "$1" 2>&1 | grep 'not found' | tr -s ' \t' ' ')"
	fi
}

# sd_chroot_apt ARGS...: apt-get in the guest's tree (the host's network and resolver).
sd_chroot_apt() {
	local tree=$SD/tree rc=0
	cp -L /etc/resolv.conf "$tree/etc/resolv.conf.vboard" 2> /dev/null || true
	[ -e "$tree/etc/resolv.conf" ] && mv "$tree/etc/resolv.conf" "$tree/etc/resolv.conf.orig"
	mv "$tree/etc/resolv.conf.vboard" "$tree/etc/resolv.conf" 2> /dev/null || true
	chroot "$tree" env DEBIAN_FRONTEND=noninteractive apt-get -q "$@" || rc=$?
	rm -f "$tree/etc/resolv.conf"
	[ -e "$tree/etc/resolv.conf.orig" ] && mv "$tree/etc/resolv.conf.orig" "$tree/etc/resolv.conf"
	return "$rc"
}

# The package's dependencies that the fresh guest lacks, fetched from the release's archive by
# apt in the guest's tree (download only): the guest has no network, so they go on the run disk
# into apt's cache, and `apt install ./samtale_*.deb` there resolves them from the release's
# lists. A newer build for the upgrade case: --upgrade FILE, or this package again with a higher
# version (dpkg-deb -R, Version +vboard1, dpkg-deb -b).
sd_deb_prepare() {
	local stage=$1 tree=$SD/tree v
	mkdir -p "$stage/debs/cache" "$tree/tmp/vboard-debs"
	install -m 0644 "$DEB" "$stage/debs/$(basename "$DEB")"
	cp "$DEB" "$tree/tmp/vboard-debs/"
	rm -f "$tree"/var/cache/apt/archives/*.deb
	step sd-apt-download sd_chroot_apt install -y --download-only "/tmp/vboard-debs/$(basename "$DEB")"
	cp "$tree"/var/cache/apt/archives/*.deb "$stage/debs/cache/" 2> /dev/null || true
	rm -rf "$tree"/var/cache/apt/archives/*.deb "$tree/tmp/vboard-debs"
	say "the package's dependencies the fresh $SD_RELEASE lacks: $(cd "$stage/debs/cache" && ls | sed 's/_.*//' | tr '\n' ' ' | sed 's/ $//; s/^$/none/')"
	if [ -n "$UPGRADE_DEB" ]; then
		install -m 0644 "$UPGRADE_DEB" "$stage/debs/upgrade.deb"
	else
		rm -rf "$SD/repack"
		step deb-unpack dpkg-deb -R "$DEB" "$SD/repack"
		v=$(dpkg-deb -f "$DEB" Version)+vboard1
		sed -i "s/^Version: .*/Version: $v/" "$SD/repack/DEBIAN/control"
		step deb-repack dpkg-deb --root-owner-group -b "$SD/repack" "$stage/debs/upgrade.deb"
		rm -rf "$SD/repack"
	fi
	{
		echo "VBOARD_DEB='/vboard/debs/$(basename "$DEB")'"
		echo "VBOARD_DEB_VERSION='$(dpkg-deb -f "$DEB" Version)'"
		echo "VBOARD_UPGRADE_VERSION='$(dpkg-deb -f "$stage/debs/upgrade.deb" Version)'"
		echo "VBOARD_DEBIAN='$SD_RELEASE'"
	} >> "$stage/vboard.conf"
}

# This run's disk: mounted read-only at /vboard in the guest.
make_sd_rundisk() {
	local stage=$SD/run m modules size
	SD_RUNDISK=$SD/run.img
	rm -rf "$stage"
	mkdir -p "$stage"/{bin,lib,units,modules/lib/modules/$KVER/extra}
	if [ -n "$SAMTALE" ]; then
		install -m 0755 "$SAMTALE" "$stage/bin/samtale"
		copy_libs_missing "$SAMTALE" "$stage/lib"
	fi
	install -m 0755 "$FLOOR" "$stage/bin/gpio-floor"
	copy_libs_missing "$FLOOR" "$stage/lib"
	# gpio-sim and configfs, where modprobe in the guest finds them.
	modules=$(modprobe -d "$KROOT" -S "$KVER" --show-depends gpio-sim | awk '$1 == "insmod" { print $2 }')
	for m in $modules; do
		install -D -m 0644 "$m" "$stage/modules/lib/modules/$KVER/${m#"$KROOT/lib/modules/$KVER/"}"
	done
	cp "$KROOT/lib/modules/$KVER"/modules.{order,builtin,builtin.modinfo} "$stage/modules/lib/modules/$KVER/" 2> /dev/null || true
	step depmod-guest depmod -b "$stage/modules" "$KVER"
	# The installer as a school would get it: a bundle of install.sh, Systemd/ and the binary.
	[ -n "$SAMTALE" ] && step bundle "$BOARD_DIR/install/install.sh" --bundle "$stage/samtale.tar.gz" --binary "$SAMTALE"
	install -m 0644 "$D"/systemd/*.service "$stage/units/"
	install -m 0644 "$D/guest-lib.sh" "$D/guest-tests-samtale.sh" "$D/systemd-tests.sh" "$D/systemd-gpio-sim.sh" "$stage/"
	install -m 0644 "$D/systemd/samtale-test.json" "$stage/"
	{
		echo "VBOARD_LIBGPIOD='$("$FLOOR" --version | awk '{ print $3 }')'"
		echo "VBOARD_KERNEL='$KVER'"
	} > "$stage/vboard.conf"
	[ -n "$DEB" ] && sd_deb_prepare "$stage"
	size=$(($(du -sm "$stage" | cut -f1) + 32))
	rm -f "$SD_RUNDISK"
	step mkfs-run mkfs.ext4 -q -F -L vboard-run -E root_owner=0:0 -d "$stage" "$SD_RUNDISK" "${size}M"
	rm -rf "$stage"
}

# sd_val KEY: a figure the guest printed as `BENCH systemd KEY VALUE`.
sd_val() { awk -v k="$1" '$1 == "BENCH" && $2 == "systemd" && $3 == k { $1 = $2 = $3 = ""; sub(/^ +/, ""); print; exit }' "$RUN_LOG"; }

# The systemd figures into bench/results.md.
sd_record_bench() {
	local results=$BOARD_DIR/bench/results.md
	[ -n "$(sd_val exposure)" ] || {
		say "the guest reported no systemd figures; $results not written"
		return 0
	}
	{
		echo
		echo "## $(date -u '+%Y-%m-%d %H:%M UTC'): under systemd (Board/vboard test --systemd${DEB:+ --deb, $SD_RELEASE})"
		echo
		local what=${DEB:-$BINARY}
		echo "Debian $SD_RELEASE, systemd $(sd_val systemd), kernel $KVER, qemu TCG -smp 2; host: $(nproc) cores, load average $SD_LOAD before the boot. Samtale: $what${DEB:+ (apt install, samtale setup)}, built $(date -u -r "$what" '+%Y-%m-%d %H:%M UTC')."
		echo
		echo "| what | value |"
		echo "|---|---:|"
		echo "| \`systemd-analyze security samtale.service\` exposure | $(sd_val exposure) |"
		echo "| kernel start to multi-user.target (first boot) | $(sd_val multiuser) |"
		echo "| kernel start to READY=1 (second boot, after a power cut; enabled at boot) | $(sd_val boot_ready) |"
		echo "| process start to READY=1 (second boot) | $(sd_val start_ready) |"
		echo "| READY=1 to the first HTTP 200 on / (second boot; negative: before READY) | $(sd_val ready_http) |"
		echo "| process start to READY=1 (installer's start, first boot) | $(sd_val install_start_ready) |"
		echo "| SIGKILL to active again (Restart=on-failure, RestartSec=5s) | $(sd_val kill_restart) |"
		echo "| SIGSTOP to active again (WatchdogSec=5s in a test drop-in) | $(sd_val watchdog_restart) |"
	} >> "$results"
	say "appended the systemd figures to $results"
}

# Everything but the boot.
sd_prepare() {
	choose_kernel_abi
	KVER=6.1.0-$KABI-amd64
	ensure_host_packages
	ensure_sd_host_packages
	ensure_kernel
	ensure_gpio_sim
	[ "$LIBGPIOD" = 2 ] && ensure_libgpiod2
	ensure_floor
	ensure_samtale
	[ -n "$SAMTALE" ] || [ -n "$DEB" ] || die "--systemd needs a Samtale binary (build .build/debug/samtale, or --binary PATH) or a package (--deb FILE)"
	ensure_sd_rootfs
	ensure_sd_initrd
	make_sd_rundisk
	MEM=${VBOARD_MEM:-1024}
	INITRD=$SD_INITRD
	QEMU_EXTRA=(-drive "file=$SD_ROOTFS,format=raw,if=virtio,snapshot=on"
		-drive "file=$SD_RUNDISK,format=raw,if=virtio,readonly=on" -rtc "base=$SD_RTC")
	SD_APPEND="console=ttyS0 panic=-1 quiet loglevel=3 systemd.show_status=false systemd.firstboot=off"
	say "ready after $(elapsed) s: kernel $KVER, $(du -h "$SD_ROOTFS" | cut -f1) root image, $(du -h "$SD_RUNDISK" | cut -f1) run disk"
}

cmd_test_systemd() {
	local rc=0
	sd_prepare
	# Two boots in one qemu: the first installs and runs the cases, then cuts the power; the
	# second starts Samtale at boot and measures it. The snapshot lives as long as qemu.
	QEMU_REBOOT=1
	SD_LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
	boot systemd "${VBOARD_TIMEOUT:-600}" systemd.show_status=false systemd.firstboot=off \
		"vboard.only=$ONLY" "vboard.case_timeout=${VBOARD_CASE_TIMEOUT:-120}"
	check_summary || rc=1
	grep '^BENCH systemd ' "$RUN_LOG" | sed 's/^BENCH systemd /vboard: systemd figure: /' >&2 || true
	if [ "$rc" = 0 ] && [ "${VBOARD_RECORD:-0}" = 1 ]; then sd_record_bench; fi
	return "$rc"
}

# A root shell on the console of the systemd board (Samtale not installed: the bundle is
# /vboard/samtale.tar.gz; `bash /vboard/systemd-tests.sh run` runs the cases).
cmd_shell_systemd() {
	sd_prepare
	say "booting the systemd board with a root shell (poweroff to leave; Ctrl-A X kills qemu)"
	exec qemu-system-x86_64 -accel tcg -m "$MEM" -smp 2 -nographic -no-reboot -nic none \
		-kernel "$VMLINUX" -initrd "$INITRD" -append "$SD_APPEND vboard.mode=shell" "${QEMU_EXTRA[@]}"
}
