/* memfs: the in-memory file system.  The dentry tree is the truth and the
 * generic code does everything; regular file contents live in memfds, or,
 * for a sized tmpfs, in a private tmpfs of that size. */
#define _GNU_SOURCE
#include "vfs_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <linux/magic.h>

static const struct vfs_sb_ops memfs_sb_ops = {
	.name = "tmpfs",
	.magic = TMPFS_MAGIC,
};

int vfs_memfs_new(struct vfs *vfs, mode_t root_mode, struct vfs_sb **out)
{
	if ((root_mode & S_IFMT) == 0)
		root_mode |= S_IFDIR;
	if (!S_ISDIR(root_mode))
		return -EINVAL;
	int err = vfs_sb_new(vfs, &memfs_sb_ops, SB_CHARGED, root_mode, NULL, out);
	if (!err)
		(*out)->root->inode->dir->populated = true;
	return err;
}

/* The store's blocks are the mount's contents, as Linux counts them; its
 * nr_inodes bounds every inode of the mount, directories included. */
static void sized_statfs(struct vfs_sb *sb, struct statfs *st)
{
	vfs_reclaim(sb->vfs);
	struct statfs k;
	if (fstatfs(sb->data_store, &k) < 0)
		return;
	st->f_bsize = k.f_bsize;
	st->f_frsize = k.f_frsize;
	st->f_blocks = k.f_blocks;
	st->f_bfree = k.f_bfree;
	st->f_bavail = k.f_bavail;
	st->f_files = k.f_files;
	st->f_ffree = sb->inodes < k.f_files ? k.f_files - sb->inodes : 0;
}

static void sized_destroy(struct vfs_sb *sb)
{
	close(sb->data_store);
	free(sb->priv);
}

static const char *sized_options(struct vfs_sb *sb)
{
	return sb->priv;
}

static const struct vfs_sb_ops sized_sb_ops = {
	.name = "tmpfs",
	.magic = TMPFS_MAGIC,
	.destroy = sized_destroy,
	.statfs = sized_statfs,
	.options = sized_options,
};

/* As Linux's tmpfs shows its options: those given, size in KiB as made. */
static char *options_text(const struct vfs_tmpfs_opts *opts, const struct statfs *k)
{
	char text[160] = "";
	size_t n = 0;
	if (opts->size)
		n += (size_t)snprintf(text + n, sizeof(text) - n, ",size=%lluk",
				      (unsigned long long)k->f_blocks * (unsigned long long)k->f_bsize / 1024);
	if (opts->nr_inodes && n < sizeof(text))
		n += (size_t)snprintf(text + n, sizeof(text) - n, ",nr_inodes=%llu", (unsigned long long)k->f_files);
	if ((opts->mode & 07777) != 01777 && n < sizeof(text))
		n += (size_t)snprintf(text + n, sizeof(text) - n, ",mode=%03o", (unsigned)(opts->mode & 07777));
	if (opts->uid && n < sizeof(text))
		n += (size_t)snprintf(text + n, sizeof(text) - n, ",uid=%u", (unsigned)opts->uid);
	if (opts->gid && n < sizeof(text))
		snprintf(text + n, sizeof(text) - n, ",gid=%u", (unsigned)opts->gid);
	return strdup(text);
}

int vfs_tmpfs_new(struct vfs *vfs, const struct vfs_tmpfs_opts *opts, struct vfs_sb **out)
{
	mode_t mode = S_IFDIR | (opts->mode & 07777);
	if (!opts->size && !opts->nr_inodes) {
		int err = vfs_memfs_new(vfs, mode, out);
		if (!err) {
			(*out)->root->inode->uid = opts->uid;
			(*out)->root->inode->gid = opts->gid;
		}
		return err;
	}
	int store = vfs_data_store_new(opts->size, opts->nr_inodes);
	struct statfs k;
	if (store >= 0 && fstatfs(store, &k) < 0) {
		close(store);
		store = -errno;
	}
	if (store < 0)
		return store;
	int err = vfs_sb_new(vfs, &sized_sb_ops, SB_CHARGED, mode, NULL, out);
	if (err) {
		close(store);
		return err;
	}
	struct vfs_sb *sb = *out;
	sb->data_store = store;
	sb->priv = options_text(opts, &k);
	sb->max_inodes = k.f_files;
	sb->root->inode->dir->populated = true;
	sb->root->inode->uid = opts->uid;
	sb->root->inode->gid = opts->gid;
	return 0;
}
