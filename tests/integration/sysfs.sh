#!/bin/bash
# usage: sysfs.sh SENTRY PLATFORM
# The sandbox's /sys: the CPU counts programs take from it (nproc, Python's
# os.cpu_count, node's os.cpus) are the native ones (nproc, which counts
# the CPUs a process may run on, says one under ptrace, which keeps the
# sandbox on one CPU unless --pin=off); it is read-only and
# holds nothing of the host's beyond what it shows (no /sys/class, an empty
# /sys/fs/cgroup).
set -u
SENTRY=$(readlink -f "$1") PLATFORM=$2
FAILED=0
fail() { echo "FAIL: $*"; FAILED=1; }
pass() { echo "ok: $*"; }
inside() { timeout -k 2 30 "$SENTRY" --platform="$PLATFORM" --no-workspace -- "$@" 2>/dev/null; }
cd /tmp || exit 1

check_same() {
	local what=$1 native inside_out
	shift
	native=$("$@" 2>&1)
	inside_out=$(inside "$@")
	[ -n "$native" ] && [ "$native" = "$inside_out" ] && pass "$what: $native" ||
		fail "$what: native '$native', inside '$inside_out'"
}
if [ "$PLATFORM" = ptrace ]; then
	# ptrace keeps the sandbox on one CPU unless --pin=off: nproc says so,
	# as natively under taskset
	out=$(inside nproc) one=$(taskset -c 0 nproc)
	[ "$out" = "$one" ] && pass "nproc under ptrace is taskset's one CPU: $out" ||
		fail "nproc under ptrace: '$out', natively under taskset -c 0: '$one'"
	inside() { timeout -k 2 30 "$SENTRY" --platform="$PLATFORM" --pin=off --no-workspace -- "$@" 2>/dev/null; }
fi
check_same nproc nproc
check_same "python3 os.cpu_count()" /usr/bin/python3 -c 'import os; print(os.cpu_count())'
if command -v node >/dev/null; then
	check_same "node os.cpus().length" node -e 'console.log(require("os").cpus().length)'
fi

out=$(inside /bin/sh -c 'touch /sys/x 2>&1; echo 0 2>&1 >/sys/devices/system/cpu/online; ls -A /sys/fs/cgroup | wc -l; ls -d /sys/class 2>&1; ls /sys')
want="touch: cannot touch '/sys/x': Read-only file system
/bin/sh: 1: cannot create /sys/devices/system/cpu/online: Read-only file system
0
ls: cannot access '/sys/class': No such file or directory
devices
fs
kernel"
[ "$out" = "$want" ] && pass "/sys read-only, an empty /sys/fs/cgroup, nothing else of the host's" ||
	fail "$(printf '/sys: got\n%s\nwanted\n%s' "$out" "$want")"
[ "$FAILED" -eq 0 ] && echo PASSED || echo FAILED
exit "$FAILED"
