/* A read-only open of an image file (inside, the host's file opened in
 * place through the read-only host view): fstat and statx through the fd
 * answer what stat and statx of the path answer, /proc/self/fd and
 * /proc/self/maps name the path, lseek, read, pread and a private mapping
 * see the contents, it executes (execveat AT_EMPTY_PATH), a dup and a
 * fork's copy are the same open, and what would write through it fails
 * as on any read-only fd. */
#include "common.h"
#include <sys/mman.h>
#include <linux/stat.h>

#define PROG "/usr/bin/true"

static int same_stat(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_mode == b->st_mode &&
	       a->st_nlink == b->st_nlink && a->st_uid == b->st_uid && a->st_gid == b->st_gid &&
	       a->st_size == b->st_size && a->st_blocks == b->st_blocks &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec;
}

static void maps_name(const char *path)
{
	char buf[65536];
	int fd = open("/proc/self/maps", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = 0;
	int found = 0;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		char *name = strchr(line, '/');
		if (name && strcmp(name, path) == 0)
			found = 1;
	}
	say("/proc/self/maps names %s: %s\n", path, found ? "yes" : "no");
}

int main(void)
{
	int fd = MUST(open(PROG, O_RDONLY | O_CLOEXEC));
	struct stat byfd, bypath;
	MUST(fstat(fd, &byfd));
	MUST(stat(PROG, &bypath));
	say("fstat == stat: %s (%s %o)\n", same_stat(&byfd, &bypath) ? "yes" : "no", ftype(byfd.st_mode),
	    byfd.st_mode & 07777);
	struct statx a, b;
	MUST(statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &a));
	MUST(statx(AT_FDCWD, PROG, 0, STATX_BASIC_STATS, &b));
	say("statx fd == statx path: %s\n",
	    a.stx_ino == b.stx_ino && a.stx_dev_major == b.stx_dev_major && a.stx_dev_minor == b.stx_dev_minor &&
			    a.stx_mode == b.stx_mode && a.stx_size == b.stx_size && a.stx_uid == b.stx_uid
		    ? "yes"
		    : "no");
	struct stat at;
	MUST(fstatat(fd, "", &at, AT_EMPTY_PATH));
	say("fstatat AT_EMPTY_PATH == stat: %s\n", same_stat(&at, &bypath) ? "yes" : "no");
	char link[64], target[PATH_MAX];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, target, sizeof(target) - 1);
	target[n > 0 ? n : 0] = 0;
	say("/proc/self/fd/N -> %s\n", target);
	int dup_fd = MUST(dup(fd));
	struct stat d;
	MUST(fstat(dup_fd, &d));
	say("dup: fstat == stat: %s\n", same_stat(&d, &bypath) ? "yes" : "no");

	char head[4];
	T(read(fd, head, 4));
	say("head: %s\n", memcmp(head, "\177ELF", 4) == 0 ? "ELF" : "other");
	T(lseek(fd, 0, SEEK_CUR));
	say("lseek SEEK_END == st_size: %s\n", lseek(fd, 0, SEEK_END) == bypath.st_size ? "yes" : "no");
	char p[3];
	T(pread(fd, p, 3, 1));
	say("pread: %.3s\n", p);
	T(lseek(dup_fd, 2, SEEK_SET));
	T(lseek(fd, 0, SEEK_CUR)); /* a dup shares the offset */
	char *m = TP(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0), MAP_FAILED);
	if (m != MAP_FAILED) {
		say("mapped: %s\n", memcmp(m, "\177ELF", 4) == 0 ? "ELF" : "other");
		maps_name(PROG);
		munmap(m, 4096);
	}
	char *w = TP(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0), MAP_FAILED);
	if (w != MAP_FAILED) {
		w[0] = 'X'; /* a private copy of the page */
		char again;
		T(pread(fd, &again, 1, 0));
		say("file byte 0 after a private store: %s\n", again == 0x7f ? "unchanged" : "changed");
		munmap(w, 4096);
	}
	TP(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), MAP_FAILED);
	T(write(fd, "x", 1));
	T(pwrite(fd, "x", 1, 0));
	T(ftruncate(fd, 0));
	T(fallocate(fd, 0, 0, 4096));
	T(fcntl(fd, F_GETFL) & O_ACCMODE);

	pid_t child = fork();
	if (child == 0) {
		struct stat c;
		say("child: fstat == stat: %s\n", fstat(fd, &c) == 0 && same_stat(&c, &bypath) ? "yes" : "no");
		char *argv[] = { "true", NULL }, *envp[] = { NULL };
		syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
		say("execveat: %s\n", errname(errno));
		_exit(99);
	}
	int status;
	waitpid(child, &status, 0);
	show_status("execveat of the fd", status);
	return 0;
}
