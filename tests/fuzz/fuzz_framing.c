/*
 * fuzz_framing.c — the stream framer on arbitrary bytes, delivered in
 * chunks of fuzzer-chosen sizes the way a TCP peer would: no crash, no
 * frame longer than frame-max, consumption never past what was given, and
 * at EOF everything is consumed.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/collector_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct sink {
	size_t max, frames;
	unsigned sum; /* of every byte delivered, so each is read */
};

static int
on_frame(void *arg, const uint8_t *p, size_t n, uint32_t flags)
{
	struct sink *s = arg;
	(void)flags;
	if (n > s->max)
		abort();
	for (size_t i = 0; i < n; i++)
		s->sum += p[i]; /* touch every byte (ASan checks bounds) */
	s->frames++;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t buf[4096];
	struct framer fr;
	struct sink s;
	size_t have = 0, off = 0, chunk;

	if (size < 2)
		return 0;
	s.max = 16 + data[0] % 200;
	s.frames = 0;
	s.sum = 0;
	chunk = 1 + data[1] % 64;
	framer_init(&fr, s.max, data[0] & 1);
	data += 2;
	size -= 2;
	while (off < size || have > 0) {
		size_t n = size - off < chunk ? size - off : chunk, used;
		int eof;

		if (n > sizeof(buf) - have)
			n = sizeof(buf) - have;
		memcpy(buf + have, data + off, n);
		have += n;
		off += n;
		eof = off == size;
		used = framer_scan(&fr, buf, have, eof, on_frame, &s);
		if (used > have)
			abort();
		if (eof && used != have)
			abort();
		memmove(buf, buf + used, have - used);
		have -= used;
		if (eof)
			break;
	}
	return 0;
}
