/*
 * sensor_rules.c — the rule set the sensor matches with (a packet-domain
 * ruleset from rules/rules.h with Suricata's default variables) and the
 * privilege drop after the capture is open (common/privdrop.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "common/privdrop.h"
#include "common/settings.h"
#include "rules/rules.h"
#include "sensor/sensor_rules.h"

struct sensor_rules {
	struct ruleset *rs;
};

struct sensor_rules *
sensor_rules_load(const char *const *files, size_t n,
    const struct settings *set, char *err, size_t errlen)
{
	struct ruleset_opts o = { 0 };
	struct ruleset_stats st;
	struct sensor_rules *sr;
	struct rule_var *vars = NULL;

	o.flags = RULESET_PACKET | RULESET_NO_CACHE;
	if (set != NULL && set->nvars > 0 &&
	    (vars = calloc(set->nvars, sizeof(*vars))) != NULL) {
		for (size_t i = 0; i < set->nvars; i++) {
			vars[i].name = set->vars[i].name;
			vars[i].value = set->vars[i].value;
		}
		o.vars = vars;
		o.nvars = set->nvars;
	}
	sr = calloc(1, sizeof(*sr));
	if (sr == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	sr->rs = ruleset_load(files, n, &o, &st);
	free(vars);
	if (sr->rs == NULL) {
		snprintf(err, errlen, "no usable rule set (%zu rejected)",
		    st.rejected);
		free(sr);
		return NULL;
	}
	return sr;
}

const struct ruleset *
sensor_rules_set(const struct sensor_rules *sr)
{
	return sr != NULL ? sr->rs : NULL;
}

void
sensor_rules_free(struct sensor_rules *sr)
{
	if (sr == NULL)
		return;
	ruleset_unref(sr->rs);
	free(sr);
}

int
sensor_drop_privileges(const char *user, int live, char *err, size_t errlen)
{
	int dropped = 0;
	struct settings *st;
	char *def = NULL;
	int rc;

	if (geteuid() != 0)
		return 0;
	if (user == NULL) {
		if ((st = settings_load(NULL)) != NULL && st->user != NULL)
			def = strdup(st->user);
		settings_free(st);
		if (def == NULL) {
			snprintf(err, errlen, "no user to drop privileges to");
			return -1;
		}
		if (getpwnam(def) == NULL && !live) {
			log_warnx("user %s does not exist: reading files as "
				  "root",
			    def);
			free(def);
			return 0;
		}
		user = def;
	}
	rc = privdrop(user, &dropped, err, errlen);
	free(def);
	return rc;
}
