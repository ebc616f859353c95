/*
 * The stat snapshot and the rewriting of newfstatat call sites.
 *
 * The sentry is the snapshot's only writer (a seqlock: seq odd while it
 * writes) and serves one call at a time, so an entry is inserted while no
 * other call changes the tree. Any call not known to change nothing clears
 * the table when it is done (fastpath_call_done), before its answer
 * reaches the workload. Calls the kernel runs without the sentry only touch
 * fds the workload holds: pipes, sockets, and the store's files of the
 * files it wrote, whose stat answers are never published (vfs/stable.c
 * leaves out inodes with I_OWN_MEMFD or I_SHARED_OPEN, whose size and
 * times are read from the store on each call).
 */
#define _GNU_SOURCE
#include "fastpath.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fastpath/snapshot.h"
#include "fdinstall.h"
#include "fdmap.h"
#include "loader_image.h"
#include "sandbox.h"
#include "stable.h"

bool fastpath_on;

static struct fastpath_head *head; /* the sentry's writable mapping */
static struct fastpath_entry *slots;
static int snapshot_ro = -1;        /* what the loader maps */
static bool disabled;               /* a chroot: answers differ per process */
static bool dirty;                  /* entries of the current epoch exist */

static void write_begin(void)
{
	__atomic_store_n(&head->seq, head->seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static void write_end(void)
{
	__atomic_store_n(&head->seq, head->seq + 1, __ATOMIC_RELEASE);
}

static int snapshot_new(void)
{
	int fd = memfd_create("sentry-stat-snapshot", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)FASTPATH_SNAP_SIZE) < 0)
		goto fail;
	void *m = mmap(NULL, FASTPATH_SNAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		goto fail;
	head = m;
	slots = (struct fastpath_entry *)((char *)m + FASTPATH_ENTRIES_OFFSET);
	head->epoch = 1;
	head->magic = FASTPATH_SNAP_MAGIC;
	head->nslots = FASTPATH_SLOTS;
	/* Only the mapping above may write from now on: no write(), no new
	 * writable mapping, through any fd of it, the workload's included
	 * (even one it reopened through /proc). */
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL) < 0)
		goto fail;
	char self[64];
	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	snapshot_ro = open(self, O_RDONLY | O_CLOEXEC);
	if (snapshot_ro < 0)
		goto fail;
	close(fd);
	return 0;
fail:;
	int err = -errno;
	close(fd);
	return err;
}

int fastpath_loader_memfd(void)
{
	static const char marker[16] = "sentry-fastpath";
	const unsigned char *image = sentry_loader_image;
	size_t size = sentry_loader_image_size;
	const unsigned char *at = memmem(image, size, marker, sizeof(marker));
	if (!at || memmem(at + 1, size - (size_t)(at + 1 - image), marker, sizeof(marker)))
		return -ENOEXEC; /* a loader without its fast path (or two markers) */
	int r = snapshot_new();
	if (r < 0)
		return r;
	int fd = memfd_create("sentry-loader", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -errno;
	unsigned char on = 1;
	size_t done = 0;
	while (done < size) {
		ssize_t n = write(fd, image + done, size - done);
		if (n <= 0)
			goto fail;
		done += (size_t)n;
	}
	if (pwrite(fd, &on, 1, (off_t)(at - image) + 15) != 1 ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL) < 0)
		goto fail;
	fastpath_on = true;
	return fd;
fail:;
	int err = errno ? -errno : -EIO;
	close(fd);
	return err;
}

/* --- which processes have the stub -------------------------------------- */

enum stub_state { STUB_UNKNOWN, STUB_MAPPED, STUB_ABSENT };

#define PROCS 1024
static struct {
	pid_t tgid;
	unsigned char state;
} procs[PROCS];

static unsigned char *proc_state(pid_t tgid, bool make)
{
	unsigned h = (unsigned)tgid * 2654435761u;
	for (unsigned i = 0; i < 16; i++) {
		unsigned k = (h + i) % PROCS;
		if (procs[k].tgid == tgid)
			return &procs[k].state;
		if (make && (procs[k].tgid == 0 || !task_find_any(sentry_sandbox, procs[k].tgid))) {
			procs[k].tgid = tgid;
			procs[k].state = STUB_UNKNOWN;
			return &procs[k].state;
		}
	}
	return NULL;
}

long fastpath_loader_request(struct task *task)
{
	if (!fastpath_on || disabled || snapshot_ro < 0)
		return -EINVAL;
	/* a new program in this process: its call sites are its own again */
	unsigned char *state = proc_state(task->tgid, true);
	if (!state)
		return -EINVAL;
	*state = STUB_UNKNOWN;
	return task_install_fd_answer(task, snapshot_ro, true);
}

/* --- publishing answers ----------------------------------------------------- */

