#define _GNU_SOURCE
/* inotify and dnotify for the changes the sandbox makes to its own files.
 *
 * An inotify instance is a pipe: the workload holds the read end (a real
 * kernel object it can read, poll and epoll), the sentry keeps the write
 * end and writes struct inotify_event records into it as the VFS reports
 * changes. The sentry knows an instance by its pipe's identity
 * (st_dev, st_ino), so inotify_add_watch and inotify_rm_watch work on any
 * dup of the fd, in any process that inherited it. An instance whose read
 * end nobody holds any more is dropped (EPIPE, or POLLERR at a sweep).
 *
 * As Linux does, the sentry counts the events still queued (what the pipe
 * holds) against max_queued_events, queues IN_Q_OVERFLOW once when full,
 * and drops an event identical to the last one while that one is unread.
 *
 * dnotify: fcntl(F_NOTIFY) on a folder fd makes the caller the fd's owner
 * (as Linux does) and, when the folder changes, the sentry sends the
 * owner the fd's F_SETSIG signal (SIGIO by default) with si_fd set, one
 * per change. A second F_NOTIFY on the same open folder adds to the first;
 * the note ends when the fd is closed, at F_NOTIFY 0, or after one signal
 * without DN_MULTISHOT. */
#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "dispatch.h"
#include "fdinstall.h"
#include "fdmap.h"
#include "fsctx.h"
#include "inotify.h"
#include "notify.h"
#include "sandbox.h"

/* Linux's defaults (/proc/sys/fs/inotify). */
#define MAX_INSTANCES 128
#define MAX_WATCHES 8192
#define MAX_QUEUED 16384
/* The pipe's size asked for: room for MAX_QUEUED events with short names.
 * Past the user's pipe-user-pages-soft it gets less, and the queue
 * overflows sooner. */
#define PIPE_BYTES (1 << 20)

#define EVENT_BITS (IN_ALL_EVENTS)
#define WATCH_FLAGS (IN_DONT_FOLLOW | IN_EXCL_UNLINK | IN_MASK_CREATE | IN_MASK_ADD | IN_ONESHOT | IN_ONLYDIR)

struct watch {
	struct vfs_inode *inode;
	int wd;
	uint32_t mask;
	struct watch *next;
};

struct instance {
	dev_t dev;
	ino_t ino;
	int wfd;              /* the pipe's write end */
	size_t capacity;      /* its size */
	int next_wd;
	struct watch *watches;
	/* the sizes of the events written, oldest first, to count those the
	 * pipe still holds; sizes[] is a ring of MAX_QUEUED + 1 */
	uint16_t sizes[MAX_QUEUED + 1];
	unsigned head, count;
	size_t unread;        /* bytes of those events */
	char last[sizeof(struct inotify_event) + NAME_MAX + 16];
	size_t last_len;
	struct instance *next;
};

struct dnote {
	struct sandbox *sb;
	struct vfs_inode *dir;
	pid_t owner_tgid;     /* the process whose fd table holds it */
	int fd;               /* its number there */
	int copy;             /* the sentry's copy of that open folder */
	uint32_t mask;        /* IN_* bits */
	bool multishot;
	struct dnote *next;
};

static struct instance *instances;
static struct dnote *dnotes;
static int ninstances, nwatches;

/* --- queues ------------------------------------------------------------------ */

/* Forgets the events the workload has read: the pipe holds `held` bytes. */
static void account_read(struct instance *in, size_t held)
{
	while (in->count && in->unread - in->sizes[in->head] >= held) {
		in->unread -= in->sizes[in->head];
		in->head = (in->head + 1) % (MAX_QUEUED + 1);
		in->count--;
	}
}

