/* overlay: a writable memfs over a read-only lower tree, lazy as Linux's.
 * A lookup asks the lower for the one name and makes the one entry, with its
 * attributes.  A listing (getdents) makes an entry for every lower name from
 * the names and types alone (I_STALE); their attributes (and a symlink's
 * target) are copied from the lower when a lookup first reaches them.  Until
 * a directory is listed, a lower name removed from it is remembered (a
 * whiteout) so that the lower never shows it again; once listed, the
 * overlay's own tree is the truth, so a removed name stays removed and a
 * directory made anew has no lower (it is opaque).  Entries from the lower
 * cost nothing against the limits until copied up.  Regular files read the
 * lower's shared memfd until the first write copies them up. */
#define _GNU_SOURCE
#include "vfs_impl.h"

#include <dirent.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <unistd.h>

static const struct vfs_inode_ops ovl_dir_ops;
static const struct vfs_inode_ops ovl_file_ops;
static const struct vfs_inode_ops ovl_node_ops;

/* What a merged directory knows of its lower (inode->dir->ovl), made on
 * first need. */
struct vfs_ovl_dir {
	bool listed;                    /* every lower name has its entry */
	uint32_t nlower;                /* entries made from the lower before listed */
	uint32_t nwhiteouts;
	uint32_t wcap;                  /* >= nlower: a whiteout never allocates */
	struct vfs_dentry **whiteouts;  /* lower entries removed before listed (referenced) */
	struct vfs_dentry *resume;      /* getdents: the child after the last record (borrowed) */
};

/* inode->priv of a merged directory or of an entry from the lower (until a
 * regular file is copied up): the lower dentry, referenced. */
static struct vfs_dentry *lower_of(struct vfs_inode *inode)
{
	return inode->priv;
}

static void copy_attrs(struct vfs_inode *to, const struct vfs_inode *from)
{
	to->mode = from->mode;
	to->uid = from->uid;
	to->gid = from->gid;
	to->atime = from->atime;
	to->mtime = from->mtime;
	to->ctime = from->ctime;
	if (!S_ISDIR(from->mode)) {
		to->size = from->size;
		to->nlink = from->nlink;
		to->blocks = from->blocks;
	}
}

static struct vfs_ovl_dir *dir_state(struct vfs_inode *inode)
{
	if (!inode->dir->ovl)
		inode->dir->ovl = calloc(1, sizeof(struct vfs_ovl_dir));
	return inode->dir->ovl;
}

static void drop_whiteouts(struct vfs_ovl_dir *od)
{
	for (uint32_t i = 0; i < od->nwhiteouts; i++)
		vfs_dentry_put(od->whiteouts[i]);
	free(od->whiteouts);
	od->whiteouts = NULL;
	od->nwhiteouts = od->wcap = 0;
}

static bool whited_out(const struct vfs_ovl_dir *od, const char *name, size_t len)
{
	for (uint32_t i = 0; od && i < od->nwhiteouts; i++) {
		const struct vfs_dentry *w = od->whiteouts[i];
		if (w->len == len && !memcmp(w->name, name, len))
			return true;
	}
	return false;
}

static bool shows_lower(struct vfs_inode *dir)
{
	return lower_of(dir) && !dir->dir->opaque && !(dir->dir->ovl && dir->dir->ovl->listed);
}

static int grow_whiteouts(struct vfs_ovl_dir *od, uint32_t need)
{
	if (need <= od->wcap)
		return 0;
	uint32_t cap = od->wcap ? od->wcap * 2 : 4;
	while (cap < need)
		cap *= 2;
	struct vfs_dentry **w = realloc(od->whiteouts, cap * sizeof(*w));
	if (!w)
		return -ENOMEM;
	od->whiteouts = w;
	od->wcap = cap;
	return 0;
}

/* A name leaves a merged directory: one the lower has stays hidden. */
static void ovl_unlinked(struct vfs_dentry *dir, struct vfs_dentry *child)
{
	struct vfs_ovl_dir *od = dir->inode->dir->ovl;
	if (od && od->resume == child)
		od->resume = child->next;
	if (!od || !shows_lower(dir->inode))
		return;  /* no entry of a lower name was made by lookup here */
	struct vfs_dentry *lc = vfs_d_lookup(lower_of(dir->inode), child->name, child->len);
	if (!lc)
		return;
	for (uint32_t i = 0; i < od->nwhiteouts; i++)
		if (od->whiteouts[i] == lc)
			return;
	if (grow_whiteouts(od, od->nwhiteouts + 1))
		return;  /* cannot happen: the room was kept when the entry was made */
	vfs_dentry_get(lc);
	od->whiteouts[od->nwhiteouts++] = lc;
}

