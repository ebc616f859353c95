#!/bin/bash
# usage: exec.sh SENTRY PLATFORM
# sentry --control=PATH and sentry exec: commands started in a running
# sandbox share its files with the main command, pass stdin and stdout
# through, exit with the command's status (128+N for a signal), take
# --cwd, --env, --user and --pid-file, get forwarded signals, run several
# at once; --changes lists the workspace's changes, --stop ends the
# sandbox, and once it has ended an exec fails with 125 and one line.
set -u
SENTRY=$1 PLATFORM=$2
T=$(mktemp -d /tmp/sentry-control.XXXXXX) || exit 1
MAIN=''
trap '[ -n "$MAIN" ] && kill -KILL $MAIN 2>/dev/null; rm -rf "$T"' EXIT
FAILED=0
fail() { echo "FAIL: $*"; FAILED=1; }
pass() { echo "ok: $*"; }
expect() {
	local what=$1
	shift
	if "$@"; then pass "$what"; else fail "$what"; fi
}
export PATH=/usr/local/bin:/usr/bin:/bin
W=$T/ws C=$T/ctl
mkdir "$W"
echo host >"$W/kept.txt"
x() { timeout -k 2 30 "$SENTRY" exec --control="$C" "$@"; }

# the main command: writes a file, waits for one an exec writes, and
# shows what it read there (for the next exec to check)
(cd "$W" && exec "$SENTRY" --platform="$PLATFORM" --control="$C" -- sh -c '
	echo from-main >main.txt
	while [ ! -e exec.txt ]; do sleep 0.05; done
	cat exec.txt >saw.tmp && mv saw.tmp main-saw.txt
	exec sleep 60' >"$T/main.out" 2>"$T/main.err") &
MAIN=$!
for _ in $(seq 100); do [ -S "$C" ] && break; sleep 0.05; done
expect "the socket is there, mode 600 ($(stat -c %a "$C" 2>&1))" [ "$(stat -c %a "$C" 2>&1)" = 600 ]

out=$(x -- sh -c 'cat main.txt; echo from-exec >exec.txt')
expect "exec sees the main command's file ($out)" [ "$out" = from-main ]
for _ in $(seq 100); do out=$(x -- cat main-saw.txt 2>/dev/null) && break; sleep 0.05; done
expect "the main command sees the exec's file ($out)" [ "$out" = from-exec ]
expect "the host folder is unchanged" [ ! -e "$W/exec.txt" ] && [ ! -e "$W/main.txt" ]

out=$(echo hi | x -- cat)
expect "stdin and stdout pass through ($out)" [ "$out" = hi ]
x -- sh -c 'echo to-stderr >&2' 2>"$T/err"
expect "stderr passes through" [ "$(cat "$T/err")" = to-stderr ]
x -- sh -c 'exit 7'; rc=$?
expect "exit status 7 ($rc)" [ $rc -eq 7 ]
x -- sh -c 'kill -TERM $$'; rc=$?
expect "killed by SIGTERM: 143 ($rc)" [ $rc -eq 143 ]
x -- no-such-command 2>"$T/err"; rc=$?
expect "not found: 127 ($rc), one line ($(cat "$T/err"))" [ $rc -eq 127 ] && [ "$(wc -l <"$T/err")" -eq 1 ]

mkdir -p "$W/sub"
out=$(x --cwd=sub -- pwd)
expect "--cwd relative to where the sandbox started ($out)" [ "$out" = "$W/sub" ]
out=$(x --cwd=/tmp -- pwd)
expect "--cwd absolute ($out)" [ "$out" = /tmp ]
x --cwd=/no/such -- true 2>"$T/err"; rc=$?
expect "--cwd missing: 125 ($rc) and a line ($(cat "$T/err"))" [ $rc -eq 125 ] && grep -q 'no/such' "$T/err"
out=$(FOO_FROM_CLIENT=c SECRET_TOKEN=s x --env=A=1 --env=FOO_FROM_CLIENT -- env | sort | tr '\n' ' ')
expect "--env: only what it names, PATH and HOME ($out)" \
	[ "$out" = "A=1 FOO_FROM_CLIENT=c HOME=/home/sandbox PATH=$PATH " ]
out=$(x --env=HOME=/x --env=PATH=/bin -- sh -c 'echo $HOME $PATH')
expect "--env replaces PATH and HOME ($out)" [ "$out" = "/x /bin" ]

out=$(x --user=1234:4321 -- sh -c 'id -u; id -g; touch /tmp/owned; stat -c "%u:%g" /tmp/owned' | tr '\n' ' ')
expect "--user UID:GID, files made with those ids ($out)" [ "$out" = "1234 4321 1234:4321 " ]
out=$(x --user=65534 -- id -g)
expect "--user UID: the group from the sandbox's /etc/passwd ($out)" \
	[ "$out" = "$(awk -F: '$3 == 65534 { print $4; exit }' /etc/passwd)" ]
x --user=65534 -- sh -c 'echo x >/etc/passwd' 2>/dev/null; rc=$?
expect "--user is not root inside: /etc/passwd not writable ($rc)" [ $rc -ne 0 ]
x --user=0 -- sh -c 'echo x >>/etc/passwd'; rc=$?
expect "--user=0 is root inside ($rc)" [ $rc -eq 0 ]

x --pid-file="$T/pid" -- sh -c 'echo $$ >/tmp/mypid; ls /proc | grep -qx $$'; rc=$?
expect "--pid-file holds the pid /proc shows inside ($(cat "$T/pid"))" \
	[ $rc -eq 0 ] && [ "$(cat "$T/pid")" = "$(x -- cat /tmp/mypid)" ]
ppid_main=$(x -- sh -c 'ps -o ppid= -p $(pgrep -x sleep)' | tr -d ' ')
ppid_exec=$(x -- sh -c 'echo $PPID')
expect "an exec'd command's parent is the main command's ($ppid_exec, $ppid_main)" [ "$ppid_exec" = "$ppid_main" ]
procs=$(x -- ps -e -o comm= | sort | tr "\n" " ")
expect "ps inside lists the main command and this one only ($procs)" [ "$procs" = "ps sleep " ]

# the client itself, with SIGINT not ignored as a background job has it
env --default-signal=INT "$SENTRY" exec --control="$C" -- \
	sh -c 'trap "echo got-INT; exit 3" INT; echo ready; sleep 20 & wait' >"$T/sig.out" &
cl=$!
for _ in $(seq 100); do grep -q ready "$T/sig.out" && break; sleep 0.05; done
kill -INT $cl
wait $cl; rc=$?
expect "SIGINT reaches the command (exit $rc, $(tr '\n' ' ' <"$T/sig.out"))" [ $rc -eq 3 ] && grep -q got-INT "$T/sig.out"
# a file of its own: the one above still says ready until the job below
# has truncated it, which may be after the loop's first look
"$SENTRY" exec --control="$C" -- sh -c 'echo ready; exec sleep 20' >"$T/usr1.out" &
cl=$!
for _ in $(seq 100); do grep -q ready "$T/usr1.out" && break; sleep 0.05; done
kill -USR1 $cl
wait $cl; rc=$?
expect "SIGUSR1 forwarded: the command dies of it ($rc)" [ $rc -eq $((128 + 10)) ]

pids=()
for i in 1 2 3 4 5 6; do
	x -- sh -c "echo run-$i >/tmp/par-$i; sleep 0.$((7 - i)); exit $((10 + i))" &
	pids+=($!)
done
all=1
for i in 1 2 3 4 5 6; do
	wait ${pids[$((i - 1))]}
	rc=$?
	[ $rc -eq $((10 + i)) ] || { all=0; echo "exec $i: $rc"; }
done
expect "six execs at once, each its own status" [ $all -eq 1 ]
out=$(x -- cat /tmp/par-1 /tmp/par-2 /tmp/par-3 /tmp/par-4 /tmp/par-5 /tmp/par-6 | tr '\n' ' ')
expect "each ran ($out)" [ "$out" = "run-1 run-2 run-3 run-4 run-5 run-6 " ]

x -- sh -c 'echo more >>kept.txt; echo new >new.txt; rm -r sub'
x --changes >"$T/changes"; rc=$?
sorted=$(sort "$T/changes" | tr '\n' ' ')
want='{"path": "exec.txt", "kind": "added"} {"path": "kept.txt", "kind": "changed"} {"path": "main-saw.txt", "kind": "added"} {"path": "main.txt", "kind": "added"} {"path": "new.txt", "kind": "added"} {"path": "sub", "kind": "removed"} '
expect "--changes ($rc): $sorted" [ $rc -eq 0 ] && [ "$sorted" = "$want" ]
python3 -c 'import json, sys; [json.loads(l) for l in open(sys.argv[1])]' "$T/changes"
expect "--changes: one JSON object a line" [ $? -eq 0 ]

if [ "$(id -u)" -eq 0 ]; then
	setpriv --reuid 65534 --regid 65534 --clear-groups "$SENTRY" exec --control="$C" -- true 2>/dev/null; rc=$?
	chmod 666 "$C"
	setpriv --reuid 65534 --regid 65534 --clear-groups "$SENTRY" exec --control="$C" -- touch /tmp/other 2>/dev/null
	rc2=$?
	chmod 600 "$C"
	x -- test -e /tmp/other; rc3=$?
	expect "another user is refused ($rc, even with the mode opened: $rc2, $rc3)" [ $rc -eq 125 ] && [ $rc2 -eq 125 ] && [ $rc3 -ne 0 ]
fi

x -- sleep 30 >/dev/null &
long=$!
sleep 0.3
x --stop; rc=$?
expect "--stop returns 0 once the sandbox has ended ($rc)" [ $rc -eq 0 ] && ! kill -0 $MAIN 2>/dev/null
wait $long; rc=$?
expect "an exec still running when the sandbox ends: killed, 137 ($rc)" [ $rc -eq 137 ]
wait $MAIN; rc=$?
MAIN=''
expect "the sentry exits 137: its command was killed ($rc)" [ $rc -eq 137 ]
expect "the socket is removed" [ ! -e "$C" ]
x -- true 2>"$T/err"; rc=$?
expect "exec after the sandbox ended: 125 ($rc), one line ($(cat "$T/err"))" [ $rc -eq 125 ] && [ "$(wc -l <"$T/err")" -eq 1 ]

# the main command ends by itself: the socket goes with it
(cd "$W" && exec "$SENTRY" --platform="$PLATFORM" --control="$C" -- sleep 0.5) 2>/dev/null &
MAIN=$!
for _ in $(seq 100); do [ -S "$C" ] && break; sleep 0.05; done
wait $MAIN; rc=$?
MAIN=''
expect "main command exits 0 ($rc), socket removed" [ $rc -eq 0 ] && [ ! -e "$C" ]
x -- true 2>"$T/err"; rc=$?
expect "exec after the main command exited: 125 ($rc)" [ $rc -eq 125 ]

[ $FAILED -eq 0 ] && echo "all passed" || cat "$T/main.err"
exit $FAILED
