/*
 * test_sensor_decode.c — decoders, defrag, TCP reassembly and the
 * app-layer parsers, fed hand-built bytes; malformed input must be
 * counted by reason.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "sensor/capture.h"
#include "sensor/sensor_int.h"
#include "tests/tap.h"

static uint64_t ctr[CTR_MAX];

static int
dec(int linktype, const uint8_t *b, size_t n, struct sc_pkt *p,
    struct defrag *df)
{
	struct sensor_decoder d = { ctr, df };

	memset(p, 0, sizeof(*p));
	p->raw = b;
	p->caplen = p->wirelen = (uint32_t)n;
	p->linktype = linktype;
	return decode_packet(&d, p);
}

/* eth + ipv4 + tcp with 4 payload bytes */
static const uint8_t eth_tcp[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08,
	0x00, /* eth */
	0x45, 0, 0, 44, 0, 1, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 0x04,
	0xd2, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x18, 0xff, 0xff, 0, 0,
	0, 0, 'a', 'b', 'c', 'd' };

static void
test_decoders(void)
{
	struct sc_pkt p;
	uint8_t b[128];

	is_int(dec(1, eth_tcp, sizeof(eth_tcp), &p, NULL), 0, "eth/ipv4/tcp");
	is_int(p.sport, 1234, "sport");
	is_int(p.dport, 80, "dport");
	is_int(p.plen, 4, "payload length");
	is_int(p.tcp_flags, 0x18, "flags");

	memset(ctr, 0, sizeof(ctr));
	is_int(dec(1, eth_tcp, 10, &p, NULL), -1, "short eth");
	is_int(ctr[CTR_ETH_SHORT], 1, "eth.short counted");
	is_int(dec(1, eth_tcp, 30, &p, NULL), -1, "short ipv4");
	is_int(ctr[CTR_IPV4_SHORT], 1, "ipv4.short counted");

	memcpy(b, eth_tcp, sizeof(eth_tcp));
	b[14] = 0x44; /* hlen 16 */
	is_int(dec(1, b, sizeof(eth_tcp), &p, NULL), -1, "bad ihl");
	is_int(ctr[CTR_IPV4_HLEN], 1, "ipv4.bad_hlen counted");

	memcpy(b, eth_tcp, sizeof(eth_tcp));
	b[14 + 3] = 200; /* total length past capture */
	is_int(dec(1, b, sizeof(eth_tcp), &p, NULL), -1, "bad total len");
	is_int(ctr[CTR_IPV4_TOTLEN], 1, "counted");

	memcpy(b, eth_tcp, sizeof(eth_tcp));
	b[34 + 12] = 0x20; /* tcp data offset 8 */
	is_int(dec(1, b, sizeof(eth_tcp), &p, NULL), -1, "bad tcp hlen");
	is_int(ctr[CTR_TCP_HLEN], 1, "tcp.bad_hlen counted");

	/* 802.1Q and QinQ */
	memcpy(b, eth_tcp, 12);
	b[12] = 0x88, b[13] = 0xa8, b[14] = 0, b[15] = 10;
	b[16] = 0x81, b[17] = 0x00, b[18] = 0, b[19] = 20;
	b[20] = 0x08, b[21] = 0x00;
	memcpy(b + 22, eth_tcp + 14, sizeof(eth_tcp) - 14);
	is_int(dec(1, b, sizeof(eth_tcp) + 8, &p, NULL), 0, "qinq decodes");
	is_int(p.nvlan, 2, "two tags");
	is_int(p.vlan[0], 10, "outer vlan");
	is_int(p.vlan[1], 20, "inner vlan");
	is_int(p.dport, 80, "qinq: tcp dport");

	/* three tags: too deep, counted */
	memcpy(b, eth_tcp, 12);
	b[12] = 0x81, b[13] = 0x00, b[14] = 0, b[15] = 5;
	b[16] = 0x88, b[17] = 0xa8;
	memcpy(b + 18, "\x00\x0a\x81\x00\x00\x14\x08\x00", 8);
	memcpy(b + 26, eth_tcp + 14, sizeof(eth_tcp) - 14);
	is_int(dec(1, b, sizeof(eth_tcp) + 12, &p, NULL), -1, "three tags");
	is_int(ctr[CTR_VLAN_DEEP], 1, "vlan.too_deep counted");

	/* BSD NULL, both byte orders; raw IP; Cisco HDLC; SLL */
	memcpy(b, "\x02\x00\x00\x00", 4);
	memcpy(b + 4, eth_tcp + 14, sizeof(eth_tcp) - 14);
	is_int(dec(0, b, sizeof(eth_tcp) - 10, &p, NULL), 0, "null LE");
	memcpy(b, "\x00\x00\x00\x02", 4);
	is_int(dec(0, b, sizeof(eth_tcp) - 10, &p, NULL), 0, "null BE");
	memcpy(b, "\x00\x00\x00\x07", 4);
	is_int(dec(0, b, sizeof(eth_tcp) - 10, &p, NULL), -1, "null family");
	is_int(
	    dec(101, eth_tcp + 14, sizeof(eth_tcp) - 14, &p, NULL), 0, "raw");
	memcpy(b, "\x0f\x00\x08\x00", 4);
	is_int(dec(104, b, sizeof(eth_tcp) - 10, &p, NULL), 0, "c-hdlc");
	is_int(p.dport, 80, "c-hdlc: tcp");
	is_int(dec(147, eth_tcp, sizeof(eth_tcp), &p, NULL), -1,
	    "unknown link type");
	is_int(ctr[CTR_LINK_UNSUPPORTED], 1, "link.unsupported counted");
}

