/* Every task (thread) of the sandbox, its process and shared state. */
#ifndef SENTRY_TASK_H
#define SENTRY_TASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "vfs.h"

struct sandbox;
struct arch_regs;

/* State shared by CLONE_FS: root, cwd and umask. */
struct fs_state {
	int refs;
	mode_t umask;
	struct vfs_path root;
	struct vfs_path cwd;
};

/* The credentials the sandbox emulates for a task, as Linux keeps them
 * (struct cred): the host process never changes uid, and holds no
 * capability at all. Capability sets are bit masks of CAP_* numbers. */
#define TASK_NGROUPS_MAX 64
struct task_cred {
	uid_t ruid, euid, suid, fsuid;
	gid_t rgid, egid, sgid, fsgid;
	int ngroups;
	gid_t groups[TASK_NGROUPS_MAX];
	uint64_t cap_inheritable, cap_permitted, cap_effective, cap_bounding, cap_ambient;
	unsigned securebits; /* SECBIT_* of linux/securebits.h */
};

/* Every capability this kernel ABI names (CAP_LAST_CAP of the headers). */
uint64_t task_cap_full(void);
/* The first task's: uid and gid, all capabilities for uid 0, none else. */
void task_cred_init(struct task_cred *cred, uid_t uid, gid_t gid);
/* The sentry's own ids and supplementary groups: the workload's start. */
void task_cred_of_host(struct task_cred *cred);
/* What an exec does to them: set-id bits are never honoured, the saved
 * ids become the effective ones, and capabilities follow Linux's rules
 * for a file without file capabilities. */
void task_cred_exec(struct task_cred *cred);
static inline bool task_cred_capable(const struct task_cred *cred, int cap)
{
	return (cred->cap_effective >> cap) & 1;
}

#define HELD_IN_DEFERRED (-1)

struct task {
	pid_t tid;
	pid_t tgid;            /* thread group (process) id */
	pid_t ppid;            /* parent process, 0 for the first process */
	struct sandbox *sandbox;
	struct fs_state *fs;
	struct task_cred cred;
	struct vfs_path exe;         /* the program, for /proc/<pid>/exe */
	struct vfs_path pending_exe; /* set by an exec until it succeeds */
	/* A new task reports a first ptrace stop and its parent a clone event,
	 * in either order; it runs once both have been seen. */
	bool awaiting_start_stop;
	bool held_at_start;
	int pidfd;             /* of the task's process, -1 until needed */
	uint64_t notif_id;     /* user-notify request being served, 0 if none */
	bool answered;         /* ...and already answered (fd installed with
	                          SECCOMP_ADDFD_FLAG_SEND) */
	long kernel_ran_call;  /* user-notify: 1 + the number of the call last
	                          answered "continue" or ERESTARTSYS, whose
	                          ERESTARTSYS is the kernel's own; 0 if none */
	struct arch_regs *stop_regs; /* registers at the seccomp stop being served */
	bool injected;         /* a syscall was injected: now at its exit stop */
	bool died;             /* died while the sentry was serving it */
	pid_t vm_owner;        /* the process whose memory this task shares
	                          (a vfork child's parent), else its own tgid */
	pid_t vfork_waiter;    /* the thread blocked in vfork until this task
	                          execs or exits, 0 if none */
	bool exec_in_progress; /* rewritten into the loader's exec: its
	                          syscall-exit says whether it worked */
	char exec_name[16];    /* the name the exec gives the process, for
	                          the loader's PR_SET_NAME; "" when none */
	bool held;             /* stopped while another task execs */
	int held_status;       /* the stop it reported then, to serve later;
	                          HELD_IN_DEFERRED: it waits in a deferred call */
	uint64_t deferred_seq; /* the deferred call it waits in, 0 if none */
	long restart_at_exit;  /* ptrace: 1 + the deferred call a signal
	                          interrupted, rewound at its syscall-exit */
	bool deferred_at_exit; /* ptrace: its deferred call waits at the exit
	                          stop of a call the handler injected */
	int death_status;      /* its wait status then */
	bool hidden;           /* the sentry's own (control.h): no workload
	                          call finds it, /proc does not list it */
	struct task *hash_next;
};

/* Task registry, keyed by tid. task_find and task_for_each see what the
 * workload may see; the platforms and lifecycle see hidden tasks too. */
struct task *task_find(struct sandbox *sb, pid_t tid);
struct task *task_find_any(struct sandbox *sb, pid_t tid);
struct task *task_add(struct sandbox *sb, pid_t tid, pid_t tgid, pid_t ppid);
void task_remove(struct sandbox *sb, struct task *task);
size_t task_count(struct sandbox *sb);
/* Calls fn for every task; stops early when fn returns nonzero. */
int task_for_each(struct sandbox *sb, int (*fn)(struct task *, void *), void *arg);
int task_for_each_any(struct sandbox *sb, int (*fn)(struct task *, void *), void *arg);

/* Points slot (task->exe or task->pending_exe) at to (NULL: nowhere),
 * taking a reference. */
void task_set_exe(struct task *task, const struct vfs_path *to, struct vfs_path *slot);

/* A pid the workload named: true when it is a process of this sandbox. */
/* fs state: the first task's, a copy at fork (no CLONE_FS), or shared. */
struct fs_state *fs_state_new(const struct vfs_path *root, const struct vfs_path *cwd, mode_t umask_value);
struct fs_state *fs_state_copy(const struct fs_state *fs);
void fs_state_put(struct fs_state *fs);

bool task_is_sandbox_process(struct sandbox *sb, pid_t pid);

/* The state letter and parent of a host pid, from one read of its
 * /proc stat line; false when there is no such pid. */
bool host_pid_state(pid_t pid, char *state, pid_t *ppid);

/* Copying from and to the task's memory; -EFAULT when the range is bad. */
ssize_t task_read_mem(struct task *task, uint64_t addr, void *buf, size_t len);
ssize_t task_write_mem(struct task *task, uint64_t addr, const void *buf, size_t len);
/* A NUL-terminated string of at most max bytes (with the NUL):
 * -EFAULT, or -ENAMETOOLONG when no NUL comes within max. */
ssize_t task_read_string(struct task *task, uint64_t addr, char *buf, size_t max);

#endif
