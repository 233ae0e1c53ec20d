/*
 * writer.c — the one writer thread: for each batch from the queue, append
 * the events to the archive (which gives each its ref), then in one store
 * transaction fold them into source health (first/last seen, per-minute
 * counts, bytes, parse failures, clock skew), store the rule engine's
 * alerts and raise the health alerts (GL-LOG-01 silence, GL-LOG-03 skew,
 * one per source per 10 minutes, folded into one open group each).
 * The rules are matched before the writer sees a batch, on the pipeline's
 * stage thread the writer starts (detect.c), so matching overlaps the
 * archive and store work; the writer only turns the hits into alerts.
 * The archive is written before the store commits, so after a crash every
 * store row points at archived evidence.  Each event gets the store id of
 * its source (sources.id) before its alerts are stored, so every alert
 * names its log source.  Lines from our own sensors (APP-NAME
 * seccloud-sensor) carry packet time, not their clock: skew is not judged
 * for them.
 */
#define _GNU_SOURCE 1 /* pthread_setname_np */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/collector_int.h"
#include "collector/store.h"
#include "common/log.h"
#include "common/timeutil.h"

#define SKEW_ALERT_EVERY_US (600 * TIME_US_PER_SEC)
#define HEALTH_EVERY_US (1 * TIME_US_PER_SEC)
#define DELTA_SLOTS 1024 /* distinct (source, minute) per flush */
#define STATE_SLOTS_MIN 1024

/* health alert rules (gid 1, our reserved sid range) */
#define SID_SILENCE 9900001
#define SID_SKEW_WARN 9900003
#define SID_SKEW_CRIT 9900004

struct src_state {
	struct addr addr;
	int used;
	int64_t id; /* sources.id, 0 until stored */
	int64_t skew_alert_us; /* last GL-LOG-03 alert */
};

struct writer {
	struct writer_conf conf;
	pthread_t thr;
	struct source_delta delta[DELTA_SLOTS];
	int delta_used[DELTA_SLOTS];
	size_t ndelta;
	struct src_state *state;
	size_t nstate, capstate;
	int64_t last_sync, last_health, last_counters, last_stats;
	uint64_t declared; /* sources in the store are of it (serial) */
	int64_t start_us;
};

static uint64_t
addr_hash(const struct addr *a, int64_t minute)
{
	uint64_t h = 1469598103934665603ULL;

	for (int i = 0; i < 16; i++)
		h = (h ^ a->b[i]) * 1099511628211ULL;
	return (h ^ (uint64_t)minute) * 1099511628211ULL;
}

static struct src_state *
state_get(struct writer *w, const struct addr *a)
{
	size_t i;

	if (w->nstate * 2 >= w->capstate) {
		size_t ncap = w->capstate ? w->capstate * 2 : STATE_SLOTS_MIN;
		struct src_state *n = calloc(ncap, sizeof(*n));

		if (n == NULL)
			return NULL;
		for (size_t j = 0; j < w->capstate; j++) {
			if (!w->state[j].used)
				continue;
			i = addr_hash(&w->state[j].addr, 0) & (ncap - 1);
			while (n[i].used)
				i = (i + 1) & (ncap - 1);
			n[i] = w->state[j];
		}
		free(w->state);
		w->state = n;
		w->capstate = ncap;
	}
	i = addr_hash(a, 0) & (w->capstate - 1);
	while (w->state[i].used) {
		if (addr_cmp(&w->state[i].addr, a) == 0)
			return &w->state[i];
		i = (i + 1) & (w->capstate - 1);
	}
	w->state[i].used = 1;
	w->state[i].addr = *a;
	w->nstate++;
	return &w->state[i];
}

