/* The ids of files the sandbox takes from the host, as the workload sees
 * them: a user namespace's mappings (an OCI config's uidMappings and
 * gidMappings), from the ids the sentry sees to the ids inside. Without
 * any, each id is itself. */
#ifndef SENTRY_VFS_IDMAP_H
#define SENTRY_VFS_IDMAP_H

#include <sys/types.h>

/* "u:INSIDE:HOST:COUNT" or "g:INSIDE:HOST:COUNT": NULL, or what is wrong. */
const char *vfs_idmap_add(const char *spec);

/* A host id inside: mapped, or the overflow id 65534 where a mapping of
 * that kind exists but holds none for it, as Linux shows unmapped ids. */
uid_t vfs_idmap_uid(uid_t host);
gid_t vfs_idmap_gid(gid_t host);

#endif
