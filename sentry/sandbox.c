/* Starting the workload: fork, let the sentry seize the child, drop its
 * capabilities, install the filter, and exec the program from a memfd. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "control.h"
#include "bind.h"
#include "devpts.h"
#include "hostview.h"
#include "userns.h"
#include "dispatch.h"
#include "syscalls/exec.h"
#include "filter.h"
#include "reslimits.h"
#include "syscalls/fsctx.h"
#include "platform.h"
#include "loader/loader_image.h"
#include "fastpath/fastpath.h"
#include "netpolicy.h"
#include "proc_provider.h"
#include "syscalls/mq.h"
#include "results.h"
#include "seccomp_compat.h"
#include "spawn.h"

extern char **environ;

#define TRACE_OPTIONS                                                                                          \
	(PTRACE_O_EXITKILL | PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |                \
	 PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_TRACESYSGOOD)

/* The loader every exec runs, in a sealed memfd the workload inherits at
 * a reserved number (see syscalls/exec.c). */
static int loader_memfd(void)
{
	int fd = memfd_create("sentry-loader", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -errno;
	size_t done = 0;
	while (done < sentry_loader_image_size) {
		ssize_t n = write(fd, sentry_loader_image + done, sentry_loader_image_size - done);
		if (n <= 0) {
			close(fd);
			return n < 0 ? -errno : -EIO;
		}
		done += (size_t)n;
	}
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL) < 0) {
		close(fd);
		return -errno;
	}
	return fd;
}

/* The workload runs with no capability at all, even as uid 0: an empty
 * bounding set means exec cannot grant any back. */
static int drop_capabilities(void)
{
	for (int cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EPERM)
			return -errno;
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = { { 0 } };
	return syscall(SYS_capset, &hdr, data) < 0 ? -errno : 0;
}

struct child_setup {
	int go_fd;       /* the sentry writes one byte once it has seized us */
	int report_fd;   /* we write the listener fd number, or -errno */
	int loader_fd;   /* the loader's memfd, kept at sb->fd_loader */
	int courier_fd;  /* the workload's end of the courier socket */
	int spawner_fd;  /* --control: the spawner's channel, else -1 */
	struct sandbox *sb;
	struct sock_fprog *filter;
	enum platform_kind platform;
	char **argv;
	char **envp;
};

static void report(int fd, int value)
{
	if (write(fd, &value, sizeof(value)) != sizeof(value))
		_exit(EXIT_SENTRY_ERROR);
}

/* The file a shell would have tried for `command`: the command itself
 * when it names a path, else the first regular file of that name along
 * PATH. Runs in the child, inside the sandbox. */
static bool command_file(const char *command, char *path, size_t size)
{
	if (strchr(command, '/')) {
		snprintf(path, size, "%s", command);
		return true;
	}
	const char *dirs = getenv("PATH");
	for (const char *d = dirs ? dirs : ""; *d; d += strcspn(d, ":") + (d[strcspn(d, ":")] == ':')) {
		int len = (int)strcspn(d, ":");
		struct stat st;
		snprintf(path, size, "%.*s%s%s", len, d, len ? "/" : "", command);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			return true;
	}
	return false;
}

/* "/bin/sh\r" as a terminal should show it: "/bin/sh^M". */
static void caret_notation(const char *s, char *out, size_t size)
{
	size_t n = 0;
	for (; *s && n + 3 < size; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f) {
			out[n++] = '^';
			out[n++] = c == 0x7f ? '?' : (char)(c + '@');
		} else {
			out[n++] = (char)c;
		}
	}
	out[n] = 0;
}

/* A script whose #! interpreter does not exist fails with ENOENT, as a
 * missing command does: name the interpreter, as a shell does. */
static bool explain_interpreter(const char *command, const char *path)
{
	char head[256];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, head, sizeof(head) - 1);
	if (fd >= 0)
		close(fd);
	if (n < 2 || head[0] != '#' || head[1] != '!')
		return false;
	head[n] = 0;
	char *interp, *arg, shown[PATH_MAX];
	if (parse_shebang(head, (size_t)n, &interp, &arg) < 0)
		return false;
	size_t len = strlen(interp);
	bool carriage_return = len && interp[len - 1] == '\r';
	caret_notation(interp, shown, sizeof(shown));
	dprintf(STDERR_FILENO, "sentry: %s: %s: bad interpreter: No such file or directory%s\n", command, shown,
		carriage_return ? " (the #! line ends in a carriage return: DOS line ends)" : "");
	return true;
}

static __attribute__((noreturn)) void exec_failed(const char *command, int e)
{
	char path[PATH_MAX];
	struct stat st;
	bool found = command_file(command, path, sizeof(path));
	if (found && strchr(command, '/') && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		dprintf(STDERR_FILENO, "sentry: %s: is a directory\n", command);
		_exit(EXIT_NOT_EXECUTABLE);
	}
	if (e == ENOENT && found && explain_interpreter(command, path))
		_exit(EXIT_NOT_FOUND);
	dprintf(STDERR_FILENO, "sentry: %s: %s\n", command, e == ENOENT ? "command not found" : strerror(e));
	_exit(e == ENOENT ? EXIT_NOT_FOUND : EXIT_NOT_EXECUTABLE);
}

void command_exec_failed(const char *command, int e)
{
	exec_failed(command, e);
}

/* --console-socket: the number N of the pty whose /dev/pts/N the workload
 * opens inside, sent before "go"; -1 when none came. */
