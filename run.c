/*
 * run.c — `seccloud run`: the all-in-one appliance.  Placeholder until the
 * supervisor lands (issue 2).
 */
#include "config.h"

#include <stdio.h>

#include "seccloud.h"

int
cmd_run(int argc, char **argv)
{
	if (cmd_wants_help(argc, argv)) {
		printf("usage: seccloud run [-f seccloud.conf]\n\n"
		       "The all-in-one appliance.  Not built yet (issue 2).\n");
		return 0;
	}
	return cmd_not_built("run", "issue 2");
}
