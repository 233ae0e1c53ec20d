/*
 * detect.c — the firing model over the rules API (waiting for rules.h).
 */
#include "config.h"

#include <stdlib.h>

#include "sensor/sensor_int.h"

struct detect {
	struct sensor *s;
};

struct detect *
detect_new(const struct ruleset *rs, struct sensor *s)
{
	return NULL;
}

void
detect_free(struct detect *d)
{
	free(d);
}

void
detect_flow_end(struct detect *d, struct flow *f)
{
}

void
detect_stream(struct detect *d, struct sc_pkt *p, const uint8_t *data,
    size_t len, int gap)
{
}

void
detect_tx(struct detect *d, struct sc_pkt *p, const struct app_tx *tx)
{
}

void
detect_packet(struct detect *d, struct sc_pkt *p)
{
}
