/* perf_event_open: count the bystander's cycles, and a system-wide
 * software event on CPU 0. */
#include <linux/perf_event.h>

#include "esc.h"

int main(int argc, char **argv)
{
	esc_init(argc, argv);
	struct perf_event_attr a;
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = PERF_TYPE_SOFTWARE;
	a.config = PERF_COUNT_SW_TASK_CLOCK;
	CHECK("perf_event_open(bystander)", syscall(SYS_perf_event_open, &a, (pid_t)arg_long("bystander"), -1, -1, 0));
	CHECK("perf_event_open(self)", syscall(SYS_perf_event_open, &a, 0, -1, -1, 0));
	a.config = PERF_COUNT_SW_CPU_CLOCK;
	CHECK("perf_event_open(all, cpu 0)", syscall(SYS_perf_event_open, &a, -1, 0, -1, 0));
	return 0;
}
