#include "fake_task.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

void fake_start(struct fake *fk)
{
	memset(fk, 0, sizeof(*fk));
	fk->sb.opts = &fk->opts;
	fk->sb.notify_fd = -1;
	fk->sb.fd_loader = -1;
	fk->sb.fd_courier = -1;
	fk->sb.courier_sentry_end = -1;
	fk->sb.vfs = vfs_create(NULL);
	struct vfs_sb *sb;
	if (!fk->sb.vfs || vfs_memfs_new(fk->sb.vfs, S_IFDIR | 0755, &sb) < 0 ||
	    vfs_mount_root(fk->sb.vfs, sb, 0, &fk->root) < 0) {
		fprintf(stderr, "fake sandbox: cannot make the memfs root\n");
		abort();
	}
	vfs_sb_put(sb);
	pid_t self = getpid();
	fk->sb.init_pid = self;
	fk->task = task_add(&fk->sb, self, self, 0);
	task_cred_init(&fk->task->cred, 0, 0);
	fk->task->fs = fs_state_new(&fk->root, &fk->root, 022);
	fk->ctx = (struct vfs_ctx){.vfs = fk->sb.vfs, .root = fk->root, .cwd = fk->root, .umask = 022};
}

void fake_stop(struct fake *fk)
{
	task_remove(&fk->sb, fk->task);
	vfs_path_put(&fk->root);
	vfs_destroy(fk->sb.vfs);
}

/* Each slot: read-write pages, then one PROT_NONE page; shared, so that
 * a child forked after the first use sees what is written into it. */
static char *slot_base[FAKE_SLOTS];
static size_t slot_room;

void *fake_guarded(int slot, const void *data, size_t len)
{
	long page = sysconf(_SC_PAGESIZE);
	if (!slot_base[slot]) {
		slot_room = ((FAKE_SLOT_SIZE + (size_t)page - 1) / (size_t)page) * (size_t)page;
		char *m = mmap(NULL, slot_room + (size_t)page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			       -1, 0);
		if (m == MAP_FAILED || mprotect(m + slot_room, (size_t)page, PROT_NONE) < 0) {
			perror("fake sandbox: guarded buffer");
			abort();
		}
		slot_base[slot] = m;
	}
	if (len > slot_room)
		abort();
	char *p = slot_base[slot] + slot_room - len;
	memcpy(p, data, len);
	return p;
}

uint64_t fake_unmapped(void)
{
	/* the guard page of slot 0 */
	static const char none;
	char *p = fake_guarded(0, &none, 0);
	return fake_addr(p);
}
