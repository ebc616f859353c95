/* hostimg and overlay against a small host tree the test builds, and a
 * smoke test over the real default image. */
#define _GNU_SOURCE
#include "twin.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/xattr.h>
#include <unistd.h>

static bool fnmatch_ok(const char *pattern, const char *path)
{
	return fnmatch(pattern, path, FNM_PATHNAME) == 0;
}

struct img {
	char host[64];
	struct vfs *vfs;
	struct vfs_sb *sb;
	struct vfs_ctx ctx;
};

static void put_file(const char *dir, const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	cr_assert(f, "%s", path);
	fputs(text, f);
	fclose(f);
}

static void host_tree(struct img *m)
{
	strcpy(m->host, "/dev/shm/vfs-img-XXXXXX");
	cr_assert(mkdtemp(m->host));
	char p[256];
	put_file(m->host, "a.txt", "same contents\n");
	put_file(m->host, "b.txt", "same contents\n");
	put_file(m->host, "c.txt", "other\n");
	put_file(m->host, "secret.key", "hunter2\n");
	snprintf(p, sizeof(p), "%s/sub", m->host);
	mkdir(p, 0755);
	put_file(p, "inner.txt", "inner\n");
	snprintf(p, sizeof(p), "%s/sub/deeper", m->host);
	mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/out", m->host);
	symlink("/etc/hostname", p);
	snprintf(p, sizeof(p), "%s/rel", m->host);
	symlink("sub/../a.txt", p);
	snprintf(p, sizeof(p), "%s/subl", m->host);
	symlink("sub", p);
	snprintf(p, sizeof(p), "%s/fifo", m->host);
	mkfifo(p, 0644);
	snprintf(p, sizeof(p), "%s/sock", m->host);
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%.100s", p);
	cr_assert_eq(bind(s, (void *)&sa, sizeof(sa)), 0);
	close(s);
}

static void host_cleanup(struct img *m)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", m->host);
	cr_assert_eq(system(cmd), 0);
}

static const char *const no_secrets[] = {"/secret.*", NULL};

/* overlay: mount an overlay of the image instead of the bare image */
static void open_img(struct img *m, const char *const *include, bool overlay)
{
	struct vfs_hostimg_policy pol = {.host_root = m->host, .include = include, .exclude = no_secrets};
	m->vfs = vfs_create(NULL);
	cr_assert_eq(vfs_hostimg_new(m->vfs, &pol, &m->sb), 0);
	struct vfs_sb *top = m->sb;
	if (overlay) {
		cr_assert_eq(vfs_overlay_new(m->vfs, m->sb, &top), 0);
		vfs_sb_put(m->sb);
	}
	memset(&m->ctx, 0, sizeof(m->ctx));
	m->ctx.vfs = m->vfs;
	cr_assert_eq(vfs_mount_root(m->vfs, top, 0, &m->ctx.root), 0);
	vfs_sb_put(top);
	m->ctx.cwd = m->ctx.root;
	vfs_path_get(&m->ctx.cwd);
	m->ctx.umask = 022;
}

static void close_img(struct img *m)
{
	vfs_path_put(&m->ctx.root);
	vfs_path_put(&m->ctx.cwd);
	vfs_destroy(m->vfs);
	host_cleanup(m);
}

static long st_of(struct img *m, const char *path, int flags, struct stat *st)
{
	struct stat tmp;
	return vfs_fstatat(&m->ctx, NULL, path, st ? st : &tmp, flags);
}

static void read_all(struct img *m, const char *path, char *buf, size_t size)
{
	struct vfs_file *f;
	cr_assert_eq(vfs_openat(&m->ctx, NULL, path, O_RDONLY, 0, &f), 0, "%s", path);
	ssize_t n = vfs_file_pread(f, buf, size - 1, 0);
	cr_assert(n >= 0);
	buf[n] = 0;
	vfs_file_put(f);
}

Test(hostimg, lazy_directory_reads)
{
	struct img m;
	host_tree(&m);
	open_img(&m, NULL, false);
	struct vfs_hostimg_stats s;
	vfs_hostimg_stats(m.sb, &s);
	cr_assert_eq(s.dirs_read, 0);
	/* a lookup asks the host for the one name: no directory is read */
	cr_assert_eq(st_of(&m, "/a.txt", 0, NULL), 0);
	cr_assert_eq(st_of(&m, "/sub/inner.txt", 0, NULL), 0);
	vfs_hostimg_stats(m.sb, &s);
	cr_assert_eq(s.dirs_read, 0);
	cr_assert_eq(s.attrs_read, 3);
	/* sub was not listed yet: a file added now still shows */
	put_file(m.host, "sub/late.txt", "late");
	cr_assert_eq(st_of(&m, "/sub/late.txt", 0, NULL), 0);
	struct vfs_file *d;
	char buf[4096];
	cr_assert_eq(vfs_openat(&m.ctx, NULL, "/sub", O_RDONLY | O_DIRECTORY, 0, &d), 0);
	ssize_t n = vfs_getdents64(&m.ctx, d, buf, sizeof(buf));
	vfs_file_put(d);
	int seen = 0;
	for (ssize_t off = 0; off < n;) {
		struct dirent64 *e = (void *)(buf + off);
		seen += !strcmp(e->d_name, "late.txt") || !strcmp(e->d_name, "inner.txt");
		off += e->d_reclen;
	}
	cr_assert_eq(seen, 2);
	vfs_hostimg_stats(m.sb, &s);
	cr_assert_eq(s.dirs_read, 1);
	/* ...and once listed, the view stays as it was */
	put_file(m.host, "sub/later.txt", "later");
	cr_assert_eq(st_of(&m, "/sub/later.txt", 0, NULL), -ENOENT);
	/* many names the host lacks: the directory is listed once, which
	 * answers the later ones */
	char name[32];
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "/none%d", i);
		cr_assert_eq(st_of(&m, name, 0, NULL), -ENOENT);
	}
	vfs_hostimg_stats(m.sb, &s);
	cr_assert_eq(s.dirs_read, 2);
	cr_assert_eq(st_of(&m, "/c.txt", 0, NULL), 0);
	cr_assert_eq(s.files_loaded, 0);
	close_img(&m);
}

/* Every record of a directory listing, read with a buffer of `size`. */
struct listing {
	int n;
	char names[32][256];
	unsigned char types[32];
	ino_t inos[32];
};

static void list_dir(struct img *m, const char *path, size_t size, struct listing *l)
{
	struct vfs_file *d;
	cr_assert_eq(vfs_openat(&m->ctx, NULL, path, O_RDONLY | O_DIRECTORY, 0, &d), 0, "%s", path);
	char buf[4096];
	cr_assert(size <= sizeof(buf));
	memset(l, 0, sizeof(*l));
	for (;;) {
		ssize_t n = vfs_getdents64(&m->ctx, d, buf, size);
		cr_assert(n >= 0, "getdents64 %zd", n);
		if (n == 0)
			break;
		for (ssize_t off = 0; off < n;) {
			struct dirent64 *e = (void *)(buf + off);
			cr_assert(l->n < 32);
			snprintf(l->names[l->n], sizeof(l->names[0]), "%s", e->d_name);
			l->types[l->n] = e->d_type;
			l->inos[l->n] = e->d_ino;
			l->n++;
			off += e->d_reclen;
		}
	}
	vfs_file_put(d);
}

static int find_name(const struct listing *l, const char *name)
{
	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->names[i], name))
			return i;
	return -1;
}

