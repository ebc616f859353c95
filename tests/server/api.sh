#!/bin/bash
# usage: api.sh SENTRY
# sentry serve's HTTP API through curl: every endpoint, every refusal
# (400, 401, 404, 405, 413, 429), runtimes from a file, keys, Piston's
# fields and statuses, a compile step, a unix socket, and bad flags.
. "$(dirname "$0")/lib.sh"

# Bad flags: one line, exit 125.
for bad in --bogus --max-processes=0 --listen=nowhere --max-output=1Q "--grace=-1"; do
	"$SENTRY" serve "$bad" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -eq 125 ] && [ "$(wc -l <"$T/err")" -eq 1 ] && [ ! -s "$T/out" ]; then
		pass "serve $bad: exit 125 with one line"
	else
		fail "serve $bad: exit $rc"; show stderr "$T/err"
	fi
done

cat >"$T/runtimes.json" <<'J'
[{"language": "shout", "version": "1.2.3", "aliases": ["yell"], "extension": ".txt",
  "run": ["/bin/bash", "-c", "tr a-z A-Z < \"$0\"; echo \"$@\"", "{file}", "{args}"]}]
J
cat >"$T/keys.json" <<'J'
[{"key": "k-alpha", "tenant": "alpha", "max_concurrent": 2, "runs_per_minute": 100},
 {"key": "k-beta", "tenant": "beta", "runs_per_minute": 2}]
J
chmod 600 "$T/keys.json"
start_server --runtimes="$T/runtimes.json" --keys="$T/keys.json" --max-body=64K --max-output=1K --max-run-timeout=5
A=(-H "Authorization: k-alpha")

code=$(curl -s -o "$T/body" -w '%{http_code}' "$URL/healthz")
[ "$code" = 200 ] && [ "$(field status)" = ok ] && pass "GET /healthz" || fail "GET /healthz: $code"

code=$(curl -s -o "$T/body" -w '%{http_code}' "$URL/api/v2/runtimes")
[ "$code" = 401 ] && [ -n "$(field message)" ] && pass "runtimes without a key: 401" || fail "runtimes without a key: $code"
code=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: wrong" "$URL/api/v2/runtimes")
[ "$code" = 401 ] && pass "runtimes with a wrong key: 401" || fail "runtimes with a wrong key: $code"
code=$(curl -s -o "$T/body" -w '%{http_code}' "${A[@]}" "$URL/api/v2/runtimes")
if [ "$code" = 200 ] && /usr/bin/python3 -c 'import json, sys
rts = json.load(open(sys.argv[1]))
names = {r["language"]: r for r in rts}
assert all(isinstance(r["version"], str) and isinstance(r["aliases"], list) for r in rts)
assert "python" in names and "bash" in names and "c" in names
assert names["shout"]["version"] == "1.2.3" and names["shout"]["aliases"] == ["yell"]' "$T/body"; then
	pass "GET /api/v2/runtimes: python, bash, c found on the host, shout from --runtimes"
else
	fail "GET /api/v2/runtimes: $code"; show body "$T/body"
fi

post '{"language":"python","version":"*","files":[{"content":"print(\"hello\")"}]}'
[ "$(cat "$T/code")" = 401 ] && pass "execute without a key: 401" || fail "execute without a key: $(cat "$T/code")"

post '{"language":"python","version":"3","files":[{"name":"main.py","content":"import sys\nprint(sys.argv[1:], input())"}],"stdin":"from stdin","args":["a","b c"]}' "${A[@]}"
if [ "$(cat "$T/code")" = 200 ] && is run.stdout "['a', 'b c'] from stdin\n" && [ "$(field run.code)" = 0 ] && [ "$(field run.status)" = null ] && [ "$(field language)" = python ] &&
	[ "$(field run.output)" = "$(field run.stdout)" ]; then
	pass "python: stdin, args, stdout, code 0, status null"
else
	fail "python run"; show body "$T/body"
fi

