/*
 * addr.h — IPv4/IPv6 addresses and an immutable CIDR set with
 * longest-prefix match.
 *
 * An address is 16 bytes in network order; IPv4 is kept as the v4-mapped
 * form ::ffff:a.b.c.d so both families share one set, and a /n IPv4 prefix
 * is stored as /(96+n).  Formatting gives back the dotted form.
 *
 * A cidrset is filled with cidrset_add(), frozen with cidrset_build(), and
 * then only read: lookups are lock-free and safe from any thread.  Build
 * flattens the prefixes into sorted disjoint ranges, so a lookup is one
 * binary search (no per-lookup allocation).  To change a set, build a new
 * one and swap the pointer (policy reload does this).
 */
#ifndef SC_ADDR_H
#define SC_ADDR_H

#include <stddef.h>
#include <stdint.h>

struct sockaddr;

struct addr {
	uint8_t b[16];
};

#define ADDR_STRLEN 46 /* INET6_ADDRSTRLEN */

int addr_parse(const char *s, struct addr *); /* 0 or -1 */
/* "10.0.0.0/8", "2001:db8::/32", or a bare address (a host prefix). */
int addr_parse_cidr(const char *s, struct addr *, int *plen);
/* Like addr_parse but over a length-bounded, non-terminated string. */
int addr_parse_n(const char *s, size_t len, struct addr *);
void addr_from_v4(struct addr *, uint32_t host_order);
void addr_from_v6(struct addr *, const uint8_t b[16]);
int addr_from_sockaddr(struct addr *, const struct sockaddr *, uint16_t *port);
int addr_is_v4(const struct addr *);
uint32_t addr_v4(const struct addr *); /* host order; v4 only */
int addr_cmp(const struct addr *, const struct addr *);
/* Writes the text form (dotted quad for v4); returns out. */
char *addr_fmt(const struct addr *, char *out, size_t len);
/* Zero the bits past plen (plen in the 128-bit space). */
void addr_mask(struct addr *, int plen);

struct cidrset;

struct cidrset *cidrset_new(void);
/*
 * Add a prefix with a caller-chosen value (an index into the caller's own
 * tables).  plen is in the family's own terms: 0..32 for IPv4, 0..128 for
 * IPv6.  Adding the same prefix twice keeps the last value.  Returns 0, or
 * -1 after build or on a bad plen.
 */
int cidrset_add(
    struct cidrset *, const struct addr *, int plen, uint32_t value);
int cidrset_build(struct cidrset *);
/* 1 and *value (and *plen if not NULL) on a match, 0 if none. */
int cidrset_lookup(
    const struct cidrset *, const struct addr *, uint32_t *value, int *plen);
size_t cidrset_count(
    const struct cidrset *); /* distinct prefixes (after build) */
void cidrset_free(struct cidrset *);

#endif
