/*
 * test_sensor_pcap.c — the sensor over hand-made captures from
 * tests/pcapgen/pcapgen.py: what reassembly delivers (overlaps,
 * out-of-order, retransmissions), what the app layer extracts (HTTP over
 * VLAN/QinQ/IPv6/each link type, pipelined requests, TLS SNI split over
 * records and segments, DNS over fragmented IPv4/IPv6 and over TCP).
 * Skips when python3 is missing.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "rules/rules.h"
#include "sensor/sensor_int.h"
#include "tests/tap.h"

struct seen {
	struct buf stream[2];
	char fields[ABUF_MAX][2048]; /* last tx's, "|"-joined over txs */
	int ntx;
	int gaps;
	uint64_t tx_pcap_cnt;
};

static void
on_tx(void *arg, const struct sc_pkt *p, const struct app_tx *tx)
{
	struct seen *s = arg;

	if (tx->partial)
		return;
	s->ntx++;
	s->tx_pcap_cnt = p != NULL ? p->pcap_cnt : 0;
	for (int i = 0; i < ABUF_RAW; i++) {
		size_t o = strlen(s->fields[i]);

		if (tx->buf[i] == NULL)
			continue;
		if (o > 0 && o + 1 < sizeof(s->fields[i]))
			s->fields[i][o++] = '|';
		snprintf(s->fields[i] + o, sizeof(s->fields[i]) - o, "%.*s",
		    (int)tx->len[i], (const char *)tx->buf[i]);
	}
}

static void
on_stream(void *arg, const struct flow *f, int dir, const uint8_t *d, size_t n,
    int gap)
{
	struct seen *s = arg;

	s->gaps += gap;
	(void)buf_append(&s->stream[dir], d, n);
}

static char dir[256];

static struct sensor *
run(const char *name, struct seen *seen, int midstream)
{
	struct sensor_config cfg;
	struct sensor *s;
	char path[512], err[256];

	memset(seen, 0, sizeof(*seen));
	buf_init(&seen->stream[0], 1 << 20);
	buf_init(&seen->stream[1], 1 << 20);
	sensor_config_defaults(&cfg);
	cfg.midstream = midstream;
	cfg.workers = 1; /* the hooks see the engine of a single sensor */
	s = sensor_new(&cfg, NULL);
	s->tx_hook = on_tx;
	s->stream_hook = on_stream;
	s->hook_arg = seen;
	snprintf(path, sizeof(path), "%s/%s/input.pcap", dir, name);
	ok(sensor_read_file(s, path, err, sizeof(err)) == 0, "%s: read (%s)",
	    name, err);
	sensor_flush(s);
	return s;
}

static void
done(struct sensor *s, struct seen *seen)
{
	sensor_free(s);
	buf_free(&seen->stream[0]);
	buf_free(&seen->stream[1]);
}

static const char *
ts(struct seen *s, int d)
{
	return buf_cstr(&s->stream[d]);
}

/* EVE alert lines from sensor_test_pcap(): Suricata's field names. */
static void
test_eve(void)
{
	static const char rules[] =
	    "alert http any any -> any any (msg:\"uri \\\"x\\\"\"; "
	    "http.uri; content:\"/index.html\"; classtype:web-application-"
	    "attack; priority:2; sid:7; rev:3;)\n";
	struct ruleset_opts o = { .flags = RULESET_PACKET | RULESET_NO_CACHE };
	struct ruleset *rs = ruleset_load_string("t", rules, &o, NULL);
	char path[512], err[256], line[8192];
	const char *files[1] = { path };
	FILE *fp = tmpfile();
	long n;

	ok(rs != NULL, "ruleset");
	snprintf(path, sizeof(path), "%s/vlan/input.pcap", dir);
	n = sensor_test_pcap(rs, files, 1, 0, fp, err, sizeof(err));
	is_int(n, 1, "one alert (%s)", n < 0 ? err : "");
	rewind(fp);
	if (fgets(line, sizeof(line), fp) == NULL)
		line[0] = '\0';
	ok(strstr(line, "\"event_type\":\"alert\"") != NULL, "event_type");
	ok(strstr(line,
	       "\"src_ip\":\"10.0.0.1\",\"src_port\":40000,"
	       "\"dest_ip\":\"192.0.2.80\",\"dest_port\":80") != NULL,
	    "addresses and ports");
	ok(strstr(line, "\"proto\":\"TCP\"") != NULL, "proto");
	ok(strstr(line, "\"app_proto\":\"http\"") != NULL, "app_proto");
	ok(strstr(line, "\"pcap_cnt\":4") != NULL, "pcap_cnt: %s", line);
	ok(strstr(line,
	       "\"alert\":{\"action\":\"allowed\",\"gid\":1,"
	       "\"signature_id\":7,\"rev\":3,\"signature\":\"uri "
	       "\\\"x\\\"\",\"category\":\"web-application-"
	       "attack\",\"severity\":2}") != NULL,
	    "alert object");
	ok(strstr(line, "\"payload\":\"R0VUIC9pbmRleC5odG1s") != NULL,
	    "payload base64");
	fclose(fp);
	ruleset_unref(rs);
}

