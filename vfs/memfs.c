/* memfs: the in-memory file system.  The dentry tree is the truth and the
 * generic code does everything; regular file contents live in memfds. */
#define _GNU_SOURCE
#include "vfs_impl.h"

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
