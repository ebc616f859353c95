/* sentry-runc: runc's command line, each container's process run inside
 * the sentry found beside this binary. A container is a state folder
 * under --root holding state.json and, until `start`, exec.fifo; its pid
 * is the sentry's, whose exit status is the workload's. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "oci.h"

#define OCI_VERSION "1.0.2"

struct runtime rt = { .root = "/run/sentry-runc" };

static void log_line(const char *level, const char *fmt, va_list ap)
{
	char msg[4096];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (strcmp(level, "debug") != 0 || rt.debug)
		fprintf(stderr, "sentry-runc: %s%s\n", strcmp(level, "warning") == 0 ? "warning: " : "", msg);
	if (!rt.log || (strcmp(level, "debug") == 0 && !rt.debug))
		return;
	int fd = open(rt.log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0644);
	FILE *f = fd >= 0 ? fdopen(fd, "a") : NULL;
	if (!f) {
		if (fd >= 0)
			close(fd);
		return;
	}
	char when[64];
	time_t now = time(NULL);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	if (rt.log_json) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "level", json_object_new_string(strcmp(level, "warning") == 0 ? "warning" : level));
		json_object_object_add(o, "msg", json_object_new_string(msg));
		json_object_object_add(o, "time", json_object_new_string(when));
		fprintf(f, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
		json_object_put(o);
	} else {
		fprintf(f, "time=\"%s\" level=%s msg=\"%s\"\n", when, level, msg);
	}
	fclose(f);
}

void oci_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_line("error", fmt, ap);
	va_end(ap);
}

void oci_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_line("warning", fmt, ap);
	va_end(ap);
}

void oci_debug(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_line("debug", fmt, ap);
	va_end(ap);
}

const char *sentry_path(void)
{
	static char path[PATH_MAX];
	if (!path[0]) {
		char self[PATH_MAX];
		ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		self[n > 0 ? n : 0] = 0;
		snprintf(path, sizeof(path), "%s/sentry", dirname(self));
	}
	return path;
}

bool sentry_has_option(const char *option)
{
	static char help[16384];
	static bool read_once;
	if (!read_once) {
		char command[PATH_MAX + 64];
		snprintf(command, sizeof(command), "'%s' --help 2>/dev/null", sentry_path());
		FILE *p = popen(command, "re");
		size_t n = p ? fread(help, 1, sizeof(help) - 1, p) : 0;
		help[n] = 0;
		if (p)
			pclose(p);
		read_once = true;
	}
	return strstr(help, option) != NULL;
}

/* --- State ---------------------------------------------------------------- */

struct state {
	char id[256];
	char dir[PATH_MAX];
	char bundle[PATH_MAX];
	char rootfs[PATH_MAX];
	char created[64];
	pid_t pid;
	unsigned long long start_time; /* of pid, so that a reused pid is not ours */
	char cgroup[PATH_MAX];         /* the workload's --cgroup, "" for none */
	json_object *annotations;
};

static bool valid_id(const char *id)
{
	return id[0] && strlen(id) < 200 && id[0] != '.' &&
	       strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+-.") == strlen(id);
}

/* Field 22 of /proc/PID/stat: when it started, 0 when it is gone. */
static unsigned long long process_start_time(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	char *p = strrchr(buf, ')');
	if (!p || p[2] == 'Z' || p[2] == 'X') /* a zombie has ended */
		return 0;
	unsigned long long t = 0;
	int field = 2;
	for (p += 1; *p && field < 22; p++)
		if (*p == ' ' && ++field == 22)
			t = strtoull(p + 1, NULL, 10);
	return t;
}

static bool alive(const struct state *s)
{
	return s->pid > 0 && process_start_time(s->pid) == s->start_time;
}

static void state_dir(struct state *s, const char *id)
{
	snprintf(s->id, sizeof(s->id), "%s", id);
	snprintf(s->dir, sizeof(s->dir), "%s/%s", rt.root, id);
}

static pid_t first_workload_process(pid_t sentry);

static struct container_pids pids_of(const struct state *s)
{
	return (struct container_pids){ s->pid, first_workload_process(s->pid) };
}

static const char *status_of(const struct state *s)
{
	if (!alive(s))
		return "stopped";
	struct container_pids p = pids_of(s);
	if (cgroup_paused(&p) == 1)
		return "paused";
	char fifo[PATH_MAX + 16];
	snprintf(fifo, sizeof(fifo), "%s/exec.fifo", s->dir);
	return access(fifo, F_OK) == 0 ? "created" : "running";
}

static int state_load(const char *id, struct state *s)
{
	memset(s, 0, sizeof(*s));
	if (!valid_id(id)) {
		oci_error("invalid container id %s", id);
		return -1;
	}
	state_dir(s, id);
	char path[PATH_MAX + 16];
	snprintf(path, sizeof(path), "%s/state.json", s->dir);
	json_object *o = json_object_from_file(path);
	if (!o) {
		oci_error("container \"%s\" does not exist", id);
		return -1;
	}
	json_object *v;
	if (json_object_object_get_ex(o, "bundle", &v))
		snprintf(s->bundle, sizeof(s->bundle), "%s", json_object_get_string(v));
	if (json_object_object_get_ex(o, "rootfs", &v))
		snprintf(s->rootfs, sizeof(s->rootfs), "%s", json_object_get_string(v));
	if (json_object_object_get_ex(o, "created", &v))
		snprintf(s->created, sizeof(s->created), "%s", json_object_get_string(v));
	if (json_object_object_get_ex(o, "pid", &v))
		s->pid = json_object_get_int(v);
	if (json_object_object_get_ex(o, "start_time", &v))
		s->start_time = (unsigned long long)json_object_get_uint64(v);
	if (json_object_object_get_ex(o, "cgroup", &v))
		snprintf(s->cgroup, sizeof(s->cgroup), "%s", json_object_get_string(v));
	if (json_object_object_get_ex(o, "annotations", &v))
		s->annotations = json_object_get(v);
	json_object_put(o);
	return 0;
}

/* The OCI state: what `state` prints and hooks read on stdin. */
static json_object *state_json(const struct state *s, const char *status)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "ociVersion", json_object_new_string(OCI_VERSION));
	json_object_object_add(o, "id", json_object_new_string(s->id));
	json_object_object_add(o, "pid", json_object_new_int(strcmp(status, "stopped") == 0 ? 0 : s->pid));
	json_object_object_add(o, "status", json_object_new_string(status));
	json_object_object_add(o, "bundle", json_object_new_string(s->bundle));
	json_object_object_add(o, "rootfs", json_object_new_string(s->rootfs));
	json_object_object_add(o, "created", json_object_new_string(s->created));
	json_object_object_add(o, "owner", json_object_new_string(""));
	json_object_object_add(o, "annotations", s->annotations ? json_object_get(s->annotations) : json_object_new_object());
	return o;
}

