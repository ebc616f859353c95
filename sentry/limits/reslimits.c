#define _GNU_SOURCE
#include "reslimits.h"
#include "units.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "hostfile.h"
#include "sandbox.h"
#include "spawn.h"

/* CFS's period: a quota of --cpus x this per period. */
#define CPU_PERIOD_US 100000

/* RLIMIT_CPU counts whole seconds. */
static rlim_t whole_seconds(double seconds)
{
	rlim_t whole = (rlim_t)seconds;
	return (double)whole < seconds ? whole + 1 : whole;
}

static struct {
	/* asked for; 0 or NULL when not */
	long pids;
	double cpu_time;
	unsigned long long memory;
	const char *memory_text;
	long open_files;
	double cpus;
	const char *cpuset_cpus, *cpuset_mems;
	const char *cgroup_path;
	const char *report_path;
	/* how each is applied: "cgroup-v1", "cgroup-v2", "rlimit", "sentry" */
	const char *how_memory, *how_cpu_time, *how_cpus, *how_cpuset;
	struct cgroup *cg;
	int report_fd;
	int verbose;
	bool finished;
	struct timespec started;
	/* tasks: those registered, plus a clone let run whose new task the
	 * kernel has not reported yet, one per thread that made it */
	pid_t *pending;
	size_t npending;
	bool limit_said;
	/* the CPU-time watch of a cgroup */
	pthread_t watcher;
	bool watching;
	atomic_bool stop_watching;
	atomic_bool cpu_spent;
	_Atomic uint64_t cpu_limit_ns; /* what the watch compares with */
	char memory_lowered[32];
	/* lowered after the start: set in each exec'd command (control.c) */
	bool exec_cpu_lowered, exec_files_lowered;
	int first_pidfd;
} lim = { .report_fd = -1, .first_pidfd = -1 };

/* A plain positive number ("2", "0.5"): no sign, exponent, hex or inf. */
static double parse_positive(const char *text, double max)
{
	char *end;
	errno = 0;
	if (!text[0] || strspn(text, "0123456789.") != strlen(text))
		return -1;
	double v = strtod(text, &end);
	return errno || *end || !(v > 0) || v > max ? -1 : v;
}

static long parse_count(const char *text, long max)
{
	char *end;
	errno = 0;
	if (!text[0] || strspn(text, "0123456789") != strlen(text))
		return -1;
	long v = strtol(text, &end, 10);
	return errno || *end || v < 1 || v > max ? -1 : v;
}

/* The kernel's list syntax: "0", "0-3", "0,2-3"; whether the numbers
 * exist is the kernel's to say. */
static bool good_cpu_list(const char *list)
{
	if (!list[0] || strlen(list) > 1024)
		return false;
	for (const char *p = list; *p;) {
		size_t first = strspn(p, "0123456789");
		if (!first)
			return false;
		p += first;
		if (*p == '-') {
			size_t last = strspn(p + 1, "0123456789");
			if (!last)
				return false;
			p += 1 + last;
		}
		if (*p == ',' && p[1])
			p++;
		else if (*p)
			return false;
	}
	return true;
}

