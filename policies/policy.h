/*
 * policy.h — the policy model: 団体 (municipalities), the tiers of the
 * three-tier separation (三層の対策), gateways, log sources, exceptions
 * (例外措置), retention and notification routes; tagging of addresses and
 * evaluation of flows against the flow matrix of DOMAIN.md §C.
 *
 * A policy is loaded from a file in the conf(5) grammar (common/conf.h; see
 * policies/example/ for a complete one), validated as a whole, and then
 * never changes: every lookup is lock-free and safe from any thread.  It is
 * reference-counted.  Reload builds a new policy beside the old one, swaps
 * the pointer the readers use, and drops the old reference; the old policy
 * is freed when its last user lets go:
 *
 *	struct policy *np = policy_load(path);   (NULL: errors printed, keep old)
 *	old = atomic_exchange(&current, np);
 *	policy_unref(old);
 *
 * Readers that may race a reload take their own reference for as long as
 * they hold pointers into the policy (policy_ref / policy_unref).  Every
 * pointer handed out below (struct policy_muni, policy_source, ...) lives
 * as long as the policy it came from.
 *
 * Tiers ("zones" in the matrix):
 *   M   マイナンバー利用事務系   the Our Number administration tier
 *   L   LGWAN接続系             the LGWAN-connected tier
 *   I   インターネット接続系     the internet-connected tier (municipal side)
 *   LG  LGWAN backbone and LGWAN-ASP
 *   SC  the prefectural security cloud (proxy, mail relay, DNS, FW)
 *   DMZ the hosted public web in the SC
 *   NET the internet: any global address not declared in the policy
 *   unknown: private or reserved space (RFC 1918, ULA, ...) not declared
 *   anywhere.  Flows touching it are not judged (verdict POLICY_V_UNKNOWN).
 *
 * Flows are judged from the initiator (src) to the responder (dst).  The
 * model applied is that of the source's 団体, or of the destination's when
 * the source belongs to none, or the prefecture's default model.
 */
#ifndef SC_POLICY_H
#define SC_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "common/addr.h"

struct policy;

/* ---- names and enumerations ---- */

enum policy_tier {
	POLICY_TIER_UNKNOWN = 0,
	POLICY_TIER_M, /* マイナンバー利用事務系 */
	POLICY_TIER_L, /* LGWAN接続系 */
	POLICY_TIER_I, /* インターネット接続系 */
	POLICY_TIER_LG, /* LGWAN / LGWAN-ASP */
	POLICY_TIER_SC, /* セキュリティクラウド */
	POLICY_TIER_DMZ, /* 公開Web (SC DMZ) */
	POLICY_TIER_NET, /* インターネット */
};
#define POLICY_TIER_COUNT 8

enum policy_model {
	POLICY_MODEL_ALPHA = 0, /* αモデル: terminals in L */
	POLICY_MODEL_ALPHA_PRIME, /* α′: L with limited cloud break-out */
	POLICY_MODEL_BETA, /* β: terminals in I */
	POLICY_MODEL_BETA_PRIME, /* β′: terminals and systems in I */
};
#define POLICY_MODEL_COUNT 4

enum policy_muni_type {
	POLICY_MUNI_PREFECTURE = 0, /* 都道府県 */
	POLICY_MUNI_CITY, /* 市 (and 特別区) */
	POLICY_MUNI_TOWN, /* 町 */
	POLICY_MUNI_VILLAGE, /* 村 */
	POLICY_MUNI_KOUIKI, /* 広域連合 */
	POLICY_MUNI_ICHIBU, /* 一部事務組合 */
};
#define POLICY_MUNI_TYPE_COUNT 6

/* Gateways: the hosts through which a G(x) cell of the matrix may pass,
 * and the allow-listed endpoints of the E(x) cells.  Used as bit masks
 * (1u << kind). */
enum policy_gw_kind {
	POLICY_GW_SANITISER = 0, /* 無害化 (file / mail) into L */
	POLICY_GW_SCREEN, /* 画面転送 / 仮想ブラウザ servers */
	POLICY_GW_FILEXFER, /* approved file hand-over system, L -> I */
	POLICY_GW_PROXY, /* SC web proxy */
	POLICY_GW_MAILRELAY, /* SC mail relay */
	POLICY_GW_RESOLVER, /* SC DNS resolver */
	POLICY_GW_LGWAN_EP, /* designated LGWAN endpoints (中間サーバー...) */
	POLICY_GW_TOKUTEI, /* approved 特定通信 destinations */
	POLICY_GW_CLOUD, /* α′: designated cloud services (LBO) */
	POLICY_GW_WAF, /* SC WAF / CDN front of the DMZ */
};
#define POLICY_GW_COUNT 10

