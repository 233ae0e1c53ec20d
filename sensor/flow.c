/*
 * flow.c — the flow table: bounded, hashed on the unordered 5-tuple (plus
 * the inner VLAN id), with an LRU list for timeouts and eviction.
 *
 * A flow's client is the sender of its first packet, except that a SYN-ACK
 * seen first makes its receiver the client.  Each flow ends exactly once,
 * through the end callback (sensor.c emits the flow record and frees its
 * stream and app-layer state); this file then frees the struct.  When the
 * table is full the least recently seen flow is evicted (counted).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sensor/sensor_int.h"

struct flow_table {
	struct flow **bucket;
	uint32_t nbuckets; /* power of two */
	struct flow *lru_head, *lru_tail;
	size_t n;
	uint64_t next_id;
	uint64_t id_step;
	struct flow_limits lim;
	uint64_t *ctr;
	flow_end_fn end;
	void *arg;
};

struct flow_table *
flow_table_new(
    const struct flow_limits *lim, uint64_t *ctr, flow_end_fn end, void *arg)
{
	struct flow_table *ft = calloc(1, sizeof(*ft));
	uint32_t nb = 1024;

	if (ft == NULL)
		return NULL;
	while (nb < lim->max && nb < (1u << 20))
		nb <<= 1;
	ft->bucket = calloc(nb, sizeof(*ft->bucket));
	if (ft->bucket == NULL) {
		free(ft);
		return NULL;
	}
	ft->nbuckets = nb;
	ft->lim = *lim;
	ft->ctr = ctr;
	ft->end = end;
	ft->arg = arg;
	ft->next_id = 1;
	ft->id_step = 1;
	return ft;
}

void
flow_table_set_ids(struct flow_table *ft, uint64_t first, uint64_t step)
{
	ft->next_id = first;
	ft->id_step = step ? step : 1;
}

static uint32_t
mix(const uint8_t *b, size_t n, uint32_t h)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

/* Symmetric: both directions of a flow hash alike. */
static uint32_t
flow_hash(const struct sc_pkt *p, uint16_t vlan)
{
	uint32_t a = mix(p->src.b, 16, 2166136261u);
	uint32_t b = mix(p->dst.b, 16, 2166136261u);

	a = mix((const uint8_t *)&p->sport, 2, a);
	b = mix((const uint8_t *)&p->dport, 2, b);
	return (a ^ b) * 2654435761u + p->proto * 31u + vlan;
}

static void
lru_unlink(struct flow_table *ft, struct flow *f)
{
	if (f->lprev != NULL)
		f->lprev->lnext = f->lnext;
	else
		ft->lru_head = f->lnext;
	if (f->lnext != NULL)
		f->lnext->lprev = f->lprev;
	else
		ft->lru_tail = f->lprev;
	f->lprev = f->lnext = NULL;
}

static void
lru_push(struct flow_table *ft, struct flow *f)
{
	f->lprev = NULL;
	f->lnext = ft->lru_head;
	if (ft->lru_head != NULL)
		ft->lru_head->lprev = f;
	else
		ft->lru_tail = f;
	ft->lru_head = f;
}

static void
flow_end(struct flow_table *ft, struct flow *f, int reason)
{
	struct flow **pp = &ft->bucket[f->hash & (ft->nbuckets - 1)];

	while (*pp != NULL && *pp != f)
		pp = &(*pp)->hnext;
	if (*pp == f)
		*pp = f->hnext;
	lru_unlink(ft, f);
	ft->n--;
	f->end_reason = (uint8_t)reason;
	if (ft->end != NULL)
		ft->end(ft->arg, f);
	free(f);
}

static int64_t
flow_timeout(const struct flow_table *ft, const struct flow *f)
{
	if (f->proto != 6)
		return ft->lim.udp_us;
	if (f->tcp_state >= TCPS_CLOSING)
		return ft->lim.closed_us;
	return f->established ? ft->lim.est_us : ft->lim.new_us;
}

