/* x86_64: registers through PTRACE_GETREGSET(NT_PRSTATUS). */
#include <capstone/capstone.h>
#include <elf.h>
#include <errno.h>
#include <linux/audit.h>
#include <seccomp.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>

#include "arch.h"

struct arch_regs {
	struct user_regs_struct r;
};

static const uint32_t foreign_archs[] = { SCMP_ARCH_X86, SCMP_ARCH_X32 };

const struct arch_info arch_native = {
	.name = "x86_64",
	.audit_arch = AUDIT_ARCH_X86_64,
	.o_largefile = 0100000,
	.elf_machine = EM_X86_64,
	.scmp_arch = SCMP_ARCH_X86_64,
	.foreign_scmp_archs = foreign_archs,
	.n_foreign = 2,
	.capstone_arch = CS_ARCH_X86,
	.capstone_mode = CS_MODE_64,
};

struct arch_regs *arch_regs_alloc(void) { return calloc(1, sizeof(struct arch_regs)); }
void arch_regs_free(struct arch_regs *regs) { free(regs); }

int arch_regs_get(pid_t tid, struct arch_regs *regs)
{
	struct iovec iov = { &regs->r, sizeof(regs->r) };
	return ptrace(PTRACE_GETREGSET, tid, NT_PRSTATUS, &iov) < 0 ? -errno : 0;
}

int arch_regs_set(pid_t tid, const struct arch_regs *regs)
{
	struct iovec iov = { (void *)&regs->r, sizeof(regs->r) };
	return ptrace(PTRACE_SETREGSET, tid, NT_PRSTATUS, &iov) < 0 ? -errno : 0;
}

/* The kernel reads the number as an int: junk above bit 31 is ignored. */
long arch_regs_syscall_nr(const struct arch_regs *regs) { return (int)regs->r.orig_rax; }

void arch_regs_syscall_args(const struct arch_regs *regs, uint64_t args[6])
{
	args[0] = regs->r.rdi;
	args[1] = regs->r.rsi;
	args[2] = regs->r.rdx;
	args[3] = regs->r.r10;
	args[4] = regs->r.r8;
	args[5] = regs->r.r9;
}

uint64_t arch_regs_ip(const struct arch_regs *regs) { return regs->r.rip; }
uint64_t arch_regs_sp(const struct arch_regs *regs) { return regs->r.rsp; }
void arch_regs_set_sp(struct arch_regs *regs, uint64_t sp) { regs->r.rsp = sp; }

/* orig_rax = -1 makes the kernel skip the call and return rax as it is. */
int arch_skip_syscall(pid_t tid, struct arch_regs *regs, long value)
{
	regs->r.orig_rax = (unsigned long long)-1;
	regs->r.rax = (unsigned long long)value;
	return arch_regs_set(tid, regs);
}

/* The interrupted call left rax = -ERESTARTSYS for the restart logic,
 * which orig_rax = -1 turns off. */
int arch_return_from_interrupted(pid_t tid, struct arch_regs *regs, uint64_t return_ip, long value)
{
	regs->r.rip = return_ip;
	return arch_skip_syscall(tid, regs, value);
}

int arch_restart_at_exit(pid_t tid, struct arch_regs *regs, long nr)
{
	regs->r.orig_rax = (unsigned long long)nr;
	regs->r.rax = (unsigned long long)-512; /* ERESTARTSYS */
	return arch_regs_set(tid, regs);
}

uint64_t arch_clone_flags(const uint64_t args[6]) { return args[0]; }

void arch_regs_set_syscall(struct arch_regs *regs, long nr, const uint64_t args[6])
{
	regs->r.orig_rax = (unsigned long long)nr;
	regs->r.rdi = args[0];
	regs->r.rsi = args[1];
	regs->r.rdx = args[2];
	regs->r.r10 = args[3];
	regs->r.r8 = args[4];
	regs->r.r9 = args[5];
}

long arch_regs_return(const struct arch_regs *regs) { return (long)regs->r.rax; }

struct arch_regs *arch_regs_copy(const struct arch_regs *regs)
{
	struct arch_regs *c = arch_regs_alloc();
	if (c)
		*c = *regs;
	return c;
}

const unsigned arch_stack_red_zone = 128;
