/*
 * detect.c — the sensor's firing model, composed from the primitives of
 * rules/rules.h (Hyperscan databases, header/flow/dsize checks and
 * rule_confirm).  It follows Suricata's model as the conformance README
 * (../shared/conformance/suricata-verify/README.md) describes it:
 *
 * Packet rules (no sticky buffer) are evaluated for every packet, at most
 * one alert per packet and rule.  Their content is looked for
 *   - in the packet payload (Hyperscan block mode), and
 *   - for reassembled TCP, in the stream: each direction's in-order bytes
 *     run through a Hyperscan stream (streaming mode, one per flow
 *     direction); a literal hit makes the rule a candidate for the rest of
 *     the current "turn" (the bytes one side sends until the other side
 *     sends data), and a candidate fires on the packet whose new bytes
 *     make rule_confirm() succeed over the turn's bytes where it did not
 *     succeed before them.  So a content split across segments fires
 *     once, on the packet that completes it, and offset/depth count from
 *     the start of the turn (a request or a response).
 *   A TCP segment that brings no new bytes (a retransmission) is not
 *   inspected again.
 * Rules with an app-layer proto (http, dns, tls) only match on flows
 * detected as that protocol; without a buffer they fire per packet once
 * the protocol is known.
 * Buffer rules (http.uri, http.host, http.method, http.user_agent,
 * dns.query, tls.sni, the response buffers http.stat_code, http.stat_msg
 * and http.content_type, and the legacy forms) are evaluated once per
 * app-layer transaction and direction, on the packet that completed it;
 * their payload contents (if any) look at the transaction's own bytes
 * (request line and headers, status line and headers, the DNS message,
 * the ClientHello).  A rule needs every buffer it names to be present, so
 * a request buffer rule never fires on a response and vice versa.
 */
#include "config.h"

#include <hs/hs.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "rules/rules.h"
#include "sensor/sensor_int.h"

#define DETECT_WINDOW_MAX (16 * 1024) /* turn bytes kept per direction */
#define DETECT_WINDOW_TOTAL (256ULL * 1024 * 1024) /* all windows */
#define DETECT_PENDING_MAX 256 /* stream candidates per direction */

struct det_dir {
	hs_stream_t *hs;
	struct buf win; /* this turn's bytes (up to DETECT_WINDOW_MAX) */
	size_t win_before; /* window length before the current packet */
	uint64_t win_pkt; /* packet that last touched the window */
	size_t pkt_bytes; /* bytes that packet delivered, all scanned */
	uint32_t pending[DETECT_PENDING_MAX];
	size_t npending;
	uint8_t overflow; /* more candidates than fit: confirm all */
};

#define DETECT_TX_FIRED_MAX 64

struct det_flow {
	struct det_dir d[2];
	/* rules fired on the current transaction of each direction */
	uint64_t txid[2];
	uint32_t tx_fired[2][DETECT_TX_FIRED_MAX];
	size_t ntx_fired[2];
};

struct detect {
	struct sensor *s;
	const struct ruleset *rs;
	struct rule_scratch *scratch;
	const hs_database_t *db_block;
	const hs_database_t *db_stream;
	size_t nrules;
	uint64_t *fired; /* per rule: pcap_cnt of its last alert */
	uint32_t *cand; /* candidates of the current packet */
	uint8_t *is_cand;
	size_t ncand;
	uint64_t winmem;
	struct det_dir *cur_dir; /* for the stream callback */
	/* rules that inspect the payload but have no pattern, by proto:
	 * those any destination port can meet; the rest are looked up by
	 * the packet's destination port (ruleset_unfiltered_port) */
	const struct rule *const *unf_any[RULE_PROTO_COUNT];
	size_t nunf_any[RULE_PROTO_COUNT];
};

static int alproto_of(const struct flow *);

static int
rule_proto_of(const struct sc_pkt *p)
{
	switch (p->proto) {
	case 6:
		return RULE_PROTO_TCP;
	case 17:
		return RULE_PROTO_UDP;
	case 1:
	case 58:
		return RULE_PROTO_ICMP;
	default:
		return RULE_PROTO_ANY;
	}
}

