/* mkdir, mknod, unlink, rmdir, rename, link, stat, chmod, chown, utimens,
 * truncate, access, getdents and timestamps: kernel versus VFS. */
#define _GNU_SOURCE
#include "twin.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void touch(struct side *s, const char *path)
{
	s_close(s, s_open(s, path, O_CREAT | O_WRONLY, 0644));
}

TWIN(mkdir, exists) { s_mkdir(s, "d", 0755); s_mkdir(s, "d", 0755); touch(s, "f"); s_mkdir(s, "f", 0755); s_mkdir(s, "f/", 0755); }
TWIN(mkdir, dots) { s_mkdir(s, ".", 0755); s_mkdir(s, "..", 0755); s_mkdir(s, "/", 0755); s_mkdir(s, "a/..", 0755); }
TWIN(mkdir, parent_nlink) { s_mkdir(s, "d", 0755); s_mkdir(s, "d/a", 0755); s_mkdir(s, "d/b", 0755); touch(s, "d/f"); s_stat(s, "d", 0); s_rmdir(s, "d/a"); s_stat(s, "d", 0); }
TWIN(mkdir, over_symlink) { s_symlink(s, "target", "l"); s_mkdir(s, "l", 0755); s_mkdir(s, "l/", 0755); s_stat(s, "target", 0); }
TWIN(mkdir, dir_sizes) { s_mkdir(s, "d", 0755); s_stat(s, "d", 0); touch(s, "d/a"); touch(s, "d/b"); s_stat(s, "d", 0); s_unlink(s, "d/a"); s_stat(s, "d", 0); }

TWIN(mknod, regular_and_fifo)
{
	s_mknod(s, "r", S_IFREG | 0640);
	s_mknod(s, "z", 0640);
	s_mknod(s, "p", S_IFIFO | 0600);
	s_stat(s, "r", 0);
	s_stat(s, "z", 0);
	s_stat(s, "p", 0);
	s_mknod(s, "p", S_IFIFO | 0600);
}

TWIN(mknod, bad_types) { s_mknod(s, "d", S_IFDIR | 0755); s_mknod(s, "x", 0170000 | 0644); s_mknod(s, "y", 0110000); }
TWIN(mknod, trailing_slash) { s_mknod(s, "x/", S_IFREG | 0644); s_stat(s, "x", 0); s_mknod(s, "p/", S_IFIFO | 0644); }

TWIN(unlink, file) { touch(s, "f"); s_unlink(s, "f"); s_stat(s, "f", 0); s_unlink(s, "f"); }
TWIN(unlink, directory) { s_mkdir(s, "d", 0755); s_unlink(s, "d"); s_unlink(s, "d/"); s_unlink(s, "."); s_unlink(s, ".."); s_unlink(s, "/"); }
TWIN(unlink, trailing_slash_file) { touch(s, "f"); s_unlink(s, "f/"); s_unlink(s, "none/"); s_stat(s, "f", 0); }
TWIN(unlink, symlink_not_target) { touch(s, "f"); s_symlink(s, "f", "l"); s_unlink(s, "l"); s_stat(s, "f", 0); s_stat(s, "l", AT_SYMLINK_NOFOLLOW); }
TWIN(unlink, open_file_survives)
{
	int h = s_open(s, "f", O_CREAT | O_RDWR, 0644);
	s_write(s, h, "data");
	s_unlink(s, "f");
	s_fstat(s, h);
	s_lseek(s, h, 0, SEEK_SET);
	s_read(s, h, 10);
	s_close(s, h);
}

TWIN(unlink, hard_link_count) { touch(s, "f"); s_link(s, "f", "g", 0); s_stat(s, "f", 0); s_unlink(s, "f"); s_stat(s, "g", 0); }

TWIN(rmdir, cases)
{
	s_mkdir(s, "d", 0755);
	touch(s, "d/f");
	s_rmdir(s, "d");
	s_rmdir(s, "d/f");
	s_rmdir(s, "d/.");
	s_rmdir(s, "d/..");
	s_rmdir(s, ".");
	s_rmdir(s, "..");
	s_rmdir(s, "/");
	s_rmdir(s, "none");
	s_unlink(s, "d/f");
	s_rmdir(s, "d/");
	s_stat(s, "d", 0);
}

TWIN(rmdir, symlink_to_dir) { s_mkdir(s, "d", 0755); s_symlink(s, "d", "l"); s_rmdir(s, "l"); s_rmdir(s, "l/"); s_stat(s, "d", 0); }
TWIN(rmdir, removed_dir_listing)
{
	s_mkdir(s, "d", 0755);
	int h = s_open(s, "d", O_RDONLY | O_DIRECTORY, 0);
	s_rmdir(s, "d");
	s_getdents(s, h);
	s_fstat(s, h);
	s_openat(s, h, "x", O_CREAT | O_WRONLY, 0644);
	s_close(s, h);
}

