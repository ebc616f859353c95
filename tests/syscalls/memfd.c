/* memfd_create: write, mmap, seals, flags. */
#include "common.h"
#include <sys/mman.h>

int main(void)
{
	begin("memfd");
	int fd = T(memfd_create("test", 0));
	show_fd("memfd", fd);
	T(write(fd, "hello memfd", 11));
	show_fd("memfd", fd);
	char *p = TP(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), MAP_FAILED);
	if (p != MAP_FAILED) {
		say("  mapped: %.11s\n", p);
		memcpy(p, "HELLO", 5);
		T(munmap(p, 4096));
	}
	T(lseek(fd, 0, SEEK_SET));
	readfd("memfd", fd);
	T(fcntl(fd, F_GETFD));
	T(fcntl(fd, F_GET_SEALS));
	T(fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL));
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	link_of(path);
	T(close(fd));
	/* Seals. */
	fd = T(memfd_create("sealed", MFD_ALLOW_SEALING | MFD_CLOEXEC));
	T(fcntl(fd, F_GETFD));
	T(fcntl(fd, F_GET_SEALS));
	T(write(fd, "abc", 3));
	T(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK));
	T(ftruncate(fd, 1));
	T(ftruncate(fd, 10));
	T(fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
	T(ftruncate(fd, 20));
	T(write(fd, "more", 4));
	T(pwrite(fd, "Z", 1, 0));
	T(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	T(pwrite(fd, "Y", 1, 0));
	T(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED);
	say("  errno %s\n", errname(errno));
	T(fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL));
	T(fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
	T(fcntl(fd, F_GET_SEALS));
	show_fd("sealed", fd);
	T(close(fd));
	/* Names and flags. */
	char name[300];
	memset(name, 'n', sizeof(name));
	name[249] = 0;
	TL("memfd_create(<249 chars>, 0) >= 0", memfd_create(name, 0) >= 0);
	name[249] = 'n';
	name[250] = 0;
	TL("memfd_create(<250 chars>, 0)", memfd_create(name, 0));
	T(memfd_create("x", 0x1000));
	T(syscall(SYS_memfd_create, (char *)1, 0));
	/* A child sees the memfd through fork. */
	fd = T(memfd_create("shared", 0));
	T(ftruncate(fd, 4096));
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	pid_t pid = fork();
	if (pid == 0) {
		memcpy(p, "from child", 11);
		_exit(0);
	}
	reap("child", pid);
	say("  shared page: %s\n", p);
	char buf[16] = { 0 };
	T(pread(fd, buf, 10, 0));
	say("  pread: %s\n", buf);
	return 0;
}
