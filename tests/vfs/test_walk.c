/* Path walk: every case runs on the real kernel and on the VFS. */
#define _GNU_SOURCE
#include "twin.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

TWIN(walk, nested_dirs)
{
	s_mkdir(s, "a", 0755);
	s_mkdir(s, "a/b", 0755);
	s_mkdir(s, "a/b/c", 0700);
	s_stat(s, "a/b/c", 0);
	s_stat(s, "/a/b", 0);
	s_stat(s, "a", 0);
}

TWIN(walk, missing_intermediate) { s_stat(s, "nope/x", 0); s_mkdir(s, "nope/x", 0755); }

TWIN(walk, file_as_directory)
{
	s_close(s, s_open(s, "f", O_CREAT | O_WRONLY, 0644));
	s_stat(s, "f/x", 0);
	s_mkdir(s, "f/x", 0755);
	s_open(s, "f/x", O_CREAT | O_RDWR, 0644);
}

TWIN(walk, trailing_slash_on_file)
{
	s_close(s, s_open(s, "f", O_CREAT | O_WRONLY, 0644));
	s_stat(s, "f/", 0);
	s_stat(s, "f//", AT_SYMLINK_NOFOLLOW);
	s_open(s, "f/", O_RDONLY, 0);
}

TWIN(walk, trailing_slash_on_dir)
{
	s_mkdir(s, "d/", 0755);
	s_stat(s, "d/", 0);
	s_stat(s, "d///", 0);
	s_rmdir(s, "d/");
}

TWIN(walk, trailing_slash_follows_symlink)
{
	s_mkdir(s, "d", 0755);
	s_symlink(s, "d", "l");
	s_stat(s, "l/", AT_SYMLINK_NOFOLLOW);
	s_stat(s, "l", AT_SYMLINK_NOFOLLOW);
}

TWIN(walk, symlink_loop)
{
	s_symlink(s, "b", "a");
	s_symlink(s, "a", "b");
	s_stat(s, "a", 0);
	s_stat(s, "a", AT_SYMLINK_NOFOLLOW);
	s_stat(s, "a/x", 0);
	s_open(s, "a", O_RDONLY, 0);
}

TWIN(walk, self_loop) { s_symlink(s, "s", "s"); s_stat(s, "s", 0); s_open(s, "s", O_CREAT | O_WRONLY, 0644); }

static void chain(struct side *s, int n)
{
	char name[32], target[32];
	s_close(s, s_open(s, "l0", O_CREAT | O_WRONLY, 0644));
	for (int i = 1; i <= n; i++) {
		snprintf(name, sizeof(name), "l%d", i);
		snprintf(target, sizeof(target), "l%d", i - 1);
		s_symlink(s, target, name);
	}
	snprintf(name, sizeof(name), "l%d", n);
	s_stat(s, name, 0);
}

TWIN(walk, forty_links_resolve) { chain(s, 40); }
TWIN(walk, forty_one_links_eloop) { chain(s, 41); }

TWIN(walk, nested_link_depth)
{
	s_mkdir(s, "d", 0755);
	s_close(s, s_open(s, "d/f", O_CREAT | O_WRONLY, 0644));
	s_symlink(s, "d", "a1");
	s_symlink(s, "a1/f", "a2");
	s_symlink(s, "a2", "a3");
	s_symlink(s, "./a3", "a4");
	s_stat(s, "a4", 0);
	s_readlink(s, "a4");
}

TWIN(walk, dotdot_at_root)
{
	s_mkdir(s, "a", 0755);
	s_stat(s, "..", 0);
	s_stat(s, "../../a", 0);
	s_stat(s, "/../a/../..", 0);
}

TWIN(walk, dotdot_normal)
{
	s_mkdir(s, "a", 0755);
	s_mkdir(s, "a/b", 0755);
	s_close(s, s_open(s, "a/f", O_CREAT | O_WRONLY, 0644));
	s_stat(s, "a/b/../f", 0);
	s_stat(s, "a/b/../../a/b", 0);
	s_stat(s, "a/f/..", 0);
}

TWIN(walk, dot_components)
{
	s_mkdir(s, "a", 0755);
	s_stat(s, "./a/./.", 0);
	s_stat(s, ".", 0);
	s_mkdir(s, "...", 0755);
	s_stat(s, "...", 0);
}

