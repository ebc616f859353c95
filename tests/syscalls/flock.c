/* flock, fcntl record locks and open file description locks. */
#include "common.h"
#include <sys/file.h>

static void getlk(int fd, int cmd, short type, off_t start, off_t len, const char *label)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
	errno = 0;
	int r = fcntl(fd, cmd, &fl);
	say("  %s = %s", label, res(r, errno));
	if (r == 0)
		say(" type=%s start=%lld len=%lld", fl.l_type == F_UNLCK ? "F_UNLCK" : fl.l_type == F_WRLCK ? "F_WRLCK" : "F_RDLCK",
		    (long long)fl.l_start, (long long)fl.l_len);
	say("\n");
}

static int setlk(int fd, int cmd, short type, off_t start, off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
	return fcntl(fd, cmd, &fl);
}

int main(void)
{
	begin("file locks");
	put("f", "0123456789");
	/* flock: per open file; two opens of the same file conflict. */
	int a = T(open("f", O_RDWR));
	int b = T(open("f", O_RDWR));
	T(flock(a, LOCK_SH | LOCK_NB));
	T(flock(b, LOCK_SH | LOCK_NB));
	T(flock(b, LOCK_EX | LOCK_NB));
	T(flock(a, LOCK_UN));
	T(flock(b, LOCK_EX | LOCK_NB));
	T(flock(a, LOCK_SH | LOCK_NB));
	int d = T(dup(b));
	T(flock(d, LOCK_EX | LOCK_NB));
	T(close(b));
	T(flock(a, LOCK_EX | LOCK_NB));
	T(close(d));
	T(flock(a, LOCK_EX | LOCK_NB));
	T(flock(a, 0));
	T(flock(99, LOCK_SH));
	/* A child's flock on another open conflicts. */
	pid_t pid = fork();
	if (pid == 0) {
		int c = open("f", O_RDONLY);
		_exit(flock(c, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK ? 0 : 1);
	}
	reap("child flock blocked", pid);
	T(flock(a, LOCK_UN));
	T(close(a));
	/* POSIX record locks: per process, so a child sees the conflict. */
	a = T(open("f", O_RDWR));
	T(setlk(a, F_SETLK, F_WRLCK, 0, 5));
	getlk(a, F_GETLK, F_WRLCK, 0, 10, "own F_GETLK");
	pid = fork();
	if (pid == 0) {
		int c = open("f", O_RDWR);
		getlk(c, F_GETLK, F_WRLCK, 0, 10, "child F_GETLK");
		getlk(c, F_GETLK, F_WRLCK, 5, 5, "child F_GETLK past the lock");
		TL("child F_SETLK", setlk(c, F_SETLK, F_RDLCK, 2, 1));
		TL("child F_SETLK elsewhere", setlk(c, F_SETLK, F_WRLCK, 6, 2));
		_exit(0);
	}
	reap("child", pid);
	T(setlk(a, F_SETLK, F_UNLCK, 0, 0));
	T(setlk(a, F_SETLK, 99, 0, 0));
	int ro = T(open("f", O_RDONLY));
	T(setlk(ro, F_SETLK, F_WRLCK, 0, 1));
	T(setlk(ro, F_SETLK, F_RDLCK, 0, 1));
	T(close(ro));
	/* Open file description locks conflict between two opens in one process. */
	b = T(open("f", O_RDWR));
	T(setlk(a, F_OFD_SETLK, F_WRLCK, 0, 4));
	T(setlk(b, F_OFD_SETLK, F_WRLCK, 2, 4));
	T(setlk(b, F_OFD_SETLK, F_WRLCK, 4, 4));
	getlk(b, F_OFD_GETLK, F_RDLCK, 0, 0, "F_OFD_GETLK");
	T(close(a));
	T(setlk(b, F_OFD_SETLK, F_WRLCK, 0, 4));
	T(close(b));
	return 0;
}
