/* The sandbox's own ptys: a devpts instance mounted nowhere. */
#ifndef SENTRY_DEVPTS_H
#define SENTRY_DEVPTS_H

#include <stdbool.h>
#include <sys/types.h>

/* Makes the instance (needs CAP_SYS_ADMIN, else it is the one of the
 * sentry's user namespace, userns.h): its detached mount fd, which holds
 * ptmx and the slaves by number, or -errno. */
int devpts_start(void);

/* A new instance's detached mount, made in the caller's namespaces. */
int devpts_instance(void);

/* Whether a device file (a pty master or slave, by its st_dev) is of the
 * sandbox's instance: false before devpts_start succeeded. */
bool devpts_owns(dev_t st_dev);

#endif
