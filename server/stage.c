/* One step of a request: a fresh sentry started with the run's limits, its
 * stdio on pipes this server reads. The server never runs workload code
 * itself. Where the server may make cgroups, each sandbox goes into a pids
 * cgroup of its own: the sentry's processes can never pass the server's
 * process limit (root is not held back by RLIMIT_NPROC), and a run that
 * must end is ended whole. */
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
#include <sched.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "limits/cgroup.h"
#include "server.h"

/* The sandboxes running now, so that a drain's end can stop them. */
struct live {
	pid_t pid;
	const char *cgroup;
	bool warm;            /* a sandbox started ahead (pool.c) */
	bool ended_by_server; /* stage_kill_all: the server's drain is over */
	struct live *next;
};
static struct live *live_list;
static int live_count;
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_ulong run_counter;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* SIGKILL to every process of the cgroup and of the cgroups below it (the
 * sentry makes one for its workload); true when none was left. */
static bool cgroup_kill(const char *cgroup)
{
	char path[4096];
	bool empty = true;
	if (serve_cfg.cgroup_v2) {
		snprintf(path, sizeof(path), "%s/cgroup.kill", cgroup);
		write_file(path, "1"); /* the whole subtree, where the kernel has it */
	}
	DIR *dir = opendir(cgroup);
	struct dirent *e;
	while (dir && (e = readdir(dir))) {
		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", cgroup, e->d_name);
		empty &= cgroup_kill(path);
	}
	if (dir)
		closedir(dir);
	snprintf(path, sizeof(path), "%s/cgroup.procs", cgroup);
	FILE *f = fopen(path, "re");
	int pid;
	while (f && fscanf(f, "%d", &pid) == 1) {
		empty = false;
		kill(pid, SIGKILL);
	}
	if (f)
		fclose(f);
	return empty;
}

/* Removes the cgroup and every one below it, deepest first. */
static bool cgroup_remove(const char *cgroup)
{
	char path[4096];
	DIR *dir = opendir(cgroup);
	struct dirent *e;
	while (dir && (e = readdir(dir))) {
		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", cgroup, e->d_name);
		cgroup_remove(path);
	}
	if (dir)
		closedir(dir);
	return rmdir(cgroup) == 0 || errno == ENOENT;
}

static void run_kill(const struct live *l)
{
	if (l->cgroup) {
		cgroup_kill(l->cgroup);
		/* a sentry that has not joined its cgroup yet is not in it */
		if (!l->warm)
			kill(l->pid, SIGKILL);
	} else if (l->warm)
		/* a command sent through the control socket does not die with
		 * its sentry; the sentry's end kills every task of it */
		kill(l->pid, SIGTERM);
	else
		kill(l->pid, SIGKILL); /* the workload dies with it (PDEATHSIG) */
}

/* Until no process is left in it (a fork racing the kill is caught by
 * the next round), then removes it. */
void stage_cgroup_release(const char *cgroup)
{
	for (int round = 0; round < 500; round++) {
		if (cgroup_kill(cgroup) && cgroup_remove(cgroup))
			return;
		usleep(10000);
	}
	json_object *f = json_object_new_object();
	json_object_object_add(f, "cgroup", json_object_new_string(cgroup));
	serve_log("cgroup_left", f);
}

char *stage_cgroup_make(int processes)
{
	if (!serve_cfg.cgroup_pids)
		return NULL;
	char *path;
	if (asprintf(&path, "%s/run.%lu", serve_cfg.cgroup_pids, atomic_fetch_add(&run_counter, 1)) < 0)
		return NULL;
	if (mkdir(path, 0700) < 0 || stage_cgroup_set_processes(path, processes) < 0) {
		rmdir(path);
		free(path);
		return NULL;
	}
	return path;
}

int stage_cgroup_set_processes(const char *cgroup, int processes)
{
	char max[4096], value[32];
	snprintf(max, sizeof(max), "%s/pids.max", cgroup);
	/* The sentry itself and its threads are counted too. */
	snprintf(value, sizeof(value), "%d", processes + 16);
	return write_file(max, value);
}

