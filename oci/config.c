/* config.json (the OCI runtime spec's config) into the sentry's command
 * line. Every field is either honoured, taken over by the sandbox's own
 * version of it (a --debug line), or refused with one line. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "oci.h"

void argv_add(struct argv *a, const char *fmt, ...)
{
	if (a->n + 2 > a->cap) {
		a->cap = a->cap ? a->cap * 2 : 32;
		a->v = realloc(a->v, (size_t)a->cap * sizeof(char *));
		if (!a->v) {
			oci_error("out of memory");
			exit(1);
		}
	}
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&a->v[a->n], fmt, ap) < 0) {
		oci_error("out of memory");
		exit(1);
	}
	va_end(ap);
	a->v[++a->n] = NULL;
}

static json_object *field(json_object *o, const char *name)
{
	json_object *v;
	return o && json_object_object_get_ex(o, name, &v) ? v : NULL;
}

static const char *string_field(json_object *o, const char *name)
{
	json_object *v = field(o, name);
	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static size_t array_len(json_object *a)
{
	return a && json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

static bool has_option(json_object *mount, const char *option)
{
	json_object *options = field(mount, "options");
	for (size_t i = 0; i < array_len(options); i++)
		if (strcmp(json_object_get_string(json_object_array_get_idx(options, i)), option) == 0)
			return true;
	return false;
}

static const struct {
	const char *name;
	int resource;
} rlimit_names[] = {
	{ "RLIMIT_AS", RLIMIT_AS }, { "RLIMIT_CORE", RLIMIT_CORE }, { "RLIMIT_CPU", RLIMIT_CPU },
	{ "RLIMIT_DATA", RLIMIT_DATA }, { "RLIMIT_FSIZE", RLIMIT_FSIZE }, { "RLIMIT_LOCKS", RLIMIT_LOCKS },
	{ "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK }, { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE }, { "RLIMIT_NICE", RLIMIT_NICE },
	{ "RLIMIT_NOFILE", RLIMIT_NOFILE }, { "RLIMIT_NPROC", RLIMIT_NPROC }, { "RLIMIT_RSS", RLIMIT_RSS },
	{ "RLIMIT_RTPRIO", RLIMIT_RTPRIO }, { "RLIMIT_RTTIME", RLIMIT_RTTIME }, { "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
	{ "RLIMIT_STACK", RLIMIT_STACK },
};

static int load_process(json_object *process, struct container_config *cfg)
{
	json_object *args = field(process, "args");
	if (array_len(args) == 0) {
		oci_error("config.json: process.args is empty");
		return -1;
	}
	const char *cwd = string_field(process, "cwd");
	if (cwd && cwd[0] != '/') {
		oci_error("config.json: process.cwd must be an absolute path, not %s", cwd);
		return -1;
	}
	argv_add(&cfg->sentry, "--cwd=%s", cwd ? cwd : "/");
	/* exactly the environment given, nothing of ours */
	argv_add(&cfg->sentry, "--clear-env");
	json_object *env = field(process, "env");
	for (size_t i = 0; i < array_len(env); i++) {
		const char *e = json_object_get_string(json_object_array_get_idx(env, i));
		if (!strchr(e, '=') || e[0] == '=') {
			oci_error("config.json: process.env entry %s is not NAME=VALUE", e);
			return -1;
		}
		argv_add(&cfg->sentry, "--env=%s", e);
	}
	json_object *user = field(process, "user");
	if (user) {
		if (string_field(user, "username")) {
			oci_error("config.json: process.user.username is for Windows; give uid and gid");
			return -1;
		}
		json_object *groups = field(user, "additionalGids");
		struct argv spec = { 0 };
		argv_add(&spec, "%u:%u", (unsigned)json_object_get_int64(field(user, "uid")),
			 (unsigned)json_object_get_int64(field(user, "gid")));
		for (size_t i = 0; i < array_len(groups); i++)
			argv_add(&spec, "%s%u", i ? "," : ":", (unsigned)json_object_get_int64(json_object_array_get_idx(groups, i)));
		char joined[4096] = "";
		for (int i = 0; i < spec.n; i++)
			strncat(joined, spec.v[i], sizeof(joined) - strlen(joined) - 1);
		argv_add(&cfg->sentry, "--user=%s", joined);
		if (field(user, "umask")) {
			cfg->has_umask = true;
			cfg->umask = (mode_t)json_object_get_int(field(user, "umask")) & 0777;
		}
	}
	cfg->terminal = json_object_get_boolean(field(process, "terminal"));
	json_object *size = field(process, "consoleSize");
	cfg->rows = (unsigned)json_object_get_int(field(size, "height"));
	cfg->cols = (unsigned)json_object_get_int(field(size, "width"));
	json_object *rlimits = field(process, "rlimits");
	for (size_t i = 0; i < array_len(rlimits); i++) {
		json_object *r = json_object_array_get_idx(rlimits, i);
		const char *type = string_field(r, "type");
		int resource = -1;
		for (size_t j = 0; type && j < sizeof(rlimit_names) / sizeof(rlimit_names[0]); j++)
			if (strcmp(type, rlimit_names[j].name) == 0)
				resource = rlimit_names[j].resource;
		if (resource < 0 || cfg->nrlimits == (int)(sizeof(cfg->rlimits) / sizeof(cfg->rlimits[0]))) {
			oci_error("config.json: process.rlimits: unknown type %s", type ? type : "(none)");
			return -1;
		}
		struct rlimit_entry *e = &cfg->rlimits[cfg->nrlimits++];
		e->resource = resource;
		e->soft = (unsigned long long)json_object_get_uint64(field(r, "soft"));
		e->hard = (unsigned long long)json_object_get_uint64(field(r, "hard"));
	}
	json_object *caps = field(process, "capabilities");
	if (caps) {
		json_object *bounding = field(caps, "bounding");
		struct argv list = { 0 };
		for (size_t i = 0; i < array_len(bounding); i++)
			argv_add(&list, "%s%s", i ? "," : "", json_object_get_string(json_object_array_get_idx(bounding, i)));
		char joined[2048] = "";
		for (int i = 0; i < list.n; i++)
			strncat(joined, list.v[i], sizeof(joined) - strlen(joined) - 1);
		argv_add(&cfg->sentry, "--capabilities=%s", joined);
		if (array_len(field(caps, "ambient")))
			oci_warn("config.json: process.capabilities.ambient is not applied: a non-root workload starts with none");
	}
	json_object *oom = field(process, "oomScoreAdj");
	if (oom) {
		cfg->has_oom_score_adj = true;
		cfg->oom_score_adj = json_object_get_int(oom);
	}
	/* the sandbox's own versions of these, always on or stricter */
	if (!json_object_get_boolean(field(process, "noNewPrivileges")))
		oci_debug("process.noNewPrivileges false: the workload always has no_new_privs and no set-id exec");
	if (string_field(process, "apparmorProfile") || string_field(process, "selinuxLabel"))
		oci_debug("process.apparmorProfile/selinuxLabel: not applied; the sentry decides every call");
	return 0;
}

