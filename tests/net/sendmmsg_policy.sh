#!/bin/bash
# usage: sendmmsg_policy.sh SENTRY PLATFORM SENDMMSG_POLICY_PY
# sendmmsg under --allow-net: each datagram's destination is checked on
# its own. One allowed then one refused: the first is sent, the answer is
# 1, the refused one reaches nothing; a refused first one is EACCES and
# nothing is sent. Natively both reach the host listeners (the canary B
# sees them), so the check would notice a refused datagram getting out.
. "$(dirname "$0")/../integration/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3

. "$HERE/listeners.sh"
start_listeners udp
udp_lines() { sleep 0.5; grep -c '^udp' "$1"; }

$PY "$PROG" 127.0.0.1 "$PA" 127.0.0.1 "$PB" >"$T/native.out" 2>&1
if grep -q '^allowed then refused: 2 msg_len 5 6$' "$T/native.out" && [ "$(udp_lines "$T/b.log")" -eq 2 ]; then
	pass "natively both datagrams of each call go out, B sees two"
else
	fail "the native run"; show stdout "$T/native.out"
fi

# As in allow_net.sh: on user-notify 127.0.0.1:B inside is the sandbox's
# own loopback, so the refused destination is one outside (TEST-NET-1).
DENY=127.0.0.1
[ "$PLATFORM" = unotify ] && DENY=192.0.2.1
a_before=$(udp_lines "$T/a.log")
b_before=$(udp_lines "$T/b.log")
cp "$PROG" "$T/client.py"
IT_SENTRY_ARGS="--allow-net 127.0.0.1:$PA --bind=$T:$T:ro" inside $PY "$T/client.py" 127.0.0.1 "$PA" $DENY "$PB" \
	>"$T/inside.out" 2>"$T/inside.err"
grep -q '^allowed then refused: 1 msg_len 5 77$' "$T/inside.out" && pass "allowed then refused: 1, the first sent" ||
	{ fail "allowed then refused"; show stdout "$T/inside.out"; show stderr "$T/inside.err"; }
grep -q '^refused then allowed: EACCES msg_len 77 77$' "$T/inside.out" && pass "refused first: EACCES" ||
	fail "refused first"
grep -q "denied sendmmsg.*\"$DENY:$PB\".*--allow-net $DENY:$PB would allow it" "$T/inside.err" &&
	pass "the denial line names the refused destination" ||
	{ fail "denial lines"; show stderr "$T/inside.err"; }
[ "$(udp_lines "$T/a.log")" -eq $((a_before + 1)) ] && pass "A got the one allowed datagram" ||
	{ fail "A got $(udp_lines "$T/a.log") datagrams, had $a_before"; }
[ "$(udp_lines "$T/b.log")" -eq "$b_before" ] && pass "the canary B saw nothing" || fail "B was reached"
finish
