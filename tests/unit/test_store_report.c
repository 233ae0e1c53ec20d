/*
 * test_store_report.c — the report model filled from a store built with
 * fixture rows: counts by severity and use case, the incident timeline
 * (triage + first notification), three-tier findings with evidence, source
 * health (coverage, longest silence, silences, skew, parse failures), the
 * audit pack (inventory, time sync, users, logins, changes), the archive
 * "not recorded", and the municipal scope: rows of another 団体 and rows
 * outside the period never appear.
 */
#include "config.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/store_int.h"
#include "collector/store_notify.h"
#include "collector/store_report.h"
#include "common/buf.h"
#include "policies/policy.h"
#include "tests/tap.h"

#define MIN_US (60 * (int64_t)1000000)
#define T0 ((int64_t)29833334 * MIN_US) /* minute-aligned */
#define DAY (1440 * MIN_US)
#define MUNI_A "242012"
#define MUNI_B "242021"

static struct store *st;

static int64_t
add_alert(uint32_t sid, int sev, const char *uc, const char *muni,
    const char *src, const char *dst, int64_t ts, uint32_t source_id,
    const char *evidence, uint64_t seg, uint64_t rec)
{
	struct sc_alert al;
	int64_t gid = 0;

	memset(&al, 0, sizeof(al));
	al.ts_us = ts;
	al.origin = SC_ORIGIN_LOG;
	al.gid = 1;
	al.sid = sid;
	al.rev = 1;
	al.severity = sev;
	al.msg = uc;
	al.usecase = uc;
	snprintf(al.muni, sizeof(al.muni), "%s", muni);
	al.has_src = src != NULL && addr_parse(src, &al.src) == 0;
	al.has_dst = dst != NULL && addr_parse(dst, &al.dst) == 0;
	al.source_id = source_id;
	al.archive.segment = seg;
	al.archive.record = rec;
	if (evidence != NULL) {
		al.evidence = (const uint8_t *)evidence;
		al.evidence_len = strlen(evidence);
	}
	if (store_alert_insert(st, &al, NULL, &gid) != 0)
		return -1;
	return gid;
}

