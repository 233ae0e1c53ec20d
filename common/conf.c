/*
 * conf.c — the configuration tree: errors, macros, argument readers and
 * the keyword-table walker.  The grammar itself is conf_parse.y.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/conf.h"
#include "common/conf_int.h"
#include "common/sc_limits.h"
#include "common/xmalloc.h"

struct macro {
	char *name;
	char *value;
	int quoted;
};

struct conf {
	struct conf_node *root;
	char **errors;
	size_t nerrors;
	int errors_capped;
	struct macro *macros;
	size_t nmacros;
	char **names; /* interned file names */
	size_t nnames;
};

struct conf *
conf_alloc(void)
{
	return xcalloc(1, sizeof(struct conf));
}

void
conf_set_root(struct conf *c, struct conf_node *root)
{
	c->root = root;
}

static void conf_vadd_error(struct conf *, const char *, va_list)
    __attribute__((format(printf, 2, 0)));

static void
conf_vadd_error(struct conf *c, const char *fmt, va_list ap)
{
	char *msg;

	if (c->nerrors >= SC_CONF_ERRORS_MAX) {
		c->errors_capped = 1;
		return;
	}
	if (vasprintf(&msg, fmt, ap) < 0)
		return;
	c->errors = xreallocarray(c->errors, c->nerrors + 1, sizeof(char *));
	c->errors[c->nerrors++] = msg;
}

void
conf_add_error(struct conf *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	conf_vadd_error(c, fmt, ap);
	va_end(ap);
}

void
conf_error_at(struct conf *c, const struct conf_node *n, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	conf_add_error(c, "%s:%d: %s", n->file, n->line, msg);
}

const char *
conf_intern(struct conf *c, const char *name)
{
	for (size_t i = 0; i < c->nnames; i++)
		if (strcmp(c->names[i], name) == 0)
			return c->names[i];
	c->names = xreallocarray(c->names, c->nnames + 1, sizeof(char *));
	c->names[c->nnames] = xstrdup(name);
	return c->names[c->nnames++];
}

void
conf_macro_set(struct conf *c, const char *name, const char *value, int quoted)
{
	for (size_t i = 0; i < c->nmacros; i++) {
		if (strcmp(c->macros[i].name, name) == 0) {
			free(c->macros[i].value);
			c->macros[i].value = xstrdup(value);
			c->macros[i].quoted = quoted;
			return;
		}
	}
	c->macros =
	    xreallocarray(c->macros, c->nmacros + 1, sizeof(*c->macros));
	c->macros[c->nmacros].name = xstrdup(name);
	c->macros[c->nmacros].value = xstrdup(value);
	c->macros[c->nmacros].quoted = quoted;
	c->nmacros++;
}

const char *
conf_macro_lookup(const struct conf *c, const char *name, int *quoted)
{
	for (size_t i = 0; i < c->nmacros; i++) {
		if (strcmp(c->macros[i].name, name) == 0) {
			if (quoted != NULL)
				*quoted = c->macros[i].quoted;
			return c->macros[i].value;
		}
	}
	return NULL;
}

const char *
conf_macro(const struct conf *c, const char *name)
{
	return conf_macro_lookup(c, name, NULL);
}

void
conf_node_free(struct conf_node *n)
{
	while (n != NULL) {
		struct conf_node *next = n->next;

		conf_node_free(n->child);
		for (size_t i = 0; i < n->nargs; i++)
			free(n->args[i]);
		free(n->args);
		free(n->quoted);
		free((char *)n->name);
		free(n);
		n = next;
	}
}

void
conf_free(struct conf *c)
{
	if (c == NULL)
		return;
	conf_node_free(c->root);
	for (size_t i = 0; i < c->nerrors; i++)
		free(c->errors[i]);
	free(c->errors);
	for (size_t i = 0; i < c->nmacros; i++) {
		free(c->macros[i].name);
		free(c->macros[i].value);
	}
	free(c->macros);
	for (size_t i = 0; i < c->nnames; i++)
		free(c->names[i]);
	free(c->names);
	free(c);
}

const struct conf_node *
conf_root(const struct conf *c)
{
	return c->root;
}

size_t
conf_nerrors(const struct conf *c)
{
	return c->nerrors;
}

const char *
conf_error(const struct conf *c, size_t i)
{
	return i < c->nerrors ? c->errors[i] : NULL;
}

size_t
conf_print_errors(const struct conf *c)
{
	for (size_t i = 0; i < c->nerrors; i++)
		fprintf(stderr, "%s\n", c->errors[i]);
	if (c->errors_capped)
		fprintf(stderr, "(more errors not shown)\n");
	return c->nerrors;
}

const struct conf_node *
conf_find(const struct conf_node *n, const char *name)
{
	for (; n != NULL; n = n->next)
		if (strcmp(n->name, name) == 0)
			return n;
	return NULL;
}

static int
arg_present(struct conf *c, const struct conf_node *n, size_t i)
{
	if (i < n->nargs)
		return 1;
	conf_error_at(c, n, "%s: missing argument %zu", n->name, i + 1);
	return 0;
}

