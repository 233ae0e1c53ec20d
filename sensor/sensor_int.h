/*
 * sensor_int.h — what the files of sensor/ share: the decoded packet, the
 * decoder tables, the flow table, TCP reassembly, the app-layer parsers and
 * the counters.  Nothing outside sensor/ (and its unit tests) includes it;
 * the contract for the rest of the tree is sensor.h.
 *
 * Data path, one packet at a time (single thread):
 *   capture.c  pcap handle -> sensor_packet()
 *   decode*.c  link -> ethertype -> IP -> L4, filling struct sc_pkt
 *   defrag.c   IPv4/IPv6 fragments -> whole datagrams (bounded memory)
 *   flow.c     5-tuple -> struct flow (bounded table, LRU, timeouts)
 *   stream.c   TCP per direction -> in-order bytes (bounded reassembly)
 *   app_*.c    in-order bytes / datagrams -> transactions with fields
 *   detect.c   rules -> alerts (sensor.h callbacks, EVE, syslog)
 */
#ifndef SC_SENSOR_INT_H
#define SC_SENSOR_INT_H

#include <stddef.h>
#include <stdint.h>

#include "common/addr.h"

/* ---- counters: every drop and oddity, by reason ---------------------- */

#define SENSOR_COUNTERS(X)                              \
	X(PKTS, "packets")                              \
	X(BYTES, "bytes")                               \
	X(LINK_UNSUPPORTED, "link.unsupported")         \
	X(ETH_SHORT, "eth.short")                       \
	X(VLAN_SHORT, "vlan.short")                     \
	X(VLAN_DEEP, "vlan.too_deep")                   \
	X(ETHERTYPE_OTHER, "eth.other_type")            \
	X(NULL_SHORT, "null.short")                     \
	X(NULL_FAMILY, "null.unknown_family")           \
	X(SLL_SHORT, "sll.short")                       \
	X(SLL2_SHORT, "sll2.short")                     \
	X(CHDLC_SHORT, "chdlc.short")                   \
	X(RAW_VERSION, "raw.bad_version")               \
	X(IPV4_SHORT, "ipv4.short")                     \
	X(IPV4_VERSION, "ipv4.bad_version")             \
	X(IPV4_HLEN, "ipv4.bad_hlen")                   \
	X(IPV4_TOTLEN, "ipv4.bad_total_len")            \
	X(IPV4_OPT, "ipv4.bad_option")                  \
	X(IPV4_TRAILER, "ipv4.trailing_bytes")          \
	X(IPV6_SHORT, "ipv6.short")                     \
	X(IPV6_VERSION, "ipv6.bad_version")             \
	X(IPV6_PLEN, "ipv6.bad_payload_len")            \
	X(IPV6_EXTHDR, "ipv6.bad_ext_header")           \
	X(IPV6_EXTDEEP, "ipv6.too_many_ext_headers")    \
	X(IP_PROTO_OTHER, "ip.other_proto")             \
	X(FRAG_PIECES, "frag.pieces")                   \
	X(FRAG_BAD, "frag.invalid")                     \
	X(FRAG_OVERLAP, "frag.overlap")                 \
	X(FRAG_MEMCAP, "frag.memcap_drop")              \
	X(FRAG_TIMEOUT, "frag.timeout")                 \
	X(FRAG_DONE, "frag.reassembled")                \
	X(TCP_SHORT, "tcp.short")                       \
	X(TCP_HLEN, "tcp.bad_hlen")                     \
	X(UDP_SHORT, "udp.short")                       \
	X(UDP_LEN, "udp.bad_len")                       \
	X(ICMP_SHORT, "icmp.short")                     \
	X(ICMPV6_SHORT, "icmpv6.short")                 \
	X(FLOW_NEW, "flow.new")                         \
	X(FLOW_TIMEOUT, "flow.timeout")                 \
	X(FLOW_EVICT, "flow.evicted")                   \
	X(FLOW_NOMEM, "flow.nomem")                     \
	X(TCP_MIDSTREAM, "tcp.midstream_pickup")        \
	X(TCP_NO3WHS, "tcp.no_handshake")               \
	X(TCP_RETRANS, "tcp.retransmission")            \
	X(TCP_OVERLAP, "tcp.overlap")                   \
	X(TCP_OOO, "tcp.out_of_order")                  \
	X(TCP_GAP, "tcp.gap")                           \
	X(TCP_DEPTH, "tcp.depth_reached")               \
	X(TCP_REASM_FLOWCAP, "tcp.reassembly_flow_cap") \
	X(TCP_REASM_MEMCAP, "tcp.reassembly_memcap")    \
	X(TCP_NOMEM, "tcp.nomem")                       \
	X(HTTP_TX, "http.requests")                     \
	X(HTTP_LINE_LONG, "http.line_too_long")         \
	X(HTTP_BAD, "http.bad_request")                 \
	X(HTTP_RESP, "http.responses")                  \
	X(HTTP_RESP_BAD, "http.bad_response")           \
	X(HTTP_RESP_ORPHAN, "http.response_no_request") \
	X(DNS_QUERY, "dns.queries")                     \
	X(DNS_BAD, "dns.bad_message")                   \
	X(TLS_HELLO, "tls.client_hello")                \
	X(TLS_BAD, "tls.bad_record")                    \
	X(ALERTS, "alerts")                             \
	X(ALERT_DROP, "alerts.output_drop")

