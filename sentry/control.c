/* The control socket (the sentry's side) and the spawner (control.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "container.h"
#include "control.h"
#include "hostfile.h"
#include "reslimits.h"
#include "results.h"
#include "spawn.h"
#include "syscalls/fsctx.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

extern char **environ;

enum client_state {
	CLIENT_NEW,      /* connected, no request yet */
	CLIENT_QUEUED,   /* an exec waiting for the spawner */
	CLIENT_SPAWNING, /* handed to the spawner: its process is being born */
	CLIENT_RUNNING,  /* its process runs */
	CLIENT_STOPPING, /* asked for the end: hears it when the sentry exits */
};

struct client {
	int fd;
	enum client_state state;
	char *request; /* the spawner's message, while queued */
	size_t request_len;
	int stdio[3];
	bool user_given;
	uid_t uid;
	gid_t gid;
	pid_t pid;     /* its process, once born */
	int pidfd;
	bool gone;     /* hung up while its process was being born */
	int early_signal; /* forwarded before its process was born */
	struct client *next;
};

static struct {
	const char *path; /* as given */
	int dir;          /* its folder, reached without following a symlink */
	char *name;
	dev_t dev;        /* the socket bound there, removed at the end if still it */
	ino_t ino;
	int listen_fd;
	int epoll_fd;
	int channel;      /* the sentry's end of the spawner's channel */
	int spawner_end;  /* the other end, until the first process has it */
	pid_t spawner;    /* 0 until born, -1 once gone */
	struct client *clients, *spawning;
	const char *path_env, *home_env;
} ctl = { .dir = -1, .listen_fd = -1, .epoll_fd = -1, .channel = -1, .spawner_end = -1 };

/* epoll tags besides a client's address */
static int listen_tag, channel_tag;

const char *control_set_path(const char *path)
{
	if (!path[0])
		return "--control takes a socket path";
	if (strlen(path) >= sizeof(((struct sockaddr_un *)0)->sun_path) - 24)
		return "--control: the socket path is too long for a unix socket:";
	ctl.path = path;
	return NULL;
}

bool control_wanted(void)
{
	return ctl.path != NULL;
}

/* A socket left by a sentry that died: nobody answers there. */
static bool stale_socket(int dir, const char *name)
{
	struct stat st;
	if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISSOCK(st.st_mode))
		return false;
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	snprintf(addr.sun_path, sizeof(addr.sun_path), "/proc/self/fd/%d/%s", dir, name);
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	bool stale = fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 && errno == ECONNREFUSED;
	if (fd >= 0)
		close(fd);
	return stale;
}

static void watch(int fd, void *tag)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = tag };
	if (epoll_ctl(ctl.epoll_fd, EPOLL_CTL_ADD, fd, &ev) < 0)
		sentry_fatal("epoll_ctl: %s", strerror(errno));
}

/* The socket is made in its folder through an fd of that folder, so no
 * symlink on the path is followed, with mode 0600 from the start. */
