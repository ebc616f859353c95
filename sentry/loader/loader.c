/*
 * The sentry loader: maps an ELF program and its interpreter with ordinary
 * system calls, fixes the aux vector and enters the program.
 *
 * Sandbox mode (the kernel's AT_EXECFN is "/dev/fd/N", because the sentry
 * ran us with execveat(loader_fd, "", ..., AT_EMPTY_PATH)): the program is
 * /proc/self/exe, its path is readlink("/proc/self/exe"), argv is untouched.
 * Standalone mode: "sentry-loader PROGRAM [ARG]...", like ld.so run as a
 * program.
 *
 * Freestanding: no libc, and no data that needs a run-time relocation.
 */
#include <linux/auxvec.h>
#include <linux/elf.h>
#include <linux/errno.h>
#include <linux/fcntl.h>
#include <linux/mman.h>

#include "loader_syscall.h"

#define MAX_PHDRS 128
#define PATH_SIZE 4096
#define FAILED(r) ((unsigned long)(r) > -4096UL)

struct elf_image {
	const char *path;
	int fd;
	unsigned long bias;
	unsigned long entry;
	unsigned long phdr;
	unsigned long phnum;
	char interp[PATH_SIZE];
};

_Noreturn void loader_jump(unsigned long entry, unsigned long *sp);
_Noreturn void loader_main(unsigned long *sp);
#ifdef __x86_64__
void loader_fastpath_setup(int loader_fd); /* fastpath_stub.c */
#endif

static unsigned long page_size = 4096;

