/*
 * loadgen.c — a syslog load generator for bench/ingest: sends N messages
 * of about SIZE bytes to a collector over TCP (one connection, LF or
 * octet-counted framing) or UDP (sendmmsg, optionally paced to a rate),
 * and prints what it sent and how long it took.  Each message carries its
 * sequence number so receivers can be checked for loss.
 *
 *   loadgen tcp|udp HOST PORT COUNT [SIZE] [octet|lf] [RATE msgs/s] [FLOWS]
 *       [THREADS]
 *   loadgen file HOST PORT PATH [REPEAT]
 *
 * "file" sends the lines of PATH (syslog lines as written, without the
 * LF), REPEAT times (default 1), octet-counted over one TCP connection:
 * bench/rules replays its corpus through the collector so.
 *
 * UDP pacing sleeps (absolute clock_nanosleep, 1 us timer slack) between
 * small bursts of about 100 us worth of messages instead of spinning, so
 * the generator does not take a core from the receiver it measures.
 * FLOWS (default 1) UDP sockets send in turn, as several devices would:
 * with one flow, SO_REUSEPORT receivers see all of it on one socket.
 * THREADS (default 1) UDP sender threads share COUNT, RATE and the flows
 * between them: on a small machine one sender thread tops out (each
 * datagram's loopback delivery runs in the sender's context) before a
 * fast receiver does.
 */
#define _GNU_SOURCE 1
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 256
#define FLOWS_MAX 64

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One message: a realistic sshd line padded to size. */
static size_t
message(char *out, size_t cap, unsigned long seq, size_t size)
{
	int n = snprintf(out, cap,
	    "<38>Nov 22 17:53:26 bastion01 sshd[4121]: Failed password for "
	    "invalid user admin from 203.0.113.7 port 51514 ssh2 seq=%lu ",
	    seq);
	size_t len = (size_t)n;

	while (len < size && len + 1 < cap)
		out[len++] = 'x';
	return len;
}

struct sender {
	int fds[FLOWS_MAX];
	int nflows;
	unsigned long count; /* this thread's share */
	unsigned long first; /* its first sequence number */
	unsigned long sent;
	size_t size;
	double rate; /* this thread's share, 0 = as fast as it can */
	double t0;
	int err;
	pthread_t th;
};

