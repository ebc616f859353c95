/* hostimg: a read-only view of the host paths a policy names.  Only the
 * sentry reads the host, from a descriptor of the host directory opened
 * beneath the image root without following any host symlink.  A lookup asks
 * the host for the one name (an lstat) until the directory is listed; a
 * listing (getdents, or a lookup after many misses) makes the other entries
 * from the directory's d_type alone, and from then on the view of the
 * directory stays as it was.  An entry's attributes (lstat, and a symlink's
 * target) are read when a lookup reaches it (an overlay above asks for them
 * the same way, one entry at a time), or for the whole directory when all
 * of it is compared (vfs_populate).
 * Host symlinks stay symlinks (resolved inside the VFS); sockets, fifos and
 * devices are absent.  Regular files are copied at first open into
 * read-only content files (datafs.c), shared between identical contents;
 * given a host view (a read-only, detached clone of the host's mounts),
 * they are instead opened read-only through it, beneath the root, and that
 * open is the contents: every change through it fails with EROFS, and the
 * pages stay the host page cache's. */
#define _GNU_SOURCE
#include "vfs_impl.h"

#include <dirent.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <xxhash.h>
const char *const vfs_hostimg_default_include[] = {
	"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", NULL,
};

/* Secrets that never enter a sandbox, even when their directory does. */
const char *const vfs_hostimg_default_exclude[] = {
	"/etc/shadow", "/etc/shadow-", "/etc/gshadow", "/etc/gshadow-",
	"/etc/sudoers", "/etc/sudoers.d", "/etc/sudoers.*",
	"/etc/ssh/ssh_host_*", "/etc/ssh/*_key", "/etc/ssl/private",
	"/etc/security/opasswd", "/etc/krb5.keytab", "/etc/*.keytab",
	"/etc/ipsec.secrets", "/etc/ipsec.d/private", "/etc/ppp/*-secrets",
	"/etc/NetworkManager/system-connections", "/etc/wpa_supplicant",
	"/etc/wireguard", "/etc/openvpn", "/etc/letsencrypt", "/etc/credstore",
	"/etc/credstore.encrypted", "/etc/docker", "/etc/containers/auth.json",
	"/etc/sssd", "/etc/libvirt", "/etc/.pwd.lock", "/etc/machine-id",
	"/etc/rancher", "/etc/kubernetes",
	NULL,
};

#define CONTENT_BUCKETS 256
#define DIR_FDS 16         /* host directories kept open */
#define DENTS_BUF 32768

/* Read-only contents (datafs), by size: only contents of the same size
 * can be the same, so a file is hashed when another of its size comes
 * along. */
struct content {
	XXH128_hash_t hash;
	bool hashed;
	int64_t size;
	int memfd;
	unsigned refs;
	struct content *next;
};

/* An exclusion pattern.  When it has neither a bracket expression nor an
 * escape, each of its '/' can only match a '/' (FNM_PATHNAME), so it matches
 * only entries of the directories its part before the last '/' matches,
 * and there the entry's name alone decides. */
struct pattern {
	const char *text;    /* the whole pattern (owned by img->exclude) */
	char *dir;           /* the part before the last '/'; NULL: test every path */
	const char *base;    /* the part after it */
	bool literal_dir;    /* no wildcard: strcmp does */
	bool literal_base;
};

/* A host directory kept open, by the inode number of its image directory. */
struct dir_fd {
	uint64_t ino;
	int fd;
	unsigned used; /* when last asked for: the least recent goes first */
};

struct hostimg {
	int root_fd;
	char *host_root; /* the host folder it shows, as given */
	bool direct;     /* root_fd is beneath a host view: files are not copied */
	char **include;  /* NULL: everything */
	char **exclude;
	struct pattern *patterns;
	size_t npatterns;
	bool walk;       /* no openat2: open directories one component at a time */
	struct dir_fd dir_fds[DIR_FDS];
	unsigned dir_fd_clock;
	struct content *contents[CONTENT_BUCKETS];
	struct vfs_hostimg_stats stats;
};

/* inode->priv of every image inode. */
struct hostnode {
	struct vfs_dentry *dentry;  /* borrowed: the tree owns it */
	struct content *content;    /* regular files, once loaded */
	int host_fd;                /* regular files, direct: the read-only open, or -1 */
	struct vfs_dentry *resume;  /* directories: the child after the last getdents record */
	bool listed;                /* directories: the entries were made */
	uint32_t misses;            /* directories: names the host lacked before a listing */
};

