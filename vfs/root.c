/* The usual sandbox tree, built from the file-system kinds. */
#define _GNU_SOURCE
#include "vfs_impl.h"

#include <unistd.h>

static int mount_new(const struct vfs_ctx *ctx, const char *path, mode_t mode, struct vfs_sb *sb)
{
	int err = vfs_mkdir_p(ctx, path, mode);
	if (!err)
		err = vfs_mount(ctx, path, sb, 0);
	vfs_sb_put(sb);
	return err;
}

static int import_workspace(const struct vfs_ctx *ctx, const char *host_dir)
{
	struct vfs_hostimg_policy policy = {.host_root = host_dir};
	struct vfs_sb *img, *ovl;
	int err = vfs_hostimg_new(ctx->vfs, &policy, &img);
	if (err)
		return err;
	err = vfs_overlay_new(ctx->vfs, img, &ovl);
	vfs_sb_put(img);
	if (err)
		return err;
	err = vfs_overlay_set_workspace(ovl, host_dir);
	if (err) {
		vfs_sb_put(ovl);
		return err;
	}
	return mount_new(ctx, host_dir, 0755, ovl);
}

int vfs_build_root(struct vfs *vfs, const struct vfs_root_opts *opts, struct vfs_path *root)
{
	struct vfs_sb *img, *ovl, *sb;
	int err = vfs_hostimg_new(vfs, opts ? opts->image : NULL, &img);
	if (err)
		return err;
	err = vfs_overlay_new(vfs, img, &ovl);
	vfs_sb_put(img);
	if (err)
		return err;
	err = vfs_mount_root(vfs, ovl, 0, root);
	vfs_sb_put(ovl);
	if (err)
		return err;
	struct vfs_ctx ctx = {.vfs = vfs, .root = *root, .cwd = *root, .umask = 022};
	if (!err && !(err = vfs_memfs_new(vfs, S_IFDIR | 01777, &sb)))
		err = mount_new(&ctx, "/tmp", 01777, sb);
	struct vfs_devfs_opts dev = {.tty_fd = opts ? opts->tty_fd : -1, .devpts_fd = opts ? opts->devpts_fd : 0};
	if (!err && !(err = vfs_devfs_new(vfs, &dev, &sb)))
		err = mount_new(&ctx, "/dev", 0755, sb);
	if (!err && !(err = vfs_memfs_new(vfs, S_IFDIR | 01777, &sb)))
		err = mount_new(&ctx, "/dev/shm", 01777, sb);
	if (!err && opts && opts->mqueue && !(err = vfs_mqfs_new(vfs, opts->mqueue, &sb)))
		err = mount_new(&ctx, "/dev/mqueue", 01777, sb);
	/* the online CPUs counted once, for both */
	struct vfs_proc_info info = opts && opts->proc_info ? *opts->proc_info : (struct vfs_proc_info){ 0 };
	if (!err && opts && opts->provider && info.ncpus <= 0)
		info.ncpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (!err && opts && opts->provider && !(err = vfs_procfs_new(vfs, opts->provider, &info, &sb)))
		err = mount_new(&ctx, "/proc", 0555, sb);
	if (!err && opts && opts->provider && !(err = vfs_sysfs_new(vfs, info.ncpus, &sb)))
		err = mount_new(&ctx, "/sys", 0555, sb);
	/* last, so that a workspace under /tmp or /dev/shm is not covered */
	for (const char *const *w = opts ? opts->workspaces : NULL; !err && w && *w; w++)
		err = import_workspace(&ctx, *w);
	if (err)
		vfs_path_put(root);
	return err;
}
