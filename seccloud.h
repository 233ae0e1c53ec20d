/*
 * seccloud.h — the subcommands of the one binary.  Each role's entry point
 * lives in its folder (collector/cmd_collector.c, ...); seccloud.c
 * dispatches to them from one table.  An entry point gets argv with argv[0]
 * set to the subcommand name and returns the process exit status:
 * 0 success, 1 failure, 2 usage error or not built yet.
 */
#ifndef SC_SECCLOUD_H
#define SC_SECCLOUD_H

int cmd_collector(int, char **);
int cmd_sensor(int, char **);
int cmd_web(int, char **);
int cmd_rules(int, char **);
int cmd_policy(int, char **);
int cmd_report(int, char **);
int cmd_archive(int, char **);
int cmd_user(int, char **);
int cmd_run(int, char **);

/* For a role that is not built yet: says so on stderr, returns 2. */
int cmd_not_built(const char *name, const char *issue);
/* True if argv holds -h or --help (before any "--"). */
int cmd_wants_help(int argc, char **argv);

#endif
