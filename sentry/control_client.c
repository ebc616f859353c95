/* sentry exec: starts a command in a running sandbox through its control
 * socket (control.h), passes it this process's stdin, stdout and stderr,
 * forwards the signals a supervisor sends, and exits as it exits. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "container.h"
#include "control.h"
#include "spawn.h"

static const char exec_usage[] =
	"usage: sentry exec --control=PATH [options] -- command [args...]\n"
	"       sentry exec --control=PATH --changes | --stop | --pids-limit=N\n"
	"Runs command in the sandbox that `sentry --control=PATH` runs: its files,\n"
	"processes, loopback and policy; this process's stdin, stdout and stderr\n"
	"are the command's, and its exit status is the command's (128+N for a\n"
	"signal, 125 when there is no such sandbox or it cannot start the command).\n"
	"\n"
	"  --control=PATH         the sandbox's control socket\n"
	"  --cwd=DIR              start in DIR inside (default: where the sandbox's\n"
	"                         command started)\n"
	"  --env=NAME[=VALUE]     set NAME (from this environment when no VALUE);\n"
	"                         the command gets only these, PATH and HOME\n"
	"  --user=UID[:GID]       run as UID (and GID: default the user's group in\n"
	"                         the sandbox's /etc/passwd, else 0)\n"
	"  --pid-file=FILE        write the command's pid to FILE once it runs\n"
	"  --tty                  a pty of the sandbox's own is the command's\n"
	"                         terminal, stdin, stdout and stderr; its master\n"
	"                         goes to --console-socket (as runc's)\n"
	"  --console-socket=PATH  the unix socket given the pty's master\n"
	"                         (SCM_RIGHTS, with the name /dev/pts/N)\n"
	"  --console-size=RxC     the pty's rows and columns\n"
	"  --pids-limit=N         a new task limit for the sandbox (0: none); it\n"
	"                         must have started with --pids-limit\n"
	"  --changes              print the workspace's changes so far, one JSON\n"
	"                         object a line: {\"path\": ..., \"kind\": ...}\n"
	"  --stop                 end the sandbox (its command is killed); returns\n"
	"                         once the sentry has exited\n";

enum {
	OPT_CONTROL = 256,
	OPT_CWD,
	OPT_ENV,
	OPT_USER,
	OPT_PID_FILE,
	OPT_CHANGES,
	OPT_STOP,
	OPT_TTY,
	OPT_CONSOLE_SOCKET,
	OPT_CONSOLE_SIZE,
	OPT_PIDS_LIMIT,
};

static const struct option exec_options[] = {
	{ "control", required_argument, NULL, OPT_CONTROL },
	{ "cwd", required_argument, NULL, OPT_CWD },
	{ "env", required_argument, NULL, OPT_ENV },
	{ "user", required_argument, NULL, OPT_USER },
	{ "pid-file", required_argument, NULL, OPT_PID_FILE },
	{ "changes", no_argument, NULL, OPT_CHANGES },
	{ "stop", no_argument, NULL, OPT_STOP },
	{ "tty", no_argument, NULL, OPT_TTY },
	{ "console-socket", required_argument, NULL, OPT_CONSOLE_SOCKET },
	{ "console-size", required_argument, NULL, OPT_CONSOLE_SIZE },
	{ "pids-limit", required_argument, NULL, OPT_PIDS_LIMIT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static __attribute__((format(printf, 1, 2))) int exec_error(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "sentry exec: %s\n", line);
	return EXIT_SENTRY_ERROR;
}

struct words {
	char *buf;
	size_t len;
};

static bool add_word(struct words *w, const char *key, const char *value)
{
	size_t n = strlen(key) + strlen(value) + 1;
	char *more = w->len + n <= CONTROL_MAX_MESSAGE ? realloc(w->buf, w->len + n) : NULL;
	if (!more)
		return false;
	memcpy(more + w->len, key, strlen(key));
	memcpy(more + w->len + strlen(key), value, strlen(value) + 1);
	w->buf = more;
	w->len += n;
	return true;
}

static int send_message(int sock, const struct words *w, const int *fds, int nfds)
{
	union {
		char buf[CMSG_SPACE(3 * sizeof(int))];
		struct cmsghdr align;
	} cmsg;
	memset(&cmsg, 0, sizeof(cmsg));
	struct iovec iov = { w->buf, w->len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	if (nfds) {
		msg.msg_control = cmsg.buf;
		msg.msg_controllen = CMSG_SPACE((size_t)nfds * sizeof(int));
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN((size_t)nfds * sizeof(int));
		memcpy(CMSG_DATA(c), fds, (size_t)nfds * sizeof(int));
	}
	return sendmsg(sock, &msg, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

/* One answer: its kind and value (in buf), and an fd it carries. 0 at
 * the end of the connection, else the message's length. */
