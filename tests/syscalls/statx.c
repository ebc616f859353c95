/* statx: fields, flags, masks. */
#include "common.h"

static void sx(int dfd, const char *path, int flags, unsigned mask, const char *label)
{
	struct statx stx;
	memset(&stx, 0, sizeof(stx));
	errno = 0;
	int r = statx(dfd, path, flags, mask, &stx);
	if (r < 0) {
		say("statx %s = %s\n", label, res(r, errno));
		return;
	}
	char size[32] = "";
	if (!S_ISDIR(stx.stx_mode))
		snprintf(size, sizeof(size), " size=%llu", (unsigned long long)stx.stx_size);
	/* Whether fields beyond the requested ones are reported varies between
	 * kernel versions: look only at the requested basic ones. */
	unsigned want = mask & STATX_BASIC_STATS;
	say("statx %s = 0: requested=%s %s mode=%04o nlink=%u%s\n", label,
	    (stx.stx_mask & want) == want ? "yes" : "no",
	    ftype(stx.stx_mode), stx.stx_mode & 07777, stx.stx_nlink, size);
}

int main(void)
{
	begin("statx");
	put("f", "hello");
	MUST(mkdir("d", 0711));
	MUST(symlink("f", "lf"));
	MUST(mkfifo("p", 0600));
	sx(AT_FDCWD, "f", 0, STATX_BASIC_STATS, "f");
	sx(AT_FDCWD, "d", 0, STATX_BASIC_STATS, "d");
	sx(AT_FDCWD, "lf", 0, STATX_BASIC_STATS, "lf");
	sx(AT_FDCWD, "lf", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, "lf nofollow");
	sx(AT_FDCWD, "p", 0, STATX_BASIC_STATS, "p");
	sx(AT_FDCWD, "/dev/null", 0, STATX_BASIC_STATS, "/dev/null");
	sx(AT_FDCWD, "missing", 0, STATX_BASIC_STATS, "missing");
	sx(AT_FDCWD, "f/", 0, STATX_BASIC_STATS, "f/");
	int fd = T(open("f", O_RDONLY));
	sx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, "fd AT_EMPTY_PATH");
	sx(fd, "", 0, STATX_BASIC_STATS, "fd without AT_EMPTY_PATH");
	sx(AT_FDCWD, "", AT_EMPTY_PATH, STATX_BASIC_STATS, "AT_FDCWD AT_EMPTY_PATH");
	int lfd = T(open("lf", O_PATH | O_NOFOLLOW));
	sx(lfd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, "symlink O_PATH fd");
	int dfd = T(open("d", O_RDONLY | O_DIRECTORY));
	sx(dfd, "..", 0, STATX_BASIC_STATS, "d/..");
	sx(AT_FDCWD, "f", 0, STATX_TYPE | STATX_MODE, "f type|mode");
	sx(AT_FDCWD, "f", 0, 0, "f mask 0");
	sx(AT_FDCWD, "f", AT_STATX_FORCE_SYNC, STATX_BASIC_STATS, "f force sync");
	sx(AT_FDCWD, "f", AT_STATX_DONT_SYNC, STATX_BASIC_STATS, "f dont sync");
	sx(AT_FDCWD, "f", AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC, STATX_BASIC_STATS, "f both syncs");
	sx(AT_FDCWD, "f", 0, 0x80000000U, "f reserved mask bit");
	sx(AT_FDCWD, "f", 0x10000, STATX_BASIC_STATS, "f bad flag");
	sx(99, "f", 0, STATX_BASIC_STATS, "relative to a closed dirfd");
	sx(99, "/dev/null", 0, STATX_BASIC_STATS, "absolute with a closed dirfd");
	T(syscall(SYS_statx, AT_FDCWD, "f", 0, STATX_BASIC_STATS, (void *)1));
	T(syscall(SYS_statx, AT_FDCWD, (char *)1, 0, STATX_BASIC_STATS, (void *)1));
	/* Timestamps set exactly come back exactly. */
	struct timespec ts[2] = { { 1000000001, 2 }, { 1000000003, 4 } };
	MUST(utimensat(AT_FDCWD, "f", ts, 0));
	struct statx stx;
	T(statx(AT_FDCWD, "f", 0, STATX_ATIME | STATX_MTIME, &stx));
	say("  atime %lld.%u mtime %lld.%u\n", (long long)stx.stx_atime.tv_sec, stx.stx_atime.tv_nsec,
	    (long long)stx.stx_mtime.tv_sec, stx.stx_mtime.tv_nsec);
	/* The same inode as stat reports. */
	struct stat st;
	stat("f", &st);
	statx(AT_FDCWD, "f", 0, STATX_INO, &stx);
	say("  same inode as stat: %s\n", stx.stx_ino == st.st_ino ? "yes" : "no");
	return 0;
}
