/* exec: the kernel never reads the program from the host. The path is
 * resolved in the VFS (x bit, #! lines four deep, ELF check) and the call
 * becomes an execveat of the loader, which the sandbox holds at a reserved
 * fd; the loader opens the program through /proc/self/exe, which names
 * the file resolved here. Every other task sharing the caller's memory is
 * stopped first, and what the sentry writes for the kernel to read (the
 * empty path, a #! argv) must lie in private memory, so nobody rewrites it
 * meanwhile. Linux 6.18 still wants a readable empty string for
 * AT_EMPTY_PATH in execveat (a NULL path is EFAULT).
 *
 * The caller's argv and envp go to the kernel as they are: the sentry
 * reads only argv's pointers (to put a #! line's words in front), and
 * nothing it decides depends on them. The program run is the one resolved
 * here; a #! line is read once, from the sentry's own copy of the file. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#include "arch.h"
#include "dispatch.h"
#include "exec.h"
#include "fsctx.h"
#include "hold.h"
#include "opens.h"
#include "sandbox.h"
#include "vma.h"

/* Linux runs up to five #! levels before the program (ELOOP beyond). */
#define MAX_INTERPRETERS 5
#define BINPRM_BUF_SIZE 256
#define MAX_ARGS (128 * 1024)

struct exec_plan {
	struct vfs_file *program;      /* the ELF file finally run */
	/* what replaces argv[0]: each #! level replaces the first word with
	 * [interpreter, optional argument, script path] */
	char prefix[MAX_INTERPRETERS * 2 + 1][PATH_MAX];
	int nprefix;
};

static bool native_elf(const unsigned char *buf, size_t len)
{
	if (len < sizeof(Elf64_Ehdr) || memcmp(buf, ELFMAG, SELFMAG) != 0 || buf[EI_CLASS] != ELFCLASS64)
		return false;
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)buf;
	return (eh->e_type == ET_EXEC || eh->e_type == ET_DYN) && eh->e_machine == arch_native.elf_machine;
}

/* "#!interp arg\n": the interpreter and one optional argument, as Linux
 * splits them (everything after the first blank run is one argument). */
long parse_shebang(char *line, size_t len, char **interp, char **arg)
{
	char *end = memchr(line, '\n', len);
	if (!end)
		end = line + len;
	*end = 0;
	char *p = line + 2;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return -ENOEXEC;
	*interp = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	*arg = NULL;
	if (*p) {
		*p++ = 0;
		while (*p == ' ' || *p == '\t')
			p++;
		char *tail = p + strlen(p);
		while (tail > p && (tail[-1] == ' ' || tail[-1] == '\t'))
			*--tail = 0;
		if (*p)
			*arg = p;
	}
	return 0;
}

/* Linux denies running a file some process holds open for writing. */
static long not_open_for_writing(struct task *task, struct vfs_file *f)
{
	int contents = vfs_file_private_fd(f);
	if (contents < 0)
		return 0;
	struct open_census census;
	long r = open_census(task->sandbox, contents, -1, &census);
	return r < 0 ? r : census.writers ? -ETXTBSY : 0;
}

