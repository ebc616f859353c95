#define _GNU_SOURCE
/* ioctl: deny by default. Every command the workload may use has a row
 * below naming the kinds of fd it is allowed on and how its argument is
 * passed; the sentry performs it on its own copy of the fd (taken with
 * pidfd_getfd, the same open file), so the kernel never reads the fd
 * number or the argument again after the check. */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <asm/termbits.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <linux/random.h>
#include <linux/sockios.h>


#include "ask.h"
#include "deferred.h"
#include "devpts.h"
#include "dispatch.h"
#include "fdmap.h"
#include "fdinstall.h"
#include "fsctx.h"
#include "pids.h"
#include "sandbox.h"

/* The kinds of fd a row may allow. */
enum {
	K_STORE = 1 << 0,    /* a file or folder of the sentry's stores */
	K_HOSTFILE = 1 << 1, /* a host file or folder handed over (stdio, fd 3) */
	K_PIPE = 1 << 2,
	K_UNIX = 1 << 3,     /* an AF_UNIX socket */
	K_INET = 1 << 4,     /* an inet socket (--allow-net) */
	K_EVENT = 1 << 5,    /* eventfd, epoll, timerfd, signalfd, pidfd */
	K_DEVICE = 1 << 6,   /* null, zero, full, random, urandom */
	K_TERMINAL = 1 << 7, /* the caller's terminal, handed over as stdio */
	K_OTHER = 1 << 8,    /* anything else: another terminal, a stranger */
	K_PTY = 1 << 9,      /* a master or slave of the sandbox's own devpts */
	K_IMAGE = 1 << 10,   /* an image file opened in place: the host's file,
				read-only through the host view (hostview.h) */
};
/* The file rows are queries run on the sentry's copy; on an image file
 * they read the host inode's size and flags, which change nothing, and
 * every command that changes a file has no row or a REFUSE row. */
#define K_FILES (K_STORE | K_HOSTFILE | K_IMAGE)
#define K_SOCKETS (K_UNIX | K_INET)
#define K_TTYS (K_TERMINAL | K_PTY)

enum ioctl_arg {
	ARG_NONE,  /* no argument */
	ARG_VALUE, /* an integer passed by value */
	ARG_IN,    /* size bytes read by the command */
	ARG_OUT,   /* size bytes written by the command */
};

enum ioctl_how {
	DO_PERFORM,  /* the sentry runs it on its copy */
	DO_CONTINUE, /* the kernel runs it as the caller (reason in the row) */
	DO_SETOWN,   /* the SIGIO owner: checked as fcntl(F_SETOWN), performed */
	DO_SETPGRP,  /* the terminal's foreground group: checked, performed */
	DO_REFUSE,   /* refused with the row's errno */
	DO_PEER,     /* a pty master's slave: opened by name and installed */
};

/* Terminal rows: the kernel's job control applies to the caller. */
enum {
	TTY_SESSION = 1, /* only on the caller's controlling terminal, else ENOTTY */
	TTY_CHANGE = 2,  /* from a background group: SIGTTOU, as tty_check_change */
};

struct ioctl_row {
	uint32_t cmd;
	const char *name;
	unsigned kinds;
	enum ioctl_arg arg;
	unsigned short size;
	enum ioctl_how how;
	unsigned char tty;
	int error; /* DO_REFUSE */
	const char *why;
};

#define KTERMIOS sizeof(struct termios) /* the kernel's, not glibc's */
#define KTERMIOS2 sizeof(struct termios2)
#define KTERMIO sizeof(struct termio)

#define PERFORM(c, k, a, s, t, w) { c, #c, k, a, s, DO_PERFORM, t, 0, w }
#define REFUSE(c, e, w) { c, #c, 0, ARG_NONE, 0, DO_REFUSE, 0, e, w }

