/*
 * content.c — the values of content and pcre: quoted strings with |hex|
 * runs and \-escapes, and "/regex/flags" (quoted or, as Suricata allows,
 * bare) turned into PCRE2 options, the buffer they inspect (U is
 * http.uri) and the Hyperscan flags that mean the same.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "rules/rules_int.h"

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* val is the text after the '!' (if any): "..." with escapes. */
int
rule_unescape_content(
    struct parse_ctx *ctx, const char *val, uint8_t **out, size_t *outlen)
{
	size_t n = strlen(val), len = 0;
	uint8_t *b;
	int inhex = 0, half = -1;

	if (n < 2 || val[0] != '"' || val[n - 1] != '"')
		return rule_fail(
		    ctx, RULE_REJ_BAD_VALUE, "content must be a quoted string");
	b = xmalloc(n);
	for (size_t i = 1; i + 1 < n; i++) {
		int c = (unsigned char)val[i];

		if (inhex) {
			int h;

			if (c == '|') {
				if (half != -1)
					goto badhex;
				inhex = 0;
				continue;
			}
			if (c == ' ')
				continue;
			if ((h = hexval(c)) < 0)
				goto badhex;
			if (half == -1)
				half = h;
			else {
				b[len++] = (uint8_t)(half << 4 | h);
				half = -1;
			}
			continue;
		}
		if (c == '|') {
			inhex = 1;
			continue;
		}
		if (c == '\\' && i + 2 < n) {
			c = (unsigned char)val[++i];
		} else if (c == '"') {
			free(b);
			return rule_fail(ctx, RULE_REJ_BAD_VALUE,
			    "unescaped '\"' inside content");
		}
		b[len++] = (uint8_t)c;
	}
	if (inhex)
		goto badhex;
	if (len == 0) {
		free(b);
		return rule_fail(ctx, RULE_REJ_BAD_VALUE, "empty content");
	}
	*out = b;
	*outlen = len;
	return 0;
badhex:
	free(b);
	return rule_fail(ctx, RULE_REJ_BAD_VALUE, "bad |hex| in content");
}

/*
 * pcre:"/re/flags" or pcre:/re/flags or pcre:!"/re/flags".  The caller
 * handled the '!'.  Flags: i s m x (PCRE2), A (anchored), E (dollar at end
 * only), G (ungreedy), R (relative), U (http.uri), O (raise limits;
 * ignored), B (raw bytes; ignored), P (body; refused).
 */
int
rule_parse_pcre(struct parse_ctx *ctx, struct rule_elem *e, const char *val)
{
	size_t n = strlen(val);
	const char *start, *end, *f;

	if (n >= 2 && val[0] == '"' && val[n - 1] == '"') {
		val++;
		n -= 2;
	}
	if (n < 2 || val[0] != '/')
		return rule_fail(ctx, RULE_REJ_BAD_VALUE,
		    "pcre must look like \"/regex/flags\"");
	start = val + 1;
	end = NULL;
	for (size_t i = n; i > 1; i--)
		if (val[i - 1] == '/') {
			end = val + i - 1;
			break;
		}
	if (end == NULL || end < start)
		return rule_fail(
		    ctx, RULE_REJ_BAD_VALUE, "pcre has no closing '/'");
	e->re_src = xstrndup(start, (size_t)(end - start));
	for (f = end + 1; f < val + n; f++) {
		switch (*f) {
		case 'i':
			e->re_opts |= PCRE2_CASELESS;
			e->hs_flags |= HS_FLAG_CASELESS;
			break;
		case 's':
			e->re_opts |= PCRE2_DOTALL;
			e->hs_flags |= HS_FLAG_DOTALL;
			break;
		case 'm':
			e->re_opts |= PCRE2_MULTILINE;
			e->hs_flags |= HS_FLAG_MULTILINE;
			break;
		case 'x':
			e->re_opts |= PCRE2_EXTENDED;
			break;
		case 'A':
			e->re_opts |= PCRE2_ANCHORED;
			break;
		case 'E':
			e->re_opts |= PCRE2_DOLLAR_ENDONLY;
			break;
		case 'G':
			e->re_opts |= PCRE2_UNGREEDY;
			break;
		case 'R':
			e->flags |= ELEM_RELATIVE;
			break;
		case 'U':
			e->buf = RULE_BUF_HTTP_URI;
			break;
		case 'O':
		case 'B':
			break;
		case ' ':
			break;
		default:
			return rule_fail(ctx, RULE_REJ_UNSUPPORTED,
			    "pcre flag '%c' not supported", *f);
		}
	}
	return rule_pcre_compile(ctx, e);
}

int
rule_pcre_compile(struct parse_ctx *ctx, struct rule_elem *e)
{
	int err;
	PCRE2_SIZE off;
	char msg[128];

	e->re = pcre2_compile((PCRE2_SPTR)e->re_src, PCRE2_ZERO_TERMINATED,
	    e->re_opts, &err, &off, NULL);
	if (e->re == NULL) {
		pcre2_get_error_message(err, (PCRE2_UCHAR *)msg, sizeof(msg));
		return rule_fail(ctx, RULE_REJ_BAD_PCRE,
		    "pcre at offset %zu: %s", (size_t)off, msg);
	}
	/* JIT is an optimisation: without it the interpreter is used. */
	(void)pcre2_jit_compile(e->re, PCRE2_JIT_COMPLETE);
	return 0;
}
