/*
 * store_web.c — the web view's queries: accounts and sessions, the inbox,
 * alert detail and triage, sources, rules, the audit log and the dashboard.
 *
 * Rows become jansson objects through one converter (row_json), which keeps
 * text valid UTF-8 and turns BLOBs into hex.  Every read of 団体 data binds
 * the caller's scope into its WHERE clause (see store_web.h).  Static SQL
 * goes through the statement cache; the inbox, whose WHERE clause depends
 * on the filters in use, is prepared per call, still with every value bound.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/store_int.h"
#include "collector/store_web.h"
#include "common/buf.h"
#include "common/log.h"
#include "common/timeutil.h"

/* Copy text as valid UTF-8: each invalid byte becomes U+FFFD. */
static json_t *
utf8_json(const unsigned char *s, size_t len)
{
	struct buf b;
	json_t *j;
	size_t i = 0;

	buf_init(&b, len * 3 + 16);
	while (i < len) {
		unsigned char c = s[i];
		size_t n = c < 0x80    ? 1 :
		    (c & 0xe0) == 0xc0 ? 2 :
		    (c & 0xf0) == 0xe0 ? 3 :
		    (c & 0xf8) == 0xf0 ? 4 :
					 0;
		int good = n > 0 && i + n <= len && c != 0;

		for (size_t k = 1; good && k < n; k++)
			good = (s[i + k] & 0xc0) == 0x80;
		if (good && n == 2 && c < 0xc2)
			good = 0; /* overlong */
		if (good && n == 3 &&
		    ((c == 0xe0 && s[i + 1] < 0xa0) ||
			(c == 0xed && s[i + 1] >= 0xa0)))
			good = 0; /* overlong or surrogate */
		if (good && n == 4 &&
		    ((c == 0xf0 && s[i + 1] < 0x90) || c > 0xf4 ||
			(c == 0xf4 && s[i + 1] >= 0x90)))
			good = 0;
		if (good) {
			buf_append(&b, s + i, n);
			i += n;
		} else {
			buf_append(&b, "\xef\xbf\xbd", 3);
			i++;
		}
	}
	j = json_stringn(buf_cstr(&b), b.len);
	buf_free(&b);
	return j;
}

static json_t *
row_json(sqlite3_stmt *s)
{
	static const char hex[] = "0123456789abcdef";
	json_t *o = json_object();
	int n = sqlite3_column_count(s);

	for (int i = 0; i < n; i++) {
		const char *name = sqlite3_column_name(s, i);
		const unsigned char *p;
		char key[96];
		size_t len;
		json_t *v;

		switch (sqlite3_column_type(s, i)) {
		case SQLITE_INTEGER:
			v = json_integer(sqlite3_column_int64(s, i));
			break;
		case SQLITE_FLOAT:
			v = json_real(sqlite3_column_double(s, i));
			break;
		case SQLITE_TEXT:
			p = sqlite3_column_text(s, i);
			len = (size_t)sqlite3_column_bytes(s, i);
			v = utf8_json(p, len);
			break;
		case SQLITE_BLOB: {
			struct buf b;

			p = sqlite3_column_blob(s, i);
			len = (size_t)sqlite3_column_bytes(s, i);
			buf_init(&b, len * 2 + 1);
			for (size_t k = 0; k < len; k++) {
				buf_putc(&b, hex[p[k] >> 4]);
				buf_putc(&b, hex[p[k] & 15]);
			}
			v = json_string(buf_cstr(&b));
			buf_free(&b);
			snprintf(key, sizeof(key), "%s_hex", name);
			json_object_set_new(o, key, v);
			continue;
		}
		default:
			v = json_null();
			break;
		}
		json_object_set_new(o, name, v);
	}
	return o;
}

/* Step s to the end, collecting rows; resets s.  NULL on error. */
static json_t *
rows_json(struct store *st, sqlite3_stmt *s)
{
	json_t *a = json_array();
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		json_array_append_new(a, row_json(s));
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		log_warnx("store: %s", sqlite3_errmsg(st->db));
		json_decref(a);
		return NULL;
	}
	return a;
}

/* Accounts */

#define USER_COLS "id, name, role, coalesce(muni, ''), pwhash, disabled"

static void
user_fill(sqlite3_stmt *s, int col, struct store_web_user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = sqlite3_column_int64(s, col);
	snprintf(u->name, sizeof(u->name), "%s",
	    (const char *)sqlite3_column_text(s, col + 1));
	snprintf(u->role, sizeof(u->role), "%s",
	    (const char *)sqlite3_column_text(s, col + 2));
	snprintf(u->muni, sizeof(u->muni), "%s",
	    (const char *)sqlite3_column_text(s, col + 3));
	snprintf(u->pwhash, sizeof(u->pwhash), "%s",
	    (const char *)sqlite3_column_text(s, col + 4));
	u->disabled = sqlite3_column_int(s, col + 5);
}

