/*
 * store_archive.c — the rows of archive_verifications and archive_prunes
 * (store_archive.h).  The report side reads them in store_report.c.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "collector/store_archive.h"
#include "collector/store_int.h"

static void
bind_opt_i64(sqlite3_stmt *s, int idx, int64_t v)
{
	if (v != 0)
		sqlite3_bind_int64(s, idx, v);
	else
		sqlite3_bind_null(s, idx);
}

int
store_archive_verified(
    struct store *st, const struct store_archive_verification *v)
{
	sqlite3_stmt *s = store_stmt(st,
	    "INSERT INTO archive_verifications (ts, range_from, range_to, "
	    "segments, result, first_bad, detail, oldest_day, newest_day, "
	    "held, by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, v->ts_us);
	bind_opt_i64(s, 2, v->from_us);
	bind_opt_i64(s, 3, v->to_us);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)v->segments);
	store_bind_text(s, 5, v->ok ? "ok" : "bad");
	if (!v->ok)
		sqlite3_bind_int64(s, 6, (sqlite3_int64)v->first_bad);
	store_bind_text(s, 7, v->detail);
	store_bind_text(s, 8, v->oldest_day);
	store_bind_text(s, 9, v->newest_day);
	sqlite3_bind_int64(s, 10, (sqlite3_int64)v->held);
	store_bind_text(s, 11, v->by ? v->by : "unknown");
	return store_step_done(st, s);
}

int
store_archive_pruned(struct store *st, const struct store_archive_prune *p)
{
	sqlite3_stmt *s = store_stmt(st,
	    "INSERT INTO archive_prunes (ts, before_day, segments, records, "
	    "first_day, last_day, oldest_kept_day, by) VALUES (?1, ?2, ?3, "
	    "?4, ?5, ?6, ?7, ?8)");

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, p->ts_us);
	store_bind_text(s, 2, p->before_day ? p->before_day : "");
	sqlite3_bind_int64(s, 3, (sqlite3_int64)p->segments);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)p->records);
	store_bind_text(s, 5, p->first_day);
	store_bind_text(s, 6, p->last_day);
	store_bind_text(s, 7, p->oldest_kept_day);
	store_bind_text(s, 8, p->by ? p->by : "unknown");
	return store_step_done(st, s);
}

int
store_archive_verified_range(
    struct store *st, const char *by, int64_t from_us, int64_t to_us)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT count(*) FROM archive_verifications WHERE by = ?1 "
	    "AND range_from = ?2 AND range_to = ?3");
	int rc, n = 0;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, by);
	sqlite3_bind_int64(s, 2, from_us);
	sqlite3_bind_int64(s, 3, to_us);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		n = sqlite3_column_int(s, 0);
		rc = SQLITE_DONE;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return -1;
	return n > 0;
}

int
store_archive_head_get(struct store *st, struct store_archive_head *out)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT entries, segment, segments, chain, ts FROM archive_chain "
	    "WHERE id = 1");
	int rc, found = 0;

	if (s == NULL)
		return -1;
	memset(out, 0, sizeof(*out));
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const unsigned char *c = sqlite3_column_text(s, 3);

		out->entries = (uint64_t)sqlite3_column_int64(s, 0);
		out->segment = (uint64_t)sqlite3_column_int64(s, 1);
		out->segments = (uint64_t)sqlite3_column_int64(s, 2);
		snprintf(out->chain, sizeof(out->chain), "%s",
		    c != NULL ? (const char *)c : "");
		out->ts_us = sqlite3_column_int64(s, 4);
		found = 1;
		rc = SQLITE_DONE;
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? found : -1;
}

int
store_archive_head_put(
    struct store *st, const struct store_archive_head *h, int wait_ms)
{
	sqlite3_stmt *s;
	int rc;

	/* the writer thread calls this between its own transactions: a
	 * short wait, a lagging head is caught up by the next seal */
	sqlite3_busy_timeout(st->db, wait_ms);
	s = store_stmt(st,
	    "INSERT INTO archive_chain (id, entries, segment, segments, "
	    "chain, ts) VALUES (1, ?1, ?2, ?3, ?4, ?5) ON CONFLICT (id) DO "
	    "UPDATE SET entries = excluded.entries, segment = "
	    "excluded.segment, segments = excluded.segments, chain = "
	    "excluded.chain, ts = excluded.ts");
	if (s == NULL) {
		sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
		return -1;
	}
	sqlite3_bind_int64(s, 1, (sqlite3_int64)h->entries);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)h->segment);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)h->segments);
	store_bind_text(s, 4, h->chain);
	sqlite3_bind_int64(s, 5, h->ts_us);
	rc = store_step_done(st, s);
	sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
	return rc;
}
