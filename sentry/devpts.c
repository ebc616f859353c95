#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "devpts.h"
#include "userns.h"

static bool started;
static dev_t instance_dev;

/* With the mount API every devpts is a new instance (as "newinstance"):
 * its ptys are numbered from 0 and the host's are not in it. Everyone may
 * open its ptmx; slaves are 0620 and owned by their opener, as on the host. */
int devpts_instance(void)
{
	int fs = fsopen("devpts", FSOPEN_CLOEXEC);
	if (fs < 0)
		return -errno;
	int mnt = -1;
	if (fsconfig(fs, FSCONFIG_SET_STRING, "ptmxmode", "0666", 0) == 0 &&
	    fsconfig(fs, FSCONFIG_SET_STRING, "mode", "0620", 0) == 0 &&
	    fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
		mnt = fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
	int e = errno;
	close(fs);
	return mnt < 0 ? -e : mnt;
}

int devpts_start(void)
{
	int mnt = devpts_instance();
	if (mnt == -EPERM && userns_error() == 0)
		mnt = userns_devpts(); /* made in the sentry's user namespace */
	if (mnt < 0)
		return mnt;
	struct stat st;
	if (fstat(mnt, &st) < 0) {
		int e = errno;
		close(mnt);
		return -e;
	}
	instance_dev = st.st_dev;
	started = true;
	return mnt;
}

bool devpts_owns(dev_t st_dev)
{
	return started && st_dev == instance_dev;
}
