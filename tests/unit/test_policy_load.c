/*
 * test_policy_load.c — the policy language: the shipped example loads and
 * says what it should; broken policies are refused with every error
 * reported as file:line (several per run); retention and notification
 * routes resolve per 団体.
 *
 * Errors go to stderr; the test points fd 2 at a temporary file while
 * loading and reads it back.
 */
#include "config.h"

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdatomic.h>
#include <unistd.h>

#include "common/timeutil.h"
#include "policies/policy.h"
#include "tests/tap.h"

static char errbuf[16384];

/* Load text, capturing stderr into errbuf. */
static struct policy *
load_capture(const char *name, const char *text)
{
	FILE *tmp = tmpfile();
	int saved, n;
	struct policy *p;

	fflush(stderr);
	saved = dup(2);
	dup2(fileno(tmp), 2);
	p = policy_load_string(name, text, strlen(text));
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	n = (int)fread(errbuf, 1, sizeof(errbuf) - 1, tmp);
	errbuf[n > 0 ? n : 0] = '\0';
	fclose(tmp);
	return p;
}

static int
has(const char *needle)
{
	return strstr(errbuf, needle) != NULL;
}

static void
example(void)
{
	const char *top = getenv("top_srcdir");
	char path[4096];
	struct policy *p;
	struct policy_tag t;
	struct addr a;
	struct policy_retention r;
	const struct policy_route *routes[8];
	const struct policy_muni *m;
	size_t i, n;
	unsigned models = 0;

	snprintf(path, sizeof(path), "%s/policies/example/policy.conf",
	    top ? top : "..");
	p = policy_load(path);
	ok(p != NULL, "example policy loads (%s)", path);
	if (p == NULL)
		return;
	is_str(policy_prefecture_name(p), "架空県", "prefecture name");
	is_str(policy_prefecture_code(p), "240001", "prefecture code");
	ok(policy_muni_count(p) >= 6, "at least 6 団体 (%zu)",
	    policy_muni_count(p));
	for (i = 0; i < policy_muni_count(p); i++) {
		m = policy_muni_at(p, i);
		models |= 1u << m->model;
		ok(policy_muni_code_valid(m->code), "%s %s: valid code",
		    m->name, m->code);
	}
	is_int(models, 0xf, "every model is used");
	ok(policy_exception_count(p) >= 2, "exceptions from the include");

	addr_parse("10.11.16.1", &a);
	ok(policy_tag(p, &a, &t) == 1, "a declared source is tagged");
	ok(t.muni && strcmp(t.muni->code, "242501") == 0, "its 団体");
	is_int(t.tier, POLICY_TIER_L, "its tier");
	ok(t.source && strcmp(t.source->name, "chuo-fw-lgwan") == 0 &&
		strcmp(t.source->type, "asa") == 0 &&
		t.source->interval_s == 900,
	    "its source name, type and interval");
	ok(t.source && t.source->tier == POLICY_TIER_L &&
		t.source->muni == t.muni,
	    "the source knows its tier and 団体");
	addr_parse("10.11.20.1", &a);
	policy_tag(p, &a, &t);
	ok(t.muni && t.tier == POLICY_TIER_L && t.source == NULL,
	    "a plain L host");
	is_int(t.plen, 20, "matched the /20");
	addr_parse("10.99.0.1", &a);
	is_int(policy_tag(p, &a, &t), 0, "undeclared private: not found");
	is_int(t.tier, POLICY_TIER_UNKNOWN, "undeclared private: unknown");
	addr_parse("8.8.8.8", &a);
	policy_tag(p, &a, &t);
	is_int(t.tier, POLICY_TIER_NET, "undeclared global: NET");
	addr_parse("10.200.1.10", &a);
	policy_tag(p, &a, &t);
	ok(t.gateway && t.gateway->kind == POLICY_GW_PROXY && t.source &&
		t.tier == POLICY_TIER_SC && t.muni == NULL,
	    "the SC proxy is a gateway and a source in SC");

	m = policy_muni_by_code(p, "242501");
	policy_retention_for(p, m, &r);
	is_int(r.events_s, 730LL * 86400, "city keeps events 730 days");
	is_int(r.archive_s, 1826LL * 86400, "archive from the policy");
	policy_retention_for(p, NULL, &r);
	is_int(r.events_s, 395LL * 86400, "policy-wide events");
	n = policy_routes_for(p, m, 1, routes, 8);
	is_int(n, 3, "S1 for 242501: SOC webhook, SOC syslog, city webhook");
	ok(n == 3 && routes[0]->muni == NULL && routes[2]->muni == m,
	    "SOC routes first, then the 団体's");
	ok(n == 3 && routes[1]->channel == POLICY_CH_SYSLOG &&
		strcmp(routes[1]->target, "udp://127.0.0.1:5514") == 0,
	    "syslog route target");
	ok(n >= 1 &&
		strcmp(routes[0]->target, "http://127.0.0.1:8088/hook") == 0,
	    "macro expanded in the webhook target");
	is_int(policy_routes_for(p, m, 3, routes, 8), 0, "no S3 route");
	is_int(policy_routes_for(p, NULL, 2, routes, 8), 1,
	    "S2 without a 団体: SOC only");
	ok(policy_source_by_name(p, "sc-mx") != NULL, "source by name");
	policy_unref(p);
}

