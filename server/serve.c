/* sentry serve: the HTTP side (libmicrohttpd, a thread per connection: a
 * request waits for its sandbox in its own thread), the options, and the
 * drain on SIGTERM. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "header_watch.h"
#include "policy.h"
#include "units.h"
#include "serve.h"
#include "server.h"

#define EXIT_BAD_USAGE 125

struct serve_config serve_cfg;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int in_flight;   /* execute requests admitted or waiting */
static atomic_bool draining;

void serve_log(const char *event, json_object *fields)
{
	json_object *o = json_object_new_object();
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	json_object_object_add(o, "time", json_object_new_double((double)ts.tv_sec + (double)ts.tv_nsec / 1e9));
	json_object_object_add(o, "event", json_object_new_string(event));
	if (fields) {
		json_object_object_foreach(fields, key, value) json_object_object_add(o, key, json_object_get(value));
		json_object_put(fields);
	}
	pthread_mutex_lock(&log_lock);
	fprintf(stderr, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	fflush(stderr);
	pthread_mutex_unlock(&log_lock);
	json_object_put(o);
}

static const char usage[] =
	"usage: sentry serve [options]\n"
	"Runs each request in a fresh sentry sandbox; speaks Piston's v2 API.\n"
	"\n"
	"  --listen=ADDR:PORT|unix:PATH  where to listen (default 127.0.0.1:2000;\n"
	"                             port 0 picks a free one, logged at start)\n"
	"  --runtimes=FILE            more runtimes: a JSON array of {language,\n"
	"                             version, aliases, extension, compile, run}\n"
	"  --keys=FILE                API keys: a JSON array of {key, tenant,\n"
	"                             max_concurrent, runs_per_minute}; then every\n"
	"                             /api request needs one (Authorization header)\n"
	"  --max-concurrent=N         sandboxes at once (default: the CPUs)\n"
	"  --warm=N                   sandboxes kept started ahead of requests\n"
	"                             (default: the CPUs; 0: none)\n"
	"  --max-queue=N              requests waiting for one (default 64); past\n"
	"                             it, 429 with Retry-After\n"
	"  --max-run-timeout=SECONDS  wall time of a run step (default 10)\n"
	"  --max-compile-timeout=SECONDS  wall time of a compile step (default 30)\n"
	"  --max-cpu-time=SECONDS     CPU time of a step (default: its wall time)\n"
	"  --max-memory=SIZE          bytes a run's processes may hold (default 512M)\n"
	"  --max-file-store=SIZE      bytes a run's files may hold (default 256M)\n"
	"  --max-processes=N          processes of a run at once (default 64)\n"
	"  --max-open-files=N         open files per process (default 256)\n"
	"  --max-output=SIZE          bytes kept of stdout and of stderr; past it\n"
	"                             the run ends, status OL or EL (default 64K)\n"
	"  --max-body=SIZE            bytes of a request body (default 4M; 413)\n"
	"  --body-timeout=SECONDS     time a request body may take to arrive in all,\n"
	"                             however slowly it trickles (default 30; then\n"
	"                             the connection is closed)\n"
	"  --header-timeout=SECONDS   time a request's headers may take in all\n"
	"                             (default 30; 0: none; then the connection\n"
	"                             is closed)\n"
	"  --grace=SECONDS            on SIGTERM, how long runs may finish (default 30)\n"
	"  --max-sessions=N           sessions (/v1/sandboxes) at once (default 16)\n"
	"  --session-idle=SECONDS     a session unused this long ends (default 300)\n"
	"  --session-life=SECONDS     a session ends this long after its start\n"
	"                             (default 3600)\n"
	"  --platform=unotify|ptrace  how every sandbox catches calls (default\n"
	"                             unotify; see sentry --help)\n"
	"  --policy=FILE              read these options from FILE, one per line\n"
	"  -h, --help                 this text\n";

enum {
	OPT_LISTEN = 256,
	OPT_RUNTIMES,
	OPT_KEYS,
	OPT_CONCURRENT,
	OPT_QUEUE,
	OPT_RUN_TIMEOUT,
	OPT_COMPILE_TIMEOUT,
	OPT_CPU_TIME,
	OPT_MEMORY,
	OPT_FILE_STORE,
	OPT_PROCESSES,
	OPT_OPEN_FILES,
	OPT_OUTPUT,
	OPT_BODY,
	OPT_GRACE,
	OPT_BODY_TIMEOUT,
	OPT_HEADER_TIMEOUT,
	OPT_POLICY,
	OPT_SESSIONS,
	OPT_SESSION_IDLE,
	OPT_SESSION_LIFE,
	OPT_WARM,
	OPT_PLATFORM,
};

static const struct option long_options[] = {
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "runtimes", required_argument, NULL, OPT_RUNTIMES },
	{ "keys", required_argument, NULL, OPT_KEYS },
	{ "max-concurrent", required_argument, NULL, OPT_CONCURRENT },
	{ "max-queue", required_argument, NULL, OPT_QUEUE },
	{ "max-run-timeout", required_argument, NULL, OPT_RUN_TIMEOUT },
	{ "max-compile-timeout", required_argument, NULL, OPT_COMPILE_TIMEOUT },
	{ "max-cpu-time", required_argument, NULL, OPT_CPU_TIME },
	{ "max-memory", required_argument, NULL, OPT_MEMORY },
	{ "max-file-store", required_argument, NULL, OPT_FILE_STORE },
	{ "max-processes", required_argument, NULL, OPT_PROCESSES },
	{ "max-open-files", required_argument, NULL, OPT_OPEN_FILES },
	{ "max-output", required_argument, NULL, OPT_OUTPUT },
	{ "max-body", required_argument, NULL, OPT_BODY },
	{ "grace", required_argument, NULL, OPT_GRACE },
	{ "body-timeout", required_argument, NULL, OPT_BODY_TIMEOUT },
	{ "header-timeout", required_argument, NULL, OPT_HEADER_TIMEOUT },
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "max-sessions", required_argument, NULL, OPT_SESSIONS },
	{ "session-idle", required_argument, NULL, OPT_SESSION_IDLE },
	{ "session-life", required_argument, NULL, OPT_SESSION_LIFE },
	{ "warm", required_argument, NULL, OPT_WARM },
	{ "platform", required_argument, NULL, OPT_PLATFORM },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int bad_usage(const char *what, const char *arg)
{
	const char *from = policy_origin(optind - 1);
	fprintf(stderr, "sentry: serve: %s%s%s%s%s; see sentry serve --help\n", from ? from : "", from ? ": " : "", what,
		arg ? " " : "", arg ? arg : "");
	return EXIT_BAD_USAGE;
}

