/*
 * cmd_rules.c — `seccloud rules`: the rule author's tools.
 *
 *   rules check [-p] [-s] FILE...   lint and statistics
 *   rules test [-p] [-e] [-t] RULES... -- INPUT  (or RULES INPUT)
 *
 * check prints every rejected rule as "file:line: sid N: reason" and then
 * what was loaded, what was rejected by reason, and how much of the pcre
 * Hyperscan takes.  test runs a log file through the rules with a
 * correlator and prints "LINE: sid SID rev REV: msg" per alert; with -e it
 * also checks "#expect SID" / "#expect-not SID" lines, each about the next
 * log line, and that every rule has at least one of each (a sid that is
 * not among the loaded rules, from another set, is not checked).
 * Variables come from seccloud.conf (-c) or the defaults.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/settings.h"
#include "common/timeutil.h"
#include "common/xmalloc.h"
#include "rules/rules_int.h"
#include "sensor/sensor.h"
#include "seccloud.h"

struct reasons {
	char **msg;
	size_t *count;
	size_t n;
};

static void
count_reason(struct reasons *r, const char *msg)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->msg[i], msg) == 0) {
			r->count[i]++;
			return;
		}
	r->msg = xreallocarray(r->msg, r->n + 1, sizeof(*r->msg));
	r->count = xreallocarray(r->count, r->n + 1, sizeof(*r->count));
	r->msg[r->n] = xstrdup(msg);
	r->count[r->n++] = 1;
}

/* "unknown keyword \"x\"" and "pcre at offset 3: ..." group by keyword. */
static void
on_error(void *arg, const char *file, int line, uint32_t sid,
    enum rule_reject why, const char *reason)
{
	struct reasons *r = arg;
	char key[160];

	printf("%s:%d: sid %u: %s\n", file, line, sid, reason);
	if (why == RULE_REJ_BAD_PCRE)
		snprintf(key, sizeof(key), "%s", rule_reject_name(why));
	else if (why == RULE_REJ_DUP_SID)
		snprintf(key, sizeof(key), "duplicate sid");
	else
		snprintf(key, sizeof(key), "%.150s", reason);
	count_reason(r, key);
}

static void
free_reasons(struct reasons *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->msg[i]);
	free(r->msg);
	free(r->count);
}

static double
pct(size_t a, size_t b)
{
	return b == 0 ? 0.0 : 100.0 * (double)a / (double)b;
}

static void
print_stats(
    const struct ruleset_stats *st, const struct reasons *rr, unsigned flags)
{
	size_t total = st->loaded + st->rejected;

	printf("files: %zu\n", st->files);
	printf("rules: %zu read, %zu loaded, %zu rejected\n", total, st->loaded,
	    st->rejected);
	if (st->other_domain > 0)
		printf(
		    "  %zu loaded rules are %s rules and are not matched by a "
		    "%s set\n",
		    st->other_domain, flags & RULESET_PACKET ? "log" : "packet",
		    flags & RULESET_PACKET ? "packet" : "log");
	for (int i = 0; i < RULE_REJ_COUNT; i++)
		if (st->rejected_by[i] > 0)
			printf("rejected, %s: %zu\n",
			    rule_reject_name((enum rule_reject)i),
			    st->rejected_by[i]);
	for (size_t i = 0; i < rr->n; i++)
		printf("  %6zu  %s\n", rr->count[i], rr->msg[i]);
	printf("ignored keywords: %zu uses\n", st->ignored_keywords);
	printf("pcre: %zu; hyperscan accepts %zu (%.1f%%) as is, %zu (%.1f%%) "
	       "as a prefilter, %zu (%.1f%%) not at all\n",
	    st->pcre, st->pcre_hs, pct(st->pcre_hs, st->pcre),
	    st->pcre_hs_prefilter, pct(st->pcre_hs_prefilter, st->pcre),
	    st->pcre - st->pcre_hs - st->pcre_hs_prefilter,
	    pct(st->pcre - st->pcre_hs - st->pcre_hs_prefilter, st->pcre));
	printf("prefiltered rules: %zu, without a literal: %zu\n",
	    st->prefiltered, st->unfiltered);
	printf("databases: %zu bytes, %.1f ms%s\n", st->db_bytes,
	    st->compile_ms, st->cache_hit ? " (cache hit)" : "");
}

