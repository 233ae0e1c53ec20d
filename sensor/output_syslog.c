/*
 * output_syslog.c — alerts to the collector as RFC 5424 messages over TCP
 * (or TLS), octet-counted (RFC 6587).  The format is documented in
 * sensor.h.  (Transport: see slog_new.)
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sensor/sensor_int.h"

struct slog {
	int dummy;
};

struct slog *
slog_new(
    const struct sensor_config *cfg, uint64_t *ctr, char *err, size_t errlen)
{
	snprintf(err, errlen, "collector output not built yet");
	return NULL;
}

void
slog_free(struct slog *l)
{
	free(l);
}

void
slog_alert(struct slog *l, const struct sensor_alert *a)
{
}

void
slog_pump(struct slog *l)
{
}
