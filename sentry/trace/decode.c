/* Syscall arguments as strace shows them: see decode.h. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "decode.h"
#include "task.h"

/* ---- bounded output ---------------------------------------------------- */

struct out {
	char *buf;
	size_t size, len;
	bool cut; /* something did not fit */
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->size == 0) {
		o->cut |= n > 0;
		return;
	}
	size_t room = o->size - 1 - o->len;
	if (n > room) {
		n = room;
		o->cut = true;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = 0;
}

static void put_str(struct out *o, const char *s) { put(o, s, strlen(s)); }

__attribute__((format(printf, 2, 3))) static void putf(struct out *o, const char *fmt, ...)
{
	char tmp[128];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		put(o, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

static void put_hex(struct out *o, uint64_t v) { putf(o, "%#llx", (unsigned long long)v); }

static void put_ptr(struct out *o, uint64_t v)
{
	if (v)
		put_hex(o, v);
	else
		put_str(o, "NULL");
}

/* Ends the text with "..." when it was cut. */
static size_t finish(struct out *o)
{
	if (o->cut && o->size >= 4) {
		size_t at = o->len >= 3 ? o->len - 3 : 0;
		memcpy(o->buf + at, "...", 3);
		o->len = at + 3;
		o->buf[o->len] = 0;
	}
	return o->len;
}

/* ---- strings ----------------------------------------------------------- */

/* Quoted and escaped as strace does: \" \\ \t \n \v \f \r, every other
 * byte outside printable ASCII in octal (three digits when a digit
 * follows, so "\0" "1" stays unambiguous). */
static void put_quoted(struct out *o, const char *s, size_t n, bool more)
{
	put(o, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[8];
		switch (c) {
		case '"': put(o, "\\\"", 2); continue;
		case '\\': put(o, "\\\\", 2); continue;
		case '\t': put(o, "\\t", 2); continue;
		case '\n': put(o, "\\n", 2); continue;
		case '\v': put(o, "\\v", 2); continue;
		case '\f': put(o, "\\f", 2); continue;
		case '\r': put(o, "\\r", 2); continue;
		}
		if (c >= 0x20 && c < 0x7f) {
			put(o, (const char *)&c, 1);
			continue;
		}
		bool digit_follows = i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '7';
		int len = digit_follows ? snprintf(esc, sizeof(esc), "\\%03o", c)
					: snprintf(esc, sizeof(esc), "\\%o", c);
		put(o, esc, (size_t)len);
	}
	put(o, "\"", 1);
	if (more)
		put(o, "...", 3);
}

/* A NUL-terminated string of the task (a path, usually, shown whole as
 * strace does up to DECODE_PATH_MAX bytes, then "..."), NULL, or the
 * address in hex when it cannot be read. */
static void put_string(struct out *o, struct task *task, uint64_t addr)
{
	if (!addr) {
		put_str(o, "NULL");
		return;
	}
	static char s[DECODE_PATH_MAX + 1];
	ssize_t n = task ? task_read_string(task, addr, s, sizeof(s)) : -EFAULT;
	if (n >= 0)
		put_quoted(o, s, (size_t)n, false);
	else if (n == -ENAMETOOLONG && task_read_mem(task, addr, s, DECODE_PATH_MAX) == DECODE_PATH_MAX)
		put_quoted(o, s, DECODE_PATH_MAX, true);
	else
		put_hex(o, addr);
}

/* len bytes of the task (not NUL-terminated: readlink's buffer). */
static void put_bytes(struct out *o, struct task *task, uint64_t addr, uint64_t len)
{
	char s[DECODE_STRING_MAX];
	size_t n = len < sizeof(s) ? (size_t)len : sizeof(s);
	if (task && addr && task_read_mem(task, addr, s, n) == (ssize_t)n)
		put_quoted(o, s, n, len > n);
	else
		put_ptr(o, addr);
}

/* Up to n 64-bit words from addr, a page at a time; how many were read. */
static size_t read_words(struct task *task, uint64_t addr, uint64_t *words, size_t n)
{
	const uint64_t page = 4096;
	size_t done = 0;
	while (task && done < n) {
		uint64_t at = addr + done * 8;
		if (at < addr)
			break; /* wrapped around */
		size_t fit = (size_t)((page - at % page) / 8);
		size_t chunk = fit ? fit : 1; /* a word across the page end: alone */
		if (chunk > n - done)
			chunk = n - done;
		if (task_read_mem(task, at, words + done, chunk * 8) != (ssize_t)(chunk * 8))
			break;
		done += chunk;
	}
	return done;
}

/* execve's argv: ["ls", "-l"], at most DECODE_ARRAY_MAX strings. */
static void put_argv(struct out *o, struct task *task, uint64_t addr)
{
	uint64_t words[DECODE_ARRAY_MAX + 1];
	size_t n = addr ? read_words(task, addr, words, DECODE_ARRAY_MAX + 1) : 0;
	if (n == 0) {
		put_ptr(o, addr);
		return;
	}
	put(o, "[", 1);
	for (size_t i = 0; i < n; i++) {
		if (!words[i]) {
			put(o, "]", 1);
			return;
		}
		if (i == DECODE_ARRAY_MAX)
			break;
		if (i)
			put(o, ", ", 2);
		put_string(o, task, words[i]);
	}
	/* more elements, or the rest could not be read */
	put_str(o, ", ...]");
}

/* execve's envp: the address and how many strings, as strace shows it. */
static void put_envp(struct out *o, struct task *task, uint64_t addr)
{
	uint64_t words[64];
	size_t count = 0;
	bool whole = false;
	while (addr && count < 4096) {
		size_t n = read_words(task, addr + count * 8, words, 64);
		size_t i = 0;
		while (i < n && words[i])
			i++;
		count += i;
		if (i < n) {
			whole = true;
			break;
		}
		if (n < 64)
			break;
	}
	put_ptr(o, addr);
	if (whole)
		putf(o, " /* %zu var%s */", count, count == 1 ? "" : "s");
}

/* ---- flags and named values ------------------------------------------- */

struct named {
	uint64_t value;
	const char *name;
};

#define N(x) { (uint64_t)(x), #x }
#define COUNT(t) (sizeof(t) / sizeof((t)[0]))

/* Names of the set bits, in table order ("composite" values first),
 * then the bits no name covers in hex; zero when nothing is set. */
static void put_flags_of(struct out *o, uint64_t v, const struct named *t, size_t n, const char *zero)
{
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		if (!t[i].value || (v & t[i].value) != t[i].value)
			continue;
		if (any)
			put(o, "|", 1);
		put_str(o, t[i].name);
		v &= ~t[i].value;
		any = true;
	}
	if (v) {
		if (any)
			put(o, "|", 1);
		put_hex(o, v);
	} else if (!any) {
		put_str(o, zero ? zero : "0");
	}
}
#define put_flags(o, v, t, zero) put_flags_of(o, v, t, COUNT(t), zero)

/* One of a set of values: its name, else the number (hex or decimal). */
static bool put_value_of(struct out *o, uint64_t v, const struct named *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].value == v) {
			put_str(o, t[i].name);
			return true;
		}
	return false;
}
#define put_value(o, v, t) put_value_of(o, v, t, COUNT(t))

static void put_int(struct out *o, uint64_t v) { putf(o, "%d", (int)(uint32_t)v); }

/* The open flags of the running architecture (O_DIRECTORY and friends
 * differ between x86_64 and arm64: the C library's values are the
 * kernel's). glibc gives O_LARGEFILE as 0 on 64-bit: the kernel's bit. */
#if defined(__x86_64__)
#define KERNEL_O_LARGEFILE 0100000
#elif defined(__aarch64__)
#define KERNEL_O_LARGEFILE 0400000
#else
#define KERNEL_O_LARGEFILE 0
#endif
#define KERNEL_O_TMPFILE_BIT 020000000

static const struct named open_flags[] = {
	{ O_TMPFILE, "O_TMPFILE" }, /* with O_DIRECTORY's bit */
	{ O_SYNC, "O_SYNC" },	    /* with O_DSYNC's bit */
	N(O_CREAT),
	N(O_EXCL),
	N(O_NOCTTY),
	N(O_TRUNC),
	N(O_APPEND),
	N(O_NONBLOCK),
	N(O_DSYNC),
	{ FASYNC, "O_ASYNC" },
	N(O_DIRECT),
	{ KERNEL_O_LARGEFILE, "O_LARGEFILE" },
	N(O_DIRECTORY),
	N(O_NOFOLLOW),
	N(O_NOATIME),
	N(O_CLOEXEC),
	N(O_PATH),
};

