/*
 * cmd_policy.c — `seccloud policy`: check a policy file, look up an
 * address, judge a flow.
 *
 *   seccloud policy check FILE
 *   seccloud policy lookup ADDR [-p FILE]
 *   seccloud policy flow SRC[:PORT] DST:PORT [tcp|udp] [-p FILE] [-t TIME]
 *
 * Without -p the example policy shipped with seccloud is used
 * (settings_sharedir()/policies/example/policy.conf).
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/settings.h"
#include "common/timeutil.h"
#include "common/xmalloc.h"
#include "policies/policy.h"
#include "seccloud.h"

#define EXAMPLE_POLICY "policies/example/policy.conf"

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: seccloud policy check FILE\n"
	    "       seccloud policy lookup ADDR [-p FILE]\n"
	    "       seccloud policy flow SRC[:PORT] DST:PORT [tcp|udp] "
	    "[-p FILE] [-t TIME]\n"
	    "       seccloud policy matrix [alpha|alpha'|beta|beta']\n"
	    "\n"
	    "check a policy file, show the 団体, tier, source and gateway of "
	    "an\naddress, judge a flow, or print the three-tier flow matrix.  "
	    "Without -p\nthe bundled example policy is used.\n");
}

static char *
example_path(void)
{
	char *path;

	xasprintf(&path, "%s/%s", settings_sharedir(), EXAMPLE_POLICY);
	return path;
}

static struct policy *
open_policy(const char *path)
{
	char *def = NULL;
	struct policy *p;

	if (path == NULL)
		path = def = example_path();
	p = policy_load(path);
	if (p == NULL)
		fprintf(stderr, "seccloud policy: %s: not loaded\n", path);
	free(def);
	return p;
}

/* A relay's scope: whose lines it may tag (policy_relay_may_tag). */
static void
print_relay_scope(const struct policy_source *s)
{
	char a[ADDR_STRLEN];

	printf("relay     %s %s: ", s->name, addr_fmt(&s->addr, a, sizeof(a)));
	if (s->muni == NULL) {
		printf("every 団体 (a security cloud relay)\n");
		return;
	}
	printf("団体 %s", s->muni->code);
	for (size_t i = 0; i < s->nrelay_for; i++)
		printf(", %s", s->relay_for[i]->code);
	printf(" only\n");
}

static int
do_check(const char *path)
{
	struct policy *p = policy_load(path);

	if (p == NULL)
		return 1;
	printf("%s: ok: %s (%s), %zu 団体, %zu sources, %zu gateways, "
	       "%zu exceptions, %zu routes\n",
	    path, policy_prefecture_name(p), policy_prefecture_code(p),
	    policy_muni_count(p), policy_source_count(p),
	    policy_gateway_count(p), policy_exception_count(p),
	    policy_route_count(p));
	for (size_t i = 0; i < policy_source_count(p); i++)
		if (policy_source_at(p, i)->relay)
			print_relay_scope(policy_source_at(p, i));
	policy_unref(p);
	return 0;
}

static void
print_tag(const struct policy_tag *t)
{
	if (t->muni != NULL)
		printf("団体      %s (%s) %s, %s\n", t->muni->name,
		    t->muni->code, policy_muni_type_jp(t->muni->type),
		    policy_model_jp(t->muni->model));
	else
		printf("団体      -\n");
	printf("tier      %s %s / %s\n", policy_tier_short(t->tier),
	    policy_tier_jp(t->tier), policy_tier_en(t->tier));
	if (t->plen >= 0)
		printf("prefix    /%d\n", t->plen);
	if (t->source != NULL)
		printf("source    %s (type %s, expected every %llds)\n",
		    t->source->name, t->source->type,
		    (long long)t->source->interval_s);
	if (t->source != NULL && t->source->relay)
		print_relay_scope(t->source);
	if (t->gateway != NULL)
		printf("gateway   %s %s (%s)\n",
		    policy_gw_short(t->gateway->kind), t->gateway->name,
		    policy_gw_jp(t->gateway->kind));
}

static int
do_lookup(const char *path, const char *addr)
{
	struct policy *p;
	struct policy_tag t;
	struct addr a;

	if (addr_parse(addr, &a) != 0) {
		fprintf(stderr, "seccloud policy: %s: not an address\n", addr);
		return 2;
	}
	if ((p = open_policy(path)) == NULL)
		return 1;
	policy_tag(p, &a, &t);
	printf("address   %s\n", addr);
	print_tag(&t);
	policy_unref(p);
	return 0;
}

