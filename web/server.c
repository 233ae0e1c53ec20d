/*
 * server.c — request dispatch for the web view: the static route table
 * (method, path pattern, handler, roles that may use it), the session and
 * CSRF checks every route gets before its handler runs, the security
 * headers on every response, and the response helpers.
 *
 * Order for each request: parse the URI and query (malformed: 400), pick
 * the route (unknown path: 404, known path with another method: 405), load
 * the session, check the role (no session: login page or 401; wrong role:
 * 403), read a POST body and compare its CSRF token in constant time (403),
 * then call the handler.  Tenant scope is not checked here: it is bound
 * into every query (store_web.h), so a municipal user asking for another
 * 団体's row gets 404 from the handler.
 */
#include "config.h"

#include <sys/queue.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "common/log.h"
#include "common/timeutil.h"
#include "web/web_int.h"

#define GET EVHTTP_REQ_GET
#define POST EVHTTP_REQ_POST
#define RO (ROLE_ADMIN | ROLE_ANALYST | ROLE_AUDITOR) /* not 団体 */
#define TRIAGE (ROLE_ADMIN | ROLE_ANALYST | ROLE_MUNICIPAL)
#define AUDIT (ROLE_ADMIN | ROLE_AUDITOR)

const struct web_route web_routes[] = { { GET, "/", page_root, ROLE_PUBLIC, 0 },
	{ GET, "/static/*", page_static, ROLE_PUBLIC, 0 },
	{ GET, "/login", page_login, ROLE_PUBLIC, 0 },
	{ POST, "/login", page_login_post, ROLE_PUBLIC, 0 },
	{ POST, "/logout", page_logout, ROLE_ANY, 0 },
	{ GET, "/inbox", page_inbox, ROLE_ANY, 0 },
	{ GET, "/alerts/#", page_alert, ROLE_ANY, 0 },
	{ POST, "/alerts/#/triage", page_alert_triage, TRIAGE, 0 },
	{ POST, "/alerts/#/comment", page_alert_comment, TRIAGE, 0 },
	{ POST, "/notifications/#/ack", page_notify_ack, TRIAGE, 0 },
	{ GET, "/sources", page_sources, ROLE_ANY, 0 },
	{ GET, "/dashboard", page_dashboard, ROLE_ANY, 0 },
	{ GET, "/reports", page_reports, ROLE_ANY, 0 },
	{ GET, "/reports/monthly", page_report_monthly, ROLE_ANY, 0 },
	{ GET, "/reports/audit", page_report_audit, AUDIT, 0 },
	{ GET, "/rules", page_rules, RO, 0 },
	{ POST, "/rules/reload", page_rules_reload, ROLE_ADMIN, 0 },
	{ GET, "/users", page_users, ROLE_ADMIN, 0 },
	{ POST, "/users", page_users_add, ROLE_ADMIN, 0 },
	{ POST, "/users/*/disable", page_user_disable, ROLE_ADMIN, 0 },
	{ POST, "/users/*/password", page_user_passwd, ROLE_ADMIN, 0 },
	{ GET, "/audit", page_audit, AUDIT, 0 },

	{ GET, "/api/v1/me", api_me, ROLE_ANY, WR_API },
	{ POST, "/api/v1/logout", page_logout, ROLE_ANY, WR_API },
	{ GET, "/api/v1/groups", api_groups, ROLE_ANY, WR_API },
	{ GET, "/api/v1/groups/#", api_group, ROLE_ANY, WR_API },
	{ POST, "/api/v1/groups/#/triage", api_group_triage, TRIAGE, WR_API },
	{ POST, "/api/v1/groups/#/comments", api_group_comment, TRIAGE,
	    WR_API },
	{ POST, "/api/v1/notifications/#/ack", api_notify_ack, TRIAGE, WR_API },
	{ GET, "/api/v1/sources", api_sources, ROLE_ANY, WR_API },
	{ GET, "/api/v1/dashboard", api_dashboard, ROLE_ANY, WR_API },
	{ GET, "/api/v1/municipalities", api_munis, ROLE_ANY, WR_API },
	{ GET, "/api/v1/reports", api_reports, ROLE_ANY, WR_API },
	{ GET, "/api/v1/reports/monthly", api_report_monthly, ROLE_ANY,
	    WR_API },
	{ GET, "/api/v1/reports/audit", api_report_audit, AUDIT, WR_API },
	{ GET, "/api/v1/rules", api_rules, RO, WR_API },
	{ POST, "/api/v1/rules/reload", api_rules_reload, ROLE_ADMIN, WR_API },
	{ GET, "/api/v1/users", api_users, ROLE_ADMIN, WR_API },
	{ GET, "/api/v1/audit", api_audit, AUDIT, WR_API },
	{ 0, NULL, NULL, 0, 0 } };

