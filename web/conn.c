/*
 * conn.c — every client connection of the web view has a guard: a total
 * deadline for reading each request, and a cap on connections per client
 * address and in all.
 *
 * evhttp's own timeout is an idle timeout: it starts again on every byte,
 * so a client that trickles a header a byte a second holds its
 * connection (and, with enough of them, the server) for ever.  The guard
 * starts a timer when the connection opens and again after each reply
 * (keep-alive); the request must be read in full, headers and body,
 * before it fires, or the connection is closed.  libevent 2.1 has no
 * new-request hook, so the guard is made where evhttp asks for the
 * connection's bufferevent (evhttp_set_bevcb) and bound to the connection
 * on the next turn of the loop (the evhttp_connection is its
 * bufferevent's callback argument by then), holding a reference on the
 * bufferevent meanwhile so a connection that closes at once is seen as
 * gone rather than freed under us (a request read before that turn binds
 * it at once).  From then on evhttp's close callback ends the guard.  A
 * request being answered (a login waiting for its password check) is
 * never cut: the deadline runs between replies and requests only.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <openssl/ssl.h>

#include "common/log.h"
#include "web/web_int.h"

struct web_conn {
	struct web *w;
	struct bufferevent *bev; /* until bound */
	struct evhttp_connection *evcon; /* once bound */
	struct event *timer; /* bind, then the request deadline */
	char addr[64];
	int slot;
	int busy; /* a request is read and not yet answered */
};

static void conn_deadline(evutil_socket_t, short, void *);

static void
conn_end(struct web_conn *c)
{
	struct web *w = c->w;

	if (c->slot >= 0) {
		w->conns[c->slot] = NULL;
		w->nconns--;
	}
	event_free(c->timer);
	free(c);
}

static void
conn_closed(struct evhttp_connection *evcon, void *arg)
{
	(void)evcon;
	conn_end(arg);
}

static int
conn_per_addr(struct web *w, const char *addr)
{
	int n = 0;

	for (int i = 0; i < WEB_CONN_SLOTS; i++)
		if (w->conns[i] != NULL && w->conns[i]->evcon != NULL &&
		    strcmp(w->conns[i]->addr, addr) == 0)
			n++;
	return n;
}

static void
conn_arm(struct web_conn *c)
{
	struct timeval tv = { c->w->deadline, 0 };

	evtimer_del(c->timer); /* event_assign wants it idle */
	event_assign(c->timer, c->w->base, -1, 0, conn_deadline, c);
	evtimer_add(c->timer, &tv);
}

/* Bind the guard to its evhttp connection; drops our bufferevent ref. */
static void
conn_attach(struct web_conn *c, struct evhttp_connection *evcon)
{
	char *peer = NULL;
	ev_uint16_t port = 0;

	c->evcon = evcon;
	bufferevent_decref(c->bev);
	c->bev = NULL;
	evhttp_connection_get_peer(evcon, &peer, &port);
	snprintf(c->addr, sizeof(c->addr), "%s", peer != NULL ? peer : "");
	evhttp_connection_set_closecb(evcon, conn_closed, c);
}

/* Next turn of the loop after the accept: bind the guard to the
 * connection, or see that evhttp already let it go. */
static void
conn_bind(evutil_socket_t fd, short what, void *arg)
{
	struct web_conn *c = arg;
	struct web *w = c->w;
	bufferevent_data_cb rcb = NULL, wcb = NULL;
	bufferevent_event_cb ecb = NULL;
	void *cbarg = NULL;

	(void)fd;
	(void)what;
	if (c->evcon != NULL) {
		/* a whole request came first and bound it (request_read) */
		if (!c->busy)
			conn_arm(c);
		return;
	}
	bufferevent_getcb(c->bev, &rcb, &wcb, &ecb, &cbarg);
	if (ecb == NULL || cbarg == NULL) {
		/* evhttp freed it already (bufferevent_free clears the
		 * callbacks); ours is the last reference */
		bufferevent_decref(c->bev);
		conn_end(c);
		return;
	}
	conn_attach(c, cbarg);
	if (c->slot < 0 || conn_per_addr(w, c->addr) > w->conn_per_addr) {
		w->conn_refused++;
		if (ratelim_ok(&w->many_warn, NULL))
			log_warnx("web: %s: over %d connections from one "
				  "address or %d in all, closed (%llu so far)",
			    c->addr, w->conn_per_addr, WEB_CONN_SLOTS,
			    (unsigned long long)w->conn_refused);
		evhttp_connection_free(c->evcon); /* conn_closed ends c */
		return;
	}
	conn_arm(c);
}

static void
conn_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct web_conn *c = arg;
	struct web *w = c->w;

	(void)fd;
	(void)what;
	if (c->busy)
		return; /* being answered: request_done arms it again */
	w->conn_slow++;
	if (ratelim_ok(&w->slow_warn, NULL))
		log_warnx("web: %s: request not read within %d s, connection "
			  "closed (%llu so far)",
		    c->addr, w->deadline, (unsigned long long)w->conn_slow);
	evhttp_connection_free(c->evcon); /* conn_closed ends c */
}

struct bufferevent *
web_conn_bevcb(struct event_base *base, void *arg)
{
	struct web *w = arg;
	struct bufferevent *bev;
	struct web_conn *c;
	struct timeval now = { 0, 0 };
	SSL *ssl;

	if (w->ssl_ctx != NULL) {
		if ((ssl = SSL_new(w->ssl_ctx)) == NULL)
			return NULL;
		bev = bufferevent_openssl_socket_new(base, -1, ssl,
		    BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
	} else {
		bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	}
	if (bev == NULL)
		return NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->timer = evtimer_new(base, conn_bind, c)) == NULL) {
		free(c);
		return bev; /* out of memory: served without a guard */
	}
	c->w = w;
	c->bev = bev;
	c->slot = -1;
	for (int i = 0; i < WEB_CONN_SLOTS; i++)
		if (w->conns[i] == NULL) {
			w->conns[i] = c;
			c->slot = i;
			w->nconns++;
			break;
		}
	bufferevent_incref(bev);
	evtimer_add(c->timer, &now);
	return bev;
}

/* The guard of evcon: bound to it, or not yet bound but holding its
 * bufferevent (a whole request arrived before the bind turn: bind now). */
static struct web_conn *
conn_find(struct web *w, struct evhttp_connection *evcon)
{
	struct bufferevent *bev;

	if (evcon == NULL)
		return NULL;
	for (int i = 0; i < WEB_CONN_SLOTS; i++)
		if (w->conns[i] != NULL && w->conns[i]->evcon == evcon)
			return w->conns[i];
	bev = evhttp_connection_get_bufferevent(evcon);
	for (int i = 0; i < WEB_CONN_SLOTS; i++)
		if (w->conns[i] != NULL && w->conns[i]->evcon == NULL &&
		    w->conns[i]->bev == bev) {
			conn_attach(w->conns[i], evcon);
			return w->conns[i];
		}
	return NULL;
}

void
web_conn_request_read(struct web *w, struct evhttp_connection *evcon)
{
	struct web_conn *c = conn_find(w, evcon);

	if (c != NULL) {
		c->busy = 1;
		evtimer_del(c->timer); /* the deadline, or a bind made moot */
	}
}

void
web_conn_request_done(struct web *w, struct evhttp_connection *evcon)
{
	struct web_conn *c = conn_find(w, evcon);

	if (c != NULL) {
		c->busy = 0;
		conn_arm(c);
	}
}
