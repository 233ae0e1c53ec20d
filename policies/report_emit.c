/*
 * report_emit.c — HTML / CSV / JSON writers for report sections.
 *
 * HTML: a standalone Japanese page with an A4 print stylesheet (tables do
 * not split rows across pages, headers repeat); every string is escaped
 * (& < > " ').  CSV: UTF-8 with a BOM (Excel opens it as UTF-8), CRLF,
 * RFC 4180 quoting; each row starts with its section id so one file holds
 * the whole report; a formula-looking cell (= + - @) gets a leading quote
 * so a spreadsheet never evaluates log text.  JSON: one object, sections
 * as arrays of objects keyed by column id, times as RFC 3339 UTC.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/timeutil.h"
#include "policies/report_emit.h"

static void
put(struct emit *e, const char *s)
{
	if (buf_puts(e->out, s) != 0)
		e->err = 1;
}

static void
html_esc(struct emit *e, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		switch (*s) {
		case '&':
			put(e, "&amp;");
			break;
		case '<':
			put(e, "&lt;");
			break;
		case '>':
			put(e, "&gt;");
			break;
		case '"':
			put(e, "&quot;");
			break;
		case '\'':
			put(e, "&#39;");
			break;
		default:
			if (buf_putc(e->out, (unsigned char)*s) != 0)
				e->err = 1;
		}
	}
}

static void
csv_field(struct emit *e, const char *s)
{
	/* "-" alone (no value) and negative numbers are not formulas */
	int formula = s != NULL && s[0] != '\0' &&
	    (strchr("=+@\t", s[0]) != NULL ||
		(s[0] == '-' && s[1] != '\0' && (s[1] < '0' || s[1] > '9')));
	int quote = formula || (s != NULL && strpbrk(s, ",\"\r\n") != NULL);

	if (s == NULL)
		return;
	if (!quote) {
		put(e, s);
		return;
	}
	put(e, "\"");
	if (formula)
		put(e, "'");
	for (; *s != '\0'; s++) {
		if (*s == '"')
			put(e, "\"\"");
		else if (buf_putc(e->out, (unsigned char)*s) != 0)
			e->err = 1;
	}
	put(e, "\"");
}

/* Text form of a cell for HTML and CSV. */
static void
cell_text(const struct emit *e, const struct cell *c, char *out, size_t len)
{
	char w[64];

	switch (c->type) {
	case CELL_STR:
		snprintf(out, len, "%s", c->s ? c->s : "");
		break;
	case CELL_INT:
		snprintf(out, len, "%lld", (long long)c->i);
		break;
	case CELL_TIME:
		if (c->i == 0) {
			snprintf(out, len, "-");
			break;
		}
		time_fmt_jst(c->i, out, len);
		if (e->wareki && e->fmt == REPORT_HTML &&
		    time_fmt_wareki(c->i, w, sizeof(w)) > 0) {
			size_t n = strlen(out);

			snprintf(out + n, len - n, " (%s)", w);
		}
		break;
	case CELL_DUR:
		if (c->i < 0)
			snprintf(out, len, "-");
		else if (e->fmt == REPORT_CSV)
			snprintf(out, len, "%lld", (long long)c->i);
		else if (c->i >= 86400)
			snprintf(out, len, "%lld日%lld時間",
			    (long long)(c->i / 86400),
			    (long long)(c->i % 86400 / 3600));
		else if (c->i >= 3600)
			snprintf(out, len, "%lld時間%lld分",
			    (long long)(c->i / 3600),
			    (long long)(c->i % 3600 / 60));
		else
			snprintf(out, len, "%lld分%lld秒",
			    (long long)(c->i / 60), (long long)(c->i % 60));
		break;
	case CELL_PCT:
		if (c->d < 0)
			snprintf(out, len, "-");
		else
			snprintf(out, len, "%.1f%%", c->d);
		break;
	case CELL_NUM:
		snprintf(out, len, "%.3f", c->d);
		break;
	}
}

static json_t *
cell_json(const struct cell *c)
{
	char ts[40];

	switch (c->type) {
	case CELL_STR:
		/* jansson wants UTF-8: bytes that are not become null */
		return c->s ? json_string(c->s) : json_null();
	case CELL_INT:
		return json_integer(c->i);
	case CELL_TIME:
		if (c->i == 0)
			return json_null();
		time_fmt_rfc3339(c->i, ts, sizeof(ts));
		return json_string(ts);
	case CELL_DUR:
		return c->i < 0 ? json_null() : json_integer(c->i);
	case CELL_PCT:
		return c->d < 0 ? json_null() : json_real(c->d);
	case CELL_NUM:
		return json_real(c->d);
	}
	return json_null();
}

static const char html_head[] =
    "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<style>\n"
    "@page { size: A4; margin: 15mm 12mm; }\n"
    "body { font-family: \"Noto Sans CJK JP\", \"IPAexGothic\", sans-serif;"
    " font-size: 10pt; color: #000; }\n"
    "h1 { font-size: 16pt; text-align: center; }\n"
    "h2 { font-size: 12pt; border-bottom: 1px solid #000;"
    " page-break-after: avoid; margin-top: 1.2em; }\n"
    "table { border-collapse: collapse; width: 100%; margin: 0.4em 0; }\n"
    "th, td { border: 1px solid #555; padding: 2px 4px; vertical-align: top;"
    " word-break: break-all; }\n"
    "th { background: #eee; text-align: left; }\n"
    "thead { display: table-header-group; }\n"
    "tr { page-break-inside: avoid; }\n"
    ".note { font-size: 9pt; }\n"
    ".sign { height: 3em; width: 8em; }\n"
    "@media print { a { color: #000; text-decoration: none; } }\n"
    "</style>\n";

