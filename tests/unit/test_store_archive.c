/*
 * test_store_archive.c — the archive's evidence in the store: the month's
 * verification result in the monthly report and the audit pack (not run /
 * ok with how many runs / bad naming the first bad segment, runs outside
 * the month left out, including one a microsecond after its end), and the
 * retention achieved for the archive from the latest verification or
 * prune record, with the prune described.  Fixed fixture times: November
 * 2026 in JST.
 */
#include "config.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/store_archive.h"
#include "collector/store_int.h"
#include "collector/store_report.h"
#include "common/buf.h"
#include "common/timeutil.h"
#include "policies/policy.h"
#include "tests/tap.h"

static int64_t
T(const char *s)
{
	int64_t us = 0;
	size_t used;

	if (time_parse_rfc3339(s, strlen(s), &us, &used) != 0)
		diag("bad time %s", s);
	return us;
}

static void
verified(struct store *st, const char *when, int ok, uint64_t segs,
    uint64_t bad, const char *oldest)
{
	struct store_archive_verification v;

	memset(&v, 0, sizeof(v));
	v.ts_us = T(when);
	v.segments = segs;
	v.ok = ok;
	v.first_bad = bad;
	v.detail = ok ? NULL : "segment 12 (2026-11-03): SHA-256 differs";
	v.oldest_day = oldest;
	v.newest_day = "2026-11-20";
	v.held = 40;
	v.by = "cli:auditor";
	if (store_archive_verified(st, &v) != 0)
		diag("insert failed");
}

static struct report_archive
month_archive(struct store *st, const char *month)
{
	struct report_monthly r;
	struct store_rpt *k = store_rpt_new();
	struct report_archive a;
	static char detail[512];

	memset(&r, 0, sizeof(r));
	memcpy(r.muni_code, "242012", 7);
	report_month_range(month, &r.year, &r.month, &r.from_us, &r.to_us);
	if (store_report_monthly(st, k, &r) != 0)
		diag("monthly failed");
	a = r.archive;
	snprintf(detail, sizeof(detail), "%s", a.detail ? a.detail : "");
	a.detail = detail;
	store_rpt_free(k);
	return a;
}

int
main(void)
{
	char dir[] = "/tmp/test_store_archive.XXXXXX", path[256], err[256];
	struct store *st;
	struct report_archive a;
	struct report_retention ret[2];
	struct store_archive_prune p;
	struct report_audit au;
	struct store_rpt *k;

	ok(mkdtemp(dir) != NULL, "temp dir");
	snprintf(path, sizeof(path), "%s/seccloud.db", dir);
	st = store_open(path, STORE_CREATE, err, sizeof(err));
	ok(st != NULL, "create: %s", st ? "ok" : err);
	if (st == NULL)
		return done_testing();

	a = month_archive(st, "2026-11");
	ok(a.known == 0 && strstr(a.detail, "not recorded") != NULL,
	    "no run: not recorded");

	/* October's run and one at 2026-12-01 00:00 JST are not November's */
	verified(st, "2026-10-31T23:59:59+09:00", 0, 5, 3, "2026-01-01");
	verified(st, "2026-12-01T00:00:00+09:00", 0, 5, 4, "2026-01-01");
	a = month_archive(st, "2026-11");
	is_int(a.known, 0, "runs outside the month do not count");

	verified(st, "2026-11-01T00:00:00+09:00", 1, 30, 0, "2026-01-10");
	verified(st, "2026-11-30T23:59:59+09:00", 1, 31, 0, "2026-01-11");
	a = month_archive(st, "2026-11");
	ok(a.known && a.ok, "two good runs: ok");
	is_int(a.segments, 31, "segments of the last run");
	is_int(a.verified_us, T("2026-11-30T23:59:59+09:00"), "last run time");
	ok(strstr(a.detail, "2 回の検証がすべて正常") != NULL &&
		strstr(a.detail, "cli:auditor") != NULL,
	    "detail: how many runs, by whom (%s)", a.detail);

	verified(st, "2026-11-15T12:00:00+09:00", 0, 14, 12, "2026-01-10");
	verified(st, "2026-11-16T12:00:00+09:00", 0, 14, 12, "2026-01-10");
	a = month_archive(st, "2026-11");
	ok(a.known && !a.ok, "a bad run in the month: bad");
	is_int(a.bad_segments, 1, "one distinct bad segment");
	ok(strstr(a.detail, "4 回中 2 回で不整合") != NULL &&
		strstr(a.detail, "セグメント 12") != NULL &&
		strstr(a.detail, "SHA-256 differs") != NULL,
	    "detail names the first bad segment (%s)", a.detail);
	a = month_archive(st, "2026-10");
	ok(a.known && !a.ok && strstr(a.detail, "セグメント 3") != NULL,
	    "October: its own bad run");

	/* the audit pack: the same result over its range */
	memset(&au, 0, sizeof(au));
	au.from_us = T("2026-11-01T00:00:00+09:00");
	au.to_us = T("2026-11-15T00:00:00+09:00");
	k = store_rpt_new();
	ok(store_report_audit(st, k, &au) == 0 && au.archive.known &&
		au.archive.ok,
	    "audit pack 11/01-11/15: ok (the bad runs came later)");
	store_rpt_free(k);

	/* retention of the archive */
	memset(ret, 0, sizeof(ret));
	ret[0].what = "archive";
	ret[0].policy_s = 1826 * 86400LL;
	ret[1].what = "alerts";
	ok(store_report_retention(
	       st, NULL, T("2026-11-20T00:00:00+09:00"), ret, 2) == 0,
	    "retention read");
	is_int(ret[0].achieved_s, (int64_t)(314 * 86400),
	    "oldest held 2026-01-10 (latest run by 11-20): 314 days");
	ok(strstr(ret[0].note, "最古保持 2026-01-10") != NULL &&
		strstr(ret[0].note, "記録なし") == NULL,
	    "note: from the verification (%s)", ret[0].note);

	memset(&p, 0, sizeof(p));
	p.ts_us = T("2026-11-25T03:00:00+09:00");
	p.before_day = "2026-03-01";
	p.segments = 52;
	p.records = 123456;
	p.first_day = "2026-01-11";
	p.last_day = "2026-02-28";
	p.oldest_kept_day = "2026-03-01";
	p.by = "cli:root";
	ok(store_archive_pruned(st, &p) == 0, "prune recorded");
	ret[0].achieved_s = 0;
	ok(store_report_retention(
	       st, NULL, T("2026-11-30T00:00:00+09:00"), ret, 2) == 0,
	    "retention read after the prune");
	is_int(ret[0].achieved_s, (int64_t)(274 * 86400),
	    "oldest kept 2026-03-01: 274 days");
	ok(strstr(ret[0].note, "2026-03-01 より前 52 セグメント 123456 件") !=
		    NULL &&
		strstr(ret[0].note, "cli:root") != NULL,
	    "note: what the prune removed (%s)", ret[0].note);
	ret[0].achieved_s = 0;
	ok(store_report_retention(
	       st, NULL, T("2026-11-01T00:00:00+09:00"), ret, 2) == 0 &&
		ret[0].achieved_s == (int64_t)(295 * 86400) &&
		strstr(ret[0].note, "削除") == NULL,
	    "as of 11-01: the 11-01 run (oldest 2026-01-10), no prune yet");

	store_close(st);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (system(path) != 0)
		diag("cleanup failed");
	return done_testing();
}
