/*
 * pipeline.c — batches and the bounded queue between the workers and the
 * one writer thread.
 *
 * A batch is an array of events plus an arena the frames are copied into,
 * so the hot path never allocates per message: batches are allocated on
 * first need, up to queue_max, and recycled.  A worker owns one batch at a
 * time; full or old batches go to the writer in FIFO order.
 *
 * With a stage (the rule engine's thread), submitted batches go to the
 * stage first, in order, and from it to the writer in the same order; the
 * stage's work on one batch overlaps the writer's work on the previous.
 *
 * What was read but is not yet in the archive is what a kill -9 loses, so
 * stream workers (TCP, TLS, unix) do not run ahead of the writer: once
 * PIPELINE_AHEAD batches are waiting for it or being written, they wait
 * for the writer before taking a new batch (they stop reading: the kernel
 * pushes back on the sender).  What a stream worker has read and the
 * archive not yet written is then at most PIPELINE_AHEAD + 1 batches (it
 * hands over a full batch, then waits), whatever `queue` says.  UDP
 * cannot push back: UDP workers use the whole queue and, when every batch
 * is in flight, drop and count (dropped/udp-queue-full).
 */
#define _GNU_SOURCE 1 /* pthread_setname_np */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collector/collector_int.h"
#include "common/timeutil.h"

#define PIPELINE_AHEAD 2 /* batches a stream worker may leave unwritten */

struct pipeline {
	struct pipeline_conf conf;
	pthread_mutex_t mu;
	pthread_cond_t can_get; /* a batch was released */
	pthread_cond_t can_write; /* a batch was submitted */
	struct batch *free;
	struct batch *head, *tail; /* full, FIFO, for the writer */
	size_t allocated;
	size_t pending; /* submitted and not yet released by the writer */
	int closed;
	/* the stage, if started */
	void (*stage_fn)(void *arg, struct batch *);
	void *stage_arg;
	pthread_t stage_thr;
	int staging; /* the stage holds a batch or is yet to drain */
	pthread_cond_t can_stage; /* a batch was submitted to the stage */
	struct batch *shead, *stail; /* submitted, FIFO, for the stage */
};

struct pipeline *
pipeline_new(const struct pipeline_conf *conf)
{
	struct pipeline *pl = calloc(1, sizeof(*pl));

	if (pl == NULL)
		return NULL;
	pl->conf = *conf;
	pthread_mutex_init(&pl->mu, NULL);
	pthread_cond_init(&pl->can_get, NULL);
	pthread_cond_init(&pl->can_write, NULL);
	pthread_cond_init(&pl->can_stage, NULL);
	return pl;
}

static void
batch_free(struct batch *b)
{
	if (b == NULL)
		return;
	collector_detect_release(b);
	free(b->hits);
	free(b->ev);
	free(b->arena);
	free(b);
}

void
pipeline_free(struct pipeline *pl)
{
	struct batch *b, *n;

	if (pl == NULL)
		return;
	for (b = pl->free; b != NULL; b = n) {
		n = b->next;
		batch_free(b);
	}
	for (b = pl->head; b != NULL; b = n) {
		n = b->next;
		batch_free(b);
	}
	for (b = pl->shead; b != NULL; b = n) {
		n = b->next;
		batch_free(b);
	}
	pthread_mutex_destroy(&pl->mu);
	pthread_cond_destroy(&pl->can_stage);
	pthread_cond_destroy(&pl->can_get);
	pthread_cond_destroy(&pl->can_write);
	free(pl);
}

static struct batch *
batch_new(const struct pipeline_conf *c)
{
	struct batch *b = calloc(1, sizeof(*b));

	if (b == NULL)
		return NULL;
	b->ev = calloc(c->batch_max, sizeof(*b->ev));
	b->arena = malloc(c->arena);
	if (b->ev == NULL || b->arena == NULL) {
		batch_free(b);
		return NULL;
	}
	b->maxev = c->batch_max;
	b->cap = c->arena;
	return b;
}

struct batch *
pipeline_get(struct pipeline *pl, int wait)
{
	struct batch *b = NULL;

	pthread_mutex_lock(&pl->mu);
	for (;;) {
		if (wait && pl->pending >= PIPELINE_AHEAD && !pl->closed) {
			pthread_cond_wait(&pl->can_get, &pl->mu);
			continue;
		}
		if (pl->free != NULL) {
			b = pl->free;
			pl->free = b->next;
			break;
		}
		if (pl->allocated < pl->conf.queue_max) {
			pthread_mutex_unlock(&pl->mu);
			if ((b = batch_new(&pl->conf)) == NULL)
				return NULL;
			pthread_mutex_lock(&pl->mu);
			pl->allocated++;
			break;
		}
		if (!wait)
			break;
		pthread_cond_wait(&pl->can_get, &pl->mu);
	}
	pthread_mutex_unlock(&pl->mu);
	if (b != NULL) {
		collector_detect_release(b); /* normally done by the writer */
		b->nev = b->used = 0;
		b->opened_us = 0;
		b->next = NULL;
	}
	return b;
}

/* Under mu: b is free again. */
static void
put_free(struct pipeline *pl, struct batch *b)
{
	b->next = pl->free;
	pl->free = b;
	pthread_cond_broadcast(&pl->can_get);
}

