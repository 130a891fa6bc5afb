# systemd-tests.sh: the cases of `Board/vboard test --systemd`, run in the guest (bash, systemd as
# PID 1) by vboard-test.service, output on the console.
#
#   bash systemd-tests.sh run     the cases of this boot; then reboot (first boot) or power off
#   bash systemd-tests.sh probe   (vboard-http-probe.service) note when the door first answers 200
#
# The board boots twice in one qemu (its root disk is a snapshot that survives the reboot):
#   first boot   the clock is wrong (qemu's RTC says 2024); the installer puts Samtale on the
#                board, then: units verified, READY, the clock refused, a check-in by the button,
#                SIGKILL, reload, the watchdog, `systemd-analyze security`
#   second boot  after a power cut (sysrq b: no sync, no clean stop), Samtale starts at boot as
#                installed: boot to READY, READY to the first page, the check-in is still there;
#                then uninstalled, reinstalled (the check-in kept), purged
# Helpers and the board are those of the busybox board (guest-lib.sh, guest-tests-samtale.sh):
# press/release, lights_are, light, door_is, json_str ... The `ok`/`not ok` lines of both boots
# are printed as they come; the closing `N passed, M failed` counts both.

. /vboard/guest-lib.sh
. /vboard/vboard.conf
export PATH=/vboard/bin:$PATH
V=/var/lib/vboard

# busybox's usleep, which Debian lacks.
usleep() { sleep "$(($1 / 1000000)).$(printf %06d $(($1 % 1000000)))"; }

probe() {
	local code
	mkdir -p /run/vboard
	for _ in $(seq 2400); do
		code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 http://127.0.0.1:8080/ 2> /dev/null)
		if [ "$code" = 200 ]; then
			cut -d' ' -f1 /proc/uptime > /run/vboard/first-200
			return 0
		fi
		sleep 0.05
	done
	return 1
}
[ "${1:-}" = probe ] && { probe; exit; }

. /run/vboard/sim.env || {
	echo "not ok - board setup: no /run/vboard/sim.env (vboard-gpio-sim.service: $(systemctl is-active vboard-gpio-sim.service))"
	systemctl --no-pager status vboard-gpio-sim.service 2>&1 | sed 's/^/#   /'
	echo "0 passed, 1 failed"
	systemctl poweroff
	exit 1
}
export SIM_DEV SIM_CHIP SIM_SYSFS
. /vboard/guest-tests-samtale.sh
CASES="" # the busybox board's Samtale cases stay there; these run under systemd

# Under systemd every other process is the system's: nothing to sweep up between cases.
kill_strays() { :; }

ST_DIR=/srv/samtale-share
SJ=/var/lib/samtale/journal.jsonl
DROPIN=/etc/systemd/system/samtale.service.d/vboard-watchdog.conf

st_door() {
	DOOR=$(curl -s --max-time 5 "$ST_URL/api/door" 2> /dev/null) || DOOR=""
	echo "$DOOR" > door.json
}

