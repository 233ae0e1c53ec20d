/*
 * stream.c — TCP reassembly of one direction into in-order bytes.
 *
 * Offsets are kept relative to the stream's base (ISN + 1) in 64 bits, so
 * sequence wrap is harmless; a segment's offset is found from the serial
 * distance to the next expected sequence number.  Bytes already delivered
 * are never replaced: a retransmission or an overlap keeps the data that
 * came first (counted).  Segments ahead of the expected offset wait in a
 * sorted list of disjoint pieces; an overlap with a held piece again keeps
 * the older bytes.  The held bytes are capped per flow and globally
 * (stream_ctx); when a cap is hit the hole is given up: held data is
 * delivered after a gap mark, and the stream goes on.  Nothing past
 * stream-depth is delivered or held.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sensor/sensor_int.h"

struct stream_seg {
	struct stream_seg *next;
	uint64_t off;
	uint32_t len;
	uint8_t data[];
};

void
stream_set_base(struct tcp_stream *s, uint32_t seq)
{
	s->base_seq = seq;
	s->have_base = 1;
}

/* Hand on [off, off+len) where off == s->delivered, applying depth. */
static size_t
deliver(struct stream_ctx *c, struct tcp_stream *s, const uint8_t *data,
    size_t len, int gap, stream_deliver_fn fn, void *arg)
{
	if (c->depth != 0) {
		if (s->delivered >= c->depth) {
			if (!s->depth_hit)
				c->ctr[CTR_TCP_DEPTH]++;
			s->depth_hit = 1;
			s->delivered += len;
			return 0;
		}
		if (s->delivered + len > c->depth) {
			size_t keep = (size_t)(c->depth - s->delivered);

			s->delivered += len;
			if (keep > 0)
				fn(arg, data, keep, gap);
			c->ctr[CTR_TCP_DEPTH]++;
			s->depth_hit = 1;
			return keep;
		}
	}
	s->delivered += len;
	fn(arg, data, len, gap);
	return len;
}

static void
seg_free(struct stream_ctx *c, struct tcp_stream *s, struct stream_seg *g)
{
	s->ooo_bytes -= g->len;
	c->memuse -= g->len;
	free(g);
}

/* Deliver held pieces that now touch the delivered edge. */
static size_t
drain(
    struct stream_ctx *c, struct tcp_stream *s, stream_deliver_fn fn, void *arg)
{
	size_t n = 0;
	struct stream_seg *g;

	while ((g = s->ooo) != NULL && g->off <= s->delivered) {
		uint64_t end = g->off + g->len;

		s->ooo = g->next;
		if (end > s->delivered) {
			size_t skip = (size_t)(s->delivered - g->off);

			n += deliver(
			    c, s, g->data + skip, g->len - skip, 0, fn, arg);
		}
		seg_free(c, s, g);
	}
	return n;
}

static int
hold_piece(struct stream_ctx *c, struct tcp_stream *s,
    struct stream_seg **where, uint64_t off, const uint8_t *data, size_t len)
{
	struct stream_seg *g;

	if (s->ooo_bytes + len > c->flow_cap) {
		c->ctr[CTR_TCP_REASM_FLOWCAP]++;
		return -1;
	}
	if (c->memuse + len > c->memcap) {
		c->ctr[CTR_TCP_REASM_MEMCAP]++;
		return -1;
	}
	g = malloc(sizeof(*g) + len);
	if (g == NULL) {
		c->ctr[CTR_TCP_NOMEM]++;
		return -1;
	}
	g->off = off;
	g->len = (uint32_t)len;
	memcpy(g->data, data, len);
	g->next = *where;
	*where = g;
	s->ooo_bytes += (uint32_t)len;
	c->memuse += len;
	return 0;
}