static int
user_step(struct store *st, sqlite3_stmt *s, struct store_web_user *u)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW)
		user_fill(s, 0, u);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	log_warnx("store: user: %s", sqlite3_errmsg(st->db));
	return -1;
}

int
store_web_user_get(struct store *st, const char *name, struct store_web_user *u)
{
	sqlite3_stmt *s =
	    store_stmt(st, "SELECT " USER_COLS " FROM users WHERE name = ?1");

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, name);
	return user_step(st, s, u);
}

int
store_web_user_get_id(struct store *st, int64_t id, struct store_web_user *u)
{
	sqlite3_stmt *s =
	    store_stmt(st, "SELECT " USER_COLS " FROM users WHERE id = ?1");

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	return user_step(st, s, u);
}

int
store_web_user_add(struct store *st, const char *name, const char *role,
    const char *muni, const char *pwhash, int64_t now)
{
	struct store_web_user u;
	sqlite3_stmt *s;
	int rc;

	if ((rc = store_web_user_get(st, name, &u)) != 0)
		return rc;
	s = store_stmt(st,
	    "INSERT INTO users (name, role, muni, pwhash, "
	    "created, updated, password_changed) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?5, ?5)");
	if (s == NULL)
		return -1;
	store_bind_text(s, 1, name);
	store_bind_text(s, 2, role);
	store_bind_text(s, 3, muni);
	store_bind_text(s, 4, pwhash);
	sqlite3_bind_int64(s, 5, now);
	return store_step_done(st, s);
}

static int
user_sessions_end(struct store *st, const char *name)
{
	sqlite3_stmt *s = store_stmt(st,
	    "DELETE FROM sessions WHERE user_id "
	    "= (SELECT id FROM users WHERE name = ?1)");

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, name);
	return store_step_done(st, s);
}

static int
user_update(struct store *st, sqlite3_stmt *s)
{
	if (s == NULL || store_step_done(st, s) == -1)
		return -1;
	return sqlite3_changes(st->db) == 0 ? 1 : 0;
}

int
store_web_user_passwd(
    struct store *st, const char *name, const char *pwhash, int64_t now)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE users SET pwhash = ?2, "
	    "updated = ?3, password_changed = ?3 WHERE name = ?1");
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, name);
	store_bind_text(s, 2, pwhash);
	sqlite3_bind_int64(s, 3, now);
	if ((rc = user_update(st, s)) != 0)
		return rc;
	return user_sessions_end(st, name);
}

int
store_web_user_disable(
    struct store *st, const char *name, int disabled, int64_t now)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE users SET disabled = ?2, "
	    "updated = ?3 WHERE name = ?1");
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, name);
	sqlite3_bind_int(s, 2, disabled != 0);
	sqlite3_bind_int64(s, 3, now);
	if ((rc = user_update(st, s)) != 0)
		return rc;
	return disabled ? user_sessions_end(st, name) : 0;
}

int
store_web_user_login(struct store *st, int64_t id, int64_t now)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE users SET last_login = ?2 "
	    "WHERE id = ?1");

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	return store_step_done(st, s);
}

json_t *
store_web_users(struct store *st)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT id, name, role, muni, "
	    "disabled, created, updated, last_login, password_changed "
	    "FROM users ORDER BY name");

	return s == NULL ? NULL : rows_json(st, s);
}

/* Sessions */

int
store_web_session_new(struct store *st, const char *id_hash, int64_t user_id,
    const char *csrf, int64_t now, const char *addr)
{
	sqlite3_stmt *s = store_stmt(st,
	    "INSERT INTO sessions (id_hash, "
	    "user_id, csrf, created, last_used, addr) VALUES (?1, ?2, ?3, ?4, "
	    "?4, ?5)");

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, id_hash);
	sqlite3_bind_int64(s, 2, user_id);
	store_bind_text(s, 3, csrf);
	sqlite3_bind_int64(s, 4, now);
	store_bind_text(s, 5, addr);
	return store_step_done(st, s);
}