static void put_open_flags(struct out *o, uint64_t v)
{
	static const char *const access[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE" };
	put_str(o, access[v & O_ACCMODE]);
	v &= ~(uint64_t)O_ACCMODE;
	if (v) {
		put(o, "|", 1);
		put_flags(o, v, open_flags, NULL);
	}
}

static bool open_creates(uint64_t flags) { return (flags & O_CREAT) || (flags & KERNEL_O_TMPFILE_BIT); }

static void put_mode(struct out *o, uint64_t v) { putf(o, "0%03o", (unsigned)(uint32_t)v); }

static const struct named file_types[] = {
	N(S_IFSOCK), N(S_IFLNK), N(S_IFREG), N(S_IFBLK), N(S_IFDIR), N(S_IFCHR), N(S_IFIFO),
};

/* mknod: the file type by name, then the permissions. */
static void put_mknod_mode(struct out *o, uint64_t v)
{
	uint32_t mode = (uint32_t)v;
	if (put_value(o, mode & S_IFMT, file_types)) {
		mode &= ~(uint32_t)S_IFMT;
		put(o, "|", 1);
	}
	put_mode(o, mode);
}

static const struct named at_flags[] = {
	{ 0x100, "AT_SYMLINK_NOFOLLOW" }, { 0x400, "AT_SYMLINK_FOLLOW" },
	{ 0x800, "AT_NO_AUTOMOUNT" },	  { 0x1000, "AT_EMPTY_PATH" },
	{ 0x2000, "AT_STATX_FORCE_SYNC" }, { 0x4000, "AT_STATX_DONT_SYNC" },
	{ 0x8000, "AT_RECURSIVE" },
};
static const struct named accessat_flags[] = {
	{ 0x200, "AT_EACCESS" }, { 0x100, "AT_SYMLINK_NOFOLLOW" }, { 0x1000, "AT_EMPTY_PATH" },
};
static const struct named unlinkat_flags[] = { { 0x200, "AT_REMOVEDIR" } };
static const struct named access_modes[] = { N(R_OK), N(W_OK), N(X_OK) };
static const struct named rename_flags[] = {
	{ 1, "RENAME_NOREPLACE" }, { 2, "RENAME_EXCHANGE" }, { 4, "RENAME_WHITEOUT" },
};
static const struct named xattr_flags[] = { { 1, "XATTR_CREATE" }, { 2, "XATTR_REPLACE" } };
static const struct named statx_mask[] = {
	{ 0x7ff, "STATX_BASIC_STATS" }, { 0x1, "STATX_TYPE" },	    { 0x2, "STATX_MODE" },
	{ 0x4, "STATX_NLINK" },		{ 0x8, "STATX_UID" },	    { 0x10, "STATX_GID" },
	{ 0x20, "STATX_ATIME" },	{ 0x40, "STATX_MTIME" },    { 0x80, "STATX_CTIME" },
	{ 0x100, "STATX_INO" },		{ 0x200, "STATX_SIZE" },    { 0x400, "STATX_BLOCKS" },
	{ 0x800, "STATX_BTIME" },	{ 0x1000, "STATX_MNT_ID" }, { 0x2000, "STATX_DIOALIGN" },
	{ 0x4000, "STATX_MNT_ID_UNIQUE" }, { 0x8000, "STATX_SUBVOL" }, { 0x10000, "STATX_WRITE_ATOMIC" },
	{ 0x20000, "STATX_DIO_READ_ALIGN" },
};
static const struct named resolve_flags[] = {
	{ 0x01, "RESOLVE_NO_XDEV" },	 { 0x02, "RESOLVE_NO_MAGICLINKS" }, { 0x04, "RESOLVE_NO_SYMLINKS" },
	{ 0x08, "RESOLVE_BENEATH" },	 { 0x10, "RESOLVE_IN_ROOT" },	    { 0x20, "RESOLVE_CACHED" },
};

/* Signal numbers are the same on x86_64 and arm64 (the generic ones). */
static const struct named signals[] = {
	N(SIGHUP),  N(SIGINT),	  N(SIGQUIT), N(SIGILL),  N(SIGTRAP), N(SIGABRT), N(SIGBUS),
	N(SIGFPE),  N(SIGKILL),	  N(SIGUSR1), N(SIGSEGV), N(SIGUSR2), N(SIGPIPE), N(SIGALRM),
	N(SIGTERM), N(SIGSTKFLT), N(SIGCHLD), N(SIGCONT), N(SIGSTOP), N(SIGTSTP), N(SIGTTIN),
	N(SIGTTOU), N(SIGURG),	  N(SIGXCPU), N(SIGXFSZ), N(SIGVTALRM), N(SIGPROF), N(SIGWINCH),
	N(SIGIO),   N(SIGPWR),	  N(SIGSYS),
};

static void put_signal(struct out *o, uint64_t v)
{
	int sig = (int)(uint32_t)v;
	if (put_value(o, (uint64_t)sig, signals))
		return;
	if (sig == 32)
		put_str(o, "SIGRTMIN");
	else if (sig > 32 && sig <= 64)
		putf(o, "SIGRT_%d", sig - 32);
	else
		putf(o, "%d", sig);
}

/* clone's flags; the low byte is the exit signal (CLONE_NEWTIME, 0x80,
 * is for unshare and clone3 only). */
static const struct named clone_flags[] = {
	{ 0x100, "CLONE_VM" },		   { 0x200, "CLONE_FS" },
	{ 0x400, "CLONE_FILES" },	   { 0x800, "CLONE_SIGHAND" },
	{ 0x1000, "CLONE_PIDFD" },	   { 0x2000, "CLONE_PTRACE" },
	{ 0x4000, "CLONE_VFORK" },	   { 0x8000, "CLONE_PARENT" },
	{ 0x10000, "CLONE_THREAD" },	   { 0x20000, "CLONE_NEWNS" },
	{ 0x40000, "CLONE_SYSVSEM" },	   { 0x80000, "CLONE_SETTLS" },
	{ 0x100000, "CLONE_PARENT_SETTID" }, { 0x200000, "CLONE_CHILD_CLEARTID" },
	{ 0x400000, "CLONE_DETACHED" },	   { 0x800000, "CLONE_UNTRACED" },
	{ 0x1000000, "CLONE_CHILD_SETTID" }, { 0x2000000, "CLONE_NEWCGROUP" },
	{ 0x4000000, "CLONE_NEWUTS" },	   { 0x8000000, "CLONE_NEWIPC" },
	{ 0x10000000, "CLONE_NEWUSER" },   { 0x20000000, "CLONE_NEWPID" },
	{ 0x40000000, "CLONE_NEWNET" },	   { 0x80000000, "CLONE_IO" },
	{ 0x100000000ull, "CLONE_CLEAR_SIGHAND" }, { 0x200000000ull, "CLONE_INTO_CGROUP" },
	{ 0x80, "CLONE_NEWTIME" }, /* unshare only: clone's table stops before it */
};

static void put_clone_flags(struct out *o, uint64_t v)
{
	uint64_t sig = v & 0xff;
	v &= ~(uint64_t)0xff;
	if (v)
		put_flags_of(o, v, clone_flags, COUNT(clone_flags) - 1, NULL);
	if (sig) {
		if (v)
			put(o, "|", 1);
		put_signal(o, sig);
	} else if (!v) {
		put(o, "0", 1);
	}
}

static const struct named prot_flags[] = {
	N(PROT_READ), N(PROT_WRITE), N(PROT_EXEC), { 0x8, "PROT_SEM" },
#ifdef PROT_BTI
	N(PROT_BTI),
#endif
#ifdef PROT_MTE
	N(PROT_MTE),
#endif
	N(PROT_GROWSDOWN), N(PROT_GROWSUP),
};

static const struct named map_types[] = { { 1, "MAP_SHARED" }, { 2, "MAP_PRIVATE" }, { 3, "MAP_SHARED_VALIDATE" } };
static const struct named map_flags[] = {
	N(MAP_FIXED),	   N(MAP_ANONYMOUS),
#ifdef MAP_32BIT
	N(MAP_32BIT),
#endif
	N(MAP_GROWSDOWN), N(MAP_DENYWRITE), N(MAP_EXECUTABLE), N(MAP_LOCKED),
	N(MAP_NORESERVE), N(MAP_POPULATE),  N(MAP_NONBLOCK),   N(MAP_STACK),
	N(MAP_HUGETLB),	  { 0x80000, "MAP_SYNC" }, { 0x100000, "MAP_FIXED_NOREPLACE" },
	{ 0x4000000, "MAP_UNINITIALIZED" },
};

static void put_map_flags(struct out *o, uint64_t v)
{
	bool typed = put_value(o, v & 0xf, map_types);
	if (typed)
		v &= ~(uint64_t)0xf;
	if (v || !typed) {
		if (typed)
			put(o, "|", 1);
		put_flags(o, v, map_flags, NULL);
	}
}

static const struct named families[] = {
	N(AF_UNSPEC), N(AF_UNIX),  N(AF_INET),	N(AF_AX25),	 N(AF_IPX),	 N(AF_APPLETALK),
	N(AF_X25),    N(AF_INET6), N(AF_KEY),	N(AF_NETLINK), N(AF_PACKET), N(AF_RDS),
	N(AF_LLC),    N(AF_IB),	   N(AF_MPLS),	N(AF_CAN),     N(AF_TIPC),   N(AF_BLUETOOTH),
	N(AF_ALG),    N(AF_VSOCK), N(AF_QIPCRTR), N(AF_SMC),   N(AF_XDP),
};

static void put_family(struct out *o, uint64_t v)
{
	if (!put_value(o, (uint32_t)v, families))
		put_int(o, v);
}

static const struct named sock_types[] = {
	N(SOCK_STREAM), N(SOCK_DGRAM), N(SOCK_RAW), N(SOCK_RDM), N(SOCK_SEQPACKET), N(SOCK_DCCP), N(SOCK_PACKET),
};
static const struct named sock_flags[] = { N(SOCK_CLOEXEC), N(SOCK_NONBLOCK) };

static void put_sock_type(struct out *o, uint64_t v)
{
	v = (uint32_t)v;
	bool typed = put_value(o, v & 0xf, sock_types);
	if (typed)
		v &= ~(uint64_t)0xf;
	if (v || !typed) {
		if (typed)
			put(o, "|", 1);
		put_flags(o, v, sock_flags, NULL);
	}
}

static const struct named msg_flags[] = {
	N(MSG_OOB),	  N(MSG_PEEK),	   N(MSG_DONTROUTE),  N(MSG_CTRUNC),	  N(MSG_PROXY),
	N(MSG_TRUNC),	  N(MSG_DONTWAIT), N(MSG_EOR),	      N(MSG_WAITALL),	  N(MSG_FIN),
	N(MSG_SYN),	  N(MSG_CONFIRM),  N(MSG_RST),	      N(MSG_ERRQUEUE),	  N(MSG_NOSIGNAL),
	N(MSG_MORE),	  N(MSG_WAITFORONE), N(MSG_BATCH),    N(MSG_ZEROCOPY),	  N(MSG_FASTOPEN),
	N(MSG_CMSG_CLOEXEC),
};

/* fcntl commands: the generic numbers, the same on x86_64 and arm64. */
static const struct named fcntl_cmds[] = {
	{ 0, "F_DUPFD" },	     { 1, "F_GETFD" },		{ 2, "F_SETFD" },	   { 3, "F_GETFL" },
	{ 4, "F_SETFL" },	     { 5, "F_GETLK" },		{ 6, "F_SETLK" },	   { 7, "F_SETLKW" },
	{ 8, "F_SETOWN" },	     { 9, "F_GETOWN" },		{ 10, "F_SETSIG" },	   { 11, "F_GETSIG" },
	{ 15, "F_SETOWN_EX" },	     { 16, "F_GETOWN_EX" },	{ 17, "F_GETOWNER_UIDS" }, { 36, "F_OFD_GETLK" },
	{ 37, "F_OFD_SETLK" },	     { 38, "F_OFD_SETLKW" },	{ 1024, "F_SETLEASE" },	   { 1025, "F_GETLEASE" },
	{ 1026, "F_NOTIFY" },	     { 1030, "F_DUPFD_CLOEXEC" }, { 1031, "F_SETPIPE_SZ" }, { 1032, "F_GETPIPE_SZ" },
	{ 1033, "F_ADD_SEALS" },     { 1034, "F_GET_SEALS" },	{ 1035, "F_GET_RW_HINT" }, { 1036, "F_SET_RW_HINT" },
	{ 1037, "F_GET_FILE_RW_HINT" }, { 1038, "F_SET_FILE_RW_HINT" },
};
static const struct named fd_flags[] = { { 1, "FD_CLOEXEC" } };
static const struct named seals[] = {
	{ 1, "F_SEAL_SEAL" },	{ 2, "F_SEAL_SHRINK" },	      { 4, "F_SEAL_GROW" },
	{ 8, "F_SEAL_WRITE" },	{ 0x10, "F_SEAL_FUTURE_WRITE" }, { 0x20, "F_SEAL_EXEC" },
};
static const struct named lease_types[] = { { 0, "F_RDLCK" }, { 1, "F_WRLCK" }, { 2, "F_UNLCK" } };

/* Whether fcntl's command reads a third argument (F_GET* read none). */
static bool fcntl_takes_arg(uint64_t cmd)
{
	switch ((uint32_t)cmd) {
	case 1: case 3: case 9: case 11: case 1025: case 1032: case 1034:
		return false;
	default:
		return true;
	}
}

/* fcntl's third argument, as its command reads it. */
static void put_fcntl_arg(struct out *o, uint64_t cmd, uint64_t v)
{
	switch ((uint32_t)cmd) {
	case 0: case 1030: case 8: case 10: case 1026: case 1031:
		put_int(o, v);
		break;
	case 2:
		put_flags(o, (uint32_t)v, fd_flags, NULL);
		break;
	case 4:
		put_open_flags(o, (uint32_t)v);
		break;
	case 1024:
		if (!put_value(o, (uint32_t)v, lease_types))
			put_int(o, v);
		break;
	case 1033:
		put_flags(o, (uint32_t)v, seals, NULL);
		break;
	default:
		put_ptr(o, v);
		break;
	}
}

static const struct named ioctls[] = {
	N(TCGETS),     N(TCSETS),     N(TCSETSW),    N(TCSETSF),    N(TCGETA),	    N(TCSETA),
	N(TCSETAW),    N(TCSETAF),    N(TCSBRK),     N(TCXONC),     N(TCFLSH),	    N(TIOCEXCL),
	N(TIOCNXCL),   N(TIOCSCTTY),  N(TIOCGPGRP),  N(TIOCSPGRP),  N(TIOCOUTQ),    N(TIOCSTI),
	N(TIOCGWINSZ), N(TIOCSWINSZ), N(TIOCMGET),   N(TIOCMSET),   N(FIONREAD),    N(TIOCLINUX),
	N(TIOCCONS),   N(TIOCGSERIAL), N(TIOCPKT),   N(FIONBIO),    N(TIOCNOTTY),   N(TIOCSETD),
	N(TIOCGETD),   N(TIOCSBRK),   N(TIOCCBRK),   N(TIOCGSID),   N(TIOCGPTN),    N(TIOCSPTLCK),
	N(TIOCGDEV),   N(TIOCGPTLCK), N(TIOCGPKT),   N(TIOCGEXCL),  N(TIOCGPTPEER), N(FIONCLEX),
	N(FIOCLEX),    N(FIOASYNC),   N(TIOCSERGETLSR), N(TIOCGICOUNT), N(FIOQSIZE),
};

static const struct named whences[] = {
	N(SEEK_SET), N(SEEK_CUR), N(SEEK_END), N(SEEK_DATA), N(SEEK_HOLE),
};

/* Limits: the generic numbers of x86_64 and arm64. */
static const struct named rlimits[] = {
	{ 0, "RLIMIT_CPU" },	 { 1, "RLIMIT_FSIZE" },	  { 2, "RLIMIT_DATA" },	   { 3, "RLIMIT_STACK" },
	{ 4, "RLIMIT_CORE" },	 { 5, "RLIMIT_RSS" },	  { 6, "RLIMIT_NPROC" },   { 7, "RLIMIT_NOFILE" },
	{ 8, "RLIMIT_MEMLOCK" }, { 9, "RLIMIT_AS" },	  { 10, "RLIMIT_LOCKS" },  { 11, "RLIMIT_SIGPENDING" },
	{ 12, "RLIMIT_MSGQUEUE" }, { 13, "RLIMIT_NICE" }, { 14, "RLIMIT_RTPRIO" }, { 15, "RLIMIT_RTTIME" },
};

static const struct named clocks[] = {
	{ 0, "CLOCK_REALTIME" },	{ 1, "CLOCK_MONOTONIC" },	  { 2, "CLOCK_PROCESS_CPUTIME_ID" },
	{ 3, "CLOCK_THREAD_CPUTIME_ID" }, { 4, "CLOCK_MONOTONIC_RAW" }, { 5, "CLOCK_REALTIME_COARSE" },
	{ 6, "CLOCK_MONOTONIC_COARSE" }, { 7, "CLOCK_BOOTTIME" },	  { 8, "CLOCK_REALTIME_ALARM" },
	{ 9, "CLOCK_BOOTTIME_ALARM" },	{ 11, "CLOCK_TAI" },
};

static const struct named ptrace_requests[] = {
	{ 0, "PTRACE_TRACEME" },	   { 1, "PTRACE_PEEKTEXT" },	  { 2, "PTRACE_PEEKDATA" },
	{ 3, "PTRACE_PEEKUSER" },	   { 4, "PTRACE_POKETEXT" },	  { 5, "PTRACE_POKEDATA" },
	{ 6, "PTRACE_POKEUSER" },	   { 7, "PTRACE_CONT" },	  { 8, "PTRACE_KILL" },
	{ 9, "PTRACE_SINGLESTEP" },
#ifdef __x86_64__
	{ 12, "PTRACE_GETREGS" },	   { 13, "PTRACE_SETREGS" },	  { 14, "PTRACE_GETFPREGS" },
	{ 15, "PTRACE_SETFPREGS" },
#endif
	{ 16, "PTRACE_ATTACH" },	   { 17, "PTRACE_DETACH" },	  { 24, "PTRACE_SYSCALL" },
	{ 0x4200, "PTRACE_SETOPTIONS" },   { 0x4201, "PTRACE_GETEVENTMSG" }, { 0x4202, "PTRACE_GETSIGINFO" },
	{ 0x4203, "PTRACE_SETSIGINFO" },   { 0x4204, "PTRACE_GETREGSET" },  { 0x4205, "PTRACE_SETREGSET" },
	{ 0x4206, "PTRACE_SEIZE" },	   { 0x4207, "PTRACE_INTERRUPT" },  { 0x4208, "PTRACE_LISTEN" },
	{ 0x4209, "PTRACE_PEEKSIGINFO" },  { 0x420a, "PTRACE_GETSIGMASK" }, { 0x420b, "PTRACE_SETSIGMASK" },
	{ 0x420c, "PTRACE_SECCOMP_GET_FILTER" }, { 0x420d, "PTRACE_SECCOMP_GET_METADATA" },
	{ 0x420e, "PTRACE_GET_SYSCALL_INFO" },
};

static const struct named mount_flags[] = {
	{ 1, "MS_RDONLY" },	     { 2, "MS_NOSUID" },	  { 4, "MS_NODEV" },
	{ 8, "MS_NOEXEC" },	     { 16, "MS_SYNCHRONOUS" },	  { 32, "MS_REMOUNT" },
	{ 64, "MS_MANDLOCK" },	     { 128, "MS_DIRSYNC" },	  { 256, "MS_NOSYMFOLLOW" },
	{ 1024, "MS_NOATIME" },	     { 2048, "MS_NODIRATIME" },	  { 4096, "MS_BIND" },
	{ 8192, "MS_MOVE" },	     { 16384, "MS_REC" },	  { 32768, "MS_SILENT" },
	{ 1 << 16, "MS_POSIXACL" },  { 1 << 17, "MS_UNBINDABLE" }, { 1 << 18, "MS_PRIVATE" },
	{ 1 << 19, "MS_SLAVE" },     { 1 << 20, "MS_SHARED" },	  { 1 << 21, "MS_RELATIME" },
	{ 1 << 22, "MS_KERNMOUNT" }, { 1 << 23, "MS_I_VERSION" }, { 1 << 24, "MS_STRICTATIME" },
	{ 1 << 25, "MS_LAZYTIME" },
};

static void put_mount_flags(struct out *o, uint64_t v)
{
	/* the old magic number in the high 16 bits, which the kernel drops */
	if ((v & 0xffff0000u) == 0xc0ed0000u) {
		put_str(o, "MS_MGC_VAL");
		v &= ~(uint64_t)0xffff0000u;
		if (!v)
			return;
		put(o, "|", 1);
	}
	put_flags(o, v, mount_flags, NULL);
}

static const struct named umount_flags[] = {
	{ 1, "MNT_FORCE" }, { 2, "MNT_DETACH" }, { 4, "MNT_EXPIRE" }, { 8, "UMOUNT_NOFOLLOW" },
};
static const struct named wait_options[] = {
	{ 1, "WNOHANG" },	{ 2, "WSTOPPED" },	     { 4, "WEXITED" },	   { 8, "WCONTINUED" },
	{ 0x1000000, "WNOWAIT" }, { 0x20000000, "__WNOTHREAD" }, { 0x40000000, "__WALL" }, { 0x80000000, "__WCLONE" },
};
static const struct named idtypes[] = { { 0, "P_ALL" }, { 1, "P_PID" }, { 2, "P_PGID" }, { 3, "P_PIDFD" } };
static const struct named sigprocmask_hows[] = { { 0, "SIG_BLOCK" }, { 1, "SIG_UNBLOCK" }, { 2, "SIG_SETMASK" } };
static const struct named prio_whiches[] = { { 0, "PRIO_PROCESS" }, { 1, "PRIO_PGRP" }, { 2, "PRIO_USER" } };
static const struct named sched_policies[] = {
	{ 0, "SCHED_OTHER" }, { 1, "SCHED_FIFO" },  { 2, "SCHED_RR" }, { 3, "SCHED_BATCH" },
	{ 5, "SCHED_IDLE" },  { 6, "SCHED_DEADLINE" }, { 7, "SCHED_EXT" },
};
static const struct named seccomp_ops[] = {
	{ 0, "SECCOMP_SET_MODE_STRICT" }, { 1, "SECCOMP_SET_MODE_FILTER" },
	{ 2, "SECCOMP_GET_ACTION_AVAIL" }, { 3, "SECCOMP_GET_NOTIF_SIZES" },
};
static const struct named close_range_flags[] = { { 2, "CLOSE_RANGE_UNSHARE" }, { 4, "CLOSE_RANGE_CLOEXEC" } };
static const struct named flock_ops[] = { { 1, "LOCK_SH" }, { 2, "LOCK_EX" }, { 4, "LOCK_NB" }, { 8, "LOCK_UN" } };
static const struct named shut_hows[] = { { 0, "SHUT_RD" }, { 1, "SHUT_WR" }, { 2, "SHUT_RDWR" } };
static const struct named cloexec_flags[] = { N(O_NONBLOCK), N(O_CLOEXEC) };
static const struct named pipe_flags[] = { N(O_NONBLOCK), N(O_DIRECT), N(O_CLOEXEC) };
static const struct named efd_flags[] = {
	{ 1, "EFD_SEMAPHORE" }, { O_NONBLOCK, "EFD_NONBLOCK" }, { O_CLOEXEC, "EFD_CLOEXEC" },
};
static const struct named epoll_flags[] = { { O_CLOEXEC, "EPOLL_CLOEXEC" } };
static const struct named in_flags[] = { { O_CLOEXEC, "IN_CLOEXEC" }, { O_NONBLOCK, "IN_NONBLOCK" } };
static const struct named sfd_flags[] = { { O_CLOEXEC, "SFD_CLOEXEC" }, { O_NONBLOCK, "SFD_NONBLOCK" } };
static const struct named tfd_flags[] = { { O_CLOEXEC, "TFD_CLOEXEC" }, { O_NONBLOCK, "TFD_NONBLOCK" } };
static const struct named tfd_settime_flags[] = { { 1, "TFD_TIMER_ABSTIME" }, { 2, "TFD_TIMER_CANCEL_ON_SET" } };
static const struct named timer_flags[] = { { 1, "TIMER_ABSTIME" } };
static const struct named mfd_flags[] = {
	{ 1, "MFD_CLOEXEC" },	  { 2, "MFD_ALLOW_SEALING" }, { 4, "MFD_HUGETLB" },
	{ 8, "MFD_NOEXEC_SEAL" }, { 0x10, "MFD_EXEC" },
};
static const struct named pidfd_flags[] = { { O_NONBLOCK, "PIDFD_NONBLOCK" }, { O_EXCL, "PIDFD_THREAD" } };
static const struct named grnd_flags[] = { { 1, "GRND_NONBLOCK" }, { 2, "GRND_RANDOM" }, { 4, "GRND_INSECURE" } };
static const struct named epoll_ctl_ops[] = { { 1, "EPOLL_CTL_ADD" }, { 2, "EPOLL_CTL_DEL" }, { 3, "EPOLL_CTL_MOD" } };
static const struct named itimers[] = { { 0, "ITIMER_REAL" }, { 1, "ITIMER_VIRTUAL" }, { 2, "ITIMER_PROF" } };
static const struct named fadvice[] = {
	{ 0, "POSIX_FADV_NORMAL" },   { 1, "POSIX_FADV_RANDOM" },   { 2, "POSIX_FADV_SEQUENTIAL" },
	{ 3, "POSIX_FADV_WILLNEED" }, { 4, "POSIX_FADV_DONTNEED" }, { 5, "POSIX_FADV_NOREUSE" },
};
static const struct named mcl_flags[] = { { 1, "MCL_CURRENT" }, { 2, "MCL_FUTURE" }, { 4, "MCL_ONFAULT" } };
static const struct named msync_flags[] = { { 1, "MS_ASYNC" }, { 2, "MS_INVALIDATE" }, { 4, "MS_SYNC" } };
static const struct named mremap_flags[] = {
	{ 1, "MREMAP_MAYMOVE" }, { 2, "MREMAP_FIXED" }, { 4, "MREMAP_DONTUNMAP" },
};
static const struct named ipc_flags[] = { { 01000, "IPC_CREAT" }, { 02000, "IPC_EXCL" }, { 04000, "IPC_NOWAIT" } };
static const struct named ipc_cmds[] = { { 0, "IPC_RMID" }, { 1, "IPC_SET" }, { 2, "IPC_STAT" }, { 3, "IPC_INFO" } };
static const struct named rusage_whos[] = {
	{ 0, "RUSAGE_SELF" }, { (uint32_t)-1, "RUSAGE_CHILDREN" }, { 1, "RUSAGE_THREAD" },
};

/* msgget/semget/shmget: IPC_* flags and the permission bits. */
static void put_ipc_flags(struct out *o, uint64_t v)
{
	uint32_t flags = (uint32_t)v & ~0777u, perm = (uint32_t)v & 0777u;
	if (flags) {
		put_flags(o, flags, ipc_flags, NULL);
		put(o, "|", 1);
	}
	put_mode(o, perm);
}

/* ---- structures -------------------------------------------------------- */

/* A socket address of len bytes: strace's {sa_family=AF_INET, ...}. */
static void put_sockaddr(struct out *o, struct task *task, uint64_t addr, uint64_t len64)
{
	struct sockaddr_storage ss;
	uint32_t len = (uint32_t)len64;
	size_t n = len < sizeof(ss) ? len : sizeof(ss);
	memset(&ss, 0, sizeof(ss));
	if (!task || !addr || n < sizeof(sa_family_t) || task_read_mem(task, addr, &ss, n) != (ssize_t)n) {
		put_ptr(o, addr);
		return;
	}
	put_str(o, "{sa_family=");
	put_family(o, ss.ss_family);
	char text[INET6_ADDRSTRLEN];
	if (ss.ss_family == AF_UNIX && n > offsetof(struct sockaddr_un, sun_path)) {
		const struct sockaddr_un *un = (const struct sockaddr_un *)&ss;
		size_t room = n - offsetof(struct sockaddr_un, sun_path);
		const char *path = un->sun_path;
		put_str(o, ", sun_path=");
		if (path[0] == 0) { /* abstract: the bytes after the NUL, all of them */
			put(o, "@", 1);
			path++;
			room--;
		} else {
			const char *nul = memchr(path, 0, room);
			if (nul)
				room = (size_t)(nul - path);
		}
		put_quoted(o, path, room < DECODE_STRING_MAX ? room : DECODE_STRING_MAX, room > DECODE_STRING_MAX);
	} else if (ss.ss_family == AF_INET && n >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)&ss;
		inet_ntop(AF_INET, &in->sin_addr, text, sizeof(text));
		putf(o, ", sin_port=htons(%u), sin_addr=inet_addr(\"%s\")", ntohs(in->sin_port), text);
	} else if (ss.ss_family == AF_INET6 && n >= 24) { /* without sin6_scope_id: RFC 2133 */
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&ss;
		inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof(text));
		putf(o, ", sin6_port=htons(%u), sin6_flowinfo=htonl(%u), ", ntohs(in6->sin6_port),
		     ntohl(in6->sin6_flowinfo));
		putf(o, "inet_pton(AF_INET6, \"%s\", &sin6_addr)", text);
		if (n >= sizeof(struct sockaddr_in6))
			putf(o, ", sin6_scope_id=%u", in6->sin6_scope_id);
	}
	put(o, "}", 1);
}

