/*
 * archive.c — the archive writer: every accepted message, raw, appended to
 * a zstd-compressed segment per JST day (see archive_read.c for the file
 * layout).  One zstd frame per writer batch, so a crash can tear at most
 * the last frame; on open, a segment left unsealed by a crash is cut back
 * to its last whole frame and sealed, so `archive verify` passes after
 * kill -9.  Sealing fsyncs the segment, hashes it and appends a chained
 * line to MANIFEST, under the MANIFEST lock and after its real last line,
 * and moves the chain head kept in the store (archive_head.c).  Only the
 * writer thread calls these functions.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zstd.h>

#include "collector/collector_int.h"
#include "common/log.h"
#include "common/timeutil.h"

struct archive {
	char datadir[4096];
	char path[4200]; /* the open segment */
	int fd; /* -1: none open */
	uint64_t seg, last_seg;
	char day[11];
	int64_t daynum; /* JST day number of the open segment */
	uint64_t records, raw_bytes;
	int64_t first_us, last_us;
	char chain[65];
	ZSTD_CCtx *cctx;
	uint8_t *plain, *comp;
	size_t plaincap, compcap;
};

/*
 * Append e to MANIFEST under its lock, after the chain's real last line
 * (re-read under the lock: `archive prune` may have appended since), and
 * move the store's chain head.  0 or -1.
 */
static int
manifest_seal(struct archive *a, struct manifest_entry *e)
{
	struct manifest_entry *m = NULL, *grown;
	size_t nm = 0;
	char err[512];
	const char *prev = a->chain;
	int lk = manifest_lock(a->datadir, 1), rc = -1, known;

	known = manifest_read(a->datadir, &m, &nm, err, sizeof(err)) == 0;
	if (known) {
		prev = nm ? m[nm - 1].chain : manifest_genesis;
		if (strcmp(prev, a->chain) != 0)
			log_info("archive: MANIFEST moved on (a prune): "
				 "chaining after its last line");
	} else {
		log_warnx("archive: %s; sealing after the last line this "
			  "writer wrote",
		    err);
	}
	if (manifest_append(a->datadir, prev, e) != 0)
		goto out;
	memcpy(a->chain, e->chain, sizeof(a->chain));
	rc = 0;
	if (known && (grown = realloc(m, (nm + 1) * sizeof(*m))) != NULL) {
		m = grown;
		m[nm++] = *e;
		if (archive_head_sync(a->datadir, m, nm, err, sizeof(err)) < 0)
			log_warnx("archive: %s (the store keeps its chain "
				  "head; run seccloud archive verify)",
			    err);
	}
out:
	free(m);
	manifest_unlock(lk);
	return rc;
}

static int
seal(struct archive *a)
{
	struct manifest_entry e;

	if (a->fd == -1)
		return 0;
	if (fsync(a->fd) == -1)
		log_warn("archive: fsync %s", a->path);
	close(a->fd);
	a->fd = -1;
	if (a->records == 0) {
		unlink(a->path);
		return 0;
	}
	memset(&e, 0, sizeof(e));
	e.segment = a->seg;
	memcpy(e.day, a->day, sizeof(e.day));
	e.records = a->records;
	e.first_us = a->first_us;
	e.last_us = a->last_us;
	if (sha256_file(a->path, e.sha256, &e.bytes) != 0 ||
	    manifest_seal(a, &e) != 0) {
		log_warnx("archive: cannot seal segment %" PRIu64, a->seg);
		return -1;
	}
	ctr_add(CTR_SEGMENTS_SEALED, 1);
	log_info("archive: sealed segment %" PRIu64 " (%s, %" PRIu64
		 " records)",
	    a->seg, a->day, a->records);
	return 0;
}

static int
open_segment(struct archive *a, const char *day)
{
	a->seg = ++a->last_seg;
	memcpy(a->day, day, sizeof(a->day));
	snprintf(a->path, sizeof(a->path), "%s/archive/%s.%016" PRIu64 ".zst",
	    a->datadir, day, a->seg);
	a->fd = open(
	    a->path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0640);
	if (a->fd == -1) {
		log_warn("archive: %s", a->path);
		return -1;
	}
	a->records = a->raw_bytes = 0;
	a->first_us = a->last_us = 0;
	return 0;
}

