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
 *
 * Relay scope: a 団体's relay tags only to its own 団体 (and those of its
 * `relay-for`); a claim out of scope keeps the relay's tags, is flagged
 * SC_EV_RELAY_DENIED with the claimed origin kept, counted
 * tagged/relay-denied and never credits the other 団体's source.  The
 * security cloud's relay tags to any 団体.
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
/* the file then closes テスト町's block; these follow */
static const char policy_tail[] =
    "municipality \"テスト村\" {\n code 242039\n type village\n"
    " tier I 10.13.32.0/20\n"
    " source c-fw 10.13.32.1 type fortigate\n"
    /* a 団体-C relay that also relays for 242012 (a joint relay) */
    " source c-kumiai 10.13.32.9 type relay relay yes relay-for 242012\n}\n"
    "cloud {\n"
    /* declared in the cloud, but at an address of 団体 A: A's relay */
    " source a-relay 10.11.32.11 type relay relay yes\n}\n";

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

static struct sc_event
from(const struct tagger *t, const char *relay, const char *host)
{
	return tag_host(t, relay, host, strlen(host), SC_EV_RFC5424);
}

/* a denied claim: the relay's own tags, flagged, the claim kept */
static int
denied(const struct sc_event *ev, const char *relay_addr, const char *muni,
    const char *claimed)
{
	struct addr c;

	return strcmp(ev->muni, muni) == 0 && ev->tier == SC_TIER_I &&
	    (ev->flags & SC_EV_RELAY_DENIED) &&
	    !(ev->flags & (SC_EV_RELAYED | SC_EV_UNKNOWN_SOURCE)) &&
	    origin_is(ev, relay_addr) && addr_parse(claimed, &c) == 0 &&
	    addr_cmp(&ev->origin, &c) == 0;
}

static void
scope(const struct tagger *t)
{
	const struct policy *p = tagger_policy(t);
	const struct policy_source *ar = policy_source_by_name(p, "a-relay");
	const struct policy_source *ck = policy_source_by_name(p, "c-kumiai");
	uint64_t denied0 = ctr_get(CTR_RELAY_DENIED);
	uint64_t relayed0 = ctr_get(CTR_RELAYED);
	const struct tag_source *s;
	struct sc_event ev;

	ok(ar != NULL && ar->relay && ar->muni != NULL &&
		strcmp(ar->muni->code, "242501") == 0,
	    "scope: a relay declared in the cloud at A's address is A's");
	ok(ck != NULL && ck->nrelay_for == 1 &&
		strcmp(ck->relay_for[0]->code, "242012") == 0,
	    "scope: relay-for names 242012 (declared before it)");

	/* 団体 A's relay: its own 団体 only */
	ev = from(t, "10.11.32.11", "chuo-fw");
	ok(strcmp(ev.muni, "242501") == 0 && (ev.flags & SC_EV_RELAYED) &&
		!(ev.flags & SC_EV_RELAY_DENIED) &&
		origin_is(&ev, "10.11.32.1"),
	    "A's relay, HOSTNAME chuo-fw (A): relayed as chuo-fw");
	ev = from(t, "10.11.32.11", "10.11.40.1");
	ok(strcmp(ev.muni, "242501") == 0 && (ev.flags & SC_EV_RELAYED) &&
		(ev.flags & SC_EV_UNKNOWN_SOURCE),
	    "A's relay, an undeclared host in A's range: relayed, unknown");
	ev = from(t, "10.11.32.11", "b-proxy");
	ok(denied(&ev, "10.11.32.11", "242501", "10.12.32.2"),
	    "A's relay claiming b-proxy (B): denied, tagged as A's relay");
	s = tagger_lookup(t, ev_source_addr(&ev));
	ok(s != NULL && strcmp(s->name, "a-relay") == 0,
	    "... health goes to a-relay, not b-proxy");
	ev = from(t, "10.11.32.11", "B-PROXY");
	ok(denied(&ev, "10.11.32.11", "242501", "10.12.32.2"),
	    "... in any case");
	ev = from(t, "10.11.32.11", "10.12.32.2");
	ok(denied(&ev, "10.11.32.11", "242501", "10.12.32.2"),
	    "A's relay claiming b-proxy's address: denied");
	ev = from(t, "10.11.32.11", "10.12.40.7");
	ok(denied(&ev, "10.11.32.11", "242501", "10.12.40.7"),
	    "A's relay claiming a host in B's range: denied");
	ev = from(t, "10.11.32.11", "sc-fw");
	ok(strcmp(ev.muni, "242501") == 0 && (ev.flags & SC_EV_RELAY_DENIED) &&
		!(ev.flags & SC_EV_RELAYED),
	    "A's relay claiming the cloud's sc-fw: denied");
	ev = from(t, "10.11.32.11", "c-fw");
	ok(denied(&ev, "10.11.32.11", "242501", "10.13.32.1"),
	    "A's relay claiming c-fw (C): denied");
	is_int(ctr_get(CTR_RELAY_DENIED), denied0 + 6,
	    "tagged/relay-denied counted 6");
	ev = from(t, "10.11.32.11", "198.51.100.7");
	ok(!(ev.flags & (SC_EV_RELAY_DENIED | SC_EV_RELAYED)) &&
		strcmp(ev.muni, "242501") == 0,
	    "A's relay, an address of no 団体: unmatched, not denied");

	/* C's joint relay: C and its relay-for 242012, nothing else */
	ev = from(t, "10.13.32.9", "c-fw");
	ok(strcmp(ev.muni, "242039") == 0 && (ev.flags & SC_EV_RELAYED),
	    "C's kumiai relay, c-fw: relayed as C");
	ev = from(t, "10.13.32.9", "b-proxy");
	ok(strcmp(ev.muni, "242012") == 0 && (ev.flags & SC_EV_RELAYED) &&
		origin_is(&ev, "10.12.32.2"),
	    "C's kumiai relay, b-proxy: relayed as B (relay-for 242012)");
	ev = from(t, "10.13.32.9", "chuo-fw");
	ok(strcmp(ev.muni, "242039") == 0 && (ev.flags & SC_EV_RELAY_DENIED) &&
		origin_is(&ev, "10.13.32.9"),
	    "C's kumiai relay, chuo-fw (A, not in relay-for): denied");

	/* the security cloud's relay: any 団体 */
	ev = from(t, "10.200.0.5", "c-fw");
	ok(strcmp(ev.muni, "242039") == 0 && (ev.flags & SC_EV_RELAYED) &&
		!(ev.flags & SC_EV_RELAY_DENIED),
	    "the SC relay tags C's c-fw");
	ev = from(t, "10.200.0.5", "a-relay");
	ok(strcmp(ev.muni, "242501") == 0 && (ev.flags & SC_EV_RELAYED),
	    "the SC relay tags A's relay itself (relay chain)");
	is_int(ctr_get(CTR_RELAYED), relayed0 + 6, "tagged/relayed counted 6");
	is_int(ctr_get(CTR_RELAY_DENIED), denied0 + 7,
	    "tagged/relay-denied counted 7 in all");

	/* a stale denied flag is recomputed */
	ev = tag_host(
	    t, "10.11.32.1", "x", 1, SC_EV_RFC5424 | SC_EV_RELAY_DENIED);
	ok(!(ev.flags & SC_EV_RELAY_DENIED), "the denied flag is recomputed");
}

