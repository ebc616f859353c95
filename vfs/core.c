/* The VFS objects: the sandbox instance, inodes, dentries and their hash
 * table, super blocks, mounts, limits and permission checks. */
#define _GNU_SOURCE
#include "idmap.h"
#include "vfs_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#define XXH_INLINE_ALL  /* short names: inlined hashing is several times faster */
#include <xxhash.h>

uint64_t vfs_default_inodes(uint64_t max_bytes)
{
	uint64_t n = max_bytes / 4096;
	return n < 64 ? 64 : n;
}

uint64_t vfs_max_bytes(const struct vfs *vfs)
{
	return vfs->limits.max_bytes;
}

int vfs_set_max_bytes(struct vfs *vfs, uint64_t max_bytes)
{
	uint64_t inodes = vfs->limits.max_inodes;
	if (vfs->limits.max_bytes && inodes == vfs_default_inodes(vfs->limits.max_bytes))
		inodes = vfs_default_inodes(max_bytes);
	/* as statfs counts them: contents as the store measures them now */
	int64_t data = vfs_data_used();
	uint64_t held = vfs->bytes_used - vfs->data_used + (data >= 0 ? (uint64_t)data : vfs->data_used);
	if ((max_bytes && held > max_bytes) || (inodes && vfs->inodes_used > inodes))
		return -ENOSPC;
	vfs->limits.max_bytes = max_bytes;
	vfs->limits.max_inodes = inodes;
	return 0;
}

struct vfs *vfs_create(const struct vfs_limits *limits)
{
	struct vfs *vfs = calloc(1, sizeof(*vfs));
	if (!vfs)
		return NULL;
	vfs->hmask = 255;
	vfs->htab = calloc(vfs->hmask + 1, sizeof(*vfs->htab));
	if (!vfs->htab) {
		free(vfs);
		return NULL;
	}
	if (limits)
		vfs->limits = *limits;
	if (!vfs->limits.max_inodes && vfs->limits.max_bytes)
		vfs->limits.max_inodes = vfs_default_inodes(vfs->limits.max_bytes);
	vfs->next_dev = 0x20;
	vfs->next_mnt_id = 20;
	clock_gettime(CLOCK_MONOTONIC, &vfs->started);
	return vfs;
}

/* Drops every child below d, deepest first. */
static void tree_drop(struct vfs_dentry *d)
{
	struct vfs_inode *inode = d->inode;
	if (inode && S_ISDIR(inode->mode) && inode->dir) {
		struct vfs_dentry *c = inode->dir->first;
		while (c) {
			struct vfs_dentry *next = c->next;
			vfs_dentry_get(c);
			tree_drop(c);
			vfs_d_drop(c);
			vfs_dentry_put(c);
			c = next;
		}
	}
}

void vfs_destroy(struct vfs *vfs)
{
	if (!vfs)
		return;
	vfs_release_held(vfs);
	while (vfs->mounts) {
		struct vfs_mount *m = vfs->mounts;
		vfs->mounts = m->next;
		if (m->mountpoint)
			vfs_dentry_put(m->mountpoint);
		vfs_dentry_put(m->root);
		vfs_sb_put(m->sb);
		free(m);
	}
	/* Newest first: an overlay goes before the image below it. */
	while (vfs->sbs) {
		struct vfs_sb *sb = vfs->sbs;
		vfs->sbs = sb->all_next;
		tree_drop(sb->root);
		vfs_dentry_put(sb->root);
		if (sb->ops->destroy)
			sb->ops->destroy(sb);
		free(sb);
	}
	free(vfs->call_files);
	free(vfs->htab);
	free(vfs);
}

void vfs_usage(const struct vfs *vfs, uint64_t *bytes, uint64_t *inodes)
{
	if (bytes)
		*bytes = vfs->bytes_used;
	if (inodes)
		*inodes = vfs->inodes_used;
}

/* Strictly increasing, so two changes never share a timestamp. */
void vfs_now(struct vfs *vfs, struct timespec *t)
{
	clock_gettime(CLOCK_REALTIME, t);
	struct timespec *last = &vfs->last_time;
	if (t->tv_sec < last->tv_sec || (t->tv_sec == last->tv_sec && t->tv_nsec <= last->tv_nsec)) {
		*t = *last;
		if (++t->tv_nsec >= 1000000000) {
			t->tv_nsec = 0;
			t->tv_sec++;
		}
	}
	*last = *t;
}