/* Writes without the sentry dying of SIGPIPE when no reader is left. */
static ssize_t write_quietly(int fd, const void *buf, size_t len)
{
	sigset_t pipe_sig, old;
	sigemptyset(&pipe_sig);
	sigaddset(&pipe_sig, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_sig, &old);
	ssize_t n = write(fd, buf, len);
	int err = errno;
	if (n < 0 && err == EPIPE) {
		struct timespec zero = { 0, 0 };
		sigtimedwait(&pipe_sig, NULL, &zero);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = err;
	return n;
}

static void destroy_instance(struct instance *in);

/* Queues one event; false when the instance is gone (no reader left). */
static bool queue_event(struct instance *in, int wd, uint32_t mask, uint32_t cookie, const char *name, size_t len)
{
	char rec[sizeof(struct inotify_event) + NAME_MAX + 16] = { 0 };
	struct inotify_event *ev = (struct inotify_event *)rec;
	size_t padded = len ? (len + 1 + sizeof(*ev) - 1) / sizeof(*ev) * sizeof(*ev) : 0;
	*ev = (struct inotify_event){ .wd = wd, .mask = mask, .cookie = cookie, .len = (uint32_t)padded };
	if (len)
		memcpy(ev->name, name, len);
	size_t size = sizeof(*ev) + padded;

	int held = 0;
	if (ioctl(in->wfd, FIONREAD, &held) < 0)
		held = 0;
	account_read(in, (size_t)held);
	/* Linux merges an event with the last one queued while it is unread */
	if (in->count && (size_t)held >= in->last_len && in->last_len == size && !memcmp(in->last, rec, size))
		return true;
	bool overflow = in->count >= MAX_QUEUED || in->unread + size + sizeof(*ev) > in->capacity;
	if (overflow) {
		if (in->last_len == sizeof(*ev) && ((struct inotify_event *)in->last)->mask == IN_Q_OVERFLOW &&
		    (size_t)held >= in->last_len)
			return true; /* the overflow event is queued already */
		*ev = (struct inotify_event){ .wd = -1, .mask = IN_Q_OVERFLOW };
		size = sizeof(*ev);
	}
	ssize_t n = write_quietly(in->wfd, rec, size);
	if (n < 0 && errno == EPIPE)
		return false;
	if (n != (ssize_t)size)
		return true; /* full beyond what the sizes say: the event is lost, as past an overflow */
	in->sizes[(in->head + in->count) % (MAX_QUEUED + 1)] = (uint16_t)size;
	in->count++;
	in->unread += size;
	memcpy(in->last, rec, size);
	in->last_len = size;
	return true;
}

/* --- watches ------------------------------------------------------------------- */

static void free_watch(struct watch *w)
{
	vfs_notify_unwatch(w->inode);
	nwatches--;
	free(w);
}

/* Removes w from in, queueing IN_IGNORED as Linux does. */
static bool remove_watch(struct instance *in, struct watch *w)
{
	for (struct watch **p = &in->watches; *p; p = &(*p)->next)
		if (*p == w) {
			*p = w->next;
			break;
		}
	int wd = w->wd;
	free_watch(w);
	return queue_event(in, wd, IN_IGNORED, 0, NULL, 0);
}

static void destroy_instance(struct instance *in)
{
	for (struct instance **p = &instances; *p; p = &(*p)->next)
		if (*p == in) {
			*p = in->next;
			break;
		}
	while (in->watches) {
		struct watch *w = in->watches;
		in->watches = w->next;
		free_watch(w);
	}
	close(in->wfd);
	ninstances--;
	free(in);
}

/* Instances whose read end every process closed. */
static void sweep_instances(void)
{
	struct instance *next;
	for (struct instance *in = instances; in; in = next) {
		next = in->next;
		struct pollfd p = { .fd = in->wfd, .events = POLLOUT };
		if (poll(&p, 1, 0) == 1 && (p.revents & POLLERR))
			destroy_instance(in);
	}
}

/* --- dnotify -------------------------------------------------------------------- */

static void drop_dnote(struct dnote *d)
{
	for (struct dnote **p = &dnotes; *p; p = &(*p)->next)
		if (*p == d) {
			*p = d->next;
			break;
		}
	vfs_notify_unwatch(d->dir);
	close(d->copy);
	free(d);
}

/* Does the owner's fd number still name the open folder of the note? */
static bool dnote_open(const struct dnote *d)
{
	return syscall(SYS_kcmp, d->owner_tgid, getpid(), KCMP_FILE, d->fd, d->copy) == 0;
}

/* The signal for the owner, as Linux's send_sigio for POLL_MSG: the
 * F_SETSIG signal with si_fd and si_band, or a plain SIGIO. The sentry
 * queues it, so si_code is SI_QUEUE where Linux says POLL_MSG. */
struct owner_signal {
	int sig;
	siginfo_t info;
	pid_t pgid;
};

/* Through a pidfd taken before the check, so the signal reaches the
 * process checked: the owner's number may outlive it (F_GETOWN still
 * answers it), and only sandbox processes are signalled. */
static void signal_process(struct sandbox *sb, pid_t pid, struct owner_signal *s)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return;
	if (task_is_sandbox_process(sb, pid)) {
		siginfo_t info = s->info;
		syscall(SYS_pidfd_send_signal, pidfd, s->sig, info.si_signo ? &info : NULL, 0);
	}
	close(pidfd);
}

