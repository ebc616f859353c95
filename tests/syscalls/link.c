/* link: link counts, shared inodes, and the errnos. */
#include "common.h"

int main(void)
{
	begin("link");
	put("f", "shared");
	MUST(mkdir("d", 0755));
	MUST(symlink("f", "lf"));
	SHOW("f");
	T(link("f", "g"));
	T(link("f", "d/h"));
	SHOW("f");
	SHOW("g");
	same("f", "g");
	same("f", "d/h");
	/* A write through one name shows through the other. */
	int fd = T(open("g", O_WRONLY | O_APPEND));
	T(write(fd, "+more", 5));
	T(close(fd));
	cat("d/h");
	/* chmod of one name changes the inode. */
	T(chmod("g", 0600));
	SHOW("f");
	T(unlink("f"));
	SHOW("g");
	T(unlink("d/h"));
	SHOW("g");
	/* Errors. */
	T(link("g", "g"));
	T(link("g", "d"));
	T(link("missing", "x"));
	T(link("d", "dlink"));
	T(link("g", "missing/x"));
	T(link("g", "g/x"));
	T(link("g", "newname/"));
	T(link("g/", "x"));
	T(link("", "x"));
	/* link does not follow a symlink; linkat AT_SYMLINK_FOLLOW does. */
	put("f", "new f");
	T(link("lf", "hardlf"));
	SHOW("hardlf");
	same("lf", "hardlf");
	T(linkat(AT_FDCWD, "lf", AT_FDCWD, "hardf", AT_SYMLINK_FOLLOW));
	SHOW("hardf");
	same("f", "hardf");
	T(linkat(AT_FDCWD, "lf", AT_FDCWD, "bad", 0x4));
	/* A dangling symlink can be linked, not followed. */
	MUST(symlink("nowhere", "dangling"));
	T(link("dangling", "dl2"));
	T(linkat(AT_FDCWD, "dangling", AT_FDCWD, "dl3", AT_SYMLINK_FOLLOW));
	/* Through dirfds. */
	int d = T(open("d", O_RDONLY | O_DIRECTORY));
	T(linkat(AT_FDCWD, "g", d, "viafd", 0));
	T(linkat(d, "viafd", AT_FDCWD, "back", 0));
	T(close(d));
	SHOW("g");
	ls(".");
	ls("d");
	return 0;
}
