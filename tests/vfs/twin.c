#define _GNU_SOURCE
#include "twin.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif

long twin_record(struct side *s, long ret, const char *text, const char *fmt, ...)
{
	struct log *l = s->log;
	if (l->n >= MAX_LOG)
		return ret;
	struct log_entry *e = &l->e[l->n++];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->label, sizeof(e->label), fmt, ap);
	va_end(ap);
	e->ret = ret;
	snprintf(e->text, sizeof(e->text), "%s", text ? text : "");
	return ret;
}

long twin_errno(long r)
{
	return r < 0 ? -errno : r;
}

static struct vfs_file *vdir(struct side *s, int h)
{
	return h < 0 ? NULL : s->files[h];
}

static int ndir(struct side *s, int h)
{
	return h < 0 ? AT_FDCWD : s->fds[h];
}

static int new_handle(struct side *s)
{
	for (int i = 0; i < MAX_HANDLES; i++)
		if (s->fds[i] < 0 && !s->files[i])
			return i;
	return -1;
}

long s_mkdir(struct side *s, const char *path, mode_t mode)
{
	long r = s->native ? twin_errno(mkdir(path, mode)) : vfs_mkdirat(&s->ctx, NULL, path, mode);
	return twin_record(s, r, NULL, "mkdir %s %o", path, mode);
}

long s_mknod(struct side *s, const char *path, mode_t mode)
{
	long r = s->native ? twin_errno(mknod(path, mode, 0)) : vfs_mknodat(&s->ctx, NULL, path, mode, 0);
	return twin_record(s, r, NULL, "mknod %s %o", path, mode);
}

static long do_open(struct side *s, int dirh, const char *path, int flags, mode_t mode,
		    unsigned long resolve, bool v2)
{
	int h = new_handle(s);
	long r;
	if (s->native) {
		if (v2) {
			struct open_how how = {.flags = (unsigned)flags, .mode = mode, .resolve = resolve};
			r = twin_errno(syscall(SYS_openat2, ndir(s, dirh), path, &how, sizeof(how)));
		} else {
			r = twin_errno(openat(ndir(s, dirh), path, flags, mode));
		}
		if (r >= 0)
			s->fds[h] = r;
	} else {
		struct vfs_file *f = NULL;
		if (v2) {
			struct vfs_open_how how = {.flags = (unsigned)flags, .mode = mode, .resolve = resolve};
			r = vfs_openat2(&s->ctx, vdir(s, dirh), path, &how, &f);
		} else {
			r = vfs_openat(&s->ctx, vdir(s, dirh), path, flags, mode, &f);
		}
		if (r >= 0)
			s->files[h] = f;
	}
	if (r >= 0)
		r = h;
	return twin_record(s, r, NULL, "open%s %s %#x %o %#lx", v2 ? "2" : "", path, flags, mode, resolve);
}

long s_open(struct side *s, const char *path, int flags, mode_t mode)
{
	return do_open(s, -1, path, flags, mode, 0, false);
}

long s_openat(struct side *s, int dirh, const char *path, int flags, mode_t mode)
{
	return do_open(s, dirh, path, flags, mode, 0, false);
}

long s_openat2(struct side *s, int dirh, const char *path, int flags, mode_t mode, unsigned long resolve)
{
	return do_open(s, dirh, path, flags, mode, resolve, true);
}

long s_close(struct side *s, int h)
{
	if (h < 0)
		return 0;
	if (s->fds[h] >= 0)
		close(s->fds[h]);
	if (s->files[h])
		vfs_file_put(s->files[h]);
	s->fds[h] = -1;
	s->files[h] = NULL;
	return 0;
}

long s_unlink(struct side *s, const char *path)
{
	long r = s->native ? twin_errno(unlink(path)) : vfs_unlinkat(&s->ctx, NULL, path, 0);
	return twin_record(s, r, NULL, "unlink %s", path);
}

long s_rmdir(struct side *s, const char *path)
{
	long r = s->native ? twin_errno(rmdir(path)) : vfs_unlinkat(&s->ctx, NULL, path, AT_REMOVEDIR);
	return twin_record(s, r, NULL, "rmdir %s", path);
}

long s_rename(struct side *s, const char *a, const char *b, unsigned flags)
{
	long r = s->native ? twin_errno(renameat2(AT_FDCWD, a, AT_FDCWD, b, flags))
			   : vfs_renameat2(&s->ctx, NULL, a, NULL, b, flags);
	return twin_record(s, r, NULL, "rename %s %s %#x", a, b, flags);
}

long s_link(struct side *s, const char *a, const char *b, int flags)
{
	long r = s->native ? twin_errno(linkat(AT_FDCWD, a, AT_FDCWD, b, flags))
			   : vfs_linkat(&s->ctx, NULL, a, NULL, b, flags);
	return twin_record(s, r, NULL, "link %s %s %#x", a, b, flags);
}

