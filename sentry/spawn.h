/* Finding the workload's program and preparing it for the first exec. */
#ifndef SENTRY_SPAWN_H
#define SENTRY_SPAWN_H

/* Exit statuses as a shell gives them. */
#define EXIT_TIMEOUT 124
#define EXIT_SENTRY_ERROR 125
#define EXIT_NOT_EXECUTABLE 126
#define EXIT_NOT_FOUND 127

/* Resolves name like execvp (a name without '/' is searched in PATH),
 * copies the program into a sealed memfd and returns it, or returns -1
 * after one line on stderr with *exit_status set to 125, 126 or 127. */
int program_open(const char *name, int *exit_status);

#endif