struct common_opts {
	unsigned flags;
	int verbose;
	const char *conf;
	struct settings *settings;
	struct rule_var *vars;
	struct ruleset_opts ro;
};

static int
load_settings(struct common_opts *co)
{
	co->settings = settings_load(co->conf);
	if (co->settings == NULL)
		return -1;
	co->vars = xcalloc(co->settings->nvars + 1, sizeof(*co->vars));
	for (size_t i = 0; i < co->settings->nvars; i++) {
		co->vars[i].name = co->settings->vars[i].name;
		co->vars[i].value = co->settings->vars[i].value;
	}
	co->ro.vars = co->vars;
	co->ro.nvars = co->settings->nvars;
	if (co->settings->strict_rules)
		co->flags |= RULESET_STRICT;
	return 0;
}

static void
free_settings(struct common_opts *co)
{
	free(co->vars);
	settings_free(co->settings);
}

static int
cmd_check(int argc, char **argv, struct common_opts *co)
{
	struct reasons rr;
	struct ruleset_stats st;
	struct ruleset *rs;
	const char *const *files;
	size_t nfiles;

	memset(&rr, 0, sizeof(rr));
	if (load_settings(co) == -1)
		return 1;
	if (argc > 0) {
		files = (const char *const *)argv;
		nfiles = (size_t)argc;
	} else {
		files = (const char *const *)co->settings->rules;
		nfiles = co->settings->nrules;
	}
	co->ro.flags = co->flags | RULESET_NO_CACHE;
	co->ro.on_error = on_error;
	co->ro.on_error_arg = &rr;
	rs = ruleset_load(files, nfiles, &co->ro, &st);
	if (rs != NULL && co->verbose)
		for (size_t i = 0; i < ruleset_count(rs); i++) {
			const struct rule *r = ruleset_rule(rs, i);

			if (rule_prefilter_buf(r) < 0 &&
			    rule_is_log(r) == !!(co->flags & RULESET_LOG))
				printf("%s:%d: sid %u: no literal for the "
				       "prefilter\n",
				    rule_file(r), rule_line(r), rule_sid(r));
		}
	print_stats(&st, &rr, co->flags);
	ruleset_unref(rs);
	free_reasons(&rr);
	free_settings(co);
	if (rs == NULL)
		return 1;
	return st.rejected > 0 ? 1 : 0;
}

/* ---- rules test -------------------------------------------------------- */

struct expect {
	uint32_t sid;
	int want; /* 1 must fire, 0 must not */
};

struct tester {
	const struct ruleset *rs;
	long lineno;
	int expect_mode;
	struct expect pending[32];
	int npending;
	uint32_t fired[64];
	int nfired;
	unsigned char *pos, *neg; /* per rule: has a positive/negative */
	int failures;
	size_t alerts;
};

static int
print_hit(void *ctx, const struct rule_hit *h)
{
	struct tester *t = ctx;
	const char *uc = rule_metadata(h->rule, "usecase");

	t->alerts++;
	if (t->nfired < 64)
		t->fired[t->nfired++] = rule_sid(h->rule);
	printf("%ld: sid %u rev %u%s%s%s: %s\n", t->lineno, rule_sid(h->rule),
	    rule_rev(h->rule), uc != NULL ? " [" : "", uc != NULL ? uc : "",
	    uc != NULL ? "]" : "", rule_msg(h->rule));
	return 0;
}

static void
directive(struct tester *t, const char *line)
{
	const char *p;
	int want;
	char *end;
	unsigned long sid;

	if (strncmp(line, "#expect-not ", 12) == 0) {
		want = 0;
		p = line + 12;
	} else if (strncmp(line, "#expect ", 8) == 0) {
		want = 1;
		p = line + 8;
	} else
		return;
	for (;;) {
		while (*p == ' ' || *p == ',')
			p++;
		sid = strtoul(p, &end, 10);
		if (end == p)
			break;
		if (t->npending < 32) {
			t->pending[t->npending].sid = (uint32_t)sid;
			t->pending[t->npending++].want = want;
		}
		p = end;
	}
}