/* A segment a crash left unsealed: cut the torn tail, count, seal. */
static int
recover(struct archive *a, const char *path, uint64_t seg, const char *day)
{
	struct archive_record rec;
	struct seg_reader *r = seg_reader_open(path, seg);
	int rc;

	if (r == NULL)
		return -1;
	snprintf(a->path, sizeof(a->path), "%s", path);
	a->seg = seg;
	memcpy(a->day, day, 10);
	a->day[10] = '\0';
	a->records = 0;
	a->first_us = a->last_us = 0;
	while ((rc = seg_reader_next(r, &rec)) == 1) {
		if (a->records == 0)
			a->first_us = rec.recv_us;
		a->last_us = rec.recv_us;
		a->records++;
	}
	if (rc < 0 || seg_reader_torn(r)) {
		size_t good = seg_reader_good_end(r);

		/* whole frames before the damage are kept */
		if (rc < 0) {
			log_warnx("archive: segment %" PRIu64
				  " has a corrupt frame; keeping the frames "
				  "before it",
			    seg);
			a->records = 0;
			seg_reader_close(r);
			r = NULL;
		}
		log_warnx("archive: segment %" PRIu64
			  " was torn by a crash; cut back to %zu bytes",
		    seg, good);
		if (truncate(path, (off_t)good) == -1) {
			log_warn("archive: truncate %s", path);
			seg_reader_close(r);
			return -1;
		}
		if (r == NULL) {
			/* recount what remains */
			seg_reader_close(r);
			return recover(a, path, seg, day);
		}
	}
	seg_reader_close(r);
	a->fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (a->fd == -1)
		return -1;
	log_info("archive: recovered unsealed segment %" PRIu64 " (%" PRIu64
		 " records)",
	    seg, a->records);
	return seal(a);
}

/* Name "YYYY-MM-DD.SSSSSSSSSSSSSSSS.zst" -> seg, day.  0 or -1. */
static int
parse_name(const char *name, uint64_t *seg, char day[11])
{
	char *end;

	if (strlen(name) != 10 + 1 + 16 + 4 || name[10] != '.' ||
	    strcmp(name + 27, ".zst") != 0)
		return -1;
	*seg = strtoull(name + 11, &end, 10);
	if (end != name + 27)
		return -1;
	memcpy(day, name, 10);
	day[10] = '\0';
	return 0;
}

struct archive *
archive_open(const char *datadir, int tzoff, char *err, size_t errlen)
{
	struct archive *a = calloc(1, sizeof(*a));
	struct manifest_entry *m = NULL;
	size_t nm = 0;
	char dir[4096];
	struct dirent *de;
	DIR *d;

	(void)tzoff; /* segments follow the JST day, whatever tzoff says */
	if (a == NULL)
		return NULL;
	a->fd = -1;
	snprintf(a->datadir, sizeof(a->datadir), "%s", datadir);
	snprintf(dir, sizeof(dir), "%s/archive", datadir);
	if (mkdir(dir, 0750) == -1 && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		goto fail;
	}
	{
		/* under the lock: MANIFEST and the store's chain head agree,
		 * or the head is ahead of it (lines cut: said loudly, the
		 * head left as the evidence) */
		int lk = manifest_lock(datadir, 1), rc;
		char herr[512];

		rc = manifest_read(datadir, &m, &nm, err, errlen);
		if (rc == 0 &&
		    archive_head_sync(datadir, m, nm, herr, sizeof(herr)) < 0)
			log_warnx("archive: %s (the store keeps its chain "
				  "head; run seccloud archive verify)",
			    herr);
		manifest_unlock(lk);
		if (rc != 0)
			goto fail;
	}
	snprintf(a->chain, sizeof(a->chain), "%s",
	    nm ? m[nm - 1].chain : manifest_genesis);
	for (size_t i = 0; i < nm; i++)
		if (m[i].segment > a->last_seg)
			a->last_seg = m[i].segment;
	free(m);
	/* Unsealed segments: numbers past the last sealed one. */
	if ((d = opendir(dir)) == NULL) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		goto fail;
	}
	for (;;) {
		uint64_t seg, best = 0;
		char day[11], bestday[11], path[4096 + 64];

		rewinddir(d);
		while ((de = readdir(d)) != NULL) {
			if (parse_name(de->d_name, &seg, day) == 0 &&
			    seg > a->last_seg && (best == 0 || seg < best)) {
				best = seg;
				memcpy(bestday, day, sizeof(day));
			}
		}
		if (best == 0)
			break;
		snprintf(path, sizeof(path), "%s/%s.%016" PRIu64 ".zst", dir,
		    bestday, best);
		a->last_seg = best;
		if (recover(a, path, best, bestday) != 0) {
			snprintf(err, errlen, "cannot recover segment %" PRIu64,
			    best);
			closedir(d);
			goto fail;
		}
	}
	closedir(d);
	if ((a->cctx = ZSTD_createCCtx()) == NULL)
		goto fail;
	ZSTD_CCtx_setParameter(a->cctx, ZSTD_c_compressionLevel, 1);
	ZSTD_CCtx_setParameter(a->cctx, ZSTD_c_checksumFlag, 1);
	return a;
fail:
	archive_close(a);
	return NULL;
}

static void
wr32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static void
wr64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static int
grow(uint8_t **p, size_t *cap, size_t need)
{
	uint8_t *n;
	size_t c = *cap ? *cap : 65536;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	if ((n = realloc(*p, c)) == NULL)
		return -1;
	*p = n;
	*cap = c;
	return 0;
}