struct buf {
	char *data;
	size_t len, cap, limit;
	bool cut;
};

/* Keeps up to limit bytes; true when more came than fits. */
static bool buf_add(struct buf *b, const char *data, size_t n)
{
	size_t keep = b->len + n > b->limit ? b->limit - b->len : n;
	if (b->len + keep + 1 > b->cap) {
		size_t cap = (b->len + keep + 1) * 2;
		char *grown = realloc(b->data, cap);
		if (!grown)
			return b->cut = true;
		b->data = grown;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, keep);
	b->len += keep;
	b->data[b->len] = 0;
	if (keep < n)
		b->cut = true;
	return b->cut;
}

/* The sentry's own closing lines ("sentry: the workspace changed: ...",
 * "sentry: the workload ran out of time ...") share the workload's stderr:
 * they are taken off the end of the text, and the last one kept as the
 * run's message. A workload that prints such a line last loses only its
 * own line. */
static char *strip_sentry_lines(struct buf *b)
{
	static const char *const endings[] = { "sentry: the workload ran out of time", "sentry: the workload ran out of CPU",
					       "sentry: the workload reached its memory limit", "sentry: the workspace changed: ",
					       NULL };
	char *message = NULL;
	for (;;) {
		if (!b->data || !b->len || b->data[b->len - 1] != '\n')
			return message;
		size_t start = b->len - 1;
		while (start > 0 && b->data[start - 1] != '\n')
			start--;
		bool ours = false;
		for (int i = 0; endings[i]; i++)
			ours |= strncmp(b->data + start, endings[i], strlen(endings[i])) == 0;
		if (!ours)
			return message;
		if (!message && strncmp(b->data + start, "sentry: the workspace", 21) != 0)
			message = strndup(b->data + start + 8, b->len - 1 - start - 8);
		b->len = start;
		b->data[start] = 0;
	}
}

static void live_add(struct live *l)
{
	pthread_mutex_lock(&live_lock);
	l->next = live_list;
	live_list = l;
	live_count++;
	pthread_mutex_unlock(&live_lock);
}

static void live_remove(struct live *l)
{
	pthread_mutex_lock(&live_lock);
	for (struct live **p = &live_list; *p; p = &(*p)->next) {
		if (*p == l) {
			*p = l->next;
			break;
		}
	}
	live_count--;
	pthread_mutex_unlock(&live_lock);
}

void stage_kill_all(void)
{
	pthread_mutex_lock(&live_lock);
	for (struct live *l = live_list; l; l = l->next) {
		l->ended_by_server = true;
		run_kill(l);
	}
	pthread_mutex_unlock(&live_lock);
}

int stage_live(void)
{
	pthread_mutex_lock(&live_lock);
	int n = live_count;
	pthread_mutex_unlock(&live_lock);
	return n;
}

#define ARG(...)                                                                                                       \
	do {                                                                                                           \
		if (asprintf(&argv[argc++], __VA_ARGS__) < 0)                                                          \
			goto fail;                                                                                     \
	} while (0)

