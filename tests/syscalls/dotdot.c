/* Path forms: ".", "..", repeated and trailing slashes, ".." at the root. */
#include "common.h"

int main(void)
{
	begin("dot and dot-dot");
	MUST(mkdir("a", 0755));
	MUST(mkdir("a/b", 0755));
	put("a/b/f", "deep");
	put("top", "top");
	MUST(symlink("a/b", "lb"));
	cat("a/b/f");
	cat("./a/./b/./f");
	cat("a//b///f");
	cat("a/b/../b/f");
	cat("a/b/../../top");
	cat("a/../a/b/../../top");
	cat("lb/../../top");
	cat("lb/f");
	cat("a/b/f/");
	cat("a/b/f/.");
	cat("missing/../top");
	cat("top/../top");
	same("/..", "/");
	same("/../../..", "/");
	same("//", "/");
	same("/.", "/");
	same("/proc/..", "/");
	same("a/b/..", "a");
	same("lb/..", "a");
	/* ".." from the start folder reaches its parent: the same directory
	 * as the parent named absolutely. */
	char parent[PATH_MAX];
	snprintf(parent, sizeof(parent), "%s", sc_start);
	char *slash = strrchr(parent, '/');
	if (slash && slash != parent)
		*slash = 0;
	struct stat a, b;
	say("  \"..\" is the start folder's parent: %s\n",
	    stat("..", &a) == 0 && stat(parent, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev
	    ? "yes" : "no");
	/* chdir into ".." repeatedly stops at "/". */
	for (int i = 0; i < 20; i++)
		if (chdir("..") < 0)
			say("chdir .. failed\n");
	pwd();
	T(chdir(sc_start));
	/* Absolute paths with extra slashes. */
	char abs[PATH_MAX + 32];
	snprintf(abs, sizeof(abs), "//%s//a/./b//f", sc_start);
	int fd = open(abs, O_RDONLY);
	say("  open(//<start>//a/./b//f) = %s\n", res(fd, errno));
	if (fd >= 0)
		readfd("f", fd);
	return 0;
}
