/*
 * parse_rfc5424.c — RFC 5424 syslog messages:
 *
 *   <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD [SP MSG]
 *
 * NILVALUE ("-") gives an empty field; structured data is checked for its
 * grammar ([id param="value" ...], with \" \\ \] escapes) and kept whole as
 * a view; a UTF-8 BOM at the start of MSG is skipped in the msg view (the
 * raw frame keeps it).  Zero-copy: every field points into ev->raw.
 */
#include "config.h"

#include <string.h>

#include "collector/collector.h"
#include "common/timeutil.h"

/* PRI as "<0>".."<191>", no leading zeros except "<0>". 0 or -1. */
int parse_pri(const char *s, size_t len, size_t *i, int *pri);

int
parse_pri(const char *s, size_t len, size_t *i, int *pri)
{
	size_t j = *i;
	int v = 0, nd = 0;

	if (j >= len || s[j] != '<')
		return -1;
	j++;
	while (j < len && s[j] >= '0' && s[j] <= '9' && nd < 4) {
		v = v * 10 + (s[j] - '0');
		j++;
		nd++;
	}
	if (nd == 0 || nd > 3 || j >= len || s[j] != '>' || v > 191)
		return -1;
	if (nd > 1 && s[*i + 1] == '0')
		return -1;
	*pri = v;
	*i = j + 1;
	return 0;
}

/* A header field: up to the next space, 1..max printable US-ASCII bytes. */
static int
field(const char *s, size_t len, size_t *i, size_t max, const char **f,
    size_t *flen)
{
	size_t j = *i;

	while (j < len && s[j] != ' ') {
		if ((unsigned char)s[j] < 33 || (unsigned char)s[j] > 126)
			return -1;
		j++;
	}
	if (j == *i || j - *i > max || j >= len)
		return -1;
	if (j - *i == 1 && s[*i] == '-') {
		*f = s + *i;
		*flen = 0;
	} else {
		*f = s + *i;
		*flen = j - *i;
	}
	*i = j + 1;
	return 0;
}

/* SD-NAME: 1..32 printable US-ASCII except = SP ] " */
static size_t
sd_name(const char *s, size_t len, size_t i)
{
	size_t j = i;

	while (j < len && j - i < 32) {
		unsigned char c = (unsigned char)s[j];

		if (c < 33 || c > 126 || c == '=' || c == ']' || c == '"')
			break;
		j++;
	}
	return j - i;
}

static int
structured_data(const char *s, size_t len, size_t *i)
{
	size_t j = *i, n;

	if (j < len && s[j] == '-') {
		*i = j + 1;
		return 0;
	}
	if (j >= len || s[j] != '[')
		return -1;
	while (j < len && s[j] == '[') {
		j++;
		if ((n = sd_name(s, len, j)) == 0)
			return -1;
		j += n;
		while (j < len && s[j] == ' ') {
			j++;
			if ((n = sd_name(s, len, j)) == 0)
				return -1;
			j += n;
			if (j + 1 >= len || s[j] != '=' || s[j + 1] != '"')
				return -1;
			j += 2;
			while (j < len && s[j] != '"') {
				if (s[j] == '\\' && j + 1 < len)
					j++;
				j++;
			}
			if (j >= len)
				return -1;
			j++;
		}
		if (j >= len || s[j] != ']')
			return -1;
		j++;
	}
	*i = j;
	return 0;
}

int
parse_rfc5424(struct sc_event *ev)
{
	const char *s = (const char *)ev->raw;
	size_t len = ev->rawlen, i = 0, used, sd0;
	const char *ts;
	size_t tslen;
	int pri;

	parse_reset(ev);
	if (parse_pri(s, len, &i, &pri) || i + 1 >= len || s[i] != '1' ||
	    s[i + 1] != ' ')
		goto bad;
	i += 2;
	if (field(s, len, &i, 64, &ts, &tslen))
		goto bad;
	if (tslen > 0) {
		if (time_parse_rfc3339(ts, tslen, &ev->ts_us, &used) ||
		    used != tslen)
			goto bad;
	} else
		ev->flags |= SC_EV_NO_TIME;
	if (field(s, len, &i, 255, &ev->host, &ev->hostlen) ||
	    field(s, len, &i, 48, &ev->app, &ev->applen) ||
	    field(s, len, &i, 128, &ev->procid, &ev->procidlen) ||
	    field(s, len, &i, 32, &ev->msgid, &ev->msgidlen))
		goto bad;
	if (ev->hostlen == 0)
		ev->flags |= SC_EV_NO_HOST;
	sd0 = i;
	if (structured_data(s, len, &i))
		goto bad;
	if (s[sd0] == '[') {
		ev->sd = s + sd0;
		ev->sdlen = i - sd0;
	}
	if (i < len) {
		if (s[i] != ' ')
			goto bad;
		i++;
	}
	if (len - i >= 3 && memcmp(s + i, "\xef\xbb\xbf", 3) == 0)
		i += 3;
	ev->msg = s + i;
	ev->msglen = len - i;
	ev->pri = pri;
	ev->facility = pri / 8;
	ev->severity = pri % 8;
	ev->flags |= SC_EV_RFC5424;
	return 0;
bad:
	parse_reset(ev);
	return -1;
}
