/*
 * header.c — the rule header "action proto src sport -> dst dport":
 * address and port lists with negation, nesting, ranges and $VARS, read
 * into a small tree (struct rule_node) and matched against a packet's or a
 * log message's addresses.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "rules/rules_int.h"

struct proto_name {
	const char *name;
	enum rule_proto proto;
	unsigned domain; /* 0: either */
};

static const struct proto_name protos[] = {
	{ "any", RULE_PROTO_ANY, 0 },
	{ "ip", RULE_PROTO_ANY, 0 },
	{ "syslog", RULE_PROTO_SYSLOG, RULESET_LOG },
	{ "tcp", RULE_PROTO_TCP, 0 },
	{ "udp", RULE_PROTO_UDP, 0 },
	{ "icmp", RULE_PROTO_ICMP, 0 },
	{ "http", RULE_PROTO_HTTP, RULESET_PACKET },
	{ "dns", RULE_PROTO_DNS, RULESET_PACKET },
	{ "tls", RULE_PROTO_TLS, RULESET_PACKET },
};

static const char *const actions[] = { "alert", "drop", "reject", "sdrop",
	"log" };

/* Cursor over one list text; vars expand recursively. */
struct lcur {
	struct parse_ctx *ctx;
	const char *s;
	int depth;
	int ports;
};

static int parse_item(struct lcur *, struct rule_node *);

static void
skip_ws(struct lcur *c)
{
	while (*c->s == ' ' || *c->s == '\t')
		c->s++;
}

static int
parse_addr_token(struct lcur *c, struct rule_node *n, const char *tok)
{
	char buf[80], *slash;
	uint8_t v4[4];
	long plen = -1;

	if (strlen(tok) >= sizeof(buf))
		return rule_fail(
		    c->ctx, RULE_REJ_BAD_VAR, "bad address \"%.40s\"", tok);
	memcpy(buf, tok, strlen(tok) + 1);
	slash = strchr(buf, '/');
	if (slash != NULL) {
		char *end;

		*slash = '\0';
		plen = strtol(slash + 1, &end, 10);
		if (*end != '\0' || end == slash + 1)
			plen = -2;
	}
	memset(&n->a, 0, sizeof(n->a));
	n->kind = NODE_CIDR;
	if (inet_pton(AF_INET, buf, v4) == 1) {
		if (plen == -1)
			plen = 32;
		if (plen < 0 || plen > 32)
			goto bad;
		n->a.b[10] = n->a.b[11] = 0xff;
		memcpy(n->a.b + 12, v4, 4);
		n->plen = (uint16_t)(96 + plen);
	} else if (inet_pton(AF_INET6, buf, n->a.b) == 1) {
		if (plen == -1)
			plen = 128;
		if (plen < 0 || plen > 128)
			goto bad;
		n->plen = (uint16_t)plen;
	} else
		goto bad;
	return 0;
bad:
	return rule_fail(c->ctx, RULE_REJ_BAD_VAR, "bad address \"%s\"", tok);
}

static int
parse_port_token(struct lcur *c, struct rule_node *n, const char *tok)
{
	const char *colon = strchr(tok, ':');
	char *end;
	long lo = 0, hi = 65535;

	n->kind = NODE_PORTS;
	if (colon == NULL) {
		lo = strtol(tok, &end, 10);
		if (end == tok || *end != '\0')
			goto bad;
		hi = lo;
	} else {
		if (colon != tok) {
			lo = strtol(tok, &end, 10);
			if (end != colon)
				goto bad;
		}
		if (colon[1] != '\0') {
			hi = strtol(colon + 1, &end, 10);
			if (end == colon + 1 || *end != '\0')
				goto bad;
		}
	}
	if (lo < 0 || hi > 65535 || lo > hi)
		goto bad;
	n->lo = (uint16_t)lo;
	n->hi = (uint16_t)hi;
	return 0;
bad:
	return rule_fail(c->ctx, RULE_REJ_BAD_VAR, "bad port \"%s\"", tok);
}

