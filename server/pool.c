/* Warm sandboxes: sentries started ahead of the requests, with the limits
 * a run gets when it asks for none of its own, each in the pids cgroup it
 * will run in, its file system built (the image, shown in place) and its
 * filter installed. Its first process only waits (`sleep infinity`); its
 * workspace is a job folder that stays empty until a run takes it. The
 * run writes its files there (the sentry reads a workspace folder only
 * when the workload first looks in it), sends its command through the
 * control socket with its stdio (what `sentry exec` does), and the
 * sandbox ends with that command, as a sandbox ends with its first
 * process: one run each, never reused. A thread starts the next one.
 * A run with tighter limits of its own (memory, CPU time, the file store
 * a memory limit stands for without --process-memory) takes one too:
 * they are lowered through the control socket before its command starts.
 * A run asking more, or a compile step (it writes back into the folder),
 * starts its sandbox from nothing. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "limits/cgroup.h"
#include "server.h"

/* The sentry's words (sentry/control.h): one message of NUL-ended
 * strings, the kind first. */
#define CONTROL_MAX_MESSAGE 131072

/* Waiting longer than this for a new sandbox's setup means it is stuck. */
#define READY_SECONDS 20
/* How long an ended run waits for its sandbox's report. */
#define REPORT_MS 2500

extern char **environ;

static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t filler;
	bool running, stopping;
	int size, nready;
	int finishing; /* sandboxes still ending after their run */
	int cpus;
	struct warm *ready;
	struct stage_request shape; /* the limits every warm sandbox has */
} pool = { .lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER };

static atomic_ulong warm_counter;
static void warm_discard(struct warm *w);

/* The run step of a request that asks for no limit of its own, as
 * execute.c's step makes it. */
static void default_shape(struct stage_request *r)
{
	const struct serve_limits *max = &serve_cfg.max;
	const struct sentry_features *has = &serve_cfg.has;
	long long memory = max->process_memory ? max->process_memory : max->file_store;
	r->timeout = max->run_timeout;
	r->cpu_time = max->cpu_time;
	r->file_store = max->process_memory || !has->process_memory ? max->file_store : memory;
	if (!has->process_memory && memory < r->file_store)
		r->file_store = memory;
	r->process_memory = has->process_memory ? memory : 0;
	r->processes = max->processes;
	r->open_files = max->open_files;
	r->output = max->output;
}

/* A run's limit against the shape's: the same, or lower than one the
 * sandbox has (0 is none, and a sandbox without one gets none later). */
static bool at_or_below(double run, double shape)
{
	return run == shape || (shape > 0 && run > 0 && run < shape);
}

/* A run a warm sandbox can serve: its limits at or below the shape's, each
 * as the sentry gets it (stage_sentry_argv); never a compile step. Without
 * --pids-limit the pids cgroup made for the shape is the task limit. */
static bool fits_shape(const struct stage_request *r, const struct stage_request *s)
{
	const struct sentry_features *has = &serve_cfg.has;
	return !r->write_back && !r->client_argv && at_or_below((double)r->file_store, (double)s->file_store) &&
	       (!has->cpu_time || at_or_below(r->cpu_time, s->cpu_time)) &&
	       (!has->process_memory || at_or_below((double)r->process_memory, (double)s->process_memory)) &&
	       (has->pids_limit ? at_or_below(r->processes, s->processes) : r->processes == s->processes) &&
	       (!has->open_files || at_or_below(r->open_files, s->open_files));
}

struct warm_start {
	int procs; /* the pids cgroup's cgroup.procs, or -1 */
	pid_t server;
	int null, log, ready;
	char **argv;
	bool yielding; /* starts at STARTING_NICE */
};

/* A sandbox being started ahead yields the CPU to the runs going (its
 * setup is not on any request's path); once ready, every task of it is
 * back at nice 0, which only a privileged server may set. */
#define STARTING_NICE 10