/* Destinations the sandbox always has a version of its own at. */
static const struct {
	const char *destination, *what;
} own_mounts[] = {
	{ "/proc", "the sandbox's own /proc" },
	{ "/dev", "the sandbox's own /dev" },
	{ "/dev/pts", "the sandbox's own ptys" },
	{ "/dev/shm", "the sandbox's own /dev/shm (in memory)" },
	{ "/dev/mqueue", "the sandbox's own POSIX message queues (served by the sentry)" },
	{ "/sys", "the sandbox's own read-only /sys (the CPUs, transparent huge pages)" },
	{ "/sys/fs/cgroup", "an empty folder of the sandbox's /sys: no cgroup file system inside" },
};

static int load_mounts(json_object *mounts, struct container_config *cfg)
{
	bool can_bind = false, asked = false;
	for (size_t i = 0; i < array_len(mounts); i++) {
		json_object *m = json_object_array_get_idx(mounts, i);
		const char *dest = string_field(m, "destination"), *type = string_field(m, "type");
		const char *source = string_field(m, "source");
		if (!dest || dest[0] != '/') {
			oci_error("config.json: mounts[%zu]: destination must be an absolute path", i);
			return -1;
		}
		bool own = false;
		for (size_t j = 0; j < sizeof(own_mounts) / sizeof(own_mounts[0]) && !own; j++)
			if (strcmp(dest, own_mounts[j].destination) == 0) {
				oci_debug("mount %s (%s): %s", dest, type ? type : "bind", own_mounts[j].what);
				own = true;
			}
		if (own)
			continue;
		bool bind = (type && strcmp(type, "bind") == 0) || has_option(m, "bind") || has_option(m, "rbind");
		if (bind) {
			if (!asked) {
				can_bind = sentry_has_option("--bind=");
				asked = true;
			}
			if (!can_bind) {
				oci_error("config.json: bind mount %s -> %s: this sentry has no --bind; bind mounts are not supported",
					  source ? source : "?", dest);
				return -1;
			}
			char resolved[PATH_MAX];
			if (!source || !realpath(source, resolved)) {
				oci_error("config.json: bind mount source %s: %s", source ? source : "(none)", strerror(errno));
				return -1;
			}
			argv_add(&cfg->sentry, "--bind=%s:%s%s", resolved, dest, has_option(m, "ro") ? ":ro" : "");
			continue;
		}
		if (type && strcmp(type, "tmpfs") == 0) {
			/* tmpfs's own options go to the sentry, which applies them */
			char opts[512] = "";
			json_object *options = field(m, "options");
			for (size_t j = 0; j < array_len(options); j++) {
				const char *o = json_object_get_string(json_object_array_get_idx(options, j));
				static const char *const keys[] = { "size=", "nr_inodes=", "mode=", "uid=", "gid=" };
				for (size_t k = 0; o && k < sizeof(keys) / sizeof(keys[0]); k++)
					if (strncmp(o, keys[k], strlen(keys[k])) == 0 && strlen(opts) + strlen(o) + 2 < sizeof(opts))
						snprintf(opts + strlen(opts), sizeof(opts) - strlen(opts), "%s%s", *opts ? "," : ":", o);
			}
			argv_add(&cfg->sentry, "--tmpfs=%s%s", dest, opts);
			continue;
		}
		oci_error("config.json: mount of type %s at %s is not supported (bind, tmpfs, and the sandbox's own /proc, /dev, /dev/pts, /dev/shm, /dev/mqueue, /sys, /sys/fs/cgroup are)",
			  type ? type : "(none)", dest);
		return -1;
	}
	return 0;
}