static void
test_ipv4_options(void)
{
	struct sc_pkt p;
	uint8_t b[128];

	memcpy(b, eth_tcp, 14);
	/* IHL 6: one 4-byte option (NOP NOP NOP EOL) */
	memcpy(b + 14, eth_tcp + 14, 20);
	b[14] = 0x46;
	b[14 + 3] = 48;
	memcpy(b + 34, "\x01\x01\x01\x00", 4);
	memcpy(b + 38, eth_tcp + 34, sizeof(eth_tcp) - 34);
	is_int(dec(1, b, sizeof(eth_tcp) + 4, &p, NULL), 0, "ipv4 options");
	is_int(p.plen, 4, "options skipped");
	memcpy(b + 34, "\x07\x09\x00\x00", 4); /* RR option len 9 > 4 */
	memset(ctr, 0, sizeof(ctr));
	is_int(dec(1, b, sizeof(eth_tcp) + 4, &p, NULL), -1, "bad option");
	is_int(ctr[CTR_IPV4_OPT], 1, "ipv4.bad_option counted");
}

static void
test_ipv6_ext(void)
{
	struct sc_pkt p;
	uint8_t b[160];
	size_t n = 0;

	memset(b, 0, sizeof(b));
	b[0] = 0x60;
	b[6] = 0; /* hop-by-hop */
	b[7] = 64;
	b[8 + 15] = 1;
	b[24 + 15] = 2;
	n = 40;
	b[n] = 60; /* next: destination options */
	b[n + 1] = 0; /* 8 bytes */
	b[n + 2] = 1, b[n + 3] = 4; /* PadN */
	n += 8;
	b[n] = 6; /* next: tcp */
	b[n + 1] = 1; /* 16 bytes */
	n += 16;
	memcpy(b + n, eth_tcp + 34, sizeof(eth_tcp) - 34);
	n += sizeof(eth_tcp) - 34;
	b[4] = (uint8_t)((n - 40) >> 8);
	b[5] = (uint8_t)(n - 40);
	is_int(dec(101, b, n, &p, NULL), 0, "ipv6 with two extension headers");
	is_int(p.proto, 6, "transport found after them");
	is_int(p.dport, 80, "tcp decoded");
	is_int(p.plen, 4, "payload");
	b[40 + 8 + 1] = 20; /* ext header longer than the packet */
	memset(ctr, 0, sizeof(ctr));
	is_int(dec(101, b, n, &p, NULL), -1, "truncated extension header");
	is_int(ctr[CTR_IPV6_EXTHDR], 1, "ipv6.bad_ext_header counted");
}