int
store_web_session_get(
    struct store *st, const char *id_hash, struct store_web_session *ses)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT u.id, u.name, u.role, "
	    "coalesce(u.muni, ''), u.pwhash, u.disabled, s.csrf, s.created, "
	    "s.last_used FROM sessions s JOIN users u ON u.id = s.user_id "
	    "WHERE s.id_hash = ?1 AND u.disabled = 0");
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, id_hash);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		user_fill(s, 0, &ses->user);
		snprintf(ses->csrf, sizeof(ses->csrf), "%s",
		    (const char *)sqlite3_column_text(s, 6));
		ses->created = sqlite3_column_int64(s, 7);
		ses->last_used = sqlite3_column_int64(s, 8);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : -1;
}

int
store_web_session_touch(struct store *st, const char *id_hash, int64_t now)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE sessions SET last_used = ?2 "
	    "WHERE id_hash = ?1");

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, id_hash);
	sqlite3_bind_int64(s, 2, now);
	return store_step_done(st, s);
}

int
store_web_session_delete(struct store *st, const char *id_hash)
{
	sqlite3_stmt *s = store_stmt(st,
	    "DELETE FROM sessions WHERE id_hash "
	    "= ?1");

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, id_hash);
	return store_step_done(st, s);
}

int
store_web_session_expire(
    struct store *st, int64_t idle_before, int64_t made_before)
{
	sqlite3_stmt *s = store_stmt(st,
	    "DELETE FROM sessions WHERE "
	    "last_used < ?1 OR created < ?2");

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, idle_before);
	sqlite3_bind_int64(s, 2, made_before);
	return store_step_done(st, s);
}

/* The inbox */

/*
 * The inbox's WHERE clause, written in one place: each filter in use
 * appends its SQL, with anonymous parameters, and queues the values they
 * take in the same call, so a clause and its binding cannot drift apart
 * (the scope of a municipal user is one of these clauses, bound like the
 * others).  where_bind() binds the queue in order.
 */
#define WHERE_VALS 16
#define WHERE_TRIGRAMS 24 /* of a long q, the first ones are probed */
#define WHERE_SAMPLE 200 /* matches read to judge how rare a trigram is */

struct where {
	struct buf sql;
	struct {
		const char *s; /* text, or NULL: the integer i */
		int64_t i;
	} v[WHERE_VALS];
	int n;
	int full; /* more values than WHERE_VALS: refuse the query */
	char like[512]; /* the LIKE pattern of the free text */
	char match[128]; /* the FTS5 query narrowing the free text */
};

static void
where_val(struct where *w, const char *text, int64_t i)
{
	if (w->n == WHERE_VALS) {
		w->full = 1;
		return;
	}
	w->v[w->n].s = text;
	w->v[w->n++].i = i;
}

/* Append clause; its one '?' takes text. */
static void
where_text(struct where *w, const char *clause, const char *text)
{
	buf_puts(&w->sql, clause);
	where_val(w, text, 0);
}

/* Append clause; its one '?' takes the integer i. */
static void
where_int(struct where *w, const char *clause, int64_t i)
{
	buf_puts(&w->sql, clause);
	where_val(w, NULL, i);
}

static void
where_bind(struct where *w, sqlite3_stmt *s)
{
	for (int k = 0; k < w->n; k++) {
		if (w->v[k].s != NULL)
			store_bind_text(s, k + 1, w->v[k].s);
		else
			sqlite3_bind_int64(s, k + 1, w->v[k].i);
	}
}

/* Free text as LIKE '%q%' over message and addresses, q's own % _ and \
 * taken literally. */
static void
where_like(struct where *w, const char *q)
{
	size_t k = 0;

	w->like[k++] = '%';
	for (const char *p = q; *p && k < sizeof(w->like) - 3; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			w->like[k++] = '\\';
		w->like[k++] = *p;
	}
	w->like[k++] = '%';
	w->like[k] = '\0';
	where_text(w, " AND (g.msg LIKE ? ESCAPE '\\'", w->like);
	where_text(w, " OR g.src LIKE ? ESCAPE '\\'", w->like);
	where_text(w, " OR g.dst LIKE ? ESCAPE '\\')", w->like);
}

/* Is s well-formed UTF-8 (no overlong forms, surrogates or NUL)? */
static int
utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = *p < 0x80	? 1 :
		    (*p & 0xe0) == 0xc0 ? 2 :
		    (*p & 0xf0) == 0xe0 ? 3 :
		    (*p & 0xf8) == 0xf0 ? 4 :
					  0;

		if (n == 0 || (n == 2 && *p < 0xc2) || *p > 0xf4)
			return 0;
		for (size_t k = 1; k < n; k++)
			if ((p[k] & 0xc0) != 0x80)
				return 0;
		if ((n == 3 && *p == 0xe0 && p[1] < 0xa0) ||
		    (n == 3 && *p == 0xed && p[1] >= 0xa0) ||
		    (n == 4 && *p == 0xf0 && p[1] < 0x90) ||
		    (n == 4 && *p == 0xf4 && p[1] >= 0x90))
			return 0;
		p += n;
	}
	return 1;
}

