/* prctl: options on the calling process. */
#include "dispatch.h"

long sys_prctl(struct task *task, struct syscall_call *call)
{
	(void)task;
	call->action = CALL_CONTINUE;
	return 0;
}
