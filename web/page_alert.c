/*
 * page_alert.c — one alert group: the rule and its guideline clause, the
 * raw evidence (escaped text, or an escaped hex + ASCII dump for packets),
 * related alerts from the same source, "seen before" (how earlier alerts of
 * the same rule and 団体 were closed), comments, triage with its history,
 * and the notification log.  Also the triage and comment POSTs, shared
 * with the API through web_triage_do().
 *
 * The group is read with the user's scope bound into the query: another
 * 団体's id is "not found" (404), exactly like an id that does not exist.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/store_notify.h"
#include "web/web_int.h"

#define EVIDENCE_ROWS 20
#define RELATED_ROWS 20
#define SEEN_ROWS 10
#define NOTE_MAX 2000
#define COMMENT_MAX 4000

/*
 * THE ONE PLACE THAT FETCHES EVIDENCE BYTES.  Today it decodes the excerpt
 * the collector stored with the alert (alerts.evidence).  When the
 * archive's read function lands (collector helper), switch here: if the
 * row has archive_segment/archive_record, read that record from the
 * archive instead and fall back to the stored excerpt.
 */
int
web_evidence_read(struct web *w, const json_t *alert, struct buf *out)
{
	const char *hex = js(alert, "evidence_hex");
	size_t n = strlen(hex);

	(void)w;
	if (n % 2 != 0)
		return -1;
	for (size_t i = 0; i < n; i += 2) {
		char pair[3] = { hex[i], hex[i + 1], '\0' };

		if (buf_putc(out, (int)strtol(pair, NULL, 16)) == -1)
			return -1;
	}
	return 0;
}

static int
may_triage(struct web_req *r, const char *action)
{
	if (r->role & ROLE_STAFF)
		return 1;
	/* 団体 staff acknowledge and comment; the SOC escalates and closes. */
	return r->role == ROLE_MUNICIPAL && strcmp(action, "acknowledge") == 0;
}

int
web_triage_do(struct web_req *r, int64_t id, const char *action,
    const char *reason, const char *note)
{
	char target[32];
	int rc;

	snprintf(target, sizeof(target), "group %lld", (long long)id);
	if (action == NULL || !may_triage(r, action)) {
		web_audit(r, "triage", target, action, "forbidden");
		return 403;
	}
	if (note != NULL && strlen(note) > NOTE_MAX)
		return 400;
	rc = store_web_triage(
	    r->w->st, r->scope, id, action, reason, note, r->user.name, r->now);
	web_audit(r, "triage", target, action,
	    rc == 1	 ? "ok" :
		rc == 0	 ? "not found" :
		rc == -2 ? "refused" :
			   "error");
	return rc == 1 ? 200 : rc == 0 ? 404 : rc == -2 ? 409 : 500;
}

void
page_alert_triage(struct web_req *r)
{
	char loc[64];
	int code = web_triage_do(
	    r, r->id, web_f(r, "action"), web_f(r, "reason"), web_f(r, "note"));

	if (code != 200) {
		web_error(r, code,
		    code == 404	    ? tr(r, "Not found") :
			code == 409 ? tr(r,
					  "Not possible from the current "
					  "status, or no close reason given") :
			code == 403 ? tr(r, "Not allowed for your role") :
				      tr(r, "Error"));
		return;
	}
	snprintf(loc, sizeof(loc), "%s",
	    web_f(r, "back") != NULL && strcmp(web_f(r, "back"), "inbox") == 0 ?
		"/inbox" :
		"");
	if (loc[0] == '\0')
		snprintf(loc, sizeof(loc), "/alerts/%lld", (long long)r->id);
	web_redirect(r, loc);
}

void
page_alert_comment(struct web_req *r)
{
	const char *body = web_f(r, "body");
	char loc[64], target[32];
	int rc;

	if (body == NULL || strlen(body) > COMMENT_MAX) {
		web_error(r, 400, tr(r, "Comment empty or too long"));
		return;
	}
	rc = store_web_comment_add(
	    r->w->st, r->scope, r->id, r->user.name, body, r->now);
	snprintf(target, sizeof(target), "group %lld", (long long)r->id);
	web_audit(r, "comment", target, NULL, rc == 1 ? "ok" : "not found");
	if (rc != 1) {
		web_error(r, rc == 0 ? 404 : 500, tr(r, "Not found"));
		return;
	}
	snprintf(loc, sizeof(loc), "/alerts/%lld#comments", (long long)r->id);
	web_redirect(r, loc);
}

