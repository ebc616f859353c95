#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "sandbox.h"
#include "task.h"

static unsigned task_hash(pid_t tid) { return (unsigned)tid % TASK_HASH_SIZE; }

struct task *task_find(struct sandbox *sb, pid_t tid)
{
	for (struct task *t = sb->tasks[task_hash(tid)]; t; t = t->hash_next)
		if (t->tid == tid)
			return t;
	return NULL;
}

struct task *task_add(struct sandbox *sb, pid_t tid, pid_t tgid, pid_t ppid)
{
	struct task *t = calloc(1, sizeof(*t));
	if (!t)
		sentry_fatal("out of memory tracking task %d", tid);
	t->tid = tid;
	t->tgid = tgid;
	t->ppid = ppid;
	t->sandbox = sb;
	unsigned h = task_hash(tid);
	t->hash_next = sb->tasks[h];
	sb->tasks[h] = t;
	sb->ntasks++;
	return t;
}

static void fd_table_put(struct fd_table *files)
{
	if (files && --files->refs == 0)
		free(files);
}

static void fs_state_put(struct fs_state *fs)
{
	if (fs && --fs->refs == 0)
		free(fs);
}

void task_remove(struct sandbox *sb, struct task *task)
{
	struct task **p = &sb->tasks[task_hash(task->tid)];
	while (*p && *p != task)
		p = &(*p)->hash_next;
	if (!*p)
		return;
	*p = task->hash_next;
	sb->ntasks--;
	fd_table_put(task->files);
	fs_state_put(task->fs);
	free(task);
}

size_t task_count(struct sandbox *sb) { return sb->ntasks; }

int task_for_each(struct sandbox *sb, int (*fn)(struct task *, void *), void *arg)
{
	for (size_t i = 0; i < TASK_HASH_SIZE; i++) {
		struct task *t = sb->tasks[i];
		while (t) {
			struct task *next = t->hash_next; /* fn may remove t */
			int r = fn(t, arg);
			if (r)
				return r;
			t = next;
		}
	}
	return 0;
}

bool task_is_sandbox_process(struct sandbox *sb, pid_t pid)
{
	struct task *t = task_find(sb, pid);
	return t && t->tgid == pid;
}

ssize_t task_read_mem(struct task *task, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { buf, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };
	ssize_t n = process_vm_readv(task->tid, &local, 1, &remote, 1, 0);
	if (n < 0)
		return errno == ESRCH ? -ESRCH : -EFAULT;
	return (size_t)n == len ? n : -EFAULT;
}

ssize_t task_write_mem(struct task *task, uint64_t addr, const void *buf, size_t len)
{
	struct iovec local = { (void *)buf, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };
	ssize_t n = process_vm_writev(task->tid, &local, 1, &remote, 1, 0);
	if (n < 0)
		return errno == ESRCH ? -ESRCH : -EFAULT;
	return (size_t)n == len ? n : -EFAULT;
}

/* Reads page by page so a string ending just before an unmapped page is
 * still read whole, as the kernel's strncpy_from_user does. */
ssize_t task_read_string(struct task *task, uint64_t addr, char *buf, size_t max)
{
	const size_t page = 4096;
	size_t done = 0;
	while (done < max) {
		size_t chunk = page - ((addr + done) % page);
		if (chunk > max - done)
			chunk = max - done;
		ssize_t n = task_read_mem(task, addr + done, buf + done, chunk);
		if (n < 0)
			return n;
		char *nul = memchr(buf + done, 0, chunk);
		if (nul)
			return nul - buf;
		done += chunk;
	}
	return -ENAMETOOLONG;
}
