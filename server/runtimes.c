/* The languages sentry serve offers: found on the host at start, and read
 * from a --runtimes file. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "server.h"

static struct runtime *runtimes;
static size_t nruntimes;

/* The folders the sandbox shows from the host: a runtime found elsewhere
 * (a pyenv shim, ~/.local) would not run inside. */
static const char *const system_path[] = { "/usr/local/bin", "/usr/bin", "/bin", NULL };

static char *find_program(const char *name)
{
	for (int i = 0; system_path[i]; i++) {
		char *path;
		if (asprintf(&path, "%s/%s", system_path[i], name) < 0)
			return NULL;
		if (access(path, X_OK) == 0)
			return path;
		free(path);
	}
	return NULL;
}

/* The first "N.N[.N]" in what `program flag` prints (a trusted host
 * program, run natively once at start). */
static char *program_version(const char *program, const char *flag)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0)
		return NULL;
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);
		dup2(null, 0);
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		execl(program, program, flag, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	char text[4096];
	size_t len = 0;
	ssize_t n;
	while (pid > 0 && len < sizeof(text) - 1 && (n = read(fds[0], text + len, sizeof(text) - 1 - len)) > 0)
		len += (size_t)n;
	text[len] = 0;
	close(fds[0]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	for (char *p = text; *p; p++) {
		if (*p < '0' || *p > '9')
			continue;
		size_t span = strspn(p, "0123456789.");
		while (span && p[span - 1] == '.')
			span--;
		if (memchr(p, '.', span))
			return strndup(p, span);
		p += span ? span - 1 : 0;
	}
	return NULL;
}

static char **strv(const char *const *items)
{
	size_t n = 0;
	while (items[n])
		n++;
	char **v = calloc(n + 1, sizeof(char *));
	for (size_t i = 0; v && i < n; i++)
		v[i] = strdup(items[i]);
	return v;
}

static void strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static void runtime_free(struct runtime *rt)
{
	free(rt->language);
	free(rt->version);
	free(rt->extension);
	strv_free(rt->aliases);
	strv_free(rt->compile);
	strv_free(rt->run);
}

/* Adds rt, replacing one of the same language and version. */
static int runtime_add(struct runtime *rt)
{
	for (size_t i = 0; i < nruntimes; i++) {
		if (strcmp(runtimes[i].language, rt->language) == 0 && strcmp(runtimes[i].version, rt->version) == 0) {
			runtime_free(&runtimes[i]);
			runtimes[i] = *rt;
			return 0;
		}
	}
	struct runtime *grown = realloc(runtimes, (nruntimes + 1) * sizeof(*runtimes));
	if (!grown)
		return -1;
	runtimes = grown;
	runtimes[nruntimes++] = *rt;
	return 0;
}

struct known {
	const char *language, *program, *version_flag, *extension;
	const char *aliases[6];
	const char *compile[8]; /* "%s" is the program's path */
	const char *run[6];
};

static const struct known known[] = {
	{ "python", "python3", "--version", ".py", { "py", "py3", "python3", NULL },
	  { NULL }, { "%s", "{file}", "{args}", NULL } },
	{ "javascript", "node", "--version", ".js", { "node-javascript", "node-js", "js", "node", NULL },
	  { NULL }, { "%s", "{file}", "{args}", NULL } },
	{ "bash", "bash", "--version", ".sh", { "sh", NULL },
	  { NULL }, { "%s", "{file}", "{args}", NULL } },
	{ "c", "gcc", "-dumpfullversion", ".c", { "gcc", NULL },
	  { "%s", "-O2", "-o", "a.out", "{files}", "-lm", NULL }, { "./a.out", "{args}", NULL } },
	{ "c++", "g++", "-dumpfullversion", ".cpp", { "cpp", "g++", NULL },
	  { "%s", "-O2", "-o", "a.out", "{files}", NULL }, { "./a.out", "{args}", NULL } },
	{ "perl", "perl", "--version", ".pl", { "pl", NULL },
	  { NULL }, { "%s", "{file}", "{args}", NULL } },
	{ "ruby", "ruby", "--version", ".rb", { "rb", NULL },
	  { NULL }, { "%s", "{file}", "{args}", NULL } },
	{ "php", "php", "--version", ".php", { NULL },
	  { NULL }, { "%s", "{file}", "{args}", NULL } },
	{ "lua", "lua", "-v", ".lua", { NULL },
	  { NULL }, { "%s", "{file}", "{args}", NULL } },
	{ "java", "java", "-version", ".java", { NULL },
	  { NULL }, { "%s", "{file}", "{args}", NULL } },
};

/* A template with "%s" replaced by the program's path. */
static char **with_program(const char *const *tmpl, const char *program)
{
	if (!tmpl[0])
		return NULL;
	char **v = strv(tmpl);
	for (size_t i = 0; v && v[i]; i++) {
		if (strcmp(v[i], "%s") == 0) {
			free(v[i]);
			v[i] = strdup(program);
		}
	}
	return v;
}

int runtimes_detect(void)
{
	for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++) {
		char *program = find_program(known[k].program);
		if (!program)
			continue;
		char *version = program_version(program, known[k].version_flag);
		if (!version) {
			free(program);
			continue;
		}
		struct runtime rt = {
			.language = strdup(known[k].language),
			.version = version,
			.aliases = strv(known[k].aliases),
			.extension = strdup(known[k].extension),
			.compile = with_program(known[k].compile, program),
			.run = with_program(known[k].run, program),
		};
		free(program);
		if (runtime_add(&rt) < 0)
			return -1;
	}
	return 0;
}

