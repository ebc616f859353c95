/* Extended attributes: the same sequences on a real tmpfs and on the VFS,
 * then what only the VFS has (the byte limit, the overlay). */
#define _GNU_SOURCE
#include "twin.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>


/* Printable form of a value or a name list (NULs as '|'). */
static void show(const char *data, long len, char *text, size_t size)
{
	size_t n = 0;
	for (long i = 0; i < len && n + 1 < size; i++)
		text[n++] = data[i] ? data[i] : '|';
	text[n] = 0;
}

static bool nofollow(int at_flags)
{
	return at_flags & AT_SYMLINK_NOFOLLOW;
}

static long x_set(struct side *s, const char *path, const char *name, const char *value, size_t size,
		  int flags, int at_flags)
{
	long r;
	if (s->native)
		r = twin_errno(nofollow(at_flags) ? lsetxattr(path, name, value, size, flags)
					   : setxattr(path, name, value, size, flags));
	else
		r = vfs_setxattrat(&s->ctx, NULL, path, at_flags, name, value, size, flags);
	return twin_record(s, r, NULL, "setxattr %s %.40s %zu %#x %#x", path, name, size, flags, at_flags);
}

static long x_get(struct side *s, const char *path, const char *name, size_t size, int at_flags)
{
	char *buf = s->scratch;
	char text[512] = "";
	long r;
	if (size > sizeof(s->scratch))
		buf = malloc(size);
	if (s->native)
		r = twin_errno(nofollow(at_flags) ? lgetxattr(path, name, buf, size) : getxattr(path, name, buf, size));
	else
		r = vfs_getxattrat(&s->ctx, NULL, path, at_flags, name, buf, size);
	if (r > 0 && size)
		show(buf, r, text, sizeof(text));
	if (buf != s->scratch)
		free(buf);
	return twin_record(s, r, text, "getxattr %s %.40s %zu %#x", path, name, size, at_flags);
}

static long x_list(struct side *s, const char *path, size_t size, int at_flags)
{
	char *buf = s->scratch;
	char text[512] = "";
	long r;
	if (size > sizeof(s->scratch))
		buf = malloc(size);
	if (s->native)
		r = twin_errno(nofollow(at_flags) ? llistxattr(path, buf, size) : listxattr(path, buf, size));
	else
		r = vfs_listxattrat(&s->ctx, NULL, path, at_flags, buf, size);
	if (r > 0 && size)
		show(buf, r, text, sizeof(text));
	if (buf != s->scratch)
		free(buf);
	return twin_record(s, r, text, "listxattr %s %zu %#x", path, size, at_flags);
}

static long x_remove(struct side *s, const char *path, const char *name, int at_flags)
{
	long r;
	if (s->native)
		r = twin_errno(nofollow(at_flags) ? lremovexattr(path, name) : removexattr(path, name));
	else
		r = vfs_removexattrat(&s->ctx, NULL, path, at_flags, name);
	return twin_record(s, r, NULL, "removexattr %s %.40s %#x", path, name, at_flags);
}

static long x_fset(struct side *s, int h, const char *name, const char *value, int flags)
{
	size_t size = strlen(value);
	long r = s->native ? twin_errno(fsetxattr(s->fds[h], name, value, size, flags))
			   : vfs_fsetxattr(&s->ctx, s->files[h], name, value, size, flags);
	return twin_record(s, r, NULL, "fsetxattr %d %s %zu %#x", h, name, size, flags);
}

static long x_fget(struct side *s, int h, const char *name)
{
	char buf[256], text[256] = "";
	long r = s->native ? twin_errno(fgetxattr(s->fds[h], name, buf, sizeof(buf)))
			   : vfs_fgetxattr(&s->ctx, s->files[h], name, buf, sizeof(buf));
	if (r > 0)
		show(buf, r, text, sizeof(text));
	return twin_record(s, r, text, "fgetxattr %d %s", h, name);
}

static long x_flist(struct side *s, int h)
{
	char buf[512], text[512] = "";
	long r = s->native ? twin_errno(flistxattr(s->fds[h], buf, sizeof(buf)))
			   : vfs_flistxattr(&s->ctx, s->files[h], buf, sizeof(buf));
	if (r > 0)
		show(buf, r, text, sizeof(text));
	return twin_record(s, r, text, "flistxattr %d", h);
}

