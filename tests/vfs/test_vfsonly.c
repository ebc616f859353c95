/* VFS behaviour with no kernel twin in a plain tmpfs directory: limits,
 * memfds, resumable getdents offsets, mounts, read-only mounts, paths. */
#define _GNU_SOURCE
#include "twin.h"

#include <dirent.h>
#include <errno.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

static struct vfs *new_vfs(uint64_t bytes, uint64_t inodes, struct vfs_ctx *ctx)
{
	struct vfs_limits lim = {.max_bytes = bytes, .max_inodes = inodes};
	struct vfs *v = vfs_create(&lim);
	struct vfs_sb *sb;
	cr_assert_eq(vfs_memfs_new(v, S_IFDIR | 0755, &sb), 0);
	memset(ctx, 0, sizeof(*ctx));
	ctx->vfs = v;
	cr_assert_eq(vfs_mount_root(v, sb, 0, &ctx->root), 0);
	vfs_sb_put(sb);
	ctx->cwd = ctx->root;
	vfs_path_get(&ctx->cwd);
	ctx->umask = 022;
	ctx->pid = ctx->tid = 42;
	return v;
}

static void free_vfs(struct vfs *v, struct vfs_ctx *ctx)
{
	vfs_path_put(&ctx->root);
	vfs_path_put(&ctx->cwd);
	vfs_destroy(v);
}

static int create(struct vfs_ctx *ctx, const char *path)
{
	struct vfs_file *f;
	int r = vfs_openat(ctx, NULL, path, O_CREAT | O_WRONLY, 0644, &f);
	if (r >= 0)
		vfs_file_put(f);
	return r;
}

Test(limits, inode_limit)
{
	struct vfs_ctx c;
	struct vfs *v = new_vfs(0, 3, &c);
	cr_assert_eq(create(&c, "a"), 0);
	cr_assert_eq(vfs_mkdirat(&c, NULL, "b", 0755), 0);
	cr_assert_eq(vfs_symlinkat(&c, "x", NULL, "c"), 0);
	cr_assert_eq(create(&c, "d"), -ENOSPC);
	cr_assert_eq(vfs_mkdirat(&c, NULL, "e", 0755), -ENOSPC);
	cr_assert_eq(vfs_mknodat(&c, NULL, "f", S_IFIFO | 0644, 0), -ENOSPC);
	cr_assert_eq(vfs_unlinkat(&c, NULL, "a", 0), 0);
	cr_assert_eq(create(&c, "d"), 0);
	uint64_t inodes;
	vfs_usage(v, NULL, &inodes);
	cr_assert_eq(inodes, 3);
	free_vfs(v, &c);
}

static uint64_t used(struct vfs *v)
{
	uint64_t bytes;
	vfs_usage(v, &bytes, NULL);
	return bytes;
}

/* As tmpfs: a size alone allocates nothing; the blocks written count. */
Test(limits, sparse_truncate_charges_blocks)
{
	struct vfs_ctx c;
	struct vfs *v = new_vfs(1 << 20, 0, &c);
	cr_assert_eq(create(&c, "a"), 0);
	uint64_t base = used(v);
	cr_assert_eq(vfs_truncate(&c, NULL, "a", (off_t)1 << 40), 0);
	struct stat st;
	cr_assert_eq(vfs_fstatat(&c, NULL, "a", &st, 0), 0);
	cr_assert_eq(st.st_size, (off_t)1 << 40);
	cr_assert_eq(st.st_blocks, 0);
	cr_assert_eq(used(v), base);
	struct vfs_file *f;
	cr_assert_eq(vfs_openat(&c, NULL, "a", O_RDWR, 0, &f), 0);
	static char page[8192];
	cr_assert_eq(vfs_file_pwrite(&c, f, page, sizeof(page), 0), (ssize_t)sizeof(page));
	cr_assert_eq(used(v), base + sizeof(page));
	vfs_file_put(f);
	cr_assert_eq(vfs_truncate(&c, NULL, "a", 4096), 0);
	cr_assert_eq(used(v), base + 4096);
	cr_assert_eq(vfs_unlinkat(&c, NULL, "a", 0), 0);
	vfs_release_held(v);  /* the unlink call ends */
	cr_assert_lt(used(v), base);
	free_vfs(v, &c);
}