/* openat2's struct open_how, of size bytes (24 in Linux 5.6). */
static void put_open_how(struct out *o, struct task *task, uint64_t addr, uint64_t size)
{
	uint64_t how[3];
	if (!task || !addr || size < sizeof(how) || task_read_mem(task, addr, how, sizeof(how)) != sizeof(how)) {
		put_ptr(o, addr);
		return;
	}
	put_str(o, "{flags=");
	put_open_flags(o, how[0]);
	putf(o, ", mode=0%03llo, resolve=", (unsigned long long)how[1]);
	put_flags(o, how[2], resolve_flags, "0");
	put(o, "}", 1);
}

/* pipe, pipe2, socketpair: the two fds written on success. */
static void put_fd_pair(struct out *o, struct task *task, uint64_t addr, bool written)
{
	int fds[2];
	if (written && task && addr && task_read_mem(task, addr, fds, sizeof(fds)) == sizeof(fds))
		putf(o, "[%d, %d]", fds[0], fds[1]);
	else
		put_ptr(o, addr);
}

/* ---- signatures -------------------------------------------------------- */

enum kind {
	A_END = 0,	   /* no more arguments */
	A_SKIP,		   /* a register strace does not show (preadv2's pos_h) */
	A_INT,		   /* int */
	A_UINT,		   /* unsigned int */
	A_LONG,		   /* long, off_t */
	A_SIZE,		   /* size_t, unsigned long */
	A_HEX,		   /* a number best read in hex, a key, a cookie */
	A_PTR,		   /* a pointer: NULL or hex */
	A_FD,		   /* an fd */
	A_DIRFD,	   /* an fd or AT_FDCWD */
	A_UID,		   /* uid_t, gid_t: -1 means "unchanged" */
	A_PATH,		   /* a NUL-terminated string: a path */
	A_STR,		   /* a NUL-terminated string: a name */
	A_OUT_STR,	   /* a string the call writes (getcwd) */
	A_OUT_BUF,	   /* ret bytes the call writes (readlink) */
	A_FD_PAIR,	   /* two fds the call writes (pipe) */
	A_ARGV,		   /* execve's argv */
	A_ENVP,		   /* execve's envp */
	A_OPEN_FLAGS,	   /* O_RDONLY|O_CLOEXEC */
	A_OPEN_MODE,	   /* a mode shown only when the flags before it create */
	A_MODE,		   /* 0644 */
	A_MKNOD_MODE,	   /* S_IFIFO|0644 */
	A_SIGNAL,	   /* SIGTERM */
	A_CLONE_FLAGS,	   /* CLONE_VM|...|SIGCHLD */
	A_SOCKADDR,	   /* a struct sockaddr; its length is the next argument */
	A_OPEN_HOW,	   /* openat2's struct open_how; its size is the next argument */
	A_FCNTL_ARG,	   /* fcntl's third argument, as the command reads it */
	A_MAP_FLAGS,	   /* MAP_PRIVATE|MAP_ANONYMOUS */
	A_SOCK_TYPE,	   /* SOCK_STREAM|SOCK_CLOEXEC */
	A_MOUNT_FLAGS,	   /* MS_* */
	A_IPC_FLAGS,	   /* IPC_CREAT|0600 */
	/* from here: a table of names, as flags or as values */
	A_AT_FLAGS,
	A_ACCESSAT_FLAGS,
	A_UNLINKAT_FLAGS,
	A_ACCESS_MODE,
	A_UNSHARE_FLAGS,
	A_PROT,
	A_FAMILY,
	A_SOCK_FLAGS,
	A_MSG_FLAGS,
	A_FCNTL_CMD,
	A_IOCTL,
	A_WHENCE,
	A_RENAME_FLAGS,
	A_XATTR_FLAGS,
	A_STATX_MASK,
	A_RLIMIT,
	A_CLOCK,
	A_PTRACE,
	A_UMOUNT_FLAGS,
	A_WAIT_OPTIONS,
	A_IDTYPE,
	A_SIGHOW,
	A_PRIO_WHICH,
	A_SCHED_POLICY,
	A_SECCOMP_OP,
	A_CLOSE_RANGE_FLAGS,
	A_FLOCK,
	A_SHUT,
	A_CLOEXEC_FLAGS,
	A_PIPE_FLAGS,
	A_EFD_FLAGS,
	A_EPOLL_FLAGS,
	A_IN_FLAGS,
	A_SFD_FLAGS,
	A_TFD_FLAGS,
	A_TFD_SETTIME_FLAGS,
	A_TIMER_FLAGS,
	A_MFD_FLAGS,
	A_PIDFD_FLAGS,
	A_GRND_FLAGS,
	A_EPOLL_OP,
	A_ITIMER,
	A_FADVICE,
	A_MCL_FLAGS,
	A_MSYNC_FLAGS,
	A_MREMAP_FLAGS,
	A_IPC_CMD,
	A_RUSAGE_WHO,
	A_KINDS
};