enum sensor_counter {
#define SC_CTR_ENUM(e, s) CTR_##e,
	SENSOR_COUNTERS(SC_CTR_ENUM)
#undef SC_CTR_ENUM
	    CTR_MAX
};

extern const char *const sensor_counter_names[CTR_MAX];

/* ---- the decoded packet ---------------------------------------------- */

#define PKT_MAX_VLAN 2

struct sc_pkt {
	const uint8_t *raw; /* as captured; owned by libpcap */
	uint32_t caplen;
	uint32_t wirelen;
	int64_t ts_us;
	uint64_t pcap_cnt; /* 1-based, across all files read */
	int linktype;

	uint16_t vlan[PKT_MAX_VLAN];
	uint8_t nvlan;

	uint8_t ipver; /* 0 (not IP), 4 or 6 */
	uint8_t proto; /* transport after IPv6 extension headers */
	uint8_t ttl;
	struct addr src;
	struct addr dst;
	const uint8_t *l3; /* IP header */
	uint32_t l3len; /* IP datagram length (header + payload) */

	const uint8_t *l4; /* transport header */
	uint32_t l4len;
	uint16_t sport;
	uint16_t dport;
	uint8_t tcp_flags;
	uint32_t seq;
	uint32_t ack;
	uint16_t win;
	uint8_t icmp_type;
	uint8_t icmp_code;

	const uint8_t *payload; /* transport payload */
	uint32_t plen;

	uint8_t *reasm; /* defragmented datagram we own, or NULL */
	uint8_t decoded_l4; /* 1 once a transport header was decoded */
	uint8_t frag_held; /* 1: a fragment taken by defrag, nothing more */
	uint8_t retrans; /* 1: a TCP segment with only old bytes */
	uint8_t established; /* flow established before this packet */

	/* filled by the flow stage */
	struct flow *flow;
	uint8_t dir; /* FLOW_TOSERVER / FLOW_TOCLIENT */
};

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PUSH 0x08
#define TH_ACK 0x10
#define TH_URG 0x20

static inline uint16_t
be16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

static inline uint32_t
be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | b[3];
}

/* ---- decoding -------------------------------------------------------- */

struct defrag;

struct sensor_decoder {
	uint64_t *ctr; /* CTR_MAX counters, owned by the sensor */
	struct defrag *defrag;
};

/* One row of a dispatch table keyed by link type, ethertype or protocol.
 * A decoder returns 0 if the packet is usable (possibly only to layer 3),
 * -1 if it is malformed (it has counted why). */
typedef int (*decode_fn)(
    struct sensor_decoder *, struct sc_pkt *, const uint8_t *, size_t);
struct decode_row {
	uint32_t key;
	decode_fn fn;
};

int decode_packet(struct sensor_decoder *, struct sc_pkt *);
int decode_ethertype(struct sensor_decoder *, struct sc_pkt *, uint16_t type,
    const uint8_t *, size_t);
int decode_ip_proto(struct sensor_decoder *, struct sc_pkt *, uint8_t proto,
    const uint8_t *, size_t);
