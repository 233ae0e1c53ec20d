/*
 * fw_parse.c — try each firewall log parser in turn, cheapest marker
 * first, and feed a parsed flow to the evaluator.
 */
#include "config.h"

#include "policies/fw_int.h"

int
fw_parse(const char *msg, size_t len, struct fw_flow *out)
{
	if (fw_find(msg, len, "%ASA-") || fw_find(msg, len, "%FTD-"))
		return fw_parse_asa(msg, len, out);
	if (fw_find(msg, len, ",TRAFFIC,"))
		return fw_parse_panos(msg, len, out);
	if (fw_find(msg, len, "srcip="))
		return fw_parse_fortigate(msg, len, out);
	if (fw_find(msg, len, "SRC="))
		return fw_parse_iptables(msg, len, out);
	fw_flow_init(out, "none");
	return -1;
}
