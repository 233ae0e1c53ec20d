/*
 * sensor_conf.c — the `sensor NAME { ... }` block of seccloud.conf(5),
 * read with keyword tables (common/conf.h):
 *
 *   sensor edge {
 *           interface eth1          # live capture (or: file PATH ...)
 *           snaplen 65535
 *           promisc yes
 *           buffer-size 64m
 *           filter "not port 22"
 *           midstream no
 *           workers 2               # threads (auto: one per CPU; 1:
 *                                   # the single-threaded path)
 *           eve "/var/log/seccloud/edge.json"
 *           flow-records yes
 *           collector 127.0.0.1:6514
 *           tls yes
 *           ca "/etc/seccloud/ca.pem"
 *           limits {
 *                   flows 1048576
 *                   stream-depth 1m
 *                   reassembly-flow 256k
 *                   reassembly-memcap 256m
 *                   frag-memcap 64m
 *                   frag-timeout 30s
 *                   http-line 8k
 *                   spool 64m
 *                   spool-disk 1g   # DATADIR/sensor-NAME.spool, 0: off
 *           }
 *   }
 *
 * Strings point into the conf tree, which must outlive the config.
 */
#include "config.h"

#include <string.h>

#include "common/conf.h"
#include "sensor/sensor_rules.h"

#define KW(name, min, max, block, fn)        \
	{                                    \
		name, min, max, block, 1, fn \
	}

static int
kw_interface(struct conf *c, const struct conf_node *n, void *arg)
{
	((struct sensor_config *)arg)->iface = n->args[0];
	return 0;
}

static int
kw_snaplen(struct conf *c, const struct conf_node *n, void *arg)
{
	long long v;

	if (conf_arg_int(c, n, 0, 64, 262144, &v) != 0)
		return -1;
	((struct sensor_config *)arg)->snaplen = (int)v;
	return 0;
}

static int
kw_promisc(struct conf *c, const struct conf_node *n, void *arg)
{
	return conf_arg_bool(c, n, 0, &((struct sensor_config *)arg)->promisc);
}

static int
kw_bufsize(struct conf *c, const struct conf_node *n, void *arg)
{
	uint64_t v;

	if (conf_arg_size(c, n, 0, 65536, 1ULL << 30, &v) != 0)
		return -1;
	((struct sensor_config *)arg)->bufsize = (int)v;
	return 0;
}

static int
kw_filter(struct conf *c, const struct conf_node *n, void *arg)
{
	((struct sensor_config *)arg)->bpf = n->args[0];
	return 0;
}

static int
kw_midstream(struct conf *c, const struct conf_node *n, void *arg)
{
	return conf_arg_bool(
	    c, n, 0, &((struct sensor_config *)arg)->midstream);
}

static int
kw_workers(struct conf *c, const struct conf_node *n, void *arg)
{
	long long v;

	if (strcmp(n->args[0], "auto") == 0) {
		((struct sensor_config *)arg)->workers = 0;
		return 0;
	}
	if (conf_arg_int(c, n, 0, 1, SENSOR_WORKERS_MAX, &v) != 0)
		return -1;
	((struct sensor_config *)arg)->workers = (int)v;
	return 0;
}

static int
kw_eve(struct conf *c, const struct conf_node *n, void *arg)
{
	((struct sensor_config *)arg)->eve_path = n->args[0];
	return 0;
}

static int
kw_flows(struct conf *c, const struct conf_node *n, void *arg)
{
	return conf_arg_bool(
	    c, n, 0, &((struct sensor_config *)arg)->eve_flows);
}

static int
kw_collector(struct conf *c, const struct conf_node *n, void *arg)
{
	if (strchr(n->args[0], ':') == NULL) {
		conf_error_at(c, n, "collector: want host:port");
		return -1;
	}
	((struct sensor_config *)arg)->collector = n->args[0];
	return 0;
}

static int
kw_tls(struct conf *c, const struct conf_node *n, void *arg)
{
	return conf_arg_bool(
	    c, n, 0, &((struct sensor_config *)arg)->collector_tls);
}

static int
kw_ca(struct conf *c, const struct conf_node *n, void *arg)
{
	((struct sensor_config *)arg)->collector_ca = n->args[0];
	return 0;
}

static int
size_arg(struct conf *c, const struct conf_node *n, uint64_t min, uint64_t max,
    uint64_t *out)
{
	return conf_arg_size(c, n, 0, min, max, out);
}

static int
lim_flows(struct conf *c, const struct conf_node *n, void *arg)
{
	long long v;

	if (conf_arg_int(c, n, 0, 1, 64LL * 1024 * 1024, &v) != 0)
		return -1;
	((struct sensor_config *)arg)->flows_max = (uint32_t)v;
	return 0;
}

