/* utimensat and futimens: exact nanoseconds, UTIME_NOW, UTIME_OMIT. */
#include "common.h"
#include <sys/time.h>

static void times_of(const char *path, int flags)
{
	struct stat st;
	if (fstatat(AT_FDCWD, path, &st, flags) < 0) {
		say("  times %s: -1 %s\n", path, errname(errno));
		return;
	}
	say("  times %s: atime %lld.%09ld mtime %lld.%09ld\n", path,
	    (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
	    (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

int main(void)
{
	begin("utimensat");
	put("f", "x");
	MUST(symlink("f", "lf"));
	MUST(mkdir("d", 0755));
	struct timespec ts[2] = { { 1234567890, 123456789 }, { 987654321, 999999999 } };
	T(utimensat(AT_FDCWD, "f", ts, 0));
	times_of("f", 0);
	/* UTIME_OMIT leaves one alone. */
	struct timespec omit[2] = { { 0, UTIME_OMIT }, { 1500000000, 1 } };
	T(utimensat(AT_FDCWD, "f", omit, 0));
	times_of("f", 0);
	struct timespec omit2[2] = { { 1600000000, 5 }, { 0, UTIME_OMIT } };
	T(utimensat(AT_FDCWD, "f", omit2, 0));
	times_of("f", 0);
	struct timespec both[2] = { { 0, UTIME_OMIT }, { 0, UTIME_OMIT } };
	T(utimensat(AT_FDCWD, "f", both, 0));
	times_of("f", 0);
	/* UTIME_NOW sets the current time: print only that it moved. */
	age("f");
	struct timespec now[2] = { { 0, UTIME_OMIT }, { 0, UTIME_NOW } };
	T(utimensat(AT_FDCWD, "f", now, 0));
	mtime_changed("f");
	age("f");
	T(utimensat(AT_FDCWD, "f", NULL, 0));
	mtime_changed("f");
	/* Through a symlink, and on the symlink itself. */
	T(utimensat(AT_FDCWD, "lf", ts, 0));
	times_of("f", 0);
	struct timespec lts[2] = { { 1111111111, 111 }, { 1222222222, 222 } };
	T(utimensat(AT_FDCWD, "lf", lts, AT_SYMLINK_NOFOLLOW));
	times_of("lf", AT_SYMLINK_NOFOLLOW);
	times_of("f", 0);
	/* futimens and a dirfd. */
	int fd = T(open("f", O_RDONLY));
	struct timespec fts[2] = { { 1300000000, 300 }, { 1400000000, 400 } };
	T(futimens(fd, fts));
	times_of("f", 0);
	T(syscall(SYS_utimensat, fd, NULL, fts, 0));
	T(close(fd));
	int dfd = T(open(".", O_RDONLY | O_DIRECTORY));
	T(utimensat(dfd, "d", ts, 0));
	times_of("d", 0);
	T(utimensat(dfd, "", lts, AT_EMPTY_PATH));
	times_of(".", 0);
	T(close(dfd));
	/* Errors. */
	struct timespec bad[2] = { { 0, 1000000000 }, { 0, 0 } };
	T(utimensat(AT_FDCWD, "f", bad, 0));
	struct timespec neg[2] = { { 0, -1 }, { 0, 0 } };
	T(utimensat(AT_FDCWD, "f", neg, 0));
	T(utimensat(AT_FDCWD, "missing", ts, 0));
	T(utimensat(AT_FDCWD, "f", ts, 0x4000));
	T(syscall(SYS_utimensat, AT_FDCWD, "f", (struct timespec *)1, 0));
	T(syscall(SYS_utimensat, AT_FDCWD, (char *)1, ts, 0));
	/* Times before the epoch and far in the future. */
	struct timespec old[2] = { { -1, 0 }, { 4000000000LL, 42 } };
	T(utimensat(AT_FDCWD, "f", old, 0));
	times_of("f", 0);
	/* utimes and utime, the older calls. */
	struct timeval tv[2] = { { 1000, 1 }, { 2000, 2 } };
	T(utimes("f", tv));
	times_of("f", 0);
	return 0;
}
