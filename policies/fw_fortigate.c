/*
 * fw_fortigate.c — FortiGate traffic logs (key=value, values optionally
 * quoted):
 *
 *   date=2026-11-22 time=17:53:26 devname="fg-edge" logid="0000000013"
 *   type="traffic" subtype="forward" eventtime=1763801606123456789
 *   tz="+0900" srcip=10.11.32.5 srcport=51000 dstip=198.51.100.7
 *   dstport=443 proto=6 action="accept" sentbyte=1234 rcvdbyte=5678
 *
 * Only type=traffic lines are flows.  Time comes from eventtime (s, us or
 * ns since the epoch, by its length) or else date/time in tz (JST when tz
 * is absent, the appliance's zone).
 */
#include "config.h"

#include <string.h>

#include "common/timeutil.h"
#include "policies/fw_int.h"

static enum fw_action
action_of(const char *v, size_t vl)
{
	static const char *const allow[] = { "accept", "close", "timeout",
		"server-rst", "client-rst", "start", "ip-conn" };
	static const char *const deny[] = { "deny", "blocked", "dropped",
		"drop", "reject" };
	size_t i;

	for (i = 0; i < sizeof(allow) / sizeof(allow[0]); i++)
		if (fw_eq(v, vl, allow[i]))
			return FW_ACTION_ALLOW;
	for (i = 0; i < sizeof(deny) / sizeof(deny[0]); i++)
		if (fw_eq(v, vl, deny[i]))
			return FW_ACTION_DENY;
	return FW_ACTION_UNKNOWN;
}

static void
parse_time(const char *msg, size_t len, struct fw_flow *out)
{
	const char *v, *d, *t;
	size_t vl, dl, tl;
	uint64_t n;
	int tz = TIME_JST_OFFSET;
	int64_t us;

	if (fw_kv(msg, len, "eventtime", &v, &vl) == 0 &&
	    fw_u64(v, vl, UINT64_MAX, &n) == 0) {
		/* ns (FortiOS 7), us, or s; anything past year 9999 is junk */
		if (vl >= 18 && n / 1000 <= 253402300799999999ULL)
			out->time_us = (int64_t)(n / 1000);
		else if (vl >= 15 && vl < 18 && n <= 253402300799999999ULL)
			out->time_us = (int64_t)n;
		else if (vl < 15 && n <= 253402300799ULL)
			out->time_us = (int64_t)n * TIME_US_PER_SEC;
		return;
	}
	if (fw_kv(msg, len, "date", &d, &dl) != 0 ||
	    fw_kv(msg, len, "time", &t, &tl) != 0)
		return;
	if (fw_kv(msg, len, "tz", &v, &vl) == 0 && vl == 5 &&
	    (v[0] == '+' || v[0] == '-')) {
		uint64_t hh, mm;

		if (fw_u64(v + 1, 2, 23, &hh) == 0 &&
		    fw_u64(v + 3, 2, 59, &mm) == 0)
			tz =
			    (v[0] == '-' ? -1 : 1) * (int)(hh * 3600 + mm * 60);
	}
	if (fw_datetime(d, dl, t, tl, tz, &us) == 0)
		out->time_us = us;
}

int
fw_parse_fortigate(const char *msg, size_t len, struct fw_flow *out)
{
	const char *v;
	size_t vl;
	uint64_t sent = 0, rcvd = 0;

	fw_flow_init(out, "fortigate");
	if (fw_kv(msg, len, "type", &v, &vl) != 0 || !fw_eq(v, vl, "traffic"))
		return -1;
	if (fw_kv(msg, len, "srcip", &v, &vl) != 0 ||
	    fw_addr(v, vl, &out->src) != 0)
		return -1;
	if (fw_kv(msg, len, "dstip", &v, &vl) != 0 ||
	    fw_addr(v, vl, &out->dst) != 0)
		return -1;
	if (fw_kv(msg, len, "srcport", &v, &vl) == 0)
		(void)fw_port(v, vl, &out->sport);
	if (fw_kv(msg, len, "dstport", &v, &vl) == 0)
		(void)fw_port(v, vl, &out->dport);
	if (fw_kv(msg, len, "proto", &v, &vl) == 0)
		(void)fw_proto(v, vl, &out->ipproto);
	if (fw_kv(msg, len, "action", &v, &vl) == 0)
		out->action = action_of(v, vl);
	if (fw_kv(msg, len, "sentbyte", &v, &vl) == 0)
		(void)fw_u64(v, vl, UINT64_MAX / 2, &sent);
	if (fw_kv(msg, len, "rcvdbyte", &v, &vl) == 0)
		(void)fw_u64(v, vl, UINT64_MAX / 2, &rcvd);
	out->bytes = sent + rcvd;
	parse_time(msg, len, out);
	return 0;
}
