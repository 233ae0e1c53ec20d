/*
 * collector_conf.c — the collector { } block of seccloud.conf(5):
 *
 *   datadir "/var/lib/seccloud"     # top level (common/settings.h): datadir,
 *   policy "policy.conf"            # user, policy, rules, var, timezone
 *   collector {
 *       listen udp 0.0.0.0:514
 *       listen tcp 0.0.0.0:601
 *       listen tls 0.0.0.0:6514
 *       listen unix "/run/seccloud/log.sock"
 *       udp-workers 2
 *       timezone JST                          # overrides the top level
 *       oversize truncate                     # or drop
 *       stats-interval 60s
 *       skew-warn 2s                          # GL-LOG-03 thresholds
 *       skew-critical 60s
 *       tls { cert "c.pem"; key "k.pem"; ca "ca.pem"; verify-client yes }
 *       limits { frame-max 64k; connections 4096;
 *                connections-per-address 64; idle-timeout 300s;
 *                conn-buffer 1m; tcp-rcvbuf 256k; udp-rcvbuf 8m;
 *                batch-size 4096; batch-age 1s; queue 256 }
 *   }
 *
 * Every limit defaults to its named constant in common/sc_limits.h.
 * `verify-client yes` needs a `ca` to verify against: refused without.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/collector_int.h"
#include "common/conf.h"
#include "common/settings.h"
#include "common/sc_limits.h"
#include "common/timeutil.h"

int
collector_listen_parse(const char *s, struct listen_spec *ls)
{
	const char *rest, *colon;
	static const struct {
		const char *name;
		char kind;
	} kinds[] = { { "udp", 'u' }, { "tcp", 't' }, { "tls", 's' },
		{ "unix", 'x' } };

	memset(ls, 0, sizeof(*ls));
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t n = strlen(kinds[i].name);

		if (strncmp(s, kinds[i].name, n) == 0 &&
		    (s[n] == ':' || s[n] == ' ')) {
			ls->kind = kinds[i].kind;
			rest = s + n + 1;
			goto found;
		}
	}
	return -1;
found:
	if (ls->kind == 'x') {
		if (rest[0] == '\0' || strlen(rest) >= sizeof(ls->path))
			return -1;
		snprintf(ls->path, sizeof(ls->path), "%s", rest);
		return 0;
	}
	if (rest[0] == '[') {
		const char *end = strchr(rest, ']');

		if (end == NULL || end[1] != ':' ||
		    (size_t)(end - rest - 1) >= sizeof(ls->host))
			return -1;
		memcpy(ls->host, rest + 1, end - rest - 1);
		colon = end + 1;
	} else {
		if ((colon = strrchr(rest, ':')) == NULL ||
		    (size_t)(colon - rest) >= sizeof(ls->host))
			return -1;
		memcpy(ls->host, rest, colon - rest);
	}
	if (colon[1] == '\0' || strlen(colon + 1) >= sizeof(ls->port) ||
	    strspn(colon + 1, "0123456789") != strlen(colon + 1))
		return -1;
	snprintf(ls->port, sizeof(ls->port), "%s", colon + 1);
	return 0;
}

static int
kw_listen(struct conf *c, const struct conf_node *n, void *ctx)
{
	struct collector_conf *cf = ctx;
	char spec[512];

	snprintf(spec, sizeof(spec), "%s:%s", n->args[0], n->args[1]);
	if (cf->nlisten >= COLLECTOR_LISTEN_MAX ||
	    collector_listen_parse(spec, &cf->listen[cf->nlisten]) != 0) {
		conf_error_at(
		    c, n, "listen: bad listener %s %s", n->args[0], n->args[1]);
		return -1;
	}
	cf->nlisten++;
	return 0;
}

#define SIZE_KW(fn, field, lo, hi)                                          \
	static int fn(struct conf *c, const struct conf_node *n, void *ctx) \
	{                                                                   \
		struct collector_conf *cf = ctx;                            \
		uint64_t v;                                                 \
		if (conf_arg_size(c, n, 0, lo, hi, &v) != 0)                \
			return -1;                                          \
		cf->field = v;                                              \
		return 0;                                                   \
	}

SIZE_KW(kw_frame_max, frame_max, 256, SC_FRAME_MAX_CEIL)
SIZE_KW(kw_conn_buffer, conn_buffer, 4096, 1ULL << 30)
SIZE_KW(kw_udp_rcvbuf, udp_rcvbuf, 0, 1ULL << 30)
SIZE_KW(kw_tcp_rcvbuf, tcp_rcvbuf, 0, 1ULL << 30)

static int
kw_int(struct conf *c, const struct conf_node *n, long long lo, long long hi,
    long long *v)
{
	return conf_arg_int(c, n, 0, lo, hi, v);
}

static int
kw_conns(struct conf *c, const struct conf_node *n, void *ctx)
{
	long long v;

	if (kw_int(c, n, 1, 1000000, &v))
		return -1;
	((struct collector_conf *)ctx)->conn_max = (size_t)v;
	return 0;
}

static int
kw_conns_addr(struct conf *c, const struct conf_node *n, void *ctx)
{
	long long v;

	if (kw_int(c, n, 1, 1000000, &v))
		return -1;
	((struct collector_conf *)ctx)->conn_per_addr = (size_t)v;
	return 0;
}

/* "250ms" or a duration ("2s", "1m"); milliseconds in *ms, or -1. */
static int
arg_ms(struct conf *c, const struct conf_node *n, long long lo, long long hi,
    long long *ms)
{
	const char *a = n->args[0];
	size_t l = strlen(a);
	long long v;

	if (l > 2 && strcmp(a + l - 2, "ms") == 0) {
		char *end;

		v = strtoll(a, &end, 10);
		if (end != a + l - 2) {
			conf_error_at(c, n, "%s: bad duration %s", n->name, a);
			return -1;
		}
	} else {
		int64_t s;

		if (conf_arg_duration(c, n, 0, &s) != 0)
			return -1;
		v = s * 1000;
	}
	if (v < lo || v > hi) {
		conf_error_at(
		    c, n, "%s: want %lldms..%llds", n->name, lo, hi / 1000);
		return -1;
	}
	*ms = v;
	return 0;
}

