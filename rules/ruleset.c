/*
 * ruleset.c — reading rule files into a set: lines, '#' comments and
 * backslash continuations; each rule parsed (parse.c), bad ones reported
 * as "file:line: sid N: reason" and counted; duplicate gid:sid refused;
 * then compiled (compile_hs.c).  Also the set's reference count and its
 * lookups.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "rules/rules_int.h"

struct loader {
	struct ruleset *rs;
	const struct ruleset_opts *opts;
	struct parse_ctx ctx;
	struct rule_vars *vars;
	uint64_t *sids; /* open addressing set of gid<<32|sid, 0 empty */
	size_t sidcap, nsids;
	size_t cap;
	char *keytext; /* all rule text, for the cache key */
	size_t keylen, keycap;
	int fatal;
};

static int
sid_insert(struct loader *l, uint64_t key)
{
	size_t i;

	if ((l->nsids + 1) * 2 > l->sidcap) {
		uint64_t *old = l->sids;
		size_t oldcap = l->sidcap;

		l->sidcap = l->sidcap ? l->sidcap * 2 : 1024;
		l->sids = xcalloc(l->sidcap, sizeof(*l->sids));
		l->nsids = 0;
		for (i = 0; i < oldcap; i++)
			if (old[i] != 0)
				sid_insert(l, old[i]);
		free(old);
	}
	i = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 20) & (l->sidcap - 1);
	while (l->sids[i] != 0) {
		if (l->sids[i] == key)
			return -1;
		i = (i + 1) & (l->sidcap - 1);
	}
	l->sids[i] = key;
	l->nsids++;
	return 0;
}

static void
keytext_add(struct loader *l, const char *s, size_t n)
{
	if (l->keylen + n + 2 > l->keycap) {
		l->keycap = (l->keylen + n + 2) * 2;
		l->keytext = xreallocarray(l->keytext, l->keycap, 1);
	}
	memcpy(l->keytext + l->keylen, s, n);
	l->keylen += n;
	l->keytext[l->keylen++] = '\n';
}

static void
reject(struct loader *l, const char *file, int line)
{
	struct ruleset_stats *st = &l->rs->stats;

	st->rejected++;
	st->rejected_by[l->ctx.reason]++;
	if (l->opts->flags & RULESET_STRICT)
		l->fatal = 1;
	if (l->opts->on_error != NULL)
		l->opts->on_error(l->opts->on_error_arg, file, line, l->ctx.sid,
		    l->ctx.reason, l->ctx.err);
	else if (!(l->opts->flags & RULESET_QUIET))
		log_warnx(
		    "%s:%d: sid %u: %s", file, line, l->ctx.sid, l->ctx.err);
}

static void
add_rule_text(struct loader *l, const char *file, int line, const char *text)
{
	struct rule *r;

	l->ctx.file = file;
	l->ctx.line = line;
	r = rule_parse(&l->ctx, text);
	if (r == NULL) {
		reject(l, file, line);
		return;
	}
	if (sid_insert(l, (uint64_t)r->gid << 32 | r->sid) == -1) {
		rule_fail(&l->ctx, RULE_REJ_DUP_SID, "duplicate sid %u:%u",
		    r->gid, r->sid);
		rule_free(r);
		reject(l, file, line);
		return;
	}
	keytext_add(l, text, strlen(text));
	if (l->rs->nrules == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->rs->rules =
		    xreallocarray(l->rs->rules, l->cap, sizeof(*l->rs->rules));
	}
	r->idx = l->rs->nrules;
	l->rs->rules[l->rs->nrules++] = r;
}

