# guest-tests.sh: the virtual board's test cases (busybox ash, run inside the guest).
#
# A case is a shell function run in its own directory (/tmp/cases/FUNCTION) in a subshell;
# register it with `tcase FUNCTION "name as printed" [samtale]`. The helpers (press,
# release, bounce, value, is, wait_for, expect, spawn, ...) are described at the top of
# guest-lib.sh. A case passes when it returns without a failed `expect`; everything it
# spawned is stopped and the board is reset (buttons released) before the next one.
# Every file Board/vboard.d/guest-tests*.sh is sourced, in name order, so cases for another
# program can live in their own file (guest-tests-samtale.sh).

# wait_ready LOG: the floor program printed its `ready` line.
floor_ready() {
	expect "gpio-floor started and requested BUTTON and RED" wait_for "grep -q '^ready ' $1" 10s
}

edge_count() {
	grep -c '^edge ' "$1"
}

case_board_lines() {
	local n i=0
	for n in $LINE_NAMES; do
		line_info "$n" > "info-$n.log" 2>&1
		expect "line $n is at offset $i of chip $SIM_CHIP labelled $BANK_LABEL" \
			grep -q "^line $n chip=$SIM_CHIP label=$BANK_LABEL offset=$i " "info-$n.log"
		i=$((i + 1))
	done
	expect "the character device /dev/$SIM_CHIP exists" [ -c "/dev/$SIM_CHIP" ]
}
tcase case_board_lines "the simulated chip has the 8 named lines at offsets 0-7"

case_floor_mirrors_press() {
	spawn floor.log gpio-floor
	floor_ready floor.log
	expect "RED is dark while the button is up" is RED 0
	press BUTTON
	expect "RED lights within 2 s of a press" wait_for "is RED 1" 2s
	release BUTTON
	expect "RED goes dark within 2 s of the release" wait_for "is RED 0" 2s
	expect "one 'edge ... set ...' line per transition (2)" wait_for '[ "$(edge_count floor.log)" = 2 ]' 2s
	expect "the edge lines are 'edge <ns> set <ns>' with set >= edge" \
		awk '/^edge /{ if (NF != 4 || $3 != "set" || $4 + 0 < $2 + 0) bad = 1 } END { exit bad }' floor.log
}
tcase case_floor_mirrors_press "gpio-floor mirrors a press of BUTTON to RED"

# edge_span LOG FROM TO: microseconds between the kernel timestamps of edges FROM and TO (1-based).
edge_span() {
	awk -v a="$2" -v b="$3" '/^edge /{ n++; if (n == a) x = $2; if (n == b) y = $2 } END { printf "%d", (y - x) / 1000 }' "$1"
}

case_floor_bounce() {
	local n1 n2
	spawn floor.log gpio-floor
	floor_ready floor.log
	bounce BUTTON 10 5
	expect "RED lights after a bouncing press" wait_for "is RED 1" 2s
	settle 300
	expect "RED stays lit once the contact rests pressed" is RED 1
	n1=$(edge_count floor.log)
	note "bouncing press (10 changes asked within 5000 us, writes took ${BOUNCE_INFO##*span_us=} us): the kernel timestamped $n1 edges within $(edge_span floor.log 1 "$n1") us"
	bounce BUTTON 10 5
	expect "RED goes dark after a bouncing release" wait_for "is RED 0" 2s
	settle 300
	expect "RED stays dark once the contact rests released" is RED 0
	n2=$(edge_count floor.log)
	note "bouncing release (writes took ${BOUNCE_INFO##*span_us=} us): $((n2 - n1)) edges within $(edge_span floor.log $((n1 + 1)) "$n2") us"
}
tcase case_floor_bounce "a contact bouncing 10 times within 5 ms ends in the right state"

case_line_busy() {
	local rc=0
	spawn first.log gpio-floor --consumer first-holder
	floor_ready first.log
	line_info BUTTON > info.log 2>&1
	expect "line info shows BUTTON used by consumer first-holder" grep -q "used=yes consumer=first-holder" info.log
	gpio-floor --consumer second-holder > second.log 2>&1 || rc=$?
	expect "a second request of BUTTON fails (exit 3, got $rc)" [ "$rc" = 3 ]
	expect "the second request reports EBUSY" grep -q "cannot request line 'BUTTON'.*Device or resource busy" second.log
	line_info BUTTON > info2.log 2>&1
	expect "the first holder still has BUTTON" grep -q "used=yes consumer=first-holder" info2.log
	press BUTTON
	expect "the first holder still mirrors the button" wait_for "is RED 1" 2s
}
tcase case_line_busy "a line requested twice: the second request fails with EBUSY"

case_missing_line() {
	local rc=0
	gpio-floor --button NO_SUCH_LINE > run.log 2>&1 || rc=$?
	expect "requesting a missing line fails with exit 2 (got $rc)" [ "$rc" = 2 ]
	expect "the error names the missing line" grep -q "cannot find line 'NO_SUCH_LINE'" run.log
	rc=0
	line_info NO_SUCH_LINE > info.log 2>&1 || rc=$?
	expect "line info of a missing line fails with exit 2 (got $rc)" [ "$rc" = 2 ]
	expect "and the lines that exist are untouched" is RED 0
}
tcase case_missing_line "a line name that does not exist is an error"
