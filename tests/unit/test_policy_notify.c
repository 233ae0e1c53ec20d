/*
 * test_policy_notify.c — notifications against real receivers on
 * loopback: an evhttp server in a thread of this test (which can be told
 * to fail the first N requests), a UDP socket and a TCP listener for
 * syslog.  Checks delivery, retries with backoff, the notification log,
 * acknowledgement, that a dead receiver never stalls the sender (the queue
 * drops and counts instead), and clean shutdown with retries pending.
 * Every wait polls for its condition with a deadline; nothing sleeps a
 * fixed time.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>
#include <event2/thread.h>
#include <jansson.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "common/timeutil.h"
#include "policies/policy.h"
#include "tests/tap.h"

/* ---- a small HTTP receiver ---- */

struct srv {
	struct event_base *base;
	struct evhttp *http;
	pthread_t thr;
	int port;
	pthread_mutex_t mu;
	int fail_first; /* answer 500 while hits <= this */
	int hits;
	char body[4096];
	char path[256];
	SSL_CTX *tls; /* serve https when set */
};

static void
srv_handle(struct evhttp_request *req, void *arg)
{
	struct srv *s = arg;
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t n = evbuffer_get_length(in);
	int code;

	pthread_mutex_lock(&s->mu);
	s->hits++;
	code = s->hits <= s->fail_first ? 500 : 200;
	if (code == 200) {
		if (n >= sizeof(s->body))
			n = sizeof(s->body) - 1;
		evbuffer_copyout(in, s->body, n);
		s->body[n] = '\0';
		snprintf(s->path, sizeof(s->path), "%s",
		    evhttp_request_get_uri(req));
	}
	pthread_mutex_unlock(&s->mu);
	evhttp_send_reply(req, code, code == 200 ? "OK" : "Oops", NULL);
}

static void *
srv_main(void *arg)
{
	struct srv *s = arg;

	event_base_dispatch(s->base);
	return NULL;
}

static struct bufferevent *
srv_bevcb(struct event_base *base, void *arg)
{
	struct srv *s = arg;

	return bufferevent_openssl_socket_new(base, -1, SSL_new(s->tls),
	    BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
}

static int
srv_start(struct srv *s, SSL_CTX *tls)
{
	struct evhttp_bound_socket *h;
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);

	memset(s, 0, sizeof(*s));
	pthread_mutex_init(&s->mu, NULL);
	s->tls = tls;
	s->base = event_base_new();
	s->http = evhttp_new(s->base);
	if (tls != NULL)
		evhttp_set_bevcb(s->http, srv_bevcb, s);
	evhttp_set_gencb(s->http, srv_handle, s);
	h = evhttp_bind_socket_with_handle(s->http, "127.0.0.1", 0);
	if (h == NULL)
		return -1;
	getsockname(evconnlistener_get_fd(evhttp_bound_socket_get_listener(h)),
	    (struct sockaddr *)&sin, &sl);
	s->port = ntohs(sin.sin_port);
	return pthread_create(&s->thr, NULL, srv_main, s);
}

static void
srv_stop(struct srv *s)
{
	event_base_loopexit(s->base, NULL);
	pthread_join(s->thr, NULL);
	evhttp_free(s->http);
	event_base_free(s->base);
	pthread_mutex_destroy(&s->mu);
}

static int
srv_hits(struct srv *s)
{
	int h;

	pthread_mutex_lock(&s->mu);
	h = s->hits;
	pthread_mutex_unlock(&s->mu);
	return h;
}

/* ---- helpers ---- */

static int
bound_socket(int type, int *port)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	int fd = socket(AF_INET, type, 0);

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0)
		return -1;
	if (type == SOCK_STREAM)
		listen(fd, 4);
	getsockname(fd, (struct sockaddr *)&sin, &sl);
	*port = ntohs(sin.sin_port);
	return fd;
}

