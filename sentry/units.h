/* Sizes and durations as options write them. */
#ifndef SENTRY_UNITS_H
#define SENTRY_UNITS_H

/* "512M", "2G", "64k", "1048576": bytes (0 included), or -1 when malformed
 * or past 2^62. */
long long units_size(const char *text);

/* "30", "0.5": a positive number of seconds up to max, or -1 when
 * malformed (no sign, exponent, hex or inf). */
double units_seconds(const char *text, double max);

#endif