/* The flow's protocol as packet rules see it (see sensor.c). */
static int
alproto_visible(const struct flow *f)
{
	if (f == NULL || !f->app_visible)
		return RULE_PROTO_ANY;
	return alproto_of(f);
}

static int
alproto_of(const struct flow *f)
{
	if (f == NULL)
		return RULE_PROTO_ANY;
	switch (f->app_proto) {
	case APP_HTTP:
		return RULE_PROTO_HTTP;
	case APP_DNS:
		return RULE_PROTO_DNS;
	case APP_TLS:
		return RULE_PROTO_TLS;
	default:
		return RULE_PROTO_ANY;
	}
}

/* RULE_FLOW_* facts of a packet. */
static unsigned
flow_facts(const struct sc_pkt *p)
{
	const struct flow *f = p->flow;
	unsigned fl = 0;
	int est;

	if (f == NULL)
		return RULE_FLOW_NOT_ESTABLISHED;
	fl |=
	    p->dir == FLOW_TOSERVER ? RULE_FLOW_TO_SERVER : RULE_FLOW_TO_CLIENT;
	if (f->proto == 6)
		est = p->established && f->tcp_state != TCPS_CLOSED;
	else
		est = f->pkts[0] > 0 && f->pkts[1] > 0;
	fl |= est ? RULE_FLOW_ESTABLISHED : RULE_FLOW_NOT_ESTABLISHED;
	return fl;
}

static int
proto_ok(const struct rule *r, int proto, int alproto)
{
	switch (rule_proto(r)) {
	case RULE_PROTO_ANY:
		return 1;
	case RULE_PROTO_TCP:
	case RULE_PROTO_UDP:
	case RULE_PROTO_ICMP:
		return (int)rule_proto(r) == proto;
	case RULE_PROTO_HTTP:
	case RULE_PROTO_DNS:
	case RULE_PROTO_TLS:
		return (int)rule_proto(r) == alproto;
	default:
		return 0;
	}
}

static int
is_buffer_rule(const struct rule *r)
{
	return (rule_buffers(r) & ~(1u << RULE_BUF_PAYLOAD)) != 0;
}

struct detect *
detect_new(const struct ruleset *rs, struct sensor *s)
{
	struct detect *d = calloc(1, sizeof(*d));

	if (d == NULL)
		return NULL;
	d->s = s;
	d->rs = rs;
	d->nrules = ruleset_count(rs);
	d->scratch = rule_scratch_new(rs);
	d->fired = calloc(d->nrules + 1, sizeof(*d->fired));
	d->cand = calloc(d->nrules + 1, sizeof(*d->cand));
	d->is_cand = calloc(d->nrules + 1, 1);
	if (d->scratch == NULL || d->fired == NULL || d->cand == NULL ||
	    d->is_cand == NULL) {
		detect_free(d);
		return NULL;
	}
	d->db_block = (const hs_database_t *)ruleset_hs_db(
	    rs, RULE_BUF_PAYLOAD, RULE_HS_BLOCK);
	d->db_stream = (const hs_database_t *)ruleset_hs_db(
	    rs, RULE_BUF_PAYLOAD, RULE_HS_STREAM);
	for (int pr = 0; pr < RULE_PROTO_COUNT; pr++)
		d->unf_any[pr] = ruleset_unfiltered_anyport(
		    rs, (enum rule_proto)pr, &d->nunf_any[pr]);
	return d;
}

void
detect_free(struct detect *d)
{
	if (d == NULL)
		return;
	rule_scratch_free(d->scratch);
	free(d->fired);
	free(d->cand);
	free(d->is_cand);
	free(d);
}

void
detect_flow_end(struct detect *d, struct flow *f)
{
	struct det_flow *df = f->det;

	if (df == NULL)
		return;
	for (int i = 0; i < 2; i++) {
		if (df->d[i].hs != NULL)
			(void)hs_close_stream(df->d[i].hs, NULL, NULL, NULL);
		d->winmem -= df->d[i].win.cap;
		buf_free(&df->d[i].win);
	}
	free(df);
	f->det = NULL;
}

