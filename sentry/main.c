#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ask.h"
#include "audit.h"
#include "control.h"
#include "bind.h"
#include "dispatch.h"
#include "hostfile.h"
#include "idmap.h"
#include "reslimits.h"
#include "units.h"
#include "netns.h"
#include "netpolicy.h"
#include "policy.h"
#include "results.h"
#include "sandbox.h"
#include "spawn.h"

static const char usage[] =
	"usage: sentry [options] -- command [args...]\n"
	"Runs command in a user-space kernel sandbox: every system call is caught,\n"
	"files come from an in-memory file system, the network is off.\n"
	"\n"
	"  --platform=unotify|ptrace  how calls are caught (default unotify: seccomp\n"
	"                             user-notify; ptrace works where it cannot)\n"
	"  --pin=auto|off             auto (default): where every caught call is a\n"
	"                             hop between processes the kernel cannot make\n"
	"                             on one CPU (ptrace), keep the sandbox on the\n"
	"                             CPU the sentry started on; off: let it spread\n"
	"  --fastpath                 x86_64: answer stats of stable\n"
	"                             paths in the workload from a read-only\n"
	"                             snapshot (doc/fastpath.md); off by default\n"
	"  --workspace=DIR            import DIR (default: the current folder)\n"
	"                             copy-on-write at the same path, and start there\n"
	"  --no-workspace             import no folder; start in /\n"
	"  --image=PATH               show the host's PATH read-only inside, beside\n"
	"                             the system folders (a command given by path\n"
	"                             is shown without asking)\n"
	"  --mount=HOST:GUEST         import the host folder HOST copy-on-write at\n"
	"                             GUEST inside; writes never reach HOST\n"
	"  --bind=HOST:GUEST[:ro]     show the host folder or file HOST at GUEST;\n"
	"                             changes made there reach HOST at once (:ro:\n"
	"                             each fails with EROFS); repeatable\n"
	"  --allow-net=HOST:PORT      let TCP and UDP reach HOST:PORT (an address or\n"
	"                             a name resolved now, put in /etc/hosts inside);\n"
	"                             repeatable; every other destination is refused\n"
	"                             (127.0.0.1:PORT names the host's own port)\n"
	"  --publish=[HOST_ADDR:]HOST_PORT:SANDBOX_PORT\n"
	"                             relay TCP connections to HOST_ADDR:HOST_PORT\n"
	"                             (default address 127.0.0.1) to the sandbox's\n"
	"                             127.0.0.1:SANDBOX_PORT; repeatable\n"
	"  --env=NAME[=VALUE]         pass NAME from the environment, or set it\n"
	"  --hostname=NAME            the host name inside (uname, /proc; default\n"
	"                             sentry)\n"
	"  --control=PATH             listen on the unix socket PATH (mode 0600, this\n"
	"                             user only) for `sentry exec`: more commands in\n"
	"                             this sandbox (see sentry exec --help)\n"
	"  --rootfs=DIR               the image is DIR whole (a container's root),\n"
	"                             read-only under an in-memory layer; no workspace\n"
	"  --rootfs-readonly          and / is read-only inside (EROFS)\n"
	"  --cwd=DIR                  start in DIR inside (made if missing)\n"
	"  --clear-env                the environment is only what --env sets\n"
	"  --user=UID:GID[:G1,G2...]  the workload's ids and supplementary groups\n"
	"  --capabilities=CAP_X,...   the bounding set (what root keeps at exec)\n"
	"  --id-map=u|g:IN:HOST:N     files the host owns as ids HOST.. show as\n"
	"                             IN.. inside (a user namespace's mapping;\n"
	"                             ids no range of that kind holds show as 65534)\n"
	"  --netns=PATH               make TCP and UDP sockets in the network\n"
	"                             namespace at PATH instead of a private loopback\n"
	"  --start-fifo=PATH          set up, then hold the workload until PATH is\n"
	"                             opened for reading (an OCI runtime's start)\n"
	"  --ready-fd=N               write a byte to fd N once held there\n"
	"  --console-socket=PATH      a pty inside is the workload's terminal; its\n"
	"                             master fd goes to the unix socket PATH\n"
	"  --console-size=ROWSxCOLS   that pty's size\n"
	"  --log-format=json|logfmt   sentry's own lines on stderr as runc's log\n"
	"                             file holds them: level, msg, time (default plain)\n"
	"  --tmpfs=GUEST[:OPTIONS]    an empty in-memory folder at GUEST inside;\n"
	"                             OPTIONS as tmpfs takes them: size=64m,\n"
	"                             nr_inodes=1k, mode=1777, uid=N, gid=N\n"
	"  --sysctl=KEY=VALUE         a value of the sandbox's /proc/sys: kernel.shm*,\n"
	"                             kernel.msg*, kernel.sem shown; net.* set in its\n"
	"                             network namespace; other keys refused\n"
	"  --memory-limit=SIZE        bytes the sandbox's files may hold (K, M, G):\n"
	"                             contents, names, links, attributes, open\n"
	"                             files; default half the machine's memory\n"
	"  --timeout=SECONDS          kill the workload after SECONDS (0.5 too); exit 124\n"
	"  --pids-limit=N             at most N tasks (threads and processes) at once;\n"
	"                             a fork or clone past it fails with EAGAIN\n"
	"  --cpu-time=SECONDS         CPU time of all its processes; once spent, the\n"
	"                             workload is killed; exit 124\n"
	"  --process-memory=SIZE      memory its processes may use (K, M, G): a memory\n"
	"                             cgroup's limit, else RLIMIT_AS of each process\n"
	"  --max-open-files=N         the workload's RLIMIT_NOFILE\n"
	"  --cpus=FLOAT               a CPU quota, in CPUs (cgroup cpu controller)\n"
	"  --cpuset-cpus=LIST         the CPUs it may run on (0, 0-1, 0,2): a cpuset\n"
	"                             cgroup's cpuset.cpus; a list the kernel refuses\n"
	"                             is exit 125\n"
	"  --cpuset-mems=LIST         the memory nodes it may use (cpuset.mems)\n"
	"  --cgroup=PATH              the cgroup the workload runs in, below each\n"
	"                             hierarchy's root (made if missing)\n"
	"  --report=FILE              at exit, one JSON object in FILE: status, exit\n"
	"                             code, times, peak memory, how limits applied\n"
	"  --save=DIR                 at exit, copy the workspace's changes into DIR\n"
	"                             (a new or empty folder)\n"
	"  --write-back               at exit, apply the changes to the workspace folder\n"
	"  --ask[=auto]               ask on sentry's terminal before a connection\n"
	"                             --allow-net does not name (sockets are then the\n"
	"                             host's), and at exit whether to apply the\n"
	"                             workspace's changes; auto: keep \"always\" answers\n"
	"                             in ~/.config/sentry/approvals and use them\n"
	"  --ask-timeout=SECONDS      a question left unanswered this long is a no\n"
	"                             (default 60)\n"
	"  --trace                    one line per caught syscall on stderr\n"
	"  --stats[=table|json]       counts, disposition, handler and round-trip time\n"
	"                             per syscall on stderr at exit: a table (default)\n"
	"                             or one JSON object\n"
	"  --audit=FILE               every denial and policy decision as JSON lines\n"
	"                             in FILE (created or emptied, mode 0600)\n"
	"  --backtrace                a denial carries the workload's call stack and\n"
	"                             the disassembled syscall site\n"
	"  --policy=FILE              read options from FILE, one per line, as if\n"
	"                             given here (later options win)\n"
	"  -q, --quiet                no denial lines on stderr (--audit keeps them)\n"
	"  -v, --verbose              more log lines\n"
	"  -h, --help                 this text\n"
	"  --version                  the version\n"
	"\n"
	"Exit status: the command's; 128+N if it died of signal N; 124 on timeout;\n"
	"125 for sentry's own errors; 126 not executable; 127 not found.\n"
	"\n"
	"sentry approvals list|revoke ...: what --ask=auto keeps (sentry approvals --help).\n";

