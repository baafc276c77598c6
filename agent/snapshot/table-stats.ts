import os from 'node:os';
import type { AgentConfig } from '../../shared/agent/config';
import type { ManifestDatabase, RecoveryPointManifest } from '../../shared/agent/manifest';
import {
  asRecorded,
  CHECKSUM_SESSION_SETTINGS_SQL,
  type ChecksumMethod,
  LIST_DATABASES_SQL,
  LIST_USER_TABLES_SQL,
  tableChecksumSql,
  type UserTableRow,
} from '../../shared/agent/table-checksum-sql';
import { AgentError } from '../runtime/errors';
import { PsqlSession, psqlJson } from '../engines/psql';

const STEP = 'table checksums';

/** Every connectable non-template database. */
export async function listDatabases(config: AgentConfig): Promise<string[]> {
  return psqlJson<string[]>(
    config,
    `SELECT coalesce(json_agg(d.name), '[]'::json) FROM (${LIST_DATABASES_SQL}) d`,
    STEP,
  );
}

/** Parses the one JSON value a statement printed (json_agg spreads it over several lines). */
function parseOne<T>(output: string, what: string): T {
  if (output === '') throw new AgentError(STEP, `no result for ${what}`);
  try {
    return JSON.parse(output) as T;
  } catch {
    throw new AgentError(STEP, `unreadable result for ${what}: ${output.slice(0, 200)}`);
  }
}

/**
 * The checksum method a manifest recorded for a table (md5 when it recorded none), or
 * undefined for a table the manifest does not list; a drill hashes each table as the snapshot
 * did.
 */
export type RecordedMethods = (schema: string, table: string) => ChecksumMethod | undefined;

/** Options of {@link databaseStats}. */
export interface StatsOptions {
  signal?: AbortSignal;
  recorded?: RecordedMethods;
  /**
   * Read at the lowest CPU priority, in one process: for the daily recovery point, whose
   * checksums run beside the backup (and production's own load). pgBackRest's backup leaves a
   * core's worth of CPU idle on average (waiting for S3), which is enough for them; at equal
   * priority they took CPU from the backup's busy moments instead.
   */
  background?: boolean;
}

/**
 * Makes the session's backend run at nice 19 without parallel workers (which the postmaster
 * starts at normal priority). Renicing needs root or the cluster's OS user; where the agent is
 * neither, the checksums just run at normal priority.
 */
async function atLowPriority(session: PsqlSession): Promise<void> {
  await session.query('SET LOCAL max_parallel_workers_per_gather = 0');
  const pid = Number(await session.query('SELECT pg_backend_pid()'));
  try {
    if (Number.isInteger(pid) && pid > 0) os.setPriority(pid, 19);
  } catch {
    // Not permitted: normal priority.
  }
}

/** One database's numbers and the snapshot they were read in. */
export interface VisibleStats {
  database: ManifestDatabase;
  /**
   * `pg_current_snapshot()` of the transaction (xmin:xmax:xip, xid8 values, cluster-wide): two
   * transactions with equal text see exactly the same committed transactions.
   */
  visibility: string;
}

/** Options of {@link databaseStatsIn}. */
export interface SnapshotStatsOptions extends StatsOptions {
  /** Read in this exported snapshot (`SET TRANSACTION SNAPSHOT`) instead of a new one. */
  importSnapshot?: string;
  /**
   * Asked once the transaction's visibility is known: tables to take as they are instead of
   * reading them (numbers read in another transaction that saw exactly the same).
   */
  reuse?: (visibility: string) => ManifestDatabase['tables'] | undefined;
  /** Called once the snapshot is the transaction's own (an exporter may go away then). */
  onImported?: () => void;
  isolation?: ManifestDatabase['isolation'];
  consistentLsn?: string;
}

/**
 * Row count and checksum of every user table of one database, all read in ONE
 * REPEATABLE READ (read-only) transaction, so the numbers describe one consistent moment.
 * Without `recorded` each table gets the method a new manifest uses; with it, the method the
 * manifest recorded (md5 when it has none; tables it does not list keep the new method).
 */
