/*
 * cmd_rules.c — `seccloud rules`: check, compile and test rule sets.
 * Not built yet: see issue 3.
 */
#include "config.h"

#include <stdio.h>

#include "seccloud.h"

int
cmd_rules(int argc, char **argv)
{
	if (cmd_wants_help(argc, argv)) {
		printf(
		    "usage: seccloud rules [options]\n\ncheck, compile and test rule sets.\n"
		    "Not built yet (issue 3).\n");
		return 0;
	}
	return cmd_not_built("rules", "issue 3");
}
