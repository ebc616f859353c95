/* Credentials, emulated per task as Linux keeps them (kernel/sys.c,
 * kernel/capability.c, security/commoncap.c). The host process never
 * changes uid and holds no capability: what a task may do with files is
 * decided by the VFS from these emulated ids and capabilities. The
 * sandbox's root may become any uid or gid; an emulated non-root user
 * only switches among its own real, effective and saved ids. */
#include <errno.h>
#include <linux/capability.h>
#include <linux/prctl.h>
#include <linux/securebits.h>
#include <stdlib.h>

#include "cred.h"
#include "dispatch.h"
#include "fsctx.h"
#include "pids.h"
#include "sandbox.h"

#define NO_ID ((uid_t)-1)
#define NGROUPS_LINUX_MAX 65536

/* The capabilities a change of fsuid from or to 0 drops or restores. */
#define CAP_FS_SET                                                                                         \
	((UINT64_C(1) << CAP_CHOWN) | (UINT64_C(1) << CAP_MKNOD) | (UINT64_C(1) << CAP_DAC_OVERRIDE) |       \
	 (UINT64_C(1) << CAP_DAC_READ_SEARCH) | (UINT64_C(1) << CAP_FOWNER) | (UINT64_C(1) << CAP_FSETID) | \
	 (UINT64_C(1) << CAP_MAC_OVERRIDE) | (UINT64_C(1) << CAP_LINUX_IMMUTABLE))

static uid_t id_arg(uint64_t raw) { return (uid_t)(uint32_t)raw; }

static bool is_one_of(uid_t id, uid_t a, uid_t b, uid_t c) { return id == a || id == b || id == c; }

static bool secure(const struct task_cred *cred, unsigned bit) { return cred->securebits & (1u << bit); }

/* Linux cap_emulate_setxuid: leaving uid 0 altogether drops the
 * capabilities (unless keep-caps), an effective uid 0 raises them. */
static void fix_caps_after_setuid(const struct task_cred *old, struct task_cred *new)
{
	if (secure(old, SECURE_NO_SETUID_FIXUP))
		return;
	bool was_root = old->ruid == 0 || old->euid == 0 || old->suid == 0;
	bool is_root = new->ruid == 0 || new->euid == 0 || new->suid == 0;
	if (was_root && !is_root) {
		if (!secure(old, SECURE_KEEP_CAPS))
			new->cap_permitted = new->cap_effective = 0;
		new->cap_ambient = 0;
	}
	if (old->euid == 0 && new->euid != 0)
		new->cap_effective = 0;
	if (old->euid != 0 && new->euid == 0)
		new->cap_effective = new->cap_permitted;
}

static long commit_uids(struct task *task, struct task_cred *new)
{
	new->fsuid = new->euid;
	fix_caps_after_setuid(&task->cred, new);
	task->cred = *new;
	return 0;
}

long sys_getuid(struct task *task, struct syscall_call *call) { (void)call; return task->cred.ruid; }
long sys_geteuid(struct task *task, struct syscall_call *call) { (void)call; return task->cred.euid; }
long sys_getgid(struct task *task, struct syscall_call *call) { (void)call; return task->cred.rgid; }
long sys_getegid(struct task *task, struct syscall_call *call) { (void)call; return task->cred.egid; }

static long put_three(struct task *task, const uint64_t *addrs, uid_t a, uid_t b, uid_t c)
{
	long r = copy_out(task, addrs[0], &a, sizeof(a));
	if (r == 0)
		r = copy_out(task, addrs[1], &b, sizeof(b));
	if (r == 0)
		r = copy_out(task, addrs[2], &c, sizeof(c));
	return r;
}

long sys_getresuid(struct task *task, struct syscall_call *call)
{
	return put_three(task, call->args, task->cred.ruid, task->cred.euid, task->cred.suid);
}

long sys_getresgid(struct task *task, struct syscall_call *call)
{
	return put_three(task, call->args, task->cred.rgid, task->cred.egid, task->cred.sgid);
}

long sys_setuid(struct task *task, struct syscall_call *call)
{
	uid_t uid = id_arg(call->args[0]);
	if (uid == NO_ID)
		return -EINVAL;
	struct task_cred new = task->cred;
	if (task_cred_capable(&task->cred, CAP_SETUID))
		new.ruid = new.suid = uid;
	else if (uid != task->cred.ruid && uid != task->cred.suid)
		return -EPERM;
	new.euid = uid;
	return commit_uids(task, &new);
}

