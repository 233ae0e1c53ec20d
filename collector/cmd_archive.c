/*
 * cmd_archive.c — `seccloud archive`: verify, search, show and prune the
 * sealed archive (archive_read.c, archive_verify.c).
 *
 *   verify [--from T] [--to T]      exit 0 if intact, 1 naming the first
 *                                   bad segment
 *   search EXPR [--from T] [--to T] [--municipality CODE]
 *                                   Hyperscan over decompressed records;
 *                                   one escaped line per match
 *   show SEGMENT RECORD             one record, escaped (alert evidence)
 *                                   (a record line: see print_record)
 *   prune [--before DAY | --days N] remove whole sealed segments older than
 *                                   that (default: the policy's archive
 *                                   retention, the longest of any 団体),
 *                                   recording each in MANIFEST under its
 *                                   lock (a running collector waits)
 *
 * verify and prune also leave a row in the store (store_archive.h), the
 * evidence the monthly report and the audit pack show; a store that cannot
 * be written is reported on stderr and does not change the exit status.
 */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hs/hs.h>

#include "collector/collector_int.h"
#include "collector/store.h"
#include "collector/store_archive.h"
#include "common/log.h"
#include "common/timeutil.h"
#include "policies/policy.h"
#include "seccloud.h"

struct aopts {
	struct collector_conf cf;
	int64_t from_us, to_us;
	const char *muni;
	int days;
	const char *before;
};

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: seccloud archive [-f seccloud.conf] [-d datadir] verify "
	    "[--from T] [--to T]\n"
	    "       seccloud archive [-f ...] [-d ...] search EXPR [--from T] "
	    "[--to T] [--municipality CODE]\n"
	    "       seccloud archive [-f ...] [-d ...] show SEGMENT RECORD\n"
	    "       seccloud archive [-f ...] [-d ...] prune [--before DAY | "
	    "--days N]\n"
	    "\nverify, search and prune the sealed archive.  T is a date "
	    "(JST) or RFC 3339.  prune without --before or --days keeps the "
	    "policy's\narchive retention (the longest of any 団体).\n");
}

/* Print bytes with everything outside printable ASCII escaped. */
static void
put_escaped(FILE *fp, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\\')
			fputs("\\\\", fp);
		else if (p[i] >= 0x20 && p[i] < 0x7f)
			fputc(p[i], fp);
		else if (p[i] >= 0x80) {
			/* keep valid UTF-8 sequences (Japanese text) */
			size_t k = p[i] >= 0xf0 ? 4 :
			    p[i] >= 0xe0	? 3 :
			    p[i] >= 0xc2	? 2 :
						  0;
			size_t j;

			for (j = 1; k && j < k && i + j < n &&
			     (p[i + j] & 0xc0) == 0x80;
			     j++)
				;
			if (k && j == k) {
				fwrite(p + i, 1, k, fp);
				i += k - 1;
			} else
				fprintf(fp, "\\x%02x", p[i]);
		} else
			fprintf(fp, "\\x%02x", p[i]);
	}
}

/*
 * "SEG:REC TIME PEER MUNI [RELAY] RAW", RELAY only for a line that came
 * through a relay: "origin=ADDR relayed" (tagged as that origin) or
 * "claimed=ADDR relay-denied" (the origin its HOSTNAME claimed out of the
 * relay's scope; tagged as the relay).  Records written before the origin
 * was kept (format 0) show "origin=?".
 */
static void
print_record(const struct archive_record *r)
{
	char t[64], a[ADDR_STRLEN], o[ADDR_STRLEN];

	time_fmt_rfc3339(r->recv_us, t, sizeof(t));
	addr_fmt(&r->peer, a, sizeof(a));
	if (r->version >= 1)
		addr_fmt(&r->origin, o, sizeof(o));
	else
		snprintf(o, sizeof(o), "?");
	printf("%" PRIu64 ":%" PRIu64 " %s %s %s ", r->ref.segment,
	    r->ref.record, t, a, r->muni[0] ? r->muni : "-");
	if (r->flags & SC_EV_RELAYED)
		printf("origin=%s relayed ", o);
	else if (r->flags & SC_EV_RELAY_DENIED)
		printf("claimed=%s relay-denied ", o);
	put_escaped(stdout, r->raw, r->rawlen);
	putchar('\n');
}

