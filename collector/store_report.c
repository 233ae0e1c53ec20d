/*
 * store_report.c — the report model (policies/policy.h) filled from the
 * store, read only.  Every query is a prepared statement bound to the
 * 団体 (monthly) and the period; see store_report.h.
 *
 * Source health is derived from source_minutes: coverage is the share of
 * the period's minutes that carried data, the longest silence the longest
 * run of minutes without data (the edges of the period included), and the
 * silent periods the GL-LOG-01 alerts raised for the source.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/store_int.h"
#include "collector/store_report.h"
#include "common/log.h"
#include "common/timeutil.h"
#include "common/xmalloc.h"
#include "policies/policy.h"

#define US_PER_MIN (60 * (int64_t)1000000)
#define ARCHIVE_NOT_RECORDED                                                \
	"not recorded: the store holds no archive verification record for " \
	"this period (記録なし)"

struct store_rpt {
	void **ptrs;
	size_t n, cap;
};

struct store_rpt *
store_rpt_new(void)
{
	return xcalloc(1, sizeof(struct store_rpt));
}

void
store_rpt_free(struct store_rpt *k)
{
	if (k == NULL)
		return;
	for (size_t i = 0; i < k->n; i++)
		free(k->ptrs[i]);
	free(k->ptrs);
	free(k);
}

static void *
keep(struct store_rpt *k, void *p)
{
	if (p == NULL)
		return NULL;
	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 64;
		k->ptrs = xreallocarray(k->ptrs, k->cap, sizeof(*k->ptrs));
	}
	k->ptrs[k->n++] = p;
	return p;
}

/* Column i as a string kept by k; NULL for SQL NULL.  Blobs (evidence)
 * are copied up to their first NUL: the renderers escape every byte. */
static const char *
col(struct store_rpt *k, sqlite3_stmt *s, int i)
{
	const unsigned char *t;
	int len;

	if (sqlite3_column_type(s, i) == SQLITE_NULL)
		return NULL;
	t = sqlite3_column_text(s, i);
	len = sqlite3_column_bytes(s, i);
	if (t == NULL)
		return NULL;
	return keep(k, xstrndup((const char *)t, (size_t)len));
}

static const char *fmt(struct store_rpt *k, const char *f, ...)
    __attribute__((format(printf, 2, 3)));

static const char *
fmt(struct store_rpt *k, const char *f, ...)
{
	char tmp[512];
	va_list ap;

	va_start(ap, f);
	vsnprintf(tmp, sizeof(tmp), f, ap);
	va_end(ap);
	return keep(k, xstrdup(tmp));
}

/* Grow *arr (of sz-byte items) to hold n + 1 items. */
static void *
grow(void *arr, size_t *cap, size_t n, size_t sz)
{
	if (n < *cap)
		return arr;
	*cap = *cap ? *cap * 2 : 16;
	arr = xreallocarray(arr, *cap, sz);
	memset((char *)arr + n * sz, 0, (*cap - n) * sz);
	return arr;
}

static int
step_end(struct store *st, sqlite3_stmt *s, int rc, const char *what)
{
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		log_warnx("store: report %s: %s", what, sqlite3_errmsg(st->db));
		return -1;
	}
	return 0;
}

static void
bind_muni(sqlite3_stmt *s, int idx, const char *muni)
{
	store_bind_text(s, idx, muni);
}

static int64_t
col_i64(sqlite3_stmt *s, int i)
{
	return sqlite3_column_int64(s, i);
}

/* ---- counts ---- */

static const char SQL_BY_SEV[] =
    "SELECT severity, count(*) FROM alerts WHERE muni = ?1 AND ts >= ?2 "
    "AND ts < ?3 GROUP BY severity";
static const char SQL_BY_UC[] =
    "SELECT coalesce(g.usecase, ''), count(*) FROM alerts a "
    "JOIN alert_groups g ON g.id = a.group_id WHERE a.muni = ?1 "
    "AND a.ts >= ?2 AND a.ts < ?3 GROUP BY 1 ORDER BY 2 DESC, 1";