int control_listen(struct sandbox *sb)
{
	if (!ctl.path)
		return 0;
	char *absolute = hostfile_absolute(ctl.path);
	char *slash = absolute ? strrchr(absolute, '/') : NULL;
	if (!slash || !slash[1]) {
		sentry_log("--control %s: not a file path", ctl.path);
		return -1;
	}
	ctl.name = strdup(slash + 1);
	*slash = 0;
	ctl.dir = hostfile_dir(absolute[0] ? absolute : "/", false);
	free(absolute);
	if (ctl.dir < 0) {
		sentry_log("--control %s: %s", ctl.path, hostfile_error(ctl.dir));
		return -1;
	}
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	snprintf(addr.sun_path, sizeof(addr.sun_path), "/proc/self/fd/%d/%s", ctl.dir, ctl.name);
	ctl.listen_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (ctl.listen_fd < 0) {
		sentry_log("--control: socket: %s", strerror(errno));
		return -1;
	}
	if (stale_socket(ctl.dir, ctl.name))
		unlinkat(ctl.dir, ctl.name, 0);
	mode_t mask = umask(0177);
	int r = bind(ctl.listen_fd, (struct sockaddr *)&addr, sizeof(addr));
	int err = errno;
	umask(mask);
	if (r < 0) {
		sentry_log("--control %s: %s", ctl.path, err == EADDRINUSE ? "already exists" : strerror(err));
		return -1;
	}
	struct stat st;
	if (fstatat(ctl.dir, ctl.name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		ctl.dev = st.st_dev;
		ctl.ino = st.st_ino;
	}
	int pair[2];
	if (listen(ctl.listen_fd, 64) < 0 || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0 ||
	    (ctl.epoll_fd = epoll_create1(EPOLL_CLOEXEC)) < 0) {
		sentry_log("--control: %s", strerror(errno));
		control_end();
		return -1;
	}
	ctl.channel = pair[0];
	ctl.spawner_end = pair[1];
	fcntl(ctl.channel, F_SETFL, O_NONBLOCK);
	watch(ctl.listen_fd, &listen_tag);
	watch(ctl.channel, &channel_tag);
	atexit(control_end); /* an early return of sandbox_run too */
	sentry_debug(sb, "control socket at %s", ctl.path);
	return 0;
}

int control_spawner_end(void)
{
	return ctl.spawner_end;
}

void control_start(char **envp)
{
	if (ctl.spawner_end >= 0)
		close(ctl.spawner_end);
	ctl.spawner_end = -1;
	for (char **e = envp; e && *e; e++) {
		if (strncmp(*e, "PATH=", 5) == 0)
			ctl.path_env = *e;
		else if (strncmp(*e, "HOME=", 5) == 0)
			ctl.home_env = *e;
	}
}

int control_fd(void)
{
	return ctl.epoll_fd;
}

/* ---- the spawner: sentry code, but inside the filter from its birth ---- */

/* fd numbers below 3 are free in the spawner only when the sentry's were
 * closed: the client's files are moved up before they are put there. */
static int above_stdio(int fd)
{
	return fd >= 3 ? fd : fcntl(fd, F_DUPFD, 3);
}

/* The new process: the client's files as 0, 1, 2, nothing else of the
 * spawner's, a session of its own, the cwd and environment asked for. */
static __attribute__((noreturn)) void exec_request(char *msg, size_t len, int stdio[3], int fd_loader)
{
	for (int i = 0; i < 3; i++)
		stdio[i] = above_stdio(stdio[i]);
	for (int i = 0; i < 3; i++)
		if (stdio[i] < 0 || dup2(stdio[i], i) < 0)
			_exit(EXIT_SENTRY_ERROR);
	/* closed by the exec: closing them here walks every slot up to
	 * fd_loader (about 0.2 ms each run), marking them is a bitmap's work */
	if (syscall(SYS_close_range, 3, (unsigned)fd_loader - 1, CLOSE_RANGE_CLOEXEC) < 0)
		_exit(EXIT_SENTRY_ERROR);
	setsid();
	/* exec --tty: stdio is the pty's slave as the sentry opened it; the
	 * command's is /dev/pts/N opened through the sandbox, as any open of
	 * it inside, so that its name and its fds agree (ttyname) */
	int r;
	for (size_t i = 0; i < len; i += strlen(msg + i) + 1)
		if (msg[i] == 't' && (r = container_take_console(atoi(msg + i + 1))) < 0) {
			dprintf(STDERR_FILENO, "sentry exec: cannot make /dev/pts/%s the command's terminal: %s\n", msg + i + 1,
				strerror(-r));
			_exit(EXIT_SENTRY_ERROR);
		}
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	size_t n = 0;
	for (size_t i = 0; i < len; i += strlen(msg + i) + 1)
		n++;
	char *argv[n + 1], *envp[n + 1], *cwd = NULL;
	size_t argc = 0, envc = 0;
	for (size_t i = 0; i < len; i += strlen(msg + i) + 1) {
		if (msg[i] == 'a')
			argv[argc++] = msg + i + 1;
		else if (msg[i] == 'e')
			envp[envc++] = msg + i + 1;
		else if (msg[i] == 'c' && msg[i + 1])
			cwd = msg + i + 1;
	}
	argv[argc] = NULL;
	envp[envc] = NULL;
	if (!argc)
		_exit(EXIT_SENTRY_ERROR);
	/* limits lowered after the sandbox started, set as the first
	 * process got them at its start (limits_enter_child) */
	for (size_t i = 0; i < len; i += strlen(msg + i) + 1) {
		int resource = msg[i] == 'u' ? RLIMIT_CPU : msg[i] == 'n' ? RLIMIT_NOFILE : -1;
		struct rlimit value = { strtoull(msg + i + 1, NULL, 10), strtoull(msg + i + 1, NULL, 10) };
		if (resource >= 0 && setrlimit(resource, &value) < 0) {
			dprintf(STDERR_FILENO, "sentry exec: cannot set the lowered limits: %s\n", strerror(errno));
			_exit(EXIT_SENTRY_ERROR);
		}
	}
	if (cwd && chdir(cwd) < 0) {
		dprintf(STDERR_FILENO, "sentry exec: --cwd %s: %s\n", cwd, strerror(errno));
		_exit(EXIT_SENTRY_ERROR);
	}
	environ = envp;
	execvp(argv[0], argv);
	command_exec_failed(argv[0], errno);
}

static ssize_t receive_with_fds(int fd, char *buf, size_t size, int *fds, int max, int *nfds)
{
	union {
		char buf[CMSG_SPACE(3 * sizeof(int))];
		struct cmsghdr align;
	} cmsg;
	struct iovec iov = { buf, size };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cmsg.buf, .msg_controllen = sizeof(cmsg.buf) };
	ssize_t n = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	*nfds = 0;
	for (struct cmsghdr *c = n >= 0 ? CMSG_FIRSTHDR(&msg) : NULL; c; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		int got = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		for (int i = 0; i < got; i++) {
			int one;
			memcpy(&one, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (*nfds < max)
				fds[(*nfds)++] = one;
			else
				close(one);
		}
	}
	if (n >= 0 && (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC))) {
		for (int i = 0; i < *nfds; i++)
			close(fds[i]);
		*nfds = 0;
		errno = EMSGSIZE;
		return -1;
	}
	return n;
}