/* "cli:NAME" of whoever runs the command. */
static void
who(char *out, size_t len)
{
	struct passwd *pw = getpwuid(getuid());

	if (pw != NULL)
		snprintf(out, len, "cli:%s", pw->pw_name);
	else
		snprintf(out, len, "cli:uid %ld", (long)getuid());
}

/* The store of datadir for one write, or NULL (said on stderr). */
static struct store *
evidence_store(const char *datadir)
{
	char path[4200], err[512];
	struct store *st;

	snprintf(path, sizeof(path), "%s/seccloud.db", datadir);
	if ((st = store_open(path, 0, err, sizeof(err))) == NULL)
		fprintf(stderr,
		    "seccloud archive: not recorded in the store: %s\n", err);
	return st;
}

static int
do_verify(struct aopts *o)
{
	struct store_archive_verification v;
	struct archive_verify_result res;
	struct store *st;
	char err[512], by[96];
	int rc;

	err[0] = '\0';
	rc = archive_verify_ex(
	    o->cf.datadir, o->from_us, o->to_us, &res, err, sizeof(err));
	if (rc != 0)
		printf("archive verify: FAILED: first bad segment %" PRIu64
		       ": %s\n",
		    res.bad, err);
	else
		printf("archive verify: ok (%" PRIu64 " segments checked)\n"
		       "archive verify: %s\n",
		    res.checked,
		    res.head ? "MANIFEST reaches the chain head kept in the "
			       "store" :
			       "no chain head kept in the store");
	if ((st = evidence_store(o->cf.datadir)) != NULL) {
		who(by, sizeof(by));
		archive_verification_of(
		    &v, &res, rc, err, o->from_us, o->to_us, by);
		if (store_archive_verified(st, &v) != 0)
			fprintf(stderr,
			    "seccloud archive: verification not "
			    "recorded in the store\n");
		store_close(st);
	}
	return rc != 0 ? 1 : 0;
}

/* After a prune: one row with what went and what is left. */
static void
record_prune(struct aopts *o, const char *cutoff, size_t segs, uint64_t records,
    const char *first, const char *last)
{
	struct store_archive_prune p;
	struct archive_verify_result res;
	struct store *st;
	char err[512], by[96];

	/* what is held now: the manifest, no segment read (range empty) */
	memset(&res, 0, sizeof(res));
	(void)archive_verify_ex(o->cf.datadir, 1, 1, &res, err, sizeof(err));
	if ((st = evidence_store(o->cf.datadir)) == NULL)
		return;
	memset(&p, 0, sizeof(p));
	who(by, sizeof(by));
	p.ts_us = time_now_us();
	p.before_day = cutoff;
	p.segments = segs;
	p.records = records;
	p.first_day = first[0] ? first : NULL;
	p.last_day = last[0] ? last : NULL;
	p.oldest_kept_day = res.oldest_day[0] ? res.oldest_day : NULL;
	p.by = by;
	if (store_archive_pruned(st, &p) != 0)
		fprintf(stderr,
		    "seccloud archive: prune not recorded in the store\n");
	store_close(st);
}

static int
on_match(unsigned int id, unsigned long long from, unsigned long long to,
    unsigned int flags, void *ctx)
{
	(void)id;
	(void)from;
	(void)to;
	(void)flags;
	*(int *)ctx = 1;
	return 1; /* one hit is enough: stop */
}

struct seglist {
	uint64_t seg;
	char day[11];
};

