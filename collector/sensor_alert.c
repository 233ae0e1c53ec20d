/*
 * sensor_alert.c — alerts that arrive from our own sensors.
 *
 * A sensor reports each alert as an RFC 5424 message from APP-NAME
 * "seccloud-sensor" with the structured data elements alert@32473 and
 * payload@32473 (the format is defined in sensor/sensor.h).  Here such an
 * event of a batch becomes a packet alert in the store: the rule, the
 * addresses and ports, the 団体 and tier the sensor's policy gave each end,
 * and the payload excerpt (decoded from its hex form) as evidence, while
 * the message itself stays in the archive like every other.
 *
 * The structured data is peer input like any other: every value is read
 * with bounds, numbers are range-checked, and an element that does not
 * parse is counted and left as a plain archived message.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/collector_int.h"
#include "collector/store.h"
#include "common/addr.h"
#include "common/log.h"
#include "sensor/sensor.h"

#define SA_VALUE_MAX 512

/*
 * Find PARAM="value" inside the SD element that starts with `id` in sd, and
 * copy its unescaped value into out.  0, or -1 if absent or malformed.
 */
static int
sd_param(const char *sd, size_t sdlen, const char *id, const char *param,
    char *out, size_t outlen)
{
	size_t idlen = strlen(id), plen = strlen(param), i = 0;

	/* the element: "[id " */
	for (;;) {
		if (i + idlen + 1 >= sdlen)
			return -1;
		if (sd[i] == '[' && memcmp(sd + i + 1, id, idlen) == 0 &&
		    (sd[i + 1 + idlen] == ' ' || sd[i + 1 + idlen] == ']'))
			break;
		i++;
	}
	i += 1 + idlen;
	while (i < sdlen && sd[i] != ']') {
		size_t name, o = 0;

		while (i < sdlen && sd[i] == ' ')
			i++;
		name = i;
		while (
		    i < sdlen && sd[i] != '=' && sd[i] != ']' && sd[i] != ' ')
			i++;
		if (i + 1 >= sdlen || sd[i] != '=' || sd[i + 1] != '"')
			return -1;
		i += 2;
		int want =
		    i - 2 - name == plen && memcmp(sd + name, param, plen) == 0;
		while (i < sdlen && sd[i] != '"') {
			char ch = sd[i];

			if (ch == '\\' && i + 1 < sdlen &&
			    (sd[i + 1] == '"' || sd[i + 1] == '\\' ||
				sd[i + 1] == ']'))
				ch = sd[++i];
			if (want && o + 1 < outlen)
				out[o++] = ch;
			i++;
		}
		if (i >= sdlen)
			return -1;
		i++; /* closing quote */
		if (want) {
			out[o] = '\0';
			return 0;
		}
	}
	return -1;
}

