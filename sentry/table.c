#include "syscall.h"

const struct syscall_entry *syscall_lookup(long nr)
{
	size_t lo = 0, hi = syscall_table_len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (syscall_table[mid].nr == nr)
			return &syscall_table[mid];
		if (syscall_table[mid].nr < nr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *syscall_name(long nr)
{
	const struct syscall_entry *e = syscall_lookup(nr);
	return e ? e->name : "unknown";
}

const char *disposition_name(enum disposition d)
{
	switch (d) {
	case DISP_PASS: return "pass";
	case DISP_EMULATE: return "emulate";
	case DISP_TRACE: return "trace";
	case DISP_ERRNO: return "errno";
	case DISP_KILL: return "kill";
	case DISP_UNLISTED: break;
	}
	return "unlisted";
}