static const struct ioctl_row rows[] = {
	/* Any fd: flags of the fd table entry or the open file, which fcntl
	 * sets unchecked too. FIOCLEX/FIONCLEX act on the caller's fd table,
	 * which the sentry's copy does not share; FIONBIO/FIOASYNC take any
	 * value and mean the same on every kind, so nothing checked can
	 * change between the check and the kernel's run. */
	{ FIOCLEX, "FIOCLEX", ~0u, ARG_NONE, 0, DO_CONTINUE, 0, 0, "close-on-exec of the caller's own fd" },
	{ FIONCLEX, "FIONCLEX", ~0u, ARG_NONE, 0, DO_CONTINUE, 0, 0, "close-on-exec of the caller's own fd" },
	{ FIONBIO, "FIONBIO", ~0u, ARG_NONE, 0, DO_CONTINUE, 0, 0, "O_NONBLOCK, as fcntl(F_SETFL)" },
	{ FIOASYNC, "FIOASYNC", ~0u, ARG_NONE, 0, DO_CONTINUE, 0, 0, "O_ASYNC, as fcntl(F_SETFL); the owner is checked" },
	/* The caller leaves its own controlling terminal; the argument is
	 * unused, and on any other kind of fd the kernel answers ENOTTY. A
	 * sandbox process is never the session's leader, so the terminal
	 * itself is untouched. */
	{ TIOCNOTTY, "TIOCNOTTY", ~0u, ARG_NONE, 0, DO_CONTINUE, 0, 0, "detaches only the caller from its terminal" },

	/* Bytes waiting: pipes, sockets, the terminal, files. */
	PERFORM(FIONREAD, K_PIPE | K_SOCKETS | K_TTYS | K_FILES, ARG_OUT, sizeof(int), 0, "bytes to read"),
	PERFORM(TIOCOUTQ, K_SOCKETS | K_TTYS, ARG_OUT, sizeof(int), 0, "bytes not yet sent"),

	/* Files and folders: queries only. */
	PERFORM(FIGETBSZ, K_FILES, ARG_OUT, sizeof(int), 0, "block size"),
	PERFORM(FIOQSIZE, K_FILES, ARG_OUT, sizeof(loff_t), 0, "size"),
	PERFORM(FS_IOC_GETFLAGS, K_FILES, ARG_OUT, sizeof(int), 0, "inode flags (lsattr)"),
	PERFORM(FS_IOC_FSGETXATTR, K_FILES, ARG_OUT, sizeof(struct fsxattr), 0, "extended inode flags"),
	REFUSE(FS_IOC_SETFLAGS, EPERM, "inode flags stay as they are: a handed-over file is the host's"),
	REFUSE(FS_IOC_FSSETXATTR, EPERM, "inode flags stay as they are: a handed-over file is the host's"),
	REFUSE(FS_IOC_FIEMAP, EPERM, "the physical layout of files is the host's"),

	/* Sockets. The owner gets SIGIO (or F_SETSIG's signal): only a
	 * process or group of the sandbox. */
	PERFORM(SIOCATMARK, K_SOCKETS, ARG_OUT, sizeof(int), 0, "at the out-of-band mark"),
	PERFORM(SIOCOUTQNSD, K_INET, ARG_OUT, sizeof(int), 0, "bytes not yet sent"),
	PERFORM(FIOGETOWN, K_SOCKETS, ARG_OUT, sizeof(int), 0, "the SIGIO owner"),
	PERFORM(SIOCGPGRP, K_SOCKETS, ARG_OUT, sizeof(int), 0, "the SIGIO owner"),
	{ FIOSETOWN, "FIOSETOWN", K_SOCKETS, ARG_IN, sizeof(int), DO_SETOWN, 0, 0, "the SIGIO owner" },
	{ SIOCSPGRP, "SIOCSPGRP", K_SOCKETS, ARG_IN, sizeof(int), DO_SETOWN, 0, 0, "the SIGIO owner" },
	REFUSE(SIOCGIFCONF, EACCES, "the host's network interfaces are not shown"),
	REFUSE(SIOCGIFNAME, EACCES, "the host's network interfaces are not shown"),
	REFUSE(SIOCGIFHWADDR, EACCES, "the host's network interfaces are not shown"),
	REFUSE(SIOCGIFADDR, EACCES, "the host's network interfaces are not shown"),
	REFUSE(SIOCGIFINDEX, EACCES, "the host's network interfaces are not shown"),
	REFUSE(SIOCGIFFLAGS, EACCES, "the host's network interfaces are not shown"),

	/* The stateless devices. */
	PERFORM(RNDGETENTCNT, K_DEVICE, ARG_OUT, sizeof(int), 0, "entropy estimate"),

	/* The caller's terminal and the sandbox's ptys: what a foreground job
	 * needs. */
	PERFORM(TCGETS, K_TTYS, ARG_OUT, KTERMIOS, 0, "terminal modes"),
	PERFORM(TCSETS, K_TTYS, ARG_IN, KTERMIOS, TTY_CHANGE, "terminal modes"),
	PERFORM(TCSETSW, K_TTYS, ARG_IN, KTERMIOS, TTY_CHANGE, "terminal modes"),
	PERFORM(TCSETSF, K_TTYS, ARG_IN, KTERMIOS, TTY_CHANGE, "terminal modes"),
	PERFORM(TCGETS2, K_TTYS, ARG_OUT, KTERMIOS2, 0, "terminal modes"),
	PERFORM(TCSETS2, K_TTYS, ARG_IN, KTERMIOS2, TTY_CHANGE, "terminal modes"),
	PERFORM(TCSETSW2, K_TTYS, ARG_IN, KTERMIOS2, TTY_CHANGE, "terminal modes"),
	PERFORM(TCSETSF2, K_TTYS, ARG_IN, KTERMIOS2, TTY_CHANGE, "terminal modes"),
	PERFORM(TCGETA, K_TTYS, ARG_OUT, KTERMIO, 0, "terminal modes"),
	PERFORM(TCSETA, K_TTYS, ARG_IN, KTERMIO, TTY_CHANGE, "terminal modes"),
	PERFORM(TCSETAW, K_TTYS, ARG_IN, KTERMIO, TTY_CHANGE, "terminal modes"),
	PERFORM(TCSETAF, K_TTYS, ARG_IN, KTERMIO, TTY_CHANGE, "terminal modes"),
	PERFORM(TIOCGWINSZ, K_TTYS, ARG_OUT, sizeof(struct winsize), 0, "window size"),
	PERFORM(TIOCSWINSZ, K_TTYS, ARG_IN, sizeof(struct winsize), 0, "window size"),
	PERFORM(TCFLSH, K_TTYS, ARG_VALUE, 0, TTY_CHANGE, "discard queued input or output"),
	PERFORM(TCXONC, K_TTYS, ARG_VALUE, 0, TTY_CHANGE, "suspend or resume output"),
	PERFORM(TCSBRK, K_TTYS, ARG_VALUE, 0, TTY_CHANGE, "drain output (tcdrain)"),
	PERFORM(TIOCGPGRP, K_TTYS, ARG_OUT, sizeof(pid_t), TTY_SESSION, "foreground group"),
	PERFORM(TIOCGSID, K_TTYS, ARG_OUT, sizeof(pid_t), TTY_SESSION, "session"),
	PERFORM(TIOCGETD, K_TTYS, ARG_OUT, sizeof(int), 0, "line discipline"),
	PERFORM(TIOCGEXCL, K_TTYS, ARG_OUT, sizeof(int), 0, "exclusive mode"),
	/* libuv tells a pty's slave from its master by this failing */
	PERFORM(TIOCGPTN, K_TTYS, ARG_OUT, sizeof(unsigned), 0, "pty number (a master's)"),
	/* tcsetpgrp: TIOCSPGRP is allowed only on the caller's controlling
	 * terminal, and the kernel checks its caller's session. The sentry
	 * shares the session of its workload (a workload that called setsid
	 * has none of this terminal: ENOTTY, as the kernel would answer), so
	 * it performs the call itself once the group is one of the sandbox's,
	 * with the caller's job control applied first (TTY_CHANGE). */
	{ TIOCSPGRP, "TIOCSPGRP", K_TTYS, ARG_IN, sizeof(pid_t), DO_SETPGRP, TTY_SESSION | TTY_CHANGE, 0,
	  "foreground group" },
	/* Taking the terminal as controlling terminal: it belongs to the
	 * caller's session, and stealing it needs CAP_SYS_ADMIN, which the
	 * workload lacks (EPERM natively too). The sentry cannot make it the
	 * caller's: it would have to be the caller. */
	REFUSE(TIOCSCTTY, EPERM, "the terminal belongs to the caller's session"),
	/* The sandbox's ptys only: locking, packet mode, a signal to the
	 * slave's foreground group (a group of the sandbox: the pty's
	 * session is one of its own). */
	PERFORM(TIOCSPTLCK, K_PTY, ARG_IN, sizeof(int), 0, "lock or unlock the slave (unlockpt)"),
	PERFORM(TIOCGPTLCK, K_PTY, ARG_OUT, sizeof(int), 0, "whether the slave is locked"),
	PERFORM(TIOCPKT, K_PTY, ARG_IN, sizeof(int), 0, "packet mode"),
	PERFORM(TIOCGPKT, K_PTY, ARG_OUT, sizeof(int), 0, "packet mode"),
	PERFORM(TIOCSIG, K_PTY, ARG_VALUE, 0, 0, "a signal to the slave's foreground group"),
	PERFORM(TIOCGDEV, K_PTY, ARG_OUT, sizeof(unsigned), 0, "the device number"),
	{ TIOCGPTPEER, "TIOCGPTPEER", K_PTY, ARG_VALUE, 0, DO_PEER, 0, 0, "the slave of a master (openpty)" },
	REFUSE(TIOCSTI, EPERM, "injecting terminal input is not allowed"),
	REFUSE(TIOCLINUX, EPERM, "injecting terminal input is not allowed"),
	REFUSE(TIOCCONS, EPERM, "the terminal is shared with the person's other programs"),
	REFUSE(TIOCEXCL, EPERM, "the terminal is shared with the person's other programs"),
	REFUSE(TIOCNXCL, EPERM, "the terminal is shared with the person's other programs"),
	REFUSE(TIOCSETD, EPERM, "the terminal is shared with the person's other programs"),
	REFUSE(TIOCVHANGUP, EPERM, "the terminal is shared with the person's other programs"),
	REFUSE(TIOCSBRK, EPERM, "the terminal is shared with the person's other programs"),
	REFUSE(TIOCCBRK, EPERM, "the terminal is shared with the person's other programs"),
};