enum { HIDDEN, PARTIAL, FULL };

static struct vfs_hostimg_stats totals;

static bool under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);
	if (n == 1 && prefix[0] == '/')
		return true;
	return !strncmp(path, prefix, n) && (path[n] == 0 || path[n] == '/');
}

/* How a path shows by the include list alone. */
static int included(const struct hostimg *img, const char *path)
{
	if (!img->include)
		return FULL;
	for (char **i = img->include; *i; i++)
		if (under(path, *i))
			return FULL;
	for (char **i = img->include; *i; i++)
		if (under(*i, path))
			return PARTIAL;
	return HIDDEN;
}

static bool has_wildcard(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == '*' || s[i] == '?')
			return true;
	return false;
}

static int compile_patterns(struct hostimg *img)
{
	size_t n = 0;
	while (img->exclude && img->exclude[n])
		n++;
	img->npatterns = n;
	if (!n)
		return 0;
	img->patterns = calloc(n, sizeof(*img->patterns));
	if (!img->patterns)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct pattern *p = &img->patterns[i];
		const char *t = img->exclude[i];
		p->text = t;
		if (t[0] != '/' || strpbrk(t, "[\\"))
			continue;
		const char *slash = strrchr(t, '/');
		size_t dlen = slash == t ? 1 : (size_t)(slash - t);
		if (!(p->dir = strndup(t, dlen)))
			return -ENOMEM;
		p->base = slash + 1;
		p->literal_dir = !has_wildcard(p->dir, dlen);
		p->literal_base = !has_wildcard(p->base, strlen(p->base));
	}
	return 0;
}

/* What decides about the entries of one directory. */
struct scan {
	const char *path;               /* the directory's image path */
	size_t base;                    /* where an entry's name goes in `child` */
	int vis;                        /* the directory's own: FULL or PARTIAL */
	bool need_path;                 /* some test needs the entry's full path */
	size_t nactive;
	const struct pattern **active;  /* the patterns that can match an entry */
	char child[VFS_PATH_MAX];
};

static int scan_start(struct hostimg *img, struct scan *sc, const char *path)
{
	sc->path = path;
	size_t plen = strlen(path);
	sc->base = plen == 1 ? 0 : plen;
	memcpy(sc->child, path, sc->base);
	sc->child[sc->base] = '/';
	sc->vis = included(img, path) == FULL ? FULL : PARTIAL;
	sc->need_path = sc->vis == PARTIAL;
	sc->nactive = 0;
	sc->active = NULL;
	if (!img->npatterns)
		return 0;
	sc->active = malloc(img->npatterns * sizeof(*sc->active));
	if (!sc->active)
		return -ENOMEM;
	for (size_t i = 0; i < img->npatterns; i++) {
		const struct pattern *p = &img->patterns[i];
		if (p->dir && (p->literal_dir ? strcmp(p->dir, path) != 0
					      : fnmatch(p->dir, path, FNM_PATHNAME | FNM_PERIOD) != 0))
			continue;
		sc->active[sc->nactive++] = p;
		sc->need_path |= !p->dir;
	}
	return 0;
}

static int entry_visibility(const struct hostimg *img, struct scan *sc, const char *name, size_t len)
{
	if (sc->base + 1 + len >= sizeof(sc->child))
		return HIDDEN;
	if (sc->need_path)
		memcpy(sc->child + sc->base + 1, name, len + 1);
	for (size_t i = 0; i < sc->nactive; i++) {
		const struct pattern *p = sc->active[i];
		bool hit;
		if (!p->dir)
			hit = fnmatch(p->text, sc->child, FNM_PATHNAME | FNM_PERIOD) == 0 ||
			      !strcmp(p->text, sc->child);
		else if (p->literal_base)
			hit = !strcmp(p->base, name);
		else
			hit = fnmatch(p->base, name, FNM_PERIOD) == 0;
		if (hit)
			return HIDDEN;
	}
	return sc->vis == FULL ? FULL : included(img, sc->child);
}

static struct hostimg *img_of(struct vfs_sb *sb)
{
	return sb->priv;
}