static int signal_group_member(struct task *t, void *arg)
{
	struct owner_signal *s = arg;
	if (t->tid == t->tgid && getpgid(t->tgid) == s->pgid)
		signal_process(t->sandbox, t->tgid, s);
	return 0;
}

static void signal_owner(const struct dnote *d)
{
	int owner = fcntl(d->copy, F_GETOWN);
	int sig = fcntl(d->copy, F_GETSIG);
	if (owner == 0 || owner == -1)
		return;
	struct owner_signal s = { .sig = sig > 0 ? sig : SIGIO };
	if (sig > 0) {
		s.info.si_signo = sig;
		s.info.si_code = SI_QUEUE;
		s.info.si_band = POLLIN | POLLRDNORM | POLLMSG;
		s.info.si_fd = d->fd;
	}
	if (owner > 0) {
		signal_process(d->sb, owner, &s);
	} else {
		s.pgid = -owner;
		task_for_each(d->sb, signal_group_member, &s);
	}
}

static uint32_t dnotify_mask(unsigned long arg)
{
	uint32_t mask = 0;
	if (arg & DN_ACCESS)
		mask |= IN_ACCESS;
	if (arg & DN_MODIFY)
		mask |= IN_MODIFY;
	if (arg & DN_CREATE)
		mask |= IN_CREATE | IN_MOVED_TO;
	if (arg & DN_DELETE)
		mask |= IN_DELETE | IN_MOVED_FROM;
	if (arg & DN_RENAME)
		mask |= VFS_NOTIFY_RENAME;
	if (arg & DN_ATTRIB)
		mask |= IN_ATTRIB;
	return mask;
}

/* --- the VFS's events ------------------------------------------------------------ */

static void deliver(struct instance *in, struct vfs_inode *inode, uint32_t mask, uint32_t cookie, const char *name,
		    size_t len)
{
	struct watch *w = in->watches, *next;
	for (; w; w = next) {
		next = w->next;
		if (w->inode != inode)
			continue;
		if (w->mask & mask & EVENT_BITS) {
			if (!queue_event(in, w->wd, mask, cookie, name, len)) {
				destroy_instance(in);
				return;
			}
			if ((w->mask & IN_ONESHOT) && !remove_watch(in, w)) {
				destroy_instance(in);
				return;
			}
		}
	}
	/* the inode's end removes its watches after the event */
	if (!name && (mask & IN_DELETE_SELF))
		for (w = in->watches; w; w = next) {
			next = w->next;
			if (w->inode == inode && !remove_watch(in, w)) {
				destroy_instance(in);
				return;
			}
		}
}