static int
kw_skew_warn(struct conf *c, const struct conf_node *n, void *ctx)
{
	long long v;

	if (arg_ms(c, n, 1, 7LL * 86400 * 1000, &v))
		return -1;
	((struct collector_conf *)ctx)->skew_warn_ms = v;
	return 0;
}

static int
kw_skew_crit(struct conf *c, const struct conf_node *n, void *ctx)
{
	long long v;

	if (arg_ms(c, n, 1, 7LL * 86400 * 1000, &v))
		return -1;
	((struct collector_conf *)ctx)->skew_crit_ms = v;
	return 0;
}

static int
kw_batch_size(struct conf *c, const struct conf_node *n, void *ctx)
{
	long long v;

	if (kw_int(c, n, 1, 1 << 20, &v))
		return -1;
	((struct collector_conf *)ctx)->batch_max = (size_t)v;
	return 0;
}

static int
kw_queue(struct conf *c, const struct conf_node *n, void *ctx)
{
	long long v;

	if (kw_int(c, n, 2, 65536, &v))
		return -1;
	((struct collector_conf *)ctx)->queue = (size_t)v;
	return 0;
}

static int
kw_workers(struct conf *c, const struct conf_node *n, void *ctx)
{
	long long v;

	if (kw_int(c, n, 1, 64, &v))
		return -1;
	((struct collector_conf *)ctx)->udp_workers = (int)v;
	return 0;
}

static int
kw_idle(struct conf *c, const struct conf_node *n, void *ctx)
{
	int64_t s;

	if (conf_arg_duration(c, n, 0, &s) != 0)
		return -1;
	((struct collector_conf *)ctx)->idle_sec = (int)s;
	return 0;
}

static int
kw_stats(struct conf *c, const struct conf_node *n, void *ctx)
{
	int64_t s;

	if (conf_arg_duration(c, n, 0, &s) != 0)
		return -1;
	((struct collector_conf *)ctx)->stats_sec = (int)s;
	return 0;
}

static int
kw_batch_age(struct conf *c, const struct conf_node *n, void *ctx)
{
	long long v;

	if (arg_ms(c, n, 10, 60000, &v))
		return -1;
	((struct collector_conf *)ctx)->batch_age_ms = (int)v;
	return 0;
}

