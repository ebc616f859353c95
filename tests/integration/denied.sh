#!/bin/bash
# usage: denied.sh SENTRY PLATFORM PROGRAM
# Calls a sandbox refuses: each must fail inside with the stated errno, the
# workload must go on running, and the sentry's stderr must name each
# denied call. As root the native run must not give EPERM, so the denial
# is the sentry's.
. "$(dirname "$0")/lib.sh"

# "call label => the answer inside (an extended regex on the result)", in
# the order the program makes the calls.
calls=(
	"unshare(CLONE_NEWNS) => -1 EPERM"
	"setns(-1, 0) => -1 EPERM"
	"mount(tmpfs) => -1 EPERM"
	"umount2 => -1 EPERM"
	"bpf(-1) => -1 EPERM"
	"process_vm_readv(parent) => -1 EPERM"
	"process_vm_writev(parent) => -1 EPERM"
	"perf_event_open(NULL) => -1 EPERM"
	"userfaultfd(0) => -1 EPERM"
	"keyctl(-1) => -1 EPERM"
	"kexec_load(bad flags) => -1 EPERM"
	"io_uring_setup(1) => -1 ENOSYS"
	"clone3(NULL, 0) => -1 ENOSYS"
	"clone(CLONE_NEWUSER) => -1 EPERM"
	"clone(CLONE_NEWPID) => -1 EPERM"
	"clone(CLONE_NEWNS) => -1 EPERM"
	"clone(CLONE_NEWNET) => -1 EPERM"
	"clone(CLONE_UNTRACED) => -1 EPERM"
	"ptrace(PTRACE_ATTACH, INT_MAX) => -1 EPERM"
	"unshare(CLONE_NEWUSER) => -1 EPERM"
	"ptrace(PTRACE_TRACEME) => -1 EPERM"
)
# Syscall names the sentry's stderr must mention (one denial line each).
logged=(unshare setns mount umount2 bpf process_vm_readv process_vm_writev
	perf_event_open userfaultfd keyctl kexec_load clone ptrace)

"$PROG" >"$T/native.out" 2>"$T/native.err"
nrc=$?
inside "$PROG" >"$T/inside.out" 2>"$T/inside.err"
irc=$?

echo "checked: $NAME on $PLATFORM: ${#calls[@]} calls refused inside, logged, the workload continues"
while IFS= read -r line; do
	label=${line%%: *}
	result=${line#*: }
	[ "$label" = "$line" ] && continue
	if [ "$(id -u)" -eq 0 ] && [ "$result" = "-1 EPERM" ]; then
		fail "natively as root $label gave EPERM: the test cannot tell a sentry denial from it"
	fi
done <"$T/native.out"
[ "$nrc" -eq 0 ] || fail "native run exited $nrc"

for entry in "${calls[@]}"; do
	label=${entry% => *}
	want=${entry##* => }
	got=$(grep -F -- "$label: " "$T/inside.out" | head -1)
	got=${got#"$label: "}
	nat=$(grep -F -- "$label: " "$T/native.out" | head -1)
	nat=${nat#"$label: "}
	if [[ "$got" =~ ^($want)$ ]]; then
		pass "$label: $got (native: $nat)"
	else
		fail "$label: expected $want, got '${got:-nothing}' (native: $nat)"
	fi
done
if grep -qx "still running" "$T/inside.out" && [ "$irc" -eq 0 ]; then
	pass "workload ran to the end and exited 0"
else
	fail "workload did not finish normally inside (exit $irc)"
fi
for name in "${logged[@]}"; do
	if grep -qw -- "$name" "$T/inside.err"; then
		pass "stderr names $name"
	else
		fail "no line on the sentry's stderr names $name"
	fi
done
show "sentry stderr" "$T/inside.err"
finish
