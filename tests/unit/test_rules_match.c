/*
 * test_rules_match.c — matching semantics: a table of content/pcre rules
 * and buffers with the Snort/Suricata answer (offset, depth, distance,
 * within, negation, nocase, backtracking, pcre flags and R); header, flow,
 * dsize and buffers through ruleset_match_packet; the on-disk cache is hit
 * on the second load and gives the same answers.
 */
#include "config.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "rules/rules.h"
#include "tests/tap.h"

struct ccase {
	const char *opts; /* rule options before sid */
	const char *data;
	int want;
};

static const struct ccase cases[] = {
	{ "content:\"AllWorkAndNoPlayMakesWill\"; content:\"DullBoy\"; "
	  "distance:1; within:7;",
	    "AllWorkAndNoPlayMakesWill DullBoy", 1 },
	{ "content:\"AllWorkAndNoPlayMakesWill\"; content:\"DullBoy\"; "
	  "distance:1; within:7;",
	    "AllWorkAndNoPlayMakesWillDullBoy", 0 },
	{ "content:\"AllWorkAndNoPlayMakesWill\"; content:\"DullBoy\"; "
	  "distance:1; within:7;",
	    "AllWorkAndNoPlayMakesWill  DullBoy", 0 },
	{ "content:\"abc\"; offset:2; depth:3;", "xxabc", 1 },
	{ "content:\"abc\"; offset:2; depth:3;", "xabcx", 0 },
	{ "content:\"abc\"; offset:2; depth:3;", "xxxabc", 0 },
	{ "content:\"abc\"; depth:3;", "abcabc", 1 },
	{ "content:\"abc\"; depth:3;", "xabc", 0 },
	{ "content:\"a\"; content:\"b\"; within:1;", "axab", 1 },
	{ "content:\"a\"; content:\"b\"; within:1;", "axax b", 0 },
	{ "content:\"GET\"; content:!\"two\";", "GET /one", 1 },
	{ "content:\"GET\"; content:!\"two\";", "GET /two", 0 },
	{ "content:\"fix\"; content:\"this\"; within:6; content:!\"and\"; "
	  "distance:0;",
	    "fix this now", 1 },
	{ "content:\"fix\"; content:\"this\"; within:6; content:!\"and\"; "
	  "distance:0;",
	    "fix this and", 0 },
	{ "content:\"fix\"; content:\"this\"; within:6; content:!\"and\"; "
	  "distance:0;",
	    "and fix this", 1 },
	{ "content:\"HeLLo\"; nocase;", "say hello", 1 },
	{ "content:\"HeLLo\";", "say hello", 0 },
	{ "content:\"foo\"; pcre:\"/^bar/R\";", "foobar", 1 },
	{ "content:\"foo\"; pcre:\"/^bar/R\";", "foo bar", 0 },
	{ "content:\"foo\"; pcre:\"/^bar/R\";", "barfoo", 0 },
	{ "pcre:\"/^gEt/i\";", "GET /", 1 },
	{ "pcre:\"/^gEt/\";", "GET /", 0 },
	{ "content:\"GET\"; pcre:!\"/two/\";", "GET /one", 1 },
	{ "content:\"GET\"; pcre:!\"/two/\";", "GET /two", 0 },
	{ "content:\"bc\"; content:\"ab\"; distance:-3; within:2;", "abc", 1 },
	{ "content:\"|0d 0a|x|00|\";", "a\r\nx", 0 },
	{ "content:\"SMB\"; depth:8; content:\"|09 01|\"; distance:8; within:2;",
	    "\xffSMB12345678\x09\x01", 1 },
	{ "content:\"SMB\"; depth:8; content:\"|09 01|\"; distance:8; within:2;",
	    "\xffSMB123456789\x09\x01", 0 },
	{ "content:\"a;b\"; content:\"c\\\"d\";", "xa;bc\"d", 1 },
	{ "pcre:\"/a.b/s\";", "a\nb", 1 },
	{ "pcre:\"/a.b/\";", "a\nb", 0 },
	{ "pcre:\"/^b$/m\";", "a\nb\nc", 1 },
	{ "content:\"x\"; content:\"y\"; distance:0; content:\"z\"; within:1;",
	    "x y x yz", 1 },
	{ "content:\"x\"; content:\"y\"; distance:0; content:\"z\"; within:1;",
	    "x y x y z", 0 },
};