static int load_linux(json_object *linux_, struct container_config *cfg)
{
	json_object *namespaces = field(linux_, "namespaces");
	for (size_t i = 0; i < array_len(namespaces); i++) {
		json_object *ns = json_object_array_get_idx(namespaces, i);
		const char *type = string_field(ns, "type"), *path = string_field(ns, "path");
		if (type && strcmp(type, "network") == 0 && path && rootless()) {
			/* the sentry makes sockets there by entering it and going
			 * back, which it cannot do to the host's namespace without
			 * root of the host: it starts in the namespace instead */
			cfg->join_netns = path;
			argv_add(&cfg->sentry, "--netns=/proc/self/ns/net");
		} else if (type && strcmp(type, "network") == 0 && path)
			argv_add(&cfg->sentry, "--netns=%s", path);
		else if (type && strcmp(type, "network") == 0) {
			/* as runc: a new one, where the sentry runs, so prestart
			 * hooks that configure the state pid's (Docker's) reach it */
			cfg->new_netns = true;
			argv_add(&cfg->sentry, "--netns=/proc/self/ns/net");
		}
		else if (type && strcmp(type, "user") == 0) {
			/* a rootless engine runs us in its user namespace already;
			 * the workload's ids are the emulated ones of process.user */
			if (path && !user_namespace_is_ours(path)) {
				oci_error("config.json: the user namespace at %s is not the one sentry-runc runs in: joining another is not supported",
					  path);
				return -1;
			}
			oci_debug("namespace user%s%s: the sandbox emulates the ids of process.user in the user namespace it runs in",
				  path ? " at " : "", path ? path : "");
		} else if (path)
			oci_debug("namespace %s at %s: the sandbox has its own", type ? type : "?", path);
	}
	/* The workload's own ids are process.user's, emulated; the mappings
	 * say which owner a host file shows inside (--id-map) */
	static const char *const mapping_names[] = { "uidMappings", "gidMappings" };
	bool can_map = sentry_has_option("--id-map=");
	for (int m = 0; m < 2; m++) {
		json_object *mappings = field(linux_, mapping_names[m]);
		for (size_t i = 0; i < array_len(mappings); i++) {
			json_object *e = json_object_array_get_idx(mappings, i);
			long long inside = json_object_get_int64(field(e, "containerID")), outside = json_object_get_int64(field(e, "hostID"));
			long long size = json_object_get_int64(field(e, "size"));
			if (!can_map && inside != outside) {
				oci_error("config.json: linux.%s maps %lld to %lld: this sentry has no --id-map, and shows files with the owners they have where sentry-runc runs",
					  mapping_names[m], inside, outside);
				return -1;
			}
			if (can_map)
				argv_add(&cfg->sentry, "--id-map=%c:%lld:%lld:%lld", m == 0 ? 'u' : 'g', inside, outside, size);
		}
	}
	json_object *resources = field(linux_, "resources");
	const char *cgroups_path = string_field(linux_, "cgroupsPath");
	json_object *memory = field(resources, "memory"), *pids = field(resources, "pids"), *cpu = field(resources, "cpu");
	long long memory_limit = memory ? json_object_get_int64(field(memory, "limit")) : 0;
	long long pids_limit = pids ? json_object_get_int64(field(pids, "limit")) : 0;
	long long quota = cpu ? json_object_get_int64(field(cpu, "quota")) : 0;
	long long period = cpu ? json_object_get_int64(field(cpu, "period")) : 0;
	/* docker and podman --cpuset-cpus/--cpuset-mems */
	const char *cpuset_cpus = cpu ? string_field(cpu, "cpus") : NULL, *cpuset_mems = cpu ? string_field(cpu, "mems") : NULL;
	bool cpuset = (cpuset_cpus && *cpuset_cpus) || (cpuset_mems && *cpuset_mems);
	bool limited = memory_limit > 0 || pids_limit > 0 || (quota > 0 && period > 0) || cpuset;
	if (limited && rootless_without_cgroups()) {
		/* the sentry counts tasks itself; the rest needs a cgroup */
		if (memory_limit > 0 || (quota > 0 && period > 0) || cpuset) {
			oci_error("config.json: linux.resources memory, cpu quota and cpuset need a cgroup, which a rootless runtime cannot have on cgroup v1 (rootless podman drops them there)");
			return -1;
		}
		argv_add(&cfg->sentry, "--pids-limit=%lld", pids_limit);
		limited = false;
	}
	if (cgroups_path && rootless_without_cgroups()) {
		oci_debug("linux.cgroupsPath %s: rootless on cgroup v1, no cgroup of the container's own (no pause, no update of memory or cpu)",
			  cgroups_path);
		cgroups_path = NULL;
	}
	/* with a cgroupsPath the workload has a cgroup of its own even
	 * without limits: pause freezes it, update writes into it */
	if (limited && !sentry_has_option("--cgroup=")) {
		oci_warn("config.json: linux.resources (memory, pids, cpu) are not applied: this sentry has no cgroup limits");
	} else if (limited || (cgroups_path && sentry_has_option("--cgroup="))) {
		char slice[256], prefix[256], name[256];
		/* systemd's "slice:prefix:name" is the scope prefix-name.scope
		 * below the slice; the sentry makes it as a plain path */
		if (cgroups_path && rt.systemd_cgroup &&
		    sscanf(cgroups_path, "%255[^:]:%255[^:]:%255s", slice, prefix, name) == 3)
			argv_add(&cfg->sentry, "--cgroup=/%s/%s-%s.scope", slice, prefix, name);
		else if (cgroups_path)
			argv_add(&cfg->sentry, "--cgroup=%s", cgroups_path);
		if (memory_limit > 0)
			argv_add(&cfg->sentry, "--process-memory=%lld", memory_limit);
		if (pids_limit > 0)
			argv_add(&cfg->sentry, "--pids-limit=%lld", pids_limit);
		if (quota > 0 && period > 0)
			argv_add(&cfg->sentry, "--cpus=%g", (double)quota / (double)period);
		if (cpuset && !sentry_has_option("--cpuset-cpus="))
			oci_warn("config.json: linux.resources.cpu.cpus and mems are not applied: this sentry has no --cpuset-cpus");
		else if (cpuset_cpus && *cpuset_cpus)
			argv_add(&cfg->sentry, "--cpuset-cpus=%s", cpuset_cpus);
		if (cpuset && sentry_has_option("--cpuset-mems=") && cpuset_mems && *cpuset_mems)
			argv_add(&cfg->sentry, "--cpuset-mems=%s", cpuset_mems);
	}
	if (field(linux_, "seccomp") || array_len(field(linux_, "maskedPaths")) || array_len(field(linux_, "readonlyPaths")))
		oci_debug("linux.seccomp, maskedPaths, readonlyPaths: the sentry's own filter and file system decide");
	json_object *sysctl = field(linux_, "sysctl");
	if (sysctl && json_object_is_type(sysctl, json_type_object)) {
		json_object_object_foreach(sysctl, key, value)
		{
			/* ping sockets stay refused inside whatever the range */
			if (strcmp(key, "net.ipv4.ping_group_range") == 0)
				oci_debug("linux.sysctl %s: ping sockets are refused inside", key);
			else /* the sentry refuses a key it does not emulate, with one line */
				argv_add(&cfg->sentry, "--sysctl=%s=%s", key, json_object_get_string(value));
		}
	}
	return 0;
}

