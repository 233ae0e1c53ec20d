/*
 * archive_verify.c — proving the archive intact: the MANIFEST chain is
 * unbroken (no line altered, removed or reordered), segment numbers rise
 * by one with every gap explained by a recorded prune, every sealed and
 * unpruned segment exists, hashes to its recorded SHA-256 and decodes to
 * its recorded number of records; and no segment file exists that the
 * manifest does not know, except the one being written (the newest).
 */
#include "config.h"

#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/collector_int.h"
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
	struct manifest_entry *m = NULL;
	uint64_t expect = 1, maxseg = 0;
	uint64_t *bad = &res->bad;
	size_t n = 0, i;
	int rc;

	memset(res, 0, sizeof(*res));
	*bad = 0;
	rc = manifest_read(datadir, &m, &n, err, errlen);
	if (rc == -2) {
		/* the first entry whose chain fails is the bad one */
		*bad = 0;
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
