/*
 * store_int.h — what the store's files share.  Only collector/store*.c
 * include this (and sqlite3.h).
 */
#ifndef SC_STORE_INT_H
#define SC_STORE_INT_H

#include <sqlite3.h>

#include "collector/store.h"

#define STORE_STMT_CACHE 128
#define STORE_BUSY_MS 5000

struct store_stmt_slot {
	const char *sql; /* static SQL text: the cache key (pointer) */
	sqlite3_stmt *stmt;
};

/*
 * An alert group the open transaction touched (store.c): its id and what
 * the transaction's alerts add to its row, written once per group by
 * store_commit instead of once per alert.
 */
struct store_gpend {
	int used;
	uint32_t gid, sid;
	char muni[SC_MUNI_LEN];
	char src[ADDR_STRLEN], dst[ADDR_STRLEN];
	int64_t id;
	uint64_t count; /* alerts not yet in the row's count */
	int64_t first_us, last_us; /* of those */
	int severity; /* their lowest */
	size_t msg_off; /* their last msg, in gmsg; SIZE_MAX none */
	int64_t last_alert_id, last_alert_ts; /* of the latest alert */
};

/* Alerts of the open transaction per (JST day, 団体, rule, severity): what
 * store_commit adds to alert_days (store.c). */
struct store_dpend {
	int used;
	int64_t day;
	uint32_t gid, sid;
	int severity;
	char muni[SC_MUNI_LEN];
	uint64_t n;
};

struct store {
	sqlite3 *db;
	int flags;
	struct store_stmt_slot cache[STORE_STMT_CACHE];
	size_t ncache;
	/* store_set_group_hook: the open transaction's new groups */
	store_group_fn group_fn;
	void *group_arg;
	struct store_group_event *gev;
	size_t ngev, capgev;
	uint64_t gev_lost;
	/* the open transaction's alert groups (hash table, open addressing) */
	struct store_gpend *gp;
	size_t ngp, capgp;
	char *gmsg; /* their messages */
	size_t gmsg_used, gmsg_cap;
	/* and their alert_days counts */
	struct store_dpend *dp;
	size_t ndp, capdp;
};

/*
 * A prepared statement for a static SQL string, reset and with bindings
 * cleared, cached for the life of the store.  NULL on a prepare error
 * (logged).  Pass string literals or other storage that outlives the store:
 * the pointer is the key.
 */
sqlite3_stmt *store_stmt(struct store *, const char *sql);
/* Bind helpers that treat NULL as SQL NULL. */
int store_bind_text(sqlite3_stmt *, int idx, const char *);
int store_bind_textn(sqlite3_stmt *, int idx, const char *, size_t len);
/* Run a statement that returns no rows; 0 or -1 (logged). */
int store_step_done(struct store *, sqlite3_stmt *);

extern const char *const store_schema_sql[];

#endif
