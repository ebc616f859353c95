/* devfs and procfs, with a fake process provider. */
#define _GNU_SOURCE
#include "twin.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

struct fake {
	struct vfs_path exe;
	int fd3_flags;
};

static int f_list_pids(void *arg, pid_t *pids, int max)
{
	pid_t all[] = {100, 7, 31};
	int n = 0;
	for (; n < 3 && n < max; n++)
		pids[n] = all[n];
	return n;
}

static bool f_pid_exists(void *arg, pid_t pid)
{
	return pid == 100 || pid == 7 || pid == 31;
}

static int f_text(void *arg, pid_t pid, enum vfs_proc_text which, struct vfs_buf *out)
{
	if (which == VFS_PROC_STATUS)
		return vfs_buf_printf(out, "Name:\tfake\nPid:\t%d\n", pid);
	if (which == VFS_PROC_CMDLINE)
		return vfs_buf_append(out, "prog\0arg\0", 9);
	return 0;
}

static int f_link(void *arg, pid_t pid, enum vfs_proc_link which, struct vfs_path *out)
{
	struct fake *fk = arg;
	*out = fk->exe;
	vfs_path_get(out);
	return 0;
}

static int f_list_fds(void *arg, pid_t pid, int *fds, int max)
{
	int all[] = {0, 1, 3};
	int n = 0;
	for (; n < 3 && n < max; n++)
		fds[n] = all[n];
	return n;
}

static int f_fd_target(void *arg, pid_t pid, int fd, struct vfs_path *out, struct vfs_buf *text)
{
	struct fake *fk = arg;
	if (fd == 3) {
		*out = fk->exe;
		vfs_path_get(out);
		return 0;
	}
	return vfs_buf_printf(text, "pipe:[%d]", 1000 + fd);
}

/* 0 a read end, 1 a write end, 3 the exe open with fk->fd3_flags. */
static int f_fd_state(void *arg, pid_t pid, int fd, struct vfs_proc_fd_state *out, struct vfs_buf *more)
{
	struct fake *fk = arg;
	if (fd == 2 || fd > 3)
		return -ENOENT;
	out->pos = fd == 3 ? 42 : 0;
	out->flags = fd == 3 ? fk->fd3_flags : fd == 1 ? O_WRONLY : O_RDONLY;
	if (!more)
		return 0;
	if (fd == 3)
		return vfs_buf_printf(more, "mnt_id:\t99\nino:\t12345\nlock:\t1: FLOCK  ADVISORY  WRITE 7 00:01:2 0 EOF\n");
	return vfs_buf_printf(more, "mnt_id:\t15\nino:\t%d\n", 1000 + fd);
}

struct sys {
	struct vfs *v;
	struct vfs_ctx c;
	struct fake fk;
	struct vfs_proc_provider prov;
};

static void setup(struct sys *s, int tty)
{
	memset(s, 0, sizeof(*s));
	s->prov = (struct vfs_proc_provider){&s->fk, f_list_pids, f_pid_exists, f_text, f_link, f_list_fds, f_fd_target, f_fd_state};
	s->v = vfs_create(NULL);
	static const char *const inc[] = {"/usr", "/bin", NULL};
	struct vfs_hostimg_policy pol = {.host_root = "/", .include = inc, .exclude = NULL};
	struct vfs_proc_info info = {.hostname = "box", .osrelease = "6.0-test", .ncpus = 3};
	struct vfs_root_opts opts = {.image = &pol, .provider = &s->prov, .proc_info = &info, .tty_fd = tty};
	struct vfs_path root;
	cr_assert_eq(vfs_build_root(s->v, &opts, &root), 0);
	s->c = (struct vfs_ctx){.vfs = s->v, .root = root, .cwd = root, .umask = 022, .pid = 100, .tid = 100};
	vfs_path_get(&root);
	cr_assert_eq(vfs_lookup(&s->c, NULL, "/usr/bin/env", 0, &s->fk.exe), 0);
	s->fk.fd3_flags = O_RDWR | O_CLOEXEC;
}

static void teardown(struct sys *s)
{
	vfs_path_put(&s->fk.exe);
	vfs_path_put(&s->c.root);
	vfs_path_put(&s->c.cwd);
	vfs_destroy(s->v);
}

