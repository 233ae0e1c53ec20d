/*
 * cmd_report.c — `seccloud report`: produce monthly and audit reports.
 * Not built yet: see issue 5.
 */
#include "config.h"

#include <stdio.h>

#include "seccloud.h"

int
cmd_report(int argc, char **argv)
{
	if (cmd_wants_help(argc, argv)) {
		printf(
		    "usage: seccloud report [options]\n\nproduce monthly and audit reports.\n"
		    "Not built yet (issue 5).\n");
		return 0;
	}
	return cmd_not_built("report", "issue 5");
}