/* What the VFS holds: the sentry's bytes and the contents' blocks as last
 * measured.  Contents the workload writes through its fds are bounded by
 * the data store's own size (the same limit), in the kernel; as on tmpfs,
 * a full store still lets the workload make names (a new empty file). */
static uint64_t bytes_held(const struct vfs *vfs)
{
	return vfs->bytes_used;
}

int vfs_charge_bytes(struct vfs *vfs, int64_t delta)
{
	if (delta > 0 && vfs->limits.max_bytes &&
	    bytes_held(vfs) + (uint64_t)delta > vfs->limits.max_bytes)
		return -ENOSPC;
	vfs->bytes_used += delta;
	return 0;
}

int vfs_charge(struct vfs *vfs, int64_t delta)
{
	return vfs_charge_bytes(vfs, delta);
}

/* --- inodes ---------------------------------------------------------------- */

/* The sentry's memory an inode takes: the struct, a directory's state, a
 * symlink's stored target. */
static uint32_t inode_meta_cost(mode_t mode, const char *link)
{
	uint32_t c = sizeof(struct vfs_inode) + VFS_MALLOC_OVERHEAD;
	if (S_ISDIR(mode))
		c += sizeof(struct vfs_dir) + VFS_MALLOC_OVERHEAD;
	else if (S_ISLNK(mode) && link)
		c += vfs_link_cost(strlen(link));
	return c;
}

int vfs_inode_new(struct vfs_sb *sb, mode_t mode, const struct vfs_inode_ops *ops,
		  struct vfs_inode **out)
{
	struct vfs *vfs = sb->vfs;
	bool charged = sb->flags & SB_CHARGED;
	if (sb->max_inodes && sb->inodes >= sb->max_inodes)
		vfs_reclaim(vfs);
	if (sb->max_inodes && sb->inodes >= sb->max_inodes)
		return -ENOSPC;
	if (charged && vfs->limits.max_inodes && vfs->inodes_used >= vfs->limits.max_inodes)
		return -ENOSPC;
	uint32_t meta = inode_meta_cost(mode, NULL);
	if (charged && vfs_charge_bytes(vfs, meta))
		return -ENOSPC;
	struct vfs_inode *inode = calloc(1, sizeof(*inode));
	if (inode && S_ISDIR(mode) && !(inode->dir = calloc(1, sizeof(*inode->dir)))) {
		free(inode);
		inode = NULL;
	}
	if (!inode) {
		if (charged)
			vfs->bytes_used -= meta;
		return -ENOMEM;
	}
	if (S_ISDIR(mode)) {
		inode->dir->next_pos = 2;
		inode->nlink = 2;
	} else {
		inode->nlink = 1;
	}
	inode->ops = ops;
	inode->sb = sb;
	sb->inodes++;
	inode->ino = sb->next_ino++;
	inode->mode = mode;
	inode->refs = 1;
	inode->memfd = -1;
	vfs_now(vfs, &inode->mtime);
	inode->atime = inode->ctime = inode->mtime;
	if (charged) {
		vfs->inodes_used++;
		inode->flags |= I_CHARGED;
		inode->meta_charged = meta;
	}
	*out = inode;
	return 0;
}

void vfs_inode_get(struct vfs_inode *inode)
{
	inode->refs++;
}

void vfs_inode_put(struct vfs_inode *inode)
{
	if (!inode || --inode->refs)
		return;
	if (inode->ops && inode->ops->release)
		inode->ops->release(inode);
	inode->sb->inodes--;
	if (inode->flags & I_CHARGED) {
		struct vfs *vfs = inode->sb->vfs;
		vfs->inodes_used--;
		vfs->bytes_used -= inode->meta_charged + inode->data_charged;
		vfs->data_used -= inode->data_charged;
	}
	vfs_xattrs_free(inode);
	if (inode->memfd >= 0)
		close(inode->memfd);
	if (S_ISDIR(inode->mode))
		free(inode->dir);
	else if (S_ISLNK(inode->mode))
		free(inode->link);
	free(inode);
}

/* The size alone costs nothing: contents are charged by the blocks they
 * hold (vfs_inode_recharge), as tmpfs charges a sparse file. */
