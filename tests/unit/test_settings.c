/*
 * test_settings.c — seccloud.conf's top level: values, relative paths,
 * rule globs, role blocks, defaults, and refusal of a file with errors.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/conf.h"
#include "common/settings.h"
#include "common/timeutil.h"
#include "tests/tap.h"

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	fputs(text, fp);
	fclose(fp);
}

int
main(void)
{
	char dir[] = "/tmp/test_settings.XXXXXX", path[128], want[256];
	struct settings *s;

	ok(mkdtemp(dir) != NULL, "temp dir");
	snprintf(path, sizeof(path), "%s/a.rules", dir);
	write_file(path, "# rules\n");
	snprintf(path, sizeof(path), "%s/b.rules", dir);
	write_file(path, "# rules\n");
	snprintf(path, sizeof(path), "%s/seccloud.conf", dir);
	write_file(path,
	    "datadir \"var\"\nuser _sc\ntimezone UTC\n"
	    "policy \"p/policy.conf\"\nrules \"*.rules\"\n"
	    "var HOME_NET \"[10.0.0.0/8]\"\nlog-level debug\n"
	    "collector { listen udp 127.0.0.1:5514 }\n"
	    "web { listen 127.0.0.1:8080 }\nsensor edge { interface eth0 }\n");
	s = settings_load(path);
	ok(s != NULL, "a good file loads");
	if (s != NULL) {
		snprintf(want, sizeof(want), "%s/var", dir);
		is_str(s->datadir, want, "datadir relative to the file");
		is_str(s->user, "_sc", "user");
		is_int(s->tzoff, 0, "timezone UTC");
		snprintf(want, sizeof(want), "%s/p/policy.conf", dir);
		is_str(s->policy, want, "policy path");
		is_int(s->nrules, 2, "rule glob expanded to two files");
		is_str(settings_var(s, "HOME_NET"), "[10.0.0.0/8]", "var");
		ok(settings_var(s, "NOPE") == NULL, "unknown var is NULL");
		ok(s->collector &&
			strcmp(s->collector->child->name, "listen") == 0,
		    "collector block kept for the collector");
		ok(s->web != NULL && s->sensors != NULL &&
			strcmp(s->sensors->args[0], "edge") == 0,
		    "web and sensor");
	}
	settings_free(s);

	write_file(path,
	    "datadir a\ndatadir b\ntimezone Mars/Olympus\n"
	    "bogus 1\nvar X 1\nvar X 2\n");
	ok(settings_load(path) == NULL, "a file with errors is refused");

	s = settings_load(NULL);
	ok(s != NULL && s->path == NULL && s->tzoff == TIME_JST_OFFSET &&
		strcmp(s->user, "_seccloud") == 0,
	    "embedded defaults, JST");
	ok(s != NULL && strstr(s->policy, "policies/example/") != NULL,
	    "default policy is the example");
	settings_free(s);
	ok(settings_load("/nonexistent/x.conf") == NULL, "missing file");
	snprintf(want, sizeof(want), "rm -rf %s", dir);
	ok(system(want) == 0, "cleanup");
	return done_testing();
}
