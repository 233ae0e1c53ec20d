/*
 * detect.c — the rule engine in the collector's pipeline: every event of a
 * batch is matched against the log rule set (rules/rules.h) with one
 * scratch and one correlator (threshold, after, xbits and grouping keep
 * their state across reloads), and each hit becomes an alert in the store
 * with the event's archive ref as its evidence.  Lines from the policy's
 * firewall sources are also judged against the three-tier flow matrix
 * (policy_eval_event): a violation becomes a policy alert (GL-SEP-*,
 * GL-EXC-01) pointing at the same evidence.
 *
 * Runs on the writer thread, after the archive gave every event its ref
 * and inside the batch's store transaction.  Reload (SIGHUP, main thread)
 * builds the new set beside the old and swaps the pointer under a mutex;
 * the writer takes a reference per batch, so the old set is freed when
 * the last batch using it is done.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/collector_int.h"
#include "collector/store.h"
#include "common/log.h"
#include "common/settings.h"
#include "common/timeutil.h"
#include "policies/policy.h"
#include "rules/rules.h"

struct detect {
	pthread_mutex_t mu;
	struct ruleset *rs; /* current, may be NULL */
	struct correlator *corr;
	/* the writer's own */
	struct ruleset *scratch_rs; /* the set scratch belongs to */
	struct rule_scratch *scratch;
};

static struct ruleset *
load(const struct settings *s, const char *datadir)
{
	struct ruleset_opts o;
	struct ruleset_stats st;
	struct rule_var *vars;
	struct ruleset *rs;
	char cache[4200];

	if (s == NULL || s->nrules == 0)
		return NULL;
	memset(&o, 0, sizeof(o));
	o.flags = RULESET_LOG | (s->strict_rules ? RULESET_STRICT : 0);
	vars = calloc(s->nvars ? s->nvars : 1, sizeof(*vars));
	if (vars == NULL)
		return NULL;
	for (size_t i = 0; i < s->nvars; i++) {
		vars[i].name = s->vars[i].name;
		vars[i].value = s->vars[i].value;
	}
	o.vars = vars;
	o.nvars = s->nvars;
	snprintf(cache, sizeof(cache), "%s/rules-cache", datadir);
	o.cache_dir = cache;
	rs = ruleset_load((const char *const *)s->rules, s->nrules, &o, &st);
	free(vars);
	if (rs == NULL)
		log_warnx("rules: not loaded (%zu files); log rules are off",
		    s->nrules);
	else
		log_info("rules: %zu loaded, %zu rejected, %s", st.loaded,
		    st.rejected, st.cache_hit ? "from cache" : "compiled");
	return rs;
}

struct detect *
collector_detect_new(const struct settings *s, const char *datadir)
{
	struct detect *d = calloc(1, sizeof(*d));
	struct correlator_limits lim = { 0 };

	if (d == NULL)
		return NULL;
	pthread_mutex_init(&d->mu, NULL);
	d->corr = correlator_new(&lim);
	d->rs = load(s, datadir);
	return d;
}

int
collector_detect_reload(
    struct detect *d, const struct settings *s, const char *datadir)
{
	struct ruleset *rs = load(s, datadir), *old;

	if (rs == NULL && s != NULL && s->nrules > 0)
		return -1; /* keep the previous set */
	pthread_mutex_lock(&d->mu);
	old = d->rs;
	d->rs = rs;
	pthread_mutex_unlock(&d->mu);
	ruleset_unref(old);
	return 0;
}

void
collector_detect_free(struct detect *d)
{
	if (d == NULL)
		return;
	rule_scratch_free(d->scratch);
	ruleset_unref(d->scratch_rs);
	ruleset_unref(d->rs);
	correlator_free(d->corr);
	pthread_mutex_destroy(&d->mu);
	free(d);
}

struct hit_ctx {
	struct store *st;
	const struct sc_event *ev;
	size_t alerts;
};

static int
severity_of(const struct rule *r)
{
	const char *m = rule_metadata(r, "severity");
	int p;

	if (m != NULL && (m[0] == 'S' || m[0] == 's') && m[1] >= '1' &&
	    m[1] <= '5')
		return m[1] - '0';
	p = rule_priority(r);
	if (p >= 1 && p <= 4)
		return p + 1; /* Snort priority 1 (high) is our S2 */
	return SC_SEV_MEDIUM;
}

