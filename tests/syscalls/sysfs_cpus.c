/* What programs read from /sys: the online CPUs (glibc's get_nprocs reads
 * them), the transparent huge page mode, and that /sys is a sysfs. */
#include "common.h"

#include <sys/statfs.h>
#include <sys/sysinfo.h>
#include <linux/magic.h>

int main(void)
{
	begin("/sys");
	cat("/sys/devices/system/cpu/online");
	cat("/sys/kernel/mm/transparent_hugepage/enabled");
	say("  get_nprocs %d, sysconf(_SC_NPROCESSORS_ONLN) %ld\n", get_nprocs(), sysconf(_SC_NPROCESSORS_ONLN));
	struct statfs s;
	TL("statfs(/sys)", statfs("/sys", &s));
	say("  sysfs: %s\n", s.f_type == SYSFS_MAGIC ? "yes" : "no");
	struct stat st;
	TL("stat(/sys/fs/cgroup)", stat("/sys/fs/cgroup", &st));
	say("  %s\n", ftype(st.st_mode));
	return 0;
}
