/*
 * fuzz_http.c — the HTTP/1.x request and response parsers and the URI
 * normaliser.  The input is fed in pieces (the low six bits of the first
 * byte set the piece size) with a gap in the middle when its top bit is
 * set.  With bit 0x40 the input is a to-client stream: the response
 * parser reads it after its request parser has seen three requests (one
 * of them HEAD), and every kept transaction summary is read back.
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
	static const char reqs[] = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
				   "HEAD /b HTTP/1.1\r\n\r\n"
				   "POST /c HTTP/1.0\r\nContent-Length: 1\r\n"
				   "\r\nx";
	struct http_parser *h, *req = NULL;
	size_t piece, i;
	uint8_t out[512];

	if (len < 1)
		return 0;
	piece = (data[0] & 0x3f) + 1;
	if (data[0] & 0x40) {
		if ((req = http_parser_new(256, ctr)) == NULL)
			return 0;
		http_parser_feed(
		    req, (const uint8_t *)reqs, sizeof(reqs) - 1, on_tx, NULL);
		h = http_response_parser_new(256, ctr, req);
	} else {
		h = http_parser_new(256, ctr);
	}
	if (h == NULL) {
		http_parser_free(req);
		return 0;
	}
	for (i = 1; i < len; i += piece) {
		size_t n = len - i < piece ? len - i : piece;

		if ((data[0] & 0x80) && i > len / 2 && i <= len / 2 + piece)
			http_parser_gap(h);
		http_parser_feed(h, data + i, n, on_tx, NULL);
	}
	http_parser_end(h, on_tx, NULL);
	for (uint64_t id = 0; req != NULL && id <= http_parser_txid(req);
	     id++) {
		const struct sensor_http *t = http_parser_tx(req, id);

		if (t != NULL)
			total += strlen(t->url) + strlen(t->content_type) +
			    strlen(t->stat_msg) + (size_t)t->status;
	}
	http_parser_free(h);
	http_parser_free(req);
	(void)http_normalize_uri(data, len, out, sizeof(out));
	return 0;
}
