/*
 * listen_udp.c — UDP syslog: N worker threads, each with its own
 * event_base and its own SO_REUSEPORT socket on the same port, reading up
 * to UDP_VLEN datagrams per recvmmsg call.  One datagram is one message.
 * When every batch is in flight the datagram is dropped and counted (UDP
 * has no way to push back); a datagram longer than frame-max is truncated
 * (or dropped) and counted.
 *
 * Under load a worker reads on a clock, not on every datagram: once a read
 * finds the socket busy, the worker stops watching it and drains it every
 * poll interval (sized so the receive buffer holds several intervals of a
 * 1 M msgs/s load), and goes back to watching when a poll finds nothing.
 * A sleeping reader costs every sender a wake-up per burst (an IPI in a
 * VM); a reader that drains on a clock costs none, and reads full vectors.
 */
#include "config.h"

#define _GNU_SOURCE 1
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "collector/collector_int.h"
#include "common/log.h"
#include "common/timeutil.h"

#define UDP_VLEN 64
#define UDP_DGRAM_MAX 65536
#define UDP_POLL_MIN_US 50
#define UDP_POLL_MAX_US 1000

struct udp_worker {
	struct worker_env env;
	int fd;
	pthread_t thr;
	struct event_base *base;
	struct event *ev_read, *ev_timer, *ev_poll;
	struct timeval poll_tv; /* the poll interval */
	struct batch *cur;
	size_t slot; /* bytes per receive slot */
	uint8_t *bufs;
	struct mmsghdr msgs[UDP_VLEN];
	struct iovec iov[UDP_VLEN];
	struct sockaddr_storage from[UDP_VLEN];
	struct ratelim rl;
};

int
udp_bind(const struct listen_spec *ls, int rcvbuf, int *fdp, char *err,
    size_t errlen)
{
	struct addrinfo hints, *res = NULL;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int fd = -1, one = 1, gai;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if (*fdp != -1) {
		/* join the port the first socket got (port 0 resolved) */
		if (getsockname(*fdp, (struct sockaddr *)&ss, &sl) == -1)
			goto syserr;
	} else {
		if ((gai = getaddrinfo(ls->host[0] ? ls->host : NULL, ls->port,
			 &hints, &res)) != 0) {
			snprintf(err, errlen, "udp %s:%s: %s", ls->host,
			    ls->port, gai_strerror(gai));
			return -1;
		}
		memcpy(&ss, res->ai_addr, res->ai_addrlen);
		sl = res->ai_addrlen;
		freeaddrinfo(res);
	}
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) == -1)
		goto syserr;
	/* As root, past net.core.rmem_max; otherwise as much as allowed. */
	if (rcvbuf > 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		sizeof(rcvbuf)) == -1 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)) ==
		-1)
		log_warn("udp: SO_RCVBUF %d", rcvbuf);
	if (bind(fd, (struct sockaddr *)&ss, sl) == -1)
		goto syserr;
	*fdp = fd;
	return 0;
syserr:
	snprintf(
	    err, errlen, "udp %s:%s: %s", ls->host, ls->port, strerror(errno));
	if (fd != -1)
		close(fd);
	return -1;
}

static void
submit(struct udp_worker *w)
{
	if (w->cur != NULL) {
		pipeline_submit(w->env.pipeline, w->cur);
		w->cur = NULL;
	}
}

static void
deliver(struct udp_worker *w, const uint8_t *p, size_t n, uint32_t flags,
    const struct ingress *in)
{
	while (
	    n > 0 && (p[n - 1] == '\n' || p[n - 1] == '\0' || p[n - 1] == '\r'))
		n--;
	if (n == 0)
		return;
	for (int tries = 0; tries < 2; tries++) {
		if (w->cur == NULL &&
		    (w->cur = pipeline_get(w->env.pipeline, 0)) == NULL)
			break;
		if (batch_add(w->cur, p, n, flags, in) != NULL)
			return;
		submit(w);
	}
	ctr_add(CTR_DROP_UDP_QUEUE, 1);
}

static int read_some(struct udp_worker *, size_t *got);

/* Watching the socket: several datagrams queued at a wake-up mean load;
 * switch to draining it on the clock. */
static void
on_read(evutil_socket_t fd, short what, void *arg)
{
	struct udp_worker *w = arg;
	size_t got = 0;

	(void)fd;
	(void)what;
	read_some(w, &got);
	if (got >= 4 && event_del(w->ev_read) == 0) {
		event_add(w->ev_poll, &w->poll_tv);
	}
}

/* Draining on the clock: until a poll finds the socket empty. */
static void
on_poll(evutil_socket_t fd, short what, void *arg)
{
	static const struct timeval now = { 0, 0 };
	struct udp_worker *w = arg;
	size_t got = 0;
	int more;

	(void)fd;
	(void)what;
	more = read_some(w, &got);
	if (got == 0)
		event_add(w->ev_read, NULL);
	else
		event_add(w->ev_poll, more ? &now : &w->poll_tv);
}

/* Up to 16 recvmmsg rounds; 1 if the socket may hold more.  *got counts
 * the datagrams read. */
