#ifndef SENTRY_SYSCALLS_EXEC_H
#define SENTRY_SYSCALLS_EXEC_H

#include <stddef.h>

/* Splits a "#!" line (line[0..len), starting with "#!") in place into the
 * interpreter and its one optional argument (NULL when none), as Linux
 * does. 0, or -ENOEXEC when no interpreter is named. */
long parse_shebang(char *line, size_t len, char **interp, char **arg);

#endif
