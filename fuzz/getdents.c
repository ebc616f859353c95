/* getdents and getdents64: the directory listing of sys_getdents64 and its
 * conversion to the old struct linux_dirent records by sys_getdents.
 *
 * Each input names the entries of a memfs directory (names of any bytes
 * but '/' and NUL, 1 to 255 long, some removed again), then a series of
 * calls: which syscall, the buffer size, sometimes a seek to a position
 * first. The workload fd is a stand-in whose file offset is the
 * directory position, as the placeholder's is; the output is written by
 * the handler into the harness's memory (process_vm_writev on itself).
 *
 * Checks: results are >= 0 or a Linux errno; never more bytes than the
 * buffer; every record well formed (8-aligned length inside the result, a
 * terminated name without '/', d_type in the last byte for the old
 * form); the names over a whole listing are the directory's, each once,
 * whatever the buffer sizes were; EINVAL only when the next record does
 * not fit. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fake_task.h"
#include "fdmap.h"
#include "fuzz.h"

long sys_getdents(struct task *task, struct syscall_call *call);
long sys_getdents64(struct task *task, struct syscall_call *call);

#define MAX_NAMES 48
#define DIR_FD 7
#define BUF_MAX (70 * 1024) /* past the sentry's 64 KiB cap */

/* The directory the workload's DIR_FD stands for, and the kernel object
 * standing in for its placeholder: a memfd, whose offset the handler
 * reads and sets as it would a placeholder's. */
static struct vfs_file *dir_file;
static int offset_fd = -1;

int __wrap_task_fd_lookup(struct task *task, int fd, struct vfs_file **file, int *host_fd)
{
	if (fd != DIR_FD || !dir_file)
		return -EBADF;
	*file = dir_file;
	if (host_fd) {
		*host_fd = dup(offset_fd);
		if (*host_fd < 0)
			abort();
	}
	return FD_VFS;
}

struct name_set {
	char names[MAX_NAMES][256];
	bool present[MAX_NAMES];
	int seen[MAX_NAMES];
	int n;
};

static int find_name(const struct name_set *s, const char *name)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->names[i], name) == 0)
			return i;
	return -1;
}

static void saw(struct name_set *s, const char *name, size_t room)
{
	size_t len = strnlen(name, room);
	FUZZ_CHECK(len > 0 && len < room, "record name not terminated inside its record");
	FUZZ_CHECK(!memchr(name, '/', len), "name \"%s\" has a slash", name);
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return;
	int i = find_name(s, name);
	FUZZ_CHECK(i >= 0 && s->present[i], "listed \"%s\", which the directory does not hold", name);
	FUZZ_CHECK(++s->seen[i] == 1, "listed \"%s\" twice in one pass", name);
}

/* struct linux_dirent64: ino 8, off 8, reclen 2, type 1, name. */
static void check64(struct name_set *s, const char *buf, long len)
{
	for (long pos = 0; pos < len;) {
		FUZZ_CHECK(len - pos >= 24, "record at %ld cut short", pos);
		unsigned short reclen;
		memcpy(&reclen, buf + pos + 16, 2);
		FUZZ_CHECK(reclen >= 24 && reclen % 8 == 0 && reclen <= len - pos, "reclen %u at %ld of %ld", reclen,
			   pos, len);
		saw(s, buf + pos + 19, reclen - 19u);
		pos += reclen;
	}
}

/* struct linux_dirent: ino 8, off 8, reclen 2, name, then d_type in the
 * record's last byte. */
static void check_old(struct name_set *s, const char *buf, long len)
{
	for (long pos = 0; pos < len;) {
		FUZZ_CHECK(len - pos >= 24, "record at %ld cut short", pos);
		unsigned short reclen;
		memcpy(&reclen, buf + pos + 16, 2);
		FUZZ_CHECK(reclen >= 24 && reclen % 8 == 0 && reclen <= len - pos, "reclen %u at %ld of %ld", reclen,
			   pos, len);
		const char *name = buf + pos + 18;
		size_t room = reclen - 18u - 1;
		saw(s, name, room);
		unsigned char type = (unsigned char)buf[pos + reclen - 1];
		FUZZ_CHECK(type == DT_DIR || type == DT_REG || type == DT_LNK || type == DT_FIFO || type == DT_SOCK,
			   "d_type %u", type);
		pos += reclen;
	}
}

/* The entries of /d, as the input names them: directories, symlinks,
 * fifos and files. */