static void
test_confirm_table(void)
{
	char text[512];
	struct ruleset_opts o;

	memset(&o, 0, sizeof(o));
	o.flags = RULESET_PACKET | RULESET_NO_CACHE;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ruleset *rs;
		struct rule_scratch *s;
		const struct rule *r;
		const struct ccase *c = &cases[i];

		snprintf(text, sizeof(text),
		    "alert tcp any any -> any any (%s sid:1;)", c->opts);
		rs = ruleset_load_string("t", text, &o, NULL);
		r = rs != NULL ? ruleset_rule(rs, 0) : NULL;
		if (!ok(r != NULL, "case %zu loads", i))
			continue;
		s = rule_scratch_new(rs);
		is_int(rule_confirm(r, s, RULE_BUF_PAYLOAD,
			   (const uint8_t *)c->data, strlen(c->data)),
		    c->want, "case %zu: %s on \"%s\"", i, c->opts, c->data);
		rule_scratch_free(s);
		ruleset_unref(rs);
	}
}

struct collect {
	uint32_t sids[16];
	int n;
};

static int
collect_cb(void *ctx, const struct rule_hit *h)
{
	struct collect *c = ctx;

	if (c->n < 16)
		c->sids[c->n++] = rule_sid(h->rule);
	return 0;
}

static int
fired(const struct collect *c, uint32_t sid)
{
	for (int i = 0; i < c->n; i++)
		if (c->sids[i] == sid)
			return 1;
	return 0;
}

static void
v4(struct addr *a, const char *s)
{
	memset(a, 0, sizeof(*a));
	a->b[10] = a->b[11] = 0xff;
	inet_pton(AF_INET, s, a->b + 12);
}

static const char packet_rules[] =
    "alert tcp 192.168.1.5 any -> 192.168.1.1 any (sid:1;)\n"
    "alert tcp 192.168.1.1 any -> 192.168.1.5 any (sid:2;)\n"
    "alert tcp $HOME_NET any <> $EXTERNAL_NET 80 (content:\"GET\"; "
    "sid:3;)\n"
    "alert tcp any any -> any ![1:1024] (content:\"GET\"; sid:4;)\n"
    "alert tcp any any -> any any (flow:to_server,established; "
    "content:\"GET\"; sid:5;)\n"
    "alert http any any -> any any (http.uri; content:\"/images.gif\"; "
    "sid:6;)\n"
    "alert tcp any any -> any any (uricontent:\"images\"; pcre:\"/gif$/U\"; "
    "sid:7;)\n"
    "alert tcp any any -> any any (dsize:<10; sid:8;)\n"
    "alert udp any any -> any any (content:\"GET\"; sid:9;)\n"
    "alert dns any any -> any any (dns.query; content:\"google\"; nocase; "
    "sid:10;)\n"
    "alert tcp [192.168.0.0/16,!192.168.1.5] any -> any any (content:"
    "\"GET\"; sid:11;)\n";

