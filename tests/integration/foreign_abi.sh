#!/bin/bash
# usage: foreign_abi.sh SENTRY PLATFORM PROGRAM MODE
# A call through a foreign ABI (int $0x80, x32 number) works natively or
# fails with ENOSYS; inside, the process must die of SIGSYS at that call:
# exit status 159 and no output after it.
. "$(dirname "$0")/lib.sh"

"$PROG" "$@" >"$T/native.out" 2>"$T/native.err"
nrc=$?
inside "$PROG" "$@" >"$T/inside.out" 2>"$T/inside.err"
irc=$?

echo "checked: $NAME $* on $PLATFORM: native runs through, inside dies of SIGSYS at the call"
echo "native (exit $nrc): $(tr '\n' '|' <"$T/native.out")"
if [ "$nrc" -ne 0 ] || [ "$(wc -l <"$T/native.out")" -ne 2 ]; then
	fail "the native run did not print two lines and exit 0"
fi
head -1 "$T/native.out" >"$T/expected"
if diff -u --label "expected (native's first line only)" --label inside "$T/expected" "$T/inside.out"; then
	pass "inside printed the line before the call and nothing after"
else
	fail "inside output differs (diff above)"
fi
if [ "$irc" -eq 159 ]; then
	pass "exit status 159 (SIGSYS)"
else
	fail "exit status: expected 159 (SIGSYS), got $irc"
fi
show "sentry stderr" "$T/inside.err"
finish