static long
sd_num(const char *sd, size_t sdlen, const char *id, const char *param,
    long min, long max, long dflt)
{
	char v[32], *end;
	long n;

	if (sd_param(sd, sdlen, id, param, v, sizeof(v)) == -1 || v[0] == '\0')
		return dflt;
	n = strtol(v, &end, 10);
	return (*end != '\0' || n < min || n > max) ? dflt : n;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode up to outlen bytes of hex; returns the count (stops at bad hex). */
static size_t
unhex(const char *hex, uint8_t *out, size_t outlen)
{
	size_t n = 0;

	while (n < outlen && hex[0] != '\0' && hex[1] != '\0') {
		int hi = hexval((unsigned char)hex[0]);
		int lo = hexval((unsigned char)hex[1]);

		if (hi < 0 || lo < 0)
			break;
		out[n++] = (uint8_t)(hi << 4 | lo);
		hex += 2;
	}
	return n;
}

/* Copy the use-case id at s ("GL-SEP-03: ...") into out. */
static int
sd_usecase(const char *s, char *out, size_t outlen)
{
	size_t n = 0;

	while (s[n] != '\0' && s[n] != ':' && s[n] != ' ' && n + 1 < outlen)
		n++;
	if (n < 4 || s[n] != ':')
		return -1;
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

int
collector_is_sensor_alert(const struct sc_event *ev)
{
	return ev->applen == 15 &&
	    memcmp(ev->app, "seccloud-sensor", 15) == 0 && ev->sdlen > 0 &&
	    memmem(ev->sd, ev->sdlen, "[alert@32473", 12);
}

int
collector_sensor_alert(const struct sc_event *ev, struct sc_alert *al,
    char *msg, size_t msglen, char *cls, size_t clslen, uint8_t *payload,
    size_t paylen, char *extra, size_t extralen)
{
	const char *sd = ev->sd;
	size_t n = ev->sdlen;
	char v[SA_VALUE_MAX], hex[2 * SENSOR_EXCERPT_MAX + 1], dir[16];
	enum sc_tier tier;
	long sev;

	memset(al, 0, sizeof(*al));
	al->origin = SC_ORIGIN_PACKET;
	al->sid =
	    (uint32_t)sd_num(sd, n, "alert@32473", "sid", 1, 4294967295L, 0);
	if (al->sid == 0 ||
	    sd_param(sd, n, "alert@32473", "msg", msg, msglen) == -1)
		return -1;
	al->gid =
	    (uint32_t)sd_num(sd, n, "alert@32473", "gid", 0, 4294967295L, 1);
	al->rev =
	    (uint32_t)sd_num(sd, n, "alert@32473", "rev", 0, 4294967295L, 1);
	/* Suricata's severity 1 (highest) .. 4 maps to S2 .. S5: S1 is kept
	 * for what the matrix or an analyst calls critical. */
	sev = sd_num(sd, n, "alert@32473", "severity", 1, 4, 3);
	al->severity = (int)sev + 1;
	al->msg = msg;
	/* The sensor's flow-matrix verdicts: "policy GL-SEP-03: <cell>". */
	if (al->gid == SENSOR_POLICY_GID) {
		al->origin = SC_ORIGIN_POLICY;
		if (strncmp(msg, "policy GL-", 10) == 0 &&
		    sd_usecase(msg + 7, cls, clslen) == 0)
			al->usecase = cls;
	}
	if (al->usecase == NULL &&
	    sd_param(sd, n, "alert@32473", "class", cls, clslen) == 0 &&
	    cls[0] != '\0')
		al->classtype = cls;
	al->ts_us = ev->recv_us;
	al->event_ts_us = ev->ts_us;
	if (sd_param(sd, n, "alert@32473", "src", v, sizeof(v)) == 0 &&
	    addr_parse(v, &al->src) == 0)
		al->has_src = 1;
	if (sd_param(sd, n, "alert@32473", "dst", v, sizeof(v)) == 0 &&
	    addr_parse(v, &al->dst) == 0)
		al->has_dst = 1;
	al->sport =
	    (uint16_t)sd_num(sd, n, "alert@32473", "sport", 0, 65535, 0);
	al->dport =
	    (uint16_t)sd_num(sd, n, "alert@32473", "dport", 0, 65535, 0);
	if (sd_param(sd, n, "alert@32473", "proto", v, sizeof(v)) == 0)
		al->ipproto = strcmp(v, "TCP") == 0 ? 6 :
		    strcmp(v, "UDP") == 0	    ? 17 :
		    strcmp(v, "ICMP") == 0	    ? 1 :
		    strcmp(v, "IPV6-ICMP") == 0	    ? 58 :
						      0;
	/* The 団体 of the alert: the municipal end, source first. */
	if (sd_param(sd, n, "alert@32473", "src_dantai", v, sizeof(v)) == 0 &&
	    strlen(v) == 6) {
		memcpy(al->muni, v, 7);
		if (sd_param(sd, n, "alert@32473", "src_tier", v, sizeof(v)) ==
			0 &&
		    sc_tier_parse(v, &tier) == 0)
			al->tier = tier;
	} else if (sd_param(sd, n, "alert@32473", "dst_dantai", v, sizeof(v)) ==
		0 &&
	    strlen(v) == 6) {
		memcpy(al->muni, v, 7);
		if (sd_param(sd, n, "alert@32473", "dst_tier", v, sizeof(v)) ==
			0 &&
		    sc_tier_parse(v, &tier) == 0)
			al->tier = tier;
	} else {
		memcpy(al->muni, ev->muni, SC_MUNI_LEN);
		al->tier = ev->tier;
	}
	if (sd_param(sd, n, "payload@32473", "hex", hex, sizeof(hex)) == 0) {
		al->evidence = payload;
		al->evidence_len = unhex(hex, payload, paylen);
	}
	if (sd_param(sd, n, "alert@32473", "dir", dir, sizeof(dir)) == -1)
		dir[0] = '\0';
	snprintf(extra, extralen,
	    "{\"pcap_cnt\":%ld,\"flow_id\":%ld,"
	    "\"dir\":\"%s\"}",
	    sd_num(sd, n, "alert@32473", "pcap_cnt", 0, 0x7fffffffL, 0),
	    sd_num(sd, n, "alert@32473", "flow_id", 0, 0x7fffffffL, 0),
	    strcmp(dir, "to_client") == 0     ? "to_client" :
		strcmp(dir, "to_server") == 0 ? "to_server" :
						"");
	al->extra_json = extra;
	al->archive = ev->archive;
	return 0;
}

size_t
collector_sensor_alerts(struct batch *b, struct store *st)
{
	static struct ratelim rl = RATELIM_INIT(60);
	size_t stored = 0;

	for (size_t i = 0; i < b->nev; i++) {
		const struct sc_event *ev = &b->ev[i];
		char msg[SA_VALUE_MAX], cls[128], extra[160], peer[ADDR_STRLEN];
		uint8_t payload[SENSOR_EXCERPT_MAX];
		struct sc_alert al;
		uint64_t sup;

		if (!collector_is_sensor_alert(ev))
			continue;
		if (collector_sensor_alert(ev, &al, msg, sizeof(msg), cls,
			sizeof(cls), payload, sizeof(payload), extra,
			sizeof(extra)) == -1) {
			ctr_add(CTR_SENSOR_BAD, 1);
			if (ratelim_ok(&rl, &sup))
				log_warnx("sensor %s: alert without a sid or "
					  "msg, kept as a plain message (%llu "
					  "similar suppressed)",
				    addr_fmt(&ev->peer, peer, sizeof(peer)),
				    (unsigned long long)sup);
			continue;
		}
		if (store_alert_insert(st, &al, NULL, NULL) == 0)
			stored++;
		else {
			ctr_add(CTR_ALERTS_STORE_ERRORS, 1);
			if (ratelim_ok(&rl, &sup))
				log_warnx("sensor %s: the store refused an "
					  "alert (alerts/store-errors; %llu "
					  "similar suppressed)",
				    addr_fmt(&ev->peer, peer, sizeof(peer)),
				    (unsigned long long)sup);
		}
	}
	return stored;
}
