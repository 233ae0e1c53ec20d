/*
 * decode.c — the decoder dispatch: static tables keyed by link type,
 * ethertype and IP protocol (Suricata's decode tables, as rows).  Each
 * decoder lives in its own file (decode_eth.c, decode_ipv4.c, ...) and
 * reports malformed input through the counters in sensor_int.h.
 */
#include "config.h"

#include <pcap/dlt.h>
#include <string.h>

#include "sensor/sensor_int.h"

const char *const sensor_counter_names[CTR_MAX] = {
#define SC_CTR_NAME(e, s) s,
	SENSOR_COUNTERS(SC_CTR_NAME)
#undef SC_CTR_NAME
};

#define LINKTYPE_RAW 101
#define LINKTYPE_CHDLC 104
#define LINKTYPE_SLL 113
#define LINKTYPE_SLL2 276
#define LINKTYPE_LOOP 108
#define LINKTYPE_IPV4 228
#define LINKTYPE_IPV6 229

static int
decode_raw(
    struct sensor_decoder *d, struct sc_pkt *p, const uint8_t *b, size_t len)
{
	return decode_ip_any(d, p, b, len);
}

static const struct decode_row link_table[] = {
	{ DLT_EN10MB, decode_eth },
	{ DLT_NULL, decode_null },
	{ LINKTYPE_LOOP, decode_null },
	{ DLT_RAW, decode_raw }, /* 12 on Linux (14 on some BSDs) */
	{ 14, decode_raw },
	{ LINKTYPE_RAW, decode_raw },
	{ LINKTYPE_IPV4, decode_raw },
	{ LINKTYPE_IPV6, decode_raw },
	{ LINKTYPE_CHDLC, decode_chdlc },
	{ DLT_C_HDLC, decode_chdlc },
	{ LINKTYPE_SLL, decode_sll },
	{ LINKTYPE_SLL2, decode_sll2 },
};

static const struct decode_row ethertype_table[] = {
	{ 0x0800, decode_ipv4 },
	{ 0x86dd, decode_ipv6 },
	{ 0x8100, decode_vlan },
	{ 0x88a8, decode_vlan },
	{ 0x9100, decode_vlan },
};

static const struct decode_row proto_table[] = {
	{ 6, decode_tcp },
	{ 17, decode_udp },
	{ 1, decode_icmp },
	{ 58, decode_icmpv6 },
};

static decode_fn
lookup(const struct decode_row *t, size_t n, uint32_t key)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].key == key)
			return t[i].fn;
	return NULL;
}

#define NROWS(t) (sizeof(t) / sizeof((t)[0]))

int
decode_packet(struct sensor_decoder *d, struct sc_pkt *p)
{
	decode_fn fn = lookup(link_table, NROWS(link_table), p->linktype);

	d->ctr[CTR_PKTS]++;
	d->ctr[CTR_BYTES] += p->wirelen;
	if (fn == NULL) {
		d->ctr[CTR_LINK_UNSUPPORTED]++;
		return -1;
	}
	return fn(d, p, p->raw, p->caplen);
}

int
decode_ethertype(struct sensor_decoder *d, struct sc_pkt *p, uint16_t type,
    const uint8_t *b, size_t len)
{
	decode_fn fn = lookup(ethertype_table, NROWS(ethertype_table), type);

	if (fn == NULL) {
		d->ctr[CTR_ETHERTYPE_OTHER]++;
		return 0; /* not ours (ARP, LLDP...), not malformed */
	}
	return fn(d, p, b, len);
}

int
decode_ip_proto(struct sensor_decoder *d, struct sc_pkt *p, uint8_t proto,
    const uint8_t *b, size_t len)
{
	decode_fn fn = lookup(proto_table, NROWS(proto_table), proto);

	p->proto = proto;
	if (fn == NULL) {
		d->ctr[CTR_IP_PROTO_OTHER]++;
		p->payload = b;
		p->plen = (uint32_t)len;
		return 0;
	}
	return fn(d, p, b, len);
}

int
decode_ip_any(
    struct sensor_decoder *d, struct sc_pkt *p, const uint8_t *b, size_t len)
{
	if (len < 1) {
		d->ctr[CTR_IPV4_SHORT]++;
		return -1;
	}
	switch (b[0] >> 4) {
	case 4:
		return decode_ipv4(d, p, b, len);
	case 6:
		return decode_ipv6(d, p, b, len);
	default:
		d->ctr[CTR_RAW_VERSION]++;
		return -1;
	}
}