void
emit_begin(struct emit *e, enum report_format fmt, int wareki, struct buf *out,
    const char *title_ja, const char *kind)
{
	memset(e, 0, sizeof(*e));
	e->fmt = fmt;
	e->wareki = wareki;
	e->out = out;
	switch (fmt) {
	case REPORT_HTML:
		put(e, html_head);
		put(e, "<title>");
		html_esc(e, title_ja);
		put(e, "</title>\n</head>\n<body>\n<h1>");
		html_esc(e, title_ja);
		put(e, "</h1>\n");
		break;
	case REPORT_CSV:
		put(e, "\xef\xbb\xbf"); /* BOM */
		put(e, "section,field,value,...\r\n");
		break;
	case REPORT_JSON:
		e->root = json_object();
		json_object_set_new(e->root, "report", json_string(kind));
		break;
	}
}

void
emit_kv(struct emit *e, const char *sec_id, const char *title_ja,
    const struct col *keys, const struct cell *vals, size_t n)
{
	char t[256];
	json_t *o = NULL;
	size_t i;

	if (e->fmt == REPORT_HTML) {
		put(e, "<h2>");
		html_esc(e, title_ja);
		put(e, "</h2>\n<table>\n");
	} else if (e->fmt == REPORT_JSON) {
		o = json_object();
		json_object_set_new(e->root, sec_id, o);
	}
	for (i = 0; i < n; i++) {
		switch (e->fmt) {
		case REPORT_HTML:
			cell_text(e, &vals[i], t, sizeof(t));
			put(e, "<tr><th style=\"width:30%\">");
			html_esc(e, keys[i].ja);
			put(e, "</th><td>");
			html_esc(e, t);
			put(e, "</td></tr>\n");
			break;
		case REPORT_CSV:
			cell_text(e, &vals[i], t, sizeof(t));
			csv_field(e, sec_id);
			put(e, ",");
			csv_field(e, keys[i].id);
			put(e, ",");
			csv_field(e, t);
			put(e, "\r\n");
			break;
		case REPORT_JSON:
			json_object_set_new(o, keys[i].id, cell_json(&vals[i]));
			break;
		}
	}
	if (e->fmt == REPORT_HTML)
		put(e, "</table>\n");
}

void
emit_table(struct emit *e, const char *sec_id, const char *title_ja,
    const struct col *cols, size_t ncols)
{
	size_t i;

	e->sec_id = sec_id;
	e->cols = cols;
	e->ncols = ncols;
	switch (e->fmt) {
	case REPORT_HTML:
		put(e, "<h2>");
		html_esc(e, title_ja);
		put(e, "</h2>\n<table>\n<thead><tr>");
		for (i = 0; i < ncols; i++) {
			put(e, "<th>");
			html_esc(e, cols[i].ja);
			put(e, "</th>");
		}
		put(e, "</tr></thead>\n<tbody>\n");
		break;
	case REPORT_CSV:
		csv_field(e, sec_id);
		for (i = 0; i < ncols; i++) {
			put(e, ",");
			csv_field(e, cols[i].id);
		}
		put(e, "\r\n");
		break;
	case REPORT_JSON:
		e->cur = json_array();
		json_object_set_new(e->root, sec_id, e->cur);
		break;
	}
}

void
emit_row(struct emit *e, const struct cell *cells)
{
	char t[1024];
	json_t *o;
	size_t i;

	switch (e->fmt) {
	case REPORT_HTML:
		put(e, "<tr>");
		for (i = 0; i < e->ncols; i++) {
			cell_text(e, &cells[i], t, sizeof(t));
			put(e, "<td>");
			html_esc(e, t);
			put(e, "</td>");
		}
		put(e, "</tr>\n");
		break;
	case REPORT_CSV:
		csv_field(e, e->sec_id);
		for (i = 0; i < e->ncols; i++) {
			cell_text(e, &cells[i], t, sizeof(t));
			put(e, ",");
			csv_field(e, t);
		}
		put(e, "\r\n");
		break;
	case REPORT_JSON:
		o = json_object();
		for (i = 0; i < e->ncols; i++)
			json_object_set_new(
			    o, e->cols[i].id, cell_json(&cells[i]));
		json_array_append_new(e->cur, o);
		break;
	}
}

void
emit_table_end(struct emit *e, size_t nrows, const char *empty_ja)
{
	char span[32];

	if (e->fmt != REPORT_HTML)
		return;
	if (nrows == 0) {
		snprintf(
		    span, sizeof(span), "<tr><td colspan=\"%zu\">", e->ncols);
		put(e, span);
		html_esc(e, empty_ja);
		put(e, "</td></tr>\n");
	}
	put(e, "</tbody>\n</table>\n");
}

void
emit_note(struct emit *e, const char *text)
{
	if (text == NULL)
		return;
	switch (e->fmt) {
	case REPORT_HTML:
		put(e, "<p class=\"note\">");
		html_esc(e, text);
		put(e, "</p>\n");
		break;
	case REPORT_CSV:
		put(e, "note,");
		csv_field(e, text);
		put(e, "\r\n");
		break;
	case REPORT_JSON:
		json_object_set_new(e->root, "note", json_string(text));
		break;
	}
}

int
emit_end(struct emit *e)
{
	char *s;

	switch (e->fmt) {
	case REPORT_HTML:
		put(e, "</body>\n</html>\n");
		break;
	case REPORT_CSV:
		break;
	case REPORT_JSON:
		s = json_dumps(e->root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
		json_decref(e->root);
		e->root = NULL;
		if (s == NULL)
			return -1;
		put(e, s);
		put(e, "\n");
		free(s);
		break;
	}
	return e->err ? -1 : 0;
}
