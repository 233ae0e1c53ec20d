/*
 * report_build.h — a monthly report or an audit pack filled from the policy
 * and the store, ready for report_monthly_render / report_audit_render.
 *
 * One assembly for `seccloud report` and the web view's Reports screen, so
 * the two can never tell an auditor different things.  The policy parts
 * (団体, retention and SLA targets, the exception register, the
 * notification routes, declared sources the store has never seen) are
 * filled here, everything else by collector/store_report.h.
 */
#ifndef SECCLOUD_POLICIES_REPORT_BUILD_H
#define SECCLOUD_POLICIES_REPORT_BUILD_H

#include "common/buf.h"
#include "policies/policy.h"

struct store;
struct store_rpt;

#define REPORT_BUILD_BAD (-2) /* malformed month or dates */
#define REPORT_BUILD_ERROR (-1) /* reading the store, or memory */
#define REPORT_BUILD_CONTACTS 32 /* notification routes in the annex */

enum report_build_kind { REPORT_BUILD_MONTHLY = 1, REPORT_BUILD_AUDIT };

/* Owns everything the model borrows, except the policy (the caller keeps
 * it alive while the build lives). */
struct report_build {
	enum report_build_kind kind;
	struct report_monthly m;
	struct report_audit a;
	struct report_retention ret[4];
	struct report_exception *exc;
	struct report_source *src;
	struct report_contact contacts[REPORT_BUILD_CONTACTS];
	char contact_sev[REPORT_BUILD_CONTACTS][16];
	char **names;
	size_t nnames;
	struct store_rpt *k;
};

/* The monthly report of 団体 m for "YYYY-MM".  0, or REPORT_BUILD_*;
 * report_build_free in every case. */
int report_build_monthly(struct report_build *, const struct policy *,
    const struct policy_muni *m, struct store *, const char *month);
/* The audit pack for [from, to] (RFC 3339 or YYYY-MM-DD; a bare date as
 * `to` means the whole of that day).  0, or REPORT_BUILD_*. */
int report_build_audit(struct report_build *, const struct policy *,
    struct store *, const char *from, const char *to);
int report_build_render(const struct report_build *, enum report_format,
    int wareki, struct buf *out);
void report_build_free(struct report_build *);

#endif
