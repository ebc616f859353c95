/* What the sandbox's /proc shows of its processes. The host's /proc of a
 * sandbox task is read by the sentry alone and only for that task's own
 * data (its command line, environment, memory map, status). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "devpts.h"
#include "fdinstall.h"
#include "fdmap.h"
#include "syscalls/inotify.h"
#include "proc_provider.h"

static struct task *process_of(struct sandbox *sb, pid_t pid)
{
	struct task *t = task_find(sb, pid);
	return t && t->tgid == pid ? t : NULL;
}

struct pid_list {
	pid_t *pids;
	int max, n;
};

static int add_process(struct task *t, void *arg)
{
	struct pid_list *l = arg;
	if (t->tid == t->tgid && l->n < l->max)
		l->pids[l->n++] = t->tgid;
	return 0;
}

static int list_pids(void *arg, pid_t *pids, int max)
{
	struct pid_list l = { pids, max, 0 };
	task_for_each(arg, add_process, &l);
	return l.n;
}

static bool pid_exists(void *arg, pid_t pid) { return process_of(arg, pid) != NULL; }

static int read_host_proc(pid_t pid, const char *name, struct vfs_buf *out)
{
	char path[64], chunk[4096];
	snprintf(path, sizeof(path), "/proc/%d/%s", pid, name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ESRCH;
	ssize_t n;
	int r = 0;
	while (r == 0 && (n = read(fd, chunk, sizeof(chunk))) > 0)
		r = vfs_buf_append(out, chunk, (size_t)n);
	close(fd);
	return r;
}

static bool line_is(const char *line, const char *key) { return !strncmp(line, key, strlen(key)); }

/* The host's status lines, with the emulated ids and capabilities in place
 * of the host's (which never change). */
static int emulated_status(const struct task *t, struct vfs_buf *out)
{
	struct vfs_buf host = { 0 };
	int r = read_host_proc(t->tgid, "status", &host);
	const struct task_cred *c = &t->cred;
	const char *line = host.data;
	while (r == 0 && line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) + 1 : strlen(line);
		if (line_is(line, "Uid:")) {
			r = vfs_buf_printf(out, "Uid:\t%u\t%u\t%u\t%u\n", c->ruid, c->euid, c->suid, c->fsuid);
		} else if (line_is(line, "Gid:")) {
			r = vfs_buf_printf(out, "Gid:\t%u\t%u\t%u\t%u\n", c->rgid, c->egid, c->sgid, c->fsgid);
		} else if (line_is(line, "Groups:")) {
			/* Linux ends the list with a space, even an empty one */
			r = vfs_buf_printf(out, "Groups:\t");
			for (int i = 0; r == 0 && i < c->ngroups; i++)
				r = vfs_buf_printf(out, i ? " %u" : "%u", c->groups[i]);
			if (r == 0)
				r = vfs_buf_printf(out, " \n");
		} else if (line_is(line, "CapInh:")) {
			r = vfs_buf_printf(out, "CapInh:\t%016llx\n", (unsigned long long)c->cap_inheritable);
		} else if (line_is(line, "CapPrm:")) {
			r = vfs_buf_printf(out, "CapPrm:\t%016llx\n", (unsigned long long)c->cap_permitted);
		} else if (line_is(line, "CapEff:")) {
			r = vfs_buf_printf(out, "CapEff:\t%016llx\n", (unsigned long long)c->cap_effective);
		} else if (line_is(line, "CapBnd:")) {
			r = vfs_buf_printf(out, "CapBnd:\t%016llx\n", (unsigned long long)c->cap_bounding);
		} else if (line_is(line, "CapAmb:")) {
			r = vfs_buf_printf(out, "CapAmb:\t%016llx\n", (unsigned long long)c->cap_ambient);
		} else {
			r = vfs_buf_append(out, line, len);
		}
		line += len;
	}
	free(host.data);
	return r;
}

static int text(void *arg, pid_t pid, enum vfs_proc_text which, struct vfs_buf *out)
{
	struct task *t = process_of(arg, pid);
	if (!t)
		return -ESRCH;
	switch (which) {
	case VFS_PROC_CMDLINE: return read_host_proc(pid, "cmdline", out);
	case VFS_PROC_ENVIRON: return read_host_proc(pid, "environ", out);
	case VFS_PROC_STATUS: return emulated_status(t, out);
	case VFS_PROC_STAT: return read_host_proc(pid, "stat", out);
	case VFS_PROC_MAPS: return read_host_proc(pid, "maps", out);
	case VFS_PROC_COMM: return read_host_proc(pid, "comm", out);
	case VFS_PROC_STATM: return read_host_proc(pid, "statm", out);
	}
	return -ENOENT;
}

