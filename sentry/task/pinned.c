#define _GNU_SOURCE
/* A call run to its end before the loop collects any exit. */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dispatch.h"
#include "inject.h"
#include "pinned.h"
#include "sandbox.h"
#include "seccomp_compat.h"

static bool out_of_call(pid_t tid)
{
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)tid, &si, WEXITED | WSTOPPED | __WALL | WNOHANG | WNOWAIT) < 0)
		return errno != EINTR; /* ECHILD: gone */
	if (si.si_pid != 0)
		return true; /* any report: the task left the call */
	char state;
	pid_t ppid;
	return !host_pid_state(tid, &state, &ppid) || state == 'Z' || state == 'X';
}

/* User-notify: the sentry answers (with "continue", say) itself, then asks for a stop
 * that the task takes on its way back to user space, after the call, and
 * waits until the task reports something (left for the lifecycle, which
 * resumes an interrupt stop as any other) or is dead: a zombie leader whose
 * threads the sentry has not reaped yet reports nothing, hence no blocking
 * wait. */
static long answer_and_wait(struct task *caller, const struct seccomp_notif_resp *resp)
{
	if (ioctl(caller->sandbox->notify_fd, SECCOMP_IOCTL_NOTIF_SEND, resp) < 0)
		return -EINTR; /* the request is gone: interrupted or killed */
	caller->answered = true; /* the kernel's result is the caller's */
	if (ptrace(PTRACE_INTERRUPT, caller->tid, 0, 0) < 0)
		return 0;
	unsigned pause_us = 10;
	while (!out_of_call(caller->tid)) {
		usleep(pause_us);
		if (pause_us < 1000)
			pause_us *= 2;
	}
	return 0;
}

long run_pinned(struct task *caller, struct syscall_call *call)
{
	if (caller->notif_id) {
		struct seccomp_notif_resp resp = { .id = caller->notif_id, .flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE };
		return answer_and_wait(caller, &resp);
	}
	if (caller->stop_regs && !caller->injected)
		return inject_syscall(caller, call->nr, call->args);
	report_denial(caller, call, ENOSYS, "internal error: a checked pid call outside a stop");
	return -ENOSYS;
}

/* A target in the caller's own process or group named by a number that
 * could be freed meanwhile (another thread's tid, the group's id). On
 * ptrace, where the call can be changed, it names the same target by a
 * number that cannot be freed while the caller runs (its own process, or
 * 0 for its group as the kernel finds it when the call runs): an injected
 * call that kills its caller would hold the sentry waiting for a leader
 * whose other threads it has not reaped. */
bool call_can_be_changed(const struct task *caller)
{
	return !caller->notif_id && caller->stop_regs;
}

long run_pinned_own(struct task *task, struct syscall_call *call, pid_t same_target)
{
	if (!call_can_be_changed(task))
		return run_pinned(task, call);
	call->args[0] = (uint64_t)(uint32_t)same_target;
	call->action = CALL_CONTINUE_CHANGED;
	return 0;
}

long signal_own_process(struct task *caller, int sig)
{
	int pidfd = (int)syscall(SYS_pidfd_open, caller->tgid, 0);
	if (pidfd < 0)
		return -ESRCH;
	if (caller->notif_id) {
		/* answered 0 and stopped on its way back to user space, the caller
		 * takes the signal before its next instruction, as from the kernel */
		struct seccomp_notif_resp resp = { .id = caller->notif_id };
		if (answer_and_wait(caller, &resp) < 0) {
			close(pidfd);
			return -EINTR;
		}
	}
	long r = syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0 ? -errno : 0;
	close(pidfd);
	return caller->answered ? 0 : r;
}
