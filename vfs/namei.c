/* Path walk, following Linux fs/namei.c semantics: permission to search
 * every directory, symlinks (40 in all), "..", mounts, trailing slashes and
 * the openat2 RESOLVE_* scoping. */
#define _GNU_SOURCE
#include "vfs_impl.h"

#include <stdlib.h>

static bool path_equal(const struct vfs_path *a, const struct vfs_path *b)
{
	return a->mnt == b->mnt && a->dentry == b->dentry;
}

/* Moves to (mnt, d) and down through anything mounted on it. */
int nd_set_path(struct nameidata *nd, struct vfs_mount *mnt, struct vfs_dentry *d)
{
	vfs_dentry_get(d);
	vfs_dentry_put(nd->path.dentry);
	nd->path.mnt = mnt;
	nd->path.dentry = d;
	while (d->flags & D_MOUNTED) {
		struct vfs_mount *m = vfs_mount_lookup(nd->ctx->vfs, nd->path.mnt, d);
		if (!m)
			break;
		if (nd->flags & WALK_NO_XDEV)
			return -EXDEV;
		d = m->root;
		vfs_dentry_get(d);
		vfs_dentry_put(nd->path.dentry);
		nd->path.mnt = m;
		nd->path.dentry = d;
	}
	return 0;
}

static int nd_jump_root(struct nameidata *nd)
{
	if (nd->flags & WALK_BENEATH)
		return -EXDEV;
	if ((nd->flags & WALK_NO_XDEV) && nd->path.mnt && nd->path.mnt != nd->root.mnt)
		return -EXDEV;
	vfs_dentry_get(nd->root.dentry);
	vfs_dentry_put(nd->path.dentry);
	nd->path = nd->root;
	return 0;
}

int nd_start(struct nameidata *nd, const struct vfs_ctx *ctx, struct vfs_file *dir,
	     const char *path, unsigned flags)
{
	nd->ctx = ctx;
	nd->flags = flags;
	nd->links = 0;
	nd->nbufs = 0;
	nd->path.mnt = NULL;
	nd->path.dentry = NULL;
	nd->root.mnt = NULL;
	nd->root.dentry = NULL;
	nd->trailing_slash = false;
	nd->last = path;
	nd->last_len = 0;
	nd->last_type = LAST_EMPTY;
	if (!path)
		return -EFAULT;
	size_t len = strnlen(path, VFS_PATH_MAX);
	if (len >= VFS_PATH_MAX)
		return -ENAMETOOLONG;
	if (len == 0 && !(flags & WALK_EMPTY))
		return -ENOENT;
	const struct vfs_path *start = dir ? &dir->path : &ctx->cwd;
	if (path[0] != '/' && len && dir && !S_ISDIR(dir->inode->mode))
		return -ENOTDIR;
	nd->root = (flags & (WALK_BENEATH | WALK_IN_ROOT)) ? *start : ctx->root;
	vfs_path_get(&nd->root);
	if (path[0] == '/' && !(flags & WALK_IN_ROOT)) {
		if (flags & WALK_BENEATH)
			return -EXDEV;
		nd->path = nd->root;
	} else {
		nd->path = *start;
	}
	vfs_path_get(&nd->path);
	return 0;
}

void nd_release(struct nameidata *nd)
{
	vfs_path_put(&nd->path);
	vfs_path_put(&nd->root);
	for (int i = 0; i < nd->nbufs; i++)
		free(nd->bufs[i]);
	nd->nbufs = 0;
}

static int may_lookup(struct nameidata *nd)
{
	return vfs_permission(&nd->ctx->cred, nd->path.dentry->inode, MAY_EXEC);
}

