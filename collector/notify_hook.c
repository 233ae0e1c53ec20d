/*
 * notify_hook.c — the collector's side of notifications: the notifier
 * (policies/notify.c) with the store's notification log as its sink, fed
 * by the store's group hook (store_set_group_hook).  When the writer's
 * transaction commits, each group it created or reopened becomes one
 * notify_msg, sent along the routes the policy in force gives for its
 * severity and 団体 — so a burst of alerts folded into one group is one
 * notification, and nothing is announced that did not reach the store.
 *
 * notify_send only queues: the writer never waits for a receiver.  A full
 * queue is a counted drop (and a rate-limited log line), recorded in the
 * notification log like any other outcome.
 *
 * A policy reload re-points the routes at once (the policy is read per
 * group).  If the reload changes notify-options, a new notifier takes
 * over for new notifications and the old one keeps delivering what it
 * holds; all are drained (bounded) and freed at exit.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/collector_int.h"
#include "collector/store.h"
#include "common/log.h"
#include "common/timeutil.h"
#include "policies/policy.h"

#define NOTIFIERS_MAX 16 /* notifiers kept across reloads until exit */

struct notify_hook {
	const struct tagger *(*tagger)(void *);
	void *arg;
	struct notify_store *ns;
	struct notify *cur; /* atomic pointer: the writer reads it */
	struct notify *all[NOTIFIERS_MAX];
	size_t nall;
	struct notify_config cfg; /* cur's */
	pthread_mutex_t rl_mu; /* the sink runs on several threads */
	struct ratelim rl_drop, rl_fail;
};

static int
hook_ratelim(struct notify_hook *h, struct ratelim *rl, uint64_t *supp)
{
	int ok;

	pthread_mutex_lock(&h->rl_mu);
	ok = ratelim_ok(rl, supp);
	pthread_mutex_unlock(&h->rl_mu);
	return ok;
}

static const struct policy *
current_policy(struct notify_hook *h)
{
	const struct tagger *t = h->tagger(h->arg);

	return t != NULL ? tagger_policy(t) : NULL;
}

/* The sink: the store's notification log, and the counters. */
static void
hook_record(void *arg, const struct notify_record *r)
{
	struct notify_hook *h = arg;
	uint64_t supp = 0;

	notify_store_sink(h->ns).record(h->ns, r);
	if (strcmp(r->result, "ok") == 0) {
		ctr_add(CTR_NOTIFY_SENT, 1);
	} else if (strncmp(r->result, "dropped", 7) == 0) {
		ctr_add(CTR_NOTIFY_DROPPED, 1);
		if (hook_ratelim(h, &h->rl_drop, NULL))
			log_warnx("notify: notification for group %lld to %s "
				  "dropped (%s); %llu dropped so far",
			    (long long)r->group_id, r->target, r->result,
			    (unsigned long long)ctr_get(CTR_NOTIFY_DROPPED));
	} else {
		ctr_add(CTR_NOTIFY_FAILED, 1);
		if (hook_ratelim(h, &h->rl_fail, &supp))
			log_warnx("notify: notification for group %lld to %s: "
				  "%s after %d attempt(s) (%llu similar "
				  "suppressed)",
			    (long long)r->group_id, r->target, r->result,
			    r->attempts, (unsigned long long)supp);
	}
}

static void
hook_groups(
    void *arg, const struct store_group_event *ev, size_t n, uint64_t lost)
{
	struct notify_hook *h = arg;
	struct notify *nt = __atomic_load_n(&h->cur, __ATOMIC_ACQUIRE);
	const struct policy *p = current_policy(h);
	char summary[NOTIFY_SUMMARY_MAX];
	struct notify_msg m;

	if (lost > 0) {
		ctr_add(CTR_NOTIFY_DROPPED, lost);
		if (hook_ratelim(h, &h->rl_drop, NULL))
			log_warnx("notify: %llu new groups in one batch over "
				  "the limit of %d: not notified",
			    (unsigned long long)lost, STORE_GROUP_EVENTS_MAX);
	}
	if (p == NULL || nt == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct store_group_event *e = &ev[i];

		if (e->src[0] != '\0' || e->dst[0] != '\0')
			snprintf(summary, sizeof(summary), "%s (%s -> %s)",
			    e->msg, e->src[0] ? e->src : "-",
			    e->dst[0] ? e->dst : "-");
		else
			snprintf(summary, sizeof(summary), "%s", e->msg);
		memset(&m, 0, sizeof(m));
		m.ts_us = e->ts_us;
		m.severity = e->severity;
		m.muni_code = e->muni;
		m.use_case = e->usecase[0] ? e->usecase : NULL;
		m.summary = summary;
		m.group_id = e->group_id;
		m.alert_id = e->alert_id;
		m.gid = e->gid;
		m.sid = e->sid;
		m.rev = e->rev;
		m.reopened = (e->flags & STORE_GROUP_REOPENED) != 0;
		ctr_add(CTR_NOTIFY_QUEUED, notify_send(nt, p, &m));
	}
}

