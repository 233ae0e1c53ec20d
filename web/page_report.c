/*
 * page_report.c — the Reports screen and its API routes.
 *
 *   GET /reports                      the 団体 and months the user may open
 *   GET /reports/monthly?muni=&month= the monthly report, shown in the page
 *       (muni: a municipal user's own by default; month: the current one)
 *       ...&format=html|csv|json      the same report as a download
 *   GET /reports/audit?from=&to=      the audit pack (admin, auditor)
 *   GET /api/v1/reports[/monthly|/audit]  the same, JSON by default
 *
 * The report itself comes from report.c (policy + store) and the
 * renderers of policies/; the page embeds the body of the renderer's HTML
 * (every string in it already escaped by the renderer) inside our layout.
 * A municipal user's lookup only finds their own 団体 (web_report_muni):
 * another 団体's code is 404, exactly like an unknown one.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/timeutil.h"
#include "web/web_int.h"

static const struct {
	enum report_format fmt;
	const char *ext;
	const char *type;
} formats[] = {
	{ REPORT_HTML, "html", "text/html; charset=utf-8" },
	{ REPORT_CSV, "csv", "text/csv; charset=utf-8" },
	{ REPORT_JSON, "json", "application/json" },
};

static int
report_status(int rc)
{
	switch (rc) {
	case WEB_REPORT_BAD:
		return 400;
	case WEB_REPORT_NOTFOUND:
		return 404;
	case WEB_REPORT_NOPOLICY:
		return 503;
	default:
		return 500;
	}
}

static const char *
report_errmsg(struct web_req *r, int rc)
{
	switch (rc) {
	case WEB_REPORT_BAD:
		return tr(r, "Give a month YYYY-MM, or dates from <= to.");
	case WEB_REPORT_NOTFOUND:
		return tr(r, "Not found");
	case WEB_REPORT_NOPOLICY:
		return tr(r, "No policy is loaded; reports need one.");
	default:
		return "store error";
	}
}

/* The file name of a download: ASCII only, from validated numbers. */
static void
report_filename(
    const struct web_report *wr, const char *ext, char *out, size_t len)
{
	char a[16], b[16];

	if (wr->kind == WEB_REPORT_MONTHLY) {
		snprintf(out, len, "seccloud-monthly-%s-%04d-%02d.%s",
		    wr->m.muni_code, wr->m.year, wr->m.month, ext);
		return;
	}
	time_fmt_day(wr->a.from_us, TIME_JST_OFFSET, a, sizeof(a));
	time_fmt_day(wr->a.to_us, TIME_JST_OFFSET, b, sizeof(b));
	snprintf(out, len, "seccloud-audit-%s_%s.%s", a, b, ext);
}

/*
 * Send wr in the format named by fmtname (or dflt when NULL) as a
 * download, or inline when inline_json and the format is JSON.
 */
static void
report_send(struct web_req *r, const struct web_report *wr, const char *fmtname,
    enum report_format dflt, int inline_json)
{
	enum report_format fmt = dflt;
	char name[96], target[128];
	struct buf b;
	size_t i;

	if (fmtname != NULL && report_format_parse(fmtname, &fmt) != 0) {
		web_error(r, 400, tr(r, "Format: html, csv or json."));
		return;
	}
	for (i = 0; formats[i].fmt != fmt; i++)
		;
	buf_init(&b, WEB_REPORT_MAX);
	if (web_report_render(wr, fmt, &b) != 0) {
		buf_free(&b);
		web_error(r, 500, "report too large or not rendered");
		return;
	}
	report_filename(wr, formats[i].ext, name, sizeof(name));
	if (wr->kind == WEB_REPORT_MONTHLY)
		snprintf(target, sizeof(target), "monthly %s %04d-%02d",
		    wr->m.muni_code, wr->m.year, wr->m.month);
	else
		snprintf(target, sizeof(target), "audit %s", name);
	web_audit(r, "report", target, formats[i].ext, "ok");
	web_send_file(r, formats[i].type,
	    inline_json && fmt == REPORT_JSON ? NULL : name,
	    b.data != NULL ? (const void *)b.data : "", b.len);
	buf_free(&b);
}

/* Copy the body of the renderer's HTML page into the response.  The
 * renderer's one inline style attribute is left out: the CSP forbids
 * it, and app.css styles .report-doc instead. */
static void
embed_body(struct web_req *r, const struct buf *html)
{
	static const char drop[] = " style=\"width:30%\"";
	const char *s = (const char *)html->data, *end, *p;

	if (s == NULL)
		return;
	end = s + html->len;
	if ((p = memmem(s, html->len, "<body>", 6)) == NULL)
		return;
	s = p + 6;
	if ((p = memmem(s, (size_t)(end - s), "</body>", 7)) != NULL)
		end = p;
	while (s < end) {
		p = memmem(s, (size_t)(end - s), drop, sizeof(drop) - 1);
		if (p == NULL)
			p = end;
		buf_append(&r->out, s, (size_t)(p - s));
		s = p < end ? p + sizeof(drop) - 1 : end;
	}
}

