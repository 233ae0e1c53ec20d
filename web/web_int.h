/*
 * web_int.h — what the files of web/ share: the server state, the request
 * context every handler gets, the route table's shape, the one output
 * helper (web_html) with its escapers, the message catalogue, and the
 * accounts code (passwords, sessions, CSRF, login throttling).
 *
 * Reading order: server.c (routes, dispatch, headers, sessions), html.c
 * (escaping and layout), then one page_*.c per screen and api.c.
 */
#ifndef SC_WEB_INT_H
#define SC_WEB_INT_H

#include <stddef.h>
#include <stdint.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>

#include "collector/store_web.h"
#include "common/buf.h"
#include "common/log.h"
#include "common/sc_limits.h"
#include "policies/policy.h"
#include "policies/report_build.h"

/* Sessions: idle and absolute lifetime; login throttling. */
#define WEB_SESSION_IDLE_SEC (30 * 60)
#define WEB_SESSION_MAX_SEC (12 * 3600)
#define WEB_LOGIN_WINDOW_SEC (15 * 60)
#define WEB_LOGIN_FAILS_USER 5 /* per account per window */
#define WEB_LOGIN_FAILS_ADDR 20 /* per client address per window */
#define WEB_THROTTLE_SLOTS 1024 /* tracked accounts + addresses */
#define WEB_PAGE_MAX (8 * 1024 * 1024) /* one response body */
#define WEB_INBOX_PAGE 50

/* Password checks waiting for the worker (pwworker.c) at most. */
#define WEB_PW_QUEUE 64

/* scrypt parameters for new hashes: N = 2^15, r 8, p 1 (32 MiB). */
#define WEB_SCRYPT_LOGN 15
#define WEB_SCRYPT_R 8
#define WEB_SCRYPT_P 1

/* Roles, as a bit set for the route table. */
#define ROLE_ADMIN 0x01
#define ROLE_ANALYST 0x02
#define ROLE_MUNICIPAL 0x04
#define ROLE_AUDITOR 0x08
#define ROLE_ANY 0x0f
#define ROLE_STAFF (ROLE_ADMIN | ROLE_ANALYST) /* may triage anything */
#define ROLE_PUBLIC 0 /* no session needed */

struct web_throttle_slot {
	char key[80]; /* "u:name" or "a:addr" */
	int64_t window_start; /* us */
	int fails;
};

/* Connections (conn.c): each request must be read in full within the
 * deadline; connections per client address and in all are capped. */
#define WEB_REQUEST_DEADLINE_SEC 20
#define WEB_CONN_PER_ADDR 32
#define WEB_CONN_SLOTS SC_HTTP_CONN_MAX
struct web_conn;

struct web {
	struct event_base *base;
	struct evhttp *http;
	void *ssl_ctx; /* SSL_CTX *, NULL: plain HTTP */
	struct store *st;
	const char *datadir;
	int timeout;
	struct policy_slot *policy; /* for reports; reloaded on SIGHUP */
	const char *policy_path;
	int deadline; /* seconds to read one request */
	int conn_per_addr;
	struct web_conn *conns[WEB_CONN_SLOTS];
	int nconns;
	uint64_t conn_slow, conn_refused; /* closed: too slow, too many */
	struct ratelim slow_warn, many_warn;
	struct web_pw *pw; /* the password worker */
	struct web_pw *rpt; /* the report worker */
	struct store *rst; /* its own read-only store connection */
	struct web_throttle_slot throttle[WEB_THROTTLE_SLOTS];
};

struct web_req;
typedef void (*web_handler)(struct web_req *);

#define WR_API 0x01 /* JSON errors, CSRF from the X-CSRF-Token header */

struct web_route {
	int method; /* EVHTTP_REQ_GET / _POST */
	const char *pattern; /* "/alerts/#", "#" an integer segment */
	web_handler fn;
	int roles; /* ROLE_PUBLIC or a set of ROLE_* */
	int flags;
};

