/* procfs: every file is generated text, snapshotted into a sealed memfd at
 * open; per-process parts come from the provider the sandbox supplies.
 * Of the host's /proc, only machine-wide figures that hold inside too are
 * read: the limits of pipes and leases (the workload's pipes and leases are
 * the host kernel's) and the memory the kernel counts as available. */
#define _GNU_SOURCE
#include "vfs_impl.h"

#include <linux/magic.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <unistd.h>

/* The sandbox's own IPC namespace's sysctls: shown in /proc/sys/kernel
 * with a fresh namespace's values unless given (vfs_proc_info.sysctl).
 * SysV IPC itself is not served inside, so they govern nothing else. */
static const struct sysctl_value {
	const char *key, *name, *initial;
	int fields;  /* numbers in the value */
} sysctl_values[] = {
	{"kernel.shmmax", "shmmax", "18446744073692774399", 1},
	{"kernel.shmall", "shmall", "18446744073692774399", 1},
	{"kernel.shmmni", "shmmni", "4096", 1},
	{"kernel.shm_rmid_forced", "shm_rmid_forced", "0", 1},
	{"kernel.msgmax", "msgmax", "8192", 1},
	{"kernel.msgmnb", "msgmnb", "16384", 1},
	{"kernel.msgmni", "msgmni", "32000", 1},
	{"kernel.sem", "sem", "32000\t1024000000\t500\t32000", 4},
};
#define NSYSCTL (sizeof(sysctl_values) / sizeof(sysctl_values[0]))

struct procfs {
	struct vfs_proc_provider prov;
	char sysctl[NSYSCTL][96];  /* as the file shows it, without the newline */
	char **net_sysctl;  /* "KEY=VALUE" of the network namespace, as set */
	size_t nnet_sysctl;
	char hostname[65];
	char osrelease[65];
	int ncpus;
	/* the host kernel's, read at the first read of their file (0 till
	 * then): they bound the workload's pipes and leases */
	long pipe_max_size, pipe_user_pages_soft, lease_break_time;
};

enum proc_kind {
	P_CPUINFO = 1, P_MEMINFO, P_UPTIME, P_LOADAVG, P_VERSION, P_FILESYSTEMS,
	P_HOSTNAME, P_OSRELEASE, P_OSTYPE, P_PIDMAX, P_NGROUPSMAX,
	P_CMDLINE, P_ENVIRON, P_STATUS, P_STAT, P_MAPS, P_COMM, P_STATM,
	P_PROCSTAT, P_PIPEMAX, P_PIPEPAGES, P_LEASEBREAK,
	P_MOUNTS, P_MOUNTINFO, P_SYSCTL,
	P_EXE, P_CWD, P_ROOT,
	P_FDINFO,
};

#define PRIV(pid, kind) ((void *)(((uintptr_t)(pid) << 8) | (kind)))
#define PRIV_PID(p) ((pid_t)((uintptr_t)(p) >> 8))
#define PRIV_KIND(p) ((int)((uintptr_t)(p)&0xff))
#define PID_POS ((uint64_t)1 << 24)   /* getdents positions of pid entries */
#define PID_INO ((uint64_t)1 << 32)
#define PID_MAX 4194304

static struct procfs *proc_of(const struct vfs_inode *inode)
{
	return inode->sb->priv;
}

static const struct vfs_inode_ops text_ops, self_ops, magic_ops, fd_dir_ops, fd_link_ops, fdinfo_dir_ops, pid_dir_ops;

static int escape_path(struct vfs_buf *b, const char *s)
{
	int err = 0;
	for (; *s && !err; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\\')
			err = vfs_buf_printf(b, "\\%03o", (unsigned char)*s);
		else
			err = vfs_buf_append(b, s, 1);
	}
	return err;
}

static int gen_mounts(const struct vfs_ctx *ctx, struct vfs_buf *b, bool info)
{
	int err = 0;
	for (struct vfs_mount *m = ctx->vfs->mounts; m && !err; m = m->next) {
		char path[VFS_PATH_MAX];
		struct vfs_path mp = {m, m->root};
		if (vfs_d_path(ctx, &mp, path, sizeof(path)) < 0 || path[0] != '/')
			continue;
		const char *type = m->sb->ops->name;
		const char *rw = vfs_path_rdonly(&mp) ? "ro" : "rw";
		const char *more = m->sb->ops->options ? m->sb->ops->options(m->sb) : NULL;
		if (!more)
			more = "";
		if (info) {
			err = vfs_buf_printf(b, "%d %d %u:%u / ", m->id, m->parent ? m->parent->id : m->id,
					     major(m->sb->dev), minor(m->sb->dev));
			if (!err)
				err = escape_path(b, path);
			if (!err)
				err = vfs_buf_printf(b, " %s,relatime - %s %s %s%s\n", rw, type, type, rw, more);
		} else {
			err = vfs_buf_printf(b, "%s ", type);
			if (!err)
				err = escape_path(b, path);
			if (!err)
				err = vfs_buf_printf(b, " %s %s,relatime%s 0 0\n", type, rw, more);
		}
	}
	return err;
}