static void
report_links(struct web_req *r, const char *base)
{
	web_html(&r->out, "<p class=\"downloads\">%s:", tr(r, "Download"));
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		web_html(&r->out,
		    " <a id=\"dl-%s\" href=\"%r&amp;format=%s\" "
		    "download>%s</a>",
		    formats[i].ext, base, formats[i].ext, formats[i].ext);
	web_html(&r->out, " · <a href=\"/reports\">%s</a></p>",
	    tr(r, "All reports"));
}

static void
report_page(struct web_req *r, const struct web_report *wr, const char *title,
    const char *base)
{
	struct buf html;

	buf_init(&html, WEB_REPORT_MAX);
	if (web_report_render(wr, REPORT_HTML, &html) != 0) {
		buf_free(&html);
		web_error(r, 500, "report too large or not rendered");
		return;
	}
	web_page_begin(r, title, "reports");
	report_links(r, base);
	buf_puts(&r->out, "<div class=\"report-doc\" id=\"report-doc\">");
	embed_body(r, &html);
	buf_puts(&r->out, "</div>");
	buf_free(&html);
	web_page_end(r);
	web_send(r, 200, "text/html; charset=utf-8");
}

static const char *
muni_param(struct web_req *r)
{
	const char *m = web_q(r, "muni");

	return m != NULL ? m : r->scope;
}

/* The month asked for, or the current JST month (in buf). */
static const char *
month_param(struct web_req *r, char buf[8])
{
	const char *m = web_q(r, "month");

	if (m != NULL)
		return m;
	web_report_month(r->now, 0, buf);
	return buf;
}

/* The error for rc, or the download asked for: 1 (and wr freed) if
 * answered, 0 when the page is to be shown. */
static int
report_answered(struct web_req *r, int rc, struct web_report *wr)
{
	if (rc != 0)
		web_error(r, report_status(rc), report_errmsg(r, rc));
	else if (web_q(r, "format") != NULL)
		report_send(r, wr, web_q(r, "format"), REPORT_HTML, 0);
	else
		return 0;
	web_report_free(wr);
	return 1;
}

void
page_report_monthly(struct web_req *r)
{
	char title[160], cur[8];
	const char *muni = muni_param(r), *month = month_param(r, cur);
	struct web_report wr;
	struct buf base;
	int rc;

	rc = web_report_monthly(r->w, r->scope, muni, month, &wr);
	if (report_answered(r, rc, &wr))
		return;
	buf_init(&base, 256);
	web_html(&base, "/reports/monthly?muni=%u&amp;month=%u", wr.m.muni_code,
	    month);
	snprintf(title, sizeof(title), "%s %04d-%02d %s",
	    tr(r, "Monthly report"), wr.m.year, wr.m.month, wr.m.muni_name);
	report_page(r, &wr, title, buf_cstr(&base));
	buf_free(&base);
	web_report_free(&wr);
}

void
page_report_audit(struct web_req *r)
{
	const char *from = web_q(r, "from"), *to = web_q(r, "to");
	struct web_report wr;
	struct buf base;
	int rc;

	rc = web_report_audit(r->w, from, to, &wr);
	if (report_answered(r, rc, &wr))
		return;
	buf_init(&base, 256);
	web_html(&base, "/reports/audit?from=%u&amp;to=%u", from, to);
	report_page(r, &wr, tr(r, "Audit evidence pack"), buf_cstr(&base));
	buf_free(&base);
	web_report_free(&wr);
}

static void
list_form(struct web_req *r, struct policy *p)
{
	char month[8];
	size_t i;

	web_html(&r->out,
	    "<form method=\"get\" action=\"/reports/monthly\" "
	    "class=\"filters\" id=\"report-form\"><label>%s "
	    "<select name=\"muni\" id=\"report-muni\">",
	    tr(r, "団体"));
	for (i = 0; i < policy_muni_count(p); i++) {
		const struct policy_muni *m = policy_muni_at(p, i);

		if (web_report_muni(p, r->scope, m->code) != NULL)
			web_html(&r->out, "<option value=\"%s\">%s %s</option>",
			    m->code, m->code, m->name);
	}
	web_html(&r->out,
	    "</select></label><label>%s <select name=\"month\" "
	    "id=\"report-month\">",
	    tr(r, "Month"));
	for (i = 0; i < WEB_REPORT_MONTHS; i++) {
		web_report_month(r->now, (int)i, month);
		web_html(&r->out, "<option>%s</option>", month);
	}
	web_html(&r->out,
	    "</select></label><button type=\"submit\" id=\"report-open\">%s"
	    "</button></form>",
	    tr(r, "Show"));
}

