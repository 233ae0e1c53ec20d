/*
 * decode_tcp.c — the TCP header (flags, sequence numbers, data offset).  Checksums
 * are not validated: Suricata's pcap default and the conformance cases
 * expect packets with bad checksums to be inspected anyway.
 */
#include "config.h"

#include "sensor/sensor_int.h"

#define TCP_HLEN_MIN 20

int
decode_tcp(
    struct sensor_decoder *d, struct sc_pkt *p, const uint8_t *b, size_t len)
{
	size_t hlen;

	if (len < TCP_HLEN_MIN) {
		d->ctr[CTR_TCP_SHORT]++;
		return -1;
	}
	hlen = (size_t)(b[12] >> 4) * 4;
	if (hlen < TCP_HLEN_MIN || hlen > len) {
		d->ctr[CTR_TCP_HLEN]++;
		return -1;
	}
	p->l4 = b;
	p->l4len = (uint32_t)len;
	p->sport = be16(b);
	p->dport = be16(b + 2);
	p->seq = be32(b + 4);
	p->ack = be32(b + 8);
	p->tcp_flags = b[13];
	p->win = be16(b + 14);
	p->payload = b + hlen;
	p->plen = (uint32_t)(len - hlen);
	p->decoded_l4 = 1;
	return 0;
}
