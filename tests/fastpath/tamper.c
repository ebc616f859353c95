/*
 * A workload that attacks the stat fast path from the inside:
 *   snapshot  make its mapping writable, get an fd of it from the sentry
 *             (as the loader does) and write it every way there is
 *   forged    call the stub's entry with forged arguments: a host path the
 *             sandbox does not show, and the snapshot itself as the buffer
 *   stub      rewrite its own stub to answer 0 for everything
 * Then a new process (an exec of this program with "check FILE SIZE")
 * must still get true answers. Prints one line per step; exit 0 when every
 * step was refused or harmless.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../sentry/fastpath/snapshot.h"

static int failures;

static void expect(int ok, const char *what)
{
	printf("%s: %s\n", what, ok ? "refused" : "ALLOWED");
	if (!ok)
		failures++;
}

/* Calls the stub as a rewritten site does: glibc's registers. */
static long call_stub(long dirfd, const char *path, void *buf, long flags)
{
	register long r10 __asm__("r10") = flags;
	long ret;
	__asm__ volatile("call *%c[slot]"
			 : "=a"(ret), "+D"(dirfd), "+S"(path), "+d"(buf), "+r"(r10)
			 : [slot] "i"(FASTPATH_STUB_ADDR)
			 : "rcx", "r11", "memory");
	return ret;
}

static int check(const char *file, long size)
{
	struct stat st;
	int bad = 0;
	if (stat("/no-such-file-anywhere", &st) == 0) {
		printf("check: a missing file has an answer\n");
		bad = 1;
	}
	if (stat(file, &st) != 0 || st.st_size != size) {
		printf("check: %s has no true answer\n", file);
		bad = 1;
	}
	printf("check: %s\n", bad ? "LIED TO" : "true answers");
	return bad;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "check") == 0)
		return check(argv[2], atol(argv[3]));
	if (argc != 3)
		return fprintf(stderr, "usage: tamper FILE HOSTPATH\n"), 2;
	const char *file = argv[1], *hostpath = argv[2];
	struct stat st;
	if (stat(file, &st) != 0)
		return perror(file), 2;
	long size = st.st_size;
	for (int i = 0; i < 3; i++) /* published, and read through the stub */
		stat(file, &st);

	unsigned char probe;
	if (mincore((void *)FASTPATH_SNAP_ADDR, 4096, &probe) != 0) {
		printf("no snapshot mapped: nothing to attack\n");
		return 0;
	}
	expect(mprotect((void *)FASTPATH_SNAP_ADDR, 4096, PROT_READ | PROT_WRITE) < 0, "mprotect snapshot writable");

	struct rlimit nofile;
	getrlimit(RLIMIT_NOFILE, &nofile); /* its hard limit is the loader's fd */
	long fd = syscall(SYS_newfstatat, (int)nofile.rlim_max, "", NULL, FASTPATH_REQUEST_FLAGS);
	if (fd < 0) {
		printf("snapshot fd: not given (%s)\n", strerror(errno));
	} else {
		char junk[64];
		memset(junk, 0xff, sizeof(junk));
		expect(write((int)fd, junk, sizeof(junk)) < 0, "write snapshot fd");
		expect(pwrite((int)fd, junk, sizeof(junk), 4096) < 0, "pwrite snapshot fd");
		expect(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, (int)fd, 0) == MAP_FAILED,
		       "mmap snapshot fd writable");
		expect(ftruncate((int)fd, 0) < 0, "ftruncate snapshot fd");
		char self[64];
		snprintf(self, sizeof(self), "/proc/self/fd/%ld", fd);
		int rw = open(self, O_RDWR);
		int wrote = rw >= 0 && (write(rw, junk, sizeof(junk)) > 0 ||
					mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, rw, 0) != MAP_FAILED);
		expect(!wrote, "reopen snapshot fd for writing");
		void *ro = mmap(NULL, 4096, PROT_READ, MAP_SHARED, (int)fd, 0);
		expect(ro == MAP_FAILED || mprotect(ro, 4096, PROT_READ | PROT_WRITE) < 0,
		       "mprotect a new mapping writable");
	}

	/* forged arguments: the stub makes the real call, which the sentry decides */
	long r = call_stub(AT_FDCWD, hostpath, &st, 0);
	expect(r == -ENOENT, "stub asked for a host path");
	pid_t child = fork();
	if (child == 0) {
		/* from the table: the copy faults; else the sentry's copy fails */
		_exit(call_stub(AT_FDCWD, file, (void *)FASTPATH_SNAP_ADDR, 0) == -EFAULT ? 0 : 1);
	}
	int status;
	waitpid(child, &status, 0);
	expect((WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV) || (WIFEXITED(status) && WEXITSTATUS(status) == 0),
	       "stub told to write the snapshot");

	/* a stub of its own that answers everything */
	if (mprotect((void *)FASTPATH_STUB_ADDR, 4096, PROT_READ | PROT_WRITE | PROT_EXEC) == 0) {
		unsigned char *code = (unsigned char *)*(unsigned long *)FASTPATH_STUB_ADDR;
		static const unsigned char lie[] = { 0x31, 0xc0, 0xc3 }; /* xor %eax,%eax; ret */
		memcpy(code, lie, sizeof(lie));
		printf("own stub rewritten: missing file %s\n",
		       stat("/no-such-file-anywhere", &st) == 0 ? "answered (a lie to itself)" : "still missing");
	}
	fflush(stdout);
	char sizes[32];
	snprintf(sizes, sizeof(sizes), "%ld", size);
	child = fork();
	if (child == 0) {
		execl("/proc/self/exe", argv[0], "check", file, sizes, (char *)NULL);
		_exit(127);
	}
	waitpid(child, &status, 0);
	expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "another process lied to");
	/* the snapshot still holds true answers */
	printf("%d allowed\n", failures);
	return failures ? 1 : 0;
}