static int state_save(const struct state *s)
{
	json_object *o = state_json(s, "created");
	json_object_object_add(o, "start_time", json_object_new_uint64(s->start_time));
	if (s->cgroup[0])
		json_object_object_add(o, "cgroup", json_object_new_string(s->cgroup));
	char path[PATH_MAX + 16], tmp[PATH_MAX + 16];
	snprintf(path, sizeof(path), "%s/state.json", s->dir);
	snprintf(tmp, sizeof(tmp), "%s/.state.json", s->dir);
	int r = json_object_to_file_ext(tmp, o, JSON_C_TO_STRING_PLAIN) < 0 || rename(tmp, path) < 0 ? -1 : 0;
	json_object_put(o);
	if (r < 0)
		oci_error("cannot write %s: %s", path, strerror(errno));
	return r;
}

static int write_pid_file(const char *path, pid_t pid)
{
	char tmp[PATH_MAX + 16], resolved[PATH_MAX];
	snprintf(resolved, sizeof(resolved), "%s", path);
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dirname(resolved), basename((char *)path));
	FILE *f = fopen(tmp, "we");
	if (!f || fprintf(f, "%d", pid) < 0 || fclose(f) != 0 || rename(tmp, path) < 0) {
		oci_error("cannot write the pid file %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* The sandbox's control socket: beside the state folders, named by a hash
 * of the id, as a unix socket's path is short (an engine's ids are 64). */
static void control_path(const struct state *s, char *out, size_t size)
{
	unsigned long long h = 14695981039346656037ULL;
	for (const char *c = s->id; *c; c++)
		h = (h ^ (unsigned char)*c) * 1099511628211ULL;
	snprintf(out, size, "%s/c.%016llx", rt.root, h);
}

static void remove_state(const struct state *s)
{
	char control[PATH_MAX + 32];
	control_path(s, control, sizeof(control));
	unlink(control);
	const char *names[] = { "exec.fifo", "state.json", ".state.json", "config.json", "exec.pid", "sentry.log" };
	char path[PATH_MAX + 32];
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", s->dir, names[i]);
		unlink(path);
	}
	rmdir(s->dir);
}

/* --- Commands ----------------------------------------------------------- */

/* "--name value", "--name=value", "-n value": 1 and *value set when argv[*i]
 * is that flag (taking a value when value is non-NULL). */
static int flag(int argc, char **argv, int *i, const char *name, const char *alias, const char **value)
{
	const char *a = argv[*i];
	if (a[0] == '-' && a[1] == '-')
		a++; /* runc takes -flag and --flag alike */
	if (a[0] != '-')
		return 0;
	a++;
	size_t len = strlen(name);
	bool long_match = strncmp(a, name, len) == 0 && (a[len] == 0 || a[len] == '=');
	bool short_match = alias && strcmp(a, alias) == 0;
	if (!long_match && !short_match)
		return 0;
	if (!value)
		return a[len] == 0 || short_match ? 1 : 0;
	if (long_match && a[len] == '=') {
		*value = a + len + 1;
		return 1;
	}
	if (*i + 1 >= argc) {
		oci_error("flag %s needs a value", argv[*i]);
		exit(1);
	}
	*value = argv[++*i];
	return 1;
}

struct create_args {
	const char *bundle, *pid_file, *console_socket;
	int preserve_fds;
	bool detach; /* create, run -d: a session of its own */
};

static int parse_create(int argc, char **argv, struct create_args *c, const char **id, bool run)
{
	const char *v;
	for (int i = 1; i < argc; i++) {
		if (flag(argc, argv, &i, "bundle", "b", &v))
			c->bundle = v;
		else if (flag(argc, argv, &i, "pid-file", NULL, &v))
			c->pid_file = v;
		else if (flag(argc, argv, &i, "console-socket", NULL, &v))
			c->console_socket = v;
		else if (flag(argc, argv, &i, "preserve-fds", NULL, &v))
			c->preserve_fds = atoi(v);
		else if (flag(argc, argv, &i, "no-pivot", NULL, NULL) || flag(argc, argv, &i, "no-new-keyring", NULL, NULL))
			; /* the sandbox has no pivot_root, and no keyring calls */
		else if (run && (flag(argc, argv, &i, "detach", "d", NULL)))
			c->detach = true;
		else if (run && flag(argc, argv, &i, "keep", NULL, NULL))
			;
		else if (argv[i][0] == '-') {
			oci_error("%s: unknown flag %s", argv[0], argv[i]);
			return -1;
		} else if (!*id)
			*id = argv[i];
		else {
			oci_error("%s: unexpected argument %s", argv[0], argv[i]);
			return -1;
		}
	}
	if (!*id) {
		oci_error("%s: a container id is needed", argv[0]);
		return -1;
	}
	if (c->preserve_fds > 0) {
		oci_error("--preserve-fds is not supported: the sandbox passes only stdio");
		return -1;
	}
	return 0;
}

/* In the child, before exec of the sentry: what the sentry and the
 * workload inherit. */
static void apply_process_limits(const struct container_config *cfg)
{
	for (int i = 0; i < cfg->nrlimits; i++) {
		struct rlimit r = { (rlim_t)cfg->rlimits[i].soft, (rlim_t)cfg->rlimits[i].hard };
		if (setrlimit(cfg->rlimits[i].resource, &r) < 0) {
			oci_error("process.rlimits: setrlimit %d to %llu:%llu: %s (this runtime cannot raise a hard limit without CAP_SYS_RESOURCE)",
				  cfg->rlimits[i].resource, cfg->rlimits[i].soft, cfg->rlimits[i].hard, strerror(errno));
			_exit(125);
		}
	}
	if (cfg->has_umask)
		umask(cfg->umask); /* the sentry starts the workload with the umask it has */
	if (cfg->has_oom_score_adj) {
		FILE *f = fopen("/proc/self/oom_score_adj", "we");
		if (!f || fprintf(f, "%d", cfg->oom_score_adj) < 0 || fclose(f) != 0)
			oci_warn("process.oomScoreAdj %d: %s", cfg->oom_score_adj, strerror(errno));
	}
}

/* --root and the folders above it, as runc makes them. */
static int mkdir_parents(const char *path)
{
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "%s", path);
	for (char *slash = strchr(p + 1, '/');; slash = strchr(slash + 1, '/')) {
		if (slash)
			*slash = 0;
		if (mkdir(p, 0711) < 0 && errno != EEXIST)
			return -1;
		if (!slash)
			return 0;
		*slash = '/';
	}
}

/* What the sentry said into path (a missing file says nothing). */
static void copy_file_to_stderr(const char *path)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	char line[1024];
	while (fgets(line, sizeof(line), f))
		fputs(line, stderr);
	fclose(f);
}

/* A network namespace of the container's own, its loopback up as the
 * sandbox's private one would be: 0, or -1 after one line. */
static int new_network_namespace(void)
{
	if (unshare(CLONE_NEWNET) < 0) {
		oci_error("cannot make the container's network namespace: %s", strerror(errno));
		return -1;
	}
	struct ifreq ifr = { .ifr_name = "lo" };
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0) {
		oci_error("the container's loopback: %s", strerror(errno));
		return -1;
	}
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) {
		oci_error("cannot bring the container's loopback up: %s", strerror(errno));
		return -1;
	}
	close(s);
	return 0;
}