void
flow_expire(struct flow_table *ft, int64_t now_us)
{
	/* The tail is the longest idle; stop at the first one still live
	 * (a later flow with a shorter timeout waits for its lookup or for
	 * the tail to move on). */
	while (ft->lru_tail != NULL &&
	    now_us - ft->lru_tail->last_us > flow_timeout(ft, ft->lru_tail)) {
		ft->ctr[CTR_FLOW_TIMEOUT]++;
		flow_end(ft, ft->lru_tail, FLOW_END_TIMEOUT);
	}
}

static int
same_dir(const struct flow *f, const struct sc_pkt *p, int d)
{
	return f->port[d] == p->sport && f->port[!d] == p->dport &&
	    memcmp(&f->addr[d], &p->src, sizeof(p->src)) == 0 &&
	    memcmp(&f->addr[!d], &p->dst, sizeof(p->dst)) == 0;
}

struct flow *
flow_get(struct flow_table *ft, struct sc_pkt *p)
{
	uint16_t vlan = p->nvlan ? p->vlan[p->nvlan - 1] : 0;
	uint32_t h;
	struct flow *f;
	int client;

	if (p->ipver == 0 || !p->decoded_l4)
		return NULL;
	h = flow_hash(p, vlan);
	for (f = ft->bucket[h & (ft->nbuckets - 1)]; f != NULL; f = f->hnext) {
		if (f->hash != h || f->proto != p->proto || f->vlan != vlan)
			continue;
		if (same_dir(f, p, FLOW_TOSERVER))
			p->dir = FLOW_TOSERVER;
		else if (same_dir(f, p, FLOW_TOCLIENT))
			p->dir = FLOW_TOCLIENT;
		else
			continue;
		if (p->ts_us - f->last_us > flow_timeout(ft, f)) {
			ft->ctr[CTR_FLOW_TIMEOUT]++;
			flow_end(ft, f, FLOW_END_TIMEOUT);
			break; /* start a new one */
		}
		if (p->ts_us > f->last_us)
			f->last_us = p->ts_us;
		lru_unlink(ft, f);
		lru_push(ft, f);
		p->flow = f;
		return f;
	}
	if (ft->n >= ft->lim.max && ft->lru_tail != NULL) {
		ft->ctr[CTR_FLOW_EVICT]++;
		flow_end(ft, ft->lru_tail, FLOW_END_EVICTED);
	}
	f = calloc(1, sizeof(*f));
	if (f == NULL) {
		ft->ctr[CTR_FLOW_NOMEM]++;
		return NULL;
	}
	/* A SYN-ACK seen first comes from the server. */
	client = (p->proto == 6 &&
		     (p->tcp_flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK)) ?
	    FLOW_TOCLIENT :
	    FLOW_TOSERVER;
	f->addr[client] = p->src;
	f->addr[!client] = p->dst;
	f->port[client] = p->sport;
	f->port[!client] = p->dport;
	f->hash = h;
	f->proto = p->proto;
	f->ipver = p->ipver;
	f->vlan = vlan;
	f->id = ft->next_id;
	ft->next_id += ft->id_step;
	f->first_us = f->last_us = p->ts_us;
	f->hnext = ft->bucket[h & (ft->nbuckets - 1)];
	ft->bucket[h & (ft->nbuckets - 1)] = f;
	lru_push(ft, f);
	ft->n++;
	ft->ctr[CTR_FLOW_NEW]++;
	p->dir = (uint8_t)client;
	p->flow = f;
	return f;
}

size_t
flow_count(const struct flow_table *ft)
{
	return ft->n;
}

void
flow_table_free(struct flow_table *ft)
{
	if (ft == NULL)
		return;
	while (ft->lru_tail != NULL)
		flow_end(ft, ft->lru_tail, FLOW_END_SHUTDOWN);
	free(ft->bucket);
	free(ft);
}