/* Routes, interfaces and device-private commands of sockets
 * (SIOCADDRT..SIOCDEVPRIVATE+15): the host's network configuration. */
static bool network_config(uint32_t cmd) { return cmd >= SIOCADDRT && cmd <= SIOCDEVPRIVATE + 15; }

static const struct ioctl_row *find_row(uint32_t cmd)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (rows[i].cmd == cmd)
			return &rows[i];
	return NULL;
}

/* The terminals the caller handed over as stdin, stdout or stderr, by the
 * device of the tty behind them (TIOCGDEV: an open of /dev/tty names the
 * real one). */
static bool caller_terminal(unsigned dev)
{
	static unsigned stdio_dev[3];
	static bool known;
	if (!known) {
		for (int fd = 0; fd < 3; fd++)
			if (ioctl(fd, TIOCGDEV, &stdio_dev[fd]) < 0)
				stdio_dev[fd] = 0;
		known = true;
	}
	for (int fd = 0; fd < 3; fd++)
		if (stdio_dev[fd] && stdio_dev[fd] == dev)
			return true;
	return false;
}

static bool stateless_device(dev_t rdev)
{
	return major(rdev) == 1 && (minor(rdev) == 3 || minor(rdev) == 5 || minor(rdev) == 7 || minor(rdev) == 8 ||
				    minor(rdev) == 9);
}

