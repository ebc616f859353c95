/* rename of directories: over directories, over files, into themselves. */
#include "common.h"

int main(void)
{
	begin("rename directories");
	MUST(mkdir("a", 0755));
	put("a/f", "in a");
	MUST(mkdir("empty", 0755));
	MUST(mkdir("full", 0755));
	put("full/x", "x");
	put("file", "a file");
	MUST(mkdir("p", 0755));
	MUST(mkdir("q", 0755));
	SHOW(".");
	T(rename("a", "empty"));
	SHOW("a");
	ls("empty");
	T(rename("empty", "full"));
	T(rename("full", "empty"));
	ls("empty");
	/* Directory over a file and file over a directory. */
	T(rename("empty", "file"));
	T(rename("file", "empty"));
	/* Into its own subtree. */
	MUST(mkdir("empty/sub", 0755));
	T(rename("empty", "empty/sub/x"));
	T(rename("empty", "empty/x"));
	T(rename("empty/sub", "empty/sub/deeper"));
	/* Onto itself and onto its parent. */
	T(rename("empty", "empty"));
	T(rename("empty/sub", "empty"));
	T(rename("empty", "empty/sub/.."));
	/* Dot and dot-dot. */
	T(rename(".", "dot"));
	T(rename("..", "dotdot"));
	T(rename("empty/.", "z"));
	T(rename("empty/sub", "."));
	T(rename("empty/sub", "empty/.."));
	/* Trailing slashes are fine on directories. */
	T(rename("empty/sub/", "p/sub/"));
	ls("p");
	/* Link counts of the parents move with the directory. */
	SHOW("p");
	SHOW("q");
	T(rename("p/sub", "q/sub"));
	SHOW("p");
	SHOW("q");
	/* The moved directory's ".." follows. */
	put("q/marker", "in q");
	cat("q/sub/../marker");
	/* A directory over an empty directory that has open fds. */
	MUST(mkdir("victim", 0755));
	int fd = T(open("victim", O_RDONLY | O_DIRECTORY));
	T(rename("q", "victim"));
	show_fd("victim fd", fd);
	T(openat(fd, "x", O_RDWR | O_CREAT, 0644));
	T(close(fd));
	ls(".");
	ls("victim");
	return 0;
}