static char **json_strv(json_object *arr, bool *ok)
{
	if (!arr || json_object_get_type(arr) == json_type_null)
		return NULL;
	if (!json_object_is_type(arr, json_type_array)) {
		*ok = false;
		return NULL;
	}
	size_t n = json_object_array_length(arr);
	char **v = calloc(n + 1, sizeof(char *));
	for (size_t i = 0; v && i < n; i++) {
		json_object *item = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(item, json_type_string)) {
			*ok = false;
			break;
		}
		v[i] = strdup(json_object_get_string(item));
	}
	return v;
}

static const char *json_str(json_object *obj, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

int runtimes_load(const char *path)
{
	json_object *root = json_object_from_file(path);
	if (!root || !json_object_is_type(root, json_type_array)) {
		fprintf(stderr, "sentry: serve: --runtimes %s: %s\n", path,
			root ? "not a JSON array" : json_util_get_last_err());
		json_object_put(root);
		return -1;
	}
	for (size_t i = 0; i < json_object_array_length(root); i++) {
		json_object *item = json_object_array_get_idx(root, i), *field;
		const char *language = json_str(item, "language"), *version = json_str(item, "version");
		const char *extension = json_str(item, "extension");
		bool ok = language && version && *language && *version;
		struct runtime rt = { 0 };
		if (ok) {
			rt.aliases = json_strv(json_object_object_get_ex(item, "aliases", &field) ? field : NULL, &ok);
			rt.compile = json_strv(json_object_object_get_ex(item, "compile", &field) ? field : NULL, &ok);
			rt.run = json_strv(json_object_object_get_ex(item, "run", &field) ? field : NULL, &ok);
			ok = ok && rt.run && rt.run[0] && (!rt.compile || rt.compile[0]);
		}
		if (!ok) {
			fprintf(stderr, "sentry: serve: --runtimes %s: entry %zu needs language, version (strings) and run "
					"(an array of strings; compile and aliases too when given)\n", path, i);
			runtime_free(&rt);
			json_object_put(root);
			return -1;
		}
		if (!rt.aliases)
			rt.aliases = calloc(1, sizeof(char *));
		rt.language = strdup(language);
		rt.version = strdup(version);
		rt.extension = strdup(extension ? extension : "");
		if (runtime_add(&rt) < 0) {
			json_object_put(root);
			return -1;
		}
	}
	json_object_put(root);
	return 0;
}

size_t runtimes_count(void)
{
	return nruntimes;
}

const struct runtime *runtime_at(size_t i)
{
	return i < nruntimes ? &runtimes[i] : NULL;
}

/* Compares dotted versions part by part, numerically. */
static int version_cmp(const char *a, const char *b)
{
	while (*a || *b) {
		long x = strtol(a, (char **)&a, 10), y = strtol(b, (char **)&b, 10);
		if (x != y)
			return x < y ? -1 : 1;
		a += strcspn(a, ".");
		b += strcspn(b, ".");
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
		if (!*a != !*b)
			return *a ? 1 : -1;
	}
	return 0;
}

/* "*", or a prefix of the version's parts where x, X or * matches any. */
static bool version_matches(const char *version, const char *selector)
{
	if (strcmp(selector, "*") == 0 || strcmp(selector, version) == 0)
		return true;
	while (*selector) {
		size_t s = strcspn(selector, "."), v = strcspn(version, ".");
		if (!v)
			return false;
		bool any = s == 1 && strchr("xX*", selector[0]);
		if (!any && (s != v || strncmp(selector, version, s) != 0))
			return false;
		selector += s;
		version += v;
		if (*selector == '.')
			selector++;
		else if (*selector)
			return false;
		if (*version == '.')
			version++;
	}
	return true;
}

static bool names(const struct runtime *rt, const char *language)
{
	if (strcmp(rt->language, language) == 0)
		return true;
	for (size_t i = 0; rt->aliases && rt->aliases[i]; i++)
		if (strcmp(rt->aliases[i], language) == 0)
			return true;
	return false;
}

const struct runtime *runtime_find(const char *language, const char *selector)
{
	const struct runtime *best = NULL;
	for (size_t i = 0; i < nruntimes; i++) {
		const struct runtime *rt = &runtimes[i];
		if (names(rt, language) && version_matches(rt->version, selector) &&
		    (!best || version_cmp(rt->version, best->version) > 0))
			best = rt;
	}
	return best;
}

json_object *runtimes_json(void)
{
	json_object *arr = json_object_new_array();
	for (size_t i = 0; i < nruntimes; i++) {
		json_object *o = json_object_new_object(), *aliases = json_object_new_array();
		for (size_t a = 0; runtimes[i].aliases && runtimes[i].aliases[a]; a++)
			json_object_array_add(aliases, json_object_new_string(runtimes[i].aliases[a]));
		json_object_object_add(o, "language", json_object_new_string(runtimes[i].language));
		json_object_object_add(o, "version", json_object_new_string(runtimes[i].version));
		json_object_object_add(o, "aliases", aliases);
		if (strcmp(runtimes[i].language, "javascript") == 0)
			json_object_object_add(o, "runtime", json_object_new_string("node"));
		json_object_array_add(arr, o);
	}
	return arr;
}
