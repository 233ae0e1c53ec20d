/*
 * capture.h — capture statistics that survive the 32-bit wrap of
 * pcap_stats() (internal to sensor/, exposed for the unit test).
 */
#ifndef SC_SENSOR_CAPTURE_H
#define SC_SENSOR_CAPTURE_H

#include <stdint.h>

struct sensor;

struct capture_stats {
	uint64_t recv, drop, ifdrop; /* totals */
	uint32_t last_recv, last_drop, last_ifdrop; /* last raw readings */
	int primed;
};

void capture_stats_update(
    struct capture_stats *, uint32_t recv, uint32_t drop, uint32_t ifdrop);
/* 0 and the totals of the live capture, -1 if none is open. */
int sensor_capture_stats(const struct sensor *, struct capture_stats *);
void capture_close(struct sensor *);
void sensor_pump_outputs(struct sensor *);

/* Capture files opened up front (before the privilege drop), read later
 * in order; reading closes each. */
struct capture_files;
struct capture_files *capture_files_open(
    const char *const *paths, size_t n, char *err, size_t errlen);
int capture_files_read(
    struct sensor *, struct capture_files *, char *err, size_t errlen);
void capture_files_free(struct capture_files *);

#endif
