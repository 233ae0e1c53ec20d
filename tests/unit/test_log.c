/*
 * test_log.c — the diagnostics: the line format, one line per message
 * whatever the message holds (line breaks and control bytes scrubbed),
 * truncation at LOG_LINE_MAX, log levels, errno text, and the rate limit
 * on the monotonic clock.  stderr is redirected to a file and read back.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "common/timeutil.h"
#include "tests/tap.h"

static char path[] = "/tmp/test_log.XXXXXX";
static int capfd = -1, saved_stderr = -1;

/* Everything written to stderr since the last call. */
static char *
captured(size_t *lenp)
{
	static char out[4 * LOG_LINE_MAX];
	ssize_t n;
	size_t len = 0;

	lseek(capfd, 0, SEEK_SET);
	while (len < sizeof(out) - 1 &&
	    (n = read(capfd, out + len, sizeof(out) - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	if (ftruncate(capfd, 0) == -1)
		abort();
	lseek(capfd, 0, SEEK_SET);
	if (lenp != NULL)
		*lenp = len;
	return out;
}

static int
count_char(const char *s, size_t len, char c)
{
	int n = 0;

	for (size_t i = 0; i < len; i++)
		n += s[i] == c;
	return n;
}

int
main(void)
{
	char big[3 * LOG_LINE_MAX], ebuf[128], want[256];
	struct ratelim rl = RATELIM_INIT(3600);
	const char *out, *m;
	uint64_t supp = 99;
	int64_t before;
	size_t len;
	int bad;

	if ((capfd = mkstemp(path)) == -1)
		return 1;
	unlink(path);
	saved_stderr = dup(STDERR_FILENO);
	if (dup2(capfd, STDERR_FILENO) == -1)
		return 1;

	log_init("unit", LOG_LEVEL_INFO);
	log_warnx("tcp %s: frame over %d bytes, dropped", "192.0.2.1", 65536);
	out = captured(&len);
	/* 2026-11-22T14:41:28.123456Z seccloud[unit] warning: ... */
	ok(len > 30 && out[4] == '-' && out[10] == 'T' &&
		strstr(out,
		    "Z seccloud[unit] warning: tcp 192.0.2.1: frame over "
		    "65536 bytes, dropped\n") != NULL &&
		count_char(out, len, '\n') == 1 && out[len - 1] == '\n',
	    "line format: time, role, level, message, one newline");

	errno = ENOENT;
	log_warn("open %s", "/x");
	out = captured(&len);
	snprintf(want, sizeof(want), "warning: open /x: %s\n",
	    sc_strerror(ENOENT, ebuf, sizeof(ebuf)));
	ok(strstr(out, want) != NULL, "log_warn appends the errno text");
	ok(strstr(want, "No such file") != NULL, "sc_strerror of ENOENT: %s",
	    sc_strerror(ENOENT, ebuf, sizeof(ebuf)));
	ok(errno == ENOENT, "errno is kept across a log call");
	m = sc_strerror(123456, ebuf, sizeof(ebuf));
	ok(m != NULL && *m != '\0', "sc_strerror of an unknown errno: %s", m);

	log_warnx("peer said \"%s\"",
	    "a\nb\rc\033[31md\x7f"
	    "e\tf");
	out = captured(&len);
	ok(count_char(out, len, '\n') == 1 &&
		strstr(out, "peer said \"a b c?[31md?e\tf\"\n") != NULL,
	    "line breaks become spaces, control bytes '?', one line");

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	log_warnx("long %s", big);
	out = captured(&len);
	ok(len == LOG_LINE_MAX - 1,
	    "a long message is cut to the line limit "
	    "(%zu bytes)",
	    len);
	ok(len >= 4 && memcmp(out + len - 4, "...\n", 4) == 0 &&
		count_char(out, len, '\n') == 1,
	    "and ends in \"...\" and one newline");

	log_info("shown at info");
	log_debug("hidden at info");
	out = captured(&len);
	ok(strstr(out, "info: shown at info\n") != NULL &&
		strstr(out, "hidden") == NULL,
	    "info shown, debug hidden at LOG_LEVEL_INFO");
	log_setlevel(LOG_LEVEL_DEBUG);
	is_int(log_getlevel(), LOG_LEVEL_DEBUG, "log_setlevel");
	log_debug("now %d", 2);
	out = captured(&len);
	ok(strstr(out, "debug: now 2\n") != NULL, "debug shown at DEBUG");
	log_setlevel(LOG_LEVEL_WARN);
	log_info("quiet");
	log_warnx("loud");
	out = captured(&len);
	ok(strstr(out, "quiet") == NULL && strstr(out, "warning: loud") != NULL,
	    "at WARN, info is hidden and warnings shown");

	/* The rate limit: one pass per interval, the refusals counted. */
	before = time_mono_us();
	ok(ratelim_ok(&rl, &supp) == 1 && supp == 0, "first call passes");
	ok(rl.last >= before && rl.last <= time_mono_us(),
	    "the time kept is CLOCK_MONOTONIC");
	bad = 0;
	for (int i = 0; i < 5; i++)
		bad += ratelim_ok(&rl, &supp) != 0;
	is_int(bad, 0, "five calls within the interval are refused");
	is_int(rl.suppressed, 5, "and counted");
	rl.last -= 3600 * TIME_US_PER_SEC; /* the interval has passed */
	ok(ratelim_ok(&rl, &supp) == 1 && supp == 5,
	    "after the interval one passes and reports 5 suppressed");
	ok(ratelim_ok(&rl, NULL) == 0 && rl.suppressed == 1,
	    "the next is refused again");
	rl.last -= 3599 * TIME_US_PER_SEC;
	ok(ratelim_ok(&rl, NULL) == 0,
	    "refused one second before the interval ends");
	{
		struct ratelim z = RATELIM_INIT(0);

		ok(ratelim_ok(&z, NULL) && ratelim_ok(&z, NULL),
		    "interval 0 never limits");
	}

	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	close(capfd);
	return done_testing();
}
