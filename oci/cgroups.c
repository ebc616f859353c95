/* The container's cgroups as sentry-runc reaches them for pause, resume
 * and update: the folders its workload's first process is in. The
 * workload joins them before its first instruction and the sentry stays
 * outside, so where they differ from the sentry's own they hold the
 * workload alone, and freezing them never stops the sentry. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "oci.h"

static int version_here(void)
{
	return access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0 ? 2 : 1;
}

/* "rw,relatime,cpu,cpuacct" (or "cpu,cpuacct") holds "cpu" as a whole item. */
static bool has_item(const char *list, const char *name)
{
	size_t len = strlen(name);
	for (const char *p = list; *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] == ','))
		if (strcspn(p, ",") == len && strncmp(p, name, len) == 0)
			return true;
	return false;
}

/* pid's cgroup in the hierarchy of controller on v1, or in the unified
 * one (controller NULL), from /proc/PID/cgroup: "4:memory:/a/b", "0::/a/b". */
static bool cgroup_of(pid_t pid, const char *controller, char *out, size_t size)
{
	char path[64], line[PATH_MAX + 128];
	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	FILE *f = fopen(path, "re");
	bool found = false;
	while (f && !found && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		char *ctrls = strchr(line, ':'), *at = ctrls ? strchr(ctrls + 1, ':') : NULL;
		if (!at)
			continue;
		*at++ = 0;
		ctrls++;
		found = controller ? has_item(ctrls, controller) : !*ctrls;
		if (found)
			snprintf(out, size, "%s", at);
	}
	if (f)
		fclose(f);
	return found;
}

static bool v1_mount(const char *controller, char *out, size_t size)
{
	FILE *f = setmntent("/proc/mounts", "re");
	struct mntent m;
	char buf[4096];
	bool found = false;
	while (f && !found && getmntent_r(f, &m, buf, sizeof(buf)))
		if (strcmp(m.mnt_type, "cgroup") == 0 && has_item(m.mnt_opts, controller)) {
			snprintf(out, size, "%s", m.mnt_dir);
			found = true;
		}
	if (f)
		endmntent(f);
	return found;
}

/* The folder of the container's own cgroup for controller (v1's
 * hierarchy of it; on v2 the unified one whatever the controller), or
 * false when the workload is where the sentry is: no cgroup of its own. */
static bool container_dir(const struct container_pids *p, const char *controller, char out[PATH_MAX], size_t size)
{
	bool v2 = version_here() == 2;
	const char *which = v2 ? NULL : controller;
	char mine[PATH_MAX], theirs[PATH_MAX / 2], mount[PATH_MAX / 2];
	if (p->first <= 0 || !cgroup_of(p->first, which, theirs, sizeof(theirs)) ||
	    !cgroup_of(p->sentry, which, mine, sizeof(mine)) || strcmp(mine, theirs) == 0)
		return false;
	if (v2)
		snprintf(mount, sizeof(mount), "/sys/fs/cgroup");
	else if (!v1_mount(controller, mount, sizeof(mount)))
		return false;
	snprintf(out, size, "%s%s", mount, strcmp(theirs, "/") == 0 ? "" : theirs);
	return true;
}

static int write_file(const char *dir, const char *file, const char *value)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	int fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int r = write(fd, value, strlen(value)) < 0 ? -errno : 0;
	close(fd);
	return r;
}

static int read_file(const char *dir, const char *file, char *out, size_t size)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, out, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	out[n] = 0;
	out[strcspn(out, "\n")] = 0;
	return 0;
}

static bool file_exists(const char *dir, const char *file)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return access(path, F_OK) == 0;
}

void cgroup_remove(const char *path)
{
	static const char *const controllers[] = { "memory", "cpu", "cpuacct", "pids", "freezer", "cpuset" };
	char mount[PATH_MAX / 2], dir[PATH_MAX];
	for (size_t c = 0; c <= sizeof(controllers) / sizeof(controllers[0]); c++) {
		bool v2 = c == sizeof(controllers) / sizeof(controllers[0]);
		if (v2 ? version_here() != 2 : version_here() != 1 || !v1_mount(controllers[c], mount, sizeof(mount)))
			continue;
		snprintf(dir, sizeof(dir), "%s%s", v2 ? "/sys/fs/cgroup" : mount, path);
		/* killed tasks leave within moments */
		for (int tries = 0; tries < 100 && rmdir(dir) < 0 && errno == EBUSY; tries++)
			nanosleep(&(struct timespec){ 0, 10 * 1000 * 1000 }, NULL);
	}
}

