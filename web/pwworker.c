/*
 * pwworker.c — password checks off the event loop.
 *
 * scrypt with the parameters of web_int.h takes about 100 ms and 32 MiB;
 * run on the event loop, every login would stall every other request for
 * that long.  One worker thread takes the checks from a bounded queue (one
 * at a time, so memory stays at one scrypt's worth) and hands each result
 * back through a pipe that the event loop watches; the job's done callback
 * then finishes the request on the loop, where the store, the session and
 * the reply live.  The worker touches nothing but the job's strings.
 *
 * The request waits meanwhile, detached from the dispatcher (web_req
 * async): libevent keeps an incoming request whose reply is pending, and
 * if its client goes away the reply just frees it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <openssl/crypto.h>

#include "common/log.h"
#include "web/web_int.h"

struct web_pw {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct web_pwjob *head, *tail; /* waiting */
	int queued; /* waiting or running */
	int stop;
	int fds[2]; /* worker -> loop: finished job pointers */
	struct event *ev;
	struct web *w;
};

static void *
pw_thread(void *arg)
{
	struct web_pw *p = arg;
	struct web_pwjob *j;

	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (p->head == NULL && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->head == NULL) { /* stop, nothing left */
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
		j = p->head;
		if ((p->head = j->next) == NULL)
			p->tail = NULL;
		pthread_mutex_unlock(&p->mu);
		j->good = web_pw_verify(j->pw, j->hash);
		OPENSSL_cleanse(j->pw, strlen(j->pw));
		while (write(p->fds[1], &j, sizeof(j)) == -1 && errno == EINTR)
			;
	}
}

/* On the loop: finish the jobs the worker is done with. */
static void
pw_done(evutil_socket_t fd, short what, void *arg)
{
	struct web_pw *p = arg;
	struct web_pwjob *j;
	ssize_t n;

	(void)what;
	while ((n = read(fd, &j, sizeof(j))) == (ssize_t)sizeof(j)) {
		pthread_mutex_lock(&p->mu);
		p->queued--;
		pthread_mutex_unlock(&p->mu);
		j->done(j);
	}
}

int
web_pw_start(struct web *w)
{
	struct web_pw *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return -1;
	p->w = w;
	if (pipe(p->fds) == -1) {
		free(p);
		return -1;
	}
	fcntl(p->fds[0], F_SETFL, O_NONBLOCK);
	fcntl(p->fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(p->fds[1], F_SETFD, FD_CLOEXEC);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	if ((p->ev = event_new(w->base, p->fds[0], EV_READ | EV_PERSIST,
		 pw_done, p)) == NULL ||
	    event_add(p->ev, NULL) == -1 ||
	    pthread_create(&p->th, NULL, pw_thread, p) != 0) {
		event_free(p->ev);
		close(p->fds[0]);
		close(p->fds[1]);
		free(p);
		return -1;
	}
	w->pw = p;
	return 0;
}

int
web_pw_submit(struct web *w, struct web_pwjob *j)
{
	struct web_pw *p = w->pw;

	if (p == NULL)
		return -1;
	pthread_mutex_lock(&p->mu);
	if (p->queued >= WEB_PW_QUEUE || p->stop) {
		pthread_mutex_unlock(&p->mu);
		return -1;
	}
	j->next = NULL;
	if (p->tail != NULL)
		p->tail->next = j;
	else
		p->head = j;
	p->tail = j;
	p->queued++;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return 0;
}

/*
 * At exit, before evhttp_free (which frees the requests still waiting):
 * stop the worker after its current job, and drop every job without
 * answering, through its drop callback.
 */
void
web_pw_stop(struct web *w)
{
	struct web_pw *p = w->pw;
	struct web_pwjob *j, *next;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	next = p->head; /* never started */
	p->head = p->tail = NULL;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->th, NULL);
	for (j = next; j != NULL; j = next) {
		next = j->next;
		j->drop(j);
	}
	while (read(p->fds[0], &j, sizeof(j)) == (ssize_t)sizeof(j))
		j->drop(j); /* finished, never collected */
	event_free(p->ev);
	close(p->fds[0]);
	close(p->fds[1]);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p);
	w->pw = NULL;
}
