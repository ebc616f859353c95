#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <linux/kcmp.h>

#include "opens.h"
#include "sandbox.h"

struct census_walk {
	dev_t dev;
	ino_t ino;
	int self;
	struct open_census *out;
};

static bool fd_open_for_writing(pid_t tid, int fd)
{
	char path[64], line[128];
	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", tid, fd);
	FILE *f = fopen(path, "re");
	unsigned flags = 0;
	bool found = false;
	while (f && !found && fgets(line, sizeof(line), f))
		found = sscanf(line, "flags: %o", &flags) == 1;
	if (f)
		fclose(f);
	return found && (flags & O_ACCMODE) != O_RDONLY;
}

static bool same_description(pid_t tid, int fd, int self)
{
	return syscall(SYS_kcmp, getpid(), tid, KCMP_FILE, self, fd) == 0;
}

static void count_fds(pid_t tid, struct census_walk *w)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/fd", tid);
	DIR *d = opendir(path);
	if (!d)
		return; /* exited meanwhile */
	struct dirent *e;
	while ((e = readdir(d))) {
		struct stat st;
		if (e->d_name[0] == '.' || fstatat(dirfd(d), e->d_name, &st, 0) < 0)
			continue;
		if (st.st_dev != w->dev || st.st_ino != w->ino)
			continue;
		int fd = atoi(e->d_name);
		if (fd_open_for_writing(tid, fd))
			w->out->writers++;
		if (w->self >= 0 && same_description(tid, fd, w->self))
			w->out->self++;
		else
			w->out->others++;
	}
	closedir(d);
}

/* A MAP_SHARED writable mapping keeps its file open for writing after
 * the fd is closed. */
static void count_mappings(pid_t tid, struct census_walk *w)
{
	char path[64], line[512];
	snprintf(path, sizeof(path), "/proc/%d/maps", tid);
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char perms[8];
		unsigned major, minor;
		unsigned long long ino;
		if (sscanf(line, "%*x-%*x %7s %*x %x:%x %llu", perms, &major, &minor, &ino) != 4)
			continue;
		if (perms[1] == 'w' && perms[3] == 's' && makedev(major, minor) == w->dev && ino == w->ino)
			w->out->writers++;
	}
	fclose(f);
}

static int count_process(struct task *t, void *arg)
{
	/* one walk per fd table: the thread group's leader, or a thread
	 * whose leader the sandbox no longer knows */
	if (t->tid != t->tgid && task_find(t->sandbox, t->tgid))
		return 0;
	count_fds(t->tid, arg);
	count_mappings(t->tid, arg);
	return 0;
}

int open_census(struct sandbox *sb, int contents, int self, struct open_census *out)
{
	struct stat st;
	if (fstat(contents, &st) < 0)
		return -errno;
	memset(out, 0, sizeof(*out));
	struct census_walk w = { .dev = st.st_dev, .ino = st.st_ino, .self = self, .out = out };
	task_for_each(sb, count_process, &w);
	return 0;
}
