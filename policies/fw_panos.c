/*
 * fw_panos.c — Palo Alto Networks PAN-OS TRAFFIC logs (syslog CSV):
 *
 *   1,2026/11/22 17:53:26,012801000001,TRAFFIC,end,2049,
 *   2026/11/22 17:53:26,10.11.32.5,198.51.100.7,203.0.113.5,198.51.100.7,
 *   allow-web,,,ssl,vsys1,trust,untrust,ethernet1/2,ethernet1/1,fwd,
 *   2026/11/22 17:53:26,33760,1,51000,443,40001,443,0x400000,tcp,allow,
 *   5678,1234,4444,...
 *
 * Field positions are those of the PAN-OS TRAFFIC format (unchanged since
 * 6.x): 3 type, 6 generated time, 7/8 source/destination, 24/25 ports,
 * 29 protocol, 30 action, 31 bytes.  Fields may be "quoted" (with "" for a
 * quote).  The generated time is the firewall's local time, read as JST.
 * A syslog header in front of field 0 is skipped.
 */
#include "config.h"

#include <string.h>

#include "common/timeutil.h"
#include "policies/fw_int.h"

#define PAN_FIELDS 32

struct field {
	const char *s;
	size_t len;
};

/* Split CSV from p; returns the number of fields stored (at most max). */
static size_t
split(const char *p, const char *end, struct field *f, size_t max)
{
	size_t n = 0;

	while (n < max) {
		if (p < end && *p == '"') {
			const char *q = p + 1;

			/* a quoted field ends at a quote not doubled */
			while (q < end &&
			    !(*q == '"' && (q + 1 >= end || q[1] != '"')))
				q += (*q == '"') ? 2 : 1;
			if (q >= end)
				return n;
			f[n].s = p + 1;
			f[n].len = (size_t)(q - p - 1);
			n++;
			p = q + 1;
			if (p >= end || *p != ',')
				return n;
			p++;
			continue;
		}
		f[n].s = p;
		while (p < end && *p != ',')
			p++;
		f[n].len = (size_t)(p - f[n].s);
		n++;
		if (p >= end)
			return n;
		p++;
	}
	return n;
}

static enum fw_action
action_of(const struct field *f)
{
	static const char *const deny[] = { "deny", "drop", "drop-icmp",
		"reset-client", "reset-server", "reset-both", "block-url",
		"drop-all-packets" };
	size_t i;

	if (fw_eq(f->s, f->len, "allow"))
		return FW_ACTION_ALLOW;
	for (i = 0; i < sizeof(deny) / sizeof(deny[0]); i++)
		if (fw_eq(f->s, f->len, deny[i]))
			return FW_ACTION_DENY;
	return FW_ACTION_UNKNOWN;
}

int
fw_parse_panos(const char *msg, size_t len, struct fw_flow *out)
{
	const char *t = fw_find(msg, len, ",TRAFFIC,"), *start,
		   *end = msg + len;
	struct field f[PAN_FIELDS];
	uint64_t bytes;
	int commas = 0;
	size_t nf;
	int64_t us;

	fw_flow_init(out, "panos");
	if (t == NULL)
		return -1;
	/* Back over fields 2, 1 and 0 (no commas in them) to the start of
	 * field 0, which follows a space or begins the message. */
	start = t;
	while (start > msg && commas < 3) {
		start--;
		if (*start == ',')
			commas++;
	}
	if (commas < 3 && start != msg)
		return -1;
	while (start > msg && start[-1] != ' ')
		start--;
	if ((nf = split(start, end, f, PAN_FIELDS)) < 31)
		return -1;
	if (!fw_eq(f[3].s, f[3].len, "TRAFFIC"))
		return -1;
	if (fw_addr(f[7].s, f[7].len, &out->src) != 0 ||
	    fw_addr(f[8].s, f[8].len, &out->dst) != 0)
		return -1;
	(void)fw_port(f[24].s, f[24].len, &out->sport);
	(void)fw_port(f[25].s, f[25].len, &out->dport);
	(void)fw_proto(f[29].s, f[29].len, &out->ipproto);
	out->action = action_of(&f[30]);
	if (nf > 31 && f[31].len > 0 &&
	    fw_u64(f[31].s, f[31].len, UINT64_MAX, &bytes) == 0)
		out->bytes = bytes;
	if (f[6].len == 19 &&
	    fw_datetime(f[6].s, 10, f[6].s + 11, 8, TIME_JST_OFFSET, &us) == 0)
		out->time_us = us;
	return 0;
}
