#define _GNU_SOURCE
/* POSIX message queues of the sandbox's own, served by the sentry. The
 * kernel's queues live in the host's IPC namespace, shared with the host
 * and every other sandbox, so none of the calls reaches it: the queues,
 * their messages and their names live here, private to this sandbox.
 *
 * A queue descriptor is a pipe: the workload holds the read end (a kernel
 * object it may poll, dup, inherit and close), the sentry keeps the write
 * end and knows the open queue description by the pipe's (st_dev, st_ino).
 * While the queue holds a message, the pipe holds its "QSIZE:..." line,
 * so poll, select and epoll see the descriptor readable exactly then, and
 * a read() gives the line as Linux's does; an empty queue's pipe is empty.
 * O_NONBLOCK is the pipe's own flag, so mq_setattr and fcntl(F_SETFL) set
 * the same thing, as on Linux. A description whose read end no process
 * holds any more is dropped at the next mq_open or mq_unlink (the write
 * end then reports POLLERR); a queue lives while it has a name or an open
 * description, as Linux keeps an unlinked queue until its last close.
 *
 * A send to a full queue or a receive from an empty one waits on a worker
 * (sentry/task/deferred.h): the sentry's loop never waits. A send hands
 * its message straight to a waiting receiver and a receive moves a waiting
 * sender's message in, as Linux's pipelined send and receive do, with the
 * waiter's condition signalled at once. A waiter looks every WAIT_SLICE_NS
 * whether its caller still waits (a signal ends the call); one that gives
 * up leaves the queue as it found it. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "deferred.h"
#include "dispatch.h"
#include "fdinstall.h"
#include "fdmap.h"
#include "mq.h"
#include "sandbox.h"
#include "syscall.h"
#include "task.h"

/* Linux's defaults (/proc/sys/fs/mqueue) and hard limits. */
#define QUEUES_MAX 256
#define MSG_MAX 10
#define MSGSIZE_MAX 8192
#define HARD_MSGMAX 65536
#define HARD_MSGSIZEMAX (16 * 1024 * 1024)
#define QUEUE_PRIO_MAX 32768
/* What Linux charges a queue against RLIMIT_MSGQUEUE besides the message
 * bytes: a struct msg_msg per message, a priority tree node per message up
 * to MQ_PRIO_MAX (48 bytes each on 64-bit kernels). */
#define MSG_OVERHEAD 48
#define NODE_OVERHEAD 48

#define WAIT_SLICE_NS 20000000L

struct mq_msg {
	struct mq_msg *next;
	unsigned prio;
	size_t len;
	char data[];
};

struct waiter {
	struct waiter *next;
	pthread_cond_t cond;
	bool done;
	struct mq_msg *msg; /* a receiver's message handed over; a sender's own */
};

struct queue {
	struct queue *next;
	uint64_t id;
	char name[NAME_MAX + 1];
	bool linked;
	uid_t uid;
	gid_t gid;
	mode_t mode;
	long maxmsg, msgsize, curmsgs;
	unsigned long qsize;          /* bytes of the messages held */
	struct mq_msg *msgs;          /* highest priority first, FIFO within */
	struct waiter *receivers, *senders;
	int users;                    /* open descriptions and waiters */
	uid_t charged_uid;
	unsigned long charged;        /* against RLIMIT_MSGQUEUE */
	struct vfs *store;            /* charged the same bytes */
	pid_t notify_pid;             /* 0: nobody registered */
	int notify_kind;              /* SIGEV_NONE or SIGEV_SIGNAL */
	int notify_signo;
	union sigval notify_value;
	struct timespec atime, mtime, ctime;
};

struct desc {
	struct desc *next;
	dev_t dev;
	ino_t ino;
	int wfd;
	bool can_read, can_write;
	struct queue *queue;
};

struct user_charge {
	struct user_charge *next;
	uid_t uid;
	unsigned long bytes;
};

/* The loop's handlers and the waiting workers share everything below. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct queue *queues;
static struct desc *descs;
static struct user_charge *charges;
static int nqueues;
static uint64_t last_id;

static long refuse(struct task *task, struct syscall_call *call, int err, const char *why)
{
	report_denial(task, call, err, why);
	return -err;
}

/* --- queues ------------------------------------------------------------------ */

static struct user_charge *charge_of(uid_t uid)
{
	for (struct user_charge *c = charges; c; c = c->next)
		if (c->uid == uid)
			return c;
	struct user_charge *c = calloc(1, sizeof(*c));
	if (c) {
		c->uid = uid;
		c->next = charges;
		charges = c;
	}
	return c;
}

