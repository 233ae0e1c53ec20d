/*
 * bench_policy.c — the cost of tagging and flow evaluation per event, with
 * 300 団体 and about 10,000 prefixes (issue 5's sizing; DOMAIN.md §1.1
 * puts deployments at 20–300 団体).
 *
 * Each 団体 gets a /19 of 10.0.0.0/8 cut into 32 /24s (M 5, L 14, I 13),
 * plus 3 gateways and 2 sources as host entries.  64 Ki flows are drawn
 * up front (40% to the internet, 30% within the 団体 across tiers, 20% to
 * the SC, 10% to another 団体); each run evaluates all of them, and the
 * median of the runs is printed in ns per event for policy_eval_flow
 * (which tags both ends) and for one policy_tag.  A report, not an
 * assertion: `make bench && ./bench/policy/bench_policy`.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/timeutil.h"
#include "policies/policy.h"

#define NMUNI 300
#define NFLOWS (64 * 1024)
#define RUNS 15

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static int
code_for(int i, char out[7])
{
	char five[6];
	int cd;

	snprintf(five, sizeof(five), "24%03d", 201 + i);
	cd = policy_muni_check_digit(five);
	snprintf(out, 7, "%s%d", five, cd);
	return 0;
}

static uint32_t
block(int i)
{
	return (10u << 24) + (uint32_t)i * 8192u;
}

static void
ip(uint32_t v, char *out, size_t len)
{
	snprintf(out, len, "%u.%u.%u.%u", v >> 24, (v >> 16) & 255,
	    (v >> 8) & 255, v & 255);
}

static char *
make_policy(size_t *len)
{
	struct buf b;
	char code[7], a[32];
	int i, k;

	buf_init(&b, 64 * 1024 * 1024);
	buf_puts(&b,
	    "prefecture \"県\" { code 240001 }\n"
	    "cloud { tier SC 172.16.0.0/16\n tier LG 172.17.0.0/16\n"
	    " gateway proxy px 172.16.1.10 ports 8080 }\n");
	for (i = 0; i < NMUNI; i++) {
		static const char *const models[] = { "alpha", "alpha'", "beta",
			"beta'" };
		uint32_t base = block(i);

		code_for(i, code);
		buf_printf(&b,
		    "municipality \"団体%d\" {\n code %s\n type city\n"
		    " model %s\n",
		    i, code, models[i % 4]);
		for (k = 0; k < 32; k++) {
			ip(base + (uint32_t)k * 256, a, sizeof(a));
			buf_printf(&b, " tier %s %s/24\n",
			    k < 5      ? "M" :
				k < 19 ? "L" :
					 "I",
			    a);
		}
		ip(base + 19 * 256 + 10, a, sizeof(a));
		buf_printf(
		    &b, " gateway screen-transfer vb%d %s ports 3389\n", i, a);
		ip(base + 19 * 256 + 20, a, sizeof(a));
		buf_printf(&b, " gateway sanitiser cdr%d %s\n", i, a);
		ip(base + 19 * 256 + 30, a, sizeof(a));
		buf_printf(&b, " gateway file-transfer fx%d %s\n", i, a);
		ip(base + 5 * 256 + 1, a, sizeof(a));
		buf_printf(&b, " source fwl%d %s\n", i, a);
		ip(base + 19 * 256 + 1, a, sizeof(a));
		buf_printf(&b, " source fwi%d %s\n}\n", i, a);
	}
	*len = b.len;
	return (char *)buf_release(&b, len);
}

struct flow {
	struct addr s, d;
	uint16_t dport;
};

static void
draw(struct flow *f)
{
	int m = (int)(rnd() % NMUNI), r = (int)(rnd() % 10);
	uint32_t s = block(m) + (rnd() % 8192), d;

	if (r < 4)
		d = 0x08000000u + rnd() % 0x40000000u; /* 8.0.0.0.. global */
	else if (r < 7)
		d = block(m) + (rnd() % 8192);
	else if (r < 9)
		d = (172u << 24) + (16u << 16) + rnd() % 65536;
	else
		d = block((int)(rnd() % NMUNI)) + (rnd() % 8192);
	addr_from_v4(&f->s, s);
	addr_from_v4(&f->d, d);
	f->dport = (uint16_t)(r < 5 ? 443 : 1 + rnd() % 65535);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(void)
{
	size_t len, i;
	char *text = make_policy(&len);
	int64_t t0 = time_mono_us();
	struct policy *p = policy_load_string("bench.policy", text, len);
	int64_t load_us = time_mono_us() - t0;
	struct flow *fl = calloc(NFLOWS, sizeof(*fl));
	double eval_ns[RUNS], tag_ns[RUNS];
	struct policy_verdict v;
	struct policy_tag t;
	unsigned long sink = 0;
	int r;

	free(text);
	if (p == NULL || fl == NULL)
		return 1;
	for (i = 0; i < NFLOWS; i++)
		draw(&fl[i]);
	for (r = 0; r < RUNS; r++) {
		t0 = time_mono_us();
		for (i = 0; i < NFLOWS; i++)
			sink += (unsigned long)policy_eval_flow(
			    p, &fl[i].s, 1000, &fl[i].d, fl[i].dport, 6, 0, &v);
		eval_ns[r] = (double)(time_mono_us() - t0) * 1000.0 / NFLOWS;
		t0 = time_mono_us();
		for (i = 0; i < NFLOWS; i++)
			sink += (unsigned long)policy_tag(p, &fl[i].d, &t);
		tag_ns[r] = (double)(time_mono_us() - t0) * 1000.0 / NFLOWS;
	}
	qsort(eval_ns, RUNS, sizeof(double), cmp_double);
	qsort(tag_ns, RUNS, sizeof(double), cmp_double);
	printf("policy: %d 団体, %zu gateways, %zu sources; load %.1f ms\n",
	    NMUNI, policy_gateway_count(p), policy_source_count(p),
	    (double)load_us / 1000.0);
	printf("tag + evaluate (2 lookups + matrix): median %.0f ns/event "
	       "(min %.0f, max %.0f), %d runs x %d flows\n",
	    eval_ns[RUNS / 2], eval_ns[0], eval_ns[RUNS - 1], RUNS, NFLOWS);
	printf("tag only: median %.0f ns/lookup\n", tag_ns[RUNS / 2]);
	printf("(violations seen: %lu)\n", sink);
	policy_unref(p);
	free(fl);
	return 0;
}