/* One mistake per line 3..13, each reported at its line. */
static const char broken[] =
    "prefecture \"誤県\" { code 240001 }\n" /* 1 */
    "municipality \"甲市\" {\n" /* 2 */
    "	code 242013\n" /* 3 check digit */
    "	type metropolis\n" /* 4 type */
    "	model gamma\n" /* 5 model */
    "	tier X 10.1.0.0/20\n" /* 6 tier */
    "	tier L 10.1.300.0/20\n" /* 7 prefix */
    "	tier SC 10.1.64.0/20\n" /* 8 SC in muni */
    "	gateway teleport tp 10.1.32.1\n" /* 9 kind */
    "	gateway proxy px 10.1.32.2 ports 0\n" /* 10 ports */
    "	notify S9 webhook \"http://x/\"\n" /* 11 sev */
    "	notify S1 pager \"x\"\n" /* 12 channel */
    "	frobnicate yes\n" /* 13 keyword */
    "}\n";

static void
errors(void)
{
	struct policy *p;
	static const char *const want[] = { "bad.policy:3:", "bad.policy:4:",
		"bad.policy:5:", "bad.policy:6:", "bad.policy:7:",
		"bad.policy:8:", "bad.policy:9:", "bad.policy:10:",
		"bad.policy:11:", "bad.policy:12:", "bad.policy:13:" };
	size_t i;

	p = load_capture("bad.policy", broken);
	ok(p == NULL, "broken policy refused");
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ok(has(want[i]), "error reported at %s", want[i]);
	ok(has("expected 2"), "check digit error names the right digit");
	if (p == NULL && !has("bad.policy:13:"))
		diag("stderr was:\n%s", errbuf);

	p = load_capture("dup.policy",
	    "prefecture \"県\" { code 240001 }\n"
	    "municipality \"甲\" { code 242012; type city;"
	    " tier L 10.1.0.0/16 }\n"
	    "municipality \"乙\" { code 242012; type town;"
	    " tier L 10.1.0.0/16 }\n"
	    "cloud { source a 10.200.0.1\n source a 10.200.0.2 }\n");
	ok(p == NULL, "duplicates refused");
	ok(has("dup.policy:3:") && has("code 242012 already used"),
	    "duplicate 団体コード at line 3");
	ok(has("already declared at line 2"), "duplicate prefix");
	ok(has("dup.policy:5:") && has("source a"), "duplicate source name");

	p = load_capture("exc.policy",
	    "prefecture \"県\" { code 240001 }\n"
	    "exception \"E1\" {\n"
	    "	municipality 242012\n"
	    "	expires 2026-13-01\n"
	    "	ports 70000\n"
	    "}\n");
	ok(p == NULL, "bad exception refused");
	ok(has("exc.policy:2:") && has("no owner"), "missing owner");
	ok(has("exc.policy:4:"), "bad expiry date");
	ok(has("exc.policy:5:"), "bad port");
	ok(has("no municipality with code 242012"), "unknown 団体 in exc");

	p = load_capture("nopref.policy",
	    "municipality \"甲\" { code 242012; type city }\n");
	ok(p == NULL && has("no prefecture"), "prefecture required");
	p = load_capture("nocode.policy",
	    "prefecture \"県\" { code 242012 }\n"
	    "municipality \"甲\" { type city }\n");
	ok(p == NULL && has("nocode.policy:1:") && has("nocode.policy:2:"),
	    "prefecture code must be PP000x; municipality needs a code");

	p = load_capture("ok.policy",
	    "prefecture \"県\" { code 240001; model beta' }\n"
	    "municipality \"甲\" { code 242012; type 広域連合 }\n");
	ok(p != NULL, "minimal policy loads");
	if (p == NULL)
		diag("stderr was:\n%s", errbuf);
	if (p != NULL) {
		is_int(policy_muni_at(p, 0)->model, POLICY_MODEL_BETA_PRIME,
		    "model defaults to the prefecture's");
		is_int(policy_muni_at(p, 0)->type, POLICY_MUNI_KOUIKI,
		    "Japanese type name");
		policy_unref(p);
	}
	ok(policy_load("/nonexistent/policy.conf") == NULL,
	    "missing file refused");
}

