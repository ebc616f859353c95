/* rmdir and unlinkat(AT_REMOVEDIR). */
#include "common.h"

int main(void)
{
	begin("rmdir");
	MUST(mkdir("d", 0755));
	MUST(mkdir("d/sub", 0755));
	MUST(mkdir("e", 0755));
	put("d/f", "x");
	put("f", "x");
	MUST(symlink("e", "le"));
	SHOW("d");
	T(rmdir("d"));
	T(rmdir("d/f"));
	T(rmdir("f"));
	T(rmdir("missing"));
	T(rmdir("missing/x"));
	T(rmdir("f/x"));
	T(rmdir(""));
	T(rmdir("."));
	T(rmdir(".."));
	T(rmdir("d/."));
	T(rmdir("d/.."));
	T(rmdir("d/sub/."));
	T(rmdir("d/sub/.."));
	T(rmdir("/"));
	T(rmdir("le"));
	T(rmdir("le/"));
#ifdef SYS_rmdir
	T(syscall(SYS_rmdir, (char *)1));
#endif
	T(syscall(SYS_unlinkat, AT_FDCWD, (char *)1, AT_REMOVEDIR));
	SHOW("e");
	T(rmdir("d/sub"));
	SHOW("d");
	T(unlink("d/f"));
	T(rmdir("d/"));
	SHOW("d");
	/* unlinkat with and without AT_REMOVEDIR. */
	MUST(mkdir("g", 0755));
	MUST(mkdir("g/h", 0755));
	put("g/file", "x");
	int gfd = T(open("g", O_RDONLY | O_DIRECTORY));
	T(unlinkat(gfd, "h", 0));
	T(unlinkat(gfd, "file", AT_REMOVEDIR));
	T(unlinkat(gfd, "h", AT_REMOVEDIR));
	T(unlinkat(gfd, "file", 0));
	T(unlinkat(gfd, "x", 0x1));
	T(unlinkat(gfd, ".", AT_REMOVEDIR));
	T(close(gfd));
	T(unlinkat(AT_FDCWD, "g", AT_REMOVEDIR));
	/* The cwd can be removed through its name. */
	MUST(mkdir("cwd", 0755));
	T(chdir("cwd"));
	T(rmdir("../cwd"));
	T(chdir(".."));
	ls(".");
	return 0;
}
