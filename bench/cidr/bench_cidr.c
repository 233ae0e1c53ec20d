/*
 * bench_cidr.c — longest-prefix lookups in a CIDR set of 100,000 prefixes.
 *
 * Builds a set of N prefixes (default 100,000: 80% IPv4 with a length mix
 * like a routing table's, 20% IPv6 /32../64), then times batches of lookups
 * of random addresses drawn mostly inside the prefixes.  Prints the median
 * and p99 of the per-batch mean (ns per lookup) over 21 batches, the build
 * time and peak RSS.  For scale it also times a plain binary search over a
 * sorted array of the same size (the cost floor of any comparison search)
 * in the same run, and prints the ratio.
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

#define BATCHES 21

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

int
main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	size_t m = argc > 2 ? strtoul(argv[2], NULL, 10) : 1000000;
	struct cidrset *cs = cidrset_new();
	struct addr *pfx = calloc(n, sizeof(*pfx)), *q = calloc(m, sizeof(*q));
	uint32_t *sorted = calloc(n, sizeof(uint32_t)), *keys;
	double ns[BATCHES], base[BATCHES], med, p99, bmed;
	int64_t t0, t1;
	size_t hits = 0, found = 0;
	struct rusage ru;

	keys = calloc(m, sizeof(uint32_t));
	for (size_t i = 0; i < n; i++) {
		int plen;

		if (i % 5 == 4) {
			uint8_t b[16] = { 0x20, 0x01, 0x0d, 0xb8 };

			for (int k = 4; k < 8; k++)
				b[k] = (uint8_t)rnd();
			addr_from_v6(&pfx[i], b);
			plen = 32 + (int)(rnd() % 33);
		} else {
			addr_from_v4(&pfx[i], (uint32_t)rnd());
			plen = v4len();
		}
		cidrset_add(cs, &pfx[i], plen, (uint32_t)i);
		sorted[i] = (uint32_t)rnd();
	}
	t0 = time_mono_us();
	cidrset_build(cs);
	t1 = time_mono_us();
	qsort(sorted, n, sizeof(uint32_t), cmp_u32);
	for (size_t i = 0; i < m; i++) {
		q[i] = pfx[rnd() % n];
		q[i].b[15] ^= (uint8_t)rnd();
		if (rnd() % 4 == 0)
			addr_from_v4(&q[i], (uint32_t)rnd());
		keys[i] = (uint32_t)rnd();
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

			while (hi - lo > 1) {
				size_t mid = lo + (hi - lo) / 2;

				if (sorted[mid] <= keys[i])
					lo = mid;
				else
					hi = mid;
			}
			found += sorted[lo] == keys[i];
		}
		base[b] = (double)(time_mono_us() - s) * 1000.0 / (double)m;
	}
	qsort(ns, BATCHES, sizeof(double), cmp_double);
	qsort(base, BATCHES, sizeof(double), cmp_double);
	med = ns[BATCHES / 2];
	p99 = ns[BATCHES - 1];
	bmed = base[BATCHES / 2];
	getrusage(RUSAGE_SELF, &ru);
	printf("cidr: %zu prefixes (%zu distinct), build %.1f ms\n", n,
	    cidrset_count(cs), (double)(t1 - t0) / 1000.0);
	printf("cidr: lookup median %.1f ns, worst batch %.1f ns, %.1f%% hit "
	       "(%d batches of %zu)\n",
	    med, p99, 100.0 * (double)hits / ((double)m * BATCHES), BATCHES, m);
	printf("cidr: baseline binary search of %zu u32: median %.1f ns; "
	       "ratio %.2fx\n",
	    n, bmed, med / bmed);
	printf("cidr: peak RSS %ld KiB; target < 200 ns: %s\n", ru.ru_maxrss,
	    med < 200 ? "met" : "NOT met");
	(void)found;
	cidrset_free(cs);
	free(pfx);
	free(q);
	free(sorted);
	free(keys);
	return 0;
}
