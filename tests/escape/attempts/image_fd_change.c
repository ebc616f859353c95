/* Changes through a read-only fd of an image file (inside: the host's
 * file, opened in place through the host view): its mode, owner, times,
 * xattrs and inode flags, its bytes through write, pwrite, O_APPEND,
 * ftruncate, fallocate, copy_file_range and splice into it, a shared
 * mapping, a reopen through /proc/self/fd for writing, and the file
 * handle calls. Natively, as root, the attribute changes and the reopen
 * go through. */
#define _GNU_SOURCE
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/xattr.h>
#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	const char *c = arg("canary");
	int fd = open(c, O_RDONLY);
	say("open O_RDONLY: %s\n", res(fd, errno));
	if (fd < 0)
		return 0;
	CHECK("fchmod 0777", fchmod(fd, 0777));
	CHECK("fchown 5:5", fchown(fd, 5, 5));
	CHECK("fsetxattr user.sentry", fsetxattr(fd, "user.sentry", "x", 1, 0));
	CHECK("fremovexattr user.sentry", fremovexattr(fd, "user.sentry"));
	struct timespec t[2] = { { 1, 0 }, { 1, 0 } };
	CHECK("futimens", futimens(fd, t));
	int flags = 0;
	if (ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0) {
		flags |= FS_NOATIME_FL;
		CHECK("FS_IOC_SETFLAGS noatime", ioctl(fd, FS_IOC_SETFLAGS, &flags));
	}
	char label[FSLABEL_MAX] = "sentry";
	CHECK("FS_IOC_SETFSLABEL", ioctl(fd, FS_IOC_SETFSLABEL, label));
	int src = open("/proc/self/exe", O_RDONLY);
	CHECK("FICLONE", ioctl(fd, FICLONE, src));
	CHECK("write", write(fd, "ESCAPED", 7));
	CHECK("pwrite", pwrite(fd, "ESCAPED", 7, 0));
	CHECK("F_SETFL O_APPEND", fcntl(fd, F_SETFL, O_APPEND));
	CHECK("write O_APPEND", write(fd, "ESCAPED", 7));
	CHECK("ftruncate 0", ftruncate(fd, 0));
	CHECK("fallocate", fallocate(fd, 0, 0, 1 << 20));
	CHECK("fallocate punch", fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 4));
	loff_t in = 0, out = 0;
	CHECK("copy_file_range into", copy_file_range(src, &in, fd, &out, 7, 0));
	int p[2];
	if (pipe(p) == 0 && write(p[1], "ESCAPED", 7) == 7)
		CHECK("splice into", splice(p[0], NULL, fd, &out, 7, 0));
	char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	say("mmap shared rw: %s\n", m == MAP_FAILED ? res(-1, errno) : "mapped");
	m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	if (m != MAP_FAILED && CHECK("mprotect rw", mprotect(m, 4096, PROT_READ | PROT_WRITE)) == 0) {
		memcpy(m, "ESCAPED", 7);
		msync(m, 4096, MS_SYNC);
	}
	char self[64];
	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	int rw = open(self, O_RDWR);
	say("reopen /proc/self/fd O_RDWR: %s\n", res(rw, errno));
	if (rw >= 0) {
		CHECK("write reopened", pwrite(rw, "ESCAPED", 7, 0));
		CHECK("ftruncate reopened", ftruncate(rw, 3));
	}
	struct file_handle *h = malloc(sizeof(*h) + MAX_HANDLE_SZ);
	h->handle_bytes = MAX_HANDLE_SZ;
	int mount_id;
	if (CHECK("name_to_handle_at", name_to_handle_at(fd, "", h, &mount_id, AT_EMPTY_PATH)) == 0) {
		int byh = open_by_handle_at(fd, h, O_RDWR);
		say("open_by_handle_at O_RDWR: %s\n", res(byh, errno));
		if (byh >= 0)
			CHECK("write by handle", pwrite(byh, "ESCAPED", 7, 0));
	}
	return 0;
}