static __attribute__((noreturn)) void spawner_main(int channel, int fd_loader)
{
	/* out of the first process's session and group: Ctrl-C and the job
	 * signals sent to the workload's group never reach it */
	setsid();
	if (syscall(SYS_close_range, 3, (unsigned)channel - 1, 0) < 0 ||
	    syscall(SYS_close_range, (unsigned)channel + 1, (unsigned)fd_loader - 1, 0) < 0)
		_exit(EXIT_SENTRY_ERROR);
	int flags = fcntl(channel, F_GETFL);
	fcntl(channel, F_SETFL, flags & ~O_NONBLOCK);
	static char msg[CONTROL_MAX_MESSAGE];
	for (;;) {
		int stdio[3], nfds;
		ssize_t n = receive_with_fds(channel, msg, sizeof(msg) - 1, stdio, 3, &nfds);
		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			struct pollfd p = { channel, POLLIN, 0 };
			poll(&p, 1, -1);
			continue;
		}
		if (n <= 0)
			_exit(0);
		msg[n] = 0;
		long pid = nfds == 3 ? syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0) : -EINVAL;
		if (pid == 0)
			exec_request(msg, (size_t)n, stdio, fd_loader);
		int err = pid < 0 ? errno : 0;
		for (int i = 0; i < nfds; i++)
			close(stdio[i]);
		if (pid < 0)
			send(channel, &err, sizeof(err), 0);
	}
}

int control_fork_spawner(int channel, int fd_loader)
{
	long pid = syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0)
		spawner_main(channel, fd_loader);
	return pid < 0 ? -errno : 0;
}

/* ---- the sentry's side ---- */

static void send_words(int fd, const char *kind, const char *value, int passed_fd)
{
	char buf[1024];
	int len = snprintf(buf, sizeof(buf), "%s%c%s", kind, 0, value ? value : "");
	if (len >= (int)sizeof(buf))
		len = sizeof(buf) - 1;
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} cmsg;
	memset(&cmsg, 0, sizeof(cmsg));
	struct iovec iov = { buf, (size_t)len + 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	if (passed_fd >= 0) {
		msg.msg_control = cmsg.buf;
		msg.msg_controllen = sizeof(cmsg.buf);
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &passed_fd, sizeof(int));
	}
	/* a client that does not read has its answer dropped, never the
	 * sandbox stalled */
	sendmsg(fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
}

static void drop_client(struct client *c)
{
	for (struct client **p = &ctl.clients; *p; p = &(*p)->next) {
		if (*p == c) {
			*p = c->next;
			break;
		}
	}
	if (ctl.spawning == c)
		ctl.spawning = NULL;
	if (c->fd >= 0)
		close(c->fd);
	if (c->pidfd >= 0)
		close(c->pidfd);
	for (int i = 0; i < 3; i++)
		if (c->stdio[i] >= 0)
			close(c->stdio[i]);
	free(c->request);
	free(c);
}

static void fail(struct client *c, const char *why)
{
	send_words(c->fd, "error", why, -1);
	drop_client(c);
}

