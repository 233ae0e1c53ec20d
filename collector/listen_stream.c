/*
 * listen_stream.c — stream syslog: TCP (RFC 6587), TLS (RFC 5425, through
 * libevent's OpenSSL bufferevents, with optional client-certificate
 * checks) and a local unix socket, all served by one thread with its own
 * event_base.  Each connection has a framer (frame.c) and bounded input:
 * at most conn-buffer bytes are read ahead (and at most tcp-rcvbuf wait
 * in the kernel), connections past `connections` in all or
 * `connections-per-address` from one address (TCP and TLS) are refused
 * and counted, idle ones are closed after idle-timeout.  Every close is
 * counted by its reason (closed/peer, idle, error, tls-handshake,
 * conn-buffer, stop).  When the writer is behind (pipeline.c) the thread
 * waits for it, which stops reading every connection: TCP flow control
 * pushes back on the senders.  SIGHUP's new limits and TLS certificate
 * apply to the connections accepted after it.
 */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "collector/collector_int.h"
#include "common/log.h"
#include "common/timeutil.h"

#define STREAM_READ_MAX (256 * 1024) /* bytes per read(2) */
#define ADDR_BUCKETS 1024 /* connections by peer address */

struct stream_listener {
	struct evconnlistener *lev;
	char kind;
	struct stream_worker *sw;
};

struct conn {
	struct stream_worker *sw;
	struct bufferevent *bev;
	struct framer fr;
	struct ingress in;
	char name[ADDR_STRLEN + 8];
	struct conn *prev, *next;
	size_t conn_buffer; /* as it was at accept */
	struct conn *hnext; /* same bucket of byaddr */
	unsigned bucket;
	int hashed;
};

struct stream_worker {
	struct worker_env env;
	struct event_base *base;
	struct event *ev_timer;
	pthread_t thr;
	int started;
	struct stream_listener ls[COLLECTOR_LISTEN_MAX];
	size_t nls;
	pthread_mutex_t ssl_mu; /* ssl is swapped by SIGHUP */
	SSL_CTX *ssl;
	struct batch *cur;
	struct conn *conns;
	size_t nconns;
	struct conn *byaddr[ADDR_BUCKETS];
	struct ratelim rl, rl_addr;
};

static unsigned
addr_bucket(const struct addr *a)
{
	uint32_t h = 2166136261U;

	for (size_t i = 0; i < sizeof(a->b); i++)
		h = (h ^ a->b[i]) * 16777619U;
	return h & (ADDR_BUCKETS - 1);
}

/* Open connections from a (TCP and TLS). */
static size_t
addr_conns(const struct stream_worker *sw, const struct addr *a, unsigned b)
{
	size_t n = 0;

	for (const struct conn *c = sw->byaddr[b]; c != NULL; c = c->hnext)
		if (addr_cmp(&c->in.peer, a) == 0)
			n++;
	return n;
}

static void
submit(struct stream_worker *sw)
{
	if (sw->cur != NULL) {
		pipeline_submit(sw->env.pipeline, sw->cur);
		sw->cur = NULL;
	}
}

static int
on_frame(void *arg, const uint8_t *p, size_t n, uint32_t flags)
{
	struct conn *c = arg;
	struct stream_worker *sw = c->sw;

	for (;;) {
		if (sw->cur == NULL &&
		    (sw->cur = pipeline_get(sw->env.pipeline, 1)) == NULL)
			return -1; /* out of memory: keep it buffered */
		if (batch_add(sw->cur, p, n, flags, &c->in) != NULL)
			break;
		if (sw->cur->nev == 0) {
			/* cannot fit even an empty batch: cut to the arena */
			n = sw->cur->cap;
			flags |= SC_EV_TRUNCATED;
			continue;
		}
		submit(sw);
	}
	switch (c->in.transport) {
	case 't':
		ctr_add(CTR_RX_TCP, 1);
		break;
	case 's':
		ctr_add(CTR_RX_TLS, 1);
		break;
	default:
		ctr_add(CTR_RX_UNIX, 1);
	}
	ctr_add(CTR_RX_BYTES, n);
	return 0;
}

/* Frame what the connection has buffered.  -1 when the framer cannot go
 * on (no batch to put a frame in) and the input is at conn-buffer: the
 * caller closes the connection rather than hold it stuck. */
