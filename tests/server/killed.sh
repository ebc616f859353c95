#!/bin/bash
# usage: killed.sh SENTRY
# A sandbox's own sentry killed (SIGKILL) or stopped (SIGSTOP) mid-run,
# found the way an operator would: the workload's process, up its parents
# to the server's child (in the server's cgroup run.N where it makes one).
# The run is answered with an error (status XX and a message, never a
# clean exit with empty output), in a run step, in a compile step (then no
# run), four at once, and in a session (whose next call says the session
# is gone); a stopped one is ended by the server at the run's timeout; the
# server goes on answering, and no process, folder or cgroup of the runs
# is left.
. "$(dirname "$0")/lib.sh"
MARK=killed$$
PY=/usr/bin/python3
DRIVER=$(dirname "$0")/thousand.py

ppid_of() { awk '{ sub(/.*\) /, ""); print $2 }' "/proc/$1/stat" 2>/dev/null; }

# sentry_of TEXT: the pid of the sentry (a child of the server) whose
# workload has TEXT in its command line, once that workload runs.
sentry_of() {
	local i p q
	for i in $(seq 1 400); do
		for p in $(pgrep -f -- "$1"); do
			[ "$(ppid_of "$p")" = "$SERVER_PID" ] && continue # the sentry's own command line
			q=$p
			while [ -n "$q" ] && [ "$q" -gt 1 ] && [ "$(ppid_of "$q")" != "$SERVER_PID" ]; do q=$(ppid_of "$q"); done
			[ -n "$q" ] && [ "$q" -gt 1 ] && { echo "$q"; return 0; }
		done
		sleep 0.05
	done
	return 1
}

# in_run_cgroup PID: true when PID is in one of the server's run.N cgroups
# (or the server makes none).
in_run_cgroup() {
	[ -d /sys/fs/cgroup/pids/sentry-serve."$SERVER_PID" ] || [ -d /sys/fs/cgroup/sentry-serve."$SERVER_PID" ] || return 0
	grep -q "sentry-serve\.$SERVER_PID/run\.[0-9]*$" "/proc/$1/cgroup"
}

# lost REPLY STEP: the step's status is XX with a message that the
# sentry died, and neither code nor signal claims the workload's end.
lost() {
	cp "$1" "$T/body"
	[ "$(field "$2.status")" = XX ] && field "$2.message" | grep -q "sentry died of SIGKILL" &&
		[ "$(field "$2.code")" = null ] && [ "$(field "$2.signal")" = null ]
}

cat >"$T/runtimes.json" <<'EOF'
[{"language": "slowc", "version": "1.0.0", "aliases": [], "extension": ".c",
  "compile": ["/bin/bash", "-c", "sleep 20; touch compiled", "{file}"],
  "run": ["/bin/echo", "ran"]}]
EOF
start_server --max-concurrent=4 --runtimes="$T/runtimes.json"

# 1. the run step
curl -s -o "$T/run.json" -X POST --data-binary \
	'{"language":"bash","version":"*","files":[{"name":"run_'$MARK'.sh","content":"echo started; sleep 20; echo done"}]}' "$URL/api/v2/execute" &
client=$!
victim=$(sentry_of "run_$MARK")
[ -n "$victim" ] && in_run_cgroup "$victim" && pass "the run's sentry: $victim, the server's child, in its run's cgroup" ||
	fail "the run's sentry not found ($victim)"
start=$SECONDS
kill -KILL "$victim"
wait "$client"
lost "$T/run.json" run && pass "its sentry killed mid-run: status XX, no code or signal, and a message: $(field run.message)" ||
	{ fail "the killed run's answer"; show body "$T/body"; }
[ $((SECONDS - start)) -lt 10 ] && pass "answered at once, not at the workload's end" || fail "answered after $((SECONDS - start)) s"
[ -z "$(pgrep -f "run_$MARK")" ] && pass "its workload is gone with it" || fail "its workload is left: $(pgrep -af "run_$MARK")"

# 2. the compile step: no run follows
curl -s -o "$T/compile.json" -X POST --data-binary \
	'{"language":"slowc","version":"*","files":[{"name":"compile_'$MARK'.c","content":"x"}]}' "$URL/api/v2/execute" &
client=$!
victim=$(sentry_of "compile_$MARK")
[ -n "$victim" ] && kill -KILL "$victim"
wait "$client"
lost "$T/compile.json" compile && [ "$(field run)" = null ] && pass "a compile step's sentry killed: compile status XX, and no run" ||
	{ fail "the killed compile's answer"; show body "$T/body"; }

# 3. four at once, then the server answers normal runs
for n in 1 2 3 4; do
	curl -s -o "$T/four$n.json" -X POST --data-binary \
		'{"language":"python","version":"*","files":[{"name":"four'$n'_'$MARK'.py","content":"import time\nprint(1, flush=True)\ntime.sleep(20)"}]}' "$URL/api/v2/execute" &
	eval "client$n=$!"
done
for n in 1 2 3 4; do
	victim=$(sentry_of "four${n}_$MARK")
	[ -n "$victim" ] && kill -KILL "$victim"
done
all=1
for n in 1 2 3 4; do
	eval "wait \$client$n"
	lost "$T/four$n.json" run || { all=0; show "run $n" "$T/four$n.json"; }