int vfs_inode_set_size(struct vfs_inode *inode, int64_t size)
{
	inode->size = size;
	return 0;
}

int vfs_inode_recharge(struct vfs_inode *inode)
{
	if (!(inode->flags & I_CHARGED) || !S_ISREG(inode->mode))
		return 0;
	int64_t held = 0;
	struct stat st;
	if (inode->memfd >= 0 && (inode->flags & I_OWN_MEMFD) && fstat(inode->memfd, &st) == 0)
		held = (int64_t)st.st_blocks * 512;
	struct vfs *vfs = inode->sb->vfs;
	vfs->bytes_used += held - inode->data_charged;
	vfs->data_used += held - inode->data_charged;
	inode->data_charged = held;
	if (vfs->limits.max_bytes && bytes_held(vfs) > vfs->limits.max_bytes)
		return -ENOSPC;
	return 0;
}

void vfs_on_last_name(struct vfs *vfs, void (*fn)(void *arg, int contents_fd), void *arg)
{
	vfs->last_name = fn;
	vfs->last_name_arg = arg;
}

void vfs_on_reclaim(struct vfs *vfs, void (*fn)(void *arg), void *arg)
{
	vfs->reclaim = fn;
	vfs->reclaim_arg = arg;
}

void vfs_reclaim(struct vfs *vfs)
{
	if (vfs->reclaim)
		vfs->reclaim(vfs->reclaim_arg);
}

void vfs_inode_nameless(struct vfs_inode *inode)
{
	if (!S_ISREG(inode->mode) || inode->nlink || inode->memfd < 0 || !(inode->flags & I_OWN_MEMFD) ||
	    (inode->flags & I_HELD))
		return;
	struct vfs *vfs = inode->sb->vfs;
	vfs_inode_get(inode);
	inode->flags |= I_HELD;
	inode->held_next = vfs->held;
	vfs->held = inode;
}

static void take_later(struct timespec *t, const struct timespec *other)
{
	if (t->tv_sec < other->tv_sec || (t->tv_sec == other->tv_sec && t->tv_nsec < other->tv_nsec))
		*t = *other;
}

/* The VFS closes its fd to the contents; fstat's answers stay those last
 * seen, and the bytes are no longer the VFS's to count (the data store
 * still holds them while the workload's opens do). */
static void let_go_of_contents(struct vfs_inode *inode)
{
	struct stat st;
	if (fstat(inode->memfd, &st) == 0) {
		inode->size = st.st_size;
		inode->blocks = st.st_blocks;
		take_later(&inode->atime, &st.st_atim);
		take_later(&inode->mtime, &st.st_mtim);
		take_later(&inode->ctime, &st.st_ctim);
	}
	close(inode->memfd);
	inode->memfd = -1;
	inode->flags = (inode->flags & ~I_OWN_MEMFD) | I_NAMELESS;
	vfs_inode_recharge(inode);
}

int vfs_file_hold_call(struct vfs *vfs, struct vfs_file *f)
{
	if (vfs->ncall_files == vfs->call_files_room) {
		size_t room = vfs->call_files_room ? vfs->call_files_room * 2 : 8;
		struct vfs_file **list = realloc(vfs->call_files, room * sizeof(*list));
		if (!list)
			return -ENOMEM;
		vfs->call_files = list;
		vfs->call_files_room = room;
	}
	vfs_file_get(f);
	vfs->call_files[vfs->ncall_files++] = f;
	return 0;
}

void vfs_release_held(struct vfs *vfs)
{
	while (vfs && vfs->ncall_files)
		vfs_file_put(vfs->call_files[--vfs->ncall_files]);
	while (vfs && vfs->held) {
		struct vfs_inode *inode = vfs->held;
		vfs->held = inode->held_next;
		inode->held_next = NULL;
		inode->flags &= ~I_HELD;
		if (inode->nlink == 0) {
			let_go_of_contents(inode);
		} else {
			/* linked again (O_TMPFILE, linkat): a file like any other */
			inode->flags &= ~I_NAMELESS;
			vfs_inode_recharge(inode);
		}
		vfs_inode_put(inode);
	}
}

uint32_t vfs_link_cost(size_t len)
{
	return len + 1 + VFS_MALLOC_OVERHEAD;
}

/* --- dentries and the hash table -------------------------------------------- */

