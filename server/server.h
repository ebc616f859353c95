/* What the parts of sentry serve share. */
#ifndef SENTRY_SERVER_H
#define SENTRY_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include <json-c/json.h>

/* The server's maximums: a request may ask for less, never for more. */
struct serve_limits {
	double run_timeout;        /* seconds of wall time, run stage */
	double compile_timeout;    /* seconds of wall time, compile stage */
	double cpu_time;           /* seconds of CPU time per stage (0: none) */
	long long file_store;      /* bytes the sandbox's files may hold */
	long long process_memory;  /* bytes of memory the processes may map */
	int processes;             /* processes (and threads) at once */
	int open_files;            /* open files per process */
	long long output;          /* bytes kept of stdout, and of stderr */
	long long body;            /* bytes of a request body */
};

/* What the sentry binary this server starts offers beyond --timeout and
 * --memory-limit, read from its --help at start. */
struct sentry_features {
	bool cpu_time, process_memory, pids_limit, open_files, report;
};

struct serve_config {
	const char *sentry;        /* the sentry binary, resolved at start */
	const char *scratch;       /* the server's private folder for job files */
	const char *platform;      /* every sandbox's --platform: unotify or ptrace */
	struct serve_limits max;
	struct sentry_features has;
	int concurrent;            /* sandboxes at once */
	int queue;                 /* requests waiting for one */
	const char *cgroup_pids;   /* where per-run pids cgroups go, or NULL */
	bool cgroup_v2;
};

extern struct serve_config serve_cfg;

/* One JSON object per line on stderr: {"time", "event", ...fields}. The
 * object passed is consumed. */
void serve_log(const char *event, json_object *fields);

/* --- runtimes (runtimes.c) --- */
struct runtime {
	char *language, *version;
	char **aliases;            /* NULL-terminated */
	char *extension;           /* for files sent without a name: ".py" */
	char **compile;            /* NULL-terminated argv template, or NULL */
	char **run;                /* argv template: {file}, {files}, {args} */
};

int runtimes_detect(void);
/* Adds (or replaces, by language and version) the runtimes of a JSON file;
 * -1 after one line on stderr. */
int runtimes_load(const char *path);
size_t runtimes_count(void);
const struct runtime *runtime_at(size_t i);
/* The newest runtime whose language or alias is `language` and whose
 * version matches `selector` ("*", "3", "3.11", "3.x.1", "3.11.2"). */
const struct runtime *runtime_find(const char *language, const char *selector);
json_object *runtimes_json(void);

/* --- one sandboxed step (stage.c) --- */
struct warm;
struct stage_request {
	const char *workspace;     /* the job's folder, imported copy-on-write */
	bool write_back;           /* apply the step's changes to it (compile) */
	char **argv;               /* the command inside */
	char **client_argv;        /* or a whole command line of our own (sentry
				    * exec), ended at timeout; no cgroup made */
	struct warm *warm;         /* or a sandbox started ahead (pool.c): argv
				    * runs in it, the server ends it at timeout,
				    * and it is ended after the run */
	const char *stdin_data;
	size_t stdin_len;
	double timeout;            /* seconds */
	double cpu_time;           /* seconds, 0: none */
	long long file_store;
	long long process_memory;  /* bytes, 0: none */
	int processes;
	int open_files;
	long long output;
	int hangup_fd;             /* the client's socket: its hang-up ends
				    * the run; -1 for none */
};

struct stage_result {
	char *out, *err, *both;
	size_t out_len, err_len, both_len;
	bool out_cut, err_cut;     /* more was written than kept */
	int code;                  /* exit status, or -1 */
	int signal;                /* 0 or the signal that ended it */
	bool timed_out;            /* wall or CPU time */
	bool memory_out;           /* the kernel killed a process at the memory limit */
	bool sandbox_failed;       /* the sentry itself failed (exit 125) */
	bool client_gone;          /* the client hung up: the run was ended */
	char *message;             /* NULL or why it ended */
	double wall_ms, cpu_ms;
	long long memory;          /* bytes, -1 when unknown */
	char limits[160];          /* which limits applied and how */
};

int stage_run(const struct stage_request *req, struct stage_result *res);
void stage_result_free(struct stage_result *res);
/* "OK" when it ended well, else Piston's status: RE, SG, TO, OL, EL, XX. */
const char *stage_status(const struct stage_result *res);
json_object *stage_json(const struct stage_result *res);
/* A pids cgroup for a sandbox (NULL where the server makes none), and its
 * end: every process in it and below killed, then removed. */
char *stage_cgroup_make(int processes);
/* Its task limit: processes, and room for the sentry. -1 on failure. */
int stage_cgroup_set_processes(const char *cgroup, int processes);
void stage_cgroup_release(const char *cgroup);
/* The sentry's command line for a sandbox with req's limits; with
 * control, one that waits (no --timeout) for its command through the
 * control socket. limits gets which limits apply. */
