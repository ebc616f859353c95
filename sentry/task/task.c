#define _GNU_SOURCE
#include <errno.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "sandbox.h"
#include "task.h"

static unsigned task_hash(pid_t tid) { return (unsigned)tid % TASK_HASH_SIZE; }

struct task *task_find_any(struct sandbox *sb, pid_t tid)
{
	for (struct task *t = sb->tasks[task_hash(tid)]; t; t = t->hash_next)
		if (t->tid == tid)
			return t;
	return NULL;
}

struct task *task_find(struct sandbox *sb, pid_t tid)
{
	struct task *t = task_find_any(sb, tid);
	return t && !t->hidden ? t : NULL;
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
	t->pidfd = -1;
	t->vm_owner = tgid;
	unsigned h = task_hash(tid);
	t->hash_next = sb->tasks[h];
	sb->tasks[h] = t;
	sb->ntasks++;
	return t;
}

struct fs_state *fs_state_new(const struct vfs_path *root, const struct vfs_path *cwd, mode_t umask_value)
{
	struct fs_state *fs = calloc(1, sizeof(*fs));
	if (!fs)
		sentry_fatal("out of memory");
	fs->refs = 1;
	fs->umask = umask_value;
	if (root && root->dentry) {
		fs->root = *root;
		vfs_path_get(&fs->root);
	}
	if (cwd && cwd->dentry) {
		fs->cwd = *cwd;
		vfs_path_get(&fs->cwd);
	}
	return fs;
}

struct fs_state *fs_state_copy(const struct fs_state *fs)
{
	return fs_state_new(&fs->root, &fs->cwd, fs->umask);
}

void fs_state_put(struct fs_state *fs)
{
	if (!fs || --fs->refs > 0)
		return;
	if (fs->root.dentry)
		vfs_path_put(&fs->root);
	if (fs->cwd.dentry)
		vfs_path_put(&fs->cwd);
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
	if (task->pidfd >= 0)
		close(task->pidfd);
	task_set_exe(task, NULL, &task->exe);
	task_set_exe(task, NULL, &task->pending_exe);
	fs_state_put(task->fs);
	free(task);
}

void task_set_exe(struct task *task, const struct vfs_path *to, struct vfs_path *slot)
{
	if (slot->dentry) {
		vfs_path_allow_write(slot);
		vfs_path_put(slot);
	}
	slot->mnt = NULL;
	slot->dentry = NULL;
	if (to && to->dentry) {
		*slot = *to;
		vfs_path_get(slot);
		vfs_path_deny_write(slot);
	}
}

size_t task_count(struct sandbox *sb) { return sb->ntasks; }

static int for_each(struct sandbox *sb, bool hidden_too, int (*fn)(struct task *, void *), void *arg)
{
	for (size_t i = 0; i < TASK_HASH_SIZE; i++) {
		struct task *t = sb->tasks[i];
		while (t) {
			struct task *next = t->hash_next; /* fn may remove t */
			int r = t->hidden && !hidden_too ? 0 : fn(t, arg);
			if (r)
				return r;
			t = next;
		}
	}
	return 0;
}

int task_for_each(struct sandbox *sb, int (*fn)(struct task *, void *), void *arg)
{
	return for_each(sb, false, fn, arg);
}

int task_for_each_any(struct sandbox *sb, int (*fn)(struct task *, void *), void *arg)
{
	return for_each(sb, true, fn, arg);
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

bool host_pid_state(pid_t pid, char *state, pid_t *ppid)
{
	char path[64], line[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	bool got = fgets(line, sizeof(line), f) != NULL;
	fclose(f);
	const char *end = got ? strrchr(line, ')') : NULL;
	return end && sscanf(end + 1, " %c %d", state, ppid) == 2;
}

uint64_t task_cap_full(void)
{
	return (UINT64_C(1) << (CAP_LAST_CAP + 1)) - 1;
}

void task_cred_init(struct task_cred *cred, uid_t uid, gid_t gid)
{
	memset(cred, 0, sizeof(*cred));
	cred->ruid = cred->euid = cred->suid = cred->fsuid = uid;
	cred->rgid = cred->egid = cred->sgid = cred->fsgid = gid;
	cred->cap_bounding = task_cap_full();
	if (uid == 0)
		cred->cap_permitted = cred->cap_effective = task_cap_full();
}

static int compare_gid(const void *a, const void *b)
{
	gid_t x = *(const gid_t *)a, y = *(const gid_t *)b;
	return (x > y) - (x < y);
}

void task_cred_of_host(struct task_cred *cred)
{
	task_cred_init(cred, geteuid(), getegid());
	int n = getgroups(TASK_NGROUPS_MAX, cred->groups);
	cred->ngroups = n > 0 ? n : 0;
	qsort(cred->groups, (size_t)cred->ngroups, sizeof(gid_t), compare_gid);
}

/* Linux cap_bprm_creds_from_file for a file without file capabilities
 * whose set-id bits are not honoured. */
void task_cred_exec(struct task_cred *cred)
{
	bool root = (cred->euid == 0 || cred->ruid == 0) && !(cred->securebits & SECBIT_NOROOT);
	cred->cap_permitted = root ? (cred->cap_bounding | cred->cap_inheritable) : 0;
	cred->cap_permitted |= cred->cap_ambient;
	cred->cap_effective = root && cred->euid == 0 ? cred->cap_permitted : cred->cap_ambient;
	cred->suid = cred->fsuid = cred->euid;
	cred->sgid = cred->fsgid = cred->egid;
	cred->securebits &= ~SECBIT_KEEP_CAPS;
}
