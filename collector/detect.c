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
 * Matching runs on the pipeline's stage thread, one batch at a time in
 * submission order (so correlation sees the lines in order), and keeps
 * the hits in the batch; the writer stores them as alerts after the
 * archive gave every event its ref, inside the batch's store transaction.
 * Reload (SIGHUP, main thread) builds the new set beside the old and
 * swaps the pointer under a mutex; each batch takes a reference on the
 * set it was matched with and keeps it until its alerts are stored, so
 * every line is matched by exactly one set and the old set is freed when
 * the last batch using it is done.
 *
 * Nothing here fails silently: a set that does not load refuses the
 * start (and keeps the previous set at a reload), and every match error,
 * skipped batch, PCRE2 limit, correlator eviction and refused alert is a
 * counter (collector.h).
 */
#include "config.h"

#include <stdarg.h>
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

/* A warning at most once a minute per call site (each site runs on one
 * thread), saying how many were suppressed; the counters count them all. */
static void __attribute__((format(printf, 2, 3)))
warn_limited(struct ratelim *rl, const char *fmt, ...)
{
	char line[512];
	uint64_t sup = 0;
	va_list ap;

	if (!ratelim_ok(rl, &sup))
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (sup > 0)
		log_warnx("%s (%llu similar suppressed)", line,
		    (unsigned long long)sup);
	else
		log_warnx("%s", line);
}

static struct ratelim rl_hit = RATELIM_INIT(60), rl_scratch = RATELIM_INIT(60),
		      rl_match = RATELIM_INIT(60); /* the matching thread */
static struct ratelim rl_store = RATELIM_INIT(60); /* the writer */

struct det_hit {
	struct rule_hit h; /* username NULL */
	size_t ev; /* index in the batch */
};

struct detect {
	pthread_mutex_t mu;
	struct ruleset *rs; /* current, may be NULL */
	/* the matcher's own (one batch at a time: the stage thread, or the
	 * writer for a batch that came before the stage started) */
	pthread_mutex_t match_mu;
	struct correlator *corr;
	struct ruleset *scratch_rs; /* the set scratch belongs to */
	struct rule_scratch *scratch;
	uint64_t pcre_errors_before; /* of the scratches freed */
};

static struct ruleset *
load(const struct settings *s, const char *datadir, int *failed)
{
	struct ruleset_opts o;
	struct ruleset_stats st;
	struct rule_var *vars;
	struct ruleset *rs;
	char cache[4200];

	*failed = 0;
	if (s == NULL || s->nrules == 0)
		return NULL;
	memset(&o, 0, sizeof(o));
	memset(&st, 0, sizeof(st));
	o.flags = RULESET_LOG | (s->strict_rules ? RULESET_STRICT : 0);
	vars = calloc(s->nvars ? s->nvars : 1, sizeof(*vars));
	if (vars == NULL) {
		*failed = 1;
		return NULL;
	}
	for (size_t i = 0; i < s->nvars; i++) {
		vars[i].name = s->vars[i].name;
		vars[i].value = s->vars[i].value;
	}
	o.vars = vars;
	o.nvars = s->nvars;
	snprintf(cache, sizeof(cache), "%s/rules-cache", datadir);
	o.cache_dir = cache;
	/* every bad rule is logged by the loader as file:line: sid N: reason,
	 * an unreadable file as path: error */
	rs = ruleset_load((const char *const *)s->rules, s->nrules, &o, &st);
	free(vars);
	if (rs == NULL) {
		*failed = 1;
		log_warnx("rules: the set did not load (%zu of %zu files read, "
			  "%zu rule(s) rejected%s): see the errors above",
		    st.files, s->nrules, st.rejected,
		    s->strict_rules ? ", rules-strict" : "");
		return NULL;
	}
	ctr_set(CTR_RULES_REJECTED, st.rejected);
	ctr_set(CTR_RULES_LOADED, st.loaded);
	if (st.rejected > 0)
		log_warnx("rules: %zu loaded, %zu rejected (skipped, see "
			  "above), %s",
		    st.loaded, st.rejected,
		    st.cache_hit ? "from cache" : "compiled");
	else
		log_info("rules: %zu loaded, %s", st.loaded,
		    st.cache_hit ? "from cache" : "compiled");
	return rs;
}

struct detect *
collector_detect_new(const struct settings *s, const char *datadir)
{
	struct detect *d;
	struct correlator_limits lim = { 0 };
	int failed;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	pthread_mutex_init(&d->mu, NULL);
	pthread_mutex_init(&d->match_mu, NULL);
	d->corr = correlator_new(&lim);
	d->rs = load(s, datadir, &failed);
	if (failed || d->corr == NULL) {
		log_warnx("rules: configuration refused: not starting with "
			  "log rules off");
		collector_detect_free(d);
		return NULL;
	}
	return d;
}

int
collector_detect_reload(
    struct detect *d, const struct settings *s, const char *datadir)
{
	int failed;
	struct ruleset *rs = load(s, datadir, &failed), *old;

