#!/bin/bash
# usage: platform.sh SENTRY
# sentry serve --platform: a bad value, on the command line or in a
# --policy file, is one line on stderr and exit 125; every sandbox of a
# server started with --platform=ptrace (a warm run, a cold run, a
# session) runs on ptrace, one started without runs on user-notify.
#
# A program tells them apart by the state of its own process in
# /proc/self/stat, which the sentry passes through from the host: the
# read of it is served while the reader waits, in a ptrace stop ("t",
# tracing stop) under ptrace, in the seccomp notification ("S") under
# user-notify. From outside, the command lines of the server's sentries
# name the platform.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
STATE='print(open("/proc/self/stat").read().rsplit(") ", 1)[1][0])'
PROBE=$("$PY" -c 'import json, sys; print(json.dumps({"language": "python", "version": "*", "files": [{"content": sys.argv[1]}]}))' "$STATE")

# bad VALUE...: each is one line on stderr and exit 125
for bad in --platform=seccomp --platform= --platform=PTRACE; do
	"$SENTRY" serve --listen=127.0.0.1:0 "$bad" >"$T/out" 2>"$T/err"
	rc=$?
	[ "$rc" = 125 ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -q "platform" "$T/err" && [ ! -s "$T/out" ] &&
		pass "$bad: one line, exit 125" || { fail "$bad: exit $rc"; show stderr "$T/err"; }
done
printf '# the sandboxes\nplatform=ptraced\n' >"$T/bad.policy"
"$SENTRY" serve --listen=127.0.0.1:0 --policy="$T/bad.policy" 2>"$T/err"
rc=$?
[ "$rc" = 125 ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -q "bad.policy:2: .*platform" "$T/err" &&
	pass "a bad platform in --policy: one line naming the file's line, exit 125" || { fail "bad policy: exit $rc"; show stderr "$T/err"; }

listening_platform() { grep -o '"event":"listening".*' "$T/server.log" | grep -o '"platform":"[a-z]*"' | cut -d'"' -f4; }

# Until the server has a warm sandbox ready.
wait_warm() {
	for _ in $(seq 1 100); do
		curl -s "$URL/metrics" | grep -q '^sentry_serve_warm_sandboxes [1-9]' && return
		sleep 0.1
	done
}

# The default: user-notify.
start_server --warm=0
[ "$(listening_platform)" = unotify ] && pass "by default the listening line names unotify" || fail "listening: $(head -1 "$T/server.log")"
post "$PROBE"
is run.stdout 'S\n' && pass "by default a run waits in the seccomp notification (S), not in a ptrace stop" ||
	{ fail "default platform"; show body "$T/body"; }
stop_server

start_server --platform=ptrace --warm=1
[ "$(listening_platform)" = ptrace ] && pass "--platform=ptrace: the listening line names ptrace" || fail "listening: $(head -1 "$T/server.log")"
wait_warm
post "$PROBE"
is run.stdout 't\n' && tail -1 "$T/server.log" | grep -q '"warm":true' &&
	pass "a warm run is in a ptrace stop (t) while its call is served" || { fail "warm run"; show body "$T/body"; tail -1 "$T/server.log"; }

S=$URL/v1/sandboxes
curl -s -o "$T/body" -X POST --data-binary '{}' "$S"
id=$(field id)
[ ${#id} = 32 ] && pass "a session starts" || { fail "session start"; show body "$T/body"; }
curl -s -o "$T/body" -X POST --data-binary "$("$PY" -c 'import json, sys; print(json.dumps({"command": ["/usr/bin/python3", "-c", sys.argv[1]]}))' "$STATE")" "$S/$id/commands"
is stdout 't\n' && [ "$(field code)" = 0 ] && pass "a session's command runs, in a ptrace stop (t) while its call is served" ||
	{ fail "session command"; show body "$T/body"; }
# The server's sandboxes seen from the host while the session is live:
# every sentry it started (not its sentry exec clients) says --platform=ptrace.
sandboxes=0 session=0 others='' REAL=$(readlink -f "$SENTRY")
for pid in $(pgrep -P "$SERVER_PID"); do
	cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || continue
	case $cmd in
	"$REAL exec "*) continue ;;
	"$REAL "*) ;;
	*) continue ;;
	esac
	sandboxes=$((sandboxes + 1))
	case $cmd in *" --platform=ptrace "*) ;; *) others+="$cmd"$'\n' ;; esac
	grep -qE -- " --control=[^ ]*/c[0-9]+ " <<<"$cmd" && session=$((session + 1))
done
[ "$session" = 1 ] && [ -z "$others" ] &&
	pass "the session's sentry and the $((sandboxes - 1)) other sandbox(es) run with --platform=ptrace" ||
	{ fail "sandboxes: $sandboxes, the session's: $session"; printf '%s' "$others"; }
curl -s -o /dev/null -w '%{http_code}' -X DELETE "$S/$id" >"$T/code"
[ "$(cat "$T/code")" = 200 ] && pass "DELETE ends the session" || fail "session delete: $(cat "$T/code")"
stop_server
[ "$SERVER_STATUS" = 0 ] && pass "the server stops cleanly" || fail "server exit $SERVER_STATUS"

# A cold run (a warm sandbox also serves runs with limits of their own).
start_server --platform=ptrace --warm=0
post "$PROBE"
is run.stdout 't\n' && tail -1 "$T/server.log" | grep -q '"warm":false' &&
	pass "a cold run is in a ptrace stop (t) while its call is served" || { fail "cold run"; show body "$T/body"; tail -1 "$T/server.log"; }
stop_server

# The same from a --policy file.
printf 'platform=ptrace\n' >"$T/ptrace.policy"
start_server --policy="$T/ptrace.policy" --warm=0
[ "$(listening_platform)" = ptrace ] && pass "--policy: platform=ptrace is read" || fail "listening: $(head -1 "$T/server.log")"
post "$PROBE"
is run.stdout 't\n' && pass "--policy: a run is in a ptrace stop (t)" || { fail "policy run"; show body "$T/body"; }
stop_server
finish
