/*
 * rules_int.h — what the files of rules/ share: the rule object, the
 * parser's state, the compiled set.  Not for use outside rules/.
 */
#ifndef SC_RULES_INT_H
#define SC_RULES_INT_H

#include <pthread.h>
#include <stdint.h>
#include <time.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <hs/hs.h>
#include <pcre2.h>

#include "rules/rules.h"

#define RULE_VAR_DEPTH 8 /* $A -> $B -> ... */
#define RULE_TEXT_MAX (64 * 1024) /* one rule, continuation lines joined */
#define RULE_ELEMS_MAX 64 /* content + pcre per rule */
#define RULE_LIST_MAX 1024 /* entries of one address/port list */
#define RULE_PROGRAMS_MAX 32
#define RULE_XBITS_MAX 8
#define RULE_META_MAX 32
#define RULE_PARSE_IP_MAX 16 /* parse_src_ip: N */

/* An address or port list: a tree of entries, negation on any node. */
enum rule_node_kind { NODE_ANY, NODE_CIDR, NODE_PORTS, NODE_LIST };

struct rule_node {
	uint8_t kind;
	uint8_t neg;
	uint16_t plen; /* NODE_CIDR, in the 128-bit space */
	struct addr a; /* NODE_CIDR */
	uint16_t lo, hi; /* NODE_PORTS */
	struct rule_node *kids; /* NODE_LIST */
	size_t nkids;
};

enum rule_elem_kind { ELEM_CONTENT, ELEM_PCRE };

#define ELEM_NEG 0x01
#define ELEM_NOCASE 0x02
#define ELEM_FAST 0x04 /* fast_pattern */
#define ELEM_RELATIVE 0x08 /* distance/within given, or pcre R */
#define ELEM_HAS_OFFSET 0x10
#define ELEM_HAS_DEPTH 0x20
#define ELEM_HAS_DISTANCE 0x40
#define ELEM_HAS_WITHIN 0x80

struct rule_elem {
	uint8_t kind;
	uint8_t buf; /* enum rule_buf */
	uint16_t flags;
	uint8_t *pat; /* content bytes */
	size_t patlen;
	int32_t offset, depth, distance, within;
	int32_t fp_off, fp_len; /* fast_pattern:off,len; fp_len 0: whole */
	char *re_src; /* the pattern between the slashes */
	uint32_t re_opts; /* PCRE2_* */
	unsigned hs_flags; /* HS_FLAG_* equivalent of re_opts */
	pcre2_code *re;
};

#define META_NOCASE 0x01
#define META_NEG 0x02

struct rule_meta_content {
	uint8_t flags;
	char **values; /* each with %sagan% replaced by a value */
	size_t nvalues;
};

enum rule_track { TRACK_NONE, TRACK_SRC, TRACK_DST, TRACK_BOTH, TRACK_USER };
enum rule_thr_type { THR_NONE, THR_LIMIT, THR_THRESHOLD, THR_BOTH };

struct rule_threshold {
	uint8_t type; /* enum rule_thr_type; THR_NONE: absent */
	uint8_t track;
	uint8_t distinct_user; /* after: count distinct user names */
	uint8_t regular; /* after: gap tolerance in percent, 0 off */
	char sum_key[32]; /* after: add the message's KEY=N, not 1 */
	uint32_t count;
	uint32_t seconds;
};

enum rule_xbit_op { XB_SET, XB_UNSET, XB_ISSET, XB_ISNOTSET };

struct rule_xbit {
	uint8_t op;
	uint8_t track; /* TRACK_SRC, TRACK_DST, TRACK_BOTH */
	char **names; /* `a&b` (all) or `a|b` (any) */
	size_t nnames;
	int any; /* 1 for `|` */
	uint32_t expire; /* seconds, for set */
};

struct rule_kv {
	char *key;
	char *value;
};

#define RULE_F_LOGKW 0x01 /* uses a log-only keyword */
#define RULE_F_PKTKW 0x02 /* uses a packet-only keyword */

struct rule {
	size_t idx;
	uint32_t sid, gid, rev;
	int priority;
	char *msg, *classtype;
	struct rule_kv *meta;
	size_t nmeta;
	char *file;
	int line;
	char *text;
	unsigned kwflags; /* RULE_F_* */
	int is_log;

	/* header */
	uint8_t proto;
	uint8_t bidir;
	struct rule_node src, sport, dst, dport;

	/* content and pcre, in rule order */
	struct rule_elem *elems;
	size_t nelems;
	unsigned bufmask;
	int prefilter; /* index into elems, or -1 */
	int prefilter_is_pcre;
	/* no content or pcre literal: prefiltered on the values of its
	 * first non-negated meta_content instead (log rules) */
	int prefilter_meta;

	/* packet */
	unsigned flow;
	uint8_t dsize_op; /* 0 none, = < > l(<=) g(>=) ! -(a<>b) */
	uint32_t dsize_a, dsize_b;

	/* log */
	char **programs; /* globs, lower-cased */
	size_t nprograms;
	int facility, level; /* -1 any */
	struct rule_meta_content *metas;
	size_t nmetas;
	int parse_src, parse_dst; /* Nth address; 0 = the host */
	int parse_port;
	struct rule_threshold threshold, after;
	struct rule_xbit *xbits;
	size_t nxbits;
	/* alert_time: fire only on these weekdays (bit 0 Sunday) and
	 * between these HHMM (JST, may wrap past midnight); 0: always */
	uint8_t at_days;
	int16_t at_start, at_end;
};