static int
counts(struct store *st, struct store_rpt *k, struct report_monthly *r)
{
	struct report_count *uc = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *s;
	int rc;

	if ((s = store_stmt(st, SQL_BY_SEV)) == NULL)
		return -1;
	bind_muni(s, 1, r->muni_code);
	sqlite3_bind_int64(s, 2, r->from_us);
	sqlite3_bind_int64(s, 3, r->to_us);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int sev = sqlite3_column_int(s, 0);

		if (sev >= 1 && sev <= 5)
			r->by_sev[sev] = (uint64_t)col_i64(s, 1);
	}
	if (step_end(st, s, rc, "severity counts") == -1)
		return -1;
	if ((s = store_stmt(st, SQL_BY_UC)) == NULL)
		return -1;
	bind_muni(s, 1, r->muni_code);
	sqlite3_bind_int64(s, 2, r->from_us);
	sqlite3_bind_int64(s, 3, r->to_us);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *key = col(k, s, 0);

		uc = grow(uc, &cap, n, sizeof(*uc));
		uc[n].key = key && *key ? key : "(未分類)";
		uc[n].n = (uint64_t)col_i64(s, 1);
		n++;
	}
	keep(k, uc);
	r->by_use_case = uc;
	r->nby_use_case = n;
	return step_end(st, s, rc, "use case counts");
}

/* ---- incidents ---- */

#define SQL_INCIDENTS_SELECT                                                  \
	"SELECT g.id, g.severity, g.usecase, g.msg, g.src, g.dst, "           \
	"g.first_seen, t.status, t.close_reason, t.acknowledged_at, "         \
	"t.escalated_at, t.closed_at, "                                       \
	"(SELECT min(n.sent) FROM notifications n WHERE n.group_id = g.id), " \
	"(SELECT n.channel FROM notifications n WHERE n.group_id = g.id "     \
	" ORDER BY n.sent IS NULL, n.sent, n.id LIMIT 1), "                   \
	"(SELECT n.result FROM notifications n WHERE n.group_id = g.id "      \
	" ORDER BY n.sent IS NULL, n.sent, n.id LIMIT 1), "                   \
	"(SELECT min(n.acknowledged) FROM notifications n "                   \
	" WHERE n.group_id = g.id), g.muni "                                  \
	"FROM alert_groups g LEFT JOIN triage t ON t.group_id = g.id "

static const char SQL_INCIDENTS[] = SQL_INCIDENTS_SELECT
    "WHERE g.muni = ?1 AND g.first_seen < ?3 AND g.last_seen >= ?2 "
    "ORDER BY g.severity, g.first_seen, g.id";
/* every 団体 (the audit pack's incident-handling records) */
static const char SQL_INCIDENTS_ALL[] = SQL_INCIDENTS_SELECT
    "WHERE ?1 IS NULL AND g.first_seen < ?3 AND g.last_seen >= ?2 "
    "ORDER BY g.severity, g.first_seen, g.id";

