/*
 * defrag.c — IPv4 and IPv6 fragment reassembly under a memory cap.
 *
 * Each datagram being rebuilt is a queue keyed by (family, src, dst, id,
 * protocol) holding a byte buffer and a bitmap of the bytes received.
 * Overlapping fragments keep the bytes that arrived first (counted as
 * overlaps).  The queues sit in a hash table and in one list ordered by
 * arrival, so the oldest is dropped first when the timeout passes or when
 * memcap (SC_FRAG_TOTAL_MAX by default) would be exceeded.  Every drop is
 * counted.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sensor/sensor_int.h"

#define DEFRAG_BUCKETS 1024
#define DATAGRAM_MAX 65535

struct fragq {
	struct fragq *hnext;
	struct fragq *prev; /* age list */
	struct fragq *next;
	int v6;
	struct addr src, dst;
	uint32_t id;
	uint8_t proto;
	int64_t first_us;
	uint8_t *hdr; /* unfragmentable header, from the offset-0 piece */
	size_t hdrlen;
	uint8_t *data;
	uint8_t *have; /* one bit per byte of data */
	size_t cap;
	size_t total; /* payload length, known once the last piece came */
	size_t filled;
	size_t mem;
};

struct defrag {
	struct fragq *bucket[DEFRAG_BUCKETS];
	struct fragq *oldest, *newest;
	uint64_t memcap, memuse;
	int64_t timeout_us;
	uint64_t *ctr;
	size_t n;
};

struct defrag *
defrag_new(uint64_t memcap, int64_t timeout_us, uint64_t *ctr)
{
	struct defrag *df = calloc(1, sizeof(*df));

	if (df == NULL)
		return NULL;
	df->memcap = memcap;
	df->timeout_us = timeout_us;
	df->ctr = ctr;
	return df;
}

static unsigned
fq_hash(int v6, const struct addr *s, const struct addr *d, uint32_t id,
    uint8_t proto)
{
	uint32_t h = 2166136261u ^ (uint32_t)v6;

	for (int i = 0; i < 16; i++) {
		h = (h ^ s->b[i]) * 16777619u;
		h = (h ^ d->b[i]) * 16777619u;
	}
	h = (h ^ id) * 16777619u;
	h = (h ^ proto) * 16777619u;
	return h % DEFRAG_BUCKETS;
}

static void
fq_unlink(struct defrag *df, struct fragq *q)
{
	struct fragq **pp =
	    &df->bucket[fq_hash(q->v6, &q->src, &q->dst, q->id, q->proto)];

	while (*pp != NULL && *pp != q)
		pp = &(*pp)->hnext;
	if (*pp == q)
		*pp = q->hnext;
	if (q->prev != NULL)
		q->prev->next = q->next;
	else
		df->oldest = q->next;
	if (q->next != NULL)
		q->next->prev = q->prev;
	else
		df->newest = q->prev;
	df->memuse -= q->mem;
	df->n--;
	free(q->hdr);
	free(q->data);
	free(q->have);
	free(q);
}

void
defrag_free(struct defrag *df)
{
	if (df == NULL)
		return;
	while (df->oldest != NULL)
		fq_unlink(df, df->oldest);
	free(df);
}

void
defrag_expire(struct defrag *df, int64_t now_us)
{
	while (df->oldest != NULL &&
	    now_us - df->oldest->first_us > df->timeout_us) {
		df->ctr[CTR_FRAG_TIMEOUT]++;
		fq_unlink(df, df->oldest);
	}
}

size_t
defrag_pending(const struct defrag *df)
{
	return df->n;
}

uint64_t
defrag_memuse(const struct defrag *df)
{
	return df->memuse;
}

/* Make room for `need` more bytes; 0 or -1 if it can never fit. */
static int
make_room(struct defrag *df, struct fragq *keep, size_t need)
{
	if (need > df->memcap)
		return -1;
	while (df->memuse + need > df->memcap) {
		struct fragq *victim = df->oldest;

		if (victim == keep)
			victim = victim->next;
		if (victim == NULL)
			return -1;
		df->ctr[CTR_FRAG_MEMCAP]++;
		fq_unlink(df, victim);
	}
	return 0;
}