/* Display names; every function returns a static string, "?" when out of
 * range.  _jp is the Japanese label shown first in the UI and reports, _en
 * the English one, _short the code used in the policy language and logs
 * ("M", "alpha'", "sanitiser", "city"). */
const char *policy_tier_short(enum policy_tier);
const char *policy_tier_jp(enum policy_tier);
const char *policy_tier_en(enum policy_tier);
const char *policy_model_short(enum policy_model);
const char *policy_model_jp(enum policy_model); /* "αモデル", "α′モデル" */
const char *policy_model_en(enum policy_model);
const char *policy_muni_type_short(enum policy_muni_type);
const char *policy_muni_type_jp(enum policy_muni_type);
const char *policy_gw_short(enum policy_gw_kind);
const char *policy_gw_jp(enum policy_gw_kind);
/* Parse the policy-language spellings back (case-insensitive; models also
 * accept α, α′, β, β′ and alpha', beta'); 0 or -1. */
int policy_tier_parse(const char *, enum policy_tier *);
int policy_model_parse(const char *, enum policy_model *);
int policy_muni_type_parse(const char *, enum policy_muni_type *);
int policy_gw_parse(const char *, enum policy_gw_kind *);

/* Severities S1 (緊急) .. S5 (情報) are the ints 1..5. */
const char *policy_severity_jp(int sev); /* "緊急" ... */
const char *policy_severity_en(int sev); /* "critical" ... */

/*
 * 全国地方公共団体コード (DOMAIN.md §G): 6 ASCII digits whose last is the
 * mod-11 check digit of the first five (weights 6,5,4,3,2; digit =
 * (11 - sum % 11) % 10).  policy_muni_code_valid() is 1 for a well-formed
 * code with the right check digit, 0 otherwise (NULL, length, non-digit,
 * prefecture part outside 01..47, wrong digit).
 * policy_muni_check_digit() takes the 5-digit JIS X 0402 form and returns
 * its check digit 0..9, or -1 if it is not 5 digits.
 */
int policy_muni_code_valid(const char *code);
int policy_muni_check_digit(const char *code5);

/* ---- the objects a policy declares (read-only for users) ---- */

struct policy_muni {
	char code[7]; /* 団体コード, 6 digits + NUL */
	const char *name; /* 名称 as declared, UTF-8 */
	enum policy_muni_type type;
	enum policy_model model;
	uint32_t index; /* 0..policy_muni_count()-1 */
};

struct policy_source {
	const char *name; /* unique in the policy */
	const char *type; /* parser hint: "fortigate", "postfix", ... */
	struct addr addr;
	int64_t interval_s; /* silence longer than this: GL-LOG-01 */
	const struct policy_muni *muni; /* NULL: an SC-owned source */
	enum policy_tier tier; /* the tier the address sits in */
	uint32_t index;
	int relay; /* `relay yes`: a trusted relay (rsyslog...); the
		    * collector tags its lines by their HOSTNAME */
	/* `relay-for CODE,...`: the other 団体 a 団体's relay may also tag
	 * lines to (a joint 一部事務組合 relay); see policy_relay_may_tag */
	const struct policy_muni *const *relay_for;
	size_t nrelay_for;
};

#define POLICY_PORTS_MAX 8

struct policy_gateway {
	const char *name;
	enum policy_gw_kind kind;
	struct addr addr; /* prefix start */
	int plen; /* in the 128-bit space (v4: 96 + n) */
	uint8_t ipproto; /* 0: any */
	uint16_t ports[POLICY_PORTS_MAX]; /* service (dst) ports; none: any */
	size_t nports;
	const struct policy_muni *muni; /* NULL: shared by every 団体 */
	uint32_t index;
};

/* An exception (例外措置): a flow the matrix forbids, allowed for one
 * 団体 between endpoints until an expiry date, with a named owner. */
