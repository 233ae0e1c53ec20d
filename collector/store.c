/*
 * store.c — opening the SQLite store, migrations, the statement cache, and
 * the writes every role shares (alerts, audit log, change history).
 * See store.h for the ownership rules.
 */
#include "config.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/store_int.h"
#include "common/log.h"

sqlite3_stmt *
store_stmt(struct store *st, const char *sql)
{
	sqlite3_stmt *stmt;

	for (size_t i = 0; i < st->ncache; i++) {
		if (st->cache[i].sql == sql) {
			stmt = st->cache[i].stmt;
			sqlite3_reset(stmt);
			sqlite3_clear_bindings(stmt);
			return stmt;
		}
	}
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
		&stmt, NULL) != SQLITE_OK) {
		log_warnx("store: prepare: %s", sqlite3_errmsg(st->db));
		return NULL;
	}
	if (st->ncache < STORE_STMT_CACHE) {
		st->cache[st->ncache].sql = sql;
		st->cache[st->ncache].stmt = stmt;
		st->ncache++;
	} else {
		/* Full: evict the oldest; statements here are few and static. */
		sqlite3_finalize(st->cache[0].stmt);
		memmove(&st->cache[0], &st->cache[1],
		    (STORE_STMT_CACHE - 1) * sizeof(st->cache[0]));
		st->cache[STORE_STMT_CACHE - 1].sql = sql;
		st->cache[STORE_STMT_CACHE - 1].stmt = stmt;
	}
	return stmt;
}

int
store_bind_text(sqlite3_stmt *stmt, int idx, const char *s)
{
	if (s == NULL)
		return sqlite3_bind_null(stmt, idx);
	return sqlite3_bind_text(stmt, idx, s, -1, SQLITE_TRANSIENT);
}

int
store_bind_textn(sqlite3_stmt *stmt, int idx, const char *s, size_t len)
{
	if (s == NULL)
		return sqlite3_bind_null(stmt, idx);
	return sqlite3_bind_text64(
	    stmt, idx, s, len, SQLITE_TRANSIENT, SQLITE_UTF8);
}

int
store_step_done(struct store *st, sqlite3_stmt *stmt)
{
	int rc = sqlite3_step(stmt);

	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		log_warnx("store: %s", sqlite3_errmsg(st->db));
		return -1;
	}
	return 0;
}