static int
drain(struct conn *c, int eof)
{
	struct evbuffer *in = bufferevent_get_input(c->bev);
	uint64_t tr = c->fr.truncated, dr = c->fr.dropped_oversize;
	uint64_t bad = c->fr.bad_count;
	int stuck = 0;

	c->in.recv_us = time_now_us();
	c->in.tagger = c->sw->env.tagger(c->sw->env.arg);
	for (;;) {
		size_t len = evbuffer_get_length(in), want, used;
		uint8_t *p;

		if (len == 0)
			break;
		want = len < c->fr.max + 32 ? len : c->fr.max + 32;
		if ((p = evbuffer_pullup(in, (ssize_t)want)) == NULL)
			break;
		used = framer_scan(
		    &c->fr, p, want, eof && want == len, on_frame, c);
		if (used == 0) {
			/* a full window always yields a frame: the framer
			 * stopped */
			stuck = want < len || want == c->fr.max + 32;
			break;
		}
		evbuffer_drain(in, used);
	}
	(void)tr;
	ctr_add(CTR_DROP_OVERSIZE, c->fr.dropped_oversize - dr);
	ctr_add(CTR_BAD_COUNT, c->fr.bad_count - bad);
	if (c->fr.bad_count > bad) {
		uint64_t sup;

		if (ratelim_ok(&c->sw->rl, &sup))
			log_warnx("%s: bad octet count, read as a line "
				  "(%llu similar suppressed)",
			    c->name, (unsigned long long)sup);
	}
	if (stuck && evbuffer_get_length(in) >= c->conn_buffer)
		return -1;
	return 0;
}

#define STOP_DRAIN_US (2 * TIME_US_PER_SEC)

/* At stop: read the socket dry.  1 if the peer had closed. */
static int
read_rest(struct conn *c, int64_t deadline)
{
	struct evbuffer *in = bufferevent_get_input(c->bev);
	evutil_socket_t fd = bufferevent_getfd(c->bev);
	int n;

	while (time_mono_us() < deadline) {
		n = evbuffer_read(in, fd, 65536);
		if (n == 0)
			return 1;
		if (n < 0)
			return 0; /* EAGAIN: nothing more for now */
		drain(c, 0);
	}
	return 0;
}

/* At stop, over TLS: decrypt what the peer already sent (in OpenSSL's
 * buffers and the socket) into the input and frame it.  1 if the peer had
 * closed. */
static int
read_rest_tls(struct conn *c, int64_t deadline)
{
	struct evbuffer *in = bufferevent_get_input(c->bev);
	SSL *ssl = bufferevent_openssl_get_ssl(c->bev);
	char buf[16384];
	size_t total = 0;
	int n, e;

	if (ssl == NULL || !SSL_is_init_finished(ssl))
		return 0; /* no handshake, no data */
	while (time_mono_us() < deadline) {
		ERR_clear_error();
		n = SSL_read(ssl, buf, sizeof(buf));
		if (n > 0) {
			if (evbuffer_add(in, buf, (size_t)n) != 0)
				return 0;
			total += (size_t)n;
			drain(c, 0);
			continue;
		}
		e = SSL_get_error(ssl, n);
		ERR_clear_error();
		if (total > 0)
			log_debug("%s: %zu bytes read over tls at stop",
			    c->name, total);
		/* WANT_READ: nothing more for now; anything else: closed
		 * (close_notify, EOF, error) */
		return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE ?
		    0 :
		    1;
	}
	return 0;
}

static void
conn_free(struct conn *c, enum ctr why)
{
	struct stream_worker *sw = c->sw;

	ctr_add(why, 1);
	if (c->hashed) {
		struct conn **pp = &sw->byaddr[c->bucket];

		while (*pp != c)
			pp = &(*pp)->hnext;
		*pp = c->hnext;
	}
	if (c->prev)
		c->prev->next = c->next;
	else
		sw->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	sw->nconns--;
	ctr_add(CTR_CONNS_OPEN, (uint64_t)-1);
	bufferevent_free(c->bev);
	free(c);
}

static void
on_read(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;
	uint64_t sup;

	(void)bev;
	if (drain(c, 0) == 0)
		return;
	ctr_add(CTR_DROP_CONN_BUFFER, 1);
	if (ratelim_ok(&c->sw->rl, &sup))
		log_warnx("%s: closed: %zu bytes buffered and none can be "
			  "taken (%llu similar suppressed)",
		    c->name, evbuffer_get_length(bufferevent_get_input(c->bev)),
		    (unsigned long long)sup);
	conn_free(c, CTR_CLOSED_CONN_BUFFER);
}

