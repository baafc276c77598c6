/**
 * SQL for the per-table row counts and checksums of a recovery-point manifest (DESIGN.md §5).
 * The agent runs them in one REPEATABLE READ transaction per database; a drill runs the same
 * statements against the restored cluster and compares. Pure strings: no driver here.
 *
 * The checksum is md5 over the sorted md5s of every row's text form, so it does not depend on
 * the physical row order (a restore, VACUUM FULL or CLUSTER reorders rows). The text form of
 * some types depends on session settings, so run {@link CHECKSUM_SESSION_SETTINGS_SQL} first in
 * the same transaction, on both sides of a comparison.
 *
 * Cost: the rows' md5s are sorted and concatenated in memory, 32 bytes per row; PostgreSQL
 * caps a text value at 1 GB, so a table of more than ~33 million rows makes the query fail.
 */

/**
 * Quotes an SQL identifier: always double-quoted, embedded double quotes doubled. Rejects NUL,
 * which PostgreSQL identifiers cannot contain.
 */
export function quoteIdent(name: string): string {
  if (name === '') throw new Error('empty SQL identifier');
  if (name.includes('\0')) throw new Error('SQL identifier contains NUL');
  return `"${name.replace(/"/g, '""')}"`;
}

/** `"schema"."table"`, each part quoted with {@link quoteIdent}. */
export function qualifiedTableName(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}

/**
 * Pins the settings that change how values print (timestamptz, dates, intervals, floats,
 * bytea, money), for the current transaction only. Run inside the transaction, before
 * {@link tableChecksumSql}; identical on the agent and in drills.
 */
export const CHECKSUM_SESSION_SETTINGS_SQL = [
  "SET LOCAL TimeZone = 'UTC'",
  "SET LOCAL DateStyle = 'ISO, YMD'",
  "SET LOCAL IntervalStyle = 'postgres'",
  'SET LOCAL extra_float_digits = 1',
  "SET LOCAL bytea_output = 'hex'",
  "SET LOCAL lc_monetary = 'C'",
].join('; ');

/** One row of {@link tableChecksumSql}: count(*) is a bigint, which node-postgres returns as text. */
export interface TableChecksumRow {
  rows: string;
  checksum: string;
}

/**
 * Row count and checksum of one table: columns `rows` (bigint) and `checksum` (32 hex digits;
 * `md5('')` for an empty table). The whole row is referenced as `t.*`, never as bare `t`,
 * which would mean a column if the table has one named `t`.
 */
export function tableChecksumSql(schema: string, table: string): string {
  const row = 'md5((t.*)::text)';
  return (
    `SELECT count(*) AS rows, ` +
    `coalesce(md5(string_agg(${row}, '' ORDER BY ${row})), md5('')) AS checksum ` +
    `FROM ${qualifiedTableName(schema, table)} t`
  );
}

/** One row of {@link LIST_USER_TABLES_SQL}. */
export interface UserTableRow {
  schema: string;
  table: string;
}

/**
 * The tables whose rows a manifest records, ordered by schema and table (byte order):
 * ordinary and partitioned tables (relkind r, p) outside pg_catalog, information_schema,
 * pg_toast and temporary schemas. Partitions are left out (their rows are counted once,
 * through their partitioned parent), and so are unlogged tables: a restore from a backup
 * brings them back empty, so no drill could ever match them.
 */
export const LIST_USER_TABLES_SQL = `SELECT n.nspname AS schema, c.relname AS table
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p')
  AND NOT c.relispartition
  AND c.relpersistence = 'p'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_toast%'
  AND n.nspname NOT LIKE 'pg\\_temp\\_%'
ORDER BY n.nspname COLLATE "C", c.relname COLLATE "C"`;

/** The databases to record: every one that accepts connections, templates excluded. */
export const LIST_DATABASES_SQL = `SELECT datname AS name FROM pg_catalog.pg_database
WHERE datallowconn AND NOT datistemplate
ORDER BY datname COLLATE "C"`;
