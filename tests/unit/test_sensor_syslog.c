/*
 * test_sensor_syslog.c — the RFC 5424 alert messages to the collector:
 * the format and SD-PARAM escaping, octet-counted framing over a real
 * loopback TCP connection, and that a collector restart loses nothing
 * (the sensor reconnects with backoff and resends what was not
 * acknowledged).  Waits poll a condition with a deadline, never sleep.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/buf.h"

#include "sensor/sensor_int.h"
#include "tests/tap.h"

static uint64_t ctr[CTR_MAX];

static void
mkalert(
    struct sensor_alert *a, uint32_t sid, const char *msg, const char *payload)
{
	memset(a, 0, sizeof(*a));
	a->ts_us = 1700000000123456LL;
	a->sid = sid;
	a->gid = 1;
	a->rev = 2;
	a->severity = 1;
	a->msg = msg;
	a->classtype = "web-application-attack";
	a->proto = 6;
	memset(a->src.b + 10, 0xff, 2);
	a->src.b[12] = 192, a->src.b[13] = 0, a->src.b[14] = 2,
	a->src.b[15] = 1;
	memset(a->dst.b + 10, 0xff, 2);
	a->dst.b[12] = 10, a->dst.b[15] = 3;
	a->sport = 51514;
	a->dport = 80;
	a->app_proto = "http";
	a->to_server = 1;
	a->payload = (const uint8_t *)payload;
	a->plen = strlen(payload);
	a->pcap_cnt = 4;
	a->flow_id = 17;
}

static void
test_format(void)
{
	struct sensor_alert a;
	char out[4096];
	size_t n;

	mkalert(&a, 1000001, "say \"hi\" \\ [x]", "GET /]\"\r\n");
	n = slog_format(&a, "edge", "host1", out, sizeof(out));
	ok(n > 0, "formatted");
	ok(strncmp(out,
	       "<162>1 2023-11-14T22:13:20.123456Z host1 "
	       "seccloud-sensor - alert [alert@32473 sensor=\"edge\" "
	       "sid=\"1000001\" gid=\"1\" rev=\"2\"",
	       60) == 0,
	    "header: %.60s", out);
	ok(strstr(out, "msg=\"say \\\"hi\\\" \\\\ [x\\]\"") != NULL,
	    "msg escaped per RFC 5424 (\" \\ ])");
	ok(strstr(out,
	       "src=\"192.0.2.1\" sport=\"51514\" dst=\"10.0.0.3\" "
	       "dport=\"80\"") != NULL,
	    "addresses");
	ok(strstr(out, "hex=\"474554202f5d220d0a\"") != NULL, "payload hex");
	ok(strstr(out, "ascii=\"GET /\\]\\\"..\"") != NULL,
	    "payload ascii, escaped");
	ok(strstr(out, "] sid 1000001: say") != NULL, "MSG part");
	n = slog_format(&a, "edge", "host1", out, 64);
	is_int(n, 0, "too small a buffer: refused, not cut");
}

static int
listen_on(uint16_t *port)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(*port);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
	    listen(fd, 4) != 0) {
		close(fd);
		return -1;
	}
	getsockname(fd, (struct sockaddr *)&sin, &sl);
	*port = ntohs(sin.sin_port);
	return fd;
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Pump the sensor side and accept/read the collector side until `want`
 * frames whose text contains `needle` arrived, or the deadline. */
static int
collect(struct slog *l, int lfd, int *cfd, struct buf *in, const char *needle,
    int want, int64_t deadline)
{
	int got = 0;

	while (now_ms() < deadline) {
		struct pollfd p[2];
		int np = 0;

		slog_pump(l);
		if (*cfd < 0) {
			p[np].fd = lfd;
			p[np++].events = POLLIN;
		} else {
			p[np].fd = *cfd;
			p[np++].events = POLLIN;
		}
		if (poll(p, (nfds_t)np, 20) <= 0)
			continue;
		if (*cfd < 0) {
			*cfd = accept(lfd, NULL, NULL);
			continue;
		}
		uint8_t b[4096];
		ssize_t r = read(*cfd, b, sizeof(b));

		if (r <= 0)
			return got;
		(void)buf_append(in, b, (size_t)r);
		/* count complete frames holding the needle */
		got = 0;
		for (size_t i = 0; i < in->len;) {
			size_t len = 0, j = i;

			while (j < in->len && in->data[j] >= '0' &&
			    in->data[j] <= '9')
				len = len * 10 + (size_t)(in->data[j++] - '0');
			if (j >= in->len || in->data[j] != ' ' ||
			    j + 1 + len > in->len)
				break;
			if (memmem(in->data + j + 1, len, needle,
				strlen(needle)) != NULL)
				got++;
			i = j + 1 + len;
		}
		if (got >= want)
			return got;
	}
	return got;
}

