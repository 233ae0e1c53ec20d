/*
 * cmd_web.c — `seccloud web`: serve the web view.
 * Not built yet: see issue 6.
 */
#include "config.h"

#include <stdio.h>

#include "seccloud.h"

int
cmd_web(int argc, char **argv)
{
	if (cmd_wants_help(argc, argv)) {
		printf("usage: seccloud web [options]\n\nserve the web view.\n"
		       "Not built yet (issue 6).\n");
		return 0;
	}
	return cmd_not_built("web", "issue 6");
}