static void
test_defrag(void)
{
	struct defrag *df = defrag_new(1 << 20, 30000000, ctr);
	struct addr a = { { 0 } }, b = { { 1 } };
	uint8_t hdr[20] = { 0x45 };
	size_t n;
	uint8_t *w;

	memset(ctr, 0, sizeof(ctr));
	w = defrag_add(df, 0, 0, &a, &b, 7, 17, 8, 0, (const uint8_t *)"BBBB",
	    4, hdr, 20, &n);
	ok(w == NULL, "tail first: held");
	w = defrag_add(df, 0, 0, &a, &b, 7, 17, 0, 1,
	    (const uint8_t *)"AAAAAAAA", 8, hdr, 20, &n);
	ok(w != NULL && n == 32 && memcmp(w + 20, "AAAAAAAABBBB", 12) == 0,
	    "reassembled in order");
	free(w);
	is_int(defrag_pending(df), 0, "nothing pending");
	/* overlap: first data wins */
	(void)defrag_add(df, 0, 0, &a, &b, 8, 17, 0, 1,
	    (const uint8_t *)"11111111", 8, hdr, 20, &n);
	w = defrag_add(df, 0, 0, &a, &b, 8, 17, 0, 0,
	    (const uint8_t *)"22222222XY", 10, hdr, 20, &n);
	ok(w != NULL && memcmp(w + 20, "11111111XY", 10) == 0,
	    "overlap keeps the first bytes");
	is_int(ctr[CTR_FRAG_OVERLAP], 1, "overlap counted");
	free(w);
	/* timeout */
	(void)defrag_add(df, 0, 0, &a, &b, 9, 17, 0, 1,
	    (const uint8_t *)"11111111", 8, hdr, 20, &n);
	defrag_expire(df, 31000000);
	is_int(defrag_pending(df), 0, "expired");
	is_int(ctr[CTR_FRAG_TIMEOUT], 1, "timeout counted");
	/* memcap: a tiny cap refuses big datagrams */
	defrag_free(df);
	df = defrag_new(3000, 30000000, ctr);
	for (uint32_t id = 0; id < 10; id++)
		(void)defrag_add(df, 0, 0, &a, &b, id, 17, 0, 1,
		    (const uint8_t *)"11111111", 8, hdr, 20, &n);
	ok(defrag_memuse(df) <= 3000, "memcap held (%llu)",
	    (unsigned long long)defrag_memuse(df));
	ok(ctr[CTR_FRAG_MEMCAP] > 0, "memcap drops counted");
	defrag_free(df);
}

struct sbuf {
	struct buf b;
	int gaps;
};

static void
collect(void *arg, const uint8_t *d, size_t n, int gap)
{
	struct sbuf *s = arg;

	s->gaps += gap;
	(void)buf_append(&s->b, d, n);
}

static void
seg(struct stream_ctx *c, struct tcp_stream *t, uint32_t seq, const char *d,
    struct sbuf *out)
{
	(void)stream_segment(
	    c, t, seq, (const uint8_t *)d, strlen(d), collect, out);
}

static void
test_stream(void)
{
	struct stream_ctx c = { ctr, 0, 1 << 20, 1 << 20, 0 };
	struct tcp_stream t;
	struct sbuf out;

	memset(&t, 0, sizeof(t));
	buf_init(&out.b, 1 << 20);
	out.gaps = 0;
	stream_set_base(&t, 0xfffffffe); /* wraps after 2 bytes */
	seg(&c, &t, 0xfffffffe + 6, "GHI", &out);
	seg(&c, &t, 0xfffffffe + 3, "DEF", &out);
	ok(out.b.len == 0, "holes: nothing yet");
	seg(&c, &t, 0xfffffffe, "ABC", &out);
	is_str(buf_cstr(&out.b), "ABCDEFGHI", "in order across seq wrap");
	seg(&c, &t, 0xfffffffe + 4, "xx", &out);
	is_str(buf_cstr(&out.b), "ABCDEFGHI", "retransmission ignored");
	/* held overlaps: first held wins */
	seg(&c, &t, 0xfffffffe + 12, "MNO", &out);
	seg(&c, &t, 0xfffffffe + 11, "zzzzz", &out);
	seg(&c, &t, 0xfffffffe + 9, "JK", &out);
	is_str(buf_cstr(&out.b), "ABCDEFGHIJKzMNOz", "held overlap");
	is_int(c.memuse, 0, "nothing held");
	/* gap given up at flush */
	seg(&c, &t, 0xfffffffe + 20, "TAIL", &out);
	(void)stream_flush(&c, &t, collect, &out);
	is_str(buf_cstr(&out.b), "ABCDEFGHIJKzMNOzTAIL", "flush over gap");
	is_int(out.gaps, 1, "gap reported");
	stream_clear(&c, &t);

	/* depth */
	memset(&t, 0, sizeof(t));
	buf_reset(&out.b);
	c.depth = 5;
	stream_set_base(&t, 100);
	seg(&c, &t, 100, "abc", &out);
	seg(&c, &t, 103, "defg", &out);
	seg(&c, &t, 107, "hij", &out);
	is_str(buf_cstr(&out.b), "abcde", "stream depth");
	c.depth = 0;

	/* per-flow cap: the hole is given up, data goes on */
	memset(&t, 0, sizeof(t));
	buf_reset(&out.b);
	out.gaps = 0;
	c.flow_cap = 4;
	stream_set_base(&t, 0);
	seg(&c, &t, 10, "1234", &out);
	seg(&c, &t, 14, "5678", &out);
	is_str(buf_cstr(&out.b), "12345678", "flow cap: gave up the hole");
	is_int(out.gaps, 1, "gap");
	ok(ctr[CTR_TCP_REASM_FLOWCAP] > 0, "flow cap counted");
	stream_clear(&c, &t);
	buf_free(&out.b);
}

