/*
 * keywords.c — the rule options, one row per keyword in a static table of
 * handlers (Suricata's sigmatch_table).  A row says which domain the
 * keyword belongs to (log, packet or both) and whether it is
 * accepted-and-ignored (counted) or refused with a reason.  The decisions
 * for keywords found in real Sagan and Snort rule sets are in the table.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/xmalloc.h"
#include "rules/rules_int.h"

#define KW_LOG 0x01 /* a log keyword: the rule is a log rule */
#define KW_PKT 0x02 /* a packet keyword */
#define KW_NOVAL 0x04 /* takes no value */
#define KW_VAL 0x08 /* needs a value */
#define KW_IGNORE 0x10 /* accepted, ignored, counted */
#define KW_REFUSE 0x20 /* rejected: reason in .why */

typedef int (*kw_fn)(struct parse_ctx *, struct rule *, char *);

struct keyword {
	const char *name;
	kw_fn fn;
	unsigned flags;
	const char *why; /* for KW_REFUSE and KW_IGNORE: the decision */
};

static char *
unquote(char *v)
{
	size_t n = strlen(v);
	char *w, *r;

	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		v[n - 1] = '\0';
		v++;
	}
	for (r = w = v; *r != '\0'; r++) {
		if (*r == '\\' && r[1] != '\0')
			r++;
		*w++ = *r;
	}
	*w = '\0';
	return v;
}

static int
kw_msg(struct parse_ctx *ctx, struct rule *r, char *v)
{
	(void)ctx;
	free(r->msg);
	r->msg = xstrdup(unquote(v));
	return 0;
}

static int
u32_or_fail(struct parse_ctx *ctx, const char *kw, char *v, uint32_t *out)
{
	if (rule_parse_u32(v, out) == -1)
		return rule_fail(ctx, RULE_REJ_BAD_VALUE,
		    "%s: \"%s\" is not a number", kw, v);
	return 0;
}

static int
kw_sid(struct parse_ctx *ctx, struct rule *r, char *v)
{
	if (u32_or_fail(ctx, "sid", v, &r->sid) == -1)
		return -1;
	if (r->sid == 0)
		return rule_fail(
		    ctx, RULE_REJ_BAD_VALUE, "sid: 0 is not valid");
	return 0;
}

static int
kw_rev(struct parse_ctx *ctx, struct rule *r, char *v)
{
	return u32_or_fail(ctx, "rev", v, &r->rev);
}

static int
kw_gid(struct parse_ctx *ctx, struct rule *r, char *v)
{
	return u32_or_fail(ctx, "gid", v, &r->gid);
}

static int
kw_priority(struct parse_ctx *ctx, struct rule *r, char *v)
{
	uint32_t p;

	if (u32_or_fail(ctx, "priority", v, &p) == -1)
		return -1;
	if (p > 255)
		return rule_fail(
		    ctx, RULE_REJ_BAD_VALUE, "priority: %u over 255", p);
	r->priority = (int)p;
	return 0;
}

static int
kw_classtype(struct parse_ctx *ctx, struct rule *r, char *v)
{
	(void)ctx;
	free(r->classtype);
	r->classtype = xstrdup(v);
	return 0;
}

static int
kw_reference(struct parse_ctx *ctx, struct rule *r, char *v)
{
	(void)ctx;
	(void)r;
	(void)v;
	return 0; /* documentation only */
}

static int
kw_metadata(struct parse_ctx *ctx, struct rule *r, char *v)
{
	char *item, *p = v;

	while (p != NULL) {
		char *sp;

		item = p;
		p = strchr(p, ',');
		if (p != NULL)
			*p++ = '\0';
		item = rule_strtrim(item);
		if (*item == '\0')
			continue;
		if (r->nmeta == RULE_META_MAX)
			return rule_fail(ctx, RULE_REJ_BAD_VALUE,
			    "metadata: over %d entries", RULE_META_MAX);
		sp = item + strcspn(item, " \t");
		r->meta =
		    xreallocarray(r->meta, r->nmeta + 1, sizeof(*r->meta));
		r->meta[r->nmeta].key = xstrndup(item, (size_t)(sp - item));
		r->meta[r->nmeta].value = xstrdup(rule_strtrim(sp));
		r->nmeta++;
	}
	return 0;
}

static struct rule_elem *
new_elem(struct parse_ctx *ctx, struct rule *r, int kind)
{
	struct rule_elem *e;

	if (r->nelems == RULE_ELEMS_MAX) {
		rule_fail(ctx, RULE_REJ_BAD_VALUE,
		    "over %d content/pcre options", RULE_ELEMS_MAX);
		return NULL;
	}
	r->elems = xreallocarray(r->elems, r->nelems + 1, sizeof(*r->elems));
	e = &r->elems[r->nelems++];
	memset(e, 0, sizeof(*e));
	e->kind = (uint8_t)kind;
	e->buf = (uint8_t)(ctx->sticky >= 0 ? ctx->sticky : RULE_BUF_PAYLOAD);
	ctx->last = e;
	return e;
}

static int
add_content(struct parse_ctx *ctx, struct rule *r, char *v, int buf)
{
	struct rule_elem *e;
	int neg = 0;

	v = rule_strtrim(v);
	if (*v == '!') {
		neg = 1;
		v = rule_strtrim(v + 1);
	}
	if ((e = new_elem(ctx, r, ELEM_CONTENT)) == NULL)
		return -1;
	if (neg)
		e->flags |= ELEM_NEG;
	if (buf >= 0)
		e->buf = (uint8_t)buf;
	return rule_unescape_content(ctx, v, &e->pat, &e->patlen);
}

static int
kw_content(struct parse_ctx *ctx, struct rule *r, char *v)
{
	return add_content(ctx, r, v, -1);
}