/* "/a/b" for a dentry of the image. */
static int img_path(struct vfs_dentry *d, char *buf, size_t size)
{
	size_t pos = size - 1;
	buf[pos] = 0;
	for (; d->parent; d = d->parent) {
		if (pos < (size_t)d->len + 1)
			return -ENAMETOOLONG;
		pos -= d->len;
		memcpy(buf + pos, d->name, d->len);
		buf[--pos] = '/';
	}
	if (pos == size - 1)
		buf[--pos] = '/';
	memmove(buf, buf + pos, size - pos);
	return 0;
}

/* Opens an image directory beneath the root, never following a host
 * symlink. */
static int open_host_dir(struct hostimg *img, const char *path)
{
	const char *rel = path;
	while (*rel == '/')
		rel++;
	if (!img->walk) {
		struct open_how how = {
			.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
			.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS,
		};
		long fd = syscall(SYS_openat2, img->root_fd, *rel ? rel : ".", &how, sizeof(how));
		if (fd >= 0)
			return fd;
		if (errno != ENOSYS && errno != EPERM)
			return -errno;
		img->walk = true;
	}
	int fd = openat(img->root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	char comp[VFS_NAME_MAX + 1];
	const char *p = rel;
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		size_t len = strcspn(p, "/");
		if (len > VFS_NAME_MAX) {
			close(fd);
			return -ENAMETOOLONG;
		}
		memcpy(comp, p, len);
		comp[len] = 0;
		p += len;
		int next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		int err = -errno;
		close(fd);
		if (next < 0)
			return err;
		fd = next;
	}
	return fd;
}

/* The host directory behind an image directory, kept open in a small
 * cache (borrowed: do not close). The one asked for least recently makes
 * room: the folders near the root (/usr, /usr/lib) are asked for between
 * any two others, and a slot taken in turn would close them. */
static int host_dir_fd(struct hostimg *img, struct vfs_dentry *dir)
{
	uint64_t ino = dir->inode->ino;
	struct dir_fd *slot = &img->dir_fds[0];
	for (int i = 0; i < DIR_FDS; i++) {
		struct dir_fd *c = &img->dir_fds[i];
		if (c->fd >= 0 && c->ino == ino) {
			c->used = ++img->dir_fd_clock;
			return c->fd;
		}
		if (slot->fd >= 0 && (c->fd < 0 || c->used < slot->used))
			slot = c;
	}
	char path[VFS_PATH_MAX];
	int err = img_path(dir, path, sizeof(path));
	if (err)
		return err;
	int fd = open_host_dir(img, path);
	if (fd < 0)
		return fd;
	if (slot->fd >= 0)
		close(slot->fd);
	slot->ino = ino;
	slot->fd = fd;
	slot->used = ++img->dir_fd_clock;
	return fd;
}

/* The host directory is not (or no longer) there as one. */
static bool host_gone(int err)
{
	return err == -ENOENT || err == -ENOTDIR || err == -ELOOP;
}

static const struct vfs_inode_ops hostimg_dir_ops;
static const struct vfs_inode_ops hostimg_file_ops;
static const struct vfs_inode_ops hostimg_link_ops;

/* Takes away an entry the host no longer has as it was listed. */
static void drop_entry(struct vfs_dentry *d)
{
	struct vfs_dentry *parent = d->parent;
	struct hostnode *ph = parent->inode->priv;
	if (ph->resume == d)
		ph->resume = d->next;
	vfs_d_drop(d);
	parent->inode->nlink = 2 + parent->inode->dir->subdirs;
}

/* Reads the attributes (and a symlink's target) of an entry made from
 * d_type, from `known` when already at hand.  -ENOENT, and the entry goes
 * away, when the host has no entry of that type there any more. */