/* ---- alerts ---------------------------------------------------------- */

static void
fire(struct detect *d, struct sc_pkt *p, const struct rule *r)
{
	struct sensor_alert a;

	memset(&a, 0, sizeof(a));
	a.sid = rule_sid(r);
	a.gid = rule_gid(r);
	a.rev = rule_rev(r);
	a.msg = rule_msg(r);
	a.classtype = rule_classtype(r);
	a.severity = rule_priority(r) ? rule_priority(r) : 3;
	sensor_emit(d->s, p, &a);
}

/* ---- candidates ------------------------------------------------------ */

static void
add_cand(struct detect *d, uint32_t idx)
{
	if (idx >= d->nrules || d->is_cand[idx])
		return;
	d->is_cand[idx] = 1;
	d->cand[d->ncand++] = idx;
}

static int
on_block_hit(unsigned id, unsigned long long from, unsigned long long to,
    unsigned flags, void *ctx)
{
	add_cand(ctx, id);
	return 0;
}

static void
pending_add(struct det_dir *dd, uint32_t idx)
{
	for (size_t i = 0; i < dd->npending; i++)
		if (dd->pending[i] == idx)
			return;
	if (dd->npending < DETECT_PENDING_MAX)
		dd->pending[dd->npending++] = idx;
	else
		dd->overflow = 1;
}

static int
on_stream_hit(unsigned id, unsigned long long from, unsigned long long to,
    unsigned flags, void *ctx)
{
	struct detect *d = ctx;

	if (d->cur_dir != NULL)
		pending_add(d->cur_dir, id);
	return 0;
}

/* ---- stream ---------------------------------------------------------- */

static struct det_flow *
det_flow(struct flow *f)
{
	if (f->det == NULL)
		f->det = calloc(1, sizeof(struct det_flow));
	return f->det;
}

static void
turn_reset(struct detect *d, struct det_dir *dd)
{
	d->winmem -= dd->win.cap;
	buf_free(&dd->win);
	dd->win_before = 0;
	dd->npending = 0;
	dd->overflow = 0;
}

void
detect_stream(struct detect *d, struct sc_pkt *p, const uint8_t *data,
    size_t len, int gap)
{
	struct flow *f = p->flow;
	struct det_flow *df;
	struct det_dir *dd;
	size_t cap_before;

	if (f == NULL || f->released || (df = det_flow(f)) == NULL)
		return;
	dd = &df->d[p->dir];
	/* the other side spoke: its turn is over */
	if (df->d[!p->dir].win.len > 0 || df->d[!p->dir].npending > 0)
		turn_reset(d, &df->d[!p->dir]);
	if (gap)
		turn_reset(d, dd);
	if (dd->win_pkt != p->pcap_cnt) {
		dd->win_pkt = p->pcap_cnt;
		dd->win_before = dd->win.len;
		dd->pkt_bytes = 0;
	}
	if (dd->win.max == 0)
		buf_init(&dd->win, DETECT_WINDOW_MAX);
	cap_before = dd->win.cap;
	if (dd->win.len + len > DETECT_WINDOW_MAX) {
		/* slide: keep the newest bytes */
		size_t keep = DETECT_WINDOW_MAX / 2, drop;

		if (len >= keep) {
			buf_reset(&dd->win);
			dd->win_before = 0;
		} else {
			drop = dd->win.len + len - keep;
			if (drop > dd->win.len)
				drop = dd->win.len;
			buf_consume(&dd->win, drop);
			dd->win_before =
			    dd->win_before > drop ? dd->win_before - drop : 0;
		}
		if (len > DETECT_WINDOW_MAX) {
			data += len - DETECT_WINDOW_MAX;
			len = DETECT_WINDOW_MAX;
		}
	}
	if (d->winmem + len <= DETECT_WINDOW_TOTAL)
		(void)buf_append(&dd->win, data, len);
	d->winmem += dd->win.cap - cap_before;

	if (d->db_stream != NULL && d->scratch != NULL) {
		if (dd->hs == NULL &&
		    hs_open_stream(d->db_stream, 0, &dd->hs) != HS_SUCCESS)
			dd->hs = NULL;
		if (dd->hs != NULL) {
			dd->pkt_bytes += len;
			d->cur_dir = dd;
			(void)hs_scan_stream(dd->hs, (const char *)data,
			    (unsigned)len, 0, rule_scratch_hs(d->scratch),
			    on_stream_hit, d);
			d->cur_dir = NULL;
		}
	}
}