static void insert(const char *path, int at_flags, long result, const struct stat *st)
{
	unsigned len = (unsigned)strlen(path);
	unsigned nofollow = (at_flags & AT_SYMLINK_NOFOLLOW) ? 1 : 0;
	unsigned h = fastpath_hash(path, len, nofollow);
	unsigned long epoch = head->epoch;
	for (unsigned k = 0; k < FASTPATH_PROBES; k++) {
		struct fastpath_entry *e = &slots[(h + k) & (FASTPATH_SLOTS - 1)];
		bool same = e->epoch == epoch && e->hash == h && e->len == len && e->nofollow == nofollow &&
			    memcmp(e->path, path, len) == 0;
		if (e->epoch == epoch && !same)
			continue;
		write_begin();
		e->hash = h;
		e->len = len;
		e->nofollow = nofollow;
		memcpy(e->path, path, len);
		e->path[len] = 0;
		e->err = result < 0 ? (int)-result : 0;
		if (result == 0)
			memcpy(e->st, st, sizeof(*st));
		else
			memset(e->st, 0, sizeof(e->st));
		e->epoch = epoch;
		write_end();
		dirty = true;
		return;
	}
	/* the probe window is full: this one stays on the slow path */
}

static void clear(void)
{
	if (!dirty)
		return;
	write_begin();
	head->epoch++;
	write_end();
	dirty = false;
}

/* --- rewriting call sites ----------------------------------------------------- */

static const unsigned char site[7] = { 0xb8, 0x06, 0x01, 0x00, 0x00, 0x0f, 0x05 };

/* The leaf shapes of glibc's newfstatat wrappers, which keep nothing below
 * the stack pointer (the call's return address lands there):
 *   fstatat:     mov %ecx,%r10d; SITE; cmp $-4096,%eax; ja ..; xor %eax,%eax; ret
 *   __fxstatat:  SITE; cmp $-4096,%rax; ja ..; ret */
static bool leaf_shape(const unsigned char before[3], const unsigned char after[9])
{
	static const unsigned char mov_ecx_r10d[3] = { 0x41, 0x89, 0xca };
	static const unsigned char cmp_eax[5] = { 0x3d, 0x00, 0xf0, 0xff, 0xff };
	static const unsigned char cmp_rax[6] = { 0x48, 0x3d, 0x00, 0xf0, 0xff, 0xff };
	if (memcmp(before, mov_ecx_r10d, 3) == 0 && memcmp(after, cmp_eax, 5) == 0 && after[5] == 0x77 &&
	    after[7] == 0x31 && after[8] == 0xc0)
		return true;
	return memcmp(after, cmp_rax, 6) == 0 && after[6] == 0x77 && after[8] == 0xc3;
}

static int shares_memory(struct task *other, void *arg)
{
	const struct task *task = arg;
	return other != task && (other->tgid == task->tgid || other->vm_owner == task->tgid);
}

static bool stub_mapped(struct task *task)
{
	unsigned char *state = proc_state(task->tgid, false);
	if (!state || *state == STUB_ABSENT)
		return false;
	if (*state == STUB_MAPPED)
		return true;
	uint64_t word[2];
	bool ok = task_read_mem(task, FASTPATH_STUB_ADDR, word, sizeof(word)) == sizeof(word) &&
		  word[1] == FASTPATH_STUB_MAGIC && word[0] > FASTPATH_STUB_ADDR &&
		  word[0] < FASTPATH_STUB_ADDR + 4096;
	*state = ok ? STUB_MAPPED : STUB_ABSENT;
	return ok;
}

