/*
 * fuzz_rfc5424.c — the RFC 5424 parser (and the dispatching parse_syslog)
 * on arbitrary bytes: no crash, every view stays inside the frame.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/collector.h"
#include "common/timeutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
inside(const struct sc_event *ev, const char *p, size_t n)
{
	const char *r = (const char *)ev->raw;

	if (n > 0 && (p < r || p + n > r + ev->rawlen))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sc_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.raw = data;
	ev.rawlen = size;
	ev.recv_us = 1795000000LL * TIME_US_PER_SEC;
	parse_rfc5424(&ev);
	parse_syslog(&ev, TIME_JST_OFFSET);
	inside(&ev, ev.host, ev.hostlen);
	/* FortiGate key=value lines name no program: the parser sets the
	 * static "fortigate"; every other view lies inside the frame. */
	if (!(ev.applen == 9 && memcmp(ev.app, "fortigate", 9) == 0))
		inside(&ev, ev.app, ev.applen);
	inside(&ev, ev.procid, ev.procidlen);
	inside(&ev, ev.msgid, ev.msgidlen);
	inside(&ev, ev.sd, ev.sdlen);
	inside(&ev, ev.msg, ev.msglen);
	return 0;
}
