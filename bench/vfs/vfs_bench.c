/* VFS micro-benchmarks: a cached path lookup, create+stat+unlink in large
 * directories, memory per file, first looks at the host image (its
 * directories read, a file copied in).  Prints a table; never asserts
 * timings. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vfs.h"

static double now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

static struct vfs *fresh(struct vfs_ctx *c)
{
	struct vfs *v = vfs_create(NULL);
	struct vfs_sb *sb;
	if (!v || vfs_memfs_new(v, S_IFDIR | 0755, &sb))
		exit(1);
	memset(c, 0, sizeof(*c));
	c->vfs = v;
	if (vfs_mount_root(v, sb, 0, &c->root))
		exit(1);
	vfs_sb_put(sb);
	c->cwd = c->root;
	vfs_path_get(&c->cwd);
	c->umask = 022;
	return v;
}

static void done(struct vfs *v, struct vfs_ctx *c)
{
	vfs_path_put(&c->root);
	vfs_path_put(&c->cwd);
	vfs_destroy(v);
}

static void bench_lookup(void)
{
	struct vfs_ctx c;
	struct vfs *v = fresh(&c);
	if (vfs_mkdir_p(&c, "/usr/lib/python3/dist-packages/pkg", 0755))
		exit(1);
	if (vfs_mknodat(&c, NULL, "/usr/lib/python3/dist-packages/pkg/mod.py", S_IFREG | 0644, 0))
		exit(1);
	const char *path = "/usr/lib/python3/dist-packages/pkg/mod.py";
	struct vfs_path p;
	int n = 2000000;
	for (int i = 0; i < 1000; i++) {
		vfs_lookup(&c, NULL, path, 0, &p);
		vfs_path_put(&p);
	}
	double t0 = now_ns();
	for (int i = 0; i < n; i++) {
		vfs_lookup(&c, NULL, path, 0, &p);
		vfs_path_put(&p);
	}
	double per = (now_ns() - t0) / n;
	printf("%-44s %10.1f ns   (target <= 150)\n", "cached 6-component lookup", per);
	done(v, &c);
}

static void bench_create(int files)
{
	struct vfs_ctx c;
	struct vfs *v = fresh(&c);
	char name[64];
	vfs_mkdirat(&c, NULL, "/d", 0755);
	for (int i = 0; i < files; i++) {
		snprintf(name, sizeof(name), "/d/file-%d", i);
		if (vfs_mknodat(&c, NULL, name, S_IFREG | 0644, 0))
			exit(1);
	}
	int ops = 20000;
	struct stat st;
	double t0 = now_ns();
	for (int i = 0; i < ops; i++) {
		snprintf(name, sizeof(name), "/d/new-%d", i);
		struct vfs_file *f;
		if (vfs_openat(&c, NULL, name, O_CREAT | O_WRONLY, 0644, &f) < 0)
			exit(1);
		vfs_file_put(f);
		vfs_fstatat(&c, NULL, name, &st, 0);
		vfs_unlinkat(&c, NULL, name, 0);
	}
	double per = (now_ns() - t0) / ops;
	char label[64];
	snprintf(label, sizeof(label), "create+stat+unlink, %d files in dir", files);
	printf("%-44s %10.1f ns/op\n", label, per);
	done(v, &c);
}

/* A fresh image of the host's /usr each round, bare or under an overlay
 * as the sandbox root has it: the first stat of a file in a large
 * directory, then its first read (the copy into a memfd). */
static void bench_image(bool overlay)
{
	static const char *const include[] = {"/usr", NULL};
	struct vfs_hostimg_policy pol = {.host_root = "/", .include = include,
					 .exclude = vfs_hostimg_default_exclude};
	const char *file = "/usr/bin/env";
	int rounds = 20;
	double stat_ns = 0, open_ns = 0;
	for (int r = 0; r < rounds; r++) {
		struct vfs *v = vfs_create(NULL);
		struct vfs_sb *img, *top;
		if (!v || vfs_hostimg_new(v, &pol, &img))
			exit(1);
		top = img;
		if (overlay) {
			if (vfs_overlay_new(v, img, &top))
				exit(1);
			vfs_sb_put(img);
		}
		struct vfs_ctx c = {.vfs = v, .umask = 022};
		if (vfs_mount_root(v, top, 0, &c.root))
			exit(1);
		vfs_sb_put(top);
		c.cwd = c.root;
		vfs_path_get(&c.cwd);
		struct stat st;
		double t0 = now_ns();
		if (vfs_fstatat(&c, NULL, file, &st, 0))
			exit(1);
		double t1 = now_ns();
		struct vfs_file *f;
		char b[4];
		if (vfs_openat(&c, NULL, file, O_RDONLY, 0, &f) || vfs_file_pread(f, b, 4, 0) != 4)
			exit(1);
		double t2 = now_ns();
		vfs_file_put(f);
		stat_ns += t1 - t0;
		open_ns += t2 - t1;
		done(v, &c);
	}
	char label[64];
	snprintf(label, sizeof(label), "image%s: first stat of %s", overlay ? "+overlay" : "", file);
	printf("%-44s %10.1f us\n", label, stat_ns / rounds / 1000);
	snprintf(label, sizeof(label), "image%s: first open+read of it", overlay ? "+overlay" : "");
	printf("%-44s %10.1f us\n", label, open_ns / rounds / 1000);
}

static void bench_memory(void)
{
	struct vfs_ctx c;
	struct vfs *v = fresh(&c);
	vfs_mkdirat(&c, NULL, "/d", 0755);
	int n = 100000;
	char name[64];
	size_t names = 0;
	struct mallinfo2 before = mallinfo2();
	for (int i = 0; i < n; i++) {
		int len = snprintf(name, sizeof(name), "/d/f%07d", i);
		names += len - 3 + 1;
		vfs_mknodat(&c, NULL, name, S_IFREG | 0644, 0);
	}
	struct mallinfo2 after = mallinfo2();
	double per = (double)(after.uordblks - before.uordblks) / n;
	printf("%-44s %10.1f bytes (%.1f with the %.0f-byte name; target <= 256 + name)\n",
	       "memory per inode+dentry (incl. hash slot)", per - (double)names / n, per, (double)names / n);
	done(v, &c);
}

int main(void)
{
	printf("%-44s %10s\n", "sentry VFS benchmark", "result");
	bench_lookup();
	bench_create(1000);
	bench_create(10000);
	bench_create(100000);
	bench_memory();
	bench_image(false);
	bench_image(true);
	return 0;
}
