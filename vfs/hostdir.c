/* hostdir: a host folder or a single host file served as it is, as a bind
 * mount shows it.  Every change made through it reaches the host at once
 * (or, read-only, gives EROFS before anything is asked of the host).
 *
 * Confinement: the sb holds a descriptor of the host folder, and every
 * host lookup is an openat2 of a path relative to it with RESOLVE_BENEATH,
 * RESOLVE_NO_SYMLINKS, RESOLVE_NO_MAGICLINKS and RESOLVE_NO_XDEV (a bind
 * shows one host file system, as a non-recursive bind mount does), that
 * opens the folder holding the name; the last component is then used with
 * *at calls that never follow it (AT_SYMLINK_NOFOLLOW, O_NOFOLLOW, O_PATH
 * plus the descriptor's own /proc/self/fd name).  A host rename racing a
 * lookup can only lead to another place beneath the folder or fail.  Host
 * symlinks are read as links and resolved by the VFS inside the sandbox.
 *
 * Contents: a regular file's inode->memfd is the sentry's own open of the
 * host file (O_RDWR where the host lets the sentry, else O_RDONLY), so the
 * workload's opens of it are opens of the host file.  Names the host gets
 * from elsewhere show at the next lookup or listing, and a listing drops
 * the names it lost (or made another kind of file); the attributes of a
 * name already seen are the sandbox's own view. */
#define _GNU_SOURCE
#include "vfs_impl.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#define RESOLVE_CONFINED (RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV)
#define DENTS_BUF 32768

struct hostdir {
	int root_fd;   /* the host folder, or the single file */
	bool rdonly;
	bool single;   /* root_fd is the root inode's memfd, closed with it */
};

/* inode->priv of a folder's inodes. */
struct hnode {
	struct vfs_dentry *dentry;  /* borrowed: the tree owns it */
	bool writable;              /* regular files: memfd is O_RDWR */
	bool xattrs_loaded;         /* the host's user.* xattrs are in the VFS's */
};

static const struct vfs_inode_ops hostdir_dir_ops, hostdir_file_ops, hostdir_link_ops, hostdir_single_ops;

static struct hostdir *hd_of(const struct vfs_sb *sb)
{
	return sb->priv;
}

/* What a host call that found something else there than was looked for
 * means inside: the name is gone from here. */
static int host_errno(void)
{
	int e = errno;
	return (e == ELOOP || e == EXDEV) ? -ENOENT : -e;
}

/* The path of d relative to the bind's root: "." for the root. */
static int rel_path(const struct vfs_dentry *d, char *buf, size_t size)
{
	const struct vfs_dentry *root = d->inode->sb->root;
	size_t at = size;
	buf[--at] = 0;
	for (const struct vfs_dentry *p = d; p != root; p = p->parent) {
		if (!p->parent || at < (size_t)p->len + 1)
			return -ENAMETOOLONG;
		at -= p->len;
		memcpy(buf + at, p->name, p->len);
		buf[--at] = '/';
	}
	if (at == size - 1) {
		strcpy(buf, ".");
		return 0;
	}
	memmove(buf, buf + at + 1, size - at - 1);
	return 0;
}

/* A descriptor of the host folder that the directory d is, opened
 * beneath the bind's root. */
static int open_dir(const struct vfs_dentry *d)
{
	char path[VFS_PATH_MAX];
	int err = rel_path(d, path, sizeof(path));
	if (err)
		return err;
	struct open_how how = {
		.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_CONFINED,
	};
	int fd = (int)syscall(SYS_openat2, hd_of(d->inode->sb)->root_fd, path, &how, sizeof(how));
	return fd < 0 ? host_errno() : fd;
}

/* "/proc/self/fd/N": reaches exactly the file an O_PATH fd holds. */
static void fd_name(int fd, char *buf, size_t size)
{
	snprintf(buf, size, "/proc/self/fd/%d", fd);
}

