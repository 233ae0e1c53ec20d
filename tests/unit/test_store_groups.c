/*
 * test_store_groups.c — store_alert_insert_ex reports whether the alert
 * created or reopened its group, and the group hook hands those groups
 * over after COMMIT only: one per group however many alerts fold into it,
 * none after a rollback, at once outside a transaction.
 */
#include "config.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/store_int.h"
#include "tests/tap.h"

struct seen {
	struct store_group_event ev[16];
	size_t n, calls;
	uint64_t lost;
};

static void
hook(void *arg, const struct store_group_event *ev, size_t n, uint64_t lost)
{
	struct seen *s = arg;

	s->calls++;
	s->lost += lost;
	for (size_t i = 0; i < n && s->n < 16; i++)
		s->ev[s->n++] = ev[i];
}

static void
alert(struct sc_alert *al, uint32_t sid, const char *src, int64_t ts)
{
	memset(al, 0, sizeof(*al));
	al->ts_us = ts;
	al->origin = SC_ORIGIN_LOG;
	al->gid = 1;
	al->sid = sid;
	al->rev = 2;
	al->severity = SC_SEV_HIGH;
	al->msg = "[SSHD] brute force";
	al->usecase = "GL-ACCESS-01";
	snprintf(al->muni, sizeof(al->muni), "%s", "242012");
	al->has_src = addr_parse(src, &al->src) == 0;
}

int
main(void)
{
	char dir[] = "/tmp/test_store_groups.XXXXXX", path[256], err[256];
	struct store *st;
	struct sc_alert al;
	struct seen seen;
	int64_t aid, gid, gid1 = 0;
	int fl, ok_all;

	ok(mkdtemp(dir) != NULL, "temp dir");
	snprintf(path, sizeof(path), "%s/seccloud.db", dir);
	st = store_open(path, STORE_CREATE, err, sizeof(err));
	ok(st != NULL, "create: %s", st ? "ok" : err);
	if (st == NULL)
		return done_testing();
	memset(&seen, 0, sizeof(seen));
	store_set_group_hook(st, hook, &seen);

	/* a burst: 10000 alerts in one group, 1 in another, one commit */
	ok(store_begin(st) == 0, "begin");
	alert(&al, 9000001, "10.1.2.3", 1000);
	ok(store_alert_insert_ex(st, &al, &aid, &gid1, &fl) == 0 &&
		fl == STORE_GROUP_NEW,
	    "first alert: STORE_GROUP_NEW");
	ok_all = 1;
	for (int i = 1; i < 10000; i++) {
		alert(&al, 9000001, "10.1.2.3", 1000 + i);
		if (store_alert_insert_ex(st, &al, NULL, &gid, &fl) != 0 ||
		    fl != 0 || gid != gid1)
			ok_all = 0;
	}
	ok(ok_all, "9999 more in the same group: flags 0");
	alert(&al, 9000002, "10.1.2.3", 5000);
	ok(store_alert_insert(st, &al, NULL, NULL) == 0, "another rule");
	is_int(seen.calls, 0, "nothing handed over before the commit");
	ok(store_commit(st) == 0, "commit");
	is_int(seen.calls, 1, "one hand-over at commit");
	is_int(seen.n, 2, "two groups: one per group, not per alert");
	ok(seen.ev[0].group_id == gid1 && seen.ev[0].alert_id == aid &&
		seen.ev[0].flags == STORE_GROUP_NEW &&
		seen.ev[0].ts_us == 1000 && seen.ev[0].sid == 9000001 &&
		seen.ev[0].gid == 1 && seen.ev[0].rev == 2 &&
		seen.ev[0].severity == SC_SEV_HIGH,
	    "the first group's ids, time, rule and severity");
	is_str(seen.ev[0].muni, "242012", "its 団体");
	is_str(seen.ev[0].usecase, "GL-ACCESS-01", "its use case");
	is_str(seen.ev[0].src, "10.1.2.3", "its source");
	is_str(seen.ev[0].msg, "[SSHD] brute force", "its message");
	is_int(seen.ev[1].sid, 9000002, "the second group's rule");

	/* rolled back: the group never existed, nothing is handed over */
	memset(&seen, 0, sizeof(seen));
	ok(store_begin(st) == 0, "begin");
	alert(&al, 9000003, "10.1.2.3", 6000);
	store_alert_insert_ex(st, &al, NULL, NULL, &fl);
	is_int(fl, STORE_GROUP_NEW, "new group in the transaction");
	ok(store_rollback(st) == 0, "rollback");
	is_int(seen.calls, 0, "nothing handed over after a rollback");
	ok(store_begin(st) == 0 && store_commit(st) == 0, "empty commit");
	is_int(seen.calls, 0, "the rolled-back group is not handed over later");

	/* closed, fires again: reopened */
	ok(sqlite3_exec(st->db,
	       "UPDATE triage SET status = 'closed' WHERE group_id = 1", NULL,
	       NULL, NULL) == SQLITE_OK,
	    "close group 1");
	ok(store_begin(st) == 0, "begin");
	alert(&al, 9000001, "10.1.2.3", 7000);
	store_alert_insert_ex(st, &al, NULL, &gid, &fl);
	ok(fl == STORE_GROUP_REOPENED && gid == gid1, "STORE_GROUP_REOPENED");
	alert(&al, 9000001, "10.1.2.3", 7001);
	store_alert_insert_ex(st, &al, NULL, NULL, &fl);
	is_int(fl, 0, "the next alert of the reopened group: 0");
	ok(store_commit(st) == 0, "commit");
	ok(seen.n == 1 && seen.ev[0].flags == STORE_GROUP_REOPENED &&
		seen.ev[0].group_id == gid1,
	    "one hand-over: reopened");

	/* outside a transaction: at once */
	memset(&seen, 0, sizeof(seen));
	alert(&al, 9000004, "10.9.9.9", 8000);
	ok(store_alert_insert(st, &al, NULL, NULL) == 0, "autocommit insert");
	ok(seen.calls == 1 && seen.n == 1 && seen.ev[0].sid == 9000004,
	    "handed over at once");

	/* no hook: nothing remembered */
	store_set_group_hook(st, NULL, NULL);
	memset(&seen, 0, sizeof(seen));
	ok(store_begin(st) == 0, "begin");
	alert(&al, 9000005, "10.9.9.9", 9000);
	store_alert_insert(st, &al, NULL, NULL);
	ok(store_commit(st) == 0 && seen.calls == 0, "hook removed");

	store_close(st);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (system(path) != 0)
		diag("cleanup failed");
	return done_testing();
}