static int receive_console(int courier)
{
	int number = -1;
	return recv(courier, &number, sizeof(number), 0) == sizeof(number) ? number : -1;
}

static int send_console(int courier, int number)
{
	return send(courier, &number, sizeof(number), 0) == sizeof(number) ? 0 : -errno;
}

static __attribute__((noreturn)) void child_main(struct child_setup *cs, pid_t sentry_pid)
{
	char go;
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != sentry_pid)
		_exit(EXIT_SENTRY_ERROR);
	if (read(cs->go_fd, &go, 1) != 1)
		_exit(EXIT_SENTRY_ERROR);
	int r = 0, console = -1;
	/* a session of its own, whose terminal the console becomes */
	if (cs->sb->opts->container.console_socket)
		r = (console = receive_console(cs->courier_fd)) < 0 || setsid() < 0 ? -EIO : 0;
	else
		setpgid(0, 0);
	struct rlimit no_core = { 0, 0 }; /* a core file would land on the host */
	if (!r && setrlimit(RLIMIT_CORE, &no_core) < 0)
		r = -errno;
	/* The reserved fds sit just above the workload's hard fd limit, which
	 * it can never raise (no capabilities): open, they stay valid, and no
	 * fd of its own reaches them. Its soft limit stays what it was. */
	struct rlimit start = { 1024, 1024 };
	if (!r && getrlimit(RLIMIT_NOFILE, &start) < 0)
		r = -errno;
	struct rlimit nofile = { (rlim_t)cs->sb->fd_courier + 1, (rlim_t)cs->sb->fd_courier + 1 };
	if (!r && setrlimit(RLIMIT_NOFILE, &nofile) < 0)
		r = -errno;
	if (!r && (dup2(cs->courier_fd, cs->sb->fd_courier) < 0 || dup2(cs->loader_fd, cs->sb->fd_loader) < 0))
		r = -errno;
	nofile.rlim_max = (rlim_t)cs->sb->fd_loader;
	nofile.rlim_cur = start.rlim_cur < nofile.rlim_max ? start.rlim_cur : nofile.rlim_max;
	if (!r && setrlimit(RLIMIT_NOFILE, &nofile) < 0)
		r = -errno;
	/* into the cgroup before anything of the workload runs */
	if (!r)
		r = limits_enter_child();
	if (!r)
		r = drop_capabilities();
	if (!r && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		r = -errno;
	if (!r && syscall(SYS_close_range, 3, (unsigned)cs->sb->fd_loader - 1, CLOSE_RANGE_CLOEXEC) < 0)
		r = -errno;
	if (r) {
		report(cs->report_fd, r);
		_exit(EXIT_SENTRY_ERROR);
	}
	unsigned flags = cs->platform == PLATFORM_UNOTIFY ? filter_listener_flags() : 0;
	long listener = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, cs->filter);
	report(cs->report_fd, listener < 0 ? -errno : (int)listener);
	if (listener < 0)
		_exit(EXIT_SENTRY_ERROR);
	/* --control: the spawner shares this filter; the sentry takes this
	 * process's first child for it, so no exec may go on without it */
	if (cs->spawner_fd >= 0 && control_fork_spawner(cs->spawner_fd, cs->sb->fd_loader) < 0)
		_exit(EXIT_SENTRY_ERROR);
	/* From here on every call goes through the filter: the program is
	 * looked for inside the sandbox along the workload's own PATH (--env
	 * PATH=... included), as a shell would. */
	/* opened through the sandbox, as any open of /dev/pts/N inside */
	if (console >= 0 && (r = container_take_console(console)) < 0) {
		dprintf(STDERR_FILENO, "sentry: cannot make /dev/pts/%d the workload's terminal: %s\n", console, strerror(-r));
		_exit(EXIT_SENTRY_ERROR);
	}
	environ = cs->envp;
	execvp(cs->argv[0], cs->argv);
	exec_failed(cs->argv[0], errno);
}

/* The sentry and the workload on the CPU the sentry runs on now (where the
 * scheduler found room for it, so that sandboxes started side by side
 * spread): a stop that wakes a task on another, idle CPU costs several
 * times the stop itself. */
static void pin_to_one_cpu(struct sandbox *sb, pid_t child)
{
	cpu_set_t set, cpuset;
	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return;
	/* a CPU of the workload's cpuset (the sentry, outside it, may go
	 * anywhere), one the sentry may use too where there is one */
	if (limits_workload_cpus(&cpuset)) {
		cpu_set_t both;
		CPU_AND(&both, &set, &cpuset);
		set = CPU_COUNT(&both) ? both : cpuset;
	}
	int cpu = sched_getcpu();
	if (cpu < 0 || cpu >= CPU_SETSIZE || !CPU_ISSET(cpu, &set))
		for (cpu = 0; cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &set); cpu++)
			;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0 || sched_setaffinity(child, sizeof(set), &set) < 0)
		sentry_debug(sb, "cannot keep the sandbox on CPU %d: %s", cpu, strerror(errno));
	else
		sentry_debug(sb, "the sandbox runs on CPU %d (--pin=off to let it spread)", cpu);
}

/* The user-notify listener lives in the child; take our own copy. */
static int take_listener(struct sandbox *sb, pid_t child, int child_fd, bool pin)
{
	int pidfd = (int)syscall(SYS_pidfd_open, child, 0);
	if (pidfd < 0)
		return -errno;
	int fd = (int)syscall(SYS_pidfd_getfd, pidfd, child_fd, 0);
	int err = errno;
	close(pidfd);
	if (fd < 0)
		return -err;
	sb->notify_fd = fd;
	__u64 wake = SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP;
	if (ioctl(fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, wake) < 0) {
		/* Without synchronous wake-ups, a round trip between two CPUs
		 * costs ten times more: keep both on one. */
		sentry_debug(sb, "no SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (%s)", strerror(errno));
		if (pin)
			pin_to_one_cpu(sb, child);
	}
	return 0;
}

