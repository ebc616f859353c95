/* --policy FILE: options kept in a file, one per line, read only when the
 * command line names the file. */
#ifndef SENTRY_POLICY_H
#define SENTRY_POLICY_H

#include <getopt.h>

/* Replaces every `--policy FILE` among the options of *argv by
 * `--policy=FILE` followed by FILE's options, each as one `--name=value`
 * argument, so that the one getopt_long loop parses both, in order (a later
 * single-valued option wins).  A line is `name`, `name=value` or
 * `name value`, with or without the leading dashes; blank lines and lines
 * starting with # are skipped.  `table` and `shortopts` are the command
 * line's; `policy_code` is what getopt_long returns for --policy.  Leaves
 * getopt ready to start over.  On an unreadable FILE: one line on stderr
 * and -1. */
int policy_expand(int *argc, char ***argv, const struct option *table, const char *shortopts, int policy_code);

/* "FILE:LINE" for an argument policy_expand took from a policy file, NULL
 * for one from the command line (or once policy_forget was called). */
const char *policy_origin(int index);
void policy_forget(void);

/* The policy files read, as absolute paths, index 0 on; NULL past the
 * last.  A file is read only when reached through no symlink, owned by
 * the caller or root and writable by its owner alone. */
const char *policy_file(int index);

#endif
