/*
 * report.c — the monthly report to a 団体 (月次報告書, DOMAIN.md §E.1) and
 * the audit evidence pack (§E.2), described section by section over the
 * emitter of report_emit.c; plus the parts of a report that come from the
 * policy itself (exception register, retention targets) and JST month
 * boundaries.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/timeutil.h"
#include "policies/policy_int.h"
#include "policies/report_emit.h"

int
report_format_parse(const char *s, enum report_format *out)
{
	if (strcasecmp(s, "html") == 0)
		*out = REPORT_HTML;
	else if (strcasecmp(s, "csv") == 0)
		*out = REPORT_CSV;
	else if (strcasecmp(s, "json") == 0)
		*out = REPORT_JSON;
	else
		return -1;
	return 0;
}

int
report_month_range(
    const char *s, int *year, int *month, int64_t *from_us, int64_t *to_us)
{
	int y, m;
	int64_t d0, d1;

	if (strlen(s) != 7 || s[4] != '-' ||
	    sscanf(s, "%4d-%2d", &y, &m) != 2 || y < 1970 || y > 9999 ||
	    m < 1 || m > 12)
		return -1;
	d0 = time_days_from_civil(y, m, 1);
	d1 = time_days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1);
	*year = y;
	*month = m;
	*from_us = (d0 * 86400 - TIME_JST_OFFSET) * TIME_US_PER_SEC;
	*to_us = (d1 * 86400 - TIME_JST_OFFSET) * TIME_US_PER_SEC;
	return 0;
}

size_t
report_exceptions_from_policy(const struct policy *p, int64_t at,
    struct report_exception *out, size_t max)
{
	size_t i, n = policy_exception_count(p);

	for (i = 0; i < n && i < max; i++) {
		const struct policy_exception *e = policy_exception_at(p, i);

		memset(&out[i], 0, sizeof(out[i]));
		out[i].id = e->id;
		out[i].muni_code = e->muni ? e->muni->code : "";
		out[i].muni_name = e->muni ? e->muni->name : "";
		out[i].owner = e->owner;
		out[i].reason = e->reason;
		out[i].expires_us = e->expires_us;
		out[i].expired = at > e->expires_us;
	}
	return n;
}

/* "S1-S3", "S1,S4", "S1-S2,S5" from a route's mask (bit s: S s). */
static void
sev_text(unsigned mask, char *out, size_t len)
{
	size_t n = 0;

	out[0] = '\0';
	for (int s = 1; s <= 5; s++) {
		int e = s;

		if (!(mask & (1u << s)))
			continue;
		while (e < 5 && (mask & (1u << (e + 1))))
			e++;
		if (e > s)
			n += (size_t)snprintf(
			    out + n, len - n, "%sS%d-S%d", n ? "," : "", s, e);
		else
			n += (size_t)snprintf(
			    out + n, len - n, "%sS%d", n ? "," : "", s);
		if (n >= len)
			return;
		s = e;
	}
}

size_t
report_contacts_from_policy(const struct policy *p, const struct policy_muni *m,
    struct report_contact *out, char (*sevbuf)[16], size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < policy_route_count(p); i++) {
		const struct policy_route *r = policy_route_at(p, i);

		if (r->muni != NULL && r->muni != m)
			continue;
		if (n < max) {
			sev_text(r->sev_mask, sevbuf[n], sizeof(sevbuf[n]));
			out[n].scope = r->muni ? r->muni->name : "SOC 全体";
			out[n].severities = sevbuf[n];
			out[n].channel = r->channel == POLICY_CH_WEBHOOK ?
			    "webhook" :
			    "syslog";
			out[n].target = r->target;
		}
		n++;
	}
	return n;
}

void
report_retention_from_policy(const struct policy *p,
    const struct policy_muni *m, struct report_retention out[4])
{
	struct policy_retention r;

	policy_retention_for(p, m, &r);
	memset(out, 0, 4 * sizeof(*out));
	out[0].what = "events";
	out[0].policy_s = r.events_s;
	out[1].what = "alerts";
	out[1].policy_s = r.alerts_s;
	out[2].what = "archive";
	out[2].policy_s = r.archive_s;
	out[3].what = "pcap";
	out[3].policy_s = r.pcap_s;
}

