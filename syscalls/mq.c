/* POSIX message queues: not served inside. The kernel's queues live in
 * the host's IPC namespace, shared with the host and every other sandbox,
 * so none of the calls may reach it; each fails with ENOSYS, as on a
 * kernel built without them, with one line saying why. */
#include <errno.h>

#include "dispatch.h"
#include "syscall.h"
#include "task.h"

long sys_mq_refused(struct task *task, struct syscall_call *call)
{
	report_denial(task, call, ENOSYS,
		      "POSIX message queues are not served inside (the kernel's live in the host's IPC namespace)");
	return -ENOSYS;
}
