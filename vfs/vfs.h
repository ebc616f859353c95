/* The sentry VFS: an in-memory file system tree the sandbox answers path
 * syscalls from.  It knows nothing of tracing or seccomp.
 *
 * Conventions for every function below:
 *  - the return value is >= 0 on success or -errno, the errno Linux gives;
 *  - `ctx` carries the caller's credentials, root, cwd and umask;
 *  - `dir` is the file a dirfd refers to, or NULL for AT_FDCWD;
 *  - `at_flags` are the AT_* flags of the matching *at() syscall.
 *
 * The library is single-threaded: one sandbox event loop calls it. */
#ifndef SENTRY_VFS_H
#define SENTRY_VFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/types.h>
#include <linux/openat2.h>

struct vfs;
struct vfs_sb;
struct vfs_mount;
struct vfs_dentry;
struct vfs_inode;
struct vfs_file;

/* A position in the tree: a dentry seen through a mount.  Functions that
 * return a path hand over one reference; release it with vfs_path_put. */
struct vfs_path {
	struct vfs_mount *mnt;
	struct vfs_dentry *dentry;
};

/* File-system credentials of the caller (fsuid/fsgid for most calls, the
 * real ids for access()).  With caps_set, caps is the effective capability
 * set (bits of CAP_* numbers); without, uid 0 holds every capability and
 * any other uid none. */
struct vfs_cred {
	uid_t uid;
	gid_t gid;
	int ngroups;
	const gid_t *groups;
	bool caps_set;
	uint64_t caps;
};

/* Per-process state the syscall layer owns (CLONE_FS shares it). */
struct vfs_ctx {
	struct vfs *vfs;
	struct vfs_cred cred;
	struct vfs_path root;  /* chroot; never NULL */
	struct vfs_path cwd;
	mode_t umask;
	pid_t pid;             /* the caller's tgid and tid, for /proc/self */
	pid_t tid;
};

/* Limits of one sandbox; 0 means unlimited.  Past them: ENOSPC, as a full
 * tmpfs says.  max_bytes counts every byte the workload makes the sandbox
 * hold: the blocks of file contents in writable layers (as tmpfs: a sparse
 * size costs nothing), and the sentry's own memory for each inode, name
 * (dentry, hash slot), symlink target and extended attribute. */
struct vfs_limits {
	uint64_t max_bytes;
	uint64_t max_inodes;   /* inodes of writable layers; 0 with a byte
				* limit: vfs_default_inodes of it */
};
/* tmpfs's ratio of nr_inodes to size by default: one inode per 4 KiB
 * (at least 64). */
uint64_t vfs_default_inodes(uint64_t max_bytes);
/* Counts bytes the sandbox holds for the workload outside the VFS (the
 * syscall layer's map of open files): -ENOSPC past the limit; a negative
 * delta gives them back. */
int vfs_charge(struct vfs *vfs, int64_t delta);

struct vfs *vfs_create(const struct vfs_limits *limits);
/* Frees the whole tree.  Every vfs_file and vfs_path must be put first. */
void vfs_destroy(struct vfs *vfs);
void vfs_usage(const struct vfs *vfs, uint64_t *bytes, uint64_t *inodes);
/* The byte limit now, and a new one for a sandbox already running (its
 * inode limit follows where vfs_create made it from the bytes): -ENOSPC,
 * and nothing changed, when the sandbox holds more bytes (the contents
 * as the workload store counts them) or inodes than the new limits. */
uint64_t vfs_max_bytes(const struct vfs *vfs);
int vfs_set_max_bytes(struct vfs *vfs, uint64_t max_bytes);

/* Where regular file contents live, for the whole process (datafs.c):
 * files of two private tmpfs instances mounted nowhere, one for image
 * contents (read-only once loaded) and one for contents the workload may
 * write, whose size is `workload_bytes` (0: unbounded), so that the kernel
 * itself answers ENOSPC to the workload's direct writes past it, as a full
 * tmpfs does.  Each instance is made at its first use (most runs write
 * no file).  Returns 1 when the tmpfs stores are in use, 0 when making a
 * tmpfs is not permitted (no CAP_SYS_ADMIN): contents then stay memfds, as
 * they are when this is never called, and only the VFS's accounting (the
 * sizes it sees) bounds them.  Call it before the first file is made. */
