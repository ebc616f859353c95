/* open, openat and openat2 flags, on the kernel and on the VFS. */
#define _GNU_SOURCE
#include "twin.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

TWIN(open, create_new) { s_close(s, s_open(s, "f", O_CREAT | O_WRONLY, 0640)); s_stat(s, "f", 0); }
TWIN(open, create_existing) { s_close(s, s_open(s, "f", O_CREAT | O_WRONLY, 0640)); s_close(s, s_open(s, "f", O_CREAT | O_RDWR, 0600)); s_stat(s, "f", 0); }
TWIN(open, excl_existing) { s_close(s, s_open(s, "f", O_CREAT, 0640)); s_open(s, "f", O_CREAT | O_EXCL | O_RDWR, 0600); }
TWIN(open, excl_new) { s_close(s, s_open(s, "f", O_CREAT | O_EXCL | O_RDWR, 0600)); s_stat(s, "f", 0); }
TWIN(open, excl_on_symlink) { s_symlink(s, "missing", "l"); s_open(s, "l", O_CREAT | O_EXCL | O_WRONLY, 0600); s_stat(s, "missing", 0); }
TWIN(open, excl_on_dir) { s_mkdir(s, "d", 0755); s_open(s, "d", O_CREAT | O_EXCL | O_RDONLY, 0600); s_open(s, ".", O_CREAT | O_EXCL, 0600); }
TWIN(open, missing) { s_open(s, "nope", O_RDONLY, 0); s_open(s, "nope", O_WRONLY, 0); s_open(s, "a/b", O_CREAT | O_WRONLY, 0644); }

TWIN(open, trunc_write)
{
	int h = s_open(s, "f", O_CREAT | O_WRONLY, 0644);
	s_write(s, h, "hello world");
	s_close(s, h);
	s_stat(s, "f", 0);
	s_close(s, s_open(s, "f", O_WRONLY | O_TRUNC, 0));
	s_stat(s, "f", 0);
}

TWIN(open, trunc_rdonly)
{
	int h = s_open(s, "f", O_CREAT | O_WRONLY, 0644);
	s_write(s, h, "hello");
	s_close(s, h);
	s_close(s, s_open(s, "f", O_RDONLY | O_TRUNC, 0));
	s_stat(s, "f", 0);
}

TWIN(open, directory_flag)
{
	s_mkdir(s, "d", 0755);
	s_close(s, s_open(s, "f", O_CREAT, 0644));
	s_close(s, s_open(s, "d", O_RDONLY | O_DIRECTORY, 0));
	s_open(s, "f", O_RDONLY | O_DIRECTORY, 0);
	s_open(s, "nope", O_RDONLY | O_DIRECTORY, 0);
}

TWIN(open, dir_for_write)
{
	s_mkdir(s, "d", 0755);
	s_open(s, "d", O_WRONLY, 0);
	s_open(s, "d", O_RDWR, 0);
	s_open(s, "d", O_RDONLY | O_TRUNC, 0);
	s_close(s, s_open(s, "d", O_RDONLY, 0));
}

TWIN(open, creat_on_dir)
{
	s_mkdir(s, "d", 0755);
	s_open(s, "d", O_CREAT | O_RDONLY, 0644);
	s_open(s, "x/", O_CREAT | O_RDWR, 0644);
	s_open(s, "d/", O_CREAT | O_RDWR, 0644);
	s_open(s, "..", O_CREAT | O_RDONLY, 0644);
	s_stat(s, "x", 0);
}

TWIN(open, creat_directory_einval) { s_open(s, "f", O_CREAT | O_DIRECTORY | O_RDWR, 0644); s_stat(s, "f", 0); }

