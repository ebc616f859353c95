/* stat, lstat, fstat, newfstatat on files, directories, symlinks, fifos. */
#include "common.h"

static void fsat(int dfd, const char *dname, const char *path, int flags, const char *fname)
{
	struct stat st;
	errno = 0;
	int r = fstatat(dfd, path, &st, flags);
	char label[128];
	snprintf(label, sizeof(label), "fstatat(%s, \"%s\", %s)", dname, path, fname);
	if (r < 0)
		say("%s = %s\n", label, res(r, errno));
	else
		show_st(label, &st);
}

int main(void)
{
	begin("stat family");
	put("f", "12345");
	MUST(mkdir("d", 0750));
	MUST(mkdir("d/sub", 0755));
	MUST(symlink("f", "lf"));
	MUST(symlink("d", "ld"));
	MUST(symlink("nowhere", "dangling"));
	MUST(mkfifo("p", 0640));
	SHOW("f");
	SHOWF("f");
	SHOW("d");
	SHOW("lf");
	SHOWF("lf");
	SHOW("ld");
	SHOWF("ld");
	SHOW("dangling");
	SHOWF("dangling");
	SHOW("p");
	SHOW("missing");
	SHOW("f/");
	SHOW("d/");
	SHOW("lf/");
	SHOW("ld/");
	SHOW("");
	SHOW("d/sub/..");
	same("d/sub/..", "d");
	same(".", "d/..");
	same("/", "/..");
	same("ld/", "d");
	/* uid and gid of new files are the caller's. */
	struct stat st;
	stat("f", &st);
	say("  owner is caller: uid %s gid %s\n", st.st_uid == geteuid() ? "yes" : "no",
	    st.st_gid == getegid() ? "yes" : "no");
	/* fstat on fds of each kind. */
	int fd = T(open("f", O_RDONLY));
	show_fd("f", fd);
	int dfd = T(open("d", O_RDONLY | O_DIRECTORY));
	show_fd("d", dfd);
	int lfd = T(open("lf", O_PATH | O_NOFOLLOW));
	show_fd("lf", lfd);
	T(fstat(99, &st));
	T(fstat(fd, (struct stat *)1));
	/* newfstatat: dirfds, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH. */
	fsat(dfd, "d", "sub", 0, "0");
	fsat(dfd, "d", "..", 0, "0");
	fsat(AT_FDCWD, "AT_FDCWD", "lf", 0, "0");
	fsat(AT_FDCWD, "AT_FDCWD", "lf", AT_SYMLINK_NOFOLLOW, "AT_SYMLINK_NOFOLLOW");
	fsat(fd, "fd", "", AT_EMPTY_PATH, "AT_EMPTY_PATH");
	fsat(fd, "fd", "", 0, "0");
	fsat(lfd, "lfd", "", AT_EMPTY_PATH, "AT_EMPTY_PATH");
	fsat(lfd, "lfd", "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, "AT_EMPTY_PATH|AT_SYMLINK_NOFOLLOW");
	fsat(dfd, "d", "", AT_EMPTY_PATH, "AT_EMPTY_PATH");
	fsat(AT_FDCWD, "AT_FDCWD", "", AT_EMPTY_PATH, "AT_EMPTY_PATH");
	fsat(fd, "fd", "x", 0, "0");
	fsat(AT_FDCWD, "AT_FDCWD", "f", 0x10000, "0x10000");
	fsat(AT_FDCWD, "AT_FDCWD", "ld", AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, "AT_SYMLINK_NOFOLLOW|AT_NO_AUTOMOUNT");
	T(syscall(SYS_newfstatat, AT_FDCWD, (char *)1, &st, 0));
#ifdef SYS_stat
	T(syscall(SYS_stat, "f", (struct stat *)1));
#endif
	T(syscall(SYS_newfstatat, AT_FDCWD, "f", (struct stat *)1, 0));
	/* Sizes follow writes; nlink follows links. */
	int afd = T(open("f", O_WRONLY | O_APPEND));
	T(write(afd, "678", 3));
	show_fd("f after append", fd);
	MUST(link("f", "f2"));
	show_fd("f after link", fd);
	return 0;
}