static int
segments(const char *datadir, struct seglist **out, size_t *n)
{
	struct manifest_entry *m = NULL;
	size_t nm = 0, cap = 0;
	char err[256];
	int rc = manifest_read(datadir, &m, &nm, err, sizeof(err));

	*out = NULL;
	*n = 0;
	if (rc != 0) {
		fprintf(stderr, "seccloud archive: %s\n", err);
		free(m);
		return -1;
	}
	for (size_t i = 0; i < nm; i++) {
		int pruned = 0;

		if (m[i].pruned)
			continue;
		for (size_t j = i + 1; j < nm; j++)
			if (m[j].pruned && m[j].segment == m[i].segment)
				pruned = 1;
		if (pruned)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*out = realloc(*out, cap * sizeof(**out));
		}
		(*out)[*n].seg = m[i].segment;
		memcpy((*out)[*n].day, m[i].day, 11);
		(*n)++;
	}
	/* and the segment being written, if any */
	{
		uint64_t next = nm ? m[nm - 1].segment : 0;
		char path[4200];

		for (size_t i = 0; i < nm; i++)
			if (m[i].segment > next)
				next = m[i].segment;
		next++;
		if (archive_seg_path(datadir, next, path, sizeof(path)) == 0) {
			if (*n == cap) {
				cap = cap ? cap * 2 : 64;
				*out = realloc(*out, cap * sizeof(**out));
			}
			(*out)[*n].seg = next;
			snprintf(
			    (*out)[*n].day, 11, "%s", strrchr(path, '/') + 1);
			(*n)++;
		}
	}
	free(m);
	return 0;
}

static int
do_search(struct aopts *o, const char *expr)
{
	hs_database_t *db = NULL;
	hs_compile_error_t *cerr = NULL;
	hs_scratch_t *scratch = NULL;
	struct seglist *segs;
	size_t nsegs, hits = 0;
	char from_day[32] = "", to_day[32] = "";
	int rc = 1;

	if (hs_compile(expr, HS_FLAG_DOTALL | HS_FLAG_SINGLEMATCH,
		HS_MODE_BLOCK, NULL, &db, &cerr) != HS_SUCCESS) {
		fprintf(stderr, "seccloud archive: search: %s\n",
		    cerr ? cerr->message : "bad expression");
		hs_free_compile_error(cerr);
		return 2;
	}
	if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS)
		goto out;
	if (segments(o->cf.datadir, &segs, &nsegs) != 0)
		goto out;
	if (o->from_us)
		time_fmt_day(
		    o->from_us, TIME_JST_OFFSET, from_day, sizeof(from_day));
	if (o->to_us)
		time_fmt_day(
		    o->to_us - 1, TIME_JST_OFFSET, to_day, sizeof(to_day));
	for (size_t i = 0; i < nsegs; i++) {
		struct archive_record rec;
		struct seg_reader *r;
		char path[4200];

		if ((from_day[0] && strcmp(segs[i].day, from_day) < 0) ||
		    (to_day[0] && strcmp(segs[i].day, to_day) > 0))
			continue;
		if (archive_seg_path(
			o->cf.datadir, segs[i].seg, path, sizeof(path)) != 0 ||
		    (r = seg_reader_open(path, segs[i].seg)) == NULL)
			continue;
		while (seg_reader_next(r, &rec) == 1) {
			int hit = 0;

			if ((o->from_us && rec.recv_us < o->from_us) ||
			    (o->to_us && rec.recv_us >= o->to_us) ||
			    (o->muni && strcmp(rec.muni, o->muni) != 0))
				continue;
			hs_scan(db, (const char *)rec.raw,
			    (unsigned int)rec.rawlen, 0, scratch, on_match,
			    &hit);
			if (hit) {
				print_record(&rec);
				hits++;
			}
		}
		seg_reader_close(r);
	}
	free(segs);
	rc = hits > 0 ? 0 : 1;
out:
	hs_free_scratch(scratch);
	hs_free_database(db);
	return rc;
}

static int
do_show(struct aopts *o, const char *s, const char *r)
{
	struct sc_archive_ref ref;
	struct archive_record rec;
	uint8_t *raw;
	size_t len;
	char *end;

	ref.segment = strtoull(s, &end, 10);
	if (*end != '\0')
		return 2;
	ref.record = strtoull(r, &end, 10);
	if (*end != '\0')
		return 2;
	if (archive_fetch(o->cf.datadir, &ref, &raw, &len, &rec) != 0) {
		fprintf(stderr, "seccloud archive: no record %s:%s\n", s, r);
		return 1;
	}
	print_record(&rec);
	free(raw);
	return 0;
}