TWIN(rename, file_to_new) { touch(s, "a"); s_rename(s, "a", "b", 0); s_stat(s, "a", 0); s_stat(s, "b", 0); }
TWIN(rename, over_file)
{
	int h = s_open(s, "a", O_CREAT | O_WRONLY, 0600);
	s_write(s, h, "aaa");
	s_close(s, h);
	touch(s, "b");
	s_rename(s, "a", "b", 0);
	s_stat(s, "b", 0);
	s_stat(s, "a", 0);
}
TWIN(rename, dir_to_new) { s_mkdir(s, "d", 0755); touch(s, "d/f"); s_rename(s, "d", "e", 0); s_stat(s, "e/f", 0); s_stat(s, "d", 0); }
TWIN(rename, dir_over_empty_dir) { s_mkdir(s, "d", 0755); s_mkdir(s, "e", 0755); s_rename(s, "d", "e", 0); s_stat(s, "e", 0); s_stat(s, ".", 0); }
TWIN(rename, dir_over_nonempty) { s_mkdir(s, "d", 0755); s_mkdir(s, "e", 0755); touch(s, "e/f"); s_rename(s, "d", "e", 0); }
TWIN(rename, file_over_dir) { touch(s, "f"); s_mkdir(s, "d", 0755); s_rename(s, "f", "d", 0); s_rename(s, "d", "f", 0); }
TWIN(rename, into_own_subtree) { s_mkdir(s, "a", 0755); s_mkdir(s, "a/b", 0755); s_rename(s, "a", "a/b/c", 0); s_rename(s, "a", "a/c", 0); s_rename(s, "a/b", "a/b/c", 0); }
TWIN(rename, over_ancestor) { s_mkdir(s, "a", 0755); s_mkdir(s, "a/b", 0755); s_mkdir(s, "a/b/c", 0755); s_rename(s, "a/b/c", "a", 0); s_rename(s, "a/b/c", "a/b", 0); }
TWIN(rename, same_file) { touch(s, "f"); s_rename(s, "f", "f", 0); s_link(s, "f", "g", 0); s_rename(s, "f", "g", 0); s_stat(s, "f", 0); s_stat(s, "g", 0); }
TWIN(rename, noreplace) { touch(s, "a"); touch(s, "b"); s_rename(s, "a", "b", RENAME_NOREPLACE); s_rename(s, "a", "c", RENAME_NOREPLACE); s_stat(s, "c", 0); }
TWIN(rename, exchange_files)
{
	int h = s_open(s, "a", O_CREAT | O_WRONLY, 0600);
	s_write(s, h, "aaaa");
	s_close(s, h);
	touch(s, "b");
	s_rename(s, "a", "b", RENAME_EXCHANGE);
	s_stat(s, "a", 0);
	s_stat(s, "b", 0);
}
TWIN(rename, exchange_dir_and_file)
{
	s_mkdir(s, "d", 0755);
	s_mkdir(s, "p", 0755);
	touch(s, "p/f");
	s_rename(s, "d", "p/f", RENAME_EXCHANGE);
	s_stat(s, "d", 0);
	s_stat(s, "p/f", 0);
	s_stat(s, "p", 0);
	s_stat(s, ".", 0);
}
TWIN(rename, exchange_missing) { touch(s, "a"); s_rename(s, "a", "b", RENAME_EXCHANGE); s_rename(s, "b", "a", RENAME_EXCHANGE); }
TWIN(rename, bad_flags) { touch(s, "a"); s_rename(s, "a", "b", RENAME_EXCHANGE | RENAME_NOREPLACE); s_rename(s, "a", "b", 0x80); }
TWIN(rename, dots) { s_mkdir(s, "d", 0755); s_rename(s, ".", "x", 0); s_rename(s, "d", ".", 0); s_rename(s, "d", "..", RENAME_NOREPLACE); s_rename(s, "d/..", "x", 0); }
TWIN(rename, trailing_slashes)
{
	touch(s, "f");
	s_mkdir(s, "d", 0755);
	s_rename(s, "f/", "g", 0);
	s_rename(s, "f", "g/", 0);
	s_rename(s, "d/", "e/", 0);
	s_stat(s, "e", 0);
	s_rename(s, "e", "f/", RENAME_EXCHANGE);
}
TWIN(rename, missing_source) { s_rename(s, "none", "x", 0); s_rename(s, "none/a", "x", 0); s_mkdir(s, "d", 0755); s_rename(s, "d", "none/x", 0); }
TWIN(rename, dir_moves_nlink)
{
	s_mkdir(s, "a", 0755);
	s_mkdir(s, "b", 0755);
	s_mkdir(s, "a/sub", 0755);
	s_rename(s, "a/sub", "b/sub", 0);
	s_stat(s, "a", 0);
	s_stat(s, "b", 0);
	s_stat(s, "b/sub/..", 0);
}
TWIN(rename, over_symlink) { touch(s, "f"); s_symlink(s, "f", "l"); touch(s, "g"); s_rename(s, "g", "l", 0); s_stat(s, "l", AT_SYMLINK_NOFOLLOW); s_stat(s, "f", 0); }
TWIN(rename, cwd_follows)
{
	s_mkdir(s, "a", 0755);
	s_chdir(s, "a");
	s_rename(s, "/a", "/b", 0);
	s_getcwd(s);
	touch(s, "x");
	s_stat(s, "/b/x", 0);
}

