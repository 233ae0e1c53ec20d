/*
 * fuzz_policy.c — the policy loader on arbitrary text: conf parse, keyword
 * walk, cross checks and the tag-set build must never crash or leak,
 * whatever the file says.  Errors are collected, not printed.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "common/conf.h"
#include "policies/policy_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf *cf = conf_parse_string("fuzz", (const char *)data, size);
	struct policy *p;
	struct policy_verdict v;
	struct addr a, b;

	if (cf == NULL)
		return 0;
	p = policy_from_conf(cf, "fuzz", 0);
	if (p != NULL) {
		addr_parse("10.1.16.5", &a);
		addr_parse("198.51.100.7", &b);
		policy_eval_flow(p, &a, 1, &b, 443, 6, 0, &v);
		policy_unref(p);
	}
	conf_free(cf);
	return 0;
}
