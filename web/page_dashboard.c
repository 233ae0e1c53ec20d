/*
 * page_dashboard.c — alerts per day per 団体 and per severity over the last
 * 14 JST days, and the top rules, drawn as SVG on the server.  Labels come
 * from the store (rule messages, 団体 names) and go through web_html like
 * everything else; the SVG is inline markup with no script.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "common/timeutil.h"
#include "web/web_int.h"

#define DAYS 14
#define SERIES_MAX 7 /* six 団体 and "other" */
#define CHART_W 720
#define CHART_H 220

struct series {
	char key[16];
	char label[96];
	int64_t v[DAYS];
	int64_t total;
};

static const char *const palette[] = { "#c62828", "#ef6c00", "#f9a825",
	"#2e7d32", "#1565c0", "#6a1b9a", "#757575" };

static void
day_label(int64_t day, char *out, size_t len)
{
	int y, m, d;

	time_civil_from_days(day, &y, &m, &d);
	snprintf(out, len, "%02d-%02d", m, d);
}

static void
stacked_chart(struct web_req *r, const char *id, const char *title,
    int64_t day0, struct series *s, int ns)
{
	struct buf *b = &r->out;
	int64_t max = 1;
	double bw = (double)(CHART_W - 60) / DAYS;
	char lab[16];

	for (int d = 0; d < DAYS; d++) {
		int64_t t = 0;

		for (int k = 0; k < ns; k++)
			t += s[k].v[d];
		if (t > max)
			max = t;
	}
	web_html(b,
	    "<figure class=\"chart\"><figcaption>%s</figcaption>"
	    "<svg id=\"%s\" viewBox=\"0 0 %d %d\" role=\"img\" "
	    "aria-label=\"%s\" xmlns=\"http://www.w3.org/2000/svg\">"
	    "<text x=\"0\" y=\"12\" class=\"axis\">%D</text>"
	    "<line x1=\"50\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>",
	    title, id, CHART_W, CHART_H + 40, title, max, CHART_H, CHART_W,
	    CHART_H);
	for (int d = 0; d < DAYS; d++) {
		double y = CHART_H, x = 55 + d * bw;

		for (int k = 0; k < ns; k++) {
			double h =
			    (double)s[k].v[d] * (CHART_H - 10) / (double)max;
			char geo[128];

			if (s[k].v[d] == 0)
				continue;
			y -= h;
			snprintf(geo, sizeof(geo),
			    "x=\"%.1f\" y=\"%.1f\" "
			    "width=\"%.1f\" height=\"%.1f\"",
			    x, y, bw * 0.8, h);
			web_html(b,
			    "<rect %r fill=\"%r\"><title>%s: %D</title>"
			    "</rect>",
			    geo, palette[k % SERIES_MAX], s[k].label,
			    s[k].v[d]);
		}
		day_label(day0 + d, lab, sizeof(lab));
		web_html(b, "<text x=\"%d\" y=\"%d\" class=\"axis\">%s</text>",
		    (int)x, CHART_H + 16, lab);
	}
	web_html(b, "</svg><ul class=\"legend\">");
	for (int k = 0; k < ns; k++)
		web_html(b, "<li><span class=\"sw c%d\"></span>%s (%D)</li>",
		    k % SERIES_MAX, s[k].label, s[k].total);
	web_html(b, "</ul></figure>");
}

/* Fold rows {day, KEY, n} into series, the biggest first, rest "other". */
static int
fold(const json_t *rows, const char *keycol, int64_t day0, struct series *s,
    int max)
{
	struct series all[64];
	int n = 0, out;
	size_t i;
	json_t *row;

	memset(all, 0, sizeof(all));
	json_array_foreach(rows, i, row)
	{
		char key[16];
		int64_t d = ji(row, "day") - day0, k;

		if (strcmp(keycol, "severity") == 0)
			snprintf(key, sizeof(key), "%lld",
			    (long long)ji(row, keycol));
		else
			snprintf(key, sizeof(key), "%s", js(row, keycol));
		for (k = 0; k < n; k++)
			if (strcmp(all[k].key, key) == 0)
				break;
		if (k == n) {
			if (n == (int)(sizeof(all) / sizeof(all[0])))
				k = n - 1;
			else
				snprintf(all[n++].key, sizeof(all[0].key), "%s",
				    key);
		}
		if (d >= 0 && d < DAYS) {
			all[k].v[d] += ji(row, "n");
			all[k].total += ji(row, "n");
		}
	}
	/* selection sort by total, descending; severities keep order */
	for (int a = 0; a < n && strcmp(keycol, "severity") != 0; a++)
		for (int c = a + 1; c < n; c++)
			if (all[c].total > all[a].total) {
				struct series t = all[a];

				all[a] = all[c];
				all[c] = t;
			}
	if (strcmp(keycol, "severity") == 0)
		for (int a = 0; a < n; a++)
			for (int c = a + 1; c < n; c++)
				if (strcmp(all[c].key, all[a].key) < 0) {
					struct series t = all[a];

					all[a] = all[c];
					all[c] = t;
				}
	out = n < max ? n : max;
	memcpy(s, all, sizeof(*s) * (size_t)out);
	for (int k = max; k < n; k++) {
		snprintf(s[max - 1].key, sizeof(s[0].key), "other");
		for (int d = 0; d < DAYS; d++)
			s[max - 1].v[d] += all[k].v[d];
		s[max - 1].total += all[k].total;
	}
	return out;
}

