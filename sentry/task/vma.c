#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vma.h"

/* PROCMAP_QUERY (Linux 6.11), from linux/fs.h, which older headers lack. */
struct procmap_query {
	uint64_t size;
	uint64_t query_flags;
	uint64_t query_addr;
	uint64_t vma_start;
	uint64_t vma_end;
	uint64_t vma_flags;
	uint64_t vma_page_size;
	uint64_t vma_offset;
	uint64_t inode;
	uint32_t dev_major;
	uint32_t dev_minor;
	uint32_t vma_name_size;
	uint32_t build_id_size;
	uint64_t vma_name_addr;
	uint64_t build_id_addr;
};
#define PROCMAP_QUERY _IOWR('f', 17, struct procmap_query)
#define PROCMAP_QUERY_VMA_SHARED 0x08 /* VM_MAYSHARE, as 's' in maps */

/* One ioctl per mapping the range crosses; -ENOTTY before Linux 6.11. */
static int private_by_query(int maps, uint64_t lo, uint64_t hi)
{
	for (uint64_t at = lo; at < hi;) {
		struct procmap_query q = { .size = sizeof(q), .query_addr = at };
		if (ioctl(maps, PROCMAP_QUERY, &q) < 0)
			return errno == ENOENT ? 0 : -errno;
		if (q.vma_flags & PROCMAP_QUERY_VMA_SHARED)
			return 0;
		at = q.vma_end;
	}
	return 1;
}

/* The same from the text: "start-end perms ... name", in address order.
 * Whole lines (a name is the task's to choose, and could look like a line
 * of its own if a line were read in pieces; the kernel escapes newlines). */
static int private_by_text(int maps, uint64_t lo, uint64_t hi)
{
	FILE *f = fdopen(maps, "r");
	if (!f) {
		close(maps);
		return -ENOMEM;
	}
	uint64_t at = lo;
	char *line = NULL;
	size_t size = 0;
	while (at < hi && getline(&line, &size, f) > 0) {
		uint64_t start, end;
		char perms[5];
		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %4s", &start, &end, perms) != 3)
			continue;
		if (end <= at)
			continue;
		if (start > at || perms[3] == 's')
			break;
		at = end;
	}
	free(line);
	fclose(f);
	return at >= hi;
}

int task_memory_private(pid_t tid, uint64_t lo, uint64_t hi)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)tid);
	int maps = open(path, O_RDONLY | O_CLOEXEC);
	if (maps < 0)
		return -errno;
	int r = private_by_query(maps, lo, hi);
	if (r != -ENOTTY) {
		close(maps);
		return r;
	}
	return private_by_text(maps, lo, hi); /* closes maps */
}