static int
on_hit(void *arg, const struct rule_hit *h)
{
	struct hit_ctx *c = arg;
	const struct sc_event *ev = c->ev;
	struct sc_alert al;

	memset(&al, 0, sizeof(al));
	al.ts_us = time_now_us();
	al.event_ts_us = ev->ts_us;
	al.origin = SC_ORIGIN_LOG;
	al.gid = rule_gid(h->rule);
	al.sid = rule_sid(h->rule);
	al.rev = rule_rev(h->rule);
	al.severity = severity_of(h->rule);
	al.msg = rule_msg(h->rule);
	al.classtype = rule_classtype(h->rule);
	al.usecase = rule_metadata(h->rule, "usecase");
	al.guideline = rule_metadata(h->rule, "guideline");
	memcpy(al.muni, ev->muni, SC_MUNI_LEN);
	al.tier = ev->tier;
	al.has_src = h->has_src;
	al.src = h->src;
	al.has_dst = h->has_dst;
	al.dst = h->dst;
	al.sport = h->sport;
	al.dport = h->dport;
	al.source_id = ev->source_id;
	al.archive = ev->archive;
	al.evidence = ev->raw;
	al.evidence_len = ev->rawlen;
	if (store_alert_insert(c->st, &al, NULL, NULL) == 0)
		c->alerts++;
	return 0;
}

/* Source types whose lines carry flows (policies/fw_*.c reads them). */
static int
is_firewall(const char *type)
{
	static const char *const fw[] = { "iptables", "fortigate", "asa",
		"panos", "firewall", NULL };

	for (size_t i = 0; fw[i] != NULL; i++)
		if (strcmp(type, fw[i]) == 0)
			return 1;
	return 0;
}

static size_t
judge_flows(struct batch *b, struct store *st, const struct tagger *t)
{
	const struct policy *p = tagger_policy(t);
	size_t n = 0;

	if (p == NULL)
		return 0;
	for (size_t i = 0; i < b->nev; i++) {
		const struct sc_event *ev = &b->ev[i];
		const struct tag_source *src;
		struct policy_verdict v;
		struct fw_flow flow;
		struct sc_alert al;
		char evbuf[512];

		if ((ev->flags & SC_EV_UNKNOWN_SOURCE) ||
		    (src = tagger_lookup(t, ev_source_addr(ev))) == NULL ||
		    !is_firewall(src->type))
			continue;
		if (policy_eval_event(p, ev, &flow, &v) != 1 ||
		    policy_verdict_alert(&v, &flow.src, flow.sport, &flow.dst,
			flow.dport, flow.ipproto, time_now_us(), evbuf,
			sizeof(evbuf), &al) != 0)
			continue;
		al.archive = ev->archive; /* the raw line, by ref */
		al.source_id = ev->source_id;
		if (store_alert_insert(st, &al, NULL, NULL) == 0)
			n++;
	}
	return n;
}

size_t
collector_detect_batch(
    struct detect *d, struct batch *b, struct store *st, const struct tagger *t)
{
	struct ruleset *rs;
	struct hit_ctx c;

	size_t policy_alerts = judge_flows(b, st, t);

	pthread_mutex_lock(&d->mu);
	rs = d->rs != NULL ? ruleset_ref(d->rs) : NULL;
	pthread_mutex_unlock(&d->mu);
	if (rs == NULL)
		return policy_alerts;
	if (d->scratch_rs != rs) {
		/* a new set (first batch or after a reload): new scratch */
		rule_scratch_free(d->scratch);
		ruleset_unref(d->scratch_rs);
		d->scratch = rule_scratch_new(rs);
		d->scratch_rs = ruleset_ref(rs);
	}
	c.st = st;
	c.alerts = 0;
	for (size_t i = 0; d->scratch != NULL && i < b->nev; i++) {
		const struct sc_event *ev = &b->ev[i];
		struct rule_logmsg m;

		memset(&m, 0, sizeof(m));
		m.msg = ev->msg;
		m.msglen = ev->msglen;
		m.program = ev->applen ? ev->app : NULL;
		m.programlen = ev->applen;
		m.facility = ev->facility;
		m.level = ev->severity;
		m.host = ev_source_addr(ev);
		m.recv_us = ev->recv_us;
		m.dantai = ev->muni[0] ? ev->muni : NULL;
		c.ev = ev;
		ruleset_match_log(rs, d->scratch, d->corr, &m, on_hit, &c);
	}
	ruleset_unref(rs);
	return c.alerts + policy_alerts;
}
