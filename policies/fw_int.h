/*
 * fw_int.h — helpers shared by the firewall log parsers (fw_*.c).  All of
 * them read length-bounded, non-terminated text and never allocate.
 */
#ifndef SC_FW_INT_H
#define SC_FW_INT_H

#include <stddef.h>
#include <stdint.h>

#include "policies/policy.h"

/* First occurrence of the NUL-terminated needle in h[0..hl), or NULL. */
const char *fw_find(const char *h, size_t hl, const char *needle);

/*
 * The value of `key=` where key starts the message or follows a space:
 * bare up to the next space, or "quoted" (quotes stripped).  Returns 0 and
 * sets *val, *vlen; -1 if absent.
 */
int fw_kv(const char *msg, size_t len, const char *key, const char **val,
    size_t *vlen);

/* Decimal digits only, value <= max. */
int fw_u64(const char *s, size_t len, uint64_t max, uint64_t *out);
int fw_port(const char *s, size_t len, uint16_t *out);
/* "tcp", "TCP", "udp", "icmp", "ICMPv6", or a number. */
int fw_proto(const char *s, size_t len, uint8_t *out);
/* An address from a bounded string. */
int fw_addr(const char *s, size_t len, struct addr *out);

/* "YYYY?MM?DD" and "HH:MM:SS" (any single separator in the date) in the
 * zone tzoff (seconds east of UTC) -> UTC us. */
int fw_datetime(const char *date, size_t dlen, const char *tod, size_t tlen,
    int tzoff, int64_t *us);

/* Case-insensitive equality of a bounded string with a C string. */
int fw_eq(const char *s, size_t len, const char *word);

void fw_flow_init(struct fw_flow *, const char *vendor);

#endif
