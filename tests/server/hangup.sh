#!/bin/bash
# usage: hangup.sh SENTRY
# A client that hangs up mid-run (curl killed, its connection closed by the
# kernel) gets its run ended at once, in a run step and in a compile step
# (no run follows), instead of at the run's time limit (10 s here): the
# workload is gone within 5 s, the server's log says the client hung up, and the server
# goes on answering. A body that trickles in is cut off at --body-timeout,
# headers that trickle in at --header-timeout.
. "$(dirname "$0")/lib.sh"
MARK=hangup$$

# gone TEXT SECONDS: no process has TEXT in its command line within SECONDS
gone() {
	local i
	for i in $(seq 1 $(($2 * 20))); do
		pgrep -f -- "$1" >/dev/null || return 0
		sleep 0.05
	done
	return 1
}
# running REGEX: a process whose command line matches REGEX runs (within 20 s)
running() {
	local i
	for i in $(seq 1 400); do
		pgrep -f -- "$1" >/dev/null && return 0
		sleep 0.05
	done
	return 1
}

cat >"$T/runtimes.json" <<'JSON'
[{"language": "slowc", "version": "1.0.0", "aliases": [], "extension": ".c",
  "compile": ["/bin/bash", "-c", "exec -a \"$0\" sleep 30", "{file}"],
  "run": ["/bin/echo", "ran"]}]
JSON
start_server --max-concurrent=2 --runtimes="$T/runtimes.json" --body-timeout=2 --header-timeout=2

# hang_up WHAT BODY REGEX MARK: posts BODY, kills the client once a process
# matching REGEX runs, and wants every process naming MARK gone within 5 s
hang_up() {
	local what=$1 body=$2 regex=$3 mark=$4 client
	curl -s -o /dev/null -X POST --data-binary "$body" "$URL/api/v2/execute" &
	client=$!
	if ! running "$regex"; then
		fail "the $what did not start"
		show "server log" "$T/server.log"
		return
	fi
	kill -KILL "$client"
	wait "$client" 2>/dev/null
	gone "$mark" 5 && pass "a $what whose client hung up is ended within 5 s" ||
		{ fail "the $what of a client that hung up still runs: $(pgrep -af "$mark")"; show "server log" "$T/server.log"; }
}
# the run step: a workload that would sleep 30 s
hang_up run '{"language":"bash","version":"*","files":[{"name":"run_'$MARK'.sh","content":"exec -a run_'$MARK' sleep 30"}],"run_timeout":10000}' \
	"^run_$MARK 30" "run_$MARK"
# the compile step
hang_up "compile step" '{"language":"slowc","version":"*","files":[{"name":"compile_'$MARK'.c","content":"x"}],"compile_timeout":10000}' \
	"^compile_$MARK.c 30" "compile_$MARK"

for _ in $(seq 1 100); do [ "$(grep -c '"client_gone":true' "$T/server.log")" -ge 2 ] && break; sleep 0.05; done
[ "$(grep -c '"event":"run".*"client_gone":true' "$T/server.log")" -eq 2 ] &&
	pass "the log says so for both: $(grep -m1 '"client_gone":true' "$T/server.log")" ||
	{ fail "the log's run lines"; show "server log" "$T/server.log"; }
post '{"language":"bash","version":"*","files":[{"content":"echo still here"}]}'
[ "$(cat "$T/code")" = 200 ] && is run.stdout "still here\n" && pass "the server goes on answering" ||
	{ fail "a run after the hang-ups"; show body "$T/body"; }
# a client that stays for a run of a second gets its whole answer
post '{"language":"bash","version":"*","files":[{"content":"sleep 1; echo waited"}]}'
[ "$(cat "$T/code")" = 200 ] && is run.stdout "waited\n" && pass "a client that waits gets its answer" ||
	{ fail "a run of a client that waits"; show body "$T/body"; }

# trickle HEAD BYTE SECONDS: sends HEAD, then BYTE every SECONDS, up to
# 20 s; prints "closed" or "open" and the seconds it took
trickle() {
	/usr/bin/python3 - "$PORT" "$1" "$2" "$3" <<'PY'
import socket, sys, time
port, head, byte, pace = int(sys.argv[1]), sys.argv[2], sys.argv[3], float(sys.argv[4])
s = socket.create_connection(("127.0.0.1", port))
s.sendall(head.replace("\\n", "\r\n").encode())
start = time.time()
s.settimeout(pace)
closed = False
while time.time() - start < 20:
    try:
        s.sendall(byte.encode())
        if s.recv(4096) == b"":
            closed = True
            break
    except socket.timeout:
        pass
    except OSError:
        closed = True
        break
print("closed" if closed else "open", round(time.time() - start))
PY
}

# a body that trickles in, a byte a second, is cut off at --body-timeout:
# the connection closed (libmicrohttpd's own timeout is for an idle
# connection, which this is not; it sends no answer while a body arrives)
trickle 'POST /api/v2/execute HTTP/1.1\nHost: x\nContent-Type: application/json\nContent-Length: 100\n\n' " " 1 >"$T/slow.out" 2>&1
read -r how secs <"$T/slow.out"
[ "$how" = closed ] && [ "$secs" -le 6 ] && grep -q '"event":"body_timeout"' "$T/server.log" &&
	pass "a body trickling in is cut off after --body-timeout=2 ($secs s), and logged" ||
	{ fail "the trickling body"; show out "$T/slow.out"; }

# headers that trickle in, a byte every half second (each byte makes the
# connection busy again for libmicrohttpd), are cut off at --header-timeout
trickle 'GET /healthz HTTP/1.1\nHost: x\nX-Slow: ' a 0.5 >"$T/slowh.out" 2>&1
read -r how secs <"$T/slowh.out"
[ "$how" = closed ] && [ "$secs" -le 6 ] && grep -q '"event":"header_timeout"' "$T/server.log" &&
	pass "headers trickling in are cut off after --header-timeout=2 ($secs s), and logged" ||
	{ fail "the trickling headers"; show out "$T/slowh.out"; }
# a kept-alive connection serves one request after another, each with
# its own time for its headers
/usr/bin/python3 - "$PORT" >"$T/keep.out" 2>&1 <<'PY'
import http.client, sys, time
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=10)
codes = []
for i in range(3):
    c.request("GET", "/healthz")
    r = c.getresponse()
    r.read()
    codes.append(r.status)
    time.sleep(1.5)
print(*codes)
PY
[ "$(cat "$T/keep.out")" = "200 200 200" ] &&
	pass "a kept-alive connection asking every 1.5 s is served each time" ||
	{ fail "the kept-alive connection"; show out "$T/keep.out"; }
finish