static long x_fremove(struct side *s, int h, const char *name)
{
	long r = s->native ? twin_errno(fremovexattr(s->fds[h], name)) : vfs_fremovexattr(&s->ctx, s->files[h], name);
	return twin_record(s, r, NULL, "fremovexattr %d %s", h, name);
}

static void touch(struct side *s, const char *path, mode_t mode)
{
	s_close(s, s_open(s, path, O_CREAT | O_WRONLY, mode));
	s_chmod(s, path, mode, 0);
}

#define SET(s, path, name, value) x_set(s, path, name, value, strlen(value), 0, 0)

TWIN(xattr, set_get_list_remove)
{
	touch(s, "f", 0644);
	x_list(s, "f", 0, 0);
	SET(s, "f", "user.zeta", "1");
	SET(s, "f", "user.alpha", "second value");
	SET(s, "f", "user.mid", "");
	x_set(s, "f", "user.bin", "a\0b", 3, 0, 0);
	x_set(s, "f", "user.null", NULL, 0, 0, 0);
	x_list(s, "f", 0, 0);
	x_list(s, "f", 256, 0);
	x_list(s, "f", 10, 0);
	x_get(s, "f", "user.alpha", 256, 0);
	x_get(s, "f", "user.alpha", 0, 0);
	x_get(s, "f", "user.alpha", 12, 0);
	x_get(s, "f", "user.alpha", 11, 0);
	x_get(s, "f", "user.bin", 256, 0);
	x_get(s, "f", "user.mid", 256, 0);
	x_get(s, "f", "user.null", 0, 0);
	x_get(s, "f", "user.missing", 256, 0);
	SET(s, "f", "user.zeta", "replaced, longer");
	x_get(s, "f", "user.zeta", 256, 0);
	x_remove(s, "f", "user.zeta", 0);
	x_remove(s, "f", "user.zeta", 0);
	x_get(s, "f", "user.zeta", 256, 0);
	x_list(s, "f", 256, 0);
}

TWIN(xattr, create_replace_flags)
{
	touch(s, "f", 0644);
	SET(s, "f", "user.one", "1");
	x_set(s, "f", "user.one", "new", 3, XATTR_CREATE, 0);
	x_set(s, "f", "user.one", "new", 3, XATTR_REPLACE, 0);
	x_get(s, "f", "user.one", 256, 0);
	x_set(s, "f", "user.two", "2", 1, XATTR_REPLACE, 0);
	x_set(s, "f", "user.two", "2", 1, XATTR_CREATE, 0);
	x_set(s, "f", "user.two", "3", 1, XATTR_CREATE, 0);
	x_set(s, "f", "user.one", "x", 1, XATTR_CREATE | XATTR_REPLACE, 0);
	x_set(s, "f", "user.new", "x", 1, XATTR_CREATE | XATTR_REPLACE, 0);
	x_set(s, "f", "user.x", "x", 1, 4, 0);
	x_set(s, "missing", "user.x", "x", 1, 4, 0);
	x_list(s, "f", 256, 0);
}

TWIN(xattr, names_and_sizes)
{
	touch(s, "f", 0644);
	char name[300];
	memset(name, 'n', sizeof(name));
	memcpy(name, "user.", 5);
	name[255] = 0;
	SET(s, "f", name, "255");
	x_get(s, "f", name, 256, 0);
	name[255] = 'n';
	name[256] = 0;
	SET(s, "f", name, "256");
	x_get(s, "f", name, 256, 0);
	x_remove(s, "f", name, 0);
	x_set(s, "missing", name, "v", 1, 0, 0);
	SET(s, "f", "", "v");
	SET(s, "f", "user.", "v");
	x_get(s, "f", "user.", 0, 0);
	x_remove(s, "f", "user.", 0);
	SET(s, "f", "user", "v");
	SET(s, "f", "nonamespace", "v");
	SET(s, "f", "bogus.name", "v");
	SET(s, "f", "system.foo", "v");
	x_get(s, "f", "system.foo", 0, 0);
	x_get(s, "f", "bogus.name", 0, 0);
	x_remove(s, "f", "bogus.name", 0);
	char *big = calloc(1, 65537);
	big[0] = 'B';
	big[65535] = 'E';
	x_set(s, "f", "user.big", big, 65537, 0, 0);
	x_set(s, "f", "user.big", big, 65536, 0, 0);
	x_get(s, "f", "user.big", 0, 0);
	x_get(s, "f", "user.big", 65535, 0);
	x_get(s, "f", "user.big", 65536, 0);
	free(big);
	x_list(s, "f", 256, 0);
}

