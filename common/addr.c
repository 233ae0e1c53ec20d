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
 * The set.  Prefixes of each family are swept separately into sorted,
 * disjoint ranges (IPv4 in 32-bit space, IPv6 in 128-bit space; an IPv6
 * prefix never matches an IPv4 address and the other way round).  Range
 * starts are kept in dense key arrays apart from the values, and a table
 * indexed by 16 bits of the address gives the few ranges a lookup has to
 * binary-search: the top 16 bits for IPv4, and for IPv6 the 16 bits after
 * the prefix every IPv6 range shares (2001:db8::/32 deployments put every
 * prefix in one top-16 bucket otherwise).
 */
struct u128 {
	uint64_t hi, lo;
};

struct prefix {
	struct u128 lo, hi; /* first and last address covered */
	int plen; /* in the family's own terms */
	uint32_t value;
	uint32_t seq; /* insertion order, for "last wins" */
};

/* One family's ranges: range i covers start[i] .. start[i+1]-1. */
struct ranges {
	struct u128 *start;
	uint32_t *start32; /* IPv4: the low 32 bits of start */
	uint64_t *start_hi; /* IPv6: the high 64 bits of start (a search
			       reads these, and start[].lo only on a tie) */
	uint32_t *value;
	int16_t *plen; /* -1: no prefix covers the range */
	size_t n, cap;
	uint32_t *bucket; /* 65537 entries, see family_index() */
	unsigned shift; /* IPv6: bits shared by every range */
	/* IPv6, a second level for crowded buckets: sub_of[b] is 0, or 1 +
	 * the number of b's table in sub (SUB_N + 1 entries each), indexed by
	 * the SUB_BITS bits after the bucket's 16. */
	uint32_t *sub_of;
	uint32_t *sub;
	size_t nsub;
	struct u128 common; /* IPv6: those shared bits */
};

#define SUB_BITS 12
#define SUB_N (1U << SUB_BITS)
#define SUB_MIN 256 /* ranges in a bucket before it gets a second level */

struct cidrset {
	struct prefix *pfx[2]; /* 0: IPv4, 1: IPv6 */
	size_t npfx[2], cappfx[2];
	struct ranges r[2];
	size_t distinct;
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

/* The 16 bits of x starting at bit `shift` (0 = most significant). */
static unsigned
u128_window16(struct u128 x, unsigned shift)
{
	if (shift <= 48)
		return (unsigned)((x.hi << shift) >> 48);
	if (shift < 64)
		return (
		    unsigned)(((x.hi << shift) | (x.lo >> (64 - shift))) >> 48);
	return (unsigned)((x.lo << (shift - 64)) >> 48);
}

/* Last address of the prefix starting at lo with length plen (128-bit). */
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
	int fam = addr_is_v4(a) ? 0 : 1;