struct policy_exception {
	const char *id; /* "EXC-2026-003" */
	const char *owner; /* who approved / is accountable */
	const char *reason;
	const struct policy_muni *muni; /* NULL: any */
	struct addr src, dst; /* prefixes */
	int src_plen, dst_plen; /* 128-bit space; 0 with :: means any */
	uint8_t ipproto; /* 0: any */
	uint16_t ports[POLICY_PORTS_MAX]; /* dst ports; none: any */
	size_t nports;
	int64_t expires_us; /* end of the expiry day, JST, UTC us */
	uint32_t index;
};

/* Retention periods in seconds (0: not set, use the built-in default).
 * Defaults are DOMAIN.md §D.2: events 13 months, archive 5 years, pcap
 * 72 h, alerts/cases/reports 5 years. */
struct policy_retention {
	int64_t events_s;
	int64_t alerts_s;
	int64_t archive_s;
	int64_t pcap_s;
};

enum policy_channel {
	POLICY_CH_WEBHOOK = 0, /* HTTP POST of a JSON body */
	POLICY_CH_SYSLOG, /* RFC 5424 forward, udp:// or tcp:// */
};

/* A notification route: alerts of the severities in sev_mask (bit s for
 * S s) go to target through channel.  muni NULL: the SOC-wide routes,
 * applied to every 団体. */
struct policy_route {
	unsigned sev_mask; /* bit 1..5 */
	enum policy_channel channel;
	const char *target; /* URL, or udp://host:port / tcp://host:port */
	const struct policy_muni *muni;
	uint32_t index;
};

/* ---- loading and lifetime ---- */

/*
 * Read and validate a policy file.  Returns a policy with one reference, or
 * NULL after printing every error as "file:line: message" on stderr (all of
 * them, not only the first).  policy_load_string() does the same for text
 * in memory (`name` is used in messages).  Config-time: allocates with
 * xmalloc.
 */
struct policy *policy_load(const char *path);
struct policy *policy_load_string(
    const char *name, const char *text, size_t len);
struct policy *policy_ref(struct policy *);
void policy_unref(struct policy *); /* NULL is a no-op */

/*
 * The policy in force, for a process that reloads it (SIGHUP, web admin
 * action): readers take a reference with policy_slot_get() and drop it with
 * policy_unref() when done with the event; policy_slot_set() puts a new
 * policy in place (taking over the caller's reference) and drops the
 * slot's reference to the old one, which is freed when its last reader
 * lets go.  The mutex is held only for the pointer copy and the count.
 */
struct policy_slot;
struct policy_slot *policy_slot_new(struct policy *initial);
struct policy *policy_slot_get(struct policy_slot *); /* ref'd, or NULL */
void policy_slot_set(struct policy_slot *, struct policy *p);
void policy_slot_free(struct policy_slot *); /* drops its reference */

/* ---- declarations, for reports and the UI ---- */

const char *policy_path(const struct policy *); /* file it came from */
const char *policy_prefecture_name(const struct policy *);
const char *policy_prefecture_code(const struct policy *); /* 6 digits */
enum policy_model policy_default_model(const struct policy *);

size_t policy_muni_count(const struct policy *);
const struct policy_muni *policy_muni_at(const struct policy *, size_t i);
const struct policy_muni *policy_muni_by_code(
    const struct policy *, const char *code);

size_t policy_source_count(const struct policy *);
const struct policy_source *policy_source_at(const struct policy *, size_t);
const struct policy_source *policy_source_by_name(
    const struct policy *, const char *name);

size_t policy_gateway_count(const struct policy *);
const struct policy_gateway *policy_gateway_at(const struct policy *, size_t);

size_t policy_exception_count(const struct policy *);
const struct policy_exception *policy_exception_at(
    const struct policy *, size_t);

/* The periods for a 団体 (its own block overrides the policy-wide ones,
 * which override the built-in defaults; every field comes back set).
 * muni NULL: the policy-wide values. */
void policy_retention_for(const struct policy *, const struct policy_muni *,
    struct policy_retention *out);

/* The routes for an alert of severity sev (1..5) about a 団体 (NULL: none
 * known): the SOC-wide routes, then the 団体's own.  Fills up to max
 * pointers into out and returns how many routes there are in total. */
size_t policy_routes_for(const struct policy *, const struct policy_muni *,
    int sev, const struct policy_route **out, size_t max);
