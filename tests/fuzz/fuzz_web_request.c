/*
 * fuzz_web_request.c — what the web view parses from a request line
 * before any handler runs: the route table match (integer and name
 * segments) and the inbox filters from a query string.  Input: a path,
 * a newline, a query string.  A matched route must yield an id in range
 * and a name of allowed characters; filters must come back in range or be
 * refused.  Any violation aborts.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include <event2/http.h>

#include "web/web_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int methods[] = { EVHTTP_REQ_GET, EVHTTP_REQ_POST };
	struct store_web_filter f;
	struct web_req r;
	char *s, *q;
	int known;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	q = strchr(s, '\n');
	if (q != NULL)
		*q++ = '\0';
	for (int m = 0; m < 2; m++) {
		const struct web_route *rt;

		memset(&r, 0, sizeof(r));
		rt = web_route_find(&r, s, methods[m], &known);
		if (rt != NULL &&
		    (r.id < 0 || r.id > 999999999999999LL ||
			strspn(r.name,
			    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN"
			    "OPQRSTUVWXYZ0123456789._-@") != strlen(r.name) ||
			r.name[0] == '.'))
			abort();
		if (rt != NULL && !known)
			abort();
	}
	memset(&r, 0, sizeof(r));
	TAILQ_INIT(&r.query);
	if (q != NULL && evhttp_parse_query_str(q, &r.query) == 0 &&
	    web_filter_from_query(&r, &f) == 0) {
		if (f.severity < 0 || f.severity > 5 || f.sid < 0 ||
		    f.limit < 1 || f.limit > 500 || f.after_id < 0 ||
		    (f.q != NULL && strlen(f.q) > 200))
			abort();
	}
	evhttp_clear_headers(&r.query);
	free(s);
	return 0;
}
