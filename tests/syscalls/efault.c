/* EFAULT: bad pointers for paths and buffers. */
#include "common.h"

#define BAD ((void *)1)

int main(void)
{
	begin("EFAULT");
	put("f", "data");
	char buf[64];
	struct stat st;
	/* The calls older than their *at forms exist on some architectures
	 * only; the *at forms everywhere. */
#ifdef SYS_open
	T(syscall(SYS_open, BAD, O_RDONLY));
#endif
	T(syscall(SYS_openat, AT_FDCWD, BAD, O_RDONLY | O_CREAT, 0644));
	T(syscall(SYS_openat, AT_FDCWD, BAD, O_RDONLY));
#ifdef SYS_stat
	T(syscall(SYS_stat, BAD, &st));
	T(syscall(SYS_lstat, BAD, &st));
	T(syscall(SYS_stat, "f", BAD));
#endif
	T(syscall(SYS_newfstatat, AT_FDCWD, BAD, &st, 0));
	T(syscall(SYS_newfstatat, AT_FDCWD, BAD, &st, AT_SYMLINK_NOFOLLOW));
	T(syscall(SYS_newfstatat, AT_FDCWD, "f", BAD, 0));
#ifdef SYS_access
	T(syscall(SYS_access, BAD, F_OK));
#endif
	T(syscall(SYS_faccessat, AT_FDCWD, BAD, F_OK));
#ifdef SYS_mkdir
	T(syscall(SYS_mkdir, BAD, 0755));
#endif
	T(syscall(SYS_mkdirat, AT_FDCWD, BAD, 0755));
#ifdef SYS_rmdir
	T(syscall(SYS_rmdir, BAD));
#endif
	T(syscall(SYS_unlinkat, AT_FDCWD, BAD, AT_REMOVEDIR));
#ifdef SYS_unlink
	T(syscall(SYS_unlink, BAD));
#endif
	T(syscall(SYS_unlinkat, AT_FDCWD, BAD, 0));
#ifdef SYS_rename
	T(syscall(SYS_rename, BAD, "x"));
	T(syscall(SYS_rename, "f", BAD));
#endif
	T(syscall(SYS_renameat2, AT_FDCWD, BAD, AT_FDCWD, "x", 0));
	T(syscall(SYS_renameat2, AT_FDCWD, "f", AT_FDCWD, BAD, 0));
#ifdef SYS_link
	T(syscall(SYS_link, "f", BAD));
#endif
	T(syscall(SYS_linkat, AT_FDCWD, "f", AT_FDCWD, BAD, 0));
#ifdef SYS_symlink
	T(syscall(SYS_symlink, BAD, "x"));
#endif
	T(syscall(SYS_symlinkat, BAD, AT_FDCWD, "x"));
#ifdef SYS_readlink
	T(syscall(SYS_readlink, BAD, buf, sizeof(buf)));
#endif
	T(syscall(SYS_readlinkat, AT_FDCWD, BAD, buf, sizeof(buf)));
	T(syscall(SYS_chdir, BAD));
#ifdef SYS_chmod
	T(syscall(SYS_chmod, BAD, 0644));
#endif
	T(syscall(SYS_fchmodat, AT_FDCWD, BAD, 0644));
	T(syscall(SYS_truncate, BAD, 0));
	T(syscall(SYS_getcwd, BAD, sizeof(buf)));
	T(syscall(SYS_execve, BAD, NULL, NULL));
#ifdef SYS_mknod
	T(syscall(SYS_mknod, BAD, S_IFIFO | 0644, 0));
#endif
	T(syscall(SYS_mknodat, AT_FDCWD, BAD, S_IFIFO | 0644, 0));
	T(syscall(SYS_utimensat, AT_FDCWD, BAD, NULL, 0));
	T(syscall(SYS_statfs, BAD, buf));
	T(syscall(SYS_getxattr, BAD, "user.a", buf, sizeof(buf)));
	T(syscall(SYS_getxattr, "f", BAD, buf, sizeof(buf)));
	/* Buffers. */
	int fd = T(open("f", O_RDWR));
	T(syscall(SYS_read, fd, BAD, 4));
	T(lseek(fd, 0, SEEK_CUR));
	T(syscall(SYS_write, fd, BAD, 4));
	T(syscall(SYS_pread64, fd, BAD, 4, 0));
	T(syscall(SYS_pwrite64, fd, BAD, 4, 0));
	T(syscall(SYS_fstat, fd, BAD));
	T(syscall(SYS_readv, fd, BAD, 1));
	int dfd = T(open(".", O_RDONLY | O_DIRECTORY));
	T(syscall(SYS_getdents64, dfd, BAD, 4096));
#ifdef SYS_pipe
	T(syscall(SYS_pipe, BAD));
#endif
	T(syscall(SYS_pipe2, BAD, 0));
	/* Zero-length I/O with a bad pointer is fine. */
	T(syscall(SYS_read, fd, BAD, 0));
	T(syscall(SYS_write, fd, BAD, 0));
	cat("f");
	/* A path that runs off the end of mapped memory. */
#ifdef SYS_open
	T(syscall(SYS_open, (char *)-1L, O_RDONLY));
	T(syscall(SYS_open, (char *)0xffff800000000000UL, O_RDONLY));
#endif
	T(syscall(SYS_openat, AT_FDCWD, (char *)-1L, O_RDONLY));
	T(syscall(SYS_openat, AT_FDCWD, (char *)0xffff800000000000UL, O_RDONLY));
	return 0;
}
