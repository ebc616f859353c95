/* Writes 16 MiB into a new file of the folder argv[1] (or appends them to
 * the existing file argv[2], which the sandbox copies up) through one fd, with
 * write() and then fallocate(), and tells what the kernel answered; then
 * checks that the file system still works once the space is given back.
 * On a tmpfs of 8 MiB the writes stop short and then fail with ENOSPC; the
 * output names sizes coarsely so that it reads the same wherever the file
 * system's bookkeeping differs by a few pages. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MiB (1024 * 1024L)
#define WANT (16 * MiB)

static const char *amount(long n)
{
	static char text[64];
	if (n == WANT)
		return "16 MiB";
	if (n > 7 * MiB && n <= 8 * MiB)
		return "more than 7 MiB, at most 8 MiB";
	snprintf(text, sizeof(text), "%ld bytes", n);
	return text;
}

static const char *result(long r)
{
	return r < 0 ? strerrorname_np(errno) : "ok";
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3 || chdir(argv[1]) < 0) {
		fprintf(stderr, "usage: fill DIR [EXISTING]\n");
		return 2;
	}
	char *buf = malloc(WANT);
	if (!buf)
		return 2;
	memset(buf, 'x', WANT);
	int fd = argc == 3 ? open(argv[2], O_WRONLY | O_APPEND | O_CLOEXEC)
			   : open("big", O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
	if (fd < 0) {
		printf("open: %s\n", strerrorname_np(errno));
		return 1;
	}

	/* one write of it all, then the rest until the kernel says no */
	long total = 0;
	ssize_t n = write(fd, buf, WANT);
	if (n < 0)
		printf("first write: %s\n", strerrorname_np(errno));
	else
		printf("first write: %s\n", n == WANT ? "all of it" : n > 0 ? "short" : "nothing");
	total = n > 0 ? n : 0;
	while (n > 0 && total < WANT) {
		n = write(fd, buf, WANT - total);
		if (n < 0)
			printf("next write: %s\n", strerrorname_np(errno));
		else
			total += n;
	}
	printf("written: %s\n", amount(total));
	struct stat st;
	if (fstat(fd, &st) < 0)
		printf("fstat: %s\n", strerrorname_np(errno));
	else
		printf("size: %s\n", st.st_size == total ? "as written" : amount(st.st_size));

	/* room for the whole file at once, in a second file */
	int fd2 = open("second", O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0644);
	printf("open second: %s\n", result(fd2));
	if (fd2 >= 0) {
		printf("fallocate 16 MiB: %s\n", result(fallocate(fd2, 0, 0, WANT)));
		close(fd2);
		printf("unlink second: %s\n", result(unlink("second")));
	}

	/* the space comes back, and the file system works as before */
	printf("ftruncate 0: %s\n", result(ftruncate(fd, 0)));
	n = pwrite(fd, buf, MiB, 0);
	printf("pwrite 1 MiB: %s\n", n == MiB ? "all of it" : n < 0 ? strerrorname_np(errno) : "short");
	printf("close: %s\n", result(close(fd)));
	printf("unlink big: %s\n", result(unlink("big")));
	fd = open("small", O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0644);
	char back[8] = "";
	if (fd < 0 || write(fd, "hello", 5) != 5 || pread(fd, back, 5, 0) != 5)
		printf("small file: %s\n", strerrorname_np(errno));
	else
		printf("small file: %s\n", back);
	if (fd >= 0)
		close(fd);
	printf("unlink small: %s\n", result(unlink("small")));
	return 0;
}
