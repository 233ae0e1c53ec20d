/*
 * sensor_test.c — sensor_test_pcap(), the engine behind
 * `seccloud rules test RULES FILE.pcap`: one sensor with default settings
 * over capture files, alerts written as EVE lines to a stream.
 */
#include "config.h"

#include <stdio.h>

#include "sensor/sensor_int.h"

long
sensor_test_pcap(const struct ruleset *rs, const char *const *files,
    size_t nfiles, int midstream, FILE *out, char *err, size_t errlen)
{
	struct sensor_config cfg;
	struct sensor *s;
	long n;
	int rc = 0;

	sensor_config_defaults(&cfg);
	cfg.midstream = midstream;
	cfg.workers = 1; /* lines in packet order */
	if ((s = sensor_new(&cfg, rs)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (out != NULL && (s->eve = eve_from_file(out)) == NULL) {
		sensor_free(s);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < nfiles && rc == 0; i++)
		rc = sensor_read_file(s, files[i], err, errlen);
	sensor_flush(s);
	n = (long)s->ctr[CTR_ALERTS];
	sensor_free(s);
	return rc == 0 ? n : -1;
}