static int parse_count(const char *text)
{
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	return errno || end == text || *end || v <= 0 || v > 1000000 ? -1 : (int)v;
}

/* What the sentry offers, from its --help. */
static void read_features(void)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0)
		return;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		execl(serve_cfg.sentry, serve_cfg.sentry, "--help", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	char *text = NULL;
	size_t len = 0;
	FILE *all = open_memstream(&text, &len);
	char chunk[4096];
	ssize_t n;
	while (all && pid > 0 && (n = read(fds[0], chunk, sizeof(chunk))) > 0)
		fwrite(chunk, 1, (size_t)n, all);
	if (all)
		fclose(all);
	close(fds[0]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	if (!text)
		return;
	struct sentry_features *has = &serve_cfg.has;
	has->cpu_time = strstr(text, "--cpu-time") != NULL;
	has->process_memory = strstr(text, "--process-memory") != NULL;
	has->pids_limit = strstr(text, "--pids-limit") != NULL;
	has->open_files = strstr(text, "--max-open-files") != NULL;
	has->report = strstr(text, "--report") != NULL;
	free(text);
}

static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* The cgroups of a server that ended without removing them (killed):
 * sentry-serve.PID whose PID is gone, with no process left inside. */
static void remove_stale_cgroups(const char *root)
{
	DIR *dir = opendir(root);
	struct dirent *e;
	while (dir && (e = readdir(dir))) {
		int pid;
		char path[PATH_MAX];
		if (sscanf(e->d_name, "sentry-serve.%d", &pid) != 1 || pid == getpid() || kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		snprintf(path, sizeof(path), "%s/%s", root, e->d_name);
		stage_cgroup_release(path);
	}
	if (dir)
		closedir(dir);
}

/* The server's own cgroup in the v1 pids hierarchy, or v2's (the "0::"
 * line), beneath mount: where a service manager that delegates a cgroup
 * expects the server's to be. "" for the hierarchy's root. */
static void own_cgroup(bool v2, const char *mount, char *out, size_t size)
{
	snprintf(out, size, "%s", mount);
	FILE *f = fopen("/proc/self/cgroup", "re");
	char line[PATH_MAX];
	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		char *ctrls = strchr(line, ':'), *path = ctrls ? strchr(ctrls + 1, ':') : NULL;
		if (!path)
			continue;
		*path++ = 0;
		ctrls++;
		bool pids = false;
		for (char *save, *c = strtok_r(ctrls, ",", &save); c; c = strtok_r(NULL, ",", &save))
			pids |= strcmp(c, "pids") == 0;
		if ((v2 && !*ctrls && strcmp(line, "0") == 0) || (!v2 && pids)) {
			if (strcmp(path, "/") != 0 && !strstr(path, "/.."))
				snprintf(out, size, "%s%s", mount, path);
			break;
		}
	}
	if (f)
		fclose(f);
}

/* A folder for the runs' pids cgroups (v1 or v2), or NULL where the
 * server may not make one: beneath the server's own cgroup, else at the
 * hierarchy's root. */
static char *cgroup_base(bool *v2)
{
	char own_v1[PATH_MAX / 2], own_v2[PATH_MAX / 2]; /* room for the names made below */
	own_cgroup(false, "/sys/fs/cgroup/pids", own_v1, sizeof(own_v1));
	own_cgroup(true, "/sys/fs/cgroup", own_v2, sizeof(own_v2));
	const char *const roots[] = { own_v1, "/sys/fs/cgroup/pids", own_v2, "/sys/fs/cgroup", NULL };
	for (int i = 0; roots[i]; i++) {
		if (i % 2 && strcmp(roots[i], roots[i - 1]) == 0)
			continue; /* the own cgroup was the root */
		char probe[PATH_MAX];
		snprintf(probe, sizeof(probe), "%s/cgroup.procs", roots[i]);
		if (access(roots[i], W_OK) < 0 || access(probe, F_OK) < 0)
			continue;
		remove_stale_cgroups(roots[i]);
		char *base;
		if (asprintf(&base, "%s/sentry-serve.%d", roots[i], (int)getpid()) < 0)
			return NULL;
		snprintf(probe, sizeof(probe), "%s/cgroup.subtree_control", base);
		*v2 = i >= 2;
		if (mkdir(base, 0700) == 0 && (!*v2 || write_text(probe, "+pids") == 0)) {
			char child[PATH_MAX];
			snprintf(child, sizeof(child), "%s/probe", base);
			snprintf(probe, sizeof(probe), "%s/probe/pids.max", base);
			bool usable = mkdir(child, 0700) == 0 && access(probe, F_OK) == 0;
			rmdir(child);
			if (usable)
				return base;
		}
		rmdir(base);
		free(base);
	}
	return NULL;
}

static int listen_on(const char *spec, char *shown, size_t shown_size)
{
	if (strncmp(spec, "unix:", 5) == 0) {
		struct sockaddr_un sun = { .sun_family = AF_UNIX };
		const char *path = spec + 5;
		if (!*path || strlen(path) >= sizeof(sun.sun_path)) {
			errno = ENAMETOOLONG;
			return -1;
		}
		strcpy(sun.sun_path, path);
		struct stat st;
		if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
			unlink(path); /* a socket a stopped server left */
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 || listen(fd, 256) < 0) {
			int e = errno;
			if (fd >= 0)
				close(fd);
			errno = e;
			return -1;
		}
		snprintf(shown, shown_size, "unix:%s", path);
		return fd;
	}
	const char *colon = strrchr(spec, ':');
	if (!colon || colon == spec || !colon[1]) {
		errno = EINVAL;
		return -1;
	}
	char host[256];
	size_t hlen = (size_t)(colon - spec);
	if (spec[0] == '[' && colon[-1] == ']') {
		spec++;
		hlen -= 2;
	}
	if (hlen >= sizeof(host)) {
		errno = EINVAL;
		return -1;
	}
	memcpy(host, spec, hlen);
	host[hlen] = 0;
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE | AI_NUMERICSERV | AI_NUMERICHOST },
			*res;
	if (getaddrinfo(host, colon + 1, &hints, &res) != 0) {
		errno = EINVAL;
		return -1;
	}
	int fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, res->ai_addr, res->ai_addrlen) < 0 || listen(fd, 256) < 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		freeaddrinfo(res);
		errno = e;
		return -1;
	}
	freeaddrinfo(res);
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char port[16];
	getsockname(fd, (struct sockaddr *)&ss, &sl);
	getnameinfo((struct sockaddr *)&ss, sl, host, sizeof(host), port, sizeof(port), NI_NUMERICHOST | NI_NUMERICSERV);
	snprintf(shown, shown_size, ss.ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s", host, port);
	return fd;
}

