/*
 * test_collector_pipeline.c — the bound on what a stream worker leaves
 * unwritten, and tagger lifetimes.
 *  - with two batches submitted and not yet released by the writer, a
 *    stream worker's pipeline_get (wait) blocks, while a UDP worker's
 *    (no wait) still gets a batch from the queue; it returns once the
 *    writer releases one;
 *  - taggers are reference counted: a reference taken outlives the
 *    loader's, the last one frees (ASan checks both ways), and each load
 *    has its own serial.
 */
#include "config.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

#include "collector/collector_int.h"
#include "tests/tap.h"

struct getter {
	struct pipeline *pl;
	struct batch *b;
	int done; /* atomic */
};

static void *
get_wait(void *arg)
{
	struct getter *g = arg;

	g->b = pipeline_get(g->pl, 1);
	__atomic_store_n(&g->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void
fill(struct batch *b, const struct ingress *in)
{
	ok(batch_add(b, (const uint8_t *)"<13>x", 5, 0, in) != NULL,
	    "an event in the batch");
}

int
main(void)
{
	struct pipeline_conf pc = { .batch_max = 2,
		.arena = 4096,
		.queue_max = 8,
		.batch_age_us = 1000000 };
	struct pipeline *pl = pipeline_new(&pc);
	struct tagger *t = tagger_load(NULL, NULL, 0), *t2;
	struct ingress in;
	struct batch *b1, *b2, *u, *w;
	struct getter g = { 0 };
	pthread_t thr;
	struct timespec ts = { 0, 100 * 1000 * 1000 };

	memset(&in, 0, sizeof(in));
	in.tagger = t;
	in.transport = 't';
	b1 = pipeline_get(pl, 1);
	fill(b1, &in);
	pipeline_submit(pl, b1);
	b2 = pipeline_get(pl, 1);
	ok(b2 != NULL, "one batch pending: a stream worker gets another");
	fill(b2, &in);
	pipeline_submit(pl, b2);
	g.pl = pl;
	ok(pthread_create(&thr, NULL, get_wait, &g) == 0, "stream getter");
	w = pipeline_next(pl, 1000000);
	ok(w == b1, "the writer takes the first batch");
	nanosleep(&ts, NULL); /* a wrong pipeline returns within this */
	ok(!__atomic_load_n(&g.done, __ATOMIC_ACQUIRE),
	    "two batches unwritten (one at the writer): the stream worker "
	    "waits");
	u = pipeline_get(pl, 0);
	ok(u != NULL, "a UDP worker still gets a batch from the queue");
	pipeline_submit(pl, u); /* empty: straight back */
	pipeline_release(pl, w);
	pthread_join(thr, NULL);
	ok(g.b != NULL, "released by the writer: the stream worker goes on");
	w = pipeline_next(pl, 1000000);
	ok(w == b2, "FIFO");
	pipeline_release(pl, w);
	pipeline_submit(pl, g.b);
	pipeline_free(pl);

	t2 = tagger_load(NULL, NULL, 0);
	ok(tagger_serial(t) != 0 && tagger_serial(t) != tagger_serial(t2),
	    "each load has its own serial");
	ok(tagger_ref(t) == t, "a reference");
	tagger_free(t); /* the loader's */
	is_int(tagger_count(t), 0, "the tagger outlives the loader's ref");
	tagger_unref(t); /* the last: freed (ASan: no leak, no reuse) */
	tagger_free(t2);
	tagger_unref(NULL);
	return done_testing();
}
