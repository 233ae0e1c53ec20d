/*
 * sensor_rules.h — loading the rule files the sensor matches with, and
 * the privilege drop after the capture is open.  A thin layer over
 * rules/rules.h and common/privdrop.h, so cmd_sensor.c stays small.
 */
#ifndef SC_SENSOR_RULES_H
#define SC_SENSOR_RULES_H

#include <stddef.h>

#include "sensor/sensor.h"

struct conf;
struct conf_node;
struct ruleset;
struct settings;
struct sensor_rules;

/* Load and compile the files with the variables of the settings (NULL:
 * Suricata's defaults for $HOME_NET ...).  NULL with a reason in err. */
struct sensor_rules *sensor_rules_load(const char *const *files, size_t n,
    const struct settings *, char *err, size_t errlen);
const struct ruleset *sensor_rules_set(const struct sensor_rules *);
void sensor_rules_free(struct sensor_rules *);

/*
 * Drop root to `user` if running as root.  NULL means the default user of
 * seccloud.conf; if that account does not exist and nothing live was
 * opened (reading files only), the run goes on as root with a warning.
 */
int sensor_drop_privileges(
    const char *user, int live, char *err, size_t errlen);

/* Apply a `sensor NAME { }` block of seccloud.conf to cfg (which keeps
 * pointers into the conf tree).  0, or -1 with the errors added to c. */
int sensor_conf_apply(
    struct conf *c, const struct conf_node *block, struct sensor_config *);

#endif
