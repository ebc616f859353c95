#!/bin/bash
# usage: runc.sh SENTRY_RUNC
# sentry-runc driven directly as an engine would: run, the create/start/
# state/kill/delete lifecycle, config.json's process fields, hooks, the
# console socket, a network namespace by path, python3 in an image, and
# a rootfs left as it was.
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
R() { timeout -k 2 30 "$RUNC" --root "$T/state" "$@"; }
B=$T/bundle
cd "$T" || exit 1
mkdir -p "$B"
make_rootfs "$B/rootfs"
cfg() { python3 "$HERE/config.py" "$B" "$@"; }

# run: output, exit code, the environment exactly as given, cwd, ids
cfg --env FOO=bar --hostname box -- /bin/sh -c 'echo "hello $FOO on $(hostname)"; exit 3'
R run --bundle "$B" c1 >out 2>err
rc=$?
[ "$rc" -eq 3 ] && grep -qx "hello bar on box" out && pass "run: output and exit status" ||
	{ fail "run: rc $rc"; show out out; show err err; }
cfg --env FOO=bar -- /bin/env
R run --bundle "$B" c1 >out 2>err
printf 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nTERM=xterm\nFOO=bar\n' >want
diff want out >/dev/null && pass "process.env exactly as given" || { fail "env differs"; show out out; show err err; }
cfg --cwd /srv/app --user 1000:1000:5,6 -- /bin/sh -c 'pwd; id'
R run --bundle "$B" c1 >out 2>err
[ "$(cat out)" = "$(printf '/srv/app\nuid=1000 gid=1000 groups=5,6')" ] && pass "process.cwd (made) and process.user" ||
	{ fail "cwd/user"; show out out; show err err; }
cfg --rlimit RLIMIT_NOFILE:100:"$(ulimit -Hn)" -- /bin/sh -c 'ulimit -n'
R run --bundle "$B" c1 >out 2>err
[ "$(cat out)" = 100 ] && pass "process.rlimits" || { fail "rlimits"; show out out; show err err; }

# writes to the rootfs live in memory and end with the container
cfg -- /bin/sh -c 'echo changed >/etc/motd; rm /bin/ls; cat /etc/motd'
R run --bundle "$B" c1 >out 2>err
cfg -- /bin/sh -c 'cat /etc/motd; ls /bin/ls'
R run --bundle "$B" c2 >out2 2>err
[ "$(cat out)" = changed ] && [ "$(cat out2)" = "$(printf 'from the image\n/bin/ls')" ] &&
	[ "$(cat "$B/rootfs/etc/motd")" = "from the image" ] && pass "rootfs pristine between containers" ||
	{ fail "rootfs changed"; show first out; show second out2; }

# the bundle's mqueue mount at /dev/mqueue lists the container's own queues
MQTOOL=$(dirname "$RUNC")/tests/mqueue/mqtool
if [ -x "$MQTOOL" ]; then
	cfg --mount "bind:$(dirname "$MQTOOL"):/mq:ro" -- /bin/sh -c \
		'/mq/mqtool create /q; ls /dev/mqueue; cut -c1-7 /dev/mqueue/q; rm /dev/mqueue/q; /mq/mqtool open /q; grep -c "^mqueue /dev/mqueue mqueue" /proc/mounts'
	R run --bundle "$B" c1 >out 2>err
	[ "$(cat out)" = "$(printf 'create /q: ok\nq\nQSIZE:0\nopen /q: ENOENT\n1')" ] &&
		pass "the mqueue mount: the container's own queues at /dev/mqueue" || { fail "mqueue mount"; show out out; show err err; }
fi

cfg --readonly -- /bin/sh -c 'echo x >/etc/motd || echo refused; echo y >/tmp/t && cat /tmp/t'
R run --bundle "$B" c1 >out 2>err
[ "$(cat out)" = "$(printf 'refused\ny')" ] && grep -q "Read-only file system" err && pass "root.readonly: EROFS, /tmp still writable" ||
	{ fail "root.readonly"; show out out; show err err; }

