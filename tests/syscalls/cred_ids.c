/* Credentials: uid/gid switching as root and as a user, groups, saved ids
 * across exec, capabilities after setuid, keep-caps, prctl capability
 * calls, /proc/self/status. Run as root; every change happens in a child
 * that exits, so each scenario starts from root again. */
#include <grp.h>
#include <linux/capability.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>

#include "common.h"

static void ids(void)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;
	getresuid(&r, &e, &s);
	getresgid(&gr, &ge, &gs);
	say("  uid %u %u %u fsuid %d, gid %u %u %u fsgid %d\n", r, e, s, setfsuid(-1), gr, ge, gs, setfsgid(-1));
}

static void groups(void)
{
	gid_t list[16];
	int n = getgroups(16, list);
	say("  groups (%d):", n);
	for (int i = 0; i < n; i++)
		say(" %u", list[i]);
	say("\n");
}

static uint64_t caps(int which)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	if (syscall(SYS_capget, &hdr, data) < 0)
		return ~0ull;
	uint32_t lo = which == 0 ? data[0].effective : which == 1 ? data[0].permitted : data[0].inheritable;
	uint32_t hi = which == 0 ? data[1].effective : which == 1 ? data[1].permitted : data[1].inheritable;
	return (uint64_t)hi << 32 | lo;
}

/* A few capabilities, not whole sets: the host's root may lack some. */
static void show_caps(const char *when)
{
	uint64_t eff = caps(0), prm = caps(1);
	say("  caps %s: eff setuid=%d dac_override=%d chown=%d kill=%d, prm setuid=%d dac_override=%d, eff empty=%d prm empty=%d\n",
	    when, (int)(eff >> CAP_SETUID & 1), (int)(eff >> CAP_DAC_OVERRIDE & 1), (int)(eff >> CAP_CHOWN & 1),
	    (int)(eff >> CAP_KILL & 1), (int)(prm >> CAP_SETUID & 1), (int)(prm >> CAP_DAC_OVERRIDE & 1), eff == 0,
	    prm == 0);
}

static int set_caps(uint64_t eff, uint64_t prm, uint64_t inh)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = {
		{ (uint32_t)eff, (uint32_t)prm, (uint32_t)inh },
		{ (uint32_t)(eff >> 32), (uint32_t)(prm >> 32), (uint32_t)(inh >> 32) },
	};
	return (int)syscall(SYS_capset, &hdr, data);
}

static void status_lines(void)
{
	char buf[8192];
	int fd = open("/proc/self/status", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0) {
		say("  status: unreadable\n");
		return;
	}
	buf[n] = 0;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		if (!strncmp(line, "Uid:", 4) || !strncmp(line, "Gid:", 4) || !strncmp(line, "Groups:", 7) ||
		    !strncmp(line, "CapEff:", 7) || !strncmp(line, "CapPrm:", 7) || !strncmp(line, "CapAmb:", 7))
			say("  status %s\n", line);
}

