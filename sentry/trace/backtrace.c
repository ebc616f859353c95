/* The workload's stack through libunwind's ptrace accessors. The
 * programs run from memfds the unwinder cannot open by the path
 * /proc/<pid>/maps gives, so two accessors are the sentry's own: unwind
 * tables come from the .eh_frame_hdr in the task's memory, and symbol
 * names from the mapped file, opened through /proc/<pid>/map_files. */
#define _GNU_SOURCE
#include <capstone/capstone.h>
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libunwind-ptrace.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arch.h"
#include "backtrace.h"
#include "filter.h"
#include "sandbox.h"
#include "seccomp_compat.h"

/* Exported by libunwind, though no header declares it: the lookup its own
 * unwinders run on a .eh_frame_hdr search table. */
extern int UNW_OBJ(dwarf_search_unwind_table)(unw_addr_space_t as, unw_word_t ip, unw_dyn_info_t *di,
					      unw_proc_info_t *pi, int need_unwind_info, void *arg);

/* libcapstone and libunwind are opened by backtrace_load, under
 * --backtrace only: a sandbox's start never pays for loading them. The
 * unw_* names are macros giving the target's symbols (_Ux86_64_step). */
static struct {
	__typeof__(cs_open) *open;
	__typeof__(cs_disasm) *disasm;
	__typeof__(cs_free) *free;
} cs;
static struct {
	__typeof__(unw_create_addr_space) *create_addr_space;
	__typeof__(unw_destroy_addr_space) *destroy_addr_space;
	__typeof__(unw_init_remote) *init_remote;
	__typeof__(unw_get_reg) *get_reg;
	__typeof__(unw_get_proc_name) *get_proc_name;
	__typeof__(unw_step) *step;
	__typeof__(unw_strerror) *error_text;
	__typeof__(UNW_OBJ(dwarf_search_unwind_table)) *search_unwind_table;
	__typeof__(_UPT_create) *upt_create;
	__typeof__(_UPT_destroy) *upt_destroy;
	__typeof__(_UPT_access_mem) *upt_access_mem;
	__typeof__(_UPT_access_reg) *upt_access_reg;
	__typeof__(_UPT_access_fpreg) *upt_access_fpreg;
	__typeof__(_UPT_put_unwind_info) *upt_put_unwind_info;
} unw;

#define SYMBOL_TEXT(symbol) #symbol
#define SYMBOL_NAME(symbol) SYMBOL_TEXT(symbol) /* after expanding the macro */
#define LOAD(handle, field, symbol) ((field) = dlsym(handle, SYMBOL_NAME(symbol)))

static char load_error[256];

static void *open_library(const char *soname, int flags)
{
	void *handle = dlopen(soname, flags);
	if (!handle && !load_error[0])
		snprintf(load_error, sizeof(load_error), "%s", dlerror());
	return handle;
}

int backtrace_load(void)
{
	void *capstone = open_library(SENTRY_CAPSTONE_SONAME, RTLD_NOW);
	/* libunwind-ptrace needs the target's libunwind but does not name it */
	void *target = open_library(SENTRY_UNWIND_SONAME, RTLD_NOW | RTLD_GLOBAL);
	void *upt = target ? open_library(SENTRY_UNWIND_PTRACE_SONAME, RTLD_NOW) : NULL;
	bool loaded = capstone && upt && LOAD(capstone, cs.open, cs_open) && LOAD(capstone, cs.disasm, cs_disasm) &&
		      LOAD(capstone, cs.free, cs_free) &&
		      LOAD(target, unw.create_addr_space, unw_create_addr_space) &&
		      LOAD(target, unw.destroy_addr_space, unw_destroy_addr_space) &&
		      LOAD(target, unw.init_remote, unw_init_remote) && LOAD(target, unw.get_reg, unw_get_reg) &&
		      LOAD(target, unw.get_proc_name, unw_get_proc_name) && LOAD(target, unw.step, unw_step) &&
		      LOAD(target, unw.error_text, unw_strerror) &&
		      LOAD(target, unw.search_unwind_table, UNW_OBJ(dwarf_search_unwind_table)) &&
		      LOAD(upt, unw.upt_create, _UPT_create) && LOAD(upt, unw.upt_destroy, _UPT_destroy) &&
		      LOAD(upt, unw.upt_access_mem, _UPT_access_mem) &&
		      LOAD(upt, unw.upt_access_reg, _UPT_access_reg) &&
		      LOAD(upt, unw.upt_access_fpreg, _UPT_access_fpreg) &&
		      LOAD(upt, unw.upt_put_unwind_info, _UPT_put_unwind_info);
	if (!loaded) {
		const char *missing_symbol = dlerror();
		fprintf(stderr, "sentry: --backtrace needs %s, %s and %s: %s\n", SENTRY_CAPSTONE_SONAME,
			SENTRY_UNWIND_SONAME, SENTRY_UNWIND_PTRACE_SONAME,
			load_error[0] ? load_error : missing_symbol ? missing_symbol : "a function is missing");
		unw.upt_create = NULL;
		return -1;
	}
	return 0;
}