int
web_notify_ack_do(struct web_req *r, int64_t id, int64_t *group_id)
{
	char target[40];
	int64_t acked = 0;
	int rc;

	snprintf(target, sizeof(target), "notification %lld", (long long)id);
	/* only the 団体's own staff acknowledge; the SOC sees the state */
	if (r->role != ROLE_MUNICIPAL || r->scope == NULL) {
		web_audit(r, "notify_ack", target, NULL, "forbidden");
		return 403;
	}
	rc = store_web_notification_state(
	    r->w->st, r->scope, id, group_id, &acked);
	if (rc == 1 && acked == 0)
		rc = store_notify_ack(
			 r->w->st, id, r->scope, r->now, r->user.name) == 0 ?
		    2 :
		    -1;
	web_audit(r, "notify_ack", target, NULL,
	    rc == 2	? "ok" :
		rc == 1 ? "refused" :
		rc == 0 ? "not found" :
			  "error");
	return rc == 2 ? 200 : rc == 1 ? 409 : rc == 0 ? 404 : 500;
}

void
page_notify_ack(struct web_req *r)
{
	char loc[64];
	int64_t group = 0;
	int code = web_notify_ack_do(r, r->id, &group);

	if (code != 200) {
		web_error(r, code,
		    code == 404	    ? tr(r, "Not found") :
			code == 409 ? tr(r, "Already acknowledged") :
			code == 403 ? tr(r, "Not allowed for your role") :
				      tr(r, "Error"));
		return;
	}
	snprintf(
	    loc, sizeof(loc), "/alerts/%lld#notifications", (long long)group);
	web_redirect(r, loc);
}

static void
triage_forms(struct web_req *r, const json_t *g)
{
	struct buf *b = &r->out;
	const char *st = js(g, "status");
	int64_t id = ji(g, "id");

	if (r->role == ROLE_AUDITOR)
		return;
	web_html(b, "<div class=\"actions\" id=\"triage\">");
	if ((!strcmp(st, "new") || !strcmp(st, "escalated")) &&
	    may_triage(r, "acknowledge"))
		web_html(b,
		    "<form method=\"post\" action=\"/alerts/%D/triage\""
		    " class=\"inline\"><input type=\"hidden\" name=\"csrf\" "
		    "value=\"%s\"><input type=\"hidden\" name=\"action\" "
		    "value=\"acknowledge\"><button type=\"submit\" id=\"ack\">"
		    "%s</button></form>",
		    id, r->csrf, tr(r, "Acknowledge"));
	if ((!strcmp(st, "new") || !strcmp(st, "acknowledged")) &&
	    may_triage(r, "escalate"))
		web_html(b,
		    "<form method=\"post\" action=\"/alerts/%D/triage\""
		    " class=\"inline\"><input type=\"hidden\" name=\"csrf\" "
		    "value=\"%s\"><input type=\"hidden\" name=\"action\" "
		    "value=\"escalate\"><button type=\"submit\" id=\"escalate\">"
		    "%s</button></form>",
		    id, r->csrf, tr(r, "Escalate"));
	if (strcmp(st, "closed") != 0 && may_triage(r, "close"))
		web_html(b,
		    "<form method=\"post\" action=\"/alerts/%D/triage\""
		    " class=\"inline\"><input type=\"hidden\" name=\"csrf\" "
		    "value=\"%s\"><input type=\"hidden\" name=\"action\" "
		    "value=\"close\"><select name=\"reason\" id=\"reason\" "
		    "required><option value=\"\">%s</option>"
		    "<option value=\"true_positive\">%s</option>"
		    "<option value=\"false_positive\">%s</option>"
		    "<option value=\"benign\">%s</option>"
		    "<option value=\"duplicate\">%s</option></select> "
		    "<input name=\"note\" id=\"note\" maxlength=\"2000\" "
		    "placeholder=\"%s\"><button type=\"submit\" id=\"close\">"
		    "%s</button></form>",
		    id, r->csrf, tr(r, "Close reason"), tr(r, "true_positive"),
		    tr(r, "false_positive"), tr(r, "benign"),
		    tr(r, "duplicate"), tr(r, "Note"), tr(r, "Close"));
	if (strcmp(st, "closed") == 0 && may_triage(r, "reopen"))
		web_html(b,
		    "<form method=\"post\" action=\"/alerts/%D/triage\""
		    " class=\"inline\"><input type=\"hidden\" name=\"csrf\" "
		    "value=\"%s\"><input type=\"hidden\" name=\"action\" "
		    "value=\"reopen\"><button type=\"submit\" id=\"reopen\">"
		    "%s</button></form>",
		    id, r->csrf, tr(r, "Reopen"));
	web_html(b, "</div>");
}

