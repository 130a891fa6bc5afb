#!/usr/bin/env bash
# Board/install/install.sh: put Samtale on a Raspberry Pi (or any Debian with systemd), or take
# it off again. Run as root on the board.
#
#   install.sh [--binary PATH] [--config FILE] [--prefix DIR] [--no-start]
#   install.sh --uninstall [--purge] [--prefix DIR]
#   install.sh --bundle OUT.tar.gz [--binary PATH]      (no root needed; see below)
#
# Installs the binary to PREFIX/bin/samtale (PREFIX: /usr/local), samtale.service to
# /etc/systemd/system, the user (sysusers.d), the folders (tmpfiles.d), the udev rule for the GPIO
# chips, /etc/samtale/samtale.json.example, and /etc/samtale/samtale.json from --config or the
# example when there is none yet (an existing one is never touched); then enables and (re)starts
# the service and waits for it to report ready. --no-start installs and enables only.
# --uninstall stops and removes all that but keeps the configuration, the journal of check-ins
# and the user; --purge removes those too.
# --bundle writes a tarball with this script, Systemd/ and the binary, for a board without the
# repository: `tar xzf samtale.tar.gz && sudo ./samtale/install.sh`. See Board/install/README.md.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PREFIX=/usr/local
BINARY=""
CONFIG=""
ACTION=install
PURGE=0
START=1
BUNDLE=""
UNIT_DIR=/etc/systemd/system
ETC=/etc/samtale
SHARE=/srv/samtale-share

say() { echo "install: $*" >&2; }
die() {
	echo "install: error: $*" >&2
	exit 1
}
LOGS=$(mktemp -d)
trap 'rm -rf "$LOGS"' EXIT
# step NAME CMD...: run a step with its output in a log; on failure show the log's tail.
step() {
	local name=$1 log=$LOGS/$1.log
	shift
	if ! "$@" > "$log" 2>&1; then
		echo "install: error: $name failed ($*):" >&2
		tail -n 25 "$log" | sed 's/^/    /' >&2
		exit 1
	fi
}
usage() {
	sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
	exit "${1:-0}"
}

while [ $# -gt 0 ]; do
	case "$1" in
	--binary)
		[ $# -ge 2 ] || die "--binary needs a path"
		BINARY=$2
		shift 2
		;;
	--config)
		[ $# -ge 2 ] || die "--config needs a file"
		CONFIG=$2
		shift 2
		;;
	--prefix)
		[ $# -ge 2 ] || die "--prefix needs a folder (e.g. /usr/local)"
		PREFIX=${2%/}
		shift 2
		;;
	--bundle)
		[ $# -ge 2 ] || die "--bundle needs the tarball to write (e.g. samtale.tar.gz)"
		BUNDLE=$2
		ACTION=bundle
		shift 2
		;;
	--no-start) START=0; shift ;;
	--uninstall) ACTION=uninstall; shift ;;
	--purge) PURGE=1; shift ;;
	-h | --help) usage 0 ;;
	*) die "unknown option '$1' (see $0 --help)" ;;
	esac
