/*
 * test_policy_eval.c — the flow evaluator, cell by cell.
 *
 * For every model (one policy per model, whose prefecture default and only
 * 団体 use it) and every pair of tiers M, L, I, LG, SC, DMZ, NET, a flow
 * between plain hosts (no gateway) must give the verdict, use case and
 * severity written in the expectation tables below — written out here by
 * hand from DOMAIN.md §C.2, not taken from policies/policy_matrix.c.  Each
 * G/E cell is then passed through the right gateway (allowed) and through
 * a gateway of the wrong kind (still a violation).  Then: GL-SEP-05 on
 * screen-transfer ports, another 団体's M tier and gateway, exceptions
 * before and after expiry, blocked flows, undeclared space.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/event.h"
#include "common/timeutil.h"
#include "policies/policy.h"
#include "tests/tap.h"

/* Tiers in the order of the tables. */
static const enum policy_tier order[7] = { POLICY_TIER_M, POLICY_TIER_L,
	POLICY_TIER_I, POLICY_TIER_LG, POLICY_TIER_SC, POLICY_TIER_DMZ,
	POLICY_TIER_NET };
static const char *const tname[7] = { "M", "L", "I", "LG", "SC", "DMZ", "NET" };

/* A plain host in each tier of 団体 1 (no gateway, no source). */
static const char *const host[7] = { "10.1.0.7", "10.1.16.7", "10.1.32.7",
	"10.250.30.7", "10.200.30.7", "203.0.113.7", "198.51.100.7" };

/* Expected cells, rows from, columns to, in the order above.
 * A allowed, D forbidden, G/E needs a gateway or allow-listed endpoint. */
static const char *const expect_alpha[7] = {
	/*        M L I LG SC DMZ NET */
	/* M  */ "ADDEDDD",
	/* L  */ "DAGADDD",
	/* I  */ "DGADAAG",
	/* LG */ "EADADDD",
	/* SC */ "DDADAAA",
	/* DMZ*/ "DDADAAA",
	/* NET*/ "DDDDGAA",
};
/* α′: L may reach designated cloud services (LBO) */
static const char *const expect_alpha_p[7] = {
	"ADDEDDD",
	"DAGAGDG",
	"DGADAAG",
	"EADADDD",
	"DDADAAA",
	"DDADAAA",
	"DDDDGAA",
};
/* β and β′ share the α cells; their gateways differ (below). */

static const char *
expect_use_case(int f, int t)
{
	enum policy_tier a = order[f], b = order[t];

	if (a == POLICY_TIER_M || b == POLICY_TIER_M)
		return "GL-SEP-01";
	if ((a == POLICY_TIER_I && b == POLICY_TIER_NET) ||
	    (a == POLICY_TIER_NET && b == POLICY_TIER_I))
		return "GL-SEP-03";
	if (a == POLICY_TIER_NET && b == POLICY_TIER_SC)
		return "GL-NET-02";
	return "GL-SEP-02";
}

static int
expect_sev(const char *uc)
{
	return strcmp(uc, "GL-SEP-01") == 0 || strcmp(uc, "GL-SEP-02") == 0 ?
	    1 :
	    2;
}

