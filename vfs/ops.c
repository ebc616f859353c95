/* Path operations: create, remove, rename, link, attributes.  The order of
 * the checks follows Linux so that the first failing check gives the same
 * errno. */
#define _GNU_SOURCE
#include "vfs_impl.h"
#include "notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static bool capable(const struct vfs_ctx *ctx, int cap)
{
	return vfs_capable(&ctx->cred, cap);
}

/* Linux inode_owner_or_capable. */
static bool owner_or_root(const struct vfs_ctx *ctx, const struct vfs_inode *inode)
{
	return capable(ctx, CAP_FOWNER) || ctx->cred.uid == inode->uid;
}

void vfs_dir_changed(struct vfs_inode *dir)
{
	vfs_now(dir->sb->vfs, &dir->mtime);
	dir->ctime = dir->mtime;
}

static void touch_ctime(struct vfs_inode *inode)
{
	vfs_now(inode->sb->vfs, &inode->ctime);
}

/* A new inode named `name` in parent, owned by the caller. */
int vfs_create_inode(const struct vfs_ctx *ctx, struct vfs_dentry *parent, mode_t mode,
		     const char *name, size_t len, struct vfs_dentry **out)
{
	struct vfs_inode *dir = parent->inode;
	struct vfs_inode *inode;
	gid_t gid = ctx->cred.gid;
	if (dir->mode & S_ISGID) {
		gid = dir->gid;
		if (S_ISDIR(mode))
			mode |= S_ISGID;
		else if ((mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) && !capable(ctx, CAP_FSETID) &&
			 !vfs_in_group(&ctx->cred, gid))
			mode &= ~S_ISGID;
	}
	if (dir->ops && dir->ops->create) {
		int err = dir->ops->create(ctx, parent, name, len, mode, NULL, out);
		if (!err) {
			vfs_dir_changed(dir);
			vfs_notify_child(parent, (*out)->inode, IN_CREATE, 0, name, len);
		}
		return err;
	}
	int err = vfs_inode_new(dir->sb, mode, NULL, &inode);
	if (err)
		return err;
	inode->uid = ctx->cred.uid;
	inode->gid = gid;
	struct vfs_dentry *d = vfs_dentry_new(parent, name, len);
	if (!d) {
		vfs_inode_put(inode);
		return -ENOMEM;
	}
	if ((err = vfs_d_charge(d))) {
		vfs_dentry_put(d);
		vfs_inode_put(inode);
		return err;
	}
	if (len) {
		vfs_d_add(d, inode);
		if (S_ISDIR(mode))
			dir->nlink++;
		vfs_dir_changed(dir);
		vfs_notify_child(parent, inode, IN_CREATE, 0, name, len);
	} else {
		d->inode = inode;  /* O_TMPFILE: never hashed */
	}
	*out = d;
	return 0;
}

/* Walks to the parent of the last component. */
static int start_parent(struct nameidata *nd, const struct vfs_ctx *ctx, struct vfs_file *dir,
			const char *path)
{
	int err = nd_start(nd, ctx, dir, path, 0);
	if (!err)
		err = nd_walk_parent(nd);
	return err;
}

/* Checks for a new name (Linux filename_create + may_create). */
static int may_create(struct nameidata *nd)
{
	int err = vfs_permission(&nd->ctx->cred, nd->path.dentry->inode, MAY_WRITE | MAY_EXEC);
	if (err)
		return err;
	if (nd->path.mnt->sb->flags & SB_NOCREATE)
		return -EPERM;
	return 0;
}

/* Checks for a new name, before the permission (Linux filename_create). */
static int filename_check(struct nameidata *nd, bool want_dir)
{
	if (nd->last_type != LAST_NORM)
		return -EEXIST;
	struct vfs_dentry *existing;
	int err = nd_lookup_last(nd, &existing);
	if (err)
		return err;
	if (existing)
		return -EEXIST;
	if (nd->trailing_slash && !want_dir)
		return -ENOENT;
	if (vfs_path_rdonly(&nd->path))
		return -EROFS;
	return 0;
}

static int filename_create(struct nameidata *nd, bool want_dir)
{
	int err = filename_check(nd, want_dir);
	return err ? err : may_create(nd);
}

int vfs_mkdirat(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, mode_t mode)
{
	struct nameidata nd;
	int err = start_parent(&nd, ctx, dir, path);
	if (!err)
		err = filename_create(&nd, true);
	if (!err) {
		struct vfs_dentry *d;
		mode = S_IFDIR | (mode & 01777 & ~ctx->umask);  /* mkdir drops suid/sgid */
		err = vfs_create_inode(ctx, nd.path.dentry, mode, nd.last, nd.last_len, &d);
		if (!err) {
			d->inode->dir->populated = true;
			d->inode->dir->opaque = true;
			vfs_dentry_put(d);
		}
	}
	nd_release(&nd);
	return err;
}

