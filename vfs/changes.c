/* What a workload changed in a workspace: the overlay's tree compared, path
 * by path, with the host image below it.  Only what the workload touched is
 * visited: a directory it never listed or looked into is its lower one. */
#define _GNU_SOURCE
#include "vfs_impl.h"

#include <stdlib.h>
#include <unistd.h>

struct walk {
	vfs_change_fn fn;
	void *arg;
	size_t len;
	char path[VFS_PATH_MAX];
};

/* An overlay inode's priv is the lower dentry it shows, until a copy-up
 * (overlay.c); made anew, it has none. */
static struct vfs_dentry *origin_of(const struct vfs_inode *inode)
{
	return vfs_is_overlay(inode->sb) ? inode->priv : NULL;
}

/* Kinds a change can carry; mount points are the sandbox's own. */
static bool shown(const struct vfs_dentry *d)
{
	if (!d || !d->inode || (d->flags & D_MOUNTED))
		return false;
	mode_t type = d->inode->mode & S_IFMT;
	return type == S_IFREG || type == S_IFDIR || type == S_IFLNK;
}

static bool same_type(const struct vfs_inode *a, const struct vfs_inode *b)
{
	return (a->mode & S_IFMT) == (b->mode & S_IFMT);
}

static int push(struct walk *w, const struct vfs_dentry *d, size_t *saved)
{
	size_t sep = w->len ? 1 : 0;
	if (w->len + sep + d->len >= sizeof(w->path))
		return -ENAMETOOLONG;
	*saved = w->len;
	if (sep)
		w->path[w->len++] = '/';
	memcpy(w->path + w->len, d->name, d->len);
	w->len += d->len;
	w->path[w->len] = 0;
	return 0;
}

static void pop(struct walk *w, size_t saved)
{
	w->len = saved;
	w->path[saved] = 0;
}

static int emit(struct walk *w, enum vfs_change_kind kind, struct vfs_inode *inode)
{
	struct vfs_change change = {
		.kind = kind, .path = w->path, .mode = inode->mode, .mtime = inode->mtime, .fd = -1,
	};
	/* an empty file made inside has no contents yet: none are made for it
	 * here (an fd each would run the sentry out of fds) */
	bool empty = inode->memfd < 0 && !origin_of(inode) && inode->size == 0;
	if (kind != VFS_CHANGE_REMOVED && S_ISREG(inode->mode) && !empty) {
		change.fd = vfs_inode_memfd(inode, false);
		if (change.fd < 0)
			return change.fd;
	}
	if (kind != VFS_CHANGE_REMOVED && S_ISLNK(inode->mode))
		change.link = inode->link ? inode->link : "";
	return w->fn(w->arg, &change);
}

static int same_bytes(int a, int b, bool *same)
{
	struct stat sa, sb;
	if (fstat(a, &sa) < 0 || fstat(b, &sb) < 0)
		return -errno;
	*same = sa.st_size == sb.st_size;
	char ba[16384], bb[sizeof(ba)];
	for (off_t off = 0; *same && off < sa.st_size;) {
		ssize_t na = pread(a, ba, sizeof(ba), off);
		ssize_t nb = pread(b, bb, sizeof(bb), off);
		if (na < 0 || nb < 0)
			return -errno;
		*same = na == nb && na > 0 && memcmp(ba, bb, (size_t)na) == 0;
		off += na;
	}
	return 0;
}

/* Same type assumed; directories compare their own mode only. */
static int differs(struct vfs_inode *now, struct vfs_inode *was, bool *changed)
{
	*changed = (now->mode & 07777) != (was->mode & 07777);
	if (*changed || S_ISDIR(now->mode))
		return 0;
	if (S_ISLNK(now->mode)) {
		*changed = strcmp(now->link ? now->link : "", was->link ? was->link : "") != 0;
		return 0;
	}
	if (now->memfd < 0 && origin_of(now) && origin_of(now)->inode == was)
		return 0;  /* never copied up */
	/* a rebuilt file with the same bytes is newer all the same: make
	 * compares times, and would rebuild it forever */
	*changed = now->mtime.tv_sec != was->mtime.tv_sec || now->mtime.tv_nsec != was->mtime.tv_nsec;
	if (*changed)
		return 0;
	int fd_now = vfs_inode_memfd(now, false);
	if (fd_now < 0)
		return fd_now;
	int fd_was = vfs_inode_memfd(was, false);
	if (fd_was < 0) {
		*changed = true;  /* the host's bytes cannot be read: take them as different */
		return 0;
	}
	bool same = fd_now == fd_was;
	int err = same ? 0 : same_bytes(fd_now, fd_was, &same);
	*changed = !same;
	return err;
}

/* What `gone` held, deepest first, then `gone` itself unless something of
 * another type took its name.  A directory the host does not let us read
 * is reported alone. */
static int report_removed(struct walk *w, struct vfs_dentry *gone, bool itself)
{
	if (S_ISDIR(gone->inode->mode) && vfs_populate(gone) == 0) {
		int err = 0;
		for (struct vfs_dentry *c = gone->inode->dir->first; c && !err; c = c->next) {
			size_t saved;
			if (!shown(c) || (err = push(w, c, &saved)))
				continue;
			err = report_removed(w, c, true);
			pop(w, saved);
		}
		if (err)
			return err;
	}
	return itself ? emit(w, VFS_CHANGE_REMOVED, gone->inode) : 0;
}

static int diff_dir(struct walk *w, struct vfs_dentry *dir, struct vfs_dentry *lower);

