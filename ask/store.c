/* The approvals file lives in the person's own config folder, reached
 * through no symlink (hostfile.h), and is rewritten whole under a lock so
 * that two runs answering "always" at once lose nothing. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ask.h"
#include "hostfile.h"
#include "store.h"

#define FILE_NAME "approvals"
#define FILE_MAX (1 << 20)
#define HEADER "# sentry approvals: DESTINATION PROGRAM, one a line; see sentry approvals list\n"

static char *config_home(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char *path = NULL;
	/* the spec ignores a relative XDG_CONFIG_HOME */
	if (xdg && xdg[0] == '/')
		path = strdup(xdg);
	else if (home && home[0] == '/' && asprintf(&path, "%s/.config", home) < 0)
		path = NULL;
	return path;
}

char *approvals_path(void)
{
	char *home = config_home(), *path = NULL;
	if (home && asprintf(&path, "%s/sentry/" FILE_NAME, home) < 0)
		path = NULL;
	if (!home)
		fprintf(stderr, "sentry: no approvals file: neither XDG_CONFIG_HOME nor HOME is an absolute path\n");
	free(home);
	return path;
}

/* The folder is the person's alone: theirs, and writable by nobody else. */
static bool safe(int fd, bool folder, const char *path)
{
	struct stat st;
	const char *why = NULL;
	if (fstat(fd, &st) < 0)
		why = strerror(errno);
	else if (folder ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode))
		why = folder ? "not a folder" : "not a regular file";
	else if (st.st_uid != geteuid())
		why = "owned by another user";
	else if (st.st_mode & (S_IWGRP | S_IWOTH))
		why = "writable by others";
	if (why)
		fprintf(stderr, "sentry: the approvals %s %s is %s; not used\n", folder ? "folder" : "file", path, why);
	return !why;
}

/* $CONFIG/sentry, opened for reading (and locking); made 0700 when `make`.
 * -ENOENT when missing and not made; -1 after a line. */
static int open_folder(bool make, char **shown)
{
	char *home = config_home();
	*shown = NULL;
	if (!home) {
		fprintf(stderr, "sentry: no approvals file: neither XDG_CONFIG_HOME nor HOME is an absolute path\n");
		return -1;
	}
	if (asprintf(shown, "%s/sentry", home) < 0) {
		*shown = NULL;
		free(home);
		return -1;
	}
	int parent = hostfile_dir(home, make);
	free(home);
	if (parent == -ENOENT && !make)
		return -ENOENT;
	if (parent < 0) {
		fprintf(stderr, "sentry: the approvals folder %s: %s\n", *shown, hostfile_error(parent));
		return -1;
	}
	if (make && mkdirat(parent, "sentry", 0700) < 0 && errno != EEXIST) {
		fprintf(stderr, "sentry: cannot make the approvals folder %s: %s\n", *shown, strerror(errno));
		close(parent);
		return -1;
	}
	int fd = openat(parent, "sentry", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int err = errno;
	close(parent);
	if (fd < 0 && err == ENOENT && !make)
		return -ENOENT;
	if (fd < 0) {
		fprintf(stderr, "sentry: the approvals folder %s: %s\n", *shown,
			err == ENOTDIR || err == ELOOP ? hostfile_error(-ELOOP) : strerror(err));
		return -1;
	}
	if (!safe(fd, true, *shown)) {
		close(fd);
		return -1;
	}
	return fd;
}

static bool valid_dest(const char *d)
{
	const char *colon = strrchr(d, ':');
	return colon && colon > d && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1);
}

static int parse(char *text, struct approvals *out, const char *path)
{
	int line_no = 0;
	for (char *line = text, *next; line && *line; line = next) {
		line_no++;
		next = strchr(line, '\n');
		if (!next) {
			fprintf(stderr, "sentry: the approvals file %s is malformed (line %d has no end); not used\n", path,
				line_no);
			return -1;
		}
		*next++ = 0;
		if (!line[0] || line[0] == '#')
			continue;
		char *space = strchr(line, ' ');
		if (space)
			*space = 0;
		if (!space || !valid_dest(line) || space[1] != '/') {
			fprintf(stderr, "sentry: the approvals file %s is malformed at line %d; not used\n", path, line_no);
			return -1;
		}
		struct approval *more = realloc(out->items, (out->n + 1) * sizeof(*more));
		if (!more)
			return -1;
		out->items = more;
		out->items[out->n].dest = strdup(line);
		out->items[out->n].program = strdup(space + 1);
		out->n++;
	}
	return 0;
}

