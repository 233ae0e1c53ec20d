/*
 * store_archive.h — the archive's evidence in the store: each run of
 * `seccloud archive verify` (and the collector's daily check, if any) and
 * each prune leaves a row, so the monthly report and the audit pack can
 * state the month's verification result and the retention achieved for
 * the archive without reading the archive itself.
 */
#ifndef SC_STORE_ARCHIVE_H
#define SC_STORE_ARCHIVE_H

#include <stdint.h>

struct store;

struct store_archive_verification {
	int64_t ts_us; /* when it ran */
	int64_t from_us, to_us; /* the range asked; 0: unbounded */
	uint64_t segments; /* sealed segments checked */
	int ok;
	uint64_t first_bad; /* segment number when !ok (0: the manifest) */
	const char *detail; /* the reason when !ok, may be NULL */
	const char *oldest_day, *newest_day; /* held segments, JST days */
	uint64_t held; /* sealed segments held */
	const char *by; /* "cli:root", "collector" */
};

struct store_archive_prune {
	int64_t ts_us;
	const char *before_day; /* YYYY-MM-DD */
	uint64_t segments, records;
	const char *first_day, *last_day; /* removed; NULL if none */
	const char *oldest_kept_day; /* NULL: nothing left */
	const char *by;
};

/* Append a row; 0, or -1 (logged). */
int store_archive_verified(
    struct store *, const struct store_archive_verification *);
int store_archive_pruned(struct store *, const struct store_archive_prune *);
/* Whether a run by `by` covering exactly [from_us, to_us) is recorded:
 * 1 yes, 0 no, -1 error (logged). */
int store_archive_verified_range(
    struct store *, const char *by, int64_t from_us, int64_t to_us);

/*
 * The archive's chain head (archive_read.c keeps it in step with MANIFEST
 * under the MANIFEST lock): the chain hash of MANIFEST's last line, the
 * number of lines, the newest segment number and the sealed segments
 * counted so far.
 */
struct store_archive_head {
	uint64_t entries;
	uint64_t segment;
	uint64_t segments;
	char chain[65];
	int64_t ts_us;
};
/* 1 and *out, 0 when none is kept yet, -1 on error (logged). */
int store_archive_head_get(struct store *, struct store_archive_head *out);
/* Replace the head; 0, or -1 (logged).  Waits at most wait_ms for a
 * busy store. */
int store_archive_head_put(
    struct store *, const struct store_archive_head *, int wait_ms);

#endif
