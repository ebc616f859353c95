#!/bin/bash
# usage: escape.sh SENTRY_RUNC ESCAPE_BIN [PLATFORM [FILTER]]
# The escape suite (tests/escape/run.sh) with every attempt run inside a
# container that podman starts through sentry-runc: a stand-in for sentry
# turns run.sh's "sentry --platform=P [--bind H:G[:ro]] -- CMD" into
# "podman run" of a busybox image with the workspace as a read-only
# volume. The host canaries stay outside the bundle; each must hold.
. "$(dirname "$0")/lib.sh"
ESCAPE_BIN=$(readlink -f "$2")
PLATFORMS=${3:-unotify ptrace}
FILTER=${4:-}
command -v podman >/dev/null || skip "no podman"
sentry_has --bind= || skip "the sentry has no --bind"
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$T" || exit 1
mkdir -p store run tmp bin
P=(podman --root "$T/store" --runroot "$T/run" --tmpdir "$T/tmp" --storage-driver vfs --cgroup-manager cgroupfs
	--events-backend file)
CLEANUP='"${P[@]}" rm -af -t 0 >/dev/null 2>&1'
make_rootfs rootfs
tar -C rootfs -c . | "${P[@]}" import - localhost/sentry-escape >/dev/null 2>&1 || { fail "podman import"; finish; }
nproc=$(ulimit -Hu)
[ "$nproc" = unlimited ] || [ "$nproc" -gt 2048 ] && nproc=2048
# the stand-in, with every path written in (run.sh's helpers may clear
# the environment)
{
	echo '#!/bin/bash'
	printf 'platform=unotify vols=()\n'
	printf 'while [ $# -gt 0 ]; do case $1 in --platform=*) platform=${1#*=} ;; --bind) vols+=(-v "$2"); shift ;; --) shift; break ;; esac; shift; done\n'
	printf 'exec'
	printf ' %q' "${P[@]}"
	printf ' run --rm -i --runtime %q --annotation dev.sentry.platform=$platform' "$RUNC"
	printf ' --network none --ulimit nofile=1024:1024 --ulimit nproc=%s:%s -v "$PWD:$PWD:ro" -w "$PWD" "${vols[@]}"' "$nproc" "$nproc"
	printf ' localhost/sentry-escape "$@"\n'
} >bin/sentry
chmod 755 bin/sentry
for platform in $PLATFORMS; do
	ESCAPE_BIN=$ESCAPE_BIN "$HERE/../escape/run.sh" "$T/bin/sentry" "$platform" $FILTER >"escape.$platform.log" 2>&1
	rc=$?
	if [ -n "$FILTER" ]; then cat "escape.$platform.log"; else grep -E "ESCAPED|passed, " "escape.$platform.log" | tail -5; fi
	[ "$rc" -eq 0 ] && pass "escape suite inside podman + sentry-runc ($platform)" ||
		{ fail "escape suite ($platform) rc $rc"; grep -B2 -A12 ESCAPED "escape.$platform.log" | head -60; }
done
finish