TWIN(xattr, long_list)
{
	touch(s, "f", 0644);
	char name[256];
	for (int i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "user.%0240d", i);
		if (s->native ? setxattr("f", name, "", 0, 0) : vfs_setxattrat(&s->ctx, NULL, "f", 0, name, "", 0, 0))
			s_note(s, "set failed", i);
	}
	x_list(s, "f", 0, 0);
	x_list(s, "f", 100, 0);
	x_list(s, "f", 65535, 0);
	x_list(s, "f", 65536, 0);
	x_list(s, "f", 70000, 0);
}

TWIN(xattr, file_kinds)
{
	touch(s, "f", 0644);
	s_mkdir(s, "d", 0755);
	s_symlink(s, "f", "l");
	s_symlink(s, "nowhere", "dangling");
	s_mknod(s, "p", S_IFIFO | 0644);
	SET(s, "d", "user.dir", "dv");
	x_list(s, "d", 256, 0);
	x_get(s, "d", "user.dir", 256, 0);
	x_set(s, "l", "user.link", "lv", 2, 0, AT_SYMLINK_NOFOLLOW);
	x_get(s, "l", "user.link", 256, AT_SYMLINK_NOFOLLOW);
	x_remove(s, "l", "user.link", AT_SYMLINK_NOFOLLOW);
	x_list(s, "l", 256, AT_SYMLINK_NOFOLLOW);
	SET(s, "l", "user.via", "through the link");
	x_get(s, "f", "user.via", 256, 0);
	x_get(s, "l", "user.via", 256, 0);
	x_get(s, "l", "user.via", 256, AT_SYMLINK_NOFOLLOW);
	x_list(s, "l", 256, 0);
	x_get(s, "dangling", "user.x", 256, 0);
	x_get(s, "dangling", "user.x", 256, AT_SYMLINK_NOFOLLOW);
	x_set(s, "dangling", "user.x", "v", 1, 0, 0);
	SET(s, "p", "user.one", "1");
	x_get(s, "p", "user.one", 256, 0);
	x_remove(s, "p", "user.one", 0);
	x_list(s, "p", 256, 0);
	SET(s, "f/", "user.x", "v");
	SET(s, "d/", "user.x", "v");
	SET(s, "missing", "user.x", "v");
	SET(s, "", "user.x", "v");
}

TWIN(xattr, follow_the_inode)
{
	touch(s, "f", 0644);
	SET(s, "f", "user.one", "1");
	s_link(s, "f", "g", 0);
	s_rename(s, "f", "h", 0);
	x_get(s, "g", "user.one", 256, 0);
	SET(s, "h", "user.two", "2");
	x_list(s, "g", 256, 0);
	int h = s_open(s, "g", O_RDONLY, 0);
	s_unlink(s, "g");
	s_unlink(s, "h");
	x_flist(s, h);
	x_fget(s, h, "user.two");
	s_close(s, h);
}

TWIN(xattr, by_fd)
{
	touch(s, "f", 0644);
	int h = s_open(s, "f", O_RDONLY, 0);
	x_fset(s, h, "user.fd", "by fd", 0);
	x_fget(s, h, "user.fd");
	x_flist(s, h);
	x_fset(s, h, "user.fd", "again", XATTR_CREATE);
	x_fremove(s, h, "user.fd");
	x_fremove(s, h, "user.fd");
	x_fget(s, h, "user.fd");
	x_fset(s, h, "user.bad", "v", 8);
	s_close(s, h);
	s_mkdir(s, "d", 0755);
	h = s_open(s, "d", O_RDONLY | O_DIRECTORY, 0);
	x_fset(s, h, "user.dirfd", "v", 0);
	x_flist(s, h);
	s_close(s, h);
	h = s_open(s, "f", O_PATH, 0);
	x_fset(s, h, "user.path", "v", 0);
	x_fget(s, h, "user.fd");
	x_flist(s, h);
	x_fremove(s, h, "user.fd");
	s_close(s, h);
}