/* The file in the folder fd: 0 (missing: empty) or -1 after a line. */
static int load_from(int dir, const char *folder, struct approvals *out)
{
	memset(out, 0, sizeof(*out));
	char path[4096];
	snprintf(path, sizeof(path), "%s/" FILE_NAME, folder);
	int fd = openat(dir, FILE_NAME, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0) {
		fprintf(stderr, "sentry: the approvals file %s: %s; not used\n", path,
			errno == ELOOP ? "a symlink" : strerror(errno));
		return -1;
	}
	if (!safe(fd, false, path)) {
		close(fd);
		return -1;
	}
	char *text = malloc(FILE_MAX + 1);
	size_t len = 0;
	ssize_t n = 0;
	while (text && len < FILE_MAX && (n = read(fd, text + len, FILE_MAX - len)) > 0)
		len += (size_t)n;
	close(fd);
	if (!text || n < 0 || len == FILE_MAX) {
		fprintf(stderr, "sentry: the approvals file %s cannot be read (or is over 1 MiB); not used\n", path);
		free(text);
		return -1;
	}
	text[len] = 0;
	int r = memchr(text, 0, len) ? -1 : parse(text, out, path);
	if (r < 0 && memchr(text, 0, len))
		fprintf(stderr, "sentry: the approvals file %s is malformed (a NUL byte); not used\n", path);
	free(text);
	if (r < 0)
		store_free(out);
	return r;
}

int store_load(struct approvals *out)
{
	memset(out, 0, sizeof(*out));
	char *folder;
	int dir = open_folder(false, &folder);
	int r = dir == -ENOENT ? 0 : dir < 0 ? -1 : load_from(dir, folder, out);
	if (dir >= 0)
		close(dir);
	free(folder);
	return r;
}

bool store_has(const struct approvals *a, const char *program, const char *dest)
{
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->items[i].dest, dest) == 0 && strcmp(a->items[i].program, program) == 0)
			return true;
	return false;
}

void store_free(struct approvals *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->items[i].dest);
		free(a->items[i].program);
	}
	free(a->items);
	memset(a, 0, sizeof(*a));
}

static int write_all(int fd, const char *s)
{
	for (size_t len = strlen(s); len;) {
		ssize_t n = write(fd, s, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A new file beside the old, renamed over it: a reader sees one or the other. */
static int rewrite(int dir, const char *folder, const struct approvals *a)
{
	char temp[64];
	int fd = -1;
	for (unsigned serial = 0; fd < 0 && serial < 100; serial++) {
		snprintf(temp, sizeof(temp), "." FILE_NAME ".%d.%u", (int)getpid(), serial);
		fd = openat(dir, temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	int err = fd < 0 ? errno : 0;
	if (!err && write_all(fd, HEADER) < 0)
		err = errno;
	for (size_t i = 0; !err && i < a->n; i++) {
		char *line = NULL;
		if (asprintf(&line, "%s %s\n", a->items[i].dest, a->items[i].program) < 0) {
			line = NULL;
			err = ENOMEM;
		} else if (write_all(fd, line) < 0) {
			err = errno;
		}
		free(line);
	}
	if (!err && fsync(fd) < 0)
		err = errno;
	if (fd >= 0 && close(fd) < 0 && !err)
		err = errno;
	if (!err && renameat(dir, temp, dir, FILE_NAME) < 0)
		err = errno;
	if (err) {
		if (fd >= 0)
			unlinkat(dir, temp, 0);
		fprintf(stderr, "sentry: cannot write the approvals file %s/" FILE_NAME ": %s\n", folder, strerror(err));
		return -1;
	}
	return 0;
}

static int change(const char *program, const char *dest, bool add)
{
	char *folder;
	int dir = open_folder(add, &folder);
	if (dir == -ENOENT) {
		free(folder);
		return 0; /* nothing to remove */
	}
	if (dir < 0) {
		free(folder);
		return -1;
	}
	struct approvals a;
	int r = flock(dir, LOCK_EX) < 0 ? -1 : load_from(dir, folder, &a);
	int changed = 0;
	if (r == 0 && add && !store_has(&a, program, dest)) {
		struct approval *more = realloc(a.items, (a.n + 1) * sizeof(*more));
		if (more) {
			a.items = more;
			a.items[a.n].dest = strdup(dest);
			a.items[a.n].program = strdup(program);
			a.n++;
			changed = 1;
		} else {
			r = -1;
		}
	}
	for (size_t i = 0; r == 0 && !add && i < a.n;) {
		struct approval *e = &a.items[i];
		if ((!program || strcmp(e->program, program) == 0) && (!dest || strcmp(e->dest, dest) == 0)) {
			free(e->dest);
			free(e->program);
			a.items[i] = a.items[--a.n];
			changed++;
		} else {
			i++;
		}
	}
	if (r == 0 && changed)
		r = rewrite(dir, folder, &a);
	if (r == 0)
		store_free(&a);
	close(dir); /* and the lock with it */
	free(folder);
	return r < 0 ? -1 : changed;
}

int store_add(const char *program, const char *dest)
{
	bool control = false;
	for (const char *p = program; *p; p++)
		control |= (unsigned char)*p < 0x20 || *p == 0x7f;
	if (control || program[0] != '/' || strchr(dest, ' ') || strchr(dest, '\n')) {
		fprintf(stderr, "sentry: a program whose name holds control characters is not kept in the approvals file\n");
		return -1;
	}
	return change(program, dest, true);
}

int store_remove(const char *program, const char *dest) { return change(program, dest, false); }
