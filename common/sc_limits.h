/*
 * sc_limits.h — every cap on something a peer controls, in one place
 * (OpenBSD httpd's httpd.h).  Each is the built-in default; the config file
 * may override it under the name given in the comment (see seccloud.conf(5)).
 */
#ifndef SC_LIMITS_H
#define SC_LIMITS_H

/* collector { limits { ... } } */
#define SC_FRAME_MAX (64 * 1024) /* frame-max: one syslog message */
#define SC_FRAME_MAX_CEIL (16 * 1024 * 1024) /* highest frame-max allowed */
#define SC_TCP_CONN_MAX 4096 /* connections */
#define SC_TCP_CONN_PER_ADDR 64 /* connections-per-address */
#define SC_TCP_IDLE_SEC 300 /* idle-timeout */
#define SC_TCP_BUFFERED_MAX \
	(1024 * 1024) /* conn-buffer: unparsed bytes per connection */
#define SC_UDP_RCVBUF (8 * 1024 * 1024) /* udp-rcvbuf: SO_RCVBUF per socket */
#define SC_BATCH_MAX 4096 /* batch-size: messages per writer batch */
#define SC_BATCH_AGE_MS 1000 /* batch-age: flush at least this often */
#define SC_QUEUE_BATCHES 256 /* queue: batches in flight to the writer */
#define SC_TCP_RCVBUF \
	(256 * 1024) /* tcp-rcvbuf: SO_RCVBUF per stream connection */
#define SC_SKEW_WARN_MS 2000 /* skew-warn: GL-LOG-03 alert, S3 */
#define SC_SKEW_CRIT_MS 60000 /* skew-critical: GL-LOG-03 alert, S2 */

/* sensor { limits { ... } } */
#define SC_FLOWS_MAX (1024 * 1024) /* flows */
#define SC_STREAM_DEPTH (1024 * 1024) /* stream-depth: bytes per direction */
#define SC_REASM_FLOW_MAX \
	(256 * 1024) /* reassembly-flow: out-of-order bytes per flow */
#define SC_REASM_TOTAL_MAX (256ULL * 1024 * 1024) /* reassembly-memcap */
#define SC_FRAG_TOTAL_MAX (64ULL * 1024 * 1024) /* frag-memcap */
#define SC_FRAG_TIMEOUT_SEC 30 /* frag-timeout */
#define SC_HTTP_LINE_MAX (8 * 1024) /* http-line: request line or header */
#define SC_SPOOL_MAX \
	(64ULL * 1024 * 1024) /* spool: unsent alerts to the collector */

/* web { limits { ... } } */
#define SC_HTTP_HEADERS_MAX (16 * 1024) /* headers */
#define SC_HTTP_BODY_MAX (64 * 1024) /* body */
#define SC_HTTP_TIMEOUT_SEC 30 /* timeout */
#define SC_HTTP_CONN_MAX 512 /* connections */

/* configuration and rule files */
#define SC_CONF_INCLUDE_DEPTH 16
#define SC_CONF_TOKEN_MAX (64 * 1024)
#define SC_CONF_ERRORS_MAX 100 /* stop listing after this many */

#endif