static void slurp(struct sys *s, const char *path, char *buf, size_t size)
{
	struct vfs_file *f;
	cr_assert_eq(vfs_openat(&s->c, NULL, path, O_RDONLY, 0, &f), 0, "%s", path);
	int fd = vfs_file_fd(f);
	cr_assert(fd >= 0);
	ssize_t n = pread(fd, buf, size - 1, 0);
	cr_assert(n >= 0);
	buf[n] = 0;
	vfs_file_put(f);
}

Test(devfs, null_zero_full)
{
	struct sys s;
	setup(&s, -1);
	struct vfs_file *f;
	cr_assert_eq(vfs_openat(&s.c, NULL, "/dev/null", O_RDWR, 0, &f), 0);
	cr_assert_eq(vfs_file_kind(f), VFS_FILE_DEVICE);
	cr_assert_eq(write(vfs_file_fd(f), "abc", 3), 3);
	vfs_file_put(f);
	cr_assert_eq(vfs_openat(&s.c, NULL, "/dev/zero", O_RDONLY, 0, &f), 0);
	char buf[8] = "xxxxxxx";
	cr_assert_eq(read(vfs_file_fd(f), buf, 8), 8);
	cr_assert_eq(buf[3], 0);
	vfs_file_put(f);
	cr_assert_eq(vfs_openat(&s.c, NULL, "/dev/full", O_WRONLY, 0, &f), 0);
	cr_assert_eq(write(vfs_file_fd(f), "a", 1), -1);
	cr_assert_eq(errno, ENOSPC);
	vfs_file_put(f);
	struct stat st;
	cr_assert_eq(vfs_fstatat(&s.c, NULL, "/dev/urandom", &st, 0), 0);
	cr_assert(S_ISCHR(st.st_mode));
	cr_assert_eq(st.st_rdev, makedev(1, 9));
	teardown(&s);
}

Test(devfs, tty_and_links)
{
	struct sys s;
	setup(&s, -1);
	struct vfs_file *f;
	cr_assert_eq(vfs_openat(&s.c, NULL, "/dev/tty", O_RDWR, 0, &f), -ENXIO);
	char buf[64];
	int n = vfs_readlinkat(&s.c, NULL, "/dev/stdout", buf, sizeof(buf));
	cr_assert_eq(n, 15);
	cr_assert_eq(memcmp(buf, "/proc/self/fd/1", 15), 0);
	n = vfs_readlinkat(&s.c, NULL, "/dev/fd", buf, sizeof(buf));
	cr_assert_eq(memcmp(buf, "/proc/self/fd", n), 0);
	teardown(&s);
	int p[2];
	cr_assert_eq(pipe(p), 0);
	setup(&s, p[1]);
	cr_assert_eq(vfs_openat(&s.c, NULL, "/dev/tty", O_WRONLY, 0, &f), 0);
	cr_assert_eq(write(vfs_file_fd(f), "hi", 2), 2);
	cr_assert_eq(read(p[0], buf, 2), 2);
	vfs_file_put(f);
	teardown(&s);
}

Test(devfs, shm_and_mknod)
{
	struct sys s;
	setup(&s, -1);
	struct vfs_file *f;
	cr_assert_eq(vfs_openat(&s.c, NULL, "/dev/shm/seg", O_CREAT | O_RDWR, 0600, &f), 0);
	vfs_file_put(f);
	struct statfs sf;
	cr_assert_eq(vfs_statfs(&s.c, NULL, "/dev/shm", &sf), 0);
	cr_assert_eq(vfs_mknodat(&s.c, NULL, "/dev/sda", S_IFBLK | 0600, makedev(8, 0)), -EPERM);
	cr_assert_eq(vfs_fstatat(&s.c, NULL, "/dev/ptmx", &(struct stat){0}, 0), -ENOENT);
	teardown(&s);
}

Test(procfs, self_and_pids)
{
	struct sys s;
	setup(&s, -1);
	char buf[256];
	int n = vfs_readlinkat(&s.c, NULL, "/proc/self", buf, sizeof(buf));
	cr_assert_eq(n, 3);
	cr_assert_eq(memcmp(buf, "100", 3), 0);
	slurp(&s, "/proc/self/status", buf, sizeof(buf));
	cr_assert_str_eq(buf, "Name:\tfake\nPid:\t100\n");
	slurp(&s, "/proc/7/status", buf, sizeof(buf));
	cr_assert_str_eq(buf, "Name:\tfake\nPid:\t7\n");
	struct stat st;
	cr_assert_eq(vfs_fstatat(&s.c, NULL, "/proc/8", &st, 0), -ENOENT);
	cr_assert_eq(vfs_fstatat(&s.c, NULL, "/proc/007", &st, 0), -ENOENT);
	cr_assert_eq(vfs_fstatat(&s.c, NULL, "/proc/31/cmdline", &st, 0), 0);
	teardown(&s);
}

