/*
 * store.h — the SQLite store: alerts and their groups, triage, sources and
 * their health, counters, users, sessions, the audit log, notifications and
 * the change history.  The code under collector/store*.c is the only code
 * that includes sqlite3.h or knows the schema (store_schema.c).
 *
 * One process writes alerts and source health (the collector's writer
 * thread); the web process writes triage, comments, users, sessions and the
 * audit log.  SQLite in WAL mode lets both read while one writes; every
 * writer sets a busy timeout.  A struct store belongs to one thread.
 *
 * Triage decisions live apart from alert data (table triage, keyed by the
 * group), so re-processing alerts never overwrites them.
 */
#ifndef SC_STORE_H
#define SC_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "common/event.h"

struct store;

#define STORE_RDONLY 0x01 /* open read-only (web pages, reports) */
#define STORE_CREATE 0x02 /* create the file and schema if missing */

/*
 * Open the database at path.  With STORE_CREATE the schema is created or
 * migrated to the current version.  Returns NULL with a reason in err.
 */
struct store *store_open(const char *path, int flags, char *err, size_t errlen);
void store_close(struct store *);
const char *store_errmsg(struct store *);

/* Batched transactions: BEGIN IMMEDIATE / COMMIT / ROLLBACK. 0 or -1. */
int store_begin(struct store *);
int store_commit(struct store *);
int store_rollback(struct store *);

/* The schema version this build writes (table meta, key schema_version). */
int store_schema_version(void);

/*
 * Record one alert: insert it into alerts and fold it into its group
 * (sid, gid, 団体, src, dst) — count, first and last seen.  A new group gets
 * a triage row in state "new"; a group that was closed and fires again is
 * reopened as "new" with a history entry.  Call inside store_begin/commit
 * for batches.  Returns 0 and the ids (either pointer may be NULL), or -1.
 */
int store_alert_insert(struct store *, const struct sc_alert *,
    int64_t *alert_id, int64_t *group_id);

/* Append to the audit log (who did what to what, and the result). */
int store_audit(struct store *, int64_t ts_us, const char *user,
    const char *addr, const char *action, const char *target,
    const char *detail, const char *result);

/* Record a change of rules, policy or configuration (audit evidence). */
int store_change(struct store *, int64_t ts_us, const char *user,
    const char *kind, const char *what, const char *sha256, const char *detail);

#endif
