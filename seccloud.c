/*
 * seccloud.c — main(): dispatch to the subcommand named by argv[1].
 *
 * One binary serves every role (see DESIGN.md §1); `seccloud run` starts
 * the others as child processes.  The table below is the whole list.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "seccloud.h"

struct command {
	const char *name;
	int (*fn)(int, char **);
	const char *summary;
};

static const struct command commands[] = {
	{ "run", cmd_run,
	    "the all-in-one appliance: collector, web and sensors, supervised" },
	{ "collector", cmd_collector,
	    "receive syslog, parse, tag, match, store and archive" },
	{ "sensor", cmd_sensor,
	    "capture packets, reassemble, match, report to the collector" },
	{ "web", cmd_web,
	    "the web view for analysts, 団体 staff and auditors" },
	{ "rules", cmd_rules, "check, compile and test rule sets" },
	{ "policy", cmd_policy, "check a policy, look up an address" },
	{ "report", cmd_report, "monthly and audit reports" },
	{ "archive", cmd_archive,
	    "verify, search and prune the sealed archive" },
	{ "user", cmd_user, "manage web accounts" },
};

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: seccloud COMMAND [options]\n"
	    "       seccloud COMMAND --help\n"
	    "       seccloud --version\n\ncommands:\n");
	for (size_t i = 0; i < nitems(commands); i++)
		fprintf(
		    fp, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(fp, "\nSee seccloud(8) and seccloud.conf(5).\n");
}

int
cmd_not_built(const char *name, const char *issue)
{
	fprintf(stderr, "seccloud %s: not built yet (%s)\n", name, issue);
	return 2;
}

int
cmd_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0)
			return 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	log_init("seccloud", LOG_LEVEL_INFO);
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("seccloud %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < nitems(commands); i++) {
		if (strcmp(argv[1], commands[i].name) == 0) {
			log_init(commands[i].name, LOG_LEVEL_INFO);
			return commands[i].fn(argc - 1, argv + 1);
		}
	}
	fprintf(stderr, "seccloud: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