/* The number after "key": in an EVE line, or -1. */
static long
eve_num(const char *line, const char *key)
{
	char k[64];
	const char *q;

	snprintf(k, sizeof(k), "\"%s\":", key);
	if ((q = strstr(line, k)) == NULL)
		return -1;
	return strtol(q + strlen(k), NULL, 10);
}

/*
 * HTTP response buffers: over the http_response capture (GET /404/...
 * answered 404 text/html on packet 5, GET /setup.exe answered 200
 * application/x-msdownload on packet 7), each response rule fires once on
 * its response, and request rules fire on requests only — "404" in the
 * URI is not a status code.
 */
static void
test_response_rules(void)
{
	static const char rules[] =
	    "alert http any any -> any any (msg:\"404\"; http.stat_code; "
	    "content:\"404\"; sid:1;)\n"
	    "alert http any any -> any any (msg:\"exe\"; http.content_type; "
	    "content:\"application/x-msdownload\"; sid:2;)\n"
	    "alert http any any -> any any (msg:\"uri\"; http.uri; "
	    "content:\"404\"; sid:3;)\n"
	    "alert http any any -> any any (msg:\"get\"; http.method; "
	    "content:\"GET\"; sid:4;)\n"
	    "alert http any any -> any any (msg:\"html\"; "
	    "content:\"text/html\"; http.content_type; content:\"200\"; "
	    "http_stat_code; sid:5;)\n";
	/* sid, pcap_cnt, src_port of every alert expected, in order */
	static const long want[][3] = { { 3, 4, 40000 }, { 4, 4, 40000 },
		{ 1, 5, 80 }, { 4, 6, 40000 }, { 2, 7, 80 } };
	const size_t nwant = sizeof(want) / sizeof(want[0]);
	struct ruleset_opts o = { .flags = RULESET_PACKET | RULESET_NO_CACHE };
	struct ruleset *rs = ruleset_load_string("t", rules, &o, NULL);
	char path[512], err[256], line[8192];
	const char *files[1] = { path };
	FILE *fp = tmpfile();
	size_t i = 0;
	long n;

	ok(rs != NULL && ruleset_count(rs) == 5, "response rules load");
	snprintf(path, sizeof(path), "%s/http_response/input.pcap", dir);
	n = sensor_test_pcap(rs, files, 1, 0, fp, err, sizeof(err));
	is_int(n, (long)nwant, "five alerts (%s)", n < 0 ? err : "");
	rewind(fp);
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (strstr(line, "\"event_type\":\"alert\"") == NULL)
			continue;
		if (i < nwant) {
			is_int(eve_num(line, "signature_id"), want[i][0],
			    "alert %zu: sid", i + 1);
			is_int(eve_num(line, "pcap_cnt"), want[i][1],
			    "alert %zu: pcap_cnt", i + 1);
			is_int(eve_num(line, "src_port"), want[i][2],
			    "alert %zu: src_port", i + 1);
		}
		i++;
	}
	is_int((long)i, (long)nwant, "no other alert line");
	fclose(fp);
	ruleset_unref(rs);
}