/* The overlay entry of the lower entry lc, as a child of dir: with lc's
 * attributes, or I_STALE while lc has none yet. */
static int make_entry(struct vfs_dentry *dir, struct vfs_dentry *lc, struct vfs_dentry **out)
{
	struct vfs_inode *li = lc->inode;
	bool stale = li->flags & I_STALE;
	char *link = NULL;
	if (!stale && S_ISLNK(li->mode) && li->link && !(link = strdup(li->link)))
		return -ENOMEM;
	const struct vfs_inode_ops *ops = S_ISDIR(li->mode)   ? &ovl_dir_ops
					  : S_ISREG(li->mode) ? &ovl_file_ops
							      : &ovl_node_ops;
	struct vfs_sb *sb = dir->inode->sb;
	unsigned saved = sb->flags;
	sb->flags &= ~SB_CHARGED;  /* lower entries cost nothing until copied up */
	struct vfs_inode *inode;
	int err = vfs_d_make(dir, lc->name, li->mode & S_IFMT, ops, &inode);
	sb->flags = saved;
	if (err) {
		free(link);
		return err;
	}
	vfs_dentry_get(lc);
	inode->priv = lc;
	if (stale) {
		inode->flags |= I_STALE;
	} else {
		copy_attrs(inode, li);
		if (link)
			inode->link = link;
	}
	*out = dir->inode->dir->last;
	return 0;
}

/* An entry whose lower entry the host no longer has. */
static void drop_gone(struct vfs_dentry *d)
{
	struct vfs_inode *inode = d->inode;
	if (S_ISDIR(inode->mode)) {
		inode->dir->dead = true;
		d->parent->inode->nlink--;
	}
	vfs_d_drop(d);
}

/* The attributes of an entry made from a listing, from its lower entry,
 * which the lower's lookup fills (one host lstat).  -ENOENT, and the entry
 * goes, when the host no longer has it. */
static int ovl_fill(const struct vfs_ctx *ctx, struct vfs_dentry *d)
{
	struct vfs_inode *inode = d->inode;
	if (!(inode->flags & I_STALE))
		return 0;
	struct vfs_dentry *lc = lower_of(inode), *found = lc;
	struct vfs_dentry *lp = lc->parent;
	int err = 0;
	if (!(lc->flags & D_HASHED) || !lp)
		err = -ENOENT;
	else if (lp->inode->ops && lp->inode->ops->lookup)
		err = lp->inode->ops->lookup(ctx, lp, lc->name, lc->len, &found);
	if (!err && (found != lc || (lc->inode->flags & I_STALE)))
		err = -ENOENT;
	if (err == -ENOENT)
		drop_gone(d);
	if (err)
		return err;
	struct vfs_inode *li = lc->inode;
	char *link = NULL;
	if (S_ISLNK(li->mode) && li->link && !(link = strdup(li->link)))
		return -ENOMEM;
	copy_attrs(inode, li);
	if (link)
		inode->link = link;
	inode->flags &= ~I_STALE;
	return 0;
}

/* One name of the lower directory, with its attributes. */
static int lower_lookup(const struct vfs_ctx *ctx, struct vfs_dentry *lower, const char *name,
			size_t len, struct vfs_dentry **out)
{
	struct vfs_inode *li = lower->inode;
	if (li->dir->dead)
		return -ENOENT;
	if (li->ops && li->ops->lookup)
		return li->ops->lookup(ctx, lower, name, len, out);
	int err = vfs_populate(lower);
	if (err)
		return err;
	*out = vfs_d_lookup(lower, name, len);
	return *out ? 0 : -ENOENT;
}

/* A path walk: the entry the overlay has, else the lower's of that one name. */
static int ovl_lookup(const struct vfs_ctx *ctx, struct vfs_dentry *dir, const char *name,
		      size_t len, struct vfs_dentry **out)
{
	struct vfs_dentry *d = vfs_d_lookup(dir, name, len);
	if (d) {
		int err = ovl_fill(ctx, d);
		if (err)
			return err;
		*out = d;
		return 0;
	}
	struct vfs_inode *inode = dir->inode;
	if (!shows_lower(inode) || whited_out(inode->dir->ovl, name, len))
		return -ENOENT;
	struct vfs_dentry *lc;
	int err = lower_lookup(ctx, lower_of(inode), name, len, &lc);
	if (err)
		return err;
	struct vfs_ovl_dir *od = dir_state(inode);
	if (!od)
		return -ENOMEM;
	/* room for the whiteout this entry may leave, kept now: removing a
	 * name cannot fail */
	if ((err = grow_whiteouts(od, od->nlower + 1)) || (err = make_entry(dir, lc, &d)))
		return err;
	od->nlower++;
	*out = d;
	return 0;
}

