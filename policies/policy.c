/*
 * policy.c — the lifetime of a built policy and its read-only accessors.
 *
 * A policy is built once by policy_load.c and never changed; the only
 * mutable field is the reference count.  The last policy_unref() frees it.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "policies/policy_int.h"

/* Built-in retention defaults, DOMAIN.md §D.2. */
#define DAY (24LL * 3600)
static const struct policy_retention default_ret = {
	.events_s = 395 * DAY, /* 13 months */
	.alerts_s = 1826 * DAY, /* 5 years */
	.archive_s = 1826 * DAY,
	.pcap_s = 3 * DAY, /* 72 h */
};

const char *
policy_strdup(struct policy *p, const char *s)
{
	if (s == NULL)
		return NULL;
	if (p->nstrs == p->capstrs) {
		p->capstrs = p->capstrs ? p->capstrs * 2 : 64;
		p->strs = xreallocarray(p->strs, p->capstrs, sizeof(char *));
	}
	p->strs[p->nstrs] = xstrdup(s);
	return p->strs[p->nstrs++];
}

struct policy *
policy_ref(struct policy *p)
{
	if (p != NULL)
		atomic_fetch_add(&p->refs, 1);
	return p;
}

void
policy_unref(struct policy *p)
{
	size_t i;
	int m, f, t;

	if (p == NULL || atomic_fetch_sub(&p->refs, 1) != 1)
		return;
	cidrset_free(p->set);
	free(p->tags);
	for (i = 0; i < p->nstrs; i++)
		free(p->strs[i]);
	free(p->strs);
	for (m = 0; m < POLICY_MODEL_COUNT; m++)
		for (f = 0; f < POLICY_TIER_COUNT; f++)
			for (t = 0; t < POLICY_TIER_COUNT; t++)
				free(p->cell_text[m][f][t]);
	free(p->munis);
	free(p->munix);
	free(p->sources);
	free(p->gws);
	free(p->excs);
	free(p->routes);
	free(p->path);
	free(p->pref_name);
	free(p);
}

const char *
policy_path(const struct policy *p)
{
	return p->path;
}

const char *
policy_prefecture_name(const struct policy *p)
{
	return p->pref_name ? p->pref_name : "";
}

const char *
policy_prefecture_code(const struct policy *p)
{
	return p->pref_code;
}

enum policy_model
policy_default_model(const struct policy *p)
{
	return p->default_model;
}

size_t
policy_muni_count(const struct policy *p)
{
	return p->nmunis;
}

const struct policy_muni *
policy_muni_at(const struct policy *p, size_t i)
{
	return i < p->nmunis ? &p->munis[i] : NULL;
}

const struct policy_muni *
policy_muni_by_code(const struct policy *p, const char *code)
{
	size_t i;

	if (code == NULL)
		return NULL;
	for (i = 0; i < p->nmunis; i++)
		if (strcmp(p->munis[i].code, code) == 0)
			return &p->munis[i];
	return NULL;
}

size_t
policy_source_count(const struct policy *p)
{
	return p->nsources;
}

const struct policy_source *
policy_source_at(const struct policy *p, size_t i)
{
	return i < p->nsources ? &p->sources[i] : NULL;
}

const struct policy_source *
policy_source_by_name(const struct policy *p, const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < p->nsources; i++)
		if (strcmp(p->sources[i].name, name) == 0)
			return &p->sources[i];
	return NULL;
}

size_t
policy_gateway_count(const struct policy *p)
{
	return p->ngws;
}

const struct policy_gateway *
policy_gateway_at(const struct policy *p, size_t i)
{
	return i < p->ngws ? &p->gws[i] : NULL;
}

size_t
policy_exception_count(const struct policy *p)
{
	return p->nexcs;
}

const struct policy_exception *
policy_exception_at(const struct policy *p, size_t i)
{
	return i < p->nexcs ? &p->excs[i] : NULL;
}

static int64_t
pick(int64_t muni, int64_t all, int64_t dflt)
{
	return muni ? muni : all ? all : dflt;
}

void
policy_retention_for(const struct policy *p, const struct policy_muni *m,
    struct policy_retention *out)
{
	static const struct policy_retention none;
	const struct policy_retention *mr = &none;

	if (m != NULL && m->index < p->nmunis)
		mr = &p->munix[m->index].ret;
	out->events_s =
	    pick(mr->events_s, p->ret.events_s, default_ret.events_s);
	out->alerts_s =
	    pick(mr->alerts_s, p->ret.alerts_s, default_ret.alerts_s);
	out->archive_s =
	    pick(mr->archive_s, p->ret.archive_s, default_ret.archive_s);
	out->pcap_s = pick(mr->pcap_s, p->ret.pcap_s, default_ret.pcap_s);
}

size_t
policy_routes_for(const struct policy *p, const struct policy_muni *m, int sev,
    const struct policy_route **out, size_t max)
{
	size_t i, n = 0;
	int pass;

	if (sev < 1 || sev > 5)
		return 0;
	/* SOC-wide routes first, then the 団体's own. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < p->nroutes; i++) {
			const struct policy_route *r = &p->routes[i];

			if (!(r->sev_mask & (1u << sev)))
				continue;
			if (pass == 0 ? r->muni != NULL :
					(m == NULL || r->muni != m))
				continue;
			if (n < max)
				out[n] = r;
			n++;
		}
	}
	return n;
}

size_t
policy_route_count(const struct policy *p)
{
	return p->nroutes;
}

const struct policy_route *
policy_route_at(const struct policy *p, size_t i)
{
	return i < p->nroutes ? &p->routes[i] : NULL;
}

void
policy_notify_config(const struct policy *p, struct notify_config *out)
{
	memset(out, 0, sizeof(*out));
	out->queue_max = (size_t)p->nopt_queue;
	out->max_attempts = (int)p->nopt_attempts;
	out->backoff_first_ms = p->nopt_backoff_s * 1000;
	out->backoff_max_ms = p->nopt_backoff_max_s * 1000;
	out->timeout_s = (int)p->nopt_timeout_s;
}

struct policy_slot {
	pthread_mutex_t mu;
	struct policy *p;
};

struct policy_slot *
policy_slot_new(struct policy *initial)
{
	struct policy_slot *s = xcalloc(1, sizeof(*s));

	pthread_mutex_init(&s->mu, NULL);
	s->p = initial;
	return s;
}

struct policy *
policy_slot_get(struct policy_slot *s)
{
	struct policy *p;

	pthread_mutex_lock(&s->mu);
	p = policy_ref(s->p);
	pthread_mutex_unlock(&s->mu);
	return p;
}

void
policy_slot_set(struct policy_slot *s, struct policy *p)
{
	struct policy *old;

	pthread_mutex_lock(&s->mu);
	old = s->p;
	s->p = p;
	pthread_mutex_unlock(&s->mu);
	policy_unref(old);
}

void
policy_slot_free(struct policy_slot *s)
{
	if (s == NULL)
		return;
	policy_unref(s->p);
	pthread_mutex_destroy(&s->mu);
	free(s);
}
