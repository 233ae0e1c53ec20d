/*
 * app_http.c — HTTP/1.x requests from the to-server byte stream.
 *
 * A small state machine: request line, header lines, then a body framed
 * by Content-Length or chunked encoding, which is skipped so that the next
 * (pipelined) request is found.  Lines are capped (SC_HTTP_LINE_MAX);
 * an overlong line or a gap in the stream abandons the current request
 * and resynchronises on the next line that looks like a request line.
 * Each request whose headers are complete becomes one transaction with
 * method, normalised URI, Host and User-Agent (and its raw header bytes).
 *
 * The URI is split as libhtp does: method up to the first space, protocol
 * the last word if it starts with "HTTP/", the URI everything between, so
 * a URI may contain spaces.
 *
 * Responses (the to-client stream) use the same machine with a status
 * line ("HTTP/1.1 200 OK") in place of the request line.  The body is
 * framed as RFC 9112 §6.3 says: none for a HEAD request's response and
 * for 1xx, 204 and 304; else chunked, Content-Length, or to the end of
 * the connection.  An interim 1xx response answers no request; the n-th
 * final response answers the n-th request (pipelining), whose kept
 * summary (struct sensor_http) gets the status, Content-Type and
 * Content-Length for the alerts.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "sensor/sensor_int.h"

#define HTTP_RAW_MAX (16 * 1024) /* raw request bytes kept per request */
#define HTTP_FIELD_MAX 4096

enum http_state {
	HS_LINE, /* expecting a request line */
	HS_HEADERS,
	HS_BODY, /* Content-Length bytes left */
	HS_CHUNK_SIZE,
	HS_CHUNK_DATA,
	HS_CHUNK_CRLF,
	HS_TRAILER,
	HS_SKIPLINE, /* discarding an overlong line */
	HS_TO_CLOSE, /* a response body without length, or a tunnel */
};

struct http_parser {
	int state;
	size_t line_max;
	uint64_t *ctr;
	struct buf line;
	struct buf raw;
	uint8_t method[64];
	size_t method_len;
	struct buf uri, host, ua; /* grown on demand, HTTP_FIELD_MAX each */
	int have_host, have_ua, in_request;
	uint64_t txid;
	uint64_t body_left;
	int chunked;
	int have_clen;
	/* requests: a summary of the last HTTP_TX_KEEP, by txid; whether
	 * each was HEAD (its response has no body) */
	struct sensor_http keep[HTTP_TX_KEEP];
	uint8_t keep_head[HTTP_TX_KEEP];
	uint8_t proto[16];
	size_t proto_len;
	/* responses */
	struct http_parser *req; /* NULL: this is a request parser */
	int status;
	uint8_t stat_code[4];
	uint8_t stat_msg[64];
	size_t stat_msg_len;
	struct buf ctype;
	int have_ctype;
	int interim; /* a 1xx: not a transaction */
};

struct http_parser *
http_parser_new(size_t line_max, uint64_t *ctr)
{
	struct http_parser *h = calloc(1, sizeof(*h));

	if (h == NULL)
		return NULL;
	h->line_max = line_max;
	h->ctr = ctr;
	buf_init(&h->line, line_max);
	buf_init(&h->raw, HTTP_RAW_MAX);
	buf_init(&h->uri, HTTP_FIELD_MAX);
	buf_init(&h->host, HTTP_FIELD_MAX);
	buf_init(&h->ua, HTTP_FIELD_MAX);
	buf_init(&h->ctype, HTTP_FIELD_MAX);
	return h;
}

struct http_parser *
http_response_parser_new(
    size_t line_max, uint64_t *ctr, struct http_parser *req)
{
	struct http_parser *h = http_parser_new(line_max, ctr);

	if (h != NULL)
		h->req = req;
	return h;
}

const struct sensor_http *
http_parser_tx(const struct http_parser *req, uint64_t id)
{
	const struct sensor_http *t;

	if (req == NULL || id == 0)
		return NULL;
	t = &req->keep[id % HTTP_TX_KEEP];
	return t->id == id ? t : NULL;
}

uint64_t
http_parser_txid(const struct http_parser *h)
{
	return h != NULL ? h->txid : 0;
}

