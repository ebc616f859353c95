/* Extended attributes, kept per inode as tmpfs keeps them and listed in the
 * order tmpfs lists them (descending by name).  The checks are Linux's for
 * the caller's emulated capabilities: without CAP_SYS_ADMIN, trusted.* is
 * invisible and security.* read-only.  The order of the checks follows
 * Linux so that the first failing one gives the same errno. */
#define _GNU_SOURCE
#include "vfs_impl.h"

#include <endian.h>
#include <linux/capability.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <sys/xattr.h>

#define XATTR_NAME_CAPS "security.capability"

struct vfs_xattr {
	size_t size;
	char *value;  /* follows the name */
	char name[];
};

struct vfs_xattrs {
	uint32_t count, cap;
	uint64_t bytes;  /* charged against the byte limit */
	struct vfs_xattr *v[];  /* descending strcmp order */
};

enum xattr_ns { NS_USER, NS_TRUSTED, NS_SECURITY, NS_SYSTEM, NS_UNKNOWN };

static const char *const ns_prefix[] = {
	[NS_USER] = "user.",
	[NS_TRUSTED] = "trusted.",
	[NS_SECURITY] = "security.",
	[NS_SYSTEM] = "system.",
};

static enum xattr_ns name_space(const char *name)
{
	for (enum xattr_ns ns = NS_USER; ns < NS_UNKNOWN; ns++)
		if (!strncmp(name, ns_prefix[ns], strlen(ns_prefix[ns])))
			return ns;
	return NS_UNKNOWN;
}

static bool is_sticky_dir(const struct vfs_inode *inode)
{
	return S_ISDIR(inode->mode) && (inode->mode & S_ISVTX);
}

/* Linux's xattr_permission. */
static int may_access(const struct vfs_ctx *ctx, const struct vfs_inode *inode, enum xattr_ns ns,
		      int mask)
{
	bool write = mask & MAY_WRITE;
	switch (ns) {
	case NS_SECURITY:
	case NS_SYSTEM:
		return 0;  /* left to the security hooks and the file system */
	case NS_TRUSTED:
		if (!vfs_capable(&ctx->cred, CAP_SYS_ADMIN))
			return write ? -EPERM : -ENODATA;
		return 0;
	case NS_USER:
		if (!S_ISREG(inode->mode) && !S_ISDIR(inode->mode))
			return write ? -EPERM : -ENODATA;
		if (write && is_sticky_dir(inode) && !vfs_capable(&ctx->cred, CAP_FOWNER) && ctx->cred.uid != inode->uid)
			return -EPERM;
		break;
	case NS_UNKNOWN:
		break;
	}
	return vfs_permission(&ctx->cred, inode, mask);
}

/* A file capability needs a version 2 or 3 header of the right size. */
static bool valid_caps(const void *value, size_t size)
{
	uint32_t magic;
	if (size < sizeof(magic))
		return false;
	memcpy(&magic, value, sizeof(magic));
	uint32_t revision = le32toh(magic) & ~(uint32_t)VFS_CAP_FLAGS_EFFECTIVE;
	return (revision == VFS_CAP_REVISION_2 && size == XATTR_CAPS_SZ_2) ||
	       (revision == VFS_CAP_REVISION_3 && size == XATTR_CAPS_SZ_3);
}

/* procfs files are synthesised and carry none. */
static bool has_xattrs(const struct vfs_inode *inode)
{
	return inode->sb->ops->magic != PROC_SUPER_MAGIC;
}

/* Linux's xattr_resolve_name: a handler for the name, or why not. */
static int resolve(const struct vfs_inode *inode, const char *name, enum xattr_ns ns)
{
	if (!has_xattrs(inode) || ns == NS_SYSTEM || ns == NS_UNKNOWN)
		return -EOPNOTSUPP;
	return name[strlen(ns_prefix[ns])] ? 0 : -EINVAL;
}

/* Where name is in the list, or where it would go. */
static uint32_t slot_of(const struct vfs_xattrs *xs, const char *name, bool *found)
{
	uint32_t i = 0;
	int cmp = 1;
	while (xs && i < xs->count && (cmp = strcmp(name, xs->v[i]->name)) < 0)
		i++;
	*found = xs && i < xs->count && cmp == 0;
	return i;
}

