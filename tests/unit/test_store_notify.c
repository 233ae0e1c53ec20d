/*
 * test_store_notify.c — the notification log in the store: a row is
 * queued, gets its result, and takes the 団体's acknowledgement only from
 * that 団体 and only once; the store sink (policies/notify_store.c) turns
 * a notifier record into such a row, also from another thread.
 */
#include "config.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/store_int.h"
#include "collector/store_notify.h"
#include "policies/policy.h"
#include "tests/tap.h"

static struct store *st;

/* One column of notification id as text ("NULL" for NULL). */
static const char *
field(int64_t id, const char *colname, char *out, size_t len)
{
	char sql[256];
	sqlite3_stmt *s;

	snprintf(sql, sizeof(sql),
	    "SELECT coalesce(CAST(%s AS TEXT), 'NULL') FROM notifications "
	    "WHERE id = %lld",
	    colname, (long long)id);
	snprintf(out, len, "(no row)");
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return out;
	if (sqlite3_step(s) == SQLITE_ROW)
		snprintf(out, len, "%s", sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return out;
}

struct thr {
	struct notify_sink sink;
	struct notify_record rec;
};

static void *
thread_record(void *arg)
{
	struct thr *t = arg;

	t->sink.record(t->sink.arg, &t->rec);
	return NULL;
}

int
main(void)
{
	char dir[] = "/tmp/test_store_notify.XXXXXX", path[256], err[256];
	char f[256];
	struct store_notification n;
	struct notify_store *ns;
	struct notify_record rec;
	struct notify_sink sink;
	uint64_t written = 0, failed = 0;
	int64_t id = 0, id2 = 0;
	struct thr t;
	pthread_t th;

	ok(mkdtemp(dir) != NULL, "temp dir");
	snprintf(path, sizeof(path), "%s/seccloud.db", dir);
	ok(notify_store_open(path, err, sizeof(err)) == NULL,
	    "the sink needs an existing store");
	st = store_open(path, STORE_CREATE, err, sizeof(err));
	ok(st != NULL, "create: %s", st ? "ok" : err);
	if (st == NULL)
		return done_testing();

	memset(&n, 0, sizeof(n));
	n.group_id = 42;
	n.muni = "242012";
	n.severity = 1;
	n.channel = "webhook";
	n.target = "https://a.example/hook";
	n.summary = "S1 GL-SEP-01 '; DROP TABLE notifications; --";
	n.created_us = 1000;
	ok(store_notify_insert(st, &n, &id) == 0 && id > 0, "queued");
	is_str(field(id, "attempts", f, sizeof(f)), "0", "no attempt yet");
	is_str(field(id, "sent", f, sizeof(f)), "NULL", "not sent");
	is_str(field(id, "result", f, sizeof(f)), "NULL", "no result");
	is_str(field(id, "alert_id", f, sizeof(f)), "NULL", "no alert id");
	is_str(field(id, "summary", f, sizeof(f)), n.summary,
	    "summary stored as data");

	is_int(store_notify_result(st, id, 0, 1, "failed: 503"), 0,
	    "first attempt failed");
	is_str(field(id, "result", f, sizeof(f)), "failed: 503", "result");
	is_str(field(id, "sent", f, sizeof(f)), "NULL", "still not sent");
	is_int(store_notify_result(st, id, 5000, 2, "ok"), 0, "then sent");
	is_str(field(id, "sent", f, sizeof(f)), "5000", "sent time");
	is_str(field(id, "attempts", f, sizeof(f)), "2", "attempts");
	is_str(field(id, "result", f, sizeof(f)), "ok", "ok");
	is_int(store_notify_result(st, id + 100, 1, 1, "ok"), 1,
	    "result of an unknown notification: 1");

	is_int(store_notify_ack(st, id, "242021", 6000, "other"), 1,
	    "another 団体 cannot acknowledge");
	is_str(field(id, "acknowledged", f, sizeof(f)), "NULL",
	    "not acknowledged");
	is_int(store_notify_ack(st, id, "242012", 7000, "tanaka"), 0,
	    "the 団体 acknowledges");
	is_str(field(id, "acknowledged", f, sizeof(f)), "7000", "ack time");
	is_str(field(id, "acknowledged_by", f, sizeof(f)), "tanaka", "by");
	is_int(store_notify_ack(st, id, "242012", 8000, "suzuki"), 1,
	    "a second acknowledgement is refused");
	is_str(field(id, "acknowledged_by", f, sizeof(f)), "tanaka",
	    "the first one stands");

	/* the sink */
	ns = notify_store_open(path, err, sizeof(err));
	ok(ns != NULL, "sink opened: %s", ns ? "ok" : err);
	if (ns != NULL) {
		sink = notify_store_sink(ns);
		memset(&rec, 0, sizeof(rec));
		rec.id = 9;
		rec.group_id = 77;
		rec.alert_id = 78;
		memcpy(rec.muni, "242012", 7);
		rec.severity = 2;
		rec.channel = POLICY_CH_SYSLOG;
		snprintf(rec.target, sizeof(rec.target), "udp://127.0.0.1:514");
		snprintf(rec.summary, sizeof(rec.summary), "S2 test");
		rec.created_us = 100;
		rec.sent_us = 0;
		rec.attempts = 0;
		snprintf(rec.result, sizeof(rec.result), "dropped: queue full");
		sink.record(sink.arg, &rec);
		id2 = id + 1;
		is_str(field(id2, "channel", f, sizeof(f)), "syslog",
		    "sink row: channel");
		is_str(field(id2, "result", f, sizeof(f)),
		    "dropped: queue full", "sink row: result");
		is_str(field(id2, "sent", f, sizeof(f)), "NULL", "not sent");
		is_str(field(id2, "alert_id", f, sizeof(f)), "78", "alert id");
		is_str(field(id2, "muni", f, sizeof(f)), "242012", "muni");

		t.sink = sink;
		t.rec = rec;
		t.rec.channel = POLICY_CH_WEBHOOK;
		t.rec.sent_us = 300;
		t.rec.attempts = 3;
		t.rec.acked_us = 400;
		snprintf(t.rec.acked_by, sizeof(t.rec.acked_by), "sato");
		snprintf(t.rec.result, sizeof(t.rec.result), "ok");
		ok(pthread_create(&th, NULL, thread_record, &t) == 0 &&
			pthread_join(th, NULL) == 0,
		    "record from the notifier's thread");
		is_str(field(id2 + 1, "channel", f, sizeof(f)), "webhook",
		    "thread row: channel");
		is_str(field(id2 + 1, "attempts", f, sizeof(f)), "3",
		    "thread row: attempts");
		is_str(field(id2 + 1, "acknowledged_by", f, sizeof(f)), "sato",
		    "thread row: acknowledgement carried over");
		notify_store_counts(ns, &written, &failed);
		ok(written == 2 && failed == 0, "2 written, 0 lost");
		notify_store_close(ns);
	}
	notify_store_close(NULL);
	store_close(st);
	unlink(path);
	snprintf(path, sizeof(path), "%s/seccloud.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/seccloud.db-shm", dir);
	unlink(path);
	rmdir(dir);
	return done_testing();
}
