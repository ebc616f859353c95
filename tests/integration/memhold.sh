#!/bin/bash
# usage: memhold.sh SENTRY PLATFORM PROGRAM
# Every byte the workload makes the sentry hold counts against
# --memory-limit, so the sentry's own memory stays within the limit plus a
# fixed overhead: 200,000 symlinks with 1000-byte targets under 1M stop
# with ENOSPC early (natively, on a tmpfs of 1 MiB, they stop too, after
# about 250), and the sentry's peak RSS stays under 64 MB (it reached 250
# MB when only contents counted); 300,000 opens and closes of a folder keep
# it under 24 MB (43 MB when the entries of closed fds stayed). The peak
# is GNU time's maximum RSS of the sentry and
# the programs it waits for (the program itself takes a few hundred KiB).
. "$(dirname "$0")/lib.sh"

# peak BOUND_MB LABEL ARGS...: runs PROG inside under --memory-limit=1M, output in
# $T/out, the peak RSS in kB in $T/rss.
peak() {
	local bound_kb=$(($1 * 1024)) label=$2
	shift 2
	mkdir -p "$T/ws"
	(cd "$T/ws" && /usr/bin/time -f %M -o "$T/rss" timeout -k 2 120 \
		"$SENTRY" --platform="$PLATFORM" --memory-limit=1M -- "$PROG" "$@") >"$T/out" 2>"$T/err"
	local rc=$? kb
	kb=$(tail -1 "$T/rss")
	echo "checked: $label on $PLATFORM: exit $rc, peak RSS ${kb} kB"
	show "output" "$T/out"
	if [ "$kb" -lt "$bound_kb" ]; then
		pass "$label: peak RSS $kb kB < $bound_kb kB"
	else
		fail "$label: peak RSS $kb kB, past $bound_kb kB"
		show "sentry stderr" "$T/err"
	fi
	return $rc
}

peak 64 "200,000 symlinks of 1000 bytes" symlinks 200000
made=$(sed -n 's/^made: //p' "$T/out")
if grep -q "^stopped by: ENOSPC" "$T/out" && [ -n "$made" ] && [ "$made" -lt 2000 ]; then
	pass "ENOSPC after $made symlinks"
else
	fail "expected ENOSPC within 2000 symlinks: $(tr '\n' ' ' <"$T/out")"
fi
if [ -n "$(ls -A "$T/ws")" ]; then
	fail "the host folder changed"
fi

peak 24 "300,000 opens and closes of /usr" opens 300000 /usr
grep -q "^opened and closed: 300000" "$T/out" || fail "the opens did not all succeed"
finish
