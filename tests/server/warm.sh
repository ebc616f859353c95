#!/bin/bash
# Warm sandboxes (--warm): the same requests get the same answers from a
# server that starts each sandbox from nothing (--warm=0) and from one
# whose sandboxes were started ahead; two consecutive warm runs do not see
# each other's files, processes or loopback ports; a warm run ends at its
# own timeout, at --max-output, and reports a sentry killed under it; a
# request with tighter CPU time or memory limits of its own runs warm
# under them, ended as a cold run is, and one asking more than the
# server's are refused as before; nothing is left after.
. "$(dirname "$0")/lib.sh"
MARK=warm$$
PY=/usr/bin/python3

# One request per line: stdin, args, exit code, stderr, a folder made from
# a file name, the environment, a signal, the time limit, the output limit,
# a compile step, a missing command, the CPU time and memory limits; then
# a CPU loop under a lower run_cpu_time, a memory hog under a lower
# run_memory_limit (it fits the server's), a run with both lowered that
# stays under them, and one with -1 for both (the server's).
cat >"$T/bodies" <<EOF
{"language":"python","version":"*","files":[{"content":"print(1)"}]}
{"language":"python","version":"*","files":[{"name":"a.py","content":"import sys, os\nprint(sys.stdin.read().upper(), sys.argv[1:], sorted(os.listdir('.')))\nprint('err', file=sys.stderr)\nsys.exit(3)"},{"name":"d/b.txt","content":"b"}],"stdin":"some input","args":["x","y z"]}
{"language":"bash","version":"*","files":[{"content":"echo \$HOME \$PATH \$LANG; pwd | grep -c sentry-serve; id -u; ls"}]}
{"language":"python","version":"*","files":[{"content":"import os, signal; os.kill(os.getpid(), signal.SIGTERM)"}]}
{"language":"python","version":"*","files":[{"content":"import time\nprint('before', flush=True)\ntime.sleep(30)"}],"run_timeout":700}
{"language":"python","version":"*","files":[{"content":"while True: print('x' * 4096)"}]}
{"language":"c","version":"*","files":[{"name":"m.c","content":"#include <stdio.h>\nint main(int c, char **v) { printf(\"%d %s\\\\n\", c, v[1]); return 7; }"}],"args":["arg"]}
{"language":"bash","version":"*","files":[{"content":"nosuchcommand_$MARK"}]}
{"language":"python","version":"*","files":[{"content":"while True: pass"}]}
{"language":"python","version":"*","files":[{"content":"x = bytearray(300 << 20)\nprint(len(x))"}]}
{"language":"python","version":"*","files":[{"content":"while True: pass"}],"run_cpu_time":300}
{"language":"python","version":"*","files":[{"content":"x = bytearray(100 << 20)\nprint(len(x))"}],"run_memory_limit":67108864}
{"language":"python","version":"*","files":[{"content":"x = bytearray(10 << 20)\nprint(len(x))"}],"run_cpu_time":500,"run_memory_limit":100000000}
{"language":"python","version":"*","files":[{"content":"print(4)"}],"run_cpu_time":-1,"run_memory_limit":-1}
EOF

# Until the server has a warm sandbox ready (it starts none while its
# CPUs are busy with runs).
wait_warm() {
	for _ in $(seq 1 100); do
		curl -s "$URL/metrics" | grep -q '^sentry_serve_warm_sandboxes [1-9]' && return
		sleep 0.1
	done
}

# answers NAME: every body's reply in $T/NAME.N.json
answers() {
	local n=0 line
	while IFS= read -r line; do
		[ "$1" = warm ] && wait_warm
		post "$line"
		cp "$T/body" "$T/$1.$n.json"
		n=$((n + 1))
	done <"$T/bodies"
}

start_server --warm=0 --max-output=16K --max-run-timeout=5 --max-cpu-time=1 --max-memory=128M
answers cold
stop_server
cp "$T/server.log" "$T/cold.log"

start_server --warm=2 --max-output=16K --max-run-timeout=5 --max-cpu-time=1 --max-memory=128M
# A sandbox's socket appears before its setup is done; the metric counts
# only the ready ones.
for i in $(seq 1 200); do
	curl -s "$URL/metrics" | grep -q '^sentry_serve_warm_sandboxes 2$' && break
	sleep 0.1
done
curl -s "$URL/metrics" | grep -q '^sentry_serve_warm_sandboxes 2$' && pass "metrics: 2 warm sandboxes ready" || fail "metrics: $(curl -s "$URL/metrics" | grep warm)"
answers warm
# every run took a warm sandbox: the C program's run step too
runs=$(grep -c '"event":"run"' "$T/server.log")
warm=$(grep -c '"event":"run".*"warm":true' "$T/server.log")
[ "$runs" = "$(wc -l <"$T/bodies")" ] && [ "$warm" = "$runs" ] &&
	pass "every run of the warm server took a warm sandbox ($warm)" || fail "$warm of $runs runs warm"