static const struct {
	int role;
	const char *name;
} role_names[] = {
	{ ROLE_ADMIN, "admin" },
	{ ROLE_ANALYST, "analyst" },
	{ ROLE_MUNICIPAL, "municipal" },
	{ ROLE_AUDITOR, "auditor" },
};

const char *
web_role_name(int role)
{
	for (size_t i = 0; i < sizeof(role_names) / sizeof(role_names[0]); i++)
		if (role_names[i].role == role)
			return role_names[i].name;
	return "none";
}

int
web_role_parse(const char *s)
{
	for (size_t i = 0; i < sizeof(role_names) / sizeof(role_names[0]); i++)
		if (strcmp(role_names[i].name, s) == 0)
			return role_names[i].role;
	return 0;
}

/* Match path against pattern; '#' takes an integer segment, '*' a name. */
static int
route_match(const char *pat, const char *path, struct web_req *r)
{
	while (*pat) {
		if (*pat == '#') {
			int64_t v = 0;
			int n = 0;

			for (; *path >= '0' && *path <= '9'; path++, n++)
				if (n < 16) /* longer fails below */
					v = v * 10 + (*path - '0');
			if (n == 0 || n > 15)
				return 0;
			r->id = v;
			pat++;
		} else if (*pat == '*') {
			size_t n = 0;

			for (; (*path >= 'a' && *path <= 'z') ||
			     (*path >= 'A' && *path <= 'Z') ||
			     (*path >= '0' && *path <= '9') || *path == '.' ||
			     *path == '_' || *path == '-' || *path == '@';
			     path++, n++) {
				if (n + 1 >= sizeof(r->name))
					return 0;
				r->name[n] = *path;
			}
			r->name[n] = '\0';
			if (n == 0 || r->name[0] == '.')
				return 0;
			pat++;
		} else if (*pat++ != *path++) {
			return 0;
		}
	}
	return *path == '\0';
}

const struct web_route *
web_route_find(struct web_req *r, const char *path, int method, int *known)
{
	*known = 0;
	for (const struct web_route *rt = web_routes; rt->pattern; rt++) {
		if (!route_match(rt->pattern, path, r))
			continue;
		*known = 1;
		if (method == rt->method)
			return rt;
	}
	return NULL;
}

const char *
web_q(struct web_req *r, const char *key)
{
	const char *v = evhttp_find_header(&r->query, key);

	return v != NULL && *v ? v : NULL;
}

const char *
web_f(struct web_req *r, const char *key)
{
	const char *v = evhttp_find_header(&r->form, key);

	return v != NULL && *v ? v : NULL;
}

static void
security_headers(struct web_req *r)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(r->req);

	evhttp_add_header(h, "Content-Security-Policy",
	    "default-src 'self'; script-src 'self'; style-src 'self'; "
	    "img-src 'self' data:; frame-ancestors 'none'; "
	    "form-action 'self'; base-uri 'none'");
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(h, "X-Frame-Options", "DENY");
	evhttp_add_header(h, "Referrer-Policy", "no-referrer");
	evhttp_add_header(h, "Cross-Origin-Opener-Policy", "same-origin");
	if (r->w->ssl_ctx != NULL)
		evhttp_add_header(
		    h, "Strict-Transport-Security", "max-age=31536000");
	if (evhttp_find_header(h, "Cache-Control") == NULL)
		evhttp_add_header(h, "Cache-Control", "no-store");
}

static const char *
reason_phrase(int code)
{
	switch (code) {
	case 200:
		return "OK";
	case 303:
		return "See Other";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 409:
		return "Conflict";
	case 413:
		return "Payload Too Large";
	case 429:
		return "Too Many Requests";
	case 503:
		return "Service Unavailable";
	default:
		return code < 500 ? "Error" : "Internal Server Error";
	}
}

void
web_send(struct web_req *r, int code, const char *type)
{
	struct evbuffer *eb = evbuffer_new();

	security_headers(r);
	if (type != NULL)
		evhttp_add_header(evhttp_request_get_output_headers(r->req),
		    "Content-Type", type);
	if (eb != NULL && r->out.len > 0)
		evbuffer_add(eb, r->out.data, r->out.len);
	evhttp_send_reply(r->req, code, reason_phrase(code), eb);
	if (eb != NULL)
		evbuffer_free(eb);
	buf_reset(&r->out);
}

