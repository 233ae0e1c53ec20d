/*
 * collector_run.c — the collector daemon: open the store and the archive,
 * bind every listener (as root if ports below 1024 need it), drop
 * privileges, start the writer, the UDP workers and the stream worker,
 * print the readiness line, and serve signals: SIGTERM/SIGINT stop and
 * flush everything, SIGHUP reloads the policy and the rules by building
 * new ones beside the old and swapping pointers — listeners, batches and
 * the writer carry on, so no message is dropped.
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
#include "common/timeutil.h"

#define TAGGERS_MAX 64 /* old taggers kept until exit (reloads) */
#define NOTIFY_DRAIN_MS 5000 /* at exit, for queued notifications */

struct collector {
	const struct collector_conf *conf;
	struct tagger *tagger; /* current; atomic pointer */
	struct tagger *old[TAGGERS_MAX];
	size_t nold;
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

static const struct tagger *
current_tagger(void *arg)
{
	struct collector *c = arg;

	return __atomic_load_n(&c->tagger, __ATOMIC_ACQUIRE);
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct collector *c = arg;

	(void)what;
	if (sig == SIGHUP) {
		char err[512];
		struct tagger *t;

		/* the files named at startup are read again; listeners and
		 * limits keep their values until a restart */
		if (collector_detect_reload(
			c->det, c->conf->settings, c->conf->datadir))
			log_warnx("reload: rules not loaded; keeping the "
				  "previous rules");
		t = tagger_load(c->conf->policy[0] ? c->conf->policy : NULL,
		    err, sizeof(err));
		if (t == NULL) {
			log_warnx(
			    "reload: %s; keeping the previous policy", err);
			return;
		}
		if (c->nold == TAGGERS_MAX) {
			log_warnx("reload: too many reloads kept; ignored");
			tagger_free(t);
			return;
		}
		c->old[c->nold++] = c->tagger;
		__atomic_store_n(&c->tagger, t, __ATOMIC_RELEASE);
		log_info("reload: policy with %zu sources", tagger_count(t));
		notify_hook_reload(c->nh);
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
collector_run(const struct collector_conf *cf)
{
	struct collector c;
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
	c.conf = cf;
	buf_init(&ready, 4096);
	evthread_use_pthreads();
	signal(SIGPIPE, SIG_IGN);
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
	tagger_free(c.tagger);
	for (size_t i = 0; i < c.nold; i++)
		tagger_free(c.old[i]);
	buf_free(&ready);
	if (pidfile[0] != '\0')
		unlink(pidfile);
	return rc;
}
