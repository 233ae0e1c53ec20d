/*
 * privdrop.c — drop root after opening what needs root (OpenBSD privsep.c,
 * Suricata util-privs.c).  See privdrop.h.
 */
#include "config.h"

#include <sys/prctl.h>
#include <sys/types.h>

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "common/privdrop.h"

int
privdrop_verify(char *errbuf, size_t errlen)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;
	char eb[128];

	if (getresuid(&ru, &eu, &su) == -1 || getresgid(&rg, &eg, &sg) == -1) {
		snprintf(errbuf, errlen, "getresuid: %s",
		    sc_strerror(errno, eb, sizeof(eb)));
		return -1;
	}
	if (ru == 0 || eu == 0 || su == 0) {
		snprintf(errbuf, errlen, "a user id is still 0 (%d/%d/%d)",
		    (int)ru, (int)eu, (int)su);
		return -1;
	}
	if (rg == 0 || eg == 0 || sg == 0) {
		snprintf(errbuf, errlen, "a group id is still 0 (%d/%d/%d)",
		    (int)rg, (int)eg, (int)sg);
		return -1;
	}
	if (setuid(0) == 0 || seteuid(0) == 0) {
		snprintf(errbuf, errlen, "could regain root after the drop");
		return -1;
	}
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1) {
		snprintf(errbuf, errlen, "PR_SET_NO_NEW_PRIVS is not set");
		return -1;
	}
	return 0;
}

int
privdrop(const char *user, int *dropped, char *errbuf, size_t errlen)
{
	struct passwd *pw;
	gid_t groups[2];
	char eb[128];
	int n;

	*dropped = 0;
	if (geteuid() != 0) {
		/* Nothing to give up; still refuse new privileges. */
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
			snprintf(errbuf, errlen, "PR_SET_NO_NEW_PRIVS: %s",
			    sc_strerror(errno, eb, sizeof(eb)));
			return -1;
		}
		return 0;
	}
	errno = 0;
	if ((pw = getpwnam(user)) == NULL) {
		snprintf(errbuf, errlen, "user %s: %s", user,
		    errno ? sc_strerror(errno, eb, sizeof(eb)) :
			    "no such user");
		return -1;
	}
	if (pw->pw_uid == 0 || pw->pw_gid == 0) {
		snprintf(errbuf, errlen, "user %s has uid or gid 0", user);
		return -1;
	}
	if (setgroups(1, &pw->pw_gid) == -1 ||
	    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) == -1 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1) {
		snprintf(errbuf, errlen, "dropping to %s: %s", user,
		    sc_strerror(errno, eb, sizeof(eb)));
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		snprintf(errbuf, errlen, "PR_SET_NO_NEW_PRIVS: %s",
		    sc_strerror(errno, eb, sizeof(eb)));
		return -1;
	}
	n = getgroups(2, groups);
	if (n != 1 || groups[0] != pw->pw_gid) {
		snprintf(errbuf, errlen,
		    "supplementary groups not reduced "
		    "(%d)",
		    n);
		return -1;
	}
	if (privdrop_verify(errbuf, errlen) == -1)
		return -1;
	*dropped = 1;
	return 0;
}
