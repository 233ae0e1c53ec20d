/*
 * store_notify.h — the notification log in the store (table
 * notifications): a row per notification, queued, then its result (sent
 * time, attempts, "ok" / "failed: ..." / "dropped: ..."), then the
 * 団体's acknowledgement.  The SLA section of the monthly report reads it
 * back (store_report.h).
 */
#ifndef SC_STORE_NOTIFY_H
#define SC_STORE_NOTIFY_H

#include <stdint.h>

struct store;

struct store_notification {
	int64_t group_id, alert_id; /* 0: none */
	const char *muni; /* 6-digit 団体コード, or NULL/"" */
	int severity; /* 1..5 */
	const char *channel; /* "webhook", "syslog" */
	const char *target; /* URL, host:port */
	const char *summary;
	int64_t created_us; /* queued */
};

/* Insert a queued notification; 0 and its row id in *id (may be NULL),
 * or -1 (logged). */
int store_notify_insert(
    struct store *, const struct store_notification *, int64_t *id);

/* Record the outcome of notification id: sent_us 0 when it was not
 * delivered.  0, 1 if there is no such row, or -1 (logged). */
int store_notify_result(struct store *, int64_t id, int64_t sent_us,
    int attempts, const char *result);

/* Record the acknowledgement of notification id by user `by` of 団体
 * muni.  Only a notification of that 団体 that is not yet acknowledged is
 * changed: 0 done, 1 no such notification of that 団体 (or already
 * acknowledged; the first acknowledgement stands), -1 error (logged). */
int store_notify_ack(struct store *, int64_t id, const char *muni,
    int64_t when_us, const char *by);

#endif
