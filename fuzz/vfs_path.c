/* The VFS path walk under a stream of path operations.
 *
 * The tree: an overlay over a read-only host image (a small host folder
 * made at start-up, with symlinks that point up, across and in a loop) at
 * /, a memfs at /tmp and an empty read-only memfs at /ro. Limits keep it
 * small: 128 inodes and 256 KiB of file data.
 *
 * The input is a program: each operation is one byte choosing the call,
 * then its arguments (flags, modes, sizes as raw little-endian integers;
 * paths as NUL-terminated strings). Handles keep up to four open files, so
 * dirfd-relative walks, getdents and writes see the same tree. The tree is
 * rebuilt for every input, so a crash reproduces from its input alone.
 *
 * Checked after every call: the result is >= 0 or a Linux errno; sizes
 * stay within the buffers given; directory records are well formed; the
 * writable layers stay within the limits; and the post-conditions that
 * follow from success (a new directory is a directory, an unlinked name is
 * gone, a new symlink reads back as its target). */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "vfs.h"

#define MAX_OPS 48
#define NHANDLES 4
#define LIMIT_INODES 128
#define LIMIT_BYTES (256 * 1024)

static char host_root[64];

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	return remove(path);
}

static void remove_host_root(void)
{
	if (host_root[0])
		nftw(host_root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void host_file(const char *rel, const char *text, mode_t mode)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", host_root, rel);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (fd < 0 || write(fd, text, strlen(text)) < 0) {
		perror(p);
		abort();
	}
	close(fd);
}

static void host_dir(const char *rel)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", host_root, rel);
	if (mkdir(p, 0755) < 0) {
		perror(p);
		abort();
	}
}

static void host_symlink(const char *target, const char *rel)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", host_root, rel);
	if (symlink(target, p) < 0) {
		perror(p);
		abort();
	}
}

/* The host side of the image, made once per process. */
static void make_host_tree(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(host_root, sizeof(host_root), "%.40s/sentry-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(host_root)) {
		perror("mkdtemp");
		abort();
	}
	atexit(remove_host_root);
	host_dir("etc");
	host_file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0644);
	host_file("etc/shadow", "root:*:1::::::\n", 0600);
	host_dir("bin");
	host_file("bin/sh", "#!/bin/sh\n", 0755);
	host_dir("usr");
	host_dir("usr/lib");
	host_file("usr/lib/libc.so.6", "\177ELF", 0644);
	host_dir("home");
	host_dir("home/user");
	host_file("home/user/notes", "a\nb\n", 0600);
	host_dir("tmp");
	host_dir("ro");
	host_symlink("usr/lib", "lib");
	host_symlink("/etc/passwd", "passwd");
	host_symlink("../../..", "home/user/up");
	host_symlink("loop", "loop");
	host_symlink("missing", "dangling");
	host_file("secret.key", "hidden\n", 0600);
}

static const char *const image_exclude[] = {"/secret.*", NULL};

struct world {
	struct vfs *vfs;
	struct vfs_path root;
};

static void must(int r, const char *what)
{
	if (r < 0) {
		fprintf(stderr, "setting up the tree: %s: %s\n", what, strerror(-r));
		abort();
	}
}

static void mount_memfs(struct vfs_ctx *ctx, const char *path, mode_t mode, unsigned flags)
{
	struct vfs_sb *sb;
	must(vfs_memfs_new(ctx->vfs, S_IFDIR | mode, &sb), "memfs");
	must(vfs_mount(ctx, path, sb, flags), path);
	vfs_sb_put(sb);
}

