/* openat2: the struct open_how decoding of sys_openat2 and the flag checks
 * of vfs_openat2.
 *
 * Each input is: a size argument, the bytes of the how struct (read by the
 * handler from the harness's memory, ending at an inaccessible page), a
 * dirfd choice, whether the path ends at the page too (no NUL: EFAULT, or
 * ENAMETOOLONG for a long one), and the path. The handler runs against a
 * small memfs tree; the fd installation, which needs a live workload, is
 * replaced by a stand-in that checks the file and drops it.
 *
 * Checks: results are >= 0 or a Linux errno; the struct errors are the
 * ones Linux gives (EINVAL below 24 bytes, E2BIG for a non-zero tail or
 * more than a page, EFAULT for an unreadable struct); and Linux itself
 * is the oracle for which how values are invalid: the same how given to
 * the host's openat2 on a name that does not exist says EINVAL exactly
 * when vfs_openat2 does. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fake_task.h"
#include "syscalls/fsctx.h"
#include "arch.h"
#include "fuzz.h"

long sys_openat2(struct task *task, struct syscall_call *call);

/* The struct this sentry knows; the kernel's page limit for larger ones. */
#define HOW_SIZE_VER0 24
#define HOW_SIZE_MAX 4096
/* How much the sentry reads beyond the struct it knows (E2BIG past it,
 * where Linux checks up to a page). */
#define HOW_TAIL_READ 64

static int host_dir = -1;
static int installed;

/* Stands in for the fd installation: the file must be a real open file. */
long __wrap_install_vfs_file(struct task *task, struct vfs_file *f, int open_flags)
{
	FUZZ_CHECK(f != NULL, "install without a file");
	enum vfs_file_kind kind = vfs_file_kind(f);
	FUZZ_CHECK(kind >= VFS_FILE_REGULAR && kind <= VFS_FILE_PATH, "kind %d", (int)kind);
	struct stat st;
	FUZZ_CHECK(vfs_fstat(f, &st) == 0, "fstat of an opened file failed");
	vfs_file_put(f);
	installed++;
	return 3;
}

static void build_tree(struct fake *fk)
{
	struct vfs_ctx *c = &fk->ctx;
	vfs_mkdirat(c, NULL, "/d", 0755);
	vfs_mkdirat(c, NULL, "/d/e", 0700);
	vfs_symlinkat(c, "/d", NULL, "/abs");
	vfs_symlinkat(c, "d/e", NULL, "/rel");
	vfs_symlinkat(c, "../../..", NULL, "/d/up");
	struct vfs_file *f;
	if (vfs_openat(c, NULL, "/d/f", O_CREAT | O_WRONLY, 0644, &f) == 0)
		vfs_file_put(f);
}

/* Linux's verdict on a how struct (flags, mode, resolve) alone. */
static long native_openat2(const struct open_how *how)
{
	long r = syscall(SYS_openat2, host_dir, "no-such-name/x", how, sizeof(*how));
	if (r >= 0) {
		close((int)r);
		return 0;
	}
	return -errno;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/sentry-fuzz-openat2-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(path) || (host_dir = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
		perror(path);
		abort();
	}
	rmdir(path); /* the fd still walks from it, and nothing can be made in it */
	return 0;
}

