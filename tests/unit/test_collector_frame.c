/*
 * test_collector_frame.c — the stream framer (RFC 6587): octet counting
 * and LF framing chosen per connection, oversize frames truncated or
 * dropped and counted, bad octet counts read as a line without losing the
 * frames after them, and the same result however the bytes are chunked.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "collector/collector_int.h"
#include "tests/tap.h"

#define MAXF 64

struct sink {
	char out[4096]; /* frames joined by '|', truncated ones marked '~' */
	size_t len;
	int frames;
};

static int
collect(void *arg, const uint8_t *p, size_t n, uint32_t flags)
{
	struct sink *s = arg;

	if (s->len + n + 2 < sizeof(s->out)) {
		if (s->frames > 0)
			s->out[s->len++] = '|';
		memcpy(s->out + s->len, p, n);
		s->len += n;
		if (flags & SC_EV_TRUNCATED)
			s->out[s->len++] = '~';
		s->out[s->len] = '\0';
	}
	s->frames++;
	return 0;
}

/* Feed in chunks of `chunk` bytes, keeping unconsumed bytes like a
 * connection's input buffer; EOF at the end. */
static void
run(const char *in, size_t inlen, size_t max, int drop, size_t chunk,
    struct sink *s, struct framer *fr)
{
	uint8_t buf[8192];
	size_t have = 0, off = 0;

	memset(s, 0, sizeof(*s));
	framer_init(fr, max, drop);
	for (;;) {
		size_t n = inlen - off < chunk ? inlen - off : chunk, used;
		int eof;

		memcpy(buf + have, in + off, n);
		have += n;
		off += n;
		eof = off == inlen;
		used = framer_scan(fr, buf, have, eof, collect, s);
		memmove(buf, buf + used, have - used);
		have -= used;
		if (eof)
			break;
	}
}

struct row {
	const char *name;
	const char *in;
	size_t max;
	int drop;
	const char *want;
	uint64_t truncated, dropped, bad;
};

static const struct row rows[] = {
	{ "lf", "<13>a\n<13>b\n", MAXF, 0, "<13>a|<13>b", 0, 0, 0 },
	{ "lf crlf and blank lines", "<13>a\r\n\n\n<13>b\r\n", MAXF, 0,
	    "<13>a|<13>b", 0, 0, 0 },
	{ "lf last line without newline at eof", "<13>a\n<13>b", MAXF, 0,
	    "<13>a|<13>b", 0, 0, 0 },
	{ "lf nul-terminated", "<13>a\0\n", MAXF, 0, "<13>a", 0, 0, 0 },
	{ "octet", "5 <13>a5 <13>b", MAXF, 0, "<13>a|<13>b", 0, 0, 0 },
	{ "octet with newline in msg", "9 <13>a\nb\nc", MAXF, 0, "<13>a\nb\nc",
	    0, 0, 0 },
	{ "octet with stray lf between", "5 <13>a\n5 <13>b\n", MAXF, 0,
	    "<13>a|<13>b", 0, 0, 0 },
	{ "octet oversize truncated, next kept",
	    "70 <13>0123456789012345678901234567890123456789012345678901234567890123455 <13>z",
	    MAXF, 0,
	    "<13>012345678901234567890123456789012345678901234567890123456789~|<13>z",
	    1, 0, 0 },
	{ "octet oversize dropped, next kept",
	    "70 <13>0123456789012345678901234567890123456789012345678901234567890123455 <13>z",
	    MAXF, 1, "<13>z", 0, 1, 0 },
	{ "lf oversize truncated, rest skipped",
	    "<13>0123456789012345678901234567890123456789012345678901234567890123456789\n<13>z\n",
	    MAXF, 0,
	    "<13>012345678901234567890123456789012345678901234567890123456789~|<13>z",
	    1, 0, 0 },
	{ "bad count read as a line", "5 <13>a12x <13>oops\n5 <13>b", MAXF, 0,
	    "<13>a|12x <13>oops|<13>b", 0, 0, 1 },
	{ "leading zero is a bad count", "5 <13>a05 <13>b\n5 <13>c", MAXF, 0,
	    "<13>a|05 <13>b|<13>c", 0, 0, 1 },
	{ "huge count", "5 <13>a9999999999 x\n5 <13>c", MAXF, 0,
	    "<13>a|9999999999 x|<13>c", 0, 0, 1 },
	{ "peer closes mid-frame", "5 <13>a20 <13>cut", MAXF, 0,
	    "<13>a|<13>cut~", 1, 0, 0 },
	{ "binary bytes kept", "7 <13>\xff\x00\x01", MAXF, 0, "<13>\xff", 0, 0,
	    0 },
};

int
main(void)
{
	for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		const struct row *w = &rows[r];
		size_t inlen = strlen(w->in);
		static const size_t chunks[] = { 1, 3, 7, 4096 };

		if (r == sizeof(rows) / sizeof(rows[0]) - 1)
			inlen = 2 + 7; /* "7 <13>\xff\0\x01" has a NUL */
		if (strcmp(w->name, "lf nul-terminated") == 0)
			inlen = 7;
		for (size_t c = 0; c < 4; c++) {
			struct framer fr;
			struct sink s;

			run(w->in, inlen, w->max, w->drop, chunks[c], &s, &fr);
			if (r == sizeof(rows) / sizeof(rows[0]) - 1) {
				ok(s.frames == 1 && s.len == 7,
				    "%s (chunk %zu): one 7-byte frame", w->name,
				    chunks[c]);
				continue;
			}
			is_str(s.out, w->want, "%s (chunk %zu)", w->name,
			    chunks[c]);
			is_int(fr.truncated, w->truncated,
			    "%s (chunk %zu): truncated", w->name, chunks[c]);
			is_int(fr.dropped_oversize, w->dropped,
			    "%s (chunk %zu): dropped", w->name, chunks[c]);
			is_int(fr.bad_count, w->bad,
			    "%s (chunk %zu): bad counts", w->name, chunks[c]);
		}
	}
	return done_testing();
}
