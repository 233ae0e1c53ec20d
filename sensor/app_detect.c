/*
 * app_detect.c — which application protocol a flow speaks, from its first
 * bytes (ports only break ties for DNS, whose header has no magic).
 */
#include "config.h"

#include <string.h>

#include "sensor/sensor_int.h"

static const char *const http_methods[] = { "GET ", "POST ", "HEAD ", "PUT ",
	"DELETE ", "OPTIONS ", "CONNECT ", "TRACE ", "PATCH ", "PROPFIND ",
	"MKCOL ", "COPY ", "MOVE ", "LOCK ", "UNLOCK ", "PROPPATCH ",
	"SEARCH " };

static const char *const app_names[APP_MAX] = { "unknown", "http", "dns", "tls",
	"failed" };

const char *
app_proto_name(int p)
{
	return p >= 0 && p < APP_MAX ? app_names[p] : "unknown";
}

/* 1 match, 0 could still match with more bytes, -1 cannot. */
static int
prefix(const uint8_t *d, size_t len, const char *word)
{
	size_t wl = strlen(word), n = len < wl ? len : wl;

	if (memcmp(d, word, n) != 0)
		return -1;
	return n == wl ? 1 : 0;
}

static int
looks_dns(const uint8_t *d, size_t len)
{
	char name[256];

	return dns_query_name(d, len, name, sizeof(name), NULL) >= 0;
}

int
app_detect(const uint8_t *d, size_t len, int is_udp, uint16_t sport,
    uint16_t dport, int to_server)
{
	int maybe = 0;

	if (len == 0)
		return APP_UNKNOWN;
	if (is_udp) {
		if ((sport == 53 || dport == 53 || sport == 5353 ||
			dport == 5353) &&
		    looks_dns(d, len))
			return APP_DNS;
		return APP_FAILED;
	}
	for (size_t i = 0; i < sizeof(http_methods) / sizeof(*http_methods);
	     i++) {
		int r = prefix(d, len, http_methods[i]);

		if (r == 1 && to_server)
			return APP_HTTP;
		if (r == 0)
			maybe = 1;
	}
	if (!to_server) {
		int r = prefix(d, len, "HTTP/1.");

		if (r == 1)
			return APP_HTTP;
		if (r == 0)
			maybe = 1;
	}
	if (d[0] == 0x16) {
		if (len < 3)
			return APP_UNKNOWN;
		if (d[1] == 3 && d[2] <= 4)
			return APP_TLS;
	}
	if (sport == 53 || dport == 53) {
		if (len < 2 + 12)
			return APP_UNKNOWN;
		if (looks_dns(d + 2, len - 2))
			return APP_DNS;
	}
	return maybe ? APP_UNKNOWN : APP_FAILED;
}
