# bench/ — benchmarks, built with `make bench` and run by hand or from CI as
# reports, never as timed assertions.  See bench/README.md.
EXTRA_PROGRAMS = $(BENCH_PROGS)
BENCH_PROGS += bench/cidr/bench_cidr
bench_cidr_bench_cidr_SOURCES = bench/cidr/bench_cidr.c