static void world_build(struct world *w)
{
	static const struct vfs_limits limits = {.max_bytes = LIMIT_BYTES, .max_inodes = LIMIT_INODES};
	w->vfs = vfs_create(&limits);
	if (!w->vfs)
		abort();
	struct vfs_hostimg_policy policy = {.host_root = host_root, .exclude = image_exclude};
	struct vfs_sb *img, *ovl;
	must(vfs_hostimg_new(w->vfs, &policy, &img), "hostimg");
	must(vfs_overlay_new(w->vfs, img, &ovl), "overlay");
	vfs_sb_put(img);
	must(vfs_mount_root(w->vfs, ovl, 0, &w->root), "root");
	vfs_sb_put(ovl);
	struct vfs_ctx ctx = {.vfs = w->vfs, .root = w->root, .cwd = w->root, .umask = 022};
	mount_memfs(&ctx, "/tmp", 01777, 0);
	mount_memfs(&ctx, "/ro", 0755, VFS_MNT_RDONLY);
	must(vfs_mkdirat(&ctx, NULL, "/tmp/d", 0755), "/tmp/d");
	must(vfs_symlinkat(&ctx, "../etc", NULL, "/tmp/etc"), "/tmp/etc");
	struct vfs_file *f;
	must(vfs_openat(&ctx, NULL, "/tmp/d/f", O_CREAT | O_WRONLY, 0644, &f), "/tmp/d/f");
	must((int)vfs_file_pwrite(&ctx, f, "data\n", 5, 0), "write /tmp/d/f");
	vfs_file_put(f);
}

static void world_destroy(struct world *w)
{
	vfs_path_put(&w->root);
	vfs_destroy(w->vfs);
	w->vfs = NULL;
}

/* --- one input ------------------------------------------------------------ */

struct run {
	struct fuzz_in in;
	struct vfs_ctx ctx;
	struct vfs_file *h[NHANDLES];
	char path[PATH_MAX], path2[PATH_MAX];
};

static const gid_t user_groups[] = {100};

static void set_cred(struct run *r, uint8_t who)
{
	if (who & 1) {
		r->ctx.cred = (struct vfs_cred){.uid = 1000, .gid = 1000, .ngroups = 1, .groups = user_groups};
	} else {
		r->ctx.cred = (struct vfs_cred){0};
	}
}

/* A dirfd argument: one of the handles (maybe empty: AT_FDCWD). */
static struct vfs_file *dirfd_of(struct run *r) { return r->h[fuzz_u8(&r->in) % NHANDLES]; }

static void keep(struct run *r, struct vfs_file *f)
{
	unsigned slot = fuzz_u8(&r->in) % NHANDLES;
	if (r->h[slot])
		vfs_file_put(r->h[slot]);
	r->h[slot] = f;
}

/* Mostly the AT_* flags a call knows (bit i of the byte sets the i-th
 * lowest of them), sometimes any bits at all. */
static int at_flags(struct run *r, int known)
{
	uint8_t sel = fuzz_u8(&r->in);
	if (sel >= 0xf0)
		return (int)fuzz_u32(&r->in);
	int flags = 0, bit = 0;
	for (int k = 0; k < 31; k++) {
		if (!(known & (1 << k)))
			continue;
		if (sel & (1 << bit))
			flags |= 1 << k;
		bit++;
	}
	return flags;
}

static void check_stat(const struct stat *st)
{
	mode_t t = st->st_mode & S_IFMT;
	FUZZ_CHECK(t == S_IFREG || t == S_IFDIR || t == S_IFLNK || t == S_IFIFO || t == S_IFSOCK ||
			   t == S_IFCHR || t == S_IFBLK,
		   "st_mode %o", st->st_mode);
	FUZZ_CHECK(st->st_size >= 0, "st_size %lld", (long long)st->st_size);
}

static void check_limits(struct run *r)
{
	uint64_t bytes, inodes;
	vfs_usage(r->ctx.vfs, &bytes, &inodes);
	FUZZ_CHECK(inodes <= LIMIT_INODES, "%llu inodes in use, limit %d", (unsigned long long)inodes, LIMIT_INODES);
	FUZZ_CHECK(bytes <= LIMIT_BYTES, "%llu bytes in use, limit %d", (unsigned long long)bytes, LIMIT_BYTES);
}

/* getdents64 records: each inside the result, 8-aligned, a NUL-terminated
 * name with no '/' in it. */