Test(hostimg, listing_reads_no_attributes)
{
	struct img m;
	host_tree(&m);
	open_img(&m, NULL, false);
	struct listing l;
	list_dir(&m, "/", 4096, &l);
	struct vfs_hostimg_stats s;
	vfs_hostimg_stats(m.sb, &s);
	cr_assert_eq(s.dirs_read, 1);
	cr_assert_eq(s.attrs_read, 0, "a listing read %llu attributes", (unsigned long long)s.attrs_read);
	/* the types come from the host's d_type; special files stay out */
	int a = find_name(&l, "a.txt"), sub = find_name(&l, "sub"), out = find_name(&l, "out");
	cr_assert(a >= 0 && sub >= 0 && out >= 0);
	cr_assert_eq(l.types[a], DT_REG);
	cr_assert_eq(l.types[sub], DT_DIR);
	cr_assert_eq(l.types[out], DT_LNK);
	cr_assert_lt(find_name(&l, "fifo"), 0);
	cr_assert_lt(find_name(&l, "sock"), 0);
	cr_assert_lt(find_name(&l, "secret.key"), 0);
	/* a lookup reads the attributes of that entry alone, and st_ino is
	 * the d_ino the listing gave */
	struct stat st;
	cr_assert_eq(st_of(&m, "/a.txt", 0, &st), 0);
	cr_assert_eq(st.st_ino, l.inos[a]);
	cr_assert_eq(st.st_size, 14);
	vfs_hostimg_stats(m.sb, &s);
	cr_assert_eq(s.attrs_read, 1);
	cr_assert_eq(st_of(&m, "/a.txt", 0, &st), 0);
	vfs_hostimg_stats(m.sb, &s);
	cr_assert_eq(s.attrs_read, 1);
	char buf[64];
	cr_assert_eq(vfs_readlinkat(&m.ctx, NULL, "/out", buf, sizeof(buf)), 13);
	cr_assert_eq(st_of(&m, "/sub", 0, &st), 0);
	cr_assert_eq(st.st_ino, l.inos[sub]);
	vfs_hostimg_stats(m.sb, &s);
	cr_assert_eq(s.attrs_read, 3);
	/* listing again, in records of one, gives the same entries */
	struct listing again;
	list_dir(&m, "/", 48, &again);
	cr_assert_eq(again.n, l.n);
	for (int i = 0; i < l.n; i++) {
		cr_assert_str_eq(again.names[i], l.names[i]);
		cr_assert_eq(again.inos[i], l.inos[i]);
	}
	/* the root once, and /sub for its stat: a folder's size counts its
	 * entries, which a later listing must not change */
	vfs_hostimg_stats(m.sb, &s);
	cr_assert_eq(s.dirs_read, 2);
	cr_assert_eq(s.attrs_read, 3);
	close_img(&m);
}

Test(hostimg, removed_after_listing)
{
	struct img m;
	host_tree(&m);
	open_img(&m, NULL, false);
	struct listing l;
	list_dir(&m, "/", 4096, &l);
	cr_assert(find_name(&l, "c.txt") >= 0);
	cr_assert(find_name(&l, "rel") >= 0);
	/* the host removes a listed file and turns a listed symlink into a
	 * fifo: only looking at them tells */
	char p[256];
	snprintf(p, sizeof(p), "%s/c.txt", m.host);
	cr_assert_eq(unlink(p), 0);
	snprintf(p, sizeof(p), "%s/rel", m.host);
	cr_assert_eq(unlink(p), 0);
	cr_assert_eq(mkfifo(p, 0644), 0);
	cr_assert_eq(st_of(&m, "/c.txt", AT_SYMLINK_NOFOLLOW, NULL), -ENOENT);
	struct vfs_file *f;
	cr_assert_eq(vfs_openat(&m.ctx, NULL, "/rel", O_RDONLY | O_NONBLOCK, 0, &f), -ENOENT);
	cr_assert_eq(st_of(&m, "/rel", AT_SYMLINK_NOFOLLOW, NULL), -ENOENT);
	/* and from then on they are gone from the listing too */
	struct listing after;
	list_dir(&m, "/", 4096, &after);
	cr_assert_eq(after.n, l.n - 2);
	cr_assert_lt(find_name(&after, "c.txt"), 0);
	cr_assert_lt(find_name(&after, "rel"), 0);
	cr_assert_eq(st_of(&m, "/a.txt", 0, NULL), 0);
	close_img(&m);
}

Test(overlay, attributes_from_host)
{
	struct img m;
	host_tree(&m);
	open_img(&m, NULL, true);
	struct stat st;
	cr_assert_eq(st_of(&m, "/sub/deeper", 0, &st), 0);
	cr_assert_eq(st.st_mode, S_IFDIR | 0700);
	cr_assert_eq(st_of(&m, "/c.txt", 0, &st), 0);
	cr_assert_eq(st.st_size, 6);
	char buf[64];
	cr_assert_eq(vfs_readlinkat(&m.ctx, NULL, "/rel", buf, sizeof(buf)), 12);
	cr_assert_eq(memcmp(buf, "sub/../a.txt", 12), 0);
	close_img(&m);
}

Test(hostimg, exclusion_patterns_by_directory)
{
	struct img m;
	host_tree(&m);
	char p[256];
	snprintf(p, sizeof(p), "%s/sub", m.host);
	put_file(p, ".hidden", "");
	static const char *const exclude[] = {
		"/secret.*",       /* literal directory, wildcard name */
		"/s*/inner.txt",   /* wildcard directory, literal name */
		"/sub/d?eper",     /* literal directory, wildcard name */
		"/[b].txt",        /* a bracket: tested against every path */
		"/sub/*",          /* FNM_PERIOD: leaves .hidden */
		"/sub/",           /* names /sub: a trailing '/' is dropped */
		"relative",        /* never matches an absolute path */
		NULL,
	};
	struct vfs_hostimg_policy pol = {.host_root = m.host, .exclude = exclude};
	m.vfs = vfs_create(NULL);
	cr_assert_eq(vfs_hostimg_new(m.vfs, &pol, &m.sb), 0);
	memset(&m.ctx, 0, sizeof(m.ctx));
	m.ctx.vfs = m.vfs;
	cr_assert_eq(vfs_mount_root(m.vfs, m.sb, 0, &m.ctx.root), 0);
	vfs_sb_put(m.sb);
	m.ctx.cwd = m.ctx.root;
	vfs_path_get(&m.ctx.cwd);
	cr_assert_eq(st_of(&m, "/secret.key", 0, NULL), -ENOENT);
	cr_assert_eq(st_of(&m, "/b.txt", 0, NULL), -ENOENT);
	cr_assert_eq(st_of(&m, "/a.txt", 0, NULL), 0);
	cr_assert_eq(st_of(&m, "/c.txt", 0, NULL), 0);
	cr_assert_eq(st_of(&m, "/sub", 0, NULL), -ENOENT);
	close_img(&m);
	/* the same tree without the pattern hiding /sub */
	host_tree(&m);
	snprintf(p, sizeof(p), "%s/sub", m.host);
	put_file(p, ".hidden", "");
	static const char *const exclude2[] = {"/s*/inner.txt", "/sub/d?eper", "/*/.h*", NULL};
	pol.exclude = exclude2;
	m.vfs = vfs_create(NULL);
	cr_assert_eq(vfs_hostimg_new(m.vfs, &pol, &m.sb), 0);
	memset(&m.ctx, 0, sizeof(m.ctx));
	m.ctx.vfs = m.vfs;
	cr_assert_eq(vfs_mount_root(m.vfs, m.sb, 0, &m.ctx.root), 0);
	vfs_sb_put(m.sb);
	m.ctx.cwd = m.ctx.root;
	vfs_path_get(&m.ctx.cwd);
	cr_assert_eq(st_of(&m, "/sub", 0, NULL), 0);
	cr_assert_eq(st_of(&m, "/sub/inner.txt", 0, NULL), -ENOENT);
	cr_assert_eq(st_of(&m, "/sub/deeper", 0, NULL), -ENOENT);
	cr_assert_eq(st_of(&m, "/sub/.hidden", 0, NULL), -ENOENT);
	cr_assert_eq(st_of(&m, "/a.txt", 0, NULL), 0);
	close_img(&m);
}

/* Whether fnmatch hides `path` or one of its directories. */
static bool excluded_by(const char *const *patterns, const char *path)
{
	char prefix[256];
	for (size_t n = 1; path[n - 1]; n++) {
		if (path[n] != '/' && path[n] != 0)
			continue;
		snprintf(prefix, sizeof(prefix), "%.*s", (int)n, path);
		for (const char *const *p = patterns; *p; p++)
			if (fnmatch(*p, prefix, FNM_PATHNAME | FNM_PERIOD) == 0 || !strcmp(*p, prefix))
				return true;
	}
	return false;
}

