/* ENOTDIR: a regular file used as a directory in a path. */
#include "common.h"
#include <sys/xattr.h>

int main(void)
{
	begin("ENOTDIR");
	put("f", "x");
	MUST(symlink("f", "lf"));
	struct stat st;
	char buf[16];
	T(stat("f/x", &st));
	T(lstat("f/x", &st));
	T(stat("f/", &st));
	T(stat("f/.", &st));
	T(stat("f/..", &st));
	T(stat("lf/", &st));
	T(open("f/x", O_RDONLY));
	T(open("f/x", O_RDWR | O_CREAT, 0644));
	T(mkdir("f/x", 0755));
	T(mkdir("f/", 0755));
	T(rmdir("f/x"));
	T(unlink("f/x"));
	T(rename("f/x", "y"));
	T(rename("f", "f/y"));
	T(link("f", "f/y"));
	T(symlink("x", "f/y"));
	T(mkfifo("f/y", 0644));
	T(chdir("f"));
	T(chdir("lf"));
	T(access("f/x", F_OK));
	T(chmod("f/x", 0644));
	T(truncate("f/x", 0));
	T(readlink("f/x", buf, sizeof(buf)));
	T(getxattr("f/x", "user.a", buf, sizeof(buf)));
	T(utimensat(AT_FDCWD, "f/x", NULL, 0));
	/* A file fd as a dirfd. */
	int fd = T(open("f", O_RDONLY));
	T(openat(fd, "x", O_RDONLY));
	T(fstatat(fd, "x", &st, 0));
	T(mkdirat(fd, "x", 0755));
	T(unlinkat(fd, "x", 0));
	T(fchdir(fd));
	T(opendir("f") == NULL);
	say("  errno %s\n", errname(errno));
	ls(".");
	return 0;
}
