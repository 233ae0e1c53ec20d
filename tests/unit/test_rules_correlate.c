/*
 * test_rules_correlate.c — log matching and correlation over simulated
 * receive time: program globs and alternatives, facility/level,
 * parse_src_ip (Nth address, else the sending host), parse_port, user
 * names; threshold limit/threshold/both by_src, by_dst and by_username;
 * Sagan's after and our "after ... regular" and "after ... sum"; xbits set/isset/isnotset/
 * unset with expiry, by_src, by_dst and by_both; alert grouping; LRU
 * eviction under a small cap.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"
#include "tests/tap.h"

#define SEC 1000000LL

static const char log_rules[] =
    "alert syslog any any -> any any (msg:\"limit\"; program:sshd; "
    "content:\"Failed password\"; threshold: type limit, track by_src, "
    "count 2, seconds 60; parse_src_ip: 1; sid:1;)\n"
    "alert syslog any any -> any any (msg:\"every 3rd\"; program:app; "
    "content:\"tick\"; threshold: type threshold, track by_src, count 3, "
    "seconds 60; sid:2;)\n"
    "alert syslog any any -> any any (msg:\"both\"; program:app; "
    "content:\"tock\"; threshold: type both, track by_src, count 3, "
    "seconds 60; sid:3;)\n"
    "alert syslog any any -> any any (msg:\"after\"; program:app; "
    "content:\"login fail\"; after: track by_src, count 3, seconds 60; "
    "parse_src_ip: 1; sid:4;)\n"
    "alert syslog any any -> any any (msg:\"recon\"; program:scan*; "
    "content:\"probe\"; xbits: set,recon,30; parse_src_ip: 1; sid:5;)\n"
    "alert syslog any any -> any any (msg:\"after recon\"; program:web; "
    "content:\"attack\"; xbits: isset,by_src,recon|honeypot; parse_src_ip: "
    "1; sid:6;)\n"
    "alert syslog any any -> any any (msg:\"no recon\"; program:web; "
    "content:\"attack\"; xbits: isnotset,by_src,recon; parse_src_ip: 1; "
    "sid:7;)\n"
    "alert syslog any any -> any any (msg:\"clear\"; program:web; "
    "content:\"clear\"; xbits: unset,by_src,recon; parse_src_ip: 1; "
    "sid:8;)\n"
    "alert syslog any any -> any any (msg:\"per user\"; "
    "program:sshd|dropbear; content:\"Invalid user\"; threshold: type "
    "threshold, track by_username, count 2, seconds 60; sid:9;)\n"
    "alert syslog any any -> any any (msg:\"fac\"; facility: auth; level: "
    "info; sid:10;)\n"
    "alert syslog any any -> any any (msg:\"suricata set\"; program:ids; "
    "content:\"mark\"; xbits:set,marked,track ip_dst,expire 60; "
    "parse_src_ip: 1; parse_dst_ip: 2; sid:12;)\n"
    "alert syslog any any -> any any (msg:\"suricata isset\"; program:ids; "
    "content:\"check\"; xbits:isset,marked,track ip_dst; parse_src_ip: "
    "1; parse_dst_ip: 2; sid:13;)\n"
    "alert syslog any any -> any any (msg:\"office hours\"; program:vpn; "
    "content:\"login\"; alert_time: days $SAGAN_DAYS, hours 0900-1700; "
    "sid:14;)\n"
    "alert syslog 10.0.0.0/8 any -> any any (msg:\"dst\"; program:fw; "
    "content:\"deny\"; parse_src_ip: 1; parse_dst_ip: 2; parse_port; "
    "sid:11;)\n"
    "alert syslog any any -> any any (msg:\"per dst\"; program:fw2; "
    "content:\"drop\"; threshold: type limit, track by_dst, count 1, "
    "seconds 60; parse_src_ip: 1; parse_dst_ip: 2; sid:15;)\n"
    "alert syslog any any -> any any (msg:\"stage 1\"; program:chain; "
    "content:\"stage1\"; xbits: set,pair,60; parse_src_ip: 1; "
    "parse_dst_ip: 2; sid:16;)\n"
    "alert syslog any any -> any any (msg:\"stage 2\"; program:chain; "
    "content:\"stage2\"; xbits: isset,by_both,pair; parse_src_ip: 1; "
    "parse_dst_ip: 2; sid:17;)\n"
    "alert syslog any any -> any any (msg:\"beacon\"; program:fw3; "
    "content:\"session\"; after: track by_both, count 3, seconds 3600, "
    "regular 10; parse_src_ip: 1; parse_dst_ip: 2; sid:18;)\n"
    "alert syslog any any -> any any (msg:\"fallback\"; program:hostfb; "
    "content:\"from\"; parse_src_ip: 2; parse_dst_ip: 1; sid:19;)\n"
    "alert syslog any any -> any any (msg:\"volume\"; program:fw4; "
    "content:\"upload\"; after: track by_src, count 100, seconds 60, "
    "sum sentbyte; parse_src_ip: 1; sid:20;)\n";

struct hitlog {
	uint32_t sid[32];
	struct rule_hit h[32];
	char user[32][64];
	int n;
};

static int
cb(void *ctx, const struct rule_hit *h)
{
	struct hitlog *l = ctx;

	if (l->n < 32) {
		l->sid[l->n] = rule_sid(h->rule);
		l->h[l->n] = *h;
		snprintf(l->user[l->n], 64, "%s",
		    h->username != NULL ? h->username : "");
		l->n++;
	}
	return 0;
}

static struct ruleset *rs;
static struct rule_scratch *scr;
static struct correlator *corr;
static struct addr host;

/* Match one line at time t (seconds); returns 1 if sid fired. */
static int
feed(const char *prog, const char *msg, int64_t t, uint32_t sid,
    struct hitlog *out)
{
	struct rule_logmsg m;
	struct hitlog l;