static struct client *first_queued(void)
{
	struct client *found = NULL;
	for (struct client *c = ctl.clients; c; c = c->next)
		if (c->state == CLIENT_QUEUED)
			found = c; /* the list is newest first */
	return found;
}

/* One request at a time is with the spawner, so the next process it
 * forks is surely that request's. */
static void pump(void)
{
	struct client *c;
	while (!ctl.spawning && (c = first_queued())) {
		if (ctl.spawner < 0) {
			fail(c, "the sandbox's spawner has ended; no more processes can be started in it");
			continue;
		}
		union {
			char buf[CMSG_SPACE(3 * sizeof(int))];
			struct cmsghdr align;
		} cmsg;
		memset(&cmsg, 0, sizeof(cmsg));
		struct iovec iov = { c->request, c->request_len };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cmsg.buf,
				      .msg_controllen = sizeof(cmsg.buf) };
		struct cmsghdr *h = CMSG_FIRSTHDR(&msg);
		h->cmsg_level = SOL_SOCKET;
		h->cmsg_type = SCM_RIGHTS;
		h->cmsg_len = CMSG_LEN(3 * sizeof(int));
		memcpy(CMSG_DATA(h), c->stdio, 3 * sizeof(int));
		if (sendmsg(ctl.channel, &msg, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
			fail(c, strerror(errno));
			continue;
		}
		for (int i = 0; i < 3; i++) {
			close(c->stdio[i]);
			c->stdio[i] = -1;
		}
		free(c->request);
		c->request = NULL;
		c->state = CLIENT_SPAWNING;
		ctl.spawning = c;
	}
}

/* The primary group of uid in the sandbox's /etc/passwd; 0 when it has
 * no entry there (as docker exec --user does). */
static gid_t primary_group(struct sandbox *sb, uid_t uid)
{
	struct task *spawner = ctl.spawner > 0 ? task_find_any(sb, ctl.spawner) : NULL;
	if (!spawner)
		return 0;
	struct vfs_ctx ctx;
	task_vfs_ctx(spawner, &ctx);
	struct vfs_file *f;
	if (vfs_openat(&ctx, NULL, "/etc/passwd", O_RDONLY, 0, &f) < 0)
		return 0;
	static char text[65536];
	ssize_t n = vfs_file_pread(f, text, sizeof(text) - 1, 0);
	vfs_file_put(f);
	text[n > 0 ? n : 0] = 0;
	for (char *line = text, *end; *line; line = end + (*end != 0)) {
		end = line + strcspn(line, "\n");
		unsigned long u, g;
		if (sscanf(line, "%*[^:]:%*[^:]:%lu:%lu:", &u, &g) == 2 && u == uid)
			return (gid_t)g;
	}
	return 0;
}

static bool add_string(char **buf, size_t *len, char tag, const char *s)
{
	size_t n = strlen(s) + 2;
	if (*len + n > CONTROL_MAX_MESSAGE)
		return false;
	char *more = realloc(*buf, *len + n);
	if (!more)
		return false;
	more[*len] = tag;
	memcpy(more + *len + 1, s, n - 1);
	*buf = more;
	*len += n;
	return true;
}

static bool env_named(const char *entry, const char *name_value)
{
	size_t len = strcspn(name_value, "=");
	return strncmp(entry, name_value, len) == 0 && entry[len] == '=';
}

/* exec --tty: a pty of the sandbox's devpts instance, opened as the
 * sandbox's /dev/ptmx (so a file put there by the workload is never
 * taken for it). Its slave becomes the request's stdin, stdout and
 * stderr; its master goes to the client with the name /dev/pts/N. */