static unsigned fd_kind(int lookup, int copy)
{
	struct stat st;
	if (fstat(copy, &st) < 0)
		return K_OTHER;
	unsigned dev;
	switch (st.st_mode & S_IFMT) {
	case S_IFREG:
	case S_IFDIR:
		if (lookup != FD_VFS)
			return K_HOSTFILE;
		return fdmap_is_host_image(copy) ? K_IMAGE : K_STORE;
	case S_IFIFO:
		return K_PIPE;
	case S_IFSOCK: {
		int domain = 0;
		socklen_t len = sizeof(domain);
		if (getsockopt(copy, SOL_SOCKET, SO_DOMAIN, &domain, &len) < 0)
			return K_OTHER;
		return domain == AF_UNIX ? K_UNIX : domain == AF_INET || domain == AF_INET6 ? K_INET : K_OTHER;
	}
	case S_IFCHR:
		if (devpts_owns(st.st_dev))
			return K_PTY;
		if (ioctl(copy, TIOCGDEV, &dev) == 0)
			return caller_terminal(dev) ? K_TERMINAL : K_OTHER;
		return stateless_device(st.st_rdev) ? K_DEVICE : K_OTHER;
	case 0:
		return K_EVENT; /* anonymous inodes have no file type */
	default:
		return K_OTHER;
	}
}

