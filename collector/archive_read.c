/*
 * archive_read.c — the read side of the sealed archive: segment paths, the
 * MANIFEST (read and append, with its hash chain), reading records back
 * out of a segment, and archive_fetch() for an alert's evidence.
 *
 * A segment file is a sequence of zstd frames, one per writer batch; each
 * frame decompresses to records laid end to end:
 *
 *   u32 len  (bytes after this field, little endian)
 *   u64 recv_us, u8 transport, u8 version, u16 peer_port, u32 flags,
 *   u8 peer[16], char muni[6] (NUL-padded),
 *   version 1 only: u8 origin[16] (the host behind a relay; zero unless
 *   flags has SC_EV_RELAYED or SC_EV_RELAY_DENIED),
 *   then the raw frame.
 *
 * Version 0 (the byte was always 0 before session 3) has no origin: a
 * 42-byte header.  Both read; a record of any other version is corrupt.
 *
 * Since session 2 each data frame is preceded by a 24-byte skippable
 * index frame (collector_int.h) giving its first record number and count,
 * so fetching one record decompresses one frame: seg_reader_skip_to()
 * hops over the frames before it by their compressed sizes.  An index
 * that disagrees with the count so far is ignored (the frames are read).
 *
 * A frame torn by a crash reads as the end of the segment (seg_reader_torn
 * tells), so the writer's recovery can cut it off.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <zstd.h>

#include "collector/collector_int.h"

#define FRAME_CONTENT_MAX (1ULL << 30)

int
archive_manifest_path(const char *datadir, char *out, size_t len)
{
	int n = snprintf(out, len, "%s/archive/MANIFEST", datadir);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* Find DATADIR/archive/DAY.SEG.zst by its segment number. */
int
archive_seg_path(const char *datadir, uint64_t seg, char *out, size_t len)
{
	char dir[4096], suffix[32];
	struct dirent *de;
	DIR *d;
	int rc = -1;

	snprintf(dir, sizeof(dir), "%s/archive", datadir);
	snprintf(suffix, sizeof(suffix), ".%016" PRIu64 ".zst", seg);
	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		size_t nl = strlen(de->d_name), sl = strlen(suffix);

		if (nl == 10 + sl &&
		    strcmp(de->d_name + nl - sl, suffix) == 0) {
			int n = snprintf(out, len, "%s/%s", dir, de->d_name);

			rc = n < 0 || (size_t)n >= len ? -1 : 0;
			break;
		}
	}
	closedir(d);
	return rc;
}

