/*
 * parse.c — dispatch a received frame to the RFC 5424 or RFC 3164 parser,
 * and the key=value view.  A frame that neither parser accepts is kept
 * whole as the message, flagged unparsed: the caller stores it raw and
 * counts it.
 */
#include "config.h"

#include <string.h>

#include "collector/collector.h"

void
parse_reset(struct sc_event *ev)
{
	ev->ts_us = 0;
	ev->flags &= SC_EV_TRUNCATED;
	ev->pri = ev->facility = ev->severity = -1;
	ev->host = ev->app = ev->procid = ev->msgid = ev->sd = "";
	ev->hostlen = ev->applen = ev->procidlen = ev->msgidlen = 0;
	ev->sdlen = 0;
	ev->msg = (const char *)ev->raw;
	ev->msglen = ev->rawlen;
}

int
parse_syslog(struct sc_event *ev, int tzoff)
{
	const uint8_t *p = ev->raw;
	size_t n = ev->rawlen;

	/* "<PRI>1 " is RFC 5424; anything else is tried as RFC 3164. */
	if (n > 3 && p[0] == '<') {
		size_t i = 1;

		while (i < n && i < 5 && p[i] >= '0' && p[i] <= '9')
			i++;
		if (i + 2 < n && p[i] == '>' && p[i + 1] >= '1' &&
		    p[i + 1] <= '9' && p[i + 2] == ' ' &&
		    parse_rfc5424(ev) == 0)
			return 0;
	}
	if (parse_rfc3164(ev, tzoff) == 0)
		return 0;
	parse_reset(ev);
	ev->flags |= SC_EV_UNPARSED;
	return -1;
}

static int
kv_keychar(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

size_t
kv_parse(const char *s, size_t len, struct sc_kv_view *view)
{
	size_t i = 0;

	view->n = view->dropped = 0;
	while (i < len) {
		size_t k0, k1, v0, v1;

		while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == ','))
			i++;
		if (i >= len)
			break;
		k0 = i;
		while (i < len && kv_keychar((unsigned char)s[i]))
			i++;
		k1 = i;
		if (k1 == k0 || i >= len || s[i] != '=')
			break; /* not key=value: stop, keep what we have */
		i++;
		if (i < len && s[i] == '"') {
			v0 = ++i;
			while (i < len && s[i] != '"') {
				if (s[i] == '\\' && i + 1 < len)
					i++;
				i++;
			}
			v1 = i;
			if (i < len)
				i++;
		} else {
			v0 = i;
			while (i < len && s[i] != ' ' && s[i] != '\t')
				i++;
			v1 = i;
		}
		if (view->n < SC_KV_MAX) {
			struct sc_kv *kv = &view->kv[view->n++];

			kv->key = s + k0;
			kv->keylen = k1 - k0;
			kv->val = s + v0;
			kv->vallen = v1 - v0;
		} else
			view->dropped++;
	}
	return view->n;
}

const char *
kv_get(const struct sc_kv_view *view, const char *key, size_t *len)
{
	size_t kl = strlen(key);

	for (size_t i = 0; i < view->n; i++) {
		const struct sc_kv *kv = &view->kv[i];

		if (kv->keylen == kl && memcmp(kv->key, key, kl) == 0) {
			*len = kv->vallen;
			return kv->val;
		}
	}
	return NULL;
}