TWIN(walk, empty_path)
{
	s_stat(s, "", 0);
	s_stat(s, "", AT_EMPTY_PATH);
	s_mkdir(s, "", 0755);
	s_unlink(s, "");
	s_open(s, "", O_RDONLY, 0);
	s_readlink(s, "");
}

static void long_name(struct side *s, int len)
{
	char name[512];
	memset(name, 'n', len);
	name[len] = 0;
	s_mkdir(s, name, 0755);
	s_stat(s, name, 0);
	s_close(s, s_open(s, name, O_CREAT | O_WRONLY, 0644));
}

TWIN(walk, name_max_ok) { long_name(s, 255); }
TWIN(walk, name_too_long) { long_name(s, 256); }

TWIN(walk, long_name_in_middle)
{
	char path[600];
	memset(path, 'x', 300);
	strcpy(path + 300, "/y");
	s_stat(s, path, 0);
}

static void long_path(struct side *s, int len)
{
	static char path[8192];
	memset(path, 0, sizeof(path));
	s_mkdir(s, "d", 0755);
	strcpy(path, "d");
	int n = 1;
	while (n + 2 < len) {
		strcat(path, "/.");
		n += 2;
	}
	while (n < len)
		path[n++] = '/';
	path[len] = 0;
	s_stat(s, path, 0);
}

TWIN(walk, path_max_minus_one) { long_path(s, 4095); }
TWIN(walk, path_max_too_long) { long_path(s, 4096); }

TWIN(walk, many_slashes)
{
	s_mkdir(s, "a", 0755);
	s_mkdir(s, "a//b", 0755);
	s_stat(s, "//a///b//", 0);
}

TWIN(walk, absolute_symlink)
{
	s_mkdir(s, "/a", 0755);
	s_close(s, s_open(s, "/a/f", O_CREAT | O_WRONLY, 0600));
	s_mkdir(s, "b", 0755);
	s_symlink(s, "/a/f", "b/l");
	s_stat(s, "b/l", 0);
	s_readlink(s, "b/l");
}

TWIN(walk, relative_symlink_dotdot)
{
	s_mkdir(s, "a", 0755);
	s_mkdir(s, "b", 0755);
	s_close(s, s_open(s, "a/f", O_CREAT | O_WRONLY, 0600));
	s_symlink(s, "../a/f", "b/l");
	s_stat(s, "b/l", 0);
	s_symlink(s, "../a", "b/ld");
	s_stat(s, "b/ld/f", 0);
}

TWIN(walk, dangling_symlink)
{
	s_symlink(s, "missing", "l");
	s_stat(s, "l", 0);
	s_stat(s, "l", AT_SYMLINK_NOFOLLOW);
	s_access(s, "l", F_OK, 0);
	s_access(s, "l", F_OK, AT_SYMLINK_NOFOLLOW);
}

TWIN(walk, symlink_to_file_with_slash)
{
	s_close(s, s_open(s, "f", O_CREAT | O_WRONLY, 0600));
	s_symlink(s, "f", "l");
	s_stat(s, "l/", 0);
	s_stat(s, "l/", AT_SYMLINK_NOFOLLOW);
}

TWIN(walk, chdir_relative)
{
	s_mkdir(s, "a", 0755);
	s_mkdir(s, "a/b", 0755);
	s_chdir(s, "a/b");
	s_getcwd(s);
	s_close(s, s_open(s, "f", O_CREAT | O_WRONLY, 0600));
	s_stat(s, "/a/b/f", 0);
	s_chdir(s, "..");
	s_getcwd(s);
	s_stat(s, "b/f", 0);
	s_chdir(s, "b/f");
	s_chdir(s, "nope");
}

TWIN(walk, cwd_removed)
{
	s_mkdir(s, "a", 0755);
	s_chdir(s, "a");
	s_rmdir(s, "/a");
	s_getcwd(s);
	s_close(s, s_open(s, "f", O_CREAT | O_WRONLY, 0600));
	s_mkdir(s, "d", 0755);
	s_stat(s, ".", 0);
	s_stat(s, "..", 0);
}

