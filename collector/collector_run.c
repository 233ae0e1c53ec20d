/*
 * collector_run.c — the collector daemon: open the store and the archive,
 * bind every listener (as root if ports below 1024 need it), drop
 * privileges, start the writer, the UDP workers and the stream worker,
 * print the readiness line, and serve signals: SIGTERM/SIGINT stop and
 * flush everything, SIGHUP reads seccloud.conf again and reloads the
 * policy, the rules, the limits, the skew thresholds and the TLS
 * certificate by building new ones beside the old and swapping pointers —
 * listeners, batches and the writer carry on, so no message is dropped.
 * What needs a new socket or thread (listeners, user, datadir, batch and
 * queue sizes, UDP workers) is logged as needing a restart.  A value set
 * on the command line stays over the file's.
 *
 * Taggers are reference counted: each thread that asks for the current
 * one holds a reference in thread-specific data and trades it for the
 * new one the next time it asks after a reload (the writer only between
 * batches, through quiesce), so a replaced tagger is freed once no thread
 * uses it, however many reloads come.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/thread.h>

#include "collector/collector_int.h"
#include "collector/store.h"
#include "common/buf.h"
#include "common/log.h"
#include "common/privdrop.h"
#include "common/settings.h"
#include "common/timeutil.h"

#define NOTIFY_DRAIN_MS 5000 /* at exit, for queued notifications */

struct collector {
	struct collector_conf *conf; /* what runs (run, below) */
	struct collector_conf run; /* the command line's, then SIGHUP's */
	struct collector_conf file; /* the file alone, as last read */
	pthread_mutex_t tagger_mu;
	struct tagger *tagger; /* current, under tagger_mu */
	uint64_t tagger_gen; /* atomic: bumped by each swap */
	struct pipeline *pl;
	struct archive *ar;
	struct store *st;
	struct detect *det;
	struct writer *wr;
	struct notify_hook *nh; /* notifications of new/reopened groups */
	struct archive_daily *daily; /* the previous day's archive check */
	struct udp_worker *udp[64];
	size_t nudp;
	struct stream_worker *sw;
	struct event_base *base;
};

/* A thread's reference to the tagger it uses. */
struct tagger_hold {
	const struct tagger *t;
	uint64_t gen;
	int manual; /* trade only in quiesce (the writer) */
};
static pthread_key_t hold_key;
static pthread_once_t hold_once = PTHREAD_ONCE_INIT;

static void
hold_free(void *p)
{
	struct tagger_hold *h = p;

	tagger_unref(h->t);
	free(h);
}

static void
hold_key_init(void)
{
	if (pthread_key_create(&hold_key, hold_free) != 0)
		fatal("pthread_key_create");
}

/* Take a reference to the current tagger, let go of the held one. */
static void
hold_refresh(struct collector *c, struct tagger_hold *h)
{
	const struct tagger *old = h->t;

	pthread_mutex_lock(&c->tagger_mu);
	h->t = tagger_ref(c->tagger);
	h->gen = __atomic_load_n(&c->tagger_gen, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&c->tagger_mu);
	tagger_unref(old);
}

static struct tagger_hold *
hold_get(struct collector *c)
{
	struct tagger_hold *h = pthread_getspecific(hold_key);

	if (h == NULL) {
		if ((h = calloc(1, sizeof(*h))) == NULL)
			fatal("tagger hold");
		if (pthread_setspecific(hold_key, h) != 0)
			fatal("pthread_setspecific");
		hold_refresh(c, h);
	}
	return h;
}

/* The current tagger: valid until this thread's next call (the writer's:
 * until its next quiesce). */
static const struct tagger *
current_tagger(void *arg)
{
	struct collector *c = arg;
	struct tagger_hold *h = hold_get(c);

	if (!h->manual &&
	    h->gen != __atomic_load_n(&c->tagger_gen, __ATOMIC_ACQUIRE))
		hold_refresh(c, h);
	return h->t;
}

/* The writer, between batches. */
static void
quiesce_tagger(void *arg)
{
	struct collector *c = arg;
	struct tagger_hold *h = hold_get(c);

	h->manual = 1;
	if (h->gen != __atomic_load_n(&c->tagger_gen, __ATOMIC_ACQUIRE))
		hold_refresh(c, h);
}

/* The calling thread lets go of its reference (the main thread at exit;
 * the others do so when they end). */
