/* Data through a named fifo between two processes. */
#include "common.h"

int main(void)
{
	begin("fifo I/O");
	T(mkfifo("fifo", 0600));
	pid_t pid = fork();
	if (pid == 0) {
		int w = open("fifo", O_WRONLY);
		if (w < 0)
			_exit(1);
		for (int i = 0; i < 3; i++) {
			char line[32];
			int n = snprintf(line, sizeof(line), "line %d\n", i);
			if (write(w, line, (size_t)n) != n)
				_exit(2);
		}
		close(w);
		_exit(0);
	}
	int r = T(open("fifo", O_RDONLY));
	char buf[256];
	size_t len = 0;
	ssize_t n;
	while ((n = read(r, buf + len, sizeof(buf) - len)) > 0)
		len += (size_t)n;
	say("  read all: ");
	say_bytes(buf, len);
	say("\n");
	T(read(r, buf, sizeof(buf)));
	T(close(r));
	reap("writer", pid);
	/* O_RDWR on a fifo never blocks on Linux. */
	int rw = T(open("fifo", O_RDWR));
	T(write(rw, "loop", 4));
	readfd("rw", rw);
	T(fcntl(rw, F_GETFL) & O_ACCMODE);
	show_fd("fifo rw", rw);
	T(lseek(rw, 0, SEEK_SET));
	T(close(rw));
	/* A reader and a writer in one process, non-blocking. */
	r = T(open("fifo", O_RDONLY | O_NONBLOCK));
	int w = T(open("fifo", O_WRONLY | O_NONBLOCK));
	T(read(r, buf, sizeof(buf)));
	T(write(w, "x", 1));
	T(read(r, buf, sizeof(buf)));
	T(close(w));
	T(read(r, buf, sizeof(buf)));
	T(close(r));
	SHOW("fifo");
	return 0;
}