	memset(&m, 0, sizeof(m));
	memset(&l, 0, sizeof(l));
	m.msg = msg;
	m.msglen = strlen(msg);
	m.program = prog;
	m.programlen = prog != NULL ? strlen(prog) : 0;
	m.facility = 4;
	m.level = 6;
	m.host = &host;
	m.recv_us = t * SEC;
	m.dantai = "131016";
	ruleset_match_log(rs, scr, corr, &m, cb, &l);
	if (out != NULL)
		*out = l;
	for (int i = 0; i < l.n; i++)
		if (l.sid[i] == sid)
			return 1;
	return 0;
}

static void
test_threshold(void)
{
	const char *f1 =
	    "Failed password for root from 203.0.113.9 port 22 ssh2";
	const char *f2 = "Failed password for root from 203.0.113.10 port 22";

	ok(feed("sshd", f1, 0, 1, NULL), "limit: 1st fires");
	ok(feed("sshd", f1, 1, 1, NULL), "limit: 2nd fires");
	ok(!feed("sshd", f1, 2, 1, NULL), "limit: 3rd suppressed");
	ok(feed("sshd", f2, 3, 1, NULL), "limit: other source has its own");
	ok(!feed("sshd", f1, 59, 1, NULL), "limit: still in the window");
	ok(feed("sshd", f1, 61, 1, NULL), "limit: new window fires");
	ok(!feed("sshd2", f1, 200, 1, NULL), "program must match exactly");
	for (int i = 1; i <= 7; i++)
		is_int(feed("app", "tick", 100 + i, 2, NULL), i % 3 == 0,
		    "threshold: event %d", i);
	for (int i = 1; i <= 7; i++)
		is_int(feed("app", "tock", 100 + i, 3, NULL), i == 3,
		    "both: event %d", i);
	ok(feed("app", "tock", 170, 3, NULL) == 0 &&
		feed("app", "tock", 171, 3, NULL) == 0 &&
		feed("app", "tock", 172, 3, NULL) == 1,
	    "both: once again in the next window");
}

