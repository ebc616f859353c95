/* The sentry's side of an OCI runtime (oci/): options for credentials,
 * capabilities and the console, the console pty itself, and the start
 * gate that holds a set-up sandbox until the runtime's `start`. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "container.h"
#include "netns.h"
#include "sandbox.h"
#include "task.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

static bool parse_id(const char *text, size_t len, unsigned *out)
{
	if (len == 0 || len > 10 || strspn(text, "0123456789") < len)
		return false;
	unsigned long v = strtoul(text, NULL, 10);
	if (v >= (unsigned)-1) /* (uid_t)-1 means "unchanged" to the kernel */
		return false;
	*out = (unsigned)v;
	return true;
}

const char *container_parse_user(struct container_opts *c, const char *spec)
{
	const char *bad = "--user takes UID:GID[:GID1,GID2...], not";
	size_t ulen = strcspn(spec, ":");
	if (spec[ulen] != ':' || !parse_id(spec, ulen, &c->uid))
		return bad;
	const char *g = spec + ulen + 1;
	size_t glen = strcspn(g, ":");
	if (!parse_id(g, glen, &c->gid))
		return bad;
	c->ngroups = 0;
	for (const char *s = g[glen] == ':' ? g + glen + 1 : NULL; s && *s; ) {
		size_t len = strcspn(s, ",");
		unsigned id;
		if (c->ngroups == (int)(sizeof(c->groups) / sizeof(c->groups[0])) || !parse_id(s, len, &id))
			return bad;
		c->groups[c->ngroups++] = id;
		s += len + (s[len] == ',');
	}
	c->has_user = true;
	return NULL;
}

static const char *const cap_names[] = {
	"CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP",
	"LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
	"SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE",
	"SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
	"MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF",
	"CHECKPOINT_RESTORE",
};

const char *container_parse_caps(struct container_opts *c, const char *spec)
{
	uint64_t set = 0;
	for (const char *s = spec; *s; ) {
		size_t len = strcspn(s, ",");
		if (len > 4 && strncasecmp(s, "CAP_", 4) == 0) {
			s += 4;
			len -= 4;
		}
		int found = -1;
		for (int i = 0; i < (int)(sizeof(cap_names) / sizeof(cap_names[0])) && found < 0; i++)
			if (strlen(cap_names[i]) == len && strncasecmp(s, cap_names[i], len) == 0)
				found = i;
		if (found < 0)
			return "--capabilities takes names such as CAP_CHOWN,CAP_KILL (or nothing), not";
		if ((uint64_t)1 << found & task_cap_full())
			set |= (uint64_t)1 << found;
		s += len + (s[len] == ',');
	}
	c->caps = set;
	c->has_caps = true;
	return NULL;
}

const char *container_parse_console_size(struct container_opts *c, const char *spec)
{
	unsigned rows, cols;
	char tail;
	if (sscanf(spec, "%ux%u%c", &rows, &cols, &tail) != 2 || rows > 65535 || cols > 65535)
		return "--console-size takes ROWSxCOLS, not";
	c->rows = (unsigned short)rows;
	c->cols = (unsigned short)cols;
	return NULL;
}

const char *container_parse_ready_fd(struct container_opts *c, const char *spec)
{
	unsigned fd;
	if (!parse_id(spec, strlen(spec), &fd) || fd < 3 || fcntl((int)fd, F_GETFD) < 0)
		return "--ready-fd takes an open fd number above 2, not";
	c->ready_fd = (int)fd;
	fcntl((int)fd, F_SETFD, FD_CLOEXEC); /* never the workload's */
	return NULL;
}

/* tmpfs's syntax: a number with a suffix of k, m, g, t, p or e, or
 * (size only) a percentage of the memory. */
static bool tmpfs_number(const char *v, bool percent)
{
	size_t n = strspn(v, "0123456789");
	if (n == 0 || n > 19)
		return false;
	if (!v[n])
		return true;
	if (v[n + 1])
		return false;
	return strchr("kKmMgGtTpPeE", v[n]) || (percent && v[n] == '%');
}

static bool tmpfs_option(struct container_tmpfs *t, const char *o, size_t len)
{
	char *v = strndup(o, len);
	if (!v)
		sentry_fatal("out of memory");
	char *eq = strchr(v, '=');
	if (eq)
		*eq++ = '\0';
	bool ok = false;
	unsigned id;
	if (eq && strcmp(v, "size") == 0 && tmpfs_number(eq, true)) {
		free(t->size);
		t->size = strdup(eq);
		ok = t->size != NULL;
	} else if (eq && strcmp(v, "nr_inodes") == 0 && tmpfs_number(eq, false)) {
		free(t->nr_inodes);
		t->nr_inodes = strdup(eq);
		ok = t->nr_inodes != NULL;
	} else if (eq && strcmp(v, "mode") == 0 && *eq && strlen(eq) <= 6 && strspn(eq, "01234567") == strlen(eq) &&
		   strtoul(eq, NULL, 8) <= 07777) {
		t->mode = (mode_t)strtoul(eq, NULL, 8);
		ok = true;
	} else if (eq && strcmp(v, "uid") == 0 && parse_id(eq, strlen(eq), &id)) {
		t->uid = id;
		ok = true;
	} else if (eq && strcmp(v, "gid") == 0 && parse_id(eq, strlen(eq), &id)) {
		t->gid = id;
		ok = true;
	}
	free(v);
	return ok;
}

