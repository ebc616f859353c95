/* execve: the path walk, x-bit and ELF checks, the #! parsing (five levels)
 * and the argv rewriting of sys_execve, which turns the call into an
 * execveat of the loader.
 *
 * Each input makes up to six files in a memfs tree (a native ELF header, a
 * "#!" line from the input, or raw bytes; any mode), then gives the path
 * to run and up to four arguments. The handler reads the path and argv
 * from the harness's memory and writes the new argv below a stack pointer
 * into a stack the harness owns, which has an inaccessible page just above
 * it.
 *
 * Checks: results are >= 0 or a Linux errno. On success: the call became
 * execveat(loader, "", argv, envp, AT_EMPTY_PATH); the new argv is a
 * NULL-terminated array whose last entries are the caller's argv[1..]
 * (the same pointers); each string before them is terminated and lies in
 * the stack; a #!-less program keeps the caller's argv. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <unistd.h>
#if defined(__aarch64__)
#include <asm/ptrace.h>
#endif

#include "arch.h"
#include "fake_task.h"
#include "fuzz.h"

long sys_execve(struct task *task, struct syscall_call *call);

#define STACK_SIZE (64 * 1024)
#define MAX_ARGV 4

static const char *const file_names[] = {"/bin/a", "/bin/b", "/s", "/d/x", "/d/y y", "/e"};
#define NFILES (sizeof(file_names) / sizeof(file_names[0]))

/* The registers hold the stack pointer where the handler writes argv. */
static void set_stack_pointer(struct arch_regs *regs, uint64_t sp)
{
	arch_regs_set_sp(regs, sp);
}

static char *stack_low, *stack_top;

static void map_stack(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, STACK_SIZE + (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED || mprotect(m + STACK_SIZE, (size_t)page, PROT_NONE) < 0)
		abort();
	stack_low = m;
	stack_top = m + STACK_SIZE;
}

static bool in_stack(uint64_t a) { return a >= fake_addr(stack_low) && a < fake_addr(stack_top); }

