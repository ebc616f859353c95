/* mqueue: the sandbox's POSIX message queues as files, as Linux's mqueue
 * file system shows them at /dev/mqueue. The queues live with their
 * provider (the sentry's mq calls); each lookup and listing asks it, so
 * the folder always shows the queues there are. A file's text is the
 * queue's "QSIZE:..." line at its open; unlink removes the queue, as
 * mq_unlink does; chmod changes its mode. New names are refused: queues
 * are made by mq_open. */
#define _GNU_SOURCE
#include "vfs_impl.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define MQUEUE_MAGIC 0x19800202
/* What stat gives as a queue file's size (Linux's FILENT_SIZE). */
#define ENTRY_SIZE 80
#define FIRST_POS 2

static const struct vfs_inode_ops queue_ops;

static const struct vfs_mq_provider *provider_of(const struct vfs_dentry *d)
{
	return d->inode->sb->priv;
}

static void set_attrs(struct vfs_inode *inode, const struct vfs_mq_entry *e)
{
	inode->mode = S_IFREG | (e->mode & 07777);
	inode->uid = e->uid;
	inode->gid = e->gid;
	inode->size = ENTRY_SIZE;
	inode->atime = e->atime;
	inode->mtime = e->mtime;
	inode->ctime = e->ctime;
	inode->ino = e->id + FIRST_POS;
}

static int mqfs_lookup(const struct vfs_ctx *ctx, struct vfs_dentry *dir, const char *name, size_t len,
		       struct vfs_dentry **out)
{
	(void)ctx;
	char cname[VFS_NAME_MAX + 1];
	memcpy(cname, name, len);
	cname[len] = 0;
	struct vfs_mq_entry e;
	struct vfs_dentry *d = vfs_d_lookup(dir, name, len);
	if (provider_of(dir)->find(cname, &e) < 0) {
		if (d)
			vfs_d_drop(d); /* the queue was removed since */
		return -ENOENT;
	}
	if (!d) {
		struct vfs_inode *inode;
		int err = vfs_d_make(dir, cname, S_IFREG | (e.mode & 07777), &queue_ops, &inode);
		if (err)
			return err;
		d = vfs_d_lookup(dir, name, len);
	}
	set_attrs(d->inode, &e);
	*out = d;
	return 0;
}

static int by_id(const void *a, const void *b)
{
	const struct vfs_mq_entry *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

static int mqfs_iterate(const struct vfs_ctx *ctx, struct vfs_dentry *dir, struct vfs_dir_iter *it)
{
	(void)ctx;
	if (!vfs_dir_emit_dots(dir, it))
		return 0;
	struct vfs_mq_entry *all = NULL;
	int n = provider_of(dir)->list(&all);
	if (n < 0)
		return n;
	qsort(all, (size_t)n, sizeof(*all), by_id);
	for (int i = 0; i < n; i++) {
		uint64_t pos = all[i].id + FIRST_POS;
		if (pos < it->pos)
			continue;
		if (!vfs_dir_emit(it, all[i].name, strlen(all[i].name), pos, DT_REG, pos + 1))
			break;
	}
	free(all);
	return 0;
}

static int mqfs_remove(struct vfs_dentry *dir, struct vfs_dentry *victim)
{
	return provider_of(dir)->unlink(victim->name);
}

static int mqfs_create(const struct vfs_ctx *ctx, struct vfs_dentry *dir, const char *name, size_t len,
		       mode_t mode, const char *link, struct vfs_dentry **out)
{
	(void)ctx, (void)dir, (void)name, (void)len, (void)mode, (void)link, (void)out;
	return -EPERM;
}

static int mqfs_rename(struct vfs_dentry *olddir, struct vfs_dentry *old, struct vfs_dentry *newdir,
		       const char *name, size_t len, unsigned flags)
{
	(void)olddir, (void)old, (void)newdir, (void)name, (void)len, (void)flags;
	return -EPERM;
}

static int mqfs_link(struct vfs_dentry *old, struct vfs_dentry *newdir, const char *name, size_t len)
{
	(void)old, (void)newdir, (void)name, (void)len;
	return -EPERM;
}

static int queue_setattr(struct vfs_dentry *d, mode_t mode, const struct timespec *times)
{
	(void)times;
	if (mode == (mode_t)-1)
		return 0;
	return provider_of(d)->chmod(d->name, mode & 07777);
}

/* The queue's line becomes a sealed memfd snapshot. */
static int queue_open(const struct vfs_ctx *ctx, struct vfs_file *f)
{
	(void)ctx;
	char line[128];
	struct vfs_dentry *d = f->path.dentry;
	int len = provider_of(d)->status(d->name, line, sizeof(line));
	if (len < 0)
		return len;
	int fd = vfs_memfd_new("sentry-mqueue");
	if (fd < 0)
		return fd;
	if (write(fd, line, (size_t)len) != len ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0) {
		int err = errno ? -errno : -EIO;
		close(fd);
		return err;
	}
	lseek(fd, 0, SEEK_SET);
	f->fd = fd;
	f->kind = VFS_FILE_SYNTH;
	return 0;
}

static const struct vfs_inode_ops queue_ops = {
	.open = queue_open,
	.setattr = queue_setattr,
};

static const struct vfs_inode_ops root_ops = {
	.lookup = mqfs_lookup,
	.iterate = mqfs_iterate,
	.remove = mqfs_remove,
	.create = mqfs_create,
	.rename = mqfs_rename,
	.link = mqfs_link,
};

static void mqfs_statfs(struct vfs_sb *sb, struct statfs *st)
{
	(void)sb;
	*st = (struct statfs){ .f_type = MQUEUE_MAGIC, .f_bsize = 4096, .f_namelen = VFS_NAME_MAX, .f_frsize = 4096 };
}

static const struct vfs_sb_ops mqfs_sb_ops = {
	.name = "mqueue",
	.magic = MQUEUE_MAGIC,
	.statfs = mqfs_statfs,
};

int vfs_mqfs_new(struct vfs *vfs, const struct vfs_mq_provider *provider, struct vfs_sb **out)
{
	int err = vfs_sb_new(vfs, &mqfs_sb_ops, 0, S_IFDIR | 01777, &root_ops, out);
	if (err)
		return err;
	(*out)->priv = (void *)provider;
	(*out)->root->inode->dir->populated = true;
	return 0;
}
