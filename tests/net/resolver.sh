#!/bin/bash
# usage: resolver.sh SENTRY PLATFORM RESOLVER_PY
# glibc's resolver inside: a DNS server on the sandbox's own loopback
# (resolver.py, port 53 of 127.0.0.1) and an /etc/resolv.conf naming it
# (--bind); getaddrinfo sends its A and AAAA queries with one sendmmsg.
. "$(dirname "$0")/../integration/lib.sh"
cd "$T" || exit 1
cp "$PROG" resolver.py
PY=/usr/bin/python3
NAME_ASKED=db.sentry-test.example
echo "nameserver 127.0.0.1" >resolv.conf
cat >run.sh <<EOS
$PY resolver.py serve 53 $NAME_ASKED 10.1.2.3 >server.out 2>&1 &
for _ in \$(seq 100); do grep -q ready server.out 2>/dev/null && break; sleep 0.1; done
$PY resolver.py lookup $NAME_ASKED
getent ahostsv4 $NAME_ASKED | head -1
$PY resolver.py lookup nowhere.sentry-test.example 2>&1 | tail -1
kill %1
EOS
IT_SENTRY_ARGS="--bind=$T/resolv.conf:/etc/resolv.conf:ro --bind=$T:$T" inside /bin/sh -c "cd $T && sh run.sh" \
	>inside.out 2>inside.err
grep -q "^getaddrinfo 10.1.2.3$" inside.out && pass "getaddrinfo of $NAME_ASKED inside" ||
	{ fail "getaddrinfo inside"; show stdout inside.out; show stderr inside.err; show server server.out; }
grep -q "^gethostbyname 10.1.2.3$" inside.out && pass "gethostbyname inside" || fail "gethostbyname inside"
grep -q "^10.1.2.3 " inside.out && pass "getent ahostsv4 inside" || fail "getent ahostsv4 inside"
grep -q "gaierror" inside.out && pass "an unknown name: not found" || fail "an unknown name"
grep -q "question $NAME_ASKED AAAA" server.out && pass "the server was asked A and AAAA" ||
	{ fail "no AAAA question"; show server server.out; }
grep -q "sendmmsg" inside.err && { fail "a denial line"; show stderr inside.err; }
finish
