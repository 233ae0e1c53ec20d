/*
 * policy_alert.c — the glue to common/event.h: a violation verdict becomes
 * the alert record every role stores and notifies (struct sc_alert); a
 * received message is tagged by its sender and, when it is a firewall
 * log, its flow is judged.
 */
#include "config.h"

#include <string.h>

#include "common/event.h"
#include "policies/policy.h"

static const struct {
	const char *use_case;
	uint32_t sid;
	const char *msg;
	const char *guideline;
} alert_rows[] = {
	{ "GL-SEP-01", 9500001,
	    "[POLICY] マイナンバー利用事務系の分離違反 (GL-SEP-01)", NULL },
	{ "GL-SEP-02", 9500002,
	    "[POLICY] 通信経路の分割違反 LGWAN接続系⇔インターネット (GL-SEP-02)",
	    NULL },
	{ "GL-SEP-03", 9500003,
	    "[POLICY] セキュリティクラウドを経由しないインターネット通信 "
	    "(GL-SEP-03)",
	    NULL },
	{ "GL-SEP-04", 9500004, "[POLICY] 無害化を経由しない受渡し (GL-SEP-04)",
	    NULL },
	{ "GL-SEP-05", 9500005, "[POLICY] 登録外の画面転送通信 (GL-SEP-05)",
	    NULL },
	{ "GL-EXC-01", 9500101, "[POLICY] 期限切れ例外措置の使用 (GL-EXC-01)",
	    "2-7-4" },
	{ "GL-NET-02", 9500201,
	    "[POLICY] 公開窓口以外へのインターネットからの着信 (GL-NET-02)",
	    NULL },
};

int
policy_verdict_alert(const struct policy_verdict *v, const struct addr *src,
    uint16_t sport, const struct addr *dst, uint16_t dport, uint8_t ipproto,
    int64_t now_us, char *evbuf, size_t evlen, struct sc_alert *out)
{
	size_t i, n;

	if (!v->violation || v->use_case == NULL)
		return -1;
	for (i = 0; i < sizeof(alert_rows) / sizeof(alert_rows[0]); i++)
		if (strcmp(alert_rows[i].use_case, v->use_case) == 0)
			break;
	if (i == sizeof(alert_rows) / sizeof(alert_rows[0]))
		return -1;
	memset(out, 0, sizeof(*out));
	out->ts_us = now_us;
	out->origin = SC_ORIGIN_POLICY;
	out->gid = POLICY_ALERT_GID;
	out->sid = alert_rows[i].sid;
	out->rev = 1;
	out->severity = v->severity;
	out->msg = alert_rows[i].msg;
	out->classtype = "policy-violation";
	out->usecase = alert_rows[i].use_case;
	out->guideline = alert_rows[i].guideline;
	if (v->muni != NULL)
		memcpy(out->muni, v->muni->code, SC_MUNI_LEN);
	out->tier = (enum sc_tier)(v->src.muni == v->muni && v->muni != NULL ?
		v->src.tier :
		v->muni != NULL ? v->dst.tier :
				  v->src.tier);
	out->has_src = out->has_dst = 1;
	out->src = *src;
	out->dst = *dst;
	out->sport = sport;
	out->dport = dport;
	out->ipproto = ipproto;
	if (evbuf != NULL && evlen > 0) {
		n = policy_verdict_format(
		    v, src, sport, dst, dport, ipproto, evbuf, evlen);
		out->evidence = (const uint8_t *)evbuf;
		out->evidence_len = n < evlen ? n : evlen - 1;
	}
	return 0;
}

const struct policy_source *
policy_tag_event(const struct policy *p, struct sc_event *ev)
{
	struct policy_tag t;

	policy_tag(p, &ev->peer, &t);
	memset(ev->muni, 0, sizeof(ev->muni));
	if (t.muni != NULL)
		memcpy(ev->muni, t.muni->code, SC_MUNI_LEN);
	ev->tier = (enum sc_tier)t.tier;
	if (t.source == NULL)
		ev->flags |= SC_EV_UNKNOWN_SOURCE;
	else
		ev->flags &= ~(uint32_t)SC_EV_UNKNOWN_SOURCE;
	return t.source;
}

int
policy_eval_event(const struct policy *p, const struct sc_event *ev,
    struct fw_flow *flow, struct policy_verdict *v)
{
	if (ev->msg == NULL || fw_parse(ev->msg, ev->msglen, flow) != 0)
		return -1;
	return policy_eval_fw(p, flow, ev->ts_us ? ev->ts_us : ev->recv_us, v);
}
