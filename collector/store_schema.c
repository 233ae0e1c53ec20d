/*
 * store_schema.c — the schema of the SQLite store, version by version.
 *
 * store_schema_sql[i] takes a database from version i to i+1; store_open
 * runs the steps a database lacks inside one transaction and records the
 * version in meta.  Never edit a released step: add a new one.
 *
 * Conventions: times are INTEGER microseconds since the epoch, UTC.  muni
 * is the 6-digit 団体コード ('' when unknown, so it can sit in UNIQUE keys).
 * Addresses are TEXT in their display form ('' when absent).  severity is
 * 1 (S1 緊急) .. 5 (S5 情報).
 */
#include "config.h"

#include <stddef.h>

#include "collector/store_int.h"

const char *const store_schema_sql[] = {
	/* version 1 */
	"CREATE TABLE meta ("
	"  key TEXT PRIMARY KEY, value TEXT NOT NULL);"

	/* 団体 known from the policy, refreshed on each policy load */
	"CREATE TABLE municipalities ("
	"  code TEXT PRIMARY KEY, name TEXT NOT NULL, name_en TEXT,"
	"  type TEXT, model TEXT, updated INTEGER NOT NULL);"

	/* log sources and their health */
	"CREATE TABLE sources ("
	"  id INTEGER PRIMARY KEY,"
	"  addr TEXT NOT NULL UNIQUE,"
	"  name TEXT, type TEXT,"
	"  muni TEXT NOT NULL DEFAULT '', tier TEXT NOT NULL DEFAULT 'unknown',"
	"  known INTEGER NOT NULL DEFAULT 0," /* declared in the policy */
	"  expected_interval INTEGER," /* seconds; NULL: no check */
	"  first_seen INTEGER, last_seen INTEGER,"
	"  messages INTEGER NOT NULL DEFAULT 0,"
	"  bytes INTEGER NOT NULL DEFAULT 0,"
	"  parse_failures INTEGER NOT NULL DEFAULT 0,"
	"  skew_last_ms INTEGER, skew_max_ms INTEGER,"
	"  silent_since INTEGER);" /* set while GL-LOG-01 is open */
	"CREATE INDEX sources_muni ON sources(muni);"
	"CREATE TABLE source_minutes ("
	"  source_id INTEGER NOT NULL, minute INTEGER NOT NULL," /* unix s / 60 */
	"  messages INTEGER NOT NULL DEFAULT 0,"
	"  bytes INTEGER NOT NULL DEFAULT 0,"
	"  parse_failures INTEGER NOT NULL DEFAULT 0,"
	"  skew_max_ms INTEGER,"
	"  PRIMARY KEY (source_id, minute)) WITHOUT ROWID;"

	/* stage counters: received, parsed, unparsed, dropped by reason, ... */
	"CREATE TABLE counters ("
	"  role TEXT NOT NULL, stage TEXT NOT NULL, name TEXT NOT NULL,"
	"  value INTEGER NOT NULL, updated INTEGER NOT NULL,"
	"  PRIMARY KEY (role, stage, name)) WITHOUT ROWID;"

	/* rules as loaded, with hit counts (for the rules page) */
	"CREATE TABLE rules ("
	"  gid INTEGER NOT NULL, sid INTEGER NOT NULL, rev INTEGER NOT NULL,"
	"  msg TEXT NOT NULL, classtype TEXT, severity INTEGER NOT NULL,"
	"  usecase TEXT, guideline TEXT, file TEXT, line INTEGER,"
	"  text TEXT, hits INTEGER NOT NULL DEFAULT 0, loaded INTEGER NOT NULL,"
	"  PRIMARY KEY (gid, sid)) WITHOUT ROWID;"

	/* alerts grouped by (rule, 団体, src, dst) */
	"CREATE TABLE alert_groups ("
	"  id INTEGER PRIMARY KEY,"
	"  gid INTEGER NOT NULL, sid INTEGER NOT NULL,"
	"  muni TEXT NOT NULL DEFAULT '', src TEXT NOT NULL DEFAULT '',"
	"  dst TEXT NOT NULL DEFAULT '',"
	"  msg TEXT NOT NULL, severity INTEGER NOT NULL, origin TEXT NOT NULL,"
	"  usecase TEXT, guideline TEXT, classtype TEXT,"
	"  tier TEXT NOT NULL DEFAULT 'unknown',"
	"  count INTEGER NOT NULL DEFAULT 0,"
	"  first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,"
	"  last_alert_id INTEGER,"
	"  UNIQUE (sid, gid, muni, src, dst));"
	"CREATE INDEX groups_last ON alert_groups(last_seen DESC, id DESC);"
	"CREATE INDEX groups_muni_last ON alert_groups(muni, last_seen DESC, id DESC);"
	"CREATE INDEX groups_sev_last ON alert_groups(severity, last_seen DESC, id DESC);"
	"CREATE INDEX groups_usecase ON alert_groups(usecase, last_seen DESC);"

	"CREATE TABLE alerts ("
	"  id INTEGER PRIMARY KEY,"
	"  group_id INTEGER NOT NULL REFERENCES alert_groups(id),"
	"  ts INTEGER NOT NULL, event_ts INTEGER,"
	"  origin TEXT NOT NULL,"
	"  gid INTEGER NOT NULL, sid INTEGER NOT NULL, rev INTEGER NOT NULL,"
	"  severity INTEGER NOT NULL,"
	"  muni TEXT NOT NULL DEFAULT '', tier TEXT NOT NULL DEFAULT 'unknown',"
	"  src TEXT NOT NULL DEFAULT '', sport INTEGER,"
	"  dst TEXT NOT NULL DEFAULT '', dport INTEGER,"
	"  ipproto INTEGER, app_proto TEXT, sensor TEXT,"
	"  source_id INTEGER,"
	"  archive_segment INTEGER, archive_record INTEGER,"
	"  evidence BLOB," /* raw line or payload excerpt, as received */
	"  extra TEXT);" /* JSON: app fields, matrix cell, ... */
	"CREATE INDEX alerts_group_ts ON alerts(group_id, ts DESC);"
	"CREATE INDEX alerts_ts ON alerts(ts);"
	"CREATE INDEX alerts_src ON alerts(src, ts DESC);"
	"CREATE INDEX alerts_muni_ts ON alerts(muni, ts);"

	/* triage, apart from alert data */
	"CREATE TABLE triage ("
	"  group_id INTEGER PRIMARY KEY REFERENCES alert_groups(id),"
	"  status TEXT NOT NULL DEFAULT 'new' CHECK (status IN"
	"    ('new', 'acknowledged', 'escalated', 'closed')),"
	"  close_reason TEXT CHECK (close_reason IS NULL OR close_reason IN"
	"    ('true_positive', 'false_positive', 'benign', 'duplicate')),"
	"  assignee TEXT,"
	"  acknowledged_at INTEGER, escalated_at INTEGER, closed_at INTEGER,"
	"  updated INTEGER NOT NULL, updated_by TEXT);"
	"CREATE INDEX triage_status ON triage(status);"
	"CREATE TABLE triage_history ("
	"  id INTEGER PRIMARY KEY, group_id INTEGER NOT NULL,"
	"  ts INTEGER NOT NULL, user TEXT, action TEXT NOT NULL,"
	"  from_status TEXT, to_status TEXT, reason TEXT, note TEXT);"
	"CREATE INDEX triage_history_group ON triage_history(group_id, ts);"
	"CREATE TABLE comments ("
	"  id INTEGER PRIMARY KEY, group_id INTEGER NOT NULL,"
	"  ts INTEGER NOT NULL, user TEXT NOT NULL, body TEXT NOT NULL);"
	"CREATE INDEX comments_group ON comments(group_id, ts);"

	/* accounts of the web view */
	"CREATE TABLE users ("
	"  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
	"  role TEXT NOT NULL CHECK (role IN"
	"    ('admin', 'analyst', 'municipal', 'auditor')),"
	"  muni TEXT,"
	"  pwhash TEXT NOT NULL,"
	"  disabled INTEGER NOT NULL DEFAULT 0,"
	"  created INTEGER NOT NULL, updated INTEGER NOT NULL,"
	"  last_login INTEGER, password_changed INTEGER,"
	"  CHECK ((role = 'municipal') = (muni IS NOT NULL)));"
	"CREATE TABLE sessions ("
	"  id_hash TEXT PRIMARY KEY," /* SHA-256 of the cookie value */
	"  user_id INTEGER NOT NULL REFERENCES users(id),"
	"  csrf TEXT NOT NULL,"
	"  created INTEGER NOT NULL, last_used INTEGER NOT NULL,"
	"  addr TEXT);"
	"CREATE TABLE audit_log ("
	"  id INTEGER PRIMARY KEY, ts INTEGER NOT NULL,"
	"  user TEXT, addr TEXT, action TEXT NOT NULL,"
	"  target TEXT, detail TEXT, result TEXT);"
	"CREATE INDEX audit_ts ON audit_log(ts);"

	/* notifications and their acknowledgement (SLA evidence) */
	"CREATE TABLE notifications ("
	"  id INTEGER PRIMARY KEY,"
	"  group_id INTEGER, alert_id INTEGER,"
	"  muni TEXT NOT NULL DEFAULT '', severity INTEGER NOT NULL,"
	"  channel TEXT NOT NULL," /* webhook, syslog, ... */
	"  target TEXT NOT NULL," /* URL, host:port, ... */
	"  summary TEXT,"
	"  created INTEGER NOT NULL," /* queued */
	"  sent INTEGER," /* delivered */
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  result TEXT," /* ok, failed: reason, dropped */
	"  acknowledged INTEGER, acknowledged_by TEXT);"
	"CREATE INDEX notifications_group ON notifications(group_id);"
	"CREATE INDEX notifications_muni ON notifications(muni, created);"

	/* change history of rules, policy and configuration */
	"CREATE TABLE changes ("
	"  id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, user TEXT,"
	"  kind TEXT NOT NULL," /* rules, policy, config */
	"  what TEXT NOT NULL, sha256 TEXT, detail TEXT);"
	"CREATE INDEX changes_ts ON changes(ts);",

	/* version 2: alerts per JST day, 団体, rule and severity, kept by
	 * triggers, so the dashboard reads a few thousand rows instead of
	 * scanning millions of alerts (web view, issue 6) */
	"CREATE TABLE alert_days ("
	"  day INTEGER NOT NULL," /* (unix s + 9 h) / 86400 */
	"  muni TEXT NOT NULL, gid INTEGER NOT NULL, sid INTEGER NOT NULL,"
	"  severity INTEGER NOT NULL, n INTEGER NOT NULL,"
	"  PRIMARY KEY (day, muni, gid, sid, severity)) WITHOUT ROWID;"
	"INSERT INTO alert_days SELECT (ts / 1000000 + 32400) / 86400, muni,"
	"  gid, sid, severity, count(*) FROM alerts GROUP BY 1, 2, 3, 4, 5;"
	"CREATE TRIGGER alerts_day_add AFTER INSERT ON alerts BEGIN"
	"  INSERT INTO alert_days VALUES ((NEW.ts / 1000000 + 32400) / 86400,"
	"  NEW.muni, NEW.gid, NEW.sid, NEW.severity, 1)"
	"  ON CONFLICT DO UPDATE SET n = n + 1; END;"
	"CREATE TRIGGER alerts_day_del AFTER DELETE ON alerts BEGIN"
	"  UPDATE alert_days SET n = n - 1"
	"  WHERE day = (OLD.ts / 1000000 + 32400) / 86400 AND muni = OLD.muni"
	"  AND gid = OLD.gid AND sid = OLD.sid AND severity = OLD.severity;"
	"  END;",

	/* version 3: a full-text index over the text the inbox searches
	 * (group message, source and destination address), so free-text
	 * search reads an index instead of scanning every group (web view,
	 * issue 6).  The trigram tokenizer makes any substring of three or
	 * more characters searchable, Japanese included (no word breaks
	 * needed), case-insensitively.  External content: the text stays in
	 * alert_groups only; triggers keep the index in step, the update one
	 * only when the text really changes (the writer rewrites msg on every
	 * alert), and 'rebuild' fills it for a store made before this step. */
	"CREATE VIRTUAL TABLE alert_groups_fts USING fts5(msg, src, dst,"
	"  content='alert_groups', content_rowid='id', tokenize='trigram');"
	"CREATE TRIGGER alert_groups_fts_add AFTER INSERT ON alert_groups BEGIN"
	"  INSERT INTO alert_groups_fts (rowid, msg, src, dst)"
	"  VALUES (NEW.id, NEW.msg, NEW.src, NEW.dst); END;"
	"CREATE TRIGGER alert_groups_fts_del AFTER DELETE ON alert_groups BEGIN"
	"  INSERT INTO alert_groups_fts (alert_groups_fts, rowid, msg, src, dst)"
	"  VALUES ('delete', OLD.id, OLD.msg, OLD.src, OLD.dst); END;"
	"CREATE TRIGGER alert_groups_fts_upd AFTER UPDATE OF msg, src, dst"
	"  ON alert_groups WHEN OLD.msg IS NOT NEW.msg"
	"  OR OLD.src IS NOT NEW.src OR OLD.dst IS NOT NEW.dst BEGIN"
	"  INSERT INTO alert_groups_fts (alert_groups_fts, rowid, msg, src, dst)"
	"  VALUES ('delete', OLD.id, OLD.msg, OLD.src, OLD.dst);"
	"  INSERT INTO alert_groups_fts (rowid, msg, src, dst)"
	"  VALUES (NEW.id, NEW.msg, NEW.src, NEW.dst); END;"
	"INSERT INTO alert_groups_fts (alert_groups_fts) VALUES ('rebuild');",

	/* version 4: archive verification runs and prunes (issue 5): the monthly
	 * report's "archive verification for the month" and the retention
	 * achieved for the archive.  Times UTC us; days are JST days. */
	"CREATE TABLE archive_verifications ("
	"  id INTEGER PRIMARY KEY,"
	"  ts INTEGER NOT NULL," /* when the run ended */
	"  range_from INTEGER, range_to INTEGER," /* NULL: unbounded */
	"  segments INTEGER NOT NULL," /* sealed segments checked */
	"  result TEXT NOT NULL CHECK (result IN ('ok', 'bad')),"
	"  first_bad INTEGER," /* segment number; 0: the manifest */
	"  detail TEXT,"
	"  oldest_day TEXT, newest_day TEXT," /* segments held (unpruned) */
	"  held INTEGER," /* sealed segments held */
	"  by TEXT NOT NULL);" /* "cli:USER", "collector" */
	"CREATE INDEX archive_verifications_ts ON archive_verifications(ts);"
	"CREATE TABLE archive_prunes ("
	"  id INTEGER PRIMARY KEY,"
	"  ts INTEGER NOT NULL,"
	"  before_day TEXT NOT NULL," /* segments of days before it */
	"  segments INTEGER NOT NULL, records INTEGER NOT NULL,"
	"  first_day TEXT, last_day TEXT," /* days removed */
	"  oldest_kept_day TEXT," /* afterwards; NULL: none left */
	"  by TEXT NOT NULL);"
	"CREATE INDEX archive_prunes_ts ON archive_prunes(ts);",

	/* the archive's chain head (issue 7): the last MANIFEST line's chain
	 * hash, how many lines and the newest sealed segment, kept apart
	 * from MANIFEST so that cutting its last lines together with their
	 * segments shows in `archive verify`.  One row, moved forward along
	 * the chain by every seal and prune. */
	"CREATE TABLE archive_chain ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  entries INTEGER NOT NULL," /* MANIFEST lines */
	"  segment INTEGER NOT NULL," /* newest sealed segment number */
	"  segments INTEGER NOT NULL," /* sealed segments ever (not pruned) */
	"  chain TEXT NOT NULL," /* chain hash of line `entries` */
	"  ts INTEGER NOT NULL);", /* when it was moved, UTC us */

	/* alert_days is kept by store_alert_insert, which adds each
	 * transaction's alerts per (day, 団体, rule, severity) once at commit
	 * (collector/store.c) instead of a trigger per alert row: the trigger
	 * made every alert insert a multi-row statement with a statement
	 * journal, a third of the collector's cost per alert (issue 3).
	 * Anything that inserts into alerts other than through
	 * store_alert_insert must add to alert_days itself; deletes still
	 * go through alerts_day_del. */
	"DROP TRIGGER alerts_day_add;", NULL
};

int
store_schema_version(void)
{
	int n = 0;

	while (store_schema_sql[n] != NULL)
		n++;
	return n;
}
