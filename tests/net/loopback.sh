#!/bin/bash
# usage: loopback.sh SENTRY PLATFORM LOOPBACK_PY
# The sandbox's own loopback: TCP and UDP servers and clients on 127.0.0.1
# and ::1 as natively; python's http.server with a client inside; two
# sandboxes on one port, each meeting its own server and neither the
# host's; --publish relays a host port to a server inside.
. "$(dirname "$0")/../integration/lib.sh"
cd "$T" || exit 1
cp "$PROG" loopback.py
PY=/usr/bin/python3

"$PY" loopback.py pairs >native.out 2>&1
inside "$PY" loopback.py pairs >inside.out 2>inside.err
if [ -s native.out ] && diff native.out inside.out >diff.out; then
	pass "TCP and UDP on 127.0.0.1 and ::1 as natively"
else
	fail "loopback pairs differ from the native run"; show diff diff.out; show stderr inside.err
fi

inside "$PY" loopback.py http >http.out 2>&1
grep -q '^http: served inside$' http.out && pass "http.server and urllib inside" || { fail "http.server inside"; show out http.out; }

# A host listener holds the port; two sandboxes bind it too.
read -r P < <("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$PY" -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(); print("ready", flush=True)
s.settimeout(20)
try:
    s.accept(); print("reached")
except OSError: pass' "$P" >host.out &
HOST=$!
for _ in $(seq 50); do [ -s host.out ] && break; sleep 0.1; done
inside "$PY" loopback.py own "$P" first >a.out 2>a.err &
A=$!
inside "$PY" loopback.py own "$P" second >b.out 2>b.err
wait $A
kill $HOST 2>/dev/null; wait $HOST 2>/dev/null
grep -q '^got first$' a.out && grep -q '^got second$' b.out && pass "two sandboxes on port $P, each its own" ||
	{ fail "two sandboxes on one port"; show a a.out; show a-err a.err; show b b.out; show b-err b.err; }
grep -q reached host.out && fail "the host's listener on $P was reached" || pass "the host's listener on $P untouched"

# --publish: curl on the host reaches http.server inside.
read -r HP < <("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "published page" >page.txt
timeout -k 2 30 "$SENTRY" --platform="$PLATFORM" --publish "$HP:8080" -- "$PY" -m http.server 8080 --bind 127.0.0.1 \
	>pub.out 2>pub.err &
S=$! # timeout's pid: it passes a TERM on to the sentry
got=
for _ in $(seq 100); do
	got=$(curl -s --max-time 5 "http://127.0.0.1:$HP/page.txt") && [ -n "$got" ] && break
	sleep 0.1
done
kill $S 2>/dev/null; wait $S 2>/dev/null
[ "$got" = "published page" ] && pass "--publish $HP:8080: curl from the host" ||
	{ fail "--publish: curl got '$got'"; show stderr pub.err; show stdout pub.out; }

"$SENTRY" --platform="$PLATFORM" --publish 8080 -- /bin/true >bad.out 2>&1
rc=$?
[ $rc -eq 125 ] && [ "$(wc -l <bad.out)" -eq 1 ] && pass "a bad --publish: 125 and one line" ||
	{ fail "a bad --publish: rc $rc"; show out bad.out; }
finish