enum {
	OPT_PLATFORM = 256,
	OPT_PIN,
	OPT_FASTPATH,
	OPT_TRACE,
	OPT_STATS,
	OPT_VERSION,
	OPT_WORKSPACE,
	OPT_NO_WORKSPACE,
	OPT_ENV,
	OPT_MEMORY_LIMIT,
	OPT_TIMEOUT,
	OPT_PIDS_LIMIT,
	OPT_CPU_TIME,
	OPT_PROCESS_MEMORY,
	OPT_MAX_OPEN_FILES,
	OPT_CPUS,
	OPT_CPUSET_CPUS,
	OPT_CPUSET_MEMS,
	OPT_CGROUP,
	OPT_REPORT,
	OPT_IMAGE,
	OPT_SAVE,
	OPT_WRITE_BACK,
	OPT_ASK,
	OPT_ASK_TIMEOUT,
	OPT_AUDIT,
	OPT_BACKTRACE,
	OPT_MOUNT,
	OPT_BIND,
	OPT_POLICY,
	OPT_ALLOW_NET,
	OPT_PUBLISH,
	OPT_HOSTNAME,
	OPT_CONTROL,
	OPT_ROOTFS,
	OPT_CWD,
	OPT_CLEAR_ENV,
	OPT_START_FIFO,
	OPT_READY_FD,
	OPT_CONSOLE_SOCKET,
	OPT_CONSOLE_SIZE,
	OPT_NETNS,
	OPT_USER,
	OPT_CAPABILITIES,
	OPT_ID_MAP,
	OPT_TMPFS,
	OPT_SYSCTL,
	OPT_ROOTFS_READONLY,
	OPT_LOG_FORMAT,
};