# a tmpfs mount's size= and mode=, and linux.sysctl in the sandbox's /proc/sys
cfg --mount tmpfs:tmpfs:/scratch:nosuid,nodev,size=256k,mode=0700 --sysctl kernel.shmmax=1048576 \
	--sysctl net.ipv4.ping_group_range="0 0" --sysctl net.ipv4.ip_local_port_range="40000 40009" -- /bin/sh -c \
	'stat -c %a /scratch; df -k /scratch | tail -1; dd if=/dev/zero of=/scratch/f bs=64k count=8 2>&1 | grep -c "No space left"; stat -c %s /scratch/f; cat /proc/sys/kernel/shmmax /proc/sys/net/ipv4/ip_local_port_range'
R run --bundle "$B" c1 >out 2>err
want=$(printf '700\ntmpfs 256 0 256 0%% /scratch\n1\n262144\n1048576\n40000\t40009')
got=$(sed -E 's/^(tmpfs) +([0-9]+) +([0-9]+) +([0-9]+) +([0-9]+%) +(.*)$/\1 \2 \3 \4 \5 \6/' out)
[ "$got" = "$want" ] && ! grep -q "not applied" err && pass "tmpfs size= and mode=, linux.sysctl" ||
	{ fail "tmpfs size, sysctl"; show out out; show err err; }
cfg --sysctl fs.mqueue.msg_max=20 -- /bin/true
R run --bundle "$B" c1 >out 2>err
rc=$?
[ "$rc" -ne 0 ] && grep -q "sysctl fs.mqueue.msg_max is not one the sandbox's /proc/sys emulates" err &&
	pass "linux.sysctl of a key not emulated: refused with one line" || { fail "sysctl refusal (rc $rc)"; show err err; }

# the lifecycle: nothing runs before start; pid file is the sentry's
cat >"$T/hook.sh" <<'HOOK'
#!/bin/sh
cat >"$1"
HOOK
chmod +x "$T/hook.sh"
cfg --hook "prestart:$T/hook.sh:$T/prestart.json" --hook "poststart:$T/hook.sh:$T/poststart.json" \
	--hook "poststop:$T/hook.sh:$T/poststop.json" -- /bin/sh -c 'echo started; exec sleep 30'
R create --bundle "$B" --pid-file "$T/pid" c3 >"$T/c3.out" 2>"$T/c3.err"
rc=$?
pid=$(cat "$T/pid" 2>/dev/null)
st=$(R state c3 2>&1)
if [ "$rc" -eq 0 ] && echo "$st" | grep -q '"status":"created"' && echo "$st" | grep -q "\"pid\":$pid," &&
	[ ! -s "$T/c3.out" ] && grep -q "^sentry" "/proc/$pid/comm"; then
	pass "create: created, the pid file names the sentry, nothing ran"
else
	fail "create rc $rc"; echo "$st"; show err "$T/c3.err"
fi
grep -q '"status":"created"' "$T/prestart.json" 2>/dev/null && grep -q "\"pid\":$pid" "$T/prestart.json" &&
	pass "prestart hook got the state on stdin" || { fail "prestart hook"; show prestart "$T/prestart.json"; }
R start c3
for _ in $(seq 50); do [ -s "$T/c3.out" ] && break; sleep 0.1; done
R state c3 | grep -q '"status":"running"' && grep -qx started "$T/c3.out" && pass "start: running" ||
	{ fail "start"; R state c3; show out "$T/c3.out"; }
grep -q '"status":"running"' "$T/poststart.json" 2>/dev/null && pass "poststart hook" || fail "poststart hook"
R ps --format json c3 | grep -q "^\[$pid," && pass "ps --format json lists the sentry and its processes" || fail "ps"
R list | grep -q "^c3 .* running" && pass "list" || fail "list"
R kill c3 TERM
for _ in $(seq 50); do R state c3 | grep -q '"status":"stopped"' && break; sleep 0.1; done
R state c3 | grep -q '"status":"stopped"' && pass "kill TERM: stopped" || { fail "kill"; R state c3; }
R delete c3 && [ ! -e "$T/state/c3" ] && pass "delete" || fail "delete"
grep -q '"status":"stopped"' "$T/poststop.json" 2>/dev/null && pass "poststop hook" || fail "poststop hook"
R state c3 >/dev/null 2>&1 && fail "state of a deleted container" || pass "state of a deleted container fails"