/* Seconds since the sandbox started: its boot, for uptime, btime and
 * the start times of its processes. */
static double uptime_of(const struct vfs *vfs)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - vfs->started.tv_sec) + (now.tv_nsec - vfs->started.tv_nsec) / 1e9;
}

/* A number from a host file of one value (/proc/sys/fs/...), or fallback. */
static long host_number(const char *path, long fallback)
{
	FILE *f = fopen(path, "re");
	long v;
	if (!f)
		return fallback;
	if (fscanf(f, "%ld", &v) != 1)
		v = fallback;
	fclose(f);
	return v;
}

static long host_number_once(long *cached, const char *path, long fallback)
{
	if (!*cached)
		*cached = host_number(path, fallback);
	return *cached;
}

/* The kernel's estimate of the memory a program may still take without
 * swapping (no system call gives it), in bytes; 0 when unknown. */
static uint64_t host_mem_available(void)
{
	FILE *f = fopen("/proc/meminfo", "re");
	char line[128];
	unsigned long long kb = 0;
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return (uint64_t)kb * 1024;
}

/* The memory the workload's processes may use is the machine's, as
 * sysinfo(2) tells them too (a JVM sizes its heap from it); the sandbox's
 * files are the shared memory (tmpfs) and the page cache. */
static int gen_meminfo(const struct vfs *vfs, struct vfs_buf *b)
{
	struct sysinfo si;
	if (sysinfo(&si) < 0)
		return -errno;
	uint64_t unit = si.mem_unit ? si.mem_unit : 1;
	uint64_t total = si.totalram * unit, free_ = si.freeram * unit;
	uint64_t available = host_mem_available();
	if (!available || available > total)
		available = free_ + si.bufferram * unit;
	uint64_t files = vfs->bytes_used;
	return vfs_buf_printf(b,
			      "MemTotal:       %8llu kB\nMemFree:        %8llu kB\n"
			      "MemAvailable:   %8llu kB\nBuffers:               0 kB\n"
			      "Cached:         %8llu kB\nSwapCached:            0 kB\n"
			      "SwapTotal:      %8llu kB\nSwapFree:       %8llu kB\n"
			      "Shmem:          %8llu kB\nSReclaimable:          0 kB\n",
			      (unsigned long long)total / 1024, (unsigned long long)free_ / 1024,
			      (unsigned long long)available / 1024, (unsigned long long)files / 1024,
			      (unsigned long long)(si.totalswap * unit) / 1024,
			      (unsigned long long)(si.freeswap * unit) / 1024, (unsigned long long)files / 1024);
}

/* /proc/stat: one line per CPU, idle since the sandbox started, and its
 * boot time (ps needs btime). */
static int gen_stat(const struct vfs *vfs, struct procfs *pf, struct vfs_buf *b)
{
	double up = uptime_of(vfs);
	unsigned long long idle = (unsigned long long)(up * sysconf(_SC_CLK_TCK));
	int err = vfs_buf_printf(b, "cpu  0 0 0 %llu 0 0 0 0 0 0\n", idle * (unsigned long long)pf->ncpus);
	for (int i = 0; i < pf->ncpus && !err; i++)
		err = vfs_buf_printf(b, "cpu%d 0 0 0 %llu 0 0 0 0 0 0\n", i, idle);
	int pids[4096];
	int n = pf->prov.list_pids ? pf->prov.list_pids(pf->prov.arg, pids, 4096) : 1;
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	if (!err)
		err = vfs_buf_printf(b,
				     "intr 0\nctxt 0\nbtime %lld\nprocesses %d\nprocs_running 1\n"
				     "procs_blocked 0\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n",
				     (long long)(now.tv_sec - (time_t)up), n > 0 ? n : 1);
	return err;
}

/* The host's /proc/<pid>/stat counts a process's start (field 22) in
 * clock ticks since the host booted; inside, the sandbox's start is the
 * boot, as /proc/uptime and btime say. */
