/*
 * tap.h — a tiny TAP producer for the C unit tests (automake's TAP driver
 * reads it).  One ok line per check; done_testing() prints the plan and
 * returns the exit status.  A failed check prints where and why.
 *
 *   ok(cond, "name %d", i);
 *   is_int(got, want, "name");
 *   is_str(got, want, "name");
 *   return done_testing();
 */
#ifndef SC_TAP_H
#define SC_TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_count;
static int tap_failures;

__attribute__((unused, format(printf, 4, 5))) static int
tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	printf("%s %d - ", pass ? "ok" : "not ok", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!pass) {
		tap_failures++;
		printf("#   failed at %s:%d\n", file, line);
	}
	fflush(stdout);
	return pass;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define is_int(got, want, ...)                                           \
	do {                                                             \
		long long g_ = (long long)(got), w_ = (long long)(want); \
		if (!tap_ok(g_ == w_, __FILE__, __LINE__, __VA_ARGS__))  \
			printf("#   got %lld, want %lld\n", g_, w_);     \
	} while (0)

#define is_str(got, want, ...)                                         \
	do {                                                           \
		const char *g_ = (got), *w_ = (want);                  \
		int p_ = (g_ == NULL && w_ == NULL) ||                 \
		    (g_ != NULL && w_ != NULL && strcmp(g_, w_) == 0); \
		if (!tap_ok(p_, __FILE__, __LINE__, __VA_ARGS__))      \
			printf("#   got \"%s\", want \"%s\"\n",        \
			    g_ ? g_ : "(null)", w_ ? w_ : "(null)");   \
	} while (0)

__attribute__((unused)) static void
diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

__attribute__((unused)) static int
done_testing(void)
{
	printf("1..%d\n", tap_count);
	return tap_failures == 0 ? 0 : 1;
}

#endif