static const char policy_fmt[] =
    "prefecture \"テスト県\" {\n"
    "	code 240001\n"
    "	model %s\n"
    "}\n"
    "cloud {\n"
    "	tier SC 10.200.0.0/16\n"
    "	tier DMZ 203.0.113.0/24\n"
    "	tier LG 10.250.0.0/16\n"
    "	gateway proxy px 10.200.1.10 proto tcp ports 8080\n"
    "	gateway mail-relay mx 10.200.1.25 proto tcp ports 25\n"
    "	gateway resolver dns 10.200.1.53 ports 53\n"
    "	gateway waf waf 10.200.1.80 proto tcp ports 80,443\n"
    "	gateway cloud-service cs-sc 10.200.2.1 proto tcp ports 443\n"
    "	gateway cloud-service cs-net 198.51.100.200 proto tcp ports 443\n"
    "	gateway lgwan-endpoint chukan 10.250.10.0/24\n"
    "	gateway tokutei eltax 10.250.20.5 proto tcp ports 443\n"
    "}\n"
    "municipality \"一市\" {\n"
    "	code 242012\n"
    "	type city\n"
    "	model %s\n"
    "	tier M 10.1.0.0/20\n"
    "	tier L 10.1.16.0/20\n"
    "	tier I 10.1.32.0/20\n"
    "	gateway screen-transfer vb 10.1.32.10 proto tcp ports 3389\n"
    "	gateway sanitiser cdr 10.1.32.20\n"
    "	gateway file-transfer xfer 10.1.32.30 proto tcp ports 443\n"
    "	gateway screen-transfer broker 10.1.16.10 proto tcp ports 3389\n"
    "}\n"
    "municipality \"二町\" {\n"
    "	code 243001\n"
    "	type town\n"
    "	tier M 10.2.0.0/20\n"
    "	tier L 10.2.16.0/20\n"
    "	tier I 10.2.32.0/20\n"
    "	gateway screen-transfer vb2 10.2.32.10 proto tcp ports 3389\n"
    "}\n"
    "exception \"EXC-1\" {\n"
    "	municipality 242012\n"
    "	owner \"情報政策課長\"\n"
    "	reason \"保守回線\"\n"
    "	expires 2026-12-31\n"
    "	from 10.1.16.50\n"
    "	to 198.51.100.10\n"
    "	proto tcp\n"
    "	ports 443\n"
    "}\n";

static const char *const model_word[4] = { "alpha", "alpha'", "beta", "beta'" };

static struct policy *
load_model(int m)
{
	char text[4096];
	int n = snprintf(
	    text, sizeof(text), policy_fmt, model_word[m], model_word[m]);

	return policy_load_string("test.policy", text, (size_t)n);
}

static struct addr
A(const char *s) {
	struct addr a;

	if (addr_parse(s, &a) != 0) {
		fprintf(stderr, "bad test address %s\n", s);
		exit(1);
	}
	return a;
}

static void
eval(struct policy *p, const char *s, const char *d, uint16_t dport,
    struct policy_verdict *v)
{
	struct addr sa = A(s), da = A(d);

	policy_eval_flow(p, &sa, 40000, &da, dport, 6,
	    1767193200LL * TIME_US_PER_SEC /* 2025-12-31 15:00 UTC */, v);
}

static enum policy_verdict_kind
want_kind(char c)
{
	switch (c) {
	case 'A':
		return POLICY_V_ALLOWED;
	case 'D':
		return POLICY_V_FORBIDDEN;
	default:
		return POLICY_V_NEEDS_GATEWAY;
	}
}

static void
every_cell(struct policy *p, int m)
{
	const char *const *exp =
	    m == POLICY_MODEL_ALPHA_PRIME ? expect_alpha_p : expect_alpha;
	struct policy_verdict v;
	int f, t;

	for (f = 0; f < 7; f++) {
		for (t = 0; t < 7; t++) {
			char c = exp[f][t];
			/* port 22: no gateway's service, no screen port */
			eval(p, host[f], host[t], 22, &v);
			is_int(v.kind, want_kind(c), "%s %s->%s: %c (%s)",
			    model_word[m], tname[f], tname[t], c,
			    policy_verdict_name(v.kind));
			is_int(v.src.tier, order[f], "%s %s->%s: src tier",
			    model_word[m], tname[f], tname[t]);
			is_int(v.dst.tier, order[t], "%s %s->%s: dst tier",
			    model_word[m], tname[f], tname[t]);
			if (c == 'A') {
				ok(!v.violation && v.use_case == NULL &&
					v.severity == 0,
				    "%s %s->%s: no alert", model_word[m],
				    tname[f], tname[t]);
				continue;
			}
			ok(v.violation, "%s %s->%s: violation", model_word[m],
			    tname[f], tname[t]);
			is_str(v.use_case, expect_use_case(f, t),
			    "%s %s->%s: use case", model_word[m], tname[f],
			    tname[t]);
			is_int(v.severity, expect_sev(expect_use_case(f, t)),
			    "%s %s->%s: severity", model_word[m], tname[f],
			    tname[t]);
			ok(v.cell_text != NULL &&
				strstr(v.cell_text, tname[f]) != NULL,
			    "%s %s->%s: evidence names the cell: %s",
			    model_word[m], tname[f], tname[t],
			    v.cell_text ? v.cell_text : "(null)");
			is_int(v.model, m, "%s %s->%s: model applied",
			    model_word[m], tname[f], tname[t]);
		}
	}
}

