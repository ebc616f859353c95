#!/bin/bash
# usage: docker.sh SENTRY_RUNC
# Docker drives sentry-runc as a runtime of daemon.json's "runtimes". The
# test starts its own containerd and dockerd, everything under a temporary
# folder (data, exec state, sockets, the client's config), no iptables and
# no bridge; the image is imported from a local busybox rootfs, never
# pulled. Output and exit codes, the rootfs left as it was, volumes rw and
# ro, -t, -it, --network none, a bridge network and -p, the ptrace
# platform through runtimeArgs, -d then exec (-t, -it) and
# stop, --pids-limit, --memory.
. "$(dirname "$0")/lib.sh"
command -v dockerd >/dev/null && command -v containerd >/dev/null || skip "no dockerd (Debian's docker.io)"
# the client of the same package as the daemon, if there is one
DOCKER=/usr/bin/docker
[ -x "$DOCKER" ] || DOCKER=$(command -v docker) || skip "no docker client"
cd "$T" || exit 1
# dockerd makes /run/docker/plugins whatever its --exec-root: removed at
# the end unless it was there before
[ -e /run/docker ] && RUN_DOCKER_WAS_THERE=1 || RUN_DOCKER_WAS_THERE=
stop_daemons() {
	[ -n "${DPID:-}" ] && D ps -aq 2>/dev/null | xargs -r timeout 30 "$DOCKER" -H "unix://$T/docker.sock" rm -f >/dev/null 2>&1
	[ -n "${DPID:-}" ] && D network rm sentry-test-net >/dev/null 2>&1
	[ -n "${DPID:-}" ] && kill "$DPID" 2>/dev/null && timeout 20 tail --pid="$DPID" -f /dev/null
	[ -n "${CPID:-}" ] && kill "$CPID" 2>/dev/null && timeout 20 tail --pid="$CPID" -f /dev/null
	[ -n "$RUN_DOCKER_WAS_THERE" ] || rmdir /run/docker/plugins /run/docker 2>/dev/null
}
CLEANUP=stop_daemons

# A containerd of our own: dockerd would otherwise take the system's when
# /run/containerd/containerd.sock answers.
cat >containerd.toml <<TOML
version = 2
root = "$T/containerd"
state = "$T/containerd-state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
                    "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]
[grpc]
  address = "$T/c.sock"
[ttrpc]
  address = "$T/t.sock"
TOML
containerd --config containerd.toml >containerd.log 2>&1 &
CPID=$!
for _ in $(seq 100); do [ -S "$T/c.sock" ] && break; sleep 0.1; done

# The runtime as an administrator would declare it.
cat >daemon.json <<JSON
{
  "runtimes": { "sentry": { "path": "$RUNC" },
                "sentry-ptrace": { "path": "$RUNC", "runtimeArgs": ["--platform=ptrace"] } },
  "data-root": "$T/data",
  "exec-root": "$T/exec",
  "pidfile": "$T/docker.pid",
  "deprecated-key-path": "$T/key.json",
  "hosts": ["unix://$T/docker.sock"],
  "containerd": "$T/c.sock",
  "storage-driver": "vfs",
  "iptables": false,
  "ip6tables": false,
  "bridge": "none"
}
JSON
dockerd --config-file daemon.json >dockerd.log 2>&1 &
DPID=$!
export DOCKER_CONFIG=$T/client
D() { timeout -k 2 60 "$DOCKER" -H "unix://$T/docker.sock" "$@"; }
for _ in $(seq 150); do D version >/dev/null 2>&1 && break; sleep 0.2; done
if ! D version >/dev/null 2>&1; then
	show dockerd.log dockerd.log
	show containerd.log containerd.log
	fail "dockerd did not start"
	finish
fi
make_rootfs rootfs
tar -C rootfs -c . | D import - sentry-oci-test >/dev/null 2>err || { show err err; fail "docker import"; finish; }
RUN=(run --rm --runtime sentry --network none)

D "${RUN[@]}" sentry-oci-test sh -c 'echo hi; cat /etc/motd; exit 3' >out 2>err
rc=$?
[ "$rc" -eq 3 ] && [ "$(cat out)" = "$(printf 'hi\nfrom the image')" ] && pass "run --rm: output and exit code" ||
	{ fail "run rc $rc"; show out out; show err err; tail -5 dockerd.log; }
