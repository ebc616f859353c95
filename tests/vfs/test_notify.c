/* The VFS's change events (vfs/notify.h): only watched inodes and the
 * folders holding them reach the sink, with the child's name; a watch
 * keeps its inode alive after the last name went. */
#define _GNU_SOURCE
#include "twin.h"
#include "notify.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>

static char seen[1024];

static void record(void *arg, struct vfs_inode *watched, uint32_t mask, uint32_t cookie, const char *name, size_t len)
{
	(void)arg;
	(void)watched;
	char one[128];
	snprintf(one, sizeof(one), "%s%#x:%.*s:%s;", seen[0] ? " " : "", mask, (int)len, name ? name : "",
		 cookie ? "c" : "0");
	strncat(seen, one, sizeof(seen) - strlen(seen) - 1);
}

static struct vfs *new_vfs(struct vfs_ctx *ctx)
{
	struct vfs *v = vfs_create(&(struct vfs_limits){ 0 });
	struct vfs_sb *sb;
	cr_assert_eq(vfs_memfs_new(v, S_IFDIR | 0755, &sb), 0);
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

Test(notify, watched_only)
{
	struct vfs_ctx c;
	struct vfs *v = new_vfs(&c);
	seen[0] = 0;
	vfs_notify_set_sink(record, NULL);
	cr_assert_eq(vfs_mkdirat(&c, NULL, "d", 0755), 0);
	cr_assert_eq(vfs_mkdirat(&c, NULL, "quiet", 0755), 0);
	struct vfs_inode *d;
	cr_assert_eq(vfs_notify_lookup(&c, NULL, "d", true, true, &d), 0);
	cr_assert(vfs_inode_is_dir(d));
	cr_assert_eq(vfs_mkdirat(&c, NULL, "quiet/x", 0755), 0);
	cr_assert_eq(vfs_mkdirat(&c, NULL, "d/x", 0755), 0);
	cr_assert_eq(vfs_renameat2(&c, NULL, "d/x", NULL, "d/y", 0), 0);
	cr_assert_eq(vfs_unlinkat(&c, NULL, "d/y", AT_REMOVEDIR), 0);
	/* a rename within the folder comes first as dnotify's VFS_NOTIFY_RENAME */
	cr_assert_str_eq(seen, "0x40000100:x:0; 0x50000000:x:0; 0x40000040:x:c; 0x40000080:y:c; 0x40000200:y:0;");

	/* the watch keeps d alive once its name is gone, and hears its end */
	seen[0] = 0;
	cr_assert_eq(vfs_unlinkat(&c, NULL, "d", AT_REMOVEDIR), 0);
	cr_assert_str_eq(seen, "0x400::0;");
	vfs_notify_unwatch(d);

	seen[0] = 0;
	cr_assert_eq(vfs_mkdirat(&c, NULL, "d", 0755), 0);
	cr_assert_eq(vfs_mkdirat(&c, NULL, "d/z", 0755), 0);
	cr_assert_str_eq(seen, "");
	vfs_notify_set_sink(NULL, NULL);
	free_vfs(v, &c);
}

Test(notify, lookup_checks)
{
	struct vfs_ctx c;
	struct vfs *v = new_vfs(&c);
	struct vfs_inode *i;
	struct vfs_file *f;
	cr_assert_eq(vfs_openat(&c, NULL, "file", O_CREAT | O_WRONLY, 0200, &f), 0);
	vfs_file_put(f);
	cr_assert_eq(vfs_notify_lookup(&c, NULL, "file", true, true, &i), -ENOTDIR);
	cr_assert_eq(vfs_notify_lookup(&c, NULL, "missing", true, false, &i), -ENOENT);
	c.cred.uid = 1000; /* write-only file: no read permission to watch it */
	cr_assert_eq(vfs_notify_lookup(&c, NULL, "file", true, false, &i), -EACCES);
	free_vfs(v, &c);
}