/* Keep [off, off+len) where no held piece already has bytes. */
static int
hold(struct stream_ctx *c, struct tcp_stream *s, uint64_t off,
    const uint8_t *data, size_t len)
{
	struct stream_seg **pp = &s->ooo;
	uint64_t cur = off, end = off + len;
	int overlap = 0;

	while (*pp != NULL && cur < end) {
		struct stream_seg *g = *pp;
		uint64_t gend = g->off + g->len;

		if (gend <= cur) {
			pp = &g->next;
			continue;
		}
		if (g->off > cur) {
			uint64_t pend = end < g->off ? end : g->off;

			if (hold_piece(c, s, pp, cur, data + (cur - off),
				(size_t)(pend - cur)) != 0)
				return -1;
			pp = &(*pp)->next; /* past the new piece */
			cur = pend;
			continue;
		}
		overlap = 1;
		cur = gend;
		pp = &g->next;
	}
	if (cur < end &&
	    hold_piece(
		c, s, pp, cur, data + (cur - off), (size_t)(end - cur)) != 0)
		return -1;
	if (overlap)
		c->ctr[CTR_TCP_OVERLAP]++;
	return 0;
}

size_t
stream_flush(
    struct stream_ctx *c, struct tcp_stream *s, stream_deliver_fn fn, void *arg)
{
	size_t n = 0;
	struct stream_seg *g;

	while ((g = s->ooo) != NULL) {
		if (g->off > s->delivered) {
			c->ctr[CTR_TCP_GAP]++;
			s->delivered = g->off;
			s->ooo = g->next;
			n += deliver(c, s, g->data, g->len, 1, fn, arg);
			seg_free(c, s, g);
			n += drain(c, s, fn, arg);
			continue;
		}
		n += drain(c, s, fn, arg);
	}
	return n;
}

size_t
stream_segment(struct stream_ctx *c, struct tcp_stream *s, uint32_t seq,
    const uint8_t *data, size_t len, stream_deliver_fn fn, void *arg)
{
	uint32_t expect = s->base_seq + (uint32_t)s->delivered;
	int64_t diff = (int32_t)(seq - expect);
	uint64_t off, end;
	size_t n;

	if (len == 0 || !s->have_base)
		return 0;
	if (diff < 0 && (uint64_t)-diff > s->delivered) {
		/* starts before the base (ISN): drop those bytes */
		uint64_t before = (uint64_t)-diff - s->delivered;

		if (before >= len)
			return 0;
		data += before;
		len -= (size_t)before;
		diff = -(int64_t)s->delivered;
	}
	off = (uint64_t)((int64_t)s->delivered + diff);
	end = off + len;
	if (c->depth != 0 && s->delivered >= c->depth)
		return 0;
	if (end <= s->delivered) {
		c->ctr[CTR_TCP_RETRANS]++;
		return 0;
	}
	if (off < s->delivered) { /* partly old: the first data wins */
		size_t skip = (size_t)(s->delivered - off);

		c->ctr[CTR_TCP_OVERLAP]++;
		data += skip;
		len -= skip;
		off = s->delivered;
	}
	if (off == s->delivered) {
		n = deliver(c, s, data, len, 0, fn, arg);
		return n + drain(c, s, fn, arg);
	}
	c->ctr[CTR_TCP_OOO]++;
	if (c->depth != 0 && off >= c->depth)
		return 0;
	if (hold(c, s, off, data, len) == 0)
		return 0;
	/* A cap was hit: give up the hole, deliver what is held and this. */
	n = stream_flush(c, s, fn, arg);
	if (end > s->delivered) {
		if (off > s->delivered) {
			c->ctr[CTR_TCP_GAP]++;
			s->delivered = off;
			n += deliver(c, s, data, len, 1, fn, arg);
		} else {
			size_t skip = (size_t)(s->delivered - off);

			n += deliver(c, s, data + skip, len - skip, 0, fn, arg);
		}
	}
	return n;
}

void
stream_clear(struct stream_ctx *c, struct tcp_stream *s)
{
	while (s->ooo != NULL) {
		struct stream_seg *g = s->ooo;

		s->ooo = g->next;
		seg_free(c, s, g);
	}
}
