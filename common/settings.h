/*
 * settings.h — the top level of seccloud.conf(5).
 *
 * settings_load() reads the file with the conf grammar and keeps the keys
 * every role shares (data directory, user, time zone, policy, rule files,
 * rule variables).  Each role's own block (collector { }, web { },
 * sensor NAME { }) is kept as a conf node and validated by that role with
 * its own keyword table.  With path NULL, the embedded defaults are used:
 * the appliance then runs from its data directory with the bundled rules
 * and the example policy.
 */
#ifndef SC_SETTINGS_H
#define SC_SETTINGS_H

#include <stddef.h>

struct conf;
struct conf_node;

struct settings_var {
	char *name;
	char *value;
};

struct settings {
	char *path; /* NULL: embedded defaults */
	char *datadir; /* store, archive, caches */
	char *user; /* drop privileges to this user */
	char *policy; /* policy file */
	char **rules; /* rule files (globs expanded) */
	size_t nrules;
	struct settings_var *vars; /* HOME_NET, ... */
	size_t nvars;
	int tzoff; /* zone of year-less stamps */
	int strict_rules; /* a bad rule is fatal */
	int rules_given; /* rules named in the file */
	int log_level; /* LOG_LEVEL_* */
	struct conf *conf; /* the whole tree (owned) */
	const struct conf_node *collector; /* blocks, NULL if absent */
	const struct conf_node *web;
	const struct conf_node *sensors; /* first "sensor" node */
};

/* Where the bundled rules and example policy live: the installed data dir,
 * or the source tree when run from a build directory. */
const char *settings_sharedir(void);

/* NULL path: defaults.  Returns NULL after printing every error. */
struct settings *settings_load(const char *path);
void settings_free(struct settings *);
const char *settings_var(const struct settings *, const char *);

#endif
