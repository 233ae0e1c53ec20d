/*
 * decode_icmp.c — ICMP and ICMPv6: type and code (they stand in for ports in
 * flow keys, as in Suricata) and the payload after the 8-byte header.
 */
#include "config.h"

#include "sensor/sensor_int.h"

#define ICMP_HLEN 4

static int
decode_icmp_common(struct sc_pkt *p, const uint8_t *b, size_t len)
{
	p->l4 = b;
	p->l4len = (uint32_t)len;
	p->icmp_type = b[0];
	p->icmp_code = b[1];
	/* type/code stand in for ports in flow keys, as Suricata does */
	p->sport = b[0];
	p->dport = b[1];
	p->payload = len >= 8 ? b + 8 : b + len;
	p->plen = len >= 8 ? (uint32_t)(len - 8) : 0;
	p->decoded_l4 = 1;
	return 0;
}

int
decode_icmp(
    struct sensor_decoder *d, struct sc_pkt *p, const uint8_t *b, size_t len)
{
	if (len < ICMP_HLEN) {
		d->ctr[CTR_ICMP_SHORT]++;
		return -1;
	}
	return decode_icmp_common(p, b, len);
}

int
decode_icmpv6(
    struct sensor_decoder *d, struct sc_pkt *p, const uint8_t *b, size_t len)
{
	if (len < ICMP_HLEN) {
		d->ctr[CTR_ICMPV6_SHORT]++;
		return -1;
	}
	return decode_icmp_common(p, b, len);
}
