/* Checked fd, different object: one thread takes POSIX read locks and a
 * read lease through fd N, which the sentry lets the kernel run as the
 * caller, while another keeps putting a pipe and a read-only fd of the
 * image canary (inside: the host's file, opened in place) at N; the locks
 * and leases taken are held while the host watcher looks. */
#define _GNU_SOURCE
#include <pthread.h>
#include "esc.h"

#define N 40

static int pipefd[2], image = -1;
static volatile int stop;

static void *swapper(void *arg)
{
	(void)arg;
	while (!stop) {
		dup2(pipefd[0], N);
		dup2(image, N);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	image = open(arg("canary"), O_RDONLY);
	say("open O_RDONLY: %s\n", res(image, errno));
	if (image < 0 || pipe(pipefd) < 0)
		return 0;
	pthread_t t;
	pthread_create(&t, NULL, swapper, NULL);
	long locked = 0, tries = 0;
	struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET };
	for (long end = now_ms() + 1000; now_ms() < end; tries++) {
		locked += fcntl(N, F_SETLK, &fl) == 0;
		locked += fcntl(N, F_SETLEASE, F_RDLCK) == 0;
	}
	stop = 1;
	pthread_join(t, NULL);
	say("%ld of %ld rounds locked or leased something\n", locked, tries);
	sleep(1); /* what the kernel took stays with the image fd */
	return 0;
}
