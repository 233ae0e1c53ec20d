/*
 * test_policy_names.c — the 団体コード check digit against the known codes
 * of DOMAIN.md §G, and the spellings of tiers, models and gateways.
 */
#include "config.h"

#include "policies/policy.h"
#include "tests/tap.h"

static const struct {
	const char *code;
	const char *body;
} known[] = {
	{ "131016", "千代田区" }, /* remainder 5 */
	{ "011002", "札幌市" }, /* remainder 9 */
	{ "022021", "弘前市" }, /* remainder 0 -> 1 */
	{ "012050", "室蘭市" }, /* remainder 1 -> 0 */
	{ "242012", "津市" },
	{ "472018", "那覇市" },
	{ "130001", "東京都" },
	{ "240001", "三重県" },
	{ "010006", "北海道" },
};

static const struct {
	const char *code;
	const char *why;
} bad[] = {
	{ "131017", "wrong check digit" },
	{ "022020", "remainder 0 must give 1" },
	{ "012051", "remainder 1 must give 0" },
	{ "13101", "5 digits" },
	{ "1310166", "7 digits" },
	{ "13101a", "non-digit check" },
	{ "1x1016", "non-digit body" },
	{ "", "empty" },
	{ "000001", "prefecture 00" },
	{ "481000", "prefecture 48" },
};

int
main(void)
{
	size_t i;
	enum policy_model m;
	enum policy_tier t;
	enum policy_gw_kind g;
	enum policy_muni_type ty;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		ok(policy_muni_code_valid(known[i].code), "%s %s valid",
		    known[i].body, known[i].code);
		is_int(policy_muni_check_digit(known[i].code),
		    known[i].code[5] - '0', "%s check digit", known[i].body);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(!policy_muni_code_valid(bad[i].code), "%s rejected (%s)",
		    bad[i].code, bad[i].why);
	ok(!policy_muni_code_valid(NULL), "NULL rejected");
	is_int(policy_muni_check_digit("1310"), -1, "short 5-digit form");

	ok(policy_model_parse("alpha'", &m) == 0 &&
		m == POLICY_MODEL_ALPHA_PRIME,
	    "alpha'");
	ok(policy_model_parse("α′", &m) == 0 && m == POLICY_MODEL_ALPHA_PRIME,
	    "α′");
	ok(policy_model_parse("BETA", &m) == 0 && m == POLICY_MODEL_BETA,
	    "BETA");
	ok(policy_model_parse("β′", &m) == 0 && m == POLICY_MODEL_BETA_PRIME,
	    "β′");
	ok(policy_model_parse("gamma", &m) == -1, "gamma rejected");
	ok(policy_tier_parse("m", &t) == 0 && t == POLICY_TIER_M, "tier m");
	ok(policy_tier_parse("LGWAN接続系", &t) == 0 && t == POLICY_TIER_L,
	    "tier in Japanese");
	ok(policy_tier_parse("unknown", &t) == -1, "unknown is not declarable");
	ok(policy_gw_parse("sanitizer", &g) == 0 && g == POLICY_GW_SANITISER,
	    "US spelling");
	ok(policy_muni_type_parse("広域連合", &ty) == 0 &&
		ty == POLICY_MUNI_KOUIKI,
	    "広域連合");
	is_str(policy_model_jp(POLICY_MODEL_BETA_PRIME), "β′モデル", "jp");
	is_str(
	    policy_tier_jp(POLICY_TIER_I), "インターネット接続系", "jp tier");
	is_str(policy_tier_short((enum policy_tier)99), "?", "out of range");
	is_str(policy_severity_jp(1), "緊急", "S1");
	is_str(policy_severity_en(6), "?", "S6");
	return done_testing();
}
