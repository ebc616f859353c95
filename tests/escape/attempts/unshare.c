/* New namespaces: unshare a user and mount namespace (or a mount
 * namespace alone), bind the secret's folder over a workspace folder and
 * read it there; the binding never leaves the new namespace. */
#include <sched.h>
#include <sys/mount.h>

#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	if (CHECK("unshare(USER|NS)", unshare(CLONE_NEWUSER | CLONE_NEWNS)) < 0 &&
	    CHECK("unshare(NS)", unshare(CLONE_NEWNS)) < 0) {
		CHECK("unshare(PID|UTS|IPC|NET|CGROUP)", unshare(CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWCGROUP));
		return 0;
	}
	CHECK("make / private", mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
	CHECK("mkdir m", mkdir("m", 0755));
	if (CHECK("bind the secret's folder", mount(arg("secretdir"), "m", NULL, MS_BIND, NULL)) == 0)
		try_read("through the binding", AT_FDCWD, "m/secret.txt");
	return 0;
}