/* --- pause and resume ----------------------------------------------------- */

int cgroup_paused(const struct container_pids *p)
{
	char dir[PATH_MAX], state[64];
	if (!container_dir(p, "freezer", dir, sizeof(dir)))
		return -1;
	if (version_here() == 2)
		return read_file(dir, "cgroup.freeze", state, sizeof(state)) == 0 && strcmp(state, "1") == 0;
	return read_file(dir, "freezer.state", state, sizeof(state)) == 0 && strcmp(state, "FROZEN") == 0;
}

/* Whether every task has stopped: v1 shows FREEZING until then, v2's
 * cgroup.events says "frozen 1". */
static bool frozen_now(const char *dir)
{
	char text[4096];
	if (version_here() == 1)
		return read_file(dir, "freezer.state", text, sizeof(text)) == 0 && strcmp(text, "FROZEN") == 0;
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/cgroup.events", dir);
	FILE *f = fopen(path, "re");
	bool frozen = false;
	while (f && fgets(text, sizeof(text), f))
		if (strcmp(text, "frozen 1\n") == 0)
			frozen = true;
	if (f)
		fclose(f);
	return frozen;
}

int cgroup_freeze(const struct container_pids *p, const char *id, bool freeze)
{
	char dir[PATH_MAX];
	if (!container_dir(p, "freezer", dir, sizeof(dir))) {
		oci_error("container \"%s\" has no cgroup of its own (no linux.cgroupsPath, or no freezer hierarchy): it cannot be %s",
			  id, freeze ? "paused" : "resumed");
		return -1;
	}
	bool v2 = version_here() == 2;
	const char *file = v2 ? "cgroup.freeze" : "freezer.state";
	int r = write_file(dir, file, freeze ? (v2 ? "1" : "FROZEN") : (v2 ? "0" : "THAWED"));
	if (r < 0) {
		oci_error("%s/%s: %s", dir, file, strerror(-r));
		return -1;
	}
	if (!freeze)
		return 0;
	/* a task in the middle of a call stops once the sentry has answered it */
	for (int tries = 0; tries < 500; tries++) {
		if (frozen_now(dir))
			return 0;
		nanosleep(&(struct timespec){ 0, 10 * 1000 * 1000 }, NULL);
	}
	write_file(dir, file, v2 ? "0" : "THAWED");
	oci_error("container \"%s\" did not freeze within 5 s (%s/%s); it runs on", id, dir, file);
	return -1;
}

/* --- update ------------------------------------------------------------------ */

/* A field asked for: present, and not null, false, 0, "" or empty. */
static bool asked(json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_null:
		return false;
	case json_type_boolean: /* disableOOMKiller: false asks for nothing */
		return json_object_get_boolean(o);
	case json_type_int:
		return json_object_get_int64(o) != 0;
	case json_type_double:
		return json_object_get_double(o) != 0;
	case json_type_string:
		return json_object_get_string_len(o) > 0;
	case json_type_object:
		return json_object_object_length(o) > 0;
	case json_type_array:
		return json_object_array_length(o) > 0;
	default:
		return true;
	}
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v;
	return o && json_object_object_get_ex(o, key, &v) && asked(v) ? v : NULL;
}

/* What this runtime can change, by section; anything else asked for is
 * refused before anything is written. */
static const char *const supported[][6] = {
	{ "memory", "limit", "swap", "reservation", NULL },
	{ "cpu", "shares", "quota", "period", "cpus", "mems" },
	{ "pids", "limit", NULL },
};