/* Quote t (n bytes) as an FTS5 string into out (2n + 3 bytes). */
static void
fts_quote(const char *t, size_t n, char *out)
{
	size_t k = 0;

	out[k++] = '"';
	for (size_t i = 0; i < n; i++) {
		if (t[i] == '"')
			out[k++] = '"';
		out[k++] = t[i];
	}
	out[k++] = '"';
	out[k] = '\0';
}

/*
 * How rare the FTS5 query m is, from its first WHERE_SAMPLE matches (FTS5
 * reads a doclist lazily, so this costs the same for a rare term and one
 * in every group): fewer than that is an exact count, else the matches
 * per group id over the id range they span estimate its share.  Lower is
 * rarer; 0: nothing matches; -1: no index (older store) or an error.
 */
static double
fts_rarity(struct store *st, const char *m)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT count(*), min(rowid), max(rowid) FROM (SELECT rowid "
	    "FROM alert_groups_fts WHERE alert_groups_fts MATCH ?1 LIMIT ?2)");
	double r = -1;
	int n;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, m);
	sqlite3_bind_int(s, 2, WHERE_SAMPLE);
	if (sqlite3_step(s) == SQLITE_ROW) {
		n = sqlite3_column_int(s, 0);
		/* exact counts rank below any share (at most 1) */
		r = n < WHERE_SAMPLE ? n * 1e-9 :
				       (double)n /
			(double)(sqlite3_column_int64(s, 2) -
			    sqlite3_column_int64(s, 1) + 1);
	}
	sqlite3_reset(s);
	return r;
}

/* How many groups match the FTS5 query m, counting at most cap. */
static int
fts_count(struct store *st, const char *m, int cap)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT count(*) FROM (SELECT rowid FROM alert_groups_fts "
	    "WHERE alert_groups_fts MATCH ?1 LIMIT ?2)");
	int n = cap;

	if (s == NULL)
		return cap;
	store_bind_text(s, 1, m);
	sqlite3_bind_int(s, 2, cap);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	return n;
}

/*
 * Narrow the free-text search with the trigram index (alert_groups_fts):
 * every group whose text holds q holds each of q's trigrams, so the
 * groups holding q's three rarest trigrams are a superset of the answer,
 * and the LIKE clause that follows keeps exactly the groups that match
 * (the same answer as without the index).  The rarest are picked from a
 * small sample of each (fts_rarity), so a trigram found in nearly every
 * group (an address prefix such as "198") is never read in full.  When
 * even those three are in STORE_WEB_FTS_DENSE groups or more (a common
 * term), or q has fewer than 3 characters, the LIKE walk newest-first
 * serves it alone, which for a common term ends at the first page.
 */
static void
where_fts(struct store *st, struct where *w, const char *q)
{
	const char *at[WHERE_TRIGRAMS + 3], *p = q;
	char quoted[3][32], one[32];
	double best[3] = { -1, -1, -1 }, r;
	size_t nat = 0, k = 0;
	int j;

	if (!utf8_valid(q))
		return; /* the tokenizer's view of bad bytes is not LIKE's */
	while (*p && nat < WHERE_TRIGRAMS + 2) {
		at[nat++] = p++;
		while (((unsigned char)*p & 0xc0) == 0x80)
			p++;
	}
	at[nat] = p;
	for (size_t i = 0; i + 3 <= nat; i++) {
		fts_quote(at[i], (size_t)(at[i + 3] - at[i]), one);
		if ((r = fts_rarity(st, one)) < 0)
			return; /* no index: LIKE alone */
		if (r == 0) {
			/* no group holds this trigram, so none holds q */
			buf_puts(&w->sql, " AND 0");
			return;
		}
		/* keep the three rarest, distinct */
		for (j = 0; j < 3; j++)
			if (best[j] >= 0 && strcmp(quoted[j], one) == 0)
				break;
		if (j < 3)
			continue;
		for (j = 0; j < 3; j++)
			if (best[j] < 0 || r < best[j])
				break;
		if (j == 3)
			continue;
		memmove(&best[j + 1], &best[j], (size_t)(2 - j) * sizeof(r));
		memmove(quoted[j + 1], quoted[j], (size_t)(2 - j) * 32);
		best[j] = r;
		memcpy(quoted[j], one, sizeof(one));
	}
	if (best[0] < 0)
		return; /* fewer than 3 characters */
	for (j = 0; j < 3 && best[j] >= 0; j++)
		k += (size_t)snprintf(w->match + k, sizeof(w->match) - k,
		    "%s%s", j ? " AND " : "", quoted[j]);
	if (fts_count(st, w->match, STORE_WEB_FTS_DENSE) >= STORE_WEB_FTS_DENSE)
		return; /* a common term: the newest groups hold it */
	where_text(w,
	    " AND g.id IN (SELECT rowid FROM alert_groups_fts "
	    "WHERE alert_groups_fts MATCH ?)",
	    w->match);
}

