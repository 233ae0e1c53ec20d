/*
 * decode_ipv6.c — IPv6 header and extension headers (hop-by-hop,
 * routing, destination options, fragment, AH), bounded in number.  A
 * fragment header sends the packet to defrag.c; the reassembled datagram
 * is the unfragmentable part followed by the fragments' payloads, and its
 * transport is decoded from there.
 */
#include "config.h"

#include <string.h>

#include "sensor/sensor_int.h"

#define IPV6_HLEN 40
#define IPV6_EXT_MAX 8

enum {
	EH_HOPOPTS = 0,
	EH_ROUTING = 43,
	EH_FRAGMENT = 44,
	EH_AH = 51,
	EH_NONE = 59,
	EH_DSTOPTS = 60,
};

static int
ipv6_fragment(struct sensor_decoder *d, struct sc_pkt *p, const uint8_t *b,
    size_t unfrag, const uint8_t *fh, size_t rest)
{
	uint32_t off, id;
	int more;
	uint8_t *whole;
	size_t wlen;
	uint8_t next = fh[0];

	d->ctr[CTR_FRAG_PIECES]++;
	off = (uint32_t)((fh[2] << 8 | fh[3]) & 0xfff8);
	more = fh[3] & 1;
	id = (uint32_t)fh[4] << 24 | (uint32_t)fh[5] << 16 |
	    (uint32_t)fh[6] << 8 | fh[7];
	if (off == 0 && !more) { /* atomic fragment (RFC 6946) */
		return decode_ip_proto(d, p, next, fh + 8, rest - 8);
	}
	if (d->defrag == NULL || p->reasm != NULL) {
		p->frag_held = 1;
		return 0;
	}
	whole = defrag_add(d->defrag, p->ts_us, 1, &p->src, &p->dst, id, next,
	    off, more, fh + 8, rest - 8, b, unfrag, &wlen);
	if (whole == NULL) {
		p->frag_held = 1;
		return 0;
	}
	/* The header chain now ends at the unfragmentable part: its last
	 * next-header field must name the fragment's next header.  We keep
	 * it simple: decode the transport directly. */
	whole[4] = (uint8_t)((wlen - IPV6_HLEN) >> 8);
	whole[5] = (uint8_t)(wlen - IPV6_HLEN);
	p->reasm = whole;
	p->l3 = whole;
	p->l3len = (uint32_t)wlen;
	return decode_ip_proto(d, p, next, whole + unfrag, wlen - unfrag);
}

int
decode_ipv6(
    struct sensor_decoder *d, struct sc_pkt *p, const uint8_t *b, size_t len)
{
	size_t plen, off;
	uint8_t next;
	int n;

	if (len < IPV6_HLEN) {
		d->ctr[CTR_IPV6_SHORT]++;
		return -1;
	}
	if ((b[0] >> 4) != 6) {
		d->ctr[CTR_IPV6_VERSION]++;
		return -1;
	}
	plen = (size_t)(b[4] << 8 | b[5]);
	if (IPV6_HLEN + plen > len) {
		d->ctr[CTR_IPV6_PLEN]++;
		return -1;
	}
	if (plen == 0) { /* jumbogram or TSO: take what was captured */
		plen = len - IPV6_HLEN;
	}
	len = IPV6_HLEN + plen;
	p->ipver = 6;
	p->ttl = b[7];
	p->l3 = b;
	p->l3len = (uint32_t)len;
	memcpy(p->src.b, b + 8, 16);
	memcpy(p->dst.b, b + 24, 16);

	next = b[6];
	off = IPV6_HLEN;
	for (n = 0;; n++) {
		size_t ehlen;

		if (n > IPV6_EXT_MAX) {
			d->ctr[CTR_IPV6_EXTDEEP]++;
			return -1;
		}
		switch (next) {
		case EH_HOPOPTS:
		case EH_ROUTING:
		case EH_DSTOPTS:
		case EH_AH:
			if (off + 8 > len) {
				d->ctr[CTR_IPV6_EXTHDR]++;
				return -1;
			}
			ehlen = next == EH_AH ? ((size_t)b[off + 1] + 2) * 4 :
						((size_t)b[off + 1] + 1) * 8;
			if (off + ehlen > len) {
				d->ctr[CTR_IPV6_EXTHDR]++;
				return -1;
			}
			next = b[off];
			off += ehlen;
			continue;
		case EH_FRAGMENT:
			if (off + 8 > len) {
				d->ctr[CTR_IPV6_EXTHDR]++;
				return -1;
			}
			p->proto = b[off];
			return ipv6_fragment(d, p, b, off, b + off, len - off);
		case EH_NONE:
			p->proto = next;
			return 0;
		default:
			return decode_ip_proto(d, p, next, b + off, len - off);
		}
	}
}
