/*
 * log.c — diagnostics to stderr, one write(2) per line.  See log.h.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "common/timeutil.h"

static const char *log_role = "seccloud";
static int log_level = LOG_LEVEL_INFO;

void
log_init(const char *role, int level)
{
	log_role = role;
	log_level = level;
}

void
log_setlevel(int level)
{
	log_level = level;
}

int
log_getlevel(void)
{
	return log_level;
}

static void log_vemit(const char *, int, int, const char *, va_list)
    __attribute__((format(printf, 4, 0)));

static void
log_vemit(const char *lvl, int with_errno, int saved_errno, const char *fmt,
    va_list ap)
{
	char line[LOG_LINE_MAX], stamp[40], ebuf[128];
	size_t off;
	int n, cut = 0;

	time_fmt_rfc3339(time_now_us(), stamp, sizeof(stamp));
	n = snprintf(
	    line, sizeof(line), "%s seccloud[%s] %s: ", stamp, log_role, lvl);
	off = n > 0 ? (size_t)n : 0;
	if (off < sizeof(line)) {
		n = vsnprintf(line + off, sizeof(line) - off, fmt, ap);
		if (n > 0)
			off += (size_t)n;
	}
	if (with_errno && off < sizeof(line)) {
		n = snprintf(line + off, sizeof(line) - off, ": %s",
		    sc_strerror(saved_errno, ebuf, sizeof(ebuf)));
		if (n > 0)
			off += (size_t)n;
	}
	if (off > sizeof(line) - 2) {
		off = sizeof(line) - 2;
		cut = 1;
	}
	/* A message may quote peer bytes: keep the line one line, and keep
	 * terminal control sequences out of the operator's console. */
	for (size_t i = 0; i < off; i++) {
		unsigned char c = (unsigned char)line[i];

		if (c == '\n' || c == '\r')
			line[i] = ' ';
		else if ((c < 0x20 && c != '\t') || c == 0x7f)
			line[i] = '?';
	}
	if (cut)
		memcpy(line + off - 3, "...", 3);
	line[off++] = '\n';
	(void)!write(STDERR_FILENO, line, off);
}

#define LOG_BODY(lvl, with_errno)                           \
	do {                                                \
		int saved = errno;                          \
		va_list ap;                                 \
		va_start(ap, fmt);                          \
		log_vemit(lvl, with_errno, saved, fmt, ap); \
		va_end(ap);                                 \
		errno = saved;                              \
	} while (0)

void
log_warn(const char *fmt, ...)
{
	LOG_BODY("warning", 1);
}

void
log_warnx(const char *fmt, ...)
{
	LOG_BODY("warning", 0);
}

void
log_info(const char *fmt, ...)
{
	if (log_level >= LOG_LEVEL_INFO)
		LOG_BODY("info", 0);
}

void
log_debug(const char *fmt, ...)
{
	if (log_level >= LOG_LEVEL_DEBUG)
		LOG_BODY("debug", 0);
}

void
fatal(const char *fmt, ...)
{
	LOG_BODY("fatal", 1);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	LOG_BODY("fatal", 0);
	exit(1);
}

int
ratelim_ok(struct ratelim *rl, uint64_t *suppressed)
{
	int64_t now = time_mono_us();

	if (rl->last != 0 &&
	    now - rl->last < (int64_t)rl->interval * TIME_US_PER_SEC) {
		rl->suppressed++;
		return 0;
	}
	rl->last = now != 0 ? now : 1;
	if (suppressed != NULL)
		*suppressed = rl->suppressed;
	rl->suppressed = 0;
	return 1;
}

const char *
sc_strerror(int errnum, char *buf, size_t len)
{
#ifdef STRERROR_R_CHAR_P
	return strerror_r(errnum, buf, len); /* GNU: may return a static */
#else
	if (strerror_r(errnum, buf, len) != 0)
		snprintf(buf, len, "error %d", errnum);
	return buf;
#endif
}
