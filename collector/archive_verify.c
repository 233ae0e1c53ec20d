/*
 * archive_verify.c — proving the archive intact: the MANIFEST chain is
 * unbroken (no line altered, removed or reordered), segment numbers rise
 * by one with every gap explained by a recorded prune, every sealed and
 * unpruned segment exists, hashes to its recorded SHA-256 and decodes to
 * its recorded number of records; and no segment file exists that the
 * manifest does not know, except the one being written (the newest).
 * MANIFEST's last line must be (or lead to, when a seal is not yet
 * recorded) the chain head the store keeps (archive_head.c), so its last
 * lines cannot be cut with their segments unseen.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/collector_int.h"
#include "collector/store.h"
#include "collector/store_archive.h"
#include "common/log.h"
#include "common/timeutil.h"

static int
in_range(const char *day, int64_t from_us, int64_t to_us)
{
	char d[32];

	if (from_us != 0) {
		time_fmt_day(from_us, TIME_JST_OFFSET, d, sizeof(d));
		if (strcmp(day, d) < 0)
			return 0;
	}
	if (to_us != 0) {
		time_fmt_day(to_us - 1, TIME_JST_OFFSET, d, sizeof(d));
		if (strcmp(day, d) > 0)
			return 0;
	}
	return 1;
}

static int
check_segment(const char *datadir, const struct manifest_entry *e, char *err,
    size_t errlen)
{
	struct archive_record rec;
	struct seg_reader *r;
	char path[4096], hex[65];
	uint64_t bytes = 0, n = 0;
	int rc;

	if (archive_seg_path(datadir, e->segment, path, sizeof(path)) != 0) {
		snprintf(err, errlen, "segment %" PRIu64 " (%s): missing",
		    e->segment, e->day);
		return -1;
	}
	if (sha256_file(path, hex, &bytes) != 0 ||
	    strcmp(hex, e->sha256) != 0 || bytes != e->bytes) {
		snprintf(err, errlen,
		    "segment %" PRIu64 " (%s): SHA-256 differs from the "
		    "manifest (altered)",
		    e->segment, e->day);
		return -1;
	}
	if ((r = seg_reader_open(path, e->segment)) == NULL) {
		snprintf(
		    err, errlen, "segment %" PRIu64 ": unreadable", e->segment);
		return -1;
	}
	while ((rc = seg_reader_next(r, &rec)) == 1)
		n++;
	if (rc < 0 || seg_reader_torn(r) || n != e->records) {
		snprintf(err, errlen,
		    "segment %" PRIu64 ": %" PRIu64 " records decode, "
		    "manifest says %" PRIu64,
		    e->segment, n, e->records);
		seg_reader_close(r);
		return -1;
	}
	seg_reader_close(r);
	return 0;
}

int
archive_verify(const char *datadir, int64_t from_us, int64_t to_us,
    uint64_t *bad, char *err, size_t errlen)
{
	struct archive_verify_result res;
	int rc = archive_verify_ex(datadir, from_us, to_us, &res, err, errlen);

	*bad = res.bad;
	return rc;
}

int
archive_verify_ex(const char *datadir, int64_t from_us, int64_t to_us,
    struct archive_verify_result *res, char *err, size_t errlen)
{
	return archive_verify_cancel(
	    datadir, from_us, to_us, NULL, res, err, errlen);
}

int
archive_verify_cancel(const char *datadir, int64_t from_us, int64_t to_us,
    const int *cancel, struct archive_verify_result *res, char *err,
    size_t errlen)
{
	struct manifest_entry *m = NULL;
	uint64_t expect = 1, maxseg = 0;
	uint64_t *bad = &res->bad;
	size_t n = 0, i;
	int rc;

	memset(res, 0, sizeof(*res));
	*bad = 0;
	{
		/* MANIFEST and the store's chain head, read together */
		int lk = manifest_lock(datadir, 0);

		rc = manifest_read_ex(datadir, &m, &n, bad, err, errlen);
		if (rc == 0 &&
		    (res->head = archive_head_check(
			 datadir, m, n, bad, err, errlen)) < 0)
			rc = -3;
		manifest_unlock(lk);
	}
	if (rc == -2 || rc == -3) {
		/* the line whose chain fails, or the segment the store's
		 * chain head says is gone, is the bad one */
		res->head = 0;
		free(m);
		return -1;
	}
	if (rc != 0)
		return -1;
	for (i = 0; i < n; i++) {
		const struct manifest_entry *e = &m[i];
		int pruned_later = 0;

		if (e->pruned)
			continue;
		if (e->segment != expect) {
			*bad = expect;
			snprintf(err, errlen,
			    "segment %" PRIu64 ": missing from the manifest "
			    "(next listed is %" PRIu64 ")",
			    expect, e->segment);
			goto fail;
		}
		expect = e->segment + 1;
		maxseg = e->segment;
		for (size_t j = i + 1; j < n; j++)
			if (m[j].pruned && m[j].segment == e->segment &&
			    strcmp(m[j].sha256, e->sha256) == 0)
				pruned_later = 1;
		if (pruned_later)
			continue;
		if (res->held++ == 0)
			memcpy(
			    res->oldest_day, e->day, sizeof(res->oldest_day));
		memcpy(res->newest_day, e->day, sizeof(res->newest_day));
		if (!in_range(e->day, from_us, to_us))
			continue;
		if (cancel != NULL &&
		    __atomic_load_n(cancel, __ATOMIC_RELAXED)) {
			res->interrupted = 1;
			snprintf(err, errlen, "interrupted");
			goto fail;
		}
		res->checked++;
		if (check_segment(datadir, e, err, errlen) != 0) {
			*bad = e->segment;
			goto fail;
		}
	}
	/* files the manifest does not know: only the open (newest) one */
	{
		char dir[4096];
		struct dirent *de;
		DIR *d;

		snprintf(dir, sizeof(dir), "%s/archive", datadir);
		if ((d = opendir(dir)) != NULL) {
			while ((de = readdir(d)) != NULL) {
				const char *s = de->d_name;
				uint64_t seg;

				if (strlen(s) != 31 || strcmp(s + 27, ".zst"))
					continue;
				seg = strtoull(s + 11, NULL, 10);
				if (seg > maxseg + 1) {
					*bad = seg;
					snprintf(err, errlen,
					    "segment %" PRIu64 ": file %s is "
					    "not in the manifest",
					    seg, s);
					closedir(d);
					goto fail;
				}
			}
			closedir(d);
		}
	}
	free(m);
	return 0;
