/*
 * cmd_collector.c — `seccloud collector`: receive syslog, parse, tag,
 * match, store and archive (collector_run.c), or print the stage counters
 * the running (or last) collector wrote to the store (--stats).
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/collector_int.h"
#include "collector/store.h"
#include "common/log.h"
#include "common/settings.h"
#include "common/xmalloc.h"
#include "common/timeutil.h"
#include "seccloud.h"

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: seccloud collector [-v] [-f seccloud.conf] [-d datadir]\n"
	    "                          [--listen udp:HOST:PORT|tcp:HOST:PORT|"
	    "tls:HOST:PORT|unix:PATH ...]\n"
	    "                          [--policy FILE] [--rules FILE ...] "
	    "[--no-rules] [--tz ZONE]\n"
	    "                          [--tls-cert F --tls-key F [--tls-ca F"
	    " [--tls-verify]]]\n"
	    "                          [--frame-max N] [--batch-age-ms N] "
	    "[--user USER]\n"
	    "       seccloud collector --stats [-f seccloud.conf] [-d datadir]\n"
	    "\nreceive syslog, parse, tag, match, store and archive.\n"
	    "Prints \"collector ready udp=ADDR:PORT tcp=... tls=... unix=PATH\"\n"
	    "on stderr once listening (the actual ports when 0 was given).\n");
}

static int
stats(const struct collector_conf *cf)
{
	char path[4200], err[256];
	struct store *st;
	int rc;

	snprintf(path, sizeof(path), "%s/seccloud.db", cf->datadir);
	if ((st = store_open(path, STORE_RDONLY, err, sizeof(err))) == NULL) {
		fprintf(stderr, "seccloud collector: %s: %s\n", path, err);
		return 1;
	}
	rc = store_counters_print(st, "collector", stdout);
	store_close(st);
	return rc == 0 ? 0 : 1;
}

int
cmd_collector(int argc, char **argv)
{
	enum {
		O_LISTEN = 256,
		O_POLICY,
		O_RULES,
		O_NORULES,
		O_TZ,
		O_CERT,
		O_KEY,
		O_CA,
		O_VERIFY,
		O_FRAME,
		O_AGE,
		O_STATS,
		O_USER
	};
	static const struct option opts[] = { { "help", no_argument, NULL,
						  'h' },
		{ "listen", required_argument, NULL, O_LISTEN },
		{ "policy", required_argument, NULL, O_POLICY },
		{ "rules", required_argument, NULL, O_RULES },
		{ "no-rules", no_argument, NULL, O_NORULES },
		{ "tz", required_argument, NULL, O_TZ },
		{ "tls-cert", required_argument, NULL, O_CERT },
		{ "tls-key", required_argument, NULL, O_KEY },
		{ "tls-ca", required_argument, NULL, O_CA },
		{ "tls-verify", no_argument, NULL, O_VERIFY },
		{ "frame-max", required_argument, NULL, O_FRAME },
		{ "batch-age-ms", required_argument, NULL, O_AGE },
		{ "stats", no_argument, NULL, O_STATS },
		{ "user", required_argument, NULL, O_USER },
		{ NULL, 0, NULL, 0 } };
	static struct collector_conf cf; /* large: keep off the stack */
	struct listen_spec cli[COLLECTOR_LISTEN_MAX];
	const char *conf_path = NULL, *datadir = NULL;
	size_t ncli = 0;
	int ch, verbose = 0, want_stats = 0, rules_given = 0, rc;
	char *end;
	long v;

	/* first pass: -f, so the command line can override the file */
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "-f") == 0 && i + 1 < argc)
			conf_path = argv[i + 1];
	if (cmd_wants_help(argc, argv)) {
		usage(stdout);
		return 0;
	}
	/* a configuration it refuses: 2, so run(8) leaves the role out until
	 * the next SIGHUP instead of restarting it in a loop */
	if (collector_conf_load(&cf, conf_path) != 0)
		return 2;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "hvf:d:", opts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			break;
		case 'd':
			datadir = optarg;
			break;
		case 'v':
			verbose++;
			break;
		case O_LISTEN:
			if (ncli >= COLLECTOR_LISTEN_MAX ||
			    collector_listen_parse(optarg, &cli[ncli]) != 0) {
				fprintf(stderr,
				    "seccloud collector: bad --listen %s\n",
				    optarg);
				collector_conf_free(&cf);
				return 2;
			}
			ncli++;
			break;
		case O_POLICY:
			snprintf(cf.policy, sizeof(cf.policy), "%s", optarg);
			break;
		case O_RULES:
		case O_NORULES:
			if (!rules_given) {
				struct settings *s = cf.settings;

				for (size_t i = 0; i < s->nrules; i++)
					free(s->rules[i]);
				s->nrules = 0;
				rules_given = 1;
			}
			if (ch == O_RULES) {
				struct settings *s = cf.settings;

				s->rules = xreallocarray(
				    s->rules, s->nrules + 1, sizeof(char *));
				s->rules[s->nrules++] = xstrdup(optarg);
			}
			break;
		case O_TZ:
			if (time_parse_tzoff(optarg, &cf.tzoff) != 0) {
				fprintf(
				    stderr, "seccloud collector: bad --tz\n");
				collector_conf_free(&cf);
				return 2;
			}
			break;
		case O_CERT:
			snprintf(
			    cf.tls_cert, sizeof(cf.tls_cert), "%s", optarg);
			break;
		case O_KEY:
			snprintf(cf.tls_key, sizeof(cf.tls_key), "%s", optarg);
			break;
		case O_CA:
			snprintf(cf.tls_ca, sizeof(cf.tls_ca), "%s", optarg);
			break;
		case O_VERIFY:
			cf.tls_verify = 1;
			break;
		case O_FRAME:
		case O_AGE:
			v = strtol(optarg, &end, 10);
			if (*end != '\0' || v < (ch == O_FRAME ? 256 : 10) ||
			    v > (ch == O_FRAME ? 16 * 1024 * 1024 : 60000)) {
				fprintf(stderr, "seccloud collector: bad %s\n",
				    ch == O_FRAME ? "--frame-max" :
						    "--batch-age-ms");
				collector_conf_free(&cf);
				return 2;
			}
			if (ch == O_FRAME) {
				cf.frame_max = (size_t)v;
				if (cf.conn_buffer < cf.frame_max + 64)
					cf.conn_buffer = cf.frame_max + 64;
			} else
				cf.batch_age_ms = (int)v;
			break;
		case O_USER:
			snprintf(cf.user, sizeof(cf.user), "%s", optarg);
			break;
		case O_STATS:
			want_stats = 1;
			break;
		default:
			usage(stderr);
			collector_conf_free(&cf);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		collector_conf_free(&cf);
		return 2;
	}
	if (datadir != NULL)
		snprintf(cf.datadir, sizeof(cf.datadir), "%s", datadir);
	log_init("collector", verbose ? LOG_LEVEL_DEBUG : LOG_LEVEL_INFO);
	if (want_stats) {
		rc = stats(&cf);
		collector_conf_free(&cf);
		return rc;
	}
	if (ncli > 0) {
		memcpy(cf.listen, cli, ncli * sizeof(cli[0]));
		cf.nlisten = ncli;
	}
	if (cf.nlisten == 0) {
		fprintf(stderr,
		    "seccloud collector: nothing to listen on "
		    "(--listen or collector { listen ... })\n");
		return 2;
	}
	return collector_run(&cf);
}
