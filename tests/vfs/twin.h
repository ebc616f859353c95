/* Test harness: a sequence of file operations runs twice, once on the real
 * kernel (a fresh tmpfs directory under /dev/shm, chrooted in a child) and
 * once on a VFS with a memfs root, and every result must match. */
#ifndef SENTRY_TESTS_VFS_TWIN_H
#define SENTRY_TESTS_VFS_TWIN_H

#include <criterion/criterion.h>
#include <stdbool.h>
#include <sys/stat.h>

#include "vfs.h"

#define MAX_LOG 256
#define MAX_HANDLES 32

struct log_entry {
	char label[96];
	long ret;
	char text[512];
};

struct log {
	int n;
	struct log_entry e[MAX_LOG];
};

struct side {
	bool native;
	struct vfs *vfs;
	struct vfs_ctx ctx;
	gid_t groups[16];
	int fds[MAX_HANDLES];
	struct vfs_file *files[MAX_HANDLES];
	struct stat mark;
	struct log *log;
	char scratch[8192];
};

typedef void (*seq_fn)(struct side *s);

/* Runs fn natively and on the VFS; asserts the logs match. */
void twin_run(seq_fn fn, const char *name);
/* Logs one step's result (ret, and a text such as file contents) under a
 * printf-style label, for the native and VFS sides to be compared. */
long twin_record(struct side *s, long ret, const char *text, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A libc return value as the VFS gives it: -errno on failure. */
long twin_errno(long r);

/* A VFS-only side (memfs root), for tests with no kernel twin. */
struct side *vside_new(void);
void vside_free(struct side *s);

/* Every operation records its result (value or -errno) in the log. */
long s_mkdir(struct side *s, const char *path, mode_t mode);
long s_mknod(struct side *s, const char *path, mode_t mode);
long s_open(struct side *s, const char *path, int flags, mode_t mode);       /* handle or -errno */
long s_openat(struct side *s, int dirh, const char *path, int flags, mode_t mode);
long s_openat2(struct side *s, int dirh, const char *path, int flags, mode_t mode, unsigned long resolve);
long s_close(struct side *s, int h);
long s_unlink(struct side *s, const char *path);
long s_rmdir(struct side *s, const char *path);
long s_rename(struct side *s, const char *a, const char *b, unsigned flags);
long s_link(struct side *s, const char *a, const char *b, int flags);
long s_linkat_empty(struct side *s, int h, const char *b);
long s_symlink(struct side *s, const char *target, const char *path);
long s_readlink(struct side *s, const char *path);
long s_stat(struct side *s, const char *path, int flags);
long s_statat(struct side *s, int dirh, const char *path, int flags);
long s_fstat(struct side *s, int h);
long s_chmod(struct side *s, const char *path, mode_t mode, int flags);
long s_chown(struct side *s, const char *path, uid_t uid, gid_t gid, int flags);
long s_utimens(struct side *s, const char *path, const struct timespec *times, int flags);
long s_truncate(struct side *s, const char *path, off_t len);
long s_ftruncate(struct side *s, int h, off_t len);
long s_access(struct side *s, const char *path, int mode, int flags);
long s_write(struct side *s, int h, const char *text);
long s_read(struct side *s, int h, size_t len);
long s_lseek(struct side *s, int h, off_t off, int whence);
long s_getdents(struct side *s, int h);          /* sorted names */
long s_chdir(struct side *s, const char *path);
long s_fchdir(struct side *s, int h);
long s_getcwd(struct side *s);
long s_chroot(struct side *s, const char *path);
/* Drops to an unprivileged identity for the rest of the sequence. */
void s_drop(struct side *s, uid_t uid, gid_t gid, int ngroups, const gid_t *groups);
/* Remembers the times of path; s_times reports which changed since. */
void s_mark(struct side *s, const char *path);
long s_times(struct side *s, const char *path);
/* Sets all times of path to a fixed past value. */
void s_age(struct side *s, const char *path);
/* Records a note (a checkpoint label) with a value. */
void s_note(struct side *s, const char *label, long value);

#define TWIN(suite, name)                                                       \
	static void seq_##suite##_##name(struct side *s);                         \
	Test(suite, name) { twin_run(seq_##suite##_##name, #suite "/" #name); }   \
	static void seq_##suite##_##name(struct side *s)

/* Last recorded result, for tests that branch on it. */
static inline long s_last(struct side *s) { return s->log->e[s->log->n - 1].ret; }

#endif