static void
test_packets(void)
{
	struct ruleset_opts o;
	struct ruleset *rs;
	struct rule_scratch *s;
	struct rule_packet p;
	struct addr a, b, ext;
	struct collect c;
	const char *uri = "/x/images.gif";

	memset(&o, 0, sizeof(o));
	o.flags = RULESET_PACKET | RULESET_NO_CACHE;
	rs = ruleset_load_string("pkt", packet_rules, &o, NULL);
	if (!ok(rs != NULL && ruleset_count(rs) == 11, "packet rules load"))
		return;
	s = rule_scratch_new(rs);
	v4(&a, "192.168.1.5");
	v4(&b, "192.168.1.1");
	v4(&ext, "8.8.8.8");
	memset(&p, 0, sizeof(p));
	p.proto = RULE_PROTO_TCP;
	p.src = &a;
	p.dst = &b;
	p.sport = 1234;
	p.dport = 80;
	p.flow = RULE_FLOW_TO_SERVER | RULE_FLOW_ESTABLISHED;
	p.buf[RULE_BUF_PAYLOAD] = (const uint8_t *)"GET /x/images.gif";
	p.len[RULE_BUF_PAYLOAD] = 17;
	p.dsize = 17;
	memset(&c, 0, sizeof(c));
	ruleset_match_packet(rs, s, &p, collect_cb, &c);
	ok(fired(&c, 1) && !fired(&c, 2), "header: address direction");
	ok(!fired(&c, 3), "home -> home is not home <> external");
	ok(!fired(&c, 4), "negated port range excludes 80");
	ok(fired(&c, 5), "flow to_server,established");
	ok(!fired(&c, 6) && !fired(&c, 7), "no http.uri buffer: no uri rule");
	ok(!fired(&c, 8), "dsize 17 is not < 10");
	ok(!fired(&c, 9), "udp rule on tcp");
	ok(!fired(&c, 11), "negated member of an address list");
	/* the other way, from outside, with app-layer facts */
	p.src = &ext;
	p.dst = &b;
	p.sport = 80;
	p.dport = 40000;
	p.flow = RULE_FLOW_TO_CLIENT;
	p.alproto = RULE_PROTO_HTTP;
	p.buf[RULE_BUF_HTTP_URI] = (const uint8_t *)uri;
	p.len[RULE_BUF_HTTP_URI] = strlen(uri);
	memset(&c, 0, sizeof(c));
	ruleset_match_packet(rs, s, &p, collect_cb, &c);
	ok(fired(&c, 3), "<> matches the reverse direction");
	ok(fired(&c, 4), "port 40000 is outside [1:1024]");
	ok(!fired(&c, 5), "flow to_client fails to_server");
	ok(fired(&c, 6), "http.uri sticky buffer on an http flow");
	ok(fired(&c, 7), "uricontent + pcre U");
	p.alproto = RULE_PROTO_ANY;
	memset(&c, 0, sizeof(c));
	ruleset_match_packet(rs, s, &p, collect_cb, &c);
	ok(!fired(&c, 6) && fired(&c, 7),
	    "alert http needs an http flow; alert tcp with uricontent not");
	memset(&p, 0, sizeof(p));
	p.proto = RULE_PROTO_UDP;
	p.alproto = RULE_PROTO_DNS;
	p.buf[RULE_BUF_DNS_QUERY] = (const uint8_t *)"www.GOOGLE.com";
	p.len[RULE_BUF_DNS_QUERY] = 14;
	p.buf[RULE_BUF_PAYLOAD] = (const uint8_t *)"xx";
	p.len[RULE_BUF_PAYLOAD] = 2;
	p.dsize = 2;
	memset(&c, 0, sizeof(c));
	ruleset_match_packet(rs, s, &p, collect_cb, &c);
	ok(fired(&c, 10), "dns.query nocase");
	ok(!fired(&c, 8) && !fired(&c, 1), "tcp rules stay off udp");
	rule_scratch_free(s);
	ruleset_unref(rs);
}

/* dsize forms of suricata-verify's test-dsize-values. */
static void
test_dsize(void)
{
	static const struct {
		const char *expr;
		size_t n;
		int want;
	} t[] = {
		{ "10", 10, 1 },
		{ "10", 9, 0 },
		{ "<10", 9, 1 },
		{ "<10", 10, 0 },
		{ "<=10", 10, 1 },
		{ "<=10", 11, 0 },
		{ ">8", 9, 1 },
		{ ">8", 8, 0 },
		{ ">=10", 10, 1 },
		{ ">=10", 9, 0 },
		{ "8<>20", 9, 1 },
		{ "8<>20", 8, 0 },
		{ "8<>20", 20, 0 },
		{ "!9", 10, 1 },
		{ "!9", 9, 0 },
		/* Suricata: !N and >=N need a payload; <N and <=N do not. */
		{ "!9", 0, 0 },
		{ ">=0", 0, 0 },
		{ "<10", 0, 1 },
		{ "<=10", 0, 1 },
		{ "0", 0, 1 },
	};
	struct ruleset_opts o;
	char text[128];

	memset(&o, 0, sizeof(o));
	o.flags = RULESET_PACKET | RULESET_NO_CACHE;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct ruleset *rs;

		snprintf(text, sizeof(text),
		    "alert tcp any any -> any any (dsize:%s; sid:1;)",
		    t[i].expr);
		rs = ruleset_load_string("d", text, &o, NULL);
		ok(rs != NULL && ruleset_count(rs) == 1 &&
			rule_match_dsize(ruleset_rule(rs, 0), t[i].n) ==
			    t[i].want,
		    "dsize:%s with %zu -> %d", t[i].expr, t[i].n, t[i].want);
		ruleset_unref(rs);
	}
}

static void
rmtree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[1024];

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