static void check_dirents(const char *buf, long len, size_t size)
{
	FUZZ_CHECK((size_t)len <= size, "getdents64 gave %ld bytes into %zu", len, size);
	for (long pos = 0; pos < len;) {
		FUZZ_CHECK(len - pos >= 24, "record at %ld cut short (%ld bytes)", pos, len);
		unsigned short reclen;
		memcpy(&reclen, buf + pos + 16, sizeof(reclen));
		FUZZ_CHECK(reclen >= 24 && reclen % 8 == 0 && reclen <= len - pos, "record at %ld: reclen %u of %ld",
			   pos, reclen, len);
		const char *name = buf + pos + 19;
		size_t room = (size_t)reclen - 19;
		size_t nlen = strnlen(name, room);
		FUZZ_CHECK(nlen > 0 && nlen < room, "record at %ld: name not terminated in its record", pos);
		FUZZ_CHECK(!memchr(name, '/', nlen), "record at %ld: name \"%s\" has a slash", pos, name);
		pos += reclen;
	}
}

static void op_open(struct run *r, bool v2)
{
	struct vfs_file *dir = dirfd_of(r);
	struct vfs_open_how how;
	if (v2) {
		how.flags = fuzz_u32(&r->in);
		if (fuzz_u8(&r->in) == 0xff)
			how.flags |= (uint64_t)fuzz_u32(&r->in) << 32;
		how.mode = fuzz_u16(&r->in);
		how.resolve = fuzz_u8(&r->in);
		if (how.resolve & 0x80)
			how.resolve = fuzz_u64(&r->in);
	} else {
		how.flags = fuzz_u32(&r->in);
		how.mode = fuzz_u16(&r->in);
		how.resolve = 0;
	}
	fuzz_str(&r->in, r->path, sizeof(r->path));
	struct vfs_file *f = NULL;
	long ret = v2 ? vfs_openat2(&r->ctx, dir, r->path, &how, &f)
		      : vfs_openat(&r->ctx, dir, r->path, (int)how.flags, (mode_t)how.mode, &f);
	FUZZ_CHECK_RESULT(ret, v2 ? "vfs_openat2" : "vfs_openat");
	if (ret < 0)
		return;
	FUZZ_CHECK(f, "open succeeded without a file");
	enum vfs_file_kind kind = vfs_file_kind(f);
	FUZZ_CHECK(kind >= VFS_FILE_REGULAR && kind <= VFS_FILE_PATH, "file kind %d", (int)kind);
	if (how.flags & O_PATH)
		FUZZ_CHECK(kind == VFS_FILE_PATH, "an O_PATH open gave kind %d", (int)kind);
	struct stat st;
	long sr = vfs_fstat(f, &st);
	FUZZ_CHECK_RESULT(sr, "vfs_fstat");
	if (sr == 0) {
		check_stat(&st);
		if ((how.flags & O_TMPFILE) == O_DIRECTORY && !(how.flags & O_CREAT))
			FUZZ_CHECK(S_ISDIR(st.st_mode), "O_DIRECTORY opened mode %o", st.st_mode);
	}
	keep(r, f);
}

static void op_stat(struct run *r)
{
	struct vfs_file *dir = dirfd_of(r);
	int flags = at_flags(r, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH);
	fuzz_str(&r->in, r->path, sizeof(r->path));
	struct stat st;
	long ret = vfs_fstatat(&r->ctx, dir, r->path, &st, flags);
	FUZZ_CHECK_RESULT(ret, "vfs_fstatat");
	if (ret == 0)
		check_stat(&st);
}

static void op_statx(struct run *r)
{
	struct vfs_file *dir = dirfd_of(r);
	int flags = at_flags(r, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE);
	unsigned mask = fuzz_u32(&r->in);
	fuzz_str(&r->in, r->path, sizeof(r->path));
	struct statx stx;
	long ret = vfs_statx(&r->ctx, dir, r->path, flags, mask, &stx);
	FUZZ_CHECK_RESULT(ret, "vfs_statx");
}