static long plan_exec(struct task *task, struct vfs_ctx *ctx, struct vfs_file *dir, int dirfd_number,
		      const char *path, int at_flags, struct exec_plan *plan)
{
	char current[PATH_MAX];
	snprintf(current, sizeof(current), "%s", path);
	int open_flags = O_RDONLY | O_CLOEXEC | ((at_flags & AT_SYMLINK_NOFOLLOW) ? O_NOFOLLOW : 0);
	for (int depth = 0;; depth++) {
		struct vfs_file *f;
		long r;
		int access_flags = 0;
		if (depth == 0 && current[0] == 0 && (at_flags & AT_EMPTY_PATH) && dir) {
			/* execveat(fd, "", AT_EMPTY_PATH): the file fd names, opened
			 * afresh (fd may be O_PATH); a script sees itself as
			 * /dev/fd/N, as in Linux */
			char by_fd[64];
			snprintf(by_fd, sizeof(by_fd), "/proc/self/fd/%d", dirfd_number);
			r = vfs_openat(ctx, NULL, by_fd, O_RDONLY | O_CLOEXEC, 0, &f);
			if (r == -EACCES)
				r = vfs_openat(ctx, NULL, by_fd, O_PATH | O_CLOEXEC, 0, &f);
			access_flags = AT_EMPTY_PATH;
			snprintf(current, sizeof(current), "/dev/fd/%d", dirfd_number);
		} else {
			r = vfs_openat(ctx, dir, current, open_flags, 0, &f);
		}
		if (r < 0)
			return r;
		struct stat st;
		r = vfs_fstat(f, &st);
		if (r == 0 && !S_ISREG(st.st_mode))
			r = -EACCES;
		if (r == 0)
			r = access_flags ? vfs_faccessat(ctx, dir, "", X_OK, AT_EMPTY_PATH)
					 : vfs_faccessat(ctx, dir, current, X_OK, 0);
		if (r == 0)
			r = not_open_for_writing(task, f);
		unsigned char head[BINPRM_BUF_SIZE + 1];
		ssize_t n = r == 0 ? vfs_file_pread(f, head, BINPRM_BUF_SIZE, 0) : r;
		if (n < 0) {
			vfs_file_put(f);
			return n;
		}
		if (native_elf(head, (size_t)n)) {
			plan->program = f;
			return 0;
		}
		vfs_file_put(f);
		if (n < 2 || head[0] != '#' || head[1] != '!')
			return -ENOEXEC;
		if (depth == MAX_INTERPRETERS)
			return -ELOOP;
		char *interp, *arg;
		head[n] = 0;
		if (parse_shebang((char *)head, (size_t)n, &interp, &arg) < 0)
			return -ENOEXEC;
		/* the first word (argv[0], or the previous level's interpreter,
		 * which is this script) gives way to this level's words */
		int keep = plan->nprefix > 0 ? plan->nprefix - 1 : 0;
		int add = arg ? 3 : 2;
		memmove(plan->prefix[add], plan->prefix[plan->nprefix - keep], sizeof(plan->prefix[0]) * (size_t)keep);
		snprintf(plan->prefix[0], PATH_MAX, "%s", interp);
		if (arg)
			snprintf(plan->prefix[1], PATH_MAX, "%s", arg);
		snprintf(plan->prefix[add - 1], PATH_MAX, "%s", current);
		plan->nprefix = keep + add;
		snprintf(current, sizeof(current), "%s", interp);
		dir = NULL;
		open_flags = O_RDONLY | O_CLOEXEC;
	}
}

/* Writes the new argv below the stack pointer: the prefix strings, then
 * a pointer array of the prefix and the caller's argv[1..]. Returns the
 * address of the array, sets *empty to an address holding "" and *lowest
 * to the lowest address written. */
static long write_argv(struct task *task, const struct exec_plan *plan, uint64_t old_argv, uint64_t *new_argv,
		       uint64_t *empty, uint64_t *lowest)
{
	uint64_t sp = arch_regs_sp(task->stop_regs);
	uint64_t at = sp - arch_stack_red_zone - 64;
	at -= 1;
	*empty = at;
	*lowest = at;
	long r = copy_out(task, at, "", 1);
	if (r < 0 || plan->nprefix == 0) {
		*new_argv = old_argv;
		return r;
	}
	uint64_t strings[MAX_INTERPRETERS * 2 + 1];
	for (int i = plan->nprefix - 1; i >= 0; i--) {
		size_t len = strlen(plan->prefix[i]) + 1;
		at -= len;
		strings[i] = at;
		r = copy_out(task, at, plan->prefix[i], len);
		if (r < 0)
			return r;
	}
	/* the caller's argv[1..], pointers only: their strings stay put */
	static uint64_t rest[MAX_ARGS];
	size_t nrest = 0;
	for (uint64_t p = old_argv ? old_argv + 8 : 0; p; p += 8) {
		uint64_t v;
		if (task_read_mem(task, p, &v, 8) < 0)
			return -EFAULT;
		if (!v)
			break;
		if (nrest == MAX_ARGS)
			return -E2BIG;
		rest[nrest++] = v;
	}
	if (old_argv) {
		uint64_t first;
		if (task_read_mem(task, old_argv, &first, 8) < 0)
			return -EFAULT;
		if (!first)
			nrest = 0; /* an empty argv: the script path still follows */
	}
	size_t total = (size_t)plan->nprefix + nrest + 1;
	at = (at - total * 8) & ~(uint64_t)15;
	*new_argv = at;
	*lowest = at;
	r = copy_out(task, at, strings, (size_t)plan->nprefix * 8);
	if (r == 0 && nrest)
		r = copy_out(task, at + (uint64_t)plan->nprefix * 8, rest, nrest * 8);
	uint64_t null = 0;
	if (r == 0)
		r = copy_out(task, at + (total - 1) * 8, &null, 8);
	return r;
}

