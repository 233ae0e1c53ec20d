# rules/ — the rule language, Hyperscan compilation, the match API (issue 3).
noinst_LIBRARIES += rules/librules.a
rules_librules_a_SOURCES = \
	rules/rules.h rules/rules_int.h \
	rules/parse.c rules/header.c rules/vars.c rules/keywords.c \
	rules/content.c rules/rule.c rules/ruleset.c rules/compile_hs.c \
	rules/confirm.c rules/scratch.c rules/match_log.c \
	rules/match_packet.c rules/correlate.c rules/logline.c \
	rules/cmd_rules.c

RULES_TESTS = tests/unit/test_rules_parse tests/unit/test_rules_match \
	tests/unit/test_rules_correlate
check_PROGRAMS += $(RULES_TESTS)
TESTS += $(RULES_TESTS)

FUZZ_PROGS += tests/fuzz/fuzz_rule_parse
tests_fuzz_fuzz_rule_parse_SOURCES = tests/fuzz/fuzz_rule_parse.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_rule_parse_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