/* The incidents of muni (NULL: every 団体) in [from, to). */
static int
incidents(struct store *st, struct store_rpt *k, const char *muni,
    int64_t from_us, int64_t to_us, const struct report_incident **out,
    size_t *nout)
{
	struct report_incident *v = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *s;
	int rc;

	if ((s = store_stmt(
		 st, muni != NULL ? SQL_INCIDENTS : SQL_INCIDENTS_ALL)) == NULL)
		return -1;
	bind_muni(s, 1, muni);
	sqlite3_bind_int64(s, 2, from_us);
	sqlite3_bind_int64(s, 3, to_us);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *src = col(k, s, 4), *dst = col(k, s, 5);
		const char *status = col(k, s, 7), *reason = col(k, s, 8);
		const char *chan = col(k, s, 13), *res = col(k, s, 14);
		struct report_incident *x;

		v = grow(v, &cap, n, sizeof(*v));
		x = &v[n++];
		x->id = col_i64(s, 0);
		x->muni = col(k, s, 16);
		x->severity = sqlite3_column_int(s, 1);
		x->use_case = col(k, s, 2);
		x->summary = col(k, s, 3);
		x->host = src && *src ? src : dst;
		x->detected_us = col_i64(s, 6);
		/* 団体確認: the 団体's acknowledgement of the notification
		 * (store_notify_ack); without one, the triage
		 * acknowledgement */
		x->acked_us = sqlite3_column_type(s, 15) != SQLITE_NULL ?
		    col_i64(s, 15) :
		    col_i64(s, 9);
		x->closed_us = col_i64(s, 11);
		x->notified_us = col_i64(s, 12);
		if (status == NULL)
			status = "new";
		if (reason != NULL)
			status = fmt(k, "%s: %s", status, reason);
		if (sqlite3_column_type(s, 10) != SQLITE_NULL &&
		    strcmp(status, "escalated") != 0)
			status = fmt(k, "%s (escalated)", status);
		if (sqlite3_column_type(s, 15) != SQLITE_NULL)
			status = fmt(k, "%s / 団体確認済", status);
		x->status = status;
		if (chan != NULL && x->notified_us == 0)
			chan = fmt(k, "%s (%s)", chan, res ? res : "not sent");
		x->channel = chan;
	}
	keep(k, v);
	*out = v;
	*nout = n;
	return step_end(st, s, rc, "incidents");
}

/* ---- three-tier findings ---- */

static const char SQL_SEP[] =
    "SELECT g.usecase, count(a.id), min(a.ts), max(a.ts), max(a.id) "
    "FROM alerts a JOIN alert_groups g ON g.id = a.group_id "
    "WHERE (?1 IS NULL OR a.muni = ?1) AND a.ts >= ?2 AND a.ts < ?3 "
    "AND substr(g.usecase, 1, 6) = 'GL-SEP' "
    "GROUP BY g.id ORDER BY g.usecase, min(a.ts), g.id";
static const char SQL_SEP_EVIDENCE[] =
    "SELECT CAST(evidence AS TEXT), archive_segment, archive_record, muni "
    "FROM alerts WHERE id = ?1";

static int
sep_findings(struct store *st, struct store_rpt *k, const char *muni,
    int64_t from, int64_t to, const struct report_sep_finding **out,
    size_t *nout)
{
	struct report_sep_finding *v = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *s, *e;
	int rc, erc;

	if ((s = store_stmt(st, SQL_SEP)) == NULL)
		return -1;
	bind_muni(s, 1, muni);
	sqlite3_bind_int64(s, 2, from);
	sqlite3_bind_int64(s, 3, to);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct report_sep_finding *x;
		int64_t last_id = col_i64(s, 4);

		v = grow(v, &cap, n, sizeof(*v));
		x = &v[n++];
		x->use_case = col(k, s, 0);
		x->count = (uint64_t)col_i64(s, 1);
		x->first_us = col_i64(s, 2);
		x->last_us = col_i64(s, 3);
		if ((e = store_stmt(st, SQL_SEP_EVIDENCE)) == NULL) {
			sqlite3_reset(s);
			keep(k, v);
			return -1;
		}
		sqlite3_bind_int64(e, 1, last_id);
		if ((erc = sqlite3_step(e)) == SQLITE_ROW) {
			const char *m = col(k, e, 3);

			x->cell = col(k, e, 0);
			if (sqlite3_column_type(e, 1) != SQLITE_NULL)
				x->evidence = fmt(k,
				    "alert %lld%s%s, archive %lld/%lld",
				    (long long)last_id, muni ? "" : " 団体 ",
				    muni ? "" : (m ? m : ""),
				    (long long)col_i64(e, 1),
				    (long long)col_i64(e, 2));
			else
				x->evidence = fmt(k, "alert %lld%s%s",
				    (long long)last_id, muni ? "" : " 団体 ",
				    muni ? "" : (m ? m : ""));
			erc = SQLITE_DONE;
		}
		if (step_end(st, e, erc, "finding evidence") == -1) {
			sqlite3_reset(s);
			keep(k, v);
			return -1;
		}
	}
	keep(k, v);
	*out = v;
	*nout = n;
	return step_end(st, s, rc, "three-tier findings");
}

