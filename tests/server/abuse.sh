#!/bin/bash
# usage: abuse.sh SENTRY
# An endless loop, a flood of output, a fork bomb (and a memory hog where
# the sentry has --process-memory) each end their own run, inside the
# sandbox under the server's limits, while a normal run beside each one
# still answers correctly; no process of theirs is left afterwards.
. "$(dirname "$0")/lib.sh"
MARK=abuse$$
# --warm=0: a run's sentry is found below by its command line (warm.sh
# kills a warm one)
start_server --warm=0 --max-concurrent=4 --max-processes=32 --max-output=64K --max-run-timeout=5

# run_beside NAME BODY: BODY in the background, a normal python run
# meanwhile; the abusive reply in $T/NAME.json.
run_beside() {
	local name=$1 body=$2
	curl -s -o "$T/$name.json" -w '%{http_code}' -X POST --data-binary "$body" "$URL/api/v2/execute" >"$T/$name.code" &
	local bg=$!
	post '{"language":"python","version":"*","files":[{"content":"print(sum(range(1000)))"}],"args":[]}'
	if [ "$(cat "$T/code")" = 200 ] && [ "$(field run.code)" = 0 ] && is run.stdout '499500\n'; then
		pass "a normal run beside the $name answers correctly"
	else
		fail "the normal run beside the $name"; show body "$T/body"
	fi
	wait "$bg"
	cp "$T/$name.json" "$T/body"
}

run_beside loop '{"language":"python","version":"*","files":[{"name":"loop_'$MARK'.py","content":"while True: pass"}],"run_timeout":2000}'
[ "$(cat "$T/loop.code")" = 200 ] && [ "$(field run.status)" = TO ] && [ "$(field run.signal)" = SIGKILL ] &&
	pass "an endless loop ends at its run_timeout: status TO" || { fail "endless loop"; show body "$T/body"; }

run_beside flood '{"language":"python","version":"*","files":[{"name":"flood_'$MARK'.py","content":"import sys\nwhile True: sys.stdout.write(\"y\" * 65536)"}],"run_timeout":5000}'
len=$(field run.stdout | wc -c)
[ "$(cat "$T/flood.code")" = 200 ] && [ "$(field run.status)" = OL ] && [ "$len" -eq 65536 ] &&
	pass "a flood of output ends its run at --max-output: status OL, 64K kept" || { fail "flood ($len bytes)"; show body "$T/body"; }

run_beside bomb '{"language":"bash","version":"*","files":[{"name":"bomb_'$MARK'.sh","content":"b() { b | b & }; b; sleep 10"}],"run_timeout":3000}'
[ "$(cat "$T/bomb.code")" = 200 ] && [ "$(field run.status)" = TO ] &&
	pass "a fork bomb, held under --max-processes, ends at its run_timeout: status TO" || { fail "fork bomb"; show body "$T/body"; }

if "$SENTRY" --help | grep -q -- --process-memory; then
	run_beside hog '{"language":"python","version":"*","files":[{"name":"hog_'$MARK'.py","content":"a = []\nwhile True: a.append(bytearray(10**7))"}],"run_timeout":5000,"run_memory_limit":200000000}'
	status=$(field run.status)
	[ "$(cat "$T/hog.code")" = 200 ] && [ "$status" = SG ] &&
		pass "a memory hog ends its own run at run_memory_limit: status SG" || { fail "memory hog"; show body "$T/body"; }
else
	echo "note: this sentry has no --process-memory: no memory hog"
fi

# The sandbox's own sentry killed mid-run: that run says so, the server
# goes on.
curl -s -o "$T/lost.json" -X POST --data-binary \
	'{"language":"bash","version":"*","files":[{"name":"lost_'$MARK'.sh","content":"sleep 20"}]}' "$URL/api/v2/execute" &
client=$!
victim=
for i in $(seq 1 200); do
	victim=$(pgrep -f -- "-q --workspace=$T.*lost_$MARK" | head -1)
	[ -n "$victim" ] && break
	sleep 0.05
done
[ -n "$victim" ] && kill -KILL "$victim"
wait "$client"
cp "$T/lost.json" "$T/body"
[ "$(field run.status)" = XX ] && field run.message | grep -q "sentry died" &&
	pass "a sandbox whose sentry is killed mid-run: status XX, and a message" || { fail "killed sentry"; show body "$T/body"; }
post '{"language":"bash","version":"*","files":[{"content":"echo still here"}]}'
is run.stdout 'still here\n' && pass "the server answers the next run" || { fail "after the killed sentry"; show body "$T/body"; }

# Every sandbox's sentry names $T in its --workspace, every workload the
# mark in its file name.
stray=$(pgrep -f -- "$MARK|--workspace=$T" || true)
[ -z "$stray" ] && pass "no process left after the abusive runs" || { fail "left: $stray"; ps -o pid,args -p $stray; }
curl -s "$URL/metrics" >"$T/metrics"
grep -q '^sentry_serve_live_sandboxes 0$' "$T/metrics" && pass "metrics: no live sandbox" || fail "live sandboxes left"
stop_server
[ "$SERVER_STATUS" = 0 ] && pass "the server stops cleanly" || fail "server exit $SERVER_STATUS"
finish