size_t policy_route_count(const struct policy *);
/* The notifier's settings from the policy's notify-options block (unset
 * fields 0: the notifier's defaults).  ca_file is left NULL. */
struct notify_config;
void policy_notify_config(const struct policy *, struct notify_config *out);
const struct policy_route *policy_route_at(const struct policy *, size_t);

/* ---- tagging ---- */

struct policy_tag {
	const struct policy_muni *muni; /* NULL: no 団体 */
	enum policy_tier tier;
	const struct policy_source *source; /* NULL: not a declared source */
	const struct policy_gateway *gateway; /* NULL: not a gateway */
	int plen; /* length of the matching prefix, -1 if none */
};

/*
 * Tag an address: one longest-prefix lookup (a binary search over the
 * flattened prefixes, no allocation, well under a microsecond).  Always
 * fills *out; returns 1 if the address was declared somewhere in the
 * policy, 0 if not (tier NET or UNKNOWN).
 */
int policy_tag(
    const struct policy *, const struct addr *, struct policy_tag *out);

/*
 * Relay scope: may the source `relay` (declared `relay yes`) tag a line as
 * coming from the host the policy tagged as *origin?  A relay owned by the
 * security cloud (muni NULL: declared in the cloud block at an address in
 * no 団体's ranges) may tag to any 団体 and to the cloud's own sources; a
 * relay owned by a 団体 only to that 団体's own sources and ranges, and
 * to those of the 団体 named by its `relay-for` — never to another 団体
 * nor to the cloud.  1 if it may, 0 if not (also when relay is not a
 * relay).
 */
int policy_relay_may_tag(
    const struct policy_source *relay, const struct policy_tag *origin);

/*
 * Tag a received message (common/event.h) by its sending host: fills
 * ev->muni and ev->tier, and sets SC_EV_UNKNOWN_SOURCE when the peer is
 * not a declared source.  Returns the source, or NULL.
 */
struct sc_event;
const struct policy_source *policy_tag_event(
    const struct policy *, struct sc_event *ev);

/* ---- flow evaluation ---- */

/* What a matrix cell says (DOMAIN.md §C.2 legend). */
enum policy_cell {
	POLICY_CELL_A = 0, /* allowed (still logged) */
	POLICY_CELL_D, /* forbidden */
	POLICY_CELL_G, /* only through gateway(s) cell_gw */
	POLICY_CELL_E, /* only to allow-listed endpoints (cell_gw kinds) */
};

enum policy_verdict_kind {
	POLICY_V_ALLOWED = 0, /* A cell */
	POLICY_V_VIA_GATEWAY, /* G/E cell satisfied by verdict.gateway */
	POLICY_V_EXCEPTION, /* not allowed by the matrix; exception in force */
	POLICY_V_FORBIDDEN, /* D cell: violation */
	POLICY_V_NEEDS_GATEWAY, /* G/E cell not satisfied: violation */
	POLICY_V_EXCEPTION_EXPIRED, /* would need an exception that has
				       expired: GL-EXC-01 */
	POLICY_V_UNKNOWN, /* an endpoint's tier is unknown: not judged */
};

struct policy_verdict {
	enum policy_verdict_kind kind;
	int violation; /* 1: raise an alert (use_case, severity) */
	const char *use_case; /* "GL-SEP-01".."GL-SEP-05", "GL-EXC-01",
				 "GL-NET-02"; NULL when no violation */
	int severity; /* 1..5; 0 when no violation */
	enum policy_model model; /* the model whose matrix was applied */
	const struct policy_muni *muni; /* the 団体 it is attributed to */
	struct policy_tag src, dst;
	enum policy_cell cell;
	unsigned cell_gw; /* G/E cells: the gateway kinds allowed (mask) */
	const struct policy_gateway *gateway; /* the one passed, if any */
	const struct policy_exception *exception; /* matched, if any */
	/* The matrix cell as evidence, static text, e.g.
	 * "αモデル L→I: D 直接通信禁止 (G: 画面転送, ファイル受渡し)". */
	const char *cell_text;
};

/*
 * Judge one flow, src (initiator) -> dst, ports in host order, ipproto as
 * in IP (6 tcp, 17 udp, 0 unknown), when_us the flow's time (UTC us; used
 * for exception expiry).  Always fills *v and never allocates; returns 1 if
 * the verdict is a violation, 0 if not.
 */