#define CODE_BEFORE 32
#define CODE_AFTER 16
#define PAGE 4096u

struct mapping {
	uint64_t lo, hi, offset;
	unsigned long inode;
	char dev[16];
	char path[256];
};

/* An ELF object mapped in the task, as the unwinder needs it. */
struct image {
	struct mapping start;  /* the mapping of the file's first page */
	uint64_t bias;
	uint64_t text_lo, text_hi; /* the loaded segment holding the ip */
	uint64_t eh_frame_hdr;
	uint32_t fde_count;
};

struct remote {
	void *upt;
	struct task *task;
	uint64_t no_table_ip; /* the last ip no unwind table covered */
};

static bool parse_mapping(const char *line, struct mapping *m)
{
	int path_at = 0;
	char perms[8];
	if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %15s %lu %n", &m->lo, &m->hi, perms, &m->offset,
		   m->dev, &m->inode, &path_at) < 6)
		return false;
	snprintf(m->path, sizeof(m->path), "%s", path_at ? line + path_at : "");
	m->path[strcspn(m->path, "\n")] = 0;
	return true;
}

static bool same_object(const struct mapping *a, const struct mapping *b)
{
	return a->inode == b->inode && strcmp(a->dev, b->dev) == 0 && strcmp(a->path, b->path) == 0;
}

/* The mapping that holds addr, and the first mapping of the same object. */
static bool find_object(pid_t tid, uint64_t addr, struct mapping *start)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/maps", tid);
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	struct mapping m = { 0 }, holder;
	char *line = NULL;
	size_t cap = 0;
	bool found = false;
	while (!found && getline(&line, &cap, f) > 0)
		found = parse_mapping(line, &m) && addr >= m.lo && addr < m.hi;
	holder = m;
	bool named = found && (holder.inode || holder.path[0] == '[');
	bool have_start = false;
	rewind(f);
	while (named && !have_start && getline(&line, &cap, f) > 0)
		have_start = parse_mapping(line, &m) && m.offset == 0 && same_object(&m, &holder) && m.lo <= addr;
	free(line);
	fclose(f);
	if (have_start)
		*start = m;
	return have_start;
}

static int image_at(struct task *task, uint64_t ip, struct image *img)
{
	memset(img, 0, sizeof(*img));
	if (!find_object(task->tid, ip, &img->start))
		return -UNW_ENOINFO;
	Elf64_Ehdr eh;
	if (task_read_mem(task, img->start.lo, &eh, sizeof(eh)) < 0 || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum > 64)
		return -UNW_ENOINFO;
	Elf64_Phdr ph[64];
	if (task_read_mem(task, img->start.lo + eh.e_phoff, ph, eh.e_phnum * sizeof(Elf64_Phdr)) < 0)
		return -UNW_ENOINFO;
	uint64_t first_vaddr = UINT64_MAX;
	for (int i = 0; i < eh.e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_vaddr < first_vaddr)
			first_vaddr = ph[i].p_vaddr;
	if (first_vaddr == UINT64_MAX)
		return -UNW_ENOINFO;
	img->bias = img->start.lo - (first_vaddr & ~(uint64_t)(PAGE - 1));
	uint64_t eh_frame_vaddr = 0;
	for (int i = 0; i < eh.e_phnum; i++) {
		uint64_t lo = img->bias + ph[i].p_vaddr;
		if (ph[i].p_type == PT_LOAD && ip >= lo && ip < lo + ph[i].p_memsz) {
			img->text_lo = lo;
			img->text_hi = lo + ph[i].p_memsz;
		}
		if (ph[i].p_type == PT_GNU_EH_FRAME)
			eh_frame_vaddr = ph[i].p_vaddr;
	}
	if (!img->text_hi || !eh_frame_vaddr)
		return -UNW_ENOINFO;
	/* version, eh_frame_ptr encoding, fde_count encoding, table encoding,
	 * eh_frame_ptr, fde_count: the layout every linker writes */
	struct {
		uint8_t version, frame_ptr_enc, count_enc, table_enc;
		int32_t frame_ptr;
		uint32_t fde_count;
	} hdr;
	img->eh_frame_hdr = img->bias + eh_frame_vaddr;
	if (task_read_mem(task, img->eh_frame_hdr, &hdr, sizeof(hdr)) < 0 || hdr.version != 1 ||
	    (hdr.frame_ptr_enc & 0x0f) != 0x0b /* sdata4 */ || hdr.count_enc != 0x03 /* udata4 */ ||
	    hdr.table_enc != 0x3b /* datarel sdata4 */)
		return -UNW_ENOINFO;
	img->fde_count = hdr.fde_count;
	return 0;
}