# The same answer: stdout, stderr, output, code, signal, status, and
# message (a warm run's time limit is the server's; its line is the same).
"$PY" - "$T" "$(wc -l <"$T/bodies")" <<'EOF' >"$T/compare" || { fail "warm and cold answers differ"; cat "$T/compare"; }
import json, sys
t, n = sys.argv[1], int(sys.argv[2])
bad = 0
for i in range(n):
    cold, warm = (json.load(open(f"{t}/{k}.{i}.json")) for k in ("cold", "warm"))
    for step in ("compile", "run"):
        if (step in cold) != (step in warm):
            print(f"body {i}: {step} in one answer only"); bad = 1; continue
        if step not in cold:
            continue
        for key in ("stdout", "stderr", "output", "code", "signal", "status", "message"):
            # past --max-output, how much of the other stream came first is timing
            cut = cold[step]["status"] in ("OL", "EL") and key in ("output", "stderr" if cold[step]["status"] == "OL" else "stdout")
            c, w = cold[step][key], warm[step][key]
            if key == "output" and c and w:  # the order of two pipes read at once is timing
                c, w = sorted(c.splitlines()), sorted(w.splitlines())
            if c != w and not cut:
                print(f"body {i} {step}.{key}: cold {cold[step][key]!r:.300} warm {warm[step][key]!r:.300}"); bad = 1
    print(f"body {i}: {json.dumps(warm.get('run'))[:160]}")
sys.exit(bad)
EOF
[ -s "$T/compare" ] && ! grep -q "cold .* warm" "$T/compare" &&
	pass "warm and cold answers are the same ($(wc -l <"$T/bodies") requests: stdin, args, codes, a signal, a compile, the environment, TO, OL, 127, CPU time, memory)"
cp "$T/warm.4.json" "$T/body"
is run.status TO && is run.stdout 'before\n' && pass "a warm run ends at its own run_timeout: TO, its output kept" ||
	{ fail "warm timeout"; show body "$T/body"; }

# Two consecutive warm runs: the first leaves a file in its folder and in
# /tmp, a process behind, and a listening port; the second sees none.
FIRST="import os, socket, subprocess
open('left_$MARK', 'w').write('x')
open('/tmp/left_$MARK', 'w').write('x')
subprocess.Popen(['/bin/sh', '-c', 'sleep 30; : $MARK'])
s = socket.socket()
s.bind(('127.0.0.1', 47311))
s.listen()
print('left', flush=True)"
SECOND="import os, socket
print(sorted(os.listdir('.')), os.path.exists('/tmp/left_$MARK'))
seen = [p for p in os.listdir('/proc') if p.isdigit() and b'$MARK' in open(f'/proc/{p}/cmdline', 'rb').read()]
print('processes', seen)
try:
    socket.create_connection(('127.0.0.1', 47311), timeout=2)
    print('port open')
except OSError:
    print('port closed')"
body() { "$PY" -c 'import json, sys; print(json.dumps({"language": "python", "version": "*", "files": [{"name": sys.argv[1], "content": sys.argv[2]}]}))' "$1" "$2"; }
wait_warm
post "$(body first.py "$FIRST")"
is run.stdout 'left\n' || { fail "the first run"; show body "$T/body"; }
wait_warm
post "$(body second.py "$SECOND")"
is run.stdout "['second.py'] False\nprocesses []\nport closed\n" &&
	pass "the next warm run sees none of the first's files, processes or port" || { fail "the second run saw the first"; show body "$T/body"; }
[ -z "$(pgrep -f -- "$MARK" || true)" ] && pass "the first run's process is gone on the host" || fail "left: $(pgrep -af -- "$MARK")"
[ "$(grep -c '"event":"run".*"warm":true' "$T/server.log")" = $((warm + 2)) ] || fail "the two runs were not both warm"

# The lowered limits held: the CPU loop ended at its own 0.3 s, not the
# server's 1 s, and the memory hog at 64M, not 128M (their answers are the
# cold server's, compared above); the run's log line says what applied.
cp "$T/warm.10.json" "$T/body"
field run.message | grep -q -- '--cpu-time=0.3)' && [ "$(field run.cpu_time)" -lt 900 ] &&
	pass "a warm run with a lower run_cpu_time ends at it" || { fail "lower run_cpu_time warm"; show body "$T/body"; }
cp "$T/warm.11.json" "$T/body"
is run.status SG && is run.signal SIGKILL && field run.message | grep -q -- '--process-memory=67108864' &&
	pass "a warm run with a lower run_memory_limit ends at it" || { fail "lower run_memory_limit warm"; show body "$T/body"; }
