/*
 * test_store_batch.c — alerts inserted inside a transaction fold into their
 * groups and into alert_days once per group at commit (collector/store.c):
 * the rows must come out as if every alert had been applied one by one.
 * Expect: a transaction with alerts of several groups (out of time order,
 * mixed severities and messages, over two JST days, more groups than the
 * pending table holds at first) gives each group its exact count, first
 * and last seen, lowest severity, last message and the id of its latest
 * alert, and alert_days the exact per-day counts; the same alerts one by
 * one outside a transaction give the same rows; a rollback leaves
 * nothing behind, and a later transaction adds to the existing rows.
 */
#include "config.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/store_int.h"
#include "tests/tap.h"

#define DAY_US (86400LL * 1000000)
#define T0 (1795338000LL * 1000000) /* 18:00 JST */

static const char *const msgs[3] = { "first text", "second text",
	"third text" };

static void
mk(struct sc_alert *al, uint32_t sid, int k, int64_t ts, int sev,
    const char *msg)
{
	char src[32];

	memset(al, 0, sizeof(*al));
	al->ts_us = ts;
	al->origin = SC_ORIGIN_LOG;
	al->gid = 1;
	al->sid = sid;
	al->rev = 1;
	al->severity = sev;
	al->msg = msg;
	snprintf(al->muni, sizeof(al->muni), "%s", "242012");
	snprintf(src, sizeof(src), "10.0.%d.%d", k / 250, k % 250);
	al->has_src = addr_parse(src, &al->src) == 0;
	al->archive.segment = 1;
	al->archive.record = (uint64_t)k;
	al->evidence = (const uint8_t *)"line";
	al->evidence_len = 4;
}

/* The i-th alert of the workload: 700 groups (sid 9000001, src k), alerts
 * of group k at times spread over two JST days, not in time order. */
static void
nth(struct sc_alert *al, int i)
{
	int k = i % 700, r = i / 700;
	int64_t ts = T0 + (int64_t)((r * 7919) % 13) * 3600 * 1000000LL +
	    k; /* 18:00 JST + 0..12 h: crosses midnight JST */

	mk(al, 9000001, k, ts, 2 + (r * 3) % 3, msgs[(r + k) % 3]);
}
#define NALERTS 4900 /* 7 per group */

static char *
q(sqlite3 *db, const char *sql)
{
	static char out[1 << 16];
	sqlite3_stmt *s;
	size_t n = 0;

	out[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return out;
	while (sqlite3_step(s) == SQLITE_ROW && n < sizeof(out) - 256) {
		for (int c = 0; c < sqlite3_column_count(s); c++) {
			const unsigned char *t = sqlite3_column_text(s, c);

			n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%s",
			    c ? "|" : "", t ? (const char *)t : "-");
		}
		n += (size_t)snprintf(out + n, sizeof(out) - n, "\n");
	}
	sqlite3_finalize(s);
	return out;
}

/* Every group row and alert_days, as text (ids of alerts compared by their
 * archive record, which is the same in both stores). */
static char *
dump(struct store *st)
{
	static char all[1 << 17];

	snprintf(all, sizeof(all), "%s",
	    q(st->db,
		"SELECT g.src, g.count, g.first_seen, g.last_seen, g.severity, "
		"g.msg, a.archive_record, a.ts FROM alert_groups g "
		"LEFT JOIN alerts a ON a.id = g.last_alert_id ORDER BY g.src"));
	snprintf(all + strlen(all), sizeof(all) - strlen(all), "%s",
	    q(st->db, "SELECT * FROM alert_days ORDER BY 1, 2, 3, 4, 5"));
	return all;
}

