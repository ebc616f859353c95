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
leave() { echo $$ >"$HOME_CG/cgroup.procs"; }
trap 'leave 2>/dev/null; cleanup; find "$OURS" -depth -type d -exec rmdir {} + 2>/dev/null' EXIT
echo $$ >"$OURS/cgroup.procs"
start_server --max-concurrent=1 --warm=0
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
stop_server
left=$(find "$OURS" -mindepth 1 -type d | wc -l)
[ "$left" -eq 0 ] && pass "nothing is left beneath the server's cgroup once it stops" ||
	fail "left beneath $OURS: $(find "$OURS" -mindepth 1 -type d)"
rmdir "$OURS" 2>/dev/null || fail "$OURS is not empty"
finish
