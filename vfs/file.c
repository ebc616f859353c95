/* open(2) and open files: regular contents in files of the data store
 * (datafs.c), directories read with getdents64, attributes. */
#define _GNU_SOURCE
#include "vfs_impl.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int vfs_memfd_new(const char *name)
{
	int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	return fd < 0 ? -errno : fd;
}

static bool ts_before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* The sentry's /proc/self/fd, opened once per process: a re-open by
 * number there skips resolving /proc/self (its pid's folder) every time.
 * A child inherits its parent's folder and must never use it: fork()
 * forgets it (the atfork handler), and the pid check catches a child
 * made with a bare clone. */
static __thread int fd_dir = -1;
static __thread pid_t fd_dir_pid;

static void forget_fd_dir(void)
{
	if (fd_dir >= 0)
		close(fd_dir);
	fd_dir = -1;
}

int vfs_reopen(int fd, int flags)
{
	static __thread bool atfork_set;
	pid_t pid = getpid();
	if (fd_dir >= 0 && fd_dir_pid != pid)
		forget_fd_dir();
	if (fd_dir < 0) {
		if (!atfork_set)
			atfork_set = pthread_atfork(NULL, NULL, forget_fd_dir) == 0;
		fd_dir = open("/proc/self/fd", O_PATH | O_DIRECTORY | O_CLOEXEC);
		fd_dir_pid = pid;
	}
	char path[32];
	if (fd_dir >= 0)
		snprintf(path, sizeof(path), "%d", fd);
	else
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	int r = openat(fd_dir >= 0 ? fd_dir : AT_FDCWD, path, flags);
	return r < 0 ? -errno : r;
}

/* The VFS's duplicate of the workload's creating open becomes an open of
 * its own: the workload owns that description's offset, status flags
 * (O_APPEND, O_DIRECT) and locks, and may have opened it write-only. */
static int unshare_contents(struct vfs_inode *inode)
{
	if (!(inode->flags & I_SHARED_OPEN) || inode->memfd < 0)
		return 0;
	int own = vfs_reopen(inode->memfd, O_RDWR | O_CLOEXEC);
	if (own < 0)
		return own;
	close(inode->memfd);
	inode->memfd = own;
	inode->flags &= ~I_SHARED_OPEN;
	return 0;
}

/* The memfd holding a regular file: the shared lower one for reading when
 * the file was never written, else a private one (copied up if needed). */
int vfs_inode_memfd(struct vfs_inode *inode, bool write)
{
	if (inode->memfd >= 0) {
		int err = unshare_contents(inode);
		return err ? err : inode->memfd;
	}
	if (inode->flags & I_NAMELESS)
		return -ESTALE;  /* the contents are the workload's opens; none was lent */
	if (!write && inode->ops && inode->ops->lower_memfd)
		return inode->ops->lower_memfd(inode);
	if (inode->ops && inode->ops->copy_up) {
		int err = inode->ops->copy_up(inode);
		if (err)
			return err;
		if (inode->memfd >= 0) {
			vfs_inode_nameless(inode);
			return inode->memfd;
		}
	}
	if (inode->sb->flags & SB_RDONLY)
		return -EROFS;
	int fd = vfs_sb_data_new(inode->sb);
	if (fd < 0)
		return fd;
	if (inode->size && ftruncate(fd, inode->size) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	struct timespec t[2] = {inode->atime, inode->mtime};
	futimens(fd, t);
	inode->memfd = fd;
	inode->flags |= I_OWN_MEMFD;
	vfs_inode_nameless(inode);  /* O_TMPFILE: the workload's open will hold it */
	return fd;
}

int vfs_file_lend(struct vfs_file *f, int fd)
{
	struct vfs_inode *inode = f->inode;
	if (!(inode->flags & I_NAMELESS) || inode->memfd >= 0 || fd < 0)
		return 0;
	/* an open of its own, for writing too (ftruncate through a
	 * read-only fd still fails: the handlers check the fd's mode) */
	int own = vfs_reopen(fd, O_RDWR | O_CLOEXEC);
	if (own < 0)
		return own;
	inode->memfd = own;
	inode->flags = (inode->flags & ~I_SHARED_OPEN) | I_OWN_MEMFD;
	vfs_inode_nameless(inode);
	return 0;
}

int vfs_file_open_created(struct vfs_file *f, int open_flags)
{
	struct vfs_inode *inode = f->inode;
	int acc = open_flags & O_ACCMODE;
	if (f->kind != VFS_FILE_REGULAR || !f->created || (acc != O_WRONLY && acc != O_RDWR) ||
	    inode->memfd >= 0 || (inode->flags & I_NAMELESS) || inode->size)
		return -EAGAIN;
	if (inode->ops && inode->ops->copy_up) {
		int err = inode->ops->copy_up(inode);
		if (err)
			return err;
		if (inode->memfd >= 0)
			return -EAGAIN;  /* contents of its own (a host folder's file) */
	}
	if (inode->sb->flags & SB_RDONLY)
		return -EROFS;
	int keep = O_ACCMODE | O_APPEND | O_NONBLOCK | O_DSYNC | O_SYNC | O_NOATIME;
	int fd = vfs_sb_data_open(inode->sb, open_flags & keep);
	if (fd < 0)
		return fd;
	int held = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (held < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	struct timespec t[2] = {inode->atime, inode->mtime};
	futimens(fd, t);
	inode->memfd = held;
	inode->flags |= I_OWN_MEMFD | I_SHARED_OPEN;
	vfs_inode_nameless(inode);
	return fd;
}

int vfs_file_unshare(struct vfs_file *f)
{
	return f->kind == VFS_FILE_REGULAR ? unshare_contents(f->inode) : 0;
}

int vfs_file_reopen_fd(struct vfs_file *f)
{
	if (f->kind == VFS_FILE_REGULAR && f->inode->memfd >= 0)
		return f->inode->memfd;  /* maybe a duplicate of a workload's open */
	return vfs_file_fd(f);
}

int64_t vfs_inode_blocks(struct vfs_inode *inode)
{
	if (S_ISLNK(inode->mode))
		return inode->size + 1 > 128 ? 8 : 0;
	return inode->blocks;
}

void vfs_inode_getattr(struct vfs_inode *inode, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = inode->sb->dev;
	st->st_ino = inode->ino;
	st->st_mode = inode->mode;
	st->st_nlink = inode->nlink;
	st->st_uid = inode->uid;
	st->st_gid = inode->gid;
	st->st_blksize = 4096;
	st->st_size = inode->size;
	st->st_blocks = vfs_inode_blocks(inode);
	st->st_atim = inode->atime;
	st->st_mtim = inode->mtime;
	st->st_ctim = inode->ctime;
	if (S_ISCHR(inode->mode) || S_ISBLK(inode->mode))
		st->st_rdev = inode->rdev;
	if (S_ISDIR(inode->mode))
		st->st_size = (inode->dir->count + 2) * 20;  /* as tmpfs counts */
	if (S_ISREG(inode->mode) && (inode->flags & I_OWN_MEMFD)) {
		/* The workload writes the memfd directly: it knows size and times. */
		struct stat m;
		if (fstat(inode->memfd, &m) == 0) {
			st->st_size = m.st_size;
			st->st_blocks = m.st_blocks;
			if (ts_before(&st->st_atim, &m.st_atim))
				st->st_atim = m.st_atim;
			if (ts_before(&st->st_mtim, &m.st_mtim))
				st->st_mtim = m.st_mtim;
			if (ts_before(&st->st_ctim, &m.st_ctim))
				st->st_ctim = m.st_ctim;
		}
	}
}

/* --- open -------------------------------------------------------------------- */

#define VALID_OPEN_FLAGS                                                                     \
	(O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | O_NONBLOCK | O_DSYNC | \
	 O_ASYNC | O_DIRECT | __O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | \
	 O_SYNC | O_PATH | O_TMPFILE)
#define O_PATH_FLAGS (O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC)
#define VALID_RESOLVE                                                                         \
	(RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH |      \
	 RESOLVE_IN_ROOT | RESOLVE_CACHED)

static int file_new(const struct vfs_path *p, int flags, struct vfs_file **out)
{
	struct vfs_file *f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->path = *p;
	vfs_path_get(&f->path);
	f->inode = p->dentry->inode;
	f->flags = flags;
	f->refs = 1;
	f->fd = -1;
	mode_t m = f->inode->mode;
	if (flags & O_PATH)
		f->kind = VFS_FILE_PATH;
	else if (S_ISDIR(m))
		f->kind = VFS_FILE_DIR;
	else if (S_ISFIFO(m))
		f->kind = VFS_FILE_FIFO;
	else if (S_ISCHR(m) || S_ISBLK(m))
		f->kind = VFS_FILE_DEVICE;
	else
		f->kind = VFS_FILE_REGULAR;
	*out = f;
	return 0;
}

void vfs_file_get(struct vfs_file *f)
{
	f->refs++;
}

void vfs_file_put(struct vfs_file *f)
{
	if (!f || --f->refs)
		return;
	if (f->fd >= 0)
		close(f->fd);
	if (f->cursor)
		vfs_dentry_put(f->cursor);
	vfs_path_put(&f->path);
	free(f);
}

enum vfs_file_kind vfs_file_kind(const struct vfs_file *f)
{
	return f->kind;
}

bool vfs_file_created(const struct vfs_file *f)
{
	return f->created;
}

int vfs_file_flags(const struct vfs_file *f)
{
	return f->flags;
}

const struct vfs_path *vfs_file_path(const struct vfs_file *f)
{
	return &f->path;
}

uint64_t vfs_file_inode_id(const struct vfs_file *f)
{
	return ((uint64_t)f->inode->sb->dev << 40) ^ f->inode->ino;
}

static bool writable(int flags)
{
	return (flags & O_ACCMODE) != O_RDONLY;
}

bool vfs_file_on_host(const struct vfs_file *f)
{
	const struct vfs_inode *inode = f->inode;
	return f->kind == VFS_FILE_REGULAR && !writable(f->flags) && inode->memfd < 0 &&
	       (inode->flags & I_HOST_VIEW);
}

int vfs_file_fd(struct vfs_file *f)
{
	switch (f->kind) {
	case VFS_FILE_REGULAR:
		return vfs_inode_memfd(f->inode, writable(f->flags));
	case VFS_FILE_SYNTH:
	case VFS_FILE_DEVICE:
		return f->fd >= 0 ? f->fd : -EBADF;
	default:
		return -EBADF;
	}
}

int vfs_file_private_fd(const struct vfs_file *f)
{
	bool own = f->kind == VFS_FILE_REGULAR && (f->inode->flags & I_OWN_MEMFD);
	return own ? f->inode->memfd : -1;
}

bool vfs_file_being_run(const struct vfs_file *f) { return f->inode->exec_users > 0; }

static int (*lease_breaker)(uint64_t inode_id, int flags);

void vfs_lease_set_breaker(int (*breaker)(uint64_t inode_id, int flags)) { lease_breaker = breaker; }

void vfs_file_leased(struct vfs_file *f, int delta) { f->inode->leases += (uint32_t)delta; }

int vfs_inode_break_lease(struct vfs_inode *inode, int flags)
{
	if (!inode->leases || !lease_breaker)
		return 0;
	return lease_breaker(((uint64_t)inode->sb->dev << 40) ^ inode->ino, flags);
}

int vfs_file_recharge(struct vfs_file *f)
{
	struct vfs_inode *inode = f->inode;
	if (f->kind != VFS_FILE_REGULAR || !(inode->flags & I_OWN_MEMFD))
		return 0;
	struct stat st;
	if (fstat(inode->memfd, &st) < 0)
		return -errno;
	vfs_inode_set_size(inode, st.st_size);
	/* over the limit, the memory is used all the same: it is accounted */
	return vfs_inode_recharge(inode);
}

void vfs_path_deny_write(const struct vfs_path *path) { path->dentry->inode->exec_users++; }
void vfs_path_allow_write(const struct vfs_path *path) { path->dentry->inode->exec_users--; }

/* Linux may_open. */
static int may_open(const struct vfs_ctx *ctx, const struct vfs_path *p, int acc_mode, int flags)
{
	struct vfs_inode *inode = p->dentry->inode;
	switch (inode->mode & S_IFMT) {
	case S_IFLNK:
		return -ELOOP;
	case S_IFDIR:
		if (acc_mode & MAY_WRITE)
			return -EISDIR;
		break;
	}
	if ((acc_mode & MAY_WRITE) && vfs_path_rdonly(p) &&
	    (S_ISREG(inode->mode) || S_ISDIR(inode->mode)))
		return -EROFS;
	int err = vfs_permission(&ctx->cred, inode, acc_mode);
	if (err)
		return err;
	if ((flags & O_NOATIME) && !vfs_capable(&ctx->cred, CAP_FOWNER) && ctx->cred.uid != inode->uid)
		return -EPERM;
	return 0;
}

static int finish_open(const struct vfs_ctx *ctx, struct vfs_path *p, int flags, int acc_mode,
		       bool created, struct vfs_file **out)
{
	struct vfs_inode *inode = p->dentry->inode;
	bool do_truncate = false;
	if (!created && S_ISREG(inode->mode) && (flags & O_TRUNC)) {
		if (vfs_path_rdonly(p))
			return -EROFS;
		do_truncate = true;
	}
	int err = may_open(ctx, p, created ? 0 : acc_mode, flags);
	if (err)
		return err;
	if (S_ISREG(inode->mode) && (writable(flags) || do_truncate) && inode->exec_users)
		return -ETXTBSY;
	if (!created && (err = vfs_inode_break_lease(inode, flags)))
		return err;
	if (S_ISSOCK(inode->mode))
		return -ENXIO;
	struct vfs_file *f;
	err = file_new(p, flags, &f);
	if (err)
		return err;
	f->created = created;
	if (inode->ops && inode->ops->open) {
		err = inode->ops->open(ctx, f);
	} else if (S_ISCHR(inode->mode) || S_ISBLK(inode->mode)) {
		err = -ENXIO;  /* a device node no driver stands behind */
	} else if (S_ISREG(inode->mode) && writable(flags) && inode->ops && inode->ops->copy_up) {
		err = inode->ops->copy_up(inode);
		vfs_inode_nameless(inode);
	}
	if (!err && do_truncate)
		err = vfs_setattr_size(ctx, p, 0, true);
	if (err) {
		vfs_file_put(f);
		return err;
	}
	*out = f;
	return 0;
}

static unsigned resolve_to_walk(uint64_t resolve)
{
	unsigned w = 0;
	if (resolve & RESOLVE_BENEATH)
		w |= WALK_BENEATH;
	if (resolve & RESOLVE_IN_ROOT)
		w |= WALK_IN_ROOT;
	if (resolve & RESOLVE_NO_SYMLINKS)
		w |= WALK_NO_SYMLINKS;
	if (resolve & RESOLVE_NO_MAGICLINKS)
		w |= WALK_NO_MAGICLINKS;
	if (resolve & RESOLVE_NO_XDEV)
		w |= WALK_NO_XDEV;
	return w;
}

static int open_tmpfile(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path,
			int flags, mode_t mode, unsigned wflags, struct vfs_file **out)
{
	struct vfs_path p;
	int err = vfs_walk(ctx, dir, path, wflags | WALK_FOLLOW | WALK_DIRECTORY, &p);
	if (err)
		return err;
	struct vfs_inode *di = p.dentry->inode;
	if (vfs_path_rdonly(&p))
		err = -EROFS;
	else if ((err = vfs_permission(&ctx->cred, di, MAY_WRITE | MAY_EXEC)))
		;
	else if (di->dir->dead)
		err = -ENOENT;
	else if (p.mnt->sb->flags & SB_NOCREATE)
		err = -EOPNOTSUPP;
	if (err) {
		vfs_path_put(&p);
		return err;
	}
	struct vfs_dentry *d;
	err = vfs_create_inode(ctx, p.dentry, S_IFREG | (mode & 07777 & ~ctx->umask), "", 0, &d);
	if (!err) {
		d->inode->nlink = 0;
		if (!(flags & O_EXCL))
			d->inode->flags |= I_LINKABLE;
		struct vfs_path fp = {p.mnt, d};
		err = file_new(&fp, flags, out);
		vfs_dentry_put(d);
	}
	vfs_path_put(&p);
	return err;
}

static int do_open(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, int flags,
		   mode_t mode, uint64_t resolve, struct vfs_file **out)
{
	int acc_mode;
	if ((flags & (O_CREAT | O_DIRECTORY)) == (O_CREAT | O_DIRECTORY))
		return -EINVAL;
	if (flags & VFS_O_TMPFILE_BIT) {
		if ((flags & (O_TMPFILE | O_CREAT)) != O_TMPFILE)
			return -EINVAL;
		if ((flags & O_ACCMODE) == O_RDONLY)
			return -EINVAL;
	} else if (flags & O_PATH) {
		flags &= O_PATH_FLAGS;
	}
	acc_mode = "\004\002\006\006"[flags & O_ACCMODE];
	if (flags & O_PATH)
		acc_mode = 0;
	if (flags & O_TRUNC)
		acc_mode |= MAY_WRITE;
	unsigned wflags = resolve_to_walk(resolve);
	if (flags & VFS_O_TMPFILE_BIT)
		return open_tmpfile(ctx, dir, path, flags, mode, wflags, out);
	if (flags & O_PATH) {
		struct vfs_path p;
		unsigned wf = wflags | ((flags & O_NOFOLLOW) ? 0 : WALK_FOLLOW) |
			      ((flags & O_DIRECTORY) ? WALK_DIRECTORY : 0);
		int err = vfs_walk(ctx, dir, path, wf, &p);
		if (err)
			return err;
		err = file_new(&p, flags, out);
		vfs_path_put(&p);
		return err;
	}

	bool follow = !(flags & O_NOFOLLOW) && !((flags & O_CREAT) && (flags & O_EXCL));
	bool want_dir = flags & O_DIRECTORY;
	bool created = false;
	struct nameidata nd;
	int err = nd_start(&nd, ctx, dir, path, wflags);
	if (!err)
		err = nd_walk_parent(&nd);
	while (!err) {
		if (nd.last_type != LAST_NORM) {
			err = nd_walk_last(&nd, false);
			break;
		}
		if (nd.trailing_slash) {
			if (flags & O_CREAT) {
				err = -EISDIR;
				break;
			}
			want_dir = true;
		}
		struct vfs_dentry *child;
		err = nd_lookup_last(&nd, &child);
		if (err)
			break;
		if (!child) {
			if (!(flags & O_CREAT)) {
				err = -ENOENT;
				break;
			}
			if (vfs_path_rdonly(&nd.path))
				err = -EROFS;
			else if ((err = vfs_permission(&ctx->cred, nd.path.dentry->inode, MAY_WRITE | MAY_EXEC)))
				;
			else if (nd.path.mnt->sb->flags & SB_NOCREATE)
				err = -EACCES;
			if (err)
				break;
			struct vfs_dentry *d;
			err = vfs_create_inode(ctx, nd.path.dentry, S_IFREG | (mode & 07777 & ~ctx->umask),
					       nd.last, nd.last_len, &d);
			if (err)
				break;
			vfs_dentry_put(nd.path.dentry);
			nd.path.dentry = d;
			created = true;
			break;
		}
		/* O_NOFOLLOW stops at a symlink, O_DIRECTORY too (ENOTDIR);
		 * only a trailing slash goes through it */
		if (S_ISLNK(child->inode->mode) && (follow || nd.trailing_slash)) {
			vfs_dentry_get(child);
			int r = nd_link_begin(&nd, nd.path.mnt, child);
			vfs_dentry_put(child);
			if (r == 0)
				continue;  /* the body's last component, maybe to create */
			err = r < 0 ? r : 0;
			break;
		}
		err = nd_set_path(&nd, nd.path.mnt, child);
		break;
	}
	if (!err) {
		struct vfs_inode *inode = nd.path.dentry->inode;
		if ((flags & O_CREAT) && (flags & O_EXCL) && !created)
			err = -EEXIST;
		else if ((flags & O_CREAT) && S_ISDIR(inode->mode))
			err = -EISDIR;
		else if (want_dir && !S_ISDIR(inode->mode))
			err = -ENOTDIR;
		else
			err = finish_open(ctx, &nd.path, flags, acc_mode, created, out);
	}
	nd_release(&nd);
	return err;
}

int vfs_openat2(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path,
		const struct vfs_open_how *how, struct vfs_file **out)
{
	if (how->flags & ~(uint64_t)VALID_OPEN_FLAGS)
		return -EINVAL;
	if (how->resolve & ~(uint64_t)VALID_RESOLVE)
		return -EINVAL;
	if (!(how->flags & (O_CREAT | VFS_O_TMPFILE_BIT)) && how->mode)
		return -EINVAL;
	if (how->mode & ~(uint64_t)07777)
		return -EINVAL;
	if ((how->resolve & RESOLVE_BENEATH) && (how->resolve & RESOLVE_IN_ROOT))
		return -EINVAL;
	if ((how->flags & O_PATH) && (how->flags & ~(uint64_t)O_PATH_FLAGS))
		return -EINVAL;
	/* Linux refuses a malformed O_TMPFILE or O_CREAT|O_DIRECTORY before it
	 * looks at RESOLVE_CACHED */
	if ((how->flags & (O_CREAT | O_DIRECTORY)) == (O_CREAT | O_DIRECTORY))
		return -EINVAL;
	if ((how->flags & VFS_O_TMPFILE_BIT) &&
	    ((how->flags & (O_TMPFILE | O_CREAT)) != O_TMPFILE || (how->flags & O_ACCMODE) == O_RDONLY))
		return -EINVAL;
	if ((how->resolve & RESOLVE_CACHED) && (how->flags & (O_TRUNC | O_CREAT | VFS_O_TMPFILE_BIT)))
		return -EAGAIN;
	return do_open(ctx, dir, path, (int)how->flags, (mode_t)how->mode, how->resolve, out);
}

int vfs_openat(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, int flags,
	       mode_t mode, struct vfs_file **out)
{
	flags &= VALID_OPEN_FLAGS;
	if (!(flags & (O_CREAT | VFS_O_TMPFILE_BIT)))
		mode = 0;
	return do_open(ctx, dir, path, flags, mode, 0, out);
}

/* --- sentry-side I/O -------------------------------------------------------- */

ssize_t vfs_file_pread(struct vfs_file *f, void *buf, size_t len, off_t pos)
{
	if (f->kind == VFS_FILE_PATH || (f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (f->kind == VFS_FILE_DIR)
		return -EISDIR;
	int fd = vfs_file_fd(f);
	if (fd < 0)
		return fd;
	bool use_pos = pos < 0;
	ssize_t n = pread(fd, buf, len, use_pos ? f->pos : pos);
	if (n < 0)
		return -errno;
	if (use_pos)
		f->pos += n;
	return n;
}

ssize_t vfs_file_pwrite(const struct vfs_ctx *ctx, struct vfs_file *f, const void *buf, size_t len, off_t pos)
{
	if (f->kind == VFS_FILE_PATH || !writable(f->flags))
		return -EBADF;
	if (f->kind == VFS_FILE_DIR)
		return -EISDIR;
	if (f->kind != VFS_FILE_REGULAR)
		return -EINVAL;
	struct vfs_inode *inode = f->inode;
	int fd = vfs_file_fd(f);
	if (fd < 0)
		return fd;
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -errno;
	vfs_inode_set_size(inode, st.st_size);
	bool use_pos = pos < 0;
	off_t at = (f->flags & O_APPEND) ? st.st_size : use_pos ? f->pos : pos;
	/* room for the pages written past what the file holds (a write into
	 * a hole of a sparse file may take a little more: recharged after) */
	int64_t held = (int64_t)st.st_blocks * 512;
	int64_t first = at / 4096 * 4096, end = ((int64_t)(at + len) + 4095) / 4096 * 4096;
	int64_t fresh = end - (first > held ? first : held);
	if ((inode->flags & I_CHARGED) && fresh > 0) {
		int err = vfs_charge_bytes(inode->sb->vfs, fresh);
		if (err)
			return err;
		vfs_charge_bytes(inode->sb->vfs, -fresh);
	}
	ssize_t n = pwrite(fd, buf, len, at);
	int err = errno;
	if (fstat(fd, &st) == 0)
		vfs_inode_set_size(inode, st.st_size);
	vfs_inode_recharge(inode);
	if (n < 0)
		return -err;
	if (use_pos)
		f->pos = at + n;
	vfs_now(inode->sb->vfs, &inode->mtime);
	inode->ctime = inode->mtime;
	return n;
}

off_t vfs_file_lseek(struct vfs_file *f, off_t off, int whence)
{
	if (f->kind == VFS_FILE_PATH)
		return -EBADF;
	int64_t base;
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->pos;
		break;
	case SEEK_END:
		if (f->kind == VFS_FILE_DIR)
			return -EINVAL;
		base = f->inode->size;
		if (f->kind == VFS_FILE_REGULAR || f->kind == VFS_FILE_SYNTH) {
			struct stat st;
			int fd = vfs_file_fd(f);
			if (fd >= 0 && fstat(fd, &st) == 0)
				base = st.st_size;
		}
		break;
	default:
		return -EINVAL;
	}
	if ((off > 0 && base > INT64_MAX - off) || base + off < 0)
		return -EINVAL;
	f->pos = base + off;
	if (f->cursor) {
		vfs_dentry_put(f->cursor);
		f->cursor = NULL;
	}
	return f->pos;
}

/* --- getdents64 --------------------------------------------------------------- */

struct linux_dirent64_hdr {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

bool vfs_dir_emit_dots(struct vfs_dentry *dir, struct vfs_dir_iter *it)
{
	if (it->pos == 0 && !vfs_dir_emit(it, ".", 1, dir->inode->ino, DT_DIR, 1))
		return false;
	if (it->pos == 1) {
		uint64_t pino = dir->parent ? dir->parent->inode->ino : dir->inode->ino;
		if (!vfs_dir_emit(it, "..", 2, pino, DT_DIR, 2))
			return false;
	}
	return true;
}

bool vfs_dir_emit(struct vfs_dir_iter *it, const char *name, size_t len, uint64_t ino,
		  unsigned type, uint64_t next_pos)
{
	size_t reclen = (offsetof(struct linux_dirent64_hdr, d_name) + len + 1 + 7) & ~(size_t)7;
	if (it->used + reclen > it->size) {
		it->full = true;
		return false;
	}
	struct linux_dirent64_hdr *d = (void *)(it->buf + it->used);
	d->d_ino = ino;
	d->d_off = next_pos;
	d->d_reclen = reclen;
	d->d_type = type;
	memcpy(d->d_name, name, len);
	memset(d->d_name + len, 0, reclen - offsetof(struct linux_dirent64_hdr, d_name) - len);
	it->used += reclen;
	it->pos = next_pos;
	return true;
}

static void relatime(struct vfs_inode *inode)
{
	struct timespec now;
	if (inode->sb->flags & SB_RDONLY)
		return;
	if (!ts_before(&inode->mtime, &inode->atime) || !ts_before(&inode->ctime, &inode->atime)) {
		vfs_now(inode->sb->vfs, &now);
		inode->atime = now;
		return;
	}
	clock_gettime(CLOCK_REALTIME, &now);
	if (now.tv_sec - inode->atime.tv_sec >= 24 * 3600)
		vfs_now(inode->sb->vfs, &inode->atime);
}

/* The first child at or after pos, using the saved cursor when it is valid. */
static struct vfs_dentry *first_from(struct vfs_file *f, struct vfs_dentry *dir, uint64_t pos)
{
	struct vfs_dentry *c = f->cursor;
	if (c && c->parent == dir && (c->flags & D_HASHED) && c->pos == f->cursor_pos && pos <= c->pos) {
		/* entries between pos and the cursor were emitted already */
		return c;
	}
	for (c = dir->inode->dir->first; c; c = c->next)
		if (c->pos >= pos)
			return c;
	return NULL;
}

ssize_t vfs_getdents64(const struct vfs_ctx *ctx, struct vfs_file *f, void *buf, size_t size)
{
	if (f->kind == VFS_FILE_PATH)
		return -EBADF;
	if (f->kind != VFS_FILE_DIR)
		return -ENOTDIR;
	struct vfs_dentry *dir = f->path.dentry;
	struct vfs_inode *inode = dir->inode;
	if (inode->dir->dead)
		return -ENOENT;
	struct vfs_dir_iter it = {.buf = buf, .size = size, .pos = f->pos, .end = f->dir_end ? f->dir_end : UINT64_MAX};
	bool from_start = f->pos == 0;
	int err = 0;
	if (inode->ops && inode->ops->iterate) {
		/* the children of a listed folder hold its positions; a
		 * dynamic one (procfs, devpts) numbers its own */
		if (from_start && inode->ops->list) {
			if ((err = inode->ops->list(dir)))
				return err;
			it.end = inode->dir->next_pos;
		}
		err = inode->ops->iterate(ctx, dir, &it);
	} else {
		err = vfs_populate(dir);
		if (err)
			return err;
		if (from_start)
			it.end = inode->dir->next_pos;
		if (!vfs_dir_emit_dots(dir, &it))
			goto done;
		struct vfs_dentry *c = first_from(f, dir, it.pos);
		for (; c && c->pos < it.end; c = c->next) {
			if (!vfs_dir_emit(&it, c->name, c->len, c->inode->ino, vfs_dtype(c->inode->mode), c->pos + 1))
				break;
		}
		if (f->cursor)
			vfs_dentry_put(f->cursor);
		f->cursor = c;
		if (c) {
			vfs_dentry_get(c);
			f->cursor_pos = c->pos;
		}
	}
done:
	if (err)
		return err;
	if (!it.used && it.full)
		return -EINVAL;
	f->pos = it.pos;
	f->dir_end = it.end;
	relatime(inode);
	return it.used;
}