static unsigned long bytes_of(long maxmsg, long msgsize)
{
	long nodes = maxmsg < QUEUE_PRIO_MAX ? maxmsg : QUEUE_PRIO_MAX;
	return (unsigned long)maxmsg * MSG_OVERHEAD + (unsigned long)nodes * NODE_OVERHEAD +
	       (unsigned long)maxmsg * (unsigned long)msgsize;
}

static void set_owner(struct queue *q, pid_t pid)
{
	q->notify_pid = pid;
}

static void destroy_queue(struct queue *q)
{
	for (struct queue **p = &queues; *p; p = &(*p)->next)
		if (*p == q) {
			*p = q->next;
			break;
		}
	while (q->msgs) {
		struct mq_msg *m = q->msgs;
		q->msgs = m->next;
		free(m);
	}
	struct user_charge *c = charge_of(q->charged_uid);
	if (c)
		c->bytes -= q->charged;
	vfs_charge(q->store, -(int64_t)q->charged);
	set_owner(q, 0);
	nqueues--;
	free(q);
}

static void release_queue(struct queue *q)
{
	if (--q->users == 0 && !q->linked)
		destroy_queue(q);
}

static struct queue *find_queue(const char *name)
{
	for (struct queue *q = queues; q; q = q->next)
		if (q->linked && strcmp(q->name, name) == 0)
			return q;
	return NULL;
}

static void now(struct timespec *t) { clock_gettime(CLOCK_REALTIME, t); }

/* The line a read of the queue gives, as Linux's mqueue_read_file. */
static int status_line(const struct queue *q, char *buf, size_t size)
{
	return snprintf(buf, size, "QSIZE:%-10lu NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n", q->qsize,
			q->notify_pid ? q->notify_kind : 0,
			q->notify_pid && q->notify_kind == SIGEV_SIGNAL ? q->notify_signo : 0, q->notify_pid);
}

/* Writes without the sentry dying of SIGPIPE when no reader is left (the
 * description is then dropped at the next sweep). */
