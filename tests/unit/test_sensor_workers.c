/*
 * test_sensor_workers.c — the sensor with worker threads raises exactly
 * the alerts of the single-threaded path.
 *
 * A capture written here (libpcap's dumper) interleaves 97 HTTP
 * connections (some VLAN-tagged, the URI split over two segments, a
 * response), DNS queries over UDP, fragmented UDP datagrams (some in
 * reverse order) and ARP frames; it is read with 1, 2 and 3 workers and
 * the alert lists (sid, pcap_cnt, addresses, ports, direction) must be
 * identical, as must the counters.  Also: the dispatch hash is symmetric
 * and sends non-IP to worker 0, flow ids stay unique across workers, and
 * the split caps.
 */
#include "config.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rules/rules.h"
#include "sensor/sensor_int.h"
#include "tests/tap.h"

#define NFLOWS 97

/* ---- writing the capture --------------------------------------------- */

struct gen {
	pcap_dumper_t *d;
	int64_t ts_us;
	uint8_t pkt[2048];
	size_t len;
};

static void
put16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static void
put32(uint8_t *b, uint32_t v)
{
	put16(b, (uint16_t)(v >> 16));
	put16(b + 2, (uint16_t)v);
}

static void
emit(struct gen *g)
{
	struct pcap_pkthdr h;

	g->ts_us += 1000;
	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = (time_t)(1795000000 + g->ts_us / 1000000);
	h.ts.tv_usec = (suseconds_t)(g->ts_us % 1000000);
	h.caplen = h.len = (uint32_t)g->len;
	pcap_dump((u_char *)g->d, &h, g->pkt);
}

/* Ethernet (+ 802.1Q if vlan) and an IPv4 header; returns the offset of
 * the IPv4 payload. */
