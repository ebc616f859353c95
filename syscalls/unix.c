/* Unix sockets bound inside the sandbox.
 *
 * A path name is a socket inode of the VFS; the workload's socket (the
 * sentry's copy of it: the same socket) is bound by the sentry to a
 * private address, <folder>/<n>, in a fresh 0700 folder of the sentry's
 * that no workload path reaches: every path the workload names is looked
 * up in the VFS. Connecting or sending to the VFS inode means connecting
 * or sending to its private address. An abstract name gets a random
 * prefix of this sandbox's, so that neither the host's abstract sockets
 * nor another sandbox's are ever reached. getsockname and getpeername
 * show the workload's names again. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "deferred.h"
#include "fdmap.h"
#include "fsctx.h"
#include "unix.h"

#define ABSTRACT_PREFIX_LEN 17 /* 16 hex digits and ':' */

/* One path name bound inside; its index is its private name. */
struct bound_name {
	dev_t dev;
	ino_t ino;
	struct sockaddr_un name; /* as bind was given it */
	socklen_t len;
};

static struct {
	pid_t owner; /* the sentry process that made the folder */
	char folder[64];
	char abstract_prefix[ABSTRACT_PREFIX_LEN + 1];
	struct bound_name *names;
	size_t count, cap;
} priv;

static void remove_private_folder(void)
{
	if (getpid() != priv.owner || !priv.folder[0])
		return;
	char path[sizeof(priv.folder) + 24];
	for (size_t i = 0; i < priv.count; i++) {
		snprintf(path, sizeof(path), "%s/%zu", priv.folder, i);
		unlink(path);
	}
	rmdir(priv.folder);
}

/* A process forked from a sentry that had names (a warm sandbox of a
 * server) starts a sandbox of its own: its own folder and prefix. */
static void private_names_of_this_process(void)
{
	if (priv.owner == getpid())
		return;
	free(priv.names);
	memset(&priv, 0, sizeof(priv));
	priv.owner = getpid();
}

static long private_folder(void)
{
	if (priv.folder[0])
		return 0;
	const char *base = getenv("XDG_RUNTIME_DIR");
	if (!base || base[0] != '/' || strlen(base) > 32)
		base = "/tmp";
	snprintf(priv.folder, sizeof(priv.folder), "%s/sentry-unix-XXXXXX", base);
	if (!mkdtemp(priv.folder)) { /* mkdtemp makes it 0700 */
		snprintf(priv.folder, sizeof(priv.folder), "/tmp/sentry-unix-XXXXXX");
		if (!mkdtemp(priv.folder)) {
			int e = errno;
			priv.folder[0] = 0;
			return -e;
		}
	}
	atexit(remove_private_folder);
	return 0;
}

static const char *abstract_prefix(void)
{
	if (!priv.abstract_prefix[0]) {
		unsigned char r[8];
		if (getrandom(r, sizeof(r), 0) != sizeof(r))
			abort(); /* no name that another sandbox cannot guess */
		for (size_t i = 0; i < sizeof(r); i++)
			snprintf(priv.abstract_prefix + 2 * i, 3, "%02x", r[i]);
		priv.abstract_prefix[ABSTRACT_PREFIX_LEN - 1] = ':';
	}
	return priv.abstract_prefix;
}

static socklen_t private_path(size_t index, struct sockaddr_un *out)
{
	memset(out, 0, sizeof(*out));
	out->sun_family = AF_UNIX;
	snprintf(out->sun_path, sizeof(out->sun_path), "%s/%zu", priv.folder, index);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(out->sun_path) + 1);
}

/* An abstract name (addr, len) in this sandbox's namespace. */
static long private_abstract(const struct sockaddr_un *addr, socklen_t len, struct sockaddr_un *out,
			     socklen_t *out_len)
{
	size_t name_len = len - offsetof(struct sockaddr_un, sun_path) - 1; /* after the leading 0 */
	if (1 + ABSTRACT_PREFIX_LEN + name_len > sizeof(out->sun_path))
		return -EINVAL; /* the prefix leaves less room than the kernel's 107 bytes */
	memset(out, 0, sizeof(*out));
	out->sun_family = AF_UNIX;
	memcpy(out->sun_path + 1, abstract_prefix(), ABSTRACT_PREFIX_LEN);
	memcpy(out->sun_path + 1 + ABSTRACT_PREFIX_LEN, addr->sun_path + 1, name_len);
	*out_len = (socklen_t)(len + ABSTRACT_PREFIX_LEN);
	return 0;
}