static void
health_alert(struct writer *w, uint32_t sid, int sev, const char *msg,
    const char *usecase, const char *muni, const struct addr *src,
    const struct sc_event *ev, const char *extra, int64_t source_id)
{
	struct sc_alert al;

	memset(&al, 0, sizeof(al));
	al.ts_us = time_now_us();
	al.origin = SC_ORIGIN_HEALTH;
	al.gid = 1;
	al.sid = sid;
	al.rev = 1;
	al.severity = sev;
	al.msg = msg;
	al.classtype = "system-health";
	al.usecase = usecase;
	al.guideline = NULL;
	snprintf(al.muni, sizeof(al.muni), "%s", muni);
	if (src != NULL) {
		al.has_src = 1;
		al.src = *src;
	}
	if (ev != NULL) {
		al.event_ts_us = ev->ts_us;
		al.tier = ev->tier;
		al.archive = ev->archive;
		al.evidence = ev->raw;
		al.evidence_len = ev->rawlen;
	}
	al.extra_json = extra;
	al.source_id =
	    source_id > 0 && source_id <= UINT32_MAX ? (uint32_t)source_id : 0;
	if (store_alert_insert(w->conf.store, &al, NULL, NULL) == 0)
		ctr_add(CTR_ALERTS_HEALTH, 1);
	else {
		ctr_add(CTR_ALERTS_STORE_ERRORS, 1);
		log_warnx("writer: health alert %u not stored: %s", sid,
		    store_errmsg(w->conf.store));
	}
}

static void
check_skew(struct writer *w, const struct sc_event *ev, int64_t skew_ms)
{
	int64_t a = skew_ms < 0 ? -skew_ms : skew_ms;
	int64_t warn = LIVE_GET(skew_warn_ms), lim = LIVE_GET(skew_crit_ms);
	struct src_state *s;
	char extra[96], msg[64];
	int crit;

	if (a <= warn)
		return;
	if ((s = state_get(w, ev_source_addr(ev))) == NULL)
		return;
	if (s->skew_alert_us != 0 &&
	    ev->recv_us - s->skew_alert_us < SKEW_ALERT_EVERY_US)
		return;
	s->skew_alert_us = ev->recv_us;
	crit = a > lim;
	snprintf(extra, sizeof(extra), "{\"skew_ms\":%" PRId64 "}", skew_ms);
	snprintf(msg, sizeof(msg), "source clock skew over %g s",
	    (double)(crit ? lim : warn) / 1000);
	health_alert(w, crit ? SID_SKEW_CRIT : SID_SKEW_WARN,
	    crit ? SC_SEV_HIGH : SC_SEV_MEDIUM, msg, "GL-LOG-03", ev->muni,
	    ev_source_addr(ev), ev, extra, ev->source_id);
}

static void
flush_deltas(struct writer *w)
{
	struct src_state *s;
	int64_t id;

	for (size_t i = 0; i < DELTA_SLOTS && w->ndelta > 0; i++) {
		if (!w->delta_used[i])
			continue;
		if (store_source_seen(w->conf.store, &w->delta[i], &id) != 0)
			ctr_add(CTR_STORE_ERRORS, 1);
		else if ((s = state_get(w, &w->delta[i].a)) != NULL)
			s->id = id;
		w->delta_used[i] = 0;
		w->ndelta--;
	}
}

/* Our sensors' lines are stamped with the packet's time (a replayed
 * capture is hours or years old): their skew means nothing. */
static int
judges_skew(const struct sc_event *ev)
{
	return ev->ts_us != 0 &&
	    !(ev->applen == 15 && memcmp(ev->app, "seccloud-sensor", 15) == 0);
}

