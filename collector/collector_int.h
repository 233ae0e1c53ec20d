/*
 * collector_int.h — what the collector's files share: framing, counters,
 * tagging, batches and the queue to the writer, the archive writer, the
 * listeners and the daemon's configuration.  Not for other folders.
 *
 * Threads: N UDP workers and one stream worker (TCP, TLS, unix) each run
 * their own event_base; they frame, parse and tag into the batch they own,
 * and hand full (or old) batches to the one writer thread through a
 * bounded queue.  The writer archives, stores, checks source health and
 * gives the batch back.  Nothing on this path allocates per message.
 */
#ifndef SC_COLLECTOR_INT_H
#define SC_COLLECTOR_INT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/collector.h"
#include "common/event.h"

/* ---- framing (frame.c) ---------------------------------------------- */

enum { FRAME_DETECT = 0, FRAME_OCTET, FRAME_LF };

struct framer {
	size_t max; /* frame-max */
	int drop_oversize; /* drop instead of truncating */
	int mode; /* FRAME_* */
	size_t skip; /* rest of an oversize counted frame */
	int skip_lf; /* rest of an oversize LF frame */
	uint64_t truncated, dropped_oversize, bad_count;
};

/* Gets each frame (a view valid during the call); 0, or -1 to stop. */
typedef int (*frame_fn)(void *arg, const uint8_t *p, size_t n, uint32_t fl);

void framer_init(struct framer *, size_t max, int drop_oversize);
/*
 * Deliver the complete frames in buf[0..len) (all of it when eof) and
 * return the bytes consumed; the caller keeps the rest for next time.
 */
size_t framer_scan(struct framer *, const uint8_t *buf, size_t len, int eof,
    frame_fn, void *arg);

/* ---- counters (counters.c) ------------------------------------------ */

enum ctr {
	CTR_RX_UDP,
	CTR_RX_TCP,
	CTR_RX_TLS,
	CTR_RX_UNIX,
	CTR_RX_BYTES,
	CTR_PARSED_5424,
	CTR_PARSED_3164,
	CTR_UNPARSED,
	CTR_TRUNCATED,
	CTR_BAD_COUNT,
	CTR_UNKNOWN_SRC,
	CTR_RELAYED,
	CTR_RELAY_UNMATCHED,
	CTR_RELAY_DENIED,
	CTR_DROP_UDP_QUEUE,
	CTR_DROP_OVERSIZE,
	CTR_DROP_CONN_LIMIT,
	CTR_DROP_CONN_LIMIT_ADDR,
	CTR_DROP_CONN_BUFFER,
	CTR_DROP_TLS_HANDSHAKE,
	CTR_DROP_ARCHIVE,
	CTR_ARCHIVED,
	CTR_SEGMENTS_SEALED,
	CTR_STORED_BATCHES,
	CTR_STORED_EVENTS,
	CTR_STORE_ERRORS,
	CTR_ALERTS_HEALTH,
	CTR_ALERTS_RULES,
	CTR_ALERTS_SENSOR,
	CTR_SENSOR_BAD,
	CTR_CONNS_OPEN,
	CTR_CONNS_TOTAL,
	CTR_CLOSED_PEER,
	CTR_CLOSED_IDLE,
	CTR_CLOSED_ERROR,
	CTR_CLOSED_TLS_HANDSHAKE,
	CTR_CLOSED_CONN_BUFFER,
	CTR_CLOSED_STOP,
	CTR_NOTIFY_QUEUED,
	CTR_NOTIFY_SENT,
	CTR_NOTIFY_FAILED,
	CTR_NOTIFY_DROPPED,
	CTR_RULES_LOADED,
	CTR_RULES_REJECTED,
	CTR_RULES_RELOAD_FAILED,
	CTR_RULES_MATCH_ERRORS,
	CTR_RULES_UNMATCHED,
	CTR_RULES_PCRE_ERRORS,
	CTR_RULES_CORR_EVICTED,
	CTR_RULES_CORR_ENTRIES,
	CTR_ALERTS_STORE_ERRORS,
	CTR_MAX
};
struct ctr_name {
	const char *stage, *name;
};
extern const struct ctr_name ctr_names[CTR_MAX];
extern uint64_t collector_ctr[CTR_MAX]; /* atomics */

