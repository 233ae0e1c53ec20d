/*
 * fuzz_tls.c — TLS record reassembly and ClientHello SNI parsing: the
 * input as a record stream in pieces, and as a bare ClientHello body.
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
	struct tls_parser *t;
	const uint8_t *sni;
	size_t sl;

	(void)tls_client_hello_sni(data, len, &sni, &sl);
	t = tls_parser_new(ctr);
	if (t == NULL)
		return 0;
	for (size_t i = 0; i < len; i += 13)
		tls_parser_feed(
		    t, data + i, len - i < 13 ? len - i : 13, on_tx, NULL);
	tls_parser_free(t);
	return 0;
}
