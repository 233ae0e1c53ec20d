/*
 * bench_rules.c — log matching throughput of the rule engine.
 *
 *   bench_rules [-n REPEAT] [-C CACHEDIR] CORPUS RULEFILE...
 *
 * CORPUS holds log lines (syslog or Sagan's FIFO format).  Reports, for
 * the same messages and databases:
 *   - load: cold compile time, database size, warm start from the cache;
 *   - full path: line parse + Hyperscan prefilter + confirmation + header
 *     + correlation (threshold/after/xbits/grouping), messages per second;
 *   - raw hs_scan of the payload database over the same messages, the
 *     ceiling.
 * Single thread; times are CLOCK_MONOTONIC.  Run by hand (make bench),
 * never as a timed assertion.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "rules/rules_int.h"

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct corpus {
	char **line;
	size_t *len;
	size_t n;
	size_t bytes;
};

static int
read_corpus(const char *path, struct corpus *c)
{
	FILE *f = fopen(path, "r");
	char *l = NULL;
	size_t cap = 0;
	ssize_t n;

	if (f == NULL)
		return -1;
	memset(c, 0, sizeof(*c));
	while ((n = getline(&l, &cap, f)) > 0) {
		if (l[0] == '#' || n < 2)
			continue;
		c->line = realloc(c->line, (c->n + 1) * sizeof(*c->line));
		c->len = realloc(c->len, (c->n + 1) * sizeof(*c->len));
		if (c->line == NULL || c->len == NULL)
			return -1;
		c->line[c->n] = strndup(l, (size_t)n);
		c->len[c->n] = (size_t)n;
		c->bytes += (size_t)n;
		c->n++;
	}
	free(l);
	fclose(f);
	return 0;
}

static int
count_hit(void *ctx, const struct rule_hit *h)
{
	(void)h;
	(*(size_t *)ctx)++;
	return 0;
}

static int
count_match(unsigned id, unsigned long long from, unsigned long long to,
    unsigned flags, void *ctx)
{
	(void)id;
	(void)from;
	(void)to;
	(void)flags;
	(*(size_t *)ctx)++;
	return 0;
}

static void
bench_full(const struct ruleset *rs, const struct corpus *c, int repeat)
{
	struct rule_scratch *s = rule_scratch_new(rs);
	struct correlator *corr = correlator_new(NULL);
	struct rule_logline ll;
	size_t hits = 0, msgs = 0;
	double t0, t1;
	int64_t t = 1700000000LL * 1000000;

	t0 = now_s();
	for (int r = 0; r < repeat; r++)
		for (size_t i = 0; i < c->n; i++) {
			if (rule_logline_parse(c->line[i], c->len[i], t, &ll) ==
			    -1)
				continue;
			ll.m.recv_us = t;
			t += 1000; /* 1000 messages per simulated second */
			ruleset_match_log(rs, s, corr, &ll.m, count_hit, &hits);
			msgs++;
		}
	t1 = now_s();
	printf("full path (parse+match+correlate): %zu msgs in %.3f s = %.0f "
	       "msgs/s, %.1f MB/s, %zu alerts\n",
	    msgs, t1 - t0, (double)msgs / (t1 - t0),
	    (double)c->bytes * repeat / (t1 - t0) / 1e6, hits);
	correlator_free(corr);
	rule_scratch_free(s);
}

static void
bench_raw(const struct ruleset *rs, const struct corpus *c, int repeat)
{
	const hs_database_t *db =
	    (const hs_database_t *)ruleset_hs_db(rs, RULE_BUF_PAYLOAD, 0);
	struct rule_scratch *s = rule_scratch_new(rs);
	struct rule_logline ll;
	size_t matches = 0, msgs = 0;
	double t0, t1;

	if (db == NULL) {
		printf("raw hs_scan: no payload database\n");
		rule_scratch_free(s);
		return;
	}
	/* The same message bytes the full path scans (after the header). */
	t0 = now_s();
	for (int r = 0; r < repeat; r++)
		for (size_t i = 0; i < c->n; i++) {
			if (rule_logline_parse(c->line[i], c->len[i], 0, &ll) ==
			    -1)
				continue;
			hs_scan(db, ll.m.msg, (unsigned)ll.m.msglen, 0,
			    (hs_scratch_t *)rule_scratch_hs(s), count_match,
			    &matches);
			msgs++;
		}
	t1 = now_s();
	printf("raw hs_scan (same db, same messages): %zu msgs in %.3f s = "
	       "%.0f msgs/s, %zu pattern matches\n",
	    msgs, t1 - t0, (double)msgs / (t1 - t0), matches);
	rule_scratch_free(s);
}

int
main(int argc, char **argv)
{
	struct ruleset_opts o;
	struct ruleset_stats st;
	struct ruleset *rs;
	struct corpus c;
	const char *cache = NULL;
	char tmpl[] = "/tmp/bench_rulesXXXXXX";
	int ch, repeat = 20;
	double t0;

	log_init("bench", LOG_LEVEL_WARN);
	while ((ch = getopt(argc, argv, "n:C:")) != -1) {
		if (ch == 'n')
			repeat = (int)strtol(optarg, NULL, 10);
		else if (ch == 'C')
			cache = optarg;
		else
			return 2;
	}
	argc -= optind;
	argv += optind;
	if (argc < 2 || repeat < 1) {
		fprintf(stderr,
		    "usage: bench_rules [-n REPEAT] [-C CACHEDIR] "
		    "CORPUS RULEFILE...\n");
		return 2;
	}
	if (read_corpus(argv[0], &c) == -1) {
		perror(argv[0]);
		return 1;
	}
	if (cache == NULL && (cache = mkdtemp(tmpl)) == NULL)
		return 1;
	memset(&o, 0, sizeof(o));
	o.flags = RULESET_LOG | RULESET_QUIET;
	o.cache_dir = cache;
	t0 = now_s();
	rs = ruleset_load(
	    (const char *const *)argv + 1, (size_t)argc - 1, &o, &st);
	if (rs == NULL)
		return 1;
	printf("rules: %zu loaded, %zu rejected; %zu prefiltered, %zu "
	       "without a literal\n",
	    st.loaded, st.rejected, st.prefiltered, st.unfiltered);
	printf("load %s: %.1f ms total, %.1f ms compile+cache, database %zu "
	       "bytes\n",
	    st.cache_hit ? "(cache hit)" : "(cold)", (now_s() - t0) * 1e3,
	    st.compile_ms, st.db_bytes);
	ruleset_unref(rs);
	t0 = now_s();
	rs = ruleset_load(
	    (const char *const *)argv + 1, (size_t)argc - 1, &o, &st);
	printf("load %s: %.1f ms total, %.1f ms compile+cache\n",
	    st.cache_hit ? "(warm, cache hit)" : "(cache miss)",
	    (now_s() - t0) * 1e3, st.compile_ms);
	printf("corpus: %zu lines, %zu bytes, x%d\n", c.n, c.bytes, repeat);
	bench_full(rs, &c, repeat);
	bench_raw(rs, &c, repeat);
	ruleset_unref(rs);
	for (size_t i = 0; i < c.n; i++)
		free(c.line[i]);
	free(c.line);
	free(c.len);
	return 0;
}
