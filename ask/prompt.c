/* Questions on sentry's own controlling terminal.  The workload shares the
 * terminal (it may hold it as stdin, or open /dev/tty), so while a question
 * is up sentry's process group holds the foreground: a read by the
 * workload's group stops it with SIGTTIN instead of taking the answer.
 * Input typed before the question (or pushed by anyone) is flushed first;
 * the sandbox refuses TIOCSTI, so nothing can be pushed while it is up. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "ask.h"
#include "store.h"

static pthread_mutex_t one_question = PTHREAD_MUTEX_INITIALIZER;

/* Workload processes a question stopped (a read of the terminal: SIGTTIN),
 * continued once the terminal is theirs again. */
static pthread_mutex_t stops_lock = PTHREAD_MUTEX_INITIALIZER;
static bool question_up;
static pid_t stopped[64];
static int nstopped;
static double last_end;

static void say(int tty, const char *text)
{
	for (size_t len = strlen(text); len;) {
		ssize_t n = write(tty, text, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		text += n;
		len -= (size_t)n;
	}
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A line from the terminal before the deadline: its length, 0 for an empty
 * line, -1 at the deadline (or when the terminal went away). */
static int read_line(int tty, char *buf, size_t size, double deadline)
{
	for (;;) {
		double left = deadline - now();
		if (left <= 0)
			return -1;
		struct pollfd p = { .fd = tty, .events = POLLIN };
		int r = poll(&p, 1, (int)(left * 1000) + 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			continue;
		ssize_t n = read(tty, buf, size - 1);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return -1;
		buf[n] = 0;
		buf[strcspn(buf, "\r\n")] = 0;
		return (int)strlen(buf);
	}
}

/* "y", "yes", "a", "always", "n", "no", "": the answer, or -1. */
static int parse_answer(const char *text, bool offer_always)
{
	while (*text == ' ' || *text == '\t')
		text++;
	char word[16] = "";
	size_t n = 0;
	while (text[n] && text[n] != ' ' && text[n] != '\t' && n + 1 < sizeof(word)) {
		word[n] = text[n] >= 'A' && text[n] <= 'Z' ? text[n] - 'A' + 'a' : text[n];
		n++;
	}
	word[n] = 0;
	if (!word[0] || strcmp(word, "n") == 0 || strcmp(word, "no") == 0)
		return ASK_NO;
	if (strcmp(word, "y") == 0 || strcmp(word, "yes") == 0)
		return ASK_YES;
	if (offer_always && (strcmp(word, "a") == 0 || strcmp(word, "always") == 0))
		return ASK_ALWAYS;
	return -1;
}

void ask_job_stopped(pid_t pid)
{
	pthread_mutex_lock(&stops_lock);
	bool known = false;
	for (int i = 0; i < nstopped; i++)
		known |= stopped[i] == pid;
	if (question_up && !known && nstopped < (int)(sizeof(stopped) / sizeof(stopped[0])))
		stopped[nstopped++] = pid;
	else if (!question_up && last_end && now() - last_end < 2)
		kill(pid, SIGCONT); /* stopped by the question just ended */
	pthread_mutex_unlock(&stops_lock);
}

static void question_shown(bool up)
{
	pthread_mutex_lock(&stops_lock);
	question_up = up;
	if (!up) {
		for (int i = 0; i < nstopped; i++)
			kill(stopped[i], SIGCONT);
		nstopped = 0;
		last_end = now();
	}
	pthread_mutex_unlock(&stops_lock);
}

/* The terminal in the mode a line is typed in (the workload may have left
 * it raw), restored afterwards. */
static bool line_mode(int tty, struct termios *saved)
{
	if (tcgetattr(tty, saved) < 0)
		return false;
	struct termios t = *saved;
	t.c_lflag |= ICANON | ECHO | ECHOE | ECHOK;
	t.c_iflag |= ICRNL;
	t.c_iflag &= ~(unsigned)(INLCR | IGNCR);
	t.c_oflag |= OPOST | ONLCR;
	tcsetattr(tty, TCSANOW, &t);
	return true;
}

static enum ask_answer ask_on(int tty, const char *question, bool offer_always, enum ask_source *source)
{
	/* a background process may take the foreground only with SIGTTOU
	 * blocked or ignored */
	sigset_t tt, old;
	sigemptyset(&tt);
	sigaddset(&tt, SIGTTOU);
	sigaddset(&tt, SIGTTIN);
	pthread_sigmask(SIG_BLOCK, &tt, &old);
	pid_t owner = tcgetpgrp(tty), ours = getpgrp();
	question_shown(true);
	bool taken = owner > 0 && owner != ours && tcsetpgrp(tty, ours) == 0;
	struct termios saved;
	bool moded = line_mode(tty, &saved);

	char prompt[1024], answer[256];
	snprintf(prompt, sizeof(prompt), "\r\nsentry: %s [%s] ", question, offer_always ? "y/a/N: yes, always, no" : "y/N");
	double deadline = now() + ask_timeout();
	/* typed ahead, or pushed by the workload before it lost the
	 * foreground; what is typed once the question shows is the answer */
	tcflush(tty, TCIFLUSH);
	say(tty, prompt);
	int result = -1;
	while (result < 0) {
		int n = read_line(tty, answer, sizeof(answer), deadline);
		if (n < 0) {
			char line[96];
			snprintf(line, sizeof(line), "\r\nsentry: no answer in %g s: no\r\n", ask_timeout());
			say(tty, line);
			*source = ASK_BY_TIMEOUT;
			result = ASK_NO;
			break;
		}
		result = parse_answer(answer, offer_always);
		if (result < 0)
			say(tty, offer_always ? "sentry: answer y (yes, once), a (always) or n (no) " : "sentry: answer y or n ");
		else
			*source = ASK_BY_PERSON;
	}

	if (moded)
		tcsetattr(tty, TCSADRAIN, &saved);
	if (taken)
		tcsetpgrp(tty, owner);
	question_shown(false);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return (enum ask_answer)result;
}

bool ask_terminal_trylock(void) { return pthread_mutex_trylock(&one_question) == 0; }
void ask_terminal_unlock(void) { pthread_mutex_unlock(&one_question); }

enum ask_answer ask_person_held(const char *question, bool offer_always, enum ask_source *source)
{
	int tty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (tty < 0) {
		*source = ASK_BY_NO_TERMINAL;
		fprintf(stderr, "sentry: %s no (no terminal to ask on)\n", question);
		return ASK_NO;
	}
	enum ask_answer answer = ask_on(tty, question, offer_always, source);
	close(tty);
	return answer;
}

void ask_terminal_lock(void) { pthread_mutex_lock(&one_question); }

enum ask_answer ask_person(const char *question, bool offer_always, enum ask_source *source)
{
	ask_terminal_lock();
	enum ask_answer answer = ask_person_held(question, offer_always, source);
	ask_terminal_unlock();
	return answer;
}
