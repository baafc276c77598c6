import type { RecoveryPointManifest, ManifestTable } from '../../../shared/agent/manifest';
import {
  asRecorded,
  CHECKSUM_SESSION_SETTINGS_SQL,
  LIST_DATABASES_SQL,
  LIST_USER_TABLES_SQL,
  tableChecksumSql,
  type UserTableRow,
} from '../../../shared/agent/table-checksum-sql';
import type { RestoreCheck } from '../../../shared/contract';
import {
  compareTables,
  manifestMatchDetail,
  tableKey as key,
  type TableDifference,
  type TableSum,
} from '../../../shared/restore/manifest-compare';
import { AppError } from '../app-error';
import type { RestoreSite } from './restore-site';
import { scratchQuery } from './scratch-cluster';
import type { ScratchPaths } from './scratch-paths';

/**
 * A manifest as the restore read it: the bytes hash to what the catalog read, and their
 * signature verified against the agent key pinned at install. Nothing else from the bucket is
 * used by a restore (manifest-loader.ts).
 */
export interface TrustedManifest {
  manifest: RecoveryPointManifest;
  signature: 'valid';
}

/** The restored cluster's databases, from its own catalog (the names psql is given). */
const RESTORED_DATABASES_SQL = `SELECT coalesce(json_agg(d.name), '[]'::json) FROM (${LIST_DATABASES_SQL}) d`;

/** Runs the manifest's own checksum SQL on one restored database, in one snapshot. */
async function databaseSums(
  site: RestoreSite,
  paths: ScratchPaths,
  port: number,
  db: string,
  tables: ManifestTable[],
  signal?: AbortSignal,
): Promise<{ names: string[]; sums: Map<string, TableSum> }> {
  const listed = JSON.parse(
    await scratchQuery(
      site,
      paths,
      port,
      db,
      `SELECT coalesce(json_agg(t), '[]'::json) FROM (${LIST_USER_TABLES_SQL}) t`,
      `list the tables of ${db}`,
      signal,
    ),
  ) as UserTableRow[];
  const names = listed.map((t) => key(t.schema, t.table));
  const byName = new Map(listed.map((t) => [key(t.schema, t.table), t]));
  const wanted = tables.flatMap((t) => {
    const found = byName.get(key(t.schema, t.table));
    // The method the agent used for each table, so both sides hash rows the same way.
    return found ? [{ table: t, entry: asRecorded(found, t.checksumMethod) }] : [];
  });
  const sums = new Map<string, TableSum>();
  if (wanted.length === 0) return { names, sums };
  const selects = wanted.map(
    ({ entry }, i) => `SELECT ${i} AS i, q.rows, q.checksum FROM (${tableChecksumSql(entry)}) q`,
  );
  const sql = [
    'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;',
    `${CHECKSUM_SESSION_SETTINGS_SQL};`,
    `SELECT json_agg(s ORDER BY s.i) FROM (${selects.join('\nUNION ALL\n')}) s;`,
    'COMMIT;',
  ].join('\n');
  const rows = JSON.parse(
    await scratchQuery(site, paths, port, db, sql, `checksum the tables of ${db}`, signal),
  ) as { i: number; rows: number | string; checksum: string }[];
  for (const row of rows) {
    const t = wanted[row.i]?.table;
    if (t) sums.set(key(t.schema, t.table), { rows: Number(row.rows), checksum: row.checksum });
  }
  return { names, sums };
}

/**
 * 'manifest-match': every table's row count and checksum in the restored cluster equals the
 * recovery point's manifest (counted during the backup, so they match exactly when nothing
 * was written while it ran). Only a manifest whose signature verified is compared (the loader
 * returns no other). The databases read are those of the restored cluster's own catalog; a
 * name only the manifest has is a difference, never a connection: a manifest is the agent's
 * word, and a database name with `=` in it would be a connection string to psql.
 */
export async function manifestCheck(
  site: RestoreSite,
  paths: ScratchPaths,
  port: number,
  trusted: TrustedManifest | null,
  signal?: AbortSignal,
): Promise<RestoreCheck> {
  if (!trusted) {
    return {
      name: 'manifest-match',
      ok: false,
      detail: 'the recovery point has no readable manifest whose signature verifies',
    };
  }
  const { manifest } = trusted;
  const differences: TableDifference[] = [];
  let tables = 0;
  let restored: string[];
  try {
    restored = JSON.parse(
      await scratchQuery(
        site,
        paths,
        port,
        'postgres',
        RESTORED_DATABASES_SQL,
        'list the restored databases',
        signal,
      ),
    ) as string[];
  } catch (err) {
    if (err instanceof AppError && err.code === 'CANCELLED') throw err;
    return {
      name: 'manifest-match',
      ok: false,
      detail: `the restored databases could not be listed: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
  const present = new Set(restored);
  for (const db of manifest.databases) {
    tables += db.tables.length;
    if (!present.has(db.name)) {
      differences.push({ table: db.name, problem: 'database not in the restored cluster' });
      continue;
    }
    try {
      const { names, sums } = await databaseSums(site, paths, port, db.name, db.tables, signal);
      differences.push(...compareTables(db.name, db.tables, names, sums));
    } catch (err) {
      if (err instanceof AppError && err.code === 'CANCELLED') throw err;
      differences.push({ table: db.name, problem: 'database could not be read' });
    }
  }
  for (const name of restored) {
    if (!manifest.databases.some((d) => d.name === name)) {
      differences.push({ table: name, problem: 'database not in the manifest' });
    }
  }
  return {
    name: 'manifest-match',
    ok: differences.length === 0,
    detail: manifestMatchDetail(differences, {
      tables,
      databases: manifest.databases.length,
      label: manifest.label,
    }),
  };
}
