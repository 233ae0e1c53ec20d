/*
 * policy_names.c — names of tiers, models, 団体 types, gateways and
 * severities (JP and EN, for the UI and reports, and the short spellings of
 * the policy language), and the 団体コード check digit of DOMAIN.md §G.
 */
#include "config.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "policies/policy.h"

struct name_row {
	const char *shortname;
	const char *jp;
	const char *en;
	const char *alias[4]; /* other accepted spellings */
};

static const struct name_row tier_names[POLICY_TIER_COUNT] = {
	[POLICY_TIER_UNKNOWN] = { "unknown", "不明", "unknown", { NULL } },
	[POLICY_TIER_M] = { "M", "マイナンバー利用事務系", "Our Number tier",
	    { "mynumber", "my-number", NULL } },
	[POLICY_TIER_L] = { "L", "LGWAN接続系", "LGWAN-connected tier",
	    { "lgwan-connected", NULL } },
	[POLICY_TIER_I] = { "I", "インターネット接続系",
	    "internet-connected tier", { "internet-connected", NULL } },
	[POLICY_TIER_LG] = { "LG", "LGWAN/LGWAN-ASP", "LGWAN backbone",
	    { "lgwan", NULL } },
	[POLICY_TIER_SC] = { "SC", "セキュリティクラウド", "security cloud",
	    { "cloud", NULL } },
	[POLICY_TIER_DMZ] = { "DMZ", "公開Web (DMZ)", "hosted public web",
	    { NULL } },
	[POLICY_TIER_NET] = { "NET", "インターネット", "internet",
	    { "internet", NULL } },
};

static const struct name_row model_names[POLICY_MODEL_COUNT] = {
	[POLICY_MODEL_ALPHA] = { "alpha", "αモデル", "alpha model",
	    { "α", NULL } },
	[POLICY_MODEL_ALPHA_PRIME] = { "alpha'", "α′モデル", "alpha' model",
	    { "α′", "α'", "alpha-prime", NULL } },
	[POLICY_MODEL_BETA] = { "beta", "βモデル", "beta model",
	    { "β", NULL } },
	[POLICY_MODEL_BETA_PRIME] = { "beta'", "β′モデル", "beta' model",
	    { "β′", "β'", "beta-prime", NULL } },
};

static const struct name_row type_names[POLICY_MUNI_TYPE_COUNT] = {
	[POLICY_MUNI_PREFECTURE] = { "prefecture", "都道府県", "prefecture",
	    { "都道府県", NULL } },
	[POLICY_MUNI_CITY] = { "city", "市", "city", { "市", "ward", NULL } },
	[POLICY_MUNI_TOWN] = { "town", "町", "town", { "町", NULL } },
	[POLICY_MUNI_VILLAGE] = { "village", "村", "village", { "村", NULL } },
	[POLICY_MUNI_KOUIKI] = { "kouiki-rengo", "広域連合", "wide-area union",
	    { "広域連合", "kouiki", NULL } },
	[POLICY_MUNI_ICHIBU] = { "ichibu-jimu-kumiai", "一部事務組合",
	    "partial-affairs association", { "一部事務組合", "ichibu", NULL } },
};

static const struct name_row gw_names[POLICY_GW_COUNT] = {
	[POLICY_GW_SANITISER] = { "sanitiser", "無害化", "sanitiser",
	    { "sanitizer", NULL } },
	[POLICY_GW_SCREEN] = { "screen-transfer", "画面転送", "screen transfer",
	    { "screen", "virtual-browser", NULL } },
	[POLICY_GW_FILEXFER] = { "file-transfer", "ファイル受渡し",
	    "file hand-over", { "filexfer", NULL } },
	[POLICY_GW_PROXY] = { "proxy", "プロキシ", "proxy", { NULL } },
	[POLICY_GW_MAILRELAY] = { "mail-relay", "メールリレー", "mail relay",
	    { "mailrelay", NULL } },
	[POLICY_GW_RESOLVER] = { "resolver", "DNSリゾルバ", "resolver",
	    { "dns", NULL } },
	[POLICY_GW_LGWAN_EP] = { "lgwan-endpoint", "指定LGWAN接続先",
	    "designated LGWAN endpoint", { NULL } },
	[POLICY_GW_TOKUTEI] = { "tokutei", "特定通信", "approved 特定通信",
	    { "tokutei-tsushin", NULL } },
	[POLICY_GW_CLOUD] = { "cloud-service", "指定クラウドサービス",
	    "designated cloud service", { "cloud", "lbo", NULL } },
	[POLICY_GW_WAF] = { "waf", "WAF/CDN", "WAF / CDN", { "cdn", NULL } },
};

static const char *const sev_jp[] = { "?", "緊急", "重要", "警告", "注意",
	"情報" };
