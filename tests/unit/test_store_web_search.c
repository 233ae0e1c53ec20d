/*
 * test_store_web_search.c — the inbox's free-text search (store_web_groups
 * with q): substring semantics over message, source and destination, the
 * same with the trigram index narrowing (3+ characters) and without it
 * (fewer, or a term in STORE_WEB_FTS_DENSE groups or more); Japanese
 * text; ASCII case; LIKE and FTS5 syntax in q taken literally; the municipal scope in
 * the same query; the index kept in step by the triggers on insert, update
 * and delete; and the backfill of a store made before the index existed
 * (built by running the schema steps before the index's one, found by its
 * text, so no version number is written here).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/store_int.h"
#include "collector/store_web.h"
#include "tests/tap.h"

static char dbpath[256];

static void
exec_ok(struct store *st, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", sql, err);
		sqlite3_free(err);
		exit(1);
	}
}

static void
group(struct store *st, int id, const char *muni, const char *src,
    const char *msg, int64_t last)
{
	char sql[1024];

	snprintf(sql, sizeof(sql),
	    "INSERT INTO alert_groups (id, gid, sid, muni, src, dst, msg, "
	    "severity, origin, first_seen, last_seen) VALUES (%d, 1, %d, '%s', "
	    "'%s', '10.0.0.%d', '%s', 2, 'log', %lld, %lld);"
	    "INSERT INTO triage (group_id, status, updated) VALUES (%d, "
	    "'new', 0);",
	    id, 9000000 + id, muni, src, id % 250, msg, (long long)last,
	    (long long)last, id);
	exec_ok(st, sql);
}

/* Group ids found for q (scope may be NULL), as "1,5,9" in out. */
static int
search(
    struct store *st, const char *scope, const char *q, char *out, size_t len)
{
	struct store_web_filter f;
	json_t *rows, *r;
	size_t i, k = 0;

	memset(&f, 0, sizeof(f));
	f.scope = scope;
	f.q = q;
	f.status = "any";
	f.limit = 500;
	out[0] = '\0';
	if ((rows = store_web_groups(st, &f)) == NULL)
		return -1;
	json_array_foreach(rows, i, r)
	{
		k += (size_t)snprintf(out + k, len - k, "%s%lld", i ? "," : "",
		    (long long)json_integer_value(json_object_get(r, "id")));
		if (k >= len)
			break;
	}
	json_decref(rows);
	return (int)i;
}

static void
fixture(struct store *st)
{
	exec_ok(st, "BEGIN");
	/* ids ascend with last_seen: results come newest (highest) first */
	group(st, 1, "131016", "198.51.100.77", "SSH Brute Force from outside",
	    100);
	group(st, 2, "131016", "192.0.2.1", "不正ログインの試行を検知", 200);
	group(st, 3, "011002", "192.0.2.2", "不正ログインの試行を検知", 300);
	group(st, 4, "131016", "192.0.2.3", "disk 100% full", 400);
	group(st, 5, "131016", "192.0.2.4", "say \"hi\" AND NOT x*", 500);
	group(st, 6, "131016", "192.0.2.5", "file a_b.txt", 600);
	group(st, 8, "131016", "192.0.2.6", "École fermée", 50);
	exec_ok(st, "COMMIT");
}

static void
semantics(struct store *st)
{
	char got[4096];

	search(st, NULL, "ログイン", got, sizeof(got));
	is_str(got, "3,2", "Japanese substring (trigram index)");
	search(st, NULL, "ログ", got, sizeof(got));
	is_str(got, "3,2", "2-character Japanese (LIKE fallback)");
	search(st, "131016", "ログイン", got, sizeof(got));
	is_str(got, "2", "municipal scope in the same query");
	search(st, "011002", "Brute", got, sizeof(got));
	is_str(got, "", "scope: another 団体's match is not found");
	search(st, NULL, "brute", got, sizeof(got));
	is_str(got, "1", "ASCII case-insensitive (index)");
	search(st, NULL, "BR", got, sizeof(got));
	is_str(got, "1", "ASCII case-insensitive (LIKE)");
	search(st, NULL, "100.77", got, sizeof(got));
	is_str(got, "1", "source address as text");
	search(st, NULL, "10.0.0.4", got, sizeof(got));
	is_str(got, "4", "destination address as text");
	search(st, NULL, "0% f", got, sizeof(got));
	is_str(got, "4", "%% is literal (index)");
	search(st, NULL, "%", got, sizeof(got));
	is_str(got, "4", "%% is literal (LIKE)");
	search(st, NULL, "a_b", got, sizeof(got));
	is_str(got, "6", "_ is literal (index)");
	search(st, NULL, "_", got, sizeof(got));
	is_str(got, "6", "_ is literal (LIKE)");
	search(st, NULL, "1_0", got, sizeof(got));
	is_str(got, "", "_ matches no other character");
	ok(search(st, NULL, "say \"hi\" AND NOT x*", got, sizeof(got)) == 1 &&
		strcmp(got, "5") == 0,
	    "FTS5 syntax in q is literal text");
	ok(search(st, NULL, "\"", got, sizeof(got)) == 1, "a lone quote");
	search(st, NULL, "éco", got, sizeof(got));
	is_str(got, "", "non-ASCII case is not folded, as with LIKE");
	search(st, NULL, "École", got, sizeof(got));
	is_str(got, "8", "non-ASCII text as written");
	search(st, NULL, "zzzz", got, sizeof(got));
	is_str(got, "", "a trigram no group holds: nothing");
	search(st, NULL, "nothing like this", got, sizeof(got));
	is_str(got, "", "no match");
}

