/*
 * policy_load.c — reads a policy file (conf(5) grammar, common/conf.h) into
 * an immutable struct policy.
 *
 * The statements, each walked with a static keyword table:
 *
 *   prefecture "NAME" { code 240001; model alpha }
 *   retention { events 395d; alerts 1826d; archive 1826d; pcap 3d }
 *   notify SEVERITIES webhook|syslog TARGET      (SOC-wide route)
 *   notify-options { queue 1024; attempts 6; backoff 1s; max-backoff 5m;
 *       timeout 10s }                            (the notifier's settings)
 *   cloud {                                      (the SC's own ranges)
 *       tier SC|DMZ|LG|NET CIDR...
 *       gateway KIND NAME CIDR [proto P] [ports N,N] [tier T]
 *       source NAME ADDR [type T] [interval DURATION] [relay yes|no]
 *   }
 *   municipality "NAME" {
 *       code 242012; type city; model alpha'
 *       tier M|L|I CIDR...
 *       gateway / source / notify as above, owned by this 団体
 *       (a 団体's source may add [relay-for CODE,CODE...] to a
 *       `relay yes`: the other 団体 its relay may tag lines to)
 *       retention { ... }                        (overrides)
 *   }
 *   exception "ID" {
 *       municipality CODE; owner "..."; reason "..."; expires 2026-12-31
 *       from CIDR|any; to CIDR|any; proto tcp; ports 443
 *   }
 *
 * SEVERITIES is S1, S1-S3, S1,S2 or all.  Every mistake is reported as
 * "file:line: message" and loading goes on to find the rest; the policy is
 * refused if there was any.  The 団体 array is sized from a first count of
 * the municipality statements, so pointers to a 団体 are stable while the
 * rest is read.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/conf.h"
#include "common/timeutil.h"
#include "common/xmalloc.h"
#include "policies/policy_int.h"

struct ltier {
	struct addr a;
	int plen; /* 128-bit space */
	enum policy_tier tier;
	uint32_t muni;
	const struct conf_node *node;
};

struct lctx {
	struct conf *cf;
	struct policy *p;
	size_t capmunis;
	struct policy_muni *muni; /* the block being read, or NULL */
	struct policy_retention *ret; /* the retention block's target */
	struct policy_exception *exc; /* the exception being read */
	int in_cloud;
	int model_set; /* the municipality block said `model` */
	int code_set, type_set;
	unsigned char *muni_model_set; /* per 団体 */

	struct ltier *tiers;
	size_t ntiers, captiers;
	size_t capsources, capgws, capexcs, caproutes;
	const struct conf_node **src_node, **gw_node;
	char **src_relay_for; /* `relay-for` as written, resolved at the end */
	enum policy_tier *gw_tier; /* explicit `tier`, or UNKNOWN */
	char **exc_muni; /* code as written, resolved at the end */
	const struct conf_node **exc_node;
	const struct conf_node **muni_node;
	int have_pref;
};

#define GROW(arr, n, cap)                                                    \
	do {                                                                 \
		if ((n) >= (cap)) {                                          \
			(cap) = (cap) ? (cap)*2 : 16;                        \
			(arr) = xreallocarray((arr), (cap), sizeof(*(arr))); \
		}                                                            \
	} while (0)

/* ---- argument helpers ---- */

static int
parse_cidr(const char *s, struct addr *a, int *plen128)
{
	int plen;

	if (addr_parse_cidr(s, a, &plen) != 0)
		return -1;
	/* Normalise to the 128-bit space whichever way it came back. */
	if (addr_is_v4(a) && plen <= 32)
		plen += 96;
	if (plen < 0 || plen > 128)
		return -1;
	addr_mask(a, plen);
	*plen128 = plen;
	return 0;
}

static int
fam_plen(const struct addr *a, int plen128)
{
	return addr_is_v4(a) ? plen128 - 96 : plen128;
}

static int
parse_proto(const char *s, uint8_t *out)
{
	char *end;
	unsigned long v;

	if (strcasecmp(s, "tcp") == 0)
		*out = 6;
	else if (strcasecmp(s, "udp") == 0)
		*out = 17;
	else if (strcasecmp(s, "icmp") == 0)
		*out = 1;
	else if (strcasecmp(s, "any") == 0)
		*out = 0;
	else {
		v = strtoul(s, &end, 10);
		if (*s < '0' || *s > '9' || *end != '\0' || v > 255)
			return -1;
		*out = (uint8_t)v;
	}
	return 0;
}

/* "443" or "80,443,8080"; at most POLICY_PORTS_MAX. */
static int
parse_ports(const char *s, uint16_t *ports, size_t *n)
{
	const char *q = s;

	*n = 0;
	while (*q != '\0') {
		unsigned long v = 0;
		int digits = 0;

		while (*q >= '0' && *q <= '9' && v <= 65535) {
			v = v * 10 + (unsigned long)(*q++ - '0');
			digits++;
		}
		if (digits == 0 || v == 0 || v > 65535 ||
		    *n >= POLICY_PORTS_MAX)
			return -1;
		ports[(*n)++] = (uint16_t)v;
		if (*q == ',')
			q++;
		else if (*q != '\0')
			return -1;
	}
	return *n > 0 ? 0 : -1;
}

