/*
 * privdrop.h — give up root once sockets, capture handles and files are open.
 *
 * privdrop() does setgroups(1, gid), setresgid, setresuid to the named user,
 * sets PR_SET_NO_NEW_PRIVS, and then checks that the drop took: every
 * real/effective/saved id is the target, the supplementary group list is
 * just the user's group, and setuid(0) fails.  It returns 0, or -1 with the
 * reason in errbuf; callers treat -1 as fatal at startup.
 * When the process is not root there is nothing to drop: it returns 0 and
 * sets *dropped to 0 (development runs as an ordinary user).
 */
#ifndef SC_PRIVDROP_H
#define SC_PRIVDROP_H

#include <stddef.h>

int privdrop(const char *user, int *dropped, char *errbuf, size_t errlen);
/* The same checks alone, for tests: 0 if no id is 0 and NO_NEW_PRIVS is on. */
int privdrop_verify(char *errbuf, size_t errlen);

#endif