static int start_waiting(void *arg)
{
	const struct warm_start *s = arg;
	if (s->procs >= 0 && write(s->procs, "0", 1) != 1)
		_exit(125);
	/* A server that dies (or stops starting sandboxes) ends the ones
	 * it kept waiting: SIGTERM ends a sandbox as its first process's
	 * end does. It comes when this thread ends, which is then. */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != s->server)
		_exit(125);
	if (s->yielding && setpriority(PRIO_PROCESS, 0, STARTING_NICE) < 0)
		_exit(125);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	setsid();
	dup2(s->null, 0);
	dup2(s->null, 1);
	dup2(s->log, 2);
	if (s->ready == 3)
		fcntl(3, F_SETFD, 0);
	else
		dup2(s->ready, 3);
	execv(s->argv[0], s->argv);
	_exit(125);
}

/* Every task in the pids cgroup at path and below (its sentry and the
 * sentry's threads; the waiting first process and the spawner, in the
 * folder the sentry made for its workload) back at nice 0. False if one
 * is not: the sandbox must not serve a run then. */
static bool stop_yielding(const char *path, int depth)
{
	char file[4200];
	snprintf(file, sizeof(file), "%s/%s", path, serve_cfg.cgroup_v2 ? "cgroup.threads" : "tasks");
	FILE *f = fopen(file, "re");
	bool ok = f != NULL;
	int tid;
	while (ok && fscanf(f, "%d", &tid) == 1)
		ok = setpriority(PRIO_PROCESS, (id_t)tid, 0) == 0 || errno == ESRCH;
	if (f)
		fclose(f);
	DIR *dir = ok ? opendir(path) : NULL;
	struct dirent *e;
	while (dir && ok && (e = readdir(dir))) {
		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
		ok = depth < 4 && stop_yielding(file, depth + 1);
	}
	if (dir)
		closedir(dir);
	return ok;
}

/* Starts one warm sandbox and waits until its setup is done (the sentry
 * says so on --ready-fd). NULL after a log line. */
static struct warm *warm_start(void)
{
	struct warm *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->report_watch = -1;
	unsigned long n = atomic_fetch_add(&warm_counter, 1);
	snprintf(w->dir, sizeof(w->dir), "%s/job.XXXXXX", serve_cfg.scratch);
	if (snprintf(w->control, sizeof(w->control), "%s/warm.%lu.sock", serve_cfg.scratch, n) >= (int)sizeof(w->control)) {
		free(w); /* TMPDIR too deep for a socket's path */
		return NULL;
	}
	snprintf(w->report, sizeof(w->report), "%s/warm.%lu.json", serve_cfg.scratch, n);
	if (!mkdtemp(w->dir)) {
		free(w);
		return NULL;
	}
	char *wait_argv[] = { "/bin/sleep", "infinity", NULL };
	struct stage_request shape = pool.shape;
	shape.workspace = w->dir;
	shape.argv = wait_argv;
	char **argv = stage_sentry_argv(&shape, w->report, w->control, w->limits, sizeof(w->limits));
	w->cgroup = stage_cgroup_make(shape.processes);
	if (w->cgroup && strlen(w->limits) + 40 < sizeof(w->limits))
		snprintf(w->limits + strlen(w->limits), sizeof(w->limits) - strlen(w->limits),
			 ", %d processes (pids cgroup)", shape.processes);
	int procs = -1, ready[2] = { -1, -1 };
	if (w->cgroup) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/cgroup.procs", w->cgroup);
		procs = open(path, O_WRONLY | O_CLOEXEC);
	}
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	/* in memory: no file made and removed per sandbox (a new inode on
	 * an ext4 without a journal, whose /tmp churns, cost about 1 ms) */
	int log = w->log = memfd_create("sentry-serve-log", MFD_CLOEXEC);
	w->pid = -1;
	if (argv && null >= 0 && log >= 0 && pipe2(ready, O_CLOEXEC) == 0) {
		struct warm_start s = { procs, getpid(), null, log, ready[1], argv, procs >= 0 && geteuid() == 0 };
		w->sentry = w->pid = stage_spawn(start_waiting, &s);
	}
	stage_free_argv(argv);
	if (procs >= 0)
		close(procs);
	if (null >= 0)
		close(null);
	if (ready[1] >= 0)
		close(ready[1]);
	char byte = 0;
	if (w->pid > 0) {
		struct pollfd p = { ready[0], POLLIN, 0 };
		if (poll(&p, 1, READY_SECONDS * 1000) != 1 || read(ready[0], &byte, 1) != 1)
			byte = 0;
	}
	if (ready[0] >= 0)
		close(ready[0]);
	if (byte == 'r' && procs >= 0 && geteuid() == 0 && !stop_yielding(w->cgroup, 0)) {
		json_object *fields = json_object_new_object();
		json_object_object_add(fields, "why", json_object_new_string("cannot set its tasks back to nice 0"));
		serve_log("warm_failed", fields);
		warm_discard(w);
		return NULL;
	}
	if (byte != 'r') {
		char why[256] = "";
		ssize_t got = log >= 0 ? pread(log, why, sizeof(why) - 1, 0) : -1;
		why[got > 0 ? got : 0] = 0;
		why[strcspn(why, "\n")] = 0;
		json_object *fields = json_object_new_object();
		json_object_object_add(fields, "why", json_object_new_string(why[0] ? why : strerror(errno)));
		serve_log("warm_failed", fields);
		warm_discard(w);
		return NULL;
	}
	return w;
}

