/*
 * bench_sensor.c — throughput of the sensor over a capture file, against a
 * bare libpcap read of the same file.  One mode per process so that peak
 * RSS is the mode's own:
 *
 *   bench_sensor bare FILE          pcap_next_ex() loop only
 *   bench_sensor decode FILE        decode, flows, reassembly, app layer
 *   bench_sensor full FILE RULES    ... and detection with the rule set
 *
 * Prints one line: mode, seconds, packets, bytes, Gbit/s, kpps, flows,
 * flows/s, alerts, peak RSS.  A report, never a timed assertion (run.sh).
 */
#include "config.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "common/log.h"
#include "sensor/sensor.h"
#include "sensor/sensor_rules.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static double cpu0;

/* Rates are per CPU second of this process (the machine is shared, so
 * wall time mostly measures the neighbours); wall time is shown too. */
static void
report(const char *mode, double wall, uint64_t pkts, uint64_t bytes,
    uint64_t flows, uint64_t alerts)
{
	struct rusage ru;
	double secs = cpu() - cpu0;

	if (secs <= 0)
		secs = 1e-6;
	getrusage(RUSAGE_SELF, &ru);
	printf("%-7s cpu %6.2f s (wall %6.2f) %9llu pkts %11llu bytes "
	       "%6.2f Gbit/s %8.0f kpps %7llu flows %8.0f flows/s %6llu "
	       "alerts %5ld MB peak RSS\n",
	    mode, secs, wall, (unsigned long long)pkts,
	    (unsigned long long)bytes, (double)bytes * 8 / secs / 1e9,
	    (double)pkts / secs / 1e3, (unsigned long long)flows,
	    (double)flows / secs, (unsigned long long)alerts,
	    ru.ru_maxrss / 1024);
}

static int
bare(const char *path)
{
	char eb[PCAP_ERRBUF_SIZE];
	pcap_t *pc = pcap_open_offline(path, eb);
	struct pcap_pkthdr *h;
	const u_char *d;
	uint64_t pkts = 0, bytes = 0;
	volatile uint8_t sink = 0;
	double t0;

	if (pc == NULL) {
		fprintf(stderr, "%s\n", eb);
		return 1;
	}
	t0 = now();
	cpu0 = cpu();
	while (pcap_next_ex(pc, &h, &d) == 1) {
		pkts++;
		bytes += h->len;
		sink ^= d[0];
	}
	report("bare", now() - t0, pkts, bytes, 0, 0);
	pcap_close(pc);
	return 0;
}

int
main(int argc, char **argv)
{
	struct sensor_config cfg;
	struct sensor_rules *sr = NULL;
	struct sensor *s;
	char err[256];
	const char *files[1];
	double t0;

	log_init("bench", LOG_LEVEL_WARN);
	if (argc >= 3 && strcmp(argv[1], "bare") == 0)
		return bare(argv[2]);
	if (argc < 3 || (strcmp(argv[1], "full") == 0 && argc < 4)) {
		fprintf(stderr,
		    "usage: bench_sensor bare|decode|full FILE "
		    "[RULES]\n");
		return 2;
	}
	if (strcmp(argv[1], "full") == 0) {
		files[0] = argv[3];
		sr = sensor_rules_load(files, 1, NULL, err, sizeof(err));
		if (sr == NULL) {
			fprintf(stderr, "rules: %s\n", err);
			return 1;
		}
	}
	sensor_config_defaults(&cfg);
	s = sensor_new(&cfg, sensor_rules_set(sr));
	t0 = now();
	cpu0 = cpu();
	if (sensor_read_file(s, argv[2], err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	sensor_flush(s);
	report(argv[1], now() - t0, sensor_counter(s, "packets"),
	    sensor_counter(s, "bytes"), sensor_counter(s, "flow.new"),
	    sensor_alert_count(s));
	sensor_free(s);
	sensor_rules_free(sr);
	return 0;
}