void
web_send_file(struct web_req *r, const char *type, const char *filename,
    const void *data, size_t len)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(r->req);
	struct evbuffer *eb = evbuffer_new();
	char cd[160];

	for (const char *p = filename; p != NULL && *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			(*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
			*p == '-')) {
			web_error(r, 500, "bad file name");
			return;
		}
	security_headers(r);
	evhttp_add_header(h, "Content-Type", type);
	if (filename != NULL) {
		snprintf(
		    cd, sizeof(cd), "attachment; filename=\"%s\"", filename);
		evhttp_add_header(h, "Content-Disposition", cd);
	}
	if (eb == NULL || evbuffer_add(eb, data, len) == -1) {
		if (eb != NULL)
			evbuffer_free(eb);
		evhttp_send_error(r->req, 500, NULL);
		return;
	}
	evhttp_send_reply(r->req, 200, "OK", eb);
	evbuffer_free(eb);
	buf_reset(&r->out);
}

void
web_redirect(struct web_req *r, const char *location)
{
	evhttp_add_header(
	    evhttp_request_get_output_headers(r->req), "Location", location);
	buf_reset(&r->out);
	web_send(r, 303, NULL);
}

void
web_send_json(struct web_req *r, int code, json_t *j)
{
	char *s = j != NULL ? json_dumps(j, JSON_COMPACT) : NULL;

	json_decref(j);
	buf_reset(&r->out);
	if (s == NULL) {
		buf_puts(&r->out, "{\"error\":\"internal error\"}");
		code = 500;
	} else {
		buf_puts(&r->out, s);
		free(s);
	}
	web_send(r, code, "application/json");
}

void
web_error(struct web_req *r, int code, const char *msg)
{
	buf_reset(&r->out);
	if (r->route != NULL && (r->route->flags & WR_API)) {
		web_send_json(r, code,
		    json_pack("{s:s,s:i}", "error", msg, "status", code));
		return;
	}
	web_page_begin(r, tr(r, "Error"), NULL);
	web_html(&r->out,
	    "<p class=\"error\" role=\"alert\">%d %s</p>"
	    "<p><a href=\"/inbox\">%s</a></p>",
	    code, msg, tr(r, "Inbox"));
	web_page_end(r);
	web_send(r, code, "text/html; charset=utf-8");
}

void
web_audit(struct web_req *r, const char *action, const char *target,
    const char *detail, const char *result)
{
	if (store_audit(r->w->st, r->now, r->user.name[0] ? r->user.name : NULL,
		r->addr, action, target, detail, result) == -1)
		log_warnx("audit: cannot record %s by %s", action, r->addr);
}

void
page_root(struct web_req *r)
{
	web_redirect(r, r->role != 0 ? "/inbox" : "/login");
}

void
page_static(struct web_req *r)
{
	for (const struct web_asset *a = web_assets; a->name != NULL; a++) {
		if (strcmp(a->name, r->name) != 0)
			continue;
		evhttp_add_header(evhttp_request_get_output_headers(r->req),
		    "Cache-Control", "max-age=300");
		buf_append(&r->out, a->data, a->len);
		web_send(r, 200, a->type);
		return;
	}
	web_error(r, 404, tr(r, "Not found"));
}

static void
lang_pick(struct web_req *r)
{
	const char *q = web_q(r, "lang");
	const char *c = evhttp_find_header(
	    evhttp_request_get_input_headers(r->req), "Cookie");

	if (q != NULL && (strcmp(q, "en") == 0 || strcmp(q, "ja") == 0)) {
		r->en = q[0] == 'e';
		evhttp_add_header(evhttp_request_get_output_headers(r->req),
		    "Set-Cookie",
		    r->en ?
			"sc_lang=en; Path=/; SameSite=Strict; Max-Age=31536000" :
			"sc_lang=ja; Path=/; SameSite=Strict; Max-Age=31536000");
		return;
	}
	r->en = c != NULL && strstr(c, "sc_lang=en") != NULL;
}

