# policies/ — 団体, tiers, the flow matrix, notifications, reports (issue 5).
noinst_LIBRARIES += policies/libpolicies.a
policies_libpolicies_a_SOURCES = \
	policies/policy.h \
	policies/policy_names.c \
	policies/cmd_policy.c \
	policies/cmd_report.c

check_PROGRAMS += tests/unit/test_policy_names
TESTS += tests/unit/test_policy_names
