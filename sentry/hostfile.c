#define _GNU_SOURCE
#include "hostfile.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

/* The folder a walk starts from: "/" for an absolute path, else the cwd. */
static int start_of(const char *path)
{
	int fd = open(path[0] == '/' ? "/" : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* One name at a time, for kernels without openat2: every folder opened
 * O_NOFOLLOW (a symlink there is ENOTDIR with O_DIRECTORY: told as ELOOP),
 * the last name by `last`. */
static int walk(const char *path, bool make, int (*last)(int dir, const char *name, void *arg), void *arg)
{
	char *copy = strdup(path);
	if (!copy)
		return -ENOMEM;
	int dir = start_of(path);
	char *save = NULL, *name = strtok_r(copy, "/", &save);
	while (dir >= 0 && name) {
		char *next_name = strtok_r(NULL, "/", &save);
		if (!next_name && last) {
			int r = last(dir, name, arg);
			close(dir);
			free(copy);
			return r;
		}
		int next = openat(dir, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0 && errno == ENOENT && make && (mkdirat(dir, name, 0777) == 0 || errno == EEXIST))
			next = openat(dir, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		int err = errno;
		struct stat st;
		if (next < 0 && err == ENOTDIR && fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
			err = ELOOP;
		close(dir);
		dir = next < 0 ? -err : next;
		name = next_name;
	}
	free(copy);
	return dir;
}

struct open_args {
	int flags;
	mode_t mode;
};

static int open_last(int dir, const char *name, void *arg)
{
	struct open_args *a = arg;
	int fd = openat(dir, name, a->flags | O_NOFOLLOW, a->mode);
	return fd < 0 ? -errno : fd;
}

int hostfile_open(const char *path, int flags, mode_t mode)
{
	struct open_how how = {
		.flags = (unsigned)(flags | O_NOFOLLOW | O_CLOEXEC),
		.mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0,
		.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	long fd = syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
	if (fd >= 0)
		return (int)fd;
	if (errno != ENOSYS && errno != E2BIG)
		return -errno;
	if (!*path)
		return -ENOENT;
	struct open_args a = { flags | O_CLOEXEC, mode };
	return walk(path, false, open_last, &a);
}

int hostfile_dir(const char *path, bool make)
{
	if (!*path)
		return -ENOENT;
	return walk(path, make, NULL, NULL);
}

const char *hostfile_error(int err)
{
	return err == -ELOOP ? "a symlink in the path (sentry follows none there; give the path without it)"
			     : strerror(-err);
}

char *hostfile_absolute(const char *path)
{
	char cwd[PATH_MAX], *joined;
	if (path[0] == '/')
		joined = strdup(path);
	else if (!getcwd(cwd, sizeof(cwd)) || asprintf(&joined, "%s/%s", cwd, path) < 0)
		joined = NULL;
	if (!joined)
		return NULL;
	char *out = malloc(strlen(joined) + 2), *save = NULL;
	size_t len = 0;
	for (char *name = out ? strtok_r(joined, "/", &save) : NULL; name; name = strtok_r(NULL, "/", &save)) {
		if (strcmp(name, ".") == 0)
			continue;
		if (strcmp(name, "..") == 0) {
			while (len > 0 && out[--len] != '/')
				;
			continue;
		}
		out[len++] = '/';
		strcpy(out + len, name);
		len += strlen(name);
	}
	if (out) {
		if (len == 0)
			out[len++] = '/';
		out[len] = 0;
	}
	free(joined);
	return out;
}