TWIN(xattr, ctime_changes)
{
	touch(s, "f", 0644);
	s_age(s, "f");
	s_mark(s, "f");
	SET(s, "f", "user.a", "1");
	s_times(s, "f");
	s_mark(s, "f");
	x_get(s, "f", "user.a", 256, 0);
	x_list(s, "f", 256, 0);
	x_set(s, "f", "user.a", "2", 1, XATTR_CREATE, 0);
	x_remove(s, "f", "user.b", 0);
	s_times(s, "f");
	s_mark(s, "f");
	SET(s, "f", "user.a", "2");
	s_times(s, "f");
	s_mark(s, "f");
	x_remove(s, "f", "user.a", 0);
	s_times(s, "f");
}

static const gid_t extra[] = {2000};

TWIN(xattr, permissions)
{
	touch(s, "rootfile", 0644);
	SET(s, "rootfile", "user.seen", "by all");
	touch(s, "closed", 0600);
	s_chown(s, "closed", 1000, 1000, 0);
	SET(s, "closed", "user.own", "mine");
	touch(s, "mine", 0644);
	s_chown(s, "mine", 1000, 1000, 0);
	touch(s, "grp", 0664);
	s_chown(s, "grp", 0, 2000, 0);
	s_mkdir(s, "sticky", 01777);
	s_mkdir(s, "sticky/own", 0755);
	s_chown(s, "sticky/own", 1000, 1000, 0);
	s_chmod(s, "sticky/own", 01777, 0);
	s_drop(s, 1000, 1000, 1, extra);
	SET(s, "rootfile", "user.x", "v");
	x_get(s, "rootfile", "user.seen", 256, 0);
	x_list(s, "rootfile", 256, 0);
	x_remove(s, "rootfile", "user.seen", 0);
	SET(s, "rootfile", "bogus", "v");
	x_get(s, "rootfile", "bogus", 256, 0);
	SET(s, "grp", "user.g", "group write");
	SET(s, "mine", "user.m", "v");
	s_chmod(s, "closed", 0000, 0);
	x_get(s, "closed", "user.own", 256, 0);
	x_get(s, "closed", "user.", 256, 0);
	x_list(s, "closed", 256, 0);
	SET(s, "closed", "user.own", "v");
	x_remove(s, "closed", "user.own", 0);
	SET(s, "sticky", "user.s", "v");
	x_remove(s, "sticky", "user.s", 0);
	x_get(s, "sticky", "user.s", 256, 0);
	SET(s, "sticky/own", "user.s", "v");
}

/* Root with CAP_SYS_ADMIN reads, writes and lists trusted.* and writes
 * security.*, as python's test.support.can_xattr() expects. */
TWIN(xattr, privileged_namespaces_root)
{
	touch(s, "f", 0666);
	SET(s, "f", "trusted.t", "1");
	x_get(s, "f", "trusted.t", 256, 0);
	SET(s, "f", "security.s", "2");
	x_get(s, "f", "security.s", 256, 0);
	SET(s, "f", "user.u", "3");
	x_list(s, "f", 256, 0);
	x_remove(s, "f", "trusted.t", 0);
	x_remove(s, "f", "security.s", 0);
	x_list(s, "f", 256, 0);
}

/* Without capabilities trusted.* is invisible and security.* read-only,
 * with Linux's special case for an empty security.capability. */
TWIN(xattr, privileged_namespaces)
{
	touch(s, "f", 0666);
	s_symlink(s, "f", "l");
	s_mknod(s, "p", S_IFIFO | 0666);
	s_drop(s, 1000, 1000, 1, extra);
	SET(s, "f", "trusted.t", "1");
	x_get(s, "f", "trusted.t", 256, 0);
	x_remove(s, "f", "trusted.t", 0);
	SET(s, "f", "trusted.", "1");
	SET(s, "f", "security.s", "1");
	SET(s, "f", "security.", "1");
	x_get(s, "f", "security.s", 256, 0);
	x_remove(s, "f", "security.s", 0);
	x_set(s, "l", "trusted.t", "1", 1, 0, AT_SYMLINK_NOFOLLOW);
	x_set(s, "l", "security.s", "1", 1, 0, AT_SYMLINK_NOFOLLOW);
	SET(s, "p", "trusted.t", "1");
	SET(s, "p", "security.s", "1");
	static const unsigned char caps_v2[20] = {0, 0, 0, 2};
	x_set(s, "f", "security.capability", (const char *)caps_v2, sizeof(caps_v2), 0, 0);
	x_set(s, "f", "security.capability", (const char *)caps_v2, 19, 0, 0);
	x_set(s, "p", "security.capability", (const char *)caps_v2, 19, 0, 0);
	x_get(s, "f", "security.capability", 256, 0);
	x_set(s, "f", "security.capability", "", 0, 0, 0);
	x_set(s, "f", "security.capability", "", 0, XATTR_CREATE, 0);
	x_list(s, "f", 256, 0);
	x_get(s, "f", "security.capability", 256, 0);
	x_remove(s, "f", "security.capability", 0);
	x_set(s, "l", "security.capability", "", 0, 0, AT_SYMLINK_NOFOLLOW);
	x_list(s, "l", 256, AT_SYMLINK_NOFOLLOW);
	SET(s, "f", "user.u", "1");
	x_list(s, "f", 256, 0);
}

