#!/bin/bash
# usage: podman_rootless.sh SENTRY_RUNC
# Rootless podman drives sentry-runc: a user of the test's own, with
# subordinate id ranges (newuidmap and newgidmap of Debian's uidmap), runs
# podman with its storage under that user's temporary home; podman starts
# sentry-runc inside its user namespace, as its uid 0. Output and exit
# code, id inside, the user's volumes rw and ro, -t, the image unchanged,
# and the workload seen from outside: inside the sentry's seccomp filter,
# with the user's ids. The user and its ranges are removed at the end.
. "$(dirname "$0")/lib.sh"
command -v podman >/dev/null || skip "no podman"
command -v newuidmap >/dev/null && command -v newgidmap >/dev/null || skip "no newuidmap/newgidmap (Debian's uidmap)"
sentry_has --bind= || skip "the sentry has no --bind (podman binds /etc/hosts, /etc/hostname)"

USER_NAME=sentry-rootless
HOME_DIR=$T/home
remove_user() {
	# podman's pause process holds its user namespace: ours to end
	local pause
	pause=$(cat "$HOME_DIR/tmp/pause.pid" 2>/dev/null)
	[ -n "$pause" ] && kill "$pause" 2>/dev/null
	for _ in $(seq 20); do pgrep -u "$USER_NAME" >/dev/null || break; sleep 0.1; done
	userdel "$USER_NAME" 2>/dev/null
	sed -i "/^$USER_NAME:/d" /etc/subuid /etc/subgid 2>/dev/null
}
if id "$USER_NAME" >/dev/null 2>&1; then
	pgrep -u "$USER_NAME" >/dev/null && skip "user $USER_NAME exists and has processes (another run of this test?)"
	remove_user
fi
useradd -M -d "$HOME_DIR" -U -s /bin/sh "$USER_NAME" || { fail "useradd"; finish; }
CLEANUP='P rm -af -t 0 >/dev/null 2>&1; remove_user'
# useradd gives a new user ranges where login.defs says so; else our own
grep -q "^$USER_NAME:" /etc/subuid || usermod --add-subuids 1800000-1865535 "$USER_NAME"
grep -q "^$USER_NAME:" /etc/subgid || usermod --add-subgids 1800000-1865535 "$USER_NAME"
uid=$(id -u "$USER_NAME")
gid=$(id -g "$USER_NAME")