static long refuse(struct task *task, struct syscall_call *call, uint32_t cmd, const struct ioctl_row *row,
		   int error, const char *why)
{
	char line[256];
	if (row)
		snprintf(line, sizeof(line), "ioctl %s (%#x): %s", row->name, cmd, why);
	else
		snprintf(line, sizeof(line), "ioctl %#x: %s", cmd, why);
	report_denial(task, call, error, line);
	return -error;
}

/* A signal mask line of /proc/<tid>/status ("SigBlk:", "SigIgn:"). */
static bool status_mask_has(pid_t tid, const char *field, int sig)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	bool has = false;
	size_t n = strlen(field);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, n)) {
			unsigned long long mask = strtoull(line + n, NULL, 16);
			has = mask >> (sig - 1) & 1;
			break;
		}
	fclose(f);
	return has;
}

/* Job control as the kernel applies it to its caller (tty_check_change):
 * a process outside the foreground group that changes its controlling
 * terminal gets SIGTTOU, unless it ignores or blocks it. 0 to go on. The
 * sentry performs the call itself, with SIGTTOU blocked, so this is the
 * only place the caller's group is considered. A group whose parents all
 * left the session (orphaned: EIO natively) is not told apart. */
static long job_control(struct task *task, int copy)
{
	pid_t foreground = 0;
	if (ioctl(copy, TIOCGPGRP, &foreground) < 0)
		return 0;
	pid_t group = getpgid(task->tgid);
	if (foreground <= 0 || group <= 0 || group == foreground)
		return 0;
	if (status_mask_has(task->tid, "SigIgn:", SIGTTOU) || status_mask_has(task->tid, "SigBlk:", SIGTTOU))
		return 0;
	if (!pgrp_reachable(task, group))
		return -EIO;
	kill(-group, SIGTTOU);
	return -SENTRY_ERESTARTSYS;
}

/* Is the terminal the caller's controlling terminal: is the caller in the
 * session the terminal belongs to? The sentry can ask only about its own
 * controlling terminal, which is the one its workload shares. */
static bool controls(struct task *task, int copy)
{
	pid_t sid = 0;
	return ioctl(copy, TIOCGSID, &sid) == 0 && sid > 0 && getsid(task->tgid) == sid;
}

/* Commands that first wait until the terminal has sent its output: on a
 * terminal stopped with Ctrl-S (or a slow serial line) that is until
 * Ctrl-Q, so they run on a worker and the loop goes on serving. */
static bool drains(uint32_t cmd)
{
	return cmd == TCSETSW || cmd == TCSETSF || cmd == TCSBRK || cmd == TCSETSW2 || cmd == TCSETSF2 ||
	       cmd == TCSETAW || cmd == TCSETAF;
}

struct drain_work {
	int copy;
	uint32_t cmd;
	bool by_value;
	unsigned long value;
	unsigned char buf[64];
	struct deferred_caller caller;
};

/* Waits for the output to be sent (what the kernel's drain waits for),
 * watching for the caller being interrupted: Linux changes no mode then,
 * so neither does the worker. Then the command, which finds little or
 * nothing left to wait for. Signals are blocked on workers (SIGTTOU
 * too: job control was applied in the loop). */
