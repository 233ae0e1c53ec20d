/*
 * test_sensor_alert.c — a sensor's RFC 5424 alert becomes a packet alert:
 * rule, addresses, ports, 団体 and tier, payload evidence decoded from hex,
 * escaped values unescaped; elements without a sid or msg, hostile and
 * truncated values are refused or bounded, never overrun.
 */
#include "config.h"

#include <string.h>

#include "collector/collector_int.h"
#include "tests/tap.h"

static void
event(struct sc_event *ev, const char *app, const char *sd)
{
	memset(ev, 0, sizeof(*ev));
	ev->app = app;
	ev->applen = strlen(app);
	ev->sd = sd;
	ev->sdlen = strlen(sd);
	ev->recv_us = 1000;
	ev->ts_us = 900;
	memcpy(ev->muni, "240001", 7);
	ev->archive.segment = 3;
	ev->archive.record = 7;
}

int
main(void)
{
	struct sc_event ev;
	struct sc_alert al;
	char msg[64], cls[64], extra[160], s[ADDR_STRLEN];
	uint8_t pay[256];
	int r;

	event(&ev, "seccloud-sensor",
	    "[alert@32473 sensor=\"edge\" sid=\"9100010\" gid=\"1\" rev=\"2\" "
	    "msg=\"SQLi \\\"quoted\\\" \\] x\" class=\"web-application-attack\" "
	    "severity=\"2\" proto=\"TCP\" app_proto=\"http\" src=\"198.51.100.7\" "
	    "sport=\"42001\" dst=\"203.0.113.80\" dport=\"80\" flow_id=\"5\" "
	    "pcap_cnt=\"21\" src_dantai=\"\" src_tier=\"NET\" "
	    "dst_dantai=\"242501\" dst_tier=\"I\" dir=\"to_server\"]"
	    "[payload@32473 len=\"5\" hex=\"474554203c\" ascii=\"GET <\"]");
	ok(collector_is_sensor_alert(&ev), "recognised as a sensor alert");
	r = collector_sensor_alert(&ev, &al, msg, sizeof(msg), cls, sizeof(cls),
	    pay, sizeof(pay), extra, sizeof(extra));
	is_int(r, 0, "parsed");
	is_int(al.origin, SC_ORIGIN_PACKET, "origin packet");
	is_int(al.sid, 9100010, "sid");
	is_int(al.rev, 2, "rev");
	is_str(al.msg, "SQLi \"quoted\" ] x", "msg unescaped");
	is_str(al.classtype, "web-application-attack", "classtype");
	is_int(al.severity, SC_SEV_MEDIUM, "severity 2 is S3");
	is_str(addr_fmt(&al.src, s, sizeof(s)), "198.51.100.7", "src");
	is_str(addr_fmt(&al.dst, s, sizeof(s)), "203.0.113.80", "dst");
	ok(al.sport == 42001 && al.dport == 80 && al.ipproto == 6,
	    "ports, tcp");
	is_str(al.muni, "242501", "団体 of the municipal (destination) end");
	is_int(al.tier, SC_TIER_I, "its tier");
	ok(al.evidence_len == 5 && memcmp(al.evidence, "GET <", 5) == 0,
	    "payload evidence decoded from hex");
	is_str(al.extra_json,
	    "{\"pcap_cnt\":21,\"flow_id\":5,\"dir\":"
	    "\"to_server\"}",
	    "extra JSON");
	ok(al.archive.segment == 3 && al.archive.record == 7 &&
		al.event_ts_us == 900,
	    "archive ref and the sensor's time kept");

	event(&ev, "seccloud-sensor", "[alert@32473 sid=\"0\" msg=\"x\"]");
	ok(collector_sensor_alert(&ev, &al, msg, sizeof(msg), cls, sizeof(cls),
	       pay, sizeof(pay), extra, sizeof(extra)) == -1,
	    "sid 0 refused");
	event(&ev, "seccloud-sensor", "[alert@32473 sid=\"5\"]");
	ok(collector_sensor_alert(&ev, &al, msg, sizeof(msg), cls, sizeof(cls),
	       pay, sizeof(pay), extra, sizeof(extra)) == -1,
	    "no msg refused");
	event(&ev, "seccloud-sensor",
	    "[alert@32473 sid=\"5\" msg=\"unterminated");
	ok(collector_sensor_alert(&ev, &al, msg, sizeof(msg), cls, sizeof(cls),
	       pay, sizeof(pay), extra, sizeof(extra)) == -1,
	    "an unterminated value is refused");
	event(&ev, "seccloud-sensor",
	    "[alert@32473 sid=\"5\" msg=\"ok\" "
	    "sport=\"99999\" src=\"not-an-ip\" src_dantai=\"12345678\" "
	    "severity=\"77\"][payload@32473 hex=\"4zz1\"]");
	ok(collector_sensor_alert(&ev, &al, msg, sizeof(msg), cls, sizeof(cls),
	       pay, sizeof(pay), extra, sizeof(extra)) == 0 &&
		al.sport == 0 && !al.has_src &&
		strcmp(al.muni, "240001") == 0 && al.severity == SC_SEV_LOW &&
		al.evidence_len == 0,
	    "bad values fall back: port 0, no src, the sender's 団体, S4, "
	    "no evidence");
	memset(msg, 'A', sizeof(msg));
	event(&ev, "seccloud-sensor",
	    "[alert@32473 sid=\"5\" msg=\""
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"]");
	ok(collector_sensor_alert(&ev, &al, msg, 16, cls, sizeof(cls), pay,
	       sizeof(pay), extra, sizeof(extra)) == 0 &&
		strlen(al.msg) == 15,
	    "a long msg is cut at the buffer");
	event(&ev, "sshd", "[alert@32473 sid=\"5\" msg=\"x\"]");
	ok(!collector_is_sensor_alert(&ev), "another program's SD is not ours");
	event(&ev, "seccloud-sensor", "[meta@32473 x=\"1\"]");
	ok(!collector_is_sensor_alert(&ev),
	    "a sensor message without an alert");
	return done_testing();
}
