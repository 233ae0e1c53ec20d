/*
 * cmd_archive.c — `seccloud archive`: verify, search and prune the sealed archive.
 * Not built yet: see issue 7.
 */
#include "config.h"

#include <stdio.h>

#include "seccloud.h"

int
cmd_archive(int argc, char **argv)
{
	if (cmd_wants_help(argc, argv)) {
		printf(
		    "usage: seccloud archive [options]\n\nverify, search and prune the sealed archive.\n"
		    "Not built yet (issue 7).\n");
		return 0;
	}
	return cmd_not_built("archive", "issue 7");
}
