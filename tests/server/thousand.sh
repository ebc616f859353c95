#!/bin/bash
# usage: thousand.sh SENTRY [COUNT]
# COUNT (1,000) mixed requests (python, bash, c, fork bombs, timeouts,
# memory hogs, floods of output, malformed JSON, refusals) from 8 clients at
# once, with slow clients beside them (thousand.py); then the same list one
# at a time against a fresh server. Every answer is the one it must be, the
# two runs answer alike (stdout, stderr, code, signal, status; for runs
# ended by time or memory, signal and status), no 5xx, and after each run
# no process of the server's runs, no job folder and no cgroup is left.
. "$(dirname "$0")/lib.sh"
COUNT=${1:-1000}
MARK=thousand$$
PY=/usr/bin/python3
DRIVER=$(dirname "$0")/thousand.py

# Checks what a server leaves once idle, and once stopped.
check_left() {
	local label=$1
	# the idle warm sandboxes (--warm) and their folders are the server's
	$PY "$DRIVER" strays "$SERVER_PID" "$(ls -d "$T"/sentry-serve.*)" >"$T/strays" &&
		pass "$label: no process below the server or in its cgroups, no job folder, but its idle warm sandboxes" ||
		{ fail "$label: left"; head -20 "$T/strays"; }
	curl -s "$URL/metrics" >"$T/metrics"
	grep -q '^sentry_serve_http_responses_total{code="5' "$T/metrics" && { fail "$label: 5xx answers"; grep 'code="5' "$T/metrics"; }
	grep -q '^sentry_serve_live_sandboxes 0$' "$T/metrics" && grep -q '^sentry_serve_queue_depth 0$' "$T/metrics" &&
		pass "$label: metrics: no live sandbox, queue empty" || fail "$label: metrics: sandboxes or queue left"
	local pid=$SERVER_PID
	stop_server
	[ "$SERVER_STATUS" = 0 ] && pass "$label: the server stops cleanly" || fail "$label: server exit $SERVER_STATUS"
	$PY "$DRIVER" strays "$pid" >"$T/strays" && pass "$label: stopped: no process in its cgroups" ||
		{ fail "$label: stopped, processes left"; cat "$T/strays"; }
	[ -e /sys/fs/cgroup/pids/sentry-serve."$pid" ] || [ -e /sys/fs/cgroup/sentry-serve."$pid" ] &&
		fail "$label: stopped, its cgroup is left"
	[ -z "$(ls -d "$T"/sentry-serve.* 2>/dev/null)" ] && pass "$label: stopped: its folder is removed" ||
		fail "$label: stopped, left: $(ls -d "$T"/sentry-serve.*)"
	grep -q '"event":"cgroup_left"' "$T/server.log" && fail "$label: a run's cgroup could not be emptied"
}

start_server --max-output=16K
$PY "$DRIVER" run "$URL" "$MARK" "$COUNT" 8 "$T/concurrent.json" slow
[ $? -eq 0 ] && pass "$COUNT requests from 8 clients and 4 slow ones: each answered as it must be" || fail "the concurrent run"
check_left "8 clients"
cp "$T/server.log" "$T/concurrent.log"

start_server --max-output=16K
$PY "$DRIVER" run "$URL" "$MARK" "$COUNT" 1 "$T/sequential.json"
[ $? -eq 0 ] && pass "the same $COUNT one at a time: each answered as it must be" || fail "the sequential run"
check_left "one at a time"

$PY "$DRIVER" compare "$T/concurrent.json" "$T/sequential.json" && pass "the two runs answer alike" ||
	fail "the runs answer differently"
stray=$(pgrep -f -- "$MARK|--workspace=$T" || true)
[ -z "$stray" ] && pass "no process names the test's folder or mark" || { fail "left: $stray"; ps -o pid,args -p $stray; }
finish
