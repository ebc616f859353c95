/* Change events of the VFS, named with inotify's IN_* bits.
 *
 * The VFS reports every change of a name or an attribute made through it
 * to one sink, for the inodes someone watches (vfs_notify_watch) and for
 * the folders that hold them. It keeps no queue and knows nothing of who
 * listens: the sink (inotify, dnotify) does the rest. */
#ifndef SENTRY_VFS_NOTIFY_H
#define SENTRY_VFS_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vfs.h"

/* One event on a watched inode: name is NULL for an event on the inode
 * itself, else the name of the child the event is about. mask carries
 * IN_ISDIR when that object is a folder. */
typedef void (*vfs_notify_fn)(void *arg, struct vfs_inode *watched, uint32_t mask, uint32_t cookie,
			      const char *name, size_t len);

void vfs_notify_set_sink(vfs_notify_fn fn, void *arg);

/* Reports events on inode (and, for a folder, on its children) to the
 * sink; takes a reference on inode until the matching unwatch. */
void vfs_notify_watch(struct vfs_inode *inode);
void vfs_notify_unwatch(struct vfs_inode *inode);

/* The inode an inotify watch names: path resolved (following a last
 * symlink when follow), ENOTDIR for a non-folder when only_dir, EACCES
 * without read permission. Returns it in *out, watched (undo with
 * vfs_notify_unwatch); 0 or -errno. */
int vfs_notify_lookup(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, bool follow,
		      bool only_dir, struct vfs_inode **out);

/* The inode of an open file (borrowed), and whether it is a folder. */
struct vfs_inode *vfs_file_inode(struct vfs_file *f);
bool vfs_inode_is_dir(const struct vfs_inode *inode);

/* --- reported by the VFS itself ---------------------------------------- */

struct vfs_dentry;

/* An event about the child (name, len) of the folder parent. */
void vfs_notify_child(struct vfs_dentry *parent, const struct vfs_inode *child, uint32_t mask,
		      uint32_t cookie, const char *name, size_t len);
/* An event on d's inode, reported also to the folder holding d. */
void vfs_notify_dentry(struct vfs_dentry *d, uint32_t mask);
/* An event on the inode alone (IN_DELETE_SELF when its last name went). */
void vfs_notify_inode(struct vfs_inode *inode, uint32_t mask);
/* dnotify's DN_RENAME: a rename within the folder, before IN_MOVED_FROM
 * (no inotify watch asks for it). */
#define VFS_NOTIFY_RENAME 0x10000000u

/* A cookie tying IN_MOVED_FROM to IN_MOVED_TO; 0 when nobody watches. */
uint32_t vfs_notify_cookie(void);

#endif
