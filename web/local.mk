# web/ — the web view and JSON API, accounts and sessions (issue 6).
noinst_LIBRARIES += web/libweb.a
web_libweb_a_SOURCES = \
	web/web.h web/web_int.h \
	web/cmd_web.c \
	web/cmd_user.c \
	web/names.c \
	web/server.c \
	web/conn.c \
	web/pwworker.c \
	web/html.c \
	web/i18n.c \
	web/auth.c \
	web/api.c \
	web/page_inbox.c \
	web/page_alert.c \
	web/page_admin.c \
	web/page_report.c \
	web/report.c \
	web/page_dashboard.c
nodist_web_libweb_a_SOURCES = web/static_data.c

# Static assets are embedded into the binary (no share dir, no CDN).
WEB_STATIC = $(top_srcdir)/web/static/app.css $(top_srcdir)/web/static/app.js
EXTRA_DIST += web/embed.sh web/static/app.css web/static/app.js
BUILT_SOURCES += web/static_data.c
CLEANFILES += web/static_data.c
web/static_data.c: $(WEB_STATIC) $(top_srcdir)/web/embed.sh
	@mkdir -p web
	$(AM_V_GEN)$(SHELL) $(top_srcdir)/web/embed.sh $(WEB_STATIC) > $@.tmp \
	    && mv $@.tmp $@

# Tests: the fixture tool, unit tests, HTTP-level and browser tests.
check_PROGRAMS += tests/integration/web_seed
EXTRA_DIST += tests/integration/web_lib.sh tests/integration/web_policy.conf
TESTS += tests/integration/web_headers.sh tests/integration/web_limits.sh \
	tests/integration/web_auth.sh tests/integration/web_isolation.sh \
	tests/integration/web_triage.sh tests/integration/web_xss.sh \
	tests/integration/web_tls.sh tests/integration/web_reports.sh \
	tests/integration/web_slow.sh tests/integration/web_login_async.sh \
	tests/browser/run.sh

check_PROGRAMS += tests/unit/test_web tests/unit/test_store_web_search
TESTS += tests/unit/test_web tests/unit/test_store_web_search

FUZZ_PROGS += tests/fuzz/fuzz_web_escape
tests_fuzz_fuzz_web_escape_SOURCES = tests/fuzz/fuzz_web_escape.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_web_escape_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
EXTRA_DIST += tests/fuzz/corpus/web_escape/script tests/fuzz/corpus/web_escape/mixed

# Benchmark (make bench; bench/web/run.sh)
BENCH_PROGS += bench/web/bench_web_seed
bench_web_bench_web_seed_SOURCES = bench/web/bench_web_seed.c
EXTRA_DIST += bench/web/run.sh

FUZZ_PROGS += tests/fuzz/fuzz_web_request
tests_fuzz_fuzz_web_request_SOURCES = tests/fuzz/fuzz_web_request.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_web_request_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
EXTRA_DIST += tests/fuzz/corpus/web_request/full \
	tests/fuzz/corpus/web_request/user tests/fuzz/corpus/web_request/static
EXTRA_DIST += bench/web/README.md