static const struct option long_options[] = {
	{ "platform", required_argument, NULL, OPT_PLATFORM },
	{ "pin", required_argument, NULL, OPT_PIN },
	{ "fastpath", no_argument, NULL, OPT_FASTPATH },
	{ "workspace", required_argument, NULL, OPT_WORKSPACE },
	{ "no-workspace", no_argument, NULL, OPT_NO_WORKSPACE },
	{ "allow-net", required_argument, NULL, OPT_ALLOW_NET },
	{ "publish", required_argument, NULL, OPT_PUBLISH },
	{ "env", required_argument, NULL, OPT_ENV },
	{ "hostname", required_argument, NULL, OPT_HOSTNAME },
	{ "control", required_argument, NULL, OPT_CONTROL },
	{ "rootfs", required_argument, NULL, OPT_ROOTFS },
	{ "cwd", required_argument, NULL, OPT_CWD },
	{ "clear-env", no_argument, NULL, OPT_CLEAR_ENV },
	{ "start-fifo", required_argument, NULL, OPT_START_FIFO },
	{ "ready-fd", required_argument, NULL, OPT_READY_FD },
	{ "console-socket", required_argument, NULL, OPT_CONSOLE_SOCKET },
	{ "console-size", required_argument, NULL, OPT_CONSOLE_SIZE },
	{ "netns", required_argument, NULL, OPT_NETNS },
	{ "user", required_argument, NULL, OPT_USER },
	{ "capabilities", required_argument, NULL, OPT_CAPABILITIES },
	{ "id-map", required_argument, NULL, OPT_ID_MAP },
	{ "tmpfs", required_argument, NULL, OPT_TMPFS },
	{ "sysctl", required_argument, NULL, OPT_SYSCTL },
	{ "rootfs-readonly", no_argument, NULL, OPT_ROOTFS_READONLY },
	{ "log-format", required_argument, NULL, OPT_LOG_FORMAT },
	{ "image", required_argument, NULL, OPT_IMAGE },
	{ "mount", required_argument, NULL, OPT_MOUNT },
	{ "bind", required_argument, NULL, OPT_BIND },
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "memory-limit", required_argument, NULL, OPT_MEMORY_LIMIT },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "pids-limit", required_argument, NULL, OPT_PIDS_LIMIT },
	{ "cpu-time", required_argument, NULL, OPT_CPU_TIME },
	{ "process-memory", required_argument, NULL, OPT_PROCESS_MEMORY },
	{ "max-open-files", required_argument, NULL, OPT_MAX_OPEN_FILES },
	{ "cpus", required_argument, NULL, OPT_CPUS },
	{ "cpuset-cpus", required_argument, NULL, OPT_CPUSET_CPUS },
	{ "cpuset-mems", required_argument, NULL, OPT_CPUSET_MEMS },
	{ "cgroup", required_argument, NULL, OPT_CGROUP },
	{ "report", required_argument, NULL, OPT_REPORT },
	{ "save", required_argument, NULL, OPT_SAVE },
	{ "write-back", no_argument, NULL, OPT_WRITE_BACK },
	{ "ask", optional_argument, NULL, OPT_ASK },
	{ "ask-timeout", required_argument, NULL, OPT_ASK_TIMEOUT },
	{ "trace", no_argument, NULL, OPT_TRACE },
	{ "stats", optional_argument, NULL, OPT_STATS },
	{ "audit", required_argument, NULL, OPT_AUDIT },
	{ "backtrace", no_argument, NULL, OPT_BACKTRACE },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