static void write_quietly(int fd, const void *buf, size_t len)
{
	sigset_t pipe_sig, old;
	sigemptyset(&pipe_sig);
	sigaddset(&pipe_sig, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_sig, &old);
	if (write(fd, buf, len) < 0 && errno == EPIPE) {
		struct timespec zero = { 0, 0 };
		sigtimedwait(&pipe_sig, NULL, &zero);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* Empties a description's pipe through a read end of the sentry's own,
 * opened for the moment, and puts the queue's line in when it holds a
 * message: the pipe is readable exactly when a receive would succeed. */
static void refresh_desc(const struct desc *d)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", d->wfd);
	int rfd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (rfd >= 0) {
		while (read(rfd, buf, sizeof(buf)) > 0)
			;
		close(rfd);
	}
	if (d->queue->curmsgs > 0) {
		int n = status_line(d->queue, buf, sizeof(buf));
		write_quietly(d->wfd, buf, (size_t)n);
	}
}

static void refresh(const struct queue *q)
{
	for (struct desc *d = descs; d; d = d->next)
		if (d->queue == q)
			refresh_desc(d);
}

static void insert_msg(struct queue *q, struct mq_msg *m, bool at_front_of_its_priority)
{
	struct mq_msg **p = &q->msgs;
	while (*p && ((*p)->prio > m->prio || ((*p)->prio == m->prio && !at_front_of_its_priority)))
		p = &(*p)->next;
	m->next = *p;
	*p = m;
	q->curmsgs++;
	q->qsize += m->len;
}

static struct mq_msg *take_msg(struct queue *q)
{
	struct mq_msg *m = q->msgs;
	q->msgs = m->next;
	q->curmsgs--;
	q->qsize -= m->len;
	return m;
}

/* SI_MESGQ, as the kernel's __do_notify sends it: from the sender's pid
 * and real uid, with the registration's value. */
static void notify(struct queue *q, pid_t sender, uid_t sender_uid)
{
	if (q->notify_kind == SIGEV_SIGNAL && q->notify_signo) {
		siginfo_t info = { .si_signo = q->notify_signo, .si_code = SI_MESGQ };
		info.si_pid = sender;
		info.si_uid = sender_uid;
		info.si_value = q->notify_value;
		int pidfd = (int)syscall(SYS_pidfd_open, q->notify_pid, 0);
		if (pidfd >= 0) {
			syscall(SYS_pidfd_send_signal, pidfd, q->notify_signo, &info, 0);
			close(pidfd);
		}
	}
	set_owner(q, 0); /* a registration is used once */
}

static void unlink_waiter(struct waiter **list, struct waiter *w)
{
	for (struct waiter **p = list; *p; p = &(*p)->next)
		if (*p == w) {
			*p = w->next;
			return;
		}
}

/* A message reaches the queue: to the first waiting receiver, else into
 * the queue, notifying a registered process when it was empty. */
static void deliver(struct queue *q, struct mq_msg *m, bool put_back, pid_t sender, uid_t sender_uid)
{
	struct waiter *r = q->receivers;
	if (r) {
		q->receivers = r->next;
		r->msg = m;
		r->done = true;
		pthread_cond_signal(&r->cond);
	} else {
		insert_msg(q, m, put_back);
		if (q->curmsgs == 1 && q->notify_pid)
			notify(q, sender, sender_uid);
		refresh(q);
	}
	now(&q->mtime);
	q->ctime = q->mtime;
}

/* A message leaves the queue: a waiting sender's takes its room. */
static struct mq_msg *receive_one(struct queue *q)
{
	struct mq_msg *m = take_msg(q);
	struct waiter *s = q->senders;
	if (s) {
		q->senders = s->next;
		insert_msg(q, s->msg, false);
		s->msg = NULL;
		s->done = true;
		pthread_cond_signal(&s->cond);
	}
	refresh(q);
	now(&q->atime);
	q->ctime = q->atime;
	return m;
}

/* --- descriptions --------------------------------------------------------- */

static struct sandbox *sandbox; /* the one this sentry serves */

static bool registered_process_gone(const struct queue *q)
{
	return q->notify_pid && sandbox && !task_is_sandbox_process(sandbox, q->notify_pid);
}

static void drop_desc(struct desc *d)
{
	for (struct desc **p = &descs; *p; p = &(*p)->next)
		if (*p == d) {
			*p = d->next;
			break;
		}
	struct queue *q = d->queue;
	if (registered_process_gone(q))
		set_owner(q, 0);
	close(d->wfd);
	free(d);
	release_queue(q);
}

/* Descriptions whose read end every process closed. */
static void sweep(void)
{
	struct desc *next;
	for (struct desc *d = descs; d; d = next) {
		next = d->next;
		struct pollfd p = { .fd = d->wfd, .events = POLLOUT };
		if (poll(&p, 1, 0) == 1 && (p.revents & POLLERR))
			drop_desc(d);
	}
}

/* The description behind a workload fd, and the sentry's copy of the fd
 * (for its O_NONBLOCK): -EBADF when the fd is no queue descriptor. Called
 * with the lock held. */
static long desc_of(struct task *task, int fd, struct desc **out, int *copy_out)
{
	struct vfs_file *f;
	int copy = -1;
	long r = task_fd_lookup(task, fd, &f, &copy);
	if (r < 0)
		return r;
	struct stat st;
	if (r == FD_KERNEL && copy >= 0 && fstat(copy, &st) == 0 && S_ISFIFO(st.st_mode))
		for (struct desc *d = descs; d; d = d->next)
			if (d->dev == st.st_dev && d->ino == st.st_ino) {
				*out = d;
				*copy_out = copy;
				return 0;
			}
	if (copy >= 0)
		close(copy);
	return -EBADF;
}

static bool nonblocking(int copy)
{
	int fl = fcntl(copy, F_GETFL);
	return fl >= 0 && (fl & O_NONBLOCK);
}

/* --- mq_open, mq_unlink ------------------------------------------------------ */

/* Linux's rules for a queue name (glibc has taken the leading '/'): the
 * name is one path component of the mqueue file system. */
static long read_name(struct task *task, uint64_t addr, char *name)
{
	char path[PATH_MAX];
	ssize_t r = task_read_string(task, addr, path, sizeof(path));
	if (r < 0)
		return r;
	size_t len = strlen(path);
	if (len == 0)
		return -ENOENT;
	if (strchr(path, '/') || strcmp(path, ".") == 0 || strcmp(path, "..") == 0)
		return -EACCES;
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(name, path, len + 1);
	return 0;
}

/* generic_permission on the queue's owner, group and mode. */
static long may_access(const struct task_cred *cred, const struct queue *q, int acc)
{
	unsigned bits = q->mode;
	if (cred->fsuid == q->uid)
		bits >>= 6;
	else {
		bool in_group = cred->fsgid == q->gid;
		for (int i = 0; i < cred->ngroups && !in_group; i++)
			in_group = cred->groups[i] == q->gid;
		if (in_group)
			bits >>= 3;
	}
	if (!(acc & ~bits & 7))
		return 0;
	if (acc == 4 && task_cred_capable(cred, CAP_DAC_READ_SEARCH))
		return 0;
	return task_cred_capable(cred, CAP_DAC_OVERRIDE) ? 0 : -EACCES;
}

static long check_attr(const struct task_cred *cred, const struct mq_attr *a)
{
	if (a->mq_maxmsg <= 0 || a->mq_msgsize <= 0)
		return -EINVAL;
	if (task_cred_capable(cred, CAP_SYS_RESOURCE)) {
		if (a->mq_maxmsg > HARD_MSGMAX || a->mq_msgsize > HARD_MSGSIZEMAX)
			return -EINVAL;
	} else if (a->mq_maxmsg > MSG_MAX || a->mq_msgsize > MSGSIZE_MAX) {
		return -EINVAL;
	}
	return 0;
}

static long create_queue(struct task *task, const char *name, mode_t mode, const struct mq_attr *attr,
			 struct queue **out)
{
	const struct task_cred *cred = &task->cred;
	long maxmsg = MSG_MAX, msgsize = MSGSIZE_MAX;
	if (attr) {
		long r = check_attr(cred, attr);
		if (r < 0)
			return r;
		maxmsg = attr->mq_maxmsg;
		msgsize = attr->mq_msgsize;
	}
	if (nqueues >= QUEUES_MAX && !task_cred_capable(cred, CAP_SYS_RESOURCE))
		return -ENOSPC;
	unsigned long bytes = bytes_of(maxmsg, msgsize);
	struct rlimit lim;
	if (prlimit(task->tgid, RLIMIT_MSGQUEUE, NULL, &lim) < 0)
		lim.rlim_cur = RLIM_INFINITY;
	struct user_charge *c = charge_of(cred->ruid);
	if (!c)
		return -ENOMEM;
	if (c->bytes + bytes < c->bytes || (lim.rlim_cur != RLIM_INFINITY && c->bytes + bytes > lim.rlim_cur))
		return -EMFILE;
	/* Every queue's room, whoever owns it, counts against the sandbox's
	 * store: a root workload could otherwise take a new uid per
	 * RLIMIT_MSGQUEUE's worth, held in the sentry's own memory. */
	struct vfs *store = task->sandbox->vfs;
	if (bytes > INT64_MAX || vfs_charge(store, (int64_t)bytes) < 0)
		return -ENOSPC;
	struct queue *q = calloc(1, sizeof(*q));
	if (!q) {
		vfs_charge(store, -(int64_t)bytes);
		return -ENOMEM;
	}
	q->store = store;
	strcpy(q->name, name);
	q->id = ++last_id;
	q->linked = true;
	q->uid = cred->fsuid;
	q->gid = cred->fsgid;
	q->mode = mode & ~task->fs->umask & 07777;
	q->maxmsg = maxmsg;
	q->msgsize = msgsize;
	q->charged_uid = cred->ruid;
	q->charged = bytes;
	c->bytes += bytes;
	now(&q->mtime);
	q->atime = q->ctime = q->mtime;
	q->next = queues;
	queues = q;
	nqueues++;
	*out = q;
	return 0;
}

/* A new description of q for the task, installed as the call's answer;
 * mq_open's descriptors are close-on-exec, as Linux makes them. */
static long open_desc(struct task *task, struct queue *q, int oflag)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	struct stat st;
	struct desc *d = calloc(1, sizeof(*d));
	if (!d || fstat(p[0], &st) < 0 || fcntl(p[1], F_SETFL, O_NONBLOCK) < 0 ||
	    ((oflag & O_NONBLOCK) && fcntl(p[0], F_SETFL, O_RDONLY | O_NONBLOCK) < 0)) {
		free(d);
		close(p[0]);
		close(p[1]);
		return -ENOMEM;
	}
	d->dev = st.st_dev;
	d->ino = st.st_ino;
	d->wfd = p[1];
	/* O_RDWR|O_WRONLY on a new queue opens it for neither, as Linux does */
	int acc = oflag & O_ACCMODE;
	d->can_read = acc == O_RDONLY || acc == O_RDWR;
	d->can_write = acc == O_WRONLY || acc == O_RDWR;
	d->queue = q;
	q->users++;
	d->next = descs;
	descs = d;
	refresh_desc(d);
	long r = task_install_fd_answer(task, p[0], true);
	close(p[0]);
	if (r < 0)
		drop_desc(d);
	return r;
}