TWIN(link, basic) { touch(s, "f"); s_link(s, "f", "g", 0); s_stat(s, "g", 0); s_stat(s, "f", 0); }
TWIN(link, directory_eperm) { s_mkdir(s, "d", 0755); s_link(s, "d", "e", 0); }
TWIN(link, existing_eexist) { touch(s, "f"); touch(s, "g"); s_link(s, "f", "g", 0); s_mkdir(s, "d", 0755); s_link(s, "f", "d", 0); }
TWIN(link, missing) { s_link(s, "none", "g", 0); touch(s, "f"); s_link(s, "f", "none/g", 0); s_link(s, "f", "x/", 0); }
TWIN(link, symlink_follow)
{
	touch(s, "f");
	s_symlink(s, "f", "l");
	s_link(s, "l", "hl", 0);
	s_stat(s, "hl", AT_SYMLINK_NOFOLLOW);
	s_link(s, "l", "hf", AT_SYMLINK_FOLLOW);
	s_stat(s, "hf", AT_SYMLINK_NOFOLLOW);
	s_symlink(s, "none", "dl");
	s_link(s, "dl", "x", AT_SYMLINK_FOLLOW);
	s_link(s, "f", "y", 0x1);
}
TWIN(link, dots) { touch(s, "f"); s_link(s, "f", ".", 0); s_link(s, ".", "x", 0); }

TWIN(symlink, exists) { touch(s, "f"); s_symlink(s, "x", "f"); s_symlink(s, "x", "none/l"); s_symlink(s, "x", "."); s_symlink(s, "x", "l/"); }

TWIN(stat, file_fields)
{
	int h = s_open(s, "f", O_CREAT | O_WRONLY, 0640);
	s_write(s, h, "0123456789");
	s_fstat(s, h);
	s_close(s, h);
	s_stat(s, "f", 0);
	s_truncate(s, "f", 100000);
	s_stat(s, "f", 0);
}
TWIN(stat, bad_flags) { s_stat(s, ".", 0x4); s_stat(s, ".", AT_REMOVEDIR); }

TWIN(chmod, basic) { touch(s, "f"); s_chmod(s, "f", 0600, 0); s_stat(s, "f", 0); s_chmod(s, "f", 07777, 0); s_stat(s, "f", 0); }
TWIN(chmod, dir) { s_mkdir(s, "d", 0755); s_chmod(s, "d", 01700, 0); s_stat(s, "d", 0); }
TWIN(chmod, symlink_nofollow) { touch(s, "f"); s_symlink(s, "f", "l"); s_chmod(s, "l", 0600, AT_SYMLINK_NOFOLLOW); s_chmod(s, "l", 0600, 0); s_stat(s, "f", 0); }
TWIN(chmod, missing_and_flags) { s_chmod(s, "none", 0600, 0); touch(s, "f"); s_chmod(s, "f", 0600, AT_REMOVEDIR); }

TWIN(chown, root) { touch(s, "f"); s_chown(s, "f", 1000, 1000, 0); s_stat(s, "f", 0); s_chown(s, "f", -1, 5, 0); s_stat(s, "f", 0); }
TWIN(chown, clears_setid)
{
	touch(s, "f");
	s_chmod(s, "f", 06755, 0);
	s_chown(s, "f", 1, -1, 0);
	s_stat(s, "f", 0);
	s_chmod(s, "f", 06745, 0);
	s_chown(s, "f", -1, -1, 0);
	s_stat(s, "f", 0);
	s_mkdir(s, "d", 0755);
	s_chmod(s, "d", 06755, 0);
	s_chown(s, "d", 3, 3, 0);
	s_stat(s, "d", 0);
}
TWIN(chown, symlink_nofollow)
{
	touch(s, "f");
	s_symlink(s, "f", "l");
	s_chown(s, "l", 7, 7, AT_SYMLINK_NOFOLLOW);
	s_stat(s, "l", AT_SYMLINK_NOFOLLOW);
	s_stat(s, "f", 0);
	s_chown(s, "none", 1, 1, 0);
}