static void *filler(void *unused)
{
	(void)unused;
	int failures = 0;
	pthread_mutex_lock(&pool.lock);
	while (!pool.stopping) {
		if (pool.nready >= pool.size) {
			pthread_cond_wait(&pool.wake, &pool.lock);
			continue;
		}
		if (admit_queued() > 0 || admit_running() >= pool.cpus) {
			/* as many runs as CPUs, or requests waiting: a warm sandbox
			 * started now would cost more work than one started for
			 * its run, and take a CPU from the runs; admission wakes
			 * us when that changes (pool_load_changed) */
			pthread_cond_wait(&pool.wake, &pool.lock);
			continue;
		}
		pthread_mutex_unlock(&pool.lock);
		struct warm *w = warm_start();
		pthread_mutex_lock(&pool.lock);
		if (!w) {
			/* back off: a sentry that cannot start now will not in a moment either */
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += failures < 5 ? 1 << failures++ : 30;
			pthread_cond_timedwait(&pool.wake, &pool.lock, &until);
			continue;
		}
		failures = 0;
		if (pool.stopping) {
			pthread_mutex_unlock(&pool.lock);
			warm_discard(w);
			pthread_mutex_lock(&pool.lock);
			break;
		}
		w->next = pool.ready;
		pool.ready = w;
		pool.nready++;
	}
	pthread_mutex_unlock(&pool.lock);
	return NULL;
}

int pool_start(int size)
{
	default_shape(&pool.shape);
	pool.size = size;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	pool.cpus = cpus > 0 ? (int)cpus : 1;
	if (size <= 0)
		return 0;
	if (pthread_create(&pool.filler, NULL, filler, NULL) != 0)
		return -1;
	pool.running = true;
	return 0;
}

void pool_load_changed(void)
{
	if (!pool.running)
		return;
	pthread_mutex_lock(&pool.lock);
	pthread_cond_broadcast(&pool.wake);
	pthread_mutex_unlock(&pool.lock);
}

int pool_ready(void)
{
	pthread_mutex_lock(&pool.lock);
	int n = pool.nready;
	pthread_mutex_unlock(&pool.lock);
	return n;
}

/* The sentry's answer to a request without fds: true for "done". */
static bool control_request(const char *path, const char *words, size_t len, char *error, size_t error_size)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	memcpy(addr.sun_path, path, sizeof(addr.sun_path));
	char answer[1024] = "";
	ssize_t n = -1;
	int sock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (sock >= 0 && connect(sock, (struct sockaddr *)&addr, sizeof(addr)) == 0 &&
	    send(sock, words, len, MSG_NOSIGNAL) == (ssize_t)len) {
		struct pollfd p = { sock, POLLIN, 0 };
		if (poll(&p, 1, READY_SECONDS * 1000) == 1)
			n = recv(sock, answer, sizeof(answer) - 1, 0);
	}
	int err = errno;
	if (sock >= 0)
		close(sock);
	if (n > 0 && strcmp(answer, "done") == 0)
		return true;
	if (n > 0 && strcmp(answer, "error") == 0)
		snprintf(error, error_size, "%.500s", answer + 6);
	else
		snprintf(error, error_size, "%s", n == 0 ? "no answer" : n > 0 ? "an unknown answer" : strerror(err));
	return false;
}