done
[ "$all" = 1 ] && pass "four sentries killed at once: four answers with status XX" || fail "the four killed runs"
clients=()
for n in $(seq 1 8); do
	curl -s -o "$T/after$n.json" -X POST --data-binary \
		'{"language":"bash","version":"*","files":[{"content":"echo after '$n'"}]}' "$URL/api/v2/execute" &
	clients+=($!)
done
wait "${clients[@]}"
all=1
for n in $(seq 1 8); do
	cp "$T/after$n.json" "$T/body"
	is run.stdout "after $n\n" || { all=0; show "after $n" "$T/body"; }
done
[ "$all" = 1 ] && pass "then eight runs at once are answered correctly" || fail "runs after the killed ones"

# 4. a stopped sentry, whose own --timeout cannot fire: the server ends
# the run (a warm sandbox's at its timeout, a cold one's 5 s later)
curl -s -o "$T/stopped.json" -X POST --data-binary \
	'{"language":"bash","version":"*","files":[{"name":"stopped_'$MARK'.sh","content":"sleep 20"}],"run_timeout":3000}' "$URL/api/v2/execute" &
client=$!
victim=$(sentry_of "stopped_$MARK")
start=$SECONDS
[ -n "$victim" ] && kill -STOP "$victim"
wait "$client"
cp "$T/stopped.json" "$T/body"
[ "$(field run.status)" = TO ] && [ "$(field run.signal)" = SIGKILL ] && [ $((SECONDS - start)) -lt 15 ] &&
	pass "a stopped sentry: the server ends the run, status TO, after $((SECONDS - start)) s" ||
	{ fail "the stopped sentry's run ($((SECONDS - start)) s)"; show body "$T/body"; }

# 5. a session's sentry
curl -s -o "$T/body" -X POST -d '{}' "$URL/v1/sandboxes"
id=$(field id)
if [ -n "$id" ] && [ "$id" != null ]; then
	curl -s -o "$T/cmd.json" -w '%{http_code}' -X POST --data-binary \
		'{"command":["bash","-c","echo in; exec -a session_'$MARK' sleep 20"]}' "$URL/v1/sandboxes/$id/commands" >"$T/cmd.code" &
	client=$!
	victim=$(sentry_of "session_$MARK")
	[ -n "$victim" ] && kill -KILL "$victim"
	wait "$client"
	cp "$T/cmd.json" "$T/body"
	code=$(cat "$T/cmd.code")
	if [ "$code" != 200 ] || [ "$(field status)" = XX ]; then
		pass "a session's sentry killed mid-command: the command says so (HTTP $code, status $(field status))"
	else
		fail "a session's sentry killed: HTTP 200 with status $(field status)"; show body "$T/body"
	fi
	gone=
	for i in $(seq 1 60); do
		[ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/v1/sandboxes/$id")" = 404 ] && { gone=1; break; }
		sleep 0.1
	done
	[ -n "$gone" ] && pass "the session is gone (404) once its sentry is" || fail "the dead session is still listed"
	code=$(curl -s -o "$T/body" -w '%{http_code}' -X POST --data-binary '{"command":["echo","x"]}' "$URL/v1/sandboxes/$id/commands")
	[ "$code" = 404 ] && pass "a command to it: 404" || fail "a command to the dead session: $code"
	curl -s -o "$T/body" -X POST -d '{}' "$URL/v1/sandboxes"
	id=$(field id)
	curl -s -o "$T/body" -X POST --data-binary '{"command":["echo","fresh"]}' "$URL/v1/sandboxes/$id/commands"
	is stdout 'fresh\n' && pass "a new session works" || { fail "a new session"; show body "$T/body"; }
	curl -s -o /dev/null -X DELETE "$URL/v1/sandboxes/$id"
else
	fail "no session made"; show body "$T/body"
fi

curl -s "$URL/metrics" >"$T/metrics"
xx=$(awk -F' ' '/^sentry_serve_runs_total\{.*status="XX"/ { n += $2 } END { print n + 0 }' "$T/metrics")
[ "$xx" -ge 6 ] && pass "metrics count the lost runs: $xx with status XX" || { fail "metrics: $xx runs XX"; grep runs_total "$T/metrics"; }
grep -q '^sentry_serve_http_responses_total{code="5' "$T/metrics" && { fail "5xx answers"; grep 'code="5' "$T/metrics"; }
grep -q '^sentry_serve_live_sandboxes 0$' "$T/metrics" && pass "metrics: no live sandbox" || fail "live sandboxes left"
# the idle warm sandboxes (--warm) and their folders are the server's
$PY "$DRIVER" strays "$SERVER_PID" "$(ls -d "$T"/sentry-serve.*)" >"$T/strays" &&
	pass "no process below the server or in its cgroups, no job folder, but its idle warm sandboxes" ||
	{ fail "left"; head -20 "$T/strays"; }
[ -z "$(pgrep -f -- "$MARK")" ] && pass "no process of the mark left" || fail "left: $(pgrep -af -- "$MARK")"
pid=$SERVER_PID
stop_server
[ "$SERVER_STATUS" = 0 ] && pass "the server stops cleanly" || fail "server exit $SERVER_STATUS"
$PY "$DRIVER" strays "$pid" >"$T/strays" && [ -z "$(ls -d "$T"/sentry-serve.* 2>/dev/null)" ] &&
	pass "stopped: no process of its runs, its folder removed" || { fail "left after the stop"; head "$T/strays"; }
grep -q '"event":"cgroup_left"' "$T/server.log" && fail "a run's cgroup could not be emptied"
finish
