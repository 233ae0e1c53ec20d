/*
 * test_addr.c — address parsing and formatting, and the CIDR set's
 * longest-prefix match against a brute-force oracle on random prefixes and
 * addresses, for IPv4 and IPv6 (addresses are drawn near the prefixes so
 * most lookups land inside some prefix, on its edges, or just outside).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/addr.h"
#include "tests/tap.h"

struct pfx {
	struct addr a;
	int plen; /* family terms */
	uint32_t value;
};

static uint64_t rng = 88172645463325252ULL;
static int crowd; /* IPv6: most prefixes in one 16-bit bucket */

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int
covers(const struct pfx *p, const struct addr *a)
{
	struct addr m = *a, n = p->a;
	int bits = addr_is_v4(&p->a) ? p->plen + 96 : p->plen;

	if (addr_is_v4(&p->a) != addr_is_v4(a))
		return 0;
	addr_mask(&m, bits);
	addr_mask(&n, bits);
	return memcmp(m.b, n.b, 16) == 0;
}

/* The oracle: longest covering prefix; among equals the last added. */
static int
oracle(const struct pfx *ps, size_t n, const struct addr *a, uint32_t *v)
{
	int best = -1;

	for (size_t i = 0; i < n; i++) {
		if (covers(&ps[i], a) && ps[i].plen >= best) {
			best = ps[i].plen;
			*v = ps[i].value;
		}
	}
	return best >= 0;
}

static void
random_addr(struct addr *a, int v4)
{
	if (v4) {
		/* A small space so prefixes nest and collide. */
		addr_from_v4(a,
		    (uint32_t)(0x0a000000 | (rnd() & 0x00ffffff)) ^
			(uint32_t)((rnd() % 4) << 28));
	} else {
		uint8_t b[16];

		for (int i = 0; i < 16; i++)
			b[i] = (uint8_t)rnd();
		b[0] = 0x20;
		b[1] = 0x01;
		b[2] = (uint8_t)(rnd() % 4);
		if (crowd && rnd() % 8 != 0) {
			/* 2001:0:XX..::/38 and below: one crowded bucket, so
			 * the second-level index is built and used. */
			b[2] = b[3] = 0;
			b[4] &= 0x03;
		}
		addr_from_v6(a, b);
	}
}

static int
run_oracle(int v4, size_t nprefix, size_t nlookup)
{
	struct pfx *ps = calloc(nprefix, sizeof(*ps));
	struct cidrset *cs = cidrset_new();
	int agree = 1;
	size_t hits = 0;

	for (size_t i = 0; i < nprefix; i++) {
		random_addr(&ps[i].a, v4);
		ps[i].plen = v4 ? (int)(rnd() % 33) : (int)(rnd() % 129);
		if (v4 && ps[i].plen < 4)
			ps[i].plen += 4; /* keep /0../3 rare */
		addr_mask(&ps[i].a, v4 ? ps[i].plen + 96 : ps[i].plen);
		ps[i].value = (uint32_t)i;
		if (cidrset_add(cs, &ps[i].a, ps[i].plen, ps[i].value) != 0)
			agree = 0;
	}
	cidrset_build(cs);
	for (size_t i = 0; i < nlookup && agree; i++) {
		struct addr a;
		uint32_t want = 0, got = 0;
		int w, g;

		if (i % 3 == 0) {
			/* near a prefix edge */
			const struct pfx *p = &ps[rnd() % nprefix];

			a = p->a;
			a.b[15] ^= (uint8_t)(rnd() % 2);
			if (rnd() % 2)
				a.b[15 - (int)(rnd() % 4)] |= 0xff;
		} else if (!v4 && i % 7 == 1) {
			/* anywhere in IPv6: outside the prefixes' shared bits */
			uint8_t b[16];

			for (int k = 0; k < 16; k++)
				b[k] = (uint8_t)rnd();
			addr_from_v6(&a, b);
		} else {
			random_addr(&a, v4);
		}
		w = oracle(ps, nprefix, &a, &want);
		g = cidrset_lookup(cs, &a, &got, NULL);
		hits += w;
		if (w != g || (w && want != got)) {
			char s[ADDR_STRLEN];

			diag("mismatch for %s: oracle %d/%u, set %d/%u",
			    addr_fmt(&a, s, sizeof(s)), w, want, g, got);
			agree = 0;
		}
	}
	diag("%s: %zu prefixes, %zu lookups, %zu inside some prefix",
	    v4 ? "IPv4" : "IPv6", nprefix, nlookup, hits);
	cidrset_free(cs);
	free(ps);
	return agree && hits > nlookup / 10;
}

