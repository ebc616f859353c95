#!/bin/bash
# usage: cgroups.sh SENTRY
# The server makes its runs' pids cgroups beneath its own cgroup (where a
# service manager that delegates one expects them), not at the hierarchy's
# root: started from a cgroup this test makes, a run's workload is in
# OURS/sentry-serve.PID/run.N, and nothing is left beneath OURS once the
# server stops.
. "$(dirname "$0")/lib.sh"
PIDS=/sys/fs/cgroup/pids
if [ ! -w "$PIDS/cgroup.procs" ]; then
	echo "SKIP: no writable v1 pids hierarchy here"
	exit 77
fi
OURS=$PIDS/sentry-serve-test.$$
HOME_CG=$PIDS$(awk -F: '$2 ~ /(^|,)pids(,|$)/ { print $3 }' /proc/self/cgroup)
HOME_CG=${HOME_CG%/}
mkdir "$OURS" || { fail "cannot make $OURS"; finish; }
# the server in a memory cgroup of this test's too, where its sandboxes'
# sentries make their workloads' memory cgroups
MEM=/sys/fs/cgroup/memory
MEM_HOME=$MEM$(awk -F: '$2 ~ /(^|,)memory(,|$)/ { print $3 }' /proc/self/cgroup)
MEM_HOME=${MEM_HOME%/}
MEM_OURS=$MEM_HOME/sentry-serve-test.$$
[ -w "$MEM_HOME/cgroup.procs" ] && mkdir "$MEM_OURS" || MEM_OURS=
leave() {
	echo $$ >"$HOME_CG/cgroup.procs"
	[ -z "$MEM_OURS" ] || echo $$ >"$MEM_HOME/cgroup.procs"
}
trap 'leave 2>/dev/null; cleanup; for d in "$OURS" $MEM_OURS; do find "$d" -depth -type d -exec rmdir {} + 2>/dev/null; done' EXIT
echo $$ >"$OURS/cgroup.procs"
[ -z "$MEM_OURS" ] || echo $$ >"$MEM_OURS/cgroup.procs"
start_server --max-concurrent=1 --warm=1
leave
curl -s -o "$T/body" -X POST --data-binary \
	'{"language":"bash","version":"*","files":[{"content":"exec -a cg_'$$' sleep 2"}]}' "$URL/api/v2/execute" &
client=$!
for _ in $(seq 1 100); do w=$(pgrep -f "^cg_$$ 2"); [ -n "$w" ] && break; sleep 0.05; done
cg=$(awk -F: '$2 ~ /(^|,)pids(,|$)/ { print $3 }' "/proc/$w/cgroup" 2>/dev/null)
want="${OURS#$PIDS}/sentry-serve.$SERVER_PID/run."
[ -n "$w" ] && [ "${cg#$want}" != "$cg" ] && pass "the run's workload is in $cg" ||
	fail "the run's workload ($w) is in '$cg', not beneath $want"
wait "$client"
# runs whose sentries the server kills (a run past its time, one whose
# output is past its limit), a warm one, and a session: each sentry's
# memory cgroup goes with it
curl -s -o /dev/null -X POST --data-binary '{"language":"bash","version":"*","files":[{"content":"sleep 30"}],"run_timeout":500}' "$URL/api/v2/execute"
curl -s -o /dev/null -X POST --data-binary '{"language":"bash","version":"*","files":[{"content":"yes"}]}' "$URL/api/v2/execute"
curl -s -o /dev/null -X POST --data-binary '{"language":"bash","version":"*","files":[{"content":"echo warm"}]}' "$URL/api/v2/execute"
sid=$(curl -s -X POST -d '{}' "$URL/v1/sandboxes" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
curl -s -o /dev/null -X POST -d '{"command": ["sh", "-c", "sleep 30"], "timeout": 500}' "$URL/v1/sandboxes/$sid/commands"
curl -s -o /dev/null -X DELETE "$URL/v1/sandboxes/$sid"
if [ -n "$MEM_OURS" ]; then
	sleep 1
	# the warm sandbox waiting for the next run has one, as it must
	left=
	for d in "$MEM_OURS"/sentry-*; do
		[ -d "$d" ] && ! grep -q sentry "/proc/${d##*-}/cmdline" 2>/dev/null && left="$left ${d##*/}"
	done
	[ -z "$left" ] && pass "no ended sandbox's memory cgroup is left beside the server's while it runs on" ||
		fail "left beneath $MEM_OURS by sentries that ended:$left"
fi
stop_server
if [ -n "$MEM_OURS" ]; then
	left=$(find "$MEM_OURS" -mindepth 1 -type d | wc -l)
	[ "$left" -eq 0 ] && pass "nothing is left beneath the server's memory cgroup once it stops" ||
		fail "left beneath $MEM_OURS: $(find "$MEM_OURS" -mindepth 1 -type d)"
	rmdir "$MEM_OURS" 2>/dev/null || fail "$MEM_OURS is not empty"
fi
left=$(find "$OURS" -mindepth 1 -type d | wc -l)
[ "$left" -eq 0 ] && pass "nothing is left beneath the server's cgroup once it stops" ||
	fail "left beneath $OURS: $(find "$OURS" -mindepth 1 -type d)"
rmdir "$OURS" 2>/dev/null || fail "$OURS is not empty"
finish