int policy_eval_flow(const struct policy *, const struct addr *src,
    uint16_t sport, const struct addr *dst, uint16_t dport, uint8_t ipproto,
    int64_t when_us, struct policy_verdict *v);

/*
 * A flow that the firewall logged as denied/dropped did not happen: a
 * violation verdict becomes an attempt, severity S4 (monthly report), with
 * the same use case and cell.  Call after policy_eval_flow when the log
 * says the flow was blocked.
 */
void policy_verdict_blocked(struct policy_verdict *v);

/* Short names of verdict kinds: "allowed", "via-gateway", "exception",
 * "forbidden", "needs-gateway", "exception-expired", "unknown". */
const char *policy_verdict_name(enum policy_verdict_kind);

/*
 * Evidence line for an alert, e.g.
 *   "10.1.16.5:51000 -> 198.51.100.7:443/tcp 津架空市 (242012) L→NET:
 *    αモデル L→NET: D ...; needs gateway proxy"
 * Writes at most len bytes (NUL-terminated) and returns the length it
 * wanted (as snprintf).  Names from the policy are copied as they are;
 * escape for the place you show it.
 */
size_t policy_verdict_format(const struct policy_verdict *,
    const struct addr *src, uint16_t sport, const struct addr *dst,
    uint16_t dport, uint8_t ipproto, char *out, size_t len);

/*
 * Fill an alert (common/event.h, origin SC_ORIGIN_POLICY) from a violation
 * verdict, for the store and the notifier: gid 3, sid 9500001..9500005 for
 * GL-SEP-01..05, 9500101 for GL-EXC-01, 9500201 for GL-NET-02; msg names
 * the use case in Japanese; muni and tier are those of the attributed
 * 団体's side; the evidence line (policy_verdict_format) is written into
 * evbuf, which the alert points to.  Returns 0, or -1 if v is not a
 * violation (out untouched).
 */
struct sc_alert;
#define POLICY_ALERT_GID 3
int policy_verdict_alert(const struct policy_verdict *v, const struct addr *src,
    uint16_t sport, const struct addr *dst, uint16_t dport, uint8_t ipproto,
    int64_t now_us, char *evbuf, size_t evlen, struct sc_alert *out);

/* The matrix as data, for the UI and the tests: the cell for a model and
 * a pair of tiers (never UNKNOWN), with its gateway mask and text. */
enum policy_cell policy_matrix_cell(enum policy_model, enum policy_tier from,
    enum policy_tier to, unsigned *gw_mask, const char **text);

/* ---- firewall logs (policies/fw_*.c) ---- */

enum fw_action {
	FW_ACTION_UNKNOWN = 0,
	FW_ACTION_ALLOW, /* accept / permit / built / allow / close */
	FW_ACTION_DENY, /* drop / deny / reject / block / teardown-denied */
};

/* A flow as a firewall logged it.  Every field but src/dst may be
 * missing: ports 0, ipproto 0, action UNKNOWN, time_us 0. */
struct fw_flow {
	struct addr src, dst;
	uint16_t sport, dport;
	uint8_t ipproto;
	enum fw_action action;
	int64_t time_us; /* from the log body if it carries one, else 0 */
	uint64_t bytes; /* if given, else 0 */
	const char *vendor; /* static: "iptables", "fortigate", ... */
};

/*
 * Parse the message body of one firewall log line (after the syslog
 * header; a header in front is tolerated) into *out.  Returns 0 if a flow
 * with both addresses was found, -1 if not (out undefined).  Never
 * allocates, never reads past msg + len.  fw_parse() tries each vendor in
 * turn; ref_us is used for year-less stamps.
 */
int fw_parse_iptables(const char *msg, size_t len, struct fw_flow *out);
int fw_parse_fortigate(const char *msg, size_t len, struct fw_flow *out);
int fw_parse_asa(const char *msg, size_t len, struct fw_flow *out);
int fw_parse_panos(const char *msg, size_t len, struct fw_flow *out);
int fw_parse(const char *msg, size_t len, struct fw_flow *out);

/*
 * For a message from a firewall: parse its body with fw_parse() and judge
 * the flow (policy_eval_fw, the message's own time when it has one, else
 * its receive time).  Returns 1 if the flow is a violation, 0 if not, -1
 * if the body holds no flow.  *flow and *v are filled when >= 0.
 */