Test(limits, byte_limit_write)
{
	struct vfs_ctx c;
	struct vfs *v = new_vfs(1 << 20, 0, &c);
	struct vfs_file *f;
	cr_assert_eq(vfs_openat(&c, NULL, "a", O_CREAT | O_RDWR, 0644, &f), 0);
	uint64_t room = (1 << 20) - used(v);
	size_t fits = room / 4096 * 4096;
	char *buf = calloc(1, fits + 4096);
	cr_assert_eq(vfs_file_pwrite(&c, f, buf, fits, -1), (ssize_t)fits);
	cr_assert_eq(vfs_file_pwrite(&c, f, buf, 4096, -1), -ENOSPC);
	cr_assert_eq(vfs_file_pwrite(&c, f, buf, 100, 0), 100, "an overwrite takes no new block");
	free(buf);
	vfs_file_put(f);
	free_vfs(v, &c);
}

Test(limits, recharge_after_direct_write)
{
	struct vfs_ctx c;
	struct vfs *v = new_vfs(64 << 10, 0, &c);
	struct vfs_file *f;
	cr_assert_eq(vfs_openat(&c, NULL, "a", O_CREAT | O_RDWR, 0644, &f), 0);
	uint64_t base = used(v);
	int fd = vfs_file_fd(f);
	cr_assert(fd >= 0);
	cr_assert_eq(pwrite(fd, "hello", 5, 0), 5);
	cr_assert_eq(vfs_file_recharge(f), 0);
	cr_assert_eq(used(v), base + 4096);
	static char big[128 << 10];
	cr_assert_eq(pwrite(fd, big, sizeof(big), 0), (ssize_t)sizeof(big));
	cr_assert_eq(vfs_file_recharge(f), -ENOSPC);
	cr_assert_eq(used(v), base + sizeof(big));
	struct stat st;
	cr_assert_eq(vfs_fstat(f, &st), 0);
	cr_assert_eq(st.st_size, sizeof(big));
	vfs_file_put(f);
	cr_assert_eq(vfs_unlinkat(&c, NULL, "a", 0), 0);
	vfs_release_held(v);
	cr_assert_eq(used(v), 0);
	free_vfs(v, &c);
}

/* A file with no name left: once the call that removed its name ends, the
 * VFS keeps no fd to its contents (the workload's own open, here `mine`,
 * alone keeps them); a call lends it that open again, for the call only. */
Test(nameless, contents_only_in_the_opens)
{
	struct vfs_ctx c;
	struct vfs *v = new_vfs(1 << 20, 0, &c);
	struct vfs_file *f;
	cr_assert_eq(vfs_openat(&c, NULL, "a", O_CREAT | O_RDWR, 0644, &f), 0);
	int fd = vfs_file_fd(f);
	cr_assert(fd >= 0);
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	int mine = open(path, O_RDWR | O_CLOEXEC);
	cr_assert(mine >= 0);
	cr_assert_eq(pwrite(mine, "hello", 5, 0), 5);
	vfs_release_held(v);
	cr_assert_eq(vfs_file_fd(f), fd, "a file with a name keeps its contents");

	cr_assert_eq(vfs_unlinkat(&c, NULL, "a", 0), 0);
	vfs_release_held(v);
	cr_assert_eq(fcntl(fd, F_GETFD), -1, "the VFS closed its fd");
	cr_assert_eq(vfs_file_fd(f), -ESTALE);
	struct stat st;
	cr_assert_eq(vfs_fstat(f, &st), 0);
	cr_assert_eq(st.st_size, 5, "the size last seen");
	cr_assert_eq(st.st_nlink, 0);
	cr_assert_eq(vfs_ftruncate(&c, f, 0), -ESTALE, "no new empty contents");

	cr_assert_eq(vfs_file_lend(f, mine), 0);
	cr_assert_eq(vfs_ftruncate(&c, f, 2), 0);
	char buf[8] = "";
	cr_assert_eq(pread(mine, buf, sizeof(buf), 0), 2);
	cr_assert_eq(memcmp(buf, "he", 2), 0);
	cr_assert_eq(vfs_file_pwrite(&c, f, "HE", 2, 0), 2);
	cr_assert_eq(pread(mine, buf, sizeof(buf), 0), 2);
	cr_assert_eq(memcmp(buf, "HE", 2), 0);
	vfs_release_held(v);
	cr_assert_eq(vfs_file_fd(f), -ESTALE, "lent for one call only");
	cr_assert_eq(vfs_fstat(f, &st), 0);
	cr_assert_eq(st.st_size, 2);
	close(mine);
	vfs_file_put(f);
	free_vfs(v, &c);
}

