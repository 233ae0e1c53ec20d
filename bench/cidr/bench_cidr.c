/*
 * bench_cidr.c — longest-prefix lookups in a CIDR set of 100,000 prefixes,
 * IPv4 and IPv6 measured separately.
 *
 * For each family it builds a set of N prefixes (default 100,000):
 *   IPv4: lengths mixed like a BGP table (mostly /24, then /22-/23,
 *         /16-/21, some /32 and /8-/15), addresses anywhere;
 *   IPv6: spread over the global unicast space the RIRs hand out
 *         (2001::/16, 2400::/12, 2600::/12, 2800::/12, 2a00::/12,
 *         2c00::/12), lengths mixed like a BGP table (mostly /48, then
 *         /32, /29-/47, some /56-/64),
 * then times batches of M lookups (default 1,000,000) of addresses drawn
 * 3 in 4 from inside a random prefix of the set (host bits random) and 1
 * in 4 at random in the family's space.  Printed per family: the median
 * and the slowest of the batch means (ns per lookup, 11 batches: a batch
 * mean, not a per-lookup percentile), the hit rate, the build time; and,
 * for scale, a plain binary search over N sorted keys of the family's
 * width (u32 for IPv4, 128-bit for IPv6: the cost floor of any comparison
 * search) in the same run, and the ratio.  The peak RSS covers both sets.
 *
 * usage: bench_cidr [prefixes] [lookups-per-batch]
 */
#include "config.h"

#include <sys/resource.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/addr.h"
#include "common/timeutil.h"

#define BATCHES 11

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int
v4len(void)
{
	/* Roughly a BGP table: mostly /24, then /22-/23, /16-/21, /32. */
	uint64_t r = rnd() % 100;

	if (r < 55)
		return 24;
	if (r < 70)
		return 22 + (int)(rnd() % 2);
	if (r < 90)
		return 16 + (int)(rnd() % 6);
	if (r < 97)
		return 32;
	return 8 + (int)(rnd() % 8);
}

static int
v6len(void)
{
	/* Roughly an IPv6 BGP table: /48 most, then /32, /29-/47, /56-/64. */
	uint64_t r = rnd() % 100;

	if (r < 45)
		return 48;
	if (r < 62)
		return 32;
	if (r < 70)
		return 44;
	if (r < 77)
		return 40;
	if (r < 82)
		return 36;
	if (r < 86)
		return 29 + (int)(rnd() % 3);
	if (r < 96)
		return 33 + (int)(rnd() % 15);
	return 56 + (int)(rnd() % 9);
}

/* A random address in the global unicast space the RIRs allocate. */
static void
v6_global(uint8_t b[16])
{
	/* RIR blocks as (first 16 bits, prefix length of the block). */
	static const struct {
		uint16_t hi;
		int len;
	} rir[] = { { 0x2001, 16 }, { 0x2400, 12 }, { 0x2600, 12 },
		{ 0x2800, 12 }, { 0x2a00, 12 }, { 0x2c00, 12 } };
	int k = (int)(rnd() % (sizeof(rir) / sizeof(rir[0])));

	for (int i = 0; i < 16; i++)
		b[i] = (uint8_t)rnd();
	b[0] = (uint8_t)(rir[k].hi >> 8);
	if (rir[k].len == 16)
		b[1] = (uint8_t)rir[k].hi;
	else /* a /12: the low nibble of the second byte stays random */
		b[1] = (uint8_t)((rir[k].hi & 0xf0) | (b[1] & 0x0f));
}

