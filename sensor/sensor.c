/*
 * sensor.c — the packet path: decode, flow, TCP state and reassembly,
 * app-layer glue, detection, alert emission, and the sensor's life cycle.
 *
 * TCP: a flow is established after the three-way handshake, or, with
 * midstream pickup on, at its first packet without one (Suricata's
 * stream.midstream).  Only established flows are reassembled and parsed;
 * packet rules still see every packet.  Each direction's in-order bytes
 * go to the app layer (protocol detection by content, then the parser)
 * and to the detection engine's stream inspection.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/sc_limits.h"
#include "policies/policy.h"
#include "sensor/capture.h"
#include "sensor/sensor_int.h"

void
sensor_config_defaults(struct sensor_config *c)
{
	memset(c, 0, sizeof(*c));
	c->name = "sensor";
	c->snaplen = 65535;
	c->promisc = 1;
	c->bufsize = 64 * 1024 * 1024;
	c->defrag = 1;
	c->stream_depth = SC_STREAM_DEPTH;
	c->reasm_flow_max = SC_REASM_FLOW_MAX;
	c->reasm_memcap = SC_REASM_TOTAL_MAX;
	c->frag_memcap = SC_FRAG_TOTAL_MAX;
	c->frag_timeout_sec = SC_FRAG_TIMEOUT_SEC;
	c->flows_max = SC_FLOWS_MAX;
	c->timeout_new_sec = 60;
	c->timeout_est_sec = 3600;
	c->timeout_closed_sec = 60;
	c->timeout_udp_sec = 300;
	c->http_line_max = SC_HTTP_LINE_MAX;
	c->spool_max = SC_SPOOL_MAX;
	c->spool_disk_max = SENSOR_SPOOL_DISK_MAX;
}

/* ---- app layer glue -------------------------------------------------- */

static void
app_free(struct flow *f)
{
	for (int d = 0; d < 2; d++) {
		if (f->app[d] == NULL)
			continue;
		switch (f->app_proto) {
		case APP_HTTP:
			http_parser_free(f->app[d]);
			break;
		case APP_DNS:
			dns_tcp_free(f->app[d]);
			break;
		case APP_TLS:
			tls_parser_free(f->app[d]);
			break;
		default:
			break;
		}
		f->app[d] = NULL;
	}
}

static void
on_tx(void *arg, const struct app_tx *tx)
{
	struct sensor *s = arg;

	if (s->tx_hook != NULL)
		s->tx_hook(s->hook_arg, s->cur, tx);
	if (s->det != NULL && s->cur != NULL)
		detect_tx(s->det, s->cur, tx);
}

/* Make the parser for direction d once the protocol is known. */
static void *
app_parser(struct sensor *s, struct flow *f, int d)
{
	if (f->app[d] != NULL)
		return f->app[d];
	switch (f->app_proto) {
	case APP_HTTP:
		if (f->app[FLOW_TOSERVER] == NULL)
			f->app[FLOW_TOSERVER] =
			    http_parser_new(s->cfg.http_line_max, s->ctr);
		if (d == FLOW_TOCLIENT && f->app[FLOW_TOSERVER] != NULL)
			f->app[d] =
			    http_response_parser_new(s->cfg.http_line_max,
				s->ctr, f->app[FLOW_TOSERVER]);
		break;
	case APP_DNS:
		f->app[d] = dns_tcp_new(s->ctr);
		break;
	case APP_TLS:
		if (d == FLOW_TOSERVER)
			f->app[d] = tls_parser_new(s->ctr);
		break;
	default:
		break;
	}
	return f->app[d];
}

static void
app_feed(struct sensor *s, struct flow *f, int d, const uint8_t *data,
    size_t len, int gap)
{
	void *ap = app_parser(s, f, d);

	if (ap == NULL || len == 0)
		return;
	switch (f->app_proto) {
	case APP_HTTP:
		if (gap)
			http_parser_gap(ap);
		http_parser_feed(ap, data, len, on_tx, s);
		break;
	case APP_DNS:
		if (gap)
			dns_tcp_gap(ap);
		dns_tcp_feed(ap, data, len, d, on_tx, s);
		break;
	case APP_TLS:
		if (gap)
			tls_parser_gap(ap);
		tls_parser_feed(ap, data, len, on_tx, s);
		break;
	default:
		break;
	}
}

/*
 * Detect the protocol from the first APP_PROBE_MAX bytes of a direction
 * (kept in f->probe while undecided), then feed the parser: first the
 * probed bytes of earlier segments, then this run.
 */