/* O_TMPFILE: nameless from the start, until linkat gives it a name during
 * a call that lent its contents. */
Test(nameless, tmpfile_linked_keeps_contents)
{
	struct vfs_ctx c;
	struct vfs *v = new_vfs(1 << 20, 0, &c);
	c.cred.uid = 0;
	struct vfs_file *f;
	cr_assert_eq(vfs_openat(&c, NULL, ".", O_TMPFILE | O_RDWR, 0600, &f), 0);
	int fd = vfs_file_fd(f);
	cr_assert(fd >= 0);
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	int mine = open(path, O_RDWR | O_CLOEXEC);
	cr_assert_eq(pwrite(mine, "tmp", 3, 0), 3);
	vfs_release_held(v);
	cr_assert_eq(vfs_file_fd(f), -ESTALE);
	cr_assert_eq(vfs_linkat(&c, f, "", NULL, "named", AT_EMPTY_PATH), -ESTALE, "nothing lent");
	cr_assert_eq(vfs_file_lend(f, mine), 0);
	cr_assert_eq(vfs_linkat(&c, f, "", NULL, "named", AT_EMPTY_PATH), 0);
	vfs_release_held(v);
	close(mine);
	vfs_file_put(f);
	struct vfs_file *g;
	cr_assert_eq(vfs_openat(&c, NULL, "named", O_RDONLY, 0, &g), 0);
	char buf[8] = "";
	cr_assert_eq(vfs_file_pread(g, buf, sizeof(buf), 0), 3);
	cr_assert_eq(memcmp(buf, "tmp", 3), 0);
	vfs_file_put(g);
	free_vfs(v, &c);
}

/* Everything the workload makes the sentry hold counts: 1000-byte symlink
 * targets under 1 MiB stop with ENOSPC long before 200,000, the count
 * never passes the limit, and it all comes back. */
Test(limits, symlink_targets_count)
{
	struct vfs_ctx c;
	struct vfs *v = new_vfs(1 << 20, 1 << 20, &c);
	char target[1001], name[32];
	memset(target, 't', 1000);
	target[1000] = 0;
	int n = 0, r = 0;
	while (n < 200000 && (r = (snprintf(name, sizeof(name), "l%d", n), vfs_symlinkat(&c, target, NULL, name))) == 0) {
		n++;
		cr_assert_leq(used(v), 1 << 20);
	}
	cr_assert_eq(r, -ENOSPC);
	cr_assert_lt(n, (1 << 20) / 1000, "%d symlinks of 1000 bytes in 1 MiB", n);
	cr_assert_gt(n, (1 << 20) / 2000);
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "l%d", i);
		cr_assert_eq(vfs_unlinkat(&c, NULL, name, 0), 0);
	}
	cr_assert_eq(used(v), 0);
	free_vfs(v, &c);
}

/* Names are charged too, and a rename to a longer one. */
Test(limits, names_count)
{
	struct vfs_ctx c;
	struct vfs *v = new_vfs(1 << 20, 1 << 20, &c);
	char name[256];
	memset(name, 'n', 255);
	name[255] = 0;
	cr_assert_eq(vfs_mkdirat(&c, NULL, "d", 0755), 0);
	uint64_t one_dir = used(v);
	cr_assert_eq(create(&c, "a"), 0);
	uint64_t short_name = used(v);
	cr_assert_eq(vfs_renameat2(&c, NULL, "a", NULL, name, 0), 0);
	cr_assert_geq(used(v), short_name + 255);
	cr_assert_eq(vfs_renameat2(&c, NULL, name, NULL, "a", 0), 0);
	cr_assert_eq(used(v), short_name);
	cr_assert_eq(vfs_unlinkat(&c, NULL, "a", 0), 0);
	cr_assert_eq(used(v), one_dir);
	int n = 0, r;
	while ((r = (snprintf(name + 240, 16, "%d", n), vfs_mkdirat(&c, NULL, name, 0755))) == 0)
		n++;
	cr_assert_eq(r, -ENOSPC);
	cr_assert_lt(n, (1 << 20) / 255);
	free_vfs(v, &c);
}