/* ---- packets --------------------------------------------------------- */

static int
header_ok(const struct rule *r, const struct sc_pkt *p, int proto, int alproto,
    unsigned facts)
{
	return !rule_is_log(r) && proto_ok(r, proto, alproto) &&
	    rule_match_flow(r, facts) && rule_match_dsize(r, p->plen) &&
	    rule_match_header(r, &p->src, p->sport, &p->dst, p->dport);
}

/* 1 if the rule's payload conditions newly hold in the stream window. */
static int
stream_match(struct detect *d, const struct rule *r, struct det_dir *dd)
{
	if (dd == NULL || dd->win.len == 0 || dd->win_before == dd->win.len)
		return 0;
	if (rule_confirm(r, d->scratch, RULE_BUF_PAYLOAD, dd->win.data,
		dd->win.len) != 1)
		return 0;
	return dd->win_before == 0 ||
	    rule_confirm(r, d->scratch, RULE_BUF_PAYLOAD, dd->win.data,
		dd->win_before) != 1;
}

/* The no-pattern rules of proto whose header can accept dport. */
static void
add_unfiltered(struct detect *d, int proto, uint16_t dport)
{
	const struct rule *const *l;
	size_t n;

	for (size_t i = 0; i < d->nunf_any[proto]; i++)
		add_cand(d, (uint32_t)rule_index(d->unf_any[proto][i]));
	l = ruleset_unfiltered_port(d->rs, (enum rule_proto)proto, dport, &n);
	for (size_t i = 0; i < n; i++)
		add_cand(d, (uint32_t)rule_index(l[i]));
}

void
detect_packet(struct detect *d, struct sc_pkt *p)
{
	struct flow *f = p->flow;
	struct det_flow *df = f != NULL ? f->det : NULL;
	struct det_dir *dd = NULL;
	int proto = rule_proto_of(p), alproto = alproto_visible(f);
	unsigned facts = flow_facts(p);
	int stream_new = 0, inspect_payload = 1, inspect_block = 1;

	if (p->ipver == 0 || d->scratch == NULL)
		return;
	if (df != NULL) {
		dd = &df->d[p->dir];
		stream_new =
		    dd->win_pkt == p->pcap_cnt && dd->win.len > dd->win_before;
	}
	/* a TCP segment that brought nothing new is not inspected again */
	if (p->retrans)
		inspect_payload = 0;

	/*
	 * When this packet's payload went, exactly and in order, through the
	 * flow's Hyperscan stream, every literal in it is already among the
	 * pending candidates: the block scan would find nothing new.
	 */
	d->ncand = 0;
	if (stream_new && dd->pkt_bytes == p->plen && dd->hs != NULL)
		inspect_block = 0;
	if (d->db_block != NULL && p->plen > 0 && inspect_payload &&
	    inspect_block)
		(void)hs_scan(d->db_block, (const char *)p->payload, p->plen, 0,
		    rule_scratch_hs(d->scratch), on_block_hit, d);
	if (stream_new) {
		for (size_t i = 0; i < dd->npending; i++)
			add_cand(d, dd->pending[i]);
		if (dd->overflow)
			for (size_t i = 0; i < d->nrules; i++)
				add_cand(d, (uint32_t)i);
	}
	add_unfiltered(d, RULE_PROTO_ANY, p->dport);
	if (proto != RULE_PROTO_ANY)
		add_unfiltered(d, proto, p->dport);
	if (alproto != RULE_PROTO_ANY)
		add_unfiltered(d, alproto, p->dport);

	for (size_t i = 0; i < d->ncand; i++) {
		uint32_t idx = d->cand[i];
		const struct rule *r = ruleset_rule(d->rs, idx);

		d->is_cand[idx] = 0;
		if (r == NULL || is_buffer_rule(r) ||
		    d->fired[idx] == p->pcap_cnt ||
		    !header_ok(r, p, proto, alproto, facts))
			continue;
		if ((inspect_payload &&
			rule_confirm(r, d->scratch, RULE_BUF_PAYLOAD,
			    p->payload, p->plen) == 1) ||
		    (stream_new && stream_match(d, r, dd))) {
			d->fired[idx] = p->pcap_cnt;
			fire(d, p, r);
		}
	}
	d->ncand = 0;
}

