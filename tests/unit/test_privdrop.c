/*
 * test_privdrop.c — after privdrop() every uid and gid is the target's, the
 * supplementary groups are gone, root cannot be regained, and
 * NO_NEW_PRIVS is set.  Each case runs in a child process; as a non-root
 * user the drop cases are skipped (there is nothing to drop).
 */
#include "config.h"

#include <sys/prctl.h>
#include <sys/wait.h>

#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/privdrop.h"
#include "tests/tap.h"

/* Run fn in a child; return its exit status. */
static int
in_child(int (*fn)(void))
{
	pid_t pid = fork();
	int status;

	if (pid == 0)
		_exit(fn());
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int
drop_nobody(void)
{
	char err[256];
	int dropped;
	struct passwd *pw = getpwnam("nobody");

	if (privdrop("nobody", &dropped, err, sizeof(err)) == -1) {
		printf("# %s\n", err);
		return 1;
	}
	if (!dropped || getuid() != pw->pw_uid || geteuid() != pw->pw_uid ||
	    getgid() != pw->pw_gid)
		return 2;
	if (setuid(0) == 0 || seteuid(0) == 0)
		return 3;
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		return 4;
	if (privdrop_verify(err, sizeof(err)) != 0)
		return 5;
	return 0;
}

static int
drop_missing(void)
{
	char err[256];
	int dropped;

	if (privdrop("no-such-user-seccloud", &dropped, err, sizeof(err)) == 0)
		return 1;
	return strstr(err, "no-such-user-seccloud") != NULL && getuid() == 0 ?
	    0 :
	    2;
}

static int
drop_root(void)
{
	char err[256];
	int dropped;

	return privdrop("root", &dropped, err, sizeof(err)) == -1 &&
		strstr(err, "uid or gid 0") != NULL ?
	    0 :
	    1;
}

static int
verify_root(void)
{
	char err[256];

	return privdrop_verify(err, sizeof(err)) == -1 ? 0 : 1;
}

static int
unprivileged(void)
{
	char err[256];
	int dropped = 1;

	return privdrop("nobody", &dropped, err, sizeof(err)) == 0 &&
		dropped == 0 && prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ?
	    0 :
	    1;
}

int
main(void)
{
	if (geteuid() != 0) {
		is_int(in_child(unprivileged), 0,
		    "as non-root: nothing dropped, NO_NEW_PRIVS still set");
		printf("ok 2 # SKIP drop tests need root\n");
		tap_count++;
		return done_testing();
	}
	is_int(in_child(drop_nobody), 0, "drop to nobody takes, and holds");
	is_int(in_child(drop_missing), 0,
	    "an unknown user is an error, "
	    "and nothing was dropped");
	is_int(in_child(drop_root), 0, "dropping to a uid-0 user is refused");
	is_int(in_child(verify_root), 0, "verify fails while still root");
	return done_testing();
}