static void
test_cache(void)
{
	char dir[] = "/tmp/test_rules_cacheXXXXXX";
	struct ruleset_opts o;
	struct ruleset_stats st1, st2;
	struct ruleset *rs1, *rs2;
	struct rule_scratch *s;
	struct rule_packet p;
	struct collect c;

	if (!ok(mkdtemp(dir) != NULL, "temp dir"))
		return;
	memset(&o, 0, sizeof(o));
	o.flags = RULESET_PACKET;
	o.cache_dir = dir;
	rs1 = ruleset_load_string("pkt", packet_rules, &o, &st1);
	rs2 = ruleset_load_string("pkt", packet_rules, &o, &st2);
	ok(rs1 != NULL && rs2 != NULL, "both loads work");
	is_int(st1.cache_hit, 0, "first load compiles");
	is_int(st2.cache_hit, 1, "second load is a cache hit");
	ok(st2.db_bytes > 0 && st2.db_bytes == st1.db_bytes,
	    "same database size (%zu)", st2.db_bytes);
	memset(&p, 0, sizeof(p));
	p.proto = RULE_PROTO_TCP;
	p.flow = RULE_FLOW_TO_SERVER | RULE_FLOW_ESTABLISHED;
	p.buf[RULE_BUF_PAYLOAD] = (const uint8_t *)"GET /";
	p.len[RULE_BUF_PAYLOAD] = 5;
	p.dsize = 5;
	s = rs2 != NULL ? rule_scratch_new(rs2) : NULL;
	memset(&c, 0, sizeof(c));
	if (s != NULL)
		ruleset_match_packet(rs2, s, &p, collect_cb, &c);
	ok(fired(&c, 5) && fired(&c, 8), "cached databases match");
	rule_scratch_free(s);
	/* reload: a reader keeps its reference while the owner drops its
	 * own; the set lives until the last unref (ASan checks the rest) */
	ok(rs1 != NULL && ruleset_ref(rs1) == rs1, "ref returns the set");
	ruleset_unref(rs1);
	ok(ruleset_count(rs1) == 11, "still usable with one reference left");
	ruleset_unref(rs1);
	ruleset_unref(rs2);
	ruleset_unref(NULL);
	o.vars = (const struct rule_var[]){ { "HOME_NET", "10.0.0.0/8" } };
	o.nvars = 1;
	rs1 = ruleset_load_string("pkt", packet_rules, &o, &st1);
	is_int(st1.cache_hit, 0, "other vars: another cache key");
	ruleset_unref(rs1);
	rmtree(dir);
}

/* An empty file named like a cache file (58 leading zeros: never a real
 * sha256 in practice), last used `age` seconds ago. */
static void
fake_cache(const char *dir, int i, time_t now, time_t age)
{
	char p[1024];
	struct timespec ts[2];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%064x.hsdb", dir, 0xc0de00 + i);
	if ((f = fopen(p, "w")) != NULL)
		fclose(f);
	ts[0].tv_sec = ts[1].tv_sec = now - age;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	utimensat(AT_FDCWD, p, ts, 0);
}

static int
present(const char *dir, int i)
{
	char p[1024];

	snprintf(p, sizeof(p), "%s/%064x.hsdb", dir, 0xc0de00 + i);
	return access(p, F_OK) == 0;
}

static size_t
count_hsdb(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);

		n += l > 5 && strcmp(e->d_name + l - 5, ".hsdb") == 0;
	}
	closedir(d);
	return n;
}

/*
 * The cache directory is pruned after each write: cache files neither
 * among the newest 16 nor used in the last 30 days go; a cache hit counts
 * as a use; other files are left alone.
 */