/* An O_PATH descriptor of the entry d, never following it. */
static int open_entry(const struct vfs_dentry *d)
{
	if (d == d->inode->sb->root && !S_ISDIR(d->inode->mode)) {
		int fd = fcntl(hd_of(d->inode->sb)->root_fd, F_DUPFD_CLOEXEC, 0);
		return fd < 0 ? -errno : fd;
	}
	if (d == d->inode->sb->root)
		return open_dir(d);
	int dfd = open_dir(d->parent);
	if (dfd < 0)
		return dfd;
	int fd = openat(dfd, d->name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	int err = fd < 0 ? host_errno() : 0;
	close(dfd);
	return err ? err : fd;
}

/* Makes the entry `name` of dir from the host's lstat of it; 0 with
 * *out NULL when the host has none (or one of a kind a bind does not
 * show: sockets, fifos, devices). */
static int add_entry(struct vfs_dentry *dir, int dfd, const char *name, struct vfs_dentry **out)
{
	*out = NULL;
	struct stat st;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
	const struct vfs_inode_ops *ops;
	switch (st.st_mode & S_IFMT) {
	case S_IFDIR:
		ops = &hostdir_dir_ops;
		break;
	case S_IFREG:
		ops = &hostdir_file_ops;
		break;
	case S_IFLNK:
		ops = &hostdir_link_ops;
		break;
	default:
		return 0;
	}
	char *link = NULL;
	if (S_ISLNK(st.st_mode)) {
		char buf[VFS_PATH_MAX];
		ssize_t n = readlinkat(dfd, name, buf, sizeof(buf) - 1);
		if (n <= 0)
			return 0;  /* gone meanwhile */
		if (!(link = strndup(buf, n)))
			return -ENOMEM;
		st.st_size = n;
	}
	struct hnode *hn = calloc(1, sizeof(*hn));
	struct vfs_inode *inode;
	int err = hn ? vfs_d_make(dir, name, st.st_mode & S_IFMT, ops, &inode) : -ENOMEM;
	if (err) {
		free(hn);
		free(link);
		return err;
	}
	hn->dentry = dir->inode->dir->last;
	inode->priv = hn;
	vfs_inode_set_attrs(inode, &st);
	if (link)
		inode->link = link;
	*out = hn->dentry;
	return 0;
}

static int by_address(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t) * (struct vfs_dentry *const *)a, y = (uintptr_t) * (struct vfs_dentry *const *)b;
	return x < y ? -1 : x > y;
}

/* A name the host no longer has as the tree shows it goes. */
static void drop_entry(struct vfs_dentry *d)
{
	if (S_ISDIR(d->inode->mode))
		d->inode->dir->dead = true;
	vfs_d_drop(d);
}

/* Takes away the names the host no longer has (unless something is
 * mounted on them): `seen` holds every child the listing found. */
static void drop_unseen(struct vfs_dentry *dir, struct vfs_dentry **seen, size_t nseen)
{
	qsort(seen, nseen, sizeof(*seen), by_address);
	for (struct vfs_dentry *c = dir->inode->dir->first, *next; c; c = next) {
		next = c->next;
		if (!(c->flags & D_MOUNTED) && !bsearch(&c, seen, nseen, sizeof(*seen), by_address))
			drop_entry(c);
	}
}

/* Makes the tree show what the host folder holds now: names it got are
 * added, names it lost go. */
static int list_dir(struct vfs_dentry *dir)
{
	int fd = open_dir(dir);
	if (fd < 0)
		return fd;
	char *buf = malloc(DENTS_BUF);
	size_t nseen = 0, cap = dir->inode->dir->count + 16;
	struct vfs_dentry **seen = malloc(cap * sizeof(*seen));
	int err = buf && seen ? 0 : -ENOMEM;
	while (!err) {
		ssize_t n = syscall(SYS_getdents64, fd, buf, DENTS_BUF);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err = -errno;
		if (n <= 0)
			break;
		for (ssize_t off = 0; off < n && !err;) {
			struct dirent64 *e = (void *)(buf + off);
			off += e->d_reclen;
			const char *name = e->d_name;
			if (name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2])))
				continue;
			struct vfs_dentry *d = vfs_d_lookup(dir, name, strlen(name));
			if (d && e->d_type != DT_UNKNOWN && e->d_type != vfs_dtype(d->inode->mode) &&
			    !(d->flags & D_MOUNTED)) {
				drop_entry(d);  /* replaced on the host by another kind */
				d = NULL;
			}
			if (!d)
				err = add_entry(dir, fd, name, &d);
			if (!d || err)
				continue;
			if (nseen == cap) {
				struct vfs_dentry **more = realloc(seen, (cap *= 2) * sizeof(*seen));
				if (!more) {
					err = -ENOMEM;
					continue;
				}
				seen = more;
			}
			seen[nseen++] = d;
		}
	}
	if (!err)
		drop_unseen(dir, seen, nseen);
	free(seen);
	free(buf);
	close(fd);
	dir->inode->nlink = 2 + dir->inode->dir->subdirs;
	return err;
}

