# policies/ — 団体, tiers, the flow matrix, notifications, reports (issue 5).
noinst_LIBRARIES += policies/libpolicies.a
policies_libpolicies_a_SOURCES = \
	policies/policy.h \
	policies/policy_int.h \
	policies/policy_names.c \
	policies/policy_matrix.c \
	policies/policy.c \
	policies/policy_eval.c \
	policies/policy_load.c \
	policies/policy_alert.c \
	policies/fw_int.h \
	policies/fw_util.c \
	policies/fw_iptables.c \
	policies/fw_fortigate.c \
	policies/fw_asa.c \
	policies/fw_panos.c \
	policies/fw_parse.c \
	policies/notify.c \
	policies/notify_format.c \
	policies/notify_memlog.c \
	policies/report_emit.h \
	policies/report_emit.c \
	policies/report.c policies/report_actions.c \
	policies/report_build.h policies/report_build.c \
	policies/cmd_policy.c \
	policies/cmd_report.c

check_PROGRAMS += tests/unit/test_policy_names tests/unit/test_policy_eval \
	tests/unit/test_policy_load tests/unit/test_policy_fw \
	tests/unit/test_policy_notify tests/unit/test_policy_report
TESTS += tests/unit/test_policy_names tests/unit/test_policy_eval \
	tests/unit/test_policy_load tests/unit/test_policy_fw \
	tests/unit/test_policy_notify tests/unit/test_policy_report

FUZZ_PROGS += tests/fuzz/fuzz_fw_iptables tests/fuzz/fuzz_fw_fortigate \
	tests/fuzz/fuzz_fw_asa tests/fuzz/fuzz_fw_panos tests/fuzz/fuzz_policy
tests_fuzz_fuzz_fw_iptables_SOURCES = tests/fuzz/fuzz_fw_iptables.c \
	tests/fuzz/fuzz_fw.h $(FUZZ_DRIVER)
tests_fuzz_fuzz_fw_iptables_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
tests_fuzz_fuzz_fw_fortigate_SOURCES = tests/fuzz/fuzz_fw_fortigate.c \
	tests/fuzz/fuzz_fw.h $(FUZZ_DRIVER)
tests_fuzz_fuzz_fw_fortigate_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
tests_fuzz_fuzz_fw_asa_SOURCES = tests/fuzz/fuzz_fw_asa.c \
	tests/fuzz/fuzz_fw.h $(FUZZ_DRIVER)
tests_fuzz_fuzz_fw_asa_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
tests_fuzz_fuzz_fw_panos_SOURCES = tests/fuzz/fuzz_fw_panos.c \
	tests/fuzz/fuzz_fw.h $(FUZZ_DRIVER)
tests_fuzz_fuzz_fw_panos_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
tests_fuzz_fuzz_policy_SOURCES = tests/fuzz/fuzz_policy.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_policy_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
EXTRA_DIST += tests/fuzz/corpus/fw_iptables tests/fuzz/corpus/fw_fortigate \
	tests/fuzz/corpus/fw_asa tests/fuzz/corpus/fw_panos \
	tests/fuzz/corpus/policy

TESTS += tests/integration/policy.sh
EXTRA_DIST += tests/integration/policy.sh policies/README.md

# The example policy is installed with its path (sharedir/policies/...).
nobase_dist_pkgdata_DATA = policies/example/policy.conf \
	policies/example/exceptions.conf

# bench/policy: tagging + flow evaluation per event (make bench).
BENCH_PROGS += bench/policy/bench_policy
bench_policy_bench_policy_SOURCES = bench/policy/bench_policy.c

# The notification log in the store (issue 5).
policies_libpolicies_a_SOURCES += policies/notify_store.c
TESTS += tests/integration/report_store.sh
EXTRA_DIST += tests/integration/report_store.sh
check_PROGRAMS += tests/integration/report_fixture

# Notifications from the collector to a real local webhook receiver.
TESTS += tests/integration/collector_notify.sh \
	tests/integration/archive_evidence.sh
EXTRA_DIST += tests/integration/collector_notify.sh \
	tests/integration/archive_evidence.sh \
	tests/integration/webhook_receiver.py
check_PROGRAMS += tests/unit/test_store_groups
TESTS += tests/unit/test_store_groups
check_PROGRAMS += tests/unit/test_store_archive
TESTS += tests/unit/test_store_archive