/* ---- sources ---- */

static const char SQL_SOURCES[] =
    "SELECT id, addr, name, type, first_seen, last_seen, muni "
    "FROM sources WHERE (?1 IS NULL OR muni = ?1) "
    "ORDER BY muni, coalesce(name, addr), id";
static const char SQL_SOURCE_MINUTES[] =
    "SELECT count(*), coalesce(sum(messages), 0), "
    "coalesce(sum(parse_failures), 0), max(abs(skew_max_ms)), "
    "min(minute), max(minute), "
    "sum(abs(skew_max_ms) > 2000), sum(abs(skew_max_ms) > 60000), "
    "count(skew_max_ms) "
    "FROM source_minutes WHERE source_id = ?1 AND minute >= ?2 "
    "AND minute < ?3";
static const char SQL_SOURCE_GAP[] =
    "SELECT max(minute - prev - 1) FROM (SELECT minute, "
    "lag(minute) OVER (ORDER BY minute) AS prev FROM source_minutes "
    "WHERE source_id = ?1 AND minute >= ?2 AND minute < ?3)";
static const char SQL_SOURCE_SILENT[] =
    "SELECT count(*) FROM alerts a JOIN alert_groups g ON g.id = a.group_id "
    "WHERE g.usecase = 'GL-LOG-01' AND a.ts >= ?2 AND a.ts < ?3 "
    "AND (a.source_id = ?1 OR (a.source_id IS NULL AND a.src = ?4))";
static const char SQL_SOURCE_MEDIAN[] =
    "SELECT abs(skew_max_ms) FROM source_minutes WHERE source_id = ?1 "
    "AND minute >= ?2 AND minute < ?3 AND skew_max_ms IS NOT NULL "
    "ORDER BY 1 LIMIT 2 OFFSET ?4";

struct src_stats {
	int64_t minutes, messages, parse_failures, gap_min;
	int64_t skew_max_ms, nskew, over_warn, over_crit;
	double median_ms;
	int has_skew;
	uint64_t silences;
};

/* Statistics of one source over minutes [m0, m1). */
static int
source_stats(struct store *st, int64_t id, const char *addr, int64_t from,
    int64_t to, int64_t m0, int64_t m1, struct src_stats *o)
{
	int64_t first = 0, last = 0, gap = 0;
	sqlite3_stmt *s;
	int rc;

	memset(o, 0, sizeof(*o));
	if ((s = store_stmt(st, SQL_SOURCE_MINUTES)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, m0);
	sqlite3_bind_int64(s, 3, m1);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		o->minutes = col_i64(s, 0);
		o->messages = col_i64(s, 1);
		o->parse_failures = col_i64(s, 2);
		o->has_skew = sqlite3_column_type(s, 3) != SQLITE_NULL;
		o->skew_max_ms = col_i64(s, 3);
		first = col_i64(s, 4);
		last = col_i64(s, 5);
		o->over_warn = col_i64(s, 6);
		o->over_crit = col_i64(s, 7);
		o->nskew = col_i64(s, 8);
		rc = SQLITE_DONE;
	}
	if (step_end(st, s, rc, "source minutes") == -1)
		return -1;
	if (o->minutes == 0) {
		o->gap_min = m1 - m0;
	} else {
		if ((s = store_stmt(st, SQL_SOURCE_GAP)) == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, m0);
		sqlite3_bind_int64(s, 3, m1);
		if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			gap = col_i64(s, 0);
			rc = SQLITE_DONE;
		}
		if (step_end(st, s, rc, "source gaps") == -1)
			return -1;
		o->gap_min = gap;
		if (first - m0 > o->gap_min)
			o->gap_min = first - m0;
		if (m1 - 1 - last > o->gap_min)
			o->gap_min = m1 - 1 - last;
	}
	if (o->nskew > 0) {
		if ((s = store_stmt(st, SQL_SOURCE_MEDIAN)) == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, m0);
		sqlite3_bind_int64(s, 3, m1);
		sqlite3_bind_int64(s, 4, (o->nskew - 1) / 2);
		if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			double a = (double)col_i64(s, 0);

			o->median_ms = a;
			if (o->nskew % 2 == 0 &&
			    (rc = sqlite3_step(s)) == SQLITE_ROW)
				o->median_ms = (a + (double)col_i64(s, 0)) / 2;
			rc = SQLITE_DONE;
		}
		if (step_end(st, s, rc, "skew median") == -1)
			return -1;
	}
	if ((s = store_stmt(st, SQL_SOURCE_SILENT)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, from);
	sqlite3_bind_int64(s, 3, to);
	store_bind_text(s, 4, addr);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		o->silences = (uint64_t)col_i64(s, 0);
		rc = SQLITE_DONE;
	}
	return step_end(st, s, rc, "source silences");
}