static void
hold_drop(void)
{
	struct tagger_hold *h = pthread_getspecific(hold_key);

	if (h != NULL) {
		pthread_setspecific(hold_key, NULL);
		hold_free(h);
	}
}

static void
tagger_swap(struct collector *c, struct tagger *t)
{
	struct tagger *old;

	pthread_mutex_lock(&c->tagger_mu);
	old = c->tagger;
	c->tagger = t;
	__atomic_add_fetch(&c->tagger_gen, 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&c->tagger_mu);
	tagger_free(old); /* freed here unless a thread still holds it */
}

static int
settings_same(const struct settings *a, const struct settings *b)
{
	if (a == b)
		return 1;
	if (a == NULL || b == NULL || a->nrules != b->nrules ||
	    a->nvars != b->nvars || a->strict_rules != b->strict_rules)
		return 0;
	for (size_t i = 0; i < a->nrules; i++)
		if (strcmp(a->rules[i], b->rules[i]) != 0)
			return 0;
	for (size_t i = 0; i < a->nvars; i++)
		if (strcmp(a->vars[i].name, b->vars[i].name) != 0 ||
		    strcmp(a->vars[i].value, b->vars[i].value) != 0)
			return 0;
	return 1;
}

static int
listeners_same(const struct collector_conf *a, const struct collector_conf *b)
{
	if (a->nlisten != b->nlisten)
		return 0;
	for (size_t i = 0; i < a->nlisten; i++) {
		const struct listen_spec *x = &a->listen[i], *y = &b->listen[i];

		if (x->kind != y->kind || strcmp(x->host, y->host) != 0 ||
		    strcmp(x->port, y->port) != 0 ||
		    strcmp(x->path, y->path) != 0)
			return 0;
	}
	return 1;
}

/*
 * Fold the file as read now (nf) into what runs: a value the running
 * configuration still has from the file (run equals the file as last
 * read) takes the new one; one the command line set stays.  Returns how
 * many changed.
 */
#define TAKE(name, f)                                                         \
	do {                                                                  \
		if (memcmp(&run->f, &was->f, sizeof(run->f)) != 0) {          \
			if (memcmp(&was->f, &nf->f, sizeof(nf->f)) != 0)      \
				log_warnx("reload: %s is set on the command " \
					  "line; the file's is ignored",      \
				    name);                                    \
		} else if (memcmp(&run->f, &nf->f, sizeof(nf->f)) != 0) {     \
			run->f = nf->f;                                       \
			log_info("reload: %s changed", name);                 \
			changed++;                                            \
		}                                                             \
	} while (0)
#define TAKE_STR(name, f)                                                     \
	do {                                                                  \
		if (strcmp(run->f, was->f) != 0) {                            \
			if (strcmp(was->f, nf->f) != 0)                       \
				log_warnx("reload: %s is set on the command " \
					  "line; the file's is ignored",      \
				    name);                                    \
		} else if (strcmp(run->f, nf->f) != 0) {                      \
			snprintf(run->f, sizeof(run->f), "%s", nf->f);        \
			log_info("reload: %s changed", name);                 \
			changed++;                                            \
		}                                                             \
	} while (0)
#define RESTART(name, cond)                                             \
	do {                                                            \
		if (cond)                                               \
			log_warnx("reload: %s changed in the file; it " \
				  "takes effect after a restart",       \
			    name);                                      \
	} while (0)