/* Give the terminal's foreground to the workload's process group, so
 * Ctrl-C reaches the workload, and take it back at the end. */
static pid_t give_terminal(pid_t child)
{
	if (!isatty(STDIN_FILENO) || tcgetpgrp(STDIN_FILENO) != getpgrp())
		return 0;
	pid_t previous = getpgrp();
	signal(SIGTTOU, SIG_IGN);
	if (tcsetpgrp(STDIN_FILENO, child) < 0)
		return 0;
	return previous;
}

/* The environment inside: the few variables a program needs to behave
 * (none carries a secret), HOME at the sandbox's home, and what --env
 * names. Tokens, keys and agent sockets stay outside unless named. */
static char **workload_environment(const struct options *opts)
{
	static const char *const kept[] = { "PATH", "LANG", "TERM", "TZ", "USER", "LOGNAME", "COLORTERM", NULL };
	size_t n = 0, cap = 16 + (size_t)opts->nenv;
	for (char **e = environ; *e; e++)
		cap++;
	char **env = calloc(cap + 1, sizeof(char *));
	if (!env)
		sentry_fatal("out of memory");
	/* --clear-env: exactly what --env gives (an OCI process's env) */
	for (char **e = opts->container.clear_env ? NULL : environ; e && *e; e++) {
		size_t len = strcspn(*e, "=");
		bool keep = strncmp(*e, "LC_", 3) == 0;
		for (int i = 0; kept[i] && !keep; i++)
			keep = strlen(kept[i]) == len && strncmp(*e, kept[i], len) == 0;
		if (keep)
			env[n++] = *e;
	}
	if (!getenv("PATH") && !opts->container.clear_env)
		env[n++] = "PATH=/usr/local/bin:/usr/bin:/bin";
	if (!opts->container.clear_env)
		env[n++] = "HOME=" SANDBOX_HOME;
	for (int i = 0; i < opts->nenv; i++) {
		const char *name = opts->env_names[i];
		const char *value = strchr(name, '=') ? NULL : getenv(name);
		size_t len = strcspn(name, "=");
		/* a later setting of the same name replaces the earlier one */
		for (size_t j = 0; j < n; j++)
			if (strncmp(env[j], name, len) == 0 && env[j][len] == '=')
				env[j] = env[--n];
		if (strchr(name, '='))
			env[n++] = (char *)name;
		else if (value && asprintf(&env[n], "%s=%s", name, value) > 0)
			n++;
	}
	env[n] = NULL;
	return env;
}

/* The fds the sentry keeps for itself besides one per file the workload
 * holds open (whose contents the sentry holds too): its own sockets,
 * pidfds and folders, and the image files read so far. */
static rlim_t sentry_fd_room(rlim_t hard)
{
	rlim_t room = hard / 8;
	return room < 64 ? 64 : room > 4096 ? 4096 : room;
}

/* The workload's hard fd limit is what it was (within reason), less the
 * sentry's room: the sentry's own fds count against the same hard limit,
 * so that what the workload's limit allows, the sentry can still hold.
 * Its two highest numbers belong to the sentry; the soft limit stays
 * below. */
static void reserve_fds(struct sandbox *sb)
{
	struct rlimit nofile;
	if (getrlimit(RLIMIT_NOFILE, &nofile) < 0)
		nofile.rlim_max = 1024;
	rlim_t limit = nofile.rlim_max - sentry_fd_room(nofile.rlim_max);
	if (nofile.rlim_max == RLIM_INFINITY || limit > 65536)
		limit = 65536;
	if (limit < 64)
		limit = 64;
	sb->fd_courier = (int)limit - 1;
	sb->fd_loader = (int)limit - 2;
}

/* The host paths shown read-only: the system folders, what --image
 * names, and the command itself when it was given by path (both the name
 * as given and where it leads). */
static const char *const *image_include(const struct options *opts, const char *cwd)
{
	size_t n = 0, ndefault = 0;
	while (vfs_hostimg_default_include[ndefault])
		ndefault++;
	const char **list = calloc(ndefault + (size_t)opts->nimage + 3, sizeof(char *));
	if (!list)
		sentry_fatal("out of memory");
	for (size_t i = 0; i < ndefault; i++)
		list[n++] = vfs_hostimg_default_include[i];
	for (int i = 0; i < opts->nimage; i++)
		list[n++] = opts->image_paths[i];
	const char *command = opts->argv[0];
	if (strchr(command, '/')) {
		char *given = NULL, resolved[PATH_MAX];
		if (command[0] == '/')
			given = strdup(command);
		else if (asprintf(&given, "%s/%s", cwd, command) < 0)
			given = NULL;
		if (given)
			list[n++] = given;
		if (realpath(command, resolved))
			list[n++] = strdup(resolved);
	}
	list[n] = NULL;
	return list;
}

/* --allow-net names: their addresses first in /etc/hosts (a copy-up of
 * the image's), so a program finds them without DNS. */