static int gen_pid_stat(const struct vfs *vfs, struct procfs *pf, pid_t pid, struct vfs_buf *b)
{
	struct vfs_buf host = {0};
	int err = pf->prov.text(pf->prov.arg, pid, VFS_PROC_STAT, &host);
	if (!err)
		err = vfs_buf_append(&host, "", 1);
	const char *comm_end = err ? NULL : strrchr(host.data, ')');
	if (err || !comm_end) {
		free(host.data);
		return err ? err : -EIO;
	}
	/* after "pid (comm) ": state is field 3, the start time field 22 */
	const char *field = comm_end + 2, *start = NULL, *after = NULL;
	for (int i = 3; i <= 22 && field; i++) {
		if (i == 22)
			start = field;
		field = strchr(field, ' ');
		if (field)
			field++;
	}
	after = start ? strchr(start, ' ') : NULL;
	if (!start || !after) {
		err = vfs_buf_append(b, host.data, host.len - 1);
		free(host.data);
		return err;
	}
	struct timespec mono, boot;
	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	double started = vfs->started.tv_sec + vfs->started.tv_nsec / 1e9 + (boot.tv_sec - mono.tv_sec) +
			 (boot.tv_nsec - mono.tv_nsec) / 1e9;
	long long hz = sysconf(_SC_CLK_TCK);
	long long ticks = strtoll(start, NULL, 10) - (long long)(started * hz);
	err = vfs_buf_append(b, host.data, (size_t)(start - host.data));
	if (!err)
		err = vfs_buf_printf(b, "%lld", ticks > 0 ? ticks : 0);
	if (!err)
		err = vfs_buf_append(b, after, strlen(after));
	free(host.data);
	return err;
}

static int gen_text(const struct vfs_ctx *ctx, struct procfs *pf, pid_t pid, int kind, struct vfs_buf *b)
{
	struct vfs *vfs = ctx->vfs;
	double up = uptime_of(vfs);
	int err = 0;
	switch (kind) {
	case P_CPUINFO:
		for (int i = 0; i < pf->ncpus && !err; i++)
			err = vfs_buf_printf(b,
					     "processor\t: %d\nvendor_id\t: sentry\ncpu family\t: 6\n"
					     "model name\t: sentry virtual CPU\ncpu MHz\t\t: 1000.000\n"
					     "physical id\t: 0\ncore id\t\t: %d\ncpu cores\t: %d\n"
					     "flags\t\t: fpu\nbogomips\t: 2000.00\n\n",
					     i, i, pf->ncpus);
		return err;
	case P_MEMINFO:
		return gen_meminfo(vfs, b);
	case P_PROCSTAT:
		return gen_stat(vfs, pf, b);
	case P_PIPEMAX:
		return vfs_buf_printf(b, "%ld\n", host_number_once(&pf->pipe_max_size,
								     "/proc/sys/fs/pipe-max-size", 1048576));
	case P_PIPEPAGES:
		return vfs_buf_printf(b, "%ld\n", host_number_once(&pf->pipe_user_pages_soft,
								     "/proc/sys/fs/pipe-user-pages-soft", 16384));
	case P_LEASEBREAK:
		return vfs_buf_printf(b, "%ld\n", host_number_once(&pf->lease_break_time,
								     "/proc/sys/fs/lease-break-time", 45));
	case P_UPTIME:
		return vfs_buf_printf(b, "%.2f %.2f\n", up, up * pf->ncpus);
	case P_LOADAVG: {
		int pids[4096];
		int n = pf->prov.list_pids ? pf->prov.list_pids(pf->prov.arg, pids, 4096) : 1;
		return vfs_buf_printf(b, "0.00 0.00 0.00 1/%d %d\n", n > 0 ? n : 1, ctx->pid);
	}
	case P_VERSION:
		return vfs_buf_printf(b, "Linux version %s (sentry) #1 SMP\n", pf->osrelease);
	case P_FILESYSTEMS:
		return vfs_buf_printf(b, "nodev\ttmpfs\nnodev\tdevtmpfs\nnodev\tproc\nnodev\toverlay\n");
	case P_HOSTNAME:
		return vfs_buf_printf(b, "%s\n", pf->hostname);
	case P_OSRELEASE:
		return vfs_buf_printf(b, "%s\n", pf->osrelease);
	case P_OSTYPE:
		return vfs_buf_printf(b, "Linux\n");
	case P_PIDMAX:
		return vfs_buf_printf(b, "%d\n", PID_MAX);
	case P_SYSCTL:
		if ((size_t)pid >= NSYSCTL)
			return vfs_buf_printf(b, "%s\n", strchr(pf->net_sysctl[pid - NSYSCTL], '=') + 1);
		return vfs_buf_printf(b, "%s\n", pf->sysctl[pid]);
	case P_NGROUPSMAX:
		return vfs_buf_printf(b, "65536\n");
	case P_MOUNTS:
	case P_MOUNTINFO:
		return gen_mounts(ctx, b, kind == P_MOUNTINFO);
	case P_CMDLINE:
	case P_ENVIRON:
	case P_STATUS:
	case P_STAT:
	case P_MAPS:
	case P_COMM:
	case P_STATM:
		if (!pf->prov.text)
			return 0;
		if (kind == P_STAT)
			return gen_pid_stat(vfs, pf, pid, b);
		return pf->prov.text(pf->prov.arg, pid, VFS_PROC_CMDLINE + (kind - P_CMDLINE), b);
	}
	return -ENOENT;
}