/* An absolute path of names, none "." or "..", and not the root itself. */
static bool good_cgroup_path(const char *path)
{
	if (path[0] != '/' || strlen(path) >= 1024)
		return false;
	bool named = false;
	for (const char *p = path; *p; p += strcspn(p, "/") + (p[strcspn(p, "/")] == '/')) {
		size_t len = strcspn(p, "/");
		if ((len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		named |= len > 0;
	}
	return named;
}

const char *limits_option(const char *name, const char *value)
{
	if (strcmp(name, "pids-limit") == 0) {
		lim.pids = parse_count(value, 1 << 22);
		return lim.pids > 0 ? NULL : "--pids-limit takes a number of tasks from 1 to 4194304, not";
	}
	if (strcmp(name, "cpu-time") == 0) {
		lim.cpu_time = parse_positive(value, 1e7);
		return lim.cpu_time > 0 ? NULL : "--cpu-time takes a number of seconds (such as 10 or 0.5), not";
	}
	if (strcmp(name, "process-memory") == 0) {
		long long bytes = units_size(value);
		lim.memory = bytes > 0 ? (unsigned long long)bytes : 0;
		lim.memory_text = value;
		return lim.memory >= 4096 ? NULL : "--process-memory takes a size such as 256M (at least 4K), not";
	}
	if (strcmp(name, "max-open-files") == 0) {
		lim.open_files = parse_count(value, 1 << 20);
		return lim.open_files > 0 ? NULL : "--max-open-files takes a number from 1 to 1048576, not";
	}
	if (strcmp(name, "cpus") == 0) {
		lim.cpus = parse_positive(value, 4096);
		return lim.cpus >= 0.01 ? NULL : "--cpus takes a number of CPUs such as 1.5 (at least 0.01), not";
	}
	if (strcmp(name, "cpuset-cpus") == 0) {
		lim.cpuset_cpus = value;
		return good_cpu_list(value) ? NULL : "--cpuset-cpus takes a list of CPUs such as 0, 0-1 or 0,2, not";
	}
	if (strcmp(name, "cpuset-mems") == 0) {
		lim.cpuset_mems = value;
		return good_cpu_list(value) ? NULL : "--cpuset-mems takes a list of memory nodes such as 0 or 0-1, not";
	}
	if (strcmp(name, "cgroup") == 0) {
		lim.cgroup_path = value;
		return good_cgroup_path(value) ? NULL
					       : "--cgroup takes an absolute path below the cgroup root, without . or .., not";
	}
	if (strcmp(name, "report") == 0) {
		lim.report_path = value;
		return value[0] ? NULL : "--report takes a file name, not";
	}
	return "unknown limit";
}

bool limits_counting_tasks(void) { return lim.pids > 0; }

int limits_set_pids(long n)
{
	/* the filter sends every clone to the sentry only when counting from the start */
	if (!lim.pids)
		return -ENOTSUP;
	if (n < 1 || n > 1 << 22)
		n = 1 << 22; /* no limit: as many as Linux's pid space holds */
	lim.pids = n;
	lim.limit_said = false;
	return 0;
}

static int apply_memory(void);

const char *limits_lower(const struct limits_lowered *to)
{
	bool memory_cgroup = lim.how_memory && strcmp(lim.how_memory, "rlimit") != 0;
	if (to->memory && !memory_cgroup)
		return "memory= lowers the memory cgroup's limit, and the sandbox started without one (no --process-memory, or RLIMIT_AS)";
	if (to->memory && (to->memory < 4096 || to->memory > lim.memory))
		return "memory= takes bytes from 4096 up to the sandbox's --process-memory";
	if (to->cpu_time && !lim.cpu_time)
		return "cpu= lowers --cpu-time, and the sandbox started without one";
	if (to->cpu_time && (to->cpu_time < 0.001 || to->cpu_time > lim.cpu_time))
		return "cpu= takes seconds up to the sandbox's --cpu-time";
	if (to->open_files && !lim.open_files)
		return "files= lowers --max-open-files, and the sandbox started without one";
	if (to->open_files && (to->open_files < 1 || to->open_files > lim.open_files))
		return "files= takes a number of files from 1 up to the sandbox's --max-open-files";
	if (to->memory && to->memory < lim.memory) {
		unsigned long long before = lim.memory;
		lim.memory = to->memory;
		if (apply_memory() < 0) {
			lim.memory = before;
			return "the memory cgroup refused the lower limit";
		}
		snprintf(lim.memory_lowered, sizeof(lim.memory_lowered), "%llu", lim.memory);
		lim.memory_text = lim.memory_lowered;
	}
	if (to->cpu_time && to->cpu_time < lim.cpu_time) {
		lim.cpu_time = to->cpu_time;
		atomic_store(&lim.cpu_limit_ns, (uint64_t)(lim.cpu_time * 1e9));
		lim.exec_cpu_lowered = strcmp(lim.how_cpu_time, "rlimit") == 0;
	}
	if (to->open_files && to->open_files < lim.open_files) {
		lim.open_files = to->open_files;
		lim.exec_files_lowered = true;
	}
	return NULL;
}

void limits_exec_rlimits(unsigned long long *cpu_seconds, long *open_files)
{
	*cpu_seconds = lim.exec_cpu_lowered ? (unsigned long long)whole_seconds(lim.cpu_time) : 0;
	*open_files = lim.exec_files_lowered ? lim.open_files : 0;
}

static const char *cgroup_how(void) { return cgroup_version(lim.cg) == 2 ? "cgroup-v2" : "cgroup-v1"; }

static int write_number(enum cgroup_controller ctrl, const char *file, unsigned long long value)
{
	char text[32];
	snprintf(text, sizeof(text), "%llu", value);
	return cgroup_write(lim.cg, ctrl, file, text);
}

/* v1 counts memory and memory+swap apart; the second never below the
 * first, so a lower one goes first when lowering. */
static int apply_memory(void)
{
	if (cgroup_version(lim.cg) == 2) {
		int r = write_number(CG_MEMORY, "memory.max", lim.memory);
		if (!r && cgroup_file_exists(lim.cg, CG_MEMORY, "memory.swap.max"))
			r = cgroup_write(lim.cg, CG_MEMORY, "memory.swap.max", "0");
		return r;
	}
	bool memsw = cgroup_file_exists(lim.cg, CG_MEMORY, "memory.memsw.limit_in_bytes");
	int r = write_number(CG_MEMORY, "memory.limit_in_bytes", lim.memory);
	if (r == -EINVAL && memsw) {
		r = write_number(CG_MEMORY, "memory.memsw.limit_in_bytes", lim.memory);
		if (!r)
			r = write_number(CG_MEMORY, "memory.limit_in_bytes", lim.memory);
	}
	if (!r && memsw)
		r = write_number(CG_MEMORY, "memory.memsw.limit_in_bytes", lim.memory);
	return r;
}

static int apply_cpus(void)
{
	unsigned long long quota = (unsigned long long)(lim.cpus * CPU_PERIOD_US + 0.5);
	if (cgroup_version(lim.cg) == 2) {
		char text[64];
		snprintf(text, sizeof(text), "%llu %d", quota, CPU_PERIOD_US);
		return cgroup_write(lim.cg, CG_CPU, "cpu.max", text);
	}
	int r = write_number(CG_CPU, "cpu.cfs_period_us", CPU_PERIOD_US);
	return r ? r : write_number(CG_CPU, "cpu.cfs_quota_us", quota);
}

static int fail(const char *option, const char *what, int err)
{
	sentry_log("%s: %s: %s", option, what, strerror(-err));
	cgroup_close(lim.cg);
	lim.cg = NULL;
	return -1;
}

/* Parses a list ("0-1,3") into set: false when it is not one. */
static bool parse_list(const char *list, cpu_set_t *set)
{
	CPU_ZERO(set);
	for (const char *p = list; *p;) {
		char *end;
		unsigned long first = strtoul(p, &end, 10), last = first;
		if (end == p)
			return false;
		if (*end == '-')
			last = strtoul(end + 1, &end, 10);
		for (unsigned long cpu = first; cpu <= last && cpu < CPU_SETSIZE; cpu++)
			CPU_SET(cpu, set);
		p = *end == ',' ? end + 1 : end;
		if (*p && end[0] != ',')
			return false;
	}
	return CPU_COUNT(set) > 0;
}

bool limits_workload_cpus(cpu_set_t *set)
{
	if (!lim.cg || !cgroup_has(lim.cg, CG_CPUSET))
		return false;
	char list[4096];
	bool v2 = cgroup_version(lim.cg) == 2;
	int r = cgroup_read_text(lim.cg, CG_CPUSET, v2 ? "cpuset.cpus.effective" : "cpuset.effective_cpus", list,
				 sizeof(list));
	if (r < 0 && !v2)
		r = cgroup_read_text(lim.cg, CG_CPUSET, "cpuset.cpus", list, sizeof(list));
	return r == 0 && parse_list(list, set);
}

/* cpus before mems: v1 checks each against the other's parent only. */
static int apply_cpuset(void)
{
	if (!cgroup_has(lim.cg, CG_CPUSET) || !cgroup_file_exists(lim.cg, CG_CPUSET, "cpuset.cpus"))
		return fail("--cpuset-cpus/--cpuset-mems", "the cgroup has no cpuset controller here", -ENOENT);
	char said[1100];
	int r = 0;
	if (lim.cpuset_cpus && (r = cgroup_write(lim.cg, CG_CPUSET, "cpuset.cpus", lim.cpuset_cpus)) < 0)
		snprintf(said, sizeof(said), "--cpuset-cpus=%s", lim.cpuset_cpus);
	else if (lim.cpuset_mems && (r = cgroup_write(lim.cg, CG_CPUSET, "cpuset.mems", lim.cpuset_mems)) < 0)
		snprintf(said, sizeof(said), "--cpuset-mems=%s", lim.cpuset_mems);
	if (r < 0)
		return fail(said, "the kernel refuses it for the workload's cgroup (a CPU or node that is not there, or not its parent's)", r);
	/* v2 takes CPUs its parent lacks, and gives the parent's instead */
	cpu_set_t asked, given, both;
	if (lim.cpuset_cpus && cgroup_version(lim.cg) == 2 && parse_list(lim.cpuset_cpus, &asked) &&
	    limits_workload_cpus(&given)) {
		CPU_AND(&both, &asked, &given);
		if (!CPU_EQUAL(&both, &given)) {
			snprintf(said, sizeof(said), "--cpuset-cpus=%s", lim.cpuset_cpus);
			return fail(said, "the workload's cgroup would run on CPUs outside the list (not its parent's)", -EINVAL);
		}
	}
	lim.how_cpuset = cgroup_how();
	return 0;
}

/* The workload's CPU time so far, in ns, from the cgroup. */
static int cgroup_cpu_ns(uint64_t *ns)
{
	if (cgroup_version(lim.cg) == 2) {
		uint64_t us;
		int r = cgroup_read_u64(lim.cg, CG_CPU, "cpu.stat", "usage_usec", &us);
		*ns = us * 1000;
		return r;
	}
	return cgroup_read_u64(lim.cg, CG_CPUACCT, "cpuacct.usage", NULL, ns);
}


static int open_report(void)
{
	int fd = hostfile_open(lim.report_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		sentry_log("--report %s: %s", lim.report_path, hostfile_error(fd));
		return -1;
	}
	lim.report_fd = fd;
	return 0;
}

int limits_prepare(int verbose)
{
	lim.verbose = verbose;
	if (lim.report_path && open_report() < 0)
		return -1;
	if (lim.pids && verbose)
		sentry_log("--pids-limit=%ld: counted by the sentry (clone, fork and vfork past it fail with EAGAIN)",
			   lim.pids);
	bool cpuset = lim.cpuset_cpus || lim.cpuset_mems;
	if (!lim.cgroup_path && !lim.memory && !lim.cpus && !lim.cpu_time && !cpuset)
		return 0;
	/* with --cgroup, in its cpuset too where there is one, for an OCI
	 * runtime's update to write into later */
	enum cgroup_cpuset in_cpuset = cpuset ? CGROUP_CPUSET_MUST : lim.cgroup_path ? CGROUP_CPUSET_TRY : CGROUP_CPUSET_NO;
	const char *where = NULL;
	int r = cgroup_open(lim.cgroup_path, in_cpuset, &lim.cg, &where);
	if (r < 0) {
		if (lim.cgroup_path)
			return fail("--cgroup", where, r);
		if (cpuset)
			return fail("--cpuset-cpus/--cpuset-mems need a cgroup (cpuset controller), and none is usable here",
				    where, r);
		if (lim.cpus)
			return fail("--cpus needs a cgroup (cpu controller), and none is usable here", where, r);
		if (verbose)
			sentry_log("no usable cgroup (%s: %s): limits are rlimits of each process", where, strerror(-r));
	} else if (verbose) {
		sentry_log("cgroup v%d %s: the workload's processes go there", cgroup_version(lim.cg), cgroup_path(lim.cg));
	}
	if (lim.memory && lim.cg) {
		r = cgroup_has(lim.cg, CG_MEMORY) ? apply_memory() : -ENOENT;
		if (r < 0)
			return fail("--process-memory", "cannot set the cgroup's memory limit", r);
		lim.how_memory = cgroup_how();
	} else if (lim.memory) {
		lim.how_memory = "rlimit";
		if (verbose)
			sentry_log("--process-memory: no memory cgroup, so RLIMIT_AS (address space) of each process");
	}
	if (lim.cpus) {
		r = cgroup_has(lim.cg, CG_CPU) ? apply_cpus() : -ENOENT;
		if (r < 0)
			return fail("--cpus", "cannot set the cgroup's CPU quota", r);
		lim.how_cpus = cgroup_how();
	}
	if (cpuset && apply_cpuset() < 0)
		return -1;
	uint64_t ns;
	if (lim.cpu_time && lim.cg && cgroup_cpu_ns(&ns) == 0) {
		lim.how_cpu_time = cgroup_how();
		if (verbose)
			sentry_log("--cpu-time: the cgroup's CPU usage, polled by the sentry");
	} else if (lim.cpu_time) {
		lim.how_cpu_time = "rlimit";
		if (verbose)
			sentry_log("--cpu-time: no cpuacct cgroup, so RLIMIT_CPU of each process (%llu s each)",
				   (unsigned long long)whole_seconds(lim.cpu_time));
	}
	return 0;
}

int limits_check_fds(int reserved)
{
	if (lim.open_files <= reserved)
		return 0;
	sentry_log("--max-open-files=%ld: the sandbox holds at most %d open files here (the sentry keeps its own above)",
		   lim.open_files, reserved);
	return -1;
}

/* v1's cpuset sets the affinity of a task that joins to all of its
 * CPUs: what the process was kept to before (--pin, taskset) stays, where
 * the cpuset allows it. */
static int enter_cgroup(void)
{
	cpu_set_t before, after;
	bool kept = cgroup_has(lim.cg, CG_CPUSET) && sched_getaffinity(0, sizeof(before), &before) == 0;
	int r = cgroup_enter(lim.cg);
	if (r < 0 || !kept || sched_getaffinity(0, sizeof(after), &after) < 0)
		return r;
	cpu_set_t both;
	CPU_AND(&both, &before, &after);
	if (CPU_COUNT(&both) && !CPU_EQUAL(&both, &after) && sched_setaffinity(0, sizeof(both), &both) < 0)
		return -errno;
	return 0;
}

int limits_enter_child(void)
{
	if (lim.cg) {
		int r = enter_cgroup();
		if (r < 0)
			return r;
	}
	if (lim.open_files) {
		struct rlimit nofile = { (rlim_t)lim.open_files, (rlim_t)lim.open_files };
		if (setrlimit(RLIMIT_NOFILE, &nofile) < 0)
			return -errno;
	}
	if (lim.how_memory && strcmp(lim.how_memory, "rlimit") == 0) {
		struct rlimit as = { (rlim_t)lim.memory, (rlim_t)lim.memory };
		if (setrlimit(RLIMIT_AS, &as) < 0)
			return -errno;
	}
	if (lim.how_cpu_time && strcmp(lim.how_cpu_time, "rlimit") == 0) {
		/* soft = hard: the kernel sends SIGKILL, not SIGXCPU first */
		rlim_t seconds = whole_seconds(lim.cpu_time);
		struct rlimit cpu = { seconds, seconds };
		if (setrlimit(RLIMIT_CPU, &cpu) < 0)
			return -errno;
	}
	return 0;
}

static void *watch_cpu_time(void *unused)
{
	(void)unused;
	uint64_t used;
	while (!atomic_load(&lim.stop_watching)) {
		if (cgroup_cpu_ns(&used) == 0 && used >= atomic_load(&lim.cpu_limit_ns)) {
			atomic_store(&lim.cpu_spent, true);
			/* the first process; the sentry then kills the rest, as
			 * for --timeout */
			syscall(SYS_pidfd_send_signal, lim.first_pidfd, SIGKILL, NULL, 0);
			break;
		}
		nanosleep(&(struct timespec){ 0, 20 * 1000 * 1000 }, NULL);
	}
	return NULL;
}

void limits_started(int first_pidfd)
{
	clock_gettime(CLOCK_MONOTONIC, &lim.started);
	lim.first_pidfd = first_pidfd;
	atomic_store(&lim.cpu_limit_ns, (uint64_t)(lim.cpu_time * 1e9));
	if (!lim.how_cpu_time || strcmp(lim.how_cpu_time, "rlimit") == 0)
		return;
	/* every signal stays the main thread's: SIGCHLD above all, which it
	 * reads from a signalfd */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	lim.watching = pthread_create(&lim.watcher, NULL, watch_cpu_time, NULL) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!lim.watching)
		sentry_fatal("cannot watch the workload's CPU time: no thread");
}

long limits_new_task(struct task *task, struct syscall_call *call)
{
	(void)call;
	if (!lim.pids)
		return 0;
	/* the clone this thread made before has been reported or failed, and
	 * a thread that is gone makes none */
	size_t kept = 0;
	for (size_t i = 0; i < lim.npending; i++)
		if (lim.pending[i] != task->tid && task_find(task->sandbox, lim.pending[i]))
			lim.pending[kept++] = lim.pending[i];
	lim.npending = kept;
	if (task_count(task->sandbox) + lim.npending >= (size_t)lim.pids) {
		if (!lim.limit_said && !task->sandbox->opts->quiet)
			sentry_log("the workload reached --pids-limit=%ld tasks: its forks and clones fail with EAGAIN",
				   lim.pids);
		lim.limit_said = true;
		return -EAGAIN;
	}
	pid_t *grown = realloc(lim.pending, (lim.npending + 1) * sizeof(*grown));
	if (!grown)
		return -EAGAIN;
	lim.pending = grown;
	lim.pending[lim.npending++] = task->tid;
	return 0;
}

void limits_task_created(pid_t parent_tid)
{
	for (size_t i = 0; i < lim.npending; i++)
		if (lim.pending[i] == parent_tid) {
			lim.pending[i] = lim.pending[--lim.npending];
			return;
		}
}

/* What the workload used, from the cgroup where there is one, else from
 * the rusage of the sentry's reaped children (the first process and every
 * process it reaped in turn). */
struct usage {
	uint64_t cpu_ms;
	uint64_t memory_bytes;
	uint64_t oom_kills;
};

static struct usage measure(void)
{
	struct usage u = { 0 };
	struct rusage ru;
	getrusage(RUSAGE_CHILDREN, &ru);
	u.cpu_ms = (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
		   (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
	u.memory_bytes = (uint64_t)ru.ru_maxrss * 1024;
	if (!lim.cg)
		return u;
	uint64_t ns, bytes;
	if (cgroup_cpu_ns(&ns) == 0)
		u.cpu_ms = ns / 1000000;
	bool v2 = cgroup_version(lim.cg) == 2;
	if (cgroup_read_u64(lim.cg, CG_MEMORY, v2 ? "memory.peak" : "memory.max_usage_in_bytes", NULL, &bytes) == 0)
		u.memory_bytes = bytes;
	cgroup_read_u64(lim.cg, CG_MEMORY, v2 ? "memory.events" : "memory.oom_control", "oom_kill", &u.oom_kills);
	return u;
}

/* What the workload's cpuset came to: the CPUs and memory nodes it may use
 * (the kernel's effective lists), or null when it is in none. */
static void add_cpuset(json_object *o)
{
	char cpus[4096], mems[4096];
	bool v2 = lim.cg && cgroup_version(lim.cg) == 2;
	if (!lim.cg || !cgroup_has(lim.cg, CG_CPUSET) ||
	    cgroup_read_text(lim.cg, CG_CPUSET, v2 ? "cpuset.cpus.effective" : "cpuset.effective_cpus", cpus,
			     sizeof(cpus)) < 0 ||
	    cgroup_read_text(lim.cg, CG_CPUSET, v2 ? "cpuset.mems.effective" : "cpuset.effective_mems", mems,
			     sizeof(mems)) < 0) {
		json_object_object_add(o, "cpuset", NULL);
		return;
	}
	json_object *c = json_object_new_object();
	json_object_object_add(c, "cpus", json_object_new_string(cpus));
	json_object_object_add(c, "mems", json_object_new_string(mems));
	json_object_object_add(o, "cpuset", c);
}

static void write_report(int status, int first_wait_status, const char *kind, const struct usage *u)
{
	if (lim.report_fd < 0)
		return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	int64_t wall_ms = lim.started.tv_sec ? (now.tv_sec - lim.started.tv_sec) * 1000 +
						      (now.tv_nsec - lim.started.tv_nsec) / 1000000
					     : 0;
	json_object *o = json_object_new_object(), *limits = json_object_new_object();
	json_object_object_add(o, "exit_code", json_object_new_int(status));
	char signame[32];
	const char *abbrev = WIFSIGNALED(first_wait_status) ? sigabbrev_np(WTERMSIG(first_wait_status)) : NULL;
	if (abbrev)
		snprintf(signame, sizeof(signame), "SIG%s", abbrev);
	json_object_object_add(o, "signal", abbrev ? json_object_new_string(signame) : NULL);
	json_object_object_add(o, "status", json_object_new_string(kind));
	json_object_object_add(o, "wall_time_ms", json_object_new_int64(wall_ms));
	json_object_object_add(o, "cpu_time_ms", json_object_new_int64((int64_t)u->cpu_ms));
	json_object_object_add(o, "memory_bytes", json_object_new_int64((int64_t)u->memory_bytes));
	if (lim.pids)
		json_object_object_add(limits, "pids-limit", json_object_new_string("sentry"));
	if (lim.how_cpu_time)
		json_object_object_add(limits, "cpu-time", json_object_new_string(lim.how_cpu_time));
	if (lim.how_memory)
		json_object_object_add(limits, "process-memory", json_object_new_string(lim.how_memory));
	if (lim.open_files)
		json_object_object_add(limits, "max-open-files", json_object_new_string("rlimit"));
	if (lim.how_cpus)
		json_object_object_add(limits, "cpus", json_object_new_string(lim.how_cpus));
	if (lim.how_cpuset && lim.cpuset_cpus)
		json_object_object_add(limits, "cpuset-cpus", json_object_new_string(lim.how_cpuset));
	if (lim.how_cpuset && lim.cpuset_mems)
		json_object_object_add(limits, "cpuset-mems", json_object_new_string(lim.how_cpuset));
	json_object_object_add(o, "limits", limits);
	add_cpuset(o);
	json_object_object_add(o, "cgroup", lim.cg ? json_object_new_string(cgroup_path(lim.cg)) : NULL);
	const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (dprintf(lim.report_fd, "%s\n", text) < 0)
		sentry_log("--report %s: %s", lim.report_path, strerror(errno));
	json_object_put(o);
	close(lim.report_fd);
	lim.report_fd = -1;
}

static void stop_watching(void)
{
	if (!lim.watching)
		return;
	atomic_store(&lim.stop_watching, true);
	pthread_join(lim.watcher, NULL);
	lim.watching = false;
}

/* Without a cgroup, RLIMIT_CPU killed the first process when its own
 * CPU time (and its reaped children's) reached the limit. */
static bool rlimit_cpu_spent(int first_wait_status, const struct usage *u)
{
	if (!lim.how_cpu_time || strcmp(lim.how_cpu_time, "rlimit") != 0 || !WIFSIGNALED(first_wait_status))
		return false;
	int sig = WTERMSIG(first_wait_status);
	/* the rusage the sentry reaps shows 80-95% of what the kernel's check
	 * counted (sampled ticks against the scheduler's clock) */
	return (sig == SIGKILL || sig == SIGXCPU) && u->cpu_ms * 10 >= (uint64_t)whole_seconds(lim.cpu_time) * 7000;
}

int limits_finish(int status, int first_wait_status, bool timed_out)
{
	stop_watching();
	lim.finished = true;
	struct usage u = measure();
	const char *kind = WIFSIGNALED(first_wait_status) ? "signaled" : "exited";
	if (u.oom_kills) {
		sentry_log("the workload reached its memory limit (--process-memory=%s): the kernel killed %llu of its processes",
			   lim.memory_text ? lim.memory_text : "of the cgroup", (unsigned long long)u.oom_kills);
		if (status != 0)
			kind = "memory";
	}
	if (!timed_out && (atomic_load(&lim.cpu_spent) || rlimit_cpu_spent(first_wait_status, &u))) {
		sentry_log("the workload ran out of CPU time (--cpu-time=%g) and was killed", lim.cpu_time);
		status = EXIT_TIMEOUT;
		kind = "cpu-time";
	}
	if (timed_out)
		kind = "timeout";
	write_report(status, first_wait_status, kind, &u);
	cgroup_close(lim.cg);
	lim.cg = NULL;
	return status;
}

int limits_after_run(int status)
{
	if (lim.finished)
		return status;
	lim.finished = true;
	stop_watching();
	struct usage u = measure();
	write_report(status, 0, status == EXIT_SENTRY_ERROR ? "sentry-error" : "exited", &u);
	cgroup_close(lim.cg);
	lim.cg = NULL;
	return status;
}