static int
kw_uricontent(struct parse_ctx *ctx, struct rule *r, char *v)
{
	r->kwflags |= RULE_F_PKTKW;
	return add_content(ctx, r, v, RULE_BUF_HTTP_URI);
}

static int
kw_pcre(struct parse_ctx *ctx, struct rule *r, char *v)
{
	struct rule_elem *e;
	int neg = 0;

	v = rule_strtrim(v);
	if (*v == '!') {
		neg = 1;
		v = rule_strtrim(v + 1);
	}
	if ((e = new_elem(ctx, r, ELEM_PCRE)) == NULL)
		return -1;
	if (neg)
		e->flags |= ELEM_NEG;
	if (rule_parse_pcre(ctx, e, v) == -1)
		return -1;
	if (e->buf != RULE_BUF_PAYLOAD)
		r->kwflags |= RULE_F_PKTKW;
	return 0;
}

static struct rule_elem *
last_content(struct parse_ctx *ctx, const char *kw)
{
	if (ctx->last == NULL || ctx->last->kind != ELEM_CONTENT) {
		rule_fail(
		    ctx, RULE_REJ_SYNTAX, "%s without a content before it", kw);
		return NULL;
	}
	return ctx->last;
}

static int
kw_nocase(struct parse_ctx *ctx, struct rule *r, char *v)
{
	struct rule_elem *e;

	(void)r;
	(void)v;
	/* Sagan's files put nocase after a pcre; its own flags decide. */
	if (ctx->last != NULL && ctx->last->kind == ELEM_PCRE) {
		ctx->ignored++;
		return 0;
	}
	if ((e = last_content(ctx, "nocase")) == NULL)
		return -1;
	e->flags |= ELEM_NOCASE;
	return 0;
}

/*
 * fast_pattern: this content is the rule's prefilter literal.
 * "fast_pattern:off,len" takes bytes off..off+len-1 of it as the literal
 * (the whole content is still confirmed); "fast_pattern:only" is Snort's
 * "never evaluate again": we confirm it anyway, which gives the same
 * answer, so it is the plain form.
 */
static int
kw_fast_pattern(struct parse_ctx *ctx, struct rule *r, char *v)
{
	struct rule_elem *e = last_content(ctx, "fast_pattern");
	char *comma;

	(void)r;
	if (e == NULL)
		return -1;
	if (e->flags & ELEM_NEG)
		return rule_fail(ctx, RULE_REJ_BAD_VALUE,
		    "fast_pattern on a negated content");
	if (e->flags & ELEM_FAST)
		return rule_fail(ctx, RULE_REJ_BAD_VALUE,
		    "fast_pattern given twice for one content");
	e->flags |= ELEM_FAST;
	if (v == NULL || *(v = rule_strtrim(v)) == '\0' ||
	    strcmp(v, "only") == 0)
		return 0;
	if ((comma = strchr(v, ',')) == NULL)
		return rule_fail(ctx, RULE_REJ_BAD_VALUE,
		    "fast_pattern: \"%s\" is neither only nor off,len", v);
	*comma++ = '\0';
	if (rule_parse_i32(rule_strtrim(v), &e->fp_off) == -1 ||
	    rule_parse_i32(rule_strtrim(comma), &e->fp_len) == -1 ||
	    e->fp_off < 0 || e->fp_len <= 0 ||
	    (size_t)e->fp_off + (size_t)e->fp_len > e->patlen)
		return rule_fail(ctx, RULE_REJ_BAD_VALUE,
		    "fast_pattern: off,len must lie inside the %zu-byte "
		    "content",
		    e->patlen);
	return 0;
}

static int
position(struct parse_ctx *ctx, char *v, const char *kw, unsigned flag)
{
	struct rule_elem *e = last_content(ctx, kw);
	int32_t n;

	if (e == NULL)
		return -1;
	if (rule_parse_i32(v, &n) == -1)
		return rule_fail(ctx, RULE_REJ_BAD_VALUE,
		    "%s: \"%s\" is not a number", kw, v);
	if (e->flags & flag)
		return rule_fail(ctx, RULE_REJ_BAD_VALUE,
		    "%s given twice for one content", kw);
	if (flag != ELEM_HAS_DISTANCE && n < 0)
		return rule_fail(
		    ctx, RULE_REJ_BAD_VALUE, "%s: %d is negative", kw, n);
	e->flags |= (uint16_t)flag;
	switch (flag) {
	case ELEM_HAS_OFFSET:
		e->offset = n;
		break;
	case ELEM_HAS_DEPTH:
		if ((size_t)n < e->patlen)
			return rule_fail(ctx, RULE_REJ_BAD_VALUE,
			    "depth %d shorter than the content (%zu)", n,
			    e->patlen);
		e->depth = n;
		break;
	case ELEM_HAS_DISTANCE:
		e->distance = n;
		e->flags |= ELEM_RELATIVE;
		break;
	default:
		if ((size_t)n < e->patlen)
			return rule_fail(ctx, RULE_REJ_BAD_VALUE,
			    "within %d shorter than the content (%zu)", n,
			    e->patlen);
		e->within = n;
		e->flags |= ELEM_RELATIVE;
		break;
	}
	if ((e->flags & ELEM_RELATIVE) &&
	    (e->flags & (ELEM_HAS_OFFSET | ELEM_HAS_DEPTH)))
		return rule_fail(ctx, RULE_REJ_BAD_VALUE,
		    "offset/depth mixed with distance/within on one content");
	return 0;
}

static int
kw_offset(struct parse_ctx *ctx, struct rule *r, char *v)
{
	(void)r;
	return position(ctx, v, "offset", ELEM_HAS_OFFSET);
}