static int find_proc_info(unw_addr_space_t as, unw_word_t ip, unw_proc_info_t *pi, int need_unwind_info,
			  void *arg)
{
	struct remote *r = arg;
	struct image img;
	int e = image_at(r->task, ip, &img);
	if (e < 0) {
		r->no_table_ip = ip;
		return e;
	}
	unw_dyn_info_t di = {
		.start_ip = img.text_lo,
		.end_ip = img.text_hi,
		.format = UNW_INFO_FORMAT_REMOTE_TABLE,
		.u.rti = { .segbase = img.eh_frame_hdr,
			   .table_data = img.eh_frame_hdr + 12,
			   .table_len = img.fde_count * 8u / sizeof(unw_word_t) },
	};
	return unw.search_unwind_table(as, ip, &di, pi, need_unwind_info, arg);
}

/* The object's file: through map_files (needs CAP_SYS_ADMIN or
 * CAP_CHECKPOINT_RESTORE), else by the path the maps show. */
static int open_object(pid_t tid, const struct mapping *m)
{
	char path[96];
	snprintf(path, sizeof(path), "/proc/%d/map_files/%" PRIx64 "-%" PRIx64, tid, m->lo, m->hi);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && m->path[0] == '/' && !strstr(m->path, " (deleted)"))
		fd = open(m->path, O_RDONLY | O_CLOEXEC);
	return fd;
}

static bool within(size_t size, uint64_t offset, uint64_t len) { return offset <= size && len <= size - offset; }

/* The function symbol covering addr (an address of the file's own
 * layout) in a mapped ELF file; every offset is checked against size. */
static bool symbol_in_file(const uint8_t *file, size_t size, uint64_t addr, char *name, size_t len,
			   uint64_t *offset)
{
	const Elf64_Ehdr *eh = (const void *)file;
	if (!within(size, 0, sizeof(*eh)) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    !within(size, eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr)))
		return false;
	const Elf64_Shdr *sh = (const void *)(file + eh->e_shoff);
	for (uint32_t want = SHT_SYMTAB;; want = SHT_DYNSYM) {
		for (int i = 0; i < eh->e_shnum; i++) {
			if (sh[i].sh_type != want || sh[i].sh_link >= eh->e_shnum ||
			    !within(size, sh[i].sh_offset, sh[i].sh_size))
				continue;
			const Elf64_Shdr *strtab = &sh[sh[i].sh_link];
			if (!within(size, strtab->sh_offset, strtab->sh_size))
				continue;
			const Elf64_Sym *sym = (const void *)(file + sh[i].sh_offset);
			const char *strings = (const char *)(file + strtab->sh_offset);
			for (size_t k = 0; k < sh[i].sh_size / sizeof(Elf64_Sym); k++) {
				int type = ELF64_ST_TYPE(sym[k].st_info);
				if ((type != STT_FUNC && type != STT_GNU_IFUNC) || sym[k].st_shndx == SHN_UNDEF ||
				    addr < sym[k].st_value || addr - sym[k].st_value >= sym[k].st_size ||
				    sym[k].st_name >= strtab->sh_size)
					continue;
				const char *s = strings + sym[k].st_name;
				size_t n = strnlen(s, strtab->sh_size - sym[k].st_name);
				snprintf(name, len, "%.*s", (int)n, s);
				*offset = addr - sym[k].st_value;
				return true;
			}
		}
		if (want == SHT_DYNSYM)
			return false;
	}
}