static int
exec(struct store *st, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "%s", msg ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int
current_version(struct store *st)
{
	sqlite3_stmt *stmt;
	int v = 0;

	if (sqlite3_prepare_v2(st->db,
		"SELECT value FROM meta WHERE key = 'schema_version'", -1,
		&stmt, NULL) != SQLITE_OK)
		return 0; /* no meta table: an empty database */
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

static int
migrate(struct store *st, char *err, size_t errlen)
{
	int have, want = store_schema_version();
	char sql[128];

	if (exec(st, "BEGIN IMMEDIATE", err, errlen) == -1)
		return -1;
	have = current_version(st);
	if (have > want) {
		snprintf(err, errlen,
		    "database schema version %d is newer "
		    "than this build's %d",
		    have, want);
		goto fail;
	}
	for (int v = have; v < want; v++)
		if (exec(st, store_schema_sql[v], err, errlen) == -1)
			goto fail;
	snprintf(sql, sizeof(sql),
	    "INSERT OR REPLACE INTO meta (key, value) "
	    "VALUES ('schema_version', '%d')",
	    want);
	if (exec(st, sql, err, errlen) == -1 ||
	    exec(st, "COMMIT", err, errlen) == -1)
		goto fail;
	return 0;
fail:
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* Before SQLite's first use in the process: no allocation statistics
 * (they take a process-wide mutex on every malloc and free; nothing here
 * reads them). */
static void
sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

struct store *
store_open(const char *path, int flags, char *err, size_t errlen)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct store *st;
	int oflags;

	pthread_once(&once, sqlite_setup);
	if ((st = calloc(1, sizeof(*st))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	st->flags = flags;
	oflags = (flags & STORE_RDONLY) ? SQLITE_OPEN_READONLY :
					  SQLITE_OPEN_READWRITE |
		((flags & STORE_CREATE) ? SQLITE_OPEN_CREATE : 0);
	oflags |= SQLITE_OPEN_NOMUTEX;
	if (sqlite3_open_v2(path, &st->db, oflags, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path,
		    st->db ? sqlite3_errmsg(st->db) : "cannot open");
		goto fail;
	}
	sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
	sqlite3_extended_result_codes(st->db, 1);
	if (!(flags & STORE_RDONLY) &&
	    (exec(st, "PRAGMA journal_mode = WAL", err, errlen) == -1 ||
		exec(st, "PRAGMA synchronous = NORMAL", err, errlen) == -1 ||
		exec(st, "PRAGMA temp_store = MEMORY", err, errlen) == -1))
		goto fail;
	if (exec(st, "PRAGMA foreign_keys = ON", err, errlen) == -1)
		goto fail;
	if ((flags & STORE_CREATE) && migrate(st, err, errlen) == -1)
		goto fail;
	if (current_version(st) != store_schema_version()) {
		snprintf(err, errlen,
		    "%s: schema version %d, this build needs "
		    "%d (open once with the collector to migrate)",
		    path, current_version(st), store_schema_version());
		goto fail;
	}
	return st;
fail:
	store_close(st);
	return NULL;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	for (size_t i = 0; i < st->ncache; i++)
		sqlite3_finalize(st->cache[i].stmt);
	sqlite3_close(st->db);
	free(st->gev);
	free(st->gp);
	free(st->gmsg);
	free(st->dp);
	free(st);
}

const char *
store_errmsg(struct store *st)
{
	return sqlite3_errmsg(st->db);
}

void
store_set_group_hook(struct store *st, store_group_fn fn, void *arg)
{
	st->group_fn = fn;
	st->group_arg = arg;
	st->ngev = 0;
	st->gev_lost = 0;
}

/* Hand the remembered groups to the hook and forget them. */
static void
groups_flush(struct store *st)
{
	size_t n = st->ngev;
	uint64_t lost = st->gev_lost;

	st->ngev = 0;
	st->gev_lost = 0;
	if (st->group_fn != NULL && (n > 0 || lost > 0))
		st->group_fn(st->group_arg, st->gev, n, lost);
}

static void
groups_remember(struct store *st, const struct sc_alert *al, int64_t aid,
    int64_t gid, int flags, const char *src, const char *dst)
{
	struct store_group_event *e;

	if (st->group_fn == NULL)
		return;
	if (st->ngev == st->capgev) {
		size_t ncap = st->capgev ? st->capgev * 2 : 16;
		struct store_group_event *n;

		if (st->capgev >= STORE_GROUP_EVENTS_MAX ||
		    (n = realloc(st->gev, ncap * sizeof(*n))) == NULL) {
			st->gev_lost++;
			return;
		}
		st->gev = n;
		st->capgev = ncap;
	}
	e = &st->gev[st->ngev++];
	memset(e, 0, sizeof(*e));
	e->group_id = gid;
	e->alert_id = aid;
	e->ts_us = al->ts_us;
	e->flags = flags;
	e->severity = al->severity;
	e->gid = al->gid;
	e->sid = al->sid;
	e->rev = al->rev;
	memcpy(e->muni, al->muni, SC_MUNI_LEN);
	e->muni[SC_MUNI_LEN - 1] = '\0';
	snprintf(e->usecase, sizeof(e->usecase), "%s",
	    al->usecase ? al->usecase : "");
	snprintf(e->msg, sizeof(e->msg), "%s", al->msg ? al->msg : "");
	snprintf(e->src, sizeof(e->src), "%s", src);
	snprintf(e->dst, sizeof(e->dst), "%s", dst);
	/* outside a transaction the insert has already committed */
	if (sqlite3_get_autocommit(st->db))
		groups_flush(st);
}

static void gpend_clear(struct store *);
static int gpend_flush(struct store *);

int
store_begin(struct store *st)
{
	st->ngev = 0;
	st->gev_lost = 0;
	gpend_clear(st);
	return store_step_done(st, store_stmt(st, "BEGIN IMMEDIATE"));
}

int
store_commit(struct store *st)
{
	if (gpend_flush(st) == -1) {
		st->ngev = 0;
		st->gev_lost = 0;
		return -1;
	}
	if (store_step_done(st, store_stmt(st, "COMMIT")) == -1) {
		/* the caller rolls back; the groups did not happen */
		st->ngev = 0;
		st->gev_lost = 0;
		return -1;
	}
	groups_flush(st);
	return 0;
}

int
store_rollback(struct store *st)
{
	st->ngev = 0;
	st->gev_lost = 0;
	gpend_clear(st);
	return store_step_done(st, store_stmt(st, "ROLLBACK"));
}

static const char *
addr_text(int has, const struct addr *a, char *buf, size_t len)
{
	if (!has)
		return "";
	return addr_fmt(a, buf, len);
}

/*
 * Alert groups in a transaction.  The first alert of a group in the
 * transaction looks the group up (or creates it); the rest only add to its
 * entry here, and store_commit writes each touched group's row once
 * (count, first/last seen, severity, msg, last alert) instead of once per
 * alert.  The transaction holds the write lock, so nobody else changes the
 * rows meanwhile.  Outside a transaction the entry is written at once.
 */
#define GPEND_MIN 256
#define GPEND_MAX 65536 /* then the entries are written and forgotten */

static uint64_t
gpend_hash(uint32_t sid, uint32_t gid, const char *muni, const char *src,
    const char *dst)
{
	uint64_t h = 1469598103934665603ULL;
	const char *parts[3] = { muni, src, dst };

	h = (h ^ sid) * 1099511628211ULL;
	h = (h ^ gid) * 1099511628211ULL;
	for (int k = 0; k < 3; k++) {
		for (const char *p = parts[k];
		     p - parts[k] < (k == 0 ? SC_MUNI_LEN : ADDR_STRLEN) &&
		     *p != '\0';
		     p++)
			h = (h ^ (uint8_t)*p) * 1099511628211ULL;
		h = (h ^ 0xff) * 1099511628211ULL;
	}
	return h;
}

static void
gpend_clear(struct store *st)
{
	if (st->ngp > 0)
		memset(st->gp, 0, st->capgp * sizeof(*st->gp));
	st->ngp = 0;
	st->gmsg_used = 0;
	if (st->ndp > 0)
		memset(st->dp, 0, st->capdp * sizeof(*st->dp));
	st->ndp = 0;
}

/* The JST day of an alert time (as alert_days has it). */
static int64_t
alert_day(int64_t ts_us)
{
	int64_t s = ts_us / 1000000 + 32400;

	return s / 86400;
}

static uint64_t
dpend_hash(int64_t day, uint32_t gid, uint32_t sid, int sev, const char *muni)
{
	uint64_t h = 1469598103934665603ULL;

	h = (h ^ (uint64_t)day) * 1099511628211ULL;
	h = (h ^ gid) * 1099511628211ULL;
	h = (h ^ sid) * 1099511628211ULL;
	h = (h ^ (uint64_t)(unsigned)sev) * 1099511628211ULL;
	for (size_t i = 0; i < SC_MUNI_LEN && muni[i] != '\0'; i++)
		h = (h ^ (uint8_t)muni[i]) * 1099511628211ULL;
	return h;
}

static int
dpend_flush(struct store *st)
{
	int rc = 0;

	for (size_t i = 0; i < st->capdp && st->ndp > 0; i++) {
		struct store_dpend *e = &st->dp[i];
		sqlite3_stmt *s;

		if (!e->used)
			continue;
		s = store_stmt(st,
		    "INSERT INTO alert_days (day, muni, gid, sid, severity, n) "
		    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
		    "ON CONFLICT DO UPDATE SET n = n + excluded.n");
		if (s == NULL) {
			rc = -1;
			continue;
		}
		sqlite3_bind_int64(s, 1, e->day);
		store_bind_text(s, 2, e->muni);
		sqlite3_bind_int64(s, 3, e->gid);
		sqlite3_bind_int64(s, 4, e->sid);
		sqlite3_bind_int(s, 5, e->severity);
		sqlite3_bind_int64(s, 6, (sqlite3_int64)e->n);
		if (store_step_done(st, s) == -1)
			rc = -1;
	}
	if (st->ndp > 0)
		memset(st->dp, 0, st->capdp * sizeof(*st->dp));
	st->ndp = 0;
	return rc;
}

/* Count the alert for alert_days (written by store_commit). */
static int
dpend_add(struct store *st, const struct sc_alert *al)
{
	int64_t day = alert_day(al->ts_us);
	char muni[SC_MUNI_LEN];
	size_t i;

	memcpy(muni, al->muni, SC_MUNI_LEN);
	muni[SC_MUNI_LEN - 1] = '\0';
	if ((st->ndp + 1) * 2 > st->capdp) {
		size_t ncap = st->capdp ? st->capdp * 2 : GPEND_MIN;
		struct store_dpend *n;

		if (st->capdp >= GPEND_MAX) {
			if (dpend_flush(st) == -1)
				return -1;
		} else {
			if ((n = calloc(ncap, sizeof(*n))) == NULL)
				return -1;
			for (size_t j = 0; j < st->capdp; j++) {
				const struct store_dpend *e = &st->dp[j];

				if (!e->used)
					continue;
				i = dpend_hash(e->day, e->gid, e->sid,
					e->severity, e->muni) &
				    (ncap - 1);
				while (n[i].used)
					i = (i + 1) & (ncap - 1);
				n[i] = *e;
			}
			free(st->dp);
			st->dp = n;
			st->capdp = ncap;
		}
	}
	i = dpend_hash(day, al->gid, al->sid, al->severity, muni) &
	    (st->capdp - 1);
	while (st->dp[i].used) {
		struct store_dpend *e = &st->dp[i];

		if (e->day == day && e->gid == al->gid && e->sid == al->sid &&
		    e->severity == al->severity && strcmp(e->muni, muni) == 0) {
			e->n++;
			return 0;
		}
		i = (i + 1) & (st->capdp - 1);
	}
	st->dp[i].used = 1;
	st->dp[i].day = day;
	st->dp[i].gid = al->gid;
	st->dp[i].sid = al->sid;
	st->dp[i].severity = al->severity;
	memcpy(st->dp[i].muni, muni, SC_MUNI_LEN);
	st->dp[i].n = 1;
	st->ndp++;
	return 0;
}

/* Write the pending part of every touched group, and forget them. */
static int
gpend_flush(struct store *st)
{
	int rc = 0;

	for (size_t i = 0; i < st->capgp && st->ngp > 0; i++) {
		struct store_gpend *e = &st->gp[i];
		sqlite3_stmt *s;

		if (!e->used)
			continue;
		if (e->count > 0) {
			s = store_stmt(st,
			    "UPDATE alert_groups SET count = count + ?2, "
			    "last_seen = max(last_seen, ?3), "
			    "first_seen = min(first_seen, ?4), "
			    "severity = min(severity, ?5), msg = ?6 "
			    "WHERE id = ?1");
			if (s == NULL)
				rc = -1;
			else {
				sqlite3_bind_int64(s, 1, e->id);
				sqlite3_bind_int64(
				    s, 2, (sqlite3_int64)e->count);
				sqlite3_bind_int64(s, 3, e->last_us);
				sqlite3_bind_int64(s, 4, e->first_us);
				sqlite3_bind_int(s, 5, e->severity);
				store_bind_text(s, 6, st->gmsg + e->msg_off);
				if (store_step_done(st, s) == -1)
					rc = -1;
			}
		}
		if (e->last_alert_id != 0) {
			s = store_stmt(st,
			    "UPDATE alert_groups SET last_alert_id = ?2 "
			    "WHERE id = ?1 AND last_seen = ?3");
			if (s == NULL)
				rc = -1;
			else {
				sqlite3_bind_int64(s, 1, e->id);
				sqlite3_bind_int64(s, 2, e->last_alert_id);
				sqlite3_bind_int64(s, 3, e->last_alert_ts);
				if (store_step_done(st, s) == -1)
					rc = -1;
			}
		}
	}
	if (st->ngp > 0)
		memset(st->gp, 0, st->capgp * sizeof(*st->gp));
	st->ngp = 0;
	st->gmsg_used = 0;
	if (dpend_flush(st) == -1)
		rc = -1;
	return rc;
}

static int
gpend_grow(struct store *st)
{
	size_t ncap = st->capgp ? st->capgp * 2 : GPEND_MIN;
	struct store_gpend *n;

	if ((n = calloc(ncap, sizeof(*n))) == NULL)
		return -1;
	for (size_t j = 0; j < st->capgp; j++) {
		const struct store_gpend *e = &st->gp[j];
		size_t i;

		if (!e->used)
			continue;
		i = gpend_hash(e->sid, e->gid, e->muni, e->src, e->dst) &
		    (ncap - 1);
		while (n[i].used)
			i = (i + 1) & (ncap - 1);
		n[i] = *e;
	}
	free(st->gp);
	st->gp = n;
	st->capgp = ncap;
	return 0;
}

/* The pending entry of the group, or NULL with *slot where it goes. */
static struct store_gpend *
gpend_find(struct store *st, const struct sc_alert *al, const char *src,
    const char *dst, struct store_gpend **slot)
{
	size_t i =
	    gpend_hash(al->sid, al->gid, al->muni, src, dst) & (st->capgp - 1);

	while (st->gp[i].used) {
		struct store_gpend *e = &st->gp[i];

		if (e->sid == al->sid && e->gid == al->gid &&
		    strncmp(e->muni, al->muni, SC_MUNI_LEN) == 0 &&
		    strcmp(e->src, src) == 0 && strcmp(e->dst, dst) == 0)
			return e;
		i = (i + 1) & (st->capgp - 1);
	}
	*slot = &st->gp[i];
	return NULL;
}

/* Keep msg for the group's row; 0 or -1. */
static int
gpend_msg(struct store *st, struct store_gpend *e, const char *msg)
{
	size_t n = strlen(msg) + 1;

	if (e->msg_off != SIZE_MAX && e->msg_off < st->gmsg_used &&
	    strcmp(st->gmsg + e->msg_off, msg) == 0)
		return 0; /* the same text (a rule's msg): keep it */
	if (st->gmsg_cap - st->gmsg_used < n) {
		size_t ncap = st->gmsg_cap ? st->gmsg_cap : 4096;
		char *p;

		while (ncap - st->gmsg_used < n)
			ncap *= 2;
		if ((p = realloc(st->gmsg, ncap)) == NULL)
			return -1;
		st->gmsg = p;
		st->gmsg_cap = ncap;
	}
	memcpy(st->gmsg + st->gmsg_used, msg, n);
	e->msg_off = st->gmsg_used;
	st->gmsg_used += n;
	return 0;
}

/*
 * The group of the alert, looked up or created; *e gets its pending entry.
 * *created: this alert created it (its row already counts the alert).
 */
static int
group_get(struct store *st, const struct sc_alert *al, const char *src,
    const char *dst, struct store_gpend **ep, int *created, int *was_closed)
{
	struct store_gpend *e, *slot = NULL;
	sqlite3_stmt *s;
	int64_t id;
	int rc;

	*created = 0;
	*was_closed = 0;
	if ((st->ngp + 1) * 2 > st->capgp) {
		if (st->capgp >= GPEND_MAX && gpend_flush(st) == -1)
			return -1;
		if ((st->ngp + 1) * 2 > st->capgp && gpend_grow(st) == -1)
			return -1;
	}
	if ((e = gpend_find(st, al, src, dst, &slot)) != NULL) {
		*ep = e;
		return 0;
	}
	s = store_stmt(st,
	    "SELECT g.id, t.status FROM alert_groups g "
	    "LEFT JOIN triage t ON t.group_id = g.id "
	    "WHERE g.sid = ?1 AND g.gid = ?2 AND g.muni = ?3 AND g.src = ?4 "
	    "AND g.dst = ?5");
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, al->sid);
	sqlite3_bind_int64(s, 2, al->gid);
	store_bind_text(s, 3, al->muni);
	store_bind_text(s, 4, src);
	store_bind_text(s, 5, dst);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const unsigned char *status = sqlite3_column_text(s, 1);

		id = sqlite3_column_int64(s, 0);
		*was_closed = status != NULL &&
		    strcmp((const char *)status, "closed") == 0;
		sqlite3_reset(s);
	} else {
		sqlite3_reset(s);
		if (rc != SQLITE_DONE) {
			log_warnx(
			    "store: group lookup: %s", sqlite3_errmsg(st->db));
			return -1;
		}
		s = store_stmt(st,
		    "INSERT INTO alert_groups (gid, sid, muni, src, dst, "
		    "msg, severity, origin, usecase, guideline, classtype, "
		    "tier, count, first_seen, last_seen) VALUES (?1, ?2, ?3, "
		    "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 1, ?13, ?13)");
		if (s == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, al->gid);
		sqlite3_bind_int64(s, 2, al->sid);
		store_bind_text(s, 3, al->muni);
		store_bind_text(s, 4, src);
		store_bind_text(s, 5, dst);
		store_bind_text(s, 6, al->msg ? al->msg : "");
		sqlite3_bind_int(s, 7, al->severity);
		store_bind_text(s, 8, sc_origin_name(al->origin));
		store_bind_text(s, 9, al->usecase);
		store_bind_text(s, 10, al->guideline);
		store_bind_text(s, 11, al->classtype);
		store_bind_text(s, 12, sc_tier_name(al->tier));
		sqlite3_bind_int64(s, 13, al->ts_us);
		if (store_step_done(st, s) == -1)
			return -1;
		id = sqlite3_last_insert_rowid(st->db);
		*created = 1;
	}
	e = slot;
	memset(e, 0, sizeof(*e));
	e->used = 1;
	e->sid = al->sid;
	e->gid = al->gid;
	memcpy(e->muni, al->muni, SC_MUNI_LEN);
	e->muni[SC_MUNI_LEN - 1] = '\0';
	snprintf(e->src, sizeof(e->src), "%s", src);
	snprintf(e->dst, sizeof(e->dst), "%s", dst);
	e->id = id;
	e->first_us = INT64_MAX;
	e->last_us = INT64_MIN;
	e->severity = al->severity;
	e->msg_off = SIZE_MAX;
	e->last_alert_ts = INT64_MIN;
	st->ngp++;
	*ep = e;
	return 0;
}

/* Fold alert aid into its group's pending entry. */
static int
group_add(struct store *st, struct store_gpend *e, const struct sc_alert *al,
    int64_t aid, int created)
{
	if (!created) {
		e->count++;
		if (al->ts_us < e->first_us)
			e->first_us = al->ts_us;
		if (al->ts_us > e->last_us)
			e->last_us = al->ts_us;
		if (al->severity < e->severity)
			e->severity = al->severity;
		if (gpend_msg(st, e, al->msg ? al->msg : "") == -1)
			return -1;
	}
	if (al->ts_us >= e->last_alert_ts) {
		e->last_alert_ts = al->ts_us;
		e->last_alert_id = aid;
	}
	return 0;
}

static int
triage_touch(
    struct store *st, int64_t group_id, int64_t ts, int created, int was_closed)
{
	sqlite3_stmt *s;

	if (created) {
		s = store_stmt(st,
		    "INSERT INTO triage (group_id, status, "
		    "updated) VALUES (?1, 'new', ?2)");
	} else if (was_closed) {
		/* A closed group that fires again needs a new look. */
		s = store_stmt(st,
		    "UPDATE triage SET status = 'new', "
		    "close_reason = NULL, closed_at = NULL, updated = ?2, "
		    "updated_by = NULL WHERE group_id = ?1");
	} else {
		return 0;
	}
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, group_id);
	sqlite3_bind_int64(s, 2, ts);
	if (store_step_done(st, s) == -1)
		return -1;
	if (!was_closed)
		return 0;
	s = store_stmt(st,
	    "INSERT INTO triage_history (group_id, ts, user, "
	    "action, from_status, to_status, note) VALUES (?1, ?2, NULL, "
	    "'reopen', 'closed', 'new', 'fired again after closure')");
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, group_id);
	sqlite3_bind_int64(s, 2, ts);
	return store_step_done(st, s);
}

