/* What each architecture provides; implemented in arch/<arch>/arch.c. */
#ifndef SENTRY_ARCH_H
#define SENTRY_ARCH_H

#include <stdint.h>
#include <sys/types.h>

/* A stopped tracee's registers, in the architecture's own layout. */
struct arch_regs;

struct arch_info {
	const char *name;         /* "x86_64", "aarch64" */
	uint32_t audit_arch;      /* AUDIT_ARCH_* of the native ABI */
	uint32_t scmp_arch;       /* SCMP_ARCH_* of the native ABI */
	uint16_t elf_machine;     /* EM_* of the programs it runs */
	uint64_t o_largefile;     /* the kernel's O_LARGEFILE, which glibc hides */
	/* foreign ABIs the CPU can enter (i386, x32, arm32): killed */
	const uint32_t *foreign_scmp_archs;
	int n_foreign;
	int capstone_arch;        /* cs_arch and cs_mode that disassemble it */
	int capstone_mode;
};

extern const struct arch_info arch_native;

struct arch_regs *arch_regs_alloc(void);
void arch_regs_free(struct arch_regs *regs);
/* PTRACE_GETREGSET / SETREGSET on a stopped tracee; -errno on failure. */
int arch_regs_get(pid_t tid, struct arch_regs *regs);
int arch_regs_set(pid_t tid, const struct arch_regs *regs);

long arch_regs_syscall_nr(const struct arch_regs *regs);
void arch_regs_syscall_args(const struct arch_regs *regs, uint64_t args[6]);
uint64_t arch_regs_ip(const struct arch_regs *regs);
uint64_t arch_regs_sp(const struct arch_regs *regs);
void arch_regs_set_sp(struct arch_regs *regs, uint64_t sp);

/* At a seccomp stop: make the task run another syscall instead. */
void arch_regs_set_syscall(struct arch_regs *regs, long nr, const uint64_t args[6]);
/* At a syscall-exit stop: the value the syscall returned. */
long arch_regs_return(const struct arch_regs *regs);
struct arch_regs *arch_regs_copy(const struct arch_regs *regs);

/* Bytes below the stack pointer that the ABI lets a signal handler or
 * leaf function use; scratch data the sentry writes must go below it. */
extern const unsigned arch_stack_red_zone;

/* At a seccomp ptrace stop: skip the syscall and make it return value.
 * At a syscall-exit stop: make the syscall return value. */
int arch_skip_syscall(pid_t tid, struct arch_regs *regs, long value);

/* At the stop of a PTRACE_INTERRUPT that cut short a syscall waiting for
 * the sentry's answer: make it return value, resuming after the syscall
 * instruction (return_ip), instead of restarting it. */
int arch_return_from_interrupted(pid_t tid, struct arch_regs *regs, uint64_t return_ip, long value);

/* At a syscall-exit stop: the call nr returns -ERESTARTSYS, so that the
 * kernel's signal code restarts it or makes it EINTR (SA_RESTART). */
int arch_restart_at_exit(pid_t tid, struct arch_regs *regs, long nr);

/* clone's flags and the index of its child_tid/tls arguments differ per arch. */
uint64_t arch_clone_flags(const uint64_t args[6]);

#endif
