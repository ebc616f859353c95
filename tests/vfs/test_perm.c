/* Permission checks for an unprivileged caller: the kernel twin runs after
 * setresuid/setresgid in its child, the VFS with the same credentials. */
#define _GNU_SOURCE
#include "twin.h"

#include <fcntl.h>
#include <unistd.h>

static const gid_t extra[] = {2000};

static void touch(struct side *s, const char *path, mode_t mode)
{
	s_close(s, s_open(s, path, O_CREAT | O_WRONLY, 0644));
	s_chmod(s, path, mode, 0);
}

static void user(struct side *s)
{
	s_drop(s, 1000, 1000, 1, extra);
}

TWIN(perm, read_write_bits)
{
	touch(s, "r", 0444);
	touch(s, "w", 0222);
	touch(s, "n", 0000);
	user(s);
	s_close(s, s_open(s, "r", O_RDONLY, 0));
	s_open(s, "r", O_WRONLY, 0);
	s_open(s, "w", O_RDONLY, 0);
	s_close(s, s_open(s, "w", O_WRONLY, 0));
	s_open(s, "n", O_RDONLY, 0);
	s_open(s, "r", O_RDONLY | O_TRUNC, 0);
}

TWIN(perm, owner_group_other)
{
	touch(s, "own", 0400);
	s_chown(s, "own", 1000, 0, 0);
	touch(s, "grp", 0040);
	s_chown(s, "grp", 0, 1000, 0);
	touch(s, "sup", 0040);
	s_chown(s, "sup", 0, 2000, 0);
	touch(s, "oth", 0004);
	touch(s, "ownonly", 0070);
	s_chown(s, "ownonly", 1000, 1000, 0);
	user(s);
	s_access(s, "own", R_OK, 0);
	s_access(s, "grp", R_OK, 0);
	s_access(s, "sup", R_OK, 0);
	s_access(s, "oth", R_OK, 0);
	s_access(s, "ownonly", R_OK, 0);
	s_access(s, "oth", W_OK, 0);
	s_access(s, "oth", X_OK, 0);
}

TWIN(perm, search_permission)
{
	s_mkdir(s, "d", 0700);
	touch(s, "d/f", 0644);
	s_mkdir(s, "x", 0711);
	touch(s, "x/f", 0644);
	s_mkdir(s, "r", 0744);
	touch(s, "r/f", 0644);
	user(s);
	s_stat(s, "d/f", 0);
	s_stat(s, "d", 0);
	s_stat(s, "x/f", 0);
	s_stat(s, "r/f", 0);
	s_open(s, "x", O_RDONLY, 0);
	s_chdir(s, "d");
	s_chdir(s, "x");
	s_getcwd(s);
	s_stat(s, "..", 0);
}

TWIN(perm, create_needs_write)
{
	s_mkdir(s, "ro", 0555);
	s_mkdir(s, "rw", 0777);
	touch(s, "ro/exists", 0666);
	user(s);
	s_open(s, "ro/f", O_CREAT | O_WRONLY, 0644);
	s_mkdir(s, "ro/d", 0755);
	s_mkdir(s, "ro/exists", 0755);
	s_close(s, s_open(s, "ro/exists", O_CREAT | O_WRONLY, 0644));
	s_symlink(s, "x", "ro/l");
	s_mknod(s, "ro/p", S_IFIFO | 0644);
	s_close(s, s_open(s, "rw/f", O_CREAT | O_WRONLY, 0644));
	s_stat(s, "rw/f", 0);
	s_open(s, "ro", O_TMPFILE | O_RDWR, 0600);
}

TWIN(perm, unlink_needs_write)
{
	s_mkdir(s, "ro", 0555);
	touch(s, "ro/f", 0666);
	user(s);
	s_unlink(s, "ro/f");
	s_unlink(s, "ro/none");
	s_rename(s, "ro/f", "ro/g", 0);
}

TWIN(perm, sticky_directory)
{
	s_mkdir(s, "t", 01777);
	touch(s, "t/root", 0666);
	touch(s, "t/mine", 0666);
	s_chown(s, "t/mine", 1000, 1000, 0);
	s_mkdir(s, "u", 01777);
	s_chown(s, "u", 1000, 1000, 0);
	touch(s, "u/root", 0666);
	user(s);
	s_unlink(s, "t/root");
	s_rename(s, "t/root", "t/x", 0);
	s_unlink(s, "t/mine");
	s_unlink(s, "u/root");
	s_close(s, s_open(s, "t/new", O_CREAT | O_WRONLY, 0644));
	s_rename(s, "t/new", "t/root", 0);
}