static long mq_open_locked(struct task *task, struct syscall_call *call)
{
	char name[NAME_MAX + 1];
	long r = read_name(task, call->args[0], name);
	if (r < 0)
		return r;
	int oflag = (int)call->args[1];
	mode_t mode = (mode_t)call->args[2];
	struct mq_attr attr, *attrp = NULL;
	if (call->args[3]) {
		if (task_read_mem(task, call->args[3], &attr, sizeof(attr)) < 0)
			return -EFAULT;
		attrp = &attr;
	}
	sweep();
	struct queue *q = find_queue(name);
	if (!q) {
		if (!(oflag & O_CREAT))
			return -ENOENT;
		r = create_queue(task, name, mode, attrp, &q);
		if (r < 0)
			return r;
	} else {
		if ((oflag & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
			return -EEXIST;
		if ((oflag & O_ACCMODE) == (O_RDWR | O_WRONLY))
			return -EINVAL;
		static const int acc_of[3] = { 4, 2, 6 };
		r = may_access(&task->cred, q, acc_of[oflag & O_ACCMODE]);
		if (r < 0)
			return r;
	}
	q->users++; /* held while the description is made */
	r = open_desc(task, q, oflag);
	release_queue(q);
	return r;
}

long sys_mq_open(struct task *task, struct syscall_call *call)
{
	pthread_mutex_lock(&lock);
	sandbox = task->sandbox;
	long r = mq_open_locked(task, call);
	pthread_mutex_unlock(&lock);
	return r;
}

/* Who may remove a queue from the mqueue root (mode 1777, root's): its
 * owner, the root's owner, or CAP_FOWNER; anyone else gets EACCES, as
 * Linux answers (seen, where the sticky bit would say EPERM). */
long sys_mq_unlink(struct task *task, struct syscall_call *call)
{
	char name[NAME_MAX + 1];
	long r = read_name(task, call->args[0], name);
	if (r < 0)
		return r;
	pthread_mutex_lock(&lock);
	sandbox = task->sandbox;
	sweep();
	struct queue *q = find_queue(name);
	if (!q)
		r = -ENOENT;
	else if (task->cred.fsuid != q->uid && task->cred.fsuid != 0 && !task_cred_capable(&task->cred, CAP_FOWNER))
		r = -EACCES;
	else {
		q->linked = false;
		if (q->users == 0)
			destroy_queue(q);
	}
	pthread_mutex_unlock(&lock);
	return r;
}

/* --- timeouts ----------------------------------------------------------------- */

/* The call's absolute CLOCK_REALTIME timeout: 0 with *has = false when
 * none is given, -EFAULT, or -EINVAL for an invalid timespec. */
static long read_timeout(struct task *task, uint64_t addr, struct timespec *ts, bool *has)
{
	*has = addr != 0;
	if (!addr)
		return 0;
	if (task_read_mem(task, addr, ts, sizeof(*ts)) < 0)
		return -EFAULT;
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000L)
		return -EINVAL;
	return 0;
}

static bool passed(const struct timespec *deadline)
{
	struct timespec t;
	now(&t);
	return t.tv_sec > deadline->tv_sec || (t.tv_sec == deadline->tv_sec && t.tv_nsec >= deadline->tv_nsec);
}

/* The next time a waiter looks up: WAIT_SLICE_NS from now, or the
 * deadline when it comes sooner (CLOCK_MONOTONIC, the condition's clock). */
static void next_look(const struct timespec *deadline, bool has_deadline, struct timespec *at)
{
	long wait_ns = WAIT_SLICE_NS;
	if (has_deadline) {
		struct timespec t;
		now(&t);
		long long left = (long long)(deadline->tv_sec - t.tv_sec) * 1000000000LL + (deadline->tv_nsec - t.tv_nsec);
		if (left < wait_ns)
			wait_ns = left > 0 ? (long)left : 0;
	}
	clock_gettime(CLOCK_MONOTONIC, at);
	at->tv_nsec += wait_ns;
	if (at->tv_nsec >= 1000000000L) {
		at->tv_sec++;
		at->tv_nsec -= 1000000000L;
	}
}

static void waiter_init(struct waiter *w)
{
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cond, &ca);
	pthread_condattr_destroy(&ca);
}

