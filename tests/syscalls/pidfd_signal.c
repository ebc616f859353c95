/* pidfd_send_signal on a pidfd and, as Linux allows, on an open /proc/PID
 * folder; checked against the ids as kill is. Run as root; users are
 * children that setresuid() after fork. */
#include <sys/syscall.h>
#include <unistd.h>

#include "common.h"

static volatile sig_atomic_t got_usr1;
static void on_usr1(int sig) { (void)sig; got_usr1++; }

static long send_sig(int fd, int sig, unsigned flags)
{
	return syscall(SYS_pidfd_send_signal, fd, sig, NULL, flags);
}

/* A child that waits for signals, as uid (or root for -1), ignoring
 * SIGTERM so that a refused and an allowed one look alike but for errno. */
static pid_t waiting_child(int uid)
{
	int ready[2];
	MUST(pipe(ready));
	pid_t pid = fork();
	if (pid == 0) {
		close(ready[0]);
		signal(SIGTERM, SIG_IGN);
		if (uid >= 0 && setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid) < 0)
			_exit(99);
		close(ready[1]);
		for (;;)
			pause();
	}
	close(ready[1]);
	char byte;
	while (read(ready[0], &byte, 1) < 0 && errno == EINTR)
		;
	close(ready[0]);
	return pid;
}

static int proc_folder(pid_t pid)
{
	char path[32];
	snprintf(path, sizeof(path), "/proc/%d", pid);
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* As uid, sends to target through a /proc folder and a pidfd opened
 * before the drop. */
static void send_as(const char *title, uid_t uid, pid_t target)
{
	say("-- %s\n", title);
	int folder = proc_folder(target);
	int pidfd = (int)syscall(SYS_pidfd_open, target, 0);
	pid_t pid = fork();
	if (pid == 0) {
		if (setresuid(uid, uid, uid) < 0)
			_exit(99);
		T(send_sig(folder, 0, 0));
		T(send_sig(folder, SIGTERM, 0));
		T(send_sig(pidfd, 0, 0));
		T(send_sig(pidfd, SIGTERM, 0));
		_exit(0);
	}
	reap("sender", pid);
	close(folder);
	close(pidfd);
}

int main(void)
{
	begin("its own /proc folder");
	signal(SIGUSR1, on_usr1);
	int self = proc_folder(getpid());
	T(send_sig(self, SIGUSR1, 0));
	/* on user-notify the sentry sends it just after answering: wait a
	 * moment for it, then count that it came once */
	for (int i = 0; i < 1000 && !got_usr1; i++)
		usleep(1000);
	usleep(20000);
	say("SIGUSR1 arrived: %d\n", got_usr1);
	T(send_sig(self, 0, 0));
	T(send_sig(self, 99, 0));
	close(self);

	begin("not a process");
	int file = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	T(send_sig(file, SIGUSR1, 0));
	close(file);
	int dir = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	T(send_sig(dir, SIGUSR1, 0));
	close(dir);
	T(send_sig(-1, SIGUSR1, 0));
	T(send_sig(1000, SIGUSR1, 0));

	begin("a child through its folder and its pidfd");
	pid_t child = waiting_child(-1);
	int folder = proc_folder(child);
	int pidfd = (int)syscall(SYS_pidfd_open, child, 0);
	T(send_sig(folder, 0, 0));
	T(send_sig(pidfd, 0, 0));
	send_as("uid 1000 to root's child", 1000, child);
	T(send_sig(folder, SIGKILL, 0));
	reap("root's child", child);
	T(send_sig(pidfd, 0, 0));
	close(folder);
	close(pidfd);

	begin("a user's child");
	child = waiting_child(1000);
	send_as("uid 1000 to its own user's child", 1000, child);
	send_as("uid 1001 to another user's child", 1001, child);
	kill(child, SIGKILL);
	reap("user's child", child);
	return 0;
}
