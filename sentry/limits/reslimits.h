/* Resource limits of the workload (--pids-limit, --cpu-time,
 * --process-memory, --max-open-files, --cpus, --cpuset-cpus,
 * --cpuset-mems, --cgroup) and the --report
 * written at exit. Each limit is applied by the strongest means there is:
 * a cgroup (v1 or v2) when one is usable, else an rlimit of every
 * workload process; tasks are counted by the sentry itself. */
#ifndef SENTRY_RESLIMITS_H
#define SENTRY_RESLIMITS_H

#include <sched.h>
#include <stdbool.h>
#include <sys/types.h>

struct task;
struct syscall_call;

/* One option, by its long name without dashes: NULL when taken, else what
 * is wrong with value. */
const char *limits_option(const char *name, const char *value);

/* Before the workload starts: opens the report file, makes and fills the
 * cgroup. -1 after one line on stderr. */
int limits_prepare(int verbose);

/* True when every clone, fork and vfork must reach the sentry. */
bool limits_counting_tasks(void);
/* A new --pids-limit for the running workload (an OCI runtime's update);
 * 0 or less: none. 0, or -ENOTSUP when the sandbox started without one,
 * as its clones then never reach the sentry. */
int limits_set_pids(long n);

/* Limits of a running sandbox lowered for what it runs next (a warm
 * sandbox taken for a run with tighter limits); 0: unchanged. Only lower:
 * anything higher, or a limit the sandbox cannot lower, is refused whole
 * (the reason, nothing changed); NULL once applied. */
struct limits_lowered {
	unsigned long long memory; /* the memory cgroup's limit, bytes */
	double cpu_time;           /* seconds */
	long open_files;
};
const char *limits_lower(const struct limits_lowered *to);
/* What an exec'd command sets before it starts, for the limits applied to
 * each process (rlimits) that were lowered; 0: nothing. */
void limits_exec_rlimits(unsigned long long *cpu_seconds, long *open_files);

/* The workload's fd limit must stay below the sentry's reserved fds
 * (the lowest is `reserved`): -1 after one line when it would not. */
int limits_check_fds(int reserved);

/* The CPUs the workload's cgroup lets it use, when it is in a cpuset:
 * false when it is not (any CPU). */
bool limits_workload_cpus(cpu_set_t *set);

/* In the workload's first process after fork, before the filter: joins
 * the cgroup, sets the rlimits. 0 or -errno. */
int limits_enter_child(void);

/* The workload runs: the clock starts, the CPU-time watch too. */
void limits_started(int first_pidfd);

/* A clone, fork or vfork of task: 0 to let it run, -EAGAIN past
 * --pids-limit, as Linux's pids controller answers. */
long limits_new_task(struct task *task, struct syscall_call *call);
/* The kernel reported the task a clone of parent_tid made. */
void limits_task_created(pid_t parent_tid);

/* The workload is gone (every task reaped): tells why it ended when a
 * limit ended it, writes the report, removes the cgroup. Returns the exit
 * status sentry should give (124 when CPU time ran out). */
int limits_finish(int status, int first_wait_status, bool timed_out);

/* At the end of main: when limits_finish never ran (sentry failed), the
 * report says so and the cgroup goes. Returns status. */
int limits_after_run(int status);

#endif