/* "S1", "s1-s3", "S1,S4", "all" -> bit mask over 1..5. */
static int
parse_sevs(const char *s, unsigned *mask)
{
	const char *q = s;

	*mask = 0;
	if (strcasecmp(s, "all") == 0) {
		*mask = 0x3e;
		return 0;
	}
	while (*q != '\0') {
		int lo, hi, i;

		if ((*q != 'S' && *q != 's') || q[1] < '1' || q[1] > '5')
			return -1;
		lo = hi = q[1] - '0';
		q += 2;
		if (*q == '-') {
			if ((q[1] != 'S' && q[1] != 's') || q[2] < '1' ||
			    q[2] > '5' || q[2] - '0' < lo)
				return -1;
			hi = q[2] - '0';
			q += 3;
		}
		for (i = lo; i <= hi; i++)
			*mask |= 1u << i;
		if (*q == ',')
			q++;
		else if (*q != '\0')
			return -1;
	}
	return *mask ? 0 : -1;
}

/* ---- retention { } ---- */

static int
ret_field(struct conf *cf, const struct conf_node *n, int64_t *field)
{
	int64_t s;

	if (conf_arg_duration(cf, n, 0, &s) != 0)
		return -1;
	if (s <= 0) {
		conf_error_at(cf, n, "%s: must be positive", n->name);
		return -1;
	}
	*field = s;
	return 0;
}

static int
kw_ret_events(struct conf *cf, const struct conf_node *n, void *ctx)
{
	return ret_field(cf, n, &((struct lctx *)ctx)->ret->events_s);
}

static int
kw_ret_alerts(struct conf *cf, const struct conf_node *n, void *ctx)
{
	return ret_field(cf, n, &((struct lctx *)ctx)->ret->alerts_s);
}

static int
kw_ret_archive(struct conf *cf, const struct conf_node *n, void *ctx)
{
	return ret_field(cf, n, &((struct lctx *)ctx)->ret->archive_s);
}

static int
kw_ret_pcap(struct conf *cf, const struct conf_node *n, void *ctx)
{
	return ret_field(cf, n, &((struct lctx *)ctx)->ret->pcap_s);
}

static const struct conf_keyword retention_kw[] = {
	{ "events", 1, 1, CONF_BLOCK_NO, 1, kw_ret_events },
	{ "alerts", 1, 1, CONF_BLOCK_NO, 1, kw_ret_alerts },
	{ "archive", 1, 1, CONF_BLOCK_NO, 1, kw_ret_archive },
	{ "pcap", 1, 1, CONF_BLOCK_NO, 1, kw_ret_pcap },
	{ NULL, 0, 0, 0, 0, NULL },
};

static int
kw_retention(struct conf *cf, const struct conf_node *n, void *ctx)
{
	struct lctx *c = ctx;

	c->ret = c->muni ? &c->p->munix[c->muni->index].ret : &c->p->ret;
	return conf_walk(cf, n->child, retention_kw, c) ? -1 : 0;
}

/* ---- notify ---- */

static int
kw_notify(struct conf *cf, const struct conf_node *n, void *ctx)
{
	struct lctx *c = ctx;
	struct policy *p = c->p;
	struct policy_route r;
	const char *t = n->args[2];

	memset(&r, 0, sizeof(r));
	if (parse_sevs(n->args[0], &r.sev_mask) != 0) {
		conf_error_at(cf, n,
		    "notify: bad severities \"%s\" (S1, S1-S3, "
		    "S1,S2 or all)",
		    n->args[0]);
		return -1;
	}
	if (strcmp(n->args[1], "webhook") == 0) {
		r.channel = POLICY_CH_WEBHOOK;
		if (strncmp(t, "http://", 7) != 0 &&
		    strncmp(t, "https://", 8) != 0) {
			conf_error_at(cf, n,
			    "notify: webhook target must be an http:// or "
			    "https:// URL");
			return -1;
		}
	} else if (strcmp(n->args[1], "syslog") == 0) {
		const char *colon;

		r.channel = POLICY_CH_SYSLOG;
		if ((strncmp(t, "udp://", 6) != 0 &&
			strncmp(t, "tcp://", 6) != 0) ||
		    (colon = strrchr(t + 6, ':')) == NULL || colon == t + 6 ||
		    colon[1] == '\0') {
			conf_error_at(cf, n,
			    "notify: syslog target must be udp://HOST:PORT or "
			    "tcp://HOST:PORT");
			return -1;
		}
	} else {
		conf_error_at(cf, n,
		    "notify: unknown channel \"%s\" (webhook or syslog)",
		    n->args[1]);
		return -1;
	}
	r.target = policy_strdup(p, t);
	r.muni = c->muni;
	GROW(p->routes, p->nroutes, c->caproutes);
	r.index = (uint32_t)p->nroutes;
	p->routes[p->nroutes++] = r;
	return 0;
}

/* ---- notify-options { } ---- */

static int
kw_no_queue(struct conf *cf, const struct conf_node *n, void *ctx)
{
	struct lctx *c = ctx;
	long long v;

	if (conf_arg_int(cf, n, 0, 1, 1000000, &v) != 0)
		return -1;
	c->p->nopt_queue = v;
	return 0;
}

static int
kw_no_attempts(struct conf *cf, const struct conf_node *n, void *ctx)
{
	struct lctx *c = ctx;
	long long v;

	if (conf_arg_int(cf, n, 0, 1, 100, &v) != 0)
		return -1;
	c->p->nopt_attempts = v;
	return 0;
}

static int
no_duration(
    struct conf *cf, const struct conf_node *n, int64_t max, int64_t *field)
{
	int64_t s;

	if (conf_arg_duration(cf, n, 0, &s) != 0)
		return -1;
	if (s < 1 || s > max) {
		conf_error_at(cf, n, "%s: must be between 1s and %llds",
		    n->name, (long long)max);
		return -1;
	}
	*field = s;
	return 0;
}

