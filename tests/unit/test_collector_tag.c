/*
 * test_collector_tag.c — tagging events from the policy: a declared
 * source gets its 団体 and tier and is known; an address inside a 団体's
 * ranges but not declared gets the 団体 and is counted unknown; an
 * address outside the policy is unknown with no 団体.  Also batch_add:
 * the frame is copied (the event owns no pointer into the caller's
 * buffer), parsed and tagged, and a full batch says so.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/collector_int.h"
#include "common/timeutil.h"
#include "tests/tap.h"

static const char policy[] =
    "prefecture \"テスト県\" {\n code 240001\n model alpha\n}\n"
    "municipality \"テスト市\" {\n code 242501\n type city\n"
    " tier L 10.11.16.0/20\n tier I 10.11.32.0/20\n"
    " source chuo-fw 10.11.32.1 type fortigate interval 5m\n}\n";

static struct sc_event
tag(const struct tagger *t, const char *a)
{
	struct sc_event ev;

	memset(&ev, 0, sizeof(ev));
	addr_parse(a, &ev.peer);
	tag_event(t, &ev);
	return ev;
}

int
main(void)
{
	char path[] = "/tmp/sc-tag-XXXXXX", err[256];
	struct tagger *t;
	struct sc_event ev;
	const struct tag_source *s;
	struct addr a;
	int fd = mkstemp(path);

	ok(fd != -1 &&
		write(fd, policy, strlen(policy)) == (ssize_t)strlen(policy),
	    "policy file");
	close(fd);
	t = tagger_load(path, err, sizeof(err));
	ok(t != NULL, "policy loads (%s)", t ? "" : err);
	is_int(tagger_count(t), 1, "one declared source");

	ev = tag(t, "10.11.32.1");
	is_str(ev.muni, "242501", "declared source: its 団体");
	is_int(ev.tier, SC_TIER_I, "declared source: tier I");
	ok(!(ev.flags & SC_EV_UNKNOWN_SOURCE), "declared source: known");
	addr_parse("10.11.32.1", &a);
	s = tagger_lookup(t, &a);
	ok(s != NULL && strcmp(s->name, "chuo-fw") == 0 &&
		s->interval_s == 300 && strcmp(s->type, "fortigate") == 0,
	    "source name, type and interval");

	ev = tag(t, "10.11.17.9");
	is_str(ev.muni, "242501", "undeclared host in the 団体: its 団体");
	is_int(ev.tier, SC_TIER_L, "in its L range");
	ok(ev.flags & SC_EV_UNKNOWN_SOURCE, "but an unknown source");

	ev = tag(t, "192.0.2.1");
	is_str(ev.muni, "", "outside the policy: no 団体");
	ok(ev.flags & SC_EV_UNKNOWN_SOURCE, "and unknown");

	ok(tagger_load("/nonexistent/policy.conf", err, sizeof(err)) == NULL,
	    "a missing policy is refused");
	ev = tag(NULL, "10.11.32.1");
	ok(ev.flags & SC_EV_UNKNOWN_SOURCE, "no policy: everything unknown");

	/* batch_add copies, parses and tags */
	{
		struct pipeline_conf pc = { 2, 64, 2, 1000000 };
		struct pipeline *pl = pipeline_new(&pc);
		struct batch *b = pipeline_get(pl, 0), *b2;
		struct ingress in;
		char line[] = "<38>Nov 22 17:53:26 fw sshd[1]: hello";
		struct sc_event *e;

		memset(&in, 0, sizeof(in));
		addr_parse("10.11.32.1", &in.peer);
		in.transport = 't';
		in.recv_us = time_now_us();
		in.tagger = t;
		in.tzoff = TIME_JST_OFFSET;
		e = batch_add(b, (const uint8_t *)line, strlen(line), 0, &in);
		ok(e != NULL, "batch_add");
		memset(line, 'X', sizeof(line) - 1); /* caller reuses */
		ok(e != NULL && e->msglen == 5 &&
			memcmp(e->msg, "hello", 5) == 0,
		    "the event points at its own copy");
		is_str(e ? e->muni : "", "242501", "and is tagged");
		ok(batch_add(b, (const uint8_t *)"<13>x", 5, 0, &in) != NULL,
		    "second event fits");
		ok(batch_add(b, (const uint8_t *)"<13>y", 5, 0, &in) == NULL,
		    "a full batch (2 events) refuses the third");
		b2 = pipeline_get(pl, 0);
		ok(b2 != NULL, "second batch of the pool");
		ok(pipeline_get(pl, 0) == NULL,
		    "pool exhausted: no wait for UDP");
		pipeline_submit(pl, b);
		ok(pipeline_next(pl, 1000) == b, "the writer gets the batch");
		pipeline_release(pl, b);
		pipeline_release(pl, b2);
		pipeline_free(pl);
	}
	tagger_free(t);
	unlink(path);
	return done_testing();
}