static void
test_delivery(void)
{
	struct sensor_config cfg;
	struct sensor_alert a;
	struct slog *l;
	char err[256], target[64];
	uint16_t port = 0;
	int lfd = listen_on(&port), cfd = -1;
	struct buf in;

	ok(lfd >= 0, "listening on 127.0.0.1:%u", port);
	sensor_config_defaults(&cfg);
	snprintf(target, sizeof(target), "127.0.0.1:%u", port);
	cfg.collector = target;
	cfg.name = "t";
	l = slog_new(&cfg, ctr, err, sizeof(err));
	ok(l != NULL, "slog_new (%s)", err);
	buf_init(&in, 1 << 20);

	mkalert(&a, 1, "first", "aaa");
	slog_alert(l, &a);
	mkalert(&a, 2, "second", "bbb");
	slog_alert(l, &a);
	is_int(collect(l, lfd, &cfd, &in, "sid=\"", 2, now_ms() + 10000), 2,
	    "two framed messages arrive");

	/* the collector restarts: connection and listener go away */
	close(cfd);
	close(lfd);
	cfd = -1;
	mkalert(&a, 3, "while down", "ccc");
	slog_alert(l, &a);
	for (int i = 0; i < 5; i++)
		slog_pump(l);
	lfd = listen_on(&port);
	ok(lfd >= 0, "collector back on the same port");
	buf_reset(&in);
	ok(collect(l, lfd, &cfd, &in, "sid=\"3\"", 1, now_ms() + 15000) >= 1,
	    "the alert raised while it was down arrives after reconnect");
	is_int(ctr[CTR_ALERT_DROP], 0, "nothing dropped");
	slog_free(l);
	if (cfd >= 0)
		close(cfd);
	close(lfd);
	buf_free(&in);
}

static void
test_spool_bound(void)
{
	struct sensor_config cfg;
	struct sensor_alert a;
	struct slog *l;
	char err[256];

	sensor_config_defaults(&cfg);
	cfg.collector = "127.0.0.1:1"; /* nobody listens */
	cfg.spool_max = 4096;
	memset(ctr, 0, sizeof(ctr));
	l = slog_new(&cfg, ctr, err, sizeof(err));
	for (int i = 0; i < 100; i++) {
		mkalert(&a, (uint32_t)i, "spool", "x");
		slog_alert(l, &a);
	}
	ok(ctr[CTR_ALERT_DROP] > 0 && ctr[CTR_ALERT_DROP] < 100,
	    "a full spool drops the oldest, counted (%llu)",
	    (unsigned long long)ctr[CTR_ALERT_DROP]);
	slog_free(l);
}

/*
 * The disk spool: with the collector down, a 4 KiB memory spool and a
 * 16 KiB disk cap, 100 alerts keep the oldest in memory and the newest on
 * disk, dropping (and counting) the oldest of the disk's.  At exit the
 * memory part goes to the file; a new sender replays the file, in order:
 * sids strictly increasing, the first and the last present, and every
 * alert either delivered or counted as dropped.
 */
static void
test_disk_spool(void)
{
	struct sensor_config cfg;
	struct sensor_alert a;
	struct slog *l;
	char err[256], dir[64], path[128], target[64];
	uint16_t port = 0;
	int lfd, cfd = -1, got, last = -1, inorder = 1, first = -1;
	uint64_t dropped;
	struct buf in;
	struct stat st;

	snprintf(dir, sizeof(dir), "/tmp/sc-spool.%d", (int)getpid());
	ok(mkdir(dir, 0700) == 0, "spool dir");
	snprintf(path, sizeof(path), "%s/sensor-t_1.spool", dir);
	sensor_config_defaults(&cfg);
	cfg.name = "t/1"; /* not a path: sanitised */
	cfg.collector = "127.0.0.1:1"; /* nobody listens */
	cfg.spool_max = 4096;
	cfg.spool_dir = dir;
	cfg.spool_disk_max = 16384;
	memset(ctr, 0, sizeof(ctr));
	l = slog_new(&cfg, ctr, err, sizeof(err));
	ok(l != NULL, "slog_new (%s)", err);
	for (int i = 0; i < 100; i++) {
		mkalert(&a, (uint32_t)(1000 + i), "disk", "payload");
		slog_alert(l, &a);
	}
	dropped = ctr[CTR_ALERT_DROP];
	ok(dropped > 0 && dropped < 90, "disk cap: oldest dropped (%llu)",
	    (unsigned long long)dropped);
	slog_free(l);
	ok(stat(path, &st) == 0 && st.st_size > 16384 / 2 &&
		st.st_size <= 16384 + 4096,
	    "memory and disk kept in %s (%lld bytes)", path,
	    (long long)st.st_size);

	lfd = listen_on(&port);
	snprintf(target, sizeof(target), "127.0.0.1:%u", port);
	cfg.collector = target;
	l = slog_new(&cfg, ctr, err, sizeof(err));
	ok(l != NULL, "a new sender (%s)", err);
	buf_init(&in, 1 << 20);
	got = collect(
	    l, lfd, &cfd, &in, "sid=\"", 100 - (int)dropped, now_ms() + 15000);
	is_int(got, 100 - (int)dropped, "every kept alert arrives");
	for (const char *p = buf_cstr(&in); (p = strstr(p, "sid=\"")) != NULL;
	     p += 5) {
		int sid = (int)strtol(p + 5, NULL, 10);

		if (first < 0)
			first = sid;
		if (sid <= last)
			inorder = 0;
		last = sid;
	}
	ok(inorder, "in order");
	is_int(first, 1000, "the oldest (in memory) first");
	is_int(last, 1099, "the newest last");
	slog_free(l);
	ok(stat(path, &st) == 0 && st.st_size == 0, "the spool file is empty");
	if (cfd >= 0)
		close(cfd);
	close(lfd);
	buf_free(&in);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	test_format();
	test_delivery();
	test_spool_bound();
	test_disk_spool();
	return done_testing();
}
