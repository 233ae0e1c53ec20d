/*
 * test_xmalloc.c — the xmalloc family: the values it returns, and that
 * running out (or a size that overflows) ends the process with status 1 and
 * a fatal line naming the call, instead of returning NULL.  Each fatal path
 * runs in a forked child whose stderr is read back.
 */
#include "config.h"

#include <sys/wait.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/xmalloc.h"
#include "tests/tap.h"

/* Under ASan a huge malloc must return NULL (as libc's does), not abort. */
const char *__asan_default_options(void);
const char *
__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

enum what { OVERFLOW, REALLOC_HUGE, MALLOC_HUGE, CALLOC_HUGE };

/* Run WHAT in a child; its exit status (or -signal) and its stderr. */
static int
in_child(enum what what, char *err, size_t errlen)
{
	int fds[2], status;
	ssize_t n;
	size_t len = 0;
	pid_t pid;

	if (pipe(fds) == -1)
		return -1000;
	if ((pid = fork()) == -1)
		return -1000;
	if (pid == 0) {
		volatile void *p = NULL;

		close(fds[0]);
		dup2(fds[1], STDERR_FILENO);
		switch (what) {
		case OVERFLOW:
			p = xreallocarray(NULL, SIZE_MAX / 2, 4);
			break;
		case REALLOC_HUGE:
			p = xreallocarray(NULL, SIZE_MAX / 4, 2);
			break;
		case MALLOC_HUGE:
			p = xmalloc(SIZE_MAX - 4096);
			break;
		case CALLOC_HUGE:
			p = xcalloc(SIZE_MAX / 8, 4);
			break;
		}
		(void)p;
		_exit(42); /* returned: the test fails */
	}
	close(fds[1]);
	while (len < errlen - 1 &&
	    (n = read(fds[0], err + len, errlen - 1 - len)) > 0)
		len += (size_t)n;
	err[len] = '\0';
	if (len > 0 && err[len - 1] == '\n')
		err[len - 1] = '\0'; /* one TAP line */
	close(fds[0]);
	if (waitpid(pid, &status, 0) != pid)
		return -1000;
	if (WIFSIGNALED(status))
		return -WTERMSIG(status);
	return WEXITSTATUS(status);
}

int
main(void)
{
	char err[4096], *s, *p;
	int *v;
	int st;

	p = xmalloc(0);
	ok(p != NULL, "xmalloc(0) returns a pointer");
	free(p);
	v = xcalloc(16, sizeof(*v));
	st = 0;
	for (int i = 0; i < 16; i++)
		st |= v[i];
	ok(st == 0, "xcalloc zeroes");
	v = xreallocarray(v, 1024, sizeof(*v));
	v[1023] = 7;
	ok(v[1023] == 7 && v[0] == 0, "xreallocarray grows and keeps");
	free(v);
	s = xstrdup("三重県");
	is_str(s, "三重県", "xstrdup");
	free(s);
	s = xstrndup("abcdef", 3);
	is_str(s, "abc", "xstrndup stops at n");
	free(s);
	is_int(xasprintf(&s, "%s-%d", "a", 42), 4, "xasprintf length");
	is_str(s, "a-42", "xasprintf text");
	free(s);

	st = in_child(OVERFLOW, err, sizeof(err));
	is_int(st, 1, "xreallocarray: n * size overflowing exits 1");
	ok(strstr(err, "fatal: xreallocarray: ") != NULL &&
		strstr(err, " overflows") != NULL && strchr(err, '\n') == NULL,
	    "and says it overflows: %s", err);
	st = in_child(REALLOC_HUGE, err, sizeof(err));
	is_int(st, 1, "xreallocarray: an allocation that fails exits 1");
	ok(strstr(err, "fatal: xreallocarray: ") != NULL &&
		strstr(err, "Cannot allocate memory") != NULL,
	    "with the errno text: %s", err);
	st = in_child(MALLOC_HUGE, err, sizeof(err));
	is_int(st, 1, "xmalloc: failure exits 1");
	ok(strstr(err, "fatal: xmalloc: ") != NULL, "and names xmalloc: %s",
	    err);
	st = in_child(CALLOC_HUGE, err, sizeof(err));
	is_int(st, 1, "xcalloc: failure exits 1");
	ok(strstr(err, "fatal: xcalloc: ") != NULL, "and names xcalloc: %s",
	    err);
	return done_testing();
}