# Everything the user reaches: $T, its home, sentry-runc and the sentry
# beside it (the build folder may be one only root enters).
chmod 755 "$T"
cd "$T" || exit 1
mkdir -p "$T/bin" "$HOME_DIR/run"
cp "$RUNC" "$(dirname "$RUNC")/sentry" "$T/bin/"
chmod 755 "$T/bin" "$T/bin/"*
chmod 700 "$HOME_DIR/run"
chown -R "$USER_NAME:" "$HOME_DIR"
RUNC_USER=$T/bin/sentry-runc
as_user() { (cd "$HOME_DIR" && runuser -u "$USER_NAME" -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$HOME_DIR" \
	XDG_RUNTIME_DIR="$HOME_DIR/run" XDG_CONFIG_HOME="$HOME_DIR/.config" XDG_DATA_HOME="$HOME_DIR/.local/share" "$@"); }
P() {
	as_user timeout -k 2 60 podman --root "$HOME_DIR/store" --runroot "$HOME_DIR/runroot" --tmpdir "$HOME_DIR/tmp" \
		--storage-driver vfs --cgroup-manager cgroupfs --events-backend file "$@"
}

# What outside the project can stop it: the kernel's user namespaces.
if ! as_user unshare --user --map-root-user true 2>err; then
	show "unshare --user as $USER_NAME" err
	skip "$USER_NAME cannot make a user namespace (kernel.unprivileged_userns_clone=$(cat /proc/sys/kernel/unprivileged_userns_clone 2>/dev/null || echo absent), user.max_user_namespaces=$(cat /proc/sys/user/max_user_namespaces))"
fi

make_rootfs "$HOME_DIR/rootfs"
chown -R "$USER_NAME:" "$HOME_DIR/rootfs"
as_user sh -c 'cd rootfs && tar -c .' | P import - localhost/sentry-oci-test >/dev/null 2>err || { show err err; fail "podman import"; finish; }
RUN=(run --rm --runtime "$RUNC_USER" --network none)

P "${RUN[@]}" localhost/sentry-oci-test sh -c 'echo hello; cat /etc/motd; exit 42' >out 2>err
rc=$?
[ "$rc" -eq 42 ] && [ "$(cat out)" = "$(printf 'hello\nfrom the image')" ] && pass "run --rm as $USER_NAME: output and exit code" ||
	{ fail "run rc $rc"; show out out; show err err; }
[ -d "$HOME_DIR/run/sentry-runc" ] && pass "the containers' state under \$XDG_RUNTIME_DIR/sentry-runc" ||
	fail "no $HOME_DIR/run/sentry-runc"

P "${RUN[@]}" localhost/sentry-oci-test id >out 2>err
P "${RUN[@]}" --user 1000:1000 localhost/sentry-oci-test sh -c 'echo "$(id -u) $(id -g)"' >>out 2>>err
[ "$(cat out)" = "$(printf 'uid=0(root) gid=0(root)\n1000 1000')" ] && pass "id inside: process.user's ids" ||
	{ fail "id"; show out out; show err err; }

# the image stays as it was: a new container, and the container's rootfs
# on disk while one that wrote runs
P "${RUN[@]}" localhost/sentry-oci-test sh -c 'echo changed >/etc/motd' >/dev/null 2>&1
P "${RUN[@]}" localhost/sentry-oci-test cat /etc/motd >out 2>err
[ "$(cat out)" = "from the image" ] && pass "a new container sees the image as it was" || { fail "image changed"; show out out; }

mkdir "$HOME_DIR/vol"
echo "from the host" >"$HOME_DIR/vol/in"
chown -R "$USER_NAME:" "$HOME_DIR/vol"
P "${RUN[@]}" -v "$HOME_DIR/vol:/data" localhost/sentry-oci-test sh -c 'cat /data/in; echo "from inside" >/data/out; stat -c "%u %g" /data/in' >out 2>err
[ "$(cat out)" = "$(printf 'from the host\n0 0')" ] && [ "$(cat "$HOME_DIR/vol/out" 2>/dev/null)" = "from inside" ] &&
	[ "$(stat -c %u:%g "$HOME_DIR/vol/out")" = "$uid:$gid" ] &&
	pass "-v: the user's rw volume (its files root's inside, the user's outside)" ||
	{ fail "rw volume"; show out out; show err err; ls -ln "$HOME_DIR/vol"; }
P "${RUN[@]}" -v "$HOME_DIR/vol:/data:ro" localhost/sentry-oci-test sh -c 'cat /data/in; echo x >/data/ro' >out 2>err
rc=$?
[ "$rc" -ne 0 ] && [ ! -e "$HOME_DIR/vol/ro" ] && grep -q "Read-only file system" err && pass "-v :ro: writes fail with EROFS" ||
	{ fail "ro volume rc $rc"; show err err; ls "$HOME_DIR/vol"; }

P "${RUN[@]}" -t localhost/sentry-oci-test sh -c '[ -t 0 ] && [ -t 1 ] && echo terminal; tty' </dev/null >out 2>err
grep -q "^terminal" out && grep -q "^/dev/pts/0" out && pass "-t: a terminal inside" || { fail "-t"; show out out; show err err; }

# a sized tmpfs and a net.* sysctl: root of podman's user namespace, which
# owns the mount and network namespaces, is enough for both
P "${RUN[@]}" --tmpfs /scratch:size=256k,mode=0700 --sysctl net.ipv4.ip_local_port_range="40000 40009" \
	localhost/sentry-oci-test sh -c 'df -k /scratch | tail -1; stat -c %a /scratch;
	head -c 1000000 /dev/zero >/scratch/f 2>/dev/null; stat -c %s /scratch/f; cat /proc/sys/net/ipv4/ip_local_port_range' >out 2>err
got=$(sed -E 's/ +/ /g' out)
want=$(printf 'tmpfs 256 0 256 0%% /scratch\n700\n262144\n40000\t40009')
[ "$got" = "$want" ] && pass "--tmpfs size=, mode= and --sysctl net.ipv4.ip_local_port_range" ||
	{ fail "--tmpfs size, --sysctl"; show out out; show err err; }

# seen from outside: the sentry's child runs under its seccomp filter with
# no_new_privs, as the user (uid 0 inside); the container's rootfs on disk
# keeps the image's file while the workload has changed its own
id=$(P "${RUN[@]/--rm/-d}" localhost/sentry-oci-test sh -c 'echo changed >/etc/motd; echo up; while :; do sleep 0.1; done' 2>err)
sentry=$(P inspect "$id" --format '{{.State.Pid}}' 2>>err)
first=
for _ in $(seq 50); do
	first=$(cut -d' ' -f1 "/proc/$sentry/task/$sentry/children" 2>/dev/null)
	[ -n "$first" ] && [ "$(readlink "/proc/$first/exe")" != "$(readlink "/proc/$sentry/exe")" ] &&
		P logs "$id" 2>/dev/null | grep -q up && break
	sleep 0.1
done
status=$(cat "/proc/$first/status" 2>/dev/null)
echo "$status" | grep -q "^Seccomp:[[:space:]]*2" && echo "$status" | grep -q "^NoNewPrivs:[[:space:]]*1" &&
	echo "$status" | grep -Eq "^Uid:[[:space:]]+$uid[[:space:]]" && [ "$(readlink "/proc/$sentry/exe")" = "$T/bin/sentry" ] &&
	pass "the workload runs under the sentry, as $USER_NAME outside" ||
	{ fail "workload seen from outside (sentry $sentry, first $first)"; echo "$status" | grep -E "^(Name|Uid|Seccomp|NoNewPrivs)"; show err err; }
rootfs=$(tr '\0' '\n' <"/proc/$sentry/cmdline" | sed -n 's/^--rootfs=//p')
[ -n "$rootfs" ] && [ "$(cat "$rootfs/etc/motd")" = "from the image" ] && pass "the container's rootfs on disk is unchanged" ||
	fail "the container's rootfs '$rootfs' on disk: $([ -n "$rootfs" ] && cat "$rootfs/etc/motd" 2>&1)"
if sentry_has --control=; then
	P exec "$id" sh -c 'cat /etc/motd; exit 6' >out 2>err
	rc=$?
	[ "$rc" -eq 6 ] && [ "$(cat out)" = changed ] && pass "exec: the running container's files, its status" ||
		{ fail "exec rc $rc"; show out out; show err err; }
fi
P rm -f -t 0 "$id" >/dev/null 2>&1

# --userns=keep-id: podman asks for a user namespace whose mappings make the
# user's uid inside its own (podman's uid 0), the workload runs as it, and
# the user's files show as its own inside and are writable. Oracle: runc.
if sentry_has --id-map=; then
	keep_id='echo "$(id -u) $(id -g)"; stat -c "%u:%g %n" / /bin/busybox /data /data/in; echo more >>/data/in && touch /data/new && echo wrote'
	P run --rm --runtime "$RUNC_USER" --network none --userns=keep-id -v "$HOME_DIR/vol:/data" localhost/sentry-oci-test \
		sh -c "$keep_id" >out 2>err
	rc=$?
	host_new=$(stat -c %u:%g "$HOME_DIR/vol/new" 2>&1)
	rm -f "$HOME_DIR/vol/new"
	want=$(printf '%s\n' "$uid $gid" "0:0 /" "$uid:$gid /bin/busybox" "$uid:$gid /data" "$uid:$gid /data/in" wrote)
	if command -v runc >/dev/null && P run --rm --runtime /usr/bin/runc --network none --userns=keep-id -v "$HOME_DIR/vol:/data" \
		localhost/sentry-oci-test sh -c "$keep_id" >native 2>native.err; then
		want=$(cat native)
		rm -f "$HOME_DIR/vol/new"
	else
		echo "note: runc did not run it ($(tail -1 native.err)): compared with what Linux shows"
	fi
	[ "$rc" -eq 0 ] && [ "$(cat out)" = "$want" ] && [ "$host_new" = "$uid:$gid" ] &&
		pass "--userns=keep-id: the user's ids inside, its volume its own and writable (as under runc)" ||
		{ fail "--userns=keep-id rc $rc, new file $host_new"; show out out; echo "want: $want"; show err err; }
fi

# rootless podman's own network (slirp4netns, a namespace podman names by
# path): a port published on the host's loopback reaches the workload's
# listener; slirp4netns needs /dev/net/tun open to the user
if command -v slirp4netns >/dev/null && as_user sh -c 'exec 3<>/dev/net/tun' 2>/dev/null; then
	port=$((20000 + $$ % 20000))
	id=$(P run -d --runtime "$RUNC_USER" --network slirp4netns -p "127.0.0.1:$port:8080" localhost/sentry-oci-test \
		sh -c 'echo "from the listener" | nc -l -p 8080' 2>err)
	got=
	for _ in $(seq 50); do
		got=$("$BUSYBOX" nc -w 2 127.0.0.1 "$port" </dev/null 2>/dev/null) && [ -n "$got" ] && break
		sleep 0.2
	done
	[ "$got" = "from the listener" ] && pass "slirp4netns: -p reaches the workload's listener" ||
		{ fail "slirp4netns -p: '$got'"; show err err; P logs "$id"; }
	P rm -f -t 0 "$id" >/dev/null 2>&1
else
	echo "note: no slirp4netns, or /dev/net/tun is not open to $USER_NAME ($(stat -c %A /dev/net/tun 2>&1)): rootless network not tried"
fi

# Limits rootless podman drops on cgroup v1 ("not supported and ignored"),
# asked of sentry-runc itself in podman's user namespace (podman unshare):
# pids.limit is the sentry's own count, memory needs a cgroup and fails
# with one line.
if [ ! -e /sys/fs/cgroup/cgroup.controllers ] && sentry_has --pids-limit=; then
	bundle=$HOME_DIR/bundle
	mkdir -p "$bundle"
	cp -a "$HOME_DIR/rootfs" "$bundle/rootfs"
	"$RUNC" spec --bundle "$bundle"
	python3 - "$bundle/config.json" <<-'EOF'
	import json, sys
	c = json.load(open(sys.argv[1]))
	c["process"]["terminal"] = False
	c["process"]["args"] = ["sh", "-c", "for i in 1 2 3 4 5 6; do sleep 1 & done 2>/dev/null; wait; echo forked"]
	c["linux"]["resources"] = {"pids": {"limit": 4}}
	c["linux"]["cgroupsPath"] = "/sentry-rootless/pids"
	json.dump(c, open(sys.argv[1], "w"))
	c["linux"]["resources"] = {"memory": {"limit": 32 << 20}}
	json.dump(c, open(sys.argv[1] + ".memory", "w"))
	EOF
	chown -R "$USER_NAME:" "$bundle"
	P unshare "$RUNC_USER" run --bundle "$bundle" rootless-pids >out 2>err
	grep -q "reached --pids-limit=4" err && pass "rootless, cgroup v1: pids.limit holds (the sentry counts)" ||
		{ fail "rootless pids.limit"; show out out; show err err; }
	mv "$bundle/config.json.memory" "$bundle/config.json"
	P unshare "$RUNC_USER" run --bundle "$bundle" rootless-memory >out 2>err
	rc=$?
	[ "$rc" -ne 0 ] && grep -q "memory, cpu quota and cpuset need a cgroup" err && [ ! -s out ] &&
		pass "rootless, cgroup v1: a memory limit fails with one line" || { fail "rootless memory rc $rc"; show err err; }
fi
finish
