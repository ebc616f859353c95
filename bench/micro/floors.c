/* The bare cost of catching one system call, without the sentry: getppid
 * in a loop, and what a filter adds to it.
 *   native           no filter
 *   allow            a filter that allows everything
 *   unotify          SECCOMP_RET_USER_NOTIF; a supervisor process receives
 *                    and replies at once
 *   unotify-sync     the same with SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
 *   unotify-pinned   both processes pinned to one CPU
 *   unotify-stat     unotify-sync plus what the sentry adds to an emulated
 *                    stat besides its handler: a poll of the listener
 *                    before each receive, one process_vm_readv of a 64-byte
 *                    path and one process_vm_writev of a struct stat
 *   ptrace           SECCOMP_RET_TRACE; the tracer continues at once
 *   ptrace-pinned    both pinned to one CPU
 * One line per floor: "floor=NAME ns=MEDIAN min=MIN max=MAX rounds=R
 * calls=N". Arguments select floors; none runs them all. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "measure.h"

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP 1
#endif

#if defined(__x86_64__)
#define THIS_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define THIS_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

/* The last call of a measuring child: getppid with this argument. */
#define DONE_MAGIC 0x5e47c0deUL

static void call_getppid(void) { syscall(SYS_getppid); }

static void die(const char *what)
{
	out("floors: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Read and written in the measuring child by unotify-stat (a fork: the
 * same addresses there). */
static char stat_path[64] = "/usr/lib/locale/C.utf8/LC_MESSAGES/SYS_LC_MESSAGES";
static struct stat stat_result;

/* The copies of an emulated stat: the path in, the struct stat out. */
static void copy_like_stat(pid_t pid)
{
	char path[sizeof(stat_path)];
	struct stat st;
	memset(&st, 0, sizeof(st));
	struct iovec local = { path, sizeof(path) }, remote = { stat_path, sizeof(stat_path) };
	if (process_vm_readv(pid, &local, 1, &remote, 1, 0) != (ssize_t)sizeof(path))
		die("process_vm_readv");
	local = (struct iovec){ &st, sizeof(st) };
	remote = (struct iovec){ &stat_result, sizeof(stat_result) };
	if (process_vm_writev(pid, &local, 1, &remote, 1, 0) != (ssize_t)sizeof(st))
		die("process_vm_writev");
}

/* getppid -> action, everything else allowed. Returns the seccomp() result. */
static int install_filter(unsigned action, unsigned flags)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, THIS_AUDIT_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, action),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		die("PR_SET_NO_NEW_PRIVS");
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
}

static void pin_to_cpu0(void)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set) != 0)
		die("sched_setaffinity");
}

static void unpin(void)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	for (int i = 0; i < CPU_SETSIZE; i++)
		CPU_SET(i, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* In a measuring child: the rounds, written to fd as doubles. */
static void child_measure(int fd, int rounds, unsigned round_ms)
{
	double v[MAX_ROUNDS + 1];
	uint64_t n = 0;
	measure(call_getppid, rounds, round_ms, v, &n);
	v[rounds] = (double)n;
	if (write(fd, v, sizeof(double) * (size_t)(rounds + 1)) < 0)
		_exit(1);
	syscall(SYS_getppid, DONE_MAGIC);
	_exit(0);
}

static void report(const char *name, int fd, int rounds)
{
	double v[MAX_ROUNDS + 1];
	size_t want = sizeof(double) * (size_t)(rounds + 1);
	if (read(fd, v, want) != (ssize_t)want) {
		out("floor=%s error=no-result\n", name);
		return;
	}
	double med = median(v, rounds);
	out("floor=%s ns=%.1f min=%.1f max=%.1f rounds=%d calls=%llu\n", name, med, v[0],
	    v[rounds - 1], rounds, (unsigned long long)v[rounds]);
}

static int reap(pid_t pid)
{
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static void run_native(const char *name, int rounds, unsigned round_ms, int with_filter)
{
	int p[2];
	if (pipe(p) != 0)
		die("pipe");
	pid_t pid = fork();
	if (pid == 0) {
		if (with_filter && install_filter(SECCOMP_RET_ALLOW, 0) != 0)
			die("seccomp");
		child_measure(p[1], rounds, round_ms);
	}
	reap(pid);
	report(name, p[0], rounds);
	close(p[0]);
	close(p[1]);
}

static void run_unotify(const char *name, int rounds, unsigned round_ms, int sync, int pinned, int stat_like)
{
	int p[2], q[2];
	if (pipe(p) != 0 || pipe(q) != 0)
		die("pipe");
	if (pinned)
		pin_to_cpu0();
	pid_t pid = fork();
	if (pid == 0) {
		int listener = install_filter(SECCOMP_RET_USER_NOTIF, SECCOMP_FILTER_FLAG_NEW_LISTENER);
		if (listener < 0)
			die("seccomp(NEW_LISTENER)");
		if (write(q[1], &listener, sizeof(listener)) < 0)
			_exit(1);
		child_measure(p[1], rounds, round_ms);
	}
	int child_fd;
	if (read(q[0], &child_fd, sizeof(child_fd)) != sizeof(child_fd))
		die("listener number");
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	int listener = pidfd < 0 ? -1 : (int)syscall(SYS_pidfd_getfd, pidfd, child_fd, 0);
	if (listener < 0)
		die("pidfd_getfd");
	if (sync && ioctl(listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) != 0) {
		out("floor=%s error=%s\n", name, strerror(errno));
		kill(pid, SIGKILL);
		reap(pid);
		goto out;
	}
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	for (;;) {
		struct pollfd pfd = { listener, POLLIN, 0 };
		if (stat_like && poll(&pfd, 1, -1) < 0 && errno != EINTR)
			die("poll");
		memset(&req, 0, sizeof(req));
		if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) != 0) {
			if (errno == EINTR)
				continue;
			die("SECCOMP_IOCTL_NOTIF_RECV");
		}
		memset(&resp, 0, sizeof(resp));
		resp.id = req.id;
		resp.val = 1;
		if (stat_like && req.data.args[0] != DONE_MAGIC)
			copy_like_stat(pid);
		if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp) != 0 && errno != ENOENT)
			die("SECCOMP_IOCTL_NOTIF_SEND");
		if (req.data.args[0] == DONE_MAGIC)
			break;
	}
	reap(pid);
	report(name, p[0], rounds);
