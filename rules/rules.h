/*
 * rules.h — the rule engine: the Snort/Suricata/Sagan rule language, its
 * compilation into Hyperscan databases (one per buffer kind) with PCRE2
 * confirmation, the match API used by the collector (log rules) and the
 * sensor (packet rules), and log correlation (threshold, after, xbits,
 * alert grouping).
 *
 * Life cycle.  ruleset_load() parses rule files, compiles them and returns
 * an immutable, reference-counted set.  Any number of threads may match
 * against it at once, each with its own struct rule_scratch (scratch is
 * per thread and per ruleset: allocate a new one after a reload).  Reload
 * builds the new set beside the old, swaps the pointer the workers read,
 * and drops the old reference; the old set is freed when its last user
 * calls ruleset_unref().  Every `const struct rule *` handed out stays
 * valid as long as the caller holds a reference to its ruleset.
 *
 * Two domains.  A set is loaded for logs (RULESET_LOG: the collector) or for
 * packets (RULESET_PACKET: the sensor).  A rule is a log rule if its proto
 * is `syslog` or it uses a log keyword (program, facility, level,
 * meta_content, parse_*, after, xbits, ...), a
 * packet rule if its proto is an app-layer one (http, dns, tls) or it uses
 * a packet keyword (flow, dsize, sticky buffers); a rule that says neither
 * (`alert any any any -> any any (content:"x"; sid:1;)`, as most of
 * sagan-rules do) belongs to the domain of the set being loaded.  Rules of
 * the other domain are kept, counted (stats.other_domain) and never match.
 *
 * Errors.  Each bad rule gives one line "file:line: sid N: reason" (sid 0
 * if none could be read), is skipped and counted by reason; with
 * RULESET_STRICT any bad rule makes ruleset_load() fail.
 *
 * Sagan semantics kept (measured against Sagan 1.2, bench/rules/): program
 * is an exact, case-sensitive name or a glob, `|` separating
 * alternatives; "after: count N" fires from the (N+1)th match within the
 * window of the first; threshold "limit" lets the first N through; a
 * parsed 127.0.0.1/::1 counts as no address.  Deliberate differences:
 * threshold also applies to matches that passed `after` (Sagan 1.2 ignores
 * it then), xbits isset by_src works after "set,NAME,EXPIRE" (Sagan 1.2
 * never fires it), unknown keywords reject the rule (Sagan ignores them).
 * Extensions: "after: track by_src, count N, seconds S, distinct username"
 * counts distinct user names (password spraying); "regular P" in after
 * counts only matches at a steady interval (beaconing: every gap within P
 * percent of the run's first gap; matches under 2 s apart are one beat, a
 * gap off the beat restarts the run from the previous match); track
 * by_username; "sum KEY" in after adds the number of the message's
 * "KEY=N" (or KEY="N") instead of 1, so count is a total (bytes);
 * threshold "type threshold"/"both" keep Snort's meaning; alert_time hours
 * are JST; xbits also in Suricata's "OP,NAME,track ip_src,expire N" form.
 *
 * Prefilter.  A rule's fast_pattern or longest positive content, else its
 * pcre when Hyperscan accepts it, is its pattern in the database of its
 * buffer; log rules with neither are prefiltered on their program (a
 * database of program globs); the rest are evaluated for every message or
 * packet of their protocol.
 */
#ifndef SC_RULES_H
#define SC_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "common/addr.h"

struct ruleset;
struct rule;
struct rule_scratch;
struct correlator;
struct hs_database;

/* ---- buffers and protocols ------------------------------------------- */

/*
 * The buffer a content or pcre looks at.  For logs only RULE_BUF_PAYLOAD
 * exists: the message text.  For packets it is the packet payload or the
 * reassembled stream; the others are the sensor's app-layer fields.
 */
