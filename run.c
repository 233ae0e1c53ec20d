/*
 * run.c — `seccloud run`: the all-in-one appliance.
 *
 * A small supervisor (the parent of OpenBSD's privsep daemons): it starts
 * the collector, the web view and one sensor per `sensor NAME { }` block as
 * child processes of this same binary, restarts a child that dies (with
 * backoff, so a child that cannot start does not spin), forwards SIGHUP
 * (reload) to every child, and on SIGTERM or SIGINT stops them all — each
 * child flushes what it holds — before exiting.  A role that exits with
 * status 2 (not built, a usage or a configuration error: restarting it
 * cannot help) is left out until the next SIGHUP, when the operator has
 * fixed what it said.  This is judged by the status alone, never by how
 * long the child ran: a loaded machine can take seconds to get there.
 * The parent keeps root only to be able to restart children that bind
 * privileged ports; it touches no network input itself.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "common/common.h"
#include "seccloud.h"

#define RUN_MAX_CHILDREN 16
#define RUN_BACKOFF_MIN_S 1
#define RUN_BACKOFF_MAX_S 60
#define RUN_STABLE_S 60 /* up this long: backoff resets */
#define RUN_STOP_GRACE_S 20 /* SIGTERM, then SIGKILL after this */

struct child {
	char name[64];
	char *argv[16];
	int argc;
	pid_t pid;
	int64_t started_us;
	int backoff_s;
	int disabled; /* exited 2: left out until SIGHUP */
	struct event *restart;
	struct run *run;
};

struct run {
	struct event_base *base;
	struct child children[RUN_MAX_CHILDREN];
	int nchildren;
	int stopping;
	struct event *stop_timer;
	char self[PATH_MAX];
};

static void child_start(struct child *);

static void
child_add(
    struct run *r, const char *name, const char *role, const char *const *args)
{
	struct child *c;

	if (r->nchildren == RUN_MAX_CHILDREN) {
		log_warnx("run: more than %d children; %s not started",
		    RUN_MAX_CHILDREN, name);
		return;
	}
	c = &r->children[r->nchildren++];
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->run = r;
	c->argv[c->argc++] = xstrdup("seccloud");
	c->argv[c->argc++] = xstrdup(role);
	for (; args != NULL && *args != NULL && c->argc < 15; args++)
		c->argv[c->argc++] = xstrdup(*args);
	c->argv[c->argc] = NULL;
	c->backoff_s = RUN_BACKOFF_MIN_S;
}

static void
restart_cb(evutil_socket_t fd, short ev, void *arg)
{
	child_start(arg);
}

static void
child_start(struct child *c)
{
	pid_t pid;

	if (c->run->stopping || c->disabled)
		return;
	if ((pid = fork()) == -1) {
		log_warn("run: fork %s", c->name);
		return;
	}
	if (pid == 0) {
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execv(c->run->self, c->argv);
		log_warn("run: exec %s", c->run->self);
		_exit(127);
	}
	c->pid = pid;
	c->started_us = time_mono_us();
	log_info("run: started %s (pid %d)", c->name, (int)pid);
}

static struct child *
child_by_pid(struct run *r, pid_t pid)
{
	for (int i = 0; i < r->nchildren; i++)
		if (r->children[i].pid == pid)
			return &r->children[i];
	return NULL;
}

static int
alive(struct run *r)
{
	int n = 0;

	for (int i = 0; i < r->nchildren; i++)
		n += r->children[i].pid > 0;
	return n;
}

static void
child_exited(struct run *r, struct child *c, int status)
{
	int64_t up_s = (time_mono_us() - c->started_us) / TIME_US_PER_SEC;
	struct timeval tv;

	c->pid = 0;
	if (r->stopping) {
		log_info("run: %s stopped", c->name);
		return;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 2) {
		log_warnx("run: %s is not available (exit 2: not built, or its "
			  "configuration is refused); not restarting until "
			  "SIGHUP",
		    c->name);
		c->disabled = 1;
		return;
	}
	if (up_s >= RUN_STABLE_S)
		c->backoff_s = RUN_BACKOFF_MIN_S;
	if (WIFSIGNALED(status))
		log_warnx("run: %s died of signal %d; restarting in %d s",
		    c->name, WTERMSIG(status), c->backoff_s);
	else
		log_warnx("run: %s exited with status %d; restarting in %d s",
		    c->name, WEXITSTATUS(status), c->backoff_s);
	if (c->restart == NULL)
		c->restart = evtimer_new(r->base, restart_cb, c);
	tv.tv_sec = c->backoff_s;
	tv.tv_usec = 0;
	evtimer_add(c->restart, &tv);
	c->backoff_s = c->backoff_s * 2 > RUN_BACKOFF_MAX_S ?
	    RUN_BACKOFF_MAX_S :
	    c->backoff_s * 2;
}

static void
sigchld_cb(evutil_socket_t sig, short ev, void *arg)
{
	struct run *r = arg;
	struct child *c;
	pid_t pid;
	int status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		if ((c = child_by_pid(r, pid)) != NULL)
			child_exited(r, c, status);
	if (r->stopping && alive(r) == 0)
		event_base_loopexit(r->base, NULL);
}

