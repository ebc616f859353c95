#!/bin/bash
# usage: podman.sh SENTRY_RUNC
# podman drives sentry-runc (--runtime): an image imported from a local
# busybox rootfs, never pulled; podman's storage in a temporary folder.
# Output and exit codes, volumes rw and ro, -t, -d then stop, --network
# none, exec, the sentry's lines in --runtime-flag log= with -t, and the
# limits once the sentry has them (podman_ops.sh: exec -t, pause, update).
. "$(dirname "$0")/lib.sh"
podman_setup

P "${RUN[@]}" localhost/sentry-oci-test sh -c 'echo hello; cat /etc/motd; exit 42' >out 2>err
rc=$?
[ "$rc" -eq 42 ] && [ "$(cat out)" = "$(printf 'hello\nfrom the image')" ] && pass "run --rm: output and exit code" ||
	{ fail "run rc $rc"; show out out; show err err; }
P "${RUN[@]}" localhost/sentry-oci-test sh -c 'echo changed >/etc/motd' >/dev/null 2>&1
P "${RUN[@]}" localhost/sentry-oci-test cat /etc/motd >out 2>err
[ "$(cat out)" = "from the image" ] && pass "a new container sees the image as it was" || { fail "image changed"; show out out; }
P "${RUN[@]}" --hostname podbox localhost/sentry-oci-test sh -c 'hostname; cat /etc/hostname' >out 2>err
[ "$(cat out)" = "$(printf 'podbox\npodbox')" ] && pass "hostname and the /etc/hostname podman binds" ||
	{ fail "hostname"; show out out; show err err; }

mkdir vol
echo "from the host" >vol/in
P "${RUN[@]}" -v "$T/vol:/data" localhost/sentry-oci-test sh -c 'cat /data/in; echo "from inside" >/data/out' >out 2>err
[ "$(cat out)" = "from the host" ] && [ "$(cat vol/out 2>/dev/null)" = "from inside" ] && pass "-v: a rw volume" ||
	{ fail "rw volume"; show out out; show err err; }
P "${RUN[@]}" -v "$T/vol:/data:ro" localhost/sentry-oci-test sh -c 'cat /data/in; echo x >/data/ro' >out 2>err
rc=$?
[ "$rc" -ne 0 ] && [ ! -e vol/ro ] && grep -q "Read-only file system" err && pass "-v :ro: writes fail with EROFS" ||
	{ fail "ro volume rc $rc"; show err err; ls vol; }

P "${RUN[@]}" -t localhost/sentry-oci-test sh -c '[ -t 0 ] && [ -t 1 ] && echo terminal; tty' </dev/null >out 2>err
grep -q "^terminal" out && grep -q "^/dev/pts/0" out && pass "-t: a terminal inside" || { fail "-t"; show out out; show err err; }
# With a terminal the sentry's own lines go to the runtime's --log (podman
# passes none to sentry-runc unless told: --runtime-flag), which outlasts
# run --rm: a denied mount is a JSON line there.
if sentry_has --log-format=; then
	P --runtime-flag "log=$T/runtime.log" --runtime-flag log-format=json "${RUN[@]}" -t localhost/sentry-oci-test \
		sh -c 'mount -t tmpfs none /mnt 2>/dev/null; echo "mount $?"' </dev/null >out 2>err
	python3 -c 'import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert any(l["level"] == "warning" and l["msg"].startswith("sentry: denied mount(") and l["time"] for l in lines), lines' \
		"$T/runtime.log" 2>err.log && grep -q "^mount 1" out &&
		pass "-t with --runtime-flag log=: the sentry's denial in the runtime log after run --rm" ||
		{ fail "-t: the denial in the runtime log"; show out out; show err err; show log "$T/runtime.log"; show err.log err.log; }
fi

P "${RUN[@]}" localhost/sentry-oci-test sh -c 'nc -w 1 127.0.0.1 1 </dev/null; echo "rc $?"' >out 2>err
grep -q "^rc 1" out && pass "--network none: nothing listens" || { fail "network none"; show out out; show err err; }

id=$(P "${RUN[@]/--rm/-d}" localhost/sentry-oci-test sh -c 'trap "echo got TERM; exit 5" TERM; echo up; while :; do sleep 0.1; done' 2>err)
for _ in $(seq 50); do P logs "$id" 2>/dev/null | grep -q up && break; sleep 0.1; done
P ps --format '{{.ID}}' | grep -q "^${id:0:12}" && pass "-d: running" || { fail "-d"; show err err; }
P stop -t 10 "$id" >/dev/null 2>err
code=$(P inspect "$id" --format '{{.State.ExitCode}}')
[ "$code" = 5 ] && P logs "$id" 2>&1 | grep -q "got TERM" && pass "stop: SIGTERM reaches the workload, its exit code" ||
	{ fail "stop: exit code $code"; P logs "$id"; show err err; }
P rm "$id" >/dev/null 2>&1

if sentry_has --control=; then
	id=$(P "${RUN[@]/--rm/-d}" localhost/sentry-oci-test sh -c 'echo inside >/tmp/mark; while :; do sleep 0.1; done' 2>err)
	for _ in $(seq 50); do P exec "$id" true 2>/dev/null && break; sleep 0.1; done
	P exec -e X=1 -w /tmp "$id" sh -c 'echo "$(cat mark) $X $(pwd)"; exit 6' >out 2>err
	rc=$?
	[ "$rc" -eq 6 ] && [ "$(cat out)" = "inside 1 /tmp" ] && pass "exec: the running container's files, env, cwd, status" ||
		{ fail "exec rc $rc"; show out out; show err err; }
	P rm -f -t 1 "$id" >/dev/null 2>&1
fi

if sentry_has --pids-limit=; then
	P "${RUN[@]}" --pids-limit 8 localhost/sentry-oci-test sh -c 'for i in 1 2 3 4 5 6 7 8 9 10 11 12; do sleep 2 & done 2>/dev/null; wait; echo done' >out 2>err
	grep -q "reached --pids-limit=8\|can't fork" err && pass "--pids-limit holds" || { fail "--pids-limit"; show out out; show err err; }
fi
# --tmpfs with a size, and a net.* sysctl in the sandbox's own network namespace
P "${RUN[@]}" --tmpfs /scratch:size=256k,mode=0700 --sysctl net.ipv4.ip_local_port_range="40000 40009" \
	localhost/sentry-oci-test sh -c 'df -k /scratch | tail -1; stat -c %a /scratch;
	head -c 1000000 /dev/zero >/scratch/f 2>/dev/null; stat -c %s /scratch/f; cat /proc/sys/net/ipv4/ip_local_port_range' >out 2>err
got=$(sed -E 's/ +/ /g' out)
want=$(printf 'tmpfs 256 0 256 0%% /scratch\n700\n262144\n40000\t40009')
[ "$got" = "$want" ] && pass "--tmpfs size=, mode= and --sysctl net.ipv4.ip_local_port_range" ||
	{ fail "--tmpfs size, --sysctl"; show out out; show err err; }
if sentry_has --process-memory=; then
	P "${RUN[@]}" --memory 32m localhost/sentry-oci-test sh -c 'x=$(head -c 100000000 /dev/zero | tr "\0" a); echo survived' >out 2>err
	rc=$?
	[ "$rc" -eq 137 ] && ! grep -q survived out && pass "--memory: the workload is killed past it" ||
		{ fail "--memory rc $rc"; show out out; show err err; }
fi
finish
