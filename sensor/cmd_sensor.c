/*
 * cmd_sensor.c — `seccloud sensor`: read capture files or an interface,
 * reassemble, match the rules and report (EVE file, collector).
 *
 *   seccloud sensor [-c CONF [-n NAME]] [-r FILE]... [-i IFACE]
 *                   [--rules FILE]... [--policy FILE] [--eve FILE]
 *                   [-S HOST:PORT [--tls]] [--midstream] [--flows]
 *                   [--workers N] [-d DATADIR] [--spool BYTES]
 *                   [--spool-disk BYTES] [--stats] [-u USER] [-F BPF]
 *
 * With -c, the `sensor NAME { }` block of seccloud.conf (the first one
 * without -n) and the shared rule files, variables, policy and user are
 * used; options on the command line win.
 * The capture is opened first (root), then privileges are dropped.
 */
#include "config.h"

#include <getopt.h>
#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/conf.h"
#include "common/log.h"
#include "common/settings.h"
#include "common/xmalloc.h"
#include "policies/policy.h"
#include "seccloud.h"
#include "sensor/capture.h"
#include "sensor/sensor.h"
#include "sensor/sensor_rules.h"

static struct sensor *live_sensor;

static void
on_signal(int sig)
{
	(void)sig;
	if (live_sensor != NULL)
		sensor_stop(live_sensor);
}

static void
print_stat(void *arg, const char *name, uint64_t v)
{
	fprintf(arg, "%s %llu\n", name, (unsigned long long)v);
}

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: seccloud sensor [-f CONF [-n NAME]] [-r FILE]... [-i IFACE]\n"
	    "           [--rules FILE]... [--policy FILE]\n"
	    "           [--eve FILE] [--flows] [-S HOST:PORT [--tls [--ca FILE]]]\n"
	    "           [--midstream] [--inline] [--stream-depth BYTES]\n"
	    "           [--workers N] [-d DATADIR] [--spool BYTES]\n"
	    "           [--spool-disk BYTES] [-F FILTER] [-u USER] [--stats]\n\n"
	    "Capture packets (files or a live interface), reassemble TCP,\n"
	    "extract HTTP/DNS/TLS fields, match rules and report alerts as\n"
	    "EVE JSON and RFC 5424 syslog to the collector.\n");
}

enum {
	OPT_RULES = 256,
	OPT_EVE,
	OPT_MIDSTREAM,
	OPT_FLOWS,
	OPT_TLS,
	OPT_STATS,
	OPT_DEPTH,
	OPT_NOMIDSTREAM,
	OPT_INLINE,
	OPT_POLICY,
	OPT_CA,
	OPT_WORKERS,
	OPT_SPOOL,
	OPT_SPOOL_DISK,
};

