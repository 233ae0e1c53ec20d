/*
 * tag.c — tagging: the sender's address gives the event its 団体, tier
 * and source, from the policy (policies/policy.h, one longest-prefix
 * lookup).  A tagger wraps one reference to an immutable policy plus the
 * collector's view of its declared sources (struct tag_source, what the
 * writer stores); reload builds a new tagger and swaps the pointer.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/collector_int.h"
#include "common/xmalloc.h"
#include "policies/policy.h"

struct tagger {
	struct policy *policy; /* NULL: no policy, everything unknown */
	struct tag_source *src; /* by policy_source index */
	size_t n;
};

static enum sc_tier
tier_of(enum policy_tier t)
{
	static const enum sc_tier map[POLICY_TIER_COUNT] = {
		[POLICY_TIER_UNKNOWN] = SC_TIER_UNKNOWN,
		[POLICY_TIER_M] = SC_TIER_M,
		[POLICY_TIER_L] = SC_TIER_L,
		[POLICY_TIER_I] = SC_TIER_I,
		[POLICY_TIER_LG] = SC_TIER_LG,
		[POLICY_TIER_SC] = SC_TIER_SC,
		[POLICY_TIER_DMZ] = SC_TIER_DMZ,
		[POLICY_TIER_NET] = SC_TIER_NET,
	};

	return (unsigned)t < POLICY_TIER_COUNT ? map[t] : SC_TIER_UNKNOWN;
}

struct tagger *
tagger_load(const char *path, char *err, size_t errlen)
{
	struct tagger *t = xcalloc(1, sizeof(*t));

	if (path == NULL)
		return t;
	if ((t->policy = policy_load(path)) == NULL) {
		snprintf(
		    err, errlen, "policy %s: not loaded (errors above)", path);
		free(t);
		return NULL;
	}
	t->n = policy_source_count(t->policy);
	t->src = xcalloc(t->n ? t->n : 1, sizeof(*t->src));
	for (size_t i = 0; i < t->n; i++) {
		const struct policy_source *ps = policy_source_at(t->policy, i);
		struct tag_source *s =
		    &t->src[ps->index < t->n ? ps->index : i];

		s->addr = ps->addr;
		s->plen = addr_is_v4(&ps->addr) ? 32 : 128;
		if (ps->muni != NULL)
			memcpy(s->muni, ps->muni->code, SC_MUNI_LEN);
		s->tier = tier_of(ps->tier);
		snprintf(s->name, sizeof(s->name), "%s", ps->name);
		snprintf(
		    s->type, sizeof(s->type), "%s", ps->type ? ps->type : "");
		s->interval_s = ps->interval_s;
	}
	return t;
}

void
tagger_free(struct tagger *t)
{
	if (t == NULL)
		return;
	policy_unref(t->policy);
	free(t->src);
	free(t);
}

const struct tag_source *
tagger_lookup(const struct tagger *t, const struct addr *a)
{
	struct policy_tag pt;

	if (t == NULL || t->policy == NULL)
		return NULL;
	policy_tag(t->policy, a, &pt);
	if (pt.source == NULL || pt.source->index >= t->n)
		return NULL;
	return &t->src[pt.source->index];
}

const struct policy *
tagger_policy(const struct tagger *t)
{
	return t == NULL ? NULL : t->policy;
}

size_t
tagger_count(const struct tagger *t)
{
	return t == NULL ? 0 : t->n;
}

const struct tag_source *
tagger_at(const struct tagger *t, size_t i)
{
	return &t->src[i];
}

void
tag_event(const struct tagger *t, struct sc_event *ev)
{
	struct policy_tag pt;

	ev->muni[0] = '\0';
	ev->tier = SC_TIER_UNKNOWN;
	if (t == NULL || t->policy == NULL) {
		ev->flags |= SC_EV_UNKNOWN_SOURCE;
		return;
	}
	policy_tag(t->policy, &ev->peer, &pt);
	if (pt.muni != NULL)
		memcpy(ev->muni, pt.muni->code, SC_MUNI_LEN);
	ev->tier = tier_of(pt.tier);
	/* an address inside a 団体's ranges but not a declared source still
	 * gets the 団体; it is counted as an unknown source all the same */
	if (pt.source == NULL)
		ev->flags |= SC_EV_UNKNOWN_SOURCE;
}
