#!/bin/bash
# usage: run.sh SENTRY PLATFORM PROGRAM
#
# Linux is the oracle. PROGRAM runs natively in one fresh empty folder under
# /dev/shm (tmpfs, like the sandbox's memory file system) and inside the
# sentry in another; stdout and exit status must be identical. The host
# folder of the inside run must be untouched afterwards: whatever the
# program wrote inside stays inside.
set -u
SENTRY=$(readlink -f "$1") PLATFORM=$2 PROG=$(readlink -f "$3")
NAME=$(basename "$PROG")
FAILED=0

T=$(mktemp -d /dev/shm/sc-results.XXXXXX) || exit 1
N=$(mktemp -d /dev/shm/sc.XXXXXX) || exit 1
I=$(mktemp -d /dev/shm/sc.XXXXXX) || exit 1
trap 'rm -rf "$T" "$N" "$I"' EXIT

fail() { echo "FAIL: $*"; FAILED=1; }
pass() { echo "ok: $*"; }

# Shows up to 40 lines of a file, labelled.
show() {
	local label=$1 file=$2 n
	n=$(wc -l <"$file")
	[ "$n" -eq 0 ] && return
	echo "--- $label ($n lines) ---"
	head -40 "$file"
	[ "$n" -gt 40 ] && echo "..."
	echo "---"
}

# Closes every fd above 2 (the caller's leftovers), so that both runs start
# with exactly stdin, stdout and stderr, then runs the command in DIR.
clean_run() {
	local dir=$1 fd
	shift
	cd "$dir" || exit 125
	for fd in /proc/$BASHPID/fd/*; do
		fd=${fd##*/}
		[ "$fd" -gt 2 ] && eval "exec $fd>&-"
	done
	exec timeout -k 2 "${SC_TIMEOUT:-30}" "$@"
}

# The inside folder as the host sees it: mode, links, mtime, ctime, entries.
snapshot() {
	stat -c '%a %h %y %z' "$I"
	ls -A "$I"
}

# shellcheck source=cap.sh
. "$(dirname "${BASH_SOURCE[0]}")/cap.sh"
cap_make
(cap_enter && clean_run "$N" "$PROG") </dev/null >"$T/native.out" 2>"$T/native.err"
nrc=$?
snapshot >"$T/before"
(cap_enter && clean_run "$I" "$SENTRY" --platform="$PLATFORM" -- "$PROG") </dev/null >"$T/inside.out" 2>"$T/inside.err"
irc=$?
cap_release
snapshot >"$T/after"

echo "checked: $NAME on $PLATFORM: stdout ($(wc -l <"$T/native.out") lines) and exit status against the native run"
if [ ! -s "$T/native.out" ] || [ "$nrc" -ge 124 ]; then
	fail "the native run is broken (exit status $nrc, $(wc -c <"$T/native.out") bytes of output)"
	show "native stderr" "$T/native.err"
fi
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
if diff -u --label "host folder before" --label "host folder after" "$T/before" "$T/after"; then
	pass "the host folder of the inside run is untouched"
else
	fail "the inside run changed the host folder (diff above)"
fi
if [ "$FAILED" -ne 0 ]; then
	show "sentry stderr" "$T/inside.err"
	echo "FAILED: $NAME on $PLATFORM"
	exit 1
fi
echo "PASSED: $NAME on $PLATFORM"
exit 0
