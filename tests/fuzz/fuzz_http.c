/*
 * fuzz_http.c — the HTTP/1.x request parser and URI normaliser.  The
 * input is fed in pieces (the first byte sets the piece size) with a gap
 * in the middle when its top bit is set.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "sensor/sensor_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static uint64_t ctr[CTR_MAX];
static size_t total;

static void
on_tx(void *arg, const struct app_tx *tx)
{
	for (int i = 0; i < ABUF_MAX; i++)
		for (size_t j = 0; tx->buf[i] != NULL && j < tx->len[i]; j++)
			total += tx->buf[i][j];
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct http_parser *h;
	size_t piece, i;
	uint8_t out[512];

	if (len < 1)
		return 0;
	piece = (data[0] & 0x3f) + 1;
	h = http_parser_new(256, ctr);
	if (h == NULL)
		return 0;
	for (i = 1; i < len; i += piece) {
		size_t n = len - i < piece ? len - i : piece;

		if ((data[0] & 0x80) && i > len / 2 && i <= len / 2 + piece)
			http_parser_gap(h);
		http_parser_feed(h, data + i, n, on_tx, NULL);
	}
	http_parser_end(h, on_tx, NULL);
	http_parser_free(h);
	(void)http_normalize_uri(data, len, out, sizeof(out));
	return 0;
}
