/*
 * api.c — the JSON API under /api/v1/: the same store queries as the pages,
 * under the same route table, roles and tenant scope.  GETs need the
 * session cookie; POSTs also need the session's CSRF token in the
 * X-CSRF-Token header (checked in server.c) and take a JSON body.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/web_int.h"

static void
reply_rows(struct web_req *r, json_t *rows)
{
	if (rows == NULL) {
		web_error(r, 500, "store error");
		return;
	}
	web_send_json(r, 200, rows);
}

void
api_me(struct web_req *r)
{
	web_send_json(r, 200,
	    json_pack("{s:s,s:s,s:s?,s:s}", "user", r->user.name, "role",
		r->user.role, "muni", r->scope, "csrf", r->csrf));
}

void
api_groups(struct web_req *r)
{
	struct store_web_filter f;
	json_t *rows, *last;
	char next[64] = "";

	if (web_filter_from_query(r, &f) == -1) {
		web_error(r, 400, "bad filter value");
		return;
	}
	if ((rows = store_web_groups(r->w->st, &f)) == NULL) {
		web_error(r, 500, "store error");
		return;
	}
	if (json_array_size(rows) == (size_t)f.limit) {
		last = json_array_get(rows, json_array_size(rows) - 1);
		snprintf(next, sizeof(next), "%lld.%lld",
		    (long long)ji(last, "last_seen"),
		    (long long)ji(last, "id"));
	}
	web_send_json(r, 200,
	    json_pack(
		"{s:o,s:s?}", "groups", rows, "next", next[0] ? next : NULL));
}

/* Evidence as text (invalid UTF-8 shown as U+FFFD) and as hex. */
static void
alerts_evidence_text(struct web *w, json_t *alerts)
{
	size_t i;
	json_t *a;

	json_array_foreach(alerts, i, a)
	{
		struct buf ev;
		json_t *t;

		buf_init(&ev, 1 << 20);
		if (web_evidence_read(w, a, &ev) == 0 && ev.len > 0) {
			t = json_stringn(buf_cstr(&ev), ev.len);
			if (t == NULL) {
				struct buf esc;

				buf_init(&esc, 4 << 20);
				for (size_t k = 0; k < ev.len; k++)
					buf_putc(&esc,
					    ev.data[k] < 0x80 &&
						    ev.data[k] != 0 ?
						ev.data[k] :
						'?');
				t = json_string(buf_cstr(&esc));
				buf_free(&esc);
			}
			json_object_set_new(a, "evidence_text", t);
		}
		buf_free(&ev);
	}
}

void
api_group(struct web_req *r)
{
	json_t *g = NULL, *alerts;
	int rc = store_web_group(r->w->st, r->scope, r->id, &g);

	if (rc != 1) {
		web_error(r, rc == 0 ? 404 : 500,
		    rc == 0 ? "not found" : "store error");
		return;
	}
	alerts = store_web_group_alerts(r->w->st, r->id, 20);
	if (alerts != NULL)
		alerts_evidence_text(r->w, alerts);
	json_object_set_new(g, "alerts", alerts ? alerts : json_array());
	json_object_set_new(g, "related",
	    store_web_related(r->w->st, r->scope, js(g, "src"), r->id, 20));
	json_object_set_new(g, "seen_before",
	    store_web_seen_before(
		r->w->st, ji(g, "gid"), ji(g, "sid"), js(g, "muni"), 10));
	json_object_set_new(g, "comments", store_web_comments(r->w->st, r->id));
	json_object_set_new(g, "history", store_web_history(r->w->st, r->id));
	json_object_set_new(
	    g, "notifications", store_web_notifications(r->w->st, r->id));
	web_send_json(r, 200, g);
}

static json_t *
body_json(struct web_req *r)
{
	json_error_t err;

	if (r->body == NULL || r->bodylen == 0)
		return NULL;
	return json_loadb(r->body, r->bodylen, JSON_REJECT_DUPLICATES, &err);
}