static void in_child(const char *title, void (*fn)(const char *), const char *self)
{
	say("%s\n", title);
	pid_t pid = fork();
	if (pid == 0) {
		fn(self);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	say("  exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

static void root_to_user(const char *self)
{
	(void)self;
	gid_t none[1] = { 0 };
	T(setgroups(0, none));
	groups();
	T(setgid(1000));
	T(setuid(1000));
	ids();
	show_caps("after setuid(1000)");
	status_lines();
	T(prctl(PR_CAPBSET_READ, CAP_SETUID, 0, 0, 0));
	T(prctl(PR_CAPBSET_READ, 99, 0, 0, 0));
	T(setuid(0));
	T(setgid(0));
	T(seteuid(0));
	T(setgroups(0, none));
	T(setresuid(-1, -1, -1));
	T(setuid(1000));
	T(prctl(PR_CAPBSET_DROP, CAP_SETUID, 0, 0, 0));
	T(setfsuid(0));
	ids();
}

static void user_moves(const char *self)
{
	(void)self;
	gid_t g[3] = { 50, 7, 30 };
	T(setgroups(3, g));
	groups();
	T(setresgid(100, 200, 300));
	T(setresuid(1000, 1001, 1002));
	ids();
	show_caps("after setresuid");
	status_lines();
	T(setuid(1002));          /* unprivileged: the effective id only */
	ids();
	T(setuid(1001));          /* neither real nor saved */
	T(setresuid(1002, 1000, -1));
	ids();
	T(setresuid(5, -1, -1));
	T(setreuid(-1, 1002));
	ids();
	T(setreuid(1000, -1));    /* real changes: saved follows effective */
	ids();
	T(setreuid(4, -1));
	T(setregid(-1, 300));
	T(setgid(200));
	T(setgid(100));
	ids();
	T(setfsuid(1000));
	T(setfsuid(77));
	T(setfsgid(300));
	ids();
	T(setresgid(1, -1, -1));
	gid_t one = 1;
	T(setgroups(1, &one));
	T(getgroups(1, g));
	T(getgroups(0, g));
	T(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_SETUID, 0, 0));
	T(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_SETUID, 0, 0));
}

static void keep_caps(const char *self)
{
	(void)self;
	T(prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0));
	T(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
	T(prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0));
	T(prctl(PR_SET_KEEPCAPS, 2, 0, 0, 0));
	T(setresuid(1000, 1000, 1000));
	show_caps("kept across setresuid");
	uint64_t setuid_cap = 1ull << CAP_SETUID;
	T(set_caps(setuid_cap, setuid_cap, 0));
	show_caps("after capset");
	T(set_caps(setuid_cap | (1ull << CAP_KILL), setuid_cap, 0));   /* effective beyond permitted */
	T(set_caps(0, setuid_cap | (1ull << CAP_KILL), 0));            /* permitted grows */
	T(set_caps(setuid_cap, setuid_cap, setuid_cap));              /* inheritable without CAP_SETPCAP */
	T(setuid(0));
	ids();
	show_caps("back to 0");
}

static void effective_only(const char *self)
{
	(void)self;
	T(seteuid(1000));
	ids();
	show_caps("euid 1000");
	T(seteuid(0));
	ids();
	show_caps("euid 0 again");
	T(setfsuid(1000));
	show_caps("fsuid 1000");
	T(setfsuid(0));
	show_caps("fsuid 0");
	T(prctl(PR_CAPBSET_DROP, CAP_KILL, 0, 0, 0));
	T(prctl(PR_CAPBSET_READ, CAP_KILL, 0, 0, 0));
	T(set_caps(1ull << CAP_SETUID, 1ull << CAP_SETUID, 0));
	show_caps("after capset as root");
	T(prctl(PR_CAPBSET_DROP, CAP_SETUID, 0, 0, 0));
}

/* On exec the saved ids become the effective ones; a user keeps no
 * capability, an effective root gets them back. */
static void exec_saved(const char *self)
{
	T(setresgid(10, 20, 30));
	T(setresuid(1000, 1001, 0));
	ids();
	execl(self, self, "after-exec", (char *)NULL);
	say("  exec: %s\n", errname(errno));
}

static void exec_as_root_effective(const char *self)
{
	T(setresuid(1000, 0, 1002));
	execl(self, self, "after-exec", (char *)NULL);
	say("  exec: %s\n", errname(errno));
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		say("  after exec:\n");
		ids();
		show_caps("after exec");
		return 0;
	}
	begin("credentials");
	ids();
	show_caps("root");
	in_child("root becomes a user", root_to_user, argv[0]);
	in_child("a user moves among its ids", user_moves, argv[0]);
	in_child("keep-caps and capset", keep_caps, argv[0]);
	in_child("effective uid and fsuid", effective_only, argv[0]);
	in_child("exec sets the saved ids", exec_saved, argv[0]);
	in_child("exec with effective root", exec_as_root_effective, argv[0]);
	return 0;
}