TWIN(walk, chroot_confines)
{
	s_mkdir(s, "jail", 0755);
	s_mkdir(s, "jail/in", 0755);
	s_mkdir(s, "outside", 0755);
	s_symlink(s, "/in", "jail/abs");
	s_chroot(s, "jail");
	s_chdir(s, "/");
	s_stat(s, "/in", 0);
	s_stat(s, "../../in", 0);
	s_stat(s, "/outside", 0);
	s_stat(s, "abs", 0);
	s_getcwd(s);
}

TWIN(walk, fchdir_handle)
{
	s_mkdir(s, "a", 0755);
	int h = s_open(s, "a", O_RDONLY | O_DIRECTORY, 0);
	s_fchdir(s, h);
	s_getcwd(s);
	s_close(s, h);
	s_close(s, s_open(s, "f", O_CREAT | O_WRONLY, 0644));
	h = s_open(s, "f", O_RDONLY, 0);
	s_fchdir(s, h);
	s_close(s, h);
}

TWIN(walk, dirfd_relative)
{
	s_mkdir(s, "a", 0755);
	s_close(s, s_open(s, "a/f", O_CREAT | O_WRONLY, 0644));
	int h = s_open(s, "a", O_RDONLY | O_DIRECTORY, 0);
	s_statat(s, h, "f", 0);
	s_statat(s, h, "..", 0);
	s_statat(s, h, "/a", 0);
	s_statat(s, h, "", AT_EMPTY_PATH);
	int f = s_openat(s, h, "f", O_RDONLY, 0);
	s_statat(s, f, "x", 0);
	s_statat(s, f, "", AT_EMPTY_PATH);
	s_statat(s, f, "/a", 0);
	s_close(s, f);
	s_close(s, h);
}

TWIN(walk, path_handle_dirfd)
{
	s_mkdir(s, "a", 0755);
	s_close(s, s_open(s, "a/f", O_CREAT | O_WRONLY, 0644));
	int h = s_open(s, "a", O_PATH, 0);
	s_statat(s, h, "f", 0);
	s_close(s, h);
}

TWIN(walk, symlink_in_middle_to_file)
{
	s_close(s, s_open(s, "f", O_CREAT | O_WRONLY, 0644));
	s_symlink(s, "f", "l");
	s_stat(s, "l/x", 0);
	s_mkdir(s, "l/x", 0755);
}

TWIN(walk, readlink_cases)
{
	s_close(s, s_open(s, "f", O_CREAT | O_WRONLY, 0644));
	s_symlink(s, "some/where", "l");
	s_readlink(s, "l");
	s_readlink(s, "f");
	s_readlink(s, "none");
	s_readlink(s, ".");
	s_readlink(s, "l/");
}

TWIN(walk, symlink_bad_targets)
{
	s_symlink(s, "", "l");
	static char big[5000];
	memset(big, 'a', 4096);
	s_symlink(s, big, "l2");
	memset(big, 'a', 4095);
	big[4095] = 0;
	s_symlink(s, big, "l3");
	s_stat(s, "l3", AT_SYMLINK_NOFOLLOW);
}

TWIN(walk, symlink_sizes)
{
	char t[200];
	memset(t, 'q', 199);
	t[199] = 0;
	s_symlink(s, t, "long");
	s_symlink(s, "short", "short");
	s_stat(s, "long", AT_SYMLINK_NOFOLLOW);
	s_stat(s, "short", AT_SYMLINK_NOFOLLOW);
	t[127] = 0;
	s_symlink(s, t, "x127");
	s_stat(s, "x127", AT_SYMLINK_NOFOLLOW);
	t[126] = 0;
	s_symlink(s, t, "x126");
	s_stat(s, "x126", AT_SYMLINK_NOFOLLOW);
}

TWIN(walk, symlink_to_dotdot_chain)
{
	s_mkdir(s, "a", 0755);
	s_mkdir(s, "a/b", 0755);
	s_symlink(s, "..", "a/b/up");
	s_stat(s, "a/b/up/b/up/b", 0);
	s_symlink(s, "/", "a/root");
	s_stat(s, "a/root/a/b", 0);
	s_stat(s, "a/root/..", 0);
}
