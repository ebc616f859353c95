#!/bin/bash
# usage: allow_net.sh SENTRY PLATFORM NETCLIENT
# Egress under --allow-net, against logging listeners on the host: an
# allowed destination works for TCP and UDP, every other one is refused
# with EACCES and a line naming the option, and nothing reaches a
# listener the policy does not name, not even with a thread rewriting the
# destination while another connects. Each escape check first runs
# natively, to show it would see the connection.
. "$(dirname "$0")/../integration/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)

# Two free ports: A is allowed, B is the canary.
. "$HERE/listeners.sh"
start_listeners tcp
IPV6=no
grep -q '::1' "$T/a.ready" && IPV6=yes

# expect LABEL WANTED_REGEX OUTPUT_FILE
expect() {
	if grep -Eq "$2" "$3"; then pass "$1"; else fail "$1: wanted /$2/"; show stdout "$3"; fi
}
lines() { wc -l <"$1"; }

# Off by default: 127.0.0.1 is the sandbox's own loopback, where nothing
# listens on A; the host's listener is never reached.
inside "$PROG" tcp 127.0.0.1 "$PA" >"$T/off.out" 2>"$T/off.err"
expect "default: 127.0.0.1:A inside is the sandbox's, refused" '^connect: ECONNREFUSED$' "$T/off.out"
[ "$(lines "$T/a.log")" -eq 0 ] || fail "default: the listener was reached"

ALLOW=(--allow-net "127.0.0.1:$PA")
[ $IPV6 = yes ] && ALLOW+=(--allow-net "[::1]:$PA")

# Allowed: TCP (a blocking connect, made by the sentry) and UDP.
IT_SENTRY_ARGS="${ALLOW[*]}" inside "$PROG" tcp 127.0.0.1 "$PA" >"$T/tcp.out" 2>"$T/tcp.err"
expect "allowed TCP round trip" '^tcp reply: pong:ping$' "$T/tcp.out"
IT_SENTRY_ARGS="${ALLOW[*]}" inside "$PROG" udp 127.0.0.1 "$PA" >"$T/udp.out" 2>"$T/udp.err"
expect "allowed UDP round trip" '^udp reply: pong:ping$' "$T/udp.out"
if [ $IPV6 = yes ]; then
	IT_SENTRY_ARGS="${ALLOW[*]}" inside "$PROG" tcp ::1 "$PA" >"$T/tcp6.out" 2>&1
	expect "allowed TCP over IPv6" '^tcp reply: pong:ping$' "$T/tcp6.out"
else
	echo "note: this host has no IPv6 loopback; the IPv6 case is not run"
fi
grep -q '^tcp 127.0.0.1$' "$T/a.log" || fail "the listener did not log the allowed TCP connection"

