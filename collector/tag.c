/*
 * tag.c — tagging: the sender's address gives the event its 団体, tier
 * and source.  The one place that knows where source definitions come
 * from: until policies/policy.h is on main it reads a minimal list in the
 * conf grammar,
 *
 *   source 10.1.2.3 { muni 281000; tier I; name fw1; type firewall;
 *                     interval 15m }
 *
 * and swapping to policy_tag() changes only this file.  A tagger is
 * immutable once loaded; reload builds a new one and swaps the pointer.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/collector_int.h"
#include "common/conf.h"
#include "common/xmalloc.h"

struct tagger {
	struct tag_source *src;
	size_t n;
	struct cidrset *set;
};

static int
kw_muni(struct conf *c, const struct conf_node *n, void *ctx)
{
	struct tag_source *s = ctx;
	const char *v = n->args[0];

	if (strlen(v) != 6 || strspn(v, "0123456789") != 6) {
		conf_error_at(c, n, "muni: want a 6-digit 団体コード");
		return -1;
	}
	memcpy(s->muni, v, 7);
	return 0;
}

static int
kw_tier(struct conf *c, const struct conf_node *n, void *ctx)
{
	struct tag_source *s = ctx;

	if (sc_tier_parse(n->args[0], &s->tier) != 0) {
		conf_error_at(c, n, "tier: unknown tier %s", n->args[0]);
		return -1;
	}
	return 0;
}

static int
kw_name(struct conf *c, const struct conf_node *n, void *ctx)
{
	struct tag_source *s = ctx;

	(void)c;
	snprintf(s->name, sizeof(s->name), "%s", n->args[0]);
	return 0;
}

static int
kw_type(struct conf *c, const struct conf_node *n, void *ctx)
{
	struct tag_source *s = ctx;

	(void)c;
	snprintf(s->type, sizeof(s->type), "%s", n->args[0]);
	return 0;
}

static int
kw_interval(struct conf *c, const struct conf_node *n, void *ctx)
{
	struct tag_source *s = ctx;

	return conf_arg_duration(c, n, 0, &s->interval_s);
}

static const struct conf_keyword source_kw[] = { { "muni", 1, 1, CONF_BLOCK_NO,
						     1, kw_muni },
	{ "municipality", 1, 1, CONF_BLOCK_NO, 1, kw_muni },
	{ "tier", 1, 1, CONF_BLOCK_NO, 1, kw_tier },
	{ "name", 1, 1, CONF_BLOCK_NO, 1, kw_name },
	{ "type", 1, 1, CONF_BLOCK_NO, 1, kw_type },
	{ "interval", 1, 1, CONF_BLOCK_NO, 1, kw_interval },
	{ NULL, 0, 0, 0, 0, NULL } };

static int
kw_source(struct conf *c, const struct conf_node *n, void *ctx)
{
	struct tagger *t = ctx;
	struct tag_source s;

	memset(&s, 0, sizeof(s));
	if (addr_parse_cidr(n->args[0], &s.addr, &s.plen) != 0) {
		conf_error_at(c, n, "source: bad address %s", n->args[0]);
		return -1;
	}
	if (conf_walk(c, n->child, source_kw, &s) != 0)
		return -1;
	t->src = xreallocarray(t->src, t->n + 1, sizeof(*t->src));
	t->src[t->n++] = s;
	return 0;
}

static int
kw_ignore(struct conf *c, const struct conf_node *n, void *ctx)
{
	(void)c;
	(void)n;
	(void)ctx;
	return 0;
}

static const struct conf_keyword top_kw[] = { { "source", 1, 1, CONF_BLOCK_YES,
						  0, kw_source },
	/* the rest of a policy file is the policy module's business */
	{ "prefecture", 0, -1, CONF_BLOCK_OPT, 0, kw_ignore },
	{ "municipality", 0, -1, CONF_BLOCK_OPT, 0, kw_ignore },
	{ NULL, 0, 0, 0, 0, NULL } };

struct tagger *
tagger_load(const char *path, char *err, size_t errlen)
{
	struct tagger *t = xcalloc(1, sizeof(*t));
	struct conf *c = NULL;

	if (path != NULL) {
		if ((c = conf_parse_file(path)) == NULL) {
			snprintf(err, errlen, "%s: cannot open", path);
			goto fail;
		}
		conf_walk(c, conf_root(c), top_kw, t);
		if (conf_nerrors(c) > 0) {
			snprintf(err, errlen, "%s", conf_error(c, 0));
			goto fail;
		}
		conf_free(c);
		c = NULL;
	}
	t->set = cidrset_new();
	for (size_t i = 0; i < t->n; i++) {
		/* addr_parse_cidr gives the family's own prefix length */
		cidrset_add(
		    t->set, &t->src[i].addr, t->src[i].plen, (uint32_t)i);
	}
	if (cidrset_build(t->set) != 0) {
		snprintf(err, errlen, "tagger: cannot build address set");
		goto fail;
	}
	return t;
fail:
	conf_free(c);
	tagger_free(t);
	return NULL;
}

void
tagger_free(struct tagger *t)
{
	if (t == NULL)
		return;
	cidrset_free(t->set);
	free(t->src);
	free(t);
}

const struct tag_source *
tagger_lookup(const struct tagger *t, const struct addr *a)
{
	uint32_t v;

	if (t == NULL || t->n == 0 || !cidrset_lookup(t->set, a, &v, NULL))
		return NULL;
	return &t->src[v];
}

size_t
tagger_count(const struct tagger *t)
{
	return t == NULL ? 0 : t->n;
}

const struct tag_source *
tagger_at(const struct tagger *t, size_t i)
{
	return &t->src[i];
}

void
tag_event(const struct tagger *t, struct sc_event *ev)
{
	const struct tag_source *s = tagger_lookup(t, &ev->peer);

	if (s == NULL) {
		ev->muni[0] = '\0';
		ev->tier = SC_TIER_UNKNOWN;
		ev->flags |= SC_EV_UNKNOWN_SOURCE;
		return;
	}
	memcpy(ev->muni, s->muni, SC_MUNI_LEN);
	ev->tier = s->tier;
}