/* The child `name` among the first `before` children of dir, those it had
 * before a listing began, which adds its own at the end: few, so a walk
 * along them costs less than a hash lookup, whose misses are cache misses. */
static bool had_before(struct vfs_dentry *dir, uint32_t before, const char *name, size_t len)
{
	if (before > 8)
		return vfs_d_lookup(dir, name, len) != NULL;
	for (struct vfs_dentry *c = dir->inode->dir->first; before--; c = c->next)
		if (c->len == len && !memcmp(c->name, name, len))
			return true;
	return false;
}

/* Every lower name gets its entry, from the lower's listing alone. */
static int ovl_list(struct vfs_dentry *dir)
{
	struct vfs_inode *inode = dir->inode;
	if (!shows_lower(inode))
		return 0;
	struct vfs_dentry *lower = lower_of(inode);
	struct vfs_inode *li = lower->inode;
	int err = li->dir->dead ? 0 : li->ops && li->ops->list ? li->ops->list(lower) : vfs_populate(lower);
	if (err)
		return err;
	struct vfs_ovl_dir *od = dir_state(inode);
	if (!od)
		return -ENOMEM;
	/* the lower's names are unique: only those made here before can clash */
	uint32_t before = inode->dir->count;
	for (struct vfs_dentry *lc = li->dir->first; lc; lc = lc->next) {
		if (before && had_before(dir, before, lc->name, lc->len))
			continue;  /* looked up or made here already */
		bool gone = false;
		for (uint32_t i = 0; i < od->nwhiteouts && !gone; i++)
			gone = od->whiteouts[i] == lc;
		if (gone)
			continue;
		/* until the listing ends, this entry too may leave a whiteout */
		struct vfs_dentry *d;
		if ((err = grow_whiteouts(od, od->nlower + 1)) || (err = make_entry(dir, lc, &d)))
			return err;  /* the next listing goes on from here */
		od->nlower++;
	}
	od->listed = true;
	drop_whiteouts(od);  /* the overlay's tree is the truth now */
	return 0;
}

/* Every entry with its attributes: for the readers of a whole directory
 * (rmdir, the comparison of a workspace with its host directory). */
static int ovl_populate(struct vfs_dentry *dir)
{
	int err = ovl_list(dir);
	for (struct vfs_dentry *c = dir->inode->dir->first, *next; c && !err; c = next) {
		next = c->next;
		if ((err = ovl_fill(NULL, c)) == -ENOENT)
			err = 0;
	}
	return err;
}

/* getdents: names, types and inode numbers, which the listing gave. */
static int ovl_iterate(const struct vfs_ctx *ctx, struct vfs_dentry *dir, struct vfs_dir_iter *it)
{
	(void)ctx;
	int err = ovl_list(dir);
	if (err)
		return err;
	struct vfs_inode *inode = dir->inode;
	if (!vfs_dir_emit_dots(dir, it))
		return 0;
	struct vfs_ovl_dir *od = dir_state(inode);
	/* the first child at or after it->pos, where the last call stopped
	 * when reading on */
	struct vfs_dentry *c = od ? od->resume : NULL;
	if (!c || c->pos < it->pos || (c->prev && c->prev->pos >= it->pos)) {
		struct vfs_dentry *last = inode->dir->last;
		c = last && last->pos >= it->pos ? inode->dir->first : NULL;
		while (c && c->pos < it->pos)
			c = c->next;
	}
	for (; c && c->pos < it->end; c = c->next)
		if (!vfs_dir_emit(it, c->name, c->len, c->inode->ino, vfs_dtype(c->inode->mode), c->pos + 1))
			break;
	if (od)
		od->resume = c;
	return 0;
}

static int ovl_lower_memfd(struct vfs_inode *inode)
{
	struct vfs_dentry *lower = lower_of(inode);
	if (!lower)
		return -EIO;
	int fd = vfs_inode_memfd(lower->inode, false);
	if (fd >= 0)
		inode->size = lower->inode->size;
	if (fd >= 0 && (lower->inode->flags & I_HOST_VIEW))
		inode->flags |= I_HOST_VIEW;
	return fd;
}