static void *
udp_sender(void *arg)
{
	struct sender *sd = arg;
	char(*bufs)[8192] = malloc(BATCH * sizeof(*bufs));
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	int burst = BATCH, flow = 0;
	unsigned long seq = 0;

	if (bufs == NULL) {
		sd->err = 1;
		return NULL;
	}
	/* paced: bursts of ~100 us of messages */
	if (sd->rate > 0) {
		burst = (int)(sd->rate / 10000);
		if (burst < 1)
			burst = 1;
		if (burst > BATCH)
			burst = BATCH;
	}
	while (seq < sd->count) {
		int n = 0, sent;

		for (; n < burst && seq + n < sd->count; n++) {
			iov[n].iov_base = bufs[n];
			iov[n].iov_len = message(bufs[n], sizeof(bufs[n]),
			    sd->first + seq + n, sd->size);
			memset(&msgs[n], 0, sizeof(msgs[n]));
			msgs[n].msg_hdr.msg_iov = &iov[n];
			msgs[n].msg_hdr.msg_iovlen = 1;
		}
		sent = sendmmsg(sd->fds[flow], msgs, n, 0);
		flow = (flow + 1) % sd->nflows;
		if (sent < 0) {
			if (errno == ECONNREFUSED || errno == ENOBUFS)
				continue;
			perror("sendmmsg");
			sd->err = 1;
			break;
		}
		seq += sent;
		if (sd->rate > 0) {
			double due = sd->t0 + seq / sd->rate;
			struct timespec ts;

			if (due > now()) {
				ts.tv_sec = (time_t)due;
				ts.tv_nsec =
				    (long)((due - (double)ts.tv_sec) * 1e9);
				clock_nanosleep(
				    CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
			}
		}
	}
	sd->sent = seq;
	free(bufs);
	return NULL;
}

/* loadgen file HOST PORT PATH [REPEAT] */
static int
send_file(const struct sockaddr_in *sin, const char *path, long repeat)
{
	static char out[1 << 20];
	FILE *f = fopen(path, "r");
	char *data = NULL, *p, *end;
	size_t len = 0, cap = 0, olen = 0;
	unsigned long sent = 0;
	double t0, t1;
	int fd;

	if (f == NULL) {
		perror(path);
		return 1;
	}
	for (;;) {
		if (len + 65536 > cap) {
			cap = cap ? cap * 2 : 1 << 20;
			if ((data = realloc(data, cap)) == NULL) {
				perror("realloc");
				return 1;
			}
		}
		size_t n = fread(data + len, 1, cap - len, f);

		if (n == 0)
			break;
		len += n;
	}
	fclose(f);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd == -1 ||
	    connect(fd, (const struct sockaddr *)sin, sizeof(*sin))) {
		perror("connect");
		return 1;
	}
	t0 = now();
	for (long r = 0; r < repeat; r++) {
		for (p = data, end = data + len; p < end;) {
			char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t ml = (size_t)((nl != NULL ? nl : end) - p);

			if (ml > 0 && ml < 60000) {
				if (olen + ml + 16 > sizeof(out)) {
					if (write(fd, out, olen) !=
					    (ssize_t)olen) {
						perror("write");
						return 1;
					}
					olen = 0;
				}
				olen += (size_t)snprintf(
				    out + olen, 16, "%zu ", ml);
				memcpy(out + olen, p, ml);
				olen += ml;
				sent++;
			}
			p += ml + 1;
		}
	}
	if (olen > 0 && write(fd, out, olen) != (ssize_t)olen) {
		perror("write");
		return 1;
	}
	shutdown(fd, SHUT_WR);
	t1 = now();
	printf("sent %lu messages from %s over tcp octet-counted in %.3f s "
	       "(%.0f/s)\n",
	    sent, path, t1 - t0, sent / (t1 - t0));
	free(data);
	close(fd);
	return 0;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sin;
	unsigned long count, seq = 0;
	size_t size = 120;
	int udp, octet = 0, fd, fds[FLOWS_MAX], nflows = 1, nthreads = 1;
	double rate = 0, t0, t1;

	if (argc < 5) {
		fprintf(stderr,
		    "usage: loadgen tcp|udp HOST PORT COUNT [SIZE] "
		    "[octet|lf] [RATE] [FLOWS] [THREADS]\n"
		    "       loadgen file HOST PORT PATH [REPEAT]\n");
		return 2;
	}
	udp = strcmp(argv[1], "udp") == 0;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)strtoul(argv[3], NULL, 10));
	if (inet_pton(AF_INET, argv[2], &sin.sin_addr) != 1)
		return 2;
	if (strcmp(argv[1], "file") == 0)
		return send_file(
		    &sin, argv[4], argc > 5 ? strtol(argv[5], NULL, 10) : 1);
	count = strtoul(argv[4], NULL, 10);
	if (argc > 5)
		size = strtoul(argv[5], NULL, 10);
	if (argc > 6)
		octet = strcmp(argv[6], "octet") == 0;
	if (argc > 7)
		rate = strtod(argv[7], NULL);
	if (argc > 8)
		nflows = (int)strtol(argv[8], NULL, 10);
	if (argc > 9)
		nthreads = (int)strtol(argv[9], NULL, 10);
	if (nflows < 1 || nflows > FLOWS_MAX || !udp)
		nflows = 1;
	if (nthreads < 1)
		nthreads = 1;
	if (nthreads > nflows)
		nthreads = nflows;
	if (size < 100 || size > 8000)
		size = 120;
	fd = socket(AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
	if (fd == -1 || connect(fd, (struct sockaddr *)&sin, sizeof(sin))) {
		perror("connect");
		return 1;
	}
	fds[0] = fd;
	for (int i = 1; i < nflows; i++) {
		fds[i] = socket(AF_INET, SOCK_DGRAM, 0);
		if (fds[i] == -1 ||
		    connect(fds[i], (struct sockaddr *)&sin, sizeof(sin))) {
			perror("connect");
			return 1;
		}
	}
	prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
	t0 = now();
	if (udp) {
		struct sender sd[FLOWS_MAX];

		/* flows dealt out round-robin; counts and rates split evenly */
		memset(sd, 0, sizeof(sd));
		for (int t = 0; t < nthreads; t++) {
			sd[t].count = count / (unsigned long)nthreads +
			    ((unsigned long)t <
				count % (unsigned long)nthreads);
			sd[t].first =
			    t == 0 ? 0 : sd[t - 1].first + sd[t - 1].count;
			sd[t].size = size;
			sd[t].rate = rate / nthreads;
			sd[t].t0 = t0;
		}
		for (int i = 0; i < nflows; i++) {
			struct sender *x = &sd[i % nthreads];

			x->fds[x->nflows++] = fds[i];
		}
		for (int t = 0; t < nthreads; t++)
			if (pthread_create(
				&sd[t].th, NULL, udp_sender, &sd[t])) {
				perror("pthread_create");
				return 1;
			}
		for (int t = 0; t < nthreads; t++) {
			pthread_join(sd[t].th, NULL);
			seq += sd[t].sent;
			if (sd[t].err)
				return 1;
		}
	} else {
		static char buf[1 << 20];
		size_t len = 0;

		while (seq < count) {
			char m[8192];
			size_t ml = message(m, sizeof(m), seq, size);
			int hl = 0;

			if (len + ml + 16 > sizeof(buf)) {
				if (write(fd, buf, len) != (ssize_t)len) {
					perror("write");
					return 1;
				}
				len = 0;
			}
			if (octet)
				hl = snprintf(buf + len, 16, "%zu ", ml);
			memcpy(buf + len + hl, m, ml);
			len += hl + ml;
			if (!octet)
				buf[len++] = '\n';
			seq++;
		}
		if (len > 0 && write(fd, buf, len) != (ssize_t)len) {
			perror("write");
			return 1;
		}
		shutdown(fd, SHUT_WR);
	}
	t1 = now();
	printf("sent %lu messages of %zu bytes over %s in %.3f s (%.0f/s)\n",
	    seq, size,
	    udp	      ? "udp" :
		octet ? "tcp octet-counted" :
			"tcp lf",
	    t1 - t0, seq / (t1 - t0));
	for (int i = 0; i < nflows; i++)
		close(fds[i]);
	return 0;
}