/* What a blocked call hands its worker. */
struct wait_work {
	struct waiter waiter;
	struct queue *queue;
	struct deferred_caller caller;
	pid_t tid;
	bool has_deadline;
	struct timespec deadline;
	uint64_t buf, prio_at; /* a receiver's */
	struct mq_msg *sent;   /* a sender's message, wherever it went */
};

/* The caller's call ended: a signal (deferred_caller_gone), or its
 * thread is gone, which on ptrace is the only way it ends. */
static bool caller_gone(const struct wait_work *w)
{
	return deferred_caller_gone(&w->caller) || (kill(w->tid, 0) < 0 && errno == ESRCH);
}

/* With the lock held: waits until the waiter is served, its deadline
 * passes (-ETIMEDOUT) or its caller is gone (-EINTR); one that gives up
 * is off its list. */
static long wait_served(struct wait_work *w, struct waiter **list)
{
	while (!w->waiter.done) {
		if (w->has_deadline && passed(&w->deadline)) {
			unlink_waiter(list, &w->waiter);
			return -ETIMEDOUT;
		}
		pthread_mutex_unlock(&lock);
		bool gone = caller_gone(w);
		pthread_mutex_lock(&lock);
		if (w->waiter.done)
			break;
		if (gone) {
			unlink_waiter(list, &w->waiter);
			return -EINTR;
		}
		struct timespec at;
		next_look(&w->deadline, w->has_deadline, &at);
		pthread_cond_timedwait(&w->waiter.cond, &lock, &at);
	}
	return 0;
}

