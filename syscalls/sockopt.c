/* setsockopt and getsockopt: socket options. */
#include "dispatch.h"

long sys_setsockopt(struct task *task, struct syscall_call *call)
{
	(void)task;
	call->action = CALL_CONTINUE;
	return 0;
}

long sys_getsockopt(struct task *task, struct syscall_call *call)
{
	(void)task;
	call->action = CALL_CONTINUE;
	return 0;
}