/* The workload's sockaddr_un as the kernel copies it in. */
static long read_unix_address(struct task *task, uint64_t addr, uint64_t raw_len, struct sockaddr_un *out,
			      socklen_t *len)
{
	int l = (int)raw_len;
	memset(out, 0, sizeof(*out));
	if (l < (int)sizeof(sa_family_t) || l > (int)sizeof(*out))
		return -EINVAL;
	if (task_read_mem(task, addr, out, (size_t)l) < 0)
		return -EFAULT;
	if (out->sun_family != AF_UNIX)
		return -EINVAL;
	*len = (socklen_t)l;
	return 0;
}

static bool is_abstract(const struct sockaddr_un *addr, socklen_t len)
{
	return len > sizeof(sa_family_t) && addr->sun_path[0] == 0;
}

/* The path in addr, terminated where the kernel terminates it. */
static void path_of(const struct sockaddr_un *addr, socklen_t len, char path[sizeof(addr->sun_path) + 1])
{
	size_t n = len - offsetof(struct sockaddr_un, sun_path);
	memcpy(path, addr->sun_path, n);
	path[n] = 0;
}

/* recvfrom, recvmsg and accept are the kernel's: they show a bound
 * sender by its private name, which may be answered (one of this
 * sandbox's sockets). */
static long private_index(const char *path)
{
	size_t folder_len = strlen(priv.folder);
	if (!priv.folder[0] || strncmp(path, priv.folder, folder_len) != 0 || path[folder_len] != '/' ||
	    path[folder_len + 1] < '0' || path[folder_len + 1] > '9')
		return -1;
	char *end;
	unsigned long i = strtoul(path + folder_len + 1, &end, 10);
	return *end || i >= priv.count ? -1 : (long)i;
}

long unix_destination(struct task *task, const struct sockaddr_un *addr, socklen_t len, struct sockaddr_un *out,
		      socklen_t *out_len)
{
	private_names_of_this_process();
	if (len <= sizeof(sa_family_t) || addr->sun_family != AF_UNIX)
		return -EINVAL;
	if (is_abstract(addr, len))
		return private_abstract(addr, len, out, out_len);
	char path[sizeof(addr->sun_path) + 1];
	path_of(addr, len, path);
	long answered = private_index(path);
	if (answered >= 0) {
		*out_len = private_path((size_t)answered, out);
		return 0;
	}
	struct vfs_ctx ctx;
	struct stat st;
	task_vfs_ctx(task, &ctx);
	long r = vfs_fstatat(&ctx, NULL, path, &st, 0);
	if (r < 0)
		return r;
	if (!S_ISSOCK(st.st_mode))
		return -ECONNREFUSED;
	if ((r = vfs_faccessat(&ctx, NULL, path, W_OK, AT_EACCESS)) < 0)
		return r;
	for (size_t i = 0; i < priv.count; i++) {
		if (priv.names[i].dev == st.st_dev && priv.names[i].ino == st.st_ino) {
			*out_len = private_path(i, out);
			return 0;
		}
	}
	return -ECONNREFUSED; /* a socket file nothing listens on */
}

