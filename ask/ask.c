/* What --ask decides, and what it remembers: "always" answers of this run
 * (by destination), and under --ask=auto the approvals file (by program
 * and destination). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ask.h"
#include "store.h"

static enum ask_mode mode;
static double timeout = ASK_DEFAULT_TIMEOUT;

/* Shared by the loop and the workers that ask. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned asked, automatic;
static char **always; /* destinations answered "always" in this run */
static size_t nalways;
static struct approvals remembered;
static bool remembered_loaded;

void ask_configure(enum ask_mode m, double seconds)
{
	mode = m;
	if (seconds > 0)
		timeout = seconds;
}

enum ask_mode ask_mode(void) { return mode; }
double ask_timeout(void) { return timeout; }

const char *ask_source_text(enum ask_source source)
{
	switch (source) {
	case ASK_BY_PERSON: return "the person at the terminal answered";
	case ASK_BY_TIMEOUT: return "no answer in time (--ask-timeout)";
	case ASK_BY_NO_TERMINAL: return "no terminal to ask on";
	case ASK_BY_RUN: return "answered always earlier in this run";
	case ASK_BY_APPROVALS: return "remembered in the approvals file (--ask=auto)";
	}
	return "?";
}

static void count(enum ask_source source)
{
	pthread_mutex_lock(&lock);
	if (source == ASK_BY_RUN || source == ASK_BY_APPROVALS)
		automatic++;
	else
		asked++;
	pthread_mutex_unlock(&lock);
}

void ask_counts(unsigned *a, unsigned *b)
{
	pthread_mutex_lock(&lock);
	*a = asked;
	*b = automatic;
	pthread_mutex_unlock(&lock);
}

void ask_stats_print(FILE *out)
{
	if (mode == ASK_OFF)
		return;
	unsigned a, b;
	ask_counts(&a, &b);
	fprintf(out, "sentry: questions asked %u, answered automatically %u\n", a, b);
}

static bool known_locked(const char *image_file, const char *dest, enum ask_source *source)
{
	for (size_t i = 0; i < nalways; i++) {
		if (strcmp(always[i], dest) == 0) {
			*source = ASK_BY_RUN;
			return true;
		}
	}
	if (mode != ASK_AUTO)
		return false;
	if (!remembered_loaded) {
		remembered_loaded = true; /* a bad file is said once, and not used */
		store_load(&remembered);
	}
	if (image_file && store_has(&remembered, image_file, dest)) {
		*source = ASK_BY_APPROVALS;
		return true;
	}
	return false;
}

bool ask_connection_known(const char *image_file, const char *dest, enum ask_source *source)
{
	pthread_mutex_lock(&lock);
	bool known = known_locked(image_file, dest, source);
	pthread_mutex_unlock(&lock);
	if (known)
		count(*source);
	return known;
}

/* A name the workload chose, fit for the person's screen: control
 * characters (C0, DEL, and C1 as UTF-8) would let it redraw the question. */
static void printable(const char *s, char *out, size_t size)
{
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && o + 1 < size; p++) {
		bool c1 = p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f;
		out[o++] = *p < 0x20 || *p == 0x7f || c1 ? '?' : (char)*p;
		p += c1;
	}
	out[o] = 0;
}

static void keep_always(const char *program, const char *image_file, const char *dest)
{
	pthread_mutex_lock(&lock);
	char **more = realloc(always, (nalways + 1) * sizeof(*more));
	if (more) {
		always = more;
		if ((always[nalways] = strdup(dest)))
			nalways++;
	}
	pthread_mutex_unlock(&lock);
	if (mode != ASK_AUTO)
		return;
	char shown[512];
	printable(program ? program : "a program", shown, sizeof(shown));
	if (!image_file) {
		fprintf(stderr, "sentry: %s may connect to %s for this run only: it is not a file of the image as the host has it, so no approval is kept for it\n",
			shown, dest);
		return;
	}
	char *path = approvals_path();
	if (store_add(image_file, dest) >= 0 && path)
		fprintf(stderr, "sentry: %s may connect to %s from now on (kept in %s)\n", shown, dest, path);
	free(path);
}

enum ask_answer ask_connection(const char *program, const char *image_file, pid_t pid, const char *dest,
			       enum ask_source *source)
{
	char question[768], shown[512];
	printable(program ? program : "a program", shown, sizeof(shown));
	snprintf(question, sizeof(question), "%s (pid %d) connects to %s, which --allow-net does not name. Allow?",
		 shown, (int)pid, dest);
	/* the question before this one may have answered for this one */
	ask_terminal_lock();
	if (ask_connection_known(image_file, dest, source)) {
		ask_terminal_unlock();
		return ASK_YES;
	}
	enum ask_answer answer = ask_person_held(question, true, source);
	count(*source);
	if (answer == ASK_ALWAYS)
		keep_always(program, image_file, dest);
	ask_terminal_unlock();
	return answer;
}

bool ask_apply_changes(const char *workspace, enum ask_source *source)
{
	char question[512];
	snprintf(question, sizeof(question), "apply these changes to %s?", workspace);
	enum ask_answer answer = ask_person(question, false, source);
	count(*source);
	return answer == ASK_YES;
}