/* Readers evaluate through the slot while the main thread reloads it:
 * under ASan any use of a freed policy fails the test. */
static struct policy_slot *slot;
static atomic_int stop_readers;

static void *
reader(void *arg)
{
	struct policy_verdict v;
	struct addr a, b;
	long *n = arg;

	addr_parse("10.1.0.7", &a);
	addr_parse("198.51.100.7", &b);
	while (!atomic_load(&stop_readers)) {
		struct policy *p = policy_slot_get(slot);

		if (p == NULL)
			continue;
		policy_eval_flow(p, &a, 1, &b, 443, 6, 0, &v);
		if (v.violation && v.muni &&
		    strcmp(v.muni->code, "242012") == 0)
			(*n)++;
		policy_unref(p);
		sched_yield(); /* let the reloading thread run */
	}
	return NULL;
}

static void
reload(void)
{
	static const char text[] =
	    "prefecture \"県\" { code 240001 }\n"
	    "municipality \"甲\" { code 242012; type city\n"
	    " tier M 10.1.0.0/20 }\n";
	pthread_t t[2];
	long n[2] = { 0, 0 };
	int i;

	slot = policy_slot_new(
	    policy_load_string("r.policy", text, sizeof(text) - 1));
	atomic_init(&stop_readers, 0);
	for (i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, reader, &n[i]);
	for (i = 0; i < 50; i++)
		policy_slot_set(slot,
		    policy_load_string("r.policy", text, sizeof(text) - 1));
	atomic_store(&stop_readers, 1);
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	ok(n[0] + n[1] > 0, "readers judged flows during 50 reloads (%ld)",
	    n[0] + n[1]);
	policy_slot_free(slot);
}

static void
notify_options(void)
{
	struct notify_config cfg;
	struct policy *p;

	p = load_capture("n.policy",
	    "prefecture \"P\" { code 240001 }\n"
	    "notify-options { queue 64; attempts 3; backoff 2s; "
	    "max-backoff 1m; timeout 5s }\n");
	ok(p != NULL, "notify-options accepted");
	if (p != NULL) {
		policy_notify_config(p, &cfg);
		ok(cfg.queue_max == 64 && cfg.max_attempts == 3 &&
			cfg.backoff_first_ms == 2000 &&
			cfg.backoff_max_ms == 60000 && cfg.timeout_s == 5,
		    "notify-options read");
		policy_unref(p);
	}
	p = load_capture("n.policy", "prefecture \"P\" { code 240001 }\n");
	policy_notify_config(p, &cfg);
	ok(cfg.queue_max == 0 && cfg.max_attempts == 0 &&
		cfg.backoff_first_ms == 0 && cfg.timeout_s == 0,
	    "no notify-options: the notifier's defaults (0)");
	policy_unref(p);
	p = load_capture("n.policy",
	    "prefecture \"P\" { code 240001 }\n"
	    "notify-options {\n attempts 0\n timeout 0s\n bogus 1\n}\n");
	ok(p == NULL && has("n.policy:3:") && has("n.policy:4:") &&
		has("n.policy:5:"),
	    "bad notify-options: file:line errors");
}

int
main(void)
{
	notify_options();
	example();
	errors();
	reload();
	return done_testing();
}