enum rule_buf {
	RULE_BUF_PAYLOAD = 0,
	RULE_BUF_HTTP_URI,
	RULE_BUF_HTTP_HOST,
	RULE_BUF_HTTP_METHOD,
	RULE_BUF_HTTP_UA,
	RULE_BUF_DNS_QUERY,
	RULE_BUF_TLS_SNI,
	RULE_BUF_HTTP_STAT_CODE, /* responses: "404" */
	RULE_BUF_HTTP_STAT_MSG, /* responses: "Not Found" */
	RULE_BUF_HTTP_CTYPE, /* responses: the Content-Type value */
	RULE_BUF_COUNT
};
const char *rule_buf_name(enum rule_buf); /* "payload", "http.uri", ... */

enum rule_proto {
	RULE_PROTO_ANY = 0, /* `any` and `ip` */
	RULE_PROTO_SYSLOG,
	RULE_PROTO_TCP,
	RULE_PROTO_UDP,
	RULE_PROTO_ICMP,
	RULE_PROTO_HTTP, /* app layer: only on flows detected as such */
	RULE_PROTO_DNS,
	RULE_PROTO_TLS,
	RULE_PROTO_COUNT
};

/* flow: flags (rule_flow()) and the facts a packet gives (rule_packet). */
#define RULE_FLOW_TO_SERVER 0x01 /* also from_client */
#define RULE_FLOW_TO_CLIENT 0x02 /* also from_server */
#define RULE_FLOW_ESTABLISHED 0x04
#define RULE_FLOW_NOT_ESTABLISHED 0x08
#define RULE_FLOW_STATELESS 0x10
#define RULE_FLOW_ONLY_STREAM 0x20
#define RULE_FLOW_NO_STREAM 0x40

/* ---- loading --------------------------------------------------------- */

#define RULESET_LOG 0x01 /* domain: logs (collector) */
#define RULESET_PACKET 0x02 /* domain: packets (sensor) */
#define RULESET_STRICT 0x04 /* any bad rule fails the load */
#define RULESET_NO_CACHE 0x08 /* neither read nor write the cache */
#define RULESET_QUIET 0x10 /* do not log each bad rule (still counted) */

/* Reasons a rule is rejected; ruleset_stats.rejected[] is indexed by it. */
enum rule_reject {
	RULE_REJ_SYNTAX = 0, /* malformed header or option list */
	RULE_REJ_UNKNOWN_KEYWORD,
	RULE_REJ_UNSUPPORTED, /* a real keyword we deliberately refuse */
	RULE_REJ_BAD_VALUE, /* a keyword's argument is wrong */
	RULE_REJ_BAD_PCRE, /* PCRE2 refused it */
	RULE_REJ_NO_SID,
	RULE_REJ_DUP_SID,
	RULE_REJ_BAD_VAR, /* undefined $VAR or bad address/port */
	RULE_REJ_COUNT
};
const char *rule_reject_name(enum rule_reject);

struct rule_var {
	const char *name; /* without '$': "HOME_NET" */
	const char *value; /* "[10.0.0.0/8,192.168.0.0/16]", "80", "any" */
};

struct ruleset_opts {
	unsigned flags; /* RULESET_* */
	/* Variables for $NAME in headers; the caller's array, read during
	 * ruleset_load() only.  Missing HOME_NET, EXTERNAL_NET, HTTP_PORTS and
	 * the other Suricata defaults are filled in (rule_default_vars()). */
	const struct rule_var *vars;
	size_t nvars;
	/* Directory for compiled databases (created if missing), or NULL for
	 * no cache.  Entries are keyed by SHA-256 of the rule text, the vars,
	 * the domain and hs_version(). */
	const char *cache_dir;
	/* If set, called for each rejected rule instead of logging it (the
	 * strings are valid during the call only). */
	void (*on_error)(void *arg, const char *file, int line, uint32_t sid,
	    enum rule_reject, const char *reason);
	void *on_error_arg;
};