static const char *open_exec_pty(struct sandbox *sb, struct client *c, const char *size, int *number_out)
{
	unsigned rows = 0, cols = 0;
	char tail;
	if (size[0] && (sscanf(size, "%ux%u%c", &rows, &cols, &tail) != 2 || rows > 65535 || cols > 65535))
		return "--console-size takes ROWSxCOLS";
	struct task *spawner = ctl.spawner > 0 ? task_find_any(sb, ctl.spawner) : NULL;
	if (!spawner)
		return "the sandbox's spawner has ended; no more processes can be started in it";
	struct vfs_ctx ctx;
	task_vfs_ctx(spawner, &ctx);
	struct vfs_file *f;
	int master = -1;
	if (vfs_openat(&ctx, NULL, "/dev/ptmx", O_RDWR | O_NOCTTY, 0, &f) == 0) {
		master = vfs_devfs_take_pty_fd(f);
		vfs_file_put(f);
	}
	if (master < 0)
		return "no ptys in this sandbox (its /dev/ptmx is not of its own devpts instance)";
	int unlock = 0, number = -1, slave = -1;
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0 || ioctl(master, TIOCGPTN, &number) < 0 ||
	    (slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
		close(master);
		return "cannot open a pty in the sandbox";
	}
	if (rows || cols)
		ioctl(master, TIOCSWINSZ, &(struct winsize){ .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols });
	for (int i = 0; i < 3; i++) {
		close(c->stdio[i]);
		c->stdio[i] = i == 0 ? slave : fcntl(slave, F_DUPFD_CLOEXEC, 0);
	}
	char name[32];
	snprintf(name, sizeof(name), "/dev/pts/%d", number);
	/* the slave is the command's user's, as runc makes it: a name seen
	 * before keeps the owner of its first look */
	struct vfs_ctx as_root = ctx;
	as_root.cred = (struct vfs_cred){ 0, 0, 0, NULL, true, ~0ull };
	vfs_fchownat(&as_root, NULL, name, c->user_given ? c->uid : ctx.cred.uid, c->user_given ? c->gid : ctx.cred.gid, 0);
	send_words(c->fd, "console", name, master);
	*number_out = number;
	close(master);
	return c->stdio[1] < 0 || c->stdio[2] < 0 ? "cannot open a pty in the sandbox" : NULL;
}

/* "exec" then arg=, env=, cwd=, user=, tty= words: the spawner's message. */
static void request_exec(struct sandbox *sb, struct client *c, char *words, size_t len, int *fds, int nfds)
{
	if (nfds != 3) {
		for (int i = 0; i < nfds; i++)
			close(fds[i]);
		fail(c, "an exec request carries the client's stdin, stdout and stderr");
		return;
	}
	memcpy(c->stdio, fds, sizeof(c->stdio));
	const char *cwd = "", *defaults[2] = { ctl.path_env, ctl.home_env };
	bool ok = true, any_arg = false;
	char *msg = NULL;
	size_t msg_len = 0;
	for (size_t i = 0; i < len; i += strlen(words + i) + 1) {
		char *w = words + i;
		if (strncmp(w, "cwd=", 4) == 0)
			cwd = w + 4;
		if (strncmp(w, "env=", 4) == 0)
			for (int d = 0; d < 2; d++)
				if (defaults[d] && env_named(defaults[d], w + 4))
					defaults[d] = NULL; /* --env sets it */
		if (strncmp(w, "user=", 5) == 0) {
			unsigned long uid, gid;
			int got = sscanf(w + 5, "%lu:%lu", &uid, &gid);
			if (got < 1 || uid > 0xfffffffe || (got == 2 && gid > 0xfffffffe)) {
				fail(c, "--user takes UID[:GID], numbers");
				return;
			}
			c->user_given = true;
			c->uid = (uid_t)uid;
			c->gid = got == 2 ? (gid_t)gid : primary_group(sb, (uid_t)uid);
		}
	}
	ok = add_string(&msg, &msg_len, 'c', cwd);
	for (size_t i = 0; ok && i < len; i += strlen(words + i) + 1) {
		if (strncmp(words + i, "tty=", 4) != 0)
			continue;
		int number = -1;
		const char *why = open_exec_pty(sb, c, words + i + 4, &number);
		if (why) {
			free(msg);
			fail(c, why);
			return;
		}
		char text[16];
		snprintf(text, sizeof(text), "%d", number);
		ok = add_string(&msg, &msg_len, 't', text);
	}
	unsigned long long cpu_seconds;
	long open_files;
	limits_exec_rlimits(&cpu_seconds, &open_files);
	char text[32];
	if (ok && cpu_seconds) {
		snprintf(text, sizeof(text), "%llu", cpu_seconds);
		ok = add_string(&msg, &msg_len, 'u', text);
	}
	if (ok && open_files) {
		snprintf(text, sizeof(text), "%ld", open_files);
		ok = add_string(&msg, &msg_len, 'n', text);
	}
	for (int d = 0; d < 2; d++)
		if (ok && defaults[d])
			ok = add_string(&msg, &msg_len, 'e', defaults[d]);
	for (size_t i = 0; ok && i < len; i += strlen(words + i) + 1) {
		if (strncmp(words + i, "env=", 4) == 0)
			ok = add_string(&msg, &msg_len, 'e', words + i + 4);
		if (strncmp(words + i, "arg=", 4) == 0) {
			ok = add_string(&msg, &msg_len, 'a', words + i + 4);
			any_arg = true;
		}
	}
	if (!ok || !any_arg) {
		free(msg);
		fail(c, ok ? "no command given" : "the command line and environment are too long");
		return;
	}
	c->request = msg;
	c->request_len = msg_len;
	c->state = CLIENT_QUEUED;
	pump();
}

