# Sourced by the syscall test scripts. Root is not held back by
# RLIMIT_NPROC, so a program that forks or execs without end natively
# would fill the machine's process table: its run goes into a pids cgroup
# (v1 or v2) whose limit it cannot pass. cap_make makes the group,
# cap_enter (in the subshell that runs the program) moves into it, and
# cap_release removes it once its processes have ended.
SC_PIDS_MAX=${SC_PIDS_MAX:-1024}
SC_CGROUP=

cap_make() {
	local base
	for base in /sys/fs/cgroup/pids /sys/fs/cgroup; do
		[ -w "$base" ] && [ -e "$base/cgroup.procs" ] || continue
		SC_CGROUP=$(mktemp -d "$base/sentry-sc.XXXXXX" 2>/dev/null) || continue
		[ -e "$SC_CGROUP/pids.max" ] && echo "$SC_PIDS_MAX" >"$SC_CGROUP/pids.max" && return 0
		rmdir "$SC_CGROUP" 2>/dev/null
		SC_CGROUP=
	done
	echo "note: no pids cgroup to cap the programs' processes" >&2
}

cap_enter() {
	[ -z "$SC_CGROUP" ] || echo "$BASHPID" >"$SC_CGROUP/cgroup.procs" || exit 125
}

cap_release() {
	[ -n "$SC_CGROUP" ] && rmdir "$SC_CGROUP" 2>/dev/null
	SC_CGROUP=
}
