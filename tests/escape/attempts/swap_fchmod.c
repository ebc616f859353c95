/* Checked fd, different object: one thread changes the mode, times and
 * attributes through fd N while another keeps putting a pipe and a dup of
 * stdin (a host file) at N. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/xattr.h>
#include "esc.h"

#define N 40

static int pipefd[2];
static volatile int stop;

static void *swapper(void *arg)
{
	(void)arg;
	while (!stop) {
		dup2(pipefd[0], N);
		dup2(0, N);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	if (pipe(pipefd) < 0)
		return 1;
	pthread_t t;
	pthread_create(&t, NULL, swapper, NULL);
	long changed = 0, tries = 0;
	struct timespec past[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
	for (long end = now_ms() + 1500; now_ms() < end; tries++) {
		changed += fchmod(N, 0777) == 0;
		changed += fchown(N, 1, 1) == 0;
		changed += futimens(N, past) == 0;
		changed += fsetxattr(N, "user.escaped", "1", 1, 0) == 0;
	}
	stop = 1;
	pthread_join(t, NULL);
	say("%ld of %ld rounds changed something\n", changed, tries);
	return 0;
}