/* ---- shared sections ---- */

static const char *
retention_ja(const char *what)
{
	if (strcmp(what, "events") == 0)
		return "正規化イベント・検索用";
	if (strcmp(what, "alerts") == 0)
		return "アラート・対応記録";
	if (strcmp(what, "archive") == 0)
		return "生ログアーカイブ";
	if (strcmp(what, "pcap") == 0)
		return "パケットキャプチャ";
	return what;
}

static void
sec_retention(struct emit *e, const struct report_retention *r, size_t n)
{
	static const struct col cols[] = { { "kind", "対象" },
		{ "kind_ja", "区分" }, { "policy_days", "規定 (日)" },
		{ "achieved_days", "実績 (日)" }, { "status", "判定" },
		{ "note", "根拠・削除記録" } };
	size_t i;

	emit_table(e, "retention", "ログ保存期間 (規定と実績)", cols, 6);
	for (i = 0; i < n; i++) {
		const char *st = r[i].achieved_s == 0 ? "不明" :
		    r[i].achieved_s >= r[i].policy_s  ? "達成" :
							"蓄積中/未達";
		struct cell c[6] = { C_STR(r[i].what),
			C_STR(retention_ja(r[i].what)),
			C_INT(r[i].policy_s / 86400),
			r[i].achieved_s ? C_INT(r[i].achieved_s / 86400) :
					  C_STR("-"),
			C_STR(st), C_STR(r[i].note) };

		emit_row(e, c);
	}
	emit_table_end(e, n, "データなし");
}

static void
sec_archive(struct emit *e, const struct report_archive *a)
{
	static const struct col keys[] = { { "result", "検証結果" },
		{ "segments", "セグメント数" }, { "bad_segments", "不整合" },
		{ "verified", "検証日時" }, { "detail", "詳細" } };
	struct cell v[5] = { C_STR(!a->known ? "未検証" :
				     a->ok   ? "正常 (改ざんなし)" :
					       "不整合あり"),
		C_INT(a->segments), C_INT(a->bad_segments),
		C_TIME(a->verified_us), C_STR(a->detail ? a->detail : "") };

	emit_kv(e, "archive", "アーカイブ完全性検証 (ハッシュチェーン)", keys,
	    v, 5);
}

static void
sec_sep(struct emit *e, const struct report_sep_finding *f, size_t n)
{
	static const struct col cols[] = { { "use_case", "ID" },
		{ "cell", "違反したマトリクスのセル" }, { "count", "件数" },
		{ "first", "初回" }, { "last", "最終" },
		{ "evidence", "証跡" } };
	size_t i;

	emit_table(e, "separation", "三層分離 (GL-SEP) 所見", cols, 6);
	for (i = 0; i < n; i++) {
		struct cell c[6] = { C_STR(f[i].use_case), C_STR(f[i].cell),
			C_INT(f[i].count), C_TIME(f[i].first_us),
			C_TIME(f[i].last_us), C_STR(f[i].evidence) };

		emit_row(e, c);
	}
	emit_table_end(e, n, "違反なし");
}

static void
sec_sources(struct emit *e, const char *id, const char *title,
    const struct report_source *s, size_t n)
{
	static const struct col cols[] = { { "source", "ログ送信元" },
		{ "type", "種別" }, { "first", "初回受信" },
		{ "last", "最終受信" }, { "messages", "件数" },
		{ "coverage_pct", "カバー率" },
		{ "silent_periods", "途絶回数" },
		{ "longest_silence_s", "最長途絶" },
		{ "max_skew_s", "最大時刻ずれ (秒)" },
		{ "parse_failures", "解析失敗" } };
	size_t i;

	emit_table(e, id, title, cols, 10);
	for (i = 0; i < n; i++) {
		struct cell c[10] = { C_STR(s[i].name), C_STR(s[i].type),
			C_TIME(s[i].first_us), C_TIME(s[i].last_us),
			C_INT(s[i].messages), C_PCT(s[i].coverage_pct),
			C_INT(s[i].silent_periods),
			C_DUR(s[i].longest_silence_s), C_NUM(s[i].max_skew_s),
			C_INT(s[i].parse_failures) };

		emit_row(e, c);
	}
	emit_table_end(e, n, "データなし");
}