char **stage_sentry_argv(const struct stage_request *req, const char *report, const char *control, char *limits,
			 size_t limits_size)
{
	size_t n = 0;
	while (req->argv[n])
		n++;
	char **argv = calloc(n + 20, sizeof(char *));
	int argc = 0;
	if (!argv)
		return NULL;
	ARG("%s", serve_cfg.sentry);
	ARG("-q");
	ARG("--workspace=%s", req->workspace);
	ARG("--platform=%s", serve_cfg.platform);
	if (control) {
		/* the server ends its run at the run's own timeout */
		ARG("--control=%s", control);
		ARG("--ready-fd=3");
	} else {
		ARG("--timeout=%.3f", req->timeout);
	}
	ARG("--memory-limit=%lld", req->file_store);
	size_t used = (size_t)snprintf(limits, limits_size, "wall %.3fs (%s), file store %lld bytes", req->timeout,
				       control ? "server" : "sentry --timeout", req->file_store);
	if (req->write_back)
		ARG("--write-back");
	const struct sentry_features *has = &serve_cfg.has;
	if (has->cpu_time && req->cpu_time > 0)
		ARG("--cpu-time=%.3f", req->cpu_time);
	if (has->process_memory && req->process_memory > 0)
		ARG("--process-memory=%lld", req->process_memory);
	if (has->pids_limit && req->processes > 0)
		ARG("--pids-limit=%d", req->processes);
	if (has->open_files && req->open_files > 0)
		ARG("--max-open-files=%d", req->open_files);
	if (has->report)
		ARG("--report=%s", report);
	if (used < limits_size && has->cpu_time && req->cpu_time > 0)
		used += (size_t)snprintf(limits + used, limits_size - used, ", cpu %.3fs", req->cpu_time);
	if (used < limits_size && has->process_memory && req->process_memory > 0)
		used += (size_t)snprintf(limits + used, limits_size - used, ", memory %lld", req->process_memory);
	ARG("--");
	for (size_t i = 0; i < n; i++)
		ARG("%s", req->argv[i]);
	return argv;
fail:
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
	return NULL;
}

