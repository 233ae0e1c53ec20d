/*
 * decode_udp.c — the UDP header; bytes past the UDP length are trailing
 * data, not payload (a conformance case depends on it).
 */
#include "config.h"

#include "sensor/sensor_int.h"

#define UDP_HLEN 8

int
decode_udp(
    struct sensor_decoder *d, struct sc_pkt *p, const uint8_t *b, size_t len)
{
	size_t ulen;

	if (len < UDP_HLEN) {
		d->ctr[CTR_UDP_SHORT]++;
		return -1;
	}
	ulen = be16(b + 4);
	if (ulen < UDP_HLEN || ulen > len) {
		/* 0 is legal for IPv6 jumbograms; otherwise malformed */
		if (!(ulen == 0 && p->ipver == 6)) {
			d->ctr[CTR_UDP_LEN]++;
			return -1;
		}
		ulen = len;
	}
	p->l4 = b;
	p->l4len = (uint32_t)ulen;
	p->sport = be16(b);
	p->dport = be16(b + 2);
	/* Bytes after the UDP length are trailing data, not payload. */
	p->payload = b + UDP_HLEN;
	p->plen = (uint32_t)(ulen - UDP_HLEN);
	p->decoded_l4 = 1;
	return 0;
}
