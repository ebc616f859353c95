/* lseek SEEK_DATA / SEEK_HOLE: a file's data then a hole to its end,
 * holes of whole 2 MiB blocks in a large file, a punched hole, empty and
 * all-hole files, and the errors. Holes of a few 4 KiB pages inside a
 * large page of the sandbox's store read as data (README, "Known
 * differences"): this program checks the answers that hold either way. */
#include "common.h"

#define KiB 1024L
#define MiB (1024 * KiB)

/* Every data and hole boundary from 0 to the end, as offsets. */
static void walk(const char *label, int fd)
{
	off_t end = lseek(fd, 0, SEEK_END), at = 0;
	say("%s (size %lld):", label, (long long)end);
	while (at < end) {
		off_t data = lseek(fd, at, SEEK_DATA);
		if (data < 0) {
			say(" no data after %lld (%s)", (long long)at, errname(errno));
			break;
		}
		off_t hole = lseek(fd, data, SEEK_HOLE);
		say(" data %lld-%lld", (long long)data, (long long)hole);
		at = hole;
	}
	say("\n");
}

static void put_at(int fd, off_t off, size_t len)
{
	static char buf[2 * MiB];
	memset(buf, 'x', len);
	if (pwrite(fd, buf, len, off) != (ssize_t)len)
		say("setup failed: pwrite %zu at %lld: %s\n", len, (long long)off, errname(errno));
}

int main(void)
{
	begin("seek_holes");
	int small = T(open("small", O_RDWR | O_CREAT, 0644));
	put_at(small, 0, 4 * KiB);
	MUST(ftruncate(small, 1 * MiB));
	walk("small", small);
	T(lseek(small, 100, SEEK_DATA));
	T(lseek(small, 100, SEEK_HOLE));
	T(lseek(small, 4 * KiB, SEEK_DATA));
	T(lseek(small, 1 * MiB, SEEK_DATA));
	T(lseek(small, 1 * MiB, SEEK_HOLE));
	T(lseek(small, -1, SEEK_DATA));
	T(lseek(small, -1, SEEK_HOLE));
	T(lseek(small, 0, SEEK_CUR));

	/* Whole 2 MiB blocks of data and of holes. */
	int large = T(open("large", O_RDWR | O_CREAT, 0644));
	put_at(large, 0, 2 * MiB);
	put_at(large, 6 * MiB, 2 * MiB);
	MUST(ftruncate(large, 12 * MiB));
	walk("large", large);
	T(lseek(large, 3 * MiB, SEEK_DATA));
	T(lseek(large, 7 * MiB, SEEK_HOLE));

	/* A hole punched into written pages. */
	int punched = T(open("punched", O_RDWR | O_CREAT, 0644));
	put_at(punched, 0, 64 * KiB);
	T(fallocate(punched, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 16 * KiB, 8 * KiB));
	walk("punched", punched);

	/* An empty file and one that is all hole. */
	int empty = T(open("empty", O_RDWR | O_CREAT, 0644));
	T(lseek(empty, 0, SEEK_DATA));
	T(lseek(empty, 0, SEEK_HOLE));
	MUST(ftruncate(empty, 100 * KiB));
	T(lseek(empty, 0, SEEK_DATA));
	T(lseek(empty, 0, SEEK_HOLE));
	return 0;
}