void
http_parser_free(struct http_parser *h)
{
	if (h == NULL)
		return;
	buf_free(&h->line);
	buf_free(&h->raw);
	buf_free(&h->uri);
	buf_free(&h->host);
	buf_free(&h->ua);
	buf_free(&h->ctype);
	free(h);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decode [in, in+len) into out; an encoded '/' stays encoded
 * when keep_slash is set. */
static size_t
pct_decode(
    const uint8_t *in, size_t len, uint8_t *out, size_t outlen, int keep_slash)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o < outlen; i++) {
		int c = in[i];

		if (c == '%' && i + 2 < len && hexval(in[i + 1]) >= 0 &&
		    hexval(in[i + 2]) >= 0) {
			int v = hexval(in[i + 1]) << 4 | hexval(in[i + 2]);

			if (!(keep_slash && v == '/')) {
				c = v;
				i += 2;
			}
		}
		out[o++] = (uint8_t)c;
	}
	return o;
}

/* RFC 3986 remove_dot_segments plus "//" -> "/", in place. */
static size_t
path_clean(uint8_t *p, size_t n)
{
	size_t o = 0, i = 0;

	while (i < n) {
		size_t j, sl;

		if (p[i] != '/') {
			p[o++] = p[i++];
			continue;
		}
		j = i + 1;
		while (j < n && p[j] != '/')
			j++;
		sl = j - i - 1;
		if ((sl == 0 && j < n) || (sl == 1 && p[i + 1] == '.')) {
			i = j;
			if (j == n)
				p[o++] = '/';
			continue;
		}
		if (sl == 2 && p[i + 1] == '.' && p[i + 2] == '.') {
			while (o > 0 && p[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
			i = j;
			if (j == n)
				p[o++] = '/';
			continue;
		}
		memmove(p + o, p + i, sl + 1);
		o += sl + 1;
		i = j;
	}
	return o;
}

size_t
http_normalize_uri(const uint8_t *in, size_t len, uint8_t *out, size_t outlen)
{
	size_t path_end = len, o;

	for (size_t i = 0; i < len; i++)
		if (in[i] == '?' || in[i] == '#') {
			path_end = i;
			break;
		}
	o = pct_decode(in, path_end, out, outlen, 1);
	o = path_clean(out, o);
	o += pct_decode(in + path_end, len - path_end, out + o, outlen - o, 0);
	return o;
}

static void
copy_field(struct buf *dst, const uint8_t *src, size_t len)
{
	if (len > HTTP_FIELD_MAX)
		len = HTTP_FIELD_MAX;
	buf_reset(dst);
	(void)buf_append(dst, src, len);
}

static int
is_method_char(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' ||
	    c == '_';
}

/* Parse a request line; 0 if it is one. */
static int
request_line(struct http_parser *h, const uint8_t *l, size_t n)
{
	size_t m = 0, end = n, start, ulen;

	while (m < n && is_method_char(l[m]))
		m++;
	if (m == 0 || m >= n || m > sizeof(h->method) || l[m] != ' ')
		return -1;
	memcpy(h->method, l, m);
	h->method_len = m;
	h->proto_len = 0;
	start = m;
	while (start < n && l[start] == ' ')
		start++;
	/* protocol: the last word, if it is HTTP/x */
	while (end > start && l[end - 1] == ' ')
		end--;
	for (size_t k = end; k > start; k--) {
		if (l[k - 1] == ' ') {
			if (end - k >= 5 && memcmp(l + k, "HTTP/", 5) == 0) {
				h->proto_len = end - k < sizeof(h->proto) ?
				    end - k :
				    sizeof(h->proto) - 1;
				memcpy(h->proto, l + k, h->proto_len);
				end = k - 1;
				while (end > start && l[end - 1] == ' ')
					end--;
			}
			break;
		}
	}
	buf_reset(&h->uri);
	ulen = end - start < HTTP_FIELD_MAX ? end - start : HTTP_FIELD_MAX;
	if (ulen > 0 && buf_reserve(&h->uri, ulen) == 0)
		h->uri.len = http_normalize_uri(
		    l + start, end - start, h->uri.data, ulen);
	return 0;
}

static void
header_line(struct http_parser *h, const uint8_t *l, size_t n)
{
	size_t c = 0, v;

	while (c < n && l[c] != ':')
		c++;
	if (c == n)
		return;
	v = c + 1;
	while (v < n && (l[v] == ' ' || l[v] == '\t'))
		v++;
	while (n > v && (l[n - 1] == ' ' || l[n - 1] == '\t'))
		n--;
	if (c == 4 && strncasecmp((const char *)l, "host", 4) == 0 &&
	    !h->have_host) {
		copy_field(&h->host, l + v, n - v);
		/* http.host is normalised to lowercase */
		for (size_t i = 0; i < h->host.len; i++)
			if (h->host.data[i] >= 'A' && h->host.data[i] <= 'Z')
				h->host.data[i] += 32;
		h->have_host = 1;
	} else if (c == 10 &&
	    strncasecmp((const char *)l, "user-agent", 10) == 0 &&
	    !h->have_ua) {
		copy_field(&h->ua, l + v, n - v);
		h->have_ua = 1;
	} else if (c == 14 &&
	    strncasecmp((const char *)l, "content-length", 14) == 0) {
		uint64_t cl = 0;

		for (size_t i = v; i < n && l[i] >= '0' && l[i] <= '9'; i++)
			if (cl < (1ULL << 50))
				cl = cl * 10 + (uint64_t)(l[i] - '0');
		h->body_left = cl;
		h->have_clen = 1;
	} else if (c == 12 &&
	    strncasecmp((const char *)l, "content-type", 12) == 0 &&
	    !h->have_ctype) {
		copy_field(&h->ctype, l + v, n - v);
		h->have_ctype = 1;
	} else if (c == 17 &&
	    strncasecmp((const char *)l, "transfer-encoding", 17) == 0) {
		if (n - v >= 7 &&
		    strncasecmp((const char *)l + n - 7, "chunked", 7) == 0)
			h->chunked = 1;
	}
}

static void keep_request(struct http_parser *);

/* A transaction is offered twice: once its request line is complete
 * (partial: method and URI, as libhtp makes them available), and once its
 * headers are. */
static void
emit(struct http_parser *h, app_tx_fn fn, void *arg, int partial)
{
	struct app_tx tx;

	memset(&tx, 0, sizeof(tx));
	tx.dir = FLOW_TOSERVER;
	tx.partial = (uint8_t)partial;
	tx.id = h->txid;
	tx.buf[ABUF_HTTP_METHOD] = h->method;
	tx.len[ABUF_HTTP_METHOD] = h->method_len;
	tx.buf[ABUF_HTTP_URI] = (const uint8_t *)buf_cstr(&h->uri);
	tx.len[ABUF_HTTP_URI] = h->uri.len;
	if (h->have_host) {
		tx.buf[ABUF_HTTP_HOST] = (const uint8_t *)buf_cstr(&h->host);
		tx.len[ABUF_HTTP_HOST] = h->host.len;
	}
	if (h->have_ua) {
		tx.buf[ABUF_HTTP_UA] = (const uint8_t *)buf_cstr(&h->ua);
		tx.len[ABUF_HTTP_UA] = h->ua.len;
	}
	tx.buf[ABUF_RAW] = h->raw.data;
	tx.len[ABUF_RAW] = h->raw.len;
	if (!partial) {
		h->ctr[CTR_HTTP_TX]++;
		h->in_request = 0;
	}
	keep_request(h);
	if (fn != NULL)
		fn(arg, &tx);
}

/* NUL-terminated, truncated copy of a field; bytes outside printable
 * ASCII are kept (the outputs escape them). */
static void
field(char *out, size_t outlen, const uint8_t *in, size_t n)
{
	if (n >= outlen)
		n = outlen - 1;
	if (n > 0)
		memcpy(out, in, n);
	out[n] = '\0';
}

/* The request's summary, kept for its response and the alerts. */
static void
keep_request(struct http_parser *h)
{
	struct sensor_http *t = &h->keep[h->txid % HTTP_TX_KEEP];

	if (t->id != h->txid) {
		memset(t, 0, sizeof(*t));
		t->id = h->txid;
		t->length = -1;
	}
	field(t->method, sizeof(t->method), h->method, h->method_len);
	field(t->url, sizeof(t->url), h->uri.data, h->uri.len);
	field(t->hostname, sizeof(t->hostname), h->host.data,
	    h->have_host ? h->host.len : 0);
	field(t->user_agent, sizeof(t->user_agent), h->ua.data,
	    h->have_ua ? h->ua.len : 0);
	field(t->protocol, sizeof(t->protocol), h->proto, h->proto_len);
	h->keep_head[h->txid % HTTP_TX_KEEP] =
	    h->method_len == 4 && memcmp(h->method, "HEAD", 4) == 0;
}

/* ---- responses ------------------------------------------------------- */

/* "HTTP/x.y NNN [msg]"; 0 if it is one. */
static int
status_line(struct http_parser *h, const uint8_t *l, size_t n)
{
	size_t i = 5, m;

	if (n < 12 || memcmp(l, "HTTP/", 5) != 0)
		return -1;
	while (i < n && l[i] != ' ')
		i++;
	while (i < n && l[i] == ' ')
		i++;
	if (i + 3 > n || l[i] < '1' || l[i] > '5' || l[i + 1] < '0' ||
	    l[i + 1] > '9' || l[i + 2] < '0' || l[i + 2] > '9' ||
	    (i + 3 < n && l[i + 3] != ' '))
		return -1;
	memcpy(h->stat_code, l + i, 3);
	h->stat_code[3] = '\0';
	h->status =
	    (l[i] - '0') * 100 + (l[i + 1] - '0') * 10 + (l[i + 2] - '0');
	m = i + 3;
	while (m < n && l[m] == ' ')
		m++;
	h->stat_msg_len =
	    n - m < sizeof(h->stat_msg) ? n - m : sizeof(h->stat_msg);
	memcpy(h->stat_msg, l + m, h->stat_msg_len);
	return 0;
}

static void
start_response(struct http_parser *h)
{
	h->have_ctype = 0;
	buf_reset(&h->ctype);
	h->body_left = 0;
	h->have_clen = 0;
	h->chunked = 0;
	h->in_request = 1;
}

/* The response's headers are complete: match it to its request, offer
 * it as a transaction and pick how its body ends. */
static void
response_done(struct http_parser *h, app_tx_fn fn, void *arg)
{
	struct app_tx tx;
	struct sensor_http *t = NULL;
	int head = 0, nobody;

	h->in_request = 0;
	if (h->interim) { /* 1xx: the final response is still to come */
		h->state = h->status == 101 ? HS_TO_CLOSE : HS_LINE;
		return;
	}
	h->ctr[CTR_HTTP_RESP]++;
	if (h->req != NULL && h->txid <= h->req->txid &&
	    h->req->keep[h->txid % HTTP_TX_KEEP].id == h->txid) {
		t = &h->req->keep[h->txid % HTTP_TX_KEEP];
		head = h->req->keep_head[h->txid % HTTP_TX_KEEP];
	} else if (h->req == NULL || h->txid > h->req->txid) {
		h->ctr[CTR_HTTP_RESP_ORPHAN]++;
	}
	if (t != NULL) {
		t->have_response = 1;
		t->status = h->status;
		field(t->stat_msg, sizeof(t->stat_msg), h->stat_msg,
		    h->stat_msg_len);
		field(t->content_type, sizeof(t->content_type), h->ctype.data,
		    h->have_ctype ? h->ctype.len : 0);
		t->length = h->have_clen ? (int64_t)h->body_left : -1;
	}
	memset(&tx, 0, sizeof(tx));
	tx.dir = FLOW_TOCLIENT;
	tx.response = 1;
	tx.id = h->txid;
	tx.buf[ABUF_HTTP_STAT_CODE] = h->stat_code;
	tx.len[ABUF_HTTP_STAT_CODE] = 3;
	tx.buf[ABUF_HTTP_STAT_MSG] = h->stat_msg;
	tx.len[ABUF_HTTP_STAT_MSG] = h->stat_msg_len;
	if (h->have_ctype) {
		tx.buf[ABUF_HTTP_CTYPE] = (const uint8_t *)buf_cstr(&h->ctype);
		tx.len[ABUF_HTTP_CTYPE] = h->ctype.len;
	}
	tx.buf[ABUF_RAW] = h->raw.data;
	tx.len[ABUF_RAW] = h->raw.len;
	if (fn != NULL)
		fn(arg, &tx);
	nobody = head || h->status == 204 || h->status == 304;
	if (nobody)
		h->state = HS_LINE;
	else if (h->chunked)
		h->state = HS_CHUNK_SIZE;
	else if (h->have_clen)
		h->state = h->body_left > 0 ? HS_BODY : HS_LINE;
	else
		h->state = HS_TO_CLOSE;
}

static void
on_response_line(
    struct http_parser *h, const uint8_t *l, size_t n, app_tx_fn fn, void *arg)
{
	if (h->state == HS_LINE) {
		if (n == 0)
			return;
		start_response(h);
		if (status_line(h, l, n) != 0) {
			h->ctr[CTR_HTTP_RESP_BAD]++;
			h->in_request = 0;
			return;
		}
		h->interim = h->status < 200;
		if (!h->interim)
			h->txid++;
		h->state = HS_HEADERS;
		return;
	}
	if (n > 0) {
		header_line(h, l, n);
		return;
	}
	response_done(h, fn, arg);
	buf_reset(&h->raw);
}

static void
start_request(struct http_parser *h)
{
	h->have_host = h->have_ua = 0;
	buf_reset(&h->host);
	buf_reset(&h->ua);
	h->body_left = 0;
	h->chunked = 0;
	h->in_request = 1;
	h->txid++;
}

/* One complete line (without CR LF). */
static void
on_line(
    struct http_parser *h, const uint8_t *l, size_t n, app_tx_fn fn, void *arg)
{
	if (h->req != NULL && (h->state == HS_LINE || h->state == HS_HEADERS)) {
		on_response_line(h, l, n, fn, arg);
		return;
	}
	switch (h->state) {
	case HS_LINE:
		if (n == 0)
			return; /* stray CRLF between requests */
		start_request(h);
		if (request_line(h, l, n) != 0) {
			h->ctr[CTR_HTTP_BAD]++;
			h->in_request = 0;
			return;
		}
		h->state = HS_HEADERS;
		emit(h, fn, arg, 1);
		return;
	case HS_HEADERS:
		if (n > 0) {
			header_line(h, l, n);
			return;
		}
		emit(h, fn, arg, 0);
		buf_reset(&h->raw);
		if (h->chunked)
			h->state = HS_CHUNK_SIZE;
		else if (h->body_left > 0)
			h->state = HS_BODY;
		else
			h->state = HS_LINE;
		return;
	case HS_CHUNK_SIZE: {
		uint64_t sz = 0;
		size_t i;

		for (i = 0; i < n && hexval(l[i]) >= 0; i++)
			if (sz < (1ULL << 50))
				sz = sz * 16 + (uint64_t)hexval(l[i]);
		if (i == 0) {
			h->state = HS_LINE;
			return;
		}
		h->body_left = sz;
		h->state = sz == 0 ? HS_TRAILER : HS_CHUNK_DATA;
		return;
	}
	case HS_CHUNK_CRLF:
		h->state = HS_CHUNK_SIZE;
		return;
	case HS_TRAILER:
		if (n == 0)
			h->state = HS_LINE;
		return;
	default:
		return;
	}
}

void
http_parser_feed(struct http_parser *h, const uint8_t *d, size_t len,
    app_tx_fn fn, void *arg)
{
	size_t i = 0;

	while (i < len) {
		if (h->state == HS_TO_CLOSE)
			return; /* the rest of the connection is body */
		if (h->state == HS_BODY || h->state == HS_CHUNK_DATA) {
			size_t take = len - i;

			if (take > h->body_left)
				take = (size_t)h->body_left;
			h->body_left -= take;
			i += take;
			if (h->body_left == 0)
				h->state = h->state == HS_BODY ? HS_LINE :
								 HS_CHUNK_CRLF;
			continue;
		}
		const uint8_t *nl = memchr(d + i, '\n', len - i);
		size_t chunk = nl ? (size_t)(nl - (d + i)) + 1 : len - i;

		if (h->state == HS_SKIPLINE) {
			i += chunk;
			if (nl != NULL)
				h->state = HS_LINE;
			continue;
		}
		if (h->state == HS_LINE || h->state == HS_HEADERS)
			(void)buf_append(&h->raw, d + i, chunk);
		if (buf_append(&h->line, d + i, chunk) != 0) {
			h->ctr[CTR_HTTP_LINE_LONG]++;
			buf_reset(&h->line);
			buf_reset(&h->raw);
			h->in_request = 0;
			h->state = nl ? HS_LINE : HS_SKIPLINE;
			i += chunk;
			continue;
		}
		i += chunk;
		if (nl == NULL)
			break;
		size_t n = h->line.len - 1;

		if (n > 0 && h->line.data[n - 1] == '\r')
			n--;
		on_line(h, h->line.data, n, fn, arg);
		buf_reset(&h->line);
		if (h->state == HS_LINE && !h->in_request)
			buf_reset(&h->raw);
	}
}

void
http_parser_gap(struct http_parser *h)
{
	buf_reset(&h->line);
	buf_reset(&h->raw);
	h->in_request = 0;
	h->state = HS_SKIPLINE;
}

void
http_parser_end(struct http_parser *h, app_tx_fn fn, void *arg)
{
	if (h->state == HS_HEADERS && h->in_request) {
		if (h->req != NULL)
			response_done(h, fn, arg);
		else
			emit(h, fn, arg, 0);
	}
	h->state = HS_LINE;
}