static int
read_some(struct udp_worker *w, size_t *got)
{
	evutil_socket_t fd = w->fd;
	struct ingress in;
	uint64_t bytes = 0;
	int n;

	memset(&in, 0, sizeof(in));
	in.transport = 'u';
	in.tzoff = LIVE_GET(tzoff);
	for (int round = 0; round < 16; round++) {
		for (int i = 0; i < UDP_VLEN; i++) {
			w->msgs[i].msg_hdr.msg_namelen = sizeof(w->from[i]);
			w->msgs[i].msg_hdr.msg_flags = 0;
		}
		n = recvmmsg(fd, w->msgs, UDP_VLEN, MSG_DONTWAIT, NULL);
		if (n <= 0)
			return 0;
		*got += (size_t)n;
		in.recv_us = time_now_us();
		in.tagger = w->env.tagger(w->env.arg);
		/* one atomic add per round, not per datagram */
		ctr_add(CTR_RX_UDP, (uint64_t)n);
		for (int i = 0; i < n; i++)
			bytes += w->msgs[i].msg_len;
		ctr_add(CTR_RX_BYTES, bytes);
		bytes = 0;
		for (int i = 0; i < n; i++) {
			size_t len = w->msgs[i].msg_len;
			uint32_t flags = 0;

			if ((w->msgs[i].msg_hdr.msg_flags & MSG_TRUNC) ||
			    len > w->env.conf->frame_max) {
				if (LIVE_GET(drop_oversize)) {
					ctr_add(CTR_DROP_OVERSIZE, 1);
					continue;
				}
				flags |= SC_EV_TRUNCATED;
				if (len > w->env.conf->frame_max)
					len = w->env.conf->frame_max;
			}
			addr_from_sockaddr(
			    &in.peer, (struct sockaddr *)&w->from[i], &in.port);
			deliver(w, w->iov[i].iov_base, len, flags, &in);
		}
		if (n < UDP_VLEN)
			return 0;
	}
	return 1;
}

static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct udp_worker *w = arg;

	(void)fd;
	(void)what;
	/* lets go of a policy replaced by SIGHUP even when idle */
	(void)w->env.tagger(w->env.arg);
	if (w->cur != NULL && w->cur->nev > 0 &&
	    time_mono_us() - w->cur->opened_us >=
		(int64_t)w->env.conf->batch_age_ms * 1000)
		submit(w);
}

static void *
udp_main(void *arg)
{
	struct udp_worker *w = arg;
	size_t got = 0;

	event_base_dispatch(w->base);
	/* what is queued in the socket: until it is empty (bounded) */
	for (int i = 0; i < 64 && read_some(w, &got); i++)
		;
	submit(w);
	return NULL;
}

struct udp_worker *
udp_worker_start(const struct worker_env *env, int fd)
{
	struct udp_worker *w = calloc(1, sizeof(*w));
	struct event_config *cfg;
	struct timeval tv;
	socklen_t optlen = sizeof(int);
	int rcvbuf = 0;
	long us;

	if (w == NULL)
		return NULL;
	w->env = *env;
	w->fd = fd;
	w->slot = env->conf->frame_max + 1 < UDP_DGRAM_MAX ?
	    env->conf->frame_max + 1 :
	    UDP_DGRAM_MAX;
	if ((w->bufs = malloc(w->slot * UDP_VLEN)) == NULL)
		goto fail;
	for (int i = 0; i < UDP_VLEN; i++) {
		w->iov[i].iov_base = w->bufs + i * w->slot;
		w->iov[i].iov_len = w->slot;
		w->msgs[i].msg_hdr.msg_iov = &w->iov[i];
		w->msgs[i].msg_hdr.msg_iovlen = 1;
		w->msgs[i].msg_hdr.msg_name = &w->from[i];
	}
	/* The poll interval: a quarter of what the buffer holds at 1 M
	 * msgs/s of ~1 KiB of kernel memory each (16 MiB: the maximum). */
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &optlen) == -1)
		rcvbuf = 0;
	us = rcvbuf / 4096;
	us = us < UDP_POLL_MIN_US ? UDP_POLL_MIN_US :
	    us > UDP_POLL_MAX_US  ? UDP_POLL_MAX_US :
				    us;
	w->poll_tv.tv_sec = 0;
	w->poll_tv.tv_usec = us;
	/* timers below a millisecond need timerfd, not epoll's timeout */
	if ((cfg = event_config_new()) == NULL)
		goto fail;
	event_config_set_flag(cfg, EVENT_BASE_FLAG_PRECISE_TIMER);
	w->base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	if (w->base == NULL)
		goto fail;
	w->ev_read = event_new(w->base, fd, EV_READ | EV_PERSIST, on_read, w);
	w->ev_poll = event_new(w->base, -1, 0, on_poll, w);
	w->ev_timer = event_new(w->base, -1, EV_PERSIST, on_timer, w);
	tv.tv_sec = env->conf->batch_age_ms / 4000;
	tv.tv_usec = (env->conf->batch_age_ms % 4000) * 250;
	if (w->ev_read == NULL || w->ev_timer == NULL || w->ev_poll == NULL ||
	    event_add(w->ev_read, NULL) || event_add(w->ev_timer, &tv))
		goto fail;
	if (pthread_create(&w->thr, NULL, udp_main, w) != 0)
		goto fail;
	return w;
fail:
	if (w->ev_read)
		event_free(w->ev_read);
	if (w->ev_poll)
		event_free(w->ev_poll);
	if (w->ev_timer)
		event_free(w->ev_timer);
	if (w->base)
		event_base_free(w->base);
	free(w->bufs);
	free(w);
	return NULL;
}

void
udp_worker_stop(struct udp_worker *w)
{
	if (w == NULL)
		return;
	event_base_loopbreak(w->base);
	pthread_join(w->thr, NULL);
	event_free(w->ev_read);
	event_free(w->ev_poll);
	event_free(w->ev_timer);
	event_base_free(w->base);
	close(w->fd);
	free(w->bufs);
	free(w);
}