int vfs_mknodat(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, mode_t mode, dev_t dev)
{
	switch (mode & S_IFMT) {
	case 0:
		mode |= S_IFREG;
		break;
	case S_IFREG:
	case S_IFIFO:
	case S_IFSOCK:
	case S_IFCHR:
	case S_IFBLK:
		break;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	struct nameidata nd;
	int err = start_parent(&nd, ctx, dir, path);
	if (!err)
		err = filename_create(&nd, false);
	/* The sandbox holds no CAP_MKNOD: device nodes never reach the host. */
	if (!err && (S_ISCHR(mode) || S_ISBLK(mode)))
		err = -EPERM;
	if (!err) {
		struct vfs_dentry *d;
		mode = (mode & S_IFMT) | (mode & 07777 & ~ctx->umask);
		err = vfs_create_inode(ctx, nd.path.dentry, mode, nd.last, nd.last_len, &d);
		if (!err)
			vfs_dentry_put(d);
	}
	nd_release(&nd);
	return err;
}

int vfs_symlinkat(const struct vfs_ctx *ctx, const char *target, struct vfs_file *dir, const char *path)
{
	if (!target)
		return -EFAULT;
	size_t tlen = strnlen(target, VFS_PATH_MAX);
	if (tlen >= VFS_PATH_MAX)
		return -ENAMETOOLONG;
	if (tlen == 0)
		return -ENOENT;
	struct nameidata nd;
	int err = start_parent(&nd, ctx, dir, path);
	if (!err)
		err = filename_create(&nd, false);
	char *copy = NULL;
	if (!err && !(copy = strdup(target)))
		err = -ENOMEM;
	if (!err) {
		struct vfs_dentry *d;
		/* the target is stored in the sentry: room for it first */
		struct vfs_inode *dir_inode = nd.path.dentry->inode;
		if (dir_inode->ops && dir_inode->ops->create) {
			err = dir_inode->ops->create(ctx, nd.path.dentry, nd.last, nd.last_len, S_IFLNK | 0777, target, &d);
			if (!err) {
				vfs_dir_changed(dir_inode);
				vfs_notify_child(nd.path.dentry, d->inode, IN_CREATE, 0, nd.last, nd.last_len);
				vfs_dentry_put(d);
			}
			free(copy);
			nd_release(&nd);
			return err;
		}
		uint32_t cost = (dir_inode->sb->flags & SB_CHARGED) ? vfs_link_cost(tlen) : 0;
		err = vfs_charge_bytes(dir_inode->sb->vfs, cost);
		if (!err && (err = vfs_create_inode(ctx, nd.path.dentry, S_IFLNK | 0777, nd.last, nd.last_len, &d)))
			vfs_charge_bytes(dir_inode->sb->vfs, -(int64_t)cost);
		if (!err) {
			d->inode->meta_charged += cost;
			d->inode->link = copy;
			d->inode->size = tlen;
			copy = NULL;
			vfs_dentry_put(d);
		}
	}
	free(copy);
	nd_release(&nd);
	return err;
}

/* Linux check_sticky + may_delete. */
static int may_delete(const struct vfs_ctx *ctx, struct vfs_inode *dir, struct vfs_inode *victim, bool isdir)
{
	int err = vfs_permission(&ctx->cred, dir, MAY_WRITE | MAY_EXEC);
	if (err)
		return err;
	if ((dir->mode & S_ISVTX) && !capable(ctx, CAP_FOWNER) && ctx->cred.uid != victim->uid &&
	    ctx->cred.uid != dir->uid)
		return -EPERM;
	if (isdir && !S_ISDIR(victim->mode))
		return -ENOTDIR;
	if (!isdir && S_ISDIR(victim->mode))
		return -EISDIR;
	return 0;
}

static bool is_mountpoint(const struct vfs_dentry *d)
{
	return d->flags & D_MOUNTED;
}

static int dir_empty(struct vfs_dentry *d)
{
	int err = vfs_populate(d);
	if (err)
		return err;
	return d->inode->dir->count ? -ENOTEMPTY : 0;
}

/* Takes the name away from its inode (unlink, rmdir, rename over). */
static void remove_name(struct vfs_dentry *parent, struct vfs_dentry *victim)
{
	struct vfs_inode *inode = victim->inode;
	if (S_ISDIR(inode->mode)) {
		inode->dir->dead = true;
		inode->nlink = 0;
		parent->inode->nlink--;
	} else if (inode->nlink && !--inode->nlink) {
		struct vfs *vfs = inode->sb->vfs;
		if (S_ISREG(inode->mode) && inode->memfd >= 0 && (inode->flags & I_OWN_MEMFD) && vfs->last_name)
			vfs->last_name(vfs->last_name_arg, inode->memfd);
	}
	touch_ctime(inode);
	vfs_inode_nameless(inode);
	vfs_d_drop(victim);
}

/* As Linux reports a removed name: the inode's link count, its end when
 * that was its last name, then the folder's entry. */
static void notify_removed(struct vfs_dentry *parent, struct vfs_inode *inode, const char *name, size_t len)
{
	if (!S_ISDIR(inode->mode))
		vfs_notify_inode(inode, IN_ATTRIB);
	if (!inode->nlink)
		vfs_notify_inode(inode, IN_DELETE_SELF);
	vfs_notify_child(parent, inode, IN_DELETE, 0, name, len);
}

int vfs_unlinkat(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, int at_flags)
{
	if (at_flags & ~AT_REMOVEDIR)
		return -EINVAL;
	bool rmdir = at_flags & AT_REMOVEDIR;
	struct nameidata nd;
	int err = start_parent(&nd, ctx, dir, path);
	if (err)
		goto out;
	if (nd.last_type != LAST_NORM) {
		if (!rmdir)
			err = -EISDIR;
		else if (nd.last_type == LAST_DOT)
			err = -EINVAL;
		else if (nd.last_type == LAST_DOTDOT)
			err = -ENOTEMPTY;
		else
			err = -EBUSY;
		goto out;
	}
	if (vfs_path_rdonly(&nd.path)) {
		err = -EROFS;
		goto out;
	}
	struct vfs_dentry *victim;
	err = nd_lookup_last(&nd, &victim);
	if (!err && !victim)
		err = -ENOENT;
	if (err)
		goto out;
	if (!rmdir && nd.trailing_slash) {
		err = S_ISDIR(victim->inode->mode) ? -EISDIR : -ENOTDIR;
		goto out;
	}
	struct vfs_inode *pdir = nd.path.dentry->inode;
	err = may_delete(ctx, pdir, victim->inode, rmdir);
	if (err)
		goto out;
	if (nd.path.mnt->sb->flags & SB_NOCREATE) {
		err = -EPERM;
		goto out;
	}
	if (rmdir) {
		if (is_mountpoint(victim)) {
			err = -EBUSY;
			goto out;
		}
		err = dir_empty(victim);
		if (err)
			goto out;
	}
	if (pdir->ops && pdir->ops->remove && (err = pdir->ops->remove(nd.path.dentry, victim)))
		goto out;
	struct vfs_inode *gone = victim->inode;
	vfs_inode_get(gone);
	remove_name(nd.path.dentry, victim);
	vfs_dir_changed(pdir);
	notify_removed(nd.path.dentry, gone, nd.last, nd.last_len);
	vfs_inode_put(gone);
out:
	nd_release(&nd);
	return err;
}

/* The child of `ancestor` on the way up from d, or NULL. */
static struct vfs_dentry *child_towards(struct vfs_dentry *d, struct vfs_dentry *ancestor)
{
	for (; d && d->parent; d = d->parent)
		if (d->parent == ancestor)
			return d;
	return NULL;
}

/* moved now bears its new name; from_len bytes at from were its old one.
 * A target it replaced lost a link. */
static void notify_moved(struct vfs_dentry *from_dir, struct vfs_dentry *moved, const char *from, size_t from_len,
			 struct vfs_inode *target)
{
	uint32_t cookie = vfs_notify_cookie();
	if (from_dir == moved->parent) /* dnotify's DN_RENAME, as Linux sends it */
		vfs_notify_child(from_dir, moved->inode, VFS_NOTIFY_RENAME, 0, from, from_len);
	vfs_notify_child(from_dir, moved->inode, IN_MOVED_FROM, cookie, from, from_len);
	vfs_notify_child(moved->parent, moved->inode, IN_MOVED_TO, cookie, moved->name, moved->len);
	if (target)
		vfs_notify_inode(target, IN_ATTRIB);
	vfs_notify_inode(moved->inode, IN_MOVE_SELF);
	if (target && !target->nlink)
		vfs_notify_inode(target, IN_DELETE_SELF);
}

static void move_dir_link(struct vfs_dentry *from, struct vfs_dentry *to, struct vfs_inode *inode)
{
	if (S_ISDIR(inode->mode) && from != to) {
		from->inode->nlink--;
		to->inode->nlink++;
	}
}

int vfs_renameat2(const struct vfs_ctx *ctx, struct vfs_file *olddir, const char *oldpath,
		  struct vfs_file *newdir, const char *newpath, unsigned flags)
{
	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE))
		return -EINVAL;  /* RENAME_WHITEOUT is not offered */
	if ((flags & RENAME_NOREPLACE) && (flags & RENAME_EXCHANGE))
		return -EINVAL;
	struct nameidata ond, nnd;
	int err = start_parent(&ond, ctx, olddir, oldpath);
	int err2 = start_parent(&nnd, ctx, newdir, newpath);
	if (err || (err = err2))
		goto out;
	if (ond.path.mnt != nnd.path.mnt) {
		err = -EXDEV;
		goto out;
	}
	if (ond.last_type != LAST_NORM) {
		err = -EBUSY;
		goto out;
	}
	if (nnd.last_type != LAST_NORM) {
		err = (flags & RENAME_NOREPLACE) ? -EEXIST : -EBUSY;
		goto out;
	}
	if (vfs_path_rdonly(&ond.path)) {
		err = -EROFS;
		goto out;
	}
	struct vfs_dentry *old, *new;
	err = nd_lookup_last(&ond, &old);
	if (!err && !old)
		err = -ENOENT;
	if (err)
		goto out;
	vfs_dentry_get(old);
	err = nd_lookup_last(&nnd, &new);
	if (err)
		goto out_old;
	if (new)
		vfs_dentry_get(new);
	struct vfs_dentry *op = ond.path.dentry, *np = nnd.path.dentry;
	struct vfs_inode *oi = old->inode, *ni = new ? new->inode : NULL;
	bool old_is_dir = S_ISDIR(oi->mode);
	bool new_is_dir = ni && S_ISDIR(ni->mode);
	err = -EEXIST;
	if ((flags & RENAME_NOREPLACE) && new)
		goto out_new;
	if (flags & RENAME_EXCHANGE) {
		err = -ENOENT;
		if (!new)
			goto out_new;
		err = -ENOTDIR;
		if (!new_is_dir && nnd.trailing_slash)
			goto out_new;
	}
	if (!old_is_dir) {
		err = -ENOTDIR;
		if (ond.trailing_slash)
			goto out_new;
		if (!(flags & RENAME_EXCHANGE) && nnd.trailing_slash)
			goto out_new;
	}
	if (op != np) {
		struct vfs_dentry *trap = child_towards(np, op);
		if (trap && old == trap) {
			err = -EINVAL;
			goto out_new;
		}
		trap = child_towards(op, np);
		if (trap && new == trap) {
			err = (flags & RENAME_EXCHANGE) ? -EINVAL : -ENOTEMPTY;
			goto out_new;
		}
	}
	err = 0;
	if (oi == ni)
		goto out_new;
	err = may_delete(ctx, op->inode, oi, old_is_dir);
	if (err)
		goto out_new;
	if (!new) {
		if (np->inode->dir->dead)
			err = -ENOENT;
		else
			err = vfs_permission(&ctx->cred, np->inode, MAY_WRITE | MAY_EXEC);
	} else {
		err = may_delete(ctx, np->inode, ni, (flags & RENAME_EXCHANGE) ? new_is_dir : old_is_dir);
	}
	if (err)
		goto out_new;
	if (op != np) {
		if (old_is_dir && (err = vfs_permission(&ctx->cred, oi, MAY_WRITE)))
			goto out_new;
		if ((flags & RENAME_EXCHANGE) && new_is_dir && (err = vfs_permission(&ctx->cred, ni, MAY_WRITE)))
			goto out_new;
	}
	err = -EBUSY;
	if (is_mountpoint(old) || (new && is_mountpoint(new)))
		goto out_new;
	err = -EPERM;
	if (ond.path.mnt->sb->flags & SB_NOCREATE)
		goto out_new;
	char from[VFS_NAME_MAX + 1];
	size_t from_len = old->len;
	memcpy(from, old->name, from_len);
	if (flags & RENAME_EXCHANGE) {
		char oname[VFS_NAME_MAX + 1], nname[VFS_NAME_MAX + 1];
		size_t olen = old->len, nlen = new->len;
		memcpy(oname, old->name, olen);
		memcpy(nname, new->name, nlen);
		if (op->inode->ops && op->inode->ops->rename &&
		    (err = op->inode->ops->rename(op, old, np, nname, nlen, flags)))
			goto out_new;
		err = vfs_d_move(old, np, nname, nlen);
		if (!err && (err = vfs_d_move(new, op, oname, olen)))
			vfs_d_move(old, op, oname, olen);
		if (err)
			goto out_new;
		move_dir_link(op, np, oi);
		move_dir_link(np, op, ni);
		touch_ctime(ni);
	} else {
		if (new_is_dir && (err = dir_empty(new)))
			goto out_new;
		char name[VFS_NAME_MAX + 1];
		size_t len = nnd.last_len;
		memcpy(name, nnd.last, len);
		if (op->inode->ops && op->inode->ops->rename &&
		    (err = op->inode->ops->rename(op, old, np, name, len, flags)))
			goto out_new;
		if (new)
			remove_name(np, new);
		err = vfs_d_move(old, np, name, len);
		if (err)
			goto out_new;
		move_dir_link(op, np, oi);
	}
	touch_ctime(oi);
	vfs_dir_changed(op->inode);
	if (np != op)
		vfs_dir_changed(np->inode);
	notify_moved(op, old, from, from_len, (flags & RENAME_EXCHANGE) ? NULL : ni);
	if (flags & RENAME_EXCHANGE)
		notify_moved(np, new, old->name, old->len, NULL);
