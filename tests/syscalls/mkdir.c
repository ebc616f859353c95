/* mkdir and mkdirat: creation, modes, link counts, errors. */
#include "common.h"

int main(void)
{
	begin("mkdir");
	put("f", "x");
	MUST(symlink("nowhere", "dangling"));
	MUST(symlink("f", "lf"));
	SHOW(".");
	T(mkdir("d", 0755));
	SHOW("d");
	SHOW(".");
	T(mkdir("d/sub", 0700));
	SHOW("d");
	SHOW("d/sub");
	T(mkdir("d", 0755));
	T(mkdir("f", 0755));
	T(mkdir("lf", 0755));
	T(mkdir("dangling", 0755));
	T(mkdir("missing/x", 0755));
	T(mkdir("f/x", 0755));
	T(mkdir("", 0755));
	T(mkdir(".", 0755));
	T(mkdir("..", 0755));
	T(mkdir("d/.", 0755));
	T(mkdir("/", 0755));
	T(mkdir("slash/", 0755));
	SHOW("slash");
	T(mkdir("slash2//", 0755));
	T(mkdir("dot/.", 0755));
#ifdef SYS_mkdir
	T(syscall(SYS_mkdir, (char *)1, 0755));
#endif
	T(syscall(SYS_mkdirat, AT_FDCWD, (char *)1, 0755));
	/* Mode bits: sticky kept, setuid dropped, type bits ignored. */
	T(mkdir("m1", 07777));
	SHOW("m1");
	T(mkdir("m2", 0170000 | 0755));
	SHOW("m2");
	T(mkdir("m3", 0));
	SHOW("m3");
	/* A setgid parent passes setgid on to new directories. */
	MUST(chmod("m1", 02755));
	T(mkdir("m1/child", 0755));
	SHOW("m1/child");
	/* mkdirat. */
	int dfd = T(open("d", O_RDONLY | O_DIRECTORY));
	T(mkdirat(dfd, "viafd", 0750));
	SHOW("d/viafd");
	T(mkdirat(dfd, "viafd", 0750));
	T(mkdirat(dfd, "../top", 0750));
	T(mkdirat(-1, "x", 0750));
	int ffd = T(open("f", O_RDONLY));
	T(mkdirat(ffd, "x", 0750));
	T(close(ffd));
	T(close(dfd));
	/* The parent's mtime changes. */
	age("d");
	T(mkdir("d/new", 0755));
	mtime_changed("d");
	SHOW("d");
	ls(".");
	ls("d");
	return 0;
}