static char got[8][256];
static int ngot;

static void
tx_collect(void *arg, const struct app_tx *tx)
{
	int k = *(int *)arg;

	if (tx->partial)
		return;
	if (ngot < 8 && tx->buf[k] != NULL)
		snprintf(got[ngot++], sizeof(got[0]), "%.*s", (int)tx->len[k],
		    (const char *)tx->buf[k]);
}

static void
test_http(void)
{
	static const char req[] =
	    "GET /a/./b/../c//d%41%2f?x=%41 HTTP/1.1\r\nHost: WWW.X.ORG\r\n"
	    "User-Agent: t\r\n\r\nPOST /u with space HTTP/1.0\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
	    "GET /last HTTP/1.1\r\n\r\n";
	struct http_parser *h = http_parser_new(8192, ctr);
	int k = ABUF_HTTP_URI;
	uint8_t out[64];
	size_t n;

	ngot = 0;
	for (size_t i = 0; i < sizeof(req) - 1; i++) /* byte by byte */
		http_parser_feed(
		    h, (const uint8_t *)req + i, 1, tx_collect, &k);
	is_int(ngot, 3, "three requests");
	is_str(got[0], "/a/c/dA%2f?x=A", "normalised uri");
	is_str(got[1], "/u with space", "uri with spaces");
	is_str(got[2], "/last", "after a chunked body");
	http_parser_free(h);

	n = http_normalize_uri(
	    (const uint8_t *)"/../../etc/passwd", 17, out, sizeof(out));
	is_int(n, 11, "dot-dot above root");
	n = http_normalize_uri((const uint8_t *)"/x/..", 5, out, sizeof(out));
	ok(n == 1 && out[0] == '/', "trailing ..");

	h = http_parser_new(24, ctr);
	memset(ctr, 0, sizeof(ctr));
	ngot = 0;
	{
		static const char two[] =
		    "GET /aaaaaaaaaaaaaaaaaaaaaaaaaaaaa HTTP/1.1\r\n"
		    "GET /ok HTTP/1.1\r\n\r\n";

		http_parser_feed(
		    h, (const uint8_t *)two, sizeof(two) - 1, tx_collect, &k);
	}
	is_int(ctr[CTR_HTTP_LINE_LONG], 1, "overlong line counted");
	is_int(ngot, 1, "resynchronised");
	is_str(got[0], "/ok", "next request found");
	http_parser_free(h);
}

/* Responses matched to pipelined requests: a 1xx answers none, a HEAD
 * response has no body despite its Content-Length, 304 neither, then a
 * chunked body and one that runs to the end of the connection. */