char **stage_sentry_argv(const struct stage_request *req, const char *report, const char *control, char *limits,
			 size_t limits_size);
void stage_free_argv(char **argv);
/* A new process running child(arg), which makes system calls only and
 * ends in an exec or _exit; -1 with errno when none could start. */
pid_t stage_spawn(int (*child)(void *), void *arg);
/* A sandbox's sentry, argv, started through stage_spawn: it joins the
 * pids cgroup whose cgroup.procs is open at procs (unless -1), gets stdio
 * as 0, 1, 2, a session of its own and a shell's signal dispositions. */
pid_t stage_start_sentry(int procs, const int stdio[3], char **argv);
/* Reads the sentry's --report at path into res: false when there is none. */
bool stage_read_report(const char *path, struct stage_result *res);
/* Kills every sandbox still running (the end of a drain's grace). */
void stage_kill_all(void);
int stage_live(void);

/* --- warm sandboxes (pool.c) --- */
/* A sentry started ahead of any request with the pool's limits, its
 * image loaded and filter installed, whose first process only waits; a
 * run takes it, puts its files in its workspace folder and its command
 * through the control socket, and it is thrown away after that one run. */
struct warm {
	pid_t pid;                 /* its sentry, a child of the server */
	pid_t sentry;              /* the same, kept once it is reaped */
	char *cgroup;              /* its pids cgroup, or NULL */
	char dir[4096];            /* its workspace: a job folder, still empty */
	char control[108];         /* its control socket (a sun_path) */
	char report[4200];         /* its --report */
	int log;                   /* its stderr: a memfd, read with pread */
	int report_watch;          /* inotify on its report, closed once it ended */
	char limits[160];          /* which limits apply, as stage_result says */
	struct warm *next;
};

/* Starts keeping size sandboxes ready (0: none). -1 when it cannot. */
int pool_start(int size);
/* A ready sandbox whose limits are req's or lowered to them (all but the
 * wall time, which the server keeps), or NULL: the run then starts one
 * from nothing. */
struct warm *pool_take(const struct stage_request *req);
/* Sends argv with the run's stdio to w: the connected control socket,
 * or -1. */
int pool_exec(struct warm *w, char **argv, int in, int out, int err);
/* Ends w's sentry; with res, waits for its report, whose CPU time,
 * memory and limit kills go into res. The rest of its end (the sentry's
 * exit, its cgroup) goes on in the background, and w with all it holds
 * but its folder is freed. The sentry's wait status when it ended
 * before its report was read (a sentry killed under its run), else -1. */
int pool_end(struct warm *w, struct stage_result *res);
/* Ends every ready sandbox and waits for every ending one; none is
 * started after. */
void pool_stop(void);
int pool_ready(void);
/* The runs going or waiting changed: a pool paused for them looks again. */
void pool_load_changed(void);

/* --- Piston's execute (execute.c) --- */
/* Answers a POST /api/v2/execute body: an HTTP status and a JSON body. */
int execute_request(const char *body, size_t len, const char *tenant, int client_fd, json_object **reply);

/* A relative path of parts neither empty, "." nor "..". */
bool job_safe_name(const char *name);

/* --- sessions (session.c) --- */
struct tenant;
/* Answers a request under /v1/sandboxes: the status; *reply is JSON, or
 * *raw (malloc'd, *raw_len bytes) for a file's contents. */
int session_request(const char *method, const char *url, const char *body, size_t len, struct tenant *t,
		    json_object **reply, char **raw, size_t *raw_len);
int sessions_start(double idle, double life, int max);
void sessions_stop_all(void);
int sessions_live(void);

/* --- tenants and admission (admit.c) --- */
struct tenant;
int keys_load(const char *path);
bool keys_configured(void);
/* The tenant of an Authorization header value, NULL when keys are
 * configured and it names none. */
struct tenant *tenant_for(const char *authorization);
const char *tenant_name(const struct tenant *t);

enum admit { ADMIT_OK, ADMIT_QUEUE_FULL, ADMIT_RATE, ADMIT_DRAINING };
/* Waits for a sandbox slot, fairly across tenants. On refusal, *retry_after
 * is the seconds a client should wait. */
enum admit admit_enter(struct tenant *t, int *retry_after);
void admit_leave(struct tenant *t);
void admit_drain(void);
int admit_queued(void);
int admit_running(void);
/* Per-tenant lines of the metrics text. */
void admit_metrics(FILE *out);

/* --- metrics (metrics.c) --- */
void metrics_run(const char *language, const char *status, double seconds);
void metrics_http(int code);
/* Prometheus text exposition, malloc'd. */
char *metrics_text(void);

#endif