fail:
	free(m);
	return -1;
}

/* ---- the collector's daily check ---- */

#define DAILY_BY "collector"
#define DAILY_EVERY_S 300 /* look at the clock this often */
/* after JST midnight, leave the writer time to seal the day's last
 * segment (it rotates within a second; this is ample) */
#define DAILY_GRACE_US (30 * 60 * TIME_US_PER_SEC)
#define JST_DAY_US (86400 * TIME_US_PER_SEC)

struct archive_daily {
	char datadir[4096], dbpath[4200];
	pthread_t thr;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop; /* also the cancel flag of the verify in progress */
	int64_t done_from; /* the last day checked (its JST midnight) */
};

/* JST midnight (UTC us) of the day holding t. */
static int64_t
jst_midnight(int64_t t)
{
	int64_t off = (int64_t)TIME_JST_OFFSET * TIME_US_PER_SEC;
	int64_t d = (t + off) / JST_DAY_US;

	if ((t + off) % JST_DAY_US < 0)
		d--;
	return d * JST_DAY_US - off;
}

void
archive_verification_of(struct store_archive_verification *v,
    const struct archive_verify_result *res, int rc, const char *err,
    int64_t from_us, int64_t to_us, const char *by)
{
	memset(v, 0, sizeof(*v));
	v->ts_us = time_now_us();
	v->from_us = from_us;
	v->to_us = to_us;
	v->segments = res->checked;
	v->ok = rc == 0;
	v->first_bad = res->bad;
	v->detail = rc != 0 ? err : NULL;
	v->oldest_day = res->oldest_day[0] ? res->oldest_day : NULL;
	v->newest_day = res->newest_day[0] ? res->newest_day : NULL;
	v->held = res->held;
	v->by = by;
}

static void
daily_run(struct archive_daily *d, int64_t from, int64_t to)
{
	struct store_archive_verification v;
	struct archive_verify_result res;
	struct store *st;
	char err[512];
	int rc, have;

	if ((st = store_open(d->dbpath, 0, err, sizeof(err))) == NULL) {
		log_warnx("archive check: %s", err);
		return;
	}
	have = store_archive_verified_range(st, DAILY_BY, from, to);
	if (have != 0) {
		if (have == 1)
			d->done_from = from;
		store_close(st);
		return;
	}
	err[0] = '\0';
	rc = archive_verify_cancel(
	    d->datadir, from, to, &d->stop, &res, err, sizeof(err));
	if (res.interrupted) {
		store_close(st);
		return; /* stopping: the next start does it */
	}
	archive_verification_of(&v, &res, rc, err, from, to, DAILY_BY);
	/* once per day even if the row cannot be written (logged) */
	d->done_from = from;
	if (store_archive_verified(st, &v) != 0)
		log_warnx("archive check: result not recorded in the store");
	store_close(st);
	if (rc != 0)
		log_warnx("archive check of the previous day: FAILED: first "
			  "bad segment %" PRIu64 ": %s",
		    res.bad, err);
	else
		log_info("archive check of the previous day: ok (%" PRIu64
			 " segments)",
		    res.checked);
}

static void *
daily_main(void *arg)
{
	struct archive_daily *d = arg;
	struct timespec ts;

	pthread_mutex_lock(&d->mu);
	while (!d->stop) {
		int64_t today = jst_midnight(time_now_us() - DAILY_GRACE_US);
		int64_t from = today - JST_DAY_US;

		if (from != d->done_from) {
			pthread_mutex_unlock(&d->mu);
			daily_run(d, from, today);
			pthread_mutex_lock(&d->mu);
		}
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += DAILY_EVERY_S;
		while (!d->stop &&
		    pthread_cond_timedwait(&d->cv, &d->mu, &ts) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&d->mu);
	return NULL;
}

struct archive_daily *
archive_daily_start(const char *datadir, const char *dbpath)
{
	struct archive_daily *d = calloc(1, sizeof(*d));

	if (d == NULL)
		return NULL;
	snprintf(d->datadir, sizeof(d->datadir), "%s", datadir);
	snprintf(d->dbpath, sizeof(d->dbpath), "%s", dbpath);
	pthread_mutex_init(&d->mu, NULL);
	pthread_cond_init(&d->cv, NULL);
	if (pthread_create(&d->thr, NULL, daily_main, d) != 0) {
		pthread_cond_destroy(&d->cv);
		pthread_mutex_destroy(&d->mu);
		free(d);
		return NULL;
	}
	return d;
}

void
archive_daily_stop(struct archive_daily *d)
{
	if (d == NULL)
		return;
	pthread_mutex_lock(&d->mu);
	__atomic_store_n(&d->stop, 1, __ATOMIC_RELAXED);
	pthread_cond_broadcast(&d->cv);
	pthread_mutex_unlock(&d->mu);
	pthread_join(d->thr, NULL);
	pthread_cond_destroy(&d->cv);
	pthread_mutex_destroy(&d->mu);
	free(d);
}
