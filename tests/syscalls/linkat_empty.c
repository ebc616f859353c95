/* linkat with AT_EMPTY_PATH and through /proc/self/fd. */
#include "common.h"

int main(void)
{
	begin("linkat AT_EMPTY_PATH");
	put("f", "data");
	MUST(mkdir("d", 0755));
	int fd = T(open("f", O_RDONLY));
	T(linkat(fd, "", AT_FDCWD, "g", AT_EMPTY_PATH));
	same("f", "g");
	SHOW("f");
	T(linkat(fd, "", AT_FDCWD, "h", 0));
	/* An O_PATH fd works too. */
	int p = T(open("f", O_PATH));
	T(linkat(p, "", AT_FDCWD, "i", AT_EMPTY_PATH));
	SHOW("i");
	/* A directory fd cannot be linked. */
	int dfd = T(open("d", O_RDONLY | O_DIRECTORY));
	T(linkat(dfd, "", AT_FDCWD, "dl", AT_EMPTY_PATH));
	/* Once all names are gone the inode cannot be linked again. */
	T(unlink("f"));
	T(unlink("g"));
	T(unlink("i"));
	show_fd("fd", fd);
	T(linkat(fd, "", AT_FDCWD, "again", AT_EMPTY_PATH));
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", p);
	TL("linkat(AT_FDCWD, /proc/self/fd/<p>, AT_FDCWD, \"again\", AT_SYMLINK_FOLLOW)",
	   linkat(AT_FDCWD, proc, AT_FDCWD, "again", AT_SYMLINK_FOLLOW));
	/* A live file through /proc/self/fd. */
	put("j", "jdata");
	int j = T(open("j", O_RDONLY));
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", j);
	TL("linkat(AT_FDCWD, /proc/self/fd/<j>, AT_FDCWD, \"k\", AT_SYMLINK_FOLLOW)",
	   linkat(AT_FDCWD, proc, AT_FDCWD, "k", AT_SYMLINK_FOLLOW));
	same("j", "k");
	/* Without AT_SYMLINK_FOLLOW, the magic link itself cannot be linked
	 * across file systems. */
	TL("linkat(AT_FDCWD, /proc/self/fd/<j>, AT_FDCWD, \"m\", 0)",
	   linkat(AT_FDCWD, proc, AT_FDCWD, "m", 0));
	T(close(fd));
	T(close(p));
	T(close(j));
	T(close(dfd));
	ls(".");
	return 0;
}
