/*
 * test_collector_relay.c — tagging through a trusted relay (`relay yes`):
 * a relayed line is tagged by its HOSTNAME when that names a declared
 * source (any case), is a declared source's address, or lies in a 団体's
 * ranges (団体 and tier, source unknown); otherwise the relay's own tags
 * stay and tagged/relay-unmatched is counted.  HOSTNAME from any other
 * sender (including a source of type relay without `relay yes`) is never
 * trusted.  Hostile HOSTNAMEs (empty, 255+ bytes, NUL, non-UTF-8, names
 * declared twice but for case) resolve to nothing.  Also the real parser
 * path (batch_add) and the policy grammar of the option.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/collector_int.h"
#include "common/timeutil.h"
#include "policies/policy.h"
#include "tests/tap.h"

#define LONGNAME_LEN 255

static char longname[LONGNAME_LEN + 2];

static const char policy_head[] =
    "prefecture \"テスト県\" {\n code 240001\n model alpha\n}\n"
    "cloud {\n tier SC 10.200.0.0/16\n"
    " source sc-relay 10.200.0.5 type relay relay yes interval 1d\n"
    " source sc-fw 10.200.0.1 type fortigate\n}\n"
    "municipality \"テスト市\" {\n code 242501\n type city\n"
    " tier L 10.11.16.0/20\n tier I 10.11.32.0/20\n"
    " source chuo-fw 10.11.32.1 type fortigate interval 5m\n"
    " source chuo-relay 10.11.32.9 type relay\n"
    " source chuo-relay2 10.11.32.10 type relay relay no\n}\n"
    "municipality \"テスト町\" {\n code 242012\n type town\n"
    " tier I 10.12.32.0/20\n"
    " source b-proxy 10.12.32.2 type squid\n"
    " source B-Mail 10.12.32.3 type postfix\n"
    " source b-mail 10.12.32.4 type postfix\n";

static struct sc_event
tag_host(const struct tagger *t, const char *peer, const char *host,
    size_t hostlen, uint32_t flags)
{
	struct sc_event ev;

	memset(&ev, 0, sizeof(ev));
	addr_parse(peer, &ev.peer);
	ev.host = host;
	ev.hostlen = hostlen;
	ev.flags = flags;
	tag_event(t, &ev);
	return ev;
}

static struct sc_event
relayed(const struct tagger *t, const char *host)
{
	return tag_host(t, "10.200.0.5", host, strlen(host), SC_EV_RFC5424);
}

static int
origin_is(const struct sc_event *ev, const char *a)
{
	struct addr x;

	return addr_parse(a, &x) == 0 && addr_cmp(ev_source_addr(ev), &x) == 0;
}

/* the relay's own tags: 団体 none, tier SC, known, not relayed */
static int
relay_tags(const struct sc_event *ev)
{
	return ev->muni[0] == '\0' && ev->tier == SC_TIER_SC &&
	    !(ev->flags & (SC_EV_UNKNOWN_SOURCE | SC_EV_RELAYED)) &&
	    origin_is(ev, "10.200.0.5");
}

static void
grammar(void)
{
	static const char bad[] = "prefecture \"P\" {\n code 240001\n}\n"
				  "cloud {\n tier SC 10.200.0.0/16\n"
				  " source r 10.200.0.5 relay maybe\n}\n";
	static const char ok_text[] =
	    "prefecture \"P\" {\n code 240001\n}\n"
	    "cloud {\n tier SC 10.200.0.0/16\n"
	    " source r 10.200.0.5 type relay relay yes interval 1d\n"
	    " source s 10.200.0.6 type relay\n}\n";
	struct policy *p;

	ok(policy_load_string("bad", bad, strlen(bad)) == NULL,
	    "grammar: `relay maybe` is refused");
	p = policy_load_string("ok", ok_text, strlen(ok_text));
	ok(p != NULL, "grammar: relay yes with type and interval loads");
	if (p == NULL)
		return;
	ok(policy_source_by_name(p, "r")->relay == 1 &&
		policy_source_by_name(p, "r")->interval_s == 86400,
	    "grammar: relay yes sets the flag, other options kept");
	ok(policy_source_by_name(p, "s")->relay == 0,
	    "grammar: type relay alone does not make a trusted relay");
	policy_unref(p);
}