static int write_hosts(const struct vfs_ctx *ctx, const char *lines)
{
	struct vfs_file *f;
	int r = vfs_openat(ctx, NULL, "/etc/hosts", O_RDWR | O_CREAT, 0644, &f);
	if (r < 0)
		return r;
	char old[65536];
	ssize_t n = vfs_file_pread(f, old, sizeof(old), 0);
	size_t len = strlen(lines);
	if (n < 0)
		r = (int)n;
	if (r == 0 && (size_t)n == sizeof(old))
		r = -EFBIG; /* not a hosts file worth keeping whole */
	if (r == 0 && vfs_file_pwrite(ctx, f, lines, len, 0) != (ssize_t)len)
		r = -EIO;
	if (r == 0 && n > 0 && vfs_file_pwrite(ctx, f, old, (size_t)n, (off_t)len) != n)
		r = -EIO;
	vfs_file_put(f);
	return r;
}

/* A path image_include asked for can still be hidden, under /tmp say,
 * which is a fresh memfs inside. A folder is shown there read-only, on
 * its own; a file (the command, usually) is copied in. */
static int reveal_hidden(const struct vfs_ctx *ctx, const char *path)
{
	struct stat host;
	if (path[0] != '/' || lstat(path, &host) < 0)
		return 0; /* not on the host either: the workload gets ENOENT */
	/* F_OK, not a stat, which would list the folder (all of /etc) */
	if (vfs_faccessat(ctx, NULL, path, F_OK, AT_SYMLINK_NOFOLLOW) != -ENOENT)
		return 0;
	if (S_ISDIR(host.st_mode)) {
		struct vfs_hostimg_policy policy = { .host_root = path, .exclude = vfs_hostimg_default_exclude };
		struct vfs_sb *img;
		int r = vfs_mkdir_p(ctx, path, 0755);
		if (r == 0)
			r = vfs_hostimg_new(ctx->vfs, &policy, &img);
		return r ? r : vfs_mount(ctx, path, img, VFS_MNT_RDONLY);
	}
	if (!S_ISREG(host.st_mode))
		return 0;
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%.*s", (int)(strrchr(path, '/') - path), path);
	int r = dir[0] ? vfs_mkdir_p(ctx, dir, 0755) : 0;
	struct vfs_file *f;
	if (r == 0)
		r = vfs_openat(ctx, NULL, path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, host.st_mode & 07777, &f);
	if (r < 0)
		return r;
	int in = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	char buf[65536];
	ssize_t n = in < 0 ? -errno : 0;
	off_t at = 0;
	while (in >= 0 && (n = read(in, buf, sizeof(buf))) > 0) {
		ssize_t w = vfs_file_pwrite(ctx, f, buf, (size_t)n, at);
		if (w != n) {
			n = w < 0 ? w : -EIO;
			break;
		}
		at += n;
	}
	if (in >= 0)
		close(in);
	vfs_file_put(f);
	return n < 0 ? (int)n : 0;
}

const char *sandbox_add_mount(struct options *opts, const char *spec)
{
	const char *colon = strrchr(spec, ':');
	if (!colon || colon == spec || colon[1] != '/' || !colon[1 + strspn(colon + 1, "/")])
		return "--mount takes HOST:GUEST, GUEST an absolute path other than /, not";
	char *host = strndup(spec, (size_t)(colon - spec)), resolved[PATH_MAX];
	struct stat st;
	bool folder = host && realpath(host, resolved) && stat(resolved, &st) == 0 && S_ISDIR(st.st_mode);
	free(host);
	if (!folder)
		return "--mount: HOST is no folder on the host:";
	struct sandbox_mount *m = realloc(opts->mounts, (size_t)(opts->nmount + 1) * sizeof(*m));
	if (!m)
		sentry_fatal("out of memory");
	opts->mounts = m;
	m[opts->nmount].host = strdup(resolved);
	m[opts->nmount].guest = strdup(colon + 1);
	if (!m[opts->nmount].host || !m[opts->nmount].guest)
		sentry_fatal("out of memory");
	opts->nmount++;
	return NULL;
}

/* --mount: the host folder as the workspace is, an overlay of a read-only
 * image of it, but no workspace: its changes stay in memory. */
static int mount_host_folder(const struct vfs_ctx *ctx, const struct sandbox_mount *m)
{
	struct vfs_hostimg_policy policy = { .host_root = m->host, .exclude = vfs_hostimg_default_exclude };
	struct vfs_sb *img, *ovl;
	int r = vfs_mkdir_p(ctx, m->guest, 0755);
	if (r == 0)
		r = vfs_hostimg_new(ctx->vfs, &policy, &img);
	if (r)
		return r;
	r = vfs_overlay_new(ctx->vfs, img, &ovl);
	vfs_sb_put(img);
	if (r)
		return r;
	r = vfs_mount(ctx, m->guest, ovl, 0);
	vfs_sb_put(ovl);
	return r;
}

/* The caller's terminal, for the sandbox's /dev/tty, only when the caller
 * handed it over as stdin, stdout or stderr: a job started with its stdio
 * redirected away from the terminal must not reach it. -1 for none. */
static int handed_over_terminal(void)
{
	int tty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	unsigned dev, stdio_dev;
	if (tty < 0 || ioctl(tty, TIOCGDEV, &dev) < 0) {
		if (tty >= 0)
			close(tty);
		return -1;
	}
	for (int fd = 0; fd < 3; fd++)
		if (ioctl(fd, TIOCGDEV, &stdio_dev) == 0 && stdio_dev == dev)
			return tty;
	close(tty);
	return -1;
}

/* Without --memory-limit: half the machine's memory, as a tmpfs gets by
 * default, so one sandbox's files never take the whole machine. */
