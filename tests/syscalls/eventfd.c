/* eventfd: counter, semaphore mode, non-blocking, bad sizes. */
#include "common.h"
#include <sys/eventfd.h>

static void rd(int fd)
{
	uint64_t v = 0;
	errno = 0;
	long r = read(fd, &v, sizeof(v));
	say("  read = %s value %llu\n", res(r, errno), (unsigned long long)(r == 8 ? v : 0));
}

static void wr(int fd, uint64_t v)
{
	errno = 0;
	long r = write(fd, &v, sizeof(v));
	say("  write %llu = %s\n", (unsigned long long)v, res(r, errno));
}

int main(void)
{
	begin("eventfd");
	int fd = T(eventfd(3, EFD_NONBLOCK));
	rd(fd);
	rd(fd);
	wr(fd, 5);
	wr(fd, 7);
	rd(fd);
	wr(fd, UINT64_MAX);
	wr(fd, UINT64_MAX - 1);
	wr(fd, 1);
	rd(fd);
	uint32_t small = 1;
	T(write(fd, &small, sizeof(small)));
	T(read(fd, &small, sizeof(small)));
	show_fd("eventfd", fd);
	T(fcntl(fd, F_GETFL) & O_NONBLOCK);
	T(lseek(fd, 0, SEEK_SET));
	T(close(fd));
	fd = T(eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC));
	T(fcntl(fd, F_GETFD));
	rd(fd);
	rd(fd);
	rd(fd);
	T(close(fd));
	T(eventfd(0, 0x10));
	/* Blocking read woken by a child's write. */
	fd = T(eventfd(0, 0));
	pid_t pid = fork();
	if (pid == 0) {
		uint64_t one = 42;
		_exit(write(fd, &one, 8) == 8 ? 0 : 1);
	}
	rd(fd);
	reap("child", pid);
	return 0;
}
