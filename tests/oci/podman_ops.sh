#!/bin/bash
# usage: podman_ops.sh SENTRY_RUNC
# podman managing running containers through sentry-runc: exec -t and
# -it (a pty of the sandbox's own), pause and unpause (the cgroup
# freezer) on both platforms, update.
. "$(dirname "$0")/lib.sh"
podman_setup
sentry_has --control= || skip "the sentry has no --control (exec)"

id=$(P "${RUN[@]/--rm/-d}" localhost/sentry-oci-test sh -c 'while :; do sleep 0.1; done' 2>err)
for _ in $(seq 50); do P exec "$id" true 2>/dev/null && break; sleep 0.1; done
P exec -t "$id" tty >out 2>err
grep -q "^/dev/pts/[0-9]*.$" out && pass "exec -t: a pty of the sandbox's own" || { fail "exec -t"; show out out; show err err; }
# -i as well: what is typed at a terminal reaches the command through the pty
echo hello >typed
script -qec "podman --root $T/store --runroot $T/run --tmpdir $T/tmp --storage-driver vfs --cgroup-manager cgroupfs \
	--events-backend file exec -it $id sh -c 'read x; echo \"got \$x\"; exit 4'" /dev/null <typed >out 2>err
rc=$?
[ "$rc" -eq 4 ] && grep -q "^got hello" out && pass "exec -it: input through the pty, the command's status" ||
	{ fail "exec -it rc $rc"; show out out; show err err; }
P rm -f -t 0 "$id" >/dev/null 2>&1

# pause and unpause: a counter the workload advances in a volume stops
# while frozen and moves again after; both platforms
mkdir -p count
for platform in unotify ptrace; do
	id=$(P "${RUN[@]/--rm/-d}" --annotation dev.sentry.platform=$platform -v "$T/count:/count" localhost/sentry-oci-test \
		sh -c 'i=0; while :; do i=$((i+1)); echo $i >/count/t; mv /count/t /count/n; done' 2>err)
	for _ in $(seq 50); do [ -s count/n ] && break; sleep 0.1; done
	P pause "$id" >/dev/null 2>err
	status=$(P inspect "$id" --format '{{.State.Status}}')
	a=$(cat count/n); sleep 0.5; b=$(cat count/n)
	P unpause "$id" >/dev/null 2>>err
	sleep 0.5; c=$(cat count/n)
	[ "$status" = paused ] && [ -n "$a" ] && [ "$a" = "$b" ] && [ "$c" != "$b" ] &&
		pass "pause/unpause ($platform): frozen, then running again" ||
		{ fail "pause/unpause ($platform): $status $a $b $c"; show err err; }
	if [ $platform = ptrace ]; then
		P pause "$id" >/dev/null 2>&1
		P rm -f -t 0 "$id" >/dev/null 2>err && ! P ps -a --format '{{.ID}}' | grep -q "^${id:0:12}" &&
			pass "rm -f of a paused container" || { fail "rm -f paused"; show err err; }
	fi
	P rm -f -t 0 "$id" >/dev/null 2>&1
	rm -f count/n
done

# update: the new limits reach the running container
if sentry_has --control=; then
	id=$(P "${RUN[@]/--rm/-d}" --memory 128m --pids-limit 100 localhost/sentry-oci-test sh -c 'while :; do sleep 0.1; done' 2>err)
	for _ in $(seq 50); do P exec "$id" true 2>/dev/null && break; sleep 0.1; done
	sentry=$(P inspect "$id" --format '{{.State.Pid}}')
	first=$(cut -d' ' -f1 "/proc/$sentry/task/$sentry/children")
	cg=$(grep -m1 ':memory:' "/proc/$first/cgroup" | cut -d: -f3)
	limit_file=/sys/fs/cgroup/memory$cg/memory.limit_in_bytes
	[ -e "$limit_file" ] || limit_file=/sys/fs/cgroup$(grep -m1 '^0::' "/proc/$first/cgroup" | cut -d: -f3)/memory.max
	P update --memory 48m "$id" >/dev/null 2>err
	[ "$(cat "$limit_file")" = $((48 << 20)) ] && pass "update --memory: the container's cgroup has the new limit" ||
		{ fail "update --memory: $(cat "$limit_file")"; show err err; }
	if podman update --help 2>/dev/null | grep -q -- --pids-limit; then
		P update --pids-limit 4 "$id" >/dev/null 2>err
		P exec "$id" sh -c 'for i in 1 2 3 4 5 6 7 8; do sleep 1 & done; wait' >out 2>&1
		grep -q "can't fork" out && pass "update --pids-limit: a fork past it fails" || { fail "update --pids-limit"; show out out; show err err; }
	fi
	P update --blkio-weight 300 "$id" >/dev/null 2>err && fail "update --blkio-weight accepted" ||
		{ grep -q "blockIO is not supported" err && pass "update of what is not supported: one line, a failure" ||
			{ fail "update --blkio-weight"; show err err; }; }
	P exec "$id" sh -c 'x=$(head -c 100000000 /dev/zero | tr "\0" a); echo survived' >out 2>err
	rc=$?
	[ "$rc" -ne 0 ] && ! grep -q survived out && pass "update --memory: an allocation past the new limit is killed" ||
		{ fail "memory past the update: rc $rc"; show out out; }
	P rm -f -t 0 "$id" >/dev/null 2>&1
fi

# cpuset: run --cpuset-cpus=0 keeps the workload on CPU 0, the kernel says
# (/proc/PID/status); update --cpuset-cpus 1 moves it to CPU 1
allowed() { grep '^Cpus_allowed_list:' "/proc/$1/status" | cut -f2; }
if sentry_has --cpuset-cpus= && taskset -pc $$ | grep -Eq ': (0-|0,1)'; then
	id=$(P "${RUN[@]/--rm/-d}" --cpuset-cpus=0 localhost/sentry-oci-test sh -c 'while :; do sleep 0.1; done' 2>err)
	sentry=$(P inspect "$id" --format '{{.State.Pid}}')
	first=
	for _ in $(seq 50); do
		first=$(cut -d' ' -f1 "/proc/$sentry/task/$sentry/children" 2>/dev/null)
		[ -n "$first" ] && [ "$(readlink "/proc/$first/exe")" != "$(readlink "/proc/$sentry/exe")" ] && break
		sleep 0.1
	done
	[ -n "$first" ] && [ "$(allowed "$first")" = 0 ] && pass "run --cpuset-cpus=0: the workload may run on CPU 0 only" ||
		{ fail "run --cpuset-cpus=0: '$(allowed "$first")'"; show err err; }
	P update --cpuset-cpus 1 "$id" >/dev/null 2>err
	[ "$(allowed "$first")" = 1 ] && pass "update --cpuset-cpus 1: the workload moves to CPU 1" ||
		{ fail "update --cpuset-cpus 1: '$(allowed "$first")'"; show err err; }
	P rm -f -t 0 "$id" >/dev/null 2>&1
else
	echo "note: no --cpuset-cpus, or CPUs 0 and 1 are not both ours: cpuset not tried"
fi

finish