static inline void
ctr_add(enum ctr c, uint64_t n)
{
	__atomic_fetch_add(&collector_ctr[c], n, __ATOMIC_RELAXED);
}
/* For the gauges (rules/loaded, rules/correlator-entries, ...). */
static inline void
ctr_set(enum ctr c, uint64_t v)
{
	__atomic_store_n(&collector_ctr[c], v, __ATOMIC_RELAXED);
}
static inline uint64_t
ctr_get(enum ctr c)
{
	return __atomic_load_n(&collector_ctr[c], __ATOMIC_RELAXED);
}
/* "received=N parsed=N unparsed=N dropped=N archived=N stored=N" */
size_t ctr_summary(char *out, size_t len);

/* ---- alerts from our sensors (sensor_alert.c) ------------------------ */

struct store;
struct batch;
/* True if the event is a sensor alert (APP-NAME seccloud-sensor with an
 * alert@32473 element). */
int collector_is_sensor_alert(const struct sc_event *);
/* Fill al from a sensor alert; the strings and evidence go into the
 * caller's buffers.  0, or -1 if the element lacks a sid or msg. */
int collector_sensor_alert(const struct sc_event *, struct sc_alert *al,
    char *msg, size_t msglen, char *cls, size_t clslen, uint8_t *payload,
    size_t paylen, char *extra, size_t extralen);
/* Store the batch's sensor alerts; returns how many were stored. */
size_t collector_sensor_alerts(struct batch *, struct store *);

/* ---- notifications (notify_hook.c) ----------------------------------- */

/*
 * The notifier of the collector: started with the store at dbpath as its
 * notification log, attached to the writer's store (one notification per
 * group the committed transaction created or reopened, along the routes of
 * the current tagger's policy), told about policy reloads, and stopped
 * with a bounded drain.  Its outcomes are the CTR_NOTIFY_* counters.
 */
struct notify_hook;
struct notify_stats;
struct tagger;
struct notify_hook *notify_hook_start(const char *dbpath,
    const struct tagger *(*tagger)(void *), void *arg, char *err,
    size_t errlen);
void notify_hook_attach(struct notify_hook *, struct store *);
void notify_hook_reload(struct notify_hook *);
void notify_hook_stats(struct notify_hook *, struct notify_stats *);
void notify_hook_stop(struct notify_hook *, int64_t timeout_ms); /* NULL ok */

/* ---- tagging (tag.c) ------------------------------------------------- */

/* What the policy says about one source address. */
struct tag_source {
	struct addr addr;
	int plen;
	char muni[SC_MUNI_LEN];
	enum sc_tier tier;
	char name[64];
	char type[32];
	int64_t interval_s; /* expected interval; 0: not checked */
};

struct tagger;
/*
 * Load the policy at path (policies/policy.h); path NULL gives an empty
 * tagger (every source unknown).  NULL with err set (the policy's own
 * errors are printed by the loader).
 */
struct tagger *tagger_load(const char *path, char *err, size_t errlen);
/*
 * Reference counted: tagger_load gives one reference, tagger_ref takes
 * another (thread-safe), tagger_free and tagger_unref drop one and the
 * last frees it.  tagger_serial is unique per load (never reused, unlike
 * an address): "is this still the tagger I saw".
 */
void tagger_free(struct tagger *);
const struct tagger *tagger_ref(const struct tagger *);
void tagger_unref(const struct tagger *);
uint64_t tagger_serial(const struct tagger *);
/* The declared source at addr, or NULL. Thread-safe. */
const struct tag_source *tagger_lookup(
    const struct tagger *, const struct addr *);