int vfs_datafs_init(uint64_t workload_bytes);
/* The workload store's size made workload_bytes in place (its tmpfs
 * reconfigured): -ENOSPC when its files take more than that already; 0
 * as well when contents are memfds (the VFS's accounting alone). */
int vfs_datafs_resize(uint64_t workload_bytes);

void vfs_path_get(const struct vfs_path *path);
void vfs_path_put(struct vfs_path *path);
/* One more task runs the program at path (deny), or one less (allow):
 * while any runs it, opening it for writing or truncating it is ETXTBSY,
 * as Linux denies write access to a running executable. */
void vfs_path_deny_write(const struct vfs_path *path);
void vfs_path_allow_write(const struct vfs_path *path);

/* --- File systems -------------------------------------------------------
 * A new sb is owned by the caller until it is mounted; vfs_sb_put drops an
 * unmounted one. */
void vfs_sb_put(struct vfs_sb *sb);

/* memfs: file contents live in the data store (vfs_datafs_init).
 * `root_mode` is the full mode of the root directory (e.g. S_IFDIR|01777
 * for /tmp). */
int vfs_memfs_new(struct vfs *vfs, mode_t root_mode, struct vfs_sb **out);

/* A tmpfs mount as `mount -t tmpfs -o size=...,nr_inodes=...,mode=...`
 * makes: a memfs whose root has mode, uid and gid, and, with a size or
 * nr_inodes (tmpfs's own syntax, parsed by the kernel: 64m, 65536k, 50%;
 * NULL: none), contents in a private tmpfs of that size, so writes,
 * fallocate and stores through a mapping past it fail with ENOSPC (SIGBUS)
 * where Linux's tmpfs would, in the kernel, and statfs reports its blocks
 * and inodes.  Its inodes and names count against the sandbox's limits as
 * well; its contents do when the VFS measures them, but what the workload
 * writes through its fds is bounded by this size alone.  -EPERM (no
 * privilege to make a tmpfs) or -EINVAL (an option the kernel refuses). */
struct vfs_tmpfs_opts {
	const char *size, *nr_inodes;
	mode_t mode;
	uid_t uid;
	gid_t gid;
};
int vfs_tmpfs_new(struct vfs *vfs, const struct vfs_tmpfs_opts *opts, struct vfs_sb **out);
/* fn drops what the sandbox holds of files the workload closed (its map of
 * open files keeps them until it looks): called when a sized tmpfs is out
 * of inodes and before its statfs, which count only live ones. */
void vfs_on_reclaim(struct vfs *vfs, void (*fn)(void *arg), void *arg);

/* hostimg: a read-only view of host paths under `host_root`.  Only paths
 * equal to or below one of `include` show (their ancestors show as
 * directories holding just the way there), minus any path matching an
 * `exclude` pattern (fnmatch, FNM_PATHNAME).  Paths are absolute, relative to
 * host_root.  NULL lists mean: include everything, exclude nothing.
 * Host directories are read lazily, one at a time; sockets, fifos and devices
 * are absent; regular files are copied at first open into read-only
 * contents of the data store, shared between identical files. */
struct vfs_hostimg_policy {
	const char *host_root;
	const char *const *include;  /* NULL-terminated */
	const char *const *exclude;  /* NULL-terminated */
	/* > 0: a read-only, detached clone of the host's mount tree (the
	 * sentry's hostview). With host_root "/", regular files are not
	 * copied but opened read-only through it (vfs_file_on_host); another
	 * root is copied as without it. */
	int host_view;
};
extern const char *const vfs_hostimg_default_include[];
extern const char *const vfs_hostimg_default_exclude[];
int vfs_hostimg_new(struct vfs *vfs, const struct vfs_hostimg_policy *policy,
		    struct vfs_sb **out);
/* Counters that show the laziness: host directories read, files copied,
 * copies shared with an identical earlier file, host entries whose
 * attributes were read (a listing alone reads none). */