post '{"language":"bash","version":"*","files":[{"content":"echo out; echo err >&2; exit 3"}]}' -H "Authorization: Bearer k-alpha"
[ "$(field run.code)" = 3 ] && [ "$(field run.status)" = RE ] && is run.stdout 'out\n' && is run.stderr 'err\n' && pass "bash: exit 3 is status RE, stdout and stderr apart (Bearer key)" || { fail "bash exit 3"; show body "$T/body"; }

# The run gets SIGPIPE and SIGTERM as from a shell: not ignored, not blocked.
post '{"language":"bash","version":"*","files":[{"content":"yes | head -1 >/dev/null; echo ${PIPESTATUS[0]}; sh -c \"kill -TERM \\$\\$; echo survived\"; echo $?"}]}' "${A[@]}"
is run.stdout '141\n143\n' && pass "SIGPIPE and SIGTERM act inside as under a shell" || { fail "signals inside"; show body "$T/body"; }

post '{"language":"sh","version":"5","files":[{"content":"kill -KILL $$"}]}' "${A[@]}"
[ "$(field run.signal)" = SIGKILL ] && [ "$(field run.code)" = null ] && [ "$(field run.status)" = SG ] &&
	pass "bash (alias sh): killed by SIGKILL is status SG, code null" || { fail "signal"; show body "$T/body"; }

post '{"language":"bash","version":"*","files":[{"name":"run.sh","content":"cat data/b64.txt data/hex.txt"},{"name":"data/b64.txt","content":"aGVsbG8gYmFzZTY0Cg==","encoding":"base64"},{"name":"data/hex.txt","content":"68657820726f636b730a","encoding":"hex"}]}' "${A[@]}"
is run.stdout 'hello base64\nhex rocks\n' && pass "files in base64 and hex, in a subfolder" || { fail "encodings"; show body "$T/body"; }

post '{"language":"c","version":"*","files":[{"content":"#include <stdio.h>\nint main(int c, char **v) { printf(\"c says %s\\n\", v[1]); return 0; }"}],"args":["hi"]}' "${A[@]}"
[ "$(field compile.code)" = 0 ] && is run.stdout 'c says hi\n' && pass "c: a compile step, then the run" || { fail "c"; show body "$T/body"; }

post '{"language":"c","version":"*","files":[{"content":"int main() { return syntax error; }"}]}' "${A[@]}"
[ "$(cat "$T/code")" = 200 ] && [ "$(field compile.code)" != 0 ] && [ "$(field compile.status)" = RE ] &&
	[ -n "$(field compile.stderr)" ] && [ "$(field run)" = null ] &&
	pass "c: a failed compile has compile.stderr and no run" || { fail "c compile error"; show body "$T/body"; }

post '{"language":"yell","version":"1.x","files":[{"content":"quiet words\n"}],"args":["x"]}' "${A[@]}"
is run.stdout 'QUIET WORDS\nx\n' && [ "$(field language)" = shout ] && pass "a --runtimes language by its alias" || { fail "runtimes file"; show body "$T/body"; }

post '{"language":"python","version":"*","files":[{"content":"print(\"x\" * 5000)"}]}' "${A[@]}"
len=$(field run.stdout | wc -c)
[ "$(field run.status)" = OL ] && [ "$len" -eq 1024 ] && pass "stdout past --max-output: cut at 1K, status OL" || { fail "OL: $len"; show body "$T/body"; }

post '{"language":"python","version":"*","files":[{"content":"import sys\nsys.stderr.write(\"e\" * 5000)"}]}' "${A[@]}"
[ "$(field run.status)" = EL ] && pass "stderr past --max-output: status EL" || { fail "EL"; show body "$T/body"; }

post '{"language":"bash","version":"*","files":[{"content":"echo start; while :; do :; done"}],"run_timeout":1000}' "${A[@]}"
[ "$(field run.status)" = TO ] && is run.stdout 'start\n' && pass "an endless loop: status TO at run_timeout" || { fail "TO"; show body "$T/body"; }

if "$SENTRY" --help | grep -q -- --cpu-time; then
	post '{"language":"bash","version":"*","files":[{"content":"while :; do :; done"}],"run_timeout":5000,"run_cpu_time":500}' "${A[@]}"
	[ "$(field run.status)" = TO ] && field run.message | grep -q "CPU time" &&
		pass "run_cpu_time ends a busy loop before its run_timeout: status TO, a message naming CPU time" ||
		{ fail "run_cpu_time"; show body "$T/body"; }
