/* O_TMPFILE: an unnamed file in a directory, linkable unless O_EXCL. */
#include "common.h"

int main(void)
{
	begin("open O_TMPFILE");
	MUST(mkdir("d", 0755));
	put("f", "x");
	int fd = T(open("d", O_TMPFILE | O_RDWR, 0640));
	show_fd("tmpfile", fd);
	T(write(fd, "unnamed", 7));
	T(lseek(fd, 0, SEEK_SET));
	readfd("tmpfile", fd);
	ls("d");
	/* Give it a name through /proc/self/fd and AT_SYMLINK_FOLLOW. */
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	TL("linkat(AT_FDCWD, /proc/self/fd/<tmp>, AT_FDCWD, \"d/named\", AT_SYMLINK_FOLLOW)",
	   linkat(AT_FDCWD, proc, AT_FDCWD, "d/named", AT_SYMLINK_FOLLOW));
	show_fd("tmpfile", fd);
	SHOW("d/named");
	cat("d/named");
	/* And a second name with AT_EMPTY_PATH. */
	T(linkat(fd, "", AT_FDCWD, "second", AT_EMPTY_PATH));
	show_fd("tmpfile", fd);
	same("d/named", "second");
	T(close(fd));
	/* O_EXCL forbids giving it a name. */
	fd = T(open("d", O_TMPFILE | O_WRONLY | O_EXCL, 0600));
	T(linkat(fd, "", AT_FDCWD, "excl", AT_EMPTY_PATH));
	TL("linkat(AT_FDCWD, /proc/self/fd/<excl>, AT_FDCWD, \"excl\", AT_SYMLINK_FOLLOW)",
	   linkat(AT_FDCWD, proc, AT_FDCWD, "excl", AT_SYMLINK_FOLLOW));
	T(close(fd));
	/* The umask applies to its mode. */
	umask(077);
	fd = T(open(".", O_TMPFILE | O_RDWR, 0666));
	show_fd("umask 077", fd);
	T(close(fd));
	umask(022);
	/* Errors: needs write access mode, a directory, an existing path. */
	T(open("d", O_TMPFILE | O_RDONLY, 0600));
	T(open("f", O_TMPFILE | O_RDWR, 0600));
	T(open("missing", O_TMPFILE | O_RDWR, 0600));
	T(open("d", O_TMPFILE | O_RDWR | O_CREAT, 0600));
	ls(".");
	ls("d");
	return 0;
}