struct gwcase {
	unsigned models; /* bit per model */
	const char *src, *dst;
	uint16_t dport;
	enum policy_verdict_kind want;
	const char *gw; /* name of the gateway passed, or NULL */
	const char *why;
};

#define ALPHAS 0x3
#define BETAS 0xc
#define ALL 0xf

static const struct gwcase gwcases[] = {
	/* M <-> LG: only designated LGWAN endpoints and 特定通信 */
	{ ALL, "10.1.0.7", "10.250.10.5", 443, POLICY_V_VIA_GATEWAY, "chukan",
	    "M->LG designated endpoint" },
	{ ALL, "10.1.0.7", "10.250.20.5", 443, POLICY_V_VIA_GATEWAY, "eltax",
	    "M->LG 特定通信" },
	{ ALL, "10.1.0.7", "10.250.20.5", 80, POLICY_V_NEEDS_GATEWAY, NULL,
	    "M->LG 特定通信 on a port it does not serve" },
	{ ALL, "10.250.10.5", "10.1.0.7", 1234, POLICY_V_VIA_GATEWAY, "chukan",
	    "LG->M from a designated endpoint" },
	/* L -> I */
	{ ALPHAS, "10.1.16.7", "10.1.32.10", 3389, POLICY_V_VIA_GATEWAY, "vb",
	    "α L->I screen client to the virtual browser" },
	{ ALL, "10.1.16.7", "10.1.32.30", 443, POLICY_V_VIA_GATEWAY, "xfer",
	    "L->I file hand-over" },
	{ BETAS, "10.1.16.7", "10.1.32.10", 3389, POLICY_V_NEEDS_GATEWAY, NULL,
	    "β has no screen client in L" },
	{ ALL, "10.1.16.7", "10.1.32.20", 445, POLICY_V_NEEDS_GATEWAY, NULL,
	    "L->I to the sanitiser: wrong kind" },
	{ ALPHAS, "10.1.16.7", "10.1.32.10", 22, POLICY_V_NEEDS_GATEWAY, NULL,
	    "L->I virtual browser on a port it does not serve" },
	{ ALPHAS, "10.1.16.7", "10.2.32.10", 3389, POLICY_V_NEEDS_GATEWAY, NULL,
	    "another 団体's virtual browser does not count" },
	/* I -> L */
	{ ALL, "10.1.32.20", "10.1.16.7", 445, POLICY_V_VIA_GATEWAY, "cdr",
	    "I->L from the sanitiser" },
	{ BETAS, "10.1.32.7", "10.1.16.10", 3389, POLICY_V_VIA_GATEWAY,
	    "broker", "β I->L screen transfer to the broker" },
	{ ALPHAS, "10.1.32.7", "10.1.16.10", 3389, POLICY_V_NEEDS_GATEWAY, NULL,
	    "α has no I->L screen transfer" },
	/* NET -> SC */
	{ ALL, "198.51.100.7", "10.200.1.25", 25, POLICY_V_VIA_GATEWAY, "mx",
	    "NET->SC inbound SMTP to the relay" },
	{ ALL, "198.51.100.7", "10.200.1.80", 443, POLICY_V_VIA_GATEWAY, "waf",
	    "NET->SC HTTPS to the WAF" },
	{ ALL, "198.51.100.7", "10.200.1.10", 8080, POLICY_V_NEEDS_GATEWAY,
	    NULL, "NET->SC to the proxy: not an entry point" },
	/* α′ local break-out */
	{ 0x2, "10.1.16.7", "198.51.100.200", 443, POLICY_V_VIA_GATEWAY,
	    "cs-net", "α′ L->NET designated cloud service" },
	{ 0x2, "10.1.16.7", "10.200.2.1", 443, POLICY_V_VIA_GATEWAY, "cs-sc",
	    "α′ L->SC designated cloud service" },
	{ 0x1 | BETAS, "10.1.16.7", "198.51.100.200", 443, POLICY_V_FORBIDDEN,
	    NULL, "no local break-out outside α′" },
};

