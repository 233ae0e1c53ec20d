# collector/ — listeners, parsing, tagging, pipeline, store, archive (issue 7).
noinst_LIBRARIES += collector/libcollector.a
collector_libcollector_a_SOURCES = \
	collector/collector.h \
	collector/cmd_collector.c \
	collector/cmd_archive.c \
	collector/parse.c collector/parse_rfc5424.c collector/parse_rfc3164.c \
	collector/store.c collector/store.h collector/store_int.h \
	collector/store_schema.c

check_PROGRAMS += tests/unit/test_store tests/unit/test_parse
TESTS += tests/unit/test_store tests/unit/test_parse
