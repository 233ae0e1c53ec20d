# policies/ — 団体, tiers, the flow matrix, notifications, reports (issue 5).
noinst_LIBRARIES += policies/libpolicies.a
policies_libpolicies_a_SOURCES = \
	policies/cmd_policy.c \
	policies/cmd_report.c
