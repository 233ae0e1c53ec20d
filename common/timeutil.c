/*
 * timeutil.c — UTC storage, JST display, and the timestamp forms syslog
 * senders use.  See timeutil.h.  Civil-date arithmetic is Howard Hinnant's
 * days_from_civil algorithm, written out here; nothing depends on the
 * process's TZ or locale.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/timeutil.h"

static const char *months[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

int64_t
time_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * TIME_US_PER_SEC + ts.tv_nsec / 1000;
}

int64_t
time_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * TIME_US_PER_SEC + ts.tv_nsec / 1000;
}

int64_t
time_days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
time_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Split us (shifted by tzoff seconds) into civil fields. */
struct civil {
	int y, mo, d, h, mi, s, us;
};

static int64_t
floordiv(int64_t a, int64_t b)
{
	return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

static void
civil_from_us(int64_t us, int tzoff, struct civil *c)
{
	int64_t secs, days, sod;

	us += (int64_t)tzoff * TIME_US_PER_SEC;
	secs = floordiv(us, TIME_US_PER_SEC);
	c->us = (int)(us - secs * TIME_US_PER_SEC);
	days = floordiv(secs, 86400);
	sod = secs - days * 86400;
	time_civil_from_days(days, &c->y, &c->mo, &c->d);
	c->h = (int)(sod / 3600);
	c->mi = (int)(sod / 60 % 60);
	c->s = (int)(sod % 60);
}

static int64_t
us_from_civil(
    int y, int mo, int d, int h, int mi, int s, int64_t frac_us, int tzoff)
{
	int64_t days = time_days_from_civil(y, mo, d);

	return ((days * 86400 + h * 3600 + mi * 60 + s) - tzoff) *
	    TIME_US_PER_SEC +
	    frac_us;
}

static size_t
fmt_result(int n, size_t len)
{
	return (n < 0 || (size_t)n >= len) ? 0 : (size_t)n;
}

size_t
time_fmt_jst(int64_t us, char *out, size_t len)
{
	struct civil c;

	civil_from_us(us, TIME_JST_OFFSET, &c);
	return fmt_result(snprintf(out, len, "%04d-%02d-%02d %02d:%02d JST",
			      c.y, c.mo, c.d, c.h, c.mi),
	    len);
}

size_t
time_fmt_jst_sec(int64_t us, char *out, size_t len)
{
	struct civil c;

	civil_from_us(us, TIME_JST_OFFSET, &c);
	return fmt_result(
	    snprintf(out, len, "%04d-%02d-%02d %02d:%02d:%02d JST", c.y, c.mo,
		c.d, c.h, c.mi, c.s),
	    len);
}

size_t
time_fmt_rfc3339(int64_t us, char *out, size_t len)
{
	struct civil c;

	civil_from_us(us, 0, &c);
	return fmt_result(
	    snprintf(out, len, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", c.y, c.mo,
		c.d, c.h, c.mi, c.s, c.us),
	    len);
}

size_t
time_fmt_day(int64_t us, int tzoff, char *out, size_t len)
{
	struct civil c;

	civil_from_us(us, tzoff, &c);
	return fmt_result(
	    snprintf(out, len, "%04d-%02d-%02d", c.y, c.mo, c.d), len);
}

/* Era start dates (first day of each era, JST). */
static const struct {
	const char *name;
	int y, m, d;
} eras[] = {
	{ "令和", 2019, 5, 1 },
	{ "平成", 1989, 1, 8 },
	{ "昭和", 1926, 12, 25 },
	{ "大正", 1912, 7, 30 },
	{ "明治", 1868, 1, 25 },
};

size_t
time_fmt_wareki(int64_t us, char *out, size_t len)
{
	struct civil c;
	size_t i;
	int64_t day;

	civil_from_us(us, TIME_JST_OFFSET, &c);
	day = time_days_from_civil(c.y, c.mo, c.d);
	for (i = 0; i < sizeof(eras) / sizeof(eras[0]); i++) {
		int ey = c.y - eras[i].y + 1;

		if (day < time_days_from_civil(eras[i].y, eras[i].m, eras[i].d))
			continue;
		if (ey == 1)
			return fmt_result(snprintf(out, len, "%s元年%d月%d日",
					      eras[i].name, c.mo, c.d),
			    len);
		return fmt_result(snprintf(out, len, "%s%d年%d月%d日",
				      eras[i].name, ey, c.mo, c.d),
		    len);
	}
	return fmt_result(
	    snprintf(out, len, "%d年%d月%d日", c.y, c.mo, c.d), len);
}

/* Read exactly n digits at s[*i]; advance *i. */
static int
digits(const char *s, size_t len, size_t *i, int n, int *out)
{
	int v = 0;

	if (*i + (size_t)n > len)
		return -1;
	for (int k = 0; k < n; k++) {
		char ch = s[*i + (size_t)k];

		if (ch < '0' || ch > '9')
			return -1;
		v = v * 10 + (ch - '0');
	}
	*i += (size_t)n;
	*out = v;
	return 0;
}

static int
valid_civil(int y, int mo, int d, int h, int mi, int s)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
		30, 31 };

	if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
	    d > mdays[mo - 1] || h > 23 || mi > 59 || s > 60)
		return 0;
	if (mo == 2 && d == 29 &&
	    !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 0;
	return 1;
}

