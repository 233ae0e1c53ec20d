/*
 * decode_link.c — the small link layers: BSD NULL/loopback (a 4-byte
 * address family in host order of the capturing machine, so both byte
 * orders are accepted), Linux cooked capture v1 (SLL, 16 bytes) and v2
 * (SLL2, 20 bytes), and Cisco HDLC (4 bytes: address, control, protocol).
 */
#include "config.h"

#include "sensor/sensor_int.h"

#define NULL_HLEN 4
#define SLL_HLEN 16
#define SLL2_HLEN 20
#define CHDLC_HLEN 4

int
decode_null(
    struct sensor_decoder *d, struct sc_pkt *p, const uint8_t *b, size_t len)
{
	uint32_t le, be;

	if (len < NULL_HLEN) {
		d->ctr[CTR_NULL_SHORT]++;
		return -1;
	}
	le = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	    (uint32_t)b[3] << 24;
	be = (uint32_t)b[3] | (uint32_t)b[2] << 8 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[0] << 24;
	/* AF_INET is 2 everywhere; AF_INET6 is 10, 24, 28 or 30. */
	if (le == 2 || be == 2)
		return decode_ipv4(d, p, b + NULL_HLEN, len - NULL_HLEN);
	if (le == 10 || le == 24 || le == 28 || le == 30 || be == 10 ||
	    be == 24 || be == 28 || be == 30)
		return decode_ipv6(d, p, b + NULL_HLEN, len - NULL_HLEN);
	d->ctr[CTR_NULL_FAMILY]++;
	return -1;
}

int
decode_sll(
    struct sensor_decoder *d, struct sc_pkt *p, const uint8_t *b, size_t len)
{
	if (len < SLL_HLEN) {
		d->ctr[CTR_SLL_SHORT]++;
		return -1;
	}
	return decode_ethertype(
	    d, p, (uint16_t)(b[14] << 8 | b[15]), b + SLL_HLEN, len - SLL_HLEN);
}

int
decode_sll2(
    struct sensor_decoder *d, struct sc_pkt *p, const uint8_t *b, size_t len)
{
	if (len < SLL2_HLEN) {
		d->ctr[CTR_SLL2_SHORT]++;
		return -1;
	}
	return decode_ethertype(
	    d, p, (uint16_t)(b[0] << 8 | b[1]), b + SLL2_HLEN, len - SLL2_HLEN);
}

int
decode_chdlc(
    struct sensor_decoder *d, struct sc_pkt *p, const uint8_t *b, size_t len)
{
	if (len < CHDLC_HLEN) {
		d->ctr[CTR_CHDLC_SHORT]++;
		return -1;
	}
	/* The protocol field carries an ethertype. */
	return decode_ethertype(d, p, (uint16_t)(b[2] << 8 | b[3]),
	    b + CHDLC_HLEN, len - CHDLC_HLEN);
}
