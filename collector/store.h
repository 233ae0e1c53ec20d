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

/* What store_alert_insert_ex reports about the alert's group. */
#define STORE_GROUP_NEW 0x01 /* the alert created its group */
#define STORE_GROUP_REOPENED 0x02 /* the group was closed and is new again */

/* store_alert_insert, and *group_flags (may be NULL) set to
 * STORE_GROUP_NEW, STORE_GROUP_REOPENED or 0. */
int store_alert_insert_ex(struct store *, const struct sc_alert *,
    int64_t *alert_id, int64_t *group_id, int *group_flags);

/*
 * The groups a transaction created or reopened, handed over once it has
 * committed (notifications go out for committed alerts only, one per group
 * however many alerts the batch folded into it).  With a hook set, every
 * store_alert_insert* that creates or reopens a group remembers a copy of
 * the alert's summary; store_commit calls fn with them after COMMIT
 * succeeded, store_rollback (and a failed commit) forgets them.  An insert
 * outside a transaction calls fn at once.  At most STORE_GROUP_EVENTS_MAX
 * are kept per transaction; the rest are counted in `lost`.  fn runs on
 * the store's thread and must not block.  fn NULL removes the hook.
 */
#define STORE_GROUP_EVENTS_MAX 4096

struct store_group_event {
	int64_t group_id, alert_id;
	int64_t ts_us; /* the alert's time (detection) */
	int flags; /* STORE_GROUP_NEW or STORE_GROUP_REOPENED */
	int severity;
	uint32_t gid, sid, rev;
	char muni[SC_MUNI_LEN];
	char usecase[32];
	char msg[256];
	char src[48], dst[48];
};

typedef void (*store_group_fn)(
    void *arg, const struct store_group_event *ev, size_t n, uint64_t lost);
void store_set_group_hook(struct store *, store_group_fn fn, void *arg);

/* Append to the audit log (who did what to what, and the result). */
int store_audit(struct store *, int64_t ts_us, const char *user,
    const char *addr, const char *action, const char *target,
    const char *detail, const char *result);

/* Record a change of rules, policy or configuration (audit evidence). */
int store_change(struct store *, int64_t ts_us, const char *user,
    const char *kind, const char *what, const char *sha256, const char *detail);

#endif