struct web_req {
	struct web *w;
	struct evhttp_request *req;
	const struct web_route *route;
	int64_t now; /* us */
	int64_t id; /* the '#' of the pattern */
	char name[STORE_WEB_NAME_MAX]; /* '*' segment */
	struct evkeyvalq query; /* parsed query string */
	struct evkeyvalq form; /* parsed POST body */
	char *body; /* raw POST body, NUL-ended */
	size_t bodylen;
	int en; /* English (else Japanese) */
	int role; /* ROLE_*, 0 without a session */
	struct store_web_user user;
	char csrf[72];
	char sid_hash[72];
	const char *scope; /* municipal: own 団体, or NULL */
	char addr[64]; /* client address */
	struct buf out;
	int async; /* the handler replies later and frees the request */
};

/* conn.c: the bufferevent callback that guards each connection, and the
 * request-read deadline: off once a request is read, on again after its
 * reply. */
struct bufferevent *web_conn_bevcb(struct event_base *, void *web);
void web_conn_request_read(struct web *, struct evhttp_connection *);
void web_conn_request_done(struct web *, struct evhttp_connection *);

/*
 * pwworker.c: web_pw_verify on a worker thread.  The job's done callback
 * runs on the event loop with good set; drop runs instead at exit, for a
 * job that never finished (the request must not be answered then).
 */
struct web_pwjob {
	struct web_pwjob *next;
	char *pw; /* cleansed by the worker */
	const char *hash;
	int good;
	void (*work)(struct web_pwjob *); /* NULL: check pw against hash */
	void (*done)(struct web_pwjob *);
	void (*drop)(struct web_pwjob *);
};
struct web_pw *web_worker_new(struct web *);
/* -1: the queue is full (WEB_PW_QUEUE) */
int web_worker_submit(struct web_pw *, struct web_pwjob *);
void web_worker_free(struct web_pw *); /* NULL: no-op */

/* server.c */
extern const struct web_route web_routes[];
void web_request_cb(struct evhttp_request *, void *);
/* Free a request context (after an async handler has replied). */
void web_req_free(struct web_req *);
/* The route for path and method (fills r->id / r->name), or NULL; *known
 * says whether the path exists for another method. */
const struct web_route *web_route_find(
    struct web_req *, const char *path, int method, int *known);
const char *web_role_name(int role);
int web_role_parse(const char *);
/* Query / form fields: NULL when absent or empty. */
const char *web_q(struct web_req *, const char *key);
const char *web_f(struct web_req *, const char *key);
/* Finish: set type, send out with code. */
void web_send(struct web_req *, int code, const char *type);
void web_redirect(struct web_req *, const char *location);
/* An error page (HTML) or {"error": ...} (API), code 4xx/5xx. */
void web_error(struct web_req *, int code, const char *msg);
void web_send_json(struct web_req *, int code, json_t *);
/* 200 with type and the bytes (copied); with a filename (ASCII
 * [A-Za-z0-9._-] only) as a download, "attachment; filename=...". */
void web_send_file(struct web_req *, const char *type, const char *filename,
    const void *data, size_t len);
void web_audit(struct web_req *, const char *action, const char *target,
    const char *detail, const char *result);

/* html.c: the one output helper.
 *   %s  C string, HTML-escaped (NULL prints nothing)
 *   %S  bytes (const char *, size_t), HTML-escaped
 *   %d  int          %D  int64_t
 *   %u  C string, URL-encoded (query component), then safe in attributes
 *   %t  int64_t time in us -> "YYYY-MM-DD HH:mm JST" ("—" for 0)
 *   %r  trusted markup built by this program (never data)
 *   %%  a percent sign
 */
void web_html(struct buf *, const char *fmt, ...);
void web_esc_html(struct buf *, const char *, size_t);
void web_esc_url(struct buf *, const char *, size_t);
/* Escaped hex + ASCII dump of a payload, 16 bytes a line. */
void web_hexdump(struct buf *, const uint8_t *, size_t);
void web_page_begin(struct web_req *, const char *title, const char *nav);
void web_page_end(struct web_req *);
const char *web_sev_class(int sev);
const char *web_sev_label(struct web_req *, int sev);
/* Field of a JSON row: "" / 0 when absent or null. */
const char *js(const json_t *, const char *key);
int64_t ji(const json_t *, const char *key);

/* i18n.c: English key -> Japanese unless the request is in English. */
const char *tr(const struct web_req *, const char *en);