static void
check_pending(struct tester *t)
{
	for (int i = 0; i < t->npending; i++) {
		const struct expect *e = &t->pending[i];
		const struct rule *r = ruleset_find_sid(t->rs, 1, e->sid);
		int got = 0;

		/* a rule of another set (the line names every alert the
		 * whole product raises on it): nothing to check here */
		if (r == NULL)
			continue;
		for (int j = 0; j < t->nfired; j++)
			if (t->fired[j] == e->sid)
				got = 1;
		if (got != e->want) {
			printf("FAIL %ld: sid %u %s\n", t->lineno, e->sid,
			    e->want ? "did not fire" : "fired");
			t->failures++;
		}
		if (e->want)
			t->pos[rule_index(r)] = 1;
		else
			t->neg[rule_index(r)] = 1;
	}
	t->npending = 0;
}

static int
coverage(struct tester *t)
{
	int bad = 0;

	for (size_t i = 0; i < ruleset_count(t->rs); i++) {
		const struct rule *r = ruleset_rule(t->rs, i);

		if (!t->pos[i] || !t->neg[i]) {
			printf("FAIL sid %u: no %s test line\n", rule_sid(r),
			    !t->pos[i] ? "positive" : "negative");
			bad++;
		}
	}
	return bad;
}

static int
run_input(struct tester *t, FILE *in, struct rule_scratch *s,
    struct correlator *c, int arrival)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int64_t now = time_now_us(), last = now;
	struct rule_logline ll;

	while ((n = getline(&line, &cap, in)) > 0) {
		t->lineno++;
		if (line[0] == '#') {
			if (t->expect_mode)
				directive(t, line);
			continue;
		}
		if (n == 1 && line[0] == '\n')
			continue;
		if (rule_logline_parse(line, (size_t)n, now, &ll) == -1) {
			printf("%ld: unreadable line\n", t->lineno);
			continue;
		}
		if (arrival)
			ll.m.recv_us = time_now_us();
		else
			ll.m.recv_us = ll.ts_us != 0 ? ll.ts_us : last;
		last = ll.m.recv_us;
		t->nfired = 0;
		if (ruleset_match_log(t->rs, s, c, &ll.m, print_hit, t) < 0)
			printf("%ld: match failed\n", t->lineno);
		if (t->expect_mode)
			check_pending(t);
	}
	free(line);
	return 0;
}