static uint64_t default_memory_limit(void)
{
	struct sysinfo si;
	if (sysinfo(&si) < 0 || !si.totalram)
		return (uint64_t)1 << 30;
	return (uint64_t)si.totalram * si.mem_unit / 2;
}

/* The file system the workload sees: the host's system directories as a
 * read-only image under a writable layer, the folder sentry was started
 * in imported copy-on-write at the same path (and the cwd), a fresh /tmp,
 * /dev and /proc, and an empty home. */
static int console_slave = -1, console_number = -1; /* --console-socket */

static int build_file_system(struct sandbox *sb, struct task *init)
{
	char cwd[PATH_MAX];
	const char *rootfs = sb->opts->container.rootfs;
	if (rootfs) {
		/* the bundle's rootfs is the whole image: nothing to import */
		snprintf(cwd, sizeof(cwd), "/");
	} else if (sb->opts->workspace) {
		if (!realpath(sb->opts->workspace, cwd))
			return -errno;
	} else if (!getcwd(cwd, sizeof(cwd))) {
		return -errno;
	}
	/* file contents in private tmpfs instances where permitted: the limit
	 * then also bounds what the workload writes straight into its fds */
	uint64_t limit = sb->opts->memory_limit ? sb->opts->memory_limit : default_memory_limit();
	if (!vfs_datafs_init(limit) && sb->opts->memory_limit)
		sentry_log("--memory-limit: without CAP_SYS_ADMIN (for a private tmpfs), what the program writes through its open files is not bounded");
	struct vfs_limits limits = { .max_bytes = limit };
	sb->vfs = vfs_create(&limits);
	if (!sb->vfs)
		return -ENOMEM;
	/* started in /, there is no folder to import: the image is the root */
	const char *workspaces[] = { cwd, NULL };
	bool import_cwd = strcmp(cwd, "/") != 0 && !sb->opts->no_workspace;
	proc_provider_init(&sb->proc_provider, sb);
	int tty = handed_over_terminal();
	int devpts = devpts_start();
	if (devpts < 0)
		/* said once asked for (--verbose): most runs open no pty */
		sentry_debug(sb, "no ptys inside (/dev/ptmx, /dev/pts): a private devpts instance needs CAP_SYS_ADMIN (%s)",
			     strerror(-devpts));
	if (sb->opts->container.console_socket) {
		console_slave = container_console(&sb->opts->container, devpts, &console_number);
		if (console_slave < 0)
			return console_slave;
		if (tty >= 0)
			close(tty);
		tty = fcntl(console_slave, F_DUPFD_CLOEXEC, 3); /* the sandbox's /dev/tty */
	}
	static const char *const none[] = { NULL };
	struct vfs_hostimg_policy image = {
		.host_root = rootfs ? rootfs : "/",
		.include = sb->image_include = rootfs ? NULL : image_include(sb->opts, cwd),
		.exclude = rootfs ? none : vfs_hostimg_default_exclude,
	};
	image.host_view = hostview_root();
	if (image.host_view < 0)
		sentry_debug(sb, "image files are copied into the store at first open: no read-only host view (%s)",
			     strerror(-image.host_view));
	if (container_apply_sysctl(&sb->opts->container, sb) < 0)
		return -EINVAL;
	struct vfs_proc_info proc_info = { .hostname = sb->opts->hostname, .sysctl = sb->opts->container.sysctl };
	struct vfs_root_opts ro = {
		.image = &image,
		.workspaces = import_cwd ? workspaces : NULL,
		.provider = &sb->proc_provider,
		.proc_info = &proc_info,
		.tty_fd = tty,
		.devpts_fd = devpts,
		.mqueue = mq_provider(),
	};
	struct vfs_path root;
	int r = vfs_build_root(sb->vfs, &ro, &root);
	if (r < 0)
		return r;
	mode_t mask = umask(022);
	umask(mask);
	/* the sentry lays out the tree as the kernel would, whoever runs it:
	 * with every capability, and as the caller's ids for what it makes */
	struct vfs_ctx ctx = { .vfs = sb->vfs, .cred = { init->cred.fsuid, init->cred.fsgid, 0, NULL, true, ~0ull },
			       .root = root, .cwd = root, .umask = mask, .pid = init->tgid, .tid = init->tid };
	/* a container's image has its own homes */
	r = rootfs ? 0 : vfs_mkdir_p(&ctx, SANDBOX_HOME, 0755);
	struct vfs_sb *home;
	if (r == 0 && !rootfs)
		r = vfs_memfs_new(sb->vfs, S_IFDIR | 0755, &home);
	if (r == 0 && !rootfs)
		r = vfs_mount(&ctx, SANDBOX_HOME, home, 0);
	/* the home is the caller's own, whoever that is */
	if (r == 0 && !rootfs)
		r = vfs_fchownat(&ctx, NULL, SANDBOX_HOME, ctx.cred.uid, ctx.cred.gid, 0);
	for (const char *const *p = image.include; r == 0 && p && *p; p++)
		r = reveal_hidden(&ctx, *p);
	/* after the image, so that a mount may shadow any of it */
	for (int i = 0; r == 0 && i < sb->opts->nmount; i++)
		r = mount_host_folder(&ctx, &sb->opts->mounts[i]);
	if (r == 0)
		r = container_mount_tmpfs(&sb->opts->container, &ctx);
	const char *hosts = net_policy_hosts_lines(sb->opts->net);
	if (r == 0 && hosts)
		r = write_hosts(&ctx, hosts);
	/* last: a bind shows the host's file, whatever was written there */
	if (r == 0)
		r = bind_mount_all(&ctx, sb->opts);
	struct vfs_path where;
	const char *start = sb->opts->container.cwd ? sb->opts->container.cwd : import_cwd ? cwd : "/";
	/* a container's cwd is made when the image lacks it, as runc does */
	if (r == 0 && sb->opts->container.cwd && vfs_lookup_dir(&ctx, NULL, start, &where) == -ENOENT)
		r = vfs_mkdir_p(&ctx, start, 0755);
	else if (r == 0 && sb->opts->container.cwd)
		vfs_path_put(&where);
	if (r == 0 && (r = vfs_lookup_dir(&ctx, NULL, start, &where)) < 0 && sb->opts->container.cwd)
		sentry_log("--cwd %s: %s inside", start, strerror(-r));
	/* last: what is mounted on it, and the cwd, were made above */
	if (r == 0 && sb->opts->container.rootfs_readonly)
		vfs_mount_set_readonly(&root);
	if (r == 0) {
		init->fs = fs_state_new(&root, &where, mask);
		vfs_path_put(&where);
	}
	vfs_path_put(&root);
	return r;
}