static int
kw_no_backoff(struct conf *cf, const struct conf_node *n, void *ctx)
{
	return no_duration(
	    cf, n, 3600, &((struct lctx *)ctx)->p->nopt_backoff_s);
}

static int
kw_no_backoff_max(struct conf *cf, const struct conf_node *n, void *ctx)
{
	return no_duration(
	    cf, n, 86400, &((struct lctx *)ctx)->p->nopt_backoff_max_s);
}

static int
kw_no_timeout(struct conf *cf, const struct conf_node *n, void *ctx)
{
	return no_duration(
	    cf, n, 600, &((struct lctx *)ctx)->p->nopt_timeout_s);
}

static const struct conf_keyword notify_options_kw[] = {
	{ "queue", 1, 1, CONF_BLOCK_NO, 1, kw_no_queue },
	{ "attempts", 1, 1, CONF_BLOCK_NO, 1, kw_no_attempts },
	{ "backoff", 1, 1, CONF_BLOCK_NO, 1, kw_no_backoff },
	{ "max-backoff", 1, 1, CONF_BLOCK_NO, 1, kw_no_backoff_max },
	{ "timeout", 1, 1, CONF_BLOCK_NO, 1, kw_no_timeout },
	{ NULL, 0, 0, 0, 0, NULL },
};

static int
kw_notify_options(struct conf *cf, const struct conf_node *n, void *ctx)
{
	return conf_walk(cf, n->child, notify_options_kw, ctx) ? -1 : 0;
}

/* ---- tier / gateway / source (cloud and municipality blocks) ---- */

static int
kw_tier(struct conf *cf, const struct conf_node *n, void *ctx)
{
	struct lctx *c = ctx;
	enum policy_tier t;
	size_t i;
	int bad = 0;

	if (policy_tier_parse(n->args[0], &t) != 0) {
		conf_error_at(cf, n, "tier: unknown tier \"%s\"", n->args[0]);
		return -1;
	}
	if (c->in_cloud &&
	    (t == POLICY_TIER_M || t == POLICY_TIER_L || t == POLICY_TIER_I)) {
		conf_error_at(cf, n, "tier: %s belongs in a municipality block",
		    n->args[0]);
		return -1;
	}
	if (!c->in_cloud && t != POLICY_TIER_M && t != POLICY_TIER_L &&
	    t != POLICY_TIER_I) {
		conf_error_at(cf, n,
		    "tier: a municipality declares only M, L and I (%s goes "
		    "in the cloud block)",
		    n->args[0]);
		return -1;
	}
	for (i = 1; i < n->nargs; i++) {
		struct ltier lt;

		if (parse_cidr(n->args[i], &lt.a, &lt.plen) != 0) {
			conf_error_at(
			    cf, n, "tier: bad prefix \"%s\"", n->args[i]);
			bad = 1;
			continue;
		}
		lt.tier = t;
		lt.muni = c->muni ? c->muni->index : PTAG_NONE;
		lt.node = n;
		GROW(c->tiers, c->ntiers, c->captiers);
		c->tiers[c->ntiers++] = lt;
	}
	return bad ? -1 : 0;
}

static int
kw_gateway(struct conf *cf, const struct conf_node *n, void *ctx)
{
	struct lctx *c = ctx;
	struct policy *p = c->p;
	struct policy_gateway g;
	enum policy_tier gt = POLICY_TIER_UNKNOWN;
	size_t i;

	memset(&g, 0, sizeof(g));
	if (policy_gw_parse(n->args[0], &g.kind) != 0) {
		conf_error_at(
		    cf, n, "gateway: unknown kind \"%s\"", n->args[0]);
		return -1;
	}
	if (parse_cidr(n->args[2], &g.addr, &g.plen) != 0) {
		conf_error_at(cf, n, "gateway: bad address \"%s\"", n->args[2]);
		return -1;
	}
	for (i = 3; i < n->nargs; i += 2) {
		const char *k = n->args[i], *val;

		if (i + 1 >= n->nargs) {
			conf_error_at(cf, n, "gateway: %s needs a value", k);
			return -1;
		}
		val = n->args[i + 1];
		if (strcmp(k, "proto") == 0 &&
		    parse_proto(val, &g.ipproto) == 0)
			continue;
		if (strcmp(k, "ports") == 0 &&
		    parse_ports(val, g.ports, &g.nports) == 0)
			continue;
		if (strcmp(k, "tier") == 0 && policy_tier_parse(val, &gt) == 0)
			continue;
		conf_error_at(cf, n, "gateway: bad option \"%s %s\"", k, val);
		return -1;
	}
	g.name = policy_strdup(p, n->args[1]);
	g.muni = c->muni;
	GROW(p->gws, p->ngws, c->capgws);
	c->gw_node = xreallocarray(c->gw_node, c->capgws, sizeof(*c->gw_node));
	c->gw_tier = xreallocarray(c->gw_tier, c->capgws, sizeof(*c->gw_tier));
	c->gw_node[p->ngws] = n;
	c->gw_tier[p->ngws] = gt;
	g.index = (uint32_t)p->ngws;
	p->gws[p->ngws++] = g;
	return 0;
}