/* The compiler may emit calls to these even in freestanding code. */
void *memset(void *dst, int c, unsigned long n)
{
	unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

void *memcpy(void *dst, const void *src, unsigned long n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, unsigned long n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

static int starts_with(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return 0;
	return 1;
}

static const char *errno_name(long err)
{
	switch (err) {
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EIO: return "EIO";
	case ENOEXEC: return "ENOEXEC";
	case EBADF: return "EBADF";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EEXIST: return "EEXIST";
	case ENODEV: return "ENODEV";
	case ENOTDIR: return "ENOTDIR";
	case EISDIR: return "EISDIR";
	case EINVAL: return "EINVAL";
	case ENFILE: return "ENFILE";
	case EMFILE: return "EMFILE";
	case ETXTBSY: return "ETXTBSY";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case ENOSYS: return "ENOSYS";
	case ELOOP: return "ELOOP";
	case EOVERFLOW: return "EOVERFLOW";
	}
	return 0;
}

struct line {
	char buf[512];
	unsigned long len;
};

static void line_add(struct line *l, const char *s)
{
	while (*s && l->len < sizeof l->buf - 1)
		l->buf[l->len++] = *s++;
}

static void line_add_number(struct line *l, unsigned long n)
{
	char digits[24];
	int i = sizeof digits - 1;

	digits[i] = 0;
	do
		digits[--i] = (char)('0' + n % 10);
	while (n /= 10);
	line_add(l, digits + i);
}

static _Noreturn void die_line(struct line *l)
{
	l->buf[l->len++] = '\n';
	loader_syscall3(__NR_write, 2, (long)l->buf, (long)l->len);
	for (;;)
		loader_syscall1(__NR_exit_group, 127);
}

/* "sentry-loader: <what> <subject>: <reason>" */
static _Noreturn void die(const char *what, const char *subject, const char *reason)
{
	struct line l = { .len = 0 };

	line_add(&l, "sentry-loader: ");
	line_add(&l, what);
	if (subject) {
		if (*what)
			line_add(&l, " ");
		line_add(&l, subject);
	}
	line_add(&l, ": ");
	line_add(&l, reason);
	die_line(&l);
}

static _Noreturn void die_errno(const char *what, const char *subject, long ret)
{
	const char *name = errno_name(-ret);
	struct line number = { .len = 0 };

	if (!name) {
		line_add(&number, "errno ");
		line_add_number(&number, (unsigned long)-ret);
		number.buf[number.len] = 0;
		name = number.buf;
	}
	die(what, subject, name);
}

static _Noreturn void die_not_executable(const char *path)
{
	die("", path, "not an executable for this machine");
}

static long check(long ret, const char *what, const char *subject)
{
	if (FAILED(ret))
		die_errno(what, subject, ret);
	return ret;
}

static unsigned long page_down(unsigned long a)
{
	return a & -page_size;
}

static unsigned long page_up(unsigned long a)
{
	return (a + page_size - 1) & -page_size;
}

static unsigned long map(unsigned long addr, unsigned long len, int prot, int flags,
			 int fd, unsigned long off, const char *path)
{
	long ret = loader_syscall6(__NR_mmap, (long)addr, (long)len, prot, flags, fd, (long)off);

	return (unsigned long)check(ret, "mmap", path);
}

static void read_exact(int fd, void *buf, unsigned long len, unsigned long off, const char *path)
{
	long ret = check(loader_syscall4(__NR_pread64, fd, (long)buf, (long)len, (long)off),
			 "read", path);

	if ((unsigned long)ret != len)
		die_not_executable(path);
}

static int open_file(const char *path)
{
	return (int)check(loader_syscall4(__NR_openat, AT_FDCWD, (long)path,
					  O_RDONLY | O_CLOEXEC, 0), "open", path);
}

static int segment_prot(unsigned int flags)
{
	return (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) |
	       (flags & PF_X ? PROT_EXEC : 0);
}

static void map_segment(const struct elf_image *im, const Elf64_Phdr *ph)
{
	unsigned long start = im->bias + ph->p_vaddr;
	unsigned long file_end = start + ph->p_filesz;
	unsigned long mem_end = start + ph->p_memsz;
	unsigned long anon_start = page_down(start);
	int prot = segment_prot(ph->p_flags);

	if (ph->p_filesz) {
		anon_start = page_up(file_end);
		map(page_down(start), anon_start - page_down(start), prot,
		    MAP_PRIVATE | MAP_FIXED, im->fd, page_down(ph->p_offset), im->path);
	}
	if (ph->p_memsz <= ph->p_filesz)
		return;
	/* The file's last page holds bytes past p_filesz that belong to the bss. */
	if (ph->p_filesz && file_end != anon_start) {
		if (!(prot & PROT_WRITE))
			check(loader_syscall3(__NR_mprotect, (long)page_down(file_end), (long)page_size,
					      prot | PROT_WRITE), "mprotect", im->path);
		memset((void *)file_end, 0, anon_start - file_end);
		if (!(prot & PROT_WRITE))
			check(loader_syscall3(__NR_mprotect, (long)page_down(file_end), (long)page_size,
					      prot), "mprotect", im->path);
	}
	if (page_up(mem_end) > anon_start)
		map(anon_start, page_up(mem_end) - anon_start, prot,
		    MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, -1, 0, im->path);
}

/*
 * One PROT_NONE reservation covers all PT_LOAD segments, so an ET_DYN image
 * gets a base no other mapping overlaps and an ET_EXEC one fails loudly if its
 * fixed range is taken. Returns the load bias.
 */
static unsigned long reserve(const struct elf_image *im, const Elf64_Ehdr *eh,
			     const Elf64_Phdr *ph)
{
	unsigned long lo = -1UL, hi = 0, align = page_size, base, len;
	int i, flags = MAP_PRIVATE | MAP_ANONYMOUS;

	for (i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if ((ph[i].p_vaddr - ph[i].p_offset) & (page_size - 1))
			die("", im->path, "segment misaligned for the page size");
		if (ph[i].p_memsz < ph[i].p_filesz || ph[i].p_vaddr + ph[i].p_memsz < ph[i].p_vaddr)
			die_not_executable(im->path);
		if (page_down(ph[i].p_vaddr) < lo)
			lo = page_down(ph[i].p_vaddr);
		if (page_up(ph[i].p_vaddr + ph[i].p_memsz) > hi)
			hi = page_up(ph[i].p_vaddr + ph[i].p_memsz);
		if (ph[i].p_align > align && !(ph[i].p_align & (ph[i].p_align - 1)))
			align = ph[i].p_align;
	}
	if (hi <= lo)
		die_not_executable(im->path);
	len = hi - lo;

	if (eh->e_type == ET_EXEC) {
		base = map(lo, len, PROT_NONE, flags | MAP_FIXED_NOREPLACE, -1, 0, im->path);
		if (base != lo)
			die("map", im->path, "fixed address range in use");
		return 0;
	}
	/* Honour p_align larger than a page: reserve extra and trim. */
	base = map(0, len + align - page_size, PROT_NONE, flags, -1, 0, im->path);
	if (align > page_size) {
		unsigned long aligned = (base + align - 1) & -align;

		if (aligned > base)
			loader_syscall2(__NR_munmap, (long)base, (long)(aligned - base));
		if (align - page_size > aligned - base)
			loader_syscall2(__NR_munmap, (long)(aligned + len),
					(long)(align - page_size - (aligned - base)));
		base = aligned;
	}
	return base - lo;
}

static void load(struct elf_image *im)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph[MAX_PHDRS];
	unsigned long phdr_size;
	int i;

	read_exact(im->fd, &eh, sizeof eh, 0, im->path);
	if (eh.e_ident[EI_MAG0] != ELFMAG0 || eh.e_ident[EI_MAG1] != ELFMAG1 ||
	    eh.e_ident[EI_MAG2] != ELFMAG2 || eh.e_ident[EI_MAG3] != ELFMAG3 ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh.e_machine != LOADER_ELF_MACHINE ||
	    (eh.e_type != ET_EXEC && eh.e_type != ET_DYN) ||
	    eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0 || eh.e_phnum > MAX_PHDRS)
		die_not_executable(im->path);
	phdr_size = eh.e_phnum * sizeof(Elf64_Phdr);
	read_exact(im->fd, ph, phdr_size, eh.e_phoff, im->path);

	im->bias = reserve(im, &eh, ph);
	im->entry = im->bias + eh.e_entry;
	im->phnum = eh.e_phnum;
	im->phdr = 0;
	im->interp[0] = 0;

	for (i = 0; i < eh.e_phnum; i++) {
		switch (ph[i].p_type) {
		case PT_LOAD:
			map_segment(im, &ph[i]);
			if (!im->phdr && ph[i].p_offset <= eh.e_phoff &&
			    eh.e_phoff + phdr_size <= ph[i].p_offset + ph[i].p_filesz)
				im->phdr = im->bias + ph[i].p_vaddr + (eh.e_phoff - ph[i].p_offset);
			break;
		case PT_PHDR:
			im->phdr = im->bias + ph[i].p_vaddr;
			break;
		case PT_INTERP:
			if (ph[i].p_filesz < 2 || ph[i].p_filesz > sizeof im->interp)
				die("", im->path, "bad interpreter path");
			read_exact(im->fd, im->interp, ph[i].p_filesz, ph[i].p_offset, im->path);
			if (im->interp[ph[i].p_filesz - 1] != 0)
				die("", im->path, "bad interpreter path");
			break;
		}
	}
}

static void set_aux(unsigned long *auxv, unsigned long type, unsigned long value)
{
	for (; auxv[0] != AT_NULL; auxv += 2)
		if (auxv[0] == type)
			auxv[1] = value;
}

static unsigned long get_aux(const unsigned long *auxv, unsigned long type)
{
	for (; auxv[0] != AT_NULL; auxv += 2)
		if (auxv[0] == type)
			return auxv[1];
	return 0;
}

static unsigned long *find_auxv(unsigned long *sp)
{
	unsigned long *p = sp + 1 + sp[0] + 1;

	while (*p)
		p++;
	return p + 1;
}

/*
 * Drop the loader's own argv[0]: everything from argv[1] to the end of the
 * aux vector moves down one word, so sp keeps the alignment the kernel gave.
 */
static void shift_args(unsigned long *sp)
{
	unsigned long *end = find_auxv(sp), *p;

	while (end[0] != AT_NULL)
		end += 2;
	end += 2;
	sp[0]--;
	for (p = sp + 1; p + 1 < end; p++)
		p[0] = p[1];
}

/* The path must outlive the loader's stack frames: give it its own pages. */
static const char *read_exe_link(void)
{
	unsigned long size = page_up(PATH_SIZE);
	char *buf = (char *)map(0, size, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0, "/proc/self/exe");
	long n = check(loader_syscall4(__NR_readlinkat, AT_FDCWD, (long)"/proc/self/exe",
				       (long)buf, PATH_SIZE - 1), "readlink", "/proc/self/exe");

	buf[n] = 0;
	loader_syscall3(__NR_mprotect, (long)buf, (long)size, PROT_READ);
	return buf;
}

/*
 * The kernel named the process after the loader's memfd: give it the
 * program's name, as ps, pgrep and /proc/<pid>/comm show it. The buffer
 * holds the last component of the program's path (cut to the kernel's 15
 * characters); the sentry, which sees the call, writes the name Linux
 * would give over it first: the last component of the path the exec was
 * given, which may be a symlink or a #! script.
 */
static void name_process(const char *path)
{
	char name[16];
	const char *last = path;
	unsigned long n = 0;

	for (const char *p = path; *p; p++)
		if (*p == '/')
			last = p + 1;
	while (n < sizeof(name) - 1 && last[n]) {
		name[n] = last[n];
		n++;
	}
	name[n] = 0;
	loader_syscall2(__NR_prctl, 15 /* PR_SET_NAME */, (long)name);
}

_Noreturn void loader_main(unsigned long *sp)
{
	static struct elf_image prog, interp;
	unsigned long *auxv = find_auxv(sp);
	const char *execfn = (const char *)get_aux(auxv, AT_EXECFN);
	unsigned long entry, base = 0;
	int loader_fd = -1;

	if (get_aux(auxv, AT_PAGESZ))
		page_size = get_aux(auxv, AT_PAGESZ);

	if (execfn && starts_with(execfn, "/dev/fd/")) {
		loader_fd = 0;
		for (const char *p = execfn + 8; *p >= '0' && *p <= '9'; p++)
			loader_fd = loader_fd * 10 + (*p - '0');
		prog.fd = open_file("/proc/self/exe");
		prog.path = read_exe_link();
		name_process(prog.path);
	} else {
		if (sp[0] < 2)
			die("usage", 0, "sentry-loader PROGRAM [ARG]...");
		prog.path = ((const char **)sp)[2];
		prog.fd = open_file(prog.path);
		shift_args(sp);
		auxv = find_auxv(sp);
	}

	load(&prog);
	if (!prog.phdr)
		die("", prog.path, "program headers are not in a loaded segment");
	entry = prog.entry;
	if (prog.interp[0]) {
		interp.path = prog.interp;
		interp.fd = open_file(interp.path);
		load(&interp);
		entry = interp.entry;
		base = interp.bias;
		loader_syscall1(__NR_close, interp.fd);
	}
	loader_syscall1(__NR_close, prog.fd);
#ifdef __x86_64__
	/* after the program and its interpreter, whose fixed ranges come first */
	loader_fastpath_setup(loader_fd);
#endif

	set_aux(auxv, AT_PHDR, prog.phdr);
	set_aux(auxv, AT_PHENT, sizeof(Elf64_Phdr));
	set_aux(auxv, AT_PHNUM, prog.phnum);
	set_aux(auxv, AT_ENTRY, prog.entry);
	set_aux(auxv, AT_BASE, base);
	set_aux(auxv, AT_EXECFN, (unsigned long)prog.path);
	loader_jump(entry, sp);
}