int
main(void)
{
	char path[] = "/tmp/sc-relay-XXXXXX", err[256];
	struct tagger *t;
	struct sc_event ev;
	const struct tag_source *s;
	uint64_t unmatched0, relayed0;
	FILE *f;
	int fd = mkstemp(path);

	grammar();

	memset(longname, 'a', LONGNAME_LEN);
	longname[LONGNAME_LEN] = '\0';
	ok(fd != -1 && (f = fdopen(fd, "w")) != NULL, "policy file");
	fprintf(f, "%s source %s 10.12.32.5 type syslog\n}\n", policy_head,
	    longname);
	fclose(f);
	t = tagger_load(path, err, sizeof(err));
	ok(t != NULL, "policy loads (%s)", t ? "" : err);
	if (t == NULL)
		return done_testing();
	unmatched0 = ctr_get(CTR_RELAY_UNMATCHED);
	relayed0 = ctr_get(CTR_RELAYED);

	/* name match */
	ev = relayed(t, "chuo-fw");
	is_str(ev.muni, "242501", "name: 団体 of chuo-fw");
	is_int(ev.tier, SC_TIER_I, "name: its tier");
	ok(!(ev.flags & SC_EV_UNKNOWN_SOURCE), "name: a known source");
	ok(ev.flags & SC_EV_RELAYED, "name: marked relayed");
	ok(origin_is(&ev, "10.11.32.1"), "name: origin is chuo-fw's address");
	s = tagger_lookup(t, ev_source_addr(&ev));
	ok(s != NULL && strcmp(s->name, "chuo-fw") == 0 &&
		strcmp(s->type, "fortigate") == 0,
	    "name: the writer's lookup finds chuo-fw (health credited)");
	ev = relayed(t, "b-proxy");
	is_str(ev.muni, "242012", "name: another 団体's source, its 団体");
	ok(origin_is(&ev, "10.12.32.2"), "name: origin b-proxy");
	ev = relayed(t, "CHUO-FW");
	is_str(ev.muni, "242501", "case: CHUO-FW matches chuo-fw");
	ev = relayed(t, "Chuo-Fw");
	ok(origin_is(&ev, "10.11.32.1"), "case: Chuo-Fw matches too");
	ev = relayed(t, longname);
	ok((ev.flags & SC_EV_RELAYED) && origin_is(&ev, "10.12.32.5"),
	    "length: a 255-byte declared name matches");
	ev = relayed(t, "sc-fw");
	ok(ev.muni[0] == '\0' && ev.tier == SC_TIER_SC &&
		origin_is(&ev, "10.200.0.1") && (ev.flags & SC_EV_RELAYED),
	    "name: an SC-owned source (no 団体)");
	ev = relayed(t, "sc-relay");
	ok(relay_tags(&ev), "name: the relay's own name keeps its tags");

	/* address match */
	ev = relayed(t, "10.12.32.2");
	is_str(ev.muni, "242012", "address: b-proxy's address, its 団体");
	ok(!(ev.flags & SC_EV_UNKNOWN_SOURCE) && (ev.flags & SC_EV_RELAYED),
	    "address: known, relayed");
	ok(origin_is(&ev, "10.12.32.2"), "address: origin");

	/* CIDR-only match */
	ev = relayed(t, "10.12.40.7");
	is_str(ev.muni, "242012", "cidr: an undeclared host in 団体 B");
	is_int(ev.tier, SC_TIER_I, "cidr: its tier");
	ok((ev.flags & SC_EV_UNKNOWN_SOURCE) && (ev.flags & SC_EV_RELAYED),
	    "cidr: relayed, source unknown");
	ok(origin_is(&ev, "10.12.40.7"), "cidr: origin is that host");
	ok(tagger_lookup(t, ev_source_addr(&ev)) == NULL,
	    "cidr: no declared source for the writer");
	is_int(ctr_get(CTR_RELAY_UNMATCHED), unmatched0, "no unmatched so far");

	/* no match: the relay's tags stay, counted */
	ev = relayed(t, "192.0.2.1");
	ok(relay_tags(&ev), "no match: an address outside the 団体");
	ev = relayed(t, "10.200.77.1");
	ok(relay_tags(&ev), "no match: an SC range holds no 団体");
	ev = relayed(t, "nohost");
	ok(relay_tags(&ev), "no match: an unknown name");
	ev = relayed(t, "chuo-fw.example.lg.jp");
	ok(relay_tags(&ev), "no match: an FQDN is not the declared name");
	ev = relayed(t, "chuo-f");
	ok(relay_tags(&ev), "no match: a prefix of a name");
	ev = relayed(t, "chuo-fww");
	ok(relay_tags(&ev), "no match: a name extended");
	ev = relayed(t, "b-mail");
	ok(relay_tags(&ev), "no match: a name declared twice but for case");
	ev = relayed(t, "B-MAIL");
	ok(relay_tags(&ev), "no match: ... in any case");
	is_int(ctr_get(CTR_RELAY_UNMATCHED), unmatched0 + 8,
	    "tagged/relay-unmatched counted 8");

	/* hostile HOSTNAMEs */
	ev = relayed(t, "");
	ok(relay_tags(&ev), "hostile: empty");
	ev = tag_host(t, "10.200.0.5", NULL, 0, SC_EV_RFC5424);
	ok(relay_tags(&ev), "hostile: NULL host");
	{
		char big[600];

		memset(big, 'a', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		ev = relayed(t, big);
		ok(relay_tags(&ev), "hostile: 599 bytes");
		big[LONGNAME_LEN + 1] = '\0';
		ev = relayed(t, big);
		ok(relay_tags(&ev),
		    "hostile: 256 bytes (the 255-byte name plus one)");
		memset(big, '1', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		ev = relayed(t, big);
		ok(relay_tags(&ev), "hostile: 599 digits");
	}
	ev = tag_host(t, "10.200.0.5", "chuo-fw\0b-proxy", 15, SC_EV_RFC5424);
	ok(relay_tags(&ev), "hostile: NUL inside");
	ev = tag_host(t, "10.200.0.5", "chuo-fw\0", 8, SC_EV_RFC5424);
	ok(relay_tags(&ev), "hostile: a trailing NUL");
	ev = tag_host(t, "10.200.0.5", "10.12.32.2\0", 11, SC_EV_RFC5424);
	ok(relay_tags(&ev), "hostile: an address with a NUL");
	ev = relayed(t, "chuo-fw\xff\xfe");
	ok(relay_tags(&ev), "hostile: non-UTF-8 bytes after a name");
	ev = relayed(t, "\xe3\x83\x81\xe3\x83\xa5\xe3\x82\xa6");
	ok(relay_tags(&ev), "hostile: UTF-8 that names nothing");
	ev = relayed(t, "\xc3\x28\xa0\xa1");
	ok(relay_tags(&ev), "hostile: invalid UTF-8");
	ev = relayed(t, "10.12.32.2 ");
	ok(relay_tags(&ev), "hostile: address with a trailing space");
	ev = relayed(t, "-");
	ok(relay_tags(&ev), "hostile: NILVALUE");
	ev = tag_host(
	    t, "10.200.0.5", "chuo-fw", 7, SC_EV_RFC3164 | SC_EV_NO_HOST);
	ok(relay_tags(&ev), "no HOSTNAME field: a word is not trusted");
	ev = tag_host(t, "10.200.0.5", "chuo-fw", 7, SC_EV_UNPARSED);
	ok(relay_tags(&ev), "an unparsed line is not trusted");

	/* never from a non-relay sender */
	ev = tag_host(t, "10.11.32.1", "b-proxy", 7, SC_EV_RFC5424);
	is_str(ev.muni, "242501", "non-relay: a device claiming B stays A");
	ok(!(ev.flags & SC_EV_RELAYED) && origin_is(&ev, "10.11.32.1"),
	    "non-relay: not relayed, credited to the sender");
	ev = tag_host(t, "10.11.32.1", "10.12.32.2", 10, SC_EV_RFC5424);
	is_str(ev.muni, "242501", "non-relay: claiming B's address stays A");
	ev = tag_host(t, "10.11.32.9", "b-proxy", 7, SC_EV_RFC5424);
	ok(strcmp(ev.muni, "242501") == 0 && !(ev.flags & SC_EV_RELAYED),
	    "type relay without `relay yes`: not trusted");
	ev = tag_host(t, "10.11.32.10", "b-proxy", 7, SC_EV_RFC5424);
	ok(strcmp(ev.muni, "242501") == 0 && !(ev.flags & SC_EV_RELAYED),
	    "`relay no`: not trusted");
	ev = tag_host(t, "10.11.17.3", "b-proxy", 7, SC_EV_RFC5424);
	ok(strcmp(ev.muni, "242501") == 0 &&
		(ev.flags & SC_EV_UNKNOWN_SOURCE) &&
		!(ev.flags & SC_EV_RELAYED),
	    "an undeclared host in A claiming B: stays A, unknown");
	ev = tag_host(t, "198.51.100.1", "chuo-fw", 7, SC_EV_RFC5424);
	ok(ev.muni[0] == '\0' && !(ev.flags & SC_EV_RELAYED),
	    "an outside host claiming A: no 団体");
	ev = tag_host(NULL, "10.200.0.5", "chuo-fw", 7, SC_EV_RFC5424);
	ok((ev.flags & SC_EV_UNKNOWN_SOURCE) && !(ev.flags & SC_EV_RELAYED),
	    "no policy: nothing trusted");

	/* a stale SC_EV_RELAYED is cleared */
	ev = tag_host(
	    t, "10.11.32.1", "b-proxy", 7, SC_EV_RFC5424 | SC_EV_RELAYED);
	ok(!(ev.flags & SC_EV_RELAYED), "the relayed flag is recomputed");

	is_int(ctr_get(CTR_RELAYED), relayed0 + 8, "tagged/relayed counted 8");

	/* the real path: frames parsed, then tagged */
	{
		struct pipeline_conf pc = { 8, 4096, 2, 1000000 };
		struct pipeline *pl = pipeline_new(&pc);
		struct batch *b = pipeline_get(pl, 0);
		struct ingress in;
		static const char l5424[] =
		    "<134>1 2026-11-22T08:00:00Z b-proxy squid 1 - - hi";
		static const char l3164[] =
		    "<38>Nov 22 17:53:26 chuo-fw sshd[1]: hello";
		struct sc_event *e;

		memset(&in, 0, sizeof(in));
		addr_parse("10.200.0.5", &in.peer);
		in.transport = 't';
		in.recv_us = time_now_us();
		in.tagger = t;
		in.tzoff = TIME_JST_OFFSET;
		e = batch_add(b, (const uint8_t *)l5424, strlen(l5424), 0, &in);
		ok(e != NULL && strcmp(e->muni, "242012") == 0 &&
			(e->flags & SC_EV_RELAYED),
		    "RFC 5424 through the relay: tagged 242012");
		e = batch_add(b, (const uint8_t *)l3164, strlen(l3164), 0, &in);
		ok(e != NULL && strcmp(e->muni, "242501") == 0 &&
			origin_is(e, "10.11.32.1"),
		    "RFC 3164 through the relay: tagged 242501");
		addr_parse("10.12.32.2", &in.peer);
		e = batch_add(b, (const uint8_t *)l3164, strlen(l3164), 0, &in);
		ok(e != NULL && strcmp(e->muni, "242012") == 0 &&
			!(e->flags & SC_EV_RELAYED),
		    "the same line straight from b-proxy: its sender's");
		pipeline_submit(pl, b);
		ok(pipeline_next(pl, 1000) == b, "batch delivered");
		pipeline_release(pl, b);
		pipeline_free(pl);
	}

	tagger_free(t);
	unlink(path);
	return done_testing();
}
