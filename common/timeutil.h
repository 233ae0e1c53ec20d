/*
 * timeutil.h — time as the appliance keeps it.
 *
 * Every timestamp is stored as microseconds since the Unix epoch, UTC
 * (int64_t "us").  It is shown in JST (UTC+9, no daylight saving) as
 * "YYYY-MM-DD HH:mm JST".  The parsers read the forms syslog senders use:
 * RFC 3339 (RFC 5424), the BSD "Mmm dd hh:mm:ss" of RFC 3164 without a year,
 * and Cisco's "*Mmm dd [yyyy ]hh:mm:ss[.mmm][ TZ]".  Year-less forms take
 * their year from a reference time (normally the receive time), choosing the
 * year that puts the stamp nearest the reference, so a Dec 31 23:59:59 line
 * received at Jan 1 00:00:01 lands in the old year.
 */
#ifndef SC_TIMEUTIL_H
#define SC_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

#define TIME_JST_OFFSET (9 * 3600) /* seconds east of UTC */
#define TIME_US_PER_SEC 1000000LL

int64_t time_now_us(void); /* CLOCK_REALTIME */
int64_t time_mono_us(void); /* CLOCK_MONOTONIC */

/* Days since 1970-01-01 for a proleptic Gregorian date, and back. */
int64_t time_days_from_civil(int y, int m, int d);
void time_civil_from_days(int64_t days, int *y, int *m, int *d);

/*
 * Formatting; each writes a NUL-terminated string into out (size >= 32 is
 * always enough) and returns its length, or 0 if out is too small.
 *   time_fmt_jst:     "2026-11-22 17:53 JST"
 *   time_fmt_jst_sec: "2026-11-22 17:53:26 JST"
 *   time_fmt_rfc3339: "2026-11-22T08:53:26.123456Z" (UTC)
 *   time_fmt_wareki:  "令和8年11月22日" (JST date, era from 明治 on)
 *   time_fmt_day:     "2026-11-22" for the JST day (archive segment names)
 */
size_t time_fmt_jst(int64_t us, char *out, size_t len);
size_t time_fmt_jst_sec(int64_t us, char *out, size_t len);
size_t time_fmt_rfc3339(int64_t us, char *out, size_t len);
size_t time_fmt_wareki(int64_t us, char *out, size_t len);
size_t time_fmt_day(int64_t us, int tzoff, char *out, size_t len);

/*
 * Parsers.  Each reads from s (not NUL-terminated; at most len bytes),
 * stores the instant in *us and the bytes consumed in *used, and returns 0;
 * or returns -1 and leaves both alone.
 *   time_parse_rfc3339: "2026-11-22T17:53:26.123+09:00", "...Z"; fraction
 *                       up to 9 digits (truncated to us).
 *   time_parse_bsd:     "Nov 22 17:53:26" and "Nov  2 ...", read in the zone
 *                       tzoff (seconds east of UTC); year from ref_us.
 *   time_parse_cisco:   "*Nov 22 17:53:26.123 JST", "Nov 22 2026 17:53:26",
 *                       with optional leading '*' or '.', optional year,
 *                       milliseconds and zone name (UTC/GMT/JST known; other
 *                       names read as tzoff).  A trailing ':' is consumed.
 */
int time_parse_rfc3339(const char *s, size_t len, int64_t *us, size_t *used);
int time_parse_bsd(const char *s, size_t len, int64_t ref_us, int tzoff,
    int64_t *us, size_t *used);
int time_parse_cisco(const char *s, size_t len, int64_t ref_us, int tzoff,
    int64_t *us, size_t *used);

/*
 * For command lines and reports: "2026-11-22" (midnight JST),
 * "2026-11-22T17:53:26" or "2026-11-22 17:53" (JST), or full RFC 3339.
 * Returns 0 or -1.
 */
int time_parse_arg(const char *s, int64_t *us);
/* "+09:00", "-05:30", "UTC", "JST", "Asia/Tokyo" -> seconds east of UTC. */
int time_parse_tzoff(const char *s, int *tzoff);

#endif