/* The child `name` of the current directory, borrowed (the tree holds it). */
static int lookup_child(struct nameidata *nd, const char *name, size_t len, struct vfs_dentry **out)
{
	struct vfs_dentry *dir = nd->path.dentry;
	struct vfs_inode *di = dir->inode;
	if (!S_ISDIR(di->mode))
		return -ENOTDIR; /* a walk that starts at a file (a dirfd, a mount over one) */
	if (len > VFS_NAME_MAX)
		return -ENAMETOOLONG;
	if (di->dir->dead)
		return -ENOENT;
	if (di->ops && di->ops->lookup)
		return di->ops->lookup(nd->ctx, dir, name, len, out);
	int err = vfs_populate(dir);
	if (err)
		return err;
	struct vfs_dentry *d = vfs_d_lookup(dir, name, len);
	if (!d)
		return -ENOENT;
	*out = d;
	return 0;
}

static int follow_dotdot(struct nameidata *nd)
{
	for (;;) {
		if (path_equal(&nd->path, &nd->root))
			return (nd->flags & WALK_BENEATH) ? -EXDEV : 0;
		struct vfs_mount *m = nd->path.mnt;
		if (nd->path.dentry != m->root)
			break;
		if (!m->parent)
			return (nd->flags & WALK_BENEATH) ? -EXDEV : 0;
		if (nd->flags & WALK_NO_XDEV)
			return -EXDEV;
		vfs_dentry_get(m->mountpoint);
		vfs_dentry_put(nd->path.dentry);
		nd->path.mnt = m->parent;
		nd->path.dentry = m->mountpoint;
	}
	struct vfs_dentry *parent = nd->path.dentry->parent;
	if (!parent)
		return 0;
	return nd_set_path(nd, nd->path.mnt, parent);
}

static char *nd_keep(struct nameidata *nd, char *buf)
{
	if (nd->nbufs >= (int)(sizeof(nd->bufs) / sizeof(nd->bufs[0]))) {
		free(buf);
		return NULL;
	}
	nd->bufs[nd->nbufs++] = buf;
	return buf;
}

static int link_path_walk(struct nameidata *nd, const char *name);

/* Starts following the symlink `link` seen from the current directory.
 * Returns 1 when a magic link already moved nd->path to its target, 0 when
 * the body's last component waits in nd->last. */
int nd_link_begin(struct nameidata *nd, struct vfs_mount *mnt, struct vfs_dentry *link)
{
	if (nd->flags & WALK_NO_SYMLINKS)
		return -ELOOP;
	if (++nd->links > VFS_MAX_LINKS)
		return -ELOOP;
	struct vfs_inode *inode = link->inode;
	char *body;
	if (inode->ops && inode->ops->get_link) {
		struct vfs_buf text = {0};
		struct vfs_path jump = {0};
		int err = inode->ops->get_link(nd->ctx, link, &text, &jump);
		if (err) {
			free(text.data);
			if (err == 1)  /* a magic link to something outside the VFS */
				return (nd->flags & WALK_NO_MAGICLINKS) ? -ELOOP : -ENXIO;
			return err;
		}
		if (jump.dentry) {
			free(text.data);
			if (nd->flags & WALK_NO_MAGICLINKS)
				err = -ELOOP;
			else if ((nd->flags & WALK_NO_XDEV) && jump.mnt != nd->path.mnt)
				err = -EXDEV;
			else if (nd->flags & (WALK_BENEATH | WALK_IN_ROOT))
				err = -EXDEV;
			if (err) {
				vfs_path_put(&jump);
				return err;
			}
			vfs_path_put(&nd->path);
			nd->path = jump;
			return 1;
		}
		if (!text.data)
			return -ENOENT;
		body = nd_keep(nd, text.data);
	} else {
		if (!inode->link)
			return -ENOENT;
		body = nd_keep(nd, strdup(inode->link));
	}
	if (!body)
		return -ENOMEM;
	if (!*body)
		return -ENOENT;
	if (body[0] == '/') {
		int err = nd_jump_root(nd);
		if (err)
			return err;
	}
	return link_path_walk(nd, body);
}

