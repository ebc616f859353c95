#!/bin/bash
# usage: failclosed.sh SENTRY PLATFORM PROGRAM
# SIGKILL of the sentry must end every workload task: the program's main
# process, three children and two threads are all gone afterwards.
#
# Each wait is for the event itself (the tasks reported, the tasks gone),
# bounded only by one generous budget for the whole test, FAILCLOSED_SECONDS
# (default 50, under ctest's 60): a slow or busy machine takes longer, and
# the time it took is reported, never judged.
. "$(dirname "$0")/lib.sh"

budget_end=$(($(now_ms) + ${FAILCLOSED_SECONDS:-50} * 1000))
SPID=
TASKS=()
cleanup() {
	local t
	[ -n "$SPID" ] && kill -KILL "$SPID" 2>/dev/null
	for t in "${TASKS[@]}"; do kill -KILL "$t" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT

echo "checked: $NAME on $PLATFORM: after SIGKILL of the sentry no workload task survives"
"$SENTRY" --platform="$PLATFORM" -- "$PROG" >"$T/out" 2>"$T/err" &
SPID=$!

# "main", 3 x "child", 2 x "thread" and "ready", unless the sentry ends.
while [ "$(now_ms)" -lt "$budget_end" ]; do
	[ "$(grep -c '^\(main\|child\|thread\) [0-9]*$' "$T/out")" -eq 6 ] && grep -qx ready "$T/out" && break
	alive "$SPID" || break
	sleep 0.01
done
mapfile -t TASKS < <(sed -n 's/^\(main\|child\|thread\) \([0-9]*\)$/\2/p' "$T/out")
if [ "${#TASKS[@]}" -ne 6 ] || ! grep -qx ready "$T/out"; then
	fail "the workload did not report its 6 tasks (got ${#TASKS[@]})"
	show "workload stdout" "$T/out"
	show "sentry stderr" "$T/err"
	finish
fi
for t in "${TASKS[@]}"; do
	alive "$t" || fail "task $t is not alive before the sentry is killed"
done
pass "6 tasks running: ${TASKS[*]}"

kill -KILL "$SPID"
start=$(now_ms)
while [ "$(now_ms)" -lt "$budget_end" ]; do
	left=()
	for t in "${TASKS[@]}"; do alive "$t" && left+=("$t"); done
	[ "${#left[@]}" -eq 0 ] && break
	sleep 0.01
done
ms=$(($(now_ms) - start))
if [ "${#left[@]}" -eq 0 ]; then
	pass "all 6 tasks gone ${ms} ms after SIGKILL of the sentry"
else
	fail "still alive ${ms} ms after SIGKILL of the sentry: ${left[*]}"
	for t in "${left[@]}"; do
		echo "  $t: $(grep -E '^(Name|State|PPid|TracerPid)' "/proc/$t/status" 2>/dev/null | tr '\n\t' '  ')"
	done
fi
wait "$SPID" 2>/dev/null
SPID=
finish
