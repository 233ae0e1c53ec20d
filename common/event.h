/*
 * event.h — the records every role passes around: a received syslog
 * message (struct sc_event) and an alert (struct sc_alert).
 *
 * Both are plain structs of views: the pointers borrow memory owned by
 * whoever filled the struct (the collector's receive batch, the sensor's
 * packet), valid until that owner reuses it.  A consumer that keeps a
 * record past the call copies what it needs.  No field is ever NULL where
 * a length is given with it; empty is len 0.
 *
 * Times are microseconds since the epoch, UTC (timeutil.h).
 */
#ifndef SC_EVENT_H
#define SC_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "common/addr.h"

/* A 団体コード: six digits and a NUL; "" when the 団体 is unknown. */
#define SC_MUNI_LEN 7

/* Tiers of DOMAIN.md §C (zones of the flow matrix). */
enum sc_tier {
	SC_TIER_UNKNOWN = 0,
	SC_TIER_M, /* マイナンバー利用事務系 */
	SC_TIER_L, /* LGWAN接続系 */
	SC_TIER_I, /* インターネット接続系 */
	SC_TIER_LG, /* LGWAN backbone and LGWAN-ASP */
	SC_TIER_SC, /* the security cloud itself */
	SC_TIER_DMZ, /* hosted public web in the SC */
	SC_TIER_NET, /* the internet */
	SC_TIER_MAX
};
/* "M", "L", "I", "LG", "SC", "DMZ", "NET", "unknown" */
const char *sc_tier_name(enum sc_tier);
/* マイナンバー利用事務系 ... */
const char *sc_tier_name_ja(enum sc_tier);
int sc_tier_parse(const char *, enum sc_tier *);

/* Severity S1 (緊急) .. S5 (情報), DOMAIN.md §B. */
#define SC_SEV_CRITICAL 1
#define SC_SEV_HIGH 2
#define SC_SEV_MEDIUM 3
#define SC_SEV_LOW 4
#define SC_SEV_INFO 5
const char *sc_severity_name(int sev); /* "S1".."S5" */
const char *sc_severity_name_ja(int sev); /* 緊急 重要 警告 注意 情報 */

/* Where an event's raw bytes sit in the archive: segment and record. */
struct sc_archive_ref {
	uint64_t segment; /* 0: not archived (yet) */
	uint64_t record;
};

/* event flags */
#define SC_EV_RFC5424 0x0001
#define SC_EV_RFC3164 0x0002
#define SC_EV_UNPARSED 0x0004 /* stored raw; fields may be empty */
#define SC_EV_UNKNOWN_SOURCE 0x0008 /* the sender is not in the policy */
#define SC_EV_TRUNCATED 0x0010 /* frame cut at frame-max */
#define SC_EV_NO_PRI 0x0020
#define SC_EV_NO_HOST 0x0040
#define SC_EV_NO_TIME 0x0080
#define SC_EV_RELAYED 0x0100 /* tagged by its HOSTNAME via a trusted relay */
/* a relay claimed an origin outside its scope: the relay's own tags kept,
 * ev->origin holds the claimed host (evidence) */
#define SC_EV_RELAY_DENIED 0x0200

struct sc_event {
	int64_t recv_us; /* when we received it */
	int64_t ts_us; /* the sender's stamp, 0 if none */
	struct addr peer; /* the sending host */
	uint16_t peer_port;
	uint8_t transport; /* 'u'dp, 't'cp, 's' tls, 'x' unix */
	uint32_t flags;

	const uint8_t *raw; /* the frame as received */
	size_t rawlen;

	int pri; /* -1 if absent */
	int facility; /* pri / 8, or -1 */
	int severity; /* pri % 8 (syslog level), or -1 */
	const char *host;
	size_t hostlen;
	const char *app;
	size_t applen; /* program / APP-NAME */
	const char *procid;
	size_t procidlen;
	const char *msgid;
	size_t msgidlen;
	const char *sd;
	size_t sdlen; /* RFC 5424 structured data */
	const char *msg;
	size_t msglen; /* the message body */

	/* from tagging (policy) */
	char muni[SC_MUNI_LEN];
	enum sc_tier tier;
	uint32_t source_id; /* store id of the source, 0 unknown */
	/* with SC_EV_RELAYED: the originating host the tags are of (peer is
	 * then the relay); without it, the source is peer */
	struct addr origin;

	struct sc_archive_ref archive;
};

/* alert origins */
enum sc_origin {
	SC_ORIGIN_LOG = 1, /* a log rule matched a message */
	SC_ORIGIN_PACKET, /* a sensor rule matched packets */
	SC_ORIGIN_POLICY, /* the flow matrix (GL-SEP-*, GL-EXC-01) */
	SC_ORIGIN_HEALTH, /* source silence, skew, archive (GL-LOG-*) */
};
const char *sc_origin_name(enum sc_origin);

struct sc_alert {
	int64_t ts_us; /* detection time */
	int64_t event_ts_us; /* the evidence's own time, 0 unknown */
	enum sc_origin origin;
	uint32_t gid, sid, rev;
	int severity; /* SC_SEV_* */
	const char *msg; /* the rule's msg */
	const char *classtype; /* may be NULL */
	const char *usecase; /* "GL-ACCESS-01", may be NULL */
	const char *guideline; /* "2-6-2", may be NULL */

	char muni[SC_MUNI_LEN];
	enum sc_tier tier;
	int has_src, has_dst;
	struct addr src, dst;
	uint16_t sport, dport;
	uint8_t ipproto; /* 6, 17, ... or 0 */
	const char *app_proto; /* "http", "dns", "tls", or NULL */
	const char *sensor; /* sensor name for packet alerts */

	uint32_t source_id; /* the log source, 0 if none */
	struct sc_archive_ref archive; /* evidence in the archive */
	const uint8_t *evidence; /* raw line or payload excerpt */
	size_t evidence_len;
	const char *extra_json; /* JSON object text, or NULL */
};

#endif
