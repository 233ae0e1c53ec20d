/*
 * test_policy_fw.c — the firewall log parsers, table-driven: each line is
 * shaped like what the device writes (field order and spelling follow the
 * vendors' documented formats), with the flow it must give, and lines that
 * must be refused.
 */
#include "config.h"

#include <string.h>

#include "common/timeutil.h"
#include "policies/policy.h"
#include "tests/tap.h"

typedef int (*parse_fn)(const char *, size_t, struct fw_flow *);

struct fwcase {
	const char *name;
	parse_fn fn;
	const char *line;
	int ret;
	const char *src, *dst;
	uint16_t sport, dport;
	uint8_t proto;
	enum fw_action action;
	const char *time; /* RFC 3339 or NULL for "no time" */
	uint64_t bytes;
};

static const struct fwcase cases[] = {
	/* iptables / nftables */
	{ "ufw block", fw_parse_iptables,
	    "Nov 22 17:53:26 gw kernel: [1234567.890123] [UFW BLOCK] IN=eth0 "
	    "OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 "
	    "SRC=198.51.100.7 DST=10.11.32.5 LEN=60 TOS=0x00 PREC=0x00 TTL=52 "
	    "ID=54321 DF PROTO=TCP SPT=51000 DPT=22 WINDOW=64240 RES=0x00 SYN "
	    "URGP=0",
	    0, "198.51.100.7", "10.11.32.5", 51000, 22, 6, FW_ACTION_DENY, NULL,
	    0 },
	{ "iptables accept udp", fw_parse_iptables,
	    "kernel: ACCEPT-DNS: IN=eth1 OUT=eth0 SRC=10.11.32.9 "
	    "DST=10.200.1.53 LEN=71 TOS=0x00 PREC=0x00 TTL=63 ID=1 PROTO=UDP "
	    "SPT=40000 DPT=53 LEN=51",
	    0, "10.11.32.9", "10.200.1.53", 40000, 53, 17, FW_ACTION_ALLOW,
	    NULL, 0 },
	{ "nftables drop v6, no prefix words", fw_parse_iptables,
	    "kernel: nft-in IN=eth0 OUT= MAC=... SRC=2001:db8::7 DST=2001:db8:1::5 "
	    "LEN=80 TC=0 HOPLIMIT=64 FLOWLBL=0 PROTO=TCP SPT=443 DPT=50000 "
	    "WINDOW=1 RES=0x00 ACK URGP=0",
	    0, "2001:db8::7", "2001:db8:1::5", 443, 50000, 6, FW_ACTION_UNKNOWN,
	    NULL, 0 },
	{ "iptables icmp (no ports)", fw_parse_iptables,
	    "kernel: [DROP] IN=eth0 OUT= SRC=198.51.100.9 DST=10.11.32.5 LEN=84 "
	    "PROTO=ICMP TYPE=8 CODE=0 ID=1 SEQ=1",
	    0, "198.51.100.9", "10.11.32.5", 0, 0, 1, FW_ACTION_DENY, NULL, 0 },
	{ "iptables without DST", fw_parse_iptables,
	    "kernel: [DROP] IN=eth0 OUT= SRC=198.51.100.9 LEN=84", -1, NULL,
	    NULL, 0, 0, 0, 0, NULL, 0 },
	{ "iptables bad SRC", fw_parse_iptables,
	    "kernel: IN=eth0 SRC=1.2.3 DST=10.0.0.1 PROTO=TCP", -1, NULL, NULL,
	    0, 0, 0, 0, NULL, 0 },
	{ "not a kernel line", fw_parse_iptables,
	    "sshd[1]: Accepted password for x from 10.0.0.1 port 22", -1, NULL,
	    NULL, 0, 0, 0, 0, NULL, 0 },

	/* FortiGate */
	{ "fortigate accept, eventtime ns", fw_parse_fortigate,
	    "date=2026-11-22 time=17:53:26 devname=\"fg-edge\" "
	    "devid=\"FG100FTK00000001\" eventtime=1763801606123456789 "
	    "tz=\"+0900\" logid=\"0000000013\" type=\"traffic\" "
	    "subtype=\"forward\" level=\"notice\" vd=\"root\" srcip=10.11.32.5 "
	    "srcport=51000 srcintf=\"port2\" srcintfrole=\"lan\" "
	    "dstip=198.51.100.7 dstport=443 dstintf=\"wan1\" "
	    "dstintfrole=\"wan\" sessionid=123 proto=6 action=\"accept\" "
	    "policyid=7 policytype=\"policy\" service=\"HTTPS\" "
	    "trandisp=\"snat\" duration=12 sentbyte=1234 rcvdbyte=5678 "
	    "sentpkt=10 rcvdpkt=12",
	    0, "10.11.32.5", "198.51.100.7", 51000, 443, 6, FW_ACTION_ALLOW,
	    "2025-11-22T08:53:26.123456Z", 6912 },
	{ "fortigate deny, date/time/tz", fw_parse_fortigate,
	    "date=2026-11-22 time=17:53:26 devname=\"fg-lgwan\" "
	    "logid=\"0000000013\" type=\"traffic\" subtype=\"forward\" "
	    "tz=\"+0900\" srcip=10.11.16.5 srcport=50000 dstip=198.51.100.8 "
	    "dstport=80 proto=6 action=\"deny\" policyid=0",
	    0, "10.11.16.5", "198.51.100.8", 50000, 80, 6, FW_ACTION_DENY,
	    "2026-11-22T08:53:26Z", 0 },
	{ "fortigate close, no tz is JST", fw_parse_fortigate,
	    "date=2026-11-22 time=09:00:00 type=traffic subtype=local "
	    "srcip=10.11.32.5 srcport=1 dstip=10.200.1.10 dstport=8080 "
	    "proto=6 action=close",
	    0, "10.11.32.5", "10.200.1.10", 1, 8080, 6, FW_ACTION_ALLOW,
	    "2026-11-22T00:00:00Z", 0 },
	{ "fortigate utm event is not a flow", fw_parse_fortigate,
	    "date=2026-11-22 time=17:53:26 type=\"utm\" subtype=\"virus\" "
	    "srcip=10.11.32.5 dstip=198.51.100.7",
	    -1, NULL, NULL, 0, 0, 0, 0, NULL, 0 },
	{ "fortigate unterminated quote", fw_parse_fortigate,
	    "type=\"traffic srcip=10.11.32.5 dstip=198.51.100.7", -1, NULL,
	    NULL, 0, 0, 0, 0, NULL, 0 },

	/* Cisco ASA */
	{ "asa 302013 outbound", fw_parse_asa,
	    "Nov 22 2026 17:53:26: %ASA-6-302013: Built outbound TCP "
	    "connection 123456 for outside:198.51.100.7/443 "
	    "(198.51.100.7/443) to inside:10.11.16.5/51000 "
	    "(203.0.113.5/51000)",
	    0, "10.11.16.5", "198.51.100.7", 51000, 443, 6, FW_ACTION_ALLOW,
	    NULL, 0 },
	{ "asa 302013 inbound with user", fw_parse_asa,
	    "%ASA-6-302013: Built inbound TCP connection 77 for "
	    "outside:198.51.100.9/50123 (198.51.100.9/50123) to "
	    "dmz:203.0.113.80/443 (203.0.113.80/443) (jdoe)",
	    0, "198.51.100.9", "203.0.113.80", 50123, 443, 6, FW_ACTION_ALLOW,
	    NULL, 0 },
	{ "asa 302015 udp outbound", fw_parse_asa,
	    "%ASA-6-302015: Built outbound UDP connection 9 for "
	    "outside:198.51.100.53/53 (198.51.100.53/53) to "
	    "inside:10.11.32.9/40000 (203.0.113.5/40000)",
	    0, "10.11.32.9", "198.51.100.53", 40000, 53, 17, FW_ACTION_ALLOW,
	    NULL, 0 },
	{ "asa 106023 deny", fw_parse_asa,
	    "%ASA-4-106023: Deny tcp src inside:10.11.16.5/50000 dst "
	    "outside:198.51.100.7/443 by access-group \"inside_in\" "
	    "[0x8ed66b60, 0xf8852875]",
	    0, "10.11.16.5", "198.51.100.7", 50000, 443, 6, FW_ACTION_DENY,
	    NULL, 0 },
	{ "asa 106023 v6", fw_parse_asa,
	    "%ASA-4-106023: Deny udp src outside:2001:db8::7/53 dst "
	    "inside:2001:db8:1::5/5353 by access-group \"o\" [0x0, 0x0]",
	    0, "2001:db8::7", "2001:db8:1::5", 53, 5353, 17, FW_ACTION_DENY,
	    NULL, 0 },
	{ "asa 106100 permitted", fw_parse_asa,
	    "%ASA-6-106100: access-list inside_in permitted tcp "
	    "inside/10.11.16.5(51000) -> outside/198.51.100.7(443) hit-cnt 1 "
	    "first hit [0x2f4b8a0f, 0x0]",
	    0, "10.11.16.5", "198.51.100.7", 51000, 443, 6, FW_ACTION_ALLOW,
	    NULL, 0 },
	{ "asa 106100 denied", fw_parse_asa,
	    "%ASA-4-106100: access-list inside_in denied udp "
	    "inside/10.11.16.5(51000) -> outside/198.51.100.7(53) hit-cnt 3 "
	    "300-second interval [0x0, 0x0]",
	    0, "10.11.16.5", "198.51.100.7", 51000, 53, 17, FW_ACTION_DENY,
	    NULL, 0 },
	{ "asa 106001 inbound denied", fw_parse_asa,
	    "%ASA-2-106001: Inbound TCP connection denied from "
	    "198.51.100.7/51000 to 10.11.32.5/22 flags SYN on interface "
	    "outside",
	    0, "198.51.100.7", "10.11.32.5", 51000, 22, 6, FW_ACTION_DENY, NULL,
	    0 },
	{ "asa 106006 deny inbound udp", fw_parse_asa,
	    "%ASA-2-106006: Deny inbound UDP from 198.51.100.7/53 to "
	    "10.11.32.5/1234 on interface outside",
	    0, "198.51.100.7", "10.11.32.5", 53, 1234, 17, FW_ACTION_DENY, NULL,
	    0 },
	{ "ftd 710003", fw_parse_asa,
	    "%FTD-3-710003: TCP access denied by ACL from 198.51.100.7/51000 to "
	    "outside:203.0.113.1/22",
	    0, "198.51.100.7", "203.0.113.1", 51000, 22, 6, FW_ACTION_DENY,
	    NULL, 0 },
	{ "asa teardown ignored", fw_parse_asa,
	    "%ASA-6-302014: Teardown TCP connection 1 for "
	    "outside:198.51.100.7/443 to inside:10.11.16.5/51000 duration "
	    "0:00:05 bytes 1234 TCP FINs",
	    -1, NULL, NULL, 0, 0, 0, 0, NULL, 0 },
	{ "asa truncated", fw_parse_asa,
	    "%ASA-6-302013: Built outbound TCP connection 1 for "
	    "outside:198.51.100.7/443",
	    -1, NULL, NULL, 0, 0, 0, 0, NULL, 0 },
	{ "asa bad id", fw_parse_asa, "%ASA-6-30x013: Built", -1, NULL, NULL, 0,
	    0, 0, 0, NULL, 0 },

	/* Palo Alto PAN-OS */
	{ "panos traffic end allow", fw_parse_panos,
	    "<14>Nov 22 17:53:26 pa-fw 1,2026/11/22 17:53:26,012801000001,"
	    "TRAFFIC,end,2049,2026/11/22 17:53:26,10.11.32.5,198.51.100.7,"
	    "203.0.113.5,198.51.100.7,allow-web,,,ssl,vsys1,trust,untrust,"
	    "ethernet1/2,ethernet1/1,fwd,2026/11/22 17:53:26,33760,1,51000,443,"
	    "40001,443,0x400000,tcp,allow,5678,1234,4444,20,2026/11/22 "
	    "17:53:10,15,any,0,7000001,0x0,10.0.0.0-10.255.255.255,"
	    "United States,0,10,10,tcp-fin",
	    0, "10.11.32.5", "198.51.100.7", 51000, 443, 6, FW_ACTION_ALLOW,
	    "2026-11-22T08:53:26Z", 5678 },
	{ "panos deny with quoted rule", fw_parse_panos,
	    "1,2026/11/22 17:53:26,012801000001,TRAFFIC,deny,2049,"
	    "2026/11/22 17:53:26,10.11.16.5,198.51.100.7,,,\"block, lgwan\",,,"
	    "incomplete,vsys1,lgwan,untrust,ethernet1/3,,fwd,"
	    "2026/11/22 17:53:26,0,1,50000,443,0,0,0x0,tcp,reset-both,74,74,0,1",
	    0, "10.11.16.5", "198.51.100.7", 50000, 443, 6, FW_ACTION_DENY,
	    "2026-11-22T08:53:26Z", 74 },
	{ "panos threat is not traffic", fw_parse_panos,
	    "1,2026/11/22 17:53:26,012801000001,THREAT,url,2049,x,10.0.0.1,"
	    "10.0.0.2",
	    -1, NULL, NULL, 0, 0, 0, 0, NULL, 0 },
	{ "panos too few fields", fw_parse_panos,
	    "1,2026/11/22 17:53:26,012801000001,TRAFFIC,end,2049,"
	    "2026/11/22 17:53:26,10.11.32.5,198.51.100.7",
	    -1, NULL, NULL, 0, 0, 0, 0, NULL, 0 },

	/* fw_parse dispatch */
	{ "dispatch asa", fw_parse,
	    "%ASA-4-106023: Deny tcp src inside:10.11.16.5/50000 dst "
	    "outside:198.51.100.7/443 by access-group \"i\" [0x0, 0x0]",
	    0, "10.11.16.5", "198.51.100.7", 50000, 443, 6, FW_ACTION_DENY,
	    NULL, 0 },
	{ "dispatch iptables", fw_parse,
	    "kernel: [UFW BLOCK] IN=eth0 OUT= SRC=198.51.100.7 DST=10.11.32.5 "
	    "PROTO=UDP SPT=1 DPT=2",
	    0, "198.51.100.7", "10.11.32.5", 1, 2, 17, FW_ACTION_DENY, NULL,
	    0 },
	{ "dispatch nothing", fw_parse, "postfix/smtpd[1]: connect from x", -1,
	    NULL, NULL, 0, 0, 0, 0, NULL, 0 },
};

