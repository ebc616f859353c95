/* Without root: a small process of the sandbox's own in a new user, network
 * and mount namespace (the caller is root there), which makes what the
 * sentry itself may not: sockets in its network namespace (only `lo`, up),
 * a devpts instance and a read-only clone of its mount tree. It dies with
 * the sentry. */
#ifndef SENTRY_USERNS_H
#define SENTRY_USERNS_H

/* Forks the process when the sentry is not root; waits until its
 * namespaces are made (or could not be). Call once, early. */
void userns_start(void);

/* 0 when the process serves, else the errno that stopped it (EPERM where
 * user namespaces are disabled). */
int userns_error(void);

/* Its network namespace's fd (the sentry's to keep), or -errno. */
int userns_netns(void);

/* Its devpts instance's detached mount, or -errno. Given once. */
int userns_devpts(void);

/* The read-only, nosuid, nodev clone of its "/", or -errno. Given once. */
int userns_hostview(void);

/* A socket made in its network namespace, or -errno. Thread-safe. */
int userns_socket(int domain, int type, int protocol);

#endif