static void wait_work_free(struct wait_work *w)
{
	pthread_cond_destroy(&w->waiter.cond);
	free(w->waiter.msg);
	free(w);
}

static long store_msg(pid_t tid, uint64_t buf, uint64_t prio_at, const struct mq_msg *m)
{
	struct iovec local = { (void *)m->data, m->len }, remote = { (void *)(uintptr_t)buf, m->len };
	if (m->len && process_vm_writev(tid, &local, 1, &remote, 1, 0) != (ssize_t)m->len)
		return -EFAULT;
	unsigned prio = m->prio;
	struct iovec lp = { &prio, sizeof(prio) }, rp = { (void *)(uintptr_t)prio_at, sizeof(prio) };
	if (prio_at && process_vm_writev(tid, &lp, 1, &rp, 1, 0) != sizeof(prio))
		return -EFAULT;
	return (long)m->len;
}

/* --- send and receive ------------------------------------------------------- */

static long send_waiting(void *arg)
{
	struct wait_work *w = arg;
	pthread_mutex_lock(&lock);
	long r = wait_served(w, &w->queue->senders);
	if (r == 0 && caller_gone(w)) {
		/* the message went in for a caller that left: out again, if
		 * nobody has taken it yet */
		for (struct mq_msg **p = &w->queue->msgs; *p; p = &(*p)->next)
			if (*p == w->sent) {
				*p = w->sent->next;
				w->queue->curmsgs--;
				w->queue->qsize -= w->sent->len;
				w->waiter.msg = w->sent; /* freed with the work */
				refresh(w->queue);
				r = -EINTR;
				break;
			}
		/* else received already: the send stands */
	}
	release_queue(w->queue);
	pthread_mutex_unlock(&lock);
	wait_work_free(w);
	return r;
}

static long receive_waiting(void *arg)
{
	struct wait_work *w = arg;
	pthread_mutex_lock(&lock);
	long r = wait_served(w, &w->queue->receivers);
	if (r == 0 && caller_gone(w)) {
		deliver(w->queue, w->waiter.msg, true, 0, 0); /* back where it was */
		w->waiter.msg = NULL;
		r = -EINTR;
	}
	release_queue(w->queue);
	pthread_mutex_unlock(&lock);
	if (r == 0)
		r = store_msg(w->tid, w->buf, w->prio_at, w->waiter.msg);
	wait_work_free(w);
	return r;
}

static long start_wait(struct task *task, struct syscall_call *call, struct queue *q, struct waiter **list,
		       struct wait_work *w, deferred_work_fn fn)
{
	waiter_init(&w->waiter);
	w->queue = q;
	w->caller = deferred_caller_of(task);
	w->tid = task->tid;
	struct waiter **tail = list;
	while (*tail)
		tail = &(*tail)->next;
	*tail = &w->waiter;
	q->users++;
	long r = deferred_start(task, call, fn, w);
	if (r < 0) {
		unlink_waiter(list, &w->waiter);
		q->users--;
		pthread_cond_destroy(&w->waiter.cond);
	}
	return r;
}

/* What a send and a receive both take from their call: the queue
 * description of the fd (args[0]), whether it is O_NONBLOCK, and the
 * absolute timeout (args[4]) if any. */
struct transfer {
	struct desc *desc;
	bool nonblock, has_deadline;
	struct timespec deadline;
};

static long begin_transfer(struct task *task, struct syscall_call *call, struct transfer *t)
{
	long r = read_timeout(task, call->args[4], &t->deadline, &t->has_deadline);
	if (r < 0)
		return r;
	int copy;
	if ((r = desc_of(task, (int)call->args[0], &t->desc, &copy)) < 0)
		return r;
	t->nonblock = nonblocking(copy);
	close(copy);
	return 0;
}

