#include <dirent.h>
#include <errno.h>
#include <malloc.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/kcmp.h>

#include "fdinstall.h"
#include "fdmap.h"
#include "sandbox.h"
#include "vfs.h"

#ifndef F_CREATED_QUERY
#define F_CREATED_QUERY 1028 /* F_LINUX_SPECIFIC_BASE + 4, Linux 6.12 */
#endif

struct fdmap_entry {
	dev_t dev;
	ino_t ino;
	struct vfs_file *file;
	struct fdmap_entry *next;
	unsigned seen;       /* the last sweep that found it in a table */
	int created;         /* the sentry's copy of the open that made the
				file, or -1 (see fdmap_note_created) */
	bool created_dropped; /* that copy was closed to bound the kept fds,
				 or when the file lost its last name */
	bool host_image;      /* the object is the host's file, opened
				 read-only through the host view */
	bool kernel_created;  /* the workload's open made the file in the
				 kernel, which answers F_CREATED_QUERY */
};

#define FDMAP_BUCKETS 4096
/* What an entry keeps in the sentry's memory: itself and the VFS file it
 * holds (about 100 bytes), each with malloc's header. */
#define FDMAP_ENTRY_BYTES (sizeof(struct fdmap_entry) + 128)
#define FDMAP_FIRST_SWEEP 256
#define FDMAP_TRIM_AFTER 4096
/* Copies of creating opens kept at most: each is an fd of the sentry's. */
#define FDMAP_CREATED_MAX 256

static struct fdmap_entry *buckets[FDMAP_BUCKETS];
static size_t nentries;
static size_t ncreated;
static size_t sweep_at = FDMAP_FIRST_SWEEP;
static unsigned sweep_gen;

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

/* Marks every object in the task's fd table as seen; 0, or -errno when the
 * table could not be read (the sweep then drops nothing). A task whose
 * table is its process's (threads, nearly always) is skipped. */
static int mark_table(struct task *task, void *arg)
{
	(void)arg;
	if (task->tid != task->tgid &&
	    syscall(SYS_kcmp, task->tgid, task->tid, KCMP_FILES, 0, 0) == 0)
		return 0;
	char dir[64];
	snprintf(dir, sizeof(dir), "/proc/%d/fd", task->tid);
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT || errno == ESRCH ? 0 : -errno; /* gone */
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char link[sizeof(dir) + sizeof(de->d_name) + 1];
		struct stat st;
		snprintf(link, sizeof(link), "%s/%s", dir, de->d_name);
		if (stat(link, &st) < 0)
			continue; /* closed meanwhile, or an object stat cannot reach */
		struct fdmap_entry *e = find(st.st_dev, st.st_ino);
		if (e)
			e->seen = sweep_gen;
	}
	closedir(d);
	return 0;
}

/* Drops the entries of objects no fd table of the sandbox holds any more:
 * the kernel closes fds without telling the sentry, so the tables are the
 * truth. A table cannot gain an object the walk missed while it runs: a
 * forked child starts stopped with a copy of its parent's table, and the
 * parent waits at its fork event until the sentry has seen the child.
 *
 * An fd in flight in an SCM_RIGHTS message is in no table: its entry is
 * dropped. Received later, it is a kernel object of the sandbox's own
 * stores (a private tmpfs file, an empty placeholder directory, a host
 * device), which the handlers treat as any object the workload made:
 * it names no VFS file, reaches nothing of the host, and the file's VFS
 * identity (path, attributes) is lost for that fd. Keeping such entries
 * instead would let a workload pin memory without bound (send, close both
 * ends, repeat), and the kernel shows no socket's queue of fds. */
static void sweep(struct sandbox *sb)
{
	sweep_gen++;
	if (task_for_each(sb, mark_table, NULL) != 0)
		return;
	size_t before = nentries;
	for (unsigned b = 0; b < FDMAP_BUCKETS; b++) {
		struct fdmap_entry **pp = &buckets[b];
		while (*pp) {
			struct fdmap_entry *e = *pp;
			if (e->seen == sweep_gen) {
				pp = &e->next;
				continue;
			}
			*pp = e->next;
			if (e->created >= 0) {
				close(e->created);
				ncreated--;
			}
			vfs_file_put(e->file);
			free(e);
			nentries--;
			vfs_charge(sb->vfs, -(int64_t)FDMAP_ENTRY_BYTES);
		}
	}
	/* many files closed at once (a build's objects): their inodes,
	 * names and entries go back to the system, not only to malloc */
	if (before - nentries >= FDMAP_TRIM_AFTER)
		malloc_trim(0);
}

/* A sized tmpfs out of inodes, or its statfs: what no table holds goes
 * (files the call under way looked up stay alive: vfs_file_hold_call). */
static void reclaim(void *sandbox)
{
	sweep(sandbox);
}

/* Sweeps when the map has doubled since the last sweep, so that it holds
 * at most twice what the tables hold, for a walk per doubling. */
static void sweep_if_grown(struct sandbox *sb)
{
	if (nentries < sweep_at)
		return;
	sweep(sb);
	sweep_at = nentries * 2 > FDMAP_FIRST_SWEEP ? nentries * 2 : FDMAP_FIRST_SWEEP;
}

