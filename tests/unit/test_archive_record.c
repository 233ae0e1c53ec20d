/*
 * test_archive_record.c — the archive record format.  Records written now
 * (version 1) keep the origin behind a relay: a relayed line's origin and
 * a relay-denied line's claimed origin read back with their flags, a
 * plain line's origin is zero.  Segments of version 0 records (42-byte
 * header, no index frames, as written before session 3) still read back
 * byte for byte, fetch by ref, and verify, beside version 1 segments the
 * writer appends after them; a record of an unknown version is corrupt.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zstd.h>

#include "collector/collector_int.h"
#include "common/timeutil.h"
#include "tests/tap.h"

static char dir[256];

static void
put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void
put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* One version-`ver` record (42-byte header unless ver 1) into out. */
static size_t
old_record(uint8_t *out, int ver, int64_t recv_us, const char *peer,
    uint32_t flags, const char *muni, const char *line)
{
	size_t hdr = ver == 1 ? ARCHIVE_REC_HDR_V1 : ARCHIVE_REC_HDR_V0;
	size_t n = strlen(line);
	struct addr a;

	memset(out, 0, hdr);
	put32(out, (uint32_t)(hdr - 4 + n));
	put64(out + 4, (uint64_t)recv_us);
	out[12] = 'u';
	out[13] = (uint8_t)ver;
	out[14] = 514 & 0xff;
	out[15] = 514 >> 8;
	put32(out + 16, flags);
	addr_parse(peer, &a);
	memcpy(out + 20, a.b, 16);
	memcpy(out + 36, muni, strlen(muni));
	memcpy(out + hdr, line, n);
	return hdr + n;
}

/* plain as one zstd frame into path. */
static int
write_zst(const char *path, const uint8_t *plain, size_t len)
{
	size_t cap = ZSTD_compressBound(len), clen;
	uint8_t *c = malloc(cap);
	FILE *f;
	int rc = -1;

	clen = ZSTD_compress(c, cap, plain, len, 1);
	if (!ZSTD_isError(clen) && (f = fopen(path, "wb")) != NULL) {
		rc = fwrite(c, 1, clen, f) == clen ? 0 : -1;
		fclose(f);
	}
	free(c);
	return rc;
}

/* A sealed segment of the given plain bytes (one zstd frame, no index),
 * recorded in MANIFEST after prev; its chain into chain. */
static int
old_segment(uint64_t seg, const char *day, const uint8_t *plain, size_t len,
    uint64_t records, int64_t first, int64_t last, const char *prev,
    char chain[65])
{
	char path[4200];
	struct manifest_entry e;

	snprintf(path, sizeof(path), "%s/archive/%s.%016llu.zst", dir, day,
	    (unsigned long long)seg);
	if (write_zst(path, plain, len) != 0)
		return -1;
	memset(&e, 0, sizeof(e));
	e.segment = seg;
	snprintf(e.day, sizeof(e.day), "%s", day);
	e.records = records;
	e.first_us = first;
	e.last_us = last;
	if (sha256_file(path, e.sha256, &e.bytes) != 0 ||
	    manifest_append(dir, prev, &e) != 0)
		return -1;
	memcpy(chain, e.chain, 65);
	return 0;
}

static int
addr_is(const struct addr *x, const char *s)
{
	struct addr a;

	return addr_parse(s, &a) == 0 && addr_cmp(x, &a) == 0;
}

static int
zero(const struct addr *x)
{
	static const struct addr z;

	return addr_cmp(x, &z) == 0;
}