Test(hostimg, exclusions_agree_with_fnmatch)
{
	static const char *const dirs[] = {"", "/a", "/a/b", "/.h", "/x.y", "/a/.c", "/*d", "/a/b/?d", NULL};
	static const char *const files[] = {"f", ".g", "a.txt", "*", "?", "bf", "[a]", NULL};
	static const char *const exclude[] = {
		"/a/b/f", "/*/.c", "/x.y/*.txt", "/*/*/.g", "/?/b/[a]", "/a/\\?", "*", "/a/b*",
		"/?/?/?" "?/?", "/.h/.*", "/[*]d/a.txt", "/*/b/*/f", "/a/b/?d/bf", "/\\*d/?", NULL,
	};
	struct img m;
	strcpy(m.host, "/dev/shm/vfs-img-XXXXXX");
	cr_assert(mkdtemp(m.host));
	char p[512];
	for (const char *const *d = dirs; *d; d++) {
		snprintf(p, sizeof(p), "%s%s", m.host, *d);
		if (**d)
			cr_assert_eq(mkdir(p, 0755), 0, "%s", p);
		for (const char *const *f = files; *f; f++)
			put_file(p, *f, "x");
	}
	struct vfs_hostimg_policy pol = {.host_root = m.host, .exclude = exclude};
	m.vfs = vfs_create(NULL);
	cr_assert_eq(vfs_hostimg_new(m.vfs, &pol, &m.sb), 0);
	memset(&m.ctx, 0, sizeof(m.ctx));
	m.ctx.vfs = m.vfs;
	cr_assert_eq(vfs_mount_root(m.vfs, m.sb, 0, &m.ctx.root), 0);
	vfs_sb_put(m.sb);
	m.ctx.cwd = m.ctx.root;
	vfs_path_get(&m.ctx.cwd);
	int hidden = 0;
	for (const char *const *d = dirs; *d; d++) {
		for (const char *const *f = files; *f; f++) {
			snprintf(p, sizeof(p), "%s/%s", *d, *f);
			bool gone = excluded_by(exclude, p);
			hidden += gone;
			cr_assert_eq(st_of(&m, p, AT_SYMLINK_NOFOLLOW, NULL), gone ? -ENOENT : 0, "%s", p);
		}
	}
	cr_assert(hidden > 10, "%d", hidden);
	close_img(&m);
}

Test(hostimg, same_size_other_contents_not_shared)
{
	struct img m;
	host_tree(&m);
	put_file(m.host, "d.txt", "OTHER\n");  /* the size of c.txt */
	put_file(m.host, "e.txt", "");
	put_file(m.host, "f.txt", "");
	open_img(&m, NULL, false);
	struct vfs_file *c, *d, *e, *f;
	cr_assert_eq(vfs_openat(&m.ctx, NULL, "/c.txt", O_RDONLY, 0, &c), 0);
	cr_assert_eq(vfs_openat(&m.ctx, NULL, "/d.txt", O_RDONLY, 0, &d), 0);
	cr_assert_eq(vfs_openat(&m.ctx, NULL, "/e.txt", O_RDONLY, 0, &e), 0);
	cr_assert_eq(vfs_openat(&m.ctx, NULL, "/f.txt", O_RDONLY, 0, &f), 0);
	int fc = vfs_file_fd(c), fd = vfs_file_fd(d), fe = vfs_file_fd(e), ff = vfs_file_fd(f);
	cr_assert(fc >= 0 && fd >= 0 && fe >= 0);
	cr_assert_neq(fc, fd);
	cr_assert_eq(fe, ff);
	char buf[16] = {0};
	cr_assert_eq(pread(fd, buf, sizeof(buf), 0), 6);
	cr_assert_str_eq(buf, "OTHER\n");
	cr_assert_eq(pread(fc, buf, sizeof(buf), 0), 6);
	cr_assert_str_eq(buf, "other\n");
	struct vfs_hostimg_stats s;
	vfs_hostimg_stats(m.sb, &s);
	cr_assert_eq(s.files_loaded, 3);
	cr_assert_eq(s.files_shared, 1);
	cr_assert(fcntl(fd, F_GET_SEALS) & F_SEAL_WRITE);
	vfs_file_put(c);
	vfs_file_put(d);
	vfs_file_put(e);
	vfs_file_put(f);
	close_img(&m);
}

Test(hostimg, attributes_from_host)
{
	struct img m;
	host_tree(&m);
	open_img(&m, NULL, false);
	struct stat st;
	cr_assert_eq(st_of(&m, "/a.txt", 0, &st), 0);
	cr_assert(S_ISREG(st.st_mode));
	cr_assert_eq(st.st_size, 14);
	cr_assert_eq(st_of(&m, "/sub/deeper", 0, &st), 0);
	cr_assert_eq(st.st_mode, S_IFDIR | 0700);
	close_img(&m);
}

Test(hostimg, symlinks_stay_symlinks)
{
	struct img m;
	host_tree(&m);
	open_img(&m, NULL, false);
	char buf[256];
	int n = vfs_readlinkat(&m.ctx, NULL, "/out", buf, sizeof(buf));
	cr_assert_eq(n, 13);
	/* absolute host link resolves inside the image, where /etc is absent */
	cr_assert_eq(st_of(&m, "/out", 0, NULL), -ENOENT);
	cr_assert_eq(st_of(&m, "/out", AT_SYMLINK_NOFOLLOW, NULL), 0);
	read_all(&m, "/rel", buf, sizeof(buf));
	cr_assert_str_eq(buf, "same contents\n");
	cr_assert_eq(st_of(&m, "/subl/inner.txt", 0, NULL), 0);
	struct stat st;
	cr_assert_eq(st_of(&m, "/subl", AT_SYMLINK_NOFOLLOW, &st), 0);
	cr_assert(S_ISLNK(st.st_mode));
	close_img(&m);
}

Test(hostimg, no_special_files)
{
	struct img m;
	host_tree(&m);
	open_img(&m, NULL, false);
	struct vfs_file *f;
	cr_assert_eq(st_of(&m, "/fifo", AT_SYMLINK_NOFOLLOW, NULL), -ENOENT);
	cr_assert_eq(st_of(&m, "/sock", AT_SYMLINK_NOFOLLOW, NULL), -ENOENT);
	cr_assert_eq(vfs_openat(&m.ctx, NULL, "/fifo", O_RDONLY | O_NONBLOCK, 0, &f), -ENOENT);
	close_img(&m);
}

Test(hostimg, host_swap_after_listing)
{
	struct img m;
	host_tree(&m);
	open_img(&m, NULL, false);
	cr_assert_eq(st_of(&m, "/c.txt", 0, NULL), 0);
	/* the host replaces a listed file with a fifo: opening never reaches it */
	char p[256];
	snprintf(p, sizeof(p), "%s/c.txt", m.host);
	unlink(p);
	mkfifo(p, 0644);
	struct vfs_file *f;
	cr_assert_eq(vfs_openat(&m.ctx, NULL, "/c.txt", O_RDONLY, 0, &f), 0);
	cr_assert_eq(vfs_file_fd(f), -ENXIO);  /* contents are read at first use */
	vfs_file_put(f);
	/* and a directory replaced by a symlink is not followed on the host */
	snprintf(p, sizeof(p), "%s/sub", m.host);
	char q[256];
	snprintf(q, sizeof(q), "%s/sub.moved", m.host);
	rename(p, q);
	symlink("/etc", p);
	cr_assert_eq(st_of(&m, "/sub/inner.txt", 0, NULL), -ENOENT);
	close_img(&m);
}

Test(hostimg, exclusions)
{
	struct img m;
	host_tree(&m);
	open_img(&m, NULL, false);
	cr_assert_eq(st_of(&m, "/secret.key", 0, NULL), -ENOENT);
	struct vfs_file *d;
	cr_assert_eq(vfs_openat(&m.ctx, NULL, "/", O_RDONLY, 0, &d), 0);
	char buf[4096];
	ssize_t n = vfs_getdents64(&m.ctx, d, buf, sizeof(buf));
	cr_assert(n > 0);
	bool seen_a = false;
	for (ssize_t off = 0; off < n;) {
		struct dirent64 *e = (void *)(buf + off);
		cr_assert_str_neq(e->d_name, "secret.key");
		cr_assert_str_neq(e->d_name, "fifo");
		seen_a |= !strcmp(e->d_name, "a.txt");
		off += e->d_reclen;
	}
	cr_assert(seen_a);
	vfs_file_put(d);
	close_img(&m);
}