size_t tagger_count(const struct tagger *);
/* The policy behind it (valid while the tagger lives), or NULL. */
struct policy;
const struct policy *tagger_policy(const struct tagger *);
const struct tag_source *tagger_at(const struct tagger *, size_t i);
/* Tag ev from its peer address: 団体, tier; SC_EV_UNKNOWN_SOURCE when
 * the address is not a declared source.  When the peer is a source
 * declared `relay yes`, the line's HOSTNAME chooses the tags instead if
 * tagger_relay_origin() resolves it: SC_EV_RELAYED is set and ev->origin
 * is the originating host (counted tagged/relayed; tagged/relay-unmatched
 * when it does not resolve and the relay's own tags stay).  An origin out
 * of the relay's scope (policy_relay_may_tag: a 団体's relay tags only to
 * its own 団体 and its relay-for ones) keeps the relay's tags, sets
 * SC_EV_RELAY_DENIED with ev->origin the claimed host, and is counted
 * tagged/relay-denied. */
void tag_event(const struct tagger *, struct sc_event *);
/* Resolve a relayed line's HOSTNAME host[0..len) (not NUL-terminated; any
 * bytes): the declared source of that name (ASCII case-insensitive; a name
 * declared twice but for case resolves to nothing), else an address that
 * is a declared source or lies in a 団体's ranges.  1 with *origin (the
 * source's address, or the parsed one) and *out filled, or 0. */
struct policy_tag;
int tagger_relay_origin(const struct tagger *, const char *host, size_t len,
    struct addr *origin, struct policy_tag *out);
/* The host an event's source health and tags are of: the originating
 * host of a relayed line, else the sender. */
static inline const struct addr *
ev_source_addr(const struct sc_event *ev)
{
	return (ev->flags & SC_EV_RELAYED) ? &ev->origin : &ev->peer;
}

/* ---- batches and the queue (pipeline.c) ------------------------------ */

/* A rule that fired on event ev of a batch (detect.c). */
struct det_hit;

struct batch {
	struct sc_event *ev;
	size_t nev, maxev;
	uint8_t *arena; /* frames are copied here */
	size_t used, cap;
	int64_t opened_us; /* monotonic, when the first event came */
	/* the rule engine's verdicts (detect.c), kept until the writer
	 * stores them: the hits point into rs, referenced by the batch */
	int matched;
	struct ruleset *rs;
	struct det_hit *hits;
	size_t nhits, caphits;
	struct batch *next;
};

struct pipeline;

struct pipeline_conf {
	size_t batch_max; /* events per batch */
	size_t arena; /* bytes per batch */
	size_t queue_max; /* batches in flight */
	int64_t batch_age_us;
};

struct pipeline *pipeline_new(const struct pipeline_conf *);
void pipeline_free(struct pipeline *);
/*
 * An empty batch for a worker.  wait: block until one is free (stream
 * workers: backpressure); otherwise NULL when the queue is full (UDP:
 * the caller drops and counts).
 */
struct batch *pipeline_get(struct pipeline *, int wait);
/* Hand a batch to the writer (empty ones go straight back). */
void pipeline_submit(struct pipeline *, struct batch *);
/*
 * A stage between the workers and the writer (the rule engine's thread):
 * fn is called for every submitted batch, in submission order, on a
 * thread of its own, before the writer gets the batch.  Call before the
 * first submit; 0 or -1 (no thread: the writer gets the batches as they
 * are).  The thread stops when the pipeline is closed and drained.
 */
int pipeline_stage_start(
    struct pipeline *, void (*fn)(void *arg, struct batch *), void *arg);
/* After pipeline_closed() is true: wait for the stage's thread to end. */
void pipeline_stage_join(struct pipeline *);
/* Writer: the next full batch, or NULL after timeout_us or at shutdown. */
struct batch *pipeline_next(struct pipeline *, int64_t timeout_us);
void pipeline_release(struct pipeline *, struct batch *);
/* No more batches will be submitted: the writer drains and stops. */
void pipeline_close(struct pipeline *);
int pipeline_closed(struct pipeline *);