static void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(out, "\\%c", ch);
		else if (ch < 0x20 || ch == 0x7f)
			fprintf(out, "\\u%04x", ch);
		else
			fputc(ch, out);
	}
	fputc('"', out);
}

static int print_change(void *arg, const struct vfs_change *change)
{
	static const char *const kinds[] = { "added", "changed", "removed" };
	FILE *out = arg;
	fputs("{\"path\": ", out);
	json_string(out, change->path);
	fprintf(out, ", \"kind\": \"%s\"}\n", kinds[change->kind]);
	return 0;
}

/* The list goes back in a memfd: the sentry never waits on a client. */
static void request_changes(struct sandbox *sb, struct client *c)
{
	int fd = memfd_create("sentry-changes", MFD_CLOEXEC);
	int copy = fd < 0 ? -1 : dup(fd);
	FILE *out = copy < 0 ? NULL : fdopen(copy, "w");
	if (!out) {
		if (fd >= 0)
			close(fd);
		if (copy >= 0)
			close(copy);
		fail(c, strerror(errno));
		return;
	}
	int r = results_changes(sb->vfs, print_change, out);
	fclose(out);
	if (r < 0)
		fail(c, r == -ENOENT ? "the sandbox has no workspace" : strerror(-r));
	else
		send_words(c->fd, "changes", "", fd);
	close(fd);
	if (r >= 0)
		drop_client(c);
}

/* The file store's byte limit (--memory-limit) lowered to bytes, the
 * workload store's tmpfs with it: NULL, or why not (and nothing set). */
static const char *lower_store(struct vfs *vfs, unsigned long long bytes)
{
	uint64_t before = vfs_max_bytes(vfs);
	if (bytes > before)
		return "store= takes bytes up to the sandbox's --memory-limit";
	if (bytes == before)
		return NULL;
	int r = vfs_datafs_resize(bytes);
	if (r == 0 && (r = vfs_set_max_bytes(vfs, bytes)) < 0)
		vfs_datafs_resize(before);
	if (r == -ENOSPC)
		return "store= is below what the sandbox's files hold already";
	return r < 0 ? "the file store's tmpfs refused the lower size" : NULL;
}

static void restore_store(struct vfs *vfs, unsigned long long bytes)
{
	vfs_datafs_resize(bytes);
	vfs_set_max_bytes(vfs, bytes);
}

/* "limits" then pids=N (a new task limit for the running workload) and
 * any of memory=BYTES, cpu=SECONDS, files=N, store=BYTES, each only lower
 * than the sandbox started with (limits_lower, lower_store): nothing is
 * set unless all are. An unknown word is refused. */
static void request_limits(struct sandbox *sb, struct client *c, const char *words, size_t len)
{
	struct limits_lowered to = { 0 };
	long pids = 0;
	bool pids_given = false;
	unsigned long long store = 0;
	for (size_t i = 0; i < len; i += strlen(words + i) + 1) {
		const char *w = words + i, *value = strchr(w, '=');
		if (!value)
			continue;
		value++;
		char *end;
		errno = 0;
		if (strncmp(w, "pids=", 5) == 0) {
			pids = strtol(value, &end, 10);
			pids_given = true;
			if (errno || end == value || *end) {
				fail(c, "pids= takes a number of tasks (0 or less: no limit)");
				return;
			}
		} else if (strncmp(w, "memory=", 7) == 0) {
			to.memory = strtoull(value, &end, 10);
			if (errno || end == value || *end || !to.memory) {
				fail(c, "memory= takes a number of bytes");
				return;
			}
		} else if (strncmp(w, "cpu=", 4) == 0) {
			to.cpu_time = strtod(value, &end);
			if (errno || end == value || *end || !(to.cpu_time > 0)) {
				fail(c, "cpu= takes a number of seconds");
				return;
			}
		} else if (strncmp(w, "files=", 6) == 0) {
			to.open_files = strtol(value, &end, 10);
			if (errno || end == value || *end || to.open_files < 1) {
				fail(c, "files= takes a number of open files");
				return;
			}
		} else if (strncmp(w, "store=", 6) == 0) {
			store = strtoull(value, &end, 10);
			if (errno || end == value || *end || !store || value[0] == '-') {
				fail(c, "store= takes a number of bytes");
				return;
			}
		} else {
			fail(c, "unknown limit: limits takes pids=, memory=, cpu=, files= and store=");
			return;
		}
	}
	if (pids_given && !limits_counting_tasks()) {
		fail(c, "the sandbox started without --pids-limit, so its clones are not counted: no task limit can be set now");
		return;
	}
	unsigned long long store_before = vfs_max_bytes(sb->vfs);
	const char *why = store ? lower_store(sb->vfs, store) : NULL;
	if (!why && (why = limits_lower(&to)) && store)
		restore_store(sb->vfs, store_before);
	if (why) {
		fail(c, why);
		return;
	}
	if (pids_given)
		limits_set_pids(pids);
	send_words(c->fd, "done", "", -1);
	drop_client(c);
}

