/*
 * output_syslog.c — alerts to the collector as RFC 5424 messages over TCP
 * or TLS, octet-counted (RFC 6587 §3.4.1).  The message format is defined
 * in sensor.h.
 *
 * The packet path never blocks on the collector: messages go into a
 * bounded spool (cfg.spool_max bytes; when full the oldest is dropped and
 * counted) and slog_pump() moves them with non-blocking writes.  A written
 * message stays in the spool until the kernel reports its bytes
 * acknowledged by the peer (SIOCOUTQ); when the connection breaks,
 * everything unacknowledged is sent again on the next connection, which
 * is attempted with exponential backoff (1 s doubling to 60 s).  So a
 * collector restart loses nothing the sensor still holds; at worst a
 * message is delivered twice.
 *
 * Disk spool (cfg.spool_dir set, cfg.spool_disk_max > 0): when the
 * memory spool is full, new messages are appended to
 * DIR/sensor-NAME.spool instead (the frames as sent, "LEN SP MSG"), and
 * while that file holds any, every new message goes there too, so the
 * memory spool always holds the oldest.  As the collector takes messages,
 * the memory spool is refilled from the file, in order; a drained file is
 * truncated.  Unread bytes in the file are capped (spool_disk_max; when
 * full the oldest frame is dropped and counted).  At exit, what the
 * collector has not taken (memory first, then the unread rest of the
 * file) is written to the file, which the next start replays first: a
 * sensor restart loses nothing.  After a crash the file is replayed from
 * its start, so messages already moved to memory may arrive twice.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/sockios.h>

#include "common/log.h"
#include "sensor/sensor_int.h"

#define SLOG_MSG_MAX 8192
#define BACKOFF_MIN_MS 1000
#define BACKOFF_MAX_MS 60000
#define FLUSH_WAIT_MS 5000

struct smsg {
	struct smsg *next;
	size_t len;
	char data[];
};

enum { SL_IDLE, SL_CONNECTING, SL_TLS, SL_UP };

struct slog {
	char *host;
	char *port;
	char *name;
	char hostname[256];
	int use_tls;
	SSL_CTX *ctx;
	SSL *ssl;
	int fd;
	int state;
	int64_t next_try_ms;
	int64_t backoff_ms;
	int try_idx; /* which of the resolved addresses to try next */
	int naddrs;
	struct smsg *head, *tail;
	struct smsg *cursor; /* first message not completely written */
	size_t cursor_off;
	size_t unacked; /* bytes written, not yet known acknowledged */
	uint64_t spooled;
	uint64_t max;
	uint64_t *ctr;
	struct ratelim rl;
	/* disk spool */
	int dfd; /* -1: none */
	char *dpath;
	uint64_t dmax; /* unread bytes at most */
	uint64_t drd; /* frames before it are in memory or delivered */
	uint64_t dend; /* file length */
};

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Append s escaped as an SD-PARAM value (RFC 5424 §6.3.3). */
static size_t
sd_escape(char *out, size_t o, size_t max, const char *s, size_t n)
{
	for (size_t i = 0; i < n && o + 2 < max; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\' || c == ']')
			out[o++] = '\\';
		out[o++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	return o;
}

static size_t put(char *out, size_t o, size_t max, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static size_t
put(char *out, size_t o, size_t max, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o >= max)
		return max;
	va_start(ap, fmt);
	n = vsnprintf(out + o, max - o, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= max - o)
		return max;
	return o + (size_t)n;
}

static size_t
param(char *out, size_t o, size_t max, const char *key, const char *val)
{
	o = put(out, o, max, " %s=\"", key);
	if (o >= max)
		return max;
	o = sd_escape(out, o, max, val, strlen(val));
	return put(out, o, max, "\"");
}

size_t
slog_format(const struct sensor_alert *a, const char *name,
    const char *hostname, char *out, size_t max)
{
	static const char hex[] = "0123456789abcdef";
	char ts[40], src[ADDR_STRLEN], dst[ADDR_STRLEN], num[32];
	size_t o,
	    n = a->plen < SENSOR_EXCERPT_MAX ? a->plen : SENSOR_EXCERPT_MAX;
	int sev = a->severity == 1 ? 2 :
	    a->severity == 2	   ? 3 :
	    a->severity == 3	   ? 4 :
				     5;
	time_t t = (time_t)(a->ts_us / 1000000);
	struct tm tm;
	const char *proto = sensor_proto_name(a->proto);

	gmtime_r(&t, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	sensor_fmt_addr(&a->src, src, sizeof(src));
	sensor_fmt_addr(&a->dst, dst, sizeof(dst));
	o = put(out, 0, max, "<%d>1 %s.%06ldZ %s seccloud-sensor - alert ",
	    20 * 8 + sev, ts, (long)(a->ts_us % 1000000),
	    hostname[0] ? hostname : "-");
	o = put(out, o, max, "[alert@32473");
	o = param(out, o, max, "sensor", name);
	o = put(out, o, max, " sid=\"%u\" gid=\"%u\" rev=\"%u\"", a->sid,
	    a->gid, a->rev);
	o = param(out, o, max, "msg", a->msg ? a->msg : "");
	o = param(out, o, max, "class", a->classtype ? a->classtype : "");
	o = put(out, o, max, " severity=\"%d\"", a->severity);
	if (proto == NULL) {
		snprintf(num, sizeof(num), "%u", a->proto);
		proto = num;
	}
	o = param(out, o, max, "proto", proto);
	if (a->app_proto != NULL)
		o = param(out, o, max, "app_proto", a->app_proto);
	o = put(out, o, max,
	    " src=\"%s\" sport=\"%u\" dst=\"%s\" dport=\"%u\" flow_id=\"%llu\""
	    " pcap_cnt=\"%llu\"",
	    src, a->sport, dst, a->dport, (unsigned long long)a->flow_id,
	    (unsigned long long)a->pcap_cnt);
	if (a->iface != NULL)
		o = param(out, o, max, "iface", a->iface);
	if (a->src_tier != NULL) {
		o = param(out, o, max, "src_dantai", a->src_dantai);
		o = param(out, o, max, "src_tier", a->src_tier);
		o = param(out, o, max, "dst_dantai", a->dst_dantai);
		o = param(out, o, max, "dst_tier", a->dst_tier);
	}
	o = put(out, o, max, " dir=\"%s\"][payload@32473 len=\"%zu\" hex=\"",
	    a->to_server ? "to_server" : "to_client", a->plen);
	for (size_t i = 0; i < n && o + 3 < max; i++) {
		out[o++] = hex[a->payload[i] >> 4];
		out[o++] = hex[a->payload[i] & 15];
	}
	o = put(out, o, max, "\" ascii=\"");
	for (size_t i = 0; i < n && o + 3 < max; i++) {
		char c = (a->payload[i] >= 0x20 && a->payload[i] < 0x7f) ?
		    (char)a->payload[i] :
		    '.';

		o = sd_escape(out, o, max, &c, 1);
	}
	o = put(out, o, max, "\"] sid %u: ", a->sid);
	if (o < max && a->msg != NULL)
		o = sd_escape(out, o, max, a->msg, strlen(a->msg));
	if (o >= max - 1)
		return 0;
	out[o] = '\0';
	return o;
}

static void
spool_drop_head(struct slog *l)
{
	struct smsg *m = l->head;

	l->head = m->next;
	if (l->head == NULL)
		l->tail = NULL;
	l->spooled -= m->len;
	free(m);
}

/* ---- disk spool ------------------------------------------------------ */

static int
disk_pending(const struct slog *l)
{
	return l->dfd >= 0 && l->dend > l->drd;
}

/* The frame at the read offset: its total length, or 0 if the file is
 * broken there (the rest is dropped, logged). */
static size_t
disk_frame(struct slog *l, char *out, size_t outlen)
{
	char hdr[24];
	ssize_t r = pread(l->dfd, hdr, sizeof(hdr), (off_t)l->drd);
	size_t n = 0, i = 0, total;

	while (
	    r > 0 && i < (size_t)r && hdr[i] >= '0' && hdr[i] <= '9' && i < 6)
		n = n * 10 + (size_t)(hdr[i++] - '0');
	total = i + 1 + n;
	if (r <= 0 || i == 0 || i >= (size_t)r || hdr[i] != ' ' || n == 0 ||
	    n > SLOG_MSG_MAX || l->drd + total > l->dend ||
	    (out != NULL &&
		(total > outlen ||
		    pread(l->dfd, out, total, (off_t)l->drd) !=
			(ssize_t)total))) {
		log_warnx("%s: broken at offset %llu, %llu bytes dropped",
		    l->dpath, (unsigned long long)l->drd,
		    (unsigned long long)(l->dend - l->drd));
		l->ctr[CTR_ALERT_DROP]++;
		l->dend = l->drd;
		if (ftruncate(l->dfd, (off_t)l->dend) != 0)
			log_warn("%s", l->dpath);
		return 0;
	}
	return total;
}

/* Move the unread frames to the start of the file. */
static void
disk_compact(struct slog *l)
{
	char b[65536];
	uint64_t rd = l->drd, wr = 0;

	while (rd < l->dend) {
		size_t want = l->dend - rd < sizeof(b) ?
		    (size_t)(l->dend - rd) :
		    sizeof(b);
		ssize_t r = pread(l->dfd, b, want, (off_t)rd);

		if (r <= 0 || pwrite(l->dfd, b, (size_t)r, (off_t)wr) != r)
			break;
		rd += (uint64_t)r;
		wr += (uint64_t)r;
	}
	l->drd = 0;
	l->dend = wr;
	if (ftruncate(l->dfd, (off_t)wr) != 0)
		log_warn("%s", l->dpath);
}

/* Append one frame; the oldest unread frames go (counted) to make room. */
static void
disk_append(struct slog *l, const char *data, size_t len)
{
	while (l->dend - l->drd + len > l->dmax && disk_pending(l)) {
		size_t f = disk_frame(l, NULL, 0);

		if (f == 0)
			break;
		l->drd += f;
		l->ctr[CTR_ALERT_DROP]++;
	}
	if (len > l->dmax) {
		l->ctr[CTR_ALERT_DROP]++;
		return;
	}
	if (!disk_pending(l)) {
		l->drd = l->dend = 0;
		if (ftruncate(l->dfd, 0) != 0)
			log_warn("%s", l->dpath);
	} else if (l->drd > 0 && l->dend + len > 2 * l->dmax) {
		disk_compact(l);
	}
	if (pwrite(l->dfd, data, len, (off_t)l->dend) != (ssize_t)len) {
		l->ctr[CTR_ALERT_DROP]++;
		return;
	}
	l->dend += len;
}

static struct smsg *
msg_new(const char *data, size_t len)
{
	struct smsg *m = malloc(sizeof(*m) + len);

	if (m != NULL) {
		memcpy(m->data, data, len);
		m->len = len;
		m->next = NULL;
	}
	return m;
}

static void
spool_push(struct slog *l, struct smsg *m)
{
	if (l->tail != NULL)
		l->tail->next = m;
	else
		l->head = m;
	l->tail = m;
	if (l->cursor == NULL) {
		l->cursor = m;
		l->cursor_off = 0;
	}
	l->spooled += m->len;
}

/* Refill the memory spool from the file, in order, up to its cap. */
static void
disk_refill(struct slog *l)
{
	char b[SLOG_MSG_MAX + 32];

	while (disk_pending(l)) {
		size_t f = disk_frame(l, b, sizeof(b));
		struct smsg *m;

		if (f == 0 || l->spooled + f > l->max)
			break;
		if ((m = msg_new(b, f)) == NULL)
			break;
		spool_push(l, m);
		l->drd += f;
	}
	if (l->dfd >= 0 && !disk_pending(l) && l->dend > 0) {
		l->drd = l->dend = 0;
		if (ftruncate(l->dfd, 0) != 0)
			log_warn("%s", l->dpath);
	}
}

/* At exit: memory spool, then the file's unread frames, into the file.
 * In place through the descriptor opened before the privilege drop: the
 * unread part moves to make room and the memory spool goes in front. */
static void
disk_save(struct slog *l)
{
	char b[65536];
	uint64_t mem = 0, o = 0, n = 0;

	if (l->head == NULL) { /* drop the delivered frames from the file */
		if (disk_pending(l) && l->drd > 0)
			disk_compact(l);
		return;
	}
	for (struct smsg *m = l->head; m != NULL; m = m->next)
		mem += m->len;
	if (mem <= l->drd) {
		l->drd -= mem;
		o = l->drd;
	} else { /* move the unread part up, from its end down */
		uint64_t shift = mem - l->drd, end = l->dend;

		while (end > l->drd) {
			size_t want = end - l->drd < sizeof(b) ?
			    (size_t)(end - l->drd) :
			    sizeof(b);
			ssize_t r = pread(l->dfd, b, want, (off_t)(end - want));

			if (r != (ssize_t)want ||
			    pwrite(l->dfd, b, want,
				(off_t)(end - want + shift)) != r)
				goto fail;
			end -= want;
		}
		l->dend += shift;
		l->drd = 0;
	}
	for (struct smsg *m = l->head; m != NULL; m = m->next, n++) {
		if (pwrite(l->dfd, m->data, m->len, (off_t)o) !=
		    (ssize_t)m->len)
			goto fail;
		o += m->len;
	}
	if (l->drd > 0)
		disk_compact(l);
	if (fsync(l->dfd) != 0)
		goto fail;
	log_info("collector %s:%s: %llu alerts kept in %s (%llu bytes) for "
		 "the next start",
	    l->host, l->port, (unsigned long long)n, l->dpath,
	    (unsigned long long)l->dend);
	while (l->head != NULL)
		spool_drop_head(l);
	return;
fail:
	log_warn("%s", l->dpath);
}

static void
disk_open(struct slog *l, const struct sensor_config *cfg)
{
	struct stat st;
	char name[128];
	size_t k = 0;

	for (const char *p = cfg->name != NULL ? cfg->name : "sensor";
	     *p && k + 1 < sizeof(name); p++)
		name[k++] = (*p >= 'a' && *p <= 'z') ||
			(*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			*p == '-' || *p == '_' ?
		    *p :
		    '_';
	name[k] = '\0';
	if (asprintf(&l->dpath, "%s/sensor-%s.spool", cfg->spool_dir, name) <
	    0) {
		l->dpath = NULL;
		return;
	}
	l->dfd = open(l->dpath, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (l->dfd < 0 || fstat(l->dfd, &st) != 0) {
		log_warn("disk spool %s (alerts beyond the memory spool "
			 "will be dropped)",
		    l->dpath);
		if (l->dfd >= 0)
			close(l->dfd);
		l->dfd = -1;
		return;
	}
	l->dmax = cfg->spool_disk_max;
	l->dend = (uint64_t)st.st_size;
	if (l->dend > 0)
		log_info("%s: %llu bytes of alerts from the last run to send",
		    l->dpath, (unsigned long long)l->dend);
	disk_refill(l);
}

static void
disconnect(struct slog *l, const char *why)
{
	uint64_t sup;

	if (l->ssl != NULL) {
		SSL_free(l->ssl);
		l->ssl = NULL;
	}
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
	l->state = SL_IDLE;
	/* everything not known to be acknowledged is sent again */
	l->cursor = l->head;
	l->cursor_off = 0;
	l->unacked = 0;
	l->next_try_ms = now_ms() + l->backoff_ms;
	l->backoff_ms = l->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS :
							     l->backoff_ms * 2;
	if (why != NULL && ratelim_ok(&l->rl, &sup))
		log_warnx("collector %s:%s: %s, retrying (%llu similar "
			  "suppressed)",
		    l->host, l->port, why, (unsigned long long)sup);
}

static void
start_connect(struct slog *l)
{
	struct addrinfo hints, *res = NULL, *ai;
	int fd, r;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if ((r = getaddrinfo(l->host, l->port, &hints, &res)) != 0) {
		disconnect(l, gai_strerror(r));
		return;
	}
	/* each resolved address in turn ("localhost": ::1, 127.0.0.1) */
	l->naddrs = 0;
	for (ai = res; ai != NULL; ai = ai->ai_next)
		l->naddrs++;
	ai = res;
	for (int i = 0; i < l->try_idx % l->naddrs; i++)
		ai = ai->ai_next;
	fd = socket(
	    ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		freeaddrinfo(res);
		disconnect(l, strerror(errno));
		return;
	}
	l->fd = fd;
	r = connect(fd, ai->ai_addr, ai->ai_addrlen);
	freeaddrinfo(res);
	if (r != 0 && errno != EINPROGRESS) {
		disconnect(l, strerror(errno));
		return;
	}
	l->state = SL_CONNECTING;
}

static int
tls_start(struct slog *l)
{
	l->ssl = SSL_new(l->ctx);
	if (l->ssl == NULL || SSL_set_fd(l->ssl, l->fd) != 1)
		return -1;
	SSL_set_tlsext_host_name(l->ssl, l->host);
	SSL_set1_host(l->ssl, l->host);
	SSL_set_connect_state(l->ssl);
	l->state = SL_TLS;
	return 0;
}

/* Drop messages whose bytes the peer has acknowledged. */
static void
confirm(struct slog *l)
{
	int outq = 0;

	if (ioctl(l->fd, SIOCOUTQ, &outq) != 0)
		outq = 0;
	while (l->head != NULL && l->head != l->cursor &&
	    l->unacked - l->head->len >= (size_t)outq) {
		l->unacked -= l->head->len;
		spool_drop_head(l);
	}
	if (l->head == l->cursor && l->head == NULL)
		l->unacked = 0;
}

static void
write_some(struct slog *l)
{
	while (l->cursor != NULL) {
		struct smsg *m = l->cursor;
		const char *p = m->data + l->cursor_off;
		size_t n = m->len - l->cursor_off;
		ssize_t w;

		if (l->ssl != NULL) {
			int r = SSL_write(l->ssl, p, (int)n);

			if (r <= 0) {
				int e = SSL_get_error(l->ssl, r);

				if (e == SSL_ERROR_WANT_WRITE ||
				    e == SSL_ERROR_WANT_READ)
					return;
				disconnect(l, "tls write failed");
				return;
			}
			w = r;
		} else {
			w = send(l->fd, p, n, MSG_NOSIGNAL);
			if (w < 0) {
				if (errno == EAGAIN || errno == EWOULDBLOCK)
					return;
				disconnect(l, strerror(errno));
				return;
			}
		}
		l->cursor_off += (size_t)w;
		l->unacked += (size_t)w;
		if (l->cursor_off == m->len) {
			l->cursor = m->next;
			l->cursor_off = 0;
		}
	}
}

/* A peer that closed (collector restart) shows as readable with EOF. */
static int
peer_closed(struct slog *l)
{
	char b[256];
	ssize_t r = recv(l->fd, b, sizeof(b), MSG_DONTWAIT | MSG_PEEK);

	return r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

void
slog_pump(struct slog *l)
{
	if (l == NULL)
		return;
	if (l->state == SL_IDLE) {
		if (l->head == NULL || now_ms() < l->next_try_ms)
			return;
		start_connect(l);
	}
	if (l->state == SL_CONNECTING) {
		struct pollfd pfd = { l->fd, POLLOUT, 0 };
		int err = 0;
		socklen_t el = sizeof(err);

		if (poll(&pfd, 1, 0) <= 0)
			return;
		if (getsockopt(l->fd, SOL_SOCKET, SO_ERROR, &err, &el) != 0 ||
		    err != 0) {
			int more = ++l->try_idx % (l->naddrs ? l->naddrs : 1);

			disconnect(
			    l, more ? NULL : strerror(err ? err : errno));
			if (more) /* the next address at once */
				l->next_try_ms = 0;
			return;
		}
		if (l->use_tls) {
			if (tls_start(l) != 0) {
				disconnect(l, "tls setup failed");
				return;
			}
		} else {
			l->state = SL_UP;
		}
	}
	if (l->state == SL_TLS) {
		int r = SSL_do_handshake(l->ssl);

		if (r != 1) {
			int e = SSL_get_error(l->ssl, r);

			if (e != SSL_ERROR_WANT_READ &&
			    e != SSL_ERROR_WANT_WRITE)
				disconnect(l, "tls handshake failed");
			return;
		}
		l->state = SL_UP;
	}
	if (l->state == SL_UP) {
		if (l->ssl == NULL && peer_closed(l)) {
			disconnect(l, "connection closed");
			return;
		}
		l->backoff_ms = BACKOFF_MIN_MS;
		write_some(l);
		if (l->state == SL_UP)
			confirm(l);
	}
	if (disk_pending(l) && l->spooled < l->max / 2)
		disk_refill(l);
}

void
slog_alert(struct slog *l, const struct sensor_alert *a)
{
	char msg[SLOG_MSG_MAX];
	size_t n = slog_format(a, l->name, l->hostname, msg, sizeof(msg));
	struct smsg *m;
	char pre[24];
	int pl;

	if (n == 0) {
		l->ctr[CTR_ALERT_DROP]++;
		return;
	}
	pl = snprintf(pre, sizeof(pre), "%zu ", n);
	if (l->dfd >= 0 &&
	    (disk_pending(l) || l->spooled + n + (size_t)pl > l->max)) {
		char frame[SLOG_MSG_MAX + 32];

		memcpy(frame, pre, (size_t)pl);
		memcpy(frame + pl, msg, n);
		disk_append(l, frame, n + (size_t)pl);
		slog_pump(l);
		return;
	}
	while (l->head != NULL && l->spooled + n + (size_t)pl > l->max) {
		if (l->head == l->cursor) {
			l->cursor = l->head->next;
			l->cursor_off = 0;
		} else {
			l->unacked -= l->head->len < l->unacked ? l->head->len :
								  l->unacked;
		}
		spool_drop_head(l);
		l->ctr[CTR_ALERT_DROP]++;
	}
	m = malloc(sizeof(*m) + n + (size_t)pl);
	if (m == NULL) {
		l->ctr[CTR_ALERT_DROP]++;
		return;
	}
	memcpy(m->data, pre, (size_t)pl);
	memcpy(m->data + pl, msg, n);
	m->len = n + (size_t)pl;
	m->next = NULL;
	spool_push(l, m);
	slog_pump(l);
}

struct slog *
slog_new(
    const struct sensor_config *cfg, uint64_t *ctr, char *err, size_t errlen)
{
	struct slog *l;
	const char *colon = strrchr(cfg->collector, ':');

	if (colon == NULL || colon == cfg->collector || colon[1] == '\0') {
		snprintf(err, errlen, "collector \"%s\": want host:port",
		    cfg->collector);
		return NULL;
	}
	if ((l = calloc(1, sizeof(*l))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	l->fd = -1;
	l->dfd = -1;
	l->host = strndup(cfg->collector, (size_t)(colon - cfg->collector));
	l->port = strdup(colon + 1);
	l->name = strdup(cfg->name != NULL ? cfg->name : "sensor");
	l->max = cfg->spool_max;
	l->ctr = ctr;
	l->backoff_ms = BACKOFF_MIN_MS;
	l->rl.interval = 60;
	if (gethostname(l->hostname, sizeof(l->hostname) - 1) != 0)
		l->hostname[0] = '\0';
	for (char *p = l->hostname; *p; p++)
		if (*p <= ' ' || *p > '~')
			*p = '_';
	if (l->host == NULL || l->port == NULL || l->name == NULL)
		goto fail;
	if (l->host[0] == '[' && l->host[strlen(l->host) - 1] == ']') {
		memmove(l->host, l->host + 1, strlen(l->host));
		l->host[strlen(l->host) - 1] = '\0';
	}
	if (cfg->collector_tls) {
		l->use_tls = 1;
		l->ctx = SSL_CTX_new(TLS_client_method());
		if (l->ctx == NULL)
			goto fail;
		SSL_CTX_set_min_proto_version(l->ctx, TLS1_2_VERSION);
		SSL_CTX_set_verify(l->ctx, SSL_VERIFY_PEER, NULL);
		if ((cfg->collector_ca != NULL ?
			    SSL_CTX_load_verify_locations(
				l->ctx, cfg->collector_ca, NULL) :
			    SSL_CTX_set_default_verify_paths(l->ctx)) != 1) {
			snprintf(err, errlen, "collector: cannot load CA %s",
			    cfg->collector_ca ? cfg->collector_ca : "");
			goto fail2;
		}
	}
	if (cfg->spool_dir != NULL && cfg->spool_disk_max > 0)
		disk_open(l, cfg);
	return l;
fail:
	snprintf(err, errlen, "out of memory");
fail2:
	slog_free(l);
	return NULL;
}

void
slog_free(struct slog *l)
{
	int64_t end;

	if (l == NULL)
		return;
	/* give the collector a bounded chance to take what is spooled: one
	 * more connection attempt now, and no waiting once it failed */
	end = now_ms() + FLUSH_WAIT_MS;
	if (l->state == SL_IDLE)
		l->next_try_ms = 0;
	while ((l->head != NULL || disk_pending(l)) && now_ms() < end) {
		slog_pump(l);
		if ((l->head == NULL && !disk_pending(l)) ||
		    (l->state == SL_IDLE && l->next_try_ms > now_ms()))
			break;
		if (l->fd >= 0) {
			struct pollfd pfd = { l->fd, POLLOUT, 0 };

			(void)poll(&pfd, 1, 20);
		} else {
			struct timespec ts = { 0, 20 * 1000000 };

			nanosleep(&ts, NULL);
		}
	}
	if (l->dfd >= 0)
		disk_save(l);
	if (l->head != NULL)
		log_warnx("collector %s:%s: %llu bytes of alerts not "
			  "delivered at exit",
		    l->host, l->port, (unsigned long long)l->spooled);
	if (l->ssl != NULL) {
		SSL_shutdown(l->ssl);
		SSL_free(l->ssl);
	}
	if (l->fd >= 0)
		close(l->fd);
	while (l->head != NULL)
		spool_drop_head(l);
	SSL_CTX_free(l->ctx);
	if (l->dfd >= 0)
		close(l->dfd);
	free(l->dpath);
	free(l->host);
	free(l->port);
	free(l->name);
	free(l);
}
