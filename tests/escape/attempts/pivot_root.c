/* pivot_root into the secret's folder, in a mount namespace of our own so
 * the host's root never moves: bind the folder onto itself, pivot with
 * "." as both roots, detach the old root and read /secret.txt. Without a
 * new namespace only a call that cannot succeed is made. */
#include <sched.h>
#include <sys/mount.h>

#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	if (CHECK("unshare(USER|NS)", unshare(CLONE_NEWUSER | CLONE_NEWNS)) < 0 &&
	    CHECK("unshare(NS)", unshare(CLONE_NEWNS)) < 0) {
		/* The workspace is no mount point: Linux says EINVAL. */
		CHECK("pivot_root(., .) in place", syscall(SYS_pivot_root, ".", "."));
		return 0;
	}
	CHECK("make / private", mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
	const char *dir = arg("secretdir");
	if (CHECK("bind onto itself", mount(dir, dir, NULL, MS_BIND, NULL)) < 0)
		return 0;
	if (CHECK("chdir", chdir(dir)) < 0)
		return 0;
	if (CHECK("pivot_root(., .)", syscall(SYS_pivot_root, ".", ".")) == 0) {
		CHECK("umount2(., DETACH)", umount2(".", MNT_DETACH));
		CHECK("chdir /", chdir("/"));
		try_read("new root", AT_FDCWD, "/secret.txt");
	}
	return 0;
}
