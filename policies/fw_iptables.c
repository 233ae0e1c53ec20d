/*
 * fw_iptables.c — netfilter LOG / nftables `log` lines, as the kernel
 * writes them:
 *
 *   kernel: [UFW BLOCK] IN=eth0 OUT= MAC=... SRC=198.51.100.7
 *   DST=10.11.32.5 LEN=60 ... PROTO=TCP SPT=51000 DPT=443 WINDOW=...
 *
 * The log prefix (anything before IN=) names the action when it contains
 * DROP, REJECT, BLOCK or DENY (deny) or ACCEPT or ALLOW (allow); without
 * one the action is unknown.  The kernel line carries no wall-clock time
 * (the [12345.678] stamp is seconds since boot), so time_us stays 0.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "policies/fw_int.h"

static enum fw_action
prefix_action(const char *msg, size_t len)
{
	static const char *const deny[] = { "DROP", "REJECT", "BLOCK", "DENY" };
	static const char *const allow[] = { "ACCEPT", "ALLOW", "PERMIT" };
	const char *in = fw_find(msg, len, "IN=");
	size_t n = in ? (size_t)(in - msg) : len, i, j;
	char up[256];

	if (n > sizeof(up))
		n = sizeof(up);
	for (i = 0; i < n; i++)
		up[i] = (msg[i] >= 'a' && msg[i] <= 'z') ? msg[i] - 32 : msg[i];
	for (j = 0; j < sizeof(deny) / sizeof(deny[0]); j++)
		if (fw_find(up, n, deny[j]))
			return FW_ACTION_DENY;
	for (j = 0; j < sizeof(allow) / sizeof(allow[0]); j++)
		if (fw_find(up, n, allow[j]))
			return FW_ACTION_ALLOW;
	return FW_ACTION_UNKNOWN;
}

int
fw_parse_iptables(const char *msg, size_t len, struct fw_flow *out)
{
	const char *v;
	size_t vl;

	fw_flow_init(out, "iptables");
	/* SRC= and DST= are the kernel's; MAC= and IN= mark the format. */
	if (fw_find(msg, len, "IN=") == NULL)
		return -1;
	if (fw_kv(msg, len, "SRC", &v, &vl) != 0 ||
	    fw_addr(v, vl, &out->src) != 0)
		return -1;
	if (fw_kv(msg, len, "DST", &v, &vl) != 0 ||
	    fw_addr(v, vl, &out->dst) != 0)
		return -1;
	if (fw_kv(msg, len, "PROTO", &v, &vl) == 0)
		(void)fw_proto(v, vl, &out->ipproto);
	if (fw_kv(msg, len, "SPT", &v, &vl) == 0)
		(void)fw_port(v, vl, &out->sport);
	if (fw_kv(msg, len, "DPT", &v, &vl) == 0)
		(void)fw_port(v, vl, &out->dport);
	out->action = prefix_action(msg, len);
	return 0;
}