static int
kw_depth(struct parse_ctx *ctx, struct rule *r, char *v)
{
	(void)r;
	return position(ctx, v, "depth", ELEM_HAS_DEPTH);
}

static int
kw_distance(struct parse_ctx *ctx, struct rule *r, char *v)
{
	(void)r;
	return position(ctx, v, "distance", ELEM_HAS_DISTANCE);
}

static int
kw_within(struct parse_ctx *ctx, struct rule *r, char *v)
{
	(void)r;
	return position(ctx, v, "within", ELEM_HAS_WITHIN);
}

/* Sticky buffers (http.uri; content:...) and the old modifiers
 * (content:...; http_uri;), one table of names. */
struct bufname {
	const char *sticky; /* Suricata 5+ name */
	const char *modifier; /* old content modifier, or NULL */
	const char *legacy_sticky; /* old sticky name, or NULL */
	enum rule_buf buf;
};

static const struct bufname bufnames[] = {
	{ "http.uri", "http_uri", NULL, RULE_BUF_HTTP_URI },
	{ "http.host", "http_host", NULL, RULE_BUF_HTTP_HOST },
	{ "http.method", "http_method", NULL, RULE_BUF_HTTP_METHOD },
	{ "http.user_agent", "http_user_agent", NULL, RULE_BUF_HTTP_UA },
	{ "dns.query", NULL, "dns_query", RULE_BUF_DNS_QUERY },
	{ "tls.sni", NULL, "tls_sni", RULE_BUF_TLS_SNI },
	{ "http.stat_code", "http_stat_code", NULL, RULE_BUF_HTTP_STAT_CODE },
	{ "http.stat_msg", "http_stat_msg", NULL, RULE_BUF_HTTP_STAT_MSG },
	{ "http.content_type", NULL, "http_content_type", RULE_BUF_HTTP_CTYPE },
	{ "pkt_data", NULL, NULL, RULE_BUF_PAYLOAD },
};

static const struct bufname *
find_buf(const char *kw, int *is_modifier)
{
	for (size_t i = 0; i < sizeof(bufnames) / sizeof(bufnames[0]); i++) {
		if (strcmp(kw, bufnames[i].sticky) == 0 ||
		    (bufnames[i].legacy_sticky != NULL &&
			strcmp(kw, bufnames[i].legacy_sticky) == 0)) {
			*is_modifier = 0;
			return &bufnames[i];
		}
		if (bufnames[i].modifier != NULL &&
		    strcmp(kw, bufnames[i].modifier) == 0) {
			*is_modifier = 1;
			return &bufnames[i];
		}
	}
	return NULL;
}

static int
kw_buffer(struct parse_ctx *ctx, struct rule *r, const char *kw)
{
	int mod = 0;
	const struct bufname *b = find_buf(kw, &mod);

	if (b->buf != RULE_BUF_PAYLOAD)
		r->kwflags |= RULE_F_PKTKW;
	if (!mod) {
		/*
		 * A sticky name right after a content and not followed by
		 * another content or pcre ("content:"/x"; http.uri; nocase;",
		 * as DESIGN.md writes it) also moves that content, as the
		 * old modifier did; later contents go to the buffer either
		 * way.
		 */
		int next_is_elem = ctx->next_kw != NULL &&
		    (strcmp(ctx->next_kw, "content") == 0 ||
			strcmp(ctx->next_kw, "pcre") == 0 ||
			strcmp(ctx->next_kw, "uricontent") == 0);

		ctx->sticky = (int)b->buf;
		if (ctx->last != NULL && ctx->last->kind == ELEM_CONTENT &&
		    ctx->last->buf == RULE_BUF_PAYLOAD && !next_is_elem) {
			ctx->last->buf = (uint8_t)b->buf;
			return 0;
		}
		ctx->last = NULL;
		return 0;
	}
	if (last_content(ctx, kw) == NULL)
		return -1;
	ctx->last->buf = (uint8_t)b->buf;
	return 0;
}

struct flowname {
	const char *name;
	unsigned flag;
};

static const struct flowname flownames[] = {
	{ "to_server", RULE_FLOW_TO_SERVER },
	{ "from_client", RULE_FLOW_TO_SERVER },
	{ "to_client", RULE_FLOW_TO_CLIENT },
	{ "from_server", RULE_FLOW_TO_CLIENT },
	{ "established", RULE_FLOW_ESTABLISHED },
	{ "not_established", RULE_FLOW_NOT_ESTABLISHED },
	{ "stateless", RULE_FLOW_STATELESS },
	{ "only_stream", RULE_FLOW_ONLY_STREAM },
	{ "no_stream", RULE_FLOW_NO_STREAM },
};

static int
kw_flow(struct parse_ctx *ctx, struct rule *r, char *v)
{
	char *p = v, *item;

	r->kwflags |= RULE_F_PKTKW;
	while (p != NULL) {
		size_t i;

		item = p;
		p = strchr(p, ',');
		if (p != NULL)
			*p++ = '\0';
		item = rule_strtrim(item);
		for (i = 0; i < sizeof(flownames) / sizeof(flownames[0]); i++)
			if (strcmp(item, flownames[i].name) == 0)
				break;
		if (i == sizeof(flownames) / sizeof(flownames[0]))
			return rule_fail(ctx, RULE_REJ_BAD_VALUE,
			    "flow: unknown option \"%s\"", item);
		r->flow |= flownames[i].flag;
	}
	if ((r->flow & RULE_FLOW_TO_SERVER) && (r->flow & RULE_FLOW_TO_CLIENT))
		return rule_fail(ctx, RULE_REJ_BAD_VALUE,
		    "flow: to_server and to_client together");
	return 0;
}