TWIN(utimens, explicit_times)
{
	touch(s, "f");
	struct timespec t[2] = {{12345, 678}, {23456, 789}};
	s_utimens(s, "f", t, 0);
	struct timespec bad[2] = {{1, 1000000000}, {0, 0}};
	s_utimens(s, "f", bad, 0);
	struct timespec neg[2] = {{1, -5}, {0, 0}};
	s_utimens(s, "f", neg, 0);
}
TWIN(utimens, omit_and_now)
{
	touch(s, "f");
	s_age(s, "f");
	s_mark(s, "f");
	struct timespec t[2] = {{0, UTIME_OMIT}, {0, UTIME_NOW}};
	s_utimens(s, "f", t, 0);
	s_times(s, "f");
	s_mark(s, "f");
	struct timespec t2[2] = {{0, UTIME_NOW}, {0, UTIME_OMIT}};
	s_utimens(s, "f", t2, 0);
	s_times(s, "f");
	s_mark(s, "f");
	s_utimens(s, "f", NULL, 0);
	s_times(s, "f");
}
TWIN(utimens, both_omit_no_lookup)
{
	struct timespec t[2] = {{0, UTIME_OMIT}, {0, UTIME_OMIT}};
	s_utimens(s, "none", t, 0);
	s_utimens(s, "none", NULL, 0);
	s_utimens(s, "none", t, 0x1);
}
TWIN(utimens, symlink_nofollow)
{
	touch(s, "f");
	s_symlink(s, "f", "l");
	struct timespec t[2] = {{100, 0}, {200, 0}};
	s_utimens(s, "l", t, AT_SYMLINK_NOFOLLOW);
	s_utimens(s, "l", t, 0);
}

TWIN(truncate, sizes)
{
	touch(s, "f");
	s_truncate(s, "f", 5000);
	s_stat(s, "f", 0);
	s_truncate(s, "f", 10);
	s_stat(s, "f", 0);
	s_truncate(s, "f", -1);
	s_truncate(s, "none", 1);
	s_mkdir(s, "d", 0755);
	s_truncate(s, "d", 0);
	s_mknod(s, "p", S_IFIFO | 0644);
	s_truncate(s, "p", 0);
	s_symlink(s, "f", "l");
	s_truncate(s, "l", 3);
	s_stat(s, "f", 0);
}
TWIN(truncate, ftruncate_modes)
{
	touch(s, "f");
	int h = s_open(s, "f", O_RDONLY, 0);
	s_ftruncate(s, h, 10);
	s_close(s, h);
	h = s_open(s, "f", O_WRONLY, 0);
	s_ftruncate(s, h, 10);
	s_ftruncate(s, h, -1);
	s_fstat(s, h);
	s_close(s, h);
	s_mkdir(s, "d", 0755);
	h = s_open(s, "d", O_RDONLY, 0);
	s_ftruncate(s, h, 0);
	s_close(s, h);
}
TWIN(truncate, content_kept)
{
	int h = s_open(s, "f", O_CREAT | O_RDWR, 0644);
	s_write(s, h, "abcdefgh");
	s_ftruncate(s, h, 4);
	s_lseek(s, h, 0, SEEK_SET);
	s_read(s, h, 100);
	s_ftruncate(s, h, 6);
	s_lseek(s, h, 0, SEEK_SET);
	s_read(s, h, 100);
	s_close(s, h);
}

TWIN(access, root)
{
	touch(s, "f");
	s_chmod(s, "f", 0000, 0);
	s_access(s, "f", R_OK | W_OK, 0);
	s_access(s, "f", X_OK, 0);
	s_chmod(s, "f", 0001, 0);
	s_access(s, "f", X_OK, 0);
	s_mkdir(s, "d", 0000);
	s_access(s, "d", X_OK | R_OK, 0);
	s_access(s, "none", F_OK, 0);
	s_access(s, "f", 8, 0);
	s_access(s, "f", F_OK, 0x4);
}

