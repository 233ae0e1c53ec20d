/*
 * page_admin.c — the pages around the inbox: log sources and the
 * collector's stage counters, reports, rules (with reload), users and the
 * audit log.
 *
 * Rule reload is signalled to the collector with SIGHUP to the pid in
 * DATADIR/collector.pid (the collector writes it at startup); the request
 * is recorded in the audit log and the change history either way.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "web/web.h"
#include "web/web_int.h"

#define AUDIT_PAGE 100

void
page_sources(struct web_req *r)
{
	json_t *rows = store_web_sources(r->w->st, r->scope, r->now), *s;
	json_t *ctr = NULL, *c;
	size_t i;

	if (rows == NULL) {
		web_error(r, 500, "store error");
		return;
	}
	web_page_begin(r, tr(r, "Sources"), "sources");
	web_html(&r->out,
	    "<table id=\"sources\"><thead><tr><th>%s</th>"
	    "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
	    "<th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
	    tr(r, "Source"), tr(r, "団体"), tr(r, "Type"), tr(r, "Last seen"),
	    tr(r, "Rate (msg/min)"), tr(r, "Messages"), tr(r, "Parse failures"),
	    tr(r, "Clock skew (ms)"), tr(r, "Silent since"));
	json_array_foreach(rows, i, s)
	{
		char rate[32];

		snprintf(rate, sizeof(rate), "%.1f",
		    json_number_value(json_object_get(s, "rate")));
		web_html(&r->out,
		    "<tr class=\"%s\"><td class=\"addr\">%s"
		    "<div class=\"sub\">%s</div></td><td>%s (%s) · %s</td>"
		    "<td>%s%s</td><td class=\"time\">%t</td>"
		    "<td class=\"num\">%s</td><td class=\"num\">%D</td>"
		    "<td class=\"num\">%D</td><td class=\"num\">%D / %D</td>"
		    "<td class=\"time\">%t</td></tr>",
		    ji(s, "silent_since") ? "silent" : "", js(s, "addr"),
		    js(s, "name"), js(s, "muni_name"), js(s, "muni"),
		    js(s, "tier"), js(s, "type"),
		    ji(s, "known") ? "" : tr(r, " (unknown source)"),
		    ji(s, "last_seen"), rate, ji(s, "messages"),
		    ji(s, "parse_failures"), ji(s, "skew_last_ms"),
		    ji(s, "skew_max_ms"), ji(s, "silent_since"));
	}
	web_html(&r->out, "</tbody></table>");
	if (json_array_size(rows) == 0)
		web_html(&r->out, "<p class=\"empty\">%s</p>",
		    tr(r, "No sources yet."));
	json_decref(rows);
	/* Stage counters are the appliance's, not a 団体's: SOC and audit. */
	if (r->scope == NULL && (ctr = store_web_counters(r->w->st)) != NULL) {
		web_html(&r->out,
		    "<h2>%s</h2><table id=\"counters\"><thead>"
		    "<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
		    "<th>%s</th></tr></thead><tbody>",
		    tr(r, "Collector stage counters"), tr(r, "Role"),
		    tr(r, "Stage"), tr(r, "Counter"), tr(r, "Value"),
		    tr(r, "Updated"));
		json_array_foreach(ctr, i, c) web_html(&r->out,
		    "<tr><td>%s</td><td>%s</td><td>%s"
		    "</td><td class=\"num\">%D</td><td class=\"time\">"
		    "%t</td></tr>",
		    js(c, "role"), js(c, "stage"), js(c, "name"),
		    ji(c, "value"), ji(c, "updated"));
		web_html(&r->out, "</tbody></table>");
		json_decref(ctr);
	}
	web_page_end(r);
	web_send(r, 200, "text/html; charset=utf-8");
}

void
page_rules(struct web_req *r)
{
	json_t *rows = store_web_rules(r->w->st), *x;
	const char *msg = web_q(r, "reload");
	size_t i;

	if (rows == NULL) {
		web_error(r, 500, "store error");
		return;
	}
	web_page_begin(r, tr(r, "Rules"), "rules");
	if (msg != NULL)
		web_html(&r->out,
		    "<p class=\"notice\" id=\"reload-result\">%s"
		    "</p>",
		    tr(r,
			strcmp(msg, "ok") == 0 ?
			    "Reload requested from the collector." :
			    "The collector is not running (no collector.pid)."));
	if (r->role == ROLE_ADMIN)
		web_html(&r->out,
		    "<form method=\"post\" action=\"/rules/reload"
		    "\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
		    "<button type=\"submit\" id=\"reload\">%s</button></form>",
		    r->csrf, tr(r, "Reload rules"));
	web_html(&r->out,
	    "<table id=\"rules\"><thead><tr><th>%s</th>"
	    "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
	    "<th>%s</th></tr></thead><tbody>",
	    tr(r, "Rule"), tr(r, "Message"), tr(r, "Severity"),
	    tr(r, "Use case"), tr(r, "Guideline clause"), tr(r, "Hits"),
	    tr(r, "File"));
	json_array_foreach(rows, i, x)
	{
		int sev = (int)ji(x, "severity");

		web_html(&r->out,
		    "<tr><td>%D:%D:%D</td><td>%s</td><td><span "
		    "class=\"sev %s\">%s</span></td><td>%s</td><td>%s</td>"
		    "<td class=\"num\">%D</td><td>%s:%D</td></tr>",
		    ji(x, "gid"), ji(x, "sid"), ji(x, "rev"), js(x, "msg"),
		    web_sev_class(sev), web_sev_label(r, sev), js(x, "usecase"),
		    js(x, "guideline"), ji(x, "hits"), js(x, "file"),
		    ji(x, "line"));
	}
	web_html(&r->out, "</tbody></table>");
	if (json_array_size(rows) == 0)
		web_html(&r->out, "<p class=\"empty\">%s</p>",
		    tr(r, "No rules loaded yet."));
	json_decref(rows);
	web_page_end(r);
	web_send(r, 200, "text/html; charset=utf-8");
}