long s_linkat_empty(struct side *s, int h, const char *b)
{
	long r = s->native ? twin_errno(linkat(s->fds[h], "", AT_FDCWD, b, AT_EMPTY_PATH))
			   : vfs_linkat(&s->ctx, s->files[h], "", NULL, b, AT_EMPTY_PATH);
	return twin_record(s, r, NULL, "linkat-empty %d %s", h, b);
}

long s_symlink(struct side *s, const char *target, const char *path)
{
	long r = s->native ? twin_errno(symlink(target, path)) : vfs_symlinkat(&s->ctx, target, NULL, path);
	return twin_record(s, r, NULL, "symlink %.40s %s", target, path);
}

long s_readlink(struct side *s, const char *path)
{
	char buf[4097];
	long r = s->native ? twin_errno(readlink(path, buf, sizeof(buf) - 1))
			   : vfs_readlinkat(&s->ctx, NULL, path, buf, sizeof(buf) - 1);
	buf[r > 0 ? r : 0] = 0;
	return twin_record(s, r, buf, "readlink %s", path);
}

static void stat_text(const struct stat *st, char *buf, size_t size)
{
	long blocks = st->st_blocks;
	snprintf(buf, size, "mode=%o nlink=%lu size=%ld blocks=%ld uid=%u gid=%u rdev=%lx",
		 st->st_mode, (unsigned long)st->st_nlink, (long)st->st_size, blocks, st->st_uid,
		 st->st_gid, (unsigned long)st->st_rdev);
}

long s_statat(struct side *s, int dirh, const char *path, int flags)
{
	struct stat st;
	char text[256] = "";
	long r = s->native ? twin_errno(fstatat(ndir(s, dirh), path, &st, flags))
			   : vfs_fstatat(&s->ctx, vdir(s, dirh), path, &st, flags);
	if (r == 0)
		stat_text(&st, text, sizeof(text));
	return twin_record(s, r, text, "stat %d %s %#x", dirh, path, flags);
}

long s_stat(struct side *s, const char *path, int flags)
{
	return s_statat(s, -1, path, flags);
}

long s_fstat(struct side *s, int h)
{
	struct stat st;
	char text[256] = "";
	long r = s->native ? twin_errno(fstat(s->fds[h], &st)) : vfs_fstat(s->files[h], &st);
	if (r == 0)
		stat_text(&st, text, sizeof(text));
	return twin_record(s, r, text, "fstat %d", h);
}

long s_chmod(struct side *s, const char *path, mode_t mode, int flags)
{
	long r = s->native ? twin_errno(syscall(SYS_fchmodat2, AT_FDCWD, path, mode, flags))
			   : vfs_fchmodat(&s->ctx, NULL, path, mode, flags);
	return twin_record(s, r, NULL, "chmod %s %o %#x", path, mode, flags);
}

long s_chown(struct side *s, const char *path, uid_t uid, gid_t gid, int flags)
{
	long r = s->native ? twin_errno(fchownat(AT_FDCWD, path, uid, gid, flags))
			   : vfs_fchownat(&s->ctx, NULL, path, uid, gid, flags);
	return twin_record(s, r, NULL, "chown %s %d %d %#x", path, (int)uid, (int)gid, flags);
}

long s_utimens(struct side *s, const char *path, const struct timespec *times, int flags)
{
	long r = s->native ? twin_errno(utimensat(AT_FDCWD, path, times, flags))
			   : vfs_utimensat(&s->ctx, NULL, path, times, flags);
	char text[128] = "";
	struct stat st;
	if (r == 0 && times && times[0].tv_nsec != UTIME_NOW && times[0].tv_nsec != UTIME_OMIT &&
	    (s->native ? fstatat(AT_FDCWD, path, &st, flags & AT_SYMLINK_NOFOLLOW)
		       : vfs_fstatat(&s->ctx, NULL, path, &st, flags & AT_SYMLINK_NOFOLLOW)) == 0)
		snprintf(text, sizeof(text), "atime=%ld.%09ld", (long)st.st_atim.tv_sec, st.st_atim.tv_nsec);
	return twin_record(s, r, text, "utimens %s %#x", path, flags);
}

long s_truncate(struct side *s, const char *path, off_t len)
{
	long r = s->native ? twin_errno(truncate(path, len)) : vfs_truncate(&s->ctx, NULL, path, len);
	return twin_record(s, r, NULL, "truncate %s %ld", path, (long)len);
}

long s_ftruncate(struct side *s, int h, off_t len)
{
	long r = s->native ? twin_errno(ftruncate(s->fds[h], len)) : vfs_ftruncate(&s->ctx, s->files[h], len);
	return twin_record(s, r, NULL, "ftruncate %d %ld", h, (long)len);
}

