/*
 * Stats of image files, missing files and symlinks, then of files this
 * program creates, chmods, renames, writes and removes: one line per
 * answer, with only what is the same natively and inside (type, mode,
 * size of files and links, link count, errno). Each stat is made three
 * times (the first may publish the answer, the next ones may read it) and
 * must agree with itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static void show(const char *label, const char *path, int nofollow)
{
	char line[3][160];
	for (int i = 0; i < 3; i++) {
		struct stat st;
		int r = fstatat(AT_FDCWD, path, &st, nofollow ? AT_SYMLINK_NOFOLLOW : 0);
		if (r < 0)
			snprintf(line[i], sizeof(line[i]), "%s", strerror(errno));
		else if (S_ISDIR(st.st_mode))
			snprintf(line[i], sizeof(line[i]), "dir %04o", (unsigned)(st.st_mode & 07777));
		else
			snprintf(line[i], sizeof(line[i]), "%s %04o size %lld links %lu",
				 S_ISLNK(st.st_mode) ? "link" : S_ISREG(st.st_mode) ? "file" : "other",
				 (unsigned)(st.st_mode & 07777), (long long)st.st_size, (unsigned long)st.st_nlink);
	}
	if (strcmp(line[0], line[1]) || strcmp(line[0], line[2]))
		printf("%-24s UNSTABLE: %s / %s / %s\n", label, line[0], line[1], line[2]);
	else
		printf("%-24s %s\n", label, line[0]);
}

static const char *in(const char *name)
{
	static char buf[4][128];
	static int n;
	char *b = buf[n++ % 4];
	snprintf(b, sizeof(buf[0]), "%s/%s", dir, name);
	return b;
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/fastpath-seq.%d", (int)getpid());
	show("image file", "/etc/passwd", 0);
	show("image file nofollow", "/etc/passwd", 1);
	show("image folder", "/usr/bin", 0);
	show("symlink followed", "/bin", 0);
	show("symlink", "/bin", 1);
	show("missing", "/usr/no-such-file", 0);
	show("missing nofollow", "/usr/no-such-file", 1);
	show("through a file", "/etc/passwd/x", 0);
	show("missing folder", "/no-such-folder/x", 0);
	show("relative dots", "/usr/../etc/passwd", 0);
	umask(022);
	if (mkdir(dir, 0755) < 0)
		return perror("mkdir"), 1;
	show("new folder", dir, 0);
	show("before create", in("a"), 0);
	int fd = open(in("a"), O_CREAT | O_WRONLY, 0644);
	if (fd < 0 || write(fd, "hello", 5) != 5)
		return perror("create"), 1;
	show("created", in("a"), 0);
	if (write(fd, " world", 6) != 6) /* the kernel's write, on the workload's own fd */
		return perror("write"), 1;
	show("written", in("a"), 0);
	close(fd);
	chmod(in("a"), 0600);
	show("chmod", in("a"), 0);
	rename(in("a"), in("b"));
	show("renamed from", in("a"), 0);
	show("renamed to", in("b"), 0);
	symlink("b", in("l"));
	show("link nofollow", in("l"), 1);
	show("link followed", in("l"), 0);
	if (truncate(in("b"), 2) < 0)
		return perror("truncate"), 1;
	show("truncated", in("l"), 0);
	link(in("b"), in("h"));
	show("hard link", in("b"), 0);
	unlink(in("b"));
	show("unlinked", in("b"), 0);
	show("dangling followed", in("l"), 0);
	show("dangling nofollow", in("l"), 1);
	show("other name", in("h"), 0);
	mkdir(in("sub"), 0700);
	show("closed folder", in("sub"), 0);
	show("in closed folder", in("sub/x"), 0);
	unlink(in("l"));
	unlink(in("h"));
	rmdir(in("sub"));
	rmdir(dir);
	show("removed folder", dir, 0);
	return 0;
}
