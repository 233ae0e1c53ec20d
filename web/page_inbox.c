/*
 * page_inbox.c — the alert inbox: groups of alerts by (rule, 団体, src,
 * dst), newest first, with the filter bar and keyset paging (the cursor is
 * the last row's last_seen and id, so page 1000 costs what page 1 does).
 * Keyboard triage (j/k, a, e, c) lives in static/app.js and posts the same
 * forms a mouse user would.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/timeutil.h"
#include "web/web_int.h"

static const char *const filter_keys[] = { "muni", "tier", "sev", "status",
	"sid", "usecase", "from", "to", "q", NULL };

static const char *const statuses[] = { "new", "acknowledged", "escalated",
	"closed", "any", NULL };

static const char *const tiers[] = { "M", "L", "I", "LG", "SC", "DMZ", "NET",
	"unknown", NULL };

static int
in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

static int
parse_int(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
	char *end;
	long long v;

	if (s == NULL)
		return 0;
	v = strtoll(s, &end, 10);
	if (*end || end == s || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int
web_filter_from_query(struct web_req *r, struct store_web_filter *f)
{
	const char *s;
	int64_t v = 0;

	memset(f, 0, sizeof(*f));
	f->scope = r->scope;
	f->limit = WEB_INBOX_PAGE;
	f->muni = web_q(r, "muni");
	f->tier = web_q(r, "tier");
	f->status = web_q(r, "status");
	f->usecase = web_q(r, "usecase");
	f->q = web_q(r, "q");
	if (f->tier != NULL && !in_list(f->tier, tiers))
		return -1;
	if (f->status != NULL && !in_list(f->status, statuses))
		return -1;
	if (f->q != NULL && strlen(f->q) > 200)
		return -1;
	if (parse_int(web_q(r, "sev"), 1, 5, &v) == -1)
		return -1;
	f->severity = (int)v;
	if (parse_int(web_q(r, "sid"), 1, UINT32_MAX, &f->sid) == -1)
		return -1;
	v = 0;
	if (parse_int(web_q(r, "limit"), 1, 500, &v) == -1)
		return -1;
	if (v > 0)
		f->limit = (int)v;
	if ((s = web_q(r, "from")) != NULL && time_parse_arg(s, &f->from_us))
		return -1;
	if ((s = web_q(r, "to")) != NULL) {
		if (time_parse_arg(s, &f->to_us) == -1)
			return -1;
		if (strlen(s) == 10) /* a day: to its end */
			f->to_us += 86400 * TIME_US_PER_SEC - 1;
	}
	if ((s = web_q(r, "after")) != NULL) {
		long long ts, id;
		int used = 0;

		if (sscanf(s, "%lld.%lld%n", &ts, &id, &used) != 2 ||
		    s[used] != '\0' || id <= 0)
			return -1;
		f->after_ts = ts;
		f->after_id = id;
	}
	return 0;
}

/* The filters in use as "&key=value..." for links (cursor excluded). */
static void
filter_qs(struct web_req *r, struct buf *b)
{
	for (int i = 0; filter_keys[i]; i++) {
		const char *v = web_q(r, filter_keys[i]);

		if (v != NULL)
			web_html(b, "&amp;%s=%u", filter_keys[i], v);
	}
}

static void
option(struct buf *b, const char *value, const char *label, const char *cur)
{
	web_html(b, "<option value=\"%s\"%r>%s</option>", value,
	    cur != NULL && strcmp(cur, value) == 0 ? " selected" : "", label);
}

static void
filter_bar(struct web_req *r)
{
	struct buf *b = &r->out;
	json_t *munis = store_web_munis(r->w->st, r->scope), *m;
	const char *cur;
	char label[160];
	size_t i;

	web_html(b,
	    "<form method=\"get\" action=\"/inbox\" class=\"filters\" "
	    "id=\"filters\">");
	if (r->scope == NULL) {
		cur = web_q(r, "muni");
		web_html(b, "<label>%s <select name=\"muni\" id=\"f-muni\">",
		    tr(r, "団体"));
		option(b, "", tr(r, "All"), cur);
		json_array_foreach(munis, i, m)
		{
			snprintf(label, sizeof(label), "%s (%s)",
			    js(m,
				r->en && *js(m, "name_en") ? "name_en" :
							     "name"),
			    js(m, "code"));
			option(b, js(m, "code"), label, cur);
		}
		web_html(b, "</select></label>");
	}
	json_decref(munis);
	cur = web_q(r, "tier");
	web_html(
	    b, "<label>%s <select name=\"tier\" id=\"f-tier\">", tr(r, "Tier"));
	option(b, "", tr(r, "All"), cur);
	for (i = 0; tiers[i]; i++)
		option(b, tiers[i], tiers[i], cur);
	web_html(b, "</select></label>");
	cur = web_q(r, "sev");
	web_html(b, "<label>%s <select name=\"sev\" id=\"f-sev\">",
	    tr(r, "Severity"));
	option(b, "", tr(r, "All"), cur);
	for (int s = 1; s <= 5; s++) {
		char v[4];

		snprintf(v, sizeof(v), "%d", s);
		option(b, v, web_sev_label(r, s), cur);
	}
	web_html(b, "</select></label>");
	cur = web_q(r, "status");
	web_html(b, "<label>%s <select name=\"status\" id=\"f-status\">",
	    tr(r, "Status"));
	option(b, "", tr(r, "Open"), cur);
	for (i = 0; statuses[i]; i++)
		option(b, statuses[i], tr(r, statuses[i]), cur);
	web_html(b,
	    "</select></label>"
	    "<label>%s <input name=\"sid\" id=\"f-sid\" size=\"8\" "
	    "inputmode=\"numeric\" value=\"%s\"></label>"
	    "<label>%s <input name=\"usecase\" id=\"f-usecase\" size=\"12\" "
	    "value=\"%s\"></label>"
	    "<label>%s <input type=\"date\" name=\"from\" id=\"f-from\" "
	    "value=\"%s\"></label>"
	    "<label>%s <input type=\"date\" name=\"to\" id=\"f-to\" "
	    "value=\"%s\"></label>"
	    "<label>%s <input type=\"search\" name=\"q\" id=\"f-q\" "
	    "value=\"%s\"></label>"
	    "<button type=\"submit\" id=\"f-apply\">%s</button> "
	    "<a href=\"/inbox\">%s</a></form>",
	    tr(r, "Rule (sid)"), web_q(r, "sid"), tr(r, "Use case"),
	    web_q(r, "usecase"), tr(r, "From"), web_q(r, "from"), tr(r, "To"),
	    web_q(r, "to"), tr(r, "Search"), web_q(r, "q"), tr(r, "Filter"),
	    tr(r, "Clear"));
}

