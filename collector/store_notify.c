/*
 * store_notify.c — writes of the notification log (store_notify.h).
 */
#include "config.h"

#include "collector/store_int.h"
#include "collector/store_notify.h"

static void
bind_id(sqlite3_stmt *s, int idx, int64_t id)
{
	if (id != 0)
		sqlite3_bind_int64(s, idx, id);
	else
		sqlite3_bind_null(s, idx);
}

int
store_notify_insert(
    struct store *st, const struct store_notification *n, int64_t *id)
{
	sqlite3_stmt *s = store_stmt(st,
	    "INSERT INTO notifications (group_id, alert_id, muni, severity, "
	    "channel, target, summary, created, attempts) VALUES (?1, ?2, ?3, "
	    "?4, ?5, ?6, ?7, ?8, 0)");

	if (s == NULL)
		return -1;
	bind_id(s, 1, n->group_id);
	bind_id(s, 2, n->alert_id);
	store_bind_text(s, 3, n->muni ? n->muni : "");
	sqlite3_bind_int(s, 4, n->severity);
	store_bind_text(s, 5, n->channel ? n->channel : "");
	store_bind_text(s, 6, n->target ? n->target : "");
	store_bind_text(s, 7, n->summary);
	sqlite3_bind_int64(s, 8, n->created_us);
	if (store_step_done(st, s) == -1)
		return -1;
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int
store_notify_result(struct store *st, int64_t id, int64_t sent_us, int attempts,
    const char *result)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE notifications SET sent = ?2, attempts = ?3, result = ?4 "
	    "WHERE id = ?1");

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	bind_id(s, 2, sent_us);
	sqlite3_bind_int(s, 3, attempts);
	store_bind_text(s, 4, result);
	if (store_step_done(st, s) == -1)
		return -1;
	return sqlite3_changes(st->db) == 1 ? 0 : 1;
}

int
store_notify_ack(struct store *st, int64_t id, const char *muni,
    int64_t when_us, const char *by)
{
	sqlite3_stmt *s = store_stmt(st,
	    "UPDATE notifications SET acknowledged = ?3, acknowledged_by = ?4 "
	    "WHERE id = ?1 AND muni = ?2 AND acknowledged IS NULL");

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, muni ? muni : "");
	sqlite3_bind_int64(s, 3, when_us);
	store_bind_text(s, 4, by);
	if (store_step_done(st, s) == -1)
		return -1;
	return sqlite3_changes(st->db) == 1 ? 0 : 1;
}