static void
account(struct writer *w, const struct sc_event *ev)
{
	int64_t minute = ev->recv_us / (60 * TIME_US_PER_SEC);
	const struct addr *src = ev_source_addr(ev); /* relayed: origin */
	uint64_t h = addr_hash(src, minute);
	size_t i = h & (DELTA_SLOTS - 1);
	struct source_delta *d;
	int64_t skew_ms = 0;
	int has_skew = judges_skew(ev);

	if (w->ndelta >= DELTA_SLOTS / 2)
		flush_deltas(w);
	for (;;) {
		d = &w->delta[i];
		if (!w->delta_used[i])
			break;
		if (d->minute == minute && addr_cmp(&d->a, src) == 0)
			goto found;
		i = (i + 1) & (DELTA_SLOTS - 1);
	}
	memset(d, 0, sizeof(*d));
	w->delta_used[i] = 1;
	w->ndelta++;
	d->a = *src;
	addr_fmt(src, d->addr, sizeof(d->addr));
	d->src = tagger_lookup(w->conf.tagger(w->conf.arg), src);
	memcpy(d->muni, ev->muni, SC_MUNI_LEN);
	d->tier = ev->tier;
	d->minute = minute;
	d->first_us = ev->recv_us;
found:
	if (ev->recv_us < d->first_us)
		d->first_us = ev->recv_us;
	if (ev->recv_us > d->last_us)
		d->last_us = ev->recv_us;
	d->messages++;
	d->bytes += ev->rawlen;
	if (ev->flags & SC_EV_UNPARSED)
		d->parse_failures++;
	if (has_skew) {
		skew_ms = (ev->ts_us - ev->recv_us) / 1000;
		d->skew_last_ms = skew_ms;
		if (!d->has_skew || llabs(skew_ms) > llabs(d->skew_max_ms))
			d->skew_max_ms = skew_ms;
		d->has_skew = 1;
	}
}

/* After the deltas are stored: each event's source id (the run of events
 * from one peer reuses the last lookup), then the skew check, so its
 * alert names the source too. */
static void
identify(struct writer *w, struct batch *b)
{
	const struct addr *last = NULL;
	int64_t id = 0;

	for (size_t i = 0; i < b->nev; i++) {
		struct sc_event *ev = &b->ev[i];

		const struct addr *src = ev_source_addr(ev);

		if (last == NULL || addr_cmp(last, src) != 0) {
			const struct src_state *s = state_get(w, src);

			id = s != NULL ? s->id : 0;
			last = src;
		}
		ev->source_id = id > 0 && id <= UINT32_MAX ? (uint32_t)id : 0;
		if (judges_skew(ev))
			check_skew(w, ev, (ev->ts_us - ev->recv_us) / 1000);
	}
}

static void
silent_cb(void *arg, int64_t id, const char *addr, const char *muni,
    const char *name, int64_t last_seen, int64_t interval)
{
	struct writer *w = arg;
	struct addr a;
	char extra[512];

	snprintf(extra, sizeof(extra),
	    "{\"source_id\":%" PRId64 ",\"last_seen\":%" PRId64
	    ",\"expected_interval\":%" PRId64 "}",
	    id, last_seen, interval);
	(void)name;
	health_alert(w, SID_SILENCE, SC_SEV_HIGH,
	    "log source silent longer than its expected interval", "GL-LOG-01",
	    muni ? muni : "",
	    addr != NULL && addr_parse(addr, &a) == 0 ? &a : NULL, NULL, extra,
	    id);
	store_source_set_silent(w->conf.store, id, time_now_us());
}

static void
write_counters(struct writer *w)
{
	int64_t now = time_now_us();

	for (int c = 0; c < CTR_MAX; c++)
		store_counter_set(w->conf.store, "collector",
		    ctr_names[c].stage, ctr_names[c].name,
		    (int64_t)ctr_get((enum ctr)c), now);
}

/* Declare the policy's sources (at start and after a reload), so a
 * source that never sends is still watched for silence. */
static void
declare_sources(struct writer *w)
{
	const struct tagger *t = w->conf.tagger(w->conf.arg);

	if (tagger_serial(t) == w->declared)
		return;
	for (size_t i = 0; i < tagger_count(t); i++)
		store_source_declare(w->conf.store, tagger_at(t, i));
	store_municipalities_sync(w->conf.store, tagger_policy(t));
	w->declared = tagger_serial(t);
}

