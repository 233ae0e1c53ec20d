/*
 * web_seed.c — fill a store with fixture data for the web view's tests:
 * three 団体, their sources and stage counters, a few rules, alerts through
 * store_alert_insert (so grouping and triage rows are the real ones), a
 * packet alert with a binary payload, a notification, and an XSS battery:
 * evidence, messages and addresses that carry script, attribute, URL and
 * SVG payloads.  With --bulk N, N more groups for 131016 (paging tests).
 *
 *   web_seed DB [--bulk N]
 *
 * Prints one line per named fixture, "NAME GROUP_ID" (notify_sapporo,
 * notify_sapporo2: notifications' ids), for the tests.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/store_int.h"
#include "collector/store_notify.h"
#include "common/timeutil.h"

#define XSS_SCRIPT "<script>alert('xss-script')</script>"
#define XSS_ATTR "\"><img src=x onerror=alert('xss-attr')>"
#define XSS_URL "javascript:alert('xss-url')"
#define XSS_SVG "<svg onload=alert('xss-svg')>"

static const char aux_sql[] =
    "INSERT INTO municipalities (code, name, name_en, type, model, updated)"
    " VALUES ('131016', '千代田区', 'Chiyoda', 'ward', 'alpha', 0),"
    " ('011002', '札幌市', 'Sapporo', 'city', 'alpha', 0),"
    " ('022021', '弘前市 <b>x</b>', 'Hirosaki', 'city', 'beta', 0);"
    "INSERT INTO sources (addr, name, type, muni, tier, known,"
    " expected_interval, first_seen, last_seen, messages, bytes,"
    " parse_failures, skew_last_ms, skew_max_ms, silent_since) VALUES"
    " ('10.13.0.1', 'chiyoda-fw', 'firewall', '131016', 'I', 1, 300,"
    "  $T - 86400000000, $T - 1000000, 12000, 2400000, 3, 12, 250, NULL),"
    " ('10.1.0.1', 'sapporo-proxy', 'proxy', '011002', 'I', 1, 300,"
    "  $T - 86400000000, $T - 7200000000, 500, 90000, 0, 5, 5,"
    "  $T - 3600000000),"
    " ('10.2.0.9', '<script>alert(1)</script>', 'dns', '022021', 'L',"
    "  0, NULL, $T, $T, 1, 100, 1, NULL, NULL, NULL);"
    "INSERT INTO source_minutes (source_id, minute, messages) VALUES"
    " (1, $M - 1, 100), (1, $M - 2, 120), (2, $M - 3, 7);"
    "INSERT INTO counters (role, stage, name, value, updated) VALUES"
    " ('collector', 'listen', 'received', 12501, $T),"
    " ('collector', 'parse', 'unparsed', 4, $T),"
    " ('collector', 'frame', 'dropped_oversize', 1, $T);"
    "INSERT INTO rules (gid, sid, rev, msg, classtype, severity, usecase,"
    " guideline, file, line, text, hits, loaded) VALUES"
    " (1, 9000001, 1, '[SSHD] brute force', 'attempted-user', 2,"
    "  'GL-ACCESS-01', '2-6-2', 'rules/sets/auth.rules', 12,"
    "  'alert syslog any any -> any any (msg:\"[SSHD] brute force\";"
    " sid:9000001;)', 42, $T),"
    " (1, 9100001, 2, 'WordPress login probe', 'web-application-attack',"
    "  3, 'GL-ACCESS-02', '2-6-5', 'rules/sets/web.rules', 7, NULL, 5, $T),"
    " (1, 9200001, 1, 'M-tier flow to internet', 'policy-violation', 1,"
    "  'GL-SEP-01', '三層の対策', 'rules/sets/sep.rules', 1, NULL, 1, $T);";

static int
run_aux(struct store *st, int64_t now)
{
	char sql[sizeof(aux_sql) + 4096], num[32];
	const char *p = aux_sql;
	size_t k = 0;

	while (*p && k < sizeof(sql) - 32) {
		if (p[0] == '$' && (p[1] == 'T' || p[1] == 'M')) {
			snprintf(num, sizeof(num), "%lld",
			    (long long)(p[1] == 'T' ? now : now / 60000000));
			memcpy(sql + k, num, strlen(num));
			k += strlen(num);
			p += 2;
		} else {
			sql[k++] = *p++;
		}
	}
	sql[k] = '\0';
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "web_seed: %s\n", sqlite3_errmsg(st->db));
		return -1;
	}
	return 0;
}

static int64_t
add(struct store *st, const char *name, uint32_t sid, int sev, const char *msg,
    const char *muni, const char *src, const char *dst, int64_t ts,
    const char *evidence, size_t evlen, enum sc_origin origin)
{
	struct sc_alert al;
	int64_t gid = 0;

	memset(&al, 0, sizeof(al));
	al.ts_us = ts;
	al.origin = origin;
	al.gid = 1;
	al.sid = sid;
	al.rev = 1;
	al.severity = sev;
	al.msg = msg;
	al.usecase = sid == 9000001 ? "GL-ACCESS-01" :
	    sid == 9100001	    ? "GL-ACCESS-02" :
				      "GL-SEP-01";
	al.guideline = sid == 9000001 ? "2-6-2" :
	    sid == 9100001	      ? "2-6-5" :
					"三層の対策";
	al.classtype = "attempted-user";
	snprintf(al.muni, sizeof(al.muni), "%s", muni);
	al.tier = SC_TIER_I;
	al.has_src = src != NULL && addr_parse(src, &al.src) == 0;
	al.has_dst = dst != NULL && addr_parse(dst, &al.dst) == 0;
	al.sport = 40000;
	al.dport = 22;
	al.evidence = (const uint8_t *)evidence;
	al.evidence_len = evlen;
	if (store_alert_insert(st, &al, NULL, &gid) == -1) {
		fprintf(stderr, "web_seed: insert: %s\n", store_errmsg(st));
		exit(1);
	}
	if (name != NULL)
		printf("%s %lld\n", name, (long long)gid);
	return gid;
}

#define EV(s) s, sizeof(s) - 1

int
main(int argc, char **argv)
{
	static const uint8_t payload[] =
	    "GET /wp-login.php HTTP/1.1\r\n"
	    "Host: <script>alert('xss-hex')</script>\r\n\x00\x01\xff\xfe";
	struct store *st;
	char err[256], ev[256];
	int64_t now = time_now_us(), h = 3600 * TIME_US_PER_SEC, g, nid;
	struct store_notification n;
	long bulk = argc == 4 && strcmp(argv[2], "--bulk") == 0 ?
	    strtol(argv[3], NULL, 10) :
	    0;

	if (argc != 2 && argc != 4) {
		fprintf(stderr, "usage: web_seed DB [--bulk N]\n");
		return 2;
	}
	if ((st = store_open(argv[1], STORE_CREATE, err, sizeof(err))) ==
	    NULL) {
		fprintf(stderr, "web_seed: %s\n", err);
		return 1;
	}
	if (run_aux(st, now) == -1 || store_begin(st) == -1)
		return 1;
	/* 千代田区 131016 */
	add(st, NULL, 9000001, 2, "[SSHD] brute force", "131016",
	    "198.51.100.7", "10.13.1.5", now - 30 * h,
	    EV("Nov 20 10:00:01 fw sshd[1]: Failed password for root"),
	    SC_ORIGIN_LOG);
	add(st, "chiyoda_ssh", 9000001, 2, "[SSHD] brute force", "131016",
	    "198.51.100.7", "10.13.1.5", now - 2 * h,
	    EV("Nov 22 08:00:01 fw sshd[1]: Failed password for admin from "
	       "198.51.100.7"),
	    SC_ORIGIN_LOG);
	add(st, "chiyoda_wp", 9100001, 3, "WordPress login probe", "131016",
	    "198.51.100.7", "10.13.2.8", now - 1 * h, (const char *)payload,
	    sizeof(payload) - 1, SC_ORIGIN_PACKET);
	add(st, "chiyoda_sep", 9200001, 1, "M-tier flow to internet", "131016",
	    "10.13.9.9", "203.0.113.50", now - 3 * h,
	    EV("deny M 10.13.9.9 -> 203.0.113.50:443"), SC_ORIGIN_POLICY);
	/* XSS battery, all in 131016 */
	add(st, "xss_script", 9000001, 2, "msg " XSS_SCRIPT, "131016",
	    "192.0.2.1", "10.13.0.1", now - 4 * h, EV("line " XSS_SCRIPT),
	    SC_ORIGIN_LOG);
	add(st, "xss_attr", 9000001, 2, "msg " XSS_ATTR, "131016", "192.0.2.2",
	    "10.13.0.1", now - 5 * h, EV("line " XSS_ATTR), SC_ORIGIN_LOG);
	add(st, "xss_url", 9000001, 2, XSS_URL, "131016", "192.0.2.3",
	    "10.13.0.1", now - 6 * h, EV(XSS_URL), SC_ORIGIN_LOG);
	add(st, "xss_svg", 9000001, 2, "msg " XSS_SVG, "131016", "192.0.2.4",
	    "10.13.0.1", now - 7 * h, EV("line " XSS_SVG "\x1b[31m\xc3"),
	    SC_ORIGIN_LOG);
	/* 札幌市 011002 */
	g = add(st, "sapporo_ssh", 9000001, 2, "[SSHD] brute force sapporo",
	    "011002", "198.51.100.7", "10.1.1.5", now - 1 * h,
	    EV("sapporo secret line: Failed password for root"), SC_ORIGIN_LOG);
	add(st, "sapporo_wp", 9100001, 3, "WordPress login probe sapporo",
	    "011002", "203.0.113.9", "10.1.2.8", now - 50 * h,
	    EV("sapporo GET /wp-login.php"), SC_ORIGIN_LOG);
	/* 弘前市 022021 */
	add(st, "hirosaki_sep", 9200001, 1, "M-tier flow hirosaki", "022021",
	    "10.2.9.9", "203.0.113.60", now - 8 * h, EV("hirosaki deny M"),
	    SC_ORIGIN_POLICY);
	for (long i = 0; i < bulk; i++) {
		snprintf(ev, sizeof(ev), "bulk line %ld", i);
		snprintf(err, sizeof(err), "10.99.%ld.%ld", i / 250, i % 250);
		add(st, NULL, 9000001, 4, "bulk rule", "131016", err,
		    "10.13.0.2", now - 10 * h - i * TIME_US_PER_SEC, ev,
		    strlen(ev), SC_ORIGIN_LOG);
	}
	if (store_commit(st) == -1)
		return 1;
	snprintf(ev, sizeof(ev),
	    "INSERT INTO notifications (group_id, muni,"
	    " severity, channel, target, summary, created, sent, attempts,"
	    " result) VALUES (%lld, '011002', 2, 'webhook',"
	    " 'https://soc.example/hook', 'S2 sapporo', %lld, %lld, 1, 'ok')",
	    (long long)g, (long long)now, (long long)now);
	if (sqlite3_exec(st->db, ev, NULL, NULL, NULL) != SQLITE_OK)
		return 1;
	printf("notify_sapporo %lld\n",
	    (long long)sqlite3_last_insert_rowid(st->db));
	/* a second one, through the store's own API: queued, never sent */
	memset(&n, 0, sizeof(n));
	n.group_id = g;
	n.muni = "011002";
	n.severity = 2;
	n.channel = "syslog";
	n.target = "192.0.2.53:514";
	n.summary = "S2 sapporo (syslog)";
	n.created_us = now;
	if (store_notify_insert(st, &n, &nid) == -1)
		return 1;
	printf("notify_sapporo2 %lld\n", (long long)nid);
	store_close(st);
	return 0;
}
