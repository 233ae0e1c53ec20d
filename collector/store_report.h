/*
 * store_report.h — read-only queries that fill the report model of
 * policies/policy.h (struct report_monthly, struct report_audit) from the
 * store.  Every query is a prepared statement bound to the 団体 and the
 * period [from, to) in UTC microseconds; a monthly report only ever reads
 * rows whose muni is the report's 団体.
 *
 * The strings and arrays the report borrows belong to a struct store_rpt,
 * which must outlive the rendering: store_rpt_free() releases them all.
 * Sections the store does not hold are left as they were (the policy parts
 * filled by cmd_report.c) or marked unknown — never invented.
 */
#ifndef SC_STORE_REPORT_H
#define SC_STORE_REPORT_H

#include <stddef.h>
#include <stdint.h>

struct store;
struct report_monthly;
struct report_audit;

/* What the filled report borrows (strings, arrays). */
struct store_rpt;
struct store_rpt *store_rpt_new(void);
void store_rpt_free(struct store_rpt *); /* NULL is a no-op */

/*
 * Fill the store parts of a monthly report of r->muni_code for
 * [r->from_us, r->to_us): by_sev, by_use_case, incidents (with the triage
 * and notification timeline), sep (GL-SEP-* findings), sources (the
 * 団体's sources seen by the store: messages, coverage, silences, skew)
 * and archive (the verification record; "not recorded" when there is
 * none).  Returns 0, or -1 (logged) on a store error.
 */
int store_report_monthly(
    struct store *, struct store_rpt *, struct report_monthly *r);

/*
 * Fill the store parts of the audit pack for [a->from_us, a->to_us):
 * inventory (every source, first/last seen, messages in the period),
 * timesync (per source skew statistics), users, logins (audit_log
 * login/login_failed/logout), changes, sep (prefecture-wide) and archive.
 * Returns 0, or -1 (logged).
 */
int store_report_audit(
    struct store *, struct store_rpt *, struct report_audit *a);

/*
 * The retention achieved for alerts: in rows (n of them, as filled by
 * report_retention_from_policy), the row "alerts" gets achieved_s = at -
 * the oldest alert kept (of muni; NULL: all).  Other rows are left as they
 * are: events and the archive live outside the store.  0, or -1 (logged).
 */
struct report_retention;
int store_report_retention(struct store *, const char *muni, int64_t at_us,
    struct report_retention *rows, size_t n);

/* Skew thresholds of the time-sync statistics (DOMAIN.md GL-LOG-03). */
#define STORE_SKEW_WARN_MS 2000
#define STORE_SKEW_CRIT_MS 60000

#endif
