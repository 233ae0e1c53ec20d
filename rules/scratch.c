/*
 * scratch.c — per-thread working memory for one ruleset: the Hyperscan
 * scratch (sized for every database of the set), PCRE2 match data with a
 * JIT stack and match limits, and the candidate list of one scan.  Plain
 * malloc: a reload allocates new scratch on the data path and must not
 * exit on failure.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rules/rules_int.h"

#define PCRE_MATCH_LIMIT 100000
#define PCRE_DEPTH_LIMIT 10000

struct rule_scratch *
rule_scratch_new(const struct ruleset *rs)
{
	struct rule_scratch *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->rs = rs;
	for (int b = 0; b < RULE_BUF_COUNT; b++)
		for (int m = 0; m < 2; m++)
			if (rs->db[b][m] != NULL &&
			    hs_alloc_scratch(rs->db[b][m], &s->hs) !=
				HS_SUCCESS)
				goto fail;
	if (rs->progdb != NULL &&
	    hs_alloc_scratch(rs->progdb, &s->hs) != HS_SUCCESS)
		goto fail;
	s->md = pcre2_match_data_create(32, NULL);
	s->mctx = pcre2_match_context_create(NULL);
	s->jit = pcre2_jit_stack_create(32 * 1024, 512 * 1024, NULL);
	s->capcand = rs->nrules > 0 ? rs->nrules : 1;
	s->cand = calloc(s->capcand, sizeof(*s->cand));
	s->seen = calloc(s->capcand, 1);
	if (s->md == NULL || s->mctx == NULL || s->jit == NULL ||
	    s->cand == NULL || s->seen == NULL)
		goto fail;
	pcre2_set_match_limit(s->mctx, PCRE_MATCH_LIMIT);
	pcre2_set_depth_limit(s->mctx, PCRE_DEPTH_LIMIT);
	pcre2_jit_stack_assign(s->mctx, NULL, s->jit);
	return s;
fail:
	rule_scratch_free(s);
	return NULL;
}

void
rule_scratch_free(struct rule_scratch *s)
{
	if (s == NULL)
		return;
	hs_free_scratch(s->hs);
	pcre2_match_data_free(s->md);
	pcre2_match_context_free(s->mctx);
	pcre2_jit_stack_free(s->jit);
	free(s->cand);
	free(s->seen);
	free(s->lower);
	free(s);
}

uint64_t
rule_scratch_pcre_errors(const struct rule_scratch *s)
{
	return s != NULL ? s->pcre_errors : 0;
}

struct hs_scratch *
rule_scratch_hs(struct rule_scratch *s)
{
	return s->hs;
}

/* Hyperscan callback: record the rule once. */
int
rule_scratch_on_match(unsigned id, unsigned long long from,
    unsigned long long to, unsigned flags, void *ctx)
{
	struct rule_scratch *s = ctx;

	(void)from;
	(void)to;
	(void)flags;
	if (id < s->capcand && !s->seen[id]) {
		s->seen[id] = 1;
		s->cand[s->ncand++] = id;
	}
	return 0;
}

void
rule_scratch_add(struct rule_scratch *s, size_t id)
{
	rule_scratch_on_match((unsigned)id, 0, 0, 0, s);
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

void
rule_scratch_sort(struct rule_scratch *s)
{
	if (s->ncand > 32) {
		qsort(s->cand, s->ncand, sizeof(*s->cand), cmp_u32);
		return;
	}
	for (size_t i = 1; i < s->ncand; i++) { /* few: insertion sort */
		uint32_t v = s->cand[i];
		size_t j = i;

		for (; j > 0 && s->cand[j - 1] > v; j--)
			s->cand[j] = s->cand[j - 1];
		s->cand[j] = v;
	}
}

void
rule_scratch_reset(struct rule_scratch *s)
{
	for (size_t i = 0; i < s->ncand; i++)
		s->seen[s->cand[i]] = 0;
	s->ncand = 0;
}

/* Scan one buffer's block database, adding candidates. */
int
rule_scratch_scan(
    struct rule_scratch *s, enum rule_buf b, const uint8_t *data, size_t len)
{
	const hs_database_t *db = s->rs->db[b][RULE_HS_BLOCK];

	if (db == NULL || data == NULL)
		return 0;
	if (len > UINT32_MAX)
		len = UINT32_MAX;
	if (hs_scan(db, (const char *)data, (unsigned)len, 0, s->hs,
		rule_scratch_on_match, s) != HS_SUCCESS)
		return -1;
	return 0;
}
