/* Every task (thread) of the sandbox, its process and shared state. */
#ifndef SENTRY_TASK_H
#define SENTRY_TASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct sandbox;
struct arch_regs;

/* State shared by CLONE_FILES. */
struct fd_table {
	int refs;
};

/* State shared by CLONE_FS. */
struct fs_state {
	int refs;
	mode_t umask;
};

struct task {
	pid_t tid;
	pid_t tgid;            /* thread group (process) id */
	pid_t ppid;            /* parent process, 0 for the first process */
	struct sandbox *sandbox;
	struct fd_table *files;
	struct fs_state *fs;
	/* A new task reports a first ptrace stop and its parent a clone event,
	 * in either order; it runs once both have been seen. */
	bool awaiting_start_stop;
	bool held_at_start;
	bool initial_exec;     /* the first execve, made by the sentry's own code */
	uint64_t notif_id;     /* user-notify request being served, 0 if none */
	struct arch_regs *stop_regs; /* registers at the seccomp stop being served */
	bool injected;         /* a syscall was injected: now at its exit stop */
	bool died;             /* died while the sentry was serving it */
	int death_status;      /* its wait status then */
	struct task *hash_next;
};

/* Task registry, keyed by tid. */
struct task *task_find(struct sandbox *sb, pid_t tid);
struct task *task_add(struct sandbox *sb, pid_t tid, pid_t tgid, pid_t ppid);
void task_remove(struct sandbox *sb, struct task *task);
size_t task_count(struct sandbox *sb);
/* Calls fn for every task; stops early when fn returns nonzero. */
int task_for_each(struct sandbox *sb, int (*fn)(struct task *, void *), void *arg);

/* A pid the workload named: true when it is a process of this sandbox. */
/* The first task gets fresh fd table and fs state. */
void task_init_first(struct task *task, mode_t umask_value);

bool task_is_sandbox_process(struct sandbox *sb, pid_t pid);

/* Copying from and to the task's memory; -EFAULT when the range is bad. */
ssize_t task_read_mem(struct task *task, uint64_t addr, void *buf, size_t len);
ssize_t task_write_mem(struct task *task, uint64_t addr, const void *buf, size_t len);
/* A NUL-terminated string of at most max bytes (with the NUL):
 * -EFAULT, or -ENAMETOOLONG when no NUL comes within max. */
ssize_t task_read_string(struct task *task, uint64_t addr, char *buf, size_t max);

#endif