/* A byte limit alone brings an inode limit, as tmpfs's nr_inodes: one
 * per 4 KiB. */
Test(limits, default_inode_limit)
{
	struct vfs_ctx c;
	struct vfs *v = new_vfs(1 << 20, 0, &c);
	struct statfs st;
	cr_assert_eq(vfs_statfs(&c, NULL, "/", &st), 0);
	cr_assert_eq(st.f_files, 256);
	char name[16];
	int n = 0, r;
	while ((r = (snprintf(name, sizeof(name), "f%d", n), create(&c, name))) == 0)
		n++;
	cr_assert_eq(r, -ENOSPC);
	cr_assert_eq(n, 256);
	free_vfs(v, &c);
}

Test(limits, statfs_reports)
{
	struct vfs_ctx c;
	struct vfs *v = new_vfs(1 << 20, 100, &c);
	cr_assert_eq(create(&c, "a"), 0);
	struct statfs st;
	cr_assert_eq(vfs_statfs(&c, NULL, "/", &st), 0);
	cr_assert_eq(st.f_type, TMPFS_MAGIC);
	cr_assert_eq(st.f_blocks, 256);
	cr_assert_eq(st.f_files, 100);
	cr_assert_eq(st.f_ffree, 99);
	cr_assert_eq(st.f_namelen, 255);
	cr_assert_eq(vfs_statfs(&c, NULL, "none", &st), -ENOENT);
	free_vfs(v, &c);
}

Test(memfd, regular_file_fd)
{
	struct vfs_ctx c;
	struct vfs *v = new_vfs(0, 0, &c);
	struct vfs_file *f;
	cr_assert_eq(vfs_openat(&c, NULL, "a", O_CREAT | O_RDWR, 0644, &f), 0);
	cr_assert_eq(vfs_file_kind(f), VFS_FILE_REGULAR);
	int fd = vfs_file_fd(f);
	cr_assert(fd >= 0);
	cr_assert_eq(vfs_file_fd(f), fd);
	cr_assert_eq(write(fd, "direct", 6), 6);
	struct stat st;
	cr_assert_eq(vfs_fstatat(&c, NULL, "a", &st, 0), 0);
	cr_assert_eq(st.st_size, 6);
	int seals = fcntl(fd, F_GET_SEALS);
	cr_assert_eq(seals & F_SEAL_WRITE, 0);
	struct vfs_file *d;
	cr_assert_eq(vfs_openat(&c, NULL, "/", O_RDONLY, 0, &d), 0);
	cr_assert_eq(vfs_file_kind(d), VFS_FILE_DIR);
	cr_assert_eq(vfs_file_fd(d), -EBADF);
	cr_assert_eq(vfs_file_pread(d, &st, 1, 0), -EISDIR);
	vfs_file_put(d);
	vfs_file_put(f);
	free_vfs(v, &c);
}

Test(memfd, hard_links_share_contents)
{
	struct vfs_ctx c;
	struct vfs *v = new_vfs(0, 0, &c);
	struct vfs_file *f, *g;
	cr_assert_eq(vfs_openat(&c, NULL, "a", O_CREAT | O_RDWR, 0644, &f), 0);
	cr_assert_eq(vfs_file_pwrite(&c, f, "shared", 6, 0), 6);
	cr_assert_eq(vfs_linkat(&c, NULL, "a", NULL, "b", 0), 0);
	cr_assert_eq(vfs_openat(&c, NULL, "b", O_RDONLY, 0, &g), 0);
	char buf[16] = {0};
	cr_assert_eq(vfs_file_pread(g, buf, sizeof(buf), 0), 6);
	cr_assert_str_eq(buf, "shared");
	cr_assert_eq(vfs_file_fd(f), vfs_file_fd(g));
	vfs_file_put(f);
	vfs_file_put(g);
	free_vfs(v, &c);
}