long sys_setreuid(struct task *task, struct syscall_call *call)
{
	uid_t ruid = id_arg(call->args[0]), euid = id_arg(call->args[1]);
	const struct task_cred *old = &task->cred;
	bool may = task_cred_capable(old, CAP_SETUID);
	struct task_cred new = *old;
	if (ruid != NO_ID) {
		if (!may && ruid != old->ruid && ruid != old->euid)
			return -EPERM;
		new.ruid = ruid;
	}
	if (euid != NO_ID) {
		if (!may && !is_one_of(euid, old->ruid, old->euid, old->suid))
			return -EPERM;
		new.euid = euid;
	}
	if (ruid != NO_ID || (euid != NO_ID && euid != old->ruid))
		new.suid = new.euid;
	return commit_uids(task, &new);
}

long sys_setresuid(struct task *task, struct syscall_call *call)
{
	uid_t want[3] = { id_arg(call->args[0]), id_arg(call->args[1]), id_arg(call->args[2]) };
	const struct task_cred *old = &task->cred;
	if (!task_cred_capable(old, CAP_SETUID))
		for (int i = 0; i < 3; i++)
			if (want[i] != NO_ID && !is_one_of(want[i], old->ruid, old->euid, old->suid))
				return -EPERM;
	struct task_cred new = *old;
	uid_t *slot[3] = { &new.ruid, &new.euid, &new.suid };
	for (int i = 0; i < 3; i++)
		if (want[i] != NO_ID)
			*slot[i] = want[i];
	return commit_uids(task, &new);
}

/* Returns the former fsuid whether or not it changed, as Linux does. */
long sys_setfsuid(struct task *task, struct syscall_call *call)
{
	uid_t uid = id_arg(call->args[0]);
	struct task_cred *cred = &task->cred;
	uid_t former = cred->fsuid;
	if (uid == NO_ID || uid == former)
		return former;
	if (!task_cred_capable(cred, CAP_SETUID) && !is_one_of(uid, cred->ruid, cred->euid, cred->suid))
		return former;
	if (!secure(cred, SECURE_NO_SETUID_FIXUP)) {
		if (former == 0 && uid != 0)
			cred->cap_effective &= ~CAP_FS_SET;
		if (former != 0 && uid == 0)
			cred->cap_effective |= cred->cap_permitted & CAP_FS_SET;
	}
	cred->fsuid = uid;
	return former;
}

long sys_setgid(struct task *task, struct syscall_call *call)
{
	gid_t gid = id_arg(call->args[0]);
	if (gid == NO_ID)
		return -EINVAL;
	struct task_cred *cred = &task->cred;
	if (task_cred_capable(cred, CAP_SETGID))
		cred->rgid = cred->sgid = gid;
	else if (gid != cred->rgid && gid != cred->sgid)
		return -EPERM;
	cred->egid = cred->fsgid = gid;
	return 0;
}

long sys_setregid(struct task *task, struct syscall_call *call)
{
	gid_t rgid = id_arg(call->args[0]), egid = id_arg(call->args[1]);
	struct task_cred *cred = &task->cred;
	bool may = task_cred_capable(cred, CAP_SETGID);
	if (rgid != NO_ID && !may && rgid != cred->rgid && rgid != cred->egid)
		return -EPERM;
	if (egid != NO_ID && !may && !is_one_of(egid, cred->rgid, cred->egid, cred->sgid))
		return -EPERM;
	gid_t old_rgid = cred->rgid;
	if (rgid != NO_ID)
		cred->rgid = rgid;
	if (egid != NO_ID)
		cred->egid = egid;
	if (rgid != NO_ID || (egid != NO_ID && egid != old_rgid))
		cred->sgid = cred->egid;
	cred->fsgid = cred->egid;
	return 0;
}

long sys_setresgid(struct task *task, struct syscall_call *call)
{
	gid_t want[3] = { id_arg(call->args[0]), id_arg(call->args[1]), id_arg(call->args[2]) };
	struct task_cred *cred = &task->cred;
	if (!task_cred_capable(cred, CAP_SETGID))
		for (int i = 0; i < 3; i++)
			if (want[i] != NO_ID && !is_one_of(want[i], cred->rgid, cred->egid, cred->sgid))
				return -EPERM;
	gid_t *slot[3] = { &cred->rgid, &cred->egid, &cred->sgid };
	for (int i = 0; i < 3; i++)
		if (want[i] != NO_ID)
			*slot[i] = want[i];
	cred->fsgid = cred->egid;
	return 0;
}

