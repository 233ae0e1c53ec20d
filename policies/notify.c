/*
 * notify.c — the notifier: a thread with its own libevent loop that
 * delivers alerts along the policy's routes, by webhook (evhttp client,
 * http or https) or syslog (RFC 5424 over UDP, or TCP with octet counting,
 * RFC 6587), retrying failures with exponential backoff.
 *
 * Callers (the collector's pipeline) only format the message, append it to
 * a bounded queue under a mutex and write one byte to a pipe: they never
 * wait for the network.  A full queue drops the notification; the drop is
 * counted and logged like any other outcome.  Everything past the queue —
 * connections, timers, retries — belongs to the notifier's thread.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "common/addr.h"
#include "common/log.h"
#include "common/timeutil.h"
#include "common/xmalloc.h"
#include "policies/policy.h"

struct njob {
	struct njob *next; /* queue, then the live list */
	struct njob *prev;
	struct notify *n;
	struct notify_record rec;
	char *body;
	size_t bodylen;
	struct event *timer;
	struct evhttp_connection *conn;
	struct evhttp_request *req;
	struct bufferevent *bev;
};

struct notify {
	struct notify_config cfg;
	struct notify_sink sink;
	pthread_t thr;
	pthread_mutex_t mu;
	pthread_cond_t idle; /* pending went to 0 */
	struct njob *qhead, *qtail; /* handed over, not yet started */
	size_t pending; /* queued + in flight + waiting to retry */
	int stopping;
	uint64_t next_id;
	struct notify_stats st;
	int wake[2];
	struct event_base *base;
	struct event *wake_ev;
	struct njob *live; /* owned by the loop thread */
	int closing; /* set once the loop has stopped */
	SSL_CTX *ssl;
	char hostname[256];
};

static void start(struct njob *);

static void
record(struct notify *n, struct notify_record *r)
{
	if (n->sink.record != NULL)
		n->sink.record(n->sink.arg, r);
}

static void
job_free(struct njob *j)
{
	if (j->timer != NULL)
		event_free(j->timer);
	free(j->body);
	free(j);
}

static void
live_unlink(struct njob *j)
{
	struct notify *n = j->n;

	if (j->prev != NULL)
		j->prev->next = j->next;
	else if (n->live == j)
		n->live = j->next;
	if (j->next != NULL)
		j->next->prev = j->prev;
	j->next = j->prev = NULL;
}

/* The notification's one and only outcome. */
static void
finish(struct njob *j, int ok, const char *result)
{
	struct notify *n = j->n;

	snprintf(j->rec.result, sizeof(j->rec.result), "%s", result);
	if (ok)
		j->rec.sent_us = time_now_us();
	record(n, &j->rec);
	live_unlink(j);
	pthread_mutex_lock(&n->mu);
	if (ok)
		n->st.sent++;
	else
		n->st.failed++;
	if (--n->pending == 0)
		pthread_cond_broadcast(&n->idle);
	pthread_mutex_unlock(&n->mu);
	job_free(j);
}

static void
retry_cb(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	start(arg);
}

static void
fail(struct njob *j, const char *why)
{
	struct notify *n = j->n;
	char res[NOTIFY_RESULT_MAX];
	int64_t ms;
	struct timeval tv;
	int i;

	if (j->rec.attempts >= n->cfg.max_attempts || n->closing) {
		snprintf(res, sizeof(res), "failed: %s", why);
		finish(j, 0, res);
		return;
	}
	ms = n->cfg.backoff_first_ms;
	for (i = 1; i < j->rec.attempts && ms < n->cfg.backoff_max_ms; i++)
		ms *= 2;
	if (ms > n->cfg.backoff_max_ms)
		ms = n->cfg.backoff_max_ms;
	tv.tv_sec = (time_t)(ms / 1000);
	tv.tv_usec = (suseconds_t)((ms % 1000) * 1000);
	if (j->timer == NULL)
		j->timer = evtimer_new(n->base, retry_cb, j);
	if (j->timer == NULL || evtimer_add(j->timer, &tv) != 0) {
		snprintf(res, sizeof(res), "failed: %s (no retry timer)", why);
		finish(j, 0, res);
		return;
	}
	pthread_mutex_lock(&n->mu);
	n->st.retries++;
	pthread_mutex_unlock(&n->mu);
}

/* ---- webhook ---- */

