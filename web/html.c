/*
 * html.c — the one way the web view writes markup: web_html(), a small
 * formatter whose %s HTML-escapes its argument (web_esc_html) and whose %u
 * URL-encodes (web_esc_url).  Every byte that came from a log, a user or
 * the store reaches a page through one of them; literal markup lives only
 * in format strings.  Also the page frame (header, navigation, footer).
 *
 * web_esc_html turns & < > " ' ` into entities, so its output is safe in
 * element text and in quoted attributes alike, and shows control bytes and
 * invalid UTF-8 as visible \xNN, so what an attacker sent is displayed, not
 * interpreted, and every page is valid UTF-8.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/event.h"
#include "common/timeutil.h"
#include "web/web_int.h"

static size_t
utf8_seq(const unsigned char *s, size_t len)
{
	unsigned char c = s[0];
	size_t n = c < 0x80    ? 1 :
	    (c & 0xe0) == 0xc0 ? 2 :
	    (c & 0xf0) == 0xe0 ? 3 :
	    (c & 0xf8) == 0xf0 ? 4 :
				 0;

	if (n == 0 || n > len)
		return 0;
	for (size_t k = 1; k < n; k++)
		if ((s[k] & 0xc0) != 0x80)
			return 0;
	if ((n == 2 && c < 0xc2) || (n == 3 && c == 0xe0 && s[1] < 0xa0) ||
	    (n == 3 && c == 0xed && s[1] >= 0xa0) ||
	    (n == 4 &&
		((c == 0xf0 && s[1] < 0x90) || c > 0xf4 ||
		    (c == 0xf4 && s[1] >= 0x90))))
		return 0;
	return n;
}

void
web_esc_html(struct buf *b, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;

	while (i < len) {
		size_t run = i;

		/* copy a run of plain ASCII in one go */
		while (run < len && p[run] >= 0x20 && p[run] < 0x7f &&
		    p[run] != '&' && p[run] != '<' && p[run] != '>' &&
		    p[run] != '"' && p[run] != '\'' && p[run] != '`')
			run++;
		if (run > i) {
			buf_append(b, p + i, run - i);
			i = run;
			continue;
		}
		switch (p[i]) {
		case '&':
			buf_puts(b, "&amp;");
			i++;
			continue;
		case '<':
			buf_puts(b, "&lt;");
			i++;
			continue;
		case '>':
			buf_puts(b, "&gt;");
			i++;
			continue;
		case '"':
			buf_puts(b, "&quot;");
			i++;
			continue;
		case '\'':
			buf_puts(b, "&#39;");
			i++;
			continue;
		case '`':
			buf_puts(b, "&#96;");
			i++;
			continue;
		case '\t':
		case '\n':
			buf_putc(b, p[i]);
			i++;
			continue;
		default:
			break;
		}
		if (p[i] < 0x20 || p[i] == 0x7f ||
		    (n = utf8_seq(p + i, len - i)) == 0) {
			buf_printf(b, "\\x%02x", p[i]);
			i++;
			continue;
		}
		buf_append(b, p + i, n);
		i += n;
	}
}

void
web_esc_url(struct buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~') {
			buf_putc(b, c);
		} else {
			buf_putc(b, '%');
			buf_putc(b, hex[c >> 4]);
			buf_putc(b, hex[c & 15]);
		}
	}
}

void
web_html(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	const char *s, *lit;
	char tmp[48];

	va_start(ap, fmt);
	while (*fmt) {
		for (lit = fmt; *fmt && *fmt != '%'; fmt++)
			;
		buf_append(b, lit, (size_t)(fmt - lit));
		if (*fmt == '\0')
			break;
		switch (fmt[1]) {
		case 's':
			if ((s = va_arg(ap, const char *)) != NULL)
				web_esc_html(b, s, strlen(s));
			break;
		case 'S': {
			s = va_arg(ap, const char *);
			size_t n = va_arg(ap, size_t);

			if (s != NULL)
				web_esc_html(b, s, n);
			break;
		}
		case 'd':
			buf_printf(b, "%d", va_arg(ap, int));
			break;
		case 'D':
			buf_printf(b, "%lld", (long long)va_arg(ap, int64_t));
			break;
		case 'u':
			if ((s = va_arg(ap, const char *)) != NULL)
				web_esc_url(b, s, strlen(s));
			break;
		case 't': {
			int64_t us = va_arg(ap, int64_t);

			if (us == 0 || time_fmt_jst(us, tmp, sizeof(tmp)) == 0)
				buf_puts(b, "—");
			else
				buf_puts(b, tmp);
			break;
		}
		case 'r':
			buf_puts(b, va_arg(ap, const char *));
			break;
		case '%':
			buf_putc(b, '%');
			break;
		default:
			/* A bad format is a bug in this program: stop here
			 * rather than misread the argument list. */
			va_end(ap);
			return;
		}
		fmt += 2;
	}
	va_end(ap);
}

