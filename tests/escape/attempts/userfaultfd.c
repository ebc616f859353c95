/* userfaultfd, the syscall and /dev/userfaultfd. */
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>

#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	int fd = CHECK("userfaultfd", syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK));
	if (fd >= 0) {
		struct uffdio_api api = { .api = UFFD_API };
		CHECK("UFFDIO_API", ioctl(fd, UFFDIO_API, &api));
	}
	int dev = CHECK("open /dev/userfaultfd", open("/dev/userfaultfd", O_RDWR));
	if (dev >= 0)
		CHECK("USERFAULTFD_IOC_NEW", ioctl(dev, USERFAULTFD_IOC_NEW, O_CLOEXEC));
	return 0;
}