static void
conn_free_cb(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	evhttp_connection_free(arg);
}

static void
http_done(struct evhttp_request *req, void *arg)
{
	struct njob *j = arg;
	struct notify *n = j->n;
	int code = req ? evhttp_request_get_response_code(req) : 0;
	char why[64];

	j->req = NULL;
	if (n->closing)
		return;
	/* The connection may not be freed from inside its own callback. */
	if (j->conn != NULL) {
		struct timeval zero = { 0, 0 };

		if (event_base_once(n->base, -1, EV_TIMEOUT, conn_free_cb,
			j->conn, &zero) != 0)
			log_warnx("notify: cannot schedule connection free");
		j->conn = NULL;
	}
	if (code >= 200 && code < 300) {
		finish(j, 1, "ok");
		return;
	}
	if (code == 0)
		snprintf(why, sizeof(why), "no response");
	else
		snprintf(why, sizeof(why), "http %d", code);
	fail(j, why);
}

static void
start_webhook(struct njob *j)
{
	struct notify *n = j->n;
	struct evhttp_uri *u = evhttp_uri_parse(j->rec.target);
	const char *scheme, *host, *path, *query;
	struct evhttp_request *req;
	struct evkeyvalq *h;
	char pq[1024];
	struct addr ip;
	int port, tls;

	if (u == NULL || (scheme = evhttp_uri_get_scheme(u)) == NULL ||
	    (host = evhttp_uri_get_host(u)) == NULL) {
		if (u != NULL)
			evhttp_uri_free(u);
		finish(j, 0, "failed: bad URL");
		return;
	}
	tls = strcmp(scheme, "https") == 0;
	port = evhttp_uri_get_port(u);
	if (port < 0)
		port = tls ? 443 : 80;
	path = evhttp_uri_get_path(u);
	query = evhttp_uri_get_query(u);
	snprintf(pq, sizeof(pq), "%s%s%s", path && *path ? path : "/",
	    query ? "?" : "", query ? query : "");
	if (tls) {
		SSL *ssl = n->ssl ? SSL_new(n->ssl) : NULL;
		struct bufferevent *bev;

		if (ssl == NULL) {
			evhttp_uri_free(u);
			fail(j, "tls unavailable");
			return;
		}
		/* The peer must prove the name (or address) in the URL. */
		if (addr_parse(host, &ip) == 0) {
			X509_VERIFY_PARAM_set1_ip_asc(
			    SSL_get0_param(ssl), host);
		} else {
			SSL_set_tlsext_host_name(ssl, host);
			SSL_set1_host(ssl, host);
		}
		bev = bufferevent_openssl_socket_new(n->base, -1, ssl,
		    BUFFEREVENT_SSL_CONNECTING, BEV_OPT_CLOSE_ON_FREE);
		if (bev == NULL)
			SSL_free(ssl);
		j->conn = bev ? evhttp_connection_base_bufferevent_new(
				    n->base, NULL, bev, host, (uint16_t)port) :
				NULL;
	} else {
		j->conn = evhttp_connection_base_new(
		    n->base, NULL, host, (uint16_t)port);
	}
	if (j->conn == NULL) {
		evhttp_uri_free(u);
		fail(j, "cannot create connection");
		return;
	}
	evhttp_connection_set_timeout(j->conn, n->cfg.timeout_s);
	evhttp_connection_set_retries(j->conn, 0);
	req = evhttp_request_new(http_done, j);
	h = evhttp_request_get_output_headers(req);
	evhttp_add_header(h, "Host", host);
	evhttp_add_header(h, "Content-Type", "application/json; charset=utf-8");
	evhttp_add_header(h, "User-Agent", "seccloud-notify");
	evbuffer_add(
	    evhttp_request_get_output_buffer(req), j->body, j->bodylen);
	evhttp_uri_free(u);
	j->req = req;
	if (evhttp_make_request(j->conn, req, EVHTTP_REQ_POST, pq) != 0) {
		/* libevent freed req */
		j->req = NULL;
		evhttp_connection_free(j->conn);
		j->conn = NULL;
		fail(j, "request not sent");
	}
}

/* ---- syslog ---- */