/* Version nibble picks IPv4 or IPv6 (raw IP, NULL, SLL protocol). */
int decode_ip_any(
    struct sensor_decoder *, struct sc_pkt *, const uint8_t *, size_t);

int decode_eth(
    struct sensor_decoder *, struct sc_pkt *, const uint8_t *, size_t);
int decode_vlan(
    struct sensor_decoder *, struct sc_pkt *, const uint8_t *, size_t);
int decode_null(
    struct sensor_decoder *, struct sc_pkt *, const uint8_t *, size_t);
int decode_sll(
    struct sensor_decoder *, struct sc_pkt *, const uint8_t *, size_t);
int decode_sll2(
    struct sensor_decoder *, struct sc_pkt *, const uint8_t *, size_t);
int decode_chdlc(
    struct sensor_decoder *, struct sc_pkt *, const uint8_t *, size_t);
int decode_ipv4(
    struct sensor_decoder *, struct sc_pkt *, const uint8_t *, size_t);
int decode_ipv6(
    struct sensor_decoder *, struct sc_pkt *, const uint8_t *, size_t);
int decode_tcp(
    struct sensor_decoder *, struct sc_pkt *, const uint8_t *, size_t);
int decode_udp(
    struct sensor_decoder *, struct sc_pkt *, const uint8_t *, size_t);
int decode_icmp(
    struct sensor_decoder *, struct sc_pkt *, const uint8_t *, size_t);
int decode_icmpv6(
    struct sensor_decoder *, struct sc_pkt *, const uint8_t *, size_t);

/* ---- IP fragment reassembly (defrag.c) ------------------------------- */

/* memcap bounds the bytes held for incomplete datagrams; timeout_us is the
 * age after which an incomplete datagram is dropped (counted). */
struct defrag *defrag_new(uint64_t memcap, int64_t timeout_us, uint64_t *ctr);
void defrag_free(struct defrag *);
/*
 * Offer one fragment: key fields, fragment offset in bytes, more-fragments
 * flag, and the fragment's payload (after the IP header / fragment header).
 * hdr/hdrlen is the unfragmentable header to put in front of the whole
 * datagram (taken from the first fragment).  Returns a malloc'd complete
 * datagram (header + payload) with its length in *outlen when this fragment
 * completes one (caller frees), else NULL.
 */
uint8_t *defrag_add(struct defrag *, int64_t now_us, int v6,
    const struct addr *src, const struct addr *dst, uint32_t id, uint8_t proto,
    uint32_t off, int more, const uint8_t *data, size_t len, const uint8_t *hdr,
    size_t hdrlen, size_t *outlen);
size_t defrag_pending(const struct defrag *);
uint64_t defrag_memuse(const struct defrag *);
/* Drop every datagram older than the timeout. */
void defrag_expire(struct defrag *, int64_t now_us);

/* ---- TCP reassembly (stream.c) --------------------------------------- */

struct stream_seg;

/* One direction of a TCP connection. Offsets are relative to the ISN+1. */
struct tcp_stream {
	uint32_t base_seq; /* sequence number of stream offset 0 */
	uint64_t delivered; /* bytes handed on, in order */
	struct stream_seg *ooo; /* held out-of-order segments, by seq */
	uint32_t ooo_bytes;
	uint8_t have_base;
	uint8_t fin;
	uint8_t depth_hit;
};

struct stream_ctx {
	uint64_t *ctr;
	uint64_t depth; /* stream-depth, 0 = unlimited */
	uint64_t flow_cap; /* out-of-order bytes per flow */
	uint64_t memcap; /* global out-of-order bytes */
	uint64_t memuse;
};

/* Called for each run of new in-order bytes; gap != 0 means bytes were
 * skipped before this run (a hole that never filled). */
typedef void (*stream_deliver_fn)(
    void *arg, const uint8_t *data, size_t len, int gap);

/* Feed a segment.  The stream must have a base (stream_set_base) first.
 * Returns the number of new in-order bytes delivered. */
size_t stream_segment(struct stream_ctx *, struct tcp_stream *, uint32_t seq,
    const uint8_t *data, size_t len, stream_deliver_fn, void *arg);
void stream_set_base(struct tcp_stream *, uint32_t seq);
/* Deliver what is held across gaps (flow end). */
size_t stream_flush(
    struct stream_ctx *, struct tcp_stream *, stream_deliver_fn, void *arg);
