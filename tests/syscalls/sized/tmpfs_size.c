/* A tmpfs of a size of its own, at the folder given: natively one mounted
 * with `mount -t tmpfs -o OPTIONS`, inside sentry's `--tmpfs=DIR:OPTIONS`.
 * What statfs reports, and where writes, fallocate, truncates, a store
 * through a mapping, and new inodes start to fail with ENOSPC. Filling it
 * is done only for a small one. */
#include "../common.h"

#include <sys/mman.h>
#include <sys/statfs.h>
#include <linux/magic.h>

static void show_statfs(const char *what)
{
	struct statfs s;
	if (statfs(".", &s) < 0) {
		say("  statfs %s: %s\n", what, errname(errno));
		return;
	}
	say("  statfs %s: tmpfs=%s bsize=%ld blocks=%llu bfree=%llu bavail=%llu files=%llu ffree=%llu\n", what,
	    s.f_type == TMPFS_MAGIC ? "yes" : "no", (long)s.f_bsize, (unsigned long long)s.f_blocks,
	    (unsigned long long)s.f_bfree, (unsigned long long)s.f_bavail, (unsigned long long)s.f_files,
	    (unsigned long long)s.f_ffree);
}

/* Its line of /proc/self/mounts from the type on: type, flags, options. */
static void show_mount_options(const char *dir)
{
	static char buf[65536];
	int fd = open("/proc/self/mounts", O_RDONLY | O_CLOEXEC);
	ssize_t len = 0, n;
	while (fd >= 0 && len < (ssize_t)sizeof(buf) - 1 && (n = read(fd, buf + len, sizeof(buf) - 1 - (size_t)len)) > 0)
		len += n;
	if (fd >= 0)
		close(fd);
	buf[len] = '\0';
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		char *path = strchr(line, ' ');
		if (path && strncmp(path + 1, dir, strlen(dir)) == 0 && path[1 + strlen(dir)] == ' ')
			say("  mounted: %s\n", path + 2 + strlen(dir));
	}
}

/* Writes chunks until one fails: the bytes written and how it ended. */
static void fill(int fd, size_t chunk)
{
	static char buf[65536];
	memset(buf, 'x', sizeof(buf));
	long long total = 0;
	ssize_t n;
	while ((n = write(fd, buf, chunk)) == (ssize_t)chunk)
		total += n;
	if (n > 0) {
		total += n;
		n = write(fd, buf, chunk);
	}
	int err = errno;
	say("  filled %lld bytes in chunks of %zu; then %s\n", total, chunk, res(n, err));
}

int main(int argc, char **argv)
{
	if (argc < 2 || chdir(argv[1]) < 0) {
		say("usage: tmpfs_size DIR (a sized tmpfs)\n");
		return 2;
	}
	begin("a sized tmpfs");
	struct stat st;
	stat(".", &st);
	say("  root: %s mode=%04o uid=%u gid=%u\n", ftype(st.st_mode), st.st_mode & 07777, st.st_uid, st.st_gid);
	show_statfs("empty");
	show_mount_options(argv[1]);
	struct statfs s;
	statfs(".", &s);
	if (!s.f_blocks || s.f_blocks * (unsigned long long)s.f_bsize > (16ull << 20))
		return 0;  /* large or unbounded: only what statfs says */

	begin("writes until full");
	int fd = open("a", O_CREAT | O_RDWR, 0600);
	fill(fd, 65536);
	show_statfs("full");
	TL("fsync", fsync(fd));
	TL("fallocate(4096 more)", fallocate(fd, 0, lseek(fd, 0, SEEK_END), 4096));
	TL("pwrite(1 byte far past the end)", pwrite(fd, "y", 1, 64 << 20));
	TL("ftruncate(64 MiB): sparse, allowed", ftruncate(fd, 64 << 20));
	fstat(fd, &st);
	say("  size %lld\n", (long long)st.st_size);
	TL("pwrite into the hole", pwrite(fd, "y", 1, 32 << 20));
	TL("fallocate(KEEP_SIZE) in the hole", fallocate(fd, FALLOC_FL_KEEP_SIZE, 40 << 20, 8192));
	TL("ftruncate(0)", ftruncate(fd, 0));
	show_statfs("after truncate to 0");

	begin("fallocate");
	statfs(".", &s);
	long long room = (long long)s.f_bavail * s.f_bsize;
	TL("fallocate(all the room + 1 page)", fallocate(fd, 0, 0, room + 4096));
	fstat(fd, &st);
	say("  size %lld, blocks %lld\n", (long long)st.st_size, (long long)st.st_blocks);
	show_statfs("after a failed fallocate");
	TL("fallocate(all the room)", fallocate(fd, 0, 0, room));
	fstat(fd, &st);
	say("  size %lld, blocks %lld\n", (long long)st.st_size, (long long)st.st_blocks);
	show_statfs("after fallocate");
	TL("write 1 byte at the end", write(fd, "z", 1) < 0 ? -1 : 0);
	TL("ftruncate(0)", ftruncate(fd, 0));

	begin("a store through a shared mapping past the room");
	int big = open("b", O_CREAT | O_RDWR, 0600);
	fill(big, 4096);
	int m = open("m", O_CREAT | O_RDWR, 0600);
	TL("ftruncate(m, 2 pages)", ftruncate(m, 8192));
	pid_t pid = fork();
	if (pid == 0) {
		char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, m, 0);
		if (p == MAP_FAILED)
			_exit(3);
		p[4096] = 1;
		_exit(0);
	}
	int status;
	waitpid(pid, &status, 0);
	say("  child: %s\n", WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "exited");
	close(m);
	close(big);
	TL("unlink(b)", unlink("b"));
	TL("unlink(m)", unlink("m"));
	TL("unlink(a)", unlink("a"));
	close(fd);
	show_statfs("emptied");

	begin("inodes");
	int made = 0, err = 0;
	for (; made < 100000; made++) {
		char name[32];
		snprintf(name, sizeof(name), "%s%d", made % 2 ? "d" : "f", made);
		int r = made % 2 ? mkdir(name, 0700) : mknodat(AT_FDCWD, name, S_IFREG | 0600, 0);
		if (r < 0) {
			err = errno;
			break;
		}
	}
	say("  made %d files and folders, then %s\n", made, errname(err));
	show_statfs("no inodes left");
	TL("symlink", symlink("x", "l"));
	TL("O_TMPFILE", open(".", O_TMPFILE | O_RDWR, 0600) < 0 ? -1 : 0);
	TL("unlink(f0)", unlink("f0"));
	TL("symlink", symlink("x", "l"));
	show_statfs("one made again");
	return 0;
}