static void
test_cache_prune(void)
{
	char dir[] = "/tmp/test_rules_pruneXXXXXX", p[1024];
	struct ruleset_opts o;
	struct ruleset_stats st;
	struct ruleset *rs;
	time_t now = time(NULL);
	const time_t day = 86400;
	int all_recent = 1, old_kept = 1, old_gone = 1;
	FILE *f;

	if (!ok(mkdtemp(dir) != NULL, "prune: temp dir"))
		return;
	/* 10 used in the last days, 10 unused for 31..40 days */
	for (int i = 0; i < 10; i++)
		fake_cache(dir, i, now, (time_t)(i + 1) * 3600);
	for (int i = 10; i < 20; i++)
		fake_cache(dir, i, now, (time_t)(i + 21) * day);
	snprintf(p, sizeof(p), "%s/README", dir);
	if ((f = fopen(p, "w")) != NULL)
		fclose(f);
	fake_cache(dir, 99, now, 40 * day); /* renamed below: not ours */
	{
		char q[1024];

		snprintf(p, sizeof(p), "%s/%064x.hsdb", dir, 0xc0de00 + 99);
		snprintf(q, sizeof(q), "%s/%064x.hsdb.old", dir, 0xc0de00 + 99);
		rename(p, q);
	}
	memset(&o, 0, sizeof(o));
	o.flags = RULESET_LOG;
	o.cache_dir = dir;
	rs = ruleset_load_string("prune",
	    "alert syslog any any -> any any (content:\"prune-me\"; sid:1;)",
	    &o, &st);
	ok(rs != NULL && st.cache_hit == 0, "prune: a new set is written");
	ruleset_unref(rs);
	/* newest 16: the new file, the 10 recent, 5 of the old (31..35 d) */
	is_int((long long)count_hsdb(dir), 16, "prune: 16 cache files kept");
	for (int i = 0; i < 10; i++)
		all_recent &= present(dir, i);
	for (int i = 10; i < 15; i++)
		old_kept &= present(dir, i);
	for (int i = 15; i < 20; i++)
		old_gone &= !present(dir, i);
	ok(all_recent, "prune: files used within 30 days stay");
	ok(old_kept, "prune: the newest old ones fill up to 16");
	ok(old_gone, "prune: the older unused ones are removed");
	snprintf(p, sizeof(p), "%s/README", dir);
	ok(access(p, F_OK) == 0, "prune: other files are left alone");
	snprintf(p, sizeof(p), "%s/%064x.hsdb.old", dir, 0xc0de00 + 99);
	ok(access(p, F_OK) == 0, "prune: only exact cache names are removed");

	/* 20 files used within 30 days: all stay, more than 16 */
	for (int i = 20; i < 40; i++)
		fake_cache(dir, i, now, (time_t)(i - 19) * day);
	rs = ruleset_load_string("prune",
	    "alert syslog any any -> any any (content:\"prune-2\"; sid:1;)", &o,
	    &st);
	ruleset_unref(rs);
	all_recent = 1;
	for (int i = 20; i < 40; i++)
		all_recent &= present(dir, i);
	ok(all_recent, "prune: every file used within 30 days stays");
	old_kept = 1;
	for (int i = 10; i < 15; i++)
		old_kept &= !present(dir, i);
	ok(old_kept, "prune: unused old ones go once 16 newer exist");

	/* a cache hit marks the file used: one file of ours, aged, hit */
	{
		struct stat sb;
		struct timespec ts[2];
		char real[1024] = "";

		for (int pass = 0; pass < 2; pass++) {
			DIR *d = opendir(dir);
			struct dirent *e;

			while (d != NULL && (e = readdir(d)) != NULL) {
				size_t l = strlen(e->d_name);

				if (l != 69 ||
				    strcmp(e->d_name + 64, ".hsdb") != 0 ||
				    strncmp(e->d_name, "0000000000", 10) == 0)
					continue;
				snprintf(real, sizeof(real), "%s/%s", dir,
				    e->d_name);
				if (pass == 0) {
					unlink(real);
					real[0] = '\0';
				}
			}
			if (d != NULL)
				closedir(d);
			if (pass == 0) {
				rs = ruleset_load_string("prune",
				    "alert syslog any any -> any any "
				    "(content:\"prune-3\"; sid:1;)",
				    &o, &st);
				ruleset_unref(rs);
			}
		}
		ts[0].tv_sec = ts[1].tv_sec = now - 40 * day;
		ts[0].tv_nsec = ts[1].tv_nsec = 0;
		ok(real[0] != '\0' && utimensat(AT_FDCWD, real, ts, 0) == 0,
		    "prune: our one file aged 40 days");
		rs = ruleset_load_string("prune",
		    "alert syslog any any -> any any (content:\"prune-3\"; "
		    "sid:1;)",
		    &o, &st);
		ok(rs != NULL && st.cache_hit == 1, "prune: the set is a hit");
		ruleset_unref(rs);
		ok(stat(real, &sb) == 0 && sb.st_mtime >= now - 60,
		    "prune: a cache hit marks its file used");
	}
	rmtree(dir);
}

static int
log_fires(
    const struct ruleset *rs, const char *prog, const char *msg, uint32_t sid)
{
	struct rule_scratch *s = rule_scratch_new(rs);
	struct rule_logmsg m;
	struct collect c;

	memset(&m, 0, sizeof(m));
	memset(&c, 0, sizeof(c));
	m.msg = msg;
	m.msglen = strlen(msg);
	m.program = prog;
	m.programlen = prog != NULL ? strlen(prog) : 0;
	m.facility = m.level = -1;
	if (s != NULL)
		ruleset_match_log(rs, s, NULL, &m, collect_cb, &c);
	rule_scratch_free(s);
	return fired(&c, sid);
}

/*
 * fast_pattern picks the prefilter literal: the marked content over a
 * longer one, "only" the same, "off,len" a slice of it; the whole rule is
 * still confirmed, so a message with the slice but not the content does
 * not fire.  off,len outside the content is rejected.
 */