static int
kw_dsize(struct parse_ctx *ctx, struct rule *r, char *v)
{
	char *sep;
	uint32_t a, b;

	r->kwflags |= RULE_F_PKTKW;
	if ((sep = strstr(v, "<>")) != NULL) {
		*sep = '\0';
		if (rule_parse_u32(v, &a) == -1 ||
		    rule_parse_u32(sep + 2, &b) == -1 || a >= b)
			goto bad;
		r->dsize_op = '-';
		r->dsize_a = a;
		r->dsize_b = b;
		return 0;
	}
	/* N, <N, >N, <=N ('l'), >=N ('g'), !N */
	if ((v[0] == '<' || v[0] == '>') && v[1] == '=') {
		r->dsize_op = v[0] == '<' ? 'l' : 'g';
		v += 2;
	} else if (*v == '<' || *v == '>' || *v == '!') {
		r->dsize_op = (uint8_t)*v;
		v++;
	} else
		r->dsize_op = '=';
	if (rule_parse_u32(v, &r->dsize_a) == -1)
		goto bad;
	return 0;
bad:
	return rule_fail(ctx, RULE_REJ_BAD_VALUE, "dsize: bad value");
}

/* ---- Sagan (log) keywords ------------------------------------------ */

static int
kw_program(struct parse_ctx *ctx, struct rule *r, char *v)
{
	char *p = unquote(v), *item;

	while (p != NULL) {
		item = p;
		p = strchr(p, '|');
		if (p != NULL)
			*p++ = '\0';
		item = rule_strtrim(item);
		if (*item == '\0')
			return rule_fail(
			    ctx, RULE_REJ_BAD_VALUE, "program: empty name");
		if (r->nprograms == RULE_PROGRAMS_MAX)
			return rule_fail(ctx, RULE_REJ_BAD_VALUE,
			    "program: over %d names", RULE_PROGRAMS_MAX);
		r->programs = xreallocarray(
		    r->programs, r->nprograms + 1, sizeof(*r->programs));
		r->programs[r->nprograms++] = xstrdup(item);
	}
	return 0;
}

static const char *const facilities[] = { "kern", "user", "mail", "daemon",
	"auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp",
	"ntp", "security", "console", "solaris-cron", "local0", "local1",
	"local2", "local3", "local4", "local5", "local6", "local7" };

int
rule_facility_code(const char *name)
{
	for (size_t i = 0; i < sizeof(facilities) / sizeof(facilities[0]); i++)
		if (strcasecmp(name, facilities[i]) == 0)
			return (int)i;
	return -1;
}

struct levelname {
	const char *name;
	int code;
};

static const struct levelname levels[] = { { "emerg", 0 }, { "panic", 0 },
	{ "alert", 1 }, { "crit", 2 }, { "err", 3 }, { "error", 3 },
	{ "warning", 4 }, { "warn", 4 }, { "notice", 5 }, { "info", 6 },
	{ "debug", 7 } };

int
rule_level_code(const char *name)
{
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (strcasecmp(name, levels[i].name) == 0)
			return levels[i].code;
	return -1;
}

static int
kw_facility(struct parse_ctx *ctx, struct rule *r, char *v)
{
	if ((r->facility = rule_facility_code(unquote(v))) < 0)
		return rule_fail(
		    ctx, RULE_REJ_BAD_VALUE, "facility: unknown \"%s\"", v);
	return 0;
}

static int
kw_level(struct parse_ctx *ctx, struct rule *r, char *v)
{
	if ((r->level = rule_level_code(unquote(v))) < 0)
		return rule_fail(
		    ctx, RULE_REJ_BAD_VALUE, "level: unknown \"%s\"", v);
	return 0;
}

/*
 * meta_content:"text %sagan% more", a,b,c  or  meta_content:!"...",$VAR.
 * Each value replaces %sagan%; the rule matches if any (none, negated)
 * of the resulting strings is in the message.
 */
static int
kw_meta_content(struct parse_ctx *ctx, struct rule *r, char *v)
{
	struct rule_meta_content *m;
	char *q, *list, *item, *tmpl, *mark;
	int neg = 0;

	v = rule_strtrim(v);
	if (*v == '!') {
		neg = 1;
		v = rule_strtrim(v + 1);
	}
	if (*v != '"' || (q = strchr(v + 1, '"')) == NULL)
		return rule_fail(ctx, RULE_REJ_BAD_VALUE,
		    "meta_content: needs \"template\", values");
	*q = '\0';
	tmpl = v + 1;
	list = rule_strtrim(q + 1);
	if (*list != ',')
		return rule_fail(
		    ctx, RULE_REJ_BAD_VALUE, "meta_content: no values");
	list = rule_strtrim(list + 1);
	if (*list == '$') {
		const char *val = rule_vars_get(ctx->vars, list + 1);

		if (val == NULL)
			return rule_fail(ctx, RULE_REJ_BAD_VAR,
			    "meta_content: undefined variable %s", list);
		list = (char *)val; /* read-only walk below copies items */
	}
	r->metas = xreallocarray(r->metas, r->nmetas + 1, sizeof(*r->metas));
	m = &r->metas[r->nmetas++];
	memset(m, 0, sizeof(*m));
	m->flags = neg ? META_NEG : 0;
	ctx->last_meta = m;
	mark = strstr(tmpl, "%sagan%");
	for (const char *p = list; *p != '\0';) {
		size_t n = strcspn(p, ","), tl = strlen(tmpl);
		char *val, *s;

		item = xstrndup(p, n);
		p += n;
		if (*p == ',')
			p++;
		val = rule_strtrim(item);
		if (*val == '\\' && val[1] == '\0') {
			free(item);
			continue;
		}
		s = xmalloc(tl + strlen(val) + 1);
		if (mark != NULL) {
			size_t pre = (size_t)(mark - tmpl);

			memcpy(s, tmpl, pre);
			memcpy(s + pre, val, strlen(val));
			memcpy(
			    s + pre + strlen(val), mark + 7, tl - pre - 7 + 1);
		} else
			memcpy(s, val, strlen(val) + 1);
		free(item);
		m->values = xreallocarray(
		    m->values, m->nvalues + 1, sizeof(*m->values));
		m->values[m->nvalues++] = s;
	}
	if (m->nvalues == 0)
		return rule_fail(
		    ctx, RULE_REJ_BAD_VALUE, "meta_content: no values");
	return 0;
}