/* Wait (polling, 5 s deadline) until the log holds n records. */
static int
wait_records(struct notify_memlog *log, size_t n)
{
	int64_t end = time_mono_us() + 5 * TIME_US_PER_SEC;

	while (notify_memlog_count(log) < n) {
		if (time_mono_us() > end)
			return -1;
		poll(NULL, 0, 5);
	}
	return 0;
}

static int
find_record(struct notify_memlog *log, enum policy_channel ch,
    struct notify_record *out)
{
	size_t i;

	for (i = 0; notify_memlog_get(log, i, out) == 0; i++)
		if (out->channel == ch)
			return 0;
	return -1;
}

static struct policy *
make_policy(int http_port, int udp_port, int tcp_port)
{
	char text[2048];
	int n = snprintf(text, sizeof(text),
	    "prefecture \"県\" { code 240001 }\n"
	    "notify S1 syslog \"udp://127.0.0.1:%d\"\n"
	    "notify S4 syslog \"tcp://127.0.0.1:%d\"\n"
	    "notify S3 webhook \"http://127.0.0.1:%d/soc\"\n"
	    "municipality \"津架空市\" {\n"
	    "	code 242012\n"
	    "	type city\n"
	    "	notify S1-S2 webhook \"http://127.0.0.1:%d/hook/242012\"\n"
	    "}\n",
	    udp_port, tcp_port, http_port, http_port);

	return policy_load_string("notify.policy", text, (size_t)n);
}

static struct notify_msg
msg(int sev)
{
	struct notify_msg m;

	memset(&m, 0, sizeof(m));
	m.ts_us = 1763801606LL * TIME_US_PER_SEC;
	m.severity = sev;
	m.muni_code = "242012";
	m.use_case = "GL-SEP-01";
	m.summary = "M tier talked to the internet";
	m.detail = "10.1.0.7:1 -> 198.51.100.7:443/tcp";
	m.group_id = 42;
	return m;
}

