#!/bin/bash
# usage: containerd.sh SENTRY_RUNC
# containerd, started here with its own root, state and sockets under a
# temporary folder, drives sentry-runc through its runc shim (ctr run
# --runc-binary): output and exit codes, ctr task exec (and --tty), ctr
# task pause and resume, ctr task kill, the sentry's lines in the shim's
# runtime log with a terminal.
. "$(dirname "$0")/lib.sh"
command -v containerd >/dev/null && command -v ctr >/dev/null || skip "no containerd"
cd "$T" || exit 1
make_rootfs rootfs
cat >config.toml <<TOML
version = 2
root = "$T/root"
state = "$T/state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
                    "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]
[grpc]
  address = "$T/c.sock"
[ttrpc]
  address = "$T/t.sock"
TOML
containerd --config config.toml >containerd.log 2>&1 &
CPID=$!
CLEANUP="C task kill -s KILL t3 >/dev/null 2>&1; C task delete -f t3 >/dev/null 2>&1; C container delete t3 >/dev/null 2>&1; kill $CPID; wait $CPID"
C() { timeout -k 2 30 ctr --address "$T/c.sock" "$@"; }
for _ in $(seq 50); do C version >/dev/null 2>&1 && break; sleep 0.1; done
# An exec still running after 25 s: where each process of it waits, and
# the shim's goroutines (it writes them to containerd's log on SIGUSR1).
hung_exec_report() {
	echo "--- still running after 25 s: processes ---"
	ps -eo pid,ppid,stat,wchan:24,args --forest | grep -E "containerd-shim|sentry|ctr |script" | grep -v grep
	local p
	for p in $(pgrep -f "sentry-runc .*exec |sentry exec --control=$T/"); do
		echo "--- $p: $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)"
		cat "/proc/$p/stack" 2>/dev/null
		ls -l "/proc/$p/fd" 2>/dev/null | tail -n +2
	done
	pkill -USR1 -f "containerd-shim-runc-v2 .*$T/"
	sleep 1
}
RUN=(run --runc-binary "$RUNC" --runc-root "$T/runc")

C "${RUN[@]}" --rm --rootfs "$T/rootfs" t1 sh -c 'echo hello from containerd; exit 7' >out 2>err
rc=$?
[ "$rc" -eq 7 ] && grep -qx "hello from containerd" out && pass "ctr run: output and exit code" ||
	{ fail "ctr run rc $rc"; show out out; show err err; tail -5 containerd.log; }
C "${RUN[@]}" --rm --rootfs "$T/rootfs" t2 sh -c 'echo changed >/etc/motd' >/dev/null 2>&1
[ "$(cat rootfs/etc/motd)" = "from the image" ] && pass "the rootfs is left as it was" || fail "rootfs changed"

mkdir count
# the container outlives every step below: its own bound is longer than theirs
timeout -k 2 120 ctr --address "$T/c.sock" "${RUN[@]}" --rm --mount "type=bind,src=$T/count,dst=/count,options=rbind:rw" --rootfs "$T/rootfs" t3 \
	sh -c 'echo inside >/tmp/mark; trap "exit 9" TERM; i=0; while :; do i=$((i+1)); echo $i >/count/t; mv /count/t /count/n; sleep 0.05; done' \
	>t3.out 2>t3.err &
