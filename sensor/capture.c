/*
 * capture.c — packets in: pcap/pcapng files (pcap_open_offline reads
 * both) and live interfaces (pcap_create + pcap_activate with snaplen,
 * promiscuous mode, kernel buffer size and a BPF filter from the config).
 *
 * pcap_stats() counters are 32-bit and wrap; capture_stats accumulates
 * the differences between successive reads as unsigned 32-bit deltas, so
 * the 64-bit totals stay right across any number of wraps as long as it
 * is polled at least once per 2^32 packets.
 */
#include "config.h"

#include <pcap/pcap.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "sensor/sensor_int.h"
#include "sensor/capture.h"

void
capture_stats_update(
    struct capture_stats *cs, uint32_t recv, uint32_t drop, uint32_t ifdrop)
{
	if (cs->primed) {
		cs->recv += (uint32_t)(recv - cs->last_recv);
		cs->drop += (uint32_t)(drop - cs->last_drop);
		cs->ifdrop += (uint32_t)(ifdrop - cs->last_ifdrop);
	} else {
		cs->recv = recv;
		cs->drop = drop;
		cs->ifdrop = ifdrop;
		cs->primed = 1;
	}
	cs->last_recv = recv;
	cs->last_drop = drop;
	cs->last_ifdrop = ifdrop;
}

struct capture {
	pcap_t *pcap;
	int linktype;
	struct capture_stats stats;
};

static void
one_packet(struct sensor *s, int linktype, const struct pcap_pkthdr *h,
    const uint8_t *data)
{
	struct sc_pkt p;

	if (s->mt != NULL) {
		mt_dispatch(s, linktype, h, data);
		return;
	}
	memset(&p, 0, sizeof(p));
	p.raw = data;
	p.caplen = h->caplen;
	p.wirelen = h->len;
	p.ts_us = (int64_t)h->ts.tv_sec * 1000000 + h->ts.tv_usec;
	p.linktype = linktype;
	sensor_packet(s, &p);
}

/* Read an open capture file to its end and close it. */
static int
read_pcap(
    struct sensor *s, pcap_t *pc, const char *path, char *err, size_t errlen)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int r, lt;

	lt = pcap_datalink(pc);
	while ((r = pcap_next_ex(pc, &h, &data)) == 1 && !s->stop)
		one_packet(s, lt, h, data);
	if (s->mt != NULL) /* pcap's buffer goes with the handle */
		mt_sync(s);
	if (r == PCAP_ERROR) {
		snprintf(err, errlen, "%s: %s", path, pcap_geterr(pc));
		pcap_close(pc);
		return -1;
	}
	pcap_close(pc);
	return 0;
}

int
sensor_read_file(struct sensor *s, const char *path, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *pc = pcap_open_offline(path, ebuf);

	if (pc == NULL) {
		snprintf(err, errlen, "%s: %s", path, ebuf);
		return -1;
	}
	return read_pcap(s, pc, path, err, errlen);
}

struct capture_files {
	pcap_t **pc;
	const char **path;
	size_t n;
};

struct capture_files *
capture_files_open(const char *const *paths, size_t n, char *err, size_t errlen)
{
	struct capture_files *cf = calloc(1, sizeof(*cf));
	char ebuf[PCAP_ERRBUF_SIZE];

	if (cf == NULL || (cf->pc = calloc(n + 1, sizeof(*cf->pc))) == NULL ||
	    (cf->path = calloc(n + 1, sizeof(*cf->path))) == NULL) {
		snprintf(err, errlen, "out of memory");
		capture_files_free(cf);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		ebuf[0] = '\0';
		cf->pc[i] = pcap_open_offline(paths[i], ebuf);
		cf->path[i] = paths[i];
		cf->n = i + 1;
		if (cf->pc[i] == NULL) {
			snprintf(err, errlen, "%s: %s", paths[i], ebuf);
			capture_files_free(cf);
			return NULL;
		}
	}
	return cf;
}

int
capture_files_read(
    struct sensor *s, struct capture_files *cf, char *err, size_t errlen)
{
	int rc = 0;

	for (size_t i = 0; i < cf->n; i++) {
		pcap_t *pc = cf->pc[i];

		cf->pc[i] = NULL;
		if (pc != NULL &&
		    read_pcap(s, pc, cf->path[i], err, errlen) != 0)
			rc = -1;
	}
	return rc;
}