static int bad_usage(const char *what, const char *arg)
{
	const char *from = policy_origin(optind - 1); /* a policy file's line */
	sentry_error("%s%s%s%s%s; see sentry --help", from ? from : "", from ? ": " : "", what, arg ? " " : "",
		     arg ? arg : "");
	return EXIT_SENTRY_ERROR;
}

/* A host path an option names must be there: one line naming it. */
static int missing_path(const char *option, const char *path, const char *why)
{
	const char *from = policy_origin(optind - 1);
	sentry_error("%s%s%s %s: %s", from ? from : "", from ? ": " : "", option, path, why);
	return EXIT_SENTRY_ERROR;
}

static int check_folder(const char *option, const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return missing_path(option, path, strerror(errno));
	return S_ISDIR(st.st_mode) ? 0 : missing_path(option, path, "not a folder");
}

/* The workspace is the workload's side: what a run wrote back there must
 * not configure a later run, and a log there must not be written back
 * over at exit. */
static int refuse_workspace_files(const struct options *opts, const struct results_request *results)
{
	for (int i = 0; policy_file(i); i++) {
		if (results_inside_workspace(policy_file(i))) {
			fprintf(stderr, "sentry: the policy %s is inside the workspace, which a workload may change; keep it outside\n",
				policy_file(i));
			return -1;
		}
	}
	char *audit = opts->audit ? hostfile_absolute(opts->audit) : NULL;
	bool refused = audit && (results->write_back || results->ask) && results_inside_workspace(audit);
	if (refused)
		fprintf(stderr, "sentry: --audit %s is inside the workspace that --write-back changes; give a file outside it\n",
			opts->audit);
	free(audit);
	return refused ? -1 : 0;
}

/* `sentry serve` is sentry-serve from this binary's folder: sentry itself
 * links no HTTP library, which every sandbox's start would load. */