/* Write one run of events of the same day as one frame. */
static int
write_run(struct archive *a, struct sc_event *ev, size_t n)
{
	size_t need = 0, off = 0, clen;
	ssize_t w;

	for (size_t i = 0; i < n; i++)
		need += ARCHIVE_REC_HDR + ev[i].rawlen;
	if (grow(&a->plain, &a->plaincap, need) != 0 ||
	    grow(&a->comp, &a->compcap,
		ARCHIVE_INDEX_FRAME + ZSTD_compressBound(need)) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		uint8_t *p = a->plain + off;

		wr32(p, (uint32_t)(ARCHIVE_REC_HDR - 4 + ev[i].rawlen));
		wr64(p + 4, (uint64_t)ev[i].recv_us);
		p[12] = ev[i].transport;
		p[13] = ARCHIVE_REC_VERSION;
		p[14] = ev[i].peer_port & 0xff;
		p[15] = ev[i].peer_port >> 8;
		wr32(p + 16, ev[i].flags);
		memcpy(p + 20, ev[i].peer.b, 16);
		memset(p + 36, 0, 6);
		memcpy(p + 36, ev[i].muni, strnlen(ev[i].muni, 6));
		if (ev[i].flags & (SC_EV_RELAYED | SC_EV_RELAY_DENIED))
			memcpy(p + 42, ev[i].origin.b, 16);
		else
			memset(p + 42, 0, 16);
		memcpy(p + ARCHIVE_REC_HDR, ev[i].raw, ev[i].rawlen);
		off += ARCHIVE_REC_HDR + ev[i].rawlen;
	}
	clen = ZSTD_compress2(a->cctx, a->comp + ARCHIVE_INDEX_FRAME,
	    a->compcap - ARCHIVE_INDEX_FRAME, a->plain, off);
	if (ZSTD_isError(clen)) {
		log_warnx("archive: zstd: %s", ZSTD_getErrorName(clen));
		return -1;
	}
	/* the index frame first: which records the data frame holds */
	wr32(a->comp, ARCHIVE_INDEX_MAGIC);
	wr32(a->comp + 4, ARCHIVE_INDEX_FRAME - 8);
	memcpy(a->comp + 8, "scix", 4);
	wr64(a->comp + 12, a->records);
	wr32(a->comp + 20, (uint32_t)n);
	clen += ARCHIVE_INDEX_FRAME;
	for (size_t done = 0; done < clen; done += (size_t)w) {
		w = write(a->fd, a->comp + done, clen - done);
		if (w == -1 && errno == EINTR) {
			w = 0;
			continue;
		}
		if (w <= 0) {
			log_warn("archive: write %s", a->path);
			/* cut the partial frame so the segment stays whole */
			if (ftruncate(a->fd,
				lseek(a->fd, 0, SEEK_END) - (off_t)done) == -1)
				log_warn("archive: ftruncate");
			return -1;
		}
	}
	for (size_t i = 0; i < n; i++) {
		ev[i].archive.segment = a->seg;
		ev[i].archive.record = a->records + i;
	}
	if (a->records == 0)
		a->first_us = ev[0].recv_us;
	a->last_us = ev[n - 1].recv_us;
	a->records += n;
	a->raw_bytes += off;
	ctr_add(CTR_ARCHIVED, n);
	return 0;
}

/* JST day number of a time: cheap enough for every event. */
static int64_t
jst_day(int64_t us)
{
	int64_t s = us / TIME_US_PER_SEC + TIME_JST_OFFSET;

	return s >= 0 ? s / 86400 : (s - 86399) / 86400;
}

int
archive_append(struct archive *a, struct sc_event *ev, size_t n)
{
	size_t i = 0;
	int rc = 0;

	while (i < n) {
		int64_t d = jst_day(ev[i].recv_us);
		size_t j = i + 1;
		char day[32];

		while (j < n && jst_day(ev[j].recv_us) == d)
			j++;
		if (a->fd == -1 || d != a->daynum ||
		    a->raw_bytes >= ARCHIVE_SEG_MAX) {
			time_fmt_day(
			    ev[i].recv_us, TIME_JST_OFFSET, day, sizeof(day));
			if (a->fd != -1)
				seal(a);
			if (open_segment(a, day) != 0) {
				ctr_add(CTR_DROP_ARCHIVE, j - i);
				rc = -1;
				i = j;
				continue;
			}
			a->daynum = d;
		}
		if (write_run(a, ev + i, j - i) != 0) {
			ctr_add(CTR_DROP_ARCHIVE, j - i);
			rc = -1;
		}
		i = j;
	}
	return rc;
}

int
archive_maybe_rotate(struct archive *a, int64_t now_us)
{
	char day[32];

	if (a->fd == -1)
		return 0;
	time_fmt_day(now_us, TIME_JST_OFFSET, day, sizeof(day));
	if (strcmp(day, a->day) != 0 || a->raw_bytes >= ARCHIVE_SEG_MAX)
		return seal(a);
	return 0;
}

int
archive_sync(struct archive *a)
{
	if (a->fd != -1 && fdatasync(a->fd) == -1) {
		log_warn("archive: fdatasync %s", a->path);
		return -1;
	}
	return 0;
}

void
archive_close(struct archive *a)
{
	if (a == NULL)
		return;
	seal(a);
	ZSTD_freeCCtx(a->cctx);
	free(a->plain);
	free(a->comp);
	free(a);
}
