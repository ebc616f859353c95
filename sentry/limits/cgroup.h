/* The workload's control group, on cgroup v1 (one hierarchy per
 * controller, found in /proc/mounts) or v2 (the unified hierarchy at
 * /sys/fs/cgroup). Every folder and file is reached without following a
 * symlink. The sentry itself never joins it: only the workload's first
 * process does, before its exec, and its children are born inside. */
#ifndef SENTRY_CGROUP_H
#define SENTRY_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* freezer: v1's hierarchy, joined so that an OCI runtime's pause can
 * freeze the workload without the sentry (v2 freezes any cgroup).
 * cpuset: only when asked for (enum cgroup_cpuset). */
enum cgroup_controller { CG_MEMORY, CG_CPU, CG_CPUACCT, CG_PIDS, CG_FREEZER, CG_CPUSET, CG_NCONTROLLERS };

/* Whether the cgroup is also in the cpuset controller: not at all, where
 * it can be (a cpuset hierarchy that is missing or refuses is left out),
 * or necessarily (cgroup_open fails without it). */
enum cgroup_cpuset { CGROUP_CPUSET_NO, CGROUP_CPUSET_TRY, CGROUP_CPUSET_MUST };

struct cgroup;

/* Which cgroup version this machine runs: 1, 2, or 0 for none found. */
int cgroup_version_here(void);

/* Opens (and makes where missing) the cgroup at `path`, a path below each
 * hierarchy's root as OCI's cgroupsPath; NULL: a fresh one of the sentry's
 * own, below its current cgroup (sentry-<pid>) or else at /sentry/<pid>.
 * On v1 every mounted hierarchy of memory, cpu, cpuacct, pids and freezer holds
 * it, and cpuset's as `cpuset` says; a v1 cpuset folder this makes (or
 * finds empty) gets its parent's cpuset.cpus and cpuset.mems, without
 * which it takes no task. *out is set, or -errno and *why says what failed. */
int cgroup_open(const char *path, enum cgroup_cpuset cpuset, struct cgroup **out, const char **why);

/* For a sentry of pid `sentry` that shared this process's cgroups and was
 * killed before its cleanup: removes the folder it made below them for
 * its workload (what cgroup_open(NULL) makes), in every hierarchy; only
 * an empty one goes. */
void cgroup_remove_leaf_of(pid_t sentry);

int cgroup_version(const struct cgroup *cg);
/* The path below the root (the memory hierarchy's on v1). */
const char *cgroup_path(const struct cgroup *cg);
/* True when the hierarchy holding `ctrl` has the cgroup. */
bool cgroup_has(const struct cgroup *cg, enum cgroup_controller ctrl);

/* Writes value into `file` of the cgroup in the hierarchy of ctrl: 0 or -errno. */
int cgroup_write(struct cgroup *cg, enum cgroup_controller ctrl, const char *file, const char *value);
/* The number in `file`, or after `key ` on a line of it: 0 or -errno. */
int cgroup_read_u64(struct cgroup *cg, enum cgroup_controller ctrl, const char *file, const char *key,
		    uint64_t *value);
bool cgroup_file_exists(struct cgroup *cg, enum cgroup_controller ctrl, const char *file);
/* The text of `file`, without its trailing newline: 0 or -errno. */
int cgroup_read_text(struct cgroup *cg, enum cgroup_controller ctrl, const char *file, char *text, size_t size);

/* In the workload's first process, after fork: moves it into the cgroup
 * in every hierarchy. 0 or -errno. */
int cgroup_enter(struct cgroup *cg);

/* Once the workload is gone: removes the folders cgroup_open made (after
 * waiting a little for the killed processes to leave), and frees cg. */
void cgroup_close(struct cgroup *cg);

#endif