static void
test_after(void)
{
	const char *m = "login fail from 198.51.100.7";

	ok(!feed("app", m, 1000, 4, NULL), "after: 1st held");
	ok(!feed("app", m, 1001, 4, NULL), "after: 2nd held");
	ok(!feed("app", m, 1001, 4, NULL), "after: 3rd held (count 3)");
	ok(feed("app", m, 1002, 4, NULL), "after: 4th fires, as Sagan");
	ok(feed("app", m, 1003, 4, NULL), "after: 5th fires");
	ok(!feed("app", m, 1100, 4, NULL), "after: window over, held again");
}

static void
test_xbits(void)
{
	ok(feed("web", "attack from 192.0.2.1", 2000, 7, NULL),
	    "isnotset before any set");
	ok(!feed("web", "attack from 192.0.2.1", 2000, 6, NULL),
	    "isset before any set");
	ok(!feed("ids", "check 192.0.2.9 -> 198.51.100.1", 1990, 13, NULL),
	    "suricata form: isset by dst before set");
	feed("ids", "mark 192.0.2.8 -> 198.51.100.1", 1991, 12, NULL);
	ok(feed("ids", "check 192.0.2.9 -> 198.51.100.1", 1992, 13, NULL),
	    "suricata form: isset by the same dst");
	ok(!feed("ids", "check 192.0.2.9 -> 198.51.100.2", 1993, 13, NULL),
	    "suricata form: another dst");
	ok(feed("scanner", "probe by 192.0.2.1", 2001, 5, NULL),
	    "set rule fires (program glob)");
	ok(feed("web", "attack from 192.0.2.1", 2002, 6, NULL),
	    "isset after set, same source");
	ok(!feed("web", "attack from 192.0.2.1", 2002, 7, NULL),
	    "isnotset after set");
	ok(!feed("web", "attack from 192.0.2.2", 2003, 6, NULL),
	    "isset for another source");
	ok(!feed("web", "attack from 192.0.2.1", 2040, 6, NULL),
	    "expired after 30 s");
	feed("scanner", "probe by 192.0.2.1", 2100, 5, NULL);
	feed("web", "clear 192.0.2.1", 2101, 8, NULL);
	ok(!feed("web", "attack from 192.0.2.1", 2102, 6, NULL),
	    "unset clears it");
}

/* Keep only the hit of this sid (at index 0). */
static void
pick(struct hitlog *l, uint32_t sid)
{
	for (int i = 0; i < l->n; i++)
		if (l->sid[i] == sid) {
			l->h[0] = l->h[i];
			l->sid[0] = sid;
			l->n = 1;
			return;
		}
	l->n = 0;
}

static void
test_fields(void)
{
	struct hitlog l;
	char a[64], b[64];

	ok(feed("dropbear", "Invalid user bob from 1.2.3.4", 3000, 9, NULL) ==
		0,
	    "by_username: 1st of bob");
	ok(feed("sshd", "Invalid user alice from 1.2.3.4", 3001, 9, NULL) == 0,
	    "by_username: 1st of alice");
	ok(feed("sshd", "Invalid user bob from 1.2.3.5", 3002, 9, &l) == 1,
	    "by_username: 2nd of bob fires");
	is_str(l.n > 0 ? l.user[0] : "", "bob", "username parsed");
	ok(feed(NULL, "anything", 3003, 10, NULL), "facility and level");
	ok(feed("fw", "deny tcp 10.1.2.3:5555 -> 8.8.4.4:53", 3004, 11, &l),
	    "parse_src_ip/parse_dst_ip, header on parsed source");
	pick(&l, 11);
	if (l.n > 0) {
		inet_ntop(AF_INET6, l.h[0].src.b, a, sizeof(a));
		inet_ntop(AF_INET6, l.h[0].dst.b, b, sizeof(b));
		is_str(a, "::ffff:10.1.2.3", "src is the 1st address");
		is_str(b, "::ffff:8.8.4.4", "dst is the 2nd address");
		is_int(l.h[0].sport, 5555, "sport parsed");
		is_int(l.h[0].dport, 53, "dport parsed");
		is_int(l.h[0].group_count, 1, "first of its group");
	}
	ok(!feed("fw", "deny tcp 11.1.2.3:5555 -> 8.8.4.4:53", 3005, 11, NULL),
	    "header 10.0.0.0/8 refuses 11.1.2.3");
	feed("fw", "deny tcp 10.1.2.3:5555 -> 8.8.4.4:53", 3010, 11, &l);
	pick(&l, 11);
	is_int(l.n > 0 ? (long long)l.h[0].group_count : -1, 2,
	    "grouped: count 2");
	ok(l.n > 0 && l.h[0].group_first_us == 3004 * SEC &&
		l.h[0].group_last_us == 3010 * SEC,
	    "grouped: first and last seen");
}

