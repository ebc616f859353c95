/* Sessions under /v1/sandboxes: one sandbox kept across calls. It is a
 * sentry started with --control=PATH whose command only waits; commands,
 * uploads, downloads and the list of changes are `sentry exec
 * --control=PATH` clients the server starts, and the end is `sentry exec
 * --stop`. A session idle past its idle timeout, or older than its
 * maximum life, is ended by a sweeper thread. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "limits/cgroup.h"
#include "server.h"

struct session {
	char id[33];
	struct tenant *tenant;
	pid_t pid;                 /* its sentry */
	char *cgroup;
	char dir[4096];            /* the workspace folder (empty) */
	char control[4096];
	double created, used;      /* monotonic seconds */
	double idle, life;
	int busy;                  /* calls in progress */
	struct session *next;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct session *sessions;
static int nsessions, max_sessions;
static double idle_max, life_max;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int message(json_object **reply, int status, const char *text)
{
	*reply = json_object_new_object();
	json_object_object_add(*reply, "message", json_object_new_string(text));
	return status;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	remove(path);
	return 0;
}

/* Runs `sentry exec --control=... ARGS...` with stdin; the result in res. */
static int exec_client(struct session *s, const char *const *args, const char *stdin_data, size_t stdin_len,
		       double timeout, struct stage_result *res)
{
	size_t n = 0;
	while (args[n])
		n++;
	char control[4200];
	snprintf(control, sizeof(control), "--control=%s", s->control);
	char **argv = calloc(n + 4, sizeof(char *));
	if (!argv)
		return -1;
	argv[0] = (char *)serve_cfg.sentry;
	argv[1] = "exec";
	argv[2] = control;
	for (size_t i = 0; i < n; i++)
		argv[3 + i] = (char *)args[i];
	struct stage_request req = {
		.client_argv = argv, .stdin_data = stdin_data, .stdin_len = stdin_len, .timeout = timeout,
		.output = serve_cfg.max.output, .hangup_fd = -1,
	};
	int r = stage_run(&req, res);
	free(argv);
	return r;
}

/* Ends s: its sentry stopped (killed when it does not stop), its cgroup
 * and folder removed. s is off the list already. */