struct vfs_hostimg_stats {
	uint64_t dirs_read;
	uint64_t files_loaded;
	uint64_t files_shared;
	uint64_t attrs_read;
	uint64_t bytes_loaded;  /* copied into the store (shared copies not counted) */
	uint64_t files_direct;  /* opened through the host view, not copied */
};
void vfs_hostimg_stats(struct vfs_sb *sb, struct vfs_hostimg_stats *out);
/* The counters of every hostimg of this process, added up. */
void vfs_hostimg_totals(struct vfs_hostimg_stats *out);

/* hostdir: a host folder or single file served as it is (a bind mount):
 * `fd` is an open of it (O_RDONLY folder; a single file O_RDWR, or
 * O_RDONLY when rdonly), which the sb owns.  Every change made through it
 * reaches the host at once, made by the sentry with the sentry's uid;
 * rdonly, each gives EROFS.  Host paths are looked up only beneath fd
 * (openat2 RESOLVE_BENEATH, NO_SYMLINKS, NO_MAGICLINKS, NO_XDEV); host
 * symlinks stay links the VFS resolves; sockets, fifos and devices are
 * absent.  A regular file's contents (vfs_file_fd) are the sentry's open of
 * the host file.  Set-user-ID and set-group-ID bits on files, O_TMPFILE,
 * fifos, sockets and changes of owner are refused (EPERM, EOPNOTSUPP); the
 * xattrs set through it reach the host (user.* only).  A single file's sb
 * has the file as its root: vfs_mount it over a file. */
int vfs_hostdir_new(struct vfs *vfs, int fd, bool rdonly, struct vfs_sb **out);

/* overlay: a writable memfs over a read-only lower sb (a hostimg).  Copy-up
 * on first write, whiteouts on delete, opaque recreated directories.
 * Takes a reference on `lower`. */
int vfs_overlay_new(struct vfs *vfs, struct vfs_sb *lower, struct vfs_sb **out);
/* Marks an overlay as the workspace imported from the host directory
 * `host_dir` (vfs_build_root marks the workspaces it imports). */
int vfs_overlay_set_workspace(struct vfs_sb *sb, const char *host_dir);
/* Whether p is a regular file whose contents are still a host image file's
 * (never written or made inside, and not the workspace's): 0 and the host
 * path of that file in buf; else -ENOENT. */
int vfs_image_file(const struct vfs_path *p, char *buf, size_t size);
/* That directory, or NULL for an overlay that is no workspace. */
const char *vfs_overlay_workspace(const struct vfs_sb *sb);

/* devfs: null zero full random urandom (opened as the host character
 * devices), tty (tty_fd when >= 0, else ENXIO), fd stdin stdout stderr
 * (symlinks into /proc/self/fd) and an empty shm directory to mount a memfs
 * on.  With devpts_fd, ptmx and pts/N are the ptys of that devpts instance
 * (a detached mount); without, there are none. */
struct vfs_devfs_opts {
	int tty_fd;     /* the controlling terminal, -1 for none; not closed */
	int devpts_fd;  /* a devpts mount, 0 or less for none; not closed */
};
int vfs_devfs_new(struct vfs *vfs, const struct vfs_devfs_opts *opts, struct vfs_sb **out);
/* An open pty (ptmx, pts/N, or /dev/tty naming one) is handed over as it
 * is: another open of a master is another pty, and a copy kept by the
 * sentry would keep its other end from seeing the hang-up. Gives the
 * file's fd away (the caller owns it); -1 for any other file. */
int vfs_devfs_take_pty_fd(struct vfs_file *f);

/* procfs: synthesised; per-process parts come from the provider. */
enum vfs_proc_text {
	VFS_PROC_CMDLINE,
	VFS_PROC_ENVIRON,
	VFS_PROC_STATUS,
	VFS_PROC_STAT,
	VFS_PROC_MAPS,
	VFS_PROC_COMM,
	VFS_PROC_STATM,
};
enum vfs_proc_link { VFS_PROC_EXE, VFS_PROC_CWD, VFS_PROC_ROOT };