static int parse_number(const char *name, size_t len)
{
	if (!len || len > 9 || (len > 1 && name[0] == '0'))
		return -1;
	int v = 0;
	for (size_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		v = v * 10 + (name[i] - '0');
	}
	return v;
}

static bool starts_with(const char *line, size_t len, const char *key)
{
	size_t klen = strlen(key);
	return len >= klen && memcmp(line, key, klen) == 0;
}

/* The kernel's lines about an fd, less mnt_id and ino when the VFS gives
 * its own. */
static int append_kernel_lines(struct vfs_buf *b, const struct vfs_buf *lines, bool vfs_file)
{
	int err = 0;
	for (size_t off = 0; off < lines->len && !err;) {
		const char *line = lines->data + off;
		const char *nl = memchr(line, '\n', lines->len - off);
		size_t len = nl ? (size_t)(nl - line) + 1 : lines->len - off;
		bool vfs_answers = vfs_file && (starts_with(line, len, "mnt_id:") || starts_with(line, len, "ino:"));
		if (!vfs_answers)
			err = vfs_buf_append(b, line, len);
		off += len;
	}
	return err;
}

/* /proc/<pid>/fdinfo/<fd>: the kernel's offset and flags; where the fd
 * is a VFS file, the mount id and inode number the VFS shows for it. */
static int gen_fdinfo(struct procfs *pf, pid_t pid, int fd, struct vfs_buf *b)
{
	if (!pf->prov.fd_state || !pf->prov.fd_target || fd < 0)
		return -ENOENT;
	struct vfs_proc_fd_state st;
	struct vfs_buf kernel_lines = {0}, link_text = {0};
	struct vfs_path target = {0};
	int err = pf->prov.fd_state(pf->prov.arg, pid, fd, &st, &kernel_lines);
	if (!err)
		err = pf->prov.fd_target(pf->prov.arg, pid, fd, &target, &link_text);
	if (!err)
		err = vfs_buf_printf(b, "pos:\t%lld\nflags:\t0%o\n", (long long)st.pos, (unsigned)st.flags);
	if (!err && target.dentry)
		err = vfs_buf_printf(b, "mnt_id:\t%d\nino:\t%llu\n", target.mnt->id,
				     (unsigned long long)target.dentry->inode->ino);
	if (!err)
		err = append_kernel_lines(b, &kernel_lines, target.dentry != NULL);
	if (target.dentry)
		vfs_path_put(&target);
	free(kernel_lines.data);
	free(link_text.data);
	return err;
}

static int gen_file(const struct vfs_ctx *ctx, struct vfs_file *f, struct vfs_buf *b)
{
	void *priv = f->inode->priv;
	struct procfs *pf = proc_of(f->inode);
	if (PRIV_KIND(priv) == P_FDINFO) {
		struct vfs_dentry *d = f->path.dentry;
		return gen_fdinfo(pf, PRIV_PID(priv), parse_number(d->name, d->len), b);
	}
	return gen_text(ctx, pf, PRIV_PID(priv), PRIV_KIND(priv), b);
}

/* The file's contents become a sealed memfd snapshot. */
static int text_open(const struct vfs_ctx *ctx, struct vfs_file *f)
{
	if ((f->flags & O_ACCMODE) != O_RDONLY)
		return -EACCES;
	struct vfs_buf b = {0};
	int err = gen_file(ctx, f, &b);
	int fd = err ? err : vfs_memfd_new("sentry-proc");
	if (fd < 0) {
		free(b.data);
		return fd;
	}
	for (size_t off = 0; off < b.len;) {
		ssize_t n = write(fd, b.data + off, b.len - off);
		if (n < 0) {
			err = -errno;
			break;
		}
		off += n;
	}
	free(b.data);
	if (!err && fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0)
		err = -errno;
	if (err) {
		close(fd);
		return err;
	}
	lseek(fd, 0, SEEK_SET);
	f->fd = fd;
	f->kind = VFS_FILE_SYNTH;
	return 0;
}

static int self_get_link(const struct vfs_ctx *ctx, struct vfs_dentry *link, struct vfs_buf *text,
			 struct vfs_path *jump)
{
	if (ctx->pid <= 0)
		return -ENOENT;
	return vfs_buf_printf(text, "%d", (int)ctx->pid);
}

static int magic_get_link(const struct vfs_ctx *ctx, struct vfs_dentry *link, struct vfs_buf *text,
			  struct vfs_path *jump)
{
	struct procfs *pf = proc_of(link->inode);
	void *priv = link->inode->priv;
	if (!pf->prov.link)
		return -ENOENT;
	return pf->prov.link(pf->prov.arg, PRIV_PID(priv), VFS_PROC_EXE + (PRIV_KIND(priv) - P_EXE), jump);
}

