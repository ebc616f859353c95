#!/bin/bash
# usage: options.sh SENTRY HELLO
# The command line: bad options and missing programs give the documented
# status with one line on stderr; the reporting flags leave the workload's
# stdout and exit status as they are natively.
set -u
SENTRY=$1 HELLO=$2
FAILED=0
T=$(mktemp -d /tmp/sentry-it.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; FAILED=1; }
pass() { echo "ok: $*"; }

# expect STATUS LINES -- ARGS...: LINES is the exact stderr line count, or
# "+" for at least one.
expect() {
	local want=$1 lines=$2
	shift 3
	timeout -k 2 20 "$SENTRY" "$@" >"$T/out" 2>"$T/err" </dev/null
	local rc=$? n
	n=$(wc -l <"$T/err")
	local what="sentry $*"
	[ "$rc" -eq "$want" ] && pass "$what: exit $rc" || fail "$what: exit $rc, expected $want"
	if [ "$lines" = "+" ]; then
		[ "$n" -ge 1 ] && pass "$what: $n stderr line(s)" || fail "$what: nothing on stderr"
	else
		[ "$n" -eq "$lines" ] && pass "$what: $n stderr line" || fail "$what: $n stderr lines, expected $lines"
	fi
	[ -s "$T/out" ] && fail "$what: wrote to stdout: $(head -3 "$T/out")"
	sed 's/^/    stderr: /' "$T/err" | head -5
}

echo "checked: sentry's own errors and reporting flags"
expect 125 1 -- --no-such-flag -- /bin/true
expect 125 + --
expect 125 1 -- --platform=bogus -- x
expect 127 1 -- -- /nonexistent
expect 127 1 -- --platform=ptrace -- /nonexistent
expect 127 1 -- --platform=unotify -- /nonexistent/dir/prog

# A dynamic program: runs as natively once the loader exists; until then it
# is refused with 125 and one line. Nothing else is acceptable.
for p in unotify ptrace; do
	timeout -k 2 20 "$SENTRY" --platform=$p -- /bin/true >"$T/out" 2>"$T/err"
	rc=$?
	n=$(wc -l <"$T/err")
	if [ "$rc" -eq 0 ] || { [ "$rc" -eq 125 ] && [ "$n" -eq 1 ]; }; then
		pass "dynamic /bin/true on $p: exit $rc, $n stderr line(s)"
	else
		fail "dynamic /bin/true on $p: exit $rc with $n stderr lines (expected 0, or 125 with one line)"
	fi
	sed 's/^/    stderr: /' "$T/err" | head -3
done

# Reporting flags change stderr only.
"$HELLO" flag-check >"$T/native.out" 2>/dev/null
nrc=$?
for p in unotify ptrace; do
	for flags in "--trace" "--stats" "-v" "--trace --stats -v"; do
		# shellcheck disable=SC2086
		timeout -k 2 20 "$SENTRY" --platform=$p $flags -- "$HELLO" flag-check >"$T/inside.out" 2>"$T/err"
		rc=$?
		if diff -u --label native --label "inside $flags" "$T/native.out" "$T/inside.out" >"$T/diff" && [ "$rc" -eq "$nrc" ]; then
			pass "$p $flags: stdout and exit $rc as natively ($(wc -l <"$T/err") stderr lines)"
		else
			fail "$p $flags: exit $rc (native $nrc)"
			cat "$T/diff"
		fi
	done
done

[ "$FAILED" -eq 0 ] && { echo PASSED: options; exit 0; }
echo FAILED: options
exit 1
