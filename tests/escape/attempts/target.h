/* Host processes the process attempts aim at: the bystander (pid given by
 * run.sh, with its environment's address) and our parent, which inside
 * the sandbox is the sentry. */
#ifndef TARGET_H
#define TARGET_H

#include "esc.h"

struct target {
	const char *name;
	pid_t pid;
	unsigned long env_start, env_end; /* 0 when unknown */
};

/* Fields 50 and 51 of /proc/<pid>/stat, when readable. */
static inline void env_from_stat(struct target *t)
{
	char p[64], buf[4096];
	snprintf(p, sizeof(p), "/proc/%d/stat", t->pid);
	int fd = open(p, O_RDONLY);
	if (fd < 0)
		return;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = 0;
	char *s = strrchr(buf, ')');
	if (!s)
		return;
	/* After ") " comes field 3; env_start is field 50. */
	int field = 2;
	for (char *tok = strtok(s + 1, " "); tok; tok = strtok(NULL, " ")) {
		field++;
		if (field == 50)
			t->env_start = strtoul(tok, NULL, 10);
		if (field == 51)
			t->env_end = strtoul(tok, NULL, 10);
	}
}

static inline int targets(struct target *t)
{
	t[0].name = "bystander";
	t[0].pid = (pid_t)arg_long("bystander");
	t[0].env_start = t[0].env_end = 0;
	sscanf(arg("bys_env"), "%lx:%lx", &t[0].env_start, &t[0].env_end);
	t[1].name = "parent";
	t[1].pid = getppid();
	t[1].env_start = t[1].env_end = 0;
	env_from_stat(&t[1]);
	say("targets: bystander %d (env %lx-%lx), parent %d (env %lx-%lx)\n", t[0].pid, t[0].env_start,
	    t[0].env_end, t[1].pid, t[1].env_start, t[1].env_end);
	return 2;
}

/* Prints a memory image of an environment block, NULs as newlines. */
static inline void show_env(const char *label, char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!buf[i])
			buf[i] = '\n';
	say("%s: %zu bytes:\n", label, n);
	out_raw(buf, n);
	say("\n");
}

#endif