void
api_group_triage(struct web_req *r)
{
	json_t *b = body_json(r);
	int code;

	if (!json_is_object(b)) {
		json_decref(b);
		web_error(r, 400, "want a JSON object: {\"action\": ...}");
		return;
	}
	code = web_triage_do(r, r->id,
	    json_string_value(json_object_get(b, "action")),
	    json_string_value(json_object_get(b, "reason")),
	    json_string_value(json_object_get(b, "note")));
	json_decref(b);
	if (code != 200) {
		web_error(r, code,
		    code == 404 ?
			"not found" :
			code == 409 ?
			"not possible from the current status, or bad reason" :
			code == 403 ? "not allowed for your role" :
				      "error");
		return;
	}
	api_group(r);
}

void
api_group_comment(struct web_req *r)
{
	json_t *b = body_json(r);
	const char *body = json_string_value(json_object_get(b, "body"));
	int rc = -3;

	if (body != NULL && *body && strlen(body) <= 4000)
		rc = store_web_comment_add(
		    r->w->st, r->scope, r->id, r->user.name, body, r->now);
	json_decref(b);
	if (rc == -3) {
		web_error(r, 400, "want {\"body\": \"...\"} (1-4000 bytes)");
		return;
	}
	if (rc != 1) {
		web_error(r, rc == 0 ? 404 : 500, "not found");
		return;
	}
	web_audit(r, "comment", "api", NULL, "ok");
	web_send_json(r, 201, json_pack("{s:b}", "ok", 1));
}

void
api_notify_ack(struct web_req *r)
{
	int64_t group = 0;
	int code = web_notify_ack_do(r, r->id, &group);

	if (code != 200) {
		web_error(r, code,
		    code == 404	    ? "not found" :
			code == 409 ? "already acknowledged" :
			code == 403 ? "not allowed for your role" :
				      "error");
		return;
	}
	web_send_json(r, 200,
	    json_pack("{s:b,s:I,s:I}", "ok", 1, "id", (json_int_t)r->id,
		"group_id", (json_int_t)group));
}

void
api_sources(struct web_req *r)
{
	json_t *src = store_web_sources(r->w->st, r->scope, r->now);
	json_t *ctr =
	    r->scope == NULL ? store_web_counters(r->w->st) : json_array();

	if (src == NULL || ctr == NULL) {
		json_decref(src);
		json_decref(ctr);
		web_error(r, 500, "store error");
		return;
	}
	web_send_json(
	    r, 200, json_pack("{s:o,s:o}", "sources", src, "counters", ctr));
}

void
api_dashboard(struct web_req *r)
{
	const char *d = web_q(r, "days");
	int64_t days = d != NULL ? strtoll(d, NULL, 10) : 14;

	if (days < 1 || days > 366) {
		web_error(r, 400, "days: 1..366");
		return;
	}
	reply_rows(r,
	    store_web_dashboard(
		r->w->st, r->scope, r->now - days * 86400 * 1000000LL));
}

void
api_rules(struct web_req *r)
{
	reply_rows(r, store_web_rules(r->w->st));
}

void
api_rules_reload(struct web_req *r)
{
	char msg[256];
	int rc = web_rules_reload(r, msg, sizeof(msg));

	web_send_json(r, rc == 0 ? 200 : 503,
	    json_pack("{s:b,s:s}", "ok", rc == 0, "detail", msg));
}

void
api_users(struct web_req *r)
{
	reply_rows(r, store_web_users(r->w->st));
}

void
api_audit(struct web_req *r)
{
	const char *b = web_q(r, "before");

	reply_rows(
	    r, store_web_audit(r->w->st, b ? strtoll(b, NULL, 10) : 0, 100));
}

void
api_munis(struct web_req *r)
{
	reply_rows(r, store_web_munis(r->w->st, r->scope));
}