TWIN(perm, chmod_not_owner)
{
	touch(s, "f", 0666);
	touch(s, "g", 0644);
	s_chown(s, "g", 1000, 0, 0);
	user(s);
	s_chmod(s, "f", 0600, 0);
	s_chmod(s, "g", 02755, 0);
	s_stat(s, "g", 0);
}

TWIN(perm, chmod_setgid_group)
{
	touch(s, "g", 0644);
	s_chown(s, "g", 1000, 2000, 0);
	user(s);
	s_chmod(s, "g", 02755, 0);
	s_stat(s, "g", 0);
}

TWIN(perm, chown_unprivileged)
{
	touch(s, "f", 0644);
	s_chown(s, "f", 1000, 1000, 0);
	touch(s, "r", 0644);
	user(s);
	s_chown(s, "f", 1001, -1, 0);
	s_chown(s, "f", 1000, -1, 0);
	s_chown(s, "f", -1, 2000, 0);
	s_stat(s, "f", 0);
	s_chown(s, "f", -1, 3000, 0);
	s_chown(s, "r", -1, -1, 0);
	s_chown(s, "r", 0, -1, 0);
	s_chown(s, "r", -1, 1000, 0);
}

TWIN(perm, utimens_unprivileged)
{
	touch(s, "mine", 0644);
	s_chown(s, "mine", 1000, 1000, 0);
	touch(s, "writable", 0666);
	touch(s, "readonly", 0644);
	user(s);
	struct timespec t[2] = {{10, 0}, {20, 0}};
	s_utimens(s, "mine", t, 0);
	s_utimens(s, "writable", t, 0);
	s_utimens(s, "writable", NULL, 0);
	s_utimens(s, "readonly", NULL, 0);
	struct timespec now_omit[2] = {{0, UTIME_NOW}, {0, UTIME_OMIT}};
	s_utimens(s, "writable", now_omit, 0);
	struct timespec nows[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}};
	s_utimens(s, "writable", nows, 0);
}

TWIN(perm, exec_bits)
{
	touch(s, "x", 0755);
	touch(s, "nx", 0644);
	touch(s, "gx", 0610);
	user(s);
	s_access(s, "x", X_OK, 0);
	s_access(s, "nx", X_OK, 0);
	s_access(s, "gx", X_OK, 0);
}

TWIN(perm, hardlink_protection)
{
	touch(s, "rw", 0666);
	touch(s, "ro", 0644);
	touch(s, "suid", 04777);
	s_mkdir(s, "d", 0777);
	user(s);
	s_link(s, "rw", "d/a", 0);
	s_link(s, "ro", "d/b", 0);
	s_link(s, "suid", "d/c", 0);
}

TWIN(perm, rename_dir_needs_write_on_it)
{
	s_mkdir(s, "a", 0777);
	s_mkdir(s, "b", 0777);
	s_mkdir(s, "a/sub", 0755);
	s_chown(s, "a/sub", 1000, 1000, 0);
	s_mkdir(s, "a/rsub", 0555);
	s_chown(s, "a/rsub", 1000, 1000, 0);
	user(s);
	s_rename(s, "a/sub", "b/sub", 0);
	s_rename(s, "a/rsub", "b/rsub", 0);
	s_rename(s, "a/rsub", "a/rsub2", 0);
}

TWIN(perm, setgid_directory_inherit)
{
	s_mkdir(s, "g", 0777);
	s_chown(s, "g", 0, 3000, 0);
	s_chmod(s, "g", 02777, 0);
	user(s);
	s_mkdir(s, "g/sub", 0755);
	s_close(s, s_open(s, "g/f", O_CREAT | O_WRONLY, 02755));
	s_stat(s, "g/sub", 0);
	s_stat(s, "g/f", 0);
}

TWIN(perm, noatime_not_owner)
{
	touch(s, "f", 0644);
	user(s);
	s_open(s, "f", O_RDONLY | O_NOATIME, 0);
}

TWIN(perm, linkat_empty_path_unprivileged)
{
	s_mkdir(s, "d", 0777);
	user(s);
	int h = s_open(s, "d", O_TMPFILE | O_RDWR, 0600);
	if (h < 0)
		return; /* both sides refused alike: compared already */
	s_linkat_empty(s, h, "d/x");
	s_close(s, h);
}

TWIN(perm, truncate_and_access_write)
{
	touch(s, "ro", 0644);
	user(s);
	s_truncate(s, "ro", 0);
	s_access(s, "ro", W_OK, 0);
	s_access(s, "ro", R_OK, 0);
}

TWIN(perm, removed_cwd_permissions)
{
	s_mkdir(s, "p", 0755);
	s_mkdir(s, "p/c", 0777);
	user(s);
	s_rmdir(s, "p/c");
	s_chdir(s, "p/c");
	s_open(s, "p/c/f", O_CREAT | O_WRONLY, 0644);
}
