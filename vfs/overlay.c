/* overlay: a writable memfs over a read-only lower tree.  A merged
 * directory is filled from its lower directory once, on first use; from then
 * on the overlay's own tree is the truth, so a removed name stays removed (a
 * whiteout) and a directory made anew has no lower (it is opaque).  Regular
 * files read the lower's shared memfd until the first write copies them up. */
#define _GNU_SOURCE
#include "vfs_impl.h"

#include <linux/magic.h>
#include <stdlib.h>
#include <unistd.h>

static const struct vfs_inode_ops ovl_dir_ops;
static const struct vfs_inode_ops ovl_file_ops;

/* inode->priv of a merged directory or a not yet copied file: the lower
 * dentry, referenced. */
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

static int ovl_populate(struct vfs_dentry *dir)
{
	struct vfs_dentry *lower = lower_of(dir->inode);
	if (!lower || dir->inode->dir->opaque)
		return 0;
	int err = vfs_populate(lower);
	if (err)
		return err;
	struct vfs_sb *sb = dir->inode->sb;
	unsigned saved = sb->flags;
	sb->flags &= ~SB_CHARGED;  /* lower entries cost nothing until copied up */
	for (struct vfs_dentry *c = lower->inode->dir->first; c && !err; c = c->next) {
		struct vfs_inode *li = c->inode;
		const struct vfs_inode_ops *ops = NULL;
		if (S_ISDIR(li->mode))
			ops = &ovl_dir_ops;
		else if (S_ISREG(li->mode))
			ops = &ovl_file_ops;
		char *link = NULL;
		if (S_ISLNK(li->mode) && (!li->link || !(link = strdup(li->link)))) {
			err = -ENOMEM;
			break;
		}
		struct vfs_inode *inode;
		err = vfs_d_make(dir, c->name, li->mode & S_IFMT, ops, &inode);
		if (err) {
			free(link);
			break;
		}
		copy_attrs(inode, li);
		if (link)
			inode->link = link;
		if (ops) {
			vfs_dentry_get(c);
			inode->priv = c;
		}
	}
	sb->flags = saved;
	return err;
}

static int ovl_lower_memfd(struct vfs_inode *inode)
{
	struct vfs_dentry *lower = lower_of(inode);
	if (!lower)
		return -EIO;
	int fd = vfs_inode_memfd(lower->inode, false);
	if (fd >= 0)
		inode->size = lower->inode->size;
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
	int fd = vfs_memfd_new("sentry");
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
	return 0;
}

static void ovl_release(struct vfs_inode *inode)
{
	if (inode->priv)
		vfs_dentry_put(inode->priv);
	inode->priv = NULL;
}

static const struct vfs_inode_ops ovl_dir_ops = {
	.populate = ovl_populate,
	.release = ovl_release,
};

static const struct vfs_inode_ops ovl_file_ops = {
	.lower_memfd = ovl_lower_memfd,
	.copy_up = ovl_copy_up,
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
