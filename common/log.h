/*
 * log.h — the process's own diagnostics.
 *
 * Lines go to stderr (journald or the supervising `seccloud run` collects
 * them) as "seccloud[role] level: message".  They never go to syslog(3): a
 * local syslogd may forward to our own collector, and our diagnostics must
 * never re-enter the pipeline as if a municipality had sent them.
 * Messages are lowercase, subject first:
 *   log_warnx("tcp %s: frame over %zu bytes, dropped", peer, max);
 * Every function is thread-safe: one write(2) per line.
 */
#ifndef SC_LOG_H
#define SC_LOG_H

#include <stdarg.h>
#include <stdint.h>
#include <time.h>

#define LOG_LEVEL_WARN 0
#define LOG_LEVEL_INFO 1
#define LOG_LEVEL_DEBUG 2

/* Set the role shown in each line ("collector", "web", ...) and verbosity. */
void log_init(const char *role, int level);
void log_setlevel(int level);
int log_getlevel(void);

/* log_warn appends ": strerror(errno)"; log_warnx does not.  A line is
 * at most LOG_LINE_MAX bytes with its newline; a longer message is cut and
 * ends in "...".  Line breaks in a message become spaces and other control
 * bytes '?', so a message quoting peer bytes stays one line. */
#define LOG_LINE_MAX 2048
void log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
/* Only for startup, broken invariants, or a broken pipe between our own
 * processes: never for anything a peer sent. Exit status 1. */
void fatal(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));

/*
 * A rate limit for warnings about peers (OpenBSD syslogd's dropped_warn):
 * ratelim_ok() is true at most once per interval; the calls it refused are
 * counted and returned by the next call that passes, so the warning can say
 * "(N similar suppressed)".  Time is CLOCK_MONOTONIC: a step of the wall
 * clock (NTP, an operator's date -s) neither silences nor floods warnings.
 * Not thread-safe: keep one per thread or lock.
 */
struct ratelim {
	time_t interval; /* seconds */
	int64_t last; /* CLOCK_MONOTONIC us of the last pass; 0: never */
	uint64_t suppressed;
};
#define RATELIM_INIT(secs)   \
	{                    \
		(secs), 0, 0 \
	}
int ratelim_ok(struct ratelim *, uint64_t *suppressed);

/* strerror(3) that is safe in threads: the text, in BUF or a static string. */
const char *sc_strerror(int errnum, char *buf, size_t len);

#endif
