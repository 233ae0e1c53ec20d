/*
 * cmd_user.c — `seccloud user`: manage web accounts (add, passwd, disable, list).
 * Not built yet: see issue 6.
 */
#include "config.h"

#include <stdio.h>

#include "seccloud.h"

int
cmd_user(int argc, char **argv)
{
	if (cmd_wants_help(argc, argv)) {
		printf(
		    "usage: seccloud user [options]\n\nmanage web accounts (add, passwd, disable, list).\n"
		    "Not built yet (issue 6).\n");
		return 0;
	}
	return cmd_not_built("user", "issue 6");
}
