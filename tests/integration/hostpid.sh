#!/bin/bash
# usage: hostpid.sh SENTRY PLATFORM PROGRAM
# Processes outside the sandbox: pid 1, the sentry (the first process's
# parent) and a host "victim" process. Natively every call reaches them;
# inside each must fail with ESRCH, as for a pid that does not exist, and
# no signal may arrive.
. "$(dirname "$0")/lib.sh"

NOT_FOUND="-1 ESRCH"
VICTIMS=()
cleanup() {
	local v
	for v in "${VICTIMS[@]}"; do kill -KILL "$v" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT

# A host process in a session and process group of its own; sets VICTIM.
start_victim() {
	setsid sleep 60 &
	VICTIM=$!
	disown "$VICTIM"
	VICTIMS+=("$VICTIM")
	local deadline=$(($(now_ms) + 30000)) sleep_exe
	sleep_exe=$(readlink -f "$(command -v sleep)")
	while [ "$(now_ms)" -lt "$deadline" ]; do
		[ "$(readlink "/proc/$VICTIM/exe")" = "$sleep_exe" ] && return
		sleep 0.01
	done
}

# Waits for a pid to die (up to 30 s: a busy machine is slow, not wrong).
gone_within() {
	local deadline=$(($(now_ms) + 30000))
	while [ "$(now_ms)" -lt "$deadline" ]; do
		alive "$1" || return 0
		sleep 0.01
	done
	return 1
}

# Whether a pid was left unsignalled: alive, asleep, with no signal
# pending. A signal sent to it is pending until it runs, and once taken it
# never sleeps again, so no wait decides this; while it runs, it is asked
# again (up to 30 s).
unsignalled() {
	local deadline=$(($(now_ms) + 30000)) state pending
	while [ "$(now_ms)" -lt "$deadline" ]; do
		alive "$1" || return 1
		state=$(sed -n 's/^State:\t\(.\).*/\1/p' "/proc/$1/status" 2>/dev/null)
		pending=$(sed -n 's/^\(ShdPnd\|SigPnd\):\t//p' "/proc/$1/status" 2>/dev/null | tr -d '0\n')
		[ -n "$pending" ] && return 1
		[ "$state" = S ] && return 0
		sleep 0.01
	done
	return 1
}

# Every line of FILE must end in ": EXPECTED".
all_lines() {
	local file=$1 want=$2 what=$3 line ok=1
	while IFS= read -r line; do
		if [ "${line#*: }" != "$want" ]; then
			fail "$what: '$line', expected '$want'"
			ok=0
		fi
	done <"$file"
	[ -s "$file" ] || { fail "$what: no output"; ok=0; }
	[ $ok -eq 1 ] && pass "$what: $(wc -l <"$file") calls gave '$want'"
}

echo "checked: $NAME on $PLATFORM: calls naming host processes fail with ESRCH inside and deliver nothing"

start_victim
for target in "query 1" "query-parent" "query $VICTIM"; do
	# shellcheck disable=SC2086
	"$PROG" $target >"$T/native.out" 2>&1
	all_lines "$T/native.out" 0 "native $target"
	# shellcheck disable=SC2086
	inside "$PROG" $target >"$T/inside.out" 2>"$T/inside.err"
	irc=$?
	all_lines "$T/inside.out" "$NOT_FOUND" "inside $target"
	[ "$irc" -eq 0 ] || fail "inside $target: exit status $irc"
done
alive "$VICTIM" || fail "the victim died during the signal-0 queries"

for how in kill tkill tgkill sigqueue killpg; do
	start_victim
	"$PROG" signal "$how" "$VICTIM" >"$T/native.out" 2>&1
	all_lines "$T/native.out" 0 "native $how"
	gone_within "$VICTIM" && pass "native $how killed the host process" ||
		fail "native $how: the host process survived"

	start_victim
	inside "$PROG" signal "$how" "$VICTIM" >"$T/inside.out" 2>"$T/inside.err"
	irc=$?
	all_lines "$T/inside.out" "$NOT_FOUND" "inside $how"
	[ "$irc" -eq 0 ] || fail "inside $how: exit status $irc"
	if unsignalled "$VICTIM"; then
		pass "inside $how: the host process is still alive"
	else
		fail "inside $how: the host process was killed from inside the sandbox"
	fi
	show "sentry stderr" "$T/inside.err"
done

# kill(0, ...) names the caller's process group. Here the sentry, and a
# host sleep(1), share a process group with the first process, unless the
# sentry gave the workload a group of its own: either way only sandbox
# processes may receive the signal (the workload ignores SIGTERM).
setsid bash -c 'sleep 60 & echo $! >"$1"; exec timeout --foreground -k 2 30 "$2" --platform="$3" -- "$4" group0' \
	_ "$T/groupmate" "$SENTRY" "$PLATFORM" "$PROG" >"$T/inside.out" 2>"$T/inside.err"
irc=$?
mate=$(cat "$T/groupmate")
VICTIMS+=("$mate")
all_lines "$T/inside.out" 0 "inside group0"
[ "$irc" -eq 0 ] && pass "group0: the sentry exited 0" || fail "group0: sentry exit status $irc"
if unsignalled "$mate"; then
	pass "group0: the host process in the sentry's group is still alive"
else
	fail "group0: kill(0) from inside killed a host process of the sentry's group"
fi
show "sentry stderr" "$T/inside.err"
finish