cp "$T/warm.12.json" "$T/body"
is run.stdout '10485760\n' && pass "a warm run under its own lower limits runs to its end" || { fail "lowered, within"; show body "$T/body"; }
runs() { grep '"event":"run"' "$T/$1.log" | sed -n "$2p"; }
cp "$T/server.log" "$T/warm.log"
for n in 11 12 13; do
	cold_limits=$(runs cold "$n" | grep -o '"limits":"[^"]*"' | sed 's/wall [0-9.]*s ([^)]*)//')
	warm_limits=$(runs warm "$n" | grep -o '"limits":"[^"]*"' | sed 's/wall [0-9.]*s ([^)]*)//')
	[ -n "$warm_limits" ] && [ "$cold_limits" = "$warm_limits" ] ||
		fail "body $n: the warm run's limits $warm_limits, the cold one's $cold_limits"
done
runs warm 11 | grep -q '"limits":"[^"]*cpu 0.300s' && runs warm 12 | grep -q '"limits":"[^"]*memory 67108864' &&
	pass "a warm run's log line gives the limits it ran under, as a cold run's" ||
	{ fail "the warm runs' limits"; runs warm 11; runs warm 12; }

# Asking more than the server's limit is refused as before, warm or not.
post '{"language":"python","version":"*","files":[{"content":"print(2)"}],"run_memory_limit":1000000000}'
[ "$(cat "$T/code")" = 400 ] && field message | grep -q "run_memory_limit cannot exceed the configured limit" &&
	pass "a run_memory_limit above the server's is refused" || { fail "above the limit"; cat "$T/code"; show body "$T/body"; }

# The sentry of a warm run killed under it: XX, and the next run is fine.
wait_warm
curl -s -o "$T/lost.json" -X POST --data-binary \
	'{"language":"bash","version":"*","files":[{"name":"lost_'$MARK'.sh","content":"sleep 20"}]}' "$URL/api/v2/execute" &
client=$!
victim=
for i in $(seq 1 200); do
	# the workload's parent is its sandbox's sentry (curl names the file too)
	for workload in $(pgrep -f -- "lost_$MARK"); do
		parent=$(ps -o ppid= -p "$workload" | tr -d ' ')
		[ -n "$parent" ] && tr '\0' ' ' <"/proc/$parent/cmdline" 2>/dev/null | grep -q -- "--control=" && victim=$parent
	done
	[ -n "$victim" ] && break
	sleep 0.05
done
[ -n "$victim" ] && kill -KILL "$victim"
wait "$client"
cp "$T/lost.json" "$T/body"
[ -n "$victim" ] && is run.status XX && field run.message | grep -q "sentry died" &&
	pass "a warm run whose sentry is killed: XX, and a message" || { fail "killed warm sentry ($victim)"; show body "$T/body"; }
post '{"language":"bash","version":"*","files":[{"content":"echo still here"}]}'
is run.stdout 'still here\n' && pass "the server answers the next run" || { fail "after the killed sentry"; show body "$T/body"; }

stop_server
[ "$SERVER_STATUS" = 0 ] && pass "the server stops cleanly" || fail "server exit $SERVER_STATUS"
stray=$(pgrep -f -- "$MARK|--workspace=$T" || true)
[ -z "$stray" ] && pass "no sandbox or process left after the stop" || { fail "left: $stray"; ps -o pid,args -p $stray; }
[ -z "$(ls -A "$TMPDIR"/sentry-serve.* 2>/dev/null)" ] && pass "no warm sandbox's folder, socket or report left" ||
	fail "left in the scratch folder: $(ls -A "$TMPDIR"/sentry-serve.*)"

# Where the sentry has no --process-memory (a wrapper hides it from its
# --help), run_memory_limit bounds the file store: a run asking a lower
# one than the server's is served warm, the store lowered through the
# limits request, and its writes past it end as on a --warm=0 server.
mkdir "$T/nopm"
cp "$(dirname "$SENTRY")/sentry-serve" "$T/nopm/sentry-serve"
cat >"$T/nopm/sentry" <<EOF
#!/bin/sh
case \$1 in
serve) shift; exec "$T/nopm/sentry-serve" "\$@" ;;
--help) "$SENTRY" --help | grep -v -- --process-memory; exit ;;
esac
exec "$SENTRY" "\$@"
EOF
chmod +x "$T/nopm/sentry"
STORE_RUN=$("$PY" -c 'import json; print(json.dumps({"language": "python", "version": "*", "run_memory_limit": 8 << 20,
  "files": [{"content": """import os
st = os.statvfs(".")
print(st.f_blocks * st.f_frsize, st.f_files)
fd, written = os.open("big", os.O_WRONLY | os.O_CREAT), 0
try:
    while written < 16 << 20:
        written += os.write(fd, b"x" * (1 << 20))
except OSError as e:
    print("stopped:", e.strerror)
print(written)"""}]}))')
REAL_SENTRY=$SENTRY
for mode in cold warm; do
	SENTRY=$T/nopm/sentry
	start_server --warm=$([ $mode = warm ] && echo 1 || echo 0) --max-memory=128M --max-file-store=64M
	SENTRY=$REAL_SENTRY
	[ $mode = warm ] && wait_warm
	post "$STORE_RUN"
	cp "$T/body" "$T/store.$mode.json"
	stop_server
	grep '"event":"run"' "$T/server.log" >"$T/store.$mode.log"
