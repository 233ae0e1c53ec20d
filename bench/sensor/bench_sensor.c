/*
 * bench_sensor.c — throughput of the sensor over a capture file, against a
 * bare libpcap read of the same file.  One mode per process so that peak
 * RSS is the mode's own:
 *
 *   bench_sensor bare FILE          pcap_next_ex() loop only
 *   bench_sensor decode FILE        decode, flows, reassembly, app layer
 *   bench_sensor full FILE RULES    ... and detection with the rule set
 *   bench_sensor -w N decode|full ...  with N worker threads (default 1)
 *
 * Prints one line: mode, seconds, packets, bytes, Gbit/s, kpps, flows,
 * flows/s, alerts, peak RSS.  A report, never a timed assertion (run.sh).
 *
 * Rates are per CPU second of the process (the machine is shared, so wall
 * time mostly measures the neighbours).  With workers, the line adds the
 * busiest thread's CPU time and a two-core rate: the bytes over
 * max(all CPU / 2, busiest thread), i.e. the time the run would take on
 * two cores of its own if the threads overlapped perfectly; wall time is
 * shown to check it against.
 */
#include "config.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <dirent.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
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

#define TASKS_MAX 64

struct tasks {
	long tid[TASKS_MAX];
	double cpu[TASKS_MAX];
	int n;
};

/* CPU seconds of every thread of this process (/proc/self/task). */
static void
thread_cpu(struct tasks *t)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	long hz = sysconf(_SC_CLK_TCK);

	t->n = 0;
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL && t->n < TASKS_MAX) {
		char path[300], line[1024], *p;
		unsigned long long ut, st;
		FILE *fp;

		if (de->d_name[0] == '.')
			continue;
		snprintf(
		    path, sizeof(path), "/proc/self/task/%s/stat", de->d_name);
		if ((fp = fopen(path, "r")) == NULL)
			continue;
		if (fgets(line, sizeof(line), fp) != NULL &&
		    (p = strrchr(line, ')')) != NULL &&
		    sscanf(p + 2,
			"%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
			&ut, &st) == 2) {
			t->tid[t->n] = strtol(de->d_name, NULL, 10);
			t->cpu[t->n++] = (double)(ut + st) / (double)hz;
		}
		fclose(fp);
	}
	closedir(d);
}

/* The busiest thread's CPU seconds between two snapshots; each thread's
 * (the capture thread first) into per, at most `room` bytes. */
static double
busiest_since(
    const struct tasks *t0, const struct tasks *t1, char *per, size_t room)
{
	double best = 0;
	size_t o = 0;

	per[0] = '\0';
	for (int i = 0; i < t1->n; i++) {
		double c = t1->cpu[i];

		for (int j = 0; j < t0->n; j++)
			if (t0->tid[j] == t1->tid[i])
				c -= t0->cpu[j];
		if (c > best)
			best = c;
		if (o < room) {
			int n = snprintf(
			    per + o, room - o, "%s%.2f", i ? " " : "", c);

			o += n > 0 ? (size_t)n : 0;
		}
	}
	return best;
}

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

static void
report_mt(double wall, double busiest, const char *per, uint64_t pkts,
    uint64_t bytes, uint64_t flows)
{
	double all = cpu() - cpu0, two = all / 2 > busiest ? all / 2 : busiest;

	if (two <= 0)
		two = 1e-6;
	printf("        two cores: busiest thread cpu %6.2f s, %6.2f Gbit/s "
	       "%8.0f kpps %8.0f flows/s (wall rate %6.2f Gbit/s)\n",
	    busiest, (double)bytes * 8 / two / 1e9, (double)pkts / two / 1e3,
	    (double)flows / two, wall > 0 ? (double)bytes * 8 / wall / 1e9 : 0);
	printf("        cpu s per thread (capture first): %s\n", per);
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
	struct tasks ta, tb;
	char per[256];
	int workers = 1;
	char mode[32];

	log_init("bench", LOG_LEVEL_WARN);
	if (argc >= 3 && strcmp(argv[1], "-w") == 0) {
		workers = (int)strtol(argv[2], NULL, 10);
		if (workers < 1)
			workers = 1;
		argc -= 2;
		argv += 2;
	}
	if (argc >= 3 && strcmp(argv[1], "bare") == 0)
		return bare(argv[2]);
	if (argc < 3 || (strcmp(argv[1], "full") == 0 && argc < 4)) {
		fprintf(stderr,
		    "usage: bench_sensor [-w N] bare|decode|full FILE "
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
	cfg.workers = workers;
	s = sensor_new(&cfg, sensor_rules_set(sr));
	thread_cpu(&ta);
	t0 = now();
	cpu0 = cpu();
	if (sensor_read_file(s, argv[2], err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	sensor_flush(s);
	thread_cpu(&tb); /* while the workers still run */
	t0 = now() - t0;
	if (workers > 1)
		snprintf(mode, sizeof(mode), "%.4s/w%d", argv[1], workers);
	else
		snprintf(mode, sizeof(mode), "%s", argv[1]);
	report(mode, t0, sensor_counter(s, "packets"),
	    sensor_counter(s, "bytes"), sensor_counter(s, "flow.new"),
	    sensor_alert_count(s));
	if (workers > 1)
		report_mt(t0, busiest_since(&ta, &tb, per, sizeof(per)), per,
		    sensor_counter(s, "packets"), sensor_counter(s, "bytes"),
		    sensor_counter(s, "flow.new"));
	sensor_free(s);
	sensor_rules_free(sr);
	return 0;
}