static int copy_fd(int from, int to)
{
	char buf[65536];
	off_t off = 0;
	for (;;) {
		ssize_t n = pread(from, buf, sizeof(buf), off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		for (ssize_t done = 0; done < n;) {
			ssize_t w = pwrite(to, buf + done, n - done, off + done);
			if (w < 0)
				return -errno;
			done += w;
		}
		off += n;
	}
}

/* The first write: the contents become a private memfd and count against
 * the limits. */
static int ovl_copy_up(struct vfs_inode *inode)
{
	if (inode->memfd >= 0)
		return 0;
	struct vfs_dentry *lower = lower_of(inode);
	if (!lower)
		return 0;
	int lfd = vfs_inode_memfd(lower->inode, false);
	if (lfd < 0)
		return lfd;
	struct stat st;
	if (fstat(lfd, &st) < 0)
		return -errno;
	inode->size = st.st_size;
	int err = vfs_inode_charge(inode);
	if (err)
		return err;
	int fd = vfs_data_new();
	if (fd < 0)
		return fd;
	err = copy_fd(lfd, fd);
	if (err) {
		close(fd);
		return err;
	}
	struct timespec t[2] = {inode->atime, inode->mtime};
	futimens(fd, t);
	inode->memfd = fd;
	inode->flags |= I_OWN_MEMFD;
	inode->priv = NULL;
	vfs_dentry_put(lower);
	vfs_inode_recharge(inode);
	return 0;
}

static void ovl_release(struct vfs_inode *inode)
{
	if (S_ISDIR(inode->mode) && inode->dir->ovl) {
		drop_whiteouts(inode->dir->ovl);
		free(inode->dir->ovl);
		inode->dir->ovl = NULL;
	}
	if (inode->priv)
		vfs_dentry_put(inode->priv);
	inode->priv = NULL;
}

static const struct vfs_inode_ops ovl_dir_ops = {
	.populate = ovl_populate,
	.list = ovl_list,
	.lookup = ovl_lookup,
	.iterate = ovl_iterate,
	.release = ovl_release,
	.unlinked = ovl_unlinked,
};

static const struct vfs_inode_ops ovl_file_ops = {
	.lower_memfd = ovl_lower_memfd,
	.copy_up = ovl_copy_up,
	.release = ovl_release,
};

/* Symlinks (their target is copied with the attributes) and other kinds. */
static const struct vfs_inode_ops ovl_node_ops = {
	.release = ovl_release,
};

/* sb->priv: the host directory of a workspace, or NULL. */
static void ovl_destroy(struct vfs_sb *sb)
{
	free(sb->priv);
	sb->priv = NULL;
}

static const struct vfs_sb_ops ovl_sb_ops = {
	.name = "overlay",
	.magic = OVERLAYFS_SUPER_MAGIC,
	.destroy = ovl_destroy,
};

int vfs_overlay_new(struct vfs *vfs, struct vfs_sb *lower, struct vfs_sb **out)
{
	if (!lower)
		return -EINVAL;
	int err = vfs_sb_new(vfs, &ovl_sb_ops, SB_CHARGED, S_IFDIR | 0755, &ovl_dir_ops, out);
	if (err)
		return err;
	struct vfs_inode *root = (*out)->root->inode;
	copy_attrs(root, lower->root->inode);
	vfs_dentry_get(lower->root);
	root->priv = lower->root;
	lower->refs++;
	return 0;
}

bool vfs_is_overlay(const struct vfs_sb *sb)
{
	return sb->ops == &ovl_sb_ops;
}

int vfs_overlay_set_workspace(struct vfs_sb *sb, const char *host_dir)
{
	if (!vfs_is_overlay(sb))
		return -EINVAL;
	char *copy = strdup(host_dir);
	if (!copy)
		return -ENOMEM;
	free(sb->priv);
	sb->priv = copy;
	return 0;
}

const char *vfs_overlay_workspace(const struct vfs_sb *sb)
{
	return vfs_is_overlay(sb) ? sb->priv : NULL;
}

int vfs_image_file(const struct vfs_path *p, char *buf, size_t size)
{
	struct vfs_dentry *d = p->dentry;
	if (!d || !d->inode || !S_ISREG(d->inode->mode))
		return -ENOENT;
	if (d->inode->ops == &ovl_file_ops) {
		if (vfs_overlay_workspace(d->inode->sb))
			return -ENOENT; /* the workspace is the workload's side */
		d = lower_of(d->inode);
		if (!d)
			return -ENOENT; /* written inside: copied up */
	}
	return vfs_is_hostimg(d->inode->sb) ? vfs_hostimg_host_path(d, buf, size) : -ENOENT;
}
