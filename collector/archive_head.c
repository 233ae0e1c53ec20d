/*
 * archive_head.c — the MANIFEST lock and the chain head kept in the store.
 *
 * MANIFEST's hash chain proves that no line was altered, removed or
 * reordered — except the last ones: cutting the newest segments together
 * with their MANIFEST lines leaves a shorter chain that is still whole.
 * So the head of the chain (the last line's chain hash, the number of
 * lines, the newest segment) is also kept in the store (archive_chain),
 * moved forward by every seal and prune, and only along the same chain:
 * a head that MANIFEST no longer reaches is left in place as the evidence
 * and `archive verify` fails on it.
 *
 * Appending to MANIFEST (the writer's seal, `archive prune`) happens under
 * an exclusive flock on MANIFEST, re-reading the chain's last line under
 * it, so a prune while the collector runs does not leave the writer
 * chaining after a stale line; verify reads MANIFEST and the head under a
 * shared lock.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "collector/collector_int.h"
#include "collector/store.h"
#include "collector/store_archive.h"
#include "common/log.h"
#include "common/timeutil.h"

#define HEAD_WAIT_MS 250 /* the writer thread must not stall on the store */

int
manifest_lock(const char *datadir, int exclusive)
{
	char path[4096];
	int fd;

	if (archive_manifest_path(datadir, path, sizeof(path)) != 0)
		return -1;
	/* read-only, never created: a MANIFEST made by root's prune would
	 * keep the unprivileged writer from appending; with no MANIFEST yet
	 * there is nothing a prune could append after */
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1) {
		if (errno != ENOENT) /* no archive (yet): nothing to lock */
			log_warn("archive: cannot lock %s", path);
		return -1;
	}
	while (flock(fd, exclusive ? LOCK_EX : LOCK_SH) == -1) {
		if (errno == EINTR)
			continue;
		log_warn("archive: flock %s", path);
		close(fd);
		return -1;
	}
	return fd;
}

void
manifest_unlock(int fd)
{
	if (fd == -1)
		return;
	flock(fd, LOCK_UN);
	close(fd);
}

static struct store *
head_store(const char *datadir, int rdonly)
{
	char path[4200], err[512];
	struct store *st;

	snprintf(path, sizeof(path), "%s/seccloud.db", datadir);
	if (access(path, F_OK) != 0)
		return NULL; /* no store here (tests, a bare archive) */
	st = store_open(path, rdonly ? STORE_RDONLY : 0, err, sizeof(err));
	if (st == NULL)
		log_warnx("archive: chain head: %s", err);
	return st;
}

/* Is the head on the chain m[0..n)?  0 yes (it may lag), -1 no. */
static int
on_chain(const struct store_archive_head *h, const struct manifest_entry *m,
    size_t n, uint64_t *bad, char *err, size_t errlen)
{
	uint64_t last = 0;

	for (size_t i = 0; i < n; i++)
		if (!m[i].pruned && m[i].segment > last)
			last = m[i].segment;
	if (h->entries > n) {
		*bad = last + 1;
		snprintf(err, errlen,
		    "MANIFEST ends at line %zu (segment %" PRIu64
		    ") but the chain head kept in the store is line %" PRIu64
		    " (segment %" PRIu64 "): its last lines were cut",
		    n, last, h->entries, h->segment);
		return -1;
	}
	if (h->entries > 0 && strcmp(m[h->entries - 1].chain, h->chain) != 0) {
		*bad = m[h->entries - 1].segment;
		snprintf(err, errlen,
		    "MANIFEST line %" PRIu64 " (segment %" PRIu64
		    ") is not the chain head kept in the store: MANIFEST was "
		    "cut and rewritten",
		    h->entries, m[h->entries - 1].segment);
		return -1;
	}
	return 0;
}

int
archive_head_sync(const char *datadir, const struct manifest_entry *m, size_t n,
    char *err, size_t errlen)
{
	struct store_archive_head h, nh;
	struct store *st = head_store(datadir, 0);
	uint64_t bad = 0;
	int have, rc = 1;

	if (st == NULL)
		return 0;
	if ((have = store_archive_head_get(st, &h)) < 0) {
		snprintf(err, errlen, "cannot read the chain head");
		rc = 0;
		goto out;
	}
	if (have && on_chain(&h, m, n, &bad, err, errlen) != 0) {
		rc = -1;
		goto out;
	}
	if ((have && h.entries == n) || n == 0)
		goto out;
	memset(&nh, 0, sizeof(nh));
	nh.entries = n;
	for (size_t i = 0; i < n; i++)
		if (!m[i].pruned) {
			nh.segments++;
			if (m[i].segment > nh.segment)
				nh.segment = m[i].segment;
		}
	memcpy(nh.chain, m[n - 1].chain, sizeof(nh.chain));
	nh.ts_us = time_now_us();
	if (store_archive_head_put(st, &nh, HEAD_WAIT_MS) != 0) {
		/* it lags; the next seal or prune catches it up */
		snprintf(err, errlen, "chain head not written to the store");
		rc = 0;
	}
out:
	store_close(st);
	return rc;
}

int
archive_head_check(const char *datadir, const struct manifest_entry *m,
    size_t n, uint64_t *bad, char *err, size_t errlen)
{
	struct store_archive_head h;
	struct store *st = head_store(datadir, 1);
	int have, rc;

	if (st == NULL)
		return 0;
	have = store_archive_head_get(st, &h);
	store_close(st);
	if (have <= 0)
		return 0;
	rc = on_chain(&h, m, n, bad, err, errlen);
	return rc == 0 ? 1 : -1;
}
