/*
 * test_policy_report.c — report contents against fixed fixture data: the
 * monthly report (§E.1) and the audit pack (§E.2) in HTML, CSV and JSON.
 * Checks the facts land where they should (counts, incident timeline with
 * time-to-notify and SLA verdict, JST dates and 和暦, exception register
 * from the example policy), and that log-derived text is escaped in every
 * format (HTML entities, CSV quoting and formula neutralising, JSON).
 */
#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/timeutil.h"
#include "policies/policy.h"
#include "tests/tap.h"

static int64_t
T(const char *s)
{
	int64_t us = 0;

	time_parse_arg(s, &us);
	return us;
}

static const struct report_count uc[] = { { "GL-SEP-02", 1 },
	{ "GL-ACCESS-01", 4 } };

static struct report_incident inc[2];
static const struct report_sep_finding sep[] = { { "GL-SEP-02",
    "αモデル L→NET: D 経路分割", "alert 1001", 1, 0, 0 } };
static const struct report_source srcs[] = { { "chuo-fw-lgwan", "asa", 99.5, 1,
    1200, 0.4, 0, 0, 123456, 3 } };
static struct report_retention ret[] = { { "events", 395 * 86400LL,
					     400 * 86400LL, "" },
	{ "archive", 1826 * 86400LL, 200 * 86400LL,
	    "最古保持 2026-05-15 <削除> 記録" } };

static void
fixture(struct report_monthly *r)
{
	memset(r, 0, sizeof(*r));
	memcpy(r->muni_code, "242501", 7);
	r->muni_name = "架空中央市";
	report_month_range(
	    "2026-11", &r->year, &r->month, &r->from_us, &r->to_us);
	r->soc = "架空県SOC";
	r->generated_us = T("2026-12-01T09:00:00");
	r->by_sev[1] = 1;
	r->by_sev[2] = 4;
	r->by_use_case = uc;
	r->nby_use_case = 2;
	memset(inc, 0, sizeof(inc));
	inc[0].id = 1001;
	inc[0].severity = 1;
	inc[0].use_case = "GL-SEP-02";
	inc[0].summary = "<script>alert(1)</script> L→NET 直接通信";
	inc[0].host = "=cmd|' /C calc'!A0";
	inc[0].channel = "webhook";
	inc[0].status = "closed";
	inc[0].action = "端末の隔離, \"再発防止\"";
	inc[0].detected_us = T("2026-11-05T10:00:00");
	inc[0].notified_us = T("2026-11-05T10:12:00"); /* 12 min: SLA ok */
	inc[0].acked_us = T("2026-11-05T10:40:00");
	inc[0].closed_us = T("2026-11-07T17:00:00");
	inc[1].id = 1002;
	inc[1].severity = 2;
	inc[1].use_case = "GL-ACCESS-01";
	inc[1].summary = "brute force";
	inc[1].detected_us = T("2026-11-10T02:00:00");
	inc[1].notified_us = T("2026-11-10T04:30:00"); /* 2.5 h: over */
	r->incidents = inc;
	r->nincidents = 2;
	r->sep = sep;
	r->nsep = 1;
	r->sources = srcs;
	r->nsources = 1;
	r->retention = ret;
	r->nretention = 2;
	r->archive.known = 1;
	r->archive.ok = 1;
	r->archive.segments = 30;
	r->archive.verified_us = T("2026-12-01T03:00:00");
	r->sla_notify_s[1] = 1800;
	r->sla_notify_s[2] = 3600;
}

