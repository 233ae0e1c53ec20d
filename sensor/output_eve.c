/*
 * output_eve.c — EVE JSON lines (Suricata's eve.json), one object per
 * line, built with jansson: event_type "alert" and "flow" with Suricata's
 * field names, so EveBox, Kibana or jq filters written for Suricata read
 * them.  Timestamps are Suricata's form in UTC ("2026-11-22T08:53:26.
 * 123456+0000").
 */
#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <time.h>

#include "policies/policy.h"
#include "sensor/sensor_int.h"

struct eve {
	FILE *fp;
	int owned;
	int dirty; /* lines written since the last flush */
};

void
eve_flush(struct eve *e)
{
	if (e != NULL && e->dirty) {
		fflush(e->fp);
		e->dirty = 0;
	}
}

struct eve *
eve_open(const char *path, char *err, size_t errlen)
{
	struct eve *e;
	FILE *fp = strcmp(path, "-") == 0 ? stdout : fopen(path, "a");

	if (fp == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if ((e = calloc(1, sizeof(*e))) == NULL) {
		if (fp != stdout)
			fclose(fp);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	e->fp = fp;
	e->owned = fp != stdout;
	return e;
}

struct eve *
eve_from_file(FILE *fp)
{
	struct eve *e = calloc(1, sizeof(*e));

	if (e != NULL)
		e->fp = fp;
	return e;
}

void
eve_close(struct eve *e)
{
	if (e == NULL)
		return;
	if (e->owned)
		fclose(e->fp);
	else
		fflush(e->fp);
	free(e);
}

static void
fmt_ts(int64_t us, char *out, size_t len)
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;
	char base[32];

	gmtime_r(&t, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, len, "%s.%06ld+0000", base, (long)(us % 1000000));
}

void
sensor_fmt_addr(const struct addr *a, char *out, size_t len)
{
	static const uint8_t v4pre[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff,
		0xff };

	if (memcmp(a->b, v4pre, 12) == 0)
		inet_ntop(AF_INET, a->b + 12, out, (socklen_t)len);
	else
		inet_ntop(AF_INET6, a->b, out, (socklen_t)len);
}

const char *
sensor_proto_name(int proto)
{
	switch (proto) {
	case 6:
		return "TCP";
	case 17:
		return "UDP";
	case 1:
		return "ICMP";
	case 58:
		return "IPv6-ICMP";
	default:
		return NULL;
	}
}

/* A JSON string of s; bytes that are not UTF-8 become '?'. */
static json_t *
jstr(const char *s)
{
	json_t *j;
	char *c;

	if (s == NULL)
		return json_string("");
	if ((j = json_string(s)) != NULL)
		return j;
	if ((c = strdup(s)) == NULL)
		return json_string("");
	for (char *q = c; *q; q++)
		if ((unsigned char)*q >= 0x80)
			*q = '?';
	j = json_string(c);
	free(c);
	return j;
}

static void
set_proto(json_t *o, int proto)
{
	const char *n = sensor_proto_name(proto);

	if (n != NULL)
		json_object_set_new(o, "proto", json_string(n));
	else
		json_object_set_new(o, "proto", json_integer(proto));
}

static void
write_line(struct eve *e, json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);

	if (s != NULL) {
		fputs(s, e->fp);
		fputc('\n', e->fp);
		free(s);
		e->dirty = 1;
	}
	json_decref(o);
}