# the ptrace platform, chosen as with runsc: runtimeArgs in daemon.json
D run -d --runtime sentry-ptrace --network none --name pt sentry-oci-test sh -c 'echo up; sleep 30' >/dev/null 2>err
for _ in $(seq 50); do D logs pt 2>/dev/null | grep -q up && break; sleep 0.1; done
ptpid=$(D inspect -f '{{.State.Pid}}' pt 2>/dev/null)
D exec pt sh -c 'echo in; exit 4' >out 2>>err
rc=$?
tr '\0' ' ' <"/proc/$ptpid/cmdline" 2>/dev/null | grep -q -- "--platform=ptrace" && [ "$rc" -eq 4 ] && grep -qx in out &&
	pass "--runtime sentry-ptrace (runtimeArgs --platform=ptrace): its sentry ($ptpid) traces, exec answers" ||
	{ fail "the ptrace runtime (pid $ptpid, exec rc $rc)"; show out out; show err err; }
D rm -f pt >/dev/null 2>&1
D "${RUN[@]}" sentry-oci-test sh -c 'echo changed >/etc/motd; cat /etc/motd' >out 2>err
[ "$(cat out)" = changed ] || { fail "the container could not change its own files"; show out out; show err err; }
D "${RUN[@]}" sentry-oci-test cat /etc/motd >out 2>err
[ "$(cat out)" = "from the image" ] && pass "a new container sees the image as it was" || { fail "image changed"; show out out; }
D "${RUN[@]}" --hostname dockbox sentry-oci-test sh -c 'hostname; cat /etc/hostname' >out 2>err
[ "$(cat out)" = "$(printf 'dockbox\ndockbox')" ] && pass "hostname and the /etc/hostname docker binds" ||
	{ fail "hostname"; show out out; show err err; }

mkdir vol
echo "from the host" >vol/in
D "${RUN[@]}" -v "$T/vol:/data" sentry-oci-test sh -c 'cat /data/in; echo "from inside" >/data/out' >out 2>err
[ "$(cat out)" = "from the host" ] && [ "$(cat vol/out 2>/dev/null)" = "from inside" ] && pass "-v: a rw volume" ||
	{ fail "rw volume"; show out out; show err err; }
D "${RUN[@]}" -v "$T/vol:/data:ro" sentry-oci-test sh -c 'cat /data/in; echo x >/data/ro' >out 2>err
rc=$?
[ "$rc" -ne 0 ] && [ ! -e vol/ro ] && grep -q "Read-only file system" err && pass "-v :ro: writes fail with EROFS" ||
	{ fail "ro volume rc $rc"; show err err; ls vol; }

# -t without -i: containerd's shim reads create's output to its end before
# it takes the pty, so the sentry must not hold it
D "${RUN[@]}" -t sentry-oci-test sh -c '[ -t 0 ] && [ -t 1 ] && echo terminal; tty; exit 4' </dev/null >out 2>err
rc=$?
[ "$rc" -eq 4 ] && grep -q "^terminal" out && grep -q "^/dev/pts/0" out && pass "-t: a terminal inside, the exit code" ||
	{ fail "-t rc $rc"; show out out; show err err; }
# A command whose output differs from its own echo: the typed line may be
# echoed before the shell is ready, and the shell must still run it. (It
# read a line with `read x` before, which waited for an EOF from script
# that a shell not yet started could miss.)
printf 'echo "got $((6 * 7))"; exit 4\n' >typed
timeout -k 2 30 script -qec "$DOCKER -H unix://$T/docker.sock ${RUN[*]} -it sentry-oci-test sh" /dev/null <typed >out 2>err
rc=$?
[ "$rc" -eq 4 ] && grep -q "^got 42" out && pass "-it: typed input through the pty, its status" ||
	{ fail "-it rc $rc"; show out out; show err err; }

D "${RUN[@]}" sentry-oci-test sh -c 'nc -w 1 127.0.0.1 1 </dev/null; echo "rc $?"' >out 2>err
grep -q "^rc 1" out && pass "--network none: nothing listens" || { fail "network none"; show out out; show err err; }

