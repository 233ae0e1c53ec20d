/*
 * app_dns.c — DNS query names, from UDP datagrams and from TCP streams
 * (RFC 1035 §4.2.2 two-byte length framing).  Only the question section's
 * first name is read; compression pointers are followed a bounded number
 * of times and never forwards past the message.  dns.query is offered for
 * queries (QR = 0) only, as in Suricata.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sensor/sensor_int.h"

#define DNS_HLEN 12
#define DNS_TCP_MSG_MAX 65535
#define DNS_PTR_MAX 16

int
dns_query_name(
    const uint8_t *m, size_t len, char *out, size_t outlen, uint16_t *flags)
{
	size_t i = DNS_HLEN, o = 0;
	int jumps = 0;

	if (len < DNS_HLEN || outlen == 0)
		return -1;
	if (flags != NULL)
		*flags = (uint16_t)(m[2] << 8 | m[3]);
	if ((m[4] << 8 | m[5]) == 0) /* no question */
		return -1;
	for (;;) {
		uint8_t l;

		if (i >= len)
			return -1;
		l = m[i];
		if (l == 0)
			break;
		if ((l & 0xc0) == 0xc0) {
			if (i + 1 >= len || ++jumps > DNS_PTR_MAX)
				return -1;
			i = (size_t)((l & 0x3f) << 8 | m[i + 1]);
			continue;
		}
		if ((l & 0xc0) != 0 || i + 1 + l > len)
			return -1;
		if (o > 0) {
			if (o + 1 >= outlen)
				return -1;
			out[o++] = '.';
		}
		if (o + l >= outlen)
			return -1;
		memcpy(out + o, m + i + 1, l);
		o += l;
		i += 1 + (size_t)l;
	}
	out[o] = '\0';
	return (int)o;
}

int
dns_udp_message(const uint8_t *m, size_t len, int dir, uint64_t *ctr,
    app_tx_fn fn, void *arg)
{
	char name[256];
	uint16_t flags;
	struct app_tx tx;
	int n = dns_query_name(m, len, name, sizeof(name), &flags);

	if (n < 0) {
		ctr[CTR_DNS_BAD]++;
		return -1;
	}
	memset(&tx, 0, sizeof(tx));
	tx.dir = (uint8_t)dir;
	if (!(flags & 0x8000)) {
		ctr[CTR_DNS_QUERY]++;
		tx.buf[ABUF_DNS_QUERY] = (const uint8_t *)name;
		tx.len[ABUF_DNS_QUERY] = (size_t)n;
	}
	tx.buf[ABUF_RAW] = m;
	tx.len[ABUF_RAW] = len;
	if (fn != NULL)
		fn(arg, &tx);
	return 0;
}

struct dns_tcp {
	uint64_t *ctr;
	uint8_t *msg;
	size_t have; /* bytes of length prefix + message so far */
	size_t need; /* message length, once the prefix is in */
	int skip; /* after a gap: stop parsing this direction */
};

struct dns_tcp *
dns_tcp_new(uint64_t *ctr)
{
	struct dns_tcp *t = calloc(1, sizeof(*t));

	if (t != NULL)
		t->ctr = ctr;
	return t;
}

void
dns_tcp_free(struct dns_tcp *t)
{
	if (t == NULL)
		return;
	free(t->msg);
	free(t);
}

void
dns_tcp_gap(struct dns_tcp *t)
{
	t->skip = 1;
}

void
dns_tcp_feed(struct dns_tcp *t, const uint8_t *d, size_t len, int dir,
    app_tx_fn fn, void *arg)
{
	if (t->msg == NULL && (t->msg = malloc(2 + DNS_TCP_MSG_MAX)) == NULL)
		return;
	while (len > 0 && !t->skip) {
		size_t want = t->have < 2 ? 2 - t->have : 2 + t->need - t->have;
		size_t take = len < want ? len : want;

		memcpy(t->msg + t->have, d, take);
		t->have += take;
		d += take;
		len -= take;
		if (t->have == 2) {
			t->need = (size_t)(t->msg[0] << 8 | t->msg[1]);
			if (t->need < DNS_HLEN) {
				t->ctr[CTR_DNS_BAD]++;
				t->skip = 1;
				return;
			}
			continue;
		}
		if (t->have >= 2 && t->have == 2 + t->need) {
			(void)dns_udp_message(
			    t->msg + 2, t->need, dir, t->ctr, fn, arg);
			t->have = 0;
			t->need = 0;
		}
	}
}
