/*
 * policy_int.h — what the files of policies/ share: the layout of a built
 * policy and the matrix table.  Nothing outside policies/ includes this.
 */
#ifndef SC_POLICY_INT_H
#define SC_POLICY_INT_H

#include <stdatomic.h>

#include "policies/policy.h"

/* A resolved cell of the flow matrix. */
struct pcell {
	enum policy_cell cell;
	unsigned gw; /* mask of enum policy_gw_kind */
	const char *use_case; /* when violated */
	int sev; /* when violated */
	const char *note; /* static text of the cell */
};

/* Static matrix, DOMAIN.md §C.2: fills m[model][from][to] for tiers
 * M..NET (UNKNOWN rows are left zero). */
void policy_matrix_fill(
    struct pcell m[POLICY_MODEL_COUNT][POLICY_TIER_COUNT][POLICY_TIER_COUNT]);

#define PTAG_NONE UINT32_MAX

/* What one prefix of the tag set stands for. */
struct ptag {
	uint32_t muni; /* index or PTAG_NONE */
	uint32_t source;
	uint32_t gw;
	enum policy_tier tier;
};

/* A 団体's extra settings (not in the public struct). */
struct pmuni_ext {
	struct policy_retention ret; /* 0 fields: inherit */
};

struct policy {
	atomic_int refs;
	char *path;
	char *pref_name;
	char pref_code[7];
	enum policy_model default_model;

	struct policy_muni *munis;
	struct pmuni_ext *munix;
	size_t nmunis;
	struct policy_source *sources;
	size_t nsources;
	struct policy_gateway *gws;
	size_t ngws;
	struct policy_exception *excs;
	size_t nexcs;
	struct policy_route *routes;
	size_t nroutes;
	struct policy_retention ret;
	/* notify-options */
	int64_t nopt_queue, nopt_attempts;
	int64_t nopt_backoff_s, nopt_backoff_max_s, nopt_timeout_s;

	/* Tagging: prefix -> index into tags. */
	struct cidrset *set;
	struct ptag *tags;
	size_t ntags;

	struct pcell matrix[POLICY_MODEL_COUNT][POLICY_TIER_COUNT]
			   [POLICY_TIER_COUNT];
	/* "αモデル L→I: " + note, per cell, owned. */
	char *cell_text[POLICY_MODEL_COUNT][POLICY_TIER_COUNT]
		       [POLICY_TIER_COUNT];

	/* Strings the declarations point to, freed with the policy. */
	char **strs;
	size_t nstrs, capstrs;
};

/* Keep a copy of s owned by the policy and return it. */
const char *policy_strdup(struct policy *, const char *s);

/* The tier of an address not declared in the policy: UNKNOWN for private
 * and reserved space, NET otherwise. */
enum policy_tier policy_undeclared_tier(const struct addr *);

struct conf;
/* Build a policy from a parsed conf tree; NULL if the tree or the policy
 * has errors (printed when print is set).  The conf is not freed. */
struct policy *policy_from_conf(struct conf *, const char *path, int print);

#endif
