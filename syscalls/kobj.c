/* Calls that make kernel objects of the kinds a workload fd may be (pipes,
 * socketpairs, eventfds, epoll, timerfds, signalfds, anonymous memfds):
 * their arguments are plain values or buffers the kernel only fills, so
 * the kernel makes them. */
#include "dispatch.h"

#define KERNEL_MAKES_IT(name)                                           \
	long sys_##name(struct task *task, struct syscall_call *call)   \
	{                                                               \
		call->action = CALL_CONTINUE;                           \
		return 0;                                               \
	}

KERNEL_MAKES_IT(pipe)
KERNEL_MAKES_IT(pipe2)
KERNEL_MAKES_IT(eventfd)
KERNEL_MAKES_IT(eventfd2)
KERNEL_MAKES_IT(epoll_create)
KERNEL_MAKES_IT(epoll_create1)
KERNEL_MAKES_IT(timerfd_create)
KERNEL_MAKES_IT(timerfd_settime)
KERNEL_MAKES_IT(timerfd_gettime)
KERNEL_MAKES_IT(signalfd)
KERNEL_MAKES_IT(signalfd4)
KERNEL_MAKES_IT(memfd_create)
