/*
 * addr.c — addresses and the CIDR set.  See addr.h.
 *
 * cidrset_build() turns the prefixes into a sorted array of disjoint
 * address ranges, each carrying the value of the longest prefix that covers
 * it (a sweep over the prefixes in order, with a stack of the prefixes still
 * open).  A lookup is then one binary search over range starts: about
 * log2(2n) probes of 32 bytes each, no pointer chasing, and no allocation.
 */
#include "config.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdlib.h>
#include <string.h>

#include "common/addr.h"

static const uint8_t v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff,
	0xff };

void
addr_from_v4(struct addr *a, uint32_t host)
{
	memcpy(a->b, v4mapped, 12);
	a->b[12] = (uint8_t)(host >> 24);
	a->b[13] = (uint8_t)(host >> 16);
	a->b[14] = (uint8_t)(host >> 8);
	a->b[15] = (uint8_t)host;
}

void
addr_from_v6(struct addr *a, const uint8_t b[16])
{
	memcpy(a->b, b, 16);
}

int
addr_is_v4(const struct addr *a)
{
	return memcmp(a->b, v4mapped, 12) == 0;
}

uint32_t
addr_v4(const struct addr *a)
{
	return (uint32_t)a->b[12] << 24 | (uint32_t)a->b[13] << 16 |
	    (uint32_t)a->b[14] << 8 | a->b[15];
}

int
addr_parse(const char *s, struct addr *a)
{
	struct in_addr in4;
	struct in6_addr in6;

	if (inet_pton(AF_INET, s, &in4) == 1) {
		addr_from_v4(a, ntohl(in4.s_addr));
		return 0;
	}
	if (inet_pton(AF_INET6, s, &in6) == 1) {
		addr_from_v6(a, in6.s6_addr);
		return 0;
	}
	return -1;
}

int
addr_parse_n(const char *s, size_t len, struct addr *a)
{
	char tmp[ADDR_STRLEN];

	if (len == 0 || len >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	return addr_parse(tmp, a);
}

int
addr_parse_cidr(const char *s, struct addr *a, int *plen)
{
	const char *slash = strchr(s, '/');
	char tmp[ADDR_STRLEN];
	long n;
	char *end;

	if (slash == NULL) {
		if (addr_parse(s, a) == -1)
			return -1;
		*plen = addr_is_v4(a) ? 32 : 128;
		return 0;
	}
	if ((size_t)(slash - s) >= sizeof(tmp) || slash == s)
		return -1;
	memcpy(tmp, s, (size_t)(slash - s));
	tmp[slash - s] = '\0';
	if (addr_parse(tmp, a) == -1)
		return -1;
	if (slash[1] < '0' || slash[1] > '9')
		return -1;
	n = strtol(slash + 1, &end, 10);
	if (*end != '\0' || n < 0 || n > (addr_is_v4(a) ? 32 : 128))
		return -1;
	*plen = (int)n;
	return 0;
}

int
addr_from_sockaddr(struct addr *a, const struct sockaddr *sa, uint16_t *port)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;

		addr_from_v4(a, ntohl(sin->sin_addr.s_addr));
		if (port != NULL)
			*port = ntohs(sin->sin_port);
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 =
		    (const struct sockaddr_in6 *)sa;

		addr_from_v6(a, sin6->sin6_addr.s6_addr);
		if (port != NULL)
			*port = ntohs(sin6->sin6_port);
		return 0;
	}
	return -1;
}

int
addr_cmp(const struct addr *x, const struct addr *y)
{
	return memcmp(x->b, y->b, 16);
}

char *
addr_fmt(const struct addr *a, char *out, size_t len)
{
	struct in_addr in4;

	if (addr_is_v4(a)) {
		in4.s_addr = htonl(addr_v4(a));
		if (inet_ntop(AF_INET, &in4, out, (socklen_t)len) == NULL &&
		    len > 0)
			out[0] = '\0';
	} else if (inet_ntop(AF_INET6, a->b, out, (socklen_t)len) == NULL &&
	    len > 0) {
		out[0] = '\0';
	}
	return out;
}

