#!/bin/bash
# usage: drain.sh SENTRY
# SIGTERM drains: a run in flight finishes and is answered in full, a new
# request meanwhile gets 503 (and /healthz says draining), then the server
# exits 0; past --grace, a run still going is killed, answered, and the
# server exits all the same.
. "$(dirname "$0")/lib.sh"
MARK=drain$$

# Waits until the server has a live sandbox (its metrics say so).
wait_live() {
	local i
	for i in $(seq 1 400); do
		curl -s "$URL/metrics" | grep -q '^sentry_serve_live_sandboxes [1-9]' && return 0
		sleep 0.05
	done
	return 1
}

start_server --grace=60
curl -s -o "$T/inflight.json" -X POST --data-binary \
	'{"language":"bash","version":"*","files":[{"name":"'$MARK'.sh","content":"sleep 4; echo finished"}]}' "$URL/api/v2/execute" &
client=$!
wait_live || fail "the run never started"
kill -TERM "$SERVER_PID"
for i in $(seq 1 100); do grep -q '"event":"draining"' "$T/server.log" && break; sleep 0.05; done
post '{"language":"bash","version":"*","files":[{"content":"echo late"}]}'
[ "$(cat "$T/code")" = 503 ] && [ -n "$(field message)" ] && pass "a request during the drain: 503" ||
	{ fail "during the drain: $(cat "$T/code")"; show body "$T/body"; }
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/healthz")
[ "$code" = 503 ] && pass "/healthz during the drain: 503" || fail "/healthz during the drain: $code"
# the run sleeps 4 s: still going at 8 s, where each of its processes waits
for i in $(seq 1 160); do kill -0 "$client" 2>/dev/null || break; sleep 0.05; done
if kill -0 "$client" 2>/dev/null; then
	echo "--- the run still goes at 8 s ---"
	ps -eo pid,ppid,ni,stat,wchan:24,args --forest | grep -E "sentry|sleep|bash" | grep -v grep
	for p in $(pgrep -f -- "--workspace=$T"); do echo "--- $p stack"; cat "/proc/$p/stack" 2>/dev/null; done
fi
wait "$client"
cp "$T/inflight.json" "$T/body"
is run.stdout 'finished\n' && [ "$(field run.code)" = 0 ] && pass "the run in flight finished and was answered" ||
	{ fail "the run in flight"; show body "$T/body"; show "server log" "$T/server.log"; ps -eo pid,ppid,ni,stat,wchan:24,args --forest | grep -E "sentry|$MARK" | grep -v grep; }
wait "$SERVER_PID"
status=$?
SERVER_PID=
[ "$status" = 0 ] && pass "then the server exits 0" || fail "server exit $status"

# Past the grace.
start_server --grace=0.5
curl -s -o "$T/inflight.json" -X POST --data-binary \
	'{"language":"bash","version":"*","files":[{"name":"'$MARK'.sh","content":"sleep 30; echo never"}],"run_timeout":10000}' "$URL/api/v2/execute" &
client=$!
wait_live || fail "the second run never started"
kill -TERM "$SERVER_PID"
wait "$client"
cp "$T/inflight.json" "$T/body"
[ "$(field run.signal)" = SIGKILL ] && ! is run.stdout 'never\n' && pass "past --grace the run is killed, and answered" ||
	{ fail "the run past the grace"; show body "$T/body"; }
wait "$SERVER_PID"
status=$?
SERVER_PID=
[ "$status" = 0 ] && pass "and the server exits 0" || fail "server exit $status"
grep -q '"event":"grace_over"' "$T/server.log" && pass "the log says the grace was over" || fail "no grace_over line"
stray=$(pgrep -f -- "$MARK|--workspace=$T" || true)
[ -z "$stray" ] && pass "no process left" || fail "left: $stray"
finish
