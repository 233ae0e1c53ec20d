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

TESTS += tests/integration/rules_sets.sh
EXTRA_DIST += tests/integration/rules_sets.sh rules/sets tests/rules

# make bench: bench/rules/bench_rules CORPUS RULES... (see bench/rules/README)
# (noinst, not EXTRA_PROGRAMS: Makefile.am does not define that yet)
BENCH_PROGS += bench/rules/bench_rules
bench_rules_bench_rules_SOURCES = bench/rules/bench_rules.c
EXTRA_DIST += bench/rules/make_sagan_corpus.py bench/rules/compare_alerts.py \
	bench/rules/make_bench_corpus.py bench/rules/README.md \
	bench/rules/sagan_run.sh bench/rules/sagan_compare.sh