/* base64 of the payload, as Suricata's "payload" field */
static json_t *
b64(const uint8_t *d, size_t n)
{
	static const char t[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t olen = (n + 2) / 3 * 4;
	char *o = malloc(olen + 1);
	size_t i, j = 0;
	json_t *r;

	if (o == NULL)
		return json_null();
	for (i = 0; i + 2 < n; i += 3) {
		uint32_t v =
		    (uint32_t)d[i] << 16 | (uint32_t)d[i + 1] << 8 | d[i + 2];

		o[j++] = t[v >> 18];
		o[j++] = t[(v >> 12) & 63];
		o[j++] = t[(v >> 6) & 63];
		o[j++] = t[v & 63];
	}
	if (i < n) {
		uint32_t v = (uint32_t)d[i] << 16 |
		    (i + 1 < n ? (uint32_t)d[i + 1] << 8 : 0);

		o[j++] = t[v >> 18];
		o[j++] = t[(v >> 12) & 63];
		o[j++] = i + 1 < n ? t[(v >> 6) & 63] : '=';
		o[j++] = '=';
	}
	o[j] = '\0';
	r = json_string(o);
	free(o);
	return r;
}

/* Printable form of the payload (Suricata's payload_printable). */
static json_t *
printable(const uint8_t *d, size_t n)
{
	char *o = malloc(n + 1);
	json_t *r;

	if (o == NULL)
		return json_null();
	for (size_t i = 0; i < n; i++)
		o[i] = (d[i] >= 0x20 && d[i] < 0x7f) || d[i] == '\n' ||
			d[i] == '\r' || d[i] == '\t' ?
		    (char)d[i] :
		    '.';
	o[n] = '\0';
	r = json_string(o);
	free(o);
	return r;
}

/* Suricata's "http" object of an alert: the request's fields, and the
 * response's once it has been seen. */
static json_t *
http_obj(const struct sensor_http *h)
{
	json_t *o = json_object();

	if (h->hostname[0] != '\0')
		json_object_set_new(o, "hostname", jstr(h->hostname));
	json_object_set_new(o, "url", jstr(h->url));
	if (h->user_agent[0] != '\0')
		json_object_set_new(o, "http_user_agent", jstr(h->user_agent));
	if (h->content_type[0] != '\0')
		json_object_set_new(
		    o, "http_content_type", jstr(h->content_type));
	json_object_set_new(o, "http_method", jstr(h->method));
	if (h->protocol[0] != '\0')
		json_object_set_new(o, "protocol", jstr(h->protocol));
	if (h->have_response) {
		json_object_set_new(o, "status", json_integer(h->status));
		if (h->length >= 0)
			json_object_set_new(
			    o, "length", json_integer((json_int_t)h->length));
	}
	return o;
}

void
eve_alert(struct eve *e, const struct sensor_alert *a)
{
	json_t *o = json_object(), *al = json_object();
	char ts[64], ip[ADDR_STRLEN];

	fmt_ts(a->ts_us, ts, sizeof(ts));
	json_object_set_new(o, "timestamp", json_string(ts));
	json_object_set_new(o, "flow_id", json_integer((json_int_t)a->flow_id));
	if (a->pcap_cnt)
		json_object_set_new(
		    o, "pcap_cnt", json_integer((json_int_t)a->pcap_cnt));
	if (a->iface != NULL)
		json_object_set_new(o, "in_iface", json_string(a->iface));
	json_object_set_new(o, "event_type", json_string("alert"));
	sensor_fmt_addr(&a->src, ip, sizeof(ip));
	json_object_set_new(o, "src_ip", json_string(ip));
	json_object_set_new(o, "src_port", json_integer(a->sport));
	sensor_fmt_addr(&a->dst, ip, sizeof(ip));
	json_object_set_new(o, "dest_ip", json_string(ip));
	json_object_set_new(o, "dest_port", json_integer(a->dport));
	set_proto(o, a->proto);
	if (a->app_proto != NULL)
		json_object_set_new(o, "app_proto", json_string(a->app_proto));
	if (a->src_tier != NULL) {
		json_object_set_new(o, "src_dantai", jstr(a->src_dantai));
		json_object_set_new(o, "src_tier", jstr(a->src_tier));
		json_object_set_new(o, "dest_dantai", jstr(a->dst_dantai));
		json_object_set_new(o, "dest_tier", jstr(a->dst_tier));
	}
	json_object_set_new(o, "direction",
	    json_string(a->to_server ? "to_server" : "to_client"));
	json_object_set_new(al, "action", json_string(a->action));
	json_object_set_new(al, "gid", json_integer(a->gid));
	json_object_set_new(al, "signature_id", json_integer(a->sid));
	json_object_set_new(al, "rev", json_integer(a->rev));
	json_object_set_new(al, "signature", jstr(a->msg));
	json_object_set_new(al, "category", jstr(a->classtype));
	json_object_set_new(al, "severity", json_integer(a->severity));
	json_object_set_new(o, "alert", al);
	if (a->http != NULL)
		json_object_set_new(o, "http", http_obj(a->http));
	json_object_set_new(o, "payload", b64(a->payload, a->plen));
	json_object_set_new(
	    o, "payload_printable", printable(a->payload, a->plen));
	write_line(e, o);
}

void
eve_flow(struct eve *e, const struct sensor *s, const struct flow *f)
{
	json_t *o = json_object(), *fl = json_object(), *tcp;
	char ts[64], ip[ADDR_STRLEN], flags[16];
	static const char *const reasons[] = { "timeout", "forced",
		"shutdown" };
	int n;

	fmt_ts(f->last_us, ts, sizeof(ts));
	json_object_set_new(o, "timestamp", json_string(ts));
	json_object_set_new(o, "flow_id", json_integer((json_int_t)f->id));
	if (s->cfg.iface != NULL)
		json_object_set_new(o, "in_iface", json_string(s->cfg.iface));
	json_object_set_new(o, "event_type", json_string("flow"));
	sensor_fmt_addr(&f->addr[0], ip, sizeof(ip));
	json_object_set_new(o, "src_ip", json_string(ip));
	json_object_set_new(o, "src_port", json_integer(f->port[0]));
	sensor_fmt_addr(&f->addr[1], ip, sizeof(ip));
	json_object_set_new(o, "dest_ip", json_string(ip));
	json_object_set_new(o, "dest_port", json_integer(f->port[1]));
	set_proto(o, f->proto);
	if (f->app_proto != APP_UNKNOWN && f->app_proto != APP_FAILED)
		json_object_set_new(
		    o, "app_proto", json_string(app_proto_name(f->app_proto)));
	json_object_set_new(
	    fl, "pkts_toserver", json_integer((json_int_t)f->pkts[0]));
	json_object_set_new(
	    fl, "pkts_toclient", json_integer((json_int_t)f->pkts[1]));
	json_object_set_new(
	    fl, "bytes_toserver", json_integer((json_int_t)f->bytes[0]));
	json_object_set_new(
	    fl, "bytes_toclient", json_integer((json_int_t)f->bytes[1]));
	fmt_ts(f->first_us, ts, sizeof(ts));
	json_object_set_new(fl, "start", json_string(ts));
	fmt_ts(f->last_us, ts, sizeof(ts));
	json_object_set_new(fl, "end", json_string(ts));
	json_object_set_new(fl, "age",
	    json_integer((json_int_t)((f->last_us - f->first_us) / 1000000)));
	json_object_set_new(fl, "reason",
	    json_string(reasons[f->end_reason < 3 ? f->end_reason : 2]));
	if (f->tagged) {
		for (int d = 0; d < 2; d++) {
			json_object_set_new(fl,
			    d ? "dest_dantai" : "src_dantai",
			    json_string(f->muni[d] ? f->muni[d]->code : ""));
			json_object_set_new(fl, d ? "dest_tier" : "src_tier",
			    json_string(policy_tier_short(f->tier[d])));
		}
	}
	json_object_set_new(o, "flow", fl);
	if (f->proto == 6) {
		uint8_t all = f->flags_seen[0] | f->flags_seen[1];

		tcp = json_object();
		n = snprintf(flags, sizeof(flags), "%02x", all);
		(void)n;
		json_object_set_new(tcp, "tcp_flags", json_string(flags));
		snprintf(flags, sizeof(flags), "%02x", f->flags_seen[0]);
		json_object_set_new(tcp, "tcp_flags_ts", json_string(flags));
		snprintf(flags, sizeof(flags), "%02x", f->flags_seen[1]);
		json_object_set_new(tcp, "tcp_flags_tc", json_string(flags));
		json_object_set_new(tcp, "syn", json_boolean(all & TH_SYN));
		json_object_set_new(tcp, "fin", json_boolean(all & TH_FIN));
		json_object_set_new(tcp, "rst", json_boolean(all & TH_RST));
		json_object_set_new(tcp, "psh", json_boolean(all & TH_PUSH));
		json_object_set_new(tcp, "ack", json_boolean(all & TH_ACK));
		json_object_set_new(o, "tcp", tcp);
	}
	write_line(e, o);
}