static const struct option longopts[] = {
	{ "rules", required_argument, NULL, OPT_RULES },
	{ "eve", required_argument, NULL, OPT_EVE },
	{ "midstream", no_argument, NULL, OPT_MIDSTREAM },
	{ "no-midstream", no_argument, NULL, OPT_NOMIDSTREAM },
	{ "inline", no_argument, NULL, OPT_INLINE },
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "ca", required_argument, NULL, OPT_CA },
	{ "workers", required_argument, NULL, OPT_WORKERS },
	{ "spool", required_argument, NULL, OPT_SPOOL },
	{ "spool-disk", required_argument, NULL, OPT_SPOOL_DISK },
	{ "flows", no_argument, NULL, OPT_FLOWS },
	{ "tls", no_argument, NULL, OPT_TLS },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "stream-depth", required_argument, NULL, OPT_DEPTH },
	{ "config", required_argument, NULL, 'f' },
	{ "name", required_argument, NULL, 'n' },
	{ "datadir", required_argument, NULL, 'd' },
	{ "collector", required_argument, NULL, 'S' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Read seccloud.conf and the chosen sensor block into cfg. */
static int
load_conf(const char *path, const char *name, struct sensor_config *cfg,
    struct settings **setp, const char **user)
{
	struct settings *set = settings_load(path);
	const struct conf_node *n;

	if (set == NULL)
		return -1;
	*setp = set;
	if (*user == NULL)
		*user = set->user;
	for (n = set->sensors; n != NULL; n = n->next) {
		if (strcmp(n->name, "sensor") != 0)
			continue;
		if (name == NULL ||
		    (n->nargs > 0 && strcmp(n->args[0], name) == 0))
			break;
	}
	if (n == NULL) {
		if (name != NULL) {
			log_warnx("%s: no sensor %s { } block", path, name);
			return -1;
		}
		return 0;
	}
	if (sensor_conf_apply(set->conf, n, cfg) != 0) {
		conf_print_errors(set->conf);
		return -1;
	}
	return 0;
}

int
cmd_sensor(int argc, char **argv)
{
	struct sensor_config cfg;
	const char **files = NULL, **rules = NULL;
	size_t nfiles = 0, nrules = 0;
	glob_t defrules;
	const char *user = NULL;
	int ch, stats = 0, rc = 1, workers = -1;
	const char *datadir = NULL;
	unsigned long long spool = 0;
	long long spool_disk = -1;
	char err[512];
	struct sensor_rules *sr = NULL;
	struct sensor *s = NULL;
	struct capture_files *cf = NULL;
	const char *conf_path = NULL, *name = NULL, *policy_path = NULL;
	struct settings *set = NULL;
	struct policy *pol = NULL;

	sensor_config_defaults(&cfg);
	memset(&defrules, 0, sizeof(defrules));
	files = calloc((size_t)argc + 1, sizeof(*files));
	rules = calloc((size_t)argc + 1, sizeof(*rules));
	if (files == NULL || rules == NULL)
		fatal("calloc");
	optind = 1;
	while ((ch = getopt_long(
		    argc, argv, "c:f:d:n:r:i:S:u:F:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			files[nfiles++] = optarg;
			break;
		case 'c':
		case 'f': /* -f like every other command; -c kept */
			conf_path = optarg;
			break;
		case 'd': /* the disk spool's directory */
			datadir = optarg;
			break;
		case 'n':
			name = optarg;
			break;
		case OPT_POLICY:
			policy_path = optarg;
			break;
		case 'i':
			cfg.iface = optarg;
			break;
		case 'S':
			cfg.collector = optarg;
			break;
		case 'u':
			user = optarg;
			break;
		case 'F':
			cfg.bpf = optarg;
			break;
		case OPT_RULES:
			rules[nrules++] = optarg;
			break;
		case OPT_EVE:
			cfg.eve_path = optarg;
			break;
		case OPT_MIDSTREAM:
			cfg.midstream = 1;
			break;
		case OPT_NOMIDSTREAM:
			cfg.midstream = 0;
			break;
		case OPT_INLINE:
			cfg.inline_mode = 1;
			break;
		case OPT_FLOWS:
			cfg.eve_flows = 1;
			break;
		case OPT_TLS:
			cfg.collector_tls = 1;
			break;
		case OPT_CA:
			cfg.collector_ca = optarg;
			break;
		case OPT_STATS:
			stats = 1;
			break;
		case OPT_SPOOL:
		case OPT_SPOOL_DISK: {
			char *end;
			unsigned long long v = strtoull(optarg, &end, 10);

			if (*end != '\0' || (ch == OPT_SPOOL && v < 4096)) {
				usage(stderr);
				rc = 2;
				goto out;
			}
			if (ch == OPT_SPOOL)
				spool = v;
			else
				spool_disk = (long long)v;
			break;
		}
		case OPT_WORKERS: {
			char *end;
			long v = strtol(optarg, &end, 10);

			if (*end != '\0' || v < 1 || v > SENSOR_WORKERS_MAX) {
				usage(stderr);
				rc = 2;
				goto out;
			}
			workers = (int)v;
			break;
		}
		case OPT_DEPTH: {
			char *end;
			unsigned long long v = strtoull(optarg, &end, 10);

			if (*end != '\0') {
				usage(stderr);
				goto out;
			}
			cfg.stream_depth = v;
			break;
		}
		case 'h':
			usage(stdout);
			rc = 0;
			goto out;
		default:
			usage(stderr);
			rc = 2;
			goto out;
		}
	}
	if (conf_path != NULL &&
	    load_conf(conf_path, name, &cfg, &set, &user) != 0) {
		rc = 2; /* refused configuration: run(8) does not restart it */
		goto out;
	}
	if (workers > 0) /* the command line wins over the conf */
		cfg.workers = workers;
	if (spool > 0)
		cfg.spool_max = spool;
	if (spool_disk >= 0)
		cfg.spool_disk_max = (uint64_t)spool_disk;
	cfg.spool_dir = datadir != NULL ? datadir :
	    set != NULL			? set->datadir :
					  NULL;
	if (optind != argc || (nfiles == 0 && cfg.iface == NULL)) {
		usage(stderr);
		rc = 2;
		goto out;
	}
	/* Without --rules: the bundled packet set.  The `rules` files of
	 * seccloud.conf are the collector's log rules. */
	if (nrules == 0) {
		char *pat;

		xasprintf(
		    &pat, "%s/rules/sets/packet/*.rules", settings_sharedir());
		if (glob(pat, 0, NULL, &defrules) == 0) {
			free(rules);
			rules = xcalloc(defrules.gl_pathc + 1, sizeof(*rules));
			for (size_t i = 0; i < defrules.gl_pathc; i++)
				rules[nrules++] = defrules.gl_pathv[i];
		}
		free(pat);
	}
	if (nrules > 0 &&
	    (sr = sensor_rules_load(rules, nrules, set, err, sizeof(err))) ==
		NULL) {
		log_warnx("rules: %s", err);
		goto out;
	}
	if (policy_path == NULL && set != NULL)
		policy_path = set->policy;
	if (policy_path != NULL) {
		if ((pol = policy_load(policy_path)) == NULL) {
			log_warnx("policy %s: not loaded", policy_path);
			goto out;
		}
		cfg.policy = pol;
	}
	s = sensor_new(&cfg, sensor_rules_set(sr));
	if (s == NULL) {
		log_warnx("sensor: cannot start");
		goto out;
	}
	if (cfg.iface != NULL && sensor_live_open(s, err, sizeof(err)) != 0) {
		log_warnx("capture %s", err);
		goto out;
	}
	if (nfiles > 0 &&
	    (cf = capture_files_open(files, nfiles, err, sizeof(err))) ==
		NULL) {
		log_warnx("%s", err);
		goto out;
	}
	if (sensor_open_outputs(s, err, sizeof(err)) != 0) {
		log_warnx("output %s", err);
		goto out;
	}
	if (sensor_drop_privileges(user, cfg.iface != NULL, err, sizeof(err)) !=
	    0) {
		log_warnx("%s", err);
		goto out;
	}
	rc = 0;
	if (cf != NULL && capture_files_read(s, cf, err, sizeof(err)) != 0) {
		log_warnx("%s", err);
		rc = 1;
	}
	if (cfg.iface != NULL) {
		log_info(
		    "sensor %s ready: capturing on %s", cfg.name, cfg.iface);
		live_sensor = s;
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
		if (sensor_live_run(s, err, sizeof(err)) != 0) {
			log_warnx("%s", err);
			rc = 1;
		}
		live_sensor = NULL;
	}
	sensor_flush(s);
	if (stats)
		sensor_stats(s, print_stat, stderr);
out:
	capture_files_free(cf);
	sensor_free(s);
	sensor_rules_free(sr);
	policy_unref(pol);
	settings_free(set);
	free(files);
	free(rules);
	globfree(&defrules);
	return rc;
}