static int
kw_source(struct conf *cf, const struct conf_node *n, void *ctx)
{
	struct lctx *c = ctx;
	struct policy *p = c->p;
	struct policy_source s;
	size_t i;
	int plen;

	const char *relay_for = NULL;

	memset(&s, 0, sizeof(s));
	s.interval_s = 15 * 60; /* GL-LOG-01 default */
	s.type = "syslog";
	if (parse_cidr(n->args[1], &s.addr, &plen) != 0 || plen != 128) {
		conf_error_at(
		    cf, n, "source: \"%s\" is not a host address", n->args[1]);
		return -1;
	}
	for (i = 2; i < n->nargs; i += 2) {
		const char *k = n->args[i];

		if (i + 1 >= n->nargs) {
			conf_error_at(cf, n, "source: %s needs a value", k);
			return -1;
		}
		if (strcmp(k, "type") == 0) {
			s.type = policy_strdup(p, n->args[i + 1]);
		} else if (strcmp(k, "relay") == 0) {
			if (conf_arg_bool(cf, n, i + 1, &s.relay) != 0)
				return -1;
		} else if (strcmp(k, "relay-for") == 0) {
			relay_for = n->args[i + 1];
		} else if (strcmp(k, "interval") == 0) {
			if (conf_arg_duration(cf, n, i + 1, &s.interval_s) != 0)
				return -1;
			if (s.interval_s <= 0) {
				conf_error_at(
				    cf, n, "source: interval must be positive");
				return -1;
			}
		} else {
			conf_error_at(
			    cf, n, "source: unknown option \"%s\"", k);
			return -1;
		}
	}
	s.name = policy_strdup(p, n->args[0]);
	s.muni = c->muni;
	GROW(p->sources, p->nsources, c->capsources);
	c->src_node =
	    xreallocarray(c->src_node, c->capsources, sizeof(*c->src_node));
	c->src_node[p->nsources] = n;
	c->src_relay_for = xreallocarray(
	    c->src_relay_for, c->capsources, sizeof(*c->src_relay_for));
	c->src_relay_for[p->nsources] =
	    relay_for != NULL ? xstrdup(relay_for) : NULL;
	s.index = (uint32_t)p->nsources;
	p->sources[p->nsources++] = s;
	return 0;
}

static const struct conf_keyword cloud_kw[] = {
	{ "tier", 2, -1, CONF_BLOCK_NO, 0, kw_tier },
	{ "gateway", 3, 9, CONF_BLOCK_NO, 0, kw_gateway },
	{ "source", 2, 10, CONF_BLOCK_NO, 0, kw_source },
	{ NULL, 0, 0, 0, 0, NULL },
};

static int
kw_cloud(struct conf *cf, const struct conf_node *n, void *ctx)
{
	struct lctx *c = ctx;
	size_t e;

	c->in_cloud = 1;
	c->muni = NULL;
	e = conf_walk(cf, n->child, cloud_kw, c);
	c->in_cloud = 0;
	return e ? -1 : 0;
}

/* ---- municipality ---- */

static int
kw_m_code(struct conf *cf, const struct conf_node *n, void *ctx)
{
	struct lctx *c = ctx;
	const char *code = n->args[0];

	if (!policy_muni_code_valid(code)) {
		if (strlen(code) == 6 && policy_muni_check_digit(code) >= 0)
			conf_error_at(cf, n,
			    "code: %s: bad check digit (expected %d)", code,
			    policy_muni_check_digit(code));
		else
			conf_error_at(cf, n,
			    "code: \"%s\" is not a 6-digit 団体コード", code);
		return -1;
	}
	memcpy(c->muni->code, code, 7);
	c->code_set = 1;
	return 0;
}

static int
kw_m_type(struct conf *cf, const struct conf_node *n, void *ctx)
{
	struct lctx *c = ctx;

	if (policy_muni_type_parse(n->args[0], &c->muni->type) != 0) {
		conf_error_at(cf, n,
		    "type: unknown \"%s\" (city, town, village, prefecture, "
		    "kouiki-rengo, ichibu-jimu-kumiai)",
		    n->args[0]);
		return -1;
	}
	c->type_set = 1;
	return 0;
}

static int
kw_m_model(struct conf *cf, const struct conf_node *n, void *ctx)
{
	struct lctx *c = ctx;

	if (policy_model_parse(n->args[0], &c->muni->model) != 0) {
		conf_error_at(cf, n,
		    "model: unknown \"%s\" (alpha, alpha', beta, beta')",
		    n->args[0]);
		return -1;
	}
	c->muni_model_set[c->muni->index] = 1;
	return 0;
}

static const struct conf_keyword muni_kw[] = {
	{ "code", 1, 1, CONF_BLOCK_NO, 1, kw_m_code },
	{ "type", 1, 1, CONF_BLOCK_NO, 1, kw_m_type },
	{ "model", 1, 1, CONF_BLOCK_NO, 1, kw_m_model },
	{ "tier", 2, -1, CONF_BLOCK_NO, 0, kw_tier },
	{ "gateway", 3, 9, CONF_BLOCK_NO, 0, kw_gateway },
	{ "source", 2, 10, CONF_BLOCK_NO, 0, kw_source },
	{ "notify", 3, 3, CONF_BLOCK_NO, 0, kw_notify },
	{ "retention", 0, 0, CONF_BLOCK_YES, 1, kw_retention },
	{ NULL, 0, 0, 0, 0, NULL },
};

static int
kw_municipality(struct conf *cf, const struct conf_node *n, void *ctx)
{
	struct lctx *c = ctx;
	struct policy *p = c->p;
	struct policy_muni *m;
	size_t e;

	if (p->nmunis >= c->capmunis)
		return -1; /* cannot happen: counted beforehand */
	m = &p->munis[p->nmunis];
	memset(m, 0, sizeof(*m));
	m->index = (uint32_t)p->nmunis;
	m->name = policy_strdup(p, n->args[0]);
	m->type = POLICY_MUNI_CITY;
	c->muni_node[p->nmunis] = n;
	p->nmunis++;
	c->muni = m;
	c->code_set = c->type_set = 0;
	e = conf_walk(cf, n->child, muni_kw, c);
	if (!c->code_set) {
		conf_error_at(cf, n, "municipality \"%s\": no code", m->name);
		e++;
	}
	if (!c->type_set) {
		conf_error_at(cf, n, "municipality \"%s\": no type", m->name);
		e++;
	}
	c->muni = NULL;
	return e ? -1 : 0;
}

