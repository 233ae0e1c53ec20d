/*
 * cmd_report.c — `seccloud report`: the monthly report of one 団体 and the
 * audit evidence pack.
 *
 *   seccloud report monthly --municipality CODE --month YYYY-MM
 *       [--format html|csv|json] [--wareki] [-p POLICY] [-o FILE]
 *   seccloud report audit --from DATE --to DATE
 *       [--format html|csv|json] [--wareki] [-p POLICY] [-o FILE]
 *
 * The parts that come from the policy (団体, retention targets, SLA
 * targets, the exception register) are filled here; the counts, incidents,
 * three-tier findings, source health, users, logins and changes come from
 * the store (DATADIR/seccloud.db, opened read-only; collector/store_report.h).
 * Without a store there is no report: an empty one would look complete.
 * Declared sources the store has never seen are listed with no data.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/settings.h"
#include "common/timeutil.h"
#include "common/xmalloc.h"
#include "collector/store.h"
#include "collector/store_report.h"
#include "policies/policy.h"
#include "seccloud.h"

#define REPORT_MAX (64 * 1024 * 1024)
#define CONTACTS_MAX 32 /* routes shown in the annex */
#define PENDING_NOTE                                                                                    \
	"注: 保持期間の実績値はアラート (最古の保存アラートから) と "         \
	"生ログアーカイブ (最新の検証・削除記録の最古保持日から) を計測; " \
	"イベント・PCAP は未計測です。"

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: seccloud report monthly --municipality CODE --month "
	    "YYYY-MM\n"
	    "           [--format html|csv|json] [--wareki] [-p POLICY] "
	    "[-o FILE]\n"
	    "           [-f seccloud.conf] [-d datadir]\n"
	    "       seccloud report audit --from DATE --to DATE\n"
	    "           [--format html|csv|json] [--wareki] [-p POLICY] "
	    "[-o FILE]\n"
	    "           [-f seccloud.conf] [-d datadir]\n\n"
	    "produce the monthly report of a 団体 (月次報告書) or the audit "
	    "evidence pack from the store (datadir/seccloud.db).\n");
}

struct ropts {
	const char *muni, *month, *from, *to, *policy, *outfile;
	const char *conf, *datadir;
	enum report_format fmt;
	int wareki;
	struct settings *set;
};

static struct policy *
open_policy(const struct ropts *o)
{
	return policy_load(o->policy ? o->policy : o->set->policy);
}

static struct store *
open_store(const struct ropts *o)
{
	const char *dir = o->datadir ? o->datadir : o->set->datadir;
	char err[512], *path;
	struct store *st;

	xasprintf(&path, "%s/seccloud.db", dir);
	if ((st = store_open(path, STORE_RDONLY, err, sizeof(err))) == NULL)
		fprintf(stderr,
		    "seccloud report: cannot open the store %s (%s); "
		    "no report without its data (use -d DATADIR)\n",
		    path, err);
	free(path);
	return st;
}

