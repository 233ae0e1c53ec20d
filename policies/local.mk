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
	policies/fw_int.h \
	policies/fw_util.c \
	policies/fw_iptables.c \
	policies/fw_fortigate.c \
	policies/fw_asa.c \
	policies/fw_panos.c \
	policies/fw_parse.c \
	policies/cmd_policy.c \
	policies/cmd_report.c

check_PROGRAMS += tests/unit/test_policy_names tests/unit/test_policy_eval \
	tests/unit/test_policy_load
TESTS += tests/unit/test_policy_names tests/unit/test_policy_eval \
	tests/unit/test_policy_load

# The example policy is installed with its path (sharedir/policies/...).
nobase_dist_pkgdata_DATA = policies/example/policy.conf \
	policies/example/exceptions.conf