static void
where_filter(
    struct store *st, struct where *w, const struct store_web_filter *f)
{
	if (f->scope != NULL)
		where_text(w, " AND g.muni = ?", f->scope);
	if (f->muni != NULL)
		where_text(w, " AND g.muni = ?", f->muni);
	if (f->tier != NULL)
		where_text(w, " AND g.tier = ?", f->tier);
	if (f->severity > 0)
		where_int(w, " AND g.severity = ?", f->severity);
	if (f->status == NULL)
		buf_puts(&w->sql, " AND t.status <> 'closed'");
	else if (strcmp(f->status, "any") != 0)
		where_text(w, " AND t.status = ?", f->status);
	if (f->sid > 0)
		where_int(w, " AND g.sid = ?", f->sid);
	if (f->usecase != NULL)
		where_text(w, " AND g.usecase = ?", f->usecase);
	if (f->from_us > 0)
		where_int(w, " AND g.last_seen >= ?", f->from_us);
	if (f->to_us > 0)
		where_int(w, " AND g.first_seen <= ?", f->to_us);
	if (f->q != NULL) {
		where_fts(st, w, f->q);
		where_like(w, f->q);
	}
	if (f->after_id > 0) {
		where_int(w, " AND (g.last_seen, g.id) < (?", f->after_ts);
		where_int(w, ", ?)", f->after_id);
	}
}

json_t *
store_web_groups(struct store *st, const struct store_web_filter *f)
{
	struct where *w = calloc(1, sizeof(*w));
	sqlite3_stmt *s = NULL;
	json_t *rows = NULL;

	if (w == NULL)
		return NULL;
	buf_init(&w->sql, 4096);
	buf_puts(&w->sql,
	    "SELECT g.id, g.gid, g.sid, g.muni, "
	    "m.name AS muni_name, g.src, g.dst, g.msg, g.severity, g.origin, "
	    "g.usecase, g.guideline, g.tier, g.count, g.first_seen, "
	    "g.last_seen, t.status, t.close_reason "
	    "FROM alert_groups g JOIN triage t ON t.group_id = g.id "
	    "LEFT JOIN municipalities m ON m.code = g.muni WHERE 1");
	where_filter(st, w, f);
	buf_printf(&w->sql, " ORDER BY g.last_seen DESC, g.id DESC LIMIT %d",
	    f->limit > 0 && f->limit <= 500 ? f->limit : 50);
	if (w->full) {
		log_warnx("store: inbox: too many filters");
		goto out;
	}
	if (sqlite3_prepare_v2(st->db, buf_cstr(&w->sql), -1, &s, NULL) !=
	    SQLITE_OK) {
		log_warnx("store: inbox: %s", sqlite3_errmsg(st->db));
		goto out;
	}
	where_bind(w, s);
	rows = rows_json(st, s);
out:
	sqlite3_finalize(s);
	buf_free(&w->sql);
	free(w);
	return rows;
}

/* Alert detail */

int
store_web_group(struct store *st, const char *scope, int64_t id, json_t **out)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT g.id, g.gid, g.sid, g.muni, "
	    "m.name AS muni_name, g.src, g.dst, g.msg, g.severity, g.origin, "
	    "g.usecase, g.guideline, g.classtype, g.tier, g.count, "
	    "g.first_seen, g.last_seen, t.status, t.close_reason, t.assignee, "
	    "t.acknowledged_at, t.escalated_at, t.closed_at, t.updated, "
	    "t.updated_by, r.rev, r.text AS rule_text, r.file AS rule_file, "
	    "r.line AS rule_line "
	    "FROM alert_groups g JOIN triage t ON t.group_id = g.id "
	    "LEFT JOIN municipalities m ON m.code = g.muni "
	    "LEFT JOIN rules r ON r.gid = g.gid AND r.sid = g.sid "
	    "WHERE g.id = ?1 AND (?2 IS NULL OR g.muni = ?2)");
	int rc;

	*out = NULL;
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, scope);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = row_json(s);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : -1;
}

