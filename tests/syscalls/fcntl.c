/* fcntl: F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD/F_SETFD, F_GETFL/F_SETFL. */
#include "common.h"
#include <sys/resource.h>

int main(void)
{
	begin("fcntl");
	put("f", "data");
	int fd = T(open("f", O_RDWR));
	T(fcntl(fd, F_DUPFD, 0));
	T(fcntl(fd, F_DUPFD, 0));
	T(fcntl(fd, F_DUPFD, 10));
	T(fcntl(fd, F_DUPFD, 10));
	T(fcntl(fd, F_DUPFD, 20));
	T(fcntl(21, F_GETFD));
	T(fcntl(fd, F_DUPFD_CLOEXEC, 20));
	T(fcntl(21, F_GETFD));
	T(fcntl(fd, F_DUPFD, -1));
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	T(fcntl(fd, F_DUPFD, (int)rl.rlim_cur));
	T(fcntl(fd, F_DUPFD, (int)rl.rlim_cur - 1) == (long)rl.rlim_cur - 1);
	T(fcntl(fd, F_DUPFD, 1 << 30));
	/* F_GETFD/F_SETFD: only FD_CLOEXEC is kept. */
	T(fcntl(fd, F_GETFD));
	T(fcntl(fd, F_SETFD, FD_CLOEXEC));
	T(fcntl(fd, F_GETFD));
	T(fcntl(fd, F_SETFD, 0xff));
	T(fcntl(fd, F_GETFD));
	T(fcntl(fd, F_SETFD, 0));
	T(fcntl(fd, F_GETFD));
	/* F_GETFL/F_SETFL. */
	T(fcntl(fd, F_GETFL));
	T(fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK));
	T(fcntl(fd, F_GETFL));
	T(fcntl(fd, F_SETFL, O_RDONLY));
	T(fcntl(fd, F_GETFL) & O_ACCMODE);
	/* The flags are shared by dups, the fd flags are not. */
	int d = T(dup(fd));
	T(fcntl(fd, F_SETFL, O_APPEND));
	T(fcntl(d, F_GETFL) & O_APPEND);
	T(fcntl(fd, F_SETFD, FD_CLOEXEC));
	T(fcntl(d, F_GETFD));
	/* Errors. */
	T(fcntl(99, F_GETFD));
	T(fcntl(99, F_GETFL));
	T(fcntl(-1, F_DUPFD, 0));
	T(fcntl(fd, 9999));
	/* F_GETFL on other kinds. */
	int p[2];
	MUST(pipe(p));
	T(fcntl(p[0], F_GETFL));
	T(fcntl(p[1], F_GETFL));
	int dfd = T(open(".", O_RDONLY | O_DIRECTORY));
	T(fcntl(dfd, F_GETFL));
	T(fcntl(dfd, F_SETFL, O_APPEND));
	T(fcntl(dfd, F_GETFL));
	return 0;
}