void
addr_mask(struct addr *a, int plen)
{
	for (int i = 0; i < 16; i++) {
		int bits = plen - i * 8;

		if (bits >= 8)
			continue;
		a->b[i] &= bits <= 0 ? 0 : (uint8_t)(0xff << (8 - bits));
	}
}

/*
 * The set.  Addresses are compared as two big-endian 64-bit halves.
 */
struct u128 {
	uint64_t hi, lo;
};

struct prefix {
	struct u128 lo, hi; /* first and last address covered */
	int plen; /* in the 128-bit space */
	uint32_t value;
	uint32_t seq; /* insertion order, for "last wins" */
};

struct range {
	struct u128 start; /* covers start .. next range's start - 1 */
	uint32_t value;
	int16_t plen; /* -1: no prefix covers this range */
};

struct cidrset {
	struct prefix *pfx;
	size_t npfx, cappfx;
	struct range *ranges;
	size_t nranges;
	int built;
};

static struct u128
u128_from(const struct addr *a)
{
	struct u128 v = { 0, 0 };

	for (int i = 0; i < 8; i++) {
		v.hi = v.hi << 8 | a->b[i];
		v.lo = v.lo << 8 | a->b[i + 8];
	}
	return v;
}

static int
u128_cmp(struct u128 x, struct u128 y)
{
	if (x.hi != y.hi)
		return x.hi < y.hi ? -1 : 1;
	if (x.lo != y.lo)
		return x.lo < y.lo ? -1 : 1;
	return 0;
}

static struct u128
u128_inc(struct u128 x)
{
	x.lo++;
	if (x.lo == 0)
		x.hi++;
	return x;
}

/* Last address of the prefix starting at lo with length plen. */
static struct u128
prefix_last(struct u128 lo, int plen)
{
	struct u128 hi = lo;

	if (plen <= 64) {
		hi.hi |= plen == 0 ? ~0ULL : (plen == 64 ? 0 : ~0ULL >> plen);
		hi.lo = ~0ULL;
	} else {
		hi.lo |= plen == 128 ? 0 : ~0ULL >> (plen - 64);
	}
	return hi;
}

struct cidrset *
cidrset_new(void)
{
	return calloc(1, sizeof(struct cidrset));
}

int
cidrset_add(struct cidrset *cs, const struct addr *a, int plen, uint32_t value)
{
	struct addr m = *a;
	struct prefix *p;

	if (cs->built)
		return -1;
	if (addr_is_v4(a)) {
		if (plen < 0 || plen > 32)
			return -1;
		plen += 96;
	} else if (plen < 0 || plen > 128) {
		return -1;
	}
	if (cs->npfx == cs->cappfx) {
		size_t n = cs->cappfx ? cs->cappfx * 2 : 64;

		if ((p = reallocarray(cs->pfx, n, sizeof(*p))) == NULL)
			return -1;
		cs->pfx = p;
		cs->cappfx = n;
	}
	addr_mask(&m, plen);
	p = &cs->pfx[cs->npfx];
	p->lo = u128_from(&m);
	p->hi = prefix_last(p->lo, plen);
	p->plen = plen;
	p->value = value;
	p->seq = (uint32_t)cs->npfx;
	cs->npfx++;
	return 0;
}

/* By start ascending; for equal starts, shorter (wider) first; for the same
 * prefix, later insertion last so it overrides. */
