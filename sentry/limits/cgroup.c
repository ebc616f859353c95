#define _GNU_SOURCE
#include "cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hostfile.h"

#define MAX_DEPTH 32

static const char *const controller_names[CG_NCONTROLLERS] = { "memory", "cpu", "cpuacct", "pids", "freezer", "cpuset" };

/* One hierarchy's folder of the cgroup: an O_PATH fd of every folder from
 * the hierarchy's root down to it, so that what was made can be removed
 * by name relative to its parent without walking a path again. */
struct hierarchy {
	unsigned controllers; /* 1 << enum cgroup_controller */
	char mount[PATH_MAX];
	char *path;
	int levels[MAX_DEPTH + 1];
	char *names[MAX_DEPTH + 1];
	int depth;
	int made_from; /* the first level this run made; depth + 1 when none */
	int procs_fd;  /* cgroup.procs, for the workload to write itself into */
};

struct cgroup {
	int version;
	int nh;
	struct hierarchy h[CG_NCONTROLLERS];
};

int cgroup_version_here(void)
{
	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0)
		return 2;
	FILE *f = setmntent("/proc/mounts", "re");
	struct mntent m;
	char buf[4096];
	int version = 0;
	while (f && !version && getmntent_r(f, &m, buf, sizeof(buf)))
		if (strcmp(m.mnt_type, "cgroup") == 0)
			version = 1;
	if (f)
		endmntent(f);
	return version;
}

/* "rw,relatime,cpu,cpuacct" holds "cpu" as a whole option. */
static bool has_option(const char *options, const char *name)
{
	size_t len = strlen(name);
	for (const char *o = options; *o; o += strcspn(o, ",") + (o[strcspn(o, ",")] == ',')) {
		if (strcspn(o, ",") == len && strncmp(o, name, len) == 0)
			return true;
	}
	return false;
}

/* The v1 hierarchies of the controllers in `wanted`, co-mounted ones once. */
static int find_v1_hierarchies(struct cgroup *cg, unsigned wanted)
{
	FILE *f = setmntent("/proc/mounts", "re");
	if (!f)
		return -errno;
	struct mntent m;
	char buf[4096];
	while (getmntent_r(f, &m, buf, sizeof(buf))) {
		if (strcmp(m.mnt_type, "cgroup") != 0)
			continue;
		unsigned ctrls = 0;
		for (int c = 0; c < CG_NCONTROLLERS; c++)
			if ((wanted & (1u << c)) && has_option(m.mnt_opts, controller_names[c]))
				ctrls |= 1u << c;
		for (int i = 0; ctrls && i < cg->nh; i++) {
			if ((cg->h[i].controllers & ctrls) || strcmp(cg->h[i].mount, m.mnt_dir) == 0) {
				cg->h[i].controllers |= ctrls;
				ctrls = 0;
			}
		}
		if (ctrls && cg->nh < CG_NCONTROLLERS) {
			cg->h[cg->nh].controllers = ctrls;
			snprintf(cg->h[cg->nh].mount, sizeof(cg->h[cg->nh].mount), "%s", m.mnt_dir);
			cg->nh++;
		}
	}
	endmntent(f);
	return cg->nh ? 0 : -ENOENT;
}

static int find_v2_hierarchy(struct cgroup *cg, unsigned wanted)
{
	cg->nh = 1;
	cg->h[0].controllers = wanted;
	snprintf(cg->h[0].mount, sizeof(cg->h[0].mount), "/sys/fs/cgroup");
	return 0;
}

/* Where the sentry is in the hierarchy of h, from /proc/self/cgroup:
 * "4:memory:/a/b" on v1, "0::/a/b" on v2. */
static bool current_cgroup(const struct cgroup *cg, const struct hierarchy *h, char *out, size_t size)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	char line[PATH_MAX + 128];
	bool found = false;
	while (f && !found && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		char *ctrls = strchr(line, ':'), *path = ctrls ? strchr(ctrls + 1, ':') : NULL;
		if (!path)
			continue;
		*path++ = 0;
		ctrls++;
		if (cg->version == 2)
			found = !*ctrls;
		for (int c = 0; cg->version == 1 && c < CG_NCONTROLLERS && !found; c++)
			found = (h->controllers & (1u << c)) && has_option(ctrls, controller_names[c]);
		if (found)
			snprintf(out, size, "%s", path);
	}
	if (f)
		fclose(f);
	return found;
}

/* v2: a folder's children get the controllers only when it hands them
 * down. Each one alone, so that one the parent lacks stops no other;
 * what does not take shows later as a missing limit file. */
