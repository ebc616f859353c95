#include <errno.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include "arch.h"
#include "inject.h"
#include "sandbox.h"

/* Marks a syscall stop when PTRACE_O_TRACESYSGOOD is set. */
#define SYSCALL_STOP (SIGTRAP | 0x80)

long inject_syscall(struct task *task, long nr, const uint64_t args[6])
{
	struct arch_regs *regs = arch_regs_copy(task->stop_regs);
	if (!regs)
		return -ENOMEM;
	arch_regs_set_syscall(regs, nr, args);
	long r = arch_regs_set(task->tid, regs);
	/* From a seccomp stop, PTRACE_SYSCALL stops next at the syscall's exit;
	 * the filter is run again on the new call first. */
	if (!r && ptrace(PTRACE_SYSCALL, task->tid, 0, 0) < 0)
		r = -errno;
	while (!r) {
		int status;
		pid_t got = waitpid(task->tid, &status, __WALL);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			r = -ESRCH;
			break;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			task->died = true;
			task->death_status = status;
			r = -ESRCH;
			break;
		}
		if (WIFSTOPPED(status) && WSTOPSIG(status) == SYSCALL_STOP) {
			task->injected = true;
			r = arch_regs_get(task->tid, regs);
			if (!r)
				r = arch_regs_return(regs);
			break;
		}
		/* Nothing else can stop a task inside a syscall; resume it. */
		ptrace(PTRACE_SYSCALL, task->tid, 0, 0);
	}
	arch_regs_free(regs);
	return r;
}