/* The kinds that are a table of names: flags (several may be set; the
 * unnamed bits in hex) or values (one of them; else the number, in hex
 * when hex is set). Arguments of these kinds are C ints: their low 32
 * bits, as the kernel reads them. */
static const struct {
	const struct named *t;
	size_t n;
	bool flags;
	bool hex;
	const char *zero; /* flags: the name of none, else "0" */
} tables[A_KINDS] = {
#define FLAGS(k, t) [k] = { t, COUNT(t), true, false, NULL }
#define VALUES(k, t) [k] = { t, COUNT(t), false, false, NULL }
#define HEXVALUES(k, t) [k] = { t, COUNT(t), false, true, NULL }
	[A_ACCESS_MODE] = { access_modes, COUNT(access_modes), true, false, "F_OK" },
	FLAGS(A_AT_FLAGS, at_flags),
	FLAGS(A_ACCESSAT_FLAGS, accessat_flags),
	FLAGS(A_UNLINKAT_FLAGS, unlinkat_flags),
	FLAGS(A_UNSHARE_FLAGS, clone_flags),
	[A_PROT] = { prot_flags, COUNT(prot_flags), true, false, "PROT_NONE" },
	VALUES(A_FAMILY, families),
	FLAGS(A_SOCK_FLAGS, sock_flags),
	FLAGS(A_MSG_FLAGS, msg_flags),
	HEXVALUES(A_FCNTL_CMD, fcntl_cmds),
	HEXVALUES(A_IOCTL, ioctls),
	VALUES(A_WHENCE, whences),
	FLAGS(A_RENAME_FLAGS, rename_flags),
	FLAGS(A_XATTR_FLAGS, xattr_flags),
	FLAGS(A_STATX_MASK, statx_mask),
	VALUES(A_RLIMIT, rlimits),
	VALUES(A_CLOCK, clocks),
	HEXVALUES(A_PTRACE, ptrace_requests),
	FLAGS(A_UMOUNT_FLAGS, umount_flags),
	FLAGS(A_WAIT_OPTIONS, wait_options),
	VALUES(A_IDTYPE, idtypes),
	VALUES(A_SIGHOW, sigprocmask_hows),
	VALUES(A_PRIO_WHICH, prio_whiches),
	VALUES(A_SCHED_POLICY, sched_policies),
	VALUES(A_SECCOMP_OP, seccomp_ops),
	FLAGS(A_CLOSE_RANGE_FLAGS, close_range_flags),
	FLAGS(A_FLOCK, flock_ops),
	VALUES(A_SHUT, shut_hows),
	FLAGS(A_CLOEXEC_FLAGS, cloexec_flags),
	FLAGS(A_PIPE_FLAGS, pipe_flags),
	FLAGS(A_EFD_FLAGS, efd_flags),
	FLAGS(A_EPOLL_FLAGS, epoll_flags),
	FLAGS(A_IN_FLAGS, in_flags),
	FLAGS(A_SFD_FLAGS, sfd_flags),
	FLAGS(A_TFD_FLAGS, tfd_flags),
	FLAGS(A_TFD_SETTIME_FLAGS, tfd_settime_flags),
	FLAGS(A_TIMER_FLAGS, timer_flags),
	FLAGS(A_MFD_FLAGS, mfd_flags),
	FLAGS(A_PIDFD_FLAGS, pidfd_flags),
	FLAGS(A_GRND_FLAGS, grnd_flags),
	VALUES(A_EPOLL_OP, epoll_ctl_ops),
	VALUES(A_ITIMER, itimers),
	VALUES(A_FADVICE, fadvice),
	FLAGS(A_MCL_FLAGS, mcl_flags),
	FLAGS(A_MSYNC_FLAGS, msync_flags),
	FLAGS(A_MREMAP_FLAGS, mremap_flags),
	VALUES(A_IPC_CMD, ipc_cmds),
	VALUES(A_RUSAGE_WHO, rusage_whos),
#undef FLAGS
#undef VALUES
#undef HEXVALUES
};

