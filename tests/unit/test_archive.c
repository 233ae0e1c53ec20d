/*
 * test_archive.c — the sealed archive: what is appended reads back byte
 * for byte by its ref; verify passes on an intact archive and names the
 * first bad segment when a segment is altered, removed, or the manifest is
 * edited or reordered; a crash-torn segment is cut back and sealed on the
 * next open; pruning whole segments keeps verify passing.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "collector/collector_int.h"
#include "common/timeutil.h"
#include "tests/tap.h"

static char dir[256];

static void
mkevents(struct sc_event *ev, char (*text)[64], size_t n, int64_t t0,
    const char *tag)
{
	for (size_t i = 0; i < n; i++) {
		memset(&ev[i], 0, sizeof(ev[i]));
		snprintf(
		    text[i], 64, "<13>Nov 22 17:53:26 h t: %s-%zu", tag, i);
		ev[i].raw = (const uint8_t *)text[i];
		ev[i].rawlen = strlen(text[i]);
		ev[i].recv_us = t0 + (int64_t)i;
		addr_parse("10.11.32.1", &ev[i].peer);
		ev[i].peer_port = 514;
		ev[i].transport = 'u';
		memcpy(ev[i].muni, "242501", 7);
	}
}

static int
verify(uint64_t *bad, char *err, size_t len)
{
	return archive_verify(dir, 0, 0, bad, err, len);
}

static void
rm_rf(const char *d)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d);
	if (system(cmd) != 0)
		diag("cleanup failed");
}

static void
copy_file(const char *from, const char *to)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", from, to);
	if (system(cmd) != 0)
		diag("copy failed");
}

int
main(void)
{
	struct sc_event ev[10];
	char text[10][64], err[512], path[4200], man[4200], bak[4300];
	struct archive *a;
	uint64_t bad;
	int64_t day1, day2;
	uint8_t *raw;
	size_t rawlen;
	struct archive_record rec;
	struct sc_archive_ref ref;

	snprintf(dir, sizeof(dir), "%s/sc-archive-XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ok(mkdtemp(dir) != NULL, "temp dir");
	time_parse_arg("2026-11-21T10:00:00+09:00", &day1);
	time_parse_arg("2026-11-22T10:00:00+09:00", &day2);

	/* two days, two batches on the second: three segments? no: two */
	a = archive_open(dir, TIME_JST_OFFSET, err, sizeof(err));
	ok(a != NULL, "open a new archive");
	mkevents(ev, text, 4, day1, "d1");
	ok(archive_append(a, ev, 4) == 0, "append 4 on day 1");
	is_int(ev[3].archive.segment, 1, "day 1 is segment 1");
	is_int(ev[3].archive.record, 3, "record numbers from 0");
	mkevents(ev, text, 3, day2, "d2a");
	ok(archive_append(a, ev, 3) == 0, "append 3 on day 2");
	is_int(ev[0].archive.segment, 2, "a new JST day seals and opens 2");
	mkevents(ev, text, 2, day2 + 5, "d2b");
	archive_append(a, ev, 2);
	is_int(ev[1].archive.segment, 2, "same day, same segment");
	is_int(ev[1].archive.record, 4, "records continue across batches");
	archive_close(a);

	ok(verify(&bad, err, sizeof(err)) == 0, "verify: intact (%s)", err);
	ref.segment = 2;
	ref.record = 4;
	ok(archive_fetch(dir, &ref, &raw, &rawlen, &rec) == 0, "fetch 2:4");
	ok(rawlen == strlen("<13>Nov 22 17:53:26 h t: d2b-1") &&
		memcmp(raw, "<13>Nov 22 17:53:26 h t: d2b-1", rawlen) == 0,
	    "evidence is the exact line");
	is_str(rec.muni, "242501", "record keeps the 団体");
	is_int(rec.recv_us, day2 + 6, "record keeps the receive time");
	free(raw);
	ref.record = 5;
	ok(archive_fetch(dir, &ref, &raw, &rawlen, NULL) == -1,
	    "a ref past the end does not exist");

	/* tamper with segment 2: verify names it */
	archive_seg_path(dir, 2, path, sizeof(path));
	snprintf(bak, sizeof(bak), "%s.bak", path);
	copy_file(path, bak);
	{
		int fd = open(path, O_WRONLY);

		ok(fd != -1 && pwrite(fd, "Z", 1, 30) == 1, "flip a byte");
		close(fd);
	}
	ok(verify(&bad, err, sizeof(err)) == -1 && bad == 2,
	    "altered segment 2 is named (%s)", err);
	rename(bak, path);
	ok(verify(&bad, err, sizeof(err)) == 0, "restored: intact again");

	/* remove segment 1 */
	archive_seg_path(dir, 1, path, sizeof(path));
	snprintf(bak, sizeof(bak), "%s.bak", path);
	rename(path, bak);
	ok(verify(&bad, err, sizeof(err)) == -1 && bad == 1,
	    "removed segment 1 is named (%s)", err);
	rename(bak, path);

	/* edit the manifest: drop its first line */
	archive_manifest_path(dir, man, sizeof(man));
	snprintf(bak, sizeof(bak), "%s.bak", man);
	copy_file(man, bak);
	{
		char cmd[9000];

		snprintf(cmd, sizeof(cmd), "sed -i 1d '%s'", man);
		ok(system(cmd) == 0, "drop the first manifest line");
	}
	ok(verify(&bad, err, sizeof(err)) == -1,
	    "a removed manifest line "
	    "breaks the chain (%s)",
	    err);
	is_int(bad, 2, "... named at the line after it: segment 2, not 0");
	copy_file(bak, man);
	{
		char cmd[9000];

		snprintf(cmd, sizeof(cmd),
		    "sed -i 's/records=4 /records=3 /' '%s'", man);
		ok(system(cmd) == 0, "edit a count in the manifest");
	}
	ok(verify(&bad, err, sizeof(err)) == -1,
	    "an edited line breaks the "
	    "chain (%s)",
	    err);
	is_int(bad, 1, "... named: segment 1 (its line was edited)");
	copy_file(bak, man);
	unlink(bak);
	ok(verify(&bad, err, sizeof(err)) == 0, "manifest restored");

	/* a crash: segment 3 left unsealed with a torn last frame.  A child
	 * process writes two frames and dies without sealing. */
	{
		pid_t pid = fork();

		if (pid == 0) {
			a = archive_open(
			    dir, TIME_JST_OFFSET, err, sizeof(err));
			mkevents(ev, text, 5, day2 + 100, "crash1");
			archive_append(a, ev, 5);
			mkevents(ev, text, 5, day2 + 200, "crash2");
			archive_append(a, ev, 5);
			_exit(0);
		}
		ok(pid > 0 && waitpid(pid, NULL, 0) == pid,
		    "writer process died without sealing");
	}
	archive_seg_path(dir, 3, path, sizeof(path));
	{
		struct stat sb;

		stat(path, &sb);
		/* cut into the second frame, as a kill -9 mid-write would */
		ok(truncate(path, sb.st_size - 7) == 0, "tear the last frame");
	}
	/* the restart */
	{
		struct archive *b =
		    archive_open(dir, TIME_JST_OFFSET, err, sizeof(err));

		ok(b != NULL, "reopen after the crash");
		ok(verify(&bad, err, sizeof(err)) == 0,
		    "verify passes after recovery (%s)", err);
		ref.segment = 3;
		ref.record = 4;
		ok(archive_fetch(dir, &ref, &raw, &rawlen, NULL) == 0 &&
			memmem(raw, rawlen, "crash1-4", 8) != NULL,
		    "whole frames before the tear are kept");
		free(raw);
		ref.record = 5;
		ok(archive_fetch(dir, &ref, &raw, &rawlen, NULL) == -1,
		    "the torn frame is gone");
		archive_close(b);
	}

	/* prune day 1 */
	{
		char cmd[600];

		snprintf(cmd, sizeof(cmd),
		    "%s archive -d '%s' prune --before "
		    "2026-11-22 >/dev/null",
		    getenv("SECCLOUD") ? getenv("SECCLOUD") : "./seccloud",
		    dir);
		ok(system(cmd) == 0, "prune --before 2026-11-22: %s", cmd);
	}
	ok(archive_seg_path(dir, 1, path, sizeof(path)) != 0,
	    "segment 1 removed");
	err[0] = '\0';
	ok(verify(&bad, err, sizeof(err)) == 0,
	    "verify still passes after a prune (%s)", err);
	if (getenv("KEEP") == NULL)
		rm_rf(dir);
	return done_testing();
}
