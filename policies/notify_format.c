/*
 * notify_format.c — what a notification says on the wire: the JSON body of
 * the webhook and the RFC 5424 line of the syslog channel.
 */
#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/timeutil.h"
#include "policies/policy.h"

char *
notify_format_json(
    const struct notify_msg *m, const char *muni_name, uint64_t id)
{
	char ts[40], jst[40];
	json_t *o;
	char *s;

	time_fmt_rfc3339(m->ts_us, ts, sizeof(ts));
	time_fmt_jst_sec(m->ts_us, jst, sizeof(jst));
	o = json_pack("{s:I, s:s, s:s, s:i, s:s, s:s, s:{s:s, s:s}, s:s, "
		      "s:s, s:I, s:I}",
	    "id", (json_int_t)id, "time", ts, "time_jst", jst, "severity",
	    m->severity, "severity_ja", policy_severity_jp(m->severity),
	    "severity_en", policy_severity_en(m->severity), "municipality",
	    "code", m->muni_code ? m->muni_code : "", "name",
	    muni_name ? muni_name : "", "use_case",
	    m->use_case ? m->use_case : "", "summary",
	    m->summary ? m->summary : "", "group_id", (json_int_t)m->group_id,
	    "alert_id", (json_int_t)m->alert_id);
	if (o == NULL)
		return NULL;
	if (m->sid != 0)
		json_object_set_new(o, "rule",
		    json_pack("{s:I, s:I, s:I}", "gid", (json_int_t)m->gid,
			"sid", (json_int_t)m->sid, "rev", (json_int_t)m->rev));
	json_object_set_new(
	    o, "group_state", json_string(m->reopened ? "reopened" : "new"));
	if (m->detail != NULL)
		json_object_set_new(o, "detail", json_string(m->detail));
	/* jansson refuses invalid UTF-8 in json_string: a log-derived detail
	 * that is not UTF-8 is left out rather than failing the message. */
	s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return s;
}

/* RFC 5424 §6.3.3: in PARAM-VALUE escape '"', '\' and ']'. */
static size_t
sd_escape(const char *in, char *out, size_t len)
{
	size_t n = 0;

	for (; in != NULL && *in != '\0' && n + 2 < len; in++) {
		if (*in == '"' || *in == '\\' || *in == ']')
			out[n++] = '\\';
		out[n++] = *in;
	}
	out[n] = '\0';
	return n;
}

size_t
notify_format_syslog(
    const struct notify_msg *m, const char *hostname, char *out, size_t len)
{
	/* S1..S5 -> crit, err, warning, notice, info; facility local0 */
	static const int level[6] = { 6, 2, 3, 4, 5, 6 };
	char ts[40], uc[64], summary[512];
	int sev = m->severity >= 1 && m->severity <= 5 ? m->severity : 5;
	int r;

	time_fmt_rfc3339(m->ts_us, ts, sizeof(ts));
	sd_escape(m->use_case, uc, sizeof(uc));
	/* the MSG part is free text; keep it on one line */
	snprintf(summary, sizeof(summary), "%s", m->summary ? m->summary : "");
	for (char *p = summary; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	r = snprintf(out, len,
	    "<%d>1 %s %s seccloud - NOTIFY [seccloud@32473 muni=\"%s\" "
	    "sev=\"S%d\" usecase=\"%s\" group=\"%lld\"] %s",
	    16 * 8 + level[sev], ts, hostname && *hostname ? hostname : "-",
	    m->muni_code && *m->muni_code ? m->muni_code : "-", sev, uc,
	    (long long)m->group_id, summary);
	return r < 0 ? 0 : (size_t)r;
}
