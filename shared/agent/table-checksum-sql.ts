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
  // Not a printing setting: compiling the hash expression (once per parallel worker) cost
  // more than it saved on 7 M rows.
  'SET LOCAL jit = off',
].join('; ');

/** One row of {@link tableChecksumSql}: count(*) is a bigint, which node-postgres returns as text. */
export interface TableChecksumRow {
  rows: string;
  checksum: string;
}

/**
 * How a table's rows are hashed; every method sums one 64-bit (or md5) value per row, so the
 * result does not depend on the physical row order.
 *
 * - `columns64` (what new manifests use): each column hashed with its type's own extended hash
 *   function (the ones hash indexes and hash partitioning use, stable across dump and restore),
 *   seeded with the column's position so swapped values show, XOR-ed into one value per row.
 *   Columns whose type has no directly callable function (bool, date, timestamptz, bytea,
 *   arrays, enums, ...) are hashed together with `hash_record_extended(ROW(...))`. On 7 M
 *   pgbench rows: 1.8 s against 4.7 s for `hash64`, because no whole-row copy is built per row;
 *   the checksums run beside the daily backup and inside the drill's RTO, so this is time the
 *   admin waits for.
 * - `hash64`: `hash_record_extended(t.*)` of the whole row (manifests before columns64; drills
 *   and restores still verify them with it).
 * - `md5`: md5 of the row text, summed in two exact 64-bit lanes, for tables with a column type
 *   that has no hash function at all (json, geometric, money, composite, ...).
 */
export type ChecksumMethod = 'columns64' | 'hash64' | 'md5';

/**
 * Extended hash function per built-in type, where the function takes the column's type as it
 * is (or one it converts to without a cast: varchar to text, cidr to inet). Names come from the
 * default hash operator classes (pg_amproc support function 2) of PostgreSQL 15.
 */
const COLUMN_HASH_FUNCTIONS: Readonly<Record<string, string>> = {
  int2: 'hashint2extended',
  int4: 'hashint4extended',
  int8: 'hashint8extended',
  oid: 'hashoidextended',
  char: 'hashcharextended',
  name: 'hashnameextended',
  text: 'hashtextextended',
  varchar: 'hashtextextended',
  bpchar: 'hashbpcharextended',
  numeric: 'hash_numeric_extended',
  float4: 'hashfloat4extended',
  float8: 'hashfloat8extended',
  timestamp: 'timestamp_hash_extended',
  time: 'time_hash_extended',
  timetz: 'timetz_hash_extended',
  interval: 'interval_hash_extended',
  uuid: 'uuid_hash_extended',
  jsonb: 'jsonb_hash_extended',
  inet: 'hashinetextended',
  cidr: 'hashinetextended',
  macaddr: 'hashmacaddrextended',
  macaddr8: 'hashmacaddr8extended',
  pg_lsn: 'pg_lsn_hash_extended',
};
const KNOWN_HASH_FUNCTIONS = new Set(Object.values(COLUMN_HASH_FUNCTIONS));

/** Types whose hash functions PostgreSQL ships and `hash_record_extended` can use. */
const HASHABLE_TYPES = [
  ...Object.keys(COLUMN_HASH_FUNCTIONS),
  'bool',
  'date',
  'timestamptz',
  'bytea',
]
  .map((t) => `'${t}'`)
  .join(', ');

/** One column of a table as {@link LIST_USER_TABLES_SQL} lists it, in column order. */
export interface HashedColumn {
  name: string;
  /** Its type's extended hash function, or null: hashed with the other such columns as a ROW. */
  hash: string | null;
}

/** One row of {@link LIST_USER_TABLES_SQL}. */
export interface UserTableRow {
  schema: string;
  table: string;
  method: ChecksumMethod;
  /** The table's columns (dropped ones left out); needed for `columns64`. */
  columns?: HashedColumn[];
}

/**
 * The per-row value of `columns64`: one hash per directly hashable column, seeded with its
 * position (1-based), and one `hash_record_extended` over the remaining columns, XOR-ed. A
 * NULL hashes to 0 (the functions are strict). A table without columns hashes every row to 0.
 */
