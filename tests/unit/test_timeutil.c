/*
 * test_timeutil.c — UTC storage and JST display; the syslog timestamp
 * forms, including the year boundary of year-less stamps.
 */
#include "config.h"

#include <string.h>

#include "common/timeutil.h"
#include "tests/tap.h"

static int64_t
utc(int y, int mo, int d, int h, int mi, int s)
{
	return (time_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
		   s) *
	    TIME_US_PER_SEC;
}

int
main(void)
{
	char out[64];
	int64_t us, ref;
	size_t used;
	int y, m, d, tz;

	is_int(time_days_from_civil(1970, 1, 1), 0, "epoch day 0");
	is_int(time_days_from_civil(2000, 3, 1), 11017, "2000-03-01");
	for (int64_t day = -1000; day < 30000; day += 7) {
		time_civil_from_days(day, &y, &m, &d);
		if (time_days_from_civil(y, m, d) != day) {
			ok(0, "civil round trip at day %lld", (long long)day);
			break;
		}
	}
	ok(1, "civil round trip over 85 years");

	us = utc(2026, 11, 22, 8, 53, 26) + 123456;
	time_fmt_jst(us, out, sizeof(out));
	is_str(out, "2026-11-22 17:53 JST", "JST display");
	time_fmt_rfc3339(us, out, sizeof(out));
	is_str(out, "2026-11-22T08:53:26.123456Z", "RFC 3339 UTC");
	time_fmt_jst(utc(2026, 12, 31, 15, 0, 0), out, sizeof(out));
	is_str(out, "2027-01-01 00:00 JST", "JST crosses the date line");
	time_fmt_wareki(utc(2026, 11, 22, 0, 0, 0), out, sizeof(out));
	is_str(out, "令和8年11月22日", "和暦 令和8年");
	time_fmt_wareki(utc(2019, 5, 1, 0, 0, 0), out, sizeof(out));
	is_str(out, "令和元年5月1日", "令和元年");
	time_fmt_wareki(utc(2019, 4, 30, 0, 0, 0), out, sizeof(out));
	is_str(out, "平成31年4月30日", "平成31年");
	ok(time_fmt_jst(us, out, 5) == 0, "too-small buffer returns 0");

	ok(time_parse_rfc3339(
	       "2026-11-22T17:53:26.5+09:00 x", 29, &us, &used) == 0,
	    "RFC 3339 with offset");
	is_int(us, utc(2026, 11, 22, 8, 53, 26) + 500000, "offset applied");
	is_int(used, 27, "consumed the stamp only");
	ok(time_parse_rfc3339("2003-10-11T22:14:15.003Z", 24, &us, &used) == 0,
	    "RFC 5424 example stamp");
	is_int(us, utc(2003, 10, 11, 22, 14, 15) + 3000, "value");
	ok(time_parse_rfc3339("2026-02-30T00:00:00Z", 20, &us, &used) == -1,
	    "Feb 30 rejected");
	ok(time_parse_rfc3339("2026-11-22T17:53:26", 19, &us, &used) == -1,
	    "missing zone rejected");
	ok(time_parse_rfc3339(
	       "2026-11-22T17:53:26.1234567890Z", 31, &us, &used) == -1,
	    "10 fraction digits rejected");

	ref = utc(2026, 11, 22, 9, 0, 0);
	ok(time_parse_bsd("Nov 22 17:53:26 host", 20, ref, TIME_JST_OFFSET, &us,
	       &used) == 0,
	    "BSD stamp");
	is_int(us, utc(2026, 11, 22, 8, 53, 26), "read in JST");
	is_int(used, 15, "consumed 15");
	ok(time_parse_bsd("Nov  2 01:02:03", 15, ref, 0, &us, &used) == 0,
	    "space-padded day");
	is_int(us, utc(2026, 11, 2, 1, 2, 3), "read in UTC");
	/* Year boundary: received just after midnight on Jan 1 (JST). */
	ref = utc(2026, 12, 31, 15, 0, 1); /* 2027-01-01 00:00:01 JST */
	ok(time_parse_bsd(
	       "Dec 31 23:59:59", 15, ref, TIME_JST_OFFSET, &us, &used) == 0,
	    "Dec 31 stamp received on Jan 1");
	is_int(us, utc(2026, 12, 31, 14, 59, 59), "stays in the old year");
	ref = utc(2026, 12, 31, 14, 59, 58); /* 2026-12-31 23:59:58 JST */
	ok(time_parse_bsd(
	       "Jan  1 00:00:02", 15, ref, TIME_JST_OFFSET, &us, &used) == 0,
	    "Jan 1 stamp from a fast clock on Dec 31");
	is_int(us, utc(2026, 12, 31, 15, 0, 2), "goes to the new year");
	ok(time_parse_bsd("Feb 29 00:00:00", 15, utc(2026, 6, 1, 0, 0, 0), 0,
	       &us, &used) == -1,
	    "Feb 29 in a non-leap year rejected");
	ok(time_parse_bsd("Foo 22 17:53:26", 15, ref, 0, &us, &used) == -1,
	    "bad month rejected");

	ref = utc(2026, 3, 1, 0, 0, 0);
	ok(time_parse_cisco("*Mar  1 18:46:11.123 UTC: %SYS", 30, ref,
	       TIME_JST_OFFSET, &us, &used) == 0,
	    "Cisco *stamp with ms and zone");
	is_int(us, utc(2026, 3, 1, 18, 46, 11) + 123000, "zone name wins");
	is_int(used, 25, "trailing colon consumed");
	ok(time_parse_cisco("Mar 1 2025 18:46:11", 19, ref, 0, &us, &used) == 0,
	    "Cisco stamp with year");
	is_int(us, utc(2025, 3, 1, 18, 46, 11), "explicit year kept");

	ok(time_parse_arg("2026-11-01", &us) == 0, "date argument");
	is_int(us, utc(2026, 10, 31, 15, 0, 0), "midnight JST");
	ok(time_parse_arg("2026-11-01 09:30", &us) == 0, "date-time argument");
	is_int(us, utc(2026, 11, 1, 0, 30, 0), "09:30 JST");
	ok(time_parse_arg("2026-13-01", &us) == -1, "month 13 rejected");
	ok(time_parse_tzoff("+09:00", &tz) == 0 && tz == 32400, "+09:00");
	ok(time_parse_tzoff("-05:30", &tz) == 0 && tz == -19800, "-05:30");
	ok(time_parse_tzoff("Asia/Tokyo", &tz) == 0 && tz == 32400,
	    "Asia/Tokyo");
	ok(time_parse_tzoff("+9", &tz) == -1, "+9 rejected");
	return done_testing();
}
