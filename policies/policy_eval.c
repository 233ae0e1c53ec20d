/*
 * policy_eval.c — tagging addresses and judging flows against the matrix.
 *
 * This is the hot path shared by the collector (firewall logs) and the
 * sensor (flows): two longest-prefix lookups, one table cell, and only for
 * a flow the matrix does not allow outright a look at gateways and the
 * exception register.  Nothing here allocates or locks.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "common/event.h"
#include "policies/policy_int.h"

/* The tiers are numbered as common/event.h numbers them, so a tag's tier
 * converts to an sc_tier by a cast. */
_Static_assert((int)POLICY_TIER_M == (int)SC_TIER_M &&
	(int)POLICY_TIER_LG == (int)SC_TIER_LG &&
	(int)POLICY_TIER_NET == (int)SC_TIER_NET &&
	(int)POLICY_TIER_DMZ == (int)SC_TIER_DMZ,
    "policy_tier and sc_tier must agree");

/* Ports of screen-transfer protocols: RDP, Citrix ICA and CGP, VMware
 * Blast, PCoIP, VNC.  A broken L<->I cell on one of them is GL-SEP-05. */
static const uint16_t screen_ports[] = { 3389, 1494, 2598, 22443, 4172, 5900 };

enum policy_tier
policy_undeclared_tier(const struct addr *a)
{
	static const uint8_t v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0xff, 0xff };
	const uint8_t *b = a->b;

	if (memcmp(b, v4mapped, 12) == 0) {
		uint8_t o1 = b[12], o2 = b[13];

		if (o1 == 10 || o1 == 127 || o1 == 0 || o1 >= 224 ||
		    (o1 == 172 && (o2 & 0xf0) == 16) ||
		    (o1 == 192 && o2 == 168) || (o1 == 169 && o2 == 254) ||
		    (o1 == 100 && (o2 & 0xc0) == 64))
			return POLICY_TIER_UNKNOWN;
		return POLICY_TIER_NET;
	}
	if ((b[0] & 0xfe) == 0xfc || b[0] == 0xff ||
	    (b[0] == 0xfe && (b[1] & 0xc0) == 0x80))
		return POLICY_TIER_UNKNOWN;
	/* ::, ::1 and the rest of ::/8 */
	if (b[0] == 0)
		return POLICY_TIER_UNKNOWN;
	return POLICY_TIER_NET;
}

int
policy_tag(const struct policy *p, const struct addr *a, struct policy_tag *out)
{
	uint32_t v;
	int plen;

	if (p->set != NULL && cidrset_lookup(p->set, a, &v, &plen) &&
	    v < p->ntags) {
		const struct ptag *t = &p->tags[v];

		out->muni = t->muni != PTAG_NONE ? &p->munis[t->muni] : NULL;
		out->source =
		    t->source != PTAG_NONE ? &p->sources[t->source] : NULL;
		out->gateway = t->gw != PTAG_NONE ? &p->gws[t->gw] : NULL;
		out->tier = t->tier;
		out->plen = plen;
		return 1;
	}
	out->muni = NULL;
	out->source = NULL;
	out->gateway = NULL;
	out->tier = policy_undeclared_tier(a);
	out->plen = -1;
	return 0;
}

static int
port_in(uint16_t port, const uint16_t *ports, size_t n)
{
	size_t i;

	if (n == 0)
		return 1;
	for (i = 0; i < n; i++)
		if (ports[i] == port)
			return 1;
	return 0;
}

static int
proto_ok(uint8_t want, uint8_t got)
{
	return want == 0 || got == 0 || want == got;
}

/* Does gateway g (an endpoint of the flow) satisfy a cell allowing the
 * kinds in mask?  A 団体's own gateway serves only that 団体 (the one the
 * flow is attributed to); ports bind
 * the service side, so they are checked when the gateway is the
 * destination. */
static int
gw_ok(const struct policy_gateway *g, unsigned mask,
    const struct policy_verdict *v, int is_dst, uint16_t dport, uint8_t proto)
{
	if (g == NULL || !(mask & (1u << g->kind)))
		return 0;
	if (g->muni != NULL && g->muni != v->muni)
		return 0;
	if (!proto_ok(g->ipproto, proto))
		return 0;
	if (is_dst && !port_in(dport, g->ports, g->nports))
		return 0;
	return 1;
}

