#!/bin/bash
# usage: audit.sh SENTRY PLATFORM PROGRAM BARE_PROGRAM
# --audit FILE: each denial of PROGRAM is one JSON line in FILE (mode 0600,
# emptied first); with --backtrace its record carries the stack and the
# syscall site, the stderr line one more line, and the calls still return
# what they return without it. BARE_PROGRAM has no .eh_frame_hdr: its
# records say why the stack stops.
set -u
SENTRY=$1 PLATFORM=$2 PROG=$3 BARE=$4
HERE=$(dirname "$0")
FAILED=0
T=$(mktemp -d /tmp/sentry-audit.XXXXXX)
trap 'rm -rf "$T"' EXIT

fail() { echo "FAIL: $*"; FAILED=1; }
pass() { echo "ok: $*"; }

inside() {
	timeout -k 2 30 "$SENTRY" --platform="$PLATFORM" "$@"
}

case $(uname -m) in
x86_64) SITE=syscall ;;
aarch64) SITE=svc ;;
*) SITE=unknown ;;
esac

expected="ptrace(PTRACE_TRACEME): -1 EPERM
mount(tmpfs): -1 EPERM
socket(AF_NETLINK): -1 EACCES
kill(1, 0): -1 ESRCH
still running"

# Runs PROGRAM with the options given; its stdout must be the expected one.
run_checked() {
	local label=$1 prog=$2
	shift 2
	inside "$@" -- "$prog" >"$T/$label.out" 2>"$T/$label.err"
	local rc=$?
	[ "$rc" -eq 0 ] && pass "$label: exit 0" || fail "$label: exit status $rc"
	if [ "$(cat "$T/$label.out")" = "$expected" ]; then
		pass "$label: every call refused with its errno, once"
	else
		fail "$label: stdout differs:"
		diff <(echo "$expected") "$T/$label.out"
	fi
}

echo "checked: audit records on $PLATFORM"

echo "left over from before" >"$T/audit.json"
chmod 644 "$T/audit.json"
run_checked plain "$PROG" --audit="$T/audit.json"
mode=$(stat -c %a "$T/audit.json")
[ "$mode" = 600 ] && pass "the audit file has mode 600" || fail "the audit file has mode $mode"
grep -q "left over" "$T/audit.json" && fail "the audit file was not emptied" || pass "the audit file was emptied"
python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$T/audit.json" &&
	pass "every line is JSON" || fail "a line is not JSON"
"$HERE/check.py" "$T/audit.json" plain "$SITE" || FAILED=1

rm -f "$T/audit.json"
run_checked backtrace "$PROG" --audit="$T/audit.json" --backtrace
"$HERE/check.py" "$T/audit.json" backtrace "$SITE" || FAILED=1
if grep -q "^sentry: denied mount" "$T/backtrace.err" && grep -Eq "^sentry:     at .*deny_here" "$T/backtrace.err"; then
	pass "stderr: the mount denial and its stack through deny_here"
else
	fail "stderr lacks the mount denial or its stack:"
	cat "$T/backtrace.err"
fi

run_checked bare "$BARE" --audit="$T/bare.json" --backtrace
"$HERE/check.py" "$T/bare.json" bare "$SITE" || FAILED=1

# Without --audit nothing is written; a file that cannot be made stops
# the sentry before the workload runs.
inside --audit="$T/no/such/dir/audit.json" -- "$PROG" >"$T/nodir.out" 2>"$T/nodir.err"
rc=$?
if [ "$rc" -eq 125 ] && [ ! -s "$T/nodir.out" ] && grep -q "audit" "$T/nodir.err"; then
	pass "an audit file that cannot be created: exit 125, the workload never ran"
else
	fail "an audit file that cannot be created: exit $rc, stdout $(wc -l <"$T/nodir.out") lines"
fi

if [ "$FAILED" -ne 0 ]; then
	echo "--- sentry stderr (backtrace run) ---"
	head -30 "$T/backtrace.err"
	echo "FAILED: audit on $PLATFORM"
	exit 1
fi
echo "PASSED: audit on $PLATFORM"
