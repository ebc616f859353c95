/* A syscall's arguments as text for people, strace-like:
 *
 *     openat(AT_FDCWD, "/usr/lib/python3.11/os.py", O_RDONLY|O_CLOEXEC)
 *
 * One signature per syscall name (arch-independent: the per-arch tables
 * give the names), with the kind of each argument: fd, path, open flags,
 * mode, signal, ... Used by --trace, the denial line and the audit record.
 *
 * The workload is never trusted: strings and structures are copied from
 * its memory with task_read_* only (process_vm_readv: it never blocks and
 * never faults the sentry); what cannot be read prints as hex; unknown
 * flag bits print in hex; every byte of the text is printable ASCII, so a
 * line stays one line. */
#ifndef SENTRY_DECODE_H
#define SENTRY_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct task;

/* Buffers (read, write, readlink's) show at most this many bytes, then
 * "..."; NUL-terminated strings (paths, argv) up to DECODE_PATH_MAX. */
#define DECODE_STRING_MAX 64
#define DECODE_PATH_MAX 1024
/* Arrays (execve's argv) show at most this many elements, then "...". */
#define DECODE_ARRAY_MAX 16
/* A buffer that holds any decoded argument list whole. The longest is
 * execve's: its path and DECODE_ARRAY_MAX argv strings, each up to
 * DECODE_PATH_MAX bytes with every byte escaped as four ("\\ooo"), and
 * its envp's address and count. */
#define DECODE_ARGS_MAX ((DECODE_ARRAY_MAX + 2) * (4 * DECODE_PATH_MAX + 16) + 256)

/* The argument list of syscall `name`, comma-separated, without the
 * parentheses, written to buf (always NUL-terminated when size > 0; cut
 * with "..." when it does not fit). An unknown name shows all six
 * arguments in hex. task may be NULL: then no memory is read and pointers
 * show in hex. done: the call returned ret, so output arguments (the
 * buffer of readlink, getcwd, the fds of pipe) may be shown; a call that
 * has not returned, or failed, shows them as pointers. Returns the length
 * of the text. */
size_t decode_args(struct task *task, const char *name, const uint64_t args[6], bool done, long ret, char *buf,
		   size_t size);

/* decode_args for a call that has not returned, where argument i shows
 * as the quoted string known[i] when that is not NULL: what the sentry
 * itself read and acted on (a denial's copy of a path or address) rather
 * than the workload's memory read again. */
size_t decode_args_known(struct task *task, const char *name, const uint64_t args[6], const char *const known[6],
			 char *buf, size_t size);

/* The result as strace shows it: "-1 ENOENT" for -errno, hex for calls
 * that return an address (mmap, shmat, ...), else decimal. */
size_t decode_result(const char *name, long ret, char *buf, size_t size);

/* How many arguments the signature of `name` shows at most (strace's
 * count: the real arguments, not always six); -1 when no signature. */
int decode_nargs(const char *name);

#endif