static int
lim_depth(struct conf *c, const struct conf_node *n, void *arg)
{
	return size_arg(
	    c, n, 0, 1ULL << 40, &((struct sensor_config *)arg)->stream_depth);
}

static int
lim_reasm_flow(struct conf *c, const struct conf_node *n, void *arg)
{
	return size_arg(c, n, 1024, 1ULL << 32,
	    &((struct sensor_config *)arg)->reasm_flow_max);
}

static int
lim_reasm_memcap(struct conf *c, const struct conf_node *n, void *arg)
{
	return size_arg(c, n, 65536, 1ULL << 40,
	    &((struct sensor_config *)arg)->reasm_memcap);
}

static int
lim_frag_memcap(struct conf *c, const struct conf_node *n, void *arg)
{
	return size_arg(c, n, 65536, 1ULL << 40,
	    &((struct sensor_config *)arg)->frag_memcap);
}

static int
lim_frag_timeout(struct conf *c, const struct conf_node *n, void *arg)
{
	int64_t s;

	if (conf_arg_duration(c, n, 0, &s) != 0)
		return -1;
	if (s < 1 || s > 3600) {
		conf_error_at(c, n, "frag-timeout: 1s .. 1h");
		return -1;
	}
	((struct sensor_config *)arg)->frag_timeout_sec = (int)s;
	return 0;
}

static int
lim_http_line(struct conf *c, const struct conf_node *n, void *arg)
{
	uint64_t v;

	if (size_arg(c, n, 256, 1 << 20, &v) != 0)
		return -1;
	((struct sensor_config *)arg)->http_line_max = (size_t)v;
	return 0;
}

static int
lim_spool(struct conf *c, const struct conf_node *n, void *arg)
{
	return size_arg(
	    c, n, 65536, 1ULL << 40, &((struct sensor_config *)arg)->spool_max);
}

static int
lim_spool_disk(struct conf *c, const struct conf_node *n, void *arg)
{
	return size_arg(c, n, 0, 1ULL << 40,
	    &((struct sensor_config *)arg)->spool_disk_max);
}

static const struct conf_keyword limits_table[] = {
	KW("flows", 1, 1, CONF_BLOCK_NO, lim_flows),
	KW("stream-depth", 1, 1, CONF_BLOCK_NO, lim_depth),
	KW("reassembly-flow", 1, 1, CONF_BLOCK_NO, lim_reasm_flow),
	KW("reassembly-memcap", 1, 1, CONF_BLOCK_NO, lim_reasm_memcap),
	KW("frag-memcap", 1, 1, CONF_BLOCK_NO, lim_frag_memcap),
	KW("frag-timeout", 1, 1, CONF_BLOCK_NO, lim_frag_timeout),
	KW("http-line", 1, 1, CONF_BLOCK_NO, lim_http_line),
	KW("spool", 1, 1, CONF_BLOCK_NO, lim_spool),
	KW("spool-disk", 1, 1, CONF_BLOCK_NO, lim_spool_disk),
	{ NULL, 0, 0, 0, 0, NULL },
};

static int
kw_limits(struct conf *c, const struct conf_node *n, void *arg)
{
	return conf_walk(c, n->child, limits_table, arg) == 0 ? 0 : -1;
}

static const struct conf_keyword sensor_table[] = {
	KW("interface", 1, 1, CONF_BLOCK_NO, kw_interface),
	KW("snaplen", 1, 1, CONF_BLOCK_NO, kw_snaplen),
	KW("promisc", 1, 1, CONF_BLOCK_NO, kw_promisc),
	KW("buffer-size", 1, 1, CONF_BLOCK_NO, kw_bufsize),
	KW("filter", 1, 1, CONF_BLOCK_NO, kw_filter),
	KW("midstream", 1, 1, CONF_BLOCK_NO, kw_midstream),
	KW("workers", 1, 1, CONF_BLOCK_NO, kw_workers),
	KW("eve", 1, 1, CONF_BLOCK_NO, kw_eve),
	KW("flow-records", 1, 1, CONF_BLOCK_NO, kw_flows),
	KW("collector", 1, 1, CONF_BLOCK_NO, kw_collector),
	KW("tls", 1, 1, CONF_BLOCK_NO, kw_tls),
	KW("ca", 1, 1, CONF_BLOCK_NO, kw_ca),
	KW("limits", 0, 0, CONF_BLOCK_YES, kw_limits),
	{ NULL, 0, 0, 0, 0, NULL },
};

int
sensor_conf_apply(
    struct conf *c, const struct conf_node *block, struct sensor_config *cfg)
{
	cfg->name = block->nargs > 0 ? block->args[0] : "sensor";
	return conf_walk(c, block->child, sensor_table, cfg) == 0 ? 0 : -1;
}
