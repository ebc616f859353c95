/* The workload of bench/churn/run.sh: N cycles of create, write 4 KiB,
 * close and unlink, then N_HELD files kept open at once, then closed and
 * unlinked. Before each stage and after the last it prints a line and
 * waits for a line on stdin, so that the caller can measure the sentry in
 * between:
 *   ready / churned N SECONDS / held N / released N / churned N SECONDS
 * (the last: 3 * N_HELD cycles more, by when the sentry has swept the
 * entries of the files it no longer sees open). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void pause_for_caller(const char *stage, long n, double seconds)
{
	printf("%s %ld %.2f\n", stage, n, seconds);
	fflush(stdout);
	char line[16];
	if (!fgets(line, sizeof(line), stdin))
		exit(1);
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what, long i)
{
	printf("failed: %s at %ld: %s\n", what, i, strerror(errno));
	exit(1);
}

int main(int argc, char **argv)
{
	long cycles = argc > 1 ? atol(argv[1]) : 1000000;
	long nheld = argc > 2 ? atol(argv[2]) : 10000;
	static char page[4096];
	memset(page, 'x', sizeof(page));
	pause_for_caller("ready", 0, 0);

	double start = now();
	for (long i = 0; i < cycles; i++) {
		int fd = open("churn", O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0)
			die("open", i);
		if (write(fd, page, sizeof(page)) != (ssize_t)sizeof(page))
			die("write", i);
		if (close(fd) < 0)
			die("close", i);
		if (unlink("churn") < 0)
			die("unlink", i);
	}
	pause_for_caller("churned", cycles, now() - start);

	int *fds = calloc(nheld, sizeof(*fds));
	char name[32];
	for (long i = 0; i < nheld; i++) {
		snprintf(name, sizeof(name), "held%ld", i);
		fds[i] = open(name, O_CREAT | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
		if (fds[i] < 0)
			die("open held", i);
		if (write(fds[i], page, sizeof(page)) != (ssize_t)sizeof(page))
			die("write held", i);
	}
	pause_for_caller("held", nheld, 0);
	for (long i = 0; i < nheld; i++) {
		snprintf(name, sizeof(name), "held%ld", i);
		if (close(fds[i]) < 0 || unlink(name) < 0)
			die("release held", i);
	}
	pause_for_caller("released", nheld, 0);
	start = now();
	for (long i = 0; i < 3 * nheld; i++) {
		int fd = open("churn", O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0 || write(fd, page, sizeof(page)) != (ssize_t)sizeof(page) || close(fd) < 0 ||
		    unlink("churn") < 0)
			die("churn again", i);
	}
	pause_for_caller("churned", 3 * nheld, now() - start);
	return 0;
}