long s_access(struct side *s, const char *path, int mode, int flags)
{
	long r = s->native ? twin_errno(faccessat(AT_FDCWD, path, mode, flags))
			   : vfs_faccessat(&s->ctx, NULL, path, mode, flags);
	return twin_record(s, r, NULL, "access %s %d %#x", path, mode, flags);
}

long s_write(struct side *s, int h, const char *text)
{
	size_t len = strlen(text);
	long r = s->native ? twin_errno(write(s->fds[h], text, len))
			   : vfs_file_pwrite(&s->ctx, s->files[h], text, len, -1);
	return twin_record(s, r, NULL, "write %d %zu", h, len);
}

long s_read(struct side *s, int h, size_t len)
{
	char buf[4096];
	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	long r = s->native ? twin_errno(read(s->fds[h], buf, len)) : vfs_file_pread(s->files[h], buf, len, -1);
	buf[r > 0 ? r : 0] = 0;
	return twin_record(s, r, buf, "read %d %zu", h, len);
}

long s_lseek(struct side *s, int h, off_t off, int whence)
{
	long r = s->native ? twin_errno(lseek(s->fds[h], off, whence)) : vfs_file_lseek(s->files[h], off, whence);
	return twin_record(s, r < 0 ? r : 0, NULL, "lseek %d %ld %d", h, (long)off, whence);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

long s_getdents(struct side *s, int h)
{
	char buf[512];
	char *names[512];
	int n = 0;
	long r;
	for (;;) {
		r = s->native ? twin_errno(syscall(SYS_getdents64, s->fds[h], buf, sizeof(buf)))
			      : vfs_getdents64(&s->ctx, s->files[h], buf, sizeof(buf));
		if (r <= 0)
			break;
		for (long off = 0; off < r;) {
			struct dirent64 *d = (void *)(buf + off);
			if (n < 512)
				names[n++] = strdup(d->d_name);
			off += d->d_reclen;
		}
	}
	qsort(names, n, sizeof(*names), cmp_str);
	char text[512] = "";
	for (int i = 0; i < n; i++) {
		if (strlen(text) + strlen(names[i]) + 2 < sizeof(text)) {
			strcat(text, names[i]);
			strcat(text, ",");
		}
		free(names[i]);
	}
	return twin_record(s, r < 0 ? r : n, text, "getdents %d", h);
}

long s_chdir(struct side *s, const char *path)
{
	long r;
	if (s->native) {
		r = twin_errno(chdir(path));
	} else {
		struct vfs_path p;
		r = vfs_lookup_dir(&s->ctx, NULL, path, &p);
		if (!r) {
			vfs_path_put(&s->ctx.cwd);
			s->ctx.cwd = p;
		}
	}
	return twin_record(s, r, NULL, "chdir %s", path);
}

long s_fchdir(struct side *s, int h)
{
	long r;
	if (s->native) {
		r = twin_errno(fchdir(s->fds[h]));
	} else {
		struct vfs_path p;
		r = vfs_lookup_dir(&s->ctx, s->files[h], "", &p);
		if (!r) {
			vfs_path_put(&s->ctx.cwd);
			s->ctx.cwd = p;
		}
	}
	return twin_record(s, r, NULL, "fchdir %d", h);
}

long s_getcwd(struct side *s)
{
	char buf[4096] = "";
	long r;
	if (s->native)
		r = getcwd(buf, sizeof(buf)) ? (long)strlen(buf) + 1 : -errno;
	else
		r = vfs_getcwd(&s->ctx, buf, sizeof(buf));
	if (r < 0)
		buf[0] = 0;
	return twin_record(s, r, buf, "getcwd");
}

long s_chroot(struct side *s, const char *path)
{
	long r;
	if (s->native) {
		r = twin_errno(chroot(path));
	} else {
		struct vfs_path p;
		r = vfs_lookup_dir(&s->ctx, NULL, path, &p);
		if (!r) {
			vfs_path_put(&s->ctx.root);
			s->ctx.root = p;
		}
	}
	return twin_record(s, r, NULL, "chroot %s", path);
}

void s_drop(struct side *s, uid_t uid, gid_t gid, int ngroups, const gid_t *groups)
{
	if (s->native) {
		if (setgroups(ngroups, groups) || setresgid(gid, gid, gid) || setresuid(uid, uid, uid))
			_exit(99);
	} else {
		s->ctx.cred.uid = uid;
		s->ctx.cred.gid = gid;
		s->ctx.cred.ngroups = ngroups;
		memcpy(s->groups, groups, ngroups * sizeof(gid_t));
		s->ctx.cred.groups = s->groups;
	}
	twin_record(s, 0, NULL, "drop %u %u", uid, gid);
}

static int any_stat(struct side *s, const char *path, struct stat *st)
{
	return s->native ? twin_errno(lstat(path, st)) : vfs_fstatat(&s->ctx, NULL, path, st, AT_SYMLINK_NOFOLLOW);
}

void s_mark(struct side *s, const char *path)
{
	any_stat(s, path, &s->mark);
	usleep(10000);  /* past the kernel's coarse clock tick */
}

static bool ts_eq(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

long s_times(struct side *s, const char *path)
{
	struct stat st;
	long r = any_stat(s, path, &st);
	char text[16] = "";
	if (!r)
		snprintf(text, sizeof(text), "%c%c%c", ts_eq(&st.st_atim, &s->mark.st_atim) ? '-' : 'a',
			 ts_eq(&st.st_mtim, &s->mark.st_mtim) ? '-' : 'm',
			 ts_eq(&st.st_ctim, &s->mark.st_ctim) ? '-' : 'c');
	return twin_record(s, r, text, "times %s", path);
}

void s_age(struct side *s, const char *path)
{
	struct timespec t[2] = {{1000000000, 5}, {1000000000, 7}};
	if (s->native)
		utimensat(AT_FDCWD, path, t, AT_SYMLINK_NOFOLLOW);
	else
		vfs_utimensat(&s->ctx, NULL, path, t, AT_SYMLINK_NOFOLLOW);
}

void s_note(struct side *s, const char *label, long value)
{
	twin_record(s, value, NULL, "note %s", label);
}

/* --- running ----------------------------------------------------------------- */

static void side_init(struct side *s, struct log *log)
{
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < MAX_HANDLES; i++)
		s->fds[i] = -1;
	s->log = log;
}

struct side *vside_new(void)
{
	struct side *s = calloc(1, sizeof(*s));
	struct log *log = calloc(1, sizeof(*log));
	side_init(s, log);
	s->vfs = vfs_create(NULL);
	struct vfs_sb *sb;
	if (vfs_memfs_new(s->vfs, S_IFDIR | 0755, &sb))
		abort();
	struct vfs_path root;
	if (vfs_mount_root(s->vfs, sb, 0, &root))
		abort();
	vfs_sb_put(sb);
	s->ctx.vfs = s->vfs;
	s->ctx.root = root;
	vfs_path_get(&root);
	s->ctx.cwd = root;
	s->ctx.umask = 022;
	s->ctx.pid = s->ctx.tid = 100;
	return s;
}

void vside_free(struct side *s)
{
	for (int i = 0; i < MAX_HANDLES; i++)
		s_close(s, i);
	vfs_path_put(&s->ctx.root);
	vfs_path_put(&s->ctx.cwd);
	vfs_destroy(s->vfs);
	free(s->log);
	free(s);
}

static void rm_tree(int dfd)
{
	DIR *d = fdopendir(dfd);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (unlinkat(dirfd(d), e->d_name, 0) < 0 && (errno == EISDIR || errno == EPERM)) {
			fchmodat(dirfd(d), e->d_name, 0700, 0);
			int sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
			if (sub >= 0)
				rm_tree(sub);
			unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR);
		}
	}
	closedir(d);
}