static void
app_stream(struct sensor *s, struct flow *f, int d, const uint8_t *data,
    size_t len, int gap)
{
	size_t old = f->probe_len[d];

	if (f->app_proto == APP_UNKNOWN && !f->app_tried[d] && !gap) {
		size_t room = APP_PROBE_MAX - old,
		       take = len < room ? len : room;
		int r;

		memcpy(f->probe[d] + old, data, take);
		r = app_detect(f->probe[d], old + take, 0, f->port[d],
		    f->port[!d], d == FLOW_TOSERVER);
		if (r == APP_UNKNOWN && old + take < APP_PROBE_MAX &&
		    take == len) {
			f->probe_len[d] = (uint8_t)(old + take);
			return; /* wait for more bytes */
		}
		f->app_tried[d] = 1;
		if (r != APP_UNKNOWN && r != APP_FAILED) {
			f->app_proto = (uint8_t)r;
			f->app_dir = (uint8_t)d;
			f->app_visible = (uint8_t)s->cfg.inline_mode;
		} else if (f->app_tried[!d] || d == FLOW_TOSERVER)
			f->app_proto = APP_FAILED;
	}
	if (f->app_proto == APP_UNKNOWN || f->app_proto == APP_FAILED)
		return;
	if (old > 0) {
		f->probe_len[d] = 0;
		app_feed(s, f, d, f->probe[d], old, 0);
	}
	app_feed(s, f, d, data, len, gap);
}

struct deliver_ctx {
	struct sensor *s;
	struct flow *f;
	int dir;
};

static void
on_stream(void *arg, const uint8_t *data, size_t len, int gap)
{
	struct deliver_ctx *dc = arg;

	if (dc->f->released)
		return;
	if (dc->s->stream_hook != NULL)
		dc->s->stream_hook(
		    dc->s->hook_arg, dc->f, dc->dir, data, len, gap);
	app_stream(dc->s, dc->f, dc->dir, data, len, gap);
	if (dc->s->det != NULL && dc->s->cur != NULL)
		detect_stream(dc->s->det, dc->s->cur, data, len, gap);
}

/* ---- TCP ------------------------------------------------------------- */

static void
tcp_packet(struct sensor *s, struct flow *f, struct sc_pkt *p)
{
	int d = p->dir;
	uint8_t fl = p->tcp_flags;
	struct deliver_ctx dc = { s, f, d };

	if (fl & TH_SYN) {
		if (!(fl & TH_ACK)) {
			if (f->tcp_state == TCPS_NONE)
				f->tcp_state = TCPS_SYN_SENT;
			if (!f->ts[d].have_base)
				stream_set_base(&f->ts[d], p->seq + 1);
		} else {
			if (f->tcp_state <= TCPS_SYN_SENT)
				f->tcp_state = TCPS_SYN_RECV;
			if (!f->ts[d].have_base)
				stream_set_base(&f->ts[d], p->seq + 1);
		}
	} else if (f->tcp_state == TCPS_SYN_RECV && (fl & TH_ACK) &&
	    d == FLOW_TOSERVER) {
		f->tcp_state = TCPS_ESTABLISHED;
		f->established = 1;
	} else if (f->tcp_state == TCPS_NONE && !(fl & TH_RST)) {
		if (s->cfg.midstream) {
			f->tcp_state = TCPS_ESTABLISHED;
			f->established = 1;
			f->midstream = 1;
			s->ctr[CTR_TCP_MIDSTREAM]++;
		} else if (p->plen > 0) {
			s->ctr[CTR_TCP_NO3WHS]++;
		}
	}
	if (f->established && !f->ts[d].have_base && !(fl & TH_SYN))
		stream_set_base(&f->ts[d], p->seq);

	/* Data on a SYN (TCP Fast Open) is not reassembled: Suricata's
	 * app layer starts after the handshake too. */
	if (p->plen > 0 && f->ts[d].have_base && f->established &&
	    !(fl & TH_SYN) && !f->released) {
		uint64_t before = s->ctr[CTR_TCP_RETRANS];

		(void)stream_segment(&s->sctx, &f->ts[d],
		    (fl & TH_SYN) ? p->seq + 1 : p->seq, p->payload, p->plen,
		    on_stream, &dc);
		p->retrans = s->ctr[CTR_TCP_RETRANS] != before;
	}

	if (fl & TH_RST) {
		f->tcp_state = TCPS_CLOSED;
	} else if (fl & TH_FIN) {
		f->ts[d].fin = 1;
		if (f->ts[0].fin && f->ts[1].fin)
			f->tcp_state = TCPS_CLOSING;
	}
}

/* ---- UDP ------------------------------------------------------------- */

