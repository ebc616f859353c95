/* Rootless engines (podman run by an unprivileged user): they start the
 * runtime inside a user namespace of their own, as its uid 0, where it may
 * make namespaces and mounts but owns no host resource, such as a cgroup
 * v1 hierarchy. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "oci.h"

/* The initial user namespace maps every id to itself: "0 0 4294967295". */
static bool in_initial_user_namespace(void)
{
	FILE *f = fopen("/proc/self/uid_map", "re");
	if (!f)
		return true; /* a kernel without user namespaces */
	unsigned long inside, outside, count;
	int fields = fscanf(f, "%lu %lu %lu", &inside, &outside, &count);
	bool whole = fields == 3 && inside == 0 && outside == 0 && count == 4294967295UL;
	bool more = whole && fscanf(f, "%lu", &inside) == 1;
	fclose(f);
	return whole && !more;
}

bool rootless(void)
{
	static int known = -1;
	if (known < 0)
		known = geteuid() != 0 || !in_initial_user_namespace();
	return known;
}

const char *rootless_state_root(void)
{
	static char root[4096];
	const char *runtime_dir = getenv("XDG_RUNTIME_DIR");
	if (!rootless() || !runtime_dir || runtime_dir[0] != '/')
		return NULL;
	snprintf(root, sizeof(root), "%s/sentry-runc", runtime_dir);
	return root;
}

bool user_namespace_is_ours(const char *path)
{
	struct stat theirs, ours;
	return stat(path, &theirs) == 0 && stat("/proc/self/ns/user", &ours) == 0 && theirs.st_dev == ours.st_dev &&
	       theirs.st_ino == ours.st_ino;
}

bool rootless_without_cgroups(void)
{
	/* v2 may be delegated to the user (systemd's user@.service); a v1
	 * hierarchy is root's alone */
	return rootless() && access("/sys/fs/cgroup/cgroup.controllers", F_OK) != 0;
}

int join_network_namespace(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
		oci_error("cannot enter the network namespace %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}
