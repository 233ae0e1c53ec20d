/*
 * cmd_collector.c — `seccloud collector`: receive syslog, parse, tag, match, store and archive.
 * Not built yet: see issue 7.
 */
#include "config.h"

#include <stdio.h>

#include "seccloud.h"

int
cmd_collector(int argc, char **argv)
{
	if (cmd_wants_help(argc, argv)) {
		printf(
		    "usage: seccloud collector [options]\n\nreceive syslog, parse, tag, match, store and archive.\n"
		    "Not built yet (issue 7).\n");
		return 0;
	}
	return cmd_not_built("collector", "issue 7");
}
