/*
 * report_build.c — assemble a monthly report or an audit pack from the
 * policy and the store (see report_build.h).  Used by policies/cmd_report.c
 * and web/report.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/store_report.h"
#include "common/timeutil.h"
#include "policies/report_build.h"

#define PENDING_NOTE                                                                                    \
	"注: 保持期間の実績値はアラート (最古の保存アラートから) と "         \
	"生ログアーカイブ (最新の検証・削除記録の最古保持日から) を計測; " \
	"イベント・PCAP は未計測です。"

/* DOMAIN.md §D.2 defaults: S1 30 min, S2 1 h, S3 next day */
static void
sla_defaults(int64_t sla[])
{
	sla[1] = 30 * 60;
	sla[2] = 60 * 60;
	sla[3] = 24 * 3600;
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

/*
 * The store's source rows of m (NULL: all) followed by the declared
 * sources it has never seen: no data in the period, coverage 0.
 */
static int
declared(struct report_build *rb, const struct policy *p,
    const struct policy_muni *m, const struct report_source **rows,
    size_t *nrows, int64_t period_s)
{
	size_t max = *nrows + policy_source_count(p), n = *nrows;
	char addr[ADDR_STRLEN], name[256];

	if ((rb->src = calloc(max + 1, sizeof(*rb->src))) == NULL ||
	    (rb->names = calloc(max + 1, sizeof(*rb->names))) == NULL)
		return -1;
	if (*nrows > 0)
		memcpy(rb->src, *rows, *nrows * sizeof(*rb->src));
	for (size_t i = 0; i < policy_source_count(p); i++) {
		const struct policy_source *s = policy_source_at(p, i);

		if ((m != NULL && s->muni != m) || seen(s, *rows, *nrows))
			continue;
		snprintf(name, sizeof(name), "%s [%s]", s->name,
		    addr_fmt(&s->addr, addr, sizeof(addr)));
		if ((rb->names[rb->nnames] = strdup(name)) == NULL)
			return -1;
		rb->src[n].name = rb->names[rb->nnames++];
		rb->src[n].type = s->type;
		rb->src[n].coverage_pct = 0;
		rb->src[n].longest_silence_s = period_s;
		rb->src[n].max_skew_s = -1;
		n++;
	}
	*rows = rb->src;
	*nrows = n;
	return 0;
}

int
report_build_monthly(struct report_build *rb, const struct policy *p,
    const struct policy_muni *m, struct store *st, const char *month)
{
	struct report_monthly *r = &rb->m;

	memset(rb, 0, sizeof(*rb));
	rb->kind = REPORT_BUILD_MONTHLY;
	if (month == NULL ||
	    report_month_range(
		month, &r->year, &r->month, &r->from_us, &r->to_us) != 0)
		return REPORT_BUILD_BAD;
	memcpy(r->muni_code, m->code, sizeof(r->muni_code));
	r->muni_name = m->name;
	r->soc = policy_prefecture_name(p);
	r->version = "1";
	r->generated_us = time_now_us();
	sla_defaults(r->sla_notify_s);
	report_retention_from_policy(p, m, rb->ret);
	r->retention = rb->ret;
	r->nretention = 4;
	if ((rb->k = store_rpt_new()) == NULL ||
	    store_report_monthly(st, rb->k, r) == -1 ||
	    store_report_retention(st, r->muni_code, r->to_us, rb->ret, 4) ==
		-1 ||
	    declared(rb, p, m, &r->sources, &r->nsources,
		(r->to_us - r->from_us) / TIME_US_PER_SEC) == -1)
		return REPORT_BUILD_ERROR;
	r->note = PENDING_NOTE;
	r->ncontacts = report_contacts_from_policy(
	    p, m, rb->contacts, rb->contact_sev, REPORT_BUILD_CONTACTS);
	if (r->ncontacts > REPORT_BUILD_CONTACTS)
		r->ncontacts = REPORT_BUILD_CONTACTS;
	r->contacts = rb->contacts;
	return 0;
}

int
report_build_audit(struct report_build *rb, const struct policy *p,
    struct store *st, const char *from, const char *to)
{
	struct report_audit *a = &rb->a;
	size_t nexc;

	memset(rb, 0, sizeof(*rb));
	rb->kind = REPORT_BUILD_AUDIT;
	if (from == NULL || to == NULL || time_parse_arg(from, &a->from_us) ||
	    time_parse_arg(to, &a->to_us) || a->to_us < a->from_us)
		return REPORT_BUILD_BAD;
	/* a bare date as `to` means the whole of that day */
	if (strlen(to) == 10)
		a->to_us += 86400 * TIME_US_PER_SEC - 1;
	sla_defaults(a->sla_notify_s);
	a->prefecture = policy_prefecture_name(p);
	a->generated_us = time_now_us();
	report_retention_from_policy(p, NULL, rb->ret);
	a->retention = rb->ret;
	a->nretention = 4;
	nexc = policy_exception_count(p);
	if ((rb->exc = calloc(nexc + 1, sizeof(*rb->exc))) == NULL)
		return REPORT_BUILD_ERROR;
	a->exceptions = rb->exc;
	a->nexceptions =
	    report_exceptions_from_policy(p, a->to_us, rb->exc, nexc);
	if ((rb->k = store_rpt_new()) == NULL ||
	    store_report_audit(st, rb->k, a) == -1 ||
	    store_report_retention(st, NULL, a->to_us, rb->ret, 4) == -1 ||
	    declared(rb, p, NULL, &a->inventory, &a->ninventory,
		(a->to_us - a->from_us) / TIME_US_PER_SEC) == -1)
		return REPORT_BUILD_ERROR;
	a->note = PENDING_NOTE;
	return 0;
}

int
report_build_render(const struct report_build *rb, enum report_format fmt,
    int wareki, struct buf *out)
{
	if (rb->kind == REPORT_BUILD_MONTHLY)
		return report_monthly_render(&rb->m, fmt, wareki, out);
	return report_audit_render(&rb->a, fmt, wareki, out);
}

void
report_build_free(struct report_build *rb)
{
	if (rb == NULL)
		return;
	for (size_t i = 0; i < rb->nnames; i++)
		free(rb->names[i]);
	free(rb->names);
	free(rb->src);
	free(rb->exc);
	store_rpt_free(rb->k);
	memset(rb, 0, sizeof(*rb));
}
