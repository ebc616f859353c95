#!/bin/bash
# usage: escape.sh SENTRY PLATFORM CONTROL_ESCAPE
# A workload that goes for its sandbox's control socket and spawner
# (escape.c). Natively, beside a sandbox, it reaches the socket and the
# command it asks for writes its line into the attempt's stdout, a host
# file: proof that the attempt and the canary work. Inside, with the
# socket in the workspace (where the workload looks first) or outside it,
# no line may come, and the spawner must still serve sentry exec after.
set -u
SENTRY=$1 PLATFORM=$2 ATTEMPT=$3
T=$(mktemp -d /tmp/sentry-control-escape.XXXXXX) || exit 1
VICTIM=''
trap '[ -n "$VICTIM" ] && kill -KILL $VICTIM 2>/dev/null; rm -rf "$T"' EXIT
FAILED=0
fail() { echo "FAIL: $*"; FAILED=1; }
pass() { echo "ok: $*"; }
export PATH=/usr/local/bin:/usr/bin:/bin
W=$T/ws
mkdir "$W"
cp "$ATTEMPT" "$W/attempt"

wait_socket() { for _ in $(seq 100); do [ -S "$1" ] && return 0; sleep 0.05; done; return 1; }

# natively: the attempt beside a sandbox it did not start
(cd "$W" && exec "$SENTRY" --platform="$PLATFORM" --control="$T/native.ctl" -- sleep 30) 2>/dev/null &
VICTIM=$!
wait_socket "$T/native.ctl"
# given the victim's pid, it touches that sandbox's processes only
(cd "$W" && timeout -k 2 60 ./attempt "$T/native.ctl" $VICTIM >"$T/native.out" 2>"$T/native.err" </dev/null)
if grep -q REACHED-BY-CONTROL "$T/native.out" && grep -q "pid $VICTIM fd .*: a socket" "$T/native.err"; then
	pass "natively the attempt reaches the socket (its command writes the canary) and the sentry's fds"
else
	fail "natively the attempt did not reach the socket: $(cat "$T/native.out" "$T/native.err")"
fi
"$SENTRY" exec --control="$T/native.ctl" --stop
wait $VICTIM 2>/dev/null
VICTIM=''

for where in "$W/ctl" "$T/ctl"; do
	(cd "$W" && exec "$SENTRY" --platform="$PLATFORM" --control="$where" -- sh -c \
		'./attempt "$0"; echo done >attempt-done; exec sleep 30' "$where") >"$T/out" 2>"$T/err" &
	VICTIM=$!
	wait_socket "$where"
	for _ in $(seq 600); do
		"$SENTRY" exec --control="$where" -- test -e attempt-done 2>/dev/null && break
		sleep 0.1
	done
	if grep -q REACHED-BY "$T/out"; then
		fail "inside, socket at $where: the attempt reached it: $(grep REACHED-BY "$T/out")"
	else
		pass "inside, socket at $where: no command ran for the workload"
	fi
	out=$("$SENTRY" exec --control="$where" -- echo spawner-alive 2>&1)
	if [ "$out" = spawner-alive ]; then
		pass "the spawner still serves sentry exec"
	else
		fail "the spawner no longer serves sentry exec: $out"
	fi
	"$SENTRY" exec --control="$where" --stop
	wait $VICTIM 2>/dev/null
	VICTIM=''
	[ $FAILED -eq 0 ] || cat "$T/err"
done
[ $FAILED -eq 0 ] && echo "all passed"
exit $FAILED
