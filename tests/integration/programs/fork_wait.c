/* fork, getppid in the child, waitpid in order, wait4 details. */
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "it.h"

static void show(const char *what, int status)
{
	if (WIFEXITED(status))
		say("%s: exited %d\n", what, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		say("%s: signal %d\n", what, WTERMSIG(status));
	else
		say("%s: status %#x\n", what, status);
}

int main(void)
{
	pid_t self = getpid();
	int status;

	/* One child at a time, each printing: the output order is fixed. */
	for (int i = 0; i < 3; i++) {
		pid_t c = fork();
		if (c == 0) {
			say("child %d: parent ok=%d own pid differs=%d\n", i,
			    getppid() == self, getpid() != self);
			_exit(0);
		}
		pid_t w = waitpid(c, &status, 0);
		say("waited the right child=%d\n", w == c);
		show("child", status);
	}

	/* Several at once, collected in fork order. */
	pid_t kids[5];
	const int codes[5] = { 0, 1, 7, 42, 255 };
	for (int i = 0; i < 5; i++) {
		kids[i] = fork();
		if (kids[i] == 0)
			_exit(codes[i]);
	}
	for (int i = 0; i < 5; i++) {
		pid_t w = waitpid(kids[i], &status, 0);
		char label[32];
		snprintf(label, sizeof(label), "kid %d (match=%d)", i, w == kids[i]);
		show(label, status);
	}

	/* A grandchild: the child waits for it and passes its code on. */
	pid_t c = fork();
	if (c == 0) {
		pid_t g = fork();
		if (g == 0)
			_exit(9);
		waitpid(g, &status, 0);
		_exit(WEXITSTATUS(status) + 1);
	}
	waitpid(c, &status, 0);
	show("grandchild chain", status);

	/* A child killed by a signal, reaped with wait4. */
	c = fork();
	if (c == 0) {
		for (;;)
			pause();
	}
	kill(c, SIGTERM);
	struct rusage ru;
	pid_t w = wait4(c, &status, 0, &ru);
	say("wait4 match=%d\n", w == c);
	show("killed child", status);

	/* Nothing left to wait for. */
	CHECK("waitpid(-1, WNOHANG) with no children", waitpid(-1, &status, WNOHANG));
	CHECK("waitpid(-1) with no children", waitpid(-1, &status, 0));
	CHECK("waitpid(1) not a child", waitpid(1, &status, WNOHANG));

	/* WNOHANG while a child is still running returns 0. */
	c = fork();
	if (c == 0) {
		for (;;)
			pause();
	}
	CHECK("waitpid(child, WNOHANG) while running", waitpid(c, &status, WNOHANG));
	kill(c, SIGKILL);
	waitpid(c, &status, 0);
	show("second killed child", status);
	return 0;
}