void stream_clear(struct stream_ctx *, struct tcp_stream *);

/* ---- flows (flow.c) -------------------------------------------------- */

#define FLOW_TOSERVER 0
#define FLOW_TOCLIENT 1

enum tcp_conn_state {
	TCPS_NONE = 0,
	TCPS_SYN_SENT,
	TCPS_SYN_RECV,
	TCPS_ESTABLISHED,
	TCPS_CLOSING,
	TCPS_CLOSED,
};

enum flow_end_reason {
	FLOW_END_TIMEOUT,
	FLOW_END_EVICTED,
	FLOW_END_SHUTDOWN,
};

#define APP_PROBE_MAX 64 /* bytes looked at to detect a protocol */

struct policy_muni;

struct flow {
	struct flow *hnext;
	struct flow *lprev; /* LRU list: head is the most recently seen */
	struct flow *lnext;
	uint32_t hash;
	struct addr addr[2]; /* [FLOW_TOSERVER] is the client's */
	uint16_t port[2];
	uint8_t proto;
	uint8_t ipver;
	uint16_t vlan;
	uint64_t id;
	int64_t first_us;
	int64_t last_us;
	uint64_t pkts[2];
	uint64_t bytes[2];
	uint8_t flags_seen[2];
	uint8_t tcp_state;
	uint8_t established; /* handshake seen, or midstream pickup */
	uint8_t midstream;
	uint8_t end_reason;
	struct tcp_stream ts[2];
	/* 団体 and tier of each end (policy.h), when a policy is set */
	const struct policy_muni *muni[2];
	uint8_t tier[2]; /* enum policy_tier */
	uint8_t tagged;
	uint8_t released; /* closed: stream, app and detect state freed */
	/* app layer (sensor.c) */
	uint8_t app_proto;
	uint8_t app_visible; /* app_proto applies to packet rules */
	uint8_t app_dir; /* direction whose bytes revealed it */
	uint8_t app_tried[2];
	uint8_t probe_len[2]; /* first bytes, until the protocol is known */
	uint8_t probe[2][APP_PROBE_MAX];
	void *app[2];
	void *det; /* detect.c per-flow state */
};

struct flow_limits {
	uint32_t max; /* flows held at once */
	int64_t new_us; /* timeout before the connection is established */
	int64_t est_us; /* established */
	int64_t closed_us; /* after FIN/RST */
	int64_t udp_us; /* UDP and other protocols */
};

typedef void (*flow_end_fn)(void *arg, struct flow *);

struct flow_table;
struct flow_table *flow_table_new(
    const struct flow_limits *, uint64_t *ctr, flow_end_fn, void *arg);
/* Frees the table; every flow still in it is ended (FLOW_END_SHUTDOWN). */
void flow_table_free(struct flow_table *);
/* Find or make the flow of a decoded packet; sets p->flow and p->dir.
 * NULL if the packet has no 5-tuple or memory ran out (counted). */
struct flow *flow_get(struct flow_table *, struct sc_pkt *);
/* Flow ids are first, first + step, ... (workers: unique across them). */
void flow_table_set_ids(struct flow_table *, uint64_t first, uint64_t step);
/* End flows idle past their timeout at packet time now_us. */
void flow_expire(struct flow_table *, int64_t now_us);
size_t flow_count(const struct flow_table *);

/* ---- app-layer parsers (app_*.c) ------------------------------------- */

enum app_proto {
	APP_UNKNOWN = 0,
	APP_HTTP,
	APP_DNS,
	APP_TLS,
	APP_FAILED, /* looked at, none fit */
	APP_MAX
};
const char *app_proto_name(int);

/* Sticky buffers an app-layer transaction can offer. */
enum app_buf {
	ABUF_HTTP_URI,
	ABUF_HTTP_HOST,
	ABUF_HTTP_METHOD,
	ABUF_HTTP_UA,
	ABUF_DNS_QUERY,
	ABUF_TLS_SNI,
	ABUF_HTTP_STAT_CODE, /* responses: "200" */
	ABUF_HTTP_STAT_MSG, /* "OK" */
	ABUF_HTTP_CTYPE, /* Content-Type value */
	ABUF_RAW, /* the transaction's own bytes (request, message) */
	ABUF_MAX
};