static void
udp_packet(struct sensor *s, struct flow *f, struct sc_pkt *p)
{
	if (p->plen == 0)
		return;
	if (f->app_proto == APP_UNKNOWN) {
		int r = app_detect(p->payload, p->plen, 1, p->sport, p->dport,
		    p->dir == FLOW_TOSERVER);

		f->app_proto = (uint8_t)(r == APP_UNKNOWN ? APP_FAILED : r);
		f->app_visible = 1;
	}
	if (f->app_proto == APP_DNS)
		(void)dns_udp_message(
		    p->payload, p->plen, p->dir, s->ctr, on_tx, s);
}

/* ---- three-tier policy ----------------------------------------------- */

static uint32_t
policy_sid(const char *use_case)
{
	if (use_case == NULL)
		return 9009999;
	if (strncmp(use_case, "GL-SEP-0", 8) == 0 && use_case[8] >= '1' &&
	    use_case[8] <= '9' && use_case[9] == '\0')
		return 9009000 + (uint32_t)(use_case[8] - '0');
	if (strcmp(use_case, "GL-EXC-01") == 0)
		return 9009101;
	if (strcmp(use_case, "GL-NET-02") == 0)
		return 9009202;
	return 9009999;
}

/* A new flow: tag both ends and judge it against the flow matrix. */
static void
policy_flow(struct sensor *s, struct flow *f, struct sc_pkt *p)
{
	struct policy_tag t;
	struct policy_verdict v;
	struct sensor_alert a;
	char msg[512];

	for (int d = 0; d < 2; d++) {
		(void)policy_tag(s->cfg.policy, &f->addr[d], &t);
		f->muni[d] = t.muni;
		f->tier[d] = (uint8_t)t.tier;
	}
	f->tagged = 1;
	if (!policy_eval_flow(s->cfg.policy, &f->addr[0], f->port[0],
		&f->addr[1], f->port[1], f->proto, p->ts_us, &v))
		return;
	memset(&a, 0, sizeof(a));
	snprintf(msg, sizeof(msg), "policy %s: %s",
	    v.use_case ? v.use_case : "violation",
	    v.cell_text ? v.cell_text : "");
	a.gid = SENSOR_POLICY_GID;
	a.sid = policy_sid(v.use_case);
	a.rev = 1;
	a.msg = msg;
	a.classtype = "policy-violation";
	a.severity = v.severity;
	sensor_emit(s, p, &a);
}

/* ---- the packet path ------------------------------------------------- */

static void flow_release(struct sensor *, struct flow *);

void
sensor_packet(struct sensor *s, struct sc_pkt *p)
{
	struct flow *f;

	if (p->pcap_cnt == 0) /* workers get it from the capture thread */
		p->pcap_cnt = ++s->pcap_cnt;
	if (p->ts_us > s->last_ts)
		s->last_ts = p->ts_us;
	if (decode_packet(&s->dec, p) != 0 || p->frag_held)
		goto done;
	if (s->dec.defrag != NULL)
		defrag_expire(s->dec.defrag, p->ts_us);
	if (s->flows != NULL) {
		flow_expire(s->flows, p->ts_us);
		f = flow_get(s->flows, p);
	} else {
		f = NULL;
	}
	s->cur = p;
	if (f != NULL) {
		if (s->cfg.policy != NULL && !f->tagged)
			policy_flow(s, f, p);
		f->pkts[p->dir]++;
		f->bytes[p->dir] += p->wirelen;
		/* As in Suricata's IDS mode, a protocol found in one
		 * direction's bytes counts for packet rules from the next
		 * packet of the other direction (the one that ACKs them). */
		if (f->app_proto != APP_UNKNOWN && !f->app_visible &&
		    p->dir != f->app_dir)
			f->app_visible = 1;
		p->established = f->established;
		if (p->proto == 6) {
			f->flags_seen[p->dir] |= p->tcp_flags;
			tcp_packet(s, f, p);
			if (f->midstream && f->pkts[0] + f->pkts[1] == 1)
				p->established = f->established;
		} else if (p->proto == 17) {
			udp_packet(s, f, p);
		}
	}
	if (s->det != NULL)
		detect_packet(s->det, p);
	if (f != NULL && f->proto == 6 && f->tcp_state >= TCPS_CLOSING &&
	    !f->released)
		flow_release(s, f);
	s->cur = NULL;
done:
	free(p->reasm);
	p->reasm = NULL;
}

/* Hand on what reassembly holds and free the flow's stream, app-layer
 * and detection state.  At flow end, and as soon as a TCP connection is
 * closed (FIN both ways or RST), so that closed flows waiting for their
 * timeout cost only their record. */