static struct vfs_xattr *find(const struct vfs_inode *inode, const char *name)
{
	bool found;
	uint32_t i = slot_of(inode->xattrs, name, &found);
	return found ? inode->xattrs->v[i] : NULL;
}

/* The attribute's block (struct, name, value) and its slot in the array. */
static uint64_t entry_bytes(const char *name, size_t size)
{
	return sizeof(struct vfs_xattr) + VFS_MALLOC_OVERHEAD + sizeof(struct vfs_xattr *) + strlen(name) + 1 + size;
}

static int make_room(struct vfs_inode *inode)
{
	struct vfs_xattrs *xs = inode->xattrs;
	if (xs && xs->count < xs->cap)
		return 0;
	uint32_t cap = xs ? xs->cap * 2 : 4;
	struct vfs_xattrs *n = realloc(xs, sizeof(*n) + cap * sizeof(n->v[0]));
	if (!n)
		return -ENOMEM;
	if (!xs)
		n->count = n->bytes = 0;
	n->cap = cap;
	inode->xattrs = n;
	return 0;
}

static int store(struct vfs_inode *inode, const char *name, const void *value, size_t size, int flags)
{
	if (S_ISREG(inode->mode) && inode->ops && inode->ops->copy_up) {
		int err = inode->ops->copy_up(inode);
		if (err)
			return err;
	}
	bool found;
	uint32_t i = slot_of(inode->xattrs, name, &found);
	if (found && (flags & XATTR_CREATE))
		return -EEXIST;
	if (!found && (flags & XATTR_REPLACE))
		return -ENODATA;
	int err = found ? 0 : make_room(inode);
	if (err)
		return err;
	size_t len = strlen(name);
	struct vfs_xattr *x = malloc(sizeof(*x) + len + 1 + size);
	if (!x)
		return -ENOMEM;
	struct vfs_xattrs *xs = inode->xattrs;
	int64_t delta = entry_bytes(name, size);
	if (found)
		delta -= entry_bytes(name, xs->v[i]->size);
	err = vfs_charge_bytes(inode->sb->vfs, delta);
	if (err) {
		free(x);
		return err;
	}
	memcpy(x->name, name, len + 1);
	x->value = x->name + len + 1;
	x->size = size;
	if (size)
		memcpy(x->value, value, size);
	if (found) {
		free(xs->v[i]);
	} else {
		memmove(&xs->v[i + 1], &xs->v[i], (xs->count - i) * sizeof(xs->v[0]));
		xs->count++;
	}
	xs->v[i] = x;
	xs->bytes += delta;
	vfs_now(inode->sb->vfs, &inode->ctime);
	return 0;
}

static int drop(struct vfs_inode *inode, const char *name)
{
	bool found;
	struct vfs_xattrs *xs = inode->xattrs;
	uint32_t i = slot_of(xs, name, &found);
	if (!found)
		return -ENODATA;
	struct vfs_xattr *x = xs->v[i];
	uint64_t bytes = entry_bytes(x->name, x->size);
	vfs_charge_bytes(inode->sb->vfs, -(int64_t)bytes);
	xs->bytes -= bytes;
	free(x);
	memmove(&xs->v[i], &xs->v[i + 1], (xs->count - i - 1) * sizeof(xs->v[0]));
	xs->count--;
	vfs_now(inode->sb->vfs, &inode->ctime);
	return 0;
}

void vfs_xattrs_free(struct vfs_inode *inode)
{
	struct vfs_xattrs *xs = inode->xattrs;
	if (!xs)
		return;
	for (uint32_t i = 0; i < xs->count; i++)
		free(xs->v[i]);
	vfs_charge_bytes(inode->sb->vfs, -(int64_t)xs->bytes);
	free(xs);
	inode->xattrs = NULL;
}

/* --- the operations on a resolved file ------------------------------------ */