fi

# The job's folder: written by the server, seen inside, never changed by
# the run, removed afterwards.
post '{"language":"bash","version":"*","files":[{"name":"run.sh","content":"echo changed > a.txt; touch new; cat a.txt; pwd"},{"name":"a.txt","content":"as sent"}]}' "${A[@]}"
dir=$(field run.stdout | sed -n 2p)
[ "$(field run.stdout | head -1)" = changed ] && case $dir in "$T"/sentry-serve.*/job.*) true ;; *) false ;; esac &&
	[ ! -e "$dir" ] && pass "the run writes in its copy of the job folder, which is gone afterwards" ||
	{ fail "job folder $dir"; show body "$T/body"; }

# Refusals: 400 with a message.
bad_request() {
	local what=$1 body=$2 want=${3:-400}
	post "$body" "${A[@]}"
	if [ "$(cat "$T/code")" = "$want" ] && [ -n "$(field message)" ]; then
		pass "$what: $want with a message"
	else
		fail "$what: $(cat "$T/code")"; show body "$T/body"
	fi
}
bad_request "not JSON" '{"language": "python",'
bad_request "JSON with trailing text" '{"language":"python","version":"*","files":[{"content":"1"}]} x'
bad_request "an array body" '[1, 2]'
bad_request "no language" '{"version":"*","files":[{"content":"1"}]}'
bad_request "a number as language" '{"language":3,"version":"*","files":[{"content":"1"}]}'
bad_request "no version" '{"language":"python","files":[{"content":"1"}]}'
bad_request "an unknown language" '{"language":"cobol","version":"*","files":[{"content":"1"}]}'
bad_request "a version not offered" '{"language":"python","version":"2","files":[{"content":"1"}]}'
bad_request "files not an array" '{"language":"python","version":"*","files":"print(1)"}'
bad_request "no files" '{"language":"python","version":"*","files":[]}'
bad_request "a file without content" '{"language":"python","version":"*","files":[{"name":"a.py"}]}'
bad_request "a file name with .." '{"language":"python","version":"*","files":[{"name":"../a.py","content":"1"}]}'
bad_request "an absolute file name" '{"language":"python","version":"*","files":[{"name":"/etc/a.py","content":"1"}]}'
bad_request "a repeated file name" '{"language":"python","version":"*","files":[{"name":"a","content":"1"},{"name":"a","content":"2"}]}'
bad_request "an unknown encoding" '{"language":"python","version":"*","files":[{"content":"1","encoding":"rot13"}]}'
bad_request "bad base64" '{"language":"python","version":"*","files":[{"content":"!!!!","encoding":"base64"}]}'
bad_request "odd hex" '{"language":"python","version":"*","files":[{"content":"abc","encoding":"hex"}]}'
bad_request "args not strings" '{"language":"python","version":"*","files":[{"content":"1"}],"args":[1]}'
bad_request "stdin not a string" '{"language":"python","version":"*","files":[{"content":"1"}],"stdin":5}'
bad_request "run_timeout past the maximum" '{"language":"python","version":"*","files":[{"content":"1"}],"run_timeout":600000}'
bad_request "a negative run_timeout" '{"language":"python","version":"*","files":[{"content":"1"}],"run_timeout":-5}'
bad_request "run_timeout as a string" '{"language":"python","version":"*","files":[{"content":"1"}],"run_timeout":"3000"}'
bad_request "run_memory_limit past the maximum" '{"language":"python","version":"*","files":[{"content":"1"}],"run_memory_limit":1e15}'
big=$(head -c 70000 /dev/zero | tr '\0' 'x')
bad_request "a body past --max-body" "{\"language\":\"python\",\"version\":\"*\",\"files\":[{\"content\":\"$big\"}]}" 413

code=$(curl -s -o "$T/body" -w '%{http_code}' -X POST -H "Transfer-Encoding: chunked" -H "Authorization: k-alpha" \
	--data-binary "{\"language\":\"python\",\"version\":\"*\",\"files\":[{\"content\":\"$big\"}]}" "$URL/api/v2/execute")
