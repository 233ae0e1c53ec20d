/*
 * workers.c — the sensor on several cores.
 *
 * The capture thread (the caller's) reads packets and looks only as far
 * as the IP addresses (mt_hash): the symmetric hash of the address pair
 * picks a worker, so both directions of a flow, and every fragment of a
 * datagram with the flow it belongs to, meet in the same worker.  Packets
 * that are not IP (or too short to tell) go to worker 0, which decodes
 * and counts them like any other.  Each worker is a whole struct sensor
 * (decoder and defrag, flow table, reassembly, app layer, Hyperscan
 * scratch and streams) with root pointing at the capture's sensor, whose
 * outputs it uses under one lock; so a flow's events stay in order, and
 * its alerts are the ones the single-threaded path raises (the pcap_cnt
 * is numbered by the capture thread).
 *
 * Hand-off: each worker has a single-producer single-consumer ring of
 * MT_RING preallocated batches.  The capture thread copies a packet into
 * the current batch of its worker (no malloc per packet) and publishes a
 * batch when it is full, when a live capture idles, and before a sync.
 * head and tail are atomics; a side that finds the ring empty (worker)
 * or full (capture) sleeps on a condition variable, announcing it in a
 * flag the other side checks after each publish or release.
 */
#include "config.h"

#include <pcap/pcap.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "sensor/sensor_int.h"

#define MT_RING 8
#define MT_BATCH_PKTS 512
#define MT_BATCH_BYTES (320 * 1024) /* above libpcap's largest snaplen */

struct mt_pkt {
	uint64_t pcap_cnt;
	int64_t ts_us;
	uint32_t caplen, wirelen;
	uint32_t off;
	int32_t linktype;
};

struct mt_batch {
	uint32_t npkts;
	uint32_t used; /* data bytes */
	int64_t tick_us; /* nonzero: expire flows at this time afterwards */
	struct mt_pkt pkt[MT_BATCH_PKTS];
	uint8_t data[MT_BATCH_BYTES];
};

struct mt_worker {
	struct sensor *s;
	struct sensor *root;
	pthread_t th;
	int started;
	struct mt_batch *slot[MT_RING];
	atomic_uint head; /* next batch the worker takes */
	atomic_uint tail; /* next batch the capture fills */
	atomic_int cons_wait, prod_wait, done;
	pthread_mutex_t mu;
	pthread_cond_t nonempty, nonfull;
	struct mt_batch *fill; /* batch being filled, or NULL */
};

struct sensor_mt {
	size_t n;
	struct mt_worker *w;
	pthread_mutex_t out_mu; /* the root's outputs */
};

int
sensor_workers_resolve(int workers)
{
	long n;

	if (workers > 0)
		return workers > SENSOR_WORKERS_MAX ? SENSOR_WORKERS_MAX :
						      workers;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	return n > SENSOR_WORKERS_MAX ? SENSOR_WORKERS_MAX : (int)n;
}

/* ---- the hash -------------------------------------------------------- */

