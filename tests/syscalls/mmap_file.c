/* mmap of regular files: MAP_SHARED writes are seen by read(),
 * MAP_PRIVATE ones are not; access modes are checked. */
#include "common.h"
#include <sys/mman.h>

int main(void)
{
	begin("mmap of files");
	put("f", "original contents of the file");
	int fd = T(open("f", O_RDWR));
	char *p = TP(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), MAP_FAILED);
	if (p == MAP_FAILED)
		return 1;
	memcpy(p, "CHANGED", 7);
	cat("f");
	T(msync(p, 4096, MS_SYNC));
	/* A write through the fd shows in the mapping. */
	T(pwrite(fd, "fd", 2, 9));
	say("  mapping: %.29s\n", p);
	/* Past the end of the file the page is zero and not written back. */
	say("  byte past end: %d\n", p[40]);
	p[40] = 'x';
	SHOW("f");
	T(munmap(p, 4096));
	/* Private mappings are copies on write. */
	char *q = TP(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0), MAP_FAILED);
	memcpy(q, "private", 7);
	cat("f");
	say("  private mapping: %.7s\n", q);
	T(munmap(q, 4096));
	/* Growing the file and mapping the new part. */
	T(ftruncate(fd, 8192));
	p = TP(mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), MAP_FAILED);
	memcpy(p + 4096, "second page", 11);
	char buf[12] = { 0 };
	T(pread(fd, buf, 11, 4096));
	say("  pread: %s\n", buf);
	T(munmap(p, 8192));
	T(close(fd));
	/* A second process sees the shared writes in the file. */
	fd = T(open("f", O_RDWR));
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	pid_t pid = fork();
	if (pid == 0) {
		memcpy(p, "CHILD", 5);
		_exit(0);
	}
	reap("child", pid);
	T(pread(fd, buf, 5, 0));
	say("  pread: %.5s\n", buf);
	T(munmap(p, 4096));
	T(close(fd));
	/* Access checks. */
	fd = T(open("f", O_RDONLY));
	T(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED);
	say("  errno %s\n", errname(errno));
	T(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0) == MAP_FAILED);
	T(close(fd));
	fd = T(open("f", O_WRONLY));
	T(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED);
	say("  errno %s\n", errname(errno));
	T(close(fd));
	fd = T(open("f", O_RDWR | O_APPEND));
	T(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED);
	say("  errno %s\n", errname(errno));
	T(close(fd));
	fd = T(open(".", O_RDONLY | O_DIRECTORY));
	T(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED);
	say("  errno %s\n", errname(errno));
	T(close(fd));
	int pp[2];
	MUST(pipe(pp));
	T(mmap(NULL, 4096, PROT_READ, MAP_SHARED, pp[0], 0) == MAP_FAILED);
	say("  errno %s\n", errname(errno));
	T(mmap(NULL, 4096, PROT_READ, MAP_SHARED, 99, 0) == MAP_FAILED);
	say("  errno %s\n", errname(errno));
	return 0;
}
