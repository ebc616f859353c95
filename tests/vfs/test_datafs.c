/* Where file contents live once vfs_datafs_init has run: image contents
 * that nothing can write, workload contents whose tmpfs bounds direct
 * writes.  Needs the privilege to make a tmpfs (skipped without it). */
#define _GNU_SOURCE
#include "twin.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static void need_store(uint64_t bytes)
{
	if (vfs_datafs_init(bytes) != 1)
		cr_skip_test("no tmpfs store here (no CAP_SYS_ADMIN)");
}

static struct vfs *new_vfs(uint64_t bytes, const struct vfs_hostimg_policy *image, struct vfs_ctx *ctx,
			   struct vfs_sb **img)
{
	struct vfs_limits lim = {.max_bytes = bytes};
	struct vfs *v = vfs_create(&lim);
	struct vfs_sb *sb;
	if (image) {
		cr_assert_eq(vfs_hostimg_new(v, image, img), 0);
		cr_assert_eq(vfs_overlay_new(v, *img, &sb), 0);
	} else {
		cr_assert_eq(vfs_memfs_new(v, S_IFDIR | 0755, &sb), 0);
	}
	memset(ctx, 0, sizeof(*ctx));
	ctx->vfs = v;
	cr_assert_eq(vfs_mount_root(v, sb, 0, &ctx->root), 0);
	vfs_sb_put(sb);
	ctx->cwd = ctx->root;
	vfs_path_get(&ctx->cwd);
	ctx->umask = 022;
	return v;
}

static void free_vfs(struct vfs *v, struct vfs_ctx *ctx)
{
	vfs_path_put(&ctx->root);
	vfs_path_put(&ctx->cwd);
	vfs_destroy(v);
}

/* The workload's own open of a VFS fd, as the sentry makes it. */
static int reopen(int fd, int flags)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return open(path, flags | O_CLOEXEC);
}

Test(datafs, workload_writes_stop_at_the_limit)
{
	need_store(1 << 20);
	struct vfs_ctx ctx;
	struct vfs *v = new_vfs(1 << 20, NULL, &ctx, NULL);
	struct vfs_file *f;
	cr_assert_eq(vfs_openat(&ctx, NULL, "/big", O_CREAT | O_RDWR, 0644, &f), 0);
	int fd = reopen(vfs_file_fd(f), O_RDWR);
	cr_assert(fd >= 0);
	size_t want = 2 << 20;
	char *buf = malloc(want);
	memset(buf, 'x', want);
	ssize_t n = write(fd, buf, want);
	cr_assert_eq(n, 1 << 20, "a short write of what fits: %zd", n);
	cr_assert_eq(write(fd, buf, want), -1);
	cr_assert_eq(errno, ENOSPC);
	cr_assert_eq(fallocate(fd, 0, 0, want), -1);
	cr_assert_eq(errno, ENOSPC);
	struct stat st;
	cr_assert_eq(vfs_fstat(f, &st), 0);
	cr_assert_eq(st.st_size, 1 << 20);
	/* the space comes back */
	cr_assert_eq(vfs_ftruncate(&ctx, f, 0), 0);
	cr_assert_eq(pwrite(fd, buf, 4096, 0), 4096);
	/* without a workload limit the same write fits */
	close(fd);
	vfs_file_put(f);
	free_vfs(v, &ctx);
	need_store(0);
	v = new_vfs(0, NULL, &ctx, NULL);
	cr_assert_eq(vfs_openat(&ctx, NULL, "/big", O_CREAT | O_RDWR, 0644, &f), 0);
	fd = reopen(vfs_file_fd(f), O_RDWR);
	cr_assert_eq(write(fd, buf, want), (ssize_t)want);
	close(fd);
	vfs_file_put(f);
	free(buf);
	free_vfs(v, &ctx);
}

Test(datafs, image_contents_are_read_only_and_shared)
{
	need_store(0);
	char host[] = "/dev/shm/vfs-datafs-XXXXXX";
	cr_assert(mkdtemp(host));
	char path[128];
	const char *names[] = {"a", "b", "c"};
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", host, names[i]);
		FILE *h = fopen(path, "w");
		cr_assert(h);
		fputs(i < 2 ? "same contents\n" : "other\n", h);
		fclose(h);
	}
	struct vfs_hostimg_policy pol = {.host_root = host};
	struct vfs_ctx ctx;
	struct vfs_sb *img;
	struct vfs *v = new_vfs(0, &pol, &ctx, &img);
	struct vfs_file *a, *b, *c, *w;
	cr_assert_eq(vfs_openat(&ctx, NULL, "/a", O_RDONLY, 0, &a), 0);
	cr_assert_eq(vfs_openat(&ctx, NULL, "/b", O_RDONLY, 0, &b), 0);
	cr_assert_eq(vfs_openat(&ctx, NULL, "/c", O_RDONLY, 0, &c), 0);
	int fa = vfs_file_fd(a), fc = vfs_file_fd(c);
	cr_assert(fa >= 0 && fc >= 0);
	cr_assert_eq(vfs_file_fd(b), fa);
	cr_assert_neq(fc, fa);
	struct vfs_hostimg_stats s;
	vfs_hostimg_stats(img, &s);
	cr_assert_eq(s.files_loaded, 2);
	cr_assert_eq(s.files_shared, 1);
	char buf[64] = {0};
	cr_assert_eq(pread(fa, buf, sizeof(buf), 0), 14);
	cr_assert_str_eq(buf, "same contents\n");
	/* nothing writes it: not the fd, not a re-open, not a shared mapping */
	cr_assert_eq(pwrite(fa, "x", 1, 0), -1);
	if (fcntl(fa, F_GET_SEALS) & F_SEAL_WRITE) {
		/* a kernel that cannot clone a detached mount: image
		 * contents stay sealed memfds */
		cr_assert_eq(errno, EPERM);
	} else {
		cr_assert_eq(errno, EBADF);
		cr_assert_eq(reopen(fa, O_RDWR), -1);
		cr_assert_eq(errno, EROFS);
	}
	cr_assert_eq(ftruncate(fa, 0), -1);
	cr_assert_eq(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fa, 0), MAP_FAILED);
	/* it maps for execution (libraries) */
	void *x = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fa, 0);
	cr_assert_neq(x, MAP_FAILED, "%s", strerror(errno));
	munmap(x, 4096);
	/* writing copies up into a workload content */
	cr_assert_eq(vfs_openat(&ctx, NULL, "/a", O_WRONLY | O_APPEND, 0, &w), 0);
	int fw = vfs_file_fd(w);
	cr_assert(fw >= 0 && fw != fa);
	cr_assert_eq(vfs_file_pwrite(&ctx, w, "more\n", 5, -1), 5);
	memset(buf, 0, sizeof(buf));
	cr_assert_eq(pread(fa, buf, sizeof(buf), 0), 14);
	cr_assert_eq(vfs_file_pread(b, buf, sizeof(buf), 0), 14);
	cr_assert_str_eq(buf, "same contents\n");
	vfs_file_put(a);
	vfs_file_put(b);
	vfs_file_put(c);
	vfs_file_put(w);
	vfs_sb_put(img);
	free_vfs(v, &ctx);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", host);
	cr_assert_eq(system(cmd), 0);
}
