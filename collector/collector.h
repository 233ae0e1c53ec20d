/*
 * collector.h — the collector's public face: what other folders (rules,
 * web, report, sensor tests) may call.
 *
 *  - syslog parsing (RFC 5424, RFC 3164 and its real-device variants) into
 *    a struct sc_event whose fields are views into the frame;
 *  - the key=value view of FortiGate-style bodies;
 *  - reading the sealed archive: fetch the raw evidence line of an archive
 *    ref (what web/ shows on an alert's detail page), verify, search, prune;
 *  - the names of the stage counters the collector keeps in the store.
 *
 * The daemon itself (listeners, pipeline, writer) is internal
 * (collector_int.h); `seccloud collector` is its entry point.
 */
#ifndef SC_COLLECTOR_H
#define SC_COLLECTOR_H

#include <stddef.h>
#include <stdint.h>

#include "common/event.h"

/* ---- parsing ---------------------------------------------------------- */

/*
 * Parse ev->raw[0..rawlen) (set by the caller, with ev->recv_us) into the
 * other fields of ev.  Every field is a view into ev->raw, or a static
 * string; nothing is allocated.  Year-less stamps are read in the zone
 * tzoff (seconds east of UTC; TIME_JST_OFFSET by default) with the year
 * nearest the receive time.  Returns 0 if the line parsed as RFC 5424 or
 * RFC 3164 (flags say which and what was missing), or -1 if it did not:
 * then SC_EV_UNPARSED is set, msg is the whole frame, and the event is
 * still to be kept (stored raw and counted), never dropped.
 */
int parse_syslog(struct sc_event *ev, int tzoff);
/* The two parsers alone: 0, or -1 leaving ev's parse fields reset. */
int parse_rfc5424(struct sc_event *ev);
int parse_rfc3164(struct sc_event *ev, int tzoff);
/* Reset everything parse_syslog fills (raw, peer and times are kept). */
void parse_reset(struct sc_event *ev);

/*
 * A key=value view (FortiGate, also many WAF and proxy bodies):
 *   date=2026-11-22 time=17:53:26 devname="FG100E" srcip=10.1.2.3 ...
 * Values are views; quoted values are given without their quotes (escapes
 * inside are left as they are).  At most SC_KV_MAX pairs are kept, the
 * rest counted in dropped.
 */
#define SC_KV_MAX 64
struct sc_kv {
	const char *key;
	size_t keylen;
	const char *val;
	size_t vallen;
};
struct sc_kv_view {
	struct sc_kv kv[SC_KV_MAX];
	size_t n;
	size_t dropped;
};
/* Fills view; returns the number of pairs found (0: not a kv body). */
size_t kv_parse(const char *s, size_t len, struct sc_kv_view *view);
/* The value of key, or NULL (and *len untouched). */
const char *kv_get(const struct sc_kv_view *, const char *key, size_t *len);

/* ---- the archive, read side ------------------------------------------- */

/*
 * The archive lives in DATADIR/archive: segment files
 * DAY/SEGMENT.zst (JST day, 16-digit segment number), each a sequence of
 * zstd frames of records, and MANIFEST, one line per sealed segment (with
 * its SHA-256 and the chain hash) or pruned range.  A record is one
 * received message with its receive time, peer, transport and 団体.
 */
struct archive_record {
	struct sc_archive_ref ref;
	int64_t recv_us;
	struct addr peer;
	uint16_t peer_port;
	uint8_t transport;
	uint32_t flags; /* SC_EV_* of the event */
	char muni[SC_MUNI_LEN];
	/* the host behind a relay: with SC_EV_RELAYED the origin the tags
	 * are of, with SC_EV_RELAY_DENIED (0x0200) the origin its HOSTNAME
	 * claimed out of the relay's scope; zero otherwise and in records
	 * of format version 0 */
	struct addr origin;
	uint8_t version; /* record format: 0 (42-byte header) or 1 */
	const uint8_t *raw; /* the frame as received */
	size_t rawlen;
};