static void hand_down_controllers(int dir, bool cpuset)
{
	int fd = openat(dir, "cgroup.subtree_control", O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	static const char *const wanted[] = { "+memory", "+cpu", "+pids", "+cpuset" };
	for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]) - !cpuset; i++)
		if (write(fd, wanted[i], strlen(wanted[i])) < 0) {
			/* not delegated here, or the folder holds processes */
		}
	close(fd);
}

static int read_text_at(int dir, const char *file, char *text, size_t size)
{
	int fd = openat(dir, file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, text, size - 1);
	int err = errno;
	close(fd);
	if (n < 0)
		return -err;
	text[n] = 0;
	text[strcspn(text, "\n")] = 0;
	return 0;
}

static int write_text_at(int dir, const char *file, const char *text)
{
	int fd = openat(dir, file, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int r = write(fd, text, strlen(text)) < 0 ? -errno : 0;
	close(fd);
	return r;
}

/* v1: a cpuset folder with no CPUs or memory nodes takes no task (ENOSPC);
 * one made here starts so unless its parent has clone_children. */
static int fill_cpuset(int parent, int dir)
{
	static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char mine[4096], theirs[4096];
		int r = read_text_at(dir, files[i], mine, sizeof(mine));
		if (!r && !mine[0])
			r = read_text_at(parent, files[i], theirs, sizeof(theirs));
		if (!r && !mine[0])
			r = write_text_at(dir, files[i], theirs);
		if (r)
			return r;
	}
	return 0;
}

/* Nothing open, nothing made. */
static void hierarchy_reset(struct hierarchy *h)
{
	h->depth = 0;
	h->levels[0] = -1;
	h->procs_fd = -1;
	h->made_from = 1;
	h->path = NULL;
}

/* fresh_leaf: the last folder must be one this call makes. A sentry's own
 * is named after its pid, and a sentry that was killed left its folder
 * behind: a later sentry of the same pid removes it when it is empty
 * (rmdir refuses a folder with tasks or folders in it) instead of taking
 * it as one that was there before, which it would then leave too. */
