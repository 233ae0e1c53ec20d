/*
 * match_log.c — one log message against a log ruleset: a Hyperscan scan
 * of the message names candidate rules, the unfiltered rules are added,
 * and each candidate is confirmed (program, facility, level, contents,
 * pcre, meta_content), given its addresses (Sagan's parse_src_ip: N is the
 * Nth address in the message, else the sending host), checked against its
 * header, and passed through the correlator.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>

#include "rules/rules_int.h"

static int
program_ok(const struct rule *r, const struct rule_logmsg *m)
{
	char prog[256];
	size_t n;

	if (r->nprograms == 0)
		return 1;
	if (m->program == NULL)
		return 0;
	n = m->programlen < sizeof(prog) - 1 ? m->programlen : sizeof(prog) - 1;
	memcpy(prog, m->program, n);
	prog[n] = '\0';
	for (size_t i = 0; i < r->nprograms; i++)
		if (rule_glob_match(r->programs[i], prog, n))
			return 1;
	return 0;
}

static int
meta_ok(const struct rule *r, const struct rule_logmsg *m)
{
	for (size_t i = 0; i < r->nmetas; i++) {
		const struct rule_meta_content *mc = &r->metas[i];
		int found = 0;

		for (size_t j = 0; j < mc->nvalues && !found; j++) {
			const char *v = mc->values[j];
			size_t vl = strlen(v);

			if (mc->flags & META_NOCASE) {
				for (size_t p = 0; p + vl <= m->msglen; p++)
					if (strncasecmp(m->msg + p, v, vl) ==
					    0) {
						found = 1;
						break;
					}
			} else
				found =
				    memmem(m->msg, m->msglen, v, vl) != NULL;
		}
		if (found == !!(mc->flags & META_NEG))
			return 0;
	}
	return 1;
}

static int
is_ipchar(int c)
{
	return isxdigit(c) || c == '.' || c == ':';
}

/*
 * The nth (1-based) IPv4 or IPv6 address in the text, with the port that
 * follows it (":N", "#N", " port N") if any.  Returns 1 if found.
 */
int
rule_find_addr(
    const char *s, size_t len, int nth, struct addr *out, uint16_t *port)
{
	size_t i = 0;
	int found = 0;

	while (i < len) {
		size_t j, n;
		char tok[64];
		uint8_t v4[4];

		if (!is_ipchar((unsigned char)s[i]) ||
		    (i > 0 &&
			(isalnum((unsigned char)s[i - 1]) || s[i - 1] == '_' ||
			    s[i - 1] == '-'))) {
			i++;
			continue;
		}
		for (j = i; j < len && is_ipchar((unsigned char)s[j]); j++)
			;
		n = j - i;
		while (n > 0 && (s[i + n - 1] == '.' || s[i + n - 1] == ':'))
			n--;
		if (n >= 7 && n < sizeof(tok) &&
		    !(j < len &&
			(isalnum((unsigned char)s[j]) || s[j] == '_'))) {
			int ok = 0;

			memcpy(tok, s + i, n);
			tok[n] = '\0';
			memset(out, 0, sizeof(*out));
			if (inet_pton(AF_INET, tok, v4) == 1) {
				out->b[10] = out->b[11] = 0xff;
				memcpy(out->b + 12, v4, 4);
				ok = 1;
			} else if (strchr(tok, ':') != strrchr(tok, ':') &&
			    inet_pton(AF_INET6, tok, out->b) == 1)
				ok = 1;
			else {
				/* "1.2.3.4:22" reads as one token */
				char *c = strrchr(tok, ':');

				if (c != NULL) {
					*c = '\0';
					if (inet_pton(AF_INET, tok, v4) == 1) {
						out->b[10] = out->b[11] = 0xff;
						memcpy(out->b + 12, v4, 4);
						ok = 1;
						n = (size_t)(c - tok);
					}
				}
			}
			if (ok && ++found == nth) {
				size_t p = i + n;
				unsigned long v = 0;
				size_t d = 0;

				*port = 0;
				if (p < len && (s[p] == ':' || s[p] == '#'))
					p++;
				else if (p + 6 <= len &&
				    strncmp(s + p, " port ", 6) == 0)
					p += 6;
				else
					return 1;
				while (p < len &&
				    isdigit((unsigned char)s[p]) && d < 6) {
					v = v * 10 +
					    (unsigned long)(s[p] - '0');
					p++;
					d++;
				}
				if (d > 0 && v <= 65535)
					*port = (uint16_t)v;
				return 1;
			}
		}
		i = j;
	}
	return 0;
}

