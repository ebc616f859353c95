/* Every emulated call is a SECCOMP_RET_TRACE stop; the handler's result is
 * written into the registers and the call skipped. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "control.h"
#include "deferred.h"
#include "platform.h"

/* While a deferred call is in flight the loop must also wake when it is
 * done: SIGCHLD (blocked, read through a signalfd) or the deferred fd;
 * and with --control, when the control socket has work. */
static void wait_for_either(struct sandbox *sb, int sfd)
{
	struct pollfd fds[3] = { { sfd, POLLIN, 0 }, { deferred_fd(), POLLIN, 0 }, { control_fd(), POLLIN, 0 } };
	if (poll(fds, 3, -1) < 0) {
		if (errno == EINTR)
			return;
		sentry_fatal("poll: %s", strerror(errno));
	}
	if (fds[0].revents & POLLIN) {
		struct signalfd_siginfo si;
		while (read(sfd, &si, sizeof(si)) == sizeof(si))
			;
	}
	if (fds[2].revents & POLLIN)
		control_serve(sb);
}

void serve_ptrace(struct sandbox *sb)
{
	int sfd = lifecycle_sigchld_fd();

	while (!sb->init_exited) {
		int status;
		if (deferred_pending()) {
			/* a waitpid that would block could miss the answer */
			deferred_serve(sb);
			lifecycle_drain(sb);
			if (!sb->init_exited && deferred_pending())
				wait_for_either(sb, sfd);
			continue;
		}
		if (control_fd() >= 0) {
			/* a blocking waitpid would not wake for the socket */
			lifecycle_drain(sb);
			if (!sb->init_exited && !deferred_pending())
				wait_for_either(sb, sfd);
			continue;
		}
		pid_t tid = waitpid(-1, &status, __WALL);
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			sentry_fatal("waitpid: %s", strerror(errno));
		}
		lifecycle_event(sb, tid, status);
	}
	close(sfd);
}