static int link_target(void *arg, pid_t pid, enum vfs_proc_link which, struct vfs_path *out)
{
	struct task *t = process_of(arg, pid);
	if (!t)
		return -ESRCH;
	const struct vfs_path *p = which == VFS_PROC_EXE ? &t->exe : which == VFS_PROC_CWD ? &t->fs->cwd : &t->fs->root;
	/* during an exec, the program being started is already the exe: the
	 * loader opens it through /proc/self/exe */
	if (which == VFS_PROC_EXE && t->pending_exe.dentry)
		p = &t->pending_exe;
	if (!p->dentry)
		return -ENOENT;
	*out = *p;
	vfs_path_get(out);
	return 0;
}

static int list_fds(void *arg, pid_t pid, int *fds, int max)
{
	struct task *t = process_of(arg, pid);
	if (!t)
		return 0;
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	DIR *d = opendir(path);
	if (!d)
		return 0;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < max) {
		if (e->d_name[0] == '.')
			continue;
		int fd = atoi(e->d_name);
		if (!fd_is_reserved(t, fd))
			fds[n++] = fd;
	}
	closedir(d);
	/* sorted, as a listing of /proc/<pid>/fd is */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && fds[j - 1] > fds[j]; j--) {
			int tmp = fds[j];
			fds[j] = fds[j - 1];
			fds[j - 1] = tmp;
		}
	return n;
}

static int fd_target(void *arg, pid_t pid, int fd, struct vfs_path *out, struct vfs_buf *text_out)
{
	struct task *t = process_of(arg, pid);
	if (!t)
		return -ESRCH;
	struct vfs_file *f;
	int r = task_fd_lookup(t, fd, &f, NULL);
	if (r < 0)
		return -ENOENT;
	if (r == FD_VFS) {
		*out = *vfs_file_path(f);
		vfs_path_get(out);
		return 0;
	}
	/* a pipe, socket or anonymous file: the kernel's name for it */
	struct sandbox *sb = arg;
	sb->kernel_fd_link.set = true;
	sb->kernel_fd_link.pid = pid;
	sb->kernel_fd_link.fd = fd;
	char path[64], target[256];
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", pid, fd);
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -ENOENT;
	target[n] = 0;
	unsigned long ino;
	if (sscanf(target, "pipe:[%lu]", &ino) == 1 && inotify_pipe(ino))
		n = snprintf(target, sizeof(target), "anon_inode:inotify");
	/* a pty of the sandbox's devpts handed over whole (--console-socket):
	 * the kernel names it within the instance, mounted nowhere */
	struct stat st;
	unsigned pts;
	char tail;
	if (sscanf(target, "/%u%c", &pts, &tail) == 1 && stat(path, &st) == 0 && devpts_owns(st.st_dev))
		n = snprintf(target, sizeof(target), "/dev/pts/%u", pts);
	return vfs_buf_append(text_out, target, (size_t)n);
}

/* "pos:\t<offset>\nflags:\t0<octal>\n": stores them and where the lines
 * after them begin. */
static int parse_fdinfo(const char *text, struct vfs_proc_fd_state *out, const char **rest)
{
	long long pos;
	unsigned flags;
	int used = 0;
	if (sscanf(text, "pos:\t%lld\nflags:\t%o%n", &pos, &flags, &used) != 2)
		return -EIO;
	out->pos = pos;
	out->flags = (int)flags;
	*rest = text + used + (text[used] == '\n');
	return 0;
}

/* The workload's fd is a real kernel fd: the kernel keeps its offset and
 * flags, shown in the host's fdinfo. */
static int fd_state(void *arg, pid_t pid, int fd, struct vfs_proc_fd_state *out, struct vfs_buf *more)
{
	struct task *t = process_of(arg, pid);
	if (!t)
		return -ESRCH;
	if (fd < 0 || fd_is_reserved(t, fd))
		return -ENOENT;
	char name[32];
	snprintf(name, sizeof(name), "fdinfo/%d", fd);
	struct vfs_buf info = {0};
	int r = read_host_proc(pid, name, &info);
	if (r == -ESRCH)
		r = -ENOENT; /* the fd is not open */
	if (!r)
		r = vfs_buf_append(&info, "", 1);
	const char *rest = NULL;
	if (!r)
		r = parse_fdinfo(info.data, out, &rest);
	if (!r && more)
		r = vfs_buf_append(more, rest, strlen(rest));
	free(info.data);
	return r;
}

void proc_provider_init(struct vfs_proc_provider *p, struct sandbox *sb)
{
	*p = (struct vfs_proc_provider){
		.arg = sb,
		.list_pids = list_pids,
		.pid_exists = pid_exists,
		.text = text,
		.link = link_target,
		.list_fds = list_fds,
		.fd_target = fd_target,
		.fd_state = fd_state,
	};
}