/* Random host bits below plen (in the 16-byte form; v4 sits in b[12..]). */
static void
randomize_host(struct addr *a, int plen16)
{
	for (int bit = plen16; bit < 128; bit++) {
		uint8_t m = (uint8_t)(0x80 >> (bit % 8));

		if (rnd() & 1)
			a->b[bit / 8] |= m;
		else
			a->b[bit / 8] &= (uint8_t)~m;
	}
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

struct u128 {
	uint64_t hi, lo;
};

static int
cmp_u128(const void *a, const void *b)
{
	const struct u128 *x = a, *y = b;

	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

struct result {
	double med, slow, hit, build_ms, base_med;
	size_t distinct;
};

static void
run(int v6, size_t n, size_t m, struct result *res)
{
	struct cidrset *cs = cidrset_new();
	struct addr *pfx = calloc(n, sizeof(*pfx)), *q = calloc(m, sizeof(*q));
	int *plens = calloc(n, sizeof(int));
	uint32_t *s32 = calloc(n, sizeof(uint32_t)),
		 *k32 = calloc(m, sizeof(uint32_t));
	struct u128 *s128 = calloc(n, sizeof(*s128)),
		    *k128 = calloc(m, sizeof(*k128));
	double ns[BATCHES], base[BATCHES];
	size_t hits = 0, found = 0;
	int64_t t0;

	if (!cs || !pfx || !q || !plens || !s32 || !k32 || !s128 || !k128) {
		fprintf(stderr, "bench_cidr: out of memory\n");
		exit(1);
	}
	for (size_t i = 0; i < n; i++) {
		if (v6) {
			uint8_t b[16];

			v6_global(b);
			addr_from_v6(&pfx[i], b);
			plens[i] = v6len();
		} else {
			addr_from_v4(&pfx[i], (uint32_t)rnd());
			plens[i] = v4len();
		}
		cidrset_add(cs, &pfx[i], plens[i], (uint32_t)i);
		s32[i] = (uint32_t)rnd();
		s128[i].hi = rnd();
		s128[i].lo = rnd();
	}
	t0 = time_mono_us();
	cidrset_build(cs);
	res->build_ms = (double)(time_mono_us() - t0) / 1000.0;
	res->distinct = cidrset_count(cs);
	qsort(s32, n, sizeof(uint32_t), cmp_u32);
	qsort(s128, n, sizeof(*s128), cmp_u128);
	for (size_t i = 0; i < m; i++) {
		if (rnd() % 4 != 0) {
			size_t k = rnd() % n;

			q[i] = pfx[k];
			randomize_host(&q[i], (v6 ? 0 : 96) + plens[k]);
		} else if (v6) {
			uint8_t b[16];

			v6_global(b);
			addr_from_v6(&q[i], b);
		} else {
			addr_from_v4(&q[i], (uint32_t)rnd());
		}
		k32[i] = (uint32_t)rnd();
		k128[i].hi = rnd();
		k128[i].lo = rnd();
	}
	for (int b = 0; b < BATCHES; b++) {
		int64_t s = time_mono_us();

		for (size_t i = 0; i < m; i++) {
			uint32_t v;

			hits += (size_t)cidrset_lookup(cs, &q[i], &v, NULL);
		}
		ns[b] = (double)(time_mono_us() - s) * 1000.0 / (double)m;
		s = time_mono_us();
		for (size_t i = 0; i < m; i++) {
			size_t lo = 0, hi = n;

			if (v6) {
				while (hi - lo > 1) {
					size_t mid = lo + (hi - lo) / 2;

					if (cmp_u128(&s128[mid], &k128[i]) <= 0)
						lo = mid;
					else
						hi = mid;
				}
				found += cmp_u128(&s128[lo], &k128[i]) == 0;
			} else {
				while (hi - lo > 1) {
					size_t mid = lo + (hi - lo) / 2;

					if (s32[mid] <= k32[i])
						lo = mid;
					else
						hi = mid;
				}
				found += s32[lo] == k32[i];
			}
		}
		base[b] = (double)(time_mono_us() - s) * 1000.0 / (double)m;
	}
	qsort(ns, BATCHES, sizeof(double), cmp_double);
	qsort(base, BATCHES, sizeof(double), cmp_double);
	res->med = ns[BATCHES / 2];
	res->slow = ns[BATCHES - 1];
	res->base_med = base[BATCHES / 2];
	res->hit = 100.0 * (double)hits / ((double)m * BATCHES);
	if (found == (size_t)-1)
		printf("\n"); /* keep the baseline loop from being dropped */
	cidrset_free(cs);
	free(pfx);
	free(q);
	free(plens);
	free(s32);
	free(k32);
	free(s128);
	free(k128);
}

int
main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	size_t m = argc > 2 ? strtoul(argv[2], NULL, 10) : 1000000;
	struct result r[2];
	struct rusage ru;

	if (n == 0 || m == 0) {
		fprintf(stderr,
		    "usage: bench_cidr [prefixes] "
		    "[lookups-per-batch]\n");
		return 2;
	}
	run(0, n, m, &r[0]);
	run(1, n, m, &r[1]);
	getrusage(RUSAGE_SELF, &ru);
	for (int f = 0; f < 2; f++) {
		const char *fam = f ? "IPv6" : "IPv4";

		printf("cidr %s: %zu prefixes (%zu distinct), build %.1f ms\n",
		    fam, n, r[f].distinct, r[f].build_ms);
		printf("cidr %s: lookup, median batch mean %.1f ns, slowest "
		       "batch mean %.1f ns, %.1f%% hit (%d batches of %zu)\n",
		    fam, r[f].med, r[f].slow, r[f].hit, BATCHES, m);
		printf("cidr %s: baseline binary search over %zu sorted %s "
		       "keys: median batch mean %.1f ns; ratio %.2fx\n",
		    fam, n, f ? "128-bit" : "u32", r[f].base_med,
		    r[f].med / r[f].base_med);
		printf("cidr %s: target < 200 ns per lookup: %s\n", fam,
		    r[f].med < 200 ? "met" : "NOT met");
	}
	printf("cidr: peak RSS %ld KiB\n", ru.ru_maxrss);
	return 0;
}