static void
minute_range(int64_t from, int64_t to, int64_t *m0, int64_t *m1)
{
	*m0 = from / US_PER_MIN;
	*m1 = (to + US_PER_MIN - 1) / US_PER_MIN;
	if (*m1 <= *m0)
		*m1 = *m0 + 1;
}

/* Sources of muni (NULL: all) with their health; timesync rows too when
 * ts is not NULL. */
static int
sources(struct store *st, struct store_rpt *k, const char *muni, int64_t from,
    int64_t to, const struct report_source **out, size_t *nout,
    const struct report_timesync **tsout, size_t *ntsout)
{
	struct report_source *v = NULL;
	struct report_timesync *ts = NULL;
	size_t n = 0, cap = 0, tscap = 0;
	int64_t m0, m1;
	sqlite3_stmt *s;
	int rc, r = 0;

	minute_range(from, to, &m0, &m1);
	if ((s = store_stmt(st, SQL_SOURCES)) == NULL)
		return -1;
	bind_muni(s, 1, muni);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *addr = col(k, s, 1), *name = col(k, s, 2);
		const char *m = col(k, s, 6);
		struct report_source *x;
		struct src_stats ss;

		if (source_stats(
			st, col_i64(s, 0), addr, from, to, m0, m1, &ss) == -1) {
			r = -1;
			break;
		}
		v = grow(v, &cap, n, sizeof(*v));
		x = &v[n];
		if (muni == NULL && m != NULL && *m != '\0')
			x->name = fmt(k, "%s [%s] (%s)",
			    name     ? name :
				addr ? addr :
				       "",
			    addr ? addr : "", m);
		else if (name != NULL && addr != NULL)
			x->name = fmt(k, "%s [%s]", name, addr);
		else
			x->name = name ? name : addr;
		x->type = col(k, s, 3);
		x->first_us = col_i64(s, 4);
		x->last_us = col_i64(s, 5);
		x->messages = (uint64_t)ss.messages;
		x->parse_failures = (uint64_t)ss.parse_failures;
		x->coverage_pct =
		    100.0 * (double)ss.minutes / (double)(m1 - m0);
		x->longest_silence_s = ss.gap_min * 60;
		x->silent_periods = ss.silences;
		x->max_skew_s =
		    ss.has_skew ? (double)ss.skew_max_ms / 1000 : -1;
		if (tsout != NULL) {
			struct report_timesync *t;

			ts = grow(ts, &tscap, n, sizeof(*ts));
			t = &ts[n];
			t->source = x->name;
			t->median_skew_s =
			    ss.nskew > 0 ? ss.median_ms / 1000 : -1;
			t->max_skew_s = x->max_skew_s;
			t->over_warn = (uint64_t)ss.over_warn;
			t->over_crit = (uint64_t)ss.over_crit;
		}
		n++;
	}
	if (r == 0)
		r = step_end(st, s, rc, "sources");
	else
		sqlite3_reset(s);
	keep(k, v);
	keep(k, ts);
	*out = v;
	*nout = n;
	if (tsout != NULL) {
		*tsout = ts;
		*ntsout = n;
	}
	return r;
}