int
main(void)
{
	const char *top = getenv("top_srcdir");
	char cmd[1024];
	struct seen se;
	struct sensor *s;

	snprintf(dir, sizeof(dir), "/tmp/sc-pcapgen.%d", (int)getpid());
	snprintf(cmd, sizeof(cmd), "python3 %s/tests/pcapgen/pcapgen.py %s",
	    top != NULL ? top : "..", dir);
	if (system(cmd) != 0) {
		printf("1..0 # SKIP pcapgen.py did not run\n");
		return 0;
	}

	s = run("overlap", &se, 0);
	ok(strstr(ts(&se, 0), "xxEVILTHINGyy") != NULL &&
		strstr(ts(&se, 0), "GOOD") == NULL,
	    "overlap: the first data wins");
	is_int(sensor_counter(s, "tcp.overlap"), 1, "overlap counted");
	is_int(sensor_counter(s, "tcp.retransmission"), 1, "retrans counted");
	is_str(se.fields[ABUF_HTTP_URI], "/index.html", "overlap: uri");
	done(s, &se);

	s = run("out_of_order", &se, 0);
	is_str(ts(&se, 0), "..SPLITWORD!", "out of order: in order");
	is_int(sensor_counter(s, "tcp.out_of_order"), 1, "ooo counted");
	is_int(se.gaps, 0, "no gap");
	done(s, &se);

	s = run("retransmit", &se, 0);
	is_str(ts(&se, 0), "--ONCEONLY--", "retransmission delivered once");
	done(s, &se);

	s = run("sni_split", &se, 0);
	is_str(se.fields[ABUF_TLS_SNI], "split.example.org",
	    "sni over two records and three segments");
	is_int(se.tx_pcap_cnt, 6, "sni: on the completing packet");
	done(s, &se);

	s = run("vlan", &se, 0);
	is_str(se.fields[ABUF_HTTP_HOST], "www.example.com", "vlan: host");
	done(s, &se);

	s = run("qinq", &se, 0);
	is_str(se.fields[ABUF_HTTP_UA], "pcapgen", "qinq: user-agent");
	done(s, &se);

	s = run("ipv6_http", &se, 0);
	is_str(se.fields[ABUF_HTTP_URI], "/index.html", "ipv6: uri");
	done(s, &se);

	s = run("frag4", &se, 0);
	is_str(se.fields[ABUF_DNS_QUERY],
	    "a-long-label-to-need-space.fragmented.example",
	    "ipv4 fragments: dns query");
	is_int(sensor_counter(s, "frag.reassembled"), 1, "frag4 counted");
	done(s, &se);

	s = run("frag6", &se, 0);
	is_str(se.fields[ABUF_DNS_QUERY], "v6-fragmented-query.six.example",
	    "ipv6 fragments: dns query");
	done(s, &se);

	s = run("pipelined", &se, 0);
	is_str(se.fields[ABUF_HTTP_URI], "/p1|/p2|/p3", "pipelined uris");
	is_str(se.fields[ABUF_HTTP_METHOD], "GET|POST|GET", "methods");
	done(s, &se);

	s = run("dns_tcp", &se, 0);
	is_str(se.fields[ABUF_DNS_QUERY], "over.tcp.example", "dns over tcp");
	done(s, &se);

	s = run("link_null", &se, 0);
	is_str(se.fields[ABUF_HTTP_METHOD], "GET", "null link");
	done(s, &se);
	s = run("link_raw", &se, 0);
	is_str(se.fields[ABUF_HTTP_METHOD], "GET", "raw link");
	done(s, &se);
	s = run("link_sll", &se, 0);
	is_str(se.fields[ABUF_HTTP_METHOD], "GET", "sll link");
	done(s, &se);
	s = run("link_sll2", &se, 0);
	is_str(se.fields[ABUF_HTTP_METHOD], "GET", "sll2 link");
	done(s, &se);

	s = run("midstream", &se, 0);
	is_str(ts(&se, 0), "", "no midstream: not reassembled");
	is_int(sensor_counter(s, "tcp.no_handshake"), 2, "counted");
	done(s, &se);
	s = run("midstream", &se, 1);
	is_str(ts(&se, 0), "in the MIDDLE of things", "midstream pickup");
	is_str(ts(&se, 1), "ok", "midstream: other direction");
	done(s, &se);

	test_eve();
	test_response_rules();

	/* several files, in order: one numbering, one flow table */
	s = run("vlan", &se, 0);
	{
		char path[512], err[256];

		snprintf(path, sizeof(path), "%s/qinq/input.pcap", dir);
		ok(sensor_read_file(s, path, err, sizeof(err)) == 0,
		    "second file");
		sensor_flush(s);
		is_int(sensor_counter(s, "packets"), 14, "packets of both");
		is_int(se.tx_pcap_cnt, 11, "pcap_cnt continues across files");
		is_int(se.ntx, 2, "a transaction from each file");
	}
	done(s, &se);
	s = run("vlan", &se, 0);
	{
		char err[256];

		ok(sensor_read_file(s, "/nonexistent.pcap", err, sizeof(err)) ==
			    -1 &&
			strstr(err, "/nonexistent.pcap") != NULL,
		    "a missing file is an error naming it");
	}
	done(s, &se);

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		diag("cleanup of %s failed", dir);
	return done_testing();
}