static int
prefix_match(const struct addr *net, int plen, const struct addr *a)
{
	int full = plen / 8, rest = plen % 8;

	if (plen <= 0)
		return 1;
	if (memcmp(net->b, a->b, (size_t)full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	return ((net->b[full] ^ a->b[full]) & (0xff << (8 - rest)) & 0xff) == 0;
}

static const struct policy_exception *
find_exception(const struct policy *p, const struct policy_verdict *v,
    const struct addr *src, const struct addr *dst, uint16_t dport,
    uint8_t proto)
{
	size_t i;

	for (i = 0; i < p->nexcs; i++) {
		const struct policy_exception *e = &p->excs[i];

		if (e->muni != NULL && e->muni != v->src.muni &&
		    e->muni != v->dst.muni)
			continue;
		if (!prefix_match(&e->src, e->src_plen, src) ||
		    !prefix_match(&e->dst, e->dst_plen, dst))
			continue;
		if (!proto_ok(e->ipproto, proto) ||
		    !port_in(dport, e->ports, e->nports))
			continue;
		return e;
	}
	return NULL;
}

static int
is_screen_port(uint16_t port)
{
	size_t i;

	for (i = 0; i < sizeof(screen_ports) / sizeof(screen_ports[0]); i++)
		if (screen_ports[i] == port)
			return 1;
	return 0;
}

static int
violation(const struct policy *p, struct policy_verdict *v,
    const struct pcell *c, const struct addr *src, const struct addr *dst,
    uint16_t dport, uint8_t proto, int64_t when_us)
{
	const struct policy_exception *e;
	enum policy_tier st = v->src.tier, dt = v->dst.tier;

	v->violation = 1;
	v->use_case = c->use_case;
	v->severity = c->sev;
	if (((st == POLICY_TIER_L && dt == POLICY_TIER_I) ||
		(st == POLICY_TIER_I && dt == POLICY_TIER_L)) &&
	    is_screen_port(dport)) {
		v->use_case = "GL-SEP-05";
		v->severity = 2;
	}
	e = find_exception(p, v, src, dst, dport, proto);
	if (e == NULL)
		return 1;
	v->exception = e;
	if (when_us <= e->expires_us) {
		v->kind = POLICY_V_EXCEPTION;
		v->violation = 0;
		v->use_case = NULL;
		v->severity = 0;
		return 0;
	}
	v->kind = POLICY_V_EXCEPTION_EXPIRED;
	v->use_case = "GL-EXC-01";
	v->severity = 3;
	return 1;
}

int
policy_eval_flow(const struct policy *p, const struct addr *src, uint16_t sport,
    const struct addr *dst, uint16_t dport, uint8_t ipproto, int64_t when_us,
    struct policy_verdict *v)
{
	const struct pcell *c;
	enum policy_tier st, dt;

	(void)sport;
	policy_tag(p, src, &v->src);
	policy_tag(p, dst, &v->dst);
	v->violation = 0;
	v->use_case = NULL;
	v->severity = 0;
	v->gateway = NULL;
	v->exception = NULL;
	v->muni = v->src.muni != NULL ? v->src.muni : v->dst.muni;
	v->model = v->muni != NULL ? v->muni->model : p->default_model;
	st = v->src.tier;
	dt = v->dst.tier;
	if (st == POLICY_TIER_UNKNOWN || dt == POLICY_TIER_UNKNOWN) {
		v->kind = POLICY_V_UNKNOWN;
		v->cell = POLICY_CELL_A;
		v->cell_gw = 0;
		v->cell_text = "未定義のアドレス (判定せず)";
		return 0;
	}
	c = &p->matrix[v->model][st][dt];
	v->cell = c->cell;
	v->cell_gw = c->gw;
	v->cell_text = p->cell_text[v->model][st][dt];
	switch (c->cell) {
	case POLICY_CELL_A:
		/* Each 団体's M tier is isolated from every other's too. */
		if (st == POLICY_TIER_M && dt == POLICY_TIER_M &&
		    v->src.muni != v->dst.muni) {
			static const struct pcell xm = { POLICY_CELL_D, 0,
				"GL-SEP-01", 1, NULL };

			v->kind = POLICY_V_FORBIDDEN;
			v->cell = POLICY_CELL_D;
			v->cell_text = "M→M 他団体のマイナンバー利用事務系: D";
			return violation(
			    p, v, &xm, src, dst, dport, ipproto, when_us);
		}
		v->kind = POLICY_V_ALLOWED;
		return 0;
	case POLICY_CELL_G:
	case POLICY_CELL_E:
		if (gw_ok(v->dst.gateway, c->gw, v, 1, dport, ipproto))
			v->gateway = v->dst.gateway;
		else if (gw_ok(v->src.gateway, c->gw, v, 0, dport, ipproto))
			v->gateway = v->src.gateway;
		if (v->gateway != NULL) {
			v->kind = POLICY_V_VIA_GATEWAY;
			return 0;
		}
		v->kind = POLICY_V_NEEDS_GATEWAY;
		break;
	case POLICY_CELL_D:
	default:
		v->kind = POLICY_V_FORBIDDEN;
		break;
	}
	return violation(p, v, c, src, dst, dport, ipproto, when_us);
}

void
policy_verdict_blocked(struct policy_verdict *v)
{
	if (v->violation && v->severity < 4)
		v->severity = 4;
}

const char *
policy_verdict_name(enum policy_verdict_kind k)
{
	static const char *const names[] = { "allowed", "via-gateway",
		"exception", "forbidden", "needs-gateway", "exception-expired",
		"unknown" };

	if ((unsigned)k >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[k];
}

static const char *
proto_name(uint8_t p, char *buf, size_t len)
{
	switch (p) {
	case 6:
		return "tcp";
	case 17:
		return "udp";
	case 1:
		return "icmp";
	case 58:
		return "icmp6";
	case 0:
		return "any";
	default:
		snprintf(buf, len, "proto-%u", p);
		return buf;
	}
}

/* "津架空市 (242012) " or "" */
static void
muni_label(const struct policy_muni *m, char *buf, size_t len)
{
	if (m == NULL)
		buf[0] = '\0';
	else
		snprintf(buf, len, "%s (%s) ", m->name, m->code);
}

size_t
policy_verdict_format(const struct policy_verdict *v, const struct addr *src,
    uint16_t sport, const struct addr *dst, uint16_t dport, uint8_t ipproto,
    char *out, size_t len)
{
	char sa[ADDR_STRLEN], da[ADDR_STRLEN], pb[16], ml[128], need[160];
	size_t i, n = 0;
	int r;

	need[0] = '\0';
	if (v->kind == POLICY_V_NEEDS_GATEWAY) {
		n = (size_t)snprintf(need, sizeof(need), "; needs gateway");
		for (i = 0; i < POLICY_GW_COUNT && n < sizeof(need); i++)
			if (v->cell_gw & (1u << i))
				n += (size_t)snprintf(need + n,
				    sizeof(need) - n, " %s",
				    policy_gw_short((enum policy_gw_kind)i));
	} else if (v->gateway != NULL) {
		snprintf(need, sizeof(need), "; via %s %s",
		    policy_gw_short(v->gateway->kind), v->gateway->name);
	} else if (v->exception != NULL) {
		snprintf(need, sizeof(need), "; exception %s (owner %s)%s",
		    v->exception->id, v->exception->owner,
		    v->kind == POLICY_V_EXCEPTION_EXPIRED ? " EXPIRED" : "");
	}
	muni_label(v->muni, ml, sizeof(ml));
	r = snprintf(out, len, "%s:%u -> %s:%u/%s %s%s→%s: %s: %s%s",
	    addr_fmt(src, sa, sizeof(sa)), sport, addr_fmt(dst, da, sizeof(da)),
	    dport, proto_name(ipproto, pb, sizeof(pb)), ml,
	    policy_tier_short(v->src.tier), policy_tier_short(v->dst.tier),
	    policy_verdict_name(v->kind), v->cell_text ? v->cell_text : "",
	    need);
	return r < 0 ? 0 : (size_t)r;
}

int
policy_eval_fw(const struct policy *p, const struct fw_flow *f, int64_t when_us,
    struct policy_verdict *v)
{
	int r = policy_eval_flow(p, &f->src, f->sport, &f->dst, f->dport,
	    f->ipproto, f->time_us != 0 ? f->time_us : when_us, v);

	if (f->action == FW_ACTION_DENY)
		policy_verdict_blocked(v);
	return r;
}
