/* A sandbox of one task that is the harness process itself, so the
 * syscall handlers read their pointer arguments from the harness's own
 * memory (process_vm_readv on oneself) and answer from a memfs tree. */
#ifndef SENTRY_FUZZ_FAKE_TASK_H
#define SENTRY_FUZZ_FAKE_TASK_H

#include <stddef.h>
#include <stdint.h>

#include "sandbox.h"
#include "syscall.h"
#include "task.h"
#include "vfs.h"

struct fake {
	struct sandbox sb;
	struct options opts;
	struct task *task;
	struct vfs_path root;
	struct vfs_ctx ctx;   /* root credentials, for building the tree */
};

/* A fresh memfs root (mode 0755) and the task, uid 0, cwd at the root. */
void fake_start(struct fake *fk);
void fake_stop(struct fake *fk);

/* Guarded buffers: `len` bytes that end right where an inaccessible page
 * begins, so a handler that reads past them gets EFAULT, as it would from
 * a workload. The returned pointer is valid until the next call for the
 * same slot (0 to FAKE_SLOTS-1). */
#define FAKE_SLOTS 4
#define FAKE_SLOT_SIZE (2 * 4096 + 256)
void *fake_guarded(int slot, const void *data, size_t len);
/* An address no mapping covers, for EFAULT on purpose. */
uint64_t fake_unmapped(void);

static inline uint64_t fake_addr(const void *p) { return (uint64_t)(uintptr_t)p; }

#endif
