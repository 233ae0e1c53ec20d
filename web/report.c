/*
 * report.c — the web view's reports: the monthly report of one 団体 and the
 * audit evidence pack, filled from the policy this process holds (loaded at
 * start, reloaded on SIGHUP) and the store's report queries
 * (collector/store_report.h), then rendered by the same renderers as
 * `seccloud report` (report_monthly_render / report_audit_render).
 *
 * The assembly mirrors policies/cmd_report.c: the policy parts (団体,
 * retention and SLA targets, the exception register, declared sources the
 * store has never seen) are filled here, everything else by the store.
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
#include "web/web_int.h"

#define PENDING_NOTE                                                                                    \
	"注: 保持期間の実績値はアラート (最古の保存アラートから) と "         \
	"生ログアーカイブ (最新の検証・削除記録の最古保持日から) を計測; " \
	"イベント・PCAP は未計測です。"

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
	for (size_t i = 0; i < wr->nnames; i++)
		free(wr->names[i]);
	free(wr->names);
	free(wr->src);
	free(wr->exc);
	store_rpt_free(wr->k);
	policy_unref(wr->p);
	memset(wr, 0, sizeof(*wr));
}

/* Is the declared source s among the store's rows ("NAME [ADDR]")? */
static int
seen(const struct policy_source *s, const struct report_source *rows, size_t n)
{
	size_t len = strlen(s->name);

	for (size_t i = 0; i < n; i++)
		if (rows[i].name != NULL &&
		    strncmp(rows[i].name, s->name, len) == 0 &&
		    strncmp(rows[i].name + len, " [", 2) == 0)
			return 1;
	return 0;
}

/* The store's source rows followed by the declared sources of m (NULL:
 * all) it has never seen, with no data in the period.  -1: no memory. */
static int
declared(struct web_report *wr, const struct policy_muni *m,
    const struct report_source **rows, size_t *nrows, int64_t period_s)
{
	size_t max = *nrows + policy_source_count(wr->p), n = *nrows;
	char addr[ADDR_STRLEN], name[256];

	if ((wr->src = calloc(max + 1, sizeof(*wr->src))) == NULL ||
	    (wr->names = calloc(max + 1, sizeof(*wr->names))) == NULL)
		return -1;
	if (*nrows > 0)
		memcpy(wr->src, *rows, *nrows * sizeof(*wr->src));
	for (size_t i = 0; i < policy_source_count(wr->p); i++) {
		const struct policy_source *s = policy_source_at(wr->p, i);

		if ((m != NULL && s->muni != m) || seen(s, *rows, *nrows))
			continue;
		snprintf(name, sizeof(name), "%s [%s]", s->name,
		    addr_fmt(&s->addr, addr, sizeof(addr)));
		if ((wr->names[wr->nnames] = strdup(name)) == NULL)
			return -1;
		wr->src[n].name = wr->names[wr->nnames++];
		wr->src[n].type = s->type;
		wr->src[n].longest_silence_s = period_s;
		wr->src[n].max_skew_s = -1;
		n++;
	}
	*rows = wr->src;
	*nrows = n;
	return 0;
}

int
web_report_monthly(struct store *st, struct policy *p, const char *scope,
    const char *code, const char *month, struct web_report *wr)
{
	struct report_monthly *r = &wr->m;
	const struct policy_muni *m;

	memset(wr, 0, sizeof(*wr));
	wr->kind = WEB_REPORT_MONTHLY;
	if ((wr->p = p) == NULL)
		return WEB_REPORT_NOPOLICY;
	if (month == NULL ||
	    report_month_range(
		month, &r->year, &r->month, &r->from_us, &r->to_us) != 0)
		return WEB_REPORT_BAD;
	if ((m = web_report_muni(wr->p, scope, code)) == NULL)
		return WEB_REPORT_NOTFOUND;
	memcpy(r->muni_code, m->code, sizeof(r->muni_code));
	r->muni_name = m->name;
	r->soc = policy_prefecture_name(wr->p);
	r->version = "1";
	r->generated_us = time_now_us();
	/* DOMAIN.md §D.2 defaults: S1 30 min, S2 1 h, S3 next day */
	r->sla_notify_s[1] = 30 * 60;
	r->sla_notify_s[2] = 60 * 60;
	r->sla_notify_s[3] = 24 * 3600;
	report_retention_from_policy(wr->p, m, wr->ret);
	r->retention = wr->ret;
	r->nretention = 4;
	if ((wr->k = store_rpt_new()) == NULL ||
	    store_report_monthly(st, wr->k, r) == -1 ||
	    store_report_retention(st, r->muni_code, r->to_us, wr->ret, 4) ==
		-1 ||
	    declared(wr, m, &r->sources, &r->nsources,
		(r->to_us - r->from_us) / TIME_US_PER_SEC) == -1)
		return WEB_REPORT_ERROR;
	r->note = PENDING_NOTE;
	r->ncontacts = report_contacts_from_policy(
	    wr->p, m, wr->contacts, wr->contact_sev, WEB_REPORT_CONTACTS);
	if (r->ncontacts > WEB_REPORT_CONTACTS)
		r->ncontacts = WEB_REPORT_CONTACTS;
	r->contacts = wr->contacts;
	return 0;
}

int
web_report_audit(struct store *st, struct policy *p, const char *from,
    const char *to, struct web_report *wr)
{
	struct report_audit *a = &wr->a;
	size_t nexc;

	memset(wr, 0, sizeof(*wr));
	wr->kind = WEB_REPORT_AUDIT;
	if ((wr->p = p) == NULL)
		return WEB_REPORT_NOPOLICY;
	if (from == NULL || to == NULL || time_parse_arg(from, &a->from_us) ||
	    time_parse_arg(to, &a->to_us) || a->to_us < a->from_us)
		return WEB_REPORT_BAD;
	/* a bare date as "to" means the whole of that day, as on the CLI */
	if (strlen(to) == 10)
		a->to_us += 86400 * TIME_US_PER_SEC - 1;
	/* DOMAIN.md §D.2 defaults, as in the monthly report */
	a->sla_notify_s[1] = 30 * 60;
	a->sla_notify_s[2] = 60 * 60;
	a->sla_notify_s[3] = 24 * 3600;
	a->prefecture = policy_prefecture_name(wr->p);
	a->generated_us = time_now_us();
	report_retention_from_policy(wr->p, NULL, wr->ret);
	a->retention = wr->ret;
	a->nretention = 4;
	nexc = policy_exception_count(wr->p);
	if ((wr->exc = calloc(nexc + 1, sizeof(*wr->exc))) == NULL)
		return WEB_REPORT_ERROR;
	a->exceptions = wr->exc;
	a->nexceptions =
	    report_exceptions_from_policy(wr->p, a->to_us, wr->exc, nexc);
	if ((wr->k = store_rpt_new()) == NULL ||
	    store_report_audit(st, wr->k, a) == -1 ||
	    store_report_retention(st, NULL, a->to_us, wr->ret, 4) == -1 ||
	    declared(wr, NULL, &a->inventory, &a->ninventory,
		(a->to_us - a->from_us) / TIME_US_PER_SEC) == -1)
		return WEB_REPORT_ERROR;
	a->note = PENDING_NOTE;
	return 0;
}

int
web_report_render(
    const struct web_report *wr, enum report_format fmt, struct buf *out)
{
	if (wr->kind == WEB_REPORT_MONTHLY)
		return report_monthly_render(&wr->m, fmt, 0, out);
	return report_audit_render(&wr->a, fmt, 0, out);
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
