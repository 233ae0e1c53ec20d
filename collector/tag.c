/*
 * tag.c — tagging: the sender's address gives the event its 団体, tier
 * and source, from the policy (policies/policy.h, one longest-prefix
 * lookup).  A tagger wraps one reference to an immutable policy plus the
 * collector's view of its declared sources (struct tag_source, what the
 * writer stores); reload builds a new tagger and swaps the pointer.
 *
 * Relays: a line from a source declared `relay yes` (an rsyslog relay
 * that forwards many 団体's devices) is tagged by its HOSTNAME instead,
 * when that names a declared source (ASCII case-insensitive, through a
 * hash of the names built at load), or is an address that is a declared
 * source or lies in a 団体's tier ranges.  Otherwise the relay's own tags
 * stay and tagged/relay-unmatched is counted.  HOSTNAME is never trusted
 * from any other sender.  No allocation per line.
 *
 * Relay scope (policy_relay_may_tag): a 団体's relay may tag only to its
 * own 団体 (and those of its `relay-for`); the security cloud's relays to
 * any.  A line claiming an origin out of its relay's scope keeps the
 * relay's own tags (so no other 団体's source is credited and its silence
 * still shows), gets SC_EV_RELAY_DENIED with the claimed origin kept in
 * ev->origin as evidence, is counted tagged/relay-denied and logged
 * (rate-limited, per thread).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/collector_int.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "policies/policy.h"

#define NAME_AMBIGUOUS UINT32_MAX /* two names equal but for case */
#define HOSTNAME_MAX 255 /* longer is no declared name (RFC 5424) */

struct tagger {
	struct policy *policy; /* NULL: no policy, everything unknown */
	struct tag_source *src; /* by policy_source index */
	size_t n;
	uint32_t *names; /* open addressing: source index + 1, 0 empty */
	size_t nmask; /* slots - 1 */
	int any_relay;
	unsigned refs; /* atomic; tagger_load gives the first */
	uint64_t serial; /* unique per load, never reused */
};

static uint64_t tagger_serials;

static unsigned char
fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

static uint64_t
name_hash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */

	for (size_t i = 0; i < len; i++) {
		h ^= fold((unsigned char)s[i]);
		h *= 0x100000001b3ULL;
	}
	return h;
}

static int
name_eq(const char *name, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (name[i] == '\0' ||
		    fold((unsigned char)name[i]) != fold((unsigned char)s[i]))
			return 0;
	return name[i] == '\0';
}

static void
names_build(struct tagger *t)
{
	size_t slots = 16;

	while (slots < 2 * t->n)
		slots *= 2;
	t->names = xcalloc(slots, sizeof(*t->names));
	t->nmask = slots - 1;
	for (size_t i = 0; i < t->n; i++) {
		const struct policy_source *ps = policy_source_at(t->policy, i);
		size_t len = strlen(ps->name);
		size_t j = name_hash(ps->name, len) & t->nmask;

		if (ps->relay)
			t->any_relay = 1;
		for (;; j = (j + 1) & t->nmask) {
			uint32_t *e = &t->names[j];

			if (*e == 0) {
				*e = ps->index + 1;
				break;
			}
			if (*e != NAME_AMBIGUOUS &&
			    name_eq(policy_source_at(t->policy, *e - 1)->name,
				ps->name, len)) {
				*e = NAME_AMBIGUOUS;
				break;
			}
		}
	}
}

/* The declared source named host[0..len), or NULL. */
static const struct policy_source *
name_lookup(const struct tagger *t, const char *host, size_t len)
{
	size_t j;

	if (t->names == NULL || len == 0 || len > HOSTNAME_MAX)
		return NULL;
	for (j = name_hash(host, len) & t->nmask; t->names[j] != 0;
	     j = (j + 1) & t->nmask) {
		uint32_t e = t->names[j];
		const struct policy_source *ps;

		if (e == NAME_AMBIGUOUS) {
			/* only a name equal to it lands here: compare with
			 * any declared one to know */
			for (size_t i = 0; i < t->n; i++)
				if (name_eq(
					policy_source_at(t->policy, i)->name,
					host, len))
					return NULL;
			continue;
		}
		ps = policy_source_at(t->policy, e - 1);
		if (name_eq(ps->name, host, len))
			return ps;
	}
	return NULL;
}

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

	t->refs = 1;
	t->serial = __atomic_add_fetch(&tagger_serials, 1, __ATOMIC_RELAXED);
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
	names_build(t);
	return t;
}