# a created container killed before start, a running one deleted by force
cfg -- /bin/sleep 30
R create --bundle "$B" c4 && R kill c4 KILL && sleep 0.3 && R state c4 | grep -q '"status":"stopped"' &&
	R delete c4 && pass "kill before start" || fail "kill before start"
# a plain SIGTERM to a created container's process (kill(1), a supervisor;
# `kill` turns it into SIGKILL) ends it, as runc's waiting init dies of it
R create --bundle "$B" c4t && c4t_pid=$(R state c4t | grep -o '"pid":[0-9]*' | cut -d: -f2) &&
	kill -TERM "$c4t_pid" && for _ in $(seq 50); do
		R state c4t 2>/dev/null | grep -q '"status":"stopped"' && break; sleep 0.1; done
R state c4t 2>/dev/null | grep -q '"status":"stopped"' && R delete c4t && pass "a plain SIGTERM before start stops it" ||
	{ fail "SIGTERM before start: $(R state c4t 2>&1)"; R delete --force c4t; }
R create --bundle "$B" c5 && R start c5 && ! R delete c5 2>/dev/null && R delete --force c5 &&
	[ ! -e "$T/state/c5" ] && pass "delete refuses a running container, --force ends it" || fail "delete --force"

# the console: a pty of the sandbox's own, its master sent to the socket
cfg --terminal -- /bin/sh -c '[ -t 0 ] && [ -t 1 ] && echo terminal; tty; stty size'
python3 - "$T/console.sock" "$RUNC" "$T/state" "$B" >out 2>err <<'PY'
import array, os, socket, subprocess, sys
path, runc, root, bundle = sys.argv[1:5]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path)
s.listen(1)
subprocess.run([runc, "--root", root, "create", "--bundle", bundle, "--console-socket", path, "c6"], check=True)
c, _ = s.accept()
fds = array.array("i")
_, anc, _, _ = c.recvmsg(64, socket.CMSG_LEN(4))
fds.frombytes(anc[0][2][:4])
subprocess.run([runc, "--root", root, "start", "c6"], check=True)
out = b""
while True:
    try:
        d = os.read(fds[0], 4096)
    except OSError:
        break
    if not d:
        break
    out += d
sys.stdout.write(out.decode().replace("\r", ""))
subprocess.run([runc, "--root", root, "delete", "--force", "c6"])
PY
[ "$(cat out)" = "$(printf 'terminal\n/dev/pts/0\n30 100')" ] && pass "--console-socket: a terminal of consoleSize" ||
	{ fail "console"; show out out; show err err; }

# With a terminal the sentry's own lines go to the runtime's --log in its
# format, beside sentry-runc's, while it runs, and stay there after
# delete (the state folder goes with it); without --log, to sentry.log.
if sentry_has --log-format=; then
	cfg --terminal -- /bin/sh -c 'mount -t tmpfs none /mnt 2>/dev/null; echo "mount $?"'
	for format in json text; do
		rm -f "$T/tlog"
		python3 - "$T/console.sock" "$RUNC" "$T/state" "$B" "$T/tlog" "$format" >out 2>err <<'PY'
import array, os, socket, subprocess, sys
path, runc, root, bundle, log, fmt = sys.argv[1:7]
runc = [runc, "--root", root, "--log", log, "--log-format", fmt]
if os.path.exists(path):
    os.unlink(path)
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path)
s.listen(1)
subprocess.run(runc + ["create", "--bundle", bundle, "--console-socket", path, "c6l"], check=True)
c, _ = s.accept()
fds = array.array("i")
_, anc, _, _ = c.recvmsg(64, socket.CMSG_LEN(4))
fds.frombytes(anc[0][2][:4])
subprocess.run(runc + ["start", "c6l"], check=True)
out = b""
while True:
    try:
        d = os.read(fds[0], 4096)
    except OSError:
        break
    if not d:
        break
    out += d