/* Starts the sentry held at its start gate. Returns its pid, or -1. */
static pid_t create_container(struct create_args *c, const char *id, struct state *s, struct container_config *cfg)
{
	if (!valid_id(id)) {
		oci_error("invalid container id %s", id);
		return -1;
	}
	state_dir(s, id);
	if (mkdir_parents(rt.root) < 0) {
		oci_error("cannot make --root %s: %s", rt.root, strerror(errno));
		return -1;
	}
	if (!realpath(c->bundle ? c->bundle : ".", s->bundle)) {
		oci_error("bundle %s: %s", c->bundle ? c->bundle : ".", strerror(errno));
		return -1;
	}
	if (config_load(s->bundle, cfg) < 0)
		return -1;
	if (cfg->terminal && !c->console_socket && c->detach) {
		oci_error("process.terminal is true: a detached container needs --console-socket");
		return -1;
	}
	if (!cfg->terminal && c->console_socket) {
		oci_error("--console-socket given but process.terminal is false");
		return -1;
	}
	if (mkdir(s->dir, 0711) < 0) {
		oci_error(errno == EEXIST ? "container \"%s\" exists already" : "cannot make the state folder of %s: %m", id);
		return -1;
	}
	snprintf(s->rootfs, sizeof(s->rootfs), "%s", cfg->rootfs);
	time_t now = time(NULL);
	strftime(s->created, sizeof(s->created), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	json_object *ann;
	s->annotations = json_object_object_get_ex(cfg->json, "annotations", &ann) ? json_object_get(ann) : NULL;
	char fifo[PATH_MAX + 16];
	snprintf(fifo, sizeof(fifo), "%s/exec.fifo", s->dir);
	if (mkfifo(fifo, 0600) < 0) {
		oci_error("cannot make %s: %s", fifo, strerror(errno));
		remove_state(s);
		return -1;
	}
	int ready[2];
	if (pipe2(ready, O_CLOEXEC) < 0) {
		oci_error("pipe: %s", strerror(errno));
		remove_state(s);
		return -1;
	}
	struct argv av = { 0 };
	argv_add(&av, "%s", sentry_path());
	if (rt.platform)
		argv_add(&av, "--platform=%s", rt.platform); /* before the annotation's, which wins */
	for (int i = 0; i < cfg->sentry.n; i++)
		argv_add(&av, "%s", cfg->sentry.v[i]);
	argv_add(&av, "--start-fifo=%s", fifo);
	/* exec reaches the running sandbox through its control socket */
	char control[PATH_MAX + 32];
	control_path(s, control, sizeof(control));
	if (strlen(control) < 84 && sentry_has_option("--control="))
		argv_add(&av, "--control=%s", control);
	else
		oci_debug("no control socket (%s): exec into this container is not possible", control);
	argv_add(&av, "--ready-fd=%d", ready[1]);
	/* With a terminal the workload's stdio is the pty, and create's stdio
	 * may be a pipe the engine reads to its end before it takes the pty
	 * (containerd's shim does): the sentry's own lines go to the --log
	 * file in its format, as ours, where the engine finds them after the
	 * state folder is gone; without --log, to sentry.log in that folder. */
	bool to_runtime_log = c->console_socket && rt.log && sentry_has_option("--log-format=");
	if (c->console_socket) {
		argv_add(&av, "--console-socket=%s", c->console_socket);
		if (cfg->rows || cfg->cols)
			argv_add(&av, "--console-size=%ux%u", cfg->rows, cfg->cols);
	}
	if (to_runtime_log)
		argv_add(&av, "--log-format=%s", rt.log_json ? "json" : "logfmt");
	argv_add(&av, "--");
	json_object *args;
	json_object_object_get_ex(json_object_object_get(cfg->json, "process"), "args", &args);
	for (size_t i = 0; i < json_object_array_length(args); i++)
		argv_add(&av, "%s", json_object_get_string(json_object_array_get_idx(args, i)));
	for (int i = 0; rt.debug && i < av.n; i++)
		oci_debug("sentry argv[%d] %s", i, av.v[i]);
	int log_fd = -1;
	char log[PATH_MAX + 16];
	if (to_runtime_log)
		snprintf(log, sizeof(log), "%s", rt.log);
	else
		snprintf(log, sizeof(log), "%s/sentry.log", s->dir);
	if (c->console_socket &&
	    (log_fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, to_runtime_log ? 0644 : 0600)) < 0) {
		oci_error("cannot make %s: %s", log, strerror(errno));
		remove_state(s);
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		oci_error("fork: %s", strerror(errno));
		remove_state(s);
		return -1;
	}
	if (pid == 0) {
		if (c->detach)
			setsid(); /* runc's detached init: stdio as given, no terminal of ours */
		int null = log_fd >= 0 ? open("/dev/null", O_RDWR | O_CLOEXEC) : -1;
		if (null >= 0 && (dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(log_fd, 2) < 0))
			_exit(125);
		if (cfg->new_netns && new_network_namespace() < 0)
			_exit(125);
		if (cfg->join_netns && join_network_namespace(cfg->join_netns) < 0)
			_exit(125);
		fcntl(ready[1], F_SETFD, 0);
		/* nothing the engine left open (containerd's shim leaves its fd 3)
		 * reaches the sentry: stdio and the ready pipe only */
		close_range(3, (unsigned)ready[1] - 1, 0);
		close_range((unsigned)ready[1] + 1, ~0U, 0);
		apply_process_limits(cfg);
		execv(av.v[0], av.v);
		oci_error("cannot run %s: %s", av.v[0], strerror(errno));
		_exit(125);
	}
	close(ready[1]);
	char byte;
	ssize_t n;
	while ((n = read(ready[0], &byte, 1)) < 0 && errno == EINTR)
		;
	close(ready[0]);
	if (log_fd >= 0)
		close(log_fd);
	if (n != 1) {
		int status = 0;
		waitpid(pid, &status, 0);
		if (!to_runtime_log)
			copy_file_to_stderr(log);
		oci_error("the sandbox did not start (sentry exit status %d; its line %s says why)",
			  WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
			  to_runtime_log ? "in the --log file" : "above");
		remove_state(s);
		return -1;
	}
	s->pid = pid;
	s->start_time = process_start_time(pid);
	for (int i = 0; i < cfg->sentry.n; i++)
		if (strncmp(cfg->sentry.v[i], "--cgroup=", 9) == 0)
			snprintf(s->cgroup, sizeof(s->cgroup), "%s", cfg->sentry.v[i] + 9);
	if (state_save(s) < 0 || (c->pid_file && write_pid_file(c->pid_file, pid) < 0)) {
		kill(pid, SIGKILL);
		remove_state(s);
		return -1;
	}
	json_object *st = state_json(s, "created");
	const char *text = json_object_to_json_string_ext(st, JSON_C_TO_STRING_PLAIN);
	/* the config as created: hooks at delete read it even if the bundle moved */
	char saved[PATH_MAX + 16];
	snprintf(saved, sizeof(saved), "%s/config.json", s->dir);
	json_object_to_file_ext(saved, cfg->json, JSON_C_TO_STRING_PLAIN);
	int r = hooks_run(cfg->json, "prestart", text);
	if (r == 0)
		r = hooks_run(cfg->json, "createRuntime", text);
	json_object_put(st);
	if (r < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		remove_state(s);
		return -1;
	}
	return pid;
}