static int
resolve(const char *target, int *socktype, struct sockaddr_storage *ss,
    socklen_t *sslen)
{
	char host[256];
	const char *hp = target + 6, *colon = strrchr(hp, ':');
	struct addrinfo hints, *res = NULL;
	size_t hl;

	if (colon == NULL)
		return -1;
	*socktype =
	    strncmp(target, "tcp://", 6) == 0 ? SOCK_STREAM : SOCK_DGRAM;
	hl = (size_t)(colon - hp);
	if (hl > 0 && hp[0] == '[' && hp[hl - 1] == ']') {
		hp++;
		hl -= 2;
	}
	if (hl == 0 || hl >= sizeof(host))
		return -1;
	memcpy(host, hp, hl);
	host[hl] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = *socktype;
	if (getaddrinfo(host, colon + 1, &hints, &res) != 0 || res == NULL)
		return -1;
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*sslen = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static void
tcp_write_cb(struct bufferevent *bev, void *arg)
{
	struct njob *j = arg;

	/* The output buffer drained: the frame was handed to the kernel. */
	bufferevent_free(bev);
	j->bev = NULL;
	finish(j, 1, "ok");
}

static void
tcp_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct njob *j = arg;

	if (what & BEV_EVENT_CONNECTED)
		return;
	bufferevent_free(bev);
	j->bev = NULL;
	fail(j, what & BEV_EVENT_TIMEOUT ? "timeout" : "connection failed");
}

static void
start_syslog(struct njob *j)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	int type, fd;
	struct timeval tv;

	if (resolve(j->rec.target, &type, &ss, &sslen) != 0) {
		fail(j, "cannot resolve");
		return;
	}
	if (type == SOCK_DGRAM) {
		ssize_t w;

		fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			fail(j, "socket");
			return;
		}
		w = sendto(fd, j->body, j->bodylen, MSG_DONTWAIT,
		    (struct sockaddr *)&ss, sslen);
		close(fd);
		if (w == (ssize_t)j->bodylen)
			finish(j, 1, "ok");
		else
			fail(j, "send failed");
		return;
	}
	j->bev = bufferevent_socket_new(j->n->base, -1, BEV_OPT_CLOSE_ON_FREE);
	if (j->bev == NULL) {
		fail(j, "socket");
		return;
	}
	tv.tv_sec = j->n->cfg.timeout_s;
	tv.tv_usec = 0;
	bufferevent_set_timeouts(j->bev, &tv, &tv);
	bufferevent_setcb(j->bev, NULL, tcp_write_cb, tcp_event_cb, j);
	/* RFC 6587 octet counting: "LEN SP MSG" */
	evbuffer_add_printf(bufferevent_get_output(j->bev), "%zu ", j->bodylen);
	evbuffer_add(bufferevent_get_output(j->bev), j->body, j->bodylen);
	bufferevent_enable(j->bev, EV_WRITE);
	if (bufferevent_socket_connect(
		j->bev, (struct sockaddr *)&ss, (int)sslen) != 0) {
		bufferevent_free(j->bev);
		j->bev = NULL;
		fail(j, "connect failed");
	}
}

static void
start(struct njob *j)
{
	j->rec.attempts++;
	if (j->rec.channel == POLICY_CH_WEBHOOK)
		start_webhook(j);
	else
		start_syslog(j);
}

/* ---- the loop thread ---- */

static void
wake_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct notify *n = arg;
	struct njob *q, *next;
	char buf[256];
	int stop;

	(void)ev;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	pthread_mutex_lock(&n->mu);
	q = n->qhead;
	n->qhead = n->qtail = NULL;
	stop = n->stopping;
	pthread_mutex_unlock(&n->mu);
	for (; q != NULL; q = next) {
		next = q->next;
		q->next = n->live;
		q->prev = NULL;
		if (n->live != NULL)
			n->live->prev = q;
		n->live = q;
		if (!stop)
			start(q);
	}
	if (stop)
		event_base_loopbreak(n->base);
}

static void *
loop_main(void *arg)
{
	struct notify *n = arg;

	event_base_dispatch(n->base);
	return NULL;
}

