/*
 * cmd_policy.c — `seccloud policy`: check a policy file, look up an address.
 * Not built yet: see issue 5.
 */
#include "config.h"

#include <stdio.h>

#include "seccloud.h"

int
cmd_policy(int argc, char **argv)
{
	if (cmd_wants_help(argc, argv)) {
		printf(
		    "usage: seccloud policy [options]\n\ncheck a policy file, look up an address.\n"
		    "Not built yet (issue 5).\n");
		return 0;
	}
	return cmd_not_built("policy", "issue 5");
}