Test(hostimg, include_partial_path)
{
	struct img m;
	host_tree(&m);
	static const char *const inc[] = {"/sub/deeper", "/rel", NULL};
	open_img(&m, inc, false);
	cr_assert_eq(st_of(&m, "/sub/deeper", 0, NULL), 0);
	cr_assert_eq(st_of(&m, "/sub/inner.txt", 0, NULL), -ENOENT);
	cr_assert_eq(st_of(&m, "/a.txt", 0, NULL), -ENOENT);
	cr_assert_eq(st_of(&m, "/rel", AT_SYMLINK_NOFOLLOW, NULL), 0);
	cr_assert_eq(st_of(&m, "/rel", 0, NULL), -ENOENT);
	close_img(&m);
}

Test(hostimg, default_exclusion_list)
{
	const char *must[] = {"/etc/shadow", "/etc/gshadow", "/etc/sudoers", "/etc/sudoers.d",
			      "/etc/ssh/ssh_host_rsa_key", "/etc/ssh/ssh_host_ed25519_key", "/etc/ssl/private"};
	for (size_t i = 0; i < sizeof(must) / sizeof(must[0]); i++) {
		bool hit = false;
		for (const char *const *e = vfs_hostimg_default_exclude; *e; e++)
			hit |= fnmatch_ok(*e, must[i]);
		cr_assert(hit, "%s is not excluded", must[i]);
	}
	bool has_usr = false;
	for (const char *const *i = vfs_hostimg_default_include; *i; i++)
		has_usr |= !strcmp(*i, "/usr");
	cr_assert(has_usr);
}

Test(hostimg, content_shared_and_sealed)
{
	struct img m;
	host_tree(&m);
	open_img(&m, NULL, false);
	struct vfs_file *a, *b, *c;
	cr_assert_eq(vfs_openat(&m.ctx, NULL, "/a.txt", O_RDONLY, 0, &a), 0);
	cr_assert_eq(vfs_openat(&m.ctx, NULL, "/b.txt", O_RDONLY, 0, &b), 0);
	cr_assert_eq(vfs_openat(&m.ctx, NULL, "/c.txt", O_RDONLY, 0, &c), 0);
	int fa = vfs_file_fd(a), fb = vfs_file_fd(b), fc = vfs_file_fd(c);
	cr_assert(fa >= 0 && fc >= 0, "fa %d fb %d fc %d", fa, fb, fc);
	cr_assert_eq(fa, fb);
	cr_assert_neq(fa, fc);
	struct vfs_hostimg_stats s;
	vfs_hostimg_stats(m.sb, &s);
	cr_assert_eq(s.files_loaded, 2);
	cr_assert_eq(s.files_shared, 1);
	int seals = fcntl(fa, F_GET_SEALS);
	cr_assert(seals & F_SEAL_WRITE);
	cr_assert(seals & F_SEAL_GROW);
	cr_assert_eq(pwrite(fa, "x", 1, 0), -1);
	cr_assert_eq(errno, EPERM);
	char buf[64] = {0};
	cr_assert_eq(pread(fa, buf, sizeof(buf), 0), 14);
	cr_assert_str_eq(buf, "same contents\n");
	vfs_file_put(a);
	vfs_file_put(b);
	vfs_file_put(c);
	close_img(&m);
}

Test(hostimg, read_only_errors)
{
	struct img m;
	host_tree(&m);
	open_img(&m, NULL, false);
	struct vfs_file *f;
	cr_assert_eq(vfs_openat(&m.ctx, NULL, "/a.txt", O_WRONLY, 0, &f), -EROFS);
	cr_assert_eq(vfs_openat(&m.ctx, NULL, "/a.txt", O_RDONLY | O_TRUNC, 0, &f), -EROFS);
	cr_assert_eq(vfs_openat(&m.ctx, NULL, "/new", O_CREAT | O_WRONLY, 0644, &f), -EROFS);
	cr_assert_eq(vfs_mkdirat(&m.ctx, NULL, "/d", 0755), -EROFS);
	cr_assert_eq(vfs_mkdirat(&m.ctx, NULL, "/sub", 0755), -EEXIST);
	cr_assert_eq(vfs_unlinkat(&m.ctx, NULL, "/a.txt", 0), -EROFS);
	cr_assert_eq(vfs_unlinkat(&m.ctx, NULL, "/sub", AT_REMOVEDIR), -EROFS);
	cr_assert_eq(vfs_renameat2(&m.ctx, NULL, "/a.txt", NULL, "/z", 0), -EROFS);
	cr_assert_eq(vfs_fchmodat(&m.ctx, NULL, "/a.txt", 0600, 0), -EROFS);
	cr_assert_eq(vfs_fchownat(&m.ctx, NULL, "/a.txt", 1, 1, 0), -EROFS);
	cr_assert_eq(vfs_utimensat(&m.ctx, NULL, "/a.txt", NULL, 0), -EROFS);
	cr_assert_eq(vfs_truncate(&m.ctx, NULL, "/a.txt", 0), -EROFS);
	cr_assert_eq(vfs_symlinkat(&m.ctx, "x", NULL, "/l"), -EROFS);
	cr_assert_eq(vfs_linkat(&m.ctx, NULL, "/a.txt", NULL, "/l", 0), -EROFS);
	cr_assert_eq(vfs_faccessat(&m.ctx, NULL, "/a.txt", W_OK, 0), -EROFS);
	cr_assert_eq(vfs_faccessat(&m.ctx, NULL, "/a.txt", R_OK, 0), 0);
	close_img(&m);
}

Test(overlay, copy_up_on_write)
{
	struct img m;
	host_tree(&m);
	open_img(&m, NULL, true);
	struct vfs_file *r, *w;
	cr_assert_eq(vfs_openat(&m.ctx, NULL, "/a.txt", O_RDONLY, 0, &r), 0);
	int lower_fd = vfs_file_fd(r);
	cr_assert(fcntl(lower_fd, F_GET_SEALS) & F_SEAL_WRITE);
	cr_assert_eq(vfs_openat(&m.ctx, NULL, "/a.txt", O_WRONLY | O_APPEND, 0, &w), 0);
	int upper_fd = vfs_file_fd(w);
	cr_assert_neq(upper_fd, lower_fd);
	cr_assert_eq(fcntl(upper_fd, F_GET_SEALS) & F_SEAL_WRITE, 0);
	cr_assert_eq(vfs_file_pwrite(&m.ctx, w, "more\n", 5, -1), 5);
	char buf[128];
	read_all(&m, "/a.txt", buf, sizeof(buf));
	cr_assert_str_eq(buf, "same contents\nmore\n");
	read_all(&m, "/b.txt", buf, sizeof(buf));
	cr_assert_str_eq(buf, "same contents\n");
	char host[256];
	snprintf(host, sizeof(host), "%s/a.txt", m.host);
	FILE *hf = fopen(host, "r");
	cr_assert(fgets(buf, sizeof(buf), hf));
	cr_assert(!fgets(buf + 100, 20, hf));
	fclose(hf);
	vfs_file_put(r);
	vfs_file_put(w);
	close_img(&m);
}

Test(overlay, metadata_and_truncate)
{
	struct img m;
	host_tree(&m);
	open_img(&m, NULL, true);
	struct stat st;
	cr_assert_eq(vfs_fchmodat(&m.ctx, NULL, "/c.txt", 0600, 0), 0);
	cr_assert_eq(vfs_fchownat(&m.ctx, NULL, "/c.txt", 12, 34, 0), 0);
	cr_assert_eq(st_of(&m, "/c.txt", 0, &st), 0);
	cr_assert_eq(st.st_mode, S_IFREG | 0600);
	cr_assert_eq(st.st_uid, 12);
	cr_assert_eq(vfs_truncate(&m.ctx, NULL, "/c.txt", 2), 0);
	char buf[16];
	read_all(&m, "/c.txt", buf, sizeof(buf));
	cr_assert_str_eq(buf, "ot");
	struct timespec t[2] = {{5, 0}, {6, 0}};
	cr_assert_eq(vfs_utimensat(&m.ctx, NULL, "/b.txt", t, 0), 0);
	cr_assert_eq(st_of(&m, "/b.txt", 0, &st), 0);
	cr_assert_eq(st.st_mtim.tv_sec, 6);
	close_img(&m);
}