static void session_end(struct session *s)
{
	int status;
	if (waitpid(s->pid, &status, WNOHANG) == 0) {
		struct stage_result res;
		const char *stop[] = { "--stop", NULL };
		if (exec_client(s, stop, "", 0, 10, &res) == 0)
			stage_result_free(&res);
		for (int i = 0; i < 200 && waitpid(s->pid, &status, WNOHANG) == 0; i++)
			usleep(10000);
		kill(s->pid, SIGKILL);
		waitpid(s->pid, &status, 0);
	}
	if (s->pid != 0x7fffffff)
		cgroup_remove_leaf_of(s->pid);
	if (s->cgroup)
		stage_cgroup_release(s->cgroup);
	unlink(s->control);
	nftw(s->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	json_object *f = json_object_new_object();
	json_object_object_add(f, "id", json_object_new_string(s->id));
	serve_log("session_end", f);
	free(s->cgroup);
	free(s);
}

/* Takes s off the list: the caller ends it. */
static void unlink_session(struct session *s)
{
	for (struct session **p = &sessions; *p; p = &(*p)->next) {
		if (*p == s) {
			*p = s->next;
			nsessions--;
			return;
		}
	}
}

static void *sweeper(void *unused)
{
	for (;;) {
		sleep(1);
		double now = now_s();
		pthread_mutex_lock(&lock);
		struct session *gone = NULL;
		for (struct session *s = sessions, *next; s; s = next) {
			next = s->next;
			int status;
			bool dead = waitpid(s->pid, &status, WNOHANG) == s->pid;
			if (dead) {
				cgroup_remove_leaf_of(s->pid);
				s->pid = -1;
			}
			if (dead || (!s->busy && (now - s->used > s->idle || now - s->created > s->life))) {
				unlink_session(s);
				s->next = gone;
				gone = s;
			}
		}
		pthread_mutex_unlock(&lock);
		while (gone) {
			struct session *next = gone->next;
			if (gone->pid < 0)
				gone->pid = 0x7fffffff; /* already reaped: waitpid finds nothing */
			session_end(gone);
			gone = next;
		}
	}
	return NULL;
}

int sessions_start(double idle, double life, int max)
{
	idle_max = idle;
	life_max = life;
	max_sessions = max;
	pthread_t t;
	return pthread_create(&t, NULL, sweeper, NULL) == 0 ? 0 : -1;
}

void sessions_stop_all(void)
{
	pthread_mutex_lock(&lock);
	struct session *all = sessions;
	sessions = NULL;
	nsessions = 0;
	pthread_mutex_unlock(&lock);
	while (all) {
		struct session *next = all->next;
		session_end(all);
		all = next;
	}
}

int sessions_live(void)
{
	pthread_mutex_lock(&lock);
	int n = nsessions;
	pthread_mutex_unlock(&lock);
	return n;
}

static double seconds_field(json_object *o, const char *key, double max, bool *ok)
{
	json_object *v;
	if (!o || !json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
		return max;
	double d = json_object_get_double(v);
	if ((!json_object_is_type(v, json_type_int) && !json_object_is_type(v, json_type_double)) || !(d > 0) ||
	    d > max)
		*ok = false;
	return d;
}

static json_object *session_json(const struct session *s)
{
	json_object *o = json_object_new_object();
	double now = now_s();
	json_object_object_add(o, "id", json_object_new_string(s->id));
	json_object_object_add(o, "tenant", json_object_new_string(tenant_name(s->tenant)));
	json_object_object_add(o, "idle_timeout", json_object_new_double(s->idle));
	json_object_object_add(o, "max_life", json_object_new_double(s->life));
	json_object_object_add(o, "age", json_object_new_double(now - s->created));
	json_object_object_add(o, "idle", json_object_new_double(now - s->used));
	return o;
}

/* POST /v1/sandboxes {"memory_limit", "allow_net": [...], "idle_timeout",
 * "max_life"} (seconds): a new session. */
static int create(json_object *req, struct tenant *t, json_object **reply)
{
	bool ok = true;
	double idle = seconds_field(req, "idle_timeout", idle_max, &ok);
	double life = seconds_field(req, "max_life", life_max, &ok);
	const struct serve_limits *max = &serve_cfg.max;
	double memory = seconds_field(req, "memory_limit", (double)(max->process_memory ? max->process_memory : max->file_store), &ok);
	if (!ok)
		return message(reply, 400, "idle_timeout and max_life (seconds) and memory_limit (bytes) must be positive "
					   "numbers no greater than the server's maximums");
	json_object *nets = NULL;
	if (req && json_object_object_get_ex(req, "allow_net", &nets) && !json_object_is_type(nets, json_type_null)) {
		if (!json_object_is_type(nets, json_type_array))
			return message(reply, 400, "allow_net must be an array of \"HOST:PORT\" strings");
		for (size_t i = 0; i < json_object_array_length(nets); i++) {
			json_object *n = json_object_array_get_idx(nets, i);
			if (!json_object_is_type(n, json_type_string) || strchr(json_object_get_string(n), '\n'))
				return message(reply, 400, "allow_net must be an array of \"HOST:PORT\" strings");
		}
	} else {
		nets = NULL;
	}
	pthread_mutex_lock(&lock);
	bool full = nsessions >= max_sessions;
	if (!full)
		nsessions++; /* held while it starts */
	pthread_mutex_unlock(&lock);
	if (full)
		return message(reply, 429, "the server holds as many sessions as it may");
	struct session *s = calloc(1, sizeof(*s));
	unsigned char rnd[16];
	if (!s || getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd)) {
		free(s);
		pthread_mutex_lock(&lock);
		nsessions--;
		pthread_mutex_unlock(&lock);
		return message(reply, 500, "cannot make a session");
	}
	for (int i = 0; i < 16; i++)
		snprintf(s->id + 2 * i, 3, "%02x", rnd[i]);
	s->tenant = t;
	s->idle = idle;
	s->life = life;
	snprintf(s->dir, sizeof(s->dir), "%s/session.XXXXXX", serve_cfg.scratch);
	/* short: a unix socket's path holds 107 bytes */
	static unsigned long counter;
	pthread_mutex_lock(&lock);
	unsigned long number = counter++;
	pthread_mutex_unlock(&lock);
	snprintf(s->control, sizeof(s->control), "%s/c%lu", serve_cfg.scratch, number);
	char log[4200];
	snprintf(log, sizeof(log), "%s/%s.log", serve_cfg.scratch, s->id);
	int status = 500;
	const char *why = "cannot start the session's sandbox";
	char *argv[64 + 16] = { 0 }, *owned[64 + 16] = { 0 };
	int argc = 0, nowned = 0;
	if (!mkdtemp(s->dir))
		goto fail;
#define OWN(...) (asprintf(&owned[nowned], __VA_ARGS__) < 0 ? NULL : (argv[argc++] = owned[nowned++]))
	argv[argc++] = (char *)serve_cfg.sentry;
	argv[argc++] = "-q";
	OWN("--control=%s", s->control);
	OWN("--workspace=%s", s->dir);
	OWN("--platform=%s", serve_cfg.platform);
	OWN("--memory-limit=%lld", max->file_store);
	if (serve_cfg.has.process_memory)
		OWN("--process-memory=%lld", (long long)memory);
	if (serve_cfg.has.pids_limit)
		OWN("--pids-limit=%d", max->processes);
	if (serve_cfg.has.open_files)
		OWN("--max-open-files=%d", max->open_files);
	for (size_t i = 0; nets && i < json_object_array_length(nets) && argc < 64; i++)
		OWN("--allow-net=%s", json_object_get_string(json_object_array_get_idx(nets, i)));
	argv[argc++] = "--";
	argv[argc++] = "/bin/sleep";
	argv[argc++] = "infinity";
	s->cgroup = stage_cgroup_make(max->processes);
	int logfd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int procs = -1;
	if (s->cgroup) {
		char path[4200];
		snprintf(path, sizeof(path), "%s/cgroup.procs", s->cgroup);
		procs = open(path, O_WRONLY | O_CLOEXEC);
	}
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	s->pid = null < 0 ? -1 : stage_start_sentry(procs, (int[3]){ null, null, logfd >= 0 ? logfd : null }, argv);
	if (null >= 0)
		close(null);
	if (procs >= 0)
		close(procs);
	if (logfd >= 0)
		close(logfd);
	if (s->pid < 0)
		goto fail;
	/* Ready once the control socket is there; a sentry that refused its
	 * options has exited with one line in the log. */
	bool ready = false;
	for (int i = 0; i < 1000 && !ready; i++) {
		struct stat st;
		int wstatus;
		if (waitpid(s->pid, &wstatus, WNOHANG) == s->pid) {
			cgroup_remove_leaf_of(s->pid);
			s->pid = 0x7fffffff;
			static char line[512];
			FILE *f = fopen(log, "re");
			if (f && fgets(line, sizeof(line), f)) {
				line[strcspn(line, "\n")] = 0;
				why = line;
				status = 400;
			}
			if (f)
				fclose(f);
			break;
		}
		ready = stat(s->control, &st) == 0 && S_ISSOCK(st.st_mode);
		if (!ready)
			usleep(10000);
	}
	if (!ready)
		goto fail;
	unlink(log);
	for (int i = 0; i < nowned; i++)
		free(owned[i]);
	s->created = s->used = now_s();
	pthread_mutex_lock(&lock);
	s->next = sessions;
	sessions = s;
	pthread_mutex_unlock(&lock);
	json_object *f = json_object_new_object();
	json_object_object_add(f, "id", json_object_new_string(s->id));
	json_object_object_add(f, "tenant", json_object_new_string(tenant_name(t)));
	serve_log("session_start", f);
	*reply = session_json(s);
	return 201;
fail:
	message(reply, status, why);
	unlink(log);
	for (int i = 0; i < nowned; i++)
		free(owned[i]);
	pthread_mutex_lock(&lock);
	nsessions--;
	pthread_mutex_unlock(&lock);
	if (s->pid > 0 && s->pid != 0x7fffffff) {
		kill(s->pid, SIGKILL);
		waitpid(s->pid, NULL, 0);
		cgroup_remove_leaf_of(s->pid);
	}
	s->pid = 0x7fffffff;
	if (s->cgroup)
		stage_cgroup_release(s->cgroup);
	if (s->dir[0] && strstr(s->dir, "XXXXXX") == NULL)
		nftw(s->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(s->cgroup);
	free(s);
	return status;
}

/* The session named id, held busy, if the tenant owns it. */
static struct session *take(const char *id, size_t idlen, struct tenant *t)
{
	pthread_mutex_lock(&lock);
	struct session *s = sessions;
	while (s && !(strlen(s->id) == idlen && strncmp(s->id, id, idlen) == 0 && s->tenant == t))
		s = s->next;
	if (s) {
		s->busy++;
		s->used = now_s();
	}
	pthread_mutex_unlock(&lock);
	return s;
}

static void release(struct session *s)
{
	pthread_mutex_lock(&lock);
	s->busy--;
	s->used = now_s();
	pthread_mutex_unlock(&lock);
}

/* POST .../commands {"command": [...], "stdin", "timeout" (ms), "cwd"}. */
static int command(struct session *s, json_object *req, struct tenant *t, json_object **reply)
{
	json_object *cmd, *v;
	if (!req || !json_object_object_get_ex(req, "command", &cmd) || !json_object_is_type(cmd, json_type_array) ||
	    json_object_array_length(cmd) == 0 || json_object_array_length(cmd) > 256)
		return message(reply, 400, "command is required as a non-empty array of strings");
	size_t n = json_object_array_length(cmd);
	const char *args[256 + 4];
	size_t k = 0;
	char cwd[4200];
	if (json_object_object_get_ex(req, "cwd", &v) && json_object_is_type(v, json_type_string)) {
		snprintf(cwd, sizeof(cwd), "--cwd=%s", json_object_get_string(v));
		args[k++] = cwd;
	}
	args[k++] = "--";
	for (size_t i = 0; i < n; i++) {
		json_object *a = json_object_array_get_idx(cmd, i);
		if (!json_object_is_type(a, json_type_string))
			return message(reply, 400, "command is required as a non-empty array of strings");
		args[k++] = json_object_get_string(a);
	}
	args[k] = NULL;
	const char *in = "";
	size_t in_len = 0;
	if (json_object_object_get_ex(req, "stdin", &v) && json_object_is_type(v, json_type_string)) {
		in = json_object_get_string(v);
		in_len = (size_t)json_object_get_string_len(v);
	}
	double timeout = serve_cfg.max.run_timeout;
	if (json_object_object_get_ex(req, "timeout", &v) && !json_object_is_type(v, json_type_null)) {
		double ms = json_object_get_double(v);
		if (!(ms > 0) || ms / 1e3 > timeout)
			return message(reply, 400, "timeout (milliseconds) must be positive and within the server's maximum");
		timeout = ms / 1e3;
	}
	int retry_after;
	if (admit_enter(t, &retry_after) != ADMIT_OK)
		return message(reply, 429, "every sandbox is busy");
	struct stage_result res;
	int r = exec_client(s, args, in, in_len, timeout, &res);
	admit_leave(t);
	if (r < 0)
		return message(reply, 500, "cannot start the command");
	*reply = stage_json(&res);
	metrics_run("session", stage_status(&res), res.wall_ms / 1e3);
	stage_result_free(&res);
	return 200;
}

static int file_op(struct session *s, const char *method, const char *path, const char *body, size_t len,
		   json_object **reply, char **raw, size_t *raw_len)
{
	if (!*path || strlen(path) > 4000)
		return message(reply, 400, "a file path is required after /files/");
	struct stage_result res;
	bool put = strcmp(method, "PUT") == 0;
	if (!put && strcmp(method, "GET") != 0)
		return message(reply, 405, "use PUT or GET");
	const char *up[] = { "--", "/bin/sh", "-c", "mkdir -p -- \"$(dirname -- \"$1\")\" && cat > \"$1\"", "sh", path, NULL };
	const char *down[] = { "--", "/bin/cat", "--", path, NULL };
	if (exec_client(s, put ? up : down, put ? body : "", put ? len : 0, serve_cfg.max.run_timeout, &res) < 0)
		return message(reply, 500, "cannot start the copy");
	int status;
	if (res.code != 0) {
		status = message(reply, put ? 400 : 404, res.err_len ? res.err : "the file could not be copied");
	} else if (put) {
		*reply = json_object_new_object();
		json_object_object_add(*reply, "path", json_object_new_string(path));
		json_object_object_add(*reply, "size", json_object_new_int64((int64_t)len));
		status = 200;
	} else if (res.out_cut) {
		status = message(reply, 413, "the file is larger than the server's --max-output");
	} else {
		*raw = res.out;
		*raw_len = res.out_len;
		res.out = NULL;
		status = 200;
	}
	stage_result_free(&res);
	return status;
}

static int changes(struct session *s, json_object **reply)
{
	struct stage_result res;
	const char *args[] = { "--changes", NULL };
	if (exec_client(s, args, "", 0, serve_cfg.max.run_timeout, &res) < 0)
		return message(reply, 500, "cannot list the changes");
	*reply = json_object_new_array();
	for (char *line = res.out, *end; line && *line; line = end + 1) {
		end = strchr(line, '\n');
		if (!end)
			end = line + strlen(line) - 1;
		else
			*end = 0;
		json_object *o = json_tokener_parse(line);
		if (o)
			json_object_array_add(*reply, o);
	}
	stage_result_free(&res);
	return 200;
}

int session_request(const char *method, const char *url, const char *body, size_t len, struct tenant *t,
		    json_object **reply, char **raw, size_t *raw_len)
{
	const char *rest = url + strlen("/v1/sandboxes");
	json_object *req = NULL;
	bool json_body = len && strcmp(method, "PUT") != 0;
	if (json_body && !(req = json_tokener_parse(body)))
		return message(reply, 400, "the body is not JSON");
	int status;
	if (!*rest || strcmp(rest, "/") == 0) {
		if (strcmp(method, "POST") == 0) {
			status = create(req, t, reply);
		} else if (strcmp(method, "GET") == 0) {
			*reply = json_object_new_array();
			pthread_mutex_lock(&lock);
			for (struct session *s = sessions; s; s = s->next)
				if (s->tenant == t)
					json_object_array_add(*reply, session_json(s));
			pthread_mutex_unlock(&lock);
			status = 200;
		} else {
			status = message(reply, 405, "use POST or GET");
		}
		json_object_put(req);
		return status;
	}
	rest++;
	size_t idlen = strcspn(rest, "/");
	const char *sub = rest + idlen;
	struct session *s = take(rest, idlen, t);
	if (!s) {
		json_object_put(req);
		return message(reply, 404, "no such session");
	}
	if (!*sub) {
		if (strcmp(method, "DELETE") == 0) {
			pthread_mutex_lock(&lock);
			unlink_session(s);
			pthread_mutex_unlock(&lock);
			session_end(s);
			json_object_put(req);
			*reply = json_object_new_object();
			json_object_object_add(*reply, "deleted", json_object_new_boolean(true));
			return 200;
		}
		status = strcmp(method, "GET") == 0 ? (*reply = session_json(s), 200) : message(reply, 405, "use GET or DELETE");
	} else if (strcmp(sub, "/commands") == 0) {
		status = strcmp(method, "POST") == 0 ? command(s, req, t, reply) : message(reply, 405, "use POST");
	} else if (strcmp(sub, "/changes") == 0) {
		status = strcmp(method, "GET") == 0 ? changes(s, reply) : message(reply, 405, "use GET");
	} else if (strncmp(sub, "/files/", 7) == 0) {
		status = file_op(s, method, sub + 7, body, len, reply, raw, raw_len);
	} else {
		status = message(reply, 404, "no such endpoint");
	}
	release(s);
	json_object_put(req);
	return status;
}
