/* chmod, fchmod, fchmodat. */
#include "common.h"

int main(void)
{
	begin("chmod");
	put("f", "x");
	MUST(mkdir("d", 0755));
	MUST(symlink("f", "lf"));
	MUST(symlink("nowhere", "dangling"));
	static const mode_t modes[] = { 0, 0400, 0644, 0755, 04755, 02755, 01777, 07777, 0170644 };
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		errno = 0;
		int r = chmod("f", modes[i]);
		say("chmod f %o = %s\n", (unsigned)modes[i], res(r, errno));
		SHOW("f");
	}
	T(chmod("d", 0700));
	SHOW("d");
	/* chmod follows symlinks. */
	T(chmod("lf", 0600));
	SHOW("lf");
	SHOW("f");
	T(chmod("dangling", 0600));
	T(chmod("missing", 0600));
	T(chmod("f/", 0600));
	T(chmod("", 0600));
#ifdef SYS_chmod
	T(syscall(SYS_chmod, (char *)1, 0600));
#endif
	T(syscall(SYS_fchmodat, AT_FDCWD, (char *)1, 0600));
	int fd = T(open("f", O_RDONLY));
	T(fchmod(fd, 0640));
	SHOW("f");
	T(close(fd));
	T(fchmod(fd, 0640));
	/* The ctime moves, the mtime does not. */
	age("f");
	T(chmod("f", 0644));
	mtime_changed("f");
	int dfd = T(open("d", O_RDONLY | O_DIRECTORY));
	put("d/g", "y");
	T(fchmodat(dfd, "g", 0611, 0));
	SHOW("d/g");
	T(fchmodat(AT_FDCWD, "f", 0604, 0));
	SHOW("f");
	/* AT_SYMLINK_NOFOLLOW on a symlink: Linux cannot change a symlink's
	 * mode; on a regular file it works. */
	T(fchmodat(AT_FDCWD, "lf", 0600, AT_SYMLINK_NOFOLLOW));
	T(fchmodat(AT_FDCWD, "f", 0600, AT_SYMLINK_NOFOLLOW));
	SHOW("f");
	T(syscall(SYS_fchmodat, AT_FDCWD, "f", 0644, AT_SYMLINK_NOFOLLOW));
	SHOW("f");
	T(fchmodat(dfd, "g", 0600, 0x1000));
	T(close(dfd));
	/* fchmod on other kinds of fds. */
	int p[2];
	MUST(pipe(p));
	T(fchmod(p[0], 0600));
	show_fd("pipe", p[0]);
	return 0;
}
