/*
 * report.c — the web view's reports: the monthly report of one 団体 and the
 * audit evidence pack, filled from the policy this process holds (loaded at
 * start, reloaded on SIGHUP) and the store's report queries
 * (collector/store_report.h), then rendered by the same renderers as
 * `seccloud report` (report_monthly_render / report_audit_render).
 *
 * The assembly is policies/report_build.c, the same as the CLI's, so the
 * screen and `seccloud report` cannot disagree.
 * Tenant scope is applied in the 団体 lookup itself: a municipal user's
 * lookup of any code but their own finds nothing, and the store queries
 * are bound to the 団体 that lookup returned.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/store_report.h"
#include "common/timeutil.h"
#include "policies/policy.h"
#include "policies/report_build.h"
#include "web/web_int.h"

const struct policy_muni *
web_report_muni(const struct policy *p, const char *scope, const char *code)
{
	if (p == NULL || code == NULL || !policy_muni_code_valid(code))
		return NULL;
	if (scope != NULL && strcmp(scope, code) != 0)
		return NULL;
	return policy_muni_by_code(p, code);
}

void
web_report_free(struct web_report *wr)
{
	if (wr == NULL)
		return;
	report_build_free(&wr->b);
	policy_unref(wr->p);
	wr->p = NULL;
}

static int
web_rc(int rc)
{
	if (rc == REPORT_BUILD_BAD)
		return WEB_REPORT_BAD;
	return rc == 0 ? 0 : WEB_REPORT_ERROR;
}

int
web_report_monthly(struct store *st, struct policy *p, const char *scope,
    const char *code, const char *month, struct web_report *wr)
{
	const struct policy_muni *m;
	int64_t from, to;
	int y, mo;

	memset(wr, 0, sizeof(*wr));
	wr->b.kind = REPORT_BUILD_MONTHLY;
	if ((wr->p = p) == NULL)
		return WEB_REPORT_NOPOLICY;
	/* a malformed month is 400 before an unknown 団体 is 404 */
	if (month == NULL || report_month_range(month, &y, &mo, &from, &to))
		return WEB_REPORT_BAD;
	if ((m = web_report_muni(wr->p, scope, code)) == NULL)
		return WEB_REPORT_NOTFOUND;
	return web_rc(report_build_monthly(&wr->b, wr->p, m, st, month));
}

int
web_report_audit(struct store *st, struct policy *p, const char *from,
    const char *to, struct web_report *wr)
{
	memset(wr, 0, sizeof(*wr));
	wr->b.kind = REPORT_BUILD_AUDIT;
	if ((wr->p = p) == NULL)
		return WEB_REPORT_NOPOLICY;
	return web_rc(report_build_audit(&wr->b, wr->p, st, from, to));
}

int
web_report_render(
    const struct web_report *wr, enum report_format fmt, struct buf *out)
{
	return report_build_render(&wr->b, fmt, 0, out);
}

/* "YYYY-MM" of the JST month `back` months before the one holding now. */
void
web_report_month(int64_t now_us, int back, char out[8])
{
	int64_t days = (now_us / TIME_US_PER_SEC + TIME_JST_OFFSET) / 86400;
	int y, m, d, k;

	time_civil_from_days(days, &y, &m, &d);
	k = y * 12 + (m - 1) - back;
	snprintf(out, 8, "%04u-%02u", (unsigned)(k / 12) % 10000u,
	    (unsigned)(k % 12) % 12u + 1u);
}