static int
merge_conf(struct collector *c, struct collector_conf *nf)
{
	struct collector_conf *run = &c->run, *was = &c->file;
	int changed = 0;

	TAKE_STR("policy", policy);
	TAKE("connections", conn_max);
	TAKE("connections-per-address", conn_per_addr);
	TAKE("idle-timeout", idle_sec);
	TAKE("tcp-rcvbuf", tcp_rcvbuf);
	TAKE("oversize", drop_oversize);
	TAKE("timezone", tzoff);
	TAKE("skew-warn", skew_warn_ms);
	TAKE("skew-critical", skew_crit_ms);
	TAKE_STR("tls cert", tls_cert);
	TAKE_STR("tls key", tls_key);
	TAKE_STR("tls ca", tls_ca);
	TAKE("tls verify-client", tls_verify);
	/* conn-buffer must stay above frame-max, which needs a restart */
	if (nf->conn_buffer >= run->frame_max + 64)
		TAKE("conn-buffer", conn_buffer);
	else
		RESTART("conn-buffer (with frame-max)", 1);
	if (run->tls_verify && run->tls_ca[0] == '\0') {
		log_warnx("reload: tls verify-client without a ca; keeping "
			  "verify-client no");
		run->tls_verify = 0;
	}
	if (run->skew_crit_ms < run->skew_warn_ms)
		run->skew_crit_ms = run->skew_warn_ms;
	/* rules and vars: the file's, unless the command line named rules */
	if (!settings_same(run->settings, was->settings)) {
		if (!settings_same(was->settings, nf->settings))
			log_warnx("reload: rules are set on the command line; "
				  "the file's are ignored");
	} else if (!settings_same(run->settings, nf->settings)) {
		log_info("reload: rules or vars changed");
		changed++;
	}
	RESTART("listen", !listeners_same(was, nf));
	RESTART("datadir", strcmp(was->datadir, nf->datadir) != 0);
	RESTART("user", strcmp(was->user, nf->user) != 0);
	RESTART("udp-workers", was->udp_workers != nf->udp_workers);
	RESTART("udp-rcvbuf", was->udp_rcvbuf != nf->udp_rcvbuf);
	RESTART("frame-max", was->frame_max != nf->frame_max);
	RESTART("batch-size", was->batch_max != nf->batch_max);
	RESTART("batch-age", was->batch_age_ms != nf->batch_age_ms);
	RESTART("queue", was->queue != nf->queue);
	RESTART("stats-interval", was->stats_sec != nf->stats_sec);
	return changed;
}

static void
reload(struct collector *c)
{
	struct collector_conf *nf;
	char err[512];
	struct tagger *t;
	int r;

	if (c->run.path[0] != '\0') {
		if ((nf = calloc(1, sizeof(*nf))) == NULL) {
			log_warnx("reload: out of memory");
			return;
		}
		if (collector_conf_load(nf, c->run.path) != 0) {
			log_warnx("reload: %s has errors (above); keeping the "
				  "running configuration",
			    c->run.path);
			free(nf);
		} else {
			/* run.settings is the file's (c->file owns it) or
			 * the command line's (the caller owns it) */
			int take =
			    settings_same(c->run.settings, c->file.settings);

			merge_conf(c, nf);
			if (take)
				c->run.settings = nf->settings;
			collector_conf_free(&c->file);
			c->file = *nf;
			free(nf);
		}
	}
	collector_live_set(&c->run);
	r = stream_worker_tls_reload(c->sw, &c->run, err, sizeof(err));
	if (r < 0)
		log_warnx("reload: %s; new connections keep the previous "
			  "certificate",
		    err);
	else if (r > 0)
		log_info("reload: tls certificate %s for new connections",
		    c->run.tls_cert);
	if (collector_detect_reload(c->det, c->run.settings, c->run.datadir))
		log_warnx("reload: rules not loaded; keeping the previous "
			  "rules");
	t = tagger_load(
	    c->run.policy[0] ? c->run.policy : NULL, err, sizeof(err));
	if (t == NULL) {
		log_warnx("reload: %s; keeping the previous policy", err);
		return;
	}
	tagger_swap(c, t);
	log_info("reload: policy with %zu sources", tagger_count(t));
	notify_hook_reload(c->nh);
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct collector *c = arg;

	(void)what;
	if (sig == SIGHUP) {
		reload(c);
		return;
	}
	log_info("signal %d: stopping", (int)sig);
	event_base_loopbreak(c->base);
}

/*
 * As root, hand the data directory to the user we are about to become:
 * the writer creates segments, appends to MANIFEST and to the SQLite WAL
 * after the drop.  Only our own files are touched.
 */
