/* The sentry's own share of an emulated call, in process: no workload, no
 * seccomp round trip. This process is both the sentry and its one task
 * (tid = getpid()), so the handlers copy their arguments in and out of
 * our own memory with process_vm_readv/writev, as they would from a
 * workload. The file system is built as sandbox_run builds it: the host's
 * system folders as a read-only image under a writable layer, the working
 * folder imported, /tmp, /dev, /proc. What is measured, per call:
 *   table       decode + table lookup of a passed call (getppid): the
 *               fixed cost before any handler runs
 *   getpgid0    decode, table, handler: getpgid(0), answered by asking the
 *               host kernel for our own tid (one host syscall)
 *   stat6       decode, table, handler: newfstatat of a cached path six
 *               components deep (copy-in, VFS walk, copy-out)
 *   walk6       the VFS walk of stat6 alone (vfs_fstatat)
 *   copyin      the path copy-in of stat6 alone (task_read_string)
 *   copyout     the struct stat copy-out of stat6 alone (task_write_mem)
 * One line per case: "call=NAME ns=MEDIAN min=MIN max=MAX rounds=R
 * calls=N result=R", BENCH_ROUNDS rounds of BENCH_ROUND_MS each. The
 * decode step is the user-notify platform's (task lookup, ABI check,
 * arguments copied from the request), repeated here. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "arch.h"
#include "dispatch.h"
#include "proc_provider.h"
#include "sandbox.h"
#include "seccomp_compat.h"
#include "task.h"
#include "vfs.h"

#include "measure.h"

#define DEFAULT_STAT_PATH "/usr/lib/locale/C.utf8/LC_MESSAGES/SYS_LC_MESSAGES"

static struct options opts;
static struct sandbox sb;
static struct task *self;
static struct vfs_ctx ctx;
static const char *stat_path = DEFAULT_STAT_PATH;
static struct stat stat_buf;
static struct seccomp_notif req;
static long last;

/* What serve_one_request does with a request before dispatch_call. */
static long decode_and_dispatch(void)
{
	struct task *task = task_find(&sb, (pid_t)req.pid);
	if (!task || req.data.arch != arch_native.audit_arch)
		return -ESRCH;
	struct syscall_call call = { .nr = req.data.nr, .ip = req.data.instruction_pointer };
	memcpy(call.args, req.data.args, sizeof(call.args));
	task->notif_id = req.id;
	long ret = dispatch_call(task, &call);
	task->notif_id = 0;
	return ret;
}

static void set_request(long nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	memset(&req, 0, sizeof(req));
	req.id = 1;
	req.pid = (uint32_t)self->tid;
	req.data.nr = (int)nr;
	req.data.arch = arch_native.audit_arch;
	req.data.args[0] = a0;
	req.data.args[1] = a1;
	req.data.args[2] = a2;
	req.data.args[3] = a3;
}

static void case_dispatch(void) { last = decode_and_dispatch(); }
static void case_walk6(void)
{
	struct stat st;
	last = vfs_fstatat(&ctx, NULL, stat_path, &st, 0);
}
static void case_copyin(void)
{
	char path[PATH_MAX];
	last = task_read_string(self, (uint64_t)(uintptr_t)stat_path, path, PATH_MAX);
	if (last > 0)
		last = 0;
}
static void case_copyout(void)
{
	struct stat st = { 0 };
	last = task_write_mem(self, (uint64_t)(uintptr_t)&stat_buf, &st, sizeof(st));
	if (last > 0)
		last = 0;
}

static void prepare_table(void) { set_request(SYS_getppid, 0, 0, 0, 0); }
static void prepare_getpgid0(void) { set_request(SYS_getpgid, 0, 0, 0, 0); }
static void prepare_stat6(void)
{
	set_request(SYS_newfstatat, (uint64_t)(int64_t)AT_FDCWD, (uint64_t)(uintptr_t)stat_path,
		    (uint64_t)(uintptr_t)&stat_buf, 0);
}
static void prepare_nothing(void) {}

static const struct {
	const char *name;
	void (*prepare)(void);
	void (*fn)(void);
} cases[] = {
	{ "table", prepare_table, case_dispatch },
	{ "getpgid0", prepare_getpgid0, case_dispatch },
	{ "stat6", prepare_stat6, case_dispatch },
	{ "walk6", prepare_nothing, case_walk6 },
	{ "copyin", prepare_nothing, case_copyin },
	{ "copyout", prepare_nothing, case_copyout },
};

/* The sandbox's file system, as build_file_system makes it (without the
 * command's own path, a home folder or --mount). */
static int build_sandbox(void)
{
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof(cwd)))
		return -errno;
	sb.opts = &opts;
	sb.notify_fd = -1;
	sb.fd_loader = -1;
	sb.fd_courier = -1;
	sb.courier_sentry_end = -1;
	sb.vfs = vfs_create(NULL);
	if (!sb.vfs)
		return -ENOMEM;
	sentry_sandbox = &sb;
	proc_provider_init(&sb.proc_provider, &sb);
	const char *workspaces[] = { cwd, NULL };
	struct vfs_hostimg_policy image = {
		.host_root = "/",
		.include = vfs_hostimg_default_include,
		.exclude = vfs_hostimg_default_exclude,
	};
	struct vfs_root_opts ro = {
		.image = &image,
		.workspaces = strcmp(cwd, "/") != 0 ? workspaces : NULL,
		.provider = &sb.proc_provider,
		.tty_fd = -1,
	};
	struct vfs_path root, where;
	int r = vfs_build_root(sb.vfs, &ro, &root);
	if (r < 0)
		return r;
	pid_t pid = getpid();
	sb.init_pid = pid;
	self = task_add(&sb, pid, pid, 0);
	task_cred_init(&self->cred, geteuid(), getegid());
	ctx = (struct vfs_ctx){ .vfs = sb.vfs, .cred = { self->cred.fsuid, self->cred.fsgid, 0, NULL, true, self->cred.cap_effective },
				.root = root, .cwd = root, .umask = 022, .pid = pid, .tid = pid };
	r = vfs_lookup_dir(&ctx, NULL, cwd, &where);
	if (r < 0)
		return r;
	self->fs = fs_state_new(&root, &where, 022);
	ctx.cwd = self->fs->cwd;
	ctx.root = self->fs->root;
	vfs_path_put(&where);
	vfs_path_put(&root);
	return 0;
}

int main(int argc, char **argv)
{
	int rounds;
	unsigned round_ms;
	bench_params(&rounds, &round_ms);
	const char *sp = getenv("BENCH_STAT_PATH");
	if (sp && *sp)
		stat_path = sp;
	int r = build_sandbox();
	if (r < 0) {
		out("error=cannot-build-the-file-system result=%s\n", strerrorname_np(-r));
		return 1;
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (argc > 1 && strcmp(argv[1], cases[i].name) != 0)
			continue;
		cases[i].prepare();
		double v[MAX_ROUNDS];
		uint64_t n = 0;
		last = 0;
		double med = measure(cases[i].fn, rounds, round_ms, v, &n);
		char result[32];
		if (last < 0 && last > -4096)
			snprintf(result, sizeof(result), "%s", strerrorname_np((int)-last));
		else
			snprintf(result, sizeof(result), "%s", "ok");
		out("call=%s ns=%.1f min=%.1f max=%.1f rounds=%d calls=%llu result=%s\n", cases[i].name, med, v[0],
		    v[rounds - 1], rounds, (unsigned long long)n, result);
	}
	return 0;
}