int policy_eval_event(const struct policy *, const struct sc_event *ev,
    struct fw_flow *flow, struct policy_verdict *v);

/* Evaluate a parsed firewall flow: policy_eval_flow, then
 * policy_verdict_blocked if the log says it was denied.  when_us is used
 * when the log carried no time. */
int policy_eval_fw(const struct policy *, const struct fw_flow *,
    int64_t when_us, struct policy_verdict *v);

/* ---- notifications (policies/notify*.c) ---- */

/*
 * A notifier sends alerts along the policy's routes (webhook: HTTP POST of
 * a JSON body through libevent's evhttp client, http or https; syslog:
 * RFC 5424 over UDP, or TCP with octet counting) from a thread of its own
 * with its own event loop.  notify_send() only appends to a bounded queue
 * and returns: a slow or dead receiver never stalls the caller, and when
 * the queue is full the notification is dropped, counted and logged as
 * dropped.  A failed delivery is retried with exponential backoff.
 *
 * Every notification ends in exactly one record handed to the sink (the
 * notification log): what, to whom, when, through which channel, the
 * result, and later the 団体's acknowledgement.  The sink runs on the
 * notifier's thread (or the caller's, for drops) and must not block for
 * long; the in-memory log below is the default until the store keeps it.
 */
struct notify;

struct notify_msg {
	int64_t ts_us; /* detection time */
	int severity; /* 1..5 */
	const char *muni_code; /* 6 digits, or NULL/"" if unknown */
	const char *muni_name; /* NULL: the route's, or notify_send's lookup */
	const char *use_case; /* "GL-SEP-01", may be NULL */
	const char *summary; /* one line */
	const char *detail; /* evidence, may be NULL */
	int64_t group_id, alert_id; /* store ids, 0 if none */
	uint32_t gid, sid, rev; /* the rule; sid 0: none */
	int reopened; /* the group was closed and fired again */
};

#define NOTIFY_TARGET_MAX 256
#define NOTIFY_SUMMARY_MAX 256
#define NOTIFY_RESULT_MAX 96

struct notify_record {
	uint64_t id; /* unique within the notifier */
	int64_t group_id, alert_id;
	char muni[7];
	int severity;
	enum policy_channel channel;
	char target[NOTIFY_TARGET_MAX];
	char summary[NOTIFY_SUMMARY_MAX];
	int64_t created_us; /* queued */
	int64_t sent_us; /* delivered, 0 if not */
	int attempts;
	char
	    result[NOTIFY_RESULT_MAX]; /* "ok", "failed: ...", "dropped: ..." */
	int64_t acked_us; /* 0 until acknowledged */
	char acked_by[64];
};

struct notify_sink {
	void (*record)(void *arg, const struct notify_record *);
	void *arg;
};

struct notify_config {
	size_t queue_max; /* notifications waiting or retrying; 0: 1024 */
	int max_attempts; /* 0: 6 */
	int64_t backoff_first_ms; /* 0: 1000; doubles per attempt */
	int64_t backoff_max_ms; /* 0: 300000 */
	int timeout_s; /* per attempt; 0: 10 */
	const char *ca_file; /* https: trusted CAs (PEM); NULL: system's */
};

struct notify_stats {
	uint64_t queued, sent, failed, dropped, retries;
};

/* Start the notifier thread.  cfg NULL: defaults.  The sink is copied.
 * Returns NULL (logged) if the thread or its loop cannot be set up. */
struct notify *notify_new(
    const struct notify_config *cfg, const struct notify_sink *sink);
/* Queue msg for every route of the policy matching its severity and
 * 団体.  Never blocks; returns how many notifications were queued (drops
 * are not counted in it).  Thread-safe. */
size_t notify_send(
    struct notify *, const struct policy *, const struct notify_msg *);
/* Queue one notification to an explicit route. Returns 0, or -1 if
 * dropped. */
int notify_send_route(
    struct notify *, const struct policy_route *, const struct notify_msg *);
void notify_get_stats(struct notify *, struct notify_stats *);
/* Wait up to timeout_ms for every queued notification to reach its
 * outcome (sent, or failed after its retries).  Returns how many are
 * still pending (0: drained).  Call before notify_free to stop gently. */
