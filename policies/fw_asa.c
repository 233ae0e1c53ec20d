/*
 * fw_asa.c — Cisco ASA / FTD syslog messages that carry a flow:
 *
 *   %ASA-6-302013: Built outbound TCP connection 1 for
 *       outside:198.51.100.7/443 (198.51.100.7/443) to
 *       inside:10.11.16.5/51000 (203.0.113.5/51000)
 *   %ASA-6-302015: the same for UDP
 *   %ASA-4-106023: Deny tcp src outside:198.51.100.7/51000
 *       dst inside:10.11.16.5/443 by access-group "outside_in" [0x0, 0x0]
 *   %ASA-6-106100: access-list in permitted tcp inside/10.11.16.5(51000)
 *       -> outside/198.51.100.7(443) hit-cnt 1 first hit [0x1, 0x0]
 *   %ASA-2-106001: Inbound TCP connection denied from 198.51.100.7/51000
 *       to 10.11.16.5/443 flags SYN on interface outside
 *   %ASA-2-106006 / 106007 / 106015: Deny ... from A/p to B/p ...
 *   %ASA-3-710003: TCP access denied by ACL from 198.51.100.7/51000 to
 *       outside:203.0.113.1/22
 *
 * In a 302013/302015 "Built outbound" line the initiator is the second
 * ("to") address; in "Built inbound" the first ("for").  Real (pre-NAT)
 * addresses are used, since the policy is written in them.  Teardown
 * messages (302014/302016) are not read: their order does not name the
 * initiator, and the Built line already gave the flow.  The message stamp
 * is left to the syslog header (time_us 0).
 */
#include "config.h"

#include <string.h>

#include "policies/fw_int.h"

struct cur {
	const char *p, *end;
};

static void
skip_sp(struct cur *c)
{
	while (c->p < c->end && *c->p == ' ')
		c->p++;
}

/* The next space-delimited word. */
static int
word(struct cur *c, const char **w, size_t *wl)
{
	skip_sp(c);
	*w = c->p;
	while (c->p < c->end && *c->p != ' ')
		c->p++;
	*wl = (size_t)(c->p - *w);
	return *wl > 0 ? 0 : -1;
}

static int
expect(struct cur *c, const char *lit)
{
	const char *w;
	size_t wl;

	if (word(c, &w, &wl) != 0 || !fw_eq(w, wl, lit))
		return -1;
	return 0;
}

static const char *
last_slash(const char *s, size_t n)
{
	while (n > 0)
		if (s[--n] == '/')
			return s + n;
	return NULL;
}

/* "[iface:]addr/port" or "iface/addr(port)" in one word.  The whole text
 * before the port is tried as an address first (a bare IPv6 address holds
 * ':'), then again without the "iface:" prefix. */
static int
endpoint(const char *w, size_t wl, struct addr *a, uint16_t *port)
{
	const char *end = w + wl, *sep, *colon;

	if (wl > 0 && end[-1] == ')') {
		const char *lp = memchr(w, '(', wl), *sl = memchr(w, '/', wl);

		if (lp == NULL || sl == NULL || sl > lp)
			return -1;
		if (fw_port(lp + 1, (size_t)(end - 1 - lp - 1), port) != 0)
			return -1;
		return fw_addr(sl + 1, (size_t)(lp - sl - 1), a);
	}
	if ((sep = last_slash(w, wl)) == NULL ||
	    fw_port(sep + 1, (size_t)(end - sep - 1), port) != 0)
		return -1;
	if (fw_addr(w, (size_t)(sep - w), a) == 0)
		return 0;
	colon = memchr(w, ':', (size_t)(sep - w));
	if (colon == NULL)
		return -1;
	return fw_addr(colon + 1, (size_t)(sep - colon - 1), a);
}

static int
next_endpoint(struct cur *c, struct addr *a, uint16_t *port)
{
	const char *w;
	size_t wl;

	if (word(c, &w, &wl) != 0)
		return -1;
	return endpoint(w, wl, a, port);
}

/* Advance to just past the word lit (whole word). */
static int
seek_word(struct cur *c, const char *lit)
{
	const char *w;
	size_t wl;

	while (word(c, &w, &wl) == 0)
		if (fw_eq(w, wl, lit))
			return 0;
	return -1;
}