int
web_rules_reload(struct web_req *r, char *msg, size_t len)
{
	char path[4096], line[32], *end;
	FILE *f;
	long pid = 0;
	int rc = -1;

	snprintf(path, sizeof(path), "%s/collector.pid", r->w->datadir);
	if ((f = fopen(path, "r")) != NULL) {
		if (fgets(line, sizeof(line), f) != NULL) {
			pid = strtol(line, &end, 10);
			if (end == line || (*end != '\n' && *end != '\0'))
				pid = 0;
		}
		fclose(f);
	}
	if (pid > 1 && kill((pid_t)pid, SIGHUP) == 0) {
		snprintf(msg, len, "SIGHUP sent to collector pid %ld", pid);
		rc = 0;
	} else {
		snprintf(msg, len, "%s: %s", path,
		    pid > 1 ? strerror(errno) : "no collector pid");
	}
	web_audit(r, "rules reload", path, msg, rc == 0 ? "ok" : "failed");
	store_change(r->w->st, r->now, r->user.name, "rules",
	    "reload requested", NULL, msg);
	return rc;
}

void
page_rules_reload(struct web_req *r)
{
	char msg[256];

	web_redirect(r,
	    web_rules_reload(r, msg, sizeof(msg)) == 0 ?
		"/rules?reload=ok" :
		"/rules?reload=failed");
}

void
page_users(struct web_req *r)
{
	json_t *rows = store_web_users(r->w->st), *u;
	const char *done = web_q(r, "done");
	size_t i;

	if (rows == NULL) {
		web_error(r, 500, "store error");
		return;
	}
	web_page_begin(r, tr(r, "Users"), "users");
	if (done != NULL)
		web_html(&r->out,
		    "<p class=\"notice\" id=\"users-done\">%s"
		    "</p>",
		    tr(r, "Saved."));
	web_html(&r->out,
	    "<table id=\"users\"><thead><tr><th>%s</th>"
	    "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>"
	    "</thead><tbody>",
	    tr(r, "User"), tr(r, "Role"), tr(r, "団体"), tr(r, "Last login"),
	    tr(r, "State"), tr(r, "Actions"));
	json_array_foreach(rows, i, u)
	{
		int dis = ji(u, "disabled") != 0;

		web_html(&r->out,
		    "<tr><td>%s</td><td>%s</td><td>%s</td>"
		    "<td class=\"time\">%t</td><td>%s</td><td>"
		    "<form method=\"post\" action=\"/users/%u/disable\" "
		    "class=\"inline\"><input type=\"hidden\" name=\"csrf\" "
		    "value=\"%s\"><input type=\"hidden\" name=\"disabled\" "
		    "value=\"%s\"><button type=\"submit\">%s</button></form> "
		    "<form method=\"post\" action=\"/users/%u/password\" "
		    "class=\"inline\"><input type=\"hidden\" name=\"csrf\" "
		    "value=\"%s\"><input type=\"password\" name=\"password\" "
		    "autocomplete=\"new-password\" minlength=\"8\" required "
		    "placeholder=\"%s\"><button type=\"submit\">%s</button>"
		    "</form></td></tr>",
		    js(u, "name"), tr(r, js(u, "role")), js(u, "muni"),
		    ji(u, "last_login"),
		    dis ? tr(r, "disabled") : tr(r, "active"), js(u, "name"),
		    r->csrf, dis ? "0" : "1",
		    dis ? tr(r, "Enable") : tr(r, "Disable"), js(u, "name"),
		    r->csrf, tr(r, "New password"), tr(r, "Reset password"));
	}
	web_html(&r->out,
	    "</tbody></table><h2>%s</h2>"
	    "<form method=\"post\" action=\"/users\" class=\"useradd\">"
	    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
	    "<label>%s <input name=\"name\" required maxlength=\"63\"></label>"
	    "<label>%s <select name=\"role\"><option>analyst</option>"
	    "<option>municipal</option><option>auditor</option>"
	    "<option>admin</option></select></label>"
	    "<label>%s <input name=\"muni\" maxlength=\"6\" "
	    "inputmode=\"numeric\"></label>"
	    "<label>%s <input type=\"password\" name=\"password\" "
	    "autocomplete=\"new-password\" minlength=\"8\" required></label>"
	    "<button type=\"submit\">%s</button></form>",
	    tr(r, "Add user"), r->csrf, tr(r, "User"), tr(r, "Role"),
	    tr(r, "団体コード (municipal only)"), tr(r, "Password"),
	    tr(r, "Add user"));
	json_decref(rows);
	web_page_end(r);
	web_send(r, 200, "text/html; charset=utf-8");
}

