/* aarch64: registers through PTRACE_GETREGSET(NT_PRSTATUS); the syscall
 * number is changed or skipped through NT_ARM_SYSTEM_CALL. */
#include <capstone/capstone.h>
#include <elf.h>
#include <errno.h>
#include <linux/audit.h>
#include <seccomp.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <asm/ptrace.h>

#include "arch.h"

#ifndef NT_ARM_SYSTEM_CALL
#define NT_ARM_SYSTEM_CALL 0x404
#endif

struct arch_regs {
	struct user_pt_regs r;
	int syscall_nr;
};

static const uint32_t foreign_archs[] = { SCMP_ARCH_ARM };

const struct arch_info arch_native = {
	.name = "aarch64",
	.audit_arch = AUDIT_ARCH_AARCH64,
	.o_largefile = 0400000,
	.elf_machine = EM_AARCH64,
	.scmp_arch = SCMP_ARCH_AARCH64,
	.foreign_scmp_archs = foreign_archs,
	.n_foreign = 1,
	.capstone_arch = CS_ARCH_ARM64,
	.capstone_mode = CS_MODE_ARM,
};

struct arch_regs *arch_regs_alloc(void) { return calloc(1, sizeof(struct arch_regs)); }
void arch_regs_free(struct arch_regs *regs) { free(regs); }

int arch_regs_get(pid_t tid, struct arch_regs *regs)
{
	struct iovec iov = { &regs->r, sizeof(regs->r) };
	if (ptrace(PTRACE_GETREGSET, tid, NT_PRSTATUS, &iov) < 0)
		return -errno;
	struct iovec nr = { &regs->syscall_nr, sizeof(regs->syscall_nr) };
	if (ptrace(PTRACE_GETREGSET, tid, NT_ARM_SYSTEM_CALL, &nr) < 0)
		return -errno;
	return 0;
}

int arch_regs_set(pid_t tid, const struct arch_regs *regs)
{
	struct iovec iov = { (void *)&regs->r, sizeof(regs->r) };
	if (ptrace(PTRACE_SETREGSET, tid, NT_PRSTATUS, &iov) < 0)
		return -errno;
	struct iovec nr = { (void *)&regs->syscall_nr, sizeof(regs->syscall_nr) };
	return ptrace(PTRACE_SETREGSET, tid, NT_ARM_SYSTEM_CALL, &nr) < 0 ? -errno : 0;
}

long arch_regs_syscall_nr(const struct arch_regs *regs) { return regs->syscall_nr; }

/* At a syscall stop x0 still holds the first argument: the kernel keeps
 * orig_x0 to itself and only overwrites x0 with the return value later. */
void arch_regs_syscall_args(const struct arch_regs *regs, uint64_t args[6])
{
	for (int i = 0; i < 6; i++)
		args[i] = regs->r.regs[i];
}

uint64_t arch_regs_ip(const struct arch_regs *regs) { return regs->r.pc; }
uint64_t arch_regs_sp(const struct arch_regs *regs) { return regs->r.sp; }
void arch_regs_set_sp(struct arch_regs *regs, uint64_t sp) { regs->r.sp = sp; }

int arch_skip_syscall(pid_t tid, struct arch_regs *regs, long value)
{
	regs->syscall_nr = -1;
	regs->r.regs[0] = (unsigned long long)value;
	return arch_regs_set(tid, regs);
}

/* The kernel rewinds pc to the svc before the stop, to restart the call;
 * a pc the tracer moved elsewhere turns the restart off. */
int arch_return_from_interrupted(pid_t tid, struct arch_regs *regs, uint64_t return_ip, long value)
{
	regs->r.pc = return_ip;
	return arch_skip_syscall(tid, regs, value);
}

/* x0 becomes orig_x0 again on a restart. Unused: a call restarted from
 * here failed with EBADF in the arm64 guest (Linux 6.1), its first
 * argument not the caller's, so deferred_caller_gone does not end a
 * ptrace caller's wait on aarch64. */
int arch_restart_at_exit(pid_t tid, struct arch_regs *regs, long nr)
{
	regs->syscall_nr = (int)nr;
	regs->r.regs[0] = (unsigned long long)-512; /* ERESTARTSYS */
	return arch_regs_set(tid, regs);
}

uint64_t arch_clone_flags(const uint64_t args[6]) { return args[0]; }

void arch_regs_set_syscall(struct arch_regs *regs, long nr, const uint64_t args[6])
{
	regs->syscall_nr = (int)nr;
	for (int i = 0; i < 6; i++)
		regs->r.regs[i] = args[i];
}

long arch_regs_return(const struct arch_regs *regs) { return (long)regs->r.regs[0]; }

struct arch_regs *arch_regs_copy(const struct arch_regs *regs)
{
	struct arch_regs *c = arch_regs_alloc();
	if (c)
		*c = *regs;
	return c;
}

const unsigned arch_stack_red_zone = 0;