static int fill(struct hostimg *img, struct vfs_dentry *d, int dfd, const struct stat *known)
{
	struct vfs_inode *inode = d->inode;
	struct stat st;
	if (known) {
		st = *known;
	} else {
		if (dfd < 0 || fstatat(dfd, d->name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			goto gone;
		img->stats.attrs_read++;
	}
	if ((st.st_mode & S_IFMT) != (inode->mode & S_IFMT))
		goto gone;
	if (S_ISLNK(st.st_mode)) {
		char buf[VFS_PATH_MAX];
		ssize_t n = readlinkat(dfd, d->name, buf, sizeof(buf) - 1);
		if (n <= 0)
			goto gone;
		if (!(inode->link = malloc(n + 1)))
			return -ENOMEM;
		memcpy(inode->link, buf, n);
		inode->link[n] = 0;
		st.st_size = n;
	}
	vfs_inode_set_attrs(inode, &st);
	inode->flags &= ~I_STALE;
	return 0;
gone:
	drop_entry(d);
	return -ENOENT;
}

/* Makes an entry from its d_type; only an unknown type costs an lstat. */
static int add_entry(struct hostimg *img, struct vfs_dentry *dir, int dfd, const char *name,
		     unsigned char dtype, int vis)
{
	struct stat st;
	bool known = false;
	mode_t type;
	switch (dtype) {
	case DT_DIR:
		type = S_IFDIR;
		break;
	case DT_REG:
		type = S_IFREG;
		break;
	case DT_LNK:
		type = S_IFLNK;
		break;
	case DT_UNKNOWN:
		if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return 0;  /* gone meanwhile */
		img->stats.attrs_read++;
		known = true;
		type = st.st_mode & S_IFMT;
		break;
	default:
		return 0;  /* sockets, fifos, devices: absent */
	}
	const struct vfs_inode_ops *ops;
	if (type == S_IFDIR)
		ops = &hostimg_dir_ops;
	else if (vis == PARTIAL)
		return 0;  /* only directories lead to included paths */
	else if (type == S_IFREG)
		ops = &hostimg_file_ops;
	else if (type == S_IFLNK)
		ops = &hostimg_link_ops;
	else
		return 0;
	struct hostnode *hn = calloc(1, sizeof(*hn));
	if (!hn)
		return -ENOMEM;
	hn->host_fd = -1;
	struct vfs_inode *inode;
	int err = vfs_d_make(dir, name, type, ops, &inode);
	if (err) {
		free(hn);
		return err;
	}
	hn->dentry = dir->inode->dir->last;
	inode->flags |= I_STALE;
	inode->priv = hn;
	if (known && (err = fill(img, hn->dentry, dfd, &st)) == -ENOENT)
		err = 0;
	return err;
}

/* The child `name` among the first `before` children of dir: those it had
 * before a listing began, which adds its own at the end.  Few names are
 * looked up alone before a listing, and a walk along them costs less than
 * a hash lookup, whose misses are cache misses. */
static bool had_before(struct vfs_dentry *dir, uint32_t before, const char *name, size_t len)
{
	if (before > 8)
		return vfs_d_lookup(dir, name, len) != NULL;
	for (struct vfs_dentry *c = dir->inode->dir->first; before--; c = c->next)
		if (c->len == len && !memcmp(c->name, name, len))
			return true;
	return false;
}

/* Makes the entries of a directory from the host's, once. */
static int list_dir(struct vfs_dentry *dir)
{
	struct hostnode *hn = dir->inode->priv;
	if (hn->listed)
		return 0;
	struct hostimg *img = img_of(dir->inode->sb);
	char path[VFS_PATH_MAX];
	int err = img_path(dir, path, sizeof(path));
	if (err)
		return err;
	int fd = host_dir_fd(img, dir);
	if (fd < 0) {
		if (!host_gone(fd))
			return fd;
		hn->listed = true;
		return 0;
	}
	if (lseek(fd, 0, SEEK_SET) < 0)
		return -errno;
	struct scan *sc = malloc(sizeof(*sc) + DENTS_BUF);
	if (!sc)
		return -ENOMEM;
	char *buf = (char *)(sc + 1);
	if ((err = scan_start(img, sc, path))) {
		free(sc);
		return err;
	}
	img->stats.dirs_read++;
	hn->listed = true;
	uint32_t before = dir->inode->dir->count;
	bool first_read = true;
	while (!err) {
		ssize_t n = getdents64(fd, buf, DENTS_BUF);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err = -errno;
		if (n <= 0)
			break;
		/* one getdents holds the directory's lock: its names are unique;
		 * a rename on the host between two may show a name twice */
		if (!first_read)
			before = dir->inode->dir->count;
		first_read = false;
		for (ssize_t off = 0; off < n && !err;) {
			struct dirent64 *e = (void *)(buf + off);
			off += e->d_reclen;
			const char *name = e->d_name;
			if (name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2])))
				continue;
			size_t len = strlen(name);
			if (before && had_before(dir, before, name, len))
				continue;  /* looked up alone, or read before */
			int vis = entry_visibility(img, sc, name, len);
			if (vis != HIDDEN)
				err = add_entry(img, dir, fd, name, e->d_type, vis);
		}
	}
	free(sc->active);
	free(sc);
	dir->inode->nlink = 2 + dir->inode->dir->subdirs;
	return err;
}