Test(memfd, fifo_kind_and_identity)
{
	struct vfs_ctx c;
	struct vfs *v = new_vfs(0, 0, &c);
	cr_assert_eq(vfs_mknodat(&c, NULL, "p", S_IFIFO | 0644, 0), 0);
	struct vfs_file *a, *b;
	cr_assert_eq(vfs_openat(&c, NULL, "p", O_RDONLY | O_NONBLOCK, 0, &a), 0);
	cr_assert_eq(vfs_openat(&c, NULL, "p", O_WRONLY | O_NONBLOCK, 0, &b), 0);
	cr_assert_eq(vfs_file_kind(a), VFS_FILE_FIFO);
	cr_assert_eq(vfs_file_inode_id(a), vfs_file_inode_id(b));
	cr_assert_eq(vfs_file_fd(a), -EBADF);
	vfs_file_put(a);
	vfs_file_put(b);
	free_vfs(v, &c);
}

Test(mknod, devices_refused)
{
	struct vfs_ctx c;
	struct vfs *v = new_vfs(0, 0, &c);
	cr_assert_eq(vfs_mknodat(&c, NULL, "c", S_IFCHR | 0644, makedev(1, 3)), -EPERM);
	cr_assert_eq(vfs_mknodat(&c, NULL, "b", S_IFBLK | 0644, makedev(8, 0)), -EPERM);
	cr_assert_eq(vfs_mknodat(&c, NULL, "s", S_IFSOCK | 0644, 0), 0);
	free_vfs(v, &c);
}

static int read_names(struct vfs_ctx *c, struct vfs_file *f, char names[][32], off_t *offs, int max, size_t bufsize)
{
	char buf[4096];
	int n = 0;
	for (;;) {
		ssize_t r = vfs_getdents64(c, f, buf, bufsize);
		cr_assert(r >= 0, "getdents %zd", r);
		if (r == 0 || n >= max)
			return n;
		for (ssize_t off = 0; off < r && n < max;) {
			struct dirent64 *d = (void *)(buf + off);
			snprintf(names[n], 32, "%.31s", d->d_name);
			offs[n++] = d->d_off;
			off += d->d_reclen;
		}
		if (n >= max)
			return n;
	}
}

Test(getdents, offsets_survive_unlinks)
{
	struct vfs_ctx c;
	struct vfs *v = new_vfs(0, 0, &c);
	char name[32];
	for (int i = 0; i < 50; i++) {
		snprintf(name, sizeof(name), "f%02d", i);
		cr_assert_eq(create(&c, name), 0);
	}
	struct vfs_file *f;
	cr_assert_eq(vfs_openat(&c, NULL, ".", O_RDONLY | O_DIRECTORY, 0, &f), 0);
	static char names[200][32];
	off_t offs[200];
	int n = read_names(&c, f, names, offs, 12, 4096);
	cr_assert_eq(n, 12);
	/* remove entries around the current position, then resume */
	for (int i = 5; i < 20; i++) {
		snprintf(name, sizeof(name), "f%02d", i);
		cr_assert_eq(vfs_unlinkat(&c, NULL, name, 0), 0);
	}
	cr_assert_eq(vfs_file_lseek(f, offs[11], SEEK_SET), offs[11]);
	int m = read_names(&c, f, names + 12, offs + 12, 100, 4096);
	cr_assert_eq(m, 30, "got %d", m);
	cr_assert_str_eq(names[12], "f20");
	/* a saved position of a removed entry still resumes after it */
	cr_assert_eq(vfs_file_lseek(f, offs[7], SEEK_SET), offs[7]);
	read_names(&c, f, names, offs, 1, 4096);
	cr_assert_str_eq(names[0], "f20");
	vfs_file_put(f);
	free_vfs(v, &c);
}

