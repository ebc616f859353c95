#!/bin/bash
# usage: batch.sh SENTRY [COUNT]
# A mixed batch (python, bash, c, malformed JSON, timeouts, floods of
# output, exit codes, unknown languages) from 12 clients at once: every
# request gets its one right answer, no server error, and no process of
# the runs is left afterwards.
. "$(dirname "$0")/lib.sh"
COUNT=${1:-300}
MARK=batch$$
before=$(pgrep -f -- "$MARK|--workspace=$T" || true)
start_server --max-output=16K --max-queue=64
/usr/bin/python3 "$(dirname "$0")/batch.py" "$URL" "$MARK" "$COUNT" >"$T/batch.out" 2>&1
rc=$?
cat "$T/batch.out"
[ "$rc" -eq 0 ] && pass "$COUNT mixed requests: each answered as expected" || fail "the batch (exit $rc)"
curl -s "$URL/metrics" >"$T/metrics"
errors=$(grep -c '^sentry_serve_http_responses_total{code="5' "$T/metrics")
[ "$errors" -eq 0 ] && pass "no 5xx answer" || { fail "5xx answers"; grep 'code="5' "$T/metrics"; }
grep -q '^sentry_serve_live_sandboxes 0$' "$T/metrics" && grep -q '^sentry_serve_queue_depth 0$' "$T/metrics" &&
	pass "metrics: no sandbox left, queue empty" || fail "metrics after the batch"
stop_server
[ "$SERVER_STATUS" = 0 ] && pass "the server stops cleanly" || fail "server exit $SERVER_STATUS"
after=$(pgrep -f -- "$MARK|--workspace=$T" || true)
[ "$before" = "$after" ] && pass "no stray process (pgrep -f before and after)" || { fail "stray: $after"; ps -o pid,args -p $after; }
grep -q '"event":"cgroup_left"' "$T/server.log" && fail "a run's cgroup could not be emptied"
finish
