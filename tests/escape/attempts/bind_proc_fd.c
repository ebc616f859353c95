/* A file of a read-only --bind opened for reading, then reopened through
 * /proc/self/fd and /dev/fd with more rights (read-write, truncating), and
 * changed through the read-only fd itself (fchmod, ftruncate, fallocate,
 * a writable shared mapping).  Natively the file is the caller's own and
 * every reopen succeeds; inside, the bind gives EROFS. */
#define _GNU_SOURCE
#include "esc.h"
#include <sys/mman.h>

static void reopen(const char *label, const char *path, int flags)
{
	int fd = open(path, flags);
	say("%s: %s\n", label, res(fd, errno));
	if (fd >= 0) {
		CHECK("write through the reopen", write(fd, "bind_proc_fd\n", 13));
		close(fd);
	}
}

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	char file[4096], path[64];
	snprintf(file, sizeof(file), "%s/file", arg("robind"));
	int fd = open(file, O_RDONLY);
	say("open robind/file read-only: %s\n", res(fd, errno));
	if (fd < 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	reopen("/proc/self/fd O_RDWR", path, O_RDWR);
	reopen("/proc/self/fd O_WRONLY|O_APPEND", path, O_WRONLY | O_APPEND);
	snprintf(path, sizeof(path), "/dev/fd/%d", fd);
	reopen("/dev/fd O_RDWR", path, O_RDWR);
	CHECK("fchmod 0666", fchmod(fd, 0666));
	CHECK("ftruncate 1", ftruncate(fd, 1));
	CHECK("fallocate 4096", fallocate(fd, 0, 0, 4096));
	void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	say("mmap shared writable: %s\n", m == MAP_FAILED ? res(-1, errno) : "mapped");
	int dfd = open(arg("robind"), O_RDONLY | O_DIRECTORY);
	if (dfd >= 0) {
		int w = openat(dfd, "file", O_RDWR);
		say("openat(robind, file, O_RDWR): %s\n", res(w, errno));
		if (w >= 0)
			CHECK("write", write(w, "x", 1));
	}
	return 0;
}