Test(getdents, small_buffers_and_einval)
{
	struct vfs_ctx c;
	struct vfs *v = new_vfs(0, 0, &c);
	char name[32];
	for (int i = 0; i < 30; i++) {
		snprintf(name, sizeof(name), "entry%d", i);
		cr_assert_eq(create(&c, name), 0);
	}
	struct vfs_file *f;
	cr_assert_eq(vfs_openat(&c, NULL, ".", O_RDONLY, 0, &f), 0);
	char tiny[8];
	cr_assert_eq(vfs_getdents64(&c, f, tiny, sizeof(tiny)), -EINVAL);
	static char names[64][32];
	off_t offs[64];
	int n = read_names(&c, f, names, offs, 64, 40);
	cr_assert_eq(n, 32);
	cr_assert_eq(vfs_file_lseek(f, 0, SEEK_END), -EINVAL);
	cr_assert_eq(vfs_file_lseek(f, -1, SEEK_SET), -EINVAL);
	vfs_file_put(f);
	free_vfs(v, &c);
}

/* As Linux's tmpfs (and ext4 past its end): an entry made after a read
 * from the start began is not read until a rewind, so a reader that adds
 * entries as it goes comes to an end; every entry there throughout is
 * read once. */
Test(getdents, entries_added_while_reading)
{
	struct vfs_ctx c;
	struct vfs *v = new_vfs(0, 0, &c);
	cr_assert_eq(create(&c, "a"), 0);
	cr_assert_eq(create(&c, "c"), 0);
	struct vfs_file *f;
	cr_assert_eq(vfs_openat(&c, NULL, ".", O_RDONLY, 0, &f), 0);
	static char names[16][32];
	off_t offs[16];
	/* ".", ".." and "a" (24 bytes each) in the first read */
	cr_assert_eq(read_names(&c, f, names, offs, 3, 72), 3);
	cr_assert_eq(create(&c, "b"), 0);
	cr_assert_eq(read_names(&c, f, names, offs, 16, 4096), 1);
	cr_assert_str_eq(names[0], "c");
	cr_assert_eq(read_names(&c, f, names, offs, 16, 4096), 0);
	cr_assert_eq(vfs_file_lseek(f, 0, SEEK_SET), 0);
	cr_assert_eq(read_names(&c, f, names, offs, 16, 4096), 5);
	vfs_file_put(f);
	free_vfs(v, &c);
}

Test(dcache, hash_grows_and_finds_all)
{
	struct vfs_ctx c;
	struct vfs *v = new_vfs(0, 0, &c);
	char name[32];
	cr_assert_eq(vfs_mkdirat(&c, NULL, "d", 0755), 0);
	for (int i = 0; i < 20000; i++) {
		snprintf(name, sizeof(name), "d/n%d", i);
		cr_assert_eq(vfs_mknodat(&c, NULL, name, S_IFREG | 0644, 0), 0);
	}
	for (int i = 0; i < 20000; i += 7) {
		snprintf(name, sizeof(name), "d/n%d", i);
		struct stat st;
		cr_assert_eq(vfs_fstatat(&c, NULL, name, &st, 0), 0);
	}
	struct stat st;
	cr_assert_eq(vfs_fstatat(&c, NULL, "d/n20000", &st, 0), -ENOENT);
	free_vfs(v, &c);
}

Test(dcache, rename_to_longer_name)
{
	struct vfs_ctx c;
	struct vfs *v = new_vfs(0, 0, &c);
	cr_assert_eq(vfs_mkdirat(&c, NULL, "a", 0755), 0);
	cr_assert_eq(create(&c, "a/x"), 0);
	char longname[200];
	memset(longname, 'L', 199);
	longname[199] = 0;
	cr_assert_eq(vfs_renameat2(&c, NULL, "a", NULL, longname, 0), 0);
	char path[256];
	snprintf(path, sizeof(path), "%s/x", longname);
	struct stat st;
	cr_assert_eq(vfs_fstatat(&c, NULL, path, &st, 0), 0);
	cr_assert_eq(vfs_renameat2(&c, NULL, longname, NULL, "b", 0), 0);
	cr_assert_eq(vfs_fstatat(&c, NULL, "b/x", &st, 0), 0);
	free_vfs(v, &c);
}