/* ---- archive verification (archive_verifications) ---- */

static const char SQL_VERIFY_SUM[] =
    "SELECT count(*), sum(result = 'bad'), max(ts), "
    "count(DISTINCT CASE WHEN result = 'bad' THEN first_bad END) "
    "FROM archive_verifications WHERE ts >= ?1 AND ts < ?2";
/* the first bad run of the period, else the last run */
static const char SQL_VERIFY_ONE[] =
    "SELECT result, segments, first_bad, detail, by, ts "
    "FROM archive_verifications WHERE ts >= ?1 AND ts < ?2 "
    "ORDER BY result = 'bad' DESC, "
    "CASE WHEN result = 'bad' THEN ts ELSE -ts END, id LIMIT 1";

/*
 * The period's verification result: "bad" if any run in it found a bad
 * segment (the first such run is named), "ok" if runs were made and all
 * were good (with how many), else not run.
 */
static int
archive_result(struct store *st, struct store_rpt *k, int64_t from_us,
    int64_t to_us, struct report_archive *a)
{
	sqlite3_stmt *s;
	int64_t runs = 0, bad = 0, bad_segs = 0;
	int rc;

	memset(a, 0, sizeof(*a));
	a->detail = ARCHIVE_NOT_RECORDED;
	if ((s = store_stmt(st, SQL_VERIFY_SUM)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, from_us);
	sqlite3_bind_int64(s, 2, to_us);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		runs = col_i64(s, 0);
		bad = col_i64(s, 1);
		a->verified_us = col_i64(s, 2);
		bad_segs = col_i64(s, 3);
		rc = SQLITE_DONE;
	}
	if (step_end(st, s, rc, "archive verification") == -1)
		return -1;
	if (runs == 0)
		return 0;
	if ((s = store_stmt(st, SQL_VERIFY_ONE)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, from_us);
	sqlite3_bind_int64(s, 2, to_us);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *detail = col(k, s, 3), *by = col(k, s, 4);

		a->known = 1;
		a->ok = bad == 0;
		a->segments = (uint64_t)col_i64(s, 1);
		a->bad_segments = (uint64_t)bad_segs;
		if (bad == 0)
			a->detail = fmt(k,
			    "%lld 回の検証がすべて正常 (最終: %s, %llu "
			    "セグメント)",
			    (long long)runs, by ? by : "-",
			    (unsigned long long)a->segments);
		else
			a->detail = fmt(k,
			    "%lld 回中 %lld 回で不整合: 最初の不整合セグメント "
			    "%lld — %s (%s)",
			    (long long)runs, (long long)bad,
			    (long long)col_i64(s, 2), detail ? detail : "-",
			    by ? by : "-");
		rc = SQLITE_DONE;
	}
	return step_end(st, s, rc, "archive verification");
}

int
store_report_monthly(
    struct store *st, struct store_rpt *k, struct report_monthly *r)
{
	memset(r->by_sev, 0, sizeof(r->by_sev));
	if (counts(st, k, r) == -1 ||
	    incidents(st, k, r->muni_code, r->from_us, r->to_us, &r->incidents,
		&r->nincidents) == -1 ||
	    sep_findings(st, k, r->muni_code, r->from_us, r->to_us, &r->sep,
		&r->nsep) == -1 ||
	    sources(st, k, r->muni_code, r->from_us, r->to_us, &r->sources,
		&r->nsources, NULL, NULL) == -1)
		return -1;
	return archive_result(st, k, r->from_us, r->to_us, &r->archive);
}

/* ---- retention ---- */

static const char SQL_OLDEST[] =
    "SELECT min(ts) FROM alerts WHERE (?1 IS NULL OR muni = ?1)";

/* The archive's oldest held JST day as of at: from the latest
 * verification or prune recorded by then (either lists what is held). */