/* policy_relay_may_tag and the relay-for grammar */
static void
scope_grammar(void)
{
	static const char head[] =
	    "prefecture \"P\" {\n code 240001\n}\n"
	    "cloud {\n tier SC 10.200.0.0/16\n%s}\n"
	    "municipality \"A\" {\n code 242501\n type city\n"
	    " tier I 10.11.32.0/20\n%s}\n"
	    "municipality \"B\" {\n code 242012\n type town\n"
	    " tier I 10.12.32.0/20\n source b 10.12.32.2\n}\n";
	static const struct {
		const char *cloud, *muni, *what;
	} bad[] = {
		{ "", " source r 10.11.32.9 relay-for 242012\n",
		    "relay-for without relay yes" },
		{ "", " source r 10.11.32.9 relay no relay-for 242012\n",
		    "relay-for with relay no" },
		{ "", " source r 10.11.32.9 relay yes relay-for 999999\n",
		    "relay-for an unknown code" },
		{ "", " source r 10.11.32.9 relay yes relay-for 242013\n",
		    "relay-for a code with a bad check digit" },
		{ "", " source r 10.11.32.9 relay yes relay-for 242012,\n",
		    "relay-for with an empty item" },
		{ " source r 10.200.0.9 relay yes relay-for 242012\n", "",
		    "relay-for on a security cloud relay" },
	};
	char text[1024];
	struct policy *p;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int n = snprintf(
		    text, sizeof(text), head, bad[i].cloud, bad[i].muni);

		ok(policy_load_string("bad", text, (size_t)n) == NULL,
		    "grammar: %s is refused", bad[i].what);
	}
	snprintf(text, sizeof(text), head, " source sc 10.200.0.9 relay yes\n",
	    " source r 10.11.32.9 relay yes relay-for 242012,242501,242012 "
	    "interval 1d\n");
	p = policy_load_string("ok", text, strlen(text));
	ok(p != NULL, "grammar: relay-for with a later 団体, repeats, own");
	if (p != NULL) {
		const struct policy_source *r = policy_source_by_name(p, "r");
		const struct policy_source *sc = policy_source_by_name(p, "sc");
		const struct policy_source *b = policy_source_by_name(p, "b");
		struct policy_tag tb, tsc, tnone;
		struct addr x;

		ok(r->nrelay_for == 1 && r->interval_s == 86400,
		    "grammar: duplicates and the own 団体 folded away");
		addr_parse("10.12.40.1", &x);
		policy_tag(p, &x, &tb);
		addr_parse("10.200.0.9", &x);
		policy_tag(p, &x, &tsc);
		addr_parse("192.0.2.1", &x);
		policy_tag(p, &x, &tnone);
		ok(policy_relay_may_tag(r, &tb), "may_tag: r to B (relay-for)");
		ok(!policy_relay_may_tag(r, &tsc), "may_tag: r not to the SC");
		ok(!policy_relay_may_tag(r, &tnone),
		    "may_tag: r not to no 団体");
		ok(policy_relay_may_tag(sc, &tb) &&
			policy_relay_may_tag(sc, &tsc),
		    "may_tag: the SC relay to B and to the SC");
		ok(!policy_relay_may_tag(b, &tb),
		    "may_tag: a source that is no relay: never");
		ok(!policy_relay_may_tag(NULL, &tb), "may_tag: NULL relay");
		policy_unref(p);
	}
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
	scope_grammar();

	memset(longname, 'a', LONGNAME_LEN);
	longname[LONGNAME_LEN] = '\0';
	ok(fd != -1 && (f = fdopen(fd, "w")) != NULL, "policy file");
	fprintf(f, "%s source %s 10.12.32.5 type syslog\n}\n%s", policy_head,
	    longname, policy_tail);
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

	scope(t);
	tagger_free(t);
	unlink(path);
	return done_testing();
}