	if (cs->built || plen < 0 || plen > (fam == 0 ? 32 : 128))
		return -1;
	if (cs->npfx[fam] == cs->cappfx[fam]) {
		size_t n = cs->cappfx[fam] ? cs->cappfx[fam] * 2 : 64;

		if ((p = reallocarray(cs->pfx[fam], n, sizeof(*p))) == NULL)
			return -1;
		cs->pfx[fam] = p;
		cs->cappfx[fam] = n;
	}
	p = &cs->pfx[fam][cs->npfx[fam]];
	if (fam == 0) {
		uint32_t v = addr_v4(a),
			 mask = plen == 0 ? 0 : ~0U << (32 - plen);

		p->lo.hi = p->hi.hi = 0;
		p->lo.lo = v & mask;
		p->hi.lo = (v & mask) | ~mask;
	} else {
		addr_mask(&m, plen);
		p->lo = u128_from(&m);
		p->hi = prefix_last(p->lo, plen);
	}
	p->plen = plen;
	p->value = value;
	p->seq = (uint32_t)cs->npfx[fam];
	cs->npfx[fam]++;
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
emit(struct ranges *r, struct u128 start, const struct prefix *p)
{
	/* A zero-length range: the later one starts at the same place. */
	if (r->n > 0 && u128_cmp(r->start[r->n - 1], start) == 0)
		r->n--;
	if (r->n == r->cap) {
		size_t n = r->cap ? r->cap * 2 : 128;
		struct u128 *s;
		uint32_t *v;
		int16_t *l;

		if ((s = reallocarray(r->start, n, sizeof(*s))) == NULL)
			return -1;
		r->start = s;
		if ((v = reallocarray(r->value, n, sizeof(*v))) == NULL)
			return -1;
		r->value = v;
		if ((l = reallocarray(r->plen, n, sizeof(*l))) == NULL)
			return -1;
		r->plen = l;
		r->cap = n;
	}
	r->start[r->n] = start;
	r->value[r->n] = p ? p->value : 0;
	r->plen[r->n] = p ? (int16_t)p->plen : -1;
	r->n++;
	return 0;
}

/* Sweep sorted, de-duplicated prefixes into ranges; max: the family's top. */
static int
sweep(struct ranges *r, const struct prefix *pfx, size_t n, struct u128 max)
{
	const struct prefix *stack[129];
	size_t depth = 0;
	struct u128 zero = { 0, 0 };

	if (emit(r, zero, NULL) == -1)
		return -1;
	for (size_t i = 0; i <= n; i++) {
		/* Close the open prefixes that end before the next starts. */
		while (depth > 0 &&
		    (i == n || u128_cmp(stack[depth - 1]->hi, pfx[i].lo) < 0)) {
			const struct prefix *done = stack[--depth];

			if (u128_cmp(done->hi, max) == 0)
				continue;
			if (emit(r, u128_inc(done->hi),
				depth ? stack[depth - 1] : NULL) == -1)
				return -1;
		}
		if (i == n)
			break;
		if (emit(r, pfx[i].lo, &pfx[i]) == -1)
			return -1;
		stack[depth++] = &pfx[i];
	}
	return 0;
}

/* Index of the last range whose start is <= key, within [lo, hi). */
static size_t
search128(const struct ranges *r, struct u128 key, size_t lo, size_t hi)
{
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (u128_cmp(r->start[mid], key) <= 0)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* search128 over the split IPv6 index: half the bytes touched per step. */
static size_t
search128_hi(const struct ranges *r, struct u128 key, size_t lo, size_t hi)
{
	const uint64_t *h = r->start_hi;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (h[mid] < key.hi ||
		    (h[mid] == key.hi && r->start[mid].lo <= key.lo))
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static size_t
search32(const struct ranges *r, uint32_t key, size_t lo, size_t hi)
{
	const uint32_t *s = r->start32;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (s[mid] <= key)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/*
 * bucket[b] is the range covering the first address of bucket b (IPv4: the
 * address b << 16); a key in bucket b lies in ranges bucket[b] ..
 * bucket[b + 1] inclusive.
 */
static struct u128
u128_shl(struct u128 x, unsigned n)
{
	struct u128 y = { 0, 0 };

	if (n >= 128)
		return y;
	if (n >= 64) {
		y.hi = x.lo << (n - 64);
		return y;
	}
	if (n == 0)
		return x;
	y.hi = x.hi << n | x.lo >> (64 - n);
	y.lo = x.lo << n;
	return y;
}

/* The first address whose bits below `shift` are base's and whose next
 * `width` bits are v (everything after them 0). */
static struct u128
u128_with_field(struct u128 base, unsigned shift, unsigned width, uint64_t v)
{
	struct u128 ones = { ~0ULL, ~0ULL }, keep, field, out;

	keep = u128_shl(ones, 128 - shift); /* shift 0: nothing kept */
	field.hi = 0;
	field.lo = v;
	field = u128_shl(field, 128 - shift - width);
	out.hi = (base.hi & keep.hi) | field.hi;
	out.lo = (base.lo & keep.lo) | field.lo;
	return out;
}

/*
 * IPv6 prefixes crowd where the registries allocate (2001::/16 alone holds
 * a sixth of a routing table), so one 16-bit bucket may cover thousands of
 * ranges.  Such a bucket gets a table over the next SUB_BITS bits, built the
 * same way: sub[j] is the range covering the first address of sub-bucket j.
 * At most one table (16 KiB) per SUB_MIN ranges: 64 bytes a range at worst.
 */
static int
family_index_sub(struct ranges *r)
{
	size_t need = 0;

	if (r->shift + 16 + 16 > 128)
		return 0; /* no room for a 16-bit window after the bucket */
	for (uint32_t b = 0; b < 65536; b++)
		need += r->bucket[b + 1] - r->bucket[b] + 1 > SUB_MIN;
	if (need == 0)
		return 0;
	if ((r->sub_of = calloc(65536, sizeof(uint32_t))) == NULL ||
	    (r->sub = calloc(need * (SUB_N + 1), sizeof(uint32_t))) == NULL)
		return -1;
	for (uint32_t b = 0; b < 65536; b++) {
		size_t lo = r->bucket[b], hi = (size_t)r->bucket[b + 1] + 1;
		uint32_t *t;

		if (hi - lo <= SUB_MIN)
			continue;
		t = &r->sub[r->nsub * (SUB_N + 1)];
		r->sub_of[b] = (uint32_t)++r->nsub;
		for (uint32_t j = 0; j < SUB_N; j++) {
			struct u128 a = u128_with_field(r->common, r->shift,
			    16 + SUB_BITS, (uint64_t)b << SUB_BITS | j);

			t[j] = (uint32_t)search128(r, a, lo, hi);
		}
		t[SUB_N] = r->bucket[b + 1];
	}
	return 0;
}

static int
family_index(struct ranges *r, int v4)
{
	struct u128 first, last;
	unsigned shift = 0;

	if ((r->bucket = calloc(65537, sizeof(uint32_t))) == NULL)
		return -1;
	if (v4) {
		if ((r->start32 = calloc(r->n, sizeof(uint32_t))) == NULL)
			return -1;
		for (size_t i = 0; i < r->n; i++)
			r->start32[i] = (uint32_t)r->start[i].lo;
		for (uint32_t b = 0; b <= 65536; b++) {
			uint64_t a = (uint64_t)b << 16;

			r->bucket[b] = b == 65536 ?
			    (uint32_t)(r->n - 1) :
			    (uint32_t)search32(r, (uint32_t)a, 0, r->n);
		}
		return 0;
	}
	if ((r->start_hi = calloc(r->n, sizeof(uint64_t))) == NULL)
		return -1;
	for (size_t i = 0; i < r->n; i++)
		r->start_hi[i] = r->start[i].hi;
	/* IPv6: the bits every range start after the sentinel shares. */
	if (r->n > 1) {
		first = r->start[1];
		last = r->start[r->n - 1];
		while (shift < 112 &&
		    u128_window16(first, shift) == u128_window16(last, shift) &&
		    (u128_window16(first, shift + 1) >> 15) ==
			(u128_window16(last, shift + 1) >> 15))
			shift++;
		/* Keep a whole 16-bit window below the shared bits. */
		if (shift > 112)
			shift = 112;
	}
	r->shift = shift;
	r->common = r->n > 1 ? r->start[1] : r->start[0];
	for (uint32_t b = 0; b <= 65536; b++) {
		struct u128 a = r->common;

		if (b == 65536) {
			r->bucket[b] = (uint32_t)(r->n - 1);
			continue;
		}
		/* Clear the window and everything below, then set it to b. */
		if (shift + 16 <= 64) {
			uint64_t keep = shift == 0 ? 0 : ~0ULL << (64 - shift);

			a.hi = (a.hi & keep) | ((uint64_t)b << (48 - shift));
			a.lo = 0;
		} else if (shift >= 64) {
			uint64_t keep =
			    shift == 64 ? 0 : ~0ULL << (128 - shift);

			a.lo = (a.lo & keep) | ((uint64_t)b << (112 - shift));
		} else {
			unsigned inhi = 64 - shift; /* window bits in hi */

			a.hi = (a.hi & (~0ULL << inhi)) |
			    ((uint64_t)b >> (16 - inhi));
			a.lo = (uint64_t)b << (64 - (16 - inhi));
		}
		r->bucket[b] = (uint32_t)search128(r, a, 0, r->n);
	}
	return family_index_sub(r);
}

static int
shares_common(const struct ranges *r, struct u128 key)
{
	struct u128 x = key, c = r->common;
	unsigned s = r->shift;

	if (s == 0)
		return 1;
	if (s <= 64)
		return s == 64 ? x.hi == c.hi :
				 (x.hi >> (64 - s)) == (c.hi >> (64 - s));
	return x.hi == c.hi && (x.lo >> (128 - s)) == (c.lo >> (128 - s));
}

int
cidrset_build(struct cidrset *cs)
{
	struct u128 max[2] = { { 0, 0xffffffffULL }, { ~0ULL, ~0ULL } };

	if (cs->built)
		return -1;
	cs->distinct = 0;
	for (int f = 0; f < 2; f++) {
		struct prefix *p = cs->pfx[f];
		size_t n = cs->npfx[f], w = 0;

		if (n > 0)
			qsort(p, n, sizeof(*p), prefix_order);
		/* Drop exact duplicates, keeping the last added. */
		for (size_t i = 0; i < n; i++) {
			if (w > 0 && u128_cmp(p[w - 1].lo, p[i].lo) == 0 &&
			    p[w - 1].plen == p[i].plen)
				w--;
			p[w++] = p[i];
		}
		cs->npfx[f] = w;
		cs->distinct += w;
		if (sweep(&cs->r[f], p, w, max[f]) == -1 ||
		    family_index(&cs->r[f], f == 0) == -1)
			return -1;
	}
	cs->built = 1;
	return 0;
}

int
cidrset_lookup(
    const struct cidrset *cs, const struct addr *a, uint32_t *value, int *plen)
{
	const struct ranges *r;
	size_t i;

	if (!cs->built)
		return 0;
	if (addr_is_v4(a)) {
		uint32_t key = addr_v4(a);

		r = &cs->r[0];
		i = search32(r, key, r->bucket[key >> 16],
		    (size_t)r->bucket[(key >> 16) + 1] + 1);
	} else {
		struct u128 key = u128_from(a);

		r = &cs->r[1];
		if (shares_common(r, key)) {
			unsigned b = u128_window16(key, r->shift);

			if (r->sub_of != NULL && r->sub_of[b] != 0) {
				const uint32_t *t =
				    &r->sub[(size_t)(r->sub_of[b] - 1) *
					(SUB_N + 1)];
				unsigned j =
				    u128_window16(key, r->shift + 16) >>
				    (16 - SUB_BITS);

				i = search128_hi(
				    r, key, t[j], (size_t)t[j + 1] + 1);
			} else {
				i = search128_hi(r, key, r->bucket[b],
				    (size_t)r->bucket[b + 1] + 1);
			}
		} else {
			i = search128_hi(r, key, 0, r->n);
		}
	}
	if (r->plen[i] < 0)
		return 0;
	*value = r->value[i];
	if (plen != NULL)
		*plen = r->plen[i];
	return 1;
}

size_t
cidrset_count(const struct cidrset *cs)
{
	return cs->distinct;
}

void
cidrset_free(struct cidrset *cs)
{
	if (cs == NULL)
		return;
	for (int f = 0; f < 2; f++) {
		free(cs->pfx[f]);
		free(cs->r[f].start);
		free(cs->r[f].start32);
		free(cs->r[f].start_hi);
		free(cs->r[f].sub_of);
		free(cs->r[f].sub);
		free(cs->r[f].value);
		free(cs->r[f].plen);
		free(cs->r[f].bucket);
	}
	free(cs);
}