static void
test_by_dst_both(void)
{
	const char *a1 = "drop 192.0.2.1 -> 198.51.100.1";
	const char *a2 = "drop 192.0.2.2 -> 198.51.100.1";
	const char *b1 = "drop 192.0.2.1 -> 198.51.100.2";

	ok(feed("fw2", a1, 4000, 15, NULL), "by_dst: 1st to a dst fires");
	ok(!feed("fw2", a2, 4001, 15, NULL),
	    "by_dst: another source to the same dst is suppressed");
	ok(feed("fw2", b1, 4002, 15, NULL),
	    "by_dst: same source to another dst has its own count");
	ok(feed("fw2", a2, 4061, 15, NULL), "by_dst: new window fires");

	ok(!feed("chain", "stage2 192.0.2.1 -> 198.51.100.1", 4100, 17, NULL),
	    "by_both: isset before any set");
	ok(feed("chain", "stage1 192.0.2.1 -> 198.51.100.1", 4101, 16, NULL),
	    "by_both: set rule fires");
	ok(feed("chain", "stage2 192.0.2.1 -> 198.51.100.1", 4102, 17, NULL),
	    "by_both: isset for the same pair");
	ok(!feed("chain", "stage2 192.0.2.1 -> 198.51.100.9", 4103, 17, NULL),
	    "by_both: same source, another dst");
	ok(!feed("chain", "stage2 192.0.2.7 -> 198.51.100.1", 4104, 17, NULL),
	    "by_both: another source, same dst");
	ok(!feed("chain", "stage2 192.0.2.1 -> 198.51.100.1", 4162, 17, NULL),
	    "by_both: expired after 60 s");
}

/* after ... regular 10, count 3: the 4th match at a steady gap fires. */
static void
test_regular(void)
{
	const char *m = "session 10.9.9.9 -> 203.0.113.5";
	const char *o = "session 10.9.9.8 -> 203.0.113.5";
	int64_t t = 6000;

	ok(!feed("fw3", m, t, 18, NULL), "regular: 1st held");
	ok(!feed("fw3", m, t + 1, 18, NULL), "regular: same beat ignored");
	ok(!feed("fw3", m, t + 300, 18, NULL), "regular: 2nd (gap 300)");
	ok(!feed("fw3", m, t + 610, 18, NULL), "regular: 3rd (gap 310)");
	ok(feed("fw3", m, t + 895, 18, NULL), "regular: 4th (gap 285) fires");
	/* an irregular host: gaps 300, 100, 300, 300 */
	t = 8000;
	ok(!feed("fw3", o, t, 18, NULL) && !feed("fw3", o, t + 300, 18, NULL) &&
		!feed("fw3", o, t + 400, 18, NULL),
	    "irregular: a 100 s gap breaks the beat");
	ok(!feed("fw3", o, t + 700, 18, NULL),
	    "irregular: the run restarted at the break (2 counted)");
	ok(!feed("fw3", o, t + 1000, 18, NULL), "irregular: 3 counted");
	ok(feed("fw3", o, t + 1300, 18, NULL),
	    "irregular: 4 at the new beat fire");
}

