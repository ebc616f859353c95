/* The workspace's changes after the run: counted for the summary line, and
 * copied into a --save folder or applied to the host folder.  Every host
 * path is reached from the target folder's fd one name at a time without
 * following symlinks, and every symlink is written as a symlink, so nothing
 * the workload made can send a write outside the target folder. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ask.h"
#include "audit.h"
#include "hostfile.h"
#include "results.h"

/* Failures named one line each; past that, only counted. */
#define FAILURES_SHOWN 10

static struct {
	char *workspace;  /* the imported host folder, NULL when none */
	char *save_dir;   /* --save, absolute, as it will be once made */
	bool write_back;
	bool ask;         /* --ask: the person decides at exit whether to write back */
} plan;

struct dir_mode {
	char *path;
	mode_t mode;
};

/* Where changes go, and what happened to them. */
struct target {
	int root;                 /* the folder the changes are applied under; -1: count only */
	const char *where;        /* its path, for messages */
	FILE *removals;           /* --save: the removed paths are listed here */
	struct dir_mode *modes;   /* directory modes, set once their contents are in */
	size_t nmodes, capmodes;
	unsigned count[3];        /* by enum vfs_change_kind */
	unsigned failures;
	unsigned temp_serial;
};

static bool inside(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == 0);
}

/* Whether the folder (an O_PATH fd) has no entry; unreadable counts as not. */
static bool folder_empty(int dir)
{
	int fd = openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	bool empty = true;
	for (struct dirent *e; empty && (e = readdir(d));)
		empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
	closedir(d);
	return empty;
}

int results_prepare(const struct options *opts, const struct results_request *req)
{
	bool wanted = req->save_dir || req->write_back;
	char dir[PATH_MAX];
	/* the folder build_file_system imports */
	bool found = opts->workspace ? realpath(opts->workspace, dir) != NULL : getcwd(dir, sizeof(dir)) != NULL;
	if (!found)
		return 0;  /* build_file_system says why */
	if (!opts->no_workspace && strcmp(dir, "/") != 0 && !(plan.workspace = strdup(dir))) {
		sentry_log("out of memory");
		return -1;
	}
	if (wanted && !plan.workspace) {
		sentry_log("--save and --write-back need a workspace: a folder other than / and no --no-workspace");
		return -1;
	}
	plan.write_back = req->write_back;
	plan.ask = req->ask && !req->write_back;
	if (!req->save_dir)
		return 0;
	/* no symlink is followed on the way (hostfile.h), so the folder will
	 * be where its path says, made or not */
	plan.save_dir = hostfile_absolute(req->save_dir);
	if (!plan.save_dir) {
		sentry_log("--save %s: %s", req->save_dir, strerror(errno));
		return -1;
	}
	if (inside(plan.save_dir, plan.workspace)) {
		sentry_log("--save %s is inside the workspace %s; give a folder outside it", req->save_dir,
			   plan.workspace);
		return -1;
	}
	int made = hostfile_dir(plan.save_dir, false);
	if (made < 0 && made != -ENOENT) {
		sentry_log("--save %s: %s", req->save_dir, hostfile_error(made));
		return -1;
	}
	if (made >= 0 && !folder_empty(made)) {
		sentry_log("--save %s is not empty; give a new or empty folder (runs are never merged)", req->save_dir);
		close(made);
		return -1;
	}
	if (made >= 0)
		close(made);
	return 0;
}

bool results_inside_workspace(const char *absolute)
{
	return plan.workspace && inside(absolute, plan.workspace);
}

static void failed(struct target *t, const char *path, const char *what, int err)
{
	if (t->failures++ < FAILURES_SHOWN)
		sentry_log("cannot %s %s/%s: %s", what, t->where, path, strerror(err));
}

/* The directory holding `path` under the target, reached one name at a
 * time without following symlinks; missing directories are made on the
 * way when `make`.  Sets *name to the last name of path. */
static int open_parent(struct target *t, const char *path, char *copy, bool make, const char **name)
{
	strcpy(copy, path);
	int dir = openat(t->root, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	char *part = copy, *slash;
	while (dir >= 0 && (slash = strchr(part, '/'))) {
		*slash = 0;
		int next = openat(dir, part, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0 && errno == ENOENT && make && (mkdirat(dir, part, 0777) == 0 || errno == EEXIST))
			next = openat(dir, part, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		struct stat st;
		if (next >= 0 && (fstat(next, &st) < 0 || !S_ISDIR(st.st_mode))) {
			close(next);
			next = -1;
			errno = ENOTDIR;
		}
		int err = errno;
		close(dir);
		dir = next;
		errno = err;
		part = slash + 1;
	}
	*name = part;
	return dir < 0 ? -errno : dir;
}

/* A directory where a file or symlink goes must go first (its contents were
 * removed before, in the order of the changes). */
static int make_room(int dir, const char *name)
{
	struct stat st;
	if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode) &&
	    unlinkat(dir, name, AT_REMOVEDIR) < 0)
		return -errno;
	return 0;
}

