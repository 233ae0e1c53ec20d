/*
 * sensor.h — the packet sensor: capture, decode, flows, TCP reassembly,
 * application fields, rule matching and output.  The contract for the rest
 * of the tree (cmd_sensor.c, `seccloud rules test`, `seccloud run`).
 *
 * A struct sensor is driven from one thread: feed it packets (from pcap
 * files or a live interface), and it raises alerts through a callback and
 * its outputs.  With cfg.workers > 1 it runs that many worker threads
 * behind the caller's (capture) thread; the alert callback and outputs
 * are then called from the workers, one at a time (under a lock), and
 * each flow's events keep their order.  sensor_read_file() returns once
 * the workers have processed the whole file.  The ruleset is borrowed:
 * it must outlive the sensor.
 *
 * ---------------------------------------------------------------------
 * Message format to the collector (RFC 5424 over TCP or TLS)
 * ---------------------------------------------------------------------
 * Framing: octet counting (RFC 6587 §3.4.1): "LEN SP MSG", LEN in ASCII
 * decimal.  One message per alert:
 *
 *   <PRI>1 TIMESTAMP HOSTNAME seccloud-sensor - alert [SD] MSG
 *
 *   PRI        facility local4 (20) * 8 + severity, where the rule's
 *              severity (priority) 1 -> 2 crit, 2 -> 3 err, 3 -> 4
 *              warning, anything else -> 5 notice.
 *   TIMESTAMP  the packet's capture time, RFC 3339 UTC with microseconds
 *              ("2026-11-22T08:53:26.123456Z").
 *   HOSTNAME   the sensor's host name (gethostname), "-" if unknown.
 *   MSGID      "alert" (flow records, when enabled, use "flow").
 *   SD         two elements, SD-ID with the RFC 5612 example enterprise
 *              number until seccloud has its own:
 *     [alert@32473 sensor="NAME" sid="N" gid="N" rev="N" msg="..."
 *        class="..." severity="N" proto="TCP" app_proto="http"
 *        src="IP" sport="N" dst="IP" dport="N" flow_id="N" pcap_cnt="N"
 *        iface="..." src_dantai="242012" src_tier="L" dst_dantai=""
 *        dst_tier="NET" dir="to_server|to_client"]
 *              (iface only for live capture; the four policy params only
 *              when the sensor has a policy; app_proto only once known)
 *     [payload@32473 len="N" hex="474554202f..." ascii="GET /..."]
 *              the payload excerpt is the first SENSOR_EXCERPT_MAX bytes
 *              of the packet payload; hex is lowercase, ascii maps every
 *              byte outside 0x20..0x7e to '.'.
 *              Every PARAM-VALUE is escaped per RFC 5424 §6.3.3: '"', '\'
 *              and ']' are preceded by '\'.  Values are ASCII; bytes
 *              outside printable ASCII in msg/class are written as '?'.
 *   MSG        "sid N: MSG" (the rule's msg), ASCII.
 *
 * Example:
 *   <163>1 2026-11-22T08:53:26.123456Z sensor1 seccloud-sensor - alert
 *   [alert@32473 sensor="edge" sid="1000001" gid="1" rev="1"
 *   msg="wp-login probe" class="web-application-attack" severity="1"
 *   proto="TCP" app_proto="http" src="192.0.2.1" sport="51514"
 *   dst="10.1.2.3" dport="80" flow_id="17" pcap_cnt="4"
 *   iface="eth0" dir="to_server"][payload@32473 len="33"
 *   hex="474554..." ascii="GET /wp-login.php HTTP/1.1.."]
 *   sid 1000001: wp-login probe
 *
 * Delivery: a bounded in-memory spool (SC_SPOOL_MAX bytes) holds messages
 * until the collector has them; on disconnect the sensor reconnects with
 * exponential backoff (1 s .. 60 s) and resends from the spool.  When the
 * spool is full the oldest message is dropped and counted.  With a data
 * directory (spool_dir) the overflow goes to DIR/sensor-NAME.spool
 * instead (capped by spool_disk_max, oldest dropped and counted), is sent
 * in order after the memory spool, and what is undelivered at exit is
 * kept there for the next start (output_syslog.c).
 */
#ifndef SC_SENSOR_H
#define SC_SENSOR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/addr.h"

struct policy;
struct ruleset;
struct sensor;

#define SENSOR_WORKERS_MAX 16
#define SENSOR_SPOOL_DISK_MAX (1024ULL * 1024 * 1024) /* spool-disk */
#define SENSOR_EXCERPT_MAX 256 /* payload bytes in an alert's evidence */

/* Policy alerts: gid SENSOR_POLICY_GID, sid from the use case:
 * GL-SEP-0N -> 9009000 + N, GL-EXC-01 -> 9009101, GL-NET-02 -> 9009202,
 * any other -> 9009999.  msg "policy USE-CASE: <matrix cell>". */
#define SENSOR_POLICY_GID 9009