static void
summary(struct web_req *r, const json_t *g)
{
	int sev = (int)ji(g, "severity");

	web_html(&r->out,
	    "<dl class=\"summary\">"
	    "<dt>%s</dt><dd><span class=\"sev %s\">%s</span></dd>"
	    "<dt>%s</dt><dd><span class=\"st st-%s\" id=\"status\">%s</span>"
	    " %s</dd>"
	    "<dt>%s</dt><dd>%s (%s) · %s</dd>"
	    "<dt>%s</dt><dd class=\"addr\">%s → %s</dd>"
	    "<dt>%s</dt><dd>%D</dd>"
	    "<dt>%s</dt><dd>%t — %t</dd>"
	    "<dt>%s</dt><dd>%D:%D:%D %s · %s</dd>"
	    "<dt>%s</dt><dd>%s</dd>"
	    "<dt>%s</dt><dd id=\"guideline\">%s</dd></dl>",
	    tr(r, "Severity"), web_sev_class(sev), web_sev_label(r, sev),
	    tr(r, "Status"), js(g, "status"), tr(r, js(g, "status")),
	    *js(g, "close_reason") ? tr(r, js(g, "close_reason")) : "",
	    tr(r, "団体"), js(g, "muni_name"), js(g, "muni"), js(g, "tier"),
	    tr(r, "Source → destination"), js(g, "src"), js(g, "dst"),
	    tr(r, "Count"), ji(g, "count"), tr(r, "Seen"), ji(g, "first_seen"),
	    ji(g, "last_seen"), tr(r, "Rule"), ji(g, "gid"), ji(g, "sid"),
	    ji(g, "rev"), js(g, "classtype"), js(g, "origin"),
	    tr(r, "Use case"), js(g, "usecase"), tr(r, "Guideline clause"),
	    js(g, "guideline"));
	if (*js(g, "rule_text"))
		web_html(&r->out,
		    "<details><summary>%s (%s:%D)</summary>"
		    "<pre class=\"rule\">%s</pre></details>",
		    tr(r, "Rule text"), js(g, "rule_file"), ji(g, "rule_line"),
		    js(g, "rule_text"));
}