static const char SQL_ARCHIVE_HELD[] =
    "SELECT day, ts, kind FROM ("
    " SELECT oldest_day AS day, ts, 'verify' AS kind, id "
    " FROM archive_verifications WHERE ts <= ?1 AND held IS NOT NULL "
    " UNION ALL SELECT oldest_kept_day, ts, 'prune', id "
    " FROM archive_prunes WHERE ts <= ?1) "
    "ORDER BY ts DESC, id DESC LIMIT 1";
static const char SQL_ARCHIVE_PRUNE[] =
    "SELECT ts, before_day, segments, records, first_day, last_day, by "
    "FROM archive_prunes WHERE ts <= ?1 ORDER BY ts DESC, id DESC LIMIT 1";

static int64_t
day_start_jst_us(const char *day)
{
	int y, m, d;

	if (day == NULL || sscanf(day, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return 0;
	return (time_days_from_civil(y, m, d) * 86400 - 9 * 3600) *
	    (int64_t)1000000;
}

static int
archive_retention(struct store *st, int64_t at_us, struct report_retention *r)
{
	char held[16] = "", src[16] = "", prune[160] = "", asof[40] = "";
	sqlite3_stmt *s;
	int rc;

	if ((s = store_stmt(st, SQL_ARCHIVE_HELD)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, at_us);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const unsigned char *d = sqlite3_column_text(s, 0);
		const unsigned char *k = sqlite3_column_text(s, 2);

		snprintf(held, sizeof(held), "%s", d ? (const char *)d : "");
		snprintf(src, sizeof(src), "%s", k ? (const char *)k : "");
		time_fmt_jst_sec(col_i64(s, 1), asof, sizeof(asof));
		rc = SQLITE_DONE;
	}
	if (step_end(st, s, rc, "archive retention") == -1)
		return -1;
	if ((s = store_stmt(st, SQL_ARCHIVE_PRUNE)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, at_us);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const unsigned char *b = sqlite3_column_text(s, 1);
		const unsigned char *f = sqlite3_column_text(s, 4);
		const unsigned char *l = sqlite3_column_text(s, 5);
		const unsigned char *by = sqlite3_column_text(s, 6);
		char when[40];

		time_fmt_jst_sec(col_i64(s, 0), when, sizeof(when));
		snprintf(prune, sizeof(prune),
		    "; 最終削除 %s (%s): %s より前 %lld セグメント "
		    "%lld 件 [%s..%s]",
		    when, by ? (const char *)by : "-",
		    b ? (const char *)b : "-", (long long)col_i64(s, 2),
		    (long long)col_i64(s, 3), f ? (const char *)f : "-",
		    l ? (const char *)l : "-");
		rc = SQLITE_DONE;
	}
	if (step_end(st, s, rc, "archive prunes") == -1)
		return -1;
	if (held[0] != '\0' && at_us > day_start_jst_us(held))
		r->achieved_s = (at_us - day_start_jst_us(held)) / 1000000;
	if (src[0] == '\0')
		snprintf(r->note, sizeof(r->note),
		    "検証・削除の記録なし (不明)%s", prune);
	else if (held[0] == '\0')
		snprintf(r->note, sizeof(r->note),
		    "保持セグメントなし (%s %s 時点)%s",
		    strcmp(src, "prune") == 0 ? "削除" : "検証", asof, prune);
	else
		snprintf(r->note, sizeof(r->note), "最古保持 %s (%s %s 時点)%s",
		    held, strcmp(src, "prune") == 0 ? "削除" : "検証", asof,
		    prune);
	return 0;
}

int
store_report_retention(struct store *st, const char *muni, int64_t at_us,
    struct report_retention *rows, size_t n)
{
	int64_t oldest = 0;
	sqlite3_stmt *s;
	int rc;

	if ((s = store_stmt(st, SQL_OLDEST)) == NULL)
		return -1;
	bind_muni(s, 1, muni);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		oldest = col_i64(s, 0);
		rc = SQLITE_DONE;
	}
	if (step_end(st, s, rc, "retention") == -1)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (rows[i].what != NULL &&
		    strcmp(rows[i].what, "alerts") == 0 && oldest != 0 &&
		    at_us > oldest)
			rows[i].achieved_s = (at_us - oldest) / 1000000;
		if (rows[i].what != NULL &&
		    strcmp(rows[i].what, "archive") == 0 &&
		    archive_retention(st, at_us, &rows[i]) == -1)
			return -1;
	}
	return 0;
}

