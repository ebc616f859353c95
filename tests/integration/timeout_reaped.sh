#!/bin/bash
# usage: timeout_reaped.sh SENTRY PLATFORM
# --timeout kills the first process by a pidfd, and not at all once it has
# been reaped: a pid the sentry reaped may already be a host process's.
# The window made visible without a pid-reuse race: the first process ends
# at once, and a --save slowed by strace (each rename of it delayed) runs
# past the deadline; strace shows every signal the sentry sends.
set -u
SENTRY=$1 PLATFORM=$2
command -v strace >/dev/null || { echo "strace is needed (.ci/deps installs it)"; exit 1; }
T=$(mktemp -d /tmp/sentry-it.XXXXXX)
trap 'rm -rf "$T"' EXIT
FAILED=0
fail() { echo "FAIL: $*"; FAILED=1; }
pass() { echo "ok: $*"; }

mkdir "$T/ws"
(cd "$T/ws" && timeout -k 2 60 strace -o "$T/strace" -e trace=fork,vfork,clone,clone3,kill,tgkill,pidfd_send_signal,renameat \
	-e inject=renameat:delay_enter=1500000 \
	"$SENTRY" --platform="$PLATFORM" --timeout=1 --save="$T/saved" -- sh -c 'echo a >a; echo b >b' \
	>"$T/out" 2>"$T/err")
rc=$?
[ "$rc" -eq 0 ] && pass "exit 0: the workload ended before its time" || fail "exit $rc, expected 0"
[ "$(cat "$T/saved/a" "$T/saved/b" 2>/dev/null)" = "a
b" ] && pass "the save completed" || fail "the save is incomplete"
grep -q 'DELAYED' "$T/strace" || fail "strace delayed no rename: the save did not outlast the deadline"
# the first process: what the sentry's first fork or clone returned
first=$(sed -n 's/^\(fork\|vfork\|clone\|clone3\)(.*= \([0-9][0-9]*\)$/\2/p' "$T/strace" | head -1)
if [ -z "$first" ]; then
	fail "no fork of the workload in the strace log"
elif grep -E "^(kill|tgkill)\(($first|-$first)," "$T/strace"; then
	fail "the sentry signalled the first process ($first) by its pid after reaping it"
else
	pass "no signal by pid to the reaped first process ($first)"
fi
grep -q 'SIGALRM' "$T/strace" && fail "the timeout fired after the workload had ended" ||
	pass "the timeout was disarmed when the workload ended"
[ "$FAILED" -eq 0 ] || { sed 's/^/    /' "$T/strace" | tail -20; cat "$T/err"; exit 1; }
echo PASSED