show() { systemctl show -p "$1" --value samtale.service; }
mono_ms() { echo $(($(systemctl show -p "$1" --value "${2:-samtale.service}") / 1000)); }
# running_as_service: active/running (for Type=notify: READY=1 came).
running_as_service() {
	local a s
	a=$(show ActiveState)
	s=$(show SubState)
	SEEN="ActiveState=$a SubState=$s MainPID=$(show MainPID)"
	[ "$a" = active ] && [ "$s" = running ]
}
# restarted OLDPID: a new main process, active and running.
restarted() {
	local p
	p=$(show MainPID)
	running_as_service && [ "$p" != 0 ] && [ "$p" != "$1" ]
}
journal() { journalctl -b -u samtale.service --no-pager -o cat "$@" 2> /dev/null; }
# fifo_threads PID: how many of the process's threads run SCHED_FIFO at priority 10 (policy and
# rt_priority are fields 41 and 40 of /proc/PID/task/TID/stat; 39 and 38 after the name).
fifo_threads() {
	for t in /proc/"$1"/task/*; do sed 's/^.*) //' "$t/stat" | awk '{ print $39 ":" $38 }'; done | grep -c '^1:10$'
}
# kill_expect_restart SIGNAL BENCH_KEY JOURNAL_TEXT: send SIGNAL to the main process; systemd must
# have a new one active within 60 s (timed as BENCH_KEY), one more in NRestarts, and the journal
# must say JOURNAL_TEXT.
kill_expect_restart() {
	local pid n t0 ms jtext=$3
	pid=$(show MainPID)
	n=$(show NRestarts)
	systemctl kill -s "$1" samtale.service
	t0=$(uptime_ms)
	expect "after $1, a new main process, active, within 60 s" wait_for "restarted $pid" 60s
	ms=$(($(uptime_ms) - t0))
	bench "$2" "$ms ms"
	note "active again ${ms} ms after $1"
	expect "NRestarts went up by one (was $n, is $(show NRestarts))" [ "$(show NRestarts)" = $((n + 1)) ]
	expect "the journal says '$jtext'" eval 'journalctl -b -u samtale.service --no-pager | grep -q "$jtext"'
}

# checkin_intact: the one check-in is still there: the lights, the door, the file, the journal.
checkin_intact() {
	light waiting 010
	expect "the door still counts one waiting family" door_is waitingCount 1
	expect "the 14:00 conference is still waiting" \
		eval 'json_obj next | grep -q "\"start\":\"2026-11-24T14:00:00+00:00\".*\"status\":\"waiting\""'
	expect "the schedule file still has 'waiting'" grep -q "^$ST_DAY;14:00;14:20;204;Pupil 1;waiting;" "$ST_DIR/s.csv"
	expect "the journal still has exactly one entry" [ "$(count '"phase":"waiting"' "$SJ")" = 1 ]
}

# bench KEY VALUE: a figure for bench/results.md, printed at the end of the second boot.
bench() { echo "$1 $2" >> "$V/bench"; }
# Each case leaves systemd's view and the service's log in its folder (shown when it fails).
sd_logs() {
	systemctl --no-pager status samtale.service > status.log 2>&1
	journalctl -b -u samtale.service --no-pager -o short-monotonic 2> /dev/null | tail -n 60 > journal.log
	return 0
}
trap_logs() { trap sd_logs EXIT; }
# set_clock HH:MM[:SS]: the wall clock on ST_DATE, and synchronised as timesyncd would say.
set_clock() {
	st_clock "$1"
	mkdir -p /run/systemd/timesync
	touch /run/systemd/timesync/synchronized
}

# --- first boot ------------------------------------------------------------------------

# (a) The installer from the bundle; every unit verifies; READY; its own user; the GPIO chip's group.
case_sd_install() {
	local u out pid groups gpio_gid ms
	trap_logs
	st_schedule "14:00 14:20" "15:00 15:20"
	# qemu's RTC starts in 2024; systemd moves a clock before its own build date up to that date.
	note "the clock at boot: $(date -u '+%F %T') (RTC $(cat /sys/class/rtc/rtc0/date 2> /dev/null)), not synchronised"
	expect "the clock is not synchronised at boot (no /run/systemd/timesync/synchronized)" \
		not test -e /run/systemd/timesync/synchronized
	rm -rf /tmp/samtale
	expect "the bundle unpacks" tar -xzf /vboard/samtale.tar.gz -C /tmp
	/tmp/samtale/install.sh --config /vboard/samtale-test.json > install.log 2>&1
	expect "the installer exits 0" [ $? = 0 ]
	# The share is mounted with uid=samtale on a real board (Systemd/srv-samtale\x2dshare.mount).
	chown -R samtale:samtale "$ST_DIR"
	for u in /tmp/samtale/Systemd/*.service /tmp/samtale/Systemd/*.mount /tmp/samtale/Systemd/*.automount /etc/systemd/system/samtale.service; do
		[ -f "$u" ] || continue
		out=$(systemd-analyze verify "$u" 2>&1)
		echo "$out" > "verify-$(basename "$u").log"
		case "$u" in
		*/samtale-kiosk*)
			# The kiosk browser's units name programs this board lacks (no display here).
			[ -n "$out" ] && note "verify ${u##*/}: $(echo "$out" | grep 'is not executable' | tr '\n' ' ')"
			out=$(echo "$out" | grep -v 'is not executable: No such file or directory' || true)
			;;
		esac
		expect "systemd-analyze verify ${u#/tmp/samtale/} is clean: $out" [ -z "$out" ]
	done
	expect "samtale.service is active and running (READY=1 received)" running_as_service
	expect "systemd shows a status line (STATUS=)" [ -n "$(show StatusText)" ]
	note "StatusText: $(show StatusText)"
	pid=$(show MainPID)
	expect "the main process runs as samtale (got $(stat -c %U "/proc/$pid"))" [ "$(stat -c %U "/proc/$pid")" = samtale ]
	gpio_gid=$(getent group gpio | cut -d: -f3)
	groups=$(awk '$1 == "Groups:" { $1 = ""; print }' "/proc/$pid/status")
	expect "the main process is in the gpio group ($gpio_gid; has$groups)" eval 'echo " $groups " | grep -q " $gpio_gid "'
	expect "the log says the button's thread got SCHED_FIFO 10" \
		wait_for "journalctl -b -u samtale.service --no-pager | grep -q 'buttonThread=SCHED_FIFO 10'" 20s
	expect "one thread of the kiosk runs SCHED_FIFO 10 (the button's; got $(fifo_threads "$pid"))" [ "$(fifo_threads "$pid")" = 1 ]
	expect "/dev/$SIM_CHIP is gpio's, mode 660 (udev rule; got $(stat -c '%G %a' "/dev/$SIM_CHIP"))" \
		[ "$(stat -c '%G %a' "/dev/$SIM_CHIP")" = "gpio 660" ]
	expect "/etc/samtale/samtale.json is root:samtale 640 (got $(stat -c '%U:%G %a' /etc/samtale/samtale.json))" \
		[ "$(stat -c '%U:%G %a' /etc/samtale/samtale.json)" = "root:samtale 640" ]
	st_holds
	expect "the door answers on 127.0.0.1:8080" eval 'st_door; [ -n "$DOOR" ]'
	ms=$(($(mono_ms ActiveEnterTimestampMonotonic) - $(mono_ms ExecMainStartTimestampMonotonic)))
	bench install_start_ready "$ms ms"
	note "the installer's start: READY ${ms} ms after the process started"
}
tcase case_sd_install "the installer installs and starts samtale.service: units verify, READY, user samtale, the GPIO chip for gpio"

