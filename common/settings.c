/*
 * settings.c — the top level of seccloud.conf.  See settings.h.
 */
#include "config.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/conf.h"
#include "common/log.h"
#include "common/settings.h"
#include "common/timeutil.h"
#include "common/xmalloc.h"

#define DEFAULT_USER "_seccloud"
#define DEFAULT_POLICY "policies/example/policy.conf"
#define DEFAULT_RULES "rules/sets/*.rules"

static int
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *
settings_sharedir(void)
{
	static char *dir;
	const char *env = getenv("SECCLOUD_SHAREDIR");
	char *probe;

	if (env != NULL && *env != '\0')
		return env;
	if (dir != NULL)
		return dir;
	xasprintf(&probe, "%s/rules/sets", SC_DATADIR);
	dir = xstrdup(is_dir(probe) ? SC_DATADIR : SC_SRCDIR);
	free(probe);
	return dir;
}

static void
add_rules(struct settings *s, const char *pattern)
{
	glob_t g;

	memset(&g, 0, sizeof(g));
	if (glob(pattern, 0, NULL, &g) != 0 || g.gl_pathc == 0) {
		/* Not a glob, or nothing matched: keep it, so the rule loader
		 * reports the missing file by name. */
		if (strpbrk(pattern, "*?[") == NULL) {
			s->rules = xreallocarray(
			    s->rules, s->nrules + 1, sizeof(char *));
			s->rules[s->nrules++] = xstrdup(pattern);
		}
		globfree(&g);
		return;
	}
	for (size_t i = 0; i < g.gl_pathc; i++) {
		s->rules =
		    xreallocarray(s->rules, s->nrules + 1, sizeof(char *));
		s->rules[s->nrules++] = xstrdup(g.gl_pathv[i]);
	}
	globfree(&g);
}

/* A relative path in the file is taken from the file's directory. */
static char *
resolve(const struct conf_node *n, const char *path)
{
	const char *slash;
	char *out;

	if (path[0] == '/' || (slash = strrchr(n->file, '/')) == NULL)
		return xstrdup(path);
	xasprintf(&out, "%.*s/%s", (int)(slash - n->file), n->file, path);
	return out;
}

static int
kw_datadir(struct conf *c, const struct conf_node *n, void *arg)
{
	struct settings *s = arg;

	free(s->datadir);
	s->datadir = resolve(n, n->args[0]);
	return 0;
}

static int
kw_user(struct conf *c, const struct conf_node *n, void *arg)
{
	struct settings *s = arg;

	free(s->user);
	s->user = xstrdup(n->args[0]);
	return 0;
}

static int
kw_timezone(struct conf *c, const struct conf_node *n, void *arg)
{
	struct settings *s = arg;

	if (time_parse_tzoff(n->args[0], &s->tzoff) == -1) {
		conf_error_at(c, n,
		    "timezone: '%s' is not a zone (+09:00, "
		    "UTC, JST, Asia/Tokyo)",
		    n->args[0]);
		return -1;
	}
	return 0;
}

static int
kw_policy(struct conf *c, const struct conf_node *n, void *arg)
{
	struct settings *s = arg;

	free(s->policy);
	s->policy = resolve(n, n->args[0]);
	return 0;
}

static int
kw_rules(struct conf *c, const struct conf_node *n, void *arg)
{
	struct settings *s = arg;

	for (size_t i = 0; i < n->nargs; i++) {
		char *p = resolve(n, n->args[i]);

		add_rules(s, p);
		free(p);
	}
	s->rules_given = 1;
	return 0;
}

static int
kw_strict(struct conf *c, const struct conf_node *n, void *arg)
{
	((struct settings *)arg)->strict_rules = 1;
	return 0;
}

static int
kw_var(struct conf *c, const struct conf_node *n, void *arg)
{
	struct settings *s = arg;

	for (size_t i = 0; i < s->nvars; i++) {
		if (strcmp(s->vars[i].name, n->args[0]) == 0) {
			conf_error_at(
			    c, n, "var %s: defined twice", n->args[0]);
			return -1;
		}
	}
	s->vars = xreallocarray(s->vars, s->nvars + 1, sizeof(*s->vars));
	s->vars[s->nvars].name = xstrdup(n->args[0]);
	s->vars[s->nvars].value = xstrdup(n->args[1]);
	s->nvars++;
	return 0;
}