/* --- requests --- */

struct request {
	char *body;
	size_t len, cap;
	bool too_large;
	struct timespec began; /* its first call: the body's time counts from it */
};

/* libmicrohttpd closes a connection idle for 60 s, not a slow one: a body
 * trickling a byte a minute would hold its thread for ever */
static double body_timeout = 30;
static double header_timeout = 30;
static double seconds_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static enum MHD_Result reply_text(struct MHD_Connection *c, int status, const char *type, const char *text,
				  int retry_after)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (retry_after > 0) {
		char value[16];
		snprintf(value, sizeof(value), "%d", retry_after);
		MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, value);
	}
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, r);
	MHD_destroy_response(r);
	metrics_http(status);
	return ret;
}

/* Sends body (consumed) as JSON. */
static enum MHD_Result reply_json(struct MHD_Connection *c, int status, json_object *body, int retry_after)
{
	enum MHD_Result ret = reply_text(
		c, status, "application/json",
		json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE), retry_after);
	json_object_put(body);
	return ret;
}

static enum MHD_Result reply_bytes(struct MHD_Connection *c, char *data, size_t len)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(data);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/octet-stream");
	enum MHD_Result ret = MHD_queue_response(c, 200, r);
	MHD_destroy_response(r);
	metrics_http(200);
	return ret;
}

