#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fdinstall.h"
#include "fdmap.h"
#include "sandbox.h"
#include "vfs.h"

struct fdmap_entry {
	dev_t dev;
	ino_t ino;
	struct vfs_file *file;
	struct fdmap_entry *next;
};

#define FDMAP_BUCKETS 4096

static struct fdmap_entry *buckets[FDMAP_BUCKETS];

static unsigned bucket_of(dev_t dev, ino_t ino)
{
	uint64_t h = (uint64_t)ino * 0x9e3779b97f4a7c15ull ^ (uint64_t)dev;
	return (unsigned)(h >> 40) % FDMAP_BUCKETS;
}

static struct fdmap_entry *find(dev_t dev, ino_t ino)
{
	for (struct fdmap_entry *e = buckets[bucket_of(dev, ino)]; e; e = e->next)
		if (e->dev == dev && e->ino == ino)
			return e;
	return NULL;
}

int fdmap_add(int host_fd, struct vfs_file *file)
{
	struct stat st;
	if (fstat(host_fd, &st) < 0)
		return -errno;
	struct fdmap_entry *e = find(st.st_dev, st.st_ino);
	if (e) {
		/* Another open of the same memfd (a regular file opened twice):
		 * any of its VFS files describes the inode. */
		return 0;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->dev = st.st_dev;
	e->ino = st.st_ino;
	e->file = file;
	vfs_file_get(file);
	unsigned b = bucket_of(e->dev, e->ino);
	e->next = buckets[b];
	buckets[b] = e;
	return 0;
}

int task_pidfd(struct task *task)
{
	if (task->pidfd < 0)
		task->pidfd = (int)syscall(SYS_pidfd_open, task->tgid, 0);
	return task->pidfd < 0 ? -errno : task->pidfd;
}

int task_fd_lookup(struct task *task, int fd, struct vfs_file **file, int *host_fd)
{
	if (fd < 0 || fd_is_reserved(task, fd))
		return -EBADF;
	int pidfd = task_pidfd(task);
	if (pidfd < 0)
		return pidfd;
	struct stat st;
	int r = 0;
	int copy = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	if (copy < 0 && errno == EBADF) {
		/* pidfd_getfd cannot take an O_PATH fd; its /proc link still
		 * leads to the object (and a closed fd has no link) */
		char link[64];
		snprintf(link, sizeof(link), "/proc/%d/fd/%d", task->tid, fd);
		if (stat(link, &st) < 0)
			return -EBADF;
	} else if (copy < 0) {
		return -errno;
	} else if (fstat(copy, &st) < 0) {
		r = -errno;
	}
	struct fdmap_entry *e = r ? NULL : find(st.st_dev, st.st_ino);
	if (host_fd)
		*host_fd = copy;
	else if (copy >= 0)
		close(copy);
	if (r)
		return r;
	*file = e ? e->file : NULL;
	return e ? FD_VFS : FD_KERNEL;
}
