#!/bin/bash
# usage: session.sh SENTRY
# Sessions under /v1/sandboxes: one sandbox across calls (files persist),
# uploads and downloads, the list of changes, limits and allow_net checked,
# another tenant's session not found, delete, and the idle timeout and the
# maximum life ending forgotten ones with nothing left behind.
. "$(dirname "$0")/lib.sh"
cat >"$T/keys.json" <<'J'
[{"key": "k-one", "tenant": "one"}, {"key": "k-two", "tenant": "two"}]
J
start_server --keys="$T/keys.json" --session-idle=10 --session-life=60 --max-sessions=3
S=$URL/v1/sandboxes
A=(-H "Authorization: k-one")

call() { # call METHOD PATH [BODY] [curl options]: code in $T/code, body in $T/body
	local method=$1 path=$2 body=${3:-}
	shift 3 2>/dev/null || shift $#
	curl -s -o "$T/body" -w '%{http_code}' -X "$method" ${body:+--data-binary "$body"} "$@" "$S$path" >"$T/code"
}

call POST "" '{}'
[ "$(cat "$T/code")" = 401 ] && pass "a session needs a key" || fail "no key: $(cat "$T/code")"
call POST "" '{"idle_timeout": 10}' "${A[@]}"
id=$(field id)
[ "$(cat "$T/code")" = 201 ] && [ ${#id} = 32 ] && pass "POST /v1/sandboxes: 201 with an id" || { fail "create"; show body "$T/body"; }

call POST "/$id/commands" '{"command": ["/bin/sh", "-c", "echo kept > a.txt; echo made"]}' "${A[@]}"
is stdout 'made\n' && [ "$(field code)" = 0 ] && pass "a command runs in the session" || { fail "command"; show body "$T/body"; }
call POST "/$id/commands" '{"command": ["/bin/cat", "a.txt"]}' "${A[@]}"
is stdout 'kept\n' && pass "a later command sees the first one's file" || { fail "persistence"; show body "$T/body"; }
call POST "/$id/commands" '{"command": ["/usr/bin/python3", "-c", "import sys; print(sys.stdin.read().upper()); sys.exit(4)"], "stdin": "shout"}' "${A[@]}"
is stdout 'SHOUT\n' && [ "$(field code)" = 4 ] && [ "$(field status)" = RE ] && pass "stdin, exit code and status" || { fail "stdin"; show body "$T/body"; }
call POST "/$id/commands" '{"command": ["/bin/sh", "-c", "while :; do :; done"], "timeout": 500}' "${A[@]}"
[ "$(field status)" = TO ] && pass "a command's timeout ends it: status TO" || { fail "command timeout"; show body "$T/body"; }
call POST "/$id/commands" '{"command": "ls"}' "${A[@]}"
[ "$(cat "$T/code")" = 400 ] && pass "a command not an array: 400" || fail "bad command: $(cat "$T/code")"

printf 'line one\n\0binary\377\n' >"$T/upload"
curl -s -o "$T/body" -w '%{http_code}' -X PUT --data-binary @"$T/upload" "${A[@]}" "$S/$id/files/in/data.bin" >"$T/code"
[ "$(cat "$T/code")" = 200 ] && [ "$(field size)" = "$(stat -c %s "$T/upload")" ] && pass "PUT a file (folders made)" || { fail "upload"; show body "$T/body"; }
curl -s -o "$T/download" -w '%{http_code}' "${A[@]}" "$S/$id/files/in/data.bin" >"$T/code"
[ "$(cat "$T/code")" = 200 ] && cmp -s "$T/upload" "$T/download" && pass "GET the file back, byte for byte" || fail "download"
call GET "/$id/files/missing.txt" "" "${A[@]}"
[ "$(cat "$T/code")" = 404 ] && pass "GET a missing file: 404" || fail "missing file: $(cat "$T/code")"
call GET "/$id/changes" "" "${A[@]}"
/usr/bin/python3 -c 'import json, sys
c = {e["path"]: e["kind"] for e in json.load(open(sys.argv[1]))}
assert c.get("a.txt") == "added" and c.get("in/data.bin") == "added", c' "$T/body" &&
	pass "GET changes lists what the session added" || { fail "changes"; show body "$T/body"; }

call GET "/$id" "" -H "Authorization: k-two"
[ "$(cat "$T/code")" = 404 ] && pass "another tenant's session is not found" || fail "other tenant: $(cat "$T/code")"
call GET "" "" -H "Authorization: k-two"
[ "$(cat "$T/body")" = "[]" ] && pass "another tenant lists none" || { fail "other tenant's list"; show body "$T/body"; }
call GET "/nope" "" "${A[@]}"
[ "$(cat "$T/code")" = 404 ] && pass "an unknown session: 404" || fail "unknown: $(cat "$T/code")"
call POST "" '{"allow_net": ["no port here"]}' "${A[@]}"
[ "$(cat "$T/code")" = 400 ] && [ -n "$(field message)" ] && pass "a bad allow_net: 400 with the sentry's line" || { fail "bad allow_net $(cat "$T/code")"; show body "$T/body"; }
call POST "" '{"idle_timeout": 100000}' "${A[@]}"
[ "$(cat "$T/code")" = 400 ] && pass "an idle_timeout past the server's: 400" || fail "idle_timeout: $(cat "$T/code")"

# allow_net: a host port this test listens on, reached from a session
# that names it and not from one that does not.
read -r HOSTPORT < <(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
/usr/bin/python3 -c 'import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(); s.settimeout(60)
while True:
    try:
        c, _ = s.accept()
    except OSError:
        break
    c.sendall(b"hello from the host\n"); c.close()' "$HOSTPORT" &
listener=$!
FETCH='["/usr/bin/python3", "-c", "import socket; s = socket.create_connection((\"127.0.0.1\", '"$HOSTPORT"'), timeout=5); print(s.recv(100).decode().strip())"]'
call POST "" '{"allow_net": ["127.0.0.1:'"$HOSTPORT"'"]}' "${A[@]}"
net=$(field id)
call POST "/$net/commands" '{"command": '"$FETCH"'}' "${A[@]}"
is stdout 'hello from the host\n' && pass "a session with allow_net reaches that host port" || { fail "allow_net"; show body "$T/body"; }
call DELETE "/$net" "" "${A[@]}"
call POST "/$id/commands" '{"command": '"$FETCH"'}' "${A[@]}"
[ "$(field code)" != 0 ] && ! is stdout 'hello from the host\n' && pass "a session without it does not" || { fail "no allow_net"; show body "$T/body"; }
kill "$listener" 2>/dev/null
wait "$listener" 2>/dev/null

call DELETE "/$id" "" "${A[@]}"
[ "$(cat "$T/code")" = 200 ] && pass "DELETE ends the session" || fail "delete: $(cat "$T/code")"
call GET "/$id" "" "${A[@]}"
[ "$(cat "$T/code")" = 404 ] && pass "a deleted session is gone" || fail "after delete: $(cat "$T/code")"
[ -z "$(pgrep -f -- "--control=$T/[^ ]*/c[0-9]" || true)" ] && pass "its sentry is gone" || fail "its sentry is left"

# Forgotten: the idle timeout (10 s here) ends it, with its processes.
call POST "" '{}' "${A[@]}"
id=$(field id)
[ "$(cat "$T/code")" = 201 ] || { fail "a second session: $(cat "$T/code")"; show body "$T/body"; }
call POST "/$id/commands" '{"command": ["/bin/sh", "-c", "sleep 1000 >/dev/null 2>&1 & echo started"]}' "${A[@]}"
# The list does not count as a use of the session; a GET of it would.
for i in $(seq 1 300); do
	call GET "" "" "${A[@]}"
	grep -q "$id" "$T/body" || break
	sleep 0.2
done
! grep -q "$id" "$T/body" && grep -q "\"event\":\"session_end\",\"id\":\"$id\"" "$T/server.log" &&
	pass "an idle session ends by itself" || { fail "idle session $id still there"; show list "$T/body"; }
[ -z "$(pgrep -f -- "--control=$T/[^ ]*/c[0-9]" || true)" ] && pass "nothing of it is left" || fail "an idle session's sentry is left"

call POST "" '{"max_life": 1, "idle_timeout": 60}' "${A[@]}"
id=$(field id)
for i in $(seq 1 100); do
	call POST "/$id/commands" '{"command": ["/bin/true"]}' "${A[@]}"
	[ "$(cat "$T/code")" = 404 ] && break
	sleep 0.2
done
[ "$(cat "$T/code")" = 404 ] && pass "a session in use still ends at its max_life" || fail "max_life"

call POST "" '{}' "${A[@]}"
stop_server
[ "$SERVER_STATUS" = 0 ] && pass "the server stops, and its sessions with it" || fail "server exit $SERVER_STATUS"
[ -z "$(pgrep -f -- "--control=$T" || true)" ] && pass "no session's sentry is left" || fail "a session outlived the server"
finish
