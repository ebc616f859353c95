/* prctl: options on the calling process, deny by default. Every option
 * the sandbox lets through is a row below with the reason; any other
 * option gets a denial line and EINVAL (what Linux says of an option it
 * does not know). A passed option runs in the kernel as the workload gave
 * it: the sentry decides on register values only (the option, a pid),
 * never on memory the workload could rewrite before the kernel reads it. */
#include <errno.h>
#include <linux/prctl.h>
#include <linux/seccomp.h>
#include <stddef.h>

#include "cred.h"
#include "dispatch.h"
#include "exec.h"
#include "pids.h"

/* Options newer than the kernel headers the tree builds with. */
#define OPT_PAC_SET_ENABLED_KEYS 60
#define OPT_PAC_GET_ENABLED_KEYS 61
#define OPT_SCHED_CORE 62
#define OPT_SME_SET_VL 63
#define OPT_SME_GET_VL 64
#define OPT_SET_MDWE 65
#define OPT_GET_MDWE 66
#define OPT_SET_MEMORY_MERGE 67
#define OPT_GET_MEMORY_MERGE 68
#define OPT_GET_SHADOW_STACK_STATUS 74
#define OPT_SET_SHADOW_STACK_STATUS 75
#define OPT_LOCK_SHADOW_STACK_STATUS 76
#define OPT_FUTEX_HASH 78
#define OPT_SET_VMA 0x53564d41
#define OPT_GET_AUXV 0x41555856

enum prctl_rule {
	PRCTL_PASS,        /* the kernel runs it: it acts on the caller alone */
	PRCTL_SANDBOX_PID, /* names a task in arg3: only the sandbox's */
	PRCTL_PTRACER,     /* names the process that may trace the caller */
	PRCTL_REFUSE,      /* refused with error, a denial line */
	PRCTL_CRED,        /* on the caller's emulated credentials (cred.c) */
};

struct prctl_option {
	int option;
	enum prctl_rule rule;
	int error; /* PRCTL_REFUSE */
	const char *why;
};

