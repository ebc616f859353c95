/* Dangling symlinks: stat fails, lstat works, O_CREAT creates the target. */
#include "common.h"

int main(void)
{
	begin("dangling symlinks");
	MUST(mkdir("d", 0755));
	MUST(symlink("target", "dl"));
	MUST(symlink("d/deep", "dl2"));
	MUST(symlink("nodir/target", "dl3"));
	MUST(symlink("d/", "dslash"));
	MUST(symlink("newdir/", "dl4"));
	struct stat st;
	T(stat("dl", &st));
	T(lstat("dl", &st));
	SHOW("dl");
	T(access("dl", F_OK));
	T(open("dl", O_RDONLY));
	/* O_CREAT follows the link and creates its target. */
	int fd = T(open("dl", O_WRONLY | O_CREAT, 0600));
	T(write(fd, "made", 4));
	T(close(fd));
	SHOW("target");
	cat("dl");
	fd = T(open("dl2", O_WRONLY | O_CREAT, 0644));
	T(close(fd));
	SHOW("d/deep");
	T(open("dl3", O_WRONLY | O_CREAT, 0644));
	/* A target with a trailing slash cannot be created as a file. */
	T(open("dl4", O_WRONLY | O_CREAT, 0644));
	/* mkdir does not follow a final symlink. */
	T(mkdir("dl4", 0755));
	T(mkdir("dl3", 0755));
	SHOW("newdir");
	/* Removing a link's target makes it dangle again. */
	T(unlink("target"));
	T(stat("dl", &st));
	cat("dl");
	/* unlink removes the link, not the target. */
	T(unlink("dl2"));
	SHOW("d/deep");
	T(rename("dl", "moved"));
	SHOW("moved");
	T(chmod("moved", 0644));
	T(truncate("moved", 0));
	ls(".");
	return 0;
}