/* A user name after the usual words ("for invalid user X", "user=X",
 * "for X from"), copied into out. */
static const char *
find_user(const char *s, size_t len, char *out, size_t outlen)
{
	static const char *const keys[] = { "invalid user ", "user=", "user ",
		"USER=", "for ", "account " };

	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		size_t kl = strlen(keys[k]);
		const char *p = memmem(s, len, keys[k], kl);
		size_t n = 0;

		if (p == NULL)
			continue;
		p += kl;
		while (p + n < s + len && n + 1 < outlen &&
		    (isalnum((unsigned char)p[n]) || strchr("._-@$\\", p[n])))
			n++;
		if (n == 0)
			continue;
		memcpy(out, p, n);
		out[n] = '\0';
		return out;
	}
	return NULL;
}

static int
addresses(const struct rule *r, const struct rule_logmsg *m, struct rule_hit *h)
{
	uint16_t port = 0;

	memset(&h->src, 0, sizeof(h->src));
	memset(&h->dst, 0, sizeof(h->dst));
	h->has_src = h->has_dst = 0;
	h->sport = h->dport = 0;
	if (r->parse_src > 0 &&
	    rule_find_addr(m->msg, m->msglen, r->parse_src, &h->src, &port)) {
		h->has_src = 1;
		if (r->parse_port)
			h->sport = port;
	} else if (m->host != NULL) {
		h->src = *m->host;
		h->has_src = 1;
	}
	if (r->parse_dst > 0 &&
	    rule_find_addr(m->msg, m->msglen, r->parse_dst, &h->dst, &port)) {
		h->has_dst = 1;
		if (r->parse_port)
			h->dport = port;
	} else if (m->host != NULL) {
		h->dst = *m->host;
		h->has_dst = 1;
	}
	return rule_match_header(r, h->has_src ? &h->src : NULL, h->sport,
	    h->has_dst ? &h->dst : NULL, h->dport);
}

static int
confirm_log(
    const struct rule *r, struct rule_scratch *s, const struct rule_logmsg *m)
{
	if (r->facility >= 0 && r->facility != m->facility)
		return 0;
	if (r->level >= 0 && r->level != m->level)
		return 0;
	if (!program_ok(r, m))
		return 0;
	if (rule_confirm_elems(r, s, RULE_BUF_PAYLOAD, (const uint8_t *)m->msg,
		m->msglen) != 1)
		return 0;
	return meta_ok(r, m);
}

int
ruleset_match_log(const struct ruleset *rs, struct rule_scratch *s,
    struct correlator *corr, const struct rule_logmsg *m, rule_hit_cb cb,
    void *ctx)
{
	int hits = 0;

	if (s == NULL || s->rs != rs || m->msg == NULL)
		return -1;
	rule_scratch_reset(s);
	if (rule_scratch_scan(
		s, RULE_BUF_PAYLOAD, (const uint8_t *)m->msg, m->msglen) == -1)
		return -1;
	for (size_t i = 0; i < rs->nunf_log; i++)
		rule_scratch_add(s, rs->unf_log[i]->idx);
	rule_scratch_sort(s);
	for (size_t i = 0; i < s->ncand; i++) {
		const struct rule *r = rs->rules[s->cand[i]];
		struct rule_hit h;

		if (!r->is_log || !confirm_log(r, s, m))
			continue;
		memset(&h, 0, sizeof(h));
		h.rule = r;
		if (!addresses(r, m, &h))
			continue;
		h.username =
		    find_user(m->msg, m->msglen, s->user, sizeof(s->user));
		if (corr != NULL &&
		    !correlator_decide(corr, r, &h, m->dantai, m->recv_us))
			continue;
		if (corr == NULL && r->nxbits > 0) {
			int cond = 0;

			for (size_t j = 0; j < r->nxbits; j++)
				if (r->xbits[j].op == XB_ISSET ||
				    r->xbits[j].op == XB_ISNOTSET)
					cond = 1;
			if (cond)
				continue;
		}
		if (corr == NULL) {
			h.group_count = 1;
			h.group_first_us = h.group_last_us = m->recv_us;
			h.group_new = 1;
		}
		hits++;
		if (cb != NULL && cb(ctx, &h) != 0)
			break;
	}
	rule_scratch_reset(s);
	return hits;
}
