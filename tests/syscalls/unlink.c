/* unlink and unlinkat of files, directories, symlinks. */
#include "common.h"

int main(void)
{
	begin("unlink");
	put("f", "x");
	MUST(mkdir("d", 0755));
	put("d/g", "y");
	MUST(symlink("f", "lf"));
	MUST(symlink("d", "ld"));
	MUST(mkfifo("p", 0644));
	T(unlink("d"));
	T(unlink("d/"));
	T(unlink("."));
	T(unlink(".."));
	T(unlink("/"));
	T(unlink("missing"));
	T(unlink("missing/x"));
	T(unlink("f/x"));
	T(unlink("f/"));
	T(unlink(""));
	T(unlink("ld/"));
#ifdef SYS_unlink
	T(syscall(SYS_unlink, (char *)1));
#endif
	T(syscall(SYS_unlinkat, AT_FDCWD, (char *)1, 0));
	/* Unlinking a symlink leaves its target. */
	T(unlink("lf"));
	SHOW("lf");
	SHOW("f");
	T(unlink("ld"));
	SHOW("d");
	T(unlink("p"));
	/* The parent's mtime changes. */
	age("d");
	T(unlink("d/g"));
	mtime_changed("d");
	T(unlink("d/g"));
	/* Through a dirfd. */
	put("d/h", "z");
	int dfd = T(open("d", O_RDONLY | O_DIRECTORY));
	T(unlinkat(dfd, "h", 0));
	T(unlinkat(dfd, "h", 0));
	T(unlinkat(dfd, "../f", 0));
	T(close(dfd));
	T(unlink("d"));
	ls(".");
	ls("d");
	return 0;
}