static int
prefix_order(const void *x, const void *y)
{
	const struct prefix *a = x, *b = y;
	int c = u128_cmp(a->lo, b->lo);

	if (c != 0)
		return c;
	if (a->plen != b->plen)
		return a->plen < b->plen ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int
emit(struct cidrset *cs, size_t *cap, struct u128 start, const struct prefix *p)
{
	struct range *r;

	/* Collapse a zero-length range: the later one starts at the same place. */
	if (cs->nranges > 0 &&
	    u128_cmp(cs->ranges[cs->nranges - 1].start, start) == 0)
		cs->nranges--;
	if (cs->nranges == *cap) {
		size_t n = *cap ? *cap * 2 : 128;

		if ((r = reallocarray(cs->ranges, n, sizeof(*r))) == NULL)
			return -1;
		cs->ranges = r;
		*cap = n;
	}
	r = &cs->ranges[cs->nranges++];
	r->start = start;
	r->value = p ? p->value : 0;
	r->plen = p ? (int16_t)p->plen : -1;
	return 0;
}

int
cidrset_build(struct cidrset *cs)
{
	const struct prefix **stack = NULL;
	size_t depth = 0, cap = 0, i, w;
	struct u128 zero = { 0, 0 };

	if (cs->built)
		return -1;
	qsort(cs->pfx, cs->npfx, sizeof(*cs->pfx), prefix_order);
	/* Drop exact duplicates, keeping the last added (sorted last). */
	for (i = 0, w = 0; i < cs->npfx; i++) {
		if (w > 0 && u128_cmp(cs->pfx[w - 1].lo, cs->pfx[i].lo) == 0 &&
		    cs->pfx[w - 1].plen == cs->pfx[i].plen)
			w--;
		cs->pfx[w++] = cs->pfx[i];
	}
	cs->npfx = w;
	if (cs->npfx > 0 && (stack = calloc(129, sizeof(*stack))) == NULL)
		return -1;
	if (emit(cs, &cap, zero, NULL) == -1)
		goto fail;
	for (i = 0; i < cs->npfx; i++) {
		const struct prefix *p = &cs->pfx[i];

		/* Close the open prefixes that end before p starts. */
		while (depth > 0 && u128_cmp(stack[depth - 1]->hi, p->lo) < 0) {
			const struct prefix *done = stack[--depth];

			if (done->hi.hi == ~0ULL && done->hi.lo == ~0ULL)
				continue;
			if (emit(cs, &cap, u128_inc(done->hi),
				depth ? stack[depth - 1] : NULL) == -1)
				goto fail;
		}
		if (emit(cs, &cap, p->lo, p) == -1)
			goto fail;
		stack[depth++] = p;
	}
	while (depth > 0) {
		const struct prefix *done = stack[--depth];

		if (done->hi.hi == ~0ULL && done->hi.lo == ~0ULL)
			continue;
		if (emit(cs, &cap, u128_inc(done->hi),
			depth ? stack[depth - 1] : NULL) == -1)
			goto fail;
	}
	free(stack);
	cs->built = 1;
	return 0;
fail:
	free(stack);
	return -1;
}

int
cidrset_lookup(
    const struct cidrset *cs, const struct addr *a, uint32_t *value, int *plen)
{
	struct u128 key = u128_from(a);
	size_t lo = 0, hi = cs->nranges;
	const struct range *r;
	int pl;

	if (!cs->built || cs->nranges == 0)
		return 0;
	/* Last range whose start <= key (ranges[0] starts at 0). */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (u128_cmp(cs->ranges[mid].start, key) <= 0)
			lo = mid;
		else
			hi = mid;
	}
	r = &cs->ranges[lo];
	if (r->plen < 0)
		return 0;
	*value = r->value;
	if (plen != NULL) {
		pl = r->plen;
		*plen = addr_is_v4(a) && pl >= 96 ? pl - 96 : pl;
	}
	return 1;
}

size_t
cidrset_count(const struct cidrset *cs)
{
	return cs->npfx;
}

void
cidrset_free(struct cidrset *cs)
{
	if (cs == NULL)
		return;
	free(cs->pfx);
	free(cs->ranges);
	free(cs);
}