static int
parse_var(struct lcur *c, struct rule_node *n)
{
	char name[64];
	size_t i = 0;
	const char *val, *save;
	int rv;

	c->s++; /* '$' */
	while (isalnum((unsigned char)*c->s) || *c->s == '_') {
		if (i + 1 < sizeof(name))
			name[i++] = *c->s;
		c->s++;
	}
	name[i] = '\0';
	val = rule_vars_get(c->ctx->vars, name);
	if (val == NULL)
		return rule_fail(
		    c->ctx, RULE_REJ_BAD_VAR, "undefined variable $%s", name);
	if (c->depth >= RULE_VAR_DEPTH)
		return rule_fail(c->ctx, RULE_REJ_BAD_VAR,
		    "variables nested too deep at $%s", name);
	save = c->s;
	c->s = val;
	c->depth++;
	rv = parse_item(c, n);
	skip_ws(c);
	if (rv == 0 && *c->s != '\0')
		rv = rule_fail(c->ctx, RULE_REJ_BAD_VAR,
		    "trailing text in $%s: \"%s\"", name, c->s);
	c->depth--;
	c->s = save;
	return rv;
}

static int
parse_list(struct lcur *c, struct rule_node *n)
{
	size_t cap = 4;

	c->s++; /* '[' */
	n->kind = NODE_LIST;
	n->kids = xcalloc(cap, sizeof(*n->kids));
	for (;;) {
		skip_ws(c);
		if (*c->s == ']' && n->nkids == 0)
			return rule_fail(
			    c->ctx, RULE_REJ_BAD_VAR, "empty list []");
		if (n->nkids == RULE_LIST_MAX)
			return rule_fail(c->ctx, RULE_REJ_BAD_VAR,
			    "list over %d entries", RULE_LIST_MAX);
		if (n->nkids == cap) {
			n->kids =
			    xreallocarray(n->kids, cap * 2, sizeof(*n->kids));
			memset(n->kids + cap, 0, cap * sizeof(*n->kids));
			cap *= 2;
		}
		if (parse_item(c, &n->kids[n->nkids++]) == -1)
			return -1;
		skip_ws(c);
		if (*c->s == ',') {
			c->s++;
			continue;
		}
		if (*c->s == ']') {
			c->s++;
			return 0;
		}
		return rule_fail(c->ctx, RULE_REJ_SYNTAX,
		    "expected ',' or ']' in list at \"%.20s\"", c->s);
	}
}

static int
parse_item(struct lcur *c, struct rule_node *n)
{
	char tok[80];
	size_t i = 0;

	skip_ws(c);
	if (*c->s == '!') {
		c->s++;
		if (parse_item(c, n) == -1)
			return -1;
		n->neg = !n->neg;
		return 0;
	}
	if (*c->s == '[')
		return parse_list(c, n);
	if (*c->s == '$')
		return parse_var(c, n);
	while (*c->s != '\0' && *c->s != ',' && *c->s != ']' && *c->s != ' ' &&
	    *c->s != '\t' && *c->s != '[' && *c->s != '!') {
		if (i + 1 < sizeof(tok))
			tok[i++] = *c->s;
		c->s++;
	}
	tok[i] = '\0';
	if (i == 0)
		return rule_fail(c->ctx, RULE_REJ_SYNTAX, "empty %s",
		    c->ports ? "port" : "address");
	if (strcasecmp(tok, "any") == 0) {
		n->kind = NODE_ANY;
		return 0;
	}
	return c->ports ? parse_port_token(c, n, tok) :
			  parse_addr_token(c, n, tok);
}

static int
parse_field(
    struct parse_ctx *ctx, struct rule_node *n, const char *text, int ports)
{
	struct lcur c = { ctx, text, 0, ports };

	if (parse_item(&c, n) == -1)
		return -1;
	skip_ws(&c);
	if (*c.s != '\0')
		return rule_fail(ctx, RULE_REJ_SYNTAX,
		    "trailing text in %s \"%s\"", ports ? "port" : "address",
		    text);
	return 0;
}

/* Split the header into words; brackets may hold spaces. */
static int
split_header(char *s, char **w, int max)
{
	int n = 0, depth = 0;

	while (*s != '\0') {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			break;
		if (n == max)
			return -1;
		w[n++] = s;
		while (*s != '\0' && (depth > 0 || (*s != ' ' && *s != '\t'))) {
			if (*s == '[')
				depth++;
			else if (*s == ']' && depth > 0)
				depth--;
			s++;
		}
		if (*s != '\0')
			*s++ = '\0';
	}
	return n;
}