Test(overlay, whiteout_on_delete)
{
	struct img m;
	host_tree(&m);
	open_img(&m, NULL, true);
	cr_assert_eq(vfs_unlinkat(&m.ctx, NULL, "/a.txt", 0), 0);
	cr_assert_eq(st_of(&m, "/a.txt", 0, NULL), -ENOENT);
	cr_assert_eq(st_of(&m, "/rel", 0, NULL), -ENOENT);
	struct vfs_file *d;
	cr_assert_eq(vfs_openat(&m.ctx, NULL, "/", O_RDONLY, 0, &d), 0);
	char buf[4096];
	ssize_t n = vfs_getdents64(&m.ctx, d, buf, sizeof(buf));
	for (ssize_t off = 0; off < n;) {
		struct dirent64 *e = (void *)(buf + off);
		cr_assert_str_neq(e->d_name, "a.txt");
		off += e->d_reclen;
	}
	vfs_file_put(d);
	char host[256];
	snprintf(host, sizeof(host), "%s/a.txt", m.host);
	cr_assert_eq(access(host, F_OK), 0);
	cr_assert_eq(vfs_unlinkat(&m.ctx, NULL, "/sub", AT_REMOVEDIR), -ENOTEMPTY);
	close_img(&m);
}

Test(overlay, opaque_recreated_directory)
{
	struct img m;
	host_tree(&m);
	open_img(&m, NULL, true);
	cr_assert_eq(vfs_unlinkat(&m.ctx, NULL, "/sub/inner.txt", 0), 0);
	cr_assert_eq(vfs_unlinkat(&m.ctx, NULL, "/sub/deeper", AT_REMOVEDIR), 0);
	cr_assert_eq(vfs_unlinkat(&m.ctx, NULL, "/sub", AT_REMOVEDIR), 0);
	cr_assert_eq(vfs_mkdirat(&m.ctx, NULL, "/sub", 0755), 0);
	cr_assert_eq(st_of(&m, "/sub/inner.txt", 0, NULL), -ENOENT);
	struct stat st;
	cr_assert_eq(st_of(&m, "/sub", 0, &st), 0);
	cr_assert_eq(st.st_nlink, 2);
	cr_assert_eq(st.st_size, 40);
	close_img(&m);
}

Test(overlay, create_rename_and_limits)
{
	struct img m;
	host_tree(&m);
	open_img(&m, NULL, true);
	struct vfs_file *f;
	cr_assert_eq(vfs_openat(&m.ctx, NULL, "/sub/new.txt", O_CREAT | O_RDWR, 0644, &f), 0);
	vfs_file_put(f);
	cr_assert_eq(vfs_renameat2(&m.ctx, NULL, "/sub", NULL, "/moved", 0), 0);
	cr_assert_eq(st_of(&m, "/moved/inner.txt", 0, NULL), 0);
	cr_assert_eq(st_of(&m, "/moved/new.txt", 0, NULL), 0);
	cr_assert_eq(st_of(&m, "/subl/inner.txt", 0, NULL), -ENOENT);
	uint64_t bytes, inodes;
	vfs_usage(m.vfs, &bytes, &inodes);
	cr_assert_eq(inodes, 1);
	uint64_t before = bytes;
	cr_assert_eq(vfs_truncate(&m.ctx, NULL, "/moved/inner.txt", 100), 0);
	vfs_usage(m.vfs, &bytes, &inodes);
	cr_assert_eq(inodes, 2);
	/* the copy-up: an inode and the page its contents take */
	cr_assert_gt(bytes, before + 4096);
	cr_assert_lt(bytes, before + 4096 + 1024);
	close_img(&m);
}

Test(image, default_root_smoke)
{
	struct vfs *v = vfs_create(NULL);
	struct vfs_root_opts opts = {.tty_fd = -1};
	struct vfs_path root;
	cr_assert_eq(vfs_build_root(v, &opts, &root), 0);
	struct vfs_ctx c = {.vfs = v, .root = root, .cwd = root, .umask = 022, .pid = 1, .tid = 1};
	struct stat st;
	cr_assert_eq(vfs_fstatat(&c, NULL, "/usr/bin/env", &st, 0), 0);
	cr_assert(S_ISREG(st.st_mode) && (st.st_mode & 0111));
	cr_assert_eq(vfs_faccessat(&c, NULL, "/usr/bin/env", X_OK, 0), 0);
	cr_assert_eq(vfs_fstatat(&c, NULL, "/bin/sh", &st, 0), 0);
	cr_assert_eq(vfs_fstatat(&c, NULL, "/etc/passwd", &st, 0), 0);
	cr_assert_eq(vfs_fstatat(&c, NULL, "/etc/shadow", &st, 0), -ENOENT);
	cr_assert_eq(vfs_fstatat(&c, NULL, "/etc/gshadow", &st, 0), -ENOENT);
	cr_assert_eq(vfs_fstatat(&c, NULL, "/root", &st, 0), -ENOENT);
	cr_assert_eq(vfs_fstatat(&c, NULL, "/home", &st, 0), -ENOENT);
	cr_assert_eq(vfs_fstatat(&c, NULL, "/tmp", &st, 0), 0);
	cr_assert_eq(st.st_mode, S_IFDIR | 01777);
	struct vfs_file *f;
	cr_assert_eq(vfs_openat(&c, NULL, "/tmp/x", O_CREAT | O_RDWR, 0644, &f), 0);
	vfs_file_put(f);
	cr_assert_eq(vfs_openat(&c, NULL, "/etc/new-file", O_CREAT | O_RDWR, 0644, &f), 0);
	vfs_file_put(f);
	cr_assert_eq(vfs_openat(&c, NULL, "/usr/bin/env", O_RDONLY, 0, &f), 0);
	char elf[4];
	cr_assert_eq(vfs_file_pread(f, elf, 4, 0), 4);
	cr_assert_eq(memcmp(elf, "\177ELF", 4), 0);
	vfs_file_put(f);
	cr_assert_eq(vfs_openat(&c, NULL, "/dev/null", O_WRONLY, 0, &f), 0);
	cr_assert_eq(vfs_file_kind(f), VFS_FILE_DEVICE);
	vfs_file_put(f);
	cr_assert_eq(vfs_fstatat(&c, NULL, "/proc", &st, 0), -ENOENT);
	vfs_path_put(&root);
	vfs_destroy(v);
}

Test(image, workspace_import)
{
	struct img m;
	host_tree(&m);
	const char *ws[] = {m.host, NULL};
	struct vfs *v = vfs_create(NULL);
	struct vfs_root_opts opts = {.workspaces = ws, .tty_fd = -1};
	struct vfs_path root;
	cr_assert_eq(vfs_build_root(v, &opts, &root), 0);
	struct vfs_ctx c = {.vfs = v, .root = root, .cwd = root, .umask = 022};
	char path[256];
	snprintf(path, sizeof(path), "%s/sub/inner.txt", m.host);
	struct stat st;
	cr_assert_eq(vfs_fstatat(&c, NULL, path, &st, 0), 0);
	snprintf(path, sizeof(path), "%s/a.txt", m.host);
	struct vfs_file *f;
	cr_assert_eq(vfs_openat(&c, NULL, path, O_WRONLY | O_TRUNC, 0, &f), 0);
	vfs_file_put(f);
	cr_assert_eq(vfs_fstatat(&c, NULL, path, &st, 0), 0);
	cr_assert_eq(st.st_size, 0);
	struct stat host;
	cr_assert_eq(stat(path, &host), 0);
	cr_assert_eq(host.st_size, 14);
	vfs_path_put(&root);
	vfs_destroy(v);
	host_cleanup(&m);
}

/* --- the overlay asks the lower one name at a time ------------------------ */

/* host/big: n regular files of different sizes, a few symlinks, a
 * directory and a fifo. */
static void big_dir(struct img *m, int n)
{
	char dir[256], p[300];
	snprintf(dir, sizeof(dir), "%s/big", m->host);
	cr_assert_eq(mkdir(dir, 0755), 0);
	for (int i = 0; i < n; i++) {
		char name[16], text[64];
		snprintf(name, sizeof(name), "f%03d", i);
		snprintf(text, sizeof(text), "%*d\n", i % 40, i);
		put_file(dir, name, text);
		if (i % 7 == 0) {
			snprintf(p, sizeof(p), "%s/%s", dir, name);
			cr_assert_eq(chmod(p, 0600 + (i % 2) * 0100), 0);
		}
	}
	snprintf(p, sizeof(p), "%s/link", dir);
	cr_assert_eq(symlink("f001", p), 0);
	snprintf(p, sizeof(p), "%s/dangling", dir);
	cr_assert_eq(symlink("/nowhere/at/all", p), 0);
	snprintf(p, sizeof(p), "%s/subdir", dir);
	cr_assert_eq(mkdir(p, 0711), 0);
	snprintf(p, sizeof(p), "%s/pipe", dir);
	cr_assert_eq(mkfifo(p, 0644), 0);
}