static void
delivery(void)
{
	struct srv s;
	struct notify_memlog *log = notify_memlog_new(64);
	struct notify_sink sink = notify_memlog_sink(log);
	struct notify_config cfg = { 0, 4, 20, 200, 5, NULL };
	struct notify *n;
	struct policy *p;
	struct notify_record r;
	struct notify_stats st;
	struct notify_msg m = msg(1);
	struct pollfd pfd;
	char dgram[2048], frame[2048];
	int udp_port, tcp_port, udp, tcp, c;
	ssize_t got;
	json_t *j;

	ok(srv_start(&s, NULL) == 0, "http receiver on 127.0.0.1:%d", s.port);
	udp = bound_socket(SOCK_DGRAM, &udp_port);
	tcp = bound_socket(SOCK_STREAM, &tcp_port);
	p = make_policy(s.port, udp_port, tcp_port);
	n = notify_new(&cfg, &sink);
	ok(p != NULL && n != NULL, "policy and notifier");
	if (p == NULL || n == NULL)
		return;

	/* S1 for 242012: SOC syslog (udp) + the city's webhook */
	is_int(notify_send(n, p, &m), 2, "S1 queued on two routes");
	ok(wait_records(log, 2) == 0, "both delivered and logged");
	ok(find_record(log, POLICY_CH_WEBHOOK, &r) == 0 &&
		strcmp(r.result, "ok") == 0 && r.attempts == 1 &&
		r.sent_us >= r.created_us && strcmp(r.muni, "242012") == 0 &&
		strstr(r.target, "/hook/242012") != NULL,
	    "webhook record: ok, 1 attempt, times, 団体, target");
	pthread_mutex_lock(&s.mu);
	j = json_loads(s.body, 0, NULL);
	ok(j != NULL, "receiver got JSON");
	is_str(json_string_value(json_object_get(j, "use_case")), "GL-SEP-01",
	    "JSON use_case");
	is_str(json_string_value(
		   json_object_get(json_object_get(j, "municipality"), "name")),
	    "津架空市", "JSON 団体 name");
	is_int(json_integer_value(json_object_get(j, "severity")), 1,
	    "JSON severity");
	is_str(s.path, "/hook/242012", "posted to the URL's path");
	json_decref(j);
	pthread_mutex_unlock(&s.mu);
	pfd.fd = udp;
	pfd.events = POLLIN;
	ok(poll(&pfd, 1, 5000) == 1, "syslog datagram arrived");
	got = recv(udp, dgram, sizeof(dgram) - 1, 0);
	dgram[got > 0 ? got : 0] = '\0';
	ok(strncmp(dgram, "<130>1 2025-11-22T08:53:26", 26) == 0,
	    "RFC 5424 header, local0.crit: %.40s", dgram);
	ok(strstr(dgram, "muni=\"242012\"") && strstr(dgram, "sev=\"S1\""),
	    "structured data names 団体 and severity");
	ok(notify_memlog_ack(log, r.id, "津架空市 情報政策課", 1234) == 0,
	    "acknowledge the webhook notification");
	notify_memlog_get(log, 0, &r);
	notify_memlog_get(log, r.channel == POLICY_CH_WEBHOOK ? 0 : 1, &r);
	ok(r.acked_us == 1234 && strcmp(r.acked_by, "津架空市 情報政策課") == 0,
	    "acknowledgement recorded");
	is_int(notify_memlog_ack(log, 9999, "x", 1), -1, "unknown id");

	/* The receiver fails twice: retried with backoff, then ok. */
	pthread_mutex_lock(&s.mu);
	s.fail_first = s.hits + 2;
	pthread_mutex_unlock(&s.mu);
	m = msg(2);
	is_int(notify_send(n, p, &m), 1, "S2: the webhook only");
	ok(wait_records(log, 3) == 0, "logged after retries");
	notify_memlog_get(log, 2, &r);
	ok(strcmp(r.result, "ok") == 0 && r.attempts == 3,
	    "ok on the 3rd attempt (%s, %d)", r.result, r.attempts);
	notify_get_stats(n, &st);
	ok(st.retries >= 2, "retries counted (%llu)",
	    (unsigned long long)st.retries);

	/* S4 goes to the TCP syslog route, octet-counted. */
	m = msg(4);
	is_int(notify_send(n, p, &m), 1, "S4: tcp syslog");
	pfd.fd = tcp;
	ok(poll(&pfd, 1, 5000) == 1, "tcp syslog connection");
	c = accept(tcp, NULL, NULL);
	got = 0;
	pfd.fd = c;
	while (poll(&pfd, 1, 5000) == 1) {
		ssize_t k =
		    read(c, frame + got, sizeof(frame) - 1 - (size_t)got);

		if (k <= 0)
			break;
		got += k;
	}
	frame[got > 0 ? got : 0] = '\0';
	{
		char *sp = strchr(frame, ' ');
		long want = strtol(frame, NULL, 10);

		ok(sp != NULL && want == (long)strlen(sp + 1) &&
			strncmp(sp + 1, "<133>1 ", 7) == 0,
		    "octet-counted frame, local0.notice: %.30s", frame);
	}
	close(c);
	ok(wait_records(log, 4) == 0, "tcp delivery logged");
	notify_memlog_get(log, 3, &r);
	is_str(r.result, "ok", "tcp syslog ok");

	/* S3 goes to the SOC-wide webhook, which has no 団体 of its own:
	 * the message still names the 団体 it is about */
	m = msg(3);
	is_int(notify_send(n, p, &m), 1, "S3: the SOC-wide webhook");
	ok(wait_records(log, 5) == 0, "SOC-wide delivery logged");
	pthread_mutex_lock(&s.mu);
	j = json_loads(s.body, 0, NULL);
	is_str(s.path, "/soc", "posted to the SOC's URL");
	is_str(json_string_value(
		   json_object_get(json_object_get(j, "municipality"), "code")),
	    "242012", "SOC-wide JSON: 団体 code");
	is_str(json_string_value(
		   json_object_get(json_object_get(j, "municipality"), "name")),
	    "津架空市", "SOC-wide JSON: 団体 name, not empty");
	json_decref(j);
	pthread_mutex_unlock(&s.mu);

	notify_free(n);
	policy_unref(p);
	srv_stop(&s);
	close(udp);
	close(tcp);
	ok(srv_hits(&s) == 5, "receiver saw 1 + 3 + 1 requests");
	notify_memlog_free(log);
}

