#!/bin/bash
# usage: run.sh SENTRY PLATFORM PROGRAM [ARGS...]
# Runs PROGRAM natively and inside the sentry: stdout and exit status must
# be identical.
. "$(dirname "$0")/lib.sh"

# The environment inside is a short list; --env passes a variable by name.
export IT_VAR="a value with  spaces"
export IT_SENTRY_ARGS="--env=IT_VAR"
"$PROG" "$@" >"$T/native.out" 2>"$T/native.err"
nrc=$?
inside "$PROG" "$@" >"$T/inside.out" 2>"$T/inside.err"
irc=$?

args=
[ $# -gt 0 ] && args=$(printf ' %q' "$@")
echo "checked: $NAME$args on $PLATFORM: stdout ($(wc -l <"$T/native.out") lines) and exit status against the native run"
if diff -u --label native --label inside "$T/native.out" "$T/inside.out"; then
	pass "stdout identical"
else
	fail "stdout differs (diff above)"
fi
if [ "$nrc" -eq "$irc" ]; then
	pass "exit status $irc"
else
	fail "exit status: native $nrc, inside $irc"
fi
show "sentry stderr" "$T/inside.err"
[ "$FAILED" -ne 0 ] && show "native stdout" "$T/native.out"
finish
