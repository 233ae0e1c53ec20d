# bench/ — benchmarks, built with `make bench` and run by hand or from CI as
# reports, never as timed assertions.