long sys_setfsgid(struct task *task, struct syscall_call *call)
{
	gid_t gid = id_arg(call->args[0]);
	struct task_cred *cred = &task->cred;
	gid_t former = cred->fsgid;
	if (gid == NO_ID)
		return former;
	if (task_cred_capable(cred, CAP_SETGID) || is_one_of(gid, cred->rgid, cred->egid, cred->sgid))
		cred->fsgid = gid;
	return former;
}

long sys_getgroups(struct task *task, struct syscall_call *call)
{
	int size = (int)call->args[0];
	int n = task->cred.ngroups;
	if (size < 0)
		return -EINVAL;
	if (size == 0 || n == 0)
		return n;
	if (size < n)
		return -EINVAL;
	long r = copy_out(task, call->args[1], task->cred.groups, (size_t)n * sizeof(gid_t));
	return r < 0 ? r : n;
}

static int compare_gid(const void *a, const void *b)
{
	gid_t x = *(const gid_t *)a, y = *(const gid_t *)b;
	return (x > y) - (x < y);
}

/* Linux keeps the list sorted: getgroups answers in that order. */
long sys_setgroups(struct task *task, struct syscall_call *call)
{
	int size = (int)call->args[0];
	if (!task_cred_capable(&task->cred, CAP_SETGID))
		return -EPERM;
	if (size < 0 || size > NGROUPS_LINUX_MAX)
		return -EINVAL;
	if (size > TASK_NGROUPS_MAX) {
		report_denial(task, call, EINVAL, "more supplementary groups than the sandbox keeps per task");
		return -EINVAL;
	}
	gid_t groups[TASK_NGROUPS_MAX];
	if (size > 0) {
		ssize_t got = task_read_mem(task, call->args[1], groups, (size_t)size * sizeof(gid_t));
		if (got < 0)
			return got;
		if ((size_t)got < (size_t)size * sizeof(gid_t))
			return -EFAULT;
	}
	qsort(groups, (size_t)size, sizeof(gid_t), compare_gid);
	for (int i = 0; i < size; i++)
		task->cred.groups[i] = groups[i];
	task->cred.ngroups = size;
	return 0;
}

/* --- capget, capset ---------------------------------------------------------- */

/* The number of 32-bit words a header's version carries, or 0 for an
 * unknown version, which is then rewritten to the one preferred. */
static long cap_header(struct task *task, uint64_t addr, struct __user_cap_header_struct *hdr, int *words)
{
	ssize_t got = task_read_mem(task, addr, hdr, sizeof(*hdr));
	if (got < 0 || (size_t)got < sizeof(*hdr))
		return -EFAULT;
	switch (hdr->version) {
	case _LINUX_CAPABILITY_VERSION_1:
		*words = 1;
		return 0;
	case _LINUX_CAPABILITY_VERSION_2:
	case _LINUX_CAPABILITY_VERSION_3:
		*words = 2;
		return 0;
	}
	uint32_t preferred = _LINUX_CAPABILITY_VERSION_3;
	long r = copy_out(task, addr, &preferred, sizeof(preferred));
	return r < 0 ? r : -EINVAL;
}

long sys_capget(struct task *task, struct syscall_call *call)
{
	struct __user_cap_header_struct hdr;
	int words = 0;
	long r = cap_header(task, call->args[0], &hdr, &words);
	if (!call->args[1])
		return r == -EINVAL ? 0 : r;
	if (r < 0)
		return r;
	if (hdr.pid < 0)
		return -EINVAL;
	const struct task *target = task;
	if (hdr.pid != 0 && hdr.pid != task->tid)
		target = task_find(task->sandbox, hdr.pid);
	if (!target)
		return -ESRCH;
	const struct task_cred *cred = &target->cred;
	struct __user_cap_data_struct data[2];
	for (int i = 0; i < 2; i++) {
		data[i].effective = (uint32_t)(cred->cap_effective >> (32 * i));
		data[i].permitted = (uint32_t)(cred->cap_permitted >> (32 * i));
		data[i].inheritable = (uint32_t)(cred->cap_inheritable >> (32 * i));
	}
	return copy_out(task, call->args[1], data, (size_t)words * sizeof(data[0]));
}

static bool subset(uint64_t a, uint64_t of) { return !(a & ~of); }