/* Fraction after '.': up to 9 digits, returned in microseconds. */
static int64_t
fraction(const char *s, size_t len, size_t *i)
{
	int64_t us = 0, scale = 100000;
	size_t start = *i;

	while (*i < len && s[*i] >= '0' && s[*i] <= '9') {
		if (*i - start < 6) {
			us += (s[*i] - '0') * scale;
			scale /= 10;
		}
		(*i)++;
		if (*i - start > 9)
			return -1;
	}
	return *i == start ? -1 : us;
}

int
time_parse_rfc3339(const char *s, size_t len, int64_t *us, size_t *used)
{
	int y, mo, d, h, mi, sec, oh, om, tz = 0;
	size_t i = 0;
	int64_t frac = 0;

	if (digits(s, len, &i, 4, &y) || i >= len || s[i++] != '-' ||
	    digits(s, len, &i, 2, &mo) || i >= len || s[i++] != '-' ||
	    digits(s, len, &i, 2, &d) || i >= len ||
	    (s[i] != 'T' && s[i] != 't' && s[i] != ' '))
		return -1;
	i++;
	if (digits(s, len, &i, 2, &h) || i >= len || s[i++] != ':' ||
	    digits(s, len, &i, 2, &mi) || i >= len || s[i++] != ':' ||
	    digits(s, len, &i, 2, &sec))
		return -1;
	if (i < len && s[i] == '.') {
		i++;
		if ((frac = fraction(s, len, &i)) < 0)
			return -1;
	}
	if (i >= len)
		return -1;
	if (s[i] == 'Z' || s[i] == 'z') {
		i++;
	} else if (s[i] == '+' || s[i] == '-') {
		int sign = s[i] == '-' ? -1 : 1;

		i++;
		if (digits(s, len, &i, 2, &oh) || i >= len || s[i++] != ':' ||
		    digits(s, len, &i, 2, &om) || oh > 23 || om > 59)
			return -1;
		tz = sign * (oh * 3600 + om * 60);
	} else {
		return -1;
	}
	if (!valid_civil(y, mo, d, h, mi, sec))
		return -1;
	*us = us_from_civil(y, mo, d, h, mi, sec > 59 ? 59 : sec, frac, tz);
	*used = i;
	return 0;
}

static int
month_index(const char *s, size_t len, size_t i)
{
	if (i + 3 > len)
		return -1;
	for (int m = 0; m < 12; m++)
		if (strncasecmp(s + i, months[m], 3) == 0)
			return m + 1;
	return -1;
}

/* The year for month/day that puts the stamp nearest ref (in zone tzoff). */
static int
nearest_year(int mo, int d, int h, int mi, int sec, int64_t ref_us, int tzoff)
{
	struct civil c;
	int best = 0;
	int64_t bestdist = -1;

	civil_from_us(ref_us, tzoff, &c);
	for (int y = c.y - 1; y <= c.y + 1; y++) {
		int64_t t, dist;

		if (!valid_civil(y, mo, d, h, mi, sec))
			continue;
		t = us_from_civil(y, mo, d, h, mi, sec, 0, tzoff);
		dist = t > ref_us ? t - ref_us : ref_us - t;
		if (bestdist < 0 || dist < bestdist) {
			bestdist = dist;
			best = y;
		}
	}
	return best;
}

/* "Mmm dd hh:mm:ss" (day space- or zero-padded, or one digit). */
static int
parse_mdhms(const char *s, size_t len, size_t *ip, int *mo, int *d, int *h,
    int *mi, int *sec, int *year)
{
	size_t i = *ip;

	if ((*mo = month_index(s, len, i)) < 0)
		return -1;
	i += 3;
	if (i >= len || s[i] != ' ')
		return -1;
	while (i < len && s[i] == ' ')
		i++;
	if (i < len && s[i] >= '0' && s[i] <= '9' && i + 1 < len &&
	    s[i + 1] >= '0' && s[i + 1] <= '9') {
		if (digits(s, len, &i, 2, d))
			return -1;
	} else if (digits(s, len, &i, 1, d)) {
		return -1;
	}
	if (i >= len || s[i++] != ' ')
		return -1;
	*year = 0;
	/* Cisco "Mmm dd yyyy hh:mm:ss" */
	if (i + 5 <= len && s[i + 4] == ' ' && s[i + 2] != ':') {
		if (digits(s, len, &i, 4, year) || s[i++] != ' ')
			return -1;
	}
	if (digits(s, len, &i, 2, h) || i >= len || s[i++] != ':' ||
	    digits(s, len, &i, 2, mi) || i >= len || s[i++] != ':' ||
	    digits(s, len, &i, 2, sec))
		return -1;
	*ip = i;
	return 0;
}

