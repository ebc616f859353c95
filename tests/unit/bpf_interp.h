/* A classic BPF interpreter for seccomp programs, to test the filter the
 * sentry builds without loading it into the kernel. */
#ifndef SENTRY_TEST_BPF_INTERP_H
#define SENTRY_TEST_BPF_INTERP_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>

/* Runs prog on data. Returns 0 and sets *ret to the SECCOMP_RET_* value,
 * or -1 with *error naming what the kernel's checker would have refused
 * (an unknown instruction, a backward or out-of-range jump, a bad load). */
int bpf_run(const struct sock_filter *prog, size_t len, const struct seccomp_data *data,
	    uint32_t *ret, const char **error);

#endif