TWIN(open, nofollow)
{
	s_close(s, s_open(s, "f", O_CREAT, 0644));
	s_symlink(s, "f", "l");
	s_open(s, "l", O_RDONLY | O_NOFOLLOW, 0);
	s_open(s, "l", O_RDONLY | O_NOFOLLOW | O_DIRECTORY, 0);
	s_mkdir(s, "d", 0755);
	s_symlink(s, "d", "ld");
	s_open(s, "ld/", O_RDONLY | O_NOFOLLOW, 0);
	s_open(s, "ld", O_RDONLY | O_NOFOLLOW | O_CREAT, 0644);
}

TWIN(open, path_on_symlink)
{
	s_symlink(s, "target", "l");
	int h = s_open(s, "l", O_PATH | O_NOFOLLOW, 0);
	s_fstat(s, h);
	s_read(s, h, 10);
	s_close(s, h);
	s_open(s, "l", O_PATH, 0);
}

TWIN(open, path_ignores_other_flags)
{
	s_close(s, s_open(s, "f", O_CREAT | O_WRONLY, 0000));
	int h = s_open(s, "f", O_PATH | O_RDWR | O_TRUNC | O_CREAT, 0);
	s_fstat(s, h);
	s_ftruncate(s, h, 3);
	s_close(s, h);
	s_open(s, "f", O_PATH | O_DIRECTORY, 0);
}

TWIN(open, dangling_creates_target)
{
	s_symlink(s, "target", "l");
	s_mkdir(s, "d", 0755);
	s_symlink(s, "d/t2", "l2");
	s_close(s, s_open(s, "l", O_CREAT | O_WRONLY, 0600));
	s_close(s, s_open(s, "l2", O_CREAT | O_WRONLY, 0600));
	s_stat(s, "target", 0);
	s_stat(s, "d/t2", 0);
}

TWIN(open, dangling_chain)
{
	s_symlink(s, "b", "a");
	s_symlink(s, "/c", "b");
	s_close(s, s_open(s, "a", O_CREAT | O_WRONLY, 0600));
	s_stat(s, "c", 0);
	s_symlink(s, "nodir/x", "bad");
	s_open(s, "bad", O_CREAT | O_WRONLY, 0600);
	s_symlink(s, "slash/", "sl");
	s_open(s, "sl", O_CREAT | O_WRONLY, 0600);
}

TWIN(open, tmpfile)
{
	s_mkdir(s, "d", 0755);
	int h = s_open(s, "d", O_TMPFILE | O_RDWR, 0600);
	s_write(s, h, "tmp");
	s_fstat(s, h);
	s_getdents(s, s_open(s, "d", O_RDONLY, 0));
	s_linkat_empty(s, h, "d/named");
	s_stat(s, "d/named", 0);
	s_fstat(s, h);
	s_close(s, h);
}

TWIN(open, tmpfile_excl_not_linkable)
{
	int h = s_open(s, ".", O_TMPFILE | O_WRONLY | O_EXCL, 0600);
	s_linkat_empty(s, h, "named");
	s_close(s, h);
}

TWIN(open, tmpfile_bad_flags)
{
	s_close(s, s_open(s, "f", O_CREAT, 0600));
	s_open(s, ".", O_TMPFILE | O_RDONLY, 0600);
	s_open(s, "f", O_TMPFILE | O_RDWR, 0600);
	s_open(s, "nope", O_TMPFILE | O_RDWR, 0600);
	s_open(s, ".", O_TMPFILE | O_RDWR | O_CREAT, 0600);
}

TWIN(open, append)
{
	int h = s_open(s, "f", O_CREAT | O_WRONLY, 0644);
	s_write(s, h, "0123456789");
	s_close(s, h);
	h = s_open(s, "f", O_WRONLY | O_APPEND, 0);
	s_write(s, h, "abc");
	s_close(s, h);
	h = s_open(s, "f", O_RDONLY, 0);
	s_read(s, h, 100);
	s_close(s, h);
	s_stat(s, "f", 0);
}

