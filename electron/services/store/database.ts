import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';

export type Db = Database.Database;

/**
 * Ordered schema migrations. Append only: a migration that shipped is never edited, because
 * users' databases already ran it.
 */
const migrations: string[] = [
  `CREATE TABLE servers (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     host TEXT NOT NULL,
     port INTEGER NOT NULL,
     user TEXT NOT NULL,
     auth_kind TEXT NOT NULL,
     public_key TEXT,
     host_key_algorithm TEXT,
     host_key_fingerprint TEXT,
     host_key_pinned_at TEXT,
     status TEXT NOT NULL,
     status_message TEXT,
     last_connected_at TEXT,
     detection_json TEXT,
     created_at TEXT NOT NULL
   );
   CREATE TABLE jobs (
     id TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     title TEXT NOT NULL,
     subject_id TEXT,
     state TEXT NOT NULL,
     phase TEXT,
     done REAL NOT NULL DEFAULT 0,
     total REAL,
     eta_seconds REAL,
     seq INTEGER NOT NULL DEFAULT 0,
     error_json TEXT,
     result_json TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE INDEX jobs_created ON jobs(created_at);`,
  `CREATE TABLE storage_targets (
     server_id TEXT PRIMARY KEY REFERENCES servers(id) ON DELETE CASCADE,
     endpoint TEXT NOT NULL,
     bucket TEXT NOT NULL,
     region TEXT NOT NULL,
     own_storage INTEGER NOT NULL,
     provider TEXT NOT NULL,
     access_key_hint TEXT NOT NULL,
     report_json TEXT NOT NULL,
     saved_at TEXT NOT NULL
   );
   CREATE TABLE agents (
     server_id TEXT PRIMARY KEY REFERENCES servers(id) ON DELETE CASCADE,
     version TEXT NOT NULL,
     stanza TEXT NOT NULL,
     data_directory TEXT NOT NULL,
     scheduler TEXT NOT NULL,
     public_key TEXT NOT NULL,
     settings_json TEXT NOT NULL,
     installed_at TEXT NOT NULL
   );`,
  `CREATE TABLE recovery_kits (
     server_id TEXT PRIMARY KEY REFERENCES servers(id) ON DELETE CASCADE,
     sha256 TEXT NOT NULL,
     exported_at TEXT NOT NULL,
     acknowledged_at TEXT
   );`,
  `CREATE TABLE scratch_environments (
     id TEXT PRIMARY KEY,
     source_server_id TEXT NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
     host_server_id TEXT NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
     created_at TEXT NOT NULL,
     expires_at TEXT,
     state TEXT NOT NULL,
     env_json TEXT NOT NULL
   );`,
  // Drill report archive (issue 5). No foreign key to servers: evidence outlives a removed
  // server, because auditors may ask for it after the server is gone.
  `CREATE TABLE drill_reports (
     server_id TEXT NOT NULL,
     drill_id TEXT NOT NULL,
     server_name TEXT NOT NULL,
     sequence INTEGER NOT NULL,
     started_at TEXT NOT NULL,
     finished_at TEXT NOT NULL,
     passed INTEGER NOT NULL,
     rto_seconds REAL,
     rpo_seconds REAL NOT NULL,
     signer TEXT NOT NULL,
     countersigned INTEGER NOT NULL DEFAULT 0,
     manifest_sha256 TEXT NOT NULL,
     previous_manifest_sha256 TEXT,
     bundle_path TEXT NOT NULL,
     archived_at TEXT NOT NULL,
     PRIMARY KEY (server_id, drill_id),
     UNIQUE (server_id, sequence)
   );
   CREATE INDEX drill_reports_started ON drill_reports(server_id, started_at);`,
  // Who confirmed the recovery kit (issue 15 §3): the app's OS user, beside the time.
  `ALTER TABLE recovery_kits ADD COLUMN acknowledged_by TEXT;`,
  // The read-only restore key's shortened id (issue 15 §3); its secret is in the secret store.
  `ALTER TABLE storage_targets ADD COLUMN restore_key_hint TEXT;`,
  // Why a server is unreachable, as code and reason the console words (issue 16 item 1).
  `ALTER TABLE servers ADD COLUMN status_error_json TEXT;`,
  // Jobs as history (issue 16 §4): who started a job, when it ended, and whether the admin
  // dismissed it from the list (kept, not deleted: the history stays complete).
  `ALTER TABLE jobs ADD COLUMN started_by TEXT;
   ALTER TABLE jobs ADD COLUMN finished_at TEXT;
   ALTER TABLE jobs ADD COLUMN dismissed_at TEXT;`,
  // GDPR subject maps (issue 17 §1): every saved version per server and database is kept.
  `CREATE TABLE gdpr_subject_maps (
     server_id TEXT NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
     database_name TEXT NOT NULL,
     version INTEGER NOT NULL,
     map_json TEXT NOT NULL,
     edits_json TEXT NOT NULL,
     saved_at TEXT NOT NULL,
     saved_by TEXT NOT NULL,
     PRIMARY KEY (server_id, database_name, version)
   );`,
  // Rebuild journal (issue 19 §2): which step of a rebuild finished, so a dropped connection or
  // a closed console resumes at the step that was running instead of restoring again.
  `CREATE TABLE rebuild_journal (
     rebuild_id TEXT PRIMARY KEY,
     job_id TEXT NOT NULL,
     state_json TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE INDEX rebuild_journal_job ON rebuild_journal(job_id);`,
  // Accountability log (issue 17 §5): who did what, when, with what result, hash-chained.
  // Append only: the triggers refuse UPDATE and DELETE, so only someone who edits the file
  // itself can change a row, and then the chain (accountability/chain.ts) names the entry.
  // app_settings holds the name entered at first start and the log's local hashing key.
  `CREATE TABLE accountability_log (
     seq INTEGER PRIMARY KEY,
     at TEXT NOT NULL,
     os_user TEXT NOT NULL,
     actor_name TEXT NOT NULL,
     action TEXT NOT NULL,
     server_id TEXT,
     target_json TEXT NOT NULL,
     params_json TEXT NOT NULL,
     result TEXT NOT NULL,
     error_code TEXT,
     prev_hash TEXT NOT NULL,
     hash TEXT NOT NULL
   );
   CREATE INDEX accountability_log_at ON accountability_log(at);
   CREATE TRIGGER accountability_log_no_update BEFORE UPDATE ON accountability_log
     BEGIN SELECT RAISE(ABORT, 'accountability_log is append-only'); END;
   CREATE TRIGGER accountability_log_no_delete BEFORE DELETE ON accountability_log
     BEGIN SELECT RAISE(ABORT, 'accountability_log is append-only'); END;
   CREATE TABLE app_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  // GDPR requests (issue 17 §4): received day, deadline, status, and the evidence they got.
  `CREATE TABLE gdpr_requests (
     id TEXT PRIMARY KEY,
     server_id TEXT NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
     kind TEXT NOT NULL,
     database_name TEXT NOT NULL,
     subject TEXT NOT NULL,
     received_on TEXT NOT NULL,
     deadline TEXT NOT NULL,
     status TEXT NOT NULL,
     note TEXT NOT NULL,
     export_job_id TEXT,
     export_json TEXT,
     confirmation_json TEXT,
     created_at TEXT NOT NULL,
     created_by TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE INDEX gdpr_requests_deadline ON gdpr_requests(deadline);`,
  // Agent keys a server had before its current one (an uninstall destroys the key, a reinstall
  // makes a new one): recovery points and drill reports they signed until then stay verifiable.
  `CREATE TABLE agent_retired_keys (
     server_id TEXT NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
     public_key TEXT NOT NULL,
     retired_at TEXT NOT NULL,
     PRIMARY KEY (server_id, public_key)
   );`,
];

/** Opens (and migrates) the app's local store, `kumiko.db` in the data directory. */
export function openDatabase(dataDir: string): Db {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new Database(path.join(dataDir, 'kumiko.db'));
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  // Another process (a second CLI call) may open the same new store at the same moment:
  // migrate under an immediate write lock and re-read the version inside it.
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    for (let version = current; version < migrations.length; version++) {
      db.exec(migrations[version] as string);
    }
    if (current < migrations.length) db.pragma(`user_version = ${migrations.length}`);
  }).immediate();
  return db;
}