[ "$code" = 413 ] && pass "a chunked body past --max-body: 413" || fail "chunked big body: $code"

code=$(curl -s -o "$T/body" -w '%{http_code}' "$URL/nowhere")
[ "$code" = 404 ] && [ -n "$(field message)" ] && pass "an unknown path: 404" || fail "unknown path: $code"
code=$(curl -s -o "$T/body" -w '%{http_code}' "${A[@]}" "$URL/api/v2/execute")
[ "$code" = 405 ] && pass "GET /api/v2/execute: 405" || fail "GET execute: $code"

# beta may start two runs a minute.
for i in 1 2 3; do
	curl -s -D "$T/headers" -o "$T/body" -w '%{http_code}' -X POST -H "Authorization: k-beta" \
		--data-binary '{"language":"bash","version":"*","files":[{"content":"echo beta"}]}' "$URL/api/v2/execute" >"$T/code"
done
retry=$(grep -i '^Retry-After:' "$T/headers" | tr -dc 0-9)
[ "$(cat "$T/code")" = 429 ] && [ -n "$retry" ] && [ "$retry" -gt 0 ] &&
	pass "past runs_per_minute: 429 with Retry-After $retry" || { fail "rate limit: $(cat "$T/code")"; show headers "$T/headers"; }

curl -s -o "$T/metrics" "$URL/metrics"
grep -q '^sentry_serve_runs_total{language="python",status="OK"} [1-9]' "$T/metrics" &&
	grep -q '^sentry_serve_runs_total{language="bash",status="TO"} [1-9]' "$T/metrics" &&
	grep -q '^sentry_serve_run_seconds_bucket{language="c",le="+Inf"} 2$' "$T/metrics" &&
	grep -q '^sentry_serve_queue_depth 0$' "$T/metrics" && grep -q '^sentry_serve_live_sandboxes 0$' "$T/metrics" &&
	grep -q '^sentry_serve_tenant_runs_total{tenant="beta"} 2$' "$T/metrics" &&
	grep -q '^sentry_serve_tenant_refused_total{tenant="beta",reason="rate"} 1$' "$T/metrics" &&
	grep -q '^sentry_serve_http_responses_total{code="401"} ' "$T/metrics" &&
	pass "GET /metrics: runs by language and status, latency, queue, sandboxes, tenants" ||
	{ fail "metrics"; show metrics "$T/metrics"; }

stop_server
[ "$SERVER_STATUS" = 0 ] && pass "SIGTERM with nothing in flight: exit 0" || fail "server exit $SERVER_STATUS"
grep -q '"event":"run"' "$T/server.log" && /usr/bin/python3 -c 'import json, sys
for line in open(sys.argv[1]): json.loads(line)' "$T/server.log" && pass "the log is JSON lines" ||
	{ fail "log lines"; show log "$T/server.log"; }
left=$(find "$T" -maxdepth 1 -name 'sentry-serve.*')
[ -z "$left" ] && pass "the server's folder is gone after exit" || fail "left behind: $left"
[ ! -e "/sys/fs/cgroup/pids/sentry-serve.$STOPPED_PID" ] && [ ! -e "/sys/fs/cgroup/sentry-serve.$STOPPED_PID" ] &&
	pass "and so are its cgroups" || fail "its cgroups are left"

# A unix socket.
"$SENTRY" serve --listen="unix:$T/sock" 2>"$T/server.log" &
SERVER_PID=$!
for i in $(seq 1 200); do [ -S "$T/sock" ] && break; sleep 0.05; done
curl -s -o "$T/body" --unix-socket "$T/sock" -X POST \
	--data-binary '{"language":"bash","version":"*","files":[{"content":"echo over unix"}]}' http://serve/api/v2/execute
is run.stdout 'over unix\n' && pass "--listen=unix:PATH" || { fail "unix socket"; show body "$T/body"; show log "$T/server.log"; }
stop_server
[ ! -e "$T/sock" ] && pass "the socket is removed at exit" || fail "the socket stayed"
finish
