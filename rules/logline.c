/*
 * logline.c — reads one line of a log file into a struct rule_logmsg for
 * `seccloud rules test` and the benchmarks: RFC 3164 ("<PRI>Mmm dd
 * hh:mm:ss host tag[pid]: msg", PRI optional), RFC 5424, or Sagan's FIFO
 * format ("host|facility|priority|level|tag|date|time|program|msg").
 * Year-less BSD stamps are read in JST, the zone of the appliance.
 * The collector has the real parsers; this is the rule author's reader.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "common/timeutil.h"
#include "rules/rules_int.h"

static int
parse_ip(const char *s, size_t n, struct addr *a)
{
	char tmp[64];
	uint8_t v4[4];

	if (n == 0 || n >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, tmp, v4) == 1) {
		a->b[10] = a->b[11] = 0xff;
		memcpy(a->b + 12, v4, 4);
		return 0;
	}
	return inet_pton(AF_INET6, tmp, a->b) == 1 ? 0 : -1;
}

static const char *
field(const char **p, const char *end, size_t *n)
{
	const char *s = *p, *bar = memchr(s, '|', (size_t)(end - s));

	if (bar == NULL)
		return NULL;
	*n = (size_t)(bar - s);
	*p = bar + 1;
	return s;
}

static int
parse_sagan(const char *s, size_t len, struct rule_logline *out)
{
	const char *p = s, *end = s + len, *f[8];
	size_t n[8];
	char name[32];

	for (int i = 0; i < 8; i++)
		if ((f[i] = field(&p, end, &n[i])) == NULL)
			return -1;
	if (parse_ip(f[0], n[0], &out->host) == -1)
		return -1;
	out->m.host = &out->host;
	out->m.facility = -1;
	out->m.level = -1;
	if (n[1] < sizeof(name)) {
		memcpy(name, f[1], n[1]);
		name[n[1]] = '\0';
		out->m.facility = rule_facility_code(name);
	}
	if (n[3] < sizeof(name)) {
		memcpy(name, f[3], n[3]);
		name[n[3]] = '\0';
		out->m.level = rule_level_code(name);
	}
	out->m.program = f[7];
	out->m.programlen = n[7];
	out->m.msg = p;
	out->m.msglen = (size_t)(end - p);
	return 0;
}

/* "tag[pid]: msg" or "tag: msg"; without a tag the rest is the message. */
static void
parse_tag(const char *p, const char *end, struct rule_logline *out)
{
	const char *t = p;

	while (t < end && *t != ':' && *t != '[' && *t != ' ')
		t++;
	out->m.msg = p;
	out->m.msglen = (size_t)(end - p);
	if (t == p)
		return;
	out->m.program = p;
	out->m.programlen = (size_t)(t - p);
	if (t < end && *t == '[') {
		const char *c = memchr(t, ']', (size_t)(end - t));

		t = c != NULL ? c + 1 : end;
	}
	if (t < end && *t == ':') {
		t++;
		if (t < end && *t == ' ')
			t++;
		out->m.msg = t;
		out->m.msglen = (size_t)(end - t);
	} else {
		/* "host key=value ..." (FortiGate): no tag */
		out->m.program = NULL;
		out->m.programlen = 0;
	}
}

static const char *
word(const char **p, const char *end, size_t *n)
{
	const char *s = *p, *e;

	while (s < end && *s == ' ')
		s++;
	e = s;
	while (e < end && *e != ' ')
		e++;
	*n = (size_t)(e - s);
	*p = e < end ? e + 1 : e;
	return s;
}

static int
parse_syslog(
    const char *s, size_t len, int64_t ref_us, struct rule_logline *out)
{
	const char *p = s, *end = s + len, *h;
	size_t used, hn;
	int64_t us;

	if (p < end && *p == '<') {
		int pri = 0, d = 0;

		p++;
		while (p < end && isdigit((unsigned char)*p) && d < 3) {
			pri = pri * 10 + (*p++ - '0');
			d++;
		}
		if (p >= end || *p != '>' || d == 0 || pri > 191)
			return -1;
		p++;
		out->m.facility = pri / 8;
		out->m.level = pri % 8;
	}
	if (end - p > 2 && p[0] == '1' && p[1] == ' ') {
		/* RFC 5424: VERSION TS HOST APP PROCID MSGID SD MSG */
		const char *ts, *app, *sd;
		size_t tn, an, pn, mn;

		p += 2;
		ts = word(&p, end, &tn);
		if (time_parse_rfc3339(ts, tn, &us, &used) == 0)
			out->ts_us = us;
		h = word(&p, end, &hn);
		app = word(&p, end, &an);
		(void)word(&p, end, &pn);
		(void)word(&p, end, &mn);
		if (p < end && *p == '[') {
			sd = memchr(p, ']', (size_t)(end - p));
			p = sd != NULL ? sd + 1 : end;
			if (p < end && *p == ' ')
				p++;
		} else
			(void)word(&p, end, &mn);
		if (an != 1 || *app != '-') {
			out->m.program = app;
			out->m.programlen = an;
		}
		out->m.msg = p;
		out->m.msglen = (size_t)(end - p);
	} else {
		if (time_parse_bsd(p, (size_t)(end - p), ref_us,
			TIME_JST_OFFSET, &us, &used) == 0 ||
		    time_parse_rfc3339(p, (size_t)(end - p), &us, &used) == 0) {
			out->ts_us = us;
			p += used;
		}
		h = word(&p, end, &hn);
		parse_tag(p, end, out);
	}
	if (parse_ip(h, hn, &out->host) == 0)
		out->m.host = &out->host;
	return 0;
}

int
rule_logline_parse(
    const char *s, size_t len, int64_t ref_us, struct rule_logline *out)
{
	size_t bars = 0;

	memset(out, 0, sizeof(*out));
	out->m.facility = out->m.level = -1;
	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	for (size_t i = 0; i < len && bars < 8; i++)
		if (s[i] == '|')
			bars++;
	if (bars == 8 && parse_sagan(s, len, out) == 0)
		return 0;
	memset(out, 0, sizeof(*out));
	out->m.facility = out->m.level = -1;
	return parse_syslog(s, len, ref_us, out);
}