int
store_alert_insert(struct store *st, const struct sc_alert *al,
    int64_t *alert_id, int64_t *group_id)
{
	return store_alert_insert_ex(st, al, alert_id, group_id, NULL);
}

int
store_alert_insert_ex(struct store *st, const struct sc_alert *al,
    int64_t *alert_id, int64_t *group_id, int *group_flags)
{
	char src[ADDR_STRLEN], dst[ADDR_STRLEN];
	const char *srcs, *dsts;
	struct store_gpend *e;
	int64_t gid, aid;
	int created, was_closed;
	sqlite3_stmt *s;

	srcs = addr_text(al->has_src, &al->src, src, sizeof(src));
	dsts = addr_text(al->has_dst, &al->dst, dst, sizeof(dst));
	if (group_get(st, al, srcs, dsts, &e, &created, &was_closed) == -1)
		return -1;
	gid = e->id;
	s = store_stmt(st,
	    "INSERT INTO alerts (group_id, ts, event_ts, origin, "
	    "gid, sid, rev, severity, muni, tier, src, sport, dst, dport, "
	    "ipproto, app_proto, sensor, source_id, archive_segment, "
	    "archive_record, evidence, extra) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	    "?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, "
	    "?21, ?22)");
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, gid);
	sqlite3_bind_int64(s, 2, al->ts_us);
	if (al->event_ts_us != 0)
		sqlite3_bind_int64(s, 3, al->event_ts_us);
	store_bind_text(s, 4, sc_origin_name(al->origin));
	sqlite3_bind_int64(s, 5, al->gid);
	sqlite3_bind_int64(s, 6, al->sid);
	sqlite3_bind_int64(s, 7, al->rev);
	sqlite3_bind_int(s, 8, al->severity);
	store_bind_text(s, 9, al->muni);
	store_bind_text(s, 10, sc_tier_name(al->tier));
	store_bind_text(s, 11, srcs);
	if (al->has_src && al->sport != 0)
		sqlite3_bind_int(s, 12, al->sport);
	store_bind_text(s, 13, dsts);
	if (al->has_dst && al->dport != 0)
		sqlite3_bind_int(s, 14, al->dport);
	if (al->ipproto != 0)
		sqlite3_bind_int(s, 15, al->ipproto);
	store_bind_text(s, 16, al->app_proto);
	store_bind_text(s, 17, al->sensor);
	if (al->source_id != 0)
		sqlite3_bind_int64(s, 18, al->source_id);
	if (al->archive.segment != 0) {
		sqlite3_bind_int64(s, 19, (sqlite3_int64)al->archive.segment);
		sqlite3_bind_int64(s, 20, (sqlite3_int64)al->archive.record);
	}
	if (al->evidence != NULL)
		sqlite3_bind_blob64(
		    s, 21, al->evidence, al->evidence_len, SQLITE_TRANSIENT);
	store_bind_text(s, 22, al->extra_json);
	if (store_step_done(st, s) == -1)
		return -1;
	aid = sqlite3_last_insert_rowid(st->db);
	if (group_add(st, e, al, aid, created) == -1 ||
	    dpend_add(st, al) == -1 ||
	    triage_touch(st, gid, al->ts_us, created, was_closed) == -1)
		return -1;
	/* outside a transaction every statement has committed: so does
	 * the group's row */
	if (sqlite3_get_autocommit(st->db) && gpend_flush(st) == -1)
		return -1;
	if (group_flags != NULL)
		*group_flags = created ? STORE_GROUP_NEW :
		    was_closed	       ? STORE_GROUP_REOPENED :
					 0;
	if (created || was_closed)
		groups_remember(st, al, aid, gid,
		    created ? STORE_GROUP_NEW : STORE_GROUP_REOPENED, srcs,
		    dsts);
	if (alert_id != NULL)
		*alert_id = aid;
	if (group_id != NULL)
		*group_id = gid;
	return 0;
}

int
store_audit(struct store *st, int64_t ts_us, const char *user, const char *addr,
    const char *action, const char *target, const char *detail,
    const char *result)
{
	sqlite3_stmt *s = store_stmt(st,
	    "INSERT INTO audit_log (ts, user, "
	    "addr, action, target, detail, result) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6, ?7)");

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, ts_us);
	store_bind_text(s, 2, user);
	store_bind_text(s, 3, addr);
	store_bind_text(s, 4, action);
	store_bind_text(s, 5, target);
	store_bind_text(s, 6, detail);
	store_bind_text(s, 7, result);
	return store_step_done(st, s);
}

int
store_change(struct store *st, int64_t ts_us, const char *user,
    const char *kind, const char *what, const char *sha256, const char *detail)
{
	sqlite3_stmt *s = store_stmt(st,
	    "INSERT INTO changes (ts, user, kind, "
	    "what, sha256, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, ts_us);
	store_bind_text(s, 2, user);
	store_bind_text(s, 3, kind);
	store_bind_text(s, 4, what);
	store_bind_text(s, 5, sha256);
	store_bind_text(s, 6, detail);
	return store_step_done(st, s);
}