static void
group_row(struct web_req *r, const json_t *g)
{
	int sev = (int)ji(g, "severity");

	web_html(&r->out,
	    "<tr data-id=\"%D\" data-status=\"%s\" "
	    "tabindex=\"-1\"><td><span class=\"sev %s\">%s</span></td>"
	    "<td><span class=\"st st-%s\">%s</span></td>"
	    "<td><a href=\"/alerts/%D\" class=\"msg\">%s</a>"
	    "<div class=\"sub\">%D:%D %s</div></td>"
	    "<td>%s<div class=\"sub\">%s</div></td>"
	    "<td class=\"addr\">%s<div class=\"sub\">→ %s</div></td>"
	    "<td class=\"num\">%D</td><td class=\"time\">%t</td>"
	    "<td class=\"time\">%t</td></tr>",
	    ji(g, "id"), js(g, "status"), web_sev_class(sev),
	    web_sev_label(r, sev), js(g, "status"), tr(r, js(g, "status")),
	    ji(g, "id"), js(g, "msg"), ji(g, "gid"), ji(g, "sid"),
	    js(g, "usecase"), js(g, "muni_name"), js(g, "muni"), js(g, "src"),
	    js(g, "dst"), ji(g, "count"), ji(g, "first_seen"),
	    ji(g, "last_seen"));
}

static void
close_panel(struct web_req *r)
{
	/* One hidden form that app.js points at the selected row for "c". */
	web_html(&r->out,
	    "<form method=\"post\" id=\"kbd-close\" hidden "
	    "class=\"panel\" action=\"/inbox\"><input type=\"hidden\" "
	    "name=\"csrf\" value=\"%s\"><input type=\"hidden\" "
	    "name=\"action\" value=\"close\"><label>%s <select "
	    "name=\"reason\" id=\"kbd-reason\">"
	    "<option value=\"true_positive\">%s</option>"
	    "<option value=\"false_positive\">%s</option>"
	    "<option value=\"benign\">%s</option>"
	    "<option value=\"duplicate\">%s</option></select></label> "
	    "<button type=\"submit\">%s</button> <button type=\"button\" "
	    "id=\"kbd-cancel\">%s</button></form>",
	    r->csrf, tr(r, "Close reason"), tr(r, "true_positive"),
	    tr(r, "false_positive"), tr(r, "benign"), tr(r, "duplicate"),
	    tr(r, "Close"), tr(r, "Cancel"));
}

void
page_inbox(struct web_req *r)
{
	struct store_web_filter f;
	json_t *rows, *g, *last = NULL;
	size_t i;

	if (web_filter_from_query(r, &f) == -1) {
		web_error(r, 400, tr(r, "Bad filter value"));
		return;
	}
	if ((rows = store_web_groups(r->w->st, &f)) == NULL) {
		web_error(r, 500, "store error");
		return;
	}
	web_page_begin(r, tr(r, "Inbox"), "inbox");
	filter_bar(r);
	web_html(&r->out, "<p class=\"keys\">%s</p>",
	    tr(r,
		"Keys: j/k move, Enter open, a acknowledge, e escalate, "
		"c close"));
	close_panel(r);
	web_html(&r->out,
	    "<table class=\"inbox\" id=\"inbox\"><thead><tr>"
	    "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
	    "<th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
	    tr(r, "Severity"), tr(r, "Status"), tr(r, "Rule"), tr(r, "団体"),
	    tr(r, "Source → destination"), tr(r, "Count"), tr(r, "First seen"),
	    tr(r, "Last seen"));
	json_array_foreach(rows, i, g)
	{
		group_row(r, g);
		last = g;
	}
	web_html(&r->out, "</tbody></table>");
	if (json_array_size(rows) == 0)
		web_html(&r->out, "<p class=\"empty\">%s</p>",
		    tr(r, "No alerts match."));
	web_html(&r->out, "<p class=\"pager\">");
	if (f.after_id > 0) {
		web_html(&r->out, "<a id=\"first-page\" href=\"/inbox?p=1");
		filter_qs(r, &r->out);
		web_html(&r->out, "\">%s</a> ", tr(r, "First page"));
	}
	if (last != NULL && json_array_size(rows) == (size_t)f.limit) {
		web_html(&r->out,
		    "<a id=\"next-page\" href=\"/inbox?after=%D."
		    "%D",
		    ji(last, "last_seen"), ji(last, "id"));
		filter_qs(r, &r->out);
		web_html(&r->out, "\">%s</a>", tr(r, "Next page"));
	}
	web_html(&r->out, "</p>");
	json_decref(rows);
	web_page_end(r);
	web_send(r, 200, "text/html; charset=utf-8");
}