static int copy_range(int from, int to, off_t off, off_t end)
{
	char buf[65536];
	while (off < end) {
		size_t want = end - off < (off_t)sizeof(buf) ? (size_t)(end - off) : sizeof(buf);
		ssize_t n = pread(from, buf, want, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : 0;  /* shrunk meanwhile */
		for (ssize_t done = 0; done < n;) {
			ssize_t w = pwrite(to, buf + done, (size_t)(n - done), off + done);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return -errno;
			done += w;
		}
		off += n;
	}
	return 0;
}

/* Only the data: a hole stays a hole (a file truncated to a terabyte
 * inside takes no room outside).  `from` -1: an empty file. */
static int copy_contents(int from, int to)
{
	struct stat st;
	if (from < 0)
		return 0;
	if (fstat(from, &st) < 0 || ftruncate(to, st.st_size) < 0)
		return -errno;
	for (off_t data = 0; data < st.st_size;) {
		off_t start = lseek(from, data, SEEK_DATA);
		if (start < 0 && errno == ENXIO)
			return 0;  /* only a hole from here */
		if (start < 0)
			return copy_range(from, to, data, st.st_size);  /* no SEEK_DATA: all of it */
		off_t hole = lseek(from, start, SEEK_HOLE);
		if (hole < 0 || hole > st.st_size)
			hole = st.st_size;
		int err = copy_range(from, to, start, hole);
		if (err)
			return err;
		data = hole;
	}
	return 0;
}

static void temp_name(struct target *t, char name[64])
{
	snprintf(name, 64, ".sentry-%d-%u", (int)getpid(), t->temp_serial++);
}

/* A new file of a name nobody holds, even one the workload chose. */
static int create_temp(struct target *t, int dir, char name[64], mode_t mode)
{
	for (;;) {
		temp_name(t, name);
		int fd = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
		if (fd >= 0 || errno != EEXIST)
			return fd < 0 ? -errno : fd;
	}
}

/* Files and symlinks are made under a temporary name, then renamed over
 * whatever held the name: rename never follows a symlink. */
static int put_file(struct target *t, int dir, const char *name, const struct vfs_change *c)
{
	char temp[64];
	int fd = create_temp(t, dir, temp, 0600);
	if (fd < 0)
		return fd;
	int err = copy_contents(c->fd, fd);
	/* setuid, setgid and sticky bits stay inside */
	if (!err && fchmod(fd, c->mode & 0777) < 0)
		err = -errno;
	struct timespec times[2] = { { .tv_nsec = UTIME_OMIT }, c->mtime };
	if (!err && futimens(fd, times) < 0)
		err = -errno;
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err)
		err = make_room(dir, name);
	if (!err && renameat(dir, temp, dir, name) < 0)
		err = -errno;
	if (err)
		unlinkat(dir, temp, 0);
	return err;
}