/* Every entry with its attributes: for the readers of a whole directory
 * (the comparison of a workspace with its host directory). */
static int hostimg_populate(struct vfs_dentry *dir)
{
	int err = list_dir(dir);
	if (err)
		return err;
	struct hostimg *img = img_of(dir->inode->sb);
	int dfd = -1;
	bool opened = false;
	for (struct vfs_dentry *c = dir->inode->dir->first, *next; c; c = next) {
		next = c->next;
		if (!(c->inode->flags & I_STALE))
			continue;
		if (!opened) {
			opened = true;
			dfd = host_dir_fd(img, dir);
			if (dfd < 0 && !host_gone(dfd))
				return dfd;
		}
		err = fill(img, c, dfd, NULL);
		if (err && err != -ENOENT)
			return err;
	}
	return 0;
}

/* Makes the entry of one name from the host's lstat of it, as a listing
 * would have (nothing when the host or the policy has no such entry). */
static int lookup_one(struct hostimg *img, struct vfs_dentry *dir, const char *name, size_t len)
{
	char cname[VFS_NAME_MAX + 1];
	if (len > VFS_NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(cname, name, len);
	cname[len] = 0;
	char path[VFS_PATH_MAX];
	int err = img_path(dir, path, sizeof(path));
	if (err)
		return err;
	struct scan *sc = malloc(sizeof(*sc));
	if (!sc)
		return -ENOMEM;
	int vis = HIDDEN;
	if (!(err = scan_start(img, sc, path))) {
		vis = entry_visibility(img, sc, cname, len);
		free(sc->active);
	}
	free(sc);
	if (err || vis == HIDDEN)
		return err;
	int dfd = host_dir_fd(img, dir);
	if (dfd < 0)
		return host_gone(dfd) ? 0 : dfd;
	return add_entry(img, dir, dfd, cname, DT_UNKNOWN, vis);
}

/* Misses in a directory not listed yet before it is listed once, which
 * answers every later miss without asking the host. */
#define LOOKUP_MISSES 32

/* A path walk: the host is asked for the one name (one lstat), as long as
 * the directory is not listed; only the entry looked up gets its
 * attributes. */
static int hostimg_lookup(const struct vfs_ctx *ctx, struct vfs_dentry *dir, const char *name,
			  size_t len, struct vfs_dentry **out)
{
	(void)ctx;
	struct hostnode *hn = dir->inode->priv;
	struct vfs_dentry *d = vfs_d_lookup(dir, name, len);
	int err = 0;
	if (!d && !hn->listed) {
		if (hn->misses < LOOKUP_MISSES)
			err = lookup_one(img_of(dir->inode->sb), dir, name, len);
		else
			err = list_dir(dir);
		if (err)
			return err;
		if (!(d = vfs_d_lookup(dir, name, len)))
			hn->misses++;
	}
	if (!d)
		return -ENOENT;
	if (d->inode->flags & I_STALE) {
		struct hostimg *img = img_of(dir->inode->sb);
		int dfd = host_dir_fd(img, dir);
		if (dfd < 0 && !host_gone(dfd))
			return dfd;
		if ((err = fill(img, d, dfd, NULL)))
			return err;
	}
	*out = d;
	return 0;
}

/* getdents: names, types and inode numbers, which d_type gave. */
static int hostimg_iterate(const struct vfs_ctx *ctx, struct vfs_dentry *dir, struct vfs_dir_iter *it)
{
	(void)ctx;
	int err = list_dir(dir);
	if (err)
		return err;
	struct vfs_inode *inode = dir->inode;
	struct hostnode *hn = inode->priv;
	if (!vfs_dir_emit_dots(dir, it))
		return 0;
	/* the first child at or after it->pos, where the last call stopped
	 * when reading on */
	struct vfs_dentry *c = hn->resume;
	if (!c || c->pos < it->pos || (c->prev && c->prev->pos >= it->pos)) {
		struct vfs_dentry *last = inode->dir->last;
		c = last && last->pos >= it->pos ? inode->dir->first : NULL;
		while (c && c->pos < it->pos)
			c = c->next;
	}
	for (; c && c->pos < it->end; c = c->next)
		if (!vfs_dir_emit(it, c->name, c->len, c->inode->ino, vfs_dtype(c->inode->mode), c->pos + 1))
			break;
	hn->resume = c;
	return 0;
}

static struct content **bucket(struct hostimg *img, int64_t size)
{
	return &img->contents[(uint64_t)size % CONTENT_BUCKETS];
}

/* The content hash of the first `size` bytes of a content file. */
static int hash_memfd(int fd, int64_t size, XXH128_hash_t *out)
{
	char buf[16384];
	if (size <= (int64_t)sizeof(buf)) {
		ssize_t n = pread(fd, buf, size, 0);
		if (n != size)
			return n < 0 ? -errno : -EIO;
		*out = XXH3_128bits(buf, size);
		return 0;
	}
	void *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	if (map == MAP_FAILED)
		return -errno;
	*out = XXH3_128bits(map, size);
	munmap(map, size);
	return 0;
}

/* An earlier content identical to the file's (same size, same hash). */
static int find_same(struct hostimg *img, int mfd, int64_t size, struct content **out)
{
	*out = NULL;
	XXH128_hash_t h;
	bool hashed = false;
	for (struct content *c = *bucket(img, size); c; c = c->next) {
		if (c->size != size)
			continue;
		if (!hashed) {
			int err = hash_memfd(mfd, size, &h);
			if (err)
				return err;
			hashed = true;
		}
		if (!c->hashed && hash_memfd(c->memfd, size, &c->hash) == 0)
			c->hashed = true;
		if (c->hashed && XXH128_isEqual(c->hash, h)) {
			*out = c;
			return 0;
		}
	}
	return 0;
}

/* Through a buffer, for files the kernel cannot splice from. */
static int copy_rw(int from, int to, int64_t *copied)
{
	char buf[65536];
	int64_t total = 0;
	for (;;) {
		ssize_t n = read(from, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(to, buf + off, n - off);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return -errno;
			off += w;
		}
		total += n;
	}
	*copied = total;
	return 0;
}

/* Copies a host file into a content file inside the kernel. */
static int copy_in(int from, int to, int64_t *copied)
{
	int64_t total = 0;
	for (;;) {
		ssize_t n = sendfile(to, from, NULL, 0x7ffff000);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && total == 0 && (errno == EINVAL || errno == ENOSYS))
			return copy_rw(from, to, copied);
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		total += n;
	}
	*copied = total;
	return 0;
}

