/* Trailing slashes: directories accept them, other files refuse them. */
#include "common.h"

int main(void)
{
	begin("trailing slashes");
	put("f", "x");
	MUST(mkdir("d", 0755));
	MUST(symlink("d", "ld"));
	MUST(symlink("f", "lf"));
	MUST(symlink("nodir", "dangling"));
	struct stat st;
	T(stat("d/", &st));
	T(stat("d//", &st));
	T(stat("f/", &st));
	T(lstat("ld/", &st));
	say("  lstat ld/ type: %s\n", ftype(st.st_mode));
	T(lstat("lf/", &st));
	T(lstat("dangling/", &st));
	T(open("f/", O_RDONLY));
	T(open("new/", O_RDWR | O_CREAT, 0644));
	T(open("dangling/", O_RDWR | O_CREAT, 0644));
	T(mkdir("newdir/", 0755));
	T(mkdir("dangling/", 0755));
	SHOW("nodir");
	T(rmdir("newdir/"));
	T(rmdir("ld/"));
	T(unlink("f/"));
	T(unlink("lf/"));
	T(unlink("ld/"));
	T(rename("d/", "e/"));
	T(rename("e", "d/"));
	T(rename("f", "g/"));
	T(rename("f/", "g"));
	T(rename("ld/", "x"));
	T(link("f", "g/"));
	T(symlink("f", "s/"));
	T(mkfifo("p/", 0644));
	T(access("f/", F_OK));
	T(access("d/", F_OK));
	T(chmod("f/", 0644));
	T(chdir("d/"));
	T(chdir("../"));
	T(truncate("f/", 0));
	ls(".");
	return 0;
}