Test(procfs, listing)
{
	struct sys s;
	setup(&s, -1);
	struct vfs_file *d;
	cr_assert_eq(vfs_openat(&s.c, NULL, "/proc", O_RDONLY | O_DIRECTORY, 0, &d), 0);
	char buf[4096];
	ssize_t n = vfs_getdents64(&s.c, d, buf, sizeof(buf));
	cr_assert(n > 0);
	char all[1024] = "";
	for (ssize_t off = 0; off < n;) {
		struct dirent64 *e = (void *)(buf + off);
		strcat(all, e->d_name);
		strcat(all, ",");
		off += e->d_reclen;
	}
	cr_assert(strstr(all, ",7,31,100,"), "%s", all);
	cr_assert(strstr(all, "cpuinfo,"));
	cr_assert(strstr(all, "self,"));
	cr_assert_eq(vfs_getdents64(&s.c, d, buf, sizeof(buf)), 0);
	vfs_file_put(d);
	teardown(&s);
}

Test(procfs, magic_links)
{
	struct sys s;
	setup(&s, -1);
	char buf[256];
	int n = vfs_readlinkat(&s.c, NULL, "/proc/self/exe", buf, sizeof(buf));
	cr_assert_eq(n, 12);
	cr_assert_eq(memcmp(buf, "/usr/bin/env", 12), 0);
	struct vfs_file *f;
	cr_assert_eq(vfs_openat(&s.c, NULL, "/proc/self/exe", O_RDONLY, 0, &f), 0);
	cr_assert_eq(vfs_file_kind(f), VFS_FILE_REGULAR);
	vfs_file_put(f);
	struct vfs_open_how how = {.flags = O_RDONLY, .resolve = RESOLVE_NO_MAGICLINKS};
	cr_assert_eq(vfs_openat2(&s.c, NULL, "/proc/self/exe", &how, &f), -ELOOP);
	how.resolve = 0;
	cr_assert_eq(vfs_openat2(&s.c, NULL, "/proc/self/exe", &how, &f), 0);
	vfs_file_put(f);
	how.flags = O_PATH | O_NOFOLLOW;
	how.resolve = RESOLVE_NO_MAGICLINKS;
	cr_assert_eq(vfs_openat2(&s.c, NULL, "/proc/self/exe", &how, &f), 0);
	vfs_file_put(f);
	teardown(&s);
}

Test(procfs, fd_directory)
{
	struct sys s;
	setup(&s, -1);
	char buf[256];
	int n = vfs_readlinkat(&s.c, NULL, "/proc/self/fd/1", buf, sizeof(buf));
	cr_assert_eq(n, 11);
	cr_assert_eq(memcmp(buf, "pipe:[1001]", 11), 0);
	struct vfs_file *f;
	cr_assert_eq(vfs_openat(&s.c, NULL, "/proc/self/fd/1", O_RDONLY, 0, &f), -ENXIO);
	cr_assert_eq(vfs_openat(&s.c, NULL, "/proc/self/fd/3", O_RDONLY, 0, &f), 0);
	vfs_file_put(f);
	struct stat st;
	cr_assert_eq(vfs_fstatat(&s.c, NULL, "/proc/self/fd/2", &st, AT_SYMLINK_NOFOLLOW), -ENOENT);
	cr_assert_eq(vfs_fstatat(&s.c, NULL, "/dev/stdin", &st, AT_SYMLINK_NOFOLLOW), 0);
	struct vfs_file *d;
	cr_assert_eq(vfs_openat(&s.c, NULL, "/proc/self/fd", O_RDONLY, 0, &d), 0);
	char dbuf[1024];
	ssize_t len = vfs_getdents64(&s.c, d, dbuf, sizeof(dbuf));
	int count = 0;
	for (ssize_t off = 0; off < len; count++)
		off += ((struct dirent64 *)(dbuf + off))->d_reclen;
	cr_assert_eq(count, 5);
	vfs_file_put(d);
	teardown(&s);
}