/* Lowers the taken sandbox's limits to the run's where they are tighter,
 * and says in w->limits what then applies, as a cold run's line would.
 * False after a log line: the sandbox cannot serve the run. */
static bool lower_limits(struct warm *w, const struct stage_request *req)
{
	const struct stage_request *shape = &pool.shape;
	const struct sentry_features *has = &serve_cfg.has;
	char words[256];
	int len = snprintf(words, sizeof(words), "limits") + 1;
	if (has->cpu_time && req->cpu_time != shape->cpu_time)
		len += snprintf(words + len, sizeof(words) - len, "cpu=%.3f", req->cpu_time) + 1;
	if (has->process_memory && req->process_memory != shape->process_memory)
		len += snprintf(words + len, sizeof(words) - len, "memory=%lld", req->process_memory) + 1;
	if (has->pids_limit && req->processes != shape->processes)
		len += snprintf(words + len, sizeof(words) - len, "pids=%d", req->processes) + 1;
	if (has->open_files && req->open_files != shape->open_files)
		len += snprintf(words + len, sizeof(words) - len, "files=%d", req->open_files) + 1;
	if (req->file_store != shape->file_store)
		len += snprintf(words + len, sizeof(words) - len, "store=%lld", req->file_store) + 1;
	if (len == (int)strlen("limits") + 1)
		return true; /* the shape's own limits */
	char why[512];
	if (w->cgroup && req->processes != shape->processes &&
	    stage_cgroup_set_processes(w->cgroup, req->processes) < 0)
		snprintf(why, sizeof(why), "cannot lower the pids cgroup's limit: %s", strerror(errno));
	else if (control_request(w->control, words, (size_t)len, why, sizeof(why)))
		why[0] = 0;
	if (why[0]) {
		json_object *fields = json_object_new_object();
		json_object_object_add(fields, "why", json_object_new_string(why));
		serve_log("warm_refused", fields);
		return false;
	}
	struct stage_request run = *req;
	char *none[] = { NULL };
	run.workspace = w->dir;
	run.argv = none;
	stage_free_argv(stage_sentry_argv(&run, w->report, w->control, w->limits, sizeof(w->limits)));
	if (w->cgroup && strlen(w->limits) + 40 < sizeof(w->limits))
		snprintf(w->limits + strlen(w->limits), sizeof(w->limits) - strlen(w->limits),
			 ", %d processes (pids cgroup)", req->processes);
	return true;
}

struct warm *pool_take(const struct stage_request *req)
{
	if (!pool.running || !fits_shape(req, &pool.shape))
		return NULL;
	for (;;) {
		pthread_mutex_lock(&pool.lock);
		struct warm *w = pool.ready;
		if (w) {
			pool.ready = w->next;
			pool.nready--;
			pthread_cond_signal(&pool.wake);
		}
		pthread_mutex_unlock(&pool.lock);
		if (!w)
			return NULL;
		int status;
		if (waitpid(w->pid, &status, WNOHANG) == 0) {
			if (lower_limits(w, req))
				return w;
			warm_discard(w); /* the run goes cold */
			return NULL;
		}
		/* it died waiting: the next one */
		w->pid = -1;
		warm_discard(w);
	}
}

static bool add_word(char *buf, size_t *len, const char *key, const char *value)
{
	size_t n = strlen(key) + strlen(value) + 1;
	if (*len + n > CONTROL_MAX_MESSAGE)
		return false;
	memcpy(buf + *len, key, strlen(key));
	memcpy(buf + *len + strlen(key), value, strlen(value) + 1);
	*len += n;
	return true;
}

/* The environment a sandbox gives its first process, from the server's
 * (sentry/sandbox.c); the sentry adds PATH and HOME to an exec'd one. */
static bool kept_variable(const char *e)
{
	static const char *const kept[] = { "LANG", "TERM", "TZ", "USER", "LOGNAME", "COLORTERM", NULL };
	size_t len = strcspn(e, "=");
	bool keep = strncmp(e, "LC_", 3) == 0;
	for (int i = 0; kept[i] && !keep; i++)
		keep = strlen(kept[i]) == len && strncmp(e, kept[i], len) == 0;
	return keep;
}

