/* sentry-runc: an OCI runtime whose containers run inside the sentry. */
#ifndef SENTRY_OCI_H
#define SENTRY_OCI_H

#include <stdbool.h>
#include <sys/types.h>

#include <json-c/json.h>

/* Global flags, as runc takes them. */
struct runtime {
	const char *root;       /* --root: the containers' state folders */
	const char *log;        /* --log FILE */
	bool log_json;          /* --log-format json */
	bool debug;
	bool systemd_cgroup;
	const char *platform;   /* --platform: the containers' default; the
				 * annotation dev.sentry.platform wins */
};
extern struct runtime rt;

/* One line to stderr and the --log file: "sentry-runc: ...". */
void oci_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void oci_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void oci_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growing argv. */
struct argv {
	char **v;
	int n, cap;
};
void argv_add(struct argv *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* What config.json asks, turned into the sentry's command line and what
 * sentry-runc does itself around it. */
struct rlimit_entry {
	int resource;
	unsigned long long soft, hard;
};
struct container_config {
	json_object *json;      /* the whole config.json */
	char *rootfs;           /* absolute */
	struct argv sentry;     /* the sentry's flags, then -- and process.args */
	bool terminal;
	unsigned rows, cols;
	struct rlimit_entry rlimits[16];
	int nrlimits;
	bool has_umask;
	mode_t umask;
	bool has_oom_score_adj;
	int oom_score_adj;
	bool new_netns; /* a network namespace without a path: the sentry's own */
	const char *join_netns; /* rootless: the namespace at this path is
				 * where the sentry starts, as it could not
				 * return from it to the host's */
};

/* Reads BUNDLE/config.json. 0, or -1 after one line naming what is not
 * supported or malformed. */
int config_load(const char *bundle, struct container_config *cfg);

/* Runs the hooks of config.json's hooks.NAME in order, each given the
 * state JSON on stdin. 0, or -1 after one line (the first that failed). */
int hooks_run(json_object *config, const char *name, const char *state_json);

/* A running container: its sentry, and the workload's first process
 * (0 before it is known), whose cgroups are the container's (cgroups.c). */
struct container_pids {
	pid_t sentry, first;
};
/* 1 when the container's cgroup is frozen, 0 when not, -1 when it has
 * none of its own. */
int cgroup_paused(const struct container_pids *p);
/* Freezes (and waits until every task stopped) or thaws it: 0, or -1
 * after one line. */
int cgroup_freeze(const struct container_pids *p, const char *id, bool freeze);
/* Writes linux.resources' memory and cpu fields into its cgroups (v1 or
 * v2); pids are the sentry's. check_only: whether anything else is asked
 * for, or a cgroup it has not (one line then), before anything is
 * written. 0 or -1. */
int cgroup_update(const struct container_pids *p, json_object *resources, bool check_only);

/* Once its processes are gone: removes the leaf folder `path` (a
 * cgroupsPath) from every hierarchy where it is left. */
void cgroup_remove(const char *path);

/* Rootless (rootless.c): sentry-runc runs without root of the host, as an
 * unprivileged user or as uid 0 of a rootless engine's user namespace. */
bool rootless(void);
/* $XDG_RUNTIME_DIR/sentry-runc when rootless, as runc's default --root;
 * else NULL. */
const char *rootless_state_root(void);
/* Whether the namespace file at path is the user namespace we run in. */
bool user_namespace_is_ours(const char *path);
/* Moves the calling thread into the network namespace at path: 0, or -1
 * after one line. */
int join_network_namespace(const char *path);
/* Rootless on cgroup v1, whose hierarchies only root may write. */
bool rootless_without_cgroups(void);

/* Whether `sentry --help` names this option (one built beside us). */
bool sentry_has_option(const char *option);
/* The sentry binary beside this one. */
const char *sentry_path(void);

#endif