# (b) A clock not known to be right: "clock not set", a fault light, no check-in; once it is set
# and synchronised, the door opens.
case_sd_clock() {
	trap_logs
	expect "the door says the clock is not trusted" wait_for "door_is clockTrusted false" 10s
	expect "the door's light is fault" door_is light fault
	expect "the door names the clock among its faults" eval 'echo "$DOOR" | grep -q "\"faults\":\[[^]]*\"clock\""'
	expect "the log says 'clock not set' at error priority" eval 'journal -p err | grep -q "clock not set"'
	note "clock not set: StatusText '$(show StatusText)'"
	press BUTTON
	settle 300
	release BUTTON
	settle 3000
	expect "no check-in in the schedule file" not grep -q ';waiting;' "$ST_DIR/s.csv"
	expect "no check-in in the journal" eval '[ "$(count "\"phase\":\"waiting\"" "$SJ")" = 0 ]'
	set_clock 13:45
	expect "the door trusts the clock within 15 s of it being set and synchronised" wait_for "door_is clockTrusted true" 15s
	expect "STATUS no longer says 'clock not set' (is '$(show StatusText)')" wait_for '! show StatusText | grep -q "clock not set"' 10s
	light free 001
	expect "the press made while the clock was wrong checked nobody in" door_is waitingCount 0
}
tcase case_sd_clock "a clock not known to be right: 'clock not set', fault light, no check-in; then set, it opens"

# (c) The button checks in under systemd: the file, the journal in StateDirectory, the door, STATUS.
case_sd_checkin() {
	local s0
	trap_logs
	s0=$(show StatusText)
	press BUTTON
	settle 100
	release BUTTON
	light waiting 010
	expect "the door counts one waiting family" door_is waitingCount 1
	expect "the schedule file gets 'waiting' for the 14:00 conference within 5 s" \
		wait_for "grep -q '^$ST_DAY;14:00;14:20;204;Pupil 1;waiting;' $ST_DIR/s.csv" 5s
	expect "the journal in StateDirectory has one entry, waiting" [ "$(count '"phase":"waiting"' "$SJ")" = 1 ]
	expect "the journal belongs to samtale (got $(stat -c %U "$SJ"))" [ "$(stat -c %U "$SJ")" = samtale ]
	expect "STATUS changes with the check-in (was '$s0')" wait_for '[ "$(show StatusText)" != "$s0" ]' 5s
	note "StatusText: '$s0' -> '$(show StatusText)'"
	expect "no pupil's name in the system journal at info or above" not eval 'journal -p info | grep -q "Pupil"'
	sd_follows_interrupt
}