struct ruleset_stats {
	size_t files;
	size_t loaded; /* rules in the set (both domains) */
	size_t other_domain; /* loaded but of the other domain */
	size_t rejected; /* sum of rejected_by[] */
	size_t rejected_by[RULE_REJ_COUNT];
	size_t ignored_keywords; /* uses of accepted-but-ignored keywords */
	size_t pcre; /* pcre options in loaded rules */
	size_t pcre_hs; /* of those, accepted by Hyperscan as is */
	size_t pcre_hs_prefilter; /* accepted only with HS_FLAG_PREFILTER */
	size_t prefiltered; /* rules with a Hyperscan pattern */
	size_t unfiltered; /* rules without: evaluated by index */
	size_t db_bytes; /* serialised size of all databases */
	int cache_hit; /* 1 if the databases came from the cache */
	double compile_ms;
};

/*
 * Load and compile rule files (each path a file; "-" is not accepted).
 * Returns a set with one reference, or NULL if nothing could be built (a
 * file could not be read, strict mode saw a bad rule, Hyperscan failed);
 * the reasons were logged.  *stats (may be NULL) is filled either way.
 */
struct ruleset *ruleset_load(const char *const *paths, size_t npaths,
    const struct ruleset_opts *, struct ruleset_stats *stats);
/* The same from text in memory ("name" is used in messages). */
struct ruleset *ruleset_load_string(const char *name, const char *text,
    const struct ruleset_opts *, struct ruleset_stats *stats);

struct ruleset *ruleset_ref(struct ruleset *); /* returns its argument */
void ruleset_unref(struct ruleset *); /* NULL is a no-op */
const struct ruleset_stats *ruleset_stats(const struct ruleset *);

/* The defaults for a domain: for RULESET_PACKET Suricata's (HOME_NET
 * RFC 1918, EXTERNAL_NET !$HOME_NET, HTTP_PORTS 80, ...), for RULESET_LOG
 * Sagan's (HOME_NET and EXTERNAL_NET any, SSH_PORT 22, ...).  Static
 * storage; *n receives the count. */
const struct rule_var *rule_default_vars(unsigned domain, size_t *n);

/* Scratch for one thread and one set.  NULL on allocation failure. */
struct rule_scratch *rule_scratch_new(const struct ruleset *);
void rule_scratch_free(struct rule_scratch *);
/* PCRE2 resource errors (match or depth limit, JIT stack) met with this
 * scratch since it was made: each was taken as no match.  0 for NULL. */
uint64_t rule_scratch_pcre_errors(const struct rule_scratch *);

/* ---- a rule ----------------------------------------------------------- */

size_t ruleset_count(const struct ruleset *);
/* The rule with this index (0 .. count-1), or NULL.  Hyperscan match ids
 * are rule indices (see ruleset_hs_db()). */
const struct rule *ruleset_rule(const struct ruleset *, size_t idx);
const struct rule *ruleset_find_sid(
    const struct ruleset *, uint32_t gid, uint32_t sid);

size_t rule_index(const struct rule *);
uint32_t rule_sid(const struct rule *);
uint32_t rule_gid(const struct rule *); /* 1 unless gid: says otherwise */
uint32_t rule_rev(const struct rule *);
int rule_priority(const struct rule *); /* 0 if none given */
const char *rule_msg(const struct rule *); /* never NULL ("" if none) */
const char *rule_classtype(const struct rule *); /* NULL if none */
/* The first value of a metadata key ("guideline", "usecase", "tier"), or
 * NULL.  metadata: guideline 2-6-5, usecase GL-INT-03; */
const char *rule_metadata(const struct rule *, const char *key);
const char *rule_file(const struct rule *); /* where it was read */
int rule_line(const struct rule *);
const char *rule_text(const struct rule *); /* the rule as written */
enum rule_proto rule_proto(const struct rule *);
int rule_is_log(const struct rule *); /* 1 log rule, 0 packet rule */
unsigned rule_flow(const struct rule *); /* RULE_FLOW_* it requires */
/* Bit (1u << RULE_BUF_x) for every buffer a content/pcre of it inspects. */
unsigned rule_buffers(const struct rule *);
/* The buffer its Hyperscan pattern lives in, or -1 if it has none (then
 * it is on the unfiltered lists below). */
