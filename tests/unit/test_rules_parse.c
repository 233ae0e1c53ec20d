/*
 * test_rules_parse.c — the rule parser accepts the forms of issue 3 and
 * rejects bad rules with "file:line: sid N: reason", the right reason
 * class and the right line (continuations included); strict mode fails the
 * whole load; accessors give back what the rule said.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"
#include "tests/tap.h"

static char lasterr[512];
static int nerr;
static enum rule_reject lastreason;

static void
on_error(void *arg, const char *file, int line, uint32_t sid,
    enum rule_reject why, const char *reason)
{
	(void)arg;
	snprintf(lasterr, sizeof(lasterr), "%s:%d: sid %u: %s", file, line, sid,
	    reason);
	lastreason = why;
	nerr++;
}

static struct ruleset *
load(const char *text, unsigned flags)
{
	struct ruleset_opts o;

	memset(&o, 0, sizeof(o));
	o.flags = flags | RULESET_NO_CACHE;
	o.on_error = on_error;
	nerr = 0;
	lasterr[0] = '\0';
	return ruleset_load_string("t.rules", text, &o, NULL);
}

/* The first line of a rule, for a TAP label. */
static const char *
label(const char *text)
{
	static char b[64];
	size_t n = strcspn(text, "\n");

	if (n == 0 && text[0] == '\n')
		return label(text + 1);
	snprintf(b, sizeof(b), "%.*s", (int)(n < 50 ? n : 50), text);
	return b;
}

/* One rule that must be rejected with exactly this message. */
static void
rejects(const char *text, const char *want, enum rule_reject why)
{
	struct ruleset *rs = load(text, RULESET_LOG);

	ok(rs != NULL && ruleset_count(rs) == 0 && nerr == 1, "rejected: %s",
	    label(text));
	is_str(lasterr, want, "message for %s", label(text));
	is_int(lastreason, why, "reason class %s", rule_reject_name(why));
	ruleset_unref(rs);
}

static void
accepts(const char *text, unsigned flags)
{
	struct ruleset *rs = load(text, flags);

	ok(rs != NULL && ruleset_count(rs) == 1 && nerr == 0, "accepted: %s",
	    label(text));
	if (nerr)
		diag("%s", lasterr);
	ruleset_unref(rs);
}

static void
test_accepts(void)
{
	accepts("alert tcp $HOME_NET any -> $EXTERNAL_NET 80 (msg:\"x\"; "
		"flow:to_server,established; content:\"GET\"; depth:3; "
		"content:\"/wp-login.php\"; http.uri; nocase; "
		"classtype:web-application-attack; sid:9100001; rev:1; "
		"metadata: guideline 2-6-5, tier internet;)",
	    RULESET_PACKET);
	accepts("alert syslog $HOME_NET any -> any any (msg:\"[SSHD] auth "
		"failure\"; program:sshd; content:\"Failed password\"; "
		"pcre:\"/for (invalid user )?\\S+ from/\"; threshold: type "
		"threshold, track by_src, count 10, seconds 300; "
		"classtype:attempted-user; sid:9000001; rev:1; metadata: "
		"guideline 2-6-2;)",
	    RULESET_LOG);
	accepts("alert tcp any any -> any any (msg:\"t\"; pcre:/blah/U; "
		"sid:1;)",
	    RULESET_PACKET);
	accepts("alert tcp [10.0.0.0/8,!10.1.0.0/16] ![1:1024,8080] <> "
		"[$HOME_NET,2001:db8::/32] :100 (content:\"a|0d 0a|b\"; "
		"offset:2; depth:10; content:!\"zz\"; distance:0; within:5; "
		"sid:2;)",
	    RULESET_PACKET);
	accepts("alert dns any any -> any any (msg:\"q\"; dns_query; "
		"content:\"google\"; nocase; sid:3;)",
	    RULESET_PACKET);
	accepts("alert http any any -> any any (content:\"foo\"; http_uri; "
		"content:\"bar\"; http_user_agent; content:\"baz\"; "
		"http_host; content:\"GET\"; http_method; sid:4;)",
	    RULESET_PACKET);
	accepts("alert tls any any -> any any (tls.sni; content:\"x.nl\"; "
		"sid:5;)",
	    RULESET_PACKET);
	accepts("alert tcp any any -> any any (dsize:10<>20; pcre:!\"/two/\"; "
		"pcre:\"/\\s+HTTP/R\"; pcre:\"/two/O\"; sid:6;)",
	    RULESET_PACKET);
	accepts("alert any $EXTERNAL_NET any -> $HOME_NET any (msg: \"[APACHE] "
		"x\"; content: \"denied by server configuration\"; threshold: "
		"type limit, track by_src, count 5, seconds 300; xbits: "
		"set,recon,86400; default_proto:tcp; default_dst_port: "
		"$HTTP_PORT; classtype: permissions-violation ; program: "
		"apache|httpd; reference: url,wiki.example/5000156; "
		"parse_src_ip: 1; sid:5000156; rev:9;)",
	    RULESET_LOG);
	accepts(
	    "alert any $HOME_NET any -> any any (msg:\"m\"; content:\"S\"; "
	    "meta_content:!\"value ''%sagan%\", $RFC1918; meta_nocase; "
	    "xbits: isset,by_src,recon|honeypot; after: track by_src, count "
	    "5, seconds 300; facility: auth; level: warning; parse_port; "
	    "sid:7;)",
	    RULESET_LOG);
	/* sagan-rules: a second reference that lost its keyword */
	accepts("alert any any any -> any any (msg:\"r\"; content:\"Miner\"; "
		"reference: url,example.org/a; url,example.org/b; cve,2017-1; "
		"sid:9;)",
	    RULESET_LOG);
	accepts("alert tcp any any -> any any (msg:\"multi\\;line\"; \\\n"
		"  content:\"x\"; \\\n  sid:8;)",
	    RULESET_PACKET);
}