size_t notify_drain(struct notify *, int64_t timeout_ms);
/* Stop the thread; notifications still queued or waiting for a retry are
 * logged as "abandoned" and freed.  NULL is a no-op. */
void notify_free(struct notify *);

/* The in-memory notification log (bounded; the oldest records go first).
 * Thread-safe. */
struct notify_memlog;
struct notify_memlog *notify_memlog_new(size_t max);
void notify_memlog_free(struct notify_memlog *);
struct notify_sink notify_memlog_sink(struct notify_memlog *);
size_t notify_memlog_count(struct notify_memlog *);
/* Copy record i (0 = oldest kept) into *out; 0, or -1 if out of range. */
int notify_memlog_get(
    struct notify_memlog *, size_t i, struct notify_record *out);
/* Record the 団体's acknowledgement of notification id; 0, or -1 if the
 * record is not (or no longer) in the log. */
int notify_memlog_ack(
    struct notify_memlog *, uint64_t id, const char *by, int64_t when_us);

/* The notification log in the store (policies/notify_store.c): each
 * record becomes a row of the notifications table (queued, then its
 * result and acknowledgement), written through its own store connection
 * behind a mutex, so the sink may run on any thread.  A record that cannot
 * be written is logged and counted, never retried in the notifier.
 * path: the store (seccloud.db), which must exist. */
struct notify_store;
struct notify_store *notify_store_open(
    const char *path, char *err, size_t errlen);
void notify_store_close(struct notify_store *); /* NULL is a no-op */
struct notify_sink notify_store_sink(struct notify_store *);
/* Records written and records lost to store errors. */
void notify_store_counts(
    struct notify_store *, uint64_t *written, uint64_t *failed);

/* The RFC 5424 line for a notification (no framing, no newline), as the
 * syslog channel sends it; returns the length (as snprintf). */
size_t notify_format_syslog(
    const struct notify_msg *, const char *hostname, char *out, size_t len);
/* The JSON body the webhook posts (malloc'd, NUL-terminated), or NULL. */
char *notify_format_json(
    const struct notify_msg *, const char *muni_name, uint64_t id);

/* ---- reports (policies/report*.c; DOMAIN.md §E) ---- */

/*
 * A report is first a model — plain structs filled from the store, the
 * archive and the policy — and then rendered as HTML (Japanese, A4 print
 * layout, JST dates, optional 和暦), CSV (UTF-8 with BOM, RFC 4180 quoting,
 * one row per fact with its section: for 監査調書 working papers) or JSON.
 * Strings in the model are borrowed from whoever filled it; every one of
 * them is escaped for the output format, since many came from logs.
 * Times are UTC us, 0 meaning "not yet" / unknown.
 */
enum report_format {
	REPORT_HTML = 0,
	REPORT_CSV,
	REPORT_JSON,
};
int report_format_parse(const char *, enum report_format *);

struct report_count {
	const char *key; /* use case, category, ... */
	uint64_t n;
};

struct report_incident {
	int64_t id;
	const char *muni; /* 団体コード (the audit pack lists every 団体) */
	int severity;
	const char *use_case;
	const char *summary;
	const char *host; /* affected host or user, pseudonymised */
	const char *action; /* recommended action */
	const char *channel; /* how the 団体 was told */
	const char *status; /* 団体 response status */
	int64_t detected_us, notified_us, acked_us, closed_us;
};

struct report_sep_finding {
	const char *use_case; /* GL-SEP-0x */
	const char *cell; /* the matrix cell broken */
	const char *evidence; /* reference: alert / archive record */
	uint64_t count;
	int64_t first_us, last_us;
};

struct report_source {
	const char *name, *type;
	double coverage_pct; /* share of the period with data */
	uint64_t silent_periods; /* GL-LOG-01 */
	int64_t longest_silence_s;
	double max_skew_s; /* GL-LOG-03; negative: no skew data */
	int64_t first_us, last_us;
	uint64_t messages;
	uint64_t parse_failures; /* lines that did not parse */
};

struct report_retention {
	const char *what; /* events, alerts, archive, pcap */
	int64_t policy_s;
	int64_t achieved_s; /* oldest data kept; 0 unknown */
	char note[192]; /* where the figure comes from, the last prune */
};

struct report_archive {
	int known; /* 0: no verification result for the period */
	int ok;
	uint64_t segments, bad_segments;
	int64_t verified_us;
	const char *detail;
};

