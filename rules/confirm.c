/*
 * confirm.c — the full check of a rule's contents and pcre over one
 * buffer, with Snort/Suricata semantics:
 *
 *   offset/depth       window [offset, offset+depth) from the buffer start
 *   distance/within    window [prev+distance, prev+distance+within), prev
 *                      being the end of the previous match in this buffer
 *   pcre R             searched from prev
 *   content:! / pcre:! no match in its window; prev does not move
 *
 * When a later relative condition fails, earlier contents are retried at
 * their next occurrence (Suricata's recursion), bounded by a step budget
 * so a hostile buffer cannot make it quadratic without end.
 */
#include "config.h"

#include <ctype.h>
#include <string.h>

#include "rules/rules_int.h"

#define CONFIRM_BUDGET 3000 /* Suricata's inspection-recursion-limit */

struct cstate {
	const struct rule *r;
	struct rule_scratch *s;
	const uint8_t *d;
	size_t len;
	int idx[RULE_ELEMS_MAX]; /* elems of this buffer, in order */
	int n;
	int budget;
	int error;
};

static const uint8_t *
find(const uint8_t *h, size_t hl, const uint8_t *n, size_t nl, int nocase)
{
	if (nl == 0 || nl > hl)
		return NULL;
	if (!nocase)
		return memmem(h, hl, n, nl);
	for (size_t i = 0; i + nl <= hl; i++) {
		size_t j = 0;

		while (j < nl && tolower(h[i + j]) == tolower(n[j]))
			j++;
		if (j == nl)
			return h + i;
	}
	return NULL;
}

/* The window [*lo, *hi) where a content (or relative pcre) may lie. */
static void
window(const struct rule_elem *e, size_t prev, size_t len, long *lo, long *hi)
{
	if (e->flags & ELEM_RELATIVE) {
		long base = (long)prev + e->distance;

		*lo = base < 0 ? 0 : base;
		*hi =
		    (e->flags & ELEM_HAS_WITHIN) ? base + e->within : (long)len;
	} else {
		*lo = (e->flags & ELEM_HAS_OFFSET) ? e->offset : 0;
		*hi = (e->flags & ELEM_HAS_DEPTH) ? *lo + e->depth : (long)len;
	}
	if (*hi > (long)len)
		*hi = (long)len;
}

/* 1 and *end on a match of pcre e starting at or after `from`. */
static int
pcre_at(struct cstate *c, const struct rule_elem *e, size_t from, size_t *end)
{
	int rc;
	PCRE2_SIZE *ov;

	if (from > c->len)
		return 0;
	/* The subject starts at `from`, so ^ anchors there (Suricata). */
	rc = pcre2_match(
	    e->re, c->d + from, c->len - from, 0, 0, c->s->md, c->s->mctx);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0 && rc != 0) {
		c->error = 1;
		c->s->pcre_errors++;
		return 0;
	}
	ov = pcre2_get_ovector_pointer(c->s->md);
	*end = from + ov[1];
	return 1;
}

static int
step(struct cstate *c, int k, size_t prev)
{
	const struct rule_elem *e;
	long lo, hi;

	if (k == c->n)
		return 1;
	if (--c->budget <= 0 || c->error)
		return 0;
	e = &c->r->elems[c->idx[k]];
	if (e->kind == ELEM_PCRE) {
		size_t end, from = (e->flags & ELEM_RELATIVE) ? prev : 0;
		int m = pcre_at(c, e, from, &end);

		if (e->flags & ELEM_NEG)
			return !m && !c->error && step(c, k + 1, prev);
		return m && step(c, k + 1, end);
	}
	window(e, prev, c->len, &lo, &hi);
	if (e->flags & ELEM_NEG) {
		if (lo < hi &&
		    find(c->d + lo, (size_t)(hi - lo), e->pat, e->patlen,
			e->flags & ELEM_NOCASE) != NULL)
			return 0;
		return step(c, k + 1, prev);
	}
	while (lo < hi) {
		const uint8_t *p = find(c->d + lo, (size_t)(hi - lo), e->pat,
		    e->patlen, e->flags & ELEM_NOCASE);
		size_t pos;
		int next_rel;

		if (p == NULL)
			return 0;
		pos = (size_t)(p - c->d);
		if (step(c, k + 1, pos + e->patlen))
			return 1;
		/* Retrying later occurrences helps only if something after
		 * this depends on where it matched. */
		next_rel = 0;
		for (int j = k + 1; j < c->n; j++)
			if (c->r->elems[c->idx[j]].flags & ELEM_RELATIVE) {
				next_rel = 1;
				break;
			}
		if (!next_rel || c->budget <= 0 || c->error)
			return 0;
		lo = (long)pos + 1;
	}
	return 0;
}

int
rule_confirm_elems(const struct rule *r, struct rule_scratch *s,
    enum rule_buf buf, const uint8_t *d, size_t len)
{
	struct cstate c;

	c.r = r;
	c.s = s;
	c.d = d;
	c.len = len;
	c.n = 0;
	c.budget = CONFIRM_BUDGET;
	c.error = 0;
	for (size_t i = 0; i < r->nelems; i++)
		if (r->elems[i].buf == buf)
			c.idx[c.n++] = (int)i;
	if (c.n == 0)
		return 1;
	if (d == NULL)
		return 0;
	if (step(&c, 0, 0))
		return 1;
	return c.error ? -1 : 0;
}

int
rule_confirm(const struct rule *r, struct rule_scratch *s, enum rule_buf buf,
    const uint8_t *d, size_t len)
{
	return rule_confirm_elems(r, s, buf, d, len);
}
