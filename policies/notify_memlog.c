/*
 * notify_memlog.c — the notification log kept in memory: a bounded ring
 * of records behind a mutex.  It stands in for the store's notifications
 * table until the collector writes there, and serves the tests.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "policies/policy.h"

struct notify_memlog {
	pthread_mutex_t mu;
	struct notify_record *ring;
	size_t max, start, n;
};

struct notify_memlog *
notify_memlog_new(size_t max)
{
	struct notify_memlog *m = xcalloc(1, sizeof(*m));

	pthread_mutex_init(&m->mu, NULL);
	m->max = max ? max : 1;
	m->ring = xcalloc(m->max, sizeof(*m->ring));
	return m;
}

void
notify_memlog_free(struct notify_memlog *m)
{
	if (m == NULL)
		return;
	pthread_mutex_destroy(&m->mu);
	free(m->ring);
	free(m);
}

static void
memlog_record(void *arg, const struct notify_record *r)
{
	struct notify_memlog *m = arg;

	pthread_mutex_lock(&m->mu);
	if (m->n == m->max) {
		m->ring[m->start] = *r;
		m->start = (m->start + 1) % m->max;
	} else {
		m->ring[(m->start + m->n) % m->max] = *r;
		m->n++;
	}
	pthread_mutex_unlock(&m->mu);
}

struct notify_sink
notify_memlog_sink(struct notify_memlog *m)
{
	struct notify_sink s = { memlog_record, m };

	return s;
}

size_t
notify_memlog_count(struct notify_memlog *m)
{
	size_t n;

	pthread_mutex_lock(&m->mu);
	n = m->n;
	pthread_mutex_unlock(&m->mu);
	return n;
}

int
notify_memlog_get(struct notify_memlog *m, size_t i, struct notify_record *out)
{
	int r = -1;

	pthread_mutex_lock(&m->mu);
	if (i < m->n) {
		*out = m->ring[(m->start + i) % m->max];
		r = 0;
	}
	pthread_mutex_unlock(&m->mu);
	return r;
}

int
notify_memlog_ack(
    struct notify_memlog *m, uint64_t id, const char *by, int64_t when_us)
{
	size_t i;
	int r = -1;

	pthread_mutex_lock(&m->mu);
	for (i = 0; i < m->n; i++) {
		struct notify_record *rec = &m->ring[(m->start + i) % m->max];

		if (rec->id == id) {
			rec->acked_us = when_us;
			snprintf(rec->acked_by, sizeof(rec->acked_by), "%s",
			    by ? by : "");
			r = 0;
			break;
		}
	}
	pthread_mutex_unlock(&m->mu);
	return r;
}
