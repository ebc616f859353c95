/* Exit statuses of sentry itself. */
#ifndef SENTRY_SPAWN_H
#define SENTRY_SPAWN_H

/* Exit statuses as a shell gives them. */
#define EXIT_TIMEOUT 124
#define EXIT_SENTRY_ERROR 125
#define EXIT_NOT_EXECUTABLE 126
#define EXIT_NOT_FOUND 127


#endif