static void
test_http_response(void)
{
	static const char reqs[] = "GET /one HTTP/1.1\r\nHost: a\r\n\r\n"
				   "HEAD /two HTTP/1.1\r\n\r\n"
				   "GET /three HTTP/1.1\r\n\r\n"
				   "GET /four HTTP/1.1\r\n\r\n"
				   "GET /five HTTP/1.0\r\n\r\n";
	static const char resps[] =
	    "HTTP/1.1 100 Continue\r\n\r\n"
	    "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
	    "Content-Length: 12\r\n\r\nHTTP/1.1 999"
	    "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n"
	    "HTTP/1.1 304 Not Modified\r\nContent-Length: 7\r\n\r\n"
	    "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n"
	    "Content-Type: text/plain\r\n\r\n"
	    "4\r\nHTTP\r\n0\r\n\r\n"
	    "HTTP/1.0 500 Internal Server Error\r\n\r\n"
	    "HTTP/1.1 200 OK\r\n\r\n";
	struct http_parser *rq = http_parser_new(8192, ctr);
	struct http_parser *rs = http_response_parser_new(8192, ctr, rq);
	const struct sensor_http *t;
	int k = ABUF_HTTP_STAT_CODE;

	memset(ctr, 0, sizeof(ctr));
	http_parser_feed(
	    rq, (const uint8_t *)reqs, sizeof(reqs) - 1, NULL, NULL);
	is_int(http_parser_txid(rq), 5, "five requests");
	t = http_parser_tx(rq, 1);
	ok(t != NULL && t->have_response == 0, "no response yet");
	ngot = 0;
	for (size_t i = 0; i < sizeof(resps) - 1; i += 7) /* in pieces */
		http_parser_feed(rs, (const uint8_t *)resps + i,
		    sizeof(resps) - 1 - i < 7 ? sizeof(resps) - 1 - i : 7,
		    tx_collect, &k);
	is_int(ngot, 5, "five final responses (the 100 is not one)");
	is_str(got[0], "200", "first status");
	is_str(got[2], "304", "third status");
	is_str(got[3], "404", "fourth status");
	is_str(got[4], "500", "fifth: after the chunked body");
	is_int(ctr[CTR_HTTP_RESP], 5, "counted");
	t = http_parser_tx(rq, 1);
	ok(t != NULL && t->have_response && t->status == 200,
	    "request 1 got 200");
	is_str(t ? t->url : "", "/one", "request 1 url");
	is_str(t ? t->hostname : "", "a", "request 1 host");
	is_str(t ? t->content_type : "", "text/html; charset=utf-8",
	    "content type");
	is_int(t ? t->length : 0, 12, "content length");
	t = http_parser_tx(rq, 2);
	ok(t != NULL && t->status == 200 && t->length == 5000 &&
		strcmp(t->method, "HEAD") == 0,
	    "HEAD: its response has no body");
	t = http_parser_tx(rq, 3);
	ok(t != NULL && t->status == 304 && strcmp(t->url, "/three") == 0,
	    "304 to request 3");
	t = http_parser_tx(rq, 4);
	ok(t != NULL && t->status == 404 &&
		strcmp(t->content_type, "text/plain") == 0 && t->length == -1,
	    "404 chunked, no length");
	t = http_parser_tx(rq, 5);
	ok(t != NULL && t->status == 500 &&
		strcmp(t->stat_msg, "Internal Server Error") == 0 &&
		strcmp(t->protocol, "HTTP/1.0") == 0,
	    "500 with its message to request 5");
	is_int(ctr[CTR_HTTP_RESP_ORPHAN], 0, "no orphan so far");
	is_int(ctr[CTR_HTTP_RESP_BAD], 0, "nothing malformed");
	/* the 500 has no length: the rest is its body, not a response */
	is_int(ngot, 5, "body to close swallows the rest");
	http_parser_free(rs);

	/* more responses than requests: counted, not matched */
	rs = http_response_parser_new(8192, ctr, rq);
	ngot = 0;
	for (int i = 0; i < 6; i++)
		http_parser_feed(rs,
		    (const uint8_t *)"HTTP/1.1 204 No Content\r\n\r\n", 27,
		    tx_collect, &k);
	is_int(ngot, 6, "six 204s");
	is_int(ctr[CTR_HTTP_RESP_ORPHAN], 1, "the sixth answers nothing");
	http_parser_feed(rs, (const uint8_t *)"SSH-2.0\r\n", 9, NULL, NULL);
	is_int(ctr[CTR_HTTP_RESP_BAD], 1, "not a status line: counted");
	http_parser_free(rs);
	http_parser_free(rq);
}

static void
test_dns_tls(void)
{
	static const uint8_t q[] = { 0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0,
		3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c',
		'o', 'm', 0, 0, 1, 0, 1 };
	uint8_t loop[] = { 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12 };
	char name[256];
	uint16_t fl;
	const uint8_t *sni;
	size_t sl;
	/* a minimal ClientHello body with SNI "a.b" */
	static const uint8_t ch[] = { 3, 3, [2 + 32] = 0, 0, 2, 0x13, 1, 1, 0,
		0, 12, 0, 0, 0, 8, 0, 6, 0, 0, 3, 'a', '.', 'b' };

	is_int(dns_query_name(q, sizeof(q), name, sizeof(name), &fl), 15,
	    "dns name length");
	is_str(name, "www.example.com", "dns name");
	is_int(dns_query_name(loop, sizeof(loop), name, sizeof(name), &fl), -1,
	    "pointer loop refused");
	is_int(dns_query_name(q, 20, name, sizeof(name), &fl), -1,
	    "truncated refused");
	is_int(tls_client_hello_sni(ch, sizeof(ch), &sni, &sl), 0, "hello");
	ok(sni != NULL && sl == 3 && memcmp(sni, "a.b", 3) == 0, "sni");
	is_int(tls_client_hello_sni(ch, sizeof(ch) - 2, &sni, &sl), -1,
	    "truncated hello refused");
	is_int(app_detect((const uint8_t *)"GE", 2, 0, 1, 80, 1), APP_UNKNOWN,
	    "short: undecided");
	is_int(app_detect((const uint8_t *)"GET /", 5, 0, 1, 8080, 1), APP_HTTP,
	    "http on any port");
	is_int(app_detect(
		   (const uint8_t *)"\x16\x03\x01\x00\x10", 5, 0, 1, 8443, 1),
	    APP_TLS, "tls on any port");
	is_int(app_detect((const uint8_t *)"SSH-2.0", 7, 0, 1, 80, 1),
	    APP_FAILED, "ssh on port 80 is not http");
}

