/*
 * event.c — names for the enums of event.h, for display and storage.
 */
#include "config.h"

#include <string.h>

#include "common/event.h"

static const struct {
	const char *name;
	const char *ja;
} tiers[SC_TIER_MAX] = {
	[SC_TIER_UNKNOWN] = { "unknown", "不明" },
	[SC_TIER_M] = { "M", "マイナンバー利用事務系" },
	[SC_TIER_L] = { "L", "LGWAN接続系" },
	[SC_TIER_I] = { "I", "インターネット接続系" },
	[SC_TIER_LG] = { "LG", "LGWAN" },
	[SC_TIER_SC] = { "SC", "セキュリティクラウド" },
	[SC_TIER_DMZ] = { "DMZ", "公開セグメント" },
	[SC_TIER_NET] = { "NET", "インターネット" },
};

const char *
sc_tier_name(enum sc_tier t)
{
	return (unsigned)t < SC_TIER_MAX ? tiers[t].name : "unknown";
}

const char *
sc_tier_name_ja(enum sc_tier t)
{
	return (unsigned)t < SC_TIER_MAX ? tiers[t].ja : "不明";
}

int
sc_tier_parse(const char *s, enum sc_tier *t)
{
	for (int i = 0; i < SC_TIER_MAX; i++) {
		if (strcasecmp(s, tiers[i].name) == 0 ||
		    strcmp(s, tiers[i].ja) == 0) {
			*t = (enum sc_tier)i;
			return 0;
		}
	}
	return -1;
}

const char *
sc_severity_name(int sev)
{
	static const char *names[] = { "S1", "S2", "S3", "S4", "S5" };

	return sev >= 1 && sev <= 5 ? names[sev - 1] : "S?";
}

const char *
sc_severity_name_ja(int sev)
{
	static const char *names[] = { "緊急", "重要", "警告", "注意", "情報" };

	return sev >= 1 && sev <= 5 ? names[sev - 1] : "不明";
}

const char *
sc_origin_name(enum sc_origin o)
{
	switch (o) {
	case SC_ORIGIN_LOG:
		return "log";
	case SC_ORIGIN_PACKET:
		return "packet";
	case SC_ORIGIN_POLICY:
		return "policy";
	case SC_ORIGIN_HEALTH:
		return "health";
	}
	return "unknown";
}
