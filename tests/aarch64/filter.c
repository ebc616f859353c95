/* The aarch64 syscall table and seccomp filter seen from inside the sandbox:
 * passed calls, emulated calls, a traced call, refused calls and numbers no
 * row lists, each against the answer arch/aarch64/syscalls.tbl promises.
 * Prints one line per call and exits 1 if any answer is wrong. It expects
 * the sandbox's answers: run it inside the sentry only. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int wrong;

static void say(const char *label, long r, int err, const char *want, int ok)
{
	char got[64];
	if (r == -1)
		snprintf(got, sizeof(got), "-1 %s", strerrorname_np(err) ? strerrorname_np(err) : "E?");
	else
		snprintf(got, sizeof(got), "%ld", r);
	printf("%s %s: %s (want %s)\n", ok ? "ok  " : "FAIL", label, got, want);
	fflush(stdout);
	wrong += !ok;
}

/* The call must succeed. */
#define SUCCEEDS(label, call) do { \
	errno = 0; \
	long r_ = (long)(call); \
	say(label, r_, errno, ">= 0", r_ >= 0); \
} while (0)

/* The call must fail with errno want. */
#define FAILS(label, call, want) do { \
	errno = 0; \
	long r_ = (long)(call); \
	int e_ = errno; \
	say(label, r_, e_, "-1 " #want, r_ == -1 && e_ == (want)); \
} while (0)

int main(void)
{
	/* pass: the kernel answers, the sentry never sees the call. */
	struct timespec ts;
	SUCCEEDS("getpid (pass)", syscall(SYS_getpid));
	SUCCEEDS("clock_gettime (pass)", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts));
	SUCCEEDS("sched_yield (pass)", syscall(SYS_sched_yield));

	/* emulate: the sentry answers from its file system. */
	char cwd[256];
	SUCCEEDS("getcwd (emulate)", syscall(SYS_getcwd, cwd, sizeof(cwd)));
	int fd;
	SUCCEEDS("openat O_CREAT (emulate)", fd = openat(AT_FDCWD, "made", O_CREAT | O_EXCL | O_RDWR, 0600));
	SUCCEEDS("write (pass, a memfd)", write(fd, "12345", 5));
	struct stat st;
	SUCCEEDS("fstat (emulate)", fstat(fd, &st));
	if (st.st_size != 5 || !S_ISREG(st.st_mode)) {
		printf("FAIL fstat: size %lld, mode %o (want a regular file of 5 bytes)\n",
		       (long long)st.st_size, st.st_mode);
		wrong++;
	}
	SUCCEEDS("close (emulate)", close(fd));
	SUCCEEDS("mkdirat (emulate)", mkdirat(AT_FDCWD, "dir", 0755));
	SUCCEEDS("renameat (emulate)", renameat(AT_FDCWD, "made", AT_FDCWD, "dir/moved"));
	FAILS("openat missing (emulate)", openat(AT_FDCWD, "made", O_RDONLY), ENOENT);
	FAILS("unlinkat a directory (emulate)", unlinkat(AT_FDCWD, "dir", 0), EISDIR);
	FAILS("getpgid outside the sandbox (emulate)", syscall(SYS_getpgid, 0x3fffffff), ESRCH);

	/* trace: exec is a ptrace stop on every platform. */
	FAILS("execve missing (trace)", execve("/nonexistent", (char *[]){ "x", NULL }, (char *[]){ NULL }), ENOENT);

	/* errno rows: refused, the workload goes on. */
	FAILS("unshare (errno)", unshare(CLONE_NEWNS), EPERM);
	FAILS("setns (errno)", setns(-1, 0), EPERM);
	FAILS("mount (errno)", mount("none", "/mnt", "tmpfs", 0, NULL), EPERM);
	FAILS("ptrace (errno)", ptrace(PTRACE_TRACEME, 0, NULL, NULL), EPERM);
	FAILS("bpf (errno)", syscall(SYS_bpf, -1, NULL, 0), EPERM);
	aio_context_t ctx = 0;
	FAILS("io_setup (errno)", syscall(SYS_io_setup, 1, &ctx), EPERM);
	FAILS("process_vm_readv (errno)", syscall(SYS_process_vm_readv, getppid(), NULL, 0, NULL, 0, 0), EPERM);

	/* No row: ENOSYS. 244-259 are arm64's unused arch-specific numbers;
	 * 300 is in the hole before the time64 calls; 1000 is past the end. */
	FAILS("syscall 244 (unlisted)", syscall(244), ENOSYS);
	FAILS("syscall 300 (unlisted)", syscall(300), ENOSYS);
	FAILS("syscall 1000 (unlisted)", syscall(1000), ENOSYS);

	SUCCEEDS("getppid after the refusals (pass)", syscall(SYS_getppid));
	printf("%d wrong\n", wrong);
	return wrong != 0;
}