/* A pcap or pcapng file, by its magic number. */
static int
is_capture(const char *path)
{
	static const uint32_t magics[] = { 0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d,
		0x4d3cb2a1, 0x0a0d0d0a };
	uint32_t m = 0;
	FILE *fp;

	if (strcmp(path, "-") == 0 || (fp = fopen(path, "rb")) == NULL)
		return 0;
	if (fread(&m, sizeof(m), 1, fp) != 1)
		m = 0;
	fclose(fp);
	for (size_t i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
		if (m == magics[i])
			return 1;
	return 0;
}

/*
 * rules test RULES... FILE.pcap: the packet rules run by the sensor's own
 * pipeline (decode, reassembly, app fields, the firing model) over the
 * capture; one EVE alert line per alert on stdout.  Midstream pickup is on
 * so a capture that starts mid-connection still shows its alerts.
 */
static int
test_capture(
    char **rules, size_t nrules, const char *input, struct common_opts *co)
{
	struct ruleset *rs;
	char err[256];
	long n;

	co->ro.flags = (co->flags & ~(unsigned)RULESET_LOG) | RULESET_PACKET |
	    RULESET_NO_CACHE;
	if ((rs = ruleset_load(
		 (const char *const *)rules, nrules, &co->ro, NULL)) == NULL) {
		free_settings(co);
		return 1;
	}
	n = sensor_test_pcap(rs, &input, 1, 1, stdout, err, sizeof(err));
	if (n < 0)
		fprintf(stderr, "%s: %s\n", input, err);
	else
		fprintf(stderr, "%s: %ld alerts\n", input, n);
	ruleset_unref(rs);
	free_settings(co);
	return n < 0 ? 1 : 0;
}

static int
cmd_test(int argc, char **argv, struct common_opts *co, int expect, int arrival)
{
	struct ruleset *rs;
	struct rule_scratch *s = NULL;
	struct correlator *c = NULL;
	struct tester t;
	FILE *in;
	int rv = 1, nrules = argc - 1;
	const char *input;

	if (argc < 2) {
		fprintf(stderr, "usage: seccloud rules test RULES... INPUT\n");
		return 2;
	}
	input = argv[argc - 1];
	if (strcmp(argv[argc - 2], "--") == 0)
		nrules--;
	if (load_settings(co) == -1)
		return 1;
	if (is_capture(input))
		return test_capture(argv, (size_t)nrules, input, co);
	co->ro.flags = co->flags | RULESET_NO_CACHE;
	rs = ruleset_load(
	    (const char *const *)argv, (size_t)nrules, &co->ro, NULL);
	if (rs == NULL)
		goto out;
	in = strcmp(input, "-") == 0 ? stdin : fopen(input, "r");
	if (in == NULL) {
		log_warn("%s", input);
		goto out;
	}
	memset(&t, 0, sizeof(t));
	t.rs = rs;
	t.expect_mode = expect;
	t.pos = xcalloc(ruleset_count(rs) + 1, 1);
	t.neg = xcalloc(ruleset_count(rs) + 1, 1);
	s = rule_scratch_new(rs);
	c = correlator_new(NULL);
	if (s == NULL || c == NULL)
		fatalx("rules: out of memory");
	run_input(&t, in, s, c, arrival);
	if (in != stdin)
		fclose(in);
	if (expect)
		t.failures += coverage(&t);
	fprintf(stderr, "%ld lines, %zu alerts%s\n", t.lineno, t.alerts,
	    expect ?
		(t.failures ? ", expectations FAILED" : ", expectations met") :
		"");
	rv = t.failures > 0 ? 1 : 0;
	free(t.pos);
	free(t.neg);
out:
	correlator_free(c);
	rule_scratch_free(s);
	ruleset_unref(rs);
	free_settings(co);
	return rv;
}

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: seccloud rules [-f conf] [-p] [-s] [-v] check [FILE...]\n"
	    "       seccloud rules [-f conf] [-p] [-e] [-a] test RULES... "
	    "INPUT\n\n"
	    "check: lint rule files (default: the rules of seccloud.conf) and\n"
	    "       print statistics; exit 1 if any rule was rejected.\n"
	    "test:  run a log file (syslog lines or Sagan's pipe format)\n"
	    "       through the rules and print LINE: sid SID per alert.\n"
	    "  -f conf  seccloud.conf for vars (default: built-in defaults)\n"
	    "  -p       packet rules (default: log rules)\n"
	    "  -s       strict: any bad rule fails\n"
	    "  -v       check: also list the rules without a prefilter literal\n"
	    "  -e       check #expect SID / #expect-not SID lines and that\n"
	    "           every rule has a positive and a negative line\n"
	    "           (sids not among RULES are not checked)\n"
	    "  -a       correlation windows on arrival time, not the lines'\n"
	    "           stamps (as Sagan does)\n");
}

int
cmd_rules(int argc, char **argv)
{
	struct common_opts co;
	int ch, expect = 0, arrival = 0;
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 }
	};

	memset(&co, 0, sizeof(co));
	co.flags = RULESET_LOG;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+c:f:pseahv", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'c': /* older spelling of -f */
		case 'f':
			co.conf = optarg;
			break;
		case 'p':
			co.flags = (co.flags & ~(unsigned)RULESET_LOG) |
			    RULESET_PACKET;
			break;
		case 's':
			co.flags |= RULESET_STRICT;
			break;
		case 'e':
			expect = 1;
			break;
		case 'a':
			arrival = 1;
			break;
		case 'v':
			co.verbose = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		usage(stderr);
		return 2;
	}
	/* options may also follow the subcommand */
	while (argc > 1 && argv[1][0] == '-' && argv[1][1] != '\0' &&
	    strcmp(argv[1], "--") != 0) {
		const char *o = argv[1] + 1;

		for (; *o != '\0'; o++) {
			if (*o == 'p')
				co.flags = (co.flags & ~(unsigned)RULESET_LOG) |
				    RULESET_PACKET;
			else if (*o == 's')
				co.flags |= RULESET_STRICT;
			else if (*o == 'e')
				expect = 1;
			else if (*o == 'a')
				arrival = 1;
			else if (*o == 'v')
				co.verbose = 1;
			else {
				usage(stderr);
				return 2;
			}
		}
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	if (strcmp(argv[0], "check") == 0)
		return cmd_check(argc - 1, argv + 1, &co);
	if (strcmp(argv[0], "test") == 0)
		return cmd_test(argc - 1, argv + 1, &co, expect, arrival);
	usage(stderr);
	return 2;
}
