/* Emulated calls through seccomp user-notify; ptrace only for the task
 * lifecycle and for exec (SECCOMP_RET_TRACE). */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arch.h"
#include "control.h"
#include "deferred.h"
#include "dispatch.h"
#include "filter.h"
#include "platform.h"
#include "seccomp_compat.h"

static void reply(int notify_fd, const struct seccomp_notif *req, const struct syscall_call *call, long ret,
		  struct task *task)
{
	bool kernel_result = call->action == CALL_CONTINUE ||
			     (call->action == CALL_RETURN && ret == -SENTRY_ERESTARTSYS);
	task->kernel_ran_call = kernel_result && !task->answered ? call->nr + 1 : 0;
	if (task->answered) {
		/* an error too: a denial answered before its backtrace was taken */
		task->answered = false;
		if (call->action != CALL_RETURN)
			sentry_fatal("internal error: %s answered twice", syscall_name(call->nr));
		return;
	}
	struct seccomp_notif_resp resp = { .id = req->id };
	switch (call->action) {
	case CALL_CONTINUE:
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		break;
	case CALL_DEFERRED:
		return; /* deferred_serve answers it */
	case CALL_CONTINUE_CHANGED:
		/* user-notify cannot change arguments: such calls are trace rows */
		sentry_log("internal error: %s changed its arguments in a user-notify request; killing process %d",
			   syscall_name(call->nr), task->tgid);
		/* fall through */
	case CALL_KILL:
		kill(task->tgid, SIGKILL);
		resp.error = -ENOSYS;
		break;
	case CALL_RETURN:
		if (ret < 0 && ret >= -4095)
			resp.error = (int)ret;
		else
			resp.val = ret;
		break;
	}
	/* ENOENT: the task was interrupted or killed and no longer waits. */
	if (ioctl(notify_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0 && errno != ENOENT)
		sentry_fatal("cannot answer a user-notify request: %s", strerror(errno));
}

#ifdef __x86_64__
#include <sys/user.h>

#define KERNEL_ERESTARTSYS 512
#define KERNEL_ERESTARTNOINTR 513

/* At a signal-delivery stop, a call routed to the sentry that ends in
 * ERESTARTSYS was withdrawn by the kernel before the sentry received it,
 * unless the sentry left that call to the kernel (kernel_ran_call: which
 * may also be an earlier call of the same number that the task made with
 * no stop between; then the call keeps the kernel's ERESTARTSYS). A
 * withdrawn call gets ERESTARTNOINTR, which the kernel's signal code
 * restarts whatever SA_RESTART says. Returns whether the task is on its
 * way out of the call left to the kernel. */
static bool restart_withdrawn(struct task *task)
{
	struct user_regs_struct regs;
	if (ptrace(PTRACE_GETREGS, task->tid, 0, &regs) < 0)
		return false;
	long nr = (long)regs.orig_rax;
	if (nr < 0 || (long)regs.rax != -KERNEL_ERESTARTSYS)
		return false;
	if (task->kernel_ran_call == nr + 1)
		return true;
	/* without killable waits it may have been withdrawn after the sentry
	 * acted: the kernel's answer stands */
	if (filter_waits_killable() &&
	    filter_action_for(PLATFORM_UNOTIFY, syscall_lookup((int)nr)) == SCMP_ACT_NOTIFY) {
		regs.rax = (unsigned long long)-KERNEL_ERESTARTNOINTR;
		ptrace(PTRACE_SETREGS, task->tid, 0, &regs);
	}
	return false;
}
#else
/* aarch64 rewinds the call before the stop and decides on EINTR from a
 * copy of the result the tracer cannot change: the call keeps the
 * kernel's ERESTARTSYS (README: known differences). */
static bool restart_withdrawn(struct task *task)
{
	(void)task;
	return false;
}
#endif

void unotify_task_stopped(struct task *task, int status)
{
	int event = (unsigned)status >> 16;
	/* a group stop or an interrupt may come on the way out of a call */
	if (!WIFSTOPPED(status) || event == PTRACE_EVENT_STOP)
		return;
	bool signal_delivery = event == 0 && WSTOPSIG(status) != (SIGTRAP | 0x80);
	if (signal_delivery && restart_withdrawn(task))
		return;
	/* out of the call left to the kernel: a restart of it comes to the
	 * sentry again */
	task->kernel_ran_call = 0;
}

/* A task the sentry never reaped has no pid of its own in the books: its
 * pid is made a pidfd, which the request, still pending, proves to be the
 * caller's before the signal goes. */
static void kill_stranger(struct sandbox *sb, const struct seccomp_notif *req)
{
	int pidfd = (int)syscall(SYS_pidfd_open, (pid_t)req->pid, 0);
	if (pidfd < 0)
		return;
	__u64 id = req->id;
	if (ioctl(sb->notify_fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0)
		syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
	close(pidfd);
}

static void serve_one_request(struct sandbox *sb, struct seccomp_notif *req)
{
	memset(req, 0, sizeof(*req));
	if (ioctl(sb->notify_fd, SECCOMP_IOCTL_NOTIF_RECV, req) < 0) {
		if (errno == EINTR || errno == ENOENT)
			return;
		sentry_fatal("cannot receive a user-notify request: %s", strerror(errno));
	}
	uint64_t received = stats_clock(sb->opts);
	struct task *task = task_find_any(sb, (pid_t)req->pid);
	if (!task) {
		/* Every task is traced from birth; a stranger means the books
		 * are wrong. Kill the caller rather than guess. */
		sentry_log("request from untracked task %u; killing it", req->pid);
		kill_stranger(sb, req);
		return;
	}
	if (req->data.arch != arch_native.audit_arch) {
		kill(task->tgid, SIGKILL);
		return;
	}
	struct syscall_call call = { .nr = req->data.nr, .ip = req->data.instruction_pointer };
	memcpy(call.args, req->data.args, sizeof(call.args));
	task->notif_id = req->id;
	long ret = dispatch_call(task, &call);
	task->notif_id = 0;
	reply(sb->notify_fd, req, &call, ret, task);
	stats_round_trip(call.nr, received);
}

void serve_unotify(struct sandbox *sb)
{
	int sfd = lifecycle_sigchld_fd();

	struct seccomp_notif_sizes sizes;
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0)
		sentry_fatal("cannot query user-notify sizes: %s", strerror(errno));
	size_t req_size = sizes.seccomp_notif > sizeof(struct seccomp_notif) ? sizes.seccomp_notif
									      : sizeof(struct seccomp_notif);
	struct seccomp_notif *req = calloc(1, req_size);

	struct pollfd fds[4] = { { sb->notify_fd, POLLIN, 0 }, { sfd, POLLIN, 0 }, { -1, POLLIN, 0 },
				 { control_fd(), POLLIN, 0 } };
	if (!filter_waits_killable())
		sentry_debug(sb, "no SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (Linux 5.19): a signal to a task whose "
				 "call the sentry serves withdraws the call, which the kernel restarts or fails "
				 "with EINTR");
	lifecycle_drain(sb);
	while (!sb->init_exited) {
		fds[2].fd = deferred_fd();
		if (poll(fds, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			sentry_fatal("poll: %s", strerror(errno));
		}
		if (fds[0].revents & POLLIN)
			serve_one_request(sb, req);
		else if (fds[0].revents & (POLLHUP | POLLERR))
			fds[0].fd = -1; /* no task holds the filter any more */
		if (fds[1].revents & POLLIN) {
			struct signalfd_siginfo si;
			while (read(sfd, &si, sizeof(si)) == sizeof(si))
				;
			lifecycle_drain(sb);
		}
		if (fds[2].revents & POLLIN)
			deferred_serve(sb);
		if ((fds[3].revents & POLLIN) && !sb->init_exited)
			control_serve(sb);
	}
	free(req);
	close(sfd);
}