int
main(void)
{
	static const char *lines[] = {
		"<13>Nov 20 10:00:00 a-fw app: OLD-0",
		"<13>Nov 20 10:00:01 b-proxy squid: OLD-1",
	};
	uint8_t plain[1024];
	size_t off = 0;
	char path[4200], err[512], chain[65];
	int64_t day0, day1;
	struct archive_record rec;
	struct sc_archive_ref ref;
	struct seg_reader *r;
	struct archive *a;
	struct sc_event ev[3];
	const char *text[3] = { "<13>Nov 21 10:00:00 plain t: NEW-PLAIN",
		"<13>Nov 21 10:00:00 b-proxy t: NEW-RELAYED",
		"<13>Nov 21 10:00:00 b-proxy t: NEW-DENIED" };
	uint8_t *raw;
	size_t rawlen;
	uint64_t bad = 99;

	snprintf(dir, sizeof(dir), "%s/sc-arec-XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ok(mkdtemp(dir) != NULL, "temp dir");
	snprintf(path, sizeof(path), "%s/archive", dir);
	mkdir(path, 0750);
	time_parse_arg("2026-11-20T10:00:00+09:00", &day0);
	time_parse_arg("2026-11-21T10:00:00+09:00", &day1);

	/* segment 1: version 0 records, as an old collector wrote them */
	off += old_record(plain + off, 0, day0, "10.11.32.1", SC_EV_RFC3164,
	    "242501", lines[0]);
	off += old_record(plain + off, 0, day0 + 1, "10.200.0.5",
	    SC_EV_RFC3164 | SC_EV_RELAYED, "242012", lines[1]);
	ok(old_segment(1, "2026-11-20", plain, off, 2, day0, day0 + 1,
	       manifest_genesis, chain) == 0,
	    "a sealed segment of version 0 records");

	/* segment 2: the writer's, version 1, after the old one */
	a = archive_open(dir, TIME_JST_OFFSET, err, sizeof(err));
	ok(a != NULL, "the writer opens the old archive (%s)", a ? "" : err);
	memset(ev, 0, sizeof(ev));
	for (int i = 0; i < 3; i++) {
		ev[i].raw = (const uint8_t *)text[i];
		ev[i].rawlen = strlen(text[i]);
		ev[i].recv_us = day1 + i;
		ev[i].transport = 't';
		ev[i].flags = SC_EV_RFC3164;
	}
	addr_parse("10.11.32.1", &ev[0].peer);
	memcpy(ev[0].muni, "242501", 7);
	addr_parse("10.11.32.1", &ev[0].origin); /* stale: not written */
	addr_parse("10.200.0.5", &ev[1].peer);
	addr_parse("10.12.32.2", &ev[1].origin);
	ev[1].flags |= SC_EV_RELAYED;
	memcpy(ev[1].muni, "242012", 7);
	addr_parse("10.11.32.11", &ev[2].peer);
	addr_parse("10.12.32.2", &ev[2].origin);
	ev[2].flags |= SC_EV_RELAY_DENIED;
	memcpy(ev[2].muni, "242501", 7);
	ok(a != NULL && archive_append(a, ev, 3) == 0, "append 3 records");
	is_int(ev[0].archive.segment, 2, "... into segment 2");
	archive_close(a);

	ok(archive_verify(dir, 0, 0, &bad, err, sizeof(err)) == 0,
	    "verify passes over version 0 and 1 segments (%s)", err);

	/* old records */
	ref.segment = 1;
	ref.record = 1;
	ok(archive_fetch(dir, &ref, &raw, &rawlen, &rec) == 0, "fetch 1:1");
	ok(rawlen == strlen(lines[1]) && memcmp(raw, lines[1], rawlen) == 0,
	    "v0: the exact line");
	is_int(rec.version, 0, "v0: version 0");
	ok(zero(&rec.origin), "v0: no origin kept");
	ok((rec.flags & SC_EV_RELAYED) && addr_is(&rec.peer, "10.200.0.5") &&
		strcmp(rec.muni, "242012") == 0 && rec.recv_us == day0 + 1 &&
		rec.peer_port == 514 && rec.transport == 'u',
	    "v0: flags, peer, 団体, time, port and transport");
	free(raw);
	ref.record = 0;
	ok(archive_fetch(dir, &ref, &raw, &rawlen, &rec) == 0 &&
		rawlen == strlen(lines[0]) &&
		memcmp(raw, lines[0], rawlen) == 0,
	    "v0: the first record too");
	free(raw);

	/* new records */
	ref.segment = 2;
	ref.record = 1;
	ok(archive_fetch(dir, &ref, &raw, &rawlen, &rec) == 0, "fetch 2:1");
	ok(rawlen == strlen(text[1]) && memcmp(raw, text[1], rawlen) == 0,
	    "v1: the exact line");
	is_int(rec.version, 1, "v1: version 1");
	ok(addr_is(&rec.origin, "10.12.32.2") &&
		addr_is(&rec.peer, "10.200.0.5") && (rec.flags & SC_EV_RELAYED),
	    "v1 relayed: origin 10.12.32.2 behind the relay 10.200.0.5");
	free(raw);
	ref.record = 2;
	ok(archive_fetch(dir, &ref, &raw, &rawlen, &rec) == 0 &&
		addr_is(&rec.origin, "10.12.32.2") &&
		(rec.flags & SC_EV_RELAY_DENIED) &&
		!(rec.flags & SC_EV_RELAYED) && strcmp(rec.muni, "242501") == 0,
	    "v1 relay-denied: the claimed origin kept, the relay's 団体");
	free(raw);
	ref.record = 0;
	ok(archive_fetch(dir, &ref, &raw, &rawlen, &rec) == 0 &&
		zero(&rec.origin) && rawlen == strlen(text[0]),
	    "v1 plain: no origin written (a stale one ignored)");
	free(raw);

	/* an unknown record version reads as corrupt, not as garbage (a
	 * segment file of its own, outside the manifest) */
	snprintf(path, sizeof(path), "%s/odd.zst", dir);
	off = old_record(plain, 7, day0, "10.11.32.1", 0, "242501", lines[0]);
	ok(write_zst(path, plain, off) == 0,
	    "a segment with a version 7 record");
	r = seg_reader_open(path, 3);
	ok(r != NULL && seg_reader_next(r, &rec) == -1,
	    "version 7: seg_reader_next says corrupt");
	seg_reader_close(r);
	/* a record too short for its version 1 header */
	old_record(plain, 1, day0, "10.11.32.1", 0, "242501", "");
	put32(plain, ARCHIVE_REC_HDR_V0 - 4);
	ok(write_zst(path, plain, ARCHIVE_REC_HDR_V0) == 0,
	    "a version 1 record cut to 42 bytes");
	r = seg_reader_open(path, 3);
	ok(r != NULL && seg_reader_next(r, &rec) == -1, "... is corrupt");
	seg_reader_close(r);

	{
		char cmd[512];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			diag("cleanup failed");
	}
	return done_testing();
}