static int hostdir_lookup(const struct vfs_ctx *ctx, struct vfs_dentry *dir, const char *name,
			  size_t len, struct vfs_dentry **out)
{
	(void)ctx;
	struct vfs_dentry *d = vfs_d_lookup(dir, name, len);
	if (!d) {
		char cname[VFS_NAME_MAX + 1];
		if (len > VFS_NAME_MAX)
			return -ENAMETOOLONG;
		memcpy(cname, name, len);
		cname[len] = 0;
		int dfd = open_dir(dir);
		if (dfd < 0)
			return dfd;
		int err = add_entry(dir, dfd, cname, &d);
		close(dfd);
		if (err)
			return err;
	}
	if (!d)
		return -ENOENT;
	*out = d;
	return 0;
}

static int hostdir_iterate(const struct vfs_ctx *ctx, struct vfs_dentry *dir, struct vfs_dir_iter *it)
{
	(void)ctx;
	/* a read from position 0 listed the folder first (vfs_getdents64):
	 * the names the host got meanwhile */
	if (!vfs_dir_emit_dots(dir, it))
		return 0;
	for (struct vfs_dentry *c = dir->inode->dir->first; c && c->pos < it->end; c = c->next) {
		if (c->pos < it->pos)
			continue;
		if (!vfs_dir_emit(it, c->name, c->len, c->inode->ino, vfs_dtype(c->inode->mode), c->pos + 1))
			break;
	}
	return 0;
}

/* Opens the host file of a regular inode, for writing when asked (and, in
 * a writable bind, whenever the host lets the sentry). */
static int open_contents(struct vfs_inode *inode, bool write)
{
	struct hnode *hn = inode->priv;
	struct hostdir *hd = hd_of(inode->sb);
	if (inode->memfd >= 0 && (hn->writable || !write))
		return 0;
	if (write && hd->rdonly)
		return -EROFS;
	int fd = -1, err = 0;
	int dfd = open_dir(hn->dentry->parent);
	if (dfd < 0)
		return dfd;
	int flags = O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
	if (!hd->rdonly)
		fd = openat(dfd, hn->dentry->name, flags | O_RDWR);
	if (fd >= 0)
		hn->writable = true;
	else if (write)
		err = host_errno();
	else
		fd = openat(dfd, hn->dentry->name, flags | O_RDONLY);
	if (fd < 0 && !err)
		err = host_errno();
	close(dfd);
	if (err)
		return err;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -ENXIO;  /* replaced on the host by something else */
	}
	if (inode->memfd >= 0) {
		/* the same number, now writable: the syscall layer may hold it */
		if (dup3(fd, inode->memfd, O_CLOEXEC) < 0)
			err = -errno;
		close(fd);
		return err;
	}
	inode->memfd = fd;
	inode->flags |= I_OWN_MEMFD;
	return 0;
}

static int hostdir_lower_memfd(struct vfs_inode *inode)
{
	int err = open_contents(inode, false);
	return err ? err : inode->memfd;
}

static int hostdir_copy_up(struct vfs_inode *inode)
{
	return open_contents(inode, true);
}

/* Set-user-ID and set-group-ID bits would reach the host as the sentry's
 * uid: a bind never makes them. */
static int host_mode_allowed(mode_t mode)
{
	return !S_ISDIR(mode) && (mode & (S_ISUID | S_ISGID)) ? -EPERM : 0;
}