static int check_supported(json_object *res)
{
	json_object_object_foreach(res, section, fields)
	{
		if (!asked(fields))
			continue;
		size_t s = 0;
		while (s < sizeof(supported) / sizeof(supported[0]) && strcmp(supported[s][0], section) != 0)
			s++;
		if (s == sizeof(supported) / sizeof(supported[0]) || !json_object_is_type(fields, json_type_object)) {
			oci_error("update: linux.resources.%s is not supported by this runtime (memory limit, swap, reservation; cpu shares, quota, period, cpus, mems; pids limit are)",
				  section);
			return -1;
		}
		json_object_object_foreach(fields, key, value)
		{
			bool known = false;
			for (int k = 1; k < 6 && supported[s][k]; k++)
				known |= strcmp(supported[s][k], key) == 0;
			if (asked(value) && !known) {
				oci_error("update: linux.resources.%s.%s is not supported by this runtime", section, key);
				return -1;
			}
		}
	}
	return 0;
}

static void number_text(long long v, bool v2, char *out, size_t size)
{
	if (v < 0)
		snprintf(out, size, "%s", v2 ? "max" : "-1");
	else
		snprintf(out, size, "%lld", v);
}

static int write_or_say(const char *dir, const char *file, const char *value)
{
	int r = write_file(dir, file, value);
	if (r < 0)
		oci_error("update: %s/%s %s: %s", dir, file, value, strerror(-r));
	return r;
}

/* v1: memory+swap is never below memory, so which goes first depends on
 * whether the limit rises; without swap asked, memory+swap follows the
 * limit (no swap, as the sandbox starts). */
static int update_memory_v1(const char *dir, json_object *mem)
{
	json_object *limit = get(mem, "limit"), *swap = get(mem, "swap");
	if (!limit && !swap)
		return 0;
	bool memsw = file_exists(dir, "memory.memsw.limit_in_bytes");
	if (swap && !memsw) {
		oci_error("update: memory.swap: this kernel has no memory.memsw.limit_in_bytes (swap accounting is off)");
		return -1;
	}
	char lim[32] = "", sw[32] = "";
	if (limit)
		number_text(json_object_get_int64(limit), false, lim, sizeof(lim));
	if (memsw && (swap || limit))
		number_text(json_object_get_int64(swap ? swap : limit), false, sw, sizeof(sw));
	if (limit && write_file(dir, "memory.limit_in_bytes", lim) == 0)
		return memsw ? write_or_say(dir, "memory.memsw.limit_in_bytes", sw) : 0;
	if (memsw && write_or_say(dir, "memory.memsw.limit_in_bytes", sw) < 0)
		return -1;
	return limit ? write_or_say(dir, "memory.limit_in_bytes", lim) : 0;
}

static int update_memory(const struct container_pids *p, json_object *mem)
{
	char dir[PATH_MAX], text[64];
	if (!container_dir(p, "memory", dir, sizeof(dir)))
		return -1;
	bool v2 = version_here() == 2;
	json_object *limit = get(mem, "limit"), *swap = get(mem, "swap"), *reservation = get(mem, "reservation");
	if (reservation) {
		number_text(json_object_get_int64(reservation), v2, text, sizeof(text));
		if (write_or_say(dir, v2 ? "memory.low" : "memory.soft_limit_in_bytes", text) < 0)
			return -1;
	}
	if (!v2)
		return update_memory_v1(dir, mem);
	if (limit) {
		number_text(json_object_get_int64(limit), true, text, sizeof(text));
		if (write_or_say(dir, "memory.max", text) < 0)
			return -1;
	}
	if (!swap)
		return 0;
	/* OCI's swap is memory+swap; v2 counts swap alone */
	long long total = json_object_get_int64(swap), memory = limit ? json_object_get_int64(limit) : -1;
	if (!limit && read_file(dir, "memory.max", text, sizeof(text)) == 0 && strcmp(text, "max") != 0)
		memory = atoll(text);
	if (total >= 0 && memory < 0) {
		oci_error("update: memory.swap %lld with no memory limit: nothing to take it from", total);
		return -1;
	}
	if (total >= 0 && total < memory) {
		oci_error("update: memory.swap (memory+swap, %lld) is below the memory limit (%lld)", total, memory);
		return -1;
	}
	number_text(total < 0 ? -1 : total - memory, true, text, sizeof(text));
	return write_or_say(dir, "memory.swap.max", text);
}

