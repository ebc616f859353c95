/* chown, fchown, lchown, fchownat: owners as set, setuid clearing. */
#include "common.h"

static void owner(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0) {
		say("  owner %s: -1 %s\n", path, errname(errno));
		return;
	}
	say("  owner %s: %u:%u mode=%04o\n", path, st.st_uid, st.st_gid, st.st_mode & 07777);
}

int main(void)
{
	begin("chown");
	put("f", "x");
	MUST(symlink("f", "lf"));
	MUST(mkdir("d", 0755));
	owner("f");
	T(chown("f", 1234, 5678));
	owner("f");
	T(chown("f", -1, 42));
	owner("f");
	T(chown("f", 77, -1));
	owner("f");
	T(chown("f", -1, -1));
	owner("f");
	/* Through a symlink and on the symlink itself. */
	T(chown("lf", 1, 2));
	owner("f");
	owner("lf");
	T(lchown("lf", 3, 4));
	owner("lf");
	owner("f");
	T(fchownat(AT_FDCWD, "lf", 5, 6, AT_SYMLINK_NOFOLLOW));
	owner("lf");
	/* fchown and AT_EMPTY_PATH. */
	int fd = T(open("f", O_RDONLY));
	T(fchown(fd, 10, 20));
	owner("f");
	T(fchownat(fd, "", 30, 40, AT_EMPTY_PATH));
	owner("f");
	T(fchownat(fd, "", 30, 40, 0));
	T(close(fd));
	/* A chown of an executable clears setuid and setgid. */
	MUST(chmod("f", 06755));
	owner("f");
	T(chown("f", 0, 0));
	owner("f");
	/* Directories keep setgid. */
	MUST(chmod("d", 02755));
	T(chown("d", 9, 9));
	owner("d");
	/* Errors. */
	T(chown("missing", 0, 0));
	T(fchownat(AT_FDCWD, "f", 0, 0, 0x4));
	T(fchown(99, 0, 0));
	return 0;
}
