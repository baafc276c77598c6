import type { RecoveryPointManifest, ManifestTable } from '../../../shared/agent/manifest';
import {
  CHECKSUM_SESSION_SETTINGS_SQL,
  LIST_USER_TABLES_SQL,
  tableChecksumSql,
  type UserTableRow,
} from '../../../shared/agent/table-checksum-sql';
import type { RestoreCheck } from '../../../shared/contract';
import { AppError } from '../app-error';
import type { RestoreSite } from './restore-site';
import { scratchQuery } from './scratch-cluster';
import type { ScratchPaths } from './scratch-paths';

/** A manifest as the restore read it: the bytes matched the catalog's hash and signature state. */
export interface TrustedManifest {
  manifest: RecoveryPointManifest;
  signature: 'valid' | 'invalid' | 'missing' | 'no-pinned-key';
}

/** One table's difference between the manifest and the restored cluster. */
export interface TableDifference {
  table: string;
  problem: string;
}

const key = (schema: string, table: string) => `${schema}.${table}`;

/** Compares one database's manifest tables with what the restored cluster computed. */
export function compareTables(
  db: string,
  expected: ManifestTable[],
  restoredNames: string[],
  computed: Map<string, { rows: number; checksum: string }>,
): TableDifference[] {
  const out: TableDifference[] = [];
  const restored = new Set(restoredNames);
  for (const t of expected) {
    const name = `${db}:${key(t.schema, t.table)}`;
    const got = computed.get(key(t.schema, t.table));
    if (!restored.has(key(t.schema, t.table)) || !got) {
      out.push({ table: name, problem: 'missing' });
    } else if (got.rows !== t.rowCount) {
      out.push({ table: name, problem: `${got.rows} rows, manifest ${t.rowCount}` });
    } else if (got.checksum !== t.checksum) {
      out.push({ table: name, problem: 'checksum differs' });
    }
  }
  const listed = new Set(expected.map((t) => key(t.schema, t.table)));
  for (const name of restoredNames) {
    if (!listed.has(name)) out.push({ table: `${db}:${name}`, problem: 'not in the manifest' });
  }
  return out;
}

/** Runs the manifest's own checksum SQL on one restored database, in one snapshot. */
async function databaseSums(
  site: RestoreSite,
  paths: ScratchPaths,
  port: number,
  db: string,
  tables: ManifestTable[],
  signal?: AbortSignal,
): Promise<{ names: string[]; sums: Map<string, { rows: number; checksum: string }> }> {
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
  const present = new Set(names);
  const wanted = tables.filter((t) => present.has(key(t.schema, t.table)));
  const sums = new Map<string, { rows: number; checksum: string }>();
  if (wanted.length === 0) return { names, sums };
  // The method the agent used for each table, so both sides hash rows the same way.
  const selects = wanted.map(
    (t, i) =>
      `SELECT ${i} AS i, q.rows, q.checksum FROM (${tableChecksumSql({
        schema: t.schema,
        table: t.table,
        method: t.checksumMethod ?? 'md5',
      })}) q`,
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
    const t = wanted[row.i];
    if (t) sums.set(key(t.schema, t.table), { rows: Number(row.rows), checksum: row.checksum });
  }
  return { names, sums };
}

/**
 * 'manifest-match': every table's row count and checksum in the restored cluster equals the
 * recovery point's manifest (counted during the backup, so they match exactly when nothing
 * was written while it ran). Only a manifest whose signature verified counts as proof.
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
      detail: 'the recovery point has no readable manifest',
    };
  }
  const { manifest, signature } = trusted;
  const differences: TableDifference[] = [];
  let tables = 0;
  for (const db of manifest.databases) {
    tables += db.tables.length;
    try {
      const { names, sums } = await databaseSums(site, paths, port, db.name, db.tables, signal);
      differences.push(...compareTables(db.name, db.tables, names, sums));
    } catch (err) {
      if (err instanceof AppError && err.code === 'CANCELLED') throw err;
      differences.push({ table: db.name, problem: 'database could not be read' });
    }
  }
  const signed = signature === 'valid';
  const detail = differences.length
    ? `${differences.length} of ${tables} tables differ from manifest ${manifest.label}: ` +
      differences
        .slice(0, 5)
        .map((d) => `${d.table} (${d.problem})`)
        .join(', ') +
      (differences.length > 5 ? ', …' : '')
    : `${tables} tables in ${manifest.databases.length} databases match manifest ${manifest.label} (counts and checksums)`;
  return {
    name: 'manifest-match',
    ok: differences.length === 0 && signed,
    detail: signed ? detail : `${detail}; but the manifest signature is ${signature}`,
  };
}
