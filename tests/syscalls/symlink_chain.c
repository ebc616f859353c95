/* Symlink chains: 40 links are followed, the 41st gives ELOOP. */
#include "common.h"

static void chain(const char *prefix, int n, const char *target)
{
	char name[64], next[64];
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s%d", prefix, i);
		if (i == n - 1)
			snprintf(next, sizeof(next), "%s", target);
		else
			snprintf(next, sizeof(next), "%s%d", prefix, i + 1);
		if (symlink(next, name) < 0)
			say("setup failed: symlink %s\n", name);
	}
}

int main(void)
{
	begin("symlink chains");
	put("f", "end of chain");
	MUST(mkdir("d", 0755));
	chain("a", 39, "f");
	chain("b", 40, "f");
	chain("c", 41, "f");
	chain("e", 40, "d");
	cat("a0");
	cat("b0");
	cat("c0");
	struct stat st;
	T(stat("b0", &st));
	T(stat("c0", &st));
	T(lstat("c0", &st));
	T(access("c0", F_OK));
	T(open("c0", O_RDONLY));
	T(open("c0", O_RDONLY | O_CREAT, 0644));
	T(chdir("c0"));
	/* Links met in the middle of a path count towards the same limit. */
	put("d/g", "in d");
	cat("e0/g");
	T(stat("e1/g", &st));
	T(symlink("e0", "x"));
	T(stat("x/g", &st));
	/* Loops. */
	T(symlink("self", "self"));
	T(open("self", O_RDONLY));
	T(open("self", O_RDONLY | O_CREAT, 0644));
	T(symlink("ping", "pong"));
	T(symlink("pong", "ping"));
	T(stat("ping", &st));
	T(stat("ping/x", &st));
	T(mkdir("ping/x", 0755));
	T(lstat("ping", &st));
	/* A chain through directories: each level is a link to the next. */
	T(symlink(".", "dot"));
	char path[400] = "dot";
	for (int i = 0; i < 40; i++)
		strcat(path, "/dot");
	strcat(path, "/f");
	cat(path + 4); /* 40 links */
	cat(path);     /* 41 links */
	return 0;
}
