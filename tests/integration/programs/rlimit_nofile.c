/* RLIMIT_NOFILE through getrlimit, setrlimit and prlimit64: round trips,
 * the kernel's errors, fork and exec, and new fds at the limit's edge. The
 * start limit differs between hosts, so only relations to it are printed;
 * below it the values are fixed. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <linux/capability.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "it.h"

#define BAD_POINTER ((void *)8)

static long get_nofile(struct rlimit *rl) { return syscall(SYS_getrlimit, RLIMIT_NOFILE, rl); }
static long set_nofile(rlim_t soft, rlim_t hard)
{
	struct rlimit rl = { soft, hard };
	return syscall(SYS_setrlimit, RLIMIT_NOFILE, &rl);
}
static long prlimit_nofile(pid_t pid, const struct rlimit *new_rl, struct rlimit *old_rl)
{
	return syscall(SYS_prlimit64, pid, RLIMIT_NOFILE, new_rl, old_rl);
}

/* Natively the tests run as root: without CAP_SYS_RESOURCE, like the
 * workload, a hard limit cannot be raised. */
static void drop_capabilities(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct none[2] = { { 0 } };
	CHECK("capset none", syscall(SYS_capset, &hdr, none));
}

static void show_limit(const char *who)
{
	struct rlimit rl;
	CHECK("getrlimit", get_nofile(&rl));
	say("%s: soft %lu hard %lu\n", who, (unsigned long)rl.rlim_cur, (unsigned long)rl.rlim_max);
}

/* New fds at the edge of the soft limit, and how many fit below it. */
static void probe_edge(const char *who)
{
	struct rlimit rl;
	get_nofile(&rl);
	int limit = (int)rl.rlim_cur;
	say("%s: probing the soft limit\n", who);
	CHECK("F_DUPFD limit-1 is limit-1", fcntl(0, F_DUPFD, limit - 1) == limit - 1);
	close(limit - 1);
	CHECK("F_DUPFD limit", fcntl(0, F_DUPFD, limit));
	CHECK("dup2 to limit-1 is limit-1", dup2(0, limit - 1) == limit - 1);
	close(limit - 1);
	CHECK("dup2 to limit", dup2(0, limit));
	int *made = malloc(sizeof(int) * (size_t)limit);
	int n = 0, fd;
	while (made && (fd = fcntl(0, F_DUPFD, 0)) >= 0)
		made[n++] = fd;
	int err = errno;
	say("%s: dup until %s, highest fd is limit-1 %d\n", who, strerrorname_np(err),
	    n > 0 && made[n - 1] == limit - 1);
	while (n > 0)
		close(made[--n]);
	free(made);
}

/* A child forked before the process asked anything sees what it sees. */
static void fork_at_start(void)
{
	int seen[2];
	if (pipe(seen) < 0)
		return;
	pid_t child = fork();
	if (child == 0) {
		struct rlimit rl;
		get_nofile(&rl);
		_exit(write(seen[1], &rl, sizeof(rl)) == sizeof(rl) ? 0 : 1);
	}
	struct rlimit in_child, own;
	waitpid(child, NULL, 0);
	CHECK("child's view", read(seen[0], &in_child, sizeof(in_child)));
	get_nofile(&own);
	say("start: child forked first sees the same %d\n",
	    in_child.rlim_cur == own.rlim_cur && in_child.rlim_max == own.rlim_max);
	close(seen[0]);
	close(seen[1]);
}

static void at_start(void)
{
	struct rlimit got, via_prlimit, via_pid;
	CHECK("getrlimit", get_nofile(&got));
	CHECK("prlimit64 self", prlimit_nofile(0, NULL, &via_prlimit));
	CHECK("prlimit64 own pid", prlimit_nofile(getpid(), NULL, &via_pid));
	say("start: three views agree %d, soft <= hard %d, at least 64 %d\n",
	    got.rlim_cur == via_prlimit.rlim_cur && got.rlim_max == via_prlimit.rlim_max &&
		    got.rlim_cur == via_pid.rlim_cur && got.rlim_max == via_pid.rlim_max,
	    got.rlim_cur <= got.rlim_max, got.rlim_cur >= 64);
	probe_edge("start");

	/* Raising the soft limit to the hard one is always allowed: with it
	 * both are the start limit and the values below are fixed. */
	CHECK("soft up to hard", set_nofile(got.rlim_max, got.rlim_max));
	CHECK("hard above itself", set_nofile(got.rlim_max, got.rlim_max + 1));
	CHECK("soft above hard", set_nofile(got.rlim_max + 1, got.rlim_max));
	CHECK("infinity", set_nofile(RLIM_INFINITY, RLIM_INFINITY));
	CHECK("soft infinity", set_nofile(RLIM_INFINITY, got.rlim_max));
	CHECK("lower soft only", set_nofile(100, got.rlim_max));
	struct rlimit now;
	get_nofile(&now);
	say("after lowering soft: soft %lu, hard unchanged %d\n", (unsigned long)now.rlim_cur,
	    now.rlim_max == got.rlim_max);
	probe_edge("soft 100");
	CHECK("soft back up to hard", set_nofile(got.rlim_max, got.rlim_max));
	get_nofile(&now);
	say("soft back at start %d\n", now.rlim_cur == got.rlim_cur);
}