static void on_change(void *arg, struct vfs_inode *inode, uint32_t mask, uint32_t cookie, const char *name, size_t len)
{
	(void)arg;
	struct instance *nin;
	for (struct instance *in = instances; in; in = nin) {
		nin = in->next;
		deliver(in, inode, mask, cookie, name, len);
	}
	struct dnote *nd;
	for (struct dnote *d = dnotes; d; d = nd) {
		nd = d->next;
		if (d->dir != inode || !(d->mask & mask))
			continue;
		if (!dnote_open(d)) {
			drop_dnote(d);
			continue;
		}
		signal_owner(d);
		if (!d->multishot)
			drop_dnote(d);
	}
}

static void listen_to_vfs(void)
{
	static bool listening;
	if (!listening)
		vfs_notify_set_sink(on_change, NULL);
	listening = true;
}

/* --- calls ---------------------------------------------------------------------- */

/* The instance behind a workload fd: -EBADF, -EINVAL when it is none. */
static long instance_of(struct task *task, int fd, struct instance **out)
{
	struct vfs_file *f;
	int copy;
	long r = task_fd_lookup(task, fd, &f, &copy);
	if (r < 0)
		return r;
	struct stat st;
	bool known = false;
	if (r == FD_KERNEL && copy >= 0 && fstat(copy, &st) == 0 && S_ISFIFO(st.st_mode))
		for (struct instance *in = instances; in; in = in->next)
			if (in->dev == st.st_dev && in->ino == st.st_ino) {
				*out = in;
				known = true;
				break;
			}
	if (copy >= 0)
		close(copy);
	return known ? 0 : -EINVAL;
}

bool inotify_pipe(ino_t ino)
{
	for (struct instance *in = instances; in; in = in->next)
		if (in->ino == ino)
			return true;
	return false;
}

static long init_common(struct task *task, struct syscall_call *call, int flags)
{
	if (flags & ~(IN_CLOEXEC | IN_NONBLOCK))
		return -EINVAL;
	sweep_instances();
	if (ninstances >= MAX_INSTANCES)
		return -EMFILE;
	struct instance *in = calloc(1, sizeof(*in));
	if (!in)
		return -ENOMEM;
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		free(in);
		return -errno;
	}
	struct stat st;
	fcntl(p[1], F_SETPIPE_SZ, PIPE_BYTES);
	int size = fcntl(p[1], F_GETPIPE_SZ);
	if (fstat(p[0], &st) < 0 || size < 4096 || fcntl(p[1], F_SETFL, O_NONBLOCK) < 0 ||
	    ((flags & IN_NONBLOCK) && fcntl(p[0], F_SETFL, O_RDONLY | O_NONBLOCK) < 0)) {
		close(p[0]);
		close(p[1]);
		free(in);
		report_denial(task, call, ENOMEM, "no pipe of a page for an inotify queue (pipe-user-pages-hard reached)");
		return -ENOMEM;
	}
	in->capacity = (size_t)size;
	in->dev = st.st_dev;
	in->ino = st.st_ino;
	in->wfd = p[1];
	in->next_wd = 1;
	long r = task_install_fd_answer(task, p[0], flags & IN_CLOEXEC);
	close(p[0]);
	if (r < 0) {
		close(p[1]);
		free(in);
		return r;
	}
	listen_to_vfs();
	in->next = instances;
	instances = in;
	ninstances++;
	return r;
}

long sys_inotify_init(struct task *task, struct syscall_call *call)
{
	return init_common(task, call, 0);
}

long sys_inotify_init1(struct task *task, struct syscall_call *call)
{
	return init_common(task, call, (int)call->args[0]);
}