/*
 * Fetch the raw evidence of one archive ref (an alert's archive_segment,
 * archive_record columns) — what the web view shows on an alert's page;
 * `seccloud archive show SEGMENT RECORD` prints the same, escaped.  datadir is the collector's data directory.
 * Works on sealed segments and on the one being written (read-only, no
 * lock needed).  On success, *raw is a malloc'd copy the caller frees,
 * *rawlen its length, and rec (if not NULL) gets the record's metadata
 * (rec->raw points to the same copy).  Returns 0, or -1 if the ref does
 * not exist (pruned, never written) or the segment is unreadable.
 * Show the bytes escaped: they are what the peer sent.
 */
int archive_fetch(const char *datadir, const struct sc_archive_ref *ref,
    uint8_t **raw, size_t *rawlen, struct archive_record *rec);

/*
 * Verify the chain: every sealed segment is present, unaltered, in order,
 * every gap is a recorded prune, and MANIFEST reaches the chain head the
 * store keeps (its last lines were not cut).  Segments are limited to JST
 * days [from_us, to_us) when either is non-zero.  Returns 0 if good; -1
 * with the first bad segment number in *bad_segment (the segment of the
 * MANIFEST line whose chain breaks, the first one cut; 0 only if MANIFEST
 * cannot be read at all) and a reason in err.
 */
int archive_verify(const char *datadir, int64_t from_us, int64_t to_us,
    uint64_t *bad_segment, char *err, size_t errlen);

/* ---- counters and the command line ------------------------------------ */

/*
 * The collector's stage counters are rows (role "collector", stage, name)
 * of the store's counters table, rewritten every batch-age (1 s) by the
 * writer and once more at exit; `seccloud collector --stats` prints them
 * as "stage/name value" lines.  The names (collector/counters.c):
 *   received/udp, received/tcp, received/tls, received/unix, received/bytes
 *   parsed/rfc5424, parsed/rfc3164, unparsed/total, truncated/total,
 *   framing/bad-octet-count, tagged/unknown, tagged/relayed,
 *   tagged/relay-unmatched, tagged/relay-denied
 *   dropped/udp-queue-full, dropped/oversize, dropped/conn-limit,
 *   dropped/conn-limit-address, dropped/conn-buffer, dropped/tls-handshake, dropped/archive-error,
 *   dropped/sensor-alert-malformed
 *   archived/records, archived/segments-sealed
 *   stored/batches, stored/events, stored/errors
 *   alerts/health, alerts/rules, alerts/sensor, alerts/store-errors
 *   (alerts of any origin the store refused: each is logged)
 *   rules/loaded, rules/rejected (of the set in use: gauges),
 *   rules/reload-failed, rules/match-errors (events the engine could not
 *   match), rules/unmatched-events (events of batches matched by no set
 *   as the scratch could not be made), rules/pcre-errors (PCRE2 limits
 *   hit: taken as no match), rules/correlator-evicted (LRU evictions of
 *   threshold/after/xbits state), rules/correlator-entries (gauge)
 *   connections/open, connections/total
 *   closed/peer, closed/idle, closed/error, closed/tls-handshake,
 *   closed/conn-buffer, closed/stop (why each stream connection ended)
 *   notify/queued, notify/sent, notify/failed, notify/dropped
 * A summary line is logged every stats-interval (60 s).
 *
 * `seccloud collector` prints one readiness line on stderr once every
 * listener is bound, with the actual ports when 0 was asked for:
 *   collector ready udp=127.0.0.1:40001 tcp=127.0.0.1:40002 tls=... unix=PATH
 * (one key per listener, in configuration order).
 *
 * Health alerts (origin SC_ORIGIN_HEALTH, gid 1): sid 9900001 GL-LOG-01
 * source silent past its expected interval (S2); 9900003 GL-LOG-03 clock
 * skew over 2 s (S3); 9900004 GL-LOG-03 skew over 60 s (S2).
 */

#endif
