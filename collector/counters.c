/*
 * counters.c — the collector's stage counters: one relaxed atomic per
 * (stage, name), bumped by any thread, written to the store's counters
 * table by the writer and summarised in the periodic log line.
 */
#include "config.h"

#include <stdio.h>

#include "collector/collector_int.h"

uint64_t collector_ctr[CTR_MAX];

const struct ctr_name ctr_names[CTR_MAX] = {
	[CTR_RX_UDP] = { "received", "udp" },
	[CTR_RX_TCP] = { "received", "tcp" },
	[CTR_RX_TLS] = { "received", "tls" },
	[CTR_RX_UNIX] = { "received", "unix" },
	[CTR_RX_BYTES] = { "received", "bytes" },
	[CTR_PARSED_5424] = { "parsed", "rfc5424" },
	[CTR_PARSED_3164] = { "parsed", "rfc3164" },
	[CTR_UNPARSED] = { "unparsed", "total" },
	[CTR_TRUNCATED] = { "truncated", "total" },
	[CTR_BAD_COUNT] = { "framing", "bad-octet-count" },
	[CTR_UNKNOWN_SRC] = { "tagged", "unknown" },
	[CTR_RELAYED] = { "tagged", "relayed" },
	[CTR_RELAY_UNMATCHED] = { "tagged", "relay-unmatched" },
	[CTR_RELAY_DENIED] = { "tagged", "relay-denied" },
	[CTR_DROP_UDP_QUEUE] = { "dropped", "udp-queue-full" },
	[CTR_DROP_OVERSIZE] = { "dropped", "oversize" },
	[CTR_DROP_CONN_LIMIT] = { "dropped", "conn-limit" },
	[CTR_DROP_CONN_LIMIT_ADDR] = { "dropped", "conn-limit-address" },
	[CTR_DROP_CONN_BUFFER] = { "dropped", "conn-buffer" },
	[CTR_DROP_TLS_HANDSHAKE] = { "dropped", "tls-handshake" },
	[CTR_DROP_ARCHIVE] = { "dropped", "archive-error" },
	[CTR_ARCHIVED] = { "archived", "records" },
	[CTR_SEGMENTS_SEALED] = { "archived", "segments-sealed" },
	[CTR_STORED_BATCHES] = { "stored", "batches" },
	[CTR_STORED_EVENTS] = { "stored", "events" },
	[CTR_STORE_ERRORS] = { "stored", "errors" },
	[CTR_ALERTS_HEALTH] = { "alerts", "health" },
	[CTR_ALERTS_RULES] = { "alerts", "rules" },
	[CTR_ALERTS_SENSOR] = { "alerts", "sensor" },
	[CTR_SENSOR_BAD] = { "dropped", "sensor-alert-malformed" },
	[CTR_CONNS_OPEN] = { "connections", "open" },
	[CTR_CONNS_TOTAL] = { "connections", "total" },
	[CTR_CLOSED_PEER] = { "closed", "peer" },
	[CTR_CLOSED_IDLE] = { "closed", "idle" },
	[CTR_CLOSED_ERROR] = { "closed", "error" },
	[CTR_CLOSED_TLS_HANDSHAKE] = { "closed", "tls-handshake" },
	[CTR_CLOSED_CONN_BUFFER] = { "closed", "conn-buffer" },
	[CTR_CLOSED_STOP] = { "closed", "stop" },
	[CTR_NOTIFY_QUEUED] = { "notify", "queued" },
	[CTR_NOTIFY_SENT] = { "notify", "sent" },
	[CTR_NOTIFY_FAILED] = { "notify", "failed" },
	[CTR_NOTIFY_DROPPED] = { "notify", "dropped" },
	[CTR_RULES_LOADED] = { "rules", "loaded" },
	[CTR_RULES_REJECTED] = { "rules", "rejected" },
	[CTR_RULES_RELOAD_FAILED] = { "rules", "reload-failed" },
	[CTR_RULES_MATCH_ERRORS] = { "rules", "match-errors" },
	[CTR_RULES_UNMATCHED] = { "rules", "unmatched-events" },
	[CTR_RULES_PCRE_ERRORS] = { "rules", "pcre-errors" },
	[CTR_RULES_CORR_EVICTED] = { "rules", "correlator-evicted" },
	[CTR_RULES_CORR_ENTRIES] = { "rules", "correlator-entries" },
	[CTR_ALERTS_STORE_ERRORS] = { "alerts", "store-errors" },
};

size_t
ctr_summary(char *out, size_t len)
{
	uint64_t rx = ctr_get(CTR_RX_UDP) + ctr_get(CTR_RX_TCP) +
	    ctr_get(CTR_RX_TLS) + ctr_get(CTR_RX_UNIX);
	uint64_t drop = ctr_get(CTR_DROP_UDP_QUEUE) +
	    ctr_get(CTR_DROP_OVERSIZE) + ctr_get(CTR_DROP_CONN_LIMIT) +
	    ctr_get(CTR_DROP_CONN_LIMIT_ADDR) + ctr_get(CTR_DROP_CONN_BUFFER) +
	    ctr_get(CTR_DROP_ARCHIVE);
	int n = snprintf(out, len,
	    "received=%llu parsed=%llu unparsed=%llu truncated=%llu "
	    "dropped=%llu archived=%llu stored=%llu unknown-source=%llu "
	    "notify-queued=%llu notify-sent=%llu notify-failed=%llu "
	    "notify-dropped=%llu",
	    (unsigned long long)rx,
	    (unsigned long long)(ctr_get(CTR_PARSED_5424) +
		ctr_get(CTR_PARSED_3164)),
	    (unsigned long long)ctr_get(CTR_UNPARSED),
	    (unsigned long long)ctr_get(CTR_TRUNCATED),
	    (unsigned long long)drop, (unsigned long long)ctr_get(CTR_ARCHIVED),
	    (unsigned long long)ctr_get(CTR_STORED_EVENTS),
	    (unsigned long long)ctr_get(CTR_UNKNOWN_SRC),
	    (unsigned long long)ctr_get(CTR_NOTIFY_QUEUED),
	    (unsigned long long)ctr_get(CTR_NOTIFY_SENT),
	    (unsigned long long)ctr_get(CTR_NOTIFY_FAILED),
	    (unsigned long long)ctr_get(CTR_NOTIFY_DROPPED));

	return n < 0 ? 0 : (size_t)n;
}