void
web_hexdump(struct buf *b, const uint8_t *p, size_t len)
{
	char line[80];

	for (size_t off = 0; off < len; off += 16) {
		size_t n = len - off < 16 ? len - off : 16, k = 0;

		k += (size_t)snprintf(
		    line + k, sizeof(line) - k, "%08zx  ", off);
		for (size_t i = 0; i < 16; i++)
			k += (size_t)snprintf(line + k, sizeof(line) - k,
			    i < n ? "%02x " : "   ", i < n ? p[off + i] : 0);
		buf_append(b, line, k);
		buf_putc(b, ' ');
		for (size_t i = 0; i < n; i++) {
			uint8_t c = p[off + i];
			char ch = c >= 0x20 && c < 0x7f ? (char)c : '.';

			web_esc_html(b, &ch, 1);
		}
		buf_putc(b, '\n');
	}
}

const char *
js(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

int64_t
ji(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (json_is_integer(v))
		return json_integer_value(v);
	if (json_is_real(v))
		return (int64_t)json_real_value(v);
	return 0;
}

const char *
web_sev_class(int sev)
{
	static const char *const cls[] = { "s0", "s1", "s2", "s3", "s4", "s5" };

	return sev >= 1 && sev <= 5 ? cls[sev] : cls[0];
}

const char *
web_sev_label(struct web_req *r, int sev)
{
	static const char *const en[] = { "?", "S1 Critical", "S2 High",
		"S3 Medium", "S4 Low", "S5 Info" };
	static const char *const ja[] = { "?", "S1 緊急", "S2 重要", "S3 警告",
		"S4 注意", "S5 情報" };

	if (sev < 1 || sev > 5)
		sev = 0;
	return r->en ? en[sev] : ja[sev];
}

static const struct {
	const char *path;
	const char *label;
	const char *key;
	int roles;
} nav_items[] = {
	{ "/inbox", "Inbox", "inbox", ROLE_ANY },
	{ "/dashboard", "Dashboard", "dashboard", ROLE_ANY },
	{ "/sources", "Sources", "sources", ROLE_ANY },
	{ "/reports", "Reports", "reports", ROLE_ANY },
	{ "/rules", "Rules", "rules",
	    ROLE_ADMIN | ROLE_ANALYST | ROLE_AUDITOR },
	{ "/users", "Users", "users", ROLE_ADMIN },
	{ "/audit", "Audit log", "audit", ROLE_ADMIN | ROLE_AUDITOR },
};

void
web_page_begin(struct web_req *r, const char *title, const char *nav)
{
	struct buf *b = &r->out;

	web_html(b,
	    "<!DOCTYPE html>\n<html lang=\"%s\"><head>"
	    "<meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width\">"
	    "<meta name=\"csrf-token\" content=\"%s\">"
	    "<title>%s — seccloud</title>"
	    "<link rel=\"stylesheet\" href=\"/static/app.css\">"
	    "<script src=\"/static/app.js\" defer></script>"
	    "</head><body><header><a class=\"brand\" href=\"/inbox\">%s</a>"
	    "<nav>",
	    r->en ? "en" : "ja", r->csrf, title, tr(r, "Security Cloud SOC"));
	for (size_t i = 0;
	     r->role != 0 && i < sizeof(nav_items) / sizeof(nav_items[0]);
	     i++) {
		if (!(nav_items[i].roles & r->role))
			continue;
		web_html(b, "<a href=\"%s\"%r>%s</a>", nav_items[i].path,
		    nav != NULL && strcmp(nav, nav_items[i].key) == 0 ?
			" class=\"active\" aria-current=\"page\"" :
			"",
		    tr(r, nav_items[i].label));
	}
	web_html(b, "</nav><div class=\"who\">");
	if (r->role != 0) {
		web_html(b, "<span class=\"user\">%s (%s%s%s)</span>",
		    r->user.name, tr(r, web_role_name(r->role)),
		    r->scope != NULL ? " " : "", r->scope);
		web_html(b,
		    "<form method=\"post\" action=\"/logout\" "
		    "class=\"inline\"><input type=\"hidden\" name=\"csrf\" "
		    "value=\"%s\"><button type=\"submit\" id=\"logout\">%s"
		    "</button></form>",
		    r->csrf, tr(r, "Log out"));
	}
	web_html(b,
	    "<a class=\"lang\" href=\"?lang=%s\">%s</a></div>"
	    "</header><main><h1>%s</h1>",
	    r->en ? "ja" : "en", r->en ? "日本語" : "English", title);
}

void
web_page_end(struct web_req *r)
{
	web_html(&r->out,
	    "</main><footer>seccloud · %s</footer>"
	    "</body></html>\n",
	    tr(r, "Times in JST"));
}
