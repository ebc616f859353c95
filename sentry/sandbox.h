/* One sandbox: its options, tasks and the platform that catches calls. */
#ifndef SENTRY_SANDBOX_H
#define SENTRY_SANDBOX_H

#include <stdbool.h>
#include <sys/types.h>

#include "container.h"
#include "task.h"

enum platform_kind { PLATFORM_UNOTIFY, PLATFORM_PTRACE };

struct options {
	enum platform_kind platform;
	bool no_pin;      /* --pin=off: never keep the sandbox on one CPU */
	bool fastpath;    /* --fastpath: stats answered in the workload */
	bool trace;       /* one line per caught syscall on stderr */
	bool stats;       /* counts and time per syscall on exit */
	const char *audit; /* --audit FILE: JSON lines of denials and decisions */
	bool backtrace;   /* denials carry the workload's stack and code */
	bool no_workspace; /* do not import the current folder */
	const char *workspace; /* the folder to import, default the cwd */
	const char *hostname;  /* what uname and /proc/sys/kernel/hostname say */
	char **env_names;  /* --env NAME[=VALUE], NULL-terminated */
	const char **image_paths; /* --image PATH: more of the host, read-only */
	int nimage;
	/* --mount HOST:GUEST: host folders imported copy-on-write */
	struct sandbox_mount { char *host, *guest; } *mounts;
	int nmount;
	/* --bind HOST:GUEST[:ro]: host folders and files served, changes reach HOST */
	struct sandbox_bind { char *host, *guest; bool ro; } *binds;
	int nbind;
	int nenv;
	double timeout;    /* seconds, 0 for none */
	unsigned long long memory_limit; /* VFS bytes, 0 for none */
	struct net_policy *net; /* --allow-net destinations, NULL for none */
	int verbose;
	bool quiet;        /* -q: no denial lines on stderr */
	char **argv;      /* the workload's command line */
	struct container_opts container; /* --rootfs, --start-fifo, --user... */
};

#define TASK_HASH_SIZE 1024

/* HOME inside: an empty in-memory folder. */
#define SANDBOX_HOME "/home/sandbox"

struct sandbox {
	struct options *opts;
	struct vfs *vfs;         /* the sandbox's file system tree */
	const char *const *image_include; /* host paths shown read-only */
	struct vfs_proc_provider proc_provider;
	/* The last /proc/<pid>/fd/<n> link the VFS followed to a kernel
	 * object (a pipe, the caller's terminal), which the VFS cannot open:
	 * the file syscalls open it themselves. */
	struct {
		bool set;
		pid_t pid;
		int fd;
	} kernel_fd_link;
	int notify_fd;           /* seccomp user-notify listener, -1 on ptrace */
	/* Reserved numbers in every workload fd table, hidden from it: */
	int fd_loader;           /* the loader's memfd, executed by every exec */
	int fd_courier;          /* a socket the sentry sends fds through */
	int courier_sentry_end;  /* the sentry's end of that socket */
	pid_t init_pid;          /* the first process */
	int init_status;         /* its wait status once it has ended */
	bool init_exited;
	size_t ntasks;
	struct task *tasks[TASK_HASH_SIZE];
};

/* The one sandbox of this process, from sandbox_run until exit. */
extern struct sandbox *sentry_sandbox;

/* Adds --mount HOST:GUEST (split at the last colon) to opts: HOST an
 * existing host folder, GUEST an absolute path other than /.  NULL, or
 * what is wrong with spec. */
const char *sandbox_add_mount(struct options *opts, const char *spec);

/* Starts the workload and serves it until the first process ends.
 * Returns the exit status sentry should exit with. */
int sandbox_run(struct options *opts);

/* Log lines: "sentry: ..." on stderr, plain or (--log-format) one JSON
 * object or logfmt line each, with level, msg and time as runc's --log. */
enum log_format { LOG_PLAIN, LOG_JSON, LOG_LOGFMT };
/* NULL, or what is wrong with name. */
const char *sentry_log_set_format(const char *name);
void sentry_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sentry_debug(struct sandbox *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A line of level error (a bad option); the caller decides what follows. */
void sentry_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* An internal failure: the workload is killed, never let through. */
void sentry_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
