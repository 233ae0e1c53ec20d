/*
 * cmd_web.c — `seccloud web`: the web view's process.
 *
 * Startup order: parse options, load the policy named by seccloud.conf
 * (the collector's; the example policy without -f) for the Reports
 * screen, bind the listening socket (127.0.0.1:8080 unless --listen says
 * otherwise; port 0 picks a free one), load the TLS certificate if one is
 * given, open the store, then drop privileges, and only then print the
 * readiness line
 *   seccloud web: listening on http://127.0.0.1:PORT
 * on stderr (tests wait for it).  libevent's evhttp serves requests with
 * the limits of common/sc_limits.h on headers, body and time.  SIGHUP
 * reads the policy file again (it must be readable by the dropped user);
 * a policy that does not load leaves the previous one in force.
 */
#include "config.h"

#include <sys/socket.h>

#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/util.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "common/conf.h"
#include "common/log.h"
#include "common/privdrop.h"
#include "common/sc_limits.h"
#include "common/settings.h"
#include "seccloud.h"
#include "web/web_int.h"

static const char usage_text[] =
    "usage: seccloud web [-v] [-f conf] [-d datadir] [--listen addr:port]\n"
    "                    [--cert file --key file] [--user name] "
    "[--timeout sec]\n\n"
    "serve the web view and JSON API (127.0.0.1:8080 by default;\n"
    "port 0 picks a free port, printed on the readiness line).\n";

struct web_opts {
	uint64_t headers_max, body_max;
	int deadline, per_address;
	const char *conf;
	const char *datadir;
	const char *listen;
	const char *cert, *key;
	const char *user;
	int timeout;
	int verbose;
};

static int
parse_opts(int argc, char **argv, struct web_opts *o)
{
	static const struct option longopts[] = { { "listen", required_argument,
						      NULL, 'l' },
		{ "cert", required_argument, NULL, 'c' },
		{ "key", required_argument, NULL, 'k' },
		{ "user", required_argument, NULL, 'u' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	char *end;
	int ch;
	long v;

	memset(o, 0, sizeof(*o));
	o->listen = "127.0.0.1:8080";
	o->timeout = SC_HTTP_TIMEOUT_SEC;
	o->headers_max = SC_HTTP_HEADERS_MAX;
	o->body_max = SC_HTTP_BODY_MAX;
	o->deadline = WEB_REQUEST_DEADLINE_SEC;
	o->per_address = WEB_CONN_PER_ADDR;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "f:d:vh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			o->conf = optarg;
			break;
		case 'd':
			o->datadir = optarg;
			break;
		case 'l':
			o->listen = optarg;
			break;
		case 'c':
			o->cert = optarg;
			break;
		case 'k':
			o->key = optarg;
			break;
		case 'u':
			o->user = optarg;
			break;
		case 'v':
			o->verbose++;
			break;
		case 't':
			v = strtol(optarg, &end, 10);
			if (*end || v < 1 || v > 3600)
				return -1;
			o->timeout = (int)v;
			break;
		default:
			return -1;
		}
	}
	if (optind != argc || (o->cert == NULL) != (o->key == NULL))
		return -1;
	return 0;
}

static int
split_listen(const char *s, char *host, size_t hostlen, int *port)
{
	const char *colon = strrchr(s, ':');
	char *end;
	long p;
	size_t n;

	if (colon == NULL)
		return -1;
	n = (size_t)(colon - s);
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		s++;
		n -= 2;
	}
	if (n == 0 || n >= hostlen)
		return -1;
	memcpy(host, s, n);
	host[n] = '\0';
	p = strtol(colon + 1, &end, 10);
	if (*end || end == colon + 1 || p < 0 || p > 65535)
		return -1;
	*port = (int)p;
	return 0;
}

static SSL_CTX *
tls_setup(const char *cert, const char *key)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	if (ctx == NULL)
		return NULL;
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(ctx,
	    SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
		SSL_OP_CIPHER_SERVER_PREFERENCE);
	if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		log_warnx("web: tls %s / %s: %s", cert, key,
		    ERR_reason_error_string(ERR_get_error()));
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct web *w = arg;
	struct policy *p;

	(void)what;
	if (sig == SIGHUP) {
		if ((p = policy_load(w->policy_path)) == NULL) {
			log_warnx("web: reload: policy %s not loaded; keeping "
				  "the previous policy",
			    w->policy_path);
			return;
		}
		policy_slot_set(w->policy, p);
		log_info("web: policy %s reloaded", w->policy_path);
		return;
	}
	log_info("web: signal %d, stopping", (int)sig);
	event_base_loopexit(w->base, NULL);
}

static int
bound_port(struct evhttp_bound_socket *h)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	evutil_socket_t fd = evhttp_bound_socket_get_fd(h);

	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1)
		return -1;
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

static int
web_drop(const char *user)
{
	char err[256];
	int dropped = 0;

	if (privdrop(user, &dropped, err, sizeof(err)) == -1) {
		log_warnx("web: privilege drop to %s: %s", user, err);
		return -1;
	}
	return 0;
}