static uint64_t attrs_read(struct img *m)
{
	struct vfs_hostimg_stats s;
	vfs_hostimg_stats(m->sb, &s);
	return s.attrs_read;
}

Test(overlay, lookup_reads_one_entry)
{
	struct img m;
	host_tree(&m);
	big_dir(&m, 300);
	open_img(&m, NULL, true);
	struct stat st;
	cr_assert_eq(st_of(&m, "/big/f123", 0, &st), 0);
	/* /big and /big/f123, none of the 300 others */
	cr_assert_eq(attrs_read(&m), 2, "%llu", (unsigned long long)attrs_read(&m));
	cr_assert_eq(st.st_size, 123 % 40 + 1);
	cr_assert_eq(st_of(&m, "/big/f123", 0, &st), 0);
	cr_assert_eq(st_of(&m, "/big/none", 0, NULL), -ENOENT);
	cr_assert_eq(attrs_read(&m), 2);
	/* the host has it, the image leaves it out */
	cr_assert_eq(st_of(&m, "/big/pipe", 0, NULL), -ENOENT);
	cr_assert_eq(attrs_read(&m), 3);
	/* following a symlink reads the link and its target */
	char buf[64];
	read_all(&m, "/big/link", buf, sizeof(buf));
	cr_assert_str_eq(buf, "1\n");
	cr_assert_eq(attrs_read(&m), 5);
	/* and no directory was listed */
	struct vfs_hostimg_stats s;
	vfs_hostimg_stats(m.sb, &s);
	cr_assert_eq(s.dirs_read, 0);
	uint64_t bytes, inodes;
	vfs_usage(m.vfs, &bytes, &inodes);
	cr_assert_eq(inodes, 0);
	cr_assert_eq(bytes, 0);
	close_img(&m);
}

/* A directory's records, any number of them. */
struct records {
	int n;
	char (*names)[64];
	unsigned char *types;
	ino_t *inos;
};

static void records_add(struct records *r, const char *name, unsigned char type, ino_t ino)
{
	r->names = realloc(r->names, (r->n + 1) * sizeof(*r->names));
	r->types = realloc(r->types, r->n + 1);
	r->inos = realloc(r->inos, (r->n + 1) * sizeof(*r->inos));
	cr_assert(r->names && r->types && r->inos);
	snprintf(r->names[r->n], sizeof(r->names[0]), "%s", name);
	r->types[r->n] = type;
	r->inos[r->n] = ino;
	r->n++;
}

static void records_free(struct records *r)
{
	free(r->names);
	free(r->types);
	free(r->inos);
	memset(r, 0, sizeof(*r));
}

static int records_find(const struct records *r, const char *name)
{
	for (int i = 0; i < r->n; i++)
		if (!strcmp(r->names[i], name))
			return i;
	return -1;
}

/* The VFS's records of a directory, without "." and "..". */
static void vfs_records(struct img *m, const char *path, size_t size, struct records *r)
{
	struct vfs_file *d;
	cr_assert_eq(vfs_openat(&m->ctx, NULL, path, O_RDONLY | O_DIRECTORY, 0, &d), 0, "%s", path);
	char buf[4096];
	memset(r, 0, sizeof(*r));
	for (;;) {
		ssize_t n = vfs_getdents64(&m->ctx, d, buf, size);
		cr_assert(n >= 0, "getdents64 %zd", n);
		if (n == 0)
			break;
		for (ssize_t off = 0; off < n;) {
			struct dirent64 *e = (void *)(buf + off);
			off += e->d_reclen;
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				records_add(r, e->d_name, e->d_type, e->d_ino);
		}
	}
	vfs_file_put(d);
}

/* The host's, without "." and ".." and the kinds an image leaves out. */
static void host_records(const char *dir, struct records *r)
{
	memset(r, 0, sizeof(*r));
	DIR *d = opendir(dir);
	cr_assert(d, "%s", dir);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (e->d_type == DT_DIR || e->d_type == DT_REG || e->d_type == DT_LNK)
			records_add(r, e->d_name, e->d_type, e->d_ino);
	}
	closedir(d);
}

Test(overlay, listing_matches_host_without_attributes)
{
	struct img m;
	host_tree(&m);
	big_dir(&m, 300);
	open_img(&m, NULL, true);
	char hdir[256];
	snprintf(hdir, sizeof(hdir), "%s/big", m.host);
	struct records host, got;
	host_records(hdir, &host);
	cr_assert_eq(host.n, 303);
	/* small records, so that the listing resumes many times */
	vfs_records(&m, "/big", 200, &got);
	/* /big itself, reached by the walk; no entry of the listing */
	cr_assert_eq(attrs_read(&m), 1, "%llu", (unsigned long long)attrs_read(&m));
	cr_assert_eq(got.n, host.n);
	for (int i = 0; i < host.n; i++) {
		int j = records_find(&got, host.names[i]);
		cr_assert(j >= 0, "%s missing", host.names[i]);
		cr_assert_eq(got.types[j], host.types[i], "%s", host.names[i]);
		for (int k = 0; k < j; k++)
			cr_assert_neq(got.inos[k], got.inos[j]);
	}
	/* a stat afterwards gives the host's attributes and the d_ino of the
	 * listing, one host lstat each */
	for (int j = 0; j < got.n; j++) {
		char path[128], hpath[512];
		snprintf(path, sizeof(path), "/big/%s", got.names[j]);
		snprintf(hpath, sizeof(hpath), "%s/%s", hdir, got.names[j]);
		struct stat st, hs;
		cr_assert_eq(st_of(&m, path, AT_SYMLINK_NOFOLLOW, &st), 0, "%s", path);
		cr_assert_eq(lstat(hpath, &hs), 0);
		cr_assert_eq(st.st_ino, got.inos[j], "%s", path);
		cr_assert_eq(st.st_mode, hs.st_mode, "%s", path);
		cr_assert_eq(st.st_uid, hs.st_uid);
		cr_assert_eq(st.st_gid, hs.st_gid);
		cr_assert_eq(st.st_mtim.tv_sec, hs.st_mtim.tv_sec);
		cr_assert_eq(st.st_mtim.tv_nsec, hs.st_mtim.tv_nsec);
		if (!S_ISDIR(hs.st_mode)) {
			cr_assert_eq(st.st_size, hs.st_size, "%s", path);
			cr_assert_eq(st.st_nlink, hs.st_nlink);
		}
		if (S_ISLNK(hs.st_mode)) {
			char a[256] = {0}, b[256] = {0};
			cr_assert_eq(vfs_readlinkat(&m.ctx, NULL, path, a, sizeof(a) - 1), readlink(hpath, b, sizeof(b) - 1));
			cr_assert_str_eq(a, b);
		}
	}
	cr_assert_eq(attrs_read(&m), 1 + (uint64_t)got.n);
	/* the same listing again: same records, nothing read */
	struct records again;
	vfs_records(&m, "/big", 4096, &again);
	cr_assert_eq(again.n, got.n);
	for (int j = 0; j < got.n; j++) {
		cr_assert_str_eq(again.names[j], got.names[j]);
		cr_assert_eq(again.inos[j], got.inos[j]);
	}
	cr_assert_eq(attrs_read(&m), 1 + (uint64_t)got.n);
	uint64_t inodes;
	vfs_usage(m.vfs, NULL, &inodes);
	cr_assert_eq(inodes, 0);
	records_free(&again);
	records_free(&got);
	records_free(&host);
	close_img(&m);
}

Test(overlay, lookup_then_listing_shows_each_name_once)
{
	struct img m;
	host_tree(&m);
	big_dir(&m, 50);
	open_img(&m, NULL, true);
	struct stat a, b;
	cr_assert_eq(st_of(&m, "/big/f010", 0, &a), 0);
	cr_assert_eq(st_of(&m, "/big/subdir", 0, &b), 0);
	struct records got;
	vfs_records(&m, "/big", 4096, &got);
	cr_assert_eq(got.n, 53);
	for (int j = 0; j < got.n; j++)
		for (int k = 0; k < j; k++)
			cr_assert_str_neq(got.names[k], got.names[j]);
	cr_assert_eq(got.inos[records_find(&got, "f010")], a.st_ino);
	cr_assert_eq(got.inos[records_find(&got, "subdir")], b.st_ino);
	cr_assert_eq(got.types[records_find(&got, "subdir")], DT_DIR);
	records_free(&got);
	close_img(&m);
}

