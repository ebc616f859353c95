/* Private layout of the VFS objects, shared by the vfs/ sources only. */
#ifndef SENTRY_VFS_IMPL_H
#define SENTRY_VFS_IMPL_H

#include "vfs.h"

#include <errno.h>
#include <limits.h>
#include <linux/capability.h>
#include <string.h>
#include <time.h>

#define VFS_NAME_MAX 255
#define VFS_PATH_MAX 4096
#define VFS_MAX_LINKS 40
#define VFS_O_TMPFILE_BIT 020000000  /* O_TMPFILE without O_DIRECTORY */

#define MAY_EXEC 1
#define MAY_WRITE 2
#define MAY_READ 4

struct vfs_dir_iter;
struct vfs_ovl_dir;

/* Per-inode behaviour of a file-system kind.  NULL members get the memfs
 * behaviour. */
struct vfs_inode_ops {
	/* Lazy directories: fill in the children on first use, each with its
	 * attributes. */
	int (*populate)(struct vfs_dentry *dir);
	/* Lazy directories: make every child from a listing alone; a child
	 * may wait with I_STALE until the lookup op reaches it. */
	int (*list)(struct vfs_dentry *dir);
	/* Dynamic directories: resolve a name the cache does not hold. */
	int (*lookup)(const struct vfs_ctx *ctx, struct vfs_dentry *dir, const char *name,
		      size_t len, struct vfs_dentry **out);
	/* Dynamic directories: list the entries (getdents). */
	int (*iterate)(const struct vfs_ctx *ctx, struct vfs_dentry *dir, struct vfs_dir_iter *it);
	/* Symlinks: the text, or a jump for a magic link. */
	int (*get_link)(const struct vfs_ctx *ctx, struct vfs_dentry *link, struct vfs_buf *text,
			struct vfs_path *jump);
	/* Regular files not yet holding a memfd: the shared read-only contents. */
	int (*lower_memfd)(struct vfs_inode *inode);
	/* Make the contents private and writable (overlay copy-up). */
	int (*copy_up)(struct vfs_inode *inode);
	/* Called by open after the permission checks (devices, synthetic files). */
	int (*open)(const struct vfs_ctx *ctx, struct vfs_file *file);
	void (*release)(struct vfs_inode *inode);
	/* The name `child` leaves the directory (unlink, rmdir, rename, drop):
	 * called before it goes; cannot fail. */
	void (*unlinked)(struct vfs_dentry *dir, struct vfs_dentry *child);
	/* File systems whose files live elsewhere (hostdir): each change is
	 * made there first, after the VFS's checks; an error fails the call
	 * and the tree stays as it was.  On a directory: create makes the
	 * name there and its dentry here, as a lookup would (a reference;
	 * link: a symlink's target).  On the entry changed: remove (unlink,
	 * rmdir; called on the directory), rename (olddir's op), link, setattr
	 * (mode unless (mode_t)-1, times unless NULL), setxattr (value NULL
	 * and size 0: remove). */
	int (*create)(const struct vfs_ctx *ctx, struct vfs_dentry *dir, const char *name, size_t len,
		      mode_t mode, const char *link, struct vfs_dentry **out);
	int (*remove)(struct vfs_dentry *dir, struct vfs_dentry *victim);
	int (*rename)(struct vfs_dentry *olddir, struct vfs_dentry *old, struct vfs_dentry *newdir,
		      const char *name, size_t len, unsigned flags);
	int (*link)(struct vfs_dentry *old, struct vfs_dentry *newdir, const char *name, size_t len);
	int (*setattr)(struct vfs_dentry *d, mode_t mode, const struct timespec *times);
	int (*setxattr)(struct vfs_dentry *d, const char *name, const void *value, size_t size, int flags);
	/* Fills the VFS's xattrs of d from there (vfs_xattr_load), before the
	 * first get, list, set or remove of them. */
	int (*load_xattrs)(struct vfs_dentry *d);
};

