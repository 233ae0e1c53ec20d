# sensor/ — capture, decode, flows, reassembly, app fields, output (issue 4).
noinst_LIBRARIES += sensor/libsensor.a
sensor_libsensor_a_SOURCES = \
	sensor/sensor.h sensor/sensor_int.h sensor/capture.h \
	sensor/cmd_sensor.c \
	sensor/sensor_rules.h sensor/sensor_rules.c \
	sensor/sensor_conf.c \
	sensor/sensor_test.c \
	sensor/sensor.c \
	sensor/capture.c \
	sensor/decode.c \
	sensor/decode_eth.c \
	sensor/decode_link.c \
	sensor/decode_ipv4.c \
	sensor/decode_ipv6.c \
	sensor/decode_tcp.c \
	sensor/decode_udp.c \
	sensor/decode_icmp.c \
	sensor/defrag.c \
	sensor/flow.c \
	sensor/stream.c \
	sensor/app_detect.c \
	sensor/app_http.c \
	sensor/app_dns.c \
	sensor/app_tls.c \
	sensor/detect.c \
	sensor/output_eve.c \
	sensor/output_syslog.c \
	sensor/workers.c

check_PROGRAMS += tests/unit/test_sensor_decode tests/unit/test_sensor_pcap \
	tests/unit/test_sensor_syslog tests/unit/test_sensor_workers
TESTS += tests/unit/test_sensor_decode tests/unit/test_sensor_pcap \
	tests/unit/test_sensor_syslog tests/unit/test_sensor_workers
EXTRA_DIST += tests/pcapgen/pcapgen.py

FUZZ_PROGS += tests/fuzz/fuzz_decode tests/fuzz/fuzz_http \
	tests/fuzz/fuzz_dns tests/fuzz/fuzz_tls
tests_fuzz_fuzz_decode_SOURCES = tests/fuzz/fuzz_decode.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_decode_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
tests_fuzz_fuzz_http_SOURCES = tests/fuzz/fuzz_http.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_http_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
tests_fuzz_fuzz_dns_SOURCES = tests/fuzz/fuzz_dns.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_dns_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
tests_fuzz_fuzz_tls_SOURCES = tests/fuzz/fuzz_tls.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_tls_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK)
EXTRA_DIST += tests/fuzz/corpus/decode tests/fuzz/corpus/http \
	tests/fuzz/corpus/dns tests/fuzz/corpus/tls

# conformance: suricata-verify subset and our own generated cases
TESTS += tests/conformance/suricata-verify
EXTRA_DIST += tests/conformance/suricata-verify

# live capture on loopback (root only), EVE and syslog end to end
TESTS += tests/integration/sensor_live.sh tests/integration/sensor_tls.sh \
	tests/integration/sensor_spool.sh
EXTRA_DIST += tests/integration/sensor_live.sh tests/integration/sensor_tls.sh \
	tests/integration/sensor_spool.sh

# bench/sensor: throughput against bare libpcap and tcpdump (make bench)
BENCH_PROGS += bench/sensor/bench_sensor
bench_sensor_bench_sensor_SOURCES = bench/sensor/bench_sensor.c
EXTRA_DIST += bench/sensor/gen.py bench/sensor/run.sh