/* ---- prefecture ---- */

static int
kw_p_code(struct conf *cf, const struct conf_node *n, void *ctx)
{
	struct lctx *c = ctx;
	const char *code = n->args[0];

	if (!policy_muni_code_valid(code) || strncmp(code + 2, "000", 3)) {
		conf_error_at(cf, n,
		    "code: \"%s\" is not a prefecture's 団体コード (PP000 "
		    "and a check digit)",
		    code);
		return -1;
	}
	memcpy(c->p->pref_code, code, 7);
	return 0;
}

static int
kw_p_model(struct conf *cf, const struct conf_node *n, void *ctx)
{
	struct lctx *c = ctx;

	if (policy_model_parse(n->args[0], &c->p->default_model) != 0) {
		conf_error_at(cf, n,
		    "model: unknown \"%s\" (alpha, alpha', beta, beta')",
		    n->args[0]);
		return -1;
	}
	return 0;
}

static const struct conf_keyword pref_kw[] = {
	{ "code", 1, 1, CONF_BLOCK_NO, 1, kw_p_code },
	{ "model", 1, 1, CONF_BLOCK_NO, 1, kw_p_model },
	{ NULL, 0, 0, 0, 0, NULL },
};

static int
kw_prefecture(struct conf *cf, const struct conf_node *n, void *ctx)
{
	struct lctx *c = ctx;

	free(c->p->pref_name);
	c->p->pref_name = xstrdup(n->args[0]);
	c->have_pref = 1;
	if (conf_walk(cf, n->child, pref_kw, c))
		return -1;
	if (c->p->pref_code[0] == '\0') {
		conf_error_at(cf, n, "prefecture: no code");
		return -1;
	}
	return 0;
}

/* ---- exception ---- */

static int
kw_e_muni(struct conf *cf, const struct conf_node *n, void *ctx)
{
	struct lctx *c = ctx;

	(void)cf;
	c->exc_muni[c->exc->index] = xstrdup(n->args[0]);
	return 0;
}

static int
kw_e_owner(struct conf *cf, const struct conf_node *n, void *ctx)
{
	struct lctx *c = ctx;

	(void)cf;
	c->exc->owner = policy_strdup(c->p, n->args[0]);
	return 0;
}

static int
kw_e_reason(struct conf *cf, const struct conf_node *n, void *ctx)
{
	struct lctx *c = ctx;

	(void)cf;
	c->exc->reason = policy_strdup(c->p, n->args[0]);
	return 0;
}

static int
kw_e_expires(struct conf *cf, const struct conf_node *n, void *ctx)
{
	struct lctx *c = ctx;
	int64_t us;

	/* A date means "to the end of that day, JST". */
	if (strlen(n->args[0]) != 10 || time_parse_arg(n->args[0], &us) != 0) {
		conf_error_at(cf, n, "expires: \"%s\" is not a date YYYY-MM-DD",
		    n->args[0]);
		return -1;
	}
	c->exc->expires_us = us + 86400 * TIME_US_PER_SEC - 1;
	return 0;
}

static int
exc_prefix(
    struct conf *cf, const struct conf_node *n, struct addr *a, int *plen)
{
	if (strcmp(n->args[0], "any") == 0) {
		memset(a, 0, sizeof(*a));
		*plen = 0;
		return 0;
	}
	if (parse_cidr(n->args[0], a, plen) != 0) {
		conf_error_at(
		    cf, n, "%s: bad prefix \"%s\"", n->name, n->args[0]);
		return -1;
	}
	return 0;
}

static int
kw_e_from(struct conf *cf, const struct conf_node *n, void *ctx)
{
	struct lctx *c = ctx;

	return exc_prefix(cf, n, &c->exc->src, &c->exc->src_plen);
}

static int
kw_e_to(struct conf *cf, const struct conf_node *n, void *ctx)
{
	struct lctx *c = ctx;

	return exc_prefix(cf, n, &c->exc->dst, &c->exc->dst_plen);
}

static int
kw_e_proto(struct conf *cf, const struct conf_node *n, void *ctx)
{
	struct lctx *c = ctx;

	if (parse_proto(n->args[0], &c->exc->ipproto) != 0) {
		conf_error_at(cf, n, "proto: unknown \"%s\"", n->args[0]);
		return -1;
	}
	return 0;
}

static int
kw_e_ports(struct conf *cf, const struct conf_node *n, void *ctx)
{
	struct lctx *c = ctx;

	if (parse_ports(n->args[0], c->exc->ports, &c->exc->nports) != 0) {
		conf_error_at(cf, n,
		    "ports: bad list \"%s\" (1-65535, comma separated, at "
		    "most %d)",
		    n->args[0], POLICY_PORTS_MAX);
		return -1;
	}
	return 0;
}