static int check_name(const char *name)
{
	size_t len = strnlen(name, VFS_XATTR_NAME_MAX + 1);
	return len == 0 || len > VFS_XATTR_NAME_MAX ? -ERANGE : 0;
}

static int check_set_args(const char *name, size_t size, int flags)
{
	if (flags & ~(XATTR_CREATE | XATTR_REPLACE))
		return -EINVAL;
	int err = check_name(name);
	if (!err && size > VFS_XATTR_SIZE_MAX)
		err = -E2BIG;
	return err;
}

int vfs_xattr_load(struct vfs_inode *inode, const char *name, const void *value, size_t size)
{
	return store(inode, name, value, size, 0);
}

/* What a file system with its files elsewhere holds, read in once. */
static int load(const struct vfs_path *p)
{
	struct vfs_inode *inode = p->dentry->inode;
	return inode->ops && inode->ops->load_xattrs ? inode->ops->load_xattrs(p->dentry) : 0;
}

/* A file system with its files elsewhere (hostdir) gets the value first,
 * with the flags checked against the sandbox's own view. */
static int host_set(struct vfs_inode *inode, struct vfs_dentry *d, const char *name, const void *value,
		    size_t size, int flags)
{
	int err = load(&(struct vfs_path){ NULL, d });
	if (err)
		return err;
	bool present = find(inode, name) != NULL;
	if ((flags & XATTR_CREATE) && present)
		return -EEXIST;
	if ((flags & XATTR_REPLACE) && !present)
		return -ENODATA;
	static const char empty;
	return inode->ops->setxattr(d, name, value ? value : &empty, size, 0);
}

static int set_on(const struct vfs_ctx *ctx, const struct vfs_path *p, const char *name,
		  const void *value, size_t size, int flags)
{
	struct vfs_inode *inode = p->dentry->inode;
	if (vfs_path_rdonly(p))
		return -EROFS;
	/* Linux (6.x) converts every capability value, an empty one included,
	 * before anything else: a bad header is EINVAL, a good one needs
	 * CAP_SETFCAP, which the workload never has. */
	if (!strcmp(name, XATTR_NAME_CAPS))
		return valid_caps(value, size) ? -EPERM : -EINVAL;
	enum xattr_ns ns = name_space(name);
	int err = may_access(ctx, inode, ns, MAY_WRITE);
	if (!err && ns == NS_SECURITY && !vfs_capable(&ctx->cred, CAP_SYS_ADMIN))
		err = -EPERM;
	if (!err)
		err = resolve(inode, name, ns);
	if (!err && inode->ops && inode->ops->setxattr)
		err = host_set(inode, p->dentry, name, value, size, flags);
	return err ? err : store(inode, name, value, size, flags);
}

static ssize_t get_on(const struct vfs_ctx *ctx, const struct vfs_path *p, const char *name,
		      void *value, size_t size)
{
	struct vfs_inode *inode = p->dentry->inode;
	enum xattr_ns ns = name_space(name);
	int err = may_access(ctx, inode, ns, MAY_READ);
	if (!err)
		err = resolve(inode, name, ns);
	if (!err)
		err = load(p);
	if (err)
		return err;
	struct vfs_xattr *x = find(inode, name);
	if (!x)
		return -ENODATA;
	if (!strcmp(name, XATTR_NAME_CAPS) && !valid_caps(x->value, x->size))
		return -EINVAL;  /* the capability module reads it as a header */
	if (size && x->size > size)
		return -ERANGE;
	if (size)
		memcpy(value, x->value, x->size);
	return x->size;
}

static ssize_t list_on(const struct vfs_ctx *ctx, const struct vfs_path *p, char *list, size_t size)
{
	bool trusted = vfs_capable(&ctx->cred, CAP_SYS_ADMIN);
	int err = load(p);
	if (err)
		return err;
	const struct vfs_xattrs *xs = p->dentry->inode->xattrs;
	if (size > VFS_XATTR_LIST_MAX)
		size = VFS_XATTR_LIST_MAX;
	size_t used = 0;
	for (uint32_t i = 0; xs && i < xs->count; i++) {
		const char *name = xs->v[i]->name;
		if (!trusted && name_space(name) == NS_TRUSTED)
			continue;  /* hidden from callers without CAP_SYS_ADMIN */
		size_t len = strlen(name) + 1;
		if (size && used + len > size)
			return size == VFS_XATTR_LIST_MAX ? -E2BIG : -ERANGE;
		if (size)
			memcpy(list + used, name, len);
		used += len;
	}
	return used;
}