void twin_run(seq_fn fn, const char *name)
{
	struct log *native = mmap(NULL, sizeof(struct log), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	cr_assert(native != MAP_FAILED);
	native->n = 0;
	char dir[] = "/dev/shm/vfs-twin-XXXXXX";
	cr_assert(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
	chmod(dir, 0755);
	pid_t pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		struct side s;
		side_init(&s, native);
		s.native = true;
		umask(022);
		if (chroot(dir) || chdir("/"))
			_exit(98);
		fn(&s);
		_exit(0);
	}
	int status;
	waitpid(pid, &status, 0);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd >= 0)
		rm_tree(dfd);
	rmdir(dir);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s: native run failed (%#x)", name, status);

	struct side *v = vside_new();
	fn(v);
	struct log *vl = v->log;
	cr_expect_eq(native->n, vl->n, "%s: %d native steps, %d vfs steps", name, native->n, vl->n);
	int n = native->n < vl->n ? native->n : vl->n;
	for (int i = 0; i < n; i++) {
		struct log_entry *a = &native->e[i], *b = &vl->e[i];
		cr_expect_str_eq(a->label, b->label, "%s: step %d label", name, i);
		cr_expect_eq(a->ret, b->ret, "%s: step %d [%s]: native %ld (%s), vfs %ld (%s)", name, i, a->label,
			     a->ret, a->ret < 0 ? strerror(-a->ret) : "ok", b->ret, b->ret < 0 ? strerror(-b->ret) : "ok");
		cr_expect_str_eq(a->text, b->text, "%s: step %d [%s]: native '%s', vfs '%s'", name, i, a->label,
				 a->text, b->text);
	}
	vside_free(v);
	munmap(native, sizeof(struct log));
}
