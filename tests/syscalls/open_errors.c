/* The errnos of open for bad paths. */
#include "common.h"

int main(void)
{
	begin("open errors");
	put("f", "x");
	MUST(mkdir("d", 0755));
	T(open("missing", O_RDONLY));
	T(open("missing/f", O_RDONLY));
	T(open("f/x", O_RDONLY));
	T(open("f/", O_RDONLY));
	T(open("f/.", O_RDONLY));
	T(open("f/..", O_RDONLY));
	T(open("", O_RDONLY));
	T(open("d/missing", O_WRONLY));
	T(open("d", O_WRONLY));
	/* Bad pointers. */
#ifdef SYS_open
	T(syscall(SYS_open, (char *)1, O_RDONLY));
#endif
	T(syscall(SYS_openat, AT_FDCWD, (char *)1, O_RDONLY));
#ifdef SYS_open
	T(syscall(SYS_open, NULL, O_RDONLY));
#endif
	T(syscall(SYS_openat, AT_FDCWD, NULL, O_RDONLY));
	/* Bad dirfds. */
	T(openat(-5, "f", O_RDONLY));
	T(openat(99, "f", O_RDONLY));
	T(openat(99, "/dev/null", O_RDONLY) >= 0);
	int fd = T(open("f", O_RDONLY));
	T(openat(fd, "x", O_RDONLY));
	T(openat(fd, "", O_RDONLY));
	T(close(fd));
	/* Names and paths that are too long. */
	char name[300];
	memset(name, 'a', 255);
	name[255] = 0;
	TL("open(<255 chars>, O_CREAT)", open(name, O_RDWR | O_CREAT, 0644));
	name[255] = 'a';
	name[256] = 0;
	TL("open(<256 chars>, O_CREAT)", open(name, O_RDWR | O_CREAT, 0644));
	TL("open(<256 chars>)", open(name, O_RDONLY));
	ls(".");
	return 0;
}