int rule_prefilter_buf(const struct rule *);
/* The literal of a content prefilter (the fast_pattern content, or its
 * off,len slice, else the longest positive content) and its length; NULL
 * if the rule is prefiltered otherwise or not at all. */
const uint8_t *rule_prefilter_literal(const struct rule *, size_t *len);

/* Header: src/sport/dst/dport against the address and port lists, with
 * negation and `<>` (either direction).  1 match, 0 no.  NULL addresses
 * match only `any`. */
int rule_match_header(const struct rule *, const struct addr *src,
    uint16_t sport, const struct addr *dst, uint16_t dport);
/* dsize: 1 if the rule has no dsize or the payload size satisfies it. */
int rule_match_dsize(const struct rule *, size_t dsize);
/* flow: 1 if the packet's RULE_FLOW_* facts satisfy the rule. */
int rule_match_flow(const struct rule *, unsigned pkt_flow);

/*
 * Confirm every content and pcre of the rule that inspects `buf`, over
 * data[0..len), with Snort's semantics: offset/depth from the start,
 * distance/within and pcre R relative to the end of the previous match in
 * the same buffer, negated contents and pcre, nocase; backtracking over
 * earlier matches when a later relative one fails.  A rule with nothing in
 * `buf` confirms (1).  Returns 1 match, 0 no match, -1 on a PCRE2 resource
 * error (counted in the scratch; treat as no match).  data is only read
 * during the call.
 */
int rule_confirm(const struct rule *, struct rule_scratch *, enum rule_buf buf,
    const uint8_t *data, size_t len);

/* ---- Hyperscan, for callers that scan themselves (the sensor) ---------- */

#define RULE_HS_BLOCK 0
#define RULE_HS_STREAM 1 /* only for RULE_BUF_PAYLOAD */

/*
 * The compiled database of one buffer kind (a `hs_database_t *`), or NULL
 * if no rule of the set's domain has a pattern there.  Owned by the set.
 * Match ids are rule indices (ruleset_rule()); a match only names a
 * candidate, which must then pass header, flow, dsize and rule_confirm()
 * for each buffer in rule_buffers().  The scratch below fits every
 * database of the set.  Block databases report each rule at most once per
 * scan (HS_FLAG_SINGLEMATCH); the stream database reports every match end,
 * so a stream keeps naming its candidates packet after packet.  The
 * caller opens, scans and closes its own streams (hs_open_stream ...).
 */
const struct hs_database *ruleset_hs_db(
    const struct ruleset *, enum rule_buf, int mode);
struct hs_scratch *rule_scratch_hs(struct rule_scratch *);

/*
 * Rules without any Hyperscan pattern, for packets by proto (RULE_PROTO_ANY
 * gives those whose header says any/ip; callers also look at the tcp/udp/
 * icmp and app-layer lists that apply).  Owned by the set.
 */
const struct rule *const *ruleset_unfiltered_packet(
    const struct ruleset *, enum rule_proto, size_t *n);
/*
 * The same rules split by destination port, so a packet meets only those
 * that can match its port: the ones any port can meet (`any`, negated
 * lists, `<>` headers, ranges wider than 1024 ports) and the ones whose
 * destination-port list holds dport.  Together, for each dport, they are
 * the rules of ruleset_unfiltered_packet whose header can accept it.
 */
const struct rule *const *ruleset_unfiltered_anyport(
    const struct ruleset *, enum rule_proto, size_t *n);
const struct rule *const *ruleset_unfiltered_port(
    const struct ruleset *, enum rule_proto, uint16_t dport, size_t *n);

/* ---- matching logs (collector) --------------------------------------- */

/* The message as the collector parsed it; every pointer is the caller's
 * and only read during the call. */
