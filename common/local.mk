# common/ — shared by every role.
noinst_LIBRARIES += common/libcommon.a
common_libcommon_a_SOURCES = \
	common/common.h common/sc_limits.h \
	common/log.c common/log.h \
	common/xmalloc.c common/xmalloc.h \
	common/buf.c common/buf.h \
	common/timeutil.c common/timeutil.h \
	common/event.c common/event.h \
	common/addr.c common/addr.h

check_PROGRAMS += tests/unit/test_buf tests/unit/test_timeutil tests/unit/test_addr
TESTS += tests/unit/test_buf tests/unit/test_timeutil tests/unit/test_addr
