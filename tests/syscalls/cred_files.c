/* File permissions under switched credentials: a user meets owner, group
 * and other bits, supplementary groups, sticky directories; its new files
 * are its own; access() checks the real ids; a root without capabilities
 * loses its overrides. Run as root; each user runs in a child. */
#include <grp.h>
#include <linux/capability.h>
#include <sys/fsuid.h>

#include "common.h"

static void owner(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		say("  owner %s: -1 %s\n", path, errname(errno));
	else
		say("  owner %s: %u:%u mode=%04o\n", path, st.st_uid, st.st_gid, st.st_mode & 07777);
}

static void become(uid_t uid, gid_t gid, int ngroups, const gid_t *groups)
{
	MUST(setgroups((size_t)ngroups, groups));
	MUST(setgid(gid));
	MUST(setuid(uid));
}

static void as_user(const char *title, void (*fn)(void))
{
	say("%s\n", title);
	pid_t pid = fork();
	if (pid == 0) {
		fn();
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	say("  exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

static void plain_user(void)
{
	become(1000, 1000, 0, NULL);
	TO(open("secret", O_RDONLY));
	T(access("secret", R_OK));
	T(access("secret", F_OK));
	TO(open("public", O_RDONLY));
	TO(open("public", O_WRONLY));
	T(access("public", R_OK | W_OK));
	TO(open("group50", O_RDONLY));
	TO(open("closed/inner", O_RDONLY));
	T(mkdir("closed/sub", 0755));
	TO(open("closed", O_RDONLY | O_DIRECTORY));
	T(access("closed", X_OK));
	TO(open("open/mine", O_CREAT | O_WRONLY, 0666));
	owner("open/mine");
	T(mkdir("open/mydir", 0777));
	owner("open/mydir");
	T(chmod("public", 0666));
	T(chown("open/mine", 0, -1));
	T(chown("open/mine", -1, 50));
	T(chmod("open/mine", 0600));
	owner("open/mine");
	T(unlink("public"));
	/* sticky: only the owner of the file or of the directory removes it */
	T(unlink("sticky/rootfile"));
	T(rename("sticky/rootfile", "sticky/taken"));
	TO(open("sticky/userfile", O_CREAT | O_WRONLY, 0644));
	T(unlink("sticky/userfile"));
	T(utimensat(AT_FDCWD, "public", NULL, 0));
	T(utimensat(AT_FDCWD, "open/mine", NULL, 0));
	T(chroot("open"));
}

static void in_group50(void)
{
	gid_t g = 50;
	become(1000, 1000, 1, &g);
	TO(open("group50", O_RDONLY));
	TO(open("group50", O_WRONLY));
	TO(open("open/theirs", O_CREAT | O_WRONLY, 0666));
	T(chown("open/theirs", -1, 50));   /* a group it is in */
	T(chown("open/theirs", -1, 51));
	owner("open/theirs");
}

/* ruid 1000, euid 0: access() asks for the real user, open for the
 * effective one. */
static void real_user_effective_root(void)
{
	MUST(setresuid(1000, 0, 0));
	T(access("secret", R_OK));
	T(faccessat(AT_FDCWD, "secret", R_OK, AT_EACCESS));
	TO(open("secret", O_RDONLY));
}

static void root_without_caps(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct none[2] = { { 0, 0, 0 }, { 0, 0, 0 } };
	MUST(syscall(SYS_capset, &hdr, none));
	TO(open("usersecret", O_RDONLY));
	TO(open("secret", O_RDONLY));   /* its own file */
	T(chmod("usersecret", 0644));
	T(chown("secret", 5, 5));
	T(unlink("sticky/userfile2"));
	TO(open("closed/inner", O_RDONLY));
}

/* A root that only gave up its fsuid keeps CAP_SETUID, not the overrides. */
static void root_fsuid_user(void)
{
	MUST(setfsuid(1000));
	TO(open("secret", O_RDONLY));
	TO(open("usersecret", O_RDONLY));
	TO(open("open/fsfile", O_CREAT | O_WRONLY, 0600));
	owner("open/fsfile");
}

int main(void)
{
	begin("files under switched credentials");
	MUST(chmod(".", 0755));
	put("secret", "s");
	MUST(chmod("secret", 0600));
	put("public", "p");
	MUST(chmod("public", 0644));
	put("group50", "g");
	MUST(chown("group50", 0, 50));
	MUST(chmod("group50", 0640));
	put("usersecret", "u");
	MUST(chown("usersecret", 1000, 1000));
	MUST(chmod("usersecret", 0600));
	MUST(mkdir("closed", 0700));
	put("closed/inner", "i");
	MUST(mkdir("open", 0777));
	MUST(chmod("open", 0777));
	MUST(mkdir("sticky", 0777));
	MUST(chmod("sticky", 01777));
	put("sticky/rootfile", "r");
	MUST(chmod("sticky/rootfile", 0666));
	put("sticky/userfile2", "u");
	MUST(chown("sticky/userfile2", 1000, 1000));
	as_user("uid 1000", plain_user);
	as_user("uid 1000 in group 50", in_group50);
	as_user("real 1000, effective 0", real_user_effective_root);
	as_user("root without capabilities", root_without_caps);
	as_user("root with fsuid 1000", root_fsuid_user);
	owner("sticky/rootfile");
	owner("public");
	return 0;
}