static void
top_rules(struct web_req *r, const json_t *rows)
{
	struct buf *b = &r->out;
	int64_t max = 1;
	size_t i;
	json_t *x;
	int h = 24 * (int)json_array_size(rows) + 10;

	json_array_foreach(rows, i, x) if (ji(x, "n") > max) max = ji(x, "n");
	web_html(b,
	    "<figure class=\"chart\"><figcaption>%s</figcaption>"
	    "<svg id=\"chart-rules\" viewBox=\"0 0 %d %d\" role=\"img\" "
	    "xmlns=\"http://www.w3.org/2000/svg\">",
	    tr(r, "Top rules"), CHART_W, h);
	json_array_foreach(rows, i, x)
	{
		char label[128], geo[96];
		const char *msg = js(x, "msg");
		size_t n = strlen(msg);

		/* cut long messages on a character boundary */
		if (n > 60) {
			n = 60;
			while (n > 0 && (msg[n] & 0xc0) == 0x80)
				n--;
		}
		snprintf(label, sizeof(label), "%lld %.*s%s",
		    (long long)ji(x, "sid"), (int)n, msg,
		    n < strlen(msg) ? "…" : "");
		snprintf(geo, sizeof(geo),
		    "x=\"360\" y=\"%d\" width=\"%.1f\" "
		    "height=\"18\"",
		    (int)i * 24 + 4,
		    (double)ji(x, "n") * (CHART_W - 420) / (double)max);
		web_html(b,
		    "<text x=\"0\" y=\"%d\" class=\"label\">%s</text>"
		    "<rect %r class=\"bar\"/><text x=\"%d\" y=\"%d\" "
		    "class=\"axis\">%D</text>",
		    (int)i * 24 + 17, label, geo, CHART_W - 50,
		    (int)i * 24 + 17, ji(x, "n"));
	}
	web_html(b, "</svg></figure>");
}

void
page_dashboard(struct web_req *r)
{
	int64_t today = (r->now / TIME_US_PER_SEC + TIME_JST_OFFSET) / 86400;
	int64_t day0 = today - DAYS + 1;
	int64_t from = (day0 * 86400 - TIME_JST_OFFSET) * TIME_US_PER_SEC;
	json_t *d = store_web_dashboard(r->w->st, r->scope, from);
	json_t *munis;
	struct series s[SERIES_MAX];
	int n;

	if (d == NULL) {
		web_error(r, 500, "store error");
		return;
	}
	munis = store_web_munis(r->w->st, r->scope);
	web_page_begin(r, tr(r, "Dashboard"), "dashboard");
	memset(s, 0, sizeof(s));
	n = fold(
	    json_object_get(d, "per_day_muni"), "muni", day0, s, SERIES_MAX);
	for (int k = 0; k < n; k++) {
		const char *name = "";
		size_t i;
		json_t *m;

		json_array_foreach(munis, i,
		    m) if (strcmp(js(m, "code"), s[k].key) == 0) name =
		    js(m, r->en && *js(m, "name_en") ? "name_en" : "name");
		if (snprintf(s[k].label, sizeof(s[k].label), "%s %s", name,
			strcmp(s[k].key, "other") == 0 ? tr(r, "other") :
			    s[k].key[0]		       ? s[k].key :
							 tr(r, "unknown")) >=
		    (int)sizeof(s[k].label))
			s[k].label[sizeof(s[k].label) - 1] = '\0';
	}
	stacked_chart(
	    r, "chart-muni", tr(r, "Alerts per day per 団体"), day0, s, n);
	memset(s, 0, sizeof(s));
	n = fold(json_object_get(d, "per_day_severity"), "severity", day0, s,
	    SERIES_MAX);
	for (int k = 0; k < n; k++)
		snprintf(s[k].label, sizeof(s[k].label), "%s",
		    web_sev_label(r, s[k].key[0] - '0'));
	stacked_chart(
	    r, "chart-sev", tr(r, "Alerts per day per severity"), day0, s, n);
	top_rules(r, json_object_get(d, "top_rules"));
	json_decref(munis);
	json_decref(d);
	web_page_end(r);
	web_send(r, 200, "text/html; charset=utf-8");
}