static void
test_fast_pattern(void)
{
	static const struct {
		const char *opts, *lit;
	} fp[] = {
		{ "content:\"longest-one\"; content:\"xy\";", "longest-one" },
		{ "content:\"longest-one\"; content:\"xy\"; fast_pattern;",
		    "xy" },
		{ "content:\"longest-one\"; content:\"xy\"; fast_pattern:only;",
		    "xy" },
		{ "content:\"abcdef\"; fast_pattern:2,3; content:\"longest-one\";",
		    "cde" },
		{ "content:\"a|20|b\"; fast_pattern:1,2;", " b" },
	};
	static const char *bad[] = {
		"content:\"abcd\"; fast_pattern:3,2;",
		"content:\"abcd\"; fast_pattern:-1,2;",
		"content:\"abcd\"; fast_pattern:0,0;",
		"content:\"abcd\"; fast_pattern:sometimes;",
		"content:\"abcd\"; fast_pattern; fast_pattern;",
	};
	struct ruleset_opts o;
	struct ruleset_stats st;
	char text[512];

	memset(&o, 0, sizeof(o));
	o.flags = RULESET_LOG | RULESET_NO_CACHE;
	for (size_t i = 0; i < sizeof(fp) / sizeof(fp[0]); i++) {
		struct ruleset *rs;
		const uint8_t *lit;
		size_t len = 0;

		snprintf(text, sizeof(text),
		    "alert syslog any any -> any any (%s sid:1;)", fp[i].opts);
		rs = ruleset_load_string("fp", text, &o, NULL);
		if (!ok(rs != NULL, "fast_pattern %zu loads", i))
			continue;
		lit = rule_prefilter_literal(ruleset_rule(rs, 0), &len);
		ok(lit != NULL && len == strlen(fp[i].lit) &&
			memcmp(lit, fp[i].lit, len) == 0,
		    "%s: literal \"%s\"", fp[i].opts, fp[i].lit);
		ruleset_unref(rs);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text),
		    "alert syslog any any -> any any (%s sid:1;)", bad[i]);
		memset(&st, 0, sizeof(st));
		ruleset_unref(ruleset_load_string("fp", text, &o, &st));
		ok(st.rejected == 1, "rejected: %s", bad[i]);
	}

	/* the slice prefilters, the whole content confirms */
	snprintf(text, sizeof(text), "%s",
	    "alert syslog any any -> any any (content:\"evil-payload\"; "
	    "fast_pattern:5,7; sid:31;)\n"
	    "alert syslog any any -> any any (content:\"needle\"; "
	    "content:\"hay\"; fast_pattern:only; sid:32;)\n");
	{
		struct ruleset *rs = ruleset_load_string("fp", text, &o, NULL);

		if (ok(rs != NULL, "fast_pattern rules load")) {
			ok(log_fires(rs, "x", "got evil-payload here", 31),
			    "off,len: the content fires");
			ok(!log_fires(rs, "x", "just a payload here", 31),
			    "off,len: the slice alone does not");
			ok(log_fires(rs, "x", "hay and a needle", 32),
			    "only: fires with both contents");
			ok(!log_fires(rs, "x", "hay alone", 32),
			    "only: the other content still confirmed");
			ruleset_unref(rs);
		}
	}
}

/* Has list l of n rules exactly these sids (any order)? */
static int
sids_are(
    const struct rule *const *l, size_t n, const uint32_t *want, size_t nwant)
{
	if (n != nwant)
		return 0;
	for (size_t i = 0; i < nwant; i++) {
		size_t j;

		for (j = 0; j < n && rule_sid(l[j]) != want[i]; j++)
			;
		if (j == n)
			return 0;
	}
	return 1;
}

/*
 * Packet rules without a literal are indexed by destination port: a
 * packet meets the rules for any port and those listing its port, and the
 * answers are those of checking every rule.
 */