static inline uint64_t d_hash(const struct vfs_dentry *parent, const char *name, size_t len)
{
	return XXH3_64bits_withSeed(name, len, (uint64_t)(uintptr_t)parent);
}

static void htab_grow(struct vfs *vfs)
{
	size_t nsize = (vfs->hmask + 1) * 2;
	struct vfs_dentry **ntab = calloc(nsize, sizeof(*ntab));
	if (!ntab)
		return;  /* stays correct, only slower */
	for (size_t i = 0; i <= vfs->hmask; i++) {
		struct vfs_dentry *d = vfs->htab[i];
		while (d) {
			struct vfs_dentry *next = d->hash_next;
			size_t b = d->hash & (nsize - 1);
			d->hash_next = ntab[b];
			ntab[b] = d;
			d = next;
		}
	}
	free(vfs->htab);
	vfs->htab = ntab;
	vfs->hmask = nsize - 1;
}

struct vfs_dentry *vfs_dentry_new(struct vfs_dentry *parent, const char *name, size_t len)
{
	struct vfs_dentry *d = malloc(sizeof(*d) + len + 1);
	if (!d)
		return NULL;
	memset(d, 0, sizeof(*d));
	d->name = d->iname;
	memcpy(d->name, name, len);
	d->name[len] = 0;
	d->len = len;
	d->icap = len;
	d->refs = 1;
	d->parent = parent;
	if (parent)
		parent->refs++;
	return d;
}

void vfs_dentry_get(struct vfs_dentry *d)
{
	d->refs++;
}

/* A dentry's struct, its names and its slot in the hash table (which
 * holds up to two slots per name). */
static uint64_t dentry_cost(const struct vfs_dentry *d)
{
	uint64_t c = sizeof(*d) + d->icap + 1 + VFS_MALLOC_OVERHEAD + 2 * sizeof(d);
	if (d->name != d->iname)
		c += d->len + 1 + VFS_MALLOC_OVERHEAD;
	return c;
}

int vfs_d_charge(struct vfs_dentry *d)
{
	struct vfs_sb *sb = d->parent->inode->sb;
	if (!(sb->flags & SB_CHARGED) || (d->flags & D_CHARGED))
		return 0;
	int err = vfs_charge_bytes(sb->vfs, dentry_cost(d));
	if (!err)
		d->flags |= D_CHARGED;
	return err;
}

void vfs_dentry_put(struct vfs_dentry *d)
{
	while (d && --d->refs == 0) {
		struct vfs_dentry *parent = d->parent;
		if (d->flags & D_CHARGED)
			parent->inode->sb->vfs->bytes_used -= dentry_cost(d);
		vfs_inode_put(d->inode);
		if (d->name != d->iname)
			free(d->name);
		free(d);
		d = parent;
	}
}

static void d_unlink_sibling(struct vfs_dentry *d);

void vfs_d_add(struct vfs_dentry *d, struct vfs_inode *inode)
{
	struct vfs_dentry *parent = d->parent;
	struct vfs *vfs = parent->inode->sb->vfs;
	struct vfs_dir *dir = parent->inode->dir;
	d->inode = inode;
	if (vfs->hcount >= vfs->hmask + 1)
		htab_grow(vfs);
	d->hash = (uint32_t)d_hash(parent, d->name, d->len);
	struct vfs_dentry **b = &vfs->htab[d->hash & vfs->hmask];
	d->hash_next = *b;
	*b = d;
	vfs->hcount++;
	d->flags |= D_HASHED;
	d->refs++;
	if (!dir->populated && parent->inode->ops && parent->inode->ops->populate) {
		/* a lazy directory with a first child: looked into, but the
		 * populate op has still to make the others */
		dir->populated = true;
		dir->lazy = true;
	}
	d->pos = dir->next_pos++;
	d->next = NULL;
	d->prev = dir->last;
	if (dir->last)
		dir->last->next = d;
	else
		dir->first = d;
	dir->last = d;
	dir->count++;
	if (inode && S_ISDIR(inode->mode))
		dir->subdirs++;
}

/* Tells the directory that a name leaves it. */
static void d_unlinked(struct vfs_dentry *d)
{
	struct vfs_inode *pi = d->parent->inode;
	if (pi->ops && pi->ops->unlinked)
		pi->ops->unlinked(d->parent, d);
}

