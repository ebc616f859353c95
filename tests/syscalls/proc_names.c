/* What ps, pgrep, top, free and thread-pool sizing read in /proc: the
 * process's name in comm, stat and status, its pages in statm (top's
 * RES); /proc/stat's CPUs and boot time
 * against the process's start; meminfo against sysinfo(2); the pipe and
 * lease limits under /proc/sys/fs; the host name uname(2) and /proc agree
 * on. */
#include "common.h"

#include <sys/prctl.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <time.h>

static char text[65536];

/* The file's text, or "" when it cannot be read. */
static const char *slurp(const char *path)
{
	text[0] = 0;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return text;
	size_t len = 0;
	ssize_t n;
	while (len < sizeof(text) - 1 && (n = read(fd, text + len, sizeof(text) - 1 - len)) > 0)
		len += (size_t)n;
	text[len] = 0;
	close(fd);
	return text;
}

/* The value after "key" at a line's start, or -1. */
static long long field(const char *all, const char *key)
{
	size_t klen = strlen(key);
	for (const char *line = all; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (!strncmp(line, key, klen))
			return strtoll(line + klen, NULL, 10);
	return -1;
}

/* The name in comm, in stat's second field and in status's Name line. */
static void show_names(const char *who)
{
	char comm[64] = "", stat_name[64] = "", status_name[64] = "";
	snprintf(comm, sizeof(comm), "%s", slurp("/proc/self/comm"));
	comm[strcspn(comm, "\n")] = 0;
	const char *open_paren = strchr(slurp("/proc/self/stat"), '('), *close_paren = strrchr(text, ')');
	if (open_paren && close_paren > open_paren)
		snprintf(stat_name, sizeof(stat_name), "%.*s", (int)(close_paren - open_paren - 1), open_paren + 1);
	const char *name = strstr(slurp("/proc/self/status"), "Name:\t");
	if (name)
		snprintf(status_name, sizeof(status_name), "%.*s", (int)strcspn(name + 6, "\n"), name + 6);
	say("  %s: comm '%s' stat '%s' status '%s'\n", who, comm, stat_name, status_name);
}

/* Field 22 of /proc/self/stat: the start in clock ticks after boot. */
static long long own_start_ticks(void)
{
	const char *p = strrchr(slurp("/proc/self/stat"), ')');
	for (int i = 2; p && i < 22; i++)
		p = strchr(p + 1, ' ');
	return p ? strtoll(p + 1, NULL, 10) : -1;
}

static void times_and_cpus(void)
{
	long hz = sysconf(_SC_CLK_TCK);
	long long start = own_start_ticks();
	const char *stat = slurp("/proc/stat");
	int cpus = 0;
	for (const char *line = stat; line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (!strncmp(line, "cpu", 3) && line[3] >= '0' && line[3] <= '9')
			cpus++;
	say("  /proc/stat: a cpu line %d, one cpuN line per online CPU %d\n", !strncmp(stat, "cpu ", 4),
	    cpus == sysconf(_SC_NPROCESSORS_ONLN));
	long long btime = field(stat, "btime ");
	time_t now = time(NULL);
	/* ps: the process started at btime + start / hz, which is just now */
	long long started = btime + start / hz;
	say("  btime plus the start time is now %d\n", btime > 0 && started >= now - 30 && started <= now + 1);
	double up = strtod(slurp("/proc/uptime"), NULL);
	say("  uptime covers the start time %d\n", start >= 0 && up + 0.02 >= (double)start / hz);
}

static void memory(void)
{
	long long size = 0, resident = 0, shared, text_pages, lib, data, dirty;
	int n = sscanf(slurp("/proc/self/statm"), "%lld %lld %lld %lld %lld %lld %lld", &size, &resident, &shared,
		       &text_pages, &lib, &data, &dirty);
	say("  statm: seven numbers %d, a size and resident pages %d\n", n == 7, size > 0 && resident > 0);
	struct sysinfo si;
	MUST(sysinfo(&si));
	const char *mi = slurp("/proc/meminfo");
	long long total = field(mi, "MemTotal:"), available = field(mi, "MemAvailable:");
	unsigned long long unit = si.mem_unit ? si.mem_unit : 1;
	say("  meminfo MemTotal is sysinfo's %d\n", total == (long long)(si.totalram * unit / 1024));
	say("  MemAvailable within MemTotal %d\n", available > 0 && available <= total);
	say("  SwapTotal is sysinfo's %d\n", field(mi, "SwapTotal:") == (long long)(si.totalswap * unit / 1024));
}

static void fs_limits(void)
{
	long max = strtol(slurp("/proc/sys/fs/pipe-max-size"), NULL, 10);
	int p[2];
	MUST(pipe(p));
	say("  pipe-max-size %ld: a pipe grows to it %d\n", max, max > 0 && fcntl(p[0], F_SETPIPE_SZ, max) == max);
	close(p[0]);
	close(p[1]);
	say("  pipe-user-pages-soft %ld\n", strtol(slurp("/proc/sys/fs/pipe-user-pages-soft"), NULL, 10));
	say("  lease-break-time %ld\n", strtol(slurp("/proc/sys/fs/lease-break-time"), NULL, 10));
}

static void host_name(void)
{
	struct utsname u;
	MUST(uname(&u));
	char proc[128];
	snprintf(proc, sizeof(proc), "%s", slurp("/proc/sys/kernel/hostname"));
	proc[strcspn(proc, "\n")] = 0;
	say("  uname nodename is /proc/sys/kernel/hostname %d\n", strcmp(u.nodename, proc) == 0);
	char got[128] = "";
	T(gethostname(got, sizeof(got)) == 0 && strcmp(got, u.nodename) == 0);
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		show_names("after exec");
		return 0;
	}
	begin("process names and machine figures in /proc");
	show_names("started");
	pid_t pid = fork();
	if (pid == 0) {
		show_names("forked child");
		prctl(PR_SET_NAME, "worker-renamed");
		show_names("child after PR_SET_NAME");
		_exit(0);
	}
	reap("child", pid);
	show_names("parent after the child's rename");
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_NAME, "before-exec");
		execl(argv[0], argv[0], "again", (char *)NULL);
		_exit(99);
	}
	reap("exec of itself", pid);
	times_and_cpus();
	memory();
	fs_limits();
	host_name();
	return 0;
}