static int
fq_grow(struct defrag *df, struct fragq *q, size_t end)
{
	size_t ncap, extra;
	uint8_t *nd, *nh;

	if (end <= q->cap)
		return 0;
	ncap = end < 1024 ? 1024 : end;
	if (ncap < q->cap * 2)
		ncap = q->cap * 2;
	if (ncap > DATAGRAM_MAX)
		ncap = DATAGRAM_MAX;
	extra = (ncap - q->cap) + (ncap - q->cap + 7) / 8;
	if (make_room(df, q, extra) != 0)
		return -1;
	nd = realloc(q->data, ncap);
	if (nd == NULL)
		return -1;
	q->data = nd;
	nh = realloc(q->have, (ncap + 7) / 8);
	if (nh == NULL)
		return -1;
	memset(nh + (q->cap + 7) / 8, 0, (ncap + 7) / 8 - (q->cap + 7) / 8);
	q->have = nh;
	q->cap = ncap;
	q->mem += extra;
	df->memuse += extra;
	return 0;
}

static struct fragq *
fq_get(struct defrag *df, int64_t now_us, int v6, const struct addr *src,
    const struct addr *dst, uint32_t id, uint8_t proto)
{
	unsigned h = fq_hash(v6, src, dst, id, proto);
	struct fragq *q;

	for (q = df->bucket[h]; q != NULL; q = q->hnext)
		if (q->v6 == v6 && q->id == id && q->proto == proto &&
		    memcmp(&q->src, src, sizeof(*src)) == 0 &&
		    memcmp(&q->dst, dst, sizeof(*dst)) == 0)
			return q;
	if (make_room(df, NULL, sizeof(*q)) != 0)
		return NULL;
	q = calloc(1, sizeof(*q));
	if (q == NULL)
		return NULL;
	q->v6 = v6;
	q->src = *src;
	q->dst = *dst;
	q->id = id;
	q->proto = proto;
	q->first_us = now_us;
	q->mem = sizeof(*q);
	df->memuse += q->mem;
	q->hnext = df->bucket[h];
	df->bucket[h] = q;
	q->prev = df->newest;
	if (df->newest != NULL)
		df->newest->next = q;
	else
		df->oldest = q;
	df->newest = q;
	df->n++;
	return q;
}

uint8_t *
defrag_add(struct defrag *df, int64_t now_us, int v6, const struct addr *src,
    const struct addr *dst, uint32_t id, uint8_t proto, uint32_t off, int more,
    const uint8_t *data, size_t len, const uint8_t *hdr, size_t hdrlen,
    size_t *outlen)
{
	struct fragq *q;
	size_t end = (size_t)off + len, i;
	int overlap = 0;
	uint8_t *whole;

	defrag_expire(df, now_us);
	if (end + hdrlen > DATAGRAM_MAX + (v6 ? 40 : 0) ||
	    (more && (len == 0 || (len & 7) != 0))) {
		df->ctr[CTR_FRAG_BAD]++;
		return NULL;
	}
	q = fq_get(df, now_us, v6, src, dst, id, proto);
	if (q == NULL) {
		df->ctr[CTR_FRAG_MEMCAP]++;
		return NULL;
	}
	if (!more) {
		if ((q->total != 0 && q->total != end) || end < q->filled) {
			df->ctr[CTR_FRAG_BAD]++;
			fq_unlink(df, q);
			return NULL;
		}
		q->total = end;
	} else if (q->total != 0 && end > q->total) {
		df->ctr[CTR_FRAG_BAD]++;
		fq_unlink(df, q);
		return NULL;
	}
	if (off == 0 && q->hdr == NULL) {
		if (make_room(df, q, hdrlen) != 0 ||
		    (q->hdr = malloc(hdrlen)) == NULL) {
			df->ctr[CTR_FRAG_MEMCAP]++;
			fq_unlink(df, q);
			return NULL;
		}
		memcpy(q->hdr, hdr, hdrlen);
		q->hdrlen = hdrlen;
		q->mem += hdrlen;
		df->memuse += hdrlen;
	}
	if (fq_grow(df, q, end) != 0) {
		df->ctr[CTR_FRAG_MEMCAP]++;
		fq_unlink(df, q);
		return NULL;
	}
	for (i = off; i < end; i++) {
		if (q->have[i / 8] & (1u << (i % 8))) {
			overlap = 1;
			continue; /* first data wins */
		}
		q->have[i / 8] |= (uint8_t)(1u << (i % 8));
		q->data[i] = data[i - off];
		q->filled++;
	}
	if (overlap)
		df->ctr[CTR_FRAG_OVERLAP]++;
	if (q->total == 0 || q->filled != q->total || q->hdr == NULL)
		return NULL;

	whole = malloc(q->hdrlen + q->total);
	if (whole == NULL) {
		df->ctr[CTR_FRAG_MEMCAP]++;
		fq_unlink(df, q);
		return NULL;
	}
	memcpy(whole, q->hdr, q->hdrlen);
	memcpy(whole + q->hdrlen, q->data, q->total);
	*outlen = q->hdrlen + q->total;
	df->ctr[CTR_FRAG_DONE]++;
	fq_unlink(df, q);
	return whole;
}