int
main(void)
{
	struct addr a, b;
	char s[ADDR_STRLEN];
	int plen;
	uint32_t v;
	struct cidrset *cs;

	ok(addr_parse("192.0.2.1", &a) == 0 && addr_is_v4(&a), "parse v4");
	is_str(addr_fmt(&a, s, sizeof(s)), "192.0.2.1", "v4 formats dotted");
	is_int(addr_v4(&a), 0xc0000201, "v4 value");
	ok(addr_parse("2001:db8::1", &b) == 0 && !addr_is_v4(&b), "parse v6");
	is_str(addr_fmt(&b, s, sizeof(s)), "2001:db8::1", "v6 formats");
	ok(addr_parse("::ffff:10.1.2.3", &a) == 0 && addr_is_v4(&a),
	    "v4-mapped v6 text is v4");
	ok(addr_parse("300.1.1.1", &a) == -1, "bad octet rejected");
	ok(addr_parse("", &a) == -1, "empty rejected");
	ok(addr_parse_n("10.0.0.1xyz", 8, &a) == 0, "length-bounded parse");
	is_str(addr_fmt(&a, s, sizeof(s)), "10.0.0.1", "bounded value");
	ok(addr_parse_cidr("10.1.0.0/16", &a, &plen) == 0 && plen == 16,
	    "cidr v4");
	ok(addr_parse_cidr("2001:db8::/32", &a, &plen) == 0 && plen == 32,
	    "cidr v6");
	ok(addr_parse_cidr("10.0.0.1", &a, &plen) == 0 && plen == 32,
	    "bare address is a host prefix");
	ok(addr_parse_cidr("10.0.0.0/33", &a, &plen) == -1, "/33 rejected");
	ok(addr_parse_cidr("10.0.0.0/", &a, &plen) == -1,
	    "empty length rejected");
	ok(addr_parse_cidr("10.0.0.0/8x", &a, &plen) == -1,
	    "junk length rejected");
	ok(addr_parse_cidr("/8", &a, &plen) == -1, "missing address rejected");

	cs = cidrset_new();
	addr_parse("10.0.0.0", &a);
	cidrset_add(cs, &a, 8, 1);
	addr_parse("10.1.0.0", &a);
	cidrset_add(cs, &a, 16, 2);
	addr_parse("10.1.2.0", &a);
	cidrset_add(cs, &a, 24, 3);
	cidrset_add(cs, &a, 24, 4); /* same prefix again: last wins */
	addr_parse("0.0.0.0", &a);
	cidrset_add(cs, &a, 0, 9);
	addr_parse("2001:db8::", &b);
	cidrset_add(cs, &b, 32, 6);
	ok(cidrset_build(cs) == 0, "build");
	ok(cidrset_add(cs, &a, 8, 1) == -1, "add after build refused");
	addr_parse("10.1.2.3", &a);
	ok(cidrset_lookup(cs, &a, &v, &plen) && v == 4 && plen == 24,
	    "most specific wins, re-added prefix keeps the last value");
	addr_parse("10.1.3.3", &a);
	ok(cidrset_lookup(cs, &a, &v, &plen) && v == 2 && plen == 16, "/16");
	addr_parse("10.200.0.1", &a);
	ok(cidrset_lookup(cs, &a, &v, &plen) && v == 1 && plen == 8, "/8");
	addr_parse("11.0.0.0", &a);
	ok(cidrset_lookup(cs, &a, &v, &plen) && v == 9 && plen == 0,
	    "default route for v4");
	addr_parse("2001:db8:1::1", &a);
	ok(cidrset_lookup(cs, &a, &v, &plen) && v == 6 && plen == 32, "v6 /32");
	addr_parse("2001:db9::1", &a);
	ok(!cidrset_lookup(cs, &a, &v, &plen), "v4 default does not cover v6");
	is_int(cidrset_count(cs), 5, "count of distinct prefixes");
	cidrset_free(cs);
	cidrset_free(NULL);

	cs = cidrset_new();
	cidrset_build(cs);
	addr_parse("10.1.2.3", &a);
	ok(!cidrset_lookup(cs, &a, &v, NULL), "empty set matches nothing");
	cidrset_free(cs);

	ok(run_oracle(1, 2000, 100000), "IPv4 LPM agrees with the oracle");
	ok(run_oracle(0, 2000, 100000), "IPv6 LPM agrees with the oracle");
	ok(run_oracle(1, 50, 20000), "IPv4 LPM, dense nesting");
	ok(run_oracle(0, 50, 20000), "IPv6 LPM, dense nesting");
	crowd = 1;
	ok(run_oracle(0, 3000, 100000),
	    "IPv6 LPM with a crowded bucket (second-level index)");
	crowd = 0;
	return done_testing();
}