/* 1: a magic link with no place to jump to (a pipe, a socket). */
static int fd_get_link(const struct vfs_ctx *ctx, struct vfs_dentry *link, struct vfs_buf *text,
		       struct vfs_path *jump)
{
	struct procfs *pf = proc_of(link->inode);
	pid_t pid = PRIV_PID(link->inode->priv);
	int fd = parse_number(link->name, link->len);
	if (!pf->prov.fd_target || fd < 0)
		return -ENOENT;
	int err = pf->prov.fd_target(pf->prov.arg, pid, fd, jump, text);
	if (err)
		return err;
	return jump->dentry ? 0 : 1;
}

struct entry {
	const char *name;
	mode_t mode;
	int kind;
	const struct vfs_inode_ops *ops;
};

static int add_entries(struct vfs_dentry *dir, pid_t pid, const struct entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct vfs_inode *inode;
		int err = vfs_d_make(dir, e[i].name, e[i].mode, e[i].ops, &inode);
		if (err)
			return err;
		inode->priv = PRIV(pid, e[i].kind);
		if (S_ISDIR(e[i].mode) && !e[i].ops)
			inode->dir->populated = true;
	}
	return 0;
}

/* /proc/sys/net/ipv4/ip_local_port_range for "net.ipv4.ip_local_port_range=...":
 * the folders on the way, then the file. */
static int add_net_sysctl(struct vfs_dentry *sys, const char *kv, pid_t index)
{
	struct vfs_dentry *at = sys;
	const char *name = kv, *end = strchr(kv, '=');
	for (;;) {
		size_t len = strcspn(name, ".=");
		char part[128];
		if (!len || len >= sizeof(part))
			return -EINVAL;
		memcpy(part, name, len);
		part[len] = '\0';
		if (name + len == end) {
			struct entry e = {part, S_IFREG | 0444, P_SYSCTL, &text_ops};
			return vfs_d_lookup(at, part, len) ? 0 : add_entries(at, index, &e, 1);
		}
		struct vfs_dentry *next = vfs_d_lookup(at, part, len);
		struct vfs_inode *inode;
		if (!next) {
			int err = vfs_d_make(at, part, S_IFDIR | 0555, NULL, &inode);
			if (err)
				return err;
			inode->dir->populated = true;
			next = vfs_d_lookup(at, part, len);
		}
		at = next;
		name += len + 1;
	}
}

static int proc_root_populate(struct vfs_dentry *dir)
{
	static const struct entry top[] = {
		{"cpuinfo", S_IFREG | 0444, P_CPUINFO, &text_ops},
		{"meminfo", S_IFREG | 0444, P_MEMINFO, &text_ops},
		{"uptime", S_IFREG | 0444, P_UPTIME, &text_ops},
		{"loadavg", S_IFREG | 0444, P_LOADAVG, &text_ops},
		{"version", S_IFREG | 0444, P_VERSION, &text_ops},
		{"filesystems", S_IFREG | 0444, P_FILESYSTEMS, &text_ops},
		{"stat", S_IFREG | 0444, P_PROCSTAT, &text_ops},
		{"self", S_IFLNK | 0777, 0, &self_ops},
		{"sys", S_IFDIR | 0555, 0, NULL},
	};
	static const struct entry kernel[] = {
		{"hostname", S_IFREG | 0444, P_HOSTNAME, &text_ops},
		{"osrelease", S_IFREG | 0444, P_OSRELEASE, &text_ops},
		{"ostype", S_IFREG | 0444, P_OSTYPE, &text_ops},
		{"pid_max", S_IFREG | 0444, P_PIDMAX, &text_ops},
		{"ngroups_max", S_IFREG | 0444, P_NGROUPSMAX, &text_ops},
	};
	static const struct entry fs[] = {
		{"pipe-max-size", S_IFREG | 0444, P_PIPEMAX, &text_ops},
		{"pipe-user-pages-soft", S_IFREG | 0444, P_PIPEPAGES, &text_ops},
		{"lease-break-time", S_IFREG | 0444, P_LEASEBREAK, &text_ops},
	};
	int err = add_entries(dir, 0, top, sizeof(top) / sizeof(top[0]));
	if (err)
		return err;
	struct vfs_inode *inode;
	char *target = strdup("self/mounts");
	if (!target)
		return -ENOMEM;
	if ((err = vfs_d_make(dir, "mounts", S_IFLNK | 0777, NULL, &inode))) {
		free(target);
		return err;
	}
	inode->link = target;
	inode->size = strlen(target);
	struct vfs_dentry *sys = vfs_d_lookup(dir, "sys", 3);
	if ((err = vfs_d_make(sys, "kernel", S_IFDIR | 0555, NULL, &inode)))
		return err;
	inode->dir->populated = true;
	if ((err = add_entries(vfs_d_lookup(sys, "kernel", 6), 0, kernel, sizeof(kernel) / sizeof(kernel[0]))))
		return err;
	for (size_t i = 0; i < NSYSCTL; i++) {
		struct entry e = {sysctl_values[i].name, S_IFREG | 0444, P_SYSCTL, &text_ops};
		if ((err = add_entries(vfs_d_lookup(sys, "kernel", 6), (pid_t)i, &e, 1)))
			return err;
	}
	struct procfs *pf = proc_of(dir->inode);
	for (size_t i = 0; i < pf->nnet_sysctl; i++)
		if ((err = add_net_sysctl(sys, pf->net_sysctl[i], (pid_t)(NSYSCTL + i))))
			return err;
	if ((err = vfs_d_make(sys, "fs", S_IFDIR | 0555, NULL, &inode)))
		return err;
	inode->dir->populated = true;
	return add_entries(vfs_d_lookup(sys, "fs", 2), 0, fs, sizeof(fs) / sizeof(fs[0]));
}