int pool_exec(struct warm *w, char **argv, int in, int out, int err)
{
	char *buf = malloc(CONTROL_MAX_MESSAGE);
	size_t len = 0;
	bool ok = buf && add_word(buf, &len, "exec", "") && add_word(buf, &len, "cwd=", w->dir);
	for (char **e = environ; ok && *e; e++)
		if (kept_variable(*e))
			ok = add_word(buf, &len, "env=", *e);
	for (size_t i = 0; ok && argv[i]; i++)
		ok = add_word(buf, &len, "arg=", argv[i]);
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	memcpy(addr.sun_path, w->control, sizeof(addr.sun_path));
	int sock = ok ? socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0) : -1;
	if (sock >= 0 && connect(sock, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		close(sock);
		sock = -1;
	}
	if (sock >= 0) {
		int fds[3] = { in, out, err };
		union {
			char buf[CMSG_SPACE(sizeof(fds))];
			struct cmsghdr align;
		} cmsg;
		memset(&cmsg, 0, sizeof(cmsg));
		struct iovec iov = { buf, len };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cmsg.buf,
				      .msg_controllen = sizeof(cmsg.buf) };
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(fds));
		memcpy(CMSG_DATA(c), fds, sizeof(fds));
		if (sendmsg(sock, &msg, MSG_NOSIGNAL) < 0) {
			close(sock);
			sock = -1;
		}
	}
	free(buf);
	return sock;
}

/* The last line of the sentry's own stderr that says a limit ended the
 * workload, without "sentry: ". */
static char *limit_line(int log)
{
	struct stat st;
	if (log < 0 || fstat(log, &st) < 0 || st.st_size <= 0)
		return NULL;
	size_t size = (size_t)st.st_size < 1 << 20 ? (size_t)st.st_size : 1 << 20;
	char *text = malloc(size + 1), *found = NULL;
	ssize_t got = text ? pread(log, text, size, 0) : -1;
	for (char *line = text; got > 0 && line < text + got;) {
		char *end = memchr(line, '\n', (size_t)(text + got - line));
		if (!end)
			end = text + got;
		*end = 0;
		if (strncmp(line, "sentry: the workload ", 21) == 0) {
			free(found);
			found = strdup(line + 8);
		}
		line = end + 1;
	}
	free(text);
	return found;
}

/* The report, once the sentry has written it whole: it does so before it
 * removes its cgroup and exits. */
static bool report_written(const char *path)
{
	char buf[8192];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, buf, sizeof(buf));
	close(fd);
	return n > 1 && buf[n - 1] == '\n';
}

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Until w's sentry has written its report or ended without one (then
 * *ended is its wait status), at most REPORT_MS: woken by the report's
 * close (inotify) or the sentry's exit (pidfd), not by a poll period. */
static void wait_report(struct warm *w, int *ended)
{
	int watch = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (watch >= 0 && inotify_add_watch(watch, w->report, IN_CLOSE_WRITE) < 0) {
		close(watch);
		watch = -1;
	}
	int pidfd = w->pid > 0 ? (int)syscall(SYS_pidfd_open, w->pid, 0) : -1;
	double deadline = now_ms() + REPORT_MS;
	while (!report_written(w->report)) {
		int status;
		if (w->pid <= 0 || waitpid(w->pid, &status, WNOHANG) == w->pid) {
			if (w->pid > 0)
				*ended = status;
			w->pid = -1; /* ended without one, or wrote it just now */
			break;
		}
		double left = deadline - now_ms();
		if (left <= 0)
			break;
		if (watch < 0 || pidfd < 0) { /* no inotify instance left: look again soon */
			usleep(1000);
			continue;
		}
		struct pollfd p[2] = { { watch, POLLIN, 0 }, { pidfd, POLLIN, 0 } };
		if (poll(p, 2, (int)left + 1) > 0 && p[0].revents) {
			char events[4096];
			while (read(watch, events, sizeof(events)) > 0)
				;
		}
	}
	/* closing an inotify instance waits out an RCU grace period (about
	 * 15 ms here): the run's answer does not wait for it */
	w->report_watch = watch;
	if (pidfd >= 0)
		close(pidfd);
}