TWIN(open, read_write_seek)
{
	int h = s_open(s, "f", O_CREAT | O_RDWR, 0644);
	s_write(s, h, "hello world");
	s_lseek(s, h, 6, SEEK_SET);
	s_read(s, h, 5);
	s_lseek(s, h, 0, SEEK_SET);
	s_read(s, h, 5);
	s_write(s, h, "XX");
	s_lseek(s, h, 0, SEEK_SET);
	s_read(s, h, 100);
	s_fstat(s, h);
	s_close(s, h);
}

TWIN(open, read_on_writeonly)
{
	int h = s_open(s, "f", O_CREAT | O_WRONLY, 0644);
	s_read(s, h, 5);
	s_close(s, h);
	h = s_open(s, "f", O_RDONLY, 0);
	s_write(s, h, "x");
	s_close(s, h);
}

TWIN(open, umask_applied)
{
	s_close(s, s_open(s, "f", O_CREAT | O_WRONLY, 0777));
	s_mkdir(s, "d", 0777);
	s_mknod(s, "p", S_IFIFO | 0777);
	s_stat(s, "f", 0);
	s_stat(s, "d", 0);
	s_stat(s, "p", 0);
}

TWIN(open, special_mode_bits)
{
	s_close(s, s_open(s, "f", O_CREAT | O_WRONLY, 07755));
	s_mkdir(s, "d", 07777);
	s_stat(s, "f", 0);
	s_stat(s, "d", 0);
}

TWIN(open, openat_dir_handle)
{
	s_mkdir(s, "d", 0755);
	int h = s_open(s, "d", O_RDONLY | O_DIRECTORY, 0);
	s_close(s, s_openat(s, h, "f", O_CREAT | O_WRONLY, 0644));
	s_stat(s, "d/f", 0);
	int f = s_openat(s, h, "f", O_RDONLY, 0);
	s_openat(s, f, "x", O_RDONLY, 0);
	s_close(s, s_openat(s, f, "/d", O_RDONLY, 0));
	s_close(s, f);
	s_close(s, h);
}

TWIN(open, fifo_nonblock)
{
	s_mknod(s, "p", S_IFIFO | 0644);
	s_close(s, s_open(s, "p", O_RDONLY | O_NONBLOCK, 0));
	s_open(s, "p", O_RDONLY | O_TRUNC | O_NONBLOCK, 0);
	s_stat(s, "p", 0);
}

TWIN(open, socket_enxio)
{
	s_mknod(s, "sock", S_IFSOCK | 0755);
	s_stat(s, "sock", 0);
	s_open(s, "sock", O_RDONLY, 0);
	s_close(s, s_open(s, "sock", O_PATH, 0));
}

TWIN(open, noatime)
{
	s_close(s, s_open(s, "f", O_CREAT | O_WRONLY, 0644));
	s_close(s, s_open(s, "f", O_RDONLY | O_NOATIME, 0));
}

/* openat2 */
TWIN(openat2, beneath_inside)
{
	s_mkdir(s, "d", 0755);
	s_mkdir(s, "d/e", 0755);
	s_close(s, s_open(s, "d/e/f", O_CREAT | O_WRONLY, 0644));
	int h = s_open(s, "d", O_RDONLY | O_DIRECTORY, 0);
	s_close(s, s_openat2(s, h, "e/f", O_RDONLY, 0, RESOLVE_BENEATH));
	s_close(s, s_openat2(s, h, "e/../e/f", O_RDONLY, 0, RESOLVE_BENEATH));
	s_openat2(s, h, "..", O_RDONLY, 0, RESOLVE_BENEATH);
	s_openat2(s, h, "e/../../d", O_RDONLY, 0, RESOLVE_BENEATH);
	s_openat2(s, h, "/d", O_RDONLY, 0, RESOLVE_BENEATH);
	s_close(s, h);
}

