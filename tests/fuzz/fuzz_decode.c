/*
 * fuzz_decode.c — raw frames through the whole packet path: decoders,
 * defrag, flows, TCP reassembly and the app layer.  The first byte picks
 * the link type; the rest is split into frames at each 0xFE 0xED pair,
 * so one input is a short capture (reassembly and defrag state carry
 * across its frames).
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "sensor/sensor_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const int links[] = { 1, 0, 101, 104, 113, 276, 12, 108 };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct sensor_config cfg;
	struct sensor *s;
	int lt;
	size_t i = 1, start = 1;
	int64_t t = 1000000;

	if (len < 1)
		return 0;
	sensor_config_defaults(&cfg);
	cfg.midstream = data[0] & 0x80 ? 1 : 0;
	cfg.workers = 1; /* packets go straight to sensor_packet() */
	cfg.flows_max = 4;
	cfg.reasm_flow_max = 512;
	cfg.frag_memcap = 8192;
	lt = links[data[0] % (sizeof(links) / sizeof(links[0]))];
	s = sensor_new(&cfg, NULL);
	if (s == NULL)
		return 0;
	for (i = 1; i <= len; i++) {
		struct sc_pkt p;

		if (i < len &&
		    !(i + 1 < len && data[i] == 0xfe && data[i + 1] == 0xed))
			continue;
		memset(&p, 0, sizeof(p));
		p.raw = data + start;
		p.caplen = p.wirelen = (uint32_t)(i - start);
		p.ts_us = t;
		t += 1000;
		p.linktype = lt;
		sensor_packet(s, &p);
		start = i + 2;
		i++;
	}
	sensor_free(s);
	return 0;
}