static void
test_port_index(void)
{
	static const char text[] =
	    "alert tcp any any -> any 22 (dsize:>0; sid:41;)\n"
	    "alert tcp any any -> any [80,8080:8081,!8081] (dsize:>0; "
	    "sid:42;)\n"
	    "alert tcp any any -> any any (dsize:>0; sid:43;)\n"
	    "alert tcp any any -> any !22 (dsize:>0; sid:44;)\n"
	    "alert tcp any any <> any 25 (dsize:>0; sid:45;)\n"
	    "alert tcp any any -> any 1024:65535 (dsize:>0; sid:46;)\n"
	    "alert udp any any -> any 53 (dsize:>0; sid:47;)\n"
	    "alert ip any any -> any [22,53] (dsize:>0; sid:48;)\n"
	    "alert tcp any any -> any $HTTP_PORTS (dsize:>0; sid:49;)\n"
	    "alert tcp any any -> any 22 (content:\"SSH-\"; sid:50;)\n";
	static const uint32_t any_tcp[] = { 43, 44, 45, 46 };
	static const uint32_t p22[] = { 41 }, p80[] = { 42, 49 },
			      p8081[] = { 42 }, p53u[] = { 47 },
			      p53ip[] = { 48 };
	struct ruleset_opts o;
	struct ruleset *rs;
	struct rule_scratch *s;
	const struct rule *const *l;
	size_t n;
	struct rule_packet p;
	struct addr a, b;
	struct collect c;
	static const struct {
		uint16_t dport, sport;
		uint32_t want[8];
	} pk[] = {
		{ 22, 40000, { 41, 43, 48 } },
		{ 80, 40000, { 42, 43, 44, 49 } },
		{ 8081, 40000, { 43, 44, 46 } },
		{ 25, 40000, { 43, 44, 45 } },
		{ 40000, 25, { 43, 44, 45, 46 } },
		{ 443, 1000, { 43, 44 } },
	};

	memset(&o, 0, sizeof(o));
	o.flags = RULESET_PACKET | RULESET_NO_CACHE;
	rs = ruleset_load_string("ports", text, &o, NULL);
	if (!ok(rs != NULL && ruleset_count(rs) == 10, "port rules load"))
		return;
	l = ruleset_unfiltered_anyport(rs, RULE_PROTO_TCP, &n);
	ok(sids_are(l, n, any_tcp, 4),
	    "tcp any-port list: any, negated, <>, wide range");
	l = ruleset_unfiltered_port(rs, RULE_PROTO_TCP, 22, &n);
	ok(sids_are(l, n, p22, 1),
	    "tcp port 22: its rule, not the literal one");
	l = ruleset_unfiltered_port(rs, RULE_PROTO_TCP, 80, &n);
	ok(sids_are(l, n, p80, 2), "tcp port 80: a list and $HTTP_PORTS");
	l = ruleset_unfiltered_port(rs, RULE_PROTO_TCP, 8081, &n);
	ok(sids_are(l, n, p8081, 1),
	    "tcp port 8081: listed by the range (the negation is confirmed)");
	l = ruleset_unfiltered_port(rs, RULE_PROTO_TCP, 443, &n);
	ok(n == 0 && l == NULL, "tcp port 443: none listed");
	l = ruleset_unfiltered_port(rs, RULE_PROTO_UDP, 53, &n);
	ok(sids_are(l, n, p53u, 1), "udp port 53");
	l = ruleset_unfiltered_port(rs, RULE_PROTO_ANY, 53, &n);
	ok(sids_are(l, n, p53ip, 1), "ip rules by port too");
	l = ruleset_unfiltered_packet(rs, RULE_PROTO_TCP, &n);
	is_int((long long)n, 7, "the whole tcp list is still there");

	s = rule_scratch_new(rs);
	v4(&a, "192.168.1.5");
	v4(&b, "192.168.1.1");
	for (size_t i = 0; i < sizeof(pk) / sizeof(pk[0]); i++) {
		size_t nw = 0;

		while (nw < 8 && pk[i].want[nw] != 0)
			nw++;
		memset(&p, 0, sizeof(p));
		p.proto = RULE_PROTO_TCP;
		p.src = &a;
		p.dst = &b;
		p.sport = pk[i].sport;
		p.dport = pk[i].dport;
		p.buf[RULE_BUF_PAYLOAD] = (const uint8_t *)"hello";
		p.len[RULE_BUF_PAYLOAD] = 5;
		p.dsize = 5;
		memset(&c, 0, sizeof(c));
		ruleset_match_packet(rs, s, &p, collect_cb, &c);
		{
			int good = c.n == (int)nw;

			for (size_t k = 0; k < nw; k++)
				good &= fired(&c, pk[i].want[k]);
			ok(good, "tcp %u -> %u: %zu rules fire, %d did",
			    pk[i].sport, pk[i].dport, nw, c.n);
		}
	}
	rule_scratch_free(s);
	ruleset_unref(rs);
}

/* Rules without a literal are prefiltered on the program (a database of
 * their globs), also when the databases come from the cache. */