struct vfs_sb_ops {
	const char *name;      /* the type shown in /proc/mounts */
	long magic;            /* statfs f_type */
	void (*destroy)(struct vfs_sb *sb);
	/* NULL: the sandbox's limits, for a charged sb */
	void (*statfs)(struct vfs_sb *sb, struct statfs *st);
	/* NULL: none past rw/ro; else ",size=1024k..." for /proc/mounts */
	const char *(*options)(struct vfs_sb *sb);
};

#define SB_RDONLY 1u     /* EROFS on every change */
#define SB_NOCREATE 2u   /* no new names (procfs) */
#define SB_CHARGED 4u    /* inodes and bytes count against the limits */

struct vfs_sb {
	struct vfs *vfs;
	const struct vfs_sb_ops *ops;
	unsigned flags;
	unsigned refs;
	dev_t dev;
	uint64_t next_ino;
	struct vfs_dentry *root;
	void *priv;
	struct vfs_sb *all_next;
	uint64_t inodes;      /* alive, the root's too, as tmpfs counts them */
	uint64_t max_inodes;  /* 0, or a sized tmpfs's nr_inodes: past it ENOSPC */
	int data_store;       /* -1, or the tmpfs of a sized tmpfs's contents */
};

/* Directory state hanging off a directory inode. */
struct vfs_dir {
	struct vfs_dentry *first, *last;  /* children in creation order */
	uint64_t next_pos;                /* getdents position of the next child */
	uint32_t count;
	uint32_t subdirs;
	bool populated;                   /* looked into: it holds children */
	bool lazy;                        /* populated in part only: the populate
					   * op has still to run (vfs_populate) */
	bool opaque;                      /* overlay: never shows the lower */
	bool dead;                        /* removed: lookups give ENOENT */
	struct vfs_ovl_dir *ovl;          /* overlay: what it knows of the lower */
};

#define I_OWN_MEMFD 1u   /* the memfd is private and writable */
#define I_LINKABLE 2u    /* O_TMPFILE without O_EXCL */
#define I_CHARGED 4u     /* counts against the limits (its size too) */
#define I_STALE 8u       /* made from a listing: attributes not read yet */
#define I_NAMELESS 16u   /* a regular file whose contents outlived its last
			  * name: they live only in the workload's opens of
			  * them, and memfd is -1 except while one is lent
			  * (vfs_file_lend) for a call */
#define I_HELD 32u       /* on vfs->held: its memfd goes at vfs_release_held */
#define I_HOST_VIEW 64u  /* lower_memfd gives a read-only open of the host's
			  * file (hostimg through its host view), not a copy */
#define I_SHARED_OPEN 128u /* memfd is a duplicate of the workload's creating
			    * open (vfs_file_open_created): for fstat and
			    * re-opening only, never for the sentry's I/O */

/* What malloc adds to each block it hands out (its header, rounding). */
#define VFS_MALLOC_OVERHEAD 16

struct vfs_inode {
	const struct vfs_inode_ops *ops;
	struct vfs_sb *sb;
	uint64_t ino;
	int64_t size;
	struct timespec atime, mtime, ctime;
	mode_t mode;
	uid_t uid;
	gid_t gid;
	uint32_t nlink;
	uint32_t refs;
	int memfd;           /* -1 until the contents are needed */
	uint32_t flags;
	uint32_t blocks;     /* st_blocks of files without a memfd */
	union {
		struct vfs_dir *dir;  /* S_IFDIR */
		char *link;           /* S_IFLNK with a stored target */
		dev_t rdev;           /* devices */
	};
	void *priv;          /* per file-system kind */
	struct vfs_xattrs *xattrs;  /* NULL until the first one is set */
	uint32_t meta_charged;  /* I_CHARGED: bytes of the sentry's memory */
	int64_t data_charged;   /* I_CHARGED regular files: the contents' blocks */
	struct vfs_inode *held_next;  /* I_HELD: the next on vfs->held */
	uint32_t exec_users;  /* tasks running it (vfs_path_deny_write) */
	uint32_t leases;      /* vfs_file_leased: opens ask the lease breaker */
};