int
sha256_file(const char *path, char hex[65], uint64_t *bytes)
{
	unsigned char md[EVP_MAX_MD_SIZE], buf[65536];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx;
	uint64_t total = 0;
	ssize_t r;
	int fd, rc = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
		goto out;
	while ((r = read(fd, buf, sizeof(buf))) > 0) {
		EVP_DigestUpdate(ctx, buf, (size_t)r);
		total += (uint64_t)r;
	}
	if (r < 0 || EVP_DigestFinal_ex(ctx, md, &mdlen) != 1)
		goto out;
	for (unsigned int i = 0; i < mdlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	if (bytes != NULL)
		*bytes = total;
	rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	close(fd);
	return rc;
}

/* chain = SHA-256(prev_chain_hex " " line_without_chain), as hex */
static void
chain_hash(const char *prev, const char *line, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	EVP_DigestUpdate(ctx, prev, strlen(prev));
	EVP_DigestUpdate(ctx, " ", 1);
	EVP_DigestUpdate(ctx, line, strlen(line));
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	for (unsigned int i = 0; i < mdlen; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static void
entry_text(const struct manifest_entry *e, char *out, size_t len)
{
	if (e->pruned)
		snprintf(out, len,
		    "pruned=%" PRIu64 " day=%s records=%" PRIu64 " sha256=%s",
		    e->segment, e->day, e->records, e->sha256);
	else
		snprintf(out, len,
		    "segment=%" PRIu64 " day=%s records=%" PRIu64
		    " bytes=%" PRIu64 " first=%" PRId64 " last=%" PRId64
		    " sha256=%s",
		    e->segment, e->day, e->records, e->bytes, e->first_us,
		    e->last_us, e->sha256);
}

const char *const manifest_genesis =
    "0000000000000000000000000000000000000000000000000000000000000000";

int
manifest_append(const char *datadir, const char *prev, struct manifest_entry *e)
{
	char path[4096], text[512], line[640];
	int fd, n, rc = -1;

	if (archive_manifest_path(datadir, path, sizeof(path)) != 0)
		return -1;
	entry_text(e, text, sizeof(text));
	chain_hash(
	    prev != NULL && prev[0] ? prev : manifest_genesis, text, e->chain);
	n = snprintf(line, sizeof(line), "%s chain=%s\n", text, e->chain);
	if ((fd = open(
		 path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640)) == -1)
		return -1;
	if (write(fd, line, (size_t)n) == n && fsync(fd) == 0)
		rc = 0;
	close(fd);
	return rc;
}

static int
field_u64(const char *line, const char *key, uint64_t *v)
{
	const char *p = strstr(line, key);
	char *end;

	if (p == NULL)
		return -1;
	p += strlen(key);
	errno = 0;
	*v = strtoull(p, &end, 10);
	return end == p || errno ? -1 : 0;
}

static int
field_str(const char *line, const char *key, char *out, size_t len)
{
	const char *p = strstr(line, key);
	size_t n;

	if (p == NULL)
		return -1;
	p += strlen(key);
	n = strcspn(p, " \n");
	if (n == 0 || n >= len)
		return -1;
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

int
manifest_read(const char *datadir, struct manifest_entry **out, size_t *nout,
    char *err, size_t errlen)
{
	return manifest_read_ex(datadir, out, nout, NULL, err, errlen);
}

int
manifest_read_ex(const char *datadir, struct manifest_entry **out, size_t *nout,
    uint64_t *bad_segment, char *err, size_t errlen)
{
	char path[4096], line[1024], text[512], want[65];
	const char *prev = manifest_genesis;
	struct manifest_entry *v = NULL;
	size_t n = 0, cap = 0;
	int lineno = 0;
	FILE *fp;

	*out = NULL;
	*nout = 0;
	archive_manifest_path(datadir, path, sizeof(path));
	if ((fp = fopen(path, "re")) == NULL) {
		if (errno == ENOENT)
			return 0; /* a new archive */
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		struct manifest_entry e;
		uint64_t u;

		lineno++;
		memset(&e, 0, sizeof(e));
		e.line = lineno;
		e.pruned = strncmp(line, "pruned=", 7) == 0;
		if ((e.pruned ? field_u64(line, "pruned=", &e.segment) :
				field_u64(line, "segment=", &e.segment)) ||
		    field_str(line, " day=", e.day, sizeof(e.day)) ||
		    field_u64(line, " records=", &e.records) ||
		    field_str(line, " sha256=", e.sha256, sizeof(e.sha256)) ||
		    field_str(line, " chain=", e.chain, sizeof(e.chain)))
			goto bad;
		if (!e.pruned) {
			if (field_u64(line, " bytes=", &e.bytes) ||
			    field_u64(line, " first=", &u))
				goto bad;
			e.first_us = (int64_t)u;
			if (field_u64(line, " last=", &u))
				goto bad;
			e.last_us = (int64_t)u;
		}
		entry_text(&e, text, sizeof(text));
		chain_hash(prev, text, want);
		if (strcmp(want, e.chain) != 0) {
			snprintf(err, errlen,
			    "MANIFEST:%d: segment %" PRIu64
			    ": chain hash does not match (line altered, "
			    "removed or reordered)",
			    lineno, e.segment);
			if (bad_segment != NULL)
				*bad_segment = e.segment;
			goto fail_seg;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			v = realloc(v, cap * sizeof(*v));
			if (v == NULL)
				goto oom;
		}
		v[n++] = e;
		prev = v[n - 1].chain;
		continue;
bad:
		snprintf(err, errlen, "MANIFEST:%d: malformed line", lineno);
		goto fail;
fail_seg:
		fclose(fp);
		*out = v;
		*nout = n;
		return -2;
	}
	fclose(fp);
	*out = v;
	*nout = n;
	return 0;
oom:
	snprintf(err, errlen, "out of memory");
fail:
	fclose(fp);
	free(v);
	return -1;
}

struct seg_reader {
	uint8_t *map;
	size_t maplen;
	size_t off; /* next frame in the file */
	uint8_t *plain;
	size_t plaincap, plainlen, pos;
	uint64_t segment, record;
	int torn;
	ZSTD_DCtx *dctx;
};

struct seg_reader *
seg_reader_open(const char *path, uint64_t segment)
{
	struct seg_reader *r = calloc(1, sizeof(*r));
	struct stat sb;
	int fd;

	if (r == NULL)
		return NULL;
	r->segment = segment;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &sb) == -1) {
		if (fd != -1)
			close(fd);
		free(r);
		return NULL;
	}
	r->maplen = (size_t)sb.st_size;
	if (r->maplen > 0) {
		r->map = mmap(NULL, r->maplen, PROT_READ, MAP_PRIVATE, fd, 0);
		if (r->map == MAP_FAILED) {
			close(fd);
			free(r);
			return NULL;
		}
	}
	close(fd);
	r->dctx = ZSTD_createDCtx();
	return r;
}

/* Decompress the next frame into plain.  1, 0 at the end, -1 bad. */
static int
next_frame(struct seg_reader *r)
{
	size_t csize, got;
	unsigned long long want;

	if (r->off >= r->maplen)
		return 0;
	csize =
	    ZSTD_findFrameCompressedSize(r->map + r->off, r->maplen - r->off);
	if (ZSTD_isError(csize)) {
		r->torn = 1;
		return 0;
	}
	want = ZSTD_getFrameContentSize(r->map + r->off, csize);
	if (want == ZSTD_CONTENTSIZE_ERROR ||
	    want == ZSTD_CONTENTSIZE_UNKNOWN || want > FRAME_CONTENT_MAX)
		return -1;
	if (want > r->plaincap) {
		uint8_t *p = realloc(r->plain, (size_t)want);

		if (p == NULL)
			return -1;
		r->plain = p;
		r->plaincap = (size_t)want;
	}
	got = ZSTD_decompressDCtx(
	    r->dctx, r->plain, r->plaincap, r->map + r->off, csize);
	if (ZSTD_isError(got) || got != want)
		return -1;
	r->off += csize;
	r->plainlen = got;
	r->pos = 0;
	return 1;
}

static uint64_t
rd64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

int
seg_reader_next(struct seg_reader *r, struct archive_record *rec)
{
	const uint8_t *p;
	uint32_t len;
	size_t hdr;
	int rc;

	while (r->pos >= r->plainlen) {
		if ((rc = next_frame(r)) <= 0)
			return rc;
	}
	if (r->plainlen - r->pos < 4)
		return -1;
	p = r->plain + r->pos;
	len = rd32(p);
	if (len < ARCHIVE_REC_HDR_V0 - 4 || len > r->plainlen - r->pos - 4)
		return -1;
	switch (p[13]) {
	case 0:
		hdr = ARCHIVE_REC_HDR_V0;
		break;
	case 1:
		hdr = ARCHIVE_REC_HDR_V1;
		break;
	default:
		return -1; /* a version this build does not know */
	}
	if (len < hdr - 4)
		return -1;
	memset(rec, 0, sizeof(*rec));
	rec->version = p[13];
	rec->ref.segment = r->segment;
	rec->ref.record = r->record++;
	rec->recv_us = (int64_t)rd64(p + 4);
	rec->transport = p[12];
	rec->peer_port = (uint16_t)(p[14] | p[15] << 8);
	rec->flags = rd32(p + 16);
	memcpy(rec->peer.b, p + 20, 16);
	memcpy(rec->muni, p + 36, 6);
	rec->muni[6] = '\0';
	if (rec->version >= 1)
		memcpy(rec->origin.b, p + 42, 16);
	rec->raw = p + hdr;
	rec->rawlen = len + 4 - hdr;
	r->pos += 4 + (size_t)len;
	return 1;
}

void
seg_reader_skip_to(struct seg_reader *r, uint64_t record)
{
	/* only from a frame boundary */
	while (r->pos >= r->plainlen && r->off < r->maplen) {
		const uint8_t *p = r->map + r->off;
		size_t rem = r->maplen - r->off, csize;
		uint64_t first;
		uint32_t n;

		if (rem < ARCHIVE_INDEX_FRAME ||
		    rd32(p) != ARCHIVE_INDEX_MAGIC ||
		    rd32(p + 4) != ARCHIVE_INDEX_FRAME - 8 ||
		    memcmp(p + 8, "scix", 4) != 0)
			return; /* no index here: read on */
		first = rd64(p + 12);
		n = rd32(p + 20);
		if (first != r->record)
			return; /* disagrees with the count: read on */
		if (record < first + n)
			return; /* the next data frame holds it */
		csize = ZSTD_findFrameCompressedSize(
		    p + ARCHIVE_INDEX_FRAME, rem - ARCHIVE_INDEX_FRAME);
		if (ZSTD_isError(csize))
			return; /* torn: let the reader say so */
		r->off += ARCHIVE_INDEX_FRAME + csize;
		r->record += n;
	}
}

int
seg_reader_torn(const struct seg_reader *r)
{
	return r->torn;
}

size_t
seg_reader_good_end(const struct seg_reader *r)
{
	return r->off;
}

void
seg_reader_close(struct seg_reader *r)
{
	if (r == NULL)
		return;
	if (r->map != NULL)
		munmap(r->map, r->maplen);
	ZSTD_freeDCtx(r->dctx);
	free(r->plain);
	free(r);
}

int
archive_fetch(const char *datadir, const struct sc_archive_ref *ref,
    uint8_t **raw, size_t *rawlen, struct archive_record *out)
{
	struct archive_record rec;
	struct seg_reader *r;
	char path[4096];
	int rc = -1, got;

	if (ref->segment == 0 ||
	    archive_seg_path(datadir, ref->segment, path, sizeof(path)) != 0 ||
	    (r = seg_reader_open(path, ref->segment)) == NULL)
		return -1;
	seg_reader_skip_to(r, ref->record);
	while ((got = seg_reader_next(r, &rec)) == 1) {
		if (rec.ref.record != ref->record)
			continue;
		if ((*raw = malloc(rec.rawlen + 1)) == NULL)
			break;
		memcpy(*raw, rec.raw, rec.rawlen);
		(*raw)[rec.rawlen] = '\0';
		*rawlen = rec.rawlen;
		if (out != NULL) {
			*out = rec;
			out->raw = *raw;
		}
		rc = 0;
		break;
	}
	seg_reader_close(r);
	return rc;
}