void vfs_d_drop(struct vfs_dentry *d)
{
	if (!(d->flags & D_HASHED))
		return;
	d_unlinked(d);
	d_unlink_sibling(d);
	d->flags &= ~D_HASHED;
	vfs_dentry_put(d);
}

static void d_unlink_sibling(struct vfs_dentry *d)
{
	struct vfs_dir *dir = d->parent->inode->dir;
	struct vfs *vfs = d->parent->inode->sb->vfs;
	struct vfs_dentry **pp = &vfs->htab[d->hash & vfs->hmask];
	while (*pp != d)
		pp = &(*pp)->hash_next;
	*pp = d->hash_next;
	vfs->hcount--;
	if (d->prev)
		d->prev->next = d->next;
	else
		dir->first = d->next;
	if (d->next)
		d->next->prev = d->prev;
	else
		dir->last = d->prev;
	dir->count--;
	if (d->inode && S_ISDIR(d->inode->mode))
		dir->subdirs--;
}

int vfs_d_move(struct vfs_dentry *d, struct vfs_dentry *new_parent, const char *name, size_t len)
{
	char *nname = d->iname;
	if (len > d->icap) {
		nname = malloc(len + 1);
		if (!nname)
			return -ENOMEM;
	}
	/* a longer name is charged even past the limit: the move cannot
	 * fail half-way, and the overshoot is one name */
	struct vfs *vfs = d->parent->inode->sb->vfs;
	if (d->flags & D_CHARGED)
		vfs->bytes_used -= dentry_cost(d);
	d_unlinked(d);
	d_unlink_sibling(d);  /* while the old name still hashes to its bucket */
	memmove(nname, name, len);
	nname[len] = 0;
	if (d->name != d->iname && d->name != nname)
		free(d->name);
	d->name = nname;
	d->len = len;
	if (d->flags & D_CHARGED)
		vfs->bytes_used += dentry_cost(d);
	struct vfs_dentry *old_parent = d->parent;
	vfs_dentry_get(new_parent);
	d->parent = new_parent;
	d->flags &= ~D_HASHED;
	d->refs--;  /* vfs_d_add takes the tree reference again */
	vfs_d_add(d, d->inode);
	vfs_dentry_put(old_parent);
	return 0;
}

struct vfs_dentry *vfs_d_lookup(struct vfs_dentry *parent, const char *name, size_t len)
{
	struct vfs *vfs = parent->inode->sb->vfs;
	uint32_t h = (uint32_t)d_hash(parent, name, len);
	for (struct vfs_dentry *d = vfs->htab[h & vfs->hmask]; d; d = d->hash_next)
		if (d->hash == h && d->parent == parent && d->len == len && !memcmp(d->name, name, len))
			return d;
	return NULL;
}

int vfs_d_make(struct vfs_dentry *parent, const char *name, mode_t mode,
	       const struct vfs_inode_ops *ops, struct vfs_inode **out)
{
	struct vfs_inode *inode;
	int err = vfs_inode_new(parent->inode->sb, mode, ops, &inode);
	if (err)
		return err;
	struct vfs_dentry *d = vfs_dentry_new(parent, name, strlen(name));
	if (!d) {
		vfs_inode_put(inode);
		return -ENOMEM;
	}
	if ((inode->flags & I_CHARGED) && (err = vfs_d_charge(d))) {
		vfs_dentry_put(d);
		vfs_inode_put(inode);
		return err;
	}
	vfs_d_add(d, inode);
	if (S_ISDIR(mode))
		parent->inode->nlink++;
	vfs_dentry_put(d);
	if (out)
		*out = inode;
	return 0;
}

int vfs_populate(struct vfs_dentry *dir)
{
	struct vfs_inode *inode = dir->inode;
	if (inode->dir->populated && !inode->dir->lazy)
		return 0;
	if (inode->ops && inode->ops->populate) {
		int err = inode->ops->populate(dir);
		if (err)
			return err;
	}
	inode->dir->populated = true;
	inode->dir->lazy = false;
	return 0;
}

/* --- super blocks ------------------------------------------------------------ */