struct signature {
	const char *name;
	unsigned char args[6]; /* enum kind, A_END after the last */
	bool returns_address;  /* the result is an address: shown in hex */
};

#define S(name, ...) { #name, { __VA_ARGS__ }, false }
#define S_ADDR(name, ...) { #name, { __VA_ARGS__ }, true }

/* Every syscall of the x86_64 and arm64 tables, by name, with the
 * arguments of its kernel prototype (the 64-bit ABI: one register each). */
static const struct signature signatures[] = {
	/* files and paths */
	S(open, A_PATH, A_OPEN_FLAGS, A_OPEN_MODE),
	S(openat, A_DIRFD, A_PATH, A_OPEN_FLAGS, A_OPEN_MODE),
	S(openat2, A_DIRFD, A_PATH, A_OPEN_HOW, A_SIZE),
	S(creat, A_PATH, A_MODE),
	S(open_by_handle_at, A_FD, A_PTR, A_OPEN_FLAGS),
	S(name_to_handle_at, A_DIRFD, A_PATH, A_PTR, A_PTR, A_AT_FLAGS),
	S(close, A_FD),
	S(close_range, A_UINT, A_UINT, A_CLOSE_RANGE_FLAGS),
	S(dup, A_FD),
	S(dup2, A_FD, A_FD),
	S(dup3, A_FD, A_FD, A_CLOEXEC_FLAGS),
	S(access, A_PATH, A_ACCESS_MODE),
	S(faccessat, A_DIRFD, A_PATH, A_ACCESS_MODE),
	S(faccessat2, A_DIRFD, A_PATH, A_ACCESS_MODE, A_ACCESSAT_FLAGS),
	S(stat, A_PATH, A_PTR),
	S(lstat, A_PATH, A_PTR),
	S(fstat, A_FD, A_PTR),
	S(newfstatat, A_DIRFD, A_PATH, A_PTR, A_AT_FLAGS),
	S(statx, A_DIRFD, A_PATH, A_AT_FLAGS, A_STATX_MASK, A_PTR),
	S(statfs, A_PATH, A_PTR),
	S(fstatfs, A_FD, A_PTR),
	S(ustat, A_HEX, A_PTR),
	S(readlink, A_PATH, A_OUT_BUF, A_SIZE),
	S(readlinkat, A_DIRFD, A_PATH, A_OUT_BUF, A_SIZE),
	S(getcwd, A_OUT_STR, A_SIZE),
	S(chdir, A_PATH),
	S(fchdir, A_FD),
	S(chroot, A_PATH),
	S(mkdir, A_PATH, A_MODE),
	S(mkdirat, A_DIRFD, A_PATH, A_MODE),
	S(rmdir, A_PATH),
	S(mknod, A_PATH, A_MKNOD_MODE, A_HEX),
	S(mknodat, A_DIRFD, A_PATH, A_MKNOD_MODE, A_HEX),
	S(unlink, A_PATH),
	S(unlinkat, A_DIRFD, A_PATH, A_UNLINKAT_FLAGS),
	S(link, A_PATH, A_PATH),
	S(linkat, A_DIRFD, A_PATH, A_DIRFD, A_PATH, A_AT_FLAGS),
	S(symlink, A_PATH, A_PATH),
	S(symlinkat, A_PATH, A_DIRFD, A_PATH),
	S(rename, A_PATH, A_PATH),
	S(renameat, A_DIRFD, A_PATH, A_DIRFD, A_PATH),
	S(renameat2, A_DIRFD, A_PATH, A_DIRFD, A_PATH, A_RENAME_FLAGS),
	S(chmod, A_PATH, A_MODE),
	S(fchmod, A_FD, A_MODE),
	S(fchmodat, A_DIRFD, A_PATH, A_MODE),
	S(fchmodat2, A_DIRFD, A_PATH, A_MODE, A_AT_FLAGS),
	S(chown, A_PATH, A_UID, A_UID),
	S(lchown, A_PATH, A_UID, A_UID),
	S(fchown, A_FD, A_UID, A_UID),
	S(fchownat, A_DIRFD, A_PATH, A_UID, A_UID, A_AT_FLAGS),
	S(truncate, A_PATH, A_LONG),
	S(ftruncate, A_FD, A_LONG),
	S(utime, A_PATH, A_PTR),
	S(utimes, A_PATH, A_PTR),
	S(futimesat, A_DIRFD, A_PATH, A_PTR),
	S(utimensat, A_DIRFD, A_PATH, A_PTR, A_AT_FLAGS),
	S(getdents, A_FD, A_PTR, A_UINT),
	S(getdents64, A_FD, A_PTR, A_UINT),
	S(fcntl, A_FD, A_FCNTL_CMD, A_FCNTL_ARG),
	S(ioctl, A_FD, A_IOCTL, A_HEX),
	S(flock, A_FD, A_FLOCK),
	S(umask, A_MODE),
	S(file_getattr, A_DIRFD, A_PATH, A_PTR, A_SIZE, A_AT_FLAGS),
	S(file_setattr, A_DIRFD, A_PATH, A_PTR, A_SIZE, A_AT_FLAGS),
	S(inotify_init),
	S(inotify_init1, A_IN_FLAGS),
	S(inotify_add_watch, A_FD, A_PATH, A_HEX),
	S(inotify_rm_watch, A_FD, A_INT),
	S(fanotify_init, A_HEX, A_HEX),
	S(fanotify_mark, A_FD, A_HEX, A_HEX, A_DIRFD, A_PATH),
	S(sysfs, A_INT, A_HEX, A_HEX),
	S(uselib, A_PATH),
	S(acct, A_PATH),
	/* extended attributes */
	S(setxattr, A_PATH, A_STR, A_PTR, A_SIZE, A_XATTR_FLAGS),
	S(lsetxattr, A_PATH, A_STR, A_PTR, A_SIZE, A_XATTR_FLAGS),
	S(fsetxattr, A_FD, A_STR, A_PTR, A_SIZE, A_XATTR_FLAGS),
	S(setxattrat, A_DIRFD, A_PATH, A_AT_FLAGS, A_STR, A_PTR, A_SIZE),
	S(getxattr, A_PATH, A_STR, A_PTR, A_SIZE),
	S(lgetxattr, A_PATH, A_STR, A_PTR, A_SIZE),
	S(fgetxattr, A_FD, A_STR, A_PTR, A_SIZE),
	S(getxattrat, A_DIRFD, A_PATH, A_AT_FLAGS, A_STR, A_PTR, A_SIZE),
	S(listxattr, A_PATH, A_PTR, A_SIZE),
	S(llistxattr, A_PATH, A_PTR, A_SIZE),
	S(flistxattr, A_FD, A_PTR, A_SIZE),
	S(listxattrat, A_DIRFD, A_PATH, A_AT_FLAGS, A_PTR, A_SIZE),
	S(removexattr, A_PATH, A_STR),
	S(lremovexattr, A_PATH, A_STR),
	S(fremovexattr, A_FD, A_STR),
	S(removexattrat, A_DIRFD, A_PATH, A_AT_FLAGS, A_STR),
	/* the data path on fds */
	S(read, A_FD, A_PTR, A_SIZE),
	S(write, A_FD, A_PTR, A_SIZE),
	S(pread64, A_FD, A_PTR, A_SIZE, A_LONG),
	S(pwrite64, A_FD, A_PTR, A_SIZE, A_LONG),
	S(readv, A_FD, A_PTR, A_INT),
	S(writev, A_FD, A_PTR, A_INT),
	S(preadv, A_FD, A_PTR, A_INT, A_LONG),
	S(pwritev, A_FD, A_PTR, A_INT, A_LONG),
	S(preadv2, A_FD, A_PTR, A_INT, A_LONG, A_SKIP, A_HEX),
	S(pwritev2, A_FD, A_PTR, A_INT, A_LONG, A_SKIP, A_HEX),
	S(lseek, A_FD, A_LONG, A_WHENCE),
	S(sendfile, A_FD, A_FD, A_PTR, A_SIZE),
	S(splice, A_FD, A_PTR, A_FD, A_PTR, A_SIZE, A_HEX),
	S(tee, A_FD, A_FD, A_SIZE, A_HEX),
	S(vmsplice, A_FD, A_PTR, A_SIZE, A_HEX),
	S(copy_file_range, A_FD, A_PTR, A_FD, A_PTR, A_SIZE, A_UINT),
	S(readahead, A_FD, A_LONG, A_SIZE),
	S(fadvise64, A_FD, A_LONG, A_SIZE, A_FADVICE),
	S(fallocate, A_FD, A_HEX, A_LONG, A_LONG),
	S(fsync, A_FD),
	S(fdatasync, A_FD),
	S(sync),
	S(syncfs, A_FD),
	S(sync_file_range, A_FD, A_LONG, A_LONG, A_HEX),
	S(cachestat, A_FD, A_PTR, A_PTR, A_UINT),
	S(pipe, A_FD_PAIR),
	S(pipe2, A_FD_PAIR, A_PIPE_FLAGS),
	S(eventfd, A_UINT),
	S(eventfd2, A_UINT, A_EFD_FLAGS),
	S(signalfd, A_FD, A_PTR, A_SIZE),
	S(signalfd4, A_FD, A_PTR, A_SIZE, A_SFD_FLAGS),
	S(timerfd_create, A_CLOCK, A_TFD_FLAGS),
	S(timerfd_settime, A_FD, A_TFD_SETTIME_FLAGS, A_PTR, A_PTR),
	S(timerfd_gettime, A_FD, A_PTR),
	S(memfd_create, A_STR, A_MFD_FLAGS),
	S(memfd_secret, A_HEX),
	S(epoll_create, A_INT),
	S(epoll_create1, A_EPOLL_FLAGS),
	S(epoll_ctl, A_FD, A_EPOLL_OP, A_FD, A_PTR),
	S(epoll_wait, A_FD, A_PTR, A_INT, A_INT),
	S(epoll_pwait, A_FD, A_PTR, A_INT, A_INT, A_PTR, A_SIZE),
	S(epoll_pwait2, A_FD, A_PTR, A_INT, A_PTR, A_PTR, A_SIZE),
	S(epoll_ctl_old, A_HEX, A_HEX, A_HEX, A_HEX),
	S(epoll_wait_old, A_HEX, A_HEX, A_HEX, A_HEX),
	S(poll, A_PTR, A_UINT, A_INT),
	S(ppoll, A_PTR, A_UINT, A_PTR, A_PTR, A_SIZE),
	S(select, A_INT, A_PTR, A_PTR, A_PTR, A_PTR),
	S(pselect6, A_INT, A_PTR, A_PTR, A_PTR, A_PTR, A_PTR),
	S(io_setup, A_UINT, A_PTR),
	S(io_destroy, A_HEX),
	S(io_submit, A_HEX, A_LONG, A_PTR),
	S(io_cancel, A_HEX, A_PTR, A_PTR),
	S(io_getevents, A_HEX, A_LONG, A_LONG, A_PTR, A_PTR),
	S(io_pgetevents, A_HEX, A_LONG, A_LONG, A_PTR, A_PTR, A_PTR),
	S(io_uring_setup, A_UINT, A_PTR),
	S(io_uring_enter, A_FD, A_UINT, A_UINT, A_HEX, A_PTR, A_SIZE),
	S(io_uring_register, A_FD, A_UINT, A_PTR, A_UINT),
	/* exec and processes */
	S(execve, A_PATH, A_ARGV, A_ENVP),
	S(execveat, A_DIRFD, A_PATH, A_ARGV, A_ENVP, A_AT_FLAGS),
	S(clone, A_CLONE_FLAGS, A_PTR, A_PTR, A_PTR, A_PTR),
	S(clone3, A_PTR, A_SIZE),
	S(fork),
	S(vfork),
	S(exit, A_INT),
	S(exit_group, A_INT),
	S(wait4, A_INT, A_PTR, A_WAIT_OPTIONS, A_PTR),
	S(waitid, A_IDTYPE, A_INT, A_PTR, A_WAIT_OPTIONS, A_PTR),
	S(kill, A_INT, A_SIGNAL),
	S(tkill, A_INT, A_SIGNAL),
	S(tgkill, A_INT, A_INT, A_SIGNAL),
	S(rt_sigqueueinfo, A_INT, A_SIGNAL, A_PTR),
	S(rt_tgsigqueueinfo, A_INT, A_INT, A_SIGNAL, A_PTR),
	S(pidfd_open, A_INT, A_PIDFD_FLAGS),
	S(pidfd_send_signal, A_FD, A_SIGNAL, A_PTR, A_HEX),
	S(pidfd_getfd, A_FD, A_FD, A_HEX),
	S(getpid),
	S(gettid),
	S(getppid),
	S(getpgrp),
	S(getpgid, A_INT),
	S(setpgid, A_INT, A_INT),
	S(getsid, A_INT),
	S(setsid),
	S(getuid),
	S(geteuid),
	S(getgid),
	S(getegid),
	S(setuid, A_UID),
	S(setgid, A_UID),
	S(setfsuid, A_UID),
	S(setfsgid, A_UID),
	S(setreuid, A_UID, A_UID),
	S(setregid, A_UID, A_UID),
	S(setresuid, A_UID, A_UID, A_UID),
	S(setresgid, A_UID, A_UID, A_UID),
	S(getresuid, A_PTR, A_PTR, A_PTR),
	S(getresgid, A_PTR, A_PTR, A_PTR),
	S(getgroups, A_INT, A_PTR),
	S(setgroups, A_INT, A_PTR),
	S(capget, A_PTR, A_PTR),
	S(capset, A_PTR, A_PTR),
	S(getpriority, A_PRIO_WHICH, A_INT),
	S(setpriority, A_PRIO_WHICH, A_INT, A_INT),
	S(getrlimit, A_RLIMIT, A_PTR),
	S(setrlimit, A_RLIMIT, A_PTR),
	S(prlimit64, A_INT, A_RLIMIT, A_PTR, A_PTR),
	S(getrusage, A_RUSAGE_WHO, A_PTR),
	S(times, A_PTR),
	S(ioprio_get, A_INT, A_INT),
	S(ioprio_set, A_INT, A_INT, A_HEX),
	S(sched_yield),
	S(sched_getaffinity, A_INT, A_UINT, A_PTR),
	S(sched_setaffinity, A_INT, A_UINT, A_PTR),
	S(sched_getattr, A_INT, A_PTR, A_UINT, A_HEX),
	S(sched_setattr, A_INT, A_PTR, A_HEX),
	S(sched_getparam, A_INT, A_PTR),
	S(sched_setparam, A_INT, A_PTR),
	S(sched_getscheduler, A_INT),
	S(sched_setscheduler, A_INT, A_SCHED_POLICY, A_PTR),
	S(sched_get_priority_max, A_SCHED_POLICY),
	S(sched_get_priority_min, A_SCHED_POLICY),
	S(sched_rr_get_interval, A_INT, A_PTR),
	S(set_tid_address, A_PTR),
	S(set_robust_list, A_PTR, A_SIZE),
	S(get_robust_list, A_INT, A_PTR, A_PTR),
	S(rseq, A_PTR, A_UINT, A_HEX, A_HEX),
	S(prctl, A_INT, A_HEX, A_HEX, A_HEX, A_HEX),
	S(arch_prctl, A_HEX, A_HEX),
	S(personality, A_HEX),
	S(seccomp, A_SECCOMP_OP, A_HEX, A_PTR),
	S(ptrace, A_PTRACE, A_INT, A_PTR, A_PTR),
	S(process_vm_readv, A_INT, A_PTR, A_SIZE, A_PTR, A_SIZE, A_HEX),
	S(process_vm_writev, A_INT, A_PTR, A_SIZE, A_PTR, A_SIZE, A_HEX),
	S(process_madvise, A_FD, A_PTR, A_SIZE, A_INT, A_HEX),
	S(process_mrelease, A_FD, A_HEX),
	S(kcmp, A_INT, A_INT, A_INT, A_HEX, A_HEX),
	S(unshare, A_UNSHARE_FLAGS),
	S(setns, A_FD, A_UNSHARE_FLAGS),
	S(restart_syscall),
	/* signals */
	S(rt_sigaction, A_SIGNAL, A_PTR, A_PTR, A_SIZE),
	S(rt_sigprocmask, A_SIGHOW, A_PTR, A_PTR, A_SIZE),
	S(rt_sigpending, A_PTR, A_SIZE),
	S(rt_sigsuspend, A_PTR, A_SIZE),
	S(rt_sigtimedwait, A_PTR, A_PTR, A_PTR, A_SIZE),
	S(rt_sigreturn),
	S(sigaltstack, A_PTR, A_PTR),
	S(pause),
	/* memory */
	S_ADDR(mmap, A_PTR, A_SIZE, A_PROT, A_MAP_FLAGS, A_FD, A_HEX),
	S(mprotect, A_PTR, A_SIZE, A_PROT),
	S(pkey_mprotect, A_PTR, A_SIZE, A_PROT, A_INT),
	S(munmap, A_PTR, A_SIZE),
	S_ADDR(brk, A_PTR),
	S_ADDR(mremap, A_PTR, A_SIZE, A_SIZE, A_MREMAP_FLAGS, A_PTR),
	S(msync, A_PTR, A_SIZE, A_MSYNC_FLAGS),
	S(mincore, A_PTR, A_SIZE, A_PTR),
	S(madvise, A_PTR, A_SIZE, A_INT),
	S(mlock, A_PTR, A_SIZE),
	S(mlock2, A_PTR, A_SIZE, A_HEX),
	S(munlock, A_PTR, A_SIZE),
	S(mlockall, A_MCL_FLAGS),
	S(munlockall),
	S(mseal, A_PTR, A_SIZE, A_HEX),
	S(remap_file_pages, A_PTR, A_SIZE, A_HEX, A_SIZE, A_HEX),
	S(mbind, A_PTR, A_SIZE, A_INT, A_PTR, A_SIZE, A_HEX),
	S(set_mempolicy, A_INT, A_PTR, A_SIZE),
	S(get_mempolicy, A_PTR, A_PTR, A_SIZE, A_PTR, A_HEX),
	S(set_mempolicy_home_node, A_PTR, A_SIZE, A_SIZE, A_HEX),
	S(migrate_pages, A_INT, A_SIZE, A_PTR, A_PTR),
	S(move_pages, A_INT, A_SIZE, A_PTR, A_PTR, A_PTR, A_HEX),
	S(membarrier, A_INT, A_HEX, A_INT),
	S(pkey_alloc, A_HEX, A_HEX),
	S(pkey_free, A_INT),
	S(map_shadow_stack, A_PTR, A_SIZE, A_HEX),
	S(userfaultfd, A_CLOEXEC_FLAGS),
	/* futexes and time */
	S(futex, A_PTR, A_HEX, A_UINT, A_PTR, A_PTR, A_UINT),
	S(futex_wait, A_PTR, A_SIZE, A_HEX, A_HEX, A_PTR, A_CLOCK),
	S(futex_wake, A_PTR, A_HEX, A_INT, A_HEX),
	S(futex_waitv, A_PTR, A_UINT, A_HEX, A_PTR, A_CLOCK),
	S(futex_requeue, A_PTR, A_HEX, A_INT, A_INT),
	S(nanosleep, A_PTR, A_PTR),
	S(clock_nanosleep, A_CLOCK, A_TIMER_FLAGS, A_PTR, A_PTR),
	S(clock_gettime, A_CLOCK, A_PTR),
	S(clock_settime, A_CLOCK, A_PTR),
	S(clock_getres, A_CLOCK, A_PTR),
	S(clock_adjtime, A_CLOCK, A_PTR),
	S(gettimeofday, A_PTR, A_PTR),
	S(settimeofday, A_PTR, A_PTR),
	S(adjtimex, A_PTR),
	S(time, A_PTR),
	S(alarm, A_UINT),
	S(getitimer, A_ITIMER, A_PTR),
	S(setitimer, A_ITIMER, A_PTR, A_PTR),
	S(timer_create, A_CLOCK, A_PTR, A_PTR),
	S(timer_settime, A_INT, A_TIMER_FLAGS, A_PTR, A_PTR),
	S(timer_gettime, A_INT, A_PTR),
	S(timer_getoverrun, A_INT),
	S(timer_delete, A_INT),
	S(getcpu, A_PTR, A_PTR, A_PTR),
	S(getrandom, A_PTR, A_SIZE, A_GRND_FLAGS),
	S(uname, A_PTR),
	S(sysinfo, A_PTR),
	S(syslog, A_INT, A_PTR, A_INT),
	S(sethostname, A_PTR, A_INT),
	S(setdomainname, A_PTR, A_INT),
	/* sockets */
	S(socket, A_FAMILY, A_SOCK_TYPE, A_INT),
	S(socketpair, A_FAMILY, A_SOCK_TYPE, A_INT, A_FD_PAIR),
	S(bind, A_FD, A_SOCKADDR, A_UINT),
	S(connect, A_FD, A_SOCKADDR, A_UINT),
	S(listen, A_FD, A_INT),
	S(accept, A_FD, A_PTR, A_PTR),
	S(accept4, A_FD, A_PTR, A_PTR, A_SOCK_FLAGS),
	S(getsockname, A_FD, A_PTR, A_PTR),
	S(getpeername, A_FD, A_PTR, A_PTR),
	S(sendto, A_FD, A_PTR, A_SIZE, A_MSG_FLAGS, A_SOCKADDR, A_UINT),
	S(recvfrom, A_FD, A_PTR, A_SIZE, A_MSG_FLAGS, A_PTR, A_PTR),
	S(sendmsg, A_FD, A_PTR, A_MSG_FLAGS),
	S(recvmsg, A_FD, A_PTR, A_MSG_FLAGS),
	S(sendmmsg, A_FD, A_PTR, A_UINT, A_MSG_FLAGS),
	S(recvmmsg, A_FD, A_PTR, A_UINT, A_MSG_FLAGS, A_PTR),
	S(shutdown, A_FD, A_SHUT),
	S(setsockopt, A_FD, A_INT, A_INT, A_PTR, A_UINT),
	S(getsockopt, A_FD, A_INT, A_INT, A_PTR, A_PTR),
	/* System V IPC and POSIX message queues */
	S(msgget, A_HEX, A_IPC_FLAGS),
	S(msgsnd, A_INT, A_PTR, A_SIZE, A_HEX),
	S(msgrcv, A_INT, A_PTR, A_SIZE, A_LONG, A_HEX),
	S(msgctl, A_INT, A_IPC_CMD, A_PTR),
	S(semget, A_HEX, A_INT, A_IPC_FLAGS),
	S(semop, A_INT, A_PTR, A_SIZE),
	S(semtimedop, A_INT, A_PTR, A_SIZE, A_PTR),
	S(semctl, A_INT, A_INT, A_IPC_CMD, A_HEX),
	S(shmget, A_HEX, A_SIZE, A_IPC_FLAGS),
	S_ADDR(shmat, A_INT, A_PTR, A_HEX),
	S(shmdt, A_PTR),
	S(shmctl, A_INT, A_IPC_CMD, A_PTR),
	S(mq_open, A_STR, A_OPEN_FLAGS, A_OPEN_MODE, A_PTR),
	S(mq_unlink, A_STR),
	S(mq_timedsend, A_INT, A_PTR, A_SIZE, A_UINT, A_PTR),
	S(mq_timedreceive, A_INT, A_PTR, A_SIZE, A_PTR, A_PTR),
	S(mq_notify, A_INT, A_PTR),
	S(mq_getsetattr, A_INT, A_PTR, A_PTR),
	/* refused: mounts, modules, keys, the machine */
	S(mount, A_STR, A_PATH, A_STR, A_MOUNT_FLAGS, A_PTR),
	S(umount2, A_PATH, A_UMOUNT_FLAGS),
	S(pivot_root, A_PATH, A_PATH),
	S(mount_setattr, A_DIRFD, A_PATH, A_AT_FLAGS, A_PTR, A_SIZE),
	S(move_mount, A_DIRFD, A_PATH, A_DIRFD, A_PATH, A_HEX),
	S(open_tree, A_DIRFD, A_PATH, A_HEX),
	S(open_tree_attr, A_DIRFD, A_PATH, A_HEX, A_PTR, A_SIZE),
	S(fsopen, A_STR, A_HEX),
	S(fsconfig, A_FD, A_UINT, A_STR, A_PTR, A_INT),
	S(fsmount, A_FD, A_HEX, A_HEX),
	S(fspick, A_DIRFD, A_PATH, A_HEX),
	S(statmount, A_PTR, A_PTR, A_SIZE, A_HEX),
	S(listmount, A_PTR, A_PTR, A_SIZE, A_HEX),
	S(quotactl, A_HEX, A_PATH, A_INT, A_PTR),
	S(quotactl_fd, A_FD, A_HEX, A_INT, A_PTR),
	S(swapon, A_PATH, A_HEX),
	S(swapoff, A_PATH),
	S(init_module, A_PTR, A_SIZE, A_STR),
	S(finit_module, A_FD, A_STR, A_HEX),
	S(delete_module, A_STR, A_HEX),
	S(create_module, A_STR, A_SIZE),
	S(query_module, A_STR, A_INT, A_PTR, A_SIZE, A_PTR),
	S(get_kernel_syms, A_PTR),
	S(kexec_load, A_HEX, A_SIZE, A_PTR, A_HEX),
	S(kexec_file_load, A_FD, A_FD, A_SIZE, A_STR, A_HEX),
	S(reboot, A_HEX, A_HEX, A_HEX, A_PTR),
	S(add_key, A_STR, A_STR, A_PTR, A_SIZE, A_INT),
	S(request_key, A_STR, A_STR, A_STR, A_INT),
	S(keyctl, A_INT, A_HEX, A_HEX, A_HEX, A_HEX),
	S(bpf, A_INT, A_PTR, A_UINT),
	S(perf_event_open, A_PTR, A_INT, A_INT, A_FD, A_HEX),
	S(lookup_dcookie, A_HEX, A_PTR, A_SIZE),
	S(landlock_create_ruleset, A_PTR, A_SIZE, A_HEX),
	S(landlock_add_rule, A_FD, A_INT, A_PTR, A_HEX),
	S(landlock_restrict_self, A_FD, A_HEX),
	S(lsm_get_self_attr, A_UINT, A_PTR, A_PTR, A_HEX),
	S(lsm_set_self_attr, A_UINT, A_PTR, A_SIZE, A_HEX),
	S(lsm_list_modules, A_PTR, A_PTR, A_HEX),
	S(iopl, A_INT),
	S(ioperm, A_HEX, A_SIZE, A_INT),
	S(modify_ldt, A_INT, A_PTR, A_SIZE),
	S(set_thread_area, A_PTR),
	S(get_thread_area, A_PTR),
	S(vhangup),
	S(nfsservctl, A_HEX, A_HEX, A_HEX),
	S(_sysctl, A_PTR),
	/* not implemented by Linux: as strace lists them */
	S(afs_syscall, A_HEX, A_HEX, A_HEX, A_HEX, A_HEX),
	S(getpmsg, A_HEX, A_HEX, A_HEX, A_HEX, A_HEX),
	S(putpmsg, A_HEX, A_HEX, A_HEX, A_HEX, A_HEX),
	S(security, A_HEX, A_HEX, A_HEX),
	S(tuxcall, A_HEX, A_HEX, A_HEX),
	S(vserver, A_HEX, A_HEX, A_HEX, A_HEX, A_HEX),
};

