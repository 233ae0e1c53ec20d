/*
 * test_store.c — the store creates its schema, reopens at the same version,
 * groups alerts by (rule, 団体, src, dst), keeps triage apart from alert data,
 * reopens a closed group that fires again, and binds hostile text as data.
 */
#include "config.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/store_int.h"
#include "tests/tap.h"

static long long
count(struct store *st, const char *sql)
{
	sqlite3_stmt *s;
	long long n = -1;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return -2;
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

static void
alert(struct sc_alert *al, uint32_t sid, const char *muni, const char *src,
    int64_t ts)
{
	memset(al, 0, sizeof(*al));
	al->ts_us = ts;
	al->origin = SC_ORIGIN_LOG;
	al->gid = 1;
	al->sid = sid;
	al->rev = 1;
	al->severity = SC_SEV_HIGH;
	al->msg = "[SSHD] brute force";
	al->usecase = "GL-ACCESS-01";
	snprintf(al->muni, sizeof(al->muni), "%s", muni);
	al->tier = SC_TIER_I;
	al->has_src = addr_parse(src, &al->src) == 0;
	al->evidence = (const uint8_t *)"Failed password for root";
	al->evidence_len = 24;
}

int
main(void)
{
	char dir[] = "/tmp/test_store.XXXXXX", path[256], err[256];
	struct store *st;
	struct sc_alert al;
	int64_t aid, gid, gid2;
	sqlite3_stmt *s;

	ok(mkdtemp(dir) != NULL, "temp dir");
	snprintf(path, sizeof(path), "%s/seccloud.db", dir);
	ok(store_open(path, STORE_RDONLY, err, sizeof(err)) == NULL,
	    "read-only open of a missing db fails");
	st = store_open(path, STORE_CREATE, err, sizeof(err));
	ok(st != NULL, "create: %s", st ? "ok" : err);
	if (st == NULL)
		return done_testing();
	is_int(count(st, "SELECT value FROM meta WHERE key='schema_version'"),
	    store_schema_version(), "schema version recorded");
	is_int(count(st,
		   "SELECT count(*) FROM sqlite_master WHERE "
		   "name='journal_mode'"),
	    0, "sanity");

	ok(store_begin(st) == 0, "begin");
	alert(&al, 9000001, "242012", "10.1.2.3", 1000);
	ok(store_alert_insert(st, &al, &aid, &gid) == 0, "first alert");
	alert(&al, 9000001, "242012", "10.1.2.3", 3000);
	ok(store_alert_insert(st, &al, &aid, &gid2) == 0 && gid2 == gid,
	    "same rule, 団体, src, dst: same group");
	alert(&al, 9000001, "242012", "10.1.2.3", 2000);
	store_alert_insert(st, &al, NULL, NULL);
	alert(&al, 9000001, "242021", "10.1.2.3", 2000);
	ok(store_alert_insert(st, &al, NULL, &gid2) == 0 && gid2 != gid,
	    "another 団体: another group");
	ok(store_commit(st) == 0, "commit");
	is_int(count(st, "SELECT count FROM alert_groups WHERE id = 1"), 3,
	    "group count 3");
	is_int(count(st, "SELECT first_seen FROM alert_groups WHERE id = 1"),
	    1000, "first seen is the earliest");
	is_int(count(st, "SELECT last_seen FROM alert_groups WHERE id = 1"),
	    3000, "last seen is the latest, not the last inserted");
	is_int(count(st, "SELECT count(*) FROM triage WHERE status = 'new'"), 2,
	    "each new group starts in triage state new");

	/* Triage decisions are not touched by more alerts... */
	sqlite3_exec(st->db,
	    "UPDATE triage SET status='acknowledged' WHERE "
	    "group_id=1",
	    NULL, NULL, NULL);
	alert(&al, 9000001, "242012", "10.1.2.3", 4000);
	store_alert_insert(st, &al, NULL, NULL);
	is_int(count(st,
		   "SELECT count(*) FROM triage WHERE group_id=1 AND "
		   "status='acknowledged'"),
	    1, "more alerts keep the triage state");
	/* ...but a closed group that fires again is reopened, with history. */
	sqlite3_exec(st->db,
	    "UPDATE triage SET status='closed', "
	    "close_reason='benign' WHERE group_id=1",
	    NULL, NULL, NULL);
	alert(&al, 9000001, "242012", "10.1.2.3", 5000);
	store_alert_insert(st, &al, NULL, NULL);
	is_int(count(st,
		   "SELECT count(*) FROM triage WHERE group_id=1 AND "
		   "status='new' AND close_reason IS NULL"),
	    1, "closed group reopened as new");
	is_int(count(st,
		   "SELECT count(*) FROM triage_history WHERE group_id=1 "
		   "AND action='reopen'"),
	    1, "reopen is recorded");

	/* Hostile text is data. */
	ok(store_audit(st, 6000, "x'); DROP TABLE users; --", "127.0.0.1",
	       "login", NULL, "<script>", "fail") == 0,
	    "audit with hostile text");
	is_int(
	    count(st, "SELECT count(*) FROM users"), 0, "users table intact");
	s = store_stmt(st, "SELECT user FROM audit_log WHERE ts = 6000");
	ok(s != NULL && sqlite3_step(s) == SQLITE_ROW &&
		strcmp((const char *)sqlite3_column_text(s, 0),
		    "x'); DROP TABLE users; --") == 0,
	    "stored verbatim");
	sqlite3_reset(s);
	ok(sqlite3_exec(st->db,
	       "INSERT INTO users (name, role, pwhash, "
	       "created, updated) VALUES ('m', 'municipal', 'h', 0, 0)",
	       NULL, NULL, NULL) != SQLITE_OK,
	    "a municipal user without a 団体 is refused");
	ok(store_change(st, 7000, "admin", "rules", "rules/sets/x.rules", "ab",
	       "reload") == 0,
	    "change history");
	store_close(st);

	st = store_open(path, STORE_RDONLY, err, sizeof(err));
	ok(st != NULL, "reopen read-only at the same version");
	ok(st != NULL && count(st, "SELECT count(*) FROM alerts") == 6,
	    "six alerts stored");
	store_close(st);
	store_close(NULL);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	ok(system(path) == 0, "cleanup");
	return done_testing();
}
