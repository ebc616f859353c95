#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sandbox.h"
#include "spawn.h"

static int find_in_path(const char *name, char *out, size_t outlen)
{
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	int saw_eacces = 0;
	while (*path) {
		const char *end = strchrnul(path, ':');
		int dirlen = (int)(end - path);
		snprintf(out, outlen, "%.*s%s%s", dirlen, dirlen ? path : "", dirlen ? "/" : "", name);
		if (access(out, X_OK) == 0)
			return 0;
		if (errno == EACCES)
			saw_eacces = 1;
		path = *end ? end + 1 : end;
	}
	return saw_eacces ? -EACCES : -ENOENT;
}

/* Until the in-sandbox loader runs dynamic programs, the kernel would
 * open their ELF interpreter from the host: refuse them. */
static int check_static_elf(int fd, const char *name)
{
	Elf64_Ehdr eh;
	if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64) {
		sentry_log("%s: not an executable for this machine", name);
		return -ENOEXEC;
	}
	for (int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		if (pread(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + (Elf64_Off)i * eh.e_phentsize)) != sizeof(ph))
			return -ENOEXEC;
		if (ph.p_type == PT_INTERP) {
			sentry_log("%s: dynamically linked programs are not supported yet; use a static build", name);
			return -ENOEXEC;
		}
	}
	return 0;
}

int program_open(const char *name, int *exit_status)
{
	char path[PATH_MAX];
	int r = 0;
	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		r = find_in_path(name, path, sizeof(path));
	if (r == -ENOENT) {
		sentry_log("%s: command not found", name);
		*exit_status = EXIT_NOT_FOUND;
		return -1;
	}
	int fd = r ? -1 : open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		int e = r ? -r : errno;
		sentry_log("%s: %s", name, strerror(e));
		*exit_status = e == ENOENT ? EXIT_NOT_FOUND : EXIT_NOT_EXECUTABLE;
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || access(path, X_OK) < 0) {
		sentry_log("%s: %s", name, S_ISDIR(st.st_mode) ? "is a directory" : "permission denied");
		*exit_status = EXIT_NOT_EXECUTABLE;
		close(fd);
		return -1;
	}
	if (check_static_elf(fd, name) < 0) {
		*exit_status = EXIT_SENTRY_ERROR;
		close(fd);
		return -1;
	}
	int mfd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	off_t off = 0;
	ssize_t n = 0;
	while (mfd >= 0 && off < st.st_size && (n = sendfile(mfd, fd, &off, (size_t)(st.st_size - off))) > 0)
		;
	close(fd);
	if (mfd < 0 || n < 0 || off != st.st_size ||
	    fcntl(mfd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL) < 0) {
		sentry_log("%s: cannot copy the program: %s", name, strerror(errno));
		*exit_status = EXIT_SENTRY_ERROR;
		if (mfd >= 0)
			close(mfd);
		return -1;
	}
	return mfd;
}