struct rule_logmsg {
	const char *msg; /* the message text, after the syslog header */
	size_t msglen;
	const char *program; /* tag ("sshd", "postfix/smtpd"); NULL none */
	size_t programlen;
	int facility; /* 0..23, or -1 unknown */
	int level; /* severity 0..7, or -1 unknown */
	const struct addr *host; /* the sending host; NULL unknown */
	int64_t recv_us; /* receive time: correlation windows use it */
	const char *dantai; /* 団体 code (6 digits) or NULL */
};

struct rule_hit {
	const struct rule *rule; /* valid while the set is referenced */
	struct addr src, dst; /* parse_src_ip/parse_dst_ip or the host */
	int has_src, has_dst;
	uint16_t sport, dport; /* parse_port, else 0 */
	const char *username; /* parsed user or NULL; valid during the call */
	uint64_t amount; /* after ... sum KEY: the message's KEY=N, else 0 */
	/* Alert grouping (sid, 団体, src, dst), filled when a correlator is
	 * used: the group's count including this hit and its first/last seen
	 * (receive time, us).  group_new is 1 on the first hit of a group. */
	uint64_t group_count;
	int64_t group_first_us, group_last_us;
	int group_new;
};

/* Called once per firing rule; return non-zero to stop matching. */
typedef int (*rule_hit_cb)(void *ctx, const struct rule_hit *);

/*
 * Match one log message: program/facility/level, contents, pcre,
 * meta_content, header against the parsed addresses, then (if corr is
 * not NULL) xbits, after and threshold.  Rules that pass fire cb in rule
 * order.  Returns the number of hits, or -1 if the scratch could not be
 * used (counted; nothing fired).  Without a correlator, correlated rules
 * fire on every match and xbits conditions are taken as false.
 */
int ruleset_match_log(const struct ruleset *, struct rule_scratch *,
    struct correlator *corr, const struct rule_logmsg *, rule_hit_cb cb,
    void *ctx);

/* ---- matching packets (sensor) ------------------------------------------ */

struct rule_packet {
	enum rule_proto proto; /* TCP, UDP, ICMP, or ANY for other IP */
	enum rule_proto alproto; /* HTTP, DNS, TLS once known, else ANY */
	const struct addr *src, *dst;
	uint16_t sport, dport;
	unsigned flow; /* RULE_FLOW_* facts of this packet */
	size_t dsize; /* payload bytes of this packet */
	/* Each present buffer; NULL means absent (a rule that needs it does
	 * not match).  Caller's memory, read during the call. */
	const uint8_t *buf[RULE_BUF_COUNT];
	size_t len[RULE_BUF_COUNT];
};

/*
 * Match everything present in one packet or transaction: prefilter every
 * buffer, then confirm header, flow, dsize and every buffer of each
 * candidate; also evaluate the unfiltered rules of this proto.  Each fully
 * matching rule fires once.  Returns hits or -1 (scratch failure).  The
 * caller decides the firing model (per packet, buffer rules per
 * transaction) by what it puts in `pkt`.
 */
int ruleset_match_packet(const struct ruleset *, struct rule_scratch *,
    const struct rule_packet *, rule_hit_cb cb, void *ctx);

/* ---- correlation (logs) ------------------------------------------------ */

struct correlator_limits {
	size_t max_entries; /* threshold/after/xbits/group entries; 0: 256k */
};

struct correlator_stats {
	uint64_t entries; /* live now */
	uint64_t evicted; /* LRU evictions since creation */
	uint64_t suppressed; /* hits withheld by threshold/after */
	uint64_t xbits_set;
};

/*
 * State kept across messages and across reloads (keyed by gid:sid, not by
 * rule pointer).  Thread-safe (one internal lock); memory is bounded by
 * max_entries, the least recently used entry is evicted first and counted.
 */
struct correlator *correlator_new(const struct correlator_limits *);
void correlator_free(struct correlator *);
void correlator_get_stats(struct correlator *, struct correlator_stats *);

/* ---- helpers for tools --------------------------------------------------- */

/* Sagan's facility/level names ("auth", "local7"; "info", "warning") to
 * numbers, or -1. */
int rule_facility_code(const char *name);
int rule_level_code(const char *name);

#endif
