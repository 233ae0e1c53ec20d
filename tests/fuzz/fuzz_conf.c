/*
 * fuzz_conf.c — the configuration grammar on arbitrary bytes: it must never
 * crash, leak or loop, whatever it is fed.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "common/conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct conf *c =
	    conf_parse_string("fuzz.conf", (const char *)data, len);

	(void)conf_root(c);
	conf_free(c);
	return 0;
}