sys.stdout.write(out.decode().replace("\r", ""))
print("while running:", "denied mount" in open(log).read())
subprocess.run(runc + ["delete", "--force", "c6l"])
PY
		if [ "$format" = json ]; then
			python3 -c 'import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert any(l["level"] == "warning" and l["msg"].startswith("sentry: denied mount(") and l["time"] for l in lines), lines' \
				"$T/tlog" 2>>err
		else
			grep -q '^time="[^"]*" level=warning msg="sentry: denied mount(\\"none\\", \\"/mnt\\", \\"tmpfs\\"' "$T/tlog"
		fi
		rc=$?
		[ "$rc" -eq 0 ] && grep -qx "mount 1" out && grep -qx "while running: True" out && [ ! -e "$T/state/c6l" ] &&
			pass "--log-format $format with a terminal: the sentry's denial in the --log file while it runs, and after delete" ||
			{ fail "the sentry's lines in the --log file ($format)"; show out out; show err err; show log "$T/tlog"; }
	done
fi

# a network namespace by path: the workload's sockets are made there
if command -v unshare >/dev/null && touch "$T/netns" && unshare --net="$T/netns" true 2>/dev/null; then
	nsenter --net="$T/netns" ip link set lo up 2>/dev/null || nsenter --net="$T/netns" python3 -c 'import socket'
	nsenter --net="$T/netns" python3 -c '
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 7777)); s.listen(); print("ready", flush=True)
s.settimeout(20); c, _ = s.accept(); c.sendall(b"from the namespace\n")' >ns.out &
	for _ in $(seq 50); do [ -s ns.out ] && break; sleep 0.1; done
	cfg --netns "$T/netns" -- /bin/sh -c 'nc 127.0.0.1 7777 </dev/null'
	R run --bundle "$B" c7 >out 2>err
	grep -qx "from the namespace" out && pass "linux.namespaces network path" || { fail "netns"; show out out; show err err; }
	CLEANUP="umount '$T/netns' 2>/dev/null"
fi

# python3 from the host in an image of its own
if [ -x /usr/bin/python3 ]; then
	py=$(readlink -f /usr/bin/python3)
	ver=$(basename "$py")
	for lib in $(ldd "$py" | grep -o '/[^ ]*'); do
		mkdir -p "$B/rootfs$(dirname "$lib")"
		cp -L "$lib" "$B/rootfs$lib"
	done
	mkdir -p "$B/rootfs/usr/bin" "$B/rootfs/usr/lib"
	cp "$py" "$B/rootfs/usr/bin/python3"
	tar -C /usr/lib -c --exclude="$ver/test" --exclude="$ver/idlelib" --exclude="$ver/tkinter" \
		--exclude="$ver/lib2to3" --exclude="$ver/ensurepip" "$ver" | tar -C "$B/rootfs/usr/lib" -x
	cfg -- /usr/bin/python3 -c 'import json, os, sys; print(json.dumps({"python": sys.version_info[0], "cwd": os.getcwd()}))'
	R run --bundle "$B" py >out 2>err
	grep -qx '{"python": 3, "cwd": "/"}' out && pass "python3 in an image of its own" || { fail "python3"; show out out; show err err; }
fi

# what is not supported fails with one line
cfg --mount nfs:server:/mnt -- /bin/true
R run --bundle "$B" c8 >out 2>err && fail "an nfs mount was accepted" ||
	{ grep -q "mount of type nfs at /mnt is not supported" err && pass "an unsupported mount: one line, a failure" ||
		{ fail "unsupported mount line"; show err err; }; }