static void op_mkdir(struct run *r)
{
	struct vfs_file *dir = dirfd_of(r);
	mode_t mode = fuzz_u16(&r->in);
	fuzz_str(&r->in, r->path, sizeof(r->path));
	long ret = vfs_mkdirat(&r->ctx, dir, r->path, mode);
	FUZZ_CHECK_RESULT(ret, "vfs_mkdirat");
	if (ret == 0) {
		struct stat st;
		long sr = vfs_fstatat(&r->ctx, dir, r->path, &st, AT_SYMLINK_NOFOLLOW);
		FUZZ_CHECK(sr == 0 && S_ISDIR(st.st_mode), "mkdir \"%s\" succeeded, then lstat gave %ld mode %o",
			   r->path, sr, sr == 0 ? st.st_mode : 0);
	}
}

static void op_mknod(struct run *r)
{
	static const mode_t types[] = {S_IFREG, S_IFIFO, S_IFSOCK, S_IFCHR, S_IFBLK, S_IFDIR, S_IFLNK, 0};
	struct vfs_file *dir = dirfd_of(r);
	uint8_t t = fuzz_u8(&r->in);
	mode_t mode = (fuzz_u16(&r->in) & 07777) | types[t % 8];
	if (t >= 0xf8)
		mode = fuzz_u32(&r->in);
	dev_t dev = fuzz_u32(&r->in);
	fuzz_str(&r->in, r->path, sizeof(r->path));
	long ret = vfs_mknodat(&r->ctx, dir, r->path, mode, dev);
	FUZZ_CHECK_RESULT(ret, "vfs_mknodat");
}

static void op_unlink(struct run *r)
{
	struct vfs_file *dir = dirfd_of(r);
	int flags = at_flags(r, AT_REMOVEDIR);
	fuzz_str(&r->in, r->path, sizeof(r->path));
	long ret = vfs_unlinkat(&r->ctx, dir, r->path, flags);
	FUZZ_CHECK_RESULT(ret, "vfs_unlinkat");
	if (ret == 0) {
		struct stat st;
		long sr = vfs_fstatat(&r->ctx, dir, r->path, &st, AT_SYMLINK_NOFOLLOW);
		FUZZ_CHECK(sr == -ENOENT, "unlink \"%s\" (flags %#x) succeeded, then lstat gave %ld", r->path, flags, sr);
	}
}

static void op_rename(struct run *r)
{
	struct vfs_file *olddir = dirfd_of(r), *newdir = dirfd_of(r);
	uint8_t sel = fuzz_u8(&r->in);
	unsigned flags = sel < 0xf0 ? (sel & (RENAME_NOREPLACE | RENAME_EXCHANGE)) : fuzz_u32(&r->in);
	fuzz_str(&r->in, r->path, sizeof(r->path));
	fuzz_str(&r->in, r->path2, sizeof(r->path2));
	long ret = vfs_renameat2(&r->ctx, olddir, r->path, newdir, r->path2, flags);
	FUZZ_CHECK_RESULT(ret, "vfs_renameat2");
}

static void op_link(struct run *r)
{
	struct vfs_file *olddir = dirfd_of(r), *newdir = dirfd_of(r);
	int flags = at_flags(r, AT_SYMLINK_FOLLOW | AT_EMPTY_PATH);
	fuzz_str(&r->in, r->path, sizeof(r->path));
	fuzz_str(&r->in, r->path2, sizeof(r->path2));
	long ret = vfs_linkat(&r->ctx, olddir, r->path, newdir, r->path2, flags);
	FUZZ_CHECK_RESULT(ret, "vfs_linkat");
}