/* ---- monthly ---- */

static void
monthly_header(struct emit *e, const struct report_monthly *r)
{
	static const struct col keys[] = { { "municipality", "団体名" },
		{ "code", "団体コード" }, { "period_from", "対象期間 (開始)" },
		{ "period_to", "対象期間 (終了)" }, { "soc", "発行" },
		{ "version", "版" }, { "generated", "作成日時" },
		{ "approval", "承認欄" } };
	char name[256];
	struct cell v[8];

	snprintf(name, sizeof(name), "%s (%s)",
	    r->muni_name ? r->muni_name : "", r->muni_code);
	v[0] = C_STR(name);
	v[1] = C_STR(r->muni_code);
	v[2] = C_TIME(r->from_us);
	v[3] = C_TIME(r->to_us - TIME_US_PER_SEC);
	v[4] = C_STR(r->soc ? r->soc : "");
	v[5] = C_STR(r->version ? r->version : "1");
	v[6] = C_TIME(r->generated_us);
	v[7] = C_STR("");
	emit_kv(e, "header", "報告書情報", keys, v, 8);
	emit_note(e, r->note);
}

static void
monthly_summary(struct emit *e, const struct report_monthly *r)
{
	static const struct col cols[] = { { "severity", "重要度" },
		{ "severity_ja", "区分" }, { "count", "件数" },
		{ "sla_notify_s", "通知目標" } };
	static const struct col uc_cols[] = { { "use_case", "ユースケース" },
		{ "count", "件数" } };
	char sev[4];
	int s;
	size_t i;

	emit_table(e, "by_severity", "重要度別件数", cols, 4);
	for (s = 1; s <= 5; s++) {
		struct cell c[4];

		snprintf(sev, sizeof(sev), "S%d", s);
		c[0] = C_STR(sev);
		c[1] = C_STR(policy_severity_jp(s));
		c[2] = C_INT(r->by_sev[s]);
		c[3] = C_DUR(r->sla_notify_s[s] ? r->sla_notify_s[s] : -1);
		emit_row(e, c);
	}
	emit_table_end(e, 5, "");
	emit_table(e, "by_use_case", "ユースケース別件数", uc_cols, 2);
	for (i = 0; i < r->nby_use_case; i++) {
		struct cell c[2] = { C_STR(r->by_use_case[i].key),
			C_INT(r->by_use_case[i].n) };

		emit_row(e, c);
	}
	emit_table_end(e, r->nby_use_case, "検知なし");
}

static int64_t
span(int64_t a, int64_t b)
{
	return a && b && b >= a ? (b - a) / TIME_US_PER_SEC : -1;
}

/* The incident list; with_muni adds the 団体 (the audit pack's list spans
 * every 団体). */
