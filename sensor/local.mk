# sensor/ — capture, decode, flows, reassembly, app fields, output (issue 4).
noinst_LIBRARIES += sensor/libsensor.a
sensor_libsensor_a_SOURCES = \
	sensor/sensor.h sensor/sensor_int.h sensor/capture.h \
	sensor/cmd_sensor.c \
	sensor/sensor_rules.h sensor/sensor_rules.c \
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
	sensor/output_syslog.c
