/* O_CLOEXEC: the fd flag, and which fds survive an exec. */
#include "common.h"

static void child(void)
{
	say("after exec:\n");
	for (int fd = 3; fd < 10; fd++) {
		errno = 0;
		long r = fcntl(fd, F_GETFD);
		say("  fcntl(%d, F_GETFD) = %s", fd, res(r, errno));
		if (r >= 0)
			say(" offset %ld", (long)lseek(fd, 0, SEEK_CUR));
		say("\n");
	}
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "child") == 0) {
		child();
		return 0;
	}
	begin("open O_CLOEXEC");
	put("f", "0123456789");
	int a = T(open("f", O_RDONLY));
	int b = T(open("f", O_RDONLY | O_CLOEXEC));
	int c = T(open("f", O_RDONLY));
	int d = T(openat(AT_FDCWD, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	T(fcntl(a, F_GETFD));
	T(fcntl(b, F_GETFD));
	T(fcntl(d, F_GETFD));
	T(fcntl(c, F_SETFD, FD_CLOEXEC));
	T(fcntl(c, F_GETFD));
	T(lseek(a, 3, SEEK_SET));
	/* F_GETFL does not report O_CLOEXEC. */
	T(fcntl(b, F_GETFL) & O_CLOEXEC);
	pid_t pid = fork();
	if (pid == 0) {
		execl("/proc/self/exe", "open_cloexec", "child", (char *)NULL);
		say("exec failed: %s\n", errname(errno));
		_exit(99);
	}
	reap("child", pid);
	return 0;
}