static void patch_site(struct task *task, uint64_t ip)
{
	if (ip < 10 || (ip >= FASTPATH_STUB_ADDR && ip < FASTPATH_STUB_ADDR + 4096 + 7))
		return;
	if (task->vm_owner != task->tgid || task->vfork_waiter ||
	    task_for_each_any(task->sandbox, shares_memory, task))
		return;
	if (!stub_mapped(task))
		return;
	unsigned char code[19]; /* 3 before the site, the site, 9 after */
	if (task_read_mem(task, ip - 10, code, sizeof(code)) != sizeof(code) || memcmp(code + 3, site, 7) != 0 ||
	    !leaf_shape(code, code + 10))
		return;
	unsigned char call[7] = { 0xff, 0x14, 0x25 };
	uint32_t addr = (uint32_t)FASTPATH_STUB_ADDR;
	memcpy(call + 3, &addr, 4);
	char mem[64];
	snprintf(mem, sizeof(mem), "/proc/%d/mem", task->tid);
	int fd = open(mem, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return;
	unsigned char back[7];
	/* through /proc/PID/mem the kernel writes past the page's protection
	 * (FOLL_FORCE), into a private copy of it: the file behind is never
	 * touched */
	bool done = pwrite(fd, call, 7, (off_t)(ip - 7)) == 7 && pread(fd, back, 7, (off_t)(ip - 7)) == 7 &&
		    memcmp(back, call, 7) == 0;
	close(fd);
	sentry_debug(task->sandbox, "fastpath: call site %#llx in process %d %s", (unsigned long long)(ip - 7),
		     task->tgid, done ? "rewritten" : "left as it was");
}

void fastpath_stat_answered(struct task *task, const struct syscall_call *call, const struct vfs_ctx *ctx,
			    const char *path, int at_flags, long result, const struct stat *st)
{
	if (!fastpath_on || disabled || (int)call->args[0] != AT_FDCWD)
		return;
	if (at_flags & ~AT_SYMLINK_NOFOLLOW)
		return;
	if (vfs_stat_stable(ctx, path, at_flags, (int)result))
		insert(path, at_flags, result, st);
	patch_site(task, call->ip);
}

/* O_TMPFILE without O_DIRECTORY (glibc's __O_TMPFILE includes it) */
#define TMPFILE_BIT 020000000

/* Calls that change nothing a stat answer shows. Reads and getdents are
 * not among them: they set the access time. */
static bool changes_nothing(struct task *task, const struct syscall_call *call)
{
	switch (call->nr) {
	case SYS_newfstatat:
#ifdef SYS_stat
	case SYS_stat:
#endif
#ifdef SYS_lstat
	case SYS_lstat:
#endif
	case SYS_fstat:
	case SYS_statx:
#ifdef SYS_access
	case SYS_access:
#endif
	case SYS_faccessat:
	case SYS_faccessat2:
#ifdef SYS_readlink
	case SYS_readlink:
#endif
	case SYS_readlinkat:
	case SYS_getcwd:
	case SYS_close:
	case SYS_lseek:
	case SYS_getpid:
	case SYS_getppid:
	case SYS_gettid:
	case SYS_getuid:
	case SYS_geteuid:
	case SYS_getgid:
	case SYS_getegid:
	case SYS_getresuid:
	case SYS_getresgid:
	case SYS_getgroups:
	case SYS_uname:
	case SYS_sysinfo:
	case SYS_getrandom:
	case SYS_getrlimit:
	case SYS_sched_getaffinity:
	case SYS_rt_sigaction:
	case SYS_rt_sigprocmask:
	case SYS_sigaltstack:
	case SYS_clock_gettime:
	case SYS_gettimeofday:
		return true;
	case SYS_ioctl:
		return call->args[1] == 0x5401; /* TCGETS */
	case SYS_fcntl:
		return call->args[1] == F_GETFD || call->args[1] == F_SETFD || call->args[1] == F_GETFL;
	case SYS_prlimit64:
		return call->args[2] == 0; /* no new limit */
	case SYS_prctl:
		return call->args[0] == 15 || call->args[0] == 16; /* PR_SET_NAME, PR_GET_NAME: /proc only */
#ifdef SYS_open
	case SYS_open:
		return (call->args[1] & (O_ACCMODE | O_CREAT | O_TRUNC | TMPFILE_BIT)) == O_RDONLY;
#endif
	case SYS_openat:
		return (call->args[2] & (O_ACCMODE | O_CREAT | O_TRUNC | TMPFILE_BIT)) == O_RDONLY;
	}
	(void)task;
	return false;
}

/* A folder's access time, which its listing may set (relatime): 0, or
 * -1 when the fd is not a VFS folder. */
static int listed_atime(struct task *task, const struct syscall_call *call, struct timespec *t)
{
	struct vfs_file *f;
	int copy = -1;
	struct stat st;
	int r = task_fd_lookup(task, (int)call->args[0], &f, &copy);
	if (copy >= 0)
		close(copy);
	if (r != FD_VFS || vfs_fstat(f, &st) < 0)
		return -1;
	*t = st.st_atim;
	return 0;
}

static struct timespec atime_before;
static bool atime_known;

void fastpath_call_start(struct task *task, const struct syscall_call *call)
{
	if (!fastpath_on)
		return;
	if (call->nr == SYS_getdents64 && dirty) {
		atime_known = listed_atime(task, call, &atime_before) == 0;
		return;
	}
	fastpath_call_done(task, call);
}

void fastpath_call_done(struct task *task, const struct syscall_call *call)
{
	if (!fastpath_on)
		return;
	if (call->nr == SYS_getdents64) {
		/* a listing changes its folder's access time at most */
		struct timespec t;
		if (dirty && (!atime_known || listed_atime(task, call, &t) < 0 || t.tv_sec != atime_before.tv_sec ||
			      t.tv_nsec != atime_before.tv_nsec))
			clear();
		atime_known = false;
		return;
	}
	if (call->nr == SYS_chroot) {
		/* roots may differ between processes from now on */
		disabled = true;
		write_begin();
		head->epoch++;
		head->magic = 0;
		write_end();
		return;
	}
	if (!changes_nothing(task, call))
		clear();
}