static void
receiver_down(void)
{
	struct notify_memlog *log = notify_memlog_new(256);
	struct notify_sink sink = notify_memlog_sink(log);
	struct notify_config cfg = { 8, 3, 20, 100, 2, NULL };
	struct notify *n = notify_new(&cfg, &sink);
	struct policy_route route;
	struct notify_msg m = msg(1);
	struct notify_stats st;
	struct notify_record r;
	char url[64];
	int port, fd, i, failed = 0, dropped = 0;
	int64_t t0, dt;
	size_t k;

	/* a port nobody listens on: bind, note, close */
	fd = bound_socket(SOCK_STREAM, &port);
	close(fd);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", port);
	memset(&route, 0, sizeof(route));
	route.sev_mask = 0x3e;
	route.channel = POLICY_CH_WEBHOOK;
	route.target = url;

	t0 = time_mono_us();
	for (i = 0; i < 100; i++)
		notify_send_route(n, &route, &m);
	dt = time_mono_us() - t0;
	ok(dt < 500000, "100 sends to a dead receiver took %lld us",
	    (long long)dt);
	ok(notify_drain(n, 10000) == 0, "drained: nothing pending");
	ok(notify_memlog_count(log) == 100, "every notification logged");
	for (k = 0; notify_memlog_get(log, k, &r) == 0; k++) {
		if (strncmp(r.result, "failed:", 7) == 0 && r.attempts == 3)
			failed++;
		if (strcmp(r.result, "dropped: queue full") == 0 &&
		    r.attempts == 0)
			dropped++;
	}
	is_int(
	    failed + dropped, 100, "each one failed after 3 tries or dropped");
	ok(failed >= 8 && dropped > 0,
	    "queue of 8 filled: %d failed, %d "
	    "dropped",
	    failed, dropped);
	notify_get_stats(n, &st);
	is_int(st.dropped, dropped, "drops counted");
	is_int(st.failed, failed, "failures counted");
	notify_free(n);

	/* shutdown while a retry is pending: logged as abandoned */
	cfg.backoff_first_ms = 60000;
	n = notify_new(&cfg, &sink);
	notify_send_route(n, &route, &m);
	t0 = time_mono_us();
	while (1) {
		notify_get_stats(n, &st);
		if (st.retries > 0 || time_mono_us() - t0 > 5000000)
			break;
		poll(NULL, 0, 5);
	}
	ok(st.retries == 1, "first attempt failed, retry pending");
	t0 = time_mono_us();
	is_int(notify_drain(n, 100), 1, "a bounded drain: 1 still pending");
	dt = time_mono_us() - t0;
	ok(dt >= 90000 && dt < 3000000, "it waited its bound (%lld us)",
	    (long long)dt);
	k = notify_memlog_count(log);
	notify_free(n);
	notify_memlog_get(log, k, &r);
	ok(notify_memlog_count(log) == k + 1 &&
		strncmp(r.result, "abandoned", 9) == 0,
	    "stopping logs the pending one as abandoned");
	notify_memlog_free(log);
}