const struct tagger *
tagger_ref(const struct tagger *t)
{
	if (t != NULL)
		__atomic_add_fetch(
		    &((struct tagger *)t)->refs, 1, __ATOMIC_RELAXED);
	return t;
}

uint64_t
tagger_serial(const struct tagger *t)
{
	return t != NULL ? t->serial : 0;
}

void
tagger_unref(const struct tagger *t)
{
	tagger_free((struct tagger *)t);
}

void
tagger_free(struct tagger *t)
{
	if (t == NULL || __atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	policy_unref(t->policy);
	free(t->names);
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

int
tagger_relay_origin(const struct tagger *t, const char *host, size_t len,
    struct addr *origin, struct policy_tag *out)
{
	const struct policy_source *ps;

	if (t == NULL || t->policy == NULL || host == NULL || len == 0 ||
	    len > HOSTNAME_MAX || memchr(host, '\0', len) != NULL)
		return 0;
	if ((ps = name_lookup(t, host, len)) != NULL) {
		memset(out, 0, sizeof(*out));
		out->muni = ps->muni;
		out->tier = ps->tier;
		out->source = ps;
		*origin = ps->addr;
		return 1;
	}
	if (len >= ADDR_STRLEN || addr_parse_n(host, len, origin) != 0)
		return 0;
	policy_tag(t->policy, origin, out);
	return out->source != NULL || out->muni != NULL;
}

/* A relay's line claiming an origin out of its scope (rate-limited). */
static void
log_denied(const struct sc_event *ev, const struct policy_source *relay,
    const struct policy_tag *claimed)
{
	static _Thread_local struct ratelim rl = RATELIM_INIT(60);
	char a[ADDR_STRLEN], o[ADDR_STRLEN];
	uint64_t supp = 0;

	if (!ratelim_ok(&rl, &supp))
		return;
	log_warnx("relay %s (%s, 団体 %s) claimed origin %s (団体 %s, source "
		  "%s) outside its scope: kept as the relay's own line "
		  "(%llu similar suppressed)",
	    relay->name, addr_fmt(&ev->peer, a, sizeof(a)),
	    relay->muni != NULL ? relay->muni->code : "-",
	    addr_fmt(&ev->origin, o, sizeof(o)),
	    claimed->muni != NULL ? claimed->muni->code : "-",
	    claimed->source != NULL ? claimed->source->name : "-",
	    (unsigned long long)supp);
}

void
tag_event(const struct tagger *t, struct sc_event *ev)
{
	struct policy_tag pt;

	ev->muni[0] = '\0';
	ev->tier = SC_TIER_UNKNOWN;
	ev->flags &= ~(uint32_t)(SC_EV_RELAYED | SC_EV_RELAY_DENIED);
	if (t == NULL || t->policy == NULL) {
		ev->flags |= SC_EV_UNKNOWN_SOURCE;
		return;
	}
	policy_tag(t->policy, &ev->peer, &pt);
	/* a trusted relay: the line's own HOSTNAME names the source */
	if (pt.source != NULL && pt.source->relay &&
	    !(ev->flags & (SC_EV_UNPARSED | SC_EV_NO_HOST))) {
		struct policy_tag rt;

		if (!tagger_relay_origin(
			t, ev->host, ev->hostlen, &ev->origin, &rt)) {
			ctr_add(CTR_RELAY_UNMATCHED, 1);
		} else if (!policy_relay_may_tag(pt.source, &rt)) {
			/* out of its scope: the relay's own line, flagged */
			ev->flags |= SC_EV_RELAY_DENIED;
			ctr_add(CTR_RELAY_DENIED, 1);
			log_denied(ev, pt.source, &rt);
		} else {
			if (addr_cmp(&ev->origin, &ev->peer) != 0) {
				ev->flags |= SC_EV_RELAYED;
				ctr_add(CTR_RELAYED, 1);
			}
			pt = rt;
		}
	}
	if (pt.muni != NULL)
		memcpy(ev->muni, pt.muni->code, SC_MUNI_LEN);
	ev->tier = tier_of(pt.tier);
	/* an address inside a 団体's ranges but not a declared source still
	 * gets the 団体; it is counted as an unknown source all the same */
	if (pt.source == NULL)
		ev->flags |= SC_EV_UNKNOWN_SOURCE;
}