static struct vfs *mounted(struct vfs_ctx *c, unsigned flags)
{
	struct vfs *v = new_vfs(0, 0, c);
	cr_assert_eq(vfs_mkdirat(c, NULL, "mnt", 0755), 0);
	cr_assert_eq(create(c, "mnt/hidden"), 0);
	struct vfs_sb *sb;
	cr_assert_eq(vfs_memfs_new(v, S_IFDIR | 0777, &sb), 0);
	cr_assert_eq(vfs_mount(c, "/mnt", sb, flags), 0);
	vfs_sb_put(sb);
	return v;
}

Test(mount, crossing)
{
	struct vfs_ctx c;
	struct vfs *v = mounted(&c, 0);
	struct stat root, mnt, st;
	cr_assert_eq(vfs_fstatat(&c, NULL, "/", &root, 0), 0);
	cr_assert_eq(vfs_fstatat(&c, NULL, "/mnt", &mnt, 0), 0);
	cr_assert_neq(root.st_dev, mnt.st_dev);
	cr_assert_eq(mnt.st_mode, S_IFDIR | 0777);
	cr_assert_eq(vfs_fstatat(&c, NULL, "/mnt/hidden", &st, 0), -ENOENT);
	cr_assert_eq(create(&c, "/mnt/f"), 0);
	cr_assert_eq(vfs_fstatat(&c, NULL, "/mnt/..", &st, 0), 0);
	cr_assert_eq(st.st_ino, root.st_ino);
	cr_assert_eq(st.st_dev, root.st_dev);
	cr_assert_eq(vfs_fstatat(&c, NULL, "/mnt/../mnt/f", &st, 0), 0);
	cr_assert_eq(st.st_dev, mnt.st_dev);
	free_vfs(v, &c);
}

Test(mount, exdev_and_ebusy)
{
	struct vfs_ctx c;
	struct vfs *v = mounted(&c, 0);
	cr_assert_eq(create(&c, "/a"), 0);
	cr_assert_eq(vfs_renameat2(&c, NULL, "/a", NULL, "/mnt/a", 0), -EXDEV);
	cr_assert_eq(vfs_linkat(&c, NULL, "/a", NULL, "/mnt/a", 0), -EXDEV);
	cr_assert_eq(vfs_unlinkat(&c, NULL, "/mnt", AT_REMOVEDIR), -EBUSY);
	cr_assert_eq(vfs_renameat2(&c, NULL, "/mnt", NULL, "/other", 0), -EBUSY);
	cr_assert_eq(vfs_unlinkat(&c, NULL, "/mnt/.", AT_REMOVEDIR), -EINVAL);
	cr_assert_eq(vfs_unlinkat(&c, NULL, "/", AT_REMOVEDIR), -EBUSY);
	free_vfs(v, &c);
}

Test(mount, resolve_no_xdev)
{
	struct vfs_ctx c;
	struct vfs *v = mounted(&c, 0);
	cr_assert_eq(create(&c, "/mnt/f"), 0);
	cr_assert_eq(vfs_symlinkat(&c, "/mnt/f", NULL, "/abs"), 0);
	struct vfs_file *f;
	struct vfs_open_how how = {.flags = O_RDONLY, .resolve = RESOLVE_NO_XDEV};
	cr_assert_eq(vfs_openat2(&c, NULL, "/mnt/f", &how, &f), -EXDEV);
	cr_assert_eq(vfs_openat2(&c, NULL, "abs", &how, &f), -EXDEV);
	struct vfs_file *d;
	cr_assert_eq(vfs_openat(&c, NULL, "/mnt", O_RDONLY, 0, &d), 0);
	cr_assert_eq(vfs_openat2(&c, d, "f", &how, &f), 0);
	vfs_file_put(f);
	cr_assert_eq(vfs_openat2(&c, d, "..", &how, &f), -EXDEV);
	how.resolve = RESOLVE_BENEATH;
	cr_assert_eq(vfs_openat2(&c, d, "..", &how, &f), -EXDEV);
	vfs_file_put(d);
	free_vfs(v, &c);
}