/* The rest of a sandbox's end (its sentry's exit, its cgroup's removal),
 * after the run's answer. */
static void warm_finish(struct warm *w)
{
	if (w->pid > 0) {
		int status = 0;
		pid_t r = 0;
		/* woken by its exit, as long as a sentry's end may take */
		int pidfd = (int)syscall(SYS_pidfd_open, w->pid, 0);
		if (pidfd >= 0) {
			struct pollfd p = { pidfd, POLLIN, 0 };
			while (poll(&p, 1, 2800) < 0 && errno == EINTR)
				;
			close(pidfd);
			r = waitpid(w->pid, &status, WNOHANG);
		}
		for (int i = 0; pidfd < 0 && i < 300 && (r = waitpid(w->pid, &status, WNOHANG)) == 0; i++)
			usleep(i < 20 ? 1000 : 10000);
		if (r == 0) {
			if (w->cgroup)
				stage_cgroup_release(w->cgroup);
			kill(w->pid, SIGKILL);
			waitpid(w->pid, &status, 0);
		}
	}
	if (w->cgroup)
		stage_cgroup_release(w->cgroup);
	if (w->sentry > 0)
		cgroup_remove_leaf_of(w->sentry);
	free(w->cgroup);
	unlink(w->control);
	unlink(w->report);
	if (w->log >= 0)
		close(w->log);
	if (w->report_watch >= 0)
		close(w->report_watch);
	free(w);
}

static void *finisher(void *w)
{
	warm_finish(w);
	pthread_mutex_lock(&pool.lock);
	pool.finishing--;
	pthread_cond_broadcast(&pool.wake);
	pthread_mutex_unlock(&pool.lock);
	return NULL;
}

int pool_end(struct warm *w, struct stage_result *res)
{
	int ended = -1;
	if (w->pid > 0 && waitpid(w->pid, &ended, WNOHANG) != w->pid)
		ended = -1;
	else if (w->pid > 0)
		w->pid = -1; /* reaped */
	/* SIGTERM goes to its first process: the sandbox ends, and writes
	 * its report */
	if (w->pid > 0)
		kill(w->pid, SIGTERM);
	if (res)
		wait_report(w, &ended);
	if (res) {
		struct stage_result report = { .code = -1, .memory = -1 };
		if (serve_cfg.has.report && stage_read_report(w->report, &report)) {
			res->cpu_ms = report.cpu_ms;
			res->memory = report.memory;
			/* its first process ended by our SIGTERM: only a limit's
			 * kill says something of the run */
			if (report.memory_out || report.timed_out) {
				res->memory_out = report.memory_out;
				res->timed_out |= report.timed_out;
				if (report.timed_out)
					res->signal = SIGKILL;
				free(res->message);
				res->message = limit_line(w->log);
			}
		}
	}
	pthread_mutex_lock(&pool.lock);
	pool.finishing++;
	pthread_mutex_unlock(&pool.lock);
	pthread_attr_t detached;
	pthread_attr_init(&detached);
	pthread_attr_setdetachstate(&detached, PTHREAD_CREATE_DETACHED);
	pthread_t t;
	if (pthread_create(&t, &detached, finisher, w) != 0)
		finisher(w);
	pthread_attr_destroy(&detached);
	return ended;
}

/* A sandbox no run took: its folder goes too. */
static void warm_discard(struct warm *w)
{
	char dir[sizeof(w->dir)];
	memcpy(dir, w->dir, sizeof(dir));
	pool_end(w, NULL);
	rmdir(dir);
}

void pool_stop(void)
{
	if (!pool.running)
		return;
	pthread_mutex_lock(&pool.lock);
	pool.stopping = true;
	pthread_cond_broadcast(&pool.wake);
	pthread_mutex_unlock(&pool.lock);
	pthread_join(pool.filler, NULL);
	pool.running = false;
	while (pool.ready) {
		struct warm *w = pool.ready;
		pool.ready = w->next;
		pool.nready--;
		warm_discard(w);
	}
	pthread_mutex_lock(&pool.lock);
	while (pool.finishing > 0)
		pthread_cond_wait(&pool.wake, &pool.lock);
	pthread_mutex_unlock(&pool.lock);
}
