/* Inode flags of a host file handed over as stdin: FS_IOC_SETFLAGS and
 * FS_IOC_FSSETXATTR (chattr +dA) change the host's file. */
#include <linux/fs.h>
#include <sys/ioctl.h>

#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	int flags = 0;
	CHECK("FS_IOC_GETFLAGS", ioctl(0, FS_IOC_GETFLAGS, &flags));
	say("flags %#x\n", flags);
	int more = flags | FS_NODUMP_FL;
	CHECK("FS_IOC_SETFLAGS +d", ioctl(0, FS_IOC_SETFLAGS, &more));
	struct fsxattr xa = { 0 };
	CHECK("FS_IOC_FSGETXATTR", ioctl(0, FS_IOC_FSGETXATTR, &xa));
	xa.fsx_xflags |= FS_XFLAG_NOATIME;
	CHECK("FS_IOC_FSSETXATTR +A", ioctl(0, FS_IOC_FSSETXATTR, &xa));
	/* the secret's folder, handed over as fd 3 */
	int dflags = 0;
	CHECK("FS_IOC_GETFLAGS fd 3", ioctl(3, FS_IOC_GETFLAGS, &dflags));
	dflags |= FS_NODUMP_FL;
	CHECK("FS_IOC_SETFLAGS fd 3", ioctl(3, FS_IOC_SETFLAGS, &dflags));
	return 0;
}
