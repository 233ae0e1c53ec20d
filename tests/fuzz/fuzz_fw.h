/*
 * fuzz_fw.h — the body shared by the firewall-parser fuzz targets: copy
 * the input to an exact-size heap buffer (so ASan sees any over-read), parse,
 * and evaluate what came out against a fixed policy.
 */
#ifndef SC_FUZZ_FW_H
#define SC_FUZZ_FW_H

#include <stdlib.h>
#include <string.h>

#include "policies/policy.h"

static const char fuzz_fw_policy[] =
    "prefecture \"県\" { code 240001 }\n"
    "cloud { tier SC 10.200.0.0/16\n gateway proxy px 10.200.1.10 }\n"
    "municipality \"市\" { code 242012; type city\n"
    " tier M 10.1.0.0/20\n tier L 10.1.16.0/20\n tier I 10.1.32.0/20\n"
    " gateway sanitiser s 10.1.32.20 }\n"
    "exception \"E\" { owner o; expires 2026-01-01; from 10.1.16.0/24 }\n";

static struct policy *fuzz_fw_p;

static void
fuzz_fw_free(void)
{
	policy_unref(fuzz_fw_p);
}

static int
fuzz_fw_one(int (*fn)(const char *, size_t, struct fw_flow *),
    const uint8_t *data, size_t size)
{
	struct fw_flow f;
	struct policy_verdict v;
	char *copy, line[512];

	if (fuzz_fw_p == NULL) {
		fuzz_fw_p = policy_load_string(
		    "fuzz.policy", fuzz_fw_policy, sizeof(fuzz_fw_policy) - 1);
		if (fuzz_fw_p == NULL)
			abort();
		atexit(fuzz_fw_free);
	}
	copy = malloc(size ? size : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	if (fn(copy, size, &f) == 0) {
		policy_eval_fw(fuzz_fw_p, &f, 0, &v);
		policy_verdict_format(&v, &f.src, f.sport, &f.dst, f.dport,
		    f.ipproto, line, sizeof(line));
	}
	free(copy);
	return 0;
}

#endif