/*
 * The web { } block of seccloud.conf(5):
 *   web {
 *     listen "127.0.0.1:8080"
 *     cert "/etc/seccloud/web.crt"      # with key: serve HTTPS
 *     key "/etc/seccloud/web.key"
 *     limits { headers 16k; body 64k; timeout 30s
 *              deadline 20s        # to read one whole request
 *              per-address 32 }    # connections from one address
 *   }
 * Command-line options win over the file.
 */
struct web_conf_ctx {
	struct web_opts *o;
	int cli_listen, cli_cert, cli_timeout;
};

static int
kw_listen(struct conf *c, const struct conf_node *n, void *arg)
{
	struct web_conf_ctx *x = arg;

	(void)c;
	if (!x->cli_listen)
		x->o->listen = n->args[0];
	return 0;
}

static int
kw_cert(struct conf *c, const struct conf_node *n, void *arg)
{
	struct web_conf_ctx *x = arg;

	(void)c;
	if (!x->cli_cert)
		x->o->cert = n->args[0];
	return 0;
}

static int
kw_key(struct conf *c, const struct conf_node *n, void *arg)
{
	struct web_conf_ctx *x = arg;

	(void)c;
	if (!x->cli_cert)
		x->o->key = n->args[0];
	return 0;
}

static int
kw_headers(struct conf *c, const struct conf_node *n, void *arg)
{
	struct web_conf_ctx *x = arg;

	return conf_arg_size(c, n, 0, 1024, 1024 * 1024, &x->o->headers_max);
}

static int
kw_body(struct conf *c, const struct conf_node *n, void *arg)
{
	struct web_conf_ctx *x = arg;

	return conf_arg_size(c, n, 0, 1024, 64 * 1024 * 1024, &x->o->body_max);
}

static int
kw_timeout(struct conf *c, const struct conf_node *n, void *arg)
{
	struct web_conf_ctx *x = arg;
	int64_t sec;

	if (conf_arg_duration(c, n, 0, &sec) == -1)
		return -1;
	if (sec < 1 || sec > 3600) {
		conf_error_at(c, n, "timeout: 1s to 1h");
		return -1;
	}
	if (!x->cli_timeout)
		x->o->timeout = (int)sec;
	return 0;
}

static int
kw_deadline(struct conf *c, const struct conf_node *n, void *arg)
{
	struct web_conf_ctx *x = arg;
	int64_t sec;

	if (conf_arg_duration(c, n, 0, &sec) == -1)
		return -1;
	if (sec < 1 || sec > 3600) {
		conf_error_at(c, n, "deadline: 1s to 1h");
		return -1;
	}
	x->o->deadline = (int)sec;
	return 0;
}

static int
kw_per_address(struct conf *c, const struct conf_node *n, void *arg)
{
	struct web_conf_ctx *x = arg;
	uint64_t v;

	if (conf_arg_size(c, n, 0, 1, WEB_CONN_SLOTS, &v) == -1)
		return -1;
	x->o->per_address = (int)v;
	return 0;
}

static const struct conf_keyword web_limit_keywords[] = {
	{ "headers", 1, 1, CONF_BLOCK_NO, 1, kw_headers },
	{ "deadline", 1, 1, CONF_BLOCK_NO, 1, kw_deadline },
	{ "per-address", 1, 1, CONF_BLOCK_NO, 1, kw_per_address },
	{ "body", 1, 1, CONF_BLOCK_NO, 1, kw_body },
	{ "timeout", 1, 1, CONF_BLOCK_NO, 1, kw_timeout },
	{ NULL, 0, 0, 0, 0, NULL }
};

static int
kw_limits(struct conf *c, const struct conf_node *n, void *arg)
{
	return conf_walk(c, n->child, web_limit_keywords, arg) == 0 ? 0 : -1;
}

static const struct conf_keyword web_keywords[] = {
	{ "listen", 1, 1, CONF_BLOCK_NO, 1, kw_listen },
	{ "cert", 1, 1, CONF_BLOCK_NO, 1, kw_cert },
	{ "key", 1, 1, CONF_BLOCK_NO, 1, kw_key },
	{ "limits", 0, 0, CONF_BLOCK_YES, 1, kw_limits },
	{ NULL, 0, 0, 0, 0, NULL }
};

static int
web_conf(struct settings *set, struct web_opts *o, int cli_listen, int cli_cert,
    int cli_timeout)
{
	struct web_conf_ctx x = { o, cli_listen, cli_cert, cli_timeout };

	if (set->web == NULL)
		return 0;
	if (conf_walk(set->conf, set->web->child, web_keywords, &x) != 0) {
		conf_print_errors(set->conf);
		return -1;
	}
	if ((o->cert == NULL) != (o->key == NULL)) {
		log_warnx("web: cert and key go together");
		return -1;
	}
	return 0;
}