/* after ... sum sentbyte, count 100: fires once the total passes 100. */
static void
test_sum(void)
{
	ok(!feed("fw4", "upload 10.2.2.2 sentbyte=40 rcvd=900", 9000, 20, NULL),
	    "sum: 40");
	ok(!feed("fw4", "upload 10.2.2.2 xsentbyte=500 sentbyte=\"40\"", 9001,
	       20, NULL),
	    "sum: 80 (quoted value; a longer key is not it)");
	ok(!feed("fw4", "upload 10.2.2.3 sentbyte=90", 9002, 20, NULL),
	    "sum: another source has its own total");
	ok(!feed("fw4", "upload 10.2.2.2 no bytes here", 9003, 20, NULL),
	    "sum: a message without the key adds nothing");
	ok(!feed("fw4", "upload 10.2.2.2 sentbyte=20", 9004, 20, NULL),
	    "sum: 100 is not past 100");
	ok(feed("fw4", "upload 10.2.2.2 sentbyte=1", 9005, 20, NULL),
	    "sum: 101 fires");
	ok(!feed("fw4", "upload 10.2.2.2 sentbyte=99", 9100, 20, NULL),
	    "sum: a new window starts from 0");
	ok(feed("fw4", "upload 10.2.2.2 sentbyte=18446744073709551615999", 9101,
	       20, NULL),
	    "sum: a huge value saturates and fires");
}

/* Sagan: no Nth address in the message, so the sending host stands in. */
static void
test_host_fallback(void)
{
	struct hitlog l;
	char a[64], b[64];

	ok(feed("hostfb", "login from 198.51.100.3", 7000, 19, &l),
	    "fallback rule fires");
	pick(&l, 19);
	if (!ok(l.n == 1, "fallback hit kept"))
		return;
	inet_ntop(AF_INET6, l.h[0].src.b, a, sizeof(a));
	inet_ntop(AF_INET6, l.h[0].dst.b, b, sizeof(b));
	is_str(a, "::ffff:10.0.0.1", "no 2nd address: src is the sending host");
	is_str(b, "::ffff:198.51.100.3", "dst is the 1st address");
	feed("hostfb", "login from nowhere", 7001, 19, &l);
	pick(&l, 19);
	if (l.n == 1) {
		inet_ntop(AF_INET6, l.h[0].dst.b, b, sizeof(b));
		is_str(
		    b, "::ffff:10.0.0.1", "no address at all: dst is the host");
	} else
		ok(0, "no address at all: still fires");
}

/* alert_time reads the receive time in JST: 2026-11-24 is a Tuesday. */
static void
test_alert_time(void)
{
	ok(feed("vpn", "login ok", 1795482000, 14, NULL),
	    "Tuesday 10:00 JST is inside days 12345, 0900-1700");
	ok(!feed("vpn", "login ok", 1795510800, 14, NULL),
	    "Tuesday 18:00 JST is outside");
	ok(!feed("vpn", "login ok", 1795309200, 14, NULL),
	    "Sunday 10:00 JST is outside");
}

static void
test_eviction(void)
{
	struct correlator_limits lim = { 8 };
	struct correlator *small = correlator_new(&lim), *save = corr;
	struct correlator_stats st;
	char msg[64];

	corr = small;
	for (int i = 0; i < 50; i++) {
		snprintf(msg, sizeof(msg), "Failed password from 10.0.0.%d", i);
		feed("sshd", msg, 5000 + i, 1, NULL);
	}
	correlator_get_stats(small, &st);
	ok(st.entries <= 8, "entries capped (%llu)",
	    (unsigned long long)st.entries);
	ok(st.evicted >= 42, "evictions counted (%llu)",
	    (unsigned long long)st.evicted);
	corr = save;
	correlator_free(small);
}

int
main(void)
{
	struct ruleset_opts o;

	memset(&o, 0, sizeof(o));
	o.flags = RULESET_LOG | RULESET_NO_CACHE;
	rs = ruleset_load_string("log", log_rules, &o, NULL);
	if (!ok(rs != NULL && ruleset_count(rs) == 20, "log rules load"))
		return done_testing();
	scr = rule_scratch_new(rs);
	corr = correlator_new(NULL);
	memset(&host, 0, sizeof(host));
	host.b[10] = host.b[11] = 0xff;
	host.b[12] = 10;
	host.b[15] = 1;
	test_threshold();
	test_after();
	test_xbits();
	test_fields();
	test_alert_time();
	test_by_dst_both();
	test_regular();
	test_host_fallback();
	test_sum();
	test_eviction();
	correlator_free(corr);
	rule_scratch_free(scr);
	ruleset_unref(rs);
	return done_testing();
}