RPID=$!
for _ in $(seq 50); do C task ls 2>/dev/null | grep -q "^t3 .*RUNNING" && break; sleep 0.1; done
# the sentry holds none of the shim's sockets and pipes beyond its stdio
# (the shim leaves its fd 3 open to the runtime it runs; anon inodes and
# paths look alike in /proc however they were opened: not compared)
spid=$(C task ls 2>/dev/null | awk '$1 == "t3" { print $2 }')
shim=$(awk '{ sub(/.*\) /, ""); print $2 }' "/proc/$spid/stat" 2>/dev/null)
shared=
for f in /proc/"$spid"/fd/*; do
	n=${f##*/} l=$(readlink "$f")
	[ "$n" -le 2 ] && continue
	case $l in socket:* | pipe:*) ;; *) continue ;; esac
	for g in /proc/"$shim"/fd/*; do [ "$(readlink "$g")" = "$l" ] && shared="$shared $n:$l"; done
done
[ -n "$spid" ] && [ -n "$shim" ] && [ -z "$shared" ] && pass "the sentry ($spid) holds no socket or pipe of the shim's ($shim) but stdio" ||
	fail "the sentry $spid shares with the shim $shim:$shared"
if sentry_has --control=; then
	C task exec --exec-id e1 t3 sh -c 'cat /tmp/mark; exit 3' >out 2>err
	rc=$?
	[ "$rc" -eq 3 ] && grep -qx inside out && pass "ctr task exec" || { fail "task exec rc $rc"; show out out; show err err; }
	# ctr puts its own terminal in raw mode: one from script. The command
	# waits before it exits: the shim stops copying the console when it sees
	# the exit, so what a command printed just before may never be read (so
	# with runc too)
	# What ctr forwards of its own input may come back first as the
	# pty's echo ("^@"), as with runc: the name is looked for anywhere.
	# timeout stays outside script: inside, it would put ctr in a process
	# group of its own, in the background of script's terminal, where ctr's
	# raw mode stops it with SIGTTOU (a hang seen in CI)
	timeout -k 2 30 script -qec "ctr --address $T/c.sock task exec --tty --exec-id e2 t3 sh -c 'tty; sleep 0.5; exit 5'" \
		/dev/null </dev/null >out 2>err &
	spid_exec=$!
	for _ in $(seq 250); do kill -0 "$spid_exec" 2>/dev/null || break; sleep 0.1; done
	kill -0 "$spid_exec" 2>/dev/null && hung_exec_report
	wait "$spid_exec"
	rc=$?
	[ "$rc" -eq 5 ] && grep -q "/dev/pts/[0-9]" out && pass "ctr task exec --tty: a pty of the sandbox's own" ||
		{ fail "task exec --tty rc $rc"; show out out; show err err; tail -40 containerd.log; }
fi
for _ in $(seq 50); do [ -s count/n ] && break; sleep 0.1; done
C task pause t3 2>err
status=$(C task ls 2>/dev/null | awk '$1 == "t3" { print $3 }')
a=$(cat count/n); sleep 0.5; b=$(cat count/n)
C task resume t3 2>>err
sleep 0.5; c=$(cat count/n)
[ "$status" = PAUSED ] && [ -n "$a" ] && [ "$a" = "$b" ] && [ "$c" != "$b" ] &&
	pass "ctr task pause/resume: frozen, then running again" || { fail "pause/resume: $status $a $b $c"; show err err; }
C task kill t3 >/dev/null 2>err
wait $RPID
rc=$?
[ "$rc" -eq 9 ] && pass "ctr task kill: SIGTERM reaches the workload, its exit code reaches ctr" ||
	{ fail "task kill: rc $rc"; show err t3.err; }
# With a terminal the sentry's own lines go to the runtime log the shim
# passes (--log BUNDLE/log.json --log-format json) as they happen: a
# denied mount is a JSON line there while the container runs (ctr run
# --rm removes the bundle, that file with it, once the container ends).
if sentry_has --log-format=; then
	timeout -k 2 30 script -qec "ctr --address $T/c.sock run --runc-binary $RUNC --runc-root $T/runc --rm -t --rootfs $T/rootfs t9 sh -c 'mount -t tmpfs none /mnt 2>/dev/null; echo mount \$?; sleep 3'" \
		/dev/null </dev/null >out 2>err &
	spid_tty=$!
	log=$T/state/io.containerd.runtime.v2.task/default/t9/log.json
	for _ in $(seq 100); do grep -q "denied mount" "$log" 2>/dev/null && break; sleep 0.05; done
	python3 -c 'import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert any(l["level"] == "warning" and l["msg"].startswith("sentry: denied mount(") and l["time"] for l in lines), lines' \
		"$log" 2>err.log
	rc=$?
	wait "$spid_tty"
	[ "$rc" -eq 0 ] && grep -q "mount 1" out && pass "ctr run -t: the sentry's denial in the shim's runtime log (log.json) while it runs" ||
		{ fail "ctr run -t: the denial in log.json"; show out out; show err err; show err.log err.log; }
fi
finish