function columnsRowHash(columns: readonly HashedColumn[]): string {
  const parts: string[] = [];
  const rest: string[] = [];
  columns.forEach((column, index) => {
    const name = `t.${quoteIdent(column.name)}`;
    if (column.hash === null) {
      rest.push(name);
      return;
    }
    if (!KNOWN_HASH_FUNCTIONS.has(column.hash)) {
      throw new Error(`unexpected hash function ${column.hash} for column ${column.name}`);
    }
    parts.push(`coalesce(${column.hash}(${name}, ${index + 1}), 0)`);
  });
  if (rest.length > 0) parts.push(`coalesce(hash_record_extended(ROW(${rest.join(', ')}), 0), 0)`);
  return parts.length > 0 ? parts.join(' # ') : '0::bigint';
}

/**
 * Row count and checksum of one table: columns `rows` (bigint) and `checksum` (32 hex digits;
 * `md5('')` for an empty table, whatever the method). Columns and the whole row are always
 * qualified with the alias `t` (`t.*`, `t."name"`), never bare `t`, which would mean a column
 * if the table has one named `t`. The sums are plain aggregates, so PostgreSQL may split a
 * large table's scan over parallel workers.
 */
export function tableChecksumSql({ schema, table, method, columns }: UserTableRow): string {
  const from = qualifiedTableName(schema, table);
  if (method === 'columns64') {
    if (!columns) throw new Error(`no column list for ${from}`);
    return (
      `SELECT count(*) AS rows, ` +
      `CASE WHEN count(*) = 0 THEN md5('') ` +
      `ELSE md5('columns64:' || count(*)::text || ':' || sum(${columnsRowHash(columns)})::text) END AS checksum ` +
      `FROM ${from} t`
    );
  }
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

/** SQL CASE: the extended hash function of the column type `base` (or NULL). */
const HASH_FUNCTION_CASE = `CASE WHEN base.typnamespace = 'pg_catalog'::regnamespace THEN CASE base.typname
      ${Object.entries(COLUMN_HASH_FUNCTIONS)
        .map(([type, fn]) => `WHEN '${type}' THEN '${fn}'`)
        .join(' ')}
    END END`;

/**
 * The tables whose rows a manifest records, ordered by schema and table (byte order):
 * ordinary and partitioned tables (relkind r, p) outside pg_catalog, information_schema,
 * pg_toast and temporary schemas. Partitions are left out (their rows are counted once,
 * through their partitioned parent), and so are unlogged tables: a restore from a backup
 * brings them back empty, so no drill could ever match them. Each comes with the method for
 * a new manifest and its columns (for `columns64`).
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
  ) THEN 'md5' ELSE 'columns64' END AS method,
  (SELECT coalesce(json_agg(json_build_object('name', a.attname, 'hash', ${HASH_FUNCTION_CASE}) ORDER BY a.attnum), '[]'::json)
    FROM pg_catalog.pg_attribute a
    JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid
    JOIN pg_catalog.pg_type base ON base.oid = CASE WHEN ty.typtype = 'd' THEN ty.typbasetype ELSE ty.oid END
    WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p')
  AND NOT c.relispartition
  AND c.relpersistence = 'p'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_toast%'
  AND n.nspname NOT LIKE 'pg\\_temp\\_%'
ORDER BY n.nspname COLLATE "C", c.relname COLLATE "C"`;

/**
 * The table as the manifest recorded it: its method (absent in old manifests: md5) with the
 * columns listed now. A manifest method that needs a column list the listing cannot give
 * (the table changed shape) falls back to the listing's own method, so the comparison reports
 * a difference instead of failing.
 */
export function asRecorded(
  listed: UserTableRow,
  recorded: ChecksumMethod | undefined,
): UserTableRow {
  const method = recorded ?? 'md5';
  if (method === 'columns64' && listed.method !== 'columns64') return listed;
  return { ...listed, method };
}

/** The databases to record: every one that accepts connections, templates excluded. */
export const LIST_DATABASES_SQL = `SELECT datname AS name FROM pg_catalog.pg_database
WHERE datallowconn AND NOT datistemplate
ORDER BY datname COLLATE "C"`;
