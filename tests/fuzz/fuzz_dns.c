/*
 * fuzz_dns.c — DNS query-name parsing of one message (as UDP) and of the
 * same bytes as a TCP stream with two-byte length framing, in pieces.
 */
#include "config.h"

#include <stdint.h>

#include "sensor/sensor_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static uint64_t ctr[CTR_MAX];

static void
on_tx(void *arg, const struct app_tx *tx)
{
	(void)arg;
	(void)tx;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct dns_tcp *t;
	char name[256];
	uint16_t fl;

	(void)dns_query_name(data, len, name, sizeof(name), &fl);
	(void)dns_udp_message(data, len, 0, ctr, on_tx, NULL);
	t = dns_tcp_new(ctr);
	if (t == NULL)
		return 0;
	for (size_t i = 0; i < len; i += 7)
		dns_tcp_feed(
		    t, data + i, len - i < 7 ? len - i : 7, 0, on_tx, NULL);
	dns_tcp_free(t);
	return 0;
}