static int pid_dir_populate(struct vfs_dentry *dir)
{
	static const struct entry files[] = {
		{"exe", S_IFLNK | 0777, P_EXE, &magic_ops},
		{"cwd", S_IFLNK | 0777, P_CWD, &magic_ops},
		{"root", S_IFLNK | 0777, P_ROOT, &magic_ops},
		{"fd", S_IFDIR | 0555, 0, &fd_dir_ops},
		{"fdinfo", S_IFDIR | 0555, 0, &fdinfo_dir_ops},
		{"cmdline", S_IFREG | 0444, P_CMDLINE, &text_ops},
		{"environ", S_IFREG | 0444, P_ENVIRON, &text_ops},
		{"status", S_IFREG | 0444, P_STATUS, &text_ops},
		{"stat", S_IFREG | 0444, P_STAT, &text_ops},
		{"maps", S_IFREG | 0444, P_MAPS, &text_ops},
		{"comm", S_IFREG | 0444, P_COMM, &text_ops},
		{"statm", S_IFREG | 0444, P_STATM, &text_ops},
		{"mounts", S_IFREG | 0444, P_MOUNTS, &text_ops},
		{"mountinfo", S_IFREG | 0444, P_MOUNTINFO, &text_ops},
	};
	return add_entries(dir, PRIV_PID(dir->inode->priv), files, sizeof(files) / sizeof(files[0]));
}

static bool pid_alive(struct procfs *pf, pid_t pid)
{
	return pf->prov.pid_exists && pf->prov.pid_exists(pf->prov.arg, pid);
}

static bool fd_open(struct procfs *pf, pid_t pid, int fd)
{
	if (!pf->prov.list_fds)
		return false;
	int fds[1024];
	int n = pf->prov.list_fds(pf->prov.arg, pid, fds, 1024);
	for (int i = 0; i < n; i++)
		if (fds[i] == fd)
			return true;
	return false;
}

/* A dynamic child: reuse the cached one while it is valid. */
static int dynamic_child(struct vfs_dentry *dir, const char *name, size_t len, bool valid, mode_t mode,
			 const struct vfs_inode_ops *ops, void *priv, uint64_t ino, struct vfs_dentry **out)
{
	struct vfs_dentry *d = vfs_d_lookup(dir, name, len);
	if (!valid) {
		if (d)
			vfs_d_drop(d);
		return -ENOENT;
	}
	if (d) {
		*out = d;
		return 0;
	}
	char cname[VFS_NAME_MAX + 1];
	memcpy(cname, name, len);
	cname[len] = 0;
	struct vfs_inode *inode;
	int err = vfs_d_make(dir, cname, mode, ops, &inode);
	if (err)
		return err;
	inode->priv = priv;
	inode->ino = ino;
	*out = vfs_d_lookup(dir, name, len);
	return 0;
}