/* ---- transactions ---------------------------------------------------- */

struct tx_ctx {
	struct detect *d;
	struct sc_pkt *p;
	struct det_flow *df;
	int dir;
};

static int
on_tx_hit(void *ctx, const struct rule_hit *h)
{
	struct tx_ctx *tc = ctx;
	uint32_t idx = (uint32_t)rule_index(h->rule);

	if (!is_buffer_rule(h->rule))
		return 0;
	if (tc->df != NULL) { /* at most once per transaction */
		size_t *n = &tc->df->ntx_fired[tc->dir];

		for (size_t i = 0; i < *n; i++)
			if (tc->df->tx_fired[tc->dir][i] == idx)
				return 0;
		if (*n < DETECT_TX_FIRED_MAX)
			tc->df->tx_fired[tc->dir][(*n)++] = idx;
	}
	fire(tc->d, tc->p, h->rule);
	return 0;
}

void
detect_tx(struct detect *d, struct sc_pkt *p, const struct app_tx *tx)
{
	static const int map[ABUF_MAX] = {
		[ABUF_HTTP_URI] = RULE_BUF_HTTP_URI,
		[ABUF_HTTP_HOST] = RULE_BUF_HTTP_HOST,
		[ABUF_HTTP_METHOD] = RULE_BUF_HTTP_METHOD,
		[ABUF_HTTP_UA] = RULE_BUF_HTTP_UA,
		[ABUF_DNS_QUERY] = RULE_BUF_DNS_QUERY,
		[ABUF_TLS_SNI] = RULE_BUF_TLS_SNI,
		[ABUF_HTTP_STAT_CODE] = RULE_BUF_HTTP_STAT_CODE,
		[ABUF_HTTP_STAT_MSG] = RULE_BUF_HTTP_STAT_MSG,
		[ABUF_HTTP_CTYPE] = RULE_BUF_HTTP_CTYPE,
		[ABUF_RAW] = RULE_BUF_PAYLOAD,
	};
	struct rule_packet rp;
	struct tx_ctx tc = { d, p, NULL, tx->dir & 1 };
	static const uint8_t empty[1];

	if (d->scratch == NULL || p->ipver == 0)
		return;
	if (p->flow != NULL && !p->flow->released &&
	    (tc.df = det_flow(p->flow)) != NULL &&
	    (tx->id == 0 || tc.df->txid[tc.dir] != tx->id)) {
		tc.df->txid[tc.dir] = tx->id;
		tc.df->ntx_fired[tc.dir] = 0;
	}
	memset(&rp, 0, sizeof(rp));
	rp.proto = (enum rule_proto)rule_proto_of(p);
	rp.alproto = (enum rule_proto)alproto_of(p->flow);
	rp.src = &p->src;
	rp.dst = &p->dst;
	rp.sport = p->sport;
	rp.dport = p->dport;
	rp.flow = flow_facts(p);
	rp.dsize = p->plen;
	for (int i = 0; i < ABUF_MAX; i++) {
		if (tx->buf[i] == NULL || (map[i] == 0 && i != ABUF_RAW))
			continue;
		rp.buf[map[i]] = tx->len[i] > 0 ? tx->buf[i] : empty;
		rp.len[map[i]] = tx->len[i];
	}
	(void)ruleset_match_packet(d->rs, d->scratch, &rp, on_tx_hit, &tc);
}