json_t *
store_web_group_alerts(struct store *st, int64_t group_id, int limit)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT id, ts, event_ts, origin, "
	    "rev, src, sport, dst, dport, ipproto, app_proto, sensor, "
	    "source_id, archive_segment, archive_record, evidence, extra "
	    "FROM alerts WHERE group_id = ?1 ORDER BY ts DESC, id DESC "
	    "LIMIT ?2");

	if (s == NULL)
		return NULL;
	sqlite3_bind_int64(s, 1, group_id);
	sqlite3_bind_int(s, 2, limit);
	return rows_json(st, s);
}

json_t *
store_web_related(struct store *st, const char *scope, const char *src,
    int64_t group_id, int limit)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT a.id, a.ts, a.group_id, "
	    "a.sid, a.severity, a.dst, a.muni, g.msg FROM alerts a "
	    "JOIN alert_groups g ON g.id = a.group_id "
	    "WHERE a.src = ?1 AND a.src <> '' AND a.group_id <> ?2 "
	    "AND (?3 IS NULL OR a.muni = ?3) ORDER BY a.ts DESC LIMIT ?4");

	if (s == NULL)
		return NULL;
	store_bind_text(s, 1, src);
	sqlite3_bind_int64(s, 2, group_id);
	store_bind_text(s, 3, scope);
	sqlite3_bind_int(s, 4, limit);
	return rows_json(st, s);
}

json_t *
store_web_seen_before(
    struct store *st, int64_t gid, int64_t sid, const char *muni, int limit)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT h.group_id, h.ts, h.user, "
	    "h.reason, h.note, g.src, g.dst FROM triage_history h "
	    "JOIN alert_groups g ON g.id = h.group_id "
	    "WHERE g.sid = ?1 AND g.gid = ?2 AND g.muni = ?3 "
	    "AND h.action = 'close' ORDER BY h.ts DESC LIMIT ?4");

	if (s == NULL)
		return NULL;
	sqlite3_bind_int64(s, 1, sid);
	sqlite3_bind_int64(s, 2, gid);
	store_bind_text(s, 3, muni);
	sqlite3_bind_int(s, 4, limit);
	return rows_json(st, s);
}

/* The rows of a cached query whose one parameter is a group id. */
static json_t *
rows_of_group(struct store *st, const char *sql, int64_t group_id)
{
	sqlite3_stmt *s = store_stmt(st, sql);

	if (s == NULL)
		return NULL;
	sqlite3_bind_int64(s, 1, group_id);
	return rows_json(st, s);
}

json_t *
store_web_comments(struct store *st, int64_t group_id)
{
	return rows_of_group(st,
	    "SELECT id, ts, user, body FROM "
	    "comments WHERE group_id = ?1 ORDER BY ts, id",
	    group_id);
}

json_t *
store_web_history(struct store *st, int64_t group_id)
{
	return rows_of_group(st,
	    "SELECT id, ts, user, action, "
	    "from_status, to_status, reason, note FROM triage_history "
	    "WHERE group_id = ?1 ORDER BY ts, id",
	    group_id);
}

json_t *
store_web_notifications(struct store *st, int64_t group_id)
{
	return rows_of_group(st,
	    "SELECT id, muni, channel, target, "
	    "summary, severity, created, sent, attempts, result, acknowledged, "
	    "acknowledged_by FROM notifications WHERE group_id = ?1 "
	    "ORDER BY created, id",
	    group_id);
}

int
store_web_notification_state(struct store *st, const char *muni, int64_t id,
    int64_t *group_id, int64_t *acknowledged)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT group_id, acknowledged FROM notifications "
	    "WHERE id = ?1 AND muni = ?2");
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, muni ? muni : "");
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*group_id = sqlite3_column_int64(s, 0);
		*acknowledged = sqlite3_column_int64(s, 1);
		rc = 1;
	} else
		rc = rc == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(s);
	return rc;
}

/* Triage */

static const char *const close_reasons[] = { "true_positive", "false_positive",
	"benign", "duplicate", NULL };

static const struct {
	const char *action;
	const char *to;
	const char *from_ok; /* statuses this action may leave */
} triage_moves[] = {
	{ "acknowledge", "acknowledged", "new escalated" },
	{ "escalate", "escalated", "new acknowledged" },
	{ "close", "closed", "new acknowledged escalated" },
	{ "reopen", "acknowledged", "closed" },
};