static int get_proc_name(unw_addr_space_t as, unw_word_t ip, char *name, size_t len, unw_word_t *offset,
			 void *arg)
{
	struct remote *r = arg;
	struct image img;
	if (image_at(r->task, ip, &img) < 0 && !img.start.hi)
		return -UNW_ENOINFO;
	int fd = open_object(r->task->tid, &img.start);
	if (fd < 0)
		return -UNW_ENOINFO;
	struct stat st;
	void *file = fstat(fd, &st) == 0 && st.st_size > 0
			     ? mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0)
			     : MAP_FAILED;
	close(fd);
	if (file == MAP_FAILED)
		return -UNW_ENOINFO;
	uint64_t off = 0;
	bool found = symbol_in_file(file, (size_t)st.st_size, ip - img.bias, name, len, &off);
	munmap(file, (size_t)st.st_size);
	*offset = off;
	return found ? 0 : -UNW_ENOINFO;
}

static void put_unwind_info(unw_addr_space_t as, unw_proc_info_t *pi, void *arg)
{
	unw.upt_put_unwind_info(as, pi, ((struct remote *)arg)->upt);
}

static int get_dyn_info_list_addr(unw_addr_space_t as, unw_word_t *addr, void *arg)
{
	return -UNW_ENOINFO; /* no dynamically registered unwind info */
}

static int access_mem(unw_addr_space_t as, unw_word_t addr, unw_word_t *val, int write, void *arg)
{
	return unw.upt_access_mem(as, addr, val, write, ((struct remote *)arg)->upt);
}

static int access_reg(unw_addr_space_t as, unw_regnum_t reg, unw_word_t *val, int write, void *arg)
{
	return unw.upt_access_reg(as, reg, val, write, ((struct remote *)arg)->upt);
}

static int access_fpreg(unw_addr_space_t as, unw_regnum_t reg, unw_fpreg_t *val, int write, void *arg)
{
	return unw.upt_access_fpreg(as, reg, val, write, ((struct remote *)arg)->upt);
}

static int resume(unw_addr_space_t as, unw_cursor_t *c, void *arg) { return -UNW_EINVAL; }

static unw_accessors_t accessors = {
	.find_proc_info = find_proc_info,
	.put_unwind_info = put_unwind_info,
	.get_dyn_info_list_addr = get_dyn_info_list_addr,
	.access_mem = access_mem,
	.access_reg = access_reg,
	.access_fpreg = access_fpreg,
	.resume = resume,
	.get_proc_name = get_proc_name,
};

static void unwind(struct task *task, struct backtrace *bt)
{
	unw_addr_space_t as = unw.create_addr_space(&accessors, 0);
	struct remote r = { unw.upt_create(task->tid), task, 0 };
	unw_cursor_t cursor;
	int e = as && r.upt ? unw.init_remote(&cursor, as, &r) : -UNW_ENOMEM;
	while (e >= 0 && bt->nframes < BACKTRACE_MAX_FRAMES) {
		struct backtrace_frame *f = &bt->frames[bt->nframes];
		unw_word_t ip = 0, offset = 0;
		if (unw.get_reg(&cursor, UNW_REG_IP, &ip) < 0 || ip == 0)
			break;
		f->ip = ip;
		if (unw.get_proc_name(&cursor, f->function, sizeof(f->function), &offset) == 0)
			f->offset = offset;
		else
			f->function[0] = 0;
		bt->nframes++;
		e = unw.step(&cursor);
		if (e == 0)
			break;
	}
	uint64_t last_ip = bt->nframes ? bt->frames[bt->nframes - 1].ip : 0;
	if (bt->nframes == 0)
		snprintf(bt->stack_error, sizeof(bt->stack_error), "the unwinder failed: %s", unw.error_text(e));
	else if (r.no_table_ip && last_ip - r.no_table_ip <= 1)
		snprintf(bt->stack_error, sizeof(bt->stack_error),
			 "no unwind table (.eh_frame_hdr) covers %#" PRIx64 "; link static programs with "
			 "-Wl,--eh-frame-hdr", last_ip);
	else if (e < 0)
		snprintf(bt->stack_error, sizeof(bt->stack_error), "unwinding stopped at %#" PRIx64 ": %s", last_ip,
			 unw.error_text(e));
	if (r.upt)
		unw.upt_destroy(r.upt);
	if (as)
		unw.destroy_addr_space(as);
}