static int
kw_meta_nocase(struct parse_ctx *ctx, struct rule *r, char *v)
{
	(void)r;
	(void)v;
	if (ctx->last_meta == NULL)
		return rule_fail(ctx, RULE_REJ_SYNTAX,
		    "meta_nocase without a meta_content before it");
	ctx->last_meta->flags |= META_NOCASE;
	/* fold the values once here; the matcher folds each message once */
	for (size_t i = 0; i < ctx->last_meta->nvalues; i++)
		for (char *p = ctx->last_meta->values[i]; *p != '\0'; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
	return 0;
}

static int
parse_nth(struct parse_ctx *ctx, const char *kw, char *v, int *out)
{
	uint32_t n;

	if (rule_parse_u32(v, &n) == -1 || n < 1 || n > RULE_PARSE_IP_MAX)
		return rule_fail(ctx, RULE_REJ_BAD_VALUE,
		    "%s: wants 1..%d, not \"%s\"", kw, RULE_PARSE_IP_MAX, v);
	*out = (int)n;
	return 0;
}

static int
kw_parse_src_ip(struct parse_ctx *ctx, struct rule *r, char *v)
{
	return parse_nth(ctx, "parse_src_ip", v, &r->parse_src);
}

static int
kw_parse_dst_ip(struct parse_ctx *ctx, struct rule *r, char *v)
{
	return parse_nth(ctx, "parse_dst_ip", v, &r->parse_dst);
}

static int
kw_parse_port(struct parse_ctx *ctx, struct rule *r, char *v)
{
	(void)ctx;
	(void)v;
	r->parse_port = 1;
	return 0;
}

static int
parse_track(const char *s, uint8_t *track)
{
	if (strcmp(s, "by_src") == 0 || strcmp(s, "ip_src") == 0)
		*track = TRACK_SRC;
	else if (strcmp(s, "by_dst") == 0 || strcmp(s, "ip_dst") == 0)
		*track = TRACK_DST;
	else if (strcmp(s, "by_both") == 0 || strcmp(s, "ip_pair") == 0)
		*track = TRACK_BOTH;
	else if (strcmp(s, "by_username") == 0 || strcmp(s, "by_user") == 0)
		*track = TRACK_USER;
	else
		return -1;
	return 0;
}

/* "type limit, track by_src, count 5, seconds 300" (any order; Sagan's
 * rules also write "300 seconds").  after also takes our "distinct
 * username": count distinct user names, not messages (password
 * spraying), our "regular P": count matches at a steady interval
 * (beaconing; correlate.c), and our "sum KEY": add the number after
 * "KEY=" in each message instead of 1 (bytes per host per day). */
static int
parse_window(struct parse_ctx *ctx, const char *kw, char *v,
    struct rule_threshold *t, int want_type)
{
	char *p = v, *item;

	t->track = TRACK_SRC;
	while (p != NULL) {
		char *a, *b;

		item = p;
		p = strchr(p, ',');
		if (p != NULL)
			*p++ = '\0';
		item = rule_strtrim(item);
		a = item;
		b = item + strcspn(item, " \t");
		if (*b != '\0')
			*b++ = '\0';
		b = rule_strtrim(b);
		if (strcmp(a, "type") == 0 && want_type) {
			if (strcmp(b, "limit") == 0)
				t->type = THR_LIMIT;
			else if (strcmp(b, "threshold") == 0)
				t->type = THR_THRESHOLD;
			else if (strcmp(b, "both") == 0)
				t->type = THR_BOTH;
			else
				goto bad;
		} else if (strcmp(a, "track") == 0) {
			if (parse_track(b, &t->track) == -1)
				goto bad;
		} else if (strcmp(a, "count") == 0) {
			if (rule_parse_u32(b, &t->count) == -1)
				goto bad;
		} else if (strcmp(a, "seconds") == 0) {
			if (rule_parse_u32(b, &t->seconds) == -1)
				goto bad;
		} else if (!want_type && strcmp(a, "distinct") == 0 &&
		    (strcmp(b, "username") == 0 ||
			strcmp(b, "by_username") == 0)) {
			t->distinct_user = 1;
		} else if (!want_type && strcmp(a, "regular") == 0) {
			uint32_t pct;

			if (rule_parse_u32(b, &pct) == -1 || pct == 0 ||
			    pct > 100)
				goto bad;
			t->regular = (uint8_t)pct;
		} else if (!want_type && strcmp(a, "sum") == 0) {
			size_t l = strlen(b);

			if (l == 0 || l >= sizeof(t->sum_key) ||
			    strspn(b,
				"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
				"TUVWXYZ0123456789_-") != l)
				goto bad;
			memcpy(t->sum_key, b, l + 1);
		} else if (strcmp(b, "seconds") == 0) {
			if (rule_parse_u32(a, &t->seconds) == -1)
				goto bad;
		} else
			goto bad;
	}
	if (!want_type)
		t->type = THR_THRESHOLD;
	if (t->type == THR_NONE || t->count == 0 || t->seconds == 0)
		return rule_fail(ctx, RULE_REJ_BAD_VALUE,
		    "%s: needs %scount and seconds above 0", kw,
		    want_type ? "type, " : "");
	return 0;
bad:
	return rule_fail(
	    ctx, RULE_REJ_BAD_VALUE, "%s: cannot read \"%s\"", kw, item);
}

static int
kw_threshold(struct parse_ctx *ctx, struct rule *r, char *v)
{
	return parse_window(ctx, "threshold", v, &r->threshold, 1);
}

static int
kw_after(struct parse_ctx *ctx, struct rule *r, char *v)
{
	return parse_window(ctx, "after", v, &r->after, 0);
}

/*
 * xbits: Sagan 1.2 writes "set,NAME,EXPIRE" (the set remembers both
 * addresses), "unset|isset|isnotset,by_src|by_dst|by_both,NAME", where
 * NAME may be a&b (all) or a|b (any); Suricata's
 * "OP,NAME,track ip_src|ip_dst|ip_pair,expire N" is read too.  "nounified2" is an output switch:
 * accepted and ignored.
 */
static int
kw_xbits(struct parse_ctx *ctx, struct rule *r, char *v)
{
	struct rule_xbit x;
	char *tok[4], *p = v, *names = NULL;
	int n = 0;

	memset(&x, 0, sizeof(x));
	while (p != NULL && n < 4) {
		tok[n] = p;
		p = strchr(p, ',');
		if (p != NULL)
			*p++ = '\0';
		tok[n] = rule_strtrim(tok[n]);
		n++;
	}
	if (n == 1 && strcmp(tok[0], "nounified2") == 0) {
		ctx->ignored++;
		return 0;
	}
	if (p != NULL || n < 2)
		goto bad;
	if (n >= 3 && strncmp(tok[2], "track ", 6) == 0) {
		/* Suricata's form: OP,NAME,track ip_src|ip_dst|ip_pair
		 * [,expire N]; set keeps every way, as Sagan's does */
		if (strcmp(tok[0], "set") == 0)
			x.op = XB_SET;
		else if (strcmp(tok[0], "unset") == 0)
			x.op = XB_UNSET;
		else if (strcmp(tok[0], "isset") == 0)
			x.op = XB_ISSET;
		else if (strcmp(tok[0], "isnotset") == 0)
			x.op = XB_ISNOTSET;
		else
			goto bad;
		names = tok[1];
		if (parse_track(rule_strtrim(tok[2] + 6), &x.track) == -1 ||
		    x.track == TRACK_USER)
			goto bad;
		if (n == 4 &&
		    (strncmp(tok[3], "expire ", 7) != 0 ||
			rule_parse_u32(tok[3] + 7, &x.expire) == -1))
			goto bad;
		if (x.op == XB_SET && x.expire == 0)
			goto bad;
	} else if (strcmp(tok[0], "set") == 0) {
		x.op = XB_SET;
		x.track = TRACK_BOTH;
		names = tok[1];
		if (n < 3 || rule_parse_u32(tok[2], &x.expire) == -1)
			goto bad;
	} else {
		if (strcmp(tok[0], "unset") == 0)
			x.op = XB_UNSET;
		else if (strcmp(tok[0], "isset") == 0)
			x.op = XB_ISSET;
		else if (strcmp(tok[0], "isnotset") == 0)
			x.op = XB_ISNOTSET;
		else
			goto bad;
		if (n != 3 || parse_track(tok[1], &x.track) == -1 ||
		    x.track == TRACK_USER)
			goto bad;
		names = tok[2];
	}
	x.any = strchr(names, '|') != NULL;
	if (x.any && strchr(names, '&') != NULL)
		goto bad;
	for (char *q = names; q != NULL;) {
		char *nm = q;

		q = strpbrk(q, "|&");
		if (q != NULL)
			*q++ = '\0';
		nm = rule_strtrim(nm);
		if (*nm == '\0')
			goto bad;
		x.names = xreallocarray(x.names, x.nnames + 1, sizeof(char *));
		x.names[x.nnames++] = xstrdup(nm);
	}
	if (r->nxbits == RULE_XBITS_MAX) {
		rule_fail(
		    ctx, RULE_REJ_BAD_VALUE, "over %d xbits", RULE_XBITS_MAX);
		goto fail;
	}
	r->xbits = xreallocarray(r->xbits, r->nxbits + 1, sizeof(*r->xbits));
	r->xbits[r->nxbits++] = x;
	return 0;
bad:
	rule_fail(ctx, RULE_REJ_BAD_VALUE, "xbits: cannot read this form");
fail:
	for (size_t i = 0; i < x.nnames; i++)
		free(x.names[i]);
	free(x.names);
	return -1;
}

static const char *
var_or_text(struct parse_ctx *ctx, const char *s)
{
	if (*s == '$')
		return rule_vars_get(ctx->vars, s + 1);
	return s;
}

static int
hhmm(const char *s, int16_t *out)
{
	if (strlen(s) != 4 || strspn(s, "0123456789") != 4)
		return -1;
	*out = (int16_t)((s[0] - '0') * 1000 + (s[1] - '0') * 100 +
	    (s[2] - '0') * 10 + (s[3] - '0'));
	return *out / 100 > 23 || *out % 100 > 59 ? -1 : 0;
}

/*
 * alert_time: days 12345, hours 0700-1800 (Sagan's aetas; values may be
 * $VARS): fire only on those weekdays (0 Sunday) within those hours, read
 * in JST from the receive time; "1800-0700" runs past midnight, into the
 * next day's morning as Sagan's does.
 */
static int
kw_alert_time(struct parse_ctx *ctx, struct rule *r, char *v)
{
	char *p = v, *item;

	r->at_days = 0x7f;
	r->at_start = 0;
	r->at_end = 2359;
	while (p != NULL) {
		char *a, *b;
		const char *val;

		item = p;
		p = strchr(p, ',');
		if (p != NULL)
			*p++ = '\0';
		item = rule_strtrim(item);
		a = item;
		b = item + strcspn(item, " \t");
		if (*b != '\0')
			*b++ = '\0';
		b = rule_strtrim(b);
		if ((val = var_or_text(ctx, b)) == NULL)
			return rule_fail(ctx, RULE_REJ_BAD_VAR,
			    "alert_time: undefined variable %s", b);
		if (strcmp(a, "days") == 0) {
			r->at_days = 0;
			for (const char *d = val; *d != '\0'; d++) {
				if (*d < '0' || *d > '6')
					goto bad;
				r->at_days |= (uint8_t)(1u << (*d - '0'));
			}
		} else if (strcmp(a, "hours") == 0) {
			char s1[8], s2[8];
			const char *dash = strchr(val, '-');

			if (dash == NULL || dash - val != 4 ||
			    strlen(dash) != 5)
				goto bad;
			memcpy(s1, val, 4);
			s1[4] = '\0';
			memcpy(s2, dash + 1, 5);
			if (hhmm(s1, &r->at_start) == -1 ||
			    hhmm(s2, &r->at_end) == -1)
				goto bad;
		} else
			goto bad;
	}
	if (r->at_days == 0)
		goto bad;
	return 0;
bad:
	return rule_fail(ctx, RULE_REJ_BAD_VALUE,
	    "alert_time: wants \"days 0123456, hours HHMM-HHMM\"");
}

static int
kw_noop(struct parse_ctx *ctx, struct rule *r, char *v)
{
	(void)ctx;
	(void)r;
	(void)v;
	return 0;
}

static int
kw_buf_dispatch(struct parse_ctx *ctx, struct rule *r, char *v)
{
	(void)v;
	return kw_buffer(ctx, r, ctx->kw);
}

/* clang-format off */
static const struct keyword keywords[] = {
	/* rule identity and documentation */
	{ "msg",		kw_msg,		KW_VAL, NULL },
	{ "sid",		kw_sid,		KW_VAL, NULL },
	{ "rev",		kw_rev,		KW_VAL, NULL },
	{ "gid",		kw_gid,		KW_VAL, NULL },
	{ "priority",		kw_priority,	KW_VAL, NULL },
	{ "classtype",		kw_classtype,	KW_VAL, NULL },
	{ "reference",		kw_reference,	KW_VAL, NULL },
	{ "metadata",		kw_metadata,	KW_VAL, NULL },
	/* payload */
	{ "content",		kw_content,	KW_VAL, NULL },
	{ "uricontent",		kw_uricontent,	KW_VAL, NULL },
	{ "pcre",		kw_pcre,	KW_VAL, NULL },
	{ "nocase",		kw_nocase,	KW_NOVAL, NULL },
	{ "fast_pattern",	kw_fast_pattern, 0, NULL },
	{ "offset",		kw_offset,	KW_VAL, NULL },
	{ "depth",		kw_depth,	KW_VAL, NULL },
	{ "distance",		kw_distance,	KW_VAL, NULL },
	{ "within",		kw_within,	KW_VAL, NULL },
	{ "rawbytes",		kw_noop,	KW_NOVAL | KW_IGNORE,
	  "no normalisation is done, so raw bytes are what is matched" },
	/* buffers: sticky and old modifiers */
	{ "http.uri",		kw_buf_dispatch, KW_NOVAL | KW_PKT, NULL },
	{ "http.host",		kw_buf_dispatch, KW_NOVAL | KW_PKT, NULL },
	{ "http.method",	kw_buf_dispatch, KW_NOVAL | KW_PKT, NULL },
	{ "http.user_agent",	kw_buf_dispatch, KW_NOVAL | KW_PKT, NULL },
	{ "dns.query",		kw_buf_dispatch, KW_NOVAL | KW_PKT, NULL },
	{ "tls.sni",		kw_buf_dispatch, KW_NOVAL | KW_PKT, NULL },
	{ "dns_query",		kw_buf_dispatch, KW_NOVAL | KW_PKT, NULL },
	{ "tls_sni",		kw_buf_dispatch, KW_NOVAL | KW_PKT, NULL },
	{ "http_uri",		kw_buf_dispatch, KW_NOVAL | KW_PKT, NULL },
	{ "http_host",		kw_buf_dispatch, KW_NOVAL | KW_PKT, NULL },
	{ "http_method",	kw_buf_dispatch, KW_NOVAL | KW_PKT, NULL },
	{ "http_user_agent",	kw_buf_dispatch, KW_NOVAL | KW_PKT, NULL },
	{ "http.stat_code",	kw_buf_dispatch, KW_NOVAL | KW_PKT, NULL },
	{ "http.stat_msg",	kw_buf_dispatch, KW_NOVAL | KW_PKT, NULL },
	{ "http.content_type",	kw_buf_dispatch, KW_NOVAL | KW_PKT, NULL },
	{ "http_stat_code",	kw_buf_dispatch, KW_NOVAL | KW_PKT, NULL },
	{ "http_stat_msg",	kw_buf_dispatch, KW_NOVAL | KW_PKT, NULL },
	{ "http_content_type",	kw_buf_dispatch, KW_NOVAL | KW_PKT, NULL },
	{ "pkt_data",		kw_buf_dispatch, KW_NOVAL | KW_PKT, NULL },
	{ "http_header",	NULL,		KW_REFUSE,
	  "http_header: the sensor has no header buffer" },
	{ "http_client_body",	NULL,		KW_REFUSE,
	  "http_client_body: the sensor has no body buffer" },
	/* packet */
	{ "flow",		kw_flow,	KW_VAL | KW_PKT, NULL },
	{ "dsize",		kw_dsize,	KW_VAL | KW_PKT, NULL },
	{ "flowbits",		NULL,		KW_REFUSE,
	  "flowbits: not supported (use xbits for logs)" },
	/* logs (Sagan) */
	{ "program",		kw_program,	KW_VAL | KW_LOG, NULL },
	{ "facility",		kw_facility,	KW_VAL | KW_LOG, NULL },
	{ "level",		kw_level,	KW_VAL | KW_LOG, NULL },
	{ "meta_content",	kw_meta_content, KW_VAL | KW_LOG, NULL },
	{ "meta_nocase",	kw_meta_nocase,	KW_NOVAL | KW_LOG, NULL },
	{ "parse_src_ip",	kw_parse_src_ip, KW_VAL | KW_LOG, NULL },
	{ "parse_dst_ip",	kw_parse_dst_ip, KW_VAL | KW_LOG, NULL },
	{ "parse_port",		kw_parse_port,	KW_NOVAL | KW_LOG, NULL },
	{ "threshold",		kw_threshold,	KW_VAL, NULL },
	{ "after",		kw_after,	KW_VAL | KW_LOG, NULL },
	{ "xbits",		kw_xbits,	KW_VAL | KW_LOG, NULL },
	{ "alert_time",		kw_alert_time,	KW_VAL | KW_LOG, NULL },
	/* Sagan keywords accepted and ignored: they do not change whether
	 * a rule fires. */
	{ "normalize",		kw_noop,	KW_LOG | KW_IGNORE,
	  "liblognorm field extraction; parse_* does our own" },
	{ "parse_proto",	kw_noop,	KW_LOG | KW_IGNORE,
	  "protocol of the alert record only" },
	{ "parse_proto_program", kw_noop,	KW_LOG | KW_IGNORE,
	  "protocol of the alert record only" },
	{ "parse_hash",		kw_noop,	KW_LOG | KW_IGNORE,
	  "hash field of the alert record only" },
	{ "default_proto",	kw_noop,	KW_LOG | KW_IGNORE,
	  "protocol of the alert record only" },
	{ "default_src_port",	kw_noop,	KW_LOG | KW_IGNORE,
	  "port of the alert record only" },
	{ "default_dst_port",	kw_noop,	KW_LOG | KW_IGNORE,
	  "port of the alert record only" },
	{ "fwsam",		kw_noop,	KW_IGNORE,
	  "firewall blocking action; seccloud never blocks" },
	/* Sagan keywords refused: without their external data the rule
	 * would fire on the wrong logs. */
	{ "bluedot",		NULL,		KW_REFUSE,
	  "bluedot: needs Quadrant's threat-intel service" },
	{ "country_code",	NULL,		KW_REFUSE,
	  "country_code: needs a GeoIP database" },
	{ "dynamic_load",	NULL,		KW_REFUSE,
	  "dynamic_load: loads other rule files at run time" },

	{ "blacklist",		NULL,		KW_REFUSE,
	  "blacklist: needs Sagan's blacklist files" },
	{ "intel",		NULL,		KW_REFUSE,
	  "intel: needs Sagan's intel files" },
	{ "email",		NULL,		KW_REFUSE,
	  "email: per-rule mail output is not supported" },
	{ "external",		NULL,		KW_REFUSE,
	  "external: running programs from rules is not allowed" },
};
/* clang-format on */

/*
 * A reference value standing where a keyword should be ("url,host/path",
 * "cve,2017-0144"): a known reference system, a comma, something after it.
 * No keyword contains a comma, so this never hides a misspelt keyword.
 */
static int
reference_value(const char *kw)
{
	static const char *const systems[] = { "url", "cve", "bugtraq",
		"nessus", "arachnids", "mcafee", "osvdb", "msb", "md5", "sha1",
		"sha256" };

	for (size_t i = 0; i < sizeof(systems) / sizeof(systems[0]); i++) {
		size_t n = strlen(systems[i]);

		if (strncasecmp(kw, systems[i], n) == 0 && kw[n] == ',' &&
		    kw[n + 1] != '\0')
			return 1;
	}
	return 0;
}

int
rule_parse_option(
    struct parse_ctx *ctx, struct rule *r, const char *kw, char *val)
{
	const struct keyword *k = NULL;

	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (strcmp(kw, keywords[i].name) == 0) {
			k = &keywords[i];
			break;
		}
	if (k == NULL && reference_value(kw)) {
		/* "reference: url,a; url,b;": the second reference lost its
		 * keyword.  Documentation only, as Sagan takes it. */
		ctx->ignored++;
		return 0;
	}
	if (k == NULL)
		return rule_fail(ctx, RULE_REJ_UNKNOWN_KEYWORD,
		    "unknown keyword \"%s\"", kw);
	if (k->flags & KW_REFUSE)
		return rule_fail(ctx, RULE_REJ_UNSUPPORTED, "%s", k->why);
	if ((k->flags & KW_VAL) && (val == NULL || *val == '\0'))
		return rule_fail(
		    ctx, RULE_REJ_SYNTAX, "%s: needs a value", k->name);
	if ((k->flags & KW_NOVAL) && val != NULL && *val != '\0' &&
	    !(k->flags & KW_IGNORE))
		return rule_fail(
		    ctx, RULE_REJ_SYNTAX, "%s: takes no value", k->name);
	if (k->flags & KW_LOG)
		r->kwflags |= RULE_F_LOGKW;
	if (k->flags & KW_PKT)
		r->kwflags |= RULE_F_PKTKW;
	if (k->flags & KW_IGNORE)
		ctx->ignored++;
	ctx->kw = kw;
	return k->fn(ctx, r, val != NULL ? val : (char *)"");
}
