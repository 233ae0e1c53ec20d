/*
 * fuzz_web_escape.c — the web view's escapers on arbitrary bytes.
 * web_esc_html must yield valid UTF-8 with no markup characters and no
 * control bytes but tab and newline; web_esc_url only unreserved
 * characters and %XX; web_hexdump only escaped printable text.  Any
 * violation aborts.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "web/web_int.h"

static int
utf8_ok(const uint8_t *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint8_t c = s[i];
		size_t n = c < 0x80    ? 1 :
		    (c & 0xe0) == 0xc0 ? 2 :
		    (c & 0xf0) == 0xe0 ? 3 :
		    (c & 0xf8) == 0xf0 ? 4 :
					 0;

		if (n == 0 || i + n > len)
			return 0;
		for (size_t k = 1; k < n; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
		i += n;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf b;

	buf_init(&b, size * 8 + 64);
	web_esc_html(&b, (const char *)data, size);
	for (size_t i = 0; i < b.len; i++) {
		uint8_t c = b.data ? b.data[i] : 0;

		if (c == '<' || c == '>' || c == '"' || c == '\'' || c == '`' ||
		    (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
			abort();
	}
	if (!utf8_ok(b.data, b.len))
		abort();
	buf_reset(&b);
	web_esc_url(&b, (const char *)data, size);
	for (size_t i = 0; i < b.len; i++)
		if (!strchr(
			"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			"0123456789-_.~%",
			b.data[i]) ||
		    b.data[i] == '\0')
			abort();
	buf_reset(&b);
	web_hexdump(&b, data, size);
	for (size_t i = 0; i < b.len; i++)
		if (b.data[i] == '<' || b.data[i] == '>' || b.data[i] > 0x7e)
			abort();
	buf_free(&b);
	return 0;
}