const char *container_add_tmpfs(struct container_opts *c, const char *spec)
{
	size_t glen = strcspn(spec, ":");
	if (spec[0] != '/' || strspn(spec, "/") == glen)
		return "--tmpfs takes an absolute path other than /, then :size=,nr_inodes=,mode=,uid=,gid= as tmpfs takes them, not";
	struct container_tmpfs t = { .mode = 01777 };
	t.guest = strndup(spec, glen);
	if (!t.guest)
		sentry_fatal("out of memory");
	for (const char *o = spec[glen] ? spec + glen + 1 : NULL; o && *o; ) {
		size_t len = strcspn(o, ",");
		if (!tmpfs_option(&t, o, len)) {
			free(t.guest);
			free(t.size);
			free(t.nr_inodes);
			return "--tmpfs takes an absolute path, then :size=,nr_inodes=,mode=,uid=,gid= as tmpfs takes them (size=64m, size=50%, nr_inodes=1k, mode=1777), not";
		}
		o += len + (o[len] == ',');
	}
	struct container_tmpfs *list = realloc(c->tmpfs, (size_t)(c->ntmpfs + 1) * sizeof(*list));
	if (!list)
		sentry_fatal("out of memory");
	c->tmpfs = list;
	list[c->ntmpfs++] = t;
	return NULL;
}

const char *container_add_sysctl(struct container_opts *c, const char *spec)
{
	static char why[256];
	size_t klen = strcspn(spec, "=");
	if (!spec[klen] || klen >= 128)
		return "--sysctl takes KEY=VALUE, not";
	char key[128];
	memcpy(key, spec, klen);
	key[klen] = '\0';
	/* the kernel's own in the sandbox's network namespace, which checks
	 * key and value (container_apply_sysctl) */
	bool net = strncmp(key, "net.", 4) == 0 && strspn(key, "abcdefghijklmnopqrstuvwxyz0123456789_-.") == klen &&
		   !strstr(key, "..") && key[klen - 1] != '.';
	const char *wrong = net ? NULL : vfs_proc_sysctl_check(key, spec + klen + 1);
	if (wrong) {
		snprintf(why, sizeof(why), "--sysctl %s %s:", key, wrong);
		return why;
	}
	const char **list = realloc(c->sysctl, (size_t)(c->nsysctl + 2) * sizeof(*list));
	if (!list)
		sentry_fatal("out of memory");
	c->sysctl = list;
	list[c->nsysctl++] = spec;
	list[c->nsysctl] = NULL;
	return NULL;
}

int container_apply_sysctl(struct container_opts *c, struct sandbox *sb)
{
	for (int i = 0; i < c->nsysctl; i++) {
		const char *spec = c->sysctl[i];
		size_t klen = strcspn(spec, "=");
		if (strncmp(spec, "net.", 4) != 0)
			continue;
		char key[128], shown[256];
		memcpy(key, spec, klen);
		key[klen] = '\0';
		int r = netns_sysctl(sb, key, spec + klen + 1, shown, sizeof(shown));
		if (r == -ENETDOWN || r == -EPERM)
			sentry_log("--sysctl %s: the sandbox has no network namespace the sentry may enter to apply it in "
				   "(it needs CAP_SYS_ADMIN)", key);
		else if (r == -EBUSY)
			sentry_log("--sysctl %s: the sandbox's network namespace (--netns) is the host's, whose sysctls are not the sandbox's", key);
		else if (r == -ENOENT)
			sentry_log("--sysctl %s: no such key in the sandbox's network namespace", key);
		else if (r < 0)
			sentry_log("--sysctl %s: %s", spec, strerror(-r));
		if (r < 0)
			return -1;
		char *kv;
		if (asprintf(&kv, "%s=%s", key, shown) < 0)
			sentry_fatal("out of memory");
		c->sysctl[i] = kv;  /* what its /proc/sys file shows */
	}
	return 0;
}

