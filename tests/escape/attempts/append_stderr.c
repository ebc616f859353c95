/* The caller's stderr is a host file opened for appending (2>>): overwrite
 * its start by reopening it without O_APPEND, by clearing O_APPEND with
 * F_SETFL, and cut it with ftruncate. pwrite on an O_APPEND fd appends on
 * Linux, so each way must first lose O_APPEND; pwritev2 with RWF_NOAPPEND
 * writes at the offset anyway, and a punched hole zeroes the start. */
#include <sys/uio.h>

#include "esc.h"

#ifndef RWF_NOAPPEND
#define RWF_NOAPPEND 0x00000020
#endif

static void overwrite_start(const char *how, int fd)
{
	CHECK(how, pwrite(fd, "ESCAPED", 7, 0));
}

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	const char *names[] = { "/proc/self/fd/2", "/dev/stderr", "/dev/fd/2", "/proc/thread-self/fd/2" };
	for (size_t i = 0; i < 4; i++) {
		int fd = open(names[i], O_WRONLY);
		say("open %s O_WRONLY: %s\n", names[i], res(fd, errno));
		if (fd >= 0) {
			say("  O_APPEND kept: %s\n", fcntl(fd, F_GETFL) & O_APPEND ? "yes" : "no");
			overwrite_start("pwrite at 0 through the reopened fd", fd);
			CHECK("F_SETFL 0 on the reopened fd", fcntl(fd, F_SETFL, 0));
			overwrite_start("pwrite at 0 after F_SETFL", fd);
			close(fd);
		}
		fd = open(names[i], O_RDWR);
		say("open %s O_RDWR: %s\n", names[i], res(fd, errno));
		if (fd >= 0) {
			overwrite_start("pwrite at 0 through the O_RDWR fd", fd);
			close(fd);
		}
	}
	CHECK("F_SETFL O_WRONLY on fd 2", fcntl(2, F_SETFL, 0));
	say("fd 2 O_APPEND: %s\n", fcntl(2, F_GETFL) & O_APPEND ? "yes" : "no");
	overwrite_start("pwrite at 0 on fd 2", 2);
	int dup = fcntl(2, F_DUPFD_CLOEXEC, 10);
	if (dup >= 0) {
		CHECK("F_SETFL 0 on a dup of fd 2", fcntl(dup, F_SETFL, 0));
		overwrite_start("pwrite at 0 on the dup", dup);
	}
	struct iovec iov = { "ESCAPED", 7 };
	CHECK("pwritev2 RWF_NOAPPEND at 0 on fd 2", syscall(SYS_pwritev2, 2, &iov, 1, 0L, 0L, RWF_NOAPPEND));
	CHECK("ftruncate(2, 1)", ftruncate(2, 1));
	CHECK("fallocate punch at 0", fallocate(2, 3 /* PUNCH_HOLE|KEEP_SIZE */, 0, 16));
	return 0;
}