# On user-notify sockets stay in the sandbox's namespace under --allow-net
# too (swapped for a host socket only to reach a destination it names):
# 127.0.0.1:B is the sandbox's own loopback, where nothing listens, and a
# server inside may bind and listen. The refused destination is then one
# outside (TEST-NET-1). On ptrace sockets are the host's.
DENY=127.0.0.1
[ "$PLATFORM" = unotify ] && DENY=192.0.2.1
DENY_RE=${DENY//./\\.}

# Refused: another destination, by TCP and by UDP.
before=$(lines "$T/b.log")
IT_SENTRY_ARGS="${ALLOW[*]}" inside "$PROG" tcp $DENY "$PB" >"$T/deny.out" 2>"$T/deny.err"
expect "other TCP destination is EACCES" '^connect: EACCES$' "$T/deny.out"
expect "the line names the destination and the option" "$DENY_RE:$PB.*--allow-net $DENY_RE:$PB would allow it" "$T/deny.err"
IT_SENTRY_ARGS="${ALLOW[*]}" inside "$PROG" udp $DENY "$PB" >"$T/udeny.out" 2>&1
expect "other UDP destination is EACCES" '^sendto: EACCES$' "$T/udeny.out"
IT_SENTRY_ARGS="${ALLOW[*]}" inside "$PROG" serve "$PB" >"$T/serve.out" 2>&1
if [ "$PLATFORM" = unotify ]; then
	IT_SENTRY_ARGS="${ALLOW[*]}" inside "$PROG" tcp 127.0.0.1 "$PB" >"$T/own.out" 2>&1
	expect "127.0.0.1:B is the sandbox's own loopback: ECONNREFUSED" '^connect: ECONNREFUSED$' "$T/own.out"
	expect "bind to a fixed port inside" '^bind: ok$' "$T/serve.out"
	expect "listen inside" '^listen: ok$' "$T/serve.out"
else
	expect "bind to a fixed port is EACCES" '^bind: EACCES$' "$T/serve.out"
	expect "listen is EACCES" '^listen: EACCES$' "$T/serve.out"
fi
[ "$(lines "$T/b.log")" -eq "$before" ] || fail "the canary listener was reached"

# User-notify: a server inside on 127.0.0.1 under --allow-net serves a
# client inside, the allowed host listener is still reached from the same
# sandbox (a non-blocking socket staying so), the canary listener at
# 127.0.0.1:B is not, and a second sandbox does not see that server. The
# same under --ask=auto (nothing here is asked: no terminal needed).
if [ "$PLATFORM" = unotify ]; then
	for mode in "" --ask=auto; do
		read -r PS < <(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
		before=$(lines "$T/a.log")
		before_b=$(lines "$T/b.log")
		cp "$HERE/allowed_loopback.py" "$T/"
		ARGS="${ALLOW[*]} $mode"
		(cd "$T" && XDG_CONFIG_HOME="$T/config" IT_SENTRY_ARGS="$ARGS" inside /usr/bin/python3 allowed_loopback.py \
			"$PS" "$PA" 4 "$PB" >"$T/own1.out" 2>"$T/own1.err") &
		OWN=$!
		for _ in $(seq 100); do grep -q '^listening$' "$T/own1.out" && break; sleep 0.1; done
		IT_SENTRY_ARGS="$ARGS" inside "$PROG" tcp 127.0.0.1 "$PS" >"$T/own2.out" 2>&1
		wait $OWN
		at="--allow-net${mode:+ $mode}"
		expect "$at: a server inside on 127.0.0.1 serves a client inside" '^own server: inside:hello$' "$T/own1.out"
		expect "$at: the allowed host listener is reached beside it" '^allowed host: pong:ping$' "$T/own1.out"
		expect "$at: a non-blocking socket stays so when swapped" '^allowed host, non-blocking: True pong:ping$' "$T/own1.out"
		expect "$at: 127.0.0.1:B inside is the sandbox's: ECONNREFUSED" '^canary: ECONNREFUSED$' "$T/own1.out"
		[ "$(lines "$T/a.log")" -ge $((before + 2)) ] || fail "$at: the host listener did not log the connections"
		[ "$(lines "$T/b.log")" -eq "$before_b" ] || fail "$at: the canary listener was reached"
		expect "$at: a second sandbox does not see that server" '^connect: ECONNREFUSED$' "$T/own2.out"
		grep -q '^canary' "$T/own1.out" || show stderr "$T/own1.err"
	done
fi

# --audit: the allowed connect is a policy decision too, with its address.
IT_SENTRY_ARGS="${ALLOW[*]} --audit=$T/audit.jsonl" inside "$PROG" tcp 127.0.0.1 "$PA" >/dev/null 2>&1
IT_SENTRY_ARGS="${ALLOW[*]} --audit=$T/audit2.jsonl" inside "$PROG" tcp $DENY "$PB" >/dev/null 2>&1
if python3 - "$T/audit.jsonl" "$T/audit2.jsonl" "$PA" "$PB" "$DENY" <<'PY'
import json, sys
a, b, pa, pb, deny = sys.argv[1:]
def connects(path):
    return [r for r in map(json.loads, open(path)) if r["syscall"] == "connect"]
ok = [r for r in connects(a) if r["verdict"] == "allowed" and r["errno"] is None
      and r["allowed_by"] == f"--allow-net 127.0.0.1:{pa}" and f"127.0.0.1:{pa}" in r["decoded"]]
no = [r for r in connects(b) if r["verdict"] == "denied" and r["errno"] == "EACCES"
      and f"{deny}:{pb}" in r["decoded"]]
sys.exit(0 if len(ok) == 1 and len(no) == 1 else 1)
PY
then
	pass "--audit records the allowed connect and the refused one"
else
	fail "--audit records of connect"
	show "audit (allowed run)" "$T/audit.jsonl"
	show "audit (refused run)" "$T/audit2.jsonl"
fi

# A thread flips the destination between A and B while another connects
# (sends). Natively B is reached: the check can see an escape.
for kind in tcp udp; do
	before=$(lines "$T/b.log")
	for _ in 1 2 3 4 5; do
		"$PROG" flip $kind "$PA" "$PB" 300 >"$T/flip-native.out" 2>&1
		sleep 0.3
		[ "$(lines "$T/b.log")" -gt "$before" ] && break
	done
	if [ "$(lines "$T/b.log")" -gt "$before" ]; then
		pass "flip $kind: natively the canary is reached"
	else
		fail "flip $kind: natively the canary was not reached (the check cannot see an escape)"
	fi
	before=$(lines "$T/b.log")
	IT_SENTRY_ARGS="${ALLOW[*]}" inside "$PROG" flip $kind "$PA" "$PB" 300 >"$T/flip.out" 2>/dev/null
	sleep 0.3
	expect "flip $kind: the workload ran" "^flip $kind: [0-9]+ through" "$T/flip.out"
	if [ "$(lines "$T/b.log")" -eq "$before" ]; then
		pass "flip $kind: inside, the canary is never reached"
	else
		fail "flip $kind: inside, the canary was reached"
		show "canary log" "$T/b.log"
	fi
done

# A thread swaps a UDP socket, or an unconnected TCP socket sent on with
# MSG_FASTOPEN, onto the fd number of a connected unix stream socket while
# another sends to B on that number: the sentry may check one socket and
# the kernel find the other. Natively B is reached.
for kind in udp tcp; do
	before=$(lines "$T/b.log")
	"$PROG" swap $kind "$PB" 10 >"$T/swap-native.out" 2>&1
	sleep 0.3
	if [ "$(lines "$T/b.log")" -gt "$before" ]; then
		pass "swap $kind: natively the canary is reached"
	else
		fail "swap $kind: natively the canary was not reached (the check cannot see an escape)"
		show stdout "$T/swap-native.out"
	fi
	before=$(lines "$T/b.log")
	IT_SENTRY_ARGS="${ALLOW[*]}" inside "$PROG" swap $kind "$PB" 10 >"$T/swap.out" 2>/dev/null
	sleep 0.3
	# sends to B leave a UDP socket of the sandbox's namespace into its own loopback
	went=0
	[ "$PLATFORM" = unotify ] && [ $kind = udp ] && went='[0-9]+'
	expect "swap $kind: the workload ran" "^swap $kind: $went of [0-9]+ sends went out" "$T/swap.out"
	if [ "$(lines "$T/b.log")" -eq "$before" ]; then
		pass "swap $kind: inside, the canary is never reached"
	else
		fail "swap $kind: inside, the canary was reached"
		show "canary log" "$T/b.log"
	fi
done

# A name: resolved by the sentry, put first in /etc/hosts inside.
IT_SENTRY_ARGS="--allow-net localhost:$PA" inside /bin/sh -c 'head -1 /etc/hosts' >"$T/hosts.out" 2>&1
expect "a name's address is in /etc/hosts inside" '^(127\.0\.0\.1|::1) localhost$' "$T/hosts.out"

# Bad values: one line, exit 125.
for bad in "nocolon" "127.0.0.1:0" "127.0.0.1:65536" "::1:80" "no-such-host.invalid:80"; do
	"$SENTRY" --platform="$PLATFORM" --allow-net "$bad" -- /bin/true >"$T/bad.out" 2>"$T/bad.err"
	rc=$?
	if [ $rc -eq 125 ] && [ "$(lines "$T/bad.err")" -eq 1 ]; then
		pass "--allow-net $bad: exit 125, one line"
	else
		fail "--allow-net $bad: exit $rc"
		show stderr "$T/bad.err"
	fi
done
exit $FAILED