static void
sec_incidents(struct emit *e, const struct report_incident *inc, size_t n,
    const int64_t sla_notify_s[6], int with_muni)
{
	static const struct col cols[] = { { "municipality", "団体コード" },
		{ "id", "ID" }, { "severity", "重要度" },
		{ "use_case", "ユースケース" }, { "summary", "概要" },
		{ "host", "対象" }, { "detected", "検知" },
		{ "notified", "通知" }, { "channel", "通知手段" },
		{ "acknowledged", "団体確認" }, { "closed", "完了" },
		{ "time_to_notify_s", "通知所要" },
		{ "time_to_ack_s", "確認所要" }, { "sla", "SLA" },
		{ "status", "対応状況" }, { "action", "推奨対応" } };
	const struct col *cv = with_muni ? cols : cols + 1;
	size_t nc = with_muni ? 16 : 15;
	char sev[8][4];
	size_t i;

	emit_table(e, "incidents",
	    with_muni ? "インシデント対応記録 (検知→通知→確認→完了)" :
			"インシデント一覧",
	    cv, nc);
	for (i = 0; i < n; i++) {
		const struct report_incident *x = &inc[i];
		int s = x->severity >= 1 && x->severity <= 5 ? x->severity : 5;
		int64_t ttn = span(x->detected_us, x->notified_us);
		const char *sla = sla_notify_s[s] == 0 ? "-" :
		    ttn < 0			       ? "未通知" :
		    ttn <= sla_notify_s[s]	       ? "達成" :
							 "超過";
		struct cell all[16], *c = all + 1;

		all[0] = C_STR(x->muni ? x->muni : "");
		snprintf(sev[i % 8], sizeof(sev[0]), "S%d", s);
		c[0] = C_INT(x->id);
		c[1] = C_STR(sev[i % 8]);
		c[2] = C_STR(x->use_case);
		c[3] = C_STR(x->summary);
		c[4] = C_STR(x->host);
		c[5] = C_TIME(x->detected_us);
		c[6] = C_TIME(x->notified_us);
		c[7] = C_STR(x->channel);
		c[8] = C_TIME(x->acked_us);
		c[9] = C_TIME(x->closed_us);
		c[10] = C_DUR(ttn);
		c[11] = C_DUR(span(x->notified_us, x->acked_us));
		c[12] = C_STR(sla);
		c[13] = C_STR(x->status);
		c[14] = C_STR(
		    x->action ? x->action : report_action_for(x->use_case));
		emit_row(e, with_muni ? all : c);
	}
	emit_table_end(e, n, "インシデントなし");
}

static int
is_closed(const struct report_incident *x)
{
	return x->status != NULL && strncmp(x->status, "closed", 6) == 0;
}

/* §E.1 item 2: the top risks (the first incidents by severity, then
 * time) and what the 団体 is asked to do (its open incidents). */
static void
monthly_executive(struct emit *e, const struct report_monthly *r)
{
	static const struct col risk_cols[] = { { "rank", "順位" },
		{ "severity", "重要度" }, { "use_case", "ユースケース" },
		{ "summary", "概要" }, { "status", "状態" },
		{ "action", "推奨対応" } };
	static const struct col req_cols[] = { { "id", "ID" },
		{ "severity", "重要度" }, { "use_case", "ユースケース" },
		{ "host", "対象" }, { "action", "依頼事項" } };
	char sev[4][4], sevr[4];
	size_t i, n = 0;

	emit_table(e, "top_risks", "主なリスク (上位3件)", risk_cols, 6);
	for (i = 0; i < r->nincidents && i < 3; i++) {
		const struct report_incident *x = &r->incidents[i];
		int s = x->severity >= 1 && x->severity <= 5 ? x->severity : 5;
		struct cell c[6];

		snprintf(sev[i], sizeof(sev[i]), "S%d", s);
		c[0] = C_INT((int64_t)i + 1);
		c[1] = C_STR(sev[i]);
		c[2] = C_STR(x->use_case);
		c[3] = C_STR(x->summary);
		c[4] = C_STR(is_closed(x) ? "対応完了" : "対応中");
		c[5] = C_STR(
		    x->action ? x->action : report_action_for(x->use_case));
		emit_row(e, c);
	}
	emit_table_end(e, i, "該当なし");
	emit_table(e, "requests", "団体への依頼事項 (未完了のインシデント)",
	    req_cols, 5);
	for (i = 0; i < r->nincidents; i++) {
		const struct report_incident *x = &r->incidents[i];
		int s = x->severity >= 1 && x->severity <= 5 ? x->severity : 5;
		struct cell c[5];

		if (is_closed(x))
			continue;
		snprintf(sevr, sizeof(sevr), "S%d", s);
		c[0] = C_INT(x->id);
		c[1] = C_STR(sevr);
		c[2] = C_STR(x->use_case);
		c[3] = C_STR(x->host);
		c[4] = C_STR(
		    x->action ? x->action : report_action_for(x->use_case));
		emit_row(e, c);
		n++;
	}
	emit_table_end(e, n, "依頼事項なし");
}

