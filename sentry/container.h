/* What an OCI runtime asks of the sentry: a bundle's rootfs as the whole
 * image, a start gate, a console pty sent to a socket, given credentials,
 * and a network namespace of the caller's choosing. */
#ifndef SENTRY_CONTAINER_H
#define SENTRY_CONTAINER_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct options;
struct task_cred;

struct container_opts {
	const char *rootfs;         /* --rootfs=DIR: the image is DIR whole */
	bool rootfs_readonly;       /* --rootfs-readonly: and / is read-only */
	const char *cwd;            /* --cwd=DIR: where the workload starts */
	bool clear_env;             /* --clear-env: only what --env sets */
	const char *start_fifo;     /* --start-fifo=PATH: held until opened */
	int ready_fd;               /* --ready-fd=N: a byte once held, -1 */
	const char *console_socket; /* --console-socket=PATH */
	unsigned short rows, cols;  /* --console-size=ROWSxCOLS */
	bool has_user;              /* --user=UID:GID[:G1,G2...] */
	uid_t uid;
	gid_t gid;
	int ngroups;
	gid_t groups[64];
	bool has_caps;              /* --capabilities=NAME,... */
	uint64_t caps;
	struct container_tmpfs *tmpfs; /* --tmpfs=GUEST[:OPTIONS] */
	int ntmpfs;
	const char **sysctl;        /* --sysctl=KEY=VALUE, NULL-terminated */
	int nsysctl;
};

/* An empty in-memory folder at guest, with tmpfs's own options: size= and
 * nr_inodes= as text for the kernel (NULL: none), mode=, uid=, gid=. */
struct container_tmpfs {
	char *guest;
	char *size, *nr_inodes;
	mode_t mode;
	uid_t uid;
	gid_t gid;
};

/* Option parsers: NULL, or what is wrong (for a one-line usage error). */
const char *container_parse_user(struct container_opts *c, const char *spec);
const char *container_parse_caps(struct container_opts *c, const char *spec);
const char *container_parse_console_size(struct container_opts *c, const char *spec);
const char *container_parse_ready_fd(struct container_opts *c, const char *spec);

const char *container_add_tmpfs(struct container_opts *c, const char *guest);
/* A value the sandbox's /proc/sys shows (vfs_proc_sysctl_check), or a
 * net.* key of the sandbox's network namespace. */
const char *container_add_sysctl(struct container_opts *c, const char *spec);
/* Sets the net.* ones in the sandbox's network namespace, each entry then
 * holding the value the kernel shows. 0, or -1 after one line. */
struct sandbox;
int container_apply_sysctl(struct container_opts *c, struct sandbox *sb);
/* Mounts them, after the image. 0 or -errno. */
struct vfs_ctx;
int container_mount_tmpfs(const struct container_opts *c, const struct vfs_ctx *ctx);

/* The first task's credentials as --user and --capabilities give them. */
void container_apply_cred(const struct container_opts *c, struct task_cred *cred);

/* --console-socket: a pty of the sandbox's devpts instance; its master is
 * sent to the socket (SCM_RIGHTS) and the slave returned (the sandbox's
 * /dev/tty), its number in *number; or -errno after one line. */
int container_console(const struct container_opts *c, int devpts_fd, int *number);

/* The workload's side of the console, in a session of its own: opens
 * /dev/pts/NUMBER (through the sandbox: the child runs under its filter)
 * as its controlling terminal and stdio. 0 or -errno. */
int container_take_console(int number);
/* fd to the unix socket at path with name as the message, as runc's
 * --console-socket: 0 or -errno. */
int container_send_console(const char *path, int fd, const char *name);

/* The start gate: says it is ready (--ready-fd) and waits until --start-fifo
 * is opened for reading. 0, -1 after one line, or the signal number in
 * *stop once a signal handler (without SA_RESTART) has set it. */
int container_wait_start(const struct container_opts *c, volatile sig_atomic_t *stop);

#endif