static void
list_table(struct web_req *r, struct policy *p)
{
	char month[8];

	web_html(&r->out,
	    "<table id=\"report-list\"><thead><tr><th>%s</th><th>%s</th>"
	    "<th>%s</th></tr></thead><tbody>",
	    tr(r, "団体コード"), tr(r, "団体"), tr(r, "Monthly report"));
	for (size_t i = 0; i < policy_muni_count(p); i++) {
		const struct policy_muni *m = policy_muni_at(p, i);

		if (web_report_muni(p, r->scope, m->code) == NULL)
			continue;
		web_html(&r->out,
		    "<tr data-muni=\"%s\"><td>%s</td><td>%s</td>"
		    "<td>",
		    m->code, m->code, m->name);
		for (int k = 0; k < 3; k++) {
			web_report_month(r->now, k, month);
			web_html(&r->out,
			    "<a href=\"/reports/monthly?muni=%u&amp;month=%u\">"
			    "%s</a>%r",
			    m->code, month, month, k < 2 ? " · " : "");
		}
		web_html(&r->out, "</td></tr>");
	}
	web_html(&r->out, "</tbody></table>");
}

static void
list_audit(struct web_req *r)
{
	char from[16], to[16];

	/* default: the previous JST month */
	web_report_month(r->now, 1, from);
	web_report_month(r->now, 0, to);
	web_html(&r->out,
	    "<h2>%s</h2><form method=\"get\" action=\"/reports/audit\" "
	    "class=\"filters\" id=\"audit-form\"><label>%s <input "
	    "type=\"date\" name=\"from\" id=\"audit-from\" value=\"%s-01\">"
	    "</label><label>%s <input type=\"date\" name=\"to\" "
	    "id=\"audit-to\" value=\"%s-01\"></label><button type=\"submit\" "
	    "id=\"audit-open\">%s</button></form>",
	    tr(r, "Audit evidence pack"), tr(r, "From"), from, tr(r, "To"), to,
	    tr(r, "Show"));
}

void
page_reports(struct web_req *r)
{
	struct policy *p = policy_slot_get(r->w->policy);

	web_page_begin(r, tr(r, "Reports"), "reports");
	if (p == NULL) {
		web_html(&r->out,
		    "<p class=\"notice\" id=\"reports-unavailable\">%s</p>",
		    tr(r, "No policy is loaded; reports need one."));
	} else {
		web_html(&r->out, "<h2>%s</h2>",
		    tr(r, "Monthly report (月次報告書) per 団体"));
		list_form(r, p);
		list_table(r, p);
		if (r->role & (ROLE_ADMIN | ROLE_AUDITOR))
			list_audit(r);
	}
	policy_unref(p);
	web_page_end(r);
	web_send(r, 200, "text/html; charset=utf-8");
}

void
api_reports(struct web_req *r)
{
	struct policy *p = policy_slot_get(r->w->policy);
	json_t *munis = json_array(), *months = json_array();
	char month[8];

	for (size_t i = 0; p != NULL && i < policy_muni_count(p); i++) {
		const struct policy_muni *m = policy_muni_at(p, i);

		if (web_report_muni(p, r->scope, m->code) != NULL)
			json_array_append_new(munis,
			    json_pack(
				"{s:s,s:s}", "code", m->code, "name", m->name));
	}
	for (int i = 0; i < WEB_REPORT_MONTHS; i++) {
		web_report_month(r->now, i, month);
		json_array_append_new(months, json_string(month));
	}
	web_send_json(r, 200,
	    json_pack("{s:b,s:o,s:o,s:b}", "available", p != NULL,
		"municipalities", munis, "months", months, "audit",
		(r->role & (ROLE_ADMIN | ROLE_AUDITOR)) != 0));
	policy_unref(p);
}

void
api_report_monthly(struct web_req *r)
{
	struct web_report wr;
	char cur[8];
	int rc = web_report_monthly(
	    r->w, r->scope, muni_param(r), month_param(r, cur), &wr);

	if (rc != 0)
		web_error(r, report_status(rc), report_errmsg(r, rc));
	else
		report_send(r, &wr, web_q(r, "format"), REPORT_JSON, 1);
	web_report_free(&wr);
}

void
api_report_audit(struct web_req *r)
{
	struct web_report wr;
	int rc = web_report_audit(r->w, web_q(r, "from"), web_q(r, "to"), &wr);

	if (rc != 0)
		web_error(r, report_status(rc), report_errmsg(r, rc));
	else
		report_send(r, &wr, web_q(r, "format"), REPORT_JSON, 1);
	web_report_free(&wr);
}