/* auth.c */
int web_pw_hash(const char *pw, char *out, size_t outlen);
int web_pw_verify(const char *pw, const char *encoded);
int web_random_hex(char *out, size_t nbytes); /* 2n+1 out */
void web_sha256_hex(const char *s, char out[65]);
int web_ct_equal(const char *a, const char *b);
int web_session_load(struct web_req *);
void page_login(struct web_req *);
void page_login_post(struct web_req *);
void page_logout(struct web_req *);

/* pages */
void page_root(struct web_req *);
void page_inbox(struct web_req *);
void page_alert(struct web_req *);
void page_alert_triage(struct web_req *);
void page_alert_comment(struct web_req *);
void page_notify_ack(struct web_req *);
void page_sources(struct web_req *);
void page_dashboard(struct web_req *);
void page_reports(struct web_req *);
void page_report_monthly(struct web_req *);
void page_report_audit(struct web_req *);
void page_rules(struct web_req *);
void page_rules_reload(struct web_req *);
void page_users(struct web_req *);
void page_users_add(struct web_req *);
void page_user_disable(struct web_req *);
void page_user_passwd(struct web_req *);
void page_audit(struct web_req *);
void page_static(struct web_req *);

/* shared by pages and API */
int web_filter_from_query(struct web_req *, struct store_web_filter *);
/* Evidence bytes of one alert row (see page_alert.c). */
int web_evidence_read(struct web *, const json_t *alert, struct buf *out);
int web_rules_reload(struct web_req *, char *msg, size_t len);
int web_triage_do(struct web_req *, int64_t id, const char *action,
    const char *reason, const char *note);
/* The 団体's acknowledgement of notification id: 200 (its group in
 * *group_id), 403 not a municipal user, 404 no such notification of the
 * user's 団体, 409 already acknowledged, 500.  Audited. */
int web_notify_ack_do(struct web_req *, int64_t id, int64_t *group_id);

/* api.c */
void api_me(struct web_req *);
void api_groups(struct web_req *);
void api_group(struct web_req *);
void api_group_triage(struct web_req *);
void api_group_comment(struct web_req *);
void api_notify_ack(struct web_req *);
void api_sources(struct web_req *);
void api_dashboard(struct web_req *);
void api_rules(struct web_req *);
void api_rules_reload(struct web_req *);
void api_users(struct web_req *);
void api_audit(struct web_req *);
void api_reports(struct web_req *);
void api_report_monthly(struct web_req *);
void api_report_audit(struct web_req *);
void api_munis(struct web_req *);

/*
 * report.c: a monthly report or audit pack filled from the policy and the
 * store by policies/report_build.c, holding the policy while it lives.
 * web_report_monthly / _audit return 0 or one of WEB_REPORT_*.
 */
#define WEB_REPORT_ERROR (-1) /* store or memory: 500 */
#define WEB_REPORT_BAD (-2) /* malformed month or dates: 400 */
#define WEB_REPORT_NOTFOUND (-3) /* no such 団体, or out of scope: 404 */
#define WEB_REPORT_NOPOLICY (-4) /* no policy loaded: 503 */
#define WEB_REPORT_MAX (64 * 1024 * 1024) /* one rendered report */
#define WEB_REPORT_MONTHS 13 /* months offered on the list */
struct web_report {
	struct report_build b; /* the model and what it borrows */
	struct policy *p; /* a reference held while the report lives */
};
/* The 団体 code names, if the scope (NULL: any) allows it; else NULL. */
const struct policy_muni *web_report_muni(
    const struct policy *, const char *scope, const char *code);
/* Both take over the reference p (NULL: no policy), released by
 * web_report_free; st may be any connection to the store. */
int web_report_monthly(struct store *st, struct policy *p, const char *scope,
    const char *code, const char *month, struct web_report *);
int web_report_audit(struct store *st, struct policy *p, const char *from,
    const char *to, struct web_report *);
int web_report_render(
    const struct web_report *, enum report_format, struct buf *out);
void web_report_free(struct web_report *);
void web_report_month(int64_t now_us, int back, char out[8]);

/* static_data.c (generated from web/static/) */
struct web_asset {
	const char *name;
	const char *type;
	const unsigned char *data;
	size_t len;
};
extern const struct web_asset web_assets[];

#endif