static int cmd_create(int argc, char **argv)
{
	struct create_args c = { .detach = true };
	const char *id = NULL;
	if (parse_create(argc, argv, &c, &id, false) < 0)
		return 1;
	struct state s = { 0 };
	struct container_config cfg = { 0 };
	return create_container(&c, id, &s, &cfg) < 0 ? 1 : 0;
}

static void run_poststop(const struct state *s)
{
	char path[PATH_MAX + 16];
	snprintf(path, sizeof(path), "%s/config.json", s->dir);
	json_object *config = json_object_from_file(path);
	if (!config)
		return;
	json_object *st = state_json(s, "stopped");
	if (hooks_run(config, "poststop", json_object_to_json_string_ext(st, JSON_C_TO_STRING_PLAIN)) < 0)
		oci_warn("a poststop hook failed; the container is deleted all the same");
	json_object_put(st);
	json_object_put(config);
}

static int start_container(struct state *s)
{
	const char *status = status_of(s);
	if (strcmp(status, "created") != 0) {
		oci_error("cannot start a container that is %s", status);
		return -1;
	}
	char fifo[PATH_MAX + 16];
	snprintf(fifo, sizeof(fifo), "%s/exec.fifo", s->dir);
	int fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		oci_error("cannot open %s: %s", fifo, strerror(errno));
		return -1;
	}
	/* the sentry opens its end once a reader is there, and writes "0" */
	char byte = 0;
	for (int tries = 0; tries < 1000; tries++) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 10) == 1 && read(fd, &byte, 1) == 1)
			break;
		if (!alive(s))
			break;
	}
	close(fd);
	if (byte != '0') {
		oci_error("the container did not start (its sentry %s)", alive(s) ? "did not answer" : "has ended");
		return -1;
	}
	unlink(fifo);
	char path[PATH_MAX + 16];
	snprintf(path, sizeof(path), "%s/config.json", s->dir);
	json_object *config = json_object_from_file(path);
	json_object *st = state_json(s, "running");
	if (config && hooks_run(config, "poststart", json_object_to_json_string_ext(st, JSON_C_TO_STRING_PLAIN)) < 0)
		oci_warn("a poststart hook failed; the container keeps running");
	json_object_put(st);
	if (config)
		json_object_put(config);
	return 0;
}

static const char *only_id(int argc, char **argv)
{
	const char *id = NULL;
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-' || id) {
			oci_error("%s: unexpected argument %s", argv[0], argv[i]);
			return NULL;
		}
		id = argv[i];
	}
	if (!id)
		oci_error("%s: a container id is needed", argv[0]);
	return id;
}

static int cmd_start(int argc, char **argv)
{
	const char *id = only_id(argc, argv);
	struct state s;
	if (!id || state_load(id, &s) < 0)
		return 1;
	return start_container(&s) < 0 ? 1 : 0;
}

static int cmd_state(int argc, char **argv)
{
	const char *id = only_id(argc, argv);
	struct state s;
	if (!id || state_load(id, &s) < 0)
		return 1;
	json_object *o = state_json(&s, status_of(&s));
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY));
	json_object_put(o);
	return 0;
}

static int signal_number(const char *text)
{
	static const struct {
		const char *name;
		int number;
	} names[] = {
		{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT }, { "ILL", SIGILL }, { "TRAP", SIGTRAP },
		{ "ABRT", SIGABRT }, { "BUS", SIGBUS }, { "FPE", SIGFPE }, { "KILL", SIGKILL }, { "USR1", SIGUSR1 },
		{ "SEGV", SIGSEGV }, { "USR2", SIGUSR2 }, { "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM },
		{ "CHLD", SIGCHLD }, { "CONT", SIGCONT }, { "STOP", SIGSTOP }, { "TSTP", SIGTSTP }, { "TTIN", SIGTTIN },
		{ "TTOU", SIGTTOU }, { "URG", SIGURG }, { "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ }, { "VTALRM", SIGVTALRM },
		{ "PROF", SIGPROF }, { "WINCH", SIGWINCH }, { "IO", SIGIO }, { "PWR", SIGPWR }, { "SYS", SIGSYS },
	};
	if (text[0] >= '0' && text[0] <= '9') {
		int n = atoi(text);
		return n > 0 && n < 65 ? n : -1;
	}
	if (strncasecmp(text, "SIG", 3) == 0)
		text += 3;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(text, names[i].name) == 0)
			return names[i].number;
	return -1;
}

/* The workload's first process: the sentry's child. */
static pid_t first_workload_process(pid_t sentry)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", sentry, sentry);
	FILE *f = fopen(path, "re");
	int pid = 0;
	if (f && fscanf(f, "%d", &pid) != 1)
		pid = 0;
	if (f)
		fclose(f);
	return pid;
}

/* SIGKILL ends the sentry, and with it every process of the sandbox; any
 * other signal goes to the workload's first process as the engine meant
 * it, and the sentry exits with the workload's status. A container not
 * yet started has run nothing: it ends. */
static int signal_container(const struct state *s, int sig)
{
	const char *status = status_of(s);
	if (strcmp(status, "stopped") == 0) {
		oci_error("container \"%s\" is not running", s->id);
		return -1;
	}
	pid_t target = s->pid;
	bool paused = strcmp(status, "paused") == 0;
	if (sig != SIGKILL && (strcmp(status, "running") == 0 || paused)) {
		pid_t first = first_workload_process(s->pid);
		if (first > 0)
			target = first;
	} else if (strcmp(status, "created") == 0 && sig != SIGKILL) {
		sig = SIGKILL;
	}
	struct container_pids frozen = pids_of(s);
	if (kill(target, sig) < 0) {
		oci_error("kill %d: %s", target, strerror(errno));
		return -1;
	}
	/* as runc: a frozen task dies of SIGKILL only once thawed (v1); any
	 * other signal waits for resume */
	if (paused && sig == SIGKILL)
		cgroup_freeze(&frozen, s->id, false);
	return 0;
}

static int cmd_kill(int argc, char **argv)
{
	const char *id = NULL, *sig_text = "SIGTERM";
	int positional = 0;
	for (int i = 1; i < argc; i++) {
		if (flag(argc, argv, &i, "all", "a", NULL))
			; /* the sandbox's processes end with it: the same signal */
		else if (argv[i][0] == '-') {
			oci_error("kill: unknown flag %s", argv[i]);
			return 1;
		} else if (positional++ == 0)
			id = argv[i];
		else
			sig_text = argv[i];
	}
	if (!id) {
		oci_error("kill: a container id is needed");
		return 1;
	}
	int sig = signal_number(sig_text);
	if (sig < 0) {
		oci_error("kill: unknown signal %s", sig_text);
		return 1;
	}
	struct state s;
	if (state_load(id, &s) < 0)
		return 1;
	return signal_container(&s, sig) < 0 ? 1 : 0;
}

