/* Piston's POST /api/v2/execute: the request checked, its files written to
 * a fresh private folder, a compile step (when the runtime has one) whose
 * outputs are written back into that folder by the sentry, then the run
 * step in a sandbox of its own over the same folder. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "server.h"

struct job_file {
	char *name;
	char *data;
	size_t len;
};

struct job {
	const struct runtime *rt;
	struct job_file *files;
	size_t nfiles;
	const char *stdin_data;
	size_t stdin_len;
	const char **args;
	size_t nargs;
	double compile_timeout, run_timeout;      /* seconds */
	double compile_cpu, run_cpu;              /* seconds */
	long long compile_memory, run_memory;     /* bytes */
	char dir[4096];
	struct warm *warm;                        /* the run step's sandbox, started ahead */
	int client_fd;                            /* the request's connection */
};

static int fail(json_object **reply, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(json_object **reply, int status, const char *fmt, ...)
{
	char text[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	*reply = json_object_new_object();
	json_object_object_add(*reply, "message", json_object_new_string(text));
	return status;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' || c == '-' ? 62 : c == '/' || c == '_' ? 63 : -1;
}

/* Decodes text in place-sized buffer; -1 when malformed. */
static ssize_t decode(const char *encoding, const char *text, size_t len, char *out)
{
	if (strcmp(encoding, "utf8") == 0) {
		memcpy(out, text, len);
		return (ssize_t)len;
	}
	size_t n = 0;
	if (strcmp(encoding, "hex") == 0) {
		if (len % 2)
			return -1;
		for (size_t i = 0; i < len; i += 2) {
			int hi = hexval(text[i]), lo = hexval(text[i + 1]);
			if (hi < 0 || lo < 0)
				return -1;
			out[n++] = (char)(hi << 4 | lo);
		}
		return (ssize_t)n;
	}
	unsigned acc = 0;
	int bits = 0;
	size_t i = 0;
	for (; i < len && text[i] != '='; i++) {
		if (strchr(" \r\n\t", text[i]))
			continue;
		int v = b64val((unsigned char)text[i]);
		if (v < 0)
			return -1;
		acc = acc << 6 | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (char)(acc >> bits);
		}
	}
	for (; i < len; i++)
		if (!strchr("= \r\n\t", text[i]))
			return -1;
	return (ssize_t)n;
}

/* A relative name of parts that are neither empty, "." nor "..". */
bool job_safe_name(const char *name)
{
	if (!*name || name[0] == '/' || strlen(name) > 255)
		return false;
	for (const char *p = name; *p;) {
		size_t part = strcspn(p, "/");
		if (part == 0 || (part == 1 && p[0] == '.') || (part == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		p += part;
		if (*p == '/')
			p++;
		else
			break;
	}
	return name[strlen(name) - 1] != '/';
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	remove(path);
	return 0;
}

static void remove_tree(const char *dir)
{
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Writes the job's files under job->dir, making folders a name holds. */
static int write_files(struct job *job)
{
	int dirfd = open(job->dir, O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return -1;
	int r = 0;
	for (size_t i = 0; !r && i < job->nfiles; i++) {
		char *name = job->files[i].name;
		for (char *slash = strchr(name, '/'); slash; slash = strchr(slash + 1, '/')) {
			*slash = 0;
			if (mkdirat(dirfd, name, 0755) < 0 && errno != EEXIST)
				r = -1;
			*slash = '/';
		}
		int fd = r ? -1 : openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0) {
			r = -1;
			break;
		}
		for (size_t off = 0; off < job->files[i].len;) {
			ssize_t n = write(fd, job->files[i].data + off, job->files[i].len - off);
			if (n <= 0) {
				r = -1;
				break;
			}
			off += (size_t)n;
		}
		close(fd);
	}
	close(dirfd);
	return r;
}

/* A number of milliseconds (or bytes) no greater than max; -1 and absent
 * mean max. Returns -1 with *reply set on a bad value. */
static int limit_field(json_object *req, const char *key, double max, double scale, double *out, int *status,
		       json_object **reply)
{
	json_object *v;
	*out = max;
	if (!json_object_object_get_ex(req, key, &v) || json_object_is_type(v, json_type_null))
		return 0;
	if (!json_object_is_type(v, json_type_int) && !json_object_is_type(v, json_type_double)) {
		*status = fail(reply, 400, "%s must be a number", key);
		return -1;
	}
	double value = json_object_get_double(v);
	if (value == -1)
		return 0;
	if (!(value > 0) || !isfinite(value)) {
		*status = fail(reply, 400, "%s must be a positive number or -1", key);
		return -1;
	}
	if (value / scale > max) {
		*status = fail(reply, 400, "%s cannot exceed the configured limit of %.0f", key, max * scale);
		return -1;
	}
	*out = value / scale;
	return 0;
}

static int parse_files(json_object *files, struct job *job, int *status, json_object **reply)
{
	if (!files || !json_object_is_type(files, json_type_array) || json_object_array_length(files) == 0) {
		*status = fail(reply, 400, "files is required as a non-empty array");
		return -1;
	}
	job->nfiles = json_object_array_length(files);
	job->files = calloc(job->nfiles, sizeof(*job->files));
	long long total = 0;
	for (size_t i = 0; i < job->nfiles; i++) {
		json_object *f = json_object_array_get_idx(files, i), *content, *name, *encoding;
		if (!json_object_is_type(f, json_type_object) || !json_object_object_get_ex(f, "content", &content) ||
		    !json_object_is_type(content, json_type_string)) {
			*status = fail(reply, 400, "files[%zu].content is required as a string", i);
			return -1;
		}
		const char *enc = "utf8";
		if (json_object_object_get_ex(f, "encoding", &encoding) && !json_object_is_type(encoding, json_type_null)) {
			enc = json_object_get_string(encoding);
			if (!json_object_is_type(encoding, json_type_string) ||
			    (strcmp(enc, "utf8") && strcmp(enc, "base64") && strcmp(enc, "hex"))) {
				*status = fail(reply, 400, "files[%zu].encoding must be one of utf8, base64, hex", i);
				return -1;
			}
		}
		if (json_object_object_get_ex(f, "name", &name) && !json_object_is_type(name, json_type_null)) {
			if (!json_object_is_type(name, json_type_string) || !job_safe_name(json_object_get_string(name))) {
				*status = fail(reply, 400, "files[%zu].name must be a relative path without . or .. parts", i);
				return -1;
			}
			job->files[i].name = strdup(json_object_get_string(name));
		} else if (asprintf(&job->files[i].name, "file%zu%s", i, job->rt->extension) < 0) {
			return -1;
		}
		for (size_t j = 0; j < i; j++) {
			if (strcmp(job->files[j].name, job->files[i].name) == 0) {
				*status = fail(reply, 400, "files[%zu].name repeats files[%zu].name", i, j);
				return -1;
			}
		}
		size_t len = (size_t)json_object_get_string_len(content);
		job->files[i].data = malloc(len + 1);
		ssize_t n = job->files[i].data ? decode(enc, json_object_get_string(content), len, job->files[i].data) : -1;
		if (n < 0) {
			*status = fail(reply, 400, "files[%zu].content is not valid %s", i, enc);
			return -1;
		}
		job->files[i].len = (size_t)n;
		total += n;
	}
	if (total > serve_cfg.max.file_store) {
		*status = fail(reply, 413, "files hold %lld bytes, more than the limit of %lld", total,
			       serve_cfg.max.file_store);
		return -1;
	}
	return 0;
}

/* The runtime's template with {file}, {files} and {args} expanded; args
 * go last when the template does not place them. */
static char **expand(char **tmpl, const struct job *job, bool with_args)
{
	size_t n = 0;
	bool placed = false;
	while (tmpl[n])
		n++;
	char **argv = calloc(n + job->nfiles + job->nargs + 1, sizeof(char *));
	size_t k = 0;
	for (size_t i = 0; argv && i < n; i++) {
		if (strcmp(tmpl[i], "{files}") == 0) {
			for (size_t f = 0; f < job->nfiles; f++)
				argv[k++] = job->files[f].name;
		} else if (strcmp(tmpl[i], "{file}") == 0) {
			argv[k++] = job->files[0].name;
		} else if (strcmp(tmpl[i], "{args}") == 0) {
			placed = true;
			for (size_t a = 0; with_args && a < job->nargs; a++)
				argv[k++] = (char *)job->args[a];
		} else {
			argv[k++] = tmpl[i];
		}
	}
	for (size_t a = 0; argv && with_args && !placed && a < job->nargs; a++)
		argv[k++] = (char *)job->args[a];
	return argv;
}

static void job_free(struct job *job)
{
	if (job->warm)
		pool_end(job->warm, NULL); /* the run never came */
	for (size_t i = 0; job->files && i < job->nfiles; i++) {
		free(job->files[i].name);
		free(job->files[i].data);
	}
	free(job->files);
	free(job->args);
	if (job->dir[0])
		remove_tree(job->dir);
}

static int parse(json_object *req, struct job *job, int *status, json_object **reply)
{
	json_object *v;
	const struct serve_limits *max = &serve_cfg.max;
	if (!json_object_is_type(req, json_type_object)) {
		*status = fail(reply, 400, "the body must be a JSON object");
		return -1;
	}
	if (!json_object_object_get_ex(req, "language", &v) || !json_object_is_type(v, json_type_string)) {
		*status = fail(reply, 400, "language is required as a string");
		return -1;
	}
	const char *language = json_object_get_string(v);
	if (!json_object_object_get_ex(req, "version", &v) || !json_object_is_type(v, json_type_string)) {
		*status = fail(reply, 400, "version is required as a string");
		return -1;
	}
	const char *version = json_object_get_string(v);
	job->rt = runtime_find(language, version);
	if (!job->rt) {
		*status = fail(reply, 400, "%s-%s runtime is unknown", language, version);
		return -1;
	}
	if (parse_files(json_object_object_get_ex(req, "files", &v) ? v : NULL, job, status, reply) < 0)
		return -1;
	job->stdin_data = "";
	if (json_object_object_get_ex(req, "stdin", &v) && !json_object_is_type(v, json_type_null)) {
		if (!json_object_is_type(v, json_type_string)) {
			*status = fail(reply, 400, "stdin must be a string");
			return -1;
		}
		job->stdin_data = json_object_get_string(v);
		job->stdin_len = (size_t)json_object_get_string_len(v);
	}
	if (json_object_object_get_ex(req, "args", &v) && !json_object_is_type(v, json_type_null)) {
		if (!json_object_is_type(v, json_type_array)) {
			*status = fail(reply, 400, "args must be an array of strings");
			return -1;
		}
		job->nargs = json_object_array_length(v);
		job->args = calloc(job->nargs + 1, sizeof(char *));
		for (size_t i = 0; i < job->nargs; i++) {
			json_object *a = json_object_array_get_idx(v, i);
			if (!json_object_is_type(a, json_type_string)) {
				*status = fail(reply, 400, "args[%zu] must be a string", i);
				return -1;
			}
			job->args[i] = json_object_get_string(a);
		}
	}
	double mem_max = (double)(max->process_memory ? max->process_memory : max->file_store), compile_mem, run_mem;
	if (limit_field(req, "compile_timeout", max->compile_timeout, 1e3, &job->compile_timeout, status, reply) < 0 ||
	    limit_field(req, "run_timeout", max->run_timeout, 1e3, &job->run_timeout, status, reply) < 0 ||
	    limit_field(req, "compile_cpu_time", max->cpu_time ? max->cpu_time : max->compile_timeout, 1e3,
			&job->compile_cpu, status, reply) < 0 ||
	    limit_field(req, "run_cpu_time", max->cpu_time ? max->cpu_time : max->run_timeout, 1e3, &job->run_cpu,
			status, reply) < 0 ||
	    limit_field(req, "compile_memory_limit", mem_max, 1, &compile_mem, status, reply) < 0 ||
	    limit_field(req, "run_memory_limit", mem_max, 1, &run_mem, status, reply) < 0)
		return -1;
	/* Without --max-cpu-time, CPU time is limited only when asked for. */
	if (!max->cpu_time && !json_object_object_get_ex(req, "compile_cpu_time", &v))
		job->compile_cpu = 0;
	if (!max->cpu_time && !json_object_object_get_ex(req, "run_cpu_time", &v))
		job->run_cpu = 0;
	job->compile_memory = (long long)compile_mem;
	job->run_memory = (long long)run_mem;
	return 0;
}

/* The limits of one step of the job. */
static struct stage_request step_request(const struct job *job, bool compile)
{
	const struct serve_limits *max = &serve_cfg.max;
	long long memory = compile ? job->compile_memory : job->run_memory;
	struct stage_request req = {
		.workspace = job->dir,
		.write_back = compile,
		.stdin_data = compile ? "" : job->stdin_data,
		.stdin_len = compile ? 0 : job->stdin_len,
		.timeout = compile ? job->compile_timeout : job->run_timeout,
		.cpu_time = compile ? job->compile_cpu : job->run_cpu,
		/* Without a process memory limit in the sentry, a request's
		 * memory limit bounds what its files may hold. */
		.file_store = max->process_memory || !serve_cfg.has.process_memory ? max->file_store : memory,
		.process_memory = serve_cfg.has.process_memory ? memory : 0,
		.processes = max->processes,
		.open_files = max->open_files,
		.output = max->output,
		.hangup_fd = job->client_fd,
	};
	if (!serve_cfg.has.process_memory && memory < req.file_store)
		req.file_store = memory;
	return req;
}

/* One step of the job; -1 when the sandbox could not be started. */
static int step(struct job *job, bool compile, struct stage_result *res)
{
	char **argv = expand(compile ? job->rt->compile : job->rt->run, job, !compile);
	if (!argv)
		return -1;
	struct stage_request req = step_request(job, compile);
	req.argv = argv;
	if (!compile) {
		req.warm = job->warm; /* ended by the run */
		job->warm = NULL;
	}
	int r = stage_run(&req, res);
	if (r < 0 && req.warm) {
		/* it died before it could take the command: one from nothing */
		req.warm = NULL;
		r = stage_run(&req, res);
	}
	free(argv);
	return r;
}

int execute_request(const char *body, size_t len, const char *tenant, int client_fd, json_object **reply)
{
	struct json_tokener *tok = json_tokener_new();
	json_object *req = tok ? json_tokener_parse_ex(tok, body, (int)len) : NULL;
	bool whole = tok && json_tokener_get_error(tok) == json_tokener_success &&
		     strspn(body + json_tokener_get_parse_end(tok), " \t\r\n") == len - json_tokener_get_parse_end(tok);
	if (tok)
		json_tokener_free(tok);
	if (!req || !whole) {
		json_object_put(req);
		return fail(reply, 400, "the body is not JSON");
	}
	struct job job = { .client_fd = client_fd };
	int status = 200;
	if (parse(req, &job, &status, reply) < 0)
		goto out;
	struct stage_request run = step_request(&job, false);
	job.warm = pool_take(&run);
	if (job.warm)
		memcpy(job.dir, job.warm->dir, sizeof(job.dir));
	else
		snprintf(job.dir, sizeof(job.dir), "%s/job.XXXXXX", serve_cfg.scratch);
	if (!job.warm && !mkdtemp(job.dir)) {
		job.dir[0] = 0;
		status = fail(reply, 500, "cannot make the job's folder: %s", strerror(errno));
		goto out;
	}
	if (write_files(&job) < 0) {
		status = fail(reply, 500, "cannot write the job's files: %s", strerror(errno));
		goto out;
	}
	*reply = json_object_new_object();
	json_object_object_add(*reply, "language", json_object_new_string(job.rt->language));
	json_object_object_add(*reply, "version", json_object_new_string(job.rt->version));
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct stage_result res;
	const char *outcome = "OK";
	char limits[160] = "";
	bool warm = job.warm != NULL, client_gone = false;
	if (job.rt->compile) {
		if (step(&job, true, &res) < 0) {
			json_object_put(*reply);
			status = fail(reply, 500, "cannot start a sandbox");
			goto out;
		}
		json_object_object_add(*reply, "compile", stage_json(&res));
		outcome = stage_status(&res);
		bool compiled = res.code == 0 && !res.signal && !res.sandbox_failed;
		client_gone = res.client_gone;
		memcpy(limits, res.limits, sizeof(limits));
		stage_result_free(&res);
		if (!compiled)
			goto done;
	}
	if (step(&job, false, &res) < 0) {
		json_object_put(*reply);
		status = fail(reply, 500, "cannot start a sandbox");
		goto out;
	}
	json_object_object_add(*reply, "run", stage_json(&res));
	outcome = stage_status(&res);
	client_gone = res.client_gone;
	memcpy(limits, res.limits, sizeof(limits));
	stage_result_free(&res);
done:
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	metrics_run(job.rt->language, outcome, seconds);
	json_object *f = json_object_new_object();
	json_object_object_add(f, "tenant", json_object_new_string(tenant));
	json_object_object_add(f, "language", json_object_new_string(job.rt->language));
	json_object_object_add(f, "status", json_object_new_string(outcome));
	json_object_object_add(f, "seconds", json_object_new_double(seconds));
	json_object_object_add(f, "limits", json_object_new_string(limits));
	json_object_object_add(f, "warm", json_object_new_boolean(warm));
	if (client_gone)
		json_object_object_add(f, "client_gone", json_object_new_boolean(true));
	serve_log("run", f);
out:
	job_free(&job);
	json_object_put(req);
	return status;
}
