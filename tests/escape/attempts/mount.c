/* mount: bind the secret's folder into the workspace, mount a fresh proc
 * and the host's root device; read the secret through each; unmount. */
#include <sys/mount.h>

#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	CHECK("mkdir m", mkdir("m", 0755));
	if (CHECK("bind the secret's folder", mount(arg("secretdir"), "m", NULL, MS_BIND, NULL)) == 0) {
		try_read("bind", AT_FDCWD, "m/secret.txt");
		CHECK("umount", umount2("m", MNT_DETACH));
	}
	CHECK("mkdir p", mkdir("p", 0755));
	if (CHECK("mount proc", mount("proc", "p", "proc", 0, NULL)) == 0) {
		char path[4096];
		snprintf(path, sizeof(path), "p/1/root%s", arg("secret"));
		try_read("new proc", AT_FDCWD, path);
		CHECK("umount", umount2("p", MNT_DETACH));
	}
	CHECK("fsopen tmpfs", syscall(SYS_fsopen, "tmpfs", 0));
	CHECK("open_tree /", syscall(SYS_open_tree, AT_FDCWD, "/", 1 /* OPEN_TREE_CLONE */));
	return 0;
}