struct notify *
notify_new(const struct notify_config *cfg, const struct notify_sink *sink)
{
	struct notify *n = xcalloc(1, sizeof(*n));

	if (cfg != NULL)
		n->cfg = *cfg;
	if (n->cfg.queue_max == 0)
		n->cfg.queue_max = 1024;
	if (n->cfg.max_attempts <= 0)
		n->cfg.max_attempts = 6;
	if (n->cfg.backoff_first_ms <= 0)
		n->cfg.backoff_first_ms = 1000;
	if (n->cfg.backoff_max_ms <= 0)
		n->cfg.backoff_max_ms = 300000;
	if (n->cfg.timeout_s <= 0)
		n->cfg.timeout_s = 10;
	if (sink != NULL)
		n->sink = *sink;
	n->next_id = 1;
	pthread_mutex_init(&n->mu, NULL);
	pthread_cond_init(&n->idle, NULL);
	if (gethostname(n->hostname, sizeof(n->hostname) - 1) != 0)
		snprintf(n->hostname, sizeof(n->hostname), "-");
	n->ssl = SSL_CTX_new(TLS_client_method());
	if (n->ssl != NULL) {
		if (n->cfg.ca_file != NULL) {
			if (SSL_CTX_load_verify_locations(
				n->ssl, n->cfg.ca_file, NULL) != 1)
				log_warnx("notify: %s: cannot load CAs",
				    n->cfg.ca_file);
		} else
			SSL_CTX_set_default_verify_paths(n->ssl);
		SSL_CTX_set_verify(n->ssl, SSL_VERIFY_PEER, NULL);
	}
	n->cfg.ca_file = NULL; /* not kept: the caller's string */
	if (pipe2(n->wake, O_NONBLOCK | O_CLOEXEC) != 0) {
		log_warn("notify: pipe");
		goto fail;
	}
	n->base = event_base_new();
	if (n->base == NULL)
		goto fail;
	n->wake_ev =
	    event_new(n->base, n->wake[0], EV_READ | EV_PERSIST, wake_cb, n);
	if (n->wake_ev == NULL || event_add(n->wake_ev, NULL) != 0)
		goto fail;
	if (pthread_create(&n->thr, NULL, loop_main, n) != 0) {
		log_warnx("notify: cannot start thread");
		goto fail;
	}
	return n;
fail:
	if (n->wake_ev)
		event_free(n->wake_ev);
	if (n->base)
		event_base_free(n->base);
	if (n->wake[0] > 0) {
		close(n->wake[0]);
		close(n->wake[1]);
	}
	if (n->ssl)
		SSL_CTX_free(n->ssl);
	pthread_cond_destroy(&n->idle);
	pthread_mutex_destroy(&n->mu);
	free(n);
	return NULL;
}

static void
fill_record(struct notify_record *r, const struct notify_msg *m,
    const struct policy_route *route)
{
	memset(r, 0, sizeof(*r));
	r->group_id = m->group_id;
	r->alert_id = m->alert_id;
	snprintf(
	    r->muni, sizeof(r->muni), "%s", m->muni_code ? m->muni_code : "");
	r->severity = m->severity;
	r->channel = route->channel;
	snprintf(r->target, sizeof(r->target), "%s", route->target);
	snprintf(
	    r->summary, sizeof(r->summary), "%s", m->summary ? m->summary : "");
	r->created_us = time_now_us();
}

int
notify_send_route(struct notify *n, const struct policy_route *route,
    const struct notify_msg *m)
{
	struct njob *j;
	struct notify_record drop;
	char line[2048];
	uint64_t id;
	int full;

	pthread_mutex_lock(&n->mu);
	id = n->next_id++;
	full = n->stopping || n->pending >= n->cfg.queue_max;
	if (full)
		n->st.dropped++;
	else
		n->pending++;
	pthread_mutex_unlock(&n->mu);
	if (full || (j = calloc(1, sizeof(*j))) == NULL) {
		if (!full) {
			pthread_mutex_lock(&n->mu);
			if (--n->pending == 0)
				pthread_cond_broadcast(&n->idle);
			n->st.dropped++;
			pthread_mutex_unlock(&n->mu);
		}
		fill_record(&drop, m, route);
		drop.id = id;
		snprintf(drop.result, sizeof(drop.result), "dropped: %s",
		    full ? "queue full" : "out of memory");
		record(n, &drop);
		return -1;
	}
	j->n = n;
	fill_record(&j->rec, m, route);
	j->rec.id = id;
	if (route->channel == POLICY_CH_WEBHOOK) {
		/* a SOC-wide route has no 団体 of its own: the message's */
		j->body = notify_format_json(m,
		    m->muni_name != NULL    ? m->muni_name :
			route->muni != NULL ? route->muni->name :
					      NULL,
		    id);
		j->bodylen = j->body ? strlen(j->body) : 0;
	} else {
		size_t len =
		    notify_format_syslog(m, n->hostname, line, sizeof(line));

		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		j->body = malloc(len + 1);
		if (j->body != NULL) {
			memcpy(j->body, line, len + 1);
			j->bodylen = len;
		}
	}
	if (j->body == NULL) {
		pthread_mutex_lock(&n->mu);
		if (--n->pending == 0)
			pthread_cond_broadcast(&n->idle);
		n->st.dropped++;
		pthread_mutex_unlock(&n->mu);
		snprintf(j->rec.result, sizeof(j->rec.result),
		    "dropped: cannot format");
		record(n, &j->rec);
		free(j);
		return -1;
	}
	pthread_mutex_lock(&n->mu);
	if (n->qtail != NULL)
		n->qtail->next = j;
	else
		n->qhead = j;
	n->qtail = j;
	n->st.queued++;
	pthread_mutex_unlock(&n->mu);
	/* A full pipe already holds a wake-up: ignore EAGAIN. */
	if (write(n->wake[1], "x", 1) < 0 && errno != EAGAIN)
		log_warn("notify: wake");
	return 0;
}