int container_mount_tmpfs(const struct container_opts *c, const struct vfs_ctx *ctx)
{
	for (int i = 0; i < c->ntmpfs; i++) {
		const struct container_tmpfs *t = &c->tmpfs[i];
		struct vfs_tmpfs_opts opts = { .size = t->size, .nr_inodes = t->nr_inodes, .mode = t->mode,
					       .uid = t->uid, .gid = t->gid };
		struct vfs_sb *sb;
		int r = vfs_mkdir_p(ctx, t->guest, 0755);
		if (r == 0)
			r = vfs_tmpfs_new(ctx->vfs, &opts, &sb);
		if (r == 0) {
			r = vfs_mount(ctx, t->guest, sb, 0);
			vfs_sb_put(sb);
		} else if (r == -EPERM) {
			sentry_log("--tmpfs %s: a tmpfs of a size of its own needs the privilege to make one (CAP_SYS_ADMIN)",
				   t->guest);
			return r;
		}
		if (r < 0) {
			sentry_log("--tmpfs %s: %s", t->guest, strerror(-r));
			return r;
		}
	}
	return 0;
}

void container_apply_cred(const struct container_opts *c, struct task_cred *cred)
{
	if (c->has_user) {
		task_cred_init(cred, c->uid, c->gid);
		cred->ngroups = c->ngroups;
		memcpy(cred->groups, c->groups, (size_t)c->ngroups * sizeof(gid_t));
	}
	if (c->has_caps) {
		/* the bounding set is what the first exec leaves a root
		 * process (task_cred_exec); a user other than root gets none */
		cred->cap_bounding = c->caps;
		cred->cap_permitted &= c->caps;
		cred->cap_effective &= c->caps;
	}
}

int container_send_console(const char *path, int fd, const char *name)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	strcpy(addr.sun_path, path);
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	if (connect(s, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int e = errno;
		close(s);
		return -e;
	}
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	memset(&control, 0, sizeof(control));
	struct iovec iov = { .iov_base = (void *)name, .iov_len = strlen(name) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
			      .msg_controllen = sizeof(control.buf) };
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	int r = sendmsg(s, &msg, MSG_NOSIGNAL) < 0 ? -errno : 0;
	close(s);
	return r;
}

int container_console(const struct container_opts *c, int devpts_fd, int *number_out)
{
	if (devpts_fd < 0) {
		sentry_log("--console-socket: no ptys inside (a devpts instance of the sandbox's own needs CAP_SYS_ADMIN)");
		return -ENODEV;
	}
	int master = openat(devpts_fd, "ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	int unlock = 0, number = -1, slave = -1, r = 0;
	if (master < 0 || ioctl(master, TIOCSPTLCK, &unlock) < 0 || ioctl(master, TIOCGPTN, &number) < 0 ||
	    (slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0)
		r = -errno;
	if (r == 0 && (c->rows || c->cols)) {
		struct winsize ws = { .ws_row = c->rows, .ws_col = c->cols };
		ioctl(master, TIOCSWINSZ, &ws);
	}
	char name[32];
	snprintf(name, sizeof(name), "/dev/pts/%d", number);
	if (r == 0 && (r = container_send_console(c->console_socket, master, name)) < 0)
		sentry_log("--console-socket %s: %s", c->console_socket, strerror(-r));
	else if (r < 0)
		sentry_log("--console-socket: cannot open a pty inside: %s", strerror(-r));
	*number_out = number;
	if (master >= 0)
		close(master);
	if (r < 0 && slave >= 0)
		close(slave);
	return r < 0 ? r : slave;
}

int container_take_console(int number)
{
	char path[32];
	snprintf(path, sizeof(path), "/dev/pts/%d", number);
	int slave = open(path, O_RDWR);
	if (slave < 0 || ioctl(slave, TIOCSCTTY, 0) < 0)
		return -errno;
	for (int fd = 0; fd < 3; fd++)
		if (dup2(slave, fd) < 0)
			return -errno;
	if (slave > 2)
		close(slave);
	return 0;
}

int container_wait_start(const struct container_opts *c, volatile sig_atomic_t *stop)
{
	if (c->ready_fd >= 0) {
		/* the runtime's `create` returns now: the pid it reads is ours */
		if (write(c->ready_fd, "r", 1) != 1)
			sentry_log("--ready-fd %d: %s", c->ready_fd, strerror(errno));
		close(c->ready_fd);
	}
	if (!c->start_fifo)
		return 0;
	int fd;
	if (*stop)
		return *stop;
	do {
		fd = open(c->start_fifo, O_WRONLY | O_CLOEXEC);
		if (fd < 0 && errno == EINTR && *stop)
			return *stop;
	} while (fd < 0 && errno == EINTR);
	if (fd < 0) {
		sentry_log("--start-fifo %s: %s", c->start_fifo, strerror(errno));
		return -1;
	}
	ssize_t n = write(fd, "0", 1);
	close(fd);
	if (n != 1) {
		sentry_log("--start-fifo %s: nobody read the start", c->start_fifo);
		return -1;
	}
	return 0;
}