static void op_symlink(struct run *r)
{
	struct vfs_file *dir = dirfd_of(r);
	size_t tlen = fuzz_str(&r->in, r->path2, sizeof(r->path2));
	fuzz_str(&r->in, r->path, sizeof(r->path));
	long ret = vfs_symlinkat(&r->ctx, r->path2, dir, r->path);
	FUZZ_CHECK_RESULT(ret, "vfs_symlinkat");
	if (ret == 0) {
		char back[PATH_MAX];
		long n = vfs_readlinkat(&r->ctx, dir, r->path, back, sizeof(back));
		FUZZ_CHECK(n == (long)tlen && memcmp(back, r->path2, tlen) == 0,
			   "symlink \"%s\" -> \"%s\" succeeded, then readlink gave %ld", r->path, r->path2, n);
	}
}

static void op_readlink(struct run *r)
{
	struct vfs_file *dir = dirfd_of(r);
	size_t size = fuzz_u16(&r->in) % (PATH_MAX + 64);
	fuzz_str(&r->in, r->path, sizeof(r->path));
	char *buf = malloc(size ? size : 1); /* exactly size: ASan sees overruns */
	long ret = vfs_readlinkat(&r->ctx, dir, r->path, buf, size);
	FUZZ_CHECK_RESULT(ret, "vfs_readlinkat");
	FUZZ_CHECK(ret <= (long)size, "readlink stored %ld bytes into %zu", ret, size);
	free(buf);
}

static void op_chdir(struct run *r, bool chroot_too)
{
	struct vfs_file *dir = dirfd_of(r);
	fuzz_str(&r->in, r->path, sizeof(r->path));
	struct vfs_path to;
	long ret = vfs_lookup_dir(&r->ctx, dir, r->path, &to);
	FUZZ_CHECK_RESULT(ret, "vfs_lookup_dir");
	if (ret < 0)
		return;
	struct vfs_path *slot = chroot_too && r->ctx.cred.uid == 0 ? &r->ctx.root : &r->ctx.cwd;
	vfs_path_put(slot);
	*slot = to;
}

static void op_getdents(struct run *r)
{
	struct vfs_file *f = r->h[fuzz_u8(&r->in) % NHANDLES];
	size_t size = fuzz_u16(&r->in) % 4096;
	if (!f)
		return;
	char *buf = malloc(size ? size : 1);
	long ret = vfs_getdents64(&r->ctx, f, buf, size);
	FUZZ_CHECK_RESULT(ret, "vfs_getdents64");
	if (ret > 0)
		check_dirents(buf, ret, size);
	free(buf);
}

static void op_lseek(struct run *r)
{
	struct vfs_file *f = r->h[fuzz_u8(&r->in) % NHANDLES];
	off_t off = (off_t)fuzz_u64(&r->in);
	int whence = fuzz_u8(&r->in) % 6;
	if (f) {
		off_t ret = vfs_file_lseek(f, off, whence);
		FUZZ_CHECK_RESULT(ret, "vfs_file_lseek");
	}
}

static void op_write(struct run *r)
{
	static char data[8192];
	struct vfs_file *f = r->h[fuzz_u8(&r->in) % NHANDLES];
	size_t len = fuzz_u16(&r->in) % sizeof(data);
	off_t pos = (off_t)(int32_t)fuzz_u32(&r->in);
	if (!f)
		return;
	memset(data, 'x', len);
	ssize_t ret = vfs_file_pwrite(&r->ctx, f, data, len, pos);
	FUZZ_CHECK_RESULT(ret, "vfs_file_pwrite");
	FUZZ_CHECK(ret <= (ssize_t)len, "pwrite wrote %zd of %zu", ret, len);
	ret = vfs_file_pread(f, data, len, pos < 0 ? 0 : pos);
	FUZZ_CHECK_RESULT(ret, "vfs_file_pread");
}

static void op_truncate(struct run *r)
{
	struct vfs_file *dir = dirfd_of(r);
	off_t len = (off_t)(int32_t)fuzz_u32(&r->in);
	fuzz_str(&r->in, r->path, sizeof(r->path));
	long ret = vfs_truncate(&r->ctx, dir, r->path, len);
	FUZZ_CHECK_RESULT(ret, "vfs_truncate");
}