static int hostdir_create(const struct vfs_ctx *ctx, struct vfs_dentry *dir, const char *name, size_t len,
			  mode_t mode, const char *link, struct vfs_dentry **out)
{
	(void)ctx;
	if (!len)
		return -EOPNOTSUPP;  /* O_TMPFILE */
	if (!S_ISREG(mode) && !S_ISDIR(mode) && !S_ISLNK(mode))
		return -EPERM;  /* fifos and sockets stay inside the sandbox */
	int err = host_mode_allowed(mode);
	if (err)
		return err;
	char cname[VFS_NAME_MAX + 1];
	if (len > VFS_NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(cname, name, len);
	cname[len] = 0;
	int dfd = open_dir(dir);
	if (dfd < 0)
		return dfd;
	int fd = -1;
	mode_t perm = mode & 07777;
	if (S_ISLNK(mode)) {
		err = symlinkat(link, dfd, cname) < 0 ? -errno : 0;
	} else if (S_ISDIR(mode)) {
		err = mkdirat(dfd, cname, perm) < 0 ? -errno : 0;
		/* the sentry's own umask applied too: the workload's alone counts */
		if (!err) {
			struct open_how how = { .flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC, .resolve = RESOLVE_CONFINED };
			int nfd = (int)syscall(SYS_openat2, dfd, cname, &how, sizeof(how));
			if (nfd >= 0) {
				fchmod(nfd, perm);
				close(nfd);
			}
		}
	} else {
		fd = openat(dfd, cname, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, perm);
		err = fd < 0 ? -errno : 0;
		if (!err)
			fchmod(fd, perm);
	}
	struct vfs_dentry *d = NULL;
	if (!err)
		err = add_entry(dir, dfd, cname, &d);
	close(dfd);
	if (!err && !d)
		err = -ENOENT;  /* removed on the host at once */
	if (err) {
		if (fd >= 0)
			close(fd);
		return err;
	}
	if (fd >= 0) {
		struct hnode *hn = d->inode->priv;
		d->inode->memfd = fd;
		d->inode->flags |= I_OWN_MEMFD;
		hn->writable = true;
	}
	if (S_ISDIR(mode)) {
		d->inode->dir->populated = true;
		d->inode->nlink = 2;
	}
	vfs_dentry_get(d);
	*out = d;
	return 0;
}

static int hostdir_remove(struct vfs_dentry *dir, struct vfs_dentry *victim)
{
	int dfd = open_dir(dir);
	if (dfd < 0)
		return dfd;
	int flags = S_ISDIR(victim->inode->mode) ? AT_REMOVEDIR : 0;
	int err = unlinkat(dfd, victim->name, flags) < 0 ? -errno : 0;
	close(dfd);
	return err;
}

static int hostdir_rename(struct vfs_dentry *olddir, struct vfs_dentry *old, struct vfs_dentry *newdir,
			  const char *name, size_t len, unsigned flags)
{
	char cname[VFS_NAME_MAX + 1];
	if (len > VFS_NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(cname, name, len);
	cname[len] = 0;
	int ofd = open_dir(olddir);
	if (ofd < 0)
		return ofd;
	int nfd = open_dir(newdir);
	if (nfd < 0) {
		close(ofd);
		return nfd;
	}
	int err = renameat2(ofd, old->name, nfd, cname, flags) < 0 ? -errno : 0;
	close(ofd);
	close(nfd);
	return err;
}

static int hostdir_link(struct vfs_dentry *old, struct vfs_dentry *newdir, const char *name, size_t len)
{
	char cname[VFS_NAME_MAX + 1];
	if (len > VFS_NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(cname, name, len);
	cname[len] = 0;
	if (old == old->inode->sb->root)
		return -EXDEV;
	int ofd = open_dir(old->parent);
	if (ofd < 0)
		return ofd;
	int nfd = open_dir(newdir);
	if (nfd < 0) {
		close(ofd);
		return nfd;
	}
	int err = linkat(ofd, old->name, nfd, cname, 0) < 0 ? -errno : 0;
	close(ofd);
	close(nfd);
	return err;
}

static int hostdir_setattr(struct vfs_dentry *d, mode_t mode, const struct timespec *times)
{
	if (mode != (mode_t)-1) {
		int err = host_mode_allowed((d->inode->mode & S_IFMT) | mode);
		if (err)
			return err;
	}
	int fd = open_entry(d);
	if (fd < 0)
		return fd;
	char name[64];
	fd_name(fd, name, sizeof(name));
	int err = 0;
	if (mode != (mode_t)-1 && chmod(name, mode & 07777) < 0)
		err = -errno;
	if (!err && times && utimensat(AT_FDCWD, name, times, 0) < 0)
		err = -errno;
	close(fd);
	return err;
}

static int hostdir_setxattr(struct vfs_dentry *d, const char *name, const void *value, size_t size, int flags)
{
	if (strncmp(name, "user.", 5))
		return -EOPNOTSUPP;  /* the host's other namespaces are not the sandbox's */
	int fd = open_entry(d);
	if (fd < 0)
		return fd;
	char path[64];
	fd_name(fd, path, sizeof(path));
	/* the magic link leads to the O_PATH fd's own inode, never further */
	int r = value || size ? setxattr(path, name, value, size, flags) : removexattr(path, name);
	if (r < 0 && errno == ENODATA && !value && !size)
		r = 0;  /* the sandbox's own view decides what is there */
	int err = r < 0 ? -errno : 0;
	close(fd);
	return err;
}

/* The host's user.* xattrs of a regular file or folder, read into the
 * VFS's own the first time the sandbox asks for any. */
static int hostdir_load_xattrs(struct vfs_dentry *d)
{
	struct hnode *hn = d->inode->priv;
	if (!hn || hn->xattrs_loaded)
		return 0;
	if (!S_ISREG(d->inode->mode) && !S_ISDIR(d->inode->mode)) {
		hn->xattrs_loaded = true;
		return 0;
	}
	int fd = open_entry(d);
	if (fd < 0)
		return fd;
	char path[64];
	fd_name(fd, path, sizeof(path));
	char *names = malloc(VFS_XATTR_LIST_MAX), *value = malloc(VFS_XATTR_SIZE_MAX);
	int err = names && value ? 0 : -ENOMEM;
	ssize_t n = err ? 0 : listxattr(path, names, VFS_XATTR_LIST_MAX);
	if (n < 0)
		err = errno == ENOTSUP ? 0 : -errno;
	for (ssize_t at = 0; !err && at < n; at += strlen(names + at) + 1) {
		const char *name = names + at;
		if (strncmp(name, "user.", 5))
			continue;
		ssize_t len = getxattr(path, name, value, VFS_XATTR_SIZE_MAX);
		if (len >= 0)
			err = vfs_xattr_load(d->inode, name, value, (size_t)len);
	}
	if (!err)
		hn->xattrs_loaded = true;
	free(names);
	free(value);
	close(fd);
	return err;
}

static void hostdir_release(struct vfs_inode *inode)
{
	free(inode->priv);
	inode->priv = NULL;
}

#define CHANGES                                                                                   \
	.create = hostdir_create, .remove = hostdir_remove, .rename = hostdir_rename,             \
	.link = hostdir_link, .setattr = hostdir_setattr, .setxattr = hostdir_setxattr,           \
	.load_xattrs = hostdir_load_xattrs

static const struct vfs_inode_ops hostdir_dir_ops = {
	.populate = list_dir,
	.list = list_dir,
	.lookup = hostdir_lookup,
	.iterate = hostdir_iterate,
	.release = hostdir_release,
	CHANGES,
};

static const struct vfs_inode_ops hostdir_file_ops = {
	.lower_memfd = hostdir_lower_memfd,
	.copy_up = hostdir_copy_up,
	.release = hostdir_release,
	CHANGES,
};

static const struct vfs_inode_ops hostdir_link_ops = {
	.release = hostdir_release,
	CHANGES,
};

/* A single file: the sb's root, its contents the descriptor itself. */
static int single_memfd(struct vfs_inode *inode)
{
	return inode->memfd;
}

static int single_copy_up(struct vfs_inode *inode)
{
	return hd_of(inode->sb)->rdonly ? -EROFS : 0;
}

static const struct vfs_inode_ops hostdir_single_ops = {
	.lower_memfd = single_memfd,
	.copy_up = single_copy_up,
	.setattr = hostdir_setattr,
	.setxattr = hostdir_setxattr,
	.load_xattrs = hostdir_load_xattrs,
	.release = hostdir_release,
};

static void hostdir_destroy(struct vfs_sb *sb)
{
	struct hostdir *hd = hd_of(sb);
	if (!hd->single && hd->root_fd >= 0)
		close(hd->root_fd);
	free(hd);
}

static const struct vfs_sb_ops hostdir_sb_ops = {
	.name = "hostdir",
	.magic = 0x53454e54,  /* "SENT", as the image */
	.destroy = hostdir_destroy,
};

int vfs_hostdir_new(struct vfs *vfs, int fd, bool rdonly, struct vfs_sb **out)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
		return -EINVAL;
	int acc = fcntl(fd, F_GETFL);
	if (acc < 0 || (acc & O_PATH))
		return -EBADF;
	if (S_ISREG(st.st_mode) && !rdonly && (acc & O_ACCMODE) != O_RDWR)
		return -EBADF;  /* a writable single file needs a writable open */
	struct hostdir *hd = calloc(1, sizeof(*hd));
	struct hnode *hn = calloc(1, sizeof(*hn));
	const struct vfs_inode_ops *ops = S_ISDIR(st.st_mode) ? &hostdir_dir_ops : &hostdir_single_ops;
	int err = hd && hn ? vfs_sb_new(vfs, &hostdir_sb_ops, rdonly ? SB_RDONLY : 0, st.st_mode & S_IFMT, ops, out)
			   : -ENOMEM;
	if (err) {
		free(hd);
		free(hn);
		return err;
	}
	hd->root_fd = fd;
	hd->rdonly = rdonly;
	hd->single = !S_ISDIR(st.st_mode);
	(*out)->priv = hd;
	struct vfs_inode *ri = (*out)->root->inode;
	vfs_inode_set_attrs(ri, &st);
	hn->dentry = (*out)->root;
	hn->writable = !rdonly;
	ri->priv = hn;
	if (S_ISDIR(st.st_mode)) {
		ri->nlink = 2;
	} else {
		ri->memfd = fd;
		ri->flags |= I_OWN_MEMFD;
	}
	return 0;
}

bool vfs_is_hostdir(const struct vfs_sb *sb)
{
	return sb->ops == &hostdir_sb_ops;
}
