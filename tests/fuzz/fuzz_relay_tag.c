/*
 * fuzz_relay_tag.c — tagging through a trusted relay on arbitrary bytes:
 * the input is used as the HOSTNAME of a line from a `relay yes` source,
 * and as a whole frame (parsed, then tagged) from that relay.  No crash,
 * no read outside the input; a re-tagged line carries one of the 団体 of
 * the policy (or none, for an SC-owned source) and an origin that
 * tagger_relay_origin() gives back again.  The same bytes from 団体 A's
 * own relay are always tagged 242501, whatever they claim (relay scope).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/collector_int.h"
#include "common/timeutil.h"
#include "policies/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char policy[] =
    "prefecture \"P\" {\n code 240001\n model alpha\n}\n"
    "cloud {\n tier SC 10.200.0.0/16\n"
    " source sc-relay 10.200.0.5 type relay relay yes\n"
    " source sc-fw 10.200.0.1 type fortigate\n}\n"
    "municipality \"A\" {\n code 242501\n type city\n"
    " tier I 10.11.32.0/20\n source a-fw 10.11.32.1 type fortigate\n"
    " source A-FW2 10.11.32.2\n source a-fw2 10.11.32.3\n"
    " source a-relay 10.11.32.9 relay yes\n}\n"
    "municipality \"B\" {\n code 242012\n type town\n"
    " tier I 10.12.32.0/20 2001:db8:12::/48\n"
    " source b-proxy 10.12.32.2 type squid\n}\n";

static struct tagger *
tagger_get(void)
{
	static struct tagger *t;
	char path[] = "/tmp/sc-fuzz-relay-XXXXXX", err[128];
	int fd;

	if (t != NULL)
		return t;
	if ((fd = mkstemp(path)) == -1 ||
	    write(fd, policy, strlen(policy)) != (ssize_t)strlen(policy))
		abort();
	close(fd);
	t = tagger_load(path, err, sizeof(err));
	unlink(path);
	if (t == NULL)
		abort();
	return t;
}

static void
check(const struct tagger *t, const struct sc_event *ev)
{
	struct addr o;
	struct policy_tag pt;

	if (!(ev->flags & SC_EV_RELAYED))
		return;
	if (strcmp(ev->muni, "242501") != 0 &&
	    strcmp(ev->muni, "242012") != 0 && ev->muni[0] != '\0')
		abort();
	if (tagger_relay_origin(t, ev->host, ev->hostlen, &o, &pt) != 1 ||
	    addr_cmp(&o, &ev->origin) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct tagger *t = tagger_get();
	struct sc_event ev;
	uint8_t *copy;

	/* exactly size bytes, so ASan sees any read past the end */
	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	memset(&ev, 0, sizeof(ev));
	addr_parse("10.200.0.5", &ev.peer);
	ev.host = (const char *)copy;
	ev.hostlen = size;
	ev.flags = SC_EV_RFC5424;
	tag_event(t, &ev);
	check(t, &ev);

	memset(&ev, 0, sizeof(ev));
	addr_parse("10.200.0.5", &ev.peer);
	ev.raw = copy;
	ev.rawlen = size;
	ev.recv_us = 1798761599LL * TIME_US_PER_SEC;
	parse_syslog(&ev, TIME_JST_OFFSET);
	tag_event(t, &ev);
	check(t, &ev);

	/* 団体 A's relay never tags outside A */
	addr_parse("10.11.32.9", &ev.peer);
	tag_event(t, &ev);
	check(t, &ev);
	if (strcmp(ev.muni, "242501") != 0)
		abort();
	if ((ev.flags & SC_EV_RELAY_DENIED) && (ev.flags & SC_EV_RELAYED))
		abort();
	free(copy);
	return 0;
}