static void check_flags_like_linux(struct fake *fk, const struct open_how *how)
{
	/* the kernel's O_LARGEFILE is the syscall layer's to strip, as
	 * sys_openat2 does */
	uint64_t largefile = (how->flags & O_PATH) ? 0 : arch_native.o_largefile;
	struct vfs_open_how vhow = {how->flags & ~largefile, how->mode, how->resolve};
	struct vfs_file *f = NULL;
	long ours = vfs_openat2(&fk->ctx, NULL, "no-such-name/x", &vhow, &f);
	FUZZ_CHECK_RESULT(ours, "vfs_openat2");
	FUZZ_CHECK(ours < 0, "opened a name that does not exist");
	long linux_r = native_openat2(how);
	FUZZ_CHECK((ours == -EINVAL) == (linux_r == -EINVAL),
		   "how {flags %#llx mode %#llo resolve %#llx}: Linux says %ld, vfs_openat2 %ld",
		   (unsigned long long)how->flags, (unsigned long long)how->mode,
		   (unsigned long long)how->resolve, linux_r, ours);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	uint8_t size_sel = fuzz_u8(&in);
	size_t how_size;
	if (size_sel < 0xc0)
		how_size = HOW_SIZE_VER0 + size_sel % 40;       /* around the struct */
	else if (size_sel < 0xf0)
		how_size = fuzz_u16(&in) % (HOW_SIZE_MAX + 64);  /* up to a page and past */
	else
		how_size = (size_t)fuzz_u64(&in);                /* anything */
	/* the struct's bytes, and its tail, zero unless the input says */
	static uint8_t how_bytes[HOW_SIZE_MAX + 64];
	memset(how_bytes, 0, sizeof(how_bytes));
	size_t stored = how_size < sizeof(how_bytes) ? how_size : sizeof(how_bytes);
	size_t given = fuzz_u8(&in) % 40;
	fuzz_bytes(&in, how_bytes, given < stored ? given : stored);
	if (stored > 24 && fuzz_u8(&in) == 0xa5)
		how_bytes[stored - 1] = 1; /* a non-zero tail byte at the very end */
	uint8_t dir_sel = fuzz_u8(&in);
	uint8_t path_sel = fuzz_u8(&in);
	static char path[PATH_MAX + 64];
	size_t plen = fuzz_str(&in, path, sizeof(path));
	if (path_sel == 0xff) { /* a long name, to reach ENAMETOOLONG */
		memset(path + plen, 'a', sizeof(path) - 1 - plen);
		plen = sizeof(path) - 1;
		path[plen] = 0;
	}

	struct fake fk;
	fake_start(&fk);
	build_tree(&fk);
	task_cred_init(&fk.task->cred, (dir_sel & 0x80) ? 1000 : 0, (dir_sel & 0x80) ? 1000 : 0);

	struct open_how how = {0};
	memcpy(&how, how_bytes, stored < sizeof(how) ? stored : sizeof(how));
	check_flags_like_linux(&fk, &how);

	struct syscall_call call = {.nr = SYS_openat2};
	static const int dirfds[] = {AT_FDCWD, -1, 1 << 20, AT_FDCWD};
	call.args[0] = (uint64_t)(int64_t)dirfds[dir_sel % 4];
	/* the path ends at the guard page: with its NUL, or without (EFAULT) */
	bool path_terminated = !(path_sel & 1);
	call.args[1] = fake_addr(fake_guarded(1, path, plen + path_terminated));
	bool how_readable = how_size <= FAKE_SLOT_SIZE && (dir_sel & 0x40) == 0;
	call.args[2] = how_readable ? fake_addr(fake_guarded(2, how_bytes, stored)) : fake_unmapped();
	call.args[3] = how_size;

	installed = 0;
	long r = sys_openat2(fk.task, &call);
	FUZZ_CHECK_RESULT(r, "sys_openat2");
	FUZZ_CHECK(r < 0 || installed == 1, "success (%ld) without an installed file", r);

	/* the struct alone decides these, before anything else is looked at */
	bool tail_zero = true;
	for (size_t i = sizeof(how); i < stored; i++)
		tail_zero &= how_bytes[i] == 0;
	if (how_size < HOW_SIZE_VER0)
		FUZZ_CHECK(r == -EINVAL, "size %zu: %ld, Linux gives EINVAL", how_size, r);
	else if (how_size > HOW_SIZE_MAX)
		FUZZ_CHECK(r == -E2BIG, "size %zu: %ld, Linux gives E2BIG", how_size, r);
	else if (how_readable && !tail_zero && how_size - sizeof(how) <= HOW_TAIL_READ)
		FUZZ_CHECK(r == -E2BIG, "size %zu with a non-zero tail: %ld, Linux gives E2BIG", how_size, r);
	else if (!how_readable && how_size - sizeof(how) <= HOW_TAIL_READ)
		FUZZ_CHECK(r == -EFAULT, "unreadable struct: %ld, Linux gives EFAULT", r);
	else if (how_readable && tail_zero && how_size - sizeof(how) <= HOW_TAIL_READ && !path_terminated)
		FUZZ_CHECK(r == -EFAULT || r == -ENAMETOOLONG, "unterminated path: %ld", r);

	fake_stop(&fk);
	return 0;
}
