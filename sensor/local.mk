# sensor/ — capture, decode, flows, reassembly, app fields, output (issue 4).
noinst_LIBRARIES += sensor/libsensor.a
sensor_libsensor_a_SOURCES = \
	sensor/cmd_sensor.c
