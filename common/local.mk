# common/ — shared by every role.
noinst_LIBRARIES += common/libcommon.a
common_libcommon_a_SOURCES = \
	common/common.h common/sc_limits.h \
	common/log.c common/log.h \
	common/xmalloc.c common/xmalloc.h \
	common/buf.c common/buf.h \
	common/timeutil.c common/timeutil.h \
	common/event.c common/event.h \
	common/addr.c common/addr.h \
	common/conf_parse.y common/conf.c common/conf.h common/conf_int.h \
	common/settings.c common/settings.h \
	common/privdrop.c common/privdrop.h

check_PROGRAMS += tests/unit/test_buf tests/unit/test_timeutil tests/unit/test_addr tests/unit/test_conf \
	tests/unit/test_settings tests/unit/test_privdrop tests/unit/test_log \
	tests/unit/test_xmalloc tests/unit/test_event
TESTS += tests/unit/test_buf tests/unit/test_timeutil tests/unit/test_addr tests/unit/test_conf \
	tests/unit/test_settings tests/unit/test_privdrop tests/unit/test_log \
	tests/unit/test_xmalloc tests/unit/test_event

FUZZ_PROGS += tests/fuzz/fuzz_conf
tests_fuzz_fuzz_conf_SOURCES = tests/fuzz/fuzz_conf.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_conf_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