static long timedsend_locked(struct task *task, struct syscall_call *call, struct mq_msg **msg)
{
	size_t len = (size_t)call->args[2];
	unsigned long prio = (unsigned)call->args[3];
	if (prio >= QUEUE_PRIO_MAX)
		return -EINVAL;
	struct transfer t;
	long r = begin_transfer(task, call, &t);
	if (r < 0)
		return r;
	struct timespec deadline = t.deadline;
	bool has_deadline = t.has_deadline, nonblock = t.nonblock;
	struct desc *d = t.desc;
	struct queue *q = d->queue;
	if (!d->can_write)
		return -EBADF;
	if (len > (size_t)q->msgsize)
		return -EMSGSIZE;
	struct mq_msg *m = malloc(sizeof(*m) + len);
	if (!m)
		return -ENOMEM;
	m->prio = (unsigned)prio;
	m->len = len;
	if (len && task_read_mem(task, call->args[1], m->data, len) < 0) {
		free(m);
		return -EFAULT;
	}
	if (q->curmsgs < q->maxmsg) {
		deliver(q, m, false, task->tgid, task->cred.ruid);
		return 0;
	}
	*msg = m;
	if (nonblock)
		return -EAGAIN;
	if (has_deadline && passed(&deadline))
		return -ETIMEDOUT;
	struct wait_work *w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->has_deadline = has_deadline;
	w->deadline = deadline;
	w->waiter.msg = w->sent = m;
	r = start_wait(task, call, q, &q->senders, w, send_waiting);
	if (r < 0)
		free(w);
	else
		*msg = NULL;
	return r;
}

long sys_mq_timedsend(struct task *task, struct syscall_call *call)
{
	struct mq_msg *unsent = NULL;
	pthread_mutex_lock(&lock);
	long r = timedsend_locked(task, call, &unsent);
	pthread_mutex_unlock(&lock);
	free(unsent);
	return r;
}

static long timedreceive_locked(struct task *task, struct syscall_call *call, struct mq_msg **msg)
{
	size_t len = (size_t)call->args[2];
	struct transfer t;
	long r = begin_transfer(task, call, &t);
	if (r < 0)
		return r;
	struct timespec deadline = t.deadline;
	bool has_deadline = t.has_deadline, nonblock = t.nonblock;
	struct desc *d = t.desc;
	struct queue *q = d->queue;
	if (!d->can_read)
		return -EBADF;
	if (len < (size_t)q->msgsize)
		return -EMSGSIZE;
	if (q->curmsgs > 0) {
		*msg = receive_one(q);
		return 0;
	}
	if (nonblock)
		return -EAGAIN;
	if (has_deadline && passed(&deadline))
		return -ETIMEDOUT;
	struct wait_work *w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->has_deadline = has_deadline;
	w->deadline = deadline;
	w->buf = call->args[1];
	w->prio_at = call->args[3];
	r = start_wait(task, call, q, &q->receivers, w, receive_waiting);
	if (r < 0)
		free(w);
	return r;
}

long sys_mq_timedreceive(struct task *task, struct syscall_call *call)
{
	struct mq_msg *m = NULL;
	pthread_mutex_lock(&lock);
	long r = timedreceive_locked(task, call, &m);
	pthread_mutex_unlock(&lock);
	if (m) {
		/* taken from the queue: a fault writing it loses it, as on Linux */
		r = store_msg(task->tid, call->args[1], call->args[3], m);
		free(m);
	}
	return r;
}

/* --- mq_getsetattr, mq_notify ---------------------------------------------- */

long sys_mq_getsetattr(struct task *task, struct syscall_call *call)
{
	struct mq_attr set, old;
	bool setting = call->args[1] != 0;
	if (setting) {
		if (task_read_mem(task, call->args[1], &set, sizeof(set)) < 0)
			return -EFAULT;
		if (set.mq_flags & ~(long)O_NONBLOCK)
			return -EINVAL;
	}
	pthread_mutex_lock(&lock);
	struct desc *d;
	int copy;
	long r = desc_of(task, (int)call->args[0], &d, &copy);
	if (r == 0) {
		struct queue *q = d->queue;
		int fl = fcntl(copy, F_GETFL);
		old = (struct mq_attr){ .mq_flags = fl >= 0 ? fl & O_NONBLOCK : 0,
					.mq_maxmsg = q->maxmsg,
					.mq_msgsize = q->msgsize,
					.mq_curmsgs = q->curmsgs };
		if (setting && fl >= 0) {
			fcntl(copy, F_SETFL, (fl & ~O_NONBLOCK) | (set.mq_flags & O_NONBLOCK));
			now(&q->atime);
			q->ctime = q->atime;
		}
		close(copy);
	}
	pthread_mutex_unlock(&lock);
	if (r == 0 && call->args[2] && task_write_mem(task, call->args[2], &old, sizeof(old)) < 0)
		r = -EFAULT;
	return r;
}