#undef S
#undef S_ADDR

static int by_name(const void *a, const void *b)
{
	return strcmp((*(const struct signature *const *)a)->name, (*(const struct signature *const *)b)->name);
}

/* The signature of name; NULL when none. *twice: the table lists it twice. */
static const struct signature *lookup(const char *name, bool *twice)
{
	static const struct signature *sorted[COUNT(signatures)];
	static bool ready;
	if (!ready) {
		for (size_t i = 0; i < COUNT(signatures); i++)
			sorted[i] = &signatures[i];
		qsort(sorted, COUNT(sorted), sizeof(sorted[0]), by_name);
		ready = true;
	}
	if (twice)
		*twice = false;
	if (!name)
		return NULL;
	struct signature key = { .name = name };
	const struct signature *k = &key;
	const struct signature *const *hit = bsearch(&k, sorted, COUNT(sorted), sizeof(sorted[0]), by_name);
	if (!hit)
		return NULL;
	if (twice) {
		size_t at = (size_t)(hit - sorted);
		*twice = (at > 0 && strcmp(sorted[at - 1]->name, name) == 0) ||
			 (at + 1 < COUNT(sorted) && strcmp(sorted[at + 1]->name, name) == 0);
	}
	return *hit;
}

int decode_nargs(const char *name)
{
	bool twice;
	const struct signature *sig = lookup(name, &twice);
	if (!sig || twice)
		return -1;
	int n = 0;
	for (int i = 0; i < 6 && sig->args[i]; i++)
		n += sig->args[i] != A_SKIP;
	return n;
}