static void
on_event(struct bufferevent *bev, short what, void *arg)
{
	struct conn *c = arg;
	enum ctr why = CTR_CLOSED_ERROR;

	(void)bev;
	if (what & BEV_EVENT_CONNECTED)
		return;
	if (what & BEV_EVENT_EOF)
		why = CTR_CLOSED_PEER;
	else if (what & BEV_EVENT_TIMEOUT) {
		why = CTR_CLOSED_IDLE;
		log_debug("%s: idle for %d s: closed", c->name,
		    (int)LIVE_GET(idle_sec));
	}
	if ((what & BEV_EVENT_ERROR) && c->in.transport == 's') {
		unsigned long e = bufferevent_get_openssl_error(c->bev);
		SSL *ssl = bufferevent_openssl_get_ssl(c->bev);

		if (e != 0) {
			char buf[256];

			ERR_error_string_n(e, buf, sizeof(buf));
			log_warnx("%s: tls: %s", c->name, buf);
			ctr_add(CTR_DROP_TLS_HANDSHAKE, 1);
		}
		if (ssl == NULL || !SSL_is_init_finished(ssl))
			why = CTR_CLOSED_TLS_HANDSHAKE;
	}
	drain(c, 1); /* whatever came before the close is a frame */
	conn_free(c, why);
}

