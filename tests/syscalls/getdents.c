/* getdents64: entries, types, ".", "..", buffer sizes, errors. */
#include "common.h"

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* Reads a whole directory with getdents64 and a given buffer size;
 * prints the sorted names with types. */
static void listing(const char *path, size_t bufsize)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		say("  open %s: -1 %s\n", path, errname(errno));
		return;
	}
	char buf[8192];
	char *names[128];
	int n = 0, calls = 0;
	long r;
	while ((r = syscall(SYS_getdents64, fd, buf, bufsize)) > 0) {
		calls++;
		for (long off = 0; off < r;) {
			struct linux_dirent64 *e = (struct linux_dirent64 *)(buf + off);
			if (n < 128 && asprintf(&names[n], "%s:%u", e->d_name, e->d_type) > 0)
				n++;
			off += e->d_reclen;
		}
	}
	say("  getdents64 %s bufsize %zu: last %s, %s calls, entries:", path, bufsize,
	    res(r, errno), calls > 1 ? "several" : "one");
	qsort(names, (size_t)n, sizeof(names[0]), cmp_str);
	for (int i = 0; i < n; i++) {
		say(" %s", names[i]);
		free(names[i]);
	}
	say("\n");
	/* At the end it keeps returning 0. */
	errno = 0;
	r = syscall(SYS_getdents64, fd, buf, bufsize);
	say("  again: %s\n", res(r, errno));
	close(fd);
}

int main(void)
{
	begin("getdents64");
	say("d_type: reg %d dir %d lnk %d fifo %d sock %d\n", DT_REG, DT_DIR, DT_LNK, DT_FIFO, DT_SOCK);
	MUST(mkdir("d", 0755));
	MUST(mkdir("empty", 0755));
	put("d/file", "x");
	MUST(mkdir("d/sub", 0755));
	MUST(symlink("file", "d/link"));
	MUST(mkfifo("d/fifo", 0644));
	MUST(mknod("d/sock", S_IFSOCK | 0644, 0));
	for (int i = 0; i < 40; i++) {
		char name[64];
		snprintf(name, sizeof(name), "d/name-%02d-%s", i, "padding-to-make-entries-longer");
		put(name, "");
	}
	listing("empty", 4096);
	listing("d", 8192);
	listing("d", 256);
	listing("d", 96);
	/* A buffer smaller than one entry. */
	int fd = T(open("d", O_RDONLY | O_DIRECTORY));
	char buf[512];
	T(syscall(SYS_getdents64, fd, buf, 10));
	T(syscall(SYS_getdents64, fd, buf, 0));
	T(syscall(SYS_getdents64, fd, (void *)1, sizeof(buf)));
	T(close(fd));
	/* Not a directory. */
	fd = T(open("d/file", O_RDONLY));
	T(syscall(SYS_getdents64, fd, buf, sizeof(buf)));
	T(close(fd));
	T(syscall(SYS_getdents64, 99, buf, sizeof(buf)));
	/* Rewinding with lseek lists again. */
	fd = T(open("empty", O_RDONLY | O_DIRECTORY));
	long a = T(syscall(SYS_getdents64, fd, buf, sizeof(buf)));
	T(syscall(SYS_getdents64, fd, buf, sizeof(buf)));
	T(lseek(fd, 0, SEEK_SET));
	long b = T(syscall(SYS_getdents64, fd, buf, sizeof(buf)));
	say("  same length after rewind: %s\n", a == b ? "yes" : "no");
	T(close(fd));
	/* The older getdents, where the architecture has it. */
#ifdef SYS_getdents
	fd = T(open("empty", O_RDONLY | O_DIRECTORY));
	T(syscall(SYS_getdents, fd, buf, sizeof(buf)) > 0);
	T(close(fd));
#endif
	return 0;
}
