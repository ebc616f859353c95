#!/bin/bash
# usage: containerd.sh SENTRY_RUNC
# containerd, started here with its own root, state and sockets under a
# temporary folder, drives sentry-runc through its runc shim (ctr run
# --runc-binary): output and exit codes, ctr task exec, ctr task kill.
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
RUN=(run --runc-binary "$RUNC" --runc-root "$T/runc")

C "${RUN[@]}" --rm --rootfs "$T/rootfs" t1 sh -c 'echo hello from containerd; exit 7' >out 2>err
rc=$?
[ "$rc" -eq 7 ] && grep -qx "hello from containerd" out && pass "ctr run: output and exit code" ||
	{ fail "ctr run rc $rc"; show out out; show err err; tail -5 containerd.log; }
C "${RUN[@]}" --rm --rootfs "$T/rootfs" t2 sh -c 'echo changed >/etc/motd' >/dev/null 2>&1
[ "$(cat rootfs/etc/motd)" = "from the image" ] && pass "the rootfs is left as it was" || fail "rootfs changed"

C "${RUN[@]}" --rm --rootfs "$T/rootfs" t3 sh -c 'echo inside >/tmp/mark; trap "exit 9" TERM; while :; do sleep 0.1; done' >t3.out 2>t3.err &
RPID=$!
for _ in $(seq 50); do C task ls 2>/dev/null | grep -q "^t3 .*RUNNING" && break; sleep 0.1; done
if sentry_has --control=; then
	C task exec --exec-id e1 t3 sh -c 'cat /tmp/mark; exit 3' >out 2>err
	rc=$?
	[ "$rc" -eq 3 ] && grep -qx inside out && pass "ctr task exec" || { fail "task exec rc $rc"; show out out; show err err; }
fi
C task kill t3 >/dev/null 2>err
wait $RPID
rc=$?
[ "$rc" -eq 9 ] && pass "ctr task kill: SIGTERM reaches the workload, its exit code reaches ctr" ||
	{ fail "task kill: rc $rc"; show err t3.err; }
finish