int vfs_sb_new(struct vfs *vfs, const struct vfs_sb_ops *ops, unsigned flags, mode_t root_mode,
	       const struct vfs_inode_ops *root_ops, struct vfs_sb **out)
{
	struct vfs_sb *sb = calloc(1, sizeof(*sb));
	if (!sb)
		return -ENOMEM;
	sb->vfs = vfs;
	sb->ops = ops;
	sb->flags = flags;
	sb->refs = 1;
	sb->data_store = -1;
	sb->dev = makedev(0, vfs->next_dev++);
	sb->next_ino = 1;
	struct vfs_inode *inode;
	unsigned saved = sb->flags;
	sb->flags &= ~SB_CHARGED;  /* the root directory is free */
	int err = vfs_inode_new(sb, root_mode, root_ops, &inode);
	sb->flags = saved;
	if (err) {
		free(sb);
		return err;
	}
	sb->root = vfs_dentry_new(NULL, "/", 1);
	if (!sb->root) {
		vfs_inode_put(inode);
		free(sb);
		return -ENOMEM;
	}
	sb->root->inode = inode;
	sb->all_next = vfs->sbs;
	vfs->sbs = sb;
	*out = sb;
	return 0;
}

/* An sb lives as long as its vfs; the count only tells whether it is used. */
void vfs_sb_put(struct vfs_sb *sb)
{
	if (sb && sb->refs)
		sb->refs--;
}

/* --- mounts ------------------------------------------------------------------ */

struct vfs_mount *vfs_mount_lookup(struct vfs *vfs, struct vfs_mount *parent, struct vfs_dentry *d)
{
	struct vfs_mount *found = NULL;
	for (struct vfs_mount *m = vfs->mounts; m; m = m->next)
		if (m->parent == parent && m->mountpoint == d)
			found = m;  /* the last one mounted covers the others */
	return found;
}

void vfs_mount_set_readonly(const struct vfs_path *p)
{
	p->mnt->flags |= VFS_MNT_RDONLY;
}

bool vfs_path_rdonly(const struct vfs_path *p)
{
	return (p->mnt->flags & VFS_MNT_RDONLY) || (p->mnt->sb->flags & SB_RDONLY);
}

static int mount_add(struct vfs *vfs, struct vfs_mount *parent, struct vfs_dentry *mp,
		     struct vfs_sb *sb, unsigned flags, struct vfs_mount **out)
{
	struct vfs_mount *m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->parent = parent;
	m->mountpoint = mp;
	if (mp) {
		vfs_dentry_get(mp);
		mp->flags |= D_MOUNTED;
	}
	m->root = sb->root;
	vfs_dentry_get(m->root);
	m->sb = sb;
	sb->refs++;
	m->flags = flags;
	m->id = vfs->next_mnt_id++;
	struct vfs_mount **pp = &vfs->mounts;
	while (*pp)
		pp = &(*pp)->next;
	*pp = m;
	*out = m;
	return 0;
}

int vfs_mount_root(struct vfs *vfs, struct vfs_sb *sb, unsigned mnt_flags, struct vfs_path *root)
{
	for (struct vfs_mount *m = vfs->mounts; m; m = m->next)
		if (!m->parent)
			return -EBUSY;
	struct vfs_mount *m;
	int err = mount_add(vfs, NULL, NULL, sb, mnt_flags, &m);
	if (err)
		return err;
	root->mnt = m;
	root->dentry = m->root;
	vfs_dentry_get(root->dentry);
	return 0;
}

int vfs_mount(const struct vfs_ctx *ctx, const char *path, struct vfs_sb *sb, unsigned mnt_flags)
{
	struct vfs_path p;
	bool dir = S_ISDIR(sb->root->inode->mode);
	int err = vfs_walk(ctx, NULL, path, WALK_FOLLOW | (dir ? WALK_DIRECTORY : 0), &p);
	if (err)
		return err;
	struct vfs_mount *m;
	if (S_ISDIR(p.dentry->inode->mode) != dir)
		err = dir ? -ENOTDIR : -EISDIR;
	else
		err = mount_add(ctx->vfs, p.mnt, p.dentry, sb, mnt_flags, &m);
	vfs_path_put(&p);
	return err;
}

void vfs_path_get(const struct vfs_path *path)
{
	if (path->dentry)
		vfs_dentry_get(path->dentry);
}

void vfs_path_put(struct vfs_path *path)
{
	if (path->dentry)
		vfs_dentry_put(path->dentry);
	path->dentry = NULL;
	path->mnt = NULL;
}