/* `now` at the path of `was` (NULL when the host had nothing there). */
static int diff_entry(struct walk *w, struct vfs_dentry *now, struct vfs_dentry *was)
{
	bool changed = false;
	int err = 0;
	if (!was)
		err = emit(w, VFS_CHANGE_ADDED, now->inode);
	else if (!same_type(now->inode, was->inode))
		err = emit(w, VFS_CHANGE_CHANGED, now->inode);
	else if (!(err = differs(now->inode, was->inode, &changed)) && changed)
		err = emit(w, VFS_CHANGE_CHANGED, now->inode);
	if (err || !S_ISDIR(now->inode->mode))
		return err;
	return diff_dir(w, now, was && same_type(now->inode, was->inode) ? was : NULL);
}

/* Every name of a directory, from a listing alone where it has one (names
 * and types: an entry's attributes wait for attrs_of). */
static int list_names(struct vfs_dentry *dir)
{
	struct vfs_inode *inode = dir->inode;
	if (inode->ops && inode->ops->list && !inode->dir->dead)
		return inode->ops->list(dir);
	return vfs_populate(dir);
}

/* The attributes of d, a child of dir made from a listing (I_STALE), read
 * now as a lookup reads them.  -ENOENT when its file is gone meanwhile:
 * the lookup has taken the name away. */
static int attrs_of(struct vfs_dentry *dir, struct vfs_dentry *d)
{
	struct vfs_inode *di = dir->inode;
	if (!(d->inode->flags & I_STALE) || !di->ops || !di->ops->lookup)
		return 0;
	struct vfs_dentry *found = NULL;
	vfs_dentry_get(d);
	int err = di->ops->lookup(NULL, dir, d->name, d->len, &found);
	if (!err && found != d)
		err = -ENOENT;
	vfs_dentry_put(d);
	return err;
}

/* An overlay entry made from a listing and never looked up is its lower
 * entry untouched: every change reaches a name through a lookup, which
 * reads its attributes (ovl_fill) and so ends I_STALE; a folder never
 * looked up holds nothing of its own. */
static bool untouched(const struct vfs_dentry *now, const struct vfs_dentry *lower)
{
	const struct vfs_dentry *was = origin_of(now->inode);
	return lower && (now->inode->flags & I_STALE) && was && was->parent == lower &&
	       (was->flags & D_HASHED) && was->len == now->len && !memcmp(was->name, now->name, now->len);
}

/* Each untouched entry stands for a distinct lower name (names are unique
 * on both sides): when they are as many as the lower's names, none was
 * removed. */
static bool none_removed(struct vfs_dentry *dir, struct vfs_dentry *lower)
{
	uint32_t n = 0;
	for (struct vfs_dentry *now = dir->inode->dir->first; now; now = now->next)
		n += untouched(now, lower);
	return n == lower->inode->dir->count;
}

static int diff_dir(struct walk *w, struct vfs_dentry *dir, struct vfs_dentry *lower)
{
	if (lower && !dir->inode->dir->populated && origin_of(dir->inode) == lower)
		return 0;  /* never opened: it still is the host's */
	int err = list_names(dir);
	if (!err && lower)
		err = list_names(lower);
	/* Removals first: a name may come back as another type. */
	struct vfs_dentry *next;
	bool removals = lower && !err && !none_removed(dir, lower);
	for (struct vfs_dentry *was = removals ? lower->inode->dir->first : NULL; was && !err; was = next) {
		next = was->next;
		if (!shown(was))
			continue;
		struct vfs_dentry *now = vfs_d_lookup(dir, was->name, was->len);
		if (shown(now) && same_type(now->inode, was->inode))
			continue;
		if (now && (now->flags & D_MOUNTED))
			continue;
		if ((err = attrs_of(lower, was)) == -ENOENT) {
			err = 0;  /* gone from the host too */
			continue;
		}
		size_t saved;
		if (err || (err = push(w, was, &saved)))
			break;
		err = report_removed(w, was, !shown(now));
		pop(w, saved);
	}
	for (struct vfs_dentry *now = dir->inode->dir->first; now && !err; now = next) {
		next = now->next;
		if (!shown(now) || untouched(now, lower))
			continue;
		struct vfs_dentry *was = lower ? vfs_d_lookup(lower, now->name, now->len) : NULL;
		if ((err = attrs_of(dir, now)) == -ENOENT) {
			err = 0;  /* its lower entry is gone from the host */
			continue;
		}
		if (!err && shown(was) && (err = attrs_of(lower, was)) == -ENOENT) {
			err = 0;
			was = NULL;
		}
		size_t saved;
		if (err || (err = push(w, now, &saved)))
			break;
		err = diff_entry(w, now, shown(was) ? was : NULL);
		pop(w, saved);
	}
	return err;
}

int vfs_workspace_changes(struct vfs *vfs, const char *host_dir, vfs_change_fn fn, void *arg)
{
	for (struct vfs_mount *m = vfs->mounts; m; m = m->next) {
		const char *imported = vfs_overlay_workspace(m->sb);
		if (!imported || strcmp(imported, host_dir) != 0)
			continue;
		struct walk *w = calloc(1, sizeof(*w));
		if (!w)
			return -ENOMEM;
		w->fn = fn;
		w->arg = arg;
		struct vfs_dentry *root = m->sb->root;
		int err = diff_dir(w, root, origin_of(root->inode));
		free(w);
		return err;
	}
	return -ENOENT;
}