static int
word_in(const char *w, const char *list)
{
	size_t n = strlen(w);

	for (const char *p = list; (p = strstr(p, w)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return 1;
	return 0;
}

static int
triage_apply(struct store *st, int64_t group_id, const char *from,
    const char *to, const char *action, const char *reason, const char *note,
    const char *user, int64_t now)
{
	sqlite3_stmt *s;

	s = store_stmt(st,
	    "UPDATE triage SET status = ?2, "
	    "close_reason = CASE WHEN ?2 = 'closed' THEN ?3 ELSE NULL END, "
	    "acknowledged_at = CASE WHEN ?2 = 'acknowledged' THEN ?4 "
	    "  ELSE acknowledged_at END, "
	    "escalated_at = CASE WHEN ?2 = 'escalated' THEN ?4 "
	    "  ELSE escalated_at END, "
	    "closed_at = CASE WHEN ?2 = 'closed' THEN ?4 ELSE NULL END, "
	    "assignee = coalesce(assignee, ?5), "
	    "updated = ?4, updated_by = ?5 WHERE group_id = ?1");
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, group_id);
	store_bind_text(s, 2, to);
	store_bind_text(s, 3, reason);
	sqlite3_bind_int64(s, 4, now);
	store_bind_text(s, 5, user);
	if (store_step_done(st, s) == -1)
		return -1;
	s = store_stmt(st,
	    "INSERT INTO triage_history (group_id, ts, user, "
	    "action, from_status, to_status, reason, note) VALUES (?1, ?2, ?3, "
	    "?4, ?5, ?6, ?7, ?8)");
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, group_id);
	sqlite3_bind_int64(s, 2, now);
	store_bind_text(s, 3, user);
	store_bind_text(s, 4, action);
	store_bind_text(s, 5, from);
	store_bind_text(s, 6, to);
	store_bind_text(s, 7, reason);
	store_bind_text(s, 8, note);
	return store_step_done(st, s);
}

int
store_web_triage(struct store *st, const char *scope, int64_t group_id,
    const char *action, const char *reason, const char *note, const char *user,
    int64_t now)
{
	sqlite3_stmt *s;
	char from[32];
	size_t i;
	int rc, ok = 0;

	for (i = 0; i < sizeof(triage_moves) / sizeof(triage_moves[0]); i++)
		if (strcmp(action, triage_moves[i].action) == 0)
			break;
	if (i == sizeof(triage_moves) / sizeof(triage_moves[0]))
		return -2;
	if (strcmp(action, "close") == 0) {
		for (int k = 0; reason != NULL && close_reasons[k]; k++)
			ok |= strcmp(reason, close_reasons[k]) == 0;
		if (!ok)
			return -2;
	} else {
		reason = NULL;
	}
	if (store_begin(st) == -1)
		return -1;
	s = store_stmt(st,
	    "SELECT t.status FROM alert_groups g "
	    "JOIN triage t ON t.group_id = g.id "
	    "WHERE g.id = ?1 AND (?2 IS NULL OR g.muni = ?2)");
	if (s == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, group_id);
	store_bind_text(s, 2, scope);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		snprintf(from, sizeof(from), "%s",
		    (const char *)sqlite3_column_text(s, 0));
	sqlite3_reset(s);
	if (rc != SQLITE_ROW) {
		store_rollback(st);
		return rc == SQLITE_DONE ? 0 : -1;
	}
	if (!word_in(from, triage_moves[i].from_ok)) {
		store_rollback(st);
		return -2;
	}
	if (triage_apply(st, group_id, from, triage_moves[i].to, action, reason,
		note, user, now) == -1 ||
	    store_commit(st) == -1)
		goto fail;
	return 1;
fail:
	store_rollback(st);
	return -1;
}

int
store_web_comment_add(struct store *st, const char *scope, int64_t group_id,
    const char *user, const char *body, int64_t now)
{
	sqlite3_stmt *s = store_stmt(st,
	    "INSERT INTO comments (group_id, ts, "
	    "user, body) SELECT id, ?3, ?4, ?5 FROM alert_groups "
	    "WHERE id = ?1 AND (?2 IS NULL OR muni = ?2)");

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, group_id);
	store_bind_text(s, 2, scope);
	sqlite3_bind_int64(s, 3, now);
	store_bind_text(s, 4, user);
	store_bind_text(s, 5, body);
	if (store_step_done(st, s) == -1)
		return -1;
	return sqlite3_changes(st->db) > 0 ? 1 : 0;
}

/* Sources, counters, rules, audit, 団体 */