static int
web_serve(struct web *w, const struct web_opts *o)
{
	struct evhttp_bound_socket *bound;
	struct event *sigs[3];
	char host[256], path[PATH_MAX], err[512];
	int port;

	if (split_listen(o->listen, host, sizeof(host), &port) == -1) {
		log_warnx("web: bad --listen %s (want addr:port)", o->listen);
		return -1;
	}
	if ((w->base = event_base_new()) == NULL ||
	    (w->http = evhttp_new(w->base)) == NULL)
		return -1;
	evhttp_set_max_headers_size(w->http, o->headers_max);
	evhttp_set_max_body_size(w->http, o->body_max);
	evhttp_set_timeout(w->http, w->timeout);
	evhttp_set_allowed_methods(
	    w->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD);
	evhttp_set_gencb(w->http, web_request_cb, w);
	if ((bound = evhttp_bind_socket_with_handle(
		 w->http, host, (ev_uint16_t)port)) == NULL) {
		log_warn("web: bind %s", o->listen);
		return -1;
	}
	if (o->cert != NULL) {
		if ((w->ssl_ctx = tls_setup(o->cert, o->key)) == NULL)
			return -1;
	}
	/* every connection is guarded (conn.c), TLS or not */
	evhttp_set_bevcb(w->http, web_conn_bevcb, w);
	snprintf(path, sizeof(path), "%s/seccloud.db", w->datadir);
	if ((w->st = store_open(path, STORE_CREATE, err, sizeof(err))) ==
	    NULL) {
		log_warnx("web: store: %s", err);
		return -1;
	}
	if (web_drop(o->user != NULL ? o->user : "_seccloud") == -1)
		return -1;
	if ((w->pw = web_worker_new(w)) == NULL ||
	    (w->rpt = web_worker_new(w)) == NULL) {
		log_warnx("web: cannot start the worker threads");
		return -1;
	}
	sigs[0] = evsignal_new(w->base, SIGTERM, on_signal, w);
	sigs[1] = evsignal_new(w->base, SIGINT, on_signal, w);
	sigs[2] = evsignal_new(w->base, SIGHUP, on_signal, w);
	for (int i = 0; i < 3; i++)
		if (sigs[i] != NULL)
			event_add(sigs[i], NULL);
	fprintf(stderr, "seccloud web: listening on %s://%s:%d\n",
	    w->ssl_ctx != NULL ? "https" : "http", host, bound_port(bound));
	fflush(stderr);
	event_base_dispatch(w->base);
	for (int i = 0; i < 3; i++)
		if (sigs[i] != NULL)
			event_free(sigs[i]);
	return 0;
}

int
cmd_web(int argc, char **argv)
{
	struct web_opts o;
	struct settings *set = NULL;
	struct policy *p;
	struct web *w;
	int rc, cli_listen;

	if (cmd_wants_help(argc, argv)) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (parse_opts(argc, argv, &o) == -1) {
		fputs(usage_text, stderr);
		return 2;
	}
	cli_listen = strcmp(o.listen, "127.0.0.1:8080") != 0;
	log_init("web", o.verbose ? LOG_LEVEL_DEBUG : LOG_LEVEL_INFO);
	signal(SIGPIPE, SIG_IGN);
	/* without -f: the embedded defaults (example policy) */
	if ((set = settings_load(o.conf)) == NULL ||
	    web_conf(set, &o, cli_listen, o.cert != NULL,
		o.timeout != SC_HTTP_TIMEOUT_SEC) == -1) {
		settings_free(set);
		return 2; /* refused configuration: run(8) does not restart it */
	}
	if (o.conf != NULL && o.datadir == NULL)
		o.datadir = set->datadir;
	if (o.conf != NULL && o.user == NULL)
		o.user = set->user;
	if ((p = policy_load(set->policy)) == NULL) {
		log_warnx("web: policy %s not loaded", set->policy);
		settings_free(set);
		return 1;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL) {
		policy_unref(p);
		settings_free(set);
		return 1;
	}
	w->datadir = o.datadir != NULL ? o.datadir : SC_LOCALSTATEDIR;
	w->timeout = o.timeout;
	w->deadline = o.deadline;
	w->conn_per_addr = o.per_address;
	w->slow_warn = (struct ratelim)RATELIM_INIT(10);
	w->many_warn = (struct ratelim)RATELIM_INIT(10);
	w->policy_path = set->policy;
	w->policy = policy_slot_new(p);
	rc = web_serve(w, &o) == -1 ? 1 : 0;
	/* before evhttp_free frees the requests still waiting */
	web_worker_free(w->pw);
	web_worker_free(w->rpt);
	store_close(w->rst);
	store_close(w->st);
	policy_slot_free(w->policy);
	if (w->http != NULL)
		evhttp_free(w->http);
	if (w->ssl_ctx != NULL)
		SSL_CTX_free(w->ssl_ctx);
	if (w->base != NULL)
		event_base_free(w->base);
	free(w);
	settings_free(set);
	return rc;
}