void stage_free_argv(char **argv)
{
	for (size_t i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

static int signal_number(const char *name)
{
	for (int sig = 1; name && strncmp(name, "SIG", 3) == 0 && sig < 65; sig++)
		if (sigabbrev_np(sig) && strcmp(sigabbrev_np(sig), name + 3) == 0)
			return sig;
	return SIGKILL;
}

/* How the run ended, from the sentry's --report: false when there is
 * none to read. */
bool stage_read_report(const char *path, struct stage_result *res)
{
	json_object *r = json_object_from_file(path), *v;
	if (!r)
		return false;
	if (json_object_object_get_ex(r, "cpu_time_ms", &v))
		res->cpu_ms = json_object_get_double(v);
	if (json_object_object_get_ex(r, "memory_bytes", &v))
		res->memory = json_object_get_int64(v);
	const char *kind = json_object_object_get_ex(r, "status", &v) ? json_object_get_string(v) : "";
	const char *signame = json_object_object_get_ex(r, "signal", &v) ? json_object_get_string(v) : NULL;
	int code = json_object_object_get_ex(r, "exit_code", &v) ? json_object_get_int(v) : -1;
	if (strcmp(kind, "timeout") == 0 || strcmp(kind, "cpu-time") == 0) {
		res->timed_out = true;
		res->signal = SIGKILL;
	} else if (strcmp(kind, "sentry-error") == 0) {
		res->sandbox_failed = true;
		res->code = code;
	} else if (strcmp(kind, "memory") == 0) {
		res->memory_out = true;
		res->signal = signame ? signal_number(signame) : SIGKILL;
	} else if (signame) {
		res->signal = signal_number(signame);
	} else {
		res->code = code;
	}
	json_object_put(r);
	return true;
}

/* The warm sandbox's answers: "pid", then "exit" with the command's wait
 * status, or "error" with why it could not start. True once it ended. */
static bool warm_answer(int sock, int *wait_status, char **error)
{
	char buf[4096];
	ssize_t n;
	do
		n = recv(sock, buf, sizeof(buf) - 1, 0);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return true; /* the sandbox ended first */
	buf[n] = 0;
	const char *value = buf + strlen(buf) + 1;
	if ((size_t)(value - buf) > (size_t)n)
		value = "";
	if (strcmp(buf, "exit") == 0) {
		*wait_status = atoi(value);
		return true;
	}
	if (strcmp(buf, "error") == 0) {
		free(*error);
		*error = strdup(value);
		return true;
	}
	return false;
}

/* It shares the server's memory until its exec (CLONE_VM | CLONE_VFORK,
 * as posix_spawn does), the calling thread waiting until then: a fork
 * would copy the page tables of the server and all its threads for each
 * sandbox. No signal handler of the server's can run in it: it has none
 * (SIGPIPE is ignored, SIGTERM and SIGINT blocked until the child's
 * mask is emptied, then the default's). */
pid_t stage_spawn(int (*child)(void *), void *arg)
{
	const size_t size = 64 * 1024;
	char *stack = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		return -1;
	pid_t pid = clone(child, stack + size, CLONE_VM | CLONE_VFORK | SIGCHLD, arg);
	int err = errno;
	munmap(stack, size);
	errno = err;
	return pid;
}

struct sentry_start {
	int procs; /* the pids cgroup's cgroup.procs, or -1 */
	int stdio[3];
	char **argv;
};

static int start_sentry(void *arg)
{
	const struct sentry_start *s = arg;
	if (s->procs >= 0 && write(s->procs, "0", 1) != 1)
		_exit(125);
	/* the workload starts with the dispositions and mask a shell
	 * would give it, not the server's */
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	setsid(); /* the server's terminal signals are not the run's */
	dup2(s->stdio[0], 0);
	dup2(s->stdio[1], 1);
	dup2(s->stdio[2], 2);
	execv(s->argv[0], s->argv);
	_exit(125);
}

pid_t stage_start_sentry(int procs, const int stdio[3], char **argv)
{
	struct sentry_start s = { procs, { stdio[0], stdio[1], stdio[2] }, argv };
	return stage_spawn(start_sentry, &s);
}

int stage_run(const struct stage_request *req, struct stage_result *res)
{
	memset(res, 0, sizeof(*res));
	res->code = -1;
	res->memory = -1;
	char report[4096];
	snprintf(report, sizeof(report), "%s/report.%lu.json", serve_cfg.scratch, atomic_fetch_add(&run_counter, 1));
	bool client = req->client_argv != NULL;
	struct warm *warm = req->warm;
	char **argv = client ? req->client_argv
		      : warm ? req->argv
			     : stage_sentry_argv(req, report, NULL, res->limits, sizeof(res->limits));
	if (!argv)
		return -1;
	char *cgroup = client ? NULL : warm ? warm->cgroup : stage_cgroup_make(req->processes);
	if (warm) {
		const char *rest = strstr(warm->limits, "), ");
		rest = rest ? rest + 1 : NULL;
		snprintf(res->limits, sizeof(res->limits), "wall %.3fs (server, warm sandbox)%s", req->timeout,
			 rest ? rest : "");
	} else if (cgroup && strlen(res->limits) + 40 < sizeof(res->limits)) {
		snprintf(res->limits + strlen(res->limits), sizeof(res->limits) - strlen(res->limits),
			 ", %d processes (pids cgroup)", req->processes);
	}
	int procs = -1;
	if (cgroup && !warm) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/cgroup.procs", cgroup);
		procs = open(path, O_WRONLY | O_CLOEXEC);
	}
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 }, sock = -1;
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0)
		goto fail;
	double start = now_ms();
	pid_t pid = -1;
	if (warm) {
		sock = pool_exec(warm, argv, in[0], out[1], err[1]);
		pid = warm->pid;
	} else {
		pid = stage_start_sentry(procs, (int[3]){ in[0], out[1], err[1] }, argv);
	}
	if (procs >= 0)
		close(procs);
	close(in[0]);
	close(out[1]);
	close(err[1]);
	in[0] = out[1] = err[1] = -1;
	if (pid < 0 || (warm && sock < 0))
		goto fail;
	struct live live = { .pid = pid, .cgroup = cgroup, .warm = warm != NULL };
	live_add(&live);

	struct buf bout = { .limit = (size_t)req->output }, berr = { .limit = (size_t)req->output },
		   bboth = { .limit = (size_t)req->output * 2 };
	size_t written = 0;
	if (!req->stdin_len) {
		close(in[1]);
		in[1] = -1;
	} else {
		fcntl(in[1], F_SETFL, O_NONBLOCK);
	}
	/* The sentry's --timeout ends a run it started; this is the backstop.
	 * A warm sandbox has no --timeout: this is the run's. */
	double deadline = start + req->timeout * 1e3 + (client || warm ? 0 : 5000), killed_at = 0;
	bool killed = false, warm_ended = false;
	int warm_status = -1;
	char *warm_error = NULL;
	while (out[0] >= 0 || err[0] >= 0) {
		double now = now_ms();
		if (!killed && now >= deadline) {
			run_kill(&live);
			killed = true;
			killed_at = now;
			res->timed_out = true;
		}
		if (killed && now >= killed_at + 3000)
			break; /* a process outside our reach holds the pipe */
		/* a client that hung up (its end closed: EOF, a reset) waits for
		 * no answer: the run ends there instead of at its limits */
		struct pollfd fds[5] = { { out[0], POLLIN, 0 }, { err[0], POLLIN, 0 }, { in[1], POLLOUT, 0 },
					 { warm_ended ? -1 : sock, POLLIN, 0 },
					 { killed ? -1 : req->hangup_fd, POLLRDHUP, 0 } };
		double wait = (killed ? killed_at + 3000 : deadline) - now;
		if (poll(fds, 5, wait < 0 ? 0 : (int)wait + 1) < 0 && errno != EINTR)
			break;
		if (fds[4].revents & (POLLRDHUP | POLLHUP | POLLERR)) {
			run_kill(&live);
			killed = true;
			killed_at = now_ms();
			res->client_gone = true;
		}
		if (fds[3].revents && warm_answer(sock, &warm_status, &warm_error)) {
			/* as a sandbox ends with its first process: what the
			 * command left behind is killed, and the pipes close */
			warm_ended = true;
			kill(pid, SIGTERM);
		}
		if (in[1] >= 0 && fds[2].revents) {
			ssize_t n = write(in[1], req->stdin_data + written, req->stdin_len - written);
			if (n > 0)
				written += (size_t)n;
			if ((n < 0 && errno != EAGAIN) || written == req->stdin_len) {
				close(in[1]);
				in[1] = -1;
			}
		}
		for (int i = 0; i < 2; i++) {
			if (!fds[i].revents)
				continue;
			char chunk[65536];
			ssize_t n = read(fds[i].fd, chunk, sizeof(chunk));
			if (n <= 0) {
				close(fds[i].fd);
				*(i ? &err[0] : &out[0]) = -1;
				continue;
			}
			if (killed)
				continue;
			bool over = buf_add(i ? &berr : &bout, chunk, (size_t)n);
			buf_add(&bboth, chunk, (size_t)n);
			if (over) { /* Piston's OL/EL: the run ends there */
				run_kill(&live);
				killed = true;
				killed_at = now_ms();
			}
		}
	}
	/* the pipes closed with the command's end: its status follows */
	while (warm && !warm_ended && !killed) {
		struct pollfd p = { sock, POLLIN, 0 };
		if (poll(&p, 1, 3000) <= 0 || warm_answer(sock, &warm_status, &warm_error))
			warm_ended = true;
	}
	int status = 0;
	struct rusage ru = { 0 };
	if (killed && !cgroup)
		kill(pid, SIGKILL);
	if (!warm) {
		while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
			;
		cgroup_remove_leaf_of(pid);
	}
	res->wall_ms = now_ms() - start;
	live_remove(&live);
	if (live.ended_by_server)
		killed = true; /* its sentry too may have died first: the run was killed */
	if (cgroup && !warm)
		stage_cgroup_release(cgroup);
	res->cpu_ms = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
		      (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
	res->memory = (long long)ru.ru_maxrss * 1024;
	bool reported = !client && !warm && serve_cfg.has.report && !killed && stage_read_report(report, res);
	if (!client && !warm)
		unlink(report);
	res->out_cut = bout.cut;
	res->err_cut = berr.cut;
	char *sentry_message = strip_sentry_lines(&berr);
	free(strip_sentry_lines(&bboth));
	char lost[128] = "";
	if (warm) {
		close(sock);
		if (killed) {
			res->signal = SIGKILL;
		} else if (warm_status >= 0 && WIFEXITED(warm_status)) {
			res->code = WEXITSTATUS(warm_status);
		} else if (warm_status >= 0 && WIFSIGNALED(warm_status)) {
			res->signal = WTERMSIG(warm_status);
		} else {
			res->sandbox_failed = true;
			snprintf(lost, sizeof(lost), "%s", warm_error ? warm_error : "the warm sandbox ended before the run did");
		}
		bool refused = warm_error != NULL;
		free(warm_error);
		int died = pool_end(warm, res); /* CPU time, memory, and a limit's kill */
		if (res->sandbox_failed && !refused && died >= 0 && WIFSIGNALED(died))
			snprintf(lost, sizeof(lost), "the sandbox's sentry died of SIG%s before the run ended",
				 sigabbrev_np(WTERMSIG(died)) ? sigabbrev_np(WTERMSIG(died)) : "?");
		if (res->timed_out && !sentry_message && !res->message &&
		    asprintf(&sentry_message, "the workload ran out of time (--timeout=%g) and was killed", req->timeout) < 0)
			sentry_message = NULL;
		if (res->message) {
			free(sentry_message);
			sentry_message = res->message;
			res->message = NULL;
		}
	} else if (reported) {
		/* the report said */
	} else if (!client && serve_cfg.has.report && !killed && WIFSIGNALED(status)) {
		/* the sentry itself was killed: nothing says how the run went */
		res->sandbox_failed = true;
		snprintf(lost, sizeof(lost), "the sandbox's sentry died of SIG%s before the run ended",
			 sigabbrev_np(WTERMSIG(status)) ? sigabbrev_np(WTERMSIG(status)) : "?");
	} else if (WIFEXITED(status)) {
		int code = WEXITSTATUS(status);
		if (code == 124 && !killed && !client) {
			res->timed_out = true;
			res->signal = SIGKILL;
		} else if (code == 125 && !killed) {
			res->sandbox_failed = true;
			res->code = code;
		} else if (code > 128 && code < 128 + 65) {
			res->signal = code - 128; /* the sentry's way to say the workload died of it */
		} else {
			res->code = code;
		}
	} else if (WIFSIGNALED(status)) {
		res->signal = WTERMSIG(status);
	}
	if (res->timed_out || res->memory_out)
		res->message = sentry_message ? sentry_message
					      : strdup(res->timed_out ? "the run ran out of time" : "the run ran out of memory");
	else
		free(sentry_message);
	res->out = bout.data ? bout.data : strdup("");
	res->err = berr.data ? berr.data : strdup("");
	res->both = bboth.data ? bboth.data : strdup("");
	res->out_len = bout.len;
	res->err_len = berr.len;
	res->both_len = bboth.len;
	if (res->out_cut)
		res->message = res->message ? res->message : strdup("stdout length exceeded");
	else if (res->err_cut)
		res->message = res->message ? res->message : strdup("stderr length exceeded");
	if (res->sandbox_failed && !res->message)
		res->message = strdup(lost[0] ? lost : "the sandbox could not start the run");
	if (res->client_gone && !res->message)
		res->message = strdup("the client hung up: the run was ended");
	if (!client && !warm)
		stage_free_argv(argv);
	if (!warm)
		free(cgroup);
	return 0;
fail:
	for (int i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (out[i] >= 0)
			close(out[i]);
		if (err[i] >= 0)
			close(err[i]);
	}
	if (sock >= 0)
		close(sock);
	if (warm) {
		pool_end(warm, NULL);
	} else if (cgroup) {
		rmdir(cgroup);
		free(cgroup);
	}
	if (!client && !warm)
		stage_free_argv(argv);
	return -1;
}