void
pipeline_submit(struct pipeline *pl, struct batch *b)
{
	pthread_mutex_lock(&pl->mu);
	if (b->nev == 0) {
		put_free(pl, b);
		pthread_mutex_unlock(&pl->mu);
		return;
	}
	pl->pending++;
	b->next = NULL;
	if (pl->stage_fn != NULL) {
		if (pl->stail != NULL)
			pl->stail->next = b;
		else
			pl->shead = b;
		pl->stail = b;
		pthread_cond_signal(&pl->can_stage);
	} else {
		if (pl->tail != NULL)
			pl->tail->next = b;
		else
			pl->head = b;
		pl->tail = b;
		pthread_cond_signal(&pl->can_write);
	}
	pthread_mutex_unlock(&pl->mu);
}

static void *
stage_main(void *arg)
{
	struct pipeline *pl = arg;
	struct batch *b;

	pthread_setname_np(pthread_self(), "sc-stage");
	pthread_mutex_lock(&pl->mu);
	for (;;) {
		while (pl->shead == NULL && !pl->closed)
			pthread_cond_wait(&pl->can_stage, &pl->mu);
		if ((b = pl->shead) == NULL)
			break; /* closed and drained */
		pl->shead = b->next;
		if (pl->shead == NULL)
			pl->stail = NULL;
		pthread_mutex_unlock(&pl->mu);
		pl->stage_fn(pl->stage_arg, b);
		pthread_mutex_lock(&pl->mu);
		b->next = NULL;
		if (pl->tail != NULL)
			pl->tail->next = b;
		else
			pl->head = b;
		pl->tail = b;
		pthread_cond_signal(&pl->can_write);
	}
	pl->staging = 0;
	pthread_cond_broadcast(&pl->can_write);
	pthread_mutex_unlock(&pl->mu);
	return NULL;
}

int
pipeline_stage_start(
    struct pipeline *pl, void (*fn)(void *arg, struct batch *), void *arg)
{
	pthread_mutex_lock(&pl->mu);
	pl->stage_fn = fn;
	pl->stage_arg = arg;
	pl->staging = 1;
	if (pthread_create(&pl->stage_thr, NULL, stage_main, pl) != 0) {
		pl->stage_fn = NULL;
		pl->staging = 0;
		pthread_mutex_unlock(&pl->mu);
		return -1;
	}
	pthread_mutex_unlock(&pl->mu);
	return 0;
}

struct batch *
pipeline_next(struct pipeline *pl, int64_t timeout_us)
{
	struct batch *b;
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += timeout_us / 1000000;
	ts.tv_nsec += (timeout_us % 1000000) * 1000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&pl->mu);
	while (pl->head == NULL && (!pl->closed || pl->staging)) {
		if (pthread_cond_timedwait(&pl->can_write, &pl->mu, &ts) ==
		    ETIMEDOUT)
			break;
	}
	b = pl->head;
	if (b != NULL) {
		pl->head = b->next;
		if (pl->head == NULL)
			pl->tail = NULL;
		b->next = NULL;
	}
	pthread_mutex_unlock(&pl->mu);
	return b;
}

void
pipeline_release(struct pipeline *pl, struct batch *b)
{
	pthread_mutex_lock(&pl->mu);
	if (pl->pending > 0) /* a batch never submitted may come back too */
		pl->pending--;
	put_free(pl, b);
	pthread_mutex_unlock(&pl->mu);
}

void
pipeline_close(struct pipeline *pl)
{
	pthread_mutex_lock(&pl->mu);
	pl->closed = 1;
	pthread_cond_broadcast(&pl->can_write);
	pthread_cond_broadcast(&pl->can_stage);
	pthread_cond_broadcast(&pl->can_get);
	pthread_mutex_unlock(&pl->mu);
}

void
pipeline_stage_join(struct pipeline *pl)
{
	void (*fn)(void *, struct batch *);

	pthread_mutex_lock(&pl->mu);
	fn = pl->stage_fn;
	pthread_mutex_unlock(&pl->mu);
	if (fn != NULL)
		pthread_join(pl->stage_thr, NULL);
}

int
pipeline_closed(struct pipeline *pl)
{
	int c;

	pthread_mutex_lock(&pl->mu);
	c = pl->closed && pl->head == NULL && !pl->staging;
	pthread_mutex_unlock(&pl->mu);
	return c;
}

struct sc_event *
batch_add(struct batch *b, const uint8_t *p, size_t n, uint32_t flags,
    const struct ingress *in)
{
	struct sc_event *ev;
	uint8_t *copy;

	if (b->nev >= b->maxev || b->cap - b->used < n)
		return NULL;
	copy = b->arena + b->used;
	memcpy(copy, p, n);
	b->used += n;
	if (b->nev == 0)
		b->opened_us = time_mono_us();
	ev = &b->ev[b->nev++];
	memset(ev, 0, sizeof(*ev));
	ev->recv_us = in->recv_us;
	ev->peer = in->peer;
	ev->peer_port = in->port;
	ev->transport = in->transport;
	ev->raw = copy;
	ev->rawlen = n;
	ev->flags = flags;
	if (parse_syslog(ev, in->tzoff) != 0)
		ctr_add(CTR_UNPARSED, 1);
	else if (ev->flags & SC_EV_RFC5424)
		ctr_add(CTR_PARSED_5424, 1);
	else
		ctr_add(CTR_PARSED_3164, 1);
	if (flags & SC_EV_TRUNCATED)
		ctr_add(CTR_TRUNCATED, 1);
	tag_event(in->tagger, ev);
	if (ev->flags & SC_EV_UNKNOWN_SOURCE)
		ctr_add(CTR_UNKNOWN_SRC, 1);
	return ev;
}
