/*
 * fw_util.c — small bounded-text helpers for the firewall log parsers:
 * key=value lookup, numbers, protocols, addresses and dates.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "common/timeutil.h"
#include "policies/fw_int.h"

const char *
fw_find(const char *h, size_t hl, const char *needle)
{
	size_t nl = strlen(needle), i;

	if (nl == 0 || nl > hl)
		return NULL;
	for (i = 0; i + nl <= hl; i++)
		if (h[i] == needle[0] && memcmp(h + i, needle, nl) == 0)
			return h + i;
	return NULL;
}

int
fw_kv(const char *msg, size_t len, const char *key, const char **val,
    size_t *vlen)
{
	size_t kl = strlen(key), i = 0;

	while (i + kl < len) {
		const char *hit = fw_find(msg + i, len - i, key);
		size_t at, j;

		if (hit == NULL)
			return -1;
		at = (size_t)(hit - msg);
		i = at + 1;
		if ((at > 0 && msg[at - 1] != ' ') || at + kl >= len ||
		    msg[at + kl] != '=')
			continue;
		j = at + kl + 1;
		if (j < len && msg[j] == '"') {
			const char *q = memchr(msg + j + 1, '"', len - j - 1);

			if (q == NULL)
				return -1;
			*val = msg + j + 1;
			*vlen = (size_t)(q - (msg + j + 1));
			return 0;
		}
		*val = msg + j;
		while (j < len && msg[j] != ' ')
			j++;
		*vlen = (size_t)(msg + j - *val);
		return 0;
	}
	return -1;
}

int
fw_u64(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0 || len > 20)
		return -1;
	for (i = 0; i < len; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9')
			return -1;
		d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

int
fw_port(const char *s, size_t len, uint16_t *out)
{
	uint64_t v;

	if (fw_u64(s, len, 65535, &v) != 0)
		return -1;
	*out = (uint16_t)v;
	return 0;
}

int
fw_eq(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && strncasecmp(s, word, len) == 0;
}

int
fw_proto(const char *s, size_t len, uint8_t *out)
{
	static const struct {
		const char *name;
		uint8_t num;
	} names[] = { { "tcp", 6 }, { "udp", 17 }, { "icmp", 1 },
		{ "icmpv6", 58 }, { "ipv6-icmp", 58 }, { "gre", 47 },
		{ "esp", 50 }, { "sctp", 132 } };
	uint64_t v;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (fw_eq(s, len, names[i].name)) {
			*out = names[i].num;
			return 0;
		}
	if (fw_u64(s, len, 255, &v) != 0)
		return -1;
	*out = (uint8_t)v;
	return 0;
}

int
fw_addr(const char *s, size_t len, struct addr *out)
{
	if (len == 0 || len >= ADDR_STRLEN)
		return -1;
	return addr_parse_n(s, len, out);
}

static int
num2(const char *s, int *v)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	*v = (s[0] - '0') * 10 + (s[1] - '0');
	return 0;
}

int
fw_datetime(const char *date, size_t dlen, const char *tod, size_t tlen,
    int tzoff, int64_t *us)
{
	int y1, y2, mo, d, h, mi, se;

	if (dlen != 10 || tlen < 8 || num2(date, &y1) || num2(date + 2, &y2) ||
	    num2(date + 5, &mo) || num2(date + 8, &d) || num2(tod, &h) ||
	    tod[2] != ':' || num2(tod + 3, &mi) || tod[5] != ':' ||
	    num2(tod + 6, &se))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    se > 60)
		return -1;
	*us = ((time_days_from_civil(y1 * 100 + y2, mo, d) * 86400 + h * 3600 +
		   mi * 60 + se) -
		  tzoff) *
	    TIME_US_PER_SEC;
	return 0;
}

void
fw_flow_init(struct fw_flow *f, const char *vendor)
{
	memset(f, 0, sizeof(*f));
	f->vendor = vendor;
}