done
"$PY" - "$T" >"$T/store.compare" <<'EOF' || { fail "file store: warm and cold answers differ"; cat "$T/store.compare"; }
import json, sys
t = sys.argv[1]
cold, warm = (json.load(open(f"{t}/store.{k}.json"))["run"] for k in ("cold", "warm"))
bad = [k for k in ("stdout", "stderr", "code", "signal", "status", "message") if cold[k] != warm[k]]
print("cold", json.dumps(cold)[:300], "warm", json.dumps(warm)[:300], "differ in", bad)
sys.exit(1 if bad else 0)
EOF
store_limits() { grep -o '"limits":"[^"]*"' "$T/store.$1.log" | sed 's/wall [0-9.]*s ([^)]*)//'; }
cp "$T/store.warm.json" "$T/body"
is run.stdout "8388608 2048\nstopped: No space left on device\n8388608\n" && grep -q '"warm":true' "$T/store.warm.log" &&
	grep -q '"warm":false' "$T/store.cold.log" && [ "$(store_limits warm)" = "$(store_limits cold)" ] &&
	store_limits warm | grep -q "file store 8388608 bytes" &&
	pass "without --process-memory, a lower run_memory_limit lowers a warm sandbox's file store: its writes end there as cold" ||
	{ fail "a lower file store, warm"; show body "$T/body"; cat "$T/store.cold.log" "$T/store.warm.log"; }

# The limits request's store= itself: refused above the sandbox's
# --memory-limit, below what its files hold, or with an unknown word
# (nothing set then); taken between the two, as statfs then says.
mkdir "$T/cs"
(cd "$T/cs" && "$SENTRY" -q --memory-limit=16M --control="$T/cs.sock" -- /bin/sh -c \
	'head -c 4000000 /dev/zero >f; sleep 2; df -k . | tail -1; head -c 8000000 /dev/zero >g 2>/dev/null; echo "g $?"' \
	>"$T/cs.out" 2>&1) &
cs=$!
for _ in $(seq 1 40); do [ -S "$T/cs.sock" ] && break; sleep 0.05; done
sleep 0.5
"$PY" - "$T/cs.sock" >"$T/cs.answers" <<'EOF'
import socket, sys
def ask(*words):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect(sys.argv[1])
    s.send(b"".join(w.encode() + b"\0" for w in ("limits",) + words))
    print(s.recv(1024).split(b"\0")[0].decode(), *words)
ask("store=33554432")
ask("store=1048576")
ask("store=8388608", "bogus=1")
ask("store=8388608", "cpu=1")
ask("store=16777216")  # still the sandbox's own: nothing was set
ask("store=8388608")
EOF
wait "$cs"
[ "$(cat "$T/cs.answers")" = "$(printf 'error store=33554432\nerror store=1048576\nerror store=8388608 bogus=1\nerror store=8388608 cpu=1\ndone store=16777216\ndone store=8388608')" ] &&
	grep -Eq " 8192 +[0-9]+ +[0-9]+ .*" "$T/cs.out" && grep -qx "g 1" "$T/cs.out" &&
	pass "the limits request's store=: only lower, never below what is held, all or nothing" ||
	{ fail "store= in the limits request"; show answers "$T/cs.answers"; show out "$T/cs.out"; }

# A server killed outright: the sandboxes it kept waiting end too.
start_server --warm=2
for i in $(seq 1 100); do
	[ "$(ls "$TMPDIR"/sentry-serve.*/warm.*.sock 2>/dev/null | wc -l)" -ge 2 ] && break
	sleep 0.1
done
[ -n "$(pgrep -f -- "--workspace=$T" || true)" ] || fail "no warm sandbox before the kill"
kill -KILL "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null
SERVER_PID=
for i in $(seq 1 100); do
	[ -z "$(pgrep -f -- "--workspace=$T" || true)" ] && break
	sleep 0.1
done
[ -z "$(pgrep -f -- "--workspace=$T" || true)" ] && pass "a killed server's warm sandboxes end" ||
	{ fail "a killed server's warm sandboxes are left"; pgrep -af -- "--workspace=$T"; }
finish