static long drain_then_perform(void *arg)
{
	struct drain_work *w = arg;
	long r = 0;
	unsigned pause_us = 1000;
	int queued = 0;
	while (ioctl(w->copy, TIOCOUTQ, &queued) == 0 && queued > 0) {
		if (deferred_caller_gone(&w->caller)) {
			r = -EINTR;
			break;
		}
		deferred_backoff(&pause_us);
	}
	if (r == 0 && !deferred_caller_gone(&w->caller))
		r = ioctl(w->copy, w->cmd, w->by_value ? w->value : (unsigned long)w->buf) < 0 ? -errno : 0;
	else if (r == 0)
		r = -EINTR;
	close(w->copy);
	free(w);
	return r;
}

static long drain_on_worker(struct task *task, struct syscall_call *call, const struct ioctl_row *row, int copy,
			    const unsigned char *buf)
{
	struct drain_work *w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	*w = (struct drain_work){ .copy = dup(copy), .cmd = row->cmd, .by_value = row->arg == ARG_VALUE,
				  .value = (unsigned long)call->args[2], .caller = deferred_caller_of(task) };
	memcpy(w->buf, buf, sizeof(w->buf));
	long r = w->copy < 0 ? -errno : deferred_start(task, call, drain_then_perform, w);
	if (r < 0) {
		if (w->copy >= 0)
			close(w->copy);
		free(w);
	}
	return r;
}

/* The slave of a master, opened as the caller would open /dev/pts/N
 * (glibc's openpty falls back to that), so the sentry knows the new fd as
 * that file and keeps no copy of it. */
static long open_peer(struct task *task, int master, int flags)
{
	unsigned n;
	if (ioctl(master, TIOCGPTN, &n) < 0)
		return -EIO; /* a slave, as the kernel answers */
	char path[32];
	snprintf(path, sizeof(path), "/dev/pts/%u", n);
	struct vfs_ctx ctx;
	task_vfs_ctx(task, &ctx);
	int open_flags = (flags & (O_ACCMODE | O_NONBLOCK | O_CLOEXEC)) | O_NOCTTY;
	struct vfs_file *f;
	long r = vfs_openat(&ctx, NULL, path, open_flags, 0, &f);
	return r < 0 ? r : install_vfs_file(task, f, open_flags);
}

static long perform(struct task *task, struct syscall_call *call, const struct ioctl_row *row, unsigned kind,
		    int copy)
{
	uint32_t cmd = (uint32_t)call->args[1];
	uint64_t addr = call->args[2];
	unsigned char buf[64] = { 0 };
	if (row->how == DO_PEER)
		return open_peer(task, copy, (int)addr);
	if (row->arg == ARG_IN && task_read_mem(task, addr, buf, row->size) < 0)
		return -EFAULT;
	if (row->how == DO_SETOWN) {
		int owner;
		memcpy(&owner, buf, sizeof(owner));
		bool reachable = owner < 0 ? pgrp_reachable(task, -owner) : pid_reachable(task, owner);
		if (!reachable)
			return refuse(task, call, cmd, row, ESRCH, "names a process outside the sandbox");
	}
	if (row->how == DO_SETPGRP) {
		pid_t group;
		memcpy(&group, buf, sizeof(group));
		if (group < 0)
			return -EINVAL;
		if (group > 0 && !pgrp_reachable(task, group))
			return refuse(task, call, cmd, row, ESRCH, "names a process group outside the sandbox");
	}
	if (kind == K_TERMINAL && row->tty) {
		bool controlling = controls(task, copy);
		if ((row->tty & TTY_SESSION) && !controlling)
			return -ENOTTY;
		long r = (row->tty & TTY_CHANGE) && controlling ? job_control(task, copy) : 0;
		if (r < 0)
			return r;
	}
	if ((kind & K_TTYS) && drains(cmd))
		return drain_on_worker(task, call, row, copy, buf);
	/* The kernel applies job control to the sentry too: its group is not
	 * the foreground one, and it must never stop for its workload. */
	sigset_t ttou, old;
	sigemptyset(&ttou);
	sigaddset(&ttou, SIGTTOU);
	sigprocmask(SIG_BLOCK, &ttou, &old);
	int r = row->arg == ARG_NONE ? ioctl(copy, cmd, 0)
		: row->arg == ARG_VALUE ? ioctl(copy, cmd, (unsigned long)addr)
					: ioctl(copy, cmd, buf);
	int e = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (r < 0)
		return -e;
	if (row->arg == ARG_OUT && task_write_mem(task, addr, buf, row->size) < 0)
		return -EFAULT;
	return r;
}

