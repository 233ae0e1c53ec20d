# collector/ — listeners, parsing, tagging, pipeline, store, archive (issue 7).
noinst_LIBRARIES += collector/libcollector.a
collector_libcollector_a_SOURCES = \
	collector/collector.h collector/collector_int.h \
	collector/cmd_collector.c collector/cmd_archive.c \
	collector/collector_run.c collector/collector_conf.c \
	collector/counters.c \
	collector/parse.c collector/parse_rfc5424.c collector/parse_rfc3164.c \
	collector/frame.c collector/tag.c collector/pipeline.c \
	collector/listen_udp.c collector/listen_stream.c \
	collector/writer.c collector/detect.c collector/sensor_alert.c \
	collector/archive.c collector/archive_read.c collector/archive_verify.c \
	collector/store.c collector/store.h collector/store_int.h \
	collector/store_schema.c collector/store_sources.c

check_PROGRAMS += tests/unit/test_store tests/unit/test_parse tests/unit/test_sensor_alert \
	tests/unit/test_collector_frame tests/unit/test_archive tests/unit/test_archive_index \
	tests/unit/test_collector_tag tests/unit/test_collector_relay \
	tests/unit/test_collector_pipeline
TESTS += tests/unit/test_store tests/unit/test_parse tests/unit/test_sensor_alert \
	tests/unit/test_collector_frame tests/unit/test_archive tests/unit/test_archive_index \
	tests/unit/test_collector_tag tests/unit/test_collector_relay \
	tests/unit/test_collector_pipeline

FUZZ_PROGS += tests/fuzz/fuzz_rfc5424 tests/fuzz/fuzz_rfc3164 \
	tests/fuzz/fuzz_framing tests/fuzz/fuzz_relay_tag
tests_fuzz_fuzz_relay_tag_SOURCES = tests/fuzz/fuzz_relay_tag.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_relay_tag_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
tests_fuzz_fuzz_rfc5424_SOURCES = tests/fuzz/fuzz_rfc5424.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_rfc5424_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
tests_fuzz_fuzz_rfc3164_SOURCES = tests/fuzz/fuzz_rfc3164.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_rfc3164_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
tests_fuzz_fuzz_framing_SOURCES = tests/fuzz/fuzz_framing.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_framing_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)

TESTS += tests/integration/collector_logger.sh \
	tests/integration/collector_malformed.sh \
	tests/integration/collector_kill9.sh \
	tests/integration/collector_tls.sh \
	tests/integration/collector_health.sh \
	tests/integration/collector_conf.sh \
	tests/integration/collector_policy.sh \
	tests/integration/collector_udp_burst.sh \
	tests/integration/collector_tls_stop.sh \
	tests/integration/collector_relay.sh \
	tests/integration/collector_rules_reload.sh \
	tests/integration/collector_rules_refuse.sh \
	tests/integration/collector_limits.sh \
	tests/integration/collector_reload.sh
EXTRA_DIST += tests/integration/collector_lib.sh

# bench/ingest: the load generator (`make bench`; run bench/ingest/run.sh
# and bench/ingest/lossless.sh)
BENCH_PROGS += bench/ingest/loadgen
bench_ingest_loadgen_SOURCES = bench/ingest/loadgen.c
EXTRA_DIST += bench/ingest/run.sh bench/ingest/peers.sh bench/ingest/lossless.sh

# the web view's queries (issue of web/)
collector_libcollector_a_SOURCES += collector/store_web.c collector/store_web.h

# Reports and the notification log (issue 5): read queries filling the
# report model, and the notifications table's writes.
collector_libcollector_a_SOURCES += collector/store_report.c \
	collector/store_report.h collector/store_notify.c \
	collector/store_notify.h
check_PROGRAMS += tests/unit/test_store_report tests/unit/test_store_notify
TESTS += tests/unit/test_store_report tests/unit/test_store_notify

# bench/ingest: archive_fetch time for one record (index vs scan)
BENCH_PROGS += bench/ingest/bench_fetch
bench_ingest_bench_fetch_SOURCES = bench/ingest/bench_fetch.c

# Notifications from the collector and the archive's evidence in the store
# (issue 5).
collector_libcollector_a_SOURCES += collector/notify_hook.c \
	collector/store_archive.c collector/store_archive.h

# The archive record format (version 0 and 1, the relay origin) and the
# archive's integrity against the store's chain head (issue 7 audit).
collector_libcollector_a_SOURCES += collector/archive_head.c
check_PROGRAMS += tests/unit/test_archive_record
TESTS += tests/unit/test_archive_record tests/integration/archive_integrity.sh
# The store's batched alert writes (groups and alert_days per commit).
check_PROGRAMS += tests/unit/test_store_batch
TESTS += tests/unit/test_store_batch
FUZZ_PROGS += tests/fuzz/fuzz_archive_record
tests_fuzz_fuzz_archive_record_SOURCES = tests/fuzz/fuzz_archive_record.c \
	$(FUZZ_DRIVER)
tests_fuzz_fuzz_archive_record_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
EXTRA_DIST += tests/fuzz/corpus/archive_record
