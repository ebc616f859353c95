// name: 10k small files
// what: a static C program creates 10 000 files of 100 bytes in one directory, then stats, reads and unlinks each (80 000 syscalls on paths and fds)
// quick: yes
// build: static
// run: ./smallfiles
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NFILES 10000
#define FILE_SIZE 100

static void die(const char *what, const char *path)
{
	fprintf(stderr, "smallfiles: %s %s: %s\n", what, path, strerror(errno));
	exit(1);
}

static void fill(char *buf, int i)
{
	for (int k = 0; k < FILE_SIZE; k++)
		buf[k] = (char)('a' + (i + k) % 26);
}

int main(int argc, char **argv)
{
	int nfiles = argc > 1 ? atoi(argv[1]) : NFILES;
	char path[64], buf[FILE_SIZE], got[FILE_SIZE + 1];
	struct stat st;

	if (mkdir("files", 0755) != 0)
		die("mkdir", "files");
	for (int i = 0; i < nfiles; i++) {
		snprintf(path, sizeof path, "files/f%05d", i);
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0)
			die("create", path);
		fill(buf, i);
		if (write(fd, buf, FILE_SIZE) != FILE_SIZE)
			die("write", path);
		if (close(fd) != 0)
			die("close", path);
	}
	for (int i = 0; i < nfiles; i++) {
		snprintf(path, sizeof path, "files/f%05d", i);
		if (stat(path, &st) != 0)
			die("stat", path);
		if (!S_ISREG(st.st_mode) || st.st_size != FILE_SIZE) {
			errno = EIO;
			die("wrong size or type", path);
		}
	}
	for (int i = 0; i < nfiles; i++) {
		snprintf(path, sizeof path, "files/f%05d", i);
		int fd = open(path, O_RDONLY);
		if (fd < 0)
			die("open", path);
		ssize_t n = read(fd, got, sizeof got);
		fill(buf, i);
		if (n != FILE_SIZE || memcmp(got, buf, FILE_SIZE) != 0) {
			errno = EIO;
			die("wrong contents", path);
		}
		close(fd);
	}
	for (int i = 0; i < nfiles; i++) {
		snprintf(path, sizeof path, "files/f%05d", i);
		if (unlink(path) != 0)
			die("unlink", path);
	}
	if (rmdir("files") != 0)
		die("rmdir", "files");
	return 0;
}