static const struct conf_keyword limits_kw[] = {
	{ "frame-max", 1, 1, CONF_BLOCK_NO, 1, kw_frame_max },
	{ "connections", 1, 1, CONF_BLOCK_NO, 1, kw_conns },
	{ "connections-per-address", 1, 1, CONF_BLOCK_NO, 1, kw_conns_addr },
	{ "idle-timeout", 1, 1, CONF_BLOCK_NO, 1, kw_idle },
	{ "conn-buffer", 1, 1, CONF_BLOCK_NO, 1, kw_conn_buffer },
	{ "udp-rcvbuf", 1, 1, CONF_BLOCK_NO, 1, kw_udp_rcvbuf },
	{ "tcp-rcvbuf", 1, 1, CONF_BLOCK_NO, 1, kw_tcp_rcvbuf },
	{ "batch-size", 1, 1, CONF_BLOCK_NO, 1, kw_batch_size },
	{ "batch-age", 1, 1, CONF_BLOCK_NO, 1, kw_batch_age },
	{ "queue", 1, 1, CONF_BLOCK_NO, 1, kw_queue },
	{ NULL, 0, 0, 0, 0, NULL }
};

static int
kw_limits(struct conf *c, const struct conf_node *n, void *ctx)
{
	return conf_walk(c, n->child, limits_kw, ctx) ? -1 : 0;
}

#define STR_KW(fn, field)                                                   \
	static int fn(struct conf *c, const struct conf_node *n, void *ctx) \
	{                                                                   \
		struct collector_conf *cf = ctx;                            \
		(void)c;                                                    \
		snprintf(cf->field, sizeof(cf->field), "%s", n->args[0]);   \
		return 0;                                                   \
	}
STR_KW(kw_cert, tls_cert)
STR_KW(kw_key, tls_key)
STR_KW(kw_ca, tls_ca)

/* the verify-client line, for the check that needs the whole block */
static const struct conf_node *verify_node;

static int
kw_verify(struct conf *c, const struct conf_node *n, void *ctx)
{
	verify_node = n;
	return conf_arg_bool(
	    c, n, 0, &((struct collector_conf *)ctx)->tls_verify);
}

static const struct conf_keyword tls_kw[] = { { "cert", 1, 1, CONF_BLOCK_NO, 1,
						  kw_cert },
	{ "key", 1, 1, CONF_BLOCK_NO, 1, kw_key },
	{ "ca", 1, 1, CONF_BLOCK_NO, 1, kw_ca },
	{ "verify-client", 1, 1, CONF_BLOCK_NO, 1, kw_verify },
	{ NULL, 0, 0, 0, 0, NULL } };

static int
kw_tls(struct conf *c, const struct conf_node *n, void *ctx)
{
	return conf_walk(c, n->child, tls_kw, ctx) ? -1 : 0;
}

static int
kw_tz(struct conf *c, const struct conf_node *n, void *ctx)
{
	if (time_parse_tzoff(
		n->args[0], &((struct collector_conf *)ctx)->tzoff)) {
		conf_error_at(c, n, "timezone: unknown zone %s", n->args[0]);
		return -1;
	}
	return 0;
}

static int
kw_oversize(struct conf *c, const struct conf_node *n, void *ctx)
{
	struct collector_conf *cf = ctx;

	if (strcmp(n->args[0], "truncate") == 0)
		cf->drop_oversize = 0;
	else if (strcmp(n->args[0], "drop") == 0)
		cf->drop_oversize = 1;
	else {
		conf_error_at(c, n, "oversize: want truncate or drop");
		return -1;
	}
	return 0;
}

static const struct conf_keyword collector_kw[] = {
	{ "listen", 2, 2, CONF_BLOCK_NO, 0, kw_listen },
	{ "udp-workers", 1, 1, CONF_BLOCK_NO, 1, kw_workers },
	{ "timezone", 1, 1, CONF_BLOCK_NO, 1, kw_tz },
	{ "oversize", 1, 1, CONF_BLOCK_NO, 1, kw_oversize },
	{ "stats-interval", 1, 1, CONF_BLOCK_NO, 1, kw_stats },
	{ "skew-warn", 1, 1, CONF_BLOCK_NO, 1, kw_skew_warn },
	{ "skew-critical", 1, 1, CONF_BLOCK_NO, 1, kw_skew_crit },
	{ "tls", 0, 0, CONF_BLOCK_YES, 1, kw_tls },
	{ "limits", 0, 0, CONF_BLOCK_YES, 1, kw_limits },
	{ NULL, 0, 0, 0, 0, NULL }
};

