/*
 * report_actions.c — the monthly report's fixed texts that are not data:
 * the recommended action for each use case (the incident list, the
 * executive summary's requests to the 団体) and the severity definitions
 * of the annex (DOMAIN.md §B).  The use-case families are DOMAIN.md §B; the wording is
 * ours, a starting point for the SOC to adapt in its contract.
 */
#include "config.h"

#include <string.h>

#include "policies/policy.h"

struct action_row {
	const char *prefix; /* "GL-SEP-", or a full id */
	const char *action;
};

/* Exact ids first, then families; the first match wins. */
static const struct action_row actions[] = {
	{ "GL-LOG-01",
	    "ログ送信元の稼働と送信設定 (宛先・経路) を確認してください" },
	{ "GL-LOG-02",
	    "ログ停止・消去の操作者と理由を確認し、記録を保全してください" },
	{ "GL-LOG-03", "送信元機器の時刻同期 (NTP) 設定を確認してください" },
	{ "GL-LOG-04", "保存容量の増強または保存設定の見直しを行ってください" },
	{ "GL-EXC-01",
	    "期限切れの例外措置です。更新申請をするか、当該通信を停止して"
	    "ください" },
	{ "GL-ACCESS-04",
	    "特権IDの利用が承認された作業によるものか確認してください" },
	{ "GL-ACCESS-05",
	    "アカウント作成・権限変更が承認済みか確認してください" },
	{ "GL-SEP-",
	    "三層分離の違反です。該当通信の経路と FW 設定を確認し、是正して"
	    "ください" },
	{ "GL-NET-",
	    "無許可の接続・設定変更がないか機器台帳と照合してください" },
	{ "GL-ACCESS-",
	    "対象アカウントの利用状況を確認し、必要に応じてパスワード変更・"
	    "ロックを行ってください" },
	{ "GL-ID-",
	    "ID・パスワードの管理状況を確認し、平文での認証をやめてください" },
	{ "GL-MAL-",
	    "対象端末をネットワークから隔離し、ウイルス検査と調査を行って"
	    "ください" },
	{ "GL-INT-",
	    "対象システムの脆弱性と公開設定を確認し、修正を適用してください" },
	{ "GL-MAIL-",
	    "メールの送受信設定 (転送・認証) と送信者を確認してください" },
	{ "GL-WEB-",
	    "利用者に確認し、業務外利用・持ち出しの有無を調べてください" },
	{ "GL-DNS-", "DNS の利用状況と設定を確認してください" },
	{ "GL-INC-",
	    "一連の侵害の可能性があります。SOC と連携し、影響範囲を調査して"
	    "ください" },
};

const char *
report_action_for(const char *use_case)
{
	if (use_case == NULL || *use_case == '\0')
		return "SOC からの連絡内容を確認してください";
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		size_t n = strlen(actions[i].prefix);

		if (actions[i].prefix[n - 1] == '-' ?
			strncmp(use_case, actions[i].prefix, n) == 0 :
			strcmp(use_case, actions[i].prefix) == 0)
			return actions[i].action;
	}
	return "SOC からの連絡内容を確認してください";
}

/* DOMAIN.md §B's severity scale, as the annex states it. */
static const char *const sev_def[6] = {
	"",
	"侵害または三層分離の違反の可能性が高い。直ちに電話で団体へ連絡",
	"1時間以内に分析者の対応が必要",
	"当日中に確認",
	"月次報告書で報告",
	"監査証跡としてのみ記録",
};

const char *
report_severity_definition(int sev)
{
	return sev >= 1 && sev <= 5 ? sev_def[sev] : "";
}