static int hierarchy_open(struct hierarchy *h, int version, const char *path, bool fresh_leaf)
{
	h->path = strdup(path);
	h->levels[0] = hostfile_dir(h->mount, false);
	if (!h->path)
		return -ENOMEM;
	if (h->levels[0] < 0)
		return h->levels[0];
	char *copy = strdup(path), *save = NULL;
	if (!copy)
		return -ENOMEM;
	int r = 0;
	bool made = false, cpuset = h->controllers & (1u << CG_CPUSET);
	for (char *name = strtok_r(copy, "/", &save); name && !r; name = strtok_r(NULL, "/", &save)) {
		if (h->depth == MAX_DEPTH) {
			r = -ENAMETOOLONG;
			break;
		}
		int dir = h->levels[h->depth];
		if (version == 2)
			hand_down_controllers(dir, cpuset);
		bool leaf = save[strspn(save, "/")] == 0;
		if (fresh_leaf && leaf && unlinkat(dir, name, AT_REMOVEDIR) < 0 && errno != ENOENT) {
			r = errno == ENOTDIR ? -ELOOP : -EBUSY; /* another's, still in use */
			break;
		}
		int fd = openat(dir, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT) {
			if (mkdirat(dir, name, 0755) == 0) {
				if (!made)
					h->made_from = h->depth + 1;
				made = true;
			} else if (errno != EEXIST) {
				r = -errno;
				break;
			}
			fd = openat(dir, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		}
		if (fd < 0) {
			r = errno == ENOTDIR ? -ELOOP : -errno; /* a symlink: never followed */
			break;
		}
		h->depth++;
		h->levels[h->depth] = fd;
		h->names[h->depth] = strdup(name);
		if (version == 1 && cpuset)
			r = fill_cpuset(dir, fd);
	}
	free(copy);
	if (!made)
		h->made_from = h->depth + 1;
	if (!r) {
		h->procs_fd = openat(h->levels[h->depth], "cgroup.procs", O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
		if (h->procs_fd < 0)
			r = -errno;
	}
	return r;
}

static struct hierarchy *hierarchy_of(const struct cgroup *cg, enum cgroup_controller ctrl)
{
	for (int i = 0; i < cg->nh; i++)
		if (cg->h[i].controllers & (1u << ctrl))
			return (struct hierarchy *)&cg->h[i];
	return NULL;
}

/* A task that has left cgroup.procs may still be exiting, and v1 refuses
 * to remove its folder (EBUSY) until it is gone: moments. */
static int remove_folder(int parent, const char *name)
{
	for (int tries = 0; tries < 100; tries++) {
		if (unlinkat(parent, name, AT_REMOVEDIR) == 0)
			return 0;
		if (errno != EBUSY)
			return -1;
		nanosleep(&(struct timespec){ 0, 10 * 1000 * 1000 }, NULL);
	}
	return -1;
}

/* Removes the folders h made, deepest first, once its processes are gone
 * (killed ones leave within moments). */
static void hierarchy_close(struct hierarchy *h)
{
	if (h->procs_fd >= 0)
		close(h->procs_fd);
	if (h->made_from <= h->depth) {
		for (int tries = 0; tries < 200; tries++) {
			char c;
			int fd = openat(h->levels[h->depth], "cgroup.procs", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
			ssize_t n = fd < 0 ? 0 : read(fd, &c, 1);
			if (fd >= 0)
				close(fd);
			if (n <= 0)
				break;
			nanosleep(&(struct timespec){ 0, 10 * 1000 * 1000 }, NULL);
		}
	}
	for (int i = h->depth; i >= 1; i--) {
		if (i >= h->made_from && remove_folder(h->levels[i - 1], h->names[i]) < 0) {
			/* a folder left behind is a leak: say so, and which */
			fprintf(stderr, "sentry: cannot remove the cgroup folder %s (level %d): %s\n", h->path, i,
				strerror(errno));
			h->made_from = h->depth + 1; /* still in use: keep the folders above it too */
		}
		close(h->levels[i]);
		free(h->names[i]);
	}
	if (h->levels[0] >= 0)
		close(h->levels[0]);
	free(h->path);
	hierarchy_reset(h);
}

static struct cgroup *cgroup_alloc(int version, enum cgroup_cpuset cpuset)
{
	struct cgroup *cg = calloc(1, sizeof(*cg));
	if (!cg)
		return NULL;
	cg->version = version;
	for (int i = 0; i < CG_NCONTROLLERS; i++)
		hierarchy_reset(&cg->h[i]);
	unsigned wanted = (1u << CG_NCONTROLLERS) - 1;
	if (cpuset == CGROUP_CPUSET_NO)
		wanted &= ~(1u << CG_CPUSET);
	int r = version == 2 ? find_v2_hierarchy(cg, wanted) : find_v1_hierarchies(cg, wanted);
	if (r < 0) {
		free(cg);
		return NULL;
	}
	return cg;
}

void cgroup_close(struct cgroup *cg)
{
	if (!cg)
		return;
	for (int i = 0; i < cg->nh; i++)
		hierarchy_close(&cg->h[i]);
	free(cg);
}

/* A v1 cpuset hierarchy that could not hold the cgroup, when the cgroup
 * may go without it: closed and forgotten. True when it was. */
static bool drop_optional_cpuset(struct cgroup *cg, int i, enum cgroup_cpuset cpuset)
{
	if (cpuset != CGROUP_CPUSET_TRY || cg->version != 1 || cg->h[i].controllers != 1u << CG_CPUSET)
		return false;
	hierarchy_close(&cg->h[i]);
	memmove(&cg->h[i], &cg->h[i + 1], (size_t)(cg->nh - i - 1) * sizeof(cg->h[0]));
	cg->nh--;
	hierarchy_reset(&cg->h[cg->nh]);
	return true;
}

/* The folder of a sentry of pid `sentry` below `current`, where it is. */
static void own_leaf(char *path, size_t size, const char *current, pid_t sentry)
{
	snprintf(path, size, "%s/sentry-%d", strcmp(current, "/") ? current : "", (int)sentry);
}

/* The sentry's own: below where it is, or at /sentry/<pid> when that
 * cannot be (v2 keeps processes out of a folder whose children have
 * controllers, so the sentry's own folder may not take any). */
static int open_own(struct cgroup *cg, enum cgroup_cpuset cpuset, const char **why)
{
	char current[PATH_MAX], path[PATH_MAX + 32];
	int r = 0;
	for (int i = 0; i < cg->nh && !r; i++) {
		struct hierarchy *h = &cg->h[i];
		bool below = current_cgroup(cg, h, current, sizeof(current));
		own_leaf(path, sizeof(path), below ? current : "/", getpid());
		r = below ? hierarchy_open(h, cg->version, path, true) : -ENOENT;
		bool usable = !r && (cg->version == 1 || faccessat(h->levels[h->depth], "memory.max", F_OK, 0) == 0 ||
				     faccessat(h->levels[h->depth], "pids.max", F_OK, 0) == 0);
		if (!usable) {
			hierarchy_close(h);
			snprintf(path, sizeof(path), "/sentry/%d", (int)getpid());
			r = hierarchy_open(h, cg->version, path, true);
			/* /sentry is shared with other sandboxes: only the leaf goes */
			if (h->made_from < h->depth)
				h->made_from = h->depth;
		}
		if (r && drop_optional_cpuset(cg, i, cpuset)) {
			r = 0;
			i--;
		} else if (r) {
			*why = h->mount;
		}
	}
	return r;
}

int cgroup_open(const char *path, enum cgroup_cpuset cpuset, struct cgroup **out, const char **why)
{
	*out = NULL;
	*why = "no cgroup hierarchy is mounted";
	int version = cgroup_version_here();
	struct cgroup *cg = version ? cgroup_alloc(version, cpuset) : NULL;
	if (!cg)
		return -ENOENT;
	int r = 0;
	if (path) {
		for (int i = 0; i < cg->nh && !r; i++) {
			r = hierarchy_open(&cg->h[i], version, path, false);
			if (r && drop_optional_cpuset(cg, i, cpuset)) {
				r = 0;
				i--;
			} else if (r) {
				*why = cg->h[i].mount;
			}
		}
	} else {
		r = open_own(cg, cpuset, why);
	}
	if (!r && cpuset == CGROUP_CPUSET_MUST && !hierarchy_of(cg, CG_CPUSET)) {
		r = -ENOENT;
		*why = "no cpuset hierarchy is mounted";
	}
	if (r) {
		/* *why may name a hierarchy of cg, which goes now */
		static char failed_mount[PATH_MAX];
		snprintf(failed_mount, sizeof(failed_mount), "%s", *why);
		*why = failed_mount;
		cgroup_close(cg);
		return r;
	}
	*out = cg;
	return 0;
}

void cgroup_remove_leaf_of(pid_t sentry)
{
	int version = cgroup_version_here();
	struct cgroup *cg = version ? cgroup_alloc(version, CGROUP_CPUSET_TRY) : NULL;
	if (!cg)
		return;
	char current[PATH_MAX], leaf[PATH_MAX + 32], full[2 * PATH_MAX + 32];
	for (int i = 0; i < cg->nh; i++) {
		if (!current_cgroup(cg, &cg->h[i], current, sizeof(current)))
			continue;
		own_leaf(leaf, sizeof(leaf), current, sentry);
		snprintf(full, sizeof(full), "%s%s", cg->h[i].mount, leaf);
		rmdir(full); /* gone already, or still in use: left as it is */
	}
	cgroup_close(cg);
}

int cgroup_version(const struct cgroup *cg) { return cg->version; }

const char *cgroup_path(const struct cgroup *cg)
{
	const struct hierarchy *h = hierarchy_of(cg, CG_MEMORY);
	return (h ? h : &cg->h[0])->path;
}

bool cgroup_has(const struct cgroup *cg, enum cgroup_controller ctrl) { return hierarchy_of(cg, ctrl) != NULL; }

static int open_file(struct cgroup *cg, enum cgroup_controller ctrl, const char *file, int flags)
{
	struct hierarchy *h = hierarchy_of(cg, ctrl);
	if (!h)
		return -ENOENT;
	int fd = openat(h->levels[h->depth], file, flags | O_NOFOLLOW | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int cgroup_write(struct cgroup *cg, enum cgroup_controller ctrl, const char *file, const char *value)
{
	int fd = open_file(cg, ctrl, file, O_WRONLY);
	if (fd < 0)
		return fd;
	ssize_t n = write(fd, value, strlen(value));
	int r = n < 0 ? -errno : 0;
	close(fd);
	return r;
}

int cgroup_read_u64(struct cgroup *cg, enum cgroup_controller ctrl, const char *file, const char *key,
		    uint64_t *value)
{
	int fd = open_file(cg, ctrl, file, O_RDONLY);
	if (fd < 0)
		return fd;
	char buf[8192];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	const char *at = buf;
	if (key) {
		size_t len = strlen(key);
		for (at = buf; at && !(strncmp(at, key, len) == 0 && at[len] == ' ');)
			at = strchr(at, '\n') ? strchr(at, '\n') + 1 : NULL;
		if (!at)
			return -ENOENT;
		at += len;
	}
	char *end;
	*value = strtoull(at, &end, 10);
	return end == at ? -EINVAL : 0;
}

bool cgroup_file_exists(struct cgroup *cg, enum cgroup_controller ctrl, const char *file)
{
	struct hierarchy *h = hierarchy_of(cg, ctrl);
	return h && faccessat(h->levels[h->depth], file, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

int cgroup_read_text(struct cgroup *cg, enum cgroup_controller ctrl, const char *file, char *text, size_t size)
{
	struct hierarchy *h = hierarchy_of(cg, ctrl);
	return h ? read_text_at(h->levels[h->depth], file, text, size) : -ENOENT;
}

int cgroup_enter(struct cgroup *cg)
{
	for (int i = 0; i < cg->nh; i++) {
		/* "0": the writer itself, on v1 and v2 alike */
		if (write(cg->h[i].procs_fd, "0", 1) < 0)
			return -errno;
		close(cg->h[i].procs_fd);
		cg->h[i].procs_fd = -1;
	}
	return 0;
}
