/*
 * bench_web_seed.c — build a large store for the web benchmark quickly:
 * GROUPS alert groups over 30 days spread across 30 団体, and ALERTS alert
 * rows distributed over them, written with set-based SQL (recursive CTEs)
 * instead of one store_alert_insert per row, then the same indexes the
 * schema defines.  About 10% of groups are closed, 5% acknowledged.
 *
 *   bench_web_seed DB [ALERTS [GROUPS]]     (defaults 10,000,000 / 1,000,000)
 *
 * The rows match what the collector writes (same columns, same grouping
 * key, a triage row per group), so page timings are representative.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "collector/store_int.h"
#include "common/timeutil.h"

static int
run(struct store *st, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "bench_web_seed: %s\n", err);
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	long long alerts = argc > 2 ? strtoll(argv[2], NULL, 10) : 10000000;
	long long groups = argc > 3 ? strtoll(argv[3], NULL, 10) : 1000000;
	long long now = time_now_us(), span = 30LL * 86400 * 1000000;
	char sql[4096], err[256];
	struct store *st;
	int64_t t0 = time_mono_us();

	if (argc < 2 || alerts < groups || groups < 1) {
		fprintf(stderr, "usage: bench_web_seed DB [ALERTS [GROUPS]]\n");
		return 2;
	}
	if ((st = store_open(argv[1], STORE_CREATE, err, sizeof(err))) ==
	    NULL) {
		fprintf(stderr, "bench_web_seed: %s\n", err);
		return 1;
	}
	if (run(st,
		"PRAGMA synchronous = OFF; PRAGMA cache_size = -1000000;"
		"BEGIN; DROP INDEX groups_last; DROP INDEX groups_muni_last;"
		"DROP INDEX groups_sev_last; DROP INDEX groups_usecase;"
		"DROP INDEX alerts_group_ts; DROP INDEX alerts_ts;"
		"DROP INDEX alerts_src; DROP INDEX alerts_muni_ts;"
		"DROP INDEX triage_status;") == -1)
		return 1;
	/* 30 団体 with valid codes (check digit, DOMAIN.md §G) */
	if (run(st,
		"CREATE TEMP TABLE mm (k INTEGER PRIMARY KEY, code TEXT);") ==
	    -1)
		return 1;
	for (int i = 0; i < 30; i++) {
		int body = 13101 + i, sum = 0, d = body, cd;

		for (int w = 2; w <= 6; w++, d /= 10)
			sum += (d % 10) * w;
		cd = (11 - sum % 11) % 10;
		snprintf(sql, sizeof(sql),
		    "INSERT INTO temp.mm VALUES (%d, "
		    "'%05d%d'); INSERT INTO municipalities (code, name, "
		    "name_en, updated) VALUES ('%05d%d', '団体%d', 'muni %d', 0);",
		    i, body, cd, body, cd, i, i);
		if (run(st, sql) == -1)
			return 1;
		if (i == 0)
			printf("muni %05d%d\n", body, cd);
	}
	snprintf(sql, sizeof(sql),
	    "WITH RECURSIVE g(i) AS (SELECT 1 UNION "
	    "ALL SELECT i + 1 FROM g WHERE i < %lld) INSERT INTO alert_groups "
	    "(id, gid, sid, muni, src, dst, msg, severity, origin, usecase, "
	    "guideline, classtype, tier, count, first_seen, last_seen, "
	    "last_alert_id) SELECT i, 1, 9000000 + i %% 200, "
	    "(SELECT code FROM temp.mm WHERE k = i %% 30), "
	    "printf('198.51.%%d.%%d', (i / 256) %% 256, i %% 256), "
	    "printf('10.%%d.%%d.%%d', i %% 30, (i / 7) %% 256, i %% 200), "
	    "'bench rule ' || (i %% 200), 1 + i %% 5, 'log', "
	    "'GL-ACCESS-0' || (i %% 3), '2-6-2', 'attempted-user', "
	    "CASE i %% 3 WHEN 0 THEN 'I' WHEN 1 THEN 'L' ELSE 'M' END, "
	    "%lld, %lld - (%lld - i) * (%lld / %lld) - 3600000000, "
	    "%lld - (%lld - i) * (%lld / %lld), NULL FROM g;",
	    groups, alerts / groups, now, groups, span, groups, now, groups,
	    span, groups);
	if (run(st, sql) == -1)
		return 1;
	snprintf(sql, sizeof(sql),
	    "INSERT INTO triage (group_id, status, "
	    "close_reason, updated) SELECT id, CASE WHEN (id / 30) %% 10 = 0 THEN "
	    "'closed' WHEN (id / 30) %% 20 = 1 THEN 'acknowledged' ELSE 'new' END, "
	    "CASE WHEN (id / 30) %% 10 = 0 THEN 'benign' END, %lld FROM alert_groups;",
	    now);
	if (run(st, sql) == -1)
		return 1;
	/* alerts: row a belongs to group (a %% groups) + 1 */
	snprintf(sql, sizeof(sql),
	    "WITH RECURSIVE a(i) AS (SELECT 0 UNION "
	    "ALL SELECT i + 1 FROM a WHERE i < %lld - 1) INSERT INTO alerts "
	    "(group_id, ts, origin, gid, sid, rev, severity, muni, tier, src, "
	    "sport, dst, dport, evidence) SELECT g.id, g.last_seen - (a.i / "
	    "%lld) * 60000000, 'log', 1, g.sid, 1, g.severity, g.muni, g.tier, "
	    "g.src, 40000, g.dst, 22, CAST('Nov 22 10:00:01 fw sshd[1]: Failed "
	    "password for root from ' || g.src AS BLOB) FROM a JOIN "
	    "alert_groups g ON g.id = a.i %% %lld + 1;",
	    alerts, groups, groups);
	if (run(st, sql) == -1)
		return 1;
	/* the dashboard's per-day rollup: store_alert_insert keeps it, raw
	 * inserts like these must fill it themselves */
	if (run(st,
		"INSERT INTO alert_days SELECT (ts / 1000000 + 32400) / 86400, "
		"muni, gid, sid, severity, count(*) FROM alerts "
		"GROUP BY 1, 2, 3, 4, 5;") == -1)
		return 1;
	if (run(st,
		"CREATE INDEX groups_last ON alert_groups(last_seen DESC, id DESC);"
		"CREATE INDEX groups_muni_last ON alert_groups(muni, last_seen "
		"DESC, id DESC);"
		"CREATE INDEX groups_sev_last ON alert_groups(severity, last_seen "
		"DESC, id DESC);"
		"CREATE INDEX groups_usecase ON alert_groups(usecase, last_seen "
		"DESC);"
		"CREATE INDEX alerts_group_ts ON alerts(group_id, ts DESC);"
		"CREATE INDEX alerts_ts ON alerts(ts);"
		"CREATE INDEX alerts_src ON alerts(src, ts DESC);"
		"CREATE INDEX alerts_muni_ts ON alerts(muni, ts);"
		"CREATE INDEX triage_status ON triage(status);"
		"COMMIT; ANALYZE;") == -1)
		return 1;
	store_close(st);
	printf("seeded %lld alerts in %lld groups in %.1f s\n", alerts, groups,
	    (double)(time_mono_us() - t0) / 1e6);
	return 0;
}