/* "10.0.0.1", "10.0.0.1:443", "[2001:db8::1]:443" */
static int
parse_hostport(const char *s, struct addr *a, uint16_t *port)
{
	char buf[ADDR_STRLEN + 8];
	const char *colon;
	char *end;
	unsigned long v;
	size_t n;

	*port = 0;
	if (s[0] == '[') {
		const char *rb = strchr(s, ']');

		if (rb == NULL || (size_t)(rb - s - 1) >= sizeof(buf))
			return -1;
		memcpy(buf, s + 1, (size_t)(rb - s - 1));
		buf[rb - s - 1] = '\0';
		colon = rb[1] == ':' ? rb + 1 : NULL;
	} else {
		colon = strchr(s, ':');
		if (colon != NULL && strchr(colon + 1, ':') != NULL)
			colon = NULL; /* bare IPv6 */
		n = colon ? (size_t)(colon - s) : strlen(s);
		if (n >= sizeof(buf))
			return -1;
		memcpy(buf, s, n);
		buf[n] = '\0';
	}
	if (addr_parse(buf, a) != 0)
		return -1;
	if (colon != NULL) {
		v = strtoul(colon + 1, &end, 10);
		if (colon[1] == '\0' || *end != '\0' || v > 65535)
			return -1;
		*port = (uint16_t)v;
	}
	return 0;
}

static int
do_flow(const char *path, int argc, char **argv, const char *when)
{
	struct policy *p;
	struct policy_verdict v;
	struct addr s, d;
	uint16_t sp, dp;
	uint8_t proto = 6;
	int64_t t = time_now_us();
	char line[1024];

	if (argc < 2 || parse_hostport(argv[0], &s, &sp) != 0 ||
	    parse_hostport(argv[1], &d, &dp) != 0) {
		usage(stderr);
		return 2;
	}
	if (argc > 2)
		proto = strcmp(argv[2], "udp") == 0 ? 17 : 6;
	if (when != NULL && time_parse_arg(when, &t) != 0) {
		fprintf(stderr, "seccloud policy: %s: not a time\n", when);
		return 2;
	}
	if ((p = open_policy(path)) == NULL)
		return 1;
	policy_eval_flow(p, &s, sp, &d, dp, proto, t, &v);
	policy_verdict_format(&v, &s, sp, &d, dp, proto, line, sizeof(line));
	printf("verdict   %s\n", policy_verdict_name(v.kind));
	if (v.violation)
		printf("alert     %s S%d %s\n", v.use_case, v.severity,
		    policy_severity_jp(v.severity));
	printf("model     %s\n", policy_model_jp(v.model));
	printf("cell      %s\n", v.cell_text);
	printf("evidence  %s\n", line);
	policy_unref(p);
	return v.violation ? 3 : 0;
}

/* The flow matrix of a model (DOMAIN.md §C.2), one cell per line. */
static int
do_matrix(int argc, char **argv)
{
	enum policy_model m = POLICY_MODEL_ALPHA;
	int f, t, k;

	if (argc > 0 && policy_model_parse(argv[0], &m) != 0) {
		fprintf(
		    stderr, "seccloud policy: %s: unknown model\n", argv[0]);
		return 2;
	}
	printf("%s (%s)\n", policy_model_jp(m), policy_model_en(m));
	for (f = POLICY_TIER_M; f < POLICY_TIER_COUNT; f++) {
		for (t = POLICY_TIER_M; t < POLICY_TIER_COUNT; t++) {
			unsigned gw;
			const char *text;
			static const char cells[] = "ADGE";
			enum policy_cell c =
			    policy_matrix_cell(m, (enum policy_tier)f,
				(enum policy_tier)t, &gw, &text);

			printf("%-3s -> %-3s  %c  %s",
			    policy_tier_short((enum policy_tier)f),
			    policy_tier_short((enum policy_tier)t), cells[c],
			    text);
			for (k = 0; k < POLICY_GW_COUNT; k++)
				if (gw & (1u << k))
					printf(" [%s]",
					    policy_gw_short(
						(enum policy_gw_kind)k));
			printf("\n");
		}
	}
	return 0;
}

int
cmd_policy(int argc, char **argv)
{
	const char *path = NULL, *when = NULL;
	const char *sub;
	int ch;

	if (cmd_wants_help(argc, argv)) {
		usage(stdout);
		return 0;
	}
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	sub = argv[1];
	argc--;
	argv++;
	optind = 1;
	while ((ch = getopt(argc, argv, "p:t:")) != -1) {
		switch (ch) {
		case 'p':
			path = optarg;
			break;
		case 't':
			when = optarg;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (strcmp(sub, "check") == 0) {
		if (argc != 1 && path == NULL) {
			usage(stderr);
			return 2;
		}
		return do_check(argc == 1 ? argv[0] : path);
	}
	if (strcmp(sub, "lookup") == 0 && argc == 1)
		return do_lookup(path, argv[0]);
	if (strcmp(sub, "flow") == 0)
		return do_flow(path, argc, argv, when);
	if (strcmp(sub, "matrix") == 0)
		return do_matrix(argc, argv);
	usage(stderr);
	return 2;
}
