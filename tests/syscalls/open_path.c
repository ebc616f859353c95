/* O_PATH fds: what works on them and what gives EBADF. */
#include "common.h"
#include <sys/xattr.h>

int main(void)
{
	begin("open O_PATH");
	put("f", "data");
	MUST(mkdir("d", 0755));
	put("d/inner", "inner data");
	MUST(chmod("f", 0));
	int fd = T(open("f", O_PATH));
	char buf[16];
	T(read(fd, buf, sizeof(buf)));
	T(write(fd, "x", 1));
	T(pread(fd, buf, 1, 0));
	T(lseek(fd, 0, SEEK_SET));
	T(ftruncate(fd, 0));
	T(fchmod(fd, 0644));
	T(fgetxattr(fd, "user.x", buf, sizeof(buf)));
	T(fcntl(fd, F_GETFL) & O_PATH ? 1 : 0);
	T(fcntl(fd, F_GETFL) & O_ACCMODE);
	show_fd("f", fd);
	struct stat st;
	T(fstatat(fd, "", &st, AT_EMPTY_PATH));
	/* An O_PATH fd can be duplicated; the copy is O_PATH too. */
	int dupfd = T(dup(fd));
	T(read(dupfd, buf, sizeof(buf)));
	T(close(dupfd));
	/* Reopening through /proc/self/fd gives a real fd. */
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	MUST(chmod("f", 0644));
	int re = TL("open(/proc/self/fd/<opath>, O_RDONLY)", open(proc, O_RDONLY));
	readfd("reopened", re);
	T(close(re));
	T(close(fd));
	/* A directory O_PATH fd works as a dirfd and for fchdir. */
	int dfd = T(open("d", O_PATH | O_DIRECTORY));
	int in = T(openat(dfd, "inner", O_RDONLY));
	readfd("inner", in);
	T(close(in));
	T(getdents64(dfd, buf, sizeof(buf)));
	T(fchdir(dfd));
	pwd();
	cat("inner");
	T(chdir(".."));
	T(close(dfd));
	/* O_PATH ignores other flags except O_DIRECTORY, O_NOFOLLOW, O_CLOEXEC. */
	fd = T(open("f", O_PATH | O_WRONLY | O_TRUNC | O_APPEND));
	SHOW("f");
	T(fcntl(fd, F_GETFD));
	T(close(fd));
	fd = T(open("f", O_PATH | O_CLOEXEC));
	T(fcntl(fd, F_GETFD));
	T(close(fd));
	T(open("f", O_PATH | O_DIRECTORY));
	T(open("missing", O_PATH));
	T(open("missing", O_PATH | O_CREAT, 0644));
	SHOW("missing");
	return 0;
}
