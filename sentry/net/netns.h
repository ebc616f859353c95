/* The sandbox's own network namespace: only `lo`, up. The workload's TCP
 * and UDP sockets are made there, so loopback servers and clients inside
 * work at kernel speed and never meet the host's. */
#ifndef SENTRY_NETNS_H
#define SENTRY_NETNS_H

#include <stdbool.h>
#include <stddef.h>

struct sandbox;

/* Makes the namespace on first use. false when it cannot be made (no
 * CAP_SYS_ADMIN); one --verbose line then says so, once. */
bool netns_available(struct sandbox *sb);

/* --netns=PATH: the namespace at PATH (a pod's, say) instead of a new
 * one. NULL, or what is wrong (for a one-line usage error). */
const char *netns_join(const char *path);

/* A socket made in the namespace, or -errno. */
int netns_socket(int domain, int type, int protocol);

/* Brings `lo` of the calling thread's network namespace up: 0 or -errno. */
int netns_lo_up(void);

/* Sets the sysctl KEY (net.ipv4.ip_local_port_range) of the namespace to
 * VALUE, as the kernel takes it there, and reads it back into shown (one
 * line, without its newline). 0, -ENETDOWN (no namespace of the sandbox's
 * own), -EPERM (the user-namespace process's), -EBUSY (the host's own,
 * given by --netns), or what the kernel says
 * (ENOENT: no such key, EINVAL: a value it refuses). */
int netns_sysctl(struct sandbox *sb, const char *key, const char *value, char *shown, size_t size);

/* Does this socket live in the namespace? */
bool netns_owns(int sockfd);

/* --publish [HOST_ADDR:]HOST_PORT:SANDBOX_PORT. NULL when taken, else
 * what is wrong (for a one-line usage error). */
const char *netns_publish_add(const char *spec);

/* Listens on every published host port and relays each connection to the
 * sandbox's 127.0.0.1:SANDBOX_PORT (TCP only). 0, or -1 after one line. */
int netns_publish_start(void);

#endif