static enum MHD_Result reply_message(struct MHD_Connection *c, int status, const char *message, int retry_after)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "message", json_object_new_string(message));
	return reply_json(c, status, o, retry_after);
}

static enum MHD_Result execute(struct MHD_Connection *c, struct tenant *t, struct request *r)
{
	int retry_after = 0;
	atomic_fetch_add(&in_flight, 1);
	enum admit a = admit_enter(t, &retry_after);
	enum MHD_Result ret;
	switch (a) {
	case ADMIT_OK: {
		json_object *reply = NULL;
		const union MHD_ConnectionInfo *info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		int status = execute_request(r->body ? r->body : "", r->len, tenant_name(t),
					     info ? info->connect_fd : -1, &reply);
		admit_leave(t);
		ret = reply_json(c, status, reply, 0);
		break;
	}
	case ADMIT_RATE:
		ret = reply_message(c, 429, "this key's runs per minute are used up", retry_after);
		break;
	case ADMIT_QUEUE_FULL:
		ret = reply_message(c, 429, "every sandbox is busy and the queue is full", retry_after);
		break;
	default:
		ret = reply_message(c, 503, "the server is shutting down", 0);
		break;
	}
	atomic_fetch_sub(&in_flight, 1);
	return ret;
}

static enum MHD_Result route(struct MHD_Connection *c, const char *url, const char *method, struct request *r)
{
	bool get = strcmp(method, "GET") == 0, post = strcmp(method, "POST") == 0;
	if (strcmp(url, "/healthz") == 0) {
		if (!get)
			return reply_message(c, 405, "use GET", 0);
		bool down = atomic_load(&draining);
		return reply_text(c, down ? 503 : 200, "application/json",
				  down ? "{\"status\":\"draining\"}" : "{\"status\":\"ok\"}", 0);
	}
	if (strcmp(url, "/metrics") == 0) {
		if (!get)
			return reply_message(c, 405, "use GET", 0);
		char *text = metrics_text();
		enum MHD_Result ret = reply_text(c, 200, "text/plain; version=0.0.4", text ? text : "", 0);
		free(text);
		return ret;
	}
	bool runtimes = strcmp(url, "/api/v2/runtimes") == 0, exec = strcmp(url, "/api/v2/execute") == 0;
	bool session = strncmp(url, "/v1/sandboxes", 13) == 0 && (!url[13] || url[13] == '/');
	if (!runtimes && !exec && !session)
		return reply_message(c, 404, "no such endpoint", 0);
	struct tenant *t = tenant_for(MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION));
	if (!t)
		return reply_message(c, 401, "a valid API key is required in the Authorization header", 0);
	if (session) {
		if (r->too_large)
			return reply_message(c, 413, "the body is larger than the server's limit", 0);
		if (atomic_load(&draining))
			return reply_message(c, 503, "the server is shutting down", 0);
		json_object *reply = NULL;
		char *raw = NULL;
		size_t raw_len = 0;
		atomic_fetch_add(&in_flight, 1);
		int status = session_request(method, url, r->body ? r->body : "", r->len, t, &reply, &raw, &raw_len);
		enum MHD_Result ret = raw ? reply_bytes(c, raw, raw_len) : reply_json(c, status, reply, 0);
		atomic_fetch_sub(&in_flight, 1);
		return ret;
	}
	if (runtimes)
		return get ? reply_json(c, 200, runtimes_json(), 0) : reply_message(c, 405, "use GET", 0);
	if (!post)
		return reply_message(c, 405, "use POST", 0);
	if (r->too_large)
		return reply_message(c, 413, "the body is larger than the server's limit", 0);
	if (atomic_load(&draining))
		return reply_message(c, 503, "the server is shutting down", 0);
	return execute(c, t, r);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	struct request *r = *con_cls;
	if (!r) {
		r = calloc(1, sizeof(*r));
		if (!r)
			return MHD_NO;
		*con_cls = r;
		clock_gettime(CLOCK_MONOTONIC, &r->began);
		header_watch_headers_done(c);
		const char *length = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (length && strtoull(length, NULL, 10) > (unsigned long long)serve_cfg.max.body)
			return reply_message(c, 413, "the body is larger than the server's limit", 0);
		return MHD_YES;
	}
	if (*upload_data_size) {
		/* closed: libmicrohttpd queues no answer while a body arrives */
		if (body_timeout > 0 && seconds_since(&r->began) > body_timeout) {
			json_object *f = json_object_new_object();
			json_object_object_add(f, "bytes", json_object_new_int64((int64_t)r->len));
			serve_log("body_timeout", f);
			return MHD_NO;
		}
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		if (r->too_large || r->len + n > (size_t)serve_cfg.max.body) {
			r->too_large = true;
			return MHD_YES;
		}
		if (r->len + n + 1 > r->cap) {
			size_t cap = (r->len + n + 1) * 2;
			char *grown = realloc(r->body, cap);
			if (!grown)
				return MHD_NO;
			r->body = grown;
			r->cap = cap;
		}
		memcpy(r->body + r->len, upload_data, n);
		r->len += n;
		r->body[r->len] = 0;
		return MHD_YES;
	}
	return route(c, url, method, r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode why)
{
	struct request *r = *con_cls;
	if (r) {
		free(r->body);
		free(r);
	}
	*con_cls = NULL;
	header_watch_request_done(c);
}