static void
monthly_html(void)
{
	struct report_monthly r;
	struct buf b;
	const char *s;

	fixture(&r);
	buf_init(&b, 1 << 20);
	is_int(
	    report_monthly_render(&r, REPORT_HTML, 1, &b), 0, "html renders");
	s = buf_cstr(&b);
	ok(strstr(s, "月次報告書 2026年11月") != NULL, "title");
	ok(strstr(s, "@page { size: A4") != NULL, "A4 print layout");
	ok(strstr(s, "架空中央市 (242501)") != NULL, "名称 (コード)");
	ok(strstr(s, "2026-11-01 00:00 JST (令和8年11月1日)") != NULL,
	    "period start in JST with 和暦");
	ok(strstr(s, "<script>") == NULL &&
		strstr(s, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL,
	    "log text escaped in HTML");
	ok(strstr(s, "12分0秒") != NULL, "time to notify 12 min");
	ok(strstr(s, "<td>達成</td>") != NULL && strstr(s, "<td>超過</td>"),
	    "SLA met for S1, missed for S2");
	ok(strstr(s, "2026-11-05 10:00 JST") != NULL,
	    "detection shown in JST (fixture times are JST)");
	ok(strstr(s, "αモデル L→NET") != NULL, "separation finding cell");
	ok(strstr(s, "正常 (改ざんなし)") != NULL, "archive verification");
	ok(strstr(s, "<td>蓄積中/未達</td>") != NULL &&
		strstr(s, "<td>達成</td>"),
	    "retention verdicts");
	ok(strstr(s, "99.5%") != NULL, "source coverage");
	ok(strstr(s, "最古保持 2026-05-15 &lt;削除&gt; 記録") != NULL,
	    "retention note shown, escaped");
	buf_free(&b);
}

static void
monthly_csv(void)
{
	struct report_monthly r;
	struct buf b;
	const char *s;

	fixture(&r);
	buf_init(&b, 1 << 20);
	is_int(report_monthly_render(&r, REPORT_CSV, 0, &b), 0, "csv renders");
	s = buf_cstr(&b);
	ok(strncmp(s, "\xef\xbb\xbf", 3) == 0, "UTF-8 BOM");
	ok(strstr(s, "by_severity,S1,緊急,1,1800\r\n") != NULL,
	    "severity row with SLA seconds");
	ok(strstr(s, "\"端末の隔離, \"\"再発防止\"\"\"") != NULL,
	    "comma and quotes quoted (RFC 4180)");
	ok(strstr(s, "\"'=cmd|' /C calc'!A0\"") != NULL, "formula neutralised");
	ok(strstr(s, "incidents,1001,S1,GL-SEP-02,") != NULL, "incident row");
	ok(strstr(s, ",720,1680,達成,") != NULL,
	    "time to notify / acknowledge in seconds");
	ok(strstr(s, "(令和") == NULL, "no 和暦 unless asked");
	buf_free(&b);
}

static void
monthly_json(void)
{
	struct report_monthly r;
	struct buf b;
	json_t *j, *i0;

	fixture(&r);
	buf_init(&b, 1 << 20);
	is_int(
	    report_monthly_render(&r, REPORT_JSON, 0, &b), 0, "json renders");
	j = json_loads(buf_cstr(&b), 0, NULL);
	ok(j != NULL, "valid JSON");
	is_str(json_string_value(
		   json_object_get(json_object_get(j, "header"), "code")),
	    "242501", "header code");
	i0 = json_array_get(json_object_get(j, "incidents"), 0);
	is_str(json_string_value(json_object_get(i0, "detected")),
	    "2026-11-05T01:00:00.000000Z", "detected in UTC RFC 3339");
	is_int(json_integer_value(json_object_get(i0, "time_to_notify_s")), 720,
	    "time to notify");
	is_str(json_string_value(json_object_get(i0, "summary")),
	    "<script>alert(1)</script> L→NET 直接通信",
	    "JSON keeps the text (escaped by the encoder)");
	ok(json_is_null(json_object_get(
	       json_array_get(json_object_get(j, "incidents"), 1),
	       "acknowledged")),
	    "not acknowledged: null");
	is_int(
	    json_integer_value(json_object_get(
		json_array_get(json_object_get(j, "by_severity"), 1), "count")),
	    4, "S2 count");
	json_decref(j);
	buf_free(&b);
}

static void
audit(void)
{
	const char *top = getenv("top_srcdir");
	char path[4096];
	struct policy *p;
	struct report_audit a;
	struct report_exception exc[8];
	struct report_retention rr[4];
	static const struct report_change ch[] = { { 0, "admin", "policy",
	    "policy.conf", "ab12", "例外EXC-2026-001追加" } };
	static const struct report_user users[] = {
		{ "admin", "admin", 1, 0, 0 }, { "audit1", "auditor", 0, 0, 0 }
	};
	struct buf b;
	const char *s;
	size_t n, i;
	int found = 0;

	snprintf(path, sizeof(path), "%s/policies/example/policy.conf",
	    top ? top : "..");
	p = policy_load(path);
	ok(p != NULL, "example policy");
	if (p == NULL)
		return;
	memset(&a, 0, sizeof(a));
	a.prefecture = policy_prefecture_name(p);
	a.from_us = T("2026-04-01");
	a.to_us = T("2026-11-30");
	n = report_exceptions_from_policy(p, a.to_us, exc, 8);
	is_int(n, 2, "two exceptions in the register");
	for (i = 0; i < n; i++)
		if (strcmp(exc[i].id, "EXC-2025-007") == 0 && exc[i].expired &&
		    strcmp(exc[i].muni_code, "243914") == 0)
			found++;
		else if (strcmp(exc[i].id, "EXC-2026-001") == 0 &&
		    !exc[i].expired)
			found++;
	is_int(found, 2, "expired / in force as of the period end");
	a.exceptions = exc;
	a.nexceptions = n;
	report_retention_from_policy(p, NULL, rr);
	a.retention = rr;
	a.nretention = 4;
	a.changes = ch;
	a.nchanges = 1;
	a.users = users;
	a.nusers = 2;
	buf_init(&b, 1 << 20);
	is_int(report_audit_render(&a, REPORT_HTML, 0, &b), 0, "audit html");
	s = buf_cstr(&b);
	ok(strstr(s, "例外措置台帳") && strstr(s, "EXC-2025-007") &&
		strstr(s, "期限切れ"),
	    "exception register with the expired one");
	ok(strstr(s, "架空町 総務課長") != NULL, "exception owner");
	ok(strstr(s, "例外EXC-2026-001追加") != NULL, "change history");
	ok(strstr(s, "<td>auditor</td>") != NULL, "users and roles");
	ok(strstr(s, "<td>1826</td>") != NULL, "archive retention target");
	buf_reset(&b);
	is_int(report_audit_render(&a, REPORT_CSV, 0, &b), 0, "audit csv");
	ok(strstr(buf_cstr(&b), "exceptions,EXC-2025-007,架空町,243914,") !=
		NULL,
	    "exception row in CSV");
	buf_free(&b);
	/* a buffer too small fails cleanly */
	buf_init(&b, 100);
	is_int(report_audit_render(&a, REPORT_HTML, 0, &b), -1,
	    "bounded output refuses to overflow");
	buf_free(&b);
	policy_unref(p);
}

static void
helpers(void)
{
	int y, m;
	int64_t f, t;
	enum report_format fmt;

	ok(report_month_range("2026-12", &y, &m, &f, &t) == 0 && y == 2026 &&
		m == 12,
	    "month range");
	is_int(t - f, 31LL * 86400 * TIME_US_PER_SEC, "December has 31 days");
	is_int(f, T("2026-12-01"), "starts at midnight JST");
	ok(report_month_range("2026-13", &y, &m, &f, &t) == -1, "month 13");
	ok(report_month_range("2026-1", &y, &m, &f, &t) == -1, "YYYY-M");
	ok(report_format_parse("CSV", &fmt) == 0 && fmt == REPORT_CSV, "CSV");
	ok(report_format_parse("pdf", &fmt) == -1, "pdf not offered");
}

/* §E.1 items 2 and 10: the executive summary and the annex. */
static void
monthly_executive(void)
{
	static const struct report_contact con[] = { { "SOC 全体", "S1-S2",
	    "webhook", "https://soc.example/<hook>" } };
	struct report_monthly r;
	struct buf b;
	const char *s, *req;

	ok(strstr(report_action_for("GL-SEP-05"), "三層分離") != NULL,
	    "action for a GL-SEP family member");
	ok(strstr(report_action_for("GL-LOG-03"), "NTP") != NULL,
	    "action for an exact id (before its family)");
	ok(strstr(report_action_for("GL-SEPX"), "SOC") != NULL &&
		strstr(report_action_for(NULL), "SOC") != NULL,
	    "unknown or no use case: the generic action");
	ok(strstr(report_severity_definition(1), "電話") != NULL &&
		*report_severity_definition(9) == '\0',
	    "severity definitions");

	fixture(&r);
	r.contacts = con;
	r.ncontacts = 1;
	buf_init(&b, 1 << 20);
	is_int(report_monthly_render(&r, REPORT_CSV, 0, &b), 0, "csv renders");
	s = buf_cstr(&b);
	ok(strstr(s, "top_risks,1,S1,GL-SEP-02,") != NULL &&
		strstr(s,
		    "top_risks,2,S2,GL-ACCESS-01,brute force,対応中,"
		    "対象アカウント") != NULL,
	    "top risks: by severity, with status and the action");
	ok(strstr(s, "top_risks,3,") == NULL, "only as many as there are");
	req = strstr(s, "\nrequests,");
	ok(req != NULL && strstr(req, "requests,1002,S2,GL-ACCESS-01,") &&
		strstr(req, "requests,1001,") == NULL,
	    "requests: the open incident only (1001 is closed)");
	ok(strstr(s, "annex_severity,S1,緊急,侵害または") != NULL,
	    "annex: severity definitions");
	ok(strstr(s, "annex_contacts,SOC 全体,S1-S2,webhook,") != NULL,
	    "annex: contact list");
	buf_reset(&b);
	report_monthly_render(&r, REPORT_HTML, 0, &b);
	ok(strstr(buf_cstr(&b), "https://soc.example/&lt;hook&gt;") != NULL,
	    "contact target escaped in HTML");
	buf_free(&b);
}

int
main(void)
{
	helpers();
	monthly_executive();
	monthly_html();
	monthly_csv();
	monthly_json();
	audit();
	return done_testing();
}
