/* Calls a sandbox must refuse. Natively (as root) most succeed or fail
 * for other reasons; the harness checks the answers given inside. */
#include <fcntl.h>
#include <limits.h>
#include <linux/io_uring.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "it.h"

/* A fork-like raw clone with extra flags; the child exits at once. */
static long clone_with(unsigned long flags)
{
	long r = syscall(SYS_clone, flags | SIGCHLD, 0, NULL, NULL, 0);
	if (r == 0)
		syscall(SYS_exit_group, 0);
	if (r > 0) {
		int status;
		waitpid((pid_t)r, &status, 0);
		return 0; /* a child was created: print 0, not its pid */
	}
	return r;
}

static long plain(long r)
{
	return r >= 0 ? 0 : r; /* fds and sizes vary: only success matters */
}

int main(void)
{
	char local[8], remote_buf[8] = "x";
	struct iovec lv = { local, sizeof(local) };
	struct iovec rv = { NULL, sizeof(remote_buf) }; /* NULL: harmless natively */
	struct io_uring_params up;
	memset(&up, 0, sizeof(up));

	CHECK("unshare(CLONE_NEWNS)", unshare(CLONE_NEWNS));
	CHECK("setns(-1, 0)", setns(-1, 0));
	CHECK("mount(tmpfs)", syscall(SYS_mount, "none", "/nonexistent/sentry-it", "tmpfs", 0, NULL));
	CHECK("umount2", syscall(SYS_umount2, "/nonexistent/sentry-it", 0));
	CHECK("bpf(-1)", syscall(SYS_bpf, -1, NULL, 0));
	CHECK("process_vm_readv(parent)", process_vm_readv(getppid(), &lv, 1, &rv, 1, 0));
	CHECK("process_vm_writev(parent)", process_vm_writev(getppid(), &lv, 1, &rv, 1, 0));
	CHECK("perf_event_open(NULL)", syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0));
	CHECK("userfaultfd(0)", plain(syscall(SYS_userfaultfd, 0)));
	CHECK("keyctl(-1)", syscall(SYS_keyctl, -1, 0, 0, 0, 0));
	CHECK("kexec_load(bad flags)", syscall(SYS_kexec_load, 0, 0, NULL, 0xdead0000UL));
	CHECK("io_uring_setup(1)", plain(syscall(SYS_io_uring_setup, 1, &up)));
	CHECK("clone3(NULL, 0)", syscall(SYS_clone3, NULL, 0));
	CHECK("clone(CLONE_NEWUSER)", clone_with(CLONE_NEWUSER));
	CHECK("clone(CLONE_NEWPID)", clone_with(CLONE_NEWPID));
	CHECK("clone(CLONE_NEWNS)", clone_with(CLONE_NEWNS));
	CHECK("clone(CLONE_NEWNET)", clone_with(CLONE_NEWNET));
	CHECK("clone(CLONE_UNTRACED)", clone_with(CLONE_UNTRACED));
	CHECK("ptrace(PTRACE_ATTACH, INT_MAX)", ptrace(PTRACE_ATTACH, INT_MAX, 0, 0));
	/* Late: natively this drops our privileges in the initial namespace. */
	CHECK("unshare(CLONE_NEWUSER)", plain(unshare(CLONE_NEWUSER)));
	/* Last: natively this makes the parent our tracer. */
	CHECK("ptrace(PTRACE_TRACEME)", ptrace(PTRACE_TRACEME, 0, 0, 0));
	say("still running\n");
	return 0;
}
