/* process_vm_readv of a host process's environment, and process_vm_writev
 * over it. */
#include <sys/uio.h>

#include "target.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	struct target t[2];
	int n = targets(t);
	static char buf[8192];
	for (int i = 0; i < n; i++) {
		unsigned long start = t[i].env_start, end = t[i].env_end;
		if (!end) {
			/* Unknown address: try where our own environment lives. */
			extern char **environ;
			start = (unsigned long)(environ && environ[0] ? environ[0] : (char *)buf);
			end = start + 256;
		}
		size_t len = end - start < sizeof(buf) ? end - start : sizeof(buf);
		struct iovec local = { buf, len }, remote = { (void *)start, len };
		char label[64];
		snprintf(label, sizeof(label), "process_vm_readv %s", t[i].name);
		long r = CHECK(label, syscall(SYS_process_vm_readv, t[i].pid, &local, 1, &remote, 1, 0));
		if (r > 0)
			show_env(label, buf, (size_t)r);
		/* Overwrite the first bytes of its environment. */
		memset(buf, 'X', 16);
		struct iovec wl = { buf, 16 }, wr = { (void *)start, 16 };
		snprintf(label, sizeof(label), "process_vm_writev %s", t[i].name);
		CHECK(label, syscall(SYS_process_vm_writev, t[i].pid, &wl, 1, &wr, 1, 0));
	}
	return 0;
}
