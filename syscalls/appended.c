/* Writes that land before the end of a file opened for appending. A host
 * file the caller handed over with >> keeps its O_APPEND (fs.c, fcntl.c),
 * but two calls write at an offset regardless of it: pwritev2 with
 * RWF_NOAPPEND, and fallocate modes that change existing bytes (a punched
 * hole or a zeroed range reads as zeros). Linux refuses those only for an
 * append-only inode (chattr +a); the sandbox refuses them on such a file. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <sys/uio.h>
#include <unistd.h>

#include "dispatch.h"
#include "fdmap.h"
#include "kobj.h"

#ifndef RWF_NOAPPEND
#define RWF_NOAPPEND 0x00000020
#endif

/* Is the object behind the sentry's copy a handed-over file opened for
 * appending? */
static bool appended_host_file(int copy)
{
	int flags = fcntl(copy, F_GETFL);
	return flags >= 0 && (flags & O_APPEND) && is_handed_over_file(copy);
}

static long refuse(struct task *task, struct syscall_call *call, const char *why)
{
	report_denial(task, call, EPERM, why);
	return -EPERM;
}

/* Without the flag the kernel honours O_APPEND. With it, the fd the check
 * saw could be swapped for a handed-over file before the kernel looks the
 * number up: the flag passes only where no such swap is possible. */
long sys_pwritev2(struct task *task, struct syscall_call *call)
{
	if (call->args[5] & RWF_NOAPPEND) {
		if (fd_swap_can_bring_host_file(task))
			return refuse(task, call, "RWF_NOAPPEND while a file of the host could be swapped onto the fd");
		struct vfs_file *file;
		int copy = -1;
		int kind = task_fd_lookup(task, (int)call->args[0], &file, &copy);
		bool appended = kind == FD_KERNEL && copy >= 0 && appended_host_file(copy);
		if (copy >= 0)
			close(copy);
		if (appended)
			return refuse(task, call, "RWF_NOAPPEND on a file of the host handed over for appending");
	}
	call->action = CALL_CONTINUE; /* EBADF and the rest from the kernel */
	return 0;
}

/* Allocating (mode 0 or FALLOC_FL_KEEP_SIZE) changes no byte there is;
 * the other modes run on the sentry's copy of the checked object. */
long sys_fallocate(struct task *task, struct syscall_call *call)
{
	int mode = (int)call->args[1];
	if (!(mode & ~FALLOC_FL_KEEP_SIZE)) {
		call->action = CALL_CONTINUE;
		return 0;
	}
	struct vfs_file *file;
	int copy;
	int kind = task_fd_lookup(task, (int)call->args[0], &file, &copy);
	if (kind < 0)
		return kind;
	if (copy < 0)
		return -EBADF; /* O_PATH */
	long r;
	if (kind == FD_KERNEL && appended_host_file(copy))
		r = refuse(task, call, "a file of the host handed over for appending keeps what it held");
	else
		r = fallocate(copy, mode, (off_t)call->args[2], (off_t)call->args[3]) < 0 ? -errno : 0;
	close(copy);
	return r;
}