/* Where a frame came from, and how to read and tag it. */
struct ingress {
	struct addr peer;
	uint16_t port;
	uint8_t transport; /* 'u', 't', 's', 'x' */
	int64_t recv_us;
	const struct tagger *tagger;
	int tzoff;
};

/*
 * Append one frame to b: copy it into the arena, parse, tag, count.
 * Returns the event, or NULL if the batch is full (submit, take another).
 */
struct sc_event *batch_add(struct batch *, const uint8_t *p, size_t n,
    uint32_t flags, const struct ingress *);

/* ---- detection plug point (detect.c) --------------------------------- */

/*
 * RULE ENGINE PLUG POINT.  collector_detect_match() matches every event
 * of a batch against the loaded rule set and keeps the hits in the batch;
 * it runs on the pipeline's stage thread (pipeline_stage_start), so
 * matching overlaps the writer's archive and store work.  The writer then
 * calls collector_detect_batch() after the archive has given every event
 * its ref and inside the store transaction: it judges firewall lines
 * against the policy and records every hit as an alert with
 * store_alert_insert() (matching the batch first if no stage did).
 * Returns the number of alerts.
 */
struct store;
struct detect;
/* Load the rule files (settings' rules and vars; cache under datadir).
 * NULL if the set did not load (a rule file that cannot be read, a bad
 * rule with rules-strict, Hyperscan refusing the set: each reason was
 * logged as file:line: sid N: reason) or on allocation failure: the
 * collector refuses to start.  Without rules-strict bad rules are skipped
 * and counted (rules/rejected). */
struct settings;
struct detect *collector_detect_new(
    const struct settings *, const char *datadir);
/* Reload (SIGHUP, main thread): build beside the old one and swap.  -1
 * (counted in rules/reload-failed, logged) keeps the previous set. */
int collector_detect_reload(
    struct detect *, const struct settings *, const char *datadir);
void collector_detect_free(struct detect *);
void collector_detect_match(struct detect *, struct batch *);
size_t collector_detect_batch(
    struct detect *, struct batch *, struct store *, const struct tagger *);
/* Forget a batch's hits and its reference on their set (batch reuse). */
void collector_detect_release(struct batch *);

/* ---- archive writer (archive.c) -------------------------------------- */

struct archive;
struct archive *archive_open(
    const char *datadir, int tzoff, char *err, size_t errlen);
/* Append events as one zstd frame, setting each ev->archive. 0 or -1. */
int archive_append(struct archive *, struct sc_event *ev, size_t n);
int archive_sync(struct archive *);
/* Seal the open segment (if any records) and close. */
void archive_close(struct archive *);
/* Seal segments past max bytes or a JST day boundary. */
int archive_maybe_rotate(struct archive *, int64_t now_us);

/* Internal read side shared by archive_read.c, verify and search. */
/*
 * Record header (archive_read.c has the layout): version 0 (byte 13 = 0,
 * before session 3) is 42 bytes; version 1 adds the origin address (16
 * bytes, zero unless the record is relayed or relay-denied) after muni.
 * Readers take both; writers write ARCHIVE_REC_VERSION.
 */
#define ARCHIVE_REC_HDR_V0 42
#define ARCHIVE_REC_HDR_V1 58
#define ARCHIVE_REC_VERSION 1
#define ARCHIVE_REC_HDR ARCHIVE_REC_HDR_V1
/*
 * Each data frame is preceded by a zstd skippable frame (decompressors
 * skip it; it is part of the sealed bytes, so the hash covers it) saying
 * which records the data frame holds:
 *   u32 ARCHIVE_INDEX_MAGIC, u32 16, "scix", u64 first record, u32 count
 * (little endian).  archive_fetch() walks these and decompresses only the
 * frame holding the record; segments written before them are scanned.
 */
#define ARCHIVE_INDEX_MAGIC 0x184D2A53U
#define ARCHIVE_INDEX_FRAME 24
#define ARCHIVE_SEG_MAX (256ULL * 1024 * 1024)
struct seg_reader;
struct seg_reader *seg_reader_open(const char *path, uint64_t segment);
/* 1 and the next record (views valid until the next call), 0 at the end,
 * -1 on corruption (a torn last frame reads as the end with *torn set). */