static void
flow_release(struct sensor *s, struct flow *f)
{
	if (f->proto == 6) {
		for (int d = 0; d < 2; d++) {
			struct deliver_ctx dc = { s, f, d };

			(void)stream_flush(&s->sctx, &f->ts[d], on_stream, &dc);
			stream_clear(&s->sctx, &f->ts[d]);
		}
		if (f->app_proto == APP_HTTP && f->app[FLOW_TOSERVER] != NULL)
			http_parser_end(f->app[FLOW_TOSERVER], on_tx, s);
		if (f->app_proto == APP_HTTP && f->app[FLOW_TOCLIENT] != NULL)
			http_parser_end(f->app[FLOW_TOCLIENT], on_tx, s);
	}
	if (s->det != NULL)
		detect_flow_end(s->det, f);
	app_free(f);
	f->released = 1;
}

static void
on_flow_end(void *arg, struct flow *f)
{
	struct sensor *s = arg;

	if (!f->released)
		flow_release(s, f);
	struct sensor *o = s->root != NULL ? s->root : s;

	for (int d = 0; d < 2; d++) /* a closed flow holds nothing, still */
		stream_clear(&s->sctx, &f->ts[d]);
	if (o->eve != NULL && o->cfg.eve_flows) {
		if (o->mt != NULL)
			mt_lock(o);
		eve_flow(o->eve, o, f);
		if (o->mt != NULL)
			mt_unlock(o);
	}
}

void
sensor_emit(struct sensor *s, const struct sc_pkt *p, struct sensor_alert *a)
{
	const struct flow *f = p->flow;

	a->ts_us = p->ts_us;
	a->pcap_cnt = p->pcap_cnt;
	a->flow_id = f != NULL ? f->id : 0;
	a->action = "allowed";
	a->ipver = p->ipver;
	a->proto = p->proto;
	a->src = p->src;
	a->dst = p->dst;
	a->sport = p->sport;
	a->dport = p->dport;
	a->app_proto = f != NULL && f->app_proto != APP_UNKNOWN &&
		f->app_proto != APP_FAILED ?
	    app_proto_name(f->app_proto) :
	    NULL;
	a->to_server = p->dir == FLOW_TOSERVER;
	a->payload = p->payload;
	a->plen = p->plen;
	a->iface = s->cfg.iface;
	if (f != NULL && f->app_proto == APP_HTTP && !f->released &&
	    f->app[FLOW_TOSERVER] != NULL) {
		const struct http_parser *h = f->app[p->dir & 1];

		a->http = http_parser_tx(
		    f->app[FLOW_TOSERVER], h != NULL ? http_parser_txid(h) : 0);
	}
	if (f != NULL && f->tagged) {
		int sd = p->dir == FLOW_TOSERVER ? 0 : 1;

		a->src_dantai = f->muni[sd] ? f->muni[sd]->code : "";
		a->src_tier = policy_tier_short(f->tier[sd]);
		a->dst_dantai = f->muni[!sd] ? f->muni[!sd]->code : "";
		a->dst_tier = policy_tier_short(f->tier[!sd]);
	}
	s->ctr[CTR_ALERTS]++;
	if (s->root != NULL) { /* a worker: the root's outputs */
		s = s->root;
		a->iface = s->cfg.iface;
		mt_lock(s);
	}
	if (s->alert_fn != NULL)
		s->alert_fn(s->alert_arg, a);
	if (s->eve != NULL) {
		eve_alert(s->eve, a);
		if (s->cap != NULL) /* live: readers tail the file */
			eve_flush(s->eve);
	}
	if (s->slog != NULL)
		slog_alert(s->slog, a);
	if (s->mt != NULL)
		mt_unlock(s);
}

/* ---- life cycle ------------------------------------------------------ */