/* Write our pid, replacing a stale file atomically. 0 or -1. */
static int
write_pidfile(const char *path)
{
	char tmp[PATH_MAX + 8];
	FILE *fp;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((fp = fopen(tmp, "w")) == NULL)
		return -1;
	fprintf(fp, "%ld\n", (long)getpid());
	if (fclose(fp) != 0 || rename(tmp, path) == -1) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int
own_datadir(const char *datadir, const char *user)
{
	static const char *const names[] = { "", "/archive", "/seccloud.db",
		"/seccloud.db-wal", "/seccloud.db-shm", "/rules-cache",
		"/archive/MANIFEST" };
	struct passwd *pw;
	char path[4096 + 512];
	DIR *d;
	struct dirent *de;

	if (geteuid() != 0 || (pw = getpwnam(user)) == NULL)
		return 0; /* privdrop reports a missing user */
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", datadir, names[i]);
		if (lchown(path, pw->pw_uid, pw->pw_gid) == -1 &&
		    errno != ENOENT) {
			log_warn("chown %s", path);
			return -1;
		}
	}
	snprintf(path, sizeof(path), "%s/archive", datadir);
	if ((d = opendir(path)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(
		    path, sizeof(path), "%s/archive/%s", datadir, de->d_name);
		if (lchown(path, pw->pw_uid, pw->pw_gid) == -1)
			log_warn("chown %s", path);
	}
	closedir(d);
	return 0;
}

static int
setup_listeners(
    struct collector *c, const struct worker_env *env, struct buf *ready)
{
	const struct collector_conf *cf = c->conf;
	char err[512], bound[256];

	for (size_t i = 0; i < cf->nlisten; i++) {
		const struct listen_spec *ls = &cf->listen[i];

		if (ls->kind == 'u') {
			int fd = -1;

			for (int k = 0; k < cf->udp_workers; k++) {
				int nfd = k == 0 ? -1 : fd;

				if (udp_bind(ls, cf->udp_rcvbuf, &nfd, err,
					sizeof(err)) != 0) {
					log_warnx("%s", err);
					return -1;
				}
				if (k == 0)
					fd = nfd;
				if (c->nudp >= 64 ||
				    (c->udp[c->nudp] = udp_worker_start(
					 env, nfd)) == NULL) {
					close(nfd);
					return -1;
				}
				c->nudp++;
			}
			{
				struct sockaddr_storage ss;
				socklen_t sl = sizeof(ss);
				struct addr a;
				uint16_t port = 0;
				char as[ADDR_STRLEN];

				getsockname(fd, (struct sockaddr *)&ss, &sl);
				addr_from_sockaddr(
				    &a, (struct sockaddr *)&ss, &port);
				addr_fmt(&a, as, sizeof(as));
				buf_printf(ready, " udp=%s:%u", as, port);
			}
			continue;
		}
		if (stream_worker_listen(c->sw, ls, bound, sizeof(bound), err,
			sizeof(err)) != 0) {
			log_warnx("%s", err);
			return -1;
		}
		buf_printf(ready, " %s=%s",
		    ls->kind == 't'	? "tcp" :
			ls->kind == 's' ? "tls" :
					  "unix",
		    bound);
	}
	return 0;
}

int
collector_run(const struct collector_conf *cfg)
{
	static struct collector c; /* large: keep off the stack */
	const struct collector_conf *cf = &c.run;
	struct pipeline_conf pc;
	struct writer_conf wc;
	struct worker_env env;
	struct event *sigs[4] = { NULL, NULL, NULL, NULL };
	const int signos[4] = { SIGTERM, SIGINT, SIGHUP, 0 };
	struct buf ready;
	char pidfile[PATH_MAX] = "";
	char err[512], path[4200];
	int rc = 1;

	memset(&c, 0, sizeof(c));
	c.run = *cfg; /* settings: the caller's */
	c.conf = &c.run;
	pthread_mutex_init(&c.tagger_mu, NULL);
	pthread_once(&hold_once, hold_key_init);
	collector_live_set(&c.run);
	buf_init(&ready, 4096);
	evthread_use_pthreads();
	signal(SIGPIPE, SIG_IGN);
	/* the file alone, to tell at SIGHUP what the command line set */
	if (cf->path[0] != '\0' && collector_conf_load(&c.file, cf->path) != 0)
		goto out;
	if (mkdir(cf->datadir, 0750) == -1 && errno != EEXIST) {
		log_warn("%s", cf->datadir);
		goto out;
	}
	if ((c.tagger = tagger_load(cf->policy[0] ? cf->policy : NULL, err,
		 sizeof(err))) == NULL) {
		log_warnx("%s", err);
		goto out;
	}
	snprintf(path, sizeof(path), "%s/seccloud.db", cf->datadir);
	if ((c.st = store_open(path, STORE_CREATE, err, sizeof(err))) == NULL) {
		log_warnx("store %s: %s", path, err);
		goto out;
	}
	if ((c.ar = archive_open(cf->datadir, cf->tzoff, err, sizeof(err))) ==
	    NULL) {
		log_warnx("archive: %s", err);
		goto out;
	}
	if ((c.det = collector_detect_new(cf->settings, cf->datadir)) == NULL) {
		rc = 2; /* the rules refused (logged) */
		goto out;
	}
	pc.batch_max = cf->batch_max;
	pc.arena =
	    cf->frame_max * 2 > 1024 * 1024 ? cf->frame_max * 2 : 1024 * 1024;
	pc.queue_max = cf->queue;
	pc.batch_age_us = (int64_t)cf->batch_age_ms * 1000;
	if ((c.pl = pipeline_new(&pc)) == NULL)
		goto out;
	env.conf = cf;
	env.pipeline = c.pl;
	env.tagger = current_tagger;
	env.arg = &c;
	if ((c.base = event_base_new()) == NULL ||
	    (c.sw = stream_worker_new(&env, err, sizeof(err))) == NULL)
		goto out;
	if (setup_listeners(&c, &env, &ready) != 0)
		goto out;
	/* Everything privileged is open: sockets, store, archive. */
	if (cf->user[0] != '\0') {
		int dropped = 0;

		if (own_datadir(cf->datadir, cf->user) != 0)
			goto out;
		if (privdrop(cf->user, &dropped, err, sizeof(err)) != 0) {
			log_warnx("privdrop: %s", err);
			goto out;
		}
		if (dropped)
			log_info("running as %s", cf->user);
	}
	/* The notifier runs unprivileged; it logs into the same store. */
	if ((c.nh = notify_hook_start(
		 path, current_tagger, &c, err, sizeof(err))) == NULL) {
		log_warnx("notifier: %s", err);
		goto out;
	}
	notify_hook_attach(c.nh, c.st);
	/* a failure to start it is logged; ingestion does not need it */
	if ((c.daily = archive_daily_start(cf->datadir, path)) == NULL)
		log_warnx("archive check: cannot start its thread");
	memset(&wc, 0, sizeof(wc));
	wc.pipeline = c.pl;
	wc.archive = c.ar;
	wc.store = c.st;
	wc.detect = c.det;
	wc.tagger = current_tagger;
	wc.quiesce = quiesce_tagger;
	wc.arg = &c;
	wc.batch_age_us = pc.batch_age_us;
	wc.stats_every_us = (int64_t)cf->stats_sec * TIME_US_PER_SEC;
	if ((c.wr = writer_start(&wc)) == NULL ||
	    stream_worker_start(c.sw) != 0)
		goto out;
	for (int i = 0; signos[i] != 0; i++) {
		sigs[i] = evsignal_new(c.base, signos[i], on_signal, &c);
		if (sigs[i] == NULL || event_add(sigs[i], NULL) != 0)
			goto out;
	}
	/* The web view's rule reload signals the pid written here. */
	if ((size_t)snprintf(pidfile, sizeof(pidfile), "%s/collector.pid",
		cf->datadir) >= sizeof(pidfile) ||
	    write_pidfile(pidfile) == -1) {
		log_warn("%s", pidfile);
		pidfile[0] = '\0';
	}
	fprintf(stderr, "collector ready%s\n", buf_cstr(&ready));
	fflush(stderr);
	event_base_dispatch(c.base);
	rc = 0;
out:
	/* Stop the readers first, so every received frame is in a batch,
	 * then let the writer drain the queue and seal. */
	for (size_t i = 0; i < c.nudp; i++)
		udp_worker_stop(c.udp[i]);
	stream_worker_stop(c.sw);
	if (c.pl != NULL)
		pipeline_close(c.pl);
	writer_join(c.wr);
	/* No alert comes after the writer: deliver what is queued, within
	 * a bounded wait, and log the rest as abandoned. */
	notify_hook_stop(c.nh, NOTIFY_DRAIN_MS);
	archive_daily_stop(c.daily);
	if (c.wr == NULL && c.pl != NULL) {
		/* never started: nothing was received */
	}
	{
		char line[512];

		ctr_summary(line, sizeof(line));
		log_info("stopped: %s", line);
	}
	for (int i = 0; i < 4; i++)
		if (sigs[i] != NULL)
			event_free(sigs[i]);
	if (c.base != NULL)
		event_base_free(c.base);
	pipeline_free(c.pl);
	archive_close(c.ar);
	store_close(c.st);
	collector_detect_free(c.det);
	hold_drop(); /* this thread's, if it asked */
	tagger_free(c.tagger);
	collector_conf_free(&c.file);
	pthread_mutex_destroy(&c.tagger_mu);
	buf_free(&ready);
	if (pidfile[0] != '\0')
		unlink(pidfile);
	return rc;
}