struct sensor_config {
	const char *name; /* sensor NAME { } of seccloud.conf */
	/* capture (live) */
	const char *iface;
	int snaplen;
	int promisc;
	int bufsize; /* bytes of kernel buffer */
	const char *bpf; /* filter, or NULL */
	/* engine */
	int midstream; /* pick up TCP sessions without a handshake */
	int inline_mode; /* app protocol applies at once, not when ACKed */
	int defrag; /* reassemble IP fragments */
	/* worker threads: 0 = one per online CPU (at most
	 * SENSOR_WORKERS_MAX), 1 = the single-threaded path.  With N > 1
	 * the capture thread hashes each packet's address pair to one of N
	 * workers, each with its own flows, reassembly and matching; the
	 * flow, reassembly and fragment caps are split between them. */
	int workers;
	uint64_t stream_depth; /* per direction, 0 = unlimited */
	uint64_t reasm_flow_max; /* out-of-order bytes per flow */
	uint64_t reasm_memcap; /* out-of-order bytes in all */
	uint64_t frag_memcap;
	int frag_timeout_sec;
	uint32_t flows_max;
	int timeout_new_sec, timeout_est_sec, timeout_closed_sec;
	int timeout_udp_sec;
	size_t http_line_max;
	/* three-tier policy (borrowed, may be NULL): flows are tagged with
	 * the 団体 and tier of each end and judged against the flow matrix;
	 * a violation raises an alert with gid SENSOR_POLICY_GID */
	const struct policy *policy;
	/* outputs */
	const char *eve_path; /* EVE JSON lines, or NULL */
	int eve_flows; /* also write event_type flow records */
	const char *collector; /* "host:port" for RFC 5424, or NULL */
	int collector_tls;
	const char *collector_ca; /* CA file for TLS, NULL: system default */
	uint64_t spool_max;
	/* disk spool: alerts beyond spool_max go to DIR/sensor-NAME.spool
	 * (at most spool_disk_max unread bytes) and survive a restart;
	 * NULL or 0: memory only */
	const char *spool_dir;
	uint64_t spool_disk_max;
};

/* Fill in the defaults (sc_limits.h). */
void sensor_config_defaults(struct sensor_config *);

/* An HTTP transaction as alerts show it: the request's fields and, once
 * its response (matched in order, pipelining included) has been seen,
 * the response's.  Strings are NUL-terminated, truncated copies. */
#define SENSOR_HTTP_FIELD 256
struct sensor_http {
	uint64_t id; /* per flow, from 1 */
	char method[32];
	char url[SENSOR_HTTP_FIELD];
	char hostname[SENSOR_HTTP_FIELD];
	char user_agent[SENSOR_HTTP_FIELD];
	char protocol[16]; /* "HTTP/1.1" */
	int have_response;
	int status; /* 0: no response yet */
	char stat_msg[64];
	char content_type[SENSOR_HTTP_FIELD]; /* "" if none */
	int64_t length; /* response Content-Length, -1 unknown */
};

/* One alert, as the sensor raises it.  Pointers live for the callback. */
struct sensor_alert {
	int64_t ts_us;
	uint64_t pcap_cnt;
	uint64_t flow_id;
	uint32_t sid, gid, rev;
	int severity;
	const char *msg;
	const char *classtype;
	const char *action; /* "allowed" */
	uint8_t ipver, proto;
	struct addr src, dst; /* of the packet, in its direction */
	uint16_t sport, dport;
	const char *app_proto; /* NULL if none */
	int to_server;
	const uint8_t *payload;
	size_t plen;
	const char *iface;
	/* 団体 code ("" none) and tier short name of each end, when a
	 * policy is configured; NULL otherwise */
	const char *src_dantai, *src_tier, *dst_dantai, *dst_tier;
	/* the HTTP transaction of the alert's direction, or NULL */
	const struct sensor_http *http;
};

typedef void (*sensor_alert_fn)(void *arg, const struct sensor_alert *);

/* Ruleset may be NULL (decode and flows only).  NULL on failure. */
struct sensor *sensor_new(const struct sensor_config *, const struct ruleset *);
/* Flushes every flow (their alerts and records are raised) and frees. */
void sensor_free(struct sensor *);

/* An extra consumer of alerts (tests, `seccloud rules test`). */
void sensor_set_alert_cb(struct sensor *, sensor_alert_fn, void *arg);

/* Open the outputs named in the config (EVE file, collector).  -1 with a
 * reason in err. */
int sensor_open_outputs(struct sensor *, char *err, size_t errlen);

/*
 * Read one capture file (pcap or pcapng) to its end.  Files read one after
 * another continue the same flows and the pcap_cnt numbering.  Returns 0,
 * or -1 with a reason in err (a broken file stops at the break).
 */
int sensor_read_file(
    struct sensor *, const char *path, char *err, size_t errlen);

/* Live capture: open the interface (as root, before privdrop) and run
 * until sensor_stop() is called (from a signal handler). */
int sensor_live_open(struct sensor *, char *err, size_t errlen);
int sensor_live_run(struct sensor *, char *err, size_t errlen);
void sensor_stop(struct sensor *);

/* End every flow now (end of input). */
void sensor_flush(struct sensor *);

/* Counters by name, for stats output: calls fn for each nonzero one. */
void sensor_stats(const struct sensor *,
    void (*fn)(void *arg, const char *name, uint64_t value), void *arg);
uint64_t sensor_counter(const struct sensor *, const char *name);
uint64_t sensor_alert_count(const struct sensor *);

/*
 * For `seccloud rules test RULES FILE.pcap`: run the ruleset over capture
 * files and write one EVE alert line per alert to out.  midstream as in
 * sensor_config.  Returns the number of alerts, or -1 (reason in err).
 */
long sensor_test_pcap(const struct ruleset *, const char *const *files,
    size_t nfiles, int midstream, FILE *out, char *err, size_t errlen);

#endif
