#!/bin/bash
# usage: denial_lines.sh SENTRY PLATFORM PROGRAM
# A runtime probing the network (glibc's getaddrinfo asks netlink for the
# interfaces, tools try packet sockets, again and again) must not fill stderr: one line per (call,
# reason) per run, then one line at exit counting the rest; --audit keeps
# every record; -q shows none.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
probe='
import socket
for family in (socket.AF_NETLINK, socket.AF_PACKET):
    for i in range(25):
        try:
            socket.socket(family, socket.SOCK_RAW)
        except OSError as e:
            pass
print("probed")'

echo "checked: 50 refused sockets of two families on $PLATFORM"
inside "$PY" -c "$probe" >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" -eq 0 ] && grep -qx probed "$T/out" && pass "exit 0, the program ran on" || fail "exit $rc"
nl=$(grep -c '^sentry: denied socket(AF_NETLINK,' "$T/err")
np=$(grep -c '^sentry: denied socket(AF_PACKET,' "$T/err")
[ "$nl" -eq 1 ] && [ "$np" -eq 1 ] && pass "one line for each family" || fail "$nl AF_NETLINK and $np AF_PACKET lines"
want="sentry: 48 more denials like these; --audit FILE keeps them all"
[ "$(tail -1 "$T/err")" = "$want" ] && pass "the count at exit: $want" || fail "last line: $(tail -1 "$T/err")"
[ "$(wc -l <"$T/err")" -eq 3 ] && pass "three lines in all" || fail "$(wc -l <"$T/err") lines"
show "stderr" "$T/err"

echo "checked: --audit keeps every record"
IT_SENTRY_ARGS="--audit=$T/audit.json" inside "$PY" -c "$probe" >"$T/out" 2>"$T/err"
records=$(grep -c '"syscall":"socket"' "$T/audit.json")
[ "$records" -eq 50 ] && pass "50 socket records" || fail "$records socket records"
grep -q "^sentry: 48 more denials like these; all are in the audit log $T/audit.json$" "$T/err" &&
	pass "the count names the audit log" || fail "count line: $(tail -1 "$T/err")"

echo "checked: -q shows no denial"
IT_SENTRY_ARGS="-q --audit=$T/quiet.json" inside "$PY" -c "$probe" >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" -eq 0 ] && [ ! -s "$T/err" ] && pass "-q: exit 0, nothing on stderr" || fail "-q: exit $rc, $(wc -l <"$T/err") lines"
records=$(grep -c '"syscall":"socket"' "$T/quiet.json")
[ "$records" -eq 50 ] && pass "-q: the audit log still has 50" || fail "-q: $records records"

echo "checked: different calls each keep their line ($NAME)"
inside "$PROG" >"$T/out" 2>"$T/err"
for name in unshare setns mount bpf keyctl ptrace clone; do
	grep -q "^sentry: denied $name(" "$T/err" && pass "a line for $name" || fail "no line for $name"
done
finish
