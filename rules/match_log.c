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
#include <stdlib.h>
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

/*
 * The message in ASCII lower case (as Sagan's meta_nocase compares), made
 * at most once per message; NULL when it cannot be allocated.
 */
static const char *
lowered(struct rule_scratch *s, const struct rule_logmsg *m)
{
	if (s->lower_of == m->msg)
		return s->lower;
	if (m->msglen + 1 > s->lowercap) {
		size_t cap = m->msglen + 1 > 1024 ? m->msglen + 1 : 1024;
		char *p = realloc(s->lower, cap);

		if (p == NULL)
			return NULL;
		s->lower = p;
		s->lowercap = cap;
	}
	for (size_t i = 0; i < m->msglen; i++) {
		char c = m->msg[i];

		s->lower[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	s->lower[m->msglen] = '\0';
	s->lower_of = m->msg;
	return s->lower;
}

static int
meta_ok(
    const struct rule *r, struct rule_scratch *s, const struct rule_logmsg *m)
{
	for (size_t i = 0; i < r->nmetas; i++) {
		const struct rule_meta_content *mc = &r->metas[i];
		const char *text = m->msg;
		int found = 0;

		if (mc->flags & META_NOCASE) {
			/* values were folded when the rule was read */
			text = lowered(s, m);
			if (text == NULL)
				return 0;
		}
		for (size_t j = 0; j < mc->nvalues && !found; j++) {
			const char *v = mc->values[j];

			found = memmem(text, m->msglen, v, strlen(v)) != NULL;
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

static size_t
user_token(const char *p, const char *end, char *out, size_t outlen)
{
	size_t n = 0;

	while (p < end && (*p == ' ' || *p == '\t' || *p == '<'))
		p++;
	while (p + n < end && n + 1 < outlen &&
	    (isalnum((unsigned char)p[n]) || strchr("._-@$\\", p[n]) != NULL))
		n++;
	if (n == 1 && p[0] == '-')
		return 0; /* Windows "-": no account */
	memcpy(out, p, n);
	out[n] = '\0';
	return n;
}

/*
 * A user name after the usual words of sshd, PAM, dovecot, postfix and
 * Windows ("for invalid user X", "user=<X>", "sasl_username=X",
 * "Account Name: X" — the last one, which is the target account).
 */
static const char *
find_user(const char *s, size_t len, char *out, size_t outlen)
{
	static const char *const keys[] = { "invalid user ",
		"sasl_username=", "user=", "ruser=", "for user ",
		"password for ", "publickey for ", "logname=", "USER=", "user ",
		"from=<", "for " };
	const char *end = s + len, *p, *last = NULL;

	for (p = s;
	     (p = memmem(p, (size_t)(end - p), "Account Name:", 13)) != NULL;
	     p += 13)
		last = p + 13;
	if (last != NULL && user_token(last, end, out, outlen) > 0)
		return out;
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		size_t kl = strlen(keys[k]);

		p = memmem(s, len, keys[k], kl);
		if (p != NULL && user_token(p + kl, end, out, outlen) > 0)
			return out;
	}
	return NULL;
}

/*
 * after ... sum KEY: the number in "KEY=N" or KEY="N", where KEY starts
 * the message or follows a character that cannot be part of a key (so
 * "sentbyte" is not read out of "xsentbyte").  0 if absent; saturates.
 */
static uint64_t
find_amount(const char *s, size_t len, const char *key)
{
	size_t kl = strlen(key);
	const char *end = s + len, *p = s;

	while ((p = memmem(p, (size_t)(end - p), key, kl)) != NULL) {
		const char *q = p + kl;
		uint64_t v = 0;

		if ((p == s ||
			!(isalnum((unsigned char)p[-1]) || p[-1] == '_' ||
			    p[-1] == '-')) &&
		    q < end && *q == '=') {
			q++;
			if (q < end && *q == '"')
				q++;
			if (q < end && isdigit((unsigned char)*q)) {
				for (; q < end && isdigit((unsigned char)*q);
				     q++)
					v = v > (UINT64_MAX - 9) / 10 ?
					    UINT64_MAX :
					    v * 10 + (uint64_t)(*q - '0');
				return v;
			}
		}
		p += kl;
	}
	return 0;
}

/* Sagan treats a parsed loopback address as "none": the host is used. */
static int
is_loopback(const struct addr *a)
{
	static const uint8_t v4lo[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff,
		0xff, 127, 0, 0, 1 };
	static const uint8_t v6lo[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 1 };

	return memcmp(a->b, v4lo, 16) == 0 || memcmp(a->b, v6lo, 16) == 0;
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
	    rule_find_addr(m->msg, m->msglen, r->parse_src, &h->src, &port) &&
	    !is_loopback(&h->src)) {
		h->has_src = 1;
		if (r->parse_port)
			h->sport = port;
	} else if (m->host != NULL) {
		h->src = *m->host;
		h->has_src = 1;
	}
	if (r->parse_dst > 0 &&
	    rule_find_addr(m->msg, m->msglen, r->parse_dst, &h->dst, &port) &&
	    !is_loopback(&h->dst)) {
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

/* alert_time: is the receive time (JST) inside the rule's window? */
static int
time_ok(const struct rule *r, int64_t recv_us)
{
	int64_t secs = recv_us / 1000000 + 9 * 3600, days;
	int wday, now, prev;

	if (r->at_days == 0)
		return 1;
	days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
	wday = (int)(((days % 7) + 7 + 4) % 7); /* 1970-01-01 was a Thursday */
	now = (int)((secs - days * 86400) / 3600 * 100 +
	    (secs - days * 86400) % 3600 / 60);
	prev = (wday + 6) % 7;
	if (r->at_start <= r->at_end)
		return (r->at_days & (1u << wday)) && now >= r->at_start &&
		    now <= r->at_end;
	/* past midnight: the evening of a listed day or the morning after */
	return ((r->at_days & (1u << wday)) && now >= r->at_start) ||
	    ((r->at_days & (1u << prev)) && now <= r->at_end);
}

static int
confirm_log(
    const struct rule *r, struct rule_scratch *s, const struct rule_logmsg *m)
{
	if (r->facility >= 0 && r->facility != m->facility)
		return 0;
	if (r->level >= 0 && r->level != m->level)
		return 0;
	if (!program_ok(r, m) || !time_ok(r, m->recv_us))
		return 0;
	if (rule_confirm_elems(r, s, RULE_BUF_PAYLOAD, (const uint8_t *)m->msg,
		m->msglen) != 1)
		return 0;
	return meta_ok(r, s, m);
}

/* Confirm and correlate one candidate: 1 fired, 0 not, -1 stop. */
static int
fire_log(const struct rule *r, struct rule_scratch *s, struct correlator *corr,
    const struct rule_logmsg *m, rule_hit_cb cb, void *ctx)
{
	struct rule_hit h;

	if (!r->is_log || !confirm_log(r, s, m))
		return 0;
	memset(&h, 0, sizeof(h));
	h.rule = r;
	if (!addresses(r, m, &h))
		return 0;
	h.username = find_user(m->msg, m->msglen, s->user, sizeof(s->user));
	if (r->after.sum_key[0] != '\0')
		h.amount = find_amount(m->msg, m->msglen, r->after.sum_key);
	if (corr != NULL) {
		if (!correlator_decide(corr, r, &h, m->dantai, m->recv_us))
			return 0;
	} else {
		/* no state: xbit conditions are false, the rest fires */
		for (size_t j = 0; j < r->nxbits; j++)
			if (r->xbits[j].op == XB_ISSET ||
			    r->xbits[j].op == XB_ISNOTSET)
				return 0;
		h.group_count = 1;
		h.group_first_us = h.group_last_us = m->recv_us;
		h.group_new = 1;
	}
	if (cb != NULL && cb(ctx, &h) != 0)
		return -1;
	return 1;
}

/* Rules without a literal, prefiltered on this message's program. */
static int
add_by_program(const struct ruleset *rs, struct rule_scratch *s,
    const struct rule_logmsg *m)
{
	if (m->program == NULL || rs->progdb == NULL)
		return 0;
	if (hs_scan(rs->progdb, m->program,
		(unsigned)(m->programlen < UINT32_MAX ? m->programlen : 0), 0,
		s->hs, rule_scratch_on_match, s) != HS_SUCCESS)
		return -1;
	return 0;
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
	s->lower_of = NULL; /* a new message, even at the same address */
	if (rule_scratch_scan(
		s, RULE_BUF_PAYLOAD, (const uint8_t *)m->msg, m->msglen) == -1)
		return -1;
	if (add_by_program(rs, s, m) == -1) {
		rule_scratch_reset(s);
		return -1;
	}
	rule_scratch_sort(s);
	/* Merge the sorted candidates with the sorted generic unfiltered
	 * list (disjoint sets), so rules fire in rule order. */
	for (size_t i = 0, u = 0; i < s->ncand || u < rs->nunf_log;) {
		const struct rule *r;
		int rv;

		if (u == rs->nunf_log ||
		    (i < s->ncand && s->cand[i] < rs->unf_log[u]->idx))
			r = rs->rules[s->cand[i++]];
		else
			r = rs->unf_log[u++];
		rv = fire_log(r, s, corr, m, cb, ctx);
		if (rv < 0) { /* fired, and the callback said stop */
			hits++;
			break;
		}
		hits += rv;
	}
	rule_scratch_reset(s);
	return hits;
}