#define D_HASHED 1u
#define D_MOUNTED 2u
#define D_CHARGED 4u   /* its bytes count against the limit (vfs_d_charge) */

struct vfs_dentry {
	struct vfs_dentry *hash_next;
	struct vfs_dentry *parent;
	struct vfs_inode *inode;
	struct vfs_dentry *prev, *next;  /* siblings */
	uint64_t pos;                    /* getdents position in the parent */
	char *name;                      /* iname, or malloc'd after a rename */
	uint32_t refs;
	uint32_t hash;                   /* of parent and name, while D_HASHED */
	uint16_t flags;
	uint16_t len;
	uint16_t icap;                   /* room in iname */
	char iname[];
};

struct vfs_mount {
	struct vfs_mount *parent;
	struct vfs_dentry *mountpoint;
	struct vfs_dentry *root;
	struct vfs_sb *sb;
	unsigned flags;
	int id;
	struct vfs_mount *next;
};

struct vfs {
	struct vfs_dentry **htab;
	size_t hmask;
	size_t hcount;
	struct vfs_mount *mounts;   /* in mount order */
	int next_mnt_id;
	unsigned next_dev;
	struct vfs_sb *sbs;
	struct vfs_limits limits;
	uint64_t bytes_used, inodes_used;
	uint64_t data_used;         /* the part of bytes_used that is contents */
	struct vfs_inode *held;     /* nameless files holding contents for the
				     * call under way (I_HELD) */
	void (*last_name)(void *arg, int contents_fd);  /* vfs_on_last_name */
	void *last_name_arg;
	void (*reclaim)(void *arg);  /* vfs_on_reclaim */
	void *reclaim_arg;
	struct vfs_file **call_files;  /* vfs_file_hold_call: put at the call's end */
	size_t ncall_files, call_files_room;
	struct timespec last_time;
	struct timespec started;
};

struct vfs_file {
	struct vfs_path path;
	struct vfs_inode *inode;
	int flags;
	enum vfs_file_kind kind;
	bool created;              /* this open made the file (O_CREAT) */
	unsigned refs;
	int fd;                    /* owned: snapshot memfd or host device fd */
	int64_t pos;
	struct vfs_dentry *cursor; /* getdents: the next child, referenced */
	uint64_t cursor_pos;       /* its position when it was saved */
	uint64_t dir_end;          /* getdents: vfs_dir_iter.end of the last read
				    * from position 0; 0 until there is one */
};

/* Emits one getdents record; returns false when the buffer is full. */
struct vfs_dir_iter {
	char *buf;
	size_t size, used;
	uint64_t pos;       /* where to start; set to the resume point */
	uint64_t end;       /* children at or past this position are left out:
			     * made after the read from position 0 (open,
			     * rewind) began, as Linux's offset directories
			     * do, so a reader that adds entries ends */
	bool full;
};
bool vfs_dir_emit(struct vfs_dir_iter *it, const char *name, size_t len, uint64_t ino,
		  unsigned type, uint64_t next_pos);
/* "." and "..", from where it->pos says; false when the buffer is full. */
bool vfs_dir_emit_dots(struct vfs_dentry *dir, struct vfs_dir_iter *it);

/* core.c */
void vfs_now(struct vfs *vfs, struct timespec *t);
int vfs_inode_new(struct vfs_sb *sb, mode_t mode, const struct vfs_inode_ops *ops,
		  struct vfs_inode **out);
void vfs_inode_get(struct vfs_inode *inode);
void vfs_inode_put(struct vfs_inode *inode);
struct vfs_dentry *vfs_dentry_new(struct vfs_dentry *parent, const char *name, size_t len);
void vfs_dentry_get(struct vfs_dentry *d);
void vfs_dentry_put(struct vfs_dentry *d);
/* Hash a child in its parent (the tree holds a reference). */
void vfs_d_add(struct vfs_dentry *d, struct vfs_inode *inode);
/* Remove a child from its parent; the caller's references stay valid. */
void vfs_d_drop(struct vfs_dentry *d);
/* Rename in place: d keeps its identity (open files, cwd, children). */
int vfs_d_move(struct vfs_dentry *d, struct vfs_dentry *new_parent, const char *name, size_t len);
struct vfs_dentry *vfs_d_lookup(struct vfs_dentry *parent, const char *name, size_t len);
/* Create a hashed child with a fresh inode (populate helpers). */
int vfs_d_make(struct vfs_dentry *parent, const char *name, mode_t mode,
	       const struct vfs_inode_ops *ops, struct vfs_inode **out);