static int
kw_collector(struct conf *c, const struct conf_node *n, void *arg)
{
	((struct settings *)arg)->collector = n;
	return 0;
}

static int
kw_web(struct conf *c, const struct conf_node *n, void *arg)
{
	((struct settings *)arg)->web = n;
	return 0;
}

static int
kw_sensor(struct conf *c, const struct conf_node *n, void *arg)
{
	struct settings *s = arg;

	if (s->sensors == NULL)
		s->sensors = n;
	return 0;
}

static int
kw_loglevel(struct conf *c, const struct conf_node *n, void *arg)
{
	struct settings *s = arg;

	if (strcmp(n->args[0], "debug") == 0)
		s->log_level = LOG_LEVEL_DEBUG;
	else if (strcmp(n->args[0], "info") == 0)
		s->log_level = LOG_LEVEL_INFO;
	else if (strcmp(n->args[0], "warning") == 0)
		s->log_level = LOG_LEVEL_WARN;
	else {
		conf_error_at(c, n,
		    "log-level: '%s' is not debug, info or "
		    "warning",
		    n->args[0]);
		return -1;
	}
	return 0;
}

static const struct conf_keyword top_keywords[] = {
	{ "datadir", 1, 1, CONF_BLOCK_NO, 1, kw_datadir },
	{ "user", 1, 1, CONF_BLOCK_NO, 1, kw_user },
	{ "timezone", 1, 1, CONF_BLOCK_NO, 1, kw_timezone },
	{ "policy", 1, 1, CONF_BLOCK_NO, 1, kw_policy },
	{ "rules", 1, -1, CONF_BLOCK_NO, 0, kw_rules },
	{ "rules-strict", 0, 0, CONF_BLOCK_NO, 1, kw_strict },
	{ "var", 2, 2, CONF_BLOCK_NO, 0, kw_var },
	{ "log-level", 1, 1, CONF_BLOCK_NO, 1, kw_loglevel },
	{ "collector", 0, 0, CONF_BLOCK_YES, 1, kw_collector },
	{ "web", 0, 0, CONF_BLOCK_YES, 1, kw_web },
	{ "sensor", 1, 1, CONF_BLOCK_YES, 0, kw_sensor },
	{ NULL, 0, 0, 0, 0, NULL }
};

static void
defaults(struct settings *s)
{
	char *p;

	if (s->datadir == NULL)
		s->datadir = xstrdup(SC_LOCALSTATEDIR);
	if (s->user == NULL)
		s->user = xstrdup(DEFAULT_USER);
	if (s->policy == NULL)
		xasprintf(
		    &s->policy, "%s/%s", settings_sharedir(), DEFAULT_POLICY);
	if (!s->rules_given) {
		xasprintf(&p, "%s/%s", settings_sharedir(), DEFAULT_RULES);
		add_rules(s, p);
		free(p);
	}
}

struct settings *
settings_load(const char *path)
{
	struct settings *s = xcalloc(1, sizeof(*s));

	s->tzoff = TIME_JST_OFFSET;
	s->log_level = LOG_LEVEL_INFO;
	if (path != NULL) {
		s->path = xstrdup(path);
		if ((s->conf = conf_parse_file(path)) == NULL) {
			log_warn("%s", path);
			settings_free(s);
			return NULL;
		}
		conf_walk(s->conf, conf_root(s->conf), top_keywords, s);
		if (conf_print_errors(s->conf) > 0) {
			settings_free(s);
			return NULL;
		}
	}
	defaults(s);
	return s;
}

void
settings_free(struct settings *s)
{
	if (s == NULL)
		return;
	free(s->path);
	free(s->datadir);
	free(s->user);
	free(s->policy);
	for (size_t i = 0; i < s->nrules; i++)
		free(s->rules[i]);
	free(s->rules);
	for (size_t i = 0; i < s->nvars; i++) {
		free(s->vars[i].name);
		free(s->vars[i].value);
	}
	free(s->vars);
	conf_free(s->conf);
	free(s);
}

const char *
settings_var(const struct settings *s, const char *name)
{
	for (size_t i = 0; i < s->nvars; i++)
		if (strcmp(s->vars[i].name, name) == 0)
			return s->vars[i].value;
	return NULL;
}