static int update_cpu(const struct container_pids *p, json_object *cpu)
{
	char dir[PATH_MAX], text[128];
	bool v2 = version_here() == 2;
	json_object *shares = get(cpu, "shares"), *quota = get(cpu, "quota"), *period = get(cpu, "period");
	json_object *cpus = get(cpu, "cpus"), *mems = get(cpu, "mems");
	if ((shares || quota || period) && !container_dir(p, "cpu", dir, sizeof(dir)))
		return -1;
	if (shares) {
		long long s = json_object_get_int64(shares);
		if (v2) /* runc's mapping of shares [2, 262144] onto weight [1, 10000] */
			snprintf(text, sizeof(text), "%lld", s < 2 ? 1 : 1 + ((s - 2) * 9999) / 262142);
		else
			snprintf(text, sizeof(text), "%lld", s);
		if (write_or_say(dir, v2 ? "cpu.weight" : "cpu.shares", text) < 0)
			return -1;
	}
	if (v2 && (quota || period)) {
		char now[128] = "max 100000", q[32];
		read_file(dir, "cpu.max", now, sizeof(now));
		long long old_period = atoll(strchr(now, ' ') ? strchr(now, ' ') + 1 : "100000");
		snprintf(q, sizeof(q), "%.*s", (int)strcspn(now, " "), now);
		if (quota)
			number_text(json_object_get_int64(quota), true, q, sizeof(q));
		snprintf(text, sizeof(text), "%s %lld", q, period ? (long long)json_object_get_int64(period) : old_period);
		if (write_or_say(dir, "cpu.max", text) < 0)
			return -1;
	} else if (quota || period) {
		if (period) {
			snprintf(text, sizeof(text), "%lld", (long long)json_object_get_int64(period));
			if (write_or_say(dir, "cpu.cfs_period_us", text) < 0)
				return -1;
		}
		if (quota) {
			number_text(json_object_get_int64(quota), false, text, sizeof(text));
			if (write_or_say(dir, "cpu.cfs_quota_us", text) < 0)
				return -1;
		}
	}
	if (!cpus && !mems)
		return 0;
	if (!container_dir(p, "cpuset", dir, sizeof(dir)))
		return -1;
	if (cpus && write_or_say(dir, "cpuset.cpus", json_object_get_string(cpus)) < 0)
		return -1;
	return mems ? write_or_say(dir, "cpuset.mems", json_object_get_string(mems)) : 0;
}

/* Each hierarchy asked for holds a cgroup of the container's own: said
 * before anything is written. */
static int check_cgroups(const struct container_pids *p, json_object *mem, json_object *cpu)
{
	char dir[PATH_MAX];
	const char *missing = NULL;
	bool v2 = version_here() == 2;
	/* v2: a controller's files show only where the parent hands it down */
	if (mem && (!container_dir(p, "memory", dir, sizeof(dir)) || (v2 && !file_exists(dir, "memory.max"))))
		missing = "memory";
	else if ((get(cpu, "shares") || get(cpu, "quota") || get(cpu, "period")) &&
		 (!container_dir(p, "cpu", dir, sizeof(dir)) || (v2 && !file_exists(dir, "cpu.max"))))
		missing = "cpu";
	else if ((get(cpu, "cpus") || get(cpu, "mems")) &&
		 (!container_dir(p, "cpuset", dir, sizeof(dir)) || !file_exists(dir, "cpuset.cpus")))
		missing = "cpuset";
	if (!missing)
		return 0;
	const char *why = v2 ? "no linux.cgroupsPath, or the controller is not enabled for it"
			     : "its config.json has no linux.cgroupsPath";
	if (!v2 && strcmp(missing, "cpuset") == 0)
		why = "no linux.cgroupsPath, or no cpuset hierarchy is mounted here";
	oci_error("update: the container has no %s cgroup of its own (%s)", missing, why);
	return -1;
}

int cgroup_update(const struct container_pids *p, json_object *res, bool check_only)
{
	json_object *mem = get(res, "memory"), *cpu = get(res, "cpu");
	if (check_only)
		return check_supported(res) < 0 || check_cgroups(p, mem, cpu) < 0 ? -1 : 0;
	if (mem && update_memory(p, mem) < 0)
		return -1;
	return cpu ? update_cpu(p, cpu) : 0;
}
