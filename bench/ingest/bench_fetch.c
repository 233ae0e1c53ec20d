/*
 * bench_fetch.c — archive_fetch() time for one record of a segment (what
 * the web view's alert detail pays for its evidence line): the median of
 * REPEAT fetches, in microseconds, with the page cache warm.  Run it on a
 * segment written with the per-frame index and on one without (written
 * before it, or by an older binary) to compare a hop over the index with
 * a scan.
 *
 *   bench_fetch DATADIR SEGMENT RECORD [REPEAT]
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "collector/collector.h"

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	struct sc_archive_ref ref;
	double t[101];
	int n = 11;

	if (argc < 4) {
		fprintf(stderr,
		    "usage: bench_fetch DATADIR SEGMENT RECORD "
		    "[REPEAT]\n");
		return 2;
	}
	ref.segment = strtoull(argv[2], NULL, 10);
	ref.record = strtoull(argv[3], NULL, 10);
	if (argc > 4)
		n = (int)strtol(argv[4], NULL, 10);
	if (n < 1 || n > 101)
		n = 11;
	for (int i = 0; i < n; i++) {
		struct timespec a, b;
		uint8_t *raw = NULL;
		size_t len;

		clock_gettime(CLOCK_MONOTONIC, &a);
		if (archive_fetch(argv[1], &ref, &raw, &len, NULL) != 0) {
			fprintf(stderr, "bench_fetch: no record %s:%s\n",
			    argv[2], argv[3]);
			return 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &b);
		free(raw);
		t[i] =
		    (b.tv_sec - a.tv_sec) * 1e6 + (b.tv_nsec - a.tv_nsec) / 1e3;
	}
	qsort(t, (size_t)n, sizeof(t[0]), cmp);
	printf("archive_fetch %s:%s median of %d: %.0f us\n", argv[2], argv[3],
	    n, t[n / 2]);
	return 0;
}