static int load_annotations(json_object *annotations, struct container_config *cfg)
{
	const char *allow = string_field(annotations, "dev.sentry.allow-net");
	for (const char *s = allow; s && *s;) {
		size_t len = strcspn(s, ", ");
		if (len)
			argv_add(&cfg->sentry, "--allow-net=%.*s", (int)len, s);
		s += len + (s[len] != 0);
	}
	const char *platform = string_field(annotations, "dev.sentry.platform");
	if (platform)
		argv_add(&cfg->sentry, "--platform=%s", platform);
	const char *audit = string_field(annotations, "dev.sentry.audit");
	if (audit)
		argv_add(&cfg->sentry, "--audit=%s", audit);
	const char *memory = string_field(annotations, "dev.sentry.memory-limit");
	if (memory)
		argv_add(&cfg->sentry, "--memory-limit=%s", memory);
	if (!annotations || !json_object_is_type(annotations, json_type_object))
		return 0;
	json_object_object_foreach(annotations, key, value)
	{
		(void)value;
		if (strncmp(key, "dev.sentry.", 11) == 0 && strcmp(key, "dev.sentry.allow-net") != 0 &&
		    strcmp(key, "dev.sentry.platform") != 0 && strcmp(key, "dev.sentry.audit") != 0 &&
		    strcmp(key, "dev.sentry.memory-limit") != 0) {
			oci_error("config.json: unknown annotation %s (dev.sentry.allow-net, platform, audit, memory-limit are known)", key);
			return -1;
		}
	}
	return 0;
}