static void
test_program_prefilter(void)
{
	static const char text[] =
	    "alert any any any -> any any (program: %ASA*-6-3020??; sid:1;)\n"
	    "alert any any any -> any any (program: sshd|dropbear; "
	    "content:!\"Accepted\"; sid:2;)\n"
	    "alert any any any -> any any (content:!\"x\"; sid:3;)\n";
	char dir[] = "/tmp/test_rules_progXXXXXX";
	struct ruleset_opts o;
	struct ruleset_stats st;

	if (!ok(mkdtemp(dir) != NULL, "temp dir"))
		return;
	memset(&o, 0, sizeof(o));
	o.flags = RULESET_LOG;
	o.cache_dir = dir;
	for (int pass = 0; pass < 2; pass++) {
		struct ruleset *rs = ruleset_load_string("p", text, &o, &st);

		if (!ok(rs != NULL, "pass %d loads", pass))
			continue;
		is_int(st.cache_hit, pass, "pass %d cache hit", pass);
		is_int(st.unfiltered, 3, "three rules without a literal");
		ok(log_fires(rs, "%ASA-6-302013", "Built", 1),
		    "glob program matches");
		ok(!log_fires(rs, "%ASA-6-30201", "Built", 1),
		    "glob needs both ?");
		ok(!log_fires(rs, "%asa-6-302013", "Built", 1),
		    "program match is case-sensitive (Sagan)");
		ok(log_fires(rs, "dropbear", "Bad", 2) &&
			!log_fires(rs, "dropbear", "Accepted", 2),
		    "alternatives and a negated content");
		ok(log_fires(rs, NULL, "y", 3) && !log_fires(rs, "a", "x", 3),
		    "no program: on the generic list");
		ruleset_unref(rs);
	}
	rmtree(dir);
}

/* A rule whose only literal is a meta_content list is prefiltered on the
 * list's values (one payload pattern per value), from a fresh compile and
 * from the cache; nocase folds both sides; a negated list alone leaves
 * the rule on the generic list. */
static void
test_meta_prefilter(void)
{
	static const char text[] =
	    "alert any any any -> any any (meta_content: \"hash=%sagan%\", "
	    "AbC123,dEf456; meta_nocase; sid:21;)\n"
	    "alert any any any -> any any (meta_content: \"user %sagan%\", "
	    "Alice,Bob; sid:22;)\n"
	    "alert any any any -> any any (meta_content: !\"%sagan%\", "
	    "ok,fine; sid:23;)\n"
	    "alert any any any -> any any (meta_content: \"%sagan%\", "
	    "Mallory; meta_content: !\"%sagan%\", test; sid:24;)\n";
	char dir[] = "/tmp/test_rules_metaXXXXXX";
	struct ruleset_opts o;
	struct ruleset_stats st;

	if (!ok(mkdtemp(dir) != NULL, "temp dir"))
		return;
	memset(&o, 0, sizeof(o));
	o.flags = RULESET_LOG;
	o.cache_dir = dir;
	for (int pass = 0; pass < 2; pass++) {
		struct ruleset *rs = ruleset_load_string("m", text, &o, &st);

		if (!ok(rs != NULL, "meta pass %d loads", pass))
			continue;
		is_int(st.cache_hit, pass, "meta pass %d cache hit", pass);
		is_int(st.prefiltered, 3, "three meta rules prefiltered");
		is_int(st.unfiltered, 1, "a negated list alone is not");
		ok(log_fires(rs, "x", "file HASH=abc123 seen", 21),
		    "nocase: message case folded");
		ok(log_fires(rs, "x", "hash=DEF456", 21),
		    "nocase: second value, upper case");
		ok(!log_fires(rs, "x", "hash=abc12", 21), "nocase: no value");
		ok(log_fires(rs, "x", "login user Bob ok", 22),
		    "case-sensitive: exact value");
		ok(!log_fires(rs, "x", "login user bob ok", 22),
		    "case-sensitive: other case does not match");
		ok(log_fires(rs, "x", "all bad", 23) &&
			!log_fires(rs, "x", "all fine", 23),
		    "negated list on the generic list");
		ok(log_fires(rs, "x", "Mallory logged in", 24) &&
			!log_fires(rs, "x", "Mallory test login", 24) &&
			!log_fires(rs, "x", "Trent logged in", 24),
		    "positive list prefilters, negated list still applies");
		ruleset_unref(rs);
	}
	rmtree(dir);
}

int
main(void)
{
	test_confirm_table();
	test_dsize();
	test_program_prefilter();
	test_meta_prefilter();
	test_fast_pattern();
	test_port_index();
	test_packets();
	test_cache();
	test_cache_prune();
	return done_testing();
}