out:
	close(listener);
	close(pidfd);
	for (int i = 0; i < 2; i++) {
		close(p[i]);
		close(q[i]);
	}
	if (pinned)
		unpin();
}

static void run_ptrace(const char *name, int rounds, unsigned round_ms, int pinned)
{
	int p[2];
	if (pipe(p) != 0)
		die("pipe");
	if (pinned)
		pin_to_cpu0();
	pid_t pid = fork();
	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, 0, 0) != 0)
			die("PTRACE_TRACEME");
		raise(SIGSTOP);
		if (install_filter(SECCOMP_RET_TRACE, 0) != 0)
			die("seccomp");
		child_measure(p[1], rounds, round_ms);
	}
	int status;
	waitpid(pid, &status, 0);
	ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL);
	ptrace(PTRACE_CONT, pid, 0, 0);
	for (;;) {
		if (waitpid(pid, &status, 0) < 0) {
			if (errno == EINTR)
				continue;
			die("waitpid");
		}
		if (WIFEXITED(status) || WIFSIGNALED(status))
			break;
		int sig = 0;
		if (WIFSTOPPED(status) && status >> 8 != (SIGTRAP | (PTRACE_EVENT_SECCOMP << 8)))
			sig = WSTOPSIG(status);
		ptrace(PTRACE_CONT, pid, 0, sig);
	}
	report(name, p[0], rounds);
	close(p[0]);
	close(p[1]);
	if (pinned)
		unpin();
}

int main(int argc, char **argv)
{
	static const char *all[] = { "native", "allow", "unotify", "unotify-sync", "unotify-pinned",
				     "unotify-stat", "ptrace", "ptrace-pinned" };
	int rounds;
	unsigned round_ms;
	bench_params(&rounds, &round_ms);
	int n = argc > 1 ? argc - 1 : (int)(sizeof(all) / sizeof(all[0]));
	for (int i = 0; i < n; i++) {
		const char *f = argc > 1 ? argv[i + 1] : all[i];
		if (!strcmp(f, "native"))
			run_native(f, rounds, round_ms, 0);
		else if (!strcmp(f, "allow"))
			run_native(f, rounds, round_ms, 1);
		else if (!strcmp(f, "unotify"))
			run_unotify(f, rounds, round_ms, 0, 0, 0);
		else if (!strcmp(f, "unotify-sync"))
			run_unotify(f, rounds, round_ms, 1, 0, 0);
		else if (!strcmp(f, "unotify-pinned"))
			run_unotify(f, rounds, round_ms, 0, 1, 0);
		else if (!strcmp(f, "unotify-stat"))
			run_unotify(f, rounds, round_ms, 1, 0, 1);
		else if (!strcmp(f, "ptrace"))
			run_ptrace(f, rounds, round_ms, 0);
		else if (!strcmp(f, "ptrace-pinned"))
			run_ptrace(f, rounds, round_ms, 1);
		else
			out("floors: unknown floor %s\n", f);
	}
	return 0;
}