static void
evidence(struct web_req *r, const json_t *g)
{
	json_t *rows =
		   store_web_group_alerts(r->w->st, ji(g, "id"), EVIDENCE_ROWS),
	       *a;
	int packet = strcmp(js(g, "origin"), "packet") == 0;
	struct buf ev;
	size_t i;

	web_html(
	    &r->out, "<h2>%s</h2><div id=\"evidence\">", tr(r, "Evidence"));
	json_array_foreach(rows, i, a)
	{
		web_html(&r->out,
		    "<div class=\"ev\"><div class=\"sub\">%t · %s", ji(a, "ts"),
		    js(a, "src"));
		if (ji(a, "sport") > 0)
			web_html(&r->out, ":%D", ji(a, "sport"));
		web_html(&r->out, " → %s", js(a, "dst"));
		if (ji(a, "dport") > 0)
			web_html(&r->out, ":%D", ji(a, "dport"));
		web_html(&r->out, " %s %s</div>", js(a, "app_proto"),
		    js(a, "sensor"));
		buf_init(&ev, 1 << 20);
		if (web_evidence_read(r->w, a, &ev) == -1 || ev.len == 0)
			web_html(&r->out, "<p class=\"empty\">%s</p>",
			    tr(r, "No evidence stored."));
		else if (packet) {
			web_html(&r->out, "<pre class=\"hex\">");
			web_hexdump(&r->out, ev.data, ev.len);
			web_html(&r->out, "</pre>");
		} else
			web_html(&r->out, "<pre class=\"raw\">%S</pre>",
			    (const char *)ev.data, ev.len);
		buf_free(&ev);
		if (*js(a, "extra"))
			web_html(&r->out, "<pre class=\"extra\">%s</pre>",
			    js(a, "extra"));
		web_html(&r->out, "</div>");
	}
	web_html(&r->out, "</div>");
	json_decref(rows);
}

static void
related(struct web_req *r, const json_t *g)
{
	json_t *rows = store_web_related(
		   r->w->st, r->scope, js(g, "src"), ji(g, "id"), RELATED_ROWS),
	       *a;
	size_t i;

	web_html(&r->out, "<h2>%s</h2><table id=\"related\"><tbody>",
	    tr(r, "Related alerts from the same source"));
	json_array_foreach(rows, i, a) web_html(&r->out,
	    "<tr><td class=\"time\">%t</td><td>"
	    "<a href=\"/alerts/%D\">%s</a></td><td>%D</td>"
	    "<td class=\"addr\">→ %s</td><td>%s</td></tr>",
	    ji(a, "ts"), ji(a, "group_id"), js(a, "msg"), ji(a, "sid"),
	    js(a, "dst"), js(a, "muni"));
	web_html(&r->out, "</tbody></table>");
	if (json_array_size(rows) == 0)
		web_html(&r->out, "<p class=\"empty\">%s</p>", tr(r, "None"));
	json_decref(rows);
}

static void
seen_before(struct web_req *r, const json_t *g)
{
	json_t *rows = store_web_seen_before(r->w->st, ji(g, "gid"),
		   ji(g, "sid"), js(g, "muni"), SEEN_ROWS),
	       *a;
	size_t i;

	web_html(&r->out, "<h2>%s</h2><table id=\"seen-before\"><tbody>",
	    tr(r, "Seen before (same rule and 団体)"));
	json_array_foreach(rows, i, a) web_html(&r->out,
	    "<tr><td class=\"time\">%t</td><td>"
	    "<a href=\"/alerts/%D\">#%D</a></td><td>%s</td><td>%s</td>"
	    "<td>%s</td><td class=\"addr\">%s → %s</td></tr>",
	    ji(a, "ts"), ji(a, "group_id"), ji(a, "group_id"),
	    tr(r, js(a, "reason")), js(a, "user"), js(a, "note"), js(a, "src"),
	    js(a, "dst"));
	web_html(&r->out, "</tbody></table>");
	if (json_array_size(rows) == 0)
		web_html(&r->out, "<p class=\"empty\">%s</p>",
		    tr(r, "Never closed before"));
	json_decref(rows);
}

static void
comments(struct web_req *r, const json_t *g)
{
	json_t *rows = store_web_comments(r->w->st, ji(g, "id")), *c;
	size_t i;

	web_html(&r->out, "<h2 id=\"comments\">%s</h2><ul class=\"comments\">",
	    tr(r, "Comments"));
	json_array_foreach(rows, i, c) web_html(&r->out,
	    "<li><div class=\"sub\">%s · %t</div>"
	    "<p>%s</p></li>",
	    js(c, "user"), ji(c, "ts"), js(c, "body"));
	web_html(&r->out, "</ul>");
	json_decref(rows);
	if (r->role == ROLE_AUDITOR)
		return;
	web_html(&r->out,
	    "<form method=\"post\" action=\"/alerts/%D/comment\""
	    " class=\"comment\"><input type=\"hidden\" name=\"csrf\" "
	    "value=\"%s\"><textarea name=\"body\" id=\"comment-body\" "
	    "rows=\"3\" maxlength=\"4000\" required></textarea>"
	    "<button type=\"submit\" id=\"comment-add\">%s</button></form>",
	    ji(g, "id"), r->csrf, tr(r, "Add comment"));
}

