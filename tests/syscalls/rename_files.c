/* rename of files: over files, onto itself, between hard links, errors. */
#include "common.h"

int main(void)
{
	begin("rename files");
	put("a", "content a");
	put("b", "content b");
	MUST(mkdir("d", 0755));
	MUST(mkdir("e", 0755));
	int fd = T(open("b", O_RDONLY));
	/* Over an existing file: the target is replaced, an open fd keeps
	 * the old contents. */
	T(rename("a", "b"));
	SHOW("a");
	cat("b");
	readfd("old b", fd);
	show_fd("old b", fd);
	T(close(fd));
	/* Onto itself: nothing happens. */
	T(rename("b", "b"));
	cat("b");
	/* Two hard links of one inode: nothing happens, both names stay. */
	MUST(link("b", "hb"));
	T(rename("b", "hb"));
	SHOW("b");
	SHOW("hb");
	/* Into another directory, and back under a new name. */
	T(rename("hb", "d/moved"));
	T(rename("d/moved", "e/../renamed"));
	ls("d");
	/* The parent mtime changes on both sides. */
	put("d/x", "x");
	age("d");
	age("e");
	T(rename("d/x", "e/x"));
	mtime_changed("d");
	mtime_changed("e");
	/* Errors. */
	T(rename("missing", "z"));
	T(rename("b", "missing/z"));
	T(rename("b", "d"));
	T(rename("b", "e/"));
	T(rename("b/", "z"));
	T(rename("b", "z/"));
	T(rename("b", "b/x"));
	T(rename("", "z"));
	T(rename("b", ""));
#ifdef SYS_rename
	T(syscall(SYS_rename, (char *)1, "z"));
	T(syscall(SYS_rename, "b", (char *)1));
#endif
	T(syscall(SYS_renameat2, AT_FDCWD, (char *)1, AT_FDCWD, "z", 0));
	T(syscall(SYS_renameat2, AT_FDCWD, "b", AT_FDCWD, (char *)1, 0));
	/* A symlink is renamed, not its target. */
	MUST(symlink("b", "lb"));
	T(rename("lb", "lb2"));
	SHOW("lb2");
	SHOW("b");
	/* A file over a symlink replaces the symlink. */
	put("c", "content c");
	T(rename("c", "lb2"));
	SHOW("lb2");
	cat("b");
	/* renameat with dirfds. */
	int d = T(open("d", O_RDONLY | O_DIRECTORY));
	int e = T(open("e", O_RDONLY | O_DIRECTORY));
	T(renameat(e, "x", d, "y"));
	T(renameat(d, "y", AT_FDCWD, "top"));
	T(renameat(-1, "top", AT_FDCWD, "z"));
	T(close(d));
	T(close(e));
	ls(".");
	ls("d");
	ls("e");
	return 0;
}