TWIN(openat2, beneath_symlinks)
{
	s_mkdir(s, "d", 0755);
	s_close(s, s_open(s, "d/f", O_CREAT | O_WRONLY, 0644));
	s_symlink(s, "/d/f", "d/abs");
	s_symlink(s, "f", "d/rel");
	s_symlink(s, "../d/f", "d/up");
	int h = s_open(s, "d", O_RDONLY | O_DIRECTORY, 0);
	s_openat2(s, h, "abs", O_RDONLY, 0, RESOLVE_BENEATH);
	s_close(s, s_openat2(s, h, "rel", O_RDONLY, 0, RESOLVE_BENEATH));
	s_openat2(s, h, "up", O_RDONLY, 0, RESOLVE_BENEATH);
	s_close(s, h);
}

TWIN(openat2, in_root)
{
	s_mkdir(s, "d", 0755);
	s_mkdir(s, "d/d", 0755);
	s_close(s, s_open(s, "d/f", O_CREAT | O_WRONLY, 0644));
	s_close(s, s_open(s, "d/d/f", O_CREAT | O_WRONLY, 0600));
	s_symlink(s, "/f", "d/abs");
	s_symlink(s, "../../../f", "d/up");
	int h = s_open(s, "d", O_RDONLY | O_DIRECTORY, 0);
	int a = s_openat2(s, h, "abs", O_RDONLY, 0, RESOLVE_IN_ROOT);
	s_fstat(s, a);
	s_close(s, a);
	a = s_openat2(s, h, "up", O_RDONLY, 0, RESOLVE_IN_ROOT);
	s_fstat(s, a);
	s_close(s, a);
	a = s_openat2(s, h, "/d/f", O_RDONLY, 0, RESOLVE_IN_ROOT);
	s_fstat(s, a);
	s_close(s, a);
	s_openat2(s, h, "/d/f/", O_RDONLY, 0, RESOLVE_IN_ROOT);
	s_close(s, h);
}

TWIN(openat2, no_symlinks)
{
	s_mkdir(s, "d", 0755);
	s_close(s, s_open(s, "d/f", O_CREAT | O_WRONLY, 0644));
	s_symlink(s, "d", "ld");
	s_symlink(s, "d/f", "lf");
	s_openat2(s, -1, "ld/f", O_RDONLY, 0, RESOLVE_NO_SYMLINKS);
	s_openat2(s, -1, "lf", O_RDONLY, 0, RESOLVE_NO_SYMLINKS);
	s_close(s, s_openat2(s, -1, "lf", O_PATH | O_NOFOLLOW, 0, RESOLVE_NO_SYMLINKS));
	s_close(s, s_openat2(s, -1, "d/f", O_RDONLY, 0, RESOLVE_NO_SYMLINKS));
}

TWIN(openat2, bad_arguments)
{
	s_close(s, s_open(s, "f", O_CREAT, 0644));
	s_openat2(s, -1, "f", O_RDONLY, 0644, 0);
	s_openat2(s, -1, "f", O_RDONLY, 0, RESOLVE_BENEATH | RESOLVE_IN_ROOT);
	s_openat2(s, -1, "f", O_RDONLY, 0, 0x1000);
	s_openat2(s, -1, "g", O_CREAT | O_WRONLY, 010000, 0);
	s_openat2(s, -1, "f", O_PATH | O_RDWR, 0, 0);
	s_openat2(s, -1, "f", 0x40000000, 0, 0);
	s_close(s, s_openat2(s, -1, "g", O_CREAT | O_WRONLY, 0640, 0));
	s_stat(s, "g", 0);
}

TWIN(openat2, no_xdev_same_mount)
{
	s_mkdir(s, "d", 0755);
	s_close(s, s_open(s, "d/f", O_CREAT | O_WRONLY, 0644));
	s_close(s, s_openat2(s, -1, "d/f", O_RDONLY, 0, RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS));
	s_close(s, s_openat2(s, -1, "/d/../d/f", O_RDONLY, 0, RESOLVE_NO_XDEV));
}