/* While --ask has a question up on the caller's terminal, the foreground
 * group is sentry's: a workload ignoring SIGTTOU must not take it back
 * (tcsetpgrp) and read the answer. */
static long perform_unless_asking(struct task *task, struct syscall_call *call, const struct ioctl_row *row, int copy)
{
	uint32_t cmd = (uint32_t)call->args[1];
	if (!ask_terminal_trylock())
		return refuse(task, call, cmd, row, EIO, "sentry is asking a question on this terminal");
	long r = perform(task, call, row, K_TERMINAL, copy);
	ask_terminal_unlock();
	return r;
}

/* Whether the caller is in a session the sandbox made (it called setsid):
 * every group it can name is then of the sandbox, and the only terminal
 * it can control is one of the sandbox's ptys, since the caller's
 * terminal belongs to the session sentry started in. */
static bool own_session(struct task *task)
{
	pid_t sid = getsid(task->tgid);
	return sid > 0 && sid != getsid(0);
}

/* The kernel answers the session's calls on a pty (TIOCSCTTY, TIOCGPGRP,
 * TIOCSPGRP, TIOCGSID) only for its caller's own controlling terminal,
 * and the sentry's is never a pty of the sandbox: the caller runs them.
 * Its fd may have become another object by then (a thread's dup2), and
 * the kernel's checks stay enough: taking a terminal another session
 * controls needs CAP_SYS_ADMIN, which no workload process has; a group
 * must be of the caller's session; a terminal that is not the caller's
 * answers ENOTTY. A caller still in the session sentry started in has
 * no pty of the sandbox as controlling terminal: the sentry answers as
 * the kernel would for one, on its copy (a master's group, or ENOTTY). */
static long pty_session_call(struct task *task, struct syscall_call *call, const struct ioctl_row *row, int copy)
{
	if ((uint32_t)call->args[1] == TIOCSCTTY || own_session(task)) {
		call->action = CALL_CONTINUE;
		return 0;
	}
	return perform(task, call, row, K_PTY, copy);
}

long sys_ioctl(struct task *task, struct syscall_call *call)
{
	int fd = (int)call->args[0];
	uint32_t cmd = (uint32_t)call->args[1]; /* the kernel reads an unsigned int */
	const struct ioctl_row *row = find_row(cmd);
	if (fd_is_reserved(task, fd))
		return -EBADF;
	if (row && row->how == DO_REFUSE && cmd != TIOCSCTTY)
		return refuse(task, call, cmd, row, row->error, row->why);
	if (!row && network_config(cmd))
		return refuse(task, call, cmd, NULL, EACCES, "the host's network configuration is not shown");
	if (row && row->how == DO_CONTINUE) {
		call->action = CALL_CONTINUE;
		return 0;
	}
	struct vfs_file *file;
	int copy = -1;
	int lookup = task_fd_lookup(task, fd, &file, &copy);
	if (lookup < 0)
		return lookup;
	if (copy < 0)
		return -EBADF; /* O_PATH: no ioctl, as natively */
	unsigned kind = fd_kind(lookup, copy);
	long r;
	if (!row)
		r = refuse(task, call, cmd, NULL, ENOTTY, "not a command the sandbox knows");
	else if (kind == K_PTY && (cmd == TIOCSCTTY || (row->tty & TTY_SESSION)))
		r = pty_session_call(task, call, row, copy);
	else if (row->how == DO_REFUSE)
		r = refuse(task, call, cmd, row, row->error, row->why);
	else if (!(row->kinds & kind))
		/* A command for another kind of file: the kernel answers ENOTTY
		 * (isatty on a pipe), unless the fd is a kind the sandbox does
		 * not serve at all. */
		r = kind == K_OTHER ? refuse(task, call, cmd, row, ENOTTY, "not on an fd of this kind") : -ENOTTY;
	else if (kind == K_TERMINAL && (row->tty & TTY_CHANGE) && ask_mode() != ASK_OFF)
		r = perform_unless_asking(task, call, row, copy);
	else
		r = perform(task, call, row, kind, copy);
	close(copy);
	return r;
}
