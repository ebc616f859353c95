/*
 * The stat snapshot shared by the sentry (the only writer) and every
 * workload process (read-only mappings): the layout both sides agree on.
 * Freestanding: the loader's stub includes it too.
 */
#ifndef SENTRY_FASTPATH_SNAPSHOT_H
#define SENTRY_FASTPATH_SNAPSHOT_H

/* The stub page: a pointer to the stub's entry (what `call *ABS32` at a
 * patched site loads), a magic word, then the stub's code. Below 2 GiB, as
 * the call's sign-extended 32-bit address needs. */
#define FASTPATH_STUB_ADDR 0x7fe00000UL
#define FASTPATH_STUB_MAGIC 0x73656e74727966ULL /* "fyrtnes" */
#define FASTPATH_STUB_CODE 16                     /* offset of the code */
/* The snapshot is mapped right after it. */
#define FASTPATH_SNAP_ADDR (FASTPATH_STUB_ADDR + 4096)

#define FASTPATH_SNAP_MAGIC 0x66737473u /* "stsf" */
#define FASTPATH_SLOTS 2048             /* a power of two */
#define FASTPATH_PROBES 8
#define FASTPATH_PATH_MAX 256           /* with its NUL */
#define FASTPATH_STAT_SIZE 144          /* struct stat on x86_64 */

/* The loader's requests to the sentry, as a newfstatat on the loader's own
 * reserved fd with flags no kernel accepts: the sentry answers with a
 * read-only fd of the snapshot. */
#define FASTPATH_REQUEST_FLAGS 0x5e000000

struct fastpath_head {
	/* odd while the sentry writes; readers retry (take the slow path) */
	volatile unsigned long seq;
	/* entries of another epoch are empty: bumping it clears the table */
	volatile unsigned long epoch;
	unsigned int magic;
	unsigned int nslots;
};

struct fastpath_entry {
	unsigned long epoch;
	unsigned int hash;
	unsigned int len;      /* of path, without its NUL */
	int err;               /* 0: st holds the answer; else the errno */
	unsigned int nofollow; /* AT_SYMLINK_NOFOLLOW was given */
	unsigned long reserved;
	char path[FASTPATH_PATH_MAX];
	unsigned char st[FASTPATH_STAT_SIZE];
	unsigned char pad[512 - 32 - FASTPATH_PATH_MAX - FASTPATH_STAT_SIZE];
};

#define FASTPATH_ENTRIES_OFFSET 4096
#define FASTPATH_SNAP_SIZE (FASTPATH_ENTRIES_OFFSET + FASTPATH_SLOTS * 512UL)

/* FNV-1a over the path, then the nofollow bit. */
static inline unsigned int fastpath_hash(const char *path, unsigned int len, unsigned int nofollow)
{
	unsigned int h = 2166136261u;
	for (unsigned int i = 0; i < len; i++)
		h = (h ^ (unsigned char)path[i]) * 16777619u;
	return (h ^ nofollow) * 16777619u;
}

#endif
