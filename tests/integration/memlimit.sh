#!/bin/bash
# usage: memlimit.sh SENTRY PLATFORM PROGRAM
# --memory-limit bounds what the workload writes straight into a file's fd,
# where the kernel runs the write and the sentry never sees it. PROGRAM
# writes 16 MiB into a new file of the workspace; under --memory-limit=8M it
# must end as on a tmpfs of 8 MiB, mounted here as the oracle: a short
# write, then ENOSPC, fallocate ENOSPC, and a file system that works again
# once the file is truncated. Without a limit, all of it fits, as on a
# larger tmpfs.
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: needs root (a tmpfs for the native run; a private one for the sandbox)"
	exit 77
fi
trap 'umount "$T/native" 2>/dev/null; rm -rf "$T"' EXIT

# run LIMIT TMPFS_SIZE [EXISTING]: the native run on a fresh tmpfs, then
# inside; with EXISTING, a 4 KiB file of that name is there first and the
# program appends to it (inside, a copy-up of a workspace file).
run() {
	local limit=$1 size=$2 existing=${3:-} nrc irc
	rm -rf "$T/ws"
	mkdir -p "$T/native" "$T/ws"
	if ! mount -t tmpfs -o "size=$size" tmpfs "$T/native"; then
		echo "SKIP: cannot mount a tmpfs"
		exit 77
	fi
	if [ -n "$existing" ]; then
		head -c 4096 /dev/zero >"$T/native/$existing"
		head -c 4096 /dev/zero >"$T/ws/$existing"
	fi
	"$PROG" "$T/native" $existing >"$T/native.out" 2>"$T/native.err"
	nrc=$?
	umount "$T/native"
	(cd "$T/ws" && IT_SENTRY_ARGS=${limit:+--memory-limit=$limit} inside "$PROG" . $existing) \
		>"$T/inside.out" 2>"$T/inside.err"
	irc=$?
	echo "checked: ${limit:-no} limit on $PLATFORM against a native tmpfs of $size${existing:+, appending to $existing}"
	if diff -u --label native --label inside "$T/native.out" "$T/inside.out"; then
		pass "output identical ($(grep -c . "$T/inside.out") lines: $(grep "^written:" "$T/inside.out"))"
	else
		fail "output differs (diff above)"
	fi
	if [ "$nrc" -eq 0 ] && [ "$irc" -eq 0 ]; then
		pass "exit status 0"
	else
		fail "exit status: native $nrc, inside $irc"
	fi
	if [ "$(ls -A "$T/ws")" != "$existing" ] ||
		{ [ -n "$existing" ] && ! head -c 4096 /dev/zero | cmp -s - "$T/ws/$existing"; }; then
		fail "the host workspace changed: $(ls -A "$T/ws")"
	fi
	show "sentry stderr" "$T/inside.err"
}

run 8M 8M
grep -q "^next write: ENOSPC" "$T/native.out" || fail "the oracle did not run out of space"
run "" 64M
run 8M 8M existing
grep -q "^next write: ENOSPC" "$T/native.out" || fail "the oracle did not run out of space appending"
finish
