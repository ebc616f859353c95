#define _GNU_SOURCE
/* Resource limits. The fd limit is the one the sandbox changes: the
 * sentry's two reserved fds (fd_loader, fd_courier) are the two highest
 * numbers below the workload's hard RLIMIT_NOFILE as it was (capped), less
 * room for the sentry's own fds, and the workload starts with a real hard
 * limit of fd_loader, so that they lie just above it, as if they did not
 * exist; its soft limit is the one it had (at most fd_loader). The room
 * is there because the sentry holds a copy of each file the workload has
 * open (its contents), under the same hard limit, which the sentry raises
 * its own soft limit to: without it, the workload's last fds below its
 * limit could not be opened, and the sentry could open nothing more.
 *
 * The workload has no capabilities, so it can raise its soft limit only up
 * to the hard one, and never the hard one: every new fd stays below
 * fd_loader. A limit it sets is applied as it asked: the reserved fds lie
 * above the real limit, which Linux allows for fds already open, and the
 * kernel's own checks against the limit (F_DUPFD's EINVAL) give what Linux
 * gives. The real values are the ones shown; a real value above fd_loader
 * (none is) would be shown as fd_loader and brought down to it the first
 * time the sentry handles a NOFILE call. The shown value depends on the real
 * one alone, so it is the same across fork and exec. Every other resource is
 * the kernel's. */
#include <errno.h>
#include <stdbool.h>
#include <sys/resource.h>

#include "dispatch.h"
#include "pids.h"
#include "sandbox.h"

/* struct rlimit of getrlimit/setrlimit and struct rlimit64 of prlimit64
 * are the same two 64-bit words on the architectures the sentry runs on. */
_Static_assert(sizeof(struct rlimit) == 16 && sizeof(rlim_t) == 8, "struct rlimit is struct rlimit64");

/* The resource argument as the kernel reads it: an unsigned int. */
static bool is_nofile(uint64_t raw) { return (uint32_t)raw == RLIMIT_NOFILE; }

static rlim_t shown_value(const struct sandbox *sb, rlim_t real)
{
	rlim_t highest_shown = (rlim_t)sb->fd_loader;
	return real != RLIM_INFINITY && real > highest_shown ? highest_shown : real;
}

static struct rlimit shown_limit(const struct sandbox *sb, struct rlimit real)
{
	return (struct rlimit){ shown_value(sb, real.rlim_cur), shown_value(sb, real.rlim_max) };
}

static bool same_limit(struct rlimit a, struct rlimit b)
{
	return a.rlim_cur == b.rlim_cur && a.rlim_max == b.rlim_max;
}

/* RLIMIT_NOFILE of target (a sandbox tid) as the workload sees it: sets it
 * to *wanted when given, and stores the previous value in *shown_old. The
 * sentry changes the limit itself, as root, so it makes the kernel's checks
 * for an unprivileged caller. Every sandbox task has the credentials the
 * workload started with (no capabilities, no new privileges), so one may
 * always change another's limits, as the kernel would allow. */
static long nofile_limit(struct task *task, pid_t target, const struct rlimit *wanted, struct rlimit *shown_old)
{
	struct rlimit real_old;
	if (prlimit(target, RLIMIT_NOFILE, NULL, &real_old) < 0)
		return -errno;
	*shown_old = shown_limit(task->sandbox, real_old);
	struct rlimit real_new = *shown_old;
	if (wanted) {
		if (wanted->rlim_cur > wanted->rlim_max)
			return -EINVAL;
		if (wanted->rlim_max > shown_old->rlim_max)
			return -EPERM; /* raising the hard limit needs CAP_SYS_RESOURCE */
		real_new = *wanted;
	}
	if (!same_limit(real_new, real_old) && prlimit(target, RLIMIT_NOFILE, &real_new, NULL) < 0)
		return -errno;
	return 0;
}

static long read_limit(struct task *task, uint64_t addr, struct rlimit *out)
{
	return task_read_mem(task, addr, out, sizeof(*out)) < 0 ? -EFAULT : 0;
}

static long write_limit(struct task *task, uint64_t addr, const struct rlimit *value)
{
	return task_write_mem(task, addr, value, sizeof(*value)) < 0 ? -EFAULT : 0;
}

long sys_getrlimit(struct task *task, struct syscall_call *call)
{
	if (!is_nofile(call->args[0])) {
		call->action = CALL_CONTINUE;
		return 0;
	}
	struct rlimit shown;
	long r = nofile_limit(task, task->tid, NULL, &shown);
	return r ? r : write_limit(task, call->args[1], &shown);
}

long sys_setrlimit(struct task *task, struct syscall_call *call)
{
	if (!is_nofile(call->args[0])) {
		call->action = CALL_CONTINUE;
		return 0;
	}
	struct rlimit wanted, shown_old;
	long r = read_limit(task, call->args[1], &wanted);
	return r ? r : nofile_limit(task, task->tid, &wanted, &shown_old);
}

/* In the kernel's order: the new limit is read before the target is looked
 * up, and the old one written after the new one is set. */
long sys_prlimit64(struct task *task, struct syscall_call *call)
{
	pid_t pid = pid_arg(call->args[0]);
	if (!is_nofile(call->args[1]))
		return continue_if_reachable(task, call, pid < 0 || pid_reachable(task, pid));
	uint64_t new_addr = call->args[2], old_addr = call->args[3];
	struct rlimit wanted, shown_old;
	if (new_addr) {
		long r = read_limit(task, new_addr, &wanted);
		if (r)
			return r;
	}
	if (pid < 0)
		return -ESRCH;
	if (!pid_reachable(task, pid)) {
		report_denial(task, call, ESRCH, "names a process outside the sandbox");
		return -ESRCH;
	}
	long r = nofile_limit(task, pid ? pid : task->tid, new_addr ? &wanted : NULL, &shown_old);
	if (r || !old_addr)
		return r;
	return write_limit(task, old_addr, &shown_old);
}
