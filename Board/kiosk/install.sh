#!/bin/sh
# Installs the door display on a Raspberry Pi (Raspberry Pi OS / Debian bookworm), as root:
#   Board/kiosk/install.sh            install and start
#   Board/kiosk/install.sh --cog      with cog (WPE WebKit) instead of Chromium (small boards)
#   Board/kiosk/install.sh --uninstall
# The kiosk service itself (samtale.service) is installed by Board/install/install.sh.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
lib=/usr/local/lib/samtale
units=/etc/systemd/system

if [ "${1:-}" = "--uninstall" ]; then
  systemctl disable --now samtale-kiosk-watchdog.timer samtale-kiosk.service 2>/dev/null || true
  rm -f "$units/samtale-kiosk.service" "$units/samtale-kiosk-watchdog.service" "$units/samtale-kiosk-watchdog.timer"
  rm -f "$lib/kiosk-session" "$lib/kiosk-watchdog" "$lib/kiosk-screen" /usr/local/share/doc/samtale/kiosk.md
  rm -f /etc/sysusers.d/samtale-kiosk.conf
  systemctl daemon-reload
  systemctl enable getty@tty1.service 2>/dev/null || true
  echo "door display removed (the user samtale-kiosk and /etc/samtale/kiosk.env are kept)"
  exit 0
fi

browser=chromium
[ "${1:-}" = "--cog" ] && browser=cog

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq cage "$browser" fonts-dejavu-core wlr-randr curl python3 >/dev/null

install -d "$lib" /usr/local/share/doc/samtale /etc/samtale
install -m 0755 "$here/kiosk-session" "$here/kiosk-watchdog" "$here/kiosk-screen" "$lib/"
install -m 0644 "$here/README.md" /usr/local/share/doc/samtale/kiosk.md
install -m 0644 "$repo/Systemd/sysusers.d/samtale-kiosk.conf" /etc/sysusers.d/
systemd-sysusers /etc/sysusers.d/samtale-kiosk.conf
install -m 0644 "$repo/Systemd/samtale-kiosk.service" "$repo/Systemd/samtale-kiosk-watchdog.service" \
  "$repo/Systemd/samtale-kiosk-watchdog.timer" "$units/"
if [ ! -e /etc/samtale/kiosk.env ]; then
  install -m 0644 "$here/kiosk.env.example" /etc/samtale/kiosk.env
  [ "$browser" = cog ] && echo "SAMTALE_KIOSK_BROWSER=cog" >>/etc/samtale/kiosk.env
fi
systemctl daemon-reload
systemctl disable getty@tty1.service 2>/dev/null || true
systemctl enable --now samtale-kiosk.service samtale-kiosk-watchdog.timer
echo "door display installed: $browser on tty1 (journalctl -u samtale-kiosk -u samtale-kiosk-watchdog)"