static void request_stop(struct sandbox *sb, struct client *c)
{
	/* the first process is not reaped before the loop sees its end */
	if (!sb->init_exited)
		kill(sb->init_pid, SIGKILL);
	epoll_ctl(ctl.epoll_fd, EPOLL_CTL_DEL, c->fd, NULL);
	c->state = CLIENT_STOPPING; /* its socket closes as the sentry exits */
}

static bool forwarded_signal(int sig)
{
	return sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGQUIT || sig == SIGUSR1 || sig == SIGUSR2;
}

static void client_readable(struct sandbox *sb, struct client *c)
{
	static char words[CONTROL_MAX_MESSAGE + 1];
	int fds[3], nfds;
	ssize_t n = receive_with_fds(c->fd, words, sizeof(words) - 1, fds, 3, &nfds);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		/* hung up: its process has nobody to answer to */
		if (c->state == CLIENT_RUNNING)
			syscall(SYS_pidfd_send_signal, c->pidfd, SIGKILL, NULL, 0);
		if (c->state == CLIENT_SPAWNING) {
			c->gone = true;
			epoll_ctl(ctl.epoll_fd, EPOLL_CTL_DEL, c->fd, NULL);
			return;
		}
		drop_client(c);
		return;
	}
	words[n] = 0;
	size_t len = (size_t)n;
	if (strcmp(words, "signal") == 0 && c->state != CLIENT_NEW) {
		int sig = atoi(words + strlen(words) + 1);
		if (forwarded_signal(sig) && c->state == CLIENT_RUNNING)
			syscall(SYS_pidfd_send_signal, c->pidfd, sig, NULL, 0);
		else if (forwarded_signal(sig))
			c->early_signal = sig; /* sent once its process is there */
	} else if (c->state != CLIENT_NEW) {
		/* one request per connection */
	} else if (strcmp(words, "exec") == 0) {
		request_exec(sb, c, words, len, fds, nfds);
		return;
	} else if (strcmp(words, "changes") == 0) {
		request_changes(sb, c);
	} else if (strcmp(words, "stop") == 0) {
		request_stop(sb, c);
	} else if (strcmp(words, "limits") == 0) {
		request_limits(sb, c, words, len);
	} else {
		fail(c, "unknown request");
	}
	for (int i = 0; i < nfds; i++)
		close(fds[i]);
}

static void accept_clients(struct sandbox *sb)
{
	for (;;) {
		int fd = accept4(ctl.listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd < 0)
			return;
		struct ucred peer;
		socklen_t len = sizeof(peer);
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &len) < 0 || peer.uid != geteuid()) {
			sentry_debug(sb, "control socket: refused a connection from uid %d", (int)peer.uid);
			close(fd);
			continue;
		}
		struct client *c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			return;
		}
		*c = (struct client){ .fd = fd, .pidfd = -1, .stdio = { -1, -1, -1 }, .next = ctl.clients };
		ctl.clients = c;
		watch(fd, c);
	}
}

/* The spawner could not fork for the request it holds. */
static void spawner_failed(void)
{
	int err;
	ssize_t n;
	while ((n = recv(ctl.channel, &err, sizeof(err), MSG_DONTWAIT)) == sizeof(err)) {
		if (ctl.spawning) {
			char why[128];
			snprintf(why, sizeof(why), "cannot start a process in the sandbox: %s", strerror(err));
			fail(ctl.spawning, why);
		}
	}
	if (n == 0) /* the spawner is gone: its end stays readable */
		epoll_ctl(ctl.epoll_fd, EPOLL_CTL_DEL, ctl.channel, NULL);
	pump();
}