/* Copies the host file into a read-only content file (datafs), or finds an
 * identical one. */
static int load_file(struct hostimg *img, struct hostnode *hn, struct vfs_inode *inode)
{
	struct vfs_dentry *d = hn->dentry;
	int dfd = host_dir_fd(img, d->parent);
	if (dfd < 0)
		return dfd;
	int fd = openat(dfd, d->name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return errno == ELOOP ? -ENOENT : -errno;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -ENXIO;  /* replaced on the host by something else */
	}
	int wfd;
	int mfd = vfs_data_image_new(&wfd);
	if (mfd < 0) {
		close(fd);
		return mfd;
	}
	/* sized first, the file gets huge pages wherever its size covers
	 * one (the store's huge=within_size): a faster copy, fewer faults */
	if (st.st_size > 0 && ftruncate(wfd, st.st_size) < 0)
		st.st_size = 0;
	int64_t size = 0;
	int err = copy_in(fd, wfd, &size);
	close(fd);
	if (!err && size != st.st_size && ftruncate(wfd, size) < 0)
		err = -errno;  /* the host file changed size meanwhile */
	if (!err)
		err = vfs_data_image_done(mfd, wfd);
	else if (wfd != mfd)
		close(wfd);
	struct content *c = NULL;
	if (!err)
		err = find_same(img, mfd, size, &c);
	if (err) {
		close(mfd);
		return err;
	}
	if (c) {
		close(mfd);
		c->refs++;
		hn->content = c;
		img->stats.files_shared++;
		inode->size = size;
		return 0;
	}
	if (!(c = calloc(1, sizeof(*c)))) {
		close(mfd);
		return -ENOMEM;
	}
	c->size = size;
	c->memfd = mfd;
	c->refs = 1;
	c->next = *bucket(img, size);
	*bucket(img, size) = c;
	hn->content = c;
	img->stats.files_loaded++;
	img->stats.bytes_loaded += (uint64_t)size;
	totals.files_loaded++;
	totals.bytes_loaded += (uint64_t)size;
	inode->size = size;
	return 0;
}