int seg_reader_next(struct seg_reader *, struct archive_record *);
/* Skip, by the index frames and without decompressing, the frames before
 * the one holding record (stops early where a frame has no index). */
void seg_reader_skip_to(struct seg_reader *, uint64_t record);
int seg_reader_torn(const struct seg_reader *);
/* File offset just past the last complete frame read so far. */
size_t seg_reader_good_end(const struct seg_reader *);
void seg_reader_close(struct seg_reader *);

/* Segment file names: DATADIR/archive/YYYY-MM-DD.SSSSSSSSSSSSSSSS.zst */
int archive_seg_path(const char *datadir, uint64_t seg, char *out, size_t len);
int archive_manifest_path(const char *datadir, char *out, size_t len);

/* One line of MANIFEST. */
struct manifest_entry {
	int pruned; /* a "prune" line */
	uint64_t segment;
	char day[11];
	uint64_t records, bytes;
	int64_t first_us, last_us;
	char sha256[65];
	char chain[65];
	int line;
};
extern const char *const manifest_genesis; /* chain before the first */
/* Read MANIFEST, checking the chain; *out malloc'd (free it).  0; -1 with
 * err; -2 with err when the chain breaks (the entries before the break are
 * returned). */
int manifest_read(const char *datadir, struct manifest_entry **out, size_t *n,
    char *err, size_t errlen);
/* The same, with the segment number of the line whose chain breaks in
 * *bad_segment when it returns -2 (bad_segment may be NULL). */
int manifest_read_ex(const char *datadir, struct manifest_entry **out,
    size_t *n, uint64_t *bad_segment, char *err, size_t errlen);
/*
 * The MANIFEST lock (archive_head.c): flock on MANIFEST itself, exclusive
 * for whoever appends (the writer's seal, `archive prune`), shared for
 * reading it together with the store's chain head (verify).  Returns the
 * fd to give back to manifest_unlock, or -1 (logged; go on unlocked) —
 * a MANIFEST that does not exist yet is not created and gives -1.  Never
 * take it twice in one process: the second flock waits for the first.
 */
int manifest_lock(const char *datadir, int exclusive);
void manifest_unlock(int fd); /* -1 is a no-op */
/*
 * The chain head in the store (store_archive.h) against MANIFEST m[0..n),
 * both read under the MANIFEST lock.
 * archive_head_sync() moves the head forward to m[n-1] when the head is
 * on this chain (missing, or m[head.entries - 1] has its chain hash):
 * returns 1 (in step), 0 if there is no store to keep it in, -1 (err)
 * when the store's head is not on this chain — MANIFEST lines were cut or
 * rewritten — and then leaves the head alone, as the evidence.
 * archive_head_check() is the same test without writing: 1 matches (or
 * the head lags behind MANIFEST along its chain: a seal not yet
 * recorded), 0 no head kept (or no store), -1 with *bad (the first
 * segment that is gone or differs) and err.
 */
int archive_head_sync(const char *datadir, const struct manifest_entry *m,
    size_t n, char *err, size_t errlen);
int archive_head_check(const char *datadir, const struct manifest_entry *m,
    size_t n, uint64_t *bad, char *err, size_t errlen);
/* Append a line and return its chain hex.  prev: the previous chain. */
int manifest_append(
    const char *datadir, const char *prev_chain, struct manifest_entry *e);
int sha256_file(const char *path, char hex[65], uint64_t *bytes);

/* archive_verify (collector.h), with what it saw: segments checked in the
 * range, sealed segments held (not pruned) and the JST days of the oldest
 * and newest of them ("" if none; filled up to the first bad one). */
struct archive_verify_result {
	uint64_t checked, held, bad;
	char oldest_day[11], newest_day[11];
	int interrupted;
	int head; /* the store's chain head: 1 matched, 0 none kept */
};
int archive_verify_ex(const char *datadir, int64_t from_us, int64_t to_us,
    struct archive_verify_result *res, char *err, size_t errlen);