void
collector_conf_free(struct collector_conf *cf)
{
	settings_free(cf->settings);
	cf->settings = NULL;
}

int
collector_conf_load(struct collector_conf *cf, const char *path)
{
	struct settings *set;
	struct conf *c;

	memset(cf, 0, sizeof(*cf));
	snprintf(cf->path, sizeof(cf->path), "%s", path ? path : "");
	cf->frame_max = SC_FRAME_MAX;
	cf->conn_max = SC_TCP_CONN_MAX;
	cf->conn_per_addr = SC_TCP_CONN_PER_ADDR;
	cf->tcp_rcvbuf = SC_TCP_RCVBUF;
	cf->skew_warn_ms = SC_SKEW_WARN_MS;
	cf->skew_crit_ms = SC_SKEW_CRIT_MS;
	cf->idle_sec = SC_TCP_IDLE_SEC;
	cf->conn_buffer = SC_TCP_BUFFERED_MAX;
	cf->udp_rcvbuf = SC_UDP_RCVBUF;
	cf->udp_workers = 2;
	cf->batch_max = SC_BATCH_MAX;
	cf->batch_age_ms = SC_BATCH_AGE_MS;
	cf->queue = SC_QUEUE_BATCHES;
	cf->stats_sec = 60;
	if ((set = settings_load(path)) == NULL)
		return -1; /* errors printed */
	cf->settings = set;
	snprintf(cf->datadir, sizeof(cf->datadir), "%s", set->datadir);
	snprintf(cf->user, sizeof(cf->user), "%s", set->user ? set->user : "");
	snprintf(cf->policy, sizeof(cf->policy), "%s",
	    set->policy ? set->policy : "");
	cf->tzoff = set->tzoff;
	if (set->collector == NULL || (c = set->conf) == NULL)
		return 0;
	verify_node = NULL;
	conf_walk(c, set->collector->child, collector_kw, cf);
	if (cf->conn_buffer < cf->frame_max + 64)
		conf_error_at(c, set->collector,
		    "collector: conn-buffer must exceed frame-max");
	if (cf->tls_verify && cf->tls_ca[0] == '\0')
		conf_error_at(c, verify_node ? verify_node : set->collector,
		    "tls: verify-client yes needs a ca to verify clients "
		    "against");
	if (cf->skew_crit_ms < cf->skew_warn_ms)
		conf_error_at(c, set->collector,
		    "collector: skew-critical must not be below skew-warn");
	verify_node = NULL;
	if (conf_print_errors(c) > 0) {
		collector_conf_free(cf);
		return -1;
	}
	return 0;
}

struct collector_live collector_live = {
	.conn_max = SC_TCP_CONN_MAX,
	.conn_per_addr = SC_TCP_CONN_PER_ADDR,
	.conn_buffer = SC_TCP_BUFFERED_MAX,
	.frame_max = SC_FRAME_MAX,
	.idle_sec = SC_TCP_IDLE_SEC,
	.tcp_rcvbuf = SC_TCP_RCVBUF,
	.tzoff = 9 * 3600,
	.skew_warn_ms = SC_SKEW_WARN_MS,
	.skew_crit_ms = SC_SKEW_CRIT_MS,
};

void
collector_live_set(const struct collector_conf *cf)
{
	LIVE_SET(conn_max, cf->conn_max);
	LIVE_SET(conn_per_addr, cf->conn_per_addr);
	LIVE_SET(conn_buffer, cf->conn_buffer);
	LIVE_SET(frame_max, cf->frame_max);
	LIVE_SET(idle_sec, cf->idle_sec);
	LIVE_SET(tcp_rcvbuf, cf->tcp_rcvbuf);
	LIVE_SET(drop_oversize, cf->drop_oversize);
	LIVE_SET(tzoff, cf->tzoff);
	LIVE_SET(skew_warn_ms, cf->skew_warn_ms);
	LIVE_SET(skew_crit_ms, cf->skew_crit_ms);
}