/* Feed a whole file's text, line by line. */
static void
load_text(struct loader *l, const char *file, const char *text, size_t len)
{
	char *acc = NULL;
	size_t acclen = 0, acccap = 0;
	int line = 0, start = 0;
	const char *p = text, *end = text + len;
	int toolong = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl != NULL ? nl : end;
		size_t n;
		int cont;

		line++;
		n = (size_t)(e - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		cont = n > 0 && p[n - 1] == '\\';
		if (cont)
			n--;
		if (acclen == 0) {
			size_t i = 0;

			while (i < n && (p[i] == ' ' || p[i] == '\t'))
				i++;
			if (i == n || p[i] == '#') {
				/* comment or blank: one line only */
				p = nl != NULL ? nl + 1 : end;
				continue;
			}
			start = line;
			toolong = 0;
		}
		if (acclen + n + 2 > RULE_TEXT_MAX)
			toolong = 1;
		else {
			if (acclen + n + 2 > acccap) {
				acccap = (acclen + n + 2) * 2;
				acc = xreallocarray(acc, acccap, 1);
			}
			memcpy(acc + acclen, p, n);
			acclen += n;
			acc[acclen] = '\0';
		}
		p = nl != NULL ? nl + 1 : end;
		if (cont && p < end)
			continue;
		if (toolong) {
			l->ctx.sid = 0;
			rule_fail(&l->ctx, RULE_REJ_SYNTAX,
			    "rule longer than %d bytes", RULE_TEXT_MAX);
			reject(l, file, start);
		} else
			add_rule_text(l, file, start, acc);
		acclen = 0;
	}
	free(acc);
}

