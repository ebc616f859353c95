/* Change events of the VFS (notify.h): which inodes are watched, and the
 * events the path operations report about them. */
#define _GNU_SOURCE
#include "notify.h"

#include <stdlib.h>
#include <sys/inotify.h>

#include "vfs_impl.h"

struct watched {
	struct vfs_inode *inode;
	unsigned count;
};

static vfs_notify_fn sink;
static void *sink_arg;
static struct watched *watched;
static size_t nwatched, capwatched;
static uint32_t last_cookie;

void vfs_notify_set_sink(vfs_notify_fn fn, void *arg)
{
	sink = fn;
	sink_arg = arg;
}

static struct watched *find(const struct vfs_inode *inode)
{
	for (size_t i = 0; i < nwatched; i++)
		if (watched[i].inode == inode)
			return &watched[i];
	return NULL;
}

void vfs_notify_watch(struct vfs_inode *inode)
{
	struct watched *w = find(inode);
	if (!w) {
		if (nwatched == capwatched) {
			size_t cap = capwatched ? 2 * capwatched : 16;
			struct watched *grown = realloc(watched, cap * sizeof(*grown));
			if (!grown)
				abort(); /* a watch the sink counts on would go silent */
			watched = grown;
			capwatched = cap;
		}
		w = &watched[nwatched++];
		*w = (struct watched){ .inode = inode };
	}
	w->count++;
	vfs_inode_get(inode);
}

void vfs_notify_unwatch(struct vfs_inode *inode)
{
	struct watched *w = find(inode);
	if (!w)
		return;
	if (!--w->count)
		*w = watched[--nwatched];
	vfs_inode_put(inode);
}

int vfs_notify_lookup(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, bool follow,
		      bool only_dir, struct vfs_inode **out)
{
	struct vfs_path p;
	int err = vfs_walk(ctx, dir, path, (follow ? WALK_FOLLOW : 0) | (only_dir ? WALK_DIRECTORY : 0), &p);
	if (err)
		return err;
	struct vfs_inode *inode = p.dentry->inode;
	if (only_dir && !S_ISDIR(inode->mode))
		err = -ENOTDIR;
	else
		err = vfs_permission(&ctx->cred, inode, MAY_READ);
	if (!err) {
		vfs_notify_watch(inode);
		*out = inode;
	}
	vfs_path_put(&p);
	return err;
}

struct vfs_inode *vfs_file_inode(struct vfs_file *f)
{
	return f->inode;
}

bool vfs_inode_is_dir(const struct vfs_inode *inode)
{
	return S_ISDIR(inode->mode);
}

static uint32_t isdir(const struct vfs_inode *inode)
{
	return inode && S_ISDIR(inode->mode) ? IN_ISDIR : 0;
}

static void emit(struct vfs_inode *inode, uint32_t mask, uint32_t cookie, const char *name, size_t len)
{
	if (sink && find(inode))
		sink(sink_arg, inode, mask, cookie, name, len);
}

void vfs_notify_child(struct vfs_dentry *parent, const struct vfs_inode *child, uint32_t mask,
		      uint32_t cookie, const char *name, size_t len)
{
	if (nwatched && parent && len)
		emit(parent->inode, mask | isdir(child), cookie, name, len);
}

/* Linux reports to the folder first, then to the inode. */
void vfs_notify_dentry(struct vfs_dentry *d, uint32_t mask)
{
	if (!nwatched)
		return;
	struct vfs_inode *inode = d->inode;
	if (d->parent && d->parent != d && (d->flags & D_HASHED))
		emit(d->parent->inode, mask | isdir(inode), 0, d->name, d->len);
	emit(inode, mask | isdir(inode), 0, NULL, 0);
}

/* Linux marks neither IN_DELETE_SELF, IN_MOVE_SELF nor a link count's
 * IN_ATTRIB with IN_ISDIR. */
void vfs_notify_inode(struct vfs_inode *inode, uint32_t mask)
{
	if (nwatched)
		emit(inode, mask, 0, NULL, 0);
}

uint32_t vfs_notify_cookie(void)
{
	if (!nwatched)
		return 0;
	if (!++last_cookie)
		last_cookie = 1;
	return last_cookie;
}