static const struct conf_keyword exc_kw[] = {
	{ "municipality", 1, 1, CONF_BLOCK_NO, 1, kw_e_muni },
	{ "owner", 1, 1, CONF_BLOCK_NO, 1, kw_e_owner },
	{ "reason", 1, 1, CONF_BLOCK_NO, 1, kw_e_reason },
	{ "expires", 1, 1, CONF_BLOCK_NO, 1, kw_e_expires },
	{ "from", 1, 1, CONF_BLOCK_NO, 1, kw_e_from },
	{ "to", 1, 1, CONF_BLOCK_NO, 1, kw_e_to },
	{ "proto", 1, 1, CONF_BLOCK_NO, 1, kw_e_proto },
	{ "ports", 1, 1, CONF_BLOCK_NO, 1, kw_e_ports },
	{ NULL, 0, 0, 0, 0, NULL },
};

static int
kw_exception(struct conf *cf, const struct conf_node *n, void *ctx)
{
	struct lctx *c = ctx;
	struct policy *p = c->p;
	struct policy_exception *e;
	size_t errs;

	GROW(p->excs, p->nexcs, c->capexcs);
	c->exc_muni =
	    xreallocarray(c->exc_muni, c->capexcs, sizeof(*c->exc_muni));
	c->exc_node =
	    xreallocarray(c->exc_node, c->capexcs, sizeof(*c->exc_node));
	e = &p->excs[p->nexcs];
	memset(e, 0, sizeof(*e));
	e->index = (uint32_t)p->nexcs;
	e->id = policy_strdup(p, n->args[0]);
	c->exc_muni[p->nexcs] = NULL;
	c->exc_node[p->nexcs] = n;
	p->nexcs++;
	c->exc = e;
	errs = conf_walk(cf, n->child, exc_kw, c);
	if (e->owner == NULL) {
		conf_error_at(cf, n, "exception %s: no owner", e->id);
		errs++;
	}
	if (e->expires_us == 0) {
		conf_error_at(cf, n, "exception %s: no expiry date", e->id);
		errs++;
	}
	if (e->reason == NULL)
		e->reason = "";
	c->exc = NULL;
	return errs ? -1 : 0;
}

static const struct conf_keyword top_kw[] = {
	{ "prefecture", 1, 1, CONF_BLOCK_YES, 1, kw_prefecture },
	{ "retention", 0, 0, CONF_BLOCK_YES, 1, kw_retention },
	{ "notify", 3, 3, CONF_BLOCK_NO, 0, kw_notify },
	{ "notify-options", 0, 0, CONF_BLOCK_YES, 1, kw_notify_options },
	{ "cloud", 0, 0, CONF_BLOCK_YES, 0, kw_cloud },
	{ "municipality", 1, 1, CONF_BLOCK_YES, 0, kw_municipality },
	{ "exception", 1, 1, CONF_BLOCK_YES, 0, kw_exception },
	{ NULL, 0, 0, 0, 0, NULL },
};

/* ---- checks across statements, and the tag set ---- */

static size_t
check_unique(struct lctx *c)
{
	struct policy *p = c->p;
	size_t i, j, errs = 0;

	for (i = 0; i < p->nmunis; i++) {
		if (!c->muni_model_set[i])
			p->munis[i].model = p->default_model;
		for (j = 0; j < i; j++)
			if (p->munis[i].code[0] != '\0' &&
			    strcmp(p->munis[i].code, p->munis[j].code) == 0) {
				conf_error_at(c->cf, c->muni_node[i],
				    "municipality \"%s\": code %s already "
				    "used by \"%s\" (line %d)",
				    p->munis[i].name, p->munis[i].code,
				    p->munis[j].name, c->muni_node[j]->line);
				errs++;
			}
	}
	for (i = 0; i < p->nsources; i++)
		for (j = 0; j < i; j++)
			if (strcmp(p->sources[i].name, p->sources[j].name) ==
			    0) {
				conf_error_at(c->cf, c->src_node[i],
				    "source %s: name already used (line %d)",
				    p->sources[i].name, c->src_node[j]->line);
				errs++;
			}
	for (i = 0; i < p->nexcs; i++) {
		struct policy_exception *e = &p->excs[i];

		for (j = 0; j < i; j++)
			if (strcmp(e->id, p->excs[j].id) == 0) {
				conf_error_at(c->cf, c->exc_node[i],
				    "exception %s: id already used (line %d)",
				    e->id, c->exc_node[j]->line);
				errs++;
			}
		if (c->exc_muni[i] == NULL)
			continue;
		e->muni = policy_muni_by_code(p, c->exc_muni[i]);
		if (e->muni == NULL) {
			conf_error_at(c->cf, c->exc_node[i],
			    "exception %s: no municipality with code %s", e->id,
			    c->exc_muni[i]);
			errs++;
		}
	}
	if (!c->have_pref) {
		/* An empty file has no node to point at: line 1 of it. */
		struct conf_node at;
		const struct conf_node *r = conf_root(c->cf);

		memset(&at, 0, sizeof(at));
		at.file = r ? r->file : c->p->path;
		at.line = r ? r->line : 1;
		conf_error_at(c->cf, &at, "no prefecture declared");
		errs++;
	}
	return errs;
}

static int
same_prefix(const struct addr *a, int al, const struct addr *b, int bl)
{
	return al == bl && memcmp(a->b, b->b, 16) == 0;
}

/* The tier an undeclared gateway sits in, by its kind. */
static enum policy_tier
gw_default_tier(const struct policy_gateway *g)
{
	switch (g->kind) {
	case POLICY_GW_LGWAN_EP:
	case POLICY_GW_TOKUTEI:
		return POLICY_TIER_LG;
	case POLICY_GW_CLOUD:
		return POLICY_TIER_NET;
	default:
		return POLICY_TIER_SC;
	}
}

/* Add (or merge into) the tag of one host/gateway prefix; returns the tag
 * index.  Entries past first_extra are the ones made here. */