int vfs_sb_new(struct vfs *vfs, const struct vfs_sb_ops *ops, unsigned flags, mode_t root_mode,
	       const struct vfs_inode_ops *root_ops, struct vfs_sb **out);
/* -ENOSPC when delta more bytes would pass the limit; else counts them. */
int vfs_charge_bytes(struct vfs *vfs, int64_t delta);
/* Start charging an inode made without charge (overlay copy-up). */
int vfs_inode_charge(struct vfs_inode *inode);
/* A name the workload makes in a charged file system: counts the dentry
 * (struct, name, hash slot) before vfs_d_add or as an O_TMPFILE's; the
 * bytes return when it is freed.  0 or -ENOSPC. */
int vfs_d_charge(struct vfs_dentry *d);
/* The bytes a symlink's stored target of len bytes takes. */
uint32_t vfs_link_cost(size_t len);
/* Regular files: counts the blocks the contents hold now, as tmpfs
 * charges them (a sparse size costs nothing).  Always accounts them; -ENOSPC
 * when that leaves the sandbox over its limit. */
int vfs_inode_recharge(struct vfs_inode *inode);
/* A regular file's name count reached 0, or its contents fd was made while
 * it has none: the VFS keeps the fd no longer than the call under way
 * (vfs_release_held); the workload's opens keep the contents alive. */
void vfs_inode_nameless(struct vfs_inode *inode);
/* Lets the sandbox drop the files it holds for fds no task has any more
 * (vfs_on_reclaim), so that their inodes go as Linux's would. */
void vfs_reclaim(struct vfs *vfs);
int vfs_permission(const struct vfs_cred *cred, const struct vfs_inode *inode, int mask);
bool vfs_in_group(const struct vfs_cred *cred, gid_t gid);
bool vfs_capable(const struct vfs_cred *cred, int cap);
struct vfs_mount *vfs_mount_lookup(struct vfs *vfs, struct vfs_mount *parent, struct vfs_dentry *d);
bool vfs_path_rdonly(const struct vfs_path *p);
/* Asks the lease breaker (vfs_lease_set_breaker) before an open or truncate. */
int vfs_inode_break_lease(struct vfs_inode *inode, int flags);
int vfs_populate(struct vfs_dentry *dir);
unsigned vfs_dtype(mode_t mode);

/* datafs.c: regular file contents.  vfs_data_new: an empty file the
 * workload may write (bounded by the byte limit where the kernel can).
 * vfs_data_image_new: an empty image content; fill it through *wfd, then
 * vfs_data_image_done(fd, wfd) makes it read-only for good (wfd is closed,
 * or the memfd sealed); keep the returned fd, which only reads.  fds or
 * -errno. */
int vfs_data_new(void);
/* A regular file's empty contents in the store of its sb: a sized tmpfs's
 * own, else vfs_data_new's. */
int vfs_sb_data_new(const struct vfs_sb *sb);
/* The same, opened with the workload's flags (O_WRONLY or O_RDWR and the
 * status flags an open keeps), or -EAGAIN where contents are memfds. */
int vfs_sb_data_open(const struct vfs_sb *sb, int flags);
/* A tmpfs mounted nowhere whose size and nr_inodes are the options given
 * (tmpfs syntax; NULL: the kernel's default), for one sized tmpfs; a mount
 * fd or -errno (EPERM without the privilege to make a tmpfs). */
int vfs_data_store_new(const char *size, const char *nr_inodes);
int vfs_data_image_new(int *wfd);
int vfs_data_image_done(int fd, int wfd);
/* Bytes the workload store holds now, as the kernel counts them (contents
 * of nameless files still open included); -1 when contents are memfds. */