Test(mount, read_only)
{
	struct vfs_ctx c;
	struct vfs *v = mounted(&c, VFS_MNT_RDONLY);
	struct vfs_file *f;
	cr_assert_eq(create(&c, "/mnt/f"), -EROFS);
	cr_assert_eq(vfs_mkdirat(&c, NULL, "/mnt/d", 0755), -EROFS);
	cr_assert_eq(vfs_mkdirat(&c, NULL, "/mnt", 0755), -EEXIST);
	cr_assert_eq(vfs_unlinkat(&c, NULL, "/mnt/none", 0), -EROFS);
	cr_assert_eq(vfs_fchmodat(&c, NULL, "/mnt", 0700, 0), -EROFS);
	cr_assert_eq(vfs_faccessat(&c, NULL, "/mnt", W_OK, 0), -EROFS);
	cr_assert_eq(vfs_openat(&c, NULL, "/mnt", O_TMPFILE | O_RDWR, 0600, &f), -EROFS);
	cr_assert_eq(vfs_openat(&c, NULL, "/mnt", O_RDONLY, 0, &f), 0);
	vfs_file_put(f);
	struct statfs st;
	cr_assert_eq(vfs_statfs(&c, NULL, "/mnt", &st), 0);
	cr_assert(st.f_flags & ST_RDONLY);
	free_vfs(v, &c);
}

Test(paths, d_path_and_deleted)
{
	struct vfs_ctx c;
	struct vfs *v = mounted(&c, 0);
	cr_assert_eq(vfs_mkdirat(&c, NULL, "/mnt/sub", 0755), 0);
	struct vfs_file *f;
	cr_assert_eq(vfs_openat(&c, NULL, "/mnt/sub/file", O_CREAT | O_RDWR, 0644, &f), 0);
	char buf[256];
	cr_assert_eq(vfs_d_path(&c, vfs_file_path(f), buf, sizeof(buf)), 13);
	cr_assert_str_eq(buf, "/mnt/sub/file");
	cr_assert_eq(vfs_unlinkat(&c, NULL, "/mnt/sub/file", 0), 0);
	cr_assert(vfs_d_path(&c, vfs_file_path(f), buf, sizeof(buf)) > 0);
	cr_assert_str_eq(buf, "/mnt/sub/file (deleted)");
	cr_assert_eq(vfs_d_path(&c, vfs_file_path(f), buf, 5), -ERANGE);
	vfs_file_put(f);
	free_vfs(v, &c);
}

Test(paths, getcwd_in_chroot_and_outside)
{
	struct vfs_ctx c;
	struct vfs *v = new_vfs(0, 0, &c);
	cr_assert_eq(vfs_mkdir_p(&c, "/a/b/c", 0755), 0);
	struct vfs_path p;
	cr_assert_eq(vfs_lookup_dir(&c, NULL, "/a/b", &p), 0);
	vfs_path_put(&c.cwd);
	c.cwd = p;
	char buf[256];
	cr_assert_eq(vfs_getcwd(&c, buf, sizeof(buf)), 5);
	cr_assert_str_eq(buf, "/a/b");
	cr_assert_eq(vfs_getcwd(&c, buf, 3), -ERANGE);
	cr_assert_eq(vfs_lookup_dir(&c, NULL, "/a/b/c", &p), 0);
	vfs_path_put(&c.root);
	c.root = p;
	cr_assert(vfs_getcwd(&c, buf, sizeof(buf)) > 0);
	cr_assert_str_eq(buf, "(unreachable)/a/b");
	free_vfs(v, &c);
}

Test(paths, lookup_flags)
{
	struct vfs_ctx c;
	struct vfs *v = new_vfs(0, 0, &c);
	cr_assert_eq(vfs_symlinkat(&c, "target", NULL, "l"), 0);
	struct vfs_path p;
	cr_assert_eq(vfs_lookup(&c, NULL, "l", 0, &p), -ENOENT);
	cr_assert_eq(vfs_lookup(&c, NULL, "l", AT_SYMLINK_NOFOLLOW, &p), 0);
	vfs_path_put(&p);
	cr_assert_eq(vfs_lookup(&c, NULL, "l", 0x8000, &p), -EINVAL);
	cr_assert_eq(vfs_lookup(&c, NULL, NULL, 0, &p), -EFAULT);
	cr_assert_eq(vfs_lookup_dir(&c, NULL, "", &p), -ENOENT);
	free_vfs(v, &c);
}
