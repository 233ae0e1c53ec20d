/*
 * cmd_report.c — `seccloud report`: the monthly report of one 団体 and the
 * audit evidence pack.
 *
 *   seccloud report monthly --municipality CODE --month YYYY-MM
 *       [--format html|csv|json] [--wareki] [-p POLICY] [-o FILE]
 *   seccloud report audit --from DATE --to DATE
 *       [--format html|csv|json] [--wareki] [-p POLICY] [-o FILE]
 *
 * The report is assembled by policies/report_build.c from the policy and
 * the store (DATADIR/seccloud.db, opened read-only), the same assembly as
 * the web view's Reports screen.  Without a store there is no report: an
 * empty one would look complete.
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
#include "policies/report_build.h"
#include "seccloud.h"

#define REPORT_MAX (64 * 1024 * 1024)

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

static int
build_failed(int rc)
{
	if (rc == REPORT_BUILD_BAD)
		fprintf(stderr, "seccloud report: bad month or dates\n");
	else
		fprintf(stderr, "seccloud report: reading the store failed\n");
	return rc == REPORT_BUILD_BAD ? 2 : 1;
}

static int
render(const struct ropts *o, const struct report_build *rb)
{
	struct buf b;
	int rc;

	buf_init(&b, REPORT_MAX);
	rc = report_build_render(rb, o->fmt, o->wareki, &b);
	if (rc == 0)
		rc = write_out(o, &b);
	else
		fprintf(stderr, "seccloud report: rendering failed\n");
	buf_free(&b);
	return rc ? 1 : 0;
}

static int
monthly(const struct ropts *o)
{
	struct report_build rb;
	const struct policy_muni *m;
	int year, month, rc;
	int64_t from, to;
	struct store *st;
	struct policy *p;

	if (o->muni == NULL || o->month == NULL) {
		usage(stderr);
		return 2;
	}
	if (report_month_range(o->month, &year, &month, &from, &to) != 0) {
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
	rc = report_build_monthly(&rb, p, m, st, o->month);
	rc = rc == 0 ? render(o, &rb) : build_failed(rc);
	report_build_free(&rb);
	store_close(st);
	policy_unref(p);
	return rc;
}

static int
audit(const struct ropts *o)
{
	struct report_build rb;
	int64_t from, to;
	struct store *st;
	struct policy *p;
	int rc;

	if (o->from == NULL || o->to == NULL ||
	    time_parse_arg(o->from, &from) != 0 ||
	    time_parse_arg(o->to, &to) != 0 || to < from) {
		fprintf(stderr,
		    "seccloud report: audit needs --from and --to "
		    "dates (from <= to)\n");
		return 2;
	}
	if ((p = open_policy(o)) == NULL)
		return 1;
	if ((st = open_store(o)) == NULL) {
		policy_unref(p);
		return 1;
	}
	rc = report_build_audit(&rb, p, st, o->from, o->to);
	rc = rc == 0 ? render(o, &rb) : build_failed(rc);
	report_build_free(&rb);
	store_close(st);
	policy_unref(p);
	return rc;
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
