/*
 * test_event.c — the names of event.h's enums, as shown and stored: every
 * tier round-trips through its short and its Japanese name, bad values get
 * the "unknown" names instead of reading past the tables.
 */
#include "config.h"

#include <string.h>

#include "common/event.h"
#include "tests/tap.h"

int
main(void)
{
	static const char *const shortn[SC_TIER_MAX] = { "unknown", "M", "L",
		"I", "LG", "SC", "DMZ", "NET" };
	enum sc_tier t;
	int bad = 0;

	for (int i = 0; i < SC_TIER_MAX; i++) {
		t = SC_TIER_MAX;
		if (strcmp(sc_tier_name((enum sc_tier)i), shortn[i]) != 0 ||
		    sc_tier_parse(shortn[i], &t) != 0 || (int)t != i)
			bad++;
		t = SC_TIER_MAX;
		if (sc_tier_parse(sc_tier_name_ja((enum sc_tier)i), &t) != 0 ||
		    (int)t != i)
			bad++;
	}
	is_int(bad, 0, "every tier round-trips by its name and its ja name");
	is_str(sc_tier_name_ja(SC_TIER_M), "マイナンバー利用事務系",
	    "M is the マイナンバー利用事務系");
	is_str(sc_tier_name_ja(SC_TIER_L), "LGWAN接続系", "L is LGWAN接続系");
	is_str(sc_tier_name_ja(SC_TIER_I), "インターネット接続系",
	    "I is インターネット接続系");
	ok(sc_tier_parse("dmz", &t) == 0 && t == SC_TIER_DMZ,
	    "short names are case-insensitive");
	t = SC_TIER_L;
	ok(sc_tier_parse("X", &t) == -1 && t == SC_TIER_L,
	    "an unknown name is refused and leaves the tier alone");
	ok(sc_tier_parse("", &t) == -1, "the empty name is refused");
	is_str(sc_tier_name((enum sc_tier)SC_TIER_MAX), "unknown",
	    "an out-of-range tier is unknown");
	is_str(sc_tier_name((enum sc_tier) - 1), "unknown",
	    "a negative tier is unknown");
	is_str(sc_tier_name_ja((enum sc_tier)99), "不明", "and 不明 in ja");

	is_str(sc_severity_name(SC_SEV_CRITICAL), "S1", "S1");
	is_str(sc_severity_name(SC_SEV_INFO), "S5", "S5");
	is_str(sc_severity_name(0), "S?", "severity 0 is S?");
	is_str(sc_severity_name(6), "S?", "severity 6 is S?");
	is_str(sc_severity_name_ja(SC_SEV_CRITICAL), "緊急", "S1 is 緊急");
	is_str(sc_severity_name_ja(SC_SEV_HIGH), "重要", "S2 is 重要");
	is_str(sc_severity_name_ja(SC_SEV_MEDIUM), "警告", "S3 is 警告");
	is_str(sc_severity_name_ja(SC_SEV_LOW), "注意", "S4 is 注意");
	is_str(sc_severity_name_ja(SC_SEV_INFO), "情報", "S5 is 情報");
	is_str(sc_severity_name_ja(-3), "不明", "a bad severity is 不明");

	is_str(sc_origin_name(SC_ORIGIN_LOG), "log", "origin log");
	is_str(sc_origin_name(SC_ORIGIN_PACKET), "packet", "origin packet");
	is_str(sc_origin_name(SC_ORIGIN_POLICY), "policy", "origin policy");
	is_str(sc_origin_name(SC_ORIGIN_HEALTH), "health", "origin health");
	is_str(sc_origin_name((enum sc_origin)0), "unknown",
	    "origin 0 is unknown");
	return done_testing();
}