struct sensor *
sensor_new(const struct sensor_config *cfg, const struct ruleset *rs)
{
	struct sensor *s = calloc(1, sizeof(*s));
	struct flow_limits fl;
	int nw = sensor_workers_resolve(cfg->workers);

	if (s == NULL)
		return NULL;
	s->cfg = *cfg;
	s->cfg.workers = nw;
	s->rs = rs;
	s->dec.ctr = s->ctr;
	if (nw > 1) { /* the root: capture and outputs, no engine */
		if (mt_start(s, nw) != 0)
			goto fail;
		return s;
	}
	if (cfg->defrag) {
		s->dec.defrag = defrag_new(cfg->frag_memcap,
		    (int64_t)cfg->frag_timeout_sec * 1000000, s->ctr);
		if (s->dec.defrag == NULL)
			goto fail;
	}
	fl.max = cfg->flows_max ? cfg->flows_max : 1;
	fl.new_us = (int64_t)cfg->timeout_new_sec * 1000000;
	fl.est_us = (int64_t)cfg->timeout_est_sec * 1000000;
	fl.closed_us = (int64_t)cfg->timeout_closed_sec * 1000000;
	fl.udp_us = (int64_t)cfg->timeout_udp_sec * 1000000;
	s->flows = flow_table_new(&fl, s->ctr, on_flow_end, s);
	if (s->flows == NULL)
		goto fail;
	s->sctx.ctr = s->ctr;
	s->sctx.depth = cfg->stream_depth;
	s->sctx.flow_cap = cfg->reasm_flow_max;
	s->sctx.memcap = cfg->reasm_memcap;
	if (rs != NULL && (s->det = detect_new(rs, s)) == NULL)
		goto fail;
	return s;
fail:
	sensor_free(s);
	return NULL;
}

void
sensor_flush(struct sensor *s)
{
	struct flow_table *ft = s->flows;
	struct flow_limits fl;

	if (s->mt != NULL) {
		mt_sync(s); /* the workers are idle until the next packet */
		for (size_t i = 0; i < mt_nworkers(s); i++)
			sensor_flush(mt_worker(s, i));
		return;
	}
	if (ft == NULL)
		return;
	/* End every flow by swapping in an empty table. */
	fl.max = s->cfg.flows_max ? s->cfg.flows_max : 1;
	fl.new_us = (int64_t)s->cfg.timeout_new_sec * 1000000;
	fl.est_us = (int64_t)s->cfg.timeout_est_sec * 1000000;
	fl.closed_us = (int64_t)s->cfg.timeout_closed_sec * 1000000;
	fl.udp_us = (int64_t)s->cfg.timeout_udp_sec * 1000000;
	flow_table_free(ft);
	s->flows = flow_table_new(&fl, s->ctr, on_flow_end, s);
	if (s->flows != NULL && s->root != NULL)
		flow_table_set_ids(s->flows, (uint64_t)s->worker_idx + 1,
		    (uint64_t)s->root->cfg.workers);
}

void
sensor_free(struct sensor *s)
{
	if (s == NULL)
		return;
	capture_close(s);
	if (s->mt != NULL)
		mt_stop(s); /* their flows end into the outputs below */
	flow_table_free(s->flows);
	s->flows = NULL;
	detect_free(s->det);
	defrag_free(s->dec.defrag);
	eve_close(s->eve);
	slog_free(s->slog);
	free(s);
}

void
sensor_set_alert_cb(struct sensor *s, sensor_alert_fn fn, void *arg)
{
	s->alert_fn = fn;
	s->alert_arg = arg;
}

int
sensor_open_outputs(struct sensor *s, char *err, size_t errlen)
{
	if (s->cfg.eve_path != NULL &&
	    (s->eve = eve_open(s->cfg.eve_path, err, errlen)) == NULL)
		return -1;
	if (s->cfg.collector != NULL &&
	    (s->slog = slog_new(&s->cfg, s->ctr, err, errlen)) == NULL)
		return -1;
	return 0;
}

/* Counter i of the sensor and all its workers. */
static uint64_t
sensor_counter_at(const struct sensor *s, int i)
{
	uint64_t v = s->ctr[i];

	if (s->mt != NULL)
		for (size_t w = 0; w < mt_nworkers(s); w++)
			v += mt_worker(s, w)->ctr[i];
	return v;
}

void
sensor_stats(const struct sensor *s, void (*fn)(void *, const char *, uint64_t),
    void *arg)
{
	uint64_t sum[CTR_MAX];

	for (int i = 0; i < CTR_MAX; i++)
		sum[i] = sensor_counter_at(s, i);
	for (int i = 0; i < CTR_MAX; i++)
		if (sum[i] != 0)
			fn(arg, sensor_counter_names[i], sum[i]);
}

uint64_t
sensor_counter(const struct sensor *s, const char *name)
{
	for (int i = 0; i < CTR_MAX; i++)
		if (strcmp(sensor_counter_names[i], name) == 0)
			return sensor_counter_at(s, i);
	return 0;
}

uint64_t
sensor_alert_count(const struct sensor *s)
{
	return sensor_counter_at(s, CTR_ALERTS);
}

void
sensor_pump_outputs(struct sensor *s)
{
	if (s->mt != NULL)
		mt_lock(s);
	if (s->slog != NULL)
		slog_pump(s->slog);
	eve_flush(s->eve);
	if (s->mt != NULL)
		mt_unlock(s);
}