static void
test_rejects(void)
{
	rejects("alert tcp any any -> any any (content:\"x\";)",
	    "t.rules:1: sid 0: no sid", RULE_REJ_NO_SID);
	rejects("\n# c\nalert tcp any any -> any any (bogus:1; sid:42;)",
	    "t.rules:3: sid 42: unknown keyword \"bogus\"",
	    RULE_REJ_UNKNOWN_KEYWORD);
	rejects("alert any any any -> any any (content:\"x\"; conent:\"y\"; "
		"sid:41;)",
	    "t.rules:1: sid 41: unknown keyword \"conent\"",
	    RULE_REJ_UNKNOWN_KEYWORD);
	rejects("alert any any any -> any any (content:\"x\"; url; sid:40;)",
	    "t.rules:1: sid 40: unknown keyword \"url\"",
	    RULE_REJ_UNKNOWN_KEYWORD);
	rejects("alert tcp any any -> any any (nocase; sid:43;)",
	    "t.rules:1: sid 43: nocase without a content before it",
	    RULE_REJ_SYNTAX);
	rejects("alert tcp any any -> any any (pcre:\"/a(/\"; sid:44;)",
	    "t.rules:1: sid 44: pcre at offset 2: missing closing "
	    "parenthesis",
	    RULE_REJ_BAD_PCRE);
	rejects("alert tcp $NOPE any -> any any (sid:45;)",
	    "t.rules:1: sid 45: undefined variable $NOPE", RULE_REJ_BAD_VAR);
	rejects("alert tcp 10.0.0.300 any -> any any (sid:46;)",
	    "t.rules:1: sid 46: bad address \"10.0.0.300\"", RULE_REJ_BAD_VAR);
	rejects("alert tcp any 70000 -> any any (sid:47;)",
	    "t.rules:1: sid 47: bad port \"70000\"", RULE_REJ_BAD_VAR);
	rejects("alert tcp any any => any any (sid:48;)",
	    "t.rules:1: sid 48: direction must be -> or <>, not \"=>\"",
	    RULE_REJ_SYNTAX);
	rejects("alert any any any -> any any (country_code: track by_src, "
		"isnot $HOME_COUNTRY; sid:49;)",
	    "t.rules:1: sid 49: country_code: needs a GeoIP database",
	    RULE_REJ_UNSUPPORTED);
	rejects("alert tcp any any -> any any (content:\"ab\"; depth:1; "
		"sid:50;)",
	    "t.rules:1: sid 50: depth 1 shorter than the content (2)",
	    RULE_REJ_BAD_VALUE);
	rejects("alert any any any -> any any (program:sshd; flow:to_server; "
		"sid:51;)",
	    "t.rules:1: sid 51: mixes log keywords (program, xbits, ...) "
	    "with packet keywords (flow, buffers, ...)",
	    RULE_REJ_SYNTAX);
	rejects("alert tcp any any -> any any (content:\"a|0g|\"; sid:52;)",
	    "t.rules:1: sid 52: bad |hex| in content", RULE_REJ_BAD_VALUE);
	rejects("alert tcp any any -> any any (msg:\"x; sid:53;)",
	    "t.rules:1: sid 0: unterminated quote or over 256 options",
	    RULE_REJ_SYNTAX);
	rejects("alert tcp any any -> any any (content:\"x\"; \\\n"
		"distance:1; offset:2; sid:54;)",
	    "t.rules:1: sid 54: offset/depth mixed with distance/within on "
	    "one content",
	    RULE_REJ_BAD_VALUE);
	rejects("alert tcp any any -> any any (threshold: type limit, count "
		"5; sid:55;)",
	    "t.rules:1: sid 55: threshold: needs type, count and seconds "
	    "above 0",
	    RULE_REJ_BAD_VALUE);
	rejects("alert tcp any any -> any any (xbits: flip,x; sid:56;)",
	    "t.rules:1: sid 56: xbits: cannot read this form",
	    RULE_REJ_BAD_VALUE);
	rejects("alert any any any -> any any (alert_time: days 8, hours "
		"0700-1800; sid:58;)",
	    "t.rules:1: sid 58: alert_time: wants \"days 0123456, hours "
	    "HHMM-HHMM\"",
	    RULE_REJ_BAD_VALUE);
	rejects("pass tcp any any -> any any (sid:57;)",
	    "t.rules:1: sid 57: unsupported action \"pass\"",
	    RULE_REJ_UNSUPPORTED);
}