/* Opens the host file read-only through the host view, beneath its
 * directory, never through a symlink or a magic link. */
static int open_direct(struct hostimg *img, struct hostnode *hn, struct vfs_inode *inode)
{
	struct vfs_dentry *d = hn->dentry;
	int dfd = host_dir_fd(img, d->parent);
	if (dfd < 0)
		return dfd;
	struct open_how how = {
		.flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	long fd = syscall(SYS_openat2, dfd, d->name, &how, sizeof(how));
	if (fd < 0 && (errno == ENOSYS || errno == EPERM))
		fd = openat(dfd, d->name, (int)how.flags);
	if (fd < 0)
		return errno == ELOOP ? -ENOENT : -errno;
	struct stat st;
	if (fstat((int)fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close((int)fd);
		return -ENXIO;  /* replaced on the host by something else */
	}
	hn->host_fd = (int)fd;
	inode->size = st.st_size;
	inode->flags |= I_HOST_VIEW;
	img->stats.files_direct++;
	totals.files_direct++;
	return 0;
}

static int hostimg_lower_memfd(struct vfs_inode *inode)
{
	struct hostnode *hn = inode->priv;
	if (!hn)
		return -EIO;
	struct hostimg *img = img_of(inode->sb);
	if (img->direct) {
		int err = hn->host_fd < 0 ? open_direct(img, hn, inode) : 0;
		return err ? err : hn->host_fd;
	}
	if (!hn->content) {
		int err = load_file(img_of(inode->sb), hn, inode);
		if (err)
			return err;
	}
	return hn->content->memfd;
}

static void content_put(struct hostimg *img, struct content *c)
{
	if (--c->refs)
		return;
	for (struct content **pp = bucket(img, c->size); *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	close(c->memfd);
	free(c);
}

static void hostimg_release(struct vfs_inode *inode)
{
	struct hostnode *hn = inode->priv;
	if (!hn)
		return;
	if (hn->content)
		content_put(img_of(inode->sb), hn->content);
	if (hn->host_fd >= 0)
		close(hn->host_fd);
	free(hn);
	inode->priv = NULL;
}

static const struct vfs_inode_ops hostimg_dir_ops = {
	.populate = hostimg_populate,
	.list = list_dir,
	.lookup = hostimg_lookup,
	.iterate = hostimg_iterate,
	.release = hostimg_release,
};

static const struct vfs_inode_ops hostimg_file_ops = {
	.lower_memfd = hostimg_lower_memfd,
	.release = hostimg_release,
};

static const struct vfs_inode_ops hostimg_link_ops = {
	.release = hostimg_release,
};

static void free_list(char **list)
{
	for (char **p = list; p && *p; p++)
		free(*p);
	free(list);
}

static void free_img(struct hostimg *img)
{
	if (img->root_fd >= 0)
		close(img->root_fd);
	for (int i = 0; i < DIR_FDS; i++)
		if (img->dir_fds[i].fd >= 0)
			close(img->dir_fds[i].fd);
	for (size_t i = 0; img->patterns && i < img->npatterns; i++)
		free(img->patterns[i].dir);
	free(img->patterns);
	free_list(img->include);
	free_list(img->exclude);
	free(img->host_root);
}

static void hostimg_destroy(struct vfs_sb *sb)
{
	struct hostimg *img = img_of(sb);
	free_img(img);
	for (int i = 0; i < CONTENT_BUCKETS; i++) {
		while (img->contents[i]) {
			struct content *c = img->contents[i];
			img->contents[i] = c->next;
			close(c->memfd);
			free(c);
		}
	}
	free(img);
}

static const struct vfs_sb_ops hostimg_sb_ops = {
	.name = "hostimg",
	.magic = 0x53454e54,  /* "SENT" */
	.destroy = hostimg_destroy,
};

/* The host root as the view shows it: the view is a clone of the host's
 * "/", so the root's absolute path is looked up beneath it. */
static int open_beneath_view(int view, const char *root)
{
	while (*root == '/')
		root++;
	struct open_how how = {
		.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};
	long fd = syscall(SYS_openat2, view, *root ? root : ".", &how, sizeof(how));
	return fd < 0 ? -errno : (int)fd;
}

static int copy_list(const char *const *src, char ***out)
{
	*out = NULL;
	if (!src)
		return 0;
	size_t n = 0;
	while (src[n])
		n++;
	char **l = calloc(n + 1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(src[i]);
		if (!(l[i] = strdup(src[i]))) {
			free_list(l);
			return -ENOMEM;
		}
		while (len > 1 && l[i][len - 1] == '/')  /* "/usr/" names "/usr" */
			l[i][--len] = 0;
	}
	*out = l;
	return 0;
}

int vfs_hostimg_new(struct vfs *vfs, const struct vfs_hostimg_policy *policy, struct vfs_sb **out)
{
	static const struct vfs_hostimg_policy defaults = {
		.host_root = "/",
		.include = vfs_hostimg_default_include,
		.exclude = vfs_hostimg_default_exclude,
	};
	if (!policy)
		policy = &defaults;
	const char *root = policy->host_root ? policy->host_root : "/";
	struct hostimg *img = calloc(1, sizeof(*img));
	if (!img)
		return -ENOMEM;
	for (int i = 0; i < DIR_FDS; i++)
		img->dir_fds[i].fd = -1;
	struct hostnode *root_node = calloc(1, sizeof(*root_node));
	if (root_node)
		root_node->host_fd = -1;
	/* Only the host's own root is opened in place: the kernel names a
	 * file of the view (/proc/<pid>/maps) by its path from the view's
	 * root, which is the path inside only when host_root is "/". Other
	 * roots are opened as without a view: their files are copied. */
	img->root_fd = policy->host_view > 0 && strcmp(root, "/") == 0 ? open_beneath_view(policy->host_view, root) : -1;
	img->direct = img->root_fd >= 0;
	if (!img->direct)
		img->root_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int err = img->root_fd < 0 ? -errno : root_node ? 0 : -ENOMEM;
	if (!err && !(img->host_root = strdup(root)))
		err = -ENOMEM;
	if (!err)
		err = copy_list(policy->include, &img->include);
	if (!err)
		err = copy_list(policy->exclude, &img->exclude);
	if (!err)
		err = compile_patterns(img);
	struct stat st;
	if (!err && fstat(img->root_fd, &st) < 0)
		err = -errno;
	if (!err)
		err = vfs_sb_new(vfs, &hostimg_sb_ops, SB_RDONLY, S_IFDIR | 0755, &hostimg_dir_ops, out);
	if (err) {
		free_img(img);
		free(img);
		free(root_node);
		return err;
	}
	(*out)->priv = img;
	struct vfs_inode *ri = (*out)->root->inode;
	vfs_inode_set_attrs(ri, &st);
	root_node->dentry = (*out)->root;
	ri->priv = root_node;
	return 0;
}

void vfs_hostimg_stats(struct vfs_sb *sb, struct vfs_hostimg_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (sb && sb->ops == &hostimg_sb_ops)
		*out = img_of(sb)->stats;
}

void vfs_hostimg_totals(struct vfs_hostimg_stats *out)
{
	*out = totals;
}

bool vfs_is_hostimg(const struct vfs_sb *sb)
{
	return sb->ops == &hostimg_sb_ops;
}

int vfs_hostimg_host_path(struct vfs_dentry *d, char *buf, size_t size)
{
	if (!vfs_is_hostimg(d->inode->sb))
		return -EINVAL;
	char inside[PATH_MAX];
	int err = img_path(d, inside, sizeof(inside));
	if (err)
		return err;
	const char *root = img_of(d->inode->sb)->host_root;
	bool slash_root = strcmp(root, "/") == 0;
	int n = snprintf(buf, size, "%s%s", slash_root ? "" : root, strcmp(inside, "/") == 0 && !slash_root ? "" : inside);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}