/* ---- decoding ---------------------------------------------------------- */

static void put_arg(struct out *o, struct task *task, enum kind k, const uint64_t *args, int i, bool done, long ret)
{
	uint64_t v = args[i];
	uint64_t next = i < 5 ? args[i + 1] : 0;
	switch (k) {
	case A_END:
	case A_SKIP:
	case A_KINDS: break;
	case A_INT:
	case A_FD: put_int(o, v); break;
	case A_UINT: putf(o, "%u", (uint32_t)v); break;
	case A_LONG: putf(o, "%lld", (long long)v); break;
	case A_SIZE: putf(o, "%llu", (unsigned long long)v); break;
	case A_HEX: put_hex(o, v); break;
	case A_PTR: put_ptr(o, v); break;
	case A_DIRFD:
		if ((int)(uint32_t)v == -100)
			put_str(o, "AT_FDCWD");
		else
			put_int(o, v);
		break;
	case A_UID:
		if ((uint32_t)v == UINT32_MAX)
			put_str(o, "-1");
		else
			putf(o, "%u", (uint32_t)v);
		break;
	case A_PATH:
	case A_STR: put_string(o, task, v); break;
	case A_OUT_STR:
		if (done && ret > 0)
			put_string(o, task, v);
		else
			put_ptr(o, v);
		break;
	case A_OUT_BUF:
		if (done && ret > 0)
			put_bytes(o, task, v, (uint64_t)ret);
		else
			put_ptr(o, v);
		break;
	case A_FD_PAIR: put_fd_pair(o, task, v, done && ret == 0); break;
	case A_ARGV: put_argv(o, task, v); break;
	case A_ENVP: put_envp(o, task, v); break;
	case A_OPEN_FLAGS: put_open_flags(o, (uint32_t)v); break;
	case A_OPEN_MODE:
	case A_MODE: put_mode(o, v); break;
	case A_MKNOD_MODE: put_mknod_mode(o, v); break;
	case A_SIGNAL: put_signal(o, v); break;
	case A_CLONE_FLAGS: put_clone_flags(o, v); break;
	case A_SOCKADDR: put_sockaddr(o, task, v, next); break;
	case A_OPEN_HOW: put_open_how(o, task, v, next); break;
	case A_FCNTL_ARG: put_fcntl_arg(o, args[1], v); break;
	case A_MAP_FLAGS: put_map_flags(o, v); break;
	case A_SOCK_TYPE: put_sock_type(o, v); break;
	case A_MOUNT_FLAGS: put_mount_flags(o, v); break;
	case A_IPC_FLAGS: put_ipc_flags(o, v); break;
	default:
		if (tables[k].flags)
			put_flags_of(o, (uint32_t)v, tables[k].t, tables[k].n, tables[k].zero);
		else if (!put_value_of(o, (uint32_t)v, tables[k].t, tables[k].n)) {
			if (tables[k].hex)
				put_hex(o, (uint32_t)v);
			else
				put_int(o, v);
		}
		break;
	}
}

