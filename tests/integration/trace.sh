#!/bin/bash
# usage: trace.sh SENTRY PLATFORM PROGRAM
# --trace: one strace-like line per caught call, its arguments decoded. A
# shell's open of a known path shows its flags, mode and fd; a failed open
# its errno; exec its argv; readlink the link's target; a path holding a
# newline stays on its line. PROGRAM (it_denied) makes refused calls: the
# denial lines and the audit record's "decoded" field show their arguments
# the same way.
. "$(dirname "$0")/lib.sh"

script='echo hi >/tmp/trace-probe; cat /tmp/trace-probe; cat /nonexistent/trace-probe 2>/dev/null
cat "/tmp/trace
forged" 2>/dev/null; ln -s target /tmp/trace-link; readlink /tmp/trace-link'
IT_SENTRY_ARGS=--trace inside sh -c "$script" >"$T/out" 2>"$T/err"
rc=$?
echo "checked: --trace of sh -c on $PLATFORM"
[ "$rc" -eq 0 ] && pass "exit 0" || fail "exit $rc"
[ "$(cat "$T/out")" = "$(printf 'hi\ntarget')" ] && pass "stdout as natively" || fail "stdout: $(head -c 200 "$T/out")"

# expect LABEL REGEX: some line of the trace matches the extended regex.
expect() {
	local line
	line=$(grep -E -m1 -- "$2" "$T/err")
	if [ -n "$line" ]; then
		pass "$1: $line"
	else
		fail "$1: no line matches $2"
	fi
}
end=' <[0-9]+\.[0-9] us>$'
expect "the redirection's open" \
	'^\[[0-9]+\] openat\(AT_FDCWD, "/tmp/trace-probe", O_WRONLY\|O_CREAT\|O_TRUNC, 0666\) = [0-9]+'"$end"
expect "cat's open" '^\[[0-9]+\] openat\(AT_FDCWD, "/tmp/trace-probe", O_RDONLY(\|O_[A-Z]+)*\) = [0-9]+'"$end"
expect "a failed open" \
	'^\[[0-9]+\] openat\(AT_FDCWD, "/nonexistent/trace-probe", O_RDONLY(\|O_[A-Z]+)*\) = -1 ENOENT'"$end"
expect "exec's argv" \
	'^\[[0-9]+\] execve\("[^"]*/cat", \["cat", "/tmp/trace-probe"\], 0x[0-9a-f]+ /\* [0-9]+ vars \*/\) = 0 '
expect "readlink's answer" \
	'^\[[0-9]+\] readlink(at)?\((AT_FDCWD, )?"/tmp/trace-link", "target", [0-9]+\) = 6'"$end"
expect "a newline in a path, escaped" '^\[[0-9]+\] openat\(AT_FDCWD, "/tmp/trace\\nforged", O_RDONLY'

# One line per call, printable ASCII only: nothing the workload names can
# start a line of its own.
bad=$(grep -v -E '^\[[0-9]+\] [a-z0-9_]+\(.*\) = [^ ].*'"$end" "$T/err" | grep -v '^sentry: ' | head -3)
[ -z "$bad" ] && pass "every stderr line is a trace line or a sentry line" || fail "stray lines: $bad"
LC_ALL=C grep -q '[^[:print:]]' "$T/err" && fail "a trace line holds a control character" ||
	pass "only printable characters"
grep -q '^forged' "$T/err" && fail "the newline in the path started a line" || pass "no forged line"

# Denials: the same decoding on the stderr line and in the audit record.
echo "checked: denial lines and audit records of $NAME on $PLATFORM"
IT_SENTRY_ARGS=--audit=$T/audit.json inside "$PROG" >"$T/dout" 2>"$T/derr"
rc=$?
[ "$rc" -eq 0 ] && pass "$NAME: exit 0" || fail "$NAME: exit $rc"
for want in 'denied mount("none", "/nonexistent/sentry-it", "tmpfs", 0, NULL) in process ' \
	'denied ptrace(PTRACE_ATTACH, 2147483647, NULL, NULL) in process ' \
	'denied clone(CLONE_NEWUSER|SIGCHLD, NULL, NULL, NULL, NULL) in process ' \
	'denied unshare(CLONE_NEWNS) in process '; do
	grep -qF -- "sentry: $want" "$T/derr" && pass "stderr: $want" || fail "stderr lacks: $want"
done
if python3 - "$T/audit.json" >"$T/check" 2>&1 <<'PY'; then
import json, sys
records = [json.loads(l) for l in open(sys.argv[1])]
mount = [r for r in records if r["syscall"] == "mount"]
assert len(mount) == 1, "%d mount records" % len(mount)
m = mount[0]
assert m["decoded"] == '"none", "/nonexistent/sentry-it", "tmpfs", 0, NULL', m["decoded"]
assert len(m["args"]) == 6 and m["strings"]["arg1"] == "/nonexistent/sentry-it", m
for r in records:
    assert isinstance(r["decoded"], str), r
# stderr shows a (call, reason) once; the record of each call is here
traceme = [r for r in records if r["syscall"] == "ptrace" and r["decoded"] == "PTRACE_TRACEME, 0, NULL, NULL"]
assert len(traceme) == 1, "%d PTRACE_TRACEME records" % len(traceme)
print("mount: %s; all %d records have \"decoded\"" % (m["decoded"], len(records)))
PY
	pass "audit: $(cat "$T/check")"
else
	fail "audit: $(cat "$T/check")"
fi

if [ "$FAILED" -ne 0 ]; then
	show "trace stderr" "$T/err"
	show "denial stderr" "$T/derr"
fi
finish