int nd_follow_link(struct nameidata *nd, struct vfs_mount *mnt, struct vfs_dentry *link)
{
	int r = nd_link_begin(nd, mnt, link);
	if (r < 0)
		return r;
	if (r == 1)
		return 0;
	return nd_walk_last(nd, true);
}

/* One intermediate component: afterwards nd->path is a directory. */
static int walk_component(struct nameidata *nd, const char *name, size_t len, int type)
{
	int err = 0;
	if (type == LAST_DOTDOT) {
		err = follow_dotdot(nd);
	} else if (type == LAST_NORM) {
		struct vfs_dentry *child;
		err = lookup_child(nd, name, len, &child);
		if (err)
			return err;
		if (S_ISLNK(child->inode->mode)) {
			vfs_dentry_get(child);
			struct vfs_mount *mnt = nd->path.mnt;
			err = nd_follow_link(nd, mnt, child);
			vfs_dentry_put(child);
		} else {
			err = nd_set_path(nd, nd->path.mnt, child);
		}
	}
	if (err)
		return err;
	if (!S_ISDIR(nd->path.dentry->inode->mode))
		return -ENOTDIR;
	return 0;
}

static int component_type(const char *name, size_t len)
{
	if (name[0] == '.') {
		if (len == 1)
			return LAST_DOT;
		if (len == 2 && name[1] == '.')
			return LAST_DOTDOT;
	}
	return LAST_NORM;
}

/* Walks `name` from nd->path, leaving its last component in nd->last. */
static int link_path_walk(struct nameidata *nd, const char *name)
{
	while (*name == '/')
		name++;
	if (!*name) {
		nd->last_type = LAST_ROOT;
		nd->last = name;
		nd->last_len = 0;
		return 0;
	}
	for (;;) {
		int err = may_lookup(nd);
		if (err)
			return err;
		const char *comp = name;
		while (*name && *name != '/')
			name++;
		size_t len = name - comp;
		int type = component_type(comp, len);
		bool slash = *name == '/';
		while (*name == '/')
			name++;
		if (!*name) {
			nd->last = comp;
			nd->last_len = len;
			nd->last_type = type;
			nd->trailing_slash = slash;
			return 0;
		}
		err = walk_component(nd, comp, len, type);
		if (err)
			return err;
	}
}

int nd_walk_parent(struct nameidata *nd)
{
	const char *path = nd->last;
	if (!*path) {
		nd->last_type = LAST_EMPTY;
		return 0;
	}
	return link_path_walk(nd, path);
}

int nd_lookup_last(struct nameidata *nd, struct vfs_dentry **out)
{
	*out = NULL;
	if (nd->last_type != LAST_NORM)
		return 0;
	int err = lookup_child(nd, nd->last, nd->last_len, out);
	if (err == -ENOENT && !nd->path.dentry->inode->dir->dead) {
		*out = NULL;
		return 0;
	}
	return err;
}

int nd_walk_last(struct nameidata *nd, bool follow)
{
	bool want_dir = false;
	for (;;) {
		want_dir |= nd->trailing_slash;
		int err = 0;
		switch (nd->last_type) {
		case LAST_DOTDOT:
			err = follow_dotdot(nd);
			break;
		case LAST_NORM: {
			struct vfs_dentry *child;
			err = lookup_child(nd, nd->last, nd->last_len, &child);
			if (err)
				return err;
			if (S_ISLNK(child->inode->mode) && (follow || want_dir)) {
				vfs_dentry_get(child);
				int r = nd_link_begin(nd, nd->path.mnt, child);
				vfs_dentry_put(child);
				if (r < 0)
					return r;
				if (r == 0)
					continue;
			} else {
				err = nd_set_path(nd, nd->path.mnt, child);
			}
			break;
		}
		default:
			break;
		}
		if (err)
			return err;
		if (want_dir && !S_ISDIR(nd->path.dentry->inode->mode))
			return -ENOTDIR;
		return 0;
	}
}