size_t
notify_send(
    struct notify *n, const struct policy *p, const struct notify_msg *m)
{
	const struct policy_route *routes[16];
	const struct policy_muni *muni = NULL;
	struct notify_msg named;
	size_t i, nr, queued = 0;

	if (m->muni_code != NULL && *m->muni_code != '\0')
		muni = policy_muni_by_code(p, m->muni_code);
	nr = policy_routes_for(p, muni, m->severity, routes, 16);
	if (nr > 16)
		nr = 16;
	/* every route names the 団体, the SOC-wide ones too */
	named = *m;
	if (named.muni_name == NULL && muni != NULL)
		named.muni_name = muni->name;
	for (i = 0; i < nr; i++)
		if (notify_send_route(n, routes[i], &named) == 0)
			queued++;
	return queued;
}

void
notify_get_stats(struct notify *n, struct notify_stats *out)
{
	pthread_mutex_lock(&n->mu);
	*out = n->st;
	pthread_mutex_unlock(&n->mu);
}

size_t
notify_drain(struct notify *n, int64_t timeout_ms)
{
	struct timespec ts;
	size_t left;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += (time_t)(timeout_ms / 1000);
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&n->mu);
	while (n->pending > 0 &&
	    pthread_cond_timedwait(&n->idle, &n->mu, &ts) == 0)
		;
	left = n->pending;
	pthread_mutex_unlock(&n->mu);
	return left;
}

void
notify_free(struct notify *n)
{
	struct njob *j, *next;

	if (n == NULL)
		return;
	pthread_mutex_lock(&n->mu);
	n->stopping = 1;
	pthread_mutex_unlock(&n->mu);
	if (write(n->wake[1], "x", 1) < 0 && errno != EAGAIN)
		log_warn("notify: wake");
	pthread_join(n->thr, NULL);
	/* The loop has stopped: nothing else touches the jobs now. */
	n->closing = 1;
	for (j = n->live; j != NULL; j = j->next) {
		if (j->req != NULL)
			evhttp_cancel_request(j->req);
		j->req = NULL;
		if (j->conn != NULL)
			evhttp_connection_free(j->conn);
		j->conn = NULL;
		if (j->bev != NULL)
			bufferevent_free(j->bev);
		j->bev = NULL;
	}
	/* Jobs queued after the last wake-up, then the live ones. */
	for (j = n->qhead; j != NULL; j = next) {
		next = j->next;
		j->next = n->live;
		n->live = j;
	}
	n->qhead = n->qtail = NULL;
	while ((j = n->live) != NULL)
		finish(j, 0, "abandoned: notifier stopped");
	/* connection frees scheduled with event_base_once run here */
	event_base_loop(n->base, EVLOOP_NONBLOCK);
	event_free(n->wake_ev);
	event_base_free(n->base);
	close(n->wake[0]);
	close(n->wake[1]);
	if (n->ssl != NULL)
		SSL_CTX_free(n->ssl);
	pthread_cond_destroy(&n->idle);
	pthread_mutex_destroy(&n->mu);
	free(n);
}
