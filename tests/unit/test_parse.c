/*
 * test_parse.c — the syslog parsers against lines real devices send.
 * Each row: the frame, and what the event must hold afterwards.  The
 * lines are typical of each product's documented format (OpenSSH, postfix,
 * Cisco IOS/ASA, FortiOS, PAN-OS, NXLog/Snare Windows forwarders, rsyslog's
 * RFC 5424 forwarding), with our own addresses and names.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "collector/collector.h"
#include "common/timeutil.h"
#include "tests/tap.h"

struct row {
	const char *name;
	const char *line;
	int rc;
	uint32_t flags; /* flags that must be set */
	int pri;
	const char *ts; /* RFC 3339 UTC of ts_us, or NULL for 0 */
	const char *host, *app, *procid, *msgid, *sd, *msg;
};

/* Receive time: 2026-11-22 17:53:30 JST */
#define RECV "2026-11-22T08:53:30Z"

static const struct row rows[] = {
	{ "openssh 3164",
	    "<38>Nov 22 17:53:26 bastion01 sshd[4121]: "
	    "Failed password for invalid user admin from 203.0.113.7 port 51514 ssh2",
	    0, SC_EV_RFC3164, 38, "2026-11-22T08:53:26.000000Z", "bastion01",
	    "sshd", "4121", "", "",
	    "Failed password for invalid user admin from 203.0.113.7 port 51514 ssh2" },
	{ "postfix",
	    "<22>Nov  2 09:01:02 mx1.example.lg.jp postfix/smtpd[889]: "
	    "NOQUEUE: reject: RCPT from unknown[198.51.100.9]: 554 5.7.1",
	    0, SC_EV_RFC3164, 22, "2026-11-02T00:01:02.000000Z",
	    "mx1.example.lg.jp", "postfix/smtpd", "889", "", "",
	    "NOQUEUE: reject: RCPT from unknown[198.51.100.9]: 554 5.7.1" },
	{ "no hostname", "<13>Nov 22 17:53:26 kernel: eth0: link up", 0,
	    SC_EV_RFC3164 | SC_EV_NO_HOST, 13, "2026-11-22T08:53:26.000000Z",
	    "", "kernel", "", "", "", "eth0: link up" },
	{ "no pri", "Nov 22 17:53:26 web01 nginx: 10.0.0.1 GET /", 0,
	    SC_EV_RFC3164 | SC_EV_NO_PRI, -1, "2026-11-22T08:53:26.000000Z",
	    "web01", "nginx", "", "", "", "10.0.0.1 GET /" },
	{ "year boundary", "<13>Dec 31 23:59:59 h1 cron[1]: x", 0,
	    SC_EV_RFC3164, 13, NULL, "h1", "cron", "1", "", "", "x" },
	{ "cisco ios seq",
	    "<189>1234: *Nov 22 17:53:26.123 JST: "
	    "%SYS-5-CONFIG_I: Configured from console by admin on vty0",
	    0, SC_EV_RFC3164 | SC_EV_NO_HOST, 189,
	    "2026-11-22T08:53:26.123000Z", "", "%SYS-5-CONFIG_I", "", "", "",
	    "Configured from console by admin on vty0" },
	{ "cisco ios origin-id",
	    "<187>000045: rtr-kobe1: Nov 22 08:53:26 UTC: "
	    "%LINK-3-UPDOWN: Interface Gi0/1, changed state to down",
	    0, SC_EV_RFC3164, 187, "2026-11-22T08:53:26.000000Z", "rtr-kobe1",
	    "%LINK-3-UPDOWN", "", "", "",
	    "Interface Gi0/1, changed state to down" },
	{ "cisco asa",
	    "<164>Nov 22 2026 17:53:26 asa01 : %ASA-4-106023: "
	    "Deny tcp src outside:203.0.113.7/4455 dst inside:10.1.2.3/445 "
	    "by access-group \"OUT\"",
	    0, SC_EV_RFC3164, 164, "2026-11-22T08:53:26.000000Z", "asa01",
	    "%ASA-4-106023", "", "", "",
	    "Deny tcp src outside:203.0.113.7/4455 dst inside:10.1.2.3/445 "
	    "by access-group \"OUT\"" },
	{ "upper-case host", "<13>Nov 22 17:53:26 FW01 sshd: ok", 0,
	    SC_EV_RFC3164, 13, "2026-11-22T08:53:26.000000Z", "FW01", "sshd",
	    "", "", "", "ok" },
	{ "fortigate",
	    "<189>date=2026-11-22 time=17:53:26 devname=\"FGT60E-kobe\" "
	    "devid=\"FGT60E0000000001\" logid=\"0000000013\" type=\"traffic\" "
	    "subtype=\"forward\" level=\"notice\" srcip=10.1.2.3 srcport=51514 "
	    "dstip=203.0.113.5 dstport=443 action=\"deny\"",
	    0, SC_EV_RFC3164, 189, "2026-11-22T08:53:26.000000Z", "FGT60E-kobe",
	    "fortigate", "", "", "", NULL },
	{ "fortigate tz",
	    "<189>date=2026-11-22 time=08:53:26 devname=fw tz=\"+0000\" "
	    "srcip=10.1.2.3",
	    0, SC_EV_RFC3164, 189, "2026-11-22T08:53:26.000000Z", "fw",
	    "fortigate", "", "", "", NULL },
	{ "pan-os",
	    "<14>Nov 22 17:53:26 PA-3220 1,2026/11/22 17:53:26,013201001234,"
	    "TRAFFIC,end,2561,2026/11/22 17:53:26,10.1.2.3,203.0.113.5",
	    0, SC_EV_RFC3164, 14, "2026-11-22T08:53:26.000000Z", "PA-3220", "",
	    "", "", "",
	    "1,2026/11/22 17:53:26,013201001234,"
	    "TRAFFIC,end,2561,2026/11/22 17:53:26,10.1.2.3,203.0.113.5" },
	{ "windows nxlog",
	    "<14>Nov 22 17:53:26 DC01.example.lg.jp "
	    "Microsoft-Windows-Security-Auditing[588]: An account failed to log on.",
	    0, SC_EV_RFC3164, 14, "2026-11-22T08:53:26.000000Z",
	    "DC01.example.lg.jp", "Microsoft-Windows-Security-Auditing", "588",
	    "", "", "An account failed to log on." },
	{ "windows snare",
	    "<14>Nov 22 17:53:26 DC01 MSWinEventLog\t1\tSecurity\t"
	    "4625\tFailure",
	    0, SC_EV_RFC3164, 14, "2026-11-22T08:53:26.000000Z", "DC01",
	    "MSWinEventLog", "", "", "", "1\tSecurity\t4625\tFailure" },
	{ "rsyslog high precision",
	    "<86>2026-11-22T17:53:26.123456+09:00 "
	    "bastion01 sudo: admin : TTY=pts/0 ; COMMAND=/bin/sh",
	    0, SC_EV_RFC3164, 86, "2026-11-22T08:53:26.123456Z", "bastion01",
	    "sudo", "", "", "", "admin : TTY=pts/0 ; COMMAND=/bin/sh" },
	{ "5424 rsyslog forward",
	    "<38>1 2026-11-22T17:53:26.001+09:00 bastion01 "
	    "sshd 4121 - - Accepted publickey for ops from 10.1.2.3 port 50000 ssh2",
	    0, SC_EV_RFC5424, 38, "2026-11-22T08:53:26.001000Z", "bastion01",
	    "sshd", "4121", "", "",
	    "Accepted publickey for ops from 10.1.2.3 port 50000 ssh2" },
	{ "5424 sd and bom",
	    "<165>1 2026-11-22T08:53:26.003Z mymachine.example.com "
	    "evntslog - ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"App\\]\"]"
	    "[examplePriority@32473 class=\"high\"] \xef\xbb\xbf"
	    "An application event",
	    0, SC_EV_RFC5424, 165, "2026-11-22T08:53:26.003000Z",
	    "mymachine.example.com", "evntslog", "", "ID47",
	    "[exampleSDID@32473 iut=\"3\" eventSource=\"App\\]\"]"
	    "[examplePriority@32473 class=\"high\"]",
	    "An application event" },
	{ "5424 all nil", "<14>1 - - - - - -", 0,
	    SC_EV_RFC5424 | SC_EV_NO_TIME | SC_EV_NO_HOST, 14, NULL, "", "", "",
	    "", "", "" },
	{ "5424 sd only", "<14>1 2026-11-22T08:53:26Z h a p m [x@1 k=\"v\"]", 0,
	    SC_EV_RFC5424, 14, "2026-11-22T08:53:26.000000Z", "h", "a", "p",
	    "m", "[x@1 k=\"v\"]", "" },
	{ "5424 broken sd falls back to 3164",
	    "<14>1 2026-11-22T08:53:26Z h a p m [x@1 k=\"v] msg", 0,
	    SC_EV_RFC3164 | SC_EV_NO_TIME, 14, NULL, "", "", "", "", "", NULL },
	{ "garbage", "hello world, not syslog", -1, SC_EV_UNPARSED, -1, NULL,
	    "", "", "", "", "", "hello world, not syslog" },
	{ "pri too big", "<192>Nov 22 17:53:26 h t: x", -1, SC_EV_UNPARSED, -1,
	    NULL, "", "", "", "", "", "<192>Nov 22 17:53:26 h t: x" },
	{ "empty", "", -1, SC_EV_UNPARSED, -1, NULL, "", "", "", "", "", "" },
};