static void
triggers(struct store *st)
{
	char got[4096];

	exec_ok(st,
	    "UPDATE alert_groups SET msg = 'SSH Brute Force from "
	    "outside', count = count + 1 WHERE id = 1");
	search(st, NULL, "Brute Force", got, sizeof(got));
	is_str(got, "1", "rewriting the same message keeps it indexed");
	exec_ok(st, "UPDATE alert_groups SET msg = 'port scan' WHERE id = 1");
	search(st, NULL, "Brute Force", got, sizeof(got));
	is_str(got, "", "a changed message: the old text is gone");
	search(st, NULL, "port scan", got, sizeof(got));
	is_str(got, "1", "a changed message: the new text is found");
	exec_ok(st,
	    "DELETE FROM triage WHERE group_id = 3;"
	    "DELETE FROM alert_groups WHERE id = 3");
	search(st, NULL, "ログイン", got, sizeof(got));
	is_str(got, "2", "a deleted group is gone from the index");
	exec_ok(st,
	    "INSERT INTO alert_groups_fts (alert_groups_fts, rank) "
	    "VALUES ('integrity-check', 1)");
	ok(1, "the index agrees with alert_groups (integrity-check)");
}

/* Many groups with one term: the LIKE walk serves it, same answer. */
static void
dense(struct store *st)
{
	char got[8192], want[64];
	int n, top;

	exec_ok(st, "BEGIN");
	for (int i = 0; i < STORE_WEB_FTS_DENSE + 5; i++)
		group(st, 1000 + i, i % 2 ? "131016" : "011002", "192.0.2.9",
		    "common term", 1000 + i);
	exec_ok(st, "COMMIT");
	n = search(st, NULL, "common term", got, sizeof(got));
	top = 1000 + STORE_WEB_FTS_DENSE + 4; /* the newest group */
	snprintf(want, sizeof(want), "%d,%d,%d,", top, top - 1, top - 2);
	is_int(n, 500, "a dense term fills the page");
	ok(strncmp(got, want, strlen(want)) == 0, "newest first: %.20s", got);
	n = search(st, "131016", "common term", got, sizeof(got));
	/* odd i is 131016: the newest of them */
	top = 1000 + ((STORE_WEB_FTS_DENSE + 4) | 1);
	if (top > 1000 + STORE_WEB_FTS_DENSE + 4)
		top -= 2;
	snprintf(want, sizeof(want), "%d,%d,", top, top - 2);
	ok(n == 500 && strncmp(got, want, strlen(want)) == 0,
	    "dense term: municipal scope holds (%.20s)", got);
}

/* A store made before the index: its groups are found after store_open. */
static void
backfill(void)
{
	char err[256], got[256];
	struct store *st;
	sqlite3 *db;
	int step = -1;

	for (int i = 0; store_schema_sql[i] != NULL; i++)
		if (strstr(store_schema_sql[i], "alert_groups_fts") != NULL) {
			step = i;
			break;
		}
	ok(step > 0, "the index has its own schema step (%d)", step);
	if (step <= 0)
		return;
	unlink(dbpath);
	if (sqlite3_open(dbpath, &db) != SQLITE_OK)
		exit(1);
	for (int i = 0; i < step; i++)
		if (sqlite3_exec(db, store_schema_sql[i], NULL, NULL, NULL) !=
		    SQLITE_OK)
			exit(1);
	sqlite3_exec(db,
	    "INSERT INTO alert_groups (id, gid, sid, muni, src, dst, msg, "
	    "severity, origin, first_seen, last_seen) VALUES (7, 1, 1, "
	    "'131016', '192.0.2.7', '', '古いアラート old alert', 2, 'log', 1, "
	    "1); INSERT INTO triage (group_id, updated) VALUES (7, 0);",
	    NULL, NULL, NULL);
	{
		char sql[160];

		snprintf(sql, sizeof(sql),
		    "INSERT INTO meta VALUES ('schema_version', '%d')", step);
		sqlite3_exec(db, sql, NULL, NULL, NULL);
	}
	sqlite3_close(db);
	st = store_open(dbpath, STORE_CREATE, err, sizeof(err));
	ok(st != NULL, "the older store opens and upgrades: %s", st ? "" : err);
	if (st == NULL)
		return;
	search(st, NULL, "古いアラート", got, sizeof(got));
	is_str(got, "7", "an older store's groups are indexed on upgrade");
	search(st, NULL, "old alert", got, sizeof(got));
	is_str(got, "7", "and found by ASCII text too");
	store_close(st);
}

int
main(void)
{
	char err[256];
	struct store *st;

	snprintf(dbpath, sizeof(dbpath), "%s/test_store_web_search.%d.db",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
	unlink(dbpath);
	if ((st = store_open(dbpath, STORE_CREATE, err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	fixture(st);
	semantics(st);
	triggers(st);
	dense(st);
	store_close(st);
	backfill();
	unlink(dbpath);
	return done_testing();
}