static void make_file(struct fake *fk, struct fuzz_in *in, const char *name)
{
	static unsigned char content[512];
	size_t len = 0;
	uint8_t kind = fuzz_u8(in);
	mode_t mode = (kind & 0x80) ? (fuzz_u16(in) & 07777) : 0755;
	switch (kind % 4) {
	case 0: { /* a native ELF executable's header */
		Elf64_Ehdr eh = {0};
		memcpy(eh.e_ident, ELFMAG, SELFMAG);
		eh.e_ident[EI_CLASS] = ELFCLASS64;
		eh.e_ident[EI_DATA] = ELFDATA2LSB;
		eh.e_ident[EI_VERSION] = EV_CURRENT;
		eh.e_type = (kind & 0x40) ? ET_DYN : ET_EXEC;
		eh.e_machine = arch_native.elf_machine;
		memcpy(content, &eh, sizeof(eh));
		len = sizeof(eh);
		break;
	}
	case 1:
	case 2: /* a script: "#!" and a line from the input */
		content[0] = '#';
		content[1] = '!';
		len = 2 + fuzz_str(in, (char *)content + 2, sizeof(content) - 2);
		if (kind & 0x20)
			content[len++] = '\n';
		break;
	default: /* anything */
		len = fuzz_bytes(in, content, fuzz_u16(in) % sizeof(content));
		break;
	}
	struct vfs_file *f;
	if (vfs_openat(&fk->ctx, NULL, name, O_CREAT | O_WRONLY | O_TRUNC, mode, &f) < 0)
		return;
	if (len)
		vfs_file_pwrite(&fk->ctx, f, content, len, 0);
	vfs_file_put(f);
	vfs_fchmodat(&fk->ctx, NULL, name, mode, 0); /* without the umask */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!stack_low)
		map_stack();
	struct fuzz_in in = {data, size};
	struct fake fk;
	fake_start(&fk);
	vfs_mkdirat(&fk.ctx, NULL, "/bin", 0755);
	vfs_mkdirat(&fk.ctx, NULL, "/d", 0755);
	vfs_symlinkat(&fk.ctx, "/bin/a", NULL, "/link");
	uint8_t nfiles = fuzz_u8(&in) % (NFILES + 1);
	for (unsigned i = 0; i < nfiles; i++)
		make_file(&fk, &in, file_names[fuzz_u8(&in) % NFILES]);

	uint8_t sel = fuzz_u8(&in);
	task_cred_init(&fk.task->cred, (sel & 0x80) ? 1000 : 0, (sel & 0x80) ? 1000 : 0);
	static char path[PATH_MAX];
	size_t plen = fuzz_str(&in, path, sizeof(path));
	/* argv: up to four strings, or no array at all */
	static char args[MAX_ARGV][256]; /* each copied to the heap */
	uint64_t argv[MAX_ARGV + 1] = {0};
	int nargs = fuzz_u8(&in) % (MAX_ARGV + 1);
	for (int i = 0; i < nargs; i++) {
		size_t alen = fuzz_str(&in, args[i], sizeof(args[i]));
		char *copy = malloc(alen + 1);
		memcpy(copy, args[i], alen + 1);
		argv[i] = fake_addr(copy);
	}
	uint64_t *argv_mem = fake_guarded(2, argv, sizeof(argv));

	struct syscall_call call = {.nr = SYS_execve};
	call.args[0] = fake_addr(fake_guarded(1, path, plen + 1));
	uint64_t argv_addr = (sel & 0x40) ? 0 : fake_addr(argv_mem);
	call.args[1] = argv_addr;
	call.args[2] = 0;
	fk.task->stop_regs = arch_regs_alloc();
	set_stack_pointer(fk.task->stop_regs, fake_addr(stack_top));

	long r = sys_execve(fk.task, &call);
	FUZZ_CHECK_RESULT(r, "sys_execve");
	if (r == 0) {
		FUZZ_CHECK(call.nr == SYS_execveat && call.action == CALL_CONTINUE_CHANGED, "became syscall %ld",
			   call.nr);
		FUZZ_CHECK((int)call.args[0] == fk.sb.fd_loader && call.args[4] == AT_EMPTY_PATH,
			   "execveat(%d, ..., %#llx)", (int)call.args[0], (unsigned long long)call.args[4]);
		FUZZ_CHECK(in_stack(call.args[1]) && *(const char *)(uintptr_t)call.args[1] == 0,
			   "the empty path is not an empty string in the stack");
		FUZZ_CHECK(fk.task->exec_in_progress && fk.task->pending_exe.dentry, "no exec recorded");
		const uint64_t *nv = (const uint64_t *)(uintptr_t)call.args[2];
		int given_rest = nargs > 1 && argv_addr ? nargs - 1 : 0;
		if (fake_addr(nv) == argv_addr && argv_addr) {
			/* no #!: the caller's argv, untouched */
			for (int i = 0; i <= nargs; i++)
				FUZZ_CHECK(argv_mem[i] == argv[i], "the caller's argv changed at %d", i);
		} else if (nv) {
			FUZZ_CHECK(in_stack(fake_addr(nv)), "new argv at %p, outside the stack", (const void *)nv);
			int n = 0;
			while (nv[n]) {
				FUZZ_CHECK(n < 2 * 5 + 1 + MAX_ARGV, "argv longer than five #! levels make it");
				n++;
			}
			FUZZ_CHECK(n >= 2 + given_rest, "argv of %d entries for %d caller arguments", n, given_rest);
			for (int i = 0; i < given_rest; i++)
				FUZZ_CHECK(nv[n - given_rest + i] == argv[1 + i], "caller's argv[%d] not passed on", 1 + i);
			for (int i = 0; i < n - given_rest; i++) {
				FUZZ_CHECK(in_stack(nv[i]), "argv[%d] outside the stack", i);
				const char *s = (const char *)(uintptr_t)nv[i];
				FUZZ_CHECK(memchr(s, 0, (size_t)(stack_top - s)), "argv[%d] not terminated", i);
			}
		}
	}
	arch_regs_free(fk.task->stop_regs);
	fk.task->stop_regs = NULL;
	for (int i = 0; i < nargs; i++)
		free((void *)(uintptr_t)argv[i]);
	fake_stop(&fk);
	return 0;
}