struct report_monthly {
	char muni_code[7];
	const char *muni_name;
	int year, month;
	int64_t from_us, to_us; /* [from, to) in JST month boundaries */
	const char *soc; /* issuing SOC */
	const char *version;
	int64_t generated_us;
	uint64_t by_sev[6]; /* [1..5] */
	const struct report_count *by_use_case;
	size_t nby_use_case;
	const struct report_incident *incidents;
	size_t nincidents;
	const struct report_sep_finding *sep;
	size_t nsep;
	const struct report_source *sources;
	size_t nsources;
	const struct report_retention *retention;
	size_t nretention;
	struct report_archive archive;
	int64_t sla_notify_s[6]; /* time-to-notify target per severity */
	const struct report_contact *contacts; /* annex: who is told how */
	size_t ncontacts;
	const char *note; /* shown under the header, may be NULL */
};

struct report_timesync {
	const char *source;
	double median_skew_s, max_skew_s; /* negative: no data */
	uint64_t over_warn, over_crit; /* > 2 s, > 60 s */
};

struct report_user {
	const char *name, *role;
	int privileged;
	int64_t created_us, last_login_us;
};

struct report_login {
	int64_t ts_us;
	const char *user, *addr, *result;
};

struct report_change {
	int64_t ts_us;
	const char *user, *kind, *what, *sha256, *detail;
};

struct report_exception {
	const char *id, *muni_code, *muni_name, *owner, *reason;
	int64_t expires_us;
	int expired; /* at the end of the period */
	uint64_t uses_after_expiry; /* GL-EXC-01 alerts, if known */
};

struct report_audit {
	const char *prefecture;
	int64_t from_us, to_us, generated_us;
	const struct report_source *inventory; /* log inventory */
	size_t ninventory;
	const struct report_retention *retention;
	size_t nretention;
	struct report_archive archive; /* integrity proof */
	/* incident-handling records: detection -> notification ->
	 * acknowledgement -> closure, every 団体 (§E.2 item 6) */
	const struct report_incident *incidents;
	size_t nincidents;
	int64_t sla_notify_s[6];
	const struct report_timesync *timesync;
	size_t ntimesync;
	const struct report_user *users;
	size_t nusers;
	const struct report_login *logins;
	size_t nlogins;
	const struct report_change *changes;
	size_t nchanges;
	const struct report_exception *exceptions;
	size_t nexceptions;
	const struct report_sep_finding *sep; /* separation test summary */
	size_t nsep;
	const char *note;
};

/* Render into out (appended; out's bound applies).  wareki adds the 和暦
 * date beside each JST date in HTML.  0, or -1 if out is full. */
struct buf;
int report_monthly_render(const struct report_monthly *, enum report_format,
    int wareki, struct buf *out);
int report_audit_render(const struct report_audit *, enum report_format,
    int wareki, struct buf *out);

/* The exception register from the policy, as of `at`: fills up to max
 * rows and returns how many exceptions there are. */
size_t report_exceptions_from_policy(const struct policy *, int64_t at,
    struct report_exception *out, size_t max);
/* The retention rows (policy values; achieved left 0) for a 団体 (NULL:
 * policy-wide).  Fills 4 rows. */
void report_retention_from_policy(const struct policy *,
    const struct policy_muni *, struct report_retention out[4]);
/* The recommended action for an incident of a use case (Japanese, never
 * NULL), and the annex's definition of a severity 1..5. */
const char *report_action_for(const char *use_case);
const char *report_severity_definition(int sev);

/* A notification route as the annex's contact list shows it. */
struct report_contact {
	const char *scope; /* "SOC 全体" or the 団体 name */
	const char *severities; /* "S1-S3" */
	const char *channel; /* "webhook", "syslog" */
	const char *target;
};
/* The routes that reach a 団体 (the SOC-wide ones and its own), into out
 * (up to max, with their severity text in sevbuf[i]); returns how many
 * there are. */
size_t report_contacts_from_policy(const struct policy *,
    const struct policy_muni *, struct report_contact *out, char (*sevbuf)[16],
    size_t max);

/* [from, to) of a JST calendar month "YYYY-MM"; 0 or -1. */
int report_month_range(const char *yyyymm, int *year, int *month,
    int64_t *from_us, int64_t *to_us);

#endif
