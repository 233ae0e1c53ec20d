/*
 * fuzz_rule_parse.c — any bytes as a rule file: loading (parse, compile)
 * must never crash or leak, whatever is rejected; a loaded set is also
 * matched once against the input itself as a log line and as a packet.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
none(void *ctx, const struct rule_hit *h)
{
	(void)ctx;
	(void)h;
	return 0;
}

static void
quiet(void *arg, const char *file, int line, uint32_t sid, enum rule_reject why,
    const char *reason)
{
	(void)arg;
	(void)file;
	(void)line;
	(void)sid;
	(void)why;
	(void)reason;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;
	struct ruleset_opts o;
	struct ruleset *rs;

	if (size > 16384)
		return 0;
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&o, 0, sizeof(o));
	o.on_error = quiet;
	/* Both domains cost two Hyperscan compiles; alternate by size to keep
	 * the replayed batch quick. */
	for (int d = (int)(size & 1); d < 2; d += 2) {
		o.flags = (d ? RULESET_PACKET : RULESET_LOG) | RULESET_NO_CACHE;
		rs = ruleset_load_string("fuzz", text, &o, NULL);
		if (rs != NULL) {
			struct rule_scratch *s = rule_scratch_new(rs);
			struct correlator *c = correlator_new(NULL);

			if (s != NULL && d == 0) {
				struct rule_logmsg m;

				memset(&m, 0, sizeof(m));
				m.msg = text;
				m.msglen = size;
				m.program = "sshd";
				m.programlen = 4;
				m.facility = m.level = -1;
				ruleset_match_log(rs, s, c, &m, none, NULL);
			} else if (s != NULL) {
				struct rule_packet p;

				memset(&p, 0, sizeof(p));
				p.proto = RULE_PROTO_TCP;
				for (int b = 0; b < RULE_BUF_COUNT; b++) {
					p.buf[b] = data;
					p.len[b] = size;
				}
				p.dsize = size;
				ruleset_match_packet(rs, s, &p, none, NULL);
			}
			correlator_free(c);
			rule_scratch_free(s);
			ruleset_unref(rs);
		}
	}
	free(text);
	return 0;
}