/* SIGTERM or SIGINT: new runs get 503, runs in flight finish (killed once
 * the grace is over), then the server stops. */
static void drain(const sigset_t *signals, double grace)
{
	atomic_store(&draining, true);
	admit_drain();
	json_object *f = json_object_new_object();
	json_object_object_add(f, "in_flight", json_object_new_int(atomic_load(&in_flight)));
	json_object_object_add(f, "grace", json_object_new_double(grace));
	serve_log("draining", f);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	bool killed = false;
	while (atomic_load(&in_flight) > 0) {
		struct timespec tick = { 0, 50 * 1000 * 1000 };
		if (sigtimedwait(signals, NULL, &tick) > 0)
			grace = 0; /* a second signal: stop now */
		if (!killed && seconds_since(&t0) >= grace) {
			serve_log("grace_over", NULL);
			stage_kill_all();
			killed = true;
		}
		if (killed)
			stage_kill_all(); /* a run that started since */
	}
}

int serve_main(int argc, char **argv)
{
	const char *listen = "127.0.0.1:2000", *runtimes_file = NULL, *keys_file = NULL;
	double grace = 30, cpu_time = 0, session_idle = 300, session_life = 3600;
	int max_sessions = 16;
	int warm = -1; /* the CPUs */
	long nproc = sysconf(_SC_NPROCESSORS_ONLN);
	serve_cfg.concurrent = nproc > 0 ? (int)nproc : 1;
	serve_cfg.queue = 64;
	serve_cfg.platform = "unotify";
	serve_cfg.max = (struct serve_limits){
		.run_timeout = 10, .compile_timeout = 30, .file_store = 256LL << 20, .process_memory = 512LL << 20,
		.processes = 64, .open_files = 256, .output = 64 << 10, .body = 4 << 20,
	};
	if (policy_expand(&argc, &argv, long_options, "+h", OPT_POLICY) < 0)
		return EXIT_BAD_USAGE;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "+h", long_options, NULL)) != -1) {
		long long size = 0;
		double secs = 0;
		int count = 0;
		switch (c) {
		case OPT_LISTEN: listen = optarg; break;
		case OPT_RUNTIMES: runtimes_file = optarg; break;
		case OPT_KEYS: keys_file = optarg; break;
		case OPT_POLICY: break;
		case OPT_PLATFORM:
			if (strcmp(optarg, "unotify") != 0 && strcmp(optarg, "ptrace") != 0)
				return bad_usage("unknown platform (use unotify or ptrace):", argv[optind - 1]);
			serve_cfg.platform = strcmp(optarg, "ptrace") == 0 ? "ptrace" : "unotify";
			break;
		case OPT_WARM:
			if (strspn(optarg, "0123456789") != strlen(optarg) || !optarg[0] || strlen(optarg) > 4)
				return bad_usage("expected a number (0: none) for", argv[optind - 1]);
			warm = atoi(optarg);
			break;
		case OPT_RUN_TIMEOUT: case OPT_COMPILE_TIMEOUT: case OPT_CPU_TIME: case OPT_GRACE:
		case OPT_SESSION_IDLE: case OPT_SESSION_LIFE: case OPT_BODY_TIMEOUT: case OPT_HEADER_TIMEOUT:
			if (c == OPT_HEADER_TIMEOUT && strcmp(optarg, "0") == 0) {
				header_timeout = 0;
				break;
			}
			if ((secs = units_seconds(optarg, 86400)) < 0)
				return bad_usage("expected seconds (10, 0.5) for", argv[optind - 1]);
			if (c == OPT_SESSION_IDLE)
				session_idle = secs;
			else if (c == OPT_SESSION_LIFE)
				session_life = secs;
			else if (c == OPT_RUN_TIMEOUT)
				serve_cfg.max.run_timeout = secs;
			else if (c == OPT_COMPILE_TIMEOUT)
				serve_cfg.max.compile_timeout = secs;
			else if (c == OPT_CPU_TIME)
				cpu_time = secs;
			else if (c == OPT_BODY_TIMEOUT)
				body_timeout = secs;
			else if (c == OPT_HEADER_TIMEOUT)
				header_timeout = secs;
			else
				grace = secs;
			break;
		case OPT_MEMORY: case OPT_FILE_STORE: case OPT_OUTPUT: case OPT_BODY:
			if ((size = units_size(optarg)) <= 0)
				return bad_usage("expected a size (512M, 64K) for", argv[optind - 1]);
			if (c == OPT_MEMORY)
				serve_cfg.max.process_memory = size;
			else if (c == OPT_FILE_STORE)
				serve_cfg.max.file_store = size;
			else if (c == OPT_OUTPUT)
				serve_cfg.max.output = size;
			else
				serve_cfg.max.body = size;
			break;
		case OPT_CONCURRENT: case OPT_QUEUE: case OPT_PROCESSES: case OPT_OPEN_FILES: case OPT_SESSIONS:
			if ((count = parse_count(optarg)) < 0)
				return bad_usage("expected a positive number for", argv[optind - 1]);
			if (c == OPT_SESSIONS)
				max_sessions = count;
			else if (c == OPT_CONCURRENT)
				serve_cfg.concurrent = count;
			else if (c == OPT_QUEUE)
				serve_cfg.queue = count;
			else if (c == OPT_PROCESSES)
				serve_cfg.max.processes = count;
			else
				serve_cfg.max.open_files = count;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		case ':':
			return bad_usage("missing value for", argv[optind - 1]);
		default:
			return bad_usage("unknown option", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return bad_usage("takes no arguments; unexpected", argv[optind]);
	serve_cfg.max.cpu_time = cpu_time;
	if (warm < 0)
		warm = nproc > 0 ? (int)nproc : 1;
	policy_forget();

	static char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0) {
		fprintf(stderr, "sentry: serve: cannot find its own binary: %s\n", strerror(errno));
		return EXIT_BAD_USAGE;
	}
	self[n] = 0;
	/* each job runs under the sentry beside sentry-serve */
	static char sentry[PATH_MAX + 8];
	snprintf(sentry, sizeof(sentry), "%s/sentry", dirname(self));
	serve_cfg.sentry = sentry;
	read_features();
	if (runtimes_detect() < 0 || (runtimes_file && runtimes_load(runtimes_file) < 0))
		return EXIT_BAD_USAGE;
	if (keys_file && keys_load(keys_file) < 0)
		return EXIT_BAD_USAGE;

	char shown[PATH_MAX + 8];
	int fd = listen_on(listen, shown, sizeof(shown));
	if (fd < 0) {
		fprintf(stderr, "sentry: serve: cannot listen on %s: %s\n", listen, strerror(errno));
		return EXIT_BAD_USAGE;
	}
	static char scratch[PATH_MAX];
	const char *tmp = getenv("TMPDIR");
	snprintf(scratch, sizeof(scratch), "%s/sentry-serve.XXXXXX", tmp && *tmp == '/' ? tmp : "/tmp");
	if (!mkdtemp(scratch)) {
		fprintf(stderr, "sentry: serve: cannot make a folder for the jobs' files: %s\n", strerror(errno));
		return EXIT_BAD_USAGE;
	}
	serve_cfg.scratch = scratch;
	char *cgroups = cgroup_base(&serve_cfg.cgroup_v2);
	serve_cfg.cgroup_pids = cgroups;

	/* Every thread the daemon starts inherits the mask: only the main
	 * thread takes these signals, in sigtimedwait. A sandbox's writes to
	 * a pipe whose reader is gone fail with EPIPE instead of killing us. */
	sigset_t signals;
	sigemptyset(&signals);
	sigaddset(&signals, SIGTERM);
	sigaddset(&signals, SIGINT);
	pthread_sigmask(SIG_BLOCK, &signals, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (sessions_start(session_idle, session_life, max_sessions) < 0) {
		fprintf(stderr, "sentry: serve: cannot start the sessions' sweeper\n");
		rmdir(scratch);
		return EXIT_BAD_USAGE;
	}
	if (pool_start(warm) < 0) {
		fprintf(stderr, "sentry: serve: cannot start the warm sandboxes' thread\n");
		rmdir(scratch);
		return EXIT_BAD_USAGE;
	}
	if (header_watch_start(header_timeout) < 0) {
		fprintf(stderr, "sentry: serve: cannot start the headers' watch\n");
		rmdir(scratch);
		return EXIT_BAD_USAGE;
	}
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL | MHD_USE_ITC, 0, NULL, NULL,
		on_request, NULL, MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_NOTIFY_CONNECTION, header_watch_notify, NULL,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "sentry: serve: the HTTP server did not start\n");
		rmdir(scratch);
		return EXIT_BAD_USAGE;
	}
	json_object *f = json_object_new_object(), *langs = json_object_new_array();
	for (size_t i = 0; i < runtimes_count(); i++) {
		char name[256];
		snprintf(name, sizeof(name), "%s-%s", runtime_at(i)->language, runtime_at(i)->version);
		json_object_array_add(langs, json_object_new_string(name));
	}
	const struct sentry_features *has = &serve_cfg.has;
	char limits[256];
	snprintf(limits, sizeof(limits), "wall time (--timeout), file store (--memory-limit)%s%s%s%s%s",
		 has->cpu_time ? ", cpu time" : "", has->process_memory ? ", process memory" : "",
		 has->pids_limit ? ", processes (sentry)" : "", cgroups ? ", processes (pids cgroup)" : "",
		 has->open_files ? ", open files" : "");
	json_object_object_add(f, "address", json_object_new_string(shown));
	json_object_object_add(f, "runtimes", langs);
	json_object_object_add(f, "platform", json_object_new_string(serve_cfg.platform));
	json_object_object_add(f, "concurrent", json_object_new_int(serve_cfg.concurrent));
	json_object_object_add(f, "queue", json_object_new_int(serve_cfg.queue));
	json_object_object_add(f, "warm", json_object_new_int(warm));
	json_object_object_add(f, "limits", json_object_new_string(limits));
	json_object_object_add(f, "keys", json_object_new_boolean(keys_configured()));
	serve_log("listening", f);

	for (;;) {
		int sig = sigwaitinfo(&signals, NULL);
		if (sig == SIGTERM || sig == SIGINT)
			break;
	}
	drain(&signals, grace);
	MHD_stop_daemon(d);
	header_watch_stop();
	sessions_stop_all();
	pool_stop();
	if (cgroups)
		rmdir(cgroups);
	rmdir(scratch);
	if (strncmp(listen, "unix:", 5) == 0)
		unlink(listen + 5);
	serve_log("stopped", NULL);
	return 0;
}
