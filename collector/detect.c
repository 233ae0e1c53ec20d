/*
 * detect.c — the plug point of the rule engine in the collector's pipeline
 * (see detect_batch in collector_int.h).  rules/rules.h is not on main
 * yet: until it lands, no log rule is matched and this file is the only
 * one that changes when it does (ruleset_match_log per event, alerts into
 * store_alert_insert with the event's archive ref as evidence).
 */
#include "config.h"

#include <stdlib.h>

#include "collector/collector_int.h"

struct detect {
	size_t nfiles;
};

struct detect *
detect_new(const char *const *files, size_t n)
{
	struct detect *d = calloc(1, sizeof(*d));

	(void)files;
	if (d != NULL)
		d->nfiles = n;
	return d;
}

void
detect_free(struct detect *d)
{
	free(d);
}

size_t
detect_batch(struct detect *d, struct batch *b, struct store *st)
{
	(void)d;
	(void)b;
	(void)st;
	return 0;
}