/* A string the sentry read itself: quoted and escaped as any other. */
static void put_known(struct out *o, const char *s)
{
	size_t n = strlen(s);
	put_quoted(o, s, n < DECODE_STRING_MAX ? n : DECODE_STRING_MAX, n > DECODE_STRING_MAX);
}

static size_t decode(struct task *task, const char *name, const uint64_t args[6], bool done, long ret,
		     const char *const known[6], char *buf, size_t size)
{
	struct out o = { buf, size, 0, false };
	if (size)
		buf[0] = 0;
	const struct signature *sig = lookup(name, NULL);
	if (!sig) {
		for (int i = 0; i < 6; i++) {
			if (i)
				put(&o, ", ", 2);
			if (known && known[i])
				put_known(&o, known[i]);
			else
				put_hex(&o, args[i]);
		}
		return finish(&o);
	}
	bool first = true;
	for (int i = 0; i < 6 && sig->args[i]; i++) {
		enum kind k = sig->args[i];
		if (k == A_SKIP)
			continue;
		/* strace's count: no mode unless the flags create, no third
		 * fcntl argument for a command that reads none */
		if (k == A_OPEN_MODE && i > 0 && !open_creates((uint32_t)args[i - 1]))
			break;
		if (k == A_FCNTL_ARG && !fcntl_takes_arg(args[1]))
			break;
		if (!first)
			put(&o, ", ", 2);
		first = false;
		if (known && known[i])
			put_known(&o, known[i]);
		else
			put_arg(&o, task, k, args, i, done, ret);
	}
	return finish(&o);
}

size_t decode_args(struct task *task, const char *name, const uint64_t args[6], bool done, long ret, char *buf,
		   size_t size)
{
	return decode(task, name, args, done, ret, NULL, buf, size);
}

size_t decode_args_known(struct task *task, const char *name, const uint64_t args[6], const char *const known[6],
			 char *buf, size_t size)
{
	return decode(task, name, args, false, 0, known, buf, size);
}

size_t decode_result(const char *name, long ret, char *buf, size_t size)
{
	struct out o = { buf, size, 0, false };
	if (size)
		buf[0] = 0;
	const struct signature *sig = lookup(name, NULL);
	if (ret < 0 && ret > -4096) {
		const char *e = strerrorname_np((int)-ret);
		if (e)
			putf(&o, "-1 %s", e);
		else
			putf(&o, "-1 errno %ld", -ret);
	} else if (sig && sig->returns_address) {
		put_hex(&o, (uint64_t)ret);
	} else {
		putf(&o, "%ld", ret);
	}
	return finish(&o);
}