static ssize_t receive_answer(int sock, char *buf, size_t size, int *fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} cmsg;
	struct iovec iov = { buf, size - 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cmsg.buf, .msg_controllen = sizeof(cmsg.buf) };
	ssize_t n;
	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	*fd = -1;
	struct cmsghdr *c = n > 0 ? CMSG_FIRSTHDR(&msg) : NULL;
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
		memcpy(fd, CMSG_DATA(c), sizeof(int));
	if (n < 0 && errno == ECONNRESET)
		n = 0;
	buf[n > 0 ? n : 0] = 0;
	if (n > 0 && !memchr(buf, 0, (size_t)n))
		buf[n - 1] = 0;
	return n;
}

static const char *value_of(const char *buf)
{
	return buf + strlen(buf) + 1;
}

static int signal_pipe[2] = { -1, -1 };

static void on_signal(int sig)
{
	int saved = errno;
	unsigned char s = (unsigned char)sig;
	if (write(signal_pipe[1], &s, 1) < 0) {
		/* a full pipe: that many signals are already on their way */
	}
	errno = saved;
}

static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };

/* A signal the caller ignored (a background job's SIGINT) stays ignored,
 * as sentry itself keeps it. */
static void catch_forwarded(void)
{
	if (pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return;
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++) {
		struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESTART }, old;
		sigemptyset(&sa.sa_mask);
		if (sigaction(forwarded[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
			sigaction(forwarded[i], &sa, NULL);
	}
}

static int write_pid_file(const char *file, const char *pid)
{
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -errno;
	bool ok = dprintf(fd, "%s\n", pid) > 0;
	return close(fd) == 0 && ok ? 0 : -EIO;
}

static int status_of(int wait_status)
{
	if (WIFEXITED(wait_status))
		return WEXITSTATUS(wait_status);
	if (WIFSIGNALED(wait_status))
		return 128 + WTERMSIG(wait_status);
	return EXIT_SENTRY_ERROR;
}

/* Waits for the command's end, forwarding signals meanwhile. */
static int follow(int sock, const char *pid_file, const char *console_socket)
{
	static char buf[4096];
	struct pollfd fds[2] = { { sock, POLLIN, 0 }, { signal_pipe[0], POLLIN, 0 } };
	pid_t pid = 0;
	for (;;) {
		if (poll(fds, signal_pipe[0] >= 0 ? 2 : 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			return exec_error("poll: %s", strerror(errno));
		}
		unsigned char sig;
		while (fds[1].revents && read(signal_pipe[0], &sig, 1) == 1) {
			char n[8];
			snprintf(n, sizeof(n), "%d", sig);
			struct words w = { 0 };
			if (add_word(&w, "signal", "") && add_word(&w, "", n))
				send_message(sock, &w, NULL, 0);
			free(w.buf);
		}
		if (!fds[0].revents)
			continue;
		int fd;
		ssize_t n = receive_answer(sock, buf, sizeof(buf), &fd);
		if (n > 0 && strcmp(buf, "console") == 0 && fd >= 0) {
			int r = container_send_console(console_socket, fd, value_of(buf));
			close(fd);
			if (r < 0)
				return exec_error("--console-socket %s: %s", console_socket, strerror(-r));
			continue;
		}
		if (fd >= 0)
			close(fd);
		if (n <= 0)
			return exec_error("%s", pid ? "the sandbox ended before the command did" : "the sandbox has ended");
		if (strcmp(buf, "pid") == 0) {
			pid = atoi(value_of(buf));
			int r = pid_file ? write_pid_file(pid_file, value_of(buf)) : 0;
			if (r < 0)
				fprintf(stderr, "sentry exec: --pid-file %s: %s\n", pid_file, strerror(-r));
		} else if (strcmp(buf, "exit") == 0) {
			return status_of(atoi(value_of(buf)));
		} else if (strcmp(buf, "error") == 0) {
			return exec_error("%s", value_of(buf));
		}
	}
}

static int show_changes(int sock)
{
	struct words w = { 0 };
	if (!add_word(&w, "changes", "") || send_message(sock, &w, NULL, 0) < 0)
		return exec_error("cannot ask the sandbox: %s", strerror(errno));
	free(w.buf);
	char buf[4096];
	int fd;
	ssize_t n = receive_answer(sock, buf, sizeof(buf), &fd);
	if (n <= 0)
		return exec_error("%s", "the sandbox has ended");
	if (strcmp(buf, "error") == 0)
		return exec_error("%s", value_of(buf));
	if (fd < 0)
		return exec_error("%s", "the sandbox sent no list");
	char chunk[65536];
	ssize_t got;
	lseek(fd, 0, SEEK_SET); /* the sentry wrote it through the same offset */
	while ((got = read(fd, chunk, sizeof(chunk))) > 0)
		if (fwrite(chunk, 1, (size_t)got, stdout) != (size_t)got)
			return EXIT_SENTRY_ERROR;
	close(fd);
	return fflush(stdout) == 0 ? 0 : EXIT_SENTRY_ERROR;
}

static int set_pids_limit(int sock, const char *limit)
{
	struct words w = { 0 };
	if (!add_word(&w, "limits", "") || !add_word(&w, "pids=", limit) || send_message(sock, &w, NULL, 0) < 0)
		return exec_error("cannot ask the sandbox: %s", strerror(errno));
	free(w.buf);
	char buf[4096];
	int fd;
	ssize_t n = receive_answer(sock, buf, sizeof(buf), &fd);
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return exec_error("%s", "the sandbox has ended");
	if (strcmp(buf, "error") == 0)
		return exec_error("%s", value_of(buf));
	return 0;
}

static int stop(int sock)
{
	struct words w = { 0 };
	if (!add_word(&w, "stop", "") || send_message(sock, &w, NULL, 0) < 0)
		return exec_error("cannot ask the sandbox: %s", strerror(errno));
	free(w.buf);
	char buf[4096];
	int fd;
	/* the sentry closes this connection as it exits */
	while (receive_answer(sock, buf, sizeof(buf), &fd) > 0) {
		if (fd >= 0)
			close(fd);
		if (strcmp(buf, "error") == 0)
			return exec_error("%s", value_of(buf));
	}
	return 0;
}

/* A closed stdin, stdout or stderr is /dev/null for the command. */
static int stdio_fd(int fd)
{
	if (fcntl(fd, F_GETFD) >= 0)
		return fd;
	return open("/dev/null", O_RDWR | O_CLOEXEC);
}

int exec_main(int argc, char **argv)
{
	const char *control = NULL, *pid_file = NULL, *console_socket = NULL, *console_size = "", *pids_limit = NULL;
	bool tty = false;
	bool changes = false, stopping = false;
	struct words w = { 0 };
	if (!add_word(&w, "exec", ""))
		return EXIT_SENTRY_ERROR;
	bool ok = true;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", exec_options, NULL)) != -1) {
		switch (c) {
		case OPT_CONTROL:
			control = optarg;
			break;
		case OPT_CWD:
			ok = ok && add_word(&w, "cwd=", optarg);
			break;
		case OPT_ENV: {
			if (!optarg[0] || optarg[0] == '=')
				return exec_error("--env takes NAME or NAME=VALUE, not %s", optarg);
			const char *value = strchr(optarg, '=') ? NULL : getenv(optarg);
			if (strchr(optarg, '=')) {
				ok = ok && add_word(&w, "env=", optarg);
			} else if (value) {
				char *both;
				ok = ok && asprintf(&both, "%s=%s", optarg, value) > 0 && add_word(&w, "env=", both);
			}
			break;
		}
		case OPT_USER:
			if (strspn(optarg, "0123456789:") != strlen(optarg) || !optarg[0] || optarg[0] == ':')
				return exec_error("--user takes UID[:GID] (numbers), not %s", optarg);
			ok = ok && add_word(&w, "user=", optarg);
			break;
		case OPT_PID_FILE:
			pid_file = optarg;
			break;
		case OPT_CHANGES:
			changes = true;
			break;
		case OPT_STOP:
			stopping = true;
			break;
		case OPT_TTY:
			tty = true;
			break;
		case OPT_CONSOLE_SOCKET:
			console_socket = optarg;
			break;
		case OPT_CONSOLE_SIZE:
			console_size = optarg;
			break;
		case OPT_PIDS_LIMIT:
			if (strspn(optarg + (optarg[0] == '-'), "0123456789") != strlen(optarg + (optarg[0] == '-')) ||
			    !optarg[optarg[0] == '-'])
				return exec_error("--pids-limit takes a number of tasks, not %s", optarg);
			pids_limit = optarg;
			break;
		case 'h':
			fputs(exec_usage, stdout);
			return 0;
		default:
			return exec_error("unknown option or missing value: %s; see sentry exec --help", argv[optind - 1]);
		}
	}
	if (!control)
		return exec_error("%s", "--control=PATH names the sandbox; see sentry exec --help");
	if (tty != (console_socket != NULL))
		return exec_error("%s", "--tty and --console-socket go together: the pty's master goes to the socket");
	if (tty)
		ok = ok && add_word(&w, "tty=", console_size);
	if (!changes && !stopping && !pids_limit && optind >= argc)
		return exec_error("%s", "no command given; see sentry exec --help");
	for (int i = optind; i < argc; i++)
		ok = ok && add_word(&w, "arg=", argv[i]);
	if (!ok)
		return exec_error("%s", "the command line and environment are too long");

	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	if (strlen(control) >= sizeof(addr.sun_path))
		return exec_error("--control %s: the path is too long for a unix socket", control);
	strcpy(addr.sun_path, control);
	int sock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (sock < 0 || connect(sock, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		fprintf(stderr, "sentry exec: no sandbox at %s (%s)\n", control, strerror(errno));
		return EXIT_SENTRY_ERROR;
	}
	if (changes)
		return show_changes(sock);
	if (stopping)
		return stop(sock);
	if (pids_limit)
		return set_pids_limit(sock, pids_limit);
	catch_forwarded();
	int fds[3] = { stdio_fd(0), stdio_fd(1), stdio_fd(2) };
	int r = fds[0] < 0 || fds[1] < 0 || fds[2] < 0 ? -errno : send_message(sock, &w, fds, 3);
	if (r == -EPIPE || r == -ECONNRESET)
		return exec_error("the sandbox at %s closed the connection (only its own user may connect)", control);
	if (r < 0)
		return exec_error("cannot send the request: %s", strerror(-r));
	free(w.buf);
	return follow(sock, pid_file, console_socket);
}