/*
 * The cutoff day when neither --before nor --days is given: the policy's
 * archive retention, the longest of the policy-wide value and every
 * 団体's own (segments hold every 団体's lines, so none may go before the
 * longest-kept 団体 allows).  0, or -1 (said on stderr).
 */
static int
policy_cutoff(const struct aopts *o, char *cutoff, size_t len)
{
	struct policy_retention r;
	struct policy *p;
	int64_t keep;

	if (o->cf.policy[0] == '\0') {
		fprintf(stderr,
		    "seccloud archive: prune: no policy: give --before DAY "
		    "or --days N\n");
		return -1;
	}
	if ((p = policy_load(o->cf.policy)) == NULL) {
		fprintf(stderr,
		    "seccloud archive: prune: policy %s not loaded: nothing "
		    "pruned\n",
		    o->cf.policy);
		return -1;
	}
	policy_retention_for(p, NULL, &r);
	keep = r.archive_s;
	for (size_t i = 0; i < policy_muni_count(p); i++) {
		policy_retention_for(p, policy_muni_at(p, i), &r);
		if (r.archive_s > keep)
			keep = r.archive_s;
	}
	policy_unref(p);
	time_fmt_day(time_now_us() - keep * TIME_US_PER_SEC, TIME_JST_OFFSET,
	    cutoff, len);
	printf("archive prune: the policy keeps the archive %lld days\n",
	    (long long)(keep / 86400));
	return 0;
}

static int
do_prune(struct aopts *o)
{
	struct manifest_entry *m = NULL;
	size_t nm = 0, pruned = 0;
	uint64_t records = 0;
	char err[512], cutoff[32], path[4200], chain[65];
	char first[11] = "", last[11] = "";
	int lk, rc = 1;

	if (o->before != NULL)
		snprintf(cutoff, sizeof(cutoff), "%s", o->before);
	else if (o->days > 0)
		time_fmt_day(
		    time_now_us() - (int64_t)o->days * 86400 * TIME_US_PER_SEC,
		    TIME_JST_OFFSET, cutoff, sizeof(cutoff));
	else if (policy_cutoff(o, cutoff, sizeof(cutoff)) != 0)
		return 2;
	/* the collector's seals wait while MANIFEST is ours */
	lk = manifest_lock(o->cf.datadir, 1);
	if (manifest_read(o->cf.datadir, &m, &nm, err, sizeof(err)) != 0) {
		fprintf(stderr, "seccloud archive: %s\n", err);
		goto out;
	}
	snprintf(chain, sizeof(chain), "%s",
	    nm ? m[nm - 1].chain : manifest_genesis);
	for (size_t i = 0; i < nm; i++) {
		struct manifest_entry e;
		int done = 0;

		if (m[i].pruned || strcmp(m[i].day, cutoff) >= 0)
			continue;
		for (size_t j = i + 1; j < nm; j++)
			if (m[j].pruned && m[j].segment == m[i].segment)
				done = 1;
		if (done)
			continue;
		e = m[i];
		e.pruned = 1;
		if (manifest_append(o->cf.datadir, chain, &e) != 0) {
			fprintf(stderr,
			    "seccloud archive: cannot record "
			    "prune\n");
			goto out;
		}
		memcpy(chain, e.chain, sizeof(chain));
		if (archive_seg_path(
			o->cf.datadir, e.segment, path, sizeof(path)) == 0)
			unlink(path);
		printf("pruned segment %" PRIu64 " (%s, %" PRIu64 " records)\n",
		    e.segment, e.day, e.records);
		if (pruned++ == 0)
			memcpy(first, e.day, sizeof(first));
		memcpy(last, e.day, sizeof(last));
		records += e.records;
	}
	/* the store's chain head follows the prune lines */
	free(m);
	m = NULL;
	if (pruned > 0 &&
	    (manifest_read(o->cf.datadir, &m, &nm, err, sizeof(err)) != 0 ||
		archive_head_sync(o->cf.datadir, m, nm, err, sizeof(err)) < 0))
		fprintf(stderr, "seccloud archive: chain head: %s\n", err);
	rc = 0;
out:
	manifest_unlock(lk);
	free(m);
	if (rc != 0)
		return rc;
	record_prune(o, cutoff, pruned, records, first, last);
	printf("archive prune: %zu segments before %s\n", pruned, cutoff);
	return 0;
}

