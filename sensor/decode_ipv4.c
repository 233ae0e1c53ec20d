/*
 * decode_ipv4.c — IPv4 header, options and fragments.
 *
 * Options are walked and checked for well-formedness (a bad option length
 * makes the packet malformed, as in RFC 791 §3.1).  Link-layer padding
 * after the datagram is trimmed.  Fragments go to defrag.c; when one
 * completes a datagram, the whole datagram is decoded again from the
 * reassembled copy, which the packet then owns (p->reasm).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sensor/sensor_int.h"

#define IPV4_HLEN_MIN 20

static void
v4_addr(struct addr *a, const uint8_t *b)
{
	memset(a->b, 0, 10);
	a->b[10] = 0xff;
	a->b[11] = 0xff;
	memcpy(a->b + 12, b, 4);
}

/* 0 if every option is well formed. */
static int
ipv4_options_ok(const uint8_t *o, size_t len)
{
	size_t i = 0;

	while (i < len) {
		if (o[i] == 0) /* end of option list */
			return 0;
		if (o[i] == 1) { /* no-op */
			i++;
			continue;
		}
		if (i + 1 >= len || o[i + 1] < 2 || i + o[i + 1] > len)
			return -1;
		i += o[i + 1];
	}
	return 0;
}

int
decode_ipv4(
    struct sensor_decoder *d, struct sc_pkt *p, const uint8_t *b, size_t len)
{
	size_t hlen, tot;
	uint16_t fragf;
	uint32_t off;
	int more;
	uint8_t *whole;
	size_t wlen;

	if (len < IPV4_HLEN_MIN) {
		d->ctr[CTR_IPV4_SHORT]++;
		return -1;
	}
	if ((b[0] >> 4) != 4) {
		d->ctr[CTR_IPV4_VERSION]++;
		return -1;
	}
	hlen = (size_t)(b[0] & 0x0f) * 4;
	tot = (size_t)(b[2] << 8 | b[3]);
	if (hlen < IPV4_HLEN_MIN || hlen > len) {
		d->ctr[CTR_IPV4_HLEN]++;
		return -1;
	}
	if (tot < hlen || tot > len) {
		/* TSO captures write 0 here; use what was captured. */
		if (tot != 0) {
			d->ctr[CTR_IPV4_TOTLEN]++;
			return -1;
		}
		tot = len;
	}
	if (tot < len)
		d->ctr[CTR_IPV4_TRAILER]++;
	if (ipv4_options_ok(b + IPV4_HLEN_MIN, hlen - IPV4_HLEN_MIN) != 0) {
		d->ctr[CTR_IPV4_OPT]++;
		return -1;
	}
	p->ipver = 4;
	p->ttl = b[8];
	p->l3 = b;
	p->l3len = (uint32_t)tot;
	v4_addr(&p->src, b + 12);
	v4_addr(&p->dst, b + 16);
	p->proto = b[9];

	fragf = (uint16_t)(b[6] << 8 | b[7]);
	more = (fragf & 0x2000) != 0;
	off = (uint32_t)(fragf & 0x1fff) * 8;
	if (!more && off == 0)
		return decode_ip_proto(d, p, b[9], b + hlen, tot - hlen);

	/* A fragment. */
	d->ctr[CTR_FRAG_PIECES]++;
	if (d->defrag == NULL || p->reasm != NULL) {
		p->frag_held = 1;
		return 0;
	}
	whole = defrag_add(d->defrag, p->ts_us, 0, &p->src, &p->dst,
	    (uint32_t)(b[4] << 8 | b[5]), b[9], off, more, b + hlen, tot - hlen,
	    b, hlen, &wlen);
	if (whole == NULL) {
		p->frag_held = 1;
		return 0;
	}
	/* Rewrite the copied header: whole length, no fragment bits. */
	whole[2] = (uint8_t)(wlen >> 8);
	whole[3] = (uint8_t)wlen;
	whole[6] = 0;
	whole[7] = 0;
	p->reasm = whole;
	p->l3 = whole;
	p->l3len = (uint32_t)wlen;
	return decode_ip_proto(d, p, whole[9], whole + hlen, wlen - hlen);
}