int config_load(const char *bundle, struct container_config *cfg)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/config.json", bundle);
	cfg->json = json_object_from_file(path);
	if (!cfg->json) {
		oci_error("cannot read %s: %s", path, json_util_get_last_err());
		return -1;
	}
	json_object *root = field(cfg->json, "root");
	const char *root_path = string_field(root, "path");
	if (!root_path) {
		oci_error("config.json: root.path is missing");
		return -1;
	}
	char joined[PATH_MAX];
	snprintf(joined, sizeof(joined), "%s%s%s", root_path[0] == '/' ? "" : bundle, root_path[0] == '/' ? "" : "/", root_path);
	cfg->rootfs = realpath(joined, NULL);
	struct stat st;
	if (!cfg->rootfs || stat(cfg->rootfs, &st) < 0 || !S_ISDIR(st.st_mode)) {
		oci_error("config.json: root.path %s is no folder", joined);
		return -1;
	}
	if (json_object_get_boolean(field(root, "readonly")))
		argv_add(&cfg->sentry, "--rootfs-readonly");
	argv_add(&cfg->sentry, "--rootfs=%s", cfg->rootfs);
	const char *hostname = string_field(cfg->json, "hostname");
	if (hostname && hostname[0])
		argv_add(&cfg->sentry, "--hostname=%s", hostname);
	json_object *process = field(cfg->json, "process");
	if (!process) {
		oci_error("config.json: no process");
		return -1;
	}
	if (load_process(process, cfg) < 0 || load_mounts(field(cfg->json, "mounts"), cfg) < 0 ||
	    load_linux(field(cfg->json, "linux"), cfg) < 0 || load_annotations(field(cfg->json, "annotations"), cfg) < 0)
		return -1;
	json_object *hooks = field(cfg->json, "hooks");
	if (array_len(field(hooks, "createContainer")) || array_len(field(hooks, "startContainer"))) {
		oci_error("config.json: hooks createContainer and startContainer (run inside the container) are not supported");
		return -1;
	}
	return 0;
}

