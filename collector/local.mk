# collector/ — listeners, parsing, tagging, pipeline, store, archive (issue 7).
noinst_LIBRARIES += collector/libcollector.a
collector_libcollector_a_SOURCES = \
	collector/cmd_collector.c \
	collector/cmd_archive.c \
	collector/store.c collector/store.h collector/store_int.h \
	collector/store_schema.c

check_PROGRAMS += tests/unit/test_store
TESTS += tests/unit/test_store

collector_libcollector_a_SOURCES += collector/store_web.c collector/store_web.h
