/*
 * cmd_sensor.c — `seccloud sensor`: capture packets, reassemble, match and report.
 * Not built yet: see issue 4.
 */
#include "config.h"

#include <stdio.h>

#include "seccloud.h"

int
cmd_sensor(int argc, char **argv)
{
	if (cmd_wants_help(argc, argv)) {
		printf(
		    "usage: seccloud sensor [options]\n\ncapture packets, reassemble, match and report.\n"
		    "Not built yet (issue 4).\n");
		return 0;
	}
	return cmd_not_built("sensor", "issue 4");
}