/* A hook's argv and env as the spec gives them: args[0] is argv[0]. */
int hooks_run(json_object *config, const char *name, const char *state_json)
{
	json_object *list = field(field(config, "hooks"), name);
	for (size_t i = 0; i < array_len(list); i++) {
		json_object *hook = json_object_array_get_idx(list, i);
		const char *path = string_field(hook, "path");
		json_object *args = field(hook, "args"), *env = field(hook, "env");
		int timeout = json_object_get_int(field(hook, "timeout"));
		if (!path) {
			oci_error("hooks.%s[%zu]: no path", name, i);
			return -1;
		}
		struct argv av = { 0 }, ev = { 0 };
		for (size_t j = 0; j < array_len(args); j++)
			argv_add(&av, "%s", json_object_get_string(json_object_array_get_idx(args, j)));
		if (av.n == 0)
			argv_add(&av, "%s", path);
		argv_add(&ev, "%s", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
		ev.n = 0; /* only what the hook's env gives */
		ev.v[0] = NULL;
		for (size_t j = 0; j < array_len(env); j++)
			argv_add(&ev, "%s", json_object_get_string(json_object_array_get_idx(env, j)));
		int in[2];
		if (pipe(in) < 0) {
			oci_error("hooks.%s: pipe: %s", name, strerror(errno));
			return -1;
		}
		pid_t pid = fork();
		if (pid == 0) {
			dup2(in[0], 0);
			close(in[0]);
			close(in[1]);
			if (timeout > 0)
				alarm((unsigned)timeout); /* kept across exec: the hook dies of SIGALRM */
			execve(path, av.v, ev.v);
			dprintf(2, "sentry-runc: hooks.%s %s: %s\n", name, path, strerror(errno));
			_exit(127);
		}
		close(in[0]);
		if (pid > 0) {
			size_t len = strlen(state_json);
			signal(SIGPIPE, SIG_IGN);
			ssize_t n = write(in[1], state_json, len); /* a hook need not read it all */
			(void)n;
		}
		close(in[1]);
		int status = 0;
		while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			oci_error("hooks.%s %s failed (%s %d)", name, path,
				  pid < 0 ? "fork" : WIFSIGNALED(status) ? "signal" : "exit status",
				  pid < 0 ? errno : WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
			return -1;
		}
	}
	return 0;
}