static void
on_accept(struct evconnlistener *lev, evutil_socket_t fd, struct sockaddr *sa,
    int salen, void *arg)
{
	struct stream_listener *sl = arg;
	struct stream_worker *sw = sl->sw;
	size_t conn_max = LIVE_GET(conn_max),
	       per_addr = LIVE_GET(conn_per_addr);
	size_t conn_buffer = LIVE_GET(conn_buffer);
	int rcvbuf = LIVE_GET(tcp_rcvbuf);
	struct conn *c;
	struct timeval tv;
	struct addr peer;
	uint16_t port = 0;
	unsigned bucket = 0;
	uint64_t sup;

	(void)lev;
	(void)salen;
	if (sl->kind == 'x')
		addr_from_v4(&peer, 0x7f000001);
	else {
		addr_from_sockaddr(&peer, sa, &port);
		bucket = addr_bucket(&peer);
		if (addr_conns(sw, &peer, bucket) >= per_addr) {
			char as[ADDR_STRLEN];

			ctr_add(CTR_DROP_CONN_LIMIT_ADDR, 1);
			if (ratelim_ok(&sw->rl_addr, &sup)) {
				addr_fmt(&peer, as, sizeof(as));
				log_warnx("%s: connection refused: %zu open "
					  "from this address (%llu similar "
					  "suppressed)",
				    as, per_addr, (unsigned long long)sup);
			}
			close(fd);
			return;
		}
	}
	if (sw->nconns >= conn_max || (c = calloc(1, sizeof(*c))) == NULL) {
		ctr_add(CTR_DROP_CONN_LIMIT, 1);
		if (ratelim_ok(&sw->rl, &sup))
			log_warnx("connection refused: %zu connections open "
				  "(%llu similar suppressed)",
			    sw->nconns, (unsigned long long)sup);
		close(fd);
		return;
	}
	if (rcvbuf > 0 && sl->kind != 'x')
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	c->sw = sw;
	c->in.transport = sl->kind;
	c->in.tzoff = LIVE_GET(tzoff);
	c->in.peer = peer;
	c->in.port = port;
	c->conn_buffer = conn_buffer;
	addr_fmt(&c->in.peer, c->name, sizeof(c->name));
	framer_init(&c->fr, LIVE_GET(frame_max), LIVE_GET(drop_oversize));
	if (sl->kind == 's') {
		SSL *ssl;

		pthread_mutex_lock(&sw->ssl_mu);
		ssl = SSL_new(sw->ssl);
		pthread_mutex_unlock(&sw->ssl_mu);

		c->bev = ssl == NULL ?
		    NULL :
		    bufferevent_openssl_socket_new(sw->base, fd, ssl,
			BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
	} else
		c->bev =
		    bufferevent_socket_new(sw->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (c->bev == NULL) {
		close(fd);
		free(c);
		return;
	}
	c->next = sw->conns;
	if (sw->conns)
		sw->conns->prev = c;
	sw->conns = c;
	sw->nconns++;
	if (sl->kind != 'x') {
		c->bucket = bucket;
		c->hnext = sw->byaddr[bucket];
		sw->byaddr[bucket] = c;
		c->hashed = 1;
	}
	ctr_add(CTR_CONNS_OPEN, 1);
	ctr_add(CTR_CONNS_TOTAL, 1);
	bufferevent_setcb(c->bev, on_read, NULL, on_event, c);
	/* read at most conn-buffer ahead of the framer, in big reads */
	bufferevent_setwatermark(c->bev, EV_READ, 0, conn_buffer);
	bufferevent_set_max_single_read(c->bev,
	    conn_buffer < STREAM_READ_MAX ? conn_buffer : STREAM_READ_MAX);
	tv.tv_sec = LIVE_GET(idle_sec);
	tv.tv_usec = 0;
	bufferevent_set_timeouts(c->bev, &tv, NULL);
	bufferevent_enable(c->bev, EV_READ);
}

static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct stream_worker *sw = arg;

	(void)fd;
	(void)what;
	/* lets go of a policy replaced by SIGHUP even when idle */
	(void)sw->env.tagger(sw->env.arg);
	if (sw->cur != NULL && sw->cur->nev > 0 &&
	    time_mono_us() - sw->cur->opened_us >=
		(int64_t)sw->env.conf->batch_age_ms * 1000)
		submit(sw);
}

static SSL_CTX *
tls_ctx(const struct collector_conf *cf, char *err, size_t errlen)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	if (ctx == NULL)
		goto fail;
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	if (SSL_CTX_use_certificate_chain_file(ctx, cf->tls_cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, cf->tls_key, SSL_FILETYPE_PEM) !=
		1 ||
	    SSL_CTX_check_private_key(ctx) != 1)
		goto fail;
	if (cf->tls_ca[0]) {
		if (SSL_CTX_load_verify_locations(ctx, cf->tls_ca, NULL) != 1)
			goto fail;
		if (cf->tls_verify)
			SSL_CTX_set_verify(ctx,
			    SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
			    NULL);
	} else if (cf->tls_verify) {
		snprintf(err, errlen,
		    "tls: verify-client needs a ca to verify clients against");
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
fail:
	snprintf(err, errlen, "tls: %s (cert %s, key %s)",
	    ERR_reason_error_string(ERR_get_error()), cf->tls_cert,
	    cf->tls_key);
	SSL_CTX_free(ctx);
	return NULL;
}

struct stream_worker *
stream_worker_new(const struct worker_env *env, char *err, size_t errlen)
{
	struct stream_worker *sw = calloc(1, sizeof(*sw));
	struct timeval tv;

	if (sw == NULL)
		return NULL;
	sw->env = *env;
	pthread_mutex_init(&sw->ssl_mu, NULL);
	sw->rl.interval = 10;
	sw->rl_addr.interval = 10;
	if ((sw->base = event_base_new()) == NULL)
		goto fail;
	sw->ev_timer = event_new(sw->base, -1, EV_PERSIST, on_timer, sw);
	tv.tv_sec = env->conf->batch_age_ms / 4000;
	tv.tv_usec = (env->conf->batch_age_ms % 4000) * 250;
	if (sw->ev_timer == NULL || event_add(sw->ev_timer, &tv) != 0)
		goto fail;
	return sw;
fail:
	snprintf(err, errlen, "stream worker: cannot set up event loop");
	stream_worker_stop(sw);
	return NULL;
}

int
stream_worker_listen(struct stream_worker *sw, const struct listen_spec *ls,
    char *bound, size_t boundlen, char *err, size_t errlen)
{
	struct stream_listener *sl;
	struct sockaddr_storage ss;
	socklen_t sl_len = sizeof(ss);
	evutil_socket_t fd;
	unsigned flags =
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_EXEC;

	if (sw->nls >= COLLECTOR_LISTEN_MAX)
		return -1;
	sl = &sw->ls[sw->nls];
	sl->kind = ls->kind;
	sl->sw = sw;
	if (ls->kind == 's' && sw->ssl == NULL &&
	    (sw->ssl = tls_ctx(sw->env.conf, err, errlen)) == NULL)
		return -1;
	if (ls->kind == 'x') {
		struct sockaddr_un un;

		memset(&un, 0, sizeof(un));
		un.sun_family = AF_UNIX;
		snprintf(un.sun_path, sizeof(un.sun_path), "%s", ls->path);
		unlink(ls->path);
		sl->lev = evconnlistener_new_bind(sw->base, on_accept, sl,
		    flags, 128, (struct sockaddr *)&un, sizeof(un));
		if (sl->lev == NULL) {
			snprintf(err, errlen, "unix %s: %s", ls->path,
			    strerror(errno));
			return -1;
		}
		chmod(ls->path, 0666);
		snprintf(bound, boundlen, "%s", ls->path);
	} else {
		struct addrinfo hints, *res = NULL;
		int gai;

		memset(&hints, 0, sizeof(hints));
		hints.ai_socktype = SOCK_STREAM;
		hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
		if ((gai = getaddrinfo(ls->host[0] ? ls->host : NULL, ls->port,
			 &hints, &res)) != 0) {
			snprintf(err, errlen, "%s:%s: %s", ls->host, ls->port,
			    gai_strerror(gai));
			return -1;
		}
		sl->lev = evconnlistener_new_bind(sw->base, on_accept, sl,
		    flags, 512, res->ai_addr, (int)res->ai_addrlen);
		freeaddrinfo(res);
		if (sl->lev == NULL) {
			snprintf(err, errlen, "%s:%s: %s", ls->host, ls->port,
			    strerror(errno));
			return -1;
		}
		fd = evconnlistener_get_fd(sl->lev);
		if (getsockname(fd, (struct sockaddr *)&ss, &sl_len) == 0) {
			struct addr a;
			uint16_t port = 0;
			char as[ADDR_STRLEN];

			addr_from_sockaddr(&a, (struct sockaddr *)&ss, &port);
			addr_fmt(&a, as, sizeof(as));
			snprintf(bound, boundlen, "%s:%u", as, port);
		}
	}
	sw->nls++;
	return 0;
}

static void *
stream_main(void *arg)
{
	struct stream_worker *sw = arg;

	event_base_dispatch(sw->base);
	return NULL;
}

int
stream_worker_start(struct stream_worker *sw)
{
	if (pthread_create(&sw->thr, NULL, stream_main, sw) != 0)
		return -1;
	sw->started = 1;
	return 0;
}

void
stream_worker_stop(struct stream_worker *sw)
{
	if (sw == NULL)
		return;
	if (sw->started) {
		event_base_loopbreak(sw->base);
		pthread_join(sw->thr, NULL);
	}
	for (size_t i = 0; i < sw->nls; i++)
		evconnlistener_free(sw->ls[i].lev);
	/* A graceful stop loses nothing a peer already sent: read what the
	 * kernel (and, over TLS, OpenSSL) still holds for each connection
	 * (bounded in time, so a peer that never stops cannot hold us), then
	 * frame it all. */
	{
		int64_t deadline = time_mono_us() + STOP_DRAIN_US;

		while (sw->conns != NULL) {
			struct conn *c = sw->conns;
			int eof = 0;

			bufferevent_disable(c->bev, EV_READ);
			if (c->in.transport != 's')
				eof = read_rest(c, deadline);
			else
				eof = read_rest_tls(c, deadline);
			drain(c, eof);
			conn_free(c, CTR_CLOSED_STOP);
		}
	}
	submit(sw);
	if (sw->ev_timer)
		event_free(sw->ev_timer);
	if (sw->base)
		event_base_free(sw->base);
	SSL_CTX_free(sw->ssl);
	pthread_mutex_destroy(&sw->ssl_mu);
	free(sw);
}

int
stream_worker_tls_reload(struct stream_worker *sw,
    const struct collector_conf *cf, char *err, size_t errlen)
{
	SSL_CTX *ctx, *old;

	if (sw->ssl == NULL)
		return 0; /* no TLS listener */
	if ((ctx = tls_ctx(cf, err, errlen)) == NULL)
		return -1;
	pthread_mutex_lock(&sw->ssl_mu);
	old = sw->ssl;
	sw->ssl = ctx;
	pthread_mutex_unlock(&sw->ssl_mu);
	SSL_CTX_free(old); /* open connections hold their own reference */
	return 1;
}