static void wait_gone(const struct state *s)
{
	for (int i = 0; i < 500 && alive(s); i++)
		usleep(10000);
}

static int cmd_delete(int argc, char **argv)
{
	const char *id = NULL;
	bool force = false;
	for (int i = 1; i < argc; i++) {
		if (flag(argc, argv, &i, "force", "f", NULL))
			force = true;
		else if (argv[i][0] == '-') {
			oci_error("delete: unknown flag %s", argv[i]);
			return 1;
		} else
			id = argv[i];
	}
	if (!id) {
		oci_error("delete: a container id is needed");
		return 1;
	}
	struct state s;
	char path[PATH_MAX + 512];
	snprintf(path, sizeof(path), "%s/%s/state.json", rt.root, id);
	if (force && valid_id(id) && access(path, F_OK) < 0)
		return 0; /* gone already: what --force asks */
	if (state_load(id, &s) < 0)
		return 1;
	const char *status = status_of(&s);
	if ((strcmp(status, "running") == 0 || strcmp(status, "paused") == 0) && !force) {
		oci_error("cannot delete container \"%s\" that is %s; stop it first or use --force", id, status);
		return 1;
	}
	if (strcmp(status, "stopped") != 0) {
		struct container_pids p = pids_of(&s);
		kill(s.pid, SIGKILL);
		if (strcmp(status, "paused") == 0)
			cgroup_freeze(&p, id, false);
		wait_gone(&s);
	}
	/* a killed sentry could not remove the cgroup it made */
	if (s.cgroup[0])
		cgroup_remove(s.cgroup);
	run_poststop(&s);
	/* what the container wrote to its rootfs lived in the sentry's memory
	 * and ended with it: the bundle's rootfs is as it was */
	remove_state(&s);
	return 0;
}

static int cmd_list(int argc, char **argv)
{
	bool json = false, quiet = false;
	const char *v;
	for (int i = 1; i < argc; i++) {
		if (flag(argc, argv, &i, "format", "f", &v))
			json = strcmp(v, "json") == 0;
		else if (flag(argc, argv, &i, "quiet", "q", NULL))
			quiet = true;
		else {
			oci_error("list: unexpected argument %s", argv[i]);
			return 1;
		}
	}
	DIR *d = opendir(rt.root);
	json_object *all = json_object_new_array();
	if (!json && !quiet)
		printf("%-12s %-8s %-10s %-40s %-20s %s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER");
	for (struct dirent *e; d && (e = readdir(d));) {
		struct state s;
		if (e->d_name[0] == '.' || !valid_id(e->d_name))
			continue;
		char path[PATH_MAX + 512];
		snprintf(path, sizeof(path), "%s/%s/state.json", rt.root, e->d_name);
		if (access(path, F_OK) < 0 || state_load(e->d_name, &s) < 0)
			continue;
		const char *status = status_of(&s);
		if (quiet)
			puts(s.id);
		else if (json)
			json_object_array_add(all, state_json(&s, status));
		else
			printf("%-12s %-8d %-10s %-40s %-20s %s\n", s.id, strcmp(status, "stopped") ? s.pid : 0, status,
			       s.bundle, s.created, "root");
	}
	if (d)
		closedir(d);
	if (json)
		puts(json_object_to_json_string_ext(all, JSON_C_TO_STRING_PLAIN));
	json_object_put(all);
	return 0;
}