void
capture_files_free(struct capture_files *cf)
{
	if (cf == NULL)
		return;
	for (size_t i = 0; cf->pc != NULL && i < cf->n; i++)
		if (cf->pc[i] != NULL)
			pcap_close(cf->pc[i]);
	free(cf->pc);
	free(cf->path);
	free(cf);
}

int
sensor_live_open(struct sensor *s, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	struct capture *c;
	struct bpf_program prog;

	if (s->cfg.iface == NULL) {
		snprintf(err, errlen, "no interface");
		return -1;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	c->pcap = pcap_create(s->cfg.iface, ebuf);
	if (c->pcap == NULL) {
		snprintf(err, errlen, "%s: %s", s->cfg.iface, ebuf);
		free(c);
		return -1;
	}
	(void)pcap_set_snaplen(c->pcap, s->cfg.snaplen);
	(void)pcap_set_promisc(c->pcap, s->cfg.promisc);
	(void)pcap_set_timeout(c->pcap, 100);
	if (s->cfg.bufsize > 0)
		(void)pcap_set_buffer_size(c->pcap, s->cfg.bufsize);
	if (pcap_activate(c->pcap) < 0) {
		snprintf(
		    err, errlen, "%s: %s", s->cfg.iface, pcap_geterr(c->pcap));
		goto fail;
	}
	if (s->cfg.bpf != NULL) {
		if (pcap_compile(c->pcap, &prog, s->cfg.bpf, 1,
			PCAP_NETMASK_UNKNOWN) != 0) {
			snprintf(err, errlen, "filter \"%s\": %s", s->cfg.bpf,
			    pcap_geterr(c->pcap));
			goto fail;
		}
		if (pcap_setfilter(c->pcap, &prog) != 0) {
			snprintf(
			    err, errlen, "filter: %s", pcap_geterr(c->pcap));
			pcap_freecode(&prog);
			goto fail;
		}
		pcap_freecode(&prog);
	}
	c->linktype = pcap_datalink(c->pcap);
	s->cap = c;
	return 0;
fail:
	pcap_close(c->pcap);
	free(c);
	return -1;
}

static void
live_stats(struct sensor *s)
{
	struct pcap_stat st;

	if (pcap_stats(s->cap->pcap, &st) == 0)
		capture_stats_update(
		    &s->cap->stats, st.ps_recv, st.ps_drop, st.ps_ifdrop);
}

int
sensor_live_run(struct sensor *s, char *err, size_t errlen)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	char ebuf[PCAP_ERRBUF_SIZE];
	int r, fd;
	uint64_t n = 0;

	if (s->cap == NULL) {
		snprintf(err, errlen, "capture not open");
		return -1;
	}
	/* Non-blocking reads and our own poll: with TPACKET_V3 a blocking
	 * read may never time out on an idle interface, and idle is when
	 * flows expire and the workers' partial batches must go. */
	fd = pcap_get_selectable_fd(s->cap->pcap);
	if (fd >= 0 && pcap_setnonblock(s->cap->pcap, 1, ebuf) != 0)
		fd = -1;
	while (!s->stop) {
		r = pcap_next_ex(s->cap->pcap, &h, &data);
		if (r == 1)
			one_packet(s, s->cap->linktype, h, data);
		else if (r == 0 && s->mt != NULL)
			mt_publish(s, 1);
		else if (r == 0)
			flow_expire(s->flows, s->last_ts);
		else if (r == PCAP_ERROR_BREAK)
			break; /* sensor_stop() */
		else {
			snprintf(err, errlen, "%s: %s", s->cfg.iface,
			    pcap_geterr(s->cap->pcap));
			return -1;
		}
		if (++n % 4096 == 0 || r == 0) {
			if (s->mt != NULL && r != 0)
				mt_publish(s, 0);
			live_stats(s);
			sensor_pump_outputs(s);
		}
		if (r == 0 && fd >= 0) {
			struct pollfd pfd = { fd, POLLIN, 0 };

			(void)poll(&pfd, 1, 100);
		}
	}
	live_stats(s);
	return 0;
}

void
sensor_stop(struct sensor *s)
{
	s->stop = 1;
	if (s->cap != NULL)
		pcap_breakloop(s->cap->pcap);
}

void
capture_close(struct sensor *s)
{
	if (s->cap == NULL)
		return;
	pcap_close(s->cap->pcap);
	free(s->cap);
	s->cap = NULL;
}

int
sensor_capture_stats(const struct sensor *s, struct capture_stats *out)
{
	if (s->cap == NULL)
		return -1;
	*out = s->cap->stats;
	return 0;
}