void stage_result_free(struct stage_result *res)
{
	free(res->out);
	free(res->err);
	free(res->both);
	free(res->message);
}

const char *stage_status(const struct stage_result *res)
{
	if (res->sandbox_failed)
		return "XX";
	if (res->out_cut)
		return "OL";
	if (res->err_cut)
		return "EL";
	if (res->timed_out)
		return "TO";
	if (res->signal)
		return "SG";
	if (res->code != 0)
		return "RE";
	return "OK";
}

/* The length of the valid UTF-8 sequence at p (at most left bytes), or
 * minus the length of its longest invalid start (Unicode's "maximal
 * subpart", what a browser's decoder replaces with one U+FFFD). */
static int utf8_sequence(const unsigned char *p, size_t left)
{
	unsigned char b = p[0], lo = 0x80, hi = 0xbf;
	int need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
	if (need < 0)
		return -1;
	if (b == 0xe0)
		lo = 0xa0;
	else if (b == 0xed)
		hi = 0x9f;
	else if (b == 0xf0)
		lo = 0x90;
	else if (b == 0xf4)
		hi = 0x8f;
	for (int k = 1; k <= need; k++, lo = 0x80, hi = 0xbf)
		if ((size_t)k >= left || p[k] < lo || p[k] > hi)
			return -k;
	return need + 1;
}

