/* prctl: the options a program sets on itself (names, signals, dumpable,
 * timer slack, huge pages, subreaper, no_new_privs, a seccomp filter of
 * its own), refused and unknown options. (Strict seccomp mode is EINVAL
 * under any filter, so inside the sandbox always.) */
#include "common.h"
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>

static void own_filter(void)
{
	/* getppid gets EXDEV; everything else runs as before */
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EXDEV),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(code) / sizeof(code[0]), code };
	T(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	T(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0));
	T(prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
	T(getppid());
	int fd = T(open("after-filter", O_CREAT | O_WRONLY, 0644));
	T(close(fd));
	SHOW("after-filter");
}

static void in_child(const char *label, void (*fn)(void))
{
	say("-- %s\n", label);
	pid_t pid = fork();
	if (pid == 0) {
		fn();
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	say("  exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st));
}

int main(void)
{
	begin("prctl");
	char name[16] = { 0 };
	T(prctl(PR_SET_NAME, "sc-prctl-name", 0, 0, 0));
	T(prctl(PR_GET_NAME, name, 0, 0, 0));
	say("  name %s\n", name);
	int sig = -1;
	T(prctl(PR_SET_PDEATHSIG, SIGUSR1, 0, 0, 0));
	T(prctl(PR_GET_PDEATHSIG, &sig, 0, 0, 0));
	say("  pdeathsig %d\n", sig);
	T(prctl(PR_SET_PDEATHSIG, 99, 0, 0, 0));
	T(prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0));
	T(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
	T(prctl(PR_SET_DUMPABLE, 0, 0, 0, 0));
	T(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
	T(prctl(PR_SET_DUMPABLE, 2, 0, 0, 0));
	T(prctl(PR_SET_DUMPABLE, 1, 0, 0, 0));
	T(prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0));
	T(prctl(PR_SET_TIMERSLACK, 123456, 0, 0, 0));
	T(prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
	T(prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0));
	T(prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0));
	int reaper = -1;
	T(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
	T(prctl(PR_GET_CHILD_SUBREAPER, &reaper, 0, 0, 0));
	say("  subreaper %d\n", reaper);
	T(prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0));
	T(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	T(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	T(prctl(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0));
	T(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, 13, 0, 0));
	T(prctl(PR_MCE_KILL_GET, 0, 0, 0, 0));
	unsigned long auxv[64];
	say("prctl(PR_GET_AUXV) > 0: %s\n", prctl(0x41555856, auxv, sizeof(auxv), 0, 0) > 0 ? "yes" : "no");
	/* names no process: the caller's choice cleared */
	T(prctl(PR_SET_PTRACER, 0, 0, 0, 0));
	/* rewriting the memory layout needs CAP_SYS_RESOURCE */
	T(prctl(PR_SET_MM, PR_SET_MM_START_BRK, 0x10000, 0, 0));
	/* options Linux does not know */
	T(prctl(1000, 0, 0, 0, 0));
	T(prctl(-1, 0, 0, 0, 0));
	in_child("a seccomp filter of its own", own_filter);
	return 0;
}
