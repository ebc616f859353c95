/* hostimg: a read-only view of the host paths a policy names.  Only the
 * sentry reads the host, one directory at a time, walking with
 * openat(O_NOFOLLOW|O_DIRECTORY) from the image root.  Host symlinks stay
 * symlinks (resolved inside the VFS); sockets, fifos and devices are absent.
 * Regular files are copied into memfds at first open, shared between
 * identical contents and sealed. */
#define _GNU_SOURCE
#include "vfs_impl.h"

#include <dirent.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
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

struct content {
	XXH128_hash_t hash;
	int64_t size;
	int memfd;
	unsigned refs;
	struct content *next;
};

struct hostimg {
	int root_fd;
	char **include;  /* NULL: everything */
	char **exclude;
	struct content *contents[CONTENT_BUCKETS];
	struct vfs_hostimg_stats stats;
};

/* Per regular file: where it is and, once loaded, its contents. */
struct hostfile {
	struct vfs_dentry *dentry;  /* borrowed: the tree owns it */
	struct content *content;
};

enum { HIDDEN, PARTIAL, FULL };

static bool under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);
	if (n == 1 && prefix[0] == '/')
		return true;
	return !strncmp(path, prefix, n) && (path[n] == 0 || path[n] == '/');
}

static int visibility(const struct hostimg *img, const char *path)
{
	for (char **e = img->exclude; e && *e; e++)
		if (fnmatch(*e, path, FNM_PATHNAME | FNM_PERIOD) == 0 || !strcmp(*e, path))
			return HIDDEN;
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

/* Opens an image directory by walking from the root, never following a
 * host symlink. */
static int open_host_dir(struct hostimg *img, const char *path)
{
	int fd = openat(img->root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	char comp[VFS_NAME_MAX + 1];
	const char *p = path;
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

static const struct vfs_inode_ops hostimg_dir_ops;
static const struct vfs_inode_ops hostimg_file_ops;

static void set_attrs(struct vfs_inode *inode, const struct stat *st)
{
	inode->mode = st->st_mode;
	inode->uid = st->st_uid;
	inode->gid = st->st_gid;
	inode->atime = st->st_atim;
	inode->mtime = st->st_mtim;
	inode->ctime = st->st_ctim;
	if (!S_ISDIR(st->st_mode)) {
		inode->size = st->st_size;
		inode->nlink = st->st_nlink;
		inode->blocks = st->st_blocks;
	}
}

static int add_entry(struct vfs_dentry *dir, int dfd, const char *name, int vis)
{
	struct stat st;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;  /* gone meanwhile */
	const struct vfs_inode_ops *ops;
	if (S_ISDIR(st.st_mode))
		ops = &hostimg_dir_ops;
	else if (vis == PARTIAL)
		return 0;  /* only directories lead to included paths */
	else if (S_ISREG(st.st_mode))
		ops = &hostimg_file_ops;
	else if (S_ISLNK(st.st_mode))
		ops = NULL;
	else
		return 0;  /* sockets, fifos, devices: absent */
	char *target = NULL;
	struct hostfile *hf = NULL;
	if (S_ISLNK(st.st_mode)) {
		char buf[VFS_PATH_MAX];
		ssize_t n = readlinkat(dfd, name, buf, sizeof(buf) - 1);
		if (n <= 0)
			return 0;
		buf[n] = 0;
		if (!(target = strdup(buf)))
			return -ENOMEM;
		st.st_size = n;
	} else if (S_ISREG(st.st_mode) && !(hf = calloc(1, sizeof(*hf)))) {
		return -ENOMEM;
	}
	struct vfs_inode *inode;
	int err = vfs_d_make(dir, name, st.st_mode & S_IFMT, ops, &inode);
	if (err) {
		free(target);
		free(hf);
		return err;
	}
	set_attrs(inode, &st);
	if (target)
		inode->link = target;
	if (hf) {
		hf->dentry = vfs_d_lookup(dir, name, strlen(name));
		inode->priv = hf;
	}
	return 0;
}

static int hostimg_populate(struct vfs_dentry *dir)
{
	struct hostimg *img = img_of(dir->inode->sb);
	char path[VFS_PATH_MAX];
	int err = img_path(dir, path, sizeof(path));
	if (err)
		return err;
	int fd = open_host_dir(img, path);
	if (fd < 0)
		return fd == -ENOENT || fd == -ENOTDIR || fd == -ELOOP ? 0 : fd;
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -errno;
	}
	img->stats.dirs_read++;
	size_t plen = strlen(path);
	struct dirent *e;
	while (!err && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char child[VFS_PATH_MAX];
		size_t base = plen == 1 ? 0 : plen, nlen = strlen(e->d_name);
		if (base + 1 + nlen >= sizeof(child))
			continue;
		memcpy(child, path, base);
		child[base] = '/';
		memcpy(child + base + 1, e->d_name, nlen + 1);
		int vis = visibility(img, child);
		if (vis != HIDDEN)
			err = add_entry(dir, dirfd(d), e->d_name, vis);
	}
	closedir(d);
	dir->inode->nlink = 2 + dir->inode->dir->subdirs;
	return err;
}

static struct content **bucket(struct hostimg *img, XXH128_hash_t h)
{
	return &img->contents[h.low64 % CONTENT_BUCKETS];
}

/* Copies the host file into a memfd, or finds an identical one. */
static int load_file(struct hostimg *img, struct hostfile *hf, struct vfs_inode *inode)
{
	char path[VFS_PATH_MAX];
	int err = img_path(hf->dentry->parent, path, sizeof(path));
	if (err)
		return err;
	int dfd = open_host_dir(img, path);
	if (dfd < 0)
		return dfd;
	int fd = openat(dfd, hf->dentry->name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	err = -errno;
	close(dfd);
	if (fd < 0)
		return err == -ELOOP ? -ENOENT : err;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -ENXIO;  /* replaced on the host by something else */
	}
	err = 0;
	int mfd = vfs_memfd_new("sentry-image");
	if (mfd < 0) {
		close(fd);
		return mfd;
	}
	XXH3_state_t *state = XXH3_createState();
	if (!state) {
		close(fd);
		close(mfd);
		return -ENOMEM;
	}
	XXH3_128bits_reset(state);
	char buf[65536];
	int64_t size = 0;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		if (n == 0) {
			err = 0;
			break;
		}
		XXH3_128bits_update(state, buf, n);
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(mfd, buf + off, n - off);
			if (w < 0) {
				err = -errno;
				break;
			}
			off += w;
		}
		if (err)
			break;
		size += n;
	}
	XXH128_hash_t h = XXH3_128bits_digest(state);
	XXH3_freeState(state);
	close(fd);
	if (err) {
		close(mfd);
		return err;
	}
	for (struct content *c = *bucket(img, h); c; c = c->next) {
		if (XXH128_isEqual(c->hash, h) && c->size == size) {
			close(mfd);
			c->refs++;
			hf->content = c;
			img->stats.files_shared++;
			inode->size = size;
			return 0;
		}
	}
	if (fcntl(mfd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0) {
		err = -errno;
		close(mfd);
		return err;
	}
	struct content *c = calloc(1, sizeof(*c));
	if (!c) {
		close(mfd);
		return -ENOMEM;
	}
	c->hash = h;
	c->size = size;
	c->memfd = mfd;
	c->refs = 1;
	c->next = *bucket(img, h);
	*bucket(img, h) = c;
	hf->content = c;
	img->stats.files_loaded++;
	inode->size = size;
	return 0;
}

static int hostimg_lower_memfd(struct vfs_inode *inode)
{
	struct hostfile *hf = inode->priv;
	if (!hf)
		return -EIO;
	if (!hf->content) {
		int err = load_file(img_of(inode->sb), hf, inode);
		if (err)
			return err;
	}
	return hf->content->memfd;
}

static void content_put(struct hostimg *img, struct content *c)
{
	if (--c->refs)
		return;
	for (struct content **pp = bucket(img, c->hash); *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	close(c->memfd);
	free(c);
}

static void hostimg_file_release(struct vfs_inode *inode)
{
	struct hostfile *hf = inode->priv;
	if (!hf)
		return;
	if (hf->content)
		content_put(img_of(inode->sb), hf->content);
	free(hf);
}

static const struct vfs_inode_ops hostimg_dir_ops = {
	.populate = hostimg_populate,
};

static const struct vfs_inode_ops hostimg_file_ops = {
	.lower_memfd = hostimg_lower_memfd,
	.release = hostimg_file_release,
};

static void free_list(char **list)
{
	for (char **p = list; p && *p; p++)
		free(*p);
	free(list);
}

static void hostimg_destroy(struct vfs_sb *sb)
{
	struct hostimg *img = img_of(sb);
	close(img->root_fd);
	free_list(img->include);
	free_list(img->exclude);
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
	img->root_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int err = img->root_fd < 0 ? -errno : 0;
	if (!err)
		err = copy_list(policy->include, &img->include);
	if (!err)
		err = copy_list(policy->exclude, &img->exclude);
	struct stat st;
	if (!err && fstat(img->root_fd, &st) < 0)
		err = -errno;
	if (!err)
		err = vfs_sb_new(vfs, &hostimg_sb_ops, SB_RDONLY, S_IFDIR | 0755, &hostimg_dir_ops, out);
	if (err) {
		if (img->root_fd >= 0)
			close(img->root_fd);
		free_list(img->include);
		free_list(img->exclude);
		free(img);
		return err;
	}
	(*out)->priv = img;
	set_attrs((*out)->root->inode, &st);
	return 0;
}

void vfs_hostimg_stats(struct vfs_sb *sb, struct vfs_hostimg_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (sb && sb->ops == &hostimg_sb_ops)
		*out = img_of(sb)->stats;
}

bool vfs_is_hostimg(const struct vfs_sb *sb)
{
	return sb->ops == &hostimg_sb_ops;
}