/* --- permissions ------------------------------------------------------------- */

bool vfs_in_group(const struct vfs_cred *cred, gid_t gid)
{
	if (cred->gid == gid)
		return true;
	for (int i = 0; i < cred->ngroups; i++)
		if (cred->groups[i] == gid)
			return true;
	return false;
}

bool vfs_capable(const struct vfs_cred *cred, int cap)
{
	if (!cred->caps_set)
		return cred->uid == 0;
	return (cred->caps >> cap) & 1;
}

/* Linux generic_permission: the owner, group or other bits, then the
 * overrides: CAP_DAC_READ_SEARCH reads anything and searches directories,
 * CAP_DAC_OVERRIDE also writes, but executes a non-directory only when it
 * has at least one x bit. */
int vfs_permission(const struct vfs_cred *cred, const struct vfs_inode *inode, int mask)
{
	mask &= 7;
	unsigned bits;
	if (cred->uid == inode->uid)
		bits = inode->mode >> 6;
	else if (vfs_in_group(cred, inode->gid))
		bits = inode->mode >> 3;
	else
		bits = inode->mode;
	if (!(mask & ~bits & 7))
		return 0;
	if (S_ISDIR(inode->mode)) {
		if (!(mask & MAY_WRITE) && vfs_capable(cred, CAP_DAC_READ_SEARCH))
			return 0;
		return vfs_capable(cred, CAP_DAC_OVERRIDE) ? 0 : -EACCES;
	}
	if (mask == MAY_READ && vfs_capable(cred, CAP_DAC_READ_SEARCH))
		return 0;
	if ((!(mask & MAY_EXEC) || (inode->mode & 0111)) && vfs_capable(cred, CAP_DAC_OVERRIDE))
		return 0;
	return -EACCES;
}

unsigned vfs_dtype(mode_t mode)
{
	return (mode & S_IFMT) >> 12;
}

/* --- text buffers ---------------------------------------------------------- */

int vfs_buf_append(struct vfs_buf *b, const void *data, size_t len)
{
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + len + 1)
			cap *= 2;
		char *n = realloc(b->data, cap);
		if (!n)
			return -ENOMEM;
		b->data = n;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = 0;
	return 0;
}

int vfs_buf_printf(struct vfs_buf *b, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -EINVAL;
	if ((size_t)n < sizeof(small))
		return vfs_buf_append(b, small, n);
	char *big = malloc(n + 1);
	if (!big)
		return -ENOMEM;
	va_start(ap, fmt);
	vsnprintf(big, n + 1, fmt, ap);
	va_end(ap);
	int err = vfs_buf_append(b, big, n);
	free(big);
	return err;
}

/* Contents are charged by the blocks they take (vfs_inode_recharge once
 * copied); the size is checked against the limit first so that a copy-up
 * too large fails before it is made. */
int vfs_inode_charge(struct vfs_inode *inode)
{
	struct vfs *vfs = inode->sb->vfs;
	if (inode->flags & I_CHARGED)
		return 0;
	if (vfs->limits.max_inodes && vfs->inodes_used >= vfs->limits.max_inodes)
		return -ENOSPC;
	uint32_t meta = inode_meta_cost(inode->mode, S_ISLNK(inode->mode) ? inode->link : NULL);
	int64_t room = meta + (S_ISREG(inode->mode) ? inode->size : 0);
	if (vfs->limits.max_bytes && vfs->bytes_used + (uint64_t)room > vfs->limits.max_bytes)
		return -ENOSPC;
	vfs->bytes_used += meta;
	vfs->inodes_used++;
	inode->meta_charged = meta;
	inode->flags |= I_CHARGED;
	return 0;
}

void vfs_inode_set_attrs(struct vfs_inode *inode, const struct stat *st)
{
	inode->mode = st->st_mode;
	inode->uid = vfs_idmap_uid(st->st_uid);
	inode->gid = vfs_idmap_gid(st->st_gid);
	inode->atime = st->st_atim;
	inode->mtime = st->st_mtim;
	inode->ctime = st->st_ctim;
	if (!S_ISDIR(st->st_mode)) {
		inode->size = st->st_size;
		inode->nlink = st->st_nlink;
		inode->blocks = st->st_blocks;
	}
}