static int
exec_sql(const char *sql)
{
	return sqlite3_exec(st->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 :
									  -1;
}

static int64_t
add_source(const char *addr, const char *name, const char *muni)
{
	sqlite3_stmt *s;
	int64_t id = -1;

	if (sqlite3_prepare_v2(st->db,
		"INSERT INTO sources (addr, name, type, muni, known, "
		"first_seen, last_seen) VALUES (?1, ?2, 'fortigate', ?3, 1, "
		"?4, ?5)",
		-1, &s, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(s, 1, addr, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, muni, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, T0 - DAY);
	sqlite3_bind_int64(s, 5, T0 + 109 * MIN_US);
	if (sqlite3_step(s) == SQLITE_DONE)
		id = sqlite3_last_insert_rowid(st->db);
	sqlite3_finalize(s);
	return id;
}

static int
add_minute(int64_t source, int64_t minute, int msgs, int pf, int skew)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(st->db,
		"INSERT INTO source_minutes (source_id, minute, messages, "
		"parse_failures, skew_max_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
		-1, &s, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(s, 1, source);
	sqlite3_bind_int64(s, 2, minute);
	sqlite3_bind_int(s, 3, msgs);
	sqlite3_bind_int(s, 4, pf);
	if (skew >= 0)
		sqlite3_bind_int(s, 5, skew);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(s);
	return rc;
}

static int
triage(int64_t gid, const char *sql_set)
{
	char sql[512];

	snprintf(sql, sizeof(sql), "UPDATE triage SET %s WHERE group_id = %lld",
	    sql_set, (long long)gid);
	return exec_sql(sql);
}

static int
fixture(int64_t *g_access, int64_t *g_sep, int64_t *g_log)
{
	int64_t src_a, src_b, m0 = T0 / MIN_US, nid;
	struct store_notification n;
	char sql[512];
	int bad = 0;

	src_a = add_source("10.0.0.5", "fw-a", MUNI_A);
	src_b = add_source("10.1.0.5", "fw-b", MUNI_B);
	bad |= src_a < 0 || src_b < 0;
	/* 団体 A, in the period */
	*g_access = add_alert(100, 2, "GL-ACCESS-01", MUNI_A, "10.0.0.1", NULL,
	    T0 + 10 * MIN_US, 0, NULL, 0, 0);
	bad |= add_alert(100, 2, "GL-ACCESS-01", MUNI_A, "10.0.0.1", NULL,
		   T0 + 20 * MIN_US, 0, NULL, 0, 0) != *g_access;
	*g_sep = add_alert(200, 1, "GL-SEP-01", MUNI_A, "10.0.0.2", "10.9.9.9",
	    T0 + 30 * MIN_US, 0, "cell alpha: tier1 -> internet <b>", 7, 3);
	*g_log = add_alert(300, 4, "GL-LOG-01", MUNI_A, "10.0.0.5", NULL,
	    T0 + 120 * MIN_US, (uint32_t)src_a, "silent", 0, 0);
	/* 団体 A, outside the period */
	bad |= add_alert(100, 2, "GL-ACCESS-01", MUNI_A, "10.0.0.7", NULL,
		   T0 - 60 * MIN_US, 0, NULL, 0, 0) < 0;
	bad |= add_alert(200, 1, "GL-SEP-01", MUNI_A, "10.0.0.8", NULL,
		   T0 + DAY + MIN_US, 0, "later", 0, 0) < 0;
	/* 団体 B, in the period: never in A's report */
	bad |= add_alert(100, 1, "GL-SEP-02", MUNI_B, "10.0.0.1", NULL,
		   T0 + 5 * MIN_US, 0, "muni-b-evidence", 0, 0) < 0;
	bad |= add_alert(300, 4, "GL-LOG-01", MUNI_B, "10.1.0.5", NULL,
		   T0 + 6 * MIN_US, (uint32_t)src_b, "silent b", 0, 0) < 0;
	bad |= *g_access < 0 || *g_sep < 0 || *g_log < 0;

	bad |= triage(*g_access,
		   "status = 'closed', close_reason = 'false_positive'") != 0;
	snprintf(sql, sizeof(sql),
	    "UPDATE triage SET acknowledged_at = %lld, escalated_at = %lld, "
	    "closed_at = %lld WHERE group_id = %lld",
	    (long long)(T0 + 12 * MIN_US), (long long)(T0 + 15 * MIN_US),
	    (long long)(T0 + 40 * MIN_US), (long long)*g_access);
	bad |= exec_sql(sql);

	memset(&n, 0, sizeof(n));
	n.group_id = *g_access;
	n.muni = MUNI_A;
	n.severity = 2;
	n.channel = "webhook";
	n.target = "https://a.example/hook";
	n.created_us = T0 + 10 * MIN_US + 1000000;
	bad |= store_notify_insert(st, &n, &nid) != 0;
	bad |= store_notify_result(st, nid, T0 + 11 * MIN_US, 2, "ok") != 0;
	bad |= store_notify_ack(st, nid, MUNI_A, T0 + 14 * MIN_US, "tanaka");
	/* a later second delivery: the first one counts */
	bad |= store_notify_insert(st, &n, &nid) != 0;
	bad |= store_notify_result(st, nid, T0 + 13 * MIN_US, 1, "ok") != 0;
	n.group_id = *g_sep;
	n.channel = "syslog";
	n.severity = 1;
	bad |= store_notify_insert(st, &n, &nid) != 0;
	bad |= store_notify_result(st, nid, 0, 6, "failed: timeout") != 0;

	/* source health of fw-a: minutes 0-9 (skew 500, one 3000, one
	 * parse failure) and 100-109 (no skew); one before the period */
	for (int i = 0; i < 10; i++)
		bad |=
		    add_minute(src_a, m0 + i, 10, i == 3, i == 4 ? 3000 : 500);
	for (int i = 100; i < 110; i++)
		bad |= add_minute(src_a, m0 + i, 5, 0, -1);
	bad |= add_minute(src_a, m0 - 1, 1000, 50, 90000);
	bad |= add_minute(src_b, m0 + 1, 77, 7, 70000);

	/* audit: users, logins, changes */
	snprintf(sql, sizeof(sql),
	    "INSERT INTO users (name, role, muni, pwhash, created, updated, "
	    "last_login) VALUES ('alice', 'admin', NULL, 'x', 1, 1, %lld), "
	    "('bob', 'municipal', '" MUNI_A "', 'x', 2, 2, NULL)",
	    (long long)(T0 + 60 * MIN_US));
	bad |= exec_sql(sql);
	bad |= store_audit(st, T0 + 60 * MIN_US, "alice", "127.0.0.1", "login",
	    NULL, NULL, "ok");
	bad |= store_audit(st, T0 + 120 * MIN_US, "bob", "127.0.0.2",
	    "login_failed", NULL, NULL, "bad password");
	bad |= store_audit(st, T0 + 180 * MIN_US, "alice", "127.0.0.1",
	    "logout", NULL, NULL, NULL);
	bad |= store_audit(st, T0 + 190 * MIN_US, "alice", "127.0.0.1",
	    "triage", "group 1", NULL, "ok");
	bad |= store_audit(
	    st, T0 - MIN_US, "mallory", "127.0.0.9", "login", NULL, NULL, "ok");
	bad |= store_change(st, T0 + 240 * MIN_US, "alice", "rules",
	    "local.rules", "abcd", "added sid 100");
	bad |= store_change(
	    st, T0 - MIN_US, "alice", "policy", "policy.conf", NULL, "old");
	return bad ? -1 : 0;
}

static void
check_monthly(int64_t g_access, int64_t g_sep, int64_t g_log)
{
	struct report_monthly r;
	struct store_rpt *k = store_rpt_new();
	const struct report_incident *x;
	const struct report_source *s;
	struct buf b;

	memset(&r, 0, sizeof(r));
	memcpy(r.muni_code, MUNI_A, 7);
	r.muni_name = "テスト市";
	r.from_us = T0;
	r.to_us = T0 + DAY;
	ok(store_report_monthly(st, k, &r) == 0, "monthly report filled");
	is_int(r.by_sev[1], 1, "S1: 1 alert");
	is_int(r.by_sev[2], 2, "S2: 2 alerts (one group)");
	is_int(r.by_sev[3], 0, "S3: none");
	is_int(r.by_sev[4], 1, "S4: 1 alert");
	is_int(r.by_sev[5], 0, "S5: none");
	is_int(r.nby_use_case, 3, "3 use cases");
	if (r.nby_use_case == 3) {
		is_str(r.by_use_case[0].key, "GL-ACCESS-01", "most first");
		is_int(r.by_use_case[0].n, 2, "GL-ACCESS-01: 2");
		is_str(r.by_use_case[1].key, "GL-LOG-01", "then by name");
		is_str(r.by_use_case[2].key, "GL-SEP-01", "GL-SEP-01");
		is_int(r.by_use_case[2].n, 1, "GL-SEP-01: 1");
	}

	is_int(r.nincidents, 3, "3 incidents (out-of-period group left out)");
	if (r.nincidents == 3) {
		x = &r.incidents[0];
		is_int(x->id, g_sep, "S1 incident first");
		is_str(x->channel, "syslog (failed: timeout)",
		    "failed notification shown with its result");
		is_int(x->notified_us, 0, "not notified");
		is_str(x->status, "new", "untouched: new");
		is_str(x->host, "10.0.0.2", "host");
		x = &r.incidents[1];
		is_int(x->id, g_access, "S2 incident second");
		is_int(x->detected_us, T0 + 10 * MIN_US, "detected");
		is_int(x->notified_us, T0 + 11 * MIN_US,
		    "first delivered notification");
		is_int(x->acked_us, T0 + 14 * MIN_US,
		    "acknowledged: the 団体's acknowledgement of the "
		    "notification, not the triage one");
		is_int(x->closed_us, T0 + 40 * MIN_US, "closed");
		is_str(x->channel, "webhook", "channel");
		is_str(x->status,
		    "closed: false_positive (escalated) / 団体確認済",
		    "status with reason, escalation and the 団体's "
		    "acknowledgement");
		is_str(x->use_case, "GL-ACCESS-01", "use case");
		is_int(r.incidents[2].id, g_log, "S4 incident last");
		ok(r.incidents[2].channel == NULL,
		    "no notification: no channel");
	}

	is_int(r.nsep, 1, "one three-tier finding (not 団体 B's)");
	if (r.nsep == 1) {
		is_str(r.sep[0].use_case, "GL-SEP-01", "finding use case");
		is_str(r.sep[0].cell, "cell alpha: tier1 -> internet <b>",
		    "cell from the latest alert's evidence");
		ok(r.sep[0].evidence != NULL &&
			strstr(r.sep[0].evidence, "archive 7/3") != NULL,
		    "evidence names the archive record: %s",
		    r.sep[0].evidence ? r.sep[0].evidence : "(null)");
		is_int(r.sep[0].count, 1, "in-period alerts only");
		is_int(r.sep[0].first_us, T0 + 30 * MIN_US, "first");
	}

	is_int(r.nsources, 1, "one source of 団体 A");
	if (r.nsources == 1) {
		s = &r.sources[0];
		is_str(s->name, "fw-a [10.0.0.5]", "source name");
		is_int(s->messages, 150, "messages in the period");
		is_int(s->parse_failures, 1, "parse failures in the period");
		ok(s->coverage_pct > 1.3888 && s->coverage_pct < 1.3889,
		    "coverage 20/1440 minutes: %f", s->coverage_pct);
		is_int(s->longest_silence_s, 1330 * 60,
		    "longest silence: to the end of the period");
		is_int(s->silent_periods, 1, "one GL-LOG-01");
		ok(s->max_skew_s == 3.0, "max skew 3 s: %f", s->max_skew_s);
	}
	ok(r.archive.known == 0 && r.archive.detail != NULL &&
		strstr(r.archive.detail, "not recorded") != NULL,
	    "archive verification: not recorded");

	/* Nothing of 団体 B reaches the rendered report. */
	buf_init(&b, 1 << 20);
	ok(report_monthly_render(&r, REPORT_JSON, 0, &b) == 0, "renders");
	ok(b.len > 0 && memmem(b.data, b.len, "fw-b", 4) == NULL &&
		memmem(b.data, b.len, "muni-b", 6) == NULL &&
		memmem(b.data, b.len, "GL-SEP-02", 9) == NULL &&
		memmem(b.data, b.len, "10.1.0.5", 8) == NULL,
	    "no row of 団体 B in the output");
	ok(memmem(b.data, b.len, "&lt;b&gt;", 9) == NULL &&
		memmem(b.data, b.len, "<b>", 3) != NULL,
	    "JSON carries the evidence text as data");
	buf_free(&b);
	buf_init(&b, 1 << 20);
	ok(report_monthly_render(&r, REPORT_HTML, 0, &b) == 0 &&
		memmem(b.data, b.len, "<b>", 3) == NULL,
	    "HTML escapes log text");
	buf_free(&b);
	store_rpt_free(k);

	{
		struct report_retention ret[2] = { { "events", 10, 0, "" },
			{ "alerts", 10, 0, "" } };

		ok(store_report_retention(st, MUNI_A, T0 + DAY, ret, 2) == 0,
		    "retention read");
		is_int(ret[1].achieved_s, 86400 + 3600,
		    "alerts kept since the oldest (1 h before the period)");
		is_int(ret[0].achieved_s, 0, "events: not measured here");
		ret[1].achieved_s = 0;
		ok(store_report_retention(st, "000000", T0 + DAY, ret, 2) ==
			    0 &&
			ret[1].achieved_s == 0,
		    "no alerts of a 団体: unknown");
	}

	/* another 団体's report sees only its own */
	k = store_rpt_new();
	memset(&r, 0, sizeof(r));
	memcpy(r.muni_code, MUNI_B, 7);
	r.from_us = T0;
	r.to_us = T0 + DAY;
	ok(store_report_monthly(st, k, &r) == 0, "B's report");
	ok(r.by_sev[1] == 1 && r.by_sev[2] == 0 && r.by_sev[4] == 1,
	    "B's counts are B's");
	ok(r.nsources == 1 && strcmp(r.sources[0].name, "fw-b [10.1.0.5]") == 0,
	    "B's source only");
	ok(r.nsep == 1 && strcmp(r.sep[0].use_case, "GL-SEP-02") == 0,
	    "B's finding only");
	store_rpt_free(k);

	/* an empty period */
	k = store_rpt_new();
	memset(&r, 0, sizeof(r));
	memcpy(r.muni_code, MUNI_A, 7);
	r.from_us = T0 + 2 * DAY;
	r.to_us = T0 + 3 * DAY;
	ok(store_report_monthly(st, k, &r) == 0 && r.nincidents == 0 &&
		r.nby_use_case == 0 && r.nsep == 0 && r.nsources == 1 &&
		r.sources[0].coverage_pct == 0 &&
		r.sources[0].longest_silence_s == 1440 * 60,
	    "a period without data: source silent all along");
	store_rpt_free(k);
}

static void
check_audit(void)
{
	struct report_audit a;
	struct store_rpt *k = store_rpt_new();

	memset(&a, 0, sizeof(a));
	a.from_us = T0;
	a.to_us = T0 + DAY;
	ok(store_report_audit(st, k, &a) == 0, "audit pack filled");
	{
		size_t na = 0, nb = 0;

		for (size_t i = 0; i < a.nincidents; i++) {
			if (a.incidents[i].muni != NULL &&
			    strcmp(a.incidents[i].muni, MUNI_A) == 0)
				na++;
			if (a.incidents[i].muni != NULL &&
			    strcmp(a.incidents[i].muni, MUNI_B) == 0)
				nb++;
		}
		ok(na >= 1 && nb >= 1 && na + nb == a.nincidents,
		    "audit pack: incidents of every 団体 (%zu A, %zu B)", na,
		    nb);
	}
	is_int(a.ninventory, 2, "inventory: every source");
	if (a.ninventory == 2) {
		is_str(a.inventory[0].name, "fw-a [10.0.0.5] (" MUNI_A ")",
		    "inventory names the 団体");
		is_int(a.inventory[1].messages, 77, "fw-b messages");
	}
	is_int(a.ntimesync, 2, "time sync per source");
	if (a.ntimesync == 2) {
		ok(a.timesync[0].median_skew_s == 0.5, "median skew 0.5 s: %f",
		    a.timesync[0].median_skew_s);
		ok(a.timesync[0].max_skew_s == 3.0, "max skew 3 s");
		is_int(a.timesync[0].over_warn, 1, "1 minute over 2 s");
		is_int(a.timesync[0].over_crit, 0, "none over 60 s in period");
		is_int(a.timesync[1].over_crit, 1, "fw-b: 1 over 60 s");
	}
	is_int(a.nusers, 2, "2 users");
	if (a.nusers == 2) {
		is_str(a.users[0].name, "alice", "alice");
		ok(a.users[0].privileged && !a.users[1].privileged,
		    "admin is privileged");
		is_int(
		    a.users[0].last_login_us, T0 + 60 * MIN_US, "last login");
	}
	is_int(a.nlogins, 3, "3 login events in the period");
	if (a.nlogins == 3) {
		is_str(a.logins[0].result, "login: ok", "login");
		is_str(a.logins[1].result, "login_failed: bad password",
		    "failed login with reason");
		is_str(a.logins[1].user, "bob", "who failed");
		is_str(a.logins[2].result, "logout", "logout");
	}
	is_int(a.nchanges, 1, "1 change in the period");
	if (a.nchanges == 1) {
		is_str(a.changes[0].what, "local.rules", "what changed");
		is_str(a.changes[0].sha256, "abcd", "its hash");
	}
	is_int(a.nsep, 2, "prefecture-wide findings");
	if (a.nsep == 2)
		ok(a.sep[1].evidence != NULL &&
			strstr(a.sep[1].evidence, MUNI_B) != NULL,
		    "prefecture-wide evidence names the 団体");
	ok(a.archive.known == 0 &&
		strstr(a.archive.detail, "not recorded") != NULL,
	    "integrity proof: not recorded");
	store_rpt_free(k);
}

int
main(void)
{
	char dir[] = "/tmp/test_store_report.XXXXXX", path[256], err[256];
	int64_t g_access = 0, g_sep = 0, g_log = 0;

	ok(mkdtemp(dir) != NULL, "temp dir");
	snprintf(path, sizeof(path), "%s/seccloud.db", dir);
	st = store_open(path, STORE_CREATE, err, sizeof(err));
	ok(st != NULL, "create: %s", st ? "ok" : err);
	if (st == NULL)
		return done_testing();
	ok(fixture(&g_access, &g_sep, &g_log) == 0, "fixture rows");
	store_close(st);
	/* reports read through a read-only connection, as the CLI does */
	st = store_open(path, STORE_RDONLY, err, sizeof(err));
	ok(st != NULL, "read-only open");
	if (st != NULL) {
		check_monthly(g_access, g_sep, g_log);
		check_audit();
		store_close(st);
	}
	unlink(path);
	snprintf(path, sizeof(path), "%s/seccloud.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/seccloud.db-shm", dir);
	unlink(path);
	rmdir(dir);
	return done_testing();
}
