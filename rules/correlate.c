/*
 * correlate.c — state across log messages: threshold (limit, threshold,
 * both; by_src, by_dst, by_both, by_username), Sagan's after, xbits
 * (set/unset/isset/isnotset with expiry) and alert grouping by (sid, 団体,
 * src, dst).  One hash table of entries, each on an LRU list; when the
 * table is full the least recently used entry is evicted and counted.
 * State is keyed by gid:sid, so it survives a rule reload.  Windows run on
 * the message's receive time, as Sagan's do.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules_int.h"

#define CORR_DEFAULT_MAX (256 * 1024) /* about 50 MB at most */
#define US 1000000LL

enum ckind { CK_THRESHOLD = 1, CK_AFTER, CK_XBIT, CK_GROUP };

struct ckey { /* a multiple of 8 bytes, zero-filled */
	uint8_t kind;
	uint8_t track;
	uint8_t pad[2];
	uint32_t gid, sid;
	struct addr a, b;
	char name[64]; /* xbit name or username */
	char dantai[8];
	uint8_t pad2[4];
};
_Static_assert(sizeof(struct ckey) % 8 == 0, "ckey hashes by words");

struct centry {
	struct ckey key;
	uint64_t hash;
	struct centry *hnext;
	struct centry *lprev, *lnext; /* LRU: head is most recent */
	uint64_t count;
	int64_t start_us, first_us, last_us, expire_us;
	int64_t gap_us; /* after ... regular: the run's interval */
	int fired; /* threshold both: fired in this window */
	uint64_t *users; /* after ... distinct username: hashes seen */
	size_t nusers;
};

struct correlator {
	pthread_mutex_t mu;
	struct centry **tab;
	size_t tabsz, n, max;
	struct centry *head, *tail;
	struct correlator_stats st;
};

struct correlator *
correlator_new(const struct correlator_limits *lim)
{
	struct correlator *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->max = lim != NULL && lim->max_entries > 0 ? lim->max_entries :
						       CORR_DEFAULT_MAX;
	c->tabsz = 1024;
	while (c->tabsz < c->max && c->tabsz < (1u << 22))
		c->tabsz <<= 1;
	c->tab = calloc(c->tabsz, sizeof(*c->tab));
	if (c->tab == NULL) {
		free(c);
		return NULL;
	}
	pthread_mutex_init(&c->mu, NULL);
	return c;
}