/* [lo, hi) was written by the sentry for the kernel to read. Tasks sharing
 * the caller's memory are held; other processes can change it only through
 * a shared mapping (a stack moved into MAP_SHARED memory, say), where they
 * could turn the empty path into a host path. */
static long planted_out_of_reach(struct task *task, const struct syscall_call *call, uint64_t lo, uint64_t hi)
{
	int r = task_memory_private(task->tid, lo, hi);
	if (r == 1)
		return 0;
	if (r == 0) {
		report_denial(task, call, EPERM, "exec with the stack pointer in shared memory");
		return -EPERM;
	}
	return r;
}

/* Linux names the process after the last part of the path the exec was
 * given (for a #! script, the script's), cut to 15 bytes; the loader
 * runs the file that path resolves to, whose name may differ (a symlink).
 * For execveat(fd, "", AT_EMPTY_PATH) Linux takes the name of the file
 * run, which is the loader's own choice: exec_name stays "". */
static void set_exec_name(struct task *task, const char *path)
{
	const char *last = strrchr(path, '/');
	snprintf(task->exec_name, sizeof(task->exec_name), "%.15s", last ? last + 1 : path);
}

void exec_name_to_loader(struct task *task, uint64_t name_addr)
{
	if (!task->exec_name[0])
		return;
	/* the loader's buffer, in the memory of a program that has just
	 * started: no other thread exists yet to race the write */
	copy_out(task, name_addr, task->exec_name, strlen(task->exec_name) + 1);
	task->exec_name[0] = 0;
}

static long exec_common(struct task *task, struct syscall_call *call, uint64_t dirfd, uint64_t path_addr,
			uint64_t argv, uint64_t envp, int at_flags)
{
	if (at_flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		return -EINVAL;
	struct vfs_ctx ctx;
	struct vfs_file *dir;
	char path[PATH_MAX];
	task_vfs_ctx(task, &ctx);
	long r = path_arg(task, path_addr, path);
	if (r == 0 && path[0] == 0 && !(at_flags & AT_EMPTY_PATH))
		r = -ENOENT;
	if (r >= 0)
		r = dirfd_arg(task, dirfd, &dir);
	if (r < 0)
		return r;
	static struct exec_plan plan; /* large: PATH_MAX strings */
	plan.nprefix = 0;
	plan.program = NULL;
	r = plan_exec(task, &ctx, dir, (int)dirfd, path, at_flags, &plan);
	if (r < 0)
		return r;
	r = hold_memory_sharers(task);
	uint64_t new_argv = argv, empty = 0, lowest = 0;
	if (r == 0)
		r = write_argv(task, &plan, argv, &new_argv, &empty, &lowest);
	if (r == 0)
		r = planted_out_of_reach(task, call, lowest, empty + 1);
	if (r < 0) {
		vfs_file_put(plan.program);
		release_held(task->sandbox);
		return r;
	}
	task_set_exe(task, vfs_file_path(plan.program), &task->pending_exe);
	vfs_file_put(plan.program);
	task->exec_in_progress = true;
	set_exec_name(task, path);
	call->nr = SYS_execveat;
	call->args[0] = (uint64_t)task->sandbox->fd_loader;
	call->args[1] = empty;
	call->args[2] = new_argv;
	call->args[3] = envp;
	call->args[4] = AT_EMPTY_PATH;
	call->args[5] = 0;
	call->action = CALL_CONTINUE_CHANGED;
	return 0;
}

long sys_execve(struct task *task, struct syscall_call *call)
{
	return exec_common(task, call, (uint64_t)(int64_t)AT_FDCWD, call->args[0], call->args[1], call->args[2], 0);
}

long sys_execveat(struct task *task, struct syscall_call *call)
{
	return exec_common(task, call, call->args[0], call->args[1], call->args[2], call->args[3], (int)call->args[4]);
}
