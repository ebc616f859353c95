/* Stat answers the sentry may publish to the workload (stable.h). */
#include "stable.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "vfs_impl.h"

static bool plain_absolute(const char *path, size_t len)
{
	if (len < 1 || path[0] != '/' || (len > 1 && path[len - 1] == '/'))
		return false;
	for (size_t i = 0; i < len; i++) {
		if (path[i] != '/')
			continue;
		const char *c = path + i + 1;
		size_t n = strcspn(c, "/");
		if (i + 1 < len && (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.')))
			return false;
	}
	return true;
}

/* The VFS keeps these attributes itself: no host read on a stat. */
static bool kept_sb(const struct vfs_sb *sb)
{
	const char *name = sb->ops->name;
	return strcmp(name, "tmpfs") == 0 || vfs_is_overlay(sb) || vfs_is_hostimg(sb);
}

static bool kept_inode(const struct vfs_inode *inode)
{
	return kept_sb(inode->sb) &&
	       !(inode->flags & (I_OWN_MEMFD | I_SHARED_OPEN | I_NAMELESS | I_STALE | I_HELD));
}

/* Every folder from p up to the root: searchable by everyone, kept. */
static bool open_to_all(const struct vfs_ctx *ctx, const struct vfs_path *p)
{
	struct vfs_mount *mnt = p->mnt;
	struct vfs_dentry *d = p->dentry;
	for (;;) {
		const struct vfs_inode *inode = d->inode;
		if (!S_ISDIR(inode->mode) || (inode->mode & 0111) != 0111 || !kept_inode(inode) ||
		    inode->dir->dead)
			return false;
		if (mnt == ctx->root.mnt && d == ctx->root.dentry)
			return true;
		if (d == mnt->root) {
			if (!mnt->parent)
				return false;
			d = mnt->mountpoint;
			mnt = mnt->parent;
			continue;
		}
		if (!d->parent || !(d->flags & D_HASHED))
			return false;
		d = d->parent;
	}
}

static bool names_exactly(const struct vfs_ctx *ctx, const struct vfs_path *p, const char *path, size_t len)
{
	char back[VFS_PATH_MAX];
	int n = vfs_d_path(ctx, p, back, sizeof(back));
	return n >= 0 && (size_t)n == len && memcmp(back, path, len) == 0;
}

bool vfs_stat_stable(const struct vfs_ctx *ctx, const char *path, int at_flags, int result)
{
	size_t len = strnlen(path, 256);
	if (len >= 256 || !plain_absolute(path, len) || (at_flags & ~AT_SYMLINK_NOFOLLOW))
		return false;
	if (result == 0) {
		struct vfs_path p;
		unsigned wf = (at_flags & AT_SYMLINK_NOFOLLOW) ? 0 : WALK_FOLLOW;
		if (vfs_walk(ctx, NULL, path, wf, &p))
			return false;
		bool ok = kept_inode(p.dentry->inode) && (p.dentry->flags & D_HASHED || !p.dentry->parent) &&
			  names_exactly(ctx, &p, path, len);
		if (ok && p.dentry->parent) {
			/* the folder that holds it */
			struct vfs_path up = p;
			if (p.dentry == p.mnt->root) {
				up.dentry = p.mnt->mountpoint;
				up.mnt = p.mnt->parent;
			}
			if (up.mnt && up.dentry->parent)
				up.dentry = up.dentry->parent;
			ok = up.mnt && open_to_all(ctx, &up);
		}
		vfs_path_put(&p);
		return ok;
	}
	if (result != -ENOENT)
		return false;
	/* missing: the folder that would hold it is there and plain */
	size_t cut = len;
	while (cut > 0 && path[cut - 1] != '/')
		cut--;
	if (cut == len)
		return false;
	char parent[256];
	size_t plen = cut > 1 ? cut - 1 : 1;
	memcpy(parent, path, plen);
	parent[plen] = 0;
	struct vfs_path p;
	if (vfs_walk(ctx, NULL, parent, WALK_FOLLOW | WALK_DIRECTORY, &p))
		return false;
	bool ok = names_exactly(ctx, &p, parent, plen) && open_to_all(ctx, &p);
	vfs_path_put(&p);
	return ok;
}
