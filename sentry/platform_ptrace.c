/* Every emulated call is a SECCOMP_RET_TRACE stop; the handler's result is
 * written into the registers and the call skipped. */
#include <errno.h>
#include <string.h>
#include <sys/wait.h>

#include "platform.h"

void serve_ptrace(struct sandbox *sb)
{
	while (!sb->init_exited) {
		int status;
		pid_t tid = waitpid(-1, &status, __WALL);
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			sentry_fatal("waitpid: %s", strerror(errno));
		}
		lifecycle_event(sb, tid, status);
	}
}
