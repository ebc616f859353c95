/*
 * The stat fast path in the workload (x86_64): the stub a patched call
 * site calls in place of `mov $0x106,%eax; syscall`, and the loader's part
 * that maps it and the snapshot at each exec (--fastpath only).
 *
 * The stub answers newfstatat(AT_FDCWD, "/absolute", buf, 0 or
 * AT_SYMLINK_NOFOLLOW) from the snapshot the sentry writes, under its
 * seqlock; anything else, or any doubt, is the real system call, which the
 * seccomp filter and the sentry decide as always. Its code lives in the
 * section "fastpath_stub", which the loader copies to a page of its own:
 * so it must reach nothing outside that section (no data, no calls out).
 */
#include <linux/fcntl.h>
#include <linux/mman.h>

#include "loader_syscall.h"
#include "../fastpath/snapshot.h"

#define STUB __attribute__((section("fastpath_stub"), used, noinline))

/* Patched by the sentry in its copy of the loader image (see
 * sentry/fastpath/fastpath.c): nonzero when --fastpath is on. */
__attribute__((used, section(".data"))) volatile unsigned char fastpath_enabled_marker[16] =
	"sentry-fastpath";

/* 1: take the slow path; else the call's result (0 or -errno). */
STUB long fastpath_lookup(long dirfd, const char *path, unsigned char *buf, long flags)
{
	const struct fastpath_head *head = (const struct fastpath_head *)FASTPATH_SNAP_ADDR;
	const struct fastpath_entry *slots =
		(const struct fastpath_entry *)(FASTPATH_SNAP_ADDR + FASTPATH_ENTRIES_OFFSET);
	unsigned char st[FASTPATH_STAT_SIZE];
	unsigned int len, h, nofollow, i, k;
	unsigned long seq, epoch;
	int err;

	/* a pointer into the first 64 KiB (NULL among them) is the kernel's
	 * EFAULT, not a fault here */
	if ((int)dirfd != AT_FDCWD || ((int)flags & ~AT_SYMLINK_NOFOLLOW) || (unsigned long)path < 65536 ||
	    (unsigned long)buf < 65536 || path[0] != '/')
		return 1;
	nofollow = ((int)flags & AT_SYMLINK_NOFOLLOW) ? 1 : 0;
	seq = head->seq;
	if (seq & 1)
		return 1;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	epoch = head->epoch;
	h = 2166136261u;
	for (len = 0; path[len]; len++) {
		if (len >= FASTPATH_PATH_MAX - 1)
			return 1;
		h = (h ^ (unsigned char)path[len]) * 16777619u;
	}
	h = (h ^ nofollow) * 16777619u;
	for (k = 0; k < FASTPATH_PROBES; k++) {
		const struct fastpath_entry *e = &slots[(h + k) & (FASTPATH_SLOTS - 1)];
		if (e->epoch != epoch)
			return 1; /* an empty slot: not in the table */
		if (e->hash != h || e->len != len || e->nofollow != nofollow)
			continue;
		for (i = 0; i < len && e->path[i] == path[i]; i++)
			;
		if (i != len)
			continue;
		err = e->err;
		for (i = 0; i < FASTPATH_STAT_SIZE; i++)
			st[i] = e->st[i];
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (head->seq != seq)
			return 1;
		if (err)
			return -err;
		for (i = 0; i < FASTPATH_STAT_SIZE; i++)
			buf[i] = st[i];
		return 0;
	}
	return 1;
}

/* The entry: keeps every register the system call keeps (all but rax,
 * rcx and r11), and makes the call itself where the table has no answer. */
__asm__(".pushsection fastpath_stub, \"ax\", @progbits\n"
	".globl fastpath_entry\n"
	".hidden fastpath_entry\n"
	"fastpath_entry:\n"
	"	push %rdi\n"
	"	push %rsi\n"
	"	push %rdx\n"
	"	push %r8\n"
	"	push %r9\n"
	"	push %r10\n"
	"	mov %r10, %rcx\n"
	"	call fastpath_lookup\n"
	"	pop %r10\n"
	"	pop %r9\n"
	"	pop %r8\n"
	"	pop %rdx\n"
	"	pop %rsi\n"
	"	pop %rdi\n"
	"	cmp $1, %rax\n"
	"	jne 1f\n"
	"	mov $0x106, %eax\n"
	"	syscall\n"
	"1:	ret\n"
	".popsection\n");

/* hidden: defined in this program (by the linker, or the asm above), so
 * reached PC-relative, never through a GOT slot the loader cannot fill */
extern const unsigned char __start_fastpath_stub[] __attribute__((visibility("hidden")));
extern const unsigned char __stop_fastpath_stub[] __attribute__((visibility("hidden")));
void fastpath_entry(void) __attribute__((visibility("hidden")));

static long sys2(long n, long a, long b) { return loader_syscall2(n, a, b); }

/*
 * Maps the snapshot (read-only: a shared mapping of a read-only fd can
 * never be made writable) and the stub page (read and execute) at their
 * fixed addresses. Any failure leaves the process without the fast path:
 * the sentry patches no call site of a process whose stub page it does
 * not find.
 */
void loader_fastpath_setup(int loader_fd)
{
	unsigned long code = __stop_fastpath_stub - __start_fastpath_stub;
	unsigned char *page;
	long fd, r;

	if (fastpath_enabled_marker[15] != 1 || loader_fd < 0)
		return;
	fd = loader_syscall4(__NR_newfstatat, loader_fd, (long)"", 0, FASTPATH_REQUEST_FLAGS);
	if (fd < 0)
		return;
	r = loader_syscall6(__NR_mmap, (long)FASTPATH_SNAP_ADDR, (long)FASTPATH_SNAP_SIZE, PROT_READ,
			    MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0);
	loader_syscall1(__NR_close, fd);
	if (r != (long)FASTPATH_SNAP_ADDR) {
		if (r >= 0 || r < -4095)
			sys2(__NR_munmap, r, (long)FASTPATH_SNAP_SIZE);
		return;
	}
	if (FASTPATH_STUB_CODE + code > 4096)
		return;
	r = loader_syscall6(__NR_mmap, (long)FASTPATH_STUB_ADDR, 4096, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (r != (long)FASTPATH_STUB_ADDR) {
		if (r >= 0 || r < -4095)
			sys2(__NR_munmap, r, 4096);
		return;
	}
	page = (unsigned char *)r;
	for (unsigned long i = 0; i < code; i++)
		page[FASTPATH_STUB_CODE + i] = __start_fastpath_stub[i];
	*(unsigned long *)page = FASTPATH_STUB_ADDR + FASTPATH_STUB_CODE +
				 ((const unsigned char *)fastpath_entry - __start_fastpath_stub);
	*(unsigned long *)(page + 8) = FASTPATH_STUB_MAGIC;
	loader_syscall3(__NR_mprotect, r, 4096, PROT_READ | PROT_EXEC);
}