/* Up to want bytes ending at ip, placed at the end of buf; only those of
 * ip's page when the page before is not mapped. */
static size_t read_code_before(struct task *task, uint64_t ip, uint8_t *buf, size_t want)
{
	if (task_read_mem(task, ip - want, buf, want) == (ssize_t)want)
		return want;
	size_t in_page = ip % PAGE < want ? ip % PAGE : want;
	bool read = in_page && task_read_mem(task, ip - in_page, buf + want - in_page, in_page) == (ssize_t)in_page;
	return read ? in_page : 0;
}

/* Up to want bytes from ip; only those of ip's page when the next page is
 * not mapped. */
static size_t read_code_after(struct task *task, uint64_t ip, uint8_t *buf, size_t want)
{
	if (task_read_mem(task, ip, buf, want) == (ssize_t)want)
		return want;
	size_t in_page = PAGE - ip % PAGE < want ? PAGE - ip % PAGE : want;
	return task_read_mem(task, ip, buf, in_page) == (ssize_t)in_page ? in_page : 0;
}

static void keep_insns(const cs_insn *insn, size_t count, uint64_t ip, struct backtrace *bt)
{
	for (size_t i = 0; i < count && bt->ninsns < BACKTRACE_MAX_INSNS; i++) {
		struct backtrace_insn *out = &bt->insns[bt->ninsns++];
		out->address = insn[i].address;
		out->site = insn[i].address + insn[i].size == ip;
		for (size_t b = 0; b < insn[i].size && 2 * b + 2 < sizeof(out->bytes); b++)
			snprintf(out->bytes + 2 * b, 3, "%02x", insn[i].bytes[b]);
		snprintf(out->text, sizeof(out->text), "%s%s%s", insn[i].mnemonic, insn[i].op_str[0] ? " " : "",
			 insn[i].op_str);
	}
}

/* The syscall instruction ends at ip. Instructions may have any length,
 * so decoding starts at the earliest byte from which it lands on ip. */
static void disassemble(struct task *task, uint64_t ip, struct backtrace *bt)
{
	static csh handle;
	static bool opened;
	if (!opened && cs.open(arch_native.capstone_arch, arch_native.capstone_mode, &handle) != CS_ERR_OK) {
		snprintf(bt->code_error, sizeof(bt->code_error), "capstone cannot disassemble %s", arch_native.name);
		return;
	}
	opened = true;
	uint8_t code[CODE_BEFORE + CODE_AFTER];
	size_t before = read_code_before(task, ip, code, CODE_BEFORE);
	size_t after = read_code_after(task, ip, code + CODE_BEFORE, CODE_AFTER);
	if (!before) {
		snprintf(bt->code_error, sizeof(bt->code_error), "the code before %#" PRIx64 " cannot be read", ip);
		return;
	}
	for (size_t skip = CODE_BEFORE - before; skip < CODE_BEFORE; skip++) {
		cs_insn *insn;
		uint64_t start = ip - (CODE_BEFORE - skip);
		size_t count = cs.disasm(handle, code + skip, CODE_BEFORE - skip + after, start, 0, &insn);
		bool lands_on_ip = false;
		for (size_t i = 0; i < count; i++)
			lands_on_ip |= insn[i].address + insn[i].size == ip;
		if (lands_on_ip)
			keep_insns(insn, count, ip, bt);
		if (count)
			cs.free(insn, count);
		if (lands_on_ip)
			return;
	}
	snprintf(bt->code_error, sizeof(bt->code_error), "no instruction ends at %#" PRIx64, ip);
}

static bool is_group_stop(int status)
{
	int sig = WSTOPSIG(status);
	return (status >> 16) == PTRACE_EVENT_STOP &&
	       (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU);
}

/* The next report of a task asked to stop: an exit is left for the
 * lifecycle to reap (WNOWAIT, then only a stop is consumed). Returns the
 * stop's wait status, or -errno. */