/* Output as a JSON string: a workload's bytes need not be UTF-8 (binary
 * output, or a character cut at --max-output), a JSON text must be, so
 * each invalid part becomes U+FFFD as Piston's Node decoder makes it. */
static json_object *json_text(const char *data, size_t len)
{
	const unsigned char *p = (const unsigned char *)data;
	size_t i = 0, n = 0;
	int step;
	while (i < len && (step = utf8_sequence(p + i, len - i)) > 0)
		i += (size_t)step;
	if (i == len)
		return json_object_new_string_len(data, (int)len);
	char *clean = malloc(len * 3 + 1);
	if (!clean)
		return json_object_new_string("");
	for (i = 0; i < len; i += (size_t)(step < 0 ? -step : step)) {
		step = utf8_sequence(p + i, len - i);
		if (step > 0) {
			memcpy(clean + n, p + i, (size_t)step);
			n += (size_t)step;
		} else {
			memcpy(clean + n, "\xef\xbf\xbd", 3);
			n += 3;
		}
	}
	json_object *o = json_object_new_string_len(clean, (int)n);
	free(clean);
	return o;
}

json_object *stage_json(const struct stage_result *res)
{
	json_object *o = json_object_new_object();
	const char *status = stage_status(res);
	json_object_object_add(o, "stdout", json_text(res->out, res->out_len));
	json_object_object_add(o, "stderr", json_text(res->err, res->err_len));
	json_object_object_add(o, "output", json_text(res->both, res->both_len));
	json_object_object_add(o, "code", res->signal || res->code < 0 ? NULL : json_object_new_int(res->code));
	char signame[32]; /* Piston names signals with the SIG prefix */
	snprintf(signame, sizeof(signame), "SIG%s", sigabbrev_np(res->signal) ? sigabbrev_np(res->signal) : "UNKNOWN");
	json_object_object_add(o, "signal", res->signal ? json_object_new_string(signame) : NULL);
	json_object_object_add(o, "message", res->message ? json_object_new_string(res->message) : NULL);
	json_object_object_add(o, "status", strcmp(status, "OK") ? json_object_new_string(status) : NULL);
	json_object_object_add(o, "cpu_time", json_object_new_int64((long long)res->cpu_ms));
	json_object_object_add(o, "wall_time", json_object_new_int64((long long)res->wall_ms));
	json_object_object_add(o, "memory", res->memory >= 0 ? json_object_new_int64(res->memory) : NULL);
	return o;
}