struct ruleset {
	int refs; /* atomic */
	unsigned flags;
	struct rule **rules;
	size_t nrules;
	struct ruleset_stats stats;
	hs_database_t *db[RULE_BUF_COUNT][2]; /* [buf][block/stream] */
	/* unfiltered rules: packets by proto, logs in one list */
	const struct rule **unf_pkt[RULE_PROTO_COUNT];
	size_t nunf_pkt[RULE_PROTO_COUNT];
	/* the same, split by destination port: rules any port can meet, and
	 * (port, rule) pairs sorted by port for rules with a port list */
	const struct rule **unf_anyport[RULE_PROTO_COUNT];
	size_t nunf_anyport[RULE_PROTO_COUNT];
	uint16_t *unf_ports[RULE_PROTO_COUNT];
	const struct rule **unf_byport[RULE_PROTO_COUNT];
	size_t nunf_byport[RULE_PROTO_COUNT];
	const struct rule **unf_log; /* no literal and no program */
	size_t nunf_log;
	hs_database_t *progdb; /* no literal: prefilter on the program */
	uint32_t *dropped; /* rules whose pattern Hyperscan refused */
	size_t ndropped;
};

struct rule_scratch {
	const struct ruleset *rs;
	hs_scratch_t *hs;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
	/* candidates collected during one scan */
	uint32_t *cand;
	size_t ncand, capcand;
	uint8_t *seen; /* per rule, 1 if already a candidate */
	uint64_t pcre_errors;
	char user[64];
	/* the message folded to lower case, made once per message for the
	 * nocase meta_content checks (their values are folded at parse) */
	char *lower;
	size_t lowercap;
	const char *lower_of; /* the message it was made from, or NULL */
};

/* ---- parse.c ----------------------------------------------------------- */

struct rule_vars;

struct parse_ctx {
	const char *file;
	int line;
	uint32_t sid; /* pre-scanned, for messages */
	unsigned domain; /* RULESET_LOG / RULESET_PACKET */
	const struct rule_vars *vars;
	char err[512];
	enum rule_reject reason;
	size_t ignored; /* accepted-but-ignored keywords seen */
	/* state while reading options */
	int sticky; /* current sticky buffer, -1 none */
	struct rule_elem *last; /* last content/pcre, for modifiers */
	struct rule_meta_content *last_meta;
	const char *kw; /* the keyword being read */
	const char *next_kw; /* the one after it, or NULL */
};

/* Parse one rule (continuation lines joined, no comment).  Returns the
 * rule, or NULL with ctx->err and ctx->reason set. */
struct rule *rule_parse(struct parse_ctx *, const char *text);
void rule_free(struct rule *);
int rule_fail(struct parse_ctx *, enum rule_reject, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* header.c */
int rule_parse_header(struct parse_ctx *, struct rule *, const char *hdr);
void rule_node_free(struct rule_node *);
int rule_node_match_addr(const struct rule_node *, const struct addr *);
int rule_node_match_port(const struct rule_node *, uint16_t);

/* vars.c */
struct rule_vars *rule_vars_new(
    const struct rule_var *, size_t n, unsigned domain);
void rule_vars_free(struct rule_vars *);
const char *rule_vars_get(const struct rule_vars *, const char *name);
/* A canonical text of the vars for the cache key. */
char *rule_vars_text(const struct rule_vars *);

/* keywords.c: the option table */
int rule_parse_option(
    struct parse_ctx *, struct rule *, const char *kw, char *val);
int rule_finish(struct parse_ctx *, struct rule *);

/* content.c */
int rule_unescape_content(
    struct parse_ctx *, const char *val, uint8_t **out, size_t *len);
int rule_parse_pcre(struct parse_ctx *, struct rule_elem *, const char *val);
int rule_pcre_compile(struct parse_ctx *, struct rule_elem *);

/* confirm.c */
int rule_confirm_elems(const struct rule *, struct rule_scratch *,
    enum rule_buf, const uint8_t *, size_t);

/* scratch.c */
int rule_scratch_on_match(unsigned id, unsigned long long from,
    unsigned long long to, unsigned flags, void *ctx);
void rule_scratch_add(struct rule_scratch *, size_t id);
void rule_scratch_sort(struct rule_scratch *);
void rule_scratch_reset(struct rule_scratch *);
int rule_scratch_scan(
    struct rule_scratch *, enum rule_buf, const uint8_t *, size_t);

/* match_log.c */
int rule_find_addr(
    const char *s, size_t len, int nth, struct addr *out, uint16_t *port);

/* correlate.c */
int correlator_decide(struct correlator *, const struct rule *,
    struct rule_hit *, const char *dantai, int64_t now);

/* logline.c: one line of a log file for `rules test` and benchmarks. */
struct rule_logline {
	struct rule_logmsg m; /* points into the line and into host */
	struct addr host;
	int64_t ts_us; /* the line's own stamp, 0 if none */
};
int rule_logline_parse(
    const char *s, size_t len, int64_t ref_us, struct rule_logline *out);

/* compile_hs.c */
int ruleset_compile(struct ruleset *, const char *cache_dir,
    const char *keytext, size_t keylen);
/* Remove cache files (*.hsdb) neither among the newest RULE_CACHE_KEEP nor
 * used within RULE_CACHE_DAYS of now; run after each cache write. */
#define RULE_CACHE_KEEP 16
#define RULE_CACHE_DAYS 30
void rule_cache_prune(const char *dir, time_t now);

/* util */
char *rule_strtrim(char *);
int rule_parse_u32(const char *s, uint32_t *out);
int rule_parse_i32(const char *s, int32_t *out);
int rule_glob_match(const char *pat, const char *s, size_t slen);

#endif