/* The signals a shell sends its foreground job (Ctrl-C, Ctrl-\, a hang-up,
 * a supervisor's SIGTERM) reach the workload's process group as if it
 * were that job; the sentry waits for it to end. One the caller had
 * ignored (a background job of a script) stays ignored, for both. */
static const int job_signals[] = { SIGINT, SIGQUIT, SIGTERM, SIGHUP };
#define NJOB_SIGNALS (sizeof(job_signals) / sizeof(job_signals[0]))
static bool job_signal_ignored[NJOB_SIGNALS];
static int job_group = -1; /* a pidfd of the first process, which leads the group */
static volatile sig_atomic_t job_signal_early;

#ifndef PIDFD_SIGNAL_PROCESS_GROUP
#define PIDFD_SIGNAL_PROCESS_GROUP (1UL << 2)
#endif

/* Through the pidfd, whose pid cannot be reused while it is held: once
 * the group is gone this reaches nobody. */
static void signal_job(int sig)
{
	syscall(SYS_pidfd_send_signal, job_group, sig, NULL, PIDFD_SIGNAL_PROCESS_GROUP);
}

static void on_job_signal(int sig)
{
	int saved = errno;
	if (job_group < 0)
		job_signal_early = sig; /* sent once the workload is there */
	else
		signal_job(sig);
	errno = saved;
}

/* The job signals the caller did not ignore go to on_job_signal; without
 * SA_RESTART a blocking wait of the sentry's returns EINTR at one. */
static void job_signals_restart(bool restart)
{
	for (size_t i = 0; i < NJOB_SIGNALS; i++) {
		if (job_signal_ignored[i])
			continue;
		struct sigaction sa = { .sa_handler = on_job_signal, .sa_flags = restart ? SA_RESTART : 0 };
		sigemptyset(&sa.sa_mask);
		sigaction(job_signals[i], &sa, NULL);
	}
}

