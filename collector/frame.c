/*
 * frame.c — cutting a TCP (or TLS, or unix stream) byte stream into syslog
 * frames: octet counting (RFC 6587 3.4.1, "LEN SP MSG") or LF framing
 * (3.4.2), chosen by the first byte of the connection.
 *
 * Peer-controlled sizes are bounded by frame-max: a longer frame is cut at
 * frame-max and delivered with SC_EV_TRUNCATED (or dropped, if so
 * configured), and the rest of it is skipped; either way it is counted.
 * A bad octet count in an octet-counted stream (not digits, leading zero,
 * too long, no space) does not end the connection: that line is delivered
 * as an LF-framed frame and counted, and the next frame is read as octet
 * counted again.  The framer never allocates; frames are views into the
 * caller's buffer, valid during the callback.
 */
#include "config.h"

#include <string.h>

#include "collector/collector_int.h"

void
framer_init(struct framer *fr, size_t max, int drop_oversize)
{
	memset(fr, 0, sizeof(*fr));
	fr->max = max;
	fr->drop_oversize = drop_oversize;
}

/* Deliver one frame unless it is an oversize one to drop.  0 or -1. */
static int
emit(struct framer *fr, const uint8_t *p, size_t n, uint32_t flags, frame_fn fn,
    void *arg)
{
	if (flags & SC_EV_TRUNCATED) {
		if (fr->drop_oversize) {
			fr->dropped_oversize++;
			return 0;
		}
		if (fn(arg, p, n, flags) != 0)
			return -1;
		fr->truncated++;
		return 0;
	}
	while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == '\0'))
		n--; /* CR LF and NUL-terminated senders */
	if (n == 0)
		return 0;
	return fn(arg, p, n, flags);
}

/* One LF-terminated frame at buf.  Bytes consumed, 0 if incomplete/stop. */
static size_t
lf_frame(struct framer *fr, const uint8_t *buf, size_t len, int eof,
    frame_fn fn, void *arg, int *stop)
{
	size_t look = len < fr->max + 1 ? len : fr->max + 1;
	const uint8_t *nl = memchr(buf, '\n', look);

	if (nl != NULL) {
		if (emit(fr, buf, nl - buf, 0, fn, arg) != 0) {
			*stop = 1;
			return 0;
		}
		return nl - buf + 1;
	}
	if (len > fr->max) {
		if (emit(fr, buf, fr->max, SC_EV_TRUNCATED, fn, arg) != 0) {
			*stop = 1;
			return 0;
		}
		fr->skip_lf = 1;
		return fr->max;
	}
	if (eof && len > 0) {
		if (emit(fr, buf, len, 0, fn, arg) != 0) {
			*stop = 1;
			return 0;
		}
		return len;
	}
	return 0;
}

/* -1: bad header; 0: need more; else the header length, count in *n. */
static int
octet_header(const uint8_t *buf, size_t len, size_t *n)
{
	size_t i = 0, v = 0;

	if (len == 0)
		return 0;
	if (buf[0] < '1' || buf[0] > '9')
		return -1;
	while (i < len && buf[i] >= '0' && buf[i] <= '9') {
		if (i >= 9)
			return -1;
		v = v * 10 + (buf[i] - '0');
		i++;
	}
	if (i >= len)
		return 0;
	if (buf[i] != ' ')
		return -1;
	*n = v;
	return (int)i + 1;
}

static size_t
octet_frame(struct framer *fr, const uint8_t *buf, size_t len, int eof,
    frame_fn fn, void *arg, int *stop)
{
	size_t n = 0, avail;
	int h = octet_header(buf, len, &n);

	if (h < 0) {
		/* counted once, when the line is delivered */
		size_t used = lf_frame(fr, buf, len, eof, fn, arg, stop);

		if (used > 0)
			fr->bad_count++;
		return used;
	}
	if (h == 0) {
		if (eof && len > 0) {
			fr->bad_count++;
			return lf_frame(fr, buf, len, eof, fn, arg, stop);
		}
		return 0;
	}
	avail = len - h;
	if (n > fr->max) {
		if (avail < fr->max && !eof)
			return 0;
		if (avail > fr->max)
			avail = fr->max;
		if (emit(fr, buf + h, avail, SC_EV_TRUNCATED, fn, arg) != 0) {
			*stop = 1;
			return 0;
		}
		fr->skip = n - avail;
		return h + avail;
	}
	if (avail < n) {
		if (!eof)
			return 0;
		/* the peer closed mid-frame: keep what came, flagged */
		if (emit(fr, buf + h, avail, SC_EV_TRUNCATED, fn, arg) != 0) {
			*stop = 1;
			return 0;
		}
		return len;
	}
	if (emit(fr, buf + h, n, 0, fn, arg) != 0) {
		*stop = 1;
		return 0;
	}
	return h + n;
}

size_t
framer_scan(struct framer *fr, const uint8_t *buf, size_t len, int eof,
    frame_fn fn, void *arg)
{
	size_t off = 0;
	int stop = 0;

	while (off < len && !stop) {
		const uint8_t *p = buf + off;
		size_t rest = len - off, used;

		if (fr->skip > 0) {
			used = rest < fr->skip ? rest : fr->skip;
			fr->skip -= used;
			off += used;
			continue;
		}
		if (fr->skip_lf) {
			const uint8_t *nl = memchr(p, '\n', rest);

			if (nl == NULL) {
				off = len;
				break;
			}
			fr->skip_lf = 0;
			off += nl - p + 1;
			continue;
		}
		if (fr->mode == FRAME_DETECT)
			fr->mode = (p[0] >= '1' && p[0] <= '9') ? FRAME_OCTET :
								  FRAME_LF;
		if (fr->mode == FRAME_OCTET &&
		    (p[0] == '\n' || p[0] == '\r' || p[0] == ' ')) {
			off++; /* stray separators between counted frames */
			continue;
		}
		if (fr->mode == FRAME_OCTET)
			used = octet_frame(fr, p, rest, eof, fn, arg, &stop);
		else
			used = lf_frame(fr, p, rest, eof, fn, arg, &stop);
		if (used == 0)
			break;
		off += used;
	}
	return off;
}