static void op_attr(struct run *r)
{
	struct vfs_file *dir = dirfd_of(r);
	uint8_t which = fuzz_u8(&r->in) % 4;
	int flags = at_flags(r, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH);
	uint32_t a = fuzz_u32(&r->in), b = fuzz_u32(&r->in);
	fuzz_str(&r->in, r->path, sizeof(r->path));
	long ret;
	switch (which) {
	case 0:
		ret = vfs_faccessat(&r->ctx, dir, r->path, (int)(a & 7), flags);
		break;
	case 1:
		ret = vfs_fchmodat(&r->ctx, dir, r->path, (mode_t)a, flags);
		break;
	case 2:
		ret = vfs_fchownat(&r->ctx, dir, r->path, (uid_t)a, (gid_t)b, flags);
		break;
	default: {
		struct timespec ts[2] = {{a, (long)(b % 1000000000)}, {0, (b & 1) ? UTIME_NOW : UTIME_OMIT}};
		ret = vfs_utimensat(&r->ctx, dir, r->path, (a & 1) ? NULL : ts, flags);
		break;
	}
	}
	FUZZ_CHECK_RESULT(ret, "an attribute call");
}

static void op_where(struct run *r)
{
	struct vfs_file *f = r->h[fuzz_u8(&r->in) % NHANDLES];
	size_t size = fuzz_u16(&r->in) % (PATH_MAX + 64);
	char *buf = malloc(size ? size : 1);
	long ret = vfs_getcwd(&r->ctx, buf, size);
	FUZZ_CHECK_RESULT(ret, "vfs_getcwd");
	if (ret > 0)
		FUZZ_CHECK((size_t)ret <= size && strlen(buf) + 1 == (size_t)ret, "getcwd gave %ld for \"%.*s\"", ret,
			   (int)size, buf);
	if (f) {
		ret = vfs_d_path(&r->ctx, vfs_file_path(f), buf, size);
		FUZZ_CHECK_RESULT(ret, "vfs_d_path");
		if (ret >= 0)
			FUZZ_CHECK((size_t)ret < size && strlen(buf) == (size_t)ret, "d_path gave %ld", ret);
	}
	free(buf);
}

static void run_ops(struct run *r)
{
	for (int i = 0; i < MAX_OPS && fuzz_more(&r->in); i++) {
		uint8_t op = fuzz_u8(&r->in);
		switch (op % 20) {
		case 0: case 1: op_open(r, false); break;
		case 2: op_open(r, true); break;
		case 3: case 4: op_stat(r); break;
		case 5: op_statx(r); break;
		case 6: op_mkdir(r); break;
		case 7: op_mknod(r); break;
		case 8: op_unlink(r); break;
		case 9: op_rename(r); break;
		case 10: op_link(r); break;
		case 11: op_symlink(r); break;
		case 12: op_readlink(r); break;
		case 13: op_chdir(r, op & 0x80); break;
		case 14: op_getdents(r); break;
		case 15: op_lseek(r); break;
		case 16: op_write(r); break;
		case 17: op_truncate(r); break;
		case 18: op_attr(r); break;
		default:
			if (op & 0x80)
				set_cred(r, fuzz_u8(&r->in));
			else
				op_where(r);
			break;
		}
		check_limits(r);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	make_host_tree();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct world w;
	world_build(&w);
	static struct run r; /* large: two PATH_MAX buffers */
	memset(&r, 0, sizeof(r));
	r.in = (struct fuzz_in){data, size};
	r.ctx.vfs = w.vfs;
	r.ctx.root = w.root;
	vfs_path_get(&r.ctx.root);
	r.ctx.cwd = w.root;
	vfs_path_get(&r.ctx.cwd);
	r.ctx.umask = 022;
	r.ctx.pid = r.ctx.tid = 1;
	set_cred(&r, fuzz_u8(&r.in));

	run_ops(&r);

	for (int i = 0; i < NHANDLES; i++)
		if (r.h[i])
			vfs_file_put(r.h[i]);
	vfs_path_put(&r.ctx.root);
	vfs_path_put(&r.ctx.cwd);
	world_destroy(&w);
	return 0;
}