static void
gateways(struct policy *p, int m)
{
	struct policy_verdict v;
	size_t i;

	for (i = 0; i < sizeof(gwcases) / sizeof(gwcases[0]); i++) {
		const struct gwcase *g = &gwcases[i];

		if (!(g->models & (1u << m)))
			continue;
		eval(p, g->src, g->dst, g->dport, &v);
		is_int(v.kind, g->want, "%s: %s (%s)", model_word[m], g->why,
		    policy_verdict_name(v.kind));
		if (g->gw != NULL)
			ok(v.gateway != NULL && !v.violation &&
				strcmp(v.gateway->name, g->gw) == 0,
			    "%s: %s: via %s", model_word[m], g->why, g->gw);
		else
			ok(v.violation && v.gateway == NULL,
			    "%s: %s: violation", model_word[m], g->why);
	}
}

static void
specials(struct policy *p)
{
	struct policy_verdict v;
	struct addr s, d;
	struct fw_flow f;
	char line[512];
	int64_t end_day, after;

	/* GL-SEP-05: a screen-transfer port across L/I without a server */
	eval(p, "10.1.16.7", "10.1.32.99", 3389, &v);
	is_str(v.use_case, "GL-SEP-05", "RDP L->I not via a server");
	is_int(v.severity, 2, "GL-SEP-05 is S2");
	eval(p, "10.1.32.99", "10.1.16.7", 1494, &v);
	is_str(v.use_case, "GL-SEP-05", "ICA I->L not via a server");
	eval(p, "10.1.16.7", "10.1.32.99", 445, &v);
	is_str(v.use_case, "GL-SEP-02", "SMB L->I is GL-SEP-02");

	/* Each 団体's M tier is isolated from every other's. */
	eval(p, "10.1.0.7", "10.2.0.7", 443, &v);
	ok(v.violation && v.kind == POLICY_V_FORBIDDEN, "M->M other 団体");
	is_str(v.use_case, "GL-SEP-01", "M->M other 団体: GL-SEP-01");
	eval(p, "10.1.0.7", "10.1.0.8", 443, &v);
	ok(!v.violation, "M->M same 団体");

	/* Attribution */
	eval(p, "198.51.100.7", "10.2.16.7", 443, &v);
	ok(v.muni != NULL && strcmp(v.muni->code, "243001") == 0,
	    "NET->L attributed to the destination's 団体");
	eval(p, "10.2.16.7", "10.1.16.7", 443, &v);
	ok(v.muni != NULL && strcmp(v.muni->code, "243001") == 0,
	    "between 団体: attributed to the initiator's");

	/* Exceptions: in force to the end of 2026-12-31 JST. */
	s = A("10.1.16.50");
	d = A("198.51.100.10");
	time_parse_arg("2027-01-01", &after); /* midnight JST */
	end_day = after - 1;
	policy_eval_flow(p, &s, 1, &d, 443, 6, end_day, &v);
	is_int(v.kind, POLICY_V_EXCEPTION, "exception on its last second");
	ok(!v.violation && v.exception != NULL &&
		strcmp(v.exception->id, "EXC-1") == 0,
	    "exception EXC-1, no alert");
	policy_eval_flow(p, &s, 1, &d, 443, 6, after, &v);
	is_int(v.kind, POLICY_V_EXCEPTION_EXPIRED, "exception after expiry");
	is_str(v.use_case, "GL-EXC-01", "expired exception: GL-EXC-01");
	is_int(v.severity, 3, "GL-EXC-01 is S3");
	policy_verdict_format(&v, &s, 1, &d, 443, 6, line, sizeof(line));
	ok(strstr(line, "EXC-1") && strstr(line, "EXPIRED") &&
		strstr(line, "情報政策課長"),
	    "evidence names the exception and owner: %s", line);
	policy_eval_flow(p, &s, 1, &d, 80, 6, end_day, &v);
	is_str(v.use_case, "GL-SEP-02", "exception does not cover port 80");
	d = A("198.51.100.11");
	policy_eval_flow(p, &s, 1, &d, 443, 6, end_day, &v);
	is_int(v.kind, POLICY_V_FORBIDDEN, "exception is for one peer only");

	/* A flow the firewall denied is an attempt: S4. */
	memset(&f, 0, sizeof(f));
	f.src = A("10.1.16.7");
	f.dst = A("198.51.100.7");
	f.dport = 443;
	f.ipproto = 6;
	f.action = FW_ACTION_DENY;
	policy_eval_fw(p, &f, end_day, &v);
	ok(v.violation && v.severity == 4 &&
		strcmp(v.use_case, "GL-SEP-02") == 0,
	    "denied L->NET: GL-SEP-02 at S4");
	f.action = FW_ACTION_ALLOW;
	policy_eval_fw(p, &f, end_day, &v);
	is_int(v.severity, 1, "allowed L->NET: S1");

	/* The alert record for a violation */
	{
		struct sc_alert al;
		char evb[256];

		s = A("10.1.16.7");
		d = A("198.51.100.7");
		policy_eval_flow(p, &s, 1, &d, 443, 6, end_day, &v);
		ok(policy_verdict_alert(
		       &v, &s, 1, &d, 443, 6, 77, evb, sizeof(evb), &al) == 0,
		    "violation makes an alert");
		ok(al.origin == SC_ORIGIN_POLICY && al.sid == 9500002 &&
			al.severity == 1 && strcmp(al.muni, "242012") == 0 &&
			al.tier == SC_TIER_L && al.dport == 443 &&
			al.ts_us == 77,
		    "alert: origin, sid, severity, 団体, tier, port, time");
		ok(al.evidence_len > 0 &&
			memmem(al.evidence, al.evidence_len, "L→NET", 7),
		    "alert evidence names the cell");
		eval(p, "10.1.16.7", "10.1.16.8", 443, &v);
		is_int(policy_verdict_alert(
			   &v, &s, 1, &d, 443, 6, 0, evb, sizeof(evb), &al),
		    -1, "no alert for an allowed flow");
	}

	/* A received firewall message: tag the sender, judge the flow */
	{
		static const char body[] =
		    "%ASA-4-106023: Deny tcp src inside:10.1.16.7/50000 dst "
		    "outside:198.51.100.7/443 by access-group \"in\" [0x0, 0x0]";
		struct sc_event ev;
		struct fw_flow ff;

		memset(&ev, 0, sizeof(ev));
		ev.peer = A("10.1.16.9");
		ev.recv_us = end_day;
		ev.msg = body;
		ev.msglen = sizeof(body) - 1;
		policy_tag_event(p, &ev);
		ok(strcmp(ev.muni, "242012") == 0 && ev.tier == SC_TIER_L &&
			(ev.flags & SC_EV_UNKNOWN_SOURCE),
		    "event tagged: 団体, tier, not a declared source");
		is_int(policy_eval_event(p, &ev, &ff, &v), 1,
		    "denied L->NET in an ASA line is a violation");
		ok(v.severity == 4 && strcmp(v.use_case, "GL-SEP-02") == 0 &&
			ff.dport == 443,
		    "attempt: GL-SEP-02 at S4");
		ev.msg = "sshd[1]: Accepted password";
		ev.msglen = strlen(ev.msg);
		is_int(policy_eval_event(p, &ev, &ff, &v), -1,
		    "no flow in a non-firewall line");
	}

	/* Undeclared private space is not judged; undeclared global is NET */
	eval(p, "192.168.1.5", "10.1.16.7", 443, &v);
	ok(v.kind == POLICY_V_UNKNOWN && !v.violation,
	    "undeclared private source: unknown, no alert");
	eval(p, "10.1.32.7", "2001:db8::1", 443, &v);
	is_int(v.dst.tier, POLICY_TIER_NET, "global v6 is NET");
	eval(p, "10.1.32.7", "fd00::1", 443, &v);
	is_int(v.kind, POLICY_V_UNKNOWN, "ULA is unknown");
}

int
main(void)
{
	int m;

	for (m = 0; m < 4; m++) {
		struct policy *p = load_model(m);

		ok(p != NULL, "policy for %s loads", model_word[m]);
		if (p == NULL)
			continue;
		every_cell(p, m);
		gateways(p, m);
		if (m == 0)
			specials(p);
		policy_unref(policy_ref(p)); /* ref + unref keeps it */
		ok(policy_muni_count(p) == 2, "still usable after ref/unref");
		policy_unref(p);
	}
	return done_testing();
}
