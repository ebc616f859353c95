#!/bin/bash
# usage: run.sh SENTRY PLATFORM PROGRAM OPTIONS
#
# Linux is the oracle for a tmpfs of a size of its own: PROGRAM runs
# natively with a folder where `mount -t tmpfs -o OPTIONS` put a fresh
# tmpfs, and inside the sentry with the same folder made by
# `--tmpfs=FOLDER:OPTIONS`; stdout and exit status must be identical.
# Mounting needs root: skipped (77) without it.
set -u
SENTRY=$(readlink -f "$1") PLATFORM=$2 PROG=$(readlink -f "$3") OPTIONS=$4
T=$(mktemp -d /dev/shm/sc-sized.XXXXXX) || exit 1
D=$(mktemp -d /tmp/sc-sized.XXXXXX) || exit 1
cleanup() {
	mountpoint -q "$D" && umount "$D"
	rmdir "$D"
	rm -rf "$T"
}
trap cleanup EXIT
if ! mount -t tmpfs -o "$OPTIONS" sc-sized "$D" 2>"$T/mount.err"; then
	echo "SKIP: mount -t tmpfs -o $OPTIONS: $(cat "$T/mount.err") (needs root)"
	exit 77
fi
mkdir "$T/cwd"
(cd "$T/cwd" && timeout -k 2 60 "$PROG" "$D") </dev/null >"$T/native.out" 2>"$T/native.err"
nrc=$?
umount "$D"
(cd "$T/cwd" && timeout -k 2 60 "$SENTRY" --platform="$PLATFORM" --tmpfs="$D:$OPTIONS" -- "$PROG" "$D") \
	</dev/null >"$T/inside.out" 2>"$T/inside.err"
irc=$?
FAILED=0
echo "checked: $(basename "$PROG") with $OPTIONS on $PLATFORM: stdout ($(wc -l <"$T/native.out") lines) and exit status against the native run"
if [ ! -s "$T/native.out" ] || [ "$nrc" -ne 0 ]; then
	echo "FAIL: the native run is broken (exit status $nrc)"
	cat "$T/native.err"
	FAILED=1
fi
if ! diff -u --label native --label inside "$T/native.out" "$T/inside.out"; then
	echo "FAIL: stdout differs (diff above)"
	FAILED=1
fi
if [ "$nrc" -ne "$irc" ]; then
	echo "FAIL: exit status: native $nrc, inside $irc"
	FAILED=1
fi
if [ "$FAILED" -ne 0 ]; then
	echo "--- sentry stderr ---"
	head -40 "$T/inside.err"
	exit 1
fi
echo "PASSED"