Test(procfs, system_files)
{
	struct sys s;
	setup(&s, -1);
	char buf[4096];
	slurp(&s, "/proc/cpuinfo", buf, sizeof(buf));
	cr_assert(strstr(buf, "processor\t: 2\n"));
	cr_assert_null(strstr(buf, "processor\t: 3\n"));
	slurp(&s, "/proc/meminfo", buf, sizeof(buf));
	cr_assert(strstr(buf, "MemTotal:"));
	slurp(&s, "/proc/sys/kernel/hostname", buf, sizeof(buf));
	cr_assert_str_eq(buf, "box\n");
	slurp(&s, "/proc/sys/kernel/osrelease", buf, sizeof(buf));
	cr_assert_str_eq(buf, "6.0-test\n");
	slurp(&s, "/proc/sys/kernel/ostype", buf, sizeof(buf));
	cr_assert_str_eq(buf, "Linux\n");
	slurp(&s, "/proc/sys/kernel/pid_max", buf, sizeof(buf));
	cr_assert_str_eq(buf, "4194304\n");
	slurp(&s, "/proc/sys/kernel/ngroups_max", buf, sizeof(buf));
	cr_assert_str_eq(buf, "65536\n");
	slurp(&s, "/proc/version", buf, sizeof(buf));
	cr_assert(strstr(buf, "6.0-test"));
	slurp(&s, "/proc/uptime", buf, sizeof(buf));
	cr_assert(strchr(buf, '.'));
	slurp(&s, "/proc/loadavg", buf, sizeof(buf));
	cr_assert(strstr(buf, "1/3 100"), "%s", buf);
	slurp(&s, "/proc/filesystems", buf, sizeof(buf));
	cr_assert(strstr(buf, "tmpfs"));
	teardown(&s);
}

Test(procfs, mounts)
{
	struct sys s;
	setup(&s, -1);
	char buf[4096];
	slurp(&s, "/proc/mounts", buf, sizeof(buf));
	cr_assert(strstr(buf, "overlay / overlay rw"), "%s", buf);
	cr_assert(strstr(buf, "tmpfs /tmp tmpfs rw"), "%s", buf);
	cr_assert(strstr(buf, "proc /proc proc rw"), "%s", buf);
	slurp(&s, "/proc/self/mountinfo", buf, sizeof(buf));
	cr_assert(strstr(buf, " /dev/shm rw,relatime - tmpfs"), "%s", buf);
	teardown(&s);
}

Test(procfs, snapshot_sealed_and_read_only)
{
	struct sys s;
	setup(&s, -1);
	struct vfs_file *f;
	cr_assert_eq(vfs_openat(&s.c, NULL, "/proc/cpuinfo", O_RDONLY, 0, &f), 0);
	cr_assert_eq(vfs_file_kind(f), VFS_FILE_SYNTH);
	int fd = vfs_file_fd(f);
	cr_assert(fcntl(fd, F_GET_SEALS) & F_SEAL_WRITE);
	cr_assert_eq(write(fd, "x", 1), -1);
	vfs_file_put(f);
	cr_assert_eq(vfs_openat(&s.c, NULL, "/proc/sys/kernel/hostname", O_WRONLY, 0, &f), -EACCES);
	cr_assert_eq(vfs_openat(&s.c, NULL, "/proc/newfile", O_CREAT | O_WRONLY, 0644, &f), -EACCES);
	cr_assert_eq(vfs_mkdirat(&s.c, NULL, "/proc/dir", 0755), -EPERM);
	cr_assert_eq(vfs_unlinkat(&s.c, NULL, "/proc/cpuinfo", 0), -EPERM);
	cr_assert_eq(vfs_openat(&s.c, NULL, "/proc", O_TMPFILE | O_RDWR, 0600, &f), -EOPNOTSUPP);
	struct statfs sf;
	cr_assert_eq(vfs_statfs(&s.c, NULL, "/proc", &sf), 0);
	cr_assert_eq(sf.f_type, 0x9fa0);
	teardown(&s);
}

