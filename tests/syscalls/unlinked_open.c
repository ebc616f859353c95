/* A file unlinked while open: I/O still works, nlink is 0. */
#include "common.h"

int main(void)
{
	begin("unlinked but open");
	put("f", "before");
	int fd = T(open("f", O_RDWR));
	int ro = T(open("f", O_RDONLY));
	T(unlink("f"));
	SHOW("f");
	show_fd("fd", fd);
	T(lseek(fd, 0, SEEK_END));
	T(write(fd, " after", 6));
	T(pread(fd, (char[16]){0}, 16, 0));
	readfd("second fd", ro);
	T(ftruncate(fd, 3));
	show_fd("fd", fd);
	T(fchmod(fd, 0600));
	show_fd("fd", fd);
	/* /proc/self/fd shows the old path marked deleted. */
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	link_of(proc);
	/* A new file of the same name is a different inode. */
	put("f", "new");
	struct stat a, b;
	fstat(fd, &a);
	stat("f", &b);
	say("  same inode as new f: %s\n", a.st_ino == b.st_ino ? "yes" : "no");
	/* mmap of the unlinked file. */
	T(close(ro));
	T(close(fd));
	/* A directory removed while open. */
	MUST(mkdir("d", 0755));
	int dfd = T(open("d", O_RDONLY | O_DIRECTORY));
	T(rmdir("d"));
	show_fd("removed dir", dfd);
	char buf[256];
	T(getdents64(dfd, buf, sizeof(buf)));
	T(fchdir(dfd));
	pwd();
	T(close(dfd));
	return 0;
}