static void
is_view(const char *p, size_t n, const char *want, const char *what,
    const char *name)
{
	char got[512];

	if (want == NULL)
		return;
	snprintf(got, sizeof(got), "%.*s", (int)n, p);
	is_str(got, want, "%s: %s", name, what);
}

int
main(void)
{
	int64_t recv;
	char tsb[64];

	ok(time_parse_arg(RECV, &recv) == 0, "receive time");
	for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		const struct row *w = &rows[r];
		struct sc_event ev;
		int rc;

		memset(&ev, 0, sizeof(ev));
		ev.raw = (const uint8_t *)w->line;
		ev.rawlen = strlen(w->line);
		ev.recv_us = recv;
		rc = parse_syslog(&ev, TIME_JST_OFFSET);
		is_int(rc, w->rc, "%s: rc", w->name);
		ok((ev.flags & w->flags) == w->flags, "%s: flags %#x has %#x",
		    w->name, ev.flags, w->flags);
		is_int(ev.pri, w->pri, "%s: pri", w->name);
		if (w->ts != NULL) {
			time_fmt_rfc3339(ev.ts_us, tsb, sizeof(tsb));
			is_str(tsb, w->ts, "%s: ts", w->name);
		}
		is_view(ev.host, ev.hostlen, w->host, "host", w->name);
		is_view(ev.app, ev.applen, w->app, "app", w->name);
		is_view(ev.procid, ev.procidlen, w->procid, "procid", w->name);
		is_view(ev.msgid, ev.msgidlen, w->msgid, "msgid", w->name);
		is_view(ev.sd, ev.sdlen, w->sd, "sd", w->name);
		is_view(ev.msg, ev.msglen, w->msg, "msg", w->name);
		ok(ev.raw == (const uint8_t *)w->line, "%s: raw kept", w->name);
	}

	/* Year boundary: Dec 31 23:59:59 JST received Jan 1 00:00:01 JST. */
	{
		struct sc_event ev;
		const char *l = "<13>Dec 31 23:59:59 h1 cron[1]: x";

		memset(&ev, 0, sizeof(ev));
		ev.raw = (const uint8_t *)l;
		ev.rawlen = strlen(l);
		time_parse_arg("2026-12-31T15:00:01Z", &ev.recv_us);
		parse_syslog(&ev, TIME_JST_OFFSET);
		time_fmt_rfc3339(ev.ts_us, tsb, sizeof(tsb));
		is_str(tsb, "2026-12-31T14:59:59.000000Z",
		    "year boundary: old year");
		/* and in UTC when so configured */
		parse_syslog(&ev, 0);
		time_fmt_rfc3339(ev.ts_us, tsb, sizeof(tsb));
		is_str(tsb, "2026-12-31T23:59:59.000000Z", "zone UTC");
	}

	/* kv view */
	{
		struct sc_kv_view kv;
		const char *s =
		    "srcip=10.1.2.3 dstip=\"203.0.113.5\" msg=\"a \\\"b\\\" c\" x=";
		const char *v;
		size_t n = 0;

		is_int(kv_parse(s, strlen(s), &kv), 4, "kv: 4 pairs");
		v = kv_get(&kv, "dstip", &n);
		ok(v != NULL && n == 11 && memcmp(v, "203.0.113.5", 11) == 0,
		    "kv: quoted value");
		v = kv_get(&kv, "msg", &n);
		ok(v != NULL && n == 9, "kv: escaped quotes inside");
		v = kv_get(&kv, "x", &n);
		ok(v != NULL && n == 0, "kv: empty value");
		ok(kv_get(&kv, "nope", &n) == NULL, "kv: missing key");
		is_int(kv_parse("just text", 9, &kv), 0, "kv: not kv");
	}
	return done_testing();
}
