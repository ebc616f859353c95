/* --control=PATH: a unix socket through which `sentry exec` starts more
 * processes in a running sandbox, lists the workspace's changes, and
 * stops the sandbox.
 *
 * A new process enters through the spawner: a process the first one
 * forks (CLONE_PARENT: a child of the sentry) after its filter is in
 * place and before it execs the command, so it shares that filter (and
 * its user-notify listener) and is traced like every task. It is hidden
 * from the workload (task.hidden), holds only its channel to the sentry
 * and the reserved fds, and for each request forks (CLONE_PARENT again)
 * a process that takes the client's stdin, stdout and stderr, the cwd
 * and environment, and execs the command through the sandbox's exec. The
 * sentry gives it its credentials at birth, keeps it hidden until that
 * exec, and tells the client its pid and, at the end, its wait status. */
#ifndef SENTRY_CONTROL_H
#define SENTRY_CONTROL_H

#include <stdbool.h>

#include "sandbox.h"

/* The request and reply words of the socket: each message is NUL-ended
 * strings, the first the kind ("exec", "signal", "changes", "stop",
 * "limits"; from the sentry "pid", "exit", "error", "changes", "console"
 * with a pty's master for exec's tty=, "done"), the rest key=value. */
#define CONTROL_MAX_MESSAGE 131072

/* main: --control PATH. NULL, or what is wrong with it. */
const char *control_set_path(const char *path);
bool control_wanted(void);

/* sandbox_run, before the first process is forked: binds the socket
 * (one line and -1 when it cannot) and makes the spawner's channel. */
int control_listen(struct sandbox *sb);
/* The spawner's end of the channel, for the first process; -1 without
 * --control. */
int control_spawner_end(void);
/* In the first process, its filter installed: forks the spawner, which
 * never returns. 0 or -errno. */
int control_fork_spawner(int channel, int fd_loader);
/* sandbox_run, the workload started: the main workload's environment,
 * whose PATH and HOME an exec'd command gets unless --env sets them. */
void control_start(char **envp);

/* The serve loops: an fd readable when the socket has work (-1 without
 * --control), and doing that work. */
int control_fd(void);
void control_serve(struct sandbox *sb);

/* The task lifecycle's moments the spawner and its processes need. */
void control_task_born(struct sandbox *sb, struct task *parent, struct task *child);
void control_task_execed(struct sandbox *sb, struct task *task);
void control_task_exited(struct sandbox *sb, struct task *task, int status);

/* Once every workload task is gone: the clients still waiting hear that
 * their command was killed, and the socket is removed. */
void control_end(void);

/* `sentry exec`: the client (control_client.c). */
int exec_main(int argc, char **argv);

/* In an exec'd process whose command could not be run: the line and the
 * exit status a shell gives (sandbox.c). */
__attribute__((noreturn)) void command_exec_failed(const char *command, int e);

#endif
