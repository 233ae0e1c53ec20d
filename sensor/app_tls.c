/*
 * app_tls.c — the server name (SNI) from a TLS ClientHello.
 *
 * Records (RFC 8446 §5.1) are read from the to-server byte stream; the
 * payloads of handshake records are concatenated, so a ClientHello split
 * over several records or over several TCP segments is put together
 * before it is parsed.  The handshake message is capped at
 * TLS_HELLO_MAX; anything else (or a second hello) is ignored.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sensor/sensor_int.h"

#define TLS_REC_HLEN 5
#define TLS_HELLO_MAX (64 * 1024)

struct tls_parser {
	uint64_t *ctr;
	uint8_t hdr[TLS_REC_HLEN];
	size_t hdr_have;
	size_t rec_left; /* payload bytes of the current record */
	int rec_type;
	uint8_t *hs; /* handshake bytes collected */
	size_t hs_len;
	int done; /* hello parsed, or given up */
};

struct tls_parser *
tls_parser_new(uint64_t *ctr)
{
	struct tls_parser *t = calloc(1, sizeof(*t));

	if (t != NULL)
		t->ctr = ctr;
	return t;
}

void
tls_parser_free(struct tls_parser *t)
{
	if (t == NULL)
		return;
	free(t->hs);
	free(t);
}

void
tls_parser_gap(struct tls_parser *t)
{
	t->done = 1;
}

static uint32_t
get16(const uint8_t *b)
{
	return (uint32_t)(b[0] << 8 | b[1]);
}

int
tls_client_hello_sni(
    const uint8_t *m, size_t len, const uint8_t **sni, size_t *snilen)
{
	size_t i = 2 + 32, end;

	*sni = NULL;
	*snilen = 0;
	if (len < i + 1)
		return -1;
	i += 1 + (size_t)m[i]; /* session id */
	if (i + 2 > len)
		return -1;
	i += 2 + get16(m + i); /* cipher suites */
	if (i + 1 > len)
		return -1;
	i += 1 + (size_t)m[i]; /* compression methods */
	if (i == len)
		return 0; /* no extensions */
	if (i + 2 > len)
		return -1;
	end = i + 2 + get16(m + i);
	if (end > len)
		return -1;
	i += 2;
	while (i + 4 <= end) {
		uint32_t type = get16(m + i), elen = get16(m + i + 2);
		size_t e = i + 4;

		if (e + elen > end)
			return -1;
		if (type == 0 && elen >= 5) { /* server_name */
			size_t lend = e + 2 + get16(m + e), j = e + 2;

			if (lend > e + elen)
				return -1;
			while (j + 3 <= lend) {
				size_t nl = get16(m + j + 1);

				if (j + 3 + nl > lend)
					return -1;
				if (m[j] == 0) { /* host_name */
					*sni = m + j + 3;
					*snilen = nl;
					return 0;
				}
				j += 3 + nl;
			}
		}
		i = e + elen;
	}
	return 0;
}

static void
handshake(struct tls_parser *t, app_tx_fn fn, void *arg)
{
	size_t mlen;
	const uint8_t *sni;
	size_t snilen;
	struct app_tx tx;

	if (t->hs_len < 4)
		return;
	if (t->hs[0] != 1) { /* not a ClientHello */
		t->done = 1;
		return;
	}
	mlen = (size_t)t->hs[1] << 16 | (size_t)t->hs[2] << 8 | t->hs[3];
	if (t->hs_len < 4 + mlen)
		return; /* wait for more records */
	t->done = 1;
	if (tls_client_hello_sni(t->hs + 4, mlen, &sni, &snilen) != 0) {
		t->ctr[CTR_TLS_BAD]++;
		return;
	}
	t->ctr[CTR_TLS_HELLO]++;
	memset(&tx, 0, sizeof(tx));
	tx.dir = FLOW_TOSERVER;
	tx.buf[ABUF_TLS_SNI] = sni;
	tx.len[ABUF_TLS_SNI] = snilen;
	tx.buf[ABUF_RAW] = t->hs;
	tx.len[ABUF_RAW] = 4 + mlen;
	if (fn != NULL)
		fn(arg, &tx);
}

void
tls_parser_feed(
    struct tls_parser *t, const uint8_t *d, size_t len, app_tx_fn fn, void *arg)
{
	while (len > 0 && !t->done) {
		if (t->hdr_have < TLS_REC_HLEN) {
			size_t take = TLS_REC_HLEN - t->hdr_have;

			if (take > len)
				take = len;
			memcpy(t->hdr + t->hdr_have, d, take);
			t->hdr_have += take;
			d += take;
			len -= take;
			if (t->hdr_have < TLS_REC_HLEN)
				return;
			t->rec_type = t->hdr[0];
			t->rec_left = get16(t->hdr + 3);
			if (t->hdr[1] != 3 || t->rec_left == 0) {
				t->ctr[CTR_TLS_BAD]++;
				t->done = 1;
				return;
			}
			continue;
		}
		size_t take = len < t->rec_left ? len : t->rec_left;

		if (t->rec_type == 22) {
			uint8_t *nh;

			if (t->hs_len + take > TLS_HELLO_MAX) {
				t->ctr[CTR_TLS_BAD]++;
				t->done = 1;
				return;
			}
			/* grow to what the records bring, not to the cap */
			if ((nh = realloc(t->hs, t->hs_len + take)) == NULL) {
				t->done = 1;
				return;
			}
			t->hs = nh;
			memcpy(t->hs + t->hs_len, d, take);
			t->hs_len += take;
		}
		d += take;
		len -= take;
		t->rec_left -= take;
		if (t->rec_left == 0) {
			t->hdr_have = 0;
			if (t->rec_type == 22)
				handshake(t, fn, arg);
			else
				t->done = 1; /* hello must come first */
		}
	}
}