void control_serve(struct sandbox *sb)
{
	/* one event at a time: handling one may free the client another
	 * would name; the loop comes back while more are ready */
	struct epoll_event ev;
	if (epoll_wait(ctl.epoll_fd, &ev, 1, 0) != 1)
		return;
	if (ev.data.ptr == &listen_tag)
		accept_clients(sb);
	else if (ev.data.ptr == &channel_tag)
		spawner_failed();
	else
		client_readable(sb, ev.data.ptr);
}

static struct client *client_of(pid_t pid)
{
	for (struct client *c = ctl.clients; c; c = c->next)
		if (c->pid == pid && (c->state == CLIENT_RUNNING))
			return c;
	return NULL;
}

void control_task_born(struct sandbox *sb, struct task *parent, struct task *child)
{
	if (!ctl.path || child->tid != child->tgid)
		return;
	/* the first process forks the spawner before it execs anything */
	if (ctl.spawner == 0 && parent->tid == sb->init_pid) {
		ctl.spawner = child->tid;
		child->hidden = true;
		child->ppid = 0;
		return;
	}
	if (ctl.spawner <= 0 || parent->tid != ctl.spawner)
		return;
	child->hidden = true; /* until its exec: it holds the spawner's fds */
	child->ppid = 0;
	struct client *c = ctl.spawning;
	ctl.spawning = NULL;
	if (!c || c->gone) {
		/* not asked for by the sentry, or nobody waits for it; the
		 * child is ours and not reaped, so its pid is surely it */
		kill(child->tid, SIGKILL);
		if (c)
			drop_client(c);
		pump();
		return;
	}
	if (c->user_given)
		task_cred_init(&child->cred, c->uid, c->gid);
	c->pid = child->tid;
	c->pidfd = (int)syscall(SYS_pidfd_open, child->tid, 0);
	c->state = CLIENT_RUNNING;
	if (c->early_signal)
		syscall(SYS_pidfd_send_signal, c->pidfd, c->early_signal, NULL, 0);
	pump();
}

void control_task_execed(struct sandbox *sb, struct task *task)
{
	(void)sb;
	struct client *c = task->hidden ? client_of(task->tgid) : NULL;
	if (!c)
		return;
	task->hidden = false;
	char pid[16];
	snprintf(pid, sizeof(pid), "%d", task->tgid);
	send_words(c->fd, "pid", pid, -1);
}

void control_task_exited(struct sandbox *sb, struct task *task, int status)
{
	(void)sb;
	if (!ctl.path || task->tid != task->tgid)
		return;
	if (task->tid == ctl.spawner) {
		ctl.spawner = -1;
		if (ctl.spawning)
			fail(ctl.spawning, "the sandbox's spawner has ended");
		pump();
		return;
	}
	struct client *c = client_of(task->tid);
	if (!c)
		return;
	char text[16];
	snprintf(text, sizeof(text), "%d", status);
	send_words(c->fd, "exit", text, -1);
	drop_client(c);
}

void control_end(void)
{
	if (!ctl.path)
		return;
	struct client *c = ctl.clients;
	while (c) {
		struct client *next = c->next;
		if (c->state == CLIENT_RUNNING) {
			char text[16];
			snprintf(text, sizeof(text), "%d", SIGKILL); /* a wait status: killed */
			send_words(c->fd, "exit", text, -1);
		} else if (c->state != CLIENT_STOPPING) {
			send_words(c->fd, "error", "the sandbox has ended", -1);
		}
		if (c->state != CLIENT_STOPPING)
			drop_client(c);
		c = next;
	}
	if (ctl.listen_fd >= 0)
		close(ctl.listen_fd);
	ctl.listen_fd = -1;
	struct stat st;
	if (ctl.dir >= 0 && fstatat(ctl.dir, ctl.name, &st, AT_SYMLINK_NOFOLLOW) == 0 && st.st_dev == ctl.dev &&
	    st.st_ino == ctl.ino)
		unlinkat(ctl.dir, ctl.name, 0);
	if (ctl.dir >= 0)
		close(ctl.dir);
	ctl.dir = -1;
	if (ctl.channel >= 0)
		close(ctl.channel);
	ctl.channel = -1;
	if (ctl.epoll_fd >= 0)
		close(ctl.epoll_fd);
	ctl.epoll_fd = -1;
}