done
[ "$PURGE" = 1 ] && [ "$ACTION" != uninstall ] && die "--purge goes with --uninstall"
case "$PREFIX" in /*) ;; *) die "--prefix must be an absolute path, not '$PREFIX'" ;; esac

# The Systemd/ folder: beside this script in a bundle, two levels up in the repository.
if [ -f "$HERE/Systemd/samtale.service" ]; then
	SRC=$HERE/Systemd
elif [ -f "$HERE/../../Systemd/samtale.service" ]; then
	SRC=$(cd "$HERE/../.." && pwd)/Systemd
else
	die "cannot find Systemd/samtale.service beside $HERE or in the repository above it"
fi
DOC=$PREFIX/share/doc/samtale

# The binary: --binary, else one beside this script (a bundle), else the repository's release build.
find_binary() {
	if [ -z "$BINARY" ]; then
		for b in "$HERE/samtale" "$SRC/../.build/release/samtale"; do
			[ -f "$b" ] && BINARY=$b && break
		done
		[ -n "$BINARY" ] || die "no binary: build one (swift build -c release --static-swift-stdlib, see Board/install/README.md) or give --binary PATH"
	fi
	[ -f "$BINARY" ] || die "--binary $BINARY: no such file"
	[ -x "$BINARY" ] || die "$BINARY is not executable"
}

# --- bundle ------------------------------------------------------------------------------

if [ "$ACTION" = bundle ]; then
	find_binary
	stage=$LOGS/bundle/samtale
	mkdir -p "$stage"
	cp -a "$SRC" "$stage/Systemd"
	install -m 0755 "$HERE/install.sh" "$stage/install.sh"
	install -m 0644 "$HERE/README.md" "$stage/README.md"
	install -m 0755 "$BINARY" "$stage/samtale"
	tar -C "$LOGS/bundle" -czf "$BUNDLE" samtale
	say "wrote $BUNDLE ($(du -h "$BUNDLE" | cut -f1)): copy it to the board, then: tar xzf $(basename "$BUNDLE") && sudo ./samtale/install.sh"
	exit 0
fi

# --- checks ------------------------------------------------------------------------------

[ "$(id -u)" -eq 0 ] || die "run as root (sudo $0 ...)"
[ -d /run/systemd/system ] || die "systemd is not running here (no /run/systemd/system): this installs a systemd service"
for c in systemctl systemd-sysusers systemd-tmpfiles udevadm; do
	command -v "$c" > /dev/null || die "$c is missing (apt-get install systemd udev)"
done

# --- uninstall ---------------------------------------------------------------------------

if [ "$ACTION" = uninstall ]; then
	if [ -f "$UNIT_DIR/samtale.service" ]; then
		say "stopping and disabling samtale.service"
		step disable systemctl disable --now samtale.service
	fi
	for u in "$UNIT_DIR"/samtale-kiosk*; do
		[ -f "$u" ] || continue
		step "disable-${u##*/}" systemctl disable --now "${u##*/}"
		rm -f "$u"
	done
	rm -f "$UNIT_DIR/samtale.service" "$PREFIX/bin/samtale" /etc/sysusers.d/samtale.conf \
		/etc/tmpfiles.d/samtale.conf /etc/udev/rules.d/60-samtale-gpio.rules
	rm -rf "$DOC"
	step daemon-reload systemctl daemon-reload
	step udev-reload udevadm control --reload
	if [ "$PURGE" = 1 ]; then
		say "--purge: removing $ETC, /var/lib/samtale (the journal of check-ins), /var/log/samtale and the user samtale"
		rm -rf "$UNIT_DIR/samtale.service.d" "$ETC" /var/lib/samtale /var/log/samtale
		if getent passwd samtale > /dev/null; then step userdel userdel samtale; fi
		if getent group samtale > /dev/null; then step groupdel groupdel samtale; fi
	else
		say "kept $ETC, /var/lib/samtale and the user samtale (--uninstall --purge removes them)"
	fi
	say "Samtale is uninstalled"
	exit 0
fi

# --- install -----------------------------------------------------------------------------

find_binary
if [ -n "$CONFIG" ]; then
	[ -f "$CONFIG" ] || die "--config $CONFIG: no such file"
fi
# The binary must run here: the right architecture and every library it links present.
if ! "$BINARY" --help > "$LOGS/help.log" 2>&1; then
	missing=$(ldd "$BINARY" 2> /dev/null | awk '/not found/ { print $1 }' | tr '\n' ' ')
	[ -n "$missing" ] && die "$BINARY needs libraries this system lacks: ${missing}(build with --static-swift-stdlib; libgpiod: apt-get install libgpiod2 on bookworm, libgpiod3 on trixie)"
	die "$BINARY does not run here (built for another architecture?): $(head -3 "$LOGS/help.log" | tr '\n' ' ')"
fi

say "installing $BINARY as $PREFIX/bin/samtale"
install -d -m 0755 "$PREFIX/bin"
install -m 0755 "$BINARY" "$PREFIX/bin/.samtale.new"
mv -f "$PREFIX/bin/.samtale.new" "$PREFIX/bin/samtale"

say "creating the user samtale (in the gpio group) and its folders"
install -D -m 0644 "$SRC/sysusers.d/samtale.conf" /etc/sysusers.d/samtale.conf
step sysusers systemd-sysusers /etc/sysusers.d/samtale.conf
install -D -m 0644 "$SRC/tmpfiles.d/samtale.conf" /etc/tmpfiles.d/samtale.conf
step tmpfiles systemd-tmpfiles --create /etc/tmpfiles.d/samtale.conf

say "giving the gpio group the GPIO chips (udev rule)"
install -D -m 0644 "$SRC/udev/60-samtale-gpio.rules" /etc/udev/rules.d/60-samtale-gpio.rules
step udev-reload udevadm control --reload
step udev-trigger udevadm trigger --subsystem-match=gpio --action=add
step udev-settle udevadm settle --timeout=30
for chip in /dev/gpiochip*; do
	[ -e "$chip" ] || continue
	[ "$(stat -c %G "$chip")" = gpio ] || say "warning: $chip belongs to group $(stat -c %G "$chip"), not gpio (another udev rule wins?)"
done

say "configuration in $ETC"
install -d -m 0750 -o root -g samtale "$ETC"
install -m 0640 -o root -g samtale "$SRC/samtale.json.example" "$ETC/samtale.json.example"
if [ -e "$ETC/samtale.json" ]; then
	say "kept the existing $ETC/samtale.json"
	[ -n "$CONFIG" ] && say "warning: --config $CONFIG not installed: $ETC/samtale.json exists (edit it, or remove it first)"
else
	install -m 0640 -o root -g samtale "${CONFIG:-$SRC/samtale.json.example}" "$ETC/samtale.json"
	if [ -n "$CONFIG" ]; then
		say "installed $CONFIG as $ETC/samtale.json"
	else
		say "installed the example as $ETC/samtale.json: edit it (room, schedule, GPIO lines), then: systemctl restart samtale"
	fi
fi
[ -d "$SHARE" ] || install -d -m 0755 "$SHARE"

say "installing samtale.service (ExecStart=$PREFIX/bin/samtale)"
sed "s|/usr/local/|$PREFIX/|g" "$SRC/samtale.service" > "$LOGS/samtale.service"
install -D -m 0644 "$LOGS/samtale.service" "$UNIT_DIR/samtale.service"
# The kiosk browser's units (Systemd/samtale-kiosk*), when there are: installed, not enabled
# (a board may show the door on another screen); Systemd/README.md says how to enable them.
for u in "$SRC"/samtale-kiosk*; do
	[ -f "$u" ] || continue
	sed "s|/usr/local/|$PREFIX/|g" "$u" > "$LOGS/${u##*/}"
	install -m 0644 "$LOGS/${u##*/}" "$UNIT_DIR/${u##*/}"
	say "installed ${u##*/} (not enabled: see $DOC/systemd.md)"
done
install -d -m 0755 "$DOC/examples"
install -m 0644 "$SRC/README.md" "$DOC/systemd.md"
[ -f "$HERE/README.md" ] && install -m 0644 "$HERE/README.md" "$DOC/install.md"
install -m 0644 "$SRC"/*.mount "$SRC"/*.automount "$SRC/samtale.json.example" "$DOC/examples/"
step daemon-reload systemctl daemon-reload
step enable systemctl enable samtale.service
# On the card before anyone pulls the plug.
sync

if [ "$START" = 0 ]; then
	say "installed and enabled; not started (--no-start): systemctl start samtale"
	exit 0
fi
say "starting samtale.service (waits for it to report ready)"
if ! systemctl restart samtale.service > "$LOGS/start.log" 2>&1; then
	systemctl --no-pager status samtale.service >&2 || true
	die "samtale.service did not start; see: journalctl -u samtale -b"
fi
say "samtale is $(systemctl show -p ActiveState --value samtale.service): $(systemctl show -p StatusText --value samtale.service)"
say "the door: http://127.0.0.1:8080/ ; logs: journalctl -u samtale ; status: systemctl status samtale"
