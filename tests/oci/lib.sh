# Shared by the OCI runtime tests; sourced, never run.
# Arguments: SENTRY_RUNC. Needs root (the sentry's devpts and loopback, and
# podman's storage). Sets T, RUNC, and builds "$T/rootfs": busybox-static
# (Debian's, /bin/busybox) and its applets, no registry involved.
set -u
RUNC=$(readlink -f "$1")
FAILED=0
T=$(mktemp -d /tmp/sentry-oci.XXXXXX)
cleanup() {
	[ -n "${CLEANUP:-}" ] && eval "$CLEANUP"
	# what an engine left mounted under the folder (a container's shm)
	grep -o " $T[^ ]*" /proc/mounts | sort -r | while read -r m; do umount -l "$m"; done
	rm -rf "$T"
}
trap cleanup EXIT

fail() { echo "FAIL: $*"; FAILED=1; }
pass() { echo "ok: $*"; }
skip() { echo "SKIP: $*"; exit 77; }
show() {
	[ -s "$2" ] || return 0
	echo "--- $1 ---"
	head -30 "$2"
	echo "---"
}
finish() {
	[ "$FAILED" -eq 0 ] && { echo PASSED; exit 0; }
	echo FAILED
	exit 1
}

[ "$(id -u)" -eq 0 ] || skip "needs root"
BUSYBOX=/bin/busybox
file -L "$BUSYBOX" 2>/dev/null | grep -q "statically linked" || skip "no busybox-static ($BUSYBOX)"

# A rootfs: busybox and its applets, a passwd, an empty /tmp.
make_rootfs() {
	local r=$1 a
	mkdir -p "$r/bin" "$r/etc" "$r/tmp" "$r/proc" "$r/dev" "$r/sys" "$r/root"
	cp "$BUSYBOX" "$r/bin/busybox"
	for a in $("$BUSYBOX" --list); do
		[ "$a" = busybox ] || ln -sf busybox "$r/bin/$a"
	done
	echo "root:x:0:0:root:/root:/bin/sh" >"$r/etc/passwd"
	echo "root:x:0:" >"$r/etc/group"
	echo "from the image" >"$r/etc/motd"
}

# Whether the sentry beside sentry-runc has an option (some land later).
sentry_has() { "$(dirname "$RUNC")/sentry" --help | grep -q -- "$1"; }

# podman with its storage under $T, run through sentry-runc: P runs it,
# RUN holds `run --rm` and its flags, and localhost/sentry-oci-test is the
# busybox rootfs imported, never pulled.
podman_setup() {
	command -v podman >/dev/null || skip "no podman"
	sentry_has --bind= || skip "the sentry has no --bind (podman binds /etc/hosts, /etc/resolv.conf, /etc/hostname)"
	cd "$T" || exit 1
	mkdir -p store run tmp
	CLEANUP='P rm -af -t 0 >/dev/null 2>&1'
	# root here lacks CAP_SYS_RESOURCE: limits below the current hard ones
	local nproc
	nproc=$(ulimit -Hu)
	[ "$nproc" = unlimited ] || [ "$nproc" -gt 2048 ] && nproc=2048
	RUN=(run --rm --runtime "$RUNC" --network none --ulimit "nofile=1024:1024" --ulimit "nproc=$nproc:$nproc")
	make_rootfs rootfs
	tar -C rootfs -c . | P import - localhost/sentry-oci-test >/dev/null 2>err || { show err err; fail "podman import"; finish; }
}
P() {
	timeout -k 2 60 podman --root "$T/store" --runroot "$T/run" --tmpdir "$T/tmp" --storage-driver vfs \
		--cgroup-manager cgroupfs --events-backend file "$@"
}