static int remove_on(const struct vfs_ctx *ctx, const struct vfs_path *p, const char *name)
{
	struct vfs_inode *inode = p->dentry->inode;
	if (vfs_path_rdonly(p))
		return -EROFS;
	enum xattr_ns ns = name_space(name);
	int err = may_access(ctx, inode, ns, MAY_WRITE);
	if (!err && ns == NS_SECURITY && !vfs_capable(&ctx->cred, CAP_SYS_ADMIN))
		err = -EPERM;
	if (!err)
		err = resolve(inode, name, ns);
	if (!err)
		err = load(p);
	if (!err && !find(inode, name))
		err = -ENODATA;
	if (!err && inode->ops && inode->ops->setxattr)
		err = inode->ops->setxattr(p->dentry, name, NULL, 0, 0);
	return err ? err : drop(inode, name);
}

/* --- by path ---------------------------------------------------------------- */

int vfs_setxattrat(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, int at_flags,
		   const char *name, const void *value, size_t size, int flags)
{
	int err = check_set_args(name, size, flags);
	struct vfs_path p;
	if (!err)
		err = vfs_lookup(ctx, dir, path, at_flags, &p);
	if (err)
		return err;
	err = set_on(ctx, &p, name, value, size, flags);
	vfs_path_put(&p);
	return err;
}

ssize_t vfs_getxattrat(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, int at_flags,
		       const char *name, void *value, size_t size)
{
	int err = check_name(name);
	struct vfs_path p;
	if (!err)
		err = vfs_lookup(ctx, dir, path, at_flags, &p);
	if (err)
		return err;
	ssize_t r = get_on(ctx, &p, name, value, size);
	vfs_path_put(&p);
	return r;
}

ssize_t vfs_listxattrat(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, int at_flags,
			char *list, size_t size)
{
	struct vfs_path p;
	int err = vfs_lookup(ctx, dir, path, at_flags, &p);
	if (err)
		return err;
	ssize_t r = list_on(ctx, &p, list, size);
	vfs_path_put(&p);
	return r;
}

int vfs_removexattrat(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, int at_flags,
		      const char *name)
{
	int err = check_name(name);
	struct vfs_path p;
	if (!err)
		err = vfs_lookup(ctx, dir, path, at_flags, &p);
	if (err)
		return err;
	err = remove_on(ctx, &p, name);
	vfs_path_put(&p);
	return err;
}

/* --- by open file ------------------------------------------------------------ */

int vfs_fsetxattr(const struct vfs_ctx *ctx, struct vfs_file *f, const char *name, const void *value,
		  size_t size, int flags)
{
	int err = check_set_args(name, size, flags);
	if (!err && f->kind == VFS_FILE_PATH)
		err = -EBADF;
	return err ? err : set_on(ctx, &f->path, name, value, size, flags);
}

ssize_t vfs_fgetxattr(const struct vfs_ctx *ctx, struct vfs_file *f, const char *name, void *value,
		      size_t size)
{
	int err = check_name(name);
	if (!err && f->kind == VFS_FILE_PATH)
		err = -EBADF;
	return err ? err : get_on(ctx, &f->path, name, value, size);
}

ssize_t vfs_flistxattr(const struct vfs_ctx *ctx, struct vfs_file *f, char *list, size_t size)
{
	return f->kind == VFS_FILE_PATH ? -EBADF : list_on(ctx, &f->path, list, size);
}

int vfs_fremovexattr(const struct vfs_ctx *ctx, struct vfs_file *f, const char *name)
{
	int err = check_name(name);
	if (!err && f->kind == VFS_FILE_PATH)
		err = -EBADF;
	return err ? err : remove_on(ctx, &f->path, name);
}