if sentry_has --control=; then
	cfg -- /bin/sh -c 'echo inside >/tmp/mark; exec sleep 30'
	R run -d --bundle "$B" c9 </dev/null >/dev/null 2>&1
	for _ in $(seq 50); do R state c9 | grep -q '"status":"running"' && break; sleep 0.1; done
	sleep 0.3
	R exec --cwd /tmp --env X=1 c9 /bin/sh -c 'echo "$(cat mark) $X $(pwd)"; exit 4' >out 2>err
	rc=$?
	[ "$rc" -eq 4 ] && [ "$(cat out)" = "inside 1 /tmp" ] && pass "exec: a command in the running sandbox, its status" ||
		{ fail "exec rc $rc"; show out out; show err err; }
	R exec -t c9 true 2>err && fail "exec -t without a console socket accepted" ||
		{ grep -q "needs --console-socket" err && pass "exec -t without --console-socket: one line"; }
	R pause c9 2>err && fail "pause without a cgroup accepted" ||
		{ grep -q "has no cgroup of its own" err && pass "pause of a container without a cgroup: one line, a failure" ||
			{ fail "pause without a cgroup"; show err err; }; }
	R delete --force c9

	# a cgroup of its own: update, pause and resume, exec -t; on ptrace
	# (podman_ops.sh and containerd.sh have them on user-notify)
	cg=/sentry-oci-test-$$
	cfg --cgroups-path "$cg" --pids 50 --annotation dev.sentry.platform=ptrace -- /bin/sh -c 'exec sleep 60'
	R run -d --bundle "$B" c10 </dev/null >/dev/null 2>&1
	for _ in $(seq 50); do R state c10 | grep -q '"status":"running"' && break; sleep 0.1; done
	sleep 0.3
	FORKS='for i in 1 2 3 4 5 6 7 8; do sleep 1 & done; wait; echo forked'
	R update --pids-limit 4 c10 2>err && R exec c10 /bin/sh -c "$FORKS" >out 2>&1
	grep -q "can't fork" out && pass "update --pids-limit: the sentry's count takes the new limit" ||
		{ fail "update --pids-limit"; show out out; show err err; }
	echo '{"pids": {"limit": 100}, "memory": {"limit": 67108864}}' | R update -r - c10 2>err &&
		R exec c10 /bin/sh -c "$FORKS" >out 2>&1
	grep -q forked out && ! grep -q "can't fork" out &&
		[ "$(cat /sys/fs/cgroup/memory$cg/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup$cg/memory.max)" = 67108864 ] &&
		pass "update -r - (JSON on stdin): pids to the sentry, memory into the cgroup" ||
		{ fail "update -r -"; show out out; show err err; }
	R update --blkio-weight 100 c10 2>err && fail "update --blkio-weight accepted" ||
		{ grep -q "blockIO is not supported" err && pass "update of what is not supported: one line, a failure" ||
			{ fail "update unsupported"; show err err; }; }
	R pause c10 && R state c10 | grep -q '"status":"paused"' && R exec c10 true 2>err; rc=$?
	[ "$rc" -ne 0 ] && grep -q "paused" err && R resume c10 && R state c10 | grep -q '"status":"running"' &&
		pass "pause: state paused, exec refused; resume: running" || { fail "pause/resume"; show err err; }
	python3 - "$T/exec.sock" "$RUNC" "$T/state" >out 2>err <<'PY'
import array, json, os, socket, subprocess, sys
path, runc, root = sys.argv[1:4]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path)
s.listen(1)
with open(path + ".json", "w") as f:
    json.dump({"terminal": True, "consoleSize": {"height": 24, "width": 90}, "cwd": "/", "env": ["PATH=/bin"],
               "user": {"uid": 0, "gid": 0}, "args": ["/bin/sh", "-c", "tty; stty size; read x; echo got $x"]}, f)
p = subprocess.Popen([runc, "--root", root, "exec", "--process", path + ".json", "--console-socket", path, "c10"])
c, _ = s.accept()
fds = array.array("i")
_, anc, _, _ = c.recvmsg(64, socket.CMSG_LEN(4))
fds.frombytes(anc[0][2][:4])
os.write(fds[0], b"typed\n")
out = b""
while True:
    try:
        d = os.read(fds[0], 4096)
    except OSError:
        break
    if not d:
        break
    out += d
