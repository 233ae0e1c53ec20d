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

#endif
