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