static int serve_exec(char **argv)
{
	char self[PATH_MAX], path[PATH_MAX + 16];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = 0;
	snprintf(path, sizeof(path), "%s/sentry-serve", dirname(self));
	argv[0] = path;
	execv(path, argv);
	fprintf(stderr, "sentry: serve: cannot run %s: %s\n", path, strerror(errno));
	return EXIT_SENTRY_ERROR;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "exec") == 0)
		return exec_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "approvals") == 0)
		return approvals_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "serve") == 0)
		return serve_exec(argv + 1);
	static struct options opts = { .platform = PLATFORM_UNOTIFY, .hostname = "sentry",
				       .container.ready_fd = -1 }; /* lives until exit */
	if (policy_expand(&argc, &argv, long_options, "+vhq", OPT_POLICY) < 0)
		return EXIT_SENTRY_ERROR;
	opts.env_names = calloc((size_t)argc + 1, sizeof(char *));
	opts.image_paths = calloc((size_t)argc + 1, sizeof(char *));
	if (!opts.env_names || !opts.image_paths)
		return EXIT_SENTRY_ERROR;
	opterr = 0;
	int c, which;
	long long size;
	double seconds;
	struct results_request results = { 0 };
	enum ask_mode ask = ASK_OFF;
	double ask_seconds = 0;
	while ((which = -1, c = getopt_long(argc, argv, "+vhq", long_options, &which)) != -1) {
		/* "--save -- cmd" would save into a folder named "--" */
		if (optarg && strcmp(optarg, "--") == 0 && which >= 0) {
			fprintf(stderr, "sentry: --%s needs a value before --; see sentry --help\n", long_options[which].name);
			return EXIT_SENTRY_ERROR;
		}
		switch (c) {
		case OPT_PLATFORM:
			if (strcmp(optarg, "unotify") == 0)
				opts.platform = PLATFORM_UNOTIFY;
			else if (strcmp(optarg, "ptrace") == 0)
				opts.platform = PLATFORM_PTRACE;
			else
				return bad_usage("unknown platform (use unotify or ptrace):", optarg);
			break;
		case OPT_PIN:
			if (strcmp(optarg, "auto") != 0 && strcmp(optarg, "off") != 0)
				return bad_usage("--pin takes auto or off:", optarg);
			opts.no_pin = strcmp(optarg, "off") == 0;
			break;
		case OPT_FASTPATH:
#ifndef __x86_64__
			fprintf(stderr, "sentry: --fastpath is built for x86_64 only\n");
			return EXIT_SENTRY_ERROR;
#endif
			opts.fastpath = true;
			break;
		case OPT_WORKSPACE:
			if (check_folder("--workspace", optarg))
				return EXIT_SENTRY_ERROR;
			opts.workspace = optarg;
			break;
		case OPT_NO_WORKSPACE:
			opts.no_workspace = true;
			break;
		case OPT_ALLOW_NET: {
			const char *why = net_policy_add(&opts.net, optarg);
			if (why)
				return bad_usage(why, optarg);
			break;
		}
		case OPT_PUBLISH: {
			const char *why = netns_publish_add(optarg);
			if (why)
				return bad_usage(why, optarg);
			break;
		}
		case OPT_ENV:
			if (!optarg[0] || optarg[0] == '=')
				return bad_usage("--env takes NAME or NAME=VALUE, not", optarg);
			opts.env_names[opts.nenv++] = optarg;
			break;
		case OPT_HOSTNAME:
			/* a name sethostname would take, in the characters of RFC 1123 */
			if (!optarg[0] || strlen(optarg) > 64 ||
			    strspn(optarg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") != strlen(optarg))
				return bad_usage("--hostname takes up to 64 letters, digits, dots and dashes, not", optarg);
			opts.hostname = optarg;
			break;
		case OPT_CONTROL: {
			const char *why = control_set_path(optarg);
			if (why)
				return bad_usage(why, optarg);
			break;
		}
		case OPT_ROOTFS:
			if (check_folder("--rootfs", optarg))
				return EXIT_SENTRY_ERROR;
			opts.container.rootfs = realpath(optarg, NULL);
			opts.no_workspace = true;
			break;
		case OPT_CWD:
			if (optarg[0] != '/')
				return bad_usage("--cwd takes an absolute path, not", optarg);
			opts.container.cwd = optarg;
			break;
		case OPT_ROOTFS_READONLY:
			opts.container.rootfs_readonly = true;
			break;
		case OPT_LOG_FORMAT: {
			const char *why = sentry_log_set_format(optarg);
			if (why)
				return bad_usage(why, optarg);
			break;
		}
		case OPT_CLEAR_ENV:
			opts.container.clear_env = true;
			break;
		case OPT_START_FIFO:
			opts.container.start_fifo = optarg;
			break;
		case OPT_CONSOLE_SOCKET:
			opts.container.console_socket = optarg;
			break;
		case OPT_NETNS: {
			const char *why = netns_join(optarg);
			if (why)
				return bad_usage(why, optarg);
			break;
		}
		case OPT_ID_MAP: {
			const char *why = vfs_idmap_add(optarg);
			if (why)
				return bad_usage(why, optarg);
			break;
		}
		case OPT_SYSCTL: {
			const char *why = container_add_sysctl(&opts.container, optarg);
			if (why)
				return bad_usage(why, optarg);
			break;
		}
		case OPT_READY_FD:
		case OPT_CONSOLE_SIZE:
		case OPT_USER:
		case OPT_CAPABILITIES:
		case OPT_TMPFS: {
			const char *why = c == OPT_TMPFS ? container_add_tmpfs(&opts.container, optarg)
					  : c == OPT_READY_FD	   ? container_parse_ready_fd(&opts.container, optarg)
					  : c == OPT_CONSOLE_SIZE ? container_parse_console_size(&opts.container, optarg)
					  : c == OPT_USER	   ? container_parse_user(&opts.container, optarg)
								   : container_parse_caps(&opts.container, optarg);
			if (why)
				return bad_usage(why, optarg);
			break;
		}
		case OPT_IMAGE: {
			struct stat st;
			if (optarg[0] != '/')
				return bad_usage("--image takes an absolute path, not", optarg);
			if (lstat(optarg, &st) < 0)
				return missing_path("--image", optarg, strerror(errno));
			opts.image_paths[opts.nimage++] = optarg;
			break;
		}
		case OPT_MOUNT: {
			const char *why = sandbox_add_mount(&opts, optarg);
			if (why)
				return bad_usage(why, optarg);
			break;
		}
		case OPT_BIND: {
			const char *why = bind_add(&opts, optarg);
			if (why)
				return bad_usage(why, optarg);
			break;
		}
		case OPT_POLICY: /* its options follow it (policy_expand) */
			if (policy_origin(optind - 1))
				return bad_usage("a policy file cannot name another:", optarg);
			break;
		case OPT_MEMORY_LIMIT:
			size = units_size(optarg);
			if (size <= 0)
				return bad_usage("--memory-limit takes a size such as 512M, not", optarg);
			opts.memory_limit = (unsigned long long)size;
			break;
		case OPT_TIMEOUT:
			seconds = units_seconds(optarg, 1000000);
			if (seconds < 0)
				return bad_usage("--timeout takes a number of seconds (such as 30 or 0.5), not", optarg);
			opts.timeout = seconds;
			break;
		case OPT_PIDS_LIMIT:
		case OPT_CPU_TIME:
		case OPT_PROCESS_MEMORY:
		case OPT_MAX_OPEN_FILES:
		case OPT_CPUS:
		case OPT_CPUSET_CPUS:
		case OPT_CPUSET_MEMS:
		case OPT_CGROUP:
		case OPT_REPORT: {
			const char *why = limits_option(long_options[which].name, optarg);
			if (why)
				return bad_usage(why, optarg);
			break;
		}
		case OPT_SAVE:
			results.save_dir = optarg;
			break;
		case OPT_WRITE_BACK:
			results.write_back = true;
			break;
		case OPT_ASK:
			if (optarg && strcmp(optarg, "auto") != 0)
				return bad_usage("--ask takes no value or auto, not", optarg);
			ask = optarg ? ASK_AUTO : ASK_ON;
			results.ask = true;
			break;
		case OPT_ASK_TIMEOUT:
			ask_seconds = units_seconds(optarg, 1000000);
			if (ask_seconds < 0)
				return bad_usage("--ask-timeout takes a number of seconds (such as 60), not", optarg);
			break;
		case OPT_TRACE:
			opts.trace = true;
			break;
		case OPT_STATS:
			if (!optarg || strcmp(optarg, "table") == 0)
				stats_configure(&opts, STATS_TABLE);
			else if (strcmp(optarg, "json") == 0)
				stats_configure(&opts, STATS_JSON);
			else
				return bad_usage("--stats takes table or json, not", optarg);
			opts.stats = true;
			break;
		case OPT_AUDIT:
			if (!optarg[0])
				return bad_usage("--audit takes a file name", NULL);
			opts.audit = optarg;
			break;
		case OPT_BACKTRACE:
			opts.backtrace = true;
			break;
		case 'q':
			opts.quiet = true;
			break;
		case 'v':
			opts.verbose++;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		case OPT_VERSION:
			puts("sentry " SENTRY_VERSION);
			return 0;
		default:
			return bad_usage(optopt ? "unknown option" : "unknown option or missing value:", argv[optind - 1]);
		}
	}
	policy_forget();
	if (optind >= argc)
		return bad_usage("no command given", NULL);
	if (opts.workspace && opts.no_workspace)
		return bad_usage("--workspace and --no-workspace exclude each other", NULL);
	if (opts.container.rootfs_readonly && !opts.container.rootfs)
		return bad_usage("--rootfs-readonly goes with --rootfs", NULL);
	if (opts.container.rootfs && (opts.workspace || results.save_dir || results.write_back))
		return bad_usage("--rootfs has no workspace: not with --workspace, --save or --write-back", NULL);
	if (results.save_dir && results.write_back)
		return bad_usage("--save and --write-back exclude each other", NULL);
	opts.argv = &argv[optind];
	ask_configure(ask, ask_seconds);
	if (net_policy_resolve(opts.net) < 0)
		return EXIT_SENTRY_ERROR;
	if (results_prepare(&opts, &results) < 0)
		return EXIT_SENTRY_ERROR;
	if (refuse_workspace_files(&opts, &results) < 0)
		return EXIT_SENTRY_ERROR;
	if (opts.audit && audit_open(opts.audit) < 0)
		return EXIT_SENTRY_ERROR;
	if (opts.backtrace && backtrace_load() < 0)
		return EXIT_SENTRY_ERROR;
	if (netns_publish_start() < 0)
		return EXIT_SENTRY_ERROR;
	if (limits_prepare(opts.verbose) < 0)
		return EXIT_SENTRY_ERROR;
	return limits_after_run(sandbox_run(&opts));
}