static int add(struct task *task, int host_fd, struct vfs_file *file, bool host_image)
{
	struct stat st;
	if (fstat(host_fd, &st) < 0)
		return -errno;
	struct fdmap_entry *e = find(st.st_dev, st.st_ino);
	if (e) {
		/* Another open of the same memfd (a regular file opened twice):
		 * any of its VFS files describes the inode. */
		e->host_image |= host_image;
		return 0;
	}
	struct sandbox *sb = task->sandbox;
	vfs_on_reclaim(sb->vfs, reclaim, sb);
	sweep_if_grown(sb);
	if (vfs_charge(sb->vfs, FDMAP_ENTRY_BYTES) < 0) {
		/* over the limit: what no table holds goes first */
		sweep(sb);
		if (vfs_charge(sb->vfs, FDMAP_ENTRY_BYTES) < 0)
			return -ENFILE;
	}
	e = calloc(1, sizeof(*e));
	if (!e) {
		vfs_charge(sb->vfs, -(int64_t)FDMAP_ENTRY_BYTES);
		return -ENOMEM;
	}
	e->dev = st.st_dev;
	e->ino = st.st_ino;
	e->created = -1;
	e->file = file;
	e->seen = sweep_gen;
	e->host_image = host_image;
	vfs_file_get(file);
	unsigned b = bucket_of(e->dev, e->ino);
	e->next = buckets[b];
	buckets[b] = e;
	nentries++;
	return 0;
}

int fdmap_add(struct task *task, int host_fd, struct vfs_file *file)
{
	return add(task, host_fd, file, false);
}

int fdmap_add_host_image(struct task *task, int host_fd, struct vfs_file *file)
{
	return add(task, host_fd, file, true);
}

bool fdmap_is_host_image(int host_fd)
{
	struct stat st;
	if (host_fd < 0 || fstat(host_fd, &st) < 0)
		return false;
	struct fdmap_entry *e = find(st.st_dev, st.st_ino);
	return e && e->host_image;
}

size_t fdmap_size(void)
{
	return nentries;
}

static void drop_created_copy(struct fdmap_entry *e)
{
	close(e->created);
	e->created = -1;
	e->created_dropped = true;
	ncreated--;
}

/* Closes some kept copy of a creating open, so that another can be kept. */
static void drop_a_created_copy(void)
{
	for (unsigned b = 0; b < FDMAP_BUCKETS; b++)
		for (struct fdmap_entry *e = buckets[b]; e; e = e->next)
			if (e->created >= 0) {
				drop_created_copy(e);
				return;
			}
}

/* The file lost its last name: the kept copy of the open that created it
 * would hold its contents past the workload's last close. F_CREATED_QUERY
 * on its fds is unknown from then on. */
static void forget_created(void *arg, int contents_fd)
{
	(void)arg;
	struct stat st;
	if (fstat(contents_fd, &st) < 0)
		return;
	struct fdmap_entry *e = find(st.st_dev, st.st_ino);
	if (e && e->created >= 0)
		drop_created_copy(e);
}

void fdmap_forget_created_open(int host_fd)
{
	struct stat st;
	if (fstat(host_fd, &st) < 0)
		return;
	struct fdmap_entry *e = find(st.st_dev, st.st_ino);
	pid_t self = getpid();
	if (e && e->created >= 0 && syscall(SYS_kcmp, self, self, KCMP_FILE, host_fd, e->created) == 0)
		drop_created_copy(e);
	if (e)
		vfs_file_unshare(e->file); /* the VFS's hold of the contents too */
}

void fdmap_note_created(struct task *task, int host_fd)
{
	vfs_on_last_name(task->sandbox->vfs, forget_created, NULL);
	struct stat st;
	if (fstat(host_fd, &st) < 0)
		return;
	/* a full sweep per creating open would walk every table each time
	 * while many created files stay open: only when the map has grown */
	if (ncreated >= FDMAP_CREATED_MAX)
		sweep_if_grown(task->sandbox);
	if (ncreated >= FDMAP_CREATED_MAX)
		drop_a_created_copy();
	struct fdmap_entry *e = find(st.st_dev, st.st_ino);
	if (!e || e->created >= 0)
		return;
	/* the VFS made the workload's open with O_CREAT itself (Linux 6.12
	 * on): nothing to remember */
	if (fcntl(host_fd, F_CREATED_QUERY) == 1) {
		e->kernel_created = true;
		return;
	}
	e->created = fcntl(host_fd, F_DUPFD_CLOEXEC, 0);
	if (e->created < 0) {
		e->created_dropped = true;
		return;
	}
	ncreated++;
}

int fdmap_created(int host_fd)
{
	struct stat st;
	if (fstat(host_fd, &st) < 0)
		return -errno;
	struct fdmap_entry *e = find(st.st_dev, st.st_ino);
	if (e && e->kernel_created)
		return fcntl(host_fd, F_CREATED_QUERY) == 1;
	if (!e || (e->created < 0 && !e->created_dropped))
		return 0;
	if (e->created < 0)
		return -ENOENT;
	pid_t self = getpid();
	return syscall(SYS_kcmp, self, self, KCMP_FILE, host_fd, e->created) == 0;
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
	if (e && copy >= 0)
		vfs_file_lend(e->file, copy); /* a file with no name: its contents, for this call */
	if (host_fd)
		*host_fd = copy;
	else if (copy >= 0)
		close(copy);
	/* alive until the call ends, though a sweep drop the entry meanwhile */
	if (!r && e && (r = vfs_file_hold_call(task->sandbox->vfs, e->file)) < 0 && host_fd && copy >= 0) {
		close(copy);
		*host_fd = -1;
	}
	if (r)
		return r;
	*file = e ? e->file : NULL;
	return e ? FD_VFS : FD_KERNEL;
}