/* The store's record of one verification (rc and err from the run above),
 * made by `by`: the CLI and the daily check record the same way. */
struct store_archive_verification;
void archive_verification_of(struct store_archive_verification *v,
    const struct archive_verify_result *res, int rc, const char *err,
    int64_t from_us, int64_t to_us, const char *by);
/* The same, stopping early (-1, res->interrupted set) once *cancel is
 * non-zero; cancel may be NULL. */
int archive_verify_cancel(const char *datadir, int64_t from_us, int64_t to_us,
    const int *cancel, struct archive_verify_result *res, char *err,
    size_t errlen);

/*
 * The collector's daily check (archive_verify.c): a thread that, once per
 * JST day (checked every few minutes, and at start), verifies the
 * previous JST day's sealed segments unless the store already holds the
 * collector's run for that day, and records the result (by "collector").
 * It reads one day of the archive at a time and is cancelled at stop.
 */
struct archive_daily;
struct archive_daily *archive_daily_start(
    const char *datadir, const char *dbpath);
void archive_daily_stop(struct archive_daily *); /* NULL is a no-op */

/* ---- the writer thread (writer.c) ------------------------------------ */

struct writer_conf {
	struct pipeline *pipeline;
	struct archive *archive;
	struct store *store;
	struct detect *detect;
	/* the current tagger (it changes on SIGHUP): what it returns stays
	 * valid until the writer calls quiesce (between batches), which
	 * lets go of a replaced one; quiesce may be NULL */
	const struct tagger *(*tagger)(void *arg);
	void (*quiesce)(void *arg);
	void *arg;
	int64_t batch_age_us;
	int64_t stats_every_us; /* the periodic stats log line; 0: off */
};
struct writer;
struct writer *writer_start(const struct writer_conf *);
/* Wait for the writer to drain a closed pipeline and stop. */
void writer_join(struct writer *);

/* ---- the daemon (collector.c, listen_udp.c, listen_stream.c) ---------- */

#define COLLECTOR_LISTEN_MAX 16

struct listen_spec {
	char kind; /* 'u' udp, 't' tcp, 's' tls, 'x' unix */
	char host[256];
	char port[16];
	char path[108]; /* unix */
};

struct collector_conf {
	char datadir[4096];
	char policy[4096]; /* policy file (tag.c); "" none */
	struct settings *settings; /* rules, vars (owned) */
	char user[64];
	int tzoff;
	struct listen_spec listen[COLLECTOR_LISTEN_MAX];
	size_t nlisten;
	size_t frame_max;
	int drop_oversize;
	size_t conn_max;
	size_t conn_per_addr; /* connections-per-address (not unix) */
	int idle_sec;
	size_t conn_buffer;
	int tcp_rcvbuf; /* SO_RCVBUF of stream connections; 0: kernel's */
	int udp_rcvbuf;
	int udp_workers;
	size_t batch_max;
	int batch_age_ms;
	size_t queue;
	int stats_sec;
	char tls_cert[4096], tls_key[4096], tls_ca[4096];
	int tls_verify;
	int64_t skew_warn_ms, skew_crit_ms; /* GL-LOG-03 thresholds */
	char path[4096]; /* the file read ("" none): SIGHUP reads it again */
};

/*
 * What SIGHUP may change while the collector runs (collector_run.c):
 * the stream worker reads these for each new connection, the writer the
 * skew thresholds for each event.  Relaxed atomics; written by the main
 * thread only.
 */
struct collector_live {
	size_t conn_max, conn_per_addr, conn_buffer, frame_max;
	int idle_sec, tcp_rcvbuf, drop_oversize, tzoff;
	int64_t skew_warn_ms, skew_crit_ms;
};
extern struct collector_live collector_live;
#define LIVE_GET(field) __atomic_load_n(&collector_live.field, __ATOMIC_RELAXED)
#define LIVE_SET(field, v) \
	__atomic_store_n(&collector_live.field, (v), __ATOMIC_RELAXED)
