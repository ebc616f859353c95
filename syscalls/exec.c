/* exec: the first one is the sentry's own, from the program's memfd. */
#include <errno.h>

#include "dispatch.h"
#include "sandbox.h"

static long exec_call(struct task *task, struct syscall_call *call)
{
	if (task->initial_exec) {
		task->initial_exec = false;
		call->action = CALL_CONTINUE;
		return 0;
	}
	sentry_log("exec in process %d: running programs from inside the sandbox is not supported yet; "
		   "returned ENOSYS", task->tgid);
	return -ENOSYS;
}

long sys_execve(struct task *task, struct syscall_call *call) { return exec_call(task, call); }
long sys_execveat(struct task *task, struct syscall_call *call) { return exec_call(task, call); }
