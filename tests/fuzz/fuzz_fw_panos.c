/*
 * fuzz_fw_panos.c — fw_parse_panos() on arbitrary bytes: must never crash,
 * read out of bounds or leak; a parsed flow is evaluated against a small
 * policy so the evaluator sees whatever the parser lets through.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "policies/policy.h"
#include "tests/fuzz/fuzz_fw.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_fw_one(fw_parse_panos, data, size);
}