static size_t
ip4(struct gen *g, int vlan, const uint8_t src[4], const uint8_t dst[4],
    uint8_t proto, size_t l4len, uint16_t id, uint16_t frag)
{
	uint8_t *b = g->pkt;
	size_t o = 12;
	uint32_t sum = 0;

	memset(b, 0, 12);
	b[0] = 0x02;
	b[6] = 0x02;
	b[11] = 1;
	if (vlan) {
		put16(b + o, 0x8100);
		put16(b + o + 2, (uint16_t)vlan);
		o += 4;
	}
	put16(b + o, 0x0800);
	o += 2;
	memset(b + o, 0, 20);
	b[o] = 0x45;
	put16(b + o + 2, (uint16_t)(20 + l4len));
	put16(b + o + 4, id);
	put16(b + o + 6, frag);
	b[o + 8] = 64;
	b[o + 9] = proto;
	memcpy(b + o + 12, src, 4);
	memcpy(b + o + 16, dst, 4);
	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)(b[o + i] << 8 | b[o + i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	put16(b + o + 10, (uint16_t)~sum);
	g->len = o + 20 + l4len;
	return o + 20;
}

static void
tcp(struct gen *g, int vlan, const uint8_t src[4], const uint8_t dst[4],
    uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
    const char *data)
{
	size_t n = data ? strlen(data) : 0;
	size_t o = ip4(g, vlan, src, dst, 6, 20 + n, 1, 0x4000);
	uint8_t *t = g->pkt + o;

	memset(t, 0, 20);
	put16(t, sport);
	put16(t + 2, dport);
	put32(t + 4, seq);
	put32(t + 8, ack);
	t[12] = 5 << 4;
	t[13] = flags;
	put16(t + 14, 65535);
	if (n > 0)
		memcpy(t + 20, data, n);
	emit(g);
}

static void
udp(struct gen *g, const uint8_t src[4], const uint8_t dst[4], uint16_t sport,
    uint16_t dport, const uint8_t *data, size_t n)
{
	size_t o = ip4(g, 0, src, dst, 17, 8 + n, 2, 0x4000);
	uint8_t *u = g->pkt + o;

	put16(u, sport);
	put16(u + 2, dport);
	put16(u + 4, (uint16_t)(8 + n));
	put16(u + 6, 0);
	memcpy(u + 8, data, n);
	emit(g);
}

/* A UDP datagram with "FRAGMARK" split over two IPv4 fragments. */
static void
frag_pair(struct gen *g, const uint8_t src[4], const uint8_t dst[4],
    uint16_t sport, uint16_t id, int reverse)
{
	uint8_t dgram[48];
	const char *pay = "0123456789abFRAGMARK0123456789abcdefghij";

	put16(dgram, sport);
	put16(dgram + 2, 9999);
	put16(dgram + 4, 48);
	put16(dgram + 6, 0);
	memcpy(dgram + 8, pay, 40);
	for (int k = 0; k < 2; k++) {
		int part = reverse ? 1 - k : k;
		size_t off = part == 0 ? 0 : 24, n = part == 0 ? 24 : 24;
		size_t o = ip4(g, 0, src, dst, 17, n, id,
		    (uint16_t)((part == 0 ? 0x2000 : 0) | (off / 8)));

		memcpy(g->pkt + o, dgram + off, n);
		emit(g);
	}
}

static void
arp(struct gen *g)
{
	memset(g->pkt, 0xff, 6);
	memset(g->pkt + 6, 0x02, 6);
	put16(g->pkt + 12, 0x0806);
	memset(g->pkt + 14, 0, 28);
	g->len = 42;
	emit(g);
}

static int
write_capture(const char *path)
{
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);
	struct gen g;
	static const uint8_t srv[4] = { 192, 0, 2, 80 },
			     dns[4] = { 192, 0, 2, 53 },
			     sink[4] = { 192, 0, 2, 99 };
	char req[128];

	memset(&g, 0, sizeof(g));
	if (dead == NULL || (g.d = pcap_dump_open(dead, path)) == NULL)
		return -1;
	for (int step = 0; step < 10; step++) {
		for (int i = 0; i < NFLOWS; i++) {
			uint8_t cli[4] = { 10, 1, (uint8_t)(i / 50),
				(uint8_t)(i % 50 + 1) };
			uint16_t cp = (uint16_t)(20000 + i);
			int v = i % 3 == 0 ? 100 + i : 0;
			uint32_t c = 1000, s = 5000;

			switch (step) {
			case 0:
				tcp(&g, v, cli, srv, cp, 80, c, 0, 0x02, NULL);
				break;
			case 1:
				tcp(&g, v, srv, cli, 80, cp, s, c + 1, 0x12,
				    NULL);
				break;
			case 2:
				tcp(&g, v, cli, srv, cp, 80, c + 1, s + 1, 0x10,
				    NULL);
				break;
			case 3:
				tcp(&g, v, cli, srv, cp, 80, c + 1, s + 1, 0x18,
				    "GET /a");
				break;
			case 4:
				snprintf(req, sizeof(req),
				    "ttack%d HTTP/1.1\r\nHost: h%d\r\n\r\n", i,
				    i);
				tcp(&g, v, cli, srv, cp, 80, c + 7, s + 1, 0x18,
				    req);
				break;
			case 5:
				tcp(&g, v, srv, cli, 80, cp, s + 1,
				    c + 7 + (uint32_t)strlen(req), 0x18,
				    "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n"
				    "\r\nSECRET");
				break;
			case 6:
				if (i % 4 == 0) {
					uint8_t q[64];
					size_t n = 12;

					memset(q, 0, 12);
					put16(q, (uint16_t)i);
					put16(q + 2, 0x0100);
					put16(q + 4, 1);
					q[n++] = 6;
					memcpy(q + n, "evil", 4);
					q[n + 4] = (uint8_t)('a' + i % 26);
					q[n + 5] = (uint8_t)('a' + i / 26);
					n += 6;
					q[n++] = 7;
					memcpy(q + n, "example", 7);
					n += 7;
					q[n++] = 0;
					put16(q + n, 1);
					put16(q + n + 2, 1);
					n += 4;
					udp(&g, cli, dns, (uint16_t)(30000 + i),
					    53, q, n);
				}
				break;
			case 7:
				if (i % 5 == 0)
					frag_pair(&g, cli, sink,
					    (uint16_t)(40000 + i),
					    (uint16_t)(100 + i), i % 10 == 0);
				if (i % 17 == 0)
					arp(&g);
				break;
			case 8:
				tcp(&g, v, cli, srv, cp, 80,
				    c + 7 + (uint32_t)strlen(req), s + 43, 0x11,
				    NULL);
				break;
			case 9:
				tcp(&g, v, srv, cli, 80, cp, s + 43,
				    c + 8 + (uint32_t)strlen(req), 0x11, NULL);
				break;
			}
		}
	}
	pcap_dump_close(g.d);
	pcap_close(dead);
	return 0;
}

/* ---- reading it with n workers --------------------------------------- */

#define ALERTS_MAX 1024

struct alerts {
	char line[ALERTS_MAX][256];
	char key[ALERTS_MAX][128]; /* the flow's two ends, ordered */
	uint64_t flow_id[ALERTS_MAX];
	size_t n;
};

