#define _GNU_SOURCE
/* ioctl: device and socket commands. */
#include <errno.h>
#include <stdbool.h>
#include <sys/ioctl.h>

#include "dispatch.h"
#include "sandbox.h"

/* Terminal ioctls that push input into a terminal other programs read. */
static bool injects_terminal_input(uint32_t cmd) { return cmd == TIOCSTI || cmd == TIOCLINUX; }

long sys_ioctl(struct task *task, struct syscall_call *call)
{
	uint32_t cmd = (uint32_t)call->args[1]; /* the kernel reads an unsigned int */
	if (injects_terminal_input(cmd)) {
		report_denial(task, call, EPERM, "injecting terminal input is not allowed");
		return -EPERM;
	}
	/* Every fd the workload holds is a kind whose ioctls are its own. */
	call->action = CALL_CONTINUE;
	return 0;
}