static const struct prctl_option prctl_options[] = {
	{ PR_SET_PDEATHSIG, PRCTL_PASS, 0, "a signal to the caller when its parent dies" },
	{ PR_GET_PDEATHSIG, PRCTL_PASS, 0, "query, written to the caller's memory" },
	{ PR_GET_DUMPABLE, PRCTL_PASS, 0, "query" },
	{ PR_SET_DUMPABLE, PRCTL_PASS, 0, "core dumps stay off (RLIMIT_CORE 0, hard) and ptrace refused either way" },
	{ PR_GET_KEEPCAPS, PRCTL_CRED, 0, "emulated capabilities" },
	{ PR_SET_KEEPCAPS, PRCTL_CRED, 0, "emulated capabilities" },
	{ PR_GET_TIMING, PRCTL_PASS, 0, "query" },
	{ PR_SET_TIMING, PRCTL_PASS, 0, "only statistical timing exists" },
	{ PR_SET_NAME, PRCTL_PASS, 0, "the calling thread's name" },
	{ PR_GET_NAME, PRCTL_PASS, 0, "query" },
	{ PR_GET_SECCOMP, PRCTL_PASS, 0, "query" },
	/* A filter of the workload's own only narrows: actions of stronger
	 * precedence (errno, trap, kill) are the workload's own choice, and
	 * SECCOMP_RET_TRACE (weaker than user-notify, which the sentry's
	 * filter gives every emulated call on that platform) reaches the
	 * sentry as an ordinary trace stop, which it serves by the syscall
	 * table like its own, never reading the filter's data. prctl takes
	 * no filter flags: no listener of its own, no TSYNC. */
	{ PR_SET_SECCOMP, PRCTL_PASS, 0, "strict mode or a filter: narrows only" },
	{ PR_CAPBSET_READ, PRCTL_CRED, 0, "emulated capabilities" },
	{ PR_CAPBSET_DROP, PRCTL_CRED, 0, "emulated capabilities" },
	{ PR_GET_TSC, PRCTL_PASS, 0, "query" },
	{ PR_SET_TSC, PRCTL_PASS, 0, "whether the caller may read the time-stamp counter" },
	{ PR_GET_SECUREBITS, PRCTL_CRED, 0, "emulated capabilities" },
	{ PR_SET_SECUREBITS, PRCTL_CRED, 0, "emulated capabilities" },
	{ PR_SET_TIMERSLACK, PRCTL_PASS, 0, "the calling thread's timer slack" },
	{ PR_GET_TIMERSLACK, PRCTL_PASS, 0, "query" },
	{ PR_TASK_PERF_EVENTS_DISABLE, PRCTL_PASS, 0, "the caller's own counters (perf_event_open is refused)" },
	{ PR_TASK_PERF_EVENTS_ENABLE, PRCTL_PASS, 0, "the caller's own counters (perf_event_open is refused)" },
	{ PR_MCE_KILL, PRCTL_PASS, 0, "the caller's policy on memory errors" },
	{ PR_MCE_KILL_GET, PRCTL_PASS, 0, "query" },
	{ PR_SET_MM, PRCTL_REFUSE, EPERM, "rewrites the process's memory layout and /proc/self/exe" },
	{ PR_SET_PTRACER, PRCTL_PTRACER, 0, "names a process" },
	{ PR_SET_CHILD_SUBREAPER, PRCTL_PASS, 0, "orphans below the caller, all in the sandbox, come to it" },
	{ PR_GET_CHILD_SUBREAPER, PRCTL_PASS, 0, "query" },
	{ PR_SET_NO_NEW_PRIVS, PRCTL_PASS, 0, "already set, and it cannot be unset" },
	{ PR_GET_NO_NEW_PRIVS, PRCTL_PASS, 0, "query" },
	{ PR_GET_TID_ADDRESS, PRCTL_PASS, 0, "query" },
	{ PR_SET_THP_DISABLE, PRCTL_PASS, 0, "huge pages for the caller's memory" },
	{ PR_GET_THP_DISABLE, PRCTL_PASS, 0, "query" },
	{ PR_CAP_AMBIENT, PRCTL_CRED, 0, "emulated capabilities" },
	{ PR_SVE_SET_VL, PRCTL_PASS, 0, "the calling thread's vector length (arm64)" },
	{ PR_SVE_GET_VL, PRCTL_PASS, 0, "query" },
	{ PR_GET_SPECULATION_CTRL, PRCTL_PASS, 0, "query" },
	{ PR_SET_SPECULATION_CTRL, PRCTL_PASS, 0, "the caller's own speculation mitigations" },
	{ PR_PAC_RESET_KEYS, PRCTL_PASS, 0, "the caller's pointer authentication keys (arm64)" },
	{ PR_SET_TAGGED_ADDR_CTRL, PRCTL_PASS, 0, "the caller's tagged-address ABI (arm64)" },
	{ PR_GET_TAGGED_ADDR_CTRL, PRCTL_PASS, 0, "query" },
	{ PR_SET_IO_FLUSHER, PRCTL_PASS, 0, "the kernel wants CAP_SYS_RESOURCE, which the workload lacks" },
	{ PR_GET_IO_FLUSHER, PRCTL_PASS, 0, "query" },
	{ PR_SET_SYSCALL_USER_DISPATCH, PRCTL_PASS, 0, "turns the caller's own syscalls into SIGSYS, before seccomp" },
	{ OPT_PAC_SET_ENABLED_KEYS, PRCTL_PASS, 0, "the caller's pointer authentication keys (arm64)" },
	{ OPT_PAC_GET_ENABLED_KEYS, PRCTL_PASS, 0, "query" },
	/* core scheduling: a cookie shared to or from the task named, which
	 * natively may be any process of the same user */
	{ OPT_SCHED_CORE, PRCTL_SANDBOX_PID, 0, "names a task" },
	{ OPT_SME_SET_VL, PRCTL_PASS, 0, "the calling thread's vector length (arm64)" },
	{ OPT_SME_GET_VL, PRCTL_PASS, 0, "query" },
	{ OPT_SET_MDWE, PRCTL_PASS, 0, "refuses writable-executable memory to the caller" },
	{ OPT_GET_MDWE, PRCTL_PASS, 0, "query" },
	{ OPT_SET_MEMORY_MERGE, PRCTL_PASS, 0, "the kernel wants CAP_SYS_RESOURCE, which the workload lacks" },
	{ OPT_GET_MEMORY_MERGE, PRCTL_PASS, 0, "query" },
	{ OPT_GET_SHADOW_STACK_STATUS, PRCTL_PASS, 0, "query" },
	{ OPT_SET_SHADOW_STACK_STATUS, PRCTL_PASS, 0, "the calling thread's shadow stack" },
	{ OPT_LOCK_SHADOW_STACK_STATUS, PRCTL_PASS, 0, "the calling thread's shadow stack" },
	{ OPT_FUTEX_HASH, PRCTL_PASS, 0, "the size of the caller's private futex hash" },
	{ OPT_SET_VMA, PRCTL_PASS, 0, "names the caller's anonymous mappings" },
	{ OPT_GET_AUXV, PRCTL_PASS, 0, "query: the caller's aux vector" },
};

static const struct prctl_option *find_option(int option)
{
	for (size_t i = 0; i < sizeof(prctl_options) / sizeof(prctl_options[0]); i++)
		if (prctl_options[i].option == option)
			return &prctl_options[i];
	return NULL;
}

/* 0 clears the caller's choice; a pid may name only a sandbox task (Yama
 * says EINVAL of a pid it does not find); PR_SET_PTRACER_ANY would let
 * every host process of the same user trace the caller. */
static long set_ptracer(struct task *task, struct syscall_call *call)
{
	uint64_t tracer = call->args[1];
	if (tracer == (uint64_t)PR_SET_PTRACER_ANY) {
		report_denial(task, call, EINVAL, "would let any host process trace it");
		return -EINVAL;
	}
	if (tracer != 0 && !pid_reachable(task, pid_arg(tracer))) {
		report_denial(task, call, EINVAL, "names a process outside the sandbox");
		return -EINVAL;
	}
	call->action = CALL_CONTINUE;
	return 0;
}

long sys_prctl(struct task *task, struct syscall_call *call)
{
	const struct prctl_option *o = find_option((int)call->args[0]);
	if (!o) {
		report_denial(task, call, EINVAL, "prctl option not allowed in the sandbox");
		return -EINVAL;
	}
	if (o->option == PR_SET_NAME)
		exec_name_to_loader(task, call->args[1]);
	switch (o->rule) {
	case PRCTL_PASS:
		call->action = CALL_CONTINUE;
		return 0;
	case PRCTL_SANDBOX_PID:
		return continue_if_reachable(task, call, pid_reachable(task, pid_arg(call->args[2])));
	case PRCTL_PTRACER:
		return set_ptracer(task, call);
	case PRCTL_CRED:
		return cred_prctl(task, call);
	case PRCTL_REFUSE:
		break;
	}
	report_denial(task, call, o->error, o->why);
	return -o->error;
}