static int
read_file(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *b = NULL;
	size_t n = 0, cap = 0, got;

	if (f == NULL)
		return -1;
	for (;;) {
		if (cap - n < 65536) {
			cap = cap ? cap * 2 : 65536;
			b = xreallocarray(b, cap, 1);
		}
		got = fread(b + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		int e = errno;

		fclose(f);
		free(b);
		errno = e;
		return -1;
	}
	fclose(f);
	*out = b;
	*len = n;
	return 0;
}

static void
loader_init(struct loader *l, const struct ruleset_opts *opts)
{
	static const struct ruleset_opts none = { RULESET_LOG, NULL, 0, NULL,
		NULL, NULL };

	memset(l, 0, sizeof(*l));
	l->opts = opts != NULL ? opts : &none;
	l->rs = xcalloc(1, sizeof(*l->rs));
	l->rs->refs = 1;
	l->rs->flags = l->opts->flags;
	if (!(l->rs->flags & (RULESET_LOG | RULESET_PACKET)))
		l->rs->flags |= RULESET_LOG;
	l->vars = rule_vars_new(
	    l->opts->vars, l->opts->nvars, l->rs->flags & RULESET_PACKET);
	l->ctx.vars = l->vars;
	l->ctx.domain = l->rs->flags & (RULESET_LOG | RULESET_PACKET);
}

static struct ruleset *
loader_finish(struct loader *l, struct ruleset_stats *stats)
{
	struct ruleset *rs = l->rs;
	char *vt;
	int failed = l->fatal;

	rs->stats.loaded = rs->nrules;
	rs->stats.ignored_keywords = l->ctx.ignored;
	for (size_t i = 0; i < rs->nrules; i++) {
		const struct rule *r = rs->rules[i];

		if (r->is_log != ((rs->flags & RULESET_LOG) != 0))
			rs->stats.other_domain++;
		for (size_t j = 0; j < r->nelems; j++)
			if (r->elems[j].kind == ELEM_PCRE)
				rs->stats.pcre++;
	}
	vt = rule_vars_text(l->vars);
	keytext_add(l, vt, strlen(vt));
	free(vt);
	keytext_add(l, rs->flags & RULESET_PACKET ? "packet" : "log", 3);
	if (!failed &&
	    ruleset_compile(rs,
		(rs->flags & RULESET_NO_CACHE) ? NULL : l->opts->cache_dir,
		l->keytext, l->keylen) == -1)
		failed = 1;
	if (stats != NULL)
		*stats = rs->stats;
	free(l->sids);
	free(l->keytext);
	rule_vars_free(l->vars);
	if (failed) {
		if (l->fatal)
			log_warnx("rules: %zu bad rule(s) in strict mode",
			    rs->stats.rejected);
		ruleset_unref(rs);
		return NULL;
	}
	return rs;
}

struct ruleset *
ruleset_load(const char *const *paths, size_t npaths,
    const struct ruleset_opts *opts, struct ruleset_stats *stats)
{
	struct loader l;

	loader_init(&l, opts);
	for (size_t i = 0; i < npaths; i++) {
		char *text;
		size_t len;

		if (read_file(paths[i], &text, &len) == -1) {
			log_warn("rules: %s", paths[i]);
			l.fatal = 1;
			continue;
		}
		l.rs->stats.files++;
		load_text(&l, paths[i], text, len);
		free(text);
	}
	return loader_finish(&l, stats);
}

struct ruleset *
ruleset_load_string(const char *name, const char *text,
    const struct ruleset_opts *opts, struct ruleset_stats *stats)
{
	struct loader l;

	loader_init(&l, opts);
	l.rs->stats.files = 1;
	load_text(&l, name, text, strlen(text));
	return loader_finish(&l, stats);
}

struct ruleset *
ruleset_ref(struct ruleset *rs)
{
	__atomic_add_fetch(&rs->refs, 1, __ATOMIC_RELAXED);
	return rs;
}

void
ruleset_unref(struct ruleset *rs)
{
	if (rs == NULL ||
	    __atomic_sub_fetch(&rs->refs, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	for (size_t i = 0; i < rs->nrules; i++)
		rule_free(rs->rules[i]);
	free(rs->rules);
	for (int b = 0; b < RULE_BUF_COUNT; b++)
		for (int m = 0; m < 2; m++)
			hs_free_database(rs->db[b][m]);
	for (int p = 0; p < RULE_PROTO_COUNT; p++) {
		free(rs->unf_pkt[p]);
		free(rs->unf_anyport[p]);
		free(rs->unf_ports[p]);
		free(rs->unf_byport[p]);
	}
	free(rs->unf_log);
	hs_free_database(rs->progdb);
	free(rs->dropped);
	free(rs);
}

const struct ruleset_stats *
ruleset_stats(const struct ruleset *rs)
{
	return &rs->stats;
}

size_t
ruleset_count(const struct ruleset *rs)
{
	return rs->nrules;
}

const struct rule *
ruleset_rule(const struct ruleset *rs, size_t idx)
{
	return idx < rs->nrules ? rs->rules[idx] : NULL;
}

const struct rule *
ruleset_find_sid(const struct ruleset *rs, uint32_t gid, uint32_t sid)
{
	for (size_t i = 0; i < rs->nrules; i++)
		if (rs->rules[i]->sid == sid && rs->rules[i]->gid == gid)
			return rs->rules[i];
	return NULL;
}

const struct hs_database *
ruleset_hs_db(const struct ruleset *rs, enum rule_buf b, int mode)
{
	if ((unsigned)b >= RULE_BUF_COUNT || mode < 0 || mode > 1)
		return NULL;
	return rs->db[b][mode];
}

const struct rule *const *
ruleset_unfiltered_anyport(
    const struct ruleset *rs, enum rule_proto p, size_t *n)
{
	if ((unsigned)p >= RULE_PROTO_COUNT) {
		*n = 0;
		return NULL;
	}
	*n = rs->nunf_anyport[p];
	return rs->unf_anyport[p];
}

const struct rule *const *
ruleset_unfiltered_port(
    const struct ruleset *rs, enum rule_proto p, uint16_t dport, size_t *n)
{
	size_t lo = 0, hi, end;

	*n = 0;
	if ((unsigned)p >= RULE_PROTO_COUNT)
		return NULL;
	hi = rs->nunf_byport[p];
	while (lo < hi) { /* first entry with port >= dport */
		size_t mid = lo + (hi - lo) / 2;

		if (rs->unf_ports[p][mid] < dport)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo;
	     end < rs->nunf_byport[p] && rs->unf_ports[p][end] == dport; end++)
		;
	*n = end - lo;
	return *n > 0 ? rs->unf_byport[p] + lo : NULL;
}

const struct rule *const *
ruleset_unfiltered_packet(
    const struct ruleset *rs, enum rule_proto p, size_t *n)
{
	if ((unsigned)p >= RULE_PROTO_COUNT) {
		*n = 0;
		return NULL;
	}
	*n = rs->nunf_pkt[p];
	return rs->unf_pkt[p];
}
