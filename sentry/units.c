#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"

long long units_size(const char *text)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno || end == text || text[0] == '-')
		return -1;
	unsigned shift = 0;
	switch (*end) {
	case 'K': case 'k': shift = 10; end++; break;
	case 'M': case 'm': shift = 20; end++; break;
	case 'G': case 'g': shift = 30; end++; break;
	}
	if (*end || v > (1ULL << 62) >> shift)
		return -1;
	return (long long)(v << shift);
}

double units_seconds(const char *text, double max)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	bool plain = strspn(text, "0123456789.") == strlen(text);
	return !plain || errno || end == text || *end || !(v > 0) || v > max ? -1 : v;
}