/* timestamps: which of atime/mtime/ctime an operation changes */
TWIN(times, create_updates_parent)
{
	s_mkdir(s, "d", 0755);
	s_age(s, "d");
	s_mark(s, "d");
	touch(s, "d/f");
	s_times(s, "d");
}
TWIN(times, unlink_updates_parent_and_inode)
{
	s_mkdir(s, "d", 0755);
	touch(s, "d/f");
	s_link(s, "d/f", "g", 0);
	s_age(s, "d");
	s_age(s, "g");
	s_mark(s, "d");
	s_unlink(s, "d/f");
	s_times(s, "d");
	s_mark(s, "g");
	s_times(s, "g");
}
TWIN(times, rename_updates)
{
	s_mkdir(s, "a", 0755);
	s_mkdir(s, "b", 0755);
	touch(s, "a/f");
	s_age(s, "a");
	s_age(s, "b");
	s_age(s, "a/f");
	s_mark(s, "a");
	s_rename(s, "a/f", "b/f", 0);
	s_times(s, "a");
	s_mark(s, "b");
	s_times(s, "b");
}
TWIN(times, chmod_chown_ctime_only)
{
	touch(s, "f");
	s_age(s, "f");
	s_mark(s, "f");
	s_chmod(s, "f", 0600, 0);
	s_times(s, "f");
	s_mark(s, "f");
	s_chown(s, "f", 5, 5, 0);
	s_times(s, "f");
}
TWIN(times, link_ctime)
{
	touch(s, "f");
	s_age(s, "f");
	s_mark(s, "f");
	s_link(s, "f", "g", 0);
	s_times(s, "f");
}
TWIN(times, truncate_same_size)
{
	touch(s, "f");
	s_truncate(s, "f", 10);
	s_age(s, "f");
	s_mark(s, "f");
	s_truncate(s, "f", 10);
	s_times(s, "f");
	s_truncate(s, "f", 20);
	s_times(s, "f");
}
TWIN(times, open_trunc)
{
	touch(s, "f");
	s_age(s, "f");
	s_mark(s, "f");
	s_close(s, s_open(s, "f", O_WRONLY | O_TRUNC, 0));
	s_times(s, "f");
}
TWIN(times, write_changes_mtime)
{
	touch(s, "f");
	s_age(s, "f");
	s_mark(s, "f");
	int h = s_open(s, "f", O_WRONLY, 0);
	s_write(s, h, "x");
	s_close(s, h);
	s_times(s, "f");
}
TWIN(times, mkdir_rmdir_parent)
{
	s_mkdir(s, "d", 0755);
	s_age(s, "d");
	s_mark(s, "d");
	s_mkdir(s, "d/e", 0755);
	s_times(s, "d");
	s_age(s, "d");
	s_mark(s, "d");
	s_rmdir(s, "d/e");
	s_times(s, "d");
}
TWIN(times, symlink_parent)
{
	s_mkdir(s, "d", 0755);
	s_age(s, "d");
	s_mark(s, "d");
	s_symlink(s, "x", "d/l");
	s_times(s, "d");
}

TWIN(getdents, listing)
{
	s_mkdir(s, "d", 0755);
	touch(s, "d/a");
	s_mkdir(s, "d/b", 0755);
	s_symlink(s, "x", "d/c");
	s_mknod(s, "d/p", S_IFIFO | 0644);
	int h = s_open(s, "d", O_RDONLY | O_DIRECTORY, 0);
	s_getdents(s, h);
	s_close(s, h);
}
TWIN(getdents, empty_dir) { s_mkdir(s, "d", 0755); int h = s_open(s, "d", O_RDONLY, 0); s_getdents(s, h); s_getdents(s, h); s_close(s, h); }
TWIN(getdents, not_a_dir) { touch(s, "f"); int h = s_open(s, "f", O_RDONLY, 0); s_getdents(s, h); s_close(s, h); h = s_open(s, ".", O_PATH, 0); s_getdents(s, h); s_close(s, h); }
TWIN(getdents, many_entries)
{
	char name[32];
	s_mkdir(s, "d", 0755);
	for (int i = 0; i < 60; i++) {
		snprintf(name, sizeof(name), "d/entry-%03d", i);
		touch(s, name);
	}
	int h = s_open(s, "d", O_RDONLY, 0);
	s_getdents(s, h);
	s_lseek(s, h, 0, SEEK_SET);
	s_getdents(s, h);
	s_close(s, h);
}
TWIN(getdents, after_unlinks)
{
	char name[32];
	s_mkdir(s, "d", 0755);
	for (int i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "d/e%02d", i);
		touch(s, name);
	}
	for (int i = 0; i < 20; i += 3) {
		snprintf(name, sizeof(name), "d/e%02d", i);
		s_unlink(s, name);
	}
	int h = s_open(s, "d", O_RDONLY, 0);
	s_getdents(s, h);
	s_close(s, h);
}