/* ---- audit pack ---- */

static const char SQL_USERS[] =
    "SELECT name, role, created, last_login FROM users ORDER BY name";
static const char SQL_LOGINS[] =
    "SELECT ts, user, addr, action, result FROM audit_log "
    "WHERE action IN ('login', 'login_failed', 'logout') "
    "AND ts >= ?1 AND ts < ?2 ORDER BY ts, id";
static const char SQL_CHANGES[] =
    "SELECT ts, user, kind, what, sha256, detail FROM changes "
    "WHERE ts >= ?1 AND ts < ?2 ORDER BY ts, id";

static int
users(struct store *st, struct store_rpt *k, struct report_audit *a)
{
	struct report_user *v = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *s;
	int rc;

	if ((s = store_stmt(st, SQL_USERS)) == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = grow(v, &cap, n, sizeof(*v));
		v[n].name = col(k, s, 0);
		v[n].role = col(k, s, 1);
		v[n].privileged =
		    v[n].role != NULL && strcmp(v[n].role, "admin") == 0;
		v[n].created_us = col_i64(s, 2);
		v[n].last_login_us = col_i64(s, 3);
		n++;
	}
	keep(k, v);
	a->users = v;
	a->nusers = n;
	return step_end(st, s, rc, "users");
}

static int
logins(struct store *st, struct store_rpt *k, struct report_audit *a)
{
	struct report_login *v = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *s;
	int rc;

	if ((s = store_stmt(st, SQL_LOGINS)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, a->from_us);
	sqlite3_bind_int64(s, 2, a->to_us);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *action = col(k, s, 3), *result = col(k, s, 4);

		v = grow(v, &cap, n, sizeof(*v));
		v[n].ts_us = col_i64(s, 0);
		v[n].user = col(k, s, 1);
		v[n].addr = col(k, s, 2);
		v[n].result = result && *result ?
		    fmt(k, "%s: %s", action ? action : "", result) :
		    action;
		n++;
	}
	keep(k, v);
	a->logins = v;
	a->nlogins = n;
	return step_end(st, s, rc, "logins");
}

static int
changes(struct store *st, struct store_rpt *k, struct report_audit *a)
{
	struct report_change *v = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *s;
	int rc;

	if ((s = store_stmt(st, SQL_CHANGES)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, a->from_us);
	sqlite3_bind_int64(s, 2, a->to_us);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = grow(v, &cap, n, sizeof(*v));
		v[n].ts_us = col_i64(s, 0);
		v[n].user = col(k, s, 1);
		v[n].kind = col(k, s, 2);
		v[n].what = col(k, s, 3);
		v[n].sha256 = col(k, s, 4);
		v[n].detail = col(k, s, 5);
		n++;
	}
	keep(k, v);
	a->changes = v;
	a->nchanges = n;
	return step_end(st, s, rc, "changes");
}

int
store_report_audit(
    struct store *st, struct store_rpt *k, struct report_audit *a)
{
	if (sources(st, k, NULL, a->from_us, a->to_us, &a->inventory,
		&a->ninventory, &a->timesync, &a->ntimesync) == -1 ||
	    users(st, k, a) == -1 || logins(st, k, a) == -1 ||
	    incidents(st, k, NULL, a->from_us, a->to_us, &a->incidents,
		&a->nincidents) == -1 ||
	    changes(st, k, a) == -1 ||
	    sep_findings(
		st, k, NULL, a->from_us, a->to_us, &a->sep, &a->nsep) == -1)
		return -1;
	return archive_result(st, k, a->from_us, a->to_us, &a->archive);
}
