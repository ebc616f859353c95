/* Id mappings of host files' owners (idmap.h). */
#include <stdio.h>

#include "idmap.h"

#define OVERFLOW_ID 65534u
#define MAX_RANGES 64 /* the kernel's limit for one uid_map is 340 */

struct range {
	unsigned long inside, host, count;
};
struct map {
	struct range ranges[MAX_RANGES];
	int n;
};
static struct map uid_map, gid_map;

const char *vfs_idmap_add(const char *spec)
{
	char kind;
	unsigned long inside, host, count;
	int used = 0;
	if (sscanf(spec, "%c:%lu:%lu:%lu%n", &kind, &inside, &host, &count, &used) != 4 || spec[used] ||
	    (kind != 'u' && kind != 'g'))
		return "--id-map takes u:INSIDE:HOST:COUNT or g:INSIDE:HOST:COUNT, not";
	if (count == 0 || inside + count > 4294967296ul || host + count > 4294967296ul)
		return "--id-map: a range must hold at least one id and end below 2^32:";
	struct map *m = kind == 'u' ? &uid_map : &gid_map;
	if (m->n == MAX_RANGES)
		return "--id-map: at most 64 ranges of each kind:";
	for (int i = 0; i < m->n; i++) {
		const struct range *r = &m->ranges[i];
		if (host < r->host + r->count && r->host < host + count)
			return "--id-map: host ranges of one kind overlap:";
	}
	m->ranges[m->n++] = (struct range){ inside, host, count };
	return NULL;
}

static unsigned long map_id(const struct map *m, unsigned long host)
{
	if (m->n == 0)
		return host;
	for (int i = 0; i < m->n; i++) {
		const struct range *r = &m->ranges[i];
		if (host >= r->host && host - r->host < r->count)
			return r->inside + (host - r->host);
	}
	return OVERFLOW_ID;
}

uid_t vfs_idmap_uid(uid_t host)
{
	return (uid_t)map_id(&uid_map, host);
}

gid_t vfs_idmap_gid(gid_t host)
{
	return (gid_t)map_id(&gid_map, host);
}