int64_t vfs_data_used(void);

/* memfd helpers (file.c) */
/* A sealable memfd (synthetic snapshots). */
int vfs_memfd_new(const char *name);
int vfs_inode_memfd(struct vfs_inode *inode, bool write);
int vfs_inode_set_size(struct vfs_inode *inode, int64_t size);
int64_t vfs_inode_blocks(struct vfs_inode *inode);
void vfs_inode_getattr(struct vfs_inode *inode, struct stat *st);

/* namei.c */
#define WALK_FOLLOW 0x1u
#define WALK_DIRECTORY 0x2u
#define WALK_EMPTY 0x4u
#define WALK_BENEATH 0x8u
#define WALK_IN_ROOT 0x10u
#define WALK_NO_SYMLINKS 0x20u
#define WALK_NO_MAGICLINKS 0x40u
#define WALK_NO_XDEV 0x80u

enum { LAST_NORM, LAST_DOT, LAST_DOTDOT, LAST_ROOT, LAST_EMPTY };

struct nameidata {
	const struct vfs_ctx *ctx;
	struct vfs_path path;
	struct vfs_path root;
	unsigned flags;
	int links;
	const char *last;
	size_t last_len;
	int last_type;
	bool trailing_slash;
	int nbufs;
	char *bufs[VFS_MAX_LINKS + 1];
};

int nd_start(struct nameidata *nd, const struct vfs_ctx *ctx, struct vfs_file *dir,
	     const char *path, unsigned flags);
void nd_release(struct nameidata *nd);
/* Walk all but the last component (left in nd->last). */
int nd_walk_parent(struct nameidata *nd);
/* Resolve nd->last, following a final symlink when asked; nd->path is the
 * result. */
int nd_walk_last(struct nameidata *nd, bool follow);
/* Look up the last component without following it: the child, or NULL. */
int nd_lookup_last(struct nameidata *nd, struct vfs_dentry **out);
/* Moves to (mnt, d), then down through mounts. */
int nd_set_path(struct nameidata *nd, struct vfs_mount *mnt, struct vfs_dentry *d);
/* Starts following a symlink: 1 when a magic link moved nd->path to its
 * target, 0 when the body's last component waits in nd->last. */
int nd_link_begin(struct nameidata *nd, struct vfs_mount *mnt, struct vfs_dentry *link);
int nd_follow_link(struct nameidata *nd, struct vfs_mount *mnt, struct vfs_dentry *link);
int vfs_walk(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, unsigned flags,
	     struct vfs_path *out);

/* ops.c */
/* always_times: O_TRUNC and ftruncate set mtime/ctime even at the same size. */
int vfs_setattr_size(const struct vfs_ctx *ctx, const struct vfs_path *p, off_t length, bool always_times);
void vfs_dir_changed(struct vfs_inode *dir);
int vfs_create_inode(const struct vfs_ctx *ctx, struct vfs_dentry *parent, mode_t mode,
		     const char *name, size_t len, struct vfs_dentry **out);

/* xattr.c: frees the attributes and returns their bytes to the limit. */
void vfs_xattrs_free(struct vfs_inode *inode);
/* Stores one attribute read from where the file lives (load_xattrs). */
int vfs_xattr_load(struct vfs_inode *inode, const char *name, const void *value, size_t size);

/* overlay.c, hostimg.c, procfs.c */
bool vfs_is_overlay(const struct vfs_sb *sb);
/* A host file's attributes as the inode's (size, links and blocks of
 * non-directories only: a directory's are the VFS's own). */
void vfs_inode_set_attrs(struct vfs_inode *inode, const struct stat *st);
bool vfs_is_hostimg(const struct vfs_sb *sb);
/* The host path of an image dentry: its hostimg's host folder and its path
 * there. */
int vfs_hostimg_host_path(struct vfs_dentry *d, char *buf, size_t size);
bool vfs_is_hostdir(const struct vfs_sb *sb);

#endif