struct app_tx {
	const uint8_t *buf[ABUF_MAX];
	size_t len[ABUF_MAX];
	uint8_t dir; /* direction it was seen in */
	uint8_t partial; /* 1: more of this transaction will follow */
	uint8_t response; /* an HTTP response (http.stat_code ...) */
	uint64_t id; /* per direction, from 1; 0: a one-shot transaction */
};

typedef void (*app_tx_fn)(void *arg, const struct app_tx *);

/* Guess the protocol from the first bytes of a direction. */
int app_detect(const uint8_t *, size_t, int is_udp, uint16_t sport,
    uint16_t dport, int to_server);

/* HTTP/1.x requests from a to-server byte stream (app_http.c), and
 * responses from the to-client one: a response parser is paired with the
 * flow's request parser (req) and matches its responses to the requests
 * in order (the n-th final response answers the n-th request). */
struct http_parser;
struct http_parser *http_parser_new(size_t line_max, uint64_t *ctr);
struct http_parser *http_response_parser_new(
    size_t line_max, uint64_t *ctr, struct http_parser *req);
/* The transaction with this id, if still known (the last HTTP_TX_KEEP
 * requests are); from the request parser. */
#define HTTP_TX_KEEP 8
const struct sensor_http *http_parser_tx(
    const struct http_parser *req, uint64_t id);
/* The id of the parser's current (last started) request or response. */
uint64_t http_parser_txid(const struct http_parser *);
void http_parser_free(struct http_parser *);
/* Feed stream bytes; calls fn once per complete request (headers). */
void http_parser_feed(
    struct http_parser *, const uint8_t *, size_t, app_tx_fn, void *arg);
void http_parser_gap(struct http_parser *);
/* Flush a request whose headers never finished (flow end). */
void http_parser_end(struct http_parser *, app_tx_fn, void *arg);
/* Normalise a request URI into out (at most outlen): percent-decoding of
 * unreserved bytes, "//" -> "/", "/./" and "/x/../" removal. */
size_t http_normalize_uri(
    const uint8_t *in, size_t len, uint8_t *out, size_t outlen);

/* DNS (app_dns.c): the first query name of a message, dotted, lowercase
 * kept as sent.  Returns name length or -1 if malformed. */
int dns_query_name(
    const uint8_t *msg, size_t len, char *out, size_t outlen, uint16_t *flags);
/* TCP DNS: 2-byte length framing over a direction's byte stream. */
struct dns_tcp;
struct dns_tcp *dns_tcp_new(uint64_t *ctr);
void dns_tcp_free(struct dns_tcp *);
void dns_tcp_feed(
    struct dns_tcp *, const uint8_t *, size_t, int dir, app_tx_fn, void *arg);
void dns_tcp_gap(struct dns_tcp *);
/* One datagram: calls fn with the query name (and raw message). */
int dns_udp_message(
    const uint8_t *, size_t, int dir, uint64_t *ctr, app_tx_fn, void *arg);

/* TLS (app_tls.c): ClientHello SNI from the records of a byte stream. */
struct tls_parser;
struct tls_parser *tls_parser_new(uint64_t *ctr);
void tls_parser_free(struct tls_parser *);
void tls_parser_feed(
    struct tls_parser *, const uint8_t *, size_t, app_tx_fn, void *arg);
void tls_parser_gap(struct tls_parser *);
/* Parse one complete handshake message body of a ClientHello (type 1);
 * sets *sni (pointing into msg) or leaves it NULL. -1 if malformed. */
int tls_client_hello_sni(
    const uint8_t *msg, size_t len, const uint8_t **sni, size_t *snilen);

/* ---- the sensor (sensor.c) and its stages ---------------------------- */

#include "sensor/sensor.h"

struct detect;
struct eve;
struct slog;
struct capture;