static int put_symlink(struct target *t, int dir, const char *name, const struct vfs_change *c)
{
	char temp[64];
	int err;
	do {
		temp_name(t, temp);
		err = symlinkat(c->link, dir, temp) < 0 ? -errno : 0;
	} while (err == -EEXIST);
	if (err)
		return err;
	struct timespec times[2] = { { .tv_nsec = UTIME_OMIT }, c->mtime };
	err = utimensat(dir, temp, times, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
	if (!err)
		err = make_room(dir, name);
	if (!err && renameat(dir, temp, dir, name) < 0)
		err = -errno;
	if (err)
		unlinkat(dir, temp, 0);
	return err;
}

/* Writable by us while its contents go in; its own mode comes last. */
static int put_dir(struct target *t, int dir, const char *name, const struct vfs_change *c)
{
	struct stat st;
	bool is_dir = fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
	if (!is_dir && unlinkat(dir, name, 0) < 0 && errno != ENOENT)
		return -errno;
	if (!is_dir && mkdirat(dir, name, 0700) < 0)
		return -errno;
	if (fchmodat(dir, name, (c->mode & 0777) | 0700, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if (t->nmodes == t->capmodes) {
		size_t cap = t->capmodes ? 2 * t->capmodes : 64;
		struct dir_mode *more = realloc(t->modes, cap * sizeof(*more));
		if (!more)
			return -ENOMEM;
		t->modes = more;
		t->capmodes = cap;
	}
	char *path = strdup(c->path);
	if (!path)
		return -ENOMEM;
	t->modes[t->nmodes++] = (struct dir_mode){ path, c->mode & 0777 };
	return 0;
}

static int take_away(int dir, const char *name, const struct vfs_change *c)
{
	if (unlinkat(dir, name, S_ISDIR(c->mode) ? AT_REMOVEDIR : 0) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

/* The changes, all seen before any is applied: the image below the
 * workspace reads the host lazily, and must not see it half rewritten. */
struct change_list {
	struct vfs_change *items;
	size_t n, cap;
};

static int collect(void *arg, const struct vfs_change *c)
{
	struct change_list *list = arg;
	if (list->n == list->cap) {
		size_t cap = list->cap ? 2 * list->cap : 64;
		struct vfs_change *more = realloc(list->items, cap * sizeof(*more));
		if (!more)
			return -ENOMEM;
		list->items = more;
		list->cap = cap;
	}
	struct vfs_change *copy = &list->items[list->n];
	*copy = *c;
	copy->path = strdup(c->path);
	copy->link = c->link ? strdup(c->link) : NULL;
	if (!copy->path || (c->link && !copy->link)) {
		free((char *)copy->path);
		free((char *)copy->link);
		return -ENOMEM;
	}
	list->n++;
	return 0;
}

static void free_changes(struct change_list *list)
{
	for (size_t i = 0; i < list->n; i++) {
		free((char *)list->items[i].path);
		free((char *)list->items[i].link);
	}
	free(list->items);
}

static void apply(struct target *t, const struct vfs_change *c)
{
	t->count[c->kind]++;
	if (t->root < 0)
		return;
	if (c->kind == VFS_CHANGE_REMOVED && t->removals) {
		/* a name may hold a newline, never a NUL */
		fwrite(c->path, 1, strlen(c->path) + 1, t->removals);
		return;
	}
	char copy[PATH_MAX];
	if (strlen(c->path) >= sizeof(copy)) {
		failed(t, c->path, "write", ENAMETOOLONG);
		return;
	}
	const char *name;
	int dir = open_parent(t, c->path, copy, c->kind != VFS_CHANGE_REMOVED, &name);
	if (dir == -ENOENT && c->kind == VFS_CHANGE_REMOVED)
		return;
	int err = dir < 0 ? dir : 0;
	if (!err && c->kind == VFS_CHANGE_REMOVED)
		err = take_away(dir, name, c);
	else if (!err && S_ISDIR(c->mode))
		err = put_dir(t, dir, name, c);
	else if (!err && S_ISLNK(c->mode))
		err = put_symlink(t, dir, name, c);
	else if (!err)
		err = put_file(t, dir, name, c);
	if (dir >= 0)
		close(dir);
	if (err)
		failed(t, c->path, c->kind == VFS_CHANGE_REMOVED ? "remove" : "write", -err);
}

/* Deepest first, so a directory closed to writing is closed last. */
static void set_dir_modes(struct target *t)
{
	while (t->nmodes > 0) {
		struct dir_mode *m = &t->modes[--t->nmodes];
		char copy[PATH_MAX];
		const char *name;
		int dir = open_parent(t, m->path, copy, false, &name);
		int err = dir < 0 ? dir : 0;
		if (!err && fchmodat(dir, name, m->mode, AT_SYMLINK_NOFOLLOW) < 0)
			err = -errno;
		if (dir >= 0)
			close(dir);
		if (err)
			failed(t, m->path, "set the mode of", -err);
		free(m->path);
	}
	free(t->modes);
	t->modes = NULL;
}

static int open_save_dir(void)
{
	int fd = hostfile_dir(plan.save_dir, true);
	if (fd < 0)
		sentry_log("cannot save the workspace's changes in %s: %s", plan.save_dir, hostfile_error(fd));
	return fd;
}

/* The list replaces any file of that name the workspace's changes brought. */
static void write_removed_list(struct target *t, const char *list, size_t len)
{
	char temp[64];
	int fd = create_temp(t, t->root, temp, 0644);
	int err = fd < 0 ? fd : 0;
	for (size_t done = 0; !err && done < len;) {
		ssize_t n = write(fd, list + done, len - done);
		if (n < 0 && errno != EINTR)
			err = -errno;
		done += n > 0 ? (size_t)n : 0;
	}
	if (fd >= 0 && close(fd) < 0 && !err)
		err = -errno;
	if (!err)
		err = make_room(t->root, RESULTS_REMOVED_LIST);
	if (!err && renameat(t->root, temp, t->root, RESULTS_REMOVED_LIST) < 0)
		err = -errno;
	if (err) {
		unlinkat(t->root, temp, 0);
		failed(t, RESULTS_REMOVED_LIST, "write", -err);
	}
}

static void summarize(const struct target *t)
{
	unsigned added = t->count[VFS_CHANGE_ADDED], changed = t->count[VFS_CHANGE_CHANGED],
		 removed = t->count[VFS_CHANGE_REMOVED];
	if (!added && !changed && !removed && !t->failures)
		return;
	char what[128];
	snprintf(what, sizeof(what), "the workspace changed: %u added, %u changed, %u removed", added, changed, removed);
	if (!plan.save_dir && !plan.write_back && plan.ask)
		sentry_log("%s", what); /* the question comes next */
	else if (!plan.save_dir && !plan.write_back)
		sentry_log("%s; discarded (keep them with --save DIR or --write-back)", what);
	else if (plan.save_dir && t->failures)
		sentry_log("%s; %u could not be saved in %s (see above)", what, t->failures, plan.save_dir);
	else if (plan.save_dir)
		sentry_log("%s; saved in %s (removals listed in %s/%s)", what, plan.save_dir, plan.save_dir,
			   RESULTS_REMOVED_LIST);
	else if (t->failures)
		sentry_log("%s; written back to %s except %u (see above)", what, plan.workspace, t->failures);
	else
		sentry_log("%s; written back to %s", what, plan.workspace);
}

static void apply_all(struct target *t, const struct change_list *changes)
{
	for (size_t i = 0; i < changes->n; i++)
		apply(t, &changes->items[i]);
	set_dir_modes(t);
}

/* --ask: the person at the terminal decides whether the changes reach the
 * host folder.  The number that could not be written back. */
static unsigned ask_write_back(const struct change_list *changes)
{
	enum ask_source source;
	audit_question("write-back", plan.workspace, VERDICT_ASKED, "apply the workspace's changes to the host folder?");
	bool yes = ask_apply_changes(plan.workspace, &source);
	audit_question("write-back", plan.workspace, yes ? VERDICT_APPROVED : VERDICT_REFUSED, ask_source_text(source));
	if (!yes) {
		if (plan.save_dir)
			sentry_log("not applied to %s (kept in %s)", plan.workspace, plan.save_dir);
		else
			sentry_log("discarded: not applied to %s", plan.workspace);
		return 0;
	}
	struct target t = { .root = open(plan.workspace, O_PATH | O_DIRECTORY | O_CLOEXEC), .where = plan.workspace };
	if (t.root < 0) {
		sentry_log("cannot write back to %s: %s", plan.workspace, strerror(errno));
		return 1;
	}
	apply_all(&t, changes);
	close(t.root);
	if (t.failures)
		sentry_log("written back to %s except %u (see above)", plan.workspace, t.failures);
	else
		sentry_log("written back to %s", plan.workspace);
	return t.failures;
}

int results_changes(struct vfs *vfs, vfs_change_fn fn, void *arg)
{
	return plan.workspace ? vfs_workspace_changes(vfs, plan.workspace, fn, arg) : -ENOENT;
}

int results_finish(struct vfs *vfs)
{
	if (!plan.workspace)
		return 0;
	struct target t = { .root = -1 };
	char *list = NULL;
	size_t list_len = 0;
	if (plan.save_dir) {
		t.root = open_save_dir();
		if (t.root < 0)
			return -1;
		t.where = plan.save_dir;
		t.removals = open_memstream(&list, &list_len);
		if (!t.removals) {
			sentry_log("cannot save the workspace's changes: %s", strerror(errno));
			close(t.root);
			return -1;
		}
	} else if (plan.write_back) {
		t.root = open(plan.workspace, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (t.root < 0) {
			sentry_log("cannot write back to %s: %s", plan.workspace, strerror(errno));
			return -1;
		}
		t.where = plan.workspace;
	}
	struct change_list changes = { 0 };
	int err = vfs_workspace_changes(vfs, plan.workspace, collect, &changes);
	for (size_t i = 0; !err && i < changes.n; i++)
		apply(&t, &changes.items[i]);
	if (t.root >= 0)
		set_dir_modes(&t);
	if (t.removals) {
		fclose(t.removals);
		write_removed_list(&t, list, list_len);
		free(list);
	}
	if (t.root >= 0)
		close(t.root);
	if (err < 0) {
		free_changes(&changes);
		sentry_log("cannot list the workspace's changes: %s", strerror(-err));
		return plan.save_dir || plan.write_back ? -1 : 0;
	}
	summarize(&t);
	if (plan.ask && changes.n && !(plan.save_dir && t.failures))
		t.failures += ask_write_back(&changes);
	free_changes(&changes);
	return t.failures ? -1 : 0;
}