/* Every process of the sandbox: the sentry and its descendants. */
static void collect_pids(pid_t parent, json_object *out)
{
	char path[384];
	snprintf(path, sizeof(path), "/proc/%d/task", parent);
	DIR *tasks = opendir(path);
	for (struct dirent *t; tasks && (t = readdir(tasks));) {
		if (t->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/children", parent, t->d_name);
		FILE *f = fopen(path, "re");
		int child;
		while (f && fscanf(f, "%d", &child) == 1) {
			json_object_array_add(out, json_object_new_int(child));
			collect_pids(child, out);
		}
		if (f)
			fclose(f);
	}
	if (tasks)
		closedir(tasks);
}

static int cmd_ps(int argc, char **argv)
{
	const char *id = NULL, *v;
	bool json = false;
	for (int i = 1; i < argc; i++) {
		if (flag(argc, argv, &i, "format", "f", &v))
			json = strcmp(v, "json") == 0;
		else if (argv[i][0] == '-' || id) {
			/* runc passes the rest to ps(1); we have no ps options */
			oci_error("ps: only --format json|table is supported, not %s", argv[i]);
			return 1;
		} else
			id = argv[i];
	}
	struct state s;
	if (!id || state_load(id, &s) < 0)
		return 1;
	json_object *pids = json_object_new_array();
	if (alive(&s)) {
		json_object_array_add(pids, json_object_new_int(s.pid));
		collect_pids(s.pid, pids);
	}
	if (json) {
		puts(json_object_to_json_string_ext(pids, JSON_C_TO_STRING_PLAIN));
	} else {
		puts("PID");
		for (size_t i = 0; i < json_object_array_length(pids); i++)
			printf("%d\n", json_object_get_int(json_object_array_get_idx(pids, i)));
	}
	json_object_put(pids);
	return 0;
}

/* The sentry counts the workload's tasks itself: a new limit goes to it
 * through its control socket. */
static int update_pids(const struct state *s, long long limit)
{
	char control[PATH_MAX + 32];
	control_path(s, control, sizeof(control));
	if (access(control, F_OK) < 0) {
		oci_error("update: pids.limit: container \"%s\" has no control socket to reach its sentry", s->id);
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		oci_error("update: fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		char c[PATH_MAX + 48], n[48];
		snprintf(c, sizeof(c), "--control=%s", control);
		snprintf(n, sizeof(n), "--pids-limit=%lld", limit);
		execl(sentry_path(), sentry_path(), "exec", c, n, (char *)NULL);
		_exit(125);
	}
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	oci_error("update: pids.limit %lld: the sentry refused it (its line above says why)", limit);
	return -1;
}

/* exec: another process in the running sandbox, through `sentry exec`,
 * whose exit status is the command's: its pid is the one given back. */
static int cmd_exec(int argc, char **argv)
{
	const char *id = NULL, *process_file = NULL, *pid_file = NULL, *console_socket = NULL, *cwd = NULL, *user = NULL, *v;
	bool detach = false, tty = false;
	struct argv env = { 0 }, args = { 0 };
	int i = 1;
	for (; i < argc && !id; i++) {
		if (flag(argc, argv, &i, "process", "p", &v))
			process_file = v;
		else if (flag(argc, argv, &i, "pid-file", NULL, &v))
			pid_file = v;
		else if (flag(argc, argv, &i, "console-socket", NULL, &v))
			console_socket = v;
		else if (flag(argc, argv, &i, "cwd", NULL, &v))
			cwd = v;
		else if (flag(argc, argv, &i, "env", "e", &v))
			argv_add(&env, "%s", v);
		else if (flag(argc, argv, &i, "user", "u", &v))
			user = v;
		else if (flag(argc, argv, &i, "detach", "d", NULL))
			detach = true;
		else if (flag(argc, argv, &i, "tty", "t", NULL))
			tty = true;
		else if (flag(argc, argv, &i, "no-new-privs", NULL, NULL))
			; /* always so inside */
		else if (flag(argc, argv, &i, "cap", "c", &v) || flag(argc, argv, &i, "additional-gids", "g", &v) ||
			 flag(argc, argv, &i, "process-label", NULL, &v) || flag(argc, argv, &i, "apparmor", NULL, &v)) {
			oci_error("exec: %s is not supported", argv[i - 1]);
			return 1;
		} else if (flag(argc, argv, &i, "preserve-fds", NULL, &v)) {
			if (atoi(v) > 0) {
				oci_error("exec: --preserve-fds is not supported: the sandbox passes only stdio");
				return 1;
			}
		} else if (argv[i][0] == '-') {
			oci_error("exec: unknown flag %s", argv[i]);
			return 1;
		} else
			id = argv[i];
	}
	for (; i < argc; i++)
		argv_add(&args, "%s", argv[i]);
	struct state s;
	if (!id || state_load(id, &s) < 0)
		return 1;
	const char *now = status_of(&s);
	if (strcmp(now, "running") != 0) {
		oci_error("exec: container \"%s\" is not running (%s)", id, now);
		return 1;
	}
	char control[PATH_MAX + 32];
	control_path(&s, control, sizeof(control));
	if (access(control, F_OK) < 0) {
		oci_error("exec: container \"%s\" has no control socket (its sentry has no --control)", id);
		return 1;
	}
	json_object *process = process_file ? json_object_from_file(process_file) : NULL;
	if (process_file && !process) {
		oci_error("exec: cannot read --process %s", process_file);
		return 1;
	}
	json_object *o;
	unsigned rows = 0, cols = 0;
	if (process) {
		tty = json_object_object_get_ex(process, "terminal", &o) && json_object_get_boolean(o);
		json_object *size;
		if (json_object_object_get_ex(process, "consoleSize", &size)) {
			if (json_object_object_get_ex(size, "height", &o))
				rows = (unsigned)json_object_get_int(o);
			if (json_object_object_get_ex(size, "width", &o))
				cols = (unsigned)json_object_get_int(o);
		}
		if (json_object_object_get_ex(process, "cwd", &o))
			cwd = json_object_get_string(o);
		if (json_object_object_get_ex(process, "env", &o))
			for (size_t j = 0; j < json_object_array_length(o); j++)
				argv_add(&env, "%s", json_object_get_string(json_object_array_get_idx(o, j)));
		if (json_object_object_get_ex(process, "args", &o))
			for (size_t j = 0; j < json_object_array_length(o); j++)
				argv_add(&args, "%s", json_object_get_string(json_object_array_get_idx(o, j)));
		json_object *u;
		static char ids[64];
		if (json_object_object_get_ex(process, "user", &u)) {
			json_object *uid = NULL, *gid = NULL;
			json_object_object_get_ex(u, "uid", &uid);
			json_object_object_get_ex(u, "gid", &gid);
			snprintf(ids, sizeof(ids), "%u:%u", (unsigned)json_object_get_int64(uid), (unsigned)json_object_get_int64(gid));
			user = ids;
		}
	}
	if (tty && !console_socket) {
		oci_error("exec: a terminal (--tty, process.terminal) needs --console-socket: the pty's master goes there");
		return 1;
	}
	if (!tty && console_socket) {
		oci_error("exec: --console-socket given but no terminal (--tty, process.terminal) asked for");
		return 1;
	}
	if (args.n == 0) {
		oci_error("exec: no command given");
		return 1;
	}
	char started[PATH_MAX + 16];
	snprintf(started, sizeof(started), "%s/exec.pid", s.dir);
	unlink(started);
	struct argv av = { 0 };
	argv_add(&av, "%s", sentry_path());
	argv_add(&av, "exec");
	argv_add(&av, "--control=%s", control);
	argv_add(&av, "--pid-file=%s", started);
	if (cwd)
		argv_add(&av, "--cwd=%s", cwd);
	if (user)
		argv_add(&av, "--user=%s", user);
	for (int j = 0; j < env.n; j++)
		argv_add(&av, "--env=%s", env.v[j]);
	if (tty) {
		argv_add(&av, "--tty");
		argv_add(&av, "--console-socket=%s", console_socket);
		if (rows || cols)
			argv_add(&av, "--console-size=%ux%u", rows, cols);
	}
	argv_add(&av, "--");
	for (int j = 0; j < args.n; j++)
		argv_add(&av, "%s", args.v[j]);
	if (!detach) {
		close_range(3, ~0U, 0); /* stdio only, as for the sandbox's sentry */
		execv(av.v[0], av.v);
		oci_error("exec: cannot run %s: %s", av.v[0], strerror(errno));
		return 1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		oci_error("exec: fork: %s", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		setsid();
		/* with a terminal, exec's stdio may be a pipe the engine reads to
		 * its end before it takes the pty (containerd's shim does), which
		 * the client, living as long as the command, must not hold */
		int null = console_socket ? open("/dev/null", O_RDWR | O_CLOEXEC) : -1;
		if (null >= 0 && (dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0))
			_exit(125);
		close_range(3, ~0U, 0);
		execv(av.v[0], av.v);
		oci_error("exec: cannot run %s: %s", av.v[0], strerror(errno));
		_exit(125);
	}
	/* returns once the command runs (or could not), as runc's exec -d */
	for (int tries = 0; tries < 1000 && access(started, F_OK) < 0; tries++) {
		int status;
		if (waitpid(pid, &status, WNOHANG) == pid) {
			oci_error("exec: the command did not start (status %d)",
				  WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
			return 1;
		}
		usleep(10000);
	}
	unlink(started);
	return pid_file && write_pid_file(pid_file, pid) < 0 ? 1 : 0;
}

/* pause, resume: the cgroup freezer (v1 freezer.state, v2 cgroup.freeze)
 * of the container's own cgroup, which the sentry is not in. */
static int cmd_pause(int argc, char **argv, bool freeze)
{
	const char *id = only_id(argc, argv);
	struct state s;
	if (!id || state_load(id, &s) < 0)
		return 1;
	const char *status = status_of(&s);
	if (strcmp(status, freeze ? "running" : "paused") != 0) {
		oci_error("container \"%s\" is %s, not %s", id, status, freeze ? "running" : "paused");
		return 1;
	}
	struct container_pids p = pids_of(&s);
	return cgroup_freeze(&p, id, freeze) < 0 ? 1 : 0;
}

/* runc's sizes: 64m, 1g, 512k, bytes; -1 for no limit. */
static bool parse_bytes(const char *text, long long *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(text, &end, 10);
	if (errno || end == text)
		return false;
	static const char units[] = "kmgt";
	const char *u = *end ? strchr(units, (char)(*end | 0x20)) : NULL;
	if (*end && !u)
		return false;
	if (u) {
		for (long i = 0; i <= u - units; i++)
			v *= 1024;
		end++;
		if ((*end | 0x20) == 'b')
			end++;
	}
	*out = v;
	return *end == 0 && v >= -1;
}

/* update: linux.resources from --resources FILE (- for stdin) and runc's
 * flags, which win. Memory and cpu go to the container's cgroups, pids to
 * the sentry, which counts them (--pids-limit is the sentry's own count:
 * the cgroup's pids.max was never set). */
static int cmd_update(int argc, char **argv)
{
	static const struct {
		const char *flag, *section, *key;
		bool size, text;
	} flags[] = {
		{ "memory", "memory", "limit", true, false },
		{ "memory-swap", "memory", "swap", true, false },
		{ "memory-reservation", "memory", "reservation", true, false },
		{ "kernel-memory", "memory", "kernel", true, false },
		{ "kernel-memory-tcp", "memory", "kernelTCP", true, false },
		{ "cpu-share", "cpu", "shares", false, false },
		{ "cpu-quota", "cpu", "quota", false, false },
		{ "cpu-period", "cpu", "period", false, false },
		{ "cpu-burst", "cpu", "burst", false, false },
		{ "cpu-rt-period", "cpu", "realtimePeriod", false, false },
		{ "cpu-rt-runtime", "cpu", "realtimeRuntime", false, false },
		{ "cpu-idle", "cpu", "idle", false, false },
		{ "cpuset-cpus", "cpu", "cpus", false, true },
		{ "cpuset-mems", "cpu", "mems", false, true },
		{ "pids-limit", "pids", "limit", false, false },
		{ "blkio-weight", "blockIO", "weight", false, false },
		{ "l3-cache-schema", "intelRdt", "l3CacheSchema", false, true },
		{ "mem-bw-schema", "intelRdt", "memBwSchema", false, true },
	};
	const char *id = NULL, *file = NULL, *v;
	json_object *given = json_object_new_object();
	for (int i = 1; i < argc; i++) {
		size_t f = 0;
		while (f < sizeof(flags) / sizeof(flags[0]) && !flag(argc, argv, &i, flags[f].flag, NULL, &v))
			f++;
		if (f < sizeof(flags) / sizeof(flags[0])) {
			long long n = 0;
			char *end = NULL;
			bool ok = flags[f].text || (flags[f].size ? parse_bytes(v, &n) : (n = strtoll(v, &end, 10), *v && !*end));
			if (!ok) {
				oci_error("update: --%s takes %s, not %s", flags[f].flag, flags[f].size ? "a size (64m, 1g, -1)" : "a number", v);
				json_object_put(given);
				return 1;
			}
			json_object *section;
			if (!json_object_object_get_ex(given, flags[f].section, &section)) {
				section = json_object_new_object();
				json_object_object_add(given, flags[f].section, section);
			}
			json_object_object_add(section, flags[f].key, flags[f].text ? json_object_new_string(v) : json_object_new_int64(n));
		} else if (flag(argc, argv, &i, "resources", "r", &v)) {
			file = v;
		} else if (argv[i][0] == '-' || id) {
			oci_error("update: unexpected argument %s", argv[i]);
			json_object_put(given);
			return 1;
		} else {
			id = argv[i];
		}
	}
	struct state s;
	if (!id || state_load(id, &s) < 0) {
		if (!id)
			oci_error("update: a container id is needed");
		json_object_put(given);
		return 1;
	}
	json_object *res = !file ? json_object_new_object()
				 : strcmp(file, "-") == 0 ? json_object_from_fd(STDIN_FILENO) : json_object_from_file(file);
	if (!res || !json_object_is_type(res, json_type_object)) {
		oci_error("update: --resources %s: not a JSON object (%s)", file, json_util_get_last_err() ? json_util_get_last_err() : "");
		json_object_put(given);
		return 1;
	}
	json_object_object_foreach(given, section, fields)
	{
		json_object *into;
		if (!json_object_object_get_ex(res, section, &into) || !json_object_is_type(into, json_type_object)) {
			into = json_object_new_object();
			json_object_object_add(res, section, into);
		}
		json_object_object_foreach(fields, key, value)
			json_object_object_add(into, key, json_object_get(value));
	}
	json_object_put(given);
	const char *status = status_of(&s);
	int r = 0;
	if (strcmp(status, "running") != 0 && strcmp(status, "paused") != 0 && strcmp(status, "created") != 0) {
		oci_error("update: container \"%s\" is %s", id, status);
		r = -1;
	}
	struct container_pids p = pids_of(&s);
	json_object *pids = NULL, *limit = NULL;
	if (!r)
		r = cgroup_update(&p, res, true);
	if (!r && json_object_object_get_ex(res, "pids", &pids) && json_object_object_get_ex(pids, "limit", &limit) &&
	    json_object_get_int64(limit) != 0)
		r = update_pids(&s, json_object_get_int64(limit));
	if (!r)
		r = cgroup_update(&p, res, false);
	json_object_put(res);
	return r < 0 ? 1 : 0;
}

/* run: create, start and wait, in the foreground unless --detach. */
static pid_t run_child;
static void forward_signal(int sig)
{
	if (run_child > 0)
		kill(run_child, sig);
}

static int cmd_run(int argc, char **argv)
{
	struct create_args c = { 0 };
	const char *id = NULL;
	if (parse_create(argc, argv, &c, &id, true) < 0)
		return 1;
	struct state s = { 0 };
	struct container_config cfg = { 0 };
	pid_t pid = create_container(&c, id, &s, &cfg);
	if (pid < 0)
		return 1;
	if (!c.detach) {
		run_child = pid;
		int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };
		for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
			signal(sigs[i], forward_signal);
	}
	if (start_container(&s) < 0) {
		kill(pid, SIGKILL);
		remove_state(&s);
		return 1;
	}
	if (c.detach)
		return 0;
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	run_poststop(&s);
	remove_state(&s);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int cmd_features(void)
{
	static const char *const features =
		"{\"ociVersionMin\":\"1.0.0\",\"ociVersionMax\":\"" OCI_VERSION "\","
		"\"hooks\":[\"prestart\",\"createRuntime\",\"poststart\",\"poststop\"],"
		"\"mountOptions\":[\"bind\",\"rbind\",\"ro\",\"rw\"],"
		"\"linux\":{\"namespaces\":[\"network\",\"pid\",\"ipc\",\"uts\",\"mount\",\"cgroup\"],"
		"\"capabilities\":[\"CAP_CHOWN\",\"CAP_DAC_OVERRIDE\",\"CAP_DAC_READ_SEARCH\",\"CAP_FOWNER\",\"CAP_FSETID\","
		"\"CAP_KILL\",\"CAP_SETGID\",\"CAP_SETUID\",\"CAP_SETPCAP\",\"CAP_NET_BIND_SERVICE\",\"CAP_NET_RAW\","
		"\"CAP_SYS_CHROOT\",\"CAP_MKNOD\",\"CAP_AUDIT_WRITE\",\"CAP_SETFCAP\"],"
		"\"cgroup\":{\"v1\":true,\"v2\":true,\"systemd\":false},"
		"\"seccomp\":{\"enabled\":false},\"apparmor\":{\"enabled\":false},\"selinux\":{\"enabled\":false}},"
		"\"annotations\":{\"dev.sentry.allow-net\":\"HOST:PORT,...\",\"dev.sentry.platform\":\"unotify|ptrace\","
		"\"dev.sentry.audit\":\"FILE\",\"dev.sentry.memory-limit\":\"SIZE\"}}";
	json_object *o = json_tokener_parse(features);
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY));
	json_object_put(o);
	return 0;
}

static const char usage[] =
	"usage: sentry-runc [global flags] COMMAND [flags] [CONTAINER_ID]\n"
	"An OCI runtime: each container's process runs inside the sentry, with the\n"
	"bundle's rootfs as a read-only image under an in-memory layer.\n"
	"\n"
	"Commands: create (--bundle, --pid-file, --console-socket), start, run\n"
	"(--detach), exec (--process, --detach, --pid-file, --cwd, --env, --user,\n"
	"--tty, --console-socket), state, kill [--all] ID [SIGNAL], delete [--force],\n"
	"pause, resume, update (--resources FILE|-, --memory, --memory-swap,\n"
	"--memory-reservation, --cpu-share, --cpu-quota, --cpu-period, --cpuset-cpus,\n"
	"--cpuset-mems, --pids-limit), list [--format json], ps [--format json],\n"
	"features, spec.\n"
	"Global flags: --root DIR (default /run/sentry-runc; rootless,\n"
	"$XDG_RUNTIME_DIR/sentry-runc), --log FILE,\n"
	"--log-format text|json, --systemd-cgroup, --debug, --platform unotify|ptrace\n"
	"(the sentry's platform for every container; an annotation\n"
	"dev.sentry.platform wins), --version, --help.\n";

/* spec: a config.json to start from, as `runc spec` writes. */
static int cmd_spec(int argc, char **argv)
{
	const char *bundle = ".", *v;
	for (int i = 1; i < argc; i++)
		if (flag(argc, argv, &i, "bundle", "b", &v))
			bundle = v;
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/config.json", bundle);
	if (access(path, F_OK) == 0) {
		oci_error("spec: %s exists already", path);
		return 1;
	}
	static const char *const spec =
		"{\"ociVersion\":\"" OCI_VERSION "\",\"process\":{\"terminal\":true,\"user\":{\"uid\":0,\"gid\":0},"
		"\"args\":[\"sh\"],\"env\":[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\","
		"\"TERM=xterm\"],\"cwd\":\"/\",\"noNewPrivileges\":true},"
		"\"root\":{\"path\":\"rootfs\",\"readonly\":false},\"hostname\":\"sentry\","
		"\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"
		"{\"destination\":\"/dev\",\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"options\":[\"nosuid\",\"strictatime\",\"mode=755\",\"size=65536k\"]},"
		"{\"destination\":\"/dev/pts\",\"type\":\"devpts\",\"source\":\"devpts\"}],"
		"\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},{\"type\":\"mount\"}]}}";
	json_object *o = json_tokener_parse(spec);
	int r = json_object_to_file_ext(path, o, JSON_C_TO_STRING_PRETTY);
	json_object_put(o);
	if (r < 0) {
		oci_error("spec: cannot write %s", path);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int i = 1;
	const char *v;
	if (rootless_state_root())
		rt.root = rootless_state_root();
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (flag(argc, argv, &i, "root", NULL, &v))
			rt.root = v;
		else if (flag(argc, argv, &i, "log", NULL, &v))
			rt.log = v;
		else if (flag(argc, argv, &i, "log-format", NULL, &v)) {
			if (strcmp(v, "json") != 0 && strcmp(v, "text") != 0) {
				oci_error("--log-format takes text or json, not %s", v);
				return 1;
			}
			rt.log_json = strcmp(v, "json") == 0;
		} else if (flag(argc, argv, &i, "systemd-cgroup", NULL, NULL))
			rt.systemd_cgroup = true;
		else if (flag(argc, argv, &i, "debug", NULL, NULL))
			rt.debug = true;
		else if (flag(argc, argv, &i, "platform", NULL, &v)) {
			if (strcmp(v, "unotify") != 0 && strcmp(v, "ptrace") != 0) {
				oci_error("--platform takes unotify or ptrace, not %s", v);
				return 1;
			}
			rt.platform = v;
		}
		else if (flag(argc, argv, &i, "rootless", NULL, &v) || flag(argc, argv, &i, "criu", NULL, &v))
			; /* no user namespace of ours, no checkpoints */
		else if (flag(argc, argv, &i, "version", "v", NULL)) {
			printf("sentry-runc version %s\nspec: %s\nsentry: %s\n", SENTRY_VERSION, OCI_VERSION, sentry_path());
			return 0;
		} else if (flag(argc, argv, &i, "help", "h", NULL)) {
			fputs(usage, stdout);
			return 0;
		} else {
			oci_error("unknown global flag %s", argv[i]);
			return 1;
		}
	}
	if (i >= argc) {
		fputs(usage, stderr);
		return 1;
	}
	const char *command = argv[i];
	argc -= i;
	argv += i;
	if (rt.systemd_cgroup)
		oci_debug("--systemd-cgroup: cgroupsPath is used as a path below each hierarchy's root");
	if (strcmp(command, "create") == 0)
		return cmd_create(argc, argv);
	if (strcmp(command, "start") == 0)
		return cmd_start(argc, argv);
	if (strcmp(command, "run") == 0)
		return cmd_run(argc, argv);
	if (strcmp(command, "state") == 0)
		return cmd_state(argc, argv);
	if (strcmp(command, "kill") == 0)
		return cmd_kill(argc, argv);
	if (strcmp(command, "delete") == 0)
		return cmd_delete(argc, argv);
	if (strcmp(command, "list") == 0)
		return cmd_list(argc, argv);
	if (strcmp(command, "ps") == 0)
		return cmd_ps(argc, argv);
	if (strcmp(command, "features") == 0)
		return cmd_features();
	if (strcmp(command, "spec") == 0)
		return cmd_spec(argc, argv);
	if (strcmp(command, "exec") == 0)
		return cmd_exec(argc, argv);
	if (strcmp(command, "pause") == 0 || strcmp(command, "resume") == 0)
		return cmd_pause(argc, argv, strcmp(command, "pause") == 0);
	if (strcmp(command, "update") == 0)
		return cmd_update(argc, argv);
	if (strcmp(command, "checkpoint") == 0 || strcmp(command, "restore") == 0 || strcmp(command, "events") == 0) {
		oci_error("%s is not supported by this runtime yet", command);
		return 1;
	}
	oci_error("unknown command %s; see sentry-runc --help", command);
	return 1;
}