int
cmd_archive(int argc, char **argv)
{
	enum { O_FROM = 256, O_TO, O_MUNI, O_DAYS, O_BEFORE };
	static const struct option opts[] = { { "help", no_argument, NULL,
						  'h' },
		{ "from", required_argument, NULL, O_FROM },
		{ "to", required_argument, NULL, O_TO },
		{ "municipality", required_argument, NULL, O_MUNI },
		{ "days", required_argument, NULL, O_DAYS },
		{ "before", required_argument, NULL, O_BEFORE },
		{ NULL, 0, NULL, 0 } };
	static struct aopts o;
	const char *conf_path = NULL, *datadir = NULL;
	char *end;
	int ch;

	if (cmd_wants_help(argc, argv)) {
		usage(stdout);
		return 0;
	}
	memset(&o, 0, sizeof(o));
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "-f") == 0 && i + 1 < argc)
			conf_path = argv[i + 1];
	if (collector_conf_load(&o.cf, conf_path) != 0)
		return 1;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+hf:d:", opts, NULL)) != -1 ||
	    (optind < argc && argv[optind][0] != '-' && 0)) {
		switch (ch) {
		case 'f':
			break;
		case 'd':
			datadir = optarg;
			break;
		case O_FROM:
		case O_TO:
			if (time_parse_arg(optarg,
				ch == O_FROM ? &o.from_us : &o.to_us) != 0) {
				fprintf(stderr,
				    "seccloud archive: bad time "
				    "%s\n",
				    optarg);
				return 2;
			}
			break;
		case O_MUNI:
			o.muni = optarg;
			break;
		case O_DAYS:
			o.days = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || o.days < 1)
				return 2;
			break;
		case O_BEFORE:
			o.before = optarg;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (datadir != NULL)
		snprintf(o.cf.datadir, sizeof(o.cf.datadir), "%s", datadir);
	collector_conf_free(&o.cf); /* only the datadir is needed */
	log_init("archive", LOG_LEVEL_WARN);
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	{
		const char *sub = argv[optind];
		char *rest[8];
		int nrest = 0;

		/* options may also follow the subcommand */
		optind++;
		while (optind < argc) {
			ch = getopt_long(argc, argv, "+hf:d:", opts, NULL);
			if (ch == -1) {
				if (nrest < 8)
					rest[nrest++] = argv[optind];
				optind++;
				continue;
			}
			switch (ch) {
			case 'd':
				snprintf(o.cf.datadir, sizeof(o.cf.datadir),
				    "%s", optarg);
				break;
			case O_FROM:
			case O_TO:
				if (time_parse_arg(optarg,
					ch == O_FROM ? &o.from_us : &o.to_us) !=
				    0)
					return 2;
				break;
			case O_MUNI:
				o.muni = optarg;
				break;
			case O_DAYS:
				o.days = (int)strtol(optarg, &end, 10);
				break;
			case O_BEFORE:
				o.before = optarg;
				break;
			case 'f':
				break;
			default:
				usage(stderr);
				return 2;
			}
		}
		if (strcmp(sub, "verify") == 0 && nrest == 0)
			return do_verify(&o);
		if (strcmp(sub, "search") == 0 && nrest == 1)
			return do_search(&o, rest[0]);
		if (strcmp(sub, "show") == 0 && nrest == 2)
			return do_show(&o, rest[0], rest[1]);
		if (strcmp(sub, "prune") == 0 && nrest == 0)
			return do_prune(&o);
	}
	usage(stderr);
	return 2;
}