/* Copy cf's reloadable values into collector_live. */
void collector_live_set(const struct collector_conf *);

struct collector; /* the running daemon */
/* Run until SIGTERM/SIGINT; 0 after a clean stop, 1 on startup errors,
 * 2 when the rules refuse the configuration (collector_detect_new). */
int collector_run(const struct collector_conf *);
/* Defaults from sc_limits.h, then the collector { } block of conf_path
 * (NULL: none).  0, or -1 after printing every error. */
int collector_conf_load(struct collector_conf *, const char *conf_path);
void collector_conf_free(struct collector_conf *);
/* "udp:127.0.0.1:5514", "tcp:[::1]:601", "tls::6514", "unix:/path" */
int collector_listen_parse(const char *, struct listen_spec *);

/* The state the listeners share with the daemon. */
struct worker_env {
	const struct collector_conf *conf;
	struct pipeline *pipeline;
	const struct tagger *(*tagger)(void *arg);
	void *arg;
};

struct udp_worker;
/* Bind (fd -1) or join the port of fd with SO_REUSEPORT.  -1 on error. */
int udp_bind(
    const struct listen_spec *, int rcvbuf, int *fd, char *err, size_t errlen);
struct udp_worker *udp_worker_start(const struct worker_env *, int fd);
void udp_worker_stop(struct udp_worker *);

struct stream_worker;
/* One thread for every TCP, TLS and unix listener and their connections. */
struct stream_worker *stream_worker_new(
    const struct worker_env *, char *err, size_t errlen);
/* Listen; *bound gets "host:port" (or the path) actually bound. */
int stream_worker_listen(struct stream_worker *, const struct listen_spec *,
    char *bound, size_t boundlen, char *err, size_t errlen);
int stream_worker_start(struct stream_worker *);
/* Stop reading, deliver buffered frames, submit the batch, join. */
void stream_worker_stop(struct stream_worker *);
/* SIGHUP: a new SSL_CTX from cf's cert, key and ca for the connections
 * accepted from now on.  1 replaced, 0 no TLS listener, -1 with err (the
 * previous one stays). */
int stream_worker_tls_reload(struct stream_worker *,
    const struct collector_conf *, char *err, size_t errlen);

/* ---- the store writes of the collector (store_sources.c) ------------- */

struct source_delta {
	char addr[ADDR_STRLEN];
	struct addr a;
	const struct tag_source *src; /* NULL: unknown */
	char muni[SC_MUNI_LEN]; /* from tagging, "" unknown */
	enum sc_tier tier;
	int64_t first_us, last_us;
	uint64_t messages, bytes, parse_failures;
	int64_t skew_last_ms, skew_max_ms; /* signed: source - receive */
	int has_skew;
	int64_t minute;
};
/* Upsert the source row and its minute; *id gets its id. 0 or -1. */
int store_source_seen(struct store *, const struct source_delta *, int64_t *id);
/* Declare a policy source (known=1, interval) so silence can be seen. */
int store_source_declare(struct store *, const struct tag_source *);
/* Refresh the municipalities table (names shown by the web view and
 * reports) from the policy. */
struct policy;
int store_municipalities_sync(struct store *, const struct policy *);
/* Sources whose last_seen (since_us, the collector's start, for those
 * never seen) is older than their expected interval at now_us and that
 * are not yet marked silent. */
typedef void (*silent_fn)(void *arg, int64_t id, const char *addr,
    const char *muni, const char *name, int64_t last_seen, int64_t interval);
int store_sources_overdue(
    struct store *, int64_t now_us, int64_t since_us, silent_fn, void *arg);
int store_source_set_silent(struct store *, int64_t id, int64_t since_us);
int store_counter_set(struct store *, const char *role, const char *stage,
    const char *name, int64_t value, int64_t now_us);
/* Print the counters table as "stage/name value" lines. */
int store_counters_print(struct store *, const char *role, void *fp);

#endif
