/*
 * test_archive_index.c — the archive's per-frame index: every data frame
 * is preceded by a skippable frame naming its records, so a fetch hops to
 * the frame holding the record and decompresses only it.  Expect: the
 * segment starts with an index frame; fetches anywhere in 50 frames return
 * the exact line; skipping lands on the frame boundary of the wanted
 * record (the index is used, not a scan); a segment without index frames
 * (written before them) and one whose index lies both still fetch right
 * (read through), and verify still passes on the indexed archive.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zstd.h>

#include "collector/collector_int.h"
#include "common/timeutil.h"
#include "tests/tap.h"

#define FRAMES 50
#define PER 10

static char dir[256];

static uint8_t *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *p = NULL;
	long n;

	if (fp == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) > 0 &&
	    fseek(fp, 0, SEEK_SET) == 0 && (p = malloc((size_t)n)) != NULL &&
	    fread(p, 1, (size_t)n, fp) != (size_t)n) {
		free(p);
		p = NULL;
	}
	*len = p != NULL ? (size_t)n : 0;
	fclose(fp);
	return p;
}

static int
spit(const char *path, const uint8_t *p, size_t len)
{
	FILE *fp = fopen(path, "wb");
	int rc;

	if (fp == NULL)
		return -1;
	rc = fwrite(p, 1, len, fp) == len ? 0 : -1;
	return fclose(fp) == 0 ? rc : -1;
}

static int
fetch_is(uint64_t seg, uint64_t record)
{
	struct sc_archive_ref ref = { seg, record };
	char want[64];
	uint8_t *raw = NULL;
	size_t len = 0;
	int good;

	snprintf(want, sizeof(want), "<13>Nov 22 17:53:26 h t: r-%llu",
	    (unsigned long long)record);
	if (archive_fetch(dir, &ref, &raw, &len, NULL) != 0)
		return 0;
	good = len == strlen(want) && memcmp(raw, want, len) == 0;
	free(raw);
	return good;
}

/* Rewrite a segment without its index frames (or with the first
 * record of index frame k replaced by lie, when k >= 0). */
static int
rewrite(const char *path, int k, uint64_t lie)
{
	uint8_t *in, *out;
	size_t len, off = 0, o = 0;
	int idx = 0;

	if ((in = slurp(path, &len)) == NULL || (out = malloc(len)) == NULL) {
		free(in);
		return -1;
	}
	while (off < len) {
		size_t cs = ZSTD_findFrameCompressedSize(in + off, len - off);

		if (ZSTD_isError(cs))
			break;
		if (cs == ARCHIVE_INDEX_FRAME && in[off] == 0x53 &&
		    in[off + 1] == 0x2a && in[off + 2] == 0x4d &&
		    in[off + 3] == 0x18) {
			if (k >= 0) {
				memcpy(out + o, in + off, cs);
				if (idx == k)
					for (int i = 0; i < 8; i++)
						out[o + 12 + i] =
						    (uint8_t)(lie >> (8 * i));
				o += cs;
			}
			idx++;
		} else {
			memcpy(out + o, in + off, cs);
			o += cs;
		}
		off += cs;
	}
	idx = off == len ? spit(path, out, o) : -1;
	free(in);
	free(out);
	return idx;
}

int
main(void)
{
	static struct sc_event ev[PER];
	static char text[PER][64];
	char err[512], path[4200];
	struct archive *a;
	struct archive_record rec;
	struct seg_reader *r;
	uint64_t bad;
	int64_t t0;
	uint8_t *seg;
	size_t seglen;
	int all;

	snprintf(dir, sizeof(dir), "%s/sc-archidx-XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ok(mkdtemp(dir) != NULL, "temp dir");
	/* noon JST: the 50 frames stay on one JST day */
	time_parse_arg("2026-11-22T12:00:00+09:00", &t0);
	a = archive_open(dir, TIME_JST_OFFSET, err, sizeof(err));
	ok(a != NULL, "open a new archive");
	all = 1;
	for (int f = 0; f < FRAMES && a != NULL; f++) {
		for (int i = 0; i < PER; i++) {
			memset(&ev[i], 0, sizeof(ev[i]));
			snprintf(text[i], sizeof(text[i]),
			    "<13>Nov 22 17:53:26 h t: r-%d", f * PER + i);
			ev[i].raw = (const uint8_t *)text[i];
			ev[i].rawlen = strlen(text[i]);
			ev[i].recv_us = t0 + f * PER + i;
			addr_parse("10.11.32.1", &ev[i].peer);
			ev[i].transport = 'u';
			memcpy(ev[i].muni, "242501", 7);
		}
		all &= archive_append(a, ev, PER) == 0;
	}
	ok(all, "append %d frames of %d", FRAMES, PER);
	archive_close(a);
	ok(archive_seg_path(dir, 1, path, sizeof(path)) == 0, "segment 1");
	seg = slurp(path, &seglen);
	ok(seg != NULL && seglen > ARCHIVE_INDEX_FRAME && seg[0] == 0x53 &&
		seg[1] == 0x2a && seg[2] == 0x4d && seg[3] == 0x18 &&
		memcmp(seg + 8, "scix", 4) == 0,
	    "the segment starts with an index frame");
	free(seg);
	ok(archive_verify(dir, 0, 0, &bad, err, sizeof(err)) == 0,
	    "verify passes (%s)", err);

	all = 1;
	for (uint64_t i = 0; i < FRAMES * PER; i += 7)
		all &= fetch_is(1, i);
	ok(all && fetch_is(1, 0) && fetch_is(1, 9) && fetch_is(1, 10) &&
		fetch_is(1, FRAMES * PER - 1),
	    "fetches across every frame give the exact line");
	{
		struct sc_archive_ref ref = { 1, FRAMES * PER };
		uint8_t *raw = NULL;
		size_t len;

		ok(archive_fetch(dir, &ref, &raw, &len, NULL) == -1,
		    "a record past the end does not exist");
		free(raw);
	}
	r = seg_reader_open(path, 1);
	ok(r != NULL, "reader");
	if (r != NULL) {
		int got;

		seg_reader_skip_to(r, 495);
		got = seg_reader_next(r, &rec);
		ok(got == 1 && rec.ref.record == 490,
		    "skipping lands on the start of the frame holding 495 "
		    "(got %llu)",
		    (unsigned long long)rec.ref.record);
		seg_reader_close(r);
	}

	ok(rewrite(path, 7, 12345) == 0, "an index frame that lies");
	ok(fetch_is(1, 75) && fetch_is(1, 455) && fetch_is(1, 3),
	    "still fetches right (read through past it)");
	ok(rewrite(path, -1, 0) == 0, "a segment without index frames");
	ok(fetch_is(1, 0) && fetch_is(1, 255) && fetch_is(1, 499),
	    "still fetches right (scanned)");
	if (getenv("KEEP") == NULL) {
		snprintf(err, sizeof(err), "rm -rf '%s'", dir);
		if (system(err) != 0)
			diag("cleanup failed");
	}
	return done_testing();
}