static uint32_t
extra_tag(struct lctx *c, struct cidrset *tmp, const struct addr *a, int plen,
    uint32_t muni, enum policy_tier want, size_t first_extra, struct addr *keys,
    int *keylens)
{
	struct policy *p = c->p;
	struct ptag *t;
	uint32_t v;
	size_t i;
	int pl;

	for (i = first_extra; i < p->ntags; i++)
		if (same_prefix(&keys[i - first_extra],
			keylens[i - first_extra], a, plen))
			return (uint32_t)i;
	t = &p->tags[p->ntags];
	t->muni = muni;
	t->source = t->gw = PTAG_NONE;
	t->tier = want;
	if (cidrset_lookup(tmp, a, &v, &pl)) {
		if (want == POLICY_TIER_UNKNOWN)
			t->tier = p->tags[v].tier;
		if (p->tags[v].muni != PTAG_NONE)
			t->muni = p->tags[v].muni;
	}
	if (t->tier == POLICY_TIER_UNKNOWN)
		t->tier = policy_undeclared_tier(a);
	keys[p->ntags - first_extra] = *a;
	keylens[p->ntags - first_extra] = plen;
	return (uint32_t)p->ntags++;
}

static size_t
build_tags(struct lctx *c)
{
	struct policy *p = c->p;
	struct cidrset *tmp = cidrset_new();
	struct addr *keys;
	int *keylens;
	size_t i, j, first, errs = 0, nextra = p->ngws + p->nsources;

	p->tags = xcalloc(c->ntiers + nextra + 1, sizeof(*p->tags));
	keys = xcalloc(nextra + 1, sizeof(*keys));
	keylens = xcalloc(nextra + 1, sizeof(*keylens));
	p->set = cidrset_new();
	for (i = 0; i < c->ntiers; i++) {
		const struct ltier *lt = &c->tiers[i];

		for (j = 0; j < i; j++)
			if (same_prefix(&lt->a, lt->plen, &c->tiers[j].a,
				c->tiers[j].plen)) {
				char buf[ADDR_STRLEN];

				conf_error_at(c->cf, lt->node,
				    "tier: %s/%d already declared at line %d",
				    addr_fmt(&lt->a, buf, sizeof(buf)),
				    fam_plen(&lt->a, lt->plen),
				    c->tiers[j].node->line);
				errs++;
				break;
			}
		p->tags[i].muni = lt->muni;
		p->tags[i].source = p->tags[i].gw = PTAG_NONE;
		p->tags[i].tier = lt->tier;
		cidrset_add(
		    tmp, &lt->a, fam_plen(&lt->a, lt->plen), (uint32_t)i);
	}
	p->ntags = first = c->ntiers;
	cidrset_build(tmp);
	for (i = 0; i < p->ngws; i++) {
		struct policy_gateway *g = &p->gws[i];
		enum policy_tier want = c->gw_tier[i];
		uint32_t t;

		if (want == POLICY_TIER_UNKNOWN && g->muni == NULL) {
			uint32_t v;

			if (!cidrset_lookup(tmp, &g->addr, &v, NULL))
				want = gw_default_tier(g);
		}
		t = extra_tag(c, tmp, &g->addr, g->plen,
		    g->muni ? g->muni->index : PTAG_NONE, want, first, keys,
		    keylens);
		if (p->tags[t].gw != PTAG_NONE) {
			conf_error_at(c->cf, c->gw_node[i],
			    "gateway %s: same address as gateway %s", g->name,
			    p->gws[p->tags[t].gw].name);
			errs++;
		}
		p->tags[t].gw = (uint32_t)i;
	}
	for (i = 0; i < p->nsources; i++) {
		struct policy_source *s = &p->sources[i];
		uint32_t t = extra_tag(c, tmp, &s->addr, 128,
		    s->muni ? s->muni->index : PTAG_NONE, POLICY_TIER_UNKNOWN,
		    first, keys, keylens);

		if (p->tags[t].source != PTAG_NONE) {
			conf_error_at(c->cf, c->src_node[i],
			    "source %s: same address as source %s", s->name,
			    p->sources[p->tags[t].source].name);
			errs++;
		}
		p->tags[t].source = (uint32_t)i;
		s->tier = p->tags[t].tier;
		if (s->muni == NULL && p->tags[t].muni != PTAG_NONE)
			s->muni = &p->munis[p->tags[t].muni];
	}
	/* Final set: tier prefixes, then the host/gateway entries. */
	for (i = 0; i < c->ntiers; i++)
		cidrset_add(p->set, &c->tiers[i].a,
		    fam_plen(&c->tiers[i].a, c->tiers[i].plen), (uint32_t)i);
	for (i = first; i < p->ntags; i++)
		cidrset_add(p->set, &keys[i - first],
		    fam_plen(&keys[i - first], keylens[i - first]),
		    (uint32_t)i);
	cidrset_build(p->set);
	cidrset_free(tmp);
	free(keys);
	free(keylens);
	return errs;
}

/* A block of memory owned by the policy (freed with its strings). */
static void *
policy_keep(struct policy *p, size_t size)
{
	void *m = xcalloc(1, size ? size : 1);

	if (p->nstrs == p->capstrs) {
		p->capstrs = p->capstrs ? p->capstrs * 2 : 64;
		p->strs = xreallocarray(p->strs, p->capstrs, sizeof(char *));
	}
	p->strs[p->nstrs++] = m;
	return m;
}

/* Resolve one source's `relay-for CODE,CODE...` (after build_tags, which
 * gives a cloud-declared source inside a 団体's ranges that 団体). */
