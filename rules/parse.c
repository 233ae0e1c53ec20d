/*
 * parse.c — one rule's text into a struct rule: split the header from the
 * option list, split the options at unquoted ';', find the sid first (so
 * every message can name it), then hand each option to the keyword table
 * in keywords.c and the header to header.c.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "rules/rules_int.h"

int
rule_fail(struct parse_ctx *ctx, enum rule_reject reason, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx->err, sizeof(ctx->err), fmt, ap);
	va_end(ap);
	ctx->reason = reason;
	return -1;
}

char *
rule_strtrim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	e = s + strlen(s);
	while (e > s &&
	    (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

int
rule_parse_u32(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	while (*end == ' ' || *end == '\t')
		end++;
	if (errno != 0 || *end != '\0' || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int
rule_parse_i32(const char *s, int32_t *out)
{
	char *end;
	long v;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!isdigit((unsigned char)*s) && *s != '-')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	while (*end == ' ' || *end == '\t')
		end++;
	if (errno != 0 || *end != '\0' || end == s || v > INT32_MAX ||
	    v < INT32_MIN)
		return -1;
	*out = (int32_t)v;
	return 0;
}

/* Glob with '*' and '?', case-sensitive as Sagan's program match is. */
int
rule_glob_match(const char *p, const char *s, size_t n)
{
	size_t i = 0;
	const char *star = NULL;
	size_t star_i = 0;

	while (i < n) {
		if (*p == '*') {
			star = p++;
			star_i = i;
		} else if (*p != '\0' && (*p == '?' || *p == s[i])) {
			p++;
			i++;
		} else if (star != NULL) {
			p = star + 1;
			i = ++star_i;
		} else
			return 0;
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

struct opt {
	char *kw;
	char *val; /* NULL for a bare keyword */
};

/*
 * Split "a:1; b; c:"x;y";" in place.  Quotes protect ';', a backslash
 * protects the next byte.  Returns the count, or -1 on an unterminated
 * quote or too many options.
 */
static int
split_options(char *s, struct opt *opts, int max)
{
	int n = 0, inq = 0;
	char *start = s, *p;

	for (p = s;; p++) {
		if (*p == '\\' && p[1] != '\0') {
			p++;
			continue;
		}
		if (*p == '"')
			inq = !inq;
		if (*p == '\0' || (*p == ';' && !inq)) {
			int end = *p == '\0';
			char *kw, *colon;

			*p = '\0';
			kw = rule_strtrim(start);
			if (*kw != '\0') {
				if (n == max)
					return -1;
				colon = strchr(kw, ':');
				/* a ':' inside quotes before any... keywords
				 * never contain quotes, so the first ':' ends
				 * the keyword */
				if (colon != NULL) {
					*colon = '\0';
					opts[n].val = rule_strtrim(colon + 1);
				} else
					opts[n].val = NULL;
				opts[n].kw = rule_strtrim(kw);
				n++;
			}
			if (end)
				break;
			start = p + 1;
		}
	}
	if (inq)
		return -1;
	return n;
}

#define OPTS_MAX 256

static void
prescan_sid(struct parse_ctx *ctx, const struct opt *opts, int n)
{
	uint32_t v;

	for (int i = 0; i < n; i++)
		if (strcmp(opts[i].kw, "sid") == 0 && opts[i].val != NULL &&
		    rule_parse_u32(opts[i].val, &v) == 0) {
			ctx->sid = v;
			return;
		}
}

struct rule *
rule_parse(struct parse_ctx *ctx, const char *text)
{
	struct rule *r;
	char *copy, *open, *close, *hdr;
	struct opt *opts = NULL;
	int n;

	ctx->sid = 0;
	ctx->err[0] = '\0';
	ctx->sticky = -1;
	ctx->last = NULL;
	ctx->last_meta = NULL;
	r = xcalloc(1, sizeof(*r));
	r->gid = 1;
	r->facility = r->level = -1;
	r->prefilter = -1;
	r->line = ctx->line;
	r->file = xstrdup(ctx->file);
	r->text = xstrdup(text);
	copy = xstrdup(text);
	open = strchr(copy, '(');
	close = strrchr(copy, ')');
	if (open == NULL || close == NULL || close < open) {
		rule_fail(ctx, RULE_REJ_SYNTAX, "no option list in ( )");
		goto fail;
	}
	/* "(...);" is common in Sagan's files and harmless */
	if (strcmp(rule_strtrim(close + 1), ";") != 0 &&
	    *rule_strtrim(close + 1) != '\0') {
		rule_fail(ctx, RULE_REJ_SYNTAX, "text after the option list");
		goto fail;
	}
	*open = '\0';
	*close = '\0';
	opts = xcalloc(OPTS_MAX, sizeof(*opts));
	n = split_options(open + 1, opts, OPTS_MAX);
	if (n < 0) {
		rule_fail(ctx, RULE_REJ_SYNTAX,
		    "unterminated quote or over %d options", OPTS_MAX);
		goto fail;
	}
	prescan_sid(ctx, opts, n);
	hdr = rule_strtrim(copy);
	if (rule_parse_header(ctx, r, hdr) == -1)
		goto fail;
	for (int i = 0; i < n; i++) {
		ctx->next_kw = i + 1 < n ? opts[i + 1].kw : NULL;
		if (rule_parse_option(ctx, r, opts[i].kw, opts[i].val) == -1)
			goto fail;
	}
	if (rule_finish(ctx, r) == -1)
		goto fail;
	free(opts);
	free(copy);
	return r;
fail:
	free(opts);
	free(copy);
	rule_free(r);
	return NULL;
}

static void
free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
rule_free(struct rule *r)
{
	if (r == NULL)
		return;
	free(r->msg);
	free(r->classtype);
	for (size_t i = 0; i < r->nmeta; i++) {
		free(r->meta[i].key);
		free(r->meta[i].value);
	}
	free(r->meta);
	free(r->file);
	free(r->text);
	rule_node_free(&r->src);
	rule_node_free(&r->sport);
	rule_node_free(&r->dst);
	rule_node_free(&r->dport);
	for (size_t i = 0; i < r->nelems; i++) {
		free(r->elems[i].pat);
		free(r->elems[i].re_src);
		pcre2_code_free(r->elems[i].re);
	}
	free(r->elems);
	free_strv(r->programs, r->nprograms);
	for (size_t i = 0; i < r->nmetas; i++)
		free_strv(r->metas[i].values, r->metas[i].nvalues);
	free(r->metas);
	for (size_t i = 0; i < r->nxbits; i++)
		free_strv(r->xbits[i].names, r->xbits[i].nnames);
	free(r->xbits);
	free(r);
}