/* Text buffer handed to providers. */
struct vfs_buf {
	char *data;
	size_t len, cap;
};
int vfs_buf_printf(struct vfs_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vfs_buf_append(struct vfs_buf *b, const void *data, size_t len);

/* An open fd's offset and O_* flags as fdinfo prints them (with O_CLOEXEC
 * when close-on-exec, and O_LARGEFILE where the kernel adds it). */
struct vfs_proc_fd_state {
	int64_t pos;
	int flags;
};

struct vfs_proc_provider {
	void *arg;
	/* Processes to list in /proc; returns how many were stored (<= max). */
	int (*list_pids)(void *arg, pid_t *pids, int max);
	bool (*pid_exists)(void *arg, pid_t pid);
	/* The contents of /proc/<pid>/<which>; 0 or -errno. */
	int (*text)(void *arg, pid_t pid, enum vfs_proc_text which, struct vfs_buf *out);
	/* Where exe, cwd, root point: a path with a reference, or -errno. */
	int (*link)(void *arg, pid_t pid, enum vfs_proc_link which, struct vfs_path *out);
	/* Open fds of the process; returns how many were stored (<= max). */
	int (*list_fds)(void *arg, pid_t pid, int *fds, int max);
	/* Target of /proc/<pid>/fd/<fd>: either a VFS path (out->dentry set,
	 * with a reference) or a text such as "pipe:[12]" in `text` (out left
	 * empty).  Following a text-only link gives ENXIO. */
	int (*fd_target)(void *arg, pid_t pid, int fd, struct vfs_path *out, struct vfs_buf *text);
	/* What the kernel keeps for the open fd, as the host's
	 * /proc/<pid>/fdinfo/<fd> shows it; 0 or -errno.  `more`, when not
	 * NULL, receives the kernel's lines after "flags:" (mnt_id, ino and
	 * the lines of special files: eventfd-count, tfd, lock, ...).  The
	 * flags give the mode of the fd link (read: 0500, write: 0300, both:
	 * 0700, O_PATH: 0); /proc/<pid>/fdinfo/<fd> shows pos and flags, then
	 * for a VFS file the VFS's mnt_id and ino followed by the other lines
	 * of `more`, and for a kernel object `more` as it is.  NULL: fd links
	 * are 0700 and fdinfo files cannot be opened. */
	int (*fd_state)(void *arg, pid_t pid, int fd, struct vfs_proc_fd_state *out, struct vfs_buf *more);
};
struct vfs_proc_info {
	const char *hostname;   /* NULL: "sentry" */
	const char *osrelease;  /* NULL: the host's uname release */
	int ncpus;              /* 0: the online CPUs */
	const char *const *sysctl;  /* "KEY=VALUE"s, NULL-terminated, each
				     * passed by vfs_proc_sysctl_check, or a
				     * net.* one the sandbox set in its
				     * network namespace (shown as given) */
};
/* NULL when /proc/sys shows KEY (dotted: kernel.shmmax) and VALUE suits
 * it; else what is wrong, for one line. */
const char *vfs_proc_sysctl_check(const char *key, const char *value);
int vfs_procfs_new(struct vfs *vfs, const struct vfs_proc_provider *provider,
		   const struct vfs_proc_info *info, struct vfs_sb **out);
/* sysfs: a read-only /sys of what programs read: devices/system/cpu/online,
 * possible and present (ncpus of them; 0: the online ones), an empty
 * fs/cgroup, kernel/mm/transparent_hugepage/enabled and defrag (the
 * host's). */
int vfs_sysfs_new(struct vfs *vfs, int ncpus, struct vfs_sb **out);
/* mqueue: the sandbox's POSIX message queues as files (/dev/mqueue),
 * each lookup and listing asked of the provider, which keeps the queues. */
struct vfs_mq_entry {
	char name[256];
	uint64_t id;           /* unique, rising in creation order */
	mode_t mode;
	uid_t uid;
	gid_t gid;
	struct timespec atime, mtime, ctime;
};
struct vfs_mq_provider {
	int (*find)(const char *name, struct vfs_mq_entry *e);  /* 0 or -ENOENT */
	int (*list)(struct vfs_mq_entry **all);  /* how many (malloc'd), or -errno */
	int (*status)(const char *name, char *buf, size_t size);  /* its QSIZE line: length */
	int (*unlink)(const char *name);
	int (*chmod)(const char *name, mode_t mode);
};
int vfs_mqfs_new(struct vfs *vfs, const struct vfs_mq_provider *provider, struct vfs_sb **out);
/* The pid of an open /proc/<pid> folder (what Linux's pidfd_send_signal
 * takes as a pidfd), or 0 for any other file. */
pid_t vfs_proc_dir_pid(const struct vfs_file *file);

/* --- Mounts ------------------------------------------------------------- */
#define VFS_MNT_RDONLY 1u

/* Makes sb the root of the tree; returns the root path (a reference). */
int vfs_mount_root(struct vfs *vfs, struct vfs_sb *sb, unsigned mnt_flags, struct vfs_path *root);
/* Grafts sb on the directory `path` names (resolved with ctx); an sb whose
 * root is a file, on a file. */
int vfs_mount(const struct vfs_ctx *ctx, const char *path, struct vfs_sb *sb, unsigned mnt_flags);
/* Makes the mount `path` is on read-only from now on (EROFS for every
 * change through it), as `mount -o remount,ro` does. */
void vfs_mount_set_readonly(const struct vfs_path *path);
/* mkdir -p with mode 0755, ignoring EEXIST on directories. */
int vfs_mkdir_p(const struct vfs_ctx *ctx, const char *path, mode_t mode);

/* The usual sandbox tree: an overlay of a hostimg (policy, default when
 * NULL) at /, each `workspaces` host directory imported copy-on-write at the
 * same path (an overlay of a hostimg of that directory), /tmp a memfs,
 * /dev a devfs with /dev/shm a memfs, /proc a procfs with `provider`. */
struct vfs_root_opts {
	const struct vfs_hostimg_policy *image;    /* NULL: default policy */
	const char *const *workspaces;             /* NULL-terminated, may be NULL */
	const struct vfs_proc_provider *provider;  /* NULL: no /proc */
	const struct vfs_proc_info *proc_info;
	int tty_fd;
	int devpts_fd;  /* > 0: the sandbox's ptys (vfs_devfs_opts) */
	const struct vfs_mq_provider *mqueue;  /* NULL: no /dev/mqueue */
};
int vfs_build_root(struct vfs *vfs, const struct vfs_root_opts *opts, struct vfs_path *root);

/* --- Changes of a workspace ----------------------------------------------
 * What the workload did to a workspace, compared with the host directory it
 * was imported from: every entry whose type, contents, link target or
 * permission bits differ (times alone do not count).  Regular files,
 * directories and symlinks only; fifos and sockets made inside stay inside.
 * The changes come in an order that can be applied one by one: a directory
 * before what it holds, and what a removed directory held before the
 * directory itself. */
enum vfs_change_kind { VFS_CHANGE_ADDED, VFS_CHANGE_CHANGED, VFS_CHANGE_REMOVED };
struct vfs_change {
	enum vfs_change_kind kind;
	const char *path;        /* relative to the workspace, no leading '/' */
	mode_t mode;             /* type and permission bits; removed: the old ones */
	struct timespec mtime;
	int fd;                  /* regular files: the contents, read with pread
				  * (owned by the VFS, valid while it lives); -1
				  * for an empty file and anything else */
	const char *link;        /* symlinks: the target; else NULL */
};
/* Calls fn for each change of the workspace imported from `host_dir` until
 * fn returns non-zero, and returns that value; 0 when all were seen,
 * -ENOENT when no such workspace is mounted, or -errno. */
typedef int (*vfs_change_fn)(void *arg, const struct vfs_change *change);
int vfs_workspace_changes(struct vfs *vfs, const char *host_dir, vfs_change_fn fn, void *arg);

/* --- Path operations ---------------------------------------------------- */

/* Resolves a path to a (mount, dentry) reference.  at_flags:
 * AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH. */
int vfs_lookup(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path,
	       int at_flags, struct vfs_path *out);
/* chdir/chroot target: a searchable directory (ENOTDIR, EACCES).  With a
 * dir file and an empty path: fchdir. */
int vfs_lookup_dir(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path,
		   struct vfs_path *out);
/* The path of `path` as seen from ctx->root, like getcwd and
 * /proc/self/fd: "(unreachable)" prefix outside the root, " (deleted)"
 * suffix once unlinked.  Returns the length (without NUL) or -ERANGE. */
int vfs_d_path(const struct vfs_ctx *ctx, const struct vfs_path *path, char *buf, size_t size);
/* getcwd(2): the length with the NUL, -ENOENT when the cwd was removed,
 * -ERANGE when size is too small. */
int vfs_getcwd(const struct vfs_ctx *ctx, char *buf, size_t size);

struct vfs_open_how {
	uint64_t flags;    /* O_* */
	uint64_t mode;
	uint64_t resolve;  /* RESOLVE_* of openat2 */
};
/* openat2 (strict flag checks) and openat (unknown flags ignored). */
int vfs_openat2(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path,
		const struct vfs_open_how *how, struct vfs_file **out);
int vfs_openat(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path,
	       int flags, mode_t mode, struct vfs_file **out);

int vfs_mkdirat(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, mode_t mode);
/* Regular files, fifos and sockets; devices give EPERM (no CAP_MKNOD here). */
int vfs_mknodat(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, mode_t mode, dev_t dev);
/* at_flags: AT_REMOVEDIR. */
int vfs_unlinkat(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, int at_flags);
/* flags: RENAME_NOREPLACE, RENAME_EXCHANGE. */
int vfs_renameat2(const struct vfs_ctx *ctx, struct vfs_file *olddir, const char *oldpath,
		  struct vfs_file *newdir, const char *newpath, unsigned flags);
/* at_flags: AT_SYMLINK_FOLLOW, AT_EMPTY_PATH. */
int vfs_linkat(const struct vfs_ctx *ctx, struct vfs_file *olddir, const char *oldpath,
	       struct vfs_file *newdir, const char *newpath, int at_flags);
int vfs_symlinkat(const struct vfs_ctx *ctx, const char *target, struct vfs_file *dir, const char *path);
/* Returns the number of bytes stored (not NUL-terminated), like readlink. */
int vfs_readlinkat(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, char *buf, size_t size);
int vfs_fstatat(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, struct stat *st, int at_flags);
int vfs_statx(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, int at_flags,
	      unsigned mask, struct statx *stx);
/* mode: F_OK or R_OK|W_OK|X_OK; at_flags: AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH
 * (AT_EACCESS is the caller's choice of credentials). */
int vfs_faccessat(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, int mode, int at_flags);
int vfs_fchmodat(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, mode_t mode, int at_flags);
/* uid/gid (uid_t)-1 leave that id unchanged. */
int vfs_fchownat(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, uid_t uid, gid_t gid, int at_flags);
/* times NULL means now; UTIME_NOW and UTIME_OMIT work per field. */
int vfs_utimensat(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path,
		  const struct timespec times[2], int at_flags);
int vfs_truncate(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, off_t length);
int vfs_statfs(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, struct statfs *st);

/* --- Open files ------------------------------------------------------------ */
enum vfs_file_kind {
	VFS_FILE_REGULAR,   /* vfs_file_fd: the memfd with the contents */
	VFS_FILE_DIR,       /* sentry-owned: vfs_getdents64, vfs_file_lseek */
	VFS_FILE_SYNTH,     /* vfs_file_fd: a sealed memfd snapshot (procfs) */
	VFS_FILE_DEVICE,    /* vfs_file_fd: a host char device or the tty */
	VFS_FILE_FIFO,      /* the sandbox provides the pipe (vfs_file_inode_id) */
	VFS_FILE_PATH,      /* O_PATH: no data */
};

void vfs_file_get(struct vfs_file *f);
void vfs_file_put(struct vfs_file *f);
enum vfs_file_kind vfs_file_kind(const struct vfs_file *f);
int vfs_file_flags(const struct vfs_file *f);
/* Whether this open made the file (what F_CREATED_QUERY asks). */
bool vfs_file_created(const struct vfs_file *f);
/* Whether vfs_file_fd(f) is, right now, a read-only open of the host's
 * file through a hostimg's host view (never a copy in the store). */
bool vfs_file_on_host(const struct vfs_file *f);
/* The file's path (borrowed, valid while the file is held). */
const struct vfs_path *vfs_file_path(const struct vfs_file *f);
/* A stable identity of the inode (for fifos shared between openers). */
uint64_t vfs_file_inode_id(const struct vfs_file *f);
/* The fd to give the workload its own open of (re-open it through
 * /proc/self/fd with the file's access mode); owned by the VFS, do not
 * close.  Regular files opened for writing get a private writable file
 * (datafs: a tmpfs file or a memfd); read-only opens of image files share
 * one that nothing can write.  -EBADF for kinds without one. */
int vfs_file_fd(struct vfs_file *f);
/* A new open of what the sentry's fd holds (as through /proc/self/fd/FD,
 * whose folder is kept open per process): an fd or -errno. */
int vfs_reopen(int fd, int flags);
/* vfs_file_fd for re-opening only (vfs_reopen), never for I/O: it may be
 * a duplicate of a workload's open (vfs_file_open_created). */
int vfs_file_reopen_fd(struct vfs_file *f);
/* The workload's open of a regular file this very open created, made in
 * one step with the access mode and status flags of open_flags: an fd for
 * the caller to install and close.  The VFS keeps a duplicate of it, which
 * holds the contents and answers fstat, and opens the contents anew
 * (vfs_file_unshare) before it reads or writes them itself.  -EAGAIN when
 * the file does not qualify (opened read-only, not made by this open,
 * contents already there, contents in memfds): then vfs_file_fd. */
int vfs_file_open_created(struct vfs_file *f, int open_flags);
/* The VFS stops sharing the workload's creating open of f's contents: a
 * lock taken through that open must go with the workload's last fd of
 * it.  0 or -errno. */
int vfs_file_unshare(struct vfs_file *f);
/* A regular file's private writable contents (an fd owned by the VFS, as
 * vfs_file_fd's), or -1 when it has none: then no open of it for writing
 * exists, and the kernel objects of its read-only opens are shared. */
int vfs_file_private_fd(const struct vfs_file *f);
/* Whether a task runs the file (vfs_path_deny_write). */
bool vfs_file_being_run(const struct vfs_file *f);
/* Leases, which the syscall layer keeps: while a file has any (delta
 * counts them), each open of it, and truncate, first asks the breaker
 * with the file's vfs_file_inode_id and the open's flags (O_WRONLY for a
 * truncate); an error it answers fails the open. */
void vfs_file_leased(struct vfs_file *f, int delta);
void vfs_lease_set_breaker(int (*breaker)(uint64_t inode_id, int flags));
/* Files with no name left (unlinked, renamed over, O_TMPFILE): the
 * workload's fds are its own opens of the contents' file, so the kernel
 * frees the contents when the last of them closes, and the VFS keeps its
 * own fd to them only for the call under way.  A call on such a file
 * through a workload fd first lends the VFS the sentry's copy of that fd
 * (kept as an open of its own until vfs_release_held); without one, what
 * needs the contents gives -ESTALE.  0 or -errno. */
int vfs_file_lend(struct vfs_file *f, int fd);
/* A file the call under way uses without a reference of its own (the
 * syscall layer's map lends its files): kept alive until the call is
 * over, whatever drops the map's reference meanwhile.  0 or -ENOMEM. */
int vfs_file_hold_call(struct vfs *vfs, struct vfs_file *f);
/* The call is over: the files held for it are put, and nameless files let
 * go of their contents' fds. */
void vfs_release_held(struct vfs *vfs);
/* fn(arg, fd) runs when a regular file whose contents the VFS holds loses
 * its last name (unlink, rename over), with the fd of those contents: the
 * syscall layer lets go of what it keeps of the file's opens, so that the
 * workload's own opens alone keep the contents. */
void vfs_on_last_name(struct vfs *vfs, void (*fn)(void *arg, int contents_fd), void *arg);
/* The workload may have written the memfd directly: re-measure its size
 * with fstat and charge it.  -ENOSPC when the sandbox is now over its byte
 * limit (the size is still accounted; the caller decides what to do). */
int vfs_file_recharge(struct vfs_file *f);

/* Reads and writes through the VFS (sentry-side I/O; regular and synthetic
 * files), with size accounting.  pos < 0 means the file offset. */
ssize_t vfs_file_pread(struct vfs_file *f, void *buf, size_t len, off_t pos);
ssize_t vfs_file_pwrite(const struct vfs_ctx *ctx, struct vfs_file *f, const void *buf, size_t len, off_t pos);
/* Directory offsets (SEEK_SET to a d_off, SEEK_CUR) and file offsets. */
off_t vfs_file_lseek(struct vfs_file *f, off_t off, int whence);
/* Fills buf with struct linux_dirent64 records; 0 at the end, -EINVAL when
 * the buffer cannot hold one record.  d_off values stay valid positions
 * across unlinks in the directory. */
ssize_t vfs_getdents64(const struct vfs_ctx *ctx, struct vfs_file *f, void *buf, size_t size);

int vfs_fstat(struct vfs_file *f, struct stat *st);
int vfs_ftruncate(const struct vfs_ctx *ctx, struct vfs_file *f, off_t length);
int vfs_fchmod(const struct vfs_ctx *ctx, struct vfs_file *f, mode_t mode);
int vfs_fchown(const struct vfs_ctx *ctx, struct vfs_file *f, uid_t uid, gid_t gid);
int vfs_futimens(const struct vfs_ctx *ctx, struct vfs_file *f, const struct timespec times[2]);
int vfs_fstatfs(struct vfs_file *f, struct statfs *st);

/* --- Extended attributes ------------------------------------------------
 * Kept as tmpfs keeps them.  user.* lives on regular files and directories
 * only (elsewhere set/remove give EPERM, get ENODATA); in a sticky
 * directory only its owner may change them.  The sandbox holds no
 * capability: trusted.* is hidden (set/remove EPERM, get ENODATA, never
 * listed) and security.* is read-only (EPERM; an empty security.capability
 * is the one value that may be set, as in Linux).  Other namespaces give
 * EOPNOTSUPP, a bare prefix ("user.") EINVAL.  Names are 1 to
 * VFS_XATTR_NAME_MAX bytes (else ERANGE); values at most
 * VFS_XATTR_SIZE_MAX (else E2BIG) and their bytes count against the byte
 * limit.  Setting or removing one changes ctime; setting one on a regular
 * file of an overlay copies the file up first (image files have none).
 * Set/remove need write permission, get read permission (user.* and
 * unknown namespaces).  at_flags: AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH.  The
 * f* forms give EBADF for an O_PATH file. */
#define VFS_XATTR_NAME_MAX 255
#define VFS_XATTR_SIZE_MAX 65536
#define VFS_XATTR_LIST_MAX 65536

/* flags: XATTR_CREATE (EEXIST when present), XATTR_REPLACE (ENODATA when
 * absent), others EINVAL.  value may be NULL when size is 0. */
int vfs_setxattrat(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, int at_flags,
		   const char *name, const void *value, size_t size, int flags);
int vfs_fsetxattr(const struct vfs_ctx *ctx, struct vfs_file *f, const char *name, const void *value,
		  size_t size, int flags);
/* The value's size; with size 0 nothing is copied (a size query), else
 * ERANGE when it does not fit. */
ssize_t vfs_getxattrat(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, int at_flags,
		       const char *name, void *value, size_t size);
ssize_t vfs_fgetxattr(const struct vfs_ctx *ctx, struct vfs_file *f, const char *name, void *value,
		      size_t size);
/* The names, each NUL-terminated, in tmpfs's order (descending strcmp);
 * returns their total size.  size 0 is a size query; a list that does not
 * fit gives ERANGE, or E2BIG when size is VFS_XATTR_LIST_MAX or more.  No
 * permission is needed. */
ssize_t vfs_listxattrat(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, int at_flags,
			char *list, size_t size);
ssize_t vfs_flistxattr(const struct vfs_ctx *ctx, struct vfs_file *f, char *list, size_t size);
/* ENODATA when absent. */
int vfs_removexattrat(const struct vfs_ctx *ctx, struct vfs_file *dir, const char *path, int at_flags,
		      const char *name);
int vfs_fremovexattr(const struct vfs_ctx *ctx, struct vfs_file *f, const char *name);

#endif
