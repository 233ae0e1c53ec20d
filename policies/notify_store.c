/*
 * notify_store.c — a notify_sink that keeps the notification log in the
 * store's notifications table (collector/store_notify.h), for the SLA
 * section of the monthly report.  The notifier hands over one record per
 * notification, when it is final: the row is inserted as queued and given
 * its result (and an acknowledgement, if the record already carries one)
 * in one transaction.
 */
#include "config.h"

#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "collector/store.h"
#include "collector/store_notify.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "policies/policy.h"

#define WRITE_TRIES 6 /* more attempts, each up to the busy timeout */

struct notify_store {
	pthread_mutex_t mu;
	struct store *st;
	uint64_t written, failed;
	struct ratelim rl;
};

struct notify_store *
notify_store_open(const char *path, char *err, size_t errlen)
{
	struct notify_store *ns;
	struct store *st;

	if ((st = store_open(path, 0, err, errlen)) == NULL)
		return NULL;
	ns = xcalloc(1, sizeof(*ns));
	pthread_mutex_init(&ns->mu, NULL);
	ns->st = st;
	ns->rl.interval = 10;
	return ns;
}

void
notify_store_close(struct notify_store *ns)
{
	if (ns == NULL)
		return;
	store_close(ns->st);
	pthread_mutex_destroy(&ns->mu);
	free(ns);
}

static const char *
channel_name(enum policy_channel ch)
{
	switch (ch) {
	case POLICY_CH_WEBHOOK:
		return "webhook";
	case POLICY_CH_SYSLOG:
		return "syslog";
	}
	return "unknown";
}

static int
write_record(struct store *st, const struct notify_record *r)
{
	struct store_notification n = {
		.group_id = r->group_id,
		.alert_id = r->alert_id,
		.muni = r->muni,
		.severity = r->severity,
		.channel = channel_name(r->channel),
		.target = r->target,
		.summary = r->summary,
		.created_us = r->created_us,
	};
	int64_t id;

	if (store_begin(st) == -1)
		return -1;
	if (store_notify_insert(st, &n, &id) == -1 ||
	    store_notify_result(st, id, r->sent_us, r->attempts, r->result) !=
		0 ||
	    (r->acked_us != 0 &&
		store_notify_ack(st, id, r->muni, r->acked_us, r->acked_by) !=
		    0) ||
	    store_commit(st) == -1) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

static void
store_record(void *arg, const struct notify_record *r)
{
	struct notify_store *ns = arg;

	int rc, i;

	pthread_mutex_lock(&ns->mu);
	/* The collector's writer may hold the store's write lock longer than
	 * one busy timeout (a batch of thousands of alerts on a slow box):
	 * try again a few times before the record is lost.  Only the
	 * notifier's thread waits. */
	for (i = 0; (rc = write_record(ns->st, r)) != 0 && i < WRITE_TRIES; i++)
		poll(NULL, 0, 100);
	if (rc == 0) {
		ns->written++;
	} else {
		ns->failed++;
		if (ratelim_ok(&ns->rl, NULL))
			log_warnx("notify: notification %llu to %s not "
				  "logged in the store (%llu lost so far)",
			    (unsigned long long)r->id, r->target,
			    (unsigned long long)ns->failed);
	}
	pthread_mutex_unlock(&ns->mu);
}

struct notify_sink
notify_store_sink(struct notify_store *ns)
{
	struct notify_sink s = { store_record, ns };

	return s;
}

void
notify_store_counts(
    struct notify_store *ns, uint64_t *written, uint64_t *failed)
{
	pthread_mutex_lock(&ns->mu);
	if (written != NULL)
		*written = ns->written;
	if (failed != NULL)
		*failed = ns->failed;
	pthread_mutex_unlock(&ns->mu);
}