void
correlator_free(struct correlator *c)
{
	struct centry *e, *next;

	if (c == NULL)
		return;
	for (e = c->head; e != NULL; e = next) {
		next = e->lnext;
		free(e->users);
		free(e);
	}
	free(c->tab);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

void
correlator_get_stats(struct correlator *c, struct correlator_stats *st)
{
	pthread_mutex_lock(&c->mu);
	*st = c->st;
	st->entries = c->n;
	pthread_mutex_unlock(&c->mu);
}

/* Keys are zero-filled structs: hash them a word at a time. */
static uint64_t
hash_key(const struct ckey *k)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL, w;
	const unsigned char *p = (const unsigned char *)k;

	for (size_t i = 0; i + 8 <= sizeof(*k); i += 8) {
		memcpy(&w, p + i, 8);
		h ^= w;
		h *= 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	return h;
}

static void
lru_unlink(struct correlator *c, struct centry *e)
{
	if (e->lprev != NULL)
		e->lprev->lnext = e->lnext;
	else
		c->head = e->lnext;
	if (e->lnext != NULL)
		e->lnext->lprev = e->lprev;
	else
		c->tail = e->lprev;
	e->lprev = e->lnext = NULL;
}

static void
lru_front(struct correlator *c, struct centry *e)
{
	e->lnext = c->head;
	e->lprev = NULL;
	if (c->head != NULL)
		c->head->lprev = e;
	c->head = e;
	if (c->tail == NULL)
		c->tail = e;
}

static void
remove_entry(struct correlator *c, struct centry *e)
{
	struct centry **pp = &c->tab[e->hash & (c->tabsz - 1)];

	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
	lru_unlink(c, e);
	c->n--;
	free(e->users);
	free(e);
}

static struct centry *
lookup(struct correlator *c, const struct ckey *k, int create)
{
	uint64_t h = hash_key(k);
	struct centry *e;

	for (e = c->tab[h & (c->tabsz - 1)]; e != NULL; e = e->hnext)
		if (e->hash == h && memcmp(&e->key, k, sizeof(*k)) == 0) {
			lru_unlink(c, e);
			lru_front(c, e);
			return e;
		}
	if (!create)
		return NULL;
	if (c->n >= c->max && c->tail != NULL) {
		remove_entry(c, c->tail);
		c->st.evicted++;
	}
	if ((e = calloc(1, sizeof(*e))) == NULL) {
		c->st.evicted++; /* could not keep state: counted as lost */
		return NULL;
	}
	e->key = *k;
	e->hash = h;
	e->hnext = c->tab[h & (c->tabsz - 1)];
	c->tab[h & (c->tabsz - 1)] = e;
	lru_front(c, e);
	c->n++;
	return e;
}

static void
set_name(char *dst, size_t n, const char *s)
{
	size_t l = s != NULL ? strlen(s) : 0;

	if (l >= n)
		l = n - 1;
	if (l > 0)
		memcpy(dst, s, l);
	dst[l] = '\0';
}

static void
track_key(struct ckey *k, int track, const struct rule_hit *h)
{
	switch (track) {
	case TRACK_SRC:
		k->a = h->src;
		break;
	case TRACK_DST:
		k->a = h->dst;
		break;
	case TRACK_BOTH:
		k->a = h->src;
		k->b = h->dst;
		break;
	case TRACK_USER:
		set_name(k->name, sizeof(k->name), h->username);
		break;
	default:
		break;
	}
	k->track = (uint8_t)track;
}

/* Count a user name once per window; at most `count` are remembered. */
static int
distinct_user(struct centry *e, const struct rule *r, const struct rule_hit *h)
{
	uint64_t uh = 1469598103934665603ULL;
	const char *u = h->username != NULL ? h->username : "";

	for (; *u != '\0'; u++)
		uh = (uh ^ (uint8_t)*u) * 1099511628211ULL;
	for (size_t i = 0; i < e->nusers; i++)
		if (e->users[i] == uh)
			return e->count > r->after.count;
	if (e->nusers <= r->after.count) {
		uint64_t *n = realloc(e->users, (e->nusers + 1) * sizeof(*n));

		if (n == NULL)
			return e->count > r->after.count;
		e->users = n;
		e->users[e->nusers++] = uh;
	}
	e->count++;
	return e->count > r->after.count;
}

#define BEAT_US (2 * US) /* closer matches are one beat of a beacon */

/*
 * after ... regular P: count a match only if it keeps the run's interval
 * (within P percent of the first gap).  Matches closer than BEAT_US to
 * the last counted one belong to the same beat and neither count nor
 * break the run; a gap off the beat starts a new run of two from the
 * previous match.  A browser's bursts and a user's irregular visits never
 * build a run; a timer does.
 */
static int
after_regular(struct centry *e, const struct rule *r, int64_t now)
{
	int64_t gap, dev;

	if (e->count == 0) {
		e->count = 1;
		e->last_us = now;
		e->gap_us = 0;
		return e->count > r->after.count;
	}
	gap = now - e->last_us;
	if (gap < BEAT_US)
		return 0;
	if (e->gap_us == 0) {
		e->gap_us = gap;
		e->count++;
	} else {
		dev = gap > e->gap_us ? gap - e->gap_us : e->gap_us - gap;
		if (dev * 100 <= e->gap_us * (int64_t)r->after.regular) {
			e->count++;
		} else {
			e->start_us = e->last_us;
			e->gap_us = gap;
			e->count = 2;
		}
	}
	e->last_us = now;
	return e->count > r->after.count;
}

/*
 * after: fire on every match past the first `count` within `seconds` of
 * the first one (Sagan 1.2: "after count 5" fires from the 6th).
 */
static int
check_after(struct correlator *c, const struct rule *r,
    const struct rule_hit *h, int64_t now)
{
	struct ckey k;
	struct centry *e;

	memset(&k, 0, sizeof(k));
	k.kind = CK_AFTER;
	k.gid = r->gid;
	k.sid = r->sid;
	track_key(&k, r->after.track, h);
	if ((e = lookup(c, &k, 1)) == NULL)
		return 1;
	if (e->count == 0 ||
	    now - e->start_us > (int64_t)r->after.seconds * US) {
		e->count = 0;
		e->nusers = 0;
		e->start_us = now;
	}
	if (r->after.distinct_user)
		return distinct_user(e, r, h);
	if (r->after.regular)
		return after_regular(e, r, now);
	if (r->after.sum_key[0] != '\0') {
		e->count = h->amount > UINT64_MAX - e->count ?
		    UINT64_MAX :
		    e->count + h->amount;
		return e->count > r->after.count;
	}
	e->count++;
	return e->count > r->after.count;
}

static int
check_threshold(struct correlator *c, const struct rule *r,
    const struct rule_hit *h, int64_t now)
{
	struct ckey k;
	struct centry *e;
	const struct rule_threshold *t = &r->threshold;

	memset(&k, 0, sizeof(k));
	k.kind = CK_THRESHOLD;
	k.gid = r->gid;
	k.sid = r->sid;
	track_key(&k, t->track, h);
	if ((e = lookup(c, &k, 1)) == NULL)
		return 1;
	if (e->count == 0 || now - e->start_us >= (int64_t)t->seconds * US) {
		e->count = 0;
		e->fired = 0;
		e->start_us = now;
	}
	e->count++;
	switch (t->type) {
	case THR_LIMIT:
		return e->count <= t->count;
	case THR_THRESHOLD:
		if (e->count >= t->count) {
			e->count = 0; /* every count-th, window restarts */
			return 1;
		}
		return 0;
	default: /* both: once per window, after count */
		if (e->count >= t->count && !e->fired) {
			e->fired = 1;
			return 1;
		}
		return 0;
	}
}

static void
xbit_key(struct ckey *k, const char *name, int track, const struct addr *a,
    const struct addr *b)
{
	memset(k, 0, sizeof(*k));
	k->kind = CK_XBIT;
	k->track = (uint8_t)track;
	set_name(k->name, sizeof(k->name), name);
	if (a != NULL)
		k->a = *a;
	if (b != NULL)
		k->b = *b;
}

static int
xbit_isset(struct correlator *c, const char *name, int track,
    const struct rule_hit *h, int64_t now)
{
	struct ckey k;
	struct centry *e;

	if (track == TRACK_SRC)
		xbit_key(&k, name, TRACK_SRC, &h->src, NULL);
	else if (track == TRACK_DST)
		xbit_key(&k, name, TRACK_DST, &h->dst, NULL);
	else
		xbit_key(&k, name, TRACK_BOTH, &h->src, &h->dst);
	if ((e = lookup(c, &k, 0)) == NULL)
		return 0;
	if (e->expire_us < now) {
		remove_entry(c, e);
		return 0;
	}
	return 1;
}

static void
xbit_set(struct correlator *c, const char *name, const struct rule_hit *h,
    int64_t expire)
{
	struct ckey k[3];
	struct centry *e;

	/* Sagan's set remembers both addresses; keep one entry per way it
	 * can be asked about. */
	xbit_key(&k[0], name, TRACK_SRC, &h->src, NULL);
	xbit_key(&k[1], name, TRACK_DST, &h->dst, NULL);
	xbit_key(&k[2], name, TRACK_BOTH, &h->src, &h->dst);
	for (int i = 0; i < 3; i++)
		if ((e = lookup(c, &k[i], 1)) != NULL)
			e->expire_us = expire;
	c->st.xbits_set++;
}

static void
xbit_unset(
    struct correlator *c, const char *name, int track, const struct rule_hit *h)
{
	struct ckey k;
	struct centry *e;

	if (track == TRACK_SRC)
		xbit_key(&k, name, TRACK_SRC, &h->src, NULL);
	else if (track == TRACK_DST)
		xbit_key(&k, name, TRACK_DST, &h->dst, NULL);
	else
		xbit_key(&k, name, TRACK_BOTH, &h->src, &h->dst);
	if ((e = lookup(c, &k, 0)) != NULL)
		remove_entry(c, e);
}

static int
xbits_conditions(struct correlator *c, const struct rule *r,
    const struct rule_hit *h, int64_t now)
{
	for (size_t i = 0; i < r->nxbits; i++) {
		const struct rule_xbit *x = &r->xbits[i];
		int any = 0, all = 1;

		if (x->op != XB_ISSET && x->op != XB_ISNOTSET)
			continue;
		for (size_t j = 0; j < x->nnames; j++) {
			int s = xbit_isset(c, x->names[j], x->track, h, now);

			any |= s;
			all &= s;
		}
		if (x->op == XB_ISSET && !(x->any ? any : all))
			return 0;
		if (x->op == XB_ISNOTSET && (x->any ? all : any))
			return 0;
	}
	return 1;
}

static void
xbits_actions(struct correlator *c, const struct rule *r,
    const struct rule_hit *h, int64_t now)
{
	for (size_t i = 0; i < r->nxbits; i++) {
		const struct rule_xbit *x = &r->xbits[i];

		for (size_t j = 0; j < x->nnames; j++) {
			if (x->op == XB_SET)
				xbit_set(c, x->names[j], h,
				    now + (int64_t)x->expire * US);
			else if (x->op == XB_UNSET)
				xbit_unset(c, x->names[j], x->track, h);
		}
	}
}

static void
group(struct correlator *c, const struct rule *r, struct rule_hit *h,
    const char *dantai, int64_t now)
{
	struct ckey k;
	struct centry *e;

	memset(&k, 0, sizeof(k));
	k.kind = CK_GROUP;
	k.gid = r->gid;
	k.sid = r->sid;
	k.a = h->src;
	k.b = h->dst;
	set_name(k.dantai, sizeof(k.dantai), dantai);
	if ((e = lookup(c, &k, 1)) == NULL) {
		h->group_count = 1;
		h->group_first_us = h->group_last_us = now;
		h->group_new = 1;
		return;
	}
	if (e->count == 0)
		e->first_us = now;
	e->count++;
	e->last_us = now;
	h->group_count = e->count;
	h->group_first_us = e->first_us;
	h->group_last_us = e->last_us;
	h->group_new = e->count == 1;
}

/*
 * Decide whether a matched log rule fires: xbit conditions, after, xbit
 * actions, threshold, then grouping.  Returns 1 to fire.
 */
int
correlator_decide(struct correlator *c, const struct rule *r,
    struct rule_hit *h, const char *dantai, int64_t now)
{
	int fire = 1;

	pthread_mutex_lock(&c->mu);
	if (r->nxbits > 0 && !xbits_conditions(c, r, h, now)) {
		pthread_mutex_unlock(&c->mu);
		return 0;
	}
	if (r->after.type != THR_NONE && !check_after(c, r, h, now))
		fire = 0;
	if (fire && r->nxbits > 0)
		xbits_actions(c, r, h, now);
	if (fire && r->threshold.type != THR_NONE &&
	    !check_threshold(c, r, h, now))
		fire = 0;
	if (fire)
		group(c, r, h, dantai, now);
	else
		c->st.suppressed++;
	pthread_mutex_unlock(&c->mu);
	return fire;
}