static void make_entries(struct fake *fk, struct fuzz_in *in, struct name_set *s)
{
	struct vfs_ctx *c = &fk->ctx;
	vfs_mkdirat(c, NULL, "/d", 0755);
	int want = fuzz_u8(in) % MAX_NAMES;
	char path[300];
	for (int i = 0; i < want && fuzz_more(in); i++) {
		char *name = s->names[s->n];
		uint8_t len = fuzz_u8(in);
		size_t got = fuzz_bytes(in, name, len ? len : 1);
		name[got] = 0;
		for (size_t k = 0; k < got; k++)
			if (name[k] == '/' || name[k] == 0)
				name[k] = '_';
		if (got == 0 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || find_name(s, name) >= 0)
			continue;
		snprintf(path, sizeof(path), "/d/%s", name);
		long r;
		switch (fuzz_u8(in) % 4) {
		case 0: r = vfs_mkdirat(c, NULL, path, 0755); break;
		case 1: r = vfs_symlinkat(c, "target", NULL, path); break;
		case 2: r = vfs_mknodat(c, NULL, path, S_IFIFO | 0644, 0); break;
		default: r = vfs_mknodat(c, NULL, path, S_IFREG | 0644, 0); break;
		}
		FUZZ_CHECK(r == 0, "making \"%s\": %ld", path, r);
		s->present[s->n++] = true;
	}
}

static void remove_some(struct fake *fk, struct fuzz_in *in, struct name_set *s)
{
	char path[300];
	for (int i = 0; i < s->n; i++) {
		if (!s->present[i] || fuzz_u8(in) % 8)
			continue;
		snprintf(path, sizeof(path), "/d/%s", s->names[i]);
		long r = vfs_unlinkat(&fk->ctx, NULL, path, 0);
		if (r == -EISDIR)
			r = vfs_unlinkat(&fk->ctx, NULL, path, AT_REMOVEDIR);
		FUZZ_CHECK(r == 0, "removing \"%s\": %ld", path, r);
		s->present[i] = false;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *out, fill[BUF_MAX];
	if (!out) {
		memset(fill, 0xee, sizeof(fill));
		out = mmap(NULL, BUF_MAX, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (out == MAP_FAILED)
			abort();
	}
	struct fuzz_in in = {data, size};
	struct fake fk;
	fake_start(&fk);
	static struct name_set s;
	memset(&s, 0, sizeof(s));
	make_entries(&fk, &in, &s);
	long r = vfs_openat(&fk.ctx, NULL, "/d", O_RDONLY | O_DIRECTORY, 0, &dir_file);
	FUZZ_CHECK(r == 0, "opening /d: %ld", r);
	offset_fd = memfd_create("placeholder", MFD_CLOEXEC);
	if (offset_fd < 0)
		abort();
	remove_some(&fk, &in, &s);

	/* every pass starts at position 0 (the start, or a rewind) */
	for (int calls = 0; calls < 64 && fuzz_more(&in); calls++) {
		uint8_t how = fuzz_u8(&in);
		size_t bufsize = fuzz_u16(&in);
		if (how & 0x40)
			bufsize = (bufsize % 1024) + 1;
		if (bufsize > BUF_MAX)
			bufsize = BUF_MAX;
		if (how & 0x80) { /* rewind: a new pass */
			lseek(offset_fd, 0, SEEK_SET);
			memset(s.seen, 0, sizeof(s.seen));
		}
		bool old = how & 1;
		struct syscall_call call = {.nr = old ? SYS_getdents : SYS_getdents64};
		call.args[0] = DIR_FD;
		call.args[1] = fake_addr(out);
		call.args[2] = bufsize;
		memcpy(out, fill, bufsize); /* what lies past the result must stay */
		r = old ? sys_getdents(fk.task, &call) : sys_getdents64(fk.task, &call);
		FUZZ_CHECK_RESULT(r, old ? "sys_getdents" : "sys_getdents64");
		FUZZ_CHECK(r <= (long)bufsize, "%ld bytes into %zu", r, bufsize);
		if (r > 0) {
			FUZZ_CHECK(memcmp(out + r, fill, bufsize - (size_t)r) == 0, "bytes written past the %ld returned",
				   r);
			if (old)
				check_old(&s, out, r);
			else
				check64(&s, out, r);
		} else if (r == 0) {
			/* the end of a pass: every name was listed, once */
			for (int i = 0; i < s.n; i++)
				FUZZ_CHECK(!s.present[i] || s.seen[i] == 1, "a pass ended without listing \"%s\"",
					   s.names[i]);
		} else {
			/* only a buffer too small for the next record is refused */
			FUZZ_CHECK(r == -EINVAL && bufsize < 280, "%ld with a %zu-byte buffer", r, bufsize);
		}
	}

	close(offset_fd);
	offset_fd = -1;
	vfs_file_put(dir_file);
	dir_file = NULL;
	fake_stop(&fk);
	return 0;
}