long sys_mq_notify(struct task *task, struct syscall_call *call)
{
	struct sigevent ev;
	bool registering = call->args[1] != 0;
	if (registering) {
		if (task_read_mem(task, call->args[1], &ev, sizeof(ev)) < 0)
			return -EFAULT;
		if (ev.sigev_notify == SIGEV_THREAD)
			return refuse(task, call, ENOSYS,
				      "mq_notify with SIGEV_THREAD needs a netlink socket, which the sandbox does not serve");
		if (ev.sigev_notify != SIGEV_NONE && ev.sigev_notify != SIGEV_SIGNAL)
			return -EINVAL;
		if (ev.sigev_notify == SIGEV_SIGNAL && (ev.sigev_signo < 0 || ev.sigev_signo > 64))
			return -EINVAL;
	}
	pthread_mutex_lock(&lock);
	sandbox = task->sandbox;
	struct desc *d;
	int copy;
	long r = desc_of(task, (int)call->args[0], &d, &copy);
	if (r == 0) {
		close(copy);
		struct queue *q = d->queue;
		if (registered_process_gone(q))
			set_owner(q, 0);
		if (!registering) {
			if (q->notify_pid == task->tgid)
				set_owner(q, 0);
		} else if (q->notify_pid) {
			r = -EBUSY;
		} else {
			set_owner(q, task->tgid);
			q->notify_kind = ev.sigev_notify;
			q->notify_signo = ev.sigev_signo;
			q->notify_value = ev.sigev_value;
		}
		if (r == 0) {
			now(&q->atime);
			q->ctime = q->atime;
			refresh(q);
		}
	}
	pthread_mutex_unlock(&lock);
	return r;
}


/* --- /dev/mqueue --------------------------------------------------------------- */

static void entry_of(const struct queue *q, struct vfs_mq_entry *e)
{
	snprintf(e->name, sizeof(e->name), "%s", q->name);
	e->id = q->id;
	e->mode = q->mode;
	e->uid = q->uid;
	e->gid = q->gid;
	e->atime = q->atime;
	e->mtime = q->mtime;
	e->ctime = q->ctime;
}

static int fs_find(const char *name, struct vfs_mq_entry *e)
{
	pthread_mutex_lock(&lock);
	struct queue *q = find_queue(name);
	if (q)
		entry_of(q, e);
	pthread_mutex_unlock(&lock);
	return q ? 0 : -ENOENT;
}

static int fs_list(struct vfs_mq_entry **all)
{
	pthread_mutex_lock(&lock);
	int n = 0;
	for (struct queue *q = queues; q; q = q->next)
		n += q->linked;
	*all = calloc(n ? (size_t)n : 1, sizeof(**all));
	if (!*all) {
		pthread_mutex_unlock(&lock);
		return -ENOMEM;
	}
	int i = 0;
	for (struct queue *q = queues; q; q = q->next)
		if (q->linked)
			entry_of(q, &(*all)[i++]);
	pthread_mutex_unlock(&lock);
	return n;
}

static int fs_status(const char *name, char *buf, size_t size)
{
	pthread_mutex_lock(&lock);
	struct queue *q = find_queue(name);
	int n = q ? status_line(q, buf, size) : -ENOENT;
	pthread_mutex_unlock(&lock);
	return n;
}

/* After the VFS's checks (the sticky folder's owner rule). */
static int fs_unlink(const char *name)
{
	pthread_mutex_lock(&lock);
	struct queue *q = find_queue(name);
	if (q) {
		q->linked = false;
		if (q->users == 0)
			destroy_queue(q);
	}
	pthread_mutex_unlock(&lock);
	return q ? 0 : -ENOENT;
}

static int fs_chmod(const char *name, mode_t mode)
{
	pthread_mutex_lock(&lock);
	struct queue *q = find_queue(name);
	if (q) {
		q->mode = mode;
		now(&q->ctime);
	}
	pthread_mutex_unlock(&lock);
	return q ? 0 : -ENOENT;
}

static const struct vfs_mq_provider provider = {
	.find = fs_find,
	.list = fs_list,
	.status = fs_status,
	.unlink = fs_unlink,
	.chmod = fs_chmod,
};

const struct vfs_mq_provider *mq_provider(void) { return &provider; }