int
rule_parse_header(struct parse_ctx *ctx, struct rule *r, const char *hdr)
{
	char *copy = xstrdup(hdr), *w[8];
	int n, rv = -1;
	size_t i;

	n = split_header(copy, w, 8);
	if (n != 7) {
		rule_fail(ctx, RULE_REJ_SYNTAX,
		    "header needs 7 fields (action proto src sport dir dst "
		    "dport), got %d",
		    n);
		goto out;
	}
	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (strcmp(w[0], actions[i]) == 0)
			break;
	if (i == sizeof(actions) / sizeof(actions[0])) {
		rule_fail(ctx,
		    strcmp(w[0], "pass") == 0 ? RULE_REJ_UNSUPPORTED :
						RULE_REJ_SYNTAX,
		    "unsupported action \"%s\"", w[0]);
		goto out;
	}
	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (strcasecmp(w[1], protos[i].name) == 0)
			break;
	if (i == sizeof(protos) / sizeof(protos[0])) {
		rule_fail(ctx, RULE_REJ_UNSUPPORTED,
		    "unsupported protocol \"%s\"", w[1]);
		goto out;
	}
	r->proto = (uint8_t)protos[i].proto;
	if (protos[i].domain == RULESET_LOG)
		r->kwflags |= RULE_F_LOGKW;
	else if (protos[i].domain == RULESET_PACKET)
		r->kwflags |= RULE_F_PKTKW;
	if (strcmp(w[4], "->") == 0)
		r->bidir = 0;
	else if (strcmp(w[4], "<>") == 0)
		r->bidir = 1;
	else {
		rule_fail(ctx, RULE_REJ_SYNTAX,
		    "direction must be -> or <>, not \"%s\"", w[4]);
		goto out;
	}
	if (parse_field(ctx, &r->src, w[2], 0) == -1 ||
	    parse_field(ctx, &r->sport, w[3], 1) == -1 ||
	    parse_field(ctx, &r->dst, w[5], 0) == -1 ||
	    parse_field(ctx, &r->dport, w[6], 1) == -1)
		goto out;
	rv = 0;
out:
	free(copy);
	return rv;
}

void
rule_node_free(struct rule_node *n)
{
	for (size_t i = 0; i < n->nkids; i++)
		rule_node_free(&n->kids[i]);
	free(n->kids);
	n->kids = NULL;
	n->nkids = 0;
}

static int
cidr_contains(const struct rule_node *n, const struct addr *a)
{
	int full = n->plen / 8, rem = n->plen % 8;

	if (memcmp(n->a.b, a->b, (size_t)full) != 0)
		return 0;
	if (rem == 0)
		return 1;
	return ((n->a.b[full] ^ a->b[full]) & (0xff << (8 - rem)) & 0xff) == 0;
}

/* Without the node's own negation. */
static int
inner_match(
    const struct rule_node *n, const struct addr *a, uint16_t port, int ports)
{
	int haspos = 0, pos = 0;

	switch (n->kind) {
	case NODE_ANY:
		return 1;
	case NODE_CIDR:
		return a != NULL && cidr_contains(n, a);
	case NODE_PORTS:
		return port >= n->lo && port <= n->hi;
	default:
		break;
	}
	for (size_t i = 0; i < n->nkids; i++) {
		const struct rule_node *k = &n->kids[i];

		if (k->neg) {
			if (inner_match(k, a, port, ports))
				return 0;
		} else {
			haspos = 1;
			if (!pos && inner_match(k, a, port, ports))
				pos = 1;
		}
	}
	return haspos ? pos : 1;
}

int
rule_node_match_addr(const struct rule_node *n, const struct addr *a)
{
	if (a == NULL)
		return n->kind == NODE_ANY && !n->neg;
	return n->neg ? !inner_match(n, a, 0, 0) : inner_match(n, a, 0, 0);
}

int
rule_node_match_port(const struct rule_node *n, uint16_t port)
{
	return n->neg ? !inner_match(n, NULL, port, 1) :
			inner_match(n, NULL, port, 1);
}

int
rule_match_header(const struct rule *r, const struct addr *src, uint16_t sport,
    const struct addr *dst, uint16_t dport)
{
	if (rule_node_match_addr(&r->src, src) &&
	    rule_node_match_port(&r->sport, sport) &&
	    rule_node_match_addr(&r->dst, dst) &&
	    rule_node_match_port(&r->dport, dport))
		return 1;
	if (!r->bidir)
		return 0;
	return rule_node_match_addr(&r->src, dst) &&
	    rule_node_match_port(&r->sport, dport) &&
	    rule_node_match_addr(&r->dst, src) &&
	    rule_node_match_port(&r->dport, sport);
}
