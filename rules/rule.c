/*
 * rule.c — a parsed rule: the checks that need the whole option list
 * (sid present, domain, the prefilter literal), and the accessors of
 * rules.h.
 */
#include "config.h"

#include <string.h>

#include "common/xmalloc.h"
#include "rules/rules_int.h"

static const char *const bufnames[RULE_BUF_COUNT] = { "payload", "http.uri",
	"http.host", "http.method", "http.user_agent", "dns.query", "tls.sni",
	"http.stat_code", "http.stat_msg", "http.content_type" };

const char *
rule_buf_name(enum rule_buf b)
{
	return (unsigned)b < RULE_BUF_COUNT ? bufnames[b] : "?";
}

static const char *const rejnames[RULE_REJ_COUNT] = { "syntax",
	"unknown keyword", "unsupported keyword", "bad value", "bad pcre",
	"no sid", "duplicate sid", "bad variable or address" };

const char *
rule_reject_name(enum rule_reject r)
{
	return (unsigned)r < RULE_REJ_COUNT ? rejnames[r] : "?";
}

/* The literal Hyperscan looks for: the fast_pattern content, else the
 * longest positive content (ties: the first). */
static void
choose_prefilter(struct rule *r)
{
	size_t best = 0;

	r->prefilter = -1;
	for (size_t i = 0; i < r->nelems; i++) {
		const struct rule_elem *e = &r->elems[i];

		if (e->kind != ELEM_CONTENT || (e->flags & ELEM_NEG))
			continue;
		if (e->flags & ELEM_FAST) {
			r->prefilter = (int)i;
			return;
		}
		if (e->patlen > best) {
			best = e->patlen;
			r->prefilter = (int)i;
		}
	}
}

int
rule_finish(struct parse_ctx *ctx, struct rule *r)
{
	if (r->sid == 0)
		return rule_fail(ctx, RULE_REJ_NO_SID, "no sid");
	if ((r->kwflags & RULE_F_LOGKW) && (r->kwflags & RULE_F_PKTKW))
		return rule_fail(ctx, RULE_REJ_SYNTAX,
		    "mixes log keywords (program, xbits, ...) with packet "
		    "keywords (flow, buffers, ...)");
	if (r->kwflags & RULE_F_LOGKW)
		r->is_log = 1;
	else if (r->kwflags & RULE_F_PKTKW)
		r->is_log = 0;
	else
		r->is_log = (ctx->domain & RULESET_LOG) != 0;
	if (r->msg == NULL)
		r->msg = xstrdup("");
	for (size_t i = 0; i < r->nelems; i++)
		r->bufmask |= 1u << r->elems[i].buf;
	choose_prefilter(r);
	return 0;
}

size_t
rule_index(const struct rule *r)
{
	return r->idx;
}

uint32_t
rule_sid(const struct rule *r)
{
	return r->sid;
}

uint32_t
rule_gid(const struct rule *r)
{
	return r->gid;
}

uint32_t
rule_rev(const struct rule *r)
{
	return r->rev;
}

int
rule_priority(const struct rule *r)
{
	return r->priority;
}

const char *
rule_msg(const struct rule *r)
{
	return r->msg != NULL ? r->msg : "";
}

const char *
rule_classtype(const struct rule *r)
{
	return r->classtype;
}

const char *
rule_metadata(const struct rule *r, const char *key)
{
	for (size_t i = 0; i < r->nmeta; i++)
		if (strcmp(r->meta[i].key, key) == 0)
			return r->meta[i].value;
	return NULL;
}

const char *
rule_file(const struct rule *r)
{
	return r->file;
}

int
rule_line(const struct rule *r)
{
	return r->line;
}

const char *
rule_text(const struct rule *r)
{
	return r->text;
}

enum rule_proto
rule_proto(const struct rule *r)
{
	return (enum rule_proto)r->proto;
}

int
rule_is_log(const struct rule *r)
{
	return r->is_log;
}

unsigned
rule_flow(const struct rule *r)
{
	return r->flow;
}

unsigned
rule_buffers(const struct rule *r)
{
	return r->bufmask;
}

const uint8_t *
rule_prefilter_literal(const struct rule *r, size_t *len)
{
	const struct rule_elem *e;

	*len = 0;
	if (r->prefilter_meta || r->prefilter < 0 || r->prefilter_is_pcre)
		return NULL;
	e = &r->elems[r->prefilter];
	if (e->kind != ELEM_CONTENT)
		return NULL;
	if ((e->flags & ELEM_FAST) && e->fp_len > 0) {
		*len = (size_t)e->fp_len;
		return e->pat + e->fp_off;
	}
	*len = e->patlen;
	return e->pat;
}

int
rule_prefilter_buf(const struct rule *r)
{
	if (r->prefilter_meta)
		return RULE_BUF_PAYLOAD;
	if (r->prefilter < 0)
		return -1;
	return r->elems[r->prefilter].buf;
}

int
rule_match_dsize(const struct rule *r, size_t n)
{
	switch (r->dsize_op) {
	case '=':
		return n == r->dsize_a;
	case '<':
		return n < r->dsize_a;
	case '>':
		return n > r->dsize_a;
	case 'l':
		return n <= r->dsize_a;
	case 'g':
		return n > 0 && n >= r->dsize_a; /* as '!': needs a payload */
	case '!':
		/* Like Suricata, a "not N" test needs a payload to test:
		 * dsize:!9 does not match an empty ACK (test-dsize-values). */
		return n > 0 && n != r->dsize_a;
	case '-':
		return n > r->dsize_a && n < r->dsize_b;
	default:
		return 1;
	}
}

int
rule_match_flow(const struct rule *r, unsigned f)
{
	unsigned need = r->flow;

	if ((need & RULE_FLOW_TO_SERVER) && !(f & RULE_FLOW_TO_SERVER))
		return 0;
	if ((need & RULE_FLOW_TO_CLIENT) && !(f & RULE_FLOW_TO_CLIENT))
		return 0;
	if ((need & RULE_FLOW_ESTABLISHED) && !(f & RULE_FLOW_ESTABLISHED))
		return 0;
	if ((need & RULE_FLOW_NOT_ESTABLISHED) && (f & RULE_FLOW_ESTABLISHED))
		return 0;
	if ((need & RULE_FLOW_ONLY_STREAM) && !(f & RULE_FLOW_ONLY_STREAM))
		return 0;
	if ((need & RULE_FLOW_NO_STREAM) && (f & RULE_FLOW_ONLY_STREAM))
		return 0;
	return 1;
}