static void
on_alert(void *arg, const struct sensor_alert *a)
{
	struct alerts *al = arg;
	char src[ADDR_STRLEN], dst[ADDR_STRLEN];

	if (al->n >= ALERTS_MAX)
		return;
	sensor_fmt_addr(&a->src, src, sizeof(src));
	sensor_fmt_addr(&a->dst, dst, sizeof(dst));
	snprintf(al->line[al->n], sizeof(al->line[0]),
	    "sid %u pcap_cnt %llu %s:%u -> %s:%u %s %s", a->sid,
	    (unsigned long long)a->pcap_cnt, src, a->sport, dst, a->dport,
	    a->to_server ? "to_server" : "to_client",
	    a->app_proto ? a->app_proto : "-");
	if (a->http != NULL) { /* the transaction, as EVE shows it */
		size_t o = strlen(al->line[al->n]);

		snprintf(al->line[al->n] + o, sizeof(al->line[0]) - o,
		    " http %s %s %d %lld", a->http->method, a->http->url,
		    a->http->status, (long long)a->http->length);
	}
	if (a->to_server)
		snprintf(al->key[al->n], sizeof(al->key[0]), "%s:%u %s:%u", src,
		    a->sport, dst, a->dport);
	else
		snprintf(al->key[al->n], sizeof(al->key[0]), "%s:%u %s:%u", dst,
		    a->dport, src, a->sport);
	al->flow_id[al->n] = a->flow_id;
	al->n++;
}

static int
cmp_line(const void *a, const void *b)
{
	return strcmp(a, b);
}

static const char *const counters[] = { "packets", "bytes", "flow.new",
	"frag.reassembled", "http.requests", "dns.queries", "alerts",
	"eth.other_type" };
#define NCOUNTERS (sizeof(counters) / sizeof(counters[0]))

struct result {
	struct alerts al;
	uint64_t ctr[NCOUNTERS];
	int every_worker_busy;
	int ids_unique;
	uint32_t flows_max0;
};

static void
run(const struct ruleset *rs, const char *path, int workers, struct result *r)
{
	struct sensor_config cfg;
	struct sensor *s;
	char err[256];

	memset(r, 0, sizeof(*r));
	sensor_config_defaults(&cfg);
	cfg.workers = workers;
	cfg.flows_max = 3000;
	s = sensor_new(&cfg, rs);
	if (s == NULL)
		return;
	sensor_set_alert_cb(s, on_alert, &r->al);
	if (sensor_read_file(s, path, err, sizeof(err)) != 0)
		diag("read: %s", err);
	sensor_flush(s);
	for (size_t i = 0; i < NCOUNTERS; i++)
		r->ctr[i] = sensor_counter(s, counters[i]);
	r->every_worker_busy = 1;
	/* flows, not packets: ARP alone would keep worker 0 busy; each
	 * worker must own at least a sixth of the flows */
	for (size_t i = 0; i < mt_nworkers(s); i++)
		if (mt_worker(s, i)->ctr[CTR_FLOW_NEW] * 6 <
		    r->ctr[2] /* flow.new */)
			r->every_worker_busy = 0;
	if (mt_nworkers(s) > 0)
		r->flows_max0 = mt_worker(s, 0)->cfg.flows_max;
	sensor_free(s);
	/* alerts of one flow share an id; different flows' ids differ */
	r->ids_unique = 1;
	for (size_t i = 0; i < r->al.n; i++)
		for (size_t j = 0; j < i; j++)
			if ((strcmp(r->al.key[i], r->al.key[j]) == 0) !=
			    (r->al.flow_id[i] == r->al.flow_id[j]))
				r->ids_unique = 0;
	qsort(r->al.line, r->al.n, sizeof(r->al.line[0]), cmp_line);
}

static size_t
count_sid(const struct alerts *al, const char *prefix)
{
	size_t n = 0;

	for (size_t i = 0; i < al->n; i++)
		if (strncmp(al->line[i], prefix, strlen(prefix)) == 0)
			n++;
	return n;
}

static void
test_hash(void)
{
	uint8_t a[64], b[64];
	static const uint8_t ip4h[20] = { 0x45, 0, 0, 40, 0, 1, 0, 0, 64, 6, 0,
		0, 10, 0, 0, 1, 192, 0, 2, 80 };

	memset(a, 0, sizeof(a));
	put16(a + 12, 0x0800);
	memcpy(a + 14, ip4h, 20);
	memcpy(b, a, sizeof(b));
	memcpy(b + 26, ip4h + 16, 4); /* swap the addresses */
	memcpy(b + 30, ip4h + 12, 4);
	ok(mt_hash(DLT_EN10MB, a, 54) != 0, "ipv4: hashed");
	is_int(mt_hash(DLT_EN10MB, a, 54), mt_hash(DLT_EN10MB, b, 54),
	    "ipv4: both directions alike");
	is_int(mt_hash(DLT_EN10MB, a, 54), mt_hash(DLT_RAW, a + 14, 40),
	    "ethernet and raw IP alike");
	/* 802.1Q in front: the same addresses, the same worker */
	memmove(b + 16, a + 12, 42);
	put16(b + 12, 0x8100);
	put16(b + 14, 7);
	is_int(mt_hash(DLT_EN10MB, b, 58), mt_hash(DLT_EN10MB, a, 54),
	    "vlan-tagged alike");
	is_int(mt_hash(DLT_EN10MB, a, 20), 0, "truncated: worker 0");
	put16(a + 12, 0x0806);
	is_int(mt_hash(DLT_EN10MB, a, 54), 0, "arp: worker 0");
	is_int(mt_hash(12345, a, 54), 0, "unknown link type: worker 0");
}

