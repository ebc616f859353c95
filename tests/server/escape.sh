#!/bin/bash
# usage: escape.sh SENTRY [PLATFORM] (ESCAPE_BIN: the built attempts,
# BUILD/tests/escape; PLATFORM: unotify, the default, or ptrace)
# The escape suite through sentry serve's API: tests/escape/run.sh sets up
# its host canaries and runs every attempt, with escape_client.py standing
# in for the sentry, so each attempt binary is uploaded (base64) and run by
# the bash runtime (chmod +x; ./attempt) in a sandbox of the server's;
# every canary must hold, and every attempt must have run (HTTP 200, its
# sandbox not failed). run.sh also runs each attempt natively first, which
# proves the canaries notice it; tests/escape's own run is that proof for
# each platform. The server is started with --platform=PLATFORM, so every
# attempt runs on that platform.
. "$(dirname "$0")/lib.sh"
PLATFORM=${1:-unotify}
HERE=$(cd "$(dirname "$0")" && pwd)
BIN=${ESCAPE_BIN:-$(dirname "$SENTRY")/tests/escape}
if [ ! -d "$BIN/attempts" ]; then
	echo "SKIP: no escape attempts in $BIN (built on x86_64 only)"
	exit 77
fi
start_server --max-concurrent=2 --platform="$PLATFORM"
grep -q '"event":"listening".*"platform":"'"$PLATFORM"'"' "$T/server.log" &&
	pass "the server's sandboxes run on $PLATFORM" || { fail "the server does not say $PLATFORM"; finish; }
export SENTRY_SERVE_URL=$URL SENTRY_SERVE_LOG=$T/attempts.log
# run.sh only prints the platform it is given: the server chose it
ESCAPE_BIN=$BIN ESCAPE_VERBOSE=0 "$HERE/../escape/run.sh" "$HERE/escape_client.py" "serve-$PLATFORM" >"$T/suite.out" 2>&1
rc=$?
cat "$T/suite.out"
[ "$rc" -eq 0 ] && pass "every canary held for every attempt through the API" || fail "run.sh: exit $rc"
want=$(ls "$BIN/attempts" | wc -l)
ran=$(grep -c '"http": 200' "$T/attempts.log")
[ "$ran" -eq "$want" ] && pass "all $want attempts were answered by the server (HTTP 200)" ||
	{ fail "$ran of $want attempts answered"; grep -v '"http": 200' "$T/attempts.log" | head; }
grep '"status": "XX"' "$T/attempts.log" && fail "a sandbox failed (its sentry died?)"
# 126 and 127: bash could not run the uploaded binary, so it tried nothing
grep -E '"code": 12[67],' "$T/attempts.log" && fail "an attempt did not run"
curl -s "$URL/metrics" >"$T/metrics"
grep -q '^sentry_serve_live_sandboxes 0$' "$T/metrics" && pass "metrics: no live sandbox" || fail "live sandboxes left"
/usr/bin/python3 "$HERE/thousand.py" strays "$SERVER_PID" "$(ls -d "$T"/sentry-serve.*)" >"$T/strays" &&
	pass "no process below the server or in its cgroups, no job folder, but its idle warm sandboxes" ||
	{ fail "left"; head -20 "$T/strays"; }
stop_server
[ "$SERVER_STATUS" = 0 ] && pass "the server stops cleanly" || fail "server exit $SERVER_STATUS"
finish
