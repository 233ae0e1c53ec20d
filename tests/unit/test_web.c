/*
 * test_web.c — the web view's building blocks without a server: the
 * escapers and web_html's format, the hex dump, password hashing, the
 * 団体コード and name checks, and the store_web queries' tenant scope,
 * triage transitions, users and sessions.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/timeutil.h"
#include "tests/tap.h"
#include "web/web.h"
#include "web/web_int.h"

static const char *
esc(const char *s, size_t n)
{
	static struct buf b;

	buf_free(&b);
	buf_init(&b, 1 << 16);
	web_esc_html(&b, s, n);
	return buf_cstr(&b);
}

static void
test_escape(void)
{
	struct buf b;

	is_str(esc("<script>alert('x')</script>", 27),
	    "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", "script");
	is_str(esc("\"><img src=x onerror=y>", 23),
	    "&quot;&gt;&lt;img src=x onerror=y&gt;", "attribute break-out");
	is_str(esc("a&b`c", 5), "a&amp;b&#96;c", "ampersand and backtick");
	is_str(esc("日本語", strlen("日本語")), "日本語", "UTF-8 passes");
	is_str(esc("a\x1b[1m\x00z", 7), "a\\x1b[1m\\x00z", "control bytes");
	is_str(esc("\xc3\x28", 2), "\\xc3(", "invalid UTF-8 byte");
	is_str(esc("\xed\xa0\x80", 3), "\\xed\\xa0\\x80", "surrogate refused");
	is_str(esc("\xc0\xaf", 2), "\\xc0\\xaf", "overlong refused");
	is_str(esc("t\tn\n", 4), "t\tn\n", "tab and newline kept");

	buf_init(&b, 4096);
	web_esc_url(&b, "a b&c=d/é", strlen("a b&c=d/é"));
	is_str(buf_cstr(&b), "a%20b%26c%3Dd%2F%C3%A9", "url encoding");
	buf_reset(&b);
	web_html(&b, "<a href=\"?q=%u\" title=\"%s\">%d %D %r %%</a>", "x\"y",
	    "<i>", -3, (int64_t)1 << 40, "<b>ok</b>");
	is_str(buf_cstr(&b),
	    "<a href=\"?q=x%22y\" title=\"&lt;i&gt;\">"
	    "-3 1099511627776 <b>ok</b> %</a>",
	    "web_html specifiers");
	buf_reset(&b);
	web_html(
	    &b, "[%t][%t]", (int64_t)0, (int64_t)1795849980 * TIME_US_PER_SEC);
	is_str(buf_cstr(&b), "[—][2026-11-28 16:13 JST]", "time as JST");
	buf_reset(&b);
	web_html(&b, "%S|%s", "a<\0b", (size_t)4, (const char *)NULL);
	is_str(buf_cstr(&b), "a&lt;\\x00b|", "bytes with NUL, NULL string");
	buf_reset(&b);
	web_hexdump(&b, (const uint8_t *)"<ab>\x00\xff", 6);
	is_str(buf_cstr(&b),
	    "00000000  3c 61 62 3e 00 ff "
	    "                               &lt;ab&gt;..\n",
	    "hex dump escaped");
	buf_free(&b);
}

static void
test_checks(void)
{
	static const char *const good[] = { "131016", "011002", "022021",
		"012050", "242012", "472018", "130001", "240001", NULL };

	for (int i = 0; good[i]; i++)
		ok(web_muni_valid(good[i]), "団体コード %s valid", good[i]);
	ok(!web_muni_valid("131017"), "bad check digit");
	ok(!web_muni_valid("13101"), "five digits");
	ok(!web_muni_valid("13101a"), "letter");
	ok(!web_muni_valid("1310160"), "seven digits");
	ok(web_name_valid("alice.o-k_1@x"), "name ok");
	ok(!web_name_valid(""), "empty name");
	ok(!web_name_valid(".x"), "leading dot");
	ok(!web_name_valid("a/b"), "slash");
	ok(!web_name_valid("a b"), "space");
	ok(web_ct_equal("abc", "abc"), "ct equal");
	ok(!web_ct_equal("abc", "abd"), "ct differs");
	ok(!web_ct_equal("abc", "ab"), "ct length differs");
	ok(!web_ct_equal("", ""), "empty never equal");
}

static void
test_password(void)
{
	char h1[STORE_WEB_HASH_MAX], h2[STORE_WEB_HASH_MAX], bad[300];

	ok(web_pw_hash("correct horse", h1, sizeof(h1)) == 0, "hash");
	ok(web_pw_hash("correct horse", h2, sizeof(h2)) == 0, "hash again");
	ok(strncmp(h1, "$scrypt$ln=15,r=8,p=1$", 22) == 0,
	    "self-describing format: %s", h1);
	ok(strcmp(h1, h2) != 0, "random salt: hashes differ");
	ok(web_pw_verify("correct horse", h1), "verify");
	ok(!web_pw_verify("correct hors", h1), "wrong password");
	ok(!web_pw_verify("", h1), "empty password");
	snprintf(bad, sizeof(bad), "%s", h1);
	bad[strlen(bad) - 3] ^= 1;
	ok(!web_pw_verify("correct horse", bad), "tampered key");
	ok(!web_pw_verify("x", "$scrypt$ln=40,r=8,p=1$AAAA$AAAA"),
	    "absurd cost refused");
	ok(!web_pw_verify("x", "$scrypt$ln=15"), "truncated");
	ok(!web_pw_verify("x", "plain"), "not a hash");
	ok(!web_pw_verify("x",
	       "$scrypt$ln=15,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA=="
	       "$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),
	    "the dummy hash for unknown users parses and fails");
}

static int64_t
add(struct store *st, const char *muni, const char *src, uint32_t sid)
{
	struct sc_alert al;
	int64_t gid = 0;

	memset(&al, 0, sizeof(al));
	al.ts_us = time_now_us();
	al.origin = SC_ORIGIN_LOG;
	al.gid = 1;
	al.sid = sid;
	al.rev = 1;
	al.severity = 2;
	al.msg = "m";
	snprintf(al.muni, sizeof(al.muni), "%s", muni);
	al.has_src = addr_parse(src, &al.src) == 0;
	al.evidence = (const uint8_t *)"\x00\xffraw";
	al.evidence_len = 5;
	store_alert_insert(st, &al, NULL, &gid);
	return gid;
}

static void
test_store(void)
{
	char dir[] = "/tmp/test_web.XXXXXX", path[256], err[256];
	struct store *st;
	struct store_web_filter f;
	struct store_web_user u;
	struct store_web_session ses;
	json_t *j = NULL, *a;
	int64_t g1, g2, now = time_now_us();

	ok(mkdtemp(dir) != NULL, "temp dir");
	snprintf(path, sizeof(path), "%s/seccloud.db", dir);
	st = store_open(path, STORE_CREATE, err, sizeof(err));
	ok(st != NULL, "store open: %s", st ? "" : err);
	if (st == NULL)
		return;
	g1 = add(st, "131016", "192.0.2.1", 1);
	g2 = add(st, "011002", "192.0.2.1", 1);
	ok(g1 > 0 && g2 > 0 && g1 != g2, "two groups");
	is_int(store_web_group(st, "131016", g1, &j), 1, "own group found");
	json_decref(j);
	is_int(store_web_group(st, "131016", g2, &j), 0,
	    "other 団体's group not found");
	ok(j == NULL, "no row handed out");
	is_int(store_web_group(st, NULL, g2, &j), 1, "unscoped finds it");
	json_decref(j);
	memset(&f, 0, sizeof(f));
	f.scope = "131016";
	a = store_web_groups(st, &f);
	is_int(json_array_size(a), 1, "scoped inbox: one group");
	json_decref(a);
	f.muni = "011002";
	a = store_web_groups(st, &f);
	is_int(json_array_size(a), 0, "scope AND muni filter: none");
	json_decref(a);
	a = store_web_related(st, "131016", "192.0.2.1", g1, 10);
	is_int(json_array_size(a), 0, "related stays in scope");
	json_decref(a);
	a = store_web_related(st, NULL, "192.0.2.1", g1, 10);
	is_int(json_array_size(a), 1, "related unscoped sees the other");
	json_decref(a);
	a = store_web_group_alerts(st, g1, 5);
	is_str(js(json_array_get(a, 0), "evidence_hex"), "00ff726177",
	    "evidence as hex");
	json_decref(a);

	is_int(store_web_triage(
		   st, "131016", g2, "acknowledge", NULL, NULL, "u", now),
	    0, "triage out of scope: not found");
	is_int(
	    store_web_triage(st, "131016", g1, "close", "nope", NULL, "u", now),
	    -2, "bad close reason");
	is_int(store_web_triage(
		   st, "131016", g1, "frobnicate", NULL, NULL, "u", now),
	    -2, "unknown action");
	is_int(
	    store_web_triage(st, "131016", g1, "reopen", NULL, NULL, "u", now),
	    -2, "reopen of a new group refused");
	is_int(store_web_triage(
		   st, "131016", g1, "close", "benign", NULL, "u", now),
	    1, "close");
	is_int(store_web_triage(
		   st, "131016", g1, "close", "benign", NULL, "u", now),
	    -2, "close twice refused");
	a = store_web_seen_before(st, 1, 1, "131016", 5);
	is_int(json_array_size(a), 1, "seen before: the closure");
	json_decref(a);
	a = store_web_seen_before(st, 1, 1, "011002", 5);
	is_int(json_array_size(a), 0, "seen before of the other 団体: none");
	json_decref(a);
	is_int(store_web_comment_add(st, "131016", g2, "u", "x", now), 0,
	    "comment out of scope refused");
	is_int(store_web_comment_add(st, NULL, g2, "u", "x", now), 1,
	    "comment in scope");

	is_int(store_web_user_add(st, "bob", "analyst", NULL, "h", now), 0,
	    "user add");
	is_int(store_web_user_add(st, "bob", "analyst", NULL, "h", now), 1,
	    "duplicate user");
	ok(store_web_user_add(st, "m", "municipal", NULL, "h", now) == -1,
	    "municipal without 団体 refused by the schema");
	is_int(store_web_user_get(st, "bob", &u), 1, "user get");
	is_int(store_web_session_new(st, "hash1", u.id, "csrf1", now, "a"), 0,
	    "session new");
	is_int(store_web_session_get(st, "hash1", &ses), 1, "session get");
	is_str(ses.csrf, "csrf1", "session csrf");
	is_str(ses.user.name, "bob", "session user");
	is_int(store_web_user_disable(st, "bob", 1, now), 0, "disable");
	is_int(store_web_session_get(st, "hash1", &ses), 0,
	    "disabling ended the session");
	is_int(store_web_user_disable(st, "nobody", 1, now), 1,
	    "disable unknown user");
	store_web_user_disable(st, "bob", 0, now);
	store_web_session_new(st, "hash2", u.id, "c", now - 10, "a");
	store_web_session_expire(st, now, 0);
	is_int(store_web_session_get(st, "hash2", &ses), 0, "idle expiry");
	store_close(st);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	ok(system(path) == 0, "cleanup");
}

int
main(void)
{
	test_escape();
	test_checks();
	test_password();
	test_store();
	return done_testing();
}
