/*
 * store_web.h — the queries of the web view and the accounts it keeps
 * (users, sessions), on top of the store (store.h).
 *
 * Reads return jansson values the caller owns (json_decref them): arrays of
 * objects whose keys are the column names.  Text is always valid UTF-8
 * (invalid bytes become U+FFFD); BLOB columns come back as lowercase hex
 * under the column name with "_hex" appended (alerts.evidence ->
 * "evidence_hex").  NULL columns are JSON null.
 *
 * Tenant isolation: every read of 団体 data takes a scope, the 団体コード of
 * a municipal user or NULL for every 団体, and binds it into the WHERE
 * clause of the query itself; nothing is filtered afterwards.  A row of
 * another 団体 is simply "not found".
 */
#ifndef SC_STORE_WEB_H
#define SC_STORE_WEB_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/store.h"

/* Accounts. */
#define STORE_WEB_NAME_MAX 64
#define STORE_WEB_HASH_MAX 256

struct store_web_user {
	int64_t id;
	char name[STORE_WEB_NAME_MAX];
	char role[16]; /* admin analyst municipal auditor */
	char muni[SC_MUNI_LEN]; /* "" unless municipal */
	char pwhash[STORE_WEB_HASH_MAX];
	int disabled;
};

/* 1 found, 0 not found, -1 error. */
int store_web_user_get(
    struct store *, const char *name, struct store_web_user *);
int store_web_user_get_id(struct store *, int64_t id, struct store_web_user *);
/* 0 added, 1 the name exists, -1 error.  muni NULL unless municipal. */
int store_web_user_add(struct store *, const char *name, const char *role,
    const char *muni, const char *pwhash, int64_t now);
/* 0 done, 1 no such user, -1 error.  Both also end the user's sessions. */
int store_web_user_passwd(
    struct store *, const char *name, const char *pwhash, int64_t now);
int store_web_user_disable(
    struct store *, const char *name, int disabled, int64_t now);
int store_web_user_login(struct store *, int64_t id, int64_t now);
json_t *store_web_users(struct store *);

/* Sessions, keyed by the SHA-256 (hex) of the cookie value. */
struct store_web_session {
	struct store_web_user user;
	char csrf[72];
	int64_t created, last_used;
};
int store_web_session_new(struct store *, const char *id_hash, int64_t user_id,
    const char *csrf, int64_t now, const char *addr);
/* 1 found (and the user is enabled), 0 not found, -1 error. */
int store_web_session_get(
    struct store *, const char *id_hash, struct store_web_session *);
int store_web_session_touch(struct store *, const char *id_hash, int64_t now);
int store_web_session_delete(struct store *, const char *id_hash);
/* Remove sessions idle since idle_before or created before made_before. */
int store_web_session_expire(
    struct store *, int64_t idle_before, int64_t made_before);

/* The inbox: alert groups, newest last_seen first, keyset-paged. */
struct store_web_filter {
	const char *scope; /* municipal user's 団体, or NULL */
	const char *muni; /* filter: one 団体 */
	const char *tier;
	int severity; /* 1..5, 0 any */
	const char *status; /* NULL: all but closed; "any" */
	int64_t sid; /* 0 any */
	const char *usecase;
	int64_t from_us, to_us; /* 0: open */
	const char *q; /* free text, see below */
	int64_t after_ts, after_id; /* keyset cursor, 0: first */
	int limit;
};
/*
 * Free text q matches a group whose message, source or destination holds
 * q as a substring, ASCII letters in either case (SQL LIKE).  From 3
 * characters on, the trigram index alert_groups_fts narrows the groups
 * to test to those holding q's rarest trigrams (Japanese works the same);
 * the answer is the same as without it.  When those trigrams are together
 * in STORE_WEB_FTS_DENSE groups or more (a common term), the inbox is
 * walked newest-first instead, and the first page fills at once.
 */
#define STORE_WEB_FTS_DENSE 5000
json_t *store_web_groups(struct store *, const struct store_web_filter *);

/* One group (with its triage state): 1 found, 0 not (or out of scope). */
int store_web_group(
    struct store *, const char *scope, int64_t id, json_t **out);
/* The group's latest alerts with their evidence. */
json_t *store_web_group_alerts(struct store *, int64_t group_id, int limit);
/* Alerts from the same source address in other groups, within scope. */
json_t *store_web_related(struct store *, const char *scope, const char *src,
    int64_t group_id, int limit);
/* How earlier alerts of the same rule and 団体 were closed. */
json_t *store_web_seen_before(
    struct store *, int64_t gid, int64_t sid, const char *muni, int limit);
json_t *store_web_comments(struct store *, int64_t group_id);
json_t *store_web_history(struct store *, int64_t group_id);
json_t *store_web_notifications(struct store *, int64_t group_id);
/* Notification id of 団体 muni (bound in the query: another 団体's id is
 * not found): 1 and its group and acknowledgement time (0: none), 0 no
 * such notification of that 団体, -1 error. */
int store_web_notification_state(struct store *, const char *muni, int64_t id,
    int64_t *group_id, int64_t *acknowledged);

/*
 * Triage: action is "acknowledge", "escalate", "close" (reason required:
 * true_positive false_positive benign duplicate) or "reopen".  Returns 1
 * done, 0 not found / out of scope, -2 not allowed from the current status
 * or bad reason, -1 error.  Writes the history row in the same transaction.
 */
int store_web_triage(struct store *, const char *scope, int64_t group_id,
    const char *action, const char *reason, const char *note, const char *user,
    int64_t now);
/* 1 added, 0 group not found / out of scope, -1 error. */
int store_web_comment_add(struct store *, const char *scope, int64_t group_id,
    const char *user, const char *body, int64_t now);

json_t *store_web_sources(struct store *, const char *scope, int64_t now);
json_t *store_web_counters(struct store *);
json_t *store_web_rules(struct store *);
json_t *store_web_audit(struct store *, int64_t before_id, int limit);
json_t *store_web_munis(struct store *, const char *scope);
/* Alerts per JST day per 団体 and per severity since from_us, top rules. */
json_t *store_web_dashboard(struct store *, const char *scope, int64_t from_us);

#endif