# The button's thread runs where the kernel thread of its line's interrupt last ran (under the
# unit's sandbox: it must see /proc/interrupts and that thread, and may set its own affinity).
sd_follows_interrupt() {
	local pid irq ipid tid last allowed
	pid=$(show MainPID)
	irq=$(irq_numbers ' samtale-button$')
	ipid=$(irq_thread_pids "$irq" | tail -1)
	tid=$(grep -l '^samtale-BUTTON$' /proc/"$pid"/task/*/comm 2> /dev/null | head -1 | cut -d/ -f5)
	expect "/proc/interrupts has the button's interrupt, named samtale-button" [ -n "$irq" ]
	expect "the kernel runs interrupt $irq in a thread (irq/$irq-...)" [ -n "$ipid" ]
	expect "samtale (pid $pid) has a thread named samtale-BUTTON" [ -n "$tid" ]
	last=$(awk '{ print $39 }' "/proc/$ipid/stat" 2> /dev/null)
	allowed=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' "/proc/$pid/task/$tid/status" 2> /dev/null)
	note "interrupt $irq's thread last ran on CPU $last; samtale's button thread may run on $allowed"
	expect "the button's thread is kept on the CPU where the interrupt's thread last ran" [ "$allowed" = "$last" ]
	expect "the log says where the button's thread runs" \
		eval 'journalctl -b -u samtale.service --no-pager | grep -q "buttonThread=SCHED_FIFO 10; on the CPU of irq/$irq-"'
}
tcase case_sd_checkin "the button checks in: the file, the journal in /var/lib/samtale, the door, STATUS"

# (d) SIGKILL: systemd restarts it, and the check-in is still there.
case_sd_sigkill() {
	trap_logs
	kill_expect_restart SIGKILL kill_restart "status=9/KILL"
	checkin_intact
}
tcase case_sd_sigkill "SIGKILL: restarted by systemd, the check-in intact"

# (e) systemctl reload (SIGHUP): same process, still active, nothing lost.
case_sd_reload() {
	local pid rc=0
	trap_logs
	pid=$(show MainPID)
	systemctl reload samtale.service > reload.log 2>&1 || rc=$?
	expect "systemctl reload exits 0 (got $rc)" [ "$rc" = 0 ]
	expect "the log says the configuration was reloaded" wait_for "journal | grep -q 'configuration reloaded'" 10s
	expect "the same process (MainPID $pid, is $(show MainPID))" [ "$(show MainPID)" = "$pid" ]
	expect "still active and running" running_as_service
	expect "the door still counts one waiting family" door_is waitingCount 1
	light waiting 010
}
tcase case_sd_reload "systemctl reload: same MainPID, still active, the check-in kept"

# (f) A hung kiosk (SIGSTOP): the watchdog (5 s in a drop-in for the test) kills and restarts it.
case_sd_watchdog() {
	local pid
	trap_logs
	mkdir -p "$(dirname "$DROPIN")"
	printf '[Service]\nWatchdogSec=5s\n' > "$DROPIN"
	systemctl daemon-reload
	expect "systemctl restart with WatchdogSec=5s comes back READY" systemctl restart samtale.service
	expect "WatchdogUSec is 5s (got $(show WatchdogUSec))" [ "$(show WatchdogUSec)" = 5s ]
	pid=$(show MainPID)
	settle 12000
	expect "a healthy kiosk keeps the watchdog fed for 12 s (same MainPID $pid, is $(show MainPID))" \
		eval '[ "$(show MainPID)" = "$pid" ] && running_as_service'
	kill_expect_restart SIGSTOP watchdog_restart "Watchdog timeout"
	checkin_intact
	rm -f "$DROPIN"
	systemctl daemon-reload
}
tcase case_sd_watchdog "SIGSTOP: the watchdog kills and restarts it, the check-in intact"

# (g) systemd-analyze security: the exposure, recorded.
case_sd_security() {
	local level
	trap_logs
	systemd-analyze security --no-pager samtale.service > security.log 2>&1
	level=$(sed -n 's/.*Overall exposure level for samtale.service: \([0-9.]*\) \([A-Z]*\).*/\1 \2/p' security.log)
	expect "systemd-analyze security gives an exposure" [ -n "$level" ]
	note "systemd-analyze security samtale.service: $level"
	grep '✗' security.log | sed 's/^ *✗ */not set: /; s/  */ /g' | head -n 12 > unset.txt
	while read -r l; do note "  $l"; done < unset.txt
	bench exposure "$level"
	bench systemd "$(systemctl --version | awk 'NR == 1 { print $2 }')"
	bench multiuser "$(mono_ms ActiveEnterTimestampMonotonic multi-user.target) ms"
	expect "the exposure is 2.0 or lower (got $level)" awk -v l="${level% *}" 'BEGIN { exit !(l <= 2.0) }'
}
tcase case_sd_security "systemd-analyze security samtale.service: 2.0 or lower"

# --- second boot -----------------------------------------------------------------------

# (h) After a power cut, enabled, it starts at boot: boot to READY, READY to the first page; the
# check-in survived; the clock, again not synchronised, is refused until it is.
case_sd_boot() {
	local ready start sync first
	trap_logs
	expect "samtale.service is active at boot" wait_for running_as_service 60s
	ready=$(mono_ms ActiveEnterTimestampMonotonic)
	start=$(mono_ms ExecMainStartTimestampMonotonic)
	sync=$(mono_ms ActiveEnterTimestampMonotonic time-sync.target)
	expect "it started after time-sync.target (${sync} ms; started at ${start} ms)" [ "$sync" -le "$start" ]
	expect "the probe saw the page answer 200 within 60 s of READY" wait_for "[ -s /run/vboard/first-200 ]" 60s
	first=$(awk '{ printf "%d", $1 * 1000 }' /run/vboard/first-200)
	bench boot_ready "$ready ms"
	bench start_ready "$((ready - start)) ms"
	bench ready_http "$((first - ready)) ms"
	note "kernel start to READY ${ready} ms; process start to READY $((ready - start)) ms; READY to the first 200 on / $((first - ready)) ms"
	note "the clock at boot: $(date -u '+%F %T') (timesyncd's last saved time), not synchronised"
	expect "after the power cut the clock is not trusted until synchronised" wait_for "door_is clockTrusted false" 10s
	set_clock 13:50
	expect "the door trusts the clock once it is set" wait_for "door_is clockTrusted true" 15s
	expect "STATUS no longer says 'clock not set' (is '$(show StatusText)')" wait_for '! show StatusText | grep -q "clock not set"' 10s
	checkin_intact
}
tcase case_sd_boot "after a power cut: READY at boot after time-sync.target, the page served, the check-in kept"

# (i) Taken off and put back: --uninstall keeps the configuration, the journal and the user (a
# reinstall finds the check-in), --purge removes them.
case_sd_uninstall() {
	local rc=0
	trap_logs
	rm -rf /tmp/samtale
	expect "the bundle unpacks" tar -xzf /vboard/samtale.tar.gz -C /tmp
	/tmp/samtale/install.sh --uninstall > uninstall.log 2>&1 || rc=$?
	expect "install.sh --uninstall exits 0 (got $rc)" [ "$rc" = 0 ]
	expect "samtale.service is gone (LoadState=$(show LoadState))" [ "$(show LoadState)" = not-found ]
	expect "the binary is gone" not test -e /usr/local/bin/samtale
	expect "the door no longer answers" not curl -s --max-time 3 -o /dev/null "$ST_URL/"
	expect "the configuration is kept" test -f /etc/samtale/samtale.json
	expect "the journal of check-ins is kept" test -s "$SJ"
	expect "the user is kept" getent passwd samtale
	/tmp/samtale/install.sh > reinstall.log 2>&1 || rc=$?
	expect "install.sh again exits 0 (got $rc)" [ "$rc" = 0 ]
	expect "it kept the existing configuration" grep -q 'kept the existing /etc/samtale/samtale.json' reinstall.log
	expect "samtale.service is active again" running_as_service
	checkin_intact
	/tmp/samtale/install.sh --uninstall --purge > purge.log 2>&1 || rc=$?
	expect "install.sh --uninstall --purge exits 0 (got $rc)" [ "$rc" = 0 ]
	expect "/etc/samtale is gone" not test -e /etc/samtale
	expect "/var/lib/samtale is gone" not test -e /var/lib/samtale
	expect "the user samtale is gone" not getent passwd samtale
	expect "the gpio group stays (other programs use it)" getent group gpio
	expect "no samtale file left in /etc or /usr/local" \
		eval '[ -z "$(find /etc /usr/local -name "*samtale*" 2> /dev/null)" ]'
}
tcase case_sd_uninstall "install.sh --uninstall keeps configuration and check-ins for a reinstall; --purge removes them"

# --- the package (Board/vboard test --systemd --deb FILE) ----------------------------------

# apt in the guest: no network; the dependencies the package needs were put in apt's cache
# (apt would fail on one it has to download). Not --no-download: apt then refuses a local .deb.
guest_apt() {
	cp /vboard/debs/cache/*.deb /var/cache/apt/archives/ 2> /dev/null || true
	DEBIAN_FRONTEND=noninteractive apt-get -q -y -o Dpkg::Use-Pty=0 "$@"
}

# (a') apt install ./samtale_*.deb on a fresh board: the files where Debian keeps them, the user,
# the udev rule, the unit enabled but not started (no room yet); then `samtale setup` with the
# options an IT person's script would give: configured, checked, started.
case_sd_deb_install() {
	local rc=0 u out pid groups gpio_gid ms f
	trap_logs
	st_schedule "14:00 14:20" "15:00 15:20"
	note "Debian $VBOARD_DEBIAN $(cat /etc/debian_version), systemd $(systemctl --version | awk 'NR == 1 { print $2 }'); the package: samtale $VBOARD_DEB_VERSION"
	expect "the clock is not synchronised at boot (no /run/systemd/timesync/synchronized)" \
		not test -e /run/systemd/timesync/synchronized
	expect "no samtale on the fresh board" not command -v samtale
	guest_apt install "$VBOARD_DEB" > install.log 2>&1 || rc=$?
	expect "apt-get install $VBOARD_DEB exits 0 (got $rc)" [ "$rc" = 0 ]
	expect "dpkg has samtale $VBOARD_DEB_VERSION installed" \
		[ "$(dpkg-query -W -f '${db:Status-Abbrev}${Version}' samtale 2> /dev/null)" = "ii $VBOARD_DEB_VERSION" ]
	for f in /usr/bin/samtale /usr/lib/systemd/system/samtale.service /usr/lib/sysusers.d/samtale.conf \
		/usr/lib/tmpfiles.d/samtale.conf /usr/lib/udev/rules.d/60-samtale-gpio.rules \
		/usr/share/samtale/profiles/raspberry-pi-5.json /usr/share/doc/samtale/copyright /usr/share/doc/samtale/changelog.gz; do
		expect "the package installed $f" test -e "$f"
	done
	expect "/etc/samtale/samtale.json is a conffile" eval 'dpkg-query -W -f "\${Conffiles}" samtale | grep -q " /etc/samtale/samtale.json "'
	expect "the postinst says the service waits for a room and a schedule" grep -q "enabled but not started" install.log
	expect "samtale.service is enabled (is $(systemctl is-enabled samtale.service 2>&1))" [ "$(systemctl is-enabled samtale.service 2>&1)" = enabled ]
	expect "samtale.service is not started before samtale setup (is $(systemctl is-active samtale.service 2>&1))" \
		[ "$(systemctl is-active samtale.service 2>&1)" = inactive ]
	expect "the user samtale exists" getent passwd samtale
	expect "/dev/$SIM_CHIP is gpio's, mode 660 (the package's udev rule; got $(stat -c '%G %a' "/dev/$SIM_CHIP"))" \
		wait_for '[ "$(stat -c "%G %a" "/dev/$SIM_CHIP")" = "gpio 660" ]' 5s
	out=$(systemd-analyze verify /usr/lib/systemd/system/samtale.service 2>&1)
	echo "$out" > verify.log
	expect "systemd-analyze verify samtale.service is clean: $out" [ -z "$out" ]
	# The share is mounted with uid=samtale on a real board (Systemd/srv-samtale\x2dshare.mount).
	chown -R samtale:samtale "$ST_DIR"
	rc=0
	# A board that is no Raspberry Pi: the generic profile, the chip and the lines named.
	samtale setup --room 204 --room-name "Rom 204" --language en --time-zone UTC --schedule "$ST_DIR/s.csv" \
		--profile generic --chip samtale-sim --button-line BUTTON --teacher-button-line TEACHER_BUTTON \
		--red-line RED --amber-line AMBER --green-line GREEN --teacher-light-line TEACHER_LIGHT \
		--yes < /dev/null > setup.log 2>&1 || rc=$?
	while read -r l; do note "setup: $l"; done < setup.log
	expect "samtale setup exits 0 (got $rc)" [ "$rc" = 0 ]
	expect "samtale.service is active and running after setup (READY=1 received)" wait_for running_as_service 60s
	expect "systemd shows a status line (STATUS=)" [ -n "$(show StatusText)" ]
	pid=$(show MainPID)
	expect "the main process runs as samtale (got $(stat -c %U "/proc/$pid"))" [ "$(stat -c %U "/proc/$pid")" = samtale ]
	gpio_gid=$(getent group gpio | cut -d: -f3)
	groups=$(awk '$1 == "Groups:" { $1 = ""; print }' "/proc/$pid/status")
	expect "the main process is in the gpio group ($gpio_gid; has$groups)" eval 'echo " $groups " | grep -q " $gpio_gid "'
	expect "the log says the button's thread got SCHED_FIFO 10" \
		wait_for "journalctl -b -u samtale.service --no-pager | grep -q 'buttonThread=SCHED_FIFO 10'" 20s
	expect "one thread of the kiosk runs SCHED_FIFO 10 (the button's; got $(fifo_threads "$pid"))" [ "$(fifo_threads "$pid")" = 1 ]
	expect "/etc/samtale/samtale.json is root:samtale 640 (got $(stat -c '%U:%G %a' /etc/samtale/samtale.json))" \
		[ "$(stat -c '%U:%G %a' /etc/samtale/samtale.json)" = "root:samtale 640" ]
	expect "the configuration names room 204 and the schedule" eval 'grep -q "\"204\"" /etc/samtale/samtale.json && grep -q "$ST_DIR/s.csv" /etc/samtale/samtale.json'
	st_holds
	expect "the door answers on 127.0.0.1:8080" eval 'st_door; [ -n "$DOOR" ]'
	ms=$(($(mono_ms ActiveEnterTimestampMonotonic) - $(mono_ms ExecMainStartTimestampMonotonic)))
	bench install_start_ready "$ms ms"
	note "started by samtale setup: READY ${ms} ms after the process started"
}
tcase case_sd_deb_install "apt install ./samtale_*.deb: enabled, not started; samtale setup configures, checks and starts it"

# (i') An upgrade to a newer build: the configuration untouched (no conffile question), the
# service restarted by the new postinst, the journal and the check-in kept.
case_sd_deb_upgrade() {
	local rc=0 sum pid
	trap_logs
	sum=$(sha256sum < /etc/samtale/samtale.json)
	pid=$(show MainPID)
	guest_apt install /vboard/debs/upgrade.deb > upgrade.log 2>&1 || rc=$?
	expect "apt-get install of the newer build exits 0 (got $rc)" [ "$rc" = 0 ]
	expect "dpkg has samtale $VBOARD_UPGRADE_VERSION installed" \
		[ "$(dpkg-query -W -f '${db:Status-Abbrev}${Version}' samtale 2> /dev/null)" = "ii $VBOARD_UPGRADE_VERSION" ]
	expect "the configuration is unchanged" [ "$(sha256sum < /etc/samtale/samtale.json)" = "$sum" ]
	expect "no conffile copies left beside it" eval '[ -z "$(ls /etc/samtale | grep -e dpkg -e ucf)" ]'
	expect "the postinst restarted samtale.service" grep -q "restarting samtale.service" upgrade.log
	expect "a new main process, active (was $pid)" wait_for "restarted $pid" 60s
	checkin_intact
}
tcase case_sd_deb_upgrade "an upgrade to a newer build: configuration untouched, restarted, the check-in kept"

# (j') apt purge: no file, user or unit left behind (the share's folder keeps the school's file).
case_sd_deb_purge() {
	local rc=0 left
	trap_logs
	dpkg -L samtale > files.txt
	guest_apt purge samtale > purge.log 2>&1 || rc=$?
	expect "apt-get purge samtale exits 0 (got $rc)" [ "$rc" = 0 ]
	expect "dpkg no longer knows samtale" not eval 'dpkg-query -W -f "\${db:Status-Abbrev}" samtale 2> /dev/null | grep -q "^[ic]"'
	expect "samtale.service is gone (LoadState=$(show LoadState))" [ "$(show LoadState)" = not-found ]
	expect "the door no longer answers" not curl -s --max-time 3 -o /dev/null "$ST_URL/"
	left=$(while read -r f; do if [ -e "$f" ] || [ -L "$f" ]; then [ -d "$f" ] || echo "$f"; fi; done < files.txt | tr '\n' ' ')
	expect "none of the package's files is left: $left" [ -z "$left" ]
	expect "/etc/samtale is gone" not test -e /etc/samtale
	expect "/var/lib/samtale (the journal) is gone" not test -e /var/lib/samtale
	expect "/var/log/samtale is gone" not test -e /var/log/samtale
	expect "the user samtale is gone" not getent passwd samtale
	expect "the group samtale is gone" not getent group samtale
	left=$(find /etc /usr /var -name '*samtale*' 2> /dev/null | tr '\n' ' ')
	expect "no file named *samtale* left in /etc, /usr or /var: $left" [ -z "$left" ]
	expect "the school's file on the share is kept" test -s "$ST_DIR/s.csv"
	expect "the gpio group stays (other programs use it)" getent group gpio
}
tcase case_sd_deb_purge "apt purge: no file, user or unit left; the share's file kept"

# --- the runner --------------------------------------------------------------------------

# phase_cases N: the case functions of boot N.
phase_cases() {
	if [ -n "${VBOARD_DEB:-}" ]; then
		case "$1" in
		1) echo "case_sd_deb_install case_sd_clock case_sd_checkin case_sd_sigkill case_sd_reload case_sd_watchdog case_sd_security" ;;
		2) echo "case_sd_boot case_sd_deb_upgrade case_sd_deb_purge" ;;
		esac
		return
	fi
	case "$1" in
	1) echo "case_sd_install case_sd_clock case_sd_checkin case_sd_sigkill case_sd_reload case_sd_watchdog case_sd_security" ;;
	2) echo "case_sd_boot case_sd_uninstall" ;;
	esac
}

run() {
	local phase=1 all fn keep="" passed=0 failed=0 p q f
	ONLY='*'
	for word in $(cat /proc/cmdline); do
		case "$word" in
		vboard.only=*) ONLY=${word#*=} ;;
		vboard.case_timeout=*) CASE_TIMEOUT=${word#*=} ;;
		esac
	done
	mkdir -p "$V"
	[ -e "$V/phase2" ] && phase=2
	if [ -e "$V/phase2-ran" ]; then
		cat "$V"/phase*.out 2> /dev/null | grep -v -E '^[0-9]+ passed, [0-9]+ failed$'
		echo "not ok - the board booted a third time (a crash during the second boot?)"
		echo "0 passed, 1 failed"
		systemctl poweroff
		return
	fi
	[ "$phase" = 2 ] && touch "$V/phase2-ran"
	echo "vboard: systemd boot $phase: up after $(cut -d' ' -f1 /proc/uptime) s; $(systemctl is-system-running 2>&1)"
	# Only this boot's cases that --only picks.
	all=$CASES
	CASES=""
	for fn in $(phase_cases "$phase"); do
		case "$fn" in $ONLY) keep="$keep$(echo "$all" | grep "^$fn|")
" ;; esac
	done
	CASES=$keep
	if [ -n "$CASES" ]; then
		run_cases '*' | tee "$V/phase$phase.out" | grep --line-buffered -v -E '^[0-9]+ passed, [0-9]+ failed$'
	fi
	if [ "$phase" = 1 ]; then
		# A power cut, as a cleaner's: no sync, no unmount, no stopping of services. Only the
		# runner's own notes are made durable first (fsync of those files alone).
		touch "$V/phase2"
		sync "$V"/* "$V"
		echo "vboard: power cut (sysrq b), then the second boot: Samtale starts at boot"
		echo b > /proc/sysrq-trigger
		sleep 30
		return
	fi
	for f in "$V"/phase*.out; do
		[ -f "$f" ] || continue
		read -r p q <<< "$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$f")"
		passed=$((passed + ${p:-0}))
		failed=$((failed + ${q:-0}))
	done
	[ -f "$V/bench" ] && sed 's/^/BENCH systemd /' "$V/bench"
	if [ $((passed + failed)) = 0 ]; then
		echo "not ok - no case matched '$ONLY'"
		failed=1
	fi
	echo "$passed passed, $failed failed"
	systemctl poweroff
}

run
