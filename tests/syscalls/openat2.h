/* openat2 through syscall(2): glibc has no wrapper. */
#ifndef SC_OPENAT2_H
#define SC_OPENAT2_H

#include <linux/openat2.h>
#include "common.h"

/* With RESOLVE_IN_ROOT or RESOLVE_BENEATH, Linux gives EAGAIN for a ".."
 * walked while any rename or mount happened on the machine, for the
 * caller to retry (openat2(2)): retried here, so that the native run is
 * an oracle however busy the machine is. */
static inline long openat2_(int dfd, const char *path, uint64_t flags, uint64_t mode,
			    uint64_t resolve)
{
	struct open_how how = { .flags = flags, .mode = mode, .resolve = resolve };
	long r;
	int tries = 0;
	do
		r = syscall(SYS_openat2, dfd, path, &how, sizeof(how));
	while (r < 0 && errno == EAGAIN && (resolve & (RESOLVE_IN_ROOT | RESOLVE_BENEATH)) && ++tries < 1000);
	return r;
}

#define O2_MODE(flags) (((flags) & O_CREAT) ? 0644 : 0)

/* Prints "openat2(dfd, path, flags, resolve) = result", yields the result. */
#define O2(dfd, path, flags, resolve) \
	TL("openat2(" #dfd ", " #path ", " #flags ", " #resolve ")", \
	   openat2_((dfd), (path), (flags), O2_MODE(flags), (resolve)))

/* The same, then prints what a read gives on a regular file and closes. */
#define O2R(dfd, path, flags, resolve) do { \
	long fd_ = TL("openat2(" #dfd ", " #path ", " #flags ", " #resolve ")", \
		      openat2_((dfd), (path), (flags), O2_MODE(flags), (resolve))); \
	if (fd_ >= 0) { \
		struct stat st_; \
		if (fstat((int)fd_, &st_) == 0 && S_ISREG(st_.st_mode) && \
		    ((flags) & O_ACCMODE) != O_WRONLY) \
			readfd(path, (int)fd_); \
		close((int)fd_); \
	} \
} while (0)

#endif