static void catch_job_signals(void)
{
	for (size_t i = 0; i < NJOB_SIGNALS; i++) {
		struct sigaction old;
		job_signal_ignored[i] = sigaction(job_signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN;
	}
	job_signals_restart(true);
}

/* In the workload: the dispositions the caller gave sentry. */
static void restore_job_signals(void)
{
	for (size_t i = 0; i < NJOB_SIGNALS; i++)
		signal(job_signals[i], job_signal_ignored[i] ? SIG_IGN : SIG_DFL);
}

static void forward_job_signals(int first_pidfd)
{
	job_group = first_pidfd;
	if (job_signal_early)
		signal_job(job_signal_early);
}

/* The first process died of a job signal: so does the sentry, so that a
 * shell sees the job interrupted (a loop of sentry runs stops at one
 * Ctrl-C). No core of the sentry: it holds the workload's files. */
static void die_of_job_signal(int wait_status)
{
	if (!WIFSIGNALED(wait_status))
		return;
	int sig = WTERMSIG(wait_status);
	bool job = false;
	for (size_t i = 0; i < NJOB_SIGNALS; i++)
		job |= job_signals[i] == sig;
	if (!job)
		return;
	struct rlimit no_core = { 0, 0 };
	setrlimit(RLIMIT_CORE, &no_core);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	fflush(NULL);
	signal(sig, SIG_DFL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
}

static volatile sig_atomic_t timed_out;
static int timeout_victim = -1; /* a pidfd of the first process */

/* The first process dies; the serve loop then sees its end as any other
 * and kills the rest.  Through a pidfd: once the first process is reaped
 * its pid may be any host process's, and this signal must never reach it. */
static void on_timeout(int sig)
{
	timed_out = 1;
	syscall(SYS_pidfd_send_signal, timeout_victim, SIGKILL, NULL, 0);
}

static void arm_timeout(int first_pidfd, double seconds)
{
	if (seconds <= 0)
		return;
	timeout_victim = first_pidfd;
	struct sigaction sa = { .sa_handler = on_timeout };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	long long us = (long long)(seconds * 1e6);
	struct itimerval when = { .it_value = { .tv_sec = (time_t)(us / 1000000), .tv_usec = (suseconds_t)(us % 1000000) } };
	if (!when.it_value.tv_sec && !when.it_value.tv_usec)
		when.it_value.tv_usec = 1;
	setitimer(ITIMER_REAL, &when, NULL);
}

/* The workload has ended; what follows (a --save) is not its time. */
static void disarm_timeout(void)
{
	struct itimerval off = { 0 };
	setitimer(ITIMER_REAL, &off, NULL);
}

/* The first process, by the pidfd taken while it could not yet be reaped. */
static void kill_first(int pidfd)
{
	syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
}

static int exit_status_of(int wait_status)
{
	if (WIFEXITED(wait_status))
		return WEXITSTATUS(wait_status);
	if (WIFSIGNALED(wait_status))
		return 128 + WTERMSIG(wait_status);
	return EXIT_SENTRY_ERROR;
}

/* The sandbox lives as long as the sentry process. */
struct sandbox *sentry_sandbox;

/* PATH entries of `path_list` in order: the index of the first holding
 * an executable regular file `name`, by `usable`, or -1. */
static int first_on_path(const char *path_list, const char *name, bool (*usable)(const char *, void *), void *arg,
			 char *found, size_t size)
{
	int index = 0;
	for (const char *d = path_list; *d; index++) {
		size_t len = strcspn(d, ":");
		/* a relative entry is relative to two different cwds: skipped */
		if (d[0] == '/') {
			snprintf(found, size, "%.*s/%s", (int)len, d, name);
			if (usable(found, arg))
				return index;
		}
		d += len + (d[len] == ':');
	}
	return -1;
}

static bool usable_on_host(const char *path, void *unused)
{
	(void)unused;
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

static bool usable_inside(const char *path, void *ctx)
{
	struct stat st;
	return vfs_fstatat(ctx, NULL, path, &st, 0) == 0 && S_ISREG(st.st_mode) && vfs_faccessat(ctx, NULL, path, X_OK, 0) == 0;
}

/* A command found along PATH on the host in a folder the sandbox does not
 * show (pyenv shims, ~/.local/bin, conda) would silently be another
 * program inside, or none: say so, and what shows it. True: refused. */
static bool command_hidden(struct task *init, const char *command, char **envp)
{
	const char *path_list = "";
	for (char **e = envp; *e; e++)
		if (strncmp(*e, "PATH=", 5) == 0)
			path_list = *e + 5;
	if (strchr(command, '/') || !command[0])
		return false;
	struct vfs_ctx ctx;
	task_vfs_ctx(init, &ctx);
	char host[PATH_MAX], inside[PATH_MAX];
	int on_host = first_on_path(path_list, command, usable_on_host, NULL, host, sizeof(host));
	int in_sandbox = first_on_path(path_list, command, usable_inside, &ctx, inside, sizeof(inside));
	if (on_host < 0 || (in_sandbox >= 0 && in_sandbox <= on_host))
		return false;
	/* the folder to show: the PATH entry, or where its link leads when
	 * the entry is shown already */
	char folder[PATH_MAX], resolved[PATH_MAX];
	snprintf(folder, sizeof(folder), "%.*s", (int)(strrchr(host, '/') - host), host);
	struct stat st;
	if (vfs_fstatat(&ctx, NULL, folder, &st, 0) == 0 && realpath(host, resolved))
		snprintf(folder, sizeof(folder), "%.*s", (int)(strrchr(resolved, '/') - resolved), resolved);
	char instead[PATH_MAX + 32] = "";
	if (in_sandbox >= 0)
		snprintf(instead, sizeof(instead), " (inside, %s would run)", inside);
	sentry_log("%s is %s on the host, in a folder the sandbox does not show%s; show it with --image=%s, or give the command by path",
		   command, host, instead, folder);
	return true;
}

int sandbox_run(struct options *opts)
{
	struct sandbox *sb = sentry_sandbox = calloc(1, sizeof(*sb));
	if (!sb)
		sentry_fatal("out of memory");
	sb->opts = opts;
	sb->notify_fd = -1;
	/* without root: the sandbox's loopback, ptys and host view are made
	 * in a user namespace, by a process forked before any thread */
	userns_start();
	if (geteuid() != 0 && userns_error())
		sentry_debug(sb, "no user namespace of the sandbox's own (%s): no loopback, ptys or host view without CAP_SYS_ADMIN",
			     strerror(userns_error()));

	int loader_fd = opts->fastpath ? fastpath_loader_memfd() : loader_memfd();
	if (loader_fd < 0)
		sentry_fatal("cannot hold the loader in a memfd: %s", strerror(-loader_fd));

	reserve_fds(sb);
	if (limits_check_fds(sb->fd_loader) < 0)
		return EXIT_SENTRY_ERROR;
	filter_every_clone_to_sentry = limits_counting_tasks();
	struct sock_fprog filter;
	int r = filter_build(opts->platform, sb->fd_loader, &filter);
	if (r < 0)
		sentry_fatal("cannot build the seccomp filter: %s", strerror(-r));

	if (control_listen(sb) < 0)
		return EXIT_SENTRY_ERROR;
	int go[2], rep[2], courier[2];
	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(rep, O_CLOEXEC) < 0)
		sentry_fatal("pipe: %s", strerror(errno));
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, courier) < 0)
		sentry_fatal("socketpair: %s", strerror(errno));
	sb->courier_sentry_end = courier[0];

	catch_job_signals();
	/* kept reachable until exit, as the options are: the child execs with
	 * it, and the sentry looks the command up along its PATH */
	static char **envp;
	envp = workload_environment(opts);

	pid_t sentry_pid = getpid();
	pid_t child = fork();
	if (child < 0)
		sentry_fatal("fork: %s", strerror(errno));
	if (child == 0) {
		restore_job_signals();
		close(go[1]);
		close(rep[0]);
		close(courier[0]);
		struct child_setup cs = { .go_fd = go[0], .report_fd = rep[1], .loader_fd = loader_fd,
					  .courier_fd = courier[1], .sb = sb, .filter = &filter,
					  .spawner_fd = control_spawner_end(),
					  .platform = opts->platform, .argv = opts->argv,
					  .envp = envp };
		child_main(&cs, sentry_pid);
	}
	close(go[0]);
	close(rep[1]);
	close(courier[1]);
	control_start(envp);
	free(filter.filter);
	/* the workload kept the soft limit it was given; the sentry holds a
	 * copy of what it opens, and may use the whole hard limit */
	struct rlimit nofile;
	if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < nofile.rlim_max) {
		nofile.rlim_cur = nofile.rlim_max;
		setrlimit(RLIMIT_NOFILE, &nofile);
	}

	/* the child is ours and not reaped: this pidfd is surely it */
	int child_pidfd = (int)syscall(SYS_pidfd_open, child, 0);
	if (child_pidfd < 0) {
		int e = errno;
		kill(child, SIGKILL); /* not reaped yet: the pid is still the child's */
		sentry_log("cannot hold a pidfd of the workload: %s", strerror(e));
		return EXIT_SENTRY_ERROR;
	}
	if (ptrace(PTRACE_SEIZE, child, 0, (void *)(long)TRACE_OPTIONS) < 0) {
		int e = errno;
		kill_first(child_pidfd);
		sentry_log("cannot trace the workload (%s); is ptrace restricted here (Yama, a container)?", strerror(e));
		return EXIT_SENTRY_ERROR;
	}
	sb->init_pid = child;
	struct task *init = task_add(sb, child, child, 0);
	task_cred_of_host(&init->cred);
	container_apply_cred(&opts->container, &init->cred);
	r = build_file_system(sb, init);
	if (r < 0) {
		kill_first(child_pidfd);
		sentry_log("cannot build the sandbox's file system: %s", strerror(-r));
		return EXIT_SENTRY_ERROR;
	}
	/* a container's image is not the host's: its PATH is its own */
	if (!opts->container.rootfs && command_hidden(init, opts->argv[0], envp)) {
		kill_first(child_pidfd);
		return EXIT_NOT_FOUND;
	}
	/* with a console the workload makes a session of its own instead */
	if (console_slave < 0)
		setpgid(child, child);
	else if (send_console(sb->courier_sentry_end, console_number) < 0)
		sentry_fatal("cannot hand the console to the workload: %s", strerror(errno));
	if (console_slave >= 0)
		close(console_slave);
	/* a created container that is sent SIGTERM ends there, as runc's
	 * waiting init would: not at its start, as the signal's delivery */
	job_signals_restart(false);
	r = container_wait_start(&opts->container, &job_signal_early);
	job_signals_restart(true);
	if (r != 0) {
		kill_first(child_pidfd);
		return r > 0 ? 128 + r : EXIT_SENTRY_ERROR;
	}

	/* ptrace stops the workload and wakes the sentry at every caught call,
	 * and back: on one CPU each is a switch, between two an idle CPU's
	 * wake-up. The workload inherits it, so it sees one CPU, as under
	 * taskset. */
	if (opts->platform == PLATFORM_PTRACE && !opts->no_pin)
		pin_to_one_cpu(sb, child);
	int listener = 0;
	if (write(go[1], "g", 1) != 1 || read(rep[0], &listener, sizeof(listener)) != sizeof(listener)) {
		kill_first(child_pidfd);
		sentry_fatal("the workload died during setup");
	}
	close(go[1]);
	close(rep[0]);
	close(loader_fd);
	if (listener < 0) {
		kill_first(child_pidfd);
		if (opts->platform == PLATFORM_UNOTIFY && listener == -EINVAL)
			sentry_log("this kernel has no seccomp user-notify; run with --platform=ptrace");
		else
			sentry_log("cannot set up the workload: %s", strerror(-listener));
		return EXIT_SENTRY_ERROR;
	}
	/* Only now: a signal stopping the traced child during the handshake
	 * above would wait for a tracer blocked in read. */
	forward_job_signals(child_pidfd);
	pid_t terminal_owner = give_terminal(child);
	arm_timeout(child_pidfd, opts->timeout);
	limits_started(child_pidfd);
	if (opts->platform == PLATFORM_UNOTIFY) {
		r = take_listener(sb, child, listener, !opts->no_pin);
		if (r < 0) {
			kill_first(child_pidfd);
			sentry_log("cannot take the user-notify listener: %s", strerror(-r));
			return EXIT_SENTRY_ERROR;
		}
		serve_unotify(sb);
	} else {
		serve_ptrace(sb);
	}
	disarm_timeout();
	lifecycle_kill_all(sb);
	control_end();
	if (terminal_owner)
		tcsetpgrp(STDIN_FILENO, terminal_owner);
	int status = exit_status_of(sb->init_status);
	if (timed_out) {
		sentry_log("the workload ran out of time (--timeout=%g) and was killed", opts->timeout);
		status = EXIT_TIMEOUT;
	}
	status = limits_finish(status, sb->init_status, timed_out);
	denials_summary();
	/* the workload is gone: nothing can change the workspace any more */
	int results = results_finish(sb->vfs);
	if (opts->stats)
		stats_print(); /* counting the question --ask may have put there */
	if (results < 0)
		return EXIT_SENTRY_ERROR;
	if (!timed_out)
		die_of_job_signal(sb->init_status);
	return status;
}
