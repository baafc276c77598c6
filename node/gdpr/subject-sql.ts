import { randomBytes } from 'node:crypto';
import { qualifiedTableName, quoteIdent } from '../../shared/agent/table-checksum-sql';
import { tableName } from './schema-graph';
import type { MapLink, SubjectMap } from './subject-map';

// The SQL that finds one subject's rows, for psql on the server. In one transaction it fills
// a temporary table with (mapped table number, ctid) of every subject row: the root rows whose
// key column's text equals the value, then, until nothing is added, every child row that a
// followed link joins to a collected parent row. The loop makes cycles and several paths to one
// table come out right (a row reached twice is kept once). ctids are stable inside the
// transaction, which is what every later statement of the script runs in.

/** The temporary table of collected rows. */
export const SUBJECT_ROWS = 'kumiko_subject_rows';

/** A SQL string literal; text with a NUL byte cannot be one and is refused. */
export function quoteLiteral(text: string): string {
  if (text.includes('\u0000')) throw new Error('the value contains a NUL character');
  return `'${text.replace(/'/g, "''")}'`;
}

/** The mapped table number of `t` in `map` (its place in map.tables). */
function indexOf(map: SubjectMap, t: { schema: string; table: string }): number {
  return map.tables.findIndex((x) => tableName(x) === tableName(t));
}

/** The ctids collected for mapped table `n`, as an array for a TID scan. */
export function collectedCtids(n: number): string {
  return `ARRAY(SELECT row_id FROM ${SUBJECT_ROWS} WHERE t = ${n})`;
}

function linkStep(map: SubjectMap, link: MapLink): string {
  const child = indexOf(map, { schema: link.childSchema, table: link.childTable });
  const parent = indexOf(map, { schema: link.parentSchema, table: link.parentTable });
  // Added links may join columns of different types: compared as text. Declared foreign keys
  // compare their own types, so the child's index is used.
  const cast = link.source === 'added' ? '::text' : '';
  const on = link.childColumns
    .map((c, i) => `c.${quoteIdent(c)}${cast} = p.${quoteIdent(link.parentColumns[i]!)}${cast}`)
    .join(' AND ');
  return (
    `INSERT INTO ${SUBJECT_ROWS} SELECT ${child}, c.ctid ` +
    `FROM ${qualifiedTableName(link.parentSchema, link.parentTable)} p ` +
    `JOIN ${qualifiedTableName(link.childSchema, link.childTable)} c ON ${on} ` +
    `WHERE p.ctid = ANY (${collectedCtids(parent)}) ON CONFLICT DO NOTHING;\n` +
    `    GET DIAGNOSTICS added = ROW_COUNT; total := total + added;`
  );
}

/**
 * Statements (to run inside a transaction) that collect the rows of the subject whose root key
 * is `value` into {@link SUBJECT_ROWS}.
 */
export function collectSubjectSql(map: SubjectMap, value: string): string {
  const root = qualifiedTableName(map.root.schema, map.root.table);
  const steps = map.links.filter((l) => l.followed).map((l) => linkStep(map, l));
  const lines = [
    `CREATE TEMPORARY TABLE ${SUBJECT_ROWS} (t int NOT NULL, row_id tid NOT NULL, PRIMARY KEY (t, row_id)) ON COMMIT DROP;`,
    `INSERT INTO ${SUBJECT_ROWS} SELECT 0, r.ctid FROM ${root} r WHERE r.${quoteIdent(map.root.column)}::text = ${quoteLiteral(value)};`,
  ];
  if (steps.length > 0) {
    // A dollar-quote tag no identifier in the body can end early.
    const body = `DECLARE added bigint; total bigint;\nBEGIN\n  LOOP\n    total := 0;\n    ${steps.join('\n    ')}\n    EXIT WHEN total = 0;\n  END LOOP;\nEND`;
    let tag = '';
    do tag = `$k${randomBytes(6).toString('hex')}$`;
    while (body.includes(tag));
    lines.push(`DO ${tag}${body}${tag};`);
  }
  return lines.join('\n');
}

/** The session settings every subject script starts with: literals mean what they say. */
const SESSION =
  "SET standard_conforming_strings = on;\nSET client_encoding = 'UTF8';\nSET statement_timeout = 0;";

/**
 * The access export's read: in one REPEATABLE READ transaction, every subject row of every
 * mapped table as one JSON line `{"t": <table number>, "r": <row>}`, then rolled back (the
 * temporary table goes with it; nothing else was written).
 */
export function exportSubjectSql(map: SubjectMap, value: string): string {
  const reads = map.tables.map(
    (t, n) =>
      `SELECT json_build_object('t', ${n}, 'r', to_jsonb(x))::text FROM ${qualifiedTableName(t.schema, t.table)} x ` +
      `WHERE x.ctid = ANY (${collectedCtids(n)}) ORDER BY x.ctid;`,
  );
  return [
    SESSION,
    'BEGIN ISOLATION LEVEL REPEATABLE READ;',
    collectSubjectSql(map, value),
    ...reads,
    'ROLLBACK;',
  ].join('\n');
}

/** Per mapped table: how many subject rows, and their size in bytes (the export's estimate). */
export function estimateSubjectSql(map: SubjectMap, value: string): string {
  const counts = map.tables.map(
    (t, n) =>
      `SELECT json_build_object('t', ${n}, 'rows', count(*), 'bytes', coalesce(sum(pg_column_size(x)), 0))::text ` +
      `FROM ${qualifiedTableName(t.schema, t.table)} x WHERE x.ctid = ANY (${collectedCtids(n)});`,
  );
  return [
    SESSION,
    'BEGIN ISOLATION LEVEL REPEATABLE READ;',
    collectSubjectSql(map, value),
    ...counts,
    'ROLLBACK;',
  ].join('\n');
}
