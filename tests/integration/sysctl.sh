#!/bin/bash
# usage: sysctl.sh SENTRY PLATFORM
# --sysctl: IPC values shown in the sandbox's /proc/sys; a net.* key set in
# the sandbox's own network namespace (its sockets take ephemeral ports in
# the range given) and shown there, the host's value unchanged; a key the
# sandbox does not emulate, or a value the kernel refuses, is one line and
# exit status 125.
set -u
SENTRY=$(readlink -f "$1") PLATFORM=$2
FAILED=0
fail() { echo "FAIL: $*"; FAILED=1; }
pass() { echo "ok: $*"; }
sandbox() { timeout -k 2 30 "$SENTRY" --platform="$PLATFORM" --no-workspace "$@"; }
cd /tmp || exit 1
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: a network namespace the sentry enters needs root"
	exit 77
fi

host_range=$(cat /proc/sys/net/ipv4/ip_local_port_range)
out=$(sandbox --sysctl=kernel.shmmax=1048576 --sysctl='kernel.sem=250 32000 100 128' \
	--sysctl='net.ipv4.ip_local_port_range=40000 40009' -- /usr/bin/python3 -c '
import socket
for f in ("kernel/shmmax", "kernel/sem", "kernel/msgmni", "net/ipv4/ip_local_port_range"):
    print(f, open("/proc/sys/" + f).read().strip().split())
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen()
c = socket.create_connection(l.getsockname())
print("ports in range:", all(40000 <= s.getsockname()[1] <= 40009 for s in (l, c)))' 2>&1)
want="kernel/shmmax ['1048576']
kernel/sem ['250', '32000', '100', '128']
kernel/msgmni ['32000']
net/ipv4/ip_local_port_range ['40000', '40009']
ports in range: True"
[ "$out" = "$want" ] && pass "IPC values shown, the port range applied in the sandbox's namespace" ||
	fail "$(printf 'got\n%s\nwanted\n%s' "$out" "$want")"
[ "$(cat /proc/sys/net/ipv4/ip_local_port_range)" = "$host_range" ] && pass "the host's range unchanged" ||
	fail "the host's ip_local_port_range changed"

refused() {
	local what=$1 line=$2
	shift 2
	sandbox "$@" -- /bin/true >/dev/null 2>"$T"
	local rc=$?
	[ "$rc" -eq 125 ] && grep -qF -- "$line" "$T" && pass "$what: exit 125, one line" ||
		fail "$what: rc $rc, $(cat "$T")"
}
T=$(mktemp) && trap 'rm -f "$T"' EXIT
refused "a key not emulated" "--sysctl fs.file-max is not one the sandbox's /proc/sys emulates" --sysctl=fs.file-max=1000
refused "a net key the kernel lacks" "--sysctl net.ipv4.no_such_key: no such key" --sysctl=net.ipv4.no_such_key=1
refused "a value the kernel refuses" "--sysctl net.ipv4.ip_local_port_range=9 x: Invalid argument" \
	--sysctl='net.ipv4.ip_local_port_range=9 x'
refused "kernel.sem of one number" "--sysctl kernel.sem takes four numbers" --sysctl=kernel.sem=1
refused "the host's namespace" "is the host's, whose sysctls are not the sandbox's" --netns=/proc/self/ns/net \
	--sysctl=net.ipv4.tcp_fin_timeout=30
[ "$FAILED" -eq 0 ] && echo PASSED || echo FAILED
exit "$FAILED"