int
main(void)
{
	static const char rules[] =
	    "alert tcp any any -> any 80 (msg:\"split\"; content:\"/attack\"; "
	    "sid:1;)\n"
	    "alert http any any -> any any (msg:\"uri\"; http.uri; "
	    "content:\"/attack\"; sid:2;)\n"
	    "alert tcp any 80 -> any any (msg:\"resp\"; content:\"SECRET\"; "
	    "sid:3;)\n"
	    "alert udp any any -> any any (msg:\"frag\"; "
	    "content:\"FRAGMARK\"; sid:4;)\n"
	    "alert dns any any -> any any (msg:\"dns\"; dns.query; "
	    "content:\"evil\"; sid:5;)\n";
	struct ruleset_opts o = { .flags = RULESET_PACKET | RULESET_NO_CACHE };
	struct ruleset *rs = ruleset_load_string("t", rules, &o, NULL);
	static struct result r1, r2, r3;
	char path[256];

	test_hash();
	ok(sensor_workers_resolve(0) >= 1 &&
		sensor_workers_resolve(0) <= SENSOR_WORKERS_MAX,
	    "auto: %d workers", sensor_workers_resolve(0));
	is_int(sensor_workers_resolve(1000), SENSOR_WORKERS_MAX, "capped");
	ok(rs != NULL, "ruleset");
	snprintf(path, sizeof(path), "/tmp/sc-workers.%d.pcap", (int)getpid());
	ok(write_capture(path) == 0, "capture written");
	run(rs, path, 1, &r1);
	run(rs, path, 2, &r2);
	run(rs, path, 3, &r3);
	unlink(path);

	is_int(count_sid(&r1.al, "sid 1 "), NFLOWS, "1 worker: split content");
	is_int(count_sid(&r1.al, "sid 2 "), NFLOWS, "1 worker: http.uri");
	is_int(count_sid(&r1.al, "sid 3 "), NFLOWS, "1 worker: response");
	{
		size_t with = 0;

		for (size_t i = 0; i < r1.al.n; i++)
			if (strncmp(r1.al.line[i], "sid 3 ", 6) == 0 &&
			    strstr(r1.al.line[i], " http GET /attack") &&
			    strstr(r1.al.line[i], " 200 6"))
				with++;
		is_int(with, NFLOWS,
		    "response alerts carry the request and status 200, "
		    "length 6");
	}
	is_int(count_sid(&r1.al, "sid 4 "), (NFLOWS + 4) / 5,
	    "1 worker: fragmented datagrams");
	is_int(count_sid(&r1.al, "sid 5 "), (NFLOWS + 3) / 4,
	    "1 worker: dns queries");
	for (int k = 0; k < 2; k++) {
		const struct result *r = k == 0 ? &r2 : &r3;
		int w = k == 0 ? 2 : 3;
		size_t same = 0;

		is_int(r->al.n, r1.al.n, "%d workers: as many alerts", w);
		for (size_t i = 0; i < r1.al.n && i < r->al.n; i++)
			same += strcmp(r1.al.line[i], r->al.line[i]) == 0;
		is_int(same, r1.al.n, "%d workers: the same alerts", w);
		for (size_t i = 0; i < r1.al.n && i < r->al.n; i++)
			if (strcmp(r1.al.line[i], r->al.line[i]) != 0) {
				diag("1: %s", r1.al.line[i]);
				diag("%d: %s", w, r->al.line[i]);
				break;
			}
		for (size_t i = 0; i < NCOUNTERS; i++)
			is_int(r->ctr[i], r1.ctr[i], "%d workers: %s", w,
			    counters[i]);
		ok(r->every_worker_busy,
		    "%d workers: each owns its share of "
		    "the flows",
		    w);
		ok(r->ids_unique, "%d workers: flow ids unique", w);
		is_int(
		    r->flows_max0, 3000 / w, "%d workers: flow cap split", w);
	}
	ok(r1.ids_unique, "1 worker: flow ids unique");
	ruleset_unref(rs);
	return done_testing();
}