long sys_capset(struct task *task, struct syscall_call *call)
{
	struct __user_cap_header_struct hdr;
	int words = 0;
	long r = cap_header(task, call->args[0], &hdr, &words);
	if (r < 0)
		return r;
	if (hdr.pid != 0 && hdr.pid != task->tid)
		return -EPERM;
	struct __user_cap_data_struct data[2] = { { 0 } };
	ssize_t got = task_read_mem(task, call->args[1], data, (size_t)words * sizeof(data[0]));
	if (got < 0 || (size_t)got < (size_t)words * sizeof(data[0]))
		return -EFAULT;
	uint64_t eff = 0, prm = 0, inh = 0;
	for (int i = 0; i < words; i++) {
		eff |= (uint64_t)data[i].effective << (32 * i);
		prm |= (uint64_t)data[i].permitted << (32 * i);
		inh |= (uint64_t)data[i].inheritable << (32 * i);
	}
	uint64_t valid = task_cap_full();
	eff &= valid, prm &= valid, inh &= valid;
	struct task_cred *cred = &task->cred;
	if (!task_cred_capable(cred, CAP_SETPCAP) && !subset(inh, cred->cap_inheritable | cred->cap_permitted))
		return -EPERM;
	if (!subset(inh, cred->cap_inheritable | cred->cap_bounding) || !subset(prm, cred->cap_permitted) ||
	    !subset(eff, prm))
		return -EPERM;
	cred->cap_effective = eff;
	cred->cap_permitted = prm;
	cred->cap_inheritable = inh;
	cred->cap_ambient &= prm & inh;
	return 0;
}

/* --- prctl ------------------------------------------------------------------- */

static bool known_cap(uint64_t cap) { return cap <= CAP_LAST_CAP; }

static long ambient(struct task_cred *cred, const uint64_t *args)
{
	uint64_t op = args[1], cap = args[2];
	if (op == PR_CAP_AMBIENT_CLEAR_ALL) {
		if (args[2] | args[3] | args[4])
			return -EINVAL;
		cred->cap_ambient = 0;
		return 0;
	}
	if (!known_cap(cap) || args[3] || args[4])
		return -EINVAL;
	uint64_t bit = UINT64_C(1) << cap;
	switch (op) {
	case PR_CAP_AMBIENT_IS_SET:
		return (cred->cap_ambient & bit) != 0;
	case PR_CAP_AMBIENT_RAISE:
		if (!(cred->cap_permitted & bit) || !(cred->cap_inheritable & bit) ||
		    secure(cred, SECURE_NO_CAP_AMBIENT_RAISE))
			return -EPERM;
		cred->cap_ambient |= bit;
		return 0;
	case PR_CAP_AMBIENT_LOWER:
		cred->cap_ambient &= ~bit;
		return 0;
	}
	return -EINVAL;
}

/* Linux's rule: a locked bit keeps its value, a lock stays, and only a
 * holder of CAP_SETPCAP changes anything. */
static long set_securebits(struct task_cred *cred, uint64_t bits)
{
	unsigned old = cred->securebits;
	if ((((old & SECURE_ALL_LOCKS) >> 1) & (old ^ bits)) || (old & SECURE_ALL_LOCKS & ~bits) ||
	    (bits & ~(uint64_t)(SECURE_ALL_LOCKS | SECURE_ALL_BITS)) || !task_cred_capable(cred, CAP_SETPCAP))
		return -EPERM;
	cred->securebits = (unsigned)bits;
	return 0;
}

long cred_prctl(struct task *task, struct syscall_call *call)
{
	struct task_cred *cred = &task->cred;
	uint64_t arg2 = call->args[1];
	switch ((int)call->args[0]) {
	case PR_CAPBSET_READ:
		return known_cap(arg2) ? (long)((cred->cap_bounding >> arg2) & 1) : -EINVAL;
	case PR_CAPBSET_DROP:
		if (!task_cred_capable(cred, CAP_SETPCAP))
			return -EPERM;
		if (!known_cap(arg2))
			return -EINVAL;
		cred->cap_bounding &= ~(UINT64_C(1) << arg2);
		return 0;
	case PR_GET_KEEPCAPS:
		return secure(cred, SECURE_KEEP_CAPS);
	case PR_SET_KEEPCAPS:
		if (arg2 > 1)
			return -EINVAL;
		if (secure(cred, SECURE_KEEP_CAPS_LOCKED))
			return -EPERM;
		cred->securebits = arg2 ? cred->securebits | SECBIT_KEEP_CAPS : cred->securebits & ~SECBIT_KEEP_CAPS;
		return 0;
	case PR_GET_SECUREBITS:
		return cred->securebits;
	case PR_SET_SECUREBITS:
		return set_securebits(cred, arg2);
	case PR_CAP_AMBIENT:
		return ambient(cred, call->args);
	}
	return -EINVAL;
}