static size_t
resolve_relay_for(struct lctx *c, size_t i)
{
	struct policy *p = c->p;
	struct policy_source *s = &p->sources[i];
	const struct conf_node *n = c->src_node[i];
	const char *text = c->src_relay_for[i], *q;
	const struct policy_muni **v;
	size_t nv = 0, errs = 0;

	if (!s->relay) {
		conf_error_at(c->cf, n,
		    "source %s: relay-for needs `relay yes`", s->name);
		return 1;
	}
	if (s->muni == NULL) {
		conf_error_at(c->cf, n,
		    "source %s: relay-for: a security cloud relay already "
		    "relays for every 団体",
		    s->name);
		return 1;
	}
	v = policy_keep(p, (p->nmunis + 1) * sizeof(*v));
	for (q = text;;) {
		size_t len = strcspn(q, ",");
		char code[16];
		const struct policy_muni *m = NULL;

		if (len > 0 && len < sizeof(code)) {
			memcpy(code, q, len);
			code[len] = '\0';
			m = policy_muni_by_code(p, code);
		}
		if (m == NULL) {
			conf_error_at(c->cf, n,
			    "source %s: relay-for: \"%.*s\" is no declared "
			    "municipality's code",
			    s->name, (int)(len < 32 ? len : 32), q);
			errs++;
		} else if (m != s->muni) {
			size_t k;

			for (k = 0; k < nv && v[k] != m; k++)
				;
			if (k == nv && nv < p->nmunis)
				v[nv++] = m;
		}
		if (q[len] == '\0')
			break;
		q += len + 1;
	}
	s->relay_for = v;
	s->nrelay_for = nv;
	return errs;
}

static size_t
check_relays(struct lctx *c)
{
	size_t errs = 0;

	for (size_t i = 0; i < c->p->nsources; i++)
		if (c->src_relay_for[i] != NULL)
			errs += resolve_relay_for(c, i);
	return errs;
}

int
policy_relay_may_tag(
    const struct policy_source *relay, const struct policy_tag *origin)
{
	if (relay == NULL || !relay->relay || origin == NULL)
		return 0;
	if (relay->muni == NULL)
		return 1; /* the security cloud's own relay */
	if (origin->muni == NULL)
		return 0; /* the cloud's sources, or no 団体 */
	if (origin->muni == relay->muni)
		return 1;
	for (size_t i = 0; i < relay->nrelay_for; i++)
		if (relay->relay_for[i] == origin->muni)
			return 1;
	return 0;
}

static void
build_cell_texts(struct policy *p)
{
	int m, f, t;

	policy_matrix_fill(p->matrix);
	for (m = 0; m < POLICY_MODEL_COUNT; m++)
		for (f = POLICY_TIER_M; f < POLICY_TIER_COUNT; f++)
			for (t = POLICY_TIER_M; t < POLICY_TIER_COUNT; t++)
				xasprintf(&p->cell_text[m][f][t],
				    "%s %s→%s: %s",
				    policy_model_jp((enum policy_model)m),
				    policy_tier_short((enum policy_tier)f),
				    policy_tier_short((enum policy_tier)t),
				    p->matrix[m][f][t].note);
}

static void
lctx_free(struct lctx *c)
{
	size_t i;

	for (i = 0; i < c->p->nexcs; i++)
		free(c->exc_muni[i]);
	free(c->exc_muni);
	free(c->exc_node);
	free(c->tiers);
	for (i = 0; i < c->p->nsources; i++)
		free(c->src_relay_for[i]);
	free(c->src_relay_for);
	free(c->src_node);
	free(c->gw_node);
	free(c->gw_tier);
	free(c->muni_node);
	free(c->muni_model_set);
}

struct policy *
policy_from_conf(struct conf *cf, const char *path, int print)
{
	struct lctx c;
	struct policy *p;
	const struct conf_node *n;
	size_t nm = 0;

	if (cf == NULL)
		return NULL;
	memset(&c, 0, sizeof(c));
	p = xcalloc(1, sizeof(*p));
	atomic_init(&p->refs, 1);
	p->path = xstrdup(path);
	for (n = conf_root(cf); n != NULL; n = n->next)
		if (strcmp(n->name, "municipality") == 0)
			nm++;
	c.cf = cf;
	c.p = p;
	c.capmunis = nm;
	p->munis = xcalloc(nm + 1, sizeof(*p->munis));
	p->munix = xcalloc(nm + 1, sizeof(*p->munix));
	c.muni_node = xcalloc(nm + 1, sizeof(*c.muni_node));
	c.muni_model_set = xcalloc(nm + 1, 1);

	/* Every check runs even after errors, so one run lists them all. */
	conf_walk(cf, conf_root(cf), top_kw, &c);
	check_unique(&c);
	build_tags(&c);
	check_relays(&c);
	lctx_free(&c);
	if (conf_nerrors(cf) > 0) {
		if (print)
			conf_print_errors(cf);
		policy_unref(p);
		return NULL;
	}
	build_cell_texts(p);
	return p;
}

struct policy *
policy_load(const char *path)
{
	struct conf *cf = conf_parse_file(path);
	struct policy *p;

	if (cf == NULL) {
		fprintf(stderr, "%s: cannot open policy\n", path);
		return NULL;
	}
	p = policy_from_conf(cf, path, 1);
	conf_free(cf);
	return p;
}

struct policy *
policy_load_string(const char *name, const char *text, size_t len)
{
	struct conf *cf = conf_parse_string(name, text, len);
	struct policy *p;

	if (cf == NULL)
		return NULL;
	p = policy_from_conf(cf, name, 1);
	conf_free(cf);
	return p;
}