static void
run(const struct fwcase *c)
{
	struct fw_flow f;
	struct addr a;
	char buf[ADDR_STRLEN];
	int64_t t = 0;
	size_t used;
	int r = c->fn(c->line, strlen(c->line), &f);

	is_int(r, c->ret, "%s: returns %d", c->name, c->ret);
	if (c->ret != 0 || r != 0)
		return;
	addr_parse(c->src, &a);
	ok(addr_cmp(&a, &f.src) == 0, "%s: src %s (got %s)", c->name, c->src,
	    addr_fmt(&f.src, buf, sizeof(buf)));
	addr_parse(c->dst, &a);
	ok(addr_cmp(&a, &f.dst) == 0, "%s: dst %s (got %s)", c->name, c->dst,
	    addr_fmt(&f.dst, buf, sizeof(buf)));
	is_int(f.sport, c->sport, "%s: sport", c->name);
	is_int(f.dport, c->dport, "%s: dport", c->name);
	is_int(f.ipproto, c->proto, "%s: proto", c->name);
	is_int(f.action, c->action, "%s: action", c->name);
	if (c->time != NULL)
		time_parse_rfc3339(c->time, strlen(c->time), &t, &used);
	is_int(f.time_us, t, "%s: time", c->name);
	is_int(f.bytes, c->bytes, "%s: bytes", c->name);
}

int
main(void)
{
	size_t i;
	struct fw_flow f;
	char line[] = "kernel: IN=eth0 SRC=10.0.0.1 DST=10.0.0.2 PROTO=TCP";

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run(&cases[i]);
	/* bounded: a length that cuts DST= short must not read past it */
	is_int(fw_parse_iptables(line,
		   strlen("kernel: IN=eth0 SRC=10.0.0.1 "
			  "DST=10.0"),
		   &f),
	    -1, "length is honoured (DST cut short)");
	return done_testing();
}
