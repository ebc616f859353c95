/* --backtrace: the workload's call stack at a denied call, unwound with
 * libunwind's ptrace unwinder, and the code around the syscall site,
 * disassembled with capstone. */
#ifndef SENTRY_BACKTRACE_H
#define SENTRY_BACKTRACE_H

#include <stdbool.h>
#include <stdint.h>

#include "syscall.h"
#include "task.h"

#define BACKTRACE_MAX_FRAMES 32
#define BACKTRACE_MAX_INSNS 24

struct backtrace_frame {
	uint64_t ip;
	uint64_t offset;    /* from the start of function */
	char function[96];  /* "" when no symbol covers ip */
};

struct backtrace_insn {
	uint64_t address;
	char bytes[40];     /* hex */
	char text[96];      /* mnemonic and operands */
	bool site;          /* the syscall instruction itself */
};

struct backtrace {
	int nframes;
	struct backtrace_frame frames[BACKTRACE_MAX_FRAMES];
	char stack_error[128]; /* why frames are missing, "" when the stack is whole */
	int ninsns;
	struct backtrace_insn insns[BACKTRACE_MAX_INSNS];
	char code_error[128];  /* why there is no disassembly */
};

/* Opens libcapstone and libunwind for backtrace_take; when one is missing,
 * says so in one line and returns -1. */
int backtrace_load(void);

/* Fills bt for the call the task is making. On the ptrace platform the
 * task is at its seccomp stop already. On user-notify it waits in the
 * kernel for the sentry's answer and is interrupted to be unwound; the
 * call then returns result at once (the answer sent later finds no
 * waiter), or, when killed, the task stays stopped until its SIGKILL. */
void backtrace_take(struct task *task, const struct syscall_call *call, long result, bool killed,
		    struct backtrace *bt);

#endif