Test(procfs, no_self_without_pid)
{
	struct sys s;
	setup(&s, -1);
	s.c.pid = 0;
	struct stat st;
	cr_assert_eq(vfs_fstatat(&s.c, NULL, "/proc/self/status", &st, 0), -ENOENT);
	teardown(&s);
}

static mode_t link_mode(struct sys *s, const char *path)
{
	struct stat st;
	cr_assert_eq(vfs_fstatat(&s->c, NULL, path, &st, AT_SYMLINK_NOFOLLOW), 0, "%s", path);
	cr_assert(S_ISLNK(st.st_mode), "%s", path);
	return st.st_mode & 07777;
}

Test(procfs, fd_link_mode_follows_access)
{
	struct sys s;
	setup(&s, -1);
	cr_assert_eq(link_mode(&s, "/proc/self/fd/0"), 0500);
	cr_assert_eq(link_mode(&s, "/proc/self/fd/1"), 0300);
	cr_assert_eq(link_mode(&s, "/proc/self/fd/3"), 0700);
	s.fk.fd3_flags = O_RDONLY;
	cr_assert_eq(link_mode(&s, "/proc/self/fd/3"), 0500);
	s.fk.fd3_flags = O_PATH;
	cr_assert_eq(link_mode(&s, "/proc/self/fd/3"), 0);
	teardown(&s);
}

static int root_mount_id(struct sys *s)
{
	char buf[4096];
	slurp(s, "/proc/self/mountinfo", buf, sizeof(buf));
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		if (strstr(line, " / / "))
			return atoi(line);
	cr_assert_fail("no root mount in mountinfo");
	return -1;
}

Test(procfs, fdinfo_of_vfs_file)
{
	struct sys s;
	setup(&s, -1);
	struct stat st;
	cr_assert_eq(vfs_fstatat(&s.c, NULL, "/usr/bin/env", &st, 0), 0);
	char want[256];
	snprintf(want, sizeof(want),
		 "pos:\t42\nflags:\t02000002\nmnt_id:\t%d\nino:\t%llu\n"
		 "lock:\t1: FLOCK  ADVISORY  WRITE 7 00:01:2 0 EOF\n",
		 root_mount_id(&s), (unsigned long long)st.st_ino);
	char buf[256];
	slurp(&s, "/proc/self/fdinfo/3", buf, sizeof(buf));
	cr_assert_str_eq(buf, want);
	cr_assert_eq(vfs_fstatat(&s.c, NULL, "/proc/100/fdinfo/3", &st, 0), 0);
	cr_assert_eq(st.st_mode, S_IFREG | 0444);
	teardown(&s);
}

Test(procfs, fdinfo_of_kernel_object)
{
	struct sys s;
	setup(&s, -1);
	char buf[256];
	slurp(&s, "/proc/self/fdinfo/1", buf, sizeof(buf));
	cr_assert_str_eq(buf, "pos:\t0\nflags:\t01\nmnt_id:\t15\nino:\t1001\n");
	slurp(&s, "/proc/self/fdinfo/0", buf, sizeof(buf));
	cr_assert_str_eq(buf, "pos:\t0\nflags:\t00\nmnt_id:\t15\nino:\t1000\n");
	teardown(&s);
}

Test(procfs, fdinfo_directory)
{
	struct sys s;
	setup(&s, -1);
	struct stat st;
	cr_assert_eq(vfs_fstatat(&s.c, NULL, "/proc/self/fdinfo/2", &st, 0), -ENOENT);
	cr_assert_eq(vfs_fstatat(&s.c, NULL, "/proc/self/fdinfo/03", &st, 0), -ENOENT);
	struct vfs_file *d;
	cr_assert_eq(vfs_openat(&s.c, NULL, "/proc/self/fdinfo", O_RDONLY | O_DIRECTORY, 0, &d), 0);
	char dbuf[1024];
	ssize_t len = vfs_getdents64(&s.c, d, dbuf, sizeof(dbuf));
	char all[256] = "";
	for (ssize_t off = 0; off < len;) {
		struct dirent64 *e = (void *)(dbuf + off);
		if (e->d_name[0] != '.')
			cr_assert_eq(e->d_type, DT_REG, "%s", e->d_name);
		strcat(all, e->d_name);
		strcat(all, ",");
		off += e->d_reclen;
	}
	cr_assert_str_eq(all, ".,..,0,1,3,");
	vfs_file_put(d);
	teardown(&s);
}
