# guest-tests-samtale.sh: cases for the Samtale binary, registered with the `samtale` need so
# they run only when `Board/vboard test --binary PATH` put it at /bin/samtale.
# Add the real ones here (button, light, the door over HTTP on 127.0.0.1 in the guest ...).

case_samtale_starts() {
	local rc=0
	samtale --help > help.log 2>&1 || rc=$?
	expect "samtale's libraries resolve in the guest" not grep -q "error while loading shared libraries" help.log
	expect "samtale --help exits 0 (got $rc)" [ "$rc" = 0 ]
}
tcase case_samtale_starts "the samtale binary starts in the guest" samtale
