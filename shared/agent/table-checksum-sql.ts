/**
 * SQL for the per-table row counts and checksums of a recovery-point manifest (DESIGN.md §5).
 * The agent runs them in one REPEATABLE READ transaction per database; a drill runs the same
 * statements against the restored cluster and compares. Pure strings: no driver here.
 *
 * The checksum sums one hash per row and hashes the sums, so it does not depend on the physical
 * row order (a restore, VACUUM FULL or CLUSTER reorders rows); see {@link ChecksumMethod} for
 * which hash. The text form of some types depends on session settings, so run
 * {@link CHECKSUM_SESSION_SETTINGS_SQL} first in the same transaction, on both sides of a
 * comparison.
 *
 * Cost: one hash per row and an addition; no sort and no per-table string, so it streams
 * through tables of any size. (A sorted string_agg before it failed beyond ~33 M rows at
 * PostgreSQL's 1 GB text limit.)
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
 * How a table's rows are hashed. `hash64`: PostgreSQL's own 64-bit row hash
 * (`hash_record_extended`, the function hash partitioning relies on, so it is stable across
 * dump and restore), summed over the rows; about nine times faster than md5 of the row text
 * (2 M pgbench rows: 0.7 s against 6.3 s), which keeps the daily snapshot close to the plain
 * backup's time. It only works when every column type has a hash function, so tables with
 * other types (json, geometric, money, composite, …) use `md5` of the row text, summed in two
 * exact 64-bit lanes. Either way the result does not depend on the physical row order.
 */
export type ChecksumMethod = 'hash64' | 'md5';

/** Types whose hash functions PostgreSQL ships and `hash_record_extended` can use. */
const HASHABLE_TYPES = [
  'bool',
  'char',
  'name',
  'int2',
  'int4',
  'int8',
  'oid',
  'text',
  'varchar',
  'bpchar',
  'numeric',
  'float4',
  'float8',
  'date',
  'time',
  'timetz',
  'timestamp',
  'timestamptz',
  'interval',
  'uuid',
  'bytea',
  'jsonb',
  'inet',
  'cidr',
  'macaddr',
  'macaddr8',
  'pg_lsn',
]
  .map((t) => `'${t}'`)
  .join(', ');

/**
 * Row count and checksum of one table: columns `rows` (bigint) and `checksum` (32 hex digits;
 * `md5('')` for an empty table, whatever the method). The whole row is referenced as `t.*`,
 * never as bare `t`, which would mean a column if the table has one named `t`.
 */
export function tableChecksumSql({ schema, table, method }: UserTableRow): string {
  const from = qualifiedTableName(schema, table);
  if (method === 'hash64') {
    return (
      `SELECT count(*) AS rows, ` +
      `CASE WHEN count(*) = 0 THEN md5('') ` +
      `ELSE md5('hash64:' || count(*)::text || ':' || sum(hash_record_extended(t.*, 0))::text) END AS checksum ` +
      `FROM ${from} t`
    );
  }
  const lane = (at: number) => `('x' || substr(m, ${at}, 16))::bit(64)::bigint`;
  return (
    `SELECT count(*) AS rows, ` +
    `CASE WHEN count(*) = 0 THEN md5('') ` +
    `ELSE md5(sum(${lane(1)})::text || ':' || sum(${lane(17)})::text) END AS checksum ` +
    `FROM (SELECT md5((t.*)::text) AS m FROM ${from} t) AS rows_md5`
  );
}

/** One row of {@link LIST_USER_TABLES_SQL}. */
export interface UserTableRow {
  schema: string;
  table: string;
  method: ChecksumMethod;
}

/**
 * The tables whose rows a manifest records, ordered by schema and table (byte order):
 * ordinary and partitioned tables (relkind r, p) outside pg_catalog, information_schema,
 * pg_toast and temporary schemas. Partitions are left out (their rows are counted once,
 * through their partitioned parent), and so are unlogged tables: a restore from a backup
 * brings them back empty, so no drill could ever match them.
 */
export const LIST_USER_TABLES_SQL = `SELECT n.nspname AS schema, c.relname AS table,
  CASE WHEN EXISTS (
    SELECT 1 FROM pg_catalog.pg_attribute a
    JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid
    -- a domain hashes as its base type, an array as its element type (one level each)
    JOIN pg_catalog.pg_type base ON base.oid = CASE WHEN ty.typtype = 'd' THEN ty.typbasetype ELSE ty.oid END
    JOIN pg_catalog.pg_type elem ON elem.oid = CASE WHEN base.typcategory = 'A' THEN base.typelem ELSE base.oid END
    WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      AND NOT (elem.typtype = 'e'
        OR (elem.typnamespace = 'pg_catalog'::regnamespace AND elem.typname IN (${HASHABLE_TYPES})))
  ) THEN 'md5' ELSE 'hash64' END AS method
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