	if (failed) {
		ctr_add(CTR_RULES_RELOAD_FAILED, 1);
		return -1; /* keep the previous set */
	}
	if (rs == NULL) {
		ctr_set(CTR_RULES_LOADED, 0);
		ctr_set(CTR_RULES_REJECTED, 0);
	}
	pthread_mutex_lock(&d->mu);
	old = d->rs;
	d->rs = rs;
	pthread_mutex_unlock(&d->mu);
	ruleset_unref(old);
	/* from here on every batch not yet matched gets the new set */
	log_info("rules: reloaded (%zu rules)",
	    rs != NULL ? ruleset_stats(rs)->loaded : 0);
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
	pthread_mutex_destroy(&d->match_mu);
	free(d);
}

void
collector_detect_release(struct batch *b)
{
	ruleset_unref(b->rs);
	b->rs = NULL;
	b->nhits = 0;
	b->matched = 0;
}

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

/* Keep a hit in the batch; a hit that finds no room is counted lost. */
static int
on_hit(void *arg, const struct rule_hit *h)
{
	struct batch *b = arg;
	struct det_hit *dh;

	if (b->nhits == b->caphits) {
		size_t ncap = b->caphits ? b->caphits * 2 : 256;
		struct det_hit *n = realloc(b->hits, ncap * sizeof(*n));

		if (n == NULL) {
			ctr_add(CTR_ALERTS_STORE_ERRORS, 1);
			warn_limited(&rl_hit,
			    "detect: out of memory: a rule hit "
			    "is lost (alerts/store-errors)");
			return 0;
		}
		b->hits = n;
		b->caphits = ncap;
	}
	dh = &b->hits[b->nhits++];
	dh->h = *h;
	dh->h.username = NULL;
	dh->ev = b->nev; /* set by the caller's loop: see match_batch */
	return 0;
}

static int
store_hit(struct store *st, const struct sc_event *ev, const struct rule_hit *h)
{
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
	return store_alert_insert(st, &al, NULL, NULL);
}

static void
alert_error(struct store *st, uint32_t sid)
{
	ctr_add(CTR_ALERTS_STORE_ERRORS, 1);
	warn_limited(&rl_store,
	    "detect: alert of sid %u not stored: %s "
	    "(alerts/store-errors)",
	    sid, store_errmsg(st));
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
		else
			alert_error(st, al.sid);
	}
	return n;
}

static void
match_locked(struct detect *d, struct batch *b)
{
	struct ruleset *rs;
	struct correlator_stats cs;
	size_t nhits;

	b->matched = 1;
	b->nhits = 0;
	pthread_mutex_lock(&d->mu);
	rs = d->rs != NULL ? ruleset_ref(d->rs) : NULL;
	pthread_mutex_unlock(&d->mu);
	b->rs = rs; /* the batch's reference */
	if (rs == NULL)
		return;
	if (d->scratch_rs != rs) {
		/* a new set (first batch or after a reload): new scratch */
		d->pcre_errors_before += rule_scratch_pcre_errors(d->scratch);
		rule_scratch_free(d->scratch);
		ruleset_unref(d->scratch_rs);
		d->scratch = rule_scratch_new(rs);
		d->scratch_rs = d->scratch != NULL ? ruleset_ref(rs) : NULL;
	}
	if (d->scratch == NULL) {
		ctr_add(CTR_RULES_UNMATCHED, b->nev);
		warn_limited(&rl_scratch,
		    "detect: no scratch for the rule set (out of "
		    "memory): %zu lines not matched "
		    "(rules/unmatched-events)",
		    b->nev);
		return;
	}
	for (size_t i = 0; i < b->nev; i++) {
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
		nhits = b->nhits;
		if (ruleset_match_log(rs, d->scratch, d->corr, &m, on_hit, b) <
		    0) {
			ctr_add(CTR_RULES_MATCH_ERRORS, 1);
			warn_limited(&rl_match,
			    "detect: a line could not be matched "
			    "(rules/match-errors)");
		}
		for (size_t k = nhits; k < b->nhits; k++)
			b->hits[k].ev = i;
	}
	ctr_set(CTR_RULES_PCRE_ERRORS,
	    d->pcre_errors_before + rule_scratch_pcre_errors(d->scratch));
	correlator_get_stats(d->corr, &cs);
	ctr_set(CTR_RULES_CORR_EVICTED, cs.evicted);
	ctr_set(CTR_RULES_CORR_ENTRIES, cs.entries);
}

void
collector_detect_match(struct detect *d, struct batch *b)
{
	if (b->matched)
		return;
	pthread_mutex_lock(&d->match_mu);
	match_locked(d, b);
	pthread_mutex_unlock(&d->match_mu);
}

size_t
collector_detect_batch(
    struct detect *d, struct batch *b, struct store *st, const struct tagger *t)
{
	size_t alerts = judge_flows(b, st, t);

	collector_detect_match(d, b); /* unless the stage did */
	for (size_t k = 0; k < b->nhits; k++) {
		const struct det_hit *dh = &b->hits[k];

		if (store_hit(st, &b->ev[dh->ev], &dh->h) == 0)
			alerts++;
		else
			alert_error(st, rule_sid(dh->h.rule));
	}
	collector_detect_release(b);
	return alerts;
}