static int stop_reported(struct task *task)
{
	siginfo_t si;
	for (;;) {
		memset(&si, 0, sizeof(si));
		if (waitid(P_PID, (id_t)task->tid, &si, WEXITED | WSTOPPED | __WALL | WNOWAIT) == 0)
			break;
		if (errno != EINTR)
			return -errno;
	}
	if (si.si_code != CLD_TRAPPED)
		return -ESRCH;
	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)task->tid, &si, WSTOPPED | __WALL | WNOHANG) < 0 || si.si_pid == 0)
		return -ESRCH;
	return (si.si_status << 8) | 0x7f;
}

/* The task waits for the sentry's answer: PTRACE_INTERRUPT ends the wait
 * and stops it. */
static int interrupt_waiting(struct task *task)
{
	if (ptrace(PTRACE_INTERRUPT, task->tid, 0, 0) < 0)
		return -errno;
	return stop_reported(task);
}

/* The task goes on as the lifecycle would have let it from that stop. */
static void resume_from(struct task *task, int status)
{
	int sig = (status >> 16) == 0 && WSTOPSIG(status) != (SIGTRAP | 0x80) ? WSTOPSIG(status) : 0;
	if (is_group_stop(status))
		ptrace(PTRACE_LISTEN, task->tid, 0, 0);
	else
		ptrace(PTRACE_CONT, task->tid, 0, (void *)(long)sig);
}

/* A killable wait (filter_waits_killable) ends only with the answer, and
 * an interrupt asked for before it stops the task on its way back to user
 * space, where its stack is the call's: the call is answered result. */
static int answer_then_stop(struct task *task, long result)
{
	struct seccomp_notif_resp resp = { .id = task->notif_id };
	if (result < 0 && result >= -4095)
		resp.error = (int)result;
	else
		resp.val = result;
	if (ptrace(PTRACE_INTERRUPT, task->tid, 0, 0) < 0)
		return -errno;
	if (ioctl(task->sandbox->notify_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0)
		return -ESRCH; /* killed meanwhile */
	task->answered = true;
	return stop_reported(task);
}

/* The interrupted call returns result instead of restarting, and the task
 * goes on as the lifecycle would have let it from that stop. */
static void finish_interrupted(struct task *task, const struct syscall_call *call, long result, int status)
{
	struct arch_regs *regs = arch_regs_alloc();
	if (!regs)
		sentry_fatal("out of memory");
	int e = arch_regs_get(task->tid, regs);
	if (!e)
		e = arch_return_from_interrupted(task->tid, regs, call->ip, result);
	arch_regs_free(regs);
	if (e == -ESRCH)
		return; /* killed meanwhile: its exit comes next */
	/* left as it is, the call would restart and come back */
	if (e < 0)
		sentry_fatal("cannot answer the interrupted %s of task %d: %s", syscall_name(call->nr), task->tid,
			     strerror(-e));
	resume_from(task, status);
}

void backtrace_take(struct task *task, const struct syscall_call *call, long result, bool killed,
		    struct backtrace *bt)
{
	memset(bt, 0, sizeof(*bt));
	if (!unw.upt_create) {
		snprintf(bt->stack_error, sizeof(bt->stack_error), "libunwind is not loaded");
		snprintf(bt->code_error, sizeof(bt->code_error), "capstone is not loaded");
		return;
	}
	disassemble(task, call->ip, bt);
	if (task->stop_regs) {
		unwind(task, bt); /* at its seccomp stop */
		return;
	}
	if (!task->notif_id) {
		snprintf(bt->stack_error, sizeof(bt->stack_error), "the task is not stopped at the call");
		return;
	}
	if (filter_waits_killable()) {
		/* a process about to be killed runs none of its code again */
		int status = killed ? -EDEADLK : answer_then_stop(task, result);
		if (status < 0) {
			snprintf(bt->stack_error, sizeof(bt->stack_error), "the task could not be stopped: %s",
				 killed ? "it waits for the answer until it is killed" : strerror(-status));
			return;
		}
		unwind(task, bt);
		resume_from(task, status);
		return;
	}
	int status = interrupt_waiting(task);
	if (status < 0) {
		snprintf(bt->stack_error, sizeof(bt->stack_error), "the task could not be stopped: %s",
			 strerror(-status));
		return;
	}
	unwind(task, bt);
	if (!killed)
		finish_interrupted(task, call, result, status);
}
