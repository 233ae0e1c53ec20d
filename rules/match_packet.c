/*
 * match_packet.c — the convenience matcher for the sensor: every present
 * buffer of one packet or transaction is scanned with its block database,
 * the unfiltered rules of the packet's protocols that can accept its
 * destination port are added, and each
 * candidate must pass its header, proto, flow, dsize and every buffer it
 * inspects.  The sensor can instead compose the same primitives itself
 * (ruleset_hs_db, rule_confirm ...), e.g. to scan streams incrementally.
 */
#include "config.h"

#include <string.h>

#include "rules/rules_int.h"

static int
proto_ok(const struct rule *r, const struct rule_packet *p)
{
	switch (r->proto) {
	case RULE_PROTO_ANY:
		return 1;
	case RULE_PROTO_TCP:
	case RULE_PROTO_UDP:
	case RULE_PROTO_ICMP:
		return p->proto == r->proto;
	case RULE_PROTO_HTTP:
	case RULE_PROTO_DNS:
	case RULE_PROTO_TLS:
		return p->alproto == r->proto;
	default:
		return 0;
	}
}

static int
packet_ok(
    const struct rule *r, struct rule_scratch *s, const struct rule_packet *p)
{
	if (r->is_log || !proto_ok(r, p) || !rule_match_flow(r, p->flow) ||
	    !rule_match_dsize(r, p->dsize) ||
	    !rule_match_header(r, p->src, p->sport, p->dst, p->dport))
		return 0;
	for (int b = 0; b < RULE_BUF_COUNT; b++) {
		if (!(r->bufmask & (1u << b)))
			continue;
		if (p->buf[b] == NULL)
			return 0;
		if (rule_confirm_elems(
			r, s, (enum rule_buf)b, p->buf[b], p->len[b]) != 1)
			return 0;
	}
	return 1;
}

/* The unfiltered rules of this proto that can accept the packet's
 * destination port (compile_hs.c index_ports). */
static void
add_unfiltered(
    const struct ruleset *rs, struct rule_scratch *s, int proto, uint16_t dport)
{
	const struct rule *const *l;
	size_t n;

	l = ruleset_unfiltered_anyport(rs, (enum rule_proto)proto, &n);
	for (size_t i = 0; i < n; i++)
		rule_scratch_add(s, l[i]->idx);
	l = ruleset_unfiltered_port(rs, (enum rule_proto)proto, dport, &n);
	for (size_t i = 0; i < n; i++)
		rule_scratch_add(s, l[i]->idx);
}

int
ruleset_match_packet(const struct ruleset *rs, struct rule_scratch *s,
    const struct rule_packet *p, rule_hit_cb cb, void *ctx)
{
	int hits = 0;

	if (s == NULL || s->rs != rs)
		return -1;
	rule_scratch_reset(s);
	for (int b = 0; b < RULE_BUF_COUNT; b++)
		if (p->buf[b] != NULL &&
		    rule_scratch_scan(
			s, (enum rule_buf)b, p->buf[b], p->len[b]) == -1) {
			rule_scratch_reset(s);
			return -1;
		}
	add_unfiltered(rs, s, RULE_PROTO_ANY, p->dport);
	if (p->proto == RULE_PROTO_TCP || p->proto == RULE_PROTO_UDP ||
	    p->proto == RULE_PROTO_ICMP)
		add_unfiltered(rs, s, p->proto, p->dport);
	if (p->alproto == RULE_PROTO_HTTP || p->alproto == RULE_PROTO_DNS ||
	    p->alproto == RULE_PROTO_TLS)
		add_unfiltered(rs, s, p->alproto, p->dport);
	rule_scratch_sort(s);
	for (size_t i = 0; i < s->ncand; i++) {
		const struct rule *r = rs->rules[s->cand[i]];
		struct rule_hit h;

		if (!packet_ok(r, s, p))
			continue;
		memset(&h, 0, sizeof(h));
		h.rule = r;
		if (p->src != NULL) {
			h.src = *p->src;
			h.has_src = 1;
		}
		if (p->dst != NULL) {
			h.dst = *p->dst;
			h.has_dst = 1;
		}
		h.sport = p->sport;
		h.dport = p->dport;
		h.group_count = 1;
		h.group_new = 1;
		hits++;
		if (cb != NULL && cb(ctx, &h) != 0)
			break;
	}
	rule_scratch_reset(s);
	return hits;
}