static int
read_body(struct web_req *r)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(r->req);
	size_t n = evbuffer_get_length(in);
	const char *type = evhttp_find_header(
	    evhttp_request_get_input_headers(r->req), "Content-Type");

	if ((r->body = malloc(n + 1)) == NULL)
		return -1;
	evbuffer_copyout(in, r->body, n);
	r->body[n] = '\0';
	r->bodylen = n;
	if (memchr(r->body, '\0', n) != NULL)
		return -1;
	if (type != NULL &&
	    strncmp(type, "application/x-www-form-urlencoded", 33) == 0)
		return evhttp_parse_query_str(r->body, &r->form);
	return 0;
}

static void
dispatch(struct web_req *r)
{
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(r->req);
	enum evhttp_cmd_type cmd = evhttp_request_get_command(r->req);
	const char *path = uri != NULL ? evhttp_uri_get_path(uri) : NULL;
	const char *query = uri != NULL ? evhttp_uri_get_query(uri) : NULL;
	const char *tok;
	int path_known = 0;

	if (path == NULL || *path != '/' ||
	    (query != NULL && evhttp_parse_query_str(query, &r->query) == -1)) {
		web_error(r, 400, "bad request");
		return;
	}
	lang_pick(r);
	if (cmd == EVHTTP_REQ_HEAD)
		cmd = EVHTTP_REQ_GET;
	r->route = web_route_find(r, path, (int)cmd, &path_known);
	if (r->route == NULL) {
		web_session_load(r);
		if (path_known)
			evhttp_add_header(
			    evhttp_request_get_output_headers(r->req), "Allow",
			    "GET, HEAD, POST");
		web_error(r, path_known ? 405 : 404,
		    path_known ? "method not allowed" : tr(r, "Not found"));
		return;
	}
	web_session_load(r);
	if (r->route->roles != ROLE_PUBLIC) {
		if (r->role == 0) {
			if (r->route->flags & WR_API)
				web_error(r, 401, "login required");
			else
				web_redirect(r, "/login");
			return;
		}
		if (!(r->route->roles & r->role)) {
			web_audit(r, "denied", path, web_role_name(r->role),
			    "forbidden");
			web_error(r, 403, tr(r, "Not allowed for your role"));
			return;
		}
	}
	if (r->route->method == EVHTTP_REQ_POST) {
		if (read_body(r) == -1) {
			web_error(r, 400, "bad request body");
			return;
		}
		if (r->route->roles != ROLE_PUBLIC) {
			tok = (r->route->flags & WR_API) ?
			    evhttp_find_header(
				evhttp_request_get_input_headers(r->req),
				"X-CSRF-Token") :
			    web_f(r, "csrf");
			if (tok == NULL || !web_ct_equal(tok, r->csrf)) {
				web_audit(r, "csrf", path, NULL, "denied");
				web_error(r, 403,
				    tr(r,
					"CSRF token missing or "
					"wrong; reload the page."));
				return;
			}
		}
	}
	r->route->fn(r);
}

void
web_req_free(struct web_req *r)
{
	evhttp_clear_headers(&r->query);
	evhttp_clear_headers(&r->form);
	free(r->body);
	buf_free(&r->out);
	free(r);
}

void
web_request_cb(struct evhttp_request *req, void *arg)
{
	struct web_req *r = calloc(1, sizeof(*r));
	struct evhttp_connection *conn = evhttp_request_get_connection(req);
	struct web *w = arg;
	char *peer = NULL;
	ev_uint16_t port = 0;

	web_conn_request_read(w, conn);
	if (r == NULL) {
		evhttp_send_error(req, 503, NULL);
		web_conn_request_done(w, conn);
		return;
	}
	r->w = w;
	r->req = req;
	r->now = time_now_us();
	TAILQ_INIT(&r->query);
	TAILQ_INIT(&r->form);
	buf_init(&r->out, WEB_PAGE_MAX);
	buf_reserve(&r->out, 64 * 1024);
	if (conn != NULL) {
		struct bufferevent *bev =
		    evhttp_connection_get_bufferevent(conn);
		evutil_socket_t fd = bev != NULL ? bufferevent_getfd(bev) : -1;
		int one = 1;

		/* Keep-alive replies must not wait for a delayed ACK (Nagle):
		 * libevent does not set this on accepted sockets. */
		if (fd != -1)
			setsockopt(
			    fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		evhttp_connection_get_peer(conn, &peer, &port);
	}
	snprintf(r->addr, sizeof(r->addr), "%s", peer != NULL ? peer : "");
	dispatch(r);
	if (r->async)
		return; /* the handler replies later, then frees r */
	web_conn_request_done(w, conn);
	web_req_free(r);
}