int
conf_arg_int(struct conf *c, const struct conf_node *n, size_t i, long long min,
    long long max, long long *out)
{
	long long v;
	char *end;

	if (!arg_present(c, n, i))
		return -1;
	errno = 0;
	v = strtoll(n->args[i], &end, 10);
	if (n->args[i][0] == '\0' || *end != '\0' || errno != 0) {
		conf_error_at(
		    c, n, "%s: '%s' is not a number", n->name, n->args[i]);
		return -1;
	}
	if (v < min || v > max) {
		conf_error_at(c, n, "%s: %lld is out of range %lld..%lld",
		    n->name, v, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

int
conf_arg_size(struct conf *c, const struct conf_node *n, size_t i, uint64_t min,
    uint64_t max, uint64_t *out)
{
	unsigned long long v;
	uint64_t mul = 1;
	char *end;

	if (!arg_present(c, n, i))
		return -1;
	errno = 0;
	v = strtoull(n->args[i], &end, 10);
	if (n->args[i][0] < '0' || n->args[i][0] > '9' || errno != 0)
		goto bad;
	if (strcasecmp(end, "k") == 0 || strcasecmp(end, "kib") == 0)
		mul = 1024;
	else if (strcasecmp(end, "m") == 0 || strcasecmp(end, "mib") == 0)
		mul = 1024 * 1024;
	else if (strcasecmp(end, "g") == 0 || strcasecmp(end, "gib") == 0)
		mul = 1024ULL * 1024 * 1024;
	else if (*end != '\0' && strcasecmp(end, "b") != 0)
		goto bad;
	if (v > UINT64_MAX / mul)
		goto range;
	v *= mul;
	if (v < min || v > max)
		goto range;
	*out = v;
	return 0;
bad:
	conf_error_at(c, n, "%s: '%s' is not a size (like 64k, 16m)", n->name,
	    n->args[i]);
	return -1;
range:
	conf_error_at(c, n, "%s: %s is out of range %llu..%llu bytes", n->name,
	    n->args[i], (unsigned long long)min, (unsigned long long)max);
	return -1;
}

int
conf_arg_duration(
    struct conf *c, const struct conf_node *n, size_t i, int64_t *seconds)
{
	long long v;
	int64_t mul = 1;
	char *end;

	if (!arg_present(c, n, i))
		return -1;
	errno = 0;
	v = strtoll(n->args[i], &end, 10);
	if (n->args[i][0] < '0' || n->args[i][0] > '9' || errno != 0)
		goto bad;
	if (strcmp(end, "s") == 0 || *end == '\0')
		mul = 1;
	else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
		mul = 60;
	else if (strcmp(end, "h") == 0)
		mul = 3600;
	else if (strcmp(end, "d") == 0)
		mul = 86400;
	else if (strcmp(end, "y") == 0)
		mul = 365 * 86400;
	else
		goto bad;
	if (v > INT64_MAX / mul)
		goto bad;
	*seconds = v * mul;
	return 0;
bad:
	conf_error_at(c, n,
	    "%s: '%s' is not a duration (like 30s, 15m, 1h, "
	    "7d)",
	    n->name, n->args[i]);
	return -1;
}

int
conf_arg_bool(struct conf *c, const struct conf_node *n, size_t i, int *out)
{
	static const char *yes[] = { "yes", "on", "true", "1" };
	static const char *no[] = { "no", "off", "false", "0" };

	if (!arg_present(c, n, i))
		return -1;
	for (size_t k = 0; k < 4; k++) {
		if (strcasecmp(n->args[i], yes[k]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(n->args[i], no[k]) == 0) {
			*out = 0;
			return 0;
		}
	}
	conf_error_at(c, n, "%s: '%s' is not yes or no", n->name, n->args[i]);
	return -1;
}

size_t
conf_walk(struct conf *c, const struct conf_node *first,
    const struct conf_keyword *table, void *ctx)
{
	size_t before = conf_nerrors(c), nrows = 0;
	unsigned char *seen;

	while (table[nrows].name != NULL)
		nrows++;
	seen = xcalloc(nrows + 1, 1);
	for (const struct conf_node *n = first; n != NULL; n = n->next) {
		const struct conf_keyword *k = NULL;
		size_t row;

		for (row = 0; row < nrows; row++) {
			if (strcmp(table[row].name, n->name) == 0) {
				k = &table[row];
				break;
			}
		}
		if (k == NULL) {
			conf_error_at(c, n, "unknown keyword '%s'", n->name);
			continue;
		}
		if (k->once && seen[row]) {
			conf_error_at(
			    c, n, "%s: given more than once", n->name);
			continue;
		}
		seen[row] = 1;
		if ((int)n->nargs < k->min_args ||
		    (k->max_args >= 0 && (int)n->nargs > k->max_args)) {
			if (k->min_args == k->max_args)
				conf_error_at(c, n,
				    "%s: takes %d argument%s, "
				    "not %zu",
				    n->name, k->min_args,
				    k->min_args == 1 ? "" : "s", n->nargs);
			else if (k->max_args < 0)
				conf_error_at(c, n,
				    "%s: takes at least %d "
				    "argument%s, not %zu",
				    n->name, k->min_args,
				    k->min_args == 1 ? "" : "s", n->nargs);
			else
				conf_error_at(c, n,
				    "%s: takes %d to %d "
				    "arguments, not %zu",
				    n->name, k->min_args, k->max_args,
				    n->nargs);
			continue;
		}
		if (k->block == CONF_BLOCK_YES && !n->has_block) {
			conf_error_at(c, n, "%s: needs a { block }", n->name);
			continue;
		}
		if (k->block == CONF_BLOCK_NO && n->has_block) {
			conf_error_at(c, n, "%s: takes no { block }", n->name);
			continue;
		}
		if (k->fn != NULL)
			k->fn(c, n, ctx);
	}
	free(seen);
	return conf_nerrors(c) - before;
}