static void
history(struct web_req *r, const json_t *g)
{
	json_t *rows = store_web_history(r->w->st, ji(g, "id")), *h;
	size_t i;

	web_html(&r->out, "<h2>%s</h2><table id=\"history\"><tbody>",
	    tr(r, "Triage history"));
	json_array_foreach(rows, i, h) web_html(&r->out,
	    "<tr><td class=\"time\">%t</td><td>%s</td>"
	    "<td>%s</td><td>%s → %s</td><td>%s</td><td>%s</td></tr>",
	    ji(h, "ts"), js(h, "user"), tr(r, js(h, "action")),
	    tr(r, js(h, "from_status")), tr(r, js(h, "to_status")),
	    tr(r, js(h, "reason")), js(h, "note"));
	web_html(&r->out, "</tbody></table>");
	json_decref(rows);
}

static void
notification_row(struct web_req *r, const json_t *n)
{
	web_html(&r->out,
	    "<tr data-id=\"%D\"><td class=\"time\">%t</td><td>%s %s</td>"
	    "<td class=\"time\">%t</td><td>%s</td><td class=\"ack\">",
	    ji(n, "id"), ji(n, "created"), js(n, "channel"), js(n, "target"),
	    ji(n, "sent"), js(n, "result"));
	if (ji(n, "acknowledged") != 0)
		web_html(&r->out, "%t %s", ji(n, "acknowledged"),
		    js(n, "acknowledged_by"));
	else if (r->role == ROLE_MUNICIPAL && r->scope != NULL &&
	    strcmp(js(n, "muni"), r->scope) == 0)
		web_html(&r->out,
		    "<form method=\"post\" action=\"/notifications/%D/ack\""
		    " class=\"inline\"><input type=\"hidden\" name=\"csrf\" "
		    "value=\"%s\"><button type=\"submit\" "
		    "id=\"notify-ack-%D\">%s</button></form>",
		    ji(n, "id"), r->csrf, ji(n, "id"), tr(r, "Acknowledge"));
	else
		web_html(&r->out, "<span class=\"empty\">%s</span>",
		    tr(r, "Not yet"));
	web_html(&r->out, "</td></tr>");
}

static void
notifications(struct web_req *r, const json_t *g)
{
	json_t *rows = store_web_notifications(r->w->st, ji(g, "id")), *n;
	size_t i;

	web_html(&r->out,
	    "<h2 id=\"notifications-log\">%s</h2><table id=\"notifications\">"
	    "<thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
	    "<th>%s</th></tr></thead><tbody>",
	    tr(r, "Notification log"), tr(r, "Queued"), tr(r, "Channel"),
	    tr(r, "Sent"), tr(r, "Result"), tr(r, "団体確認"));
	json_array_foreach(rows, i, n) notification_row(r, n);
	web_html(&r->out, "</tbody></table>");
	if (json_array_size(rows) == 0)
		web_html(&r->out, "<p class=\"empty\">%s</p>", tr(r, "None"));
	json_decref(rows);
}

void
page_alert(struct web_req *r)
{
	json_t *g = NULL;
	int rc = store_web_group(r->w->st, r->scope, r->id, &g);

	if (rc != 1) {
		web_error(r, rc == 0 ? 404 : 500,
		    rc == 0 ? tr(r, "Not found") : "store error");
		return;
	}
	web_page_begin(r, js(g, "msg"), "inbox");
	summary(r, g);
	triage_forms(r, g);
	evidence(r, g);
	related(r, g);
	seen_before(r, g);
	comments(r, g);
	history(r, g);
	notifications(r, g);
	json_decref(g);
	web_page_end(r);
	web_send(r, 200, "text/html; charset=utf-8");
}
