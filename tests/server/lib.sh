# Shared by the sentry serve tests; sourced, never run. $1 is the sentry.
set -u
SENTRY=$1
shift
if ! "$SENTRY" serve --help >/dev/null 2>&1; then
	echo "SKIP: this sentry has no serve (built without libmicrohttpd)"
	exit 77
fi
NAME=$(basename "$0" .sh)
FAILED=0
T=$(mktemp -d /tmp/sentry-serve-test.XXXXXX)
# The server's job folders go under $T: its sandboxes' command lines name
# $T, and nothing else on the machine does.
export TMPDIR=$T
SERVER_PID=
cleanup() {
	if [ -n "$SERVER_PID" ]; then
		# as an operator stops it; killed only when that fails
		kill -TERM "$SERVER_PID" 2>/dev/null
		for _ in $(seq 1 200); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.05; done
		kill -KILL "$SERVER_PID" 2>/dev/null
		wait "$SERVER_PID" 2>/dev/null
	fi
	rm -rf "$T"
}
trap cleanup EXIT

fail() { echo "FAIL: $*"; FAILED=1; }
pass() { echo "ok: $*"; }

show() {
	local label=$1 file=$2
	[ -s "$file" ] || return
	echo "--- $label ---"
	head -c 3000 "$file"
	echo
	echo "---"
}

# Starts sentry serve on a free port of 127.0.0.1 with the options given;
# sets SERVER_PID, PORT and URL once it logs where it listens.
start_server() {
	"$SENTRY" serve --listen=127.0.0.1:0 "$@" 2>"$T/server.log" &
	SERVER_PID=$!
	local i
	for i in $(seq 1 200); do
		PORT=$(grep -o '"event":"listening","address":"127.0.0.1:[0-9]*' "$T/server.log" 2>/dev/null | grep -o '[0-9]*$')
		[ -n "$PORT" ] && break
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.05
	done
	if [ -z "${PORT:-}" ]; then
		fail "the server did not start"
		show "server log" "$T/server.log"
		finish
	fi
	URL=http://127.0.0.1:$PORT
}

# Stops the server with SIGTERM and waits for it; its exit status in
# SERVER_STATUS.
stop_server() {
	kill -TERM "$SERVER_PID"
	wait "$SERVER_PID"
	SERVER_STATUS=$?
	STOPPED_PID=$SERVER_PID
	SERVER_PID=
}

# post BODY [curl options...]: the status code in $T/code, the body in $T/body.
post() {
	local body=$1
	shift
	curl -s -o "$T/body" -w '%{http_code}' -X POST --data-binary "$body" "$@" "$URL/api/v2/execute" >"$T/code"
}

# A field of the last reply: jq-like path through python.
field() {
	/usr/bin/python3 -c 'import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v = v[int(k)] if isinstance(v, list) else v.get(k) if isinstance(v, dict) else None
print(json.dumps(v) if not isinstance(v, str) else v, end="")' "$T/body" "$1" 2>/dev/null
}

# is PATH TEXT: whether a field of the last reply is TEXT exactly (with
# printf's backslash escapes: "out\n").
is() {
	local want
	printf -v want '%b' "$2"
	/usr/bin/python3 -c 'import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v = v[int(k)] if isinstance(v, list) else v.get(k) if isinstance(v, dict) else None
sys.exit(0 if v == sys.argv[3] else 1)' "$T/body" "$1" "$want" 2>/dev/null
}

finish() {
	if [ "$FAILED" -ne 0 ]; then
		echo "FAILED: $NAME"
		tail -20 "$T/server.log" >"$T/log.tail"
		show "server log (last lines)" "$T/log.tail"
		exit 1
	fi
	echo "PASSED: $NAME"
	exit 0
}