Test(overlay, removed_before_listing_stays_removed)
{
	struct img m;
	host_tree(&m);
	open_img(&m, NULL, true);
	struct vfs_file *f;
	/* no listing of / or /sub: every name is looked up alone */
	cr_assert_eq(vfs_unlinkat(&m.ctx, NULL, "/a.txt", 0), 0);
	cr_assert_eq(st_of(&m, "/a.txt", AT_SYMLINK_NOFOLLOW, NULL), -ENOENT);
	cr_assert_eq(vfs_unlinkat(&m.ctx, NULL, "/a.txt", 0), -ENOENT);
	cr_assert_eq(vfs_renameat2(&m.ctx, NULL, "/b.txt", NULL, "/b2.txt", 0), 0);
	cr_assert_eq(st_of(&m, "/b.txt", 0, NULL), -ENOENT);
	cr_assert_eq(vfs_linkat(&m.ctx, NULL, "/c.txt", NULL, "/c-link", 0), 0);
	cr_assert_eq(vfs_unlinkat(&m.ctx, NULL, "/c.txt", 0), 0);
	cr_assert_eq(vfs_unlinkat(&m.ctx, NULL, "/sub/deeper", AT_REMOVEDIR), 0);
	cr_assert_eq(st_of(&m, "/sub/deeper", 0, NULL), -ENOENT);
	cr_assert_eq(vfs_renameat2(&m.ctx, NULL, "/rel", NULL, "/subl", RENAME_EXCHANGE), 0);
	/* a name made anew and removed again stays removed too */
	cr_assert_eq(vfs_openat(&m.ctx, NULL, "/a.txt", O_CREAT | O_EXCL | O_WRONLY, 0600, &f), 0);
	vfs_file_put(f);
	struct stat st;
	cr_assert_eq(st_of(&m, "/a.txt", 0, &st), 0);
	cr_assert_eq(st.st_size, 0);
	cr_assert_eq(vfs_unlinkat(&m.ctx, NULL, "/a.txt", 0), 0);
	cr_assert_eq(st_of(&m, "/a.txt", 0, NULL), -ENOENT);
	char buf[64];
	read_all(&m, "/b2.txt", buf, sizeof(buf));
	cr_assert_str_eq(buf, "same contents\n");
	read_all(&m, "/c-link", buf, sizeof(buf));
	cr_assert_str_eq(buf, "other\n");
	cr_assert_eq(vfs_readlinkat(&m.ctx, NULL, "/rel", buf, sizeof(buf)), 3);
	cr_assert_eq(memcmp(buf, "sub", 3), 0);
	cr_assert_eq(vfs_readlinkat(&m.ctx, NULL, "/subl", buf, sizeof(buf)), 12);
	/* the listings agree */
	struct records root, sub;
	vfs_records(&m, "/", 4096, &root);
	vfs_records(&m, "/sub", 4096, &sub);
	cr_assert_lt(records_find(&root, "a.txt"), 0);
	cr_assert_lt(records_find(&root, "b.txt"), 0);
	cr_assert_lt(records_find(&root, "c.txt"), 0);
	cr_assert_geq(records_find(&root, "b2.txt"), 0);
	cr_assert_geq(records_find(&root, "c-link"), 0);
	cr_assert_geq(records_find(&root, "rel"), 0);
	cr_assert_geq(records_find(&root, "subl"), 0);
	cr_assert_eq(root.n, 6, "%d", root.n);  /* b2.txt c-link sub out rel subl */
	cr_assert_eq(sub.n, 1);
	cr_assert_str_eq(sub.names[0], "inner.txt");
	/* and after the listing too */
	cr_assert_eq(st_of(&m, "/a.txt", 0, NULL), -ENOENT);
	cr_assert_eq(st_of(&m, "/c.txt", 0, NULL), -ENOENT);
	char host[256];
	snprintf(host, sizeof(host), "%s/a.txt", m.host);
	cr_assert_eq(access(host, F_OK), 0);
	records_free(&root);
	records_free(&sub);
	close_img(&m);
}

Test(overlay, host_entry_gone_after_listing)
{
	struct img m;
	host_tree(&m);
	open_img(&m, NULL, true);
	struct records before;
	vfs_records(&m, "/", 4096, &before);
	cr_assert_geq(records_find(&before, "c.txt"), 0);
	char p[256];
	snprintf(p, sizeof(p), "%s/c.txt", m.host);
	cr_assert_eq(unlink(p), 0);
	snprintf(p, sizeof(p), "%s/sub", m.host);
	char q[300];
	snprintf(q, sizeof(q), "rm -rf '%s'", p);
	cr_assert_eq(system(q), 0);
	struct vfs_file *f;
	cr_assert_eq(vfs_openat(&m.ctx, NULL, "/c.txt", O_RDONLY, 0, &f), -ENOENT);
	cr_assert_eq(st_of(&m, "/c.txt", 0, NULL), -ENOENT);
	cr_assert_eq(st_of(&m, "/sub/inner.txt", 0, NULL), -ENOENT);
	cr_assert_eq(vfs_mkdirat(&m.ctx, NULL, "/sub", 0700), 0);
	struct records after;
	vfs_records(&m, "/", 4096, &after);
	cr_assert_eq(after.n, before.n - 1);
	cr_assert_lt(records_find(&after, "c.txt"), 0);
	cr_assert_geq(records_find(&after, "sub"), 0);
	cr_assert_eq(st_of(&m, "/a.txt", 0, NULL), 0);
	records_free(&before);
	records_free(&after);
	close_img(&m);
}

struct seen {
	int n;
	char what[16][80];
};

static int note_change(void *arg, const struct vfs_change *c)
{
	struct seen *s = arg;
	cr_assert(s->n < 16);
	const char *k = c->kind == VFS_CHANGE_ADDED ? "added" : c->kind == VFS_CHANGE_CHANGED ? "changed" : "removed";
	snprintf(s->what[s->n++], sizeof(s->what[0]), "%s %s", k, c->path);
	return 0;
}

static bool seen_has(const struct seen *s, const char *what)
{
	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->what[i], what))
			return true;
	return false;
}

Test(overlay, workspace_changes_without_listing)
{
	struct img m;
	host_tree(&m);
	const char *ws[] = {m.host, NULL};
	struct vfs *v = vfs_create(NULL);
	struct vfs_root_opts opts = {.workspaces = ws, .tty_fd = -1};
	struct vfs_path root;
	cr_assert_eq(vfs_build_root(v, &opts, &root), 0);
	struct vfs_ctx c = {.vfs = v, .root = root, .cwd = root, .umask = 022};
	cr_assert_eq(vfs_lookup_dir(&c, NULL, m.host, &c.cwd), 0);
	struct vfs_file *f;
	cr_assert_eq(vfs_openat(&c, NULL, "sub/inner.txt", O_WRONLY | O_APPEND, 0, &f), 0);
	cr_assert_eq(vfs_file_pwrite(&c, f, "x", 1, -1), 1);
	vfs_file_put(f);
	cr_assert_eq(vfs_unlinkat(&c, NULL, "a.txt", 0), 0);
	cr_assert_eq(vfs_renameat2(&c, NULL, "c.txt", NULL, "sub/c2.txt", 0), 0);
	cr_assert_eq(vfs_openat(&c, NULL, "new.txt", O_CREAT | O_WRONLY, 0644, &f), 0);
	vfs_file_put(f);
	cr_assert_eq(vfs_fchmodat(&c, NULL, "sub/deeper", 0755, 0), 0);
	struct stat st;
	cr_assert_eq(vfs_fstatat(&c, NULL, "b.txt", &st, 0), 0);
	struct seen s = {0};
	cr_assert_eq(vfs_workspace_changes(v, m.host, note_change, &s), 0);
	for (int i = 0; i < s.n; i++)
		cr_log_info("%s", s.what[i]);
	cr_assert_eq(s.n, 6, "%d changes", s.n);
	cr_assert(seen_has(&s, "removed a.txt"));
	cr_assert(seen_has(&s, "removed c.txt"));
	cr_assert(seen_has(&s, "added new.txt"));
	cr_assert(seen_has(&s, "changed sub/inner.txt"));
	cr_assert(seen_has(&s, "added sub/c2.txt"));
	cr_assert(seen_has(&s, "changed sub/deeper"));
	vfs_path_put(&c.cwd);
	vfs_path_put(&root);
	vfs_destroy(v);
	host_cleanup(&m);
}

