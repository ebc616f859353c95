#!/bin/bash
# usage: unlinked.sh SENTRY PLATFORM PROGRAM
# A file that lost its last name lives exactly as long as the workload's
# fds to it, and the space it held comes back when the last one closes.
# The oracle is a tmpfs (of 64 MiB, as --memory-limit=64M):
#  - everything works on an unlinked or renamed-over file's fd (write,
#    fstat, ftruncate, mmap, a reopen through /proc/self/fd, fallocate,
#    sendfile, a forked child), and an O_TMPFILE file can be given a name;
#  - 25,000 creat/close/unlink cycles pass (the sentry once ran out of fds);
#  - under --memory-limit=64M, 200 cycles of 1 MiB written then unlinked,
#    or renamed over the last one, pass (they stopped at cycle 63);
#  - df inside shows the limit, 10 MB more in use after writing 10 MB, and
#    the space back after rm.
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: needs root (a tmpfs for the native run; a private one for the sandbox)"
	exit 77
fi
trap 'umount "$T/native" 2>/dev/null; rm -rf "$T"' EXIT
mkdir -p "$T/native" "$T/ws"
if ! mount -t tmpfs -o size=64M tmpfs "$T/native"; then
	echo "SKIP: cannot mount a tmpfs"
	exit 77
fi

# same LABEL LIMIT ARGS...: PROG natively in the tmpfs and inside in the
# workspace under --memory-limit=LIMIT (none when empty) must print the same.
same() {
	local label=$1 limit=$2 nrc irc
	shift 2
	(cd "$T/native" && "$PROG" "$@") >"$T/native.out" 2>&1
	nrc=$?
	(cd "$T/ws" && IT_TIMEOUT=120 IT_SENTRY_ARGS=${limit:+--memory-limit=$limit} inside "$PROG" "$@") \
		>"$T/inside.out" 2>"$T/inside.err"
	irc=$?
	echo "checked: $label on $PLATFORM${limit:+ under --memory-limit=$limit}"
	if diff -u --label native --label inside "$T/native.out" "$T/inside.out" &&
		[ "$nrc" -eq 0 ] && [ "$irc" -eq 0 ]; then
		pass "$label: output identical ($(wc -l <"$T/inside.out") lines), exit status 0"
	else
		fail "$label: native exit $nrc, inside exit $irc"
		show "sentry stderr" "$T/inside.err"
	fi
	if [ -n "$(ls -A "$T/native")" ]; then
		fail "$label: the program left files behind natively: $(ls -A "$T/native")"
		rm -rf "${T:?}/native/"*
	fi
}

same "an fd outliving its file's names" "" semantics
same "25,000 creat/close/unlink" "" churn 25000 0
same "200 cycles of 1 MiB written and unlinked" 64M churn 200 1048576
same "200 cycles of 1 MiB renamed over the last" 64M rename 200 1048576
same "10,000 files open at once, then closed and unlinked" "" held 10000

# df inside: size and used in bytes, before and after writing 10 MB, and
# after removing them.
(cd "$T/ws" && IT_SENTRY_ARGS=--memory-limit=64M inside /bin/sh -c '
	df -B1 --output=size,used . | tail -1
	head -c 10000000 /dev/zero >big
	df -B1 --output=size,used . | tail -1
	rm big
	df -B1 --output=size,used . | tail -1') >"$T/df.out" 2>"$T/df.err"
echo "checked: df inside under --memory-limit=64M on $PLATFORM: $(tr '\n' ' ' <"$T/df.out")"
read -r size0 used0 size1 used1 size2 used2 <<<"$(tr '\n' ' ' <"$T/df.out")"
if [ "${size0:-}" = 67108864 ] && [ "${size1:-}" = 67108864 ] && [ "${size2:-}" = 67108864 ]; then
	pass "df shows the limit as the size"
else
	fail "df size: $(cat "$T/df.out")"
	show "sentry stderr" "$T/df.err"
fi
grown=$((${used1:-0} - ${used0:-0}))
if [ "$grown" -ge 10000000 ] && [ "$grown" -le $((10000000 + 1048576)) ]; then
	pass "10 MB written: $grown bytes more in use"
else
	fail "10 MB written: used went from ${used0:-?} to ${used1:-?}"
fi
if [ "${used2:-999999999}" -le $((${used0:-0} + 65536)) ]; then
	pass "rm gives the space back: ${used2} bytes in use (${used0} before)"
else
	fail "after rm: ${used2:-?} bytes in use, ${used0:-?} before"
fi
[ -z "$(ls -A "$T/ws")" ] || fail "the host folder changed: $(ls -A "$T/ws")"
finish