static int
built(struct cur *c, struct fw_flow *out)
{
	const char *w;
	size_t wl;
	int outbound;
	struct addr a1, a2;
	uint16_t p1, p2;

	/* "Built {inbound|outbound} {TCP|UDP} connection ID for A (A') to B
	 * (B')" */
	if (expect(c, "Built") != 0 || word(c, &w, &wl) != 0)
		return -1;
	if (fw_eq(w, wl, "outbound"))
		outbound = 1;
	else if (fw_eq(w, wl, "inbound"))
		outbound = 0;
	else
		return -1;
	if (word(c, &w, &wl) != 0 || fw_proto(w, wl, &out->ipproto) != 0)
		return -1;
	if (seek_word(c, "for") != 0 || next_endpoint(c, &a1, &p1) != 0)
		return -1;
	if (seek_word(c, "to") != 0 || next_endpoint(c, &a2, &p2) != 0)
		return -1;
	if (outbound) {
		out->src = a2, out->sport = p2;
		out->dst = a1, out->dport = p1;
	} else {
		out->src = a1, out->sport = p1;
		out->dst = a2, out->dport = p2;
	}
	out->action = FW_ACTION_ALLOW;
	return 0;
}

/* 106023: "Deny PROTO src IF:A/p dst IF:B/p ..." */
static int
deny_src_dst(struct cur *c, struct fw_flow *out)
{
	const char *w;
	size_t wl;

	if (expect(c, "Deny") != 0 || word(c, &w, &wl) != 0)
		return -1;
	(void)fw_proto(w, wl, &out->ipproto);
	if (expect(c, "src") != 0 ||
	    next_endpoint(c, &out->src, &out->sport) != 0)
		return -1;
	if (expect(c, "dst") != 0 ||
	    next_endpoint(c, &out->dst, &out->dport) != 0)
		return -1;
	out->action = FW_ACTION_DENY;
	return 0;
}

/* 106100: "access-list NAME {permitted|denied|est-allowed} PROTO
 * IF/A(p) -> IF/B(p) ..." */
static int
acl(struct cur *c, struct fw_flow *out)
{
	const char *w;
	size_t wl;

	if (expect(c, "access-list") != 0 || word(c, &w, &wl) != 0 ||
	    word(c, &w, &wl) != 0)
		return -1;
	if (fw_eq(w, wl, "permitted") || fw_eq(w, wl, "est-allowed"))
		out->action = FW_ACTION_ALLOW;
	else if (fw_eq(w, wl, "denied"))
		out->action = FW_ACTION_DENY;
	else
		return -1;
	if (word(c, &w, &wl) != 0)
		return -1;
	(void)fw_proto(w, wl, &out->ipproto);
	if (next_endpoint(c, &out->src, &out->sport) != 0 ||
	    expect(c, "->") != 0 ||
	    next_endpoint(c, &out->dst, &out->dport) != 0)
		return -1;
	return 0;
}

/* 106001/106006/106007/106015/710003: "... from A/p to [IF:]B/p ..." with
 * the protocol somewhere before "from". */
static int
from_to(struct cur *c, struct fw_flow *out)
{
	const char *w;
	size_t wl;

	while (word(c, &w, &wl) == 0) {
		if (fw_eq(w, wl, "from"))
			break;
		if (out->ipproto == 0)
			(void)fw_proto(w, wl, &out->ipproto);
	}
	if (next_endpoint(c, &out->src, &out->sport) != 0 ||
	    expect(c, "to") != 0 ||
	    next_endpoint(c, &out->dst, &out->dport) != 0)
		return -1;
	out->action = FW_ACTION_DENY;
	return 0;
}

int
fw_parse_asa(const char *msg, size_t len, struct fw_flow *out)
{
	const char *tag = fw_find(msg, len, "%ASA-");
	struct cur c;
	uint64_t id;
	const char *p, *colon;

	fw_flow_init(out, "asa");
	if (tag == NULL)
		tag = fw_find(msg, len, "%FTD-");
	if (tag == NULL)
		return -1;
	/* %ASA-L-NNNNNN: */
	p = tag + 5;
	if (p + 2 >= msg + len || p[1] != '-')
		return -1;
	p += 2;
	colon = memchr(p, ':', (size_t)(msg + len - p));
	if (colon == NULL || fw_u64(p, (size_t)(colon - p), 999999, &id) != 0)
		return -1;
	c.p = colon + 1;
	c.end = msg + len;
	switch (id) {
	case 302013:
	case 302015:
		return built(&c, out);
	case 106023:
		return deny_src_dst(&c, out);
	case 106100:
		return acl(&c, out);
	case 106001:
	case 106006:
	case 106007:
	case 106015:
	case 710003:
		return from_to(&c, out);
	default:
		return -1;
	}
}
