/* pipe and pipe2: round trip, flags, EOF, EPIPE, EAGAIN. */
#include "common.h"
#include <sys/ioctl.h>

int main(void)
{
	begin("pipe");
	signal(SIGPIPE, SIG_IGN);
	int p[2];
	T(pipe(p));
	say("  fds %d %d\n", p[0], p[1]);
	show_fd("read end", p[0]);
	T(write(p[1], "hello", 5));
	int avail = -1;
	T(ioctl(p[0], FIONREAD, &avail));
	say("  FIONREAD %d\n", avail);
	readfd("p[0]", p[0]);
	T(read(p[1], (char[4]){0}, 4));
	T(write(p[0], "x", 1));
	T(lseek(p[0], 0, SEEK_CUR));
	T(fcntl(p[0], F_GETFL));
	T(fcntl(p[1], F_GETFL));
	T(fcntl(p[0], F_GETFD));
	T(fcntl(p[0], F_GETPIPE_SZ));
	/* EOF once every write end is closed. */
	T(write(p[1], "last", 4));
	T(close(p[1]));
	readfd("p[0]", p[0]);
	readfd("p[0]", p[0]);
	T(close(p[0]));
	/* EPIPE once every read end is closed. */
	T(pipe(p));
	T(close(p[0]));
	T(write(p[1], "x", 1));
	T(close(p[1]));
	/* pipe2 flags. */
	T(pipe2(p, O_CLOEXEC));
	T(fcntl(p[0], F_GETFD));
	T(fcntl(p[1], F_GETFD));
	T(close(p[0]));
	T(close(p[1]));
	T(pipe2(p, O_NONBLOCK));
	T(fcntl(p[0], F_GETFL));
	char buf[4096];
	T(read(p[0], buf, sizeof(buf)));
	/* Fill the pipe: the write that does not fit gives EAGAIN. */
	memset(buf, 'x', sizeof(buf));
	long total = 0, r;
	while ((r = write(p[1], buf, sizeof(buf))) > 0)
		total += r;
	say("  filled %ld bytes, then %s\n", total, res(r, errno));
	T(close(p[0]));
	T(close(p[1]));
	T(pipe2(p, O_DIRECT));
	T(fcntl(p[1], F_GETFL));
	T(write(p[1], "ab", 2));
	T(write(p[1], "cd", 2));
	T(read(p[0], buf, sizeof(buf)));
	T(close(p[0]));
	T(close(p[1]));
	T(pipe2(p, O_APPEND));
	T(pipe2(p, 0x1));
#ifdef SYS_pipe
	T(syscall(SYS_pipe, (int *)1));
#endif
	T(syscall(SYS_pipe2, (int *)1, 0));
	/* A pipe across fork. */
	T(pipe(p));
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		if (write(p[1], "from child", 10) != 10)
			_exit(1);
		_exit(0);
	}
	T(close(p[1]));
	readfd("from child", p[0]);
	readfd("after exit", p[0]);
	reap("child", pid);
	return 0;
}