static long bind_path(struct task *task, int fd, const struct sockaddr_un *addr, socklen_t len)
{
	long r = private_folder();
	if (r < 0)
		return r;
	if (priv.count == priv.cap) {
		size_t cap = priv.cap ? 2 * priv.cap : 16;
		struct bound_name *n = realloc(priv.names, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		priv.names = n;
		priv.cap = cap;
	}
	char path[sizeof(addr->sun_path) + 1];
	path_of(addr, len, path);
	struct vfs_ctx ctx;
	struct stat st;
	task_vfs_ctx(task, &ctx);
	r = vfs_mknodat(&ctx, NULL, path, S_IFSOCK | 0777, 0);
	if (r < 0)
		return r == -EEXIST ? -EADDRINUSE : r;
	if ((r = vfs_fstatat(&ctx, NULL, path, &st, AT_SYMLINK_NOFOLLOW)) < 0)
		return r;
	struct sockaddr_un where;
	socklen_t where_len = private_path(priv.count, &where);
	if (bind(fd, (struct sockaddr *)&where, where_len) < 0) {
		r = -errno;
		vfs_unlinkat(&ctx, NULL, path, 0);
		return r;
	}
	struct bound_name *b = &priv.names[priv.count++];
	*b = (struct bound_name){ .dev = st.st_dev, .ino = st.st_ino };
	b->name.sun_family = AF_UNIX;
	memcpy(b->name.sun_path, path, strlen(path)); /* 108 bytes of path fill sun_path exactly */
	b->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
	if (b->len > sizeof(b->name))
		b->len = sizeof(b->name);
	return 0;
}

static bool has_name(int fd)
{
	struct sockaddr_un a;
	socklen_t len = sizeof(a);
	return getsockname(fd, (struct sockaddr *)&a, &len) == 0 && len > sizeof(sa_family_t);
}

static long unix_bind(struct task *task, struct syscall_call *call, int fd)
{
	struct sockaddr_un addr, where;
	socklen_t len, where_len;
	long r = read_unix_address(task, call->args[1], call->args[2], &addr, &len);
	if (r < 0)
		return r;
	if (len == sizeof(sa_family_t)) /* autobind: a random abstract name, unguessable outside */
		return bind(fd, (struct sockaddr *)&addr, len) < 0 ? -errno : 0;
	if (has_name(fd))
		return -EINVAL;
	if (!is_abstract(&addr, len))
		return bind_path(task, fd, &addr, len);
	if ((r = private_abstract(&addr, len, &where, &where_len)) < 0)
		return r;
	return bind(fd, (struct sockaddr *)&where, where_len) < 0 ? -errno : 0;
}

/* Closes fd, or hands it to a worker. */
static long unix_connect(struct task *task, struct syscall_call *call, int fd)
{
	struct sockaddr_un addr, where;
	socklen_t len, where_len;
	long r = read_unix_address(task, call->args[1], call->args[2], &addr, &len);
	if (r == 0)
		r = unix_destination(task, &addr, len, &where, &where_len);
	if (r < 0) {
		close(fd);
		return r;
	}
	int type = 0;
	socklen_t tlen = sizeof(type);
	getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tlen);
	int flags = fcntl(fd, F_GETFL);
	if (type == SOCK_DGRAM || flags < 0 || (flags & O_NONBLOCK)) {
		r = connect(fd, (struct sockaddr *)&where, where_len) < 0 ? -errno : 0;
		close(fd);
		return r;
	}
	/* a connect blocks while the listener's backlog is full */
	if ((r = deferred_connect(task, call, fd, (struct sockaddr *)&where, where_len)) < 0)
		close(fd);
	return r;
}

/* A private name turned back into the one the workload gave. */
static void shown_name(struct sockaddr_un *a, socklen_t *len)
{
	if (*len <= sizeof(sa_family_t))
		return;
	if (a->sun_path[0] == 0) {
		size_t name_len = *len - offsetof(struct sockaddr_un, sun_path) - 1;
		if (priv.abstract_prefix[0] && name_len >= ABSTRACT_PREFIX_LEN &&
		    memcmp(a->sun_path + 1, priv.abstract_prefix, ABSTRACT_PREFIX_LEN) == 0) {
			memmove(a->sun_path + 1, a->sun_path + 1 + ABSTRACT_PREFIX_LEN, name_len - ABSTRACT_PREFIX_LEN);
			*len -= ABSTRACT_PREFIX_LEN;
		}
		return;
	}
	long i = private_index(a->sun_path);
	if (i < 0)
		return;
	*a = priv.names[i].name;
	*len = priv.names[i].len;
}

static long unix_name(struct task *task, struct syscall_call *call, int fd, bool peer)
{
	int user_len;
	if (task_read_mem(task, call->args[2], &user_len, sizeof(user_len)) < 0)
		return -EFAULT;
	if (user_len < 0)
		return -EINVAL;
	struct sockaddr_un a;
	socklen_t len = sizeof(a);
	memset(&a, 0, sizeof(a));
	int r = peer ? getpeername(fd, (struct sockaddr *)&a, &len) : getsockname(fd, (struct sockaddr *)&a, &len);
	if (r < 0)
		return -errno;
	shown_name(&a, &len);
	size_t n = (size_t)user_len < len ? (size_t)user_len : len;
	if (n && task_write_mem(task, call->args[1], &a, n) < 0)
		return -EFAULT;
	int out_len = (int)len;
	return task_write_mem(task, call->args[2], &out_len, sizeof(out_len)) < 0 ? -EFAULT : 0;
}

bool unix_socket_call(struct task *task, struct syscall_call *call, enum unix_op op, long *result)
{
	struct vfs_file *f;
	int fd = -1;
	if (task_fd_lookup(task, (int)call->args[0], &f, &fd) < 0 || fd < 0)
		return false;
	int domain = 0;
	socklen_t len = sizeof(domain);
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) < 0 || domain != AF_UNIX) {
		close(fd);
		return false;
	}
	private_names_of_this_process();
	switch (op) {
	case UNIX_CONNECT:
		*result = unix_connect(task, call, fd);
		return true; /* fd closed or handed on */
	case UNIX_BIND:
		*result = unix_bind(task, call, fd);
		break;
	case UNIX_SOCKNAME:
	case UNIX_PEERNAME:
		*result = unix_name(task, call, fd, op == UNIX_PEERNAME);
		break;
	}
	close(fd);
	return true;
}