struct sensor {
	struct sensor_config cfg;
	const struct ruleset *rs;
	uint64_t ctr[CTR_MAX];
	struct sensor_decoder dec;
	struct flow_table *flows;
	struct stream_ctx sctx;
	struct detect *det;
	struct eve *eve;
	struct slog *slog;
	struct capture *cap;
	sensor_alert_fn alert_fn;
	void *alert_arg;
	uint64_t pcap_cnt;
	int64_t last_ts;
	volatile int stop;
	/* test hooks: every transaction and every run of stream bytes */
	void (*tx_hook)(void *, const struct sc_pkt *, const struct app_tx *);
	void (*stream_hook)(void *, const struct flow *, int dir,
	    const uint8_t *, size_t, int gap);
	void *hook_arg;
	/* the packet being processed (stream/app callbacks need it) */
	struct sc_pkt *cur;
	/* worker threads (workers.c): the root sensor owns the capture,
	 * the outputs and mt; each worker is a sensor of its own with
	 * root pointing back (its alerts go to the root's outputs) */
	struct sensor *root;
	struct sensor_mt *mt;
	int worker_idx;
};

/* ---- worker threads (workers.c) -------------------------------------- */

struct sensor_mt;
struct pcap_pkthdr;

/* The worker count a config asks for (0: online CPUs, capped). */
int sensor_workers_resolve(int workers);
/* Start n worker sensors and their threads under root.  -1 on failure. */
int mt_start(struct sensor *root, int n);
/* Stop and join the threads, free the workers (their flows end). */
void mt_stop(struct sensor *root);
/* Capture thread: hand one packet to the worker its addresses pick. */
void mt_dispatch(struct sensor *root, int linktype, const struct pcap_pkthdr *,
    const uint8_t *data);
/* Publish partial batches (live: idle or periodic); tick also lets every
 * worker expire its flows at the latest packet time. */
void mt_publish(struct sensor *root, int tick);
/* Publish and wait until every worker has processed all it was given. */
void mt_sync(struct sensor *root);
size_t mt_nworkers(const struct sensor *root);
struct sensor *mt_worker(const struct sensor *root, size_t i);
/* Outputs lock (held around alert callback, EVE and syslog). */
void mt_lock(struct sensor *root);
void mt_unlock(struct sensor *root);
/* Symmetric hash of a raw packet's IP address pair (0: not IP). */
uint32_t mt_hash(int linktype, const uint8_t *, size_t);

/* One decoded packet through flows, reassembly, app layer and detection.
 * The caller fills raw/caplen/wirelen/ts_us/linktype.  Only for a sensor
 * without worker threads (cfg.workers 1) or a worker itself. */
void sensor_packet(struct sensor *, struct sc_pkt *);

/* Raise an alert on packet p: the caller filled the rule's fields of a
 * (sid, gid, rev, msg, classtype, severity); the packet's are added here
 * and the alert goes to the callback, EVE and the collector. */
void sensor_emit(struct sensor *, const struct sc_pkt *, struct sensor_alert *);

/* detect.c: the firing model over the rules API. */
struct detect *detect_new(const struct ruleset *, struct sensor *);
void detect_free(struct detect *);
void detect_flow_end(struct detect *, struct flow *);
/* New in-order stream bytes of p's flow in p's direction. */
void detect_stream(
    struct detect *, struct sc_pkt *, const uint8_t *, size_t, int gap);
/* A complete app-layer transaction seen while processing p. */
void detect_tx(struct detect *, struct sc_pkt *, const struct app_tx *);
/* Packet rules for p, after its stream bytes and transactions. */
void detect_packet(struct detect *, struct sc_pkt *);

/* output_eve.c */
void sensor_fmt_addr(const struct addr *, char *out, size_t len);
const char *sensor_proto_name(int proto); /* "TCP", or NULL */
struct eve *eve_open(const char *path, char *err, size_t errlen);
void eve_close(struct eve *);
void eve_flush(struct eve *); /* live capture: every poll interval */
struct eve *eve_from_file(FILE *); /* borrowed stream */
void eve_alert(struct eve *, const struct sensor_alert *);
void eve_flow(struct eve *, const struct sensor *, const struct flow *);

/* output_syslog.c */
struct slog *slog_new(
    const struct sensor_config *, uint64_t *ctr, char *err, size_t errlen);
void slog_free(struct slog *);
void slog_alert(struct slog *, const struct sensor_alert *);
/* Try to send what is spooled (non-blocking); called per packet batch. */
void slog_pump(struct slog *);
/* Format one alert as an RFC 5424 message (no framing); returns length
 * or 0 if it did not fit. */
size_t slog_format(const struct sensor_alert *, const char *sensor_name,
    const char *hostname, char *out, size_t outlen);

#endif