int
main(void)
{
	char dir[] = "/tmp/test_store_batch.XXXXXX", p1[256], p2[256], err[256];
	struct store *a, *b;
	struct sc_alert al;
	char *da, *db_;
	int bad = 0;

	ok(mkdtemp(dir) != NULL, "temp dir");
	snprintf(p1, sizeof(p1), "%s/a.db", dir);
	snprintf(p2, sizeof(p2), "%s/b.db", dir);
	a = store_open(p1, STORE_CREATE, err, sizeof(err));
	b = store_open(p2, STORE_CREATE, err, sizeof(err));
	ok(a != NULL && b != NULL, "two stores");
	if (a == NULL || b == NULL)
		return done_testing();

	/* a: one transaction; b: one alert at a time (autocommit) */
	ok(store_begin(a) == 0, "begin");
	for (int i = 0; i < NALERTS; i++) {
		nth(&al, i);
		bad += store_alert_insert(a, &al, NULL, NULL) != 0;
	}
	ok(bad == 0 && store_commit(a) == 0, "%d alerts in one commit",
	    NALERTS);
	bad = 0;
	for (int i = 0; i < NALERTS; i++) {
		nth(&al, i);
		bad += store_alert_insert(b, &al, NULL, NULL) != 0;
	}
	ok(bad == 0, "the same alerts one at a time");
	da = strdup(dump(a));
	db_ = strdup(dump(b));
	is_str(da, db_, "groups and alert_days agree");
	free(da);
	free(db_);
	is_str(q(a->db,
		   "SELECT count(*), sum(count), min(count), max(count) "
		   "FROM alert_groups"),
	    "700|4900|7|7\n", "700 groups of 7");
	is_str(q(a->db, "SELECT sum(n), count(DISTINCT day) FROM alert_days"),
	    "4900|2\n", "alert_days: every alert, over two JST days");
	is_str(q(a->db,
		   "SELECT count(*) FROM alert_groups g WHERE last_alert_id = "
		   "(SELECT id FROM alerts WHERE group_id = g.id "
		   "ORDER BY ts DESC, id DESC LIMIT 1)"),
	    "700\n", "each group points at its latest alert");
	is_str(q(a->db,
		   "SELECT count(*) FROM alert_groups g WHERE severity = "
		   "(SELECT min(severity) FROM alerts WHERE group_id = g.id) "
		   "AND first_seen = (SELECT min(ts) FROM alerts WHERE "
		   "group_id = g.id) AND last_seen = (SELECT max(ts) FROM "
		   "alerts WHERE group_id = g.id)"),
	    "700\n", "lowest severity, first and last seen");

	/* a rollback leaves nothing behind */
	ok(store_begin(a) == 0, "begin");
	mk(&al, 9000002, 1, T0, 1, "rolled back");
	ok(store_alert_insert(a, &al, NULL, NULL) == 0, "insert");
	mk(&al, 9000001, 1, T0 + DAY_US, 1, "rolled back");
	ok(store_alert_insert(a, &al, NULL, NULL) == 0, "insert");
	ok(store_rollback(a) == 0, "rollback");
	is_str(q(a->db, "SELECT count(*), sum(count) FROM alert_groups"),
	    "700|4900\n", "no group changed");
	is_str(q(a->db, "SELECT sum(n) FROM alert_days"), "4900\n",
	    "alert_days unchanged");

	/* a later transaction adds to the rows */
	ok(store_begin(a) == 0, "begin");
	mk(&al, 9000001, 1, T0 + DAY_US, 1, "later");
	ok(store_alert_insert(a, &al, NULL, NULL) == 0, "insert");
	mk(&al, 9000001, 1, T0 - DAY_US, 4, "later still");
	ok(store_alert_insert(a, &al, NULL, NULL) == 0 && store_commit(a) == 0,
	    "commit");
	snprintf(err, sizeof(err),
	    "SELECT count, severity, msg, first_seen = %lld, last_seen = %lld "
	    "FROM alert_groups WHERE src = '10.0.0.1'",
	    (long long)(T0 - DAY_US), (long long)(T0 + DAY_US));
	is_str(q(a->db, err), "9|1|later still|1|1\n",
	    "count 9, severity 1, the last msg, the new first and last seen");
	is_str(q(a->db, "SELECT sum(n), count(DISTINCT day) FROM alert_days"),
	    "4902|3\n", "alert_days: 2 more, one on a new day");

	store_close(a);
	store_close(b);
	unlink(p1);
	unlink(p2);
	{
		char wal[300];

		snprintf(wal, sizeof(wal), "%s-wal", p1);
		unlink(wal);
		snprintf(wal, sizeof(wal), "%s-shm", p1);
		unlink(wal);
		snprintf(wal, sizeof(wal), "%s-wal", p2);
		unlink(wal);
		snprintf(wal, sizeof(wal), "%s-shm", p2);
		unlink(wal);
	}
	rmdir(dir);
	return done_testing();
}
