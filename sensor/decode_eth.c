/*
 * decode_eth.c — Ethernet II and 802.1Q / 802.1ad (QinQ) VLAN tags.
 * Up to PKT_MAX_VLAN tags are recorded (outer first); deeper stacks are
 * counted and dropped.
 */
#include "config.h"

#include "sensor/sensor_int.h"

#define ETH_HLEN 14
#define VLAN_HLEN 4

int
decode_eth(
    struct sensor_decoder *d, struct sc_pkt *p, const uint8_t *b, size_t len)
{
	if (len < ETH_HLEN) {
		d->ctr[CTR_ETH_SHORT]++;
		return -1;
	}
	return decode_ethertype(
	    d, p, (uint16_t)(b[12] << 8 | b[13]), b + ETH_HLEN, len - ETH_HLEN);
}

/* b points at the tag control field; the next ethertype follows it. */
int
decode_vlan(
    struct sensor_decoder *d, struct sc_pkt *p, const uint8_t *b, size_t len)
{
	if (len < VLAN_HLEN) {
		d->ctr[CTR_VLAN_SHORT]++;
		return -1;
	}
	if (p->nvlan >= PKT_MAX_VLAN) {
		d->ctr[CTR_VLAN_DEEP]++;
		return -1;
	}
	p->vlan[p->nvlan++] = (uint16_t)((b[0] << 8 | b[1]) & 0x0fff);
	return decode_ethertype(
	    d, p, (uint16_t)(b[2] << 8 | b[3]), b + VLAN_HLEN, len - VLAN_HLEN);
}