out_new:
	if (new)
		vfs_dentry_put(new);
out_old:
	vfs_dentry_put(old);
out:
	nd_release(&ond);
	nd_release(&nnd);
	return err;
}

/* fs.protected_hardlinks = 1, the Linux default. */
static bool may_hardlink(const struct vfs_ctx *ctx, struct vfs_inode *inode)
{
	if (owner_or_root(ctx, inode))
		return true;
	if (!S_ISREG(inode->mode))
		return false;
	if (inode->mode & S_ISUID)
		return false;
	if ((inode->mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
		return false;
	return vfs_permission(&ctx->cred, inode, MAY_READ | MAY_WRITE) == 0;
}

int vfs_linkat(const struct vfs_ctx *ctx, struct vfs_file *olddir, const char *oldpath,
	       struct vfs_file *newdir, const char *newpath, int at_flags)
{
	if (at_flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	unsigned wf = (at_flags & AT_SYMLINK_FOLLOW) ? WALK_FOLLOW : 0;
	if (at_flags & AT_EMPTY_PATH) {
		if (!capable(ctx, CAP_DAC_READ_SEARCH))
			return -ENOENT;
		wf |= WALK_EMPTY;
	}
	struct vfs_path src;
	int err = vfs_walk(ctx, olddir, oldpath, wf, &src);
	if (err)
		return err;
	struct nameidata nd;
	err = start_parent(&nd, ctx, newdir, newpath);
	if (err)
		goto out;
	err = -EXDEV;
	if (nd.path.mnt != src.mnt)
		goto out;
	err = filename_check(&nd, false);
	if (err)
		goto out;
	struct vfs_inode *inode = src.dentry->inode;
	err = -EPERM;
	if (!may_hardlink(ctx, inode))
		goto out;
	if ((err = may_create(&nd)))
		goto out;
	err = -EPERM;
	if (S_ISDIR(inode->mode))
		goto out;
	err = -ENOENT;
	if (inode->nlink == 0 && !(inode->flags & I_LINKABLE))
		goto out;
	err = -ESTALE;
	if ((inode->flags & I_NAMELESS) && inode->memfd < 0)
		goto out;  /* its contents were not lent: a name would show none */
	if (inode->ops && inode->ops->link && (err = inode->ops->link(src.dentry, nd.path.dentry, nd.last, nd.last_len)))
		goto out;
	err = -ENOMEM;
	struct vfs_dentry *d = vfs_dentry_new(nd.path.dentry, nd.last, nd.last_len);
	if (!d)
		goto out;
	if ((err = vfs_d_charge(d))) {
		vfs_dentry_put(d);
		goto out;
	}
	vfs_inode_get(inode);
	vfs_d_add(d, inode);
	vfs_dentry_put(d);
	inode->nlink++;
	inode->flags &= ~I_LINKABLE;
	touch_ctime(inode);
	vfs_dir_changed(nd.path.dentry->inode);
	vfs_notify_inode(inode, IN_ATTRIB);
	vfs_notify_child(nd.path.dentry, inode, IN_CREATE, 0, nd.last, nd.last_len);
	err = 0;
out:
	nd_release(&nd);
	vfs_path_put(&src);
	return err;
}

int vfs_readlinkat(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, char *buf, size_t size)
{
	if ((ssize_t)size <= 0 || size > INT_MAX)
		return -EINVAL;
	struct vfs_path p;
	/* An empty path names the dirfd itself, but never the cwd. */
	int err = vfs_walk(ctx, dir, path, dir ? WALK_EMPTY : 0, &p);
	if (err)
		return err;
	struct vfs_inode *inode = p.dentry->inode;
	if (!S_ISLNK(inode->mode)) {
		vfs_path_put(&p);
		return path[0] ? -EINVAL : -ENOENT; /* an fd that is no symlink: ENOENT */
	}
	int n;
	if (inode->ops && inode->ops->get_link) {
		struct vfs_buf text = {0};
		struct vfs_path jump = {0};
		n = inode->ops->get_link(ctx, p.dentry, &text, &jump);
		if (n == 1)
			n = 0;  /* text only */
		if (!n && jump.dentry) {
			char tmp[VFS_PATH_MAX];
			n = vfs_d_path(ctx, &jump, tmp, sizeof(tmp));
			vfs_path_put(&jump);
			if (n >= 0) {
				n = (size_t)n < size ? n : (int)size;
				memcpy(buf, tmp, n);
			}
		} else if (!n) {
			n = text.len < size ? text.len : size;
			memcpy(buf, text.data, n);
		}
		free(text.data);
	} else {
		size_t len = strlen(inode->link);
		n = len < size ? len : size;
		memcpy(buf, inode->link, n);
	}
	vfs_path_put(&p);
	return n;
}

/* --- attributes -------------------------------------------------------------- */

static int path_of(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, int at_flags,
		   int allowed, struct vfs_path *out)
{
	if (at_flags & ~allowed)
		return -EINVAL;
	unsigned wf = (at_flags & AT_SYMLINK_NOFOLLOW) ? 0 : WALK_FOLLOW;
	if (at_flags & AT_EMPTY_PATH)
		wf |= WALK_EMPTY;
	return vfs_walk(ctx, dir, path, wf, out);
}

/* A lazy directory's size and link count are those of all its entries, so
 * it is listed (names and types) before they are read: a listing made
 * later must not change them (tar takes that for a change while it read). */
static void list_before_stat(struct vfs_dentry *d)
{
	struct vfs_inode *inode = d ? d->inode : NULL;
	if (inode && S_ISDIR(inode->mode) && inode->ops && inode->ops->list)
		inode->ops->list(d); /* on failure the entries known so far count */
}

int vfs_fstatat(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, struct stat *st, int at_flags)
{
	struct vfs_path p;
	int err = path_of(ctx, dir, path, at_flags, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT, &p);
	if (err)
		return err;
	list_before_stat(p.dentry);
	vfs_inode_getattr(p.dentry->inode, st);
	vfs_path_put(&p);
	return 0;
}

int vfs_statx(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, int at_flags,
	      unsigned mask, struct statx *stx)
{
	if (mask & STATX__RESERVED)
		return -EINVAL;
	if ((at_flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
		return -EINVAL;
	struct vfs_path p;
	int err = path_of(ctx, dir, path, at_flags & ~AT_STATX_SYNC_TYPE,
			  AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT, &p);
	if (err)
		return err;
	struct stat st;
	list_before_stat(p.dentry);
	vfs_inode_getattr(p.dentry->inode, &st);
	memset(stx, 0, sizeof(*stx));
	stx->stx_mask = STATX_BASIC_STATS | STATX_MNT_ID;
	stx->stx_blksize = st.st_blksize;
	stx->stx_nlink = st.st_nlink;
	stx->stx_uid = st.st_uid;
	stx->stx_gid = st.st_gid;
	stx->stx_mode = st.st_mode;
	stx->stx_ino = st.st_ino;
	stx->stx_size = st.st_size;
	stx->stx_blocks = st.st_blocks;
	stx->stx_atime.tv_sec = st.st_atim.tv_sec;
	stx->stx_atime.tv_nsec = st.st_atim.tv_nsec;
	stx->stx_mtime.tv_sec = st.st_mtim.tv_sec;
	stx->stx_mtime.tv_nsec = st.st_mtim.tv_nsec;
	stx->stx_ctime.tv_sec = st.st_ctim.tv_sec;
	stx->stx_ctime.tv_nsec = st.st_ctim.tv_nsec;
	stx->stx_rdev_major = major(st.st_rdev);
	stx->stx_rdev_minor = minor(st.st_rdev);
	stx->stx_dev_major = major(st.st_dev);
	stx->stx_dev_minor = minor(st.st_dev);
	stx->stx_mnt_id = p.mnt->id;
	if (p.dentry == p.mnt->root)
		stx->stx_attributes |= STATX_ATTR_MOUNT_ROOT;
	stx->stx_attributes_mask = STATX_ATTR_MOUNT_ROOT;
	vfs_path_put(&p);
	return 0;
}

int vfs_faccessat(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, int mode, int at_flags)
{
	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	struct vfs_path p;
	int err = path_of(ctx, dir, path, at_flags, AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, &p);
	if (err)
		return err;
	struct vfs_inode *inode = p.dentry->inode;
	if ((mode & W_OK) && vfs_path_rdonly(&p) &&
	    (S_ISREG(inode->mode) || S_ISDIR(inode->mode) || S_ISLNK(inode->mode)))
		err = -EROFS;
	else if (mode)
		err = vfs_permission(&ctx->cred, inode, mode);
	vfs_path_put(&p);
	return err;
}

static int chmod_common(const struct vfs_ctx *ctx, const struct vfs_path *p, mode_t mode)
{
	struct vfs_inode *inode = p->dentry->inode;
	if (vfs_path_rdonly(p))
		return -EROFS;
	if (!owner_or_root(ctx, inode))
		return -EPERM;
	mode &= 07777;
	if (!capable(ctx, CAP_FSETID) && !vfs_in_group(&ctx->cred, inode->gid))
		mode &= ~S_ISGID;
	if (inode->ops && inode->ops->setattr) {
		int err = inode->ops->setattr(p->dentry, mode, NULL);
		if (err)
			return err;
	}
	inode->mode = (inode->mode & S_IFMT) | mode;
	touch_ctime(inode);
	vfs_notify_dentry(p->dentry, IN_ATTRIB);
	return 0;
}

int vfs_fchmodat(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, mode_t mode, int at_flags)
{
	struct vfs_path p;
	int err = path_of(ctx, dir, path, at_flags, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, &p);
	if (err)
		return err;
	if (S_ISLNK(p.dentry->inode->mode))
		err = -EOPNOTSUPP;
	else
		err = chmod_common(ctx, &p, mode);
	vfs_path_put(&p);
	return err;
}

static int chown_common(const struct vfs_ctx *ctx, const struct vfs_path *p, uid_t uid, gid_t gid)
{
	struct vfs_inode *inode = p->dentry->inode;
	if (vfs_path_rdonly(p))
		return -EROFS;
	bool set_uid = uid != (uid_t)-1, set_gid = gid != (gid_t)-1;
	if (set_uid && !capable(ctx, CAP_CHOWN) && !(ctx->cred.uid == inode->uid && uid == inode->uid))
		return -EPERM;
	if (set_gid && !capable(ctx, CAP_CHOWN) &&
	    !(ctx->cred.uid == inode->uid && (gid == inode->gid || vfs_in_group(&ctx->cred, gid))))
		return -EPERM;
	mode_t mode = inode->mode;
	if (!S_ISDIR(mode)) {
		mode &= ~S_ISUID;
		if ((mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
			mode &= ~S_ISGID;
	}
	if (mode != inode->mode && !owner_or_root(ctx, inode))
		return -EPERM;
	/* a host file stays the sentry's: no owner is given away there */
	if (inode->ops && inode->ops->setattr &&
	    ((set_uid && uid != inode->uid) || (set_gid && gid != inode->gid)))
		return -EPERM;
	inode->mode = mode;
	if (set_uid)
		inode->uid = uid;
	if (set_gid)
		inode->gid = gid;
	touch_ctime(inode);
	vfs_notify_dentry(p->dentry, IN_ATTRIB);
	return 0;
}

int vfs_fchownat(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, uid_t uid, gid_t gid, int at_flags)
{
	struct vfs_path p;
	int err = path_of(ctx, dir, path, at_flags, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, &p);
	if (err)
		return err;
	err = chown_common(ctx, &p, uid, gid);
	vfs_path_put(&p);
	return err;
}

static bool nsec_valid(long nsec)
{
	return nsec == UTIME_NOW || nsec == UTIME_OMIT || (nsec >= 0 && nsec <= 999999999);
}

static int utimes_common(const struct vfs_ctx *ctx, const struct vfs_path *p, const struct timespec *times)
{
	struct vfs_inode *inode = p->dentry->inode;
	if (times) {
		if (!nsec_valid(times[0].tv_nsec) || !nsec_valid(times[1].tv_nsec))
			return -EINVAL;
		if (times[0].tv_nsec == UTIME_NOW && times[1].tv_nsec == UTIME_NOW)
			times = NULL;
	}
	if (vfs_path_rdonly(p))
		return -EROFS;
	if (!times) {
		if (!owner_or_root(ctx, inode)) {
			int err = vfs_permission(&ctx->cred, inode, MAY_WRITE);
			if (err)
				return err;
		}
	} else if (!owner_or_root(ctx, inode)) {
		return -EPERM;
	}
	struct timespec now;
	vfs_now(inode->sb->vfs, &now);
	struct timespec set[2] = {now, now};
	if (times) {
		for (int i = 0; i < 2; i++)
			if (times[i].tv_nsec != UTIME_NOW)
				set[i] = times[i];
	}
	if (inode->ops && inode->ops->setattr) {
		int err = inode->ops->setattr(p->dentry, (mode_t)-1, set);
		if (err)
			return err;
	}
	if (set[0].tv_nsec != UTIME_OMIT)
		inode->atime = set[0];
	if (set[1].tv_nsec != UTIME_OMIT)
		inode->mtime = set[1];
	inode->ctime = now;
	if (inode->memfd >= 0 && (inode->flags & I_OWN_MEMFD))
		futimens(inode->memfd, set);
	vfs_notify_dentry(p->dentry, IN_ATTRIB);
	return 0;
}

int vfs_utimensat(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path,
		  const struct timespec times[2], int at_flags)
{
	if (times && times[0].tv_nsec == UTIME_OMIT && times[1].tv_nsec == UTIME_OMIT)
		return 0;  /* Linux does not even look at the path */
	struct vfs_path p;
	int err = path_of(ctx, dir, path, at_flags, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, &p);
	if (err)
		return err;
	err = utimes_common(ctx, &p, times);
	vfs_path_put(&p);
	return err;
}

static int truncate_by_path(int fd, off_t length)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return truncate(path, length);
}

/* Sets the size of a regular file: copy-up, accounting, the memfd. */
int vfs_setattr_size(const struct vfs_ctx *ctx, const struct vfs_path *p, off_t length, bool always_times)
{
	struct vfs_inode *inode = p->dentry->inode;
	int fd = -1;
	if (length > 0 || inode->memfd >= 0 || (inode->flags & I_NAMELESS) || (inode->ops && inode->ops->copy_up)) {
		fd = vfs_inode_memfd(inode, true);
		if (fd < 0)
			return fd;
		struct stat st;
		if (fstat(fd, &st) == 0 && (inode->flags & I_OWN_MEMFD))
			vfs_inode_set_size(inode, st.st_size);  /* catch up with direct writes */
	}
	int64_t old = inode->size;
	/* The memfd is tmpfs: truncate(2) of it by path, even to the same
	 * size, sets its times exactly when tmpfs would (only when it holds
	 * data); getattr takes the later of its times and ours. ftruncate(2)
	 * always sets them.  A larger size allocates nothing (sparse): only
	 * the blocks a shrink frees change the charge. */
	if (fd >= 0 && (always_times ? ftruncate(fd, length) : truncate_by_path(fd, length)) < 0)
		return -errno;
	vfs_inode_set_size(inode, length);
	vfs_inode_recharge(inode);
	if (always_times || old != length) {
		vfs_now(inode->sb->vfs, &inode->mtime);
		inode->ctime = inode->mtime;
	}
	vfs_notify_dentry(p->dentry, IN_MODIFY);
	return 0;
}

int vfs_truncate(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, off_t length)
{
	if (length < 0)
		return -EINVAL;
	struct vfs_path p;
	int err = vfs_walk(ctx, dir, path, WALK_FOLLOW, &p);
	if (err)
		return err;
	struct vfs_inode *inode = p.dentry->inode;
	if (S_ISDIR(inode->mode))
		err = -EISDIR;
	else if (!S_ISREG(inode->mode) || (inode->ops && inode->ops->open))
		err = -EINVAL;
	else if (vfs_path_rdonly(&p))
		err = -EROFS;
	else
		err = vfs_permission(&ctx->cred, inode, MAY_WRITE);
	if (!err && inode->exec_users)
		err = -ETXTBSY;
	if (!err)
		err = vfs_inode_break_lease(inode, O_WRONLY);
	if (!err)
		err = vfs_setattr_size(ctx, &p, length, false);
	vfs_path_put(&p);
	return err;
}

static void fill_statfs(const struct vfs_path *p, struct statfs *st)
{
	struct vfs_sb *sb = p->mnt->sb;
	struct vfs *vfs = sb->vfs;
	memset(st, 0, sizeof(*st));
	st->f_type = sb->ops->magic;
	st->f_bsize = 4096;
	st->f_frsize = 4096;
	st->f_namelen = VFS_NAME_MAX;
	if (sb->ops->statfs) {
		sb->ops->statfs(sb, st);
	} else if (sb->flags & SB_CHARGED) {
		uint64_t max = vfs->limits.max_bytes ? vfs->limits.max_bytes : (uint64_t)1 << 40;
		st->f_blocks = max / 4096;
		/* contents as the data store counts them: what the workload
		 * wrote through its fds, and nameless files it still holds */
		int64_t data = vfs_data_used();
		uint64_t bytes = vfs->bytes_used - vfs->data_used + (data >= 0 ? (uint64_t)data : vfs->data_used);
		uint64_t used = (bytes + 4095) / 4096;
		st->f_bfree = st->f_bavail = used < st->f_blocks ? st->f_blocks - used : 0;
		uint64_t imax = vfs->limits.max_inodes ? vfs->limits.max_inodes : (uint64_t)1 << 20;
		st->f_files = imax;
		st->f_ffree = vfs->inodes_used < imax ? imax - vfs->inodes_used : 0;
	}
	st->f_fsid.__val[0] = (int)sb->dev;
	if (vfs_path_rdonly(p))
		st->f_flags |= ST_RDONLY;
}

int vfs_statfs(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, struct statfs *st)
{
	struct vfs_path p;
	int err = vfs_walk(ctx, dir, path, WALK_FOLLOW, &p);
	if (err)
		return err;
	fill_statfs(&p, st);
	vfs_path_put(&p);
	return 0;
}

/* --- the same through an open file --------------------------------------- */

int vfs_fstat(struct vfs_file *f, struct stat *st)
{
	list_before_stat(f->path.dentry);
	vfs_inode_getattr(f->inode, st);
	return 0;
}

int vfs_fstatfs(struct vfs_file *f, struct statfs *st)
{
	fill_statfs(&f->path, st);
	return 0;
}

int vfs_fchmod(const struct vfs_ctx *ctx, struct vfs_file *f, mode_t mode)
{
	if (f->kind == VFS_FILE_PATH)
		return -EBADF;
	return chmod_common(ctx, &f->path, mode);
}

int vfs_fchown(const struct vfs_ctx *ctx, struct vfs_file *f, uid_t uid, gid_t gid)
{
	if (f->kind == VFS_FILE_PATH)
		return -EBADF;
	return chown_common(ctx, &f->path, uid, gid);
}

int vfs_futimens(const struct vfs_ctx *ctx, struct vfs_file *f, const struct timespec times[2])
{
	if (f->kind == VFS_FILE_PATH)
		return -EBADF;
	if (times && times[0].tv_nsec == UTIME_OMIT && times[1].tv_nsec == UTIME_OMIT)
		return 0;
	return utimes_common(ctx, &f->path, times);
}

int vfs_ftruncate(const struct vfs_ctx *ctx, struct vfs_file *f, off_t length)
{
	if (f->kind == VFS_FILE_PATH)
		return -EBADF;
	if (length < 0)
		return -EINVAL;
	if (f->kind != VFS_FILE_REGULAR || (f->flags & O_ACCMODE) == O_RDONLY)
		return -EINVAL;
	return vfs_setattr_size(ctx, &f->path, length, true);  /* ftruncate always sets the times */
}

/* --- building a tree --------------------------------------------------------- */

int vfs_mkdir_p(const struct vfs_ctx *ctx, const char *path, mode_t mode)
{
	char buf[VFS_PATH_MAX];
	size_t len = strnlen(path, sizeof(buf));
	if (len >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, len + 1);
	for (size_t i = 1; i <= len; i++) {
		if (buf[i] != '/' && buf[i] != 0)
			continue;
		char saved = buf[i];
		buf[i] = 0;
		int err = vfs_mkdirat(ctx, NULL, buf, mode);
		if (err == -EEXIST) {
			/* only its type: a stat would list a lazy folder (the
			 * host's /tmp, say, about to be covered by a mount) */
			struct vfs_path p;
			err = path_of(ctx, NULL, buf, 0, 0, &p);
			if (!err) {
				if (!S_ISDIR(p.dentry->inode->mode))
					err = -ENOTDIR;
				vfs_path_put(&p);
			}
		}
		buf[i] = saved;
		if (err)
			return err;
	}
	return 0;
}
