/*
 * fuzz_archive_record.c — the archive's segment reader on arbitrary bytes:
 * with the first byte even, the rest is one frame's records (compressed
 * here, so the record parser sees them); odd, the rest is the segment file
 * itself (zstd frames, index frames, torn tails).  Every record read must
 * lie inside the decompressed frame and be of version 0 or 1; fetching by
 * the index (seg_reader_skip_to) must not crash either.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zstd.h>

#include "collector/collector_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char path[64];
static volatile uint8_t sink;

static void
cleanup(void)
{
	unlink(path);
}

static int
put(const uint8_t *p, size_t n)
{
	FILE *f;

	if (path[0] == '\0') {
		int fd;

		snprintf(path, sizeof(path), "/tmp/sc-fuzz-arec-XXXXXX");
		if ((fd = mkstemp(path)) == -1)
			abort();
		close(fd);
		atexit(cleanup);
	}
	if ((f = fopen(path, "wb")) == NULL)
		abort();
	if (n > 0 && fwrite(p, 1, n, f) != n)
		abort();
	return fclose(f);
}

static void
read_all(uint64_t skip_to)
{
	struct archive_record rec;
	struct seg_reader *r = seg_reader_open(path, 1);
	int rc, n = 0;

	if (r == NULL)
		return;
	if (skip_to > 0)
		seg_reader_skip_to(r, skip_to);
	while ((rc = seg_reader_next(r, &rec)) == 1 && n++ < 100000) {
		if (rec.version > 1 || rec.rawlen > (1U << 30))
			abort();
		if (rec.rawlen > 0) /* touch the last byte: ASan checks it */
			sink ^= rec.raw[rec.rawlen - 1];
	}
	seg_reader_close(r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (data[0] & 1) {
		put(data + 1, size - 1);
	} else {
		static ZSTD_CCtx *cctx;
		size_t cap = ZSTD_compressBound(size - 1), clen;
		uint8_t *c = malloc(cap);

		if (c == NULL)
			return 0;
		if (cctx == NULL && (cctx = ZSTD_createCCtx()) == NULL)
			abort();
		clen = ZSTD_compressCCtx(cctx, c, cap, data + 1, size - 1, 1);
		if (ZSTD_isError(clen)) {
			free(c);
			return 0;
		}
		put(c, clen);
		free(c);
	}
	read_all(0);
	read_all(size > 1 ? data[1] : 0);
	return 0;
}