static void
stop_timeout_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct run *r = arg;

	for (int i = 0; i < r->nchildren; i++) {
		if (r->children[i].pid > 0) {
			log_warnx("run: %s did not stop in %d s; killing",
			    r->children[i].name, RUN_STOP_GRACE_S);
			kill(r->children[i].pid, SIGKILL);
		}
	}
}

static void
sigterm_cb(evutil_socket_t sig, short ev, void *arg)
{
	struct run *r = arg;
	struct timeval tv = { RUN_STOP_GRACE_S, 0 };

	if (r->stopping)
		return;
	r->stopping = 1;
	log_info("run: signal %d, stopping %d children", (int)sig, alive(r));
	for (int i = 0; i < r->nchildren; i++) {
		if (r->children[i].restart != NULL)
			evtimer_del(r->children[i].restart);
		if (r->children[i].pid > 0)
			kill(r->children[i].pid, SIGTERM);
	}
	if (alive(r) == 0) {
		event_base_loopexit(r->base, NULL);
		return;
	}
	r->stop_timer = evtimer_new(r->base, stop_timeout_cb, r);
	evtimer_add(r->stop_timer, &tv);
}

static void
sighup_cb(evutil_socket_t sig, short ev, void *arg)
{
	struct run *r = arg;

	log_info("run: SIGHUP, asking every child to reload");
	for (int i = 0; i < r->nchildren; i++) {
		struct child *c = &r->children[i];

		if (c->pid > 0)
			kill(c->pid, SIGHUP);
		else if (c->disabled && !r->stopping) {
			/* the operator may have fixed what it refused */
			c->disabled = 0;
			c->backoff_s = RUN_BACKOFF_MIN_S;
			if (c->restart != NULL)
				evtimer_del(c->restart);
			child_start(c);
		}
	}
}

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: seccloud run [-f seccloud.conf] [-d datadir] "
	    "[--no-web] [--no-collector]\n\n"
	    "The all-in-one appliance: starts the collector, the web view and\n"
	    "one sensor per `sensor NAME { }` block, restarts a child that\n"
	    "dies, forwards SIGHUP (reload) and stops all on SIGTERM.\n"
	    "Without -f the embedded defaults are used (SQLite under the data\n"
	    "directory, the bundled rules, the example policy).\n");
}

int
cmd_run(int argc, char **argv)
{
	static const struct option opts[] = { { "config", required_argument,
						  NULL, 'f' },
		{ "datadir", required_argument, NULL, 'd' },
		{ "no-web", no_argument, NULL, 'W' },
		{ "no-collector", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	const char *conf = NULL, *datadir = NULL, *args[8];
	struct settings *s;
	struct run r;
	struct event *evs[4];
	int ch, web = 1, collector = 1, n = 0;
	ssize_t len;

	while ((ch = getopt_long(argc, argv, "f:d:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			conf = optarg;
			break;
		case 'd':
			datadir = optarg;
			break;
		case 'W':
			web = 0;
			break;
		case 'C':
			collector = 0;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if ((s = settings_load(conf)) == NULL)
		return 1;
	memset(&r, 0, sizeof(r));
	if ((len = readlink("/proc/self/exe", r.self, sizeof(r.self) - 1)) < 0)
		fatal("run: /proc/self/exe");
	r.self[len] = '\0';
	if (conf != NULL) {
		args[n++] = "-f";
		args[n++] = conf;
	}
	if (datadir != NULL) {
		args[n++] = "-d";
		args[n++] = datadir;
	}
	args[n] = NULL;
	if (collector)
		child_add(&r, "collector", "collector", args);
	if (web)
		child_add(&r, "web", "web", args);
	for (const struct conf_node *sn = s->sensors; sn != NULL;
	     sn = sn->next) {
		const char *sargs[10];
		char label[64];
		int k = 0;

		if (strcmp(sn->name, "sensor") != 0)
			continue;
		for (int i = 0; i < n; i++)
			sargs[k++] = args[i];
		sargs[k++] = "--name";
		sargs[k++] = sn->args[0];
		sargs[k] = NULL;
		snprintf(label, sizeof(label), "sensor %s", sn->args[0]);
		child_add(&r, label, "sensor", sargs);
	}
	if ((r.base = event_base_new()) == NULL)
		fatalx("run: event_base_new");
	evs[0] = evsignal_new(r.base, SIGCHLD, sigchld_cb, &r);
	evs[1] = evsignal_new(r.base, SIGTERM, sigterm_cb, &r);
	evs[2] = evsignal_new(r.base, SIGINT, sigterm_cb, &r);
	evs[3] = evsignal_new(r.base, SIGHUP, sighup_cb, &r);
	for (int i = 0; i < 4; i++)
		event_add(evs[i], NULL);
	for (int i = 0; i < r.nchildren; i++)
		child_start(&r.children[i]);
	log_info("run ready children=%d datadir=%s", r.nchildren,
	    datadir ? datadir : s->datadir);
	event_base_dispatch(r.base);
	for (int i = 0; i < 4; i++)
		event_free(evs[i]);
	for (int i = 0; i < r.nchildren; i++) {
		if (r.children[i].restart != NULL)
			event_free(r.children[i].restart);
		for (int a = 0; a < r.children[i].argc; a++)
			free(r.children[i].argv[a]);
	}
	if (r.stop_timer != NULL)
		event_free(r.stop_timer);
	event_base_free(r.base);
	settings_free(s);
	log_info("run: stopped");
	return 0;
}