static int
write_out(const struct ropts *o, struct buf *b)
{
	FILE *fp = o->outfile ? fopen(o->outfile, "w") : stdout;
	int r = 0;

	if (fp == NULL) {
		fprintf(
		    stderr, "seccloud report: %s: cannot write\n", o->outfile);
		return 1;
	}
	if (fwrite(b->data ? (const void *)b->data : "", 1, b->len, fp) !=
	    b->len)
		r = 1;
	if (fp != stdout && fclose(fp) != 0)
		r = 1;
	return r;
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
 * The store's sources of a 団体 (or all) followed by the declared sources
 * it has never seen (no data in the period: coverage 0).  names holds the
 * strings made here; the caller frees rows and names.
 */
static struct report_source *
with_declared(const struct policy *p, const struct policy_muni *m,
    const struct report_source *have, size_t nhave, int64_t period_s,
    size_t *nout, char ***names)
{
	size_t i, n = nhave, max = nhave + policy_source_count(p);
	struct report_source *rows = xcalloc(max + 1, sizeof(*rows));
	char addr[ADDR_STRLEN];

	*names = xcalloc(max + 1, sizeof(**names));
	if (nhave > 0)
		memcpy(rows, have, nhave * sizeof(*rows));
	for (i = 0; i < policy_source_count(p); i++) {
		const struct policy_source *s = policy_source_at(p, i);

		if ((m != NULL && s->muni != m) || seen(s, have, nhave))
			continue;
		xasprintf(&(*names)[n], "%s [%s]", s->name,
		    addr_fmt(&s->addr, addr, sizeof(addr)));
		rows[n].name = (*names)[n];
		rows[n].type = s->type;
		rows[n].coverage_pct = 0;
		rows[n].longest_silence_s = period_s;
		rows[n].max_skew_s = -1;
		n++;
	}
	*nout = n;
	return rows;
}

static void
free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static int
monthly(const struct ropts *o)
{
	struct report_monthly r;
	struct report_retention ret[4];
	struct report_contact contacts[CONTACTS_MAX];
	char contact_sev[CONTACTS_MAX][16];
	struct report_source *src;
	const struct policy_muni *m;
	struct store_rpt *k;
	struct store *st;
	struct policy *p;
	struct buf b;
	char **names;
	size_t nsrc;
	int rc;

	if (o->muni == NULL || o->month == NULL) {
		usage(stderr);
		return 2;
	}
	memset(&r, 0, sizeof(r));
	if (report_month_range(
		o->month, &r.year, &r.month, &r.from_us, &r.to_us) != 0) {
		fprintf(stderr, "seccloud report: %s: not a month YYYY-MM\n",
		    o->month);
		return 2;
	}
	if (!policy_muni_code_valid(o->muni)) {
		fprintf(stderr, "seccloud report: %s: not a valid 団体コード\n",
		    o->muni);
		return 2;
	}
	if ((p = open_policy(o)) == NULL)
		return 1;
	if ((m = policy_muni_by_code(p, o->muni)) == NULL) {
		fprintf(stderr, "seccloud report: no 団体 %s in the policy\n",
		    o->muni);
		policy_unref(p);
		return 1;
	}
	if ((st = open_store(o)) == NULL) {
		policy_unref(p);
		return 1;
	}
	memcpy(r.muni_code, m->code, 7);
	r.muni_name = m->name;
	r.soc = policy_prefecture_name(p);
	r.version = "1";
	r.generated_us = time_now_us();
	/* DOMAIN.md §D.2 defaults: S1 30 min, S2 1 h, S3 next day */
	r.sla_notify_s[1] = 30 * 60;
	r.sla_notify_s[2] = 60 * 60;
	r.sla_notify_s[3] = 24 * 3600;
	report_retention_from_policy(p, m, ret);
	r.retention = ret;
	r.nretention = 4;
	k = store_rpt_new();
	if (store_report_monthly(st, k, &r) == -1 ||
	    store_report_retention(st, r.muni_code, r.to_us, ret, 4) == -1) {
		fprintf(stderr, "seccloud report: reading the store failed\n");
		store_rpt_free(k);
		store_close(st);
		policy_unref(p);
		return 1;
	}
	src = with_declared(p, m, r.sources, r.nsources,
	    (r.to_us - r.from_us) / TIME_US_PER_SEC, &nsrc, &names);
	r.sources = src;
	r.nsources = nsrc;
	r.note = PENDING_NOTE;
	r.ncontacts = report_contacts_from_policy(
	    p, m, contacts, contact_sev, CONTACTS_MAX);
	if (r.ncontacts > CONTACTS_MAX)
		r.ncontacts = CONTACTS_MAX;
	r.contacts = contacts;
	buf_init(&b, REPORT_MAX);
	rc = report_monthly_render(&r, o->fmt, o->wareki, &b);
	if (rc == 0)
		rc = write_out(o, &b);
	else
		fprintf(stderr, "seccloud report: rendering failed\n");
	buf_free(&b);
	free_names(names, nsrc);
	free(src);
	store_rpt_free(k);
	store_close(st);
	policy_unref(p);
	return rc ? 1 : 0;
}

static int
audit(const struct ropts *o)
{
	struct report_audit a;
	struct report_retention ret[4];
	struct report_exception *exc;
	struct report_source *src;
	struct store_rpt *k;
	struct store *st;
	struct policy *p;
	struct buf b;
	char **names;
	size_t nexc, nsrc;
	int rc;

	memset(&a, 0, sizeof(a));
	/* DOMAIN.md §D.2 defaults, as in the monthly report */
	a.sla_notify_s[1] = 30 * 60;
	a.sla_notify_s[2] = 60 * 60;
	a.sla_notify_s[3] = 24 * 3600;
	if (o->from == NULL || o->to == NULL ||
	    time_parse_arg(o->from, &a.from_us) != 0 ||
	    time_parse_arg(o->to, &a.to_us) != 0 || a.to_us < a.from_us) {
		fprintf(stderr,
		    "seccloud report: audit needs --from and --to "
		    "dates (from <= to)\n");
		return 2;
	}
	/* a bare date as --to means the whole of that day */
	if (strlen(o->to) == 10)
		a.to_us += 86400 * TIME_US_PER_SEC - 1;
	if ((p = open_policy(o)) == NULL)
		return 1;
	if ((st = open_store(o)) == NULL) {
		policy_unref(p);
		return 1;
	}
	a.prefecture = policy_prefecture_name(p);
	a.generated_us = time_now_us();
	report_retention_from_policy(p, NULL, ret);
	a.retention = ret;
	a.nretention = 4;
	nexc = policy_exception_count(p);
	exc = xcalloc(nexc + 1, sizeof(*exc));
	a.exceptions = exc;
	a.nexceptions = report_exceptions_from_policy(p, a.to_us, exc, nexc);
	k = store_rpt_new();
	if (store_report_audit(st, k, &a) == -1 ||
	    store_report_retention(st, NULL, a.to_us, ret, 4) == -1) {
		fprintf(stderr, "seccloud report: reading the store failed\n");
		free(exc);
		store_rpt_free(k);
		store_close(st);
		policy_unref(p);
		return 1;
	}
	src = with_declared(p, NULL, a.inventory, a.ninventory,
	    (a.to_us - a.from_us) / TIME_US_PER_SEC, &nsrc, &names);
	a.inventory = src;
	a.ninventory = nsrc;
	a.note = PENDING_NOTE;
	buf_init(&b, REPORT_MAX);
	rc = report_audit_render(&a, o->fmt, o->wareki, &b);
	if (rc == 0)
		rc = write_out(o, &b);
	else
		fprintf(stderr, "seccloud report: rendering failed\n");
	buf_free(&b);
	free(exc);
	free_names(names, nsrc);
	free(src);
	store_rpt_free(k);
	store_close(st);
	policy_unref(p);
	return rc ? 1 : 0;
}

int
cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "municipality", required_argument, NULL, 'm' },
		{ "month", required_argument, NULL, 'M' },
		{ "from", required_argument, NULL, 'a' },
		{ "to", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'F' },
		{ "wareki", no_argument, NULL, 'w' },
		{ "policy", required_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ "config", required_argument, NULL, 'f' },
		{ "datadir", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	struct ropts o;
	const char *sub;
	int ch;

	if (cmd_wants_help(argc, argv)) {
		usage(stdout);
		return 0;
	}
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	memset(&o, 0, sizeof(o));
	o.fmt = REPORT_HTML;
	sub = argv[1];
	argc--;
	argv++;
	optind = 1;
	while (
	    (ch = getopt_long(argc, argv, "p:o:f:d:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'm':
			o.muni = optarg;
			break;
		case 'M':
			o.month = optarg;
			break;
		case 'a':
			o.from = optarg;
			break;
		case 't':
			o.to = optarg;
			break;
		case 'F':
			if (report_format_parse(optarg, &o.fmt) != 0) {
				fprintf(stderr,
				    "seccloud report: format html, csv or "
				    "json\n");
				return 2;
			}
			break;
		case 'w':
			o.wareki = 1;
			break;
		case 'p':
			o.policy = optarg;
			break;
		case 'o':
			o.outfile = optarg;
			break;
		case 'f':
			o.conf = optarg;
			break;
		case 'd':
			o.datadir = optarg;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (strcmp(sub, "monthly") != 0 && strcmp(sub, "audit") != 0) {
		usage(stderr);
		return 2;
	}
	if ((o.set = settings_load(o.conf)) == NULL)
		return 1;
	ch = strcmp(sub, "monthly") == 0 ? monthly(&o) : audit(&o);
	settings_free(o.set);
	return ch;
}
