/*
 * report_fixture.c — builds a store with fixed rows for
 * tests/integration/report_store.sh: November 2026 (JST) for 架空中央市
 * (242501) and 北架空市 (242519), whose rows must never reach the former's
 * report.  Usage: report_fixture DATADIR
 */
#include "config.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "collector/store_archive.h"
#include "collector/store_int.h"
#include "collector/store_notify.h"

#define MIN_US (60 * (int64_t)1000000)
#define NOV ((int64_t)1793458800 * 1000000) /* 2026-11-01 00:00 JST */

static int
alert(struct store *st, uint32_t sid, int sev, const char *uc, const char *muni,
    const char *src, const char *dst, int64_t ts, const char *ev, int64_t *gid)
{
	struct sc_alert al;

	memset(&al, 0, sizeof(al));
	al.ts_us = ts;
	al.origin = SC_ORIGIN_POLICY;
	al.gid = 3;
	al.sid = sid;
	al.rev = 1;
	al.severity = sev;
	al.msg = uc;
	al.usecase = uc;
	snprintf(al.muni, sizeof(al.muni), "%s", muni);
	al.has_src = addr_parse(src, &al.src) == 0;
	al.has_dst = dst != NULL && addr_parse(dst, &al.dst) == 0;
	al.evidence = (const uint8_t *)ev;
	al.evidence_len = strlen(ev);
	return store_alert_insert(st, &al, NULL, gid);
}

static int
sql(struct store *st, const char *text)
{
	if (sqlite3_exec(st->db, text, NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", text, sqlite3_errmsg(st->db));
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	char path[4096], err[256], q[512];
	struct store_notification n;
	struct store *st;
	int64_t g1, g2, nid;
	int bad = 0;

	if (argc != 2)
		return 2;
	snprintf(path, sizeof(path), "%s/seccloud.db", argv[1]);
	if ((st = store_open(path, STORE_CREATE, err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	bad |= alert(st, 3000002, 1, "GL-SEP-02", "242501", "10.11.16.5",
	    "198.51.100.7", NOV + 9 * 1440 * MIN_US, "L -> internet: forbidden",
	    &g1);
	bad |= alert(st, 3000002, 1, "GL-SEP-02", "242501", "10.11.16.5",
	    "198.51.100.7", NOV + 9 * 1440 * MIN_US + MIN_US,
	    "L -> internet: forbidden", &g1);
	bad |= alert(st, 1000001, 2, "GL-ACCESS-01", "242501", "10.11.32.7",
	    NULL, NOV + 10 * 1440 * MIN_US, "Failed password", &g2);
	bad |= alert(st, 3000002, 1, "GL-SEP-02", "242519", "10.12.16.5",
	    "198.51.100.9", NOV + 9 * 1440 * MIN_US, "KITA-SECRET", NULL);
	snprintf(q, sizeof(q),
	    "UPDATE triage SET status = 'closed', close_reason = "
	    "'true_positive', acknowledged_at = %lld, closed_at = %lld "
	    "WHERE group_id = %lld",
	    (long long)(NOV + 9 * 1440 * MIN_US + 20 * MIN_US),
	    (long long)(NOV + 9 * 1440 * MIN_US + 90 * MIN_US), (long long)g1);
	bad |= sql(st, q);
	memset(&n, 0, sizeof(n));
	n.group_id = g1;
	n.muni = "242501";
	n.severity = 1;
	n.channel = "webhook";
	n.target = "http://127.0.0.1:8088/242501";
	n.created_us = NOV + 9 * 1440 * MIN_US + MIN_US;
	bad |= store_notify_insert(st, &n, &nid);
	bad |= store_notify_result(
	    st, nid, NOV + 9 * 1440 * MIN_US + 2 * MIN_US, 1, "ok");
	bad |= sql(st,
	    "INSERT INTO sources (id, addr, name, type, muni, known, "
	    "first_seen, last_seen) VALUES "
	    "(1, '10.11.16.1', 'chuo-fw-lgwan', 'asa', '242501', 1, "
	    "1793458800000000, 1793459400000000), "
	    "(2, '10.12.16.1', 'kita-fw', 'panos', '242519', 1, "
	    "1793458800000000, 1793459400000000)");
	/* chuo-fw-lgwan: the first 10 minutes of November, 12 lines each */
	for (int i = 0; i < 10; i++) {
		snprintf(q, sizeof(q),
		    "INSERT INTO source_minutes (source_id, minute, messages, "
		    "parse_failures, skew_max_ms) VALUES (1, %lld, 12, 0, 250)",
		    (long long)(NOV / MIN_US + i));
		bad |= sql(st, q);
	}
	bad |= sql(st,
	    "INSERT INTO source_minutes (source_id, minute, messages) "
	    "VALUES (2, 29890980, 999)");
	bad |= store_audit(st, NOV + 60 * MIN_US, "admin", "127.0.0.1", "login",
	    NULL, NULL, "ok");
	bad |= store_audit(st, NOV + 61 * MIN_US, "eve", "192.0.2.66",
	    "login_failed", NULL, NULL, "bad password");
	bad |= store_change(st, NOV + 120 * MIN_US, "admin", "policy",
	    "policy.conf", "0123abcd", "added chuo-xfer");
	/* the archive: verified ok on 11-05, segment 7 bad on 11-20, then
	 * pruned on 11-25 (everything before 2026-06-01) */
	{
		struct store_archive_verification v;
		struct store_archive_prune p;

		memset(&v, 0, sizeof(v));
		v.ts_us = NOV + 4 * 1440 * MIN_US;
		v.segments = 12;
		v.ok = 1;
		v.oldest_day = "2026-05-01";
		v.newest_day = "2026-11-04";
		v.held = 200;
		v.by = "cli:auditor";
		bad |= store_archive_verified(st, &v);
		v.ts_us = NOV + 19 * 1440 * MIN_US;
		v.ok = 0;
		v.first_bad = 7;
		v.detail = "segment 7 (2026-05-03): SHA-256 differs from the "
			   "manifest (altered)";
		v.by = "collector";
		bad |= store_archive_verified(st, &v);
		memset(&p, 0, sizeof(p));
		p.ts_us = NOV + 24 * 1440 * MIN_US;
		p.before_day = "2026-06-01";
		p.segments = 31;
		p.records = 4567;
		p.first_day = "2026-05-01";
		p.last_day = "2026-05-31";
		p.oldest_kept_day = "2026-06-01";
		p.by = "cli:root";
		bad |= store_archive_pruned(st, &p);
	}
	store_close(st);
	return bad ? 1 : 0;
}