/* §E.1 item 10: severity definitions and the contact list. */
static void
monthly_annex(struct emit *e, const struct report_monthly *r)
{
	static const struct col sev_cols[] = { { "severity", "重要度" },
		{ "severity_ja", "区分" }, { "definition", "定義" },
		{ "sla_notify_s", "通知目標" } };
	static const struct col con_cols[] = { { "scope", "範囲" },
		{ "severities", "対象の重要度" }, { "channel", "通知手段" },
		{ "target", "通知先" } };
	char sev[4];
	size_t i;

	emit_table(e, "annex_severity", "付録: 重要度の定義", sev_cols, 4);
	for (int s = 1; s <= 5; s++) {
		struct cell c[4];

		snprintf(sev, sizeof(sev), "S%d", s);
		c[0] = C_STR(sev);
		c[1] = C_STR(policy_severity_jp(s));
		c[2] = C_STR(report_severity_definition(s));
		c[3] = C_DUR(r->sla_notify_s[s] ? r->sla_notify_s[s] : -1);
		emit_row(e, c);
	}
	emit_table_end(e, 5, "");
	emit_table(e, "annex_contacts", "付録: 通知先一覧", con_cols, 4);
	for (i = 0; i < r->ncontacts; i++) {
		const struct report_contact *x = &r->contacts[i];
		struct cell c[4] = { C_STR(x->scope), C_STR(x->severities),
			C_STR(x->channel), C_STR(x->target) };

		emit_row(e, c);
	}
	emit_table_end(e, r->ncontacts, "通知先の登録なし");
}

int
report_monthly_render(const struct report_monthly *r, enum report_format fmt,
    int wareki, struct buf *out)
{
	struct emit e;
	char title[128];

	snprintf(
	    title, sizeof(title), "月次報告書 %04d年%02d月", r->year, r->month);
	emit_begin(&e, fmt, wareki, out, title, "monthly");
	monthly_header(&e, r);
	monthly_summary(&e, r);
	monthly_executive(&e, r);
	sec_incidents(&e, r->incidents, r->nincidents, r->sla_notify_s, 0);
	sec_sep(&e, r->sep, r->nsep);
	sec_sources(
	    &e, "sources", "ログ送信元の稼働状況", r->sources, r->nsources);
	sec_retention(&e, r->retention, r->nretention);
	sec_archive(&e, &r->archive);
	monthly_annex(&e, r);
	return emit_end(&e);
}

/* ---- audit ---- */

static void
audit_users(struct emit *e, const struct report_audit *a)
{
	static const struct col ucols[] = { { "user", "利用者ID" },
		{ "role", "権限" }, { "privileged", "特権" },
		{ "created", "作成" }, { "last_login", "最終ログイン" } };
	static const struct col lcols[] = { { "time", "日時" },
		{ "user", "利用者ID" }, { "addr", "接続元" },
		{ "result", "結果" } };
	size_t i;

	emit_table(e, "users", "利用者と権限 (本装置)", ucols, 5);
	for (i = 0; i < a->nusers; i++) {
		const struct report_user *u = &a->users[i];
		struct cell c[5] = { C_STR(u->name), C_STR(u->role),
			C_STR(u->privileged ? "特権" : "一般"),
			C_TIME(u->created_us), C_TIME(u->last_login_us) };

		emit_row(e, c);
	}
	emit_table_end(e, a->nusers, "データなし");
	emit_table(e, "logins", "ログイン履歴", lcols, 4);
	for (i = 0; i < a->nlogins; i++) {
		const struct report_login *l = &a->logins[i];
		struct cell c[4] = { C_TIME(l->ts_us), C_STR(l->user),
			C_STR(l->addr), C_STR(l->result) };

		emit_row(e, c);
	}
	emit_table_end(e, a->nlogins, "データなし");
}