static const char *const sev_en[] = { "?", "critical", "high", "medium", "low",
	"info" };

static const struct name_row *
row(const struct name_row *t, size_t n, unsigned i)
{
	return i < n ? &t[i] : NULL;
}

#define FIELD(t, i, f)                                                 \
	(row(t, sizeof(t) / sizeof((t)[0]), (unsigned)(i)) ?           \
		row(t, sizeof(t) / sizeof((t)[0]), (unsigned)(i))->f : \
		"?")

const char *
policy_tier_short(enum policy_tier t)
{
	return FIELD(tier_names, t, shortname);
}

const char *
policy_tier_jp(enum policy_tier t)
{
	return FIELD(tier_names, t, jp);
}

const char *
policy_tier_en(enum policy_tier t)
{
	return FIELD(tier_names, t, en);
}

const char *
policy_model_short(enum policy_model m)
{
	return FIELD(model_names, m, shortname);
}

const char *
policy_model_jp(enum policy_model m)
{
	return FIELD(model_names, m, jp);
}

const char *
policy_model_en(enum policy_model m)
{
	return FIELD(model_names, m, en);
}

const char *
policy_muni_type_short(enum policy_muni_type t)
{
	return FIELD(type_names, t, shortname);
}

const char *
policy_muni_type_jp(enum policy_muni_type t)
{
	return FIELD(type_names, t, jp);
}

const char *
policy_gw_short(enum policy_gw_kind k)
{
	return FIELD(gw_names, k, shortname);
}

const char *
policy_gw_jp(enum policy_gw_kind k)
{
	return FIELD(gw_names, k, jp);
}

const char *
policy_severity_jp(int sev)
{
	return sev >= 1 && sev <= 5 ? sev_jp[sev] : sev_jp[0];
}

const char *
policy_severity_en(int sev)
{
	return sev >= 1 && sev <= 5 ? sev_en[sev] : sev_en[0];
}

/* Index of the row whose short name, JP name or an alias matches s
 * (ASCII case-insensitively), or -1.  Row 0 is skipped when skip0. */
static int
lookup(const struct name_row *t, size_t n, const char *s, int skip0)
{
	size_t i, j;

	if (s == NULL)
		return -1;
	for (i = skip0 ? 1 : 0; i < n; i++) {
		if (strcasecmp(s, t[i].shortname) == 0 ||
		    strcmp(s, t[i].jp) == 0)
			return (int)i;
		for (j = 0; j < 4 && t[i].alias[j] != NULL; j++)
			if (strcasecmp(s, t[i].alias[j]) == 0)
				return (int)i;
	}
	return -1;
}

int
policy_tier_parse(const char *s, enum policy_tier *out)
{
	int i = lookup(tier_names, POLICY_TIER_COUNT, s, 1);

	if (i < 0)
		return -1;
	*out = (enum policy_tier)i;
	return 0;
}

int
policy_model_parse(const char *s, enum policy_model *out)
{
	int i = lookup(model_names, POLICY_MODEL_COUNT, s, 0);

	if (i < 0)
		return -1;
	*out = (enum policy_model)i;
	return 0;
}

int
policy_muni_type_parse(const char *s, enum policy_muni_type *out)
{
	int i = lookup(type_names, POLICY_MUNI_TYPE_COUNT, s, 0);

	if (i < 0)
		return -1;
	*out = (enum policy_muni_type)i;
	return 0;
}

int
policy_gw_parse(const char *s, enum policy_gw_kind *out)
{
	int i = lookup(gw_names, POLICY_GW_COUNT, s, 0);

	if (i < 0)
		return -1;
	*out = (enum policy_gw_kind)i;
	return 0;
}

/* DOMAIN.md §G: weights 6,5,4,3,2 over the 5-digit JIS code; the check
 * digit is the last digit of 11 - (sum mod 11). */
int
policy_muni_check_digit(const char *code5)
{
	static const int w[5] = { 6, 5, 4, 3, 2 };
	int sum = 0, i;

	if (code5 == NULL)
		return -1;
	for (i = 0; i < 5; i++) {
		if (code5[i] < '0' || code5[i] > '9')
			return -1;
		sum += w[i] * (code5[i] - '0');
	}
	if (code5[5] != '\0' && (code5[5] < '0' || code5[5] > '9'))
		return -1;
	return (11 - sum % 11) % 10;
}

int
policy_muni_code_valid(const char *code)
{
	int pref, cd;

	if (code == NULL || strlen(code) != 6)
		return 0;
	cd = policy_muni_check_digit(code);
	if (cd < 0 || code[5] < '0' || code[5] > '9')
		return 0;
	pref = (code[0] - '0') * 10 + (code[1] - '0');
	if (pref < 1 || pref > 47)
		return 0;
	return cd == code[5] - '0';
}