static void
periodic(struct writer *w, int in_txn)
{
	int64_t mono = time_mono_us();
	char line[512];

	if (mono - w->last_sync >= w->conf.batch_age_us) {
		archive_sync(w->conf.archive);
		archive_maybe_rotate(w->conf.archive, time_now_us());
		w->last_sync = mono;
	}
	if (!in_txn &&
	    (mono - w->last_health >= HEALTH_EVERY_US ||
		mono - w->last_counters >= w->conf.batch_age_us)) {
		if (store_begin(w->conf.store) != 0)
			return;
		if (mono - w->last_health >= HEALTH_EVERY_US) {
			declare_sources(w);
			store_sources_overdue(w->conf.store, time_now_us(),
			    w->start_us, silent_cb, w);
			w->last_health = mono;
		}
		write_counters(w);
		w->last_counters = mono;
		if (store_commit(w->conf.store) != 0)
			store_rollback(w->conf.store);
	}
	if (w->conf.stats_every_us > 0 &&
	    mono - w->last_stats >= w->conf.stats_every_us) {
		ctr_summary(line, sizeof(line));
		log_info("stats: %s", line);
		w->last_stats = mono;
	}
}

static void
write_batch(struct writer *w, struct batch *b)
{
	size_t alerts;

	archive_append(w->conf.archive, b->ev, b->nev);
	if (store_begin(w->conf.store) != 0) {
		ctr_add(CTR_STORE_ERRORS, 1);
		return;
	}
	for (size_t i = 0; i < b->nev; i++)
		account(w, &b->ev[i]);
	flush_deltas(w);
	identify(w, b);
	alerts = collector_detect_batch(
	    w->conf.detect, b, w->conf.store, w->conf.tagger(w->conf.arg));
	ctr_add(CTR_ALERTS_RULES, alerts);
	ctr_add(CTR_ALERTS_SENSOR, collector_sensor_alerts(b, w->conf.store));
	if (store_commit(w->conf.store) != 0) {
		store_rollback(w->conf.store);
		ctr_add(CTR_STORE_ERRORS, 1);
		return;
	}
	ctr_add(CTR_STORED_BATCHES, 1);
	ctr_add(CTR_STORED_EVENTS, b->nev);
}

/* The pipeline's stage: the rule engine, beside the writer. */
static void
match_stage(void *arg, struct batch *b)
{
	collector_detect_match(arg, b);
}

static void *
writer_main(void *arg)
{
	struct writer *w = arg;
	struct batch *b;

	pthread_setname_np(pthread_self(), "sc-writer");
	w->last_sync = w->last_health = w->last_counters = w->last_stats =
	    time_mono_us();
	w->start_us = time_now_us();
	for (;;) {
		if (w->conf.quiesce != NULL)
			w->conf.quiesce(w->conf.arg);
		b = pipeline_next(w->conf.pipeline, w->conf.batch_age_us / 2);
		if (b != NULL) {
			write_batch(w, b);
			pipeline_release(w->conf.pipeline, b);
		} else if (pipeline_closed(w->conf.pipeline))
			break;
		periodic(w, 0);
	}
	pipeline_stage_join(w->conf.pipeline);
	archive_sync(w->conf.archive);
	if (store_begin(w->conf.store) == 0) {
		write_counters(w);
		if (store_commit(w->conf.store) != 0)
			store_rollback(w->conf.store);
	}
	return NULL;
}

struct writer *
writer_start(const struct writer_conf *conf)
{
	struct writer *w = calloc(1, sizeof(*w));

	if (w == NULL)
		return NULL;
	w->conf = *conf;
	if (pipeline_stage_start(
		w->conf.pipeline, match_stage, w->conf.detect) != 0)
		log_warnx("writer: no thread for the rule engine: matching "
			  "on the writer's");
	if (pthread_create(&w->thr, NULL, writer_main, w) != 0) {
		/* the daemon stops: let the stage drain and end */
		pipeline_close(w->conf.pipeline);
		pipeline_stage_join(w->conf.pipeline);
		free(w);
		return NULL;
	}
	return w;
}

void
writer_join(struct writer *w)
{
	if (w == NULL)
		return;
	pthread_join(w->thr, NULL);
	free(w->state);
	free(w);
}