static void
test_dups_and_strict(void)
{
	struct ruleset *rs;
	struct ruleset_stats st;
	struct ruleset_opts o;
	const char *two = "alert tcp any any -> any any (content:\"a\"; "
			  "sid:9;)\nalert tcp any any -> any any "
			  "(content:\"b\"; sid:9;)\n";

	rs = load(two, RULESET_PACKET);
	ok(rs != NULL && ruleset_count(rs) == 1, "duplicate sid: first kept");
	is_str(lasterr, "t.rules:2: sid 9: duplicate sid 1:9",
	    "duplicate sid message");
	is_int(ruleset_stats(rs)->rejected_by[RULE_REJ_DUP_SID], 1,
	    "counted as duplicate");
	ruleset_unref(rs);
	memset(&o, 0, sizeof(o));
	o.flags = RULESET_PACKET | RULESET_STRICT | RULESET_QUIET;
	rs = ruleset_load_string("t.rules", two, &o, &st);
	ok(rs == NULL, "strict: one bad rule fails the load");
	is_int(st.rejected, 1, "strict: stats still filled");
}

static void
test_accessors(void)
{
	struct ruleset *rs;
	const struct rule *r;

	rs =
	    load("alert http $HOME_NET any -> any 80 (msg:\"web \\\"x\\\"\"; "
		 "flow:to_server; http.uri; content:\"abc\"; content:\"host\"; "
		 "classtype:web-application-attack; priority:2; gid:3; "
		 "sid:77; rev:4; metadata: guideline 2-6-5, usecase "
		 "GL-INT-03;)",
		RULESET_PACKET);
	r = rs != NULL ? ruleset_find_sid(rs, 3, 77) : NULL;
	ok(r != NULL, "find by gid:sid");
	if (r == NULL)
		return;
	is_str(rule_msg(r), "web \"x\"", "msg unescaped");
	is_int(rule_rev(r), 4, "rev");
	is_int(rule_priority(r), 2, "priority");
	is_str(rule_classtype(r), "web-application-attack", "classtype");
	is_str(rule_metadata(r, "guideline"), "2-6-5", "metadata guideline");
	is_str(rule_metadata(r, "usecase"), "GL-INT-03", "metadata usecase");
	ok(rule_metadata(r, "tier") == NULL, "absent metadata is NULL");
	is_int(rule_proto(r), RULE_PROTO_HTTP, "proto http");
	is_int(rule_flow(r), RULE_FLOW_TO_SERVER, "flow");
	is_int(rule_buffers(r), (1u << RULE_BUF_HTTP_URI),
	    "sticky http.uri holds both contents");
	is_int(rule_prefilter_buf(r), RULE_BUF_HTTP_URI, "prefilter buffer");
	ok(!rule_is_log(r), "packet rule");
	ruleset_unref(rs);
}