json_t *
store_web_sources(struct store *st, const char *scope, int64_t now)
{
	/* rate: messages per minute over the last five whole minutes */
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT s.id, s.addr, s.name, "
	    "s.type, s.muni, m.name AS muni_name, s.tier, s.known, "
	    "s.expected_interval, s.first_seen, s.last_seen, s.messages, "
	    "s.bytes, s.parse_failures, s.skew_last_ms, s.skew_max_ms, "
	    "s.silent_since, (SELECT coalesce(sum(messages), 0) / 5.0 FROM "
	    "source_minutes x WHERE x.source_id = s.id AND x.minute >= ?2) "
	    "AS rate FROM sources s LEFT JOIN municipalities m ON "
	    "m.code = s.muni WHERE (?1 IS NULL OR s.muni = ?1) "
	    "ORDER BY s.muni, s.addr");

	if (s == NULL)
		return NULL;
	store_bind_text(s, 1, scope);
	sqlite3_bind_int64(s, 2, now / TIME_US_PER_SEC / 60 - 5);
	return rows_json(st, s);
}

json_t *
store_web_counters(struct store *st)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT role, stage, name, value, "
	    "updated FROM counters ORDER BY role, stage, name");

	return s == NULL ? NULL : rows_json(st, s);
}

json_t *
store_web_rules(struct store *st)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT gid, sid, rev, msg, "
	    "classtype, severity, usecase, guideline, file, line, hits, loaded "
	    "FROM rules ORDER BY hits DESC, sid LIMIT 5000");

	return s == NULL ? NULL : rows_json(st, s);
}

json_t *
store_web_audit(struct store *st, int64_t before_id, int limit)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT id, ts, user, addr, action, "
	    "target, detail, result FROM audit_log WHERE ?1 = 0 OR id < ?1 "
	    "ORDER BY id DESC LIMIT ?2");

	if (s == NULL)
		return NULL;
	sqlite3_bind_int64(s, 1, before_id);
	sqlite3_bind_int(s, 2, limit);
	return rows_json(st, s);
}

json_t *
store_web_munis(struct store *st, const char *scope)
{
	sqlite3_stmt *s = store_stmt(st,
	    "SELECT code, name, name_en, type "
	    "FROM municipalities WHERE (?1 IS NULL OR code = ?1) ORDER BY code");

	if (s == NULL)
		return NULL;
	store_bind_text(s, 1, scope);
	return rows_json(st, s);
}

json_t *
store_web_dashboard(struct store *st, const char *scope, int64_t from_us)
{
	sqlite3_stmt *s;
	json_t *d = json_object(), *a;
	int64_t day0 = (from_us / 1000000 + 32400) / 86400;

	/* from the per-day rollup (schema version 2), not the alerts */
	s = store_stmt(st,
	    "SELECT day, muni, sum(n) AS n FROM alert_days "
	    "WHERE day >= ?1 AND (?2 IS NULL OR muni = ?2) "
	    "GROUP BY day, muni ORDER BY day");
	if (s == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, day0);
	store_bind_text(s, 2, scope);
	if ((a = rows_json(st, s)) == NULL)
		goto fail;
	json_object_set_new(d, "per_day_muni", a);
	s = store_stmt(st,
	    "SELECT day, severity, sum(n) AS n FROM alert_days "
	    "WHERE day >= ?1 AND (?2 IS NULL OR muni = ?2) "
	    "GROUP BY day, severity ORDER BY day");
	if (s == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, day0);
	store_bind_text(s, 2, scope);
	if ((a = rows_json(st, s)) == NULL)
		goto fail;
	json_object_set_new(d, "per_day_severity", a);
	s = store_stmt(st,
	    "SELECT x.gid, x.sid, coalesce((SELECT r.msg FROM "
	    "rules r WHERE r.gid = x.gid AND r.sid = x.sid), (SELECT g.msg FROM "
	    "alert_groups g WHERE g.sid = x.sid AND g.gid = x.gid LIMIT 1)) "
	    "AS msg, x.n FROM (SELECT gid, sid, sum(n) AS n FROM alert_days "
	    "WHERE day >= ?1 AND (?2 IS NULL OR muni = ?2) GROUP BY gid, sid "
	    "ORDER BY n DESC LIMIT 10) x ORDER BY x.n DESC");
	if (s == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, day0);
	store_bind_text(s, 2, scope);
	if ((a = rows_json(st, s)) == NULL)
		goto fail;
	json_object_set_new(d, "top_rules", a);
	return d;
fail:
	json_decref(d);
	return NULL;
}