static uint32_t
addr_hash(const uint8_t *b, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

static uint32_t
ip_hash(const uint8_t *b, size_t len)
{
	uint32_t h;

	if (len >= 20 && b[0] >> 4 == 4)
		h = addr_hash(b + 12, 4) + addr_hash(b + 16, 4);
	else if (len >= 40 && b[0] >> 4 == 6)
		h = addr_hash(b + 8, 16) + addr_hash(b + 24, 16);
	else
		return 0;
	/* the sum is symmetric; mix it so that the low bits spread (the
	 * worker is hash % n: no bit may be fixed) */
	h ^= h >> 16;
	h *= 0x7feb352du;
	h ^= h >> 15;
	return h != 0 ? h : 1; /* 0 means "not IP" */
}

static uint32_t
ether_hash(uint16_t type, const uint8_t *b, size_t len)
{
	for (int depth = 0; depth <= PKT_MAX_VLAN; depth++) {
		switch (type) {
		case 0x0800:
		case 0x86dd:
			return ip_hash(b, len);
		case 0x8100:
		case 0x88a8:
		case 0x9100:
			if (len < 4)
				return 0;
			type = be16(b + 2);
			b += 4;
			len -= 4;
			break;
		default:
			return 0;
		}
	}
	return 0;
}

uint32_t
mt_hash(int linktype, const uint8_t *b, size_t len)
{
	switch (linktype) {
	case DLT_EN10MB:
		return len < 14 ? 0 :
				  ether_hash(be16(b + 12), b + 14, len - 14);
	case DLT_NULL:
	case 108: /* LINKTYPE_LOOP */
		return len < 4 ? 0 : ip_hash(b + 4, len - 4);
	case DLT_RAW:
	case 14:
	case 101: /* LINKTYPE_RAW */
	case 228: /* LINKTYPE_IPV4 */
	case 229: /* LINKTYPE_IPV6 */
		return ip_hash(b, len);
	case 104: /* LINKTYPE_CHDLC, DLT_C_HDLC */
		return len < 4 ? 0 : ether_hash(be16(b + 2), b + 4, len - 4);
	case 113: /* LINKTYPE_SLL */
		return len < 16 ? 0 :
				  ether_hash(be16(b + 14), b + 16, len - 16);
	case 276: /* LINKTYPE_SLL2 */
		return len < 20 ? 0 : ether_hash(be16(b), b + 20, len - 20);
	default:
		return 0;
	}
}

/* ---- the ring -------------------------------------------------------- */

static void
wake(struct mt_worker *w, atomic_int *flag, pthread_cond_t *cv)
{
	if (atomic_load(flag)) {
		pthread_mutex_lock(&w->mu);
		pthread_cond_broadcast(cv);
		pthread_mutex_unlock(&w->mu);
	}
}

/* Capture side: wait until the worker has taken batches so that at most
 * `left` remain queued. */
static void
wait_queued(struct mt_worker *w, unsigned left)
{
	if (atomic_load(&w->tail) - atomic_load(&w->head) <= left)
		return;
	pthread_mutex_lock(&w->mu);
	atomic_store(&w->prod_wait, 1);
	while (atomic_load(&w->tail) - atomic_load(&w->head) > left)
		pthread_cond_wait(&w->nonfull, &w->mu);
	atomic_store(&w->prod_wait, 0);
	pthread_mutex_unlock(&w->mu);
}

static struct mt_batch *
batch_get(struct mt_worker *w)
{
	if (w->fill == NULL) {
		wait_queued(w, MT_RING - 1);
		w->fill = w->slot[atomic_load(&w->tail) % MT_RING];
		w->fill->npkts = 0;
		w->fill->used = 0;
		w->fill->tick_us = 0;
	}
	return w->fill;
}

static void
batch_publish(struct mt_worker *w)
{
	if (w->fill == NULL)
		return;
	w->fill = NULL;
	atomic_fetch_add(&w->tail, 1);
	wake(w, &w->cons_wait, &w->nonempty);
}

static void
run_batch(struct sensor *s, struct mt_batch *b)
{
	for (uint32_t i = 0; i < b->npkts; i++) {
		const struct mt_pkt *m = &b->pkt[i];
		struct sc_pkt p;

		memset(&p, 0, sizeof(p));
		p.raw = b->data + m->off;
		p.caplen = m->caplen;
		p.wirelen = m->wirelen;
		p.ts_us = m->ts_us;
		p.pcap_cnt = m->pcap_cnt;
		p.linktype = m->linktype;
		sensor_packet(s, &p);
	}
	if (b->tick_us != 0) {
		if (s->dec.defrag != NULL)
			defrag_expire(s->dec.defrag, b->tick_us);
		flow_expire(s->flows, b->tick_us);
	}
}

static void *
worker_main(void *arg)
{
	struct mt_worker *w = arg;

	for (;;) {
		unsigned h = atomic_load(&w->head);

		if (atomic_load(&w->tail) == h) {
			int done;

			pthread_mutex_lock(&w->mu);
			atomic_store(&w->cons_wait, 1);
			while (atomic_load(&w->tail) == h &&
			    !atomic_load(&w->done))
				pthread_cond_wait(&w->nonempty, &w->mu);
			atomic_store(&w->cons_wait, 0);
			done = atomic_load(&w->tail) == h;
			pthread_mutex_unlock(&w->mu);
			if (done)
				break;
			continue;
		}
		run_batch(w->s, w->slot[h % MT_RING]);
		atomic_store(&w->head, h + 1);
		wake(w, &w->prod_wait, &w->nonfull);
	}
	return NULL;
}

/* ---- the capture side ------------------------------------------------ */

void
mt_dispatch(struct sensor *root, int linktype, const struct pcap_pkthdr *h,
    const uint8_t *data)
{
	struct sensor_mt *mt = root->mt;
	uint32_t caplen =
	    h->caplen < MT_BATCH_BYTES ? h->caplen : MT_BATCH_BYTES;
	uint32_t hash = mt_hash(linktype, data, caplen);
	struct mt_worker *w = &mt->w[hash == 0 ? 0 : hash % mt->n];
	struct mt_batch *b = batch_get(w);
	struct mt_pkt *m;

	if (b->npkts == MT_BATCH_PKTS || MT_BATCH_BYTES - b->used < caplen) {
		batch_publish(w);
		b = batch_get(w);
	}
	m = &b->pkt[b->npkts++];
	m->pcap_cnt = ++root->pcap_cnt;
	m->ts_us = (int64_t)h->ts.tv_sec * 1000000 + h->ts.tv_usec;
	m->caplen = caplen;
	m->wirelen = h->len;
	m->off = b->used;
	m->linktype = linktype;
	memcpy(b->data + b->used, data, caplen);
	b->used += (caplen + 7) & ~7u;
	if (b->used > MT_BATCH_BYTES)
		b->used = MT_BATCH_BYTES;
	if (m->ts_us > root->last_ts)
		root->last_ts = m->ts_us;
}

void
mt_publish(struct sensor *root, int tick)
{
	struct sensor_mt *mt = root->mt;

	for (size_t i = 0; i < mt->n; i++) {
		struct mt_worker *w = &mt->w[i];

		if (tick && root->last_ts > 0)
			batch_get(w)->tick_us = root->last_ts;
		batch_publish(w);
	}
}

void
mt_sync(struct sensor *root)
{
	struct sensor_mt *mt = root->mt;

	mt_publish(root, 0);
	for (size_t i = 0; i < mt->n; i++)
		wait_queued(&mt->w[i], 0);
}

size_t
mt_nworkers(const struct sensor *root)
{
	return root->mt != NULL ? root->mt->n : 0;
}

struct sensor *
mt_worker(const struct sensor *root, size_t i)
{
	return root->mt->w[i].s;
}

void
mt_lock(struct sensor *root)
{
	pthread_mutex_lock(&root->mt->out_mu);
}

void
mt_unlock(struct sensor *root)
{
	pthread_mutex_unlock(&root->mt->out_mu);
}

/* ---- life cycle ------------------------------------------------------ */

int
mt_start(struct sensor *root, int n)
{
	struct sensor_mt *mt = calloc(1, sizeof(*mt));
	struct sensor_config wc = root->cfg;
	sigset_t all, old;
	int rc = 0;

	if (mt == NULL || (mt->w = calloc((size_t)n, sizeof(*mt->w))) == NULL) {
		free(mt);
		return -1;
	}
	pthread_mutex_init(&mt->out_mu, NULL);
	root->mt = mt;
	/* each worker gets its share of the caps; outputs are the root's */
	wc.workers = 1;
	wc.eve_path = NULL;
	wc.collector = NULL;
	wc.flows_max =
	    wc.flows_max / (uint32_t)n ? wc.flows_max / (uint32_t)n : 1;
	wc.reasm_memcap /= (uint64_t)n;
	wc.frag_memcap /= (uint64_t)n;
	for (int i = 0; i < n; i++) {
		struct mt_worker *w = &mt->w[i];

		w->root = root;
		pthread_mutex_init(&w->mu, NULL);
		pthread_cond_init(&w->nonempty, NULL);
		pthread_cond_init(&w->nonfull, NULL);
		mt->n = (size_t)i + 1;
		for (int k = 0; k < MT_RING; k++)
			if ((w->slot[k] = malloc(sizeof(struct mt_batch))) ==
			    NULL)
				return -1;
		if ((w->s = sensor_new(&wc, root->rs)) == NULL)
			return -1;
		w->s->root = root;
		w->s->worker_idx = i;
		flow_table_set_ids(w->s->flows, (uint64_t)i + 1, (uint64_t)n);
		/* signals (SIGTERM, SIGINT) are the capture thread's */
		sigfillset(&all);
		pthread_sigmask(SIG_BLOCK, &all, &old);
		rc = pthread_create(&w->th, NULL, worker_main, w);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (rc != 0) {
			log_warnx("sensor: cannot start worker %d", i);
			return -1;
		}
		w->started = 1;
	}
	return 0;
}

void
mt_stop(struct sensor *root)
{
	struct sensor_mt *mt = root->mt;

	if (mt == NULL)
		return;
	for (size_t i = 0; i < mt->n; i++) {
		struct mt_worker *w = &mt->w[i];

		if (!w->started)
			continue;
		batch_publish(w);
		pthread_mutex_lock(&w->mu);
		atomic_store(&w->done, 1);
		pthread_cond_broadcast(&w->nonempty);
		pthread_mutex_unlock(&w->mu);
		pthread_join(w->th, NULL);
		w->started = 0;
	}
	for (size_t i = 0; i < mt->n; i++) {
		struct mt_worker *w = &mt->w[i];

		sensor_free(w->s); /* its flows end into the root's outputs */
		for (int k = 0; k < MT_RING; k++)
			free(w->slot[k]);
		pthread_cond_destroy(&w->nonempty);
		pthread_cond_destroy(&w->nonfull);
		pthread_mutex_destroy(&w->mu);
	}
	free(mt->w);
	pthread_mutex_destroy(&mt->out_mu);
	root->mt = NULL;
	free(mt);
}
