#!/bin/bash
# usage: queue.sh SENTRY
# One sandbox at a time and a queue of four: a request past the queue gets
# 429 with Retry-After, and a freed sandbox goes to the tenant served least
# recently: one request of beta, queued after three of alpha, runs before
# alpha's second and third.
. "$(dirname "$0")/lib.sh"
cat >"$T/keys.json" <<'J'
[{"key": "k-alpha", "tenant": "alpha"}, {"key": "k-beta", "tenant": "beta"}]
J
start_server --keys="$T/keys.json" --max-concurrent=1 --max-queue=4

# metric NAME VALUE: waits until /metrics shows it.
metric() {
	local i
	for i in $(seq 1 400); do
		curl -s "$URL/metrics" | grep -q "^$1 $2\$" && return 0
		sleep 0.05
	done
	fail "metrics never showed $1 $2"
	return 1
}

# send NAME KEY SCRIPT: in the background; the reply in $T/NAME.json.
send() {
	curl -s -o "$T/$1.json" -X POST -H "Authorization: $2" --data-binary \
		'{"language":"bash","version":"*","files":[{"content":"'"$3"'"}]}' "$URL/api/v2/execute" &
	CLIENTS+=($!)
}
CLIENTS=()

send a1 k-alpha 'sleep 5; date +%s%N'
metric sentry_serve_live_sandboxes 1
send a2 k-alpha 'date +%s%N'
metric sentry_serve_queue_depth 1
send a3 k-alpha 'date +%s%N'
metric sentry_serve_queue_depth 2
send a4 k-alpha 'date +%s%N'
metric sentry_serve_queue_depth 3
send b1 k-beta 'date +%s%N'
metric sentry_serve_queue_depth 4
code=$(curl -s -D "$T/headers" -o "$T/body" -w '%{http_code}' -X POST -H "Authorization: k-beta" \
	--data-binary '{"language":"bash","version":"*","files":[{"content":"echo late"}]}' "$URL/api/v2/execute")
retry=$(grep -i '^Retry-After:' "$T/headers" | tr -dc 0-9)
[ "$code" = 429 ] && [ -n "$retry" ] && [ -n "$(field message)" ] && pass "past the queue: 429 with Retry-After" ||
	{ fail "queue full: $code"; show body "$T/body"; }
wait "${CLIENTS[@]}"
for n in a1 a2 a3 a4 b1; do
	cp "$T/$n.json" "$T/body"
	eval "$n=\$(field run.stdout)"
done
if [ "$a1" -lt "$a2" ] && [ "$a2" -lt "$a3" ] && [ "$a3" -lt "$a4" ] && [ "$b1" -lt "$a3" ] && [ "$a1" -lt "$b1" ]; then
	pass "beta's one request ran before alpha's later ones"
else
	fail "order: a1 $a1 a2 $a2 a3 $a3 a4 $a4 b1 $b1"
fi
curl -s "$URL/metrics" >"$T/metrics"
grep -q '^sentry_serve_tenant_refused_total{tenant="beta",reason="queue"} 1$' "$T/metrics" &&
	grep -q '^sentry_serve_tenant_runs_total{tenant="alpha"} 4$' "$T/metrics" &&
	pass "per-tenant counts in /metrics" || { fail "tenant metrics"; show metrics "$T/metrics"; }
finish