print(p.wait())
sys.stdout.write(out.decode().replace("\r", ""))
PY
	grep -qx "/dev/pts/[0-9]*" out && grep -qx "24 90" out && grep -qx "got typed" out &&
		pass "exec with process.terminal: a pty of consoleSize, its master to --console-socket" ||
		{ fail "exec terminal"; show out out; show err err; }
	R pause c10 && R delete --force c10 && ! ls -d /sys/fs/cgroup/*"$cg" /sys/fs/cgroup"$cg" 2>/dev/null &&
		pass "delete --force of a paused container: ended, its cgroup removed" ||
		{ fail "delete --force paused"; ls -d /sys/fs/cgroup/*"$cg"; }
	for d in /sys/fs/cgroup/*"$cg" /sys/fs/cgroup"$cg"; do [ -d "$d" ] && rmdir "$d" 2>/dev/null; done

	# cgroup v2's freezer where the host is v1 with a unified hierarchy
	# beside (hybrid): that hierarchy at /sys/fs/cgroup in a mount
	# namespace of the test's own
	if [ ! -e /sys/fs/cgroup/cgroup.controllers ] && [ -e /sys/fs/cgroup/unified/cgroup.procs ] && command -v unshare >/dev/null; then
		mkdir -p count
		cfg --cgroups-path "$cg" --mount "bind:$T/count:/count" -- /bin/sh -c \
			'i=0; while :; do i=$((i+1)); echo $i >/count/t; mv /count/t /count/n; done'
		unshare -m --propagation private bash -c 'mount --bind /sys/fs/cgroup/unified /sys/fs/cgroup || exit 1
			R() { timeout -k 2 30 '"$RUNC"' --root '"$T"'/state "$@"; }
			R run -d --bundle '"$B"' c11 </dev/null >/dev/null 2>&1
			for _ in $(seq 50); do [ -s count/n ] && break; sleep 0.1; done
			R pause c11 && R state c11 | grep -q "\"status\":\"paused\"" || echo "not paused"
			grep -qx "frozen 1" /sys/fs/cgroup'"$cg"'/cgroup.events || echo "not frozen"
			a=$(cat count/n); sleep 0.5; b=$(cat count/n)
			R resume c11; sleep 0.5; c=$(cat count/n)
			echo "counts $a $b $c"
			R update --memory 64m c11 2>&1
			R pause c11; R delete --force c11
			[ -d /sys/fs/cgroup'"$cg"' ] && echo "cgroup left"' >out 2>&1
		read -r _ a b c < <(grep ^counts out)
		! grep -qE "not paused|not frozen|cgroup left" out && [ -n "$a" ] && [ "$a" = "$b" ] && [ "$c" != "$b" ] &&
			pass "cgroup v2 (the hybrid host's unified hierarchy): pause, resume, delete --force of a paused container" ||
			{ fail "cgroup v2 pause"; show out out; }
		grep -q "no memory cgroup of its own (no linux.cgroupsPath, or the controller is not enabled for it)" out &&
			pass "cgroup v2 update without the memory controller: one line" || { fail "v2 update line"; show out out; }
	fi
fi
cfg --mount nfs:server:/mnt -- /bin/true
timeout 10 "$RUNC" --root "$T/state" --log "$T/log.json" --log-format json run --bundle "$B" c8 >/dev/null 2>&1
python3 -c 'import json, sys
line = json.loads(open(sys.argv[1]).readline())
assert line["level"] == "error" and "nfs" in line["msg"] and line["time"]' "$T/log.json" 2>/dev/null &&
	pass "--log-format json: the error as a JSON line" || { fail "--log json"; show log "$T/log.json"; }
R features | python3 -c 'import json, sys; assert "poststop" in json.load(sys.stdin)["hooks"]' && pass "features" || fail "features"
finish
