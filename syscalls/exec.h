#ifndef SENTRY_SYSCALLS_EXEC_H
#define SENTRY_SYSCALLS_EXEC_H

#include <stddef.h>
#include <stdint.h>

/* Splits a "#!" line (line[0..len), starting with "#!") in place into the
 * interpreter and its one optional argument (NULL when none), as Linux
 * does. 0, or -ENOEXEC when no interpreter is named. */
long parse_shebang(char *line, size_t len, char **interp, char **arg);

struct task;
/* The loader names the process after an exec with PR_SET_NAME(name):
 * writes the name the exec gave into its buffer (16 bytes) first. */
void exec_name_to_loader(struct task *task, uint64_t name_addr);

#endif
