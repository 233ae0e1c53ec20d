/*
 * parse_rfc3164.c — BSD syslog (RFC 3164) as real devices send it:
 *
 *   <PRI>Mmm dd hh:mm:ss HOST TAG[PID]: MSG            the textbook form
 *   Mmm dd hh:mm:ss HOST TAG: MSG                      no PRI (local relays)
 *   <PRI>Mmm dd hh:mm:ss TAG: MSG                      no HOST
 *   <PRI>SEQ: [HOST: ]*Mmm dd hh:mm:ss.mmm JST: %FAC-SEV-MNEMONIC: MSG
 *                                                      Cisco IOS
 *   <PRI>Mmm dd yyyy hh:mm:ss [HOST ]: %ASA-s-nnnnnn: MSG   Cisco ASA
 *   <PRI>2026-11-22T17:53:26+09:00 HOST TAG: MSG        rsyslog high precision
 *   <PRI>date=... time=... devname="..." srcip=...     FortiGate key=value
 *   <PRI>Mmm dd hh:mm:ss HOST 1,2026/11/22 ...,TRAFFIC,...  PAN-OS (no tag)
 *
 * Year-less stamps are read in the configured zone (JST unless told), with
 * the year nearest the receive time (timeutil.h handles Dec 31 / Jan 1).
 * A frame with neither a PRI nor a timestamp is not syslog: -1.
 */
#include "config.h"

#include <string.h>

#include "collector/collector.h"
#include "common/timeutil.h"

int parse_pri(const char *s, size_t len, size_t *i, int *pri);

#define BSD_STAMP_LEN 15 /* "Nov 22 17:53:26" */

static int
hostchar(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' ||
	    c == ':';
}

static int
tagchar(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' ||
	    c == '/' || c == '%' || c == '@';
}

/* Skip a Cisco sequence number "123: " (or "000123: "). */
static void
cisco_seq(const char *s, size_t len, size_t *i)
{
	size_t j = *i;

	while (j < len && s[j] >= '0' && s[j] <= '9' && j - *i < 12)
		j++;
	if (j > *i && j + 1 < len && s[j] == ':' && s[j + 1] == ' ')
		*i = j + 2;
}

/*
 * After a BSD stamp, does Cisco's tail follow (".mmm", ":", " JST:")?
 * Only then is the stamp read as Cisco's, so a short upper-case HOST after
 * a plain stamp ("Nov 22 17:53:26 FW01 ...") is not taken for a zone.
 */
static int
cisco_tail(const char *s, size_t len, size_t k)
{
	size_t j;

	if (k < len && (s[k] == '.' || s[k] == ':'))
		return 1;
	if (k >= len || s[k] != ' ')
		return 0;
	for (j = k + 1; j < len && s[j] >= 'A' && s[j] <= 'Z'; j++)
		;
	return j - k - 1 >= 2 && j - k - 1 <= 5 && j < len && s[j] == ':';
}

/*
 * A flood of lines from one sender repeats the same "Mmm dd hh:mm:ss"
 * for a whole second: remember the last one per thread (the year choice
 * depends on the receive time, so the cache is per hour of it).
 */
struct bsd_cache {
	char stamp[BSD_STAMP_LEN];
	int tzoff;
	int64_t ref_hour;
	int64_t us;
	size_t used;
	int valid;
};
static __thread struct bsd_cache bsd_cache;

static int
bsd_cached(const char *s, size_t len, int64_t ref_us, int tzoff, int64_t *us,
    size_t *used)
{
	struct bsd_cache *c = &bsd_cache;
	int64_t hour = ref_us / (3600 * TIME_US_PER_SEC);

	if (len >= BSD_STAMP_LEN && c->valid && c->tzoff == tzoff &&
	    c->ref_hour == hour && memcmp(c->stamp, s, BSD_STAMP_LEN) == 0) {
		*us = c->us;
		*used = c->used;
		return 0;
	}
	if (time_parse_bsd(s, len, ref_us, tzoff, us, used) != 0)
		return -1;
	if (len >= BSD_STAMP_LEN && *used == BSD_STAMP_LEN) {
		memcpy(c->stamp, s, BSD_STAMP_LEN);
		c->tzoff = tzoff;
		c->ref_hour = hour;
		c->us = *us;
		c->used = *used;
		c->valid = 1;
	}
	return 0;
}

static int
timestamp(struct sc_event *ev, const char *s, size_t len, size_t *i, int tzoff)
{
	size_t used;

	if (bsd_cached(
		s + *i, len - *i, ev->recv_us, tzoff, &ev->ts_us, &used) == 0 &&
	    !cisco_tail(s, len, *i + used)) {
		*i += used;
		while (*i < len && s[*i] == ' ')
			(*i)++;
		return 0;
	}
	if (time_parse_rfc3339(s + *i, len - *i, &ev->ts_us, &used) == 0 ||
	    time_parse_cisco(
		s + *i, len - *i, ev->recv_us, tzoff, &ev->ts_us, &used) == 0) {
		*i += used;
		while (*i < len && s[*i] == ' ')
			(*i)++;
		return 0;
	}
	return -1;
}