int vfs_walk(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, unsigned flags,
	     struct vfs_path *out)
{
	struct nameidata nd;
	int err = nd_start(&nd, ctx, dir, path, flags);
	if (!err)
		err = nd_walk_parent(&nd);
	if (!err)
		err = nd_walk_last(&nd, flags & WALK_FOLLOW);
	if (!err && (flags & WALK_DIRECTORY) && !S_ISDIR(nd.path.dentry->inode->mode))
		err = -ENOTDIR;
	if (!err) {
		*out = nd.path;
		nd.path.dentry = NULL;
	}
	nd_release(&nd);
	return err;
}

int vfs_lookup(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, int at_flags,
	       struct vfs_path *out)
{
	if (at_flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	unsigned flags = (at_flags & AT_SYMLINK_NOFOLLOW) ? 0 : WALK_FOLLOW;
	if (at_flags & AT_EMPTY_PATH)
		flags |= WALK_EMPTY;
	return vfs_walk(ctx, dir, path, flags, out);
}

int vfs_lookup_dir(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path,
		   struct vfs_path *out)
{
	unsigned flags = WALK_FOLLOW | WALK_DIRECTORY;
	if (dir && path && !*path)
		flags |= WALK_EMPTY;  /* fchdir */
	int err = vfs_walk(ctx, dir, path, flags, out);
	if (err)
		return err;
	err = vfs_permission(&ctx->cred, out->dentry->inode, MAY_EXEC);
	if (err)
		vfs_path_put(out);
	return err;
}

/* --- d_path ----------------------------------------------------------------- */

static int prepend(char *buf, size_t *pos, const char *s, size_t len)
{
	if (*pos < len)
		return -ERANGE;
	*pos -= len;
	memcpy(buf + *pos, s, len);
	return 0;
}

int vfs_d_path(const struct vfs_ctx *ctx, const struct vfs_path *path, char *buf, size_t size)
{
	if (!size)
		return -ERANGE;
	char tmp[VFS_PATH_MAX];
	size_t pos = sizeof(tmp) - 1;
	tmp[pos] = 0;
	struct vfs_mount *mnt = path->mnt;
	struct vfs_dentry *d = path->dentry;
	bool deleted = d->parent && !(d->flags & D_HASHED);
	if (deleted && prepend(tmp, &pos, " (deleted)", 10))
		return -ERANGE;
	bool reached_root = false;
	bool any = false;
	for (;;) {
		if (mnt == ctx->root.mnt && d == ctx->root.dentry) {
			reached_root = true;
			break;
		}
		if (d == mnt->root) {
			if (!mnt->parent)
				break;
			d = mnt->mountpoint;
			mnt = mnt->parent;
			continue;
		}
		if (!d->parent)
			break;
		if (prepend(tmp, &pos, d->name, d->len) || prepend(tmp, &pos, "/", 1))
			return -ERANGE;
		any = true;
		d = d->parent;
	}
	if (!any && prepend(tmp, &pos, "/", 1))
		return -ERANGE;
	if (!reached_root && prepend(tmp, &pos, "(unreachable)", 13))
		return -ERANGE;
	size_t len = sizeof(tmp) - 1 - pos;
	if (len + 1 > size)
		return -ERANGE;
	memcpy(buf, tmp + pos, len + 1);
	return len;
}

int vfs_getcwd(const struct vfs_ctx *ctx, char *buf, size_t size)
{
	const struct vfs_dentry *d = ctx->cwd.dentry;
	if (d->parent && !(d->flags & D_HASHED))
		return -ENOENT;
	char tmp[VFS_PATH_MAX];
	int n = vfs_d_path(ctx, &ctx->cwd, tmp, sizeof(tmp));
	if (n < 0)
		return n;
	if ((size_t)n + 1 > size)
		return -ERANGE;
	memcpy(buf, tmp, n + 1);
	return n + 1;
}