long sys_inotify_add_watch(struct task *task, struct syscall_call *call)
{
	uint32_t mask = (uint32_t)call->args[2];
	if (!(mask & (EVENT_BITS | WATCH_FLAGS)))
		return -EINVAL; /* a flag alone is a watch that never fires, as in Linux */
	if ((mask & IN_MASK_ADD) && (mask & IN_MASK_CREATE))
		return -EINVAL;
	sweep_instances(); /* watches of instances nobody reads any more count no more */
	struct instance *in;
	long r = instance_of(task, (int)call->args[0], &in);
	if (r < 0)
		return r;
	struct vfs_ctx ctx;
	char path[PATH_MAX];
	task_vfs_ctx(task, &ctx);
	if ((r = path_arg(task, call->args[1], path)) < 0)
		return r;
	struct vfs_inode *inode;
	r = vfs_notify_lookup(&ctx, NULL, path, !(mask & IN_DONT_FOLLOW), mask & IN_ONLYDIR, &inode);
	if (r < 0)
		return r;
	uint32_t keep = mask & (EVENT_BITS | IN_ONESHOT | IN_EXCL_UNLINK);
	for (struct watch *w = in->watches; w; w = w->next)
		if (w->inode == inode) {
			vfs_notify_unwatch(inode); /* drops the lookup's reference */
			if (mask & IN_MASK_CREATE)
				return -EEXIST;
			w->mask = (mask & IN_MASK_ADD) ? w->mask | keep : keep;
			return w->wd;
		}
	if (nwatches >= MAX_WATCHES) {
		vfs_notify_unwatch(inode);
		return -ENOSPC;
	}
	struct watch *w = malloc(sizeof(*w));
	if (!w) {
		vfs_notify_unwatch(inode);
		return -ENOMEM;
	}
	*w = (struct watch){ .inode = inode, .wd = in->next_wd++, .mask = keep, .next = in->watches };
	in->watches = w;
	nwatches++;
	return w->wd;
}

long sys_inotify_rm_watch(struct task *task, struct syscall_call *call)
{
	struct instance *in;
	long r = instance_of(task, (int)call->args[0], &in);
	if (r < 0)
		return r;
	int wd = (int)call->args[1];
	for (struct watch *w = in->watches; w; w = w->next)
		if (w->wd == wd) {
			if (!remove_watch(in, w))
				destroy_instance(in);
			return 0;
		}
	return -EINVAL;
}

long dnotify_set(struct task *task, struct syscall_call *call)
{
	int fd = (int)call->args[0];
	unsigned long arg = call->args[2];
	struct vfs_file *f;
	int copy;
	long r = task_fd_lookup(task, fd, &f, &copy);
	if (r < 0)
		return r;
	if (copy < 0)
		return -EBADF; /* O_PATH, as Linux answers */
	if (r != FD_VFS || !vfs_inode_is_dir(vfs_file_inode(f))) {
		close(copy);
		return -ENOTDIR;
	}
	struct vfs_inode *dir = vfs_file_inode(f);
	struct dnote *same = NULL;
	for (struct dnote *d = dnotes; d && !same; d = d->next)
		if (d->owner_tgid == task->tgid && syscall(SYS_kcmp, getpid(), getpid(), KCMP_FILE, d->copy, copy) == 0)
			same = d;
	if (!(arg & ~DN_MULTISHOT)) {
		if (same)
			drop_dnote(same);
		close(copy);
		return 0;
	}
	if (same) { /* Linux adds to the note of the same open folder */
		close(copy);
		same->fd = fd;
		same->mask |= dnotify_mask(arg);
		same->multishot |= arg & DN_MULTISHOT;
		return 0;
	}
	struct dnote *d = malloc(sizeof(*d));
	if (!d) {
		close(copy);
		return -ENOMEM;
	}
	/* Linux makes the caller the owner the signal goes to */
	if (fcntl(copy, F_SETOWN, task->tgid) < 0) {
		r = -errno;
		free(d);
		close(copy);
		return r;
	}
	vfs_notify_watch(dir);
	*d = (struct dnote){ .sb = task->sandbox, .dir = dir, .owner_tgid = task->tgid, .fd = fd, .copy = copy,
			     .mask = dnotify_mask(arg), .multishot = arg & DN_MULTISHOT, .next = dnotes };
	dnotes = d;
	listen_to_vfs();
	return 0;
}