int
time_parse_bsd(const char *s, size_t len, int64_t ref_us, int tzoff,
    int64_t *us, size_t *used)
{
	int mo, d, h, mi, sec, y;
	size_t i = 0;

	if (parse_mdhms(s, len, &i, &mo, &d, &h, &mi, &sec, &y) || y != 0)
		return -1;
	if (sec > 59)
		sec = 59;
	if ((y = nearest_year(mo, d, h, mi, sec, ref_us, tzoff)) == 0)
		return -1;
	*us = us_from_civil(y, mo, d, h, mi, sec, 0, tzoff);
	*used = i;
	return 0;
}

int
time_parse_cisco(const char *s, size_t len, int64_t ref_us, int tzoff,
    int64_t *us, size_t *used)
{
	int mo, d, h, mi, sec, y;
	int64_t frac = 0;
	size_t i = 0;

	if (i < len && (s[i] == '*' || s[i] == '.'))
		i++;
	if (parse_mdhms(s, len, &i, &mo, &d, &h, &mi, &sec, &y))
		return -1;
	if (i < len && s[i] == '.') {
		i++;
		if ((frac = fraction(s, len, &i)) < 0)
			return -1;
	}
	if (i + 1 < len && s[i] == ' ' && s[i + 1] >= 'A' && s[i + 1] <= 'Z') {
		size_t j = i + 1, n;

		while (j < len && s[j] >= 'A' && s[j] <= 'Z')
			j++;
		n = j - (i + 1);
		if (n >= 2 && n <= 5 &&
		    (j == len || s[j] == ':' || s[j] == ' ')) {
			if (n == 3 && strncmp(s + i + 1, "JST", 3) == 0)
				tzoff = TIME_JST_OFFSET;
			else if ((n == 3 &&
				     strncmp(s + i + 1, "UTC", 3) == 0) ||
			    (n == 3 && strncmp(s + i + 1, "GMT", 3) == 0))
				tzoff = 0;
			i = j;
		}
	}
	if (i < len && s[i] == ':')
		i++;
	if (sec > 59)
		sec = 59;
	if (y == 0)
		y = nearest_year(mo, d, h, mi, sec, ref_us, tzoff);
	if (y == 0 || !valid_civil(y, mo, d, h, mi, sec))
		return -1;
	*us = us_from_civil(y, mo, d, h, mi, sec, frac, tzoff);
	*used = i;
	return 0;
}

int
time_parse_arg(const char *s, int64_t *us)
{
	size_t len = strlen(s), i = 0, used;
	int y, mo, d, h = 0, mi = 0, sec = 0;

	if (time_parse_rfc3339(s, len, us, &used) == 0 && used == len)
		return 0;
	if (digits(s, len, &i, 4, &y) || i >= len || s[i++] != '-' ||
	    digits(s, len, &i, 2, &mo) || i >= len || s[i++] != '-' ||
	    digits(s, len, &i, 2, &d))
		return -1;
	if (i < len) {
		if (s[i] != 'T' && s[i] != ' ')
			return -1;
		i++;
		if (digits(s, len, &i, 2, &h) || i >= len || s[i++] != ':' ||
		    digits(s, len, &i, 2, &mi))
			return -1;
		if (i < len && (s[i++] != ':' || digits(s, len, &i, 2, &sec)))
			return -1;
		if (i != len)
			return -1;
	}
	if (!valid_civil(y, mo, d, h, mi, sec))
		return -1;
	*us = us_from_civil(y, mo, d, h, mi, sec, 0, TIME_JST_OFFSET);
	return 0;
}

int
time_parse_tzoff(const char *s, int *tzoff)
{
	size_t i = 1, len = strlen(s);
	int h, m;

	if (strcmp(s, "UTC") == 0 || strcmp(s, "GMT") == 0 ||
	    strcmp(s, "Z") == 0) {
		*tzoff = 0;
		return 0;
	}
	if (strcmp(s, "JST") == 0 || strcmp(s, "Asia/Tokyo") == 0) {
		*tzoff = TIME_JST_OFFSET;
		return 0;
	}
	if (len != 6 || (s[0] != '+' && s[0] != '-') ||
	    digits(s, len, &i, 2, &h) || s[i++] != ':' ||
	    digits(s, len, &i, 2, &m) || h > 14 || m > 59)
		return -1;
	*tzoff = (s[0] == '-' ? -1 : 1) * (h * 3600 + m * 60);
	return 0;
}