static void list_all(struct vfs_ctx *c, const char *path)
{
	struct vfs_file *d;
	char buf[4096];
	cr_assert_eq(vfs_openat(c, NULL, path, O_RDONLY | O_DIRECTORY, 0, &d), 0);
	while (vfs_getdents64(c, d, buf, sizeof(buf)) > 0)
		;
	vfs_file_put(d);
}

/* Listed folders: an entry the listing made and nothing looked up is the
 * host's still (the comparison at exit skips it unread); what was changed,
 * added or removed after the listing is reported, and a file the host lost
 * meanwhile is not (the workload did not remove it). */
Test(overlay, workspace_changes_after_listing)
{
	struct img m;
	host_tree(&m);
	const char *ws[] = {m.host, NULL};
	struct vfs *v = vfs_create(NULL);
	struct vfs_root_opts opts = {.workspaces = ws, .tty_fd = -1};
	struct vfs_path root;
	cr_assert_eq(vfs_build_root(v, &opts, &root), 0);
	struct vfs_ctx c = {.vfs = v, .root = root, .cwd = root, .umask = 022};
	cr_assert_eq(vfs_lookup_dir(&c, NULL, m.host, &c.cwd), 0);
	list_all(&c, ".");
	list_all(&c, "sub");
	cr_assert_eq(vfs_fchmodat(&c, NULL, "b.txt", 0600, 0), 0);
	cr_assert_eq(vfs_unlinkat(&c, NULL, "a.txt", 0), 0);
	struct vfs_file *f;
	cr_assert_eq(vfs_openat(&c, NULL, "sub/new.txt", O_CREAT | O_WRONLY, 0644, &f), 0);
	vfs_file_put(f);
	char p[300];
	snprintf(p, sizeof(p), "%s/c.txt", m.host);
	cr_assert_eq(unlink(p), 0);
	struct seen s = {0};
	cr_assert_eq(vfs_workspace_changes(v, m.host, note_change, &s), 0);
	for (int i = 0; i < s.n; i++)
		cr_log_info("%s", s.what[i]);
	cr_assert_eq(s.n, 3, "%d changes", s.n);
	cr_assert(seen_has(&s, "removed a.txt"));
	cr_assert(seen_has(&s, "changed b.txt"));
	cr_assert(seen_has(&s, "added sub/new.txt"));
	vfs_path_put(&c.cwd);
	vfs_path_put(&root);
	vfs_destroy(v);
	host_cleanup(&m);
}

/* Given a host view (a read-only, detached clone of the host's mounts, as
 * sentry/hostview.c makes it), files are opened in place: the contents fd
 * is the host's file, read-only, on a read-only mount, so neither it nor a
 * reopen of it can change the host; an open for writing copies up, and the
 * open made before keeps the old contents. Skipped without open_tree. */
Test(overlay, host_view_opens_in_place)
{
	int view = (int)syscall(428 /* open_tree */, AT_FDCWD, "/", 1 /* OPEN_TREE_CLONE */ | O_CLOEXEC | AT_RECURSIVE);
	struct { uint64_t set, clr, prop, userns; } attr = { .set = 0x1 | 0x2 | 0x4 /* RDONLY NOSUID NODEV */ };
	if (view < 0 || syscall(442 /* mount_setattr */, view, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) < 0)
		cr_skip_test("no host view: %s", strerror(errno));
	struct img m;
	host_tree(&m);
	/* opened in place only beneath the host's "/" */
	const char *only[] = { m.host, NULL };
	struct vfs_hostimg_policy pol = {.host_root = "/", .include = only, .host_view = view};
	char path[128];
	snprintf(path, sizeof(path), "%s/a.txt", m.host);
	m.vfs = vfs_create(NULL);
	struct vfs_sb *top;
	cr_assert_eq(vfs_hostimg_new(m.vfs, &pol, &m.sb), 0);
	cr_assert_eq(vfs_overlay_new(m.vfs, m.sb, &top), 0);
	vfs_sb_put(m.sb);
	memset(&m.ctx, 0, sizeof(m.ctx));
	m.ctx.vfs = m.vfs;
	cr_assert_eq(vfs_mount_root(m.vfs, top, 0, &m.ctx.root), 0);
	vfs_sb_put(top);
	m.ctx.cwd = m.ctx.root;
	vfs_path_get(&m.ctx.cwd);

	struct vfs_file *r, *w;
	cr_assert_eq(vfs_openat(&m.ctx, NULL, path, O_RDONLY, 0, &r), 0);
	int fd = vfs_file_fd(r);
	cr_assert(fd >= 0);
	cr_assert(vfs_file_on_host(r));
	char host[256];
	snprintf(host, sizeof(host), "%s/a.txt", m.host);
	struct stat hs, fs;
	cr_assert_eq(stat(host, &hs), 0);
	cr_assert_eq(fstat(fd, &fs), 0);
	cr_assert(hs.st_dev == fs.st_dev && hs.st_ino == fs.st_ino, "the host's own file, not a copy");
	cr_assert_eq(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDONLY);
	cr_assert_eq(write(fd, "x", 1), -1);
	cr_assert_eq(errno, EBADF);
	char self[64];
	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	cr_assert_eq(open(self, O_RDWR), -1, "a reopen for writing");
	cr_assert_eq(errno, EROFS);
	cr_assert_eq(fchmod(fd, 0777), -1);
	cr_assert_eq(errno, EROFS);
	cr_assert_eq(fsetxattr(fd, "user.sentry", "x", 1, 0), -1);
	cr_assert_eq(errno, EROFS);
	struct timespec t[2] = { { 1, 0 }, { 1, 0 } };
	cr_assert_eq(futimens(fd, t), -1);
	cr_assert_eq(errno, EROFS);
	struct stat vs;
	cr_assert_eq(vfs_fstat(r, &vs), 0);
	cr_assert_neq(vs.st_dev, hs.st_dev, "fstat through the VFS answers the VFS's inode");

	cr_assert_eq(vfs_openat(&m.ctx, NULL, path, O_WRONLY | O_TRUNC, 0, &w), 0);
	cr_assert(!vfs_file_on_host(w));
	cr_assert_eq(vfs_file_pwrite(&m.ctx, w, "new\n", 4, 0), 4);
	char buf[64] = {0};
	cr_assert_eq(pread(fd, buf, sizeof(buf) - 1, 0), 14);
	cr_assert_str_eq(buf, "same contents\n", "the open made before the copy-up keeps the old contents");
	read_all(&m, path, buf, sizeof(buf));
	cr_assert_str_eq(buf, "new\n");
	cr_assert_eq(stat(host, &fs), 0);
	cr_assert(fs.st_size == hs.st_size && fs.st_mtim.tv_nsec == hs.st_mtim.tv_nsec, "the host file is unchanged");
	vfs_file_put(w);
	vfs_file_put(r);

	/* another root: copied, as without a view */
	struct vfs *other = vfs_create(NULL);
	struct vfs_sb *sb;
	struct vfs_hostimg_policy copied = {.host_root = m.host, .host_view = view};
	cr_assert_eq(vfs_hostimg_new(other, &copied, &sb), 0);
	struct vfs_ctx ctx = {.vfs = other, .umask = 022};
	cr_assert_eq(vfs_mount_root(other, sb, 0, &ctx.root), 0);
	vfs_sb_put(sb);
	ctx.cwd = ctx.root;
	vfs_path_get(&ctx.cwd);
	cr_assert_eq(vfs_openat(&ctx, NULL, "/c.txt", O_RDONLY, 0, &r), 0);
	cr_assert(vfs_file_fd(r) >= 0);
	cr_assert(!vfs_file_on_host(r));
	vfs_file_put(r);
	vfs_path_put(&ctx.root);
	vfs_path_put(&ctx.cwd);
	vfs_destroy(other);
	close_img(&m);
	close(view);
}
