import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths';
import type { PostgresCluster } from './postgres';
import { runCommand } from './processes';

/**
 * The Chinook sample script (creates database `chinook`, snake_case tables), kept in the
 * repository with its licence (resources/demo/chinook).
 */
export const CHINOOK_SQL = path.join(
  repoRoot,
  'resources',
  'demo',
  'chinook',
  'Chinook_PostgreSql.sql',
);

/** Tables whose row counts {@link loadChinook} reports. */
export const CHINOOK_TABLES = [
  'artist',
  'album',
  'track',
  'genre',
  'media_type',
  'playlist',
  'playlist_track',
  'employee',
  'customer',
  'invoice',
  'invoice_line',
] as const;

/** Row count per Chinook table. */
export type ChinookCounts = Record<(typeof CHINOOK_TABLES)[number], number>;

/**
 * Loads Chinook into the cluster (drops and recreates database `chinook`) with psql as the
 * postgres OS user, and returns the row count of every table for assertions.
 * The file is piped to psql on stdin, so it need not be readable by the postgres user.
 */
export async function loadChinook(pg: PostgresCluster): Promise<ChinookCounts> {
  if (!fs.existsSync(CHINOOK_SQL)) {
    throw new Error(
      `Chinook script not found at ${CHINOOK_SQL}: the repository checkout is incomplete ` +
        '(resources/demo/chinook/Chinook_PostgreSql.sql is part of the repository)',
    );
  }
  await runCommand(
    path.join(pg.binDir, 'psql'),
    [
      '-X',
      '-q',
      '-v',
      'ON_ERROR_STOP=1',
      '-h',
      pg.socketDir,
      '-p',
      String(pg.port),
      '-U',
      'postgres',
      '-d',
      'postgres',
    ],
    {
      runAs: 'postgres',
      name: 'psql (chinook)',
      input: fs.createReadStream(CHINOOK_SQL),
      timeoutMs: 120_000,
    },
  );
  return chinookCounts(pg);
}

/** Current row counts of the Chinook tables (e.g. to compare after a restore). */
export async function chinookCounts(pg: PostgresCluster, db = 'chinook'): Promise<ChinookCounts> {
  const sql = CHINOOK_TABLES.map((t) => `SELECT '${t}' AS name, count(*)::int AS n FROM ${t}`).join(
    ' UNION ALL ',
  );
  const rows = await pg.query<{ name: string; n: number }>(sql, [], db);
  const counts = {} as ChinookCounts;
  for (const row of rows) counts[row.name as keyof ChinookCounts] = row.n;
  return counts;
}
