/* A lock goes with the last fd of its open file description: once the
 * workload has closed every fd of an open (and every process holding one
 * has exited), a new open of the file takes the lock again. Through the
 * open that created the file as through any other. */
#include "common.h"
#include <sys/file.h>

static int setlk(int fd, int cmd, short type)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
	return fcntl(fd, cmd, &fl);
}

/* Whether a new open of path can take an exclusive flock now. */
static void try_flock(const char *label, const char *path)
{
	int fd = open(path, O_RDWR);
	TL(label, flock(fd, LOCK_EX | LOCK_NB));
	close(fd);
}

/* The same with a write lock of cmd (F_OFD_SETLK, or F_SETLK in a child,
 * as the caller's own POSIX locks never conflict with each other). */
static void try_setlk(const char *label, const char *path, int cmd)
{
	pid_t pid = cmd == F_SETLK ? fork() : 0;
	if (pid > 0) {
		reap(label, pid);
		return;
	}
	int fd = open(path, O_RDWR);
	TL(label, setlk(fd, cmd, F_WRLCK));
	close(fd);
	if (cmd == F_SETLK)
		_exit(0);
}

int main(void)
{
	begin("locks released with their open");

	say("-- flock through the creating open\n");
	int fd = T(open("created", O_RDWR | O_CREAT | O_EXCL, 0644));
	T(flock(fd, LOCK_EX | LOCK_NB));
	try_flock("held: new open", "created");
	T(close(fd));
	try_flock("closed: new open", "created");

	say("-- flock through an open of an existing file\n");
	put("existing", "x");
	fd = T(open("existing", O_RDWR));
	T(flock(fd, LOCK_EX | LOCK_NB));
	try_flock("held: new open", "existing");
	T(close(fd));
	try_flock("closed: new open", "existing");

	say("-- flock through a creating open with O_TRUNC, then O_CREAT of it again\n");
	fd = T(open("trunc", O_WRONLY | O_CREAT | O_TRUNC, 0600));
	T(flock(fd, LOCK_SH | LOCK_NB));
	T(close(fd));
	fd = T(open("trunc", O_WRONLY | O_CREAT, 0600));
	T(flock(fd, LOCK_EX | LOCK_NB));
	T(close(fd));
	try_flock("closed: new open", "trunc");

	say("-- flock through creat and through an O_TMPFILE open given a name\n");
	fd = T(creat("creat", 0644));
	T(flock(fd, LOCK_EX | LOCK_NB));
	T(close(fd));
	try_flock("closed: new open", "creat");
	fd = T(open(".", O_TMPFILE | O_RDWR, 0600));
	T(flock(fd, LOCK_EX | LOCK_NB));
	char link[64];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	T(linkat(AT_FDCWD, link, AT_FDCWD, "tmpfile", AT_SYMLINK_FOLLOW));
	try_flock("held: new open", "tmpfile");
	T(close(fd));
	try_flock("closed: new open", "tmpfile");

	say("-- OFD locks through the creating open\n");
	fd = T(open("ofd", O_RDWR | O_CREAT | O_EXCL, 0644));
	T(setlk(fd, F_OFD_SETLK, F_WRLCK));
	try_setlk("held: new open F_OFD_SETLK", "ofd", F_OFD_SETLK);
	try_setlk("held: child F_SETLK", "ofd", F_SETLK);
	T(close(fd));
	try_setlk("closed: new open F_OFD_SETLK", "ofd", F_OFD_SETLK);
	try_setlk("closed: child F_SETLK", "ofd", F_SETLK);

	say("-- POSIX locks through the creating open\n");
	fd = T(open("posix", O_RDWR | O_CREAT | O_EXCL, 0644));
	T(setlk(fd, F_SETLK, F_WRLCK));
	try_setlk("held: child F_SETLK", "posix", F_SETLK);
	T(close(fd));
	try_setlk("closed: child F_SETLK", "posix", F_SETLK);
	try_setlk("closed: new open F_OFD_SETLK", "posix", F_OFD_SETLK);

	say("-- a lock after dup, one fd closed: the lock stays\n");
	fd = T(open("dup", O_RDWR | O_CREAT | O_EXCL, 0644));
	T(flock(fd, LOCK_EX | LOCK_NB));
	int d = T(dup(fd));
	T(close(fd));
	try_flock("one closed: new open", "dup");
	T(close(d));
	try_flock("both closed: new open", "dup");

	say("-- a lock taken before a fork: held while the child keeps its fd\n");
	int ready[2], done[2];
	MUST(pipe(ready));
	MUST(pipe(done));
	fd = T(open("forked", O_RDWR | O_CREAT | O_EXCL, 0644));
	T(flock(fd, LOCK_EX | LOCK_NB));
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		close(ready[0]);
		close(done[1]);
		MUST(write(ready[1], "r", 1));
		MUST(read(done[0], &c, 1));
		_exit(0);
	}
	close(ready[1]);
	close(done[0]);
	char c;
	MUST(read(ready[0], &c, 1));
	T(close(fd));
	try_flock("parent closed, child holds: new open", "forked");
	close(done[1]);
	reap("child", pid);
	try_flock("child exited: new open", "forked");
	close(ready[0]);

	say("-- a lock a child took through its own creating open, released at its exit\n");
	pid = fork();
	if (pid == 0) {
		int c1 = open("child_flock", O_RDWR | O_CREAT | O_EXCL, 0644);
		int c2 = open("child_ofd", O_RDWR | O_CREAT | O_EXCL, 0644);
		_exit(flock(c1, LOCK_EX | LOCK_NB) == 0 && setlk(c2, F_OFD_SETLK, F_WRLCK) == 0 ? 0 : 1);
	}
	reap("child", pid);
	try_flock("child exited: new open flock", "child_flock");
	try_setlk("child exited: new open F_OFD_SETLK", "child_ofd", F_OFD_SETLK);

	say("-- a waiter gets the lock when its holder closes\n");
	fd = T(open("waited", O_RDWR | O_CREAT | O_EXCL, 0644));
	T(flock(fd, LOCK_EX | LOCK_NB));
	MUST(pipe(ready));
	pid = fork();
	if (pid == 0) {
		close(ready[0]);
		close(fd); /* the parent's open, lock and all */
		alarm(5); /* a lock never released ends the child with SIGALRM */
		int w = open("waited", O_RDWR);
		MUST(write(ready[1], "r", 1));
		_exit(flock(w, LOCK_EX) == 0 ? 0 : 1);
	}
	close(ready[1]);
	MUST(read(ready[0], &c, 1));
	close(ready[0]);
	usleep(100 * 1000); /* let it wait (it takes the lock either way) */
	T(close(fd));
	reap("waiter", pid);
	return 0;
}
