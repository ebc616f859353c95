/* access, faccessat and faccessat2 with each mode bit. */
#include "common.h"

static void modes(const char *path)
{
	static const struct { int mode; const char *name; } m[] = {
		{ F_OK, "F_OK" }, { R_OK, "R_OK" }, { W_OK, "W_OK" }, { X_OK, "X_OK" },
		{ R_OK | W_OK | X_OK, "RWX" },
	};
	say("%s:", path);
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		errno = 0;
		int r = access(path, m[i].mode);
		say(" %s=%s", m[i].name, res(r, errno));
	}
	say("\n");
}

int main(void)
{
	begin("access");
	static const mode_t perms[] = { 0, 0400, 0200, 0100, 0010, 0001, 0755, 0644 };
	for (size_t i = 0; i < sizeof(perms) / sizeof(perms[0]); i++) {
		char name[16];
		snprintf(name, sizeof(name), "f%04o", (unsigned)perms[i]);
		put(name, "x");
		MUST(chmod(name, perms[i]));
		modes(name);
	}
	MUST(mkdir("d", 0755));
	MUST(mkdir("d0", 0));
	modes("d");
	modes("d0");
	MUST(symlink("f0755", "lexec"));
	MUST(symlink("missing", "dangling"));
	modes("lexec");
	modes("dangling");
	modes("missing");
	modes("f0644/x");
	modes("/dev/null");
	T(access("f0644", 8));
	T(access("f0644", -1));
#ifdef SYS_access
	T(syscall(SYS_access, (char *)1, F_OK));
#endif
	T(syscall(SYS_faccessat, AT_FDCWD, (char *)1, F_OK));
	/* faccessat: dirfd, AT_SYMLINK_NOFOLLOW, AT_EACCESS. */
	int dfd = T(open(".", O_RDONLY | O_DIRECTORY));
	T(faccessat(dfd, "f0755", X_OK, 0));
	T(faccessat(dfd, "dangling", F_OK, 0));
	T(faccessat(dfd, "dangling", F_OK, AT_SYMLINK_NOFOLLOW));
	T(faccessat(dfd, "f0644", X_OK, AT_EACCESS));
	T(faccessat(dfd, "f0755", X_OK, AT_EACCESS));
	/* The raw faccessat has no flags argument; faccessat2 has, and
	 * checks it. */
	T(syscall(SYS_faccessat, dfd, "f0755", X_OK));
	T(syscall(SYS_faccessat2, dfd, "f0755", X_OK, 0));
	T(syscall(SYS_faccessat2, dfd, "dangling", F_OK, AT_SYMLINK_NOFOLLOW));
	T(syscall(SYS_faccessat2, dfd, "f0755", X_OK, AT_EACCESS));
	T(syscall(SYS_faccessat2, dfd, "f0755", X_OK, 0x1));
	T(syscall(SYS_faccessat2, dfd, "", F_OK, AT_EMPTY_PATH));
	T(syscall(SYS_faccessat2, dfd, "", F_OK, 0));
	int fd = T(open("f0644", O_RDONLY));
	T(syscall(SYS_faccessat2, fd, "", X_OK, AT_EMPTY_PATH));
	T(syscall(SYS_faccessat2, fd, "", R_OK, AT_EMPTY_PATH));
	T(syscall(SYS_faccessat2, fd, "x", R_OK, 0));
	T(close(fd));
	T(close(dfd));
	return 0;
}
