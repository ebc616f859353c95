/* --bind HOST:GUEST[:ro]: the host folder or file HOST shown at GUEST and
 * served by the sentry, confined beneath HOST (vfs/hostdir.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bind.h"

const char *bind_add(struct options *opts, const char *spec)
{
	size_t len = strlen(spec);
	bool ro = len > 3 && !strcmp(spec + len - 3, ":ro");
	if (ro || (len > 3 && !strcmp(spec + len - 3, ":rw")))
		len -= 3;
	const char *colon = memrchr(spec, ':', len);
	if (!colon || colon == spec || colon[1] != '/' || colon + 1 + strspn(colon + 1, "/") == spec + len)
		return "--bind takes HOST:GUEST[:ro], GUEST an absolute path other than /, not";
	char *host = strndup(spec, (size_t)(colon - spec)), resolved[PATH_MAX];
	struct stat st;
	bool found = host && realpath(host, resolved) && stat(resolved, &st) == 0 &&
		     (S_ISDIR(st.st_mode) || S_ISREG(st.st_mode));
	free(host);
	if (!found)
		return "--bind: HOST is no folder or file on the host:";
	struct sandbox_bind *b = realloc(opts->binds, (size_t)(opts->nbind + 1) * sizeof(*b));
	if (!b)
		sentry_fatal("out of memory");
	opts->binds = b;
	b += opts->nbind;
	b->host = strdup(resolved);
	b->guest = strndup(colon + 1, (size_t)(spec + len - colon - 1));
	b->ro = ro;
	if (!b->host || !b->guest)
		sentry_fatal("out of memory");
	opts->nbind++;
	return NULL;
}

/* GUEST of a single-file bind: a regular file to mount over, made empty
 * inside when missing or a symlink (such as /etc/resolv.conf often is). */
static int file_mountpoint(const struct vfs_ctx *ctx, const char *guest)
{
	char parent[PATH_MAX];
	snprintf(parent, sizeof(parent), "%s", guest);
	char *slash = strrchr(parent, '/');
	if (slash > parent) {
		*slash = 0;
		int r = vfs_mkdir_p(ctx, parent, 0755);
		if (r)
			return r;
	}
	struct stat st;
	int r = vfs_fstatat(ctx, NULL, guest, &st, AT_SYMLINK_NOFOLLOW);
	if (r == 0 && S_ISLNK(st.st_mode))
		r = vfs_unlinkat(ctx, NULL, guest, 0);
	else if (r == 0)
		return S_ISDIR(st.st_mode) ? -EISDIR : 0;
	if (r && r != -ENOENT)
		return r;
	struct vfs_file *f;
	r = vfs_openat(ctx, NULL, guest, O_WRONLY | O_CREAT | O_EXCL, 0644, &f);
	if (r == 0)
		vfs_file_put(f);
	return r;
}

static int mount_one(const struct vfs_ctx *ctx, const struct sandbox_bind *b)
{
	struct stat st;
	if (stat(b->host, &st) < 0)
		return -errno;
	bool dir = S_ISDIR(st.st_mode);
	int flags = O_CLOEXEC | O_NOCTTY | O_NONBLOCK | (dir ? O_RDONLY | O_DIRECTORY : b->ro ? O_RDONLY : O_RDWR);
	int fd = open(b->host, flags);
	if (fd < 0)
		return -errno;
	int r = dir ? vfs_mkdir_p(ctx, b->guest, 0755) : file_mountpoint(ctx, b->guest);
	struct vfs_sb *sb = NULL;
	if (r == 0)
		r = vfs_hostdir_new(ctx->vfs, fd, b->ro, &sb);
	if (r)
		close(fd);
	if (r == 0)
		r = vfs_mount(ctx, b->guest, sb, b->ro ? VFS_MNT_RDONLY : 0);
	if (sb)
		vfs_sb_put(sb);
	return r;
}

int bind_mount_all(const struct vfs_ctx *ctx, const struct options *opts)
{
	for (int i = 0; i < opts->nbind; i++) {
		const struct sandbox_bind *b = &opts->binds[i];
		int r = mount_one(ctx, b);
		if (r) {
			sentry_log("--bind %s:%s: %s", b->host, b->guest, strerror(-r));
			return r;
		}
	}
	return 0;
}