# A bridge network of Docker's: its prestart hook configures the network
# namespace of the state's pid, the sentry's, which sentry-runc makes for
# the container; the host's own namespace must not get the address.
if D network create -d bridge sentry-test-net >/dev/null 2>err; then
	D run -d --runtime sentry --network sentry-test-net --name srv sentry-oci-test \
		sh -c 'echo hello over the bridge | nc -l -p 8080' >/dev/null 2>err
	ip=$(D inspect -f '{{(index .NetworkSettings.Networks "sentry-test-net").IPAddress}}' srv 2>/dev/null)
	D "${RUN[@]/none/sentry-test-net}" sentry-oci-test sh -c \
		"for i in 1 2 3 4 5 6 7 8 9 10; do nc -w 2 $ip 8080 </dev/null && break; sleep 0.3; done" >out 2>>err
	[ -n "$ip" ] && grep -qx "hello over the bridge" out && ! ip -o addr | grep -q " $ip/" &&
		pass "a bridge network: one container reaches another at its address" ||
		{ fail "bridge network ($ip)"; show out out; show err err; }
	D rm -f srv >/dev/null 2>&1
	# -p: docker-proxy on the host's loopback forwards to the container's
	# address, where the workload listens in the container's namespace
	port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	D run -d --runtime sentry --network sentry-test-net -p "127.0.0.1:$port:8080" --name pub sentry-oci-test \
		sh -c 'while :; do echo published | nc -l -p 8080; done' >/dev/null 2>err
	got=
	for _ in $(seq 30); do
		got=$(timeout 3 /usr/bin/python3 -c 'import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2)
print(s.makefile().readline().strip())' "$port" 2>/dev/null) && [ -n "$got" ] && break
		sleep 0.3
	done
	[ "$got" = published ] && pass "-p 127.0.0.1:$port:8080: the host reaches the workload's listener" ||
		{ fail "-p: got '$got'"; show err err; }
	D rm -f pub >/dev/null 2>&1
	D network rm sentry-test-net >/dev/null 2>&1
else
	fail "docker network create"; show err err
fi

id=$(D run -d --runtime sentry --network none sentry-oci-test sh -c \
	'echo inside >/tmp/mark; trap "echo got TERM; exit 5" TERM; echo up; while :; do sleep 0.1; done' 2>err)
for _ in $(seq 50); do D logs "$id" 2>/dev/null | grep -q up && break; sleep 0.1; done
[ "$(D inspect -f '{{.State.Running}}' "$id" 2>/dev/null)" = true ] && pass "-d: running" || { fail "-d"; show err err; }
if sentry_has --control=; then
	D exec -e X=1 -w /tmp "$id" sh -c 'echo "$(cat mark) $X $(pwd)"; exit 6' >out 2>err
	rc=$?
	[ "$rc" -eq 6 ] && [ "$(cat out)" = "inside 1 /tmp" ] && pass "exec: the running container's files, env, cwd, status" ||
		{ fail "exec rc $rc"; show out out; show err err; }
	D exec -t "$id" tty >out 2>err
	grep -q "^/dev/pts/[0-9]*.$" out && pass "exec -t: a pty of the sandbox's own" || { fail "exec -t"; show out out; show err err; }
	# -i as well: the shim copies what is typed into the pty only once
	# exec returns, so the command must not hold exec's output
	timeout -k 2 30 script -qec "$DOCKER -H unix://$T/docker.sock exec -it $id sh" /dev/null <typed >out 2>err
	rc=$?
	[ "$rc" -eq 4 ] && grep -q "^got 42" out && pass "exec -it: typed input through the pty, its status" ||
		{ fail "exec -it rc $rc"; show out out; show err err; }
fi
D stop -t 10 "$id" >/dev/null 2>err
code=$(D inspect -f '{{.State.ExitCode}}' "$id" 2>/dev/null)
[ "$code" = 5 ] && D logs "$id" 2>&1 | grep -q "got TERM" && pass "stop: SIGTERM reaches the workload, its exit code" ||
	{ fail "stop: exit code $code"; D logs "$id"; show err err; }
D rm "$id" >/dev/null 2>&1

if sentry_has --pids-limit=; then
	D "${RUN[@]}" --pids-limit 8 sentry-oci-test sh -c 'for i in 1 2 3 4 5 6 7 8 9 10 11 12; do sleep 2 & done 2>/dev/null; wait; echo done' >out 2>err
	grep -q "reached --pids-limit=8\|can't fork" err && pass "--pids-limit holds" || { fail "--pids-limit"; show out out; show err err; }
fi
if sentry_has --process-memory=; then
	D "${RUN[@]}" --memory 32m sentry-oci-test sh -c 'x=$(head -c 100000000 /dev/zero | tr "\0" a); echo survived' >out 2>err
	rc=$?
	[ "$rc" -eq 137 ] && ! grep -q survived out && pass "--memory: the workload is killed past it" ||
		{ fail "--memory rc $rc"; show out out; show err err; }
fi
finish