/* The one buffer set of a single packet rule, or ~0u if it did not load. */
static unsigned
bufs_of(const char *opts)
{
	char text[512];
	struct ruleset *rs;
	unsigned m = ~0u;

	snprintf(text, sizeof(text),
	    "alert http any any -> any any (%s "
	    "sid:1;)",
	    opts);
	rs = load(text, RULESET_PACKET);
	if (rs != NULL && ruleset_count(rs) == 1 && nerr == 0)
		m = rule_buffers(ruleset_rule(rs, 0));
	ruleset_unref(rs);
	return m;
}

/* The HTTP response buffers: Suricata's sticky names, the old content
 * modifiers http_stat_code/http_stat_msg and the old sticky
 * http_content_type. */
static void
test_response_buffers(void)
{
	const unsigned code = 1u << RULE_BUF_HTTP_STAT_CODE,
		       msg = 1u << RULE_BUF_HTTP_STAT_MSG,
		       ctype = 1u << RULE_BUF_HTTP_CTYPE;

	is_int(bufs_of("http.stat_code; content:\"404\";"), code,
	    "http.stat_code sticky");
	is_int(bufs_of("content:\"404\"; http_stat_code;"), code,
	    "http_stat_code modifier");
	is_int(bufs_of("http.stat_msg; content:\"Not Found\"; nocase;"), msg,
	    "http.stat_msg sticky");
	is_int(bufs_of("content:\"Not Found\"; http_stat_msg;"), msg,
	    "http_stat_msg modifier");
	is_int(bufs_of("http.content_type; content:\"x-msdownload\";"), ctype,
	    "http.content_type sticky");
	is_int(bufs_of("http_content_type; content:\"x-msdownload\";"), ctype,
	    "http_content_type legacy sticky");
	is_int(bufs_of("content:\"x-msdownload\"; http.content_type;"), ctype,
	    "sticky name after its content moves it");
	is_int(bufs_of("content:\"GET\"; http_method; content:\"200\"; "
		       "http_stat_code;"),
	    (1u << RULE_BUF_HTTP_METHOD) | code,
	    "modifiers apply to their own content only");
	is_int(bufs_of("http.stat_code; content:\"200\"; content:\"x\"; "
		       "http_stat_msg; pkt_data; content:\"MZ\";"),
	    code | msg | (1u << RULE_BUF_PAYLOAD),
	    "sticky, modifier and pkt_data in one rule");
	is_str(rule_buf_name(RULE_BUF_HTTP_STAT_CODE), "http.stat_code",
	    "name of the status code buffer");
	is_str(rule_buf_name(RULE_BUF_HTTP_STAT_MSG), "http.stat_msg",
	    "name of the status message buffer");
	is_str(rule_buf_name(RULE_BUF_HTTP_CTYPE), "http.content_type",
	    "name of the Content-Type buffer");
	is_str(rule_buf_name(RULE_BUF_COUNT), "?", "no name past the end");

	rejects("alert http any any -> any any (http_stat_code; "
		"content:\"404\"; sid:60;)",
	    "t.rules:1: sid 60: http_stat_code without a content before it",
	    RULE_REJ_SYNTAX);
	rejects("alert http any any -> any any (http_stat_msg; sid:61;)",
	    "t.rules:1: sid 61: http_stat_msg without a content before it",
	    RULE_REJ_SYNTAX);
	rejects("alert http any any -> any any (http.stat_code:404; "
		"sid:62;)",
	    "t.rules:1: sid 62: http.stat_code: takes no value",
	    RULE_REJ_SYNTAX);
	rejects("alert http any any -> any any (http.status_code; "
		"content:\"404\"; sid:63;)",
	    "t.rules:1: sid 63: unknown keyword \"http.status_code\"",
	    RULE_REJ_UNKNOWN_KEYWORD);
	rejects("alert any any any -> any any (program:httpd; "
		"http.content_type; content:\"x\"; sid:64;)",
	    "t.rules:1: sid 64: mixes log keywords (program, xbits, ...) "
	    "with packet keywords (flow, buffers, ...)",
	    RULE_REJ_SYNTAX);
}

int
main(void)
{
	test_accepts();
	test_rejects();
	test_dups_and_strict();
	test_accessors();
	test_response_buffers();
	return done_testing();
}