void
page_users_add(struct web_req *r)
{
	const char *name = web_f(r, "name"), *role = web_f(r, "role");
	const char *muni = web_f(r, "muni"), *pw = web_f(r, "password");
	char hash[STORE_WEB_HASH_MAX];
	int rc;

	if (name == NULL || !web_name_valid(name) || role == NULL ||
	    web_role_parse(role) == 0 ||
	    (strcmp(role, "municipal") == 0) != (muni != NULL) ||
	    (muni != NULL && !web_muni_valid(muni)) || pw == NULL ||
	    strlen(pw) < 8 || strlen(pw) > 1024) {
		web_error(r, 400,
		    tr(r,
			"Check the name, role, 団体コード and "
			"password (8 characters or more)."));
		return;
	}
	if (web_pw_hash(pw, hash, sizeof(hash)) == -1) {
		web_error(r, 500, "scrypt failed");
		return;
	}
	rc = store_web_user_add(r->w->st, name, role, muni, hash, r->now);
	web_audit(r, "user add", name, role,
	    rc == 0	? "ok" :
		rc == 1 ? "exists" :
			  "error");
	if (rc != 0) {
		web_error(r, rc == 1 ? 409 : 500, tr(r, "The user exists."));
		return;
	}
	web_redirect(r, "/users?done=1");
}

void
page_user_disable(struct web_req *r)
{
	const char *v = web_f(r, "disabled");
	int dis = v == NULL || strcmp(v, "0") != 0, rc;

	if (dis && strcmp(r->name, r->user.name) == 0) {
		web_error(r, 409, tr(r, "You cannot disable yourself."));
		return;
	}
	rc = store_web_user_disable(r->w->st, r->name, dis, r->now);
	web_audit(r, dis ? "user disable" : "user enable", r->name, NULL,
	    rc == 0 ? "ok" : "not found");
	if (rc != 0) {
		web_error(r, 404, tr(r, "Not found"));
		return;
	}
	web_redirect(r, "/users?done=1");
}

void
page_user_passwd(struct web_req *r)
{
	const char *pw = web_f(r, "password");
	char hash[STORE_WEB_HASH_MAX];
	int rc;

	if (pw == NULL || strlen(pw) < 8 || strlen(pw) > 1024) {
		web_error(r, 400,
		    tr(r,
			"Check the name, role, 団体コード and "
			"password (8 characters or more)."));
		return;
	}
	if (web_pw_hash(pw, hash, sizeof(hash)) == -1) {
		web_error(r, 500, "scrypt failed");
		return;
	}
	rc = store_web_user_passwd(r->w->st, r->name, hash, r->now);
	web_audit(
	    r, "user passwd", r->name, NULL, rc == 0 ? "ok" : "not found");
	if (rc != 0) {
		web_error(r, 404, tr(r, "Not found"));
		return;
	}
	web_redirect(r, "/users?done=1");
}

void
page_audit(struct web_req *r)
{
	const char *b = web_q(r, "before");
	int64_t before = b != NULL ? strtoll(b, NULL, 10) : 0;
	json_t *rows = store_web_audit(
		   r->w->st, before > 0 ? before : 0, AUDIT_PAGE),
	       *a;
	size_t i;

	if (rows == NULL) {
		web_error(r, 500, "store error");
		return;
	}
	web_page_begin(r, tr(r, "Audit log"), "audit");
	web_html(&r->out,
	    "<table id=\"audit\"><thead><tr><th>%s</th>"
	    "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
	    "<th>%s</th></tr></thead><tbody>",
	    tr(r, "Time"), tr(r, "User"), tr(r, "Address"), tr(r, "Action"),
	    tr(r, "Target"), tr(r, "Detail"), tr(r, "Result"));
	json_array_foreach(rows, i, a) web_html(&r->out,
	    "<tr><td class=\"time\">%t</td><td>%s</td>"
	    "<td class=\"addr\">%s</td><td>%s</td><td>%s</td>"
	    "<td>%s</td><td>%s</td></tr>",
	    ji(a, "ts"), js(a, "user"), js(a, "addr"), js(a, "action"),
	    js(a, "target"), js(a, "detail"), js(a, "result"));
	web_html(&r->out, "</tbody></table>");
	if (json_array_size(rows) == AUDIT_PAGE)
		web_html(&r->out,
		    "<p class=\"pager\"><a href=\"/audit?before="
		    "%D\">%s</a></p>",
		    ji(json_array_get(rows, AUDIT_PAGE - 1), "id"),
		    tr(r, "Older"));
	json_decref(rows);
	web_page_end(r);
	web_send(r, 200, "text/html; charset=utf-8");
}