static int proc_root_lookup(const struct vfs_ctx *ctx, struct vfs_dentry *dir, const char *name, size_t len,
			    struct vfs_dentry **out)
{
	int err = vfs_populate(dir);
	if (err)
		return err;
	struct vfs_dentry *d = vfs_d_lookup(dir, name, len);
	if (d && d->inode->ops != &pid_dir_ops) {
		*out = d;
		return 0;
	}
	int pid = parse_number(name, len);
	if (pid <= 0)
		return -ENOENT;
	struct procfs *pf = proc_of(dir->inode);
	return dynamic_child(dir, name, len, pid_alive(pf, pid), S_IFDIR | 0555, &pid_dir_ops,
			     PRIV(pid, 0), PID_INO + pid, out);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* Entries at `base + number`, in ascending order. */
static void emit_numbers(struct vfs_dir_iter *it, int *v, int n, uint64_t base, uint64_t ino_base, unsigned type)
{
	qsort(v, n, sizeof(*v), cmp_int);
	for (int i = 0; i < n; i++) {
		uint64_t pos = base + v[i];
		if (pos < it->pos)
			continue;
		char name[16];
		int len = snprintf(name, sizeof(name), "%d", v[i]);
		if (!vfs_dir_emit(it, name, len, ino_base + v[i], type, pos + 1))
			return;
	}
}

static int proc_root_iterate(const struct vfs_ctx *ctx, struct vfs_dentry *dir, struct vfs_dir_iter *it)
{
	int err = vfs_populate(dir);
	if (err)
		return err;
	if (!vfs_dir_emit_dots(dir, it))
		return 0;
	for (struct vfs_dentry *c = dir->inode->dir->first; c; c = c->next) {
		if (c->inode->ops == &pid_dir_ops || c->pos < it->pos)
			continue;
		if (!vfs_dir_emit(it, c->name, c->len, c->inode->ino, vfs_dtype(c->inode->mode), c->pos + 1))
			return 0;
	}
	if (it->pos < PID_POS)
		it->pos = PID_POS;
	struct procfs *pf = proc_of(dir->inode);
	if (!pf->prov.list_pids)
		return 0;
	int pids[4096];
	int n = pf->prov.list_pids(pf->prov.arg, pids, 4096);
	if (n > 0)
		emit_numbers(it, pids, n, PID_POS, PID_INO, DT_DIR);
	return 0;
}

/* As Linux shows an fd link: readable r-x, writable -wx, O_PATH none. */
static mode_t fd_link_mode(struct procfs *pf, pid_t pid, int fd)
{
	struct vfs_proc_fd_state st;
	if (!pf->prov.fd_state || pf->prov.fd_state(pf->prov.arg, pid, fd, &st, NULL))
		return S_IFLNK | 0700;
	if (st.flags & O_PATH)
		return S_IFLNK;
	int access = st.flags & O_ACCMODE;
	mode_t mode = S_IFLNK;
	if (access == O_RDONLY || access == O_RDWR)
		mode |= S_IRUSR | S_IXUSR;
	if (access == O_WRONLY || access == O_RDWR)
		mode |= S_IWUSR | S_IXUSR;
	return mode;
}

/* A child of fd or fdinfo named by an open fd. */
static int fd_child(struct vfs_dentry *dir, const char *name, size_t len, mode_t mode,
		    const struct vfs_inode_ops *ops, int kind, struct vfs_dentry **out)
{
	struct procfs *pf = proc_of(dir->inode);
	pid_t pid = PRIV_PID(dir->inode->priv);
	int fd = parse_number(name, len);
	if (fd < 0)
		return -ENOENT;
	return dynamic_child(dir, name, len, fd_open(pf, pid, fd), mode, ops, PRIV(pid, kind),
			     dir->inode->ino * 4096 + fd, out);
}

static int fd_dir_lookup(const struct vfs_ctx *ctx, struct vfs_dentry *dir, const char *name, size_t len,
			 struct vfs_dentry **out)
{
	int err = fd_child(dir, name, len, S_IFLNK | 0700, &fd_link_ops, 0, out);
	if (!err)
		(*out)->inode->mode = fd_link_mode(proc_of(dir->inode), PRIV_PID(dir->inode->priv),
						   parse_number(name, len));
	return err;
}

static int fdinfo_dir_lookup(const struct vfs_ctx *ctx, struct vfs_dentry *dir, const char *name, size_t len,
			     struct vfs_dentry **out)
{
	return fd_child(dir, name, len, S_IFREG | 0444, &text_ops, P_FDINFO, out);
}

static void emit_fds(struct vfs_dentry *dir, struct vfs_dir_iter *it, unsigned type)
{
	if (!vfs_dir_emit_dots(dir, it))
		return;
	struct procfs *pf = proc_of(dir->inode);
	if (!pf->prov.list_fds)
		return;
	int fds[1024];
	int n = pf->prov.list_fds(pf->prov.arg, PRIV_PID(dir->inode->priv), fds, 1024);
	if (n > 0)
		emit_numbers(it, fds, n, 2, dir->inode->ino * 4096, type);
}

static int fd_dir_iterate(const struct vfs_ctx *ctx, struct vfs_dentry *dir, struct vfs_dir_iter *it)
{
	emit_fds(dir, it, DT_LNK);
	return 0;
}

static int fdinfo_dir_iterate(const struct vfs_ctx *ctx, struct vfs_dentry *dir, struct vfs_dir_iter *it)
{
	emit_fds(dir, it, DT_REG);
	return 0;
}

static const struct vfs_inode_ops text_ops = {.open = text_open};
static const struct vfs_inode_ops self_ops = {.get_link = self_get_link};
static const struct vfs_inode_ops magic_ops = {.get_link = magic_get_link};
static const struct vfs_inode_ops fd_link_ops = {.get_link = fd_get_link};
static const struct vfs_inode_ops fd_dir_ops = {.lookup = fd_dir_lookup, .iterate = fd_dir_iterate};
static const struct vfs_inode_ops fdinfo_dir_ops = {.lookup = fdinfo_dir_lookup, .iterate = fdinfo_dir_iterate};
static const struct vfs_inode_ops pid_dir_ops = {.populate = pid_dir_populate};

pid_t vfs_proc_dir_pid(const struct vfs_file *file)
{
	const struct vfs_inode *inode = file->inode;
	return inode && inode->ops == &pid_dir_ops ? PRIV_PID(inode->priv) : 0;
}
static const struct vfs_inode_ops root_ops = {
	.populate = proc_root_populate,
	.lookup = proc_root_lookup,
	.iterate = proc_root_iterate,
};

static void procfs_destroy(struct vfs_sb *sb)
{
	struct procfs *pf = sb->priv;
	for (size_t i = 0; i < pf->nnet_sysctl; i++)
		free(pf->net_sysctl[i]);
	free(pf->net_sysctl);
	free(sb->priv);
}

static const struct vfs_sb_ops procfs_sb_ops = {
	.name = "proc",
	.magic = PROC_SUPER_MAGIC,
	.destroy = procfs_destroy,
};

/* Numbers separated by blanks, each below 2^64: how many, or -1. */
static int sysctl_numbers(const char *value, unsigned long long *out, int max)
{
	int n = 0;
	for (const char *p = value + strspn(value, " \t"); *p; p += strspn(p, " \t")) {
		size_t len = strspn(p, "0123456789");
		if (!len || len > 20 || n == max)
			return -1;
		errno = 0;
		out[n++] = strtoull(p, NULL, 10);
		if (errno)
			return -1;
		p += len;
	}
	return n;
}

/* As Linux shows it: the numbers, tab-separated. */
static void sysctl_show(char *buf, size_t size, const char *value)
{
	unsigned long long v[4];
	int n = sysctl_numbers(value, v, 4);
	size_t used = 0;
	buf[0] = '\0';
	for (int i = 0; i < n && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%llu", i ? "\t" : "", v[i]);
}

const char *vfs_proc_sysctl_check(const char *key, const char *value)
{
	for (size_t i = 0; i < NSYSCTL; i++)
		if (strcmp(key, sysctl_values[i].key) == 0) {
			unsigned long long v[4];
			return sysctl_numbers(value, v, 4) == sysctl_values[i].fields ? NULL
				: sysctl_values[i].fields > 1 ? "takes four numbers" : "takes a number";
		}
	return "is not one the sandbox's /proc/sys emulates (kernel.shmmax, shmall, shmmni, shm_rmid_forced, "
	       "msgmax, msgmnb, msgmni, sem, and net.* of its network namespace)";
}

int vfs_procfs_new(struct vfs *vfs, const struct vfs_proc_provider *provider,
		   const struct vfs_proc_info *info, struct vfs_sb **out)
{
	struct procfs *pf = calloc(1, sizeof(*pf));
	if (!pf)
		return -ENOMEM;
	if (provider)
		pf->prov = *provider;
	struct utsname u;
	uname(&u);
	snprintf(pf->hostname, sizeof(pf->hostname), "%s", info && info->hostname ? info->hostname : "sentry");
	snprintf(pf->osrelease, sizeof(pf->osrelease), "%s", info && info->osrelease ? info->osrelease : u.release);
	pf->ncpus = info && info->ncpus > 0 ? info->ncpus : (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (pf->ncpus <= 0)
		pf->ncpus = 1;
	for (size_t i = 0; i < NSYSCTL; i++)
		snprintf(pf->sysctl[i], sizeof(pf->sysctl[i]), "%s", sysctl_values[i].initial);
	for (const char *const *kv = info ? info->sysctl : NULL; kv && *kv; kv++)
		if (strncmp(*kv, "net.", 4) == 0 && strchr(*kv, '=')) {
			char **list = realloc(pf->net_sysctl, (pf->nnet_sysctl + 1) * sizeof(*list));
			if (list)
				pf->net_sysctl = list;
			if (list && (list[pf->nnet_sysctl] = strdup(*kv)))
				pf->nnet_sysctl++;
		}
	for (const char *const *kv = info ? info->sysctl : NULL; kv && *kv; kv++)
		for (size_t i = 0; i < NSYSCTL; i++) {
			size_t n = strlen(sysctl_values[i].key);
			if (strncmp(*kv, sysctl_values[i].key, n) == 0 && (*kv)[n] == '=')
				sysctl_show(pf->sysctl[i], sizeof(pf->sysctl[i]), *kv + n + 1);
		}
	int err = vfs_sb_new(vfs, &procfs_sb_ops, SB_NOCREATE, S_IFDIR | 0555, &root_ops, out);
	if (err) {
		free(pf);
		return err;
	}
	(*out)->priv = pf;
	return 0;
}
