/* EFAULT: bad pointers for paths and buffers. */
#include "common.h"

#define BAD ((void *)1)

int main(void)
{
	begin("EFAULT");
	put("f", "data");
	char buf[64];
	struct stat st;
	T(syscall(SYS_open, BAD, O_RDONLY));
	T(syscall(SYS_openat, AT_FDCWD, BAD, O_RDONLY | O_CREAT, 0644));
	T(syscall(SYS_stat, BAD, &st));
	T(syscall(SYS_lstat, BAD, &st));
	T(syscall(SYS_stat, "f", BAD));
	T(syscall(SYS_newfstatat, AT_FDCWD, BAD, &st, 0));
	T(syscall(SYS_access, BAD, F_OK));
	T(syscall(SYS_mkdir, BAD, 0755));
	T(syscall(SYS_rmdir, BAD));
	T(syscall(SYS_unlink, BAD));
	T(syscall(SYS_rename, BAD, "x"));
	T(syscall(SYS_rename, "f", BAD));
	T(syscall(SYS_link, "f", BAD));
	T(syscall(SYS_symlink, BAD, "x"));
	T(syscall(SYS_readlink, BAD, buf, sizeof(buf)));
	T(syscall(SYS_chdir, BAD));
	T(syscall(SYS_chmod, BAD, 0644));
	T(syscall(SYS_truncate, BAD, 0));
	T(syscall(SYS_getcwd, BAD, sizeof(buf)));
	T(syscall(SYS_execve, BAD, NULL, NULL));
	T(syscall(SYS_mknod, BAD, S_IFIFO | 0644, 0));
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
	T(syscall(SYS_pipe, BAD));
	T(syscall(SYS_pipe2, BAD, 0));
	/* Zero-length I/O with a bad pointer is fine. */
	T(syscall(SYS_read, fd, BAD, 0));
	T(syscall(SYS_write, fd, BAD, 0));
	cat("f");
	/* A path that runs off the end of mapped memory. */
	T(syscall(SYS_open, (char *)-1L, O_RDONLY));
	T(syscall(SYS_open, (char *)0xffff800000000000UL, O_RDONLY));
	return 0;
}