static void errors(void)
{
	struct rlimit rl = { 90, 120 }, old;
	CHECK("getrlimit bad pointer", syscall(SYS_getrlimit, RLIMIT_NOFILE, BAD_POINTER));
	CHECK("setrlimit bad pointer", syscall(SYS_setrlimit, RLIMIT_NOFILE, BAD_POINTER));
	CHECK("prlimit64 bad new", prlimit_nofile(0, BAD_POINTER, NULL));
	CHECK("prlimit64 bad new, no such pid", prlimit_nofile(0x3ffffff0, BAD_POINTER, NULL));
	CHECK("prlimit64 no such pid", prlimit_nofile(0x3ffffff0, &rl, NULL));
	CHECK("prlimit64 negative pid", prlimit_nofile(-5, NULL, &old));
	CHECK("prlimit64 neither pointer", prlimit_nofile(0, NULL, NULL));
	CHECK("prlimit64 bad old, new applied", prlimit_nofile(0, &rl, BAD_POINTER));
	show_limit("after bad old");
	CHECK("getrlimit bad resource", syscall(SYS_getrlimit, 99, &old));
	CHECK("setrlimit bad resource, bad pointer", syscall(SYS_setrlimit, 99, BAD_POINTER));
	CHECK("prlimit64 resource high bits ignored",
	      syscall(SYS_prlimit64, 0, RLIMIT_NOFILE | (1ul << 32), NULL, &old));
	say("high bits: soft %lu\n", (unsigned long)old.rlim_cur);
	CHECK("hard above the lowered one", set_nofile(90, 121));
	CHECK("prlimit64 round trip", prlimit_nofile(0, &(struct rlimit){ 70, 110 }, &old));
	say("old: soft %lu hard %lu\n", (unsigned long)old.rlim_cur, (unsigned long)old.rlim_max);
	show_limit("after round trip");
}

static void other_resources(void)
{
	struct rlimit stack, via_prlimit, as;
	CHECK("getrlimit stack", syscall(SYS_getrlimit, RLIMIT_STACK, &stack));
	CHECK("prlimit64 stack", syscall(SYS_prlimit64, 0, RLIMIT_STACK, NULL, &via_prlimit));
	say("stack views agree %d\n", stack.rlim_cur == via_prlimit.rlim_cur && stack.rlim_max == via_prlimit.rlim_max);
	CHECK("setrlimit stack unchanged", syscall(SYS_setrlimit, RLIMIT_STACK, &stack));
	CHECK("getrlimit as", syscall(SYS_getrlimit, RLIMIT_AS, &as));
	say("as infinite %d\n", as.rlim_cur == RLIM_INFINITY && as.rlim_max == RLIM_INFINITY);
}

static void across_fork(void)
{
	int ready[2], go[2];
	char byte;
	if (pipe(ready) < 0 || pipe(go) < 0)
		return;
	pid_t child = fork();
	if (child == 0) {
		show_limit("child inherits");
		probe_edge("child");
		if (write(ready[1], "r", 1) != 1 || read(go[0], &byte, 1) != 1)
			_exit(1);
		show_limit("child after parent's prlimit");
		probe_edge("child after parent's prlimit");
		CHECK("child lowers its own", set_nofile(40, 50));
		_exit(0);
	}
	if (read(ready[0], &byte, 1) != 1)
		return;
	struct rlimit child_rl;
	CHECK("prlimit64 read child", prlimit_nofile(child, NULL, &child_rl));
	say("child seen by parent: soft %lu hard %lu\n", (unsigned long)child_rl.rlim_cur,
	    (unsigned long)child_rl.rlim_max);
	CHECK("prlimit64 raise child's hard", prlimit_nofile(child, &(struct rlimit){ 60, 111 }, NULL));
	CHECK("prlimit64 set child", prlimit_nofile(child, &(struct rlimit){ 60, 80 }, &child_rl));
	say("child's old: soft %lu hard %lu\n", (unsigned long)child_rl.rlim_cur, (unsigned long)child_rl.rlim_max);
	/* the child prints as soon as it may go on: report after it is done */
	long sent = write(go[1], "g", 1);
	int status;
	waitpid(child, &status, 0);
	say("go: %ld\n", sent);
	say("child exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	show_limit("parent unchanged");
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(go[1]);
}

static void after_exec(void)
{
	show_limit("after exec");
	probe_edge("after exec");
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "exec") == 0) {
		after_exec();
		return 0;
	}
	fork_at_start();
	drop_capabilities();
	at_start();
	errors();
	other_resources();
	across_fork();
	CHECK("lower before exec", set_nofile(50, 60));
	execv(argv[0], (char *[]){ argv[0], "exec", NULL });
	say("exec failed: %s\n", strerrorname_np(errno));
	return 1;
}
