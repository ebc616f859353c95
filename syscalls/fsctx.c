#include <errno.h>
#include <fcntl.h>
#include <linux/securebits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dispatch.h"
#include "fdinstall.h"
#include "fdmap.h"
#include "fifo.h"
#include "fsctx.h"
#include "kobj.h"
#include "placeholder.h"
#include "sandbox.h"

void task_vfs_ctx(struct task *task, struct vfs_ctx *ctx)
{
	ctx->vfs = task->sandbox->vfs;
	ctx->cred.uid = task->cred.fsuid;
	ctx->cred.gid = task->cred.fsgid;
	ctx->cred.ngroups = task->cred.ngroups;
	ctx->cred.groups = task->cred.groups;
	ctx->cred.caps_set = true;
	ctx->cred.caps = task->cred.cap_effective;
	ctx->root = task->fs->root;
	ctx->cwd = task->fs->cwd;
	ctx->umask = task->fs->umask;
	ctx->pid = task->tgid;
	ctx->tid = task->tid;
}

/* Linux access_override_creds: the real ids, and the capabilities of root
 * only for a real root. */
void task_access_cred(struct task *task, struct vfs_cred *cred)
{
	cred->uid = task->cred.ruid;
	cred->gid = task->cred.rgid;
	if (!(task->cred.securebits & SECBIT_NO_SETUID_FIXUP))
		cred->caps = task->cred.ruid == 0 ? task->cred.cap_permitted : 0;
}

long path_arg(struct task *task, uint64_t addr, char path[PATH_MAX])
{
	return task_read_string(task, addr, path, PATH_MAX);
}

long dirfd_arg(struct task *task, uint64_t raw, struct vfs_file **dir)
{
	int fd = (int)raw;
	*dir = NULL;
	if (fd == AT_FDCWD)
		return 0;
	long r = task_fd_lookup(task, fd, dir, NULL);
	if (r < 0)
		return r;
	return r == FD_VFS ? 0 : -ENOTDIR;
}

/* The caller's own files handed over as stdio (a redirected stdout, a
 * stdin file) are host files: the workload may read and write them
 * through the fd it was given, never change their mode, owner, times or
 * attributes. Anonymous memfds the workload made are its own. */
long refuse_host_file_change(struct task *task, struct syscall_call *call, int host_fd)
{
	struct stat st;
	if (host_fd < 0 || fstat(host_fd, &st) < 0)
		return 0;
	bool file_like = S_ISREG(st.st_mode) || S_ISDIR(st.st_mode) || S_ISLNK(st.st_mode);
	if (!file_like)
		return 0;
	/* A memfd answers F_GET_SEALS, but so does a host stdio file that
	 * lives on a tmpfs: the inode comparison decides for those. */
	if (fcntl(host_fd, F_GET_SEALS) >= 0 && !is_handed_over_file(host_fd))
		return 0;
	report_denial(task, call, EPERM, "a file of the host, handed over as an fd, keeps its attributes");
	return -EPERM;
}

long copy_out(struct task *task, uint64_t addr, const void *data, size_t len)
{
	long r = task_write_mem(task, addr, data, len);
	return r < 0 ? r : 0;
}

/* The workload's own open of a file's memfd or device, with its access
 * mode: reads and writes then run in the kernel at native speed. */
static int reopen_for_workload(int vfs_fd, int open_flags)
{
	int keep = O_ACCMODE | O_APPEND | O_NONBLOCK | O_DSYNC | O_SYNC | O_NOATIME | O_PATH;
	return vfs_reopen(vfs_fd, (open_flags & keep) | O_CLOEXEC | O_NOCTTY);
}

/* An O_PATH stand-in: an empty directory for a directory, an empty
 * memfd for anything else, so F_GETFL and read() answer as for the
 * real thing; fstat and the rest come to the sentry. */
static int placeholder_path_open(struct vfs_file *f, int open_flags)
{
	struct stat st;
	if (vfs_fstat(f, &st) == 0 && S_ISDIR(st.st_mode))
		return placeholder_dir_open(O_PATH);
	int memfd = memfd_create("sentry-path", MFD_CLOEXEC);
	if (memfd < 0)
		return -errno;
	char proc_path[64];
	snprintf(proc_path, sizeof(proc_path), "/proc/self/fd/%d", memfd);
	int fd = open(proc_path, O_PATH | O_CLOEXEC);
	int e = errno;
	close(memfd);
	return fd < 0 ? -e : fd;
}

long install_vfs_file(struct task *task, struct vfs_file *f, int open_flags)
{
	int host;
	bool on_host = false;
	switch (vfs_file_kind(f)) {
	case VFS_FILE_REGULAR:
	case VFS_FILE_SYNTH:
	case VFS_FILE_DEVICE:
		host = vfs_devfs_take_pty_fd(f); /* a pty goes over as opened */
		if (host < 0)
			host = vfs_file_open_created(f, open_flags);
		if (host == -EAGAIN) {
			host = vfs_file_reopen_fd(f);
			on_host = host >= 0 && vfs_file_on_host(f);
			if (host >= 0)
				host = reopen_for_workload(host, on_host ? O_RDONLY | (open_flags & ~O_ACCMODE) : open_flags);
		}
		break;
	case VFS_FILE_DIR:
		host = placeholder_dir_open(open_flags & (O_PATH | O_NONBLOCK));
		break;
	case VFS_FILE_PATH:
		host = placeholder_path_open(f, open_flags);
		break;
	case VFS_FILE_FIFO: {
		long fd = install_fifo(task, f, open_flags);
		vfs_file_put(f);
		return fd;
	}
	default:
		vfs_file_put(f);
		return -ENXIO;
	}
	long r = host;
	if (host >= 0) {
		r = on_host ? fdmap_add_host_image(task, host, f) : fdmap_add(task, host, f);
		if (!r)
			r = task_install_fd_answer(task, host, open_flags & O_CLOEXEC);
		if (r >= 0 && vfs_file_created(f))
			fdmap_note_created(task, host);
		close(host);
	}
	vfs_file_put(f);
	return r;
}