static void
test_capture_stats(void)
{
	struct capture_stats cs;

	memset(&cs, 0, sizeof(cs));
	capture_stats_update(&cs, 4000000000u, 10, 0);
	capture_stats_update(&cs, 100, 4294967290u, 0); /* recv wrapped */
	is_int(cs.recv, 4294967396ULL, "recv across the wrap");
	capture_stats_update(&cs, 200, 5, 0); /* drop wrapped */
	is_int(cs.drop, 4294967301ULL, "drop across the wrap");
	is_int(cs.recv, 4294967496ULL, "recv keeps counting");
}

static int ended;

static void
on_end(void *arg, struct flow *f)
{
	ended++;
}

static struct sc_pkt
flowpkt(int sport, int64_t ts, uint8_t flags)
{
	struct sc_pkt p;

	memset(&p, 0, sizeof(p));
	p.ipver = 4;
	p.proto = 6;
	p.decoded_l4 = 1;
	p.src.b[15] = 1;
	p.dst.b[15] = 2;
	p.sport = (uint16_t)sport;
	p.dport = 80;
	p.ts_us = ts;
	p.tcp_flags = flags;
	return p;
}

static void
test_flows(void)
{
	struct flow_limits lim = { 2, 10, 100, 5, 30 };
	struct flow_table *ft;
	struct sc_pkt p, r;
	struct flow *f1, *f;

	memset(ctr, 0, sizeof(ctr));
	ended = 0;
	ft = flow_table_new(&lim, ctr, on_end, NULL);
	p = flowpkt(1000, 0, TH_SYN);
	f1 = flow_get(ft, &p);
	ok(f1 != NULL && p.dir == FLOW_TOSERVER, "new flow, to server");
	r = flowpkt(80, 1, TH_SYN | TH_ACK);
	r.src.b[15] = 2, r.dst.b[15] = 1, r.dport = 1000;
	f = flow_get(ft, &r);
	ok(f == f1 && r.dir == FLOW_TOCLIENT, "reply: same flow, to client");
	p = flowpkt(1001, 2, TH_SYN);
	(void)flow_get(ft, &p);
	p = flowpkt(1002, 3, TH_SYN);
	(void)flow_get(ft, &p);
	is_int(flow_count(ft), 2, "bounded at 2 flows");
	is_int(ctr[CTR_FLOW_EVICT], 1, "eviction counted");
	is_int(ended, 1, "evicted flow ended once");
	/* SYN-ACK first: its receiver is the client */
	r = flowpkt(80, 4, TH_SYN | TH_ACK);
	r.src.b[15] = 9, r.dport = 5555;
	f = flow_get(ft, &r);
	ok(f != NULL && r.dir == FLOW_TOCLIENT && f->port[0] == 5555,
	    "syn-ack first: direction from the handshake");
	flow_expire(ft, 1000);
	is_int(flow_count(ft), 0, "timeouts end idle flows");
	ok(ctr[CTR_FLOW_TIMEOUT] >= 2, "timeouts counted");
	p = flowpkt(1003, 2000, TH_SYN);
	(void)flow_get(ft, &p);
	flow_table_free(ft);
	is_int(ended, 5, "every flow ended exactly once");
}

int
main(void)
{
	test_flows();
	test_decoders();
	test_ipv4_options();
	test_ipv6_ext();
	test_defrag();
	test_stream();
	test_http();
	test_http_response();
	test_dns_tls();
	test_capture_stats();
	return done_testing();
}