/* --- VFS only ------------------------------------------------------------------- */

struct box {
	struct vfs *vfs;
	struct vfs_ctx ctx;
	char host[64];
};

static void box_ctx(struct box *b, struct vfs_sb *top)
{
	memset(&b->ctx, 0, sizeof(b->ctx));
	b->ctx.vfs = b->vfs;
	cr_assert_eq(vfs_mount_root(b->vfs, top, 0, &b->ctx.root), 0);
	vfs_sb_put(top);
	b->ctx.cwd = b->ctx.root;
	vfs_path_get(&b->ctx.cwd);
	b->ctx.umask = 022;
}

static void box_memfs(struct box *b, uint64_t max_bytes)
{
	struct vfs_limits limits = {.max_bytes = max_bytes};
	b->vfs = vfs_create(&limits);
	b->host[0] = 0;
	struct vfs_sb *sb;
	cr_assert_eq(vfs_memfs_new(b->vfs, S_IFDIR | 0755, &sb), 0);
	box_ctx(b, sb);
}

/* An overlay over a host folder holding "img" (with a user.* attribute of
 * its own, which the image does not show). */
static void box_overlay(struct box *b, bool overlay)
{
	strcpy(b->host, "/dev/shm/vfs-xattr-XXXXXX");
	cr_assert(mkdtemp(b->host));
	char path[128];
	snprintf(path, sizeof(path), "%s/img", b->host);
	FILE *f = fopen(path, "w");
	cr_assert(f);
	fputs("image contents\n", f);
	fclose(f);
	cr_assert_eq(setxattr(path, "user.host", "h", 1, 0), 0);
	b->vfs = vfs_create(NULL);
	struct vfs_hostimg_policy pol = {.host_root = b->host};
	struct vfs_sb *img, *top;
	cr_assert_eq(vfs_hostimg_new(b->vfs, &pol, &img), 0);
	top = img;
	if (overlay) {
		cr_assert_eq(vfs_overlay_new(b->vfs, img, &top), 0);
		vfs_sb_put(img);
	}
	box_ctx(b, top);
}

static void box_free(struct box *b)
{
	vfs_path_put(&b->ctx.root);
	vfs_path_put(&b->ctx.cwd);
	vfs_destroy(b->vfs);
	if (b->host[0]) {
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", b->host);
		cr_assert_eq(system(cmd), 0);
	}
}

static uint64_t bytes_used(struct box *b)
{
	uint64_t bytes;
	vfs_usage(b->vfs, &bytes, NULL);
	return bytes;
}

static void make_file(struct box *b, const char *path)
{
	struct vfs_file *f;
	cr_assert_eq(vfs_openat(&b->ctx, NULL, path, O_CREAT | O_WRONLY, 0644, &f), 0);
	vfs_file_put(f);
}

Test(xattr_vfs, values_count_against_the_byte_limit)
{
	struct box b;
	box_memfs(&b, 1500);
	make_file(&b, "/f");
	uint64_t file = bytes_used(&b);
	static char value[600];
	cr_assert_eq(vfs_setxattrat(&b.ctx, NULL, "/f", 0, "user.a", value, 600, 0), 0);
	uint64_t a600 = bytes_used(&b) - file;
	cr_assert_geq(a600, 600 + sizeof("user.a"));
	cr_assert_lt(a600, 600 + sizeof("user.a") + 64, "the value, its name and a small header");
	cr_assert_eq(vfs_setxattrat(&b.ctx, NULL, "/f", 0, "user.b", value, 600, 0), -ENOSPC);
	cr_assert_eq(vfs_getxattrat(&b.ctx, NULL, "/f", 0, "user.b", NULL, 0), -ENODATA);
	cr_assert_eq(vfs_setxattrat(&b.ctx, NULL, "/f", 0, "user.a", value, 300, 0), 0);
	cr_assert_eq(bytes_used(&b), file + a600 - 300);
	cr_assert_eq(vfs_setxattrat(&b.ctx, NULL, "/f", 0, "user.b", value, 600, 0), 0);
	cr_assert_eq(vfs_removexattrat(&b.ctx, NULL, "/f", 0, "user.a"), 0);
	cr_assert_eq(bytes_used(&b), file + a600);
	cr_assert_eq(vfs_unlinkat(&b.ctx, NULL, "/f", 0), 0);
	cr_assert_eq(bytes_used(&b), 0);
	box_free(&b);
}