/* FortiGate: the body is key=value pairs starting with date= */
static int
fortigate(struct sc_event *ev, const char *s, size_t len, size_t i, int tzoff)
{
	struct sc_kv_view kv;
	const char *d, *t, *v;
	size_t dl = 0, tl = 0, vl = 0, used;
	char buf[64];

	if (len - i < 5 || memcmp(s + i, "date=", 5) != 0 ||
	    kv_parse(s + i, len - i, &kv) < 2)
		return -1;
	if ((v = kv_get(&kv, "devname", &vl)) != NULL) {
		ev->host = v;
		ev->hostlen = vl;
	} else
		ev->flags |= SC_EV_NO_HOST;
	if ((v = kv_get(&kv, "tz", &vl)) != NULL && vl == 5 &&
	    (v[0] == '+' || v[0] == '-')) {
		int h = (v[1] - '0') * 10 + (v[2] - '0');
		int m = (v[3] - '0') * 10 + (v[4] - '0');

		if (h >= 0 && h <= 14 && m >= 0 && m < 60)
			tzoff = (v[0] == '-' ? -1 : 1) * (h * 3600 + m * 60);
	}
	d = kv_get(&kv, "date", &dl);
	t = kv_get(&kv, "time", &tl);
	if (d != NULL && t != NULL && dl == 10 && tl == 8) {
		int64_t us;

		/* "2026-11-22T17:53:26+09:00" */
		memcpy(buf, d, 10);
		buf[10] = 'T';
		memcpy(buf + 11, t, 8);
		buf[19] = tzoff < 0 ? '-' : '+';
		int a = tzoff < 0 ? -tzoff : tzoff;
		buf[20] = '0' + (a / 36000) % 10;
		buf[21] = '0' + (a / 3600) % 10;
		buf[22] = ':';
		buf[23] = '0' + (a % 3600 / 60) / 10;
		buf[24] = '0' + (a % 3600 / 60) % 10;
		if (time_parse_rfc3339(buf, 25, &us, &used) == 0 && used == 25)
			ev->ts_us = us;
		else
			ev->flags |= SC_EV_NO_TIME;
	} else
		ev->flags |= SC_EV_NO_TIME;
	ev->app = "fortigate"; /* static: the body names no program */
	ev->applen = 9;
	ev->msg = s + i;
	ev->msglen = len - i;
	return 0;
}

/* TAG[PID]: or TAG: or TAG<TAB> (Windows forwarders).  0, or -1: no tag. */
static int
tag(struct sc_event *ev, const char *s, size_t len, size_t *i)
{
	size_t j = *i, t0 = *i;

	while (j < len && j - t0 < 64 && tagchar((unsigned char)s[j]))
		j++;
	if (j == t0 || j >= len)
		return -1;
	if (s[j] == '[') {
		size_t p0 = j + 1, k = p0;

		while (k < len && s[k] != ']' && k - p0 < 32 &&
		    (unsigned char)s[k] > 32)
			k++;
		if (k >= len || s[k] != ']')
			return -1;
		ev->procid = s + p0;
		ev->procidlen = k - p0;
		ev->app = s + t0;
		ev->applen = j - t0;
		j = k + 1;
		if (j < len && s[j] == ':')
			j++;
	} else if (s[j] == ':' || s[j] == '\t') {
		ev->app = s + t0;
		ev->applen = j - t0;
		j++;
	} else
		return -1;
	if (j < len && s[j] == ' ')
		j++;
	*i = j;
	return 0;
}

int
parse_rfc3164(struct sc_event *ev, int tzoff)
{
	const char *s = (const char *)ev->raw;
	size_t len = ev->rawlen, i = 0, h0, h1;
	int pri = -1, have_time;

	parse_reset(ev);
	if (parse_pri(s, len, &i, &pri) == 0) {
		ev->pri = pri;
		ev->facility = pri / 8;
		ev->severity = pri % 8;
	} else {
		i = 0;
		ev->flags |= SC_EV_NO_PRI;
	}
	if (fortigate(ev, s, len, i, tzoff) == 0)
		goto done;
	cisco_seq(s, len, &i);
	have_time = timestamp(ev, s, len, &i, tzoff) == 0;
	if (!have_time) {
		/* IOS "logging origin-id": "SEQ: HOST: *Nov 22 ..." */
		size_t j = i;

		while (j < len && hostchar((unsigned char)s[j]) && s[j] != ':')
			j++;
		if (j > i && j + 1 < len && s[j] == ':' && s[j + 1] == ' ') {
			size_t k = j + 2;

			if (timestamp(ev, s, len, &k, tzoff) == 0) {
				ev->host = s + i;
				ev->hostlen = j - i;
				i = k;
				have_time = 1;
			}
		}
	}
	if (!have_time) {
		if (pri < 0)
			goto bad;
		ev->flags |= SC_EV_NO_TIME;
	}
	if (ev->hostlen == 0) {
		/* HOST is a token followed by a space that is not a tag. */
		h0 = i;
		while (i < len && hostchar((unsigned char)s[i]))
			i++;
		h1 = i;
		if (h1 > h0 && h1 < len && s[h1] == ' ' && s[h1 - 1] != ':' &&
		    have_time) {
			ev->host = s + h0;
			ev->hostlen = h1 - h0;
			i = h1 + 1;
			/* ASA: "HOST : %ASA-..." */
			if (i + 1 < len && s[i] == ':' && s[i + 1] == ' ')
				i += 2;
		} else {
			i = h0;
			ev->flags |= SC_EV_NO_HOST;
		}
	}
	if (tag(ev, s, len, &i) != 0) {
		ev->app = ev->procid = "";
		ev->applen = ev->procidlen = 0;
	}
	ev->msg = s + i;
	ev->msglen = len - i;
done:
	ev->flags |= SC_EV_RFC3164;
	return 0;
bad:
	parse_reset(ev);
	return -1;
}