export async function databaseStats(
  config: AgentConfig,
  db: string,
  options: StatsOptions = {},
): Promise<ManifestDatabase> {
  return (await databaseStatsIn(config, db, options)).database;
}

/** {@link databaseStats} with the transaction's visibility, optionally in an exported snapshot. */
export async function databaseStatsIn(
  config: AgentConfig,
  db: string,
  options: SnapshotStatsOptions = {},
): Promise<VisibleStats> {
  const { signal, recorded } = options;
  const session = PsqlSession.open(config, db, `${STEP} (${db})`, signal);
  try {
    await session.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    if (options.importSnapshot !== undefined) {
      await session.query(`SET TRANSACTION SNAPSHOT ${sqlLiteral(options.importSnapshot)}`);
    }
    // The first query takes the transaction's snapshot; everything after reads in it.
    const visibility = await session.query('SELECT pg_current_snapshot()::text');
    options.onImported?.();
    const base = {
      name: db,
      isolation: options.isolation ?? ('repeatable read' as const),
      ...(options.consistentLsn !== undefined ? { consistentLsn: options.consistentLsn } : {}),
    };
    const reused = options.reuse?.(visibility);
    if (reused) {
      await session.query('COMMIT');
      return { database: { ...base, tables: reused }, visibility };
    }
    await session.query(CHECKSUM_SESSION_SETTINGS_SQL);
    if (options.background) await atLowPriority(session);
    const tables = parseOne<UserTableRow[]>(
      await session.query(
        `SELECT coalesce(json_agg(t), '[]'::json) FROM (${LIST_USER_TABLES_SQL}) t`,
      ),
      'the table list',
    );
    const out: ManifestDatabase['tables'] = [];
    for (const listed of tables) {
      const known = recorded?.(listed.schema, listed.table);
      const entry = known === undefined ? listed : asRecorded(listed, known);
      const { schema, table, method } = entry;
      const row = parseOne<{ rows: number; checksum: string }>(
        await session.query(
          `SELECT json_build_object('rows', q.rows, 'checksum', q.checksum) FROM (${tableChecksumSql(entry)}) q`,
        ),
        `${schema}.${table}`,
      );
      out.push({
        schema,
        table,
        rowCount: Number(row.rows),
        checksum: row.checksum,
        checksumMethod: method,
      });
    }
    await session.query('COMMIT');
    return { database: { ...base, tables: out }, visibility };
  } finally {
    await session.close();
  }
}

/** A SQL string literal (standard_conforming_strings is on in every supported version). */
function sqlLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Counts and checksums of all databases, one transaction each; `recorded` per database. */
export async function allDatabaseStats(
  config: AgentConfig,
  options: Omit<StatsOptions, 'recorded'> & { recorded?: (db: string) => RecordedMethods } = {},
): Promise<ManifestDatabase[]> {
  const out: ManifestDatabase[] = [];
  for (const db of await listDatabases(config)) {
    out.push(await databaseStats(config, db, { ...options, recorded: options.recorded?.(db) }));
  }
  return out;
}

/** Server version, system identifier and checksum setting, for the manifest. */
export async function clusterFacts(config: AgentConfig): Promise<RecoveryPointManifest['pg']> {
  const facts = await psqlJson<{
    version: string;
    systemIdentifier: string;
    dataChecksums: boolean;
  }>(
    config,
    `SELECT json_build_object(
       'version', current_setting('server_version'),
       'systemIdentifier', (SELECT system_identifier::text FROM pg_control_system()),
       'dataChecksums', current_setting('data_checksums') = 'on')`,
    'cluster facts',
  );
  // Debian reports "15.8 (Debian 15.8-1.pgdg120+1)": keep the version number itself.
  return { ...facts, version: facts.version.split(' ')[0] ?? facts.version };
}
