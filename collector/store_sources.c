/*
 * store_sources.c — the collector's writes to the store: source health
 * (first and last seen, totals, parse failures, clock skew), per-minute
 * counts, silence marks, and the stage counters.  Called by the writer
 * thread inside its batch transaction.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "collector/collector_int.h"
#include "collector/store_int.h"
#include "common/timeutil.h"
#include "policies/policy.h"

static const char sql_seen[] =
    "INSERT INTO sources (addr, name, type, muni, tier, known,"
    " expected_interval, first_seen, last_seen, messages, bytes,"
    " parse_failures, skew_last_ms, skew_max_ms)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
    " ON CONFLICT (addr) DO UPDATE SET"
    "  first_seen = coalesce(first_seen, excluded.first_seen),"
    "  last_seen = max(coalesce(last_seen, 0), excluded.last_seen),"
    "  messages = messages + excluded.messages,"
    "  bytes = bytes + excluded.bytes,"
    "  parse_failures = parse_failures + excluded.parse_failures,"
    "  skew_last_ms = coalesce(excluded.skew_last_ms, skew_last_ms),"
    "  skew_max_ms = CASE WHEN excluded.skew_max_ms IS NULL THEN skew_max_ms"
    "   WHEN skew_max_ms IS NULL OR abs(excluded.skew_max_ms) >"
    "    abs(skew_max_ms) THEN excluded.skew_max_ms ELSE skew_max_ms END,"
    "  silent_since = NULL"
    " RETURNING id";

static const char sql_minute[] =
    "INSERT INTO source_minutes (source_id, minute, messages, bytes,"
    " parse_failures, skew_max_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
    " ON CONFLICT (source_id, minute) DO UPDATE SET"
    "  messages = messages + excluded.messages,"
    "  bytes = bytes + excluded.bytes,"
    "  parse_failures = parse_failures + excluded.parse_failures,"
    "  skew_max_ms = CASE WHEN excluded.skew_max_ms IS NULL THEN skew_max_ms"
    "   WHEN skew_max_ms IS NULL OR abs(excluded.skew_max_ms) >"
    "    abs(skew_max_ms) THEN excluded.skew_max_ms ELSE skew_max_ms END";

static void
bind_source(sqlite3_stmt *st, const struct tag_source *s, const char *muni,
    enum sc_tier tier)
{
	if (s == NULL) {
		sqlite3_bind_null(st, 2);
		sqlite3_bind_null(st, 3);
		store_bind_text(st, 4, muni);
		store_bind_text(st, 5, sc_tier_name(tier));
		sqlite3_bind_int(st, 6, 0);
		sqlite3_bind_null(st, 7);
		return;
	}
	store_bind_text(st, 2, s->name[0] ? s->name : NULL);
	store_bind_text(st, 3, s->type[0] ? s->type : NULL);
	store_bind_text(st, 4, s->muni);
	store_bind_text(st, 5, sc_tier_name(s->tier));
	sqlite3_bind_int(st, 6, 1);
	if (s->interval_s > 0)
		sqlite3_bind_int64(st, 7, s->interval_s);
	else
		sqlite3_bind_null(st, 7);
}

int
store_source_seen(struct store *stp, const struct source_delta *d, int64_t *id)
{
	sqlite3_stmt *st = store_stmt(stp, sql_seen);
	int rc;

	if (st == NULL)
		return -1;
	store_bind_text(st, 1, d->addr);
	bind_source(st, d->src, d->muni, d->tier);
	sqlite3_bind_int64(st, 8, d->first_us);
	sqlite3_bind_int64(st, 9, d->last_us);
	sqlite3_bind_int64(st, 10, (int64_t)d->messages);
	sqlite3_bind_int64(st, 11, (int64_t)d->bytes);
	sqlite3_bind_int64(st, 12, (int64_t)d->parse_failures);
	if (d->has_skew) {
		sqlite3_bind_int64(st, 13, d->skew_last_ms);
		sqlite3_bind_int64(st, 14, d->skew_max_ms);
	}
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return -1;
	}
	*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if ((st = store_stmt(stp, sql_minute)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, *id);
	sqlite3_bind_int64(st, 2, d->minute);
	sqlite3_bind_int64(st, 3, (int64_t)d->messages);
	sqlite3_bind_int64(st, 4, (int64_t)d->bytes);
	sqlite3_bind_int64(st, 5, (int64_t)d->parse_failures);
	if (d->has_skew)
		sqlite3_bind_int64(st, 6, d->skew_max_ms);
	return store_step_done(stp, st);
}

int
store_source_declare(struct store *stp, const struct tag_source *s)
{
	static const char sql[] =
	    "INSERT INTO sources (addr, name, type, muni, tier, known,"
	    " expected_interval) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
	    " ON CONFLICT (addr) DO UPDATE SET name = excluded.name,"
	    " type = excluded.type, muni = excluded.muni,"
	    " tier = excluded.tier, known = 1,"
	    " expected_interval = excluded.expected_interval";
	sqlite3_stmt *st = store_stmt(stp, sql);
	char a[ADDR_STRLEN];

	if (st == NULL)
		return -1;
	addr_fmt(&s->addr, a, sizeof(a));
	store_bind_text(st, 1, a);
	bind_source(st, s, s->muni, s->tier);
	return store_step_done(stp, st);
}

int
store_sources_overdue(struct store *stp, int64_t now_us, int64_t since_us,
    silent_fn fn, void *arg)
{
	static const char sql[] =
	    "SELECT id, addr, muni, coalesce(name, ''), last_seen,"
	    " expected_interval FROM sources"
	    " WHERE expected_interval IS NOT NULL AND silent_since IS NULL"
	    " AND coalesce(last_seen, ?2) < ?1 - expected_interval * 1000000";
	sqlite3_stmt *st = store_stmt(stp, sql);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, now_us);
	sqlite3_bind_int64(st, 2, since_us);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		fn(arg, sqlite3_column_int64(st, 0),
		    (const char *)sqlite3_column_text(st, 1),
		    (const char *)sqlite3_column_text(st, 2),
		    (const char *)sqlite3_column_text(st, 3),
		    sqlite3_column_int64(st, 4), sqlite3_column_int64(st, 5));
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
store_source_set_silent(struct store *stp, int64_t id, int64_t since_us)
{
	static const char sql[] =
	    "UPDATE sources SET silent_since = ?2 WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(stp, sql);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, since_us);
	return store_step_done(stp, st);
}

int
store_counter_set(struct store *stp, const char *role, const char *stage,
    const char *name, int64_t value, int64_t now_us)
{
	static const char sql[] =
	    "INSERT INTO counters (role, stage, name, value, updated)"
	    " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (role, stage, name)"
	    " DO UPDATE SET value = excluded.value,"
	    " updated = excluded.updated";
	sqlite3_stmt *st = store_stmt(stp, sql);

	if (st == NULL)
		return -1;
	store_bind_text(st, 1, role);
	store_bind_text(st, 2, stage);
	store_bind_text(st, 3, name);
	sqlite3_bind_int64(st, 4, value);
	sqlite3_bind_int64(st, 5, now_us);
	return store_step_done(stp, st);
}

int
store_counters_print(struct store *stp, const char *role, void *fpv)
{
	static const char sql[] =
	    "SELECT stage, name, value, updated FROM counters WHERE role = ?1"
	    " ORDER BY stage, name";
	sqlite3_stmt *st = store_stmt(stp, sql);
	FILE *fp = fpv;
	int rc;

	if (st == NULL)
		return -1;
	store_bind_text(st, 1, role);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		fprintf(fp, "%s/%s %lld\n", sqlite3_column_text(st, 0),
		    sqlite3_column_text(st, 1),
		    (long long)sqlite3_column_int64(st, 2));
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
store_municipalities_sync(struct store *stp, const struct policy *p)
{
	struct store *st = stp;
	int64_t now = time_now_us();

	if (p == NULL)
		return 0;
	for (size_t i = 0; i < policy_muni_count(p); i++) {
		const struct policy_muni *m = policy_muni_at(p, i);
		sqlite3_stmt *s = store_stmt(st,
		    "INSERT INTO municipalities "
		    "(code, name, type, model, updated) VALUES (?1, ?2, ?3, ?4, "
		    "?5) ON CONFLICT (code) DO UPDATE SET name = ?2, type = ?3, "
		    "model = ?4, updated = ?5");

		if (s == NULL)
			return -1;
		store_bind_text(s, 1, m->code);
		store_bind_text(s, 2, m->name);
		store_bind_text(s, 3, policy_muni_type_short(m->type));
		store_bind_text(s, 4, policy_model_short(m->model));
		sqlite3_bind_int64(s, 5, now);
		if (store_step_done(st, s) == -1)
			return -1;
	}
	return 0;
}