/* A self-signed certificate for IP 127.0.0.1, made here with OpenSSL. */
static SSL_CTX *
tls_server(const char *pem_path)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509V3_CTX v3;
	X509_EXTENSION *ext;
	SSL_CTX *ctx;
	FILE *fp;

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), -60);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, key);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
	    (const unsigned char *)"seccloud test", -1, -1, 0);
	X509_set_issuer_name(x, X509_get_subject_name(x));
	X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(
	    NULL, &v3, NID_subject_alt_name, "IP:127.0.0.1");
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	ext = X509V3_EXT_conf_nid(NULL, &v3, NID_basic_constraints, "CA:TRUE");
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	X509_sign(x, key, EVP_sha256());
	fp = fopen(pem_path, "w");
	PEM_write_X509(fp, x);
	fclose(fp);
	ctx = SSL_CTX_new(TLS_server_method());
	SSL_CTX_use_certificate(ctx, x);
	SSL_CTX_use_PrivateKey(ctx, key);
	X509_free(x);
	EVP_PKEY_free(key);
	return ctx;
}

static void
https(void)
{
	char pem[] = "/tmp/seccloud-notify-XXXXXX";
	int fd = mkstemp(pem);
	SSL_CTX *tls;
	struct srv s;
	struct notify_memlog *log = notify_memlog_new(8);
	struct notify_sink sink = notify_memlog_sink(log);
	struct notify_config cfg = { 0, 2, 20, 40, 5, pem };
	struct notify *n;
	struct policy_route route;
	struct notify_msg m = msg(1);
	struct notify_record r;
	char url[64];

	close(fd);
	tls = tls_server(pem);
	ok(tls != NULL && srv_start(&s, tls) == 0, "https receiver");
	snprintf(url, sizeof(url), "https://127.0.0.1:%d/tls", s.port);
	memset(&route, 0, sizeof(route));
	route.sev_mask = 0x3e;
	route.channel = POLICY_CH_WEBHOOK;
	route.target = url;
	n = notify_new(&cfg, &sink);
	notify_send_route(n, &route, &m);
	ok(wait_records(log, 1) == 0, "https notification logged");
	notify_memlog_get(log, 0, &r);
	is_str(r.result, "ok", "delivered over TLS, certificate verified");
	notify_free(n);
	/* without the CA the certificate must be refused */
	cfg.ca_file = NULL;
	n = notify_new(&cfg, &sink);
	notify_send_route(n, &route, &m);
	ok(wait_records(log, 2) == 0, "second https notification logged");
	notify_memlog_get(log, 1, &r);
	ok(strncmp(r.result, "failed:", 7) == 0,
	    "untrusted certificate refused (%s)", r.result);
	notify_free(n);
	srv_stop(&s);
	is_int(srv_hits(&s), 1, "only the verified connection posted");
	SSL_CTX_free(tls);
	unlink(pem);
	notify_memlog_free(log);
}

static void
formats(void)
{
	struct notify_msg m = msg(3);
	char line[512];
	char *js;
	json_t *j;

	m.use_case = "GL\"X]";
	m.summary = "two\nlines";
	notify_format_syslog(&m, "sc1", line, sizeof(line));
	ok(strstr(line, "usecase=\"GL\\\"X\\]\"") != NULL,
	    "SD-PARAM escaping: %s", line);
	ok(strchr(line, '\n') == NULL, "message kept on one line");
	ok(strncmp(line, "<132>1 ", 7) == 0, "S3 is local0.warning");
	m.detail = "\xff\xfe not utf-8";
	js = notify_format_json(&m, "市", 7);
	ok(js != NULL, "JSON even with a non-UTF-8 detail");
	j = js ? json_loads(js, 0, NULL) : NULL;
	ok(j != NULL && json_integer_value(json_object_get(j, "id")) == 7,
	    "JSON parses, id");
	json_decref(j);
	free(js);
}

int
main(void)
{
	evthread_use_pthreads();
	formats();
	delivery();
	receiver_down();
	https();
	libevent_global_shutdown();
	return done_testing();
}
