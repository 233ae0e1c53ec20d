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

	if (wr->b.kind == REPORT_BUILD_MONTHLY) {
		snprintf(out, len, "seccloud-monthly-%s-%04d-%02d.%s",
		    wr->b.m.muni_code, wr->b.m.year, wr->b.m.month, ext);
		return;
	}
	time_fmt_day(wr->b.a.from_us, TIME_JST_OFFSET, a, sizeof(a));
	time_fmt_day(wr->b.a.to_us, TIME_JST_OFFSET, b, sizeof(b));
	snprintf(out, len, "seccloud-audit-%s_%s.%s", a, b, ext);
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

/*
 * A report is made on the report worker (pwworker.c) with its own
 * read-only store connection: at 10M alerts a monthly report reads for
 * seconds, which must not stall the event loop.  The request waits
 * detached (web_req async); rjob_done answers it on the loop.
 */
struct rjob {
	struct web_pwjob job; /* first */
	struct web_req *r;
	enum report_build_kind kind;
	const char *scope, *code, *month, *from, *to; /* r's, or cur */
	char cur[8];
	struct policy *p; /* handed to the report by the worker */
	enum report_format fmt;
	int page; /* show in the page, else a download */
	int inline_json; /* API: JSON as the reply body */
	int rc;
	struct buf out;
	char title[192], name[96], target[128];
};

static void
rjob_work(struct web_pwjob *j)
{
	struct rjob *x = (struct rjob *)j;
	struct web *w = x->r->w;
	struct web_report wr;
	char path[1024], err[256], ext[8];

	if (w->rst == NULL) {
		snprintf(path, sizeof(path), "%s/seccloud.db", w->datadir);
		if ((w->rst = store_open(
			 path, STORE_RDONLY, err, sizeof(err))) == NULL)
			log_warnx("web: reports: store: %s", err);
	}
	if (w->rst == NULL) {
		policy_unref(x->p);
		x->p = NULL;
		x->rc = WEB_REPORT_ERROR;
		return;
	}
	x->rc = x->kind == REPORT_BUILD_MONTHLY ?
	    web_report_monthly(w->rst, x->p, x->scope, x->code, x->month, &wr) :
	    web_report_audit(w->rst, x->p, x->from, x->to, &wr);
	x->p = NULL; /* the report's now */
	if (x->rc == 0 &&
	    web_report_render(&wr, x->page ? REPORT_HTML : x->fmt, &x->out) !=
		0)
		x->rc = WEB_REPORT_ERROR;
	if (x->rc == 0) {
		for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]);
		     i++)
			if (formats[i].fmt == x->fmt)
				snprintf(
				    ext, sizeof(ext), "%s", formats[i].ext);
		report_filename(&wr, ext, x->name, sizeof(x->name));
		if (wr.b.kind == REPORT_BUILD_MONTHLY) {
			snprintf(x->title, sizeof(x->title), "%04d-%02d %s",
			    wr.b.m.year, wr.b.m.month, wr.b.m.muni_name);
			snprintf(x->target, sizeof(x->target),
			    "monthly %s %04d-%02d", wr.b.m.muni_code,
			    wr.b.m.year, wr.b.m.month);
		} else {
			snprintf(
			    x->target, sizeof(x->target), "audit %s", x->name);
		}
	}
	web_report_free(&wr);
}

static void
rjob_free(struct rjob *x)
{
	struct web_req *r = x->r;

	policy_unref(x->p);
	buf_free(&x->out);
	free(x);
	web_req_free(r);
}

static void
rjob_drop(struct web_pwjob *j)
{
	rjob_free((struct rjob *)j);
}

static void
rjob_page(struct rjob *x)
{
	struct web_req *r = x->r;
	struct buf base, title;

	buf_init(&base, 512);
	buf_init(&title, 256);
	if (x->kind == REPORT_BUILD_MONTHLY) {
		web_html(&base, "/reports/monthly?muni=%u&amp;month=%u",
		    x->code, x->month);
		buf_printf(&title, "%s %s", tr(r, "Monthly report"), x->title);
	} else {
		web_html(
		    &base, "/reports/audit?from=%u&amp;to=%u", x->from, x->to);
		buf_puts(&title, tr(r, "Audit evidence pack"));
	}
	web_page_begin(r, buf_cstr(&title), "reports");
	report_links(r, buf_cstr(&base));
	buf_puts(&r->out, "<div class=\"report-doc\" id=\"report-doc\">");
	embed_body(r, &x->out);
	buf_puts(&r->out, "</div>");
	web_page_end(r);
	web_send(r, 200, "text/html; charset=utf-8");
	buf_free(&base);
	buf_free(&title);
}

static void
rjob_done(struct web_pwjob *j)
{
	struct rjob *x = (struct rjob *)j;
	struct web_req *r = x->r;
	size_t i;

	web_conn_request_done(r->w, evhttp_request_get_connection(r->req));
	if (x->rc != 0) {
		web_error(r, report_status(x->rc), report_errmsg(r, x->rc));
	} else if (x->page) {
		rjob_page(x);
	} else {
		for (i = 0; formats[i].fmt != x->fmt; i++)
			;
		web_audit(r, "report", x->target, formats[i].ext, "ok");
		web_send_file(r, formats[i].type,
		    x->inline_json && x->fmt == REPORT_JSON ? NULL : x->name,
		    x->out.data != NULL ? (const void *)x->out.data : "",
		    x->out.len);
	}
	rjob_free(x);
}

/* Queue a report for r; api: JSON by default and inline. */
static void
report_start(struct web_req *r, enum report_build_kind kind, int api)
{
	const char *fmt = web_q(r, "format");
	struct rjob *x;

	if ((x = calloc(1, sizeof(*x))) == NULL) {
		web_error(r, 503, "busy");
		return;
	}
	x->fmt = api ? REPORT_JSON : REPORT_HTML;
	if (fmt != NULL && report_format_parse(fmt, &x->fmt) != 0) {
		free(x);
		web_error(r, 400, tr(r, "Format: html, csv or json."));
		return;
	}
	x->r = r;
	x->kind = kind;
	x->page = !api && fmt == NULL;
	x->inline_json = api;
	x->scope = r->scope;
	x->code = muni_param(r);
	x->month = month_param(r, x->cur);
	x->from = web_q(r, "from");
	x->to = web_q(r, "to");
	x->p = policy_slot_get(r->w->policy);
	buf_init(&x->out, WEB_REPORT_MAX);
	x->job.work = rjob_work;
	x->job.done = rjob_done;
	x->job.drop = rjob_drop;
	r->async = 1;
	if (web_worker_submit(r->w->rpt, &x->job) == -1) {
		r->async = 0;
		policy_unref(x->p);
		buf_free(&x->out);
		free(x);
		evhttp_add_header(evhttp_request_get_output_headers(r->req),
		    "Retry-After", "10");
		web_error(
		    r, 503, tr(r, "Too many reports at once; try again."));
	}
}

void
page_report_monthly(struct web_req *r)
{
	report_start(r, REPORT_BUILD_MONTHLY, 0);
}

void
page_report_audit(struct web_req *r)
{
	report_start(r, REPORT_BUILD_AUDIT, 0);
}

void
api_report_monthly(struct web_req *r)
{
	report_start(r, REPORT_BUILD_MONTHLY, 1);
}

void
api_report_audit(struct web_req *r)
{
	report_start(r, REPORT_BUILD_AUDIT, 1);
}