struct notify_hook *
notify_hook_start(const char *dbpath, const struct tagger *(*tagger)(void *),
    void *arg, char *err, size_t errlen)
{
	struct notify_hook *h = calloc(1, sizeof(*h));
	struct notify_sink sink;
	const struct policy *p;

	if (h == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	h->tagger = tagger;
	h->arg = arg;
	h->rl_drop.interval = 10;
	h->rl_fail.interval = 10;
	pthread_mutex_init(&h->rl_mu, NULL);
	if ((h->ns = notify_store_open(dbpath, err, errlen)) == NULL) {
		pthread_mutex_destroy(&h->rl_mu);
		free(h);
		return NULL;
	}
	if ((p = current_policy(h)) != NULL)
		policy_notify_config(p, &h->cfg);
	sink.record = hook_record;
	sink.arg = h;
	if ((h->cur = notify_new(&h->cfg, &sink)) == NULL) {
		snprintf(err, errlen, "cannot start the notifier");
		notify_store_close(h->ns);
		pthread_mutex_destroy(&h->rl_mu);
		free(h);
		return NULL;
	}
	h->all[h->nall++] = h->cur;
	return h;
}

void
notify_hook_attach(struct notify_hook *h, struct store *st)
{
	store_set_group_hook(st, hook_groups, h);
}

void
notify_hook_reload(struct notify_hook *h)
{
	const struct policy *p = current_policy(h);
	struct notify_config cfg;
	struct notify_sink sink = { hook_record, h };
	struct notify *nt;

	if (p == NULL)
		return;
	policy_notify_config(p, &cfg);
	if (memcmp(&cfg, &h->cfg, sizeof(cfg)) == 0)
		return; /* routes are read per group: nothing to do */
	if (h->nall == NOTIFIERS_MAX) {
		log_warnx("reload: notify-options changed too often; keeping "
			  "the previous settings until a restart");
		return;
	}
	if ((nt = notify_new(&cfg, &sink)) == NULL) {
		log_warnx("reload: cannot start a notifier with the new "
			  "notify-options; keeping the previous one");
		return;
	}
	h->all[h->nall++] = nt;
	h->cfg = cfg;
	/* the old notifier delivers what it holds and is freed at exit */
	__atomic_store_n(&h->cur, nt, __ATOMIC_RELEASE);
	log_info("reload: notifier restarted with the new notify-options");
}

void
notify_hook_stats(struct notify_hook *h, struct notify_stats *out)
{
	struct notify_stats s;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < h->nall; i++) {
		notify_get_stats(h->all[i], &s);
		out->queued += s.queued;
		out->sent += s.sent;
		out->failed += s.failed;
		out->dropped += s.dropped;
		out->retries += s.retries;
	}
}

void
notify_hook_stop(struct notify_hook *h, int64_t timeout_ms)
{
	int64_t end;
	size_t left = 0;

	if (h == NULL)
		return;
	end = time_mono_us() + timeout_ms * 1000;
	for (size_t i = 0; i < h->nall; i++) {
		int64_t ms = (end - time_mono_us()) / 1000;

		left += notify_drain(h->all[i], ms > 0 ? ms : 0);
	}
	if (left > 0)
		log_warnx("notify: %zu notification(s) still pending after "
			  "%lld ms: abandoned",
		    left, (long long)timeout_ms);
	for (size_t i = 0; i < h->nall; i++)
		notify_free(h->all[i]);
	notify_store_close(h->ns);
	pthread_mutex_destroy(&h->rl_mu);
	free(h);
}