static void
audit_changes(struct emit *e, const struct report_audit *a)
{
	static const struct col cols[] = { { "time", "日時" },
		{ "user", "実施者" }, { "kind", "種別" }, { "what", "対象" },
		{ "sha256", "SHA-256" }, { "detail", "内容・理由" } };
	size_t i;

	emit_table(
	    e, "changes", "検知ルール・ポリシー・設定の変更履歴", cols, 6);
	for (i = 0; i < a->nchanges; i++) {
		const struct report_change *c = &a->changes[i];
		struct cell v[6] = { C_TIME(c->ts_us), C_STR(c->user),
			C_STR(c->kind), C_STR(c->what), C_STR(c->sha256),
			C_STR(c->detail) };

		emit_row(e, v);
	}
	emit_table_end(e, a->nchanges, "変更なし");
}

static void
audit_timesync(struct emit *e, const struct report_audit *a)
{
	static const struct col cols[] = { { "source", "ログ送信元" },
		{ "median_skew_s", "中央値 (秒)" },
		{ "max_skew_s", "最大 (秒)" }, { "over_2s", "2秒超" },
		{ "over_60s", "60秒超" } };
	size_t i;

	emit_table(e, "timesync", "時刻同期 (送信元別の時刻ずれ)", cols, 5);
	for (i = 0; i < a->ntimesync; i++) {
		const struct report_timesync *t = &a->timesync[i];
		struct cell c[5] = { C_STR(t->source), C_NUM(t->median_skew_s),
			C_NUM(t->max_skew_s), C_INT(t->over_warn),
			C_INT(t->over_crit) };

		emit_row(e, c);
	}
	emit_table_end(e, a->ntimesync, "データなし");
}

static void
audit_exceptions(struct emit *e, const struct report_audit *a)
{
	static const struct col cols[] = { { "id", "例外ID" },
		{ "municipality", "団体" }, { "code", "団体コード" },
		{ "owner", "承認者・責任者" }, { "reason", "理由" },
		{ "expires", "有効期限" }, { "status", "状態" },
		{ "uses_after_expiry", "期限後の使用 (GL-EXC-01)" } };
	size_t i;

	emit_table(e, "exceptions", "例外措置台帳", cols, 8);
	for (i = 0; i < a->nexceptions; i++) {
		const struct report_exception *x = &a->exceptions[i];
		struct cell c[8] = { C_STR(x->id), C_STR(x->muni_name),
			C_STR(x->muni_code), C_STR(x->owner), C_STR(x->reason),
			C_TIME(x->expires_us),
			C_STR(x->expired ? "期限切れ" : "有効"),
			C_INT(x->uses_after_expiry) };

		emit_row(e, c);
	}
	emit_table_end(e, a->nexceptions, "登録なし");
}

int
report_audit_render(const struct report_audit *a, enum report_format fmt,
    int wareki, struct buf *out)
{
	static const struct col keys[] = { { "prefecture", "対象" },
		{ "period_from", "対象期間 (開始)" },
		{ "period_to", "対象期間 (終了)" },
		{ "generated", "作成日時" } };
	struct emit e;
	struct cell v[4] = { C_STR(a->prefecture ? a->prefecture : ""),
		C_TIME(a->from_us), C_TIME(a->to_us), C_TIME(a->generated_us) };

	emit_begin(
	    &e, fmt, wareki, out, "情報セキュリティ監査 証跡資料", "audit");
	emit_kv(&e, "header", "資料情報", keys, v, 4);
	emit_note(&e, a->note);
	sec_sources(&e, "inventory", "ログ台帳 (送信元・期間・欠落)",
	    a->inventory, a->ninventory);
	sec_retention(&e, a->retention, a->nretention);
	sec_archive(&e, &a->archive);
	audit_timesync(&e, a);
	audit_users(&e, a);
	audit_changes(&e, a);
	sec_incidents(&e, a->incidents, a->nincidents, a->sla_notify_s, 1);
	audit_exceptions(&e, a);
	sec_sep(&e, a->sep, a->nsep);
	return emit_end(&e);
}
