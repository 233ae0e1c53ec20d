# rules/ — the rule language, Hyperscan compilation, the match API (issue 3).
noinst_LIBRARIES += rules/librules.a
rules_librules_a_SOURCES = \
	rules/cmd_rules.c
