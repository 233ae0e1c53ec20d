# tests/ — shared test helpers and the integration tests (TAP shell scripts).
EXTRA_DIST += tests/tap.h tests/lib/tap.sh tests/lib/itest.sh
TESTS += tests/integration/cli.sh tests/integration/format.sh \
	tests/integration/run.sh tests/integration/demo.sh tests/integration/install.sh \
	tests/integration/packet_rules.sh \
	tests/integration/sensor_collector.sh