Test(xattr_vfs, overlay_copies_up_image_files)
{
	struct box b;
	box_overlay(&b, true);
	char buf[64];
	cr_assert_eq(vfs_listxattrat(&b.ctx, NULL, "/img", 0, buf, sizeof(buf)), 0);
	cr_assert_eq(vfs_getxattrat(&b.ctx, NULL, "/img", 0, "user.host", buf, sizeof(buf)), -ENODATA);
	cr_assert_eq(bytes_used(&b), 0);
	cr_assert_eq(vfs_setxattrat(&b.ctx, NULL, "/img", 0, "user.new", "v", 1, 0), 0);
	/* the copy-up: an inode, a page of contents, the attribute */
	cr_assert_gt(bytes_used(&b), 4096 + sizeof("user.new") + 1);
	cr_assert_lt(bytes_used(&b), 4096 + 1024);
	cr_assert_eq(vfs_getxattrat(&b.ctx, NULL, "/img", 0, "user.new", buf, sizeof(buf)), 1);
	struct vfs_file *f;
	cr_assert_eq(vfs_openat(&b.ctx, NULL, "/img", O_RDONLY, 0, &f), 0);
	ssize_t n = vfs_file_pread(f, buf, sizeof(buf) - 1, 0);
	cr_assert_eq(n, (ssize_t)strlen("image contents\n"));
	vfs_file_put(f);
	cr_assert_eq(vfs_setxattrat(&b.ctx, NULL, "/", 0, "user.root", "r", 1, 0), 0);
	cr_assert_eq(vfs_listxattrat(&b.ctx, NULL, "/", 0, buf, sizeof(buf)), (ssize_t)sizeof("user.root"));
	char host[128];
	snprintf(host, sizeof(host), "%s/img", b.host);
	cr_assert_eq(getxattr(host, "user.new", buf, sizeof(buf)), -1, "the host file must stay untouched");
	box_free(&b);
}

Test(xattr_vfs, image_is_read_only)
{
	struct box b;
	box_overlay(&b, false);
	char buf[64];
	cr_assert_eq(vfs_listxattrat(&b.ctx, NULL, "/img", 0, buf, sizeof(buf)), 0);
	cr_assert_eq(vfs_getxattrat(&b.ctx, NULL, "/img", 0, "user.host", buf, sizeof(buf)), -ENODATA);
	cr_assert_eq(vfs_setxattrat(&b.ctx, NULL, "/img", 0, "user.new", "v", 1, 0), -EROFS);
	cr_assert_eq(vfs_removexattrat(&b.ctx, NULL, "/img", 0, "user.host"), -EROFS);
	box_free(&b);
}

Test(xattr_vfs, empty_path_names_the_dir_file)
{
	struct box b;
	box_memfs(&b, 0);
	make_file(&b, "/f");
	struct vfs_file *f;
	cr_assert_eq(vfs_openat(&b.ctx, NULL, "/f", O_RDONLY, 0, &f), 0);
	cr_assert_eq(vfs_setxattrat(&b.ctx, f, "", AT_EMPTY_PATH, "user.e", "v", 1, 0), 0);
	cr_assert_eq(vfs_getxattrat(&b.ctx, f, "", 0, "user.e", NULL, 0), -ENOENT);
	cr_assert_eq(vfs_getxattrat(&b.ctx, NULL, "/f", 0, "user.e", NULL, 0), 1);
	cr_assert_eq(vfs_setxattrat(&b.ctx, NULL, "/f", AT_REMOVEDIR, "user.e", "v", 1, 0), -EINVAL);
	vfs_file_put(f);
	box_free(&b);
}
